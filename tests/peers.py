"""Running peer tools (pyboolnet, mpbn, biodivine-aeon) under a time limit, in a child process.

Peers can run for hours on some corpus models (pyboolnet's prime implicants) or crash the
interpreter (biodivine-aeon on bbm_248); a forked child with a deadline keeps the test run alive.
A peer that does not finish makes the test skip, with the reason; it never passes silently.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import traceback
from collections.abc import Callable
from typing import Any

import pytest


def _child(conn, fn, args):
    os.setpgrp()  # its own process group: a timeout kills the peer's helper binaries too
    try:
        conn.send(("ok", fn(*args)))
    except BaseException as e:  # report, do not die silently
        conn.send(("error", f"{type(e).__name__}: {e}\n{traceback.format_exc()}"))
    finally:
        conn.close()


def _kill_group(proc) -> None:
    """Kill the child and everything it started (pyboolnet runs external binaries)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.join()


def run_peer(fn: Callable[..., Any], *args: Any, timeout: float = 60.0, name: str = "peer") -> Any:
    """``fn(*args)`` in a forked child; skip the test if it times out or crashes."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args), daemon=True)
    proc.start()
    child.close()
    if not parent.poll(timeout):
        _kill_group(proc)
        pytest.skip(f"{name} did not finish within {timeout:.0f} s")
    try:
        status, value = parent.recv()
    except EOFError:
        proc.join()
        pytest.skip(f"{name} crashed (exit code {proc.exitcode})")
    _kill_group(proc)
    if status == "error":
        pytest.skip(f"{name} failed: {value.splitlines()[0]}")
    return value


def pyboolnet_signed_edges(path: str) -> set[tuple[str, str, str]]:
    """Signed edges of pyboolnet's interaction graph of a BNET file."""
    from pyboolnet.file_exchange import bnet2primes
    from pyboolnet.interaction_graphs import primes2igraph

    primes = bnet2primes(path)
    g = primes2igraph(primes)
    word = {frozenset({1}): "positive", frozenset({-1}): "negative", frozenset({1, -1}): "dual"}
    return {(s, t, word[frozenset(d["sign"])]) for s, t, d in g.edges(data=True)}
