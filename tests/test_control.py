"""Phenotype control: equal to a brute-force loop (every set up to K, filter, minimise), on
hand-checked networks, random networks (state-graph oracle), the bundled model and the corpus."""

from __future__ import annotations

import itertools
import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dormnet import BooleanNetwork, read_bnet
from dormnet._engines import brute
from dormnet.attractors import attractors, fixed_points
from dormnet.bundle import Bundle, load_bundle
from dormnet.cli import main
from dormnet.control import control
from dormnet.errors import DormnetError, UnknownNodeError
from dormnet.expr import evaluate, parse_expr
from dormnet.perturb import clamp
from dormnet.phenotypes import holds
from dormnet.records import Context, Drug, Phenotype
from dormnet.spaces import states_of

from .conftest import corpus_params
from .test_attractors import random_networks

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- the brute-force loop ------------------------------------------------------------------


def oracle(agents, contexts, max_size, works):
    """Every set of up to ``max_size`` agents in every context, by ``works(clamps, context)``:
    set -> (contexts where it works, contexts where it is minimal), over the sets minimal in
    at least one context. ``agents``: label -> clamps dict; ``contexts``: name -> clamps."""
    labels = list(agents)
    verdict: dict[tuple[frozenset, str], bool] = {}
    valid: list[frozenset] = []
    for k in range(max_size + 1):
        for combo in itertools.combinations(labels, k):
            merged: dict[str, int] = {}
            ok = True
            for a in combo:
                for n, v in agents[a].items():
                    ok &= merged.setdefault(n, v) == v
            if not ok:
                continue
            s = frozenset(combo)
            valid.append(s)
            for c, base in contexts.items():
                verdict[(s, c)] = works({**base, **merged}, c)
    out = {}
    for s in valid:
        minimal = {
            c
            for c in contexts
            if verdict[(s, c)] and not any(verdict.get((t, c)) for t in valid if t < s)
        }
        if minimal:
            out[s] = ({c for c in contexts if verdict[(s, c)]}, minimal)
    return out


def found(result):
    """The control result in the oracle's shape, after checking that no set is listed twice."""
    keys = [frozenset(s.agents) for s in result.solutions]
    assert len(keys) == len(set(keys)), "a set is listed twice"
    return {frozenset(s.agents): (set(s.contexts), set(s.minimal_in)) for s in result.solutions}


def gene_agents(net, nodes):
    return {f"{n}-{s}": {n: v} for n in nodes for s, v in (("KO", 0), ("OE", 1))}


def bundle_agents(bundle, nodes):
    """What ``agents="both"`` tries: the nodes' knockouts and overexpressions, and every drug."""
    agents = gene_agents(bundle.network, nodes)
    agents.update({d.name: dict(d.clamps) for d in bundle.drugs.values()})
    return agents


def state_graph_verdict(net, target, update):
    """Whether every attractor of ``net`` satisfies ``target``, by listing the state graph."""
    expr = parse_expr(target)

    def ok(s):
        return bool(evaluate(expr, s))

    if update == "fixed-points":
        fps = brute.fixed_points(net)
        return bool(fps) and all(ok(s) for s in fps)
    if update == "mp":
        spaces = brute.trap_spaces(net, "min")
        return all(ok(s) for m in spaces for s in states_of(m, list(net.nodes)))
    return all(ok(s) for a in brute.async_attractors(net) for s in a)


# -- hand-checked networks ---------------------------------------------------------------------

# a toggle switch a ⊣ b ⊣ a feeding c = a & c | b. Without intervention c is 0 in the fixed
# point a=1, b=0, c=0: no. a=0 forces b=1, hence c=1; b=1 likewise; a=1 or b=0 keep the
# bistable c (c=0 and c=1 both fixed): no. c itself is read by the target, so it is no
# candidate.
TOGGLE = {"a": "!b", "b": "!a", "c": "a & c | b"}


def test_toggle_switch_control_by_hand():
    result = control(Bundle(BooleanNetwork(TOGGLE)), target="c", max_size=2)
    assert [s.agents for s in result.solutions] == [("a-KO",), ("b-OE",)]
    assert [s.interventions for s in result.solutions] == [{"a": 0}, {"b": 1}]
    assert all(s.contexts == ("-",) == s.minimal_in for s in result.solutions)
    assert result.candidates == ["a-KO", "a-OE", "b-KO", "b-OE"]
    # a-KO + b-OE works too, but it has working proper subsets: never listed


