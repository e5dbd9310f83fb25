"""Temporary phenotype control (the intervention is released once the cell has settled) against a
brute-force loop over the explicit state graph: every set up to K, from each start attractor of
the context apply the clamps, follow every asynchronous (or most permissive) trajectory to the
treated network's attractors, release, follow every trajectory to the context's attractors and
check the target there; then minimise. Hand-checked networks, random networks, small corpus
models (vendored in ``tests/corpus``), and the bundled model against a loop over
:func:`dormnet.switch.reached`."""

from __future__ import annotations

import itertools
import json

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from dormnet import BooleanNetwork, read_bnet
from dormnet.bundle import Bundle, load_bundle
from dormnet.cli import main
from dormnet.control import control
from dormnet.errors import DormnetError
from dormnet.expr import evaluate, parse_expr
from dormnet.records import Context, Phenotype
from dormnet.scenario import Scenario
from dormnet.switch import reached

from .conftest import CORPUS
from .test_attractors import random_networks
from .test_control import SETTINGS, bundle_agents, found, gene_agents, oracle

#: small corpus models (vendored in tests/corpus): the oracle lists their 2^n states
TEMPORARY_CORPUS = [
    "pbn_xiao_wnt5a",
    "pbn_arellano_rootstem",
    "pbn_faure_cellcycle",
    "pbn_krumsiek_myeloid",
    "bbm_281_emt_switch",
]


class StateGraph:
    """The explicit state graph of a small network under any clamps: states are ints (bit i =
    node i), ``image[s]`` the synchronous image of s, every rule evaluated once per state."""

    def __init__(self, net: BooleanNetwork) -> None:
        self.nodes = list(net.nodes)
        n = len(self.nodes)
        self.image = []
        for s in range(2**n):
            state = {v: (s >> i) & 1 for i, v in enumerate(self.nodes)}
            bits = 0
            for i, v in enumerate(self.nodes):
                bits |= int(bool(evaluate(net.rule(v).expr, state))) << i
            self.image.append(bits)

    def mask(self, clamps: dict[str, int]) -> tuple[int, int]:
        m = v = 0
        for node, value in clamps.items():
            i = self.nodes.index(node)
            m |= 1 << i
            v |= value << i
        return m, v

    def holds(self, expr, states) -> bool:
        return all(
            evaluate(expr, {v: (s >> i) & 1 for i, v in enumerate(self.nodes)}) for s in states
        )

    # -- asynchronous: every single-node change towards the node's function ------------------

    def successors(self, s: int, clamps: tuple[int, int]) -> list[int]:
        m, v = clamps
        diff = ((self.image[s] & ~m) | v) ^ s
        return [s ^ (1 << i) for i in range(len(self.nodes)) if (diff >> i) & 1]

    def forward(self, starts, clamps) -> set[int]:
        seen = set(starts)
        todo = list(seen)
        while todo:
            for t in self.successors(todo.pop(), clamps):
                if t not in seen:
                    seen.add(t)
                    todo.append(t)
        return seen

    def async_attractors(self, states, clamps) -> list[frozenset[int]]:
        """The terminal strongly connected components of the forward-closed set ``states``."""
        g = nx.DiGraph()
        for s in states:
            g.add_node(s)
            g.add_edges_from((s, t) for t in self.successors(s, clamps))
        cond = nx.condensation(g)
        return [frozenset(cond.nodes[c]["members"]) for c in cond.nodes if cond.out_degree(c) == 0]

    # -- most permissive: the attractors are the minimal trap spaces; from a set of states
    # exactly those inside the smallest trap space containing it are reachable (Pauleve et al.
    # 2020, DOI:10.1038/s41467-020-18112-5). Trap spaces by definition, over all 3^n subspaces.

    def subspace_states(self, fixed: dict[int, int]) -> frozenset[int]:
        free = [i for i in range(len(self.nodes)) if i not in fixed]
        base = sum(v << i for i, v in fixed.items())
        out = set()
        for bits in itertools.product((0, 1), repeat=len(free)):
            out.add(base | sum(b << i for b, i in zip(bits, free)))
        return frozenset(out)

    def trap_spaces(self, clamps) -> list[frozenset[int]]:
        m, v = clamps
        out = []
        for values in itertools.product((0, 1, None), repeat=len(self.nodes)):
            fixed = {i: x for i, x in enumerate(values) if x is not None}
            states = self.subspace_states(fixed)
            if all(
                (((self.image[s] & ~m) | v) >> i) & 1 == x for s in states for i, x in fixed.items()
            ):
                out.append(states)
        return out

    def mp(self, clamps):
        """(minimal trap spaces, function: set of states -> the smallest trap space holding it)."""
        traps = self.trap_spaces(clamps)
        minimal = [t for t in traps if not any(u < t for u in traps)]

        def smallest(states):
            return frozenset.intersection(*[t for t in traps if set(states) <= t])

        return minimal, smallest


