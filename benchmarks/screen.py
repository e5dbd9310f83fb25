"""Benchmark: the single knockout + overexpression screen, dormnet against per-perturbation loops
of the peers (mpbn, pyboolnet), side by side in one run, with ratios.

For each model, every non-input node is knocked out and overexpressed (2 x nodes perturbations),
and for each perturbation the fixed points and the minimal trap spaces are computed:

- dormnet: the screen engine (batch percolation, results shared per percolated subspace, clingo
  grounded once with clamps as externals) — what ``dormnet screen`` runs — timed twice: in one
  process, and with ``--processes`` forked workers (default: every core; ``dormnet screen``
  uses every core too), every answer turned into dicts in the parent;
- mpbn: a loop that builds ``MPBooleanNetwork`` with the clamped rule and calls ``fixedpoints()``
  and ``attractors()`` (its minimal trap spaces) for each perturbation;
- pyboolnet: primes computed once, then ``create_constants`` + ``compute_steady_states`` +
  ``compute_trap_spaces(..., "min")`` for each perturbation.

The fixed points and minimal trap spaces of dormnet are checked against mpbn's: identical sets.

Models: by default the three largest corpus models on which both peers finish the unperturbed
model within ``--probe`` seconds and that have at most ``--max-fixed-points`` fixed points.

Usage::

    python benchmarks/screen.py [--models a.bnet b.bnet ...] [--timeout 600] [--probe 20]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import multiprocessing as mp
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: the full bench corpus: $DORMNET_CORPUS, else $DORMNET_SHARED/bench or ../shared/bench
BENCH = Path(
    os.environ.get("DORMNET_CORPUS")
    or Path(os.environ.get("DORMNET_SHARED", ROOT.parent / "shared")) / "bench"
)
MODELS = BENCH / "models"


def _in_child(conn, fn, args):
    os.setpgrp()
    try:
        conn.send(("ok", fn(*args)))
    except BaseException as e:  # noqa: BLE001 - reported
        conn.send(("error", f"{type(e).__name__}: {e}"))


def run_limited(fn, args, timeout):
    """(seconds, result) of fn(*args) in a child; (None, reason) on timeout or failure."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    # not a daemon: dormnet's screen forks workers of its own
    p = ctx.Process(target=_in_child, args=(child, fn, args))
    start = time.perf_counter()
    p.start()
    ok = parent.poll(timeout)
    elapsed = time.perf_counter() - start
    if not ok:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGKILL)
        p.join()
        return None, f">{timeout:g} s"
    try:
        status, value = parent.recv()
    except EOFError:
        status, value = "error", "crashed"
    with contextlib.suppress(ProcessLookupError):
        os.killpg(p.pid, signal.SIGKILL)
    p.join()
    if status != "ok":
        return None, value
    return value[0] if isinstance(value, tuple) and len(value) == 2 and value[
        0
    ] is not None else elapsed, value


def perturbations(path):
    from dormnet import read_bnet

    net = read_bnet(path)
    nodes = [n for n in net.nodes if n not in net.inputs and n not in net.constants]
    return [(n, v) for n in nodes for v in (0, 1)]


def freeze_all(spaces):
    return sorted(tuple(sorted(s.items())) for s in spaces)


def dormnet_screen(path, processes=1):
    import clingo  # noqa: F401 - imports are not part of the timing, as for the peers
    import networkx  # noqa: F401
    import numpy  # noqa: F401

    from dormnet import read_bnet
    from dormnet._engines.screening import ScreenSolver, exact_batch

    net = read_bnet(path)
    perts = perturbations(path)
    t = time.perf_counter()
    solver = ScreenSolver(net)
    results = exact_batch(solver, {}, [((n, v),) for n, v in perts], processes=processes)
    elapsed = time.perf_counter() - t
    return elapsed, [(freeze_all(f), freeze_all(m)) for f, m in results]


def _mpbn_rules(path):
    import mpbn

    bn = mpbn.MPBooleanNetwork(str(path))
    return {k: str(v) for k, v in bn.items()}


def mpbn_loop(path):
    import mpbn

    perts = perturbations(path)
    base = mpbn.MPBooleanNetwork(str(path))
    t = time.perf_counter()
    out = []
    for n, v in perts:
        bn = base.copy()
        bn[n] = v
        fps = list(bn.fixedpoints())
        mts = [{k: x for k, x in a.items() if x != "*"} for a in bn.attractors()]
        out.append((freeze_all(fps), freeze_all(mts)))
    return time.perf_counter() - t, out


