"""Ask the bundled dormancy model the questions of time and control, through the command line.

    python analyses/run_dynamics.py [--only NAME ...] [--list]

Runs each ``dormnet`` command below on networks/dormancy.bnet (model v2), as a reader would type
it, writes its output (the table as printed, and the JSON form) under
``analyses/results/dynamics/``, and records the CPU seconds (user + system of the command and
its children, from ``getrusage``) and the wall seconds of each in ``times.tsv``. The commands
are the ones quoted in ``analyses/README.md``; the ``dormnet`` found beside this Python
interpreter (the venv's) is used, else the one on ``PATH``.

Deterministic except the stochastic simulations, which use a fixed seed.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "analyses" / "results" / "dynamics"

#: name -> the command's arguments after ``dormnet`` (each written to NAME.txt and NAME.json)
COMMANDS: dict[str, list[str]] = {
    # the landscape: which niches are multistable
    "landscape": ["landscape"],
    # hysteresis and memory: a cue given, then withdrawn (--from X --to "X,cue" --then X)
    "p38i_permissive": [
        "switch", "--from", "permissive", "--to", "permissive,drug:SB203580",
        "--then", "permissive",
    ],
    "p38i_marrow_hep3": [
        "switch", "--from", "bone_marrow_hep3", "--to", "bone_marrow_hep3,drug:SB203580",
        "--then", "bone_marrow_hep3",
    ],
    "c26_fibrotic": [
        "switch", "--from", "fibrotic", "--to", "fibrotic,drug:C26", "--then", "fibrotic",
    ],
    "hypoxia_memory": [
        "switch", "--from", "er_estrogen", "--to", "er_estrogen,PostHypoxic=1",
        "--then", "er_estrogen",
    ],
    # a niche change: dormant marrow cells moved to a fibronectin-rich permissive site
    "marrow_to_permissive": [
        "switch", "--from", "bone_marrow_hep3", "--to", "permissive", "--then",
        "bone_marrow_hep3",
    ],
    # every context -> context switch at once
    "transitions": ["switch", "--all-contexts"],
    # basins of a multistable niche
    "basins_permissive": ["basins", "--context", "permissive"],
    "basins_er_estrogen": ["basins", "--context", "er_estrogen"],
    # minimal permanent control: keep every cell dormant; eliminate dormant cells
    "control_dormant": [
        "control", "--to", "dormant", "--agents", "drugs", "--all-contexts", "--max-size", "2",
    ],
    "control_eliminate": [
        "control", "--from", "dormant", "--to", "apoptotic", "--agents", "drugs",
        "--all-contexts", "--max-size", "2",
    ],
    # phenotype probabilities: the CLEVER arms in the breast-cancer marrow niche
    "simulate_marrow": [
        "simulate", "networks/dormancy.bnet", "-s", "bone_marrow", "-n", "5000",
        "--max-time", "50", "--seed", "1",
    ],
    "simulate_marrow_hcq": [
        "simulate", "networks/dormancy.bnet", "-s", "bone_marrow,drug:hydroxychloroquine",
        "-n", "5000", "--max-time", "50", "--seed", "1",
    ],
    "simulate_marrow_eve": [
        "simulate", "networks/dormancy.bnet", "-s", "bone_marrow,drug:everolimus", "-n", "5000",
        "--max-time", "50", "--seed", "1",
    ],
    "simulate_marrow_hcq_eve": [
        "simulate", "networks/dormancy.bnet",
        "-s", "bone_marrow,drug:hydroxychloroquine,drug:everolimus",
        "-n", "5000", "--max-time", "50", "--seed", "1",
    ],
    # a mixed niche: proliferating and dormant cells side by side (HEp3 cells in lung)
    "simulate_lung_hep3": [
        "simulate", "networks/dormancy.bnet", "-s", "lung_hep3", "-n", "5000",
        "--max-time", "50", "--seed", "1",
    ],
    "simulate_lung_hep3_hcq_eve": [
        "simulate", "networks/dormancy.bnet",
        "-s", "lung_hep3,drug:hydroxychloroquine,drug:everolimus",
        "-n", "5000", "--max-time", "50", "--seed", "1",
    ],
}  # fmt: skip


def dormnet() -> str:
    here = Path(sys.executable).parent / "dormnet"
    found = str(here) if here.exists() else shutil.which("dormnet")
    if found is None:
        raise SystemExit("error: no dormnet command: pip install . first")
    return found


def run(name: str, args: list[str], exe: str) -> tuple[float, float, int]:
    """Run one command twice (table, then JSON); the time is the table run's."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    table = subprocess.run([exe, *args], cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    (OUT / f"{name}.txt").write_text(
        "$ dormnet " + " ".join(_quote(a) for a in args) + "\n" + table.stdout + table.stderr
    )
    js = subprocess.run(
        [exe, *args, "--format", "json"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    (OUT / f"{name}.json").write_text(js.stdout)
    return cpu, wall, table.returncode


def _quote(a: str) -> str:
    return f'"{a}"' if ("," in a or " " in a) else a


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="run only these (names of COMMANDS)")
    ap.add_argument("--list", action="store_true", help="print the commands and stop")
    a = ap.parse_args(argv)
    if a.list:
        for name, args in COMMANDS.items():
            print(f"{name}\tdormnet {' '.join(_quote(x) for x in args)}")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    exe = dormnet()
    times = OUT / "times.tsv"
    rows = {}
    if times.exists():
        for line in times.read_text().splitlines()[1:]:
            rows[line.split("\t", 1)[0]] = line
    for name, args in COMMANDS.items():
        if a.only and name not in a.only:
            continue
        cpu, wall, rc = run(name, args, exe)
        print(f"{name}: {cpu:.1f} CPU s, {wall:.1f} wall s, exit {rc}", file=sys.stderr)
        rows[name] = (
            f"{name}\t{cpu:.2f}\t{wall:.2f}\t{rc}\t{os.getloadavg()[0]:.1f}\t"
            f"dormnet {' '.join(_quote(x) for x in args)}"
        )
    order = [n for n in COMMANDS if n in rows]
    times.write_text(
        "name\tcpu_s\twall_s\texit\tload_1min\tcommand\n" + "\n".join(rows[n] for n in order) + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
