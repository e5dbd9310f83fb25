"""Interaction-graph summaries, circuits and export formats."""

from __future__ import annotations

import json

import networkx as nx

from dormnet import BooleanNetwork
from dormnet.graph import (
    circuits,
    format_graph,
    graph_summary,
    outputs,
    strongly_connected_components,
)

# Thomas' rules in miniature: a positive 2-circuit (toggle), a negative 3-circuit, an input,
# an output
NET = BooleanNetwork(
    {
        "u": "u",
        "a": "!b | u",
        "b": "!a",
        "x": "!z",
        "y": "x",
        "z": "y",
        "out": "a & x",
    }
)


def test_circuits_signs_and_limit():
    cs, complete = circuits(NET)
    assert complete
    assert sorted((c.nodes, c.sign) for c in cs) == [
        (("a", "b"), "positive"),
        (("x", "y", "z"), "negative"),
    ]
    cs, complete = circuits(NET, limit=1)
    assert len(cs) == 1 and not complete
    cs, _ = circuits(NET, include_inputs=True)
    assert (("u",), "positive") in [(c.nodes, c.sign) for c in cs]


def test_summary_inputs_outputs_components():
    s = graph_summary(NET)
    assert s["inputs"] == ["u"]
    assert s["outputs"] == ["out"] == list(outputs(NET))
    assert s["in_degree"]["a"] == 2
    assert strongly_connected_components(NET) == [["x", "y", "z"], ["u"], ["a", "b"]] or sorted(
        map(tuple, strongly_connected_components(NET))
    ) == [("a", "b"), ("u",), ("x", "y", "z")]
    assert s["circuits"] == {
        "positive": 1,
        "negative": 1,
        "dual": 0,
        "complete": True,
        "limit": 10000,
    }


def test_exports_are_parseable():
    g = nx.parse_graphml(format_graph(NET, "graphml"))
    assert g.edges["b", "a"]["sign"] == "negative"
    data = json.loads(format_graph(NET, "json"))
    assert {(e["source"], e["target"], e["sign"]) for e in data["edges"]} == set(
        NET.interaction_graph().edges(data="sign")
    )
    sif = format_graph(NET, "sif").splitlines()
    assert "b\tinhibits\ta" in sif and "u\tactivates\ta" in sif
    dot = format_graph(NET, "dot")
    assert dot.startswith("digraph") and '"b" -> "a" [arrowhead=tee' in dot
