"""Exhaustive search over the state space: the test oracle, and synchronous attractors.

Every state of the free nodes is enumerated, so this is for small networks (the oracle is used up
to ~12 nodes; synchronous attractors up to :data:`MAX_SYNC_FREE` free nodes, vectorised with numpy).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Literal

from ..expr import evaluate
from ..network import BooleanNetwork
from ..spaces import State, Subspace

__all__ = ["async_attractors", "fixed_points", "successor", "sync_attractors", "trap_spaces"]

Bit = Literal[0, 1]
#: the values of a node, typed as such: product(BITS, ...) yields states, not tuples of int
BITS: tuple[Bit, Bit] = (0, 1)


def successor(net: BooleanNetwork, state: State) -> State:
    """The synchronous successor of a state."""
    return {n: evaluate(net.rule(n).expr, state) for n in net.nodes}


def all_states(nodes: list[str]) -> Iterable[State]:
    for bits in itertools.product(BITS, repeat=len(nodes)):
        yield dict(zip(nodes, bits))


def fixed_points(net: BooleanNetwork) -> list[State]:
    """All states with f(x) = x."""
    nodes = list(net.nodes)
    return [s for s in all_states(nodes) if successor(net, s) == s]


def _is_trap(net: BooleanNetwork, space: Subspace) -> bool:
    free = [n for n in net.nodes if n not in space]
    for bits in itertools.product(BITS, repeat=len(free)):
        s = dict(space)
        s.update(zip(free, bits))
        for n, v in space.items():
            if evaluate(net.rule(n).expr, s) != v:
                return False
    return True


def trap_spaces(net: BooleanNetwork, kind: str = "min") -> list[Subspace]:
    """All, minimal or maximal (non-trivial) trap spaces, by checking every one of 3^n subspaces."""
    nodes = list(net.nodes)
    traps: list[Subspace] = []
    values: tuple[Bit | None, ...] = (*BITS, None)
    for vals in itertools.product(values, repeat=len(nodes)):
        space = {n: v for n, v in zip(nodes, vals) if v is not None}
        if _is_trap(net, space):
            traps.append(space)
    if kind == "all":
        return traps

    def inside(a: Subspace, b: Subspace) -> bool:
        return all(a.get(k) == v for k, v in b.items())

    if kind == "min":
        return [a for a in traps if not any(b != a and inside(b, a) for b in traps)]
    nontrivial = [a for a in traps if a]
    return [a for a in nontrivial if not any(b != a and inside(a, b) for b in nontrivial)]


def async_attractors(net: BooleanNetwork) -> list[list[State]]:
    """Terminal strongly connected components of the fully asynchronous state graph."""
    import networkx as nx

    nodes = list(net.nodes)
    g: nx.DiGraph[tuple[Bit, ...]] = nx.DiGraph()
    for s in all_states(nodes):
        key = tuple(s[n] for n in nodes)
        g.add_node(key)
        for i, n in enumerate(nodes):
            v = evaluate(net.rule(n).expr, s)
            if v != s[n]:
                g.add_edge(key, (*key[:i], v, *key[i + 1 :]))
    cond = nx.condensation(g)
    out: list[list[State]] = []
    for c in cond.nodes:
        if cond.out_degree(c) == 0:
            members: list[tuple[Bit, ...]] = sorted(cond.nodes[c]["members"])
            out.append([dict(zip(nodes, m)) for m in members])
    return out


def sync_attractors(net: BooleanNetwork) -> list[list[State]]:
    """Cycles of the synchronous map (fixed points are cycles of length 1), each in cycle order."""
    nodes = list(net.nodes)
    seen: dict[tuple[Bit, ...], int] = {}
    out: list[list[State]] = []
    for s in all_states(nodes):
        key = tuple(s[n] for n in nodes)
        path = []
        while key not in seen:
            seen[key] = -1
            path.append(key)
            key = tuple(successor(net, dict(zip(nodes, key))).values())
        if key in path:
            cycle = path[path.index(key) :]
            out.append([dict(zip(nodes, c)) for c in cycle])
    return out
