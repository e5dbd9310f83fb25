"""Attractor analysis on hand-checked networks, and every engine against the brute-force oracle."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dormnet import BooleanNetwork, BudgetExceeded, UnknownNodeError, read_bnet
from dormnet._engines import brute
from dormnet.attractors import (
    CubeStates,
    attractors,
    count_attractors,
    count_fixed_points,
    count_trap_spaces,
    fixed_points,
    percolate,
    trap_spaces,
)
from dormnet.spaces import freeze

from .compare import assert_same_enumeration

DATA = Path(__file__).parent / "data"


def fs(items):
    return {freeze(x) for x in items}


def test_toggle_switch_two_fixed_points_and_a_sync_cycle():
    # a = !b, b = !a: fixed points 01 and 10; synchronously 00 <-> 11 oscillate
    net = BooleanNetwork({"a": "!b", "b": "!a"})
    assert fixed_points(net) == [{"a": 0, "b": 1}, {"a": 1, "b": 0}]
    sync = attractors(net, update="sync")
    assert [(a.kind, a.size) for a in sync] == [
        ("cyclic", 2),
        ("fixed point", 1),
        ("fixed point", 1),
    ]
    assert sync[0].states == ({"a": 0, "b": 0}, {"a": 1, "b": 1})
    assert [a.kind for a in attractors(net)] == ["fixed point", "fixed point"]
    assert trap_spaces(net, kind="max") == [{"a": 0, "b": 1}, {"a": 1, "b": 0}]


def test_negative_self_loop_no_fixed_point_one_cyclic_attractor():
    # a = !a: no fixed point; the whole space {0, 1} is the only attractor and trap space
    net = BooleanNetwork({"a": "!a"})
    assert fixed_points(net) == []
    assert count_fixed_points(net) == 0
    [att] = attractors(net)
    assert (att.kind, att.space, att.size) == ("cyclic", {}, 2)
    assert trap_spaces(net) == [{}]
    assert trap_spaces(net, kind="max") == []  # the full space is trivial
    assert att.render(["a"]) == {"a": "*"}


def test_cascade_with_input_and_context():
    # u -> a -> b -| c: one fixed point per input value
    net = BooleanNetwork({"u": "u", "a": "u", "b": "a", "c": "!b"})
    assert fixed_points(net) == [{"u": 0, "a": 0, "b": 0, "c": 1}, {"u": 1, "a": 1, "b": 1, "c": 0}]
    assert fixed_points(net, clamps={"u": 1}) == [{"u": 1, "a": 1, "b": 1, "c": 0}]
    assert fixed_points(net, clamps={"a": 0, "u": 1}) == [{"u": 1, "a": 0, "b": 0, "c": 1}]
    assert percolate(net, {"u": 1}) == {"u": 1, "a": 1, "b": 1, "c": 0}
    assert count_attractors(net, update="mp") == 2
    with pytest.raises(UnknownNodeError, match="did you mean 'u'"):
        fixed_points(net, clamps={"uu": 1})


def test_motif_avoidant_attractor_is_found():
    net = read_bnet(DATA / "motif_avoidant.bnet")
    assert len(trap_spaces(net)) == 3
    atts = attractors(net)
    assert len(atts) == 4
    cyclic = [a for a in atts if a.kind == "cyclic"]
    assert len(cyclic) == 1 and cyclic[0].space == {"x0": 0} and cyclic[0].size == 3
    assert fs(cyclic[0].states) == fs(
        [{"x0": 0, "x1": 0, "x2": 0}, {"x0": 0, "x1": 1, "x2": 0}, {"x0": 0, "x1": 1, "x2": 1}]
    )


def test_counting_without_enumerating():
    net = BooleanNetwork({f"x{i}": f"x{i}" for i in range(45)})
    assert count_fixed_points(net) == 2**45
    assert count_trap_spaces(net, kind="max") == 90


def test_limit_and_timeout():
    net = BooleanNetwork({f"x{i}": f"x{i}" for i in range(20)})
    assert len(fixed_points(net, limit=7)) == 7
    assert len(trap_spaces(net, kind="all", limit=3)) == 3


def test_sync_refuses_too_many_free_nodes_with_a_clear_message():
    net = BooleanNetwork({f"x{i}": f"x{(i + 1) % 30}" for i in range(30)})
    with pytest.raises(BudgetExceeded, match="at most 24 free nodes; this network has 30"):
        attractors(net, update="sync")


# -- properties against the oracle ---------------------------------------------------------


@st.composite
def random_networks(draw, max_nodes: int = 5):
    n = draw(st.integers(1, max_nodes))
    names = [f"v{i}" for i in range(n)]
    rules = {}
    for v in names:
        k = draw(st.integers(0, min(3, n)))
        regs = draw(st.permutations(names))[:k]
        table = draw(st.lists(st.booleans(), min_size=2**k, max_size=2**k))
        terms = []
        for m, on in enumerate(table):
            if on:
                lits = [r if (m >> j) & 1 else "!" + r for j, r in enumerate(regs)]
                terms.append("(" + " & ".join(lits) + ")" if lits else "1")
        rules[v] = " | ".join(terms) if terms else "0"
    return BooleanNetwork(rules)


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(random_networks())
@SETTINGS
def test_fixed_points_and_trap_spaces_match_oracle(net):
    assert_same_enumeration(fixed_points(net), brute.fixed_points(net), what="fixed points")
    for s in fixed_points(net):
        assert brute.successor(net, s) == s
    for kind in ("min", "max", "all"):
        ours, ref = trap_spaces(net, kind=kind), brute.trap_spaces(net, kind)
        assert_same_enumeration(ours, ref, what=f"{kind} trap spaces")


@given(random_networks())
@SETTINGS
def test_async_and_sync_attractors_match_oracle(net):
    ours = [frozenset(freeze(s) for s in a.states) for a in attractors(net, update="async")]
    ref = [frozenset(freeze(s) for s in a) for a in brute.async_attractors(net)]
    assert_same_enumeration(ours, ref, what="asynchronous attractors")
    ours_sync = [tuple(freeze(s) for s in a.states) for a in attractors(net, update="sync")]
    ref_sync = [tuple(freeze(s) for s in a) for a in brute.sync_attractors(net)]

    # cycles compared up to rotation: normalise both to start at their smallest state
    def norm(c):
        k = min(range(len(c)), key=lambda i: sorted(c[i]))
        return c[k:] + c[:k]

    ours_sync, ref_sync = [norm(c) for c in ours_sync], [norm(c) for c in ref_sync]
    assert_same_enumeration(ours_sync, ref_sync, what="synchronous attractors")


@given(random_networks(), st.data())
@SETTINGS
def test_knockout_holds_node_at_zero_in_every_attractor(net, data):
    node = data.draw(st.sampled_from(net.nodes))
    for a in attractors(net, clamps={node: 0}):
        assert a.space.get(node) == 0


@given(random_networks(), st.data())
@SETTINGS
def test_asp_decoding_paths_agree(net, data):
    """The three ways of reading clingo's models (Python decoding of few models, numpy decoding
    of many, and clingo's public symbol-by-symbol API as the fallback) give the same rows, and
    masks, sorted as documented; clamps given as a dict or as bitmasks are the same query."""
    from dormnet._engines import asp

    engine = asp.AspEngine(net)
    node = data.draw(st.sampled_from(net.nodes))
    value = data.draw(st.integers(0, 1))
    i = net.nodes.index(node)
    for mode in ("fixed", "min", "max", "all"):
        chunks = engine._collect(mode, {node: value}, None, None)
        decoder = engine._decoder(mode)
        rows = decoder.rows(chunks)
        assert rows == sorted(rows)
        assert decoder.matrix(chunks).tolist() == rows
        public = []
        engine._run(
            mode,
            {node: value},
            lambda m: public.append(asp._block_public(m)) or True,
            None,
            public.__len__,
        )
        assert decoder.rows(public) == rows
        masks = engine.solve_masks(mode, (1 << i, value << i))
        assert masks == engine.solve_masks(mode, {node: value})
        assert masks == [
            (
                sum(1 << k for k, v in enumerate(r) if v >= 0),
                sum(1 << k for k, v in enumerate(r) if v == 1),
            )
            for r in rows
        ]
        assert all(r[i] == value for r in rows)


@given(random_networks(), st.data())
@SETTINGS
def test_support_constraints_keep_the_minimal_trap_spaces(net, data):
    """The redundant support constraints the screens add (a value a node can take is one its
    function can take) change no minimal trap space, with or without a clamp."""
    from dormnet._engines import asp

    plain, support = asp.AspEngine(net), asp.AspEngine(net, support=True)
    node = data.draw(st.sampled_from(net.nodes))
    for clamps in ({}, {node: data.draw(st.integers(0, 1))}):
        assert support.solve("min", clamps) == plain.solve("min", clamps)


def test_asp_numpy_decoding_of_many_models_matches_python_decoding():
    """Past NUMPY_FROM models the numpy decoder is used: 2^9 fixed points of 9 free nodes."""
    from dormnet._engines import asp

    net = BooleanNetwork({f"x{k}": f"x{k}" for k in range(9)} | {"y": "x0 & !x8"})
    engine = asp.AspEngine(net)
    chunks = engine._collect("fixed", None, None, None)
    assert len(chunks) == 512 >= asp.NUMPY_FROM
    decoder = engine._decoder("fixed")
    assert decoder.matrix(chunks).tolist() == decoder.rows(chunks)
    fps = fixed_points(net)
    assert fps == sorted(fps, key=lambda s: tuple(s[n] for n in net.nodes))
    assert all(s["y"] == (s["x0"] and not s["x8"]) for s in fps)


@given(random_networks())
@SETTINGS
def test_async_engines_agree_with_the_oracle(net):
    """Both exact asynchronous engines (minimal trap spaces + AEON; biobalm's succession
    diagram) give the oracle's attractors, states included."""
    ref = [frozenset(freeze(s) for s in a) for a in brute.async_attractors(net)]
    for engine in ("aeon", "biobalm"):
        got = attractors(net, update="async", engine=engine)
        ours = [frozenset(freeze(s) for s in a.states) for a in got]
        assert_same_enumeration(ours, ref, what=f"asynchronous attractors ({engine})")
        assert all(len(a.states) == a.size for a in got)


