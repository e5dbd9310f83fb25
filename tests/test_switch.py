"""Switch dynamics (dormnet.switch, dormnet.basins, dormnet._engines.reach) against independent
oracles: hand-checked networks, the brute-force state graph on random networks (asynchronous,
synchronous, and most permissive from its definition), biodivine-aeon's own reachability and
pyboolnet's basins on corpus models, mpbn's reachable attractors.
"""

from __future__ import annotations

from collections import Counter

import itertools
import json
from collections.abc import Callable, Sequence

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dormnet import BooleanNetwork, BudgetExceeded, DormnetError, read_bnet
from dormnet._engines import brute, reach_explicit, regions
from dormnet._engines import reach as reach_engine
from dormnet.bundle import Bundle, phenotypes_from_rules
from dormnet.expr import evaluate
from dormnet.perturb import clamp
from dormnet.records import Context
from dormnet.scenario import Scenario
from dormnet.switch import reached, switch, transition_matrix

from .conftest import corpus_params

# -- brute-force oracles ----------------------------------------------------------------------

State = tuple[int, ...]


def states(n: int) -> list[State]:
    return list(itertools.product((0, 1), repeat=n))


def table(net: BooleanNetwork, clamps: dict[str, int]) -> dict[State, State]:
    """f(x) for every state x of the clamped network (node order)."""
    cnet = clamp(net, clamps)
    nodes = list(net.nodes)
    out = {}
    for s in states(len(nodes)):
        d = dict(zip(nodes, s))
        out[s] = tuple(int(evaluate(cnet.rule(v).expr, d)) for v in nodes)
    return out


def async_graph(f: dict[State, State]) -> nx.DiGraph:
    g = nx.DiGraph()
    for s, fs in f.items():
        g.add_node(s)
        for i, (a, b) in enumerate(zip(s, fs)):
            if a != b:
                g.add_edge(s, s[:i] + (b,) + s[i + 1 :])
    return g


def terminal_sccs(g: nx.DiGraph) -> list[frozenset[State]]:
    cond = nx.condensation(g)
    return [frozenset(cond.nodes[c]["members"]) for c in cond if cond.out_degree(c) == 0]


def switched(s: State, nodes: Sequence[str], clamps: dict[str, int]) -> State:
    """A state at the switch: the nodes the new scenario clamps take their values at once."""
    return tuple(clamps.get(v, x) for v, x in zip(nodes, s))


def in_space(s: State, nodes: Sequence[str], clamps: dict[str, int]) -> bool:
    return all(s[nodes.index(v)] == x for v, x in clamps.items())


def oracle_async(net, c1, c2):
    """(start attractors, target attractors, reachable target indices per start)."""
    nodes = list(net.nodes)
    g1, g2 = async_graph(table(net, c1)), async_graph(table(net, c2))
    starts = [a for a in terminal_sccs(g1) if all(in_space(s, nodes, c1) for s in a)]
    targets = [a for a in terminal_sccs(g2) if all(in_space(s, nodes, c2) for s in a)]
    out = []
    for a in starts:
        seen: set[State] = set()
        for s in a:
            t = switched(s, nodes, c2)
            seen |= {t} | nx.descendants(g2, t)
        out.append(frozenset(j for j, t in enumerate(targets) if t & seen))
    return starts, targets, out


def sync_cycles(f: dict[State, State]) -> list[frozenset[State]]:
    out, seen = [], set()
    for start in list(f):
        s, path = start, []
        while s not in seen:
            seen.add(s)
            path.append(s)
            s = f[s]
        if s in path:
            out.append(frozenset(path[path.index(s) :]))
    return out


def oracle_sync(net, c1, c2):
    nodes = list(net.nodes)
    f1, f2 = table(net, c1), table(net, c2)
    starts = [a for a in sync_cycles(f1) if all(in_space(s, nodes, c1) for s in a)]
    targets = [a for a in sync_cycles(f2) if all(in_space(s, nodes, c2) for s in a)]
    where = {s: j for j, t in enumerate(targets) for s in t}
    out = []
    for a in starts:
        found = set()
        for s in a:
            s = switched(s, nodes, c2)
            while s not in where:
                s = f2[s]
            found.add(where[s])
        out.append(frozenset(found))
    return starts, targets, out


def vertices(h: tuple) -> list[State]:
    """The states of a subcube written as a tuple of 0, 1 and None (free)."""
    free = [i for i, v in enumerate(h) if v is None]
    out = []
    for bits in itertools.product((0, 1), repeat=len(free)):
        s = list(h)
        for i, b in zip(free, bits):
            s[i] = b
        out.append(tuple(s))
    return out


