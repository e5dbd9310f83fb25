"""Attractor analysis on hand-checked networks, and every engine against the brute-force oracle."""

from __future__ import annotations

import os
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

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
from dormnet.errors import DormnetError
from dormnet.spaces import freeze

from .compare import assert_same_enumeration
from .fresh import run_fresh

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
    from dormnet._engines.asp_models import _block_public

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
        public: list[bytes] = []

        def grab(m, public=public):
            public.append(_block_public(m))
            return True

        engine._run(mode, {node: value}, grab, None, public.__len__)
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
    from dormnet._engines.asp_models import NUMPY_FROM

    net = BooleanNetwork({f"x{k}": f"x{k}" for k in range(9)} | {"y": "x0 & !x8"})
    engine = asp.AspEngine(net)
    chunks = engine._collect("fixed", None, None, None)
    assert len(chunks) == 512 >= NUMPY_FROM
    decoder = engine._decoder("fixed")
    assert decoder.matrix(chunks).tolist() == decoder.rows(chunks)
    fps = fixed_points(net)
    assert fps == sorted(fps, key=lambda s: tuple(s[n] for n in net.nodes))
    assert all(s["y"] == (s["x0"] and not s["x8"]) for s in fps)


@given(random_networks())
@SETTINGS
def test_async_engines_agree_with_the_oracle(net):
    """Every exact asynchronous engine (minimal trap spaces + AEON; AEON with inputs as colours;
    biobalm's succession diagram; the portfolio) gives the oracle's attractors, states
    included, each once."""
    ref = [frozenset(freeze(s) for s in a) for a in brute.async_attractors(net)]
    for engine in ("aeon", "colours", "biobalm", "auto"):
        got = attractors(net, update="async", engine=engine)
        ours = [frozenset(freeze(s) for s in a.states) for a in got]
        assert_same_enumeration(ours, ref, what=f"asynchronous attractors ({engine})")
        assert all(len(a.states) == a.size for a in got)


# -- the asynchronous portfolio, forced onto its symbolic path --------------------------------


@contextmanager
def symbolic_path():
    """Small networks are answered by listing their states (at most 2^10) or in this process
    (at most 2^20): lower both bounds so that they take the path of large models (every member
    in a forked child, raced)."""
    from dormnet._engines import aeon, asynchronous

    with (
        mock.patch.object(aeon, "EXPLICIT_FREE_NODES", -1),
        mock.patch.object(asynchronous, "IN_PROCESS_FREE_NODES", -1),
    ):
        yield asynchronous


@st.composite
def networks_with_inputs(draw):
    """A random network plus free inputs (``x, x``) that regulate some of its nodes or nothing,
    and constants: what the coloured search inlines, drops and percolates."""
    net = draw(random_networks(max_nodes=4))
    rules = {n: net.rule(n).function for n in net.nodes}
    inputs = [f"u{i}" for i in range(draw(st.integers(0, 3)))]
    for u in inputs:
        rules[u] = u
        target = draw(st.sampled_from([*net.nodes, None]))
        if target is not None:  # else the input regulates nothing
            op = draw(st.sampled_from(["&", "|", "& !"]))
            rules[target] = f"({rules[target]}) {op} {u}"
    if draw(st.booleans()):
        rules["k"] = draw(st.sampled_from(["0", "1"]))
        target = draw(st.sampled_from(net.nodes))
        rules[target] = f"({rules[target]}) | k"
    return BooleanNetwork(rules)


def oracle(net: BooleanNetwork) -> Counter:
    """The brute-force attractors as a multiset of state sets (a duplicate would show)."""
    return Counter(frozenset(freeze(s) for s in a) for a in brute.async_attractors(net))


def listed(found) -> Counter:
    return Counter(frozenset(freeze(s) for s in a.states) for a in found)