@pytest.mark.parametrize("engine", ["aeon", "biobalm"])
def test_motif_avoidant_attractor_is_found_by_each_engine(engine):
    net = read_bnet(DATA / "motif_avoidant.bnet")
    atts = attractors(net, engine=engine)
    assert len(atts) == 4
    cyclic = [a for a in atts if a.kind == "cyclic"]
    assert len(cyclic) == 1 and cyclic[0].space == {"x0": 0} and cyclic[0].size == 3


def test_unknown_async_engine_is_refused():
    with pytest.raises(ValueError, match="engine must be one of"):
        attractors(BooleanNetwork({"a": "!a"}), engine="nusmv")


@given(random_networks())
@SETTINGS
def test_trap_space_engine_with_and_without_explicit_search_agrees_with_the_oracle(net):
    """Small networks never reach the symbolic path through attractors(): call it directly,
    once listing small trap spaces explicitly and once searching all of them with AEON."""
    from dormnet._engines import aeon
    from dormnet._engines.percolation import Percolator

    nodes = list(net.nodes)
    ref = [frozenset(freeze(s) for s in a) for a in brute.async_attractors(net)]
    perc = Percolator(net)
    on = [perc.on[i] for i in range(len(nodes))]
    for on_primes in (on, None):
        found = aeon.async_attractors(net, trap_spaces(net), on_primes=on_primes)
        got = [
            frozenset(freeze(s) for s in CubeStates(tuple(nodes), tuple(cubes)))
            for _, _, cubes in found
        ]
        assert_same_enumeration(got, ref, what="asynchronous attractors (aeon engine)")


