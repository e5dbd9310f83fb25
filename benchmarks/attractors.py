"""dormnet against its peers on the whole bench corpus: fixed points, minimal trap spaces and
asynchronous attractors, side by side, one model at a time.

Every call runs in a forked child process with a wall-clock limit (the peers can run for hours or
crash the interpreter), and is timed from the BNET file to the complete answer, parsing included:

- ``fixed``: every fixed point, enumerated as a list of states. dormnet ``fixed_points``;
  pyboolnet ``bnet2primes`` + ``compute_steady_states``; mpbn ``fixedpoints()``;
  biodivine-aeon ``FixedPoints.symbolic`` + enumeration of its vertices.
- ``min``: every minimal trap space. dormnet ``trap_spaces(kind="min")``; pyboolnet
  ``compute_trap_spaces(primes, "min")``; mpbn ``attractors()``; aeon
  ``TrapSpaces.minimal_symbolic`` + enumeration of its spaces.
- ``async``: the number of asynchronous attractors, as ``dormnet attractors MODEL --count`` gives
  it (issue 21 measured that). dormnet ``count_attractors(update="async")``; two ways of using
  biodivine-aeon alone: ``aeon`` = ``Attractors.attractors`` on the whole graph with the inputs
  inlined as colours (``inline_inputs``; the number of attractors is the number of colours of
  each set it returns, times 2 per input that regulates nothing, which ``inline_inputs`` drops),
  and ``aeon-plain`` = the same search without inlining (one attractor per set). mpbn computes
  most-permissive attractors, pyboolnet needs NuSMV.

The answers are not compared here (that is ``tests/test_corpus_attractors.py``); the number of
results is recorded so that a mismatch would show.

Usage::

    python benchmarks/attractors.py [--timeout 120] [--models 'bbm_0*'] [--tasks fixed,min,async]
                                    [--extra DIR] [--process]
                                    [--out benchmarks/results/attractors.md] [--cache FILE.jsonl]

``--extra DIR`` adds every ``*.bnet`` of DIR (models outside the corpus, e.g. from
sybila/biodivine-boolean-models; every regulator must have a rule, inputs written ``x, x``) and
``--models 'extra:*'`` selects only those. ``--process`` times whole processes instead of forked
calls: ``dormnet attractors MODEL --count`` against a fresh interpreter running the aeon call
(``async`` only), as a user at the command line sees them. ``--cache`` keeps one JSON line per
(model, task, tool) and reuses it on the next run, so an interrupted run resumes where it
stopped; ``--rerun`` measures the selected tools again into the same cache.
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import json
import logging
import multiprocessing as mp
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: the full bench corpus: $DORMNET_CORPUS, else $DORMNET_SHARED/bench or ../shared/bench
BENCH = Path(
    os.environ.get("DORMNET_CORPUS")
    or Path(os.environ.get("DORMNET_SHARED", ROOT.parent / "shared")) / "bench"
)
MODELS = BENCH / "models"

TASKS = ("fixed", "min", "async")
TOOLS = {
    "fixed": ("dormnet", "pyboolnet", "mpbn", "aeon"),
    "min": ("dormnet", "pyboolnet", "mpbn", "aeon"),
    "async": ("dormnet", "aeon", "aeon-plain"),
}
BIG = 10**9  # "no limit" for pyboolnet's max_output


# --------------------------------------------------------------------------- the calls
# Each returns the number of results; they run in a fresh child, so nothing is cached between them.


def dormnet_fixed(path: str) -> int:
    from dormnet import read_bnet
    from dormnet.attractors import fixed_points

    return len(fixed_points(read_bnet(path)))


def dormnet_min(path: str) -> int:
    from dormnet import read_bnet
    from dormnet.attractors import trap_spaces

    return len(trap_spaces(read_bnet(path), kind="min"))


def dormnet_async(path: str) -> int:
    from dormnet import read_bnet
    from dormnet.attractors import count_attractors

    return count_attractors(read_bnet(path), update="async")


_MARK = None  # in a child: the pipe to the parent, for progress marks


def mark(what: str) -> None:
    """Tell the parent that a stage finished (so a timeout can say where it happened)."""
    if _MARK is not None:
        _MARK.send(("mark", None, what))


def pyboolnet_fixed(path: str) -> int:
    from pyboolnet.file_exchange import bnet2primes
    from pyboolnet.trap_spaces import compute_steady_states

    primes = bnet2primes(path)
    mark("primes")
    return len(compute_steady_states(primes, max_output=BIG))


def pyboolnet_min(path: str) -> int:
    from pyboolnet.file_exchange import bnet2primes
    from pyboolnet.trap_spaces import compute_trap_spaces

    primes = bnet2primes(path)
    mark("primes")
    return len(compute_trap_spaces(primes, "min", max_output=BIG))


def mpbn_fixed(path: str) -> int:
    import mpbn

    return sum(1 for _ in mpbn.MPBooleanNetwork(path).fixedpoints())


def mpbn_min(path: str) -> int:
    import mpbn

    return sum(1 for _ in mpbn.MPBooleanNetwork(path).attractors())


def _aeon(path: str, spaces: bool = False):
    import biodivine_aeon as ba

    ba.LOG_LEVEL = ba.LOG_NOTHING
    bn = ba.BooleanNetwork.from_bnet(Path(path).read_text(), repair_graph=True)
    if spaces:
        ctx = ba.SymbolicSpaceContext(bn)
        return ba, ctx, ba.AsynchronousGraph(bn, ctx)
    return ba, None, ba.AsynchronousGraph(bn)


def aeon_fixed(path: str) -> int:
    ba, _, g = _aeon(path)
    return sum(
        1 for v in ba.FixedPoints.symbolic(g).vertices().items() if v.to_named_dict() is not None
    )


def aeon_min(path: str) -> int:
    ba, ctx, g = _aeon(path, spaces=True)
    return sum(
        1
        for s in ba.TrapSpaces.minimal_symbolic(ctx, g).spaces().items()
        if s.to_named_dict() is not None
    )


def aeon_async(path: str) -> int:
    """biodivine-aeon alone, inputs inlined as colours: each set it returns holds one attractor
    per colour (input valuation) in it; inputs that regulate nothing are dropped by
    ``inline_inputs`` and double the count each."""
    import biodivine_aeon as ba

    ba.LOG_LEVEL = ba.LOG_NOTHING
    bn = ba.BooleanNetwork.from_bnet(Path(path).read_text(), repair_graph=True)
    inlined = bn.inline_inputs(infer_inputs=True, repair_graph=True)
    dropped = bn.variable_count() - inlined.variable_count() - inlined.explicit_parameter_count()
    sets = ba.Attractors.attractors(ba.AsynchronousGraph(inlined))
    return sum(int(s.colors().cardinality()) for s in sets) << dropped


def aeon_plain_async(path: str) -> int:
    ba, _, g = _aeon(path)
    return len(ba.Attractors.attractors(g))


CALLS: dict[tuple[str, str], Callable[[str], int]] = {
    (tool, task): globals()[f"{tool.replace('-', '_')}_{task}"]
    for task in TASKS
    for tool in TOOLS[task]
}


# --------------------------------------------------------------------------- running one call


def _cpu() -> float:
    """CPU seconds (user + system) of this process and of its finished children: unlike wall
    time it does not grow when other jobs share the machine (subprocesses such as pyboolnet's
    BNetToPrime and gringo, and dormnet's engine child, are waited for, so they are counted)."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def _child(conn, fn, path, mem_gb):
    global _MARK
    _MARK = conn
    if mem_gb:
        limit = int(mem_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    warnings.simplefilter("ignore")
    try:
        c0, t0 = _cpu(), time.perf_counter()
        n = fn(path)
        conn.send(("ok", (_cpu() - c0, time.perf_counter() - t0), n))
    except MemoryError:
        conn.send(("mem", None, None))
    except BaseException as e:  # noqa: BLE001 - reported, never swallowed
        msg = f"{type(e).__name__}: {e}".splitlines()[0][:160]
        if "BudgetExceeded" in msg:  # dormnet's own deadline (none is set here) or its limits
            conn.send(("budget", None, msg))
        else:
            conn.send(("error", None, msg + " | " + traceback.format_exc().splitlines()[-1][:80]))
    finally:
        conn.close()


def run_one(fn: Callable[[str], int], path: Path, timeout: float, mem_gb: float) -> dict[str, Any]:
    """Run ``fn(path)`` in a forked child: status (ok/timeout/crash/error/mem), seconds, count."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    # not a daemon: dormnet itself forks a child for its symbolic engine
    proc = ctx.Process(target=_child, args=(child, fn, str(path), mem_gb))
    t0 = time.perf_counter()
    proc.start()
    child.close()
    marks: list[str] = []
    deadline = t0 + timeout
    try:
        while True:
            if not parent.poll(max(0.0, deadline - time.perf_counter())):
                where = f"after {marks[-1]}" if marks else "before primes"
                return {
                    "status": "timeout",
                    "seconds": None,
                    "n": None,
                    "detail": where if fn.__name__.startswith("pyboolnet") else "",
                }
            try:
                status, seconds, n = parent.recv()
            except EOFError:
                proc.join()
                return {
                    "status": "crash",
                    "seconds": None,
                    "n": None,
                    "detail": f"exit code {proc.exitcode}",
                }
            if status != "mark":
                break
            marks.append(n)
        if status == "ok":
            return {"status": "ok", "seconds": seconds[0], "wall": seconds[1], "n": n}
        return {"status": status, "seconds": None, "n": None, "detail": n}
    finally:
        if proc.is_alive():
            # kill the child's own children too (dormnet's engine child, clingo subprocesses)
            _kill_tree(proc.pid)
            proc.kill()
        proc.join()
        parent.close()


def process_command(tool: str, path: Path, scripts: Path) -> list[str]:
    """The command line of a whole-process call (``--process``, task ``async``), as a user would
    type it: ``dormnet attractors MODEL --count`` (the limit is enforced by killing the process,
    so no ``--timeout`` option, which the plain count's fast path does not take), and for a peer
    a minimal script in ``scripts`` (:func:`peer_script`) that imports its tool and nothing of
    this benchmark."""
    if tool == "dormnet":
        exe = Path(sys.executable).with_name("dormnet")
        return [str(exe), "attractors", str(path), "--count"]
    return [sys.executable, str(peer_script(tool, scripts)), str(path)]


def peer_script(tool: str, scripts: Path) -> Path:
    """A script in ``scripts`` running this module's own call of ``tool`` (task ``async``) on
    its argument: the function's source (and ``_aeon``'s), so what is timed is exactly what the
    in-process benchmark calls, without this module's imports."""
    import inspect

    path = scripts / f"peer_{tool.replace('-', '_')}_async.py"
    if not path.exists():
        fn = CALLS[(tool, "async")]
        path.write_text(
            "import sys\nimport warnings\nfrom pathlib import Path\n\n"
            + inspect.getsource(_aeon)
            + "\n\n"
            + inspect.getsource(fn)
            + f"\n\nwarnings.simplefilter('ignore')\nprint({fn.__name__}(sys.argv[1]))\n"
        )
    return path


def run_process(cmd: list[str], timeout: float, mem_gb: float) -> dict[str, Any]:
    """Run ``cmd`` as a fresh process (its own process group, killed whole at the limit):
    wall seconds from start to exit, and CPU seconds of it and of every process it waited for
    (the growth of this process's ``RUSAGE_CHILDREN``: calls run one at a time); status
    ok/timeout/error/crash; the last word of its output as the result count."""

    def limit() -> None:  # in the child, before exec
        os.setpgrp()
        if mem_gb:
            cap = int(mem_gb * 2**30)
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=limit,  # safe: this script runs no threads
    )
    try:
        # the same limit for every tool; dormnet's own search children (each in a process
        # group of its own) die with it: they ask Linux for that (PR_SET_PDEATHSIG)
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.communicate()
        return {"status": "timeout", "seconds": None, "n": None, "detail": ""}
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        text = (err.strip().splitlines() or [""])[-1][:160]
        if proc.returncode < 0:
            return {
                "status": "crash",
                "seconds": None,
                "n": None,
                "detail": f"signal {-proc.returncode}",
            }
        status = "timeout" if "time budget" in text else "error"
        return {"status": status, "seconds": None, "n": None, "detail": text}
    return {"status": "ok", "seconds": cpu, "wall": wall, "n": int(out.split()[-1])}


def repeated(run: Callable[[], dict[str, Any]], rounds: int, once_above: float) -> dict[str, Any]:
    """``run()`` up to ``rounds`` times while it succeeds within ``once_above`` CPU seconds
    (a sub-second process's time varies by tens of per cent from run to run; a long one's by a
    few): the first failure, or the median CPU and wall seconds of the runs."""
    runs = [run()]
    while len(runs) < rounds and all(
        r["status"] == "ok" and r["seconds"] <= once_above for r in runs
    ):
        runs.append(run())
    failed = [r for r in runs if r["status"] != "ok"]
    if failed:
        return failed[0]
    return {
        **runs[0],
        "seconds": statistics.median(r["seconds"] for r in runs),
        "wall": statistics.median(r["wall"] for r in runs),
        "rounds": len(runs),
    }


def _kill_tree(pid: int) -> None:
    try:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
        ).stdout
    except OSError:
        return
    for line in out.split():
        child = int(line)
        _kill_tree(child)
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, 9)