def temporary_works(graph, update, target, source, base, treated):
    """Whether ``treated`` (the context's clamps ``base`` plus the intervention), held until the
    cell settles and then released, leaves every reachable attractor of the context in the
    target, from every start attractor (those carrying ``source``, if given)."""
    B, T = graph.mask(base), graph.mask(treated)
    every = range(2 ** len(graph.nodes))
    if update == "async":
        starts = graph.async_attractors(every, B)

        def settle(states, clamps):
            return graph.async_attractors(graph.forward(states, clamps), clamps)

    else:
        minimal = {B: graph.mp(B), T: graph.mp(T)}
        starts = minimal[B][0]

        def settle(states, clamps):
            spaces, smallest = minimal[clamps]
            box = smallest(states)
            return [a for a in spaces if a <= box]

    if source is not None:
        starts = [a for a in starts if graph.holds(source, a)]
    tm, tv = T
    released = graph.__dict__.setdefault("released", {})  # (attractor, clamps) -> attractors
    for a in starts:
        for mid in settle({(s & ~tm) | tv for s in a}, T):  # the clamps take hold at once
            key = (frozenset(mid), B)
            if key not in released:
                released[key] = settle(mid, B)  # released: the state carries over
            if not all(graph.holds(target, end) for end in released[key]):
                return False
    return True


def temporary_oracle(net, bases, agents, target, source, update, max_size):
    graph = StateGraph(net)
    tgt = parse_expr(target)
    src = None if source is None else parse_expr(source)

    def works(clamps, context):
        return temporary_works(graph, update, tgt, src, bases[context], clamps)

    return oracle(agents, bases, max_size, works)


# -- hand-checked networks ---------------------------------------------------------------------

# A toggle switch with an output: a ⊣ b ⊣ a, c = a. Two attractors, (a, b, c) = 110... i.e.
# a=1 b=0 c=1 (target c holds) and a=0 b=1 c=0. Holding a at 1 (or b at 0) puts the cell in the
# first; released there it stays (it is a fixed point of the free toggle): the effect lasts.
# Holding a at 0 or b at 1 gives the second. So temporary = permanent = {a-OE}, {b-KO}.
TOGGLE_OUT = {"a": "!b", "b": "!a", "c": "a"}
# A negative loop t -> b ⊣ ... : t = a, a = b, b = !t. No memory: one cyclic attractor (one
# minimal trap space, the whole space) where t oscillates. Holding a or b at 1 gives the fixed
# point t = 1 (permanent {a-OE}, {b-OE}); released from it, b turns 0 and the loop oscillates
# again, t included: no set of any size works temporarily.
LOOP = {"t": "a", "a": "b", "b": "!t"}


@pytest.mark.parametrize("update", ["async", "mp"])
@pytest.mark.parametrize(
    "rules, target, permanent, temporary",
    [
        (TOGGLE_OUT, "c", [("a-OE",), ("b-KO",)], [("a-OE",), ("b-KO",)]),
        (TOGGLE_OUT, "!c", [("a-KO",), ("b-OE",)], [("a-KO",), ("b-OE",)]),
        (LOOP, "t", [("a-OE",), ("b-OE",)], []),
    ],
)
def test_hand_checked_temporary_against_permanent(rules, target, permanent, temporary, update):
    bundle = Bundle(BooleanNetwork(rules))
    kw = {"target": target, "max_size": 2, "update": update, "processes": 1}
    perm = control(bundle, mode="permanent", **kw)
    temp = control(bundle, mode="temporary", **kw)
    assert [s.agents for s in perm.solutions] == permanent
    assert [s.agents for s in temp.solutions] == temporary
    assert temp.mode == "temporary"


