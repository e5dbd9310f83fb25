"""Benchmark: the context x context transition matrix of a model bundle (issue 16), dormnet
against the straightforward computation with a peer, side by side in one run, with ratios.

For every ordered pair of named contexts (a, b) and every attractor of a: which attractors of b
are reachable once the cell is moved to b (its state carried over, b's inputs set at once).

- asynchronous: ``dormnet.switch.transition_matrix(update="async")`` against biodivine-aeon used
  directly: its own BNET parser, ``Attractors.attractors`` per context, and per (pair, attractor
  of a) ``Reachability.reach_fwd`` under b intersected with b's attractors;
- most permissive: ``transition_matrix(update="mp")`` against mpbn: ``attractors()`` per context
  and ``attractors(reachable_from=...)`` per (pair, attractor of a).

Each tool runs in a forked child of a parent that has imported every tool, timed from the model
files to the whole matrix (the attractors of every context included), as CPU seconds of the child
and of the children it waited for (dormnet runs large attractor searches in a child), with a
wall-clock limit. Both answers are compared cell by cell (attractors matched by subspace and
size); a difference is reported and fails the run.

Usage::

    python benchmarks/switch.py [--model networks/dormancy.bnet] [--timeout 600] [--repeat 2]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import signal
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def cpu() -> float:
    """CPU seconds of this process and of its waited-for children."""
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def _in_child(conn, fn, args):
    os.setpgrp()
    try:
        t0, w0 = cpu(), time.perf_counter()
        value = fn(*args)
        conn.send(("ok", (cpu() - t0, time.perf_counter() - w0, value)))
    except BaseException as e:  # noqa: BLE001 - reported, the run fails
        conn.send(("error", f"{type(e).__name__}: {e}"))


def run_limited(fn, args, timeout: float):
    """(cpu, wall, value) of ``fn(*args)`` in a fork; ``None`` and a reason on time-out."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_in_child, args=(child, fn, args))
    p.start()
    ok = parent.poll(timeout)
    status, value = ("timeout", f">{timeout:g} s") if not ok else parent.recv()
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    p.join()
    return (value, None) if status == "ok" else (None, value)


def key(space: dict, size: int) -> tuple:
    return tuple(sorted(space.items())), size


def dormnet_matrix(model: str, update: str) -> dict:
    from dormnet.bundle import load_bundle
    from dormnet.switch import transition_matrix

    m = transition_matrix(load_bundle(model), update=update)
    out = {}
    for (a, b), cell in m.cells.items():
        if a == b:
            continue
        after = m.analyses[b]
        for i, ca in enumerate(cell.before):
            targets = {
                key(after[j].attractor.space, after[j].attractor.size) for j in cell.reaches[i]
            }
            out[a, b, key(ca.attractor.space, ca.attractor.size)] = frozenset(targets)
    return out


def _contexts(model: str) -> dict[str, dict[str, int]]:
    from dormnet.bundle import load_bundle

    return {n: dict(c.inputs) for n, c in load_bundle(model).contexts.items()}


def _clamped_text(text: str, clamps: dict[str, int], const: tuple[str, str]) -> str:
    lines = []
    for line in text.splitlines():
        target = line.split(",", 1)[0].strip()
        if target in clamps and not line.lstrip().startswith("#"):
            line = f"{target}, {const[1] if clamps[target] else const[0]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _tick(progress: str | None) -> None:
    """One more cell done (a line in the progress file: read after a time-out)."""
    if progress:
        with open(progress, "a") as fh:
            fh.write(".")


