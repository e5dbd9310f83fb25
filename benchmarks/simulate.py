"""Benchmark: stochastic simulation, dormnet against MaBoSS (cmaboss and pyMaBoSS), side by side
in one run, with ratios.

1. Throughput, one core each: trajectories per second of CPU time on the bundled model (in the
   bone-marrow context) and two corpus models (pbn_calzone_cellfate, pbn_grieco_mapk; every node
   0 or 1 with probability 1/2, MaBoSS's default), unit rates, ``--max-time`` with windows of 1.
   dormnet: :func:`dormnet.simulate.simulate` (sampling, one process) after a warm-up call (the
   numba kernel is compiled once per machine and loaded from its cache once per process: that
   load is printed separately). MaBoSS: ``cmaboss.MaBoSSSim(...).run()`` with ``thread_count =
   1`` on the same ``.bnd``/``.cfg`` text (dormnet's MaBoSS export), parsing included (a few
   milliseconds). The last-window node probabilities of both are compared (largest difference).
2. The single + double knockout screen of the bundled model (bone marrow; every non-input node;
   61 singles and 1,830 pairs): dormnet's :func:`dormnet.simulate.simulate_scenarios` with
   ``--processes`` workers against pyMaBoSS's ``simulate_single_mutants`` +
   ``simulate_double_mutants`` (sign ``OFF``, ``cmaboss=True``) with MaBoSS's ``thread_count``
   set to the same number of cores. Both wall time and CPU time (this process and its children)
   are printed.

CPU time is ``time.process_time()`` (all threads of this process) plus, for forked workers,
``resource.getrusage(RUSAGE_CHILDREN)``. The machine is shared: run it twice.

Usage::

    python benchmarks/simulate.py [--trajectories 20000] [--max-time 50]
        [--screen-trajectories 500] [--screen-max-time 20] [--processes 2] [--skip-screen]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = Path(os.environ.get("DORMNET_SHARED", ROOT.parent / "shared"))
MODELS = SHARED / "bench" / "models"
CORPUS = ("pbn_calzone_cellfate.bnet", "pbn_grieco_mapk.bnet")


def cpu() -> float:
    """CPU seconds of this process (every thread) and its finished children."""
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ch.ru_utime + ch.ru_stime


def maboss_texts(net, clamps, *, trajectories, max_time, threads=1):
    """dormnet's MaBoSS export with the clamped inputs as fixed initial states."""
    from dormnet.io.maboss import format_maboss

    bnd, cfg = format_maboss(net)
    lines = [ln for ln in cfg.splitlines() if ".istate" not in ln]
    for n in net.nodes:
        if n in clamps:
            lines.append(f"{n}.istate = {clamps[n]};")
        else:
            lines.append(f"[{n}].istate = 0.5 [0], 0.5 [1];")
    lines += [
        f"sample_count = {trajectories};",
        f"max_time = {max_time};",
        "time_tick = 1;",
        f"thread_count = {threads};",
    ]
    return bnd, "\n".join(lines) + "\n"


def cmaboss_module(n: int):
    import importlib

    for size, name in ((64, "cmaboss"), (128, "cmaboss_128n"), (256, "cmaboss_256n")):
        if n <= size:
            return importlib.import_module(name)
    return importlib.import_module("cmaboss_1024n")


def models():
    from dormnet.bundle import load_bundle
    from dormnet.io import read_network

    b = load_bundle()
    out = [("dormancy (bone_marrow)", b.network, dict(b.context("bone_marrow").inputs))]
    for name in CORPUS:
        out.append((name.removesuffix(".bnet"), read_network(MODELS / name), {}))
    return out


