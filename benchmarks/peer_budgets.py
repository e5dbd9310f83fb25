"""Time every peer-tool call of the default test run, to set the tests' time budgets.

A peer that does not finish within its budget skips its test (the only skip a CI run accepts
besides ``slow``, see ``tests/skips.py``), so a budget must leave room for a slower machine: the
tests' budgets (``tests/peers.py``: ``BUDGET``) should be at least 3x the slowest call measured
here, and a (peer, model) pair that needs more is moved under ``slow`` (``peers.SLOW``).

Each call is the tests' own code (``tests/peers.py``, ``tests/test_sbml.py``), run in a fresh
fork with a wall-clock limit; the CPU time is the child's user + system time and that of the
subprocesses it waited for (pyboolnet's BNetToPrime and gringo). Wall time is what the budget
measures; on a loaded machine it exceeds the CPU time::

    python benchmarks/peer_budgets.py            # ~5 min; writes benchmarks/results/peer_budgets.md
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import signal
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from dormnet import read_bnet
from dormnet.io.sbml import format_sbml, read_sbml
from tests import peers
from tests.conftest import VENDORED
from tests.test_sbml import FP_CAP, aeon_facts, dormnet_view


def _child(conn, fn, args) -> None:
    os.setpgrp()
    try:
        fn(*args)
        status = "ok"
    except BaseException as e:  # noqa: BLE001 - reported
        status = f"error: {type(e).__name__}: {e}"[:200]
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    conn.send((status, cpu))


def timed(fn, args: tuple, limit: float) -> dict[str, Any]:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    start = time.perf_counter()
    proc = ctx.Process(target=_child, args=(child, fn, args), daemon=True)
    proc.start()
    child.close()
    if not parent.poll(limit):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.join()
        return {"status": "timeout", "wall": limit, "cpu": None}
    try:
        status, cpu = parent.recv()
    except EOFError:
        status, cpu = f"crash (exit {proc.exitcode})", None
    wall = time.perf_counter() - start
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.join()
    return {"status": status, "wall": round(wall, 3), "cpu": None if cpu is None else round(cpu, 3)}


def calls() -> list[tuple[str, str, str, Any, tuple]]:
    """(test, peer, model, fn, args) of every peer call in the default run."""
    out = []
    for m in VENDORED:
        path = str(m.path)
        if m.nodes <= 32:  # tests/test_corpus_attractors.py CAP
            for (peer, what), fn in peers.CORPUS_CALLS.items():
                out.append(("corpus_attractors", f"{peer} {what}", m.name, fn, (path, 1e9)))
        if m.nodes <= 40:  # tests/test_corpus_graph.py
            out.append(("corpus_graph", "pyboolnet", m.name, peers.pyboolnet_signed_edges, (path,)))
        if m.nodes <= 11:  # tests/test_formats.py primes
            out.append(("formats", "pyboolnet", m.name, peers.pyboolnet_primes, (path,)))
        net = read_bnet(m.path)  # tests/test_sbml.py: every export up to 60 nodes
        text, view = format_sbml(net), dormnet_view(net)
        out.append(("sbml export", "aeon read", m.name, aeon_facts, (text, view, None)))
        out.append(("sbml export", "aeon fixed", m.name, aeon_facts, (text, view, FP_CAP)))
    for sbml in sorted((ROOT / "tests" / "corpus" / "sbml").glob("*.sbml")):
        net, text = read_sbml(sbml), sbml.read_text()
        view = dormnet_view(net)
        out.append(("sbml published", "aeon read", sbml.name, aeon_facts, (text, view, None)))
        out.append(("sbml published", "aeon fixed", sbml.name, aeon_facts, (text, view, FP_CAP)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=float, default=300.0, help="wall-clock seconds per call")
    ap.add_argument("--raw", type=Path, default=HERE / "results" / "peer_budgets.jsonl")
    ap.add_argument("--table", type=Path, default=HERE / "results" / "peer_budgets.md")
    ap.add_argument("--report-only", action="store_true", help="only rewrite the table from --raw")
    args = ap.parse_args()
    if args.report_only:
        rows = [json.loads(line) for line in args.raw.read_text().splitlines()]
    else:
        rows = []
        with args.raw.open("w") as fh:
            for test, peer, model, fn, fargs in calls():
                r = {"test": test, "peer": peer, "model": model, **timed(fn, fargs, args.limit)}
                rows.append(r)
                fh.write(json.dumps(r) + "\n")
                fh.flush()
                print(json.dumps(r), flush=True)
    report(rows, args.table)


def report(rows: list[dict[str, Any]], table: Path) -> None:
    """The markdown table: the slowest calls, their budgets and headroom."""
    rows = sorted(rows, key=lambda r: -r["wall"])
    budget = {"pyboolnet": peers.BUDGET["pyboolnet"], "mpbn": peers.BUDGET["mpbn"]}
    when = time.strftime("%Y-%m-%d %H:%M")
    intro = (
        f"{len(rows)} calls, `python benchmarks/peer_budgets.py` (table written {when}, load average "
        f"{os.getloadavg()[0]:.1f}). Budget: `tests/peers.py`; headroom = budget / "
        "wall. The 20 slowest:"
    )
    lines = [
        "# Peer calls of the default test run",
        "",
        intro,
        "",
        "| test | peer call | model | status | wall s | CPU s | budget s | headroom |",
        "|---|---|---|---|---:|---:|---:|---:|",
    ]
    for r in rows[:20]:
        peer = r["peer"].split()[0]
        b = budget.get(peer, peers.BUDGET["aeon"])
        slow = " (slow: `peers.SLOW`)" if (peer, r["model"]) in peers.SLOW else ""
        lines.append(
            f"| {r['test']} | {r['peer']} | {r['model']}{slow} | {r['status'][:40]} "
            f"| {r['wall']:.2f} | {r['cpu'] if r['cpu'] is not None else '-'} | {b:.0f} "
            f"| {b / r['wall']:.1f}x |"
        )
    bad = [r for r in rows if r["status"] != "ok"]
    lines += ["", f"Calls that did not answer: {len(bad)}."]
    table.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
