"""Fixed points, minimal trap spaces and asynchronous attractors agree exactly with the peers.

Issue 7, "what it must show": on the corpus models (``tests/corpus``, see ``conftest.py``) dormnet's answers
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

Every answer is compared as a list too: each element listed once, the same number of elements
(``tests/compare.py``), so an engine that lists a fixed point twice fails.

Models up to ``CAP`` nodes run by default; the rest are marked ``slow`` (``--runslow``), and so
are the (peer, model) pairs in ``peers.SLOW``. Each peer runs in a forked child with a deadline
(``tests/peers.py``): a peer that raises or crashes *fails* the test; only a peer that does not
finish within its budget skips it, with a ``time-out:`` reason. dormnet itself gets
``DORMNET_BUDGET`` seconds and a ``BudgetExceeded`` fails the test for default-run models (where
it would be a regression) and skips it, as a time-out, for slow ones.

Then ``test_counts_match_corpus_table`` compares dormnet's exact counts (``count_fixed_points``,
``count_trap_spaces(kind="min")``, ``len(attractors(update="async"))``) with the corpus's
``counts.tsv`` wherever that table gives an exact number.

Peer quirks handled in ``tests/peers.py`` (see also the corpus README): pyboolnet's prime step
(``bnet2primes``) runs an external binary that survives the death of its Python parent, so the
pyboolnet call reaps its own subprocesses at a deadline before ``run_peer`` would kill it; aeon
needs ``repair_graph=True`` and its ``inline_inputs()`` is not used (it drops inputs that regulate
nothing); aeon logs every step of its attractor search to stderr unless ``LOG_LEVEL`` is off.
"""

from __future__ import annotations

import functools
import os
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

from .compare import assert_same_enumeration
from .conftest import COUNTS, corpus_params
from .peers import TIMEOUT, corpus_answer, slow_marks

#: largest model (nodes) cross-checked in the default run (28 models). The next one, bbm_111
#: (33 nodes, 15 inputs, 32,768 attractors), alone takes 2-4 minutes (aeon needs minutes for its
#: attractors, the peers several seconds to enumerate 32,768 fixed points); the 40-node cap
#: took 8 minutes. Bigger models are for --runslow.
CAP = 32
#: seconds for one dormnet call (environment DORMNET_TEST_BUDGET overrides, for shorter slow runs)
DORMNET_BUDGET = float(os.environ.get("DORMNET_TEST_BUDGET", "120"))
#: sets larger than this are not enumerated for an exact comparison (counts are still compared)
ENUM_CAP = 200_000

PEERS = ("pyboolnet", "mpbn", "aeon")


def peer_params(peers: tuple[str, ...]) -> list:
    """(model, peer) params: the corpus up to CAP, with the slow (peer, model) pairs marked."""
    out = []
    for p in corpus_params(cap=CAP):
        (path,) = p.values
        for peer in peers:
            marks = list(p.marks) + (slow_marks(peer, path) if path is not None else [])
            out.append(pytest.param(path, peer, id=f"{p.id}-{peer}", marks=marks))
    return out


# --------------------------------------------------------------------------- dormnet


def _budget(path: Path, fn, *args, **kwargs):
    """Call dormnet with its budget; a budget overrun fails default-size models, skips slow ones."""
    try:
        return fn(*args, timeout=DORMNET_BUDGET, **kwargs)
    except BudgetExceeded as e:
        if _nodes(path) <= CAP:
            raise
        pytest.skip(f"{TIMEOUT}dormnet did not finish within {DORMNET_BUDGET:.0f} s: {e}")


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
            return ("ok", fixed_points(net, timeout=DORMNET_BUDGET))
        if what == "min":
            if count_trap_spaces(net, kind="min", timeout=DORMNET_BUDGET) > ENUM_CAP:
                return ("skip", f"more than {ENUM_CAP} minimal trap spaces")
            return ("ok", trap_spaces(net, kind="min", timeout=DORMNET_BUDGET))
        found = attractors(net, update="async", timeout=DORMNET_BUDGET, engine=engine)
        return (
            "ok",
            [
                (
                    freeze(a.space),
                    a.size,
                    None if a.states is None else frozenset(freeze(s) for s in a.states),
                )
                for a in found
            ],
        )
    except BudgetExceeded as e:
        return ("budget", e)


def dormnet_answer(what: str, path: Path, engine: str = "auto") -> list:
    status, value = _dormnet_cached(what, path, engine)
    if status == "skip":
        pytest.skip(value)
    if status == "budget":
        if _nodes(path) <= CAP:
            raise value
        pytest.skip(f"{TIMEOUT}dormnet did not finish within {DORMNET_BUDGET:.0f} s: {value}")
    return value


# --------------------------------------------------------------------------- the tests


@pytest.mark.peer
@pytest.mark.parametrize("path,peer", peer_params(PEERS))
def test_fixed_points_agree(path, peer):
    ours = dormnet_answer("fixed", path)
    theirs = corpus_answer(peer, "fixed", path)
    assert_same_enumeration(ours, theirs, what="fixed points", who=peer)


@pytest.mark.peer
@pytest.mark.parametrize("path,peer", peer_params(PEERS))
def test_min_trap_spaces_agree(path, peer):
    ours = dormnet_answer("min", path)
    theirs = corpus_answer(peer, "min", path)
    assert_same_enumeration(ours, theirs, what="minimal trap spaces", who=peer)


@pytest.mark.peer
@pytest.mark.parametrize("engine", ["auto", "aeon", "colours", "biobalm"])
@pytest.mark.parametrize("path,peer", peer_params(("aeon",)))
def test_async_attractors_agree_with_aeon(path, peer, engine):
    """The portfolio and each of its members (forced with ``engine``) against aeon's own search
    without inlined inputs, attractor by attractor and as lists (no attractor twice); the
    portfolio's count without listing (input valuations counted as colours) is their number."""
    ours = dormnet_answer("async", path, engine)
    theirs = corpus_answer(peer, "async", path)
    assert_same_enumeration(ours, theirs, what=f"asynchronous attractors ({engine})", who=peer)
    if engine == "auto":
        assert count_attractors(read_bnet(path), timeout=DORMNET_BUDGET) == len(ours)


#: enumerating this many attractors to count them is not a test (the count is len(attractors))
ASYNC_ENUM_CAP = 1_000_000


@pytest.mark.parametrize("path", corpus_params(cap=CAP))
def test_counts_match_corpus_table(path):
    row = COUNTS.get(path.name)
    assert row is not None, f"{path.name} has no row in the corpus's counts.tsv"
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
        # counted without listing (the coloured search counts input valuations), so no cap
        ours["async_attractors"] = _budget(path, count_attractors, net, update="async")
        if exact["async_attractors"] <= ASYNC_ENUM_CAP:
            listed = _budget(path, attractors, net, update="async")
            assert len(listed) == ours["async_attractors"]
    assert ours == {k: exact[k] for k in ours}