# --------------------------------------------------------------------------- reporting


def fmt_time(r: dict[str, Any] | None, timeout: float) -> str:
    if r is None:
        return ""
    if r["status"] == "ok":
        s = r["seconds"]
        return (
            f"{s:.4f}"
            if s < 0.01
            else f"{s:.3f}"
            if s < 1
            else f"{s:.2f}"
            if s < 10
            else f"{s:.1f}"
            if s < 100
            else f"{s:.0f}"
        )
    if r["status"] == "timeout":
        return f">{timeout:g}"
    return r["status"]  # crash / error / mem / budget


def ok(r: dict[str, Any] | None) -> bool:
    return r is not None and r["status"] == "ok"


def ratio_cell(d: dict[str, Any] | None, p: dict[str, Any] | None) -> str:
    if ok(d) and ok(p):
        return f"{d['seconds'] / max(p['seconds'], 1e-3):.2f}"
    if ok(d) and p is not None:
        return "only dormnet"
    if ok(p) and d is not None:
        return "only peer"
    return ""


def summarise(
    results: dict[tuple[str, str, str], dict[str, Any]],
    models: list[tuple[str, int]],
    tasks: list[str],
    timeout: float,
) -> str:
    lines: list[str] = []
    for task in tasks:
        # the tools this cache has lines of (a run with --tools leaves the others out)
        tools = tuple(
            t
            for t in TOOLS[task]
            if t == "dormnet" or any(k[1] == task and k[2] == t for k in results)
        )
        peers = [t for t in tools if t != "dormnet"]
        head = ["model", "nodes"] + [f"{t} s" for t in tools] + [f"dormnet/{p}" for p in peers]
        if len(peers) > 1:
            head.append("dormnet/fastest")
        head.append("results")
        lines += [f"\n### {task}\n", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        ratios: dict[str, list[float]] = {p: [] for p in [*peers, "fastest"]}
        weights: dict[str, list[float]] = {p: [] for p in [*peers, "fastest"]}
        for name, nodes in models:
            rs = {t: results.get((name, task, t)) for t in tools}
            if all(r is None for r in rs.values()):
                continue
            row = [name.removesuffix(".bnet"), str(nodes)]
            row += [fmt_time(rs[t], timeout) for t in tools]
            for p in peers:
                row.append(ratio_cell(rs["dormnet"], rs[p]))
                if ok(rs["dormnet"]) and ok(rs[p]):
                    ratios[p].append(rs["dormnet"]["seconds"] / max(rs[p]["seconds"], 1e-3))
                    weights[p].append(max(rs["dormnet"]["seconds"], rs[p]["seconds"]))
            finished = [rs[p] for p in peers if ok(rs[p])]
            if len(peers) > 1:
                if ok(rs["dormnet"]) and finished:
                    best = min(r["seconds"] for r in finished)
                    ratios["fastest"].append(rs["dormnet"]["seconds"] / max(best, 1e-3))
                    weights["fastest"].append(max(rs["dormnet"]["seconds"], best))
                    row.append(f"{rs['dormnet']['seconds'] / max(best, 1e-3):.2f}")
                else:
                    row.append(
                        ratio_cell(
                            rs["dormnet"],
                            finished[0]
                            if finished
                            else next((rs[p] for p in peers if rs[p] is not None), None),
                        )
                    )
            counts = sorted({r["n"] for r in rs.values() if ok(r)})
            row.append("/".join(str(c) for c in counts) + (" MISMATCH" if len(counts) > 1 else ""))
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
        done = {t: sum(ok(results.get((n, task, t))) for n, _ in models) for t in tools}
        ran = sum(any(results.get((n, task, t)) is not None for t in tools) for n, _ in models)
        lines.append(
            f"Completed within {timeout:g} s (of {ran} models): "
            + ", ".join(f"{t} {done[t]}" for t in tools)
            + "."
        )
        for p, rs_ in ratios.items():
            if p == "fastest" and len(peers) == 1:
                continue
            if rs_:
                big = [r for r, w in zip(rs_, weights[p]) if w >= 0.1]
                lines.append(
                    f"Median dormnet/{p} time ratio over the {len(rs_)} models both "
                    f"finished: **{statistics.median(rs_):.2f}** (max "
                    f"{max(rs_):.2f})"
                    + (
                        f"; over the {len(big)} where one of them took at least 0.1 s: "
                        f"**{statistics.median(big):.2f}**."
                        if big
                        else "."
                    )
                )
        only_d = sum(
            ok(results.get((n, task, "dormnet")))
            and not any(ok(results.get((n, task, p))) for p in peers)
            for n, _ in models
        )
        only_p = sum(
            not ok(results.get((n, task, "dormnet")))
            and results.get((n, task, "dormnet")) is not None
            and any(ok(results.get((n, task, p))) for p in peers)
            for n, _ in models
        )
        only_peer = [
            n.removesuffix(".bnet")
            for n, _ in models
            if results.get((n, task, "dormnet")) is not None
            and not ok(results.get((n, task, "dormnet")))
            and any(ok(results.get((n, task, p))) for p in peers)
        ]
        lines.append(
            f"Models only dormnet finished: {only_d}; models only a peer finished: {only_p}"
            + (f" ({', '.join(only_peer)})." if only_peer else ".")
        )
    return "\n".join(lines) + "\n"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = subprocess.run(
            ["free", "-h"], capture_output=True, text=True, check=False
        ).stdout.split("\n")[1]
        mem = mem.split()[1]
    except (OSError, IndexError):
        mem = "?"
    return f"{os.cpu_count()} cores ({cpu}), {mem} RAM, Python {platform.python_version()}"


def tool_version(tool: str) -> str:
    """What a cached call was measured with, recorded in each line of ``--cache``: the peer's
    package version, or dormnet's version and a hash of the source of the dormnet package this
    interpreter imports (the code measured, whatever else a commit changed; run the benchmark
    from a regular install, see the README). A cached line is reused only for the same tool
    version."""
    import hashlib
    from importlib.metadata import version

    if tool != "dormnet":
        pkg = {"aeon": "biodivine-aeon", "aeon-plain": "biodivine-aeon"}.get(tool, tool)
        return f"{pkg} {version(pkg)}"
    import dormnet

    root = Path(dormnet.__file__).parent
    digest = hashlib.sha1()
    for f in sorted(root.rglob("*.py")):
        digest.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes())
    return f"dormnet {version('dormnet')} src {digest.hexdigest()[:10]}"


