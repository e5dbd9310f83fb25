"""Structure of the interaction graph: inputs, outputs, components, feedback circuits, exports.

The graph itself is :meth:`BooleanNetwork.interaction_graph` (networkx, signed edges); this
module summarises and writes it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from .network import BooleanNetwork

__all__ = [
    "GRAPH_FORMATS",
    "Circuit",
    "circuits",
    "format_graph",
    "graph_summary",
    "outputs",
    "strongly_connected_components",
]

from .choices import GRAPH_FORMATS, GraphFormat


@dataclass(frozen=True)
class Circuit:
    """A feedback circuit: its nodes in order, and its sign (the product of the edge signs)."""

    nodes: tuple[str, ...]
    sign: Literal["positive", "negative", "dual"]


def outputs(net: BooleanNetwork) -> tuple[str, ...]:
    """Nodes that regulate no other node.

    Parameters
    ----------
    net : BooleanNetwork

    Returns
    -------
    tuple of str
        In node order.

    Examples
    --------
    >>> outputs(BooleanNetwork({"a": "a", "b": "a"}))
    ('b',)
    """
    g = net.interaction_graph()
    return tuple(
        n for n in net.nodes if all(t == n for t in g.successors(n)) and not net.rule(n).is_input
    )


def strongly_connected_components(net: BooleanNetwork) -> list[list[str]]:
    """Non-trivial strongly connected components (more than one node, or a self-loop), largest
    first.

    Parameters
    ----------
    net : BooleanNetwork

    Returns
    -------
    list of lists of str

    Examples
    --------
    >>> strongly_connected_components(BooleanNetwork({"a": "!b", "b": "a", "c": "a"}))
    [['a', 'b']]
    """
    import networkx as nx

    g = net.interaction_graph()
    order = {n: i for i, n in enumerate(net.nodes)}
    out = []
    for comp in nx.strongly_connected_components(g):
        if len(comp) > 1 or any(g.has_edge(n, n) for n in comp):
            out.append(sorted(comp, key=order.__getitem__))
    out.sort(key=lambda c: (-len(c), order[c[0]]))
    return out


def circuits(
    net: BooleanNetwork,
    *,
    limit: int | None = 10_000,
    max_length: int | None = None,
    include_inputs: bool = False,
) -> tuple[list[Circuit], bool]:
    """Feedback circuits of the interaction graph, at most ``limit`` of them.

    Parameters
    ----------
    limit : int or None
        Stop after this many circuits (``None``: all; their number can grow exponentially).
    max_length : int or None
        Only circuits of at most this many nodes.
    include_inputs : bool
        Count the self-loop of an input node (``x, x``) as a circuit.

    Returns
    -------
    (list of Circuit, bool)
        The circuits and whether the enumeration was complete.

    Examples
    --------
    >>> net = BooleanNetwork({"a": "!b", "b": "a", "c": "c & a"})
    >>> cs, complete = circuits(net)
    >>> sorted((c.nodes, c.sign) for c in cs), complete
    ([(('a', 'b'), 'negative'), (('c',), 'positive')], True)
    """
    import networkx as nx

    g = net.interaction_graph()
    if not include_inputs:
        g.remove_edges_from([(n, n) for n in net.inputs])
    out: list[Circuit] = []
    complete = True
    for cycle in nx.simple_cycles(g, length_bound=max_length):
        if limit is not None and len(out) >= limit:
            complete = False
            break
        signs = [g.edges[cycle[i], cycle[(i + 1) % len(cycle)]]["sign"] for i in range(len(cycle))]
        if "dual" in signs:
            sign = "dual"
        else:
            sign = "negative" if signs.count("negative") % 2 else "positive"
        # rotate so the circuit starts at its first node in file order
        order = {n: i for i, n in enumerate(net.nodes)}
        k = min(range(len(cycle)), key=lambda i: order[cycle[i]])
        out.append(Circuit(tuple(cycle[k:] + cycle[:k]), sign))  # type: ignore[arg-type]
    return out, complete and max_length is None


def graph_summary(net: BooleanNetwork, *, circuit_limit: int | None = 10_000) -> dict:
    """Numbers a curator looks at first: sizes, inputs, outputs, degrees, components, circuits.

    Parameters
    ----------
    net : BooleanNetwork
    circuit_limit : int, optional
        Stop enumerating feedback circuits after this many (``None``: all).

    Returns
    -------
    dict
        ``nodes``, ``edges``, ``inputs``, ``outputs``, ``edge_signs``, degrees,
        ``strongly_connected_components`` and ``circuits`` (counts by sign, and whether the
        enumeration was complete).
    """
    g = net.interaction_graph()
    cs, complete = circuits(net, limit=circuit_limit)
    sccs = strongly_connected_components(net)
    return {
        "nodes": len(net),
        "edges": g.number_of_edges(),
        "inputs": list(net.inputs),
        "constants": net.constants,
        "outputs": list(outputs(net)),
        "in_degree": {n: g.in_degree(n) for n in net.nodes},
        "max_in_degree": max((g.in_degree(n) for n in net.nodes), default=0),
        "edge_signs": {
            s: sum(1 for *_, d in g.edges(data="sign") if d == s)
            for s in ("positive", "negative", "dual")
        },
        "strongly_connected_components": sccs,
        "circuits": {
            "positive": sum(c.sign == "positive" for c in cs),
            "negative": sum(c.sign == "negative" for c in cs),
            "dual": sum(c.sign == "dual" for c in cs),
            "complete": complete,
            "limit": circuit_limit,
        },
    }


def format_graph(net: BooleanNetwork, fmt: GraphFormat) -> str:
    """The interaction graph as GraphML, SIF, Graphviz DOT or JSON (node-link) text.

    Parameters
    ----------
    net : BooleanNetwork
    fmt : {"graphml", "sif", "dot", "json"}

    Returns
    -------
    str
        Edges carry their sign (``activates``/``inhibits``/``dual`` in SIF).

    Examples
    --------
    >>> print(format_graph(BooleanNetwork({"a": "!b", "b": "a"}), "sif"), end="")  # doctest: +NORMALIZE_WHITESPACE
    b	inhibits	a
    a	activates	b
    """
    import networkx as nx

    g = net.interaction_graph()
    for n in g.nodes:
        g.nodes[n]["kind"] = (
            "input"
            if net.rule(n).is_input
            else "constant"
            if net.rule(n).is_constant
            else "internal"
        )
    if fmt == "json":
        data = nx.node_link_data(g, edges="edges")
        return json.dumps(data, indent=1) + "\n"
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(g)) + "\n"
    if fmt == "sif":
        word = {"positive": "activates", "negative": "inhibits", "dual": "dual"}
        lines = [
            f"{s}\t{word[d]}\t{t}" for t in net.nodes for s, _, d in g.in_edges(t, data="sign")
        ]
        isolated = [n for n in net.nodes if g.degree(n) == 0]
        return "\n".join(lines + isolated) + "\n"
    if fmt == "dot":
        style = {
            "positive": 'arrowhead=normal, color="#1b7837"',
            "negative": 'arrowhead=tee, color="#b2182b"',
            "dual": 'arrowhead=odot, color="#555555"',
        }
        lines = ["digraph interaction_graph {", "  node [shape=box, style=rounded];"]
        for n in net.nodes:
            shape = ", shape=ellipse" if net.rule(n).is_input else ""
            lines.append(f'  "{n}" [label="{n}"{shape}];')
        for t in net.nodes:
            for s, _, d in g.in_edges(t, data="sign"):
                lines.append(f'  "{s}" -> "{t}" [{style[d]}];')
        lines.append("}")
        return "\n".join(lines) + "\n"
    raise ValueError(f"unknown graph format {fmt!r}; choose one of {', '.join(GRAPH_FORMATS)}")


def summary_text(summary: dict, label: str) -> str:
    """A :func:`graph_summary` as aligned lines for people (``dormnet info``).

    Parameters
    ----------
    summary : dict
        From :func:`graph_summary`.
    label : str
        The model's name or path, on the first line.

    Returns
    -------
    str
    """
    s = summary
    c = s["circuits"]
    top = sorted(s["in_degree"].items(), key=lambda kv: -kv[1])[:5]
    sccs = s["strongly_connected_components"]
    signs = s["edge_signs"]
    consts = ", ".join(f"{k}={v}" for k, v in s["constants"].items()) or "-"
    stopped = "" if c["complete"] else f" (stopped at the limit of {c['limit']}; raise it)"
    lines = [
        f"model        {label}",
        f"nodes        {s['nodes']}",
        f"edges        {s['edges']} ({signs['positive']} positive, {signs['negative']} negative, "
        f"{signs['dual']} dual)",
        f"inputs       {len(s['inputs'])}: {', '.join(s['inputs']) or '-'}",
        f"constants    {len(s['constants'])}: {consts}",
        f"outputs      {len(s['outputs'])}: {', '.join(s['outputs']) or '-'}",
        f"in-degree    max {s['max_in_degree']}; highest: "
        + ", ".join(f"{n} ({d})" for n, d in top),
        f"SCCs         {len(sccs)} non-trivial; largest has {len(sccs[0]) if sccs else 0} nodes",
        f"circuits     {c['positive']} positive, {c['negative']} negative, {c['dual']} dual"
        + stopped,
    ]
    return "\n".join(lines) + "\n"
