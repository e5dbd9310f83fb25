"""Shared fixtures: the test corpus with a size cap (biobalm style), --runslow, strict skips, and
the check that the tests run against the installed package.

Corpus. The models the default run needs are vendored in ``tests/corpus`` (every bench model of
up to 60 nodes, six published SBML-qual files; ``tests/corpus/README.md`` names their sources and
licences), so a fresh clone passes its tests anywhere. The full bench corpus (101 models) is
optional: ``$DORMNET_CORPUS``, else ``../shared/bench`` beside the checkout when present. Its
other models are ``slow``; without it, each corpus-parametrised test has one
``full-corpus-absent`` case that ``--runslow`` reports as skipped with the reason, so a missing
corpus is never an empty, silently green parameter list.

Skips. ``tests/skips.py``: under ``CI=true`` any skip but the ``slow`` marker and a documented
time-out fails.

Installed package. The README's test command installs dormnet (not editable) and runs pytest
with ``--import-mode=importlib`` (pyproject.toml), so the source tree is not put on
``sys.path``; :func:`_installed_dormnet` fails the run if ``import dormnet`` would still find the
source tree of a checkout that is not installed editable, so a wheel that lost package data
(``_engines/*.lp``, ``dormnet.networks``) cannot pass.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest

from .skips import SLOW, pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401

pytest_plugins = ["pytester"]

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"
#: the vendored corpus (always present)
CORPUS = TESTS / "corpus"
#: the default --networksize: the largest vendored model
VENDORED_MAX_NODES = 60


def _full_corpus() -> Path | None:
    """The full bench corpus: $DORMNET_CORPUS, $DORMNET_SHARED/bench, or ../shared/bench."""
    env = os.environ.get("DORMNET_CORPUS")
    if env:
        path = Path(env)
        if not (path / "MANIFEST.tsv").is_file():
            raise pytest.UsageError(f"DORMNET_CORPUS={env}: no MANIFEST.tsv there")
        return path
    shared = os.environ.get("DORMNET_SHARED")
    for path in ([Path(shared) / "bench"] if shared else []) + [ROOT.parent / "shared" / "bench"]:
        if (path / "MANIFEST.tsv").is_file():
            return path
    return None


#: the full corpus, or None (then only the vendored models run; the rest is reported absent)
FULL = _full_corpus()


@dataclass(frozen=True)
class Model:
    name: str
    nodes: int
    path: Path


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def vendored_manifest() -> list[dict[str, str]]:
    """The rows of ``tests/corpus/MANIFEST.tsv`` (one per vendored file)."""
    return _read_tsv(CORPUS / "MANIFEST.tsv")


def _models() -> tuple[list[Model], list[Model]]:
    """(vendored models, full-corpus models not vendored), smallest first."""
    vendored = [
        Model(Path(r["file"]).name, int(r["nodes"]), CORPUS / r["file"])
        for r in vendored_manifest()
        if r["kind"] == "bnet"
    ]
    if not vendored:
        raise RuntimeError(f"{CORPUS}: the vendored corpus is empty")
    names = {m.name for m in vendored}
    others = []
    if FULL is not None:
        others = [
            Model(r["file"], int(r["nodes"]), FULL / "models" / r["file"])
            for r in _read_tsv(FULL / "MANIFEST.tsv")
            if r["file"] not in names
        ]

    def key(m: Model) -> tuple[int, str]:
        return (m.nodes, m.name)

    return sorted(vendored, key=key), sorted(others, key=key)


VENDORED, OTHERS = _models()
NODES = {m.name: m.nodes for m in VENDORED + OTHERS}


def _counts() -> dict[str, dict[str, str]]:
    """counts.tsv rows by model file name: the full corpus's, and the vendored ones."""
    rows = _read_tsv(FULL / "counts.tsv") if FULL is not None else []
    rows += _read_tsv(CORPUS / "counts.tsv")
    return {r["model"]: r for r in rows}


#: exact counts (fixed points, minimal trap spaces, async attractors) of the corpus models
COUNTS = _counts()

