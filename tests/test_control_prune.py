"""The facts behind the pruned control search (dormnet._engines.control_prune), each against an
independent oracle: the percolated graph holds every real dependency (flipping a regulator in
every state of the subspace), a canonical space has the verdict of its subspace (the state
graph), and on the bundled model sets of up to 3 equal the brute-force loop and the plain
search."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dormnet._engines import control_search
from dormnet._engines.control_prune import Relevance
from dormnet._engines.control_search import TargetCubes
from dormnet._engines.percolation import percolator
from dormnet.bundle import load_bundle
from dormnet.control import control
from dormnet.expr import evaluate, parse_expr
from dormnet.perturb import clamp

from .test_attractors import random_networks
from .test_control import analyse_verdict, found, gene_agents, oracle, state_graph_verdict

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def clamped_questions(draw):
    """A random network, clamps on some of its nodes, and a target over one or two nodes."""
    net = draw(random_networks(max_nodes=6))
    nodes = list(net.nodes)
    held = draw(st.lists(st.sampled_from(nodes), max_size=3, unique=True))
    clamps = {n: int(draw(st.booleans())) for n in held}
    reads = draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=2, unique=True))
    target = (" | " if draw(st.booleans()) else " & ").join(
        n if draw(st.booleans()) else "!" + n for n in reads
    )
    return net, clamps, reads, target


def columns(net, clamps):
    """The percolated subspace of ``clamps`` as one-column numpy matrices, and the percolator."""
    import numpy as np

    perc = percolator(net)
    mask, vals = perc.percolate(perc.space_of(clamps))
    n = len(perc.nodes)
    F = np.array([[(mask >> i) & 1] for i in range(n)], dtype=bool)
    V = np.array([[(vals >> i) & 1] for i in range(n)], dtype=bool)
    return perc, F, V


@given(clamped_questions())
@SETTINGS
def test_percolated_graph_holds_every_real_dependency(question):
    net, clamps, reads, _target = question
    perc, F, V = columns(net, clamps)
    nodes = perc.nodes
    free = [i for i in range(len(nodes)) if not F[i, 0]]
    fixed = {nodes[i]: int(V[i, 0]) for i in range(len(nodes)) if F[i, 0]}
    # j -> i when flipping j changes f_i in some state of the subspace (free nodes only)
    edges = set()
    for bits in itertools.product((0, 1), repeat=len(free)):
        state = {**fixed, **{nodes[i]: b for i, b in zip(free, bits)}}
        for i in free:
            f = evaluate(net.rule(nodes[i]).expr, state)
            for j in free:
                flipped = {**state, nodes[j]: 1 - state[nodes[j]]}
                if evaluate(net.rule(nodes[i]).expr, flipped) != f:
                    edges.add((j, i))
    truth = {perc.index[r] for r in reads if not F[perc.index[r], 0]}
    todo = list(truth)
    while todo:
        i = todo.pop()
        for j, k in edges:
            if k == i and j not in truth:
                truth.add(j)
                todo.append(j)
    anc = Relevance(perc, reads, []).ancestors(F, V)[:, 0]
    found_ = {i for i in range(len(nodes)) if anc[i]}
    assert truth <= found_ <= set(free)


@given(clamped_questions(), st.sampled_from(["mp", "async"]))
@SETTINGS
def test_canonical_space_keeps_the_verdict(question, update):
    """Fact A: the network clamped to the canonical space of a subspace (the target's upstream
    part free, everything else held) has the verdict of the network clamped to the subspace."""
    net, clamps, reads, target = question
    perc, F, V = columns(net, clamps)
    no = TargetCubes(perc.index, parse_expr(target)).no
    cf, cv = Relevance(perc, reads, no).canonical(F, V)
    canonical = {perc.nodes[i]: int(cv[i, 0]) for i in range(len(perc.nodes)) if cf[i, 0]}
    assert state_graph_verdict(clamp(net, canonical), target, update) == state_graph_verdict(
        clamp(net, clamps), target, update
    )


# -- the bundled model -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dormancy():
    return load_bundle()


# ten genes of the size-3 solutions of the full question (23 sets of 3 among them)
NODES = [
    "Quiescence",
    "ERK",
    "p21",
    "STAT1",
    "AKT",
    "mTORC1",
    "Survival",
    "AMPK",
    "COL3",
    "FAK_SRC",
]


def test_bundled_model_sets_of_three_equal_the_brute_force_loop(dormancy, monkeypatch):
    """Knockouts and overexpressions of 10 nodes (1,351 sets of up to 3) in two niches, every
    set's attractors from the attractor API; the percolated graphs in batches of 7 columns
    (batch edges crossed)."""
    monkeypatch.setattr(control_search, "CHUNK", 7)
    contexts = ["permissive", "hypoxic_niche"]
    result = control(
        dormancy, to="dormant", nodes=NODES, contexts=contexts, max_size=3, processes=1
    )
    bases = {c: dormancy.context(c).inputs for c in contexts}
    works = analyse_verdict(dormancy, dormancy.phenotypes["dormant"], "mp")
    expected = oracle(gene_agents(dormancy.network, NODES), bases, 3, works)
    assert found(result) == expected
    assert any(s.size == 3 for s in result.solutions)
    assert any(level["pruned"] for levels in result.stats.values() for level in levels)


@pytest.mark.slow
@pytest.mark.parametrize("update", ["mp", "async"])
def test_bundled_model_full_question_equals_the_plain_search(dormancy, update):
    """The issue's question in its hardest niche (every upstream gene and every drug, sets of
    up to 3): the pruned search lists what the plain search (tested against the brute-force
    loop above) lists, and solves far fewer subspaces."""
    kwargs = {
        "to": "dormant",
        "contexts": ["permissive"],
        "max_size": 3,
        "agents": "both",
        "update": update,
        "cross_check": False,
        "processes": 1,
    }
    pruned = control(dormancy, **kwargs)
    saved = control_search.PRUNE
    control_search.PRUNE = False
    try:
        plain = control(dormancy, **kwargs)
    finally:
        control_search.PRUNE = saved
    assert [(s.agents, s.contexts) for s in pruned.solutions] == [
        (s.agents, s.contexts) for s in plain.solutions
    ]
    solved = [sum(level["solved"] for level in r.stats["permissive"]) for r in (pruned, plain)]
    assert solved[0] * 5 < solved[1]


def test_worker_processes_give_the_one_process_answer(dormancy):
    """Contexts in runs over two forked workers, each keeping its verdicts from context to
    context: the same solutions, contexts and cross-checks as in one process."""
    kwargs = {
        "to": "dormant",
        "contexts": ["bone_marrow_mda", "permissive", "lung_hep3", "fibrotic", "wnt_on"],
        "max_size": 2,
        "agents": "both",
    }
    one = control(dormancy, processes=1, **kwargs)
    two = control(dormancy, processes=2, **kwargs)
    assert [(s.agents, s.contexts, s.minimal_in, s.also) for s in two.solutions] == [
        (s.agents, s.contexts, s.minimal_in, s.also) for s in one.solutions
    ]
    assert any(s.size == 2 for s in one.solutions)
