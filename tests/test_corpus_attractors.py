"""Fixed points, minimal trap spaces and asynchronous attractors agree exactly with the peers.

Issue 7, "what it must show": on the bench corpus (``/work/shared/bench/models``) dormnet's answers
are the same *sets* of states and subspaces as pyboolnet's, mpbn's and biodivine-aeon's, not only
the same counts:

- fixed points: pyboolnet ``compute_steady_states``, mpbn ``fixedpoints()``, aeon
  ``FixedPoints.symbolic`` (enumerated);
- minimal trap spaces: pyboolnet ``compute_trap_spaces(primes, "min")``, mpbn ``attractors()``
  (its most-permissive attractors are the minimal trap spaces), aeon ``TrapSpaces.minimal_symbolic``;
- asynchronous attractors: aeon ``Attractors.attractors``, compared attractor by attractor as
  (constant nodes, number of states, the states themselves up to 65,536 states), for the
  portfolio (``engine="auto"``) and for each of its members forced alone. pyboolnet is not
  used here: its attractor detection needs NuSMV, which needs libreadline.so.6 (not on Debian).

Models up to ``CAP`` nodes run by default; the rest are marked ``slow`` (``--runslow``). Each peer
runs in a forked child with a deadline (``tests/peers.py``) and the test *skips* (with the reason)
when a peer does not finish or crashes; dormnet itself gets ``DORMNET_BUDGET`` seconds and a
``BudgetExceeded`` fails the test only for default-run models (where it would be a regression) and
skips it for slow ones.

Then ``test_counts_match_corpus_table`` compares dormnet's exact counts (``count_fixed_points``,
``count_trap_spaces(kind="min")``, ``len(attractors(update="async"))``) with
``/work/shared/bench/counts.tsv`` wherever that table gives an exact number.

Peer quirks handled here (see also the corpus README): pyboolnet's prime step
(``bnet2primes``) runs an external binary that survives the death of its Python parent, so the
pyboolnet call reaps its own subprocesses at a deadline before ``run_peer`` would kill it; aeon
needs ``repair_graph=True`` and its ``inline_inputs()`` is not used (it drops inputs that regulate
nothing); aeon logs every step of its attractor search to stderr unless ``LOG_LEVEL`` is off.
"""

from __future__ import annotations

import csv
import functools
import os
import signal
import subprocess
import threading
import warnings
from pathlib import Path

import pytest

from dormnet import read_bnet
from dormnet.attractors import (
    attractors,
    count_attractors,
    count_fixed_points,
    count_trap_spaces,
    fixed_points,
    trap_spaces,
)
from dormnet.errors import BudgetExceeded
from dormnet.spaces import freeze

from .conftest import BENCH, corpus_params
from .peers import run_peer

#: largest model (nodes) cross-checked in the default run (28 models). The next one, bbm_111
#: (33 nodes, 15 inputs, 32,768 attractors), alone takes 2-4 minutes (aeon needs minutes for its
#: attractors, the peers several seconds to enumerate 32,768 fixed points); the 40-node cap
#: took 8 minutes. Bigger models are for --runslow.
CAP = 32
#: seconds for one dormnet call (environment DORMNET_TEST_BUDGET overrides, for shorter slow runs)
DORMNET_BUDGET = float(os.environ.get("DORMNET_TEST_BUDGET", 120))
#: seconds per peer call (DORMNET_TEST_PEER_TIMEOUT overrides all three)
PEER_TIMEOUT = {"pyboolnet": 60.0, "mpbn": 60.0, "aeon": 120.0}
if os.environ.get("DORMNET_TEST_PEER_TIMEOUT"):
    PEER_TIMEOUT = dict.fromkeys(PEER_TIMEOUT, float(os.environ["DORMNET_TEST_PEER_TIMEOUT"]))
#: attractors with more states are compared by their constant nodes and size only
STATE_CAP = 1 << 16
#: sets larger than this are not enumerated for an exact comparison (counts are still compared)
ENUM_CAP = 200_000

PEERS = ("pyboolnet", "mpbn", "aeon")


# --------------------------------------------------------------------------- peers (in a child)


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