def pyboolnet_loop(path):
    from pyboolnet.file_exchange import bnet2primes
    from pyboolnet.prime_implicants import create_constants
    from pyboolnet.trap_spaces import compute_steady_states, compute_trap_spaces

    perts = perturbations(path)
    primes = bnet2primes(str(path))
    t = time.perf_counter()
    out = []
    for n, v in perts:
        p = create_constants(primes, {n: v}, copy=True)
        fps = compute_steady_states(p)
        mts = compute_trap_spaces(p, "min")
        out.append((freeze_all(fps), freeze_all(mts)))
    return time.perf_counter() - t, out


def probe(path):
    import mpbn
    from pyboolnet.file_exchange import bnet2primes
    from pyboolnet.trap_spaces import compute_steady_states

    bn = mpbn.MPBooleanNetwork(str(path))
    n = sum(1 for _ in bn.fixedpoints(limit=10_001))
    list(bn.attractors())
    compute_steady_states(bnet2primes(str(path)))
    return None, n


def pick_models(count, probe_timeout, max_fp):
    rows = list(csv.DictReader((BENCH / "MANIFEST.tsv").open(), delimiter="\t"))
    rows.sort(key=lambda r: -int(r["nodes"]))
    chosen = []
    for r in rows:
        path = MODELS / r["file"]
        secs, res = run_limited(probe, (path,), probe_timeout)
        if secs is None or not isinstance(res, tuple) or res[1] > max_fp:
            print(
                f"  skip {r['file']} ({r['nodes']} nodes): "
                f"{res if secs is None else str(res[1]) + ' fixed points'}",
                file=sys.stderr,
            )
            continue
        print(f"  use  {r['file']} ({r['nodes']} nodes)", file=sys.stderr)
        chosen.append(path)
        if len(chosen) == count:
            break
    return chosen


def measure(path: Path, timeout: float, P: int) -> tuple[str, dict[str, float]]:
    """One model's table row and its ratios (fastest peer / dormnet) per dormnet timing."""
    from dormnet import read_bnet

    def fmt(x):
        return f"{x:.2f}" if isinstance(x, float) else str(x)

    n = len(read_bnet(path))
    perts = perturbations(path)
    d1_t, d1_res = run_limited(dormnet_screen, (path, 1), timeout)
    dp_t, dp_res = run_limited(dormnet_screen, (path, P), timeout)
    m_t, m_res = run_limited(mpbn_loop, (path,), timeout)
    p_t, p_res = run_limited(pyboolnet_loop, (path,), timeout)
    same = "?"
    if d1_t is not None and dp_t is not None and m_t is not None:
        same = "yes" if d1_res[1] == m_res[1] == dp_res[1] else "NO"
    peers = [t for t in (m_t, p_t) if t]
    ratios: dict[str, float] = {}
    cells = []
    for key, d_t in (("1 process", d1_t), (f"{P} processes", dp_t)):
        if d_t and peers:
            ratios[key] = min(peers) / d_t
            cells.append(f"{min(peers) / d_t:.1f}x")
        else:
            cells.append("-")
    row = (
        f"| {path.name} | {n} | {len(perts)} | {fmt(d1_t if d1_t is not None else d1_res)} | "
        f"{fmt(dp_t if dp_t is not None else dp_res)} | "
        f"{fmt(m_t if m_t is not None else m_res)} | {fmt(p_t if p_t is not None else p_res)} | "
        f"{cells[0]} | {cells[1]} | {same} |"
    )
    return row, ratios


# -- process against process: the command line against a naive loop's script --------------


def mpbn_loop_script(path: str, query: str) -> None:
    """The naive loop as a user would write it, run as its own process: mpbn's fixed points
    (and, for ``attractors``, its minimal trap spaces) of each single knockout and
    overexpression. Prints ``{label: number of fixed points}`` as JSON."""
    import mpbn

    base = mpbn.MPBooleanNetwork(path)
    rules = dict(base.items())
    nodes = [n for n, f in rules.items() if str(f) not in (n, "0", "1", "False", "True")]
    counts = {}
    for n in nodes:
        for v, tag in ((0, "KO"), (1, "OE")):
            bn = base.copy()
            bn[n] = v
            counts[f"{n}-{tag}"] = sum(1 for _ in bn.fixedpoints())
            if query == "attractors":
                sum(1 for _ in bn.attractors())
    print(json.dumps(counts))


def _timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall and CPU seconds (the process and everything it waited for) of a command, and its
    standard output."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True).stdout
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out


