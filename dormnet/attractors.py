"""Fixed points, trap spaces and attractors under the common update schemes.

Free functions taking the network first; each takes a ``context`` (nodes held at values, e.g. the
inputs of a microenvironment), a ``limit``, and a ``timeout`` in seconds, and has a matching
``count_*`` function that counts without enumerating where the answer is astronomically large.

Engines:

- fixed points and trap spaces: clingo, grounded once per network (:mod:`dormnet._engines.asp`);
- counts beyond enumeration: biodivine-aeon, symbolically (:mod:`dormnet._engines.aeon`);
- asynchronous attractors: minimal trap spaces (ASP) searched with AEON, plus an exact search for
  attractors outside every minimal trap space;
- most-permissive attractors: the minimal trap spaces (Paulevé et al. 2020,
  DOI:10.1038/s41467-020-18112-5);
- synchronous attractors: exhaustive search over the free nodes (:mod:`dormnet._engines.sync`).

Examples
--------
>>> from dormnet import BooleanNetwork
>>> toggle = BooleanNetwork({"a": "!b", "b": "!a"})
>>> fixed_points(toggle)
[{'a': 0, 'b': 1}, {'a': 1, 'b': 0}]
>>> [a.kind for a in attractors(toggle, update="sync")]
['cyclic', 'fixed point', 'fixed point']
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ._engines.asp import AspEngine  # light: clingo itself is imported on first use
from ._engines.fvs import FixedPointTable  # light: pure Python, no solver
from ._gc import paused_gc
from .errors import BudgetExceeded, UnknownNodeError
from .network import BooleanNetwork, unknown_name_message
from .perturb import clamp
from .spaces import State, Subspace, to_string

__all__ = [
    "ASYNC_ENGINES",
    "TRAP_SPACE_KINDS",
    "UPDATES",
    "Attractor",
    "CubeStates",
    "attractors",
    "count_attractors",
    "count_fixed_points",
    "count_trap_spaces",
    "fixed_points",
    "percolate",
    "trap_spaces",
]

Update = Literal["async", "sync", "mp"]
UPDATES: tuple[str, ...] = ("async", "sync", "mp")
TrapSpaceKind = Literal["min", "max", "all"]
TRAP_SPACE_KINDS: tuple[str, ...] = ("min", "max", "all")
#: enumerate at most this many before counting symbolically
ENUMERATION_CAP = 10_000
#: asynchronous attractors of networks with at most this many nodes left free by percolation are
#: searched in this process; larger ones in a forked child with a deadline and a memory limit
IN_PROCESS_FREE_NODES = 20
#: asynchronous engines (see :func:`attractors`)
ASYNC_ENGINES: tuple[str, ...] = ("auto", "aeon", "biobalm")
#: seconds the ``auto`` engine gives the minimal-trap-space search before biobalm. Measured on
#: the corpus: pbn_zhang_tlgl needs 6.0 s of that search (biobalm: 9.6 s), pbn_selvaggio_emt 43 s
#: (biobalm: 11 s); with 5 s the first paid both (15 s, twice aeon's own 7.9 s), with 8 s it is
#: answered by the search and the second waits 3 s longer
AEON_FIRST = 8.0


class CubeStates(Sequence):
    """The states of an attractor, held as disjoint cubes (``(fixed, values)`` bitmasks over
    ``nodes``) and listed only when first read: a sequence of state dicts sorted by their values
    in node order. ``len()`` does not list them.

    >>> states = CubeStates(("a", "b"), ((0b01, 0b01),))
    >>> len(states), list(states)
    (2, [{'a': 1, 'b': 0}, {'a': 1, 'b': 1}])
    """

    __slots__ = ("_size", "_states", "cubes", "nodes")

    def __init__(self, nodes: tuple[str, ...], cubes: tuple[tuple[int, int], ...]) -> None:
        self.nodes = nodes
        self.cubes = cubes
        full = len(nodes)
        self._size = sum(1 << (full - m.bit_count()) for m, _ in cubes)
        self._states: tuple[State, ...] | None = None

    def _list(self) -> tuple[State, ...]:
        if self._states is None:
            n = len(self.nodes)
            rows: list[tuple[int, ...]] = []
            for mask, vals in self.cubes:
                free = [i for i in range(n) if not (mask >> i) & 1]
                base = [(vals >> i) & 1 for i in range(n)]
                for k in range(1 << len(free)):
                    row = base[:]
                    for j, i in enumerate(free):
                        row[i] = (k >> j) & 1
                    rows.append(tuple(row))
            rows.sort()
            self._states = tuple(dict(zip(self.nodes, r)) for r in rows)  # type: ignore[misc]
        return self._states

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, i):  # type: ignore[override]
        return self._list()[i]

    def __iter__(self) -> Iterator[State]:
        return iter(self._list())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CubeStates) and other.nodes == self.nodes:
            return sorted(self.cubes) == sorted(other.cubes) or self._list() == other._list()
        if isinstance(other, Sequence):
            return tuple(self._list()) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{self._size} states in {len(self.cubes)} cube(s)>"

    def __getstate__(self):
        return (self.nodes, self.cubes)

    def __setstate__(self, state) -> None:
        self.__init__(*state)  # type: ignore[misc]


@dataclass(frozen=True)
class Attractor:
    """An attractor: a fixed point, a cycle / terminal SCC, or a (minimal) trap space.

    Attributes
    ----------
    kind : {"fixed point", "cyclic", "trap space"}
    space : dict
        The nodes that are constant over the attractor, with their values.
    size : int
        Number of states.
    states : sequence of dict or None
        The states (in cycle order for synchronous cycles, sorted otherwise); ``None`` for trap
        spaces and for asynchronous attractors larger than the enumeration cap. Asynchronous
        attractors hold them as a :class:`CubeStates`, listed on first use.
    """

    kind: Literal["fixed point", "cyclic", "trap space"]
    space: Subspace
    size: int
    states: tuple[State, ...] | CubeStates | None = None

    def oscillating(self, nodes: list[str] | tuple[str, ...]) -> list[str]:
        """The nodes among ``nodes`` that are not constant in the attractor."""
        return [n for n in nodes if n not in self.space]

    def render(self, nodes: list[str] | tuple[str, ...]) -> dict[str, int | str]:
        """Every node mapped to 0, 1 or ``"*"`` (not fixed in the attractor)."""
        return {n: self.space[n] if n in self.space else "*" for n in nodes}


def _check_context(net: BooleanNetwork, context: Mapping[str, int] | None) -> dict[str, int]:
    ctx = dict(context or {})
    for n, v in ctx.items():
        if n not in net:
            raise UnknownNodeError(unknown_name_message(n, net.nodes, "node"))
        if v not in (0, 1):
            raise UnknownNodeError(f"value of {n} must be 0 or 1, not {v!r}")
    return ctx


def _asp(net: BooleanNetwork, context: Mapping[str, int] | None = None):
    """The network's clingo engine: without externals for plain queries (grounds faster on
    large networks), with every node clampable once a context is asked for."""
    key = "asp" if context else "asp-plain"
    engine = net._cache.get(key)
    if engine is None:
        engine = AspEngine(net, None if context else [])
        net._cache[key] = engine
    return engine


def percolate(net: BooleanNetwork, space: Mapping[str, int] | None = None) -> Subspace:
    """Propagate constants: the largest subspace reached by fixing every node whose function is
    constant once the nodes of ``space`` (and previously fixed nodes) are fixed. The same
    prime-implicant percolation the screens run (:class:`~dormnet._engines.screening.Percolator`).

    Examples
    --------
    >>> percolate(BooleanNetwork({"a": "1", "b": "a", "c": "b & c"}))
    {'a': 1, 'b': 1}
    """
    perc = _percolator(net)
    return perc.to_dict(perc.percolate(perc.space_of(space or {})))  # type: ignore[return-value]


def _percolator(net: BooleanNetwork):
    """The network's bitmask :class:`~dormnet._engines.screening.Percolator` (cached)."""
    from ._engines.screening import Percolator

    perc = net._cache.get("percolator")
    if perc is None:
        perc = net._cache["percolator"] = Percolator(net)
    return perc