def pyboolnet_answers(path: str, deadline: float) -> dict[str, set]:
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
            raise TimeoutError(f"pyboolnet did not finish within {deadline:.0f} s") from None
        raise
    finally:
        timer.cancel()
    if fired.is_set():
        raise TimeoutError(f"pyboolnet did not finish within {deadline:.0f} s")
    return {"fixed": {freeze(s) for s in fixed}, "min": {freeze(s) for s in mts}}


def mpbn_fixed(path: str, deadline: float) -> set:
    import mpbn

    return {freeze(s) for s in mpbn.MPBooleanNetwork(path).fixedpoints()}


def mpbn_min(path: str, deadline: float) -> set:
    import mpbn

    return {
        freeze({k: v for k, v in s.items() if v != "*"})
        for s in mpbn.MPBooleanNetwork(path).attractors()
    }


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


def aeon_fixed(path: str, deadline: float) -> set:
    ba, _, g = _aeon(path, spaces=False)
    return {freeze(_bits(v.to_named_dict())) for v in ba.FixedPoints.symbolic(g).vertices().items()}


def aeon_min(path: str, deadline: float) -> set:
    ba, ctx, g = _aeon(path, spaces=True)
    return {
        freeze(_bits(s.to_named_dict()))
        for s in ba.TrapSpaces.minimal_symbolic(ctx, g).spaces().items()
    }


def aeon_async(path: str, deadline: float) -> set:
    ba, _, g = _aeon(path, spaces=False)
    out = set()
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
        out.add((freeze(space), size, states))
    return out


#: one call per peer and question; pyboolnet answers both from one (costly) prime step
PEER_CALLS = {
    ("pyboolnet", "fixed+min"): pyboolnet_answers,
    ("mpbn", "fixed"): mpbn_fixed,
    ("mpbn", "min"): mpbn_min,
    ("aeon", "fixed"): aeon_fixed,
    ("aeon", "min"): aeon_min,
    ("aeon", "async"): aeon_async,
}


@functools.cache
def _peer_cached(peer: str, what: str, path: Path):
    """A peer's answer, computed once per model; a skip is remembered as such."""
    limit = PEER_TIMEOUT[peer]
    # the child gets a little less than run_peer's deadline, so that it cleans up first
    try:
        return (
            "ok",
            run_peer(PEER_CALLS[(peer, what)], str(path), limit - 5, timeout=limit, name=peer),
        )
    except pytest.skip.Exception as e:
        return ("skip", str(e))


def peer_answer(peer: str, what: str, path: Path):
    shared = peer == "pyboolnet" and what in ("fixed", "min")
    status, value = _peer_cached(peer, "fixed+min" if shared else what, path)
    if status == "skip":
        pytest.skip(value)
    return value[what] if shared else value


# --------------------------------------------------------------------------- dormnet


def _budget(path: Path, fn, *args, **kwargs):
    """Call dormnet with its budget; a budget overrun fails default-size models, skips slow ones."""
    try:
        return fn(*args, timeout=DORMNET_BUDGET, **kwargs)
    except BudgetExceeded as e:
        if _nodes(path) <= CAP:
            raise
        pytest.skip(f"dormnet did not finish within {DORMNET_BUDGET:.0f} s: {e}")


@functools.cache
def _nodes(path: Path) -> int:
    return len(read_bnet(path).nodes)


@functools.cache
def _dormnet_cached(what: str, path: Path, engine: str = "auto"):
    net = read_bnet(path)
    try:
        if what == "fixed":
            if count_fixed_points(net, timeout=DORMNET_BUDGET) > ENUM_CAP:
                return ("skip", f"more than {ENUM_CAP} fixed points: counts compared elsewhere")
            return ("ok", {freeze(s) for s in fixed_points(net, timeout=DORMNET_BUDGET)})
        if what == "min":
            if count_trap_spaces(net, kind="min", timeout=DORMNET_BUDGET) > ENUM_CAP:
                return ("skip", f"more than {ENUM_CAP} minimal trap spaces")
            return ("ok", {freeze(s) for s in trap_spaces(net, kind="min", timeout=DORMNET_BUDGET)})
        found = attractors(net, update="async", timeout=DORMNET_BUDGET, engine=engine)
        return (
            "ok",
            {
                (
                    freeze(a.space),
                    a.size,
                    None if a.states is None else frozenset(freeze(s) for s in a.states),
                )
                for a in found
            },
        )
    except BudgetExceeded as e:
        return ("budget", e)


