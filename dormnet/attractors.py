"""Fixed points, trap spaces and attractors under the common update schemes.

Free functions taking the network first; each takes ``clamps`` (nodes held at values: the inputs
of a microenvironment, knockouts, drugs), a ``limit`` and a ``timeout`` in seconds, and has a
matching ``count_*`` function that counts without listing where the answer is astronomically large.

Engines (:mod:`dormnet._engines`):

- fixed points: bit-parallel enumeration of a small feedback vertex set (:mod:`~._engines.fvs`),
  else clingo, grounded once per network (:mod:`~._engines.asp`);
- trap spaces: clingo;
- counts beyond enumeration: clingo goes on counting while biodivine-aeon counts symbolically in a
  child process; the first exact answer wins (:mod:`~._engines.aeon`);
- asynchronous attractors: :mod:`~._engines.asynchronous` (a portfolio of minimal trap spaces
  and AEON, AEON with the inputs as colours, and biobalm's succession diagram, side by side);
- most-permissive attractors: the minimal trap spaces (Paulevé et al. 2020,
  DOI:10.1038/s41467-020-18112-5);
- synchronous attractors: exhaustive search over the free nodes (:mod:`~._engines.sync`).

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
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

from ._engines.fvs import FixedPointTable
from ._gc import paused_gc
from .choices import (
    ASYNC_ENGINES,
    TRAP_SPACE_KINDS,
    UPDATES,
    AsyncEngine,
    TrapSpaceKind,
    Update,
    check_choice,
)
from .errors import ClampError, DormnetError, UnknownNodeError
from .network import BooleanNetwork, unknown_name_message
from .spaces import CubeStates, State, Subspace, to_string

if TYPE_CHECKING:
    from ._engines.asp import AspEngine, Mode

__all__ = [
    "ENUMERATION_CAP",
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

#: list at most this many before a symbolic count joins in
ENUMERATION_CAP = 10_000


class Attractor:
    """An attractor: a fixed point, a cycle / terminal SCC, or a (minimal) trap space.

    Immutable, compared by value. Written out rather than as a frozen dataclass, whose machinery
    costs more at start-up than a plain count on a small model.

    Parameters
    ----------
    kind : {"fixed point", "cyclic", "trap space"}
    space : dict
    size : int
    states : sequence of dict, optional

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

    __match_args__ = ("kind", "space", "size", "states")
    kind: Literal["fixed point", "cyclic", "trap space"]
    space: Subspace
    size: int
    states: tuple[State, ...] | CubeStates | None

    def __init__(
        self,
        kind: Literal["fixed point", "cyclic", "trap space"],
        space: Subspace,
        size: int,
        states: tuple[State, ...] | CubeStates | None = None,
    ) -> None:
        fields = self.__dict__
        fields["kind"], fields["space"], fields["size"], fields["states"] = (
            kind,
            space,
            size,
            states,
        )

    def _key(self) -> tuple[object, ...]:
        return (self.kind, self.space, self.size, self.states)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of an Attractor")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of an Attractor")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._key())  # a TypeError, as for the frozen dataclass: space is a dict

    def __repr__(self) -> str:
        return (
            f"Attractor(kind={self.kind!r}, space={self.space!r}, size={self.size!r}, "
            f"states={self.states!r})"
        )

    def oscillating(self, nodes: list[str] | tuple[str, ...]) -> list[str]:
        """The nodes among ``nodes`` that are not constant in the attractor.

        Parameters
        ----------
        nodes : sequence of str

        Returns
        -------
        list of str
            In the order of ``nodes``.
        """
        return [n for n in nodes if n not in self.space]

    def render(self, nodes: list[str] | tuple[str, ...]) -> dict[str, int | str]:
        """Every node mapped to 0, 1 or ``"*"`` (not fixed in the attractor).

        Parameters
        ----------
        nodes : sequence of str

        Returns
        -------
        dict
            Node -> 0, 1 or ``"*"``.
        """
        return {n: self.space.get(n, "*") for n in nodes}


def check_clamps(net: BooleanNetwork, clamps: Mapping[str, int] | None) -> dict[str, int]:
    """The clamps as a dict, every node known and every value 0 or 1.

    Parameters
    ----------
    net : BooleanNetwork
    clamps : mapping or None

    Returns
    -------
    dict

    Raises
    ------
    UnknownNodeError
        A node the network does not have (with a did-you-mean).
    ClampError
        A value other than 0 or 1.
    """
    out = dict(clamps or {})
    for n, v in out.items():
        if n not in net:
            raise UnknownNodeError(unknown_name_message(n, net.nodes, "node"))
        if v not in (0, 1):
            raise ClampError(f"value of {n} must be 0 or 1, not {v!r}")
    return out


