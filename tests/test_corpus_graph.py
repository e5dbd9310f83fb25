"""Interaction-graph signs agree with pyboolnet's on the corpus (size-capped; the rest is slow)."""

from __future__ import annotations

import pytest

from dormnet import read_bnet

from .conftest import corpus_params
from .peers import pyboolnet_signed_edges, run_peer


@pytest.mark.peer
@pytest.mark.parametrize("path", corpus_params(cap=40))
def test_signs_agree_with_pyboolnet(path):
    pytest.importorskip("pyboolnet")
    net = read_bnet(path)
    ours = {(s, t, d) for s, t, d in net.interaction_graph().edges(data="sign")}
    theirs = run_peer(pyboolnet_signed_edges, str(path), timeout=60, name="pyboolnet")
    assert ours == theirs