def dormnet_answer(what: str, path: Path, engine: str = "auto"):
    status, value = _dormnet_cached(what, path, engine)
    if status == "skip":
        pytest.skip(value)
    if status == "budget":
        if _nodes(path) <= CAP:
            raise value
        pytest.skip(f"dormnet did not finish within {DORMNET_BUDGET:.0f} s: {value}")
    return value


def _show(diff: set, limit: int = 3) -> list:
    return [dict(sorted(x)) if isinstance(x, frozenset) else x for x in list(diff)[:limit]]


def assert_same(ours: set, theirs: set, peer: str, what: str) -> None:
    missing, extra = theirs - ours, ours - theirs
    assert not missing and not extra, (
        f"{what}: dormnet {len(ours)}, {peer} {len(theirs)}; only {peer} has "
        f"{len(missing)} e.g. {_show(missing)}; only dormnet has {len(extra)} e.g. {_show(extra)}"
    )


# --------------------------------------------------------------------------- the tests


@pytest.mark.peer
@pytest.mark.parametrize("peer", PEERS)
@pytest.mark.parametrize("path", corpus_params(cap=CAP))
def test_fixed_points_agree(path, peer):
    pytest.importorskip({"aeon": "biodivine_aeon"}.get(peer, peer))
    ours = dormnet_answer("fixed", path)
    assert_same(ours, peer_answer(peer, "fixed", path), peer, "fixed points")


@pytest.mark.peer
@pytest.mark.parametrize("peer", PEERS)
@pytest.mark.parametrize("path", corpus_params(cap=CAP))
def test_min_trap_spaces_agree(path, peer):
    pytest.importorskip({"aeon": "biodivine_aeon"}.get(peer, peer))
    ours = dormnet_answer("min", path)
    assert_same(ours, peer_answer(peer, "min", path), peer, "minimal trap spaces")


@pytest.mark.peer
@pytest.mark.parametrize("engine", ["auto", "aeon", "colours", "biobalm"])
@pytest.mark.parametrize("path", corpus_params(cap=CAP))
def test_async_attractors_agree_with_aeon(path, engine):
    """The portfolio and each of its members (forced with ``engine``) against aeon's own
    search without inlined inputs, attractor by attractor; and as lists: no attractor twice."""
    pytest.importorskip("biodivine_aeon")
    ours = dormnet_answer("async", path, engine)
    assert_same(ours, peer_answer("aeon", "async", path), "aeon", "asynchronous attractors")
    if engine == "auto":
        net = read_bnet(path)
        listed = attractors(net, update="async", timeout=DORMNET_BUDGET)
        assert len(listed) == len(ours) == count_attractors(net, timeout=DORMNET_BUDGET)


def _counts() -> dict[str, dict[str, str]]:
    table = BENCH / "counts.tsv"
    if not table.exists():
        return {}
    with table.open() as fh:
        return {r["model"]: r for r in csv.DictReader(fh, delimiter="\t")}


COUNTS = _counts()


@pytest.mark.parametrize("path", corpus_params(cap=CAP))
def test_counts_match_corpus_table(path):
    row = COUNTS.get(path.name)
    if row is None:
        pytest.skip("model not in counts.tsv")
    exact = {
        k: int(row[k])
        for k in ("fixed_points", "min_trap_spaces", "async_attractors")
        if row[k].isdigit()
    }
    if not exact:
        pytest.skip("counts.tsv has no exact count for this model")
    net = read_bnet(path)
    ours = {}
    if "fixed_points" in exact:
        ours["fixed_points"] = _budget(path, count_fixed_points, net)
    if "min_trap_spaces" in exact:
        ours["min_trap_spaces"] = _budget(path, count_trap_spaces, net, kind="min")
    if "async_attractors" in exact:
        # counted without listing (the coloured search counts input valuations)
        ours["async_attractors"] = _budget(path, count_attractors, net, update="async")
    assert ours == {k: exact[k] for k in ours}