def aeon_matrix(
    model: str, contexts: dict[str, dict[str, int]], progress: str | None = None
) -> dict:
    import biodivine_aeon as ba

    ba.LOG_LEVEL = ba.LOG_NOTHING
    text = Path(model).read_text()
    graphs, atts = {}, {}
    for name, c in contexts.items():
        bn = ba.BooleanNetwork.from_bnet(
            _clamped_text(text, c, ("false", "true")), repair_graph=True
        )
        g = graphs[name] = ba.AsynchronousGraph(bn)
        atts[name] = ba.Attractors.attractors(g)

    def describe(a):
        space = {k: int(v) for k, v in (a.vertices().enclosing_named_subspace() or {}).items()}
        return key(space, int(a.cardinality()))

    out = {}
    for a, ga in graphs.items():
        for b, gb in graphs.items():
            if a == b:
                continue
            ctx = gb.symbolic_context()
            cl = gb.mk_subspace({n: bool(v) for n, v in contexts[b].items()}).to_bdd()
            bvars = [ctx.find_network_bdd_variable(n) for n in contexts[b]]
            for s in atts[a]:
                bdd = ctx.transfer_from(s.to_bdd(), ga.symbolic_context()).r_exists(bvars).l_and(cl)
                fwd = ba.Reachability.reach_fwd(gb, ba.ColoredVertexSet(ctx, bdd))
                out[a, b, describe(s)] = frozenset(
                    describe(t) for t in atts[b] if not fwd.intersect(t).is_empty()
                )
                _tick(progress)
    return out


def mpbn_matrix(
    model: str, contexts: dict[str, dict[str, int]], progress: str | None = None
) -> dict:
    import mpbn

    nets, atts = {}, {}
    for name, c in contexts.items():
        m = nets[name] = mpbn.MPBooleanNetwork(model)
        for n, v in c.items():
            m[n] = v
        atts[name] = [{k: v for k, v in a.items() if v != "*"} for a in m.attractors()]

    def describe(space):
        return key(space, 2 ** (len(nets[next(iter(nets))]) - len(space)))

    out = {}
    for a in nets:
        for b, mb in nets.items():
            if a == b:
                continue
            for s in atts[a]:
                found = mb.attractors(reachable_from={**s, **contexts[b]})
                out[a, b, describe(s)] = frozenset(
                    describe({k: v for k, v in t.items() if v != "*"}) for t in found
                )
                _tick(progress)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default=str(ROOT / "networks" / "dormancy.bnet"))
    ap.add_argument("--timeout", type=float, default=600.0, help="wall-clock seconds per call")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each call (the best is kept)")
    ap.add_argument("--updates", default="async,mp")
    args = ap.parse_args()

    # every tool imported before the forks: imports are not timed, for any tool
    import biodivine_aeon  # noqa: F401
    import mpbn  # noqa: F401

    import dormnet.switch  # noqa: F401

    contexts = _contexts(args.model)
    n = len(contexts)
    print(f"model {args.model}: {n} contexts, {n * (n - 1)} ordered pairs")
    print(f"load average {os.getloadavg()[0]:.1f} (2 cores)")
    peers = {"async": ("biodivine-aeon", aeon_matrix), "mp": ("mpbn", mpbn_matrix)}
    failed = False
    for update in args.updates.split(","):
        peer_name, peer_fn = peers[update]
        rows = {}
        progress = Path(tempfile.mkdtemp()) / "cells"
        for tool, fn, fargs in (
            ("dormnet", dormnet_matrix, (args.model, update)),
            (peer_name, peer_fn, (args.model, contexts, str(progress))),
        ):
            best = None
            for _ in range(args.repeat):
                progress.write_text("")
                value, err = run_limited(fn, fargs, args.timeout)
                if value is None:
                    done = len(progress.read_text()) if tool != "dormnet" else 0
                    best = (None, None, f"{err} ({done} (pair, attractor) cells done)")
                    break
                if best is None or value[0] < best[0]:
                    best = value
            rows[tool] = best
        d, p = rows["dormnet"], rows[peer_name]
        print(f"\n{update}: whole matrix (CPU s, wall s)")
        for tool, (c, w, v) in rows.items():
            what = f"{c:8.2f} {w:8.2f}" if c is not None else f"  failed: {v}"
            print(f"  {tool:15s} {what}")
        if d[0] is not None and p[0] is not None:
            same = d[2] == p[2]
            print(f"  ratio dormnet/{peer_name} (CPU): {d[0] / p[0]:.3f}")
            print(f"  cells compared: {len(d[2])}; identical answers: {same}")
            failed |= not same
        failed |= d[0] is None
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
