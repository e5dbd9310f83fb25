"""The vendored test corpus (tests/corpus) is what its MANIFEST says, every model reads, and the
copies equal the full bench corpus's files where that corpus is present."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter

import pytest

from dormnet import read_bnet
from dormnet.io.sbml import read_sbml

from .conftest import (
    CORPUS,
    COUNTS,
    FULL,
    VENDORED,
    VENDORED_MAX_NODES,
    corpus_params,
    vendored_manifest,
)

MANIFEST = vendored_manifest()


def test_manifest_lists_every_vendored_file_once():
    listed = [r["file"] for r in MANIFEST]
    assert [f for f, k in Counter(listed).items() if k > 1] == []
    on_disk = sorted(
        f"{p.parent.name}/{p.name}" for sub in ("models", "sbml") for p in (CORPUS / sub).iterdir()
    )
    assert sorted(listed) == on_disk


@pytest.mark.parametrize("row", MANIFEST, ids=[r["file"] for r in MANIFEST])
def test_vendored_file_matches_its_manifest_row(row):
    path = CORPUS / row["file"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == row["sha256"]
    assert row["repository"].startswith("https://github.com/")
    assert row["source_path"] and row["source_commit"] and row["licence"]
    if row["kind"] == "bnet":
        net = read_bnet(path)
        assert len(net.nodes) == int(row["nodes"])
        assert len(net.inputs) == int(row["inputs"])
        assert row["file"].removeprefix("models/") in COUNTS  # every model has its counts
    else:
        bnet = CORPUS / "models" / (path.stem + ".bnet")
        assert bnet.is_file()  # each SBML file has its BNET, for the import test
        assert len(read_sbml(path).nodes) == int(row["nodes"])


def test_default_corpus_params_are_the_vendored_models_up_to_the_cap():
    """The default run's parameters: every vendored model up to the cap, none missing, none
    twice; the ones above it are slow (the parameter list is never silently empty)."""
    for cap in (11, 32, 40, VENDORED_MAX_NODES):
        params = corpus_params(cap)
        fast = [p.values[0] for p in params if not p.marks]
        assert fast == [m.path for m in VENDORED if m.nodes <= cap]
        assert len(set(fast)) == len(fast) > 0
        assert all(any(m.name == "slow" for m in p.marks) for p in params if p.marks)
    assert len(VENDORED) == 45
    assert max(m.nodes for m in VENDORED) == VENDORED_MAX_NODES


def test_counts_table_is_the_full_corpus_subset():
    with (CORPUS / "counts.tsv").open() as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert sorted(r["model"] for r in rows) == sorted(m.name for m in VENDORED)


@pytest.mark.slow
@pytest.mark.needs_full_corpus
def test_vendored_files_equal_the_full_corpus():
    assert FULL is not None
    differ = [
        r["file"]
        for r in MANIFEST
        if (CORPUS / r["file"]).read_bytes() != (FULL / r["file"]).read_bytes()
    ]
    assert differ == []
    with (FULL / "counts.tsv").open() as fh:
        full = {r["model"]: r for r in csv.DictReader(fh, delimiter="\t")}
    with (CORPUS / "counts.tsv").open() as fh:
        ours = list(csv.DictReader(fh, delimiter="\t"))
    assert all(full[r["model"]] == r for r in ours)