def mp_successors(f: dict[State, State], x: State) -> set[State]:
    """Most permissive transitions from x, from the definition (Paulevé & Sené 2021,
    DOI:10.4230/OASIcs.AUTOMATA.2021.10): x -> y iff for some set K of nodes, y is a vertex of
    T_K(x), the smallest subcube containing x that is closed for the nodes of K, and every node
    i of K can take y_i somewhere in T_K(x)."""
    n = len(x)
    out = set()
    for k in range(1 << n):
        K = [i for i in range(n) if (k >> i) & 1]
        h = list(x)
        changed = True
        while changed:
            changed = False
            vs = vertices(tuple(h))
            for i in K:
                if h[i] is not None and any(f[z][i] != h[i] for z in vs):
                    h[i] = None
                    changed = True
        vs = vertices(tuple(h))
        can = {i: {f[z][i] for z in vs} for i in K}
        for y in vs:
            if y != x and all(y[i] in can[i] for i in K):
                out.add(y)
    return out


def subcube_of(space: dict[str, int], nodes: Sequence[str]) -> tuple:
    return tuple(space.get(v) for v in nodes)


def oracle_mp(net, c1, c2, *, definition: bool):
    """Minimal trap spaces before and after, and per start the reachable targets: from the
    MP transitions themselves (``definition``) or from the smallest trap space containing each
    start configuration, computed by brute force (Paulevé et al. 2020)."""
    nodes = list(net.nodes)
    f2 = table(net, c2)
    starts = [subcube_of(s, nodes) for s in brute.trap_spaces(clamp(net, c1), "min")]
    targets = [subcube_of(s, nodes) for s in brute.trap_spaces(clamp(net, c2), "min")]
    out = []
    for a in starts:
        found = set()
        for s in vertices(a):
            x = switched(s, nodes, c2)
            if definition:
                seen, todo = {x}, [x]
                while todo:
                    for y in mp_successors(f2, todo.pop()):
                        if y not in seen:
                            seen.add(y)
                            todo.append(y)
                found |= {j for j, t in enumerate(targets) if set(vertices(t)) & seen}
            else:
                h = smallest_trap_space(f2, x)
                found |= {j for j, t in enumerate(targets) if set(vertices(t)) <= set(vertices(h))}
        out.append(frozenset(found))
    return starts, targets, out


def smallest_trap_space(f: dict[State, State], x: State) -> tuple:
    h = list(x)
    changed = True
    while changed:
        changed = False
        vs = vertices(tuple(h))
        for i in range(len(x)):
            if h[i] is not None and any(f[z][i] != h[i] for z in vs):
                h[i] = None
                changed = True
    return tuple(h)


# -- comparing dormnet's answer with an oracle ------------------------------------------------


def key_of(ca, nodes, update) -> tuple:
    """An attractor as its subcube (mp) or its sorted states, comparable with the oracles'."""
    if update == "mp":
        return subcube_of(ca.attractor.space, nodes)
    return tuple(sorted(tuple(s[v] for v in nodes) for s in ca.attractor.states))


def canon(a: frozenset | tuple) -> tuple:
    return tuple(sorted(a)) if isinstance(a, frozenset) else a


def compare(net, c1, c2, update, oracle, *, matrix: bool = False):
    """dormnet's switch from clamps c1 to c2 against an oracle's; ``matrix``: through
    transition_matrix (the basins-first path), with c1 and c2 as two contexts."""
    nodes = list(net.nodes)
    if matrix:
        contexts = {
            n: Context(n, "", dict(c), dict(c), ("PMID:1",)) for n, c in (("x", c1), ("y", c2))
        }
        m = transition_matrix(Bundle(net, contexts=contexts), update=update)
        step = m.cells["x", "y"]
        assert m.cells["x", "x"].reaches == tuple(frozenset({i}) for i in range(len(step.before)))
    else:
        scen = [",".join(f"{k}={v}" for k, v in c.items()) for c in (c1, c2)]
        step = switch(Bundle(net), scen, update=update).steps[0]
    starts, targets, ref = [canon(a) for a in oracle[0]], [canon(a) for a in oracle[1]], oracle[2]
    ours_before = [key_of(ca, nodes, update) for ca in step.before]
    ours_after = [key_of(ca, nodes, update) for ca in step.after]
    # as lists: same attractors, none twice
    assert sorted(map(repr, ours_before)) == sorted(map(repr, starts))
    assert sorted(map(repr, ours_after)) == sorted(map(repr, targets))
    for i, ca in enumerate(step.before):
        r = ref[starts.index(ours_before[i])]
        assert {ours_after[j] for j in step.reaches[i]} == {targets[j] for j in r}
        assert step.exact[i]
        strong = targets[next(iter(r))] if len(r) == 1 else None
        always = step.always(i)
        assert (ours_after[always] if always is not None else None) == strong
    return step


@st.composite
def random_networks(draw, max_nodes: int = 6, max_in: int = 3):
    n = draw(st.integers(1, max_nodes))
    names = [f"v{i}" for i in range(n)]
    rules = {}
    for v in names:
        k = draw(st.integers(0, min(max_in, n)))
        regs = draw(st.permutations(names))[:k]
        tt = draw(st.lists(st.booleans(), min_size=2**k, max_size=2**k))
        terms = []
        for m, on in enumerate(tt):
            if on:
                lits = [r if (m >> j) & 1 else "!" + r for j, r in enumerate(regs)]
                terms.append("(" + " & ".join(lits) + ")" if lits else "1")
        rules[v] = " | ".join(terms) if terms else "0"
    return BooleanNetwork(rules)


