"""Complete asynchronous attractors: a portfolio of exact searches.

Four exact searches, all over the network with its clamps already applied:

- ``explicit``: at most :data:`IN_PROCESS_FREE_NODES` nodes left free by percolation: the
  terminal strongly connected components of the explicit state graph, its sets of states as
  integers (:mod:`dormnet._engines.bitsets`), no solver loaded;
- ``aeon``: the minimal trap spaces (clingo) searched with biodivine-aeon, then a proof that no
  attractor lies outside them (:func:`dormnet._engines.aeon.async_attractors`); past
  :data:`IN_PROCESS_FREE_NODES` free nodes in the coloured graph below
  (:meth:`dormnet._engines.aeon.ColouredSearch.guided`), so that the attractors of all input
  valuations inside the trap spaces are searched at once;
- ``colours``: biodivine-aeon's own whole-graph search (``Attractors.attractors``) on the
  percolated network, every free input inlined as a colour, so that all input valuations are
  searched at once (:class:`dormnet._engines.aeon.ColouredSearch`);
- ``biobalm``: the succession diagram of trap spaces (:mod:`dormnet._engines.succession`).

The ``auto`` engine
-------------------
No search dominates: on published models each of the last three finishes models the other two
do not (the minimal-trap-space search where a few trap spaces hold every attractor and the
proof that none lies outside them is an easy backward reach: bbm_051, 10x faster than AEON's
own search; the coloured search where many input valuations each have a few attractors:
bbm_111, 15 inputs, 32,768 attractors; biobalm on large models whose state space defeats any
global symbolic search: bbm_210, 144 nodes). Nor does anything cheap to measure say which one
will finish first: the time of each spans four orders of magnitude on models of the same size
and input count. So ``auto`` neither guesses nor switches over at a fixed time. Its rule:

1. the three searches run **side by side**, each in its own forked child; the first exact answer
   is the answer, and the other children are killed. A search that fails (biobalm's own limits,
   memory) drops out and the others go on;
2. the coloured search runs at the caller's priority, the two others at nice +:data:`YIELDING`
   (+10: weight 110 against 1,024 in Linux's scheduler). So with ``c`` free cores: ``c >= 3``,
   every search has a core; ``c = 2``, the coloured search has one and the two others share the
   second; ``c = 1``, they get 82%, 9% and 9% of it (none is starved: each keeps a fixed
   share). Where the cores are busy with other work, the coloured search competes for them
   like any process of the caller's priority, and the two others take what is left over.
3. every member searches with biodivine-aeon, so it is imported once, before the children are
   forked, and they share it; biobalm's own import costs more CPU than the whole race on the
   many models answered in tenths of a second (about 0.27 s here), so it starts
   :data:`BIOBALM_DELAY` seconds into the race, and only if no answer came by then: where it
   would have won, its answer comes at most that much later; where it would not, it costs
   nothing (the ski-rental rule: wait for as long as starting costs).

Why this holds on any model, not only on those it was measured on: every member is exact, so the
first answer is the answer, whoever gives it; and the time of the portfolio is bounded by the
shares in (2), whatever the model: with two free cores at most
``min(T_colours, 2 T_aeon, 2 T_biobalm + d)`` plus the cost of forking and of each child's
imports (tenths of a second), with one at most ``min(1.22 T_colours, 11 T_aeon, 11 T_biobalm +
d)``, where ``d`` is :data:`BIOBALM_DELAY`: biobalm starts only once the race has lasted as long
as its own import costs (3, below). The
coloured search is biodivine-aeon's own ``Attractors.attractors`` with the inputs inlined (what
issue 21 compared against), run on the percolated network, which has no more nodes than the
model: with a core of its own it makes the portfolio **never slower than biodivine-aeon alone**
but for that fixed cost (the other two only ever make it faster). A smaller nice step (+3, the
first version) gave the two others half of a shared core: on a machine loaded by other jobs the
coloured search then ran at half speed and lost models that biodivine-aeon alone finished near
the limit (bbm_019 at a load of 14). The price is CPU time: until the first answer, up to
``min(c, 3)`` cores are busy, so the portfolio's CPU time is up to three times its wall time.

Where at most :data:`IN_PROCESS_FREE_NODES` nodes are left free by percolation (at most 2^20
states) nothing is raced: forking children would cost more than the search. ``auto`` first runs
``explicit`` within :data:`~dormnet._engines.bitsets.BUDGET` (work of about what importing
biodivine-aeon costs, the solver it spares: the ski-rental rule again), and it gives up before
its first step where the parts of the graph that no transition joins (one per value of the
inputs) are too many to search one by one within it; past the budget, one solver search in this
process (the coloured search, or the minimal-trap-space search where clingo is already loaded:
:func:`_in_process`). A named engine other than biobalm runs ``explicit`` (same budget) only up
to :data:`~dormnet._engines.aeon.EXPLICIT_FREE_NODES` free nodes (at most 1,024 states).
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import BudgetExceeded
from ..network import BooleanNetwork
from ..spaces import Subspace
from . import aeon
from .bitsets import BUDGET, StateGraph
from .percolation import BitSpace, percolator

__all__ = [
    "ASYNC_ENGINES",
    "BIOBALM_DELAY",
    "IN_PROCESS_FREE_NODES",
    "MEMBERS",
    "Found",
    "async_attractors",
    "count_async_attractors",
]

#: the asynchronous engines a caller may choose
ASYNC_ENGINES: tuple[str, ...] = ("auto", "aeon", "colours", "biobalm")
#: the members ``auto`` races, started in this order (biodivine-aeon's own search first: it has
#: the normal priority); when all fail, the first one's error is reported
MEMBERS: tuple[str, ...] = ("colours", "aeon", "biobalm")
#: the member that runs at the normal priority: biodivine-aeon's own search, so that the
#: portfolio is never slower than biodivine-aeon alone (see the module docstring)
FIRST = "colours"
#: the nice value the other members add to theirs: with two of them at weight 110 (nice 10)
#: against 1024, Linux gives the first member a core of its own when there are two, and the
#: two others share the second; on one core the first gets 82% and the others 9% each
YIELDING = 10
#: biobalm expands a network's free inputs first, one succession-diagram node per valuation, and
#: stops with an error past ``max_motifs_per_node`` (100,000 by default) of them: with more than
#: this many free inputs it is not started
BIOBALM_INPUTS = 16
#: seconds into the race at which biobalm starts if no member has answered yet: about what its
#: import costs (0.27 s of CPU on this project's 2-core machine), see rule 3 of the docstring
BIOBALM_DELAY = 0.3
#: networks with at most this many nodes left free by percolation are searched in this process,
#: on the explicit state graph (sets of 2^20 bits, 128 KB) within its budget, then by one
#: member (:func:`_in_process`; at most 2^20 states: time and memory are bounded)
IN_PROCESS_FREE_NODES = 20

#: one attractor: its enclosing subspace, its number of states, and its states as disjoint
#: bitmask cubes over the network's nodes (``None`` when too many to list)
Found = tuple[Subspace, int, list[BitSpace] | None]

_WHAT = {
    "aeon": "asynchronous attractor search (minimal trap spaces + AEON)",
    "colours": "asynchronous attractor search (AEON, inputs as colours)",
    "biobalm": "asynchronous attractor search (biobalm succession diagram)",
}


class _Problem:
    """One query: the clamped network and what every member needs, prepared in the parent
    (percolation: milliseconds) and inherited by the forked children."""

    def __init__(self, net: BooleanNetwork, clamps: Mapping[str, int]):
        self.net = net
        self.clamps = dict(clamps)
        if self.clamps:
            from ..perturb import clamp  # its records (dataclasses) only where clamps are held

            self.clamped = clamp(net, self.clamps)
        else:
            self.clamped = net
        perc = percolator(self.clamped)
        self.fixed: BitSpace = perc.percolate(perc.space_of({}))
        self.on_primes = perc.on
        self.nodes = list(net.nodes)
        self.free = len(self.nodes) - self.fixed[0].bit_count()

    def free_inputs(self) -> int:
        """The number of free nodes whose function is the identity (``x, x``)."""
        mask = self.fixed[0]
        return sum(
            1
            for i, on in enumerate(self.on_primes)
            if not (mask >> i) & 1 and on == [(1 << i, 1 << i)]
        )

    # -- the members: each returns every attractor (or, with count=True, their number)

    def aeon(self, limit: int | None, count: bool = False) -> Any:
        from .asp import asp_engine

        mts = asp_engine(self.net, clampable=bool(self.clamps)).solve("min", self.clamps)
        if self.free <= IN_PROCESS_FREE_NODES:
            found = aeon.async_attractors(
                self.clamped, mts, on_primes=self.on_primes, limit=None if count else limit
            )
            return len(found) if count else found
        # the same search with the inputs as colours: the attractors of every input
        # valuation inside the minimal trap spaces are searched side by side, not one by one
        search = aeon.ColouredSearch(self.clamped, self.on_primes, self.fixed)
        search.guided(mts)
        return search.count() if count else search.attractors(limit)

    def colours(self, limit: int | None, count: bool = False) -> Any:
        search = aeon.ColouredSearch(self.clamped, self.on_primes, self.fixed)
        search.search()
        return search.count() if count else search.attractors(limit)

    def biobalm(self, limit: int | None, count: bool = False) -> Any:
        from .succession import async_attractors_sd

        found = async_attractors_sd(self.clamped, limit=None if count else limit)
        return len(found) if count else found


def _in_process() -> str:
    """The member ``auto`` runs in this process on at most :data:`IN_PROCESS_FREE_NODES` free
    nodes: ``"aeon"`` if clingo is already loaded, else ``"colours"``.

    On at most 2^20 states both searches take milliseconds once their solvers are loaded (the
    corpus' 12 models with 11 to 20 free nodes: minimal trap spaces 2-80 ms, the coloured
    search 3-81 ms, the former faster on all 12), and both load biodivine-aeon; the
    minimal-trap-space search also needs clingo, whose import (25-40 ms of CPU here) costs more
    than the difference. So a fresh process (``dormnet attractors MODEL --count``) runs the
    coloured search (whole processes: 5-30% less CPU on 11 of the 12 models, a tie on the
    twelfth), and a process that has loaded clingo already (a notebook that asked for trap
    spaces) the minimal-trap-space search. Both are exact: only the time differs.

    Returns
    -------
    str
    """
    return "aeon" if "clingo" in sys.modules else "colours"


def _explicit(problem: _Problem, limit: int | None, count: bool) -> Any:
    """The attractors on the explicit state graph of the percolated subspace
    (:mod:`.bitsets`), or their number; :class:`~dormnet.errors.BudgetExceeded` past
    :data:`~.bitsets.BUDGET`."""
    graph = StateGraph(problem.on_primes, problem.fixed, len(problem.nodes), BUDGET)
    points, cyclic = graph.attractors(limit)
    if count:
        return points.bit_count() + len(cyclic)
    return graph.listing(points, cyclic, problem.nodes, limit)


def _quietly(fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return fn(*args, **kw)


def _solve(
    net: BooleanNetwork,
    clamps: Mapping[str, int] | None,
    engine: str,
    limit: int | None,
    timeout: float | None,
    count: bool,
) -> Any:
    start = time.monotonic()
    problem = _Problem(net, clamps or {})
    if engine != "biobalm" and problem.free <= (
        IN_PROCESS_FREE_NODES if engine == "auto" else aeon.EXPLICIT_FREE_NODES
    ):
        # at most 2^20 states left by percolation: the explicit state graph, no solver, within
        # a budget of about what loading one costs; past it, the engine's own search
        try:
            return _explicit(problem, limit, count)
        except BudgetExceeded:
            pass
    if engine in ("auto", "aeon") and problem.free <= IN_PROCESS_FREE_NODES:
        # at most 2^20 states: one search in this process (no children); see _in_process
        member = "aeon" if engine == "aeon" else _in_process()
        return _quietly(getattr(problem, member), limit, count)
    # the children's machinery (threads, pickle, signals) only where children may be started
    from .isolate import can_fork, first_of, memory_limit, start_isolated

    if engine == "auto":
        members = list(MEMBERS)
        if not can_fork():
            members = ["aeon"]
        elif problem.free_inputs() > BIOBALM_INPUTS:
            members.remove("biobalm")  # it would refuse at once (see BIOBALM_INPUTS)
    else:
        members = [engine]
    if not can_fork():
        return _quietly(getattr(problem, members[0]), limit, count)
    left = None if timeout is None else max(0.1, timeout - (time.monotonic() - start))
    memory = memory_limit()
    share = None if memory is None else memory // len(members)
    import biodivine_aeon  # noqa: F401 - every member's solver: imported once, shared (rule 3)

    def run(m: str) -> Any:
        return start_isolated(
            _quietly,
            getattr(problem, m),
            limit,
            count,
            what=_WHAT[m],
            memory=share,
            niceness=0 if m == FIRST or len(members) == 1 else YIELDING,
        )

    delayed = [m for m in members if m == "biobalm" and len(members) > 1]
    pending = [run(m) for m in members if m not in delayed]
    later = [(BIOBALM_DELAY, lambda m=m: run(m)) for m in delayed]
    try:
        return first_of(pending, left, later)[1]
    except BudgetExceeded:
        if timeout is None or time.monotonic() - start < timeout:
            raise  # memory, not time
        raise BudgetExceeded(
            f"asynchronous attractor search ({engine} engine) did not finish "
            f"within the time budget of {timeout:g} s",
            "raise the time budget (--timeout), fix some inputs "
            "(--context/--set), or try another engine (--engine)",
        ) from None


def async_attractors(
    net: BooleanNetwork,
    clamps: Mapping[str, int] | None = None,
    *,
    engine: str = "auto",
    limit: int | None = None,
    timeout: float | None = None,
) -> list[Found]:
    """Every attractor of the asynchronous dynamics of ``net`` with ``clamps`` held.

    Parameters
    ----------
    net : BooleanNetwork
    clamps : mapping, optional
        Node -> 0/1 held fixed (checked by the caller).
    engine : {"auto", "aeon", "colours", "biobalm"}
        See the module docstring.
    limit : int, optional
        Stop after this many attractors.
    timeout : float, optional
        Seconds; :class:`~dormnet.errors.BudgetExceeded` when they run out.

    Returns
    -------
    list of (subspace, size, cubes)
        See :data:`Found`; in the engine's order (the caller sorts).

    Examples
    --------
    >>> found = async_attractors(BooleanNetwork({"a": "!b", "b": "!a", "c": "!c"}))
    >>> sorted((sorted(space.items()), size) for space, size, _ in found)
    [([('a', 0), ('b', 1)], 2), ([('a', 1), ('b', 0)], 2)]
    """
    return _solve(net, clamps, engine, limit, timeout, count=False)


def count_async_attractors(
    net: BooleanNetwork,
    clamps: Mapping[str, int] | None = None,
    *,
    engine: str = "auto",
    timeout: float | None = None,
) -> int:
    """The number of asynchronous attractors, as :func:`async_attractors` would list them.

    The coloured search counts them without listing (each input valuation of a set AEON returns
    is one attractor); the other searches count the attractors they list.

    Parameters
    ----------
    net : BooleanNetwork
    clamps : mapping, optional
    engine : {"auto", "aeon", "colours", "biobalm"}
    timeout : float, optional
        Seconds; :class:`~dormnet.errors.BudgetExceeded` when they run out.

    Returns
    -------
    int

    Examples
    --------
    >>> count_async_attractors(BooleanNetwork({"a": "a", "b": "b", "c": "a & !c"}))
    4
    """
    return _solve(net, clamps, engine, None, timeout, count=True)