def test_hysteresis_with_an_input_and_a_source_phenotype():
    """s is an input: s = 1 forces a (a = !b | s); the marker c = a & !b. In context s=0 the
    toggle is bistable (A: a=1 b=0 c=1, B: a=0 b=1 c=0); in s=1 only A. Target A, from B: a-OE
    and b-KO work in s=0 temporarily (released at A, a fixed point of the free toggle); in s=1
    the cell is already in A (no start in B): the context is skipped."""
    net = BooleanNetwork({"s": "s", "a": "!b | s", "b": "!a", "c": "a & !b"})
    contexts = {
        "off": Context("off", "", {"s": 0}, {"s": 0}, ()),
        "on": Context("on", "", {"s": 1}, {"s": 1}, ()),
    }
    phen = {
        "A": Phenotype("A", "c", parse_expr("c")),
        "B": Phenotype("B", "!c", parse_expr("!c")),
    }
    bundle = Bundle(net, contexts=contexts, phenotypes=phen)
    result = control(bundle, to="A", source="B", mode="temporary", update="async", processes=1)
    assert result.contexts == ["off"] and result.skipped == ["on"]
    assert [s.agents for s in result.solutions] == [("a-OE",), ("b-KO",)]
    # from A the empty set works already (nothing to do), from every attractor it does not
    every = control(bundle, to="A", mode="temporary", update="async", processes=1)
    assert [(s.agents, s.contexts, s.minimal_in) for s in every.solutions] == [
        ((), ("on",), ("on",)),
        (("a-OE",), ("off", "on"), ("off",)),
        (("b-KO",), ("off", "on"), ("off",)),
    ]


def test_temporary_mode_needs_a_dynamic_update():
    with pytest.raises(DormnetError, match="use --update async or mp"):
        control(
            Bundle(BooleanNetwork(TOGGLE_OUT)),
            target="c",
            mode="temporary",
            update="fixed-points",
        )


# -- random networks ---------------------------------------------------------------------------


@given(random_networks(max_nodes=5), st.data())
@SETTINGS
def test_random_networks_equal_the_state_graph_loop(net, data):
    nodes = list(net.nodes)
    reads = data.draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=2, unique=True))
    target = " & ".join(n if data.draw(st.booleans()) else "!" + n for n in reads)
    if len(reads) == 2 and data.draw(st.booleans()):
        target = target.replace(" & ", " | ")
    update = data.draw(st.sampled_from(["mp", "async"]))
    ctx_node = data.draw(st.sampled_from(nodes))
    contexts = {
        "c0": Context("c0", "", {ctx_node: 0}, {ctx_node: 0}, ()),
        "c1": Context("c1", "", {ctx_node: 1}, {ctx_node: 1}, ()),
    }
    source = None
    phenotypes = {"t": Phenotype("t", target, parse_expr(target))}
    if data.draw(st.booleans()):
        node = data.draw(st.sampled_from(nodes))
        source = node if data.draw(st.booleans()) else "!" + node
        phenotypes["s"] = Phenotype("s", source, parse_expr(source))
    bundle = Bundle(net, contexts=contexts, phenotypes=phenotypes)
    result = control(
        bundle,
        to="t",
        source=None if source is None else "s",
        max_size=2,
        update=update,
        mode="temporary",
        processes=1,
    )
    graph = StateGraph(net)
    bases = {c: x.inputs for c, x in contexts.items()}
    if source is not None:
        src = parse_expr(source)
        if update == "async":
            every = range(2 ** len(nodes))
            starts = {c: graph.async_attractors(every, graph.mask(b)) for c, b in bases.items()}
        else:
            starts = {c: graph.mp(graph.mask(b))[0] for c, b in bases.items()}
        bases = {c: b for c, b in bases.items() if any(graph.holds(src, a) for a in starts[c])}
    assert result.contexts == list(bases)
    candidates = [n for n in nodes if n not in reads and n not in net.inputs]
    agents = gene_agents(net, [n for n in candidates if n not in net.constants])
    expected = temporary_oracle(net, bases, agents, target, source, update, 2)
    assert found(result) == expected
    other = "mp" if update == "async" else "async"
    for s in result.solutions:  # the cross-check under the other scheme, against the oracle
        assert set(s.also) == {other}
        for c in s.contexts:
            treated = {**bases[c], **s.clamps}
            want = temporary_works(
                graph,
                other,
                parse_expr(target),
                None if source is None else parse_expr(source),
                bases[c],
                treated,
            )
            assert (c in s.also[other]) == want


