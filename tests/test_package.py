"""The installed package: what the tests import is what pip installed, it holds every file of the
source packages (modules and data: ASP encodings, the bundled model and its companion files),
and its console script reads the bundled model through package data and answers a query of each
engine (fvs, clingo, aeon, biobalm, sync).

The README's test command installs the project without ``-e`` and runs pytest with
``--import-mode=importlib``, so these checks see the wheel: a wheel that lost a subpackage or its
package data fails here (and in every test that needs them), not only on a user's machine. With
an editable install the installed package *is* the source tree and the file comparison is
trivially true; the declared-packages check still holds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

import dormnet
from dormnet.bundle import bundled_model_path

from .conftest import COUNTS, ROOT, cli_command, corpus_model, installed_distribution

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


def editable() -> bool:
    """Whether dormnet is installed editable (then the installed package is the source tree)."""
    found = installed_distribution()
    assert found is not None  # conftest.py stops the run otherwise
    return found[1]


def installed_dir(package: str) -> Path:
    """Where an installed package's files are (beside dormnet/__init__.py)."""
    return Path(dormnet.__file__).resolve().parent.joinpath(*package.split(".")[1:])


def source_dir(package: str) -> Path:
    """Where a declared package's files are in the checkout."""
    mapped = SETUPTOOLS.get("package-dir", {}).get(package)
    return ROOT / (mapped if mapped else package.replace(".", "/"))


def files(directory: Path, package: str) -> list[str]:
    """The files of one package directory and of its data directories (e.g. ``assets/``), not
    of its declared subpackages, without bytecode."""
    declared = set(SETUPTOOLS["packages"])
    out = []
    for p in directory.rglob("*"):
        rel = p.relative_to(directory)
        subdirs = [".".join((package, *rel.parts[: i + 1])) for i in range(len(rel.parts) - 1)]
        if any(d in declared or d.endswith("__pycache__") for d in subdirs):
            continue
        if p.is_file() and p.suffix != ".pyc" and not p.name.startswith("."):
            out.append(rel.as_posix())
    return sorted(out)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    r = subprocess.run(
        [*cli_command(), *args], capture_output=True, text=True, timeout=300, cwd=cwd, check=False
    )
    assert r.returncode == 0, f"dormnet {' '.join(args)}: {r.stderr[-2000:]}"
    return r


def test_every_package_directory_is_declared():
    """A new subpackage (dormnet/cli/ once) missing from pyproject's list is left out of the
    wheel; editable installs would not notice."""
    declared = set(SETUPTOOLS["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "dormnet").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found - declared == set()


def test_the_installed_package_has_every_file_of_the_source_packages():
    if editable():
        pytest.skip("editable install: the installed package is the source tree itself")
    for package in SETUPTOOLS["packages"]:
        assert files(installed_dir(package), package) == files(source_dir(package), package), (
            package
        )


def test_tests_import_the_installed_distribution():
    assert dormnet.__version__ == metadata.version("dormnet")
    where = Path(dormnet.__file__).resolve()
    if not editable():  # (the venv may be inside the checkout: compare with the source package)
        source = (ROOT / "dormnet").resolve()
        assert where.parent != source, f"{where}: the source tree, not the installed package"
        assert bundled_model_path().resolve().is_relative_to(where.parent)
        assert not bundled_model_path().resolve().is_relative_to(ROOT / "networks")


def test_console_script_reads_the_bundled_model_from_package_data(tmp_path):
    r = run("--version", cwd=tmp_path)
    assert metadata.version("dormnet") in r.stdout
    r = run("contexts", "--format", "json", cwd=tmp_path)  # no MODEL: the bundled one
    assert "bone_marrow" in r.stdout
    r = run("info", str(bundled_model_path()), "--format", "json", cwd=tmp_path)
    assert json.loads(r.stdout)["nodes"] > 50


def test_console_script_runs_every_engine(tmp_path):
    """One query per engine, each answer checked: fixed points by feedback-vertex-set
    enumeration and (as a count beyond enumeration) by AEON's symbolic count, trap spaces by
    clingo, asynchronous attractors by AEON and by biobalm (the same answer as counts.tsv's),
    synchronous attractors by exhaustive search."""
    toggle = tmp_path / "toggle.bnet"
    toggle.write_text("a, !b\nb, !a\n")
    r = run("fixed-points", str(toggle), "--format", "json", cwd=tmp_path)  # fvs
    found = [a["nodes"] for a in json.loads(r.stdout)["attractors"]]
    assert found == [{"a": 0, "b": 1}, {"a": 1, "b": 0}]
    wide = tmp_path / "wide.bnet"
    wide.write_text("".join(f"x{i}, x{i}\n" for i in range(40)))
    r = run("fixed-points", str(wide), "--count", cwd=tmp_path)  # clingo, then aeon's count
    assert r.stdout.strip().splitlines()[-1] == str(2**40)
    r = run("trap-spaces", str(toggle), "--kind", "max", "--count", cwd=tmp_path)  # clingo
    assert r.stdout.strip().splitlines()[-1] == "2"
    r = run("attractors", str(toggle), "--update", "sync", "--count", cwd=tmp_path)
    assert r.stdout.strip().splitlines()[-1] == "3"  # the 00 <-> 11 cycle and two fixed points
    model = corpus_model("pbn_irons_yeast.bnet")  # 18 free nodes: beyond the explicit search
    found = {}
    for engine in ("aeon", "biobalm"):
        r = run("attractors", str(model), "--engine", engine, "--format", "json", cwd=tmp_path)
        found[engine] = json.loads(r.stdout)["attractors"]
    assert found["aeon"] == found["biobalm"]
    assert len(found["aeon"]) == int(COUNTS[model.name]["async_attractors"])
    assert found["aeon"][0]["kind"] == "cyclic" and found["aeon"][0]["size"] > 1000


def test_python_of_the_tests_is_the_one_pip_installed_into():
    """The interpreter running the tests has the console script beside it (a venv's bin/)."""
    assert Path(cli_command()[0]).parent == Path(sys.executable).parent