# The motif-avoidant network (Rozum et al. 2021, DOI:10.1093/bioinformatics/btab825):
# A = !A & !B | C, B = !A & !B | C, C = A & B. Its only minimal trap space is the fixed point
# 111, so under mp the target C already holds; under async the states 000, 100, 010 form a
# cyclic attractor outside every trap space (from 100 and 010 only back to 000, C stays 0), so
# C fails there. Holding A=1 alone keeps the fixed point 100 (B = C = 0): it takes both A=1
# and B=1 (then C=1) under async.
MOTIF_AVOIDANT = {"A": "!A & !B | C", "B": "!A & !B | C", "C": "A & B"}


@pytest.mark.parametrize(
    "update, expected, also",
    [
        ("mp", [()], {"async": (), "fixed-points": ("-",)}),
        ("fixed-points", [()], {"mp": ("-",), "async": ()}),
        ("async", [("A-OE", "B-OE")], {"mp": ("-",), "fixed-points": ("-",)}),
    ],
)
def test_motif_avoidant_attractor_separates_mp_from_async(update, expected, also):
    result = control(Bundle(BooleanNetwork(MOTIF_AVOIDANT)), target="C", max_size=2, update=update)
    assert [s.agents for s in result.solutions] == expected
    assert result.solutions[0].also == also


def test_nodes_that_cannot_reach_the_target_are_pruned_under_mp_and_async_only():
    # d reads a but regulates nothing the target reads; under fixed points, clamping e (a
    # negative self-loop that regulates nothing) creates the fixed points that the target then
    # needs, so there it is a solution although it is not upstream
    net = BooleanNetwork({**TOGGLE, "d": "a", "e": "!e"})
    mp = control(Bundle(net), target="c", max_size=1)
    assert set(mp.pruned) == {"d-KO", "d-OE", "e-KO", "e-OE"}
    assert [s.agents for s in mp.solutions] == [("a-KO",), ("b-OE",)]
    fixed = control(Bundle(net), target="c", max_size=2, update="fixed-points")
    assert fixed.pruned == []
    assert {frozenset(s.agents) for s in fixed.solutions} == {
        frozenset({"a-KO", "e-KO"}),
        frozenset({"a-KO", "e-OE"}),
        frozenset({"b-OE", "e-KO"}),
        frozenset({"b-OE", "e-OE"}),
    }


def drug_bundle():
    """u is an input (contexts on and off); u -> x -> z ⊣ y, target y. Two drugs hold x at 0
    (equivalent; their evidence words rank them), one holds x at 1, one holds z at 0."""
    net = BooleanNetwork({"u": "u", "x": "u", "z": "x", "y": "!z"})
    contexts = {
        "on": Context("on", "", {"u": 1}, {"u": 1}, ("PMID:1",)),
        "off": Context("off", "", {"u": 0}, {"u": 0}, ("PMID:1",)),
    }
    drugs = {
        "xinib": Drug("xinib", (), "", {"x": 0}, ("PMID:1",), "approved"),
        "xstat": Drug("xstat", (), "", {"x": 0}, ("PMID:1",), "tool"),
        "xup": Drug("xup", (), "", {"x": 1}, ("PMID:1",), "clinical"),
        "zinib": Drug("zinib", (), "", {"z": 0}, ("PMID:1",), ""),
    }
    y = Phenotype("high", "y", parse_expr("y"))
    return Bundle(net, contexts=contexts, drugs=drugs, phenotypes={"high": y})


def test_drugs_equivalent_drugs_conflicts_and_evidence_rank():
    b = drug_bundle()
    result = control(b, to="high", agents="drugs", max_size=2)
    # in "off" y is already high; in "on" x=1 -> z=1 -> y=0: holding x or z at 0 works
    assert [(s.agents, s.contexts, s.minimal_in, s.evidence) for s in result.solutions] == [
        ((), ("off",), ("off",), "none"),
        (("xinib",), ("on", "off"), ("on",), "approved"),
        (("xstat",), ("on", "off"), ("on",), "tool"),
        (("zinib",), ("on", "off"), ("on",), "none"),
    ]
    assert result.solutions[1].drugs == ("xinib",) and result.solutions[1].interventions == {}
    both = control(b, to="high", agents="both", max_size=2, contexts=["on"])
    labels = [s.agents for s in both.solutions]
    assert ("x-KO",) in labels and ("xinib",) in labels
    assert not any(len(s) > 1 for s in labels)  # every pair holds a working single
    assert [
        s.agents
        for s in control(
            b, to="high", agents="drugs", min_evidence="clinical", contexts=["on"]
        ).solutions
    ] == [("xinib",)]