@given(networks_with_inputs(), st.data())
@SETTINGS
def test_every_member_and_the_portfolio_match_the_oracle_on_the_symbolic_path(net, data):
    """Each member in its forked child, and the race of all three, with and without clamps:
    the oracle's attractors as a list (no attractor twice, none missing), their counts without
    listing, and a limit that stops early at distinct attractors."""
    clamps = data.draw(st.dictionaries(st.sampled_from(net.nodes), st.sampled_from([0, 1])))
    from dormnet.perturb import clamp

    ref = oracle(clamp(net, clamps))
    with symbolic_path():
        for engine in ("aeon", "colours", "biobalm", "auto"):
            got = attractors(net, clamps=clamps, engine=engine)
            assert listed(got) == ref, engine
            assert all(len(a.states) == a.size for a in got)
            assert count_attractors(net, clamps=clamps, engine=engine) == sum(ref.values())
            if len(ref) > 1:
                some = attractors(net, clamps=clamps, engine=engine, limit=len(ref) - 1)
                assert len(some) == len(ref) - 1
                assert not listed(some) - ref, engine


def _over_budget(*args, **kw):
    raise BudgetExceeded("explicit attractor search: over budget")


@pytest.mark.parametrize("member", ["aeon", "colours"])
@given(net=networks_with_inputs(), data=st.data())
@SETTINGS
def test_the_in_process_search_matches_the_oracle(net, data, member):
    """Where the explicit search runs out of budget, up to 2^20 states ``auto`` runs one member
    in this process, no child (:func:`asynchronous._in_process` says which): either gives the
    oracle's attractors, listed and counted."""
    from dormnet._engines import aeon, asynchronous, isolate

    clamps = data.draw(st.dictionaries(st.sampled_from(net.nodes), st.sampled_from([0, 1])))
    from dormnet.perturb import clamp

    ref = oracle(clamp(net, clamps))
    ran: list[str] = []
    real = getattr(asynchronous._Problem, member)

    def spy(self, *args, **kw):
        ran.append(member)
        return real(self, *args, **kw)

    def no_child(*args, **kw):
        raise AssertionError("a child was started")

    with (
        mock.patch.object(aeon, "EXPLICIT_FREE_NODES", -1),
        mock.patch.object(asynchronous, "_explicit", _over_budget),
        mock.patch.object(asynchronous, "_in_process", lambda: member),
        mock.patch.object(asynchronous._Problem, member, spy),
        mock.patch.object(isolate, "start_isolated", no_child),
    ):
        assert listed(attractors(net, clamps=clamps)) == ref
        assert count_attractors(net, clamps=clamps) == sum(ref.values())
    assert ran == [member, member]


def test_in_process_member_follows_whether_clingo_is_loaded():
    from dormnet._engines import asynchronous

    with mock.patch.dict("sys.modules", {"clingo": object()}):
        assert asynchronous._in_process() == "aeon"
    with mock.patch.dict("sys.modules"):
        import sys

        sys.modules.pop("clingo", None)
        assert asynchronous._in_process() == "colours"


def test_a_plain_asynchronous_count_of_a_mid_sized_network_loads_no_clingo(tmp_path):
    """``dormnet attractors MODEL --count`` in a fresh process, past the old state listing
    (10 free nodes). 12 independent inputs: 4,096 fixed points, found on the explicit state
    graph, no solver imported. The same inputs times a 4-node negative ring: 4,096 cyclic
    attractors, more than the explicit search's budget allows (see tests/test_bitsets.py), so
    biodivine-aeon answers in this process, still without clingo (its import costs more than
    the search)."""
    modules = ["clingo", "biodivine_aeon"]
    inputs = "".join(f"u{i}, u{i}\n" for i in range(12))
    m = tmp_path / "inputs.bnet"
    m.write_text(inputs)
    assert run_fresh(["attractors", str(m), "--count"], modules) == ["4096", "0", "False", "False"]
    m.write_text(inputs + "a, !d\nb, a\nc, b\nd, c\n")
    assert run_fresh(["attractors", str(m), "--count"], modules) == ["4096", "0", "False", "True"]