def fixed_points(
    net: BooleanNetwork,
    *,
    context: Mapping[str, int] | None = None,
    limit: int | None = None,
    timeout: float | None = None,
) -> list[State]:
    """All fixed points (states with f(x) = x), sorted, at most ``limit``.

    Networks with a small feedback vertex set (:data:`dormnet._engines.fvs.MAX_FVS`) are answered
    by bit-parallel enumeration of that set, the others by clingo; both give the same list.

    Parameters
    ----------
    net : BooleanNetwork
    context : mapping, optional
        Nodes held at values (their rules replaced by constants).
    limit : int, optional
        Stop after this many.
    timeout : float, optional
        Seconds; :class:`~dormnet.errors.BudgetExceeded` if exceeded.
    """
    ctx = _check_context(net, context)
    with paused_gc():
        table = _fixed_point_table(net, ctx)
        if table is not None:
            nodes = table.nodes
            return [dict(zip(nodes, r)) for r in table.rows(limit)]  # type: ignore[misc]
        return _asp(net, ctx).solve("fixed", ctx, limit=limit, timeout=timeout)  # type: ignore


def _fixed_point_table(net: BooleanNetwork, ctx: Mapping[str, int]):
    """Every fixed point by bit-parallel enumeration of a small feedback vertex set
    (:mod:`dormnet._engines.fvs`), or ``None`` where that set is too large and clingo answers.
    Only the ``None`` is remembered, on the network, per set of clamped nodes (the graph, and so
    the answer, does not depend on their values): a table costs well under a millisecond to
    rebuild, and one per context of a landscape would hold megabytes."""
    key = "no-fvs:" + ",".join(sorted(ctx))
    if key in net._cache:
        return None
    table = FixedPointTable.build(net, ctx)
    if table is None:
        net._cache[key] = True
    return table


