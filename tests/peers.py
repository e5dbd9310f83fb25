"""Peer tools (pyboolnet, mpbn, biodivine-aeon) run in a forked child with a deadline.

Peers can run for hours on some corpus models (pyboolnet's prime implicants) or crash the
interpreter (biodivine-aeon on bbm_248); a forked child with a deadline keeps the test run alive.
A peer call ends in one of three ways, and only one of them is a skip:

- it answers: the answer is returned;
- it raises, crashes (a signal, an exit) or reports an error: the test **fails** with the peer's
  message and traceback. An API change in an unpinned upgrade must turn the run red, not skip;
- it does not finish within its budget: the test **skips**, with a reason that starts with
  :data:`TIMEOUT`, the one skip (besides the ``slow`` marker) that a CI run accepts (see
  ``tests/conftest.py``). Budgets leave at least 3x headroom over the time measured on the
  2-core development machine (``benchmarks/peer_budgets.py``); a peer call that needs more is
  moved under ``slow`` for that model (:data:`SLOW`).

The peer calls themselves are here too, so that the tests and ``benchmarks/peer_budgets.py`` time
the same code. They return lists, not sets, so that a duplicate is seen.
"""

from __future__ import annotations

import functools
import multiprocessing as mp
import os
import signal
import subprocess
import threading
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dormnet.spaces import freeze

from .skips import TIMEOUT

#: wall-clock seconds per peer call. The slowest default-run call measured on the 2-core
#: development machine under a load average of 11-15 (benchmarks/results/peer_budgets.md) took
#: 9.7 s wall (mpbn; 0.7 s CPU), a sixth of its budget; no aeon call took more than 9 s of 120.
BUDGET = {"pyboolnet": 60.0, "mpbn": 60.0, "aeon": 120.0}
if os.environ.get("DORMNET_TEST_PEER_TIMEOUT"):  # for shorter (or longer) slow runs
    BUDGET = dict.fromkeys(BUDGET, float(os.environ["DORMNET_TEST_PEER_TIMEOUT"]))

#: (peer, model file) pairs too slow for the default run: their cross-checks are ``slow``.
#: Measured (benchmarks/results/peer_budgets.md) against a 60 s budget.
SLOW = {
    # pyboolnet's prime implicants: 55 s CPU, 205-298 s wall under load (47 s of 55 unloaded)
    ("pyboolnet", "pbn_n12c5.bnet"): "pyboolnet's prime implicants take about a minute",
}

#: (peer, what) answered from one pyboolnet call: the prime step is the costly part
PYBOOLNET_SHARED = ("fixed", "min")


class PeerTimeout(Exception):
    """Raised inside a peer call whose own deadline fired (reported as a time-out, not an error)."""


def slow_marks(peer: str, path: Path) -> list:
    """``[pytest.mark.slow]`` if ``peer`` is too slow on ``path`` for the default run."""
    return [pytest.mark.slow] if (peer, path.name) in SLOW else []


# --------------------------------------------------------------------------- running a peer


def _child(conn, fn, args):
    os.setpgrp()  # its own process group: a timeout kills the peer's helper binaries too
    try:
        conn.send(("ok", fn(*args)))
    except PeerTimeout as e:
        conn.send(("timeout", str(e)))
    except BaseException as e:  # noqa: BLE001 - reported to the parent: the test fails
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


def run_peer(fn: Callable[..., Any], *args: Any, timeout: float, name: str) -> Any:
    """``fn(*args)`` in a forked child: its answer, a failed test, or a time-out skip.

    Parameters
    ----------
    fn : callable
        The peer call (module level, so that it runs in the forked child).
    *args
        Its arguments.
    timeout : float
        Wall-clock seconds before the child is killed and the test skips.
    name : str
        The peer, as the test report names it.

    Returns
    -------
    object
        ``fn(*args)``.
    """
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args), daemon=True)
    proc.start()
    child.close()
    if not parent.poll(timeout):
        _kill_group(proc)
        pytest.skip(f"{TIMEOUT}{name} did not finish within {timeout:.0f} s")
    try:
        status, value = parent.recv()
    except EOFError:
        proc.join()
        pytest.fail(f"{name} crashed (exit code {proc.exitcode})", pytrace=False)
    _kill_group(proc)
    if status == "timeout":
        pytest.skip(f"{TIMEOUT}{value}")
    if status == "error":
        pytest.fail(f"{name} failed: {value}", pytrace=False)
    return value


@functools.cache
def _outcome(fn: Callable[..., Any], args: tuple, timeout: float, name: str):
    try:
        return ("ok", run_peer(fn, *args, timeout=timeout, name=name))
    except pytest.skip.Exception as e:
        return ("skip", e.msg)
    except pytest.fail.Exception as e:
        return ("fail", e.msg)


def cached_peer(fn: Callable[..., Any], *args: Any, timeout: float, name: str) -> Any:
    """:func:`run_peer`, computed once per call: every test that needs the answer gets the same
    outcome (the answer, the failure or the time-out skip), so that a failing peer fails each
    of them rather than only the first."""
    status, value = _outcome(fn, args, timeout, name)
    if status == "skip":
        pytest.skip(value)
    if status == "fail":
        pytest.fail(value, pytrace=False)
    return value


# --------------------------------------------------------------------------- the peer calls


def _reap_children_after(seconds: float) -> tuple[threading.Timer, threading.Event]:
    """Kill this process's subprocesses after ``seconds`` (pyboolnet's BNetToPrime and gringo
    would otherwise keep running for hours after the test process kills their parent)."""
    fired = threading.Event()

    def reap() -> None:
        fired.set()
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(os.getpid())],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        for pid in out.split():
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass

    timer = threading.Timer(seconds, reap)
    timer.daemon = True
    timer.start()
    return timer, fired