def test_coloured_search_lists_every_input_valuation_over_every_node():
    """Hand-checked: input ``a`` regulates ``x`` (a=0: x settles at 0; a=1: x = !x oscillates),
    ``u`` regulates nothing (AEON's inline_inputs drops it, yet each of its values is its own
    attractor), ``k`` is a constant and ``y = k & a`` follows ``a``. So four attractors: two
    fixed points (a=0, u=0/1) and two 2-state cycles (a=1, u=0/1), each over all five nodes."""
    net = BooleanNetwork({"a": "a", "u": "u", "k": "1", "x": "a & !x", "y": "k & a"})
    with symbolic_path():
        got = attractors(net, engine="colours")
        assert count_attractors(net, engine="colours") == 4
        assert len(attractors(net, engine="colours", limit=3)) == 3
    assert [(a.space, a.size) for a in got] == [
        ({"a": 0, "u": 0, "k": 1, "x": 0, "y": 0}, 1),
        ({"a": 0, "u": 1, "k": 1, "x": 0, "y": 0}, 1),
        ({"a": 1, "u": 0, "k": 1, "y": 1}, 2),
        ({"a": 1, "u": 1, "k": 1, "y": 1}, 2),
    ]
    assert listed(got) == oracle(net)


def _sleep(self, limit, count=False):
    time.sleep(600)


def _stopped(self, limit, count=False):
    raise BudgetExceeded("biobalm stopped: too many input combinations")


def _fault(self, limit, count=False):
    raise RuntimeError("a bug")


MOTIF_AVOIDANT = DATA / "motif_avoidant.bnet"


def replaced(**members):
    """The portfolio's members replaced (``name=function``) for one test, the thresholds
    lowered as in :func:`symbolic_path`."""
    from contextlib import ExitStack

    from dormnet._engines import asynchronous

    stack = ExitStack()
    stack.enter_context(symbolic_path())
    for name, fn in members.items():
        stack.enter_context(mock.patch.object(asynchronous._Problem, name, fn))
    return stack


@pytest.mark.parametrize("winner", ["aeon", "colours", "biobalm"])
def test_the_race_takes_whichever_member_answers_first(winner):
    """Each member wins the race once: the other two are made to hang, so only the winner can
    answer, and the answer is still the oracle's (the motif-avoidant attractor included)."""
    from dormnet._engines.asynchronous import MEMBERS

    net = read_bnet(MOTIF_AVOIDANT)
    with replaced(**{m: _sleep for m in MEMBERS if m != winner}):
        start = time.monotonic()
        got = attractors(net, timeout=60)
        assert time.monotonic() - start < 30  # not waiting for the hung members
    assert listed(got) == oracle(net)


def _mark(self, limit, count=False):
    Path(os.environ["DORMNET_TEST_MARK"]).write_text("started")
    time.sleep(600)


def test_biobalm_joins_the_race_only_after_its_delay(tmp_path, monkeypatch):
    """biobalm starts :data:`BIOBALM_DELAY` seconds into the race (its import costs more than
    many whole races): never when another member answers sooner, and after the delay when the
    others hang (then its answer is the oracle's)."""
    from dormnet._engines import asynchronous

    net = read_bnet(MOTIF_AVOIDANT)
    mark = tmp_path / "biobalm-started"
    monkeypatch.setenv("DORMNET_TEST_MARK", str(mark))
    monkeypatch.setattr(asynchronous, "BIOBALM_DELAY", 30.0)
    with replaced(biobalm=_mark):
        assert listed(attractors(net, timeout=60)) == oracle(net)
    assert not mark.exists()
    monkeypatch.setattr(asynchronous, "BIOBALM_DELAY", 1.0)
    with replaced(aeon=_sleep, colours=_sleep):
        start = time.monotonic()
        got = attractors(net, timeout=60)
        assert 1.0 <= time.monotonic() - start < 30
    assert listed(got) == oracle(net)


def test_a_member_that_stops_drops_out_and_a_fault_is_reported_not_hidden():
    net = read_bnet(MOTIF_AVOIDANT)
    with replaced(biobalm=_stopped):
        assert listed(attractors(net, timeout=60)) == oracle(net)
    with (
        replaced(aeon=_fault, colours=_stopped, biobalm=_stopped),
        pytest.raises(DormnetError, match="RuntimeError: a bug"),
    ):
        attractors(net, timeout=60)