def _aeon_count(
    fn_name: str, net: BooleanNetwork, ctx: Mapping[str, int], timeout: float | None
) -> int:
    from ._engines import aeon
    from ._engines.isolate import run_isolated

    text = aeon.aeon_bnet(clamp(net, ctx))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return run_isolated(
            getattr(aeon, fn_name), text, timeout=timeout, what=f"symbolic count ({fn_name})"
        )


def count_fixed_points(
    net: BooleanNetwork, *, context: Mapping[str, int] | None = None, timeout: float | None = None
) -> int:
    """The exact number of fixed points, counted symbolically when there are too many to list.

    >>> from dormnet import BooleanNetwork
    >>> count_fixed_points(BooleanNetwork({f"x{i}": f"x{i}" for i in range(40)}))
    1099511627776
    """
    ctx = _check_context(net, context)
    with paused_gc():
        table = _fixed_point_table(net, ctx)
        if table is not None:
            return table.count()
        found = _asp(net, ctx).count("fixed", ctx, limit=ENUMERATION_CAP + 1, timeout=timeout)
    if found <= ENUMERATION_CAP:
        return found
    return _aeon_count("count_fixed_points", net, ctx, timeout)


def trap_spaces(
    net: BooleanNetwork,
    *,
    kind: TrapSpaceKind = "min",
    context: Mapping[str, int] | None = None,
    limit: int | None = None,
    timeout: float | None = None,
) -> list[Subspace]:
    """Minimal, maximal (non-trivial) or all trap spaces, as dicts of their fixed nodes.

    Examples
    --------
    >>> from dormnet import BooleanNetwork
    >>> trap_spaces(BooleanNetwork({"a": "!a", "b": "b"}), kind="min")
    [{'b': 0}, {'b': 1}]
    """
    if kind not in TRAP_SPACE_KINDS:
        raise ValueError(f"kind must be one of {TRAP_SPACE_KINDS}, not {kind!r}")
    ctx = _check_context(net, context)
    with paused_gc():
        return _asp(net, ctx).solve(kind, ctx, limit=limit, timeout=timeout)


