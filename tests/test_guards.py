"""Resource guards: computations that can explode stop with a clear message, never hang or die."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

import dormnet.bdd
from dormnet import BooleanNetwork, BudgetExceeded
from dormnet.attractors import attractors, count_fixed_points, fixed_points, trap_spaces
from dormnet.bundle import load_bundle
from dormnet.cli import main
from dormnet.screen import interventions


def product_of_sums(pairs: int) -> BooleanNetwork:
    """p = (a0 | b0) & ... : 2^pairs prime implicants, the worst case for a DNF."""
    rules = {}
    for i in range(pairs):
        rules[f"a{i}"] = f"a{i}"
        rules[f"b{i}"] = f"b{i}"
    rules["p"] = " & ".join(f"(a{i} | b{i})" for i in range(pairs))
    return BooleanNetwork(rules)


def random_dense(n: int, k: int, seed: int) -> BooleanNetwork:
    """n nodes, each a random mix of k regulators: built to blow up state-space methods."""
    r = random.Random(seed)
    names = [f"x{i}" for i in range(n)]
    rules = {}
    for v in names:
        regs = r.sample(names, k)
        terms = [
            " & ".join(x if r.random() < 0.5 else "!" + x for x in r.sample(regs, 3))
            for _ in range(4)
        ]
        rules[v] = " | ".join(f"({t})" for t in terms)
    return BooleanNetwork(rules)


def test_prime_implicant_budget_names_the_rule(monkeypatch):
    monkeypatch.setattr(dormnet.bdd, "DEFAULT_MAX_PRIMES", 5_000)
    net = product_of_sums(14)  # 16,384 primes
    with pytest.raises(BudgetExceeded, match=r"rule of p: more than 5,000 prime implicants") as e:
        fixed_points(net)
    assert "split it with intermediate nodes" in str(e.value)


def test_rule_with_30_regulators_in_activator_inhibitor_form_is_fine():
    acts = [f"a{i}" for i in range(20)]
    inhs = [f"i{i}" for i in range(10)]
    rules = {x: x for x in acts + inhs}
    rules["t"] = "(" + " | ".join(acts) + ") & !(" + " | ".join(inhs) + ")"
    net = BooleanNetwork(rules)
    assert count_fixed_points(net) == 2**30


def test_sync_attractors_refuse_large_state_spaces():
    net = random_dense(44, 6, seed=1)
    with pytest.raises(BudgetExceeded, match=r"at most 24 free nodes; this network has \d+ free"):
        attractors(net, update="sync")


def test_async_attractor_search_stops_at_its_time_budget():
    net = random_dense(60, 8, seed=2)
    with pytest.raises(BudgetExceeded) as e:
        attractors(net, update="async", timeout=0.5)
    msg = str(e.value)
    assert "time budget of 0.5 s" in msg and ("fix some inputs" in msg or "certain" in msg)


def test_enumeration_time_budget_keeps_what_is_certain():
    net = BooleanNetwork({f"x{i}": f"x{i}" for i in range(60)})  # 2^60 fixed points
    with pytest.raises(BudgetExceeded, match=r"time budget of 0\.3 s exhausted after \d+ results"):
        fixed_points(net, timeout=0.3)
    assert len(trap_spaces(net, kind="min", limit=10)) == 10
    # a count stopped by its budget says how far it got (not a placeholder)
    from dormnet.attractors import _asp

    with pytest.raises(BudgetExceeded) as e:
        _asp(net, {}).count("fixed", timeout=0.3)
    assert int(e.value.what.split(" after ")[1].split()[0]) > 100


def test_cli_lists_at_most_the_default_limit_and_says_so(tmp_path):
    m = tmp_path / "inputs.bnet"
    m.write_text("".join(f"x{i}, x{i}\n" for i in range(20)))
    r = CliRunner().invoke(main, ["fixed-points", str(m), "--format", "tsv"])
    assert r.exit_code == 0
    assert r.stdout.count("\n") == 10_001  # header + 10,000 rows
    assert "listing stopped at --limit 10,000" in r.stderr


def test_screen_refuses_too_many_rows_with_advice():
    b = load_bundle()
    with pytest.raises(BudgetExceeded, match="rows, more than the limit") as e:
        from dormnet.screen import screen

        screen(b, interventions(b, sizes=(2,)), max_rows=1_000)
    assert "--nodes" in str(e.value) or "scheduler" in str(e.value)


# -- the forked child that runs symbolic engines --------------------------------------------


def _sleep_forever():
    import time

    time.sleep(3600)


def _die():
    import os
    import signal

    os.kill(os.getpid(), signal.SIGKILL)


def _allocate():
    return bytearray(2 * 1024**3)


def _raise_dormnet():
    from dormnet.errors import UnknownNodeError

    raise UnknownNodeError("unknown node 'X'")


def test_isolated_call_returns_large_results_through_the_pipe():
    from dormnet._engines.isolate import run_isolated

    out = run_isolated(lambda n: list(range(n)), 300_000)  # ~2 MB pickled: many pipe buffers
    assert out == list(range(300_000))


def test_isolated_call_stops_at_its_deadline_and_kills_the_child():
    import os
    import time

    from dormnet._engines.isolate import run_isolated

    before = set(os.listdir("/proc")) if os.path.isdir("/proc") else None
    start = time.monotonic()
    with pytest.raises(BudgetExceeded, match=r"time budget of 0\.5 s"):
        run_isolated(_sleep_forever, timeout=0.5, what="sleeping")
    assert time.monotonic() - start < 5
    if before is not None:  # no child left behind (it was killed and reaped)
        left = [
            p
            for p in set(os.listdir("/proc")) - before
            if p.isdigit()
            and os.path.exists(f"/proc/{p}/status")
            and f"PPid:\t{os.getpid()}" in Path(f"/proc/{p}/status").read_text()
        ]
        assert left == []


def _raise_budget():
    raise BudgetExceeded("stopped by its own limits")


def _after(seconds: float, value: object) -> object:
    import time

    time.sleep(seconds)
    return value


def test_a_later_child_starts_only_when_no_answer_came_by_its_time():
    """``first_of(..., later=...)``: a child whose delay has not passed when another answers is
    never started; one whose delay passes joins the race (and wins here); one still waiting
    when every running child has failed starts at once."""
    import time

    from dormnet._engines.isolate import first_of, start_isolated
    from dormnet.errors import DormnetError

    started: list[str] = []

    def starter(name: str, seconds: float, value: object):
        def start():
            started.append(name)
            return start_isolated(_after, seconds, value, what=name)

        return start

    # the first answers in ~0 s; the later one (due at 30 s) is never started
    got = first_of([start_isolated(_after, 0, "now")], 60, [(30, starter("late", 0, "late"))])
    assert got == (0, "now") and started == []
    # the first takes 20 s; the later one starts at 0.2 s and answers at once: it wins
    t0 = time.monotonic()
    got = first_of([start_isolated(_after, 20, "slow")], 60, [(0.2, starter("b", 0, "fast"))])
    assert got == (1, "fast") and started == ["b"]
    assert 0.2 <= time.monotonic() - t0 < 10
    # the only running child fails: the waiting one (due at 30 s) starts at once
    t0 = time.monotonic()
    got = first_of([start_isolated(_raise_dormnet)], 60, [(30, starter("c", 0, "rescue"))])
    assert got == (1, "rescue") and started == ["b", "c"]
    assert time.monotonic() - t0 < 10

    # all fail, the later one by its own limits: the fault, not the limit, is reported
    def stopped():
        started.append("d")
        return start_isolated(_raise_budget)

    with pytest.raises(DormnetError, match="unknown node 'X'"):
        first_of([start_isolated(_raise_dormnet)], 60, [(30, stopped)])
    assert started == ["b", "c", "d"]


def test_isolated_call_reports_a_crashed_child_and_errors_by_kind(monkeypatch):
    from dormnet._engines.isolate import run_isolated
    from dormnet.errors import DormnetError, UnknownNodeError

    with pytest.raises(BudgetExceeded, match="killed by signal 9"):
        run_isolated(_die, what="dying")
    with pytest.raises(UnknownNodeError, match="unknown node 'X'"):
        run_isolated(_raise_dormnet)
    with pytest.raises(DormnetError, match="ZeroDivisionError"):
        run_isolated(lambda: 1 / 0)
    monkeypatch.setenv("DORMNET_MEMORY_LIMIT", "1")
    with pytest.raises(BudgetExceeded, match="out of memory"):
        run_isolated(_allocate, what="allocating")


def test_a_child_may_allocate_its_share_beyond_what_its_parent_holds(monkeypatch):
    """The memory limit is what a child may allocate on top of the address space it inherits:
    a parent that has mapped 3 GB (a long session's caches) still gets children that can
    allocate 200 MB under a 1 GB limit (they used to fail at once: the limit was on the whole
    address space), and 2 GB is still refused."""
    import mmap

    from dormnet._engines.isolate import run_isolated

    monkeypatch.setenv("DORMNET_MEMORY_LIMIT", "1")
    held = mmap.mmap(-1, 3 * 1024**3)  # address space, not touched: no memory used
    try:
        assert run_isolated(lambda: len(bytearray(200 * 1024**2))) == 200 * 1024**2
        with pytest.raises(BudgetExceeded, match="out of memory"):
            run_isolated(_allocate, what="allocating")
    finally:
        held.close()