# -- the feedback-vertex-set engine of fixed points ------------------------------------------


@given(random_networks(max_nodes=7), st.data())
@SETTINGS
def test_fvs_fixed_points_match_clingo_and_the_oracle(net, data):
    """Bit-parallel enumeration over a feedback vertex set gives clingo's rows exactly (same
    order), the oracle's set, under a random clamp too; counts and limits agree."""
    from dormnet._engines.asp import AspEngine
    from dormnet._engines.fvs import FixedPointTable
    from dormnet.perturb import clamp

    node = data.draw(st.sampled_from(net.nodes))
    for ctx in ({}, {node: data.draw(st.integers(0, 1))}):
        table = FixedPointTable.build(net, ctx)
        assert table is not None  # at most 7 nodes: the feedback vertex set is small
        rows = table.rows()
        assert rows == AspEngine(net).solve_rows("fixed", ctx)
        oracle = brute.fixed_points(clamp(net, ctx))
        ours = [dict(zip(net.nodes, r)) for r in rows]
        assert_same_enumeration(ours, oracle, what="fixed points (feedback vertex set)")
        assert table.count() == len(oracle) == count_fixed_points(net, clamps=ctx)
        k = data.draw(st.integers(0, 3))
        some = table.rows(limit=k)
        assert len(some) == min(k, len(rows)) and some == sorted(some)
        assert all(r in rows for r in some)