def pyboolnet_answers(path: str, deadline: float) -> dict[str, list]:
    """pyboolnet's fixed points (``compute_steady_states``) and minimal trap spaces
    (``compute_trap_spaces(primes, "min")``), from one prime-implicant step."""
    from pyboolnet.file_exchange import bnet2primes
    from pyboolnet.trap_spaces import compute_steady_states, compute_trap_spaces

    timer, fired = _reap_children_after(deadline)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            primes = bnet2primes(path)
            fixed = compute_steady_states(primes, max_output=10**9)
            mts = compute_trap_spaces(primes, "min", max_output=10**9)
    except Exception:
        if fired.is_set():
            raise PeerTimeout(f"pyboolnet did not finish within {deadline:.0f} s") from None
        raise
    finally:
        timer.cancel()
    if fired.is_set():
        raise PeerTimeout(f"pyboolnet did not finish within {deadline:.0f} s")
    return {"fixed": [freeze(s) for s in fixed], "min": [freeze(s) for s in mts]}


def mpbn_fixed(path: str, deadline: float) -> list:
    """mpbn's fixed points (``fixedpoints()``)."""
    import mpbn

    return [freeze(s) for s in mpbn.MPBooleanNetwork(path).fixedpoints()]


def mpbn_min(path: str, deadline: float) -> list:
    """mpbn's minimal trap spaces (its most-permissive attractors, ``attractors()``)."""
    import mpbn

    return [
        freeze({k: v for k, v in s.items() if v != "*"})
        for s in mpbn.MPBooleanNetwork(path).attractors()
    ]


def _aeon(path: str, spaces: bool):
    import biodivine_aeon as ba

    ba.LOG_LEVEL = ba.LOG_NOTHING
    bn = ba.BooleanNetwork.from_bnet(Path(path).read_text(), repair_graph=True)
    if spaces:
        ctx = ba.SymbolicSpaceContext(bn)
        return ba, ctx, ba.AsynchronousGraph(bn, ctx)
    return ba, None, ba.AsynchronousGraph(bn)


def _bits(named: dict) -> dict[str, int]:
    return {k: int(v) for k, v in named.items() if v is not None}


def aeon_fixed(path: str, deadline: float) -> list:
    """biodivine-aeon's fixed points (``FixedPoints.symbolic``, enumerated)."""
    ba, _, g = _aeon(path, spaces=False)
    return [freeze(_bits(v.to_named_dict())) for v in ba.FixedPoints.symbolic(g).vertices().items()]


def aeon_min(path: str, deadline: float) -> list:
    """biodivine-aeon's minimal trap spaces (``TrapSpaces.minimal_symbolic``, enumerated)."""
    ba, ctx, g = _aeon(path, spaces=True)
    return [
        freeze(_bits(s.to_named_dict()))
        for s in ba.TrapSpaces.minimal_symbolic(ctx, g).spaces().items()
    ]


#: attractors with more states are compared by their constant nodes and size only
STATE_CAP = 1 << 16


def aeon_async(path: str, deadline: float) -> list:
    """biodivine-aeon's asynchronous attractors (``Attractors.attractors``), each as
    (constant nodes, number of states, the states or ``None`` beyond :data:`STATE_CAP`)."""
    ba, _, g = _aeon(path, spaces=False)
    out = []
    for att in ba.Attractors.attractors(g):
        vertices = att.vertices()
        size = int(vertices.cardinality())
        if size <= STATE_CAP:
            states = frozenset(freeze(_bits(v.to_named_dict())) for v in vertices.items())
            # the constant nodes, from the states themselves
            first = dict(next(iter(states)))
            space = {n: b for n, b in first.items() if all(dict(s)[n] == b for s in states)}
        else:
            states = None
            space = _bits(vertices.enclosing_named_subspace() or {})
        out.append((freeze(space), size, states))
    return out


def pyboolnet_signed_edges(path: str) -> list[tuple[str, str, str]]:
    """Signed edges of pyboolnet's interaction graph of a BNET file."""
    from pyboolnet.file_exchange import bnet2primes
    from pyboolnet.interaction_graphs import primes2igraph

    primes = bnet2primes(path)
    g = primes2igraph(primes)
    word = {frozenset({1}): "positive", frozenset({-1}): "negative", frozenset({1, -1}): "dual"}
    return [(s, t, word[frozenset(d["sign"])]) for s, t, d in g.edges(data=True)]


def pyboolnet_primes(path: str) -> dict:
    """pyboolnet's prime implicants of a BNET file (``bnet2primes``)."""
    from pyboolnet.file_exchange import bnet2primes

    return bnet2primes(path)


#: one call per peer and question, for tests/test_corpus_attractors.py
CORPUS_CALLS: dict[tuple[str, str], Callable[[str, float], Any]] = {
    ("pyboolnet", "fixed+min"): pyboolnet_answers,
    ("mpbn", "fixed"): mpbn_fixed,
    ("mpbn", "min"): mpbn_min,
    ("aeon", "fixed"): aeon_fixed,
    ("aeon", "min"): aeon_min,
    ("aeon", "async"): aeon_async,
}


def corpus_answer(peer: str, what: str, path: Path) -> list:
    """A peer's answer to ``what`` (fixed, min, async) on a corpus model, computed once."""
    shared = peer == "pyboolnet" and what in PYBOOLNET_SHARED
    key = (peer, "fixed+min" if shared else what)
    budget = BUDGET[peer]
    # the child gets a little less than run_peer's deadline, so that it cleans up first
    value = cached_peer(CORPUS_CALLS[key], str(path), budget - 5, timeout=budget, name=peer)
    return value[what] if shared else value
