"""Screens: identical to a from-scratch loop, resumable, and the same on a Dask cluster."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

from dormnet import read_bnet
from dormnet._engines.screening import ScreenSolver, exact_batch
from dormnet.analysis import Scenario, analyse
from dormnet.attractors import fixed_points, trap_spaces
from dormnet.bundle import load_bundle
from dormnet.errors import DormnetError, ScreenInterrupted
from dormnet.screen import interventions, screen, switch_class

from .compare import assert_same_enumeration
from .conftest import cli_command, corpus_model, corpus_params


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
        cmd + ["--resume"], check=False, capture_output=True, text=True, timeout=300, cwd=tmp_path
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