# -- small corpus models (vendored) ------------------------------------------------------------


def corpus_target(net):
    from .test_control import corpus_target as target

    return target(net)


#: the oracle's explicit graphs take ~30-80 s on the 11- and 12-node models: slow
SLOW_CORPUS = {"pbn_krumsiek_myeloid", "bbm_281_emt_switch"}


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            CORPUS / "models" / f"{name}.bnet",
            id=name,
            marks=[pytest.mark.slow] if name in SLOW_CORPUS else [],
        )
        for name in TEMPORARY_CORPUS
    ],
)
def test_corpus_models_equal_the_state_graph_loop(path):
    net = read_bnet(path)
    target = corpus_target(net)
    node = target.lstrip("!")
    nodes = [n for n in net.nodes if n != node and n not in net.inputs]
    agents = gene_agents(net, [n for n in nodes if n not in net.constants])
    result = control(
        Bundle(net), target=target, max_size=2, update="async", mode="temporary", processes=1
    )
    expected = temporary_oracle(net, {"-": {}}, agents, target, None, "async", 2)
    assert found(result) == expected


# -- the bundled model: the search against a loop over the switch API --------------------------


@pytest.fixture(scope="module")
def dormancy():
    return load_bundle()


@pytest.mark.parametrize(
    "to, source, update, nodes, contexts",
    [
        ("dormant", None, "mp", ["NR2F1", "p38", "ERK", "mTORC1", "uPAR"], ["lung", "permissive"]),
        (
            "dormant",
            "proliferative",
            "mp",
            ["NR2F1", "p38", "uPAR", "ITGA5B1", "ERK"],
            ["permissive", "fibrotic", "lung"],
        ),
        pytest.param(
            "dormant",
            None,
            "async",
            ["NR2F1", "p38", "ERK", "mTORC1", "uPAR"],
            ["lung", "permissive"],
            marks=pytest.mark.slow,
        ),
    ],
)
def test_bundled_model_equals_a_loop_over_reached(dormancy, to, source, update, nodes, contexts):
    """Every set against ``reached(bundle, [context, context + set, context])``: the plain
    switch API, no shared subspaces, shortcuts or caches."""
    result = control(
        dormancy,
        to=to,
        source=source,
        agents="both",
        nodes=nodes,
        contexts=contexts,
        max_size=2,
        update=update,
        mode="temporary",
        processes=1,
    )
    agents = bundle_agents(dormancy, nodes)
    bases = {c: dormancy.context(c).inputs for c in result.contexts}
    assert result.contexts  # the question is not empty

    def works(clamps, context):
        held = ",".join(f"{n}={v}" for n, v in clamps.items() if bases[context].get(n) != v)
        treated = Scenario.parse(f"{context},{held}" if held else context)
        steps = [Scenario.parse(context), treated, Scenario.parse(context)]
        after = reached(dormancy, steps, start=source, update=update)
        return bool(after) and all(to in ca.phenotypes for ca in after)

    assert found(result) == oracle(agents, bases, 2, works)
    assert len(result.solutions) > 0


def test_cli_temporary_json(tmp_path):
    model = tmp_path / "toggle.bnet"
    model.write_text("targets, factors\na, !b\nb, !a\nc, a\nd, !c\n")
    out = tmp_path / "c.json"
    args = ["control", str(model), "--target", "c", "--format", "json", "-o", str(out)]
    r = CliRunner().invoke(main, [*args, "--mode", "temporary", "--update", "async"])
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text())
    assert data["mode"] == "temporary"
    assert [s["interventions"] for s in data["solutions"]] == [{"a": 1}, {"b": 0}]
    assert [s["mode"] for s in data["solutions"]] == ["temporary", "temporary"]