@st.composite
def switches(draw, max_nodes: int = 6):
    """A network and two clamp sets (the scenarios before and after)."""
    net = draw(random_networks(max_nodes))

    def clamps():
        chosen = draw(st.lists(st.sampled_from(net.nodes), max_size=2, unique=True))
        return {v: draw(st.integers(0, 1)) for v in chosen}

    return net, clamps(), clamps()


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture
def no_filter(monkeypatch) -> None:
    """Without the trap-space filter, so that the symbolic paths answer every case."""
    monkeypatch.setattr(reach_engine, "TRAP_SPACE_FILTER", False)


@given(switches(max_nodes=8))
@SETTINGS
def test_async_switch_matches_state_graph(case):
    net, c1, c2 = case
    ref = oracle_async(net, c1, c2)
    compare(net, c1, c2, "async", ref)
    compare(net, c1, c2, "async", ref, matrix=True)


@given(case=switches(max_nodes=8))
@SETTINGS
def test_async_symbolic_paths_match_state_graph(case, no_filter):
    """Forward saturation (one switch) and target basins (a matrix), each on every case."""
    net, c1, c2 = case
    ref = oracle_async(net, c1, c2)
    compare(net, c1, c2, "async", ref)
    compare(net, c1, c2, "async", ref, matrix=True)


@given(switches(max_nodes=8))
@SETTINGS
def test_sync_switch_matches_state_graph(case):
    net, c1, c2 = case
    compare(net, c1, c2, "sync", oracle_sync(net, c1, c2))


@given(switches(max_nodes=4))
@SETTINGS
def test_mp_switch_matches_the_definition_of_mp_transitions(case):
    net, c1, c2 = case
    compare(net, c1, c2, "mp", oracle_mp(net, c1, c2, definition=True))


@pytest.mark.parametrize("enumerate_up_to", [reach_explicit.MP_ENUMERATE, -1])
@given(case=switches(max_nodes=8))
@SETTINGS
def test_mp_switch_matches_smallest_trap_spaces(case, enumerate_up_to, monkeypatch_mp, no_filter):
    """Both most-permissive paths (state by state, and the BDD of TS(x)) against brute force."""
    net, c1, c2 = case
    monkeypatch_mp(enumerate_up_to)
    compare(net, c1, c2, "mp", oracle_mp(net, c1, c2, definition=False))


@pytest.fixture
def monkeypatch_mp() -> Callable[[int], None]:
    saved = reach_explicit.MP_ENUMERATE

    def set_to(value: int) -> None:
        reach_explicit.MP_ENUMERATE = value

    yield set_to
    reach_explicit.MP_ENUMERATE = saved


@pytest.mark.slow
@given(switches(max_nodes=12))
@SLOW
def test_async_and_sync_switch_match_state_graph_up_to_12_nodes(case):
    net, c1, c2 = case
    ref = oracle_async(net, c1, c2)
    compare(net, c1, c2, "async", ref)
    compare(net, c1, c2, "async", ref, matrix=True)
    compare(net, c1, c2, "sync", oracle_sync(net, c1, c2))


@pytest.mark.slow
@given(switches(max_nodes=5))
@SLOW
def test_mp_switch_matches_definition_up_to_5_nodes(case):
    net, c1, c2 = case
    compare(net, c1, c2, "mp", oracle_mp(net, c1, c2, definition=True))


# -- hand-checked networks --------------------------------------------------------------------

#: a toggle switch a/b that a signal s forces into a: hysteresis (s on then off leaves the cell
#: in a wherever it started)
TOGGLE = {"s": "s", "a": "!b | s", "b": "!a"}
#: a toggle that a signal s resets to a=b=0: releasing s races a against b (weak only)
RACE = {"s": "s", "a": "!b & !s", "b": "!a & !s"}
#: m remembers a pulse of a & !b, which asynchronous updating cannot make (a follows b, and b
#: only rises) but most permissive updating can (a may read b as rising: DOI:10.1038/s41467-020-18112-5)
PULSE = {"b": "1", "a": "b", "m": "m | (a & !b)"}


def bundle(rules: dict, *phenotypes: str) -> Bundle:
    net = BooleanNetwork(rules)
    return Bundle(net, phenotypes=phenotypes_from_rules(net, list(phenotypes)))


