"""Shared fixtures: the bench corpus with a size cap (biobalm style) and the --runslow switch."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# the corpus lives in shared/ beside the checkout (as in CI); DORMNET_SHARED overrides
SHARED = Path(os.environ.get("DORMNET_SHARED", ROOT.parent / "shared"))
BENCH = SHARED / "bench"
MODELS = BENCH / "models"
DATA = Path(__file__).resolve().parent / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", help="run tests marked slow")
    parser.addoption(
        "--networksize",
        type=int,
        default=40,
        help="largest corpus model (nodes) used by the default cross-checks",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def corpus() -> list[tuple[str, int]]:
    """(file name, node count) of every corpus model, smallest first; empty if the corpus is absent."""
    manifest = BENCH / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    with manifest.open() as fh:
        rows = [(r["file"], int(r["nodes"])) for r in csv.DictReader(fh, delimiter="\t")]
    return sorted(rows, key=lambda r: (r[1], r[0]))


def corpus_params(cap: int, slow_cap: int | None = None) -> list:
    """pytest params over the corpus: models up to ``cap`` nodes run by default, larger ones are slow."""
    out = []
    for name, n in corpus():
        if slow_cap is not None and n > slow_cap:
            continue
        marks = [pytest.mark.slow] if n > cap else []
        out.append(pytest.param(MODELS / name, id=name.removesuffix(".bnet"), marks=marks))
    return out


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict) -> None:
    import dormnet

    doctest_namespace["dormnet"] = dormnet
