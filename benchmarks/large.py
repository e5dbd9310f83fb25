"""Benchmark: fixed points and minimal trap spaces of large random networks (issue 6).

Random networks with 1,000 and 10,000 nodes and in-degree at most 3 (each rule a random OR of
ANDs of signed regulators), dormnet against mpbn, side by side in one run: wall time and peak
memory (max RSS of the child process that ran the tool), with a per-call time budget.

Usage::

    python benchmarks/large.py [--sizes 1000 10000] [--timeout 600] [--limit 1000] [--seed 0]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import resource
import signal
import sys
import time


def random_rules(n: int, k: int = 3, seed: int = 0) -> dict[str, str]:
    r = random.Random(seed)
    names = [f"x{i}" for i in range(n)]
    rules = {}
    for v in names:
        regs = r.sample(names, r.randint(1, k))
        terms = []
        for _ in range(r.randint(1, 2)):
            lits = [
                (x if r.random() < 0.6 else "!" + x)
                for x in r.sample(regs, r.randint(1, len(regs)))
            ]
            terms.append(" & ".join(lits))
        rules[v] = " | ".join(f"({t})" for t in terms)
    return rules


def dormnet_run(rules, task, limit):
    import clingo  # noqa: F401 - imports are not timed, as for the peer
    import numpy  # noqa: F401

    from dormnet import BooleanNetwork
    from dormnet.attractors import fixed_points, trap_spaces

    t = time.perf_counter()
    net = BooleanNetwork(rules)
    if task == "fixed":
        n = len(fixed_points(net, limit=limit))
    else:
        n = len(trap_spaces(net, kind="min", limit=limit))
    return time.perf_counter() - t, n


def mpbn_run(rules, task, limit):
    import mpbn

    t = time.perf_counter()
    bn = mpbn.MPBooleanNetwork(rules)
    if task == "fixed":
        n = sum(1 for _ in bn.fixedpoints(limit=limit))
    else:
        n = sum(1 for _ in bn.attractors(limit=limit))
    return time.perf_counter() - t, n


def _child(conn, fn, args):
    os.setpgrp()
    try:
        secs, n = fn(*args)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MB
        conn.send(("ok", (secs, n, rss)))
    except BaseException as e:  # noqa: BLE001
        conn.send(("error", f"{type(e).__name__}: {e}"))


def measure(fn, args, timeout):
    ctx = mp.get_context("fork")
    a, b = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(b, fn, args), daemon=True)
    p.start()
    if not a.poll(timeout):
        os.killpg(p.pid, signal.SIGKILL)
        p.join()
        return f">{timeout:g} s", "-", "-"
    try:
        status, value = a.recv()
    except EOFError:
        status, value = "error", "crashed"
    p.join()
    if status != "ok":
        return value, "-", "-"
    return value


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    print(
        f"# random networks, in-degree <= 3; {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores; "
        f"limit {args.limit} results, budget {args.timeout:g} s per call\n"
    )
    print(
        "| nodes | task | dormnet s | dormnet MB | mpbn s | mpbn MB "
        "| results (dormnet/mpbn) | mpbn/dormnet |"
    )
    print("|---|---|---|---|---|---|---|---|")

    def f(x):
        return f"{x:.2f}" if isinstance(x, float) else str(x)

    for n in args.sizes:
        rules = random_rules(n, seed=args.seed)
        for task in ("fixed", "min-trap"):
            d = measure(dormnet_run, (rules, task, args.limit), args.timeout)
            m = measure(mpbn_run, (rules, task, args.limit), args.timeout)
            ratio = f"{m[0] / d[0]:.2f}x" if all(isinstance(x[0], float) for x in (d, m)) else "-"
            print(
                f"| {n} | {task} | {f(d[0])} | {f(d[2])} | {f(m[0])} | {f(m[2])} "
                f"| {d[1]}/{m[1]} | {ratio} |"
            )
            sys.stdout.flush()


if __name__ == "__main__":
    main()