def test_source_phenotype_selects_contexts():
    b = drug_bundle()
    b.phenotypes["low"] = Phenotype("low", "!y", parse_expr("!y"))
    result = control(b, to="high", source="low", agents="drugs", max_size=1)
    assert result.contexts == ["on"] and result.skipped == ["off"]
    assert {s.agents for s in result.solutions} == {("xinib",), ("xstat",), ("zinib",)}


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({}, DormnetError, "either as a phenotype"),
        ({"to": "high", "target": "y"}, DormnetError, "either as a phenotype"),
        ({"to": "hihg"}, UnknownNodeError, "did you mean 'high'"),
        ({"target": "y & nope"}, UnknownNodeError, "unknown node 'nope'"),
        ({"target": "y &"}, DormnetError, "target 'y &'"),
        ({"target": "y", "nodes": ["y"]}, DormnetError, "read by the target"),
        ({"target": "y", "contexts": ["of"]}, UnknownNodeError, "did you mean 'off'"),
        ({"target": "y", "update": "sync"}, ValueError, "update must be one of"),
        ({"target": "y", "source": "low"}, UnknownNodeError, "phenotype"),
    ],
)
def test_bad_questions_are_clear_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        control(drug_bundle(), **kwargs)


def test_drugs_without_a_drug_table_is_an_error():
    with pytest.raises(DormnetError, match="no drugs file"):
        control(Bundle(BooleanNetwork(TOGGLE)), target="c", agents="drugs")


# -- random networks against the state-graph oracle -------------------------------------------


@given(random_networks(max_nodes=5), st.data())
@SETTINGS
def test_random_networks_equal_the_brute_force_loop(net, data):
    nodes = list(net.nodes)
    reads = data.draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=2, unique=True))
    target = " & ".join(n if data.draw(st.booleans()) else "!" + n for n in reads)
    if len(reads) == 2 and data.draw(st.booleans()):
        target = target.replace(" & ", " | ")
    update = data.draw(st.sampled_from(["mp", "async", "fixed-points"]))
    ctx_node = data.draw(st.sampled_from(nodes))
    contexts = {
        "c0": Context("c0", "", {ctx_node: 0}, {ctx_node: 0}, ()),
        "c1": Context("c1", "", {ctx_node: 1}, {ctx_node: 1}, ()),
    }
    bundle = Bundle(net, contexts=contexts)
    result = control(bundle, target=target, max_size=2, update=update, processes=1)
    candidates = [n for n in nodes if n not in reads and n not in net.inputs]
    agents = gene_agents(net, [n for n in candidates if n not in net.constants])
    expected = oracle(
        agents,
        {c: x.inputs for c, x in contexts.items()},
        2,
        lambda cl, c: state_graph_verdict(clamp(net, cl), target, update),
    )
    assert found(result) == expected
    for s in result.solutions:  # the cross-checks, against the oracle too
        for other, where in s.also.items():
            for c in s.contexts:
                cl = {**contexts[c].inputs, **s.clamps}
                assert (c in where) == state_graph_verdict(clamp(net, cl), target, other)


@st.composite
def control_questions(draw, max_nodes=6):
    """A random network, a target over one or two nodes, an update scheme, two contexts (one
    node held at 0, then 1) and up to three drugs of one or two clamps each."""
    net = draw(random_networks(max_nodes=max_nodes))
    nodes = list(net.nodes)
    reads = draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=2, unique=True))
    target = " & ".join(n if draw(st.booleans()) else "!" + n for n in reads)
    if len(reads) == 2 and draw(st.booleans()):
        target = target.replace(" & ", " | ")
    update = draw(st.sampled_from(["mp", "async", "fixed-points"]))
    ctx_node = draw(st.sampled_from(nodes))
    contexts = {f"c{v}": Context(f"c{v}", "", {ctx_node: v}, {ctx_node: v}, ()) for v in (0, 1)}
    drugs = {}
    for k in range(draw(st.integers(0, 3))):
        held = draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=2, unique=True))
        clamps = {n: int(draw(st.booleans())) for n in held}
        drugs[f"d{k}"] = Drug(f"d{k}", (), "", clamps, ("PMID:1",), "")
    return net, reads, target, update, contexts, drugs