def measure_processes(path: Path, query: str, repeat: int) -> tuple[str, float, float]:
    """One model's row: ``dormnet screen MODEL --query fixed-points`` (every core, as a user runs
    it) against the naive mpbn loop, each a fresh process timed from start to exit (the best of
    ``repeat`` runs); the per-perturbation fixed-point counts must agree."""
    import tempfile

    from dormnet import read_bnet

    exe = str(Path(sys.executable).parent / "dormnet")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rows.tsv"
        cmd = [exe, "screen", str(path), "--query", query, "-o", str(out)]
        d = [_timed(cmd)[:2] for _ in range(repeat)]
        rows = list(csv.DictReader(out.open(), delimiter="\t"))
    peer = [sys.executable, __file__, "--mpbn-loop", str(path), "--query", query]
    m = []
    counts: dict[str, int] = {}
    for _ in range(repeat):
        wall, cpu, text = _timed(peer)
        m.append((wall, cpu))
        counts = json.loads(text.strip().splitlines()[-1])
    ours = {r["perturbation"]: int(r["n_after"]) for r in rows}
    same = "yes" if ours == counts else "NO"
    dw, dc = min(w for w, _ in d), min(c for _, c in d)
    mw, mc = min(w for w, _ in m), min(c for _, c in m)
    n = len(read_bnet(path))
    row = (
        f"| {path.stem} | {n} | {len(ours)} | {dw:.2f} | {dc:.2f} | {mw:.2f} | {mc:.2f} | "
        f"{mw / dw:.1f}x | {mc / dc:.1f}x | {same} |"
    )
    return row, mw / dw, mc / dc


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", nargs="*", type=Path)
    ap.add_argument("--count", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=600, help="per tool and model, seconds")
    ap.add_argument("--probe", type=float, default=20)
    ap.add_argument("--max-fixed-points", type=int, default=1000)
    ap.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes of dormnet's second timing (default: every core)",
    )
    ap.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # internal: one model, as JSON
    ap.add_argument(
        "--process",
        action="store_true",
        help="time whole processes: dormnet screen against the naive mpbn loop's script",
    )
    ap.add_argument("--query", choices=("fixed-points", "attractors"), default="fixed-points")
    ap.add_argument("--repeat", type=int, default=2, help="runs per process (the best counts)")
    ap.add_argument("--mpbn-loop", type=Path, help=argparse.SUPPRESS)  # internal: the peer
    args = ap.parse_args(argv)
    P = args.processes
    if args.mpbn_loop:
        mpbn_loop_script(str(args.mpbn_loop), args.query)
        return
    if args.process:
        import dormnet

        if os.environ.get("PYTHONDONTWRITEBYTECODE") and "site-packages" not in dormnet.__file__:
            print(
                "warning: dormnet is not installed (an editable install or a source tree) and "
                "PYTHONDONTWRITEBYTECODE is set: every dormnet process compiles its modules "
                "again (0.08 s of CPU on bbm_151, a fifth of its screen). Measure a regular "
                "install: python -m venv V && V/bin/pip install '.[test]' && "
                "V/bin/python benchmarks/screen.py --process ...",
                file=sys.stderr,
            )
        print(f"# single KO+OE {args.query} screen, process against process")
        print(
            f"# {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load average "
            f"{os.getloadavg()[0]:.1f}\n"
        )
        print(
            "| model | nodes | perturbations | dormnet wall s | dormnet CPU s | mpbn loop wall s "
            "| mpbn loop CPU s | mpbn/dormnet (wall) | mpbn/dormnet (CPU) | same counts |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        for path in args.models:
            row, _, _ = measure_processes(path, args.query, args.repeat)
            print(row, flush=True)
        return
    if args.one:
        row, ratios = measure(args.one, args.timeout, P)
        print(json.dumps({"row": row, "ratios": ratios}))
        return
    models = args.models or pick_models(args.count, args.probe, args.max_fixed_points)
    print("# single KO+OE screen: fixed points + minimal trap spaces per perturbation")
    print(f"# {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores\n")
    print(
        f"| model | nodes | perturbations | dormnet, 1 process (s) | dormnet, {P} processes (s) "
        "| mpbn loop (s) | pyboolnet loop (s) | fastest peer / dormnet (1 process) "
        f"| fastest peer / dormnet ({P} processes) | identical to mpbn |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    ratios: dict[str, list[float]] = {"1 process": [], f"{P} processes": []}
    for path in models:
        # each model from a fresh interpreter: the previous model's answers (hundreds of MB,
        # freed but not returned to the system) made every later fork slower (bbm_192 after
        # bbm_231: 0.72 s instead of 0.39-0.52 s with 2 workers)
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(path),
                "--timeout",
                str(args.timeout),
                "--processes",
                str(P),
            ],
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        ).stdout
        rec = json.loads(out.strip().splitlines()[-1])
        print(rec["row"], flush=True)
        for key, r in rec["ratios"].items():
            ratios[key].append(r)
    for label, values in ratios.items():
        if values:
            print(
                f"\nspeed-up over the fastest peer loop, dormnet in {label}: median "
                f"{statistics.median(values):.1f}x, min {min(values):.1f}x "
                "(target: at least 20x)"
            )


if __name__ == "__main__":
    main()
