"""Complete asynchronous attractors: the engine choice.

Three exact searches, all over the network with its clamps already applied:

- ``explicit``: at most :data:`~dormnet._engines.aeon.EXPLICIT_FREE_NODES` nodes left free by
  percolation: list the states and take the terminal strongly connected components;
- ``aeon``: the minimal trap spaces (clingo) searched with biodivine-aeon, then a proof that no
  attractor lies outside them (:func:`dormnet._engines.aeon.async_attractors`);
- ``biobalm``: the succession diagram of trap spaces (:mod:`dormnet._engines.succession`).

``auto`` runs the ``aeon`` search for :data:`AEON_FIRST` seconds, then ``biobalm`` with the rest
of the budget. Searches with more than :data:`IN_PROCESS_FREE_NODES` free nodes run in a forked
child with a deadline and a memory limit (:mod:`dormnet._engines.isolate`).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import BudgetExceeded
from ..network import BooleanNetwork
from ..perturb import clamp
from ..spaces import Subspace
from . import aeon
from .asp import asp_engine
from .isolate import run_isolated
from .percolation import BitSpace, percolate, percolator

__all__ = ["ASYNC_ENGINES", "AEON_FIRST", "IN_PROCESS_FREE_NODES", "Found", "async_attractors"]

#: the asynchronous engines a caller may choose
ASYNC_ENGINES: tuple[str, ...] = ("auto", "aeon", "biobalm")
#: seconds the ``auto`` engine gives the minimal-trap-space search before biobalm. Measured on
#: the corpus: pbn_zhang_tlgl needs 6.0 s of that search (biobalm: 9.6 s), pbn_selvaggio_emt 43 s
#: (biobalm: 11 s); with 5 s the first paid both (15 s, twice aeon's own 7.9 s), with 8 s it is
#: answered by the search and the second waits 3 s longer
AEON_FIRST = 8.0
#: networks with at most this many nodes left free by percolation are searched in this process
#: (at most 2^20 states: time and memory are bounded); larger ones in a forked child
IN_PROCESS_FREE_NODES = 20

#: one attractor: its enclosing subspace, its number of states, and its states as disjoint
#: bitmask cubes over the network's nodes (``None`` when too many to list)
Found = tuple[Subspace, int, list[BitSpace] | None]


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
    engine : {"auto", "aeon", "biobalm"}
        See the module docstring.
    limit : int, optional
        Stop after this many attractors.
    timeout : float, optional
        Seconds; :class:`~dormnet.errors.BudgetExceeded` when they run out.

    Returns
    -------
    list of (subspace, size, cubes)
        See :data:`Found`; in the engine's order (the caller sorts).
    """
    start = time.monotonic()
    clamps = dict(clamps or {})
    nodes = list(net.nodes)
    clamped = clamp(net, clamps)
    fixed = percolate(clamped)  # a trap space holding every attractor
    free = len(nodes) - len(fixed)
    on_primes = list(percolator(clamped).on)
    in_process = free <= IN_PROCESS_FREE_NODES

    def run(fn: Callable[..., Any], *args: Any, budget: float | None, what: str, **kw: Any):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            if in_process:
                return fn(*args, limit=limit, **kw)
            return run_isolated(fn, *args, limit=limit, timeout=budget, what=what, **kw)

    def left(budget: float | None) -> float | None:
        return None if budget is None else max(0.1, budget - (time.monotonic() - start))

    def by_trap_spaces(budget: float | None) -> list[Found]:
        mts = asp_engine(net, clampable=bool(clamps)).solve("min", clamps, timeout=budget)
        return run(
            aeon.async_attractors,
            clamped,
            mts,
            on_primes=on_primes,
            budget=left(budget),
            what="asynchronous attractor search (minimal trap spaces + AEON)",
        )

    def by_succession(budget: float | None) -> list[Found]:
        from .succession import async_attractors_sd

        return run(
            async_attractors_sd,
            clamped,
            budget=budget,
            what="asynchronous attractor search (biobalm succession diagram)",
        )

    if engine != "biobalm" and free <= aeon.EXPLICIT_FREE_NODES:
        # at most 2^10 states left by percolation: list them, without a solver
        return aeon.explicit_attractors(fixed, nodes, on_primes)
    if engine == "aeon" or (engine == "auto" and in_process):
        return by_trap_spaces(timeout)
    if engine == "biobalm":
        return by_succession(timeout)
    first = AEON_FIRST if timeout is None else min(AEON_FIRST, timeout)
    try:
        return by_trap_spaces(first)
    except BudgetExceeded:
        if timeout is not None and time.monotonic() - start >= timeout:
            raise
    try:
        return by_succession(left(timeout))
    except BudgetExceeded as e:
        if not e.what.startswith("biobalm stopped"):
            raise
    # biobalm's own limits (e.g. 2^17 input combinations): the trap-space search, untimed
    return by_trap_spaces(left(timeout))