def test_hysteresis_signal_on_then_off():
    b = bundle(TOGGLE, "A=a & !b", "B=b & !a")
    plan = switch(b, ["s=0", "s=1", "s=0"])
    assert [ca.phenotypes for ca in plan.first] == [["B"], ["A"]]
    assert [ca.phenotypes for ca in plan.steps[0].after] == [["A"]]
    assert plan.steps[0].reaches == (frozenset({0}), frozenset({0}))
    assert plan.steps[1].reaches == (frozenset({1}),)
    assert plan.reaches == (frozenset({1}), frozenset({1}))
    assert [plan.always(0), plan.always(1)] == [1, 1]
    assert plan.complete and plan.exact == (True, True)
    assert [ca.phenotypes for ca in reached(b, ["s=0", "s=1", "s=0"], start="B")] == [["A"]]
    assert reached(b, ["s=0", "s=0"], start="B")[0].phenotypes == ["B"]


def test_race_is_weak_async_and_mp_but_not_sync():
    b = bundle(RACE, "A=a & !b", "B=b & !a")
    for update in ("async", "mp"):
        step = switch(b, ["s=1", "s=0"], update=update).steps[0]
        assert len(step.before) == 1
        assert [ca.phenotypes for ca in step.after] == [["B"], ["A"]]
        assert step.reaches == (frozenset({0, 1}),)
        assert step.always(0) is None
    # synchronously a and b rise together and fall together: the 2-cycle {000, 011}
    step = switch(b, ["s=1", "s=0"], update="sync").steps[0]
    cycle = [j for j, ca in enumerate(step.after) if ca.attractor.kind == "cyclic"]
    assert step.reaches == (frozenset(cycle),) and step.always(0) == cycle[0]


def test_most_permissive_reaches_what_asynchronous_cannot():
    b = bundle(PULSE, "M=m")
    steps = ["a=0,b=0,m=0", ""]
    assert [ca.attractor.space for ca in switch(b, steps).last] == [
        {"b": 1, "a": 1, "m": 0},
        {"b": 1, "a": 1, "m": 1},
    ]
    assert switch(b, steps, update="async").reaches == (frozenset({0}),)
    assert switch(b, steps, update="mp").reaches == (frozenset({0, 1}),)
    assert reached(b, steps, update="async") == [switch(b, steps).last[0]]


def test_reached_follows_only_the_start_phenotype_through_each_step():
    b = bundle(RACE, "A=a & !b", "B=b & !a")
    # from B, hold s (both off), release: the race; from nothing with phenotype X: nothing
    assert [ca.phenotypes for ca in reached(b, ["s=0", "s=1", "s=0"], start="B")] == [
        ["B"],
        ["A"],
    ]
    assert reached(b, ["s=0", "s=1", "s=0"], start="undetermined") == []
    assert [ca.phenotypes for ca in reached(b, ["s=0", "s=0"], start="A")] == [["A"]]


def test_temporal_expectation_is_checked_with_reached():
    from dormnet.expectations import check_expectation
    from dormnet.records import Expectation

    b = bundle(TOGGLE, "A=a & !b", "B=b & !a")
    steps = (Scenario.parse("s=0"), Scenario.parse("s=1"), Scenario.parse("s=0"))
    e = Expectation(
        "T1", "memory", Scenario(), "async", "all", "A", {}, ("PMID:1",), "H",
        steps=steps, start="B",
    )  # fmt: skip
    out = check_expectation(b, e)
    assert out.passed, out.observed
    assert out.baseline is False  # the last scenario alone keeps both states: "all A" fails
    e_none = Expectation(
        "T2", "no memory", Scenario(), "async", "all", "B", {}, ("PMID:1",), "H",
        steps=steps, start="B",
    )  # fmt: skip
    assert not check_expectation(b, e_none).passed


def test_budget_gives_an_honest_partial_answer(monkeypatch):
    b = bundle(RACE)
    monkeypatch.setattr(regions, "MAX_SYMBOLIC_SIZE", 1)
    with pytest.raises(BudgetExceeded) as err:
        switch(b, ["s=1", "s=0"])
    plan = err.value.partial
    assert "BDD of more than 1 nodes" in str(err.value)
    assert not plan.complete and plan.exact == (False,) and plan.always(0) is None
    assert plan.reaches[0] <= {0, 1}
    monkeypatch.setattr(regions, "MAX_SYMBOLIC_SIZE", 10**6)
    with pytest.raises(BudgetExceeded) as err:
        switch(b, ["s=1", "s=0"], timeout=1e-9)
    assert "time budget" in str(err.value)


def test_bad_input_is_a_dormnet_error():
    b = bundle(TOGGLE)
    with pytest.raises(DormnetError, match="two or more"):
        switch(b, ["s=0"])
    with pytest.raises(DormnetError, match="did you mean|no node|unknown"):
        switch(b, ["s=0", "q=1"])
    with pytest.raises(ValueError, match="update must be one of"):
        switch(b, ["s=0", "s=1"], update="fast")  # type: ignore[arg-type]


# -- basins -----------------------------------------------------------------------------------