def test_the_race_stops_at_its_time_budget_and_leaves_no_child():
    net = read_bnet(MOTIF_AVOIDANT)
    before = _children()
    with replaced(aeon=_sleep, colours=_sleep, biobalm=_sleep):
        start = time.monotonic()
        with pytest.raises(BudgetExceeded, match=r"time budget of 0\.5 s"):
            attractors(net, timeout=0.5)
        assert time.monotonic() - start < 10
    assert _children() <= before


def _children() -> set[str]:
    """Process ids whose parent is this process (Linux /proc; empty elsewhere)."""
    if not os.path.isdir("/proc"):
        return set()
    out = set()
    for p in os.listdir("/proc"):
        try:
            with open(f"/proc/{p}/status") as fh:
                if f"PPid:\t{os.getpid()}\n" in fh.read():
                    out.add(p)
        except OSError:
            continue
    return out


@pytest.mark.parametrize("engine", ["aeon", "colours", "biobalm"])
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


def test_members_yield_to_the_coloured_search_and_die_with_their_parent():
    """The two members other than the coloured search start at a higher nice value; a child
    whose parent is killed (SIGKILL: no clean-up runs) does not outlive it."""
    import signal

    from dormnet._engines import asynchronous, isolate
    from dormnet._engines.isolate import start_isolated

    started = []

    def record(fn, *args, niceness=0, **kw):
        started.append((args[0].__name__, niceness))
        return start_isolated(fn, *args, niceness=niceness, **kw)

    with (
        symbolic_path(),
        mock.patch.object(isolate, "start_isolated", record),  # imported where children start
        mock.patch.object(asynchronous, "BIOBALM_DELAY", 0.0),  # biobalm starts with the others
    ):
        attractors(read_bnet(MOTIF_AVOIDANT), timeout=60)
    assert sorted(started) == [
        ("aeon", asynchronous.YIELDING),
        ("biobalm", asynchronous.YIELDING),
        ("colours", 0),
    ]
    assert asynchronous.YIELDING >= 10  # the coloured search keeps >= 82% of a shared core
    base = os.nice(0)
    assert start_isolated(os.nice, 0, niceness=3).wait(30) == base + 3

    import subprocess
    import sys

    script = (
        "import time\n"
        "from dormnet._engines.isolate import start_isolated\n"
        "child = start_isolated(time.sleep, 600)\n"
        "print(child._pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        grandchild = int(parent.stdout.readline())  # type: ignore[union-attr]
    finally:
        parent.kill()  # SIGKILL: no clean-up of its own runs
        parent.wait()
    for _ in range(200):
        if not _running(grandchild):
            break
        time.sleep(0.05)
    else:
        os.kill(grandchild, signal.SIGKILL)
        pytest.fail("the child outlived its killed parent")


def _running(pid: int) -> bool:
    """Whether ``pid`` runs: a dead orphan may stay a zombie until whoever adopted it reaps it."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            return "\nState:\tZ" not in fh.read()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def test_biobalm_is_not_started_where_it_would_refuse_the_inputs():
    """biobalm stops past 100,000 input valuations (2^17 > 100,000): with 17 free inputs the
    portfolio races the two other members only, and still counts every valuation."""
    from dormnet._engines import isolate
    from dormnet._engines.isolate import start_isolated

    rules = {f"u{i}": f"u{i}" for i in range(17)}
    rules["x"] = "u0 & !x"  # u0 = 1: x oscillates; u0 = 0: x = 0
    net = BooleanNetwork(rules)
    started = []

    def record(fn, *args, **kw):
        started.append(args[0].__name__)
        return start_isolated(fn, *args, **kw)

    with symbolic_path(), mock.patch.object(isolate, "start_isolated", record):
        assert count_attractors(net, timeout=60) == 2**17
    assert sorted(started) == ["aeon", "colours"]
