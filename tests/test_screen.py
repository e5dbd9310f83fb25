"""Screens: identical to a from-scratch loop, resumable, and the same on a Dask cluster."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dormnet import read_bnet
from dormnet._engines.screening import ScreenSolver, exact_batch
from dormnet.analysis import Scenario, analyse
from dormnet.attractors import fixed_points, trap_spaces
from dormnet.bundle import load_bundle
from dormnet.errors import DormnetError, ScreenInterrupted
from dormnet.screen import interventions, screen, switch_class
from dormnet.spaces import freeze

from .compare import assert_same_enumeration
from .conftest import CORPUS, cli_command, corpus_model, corpus_params
from .test_attractors import random_networks


def fs(items):
    return {freeze(x) for x in items}


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


@pytest.mark.parametrize("path", corpus_params(cap=30))
def test_screen_engine_equals_naive_loop_on_corpus(path):
    """Every single KO/OE and a sample of pairs: exact fixed points and minimal trap spaces."""
    net = read_bnet(path)
    nodes = [n for n in net.nodes if n not in net.inputs]
    singles = [((n, v),) for n in nodes for v in (0, 1)]
    pairs = [((a, 0), (b, 1)) for a in nodes[:6] for b in nodes[:6] if a != b]
    solver = ScreenSolver(net)
    for clamps, (fps, mts) in zip(singles + pairs, exact_batch(solver, {}, singles + pairs)):
        ctx = dict(clamps)
        ref = fixed_points(net, clamps=ctx)
        assert_same_enumeration(fps, ref, what=f"fixed points {clamps}", who="fixed_points()")
        ref = trap_spaces(net, kind="min", clamps=ctx)
        assert_same_enumeration(mts, ref, what=f"min trap spaces {clamps}", who="trap_spaces()")


def test_exact_batch_in_forked_workers_equals_one_process(monkeypatch):
    """The screen engine's answers are the same solved in forked workers (forced here: the
    probe would keep a network this small in one process) as in one process."""
    from dormnet._engines import screening

    net = read_bnet(corpus_model("bbm_020_apoptosis_network.bnet"))
    nodes = [n for n in net.nodes if n not in net.inputs]
    clamps = [((n, v),) for n in nodes for v in (0, 1)]
    alone = ScreenSolver(net)
    one = exact_batch(alone, {}, clamps)
    monkeypatch.setattr(screening, "PARALLEL_FROM", 0.0)
    solver = ScreenSolver(net)
    assert exact_batch(solver, {}, clamps, processes=2) == one
    # only the probe ran clingo here, the rest ran in the workers
    assert 0 < solver.solver_calls < alone.solver_calls


def _naive_row(bundle, context, clamps):
    cas_before = analyse(bundle, Scenario(context), update="mp")
    cas_after = analyse(bundle, Scenario(context, tuple(sorted(clamps))), update="mp")
    before = [frozenset(c.phenotypes) for c in cas_before]
    after = [frozenset(c.phenotypes) for c in cas_after]
    return set(before), set(after), switch_class(before, after)


def test_screen_rows_equal_naive_loop_on_bundled_model(bundle):
    items = interventions(bundle, sizes=(1, 2), drugs="all")
    singles = [it for it in items if it.size == 1]
    pairs = [it for it in items if it.size == 2][::97]
    contexts = ["bone_marrow", "permissive", "her2_early"]
    rows = screen(bundle, singles + pairs, contexts=contexts, processes=1)
    assert len(rows) == (len(singles) + len(pairs)) * len(contexts)
    by = {(r.context, r.perturbation): r for r in rows}
    for ctx in contexts:
        for it in singles + pairs:
            before, after, switch = _naive_row(bundle, ctx, it.clamps)
            r = by[(ctx, it.label)]
            assert set(r.after.split("|")) == {"+".join(sorted(w)) for w in after}, (ctx, it.label)
            assert set(r.before.split("|")) == {"+".join(sorted(w)) for w in before}
            assert r.switch == switch, (ctx, it.label)


def test_known_switches_of_the_bundled_model(bundle):
    """The screen reproduces switches that expectations of the model cite, each in the cell
    system where it was seen: p38 loss wakes HEp3-type cells in the TGF-beta2 marrow (Bragado
    2013), LIFR loss wakes MCF7-type cells in the LIF marrow (Johnson 2016), NR2F1 loss kills
    marrow DTCs (Sosa 2015: in bone marrow NR2F1 appears to regulate survival), and
    hydroxychloroquine kills dormant cells wherever they depend on autophagy."""
    labels = ("p38-KO", "NR2F1-KO", "LIFR-KO", "hydroxychloroquine")
    items = [it for it in interventions(bundle, drugs="all") if it.label in labels]
    contexts = ["bone_marrow_hep3", "bone_marrow_mcf7"]
    rows = {
        (r.context, r.perturbation): r.switch
        for r in screen(bundle, items, contexts=contexts, processes=1)
    }
    assert rows["bone_marrow_hep3", "p38-KO"] == "awakening"
    assert rows["bone_marrow_mcf7", "p38-KO"] == "no change"  # the LIF route holds these cells
    assert rows["bone_marrow_mcf7", "LIFR-KO"] == "awakening"
    assert rows["bone_marrow_hep3", "NR2F1-KO"] == "eliminating"
    assert rows["bone_marrow_hep3", "hydroxychloroquine"] == "eliminating"
    assert rows["bone_marrow_mcf7", "hydroxychloroquine"] == "eliminating"


def test_synergy_flag_needs_the_pair(bundle):
    items = interventions(bundle, sizes=(2,), nodes=["p38", "NR2F1", "LIFR", "HER2", "mTORC1"])
    rows = screen(bundle, items, contexts=["bone_marrow"], processes=1)
    singles = {
        r.perturbation: r
        for r in screen(
            bundle,
            interventions(bundle, nodes=["p38", "NR2F1", "LIFR", "HER2", "mTORC1"]),
            contexts=["bone_marrow"],
            processes=1,
        )
    }
    for r in rows:
        a, b = r.perturbation.split(" + ")
        needs_pair = r.after != r.before and r.after not in (singles[a].after, singles[b].after)
        assert r.synergy is needs_pair, r


def results(rows):
    """Rows without the ``solver`` column: it says how a run answered each row (percolation,
    clingo, or shared with an earlier row), which depends on what each worker had solved before."""
    from dataclasses import replace

    return [replace(r, solver="") for r in rows]


def test_parallel_and_serial_give_identical_rows(bundle):
    items = interventions(bundle, sizes=(1, 2), nodes=["p38", "NR2F1", "LIFR", "ERK", "AMPK"])
    serial = screen(bundle, items, processes=1, chunk_size=7)
    parallel = screen(bundle, items, processes=2, chunk_size=7)
    assert results(serial) == results(parallel)


def test_interrupted_screen_resumes_with_exactly_the_rows_of_an_uninterrupted_run(bundle, tmp_path):
    items = interventions(
        bundle, sizes=(1, 2), nodes=["p38", "NR2F1", "LIFR", "ERK", "AMPK", "BCAT"]
    )
    full = screen(bundle, items, processes=1, chunk_size=11)
    journal = tmp_path / "s.journal.jsonl"
    seen = []

    def stop_midway(k):
        seen.append(k)
        if len(seen) == 5:
            raise KeyboardInterrupt

    with pytest.raises(ScreenInterrupted, match="run again with --resume"):
        screen(bundle, items, processes=1, chunk_size=11, journal=journal, progress=stop_midway)
    saved = journal.read_text().splitlines()
    assert len(saved) - 1 == 5 * 11  # header + the five finished chunks, nothing half-written
    computed = []
    resumed = screen(
        bundle,
        items,
        processes=1,
        chunk_size=11,
        journal=journal,
        resume=True,
        progress=computed.append,
    )
    assert results(resumed) == results(full)
    assert computed[0] == 5 * 11  # the finished rows are counted, not recomputed
    assert sum(computed[1:]) == len(full) - 5 * 11


def test_resume_refuses_a_journal_of_another_screen(bundle, tmp_path):
    journal = tmp_path / "j.jsonl"
    items = interventions(bundle, nodes=["p38"])
    screen(bundle, items, contexts=["bone_marrow"], processes=1, journal=journal)
    with pytest.raises(DormnetError, match="journal of a different screen"):
        screen(bundle, items, contexts=["permissive"], processes=1, journal=journal, resume=True)


def test_screen_on_a_dask_local_cluster_gives_identical_rows(bundle):
    from dask import distributed

    items = interventions(bundle, sizes=(1, 2), nodes=["p38", "NR2F1", "LIFR"])
    local = screen(bundle, items, processes=1, chunk_size=5)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = screen(bundle, items, scheduler=cluster.scheduler_address, chunk_size=5)
    assert results(remote) == results(local)


def test_sigint_to_a_running_cli_screen_saves_rows_and_resume_completes(tmp_path):
    """Ctrl-C through the CLI: the rows so far are in the journal, and --resume finishes the
    screen with the rows of an uninterrupted run. A CLI that writes no journal fails here."""
    out = tmp_path / "screen.tsv"
    # the installed console script (python -m dormnet.cli would run a source tree in cwd)
    cmd = [
        *cli_command(),
        "screen",
        "--double",
        "--context",
        "bone_marrow",
        "--processes",
        "1",
        "--chunk-size",
        "50",
        "-o",
        str(out),
    ]
    journal = Path(str(out) + ".journal.jsonl")
    # a shell running us in the background may have set SIGINT to "ignore", which children
    # inherit; give the screen the default disposition so Python turns SIGINT into Ctrl-C
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    seen = 0  # most lines the journal was seen with
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if journal.exists():
            seen = max(seen, journal.read_text().count("\n"))
            if seen >= 3:
                break
        time.sleep(0.05)
    if proc.poll() is not None:
        _, err = proc.communicate()
        pytest.fail(
            f"the screen ended (exit {proc.returncode}) before its journal had 3 lines "
            f"(most seen: {seen}): the CLI wrote no journal, or the screen is too small to "
            f"interrupt; stderr: {err[-2000:]}"
        )
    assert seen >= 3, f"no journal with 3 lines within 120 s (most seen: {seen})"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "--resume" in err and "Traceback" not in err
    assert not out.exists()
    lines = journal.read_text().splitlines()
    rows = [json.loads(x) for x in lines[1:]]
    assert rows and all(set(r) >= {"context", "perturbation", "after", "switch"} for r in rows)
    done = subprocess.run(
        [*cmd, "--resume"], check=False, capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    again = tmp_path / "again.tsv"
    ref = subprocess.run(
        [*cmd[:-2], "-o", str(again)],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert ref.returncode == 0
    assert out.read_text() == again.read_text()
    assert not journal.exists()


# -- screens of any model: given phenotypes, or none at all (issue 17, item 3) ----------------

TOY = "targets, factors\nu, u\na, u & !b\nb, !a\nc, a | c\n"


def _attractor_values(net, clamps):
    """Per node, the set of values it takes over the minimal trap spaces (``*`` if free)."""
    spaces = trap_spaces(net, kind="min", clamps=clamps)
    return {n: {s.get(n, "*") for s in spaces} for n in net.nodes}, len(spaces)


def test_screen_without_phenotypes_reports_attractor_changes():
    """No phenotype: each row counts the minimal trap spaces before and after and names the
    nodes whose set of values over them changes, computed here from two trap-space queries."""
    from dormnet.bundle import Bundle
    from dormnet.io import parse_bnet

    net = parse_bnet(TOY)
    rows = screen(Bundle(net), interventions(Bundle(net), sizes=(1, 2)), processes=1)
    before, n_before = _attractor_values(net, {})
    assert len(rows) == 6 + 12
    for r in rows:
        clamps = {p[:-3]: 0 if p.endswith("-KO") else 1 for p in r.perturbation.split(" + ")}
        after, n_after = _attractor_values(net, clamps)
        assert (r.n_before, r.n_after) == (n_before, n_after)
        changed = r.changed.split(",") if r.changed else []
        assert changed == [n for n in net.nodes if before[n] != after[n]], r.perturbation
        same = fs(trap_spaces(net, kind="min", clamps=clamps)) == fs(trap_spaces(net, kind="min"))
        assert r.switch == ("no change" if same else "other shift")


def test_cli_screen_of_a_plain_bnet_with_and_without_phenotypes(tmp_path):
    from click.testing import CliRunner

    from dormnet.cli import main

    model = tmp_path / "toy.bnet"
    model.write_text(TOY)
    r = CliRunner().invoke(main, ["screen", str(model)])
    assert r.exit_code == 0, r.output
    head, *lines = r.output.splitlines()
    assert head.split("\t")[-1] == "changed" and len(lines) == 6
    r = CliRunner().invoke(
        main, ["screen", str(model), "--phenotype", "high=c", "--phenotype", "low=!c"]
    )
    assert r.exit_code == 0, r.output
    row = {line.split("\t")[1]: line.split("\t") for line in r.output.splitlines()[1:]}
    assert row["c-OE"][6] == "high" and row["c-KO"][6] == "low"
    r = CliRunner().invoke(main, ["screen", str(model), "--phenotype", "high=nope"])
    assert r.exit_code == 2 and "unknown node 'nope'" in r.output


def test_screen_tables_without_the_changed_column_still_read(tmp_path):
    from dormnet.io.screen_rows import read_rows

    old = tmp_path / "old.tsv"
    old.write_text(
        "context\tperturbation\tsize\tn_before\tbefore\tn_after\tafter\tswitch\tsynergy\tsolver\n"
        "bm\tp38-KO\t1\t1\tdormant\t1\tproliferative\tawakening\t\tpercolation\n"
    )
    (row,) = read_rows(old)
    assert row.switch == "awakening" and row.changed == ""


# -- single fixed-point screens in one enumeration (issue 17, item 4) --------------------------


def _single_screen_oracle(net, base, singles):
    from dormnet._engines import brute
    from dormnet.perturb import clamp

    return [fs(brute.fixed_points(clamp(net, {**base, n: v}))) for n, v in singles]


@given(random_networks(max_nodes=6), st.data())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_single_fixed_points_equal_the_state_graph(net, data):
    """Every state with at most one node off its function, dealt out to the clamps, gives the
    fixed points of each single clamp (with some nodes held by a base)."""
    nodes = list(net.nodes)
    held = data.draw(st.lists(st.sampled_from(nodes), max_size=2, unique=True))
    base = {n: data.draw(st.integers(0, 1)) for n in held}
    singles = [(n, v) for n in nodes if n not in base for v in (0, 1)]
    solver = ScreenSolver(net, need_trap_spaces=False)
    got = solver.single_fixed_points(base, singles)
    assert [fs(solver.perc.to_dict(s) for s in fps) for fps in got] == _single_screen_oracle(
        net, base, singles
    )
    assert all(len(set(fps)) == len(fps) for fps in got)


def _values_text(states, nodes):
    """The oracle's ``before``/``after`` cell of a screen without phenotypes: per node, the
    values it takes over the fixed points."""
    if not states:
        return "none"
    return ",".join(f"{n}=" + "".join(sorted({str(s[n]) for s in states})) for n in nodes) or "same"


@given(random_networks(max_nodes=6), st.data())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fixed_point_screen_rows_equal_the_state_graph(net, data):
    """Every row of a single KO + OE fixed-point screen, "before" included (taken from the
    rows' one enumeration, not from a search of its own), against the state graph: numbers of
    fixed points before and after, the nodes whose values change and those values, in two
    contexts on a drawn node (a perturbation of that node overrides its context) and without
    any; with a phenotype, the phenotype words of every fixed point."""
    from dormnet._engines import brute
    from dormnet.bundle import Bundle
    from dormnet.expr import parse_expr
    from dormnet.perturb import clamp
    from dormnet.records import Context, Phenotype

    nodes = list(net.nodes)
    held = data.draw(st.sampled_from(nodes))
    contexts = {
        "c0": Context("c0", "", {held: 0}, {held: 0}, ()),
        "c1": Context("c1", "", {held: 1}, {held: 1}, ()),
    }
    for bundle, names in ((Bundle(net), {"-": {}}), (Bundle(net, contexts=contexts), None)):
        rows = screen(bundle, interventions(bundle), query="fixed-points", processes=1)
        items = interventions(bundle)
        ctx = names or {c: x.inputs for c, x in contexts.items()}
        assert [(r.context, r.perturbation) for r in rows] == [
            (c, it.label) for c in ctx for it in items
        ]
        for r, (c, it) in zip(rows, [(c, it) for c in ctx for it in items]):
            before = brute.fixed_points(clamp(net, ctx[c]))
            after = brute.fixed_points(clamp(net, {**ctx[c], **dict(it.clamps)}))
            assert (r.n_before, r.n_after) == (len(before), len(after)), (c, it.label)
            changed = [n for n in nodes if {s[n] for s in before} != {s[n] for s in after}]
            assert r.changed == ",".join(changed), (c, it.label)
            assert (r.before, r.after) == (
                _values_text(before, changed),
                _values_text(after, changed),
            ), (c, it.label)
    word = data.draw(st.sampled_from(nodes))
    high = Phenotype("high", word, parse_expr(word))
    bundle = Bundle(net, phenotypes={"high": high})
    for r in screen(bundle, interventions(bundle), query="fixed-points", processes=1):
        clamps = {p[:-3]: 0 if p.endswith("-KO") else 1 for p in [r.perturbation]}
        words = {
            "high" if s[word] else "undetermined" for s in brute.fixed_points(clamp(net, clamps))
        }
        assert set(r.after.split("|")) == (words or {"none"}), r.perturbation
        assert r.n_before == len(brute.fixed_points(net))


@given(random_networks(max_nodes=7))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fixed_point_states_decoded_without_numpy_equal_the_rows(net):
    """The states of the fixed-point modes read as per-node columns and per-state rows (bytes
    and base-2 strings, no numpy) are the rows of the atom-by-atom decoder, each state once;
    the fall-back for another atom layout gives the same."""
    from dormnet._engines.asp import AspEngine
    from dormnet._engines.asp_models import Decoder

    engine = AspEngine(net)
    n = len(net.nodes)
    for mode in ("fixed", "fixed1"):
        expected = sorted(
            sum(1 << i for i, v in enumerate(r) if v == 1) for r in engine.solve_rows(mode)
        )
        count, columns, rows = engine.solve_states(mode)
        assert count == len(rows) == len(expected) and sorted(rows) == expected
        assert columns == [
            sum(1 << m for m, x in enumerate(rows) if (x >> i) & 1) for i in range(n)
        ]
        chunks = engine._collect(mode, None, None, None)
        assert Decoder.states(engine._decoder(mode), chunks) is not None or not chunks
    # blocks that are not one atom per node in node order are refused, not misread: two
    # handles swapped, or one node's handle where another node's belongs
    chunks = engine._collect("fixed1", None, None, None)
    if n >= 2 and chunks:
        decoder = engine._decoder("fixed1")
        block = chunks[-1]
        swapped = block[8:16] + block[:8] + block[16:]
        assert decoder.states([*chunks[:-1], swapped]) is None
        doubled = block[:8] + block[:8] + block[16:]
        assert decoder.states([*chunks[:-1], doubled]) is None
    original = Decoder.states
    try:
        Decoder.states = lambda self, chunks: None  # type: ignore[method-assign]
        count, columns, rows = engine.solve_states("fixed1")
    finally:
        Decoder.states = original  # type: ignore[method-assign]
    assert (count, sorted(rows)) == (len(expected), expected)
    assert columns == [sum(1 << m for m, x in enumerate(rows) if (x >> i) & 1) for i in range(n)]


def _few_fixed_points(params, most=10_000):
    """The corpus params whose fixed points counts.tsv counts exactly, at most ``most``: the
    per-clamp loop lists them all (some models have 10^10)."""
    import csv

    with (CORPUS / "counts.tsv").open() as fh:
        counts = {r["model"]: r["fixed_points"] for r in csv.DictReader(fh, delimiter="\t")}
    keep = []
    for p in params:
        if p.values[0] is None:  # the full corpus is absent: its placeholder param stays
            keep.append(p)
            continue
        n = counts.get(p.values[0].name, "")
        if n.isdigit() and int(n) <= most:
            keep.append(p)
    return keep


@pytest.mark.parametrize("path", _few_fixed_points(corpus_params(cap=40, slow_cap=140)))
def test_single_fixed_point_screen_equals_one_query_per_clamp(path):
    net = read_bnet(path)
    nodes = [n for n in net.nodes if n not in net.inputs and n not in net.constants]
    clamps = [((n, v),) for n in nodes for v in (0, 1)]
    solver = ScreenSolver(net, need_trap_spaces=False)
    for (clamp,), (fps, mts) in zip(clamps, exact_batch(solver, {}, clamps)):
        expected = fixed_points(net, clamps=dict([clamp]))
        assert mts == [] and len(fps) == len(expected)  # as lists: no state twice
        assert fs(fps) == fs(expected), clamp


@given(
    st.integers(1, 25).flatmap(
        lambda n: st.lists(
            st.lists(st.integers(0, n - 1), max_size=3, unique=True), min_size=n, max_size=n
        )
    )
)
@settings(max_examples=100, deadline=None)
def test_sweep_order_is_networkx_condensation_order(succ):
    """The percolation sweep order: every strongly connected component (networkx's) contiguous,
    and every edge between components forward."""
    import networkx as nx

    from dormnet._engines.percolation import _components_in_order

    n = len(succ)
    order = _components_in_order([sorted(s) for s in succ])
    assert sorted(order) == list(range(n))
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from((i, j) for i in range(n) for j in succ[i])
    pos = {v: k for k, v in enumerate(order)}
    comp = {}
    for c in nx.strongly_connected_components(g):
        places = sorted(pos[v] for v in c)
        assert places == list(range(places[0], places[0] + len(c)))
        comp.update(dict.fromkeys(c, places[0]))
    assert all(pos[i] < pos[j] for i in range(n) for j in succ[i] if comp[i] != comp[j])