def percolate(net: BooleanNetwork, clamps: Mapping[str, int] | None = None) -> Subspace:
    """Propagate constants: the largest subspace reached by fixing every node whose function is
    constant once the clamped (and previously fixed) nodes are fixed. It holds every attractor.

    Parameters
    ----------
    net : BooleanNetwork
    clamps : mapping, optional
        Node -> 0/1 held fixed.

    Returns
    -------
    dict
        The fixed nodes of the percolated subspace, clamps included.

    Examples
    --------
    >>> percolate(BooleanNetwork({"a": "1", "b": "a", "c": "b & c"}))
    {'a': 1, 'b': 1}
    """
    from ._engines.percolation import percolate as _percolate

    return _percolate(net, check_clamps(net, clamps))  # type: ignore[return-value]


def _asp(net: BooleanNetwork, clamps: Mapping[str, int]) -> AspEngine:
    """The network's clingo engine: without clamp externals for plain queries (grounds faster
    on large networks), with every node clampable once clamps are asked for."""
    from ._engines.asp import asp_engine  # the clingo engine: not needed where fvs answers

    return asp_engine(net, clampable=bool(clamps))


def fixed_points(
    net: BooleanNetwork,
    *,
    clamps: Mapping[str, int] | None = None,
    limit: int | None = None,
    timeout: float | None = None,
) -> list[State]:
    """All fixed points (states with f(x) = x), sorted by their values, at most ``limit``.

    Networks with a small feedback vertex set (:data:`dormnet._engines.fvs.MAX_FVS`) are answered
    by bit-parallel enumeration of that set, the others by clingo; both give the same list.

    Parameters
    ----------
    net : BooleanNetwork
    clamps : mapping, optional
        Nodes held at values (their rules replaced by constants).
    limit : int, optional
        Stop after this many.
    timeout : float, optional
        Seconds; :class:`~dormnet.errors.BudgetExceeded` if exceeded.

    Returns
    -------
    list of dict
        Complete states, node -> 0/1.

    Examples
    --------
    >>> fixed_points(BooleanNetwork({"a": "!b", "b": "!a"}), clamps={"a": 1})
    [{'a': 1, 'b': 0}]
    """
    ctx = check_clamps(net, clamps)
    with paused_gc():
        table = _fixed_point_table(net, ctx)
        if table is not None:
            nodes = table.nodes
            return [dict(zip(nodes, r)) for r in table.rows(limit)]  # type: ignore[misc]
        return _asp(net, ctx).solve("fixed", ctx, limit=limit, timeout=timeout)  # type: ignore


def _no_table(net: BooleanNetwork, clamped: frozenset[str]) -> list[bool]:
    """A flag kept with the network per set of clamped nodes: set once the feedback vertex set
    turned out too large (the graph, and so the answer, does not depend on the clamp values)."""
    return [False]


def _fixed_point_table(net: BooleanNetwork, ctx: Mapping[str, int]) -> FixedPointTable | None:
    """Every fixed point by bit-parallel enumeration of a small feedback vertex set
    (:mod:`dormnet._engines.fvs`), or ``None`` where that set is too large and clingo answers.
    Only the ``None`` is remembered (:func:`_no_table`): a table costs well under a millisecond
    to rebuild, and one per context of a landscape would hold megabytes."""
    flag = net.derived(_no_table, frozenset(ctx))
    if flag[0]:
        return None
    table = FixedPointTable.build(net, ctx)
    if table is None:
        flag[0] = True
    return table


def count_fixed_points(
    net: BooleanNetwork,
    *,
    clamps: Mapping[str, int] | None = None,
    timeout: float | None = None,
) -> int:
    """The exact number of fixed points, counted symbolically when there are too many to list.

    Parameters
    ----------
    net : BooleanNetwork
    clamps : mapping, optional
    timeout : float, optional

    Returns
    -------
    int

    Examples
    --------
    >>> count_fixed_points(BooleanNetwork({f"x{i}": f"x{i}" for i in range(40)}))
    1099511627776
    """
    ctx = check_clamps(net, clamps)
    with paused_gc():
        table = _fixed_point_table(net, ctx)
        if table is not None:
            return table.count()
    return _count(net, ctx, "fixed", "count_fixed_points", timeout)