def throughput(args) -> None:
    from dormnet.simulate import simulate

    t0 = time.perf_counter()
    simulate(models()[0][1], trajectories=10, max_time=2, time_step=1, method="sampling")
    print(f"numba kernel load + first call: {time.perf_counter() - t0:.2f} s (once per process)\n")
    N, T = args.trajectories, args.max_time
    header = (
        f"{'model':28} {'nodes':>5} {'dormnet s':>9} {'traj/s':>9} "
        f"{'MaBoSS s':>9} {'traj/s':>9} {'ratio':>6} {'max |dp|':>8}"
    )
    print(f"Throughput, one core, {N:,} trajectories, max_time {T}, windows of 1 (CPU time)")
    print(header)
    ratios = []
    for label, net, clamps in models():
        c0 = cpu()
        res = simulate(
            net, clamps, trajectories=N, max_time=T, time_step=1, method="sampling", seed=1
        )
        ours = cpu() - c0
        bnd, cfg = maboss_texts(net, clamps, trajectories=N, max_time=T)
        c0 = cpu()
        sim = cmaboss_module(len(net)).MaBoSSSim(network_str=bnd, config_str=cfg)
        probs, _, names, _ = sim.run().get_last_nodes_probtraj()
        theirs = cpu() - c0
        diff = max(abs(res.final["nodes"][x] - probs[0, j]) for j, x in enumerate(names))
        ratios.append(theirs / ours)
        print(
            f"{label:28} {len(net):5d} {ours:9.2f} {N / ours:9.0f} {theirs:9.2f} "
            f"{N / theirs:9.0f} {theirs / ours:6.1f} {diff:8.4f}"
        )
    print(f"ratio (MaBoSS CPU / dormnet CPU): min {min(ratios):.1f}, max {max(ratios):.1f}\n")


def screen(args) -> None:
    import maboss

    from dormnet.bundle import load_bundle
    from dormnet.simulate import simulate_scenarios

    b = load_bundle()
    net = b.network
    ctx = dict(b.context("bone_marrow").inputs)
    nodes = [n for n in net.nodes if n not in net.inputs]
    singles = [{n: 0} for n in nodes]
    pairs = [{a: 0, c: 0} for i, a in enumerate(nodes) for c in nodes[i + 1 :]]
    N, T, P = args.screen_trajectories, args.screen_max_time, args.processes
    print(
        f"Knockout screen of the bundled model (bone_marrow): {len(singles)} singles + "
        f"{len(pairs)} pairs, {N} trajectories each, max_time {T}, {P} cores"
    )
    w0, c0 = time.perf_counter(), cpu()
    rows = simulate_scenarios(
        net,
        [{**ctx, **s} for s in singles + pairs],
        phenotypes=b.phenotypes,
        trajectories=N,
        max_time=T,
        time_step=1,
        processes=P,
    )
    ours_wall, ours_cpu = time.perf_counter() - w0, cpu() - c0
    assert len(rows) == len(singles) + len(pairs)
    print(f"  dormnet simulate_scenarios: wall {ours_wall:8.1f} s, CPU {ours_cpu:8.1f} s")
    if args.skip_pymaboss:
        return
    bnd, cfg = maboss_texts(net, ctx, trajectories=N, max_time=T, threads=P)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "m.bnd").write_text(bnd)
        (Path(tmp) / "m.cfg").write_text(cfg)
        w0, c0 = time.perf_counter(), cpu()
        # cmaboss=True: pyMaBoSS on cmaboss alone (its default Simulation checks every model copy
        # with the MaBoSS executable, which the PyPI packages do not ship)
        model = maboss.load(str(Path(tmp) / "m.bnd"), str(Path(tmp) / "m.cfg"), cmaboss=True)
        res1 = maboss.pipelines.simulate_single_mutants(model, nodes, sign="OFF", cmaboss=True)
        res2 = maboss.pipelines.simulate_double_mutants(model, nodes, sign="OFF", cmaboss=True)
        theirs_wall, theirs_cpu = time.perf_counter() - w0, cpu() - c0
    assert len(res1) == len(singles) and len(res2) == len(pairs)
    print(f"  pyMaBoSS single + double:   wall {theirs_wall:8.1f} s, CPU {theirs_cpu:8.1f} s")
    print(
        f"  ratio pyMaBoSS / dormnet: wall {theirs_wall / ours_wall:.1f}x, "
        f"CPU {theirs_cpu / ours_cpu:.1f}x\n"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trajectories", type=int, default=20_000)
    ap.add_argument("--max-time", type=float, default=50)
    ap.add_argument("--screen-trajectories", type=int, default=500)
    ap.add_argument("--screen-max-time", type=float, default=20)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--skip-screen", action="store_true")
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument(
        "--skip-pymaboss", action="store_true", help="time dormnet's screen only (~15 CPU s)"
    )
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    if not args.skip_throughput:
        throughput(args)
    if not args.skip_screen:
        screen(args)


if __name__ == "__main__":
    main()
