"""Benchmark: permanent phenotype control on the corpus, dormnet against biodivine-aeon (the same
minimal sets, side by side in one run, with ratios) and biobalm (solved within the budget).

The question, the same for both tools: with every input free, which sets of up to ``--max-size``
knockouts / overexpressions of the non-input, non-constant nodes (the target's node excluded)
make every asynchronous attractor lie in the target ``X`` (or ``!X``), where X is the last
non-input node whose value differs between the minimal trap spaces (the value of the last one),
so that the answer is not "nothing to do"?

- dormnet: ``control(..., update="async", max_size=K, cross_check=False, processes=1)``: every
  minimal set;
- aeon: ``Control.phenotype_permanent(AsynchronousPerturbationGraph(bn, candidates), target,
  "forbidden", K)``: every working perturbation of up to K variables ("forbidden" oscillation:
  every attractor inside the phenotype, the same semantics), then the minimal ones (no working
  proper subset) are kept. Both lists must be equal;
- biobalm: ``succession_control(SuccessionDiagram, {X: v}, forbidden_drivers=inputs | {X})``:
  reprogramming into the target trap space by driver nodes along the succession diagram, a
  different question (its interventions need not be minimal, and act by successions), so only
  whether it answers within the budget is counted.

Each call runs in a fresh fork of a parent that has imported every tool (as
``benchmarks/attractors.py``, whose ``run_one`` this uses), timed in CPU seconds from the BNET
file to the answer, with a wall-clock limit.

Usage::

    python benchmarks/control.py [--timeout 60] [--max-nodes 60] [--max-size 2]
        [--shard 1/2] [--cache benchmarks/results/control-raw.jsonl] [--report-only]
        [--out benchmarks/results/control.md]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from attractors import machine, run_one  # noqa: E402

ROOT = HERE.parent
SHARED = Path(os.environ.get("DORMNET_SHARED", ROOT.parent / "shared"))
MODELS = SHARED / "bench" / "models"
TOOLS = ("dormnet", "aeon", "biobalm")

#: the question of the call being run (set in the parent before forking)
QUESTION: dict[str, Any] = {}


def corpus_target(net) -> tuple[str, int]:
    """The last non-input node whose value differs between the minimal trap spaces, with its
    value in the last one (the last node at 0 if none differs)."""
    from dormnet.attractors import trap_spaces

    spaces = trap_spaces(net, kind="min", limit=1000)  # some models have 10^10
    for n in reversed(net.nodes):
        if n not in net.inputs and len({s.get(n, 2) for s in spaces}) > 1:
            return n, spaces[-1].get(n, 1)
    return net.nodes[-1], 0


def question(path: Path, max_size: int) -> dict[str, Any]:
    from dormnet import read_bnet

    net = read_bnet(path)
    node, value = corpus_target(net)
    candidates = [
        n for n in net.nodes if n != node and n not in net.inputs and n not in net.constants
    ]
    return {
        "node": node,
        "value": value,
        "candidates": candidates,
        "inputs": list(net.inputs),
        "K": max_size,
    }


def _sets(sets) -> list[list[tuple[str, int]]]:
    return sorted(sorted(s) for s in sets)


def dormnet_control(path: str):
    from dormnet import read_bnet
    from dormnet.bundle import Bundle
    from dormnet.control import control

    q = QUESTION
    target = q["node"] if q["value"] else "!" + q["node"]
    result = control(
        Bundle(read_bnet(path)),
        target=target,
        max_size=q["K"],
        update="async",
        cross_check=False,
        processes=1,
    )
    return _sets(s.clamps.items() for s in result.solutions)


def aeon_control(path: str):
    import biodivine_aeon as ba

    q = QUESTION
    ba.LOG_LEVEL = ba.LOG_NOTHING
    bn = ba.BooleanNetwork.from_bnet(Path(path).read_text(), repair_graph=True)
    g = ba.AsynchronousPerturbationGraph(bn, q["candidates"])
    phenotype = g.mk_subspace_vertices({q["node"]: bool(q["value"])})
    found = ba.Control.phenotype_permanent(g, phenotype, "forbidden", q["K"], False)
    sets = [
        frozenset((n, int(v)) for n, v in p.perturbed_named_dict().items())
        for p in found.perturbations().items()
    ]
    return _sets(s for s in sets if not any(o < s for o in sets))


def biobalm_control(path: str):
    import biobalm
    from biobalm.control import succession_control

    q = QUESTION
    sd = biobalm.SuccessionDiagram.from_file(path)
    found = succession_control(
        sd, {q["node"]: q["value"]}, forbidden_drivers=set(q["inputs"]) | {q["node"]}
    )
    return len(found)


CALLS = {"dormnet": dormnet_control, "aeon": aeon_control, "biobalm": biobalm_control}


def fmt(r: dict[str, Any] | None, timeout: float) -> str:
    if r is None:
        return ""
    if r["status"] == "ok":
        s = r["seconds"]
        return f"{s:.3g}" if s < 100 else f"{s:.0f}"
    return f">{timeout:g}" if r["status"] == "timeout" else r["status"]


def report(results: dict[tuple[str, str], dict], models: list[Path], timeout: float) -> str:
    from dormnet import read_bnet

    lines = [
        "| model | nodes | candidates | target | dormnet s | aeon s | dormnet/aeon | minimal "
        "sets (dormnet / aeon) | same | biobalm s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    both, ratios, solved = 0, [], {t: 0 for t in TOOLS}
    mismatches = []
    for path in models:
        m = path.stem
        row = {t: results.get((m, t)) for t in TOOLS}
        q = results.get((m, "question"), {})
        if not q:
            continue
        for t in TOOLS:
            solved[t] += bool(row[t] and row[t]["status"] == "ok")
        d, a = row["dormnet"], row["aeon"]
        ratio, same, counts = "", "", ""
        if d and a and d["status"] == a["status"] == "ok":
            both += 1
            ratios.append(d["seconds"] / a["seconds"])
            ratio = f"{ratios[-1]:.2f}"
            same = "yes" if d["n"] == a["n"] else "NO"
            if same == "NO":
                mismatches.append(m)
            counts = f"{len(d['n'])} / {len(a['n'])}"
        elif d and d["status"] == "ok":
            ratio, counts = "only dormnet", f"{len(d['n'])} / -"
        elif a and a["status"] == "ok":
            ratio, counts = "only aeon", f"- / {len(a['n'])}"
        target = ("" if q["value"] else "!") + q["node"]
        lines.append(
            f"| {m} | {len(read_bnet(path))} | {len(q['candidates'])} | `{target}` | "
            f"{fmt(d, timeout)} | {fmt(a, timeout)} | {ratio} | {counts} | {same} | "
            f"{fmt(row['biobalm'], timeout)} |"
        )
    n = sum(1 for p in models if (p.stem, "question") in results)
    summary = [
        "",
        f"Models: {n}. Solved within {timeout:g} s: dormnet {solved['dormnet']}, aeon "
        f"{solved['aeon']}, biobalm {solved['biobalm']}.",
        f"Both dormnet and aeon finished: {both}; identical minimal sets on "
        f"{both - len(mismatches)}"
        + (f" (DIFFERENT: {', '.join(mismatches)})" if mismatches else "")
        + ".",
    ]
    if ratios:
        summary.append(
            f"dormnet/aeon CPU time: median {statistics.median(ratios):.2f}, "
            f"min {min(ratios):.2f}, max {max(ratios):.2f}."
        )
    return "\n".join(lines + summary) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--max-nodes", type=int, default=60)
    ap.add_argument("--max-size", type=int, default=2)
    ap.add_argument("--models", nargs="*", help="model names (file stems); default: the corpus")
    ap.add_argument("--tools", default=",".join(TOOLS))
    ap.add_argument("--shard", default="1/1")
    ap.add_argument("--mem-gb", type=float, default=8)
    ap.add_argument("--cache", type=Path, default=HERE / "results" / "control-raw.jsonl")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--report-only", action="store_true")
    args = ap.parse_args(argv)
    with (SHARED / "bench" / "MANIFEST.tsv").open() as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    rows.sort(key=lambda r: (int(r["nodes"]), r["file"]))
    models = [
        MODELS / r["file"]
        for r in rows
        if int(r["nodes"]) <= args.max_nodes
        and (not args.models or r["file"].removesuffix(".bnet") in args.models)
    ]
    results: dict[tuple[str, str], dict] = {}
    if args.cache.exists():
        for line in args.cache.read_text().splitlines():
            rec = json.loads(line)
            if rec.get("K") == args.max_size:
                results[(rec["model"], rec["tool"])] = rec["result"]
    if not args.report_only:
        import biobalm  # noqa: F401 - imported before forking, as every tool
        import biodivine_aeon  # noqa: F401
        import clingo  # noqa: F401
        import networkx  # noqa: F401
        import numpy  # noqa: F401

        import dormnet._engines.control_run  # noqa: F401 - dormnet's engines, as aeon's
        import dormnet.control  # noqa: F401

        k, of = map(int, args.shard.split("/"))
        tools = args.tools.split(",")
        args.cache.parent.mkdir(parents=True, exist_ok=True)
        for i, path in enumerate(models):
            if i % of != k - 1:
                continue
            m = path.stem
            if (m, "question") not in results:
                results[(m, "question")] = question(path, args.max_size)
                _append(args.cache, m, "question", args.max_size, results[(m, "question")])
            QUESTION.clear()
            QUESTION.update(results[(m, "question")])
            for tool in tools:
                if (m, tool) in results:
                    continue
                r = json.loads(json.dumps(run_one(CALLS[tool], path, args.timeout, args.mem_gb)))
                results[(m, tool)] = r
                _append(args.cache, m, tool, args.max_size, r)
                print(f"{m} {tool}: {fmt(r, args.timeout)}", file=sys.stderr, flush=True)
    text = (
        f"Run {time.strftime('%Y-%m-%d %H:%M')} on {machine()}; permanent control, sets of up "
        f"to {args.max_size}, asynchronous attractors, limit {args.timeout:g} s per call "
        f"(wall clock), CPU seconds, one process each; load average "
        f"{os.getloadavg()[1]:.1f}.\n\n" + report(results, models, args.timeout)
    )
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


def _append(cache: Path, model: str, tool: str, K: int, result: Any) -> None:
    with cache.open("a") as fh:
        fh.write(json.dumps({"model": model, "tool": tool, "K": K, "result": result}) + "\n")


if __name__ == "__main__":
    sys.exit(main())