ABSENT = (
    "full corpus absent: set DORMNET_CORPUS to the bench corpus (MANIFEST.tsv, models/, sbml/) "
    "or place it in ../shared/bench; see tests/corpus/README.md"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", help="run tests marked slow")
    parser.addoption(
        "--networksize",
        type=int,
        default=VENDORED_MAX_NODES,
        help="largest corpus model (nodes) a default cross-check uses; larger ones are slow "
        f"(default {VENDORED_MAX_NODES}, the largest vendored model)",
    )


#: --networksize, set in pytest_configure (before the test modules are imported and parametrised)
_OPTIONS: dict[str, int] = {}


def _networksize() -> int:
    return _OPTIONS.get("networksize", VENDORED_MAX_NODES)


def cli_command() -> list[str]:
    """The installed console script ``dormnet`` (beside the interpreter), for subprocesses.

    Returns
    -------
    list of str
        The command; run it with ``cwd`` outside the source tree.
    """
    script = Path(sys.executable).parent / "dormnet"
    if not script.is_file():
        raise FileNotFoundError(f"{script}: no console script; install the package first")
    return [str(script)]


def corpus_model(name: str) -> Path:
    """The path of a vendored corpus model (or SBML file) by file name.

    Parameters
    ----------
    name : str
        e.g. ``"pbn_faure_cellcycle.bnet"`` or ``"bbm_003_mammalian_cell_cycle.sbml"``.

    Returns
    -------
    Path
        The vendored file; a missing one is an error, never a skip.
    """
    sub = "sbml" if name.endswith(".sbml") else "models"
    path = CORPUS / sub / name
    if not path.is_file():
        raise FileNotFoundError(f"{path}: not in the vendored corpus (tests/corpus/MANIFEST.tsv)")
    return path


def _absent_param() -> pytest.param:
    return pytest.param(None, id="full-corpus-absent", marks=[pytest.mark.slow, _NEEDS_FULL])


_NEEDS_FULL = pytest.mark.needs_full_corpus


def corpus_params(cap: int, slow_cap: int | None = None) -> list:
    """pytest params over the corpus models, smallest first.

    Vendored models of up to ``cap`` nodes (and ``--networksize``) run by default; every other
    model (larger, or only in the full corpus) is ``slow``, and models above ``slow_cap`` are left
    out. Without the full corpus, its models are one ``full-corpus-absent`` param that
    ``--runslow`` reports as skipped.

    Parameters
    ----------
    cap : int
        Largest model (nodes) of the default run.
    slow_cap : int, optional
        Largest model (nodes) at all.

    Returns
    -------
    list
        ``pytest.param(path, id=...)`` items; the path is ``None`` in the absent-corpus param.
    """
    limit = min(cap, _networksize())
    fast = [m for m in VENDORED if m.nodes <= limit]
    if not fast:
        raise RuntimeError(f"no vendored corpus model has at most {limit} nodes")
    slow = [m for m in VENDORED + OTHERS if m not in fast]
    slow = [m for m in slow if slow_cap is None or m.nodes <= slow_cap]
    out = [pytest.param(m.path, id=m.name.removesuffix(".bnet")) for m in fast]
    out += [
        pytest.param(m.path, id=m.name.removesuffix(".bnet"), marks=[pytest.mark.slow])
        for m in sorted(slow, key=lambda m: (m.nodes, m.name))
    ]
    if FULL is None and (slow_cap is None or slow_cap > VENDORED_MAX_NODES):
        out.append(_absent_param())
    return out


def sbml_params(slow: tuple[str, ...] = ()) -> list:
    """pytest params over the published SBML-qual files: the vendored ones by default (except
    those whose names start with a prefix in ``slow``), the full corpus's others ``slow``."""
    vendored = sorted((CORPUS / "sbml").glob("*.sbml"))
    names = {p.name for p in vendored}
    others = []
    if FULL is not None:
        others = [p for p in sorted((FULL / "sbml").glob("*.sbml")) if p.name not in names]
    out = [
        pytest.param(
            p, id=p.stem, marks=[pytest.mark.slow] if p in others or p.name.startswith(slow) else []
        )
        for p in vendored + others
    ]
    if FULL is None:
        out.append(_absent_param())
    return out


def sbml_bnet(path: Path) -> Path:
    """The BNET file of the corpus model a published SBML file belongs to."""
    for model in VENDORED + OTHERS:
        if model.name == path.stem + ".bnet":
            return model.path
    raise FileNotFoundError(f"{path}: no BNET of the same name in the corpus")


def pytest_configure(config: pytest.Config) -> None:
    _OPTIONS["networksize"] = config.getoption("--networksize")
    _installed_dormnet()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    runslow = config.getoption("--runslow")
    skip_slow = pytest.mark.skip(reason=SLOW)
    absent = pytest.mark.skip(reason=ABSENT)
    for item in items:
        if "slow" in item.keywords and not runslow:
            item.add_marker(skip_slow)
        elif "needs_full_corpus" in item.keywords and FULL is None:
            item.add_marker(absent)


# --------------------------------------------------------------------------- installed package


def installed_distribution() -> tuple[metadata.Distribution, bool] | None:
    """dormnet's distribution as pip installed it, and whether it is editable; None if absent.

    Only a distribution with pip's ``RECORD`` counts: the ``dormnet.egg-info`` that a build
    leaves in the checkout would otherwise be found first when the checkout is on ``sys.path``.
    """
    for dist in metadata.distributions(name="dormnet"):
        if dist.read_text("RECORD") is None:
            continue
        direct = dist.read_text("direct_url.json")
        return dist, bool(direct and json.loads(direct).get("dir_info", {}).get("editable"))
    return None


def _installed_dormnet() -> None:
    """Fail the run unless ``import dormnet`` gives the installed package.

    A non-editable install must be imported from where pip put it (site-packages), not from the
    checkout's source tree; an editable install is its source tree, which is fine. Without any
    install, the package data and the console script are not tested: that fails too.
    """
    import dormnet

    where = Path(dormnet.__file__).resolve().parent
    found = installed_distribution()
    if found is None:
        raise pytest.UsageError(
            f"dormnet is not installed (imported from {where}): "
            "pip install '.[test]' first (the README's test command)"
        )
    dist, editable = found
    if editable:
        return
    installed = Path(str(dist.locate_file("dormnet"))).resolve()
    if where != installed:
        raise pytest.UsageError(
            f"dormnet is imported from {where}, but installed in {installed}: run the tests "
            "as the README does (.venv/bin/pytest, import mode importlib), not python -m pytest "
            "from the checkout, so that they test the installed package"
        )


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict) -> None:
    import dormnet

    doctest_namespace["dormnet"] = dormnet