def _count(
    net: BooleanNetwork,
    ctx: dict[str, int],
    mode: Mode,
    symbolic: str | None,
    timeout: float | None,
) -> int:
    """Count with clingo, without decoding; once :data:`ENUMERATION_CAP` solutions are counted,
    biodivine-aeon's symbolic count (``symbolic``, a function of :mod:`dormnet._engines.aeon`)
    starts in a forked child, and the first exact answer wins. So a count is never slower than
    listing the same answer (clingo goes on), and never stuck enumerating 10^10 solutions (AEON
    counts them in BDDs). Where no child can be forked, clingo stops at the cap and AEON counts.
    """
    engine = _asp(net, ctx)
    start = time.monotonic()
    race: dict[str, object] = {}

    def left() -> float | None:
        return None if timeout is None else max(0.1, timeout - (time.monotonic() - start))

    def watch() -> None:
        try:
            race["value"] = race["child"].wait(left())  # type: ignore[attr-defined]
        except DormnetError:
            return  # the symbolic count failed or was killed: clingo's count stands
        engine.interrupt(mode)

    def on_progress(n: int) -> bool:
        if symbolic is None or "child" in race:
            return True
        from ._engines.isolate import can_fork, start_isolated

        if not can_fork():
            return False
        import threading

        from ._engines import aeon
        from .perturb import clamp

        race["child"] = start_isolated(
            getattr(aeon, symbolic), clamp(net, ctx), what=f"symbolic count ({symbolic})"
        )
        thread = race["thread"] = threading.Thread(target=watch, daemon=True)
        thread.start()
        return True

    with paused_gc():
        try:
            n = engine.count(
                mode, ctx, timeout=timeout, every=ENUMERATION_CAP, on_progress=on_progress
            )
        finally:
            if "value" not in race and "child" in race:
                race["child"].kill()  # type: ignore[attr-defined]
            if "thread" in race:
                race["thread"].join()  # type: ignore[attr-defined]
    if "value" in race:
        return race["value"]  # type: ignore[return-value]
    if symbolic is not None and "child" not in race and n >= ENUMERATION_CAP:
        from ._engines.isolate import can_fork, run_isolated

        if not can_fork():
            from ._engines import aeon
            from .perturb import clamp

            return run_isolated(getattr(aeon, symbolic), clamp(net, ctx), timeout=left())
    return n


def trap_spaces(
    net: BooleanNetwork,
    *,
    kind: TrapSpaceKind = "min",
    clamps: Mapping[str, int] | None = None,
    limit: int | None = None,
    timeout: float | None = None,
) -> list[Subspace]:
    """Minimal, maximal (non-trivial) or all trap spaces, as dicts of their fixed nodes.

    Parameters
    ----------
    net : BooleanNetwork
    kind : {"min", "max", "all"}
    clamps, limit, timeout
        As for :func:`fixed_points`.

    Returns
    -------
    list of dict
        Each trap space's fixed nodes, sorted by their ``"01-"`` strings.

    Examples
    --------
    >>> trap_spaces(BooleanNetwork({"a": "!a", "b": "b"}), kind="min")
    [{'b': 0}, {'b': 1}]
    """
    check_choice("kind", kind, TRAP_SPACE_KINDS)
    ctx = check_clamps(net, clamps)
    with paused_gc():
        return _asp(net, ctx).solve(kind, ctx, limit=limit, timeout=timeout)


def count_trap_spaces(
    net: BooleanNetwork,
    *,
    kind: TrapSpaceKind = "min",
    clamps: Mapping[str, int] | None = None,
    timeout: float | None = None,
) -> int:
    """The exact number of trap spaces of a kind (minimal ones also counted symbolically).

    Parameters
    ----------
    net : BooleanNetwork
    kind : {"min", "max", "all"}
    clamps, timeout
        As for :func:`fixed_points`.

    Returns
    -------
    int

    Examples
    --------
    >>> count_trap_spaces(BooleanNetwork({"a": "a", "b": "b"}), kind="all")
    9
    """
    check_choice("kind", kind, TRAP_SPACE_KINDS)
    ctx = check_clamps(net, clamps)
    return _count(net, ctx, kind, "count_min_trap_spaces" if kind == "min" else None, timeout)


