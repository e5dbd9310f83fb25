"""Exact reachability between attractors of two scenarios, and basins of attraction.

A *switch* moves a cell from one scenario (clamps) to another: the state carries over, the new
scenario's clamps take hold at once (a clamped node takes its clamped value at the switch), and the
dynamics of the new scenario run from there. For each start region (the states of an attractor of
the old scenario) the engines here return the indices of the new scenario's attractors that are
reachable from some state of the region: the *weak* answer. The *strong* answer (every trajectory
ends in one attractor) follows from it: every state can reach at least one attractor and the
forward set of a region is closed, so from the region no trajectory can avoid attractor ``A``
forever (under the usual fairness: a trajectory does not stay forever in a transient cycle it can
leave) exactly when ``A`` is the only attractor reachable from it. The start set then lies in the
strong basin of ``A`` (Klarner et al. 2020).

First, for every update scheme: no trajectory leaves a trap space, so only the targets inside
the smallest trap space containing the switched start region can be reached, and when exactly one
is, every trajectory reaches it (:data:`TRAP_SPACE_FILTER`; a bitmask closure over the prime
implicants, :func:`~dormnet._engines.regions.principal_trap_space`). On the bundled model this
decides all but a handful of the context switches. What it leaves open, three update schemes
decide exactly, none by sampling:

- asynchronous (:mod:`~dormnet._engines.reach_async`): symbolic forward reachability from the
  start with biodivine-aeon's BDDs, by saturation written here so that a time and a BDD-size
  budget can stop it with what is certain so far (:class:`PartialReach`: the targets whose witness
  state the forward set already holds); or, when the same targets are asked for many starts (a
  transition matrix), their weak basins, computed once (backward saturation);
- most permissive (:mod:`~dormnet._engines.reach_explicit`): a minimal trap space (an MP
  attractor) is reachable from a configuration ``x`` exactly when it lies in the smallest trap
  space containing ``x`` (Paulevé et al. 2020; the
  algorithm ``TS(x)`` frees a fixed node whose function can take the other value somewhere in the
  current subcube, until none can). From a region: for each of its configurations when they are
  few (:data:`~dormnet._engines.reach_explicit.MP_ENUMERATE`), else symbolically, ``TS(x)`` as
  BDDs over ``x``;
- synchronous: the deterministic map, simulated from each start state until it enters an
  attractor (bitmask evaluation of prime implicants).

Basins (the share of all states of a scenario, clamped nodes at their values and every other
node free, constant rules included as pyboolnet counts them, from which an attractor is
reachable: weak; or from which it is the only reachable one: strong) use the same
three methods over the whole state space: backward saturation (asynchronous), ``TS(x)`` as BDDs
(most permissive), the successor map of every state as a numpy array (synchronous).

Regions and subspaces are :data:`~dormnet._engines.percolation.BitSpace` bitmasks over
``net.nodes`` (bit ``i`` = node ``i``); a state is an int.

References
----------
Paulevé L, Kolčák J, Chatain T, Haar S. Reconciling qualitative, abstract, and scalable modeling
of biological networks. Nat Commun 2020;11:4256. DOI:10.1038/s41467-020-18112-5.
Paulevé L, Sené S. Non-deterministic updates of Boolean networks. AUTOMATA 2021.
DOI:10.4230/OASIcs.AUTOMATA.2021.10.
Ciardo G, Marmorstein R, Siminiceanu R. Saturation unbound. TACAS 2003, LNCS 2619:379-393.
Klarner H, Heinitz F, Nee S, Siebert H. Basins of attraction, commitment sets and phenotypes of
Boolean networks. IEEE/ACM Trans Comput Biol Bioinform 2020; arXiv:1807.10103.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..errors import BudgetExceeded, DormnetError
from ..network import BooleanNetwork
from .percolation import BitSpace, percolator, set_bits
from .reach_async import AsyncReach, saturate
from .reach_explicit import ExplicitReach
from .regions import (
    BasinCounts,
    Budget,
    PartialReach,
    Region,
    apply_clamps,
    bits_of,
    enclosing,
    inside,
    principal_trap_space,
)

__all__ = [
    "TRAP_SPACE_FILTER",
    "BasinCounts",
    "Budget",
    "PartialReach",
    "Reacher",
    "Region",
    "enclosing",
    "principal_trap_space",
    "saturate",
]

#: first keep only the targets inside the smallest trap space containing the start (bitmask
#: work; on the bundled model it answers all but a handful of the switches); off in tests, to
#: check the symbolic paths on every case
TRAP_SPACE_FILTER = True


class Reacher(AsyncReach, ExplicitReach):
    """Reachability and basins over one network under several clamp sets (one per scenario),
    keeping what each clamp set needs (AEON graphs, prime tables) for the life of the object.

    Parameters
    ----------
    net : BooleanNetwork
        The network without clamps.

    Examples
    --------
    A toggle switch with a signal ``s`` that forces ``a``: from the ``b`` state, setting ``s``
    moves the cell to ``a`` (the only attractor there); releasing ``s`` keeps it there.

    >>> net = BooleanNetwork({"s": "s", "a": "!b | s", "b": "!a"})
    >>> r = Reacher(net)
    >>> on, off = r.clamp_bits({"s": 1}), r.clamp_bits({"s": 0})
    >>> b_state = Region((0b111, 0b100), 1, ((0b111, 0b100),))  # s=0, a=0, b=1
    >>> a_on = Region((0b111, 0b011), 1, ((0b111, 0b011),))
    >>> r.reach("async", [b_state], on, [a_on])
    [frozenset({0})]
    >>> a_off = Region((0b111, 0b010), 1, ((0b111, 0b010),))
    >>> r.reach("async", [a_on], off, [a_off, b_state])
    [frozenset({0})]
    """

    def __init__(self, net: BooleanNetwork) -> None:
        self.net = net
        self.nodes = list(net.nodes)
        perc = percolator(net)
        self.index = perc.index
        self.full = perc.full
        self.on = perc.on
        self.off = perc.off
        self.succ = perc.succ
        self._graphs: dict[BitSpace, Any] = {}
        self._basins: dict[tuple[BitSpace, Region], Any] = {}

    def clamp_bits(self, clamps: Mapping[str, int]) -> BitSpace:
        """Clamps (node -> 0/1) as a bitmask subspace."""
        return bits_of(self.index, clamps)

    def _clamps_dict(self, clamps: BitSpace) -> dict[str, int]:
        mask, vals = clamps
        return {self.nodes[i]: (vals >> i) & 1 for i in set_bits(mask)}

    # -- entry points -------------------------------------------------------------------------

    def reach(
        self,
        update: str,
        starts: Sequence[Region],
        clamps: BitSpace,
        targets: Sequence[Region],
        *,
        before: BitSpace | None = None,
        basins_first: bool = False,
        budget: Budget | None = None,
    ) -> list[frozenset[int]]:
        """For each start region, the targets reachable after switching to ``clamps``.

        Parameters
        ----------
        update : {"async", "sync", "mp"}
        starts : sequence of Region
            The attractors of the old scenario (their states as they were before the switch).
        clamps : BitSpace
            The new scenario's clamps (:meth:`clamp_bits`).
        targets : sequence of Region
            Every attractor of the new scenario (for ``mp``: the minimal trap spaces; for
            ``sync`` and ``async`` their states must be listed, except that asynchronous targets
            may leave them out: they are then identified by subspace and size).
        before : BitSpace, optional
            The old scenario's clamps: needed for asynchronous start regions without listed
            states (they are found again among its attractors).
        basins_first : bool
            Asynchronous only: decide with the basins of the targets (computed once and kept)
            instead of the forward set of each start; cheaper when the same targets are asked
            for many starts (a transition matrix).
        budget : Budget, optional

        Returns
        -------
        list of frozenset
            Per start region, the indices of the reachable targets.

        Raises
        ------
        BudgetExceeded
            With a :class:`PartialReach` as ``partial``.
        """
        budget = budget or Budget()
        if len(targets) == 1:
            # every state reaches some attractor: with one attractor there is nothing to compute
            return [frozenset({0}) for _ in starts]
        methods: dict[str, Callable[..., frozenset[int]]] = {
            "async": self._async_one,
            "sync": self._sync_one,
            "mp": self._mp_one,
        }
        method = methods[update]
        done: list[frozenset[int]] = []
        prepared = basins_first if update == "async" else self._prepare(update, clamps, targets)
        for start in starts:
            try:
                done.append(method(start, clamps, targets, prepared, budget, before))
            except BudgetExceeded as e:
                lower = e.partial if isinstance(e.partial, frozenset) else frozenset()
                raise BudgetExceeded(e.what, e.hint, PartialReach(tuple(done), lower)) from None
        return done

    def basins(
        self,
        update: str,
        clamps: BitSpace,
        attractors: Sequence[Region],
        *,
        budget: Budget | None = None,
    ) -> BasinCounts:
        """Weak and strong basin sizes of every attractor of one scenario.

        Parameters
        ----------
        update : {"async", "sync", "mp"}
        clamps : BitSpace
            The scenario's clamps; the state space is every state with them at their values.
        attractors : sequence of Region
            Every attractor of the scenario (as for :meth:`reach`).
        budget : Budget, optional

        Returns
        -------
        BasinCounts

        Raises
        ------
        BudgetExceeded
            The state space is too large for the method (the message names the limit).
        """
        budget = budget or Budget()
        total = 1 << (len(self.nodes) - clamps[0].bit_count())
        if len(attractors) == 1:
            return BasinCounts(total, (total,), (total,))
        if not attractors:
            raise DormnetError("basins: the scenario has no attractor (internal error)")
        counts = {
            "async": self._async_basins,
            "sync": self._sync_basins,
            "mp": self._mp_basins,
        }[update](clamps, attractors, budget)
        weak, strong = counts
        return BasinCounts(total, tuple(weak), tuple(strong))

    def _prepare(self, update: str, clamps: BitSpace, targets: Sequence[Region]) -> Any:
        if update == "sync":
            index: dict[int, int] = {}
            for j, t in enumerate(targets):
                for mask, vals in t.cubes or ():
                    if mask != self.full:
                        raise DormnetError("synchronous targets must list their states")
                    index[vals] = j
            return index
        return None

    # -- asynchronous ---------------------------------------------------------------------

    def _candidates(self, start: Region, clamps: BitSpace, targets: Sequence[Region]) -> list[int]:
        """The targets inside the smallest trap space containing the switched start region: no
        trajectory (asynchronous, synchronous or most permissive) leaves a trap space, so only
        they can be reached (and if only one is, it is reached for sure)."""
        if start.cubes:
            region = enclosing([apply_clamps(c, clamps) for c in start.cubes])
        else:
            region = apply_clamps(start.space, clamps)
        if not TRAP_SPACE_FILTER:
            return list(range(len(targets)))
        on, off = self._primes_under(clamps)
        ts = principal_trap_space(on, off, self.succ, region)
        out = [j for j, t in enumerate(targets) if inside(t.space, ts)]
        if not out:
            raise DormnetError(
                "no attractor lies in the smallest trap space containing a start attractor "
                "(the attractor list is incomplete: internal error)"
            )
        return out

    def _primes_under(self, clamps: BitSpace) -> tuple[list, list]:
        cm, cv = clamps
        on = [
            ([(0, 0)] if (cv >> i) & 1 else []) if (cm >> i) & 1 else self.on[i]
            for i in range(len(self.nodes))
        ]
        off = [
            ([] if (cv >> i) & 1 else [(0, 0)]) if (cm >> i) & 1 else self.off[i]
            for i in range(len(self.nodes))
        ]
        return on, off
