"""Prime implicants of activator/inhibitor rules of growing in-degree: dormnet against pyboolnet.

Issue 2. The rule of the target ``t`` with in-degree k has the activator/inhibitor shape common in
published signalling models, ``t, (a1 | a2 | ... | am) & !(i1 | ... | in)`` with m = round(2k/3)
activators and n = k - m inhibitors, every regulator an input (``a1, a1``). Its normal form is
small (m prime implicants for ``t`` and n + 1 for ``!t``), yet pyboolnet's prime step
(``bnet2primes``, the BNetToPrime binary) grows exponentially with k.

Both tools get the same BNET text and return the primes of every node: dormnet
``parse_bnet`` + ``normal_form.primes`` for each node; pyboolnet ``bnet2primes(text)``. Each call
runs in a forked child with a wall-clock limit (default 60 s; pyboolnet can run for hours) and is
timed in CPU seconds (user + system, its subprocesses included). Where both finish, the primes of
``t`` are compared and must be the same sets.

Usage::

    python benchmarks/normal_form.py [--degrees 10,20,30,40] [--timeout 60] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import time
import warnings


def rule_text(k: int) -> str:
    """BNET text: k input regulators and the target t with the activator/inhibitor rule."""
    m = round(2 * k / 3)
    acts = [f"a{j}" for j in range(1, m + 1)]
    inhs = [f"i{j}" for j in range(1, k - m + 1)]
    lines = [f"{x}, {x}" for x in acts + inhs]
    rule = "(" + " | ".join(acts) + ")"
    if inhs:
        rule += " & !(" + " | ".join(inhs) + ")"
    lines.append(f"t, {rule}")
    return "\n".join(lines) + "\n"


def _canon(cubes) -> frozenset:
    return frozenset(frozenset(c.items()) for c in cubes)


def dormnet_primes(text: str) -> tuple[frozenset, frozenset]:
    from dormnet import parse_bnet
    from dormnet.normal_form import primes

    net = parse_bnet(text)
    result = {n: primes(net, n) for n in net.nodes}
    off, on = result["t"]
    return _canon(off), _canon(on)


def pyboolnet_primes(text: str) -> tuple[frozenset, frozenset]:
    from pyboolnet.file_exchange import bnet2primes

    p = bnet2primes(text)
    off, on = p["t"]
    return _canon(off), _canon(on)


def _cpu() -> float:
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def _child(conn, fn, text):
    warnings.simplefilter("ignore")
    try:
        c0, t0 = _cpu(), time.perf_counter()
        value = fn(text)
        conn.send(("ok", _cpu() - c0, time.perf_counter() - t0, value))
    except BaseException as e:  # noqa: BLE001 - reported
        conn.send(("error", None, None, f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


def _kill_tree(pid: int) -> None:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    ).stdout
    for child in out.split():
        _kill_tree(int(child))
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(child), 9)


def timed(fn, text: str, timeout: float):
    """(status, cpu seconds, wall seconds, value) of ``fn(text)`` in a child with a deadline."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, text))
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            return ("timeout", None, None, None)
        try:
            return parent.recv()
        except EOFError:
            proc.join()
            return ("crash", None, None, f"exit code {proc.exitcode}")
    finally:
        if proc.is_alive():
            _kill_tree(proc.pid)  # BNetToPrime would outlive its parent
            proc.kill()
        proc.join()
        parent.close()


def cell(status: str, seconds: float | None, timeout: float) -> str:
    if status == "ok":
        return f"{seconds:.4f}" if seconds < 1 else f"{seconds:.2f}"
    return f">{timeout:g} s" if status == "timeout" else status


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--degrees", default="10,20,30,40")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per call (default 60)")
    ap.add_argument("--repeat", type=int, default=3, help="dormnet runs per degree (best kept)")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    import pyboolnet.file_exchange  # noqa: F401 - imported once, before forking

    import dormnet.normal_form  # noqa: F401

    rows = []
    notes = []
    for k in (int(x) for x in args.degrees.split(",")):
        text = rule_text(k)
        m = round(2 * k / 3)
        runs = [timed(dormnet_primes, text, args.timeout) for _ in range(args.repeat)]
        oks = [r for r in runs if r[0] == "ok"]
        d = min(oks, key=lambda r: r[1]) if oks else runs[0]
        p = timed(pyboolnet_primes, text, args.timeout)
        if d[0] == "ok" and p[0] == "ok":
            ratio = f"{d[1] / max(p[1], 1e-4):.2g}"
            same = "same" if d[3] == p[3] else "DIFFERENT"
        else:
            ratio = f"< {d[1] / args.timeout:.2g}" if d[0] == "ok" else ""
            same = ""
        nprimes = f"{len(d[3][1])} + {len(d[3][0])}" if d[0] == "ok" else ""
        rows.append(
            (
                k,
                f"{m} / {k - m}",
                nprimes,
                cell(d[0], d[1], args.timeout),
                cell(p[0], p[1], args.timeout),
                ratio,
                same,
            )
        )
        for tool, r in (("dormnet", d), ("pyboolnet", p)):
            if r[0] in ("error", "crash"):
                notes.append(f"in-degree {k}, {tool}: {r[0]}: {str(r[3])[:200]}")
        print(f"k={k}: dormnet {rows[-1][3]}  pyboolnet {rows[-1][4]}", file=sys.stderr, flush=True)
    print(
        f"Run {time.strftime('%Y-%m-%d %H:%M')}; CPU seconds, limit {args.timeout:g} s "
        f"(wall clock) per call; dormnet best of {args.repeat}; load average "
        f"{os.getloadavg()[1]:.1f} (5 min) at the end.\n"
    )
    print(
        "| in-degree | activators / inhibitors | primes of t / !t | dormnet s | pyboolnet s "
        "| dormnet/pyboolnet | primes |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")
    for note in notes:
        print(f"\n- {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