@given(
    st.integers(2, 12).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=30),
        )
    )
)
@SETTINGS
def test_feedback_vertex_set_meets_every_cycle(graph):
    import networkx as nx

    from dormnet._engines.fvs import feedback_vertex_set

    n, edges = graph
    succ = [set() for _ in range(n)]
    pred = [set() for _ in range(n)]
    for a, b in edges:
        succ[a].add(b)
        pred[b].add(a)
    fvs = feedback_vertex_set([set(s) for s in succ], [set(p) for p in pred], cap=n)
    assert fvs is not None and len(set(fvs)) == len(fvs)
    rest = nx.DiGraph()
    rest.add_nodes_from(range(n))
    rest.add_edges_from((a, b) for a, b in edges if a not in fvs and b not in fvs)
    assert nx.is_directed_acyclic_graph(rest)
    if fvs:
        assert (
            feedback_vertex_set([set(s) for s in succ], [set(p) for p in pred], cap=len(fvs) - 1)
            is None
        )


def test_fvs_rows_of_many_fixed_points_read_with_numpy_match_python():
    """Past 256 fixed points the rows are unpacked with numpy: the same rows, in the same order
    (2^9 inputs and a node depending on two of them)."""
    from dormnet._engines.fvs import FixedPointTable

    net = BooleanNetwork({f"x{k}": f"x{k}" for k in range(9)} | {"y": "x0 & !x8"})
    table = FixedPointTable.build(net)
    rows = table.rows()
    assert len(rows) == 512 and rows == sorted(rows)
    ok, python = table.ok, []
    for s in range(512):
        if (ok >> s) & 1:
            python.append([(v >> s) & 1 for v in table.values])
    assert rows == sorted(python)
    assert table.rows(limit=300) == sorted(python[:300])


def test_large_feedback_vertex_set_falls_back_to_clingo():
    """17 negative self-loops: a feedback vertex set of 17 is past MAX_FVS, so clingo answers."""
    from dormnet._engines.fvs import MAX_FVS, FixedPointTable

    net = BooleanNetwork({f"x{k}": f"!x{k}" for k in range(MAX_FVS + 1)} | {"y": "y"})
    assert FixedPointTable.build(net) is None
    assert fixed_points(net) == [] and count_fixed_points(net) == 0
    held = {f"x{k}": 1 for k in range(MAX_FVS + 1)}
    assert FixedPointTable.build(net, held).count() == 2
    assert fixed_points(net, clamps=held) == [held | {"y": 0}, held | {"y": 1}]


def test_queries_restore_the_garbage_collector():
    """Parsing and the fixed-point and trap-space queries pause the cyclic collector; it is on
    again afterwards, after an error too, and stays off if the caller had turned it off."""
    import gc

    from dormnet import BnetError, parse_bnet

    net = parse_bnet("a, !b\nb, !a\n")
    fixed_points(net)
    trap_spaces(net)
    assert gc.isenabled()
    with pytest.raises(BnetError):
        parse_bnet("a, b &\n")
    assert gc.isenabled()
    gc.disable()
    try:
        count_fixed_points(net)
        assert not gc.isenabled()
    finally:
        gc.enable()