def comparable(rec: dict[str, Any], mode: str, tools: dict[str, str]) -> bool:
    """Whether a cached line was measured the way this run measures: the same mode (forked call
    or whole process), the same version of the tool, the same machine and interpreter
    environment (a whole process's start-up depends on what its site-packages load). Lines
    written before these were recorded are never reused for a new measurement."""
    return (
        rec.get("mode") == mode
        and rec.get("version") == tools.get(rec["tool"])
        and rec.get("host") == platform.node()
        and rec.get("env") == sys.prefix
    )


def versions() -> str:
    from importlib.metadata import version

    return ", ".join(
        f"{p} {version(p)}" for p in ("dormnet", "pyboolnet", "mpbn", "biodivine-aeon", "clingo")
    )


#: model name -> its file (corpus models by their file name, extra ones as ``extra:FILE``)
PATHS: dict[str, Path] = {}


def corpus(pattern: str, extra: Path | None = None) -> list[tuple[str, int]]:
    """(name, nodes) of the corpus models (and of the ``*.bnet`` files of ``extra``) whose name
    matches ``pattern``, smallest first; fills :data:`PATHS`."""
    import csv

    with (BENCH / "MANIFEST.tsv").open() as fh:
        rows = [(r["file"], int(r["nodes"])) for r in csv.DictReader(fh, delimiter="\t")]
    for name, _ in rows:
        PATHS[name] = MODELS / name
    if extra is not None:
        from dormnet import read_bnet

        for f in sorted(extra.glob("*.bnet")):
            name = f"extra:{f.name}"
            rows.append((name, len(read_bnet(f).nodes)))  # a bad file stops here, with its line
            PATHS[name] = f
    globs = pattern.split(",")
    rows = [
        r
        for r in rows
        if any(
            fnmatch.fnmatch(r[0], g) or fnmatch.fnmatch(r[0].removesuffix(".bnet"), g)
            for g in globs
        )
    ]
    return sorted(rows, key=lambda r: (r[1], r[0]))