@given(control_questions(), st.booleans())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_sets_of_three_with_drugs_equal_the_brute_force_loop(question, prune):
    """Sets of up to 3 agents, drugs of two clamps among them: the pruned search (facts A, B
    and C of dormnet._engines.control_prune) and the plain one both give the brute-force loop's
    answer, list for list."""
    from dormnet._engines import control_search

    net, reads, target, update, contexts, drugs = question
    bundle = Bundle(net, contexts=contexts, drugs=drugs)
    saved = control_search.PRUNE
    control_search.PRUNE = prune
    try:
        result = control(
            bundle,
            target=target,
            max_size=3,
            agents="both" if drugs else "genes",
            update=update,
            processes=1,
        )
    finally:
        control_search.PRUNE = saved
    genes = [n for n in net.nodes if n not in reads and n not in net.inputs]
    agents = gene_agents(net, [n for n in genes if n not in net.constants])
    agents.update({d.name: dict(d.clamps) for d in drugs.values()})
    expected = oracle(
        agents,
        {c: x.inputs for c, x in contexts.items()},
        3,
        lambda cl, c: state_graph_verdict(clamp(net, cl), target, update),
    )
    assert found(result) == expected
    for s in result.solutions:
        for other, where in s.also.items():
            for c in s.contexts:
                cl = {**contexts[c].inputs, **s.clamps}
                assert (c in where) == state_graph_verdict(clamp(net, cl), target, other)


@given(random_networks(max_nodes=6), st.data())
@SETTINGS
def test_symbolic_verdicts_equal_the_state_graph(net, data):
    """The verdicts on BDDs (AEON: reachability with only the free nodes active, symbolic
    minimal trap spaces and fixed points), forced for every subspace, are the oracle's."""
    from dormnet._engines import control_search, control_verdicts

    nodes = list(net.nodes)
    node = data.draw(st.sampled_from(nodes))
    target = node if data.draw(st.booleans()) else "!" + node
    update = data.draw(st.sampled_from(["mp", "async", "fixed-points"]))
    saved = (
        control_verdicts.EXPLICIT_FREE_NODES,
        control_search.EXPLICIT_FREE_NODES,
        control_search.MAX_INPUT_SPLIT,
    )
    control_verdicts.EXPLICIT_FREE_NODES = control_search.EXPLICIT_FREE_NODES = -1
    control_search.MAX_INPUT_SPLIT = -1
    try:
        result = control(
            Bundle(net), target=target, max_size=2, update=update, processes=1, cross_check=False
        )
    finally:
        (
            control_verdicts.EXPLICIT_FREE_NODES,
            control_search.EXPLICIT_FREE_NODES,
            control_search.MAX_INPUT_SPLIT,
        ) = saved
    candidates = [n for n in nodes if n != node and n not in net.inputs and n not in net.constants]
    expected = oracle(
        gene_agents(net, candidates),
        {"-": {}},
        2,
        lambda cl, c: state_graph_verdict(clamp(net, cl), target, update),
    )
    assert found(result) == expected


# -- the bundled model -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dormancy():
    return load_bundle()


def analyse_verdict(bundle, phenotype, update):
    """Whether every attractor carries the phenotype, through the attractor API and
    :func:`dormnet.phenotypes.holds` (not the control engine's prime-implicant check)."""
    net = bundle.network

    def works(clamps, context):
        if update == "fixed-points":
            fps = fixed_points(net, clamps=clamps)
            return bool(fps) and all(evaluate(phenotype.expr, s) for s in fps)
        return all(holds(phenotype, a) for a in attractors(net, update=update, clamps=clamps))

    return works


NODES = ["NR2F1", "p38", "ERK", "mTORC1", "Autophagy", "AKT", "uPAR", "TGFBR1", "LIFR"]
CONTEXTS = ["bone_marrow", "permissive", "lung", "residual_her2_off", "hypoxic_niche"]


