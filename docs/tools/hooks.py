"""MkDocs hooks for the manual: pages made from files that live outside ``docs/``.

Each page is generated at build time from its one source, so the manual cannot drift from it:

- ``model.md``: the model documentation, ``networks/README.md`` (its links into ``docs/`` made
  relative to the manual);
- ``cli.md``: every command's ``--help``, from the click commands themselves;
- ``tutorial.md``: the text and code of ``analyses/tutorial.ipynb`` (the notebook itself is run
  by ``tests/test_notebook.py``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]


def model_page() -> str:
    text = (ROOT / "networks" / "README.md").read_text(encoding="utf-8")
    return text.replace("](../docs/", "](")


def cli_page() -> str:
    import click

    from dormnet.cli import COMMANDS, main

    out = [
        "# Command line\n",
        (
            "Every command of `dormnet`, with its `--help`. Bad input exits with status 2 and "
            "`error: file:line:col: message` on stderr.\n"
        ),
    ]
    root = click.Context(main, info_name="dormnet", max_content_width=100, terminal_width=100)
    out += ["## dormnet\n", "```text", main.get_help(root), "```\n"]
    for name in sorted(COMMANDS):
        cmd = main.get_command(root, name)
        assert cmd is not None
        ctx = click.Context(cmd, info_name=f"dormnet {name}", parent=root, max_content_width=100)
        out += [f"## dormnet {name}\n", "```text", cmd.get_help(ctx), "```\n"]
    return "\n".join(out)


def tutorial_page() -> str | None:
    path = ROOT / "analyses" / "tutorial.ipynb"
    if not path.exists():
        return None
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = [
        "<!-- generated from analyses/tutorial.ipynb: edit the notebook, not this page -->\n",
    ]
    first = True
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            out.append(source + "\n")
            if first:
                out.append(
                    "*This page is the text and the code of `analyses/tutorial.ipynb`; open the "
                    "notebook in Jupyter to run it and see the tables and figures.*\n"
                )
        elif cell["cell_type"] == "code":
            out.append(f"```python\n{source}\n```\n")
        first = False
    return "\n".join(out)


def on_files(files: Files, config: Any, **kwargs: Any) -> Files:
    pages = {"model.md": model_page(), "cli.md": cli_page()}
    tutorial = tutorial_page()
    if tutorial is not None:
        pages["tutorial.md"] = tutorial
    for uri, content in pages.items():
        files.append(File.generated(config, uri, content=content))
    return files
