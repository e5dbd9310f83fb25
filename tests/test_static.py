"""The linters and the type checker pass: ``ruff check`` and ``ruff format --check`` over
``dormnet/``, ``tests/`` and ``benchmarks/``, and ``mypy`` over ``dormnet/``, each configured in
``pyproject.toml`` and pinned in the ``test`` extra (run from this environment:
``sys.executable -m ruff`` / ``-m mypy``, never whatever is on ``PATH``). A finding fails the
test with the tool's own report.

The checkers are also run on small files written here, so that a configuration that checks
nothing (a mypy that skips untyped functions, a string used as a type alias) fails too.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: the trees ruff checks; mypy checks ``dormnet`` (``[tool.mypy] files`` in pyproject.toml)
TREES = ("dormnet", "tests", "benchmarks")

#: files other branches were changing when these checks arrived (whose branch, in the value),
#: left out of the checks until those branches land. The list only shrinks: a test fails once a
#: file here is gone, so that its line goes too.
NOT_YET: dict[str, str] = {}


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def _report(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n{proc.stdout}{proc.stderr}"


def _python_files() -> list[str]:
    files = sorted(
        str(p.relative_to(ROOT))
        for tree in TREES
        for p in (ROOT / tree).rglob("*.py")
        if ".venv" not in p.parts
    )
    return [f for f in files if f not in NOT_YET]


def _pins() -> dict[str, str]:
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["test"]
    return dict(m.groups() for r in extra if (m := re.fullmatch(r"(ruff|mypy)==(\S+)", r)))


def test_the_pinned_checkers_are_the_ones_that_run():
    pins = _pins()
    assert sorted(pins) == ["mypy", "ruff"]
    for name, version in pins.items():
        assert metadata.version(name) == version, f"reinstall the test extra: {name}"


def test_not_yet_lists_only_files_that_exist():
    missing = [f for f in NOT_YET if not (ROOT / f).is_file()]
    assert missing == [], "gone: remove them from NOT_YET"


def test_ruff_check():
    proc = _run("ruff", "check", "--no-cache", *_python_files())
    assert proc.returncode == 0, _report(proc)


def test_ruff_format():
    proc = _run("ruff", "format", "--check", "--no-cache", *_python_files())
    assert proc.returncode == 0, _report(proc)


def test_mypy():
    proc = _run("mypy")
    errors = [
        line
        for line in proc.stdout.splitlines()
        if ": error:" in line and line.split(":", 1)[0] not in NOT_YET
    ]
    # exit 1 is "errors found" (perhaps all in NOT_YET); anything else is mypy failing to run
    assert proc.returncode in (0, 1) and errors == [], _report(proc)


# --------------------------------------------------------------------------- the checkers fail


def test_mypy_catches_string_aliases_and_errors_in_untyped_functions(tmp_path):
    """The mistakes of issue 14: ``Clamps = "Mapping[str, int] | ..."`` (a string, so every
    annotation naming it checked nothing), and errors inside functions without annotations."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from collections.abc import Mapping\n"
        'Clamps = "Mapping[str, int] | tuple[int, int]"\n'
        "def clamp(c: Clamps) -> int:\n"
        "    return len(c)\n"
        "def untyped(x):\n"
        "    n: int = 'one'\n"
        "    return n\n"
    )
    proc = _run("mypy", "--config-file", str(ROOT / "pyproject.toml"), str(bad))
    assert proc.returncode == 1, _report(proc)
    assert 'bad.py:3: error: Variable "bad.Clamps" is not valid as a type' in proc.stdout
    assert "bad.py:6: error: Incompatible types in assignment" in proc.stdout


def test_ruff_finds_what_its_rules_cover(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import os\n"
        "def f(items=[]):\n"
        "    try:\n"
        "        return items\n"
        "    except Exception:\n"
        "        return None\n"
        f"x = {'1' * 101}\n"
    )
    proc = _run("ruff", "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), str(bad))
    assert proc.returncode == 1, _report(proc)
    codes = set(re.findall(r"\b([A-Z]+[0-9]{3,4})\b", proc.stdout))
    # unused import, mutable default, blind except, line over 100 columns
    assert {"F401", "B006", "BLE001", "E501"} <= codes, proc.stdout