@pytest.mark.parametrize(
    "to, source, update, nodes, contexts",
    [
        ("dormant", None, "mp", NODES, CONTEXTS[:3]),
        ("apoptotic", "dormant", "mp", NODES, CONTEXTS),
        # async: one multistable niche and three genes by default (one async attractor search
        # per set in the oracle: 2 niches and 5 genes took 452 s at load 10); more with --runslow
        ("dormant", None, "async", NODES[:3], CONTEXTS[1:2]),
        pytest.param("dormant", None, "async", NODES[:5], CONTEXTS[1:3], marks=pytest.mark.slow),
        pytest.param("dormant", None, "mp", NODES, CONTEXTS, marks=pytest.mark.slow),
        pytest.param("dormant", None, "async", NODES, CONTEXTS, marks=pytest.mark.slow),
        pytest.param("apoptotic", "dormant", "async", NODES, CONTEXTS, marks=pytest.mark.slow),
    ],
)
def test_bundled_model_equals_the_brute_force_loop(dormancy, to, source, update, nodes, contexts):
    result = control(
        dormancy,
        to=to,
        source=source,
        agents="both",
        nodes=nodes,
        contexts=contexts,
        max_size=2,
        update=update,
        processes=1,
    )
    phenotype = dormancy.phenotypes[to]
    agents = bundle_agents(dormancy, nodes)
    searched = result.contexts
    if source is not None:
        starts = [c for c in contexts if has_attractor(dormancy, c, source, update)]
        assert searched == starts and result.skipped == [c for c in contexts if c not in starts]
    bases = {c: dormancy.context(c).inputs for c in searched}
    expected = oracle(agents, bases, 2, analyse_verdict(dormancy, phenotype, update))
    assert found(result) == expected
    assert len(result.solutions) > 0


def has_attractor(bundle, context, phenotype, update):
    from dormnet.analysis import analyse
    from dormnet.scenario import Scenario

    found = analyse(bundle, Scenario(context), update=update)
    return any(phenotype in ca.phenotypes for ca in found)


def test_bundled_model_source_contexts_are_those_with_a_dormant_attractor(dormancy):
    result = control(dormancy, to="apoptotic", source="dormant", agents="drugs", max_size=1)
    with_dormant = [c for c in dormancy.contexts if has_attractor(dormancy, c, "dormant", "mp")]
    assert result.contexts == with_dormant
    assert result.skipped == [c for c in dormancy.contexts if c not in with_dormant]


# -- corpus models -----------------------------------------------------------------------------


def corpus_target(net):
    """A target that needs control: a non-input node whose value differs between the minimal
    trap spaces, at the value of the last of them (or the last node if none differs)."""
    from dormnet.attractors import trap_spaces

    spaces = trap_spaces(net, kind="min", limit=1000)  # some models have 10^10
    for n in reversed(net.nodes):
        values = {s.get(n, 2) for s in spaces}
        if n not in net.inputs and len(values) > 1:
            v = spaces[-1].get(n, 1)
            return n if v else f"!{n}"
    n = net.nodes[-1]
    return f"!{n}"


@pytest.mark.parametrize("path", corpus_params(cap=10, slow_cap=40))
def test_corpus_models_equal_the_brute_force_loop(path):
    net = read_bnet(path)
    target = corpus_target(net)
    node = target.lstrip("!")
    phenotype = Phenotype("t", target, parse_expr(target))
    for update in ("mp", "async"):
        result = control(Bundle(net), target=target, max_size=2, update=update, processes=1)
        nodes = [n for n in net.nodes if n != node and n not in net.inputs]
        agents = gene_agents(net, [n for n in nodes if n not in net.constants])
        expected = oracle(agents, {"-": {}}, 2, analyse_verdict(Bundle(net), phenotype, update))
        assert found(result) == expected, update


# -- command line ------------------------------------------------------------------------------


def test_cli_json_shape(tmp_path):
    model = tmp_path / "toggle.bnet"
    model.write_text("targets, factors\na, !b\nb, !a\nc, a & c | b\n")
    out = tmp_path / "control.json"
    r = CliRunner().invoke(
        main, ["control", str(model), "--target", "c", "--format", "json", "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text())
    assert [s["interventions"] for s in data["solutions"]] == [{"a": 0}, {"b": 1}]
    first = data["solutions"][0]
    assert first["contexts"] == ["-"] and first["mode"] == "permanent" and first["drugs"] == []
    assert data["target"] == "c" and data["update"] == "mp"


def test_cli_phenotype_option_and_errors(tmp_path):
    model = tmp_path / "toggle.bnet"
    model.write_text("targets, factors\na, !b\nb, !a\nc, a & c | b\n")
    r = CliRunner().invoke(
        main, ["control", str(model), "--phenotype", "on=c", "--to", "on", "--format", "tsv"]
    )
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[1].split("\t")[1] == "a-KO"
    out = tmp_path / "never.json"
    r = CliRunner().invoke(main, ["control", str(model), "--to", "dormant", "-o", str(out)])
    assert r.exit_code == 2 and "error: this model has no phenotypes" in r.output
    assert not out.exists()
    r = CliRunner().invoke(main, ["control", str(model), "--target", "c", "--agents", "drugs"])
    assert r.exit_code == 2 and "no drugs file" in r.output
    assert "Traceback" not in r.output
