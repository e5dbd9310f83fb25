"""The explicit state graph (:mod:`dormnet._engines.bitsets`) against the brute-force oracle:
its sets, its reachability, its attractors inside subspaces, and its budget."""

from __future__ import annotations

from collections import Counter
from unittest import mock

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dormnet import BooleanNetwork, BudgetExceeded
from dormnet._engines import brute
from dormnet._engines.bitsets import StateGraph, columns, explicit_attractors
from dormnet._engines.percolation import percolator
from dormnet.attractors import count_attractors
from dormnet.perturb import clamp
from dormnet.spaces import freeze

from .test_attractors import oracle, random_networks

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(st.integers(0, 7))
def test_columns_hold_each_nodes_value_in_each_state(k):
    full, ones = columns(k)
    assert full == (1 << (1 << k)) - 1
    for j, col in enumerate(ones):
        assert [(col >> s) & 1 for s in range(1 << k)] == [(s >> j) & 1 for s in range(1 << k)]


@st.composite
def networks_and_subspaces(draw, max_nodes: int = 6):
    """A random network and a subspace: some nodes fixed to values."""
    net = draw(random_networks(max_nodes=max_nodes))
    fixed = draw(st.dictionaries(st.sampled_from(list(net.nodes)), st.sampled_from([0, 1])))
    return net, fixed


def _graph(net: BooleanNetwork, fixed: dict) -> StateGraph:
    perc = percolator(net)
    return StateGraph(perc.on, perc.space_of(fixed), len(net.nodes))


def _state_graph(net: BooleanNetwork) -> nx.DiGraph:
    """The oracle's asynchronous state graph, states as integers (bit i = node i)."""
    nodes = list(net.nodes)
    g = nx.DiGraph()
    for s in brute.all_states(nodes):
        key = sum(1 << i for i, n in enumerate(nodes) if s[n])
        g.add_node(key)
        succ = brute.successor(net, s)
        for i, n in enumerate(nodes):
            if succ[n] != s[n]:
                g.add_edge(key, key ^ (1 << i))
    return g


@given(networks_and_subspaces(), st.data())
@SETTINGS
def test_forward_and_backward_reach_what_the_state_graph_reaches(case, data):
    """Reachability inside a subspace is that of the network with the subspace's nodes
    clamped (only the free nodes move), from any set of states."""
    net, fixed = case
    graph = _graph(net, fixed)
    nodes = list(net.nodes)
    whole = _state_graph(clamp(net, fixed))
    inside = [s for s in whole if all((s >> nodes.index(n)) & 1 == v for n, v in fixed.items())]
    oracle_graph = whole.subgraph(inside)
    local = data.draw(st.sets(st.integers(0, (1 << len(graph.free)) - 1), max_size=4))
    x = sum(1 << s for s in local)
    start = {graph.state(s) for s in local}
    fwd = set().union(start, *(nx.descendants(oracle_graph, s) for s in start))
    bwd = set().union(start, *(nx.ancestors(oracle_graph, s) for s in start))
    assert set(graph.members(graph.forward(x))) == fwd
    assert set(graph.members(graph.backward(x))) == bwd


@given(networks_and_subspaces())
@SETTINGS
def test_attractors_inside_a_subspace_are_those_of_the_clamped_network(case):
    """Every attractor, each once, with its subspace, size and states: the oracle's attractors
    of the network with the subspace's nodes clamped."""
    net, fixed = case
    nodes = list(net.nodes)
    perc = percolator(net)
    found = explicit_attractors(perc.on, perc.space_of(fixed), nodes)
    ref = oracle(clamp(net, fixed))
    got = Counter(
        frozenset(freeze({n: (st >> i) & 1 for i, n in enumerate(nodes)}) for _, st in cubes)
        for _, _, cubes in found
    )
    assert got == ref
    for space, size, cubes in found:
        assert size == len(cubes)
        states = [{n: (st >> i) & 1 for i, n in enumerate(nodes)} for _, st in cubes]
        # the smallest subspace holding the attractor: what all its states share
        assert space == {n: v for n, v in states[0].items() if all(s[n] == v for s in states)}


def test_a_limit_and_a_state_cap():
    """Hand-checked: two inputs, and x = !x where a: four attractors, two of them fixed points
    (a = 0), two 2-state cycles (a = 1); a limit takes fixed points first; past the state cap
    the states are not listed."""
    net = BooleanNetwork({"a": "a", "b": "b", "x": "a & !x | !a & 0"})
    on = percolator(net).on
    nodes = list(net.nodes)
    found = explicit_attractors(on, (0, 0), nodes)
    assert sorted((sorted(s.items()), size) for s, size, _ in found) == [
        ([("a", 0), ("b", 0), ("x", 0)], 1),
        ([("a", 0), ("b", 1), ("x", 0)], 1),
        ([("a", 1), ("b", 0)], 2),
        ([("a", 1), ("b", 1)], 2),
    ]
    assert [size for _, size, _ in explicit_attractors(on, (0, 0), nodes, limit=3)] == [1, 1, 2]
    assert [c is None for *_, c in explicit_attractors(on, (0, 0), nodes, state_cap=1)] == [
        False,
        False,
        True,
        True,
    ]


def test_a_budget_stops_the_search_and_the_portfolio_answers_anyway():
    """A long cycle (a ring of eight nodes, one negative arc: a cycle through 16 states) needs
    many reachability steps; a small budget stops the explicit search, and ``auto`` then answers
    with a solver, the same count."""
    ring = {f"r{i}": f"r{i - 1}" for i in range(1, 8)} | {"r0": "!r7"}
    net = BooleanNetwork(ring)
    graph = StateGraph(percolator(net).on, (0, 0), len(net), budget=10_000)
    with pytest.raises(BudgetExceeded, match="explicit attractor search"):
        graph.attractors()
    unlimited = StateGraph(percolator(net).on, (0, 0), len(net))
    points, cyclic = unlimited.attractors()
    assert points == 0
    assert [x.bit_count() for x in cyclic] == [16]
    assert unlimited.spent > 10_000

    from dormnet._engines import asynchronous

    with mock.patch.object(asynchronous, "BUDGET", 10_000):
        assert count_attractors(net) == 1


def test_many_parts_each_with_a_cycle_give_up_before_searching():
    """Twelve inputs times a cycle: 4,096 cyclic attractors, each found by three reachabilities
    at least over all 2^16 states, more than the budget: the search gives up after the fixed
    points and the count of parts, before its first pivot."""
    from dormnet._engines.bitsets import BUDGET

    rules = {f"u{i}": f"u{i}" for i in range(12)} | {"a": "!d", "b": "a", "c": "b", "d": "c"}
    net = BooleanNetwork(rules)
    graph = StateGraph(percolator(net).on, (0, 0), len(net), BUDGET)
    assert graph.parts(graph.full) == 4096
    with (
        mock.patch.object(StateGraph, "forward", side_effect=AssertionError("searched")),
        pytest.raises(BudgetExceeded),
    ):
        graph.attractors()
    assert count_attractors(net) == 4096  # by a solver
