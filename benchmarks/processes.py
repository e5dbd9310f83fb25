"""``benchmarks/attractors.py --process``: the dormnet command line against the peers' scripts,
each a whole process, as a user runs them.

The in-process benchmark (the rest of ``attractors.py``) times a call in a fork of a parent that
has imported every tool, so start-up is not timed. A user runs ``dormnet fixed-points MODEL
--count`` from a shell, and for models of 20 to 40 nodes the peers' whole processes take about
60 ms: start-up is most of the answer. Here every run is a fresh process:

- ``dormnet``: ``dormnet fixed-points MODEL --count`` / ``dormnet trap-spaces MODEL --count``
  (the console script of the interpreter running this benchmark);
- ``dormnet-list``: the same query listed (``--format tsv``, stdout discarded): a count must
  never be slower than listing;
- ``aeon``: a minimal script, ``FixedPoints.symbolic(graph).cardinality()`` /
  ``TrapSpaces.minimal_symbolic(ctx, graph).cardinality()`` (a symbolic count, no listing);
- ``mpbn``: a minimal script counting ``fixedpoints()`` / ``attractors()`` (mpbn has no count).

The peer scripts are written to a temporary directory and run from there, so they load nothing
but their tool (no checkout on ``sys.path``). Runs go round-robin over the tools, ``--repeat``
times per model, so a change of machine load affects every tool alike; the table gives each
tool's median CPU time (user + system of the process and of the children it waited for, from
``getrusage(RUSAGE_CHILDREN)``), which other jobs on the machine inflate far less than wall
time, and the median wall time too. The counts printed by the tools must agree (``MISMATCH``).

On the whole corpus (101 models, some calls lasting seconds): a call whose first run takes more
than ``--once-above`` CPU seconds (default 2) is not repeated, since its noise is a few per cent
and five rounds of every slow call would take hours; ``--shard i/n`` runs every n-th model (one
shard per core) and ``--cache FILE`` appends each finished (model, task, tool) as a JSON line, so
shards share one file and ``--report-only`` reports it. A model a peer finishes and dormnet does
not counts as a loss (an infinite ratio) in the median; models no peer finishes are listed, not
counted. ``dormnet-list`` is not run where counts.tsv says there are more results than
``--skip-above`` (listing 10^7 rows is not a count's rival), and a listing that stopped at its
``--limit`` is not compared with the count.

Run it from a regular (non-editable) install: an editable install under
``PYTHONDONTWRITEBYTECODE`` recompiles dormnet's modules in every process.
"""

from __future__ import annotations

import json
import math
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TOOLS = ("dormnet", "dormnet-list", "aeon", "mpbn")
PEERS = ("aeon", "mpbn")
QUERY = {"fixed": "fixed-points", "min": "trap-spaces"}

AEON = """import sys
import biodivine_aeon as ba

ba.LOG_LEVEL = ba.LOG_NOTHING
bn = ba.BooleanNetwork.from_file(sys.argv[2], repair_graph=True)
if sys.argv[1] == "fixed":
    print(ba.FixedPoints.symbolic(ba.AsynchronousGraph(bn)).cardinality())
else:
    ctx = ba.SymbolicSpaceContext(bn)
    print(ba.TrapSpaces.minimal_symbolic(ctx, ba.AsynchronousGraph(bn, ctx)).cardinality())
"""
MPBN = """import sys
import mpbn

net = mpbn.MPBooleanNetwork(sys.argv[2])
found = net.fixedpoints() if sys.argv[1] == "fixed" else net.attractors()
print(sum(1 for _ in found))
"""


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_process(cmd: list[str], cwd: str, timeout: float) -> dict[str, Any]:
    """One whole process: CPU seconds (its own and its waited-for children's), wall seconds,
    the last line it printed, or a status other than ``ok``."""
    c0, t0 = _children_cpu(), time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # one process group: a timeout kills its children too
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {"status": "timeout"}
    wall, cpu = time.perf_counter() - t0, _children_cpu() - c0
    if proc.returncode != 0:
        last = (err.strip().splitlines() or [f"exit {proc.returncode}"])[-1][:120]
        return {"status": "error", "detail": last}
    lines = out.strip().splitlines()
    return {
        "status": "ok",
        "cpu": cpu,
        "wall": wall,
        "out": lines[-1] if lines else "",
        # a tsv listing: a header, then one row per result (stopped at --limit: a note)
        "rows": f"{max(0, len(lines) - 1)}{'+' if 'listing stopped' in err else ''}",
    }


def commands(tool: str, task: str, model: Path, scripts: Path) -> list[str]:
    """The command line of one tool for one task."""
    if tool == "dormnet":
        return [str(dormnet_script()), QUERY[task], str(model), "--count"]
    if tool == "dormnet-list":
        return [str(dormnet_script()), QUERY[task], str(model), "--format", "tsv"]
    return [sys.executable, str(scripts / f"peer_{tool}.py"), task, str(model)]