def count_trap_spaces(
    net: BooleanNetwork,
    *,
    kind: TrapSpaceKind = "min",
    context: Mapping[str, int] | None = None,
    timeout: float | None = None,
) -> int:
    """The exact number of trap spaces of a kind (minimal ones counted symbolically when many)."""
    ctx = _check_context(net, context)
    cap = ENUMERATION_CAP if kind == "min" else None
    with paused_gc():
        found = _asp(net, ctx).count(
            kind, ctx, limit=None if cap is None else cap + 1, timeout=timeout
        )
    if cap is None or found <= cap:
        return found
    return _aeon_count("count_min_trap_spaces", net, ctx, timeout)


def attractors(
    net: BooleanNetwork,
    *,
    update: Update = "async",
    context: Mapping[str, int] | None = None,
    limit: int | None = None,
    timeout: float | None = None,
    engine: str = "auto",
) -> list[Attractor]:
    """Complete attractors under an update scheme.

    Parameters
    ----------
    update : {"async", "sync", "mp"}
        Fully asynchronous (exact, symbolic), synchronous (exact, exhaustive over free nodes),
        or most permissive (the minimal trap spaces).
    context, limit, timeout
        As for :func:`fixed_points`.
    engine : {"auto", "aeon", "biobalm"}
        For ``async``: ``aeon`` searches every minimal trap space with biodivine-aeon, then the
        states that reach none of them (attractors outside every minimal trap space);
        ``biobalm`` builds the succession diagram of trap spaces and checks attractor candidates
        by reachability (:mod:`dormnet._engines.succession`); ``auto`` (default) runs ``aeon``
        for :data:`AEON_FIRST` seconds and then ``biobalm``. All are exact.
    """
    ctx = _check_context(net, context)
    nodes = list(net.nodes)
    if update == "mp":
        spaces = trap_spaces(net, kind="min", context=ctx, limit=limit, timeout=timeout)
        return [
            Attractor(
                "fixed point" if len(s) == len(nodes) else "trap space",
                s,
                2 ** (len(nodes) - len(s)),
                (dict(s),) if len(s) == len(nodes) else None,
            )  # type: ignore[arg-type]
            for s in spaces
        ]
    clamped = clamp(net, ctx)
    if update == "sync":
        from ._engines.sync import sync_attractors

        fixed = percolate(clamped)
        cycles = sync_attractors(clamped, fixed, limit=limit)
        out = []
        for cyc in cycles:
            space = {n: cyc[0][n] for n in nodes if all(s[n] == cyc[0][n] for s in cyc)}
            out.append(
                Attractor(
                    "fixed point" if len(cyc) == 1 else "cyclic",
                    space,  # type: ignore[arg-type]
                    len(cyc),
                    tuple(cyc),
                )
            )
        out.sort(key=lambda a: tuple(a.states[0][n] for n in nodes))  # type: ignore[index]
        return out
    if update != "async":
        raise ValueError(f"update must be one of {UPDATES}, not {update!r}")
    if engine not in ASYNC_ENGINES:
        raise ValueError(f"engine must be one of {ASYNC_ENGINES}, not {engine!r}")
    start = time.monotonic()
    try:
        found = _async_search(net, clamped, ctx, nodes, engine, limit, timeout)
    except BudgetExceeded:
        if timeout is None or time.monotonic() - start < timeout:
            raise  # memory, not time
        raise BudgetExceeded(
            f"asynchronous attractor search ({engine} engine) did not finish "
            f"within the time budget of {timeout:g} s",
            "raise the time budget (--timeout), fix some inputs "
            "(--context/--set), or try another engine (--engine)",
        ) from None
    out = []
    for space, size, cubes in found:
        kind = "fixed point" if size == 1 else "cyclic"
        out.append(
            Attractor(
                kind,
                {n: space[n] for n in nodes if n in space},
                size,  # type: ignore[arg-type]
                CubeStates(tuple(nodes), tuple(cubes)) if cubes is not None else None,
            )
        )
    out.sort(key=lambda a: to_string(a.space, nodes))
    return out