def oracle_basins(net, c, update, *, definition: bool = False):
    """Attractor keys (as key_of gives them) -> (weak, strong) basin sizes, by brute force."""
    nodes = list(net.nodes)
    f = table(net, c)
    space = [s for s in f if in_space(s, nodes, c)]
    if update == "async":
        g = async_graph(f)
        atts = [tuple(sorted(a)) for a in terminal_sccs(g)]
        reach = {s: {a for a in atts if set(a) & ({s} | nx.descendants(g, s))} for s in space}
    elif update == "sync":
        atts = [tuple(sorted(a)) for a in sync_cycles(f)]
        where = {s: a for a in atts for s in a}

        def end(s):
            while s not in where:
                s = f[s]
            return where[s]

        reach = {s: {end(s)} for s in space}
    else:
        atts = [subcube_of(t, nodes) for t in brute.trap_spaces(clamp(net, c), "min")]
        reach = {}
        for s in space:
            if definition:
                seen, todo = {s}, [s]
                while todo:
                    for y in mp_successors(f, todo.pop()):
                        if y not in seen:
                            seen.add(y)
                            todo.append(y)
                reach[s] = {a for a in atts if set(vertices(a)) & seen}
            else:
                h = set(vertices(smallest_trap_space(f, s)))
                reach[s] = {a for a in atts if set(vertices(a)) <= h}
    return {
        a: (sum(a in r for r in reach.values()), sum(r == {a} for r in reach.values()))
        for a in atts
    }


def compare_basins(net, c, update, *, definition=False):
    from dormnet.basins import basins

    nodes = list(net.nodes)
    scen = ",".join(f"{k}={v}" for k, v in c.items())
    got = basins(Bundle(net), scen, update=update)
    ref = oracle_basins(net, c, update, definition=definition)
    assert got.total == 2 ** (len(nodes) - len(c))
    keys = [key_of(ca, nodes, update) for ca in got.attractors]
    assert sorted(map(repr, keys)) == sorted(map(repr, ref))  # as lists: none twice
    assert {k: (w, s) for k, w, s in zip(keys, got.weak, got.strong)} == ref


@given(switches(max_nodes=8))
@SETTINGS
def test_basins_match_state_graph(case):
    net, c, _ = case
    compare_basins(net, c, "async")
    compare_basins(net, c, "sync")
    compare_basins(net, c, "mp")


@given(switches(max_nodes=4))
@SETTINGS
def test_mp_basins_match_the_definition(case):
    net, c, _ = case
    compare_basins(net, c, "mp", definition=True)


@pytest.mark.slow
@given(switches(max_nodes=12))
@SLOW
def test_basins_match_state_graph_up_to_12_nodes(case):
    net, c, _ = case
    compare_basins(net, c, "async")
    compare_basins(net, c, "sync")


# -- command line -----------------------------------------------------------------------------


def cli(*args: str):
    from click.testing import CliRunner

    from dormnet.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


TOGGLE_BNET = "s, s\na, !b | s\nb, !a\n"


def test_cli_switch_json_shape(tmp_path):
    m = tmp_path / "toggle.bnet"
    m.write_text(TOGGLE_BNET)
    ph = ["--phenotype", "A=a & !b", "--phenotype", "B=b & !a"]
    r = cli("switch", str(m), "--from", "s=0", "--to", "s=1", "--format", "json", *ph)
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["scenarios"] == ["s=0", "s=1"] and data["complete"] is True
    assert [a["phenotypes"] for a in data["from"]] == [["B"], ["A"]]
    assert data["from"][0]["nodes"] == {"s": 0, "a": 0, "b": 1}
    assert [(a["reaches"], a["always"]) for a in data["from"]] == [([0], 0), ([0], 0)]
    assert [a["nodes"] for a in data["to"]] == [{"s": 1, "a": 1, "b": 0}]
    assert data["steps"] == [
        {"from_scenario": "s=0", "to_scenario": "s=1", "from": data["from"], "to": data["to"]}
    ]
    # a schedule: the top level is the whole schedule, one entry per switch in steps
    r = cli("switch", str(m), "--from", "s=0", "--to", "s=1", "--then", "s=0", "--format", "json")
    data = json.loads(r.output)
    assert len(data["steps"]) == 2 and len(data["to"]) == 2
    assert [(a["reaches"], a["always"]) for a in data["from"]] == [([1], 1), ([1], 1)]
    r = cli("switch", str(m), "--from", "s=0", "--to", "s=1", "--then", "s=0", "--format", "tsv")
    lines = r.output.splitlines()
    assert lines[0].split("\t") == ["step", "from", "phenotypes", "reaches", "always", "exact"]
    assert len(lines) == 1 + 2 + 2 + 1  # whole schedule, then each step


def test_cli_switch_and_basins_errors(tmp_path):
    m = tmp_path / "toggle.bnet"
    m.write_text(TOGGLE_BNET)
    for args in (
        ["switch", str(m), "--from", "s=0"],
        ["switch", str(m), "--from", "s=0", "--to", "q=1"],
        ["switch", str(m), "--all-contexts"],
        ["switch", str(m), "--all-contexts", "--from", "s=0", "--to", "s=1"],
        ["switch", str(m), "--from", "s=2", "--to", "s=1"],
        ["basins", str(m), "--context", "lung"],
    ):
        r = cli(*args)
        assert r.exit_code == 2, (args, r.output)
        assert r.output.startswith("error: ") and "Traceback" not in r.output


