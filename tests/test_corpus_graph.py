"""Interaction-graph signs agree with pyboolnet's on the corpus (size-capped; the rest is slow)."""

from __future__ import annotations

import pytest

from dormnet import read_bnet

from .compare import assert_same_enumeration
from .conftest import corpus_params
from .peers import BUDGET, pyboolnet_signed_edges, run_peer, slow_marks


def params() -> list:
    out = []
    for p in corpus_params(cap=40):
        (path,) = p.values
        marks = list(p.marks) + (slow_marks("pyboolnet", path) if path is not None else [])
        out.append(pytest.param(path, id=p.id, marks=marks))
    return out


@pytest.mark.peer
@pytest.mark.parametrize("path", params())
def test_signs_agree_with_pyboolnet(path):
    net = read_bnet(path)
    ours = list(net.interaction_graph().edges(data="sign"))
    theirs = run_peer(
        pyboolnet_signed_edges, str(path), timeout=BUDGET["pyboolnet"], name="pyboolnet"
    )
    assert_same_enumeration(ours, theirs, what="signed edges", who="pyboolnet")