def _async_search(
    net: BooleanNetwork,
    clamped: BooleanNetwork,
    ctx: Mapping[str, int],
    nodes: list[str],
    engine: str,
    limit: int | None,
    timeout: float | None,
):
    """Run an exact asynchronous engine; ``auto`` tries minimal trap spaces + AEON for
    :data:`AEON_FIRST` seconds, then biobalm's succession diagram with the rest of the budget."""

    from ._engines import aeon
    from ._engines.isolate import run_isolated

    start = time.monotonic()
    text = aeon.aeon_bnet(clamped)
    percolated = percolate(clamped)  # a trap space holding every attractor
    free = len(nodes) - len(percolated)
    # each node's function as prime implicants over (fixed, values) bitmasks, for state listing
    on_primes = list(_percolator(clamped).on)
    # at most 2^20 states: time and memory are bounded, so the forked child (~2 ms, with a
    # deadline and a memory limit) buys no safety on small networks
    in_process = free <= IN_PROCESS_FREE_NODES

    def run(fn, *args, budget: float | None, what: str, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            if in_process:
                return fn(*args, limit=limit, **kwargs)
            return run_isolated(fn, *args, limit=limit, timeout=budget, what=what, **kwargs)

    def by_trap_spaces(budget: float | None):
        mts = trap_spaces(net, kind="min", context=ctx, timeout=budget)
        left = None if budget is None else max(0.1, budget - (time.monotonic() - start))
        return run(
            aeon.async_attractors,
            text,
            nodes,
            mts,
            on_primes=on_primes,
            budget=left,
            what="asynchronous attractor search (minimal trap spaces + AEON)",
        )

    def by_succession(budget: float | None):
        from ._engines.succession import async_attractors_sd

        return run(
            async_attractors_sd,
            text,
            nodes,
            budget=budget,
            what="asynchronous attractor search (biobalm succession diagram)",
        )

    if engine != "biobalm" and free <= aeon.EXPLICIT_FREE_NODES:
        # at most 2^10 states left by percolation: list them and take the terminal
        # components, without a solver
        return aeon._explicit(percolated, nodes, on_primes)
    if engine == "aeon":
        return by_trap_spaces(timeout)
    if engine == "biobalm":
        return by_succession(timeout)
    if in_process:
        return by_trap_spaces(timeout)
    first = AEON_FIRST if timeout is None else min(AEON_FIRST, timeout)
    try:
        return by_trap_spaces(first)
    except BudgetExceeded:
        if timeout is not None and time.monotonic() - start >= timeout:
            raise
    rest = None if timeout is None else max(0.1, timeout - (time.monotonic() - start))
    try:
        return by_succession(rest)
    except BudgetExceeded as e:
        if not e.what.startswith("biobalm stopped"):
            raise
    # biobalm's own limits (e.g. 2^17 input combinations): the trap-space search, untimed
    rest = None if timeout is None else max(0.1, timeout - (time.monotonic() - start))
    return by_trap_spaces(rest)


def count_attractors(
    net: BooleanNetwork,
    *,
    update: Update = "async",
    context: Mapping[str, int] | None = None,
    timeout: float | None = None,
    engine: str = "auto",
) -> int:
    """The number of attractors under an update scheme (``engine`` as for :func:`attractors`)."""
    if update == "mp":
        return count_trap_spaces(net, kind="min", context=context, timeout=timeout)
    return len(attractors(net, update=update, context=context, timeout=timeout, engine=engine))