def test_cli_partial_answer_exits_3(tmp_path, monkeypatch):
    m = tmp_path / "race.bnet"
    m.write_text("s, s\na, !b & !s\nb, !a & !s\n")
    out = tmp_path / "partial.json"
    monkeypatch.setattr(regions, "MAX_SYMBOLIC_SIZE", 1)
    r = cli("switch", str(m), "--from", "s=1", "--to", "s=0", "--format", "json", "-o", str(out))
    assert r.exit_code == 3
    assert "BDD of more than 1 nodes" in r.output and "partial" in r.output
    data = json.loads(out.read_text())
    assert data["complete"] is False and data["from"][0]["complete"] is False
    assert data["from"][0]["always"] is None


def test_cli_basins_and_all_contexts_on_the_bundled_model():
    r = cli("basins", "--context", "bone_marrow", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["scenario"] == "bone_marrow" and data["states"] > 0
    assert (
        sum(a["strong"]["states"] for a in data["attractors"]) + data["undecided"]["states"]
        == data["states"]
    )
    r = cli("switch", "--all-contexts", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    n = len(data["contexts"])
    assert len(data["transitions"]) == n * (n - 1)
    pairs = [(t["from"], t["to"]) for t in data["transitions"]]
    assert len(set(pairs)) == len(pairs)


# -- peers on the corpus ----------------------------------------------------------------------


def peer(fn, *args, timeout: float = 120.0, name: str = "peer"):
    """A peer call in a forked child (tests/peers.py): a time-out skips, any error FAILS."""
    from .peers import run_peer

    status, value = run_peer(_caught, fn, *args, timeout=timeout, name=name)
    if status == "error":
        pytest.fail(f"{name} failed: {value}")
    return value


def _caught(fn, *args):
    import traceback

    try:
        return "ok", fn(*args)
    except BaseException as e:  # noqa: BLE001 - reported to the parent, where the test fails
        return "error", f"{type(e).__name__}: {e}\n{traceback.format_exc()}"


def corpus_scenarios(net: BooleanNetwork) -> list[tuple[dict, dict]]:
    """Switches to try on a corpus model: every input 0 -> every input 1 and back; without
    inputs, the free model -> its first node held at 1 and back (the hold released)."""
    if net.inputs:
        low, high = {i: 0 for i in net.inputs}, {i: 1 for i in net.inputs}
        return [(low, high), (high, low)]
    first = {net.nodes[0]: 1}
    return [({}, first), (first, {})]


def aeon_switch(text: str, c1: dict, c2: dict):
    """biodivine-aeon alone: its own BNET parser, attractors and (Rust) forward reachability.
    Attractors are described by (subspace, size, one state)."""
    import biodivine_aeon as ba

    ba.LOG_LEVEL = ba.LOG_NOTHING
    graphs = []
    for c in (c1, c2):
        lines = []
        for line in text.splitlines():
            target = line.split(",", 1)[0].strip()
            if target in c and not line.lstrip().startswith("#"):
                line = f"{target}, {'true' if c[target] else 'false'}"
            lines.append(line)
        bn = ba.BooleanNetwork.from_bnet("\n".join(lines), repair_graph=True)
        graphs.append(ba.AsynchronousGraph(bn))
    g1, g2 = graphs
    a1, a2 = ba.Attractors.attractors(g1), ba.Attractors.attractors(g2)

    def describe(a):
        space = {k: int(v) for k, v in (a.vertices().enclosing_named_subspace() or {}).items()}
        state = next(iter(a.vertices().items()))
        return space, int(a.cardinality()), {k: int(v) for k, v in state.to_named_dict().items()}

    ctx2 = g2.symbolic_context()
    clamp_set = g2.mk_subspace({n: bool(v) for n, v in c2.items()}).to_bdd()
    reach = []
    for a in a1:
        bdd = ctx2.transfer_from(a.to_bdd(), g1.symbolic_context())
        if c2:
            bdd = bdd.r_exists([ctx2.find_network_bdd_variable(n) for n in c2]).l_and(clamp_set)
        fwd = ba.Reachability.reach_fwd(g2, ba.ColoredVertexSet(ctx2, bdd))
        reach.append(sorted(j for j, t in enumerate(a2) if not fwd.intersect(t).is_empty()))
    return [describe(a) for a in a1], [describe(a) for a in a2], reach


def which(cas, described) -> int:
    """The index of the attractor that AEON describes as (subspace, size, one state): the one
    holding the state, or for attractors too large to list, the one with that subspace and size
    (exactly one must match)."""
    space, size, state = described

    def holds(a) -> bool:
        if a.states is not None:
            return state in a.states
        return a.space == space and a.size == size

    hits = [i for i, ca in enumerate(cas) if holds(ca.attractor)]
    assert len(hits) == 1, hits
    return hits[0]


@pytest.mark.peer
@pytest.mark.parametrize("path", corpus_params(20, slow_cap=40))
def test_async_switch_agrees_with_aeon_reachability(path):
    net = read_bnet(path)
    text = path.read_text()
    for c1, c2 in corpus_scenarios(net):
        scen = [",".join(f"{k}={v}" for k, v in c.items()) for c in (c1, c2)]
        step = switch(Bundle(net), scen).steps[0]
        starts, targets, ref = peer(aeon_switch, text, c1, c2, name="biodivine-aeon")
        assert len(starts) == len(step.before) and len(targets) == len(step.after)
        order = [which(step.after, t) for t in targets]
        assert sorted(order) == list(range(len(targets)))
        for (space, size, w), r in zip(starts, ref):
            i = which(step.before, (space, size, w))
            assert step.before[i].attractor.space == space and step.before[i].attractor.size == size
            assert step.reaches[i] == {order[j] for j in r}, (path.name, scen, i)


def pyboolnet_basins(path: str, spaces: list[dict]):
    import os
    from pathlib import Path

    import pyboolnet
    from pyboolnet.basins_of_attraction import strong_basin, weak_basin
    from pyboolnet.file_exchange import bnet2primes

    # pyboolnet 3.0.16 puts binaries/NuSMV-a on LD_LIBRARY_PATH for NuSMV's libreadline.so.6,
    # but ships it in binaries/linux64/NuSMV-a (NuSMV then exits 127); NuSMV also needs the
    # system's libtinfo.so.5 (Debian: libtinfo5). This runs in a forked child.
    lib = Path(pyboolnet.__file__).parent / "binaries" / "linux64" / "NuSMV-a"
    os.environ["LD_LIBRARY_PATH"] = os.pathsep.join(
        x for x in (os.environ.get("LD_LIBRARY_PATH"), str(lib)) if x
    )

    primes = bnet2primes(path)
    return [
        (
            weak_basin(primes, "asynchronous", s)["size"],
            strong_basin(primes, "asynchronous", s)["size"],
        )
        for s in spaces
    ]


#: pyboolnet reads nodes named ``X_levelN`` as the levels of one multi-valued component and
#: counts only the admissible level combinations (pbn_multivalued: 960 states of 2^13), so its
#: basin sizes are not comparable there
#: pyboolnet's basins of pbn_n12c5 (NuSMV) do not finish within 120 s: only with --runslow
SLOW_BASINS = {"pbn_n12c5"}
BOOLEAN_ONLY = [
    p
    if p.values[0] is None  # the full corpus is absent: its placeholder param stays
    else pytest.param(
        p.values[0], id=p.id, marks=[*p.marks, *([pytest.mark.slow] if p.id in SLOW_BASINS else [])]
    )
    for p in corpus_params(20)
    if p.values[0] is None or "_level" not in p.values[0].read_text()
]


@pytest.mark.peer
@pytest.mark.parametrize("path", BOOLEAN_ONLY)
def test_basins_agree_with_pyboolnet(path):
    """pyboolnet's basins of a subspace (CTL: EF and AG EF, NuSMV) equal an attractor's basins
    when the subspace is a minimal trap space that holds that attractor alone."""
    from dormnet.attractors import trap_spaces
    from dormnet.basins import basins

    net = read_bnet(path)
    got = basins(Bundle(net))
    spaces = [ca.attractor.space for ca in got.attractors]
    minimal = trap_spaces(net, kind="min")
    # as frozen sets (a model may have thousands of attractors: no list scans per attractor)
    frozen = [frozenset(s.items()) for s in spaces]
    times = Counter(frozen)
    minimal_set = {frozenset(s.items()) for s in minimal}
    usable = [j for j, f in enumerate(frozen) if f in minimal_set and times[f] == 1][:8]
    assert usable, "no attractor is alone in its minimal trap space"
    ref = peer(pyboolnet_basins, str(path), [spaces[j] for j in usable], name="pyboolnet")
    assert got.total == 2 ** len(net)  # every state, constant nodes at either value
    assert [(got.weak[j], got.strong[j]) for j in usable] == ref


def mpbn_reach(path: str, c1: dict, c2: dict, starts: list[dict]):
    import mpbn

    m = mpbn.MPBooleanNetwork(path)
    for n, v in c2.items():
        m[n] = v
    out = []
    for s in starts:
        cfg = {**s, **c2}
        out.append([dict(a) for a in m.attractors(reachable_from=cfg)])
    return out


@pytest.mark.peer
@pytest.mark.parametrize("path", corpus_params(40, slow_cap=60))
def test_mp_switch_agrees_with_mpbn(path):
    net = read_bnet(path)
    for c1, c2 in corpus_scenarios(net):
        scen = [",".join(f"{k}={v}" for k, v in c.items()) for c in (c1, c2)]
        step = switch(Bundle(net), scen, update="mp").steps[0]
        starts = [ca.attractor.space for ca in step.before]
        ref = peer(mpbn_reach, str(path), c1, c2, starts, name="mpbn")
        after = [ca.attractor.space for ca in step.after]
        # dormnet lists each attractor of the second scenario once
        assert len(after) == len({tuple(sorted(s.items())) for s in after})
        for i, found in enumerate(ref):
            # mpbn may give an attractor once per answer set: from a start *subspace* (a start
            # attractor with free nodes) its solver does not project away the start state's
            # free values (seen on bbm_008 and pbn_calzone_cellfate); compared as a set
            spaces = [{k: v for k, v in a.items() if v != "*"} for a in found]
            assert {after.index(s) for s in spaces} == step.reaches[i], (path.name, scen, i)


@given(case=switches(max_nodes=7))
@SETTINGS
def test_async_attractors_without_listed_states_are_found_again(case, no_filter):
    """Attractors too large to list (Region.cubes None) are found again symbolically: in their
    subspace (start regions, basins) or in the forward set (targets)."""
    from dormnet._engines.reach import Reacher, Region
    from dormnet.basins import basins
    from dormnet.switch import region_of

    net, c1, c2 = case
    b = Bundle(net)
    scen = [",".join(f"{k}={v}" for k, v in c.items()) for c in (c1, c2)]
    step = switch(b, scen).steps[0]
    bare = lambda cas: [Region(region_of(b, ca).space, ca.attractor.size) for ca in cas]
    r = Reacher(net)
    got = r.reach(
        "async",
        bare(step.before),
        r.clamp_bits(c2),
        bare(step.after),
        before=r.clamp_bits(c1),
    )
    assert tuple(got) == step.reaches
    ref = basins(b, scen[1])
    counts = Reacher(net).basins("async", r.clamp_bits(c2), bare(ref.attractors))
    assert (counts.weak, counts.strong) == (ref.weak, ref.strong)


# -- the transition matrix, its figure and its report section --------------------------------

TOGGLE_BUNDLE = __import__("pathlib").Path(__file__).parent / "data" / "toggle" / "toggle.bnet"


def test_transition_matrix_of_the_toggle_bundle(tmp_path):
    """tests/data/toggle/toggle.bnet, by hand: neutral keeps A, B and neither; pushA has A only;
    pushB has A and B. A cell in B (or in neither) sent to pushA ends in A and stays there back in
    neutral (memory); pushB sends the 'neither' cell to B for good."""
    from dormnet.bundle import load_bundle
    from dormnet.figures import SWITCH_COLOURS, save_figure
    from dormnet.switch_view import transitions_figure, transitions_html

    m = transition_matrix(load_bundle(TOGGLE_BUNDLE))
    assert m.contexts == ("neutral", "pushA", "pushB")
    ph = {c: [ca.phenotypes for ca in m.analyses[c]] for c in m.contexts}
    assert ph == {
        "neutral": [["undetermined"], ["dormant"], ["proliferative"]],
        "pushA": [["proliferative"]],
        "pushB": [["dormant"], ["proliferative"]],
    }
    assert m.cells["neutral", "pushA"].reaches == (frozenset({0}),) * 3
    assert m.change("neutral", "pushA") == ("awakening", True)
    assert m.irreversible("neutral", "pushA") == [0, 1]  # neither and B end in A
    assert m.round_trip("neutral", "pushB") == (frozenset({1}), frozenset({1}), frozenset({2}))
    assert m.irreversible("neutral", "pushB") == [0]
    assert (
        m.irreversible("pushA", "neutral") == [] and m.change("pushA", "neutral")[0] == "no change"
    )
    for a in m.contexts:  # staying put changes nothing
        assert m.cells[a, a].reaches == tuple(frozenset({i}) for i in range(len(m.analyses[a])))
    save_figure(transitions_figure(m, SWITCH_COLOURS), tmp_path / "t.svg")
    svg = (tmp_path / "t.svg").read_text()
    assert all(c in svg for c in m.contexts) and "awakening" in svg
    png = save_figure(transitions_figure(m, SWITCH_COLOURS), tmp_path / "t.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    text = transitions_html(m, png)
    assert "Switches that going back does not undo (4)" in text
    assert "<td>neutral</td><td>dormant</td><td>pushA</td><td>proliferative</td>" in text


def test_report_has_the_switch_section(tmp_path):
    from dormnet.bundle import load_bundle
    from dormnet.report import collect, render_report

    data = collect(load_bundle(TOGGLE_BUNDLE), double=False, processes=1)
    text = render_report(data)
    assert 'id="switches"' in text and 'href="#switches"' in text
    assert "Switches that going back does not undo (4)" in text
    assert "context switches" in data.seconds


def test_figure_command_draws_the_matrix(tmp_path):
    out = tmp_path / "m.png"
    r = cli("figure", "transitions", str(TOGGLE_BUNDLE), "-o", str(out))
    assert r.exit_code == 0, r.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