def dormnet_script() -> Path:
    """The ``dormnet`` console script installed beside this interpreter."""
    return Path(sys.executable).with_name("dormnet")


def install_note() -> str:
    """Where dormnet is imported from, and whether its modules are compiled."""
    code = (
        "import sys, pathlib, dormnet; p = pathlib.Path(dormnet.__file__).parent; "
        "print(p, (p / '__pycache__').is_dir(), sys.flags.dont_write_bytecode)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=tempfile.gettempdir(),
    ).stdout.split()
    if len(out) != 3:
        return "dormnet: not importable"
    where, compiled, no_write = out
    return (
        f"dormnet imported from {where} ({'compiled' if compiled == 'True' else 'NOT compiled'}"
        + (", PYTHONDONTWRITEBYTECODE set)" if no_write == "1" else ")")
    )


def measure(
    models: list[tuple[str, int]],
    folder: Path,
    tasks: list[str],
    tools: list[str],
    repeat: int,
    timeout: float,
    once_above: float = math.inf,
    too_many: frozenset[tuple[str, str]] = frozenset(),
    cache: Path | None = None,
) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Round-robin runs: ``repeat`` rounds of every tool per (model, task); a tool whose run
    took more than ``once_above`` CPU seconds is not run again; ``dormnet-list`` is not run on
    the (model, task) pairs in ``too_many``; with ``cache``, the calls it holds are not run
    again and each finished call is appended to it."""
    results = read_cache(cache)
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="dormnet-bench-") as tmp:
        scripts = Path(tmp)
        (scripts / "peer_aeon.py").write_text(AEON)  # not aeon.py: no module name shadowed
        (scripts / "peer_mpbn.py").write_text(MPBN)
        for name, _nodes in models:
            for task in tasks:
                todo = [
                    t
                    for t in tools
                    if (name, task, t) not in results
                    and not (t == "dormnet-list" and (name, task) in too_many)
                ]
                runs: dict[str, list[dict[str, Any]]] = {t: [] for t in todo}
                for _ in range(repeat):
                    for tool in todo:
                        last = runs[tool][-1] if runs[tool] else None
                        if last is not None and (
                            last["status"] != "ok" or last["cpu"] > once_above
                        ):
                            continue  # a timeout, an error or a slow call is not repeated
                        cmd = commands(tool, task, folder / name, scripts)
                        runs[tool].append(run_process(cmd, tmp, timeout))
                for tool, rs in runs.items():
                    ok = [r for r in rs if r["status"] == "ok"]
                    if ok and len(ok) == len(rs):
                        outs = {r["out"] for r in ok}
                        rec = {
                            "status": "ok",
                            "cpu": statistics.median(r["cpu"] for r in ok),
                            "wall": statistics.median(r["wall"] for r in ok),
                            "n": len(ok),
                            # a listing prints one row per result (tsv: a header first)
                            "count": (
                                ok[0]["rows"] if tool == "dormnet-list" else "/".join(sorted(outs))
                            ),
                        }
                    else:
                        rec = next(r for r in rs if r["status"] != "ok")
                    results[(name, task, tool)] = rec
                    if cache is not None:
                        with cache.open("a") as fh:
                            fh.write(json.dumps({"model": name, "task": task, "tool": tool, **rec}))
                            fh.write("\n")
                    print(
                        f"[{time.time() - started:5.0f}s] {name} {task} {tool}: "
                        + (
                            f"cpu {rec['cpu'] * 1000:.0f} ms, wall {rec['wall'] * 1000:.0f} ms, "
                            f"{rec['count']}"
                            if rec["status"] == "ok"
                            else f"{rec['status']} {rec.get('detail', '')}"
                        ),
                        file=sys.stderr,
                        flush=True,
                    )
    return results


def read_cache(cache: Path | None) -> dict[tuple[str, str, str], dict[str, Any]]:
    """The calls a ``--cache`` file holds, the last line of each (model, task, tool) winning."""
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    if cache is None or not cache.exists():
        return out
    for line in cache.read_text().splitlines():
        rec = json.loads(line)
        out[(rec.pop("model"), rec.pop("task"), rec.pop("tool"))] = rec
    return out


def _ms(r: dict[str, Any] | None, key: str = "cpu") -> str:
    if r is None:
        return ""
    if r["status"] != "ok":
        return r["status"]
    return f"{r[key] * 1000:.0f}"


def report(
    results: dict[tuple[str, str, str], dict[str, Any]],
    models: list[tuple[str, int]],
    tasks: list[str],
    tools: list[str],
) -> str:
    lines: list[str] = []
    peers = [t for t in tools if t in PEERS]
    for task in tasks:
        head = ["model", "nodes"] + [f"{t} ms" for t in tools] + ["dormnet wall ms"]
        head += ["dormnet/fastest peer", "count/list", "results"]
        lines += [f"\n### {QUERY[task]} --count\n", "| " + " | ".join(head) + " |"]
        lines.append("|" + "---|" * len(head))
        ratios: list[float] = []
        wall_ratios: list[float] = []
        slower_than_list: list[str] = []
        lost: list[str] = []
        no_peer: list[str] = []
        for name, nodes in models:
            rs = {t: results.get((name, task, t)) for t in tools}
            ok = {t: r for t, r in rs.items() if r is not None and r["status"] == "ok"}
            d, ran = ok.get("dormnet"), rs.get("dormnet") is not None
            done = [ok[p] for p in peers if p in ok]
            ratio = count_list = ""
            if d is not None and done:
                ratios.append(d["cpu"] / min(r["cpu"] for r in done))
                wall_ratios.append(d["wall"] / min(r["wall"] for r in done))
                ratio = f"{ratios[-1]:.2f}"
            elif ran and done:  # a peer finished, dormnet did not: a loss
                ratios.append(math.inf)
                wall_ratios.append(math.inf)
                lost.append(name)
                ratio = "lost"
            elif d is not None and any(rs[p] is not None for p in peers):
                no_peer.append(name)
            li = ok.get("dormnet-list")
            if li is not None and li["count"].endswith("+"):
                li = None  # the listing stopped at its limit: not the same work as the count
            if ran and li is not None:
                if d is None or d["cpu"] > li["cpu"]:
                    slower_than_list.append(name)
                if d is not None:
                    count_list = f"{d['cpu'] / li['cpu']:.2f}"
            counts = {
                r["count"].rstrip("+")
                for t, r in rs.items()
                if r is not None and r["status"] == "ok" and not r["count"].endswith("+")
            }
            row = [name.removesuffix(".bnet"), str(nodes)] + [_ms(rs[t]) for t in tools]
            row += [_ms(rs.get("dormnet"), "wall"), ratio, count_list]
            row.append("/".join(sorted(counts)) + (" MISMATCH" if len(counts) > 1 else ""))
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
        if ratios:
            finite = [r for r in ratios if r < math.inf]
            lines.append(
                f"Median CPU-time ratio dormnet/fastest peer over {len(ratios)} models: "
                f"**{statistics.median(ratios):.2f}** (max of the finished "
                f"{max(finite, default=math.nan):.2f}); wall-time ratio "
                f"{statistics.median(wall_ratios):.2f}; "
                f"{sum(r <= 1.0 for r in ratios)} models at most 1.0."
            )
        lines.append(
            "Finished by a peer and not by dormnet (counted as lost): "
            + (", ".join(lost) if lost else "none")
            + ". Finished by dormnet alone (not in the median): "
            + (", ".join(no_peer) if no_peer else "none")
            + "."
        )
        lines.append(
            "Models where the count took more CPU than listing: "
            + (", ".join(slower_than_list) if slower_than_list else "none")
            + " (a ratio a little above 1 on a fast model is noise: compare the columns)."
        )
    return "\n".join(lines) + "\n"


def main(
    args: Any,
    models: list[tuple[str, int]],
    folder: Path,
    machine: str,
    known: dict[tuple[str, str], int],
) -> int:
    """The ``--process`` mode of ``attractors.py``: ``models`` (file, nodes) in ``folder``;
    ``known``: (model, task) -> the count counts.tsv gives."""
    tasks = [t for t in args.tasks.split(",") if t in QUERY]
    tools = [t for t in (args.tools.split(",") if args.tools else TOOLS) if t in TOOLS]
    if not tasks:
        print("--process times fixed,min only", file=sys.stderr)
        return 2
    if not dormnet_script().exists():
        print(f"no dormnet console script at {dormnet_script()}", file=sys.stderr)
        return 2
    i, n = (int(x) for x in args.shard.split("/"))
    if args.report_only:
        results = read_cache(args.cache)
    else:
        too_many = frozenset(k for k, c in known.items() if c > args.skip_above)
        mine = [m for k, m in enumerate(models) if k % n == i - 1]
        results = measure(
            mine,
            folder,
            tasks,
            tools,
            args.repeat,
            args.timeout,
            once_above=args.once_above,
            too_many=too_many,
            cache=args.cache,
        )
    when = (
        f"Report of the runs in {args.cache}, made {time.strftime('%Y-%m-%d %H:%M')}"
        if args.report_only
        else f"Run {time.strftime('%Y-%m-%d %H:%M')} on {machine}; {install_note()}"
    )
    load = (
        ""
        if args.report_only
        else f"; load average {os.getloadavg()[1]:.1f} over the last 5 minutes"
    )
    text = (
        f"{when}; every run a whole process, {args.repeat} rounds per model (one where the first "
        f"took more than {args.once_above:g} CPU s), round-robin over the tools; limit "
        f"{args.timeout:g} s per process{load}.\nTimes are medians in ms of CPU (user + system, "
        "children included); ratios < 1: dormnet faster.\n" + report(results, models, tasks, tools)
    )
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    return 0
