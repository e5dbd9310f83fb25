"""Running the command line in a fresh interpreter, to see what it imports.

Start-up time is measured against the peers' whole processes, so some tests check which modules
a call loads (click, clingo, inspect...): only a new interpreter shows that, since the test
process has imported everything already.
"""

from __future__ import annotations

import subprocess
import sys


def run_fresh(argv: list[str], modules: list[str]) -> list[str]:
    """Run ``dormnet ARGV`` through :func:`dormnet.cli.run` in a new interpreter.

    Parameters
    ----------
    argv : list of str
        The arguments after the program name.
    modules : list of str
        Module names to report.

    Returns
    -------
    list of str
        The words printed: the command's own output, its exit status, then ``True``/``False``
        for each of ``modules``: whether it was imported.
    """
    code = (
        "import sys; sys.argv = ['dormnet', *sys.argv[1:]]\n"
        "import dormnet.cli\n"
        "try:\n    dormnet.cli.run()\nexcept SystemExit as e:\n    status = e.code\n"
        f"print(status, *(m in sys.modules for m in {modules!r}))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True
    )
    assert r.stderr == "", r.stderr
    return r.stdout.split()