def known_counts() -> dict[tuple[str, str], int]:
    """(model, task) -> exact count from counts.tsv where it is known."""
    import csv

    out = {}
    with (BENCH / "counts.tsv").open() as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            for task, col in (
                ("fixed", "fixed_points"),
                ("min", "min_trap_spaces"),
                ("async", "async_attractors"),
            ):
                if r[col].isdigit():
                    out[(r["model"], task)] = int(r[col])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per call (default 120)")
    ap.add_argument(
        "--models",
        default="*",
        help="comma-separated globs over the model names (extra ones: 'extra:FILE')",
    )
    ap.add_argument(
        "--extra",
        type=Path,
        help="a directory of more models (*.bnet) to run as well, e.g. published models "
        "outside the corpus",
    )
    ap.add_argument(
        "--process",
        action="store_true",
        help="time whole processes instead of forked calls: with --tasks async, `dormnet "
        "attractors MODEL --count` against a fresh interpreter running the aeon call; with "
        "fixed,min, the dormnet command line against the peers' scripts, --repeat rounds per "
        "model (benchmarks/processes.py)",
    )
    ap.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="which time the report shows and compares (both are recorded)",
    )
    ap.add_argument("--max-nodes", type=int, default=None, help="only models up to this size")
    ap.add_argument("--tasks", default=",".join(TASKS), help="comma-separated: fixed,min,async")
    ap.add_argument("--tools", default="", help="comma-separated subset of tools (default all)")
    ap.add_argument("--out", type=Path, help="also write the markdown report here")
    ap.add_argument("--cache", type=Path, help="JSON lines of finished calls, reused on rerun")
    ap.add_argument(
        "--shard",
        default="1/1",
        help="i/n: run only every n-th model starting at the i-th (parallel runs "
        "sharing one --cache)",
    )
    ap.add_argument(
        "--warmup",
        action="store_true",
        help="run every call once on a 3-node model in the parent before forking, so "
        "that one-time costs (lazy imports, first solver, caches) are not timed",
    )
    ap.add_argument(
        "--reverse",
        action="store_true",
        help="largest models first (a helper run meeting the shards from the top)",
    )
    ap.add_argument(
        "--rerun",
        action="store_true",
        help="run the selected tools and tasks again even where --cache has them "
        "(the new lines are appended; the report reads the last line of a call)",
    )
    ap.add_argument(
        "--report-only",
        action="store_true",
        help="run nothing: print the report of what --cache holds",
    )
    ap.add_argument(
        "--skip-above",
        type=float,
        default=1e7,
        help="skip enumerating fixed points / minimal trap spaces where counts.tsv "
        "says there are more than this many (no tool lists 10^7 in minutes)",
    )
    ap.add_argument(
        "--mem-gb", type=float, default=8.0, help="address-space limit per call in GiB (0: none)"
    )
    ap.add_argument(
        "--repeat", type=int, default=5, help="--process: rounds per model (and tool, for async)"
    )
    ap.add_argument(
        "--once-above",
        type=float,
        default=2.0,
        help="--process: a call whose run took more CPU seconds than this is not repeated",
    )
    ap.add_argument("--min-nodes", type=int, default=None, help="only models of this size or more")
    args = ap.parse_args(argv)
    tasks = [t for t in args.tasks.split(",") if t]
    if args.process and "async" in tasks and tasks != ["async"]:
        ap.error("--process times async alone, or fixed,min (benchmarks/processes.py)")
    bad = [t for t in tasks if t not in TASKS]
    if bad:
        ap.error(f"unknown task(s) {bad}; choose from {TASKS}")
    tools_filter = {t for t in args.tools.split(",") if t}
    models = [
        m
        for m in corpus(args.models, args.extra)
        if (args.max_nodes is None or m[1] <= args.max_nodes)
        and (args.min_nodes is None or m[1] >= args.min_nodes)
    ]
    if not models:
        ap.error(f"no model matches {args.models!r}")
    if args.process and tasks != ["async"]:
        import processes

        if args.extra is not None:
            ap.error("--process with fixed,min runs corpus models only (no --extra)")
        return processes.main(args, models, MODELS, machine(), known_counts())

    # import everything once in the parent, so children (forked) do not pay for imports
    warnings.simplefilter("ignore")
    # pyboolnet sends Python's logging to stdout at INFO on import, and AEON reports every step
    # of its attractor search there (hundreds of lines, time spent in Python): not for anyone
    logging.getLogger("biodivine_algo_bdd_scc").setLevel(logging.WARNING)
    # the peers are installed with compiled bytecode; a development checkout of dormnet may not
    # be (PYTHONDONTWRITEBYTECODE), and each child would then compile its lazily imported modules
    import compileall

    import biodivine_aeon  # noqa: F401
    import mpbn  # noqa: F401
    import pyboolnet.file_exchange
    import pyboolnet.trap_spaces  # noqa: F401

    import dormnet._engines.aeon
    import dormnet._engines.isolate
    import dormnet.attractors

    compileall.compile_dir(str(Path(dormnet.__file__).parent), quiet=2)

    if args.warmup and not args.report_only:
        for fn in CALLS.values():
            fn(str(PATHS["pbn_raf.bnet"]))

    mode = "process" if args.process else "warm" if args.warmup else "fork"
    tool_versions = {t: tool_version(t) for task in tasks for t in TOOLS[task]}

    def cached() -> dict[tuple[str, str, str], dict[str, Any]]:
        """The usable lines of --cache, the last one of each call winning: for a report every
        line (an old file can be reported), for a run only lines measured the same way (see
        :func:`comparable`) and, with --rerun, none of the selected tools'."""
        out: dict[tuple[str, str, str], dict[str, Any]] = {}
        if not (args.cache and args.cache.exists()):
            return out
        for line in args.cache.read_text().splitlines():
            rec = json.loads(line)
            if not args.report_only:
                if not comparable(rec, mode, tool_versions):
                    continue
                if (
                    args.rerun
                    and rec["task"] in tasks
                    and (not tools_filter or rec["tool"] in tools_filter)
                    and rec.get("run") != run_id
                ):
                    continue
            if rec.get("timeout", args.timeout) >= args.timeout or rec["status"] == "ok":
                # the limit is wall clock: a portfolio's CPU time may exceed it (two cores)
                if rec["status"] == "ok" and rec.get("wall", rec["seconds"]) > args.timeout:
                    rec = {**rec, "status": "timeout", "seconds": None}
                out[(rec["model"], rec["task"], rec["tool"])] = rec
        return out

    run_id = f"{platform.node()}-{os.getpid()}-{time.time():.0f}"
    results = cached()
    if args.cache and not args.report_only:
        print(
            f"{len(results)} calls reused from {args.cache} (same mode {mode!r}, same tool "
            f"versions {sorted(set(tool_versions.values()))}, same host and {sys.prefix})",
            file=sys.stderr,
        )
    started = time.time()
    # the peers' minimal scripts (--process), run from here; removed when this process ends
    scratch = tempfile.TemporaryDirectory(prefix="dormnet-bench-")
    scripts = Path(scratch.name)
    i, n = (int(x) for x in args.shard.split("/"))
    known = known_counts()
    order = list(enumerate(models))
    for k, (name, _nodes) in reversed(order) if args.reverse else order:
        if args.report_only or k % n != i - 1:
            continue
        path = PATHS[name]
        for task in tasks:
            for tool in TOOLS[task]:
                if tools_filter and tool not in tools_filter:
                    continue
                key = (name, task, tool)
                if key not in results and args.cache:
                    results.update(cached())  # another process (--shard) may have run it
                if key in results:
                    continue
                count = known.get((name, task))
                if task in ("fixed", "min") and count is not None and count > args.skip_above:
                    results[key] = {
                        "model": name,
                        "task": task,
                        "tool": tool,
                        "status": "skip",
                        "seconds": None,
                        "n": None,
                    }
                    continue
                fixed = results.get((name, "fixed", "pyboolnet"))
                if (
                    tool == "pyboolnet"
                    and task == "min"
                    and fixed is not None
                    and fixed["status"] == "timeout"
                    and fixed.get("detail") == "before primes"
                ):
                    # the prime step is the same for both tasks: if it did not finish within the
                    # limit for fixed points it does not for trap spaces either
                    rec = {k: fixed[k] for k in ("status", "seconds", "n", "detail")}
                elif args.process:
                    cmd = process_command(tool, path, scripts)
                    rec = repeated(
                        lambda: run_process(cmd, args.timeout, args.mem_gb),  # noqa: B023
                        args.repeat,
                        args.once_above,
                    )
                else:
                    rec = run_one(CALLS[(tool, task)], path, args.timeout, args.mem_gb)
                rec = {
                    "model": name,
                    "task": task,
                    "tool": tool,
                    "timeout": args.timeout,
                    "load": os.getloadavg()[0],
                    "mode": mode,
                    "version": tool_versions[tool],
                    "host": platform.node(),
                    "env": sys.prefix,
                    "run": run_id,
                    "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
                    **rec,
                }
                rec.update(model=name, task=task, tool=tool)
                results[key] = rec
                if args.cache:
                    with args.cache.open("a") as fh:
                        fh.write(json.dumps(rec) + "\n")
                print(
                    f"[{time.time() - started:6.0f}s] {name} {task} {tool}: "
                    f"{fmt_time(rec, args.timeout)} n={rec.get('n')} {rec.get('detail', '')}",
                    file=sys.stderr,
                    flush=True,
                )

    if args.clock == "wall":
        results = {
            k: {**r, "seconds": r.get("wall")} if r["status"] == "ok" else r
            for k, r in results.items()
        }
    loads = [r["load"] for r in results.values() if "load" in r]
    report = (
        f"Run {time.strftime('%Y-%m-%d %H:%M')} on {machine()}; {versions()}; "
        + (
            "whole processes (`dormnet attractors MODEL --count` against a fresh interpreter "
            "running the aeon call); "
            if args.process
            else "warm (every call run once in the parent before forking); "
            if args.warmup
            else "cold (each call in a fresh fork of a parent that has only imported the "
            "tools, so one-time first-use costs are timed); "
        )
        + f"limit {args.timeout:g} s per call, {len(models)} models; load average "
        f"{os.getloadavg()[1]:.1f} over the last 5 minutes of the run"
        + (
            f" (1-minute load average when each call ended: median "
            f"{statistics.median(loads):.1f}, max {max(loads):.1f})"
            if loads
            else ""
        )
        + ".\n"
        + (
            "Times are CPU seconds (user + system, the call's subprocesses included, also "
            "those killed when another member of dormnet's portfolio answered first) "
            if args.clock == "cpu"
            else "Times are wall-clock seconds "
        )
        + "from the BNET file to the complete answer, parsing included; the limit is wall-clock; "
        "`>T` = did not finish within the limit, `crash` = the interpreter died, `error` = "
        "raised, `mem` = memory limit, `skip` = more than "
        f"{args.skip_above:g} results (counts.tsv), not enumerated. Ratios < 1: dormnet "
        "faster.\n" + summarise(results, models, tasks, args.timeout)
    )
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
