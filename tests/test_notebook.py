"""The tutorial notebook (analyses/tutorial.ipynb) runs top to bottom in a fresh kernel, so that
it never rots; it is kept without outputs in the repository; and the cross-checks it prints
(another tool finds what dormnet finds) come out true."""

from __future__ import annotations

from pathlib import Path

import ipykernel  # noqa: F401  (needed by what this module tests)
import nbclient
import nbformat

NOTEBOOK = Path(__file__).resolve().parent.parent / "analyses" / "tutorial.ipynb"
#: seconds a cell may take (the notebook needs about 20 s of CPU in all; a loaded machine is slower)
CELL_TIMEOUT = 600


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert [c.source[:40] for c in code if c.outputs or c.execution_count is not None] == []


def test_notebook_runs_top_to_bottom(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},  # nothing written beside the notebook
    )
    client.execute()  # a cell that raises fails here, with the cell and its traceback
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert errors == []
    text = "".join(o.get("text", "") for c in code for o in c.outputs if o.output_type == "stream")
    # the cross-checks the notebook prints: AEON's fixed points and mpbn's attractors are dormnet's
    assert "the same: True" in text
    assert text.count("the same: True") == 2, text
    html = [o for c in code for o in c.outputs if "text/html" in o.get("data", {})]
    assert len(html) >= 5  # the network, the landscape, the screen, the validation, frames
    images = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2  # the landscape and the screen figures