def attractors(
    net: BooleanNetwork,
    *,
    update: Update = "async",
    clamps: Mapping[str, int] | None = None,
    limit: int | None = None,
    timeout: float | None = None,
    engine: AsyncEngine = "auto",
) -> list[Attractor]:
    """Complete attractors under an update scheme.

    Parameters
    ----------
    net : BooleanNetwork
    update : {"async", "sync", "mp"}
        Fully asynchronous (exact, symbolic), synchronous (exact, exhaustive over free nodes),
        or most permissive (the minimal trap spaces).
    clamps, limit, timeout
        As for :func:`fixed_points`.
    engine : {"auto", "aeon", "colours", "biobalm"}
        For ``async``: ``aeon`` searches every minimal trap space with biodivine-aeon, then the
        states that reach none of them; ``colours`` runs biodivine-aeon's search on the whole
        network with the free inputs as colours (all input valuations at once); ``biobalm``
        builds the succession diagram of trap spaces and checks attractor candidates by
        reachability; ``auto`` (default) runs the three side by side in child processes and
        takes the first answer (:mod:`dormnet._engines.asynchronous`). All are exact.

    Returns
    -------
    list of Attractor
        Sorted by their ``"01-"`` strings (synchronous: by their first state).

    Examples
    --------
    >>> [a.space for a in attractors(BooleanNetwork({"a": "!b", "b": "!a"}), clamps={"a": 0})]
    [{'a': 0, 'b': 1}]
    """
    check_choice("update", update, UPDATES)
    check_choice("engine", engine, ASYNC_ENGINES)
    ctx = check_clamps(net, clamps)
    nodes = list(net.nodes)
    if update == "mp":
        spaces = trap_spaces(net, kind="min", clamps=ctx, limit=limit, timeout=timeout)
        return [
            Attractor(
                "fixed point" if len(s) == len(nodes) else "trap space",
                s,
                2 ** (len(nodes) - len(s)),
                (dict(s),) if len(s) == len(nodes) else None,  # type: ignore[arg-type]
            )
            for s in spaces
        ]
    if update == "sync":
        return _sync(net, ctx, nodes, limit)
    from ._engines.asynchronous import async_attractors

    # the engine words its time-out for the API (and tells a memory limit apart)
    found = async_attractors(net, ctx, engine=engine, limit=limit, timeout=timeout)
    out = []
    for space, size, cubes in found:
        kind = "fixed point" if size == 1 else "cyclic"
        out.append(
            Attractor(
                kind,  # type: ignore[arg-type]
                {n: space[n] for n in nodes if n in space},  # type: ignore[misc]
                size,
                CubeStates(tuple(nodes), tuple(cubes)) if cubes is not None else None,
            )
        )
    out.sort(key=lambda a: to_string(a.space, nodes))
    return out


def _sync(
    net: BooleanNetwork, ctx: dict[str, int], nodes: list[str], limit: int | None
) -> list[Attractor]:
    from ._engines.sync import sync_attractors
    from .perturb import clamp

    clamped = clamp(net, ctx)
    from ._engines.percolation import percolate as _percolate

    cycles = sync_attractors(clamped, _percolate(clamped), limit=limit)
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


def count_attractors(
    net: BooleanNetwork,
    *,
    update: Update = "async",
    clamps: Mapping[str, int] | None = None,
    timeout: float | None = None,
    engine: AsyncEngine = "auto",
) -> int:
    """The number of attractors under an update scheme (``engine`` as for :func:`attractors`).

    Parameters
    ----------
    net : BooleanNetwork
    update : {"async", "sync", "mp"}
    clamps, timeout, engine
        As for :func:`attractors`.

    Returns
    -------
    int
        Most permissive: the number of minimal trap spaces (counted symbolically when many);
        otherwise the length of :func:`attractors`, whose states are not listed.

    Examples
    --------
    >>> count_attractors(BooleanNetwork({"a": "!a", "b": "b"}), update="mp")
    2
    """
    if update == "mp":
        return count_trap_spaces(net, kind="min", clamps=clamps, timeout=timeout)
    if update == "async":
        from ._engines.asynchronous import count_async_attractors

        check_choice("engine", engine, ASYNC_ENGINES)
        ctx = check_clamps(net, clamps)
        return count_async_attractors(net, ctx, engine=engine, timeout=timeout)
    return len(attractors(net, update=update, clamps=clamps, timeout=timeout, engine=engine))
