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
strong basin of ``A`` (Klarner et al. 2015).

Three update schemes, all exact, none sampled:

- asynchronous: symbolic forward reachability with biodivine-aeon's BDDs, by saturation
  (variables tried from the bottom of the BDD order up, restarting after each variable that adds
  states) written here so that a time and a BDD-size budget can stop it with what is certain so
  far (:class:`PartialReach`): the attractors whose witness state the forward set already holds;
- most permissive: a minimal trap space (an MP attractor) is reachable from a configuration ``x``
  exactly when it lies in the smallest trap space containing ``x`` (Paulevé et al. 2020; the
  algorithm ``TS(x)`` frees a fixed node whose function can take the other value somewhere in the
  current subcube, until none can). From a region: for each of its configurations when they are
  few (:data:`MP_ENUMERATE`), else symbolically, ``TS(x)`` as BDDs over ``x``;
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
Ciardo G, Marmorstein R, Siminiceanu R. Saturation unbound. TACAS 2003.
DOI:10.1007/3-540-36577-X_27.
Klarner H, Bockmayr A, Siebert H. Computing maximal and minimal trap spaces of Boolean networks.
Nat Comput 2015;14:535-544. DOI:10.1007/s11047-015-9520-7.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import BudgetExceeded, DormnetError
from ..network import BooleanNetwork
from ..perturb import clamp
from .percolation import BitSpace, percolator, set_bits

__all__ = [
    "MAX_SYMBOLIC_SIZE",
    "MP_ENUMERATE",
    "BasinCounts",
    "Budget",
    "PartialReach",
    "Reacher",
    "Region",
    "enclosing",
    "principal_trap_space",
]

#: stop a symbolic set (or a BDD of the most permissive engine) at this many BDD nodes
MAX_SYMBOLIC_SIZE = 5_000_000
#: a most-permissive start region with at most 2^this states is searched state by state
MP_ENUMERATE = 10
#: a synchronous trajectory is followed for at most this many steps
MAX_SYNC_STEPS = 10_000_000
#: the saturation loop checks the target witnesses after every this many additions
WATCH_EVERY = 16
#: first keep only the targets inside the smallest trap space containing the start (bitmask
#: work; on the bundled model it answers all but a handful of the switches); off in tests, to
#: check the symbolic paths on every case
TRAP_SPACE_FILTER = True


@dataclass
class Budget:
    """The limits of one computation: a deadline (``time.monotonic()``), BDD nodes, sync steps.

    Parameters
    ----------
    timeout : float, optional
        Seconds from now.
    max_size : int, optional
        BDD nodes of one symbolic set (default :data:`MAX_SYMBOLIC_SIZE`).
    max_steps : int, optional
        Steps of one synchronous trajectory (default :data:`MAX_SYNC_STEPS`).
    """

    timeout: float | None = None
    max_size: int | None = None
    max_steps: int | None = None
    deadline: float | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.timeout is not None:
            self.deadline = time.monotonic() + self.timeout
        # read the module's limits when the budget is made (so they can be changed at run time)
        self.max_size = MAX_SYMBOLIC_SIZE if self.max_size is None else self.max_size
        self.max_steps = MAX_SYNC_STEPS if self.max_steps is None else self.max_steps

    def left(self) -> float | None:
        """Seconds left (``None``: no deadline), at least 0.1."""
        if self.deadline is None:
            return None
        return max(0.1, self.deadline - time.monotonic())

    def check(self, what: str, size: int = 0, partial: object = None) -> None:
        """Raise :class:`BudgetExceeded` (with ``partial``) if time or size ran out.

        Parameters
        ----------
        what : str
            What was being computed, for the message.
        size : int
            BDD nodes of the set being built.
        partial : object
            What is certain so far.
        """
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise BudgetExceeded(
                f"{what} did not finish within the time budget of {self.timeout:g} s",
                "raise the time budget (--timeout), or fix more inputs",
                partial,
            )
        if self.max_size is not None and size > self.max_size:
            raise BudgetExceeded(
                f"{what} needs a BDD of more than {self.max_size:,} nodes",
                "fix more inputs, or use --update mp",
                partial,
            )


@dataclass(frozen=True)
class Region:
    """A set of states: an attractor as its enclosing subspace, its size and, when listed, its
    states as bitmask cubes over ``net.nodes``.

    Attributes
    ----------
    space : BitSpace
        The smallest subspace holding the states.
    size : int
        The number of states.
    cubes : tuple of BitSpace, or None
        The states (cubes may overlap); ``None`` when they were too many to list.
    """

    space: BitSpace
    size: int
    cubes: tuple[BitSpace, ...] | None = None

    def witness(self) -> int | None:
        """One state of the region (free bits of its first cube at 0), if its states are known."""
        return self.cubes[0][1] if self.cubes else None


@dataclass(frozen=True)
class PartialReach:
    """What is certain when a reachability computation stops at its budget.

    Attributes
    ----------
    done : tuple of frozenset
        The exact answers of the first ``len(done)`` start regions.
    lower : frozenset
        Attractors certainly reachable from the next start region (it may reach more).
    """

    done: tuple[frozenset[int], ...]
    lower: frozenset[int] = frozenset()


@dataclass(frozen=True)
class BasinCounts:
    """Basin sizes of the attractors of one scenario, counted over its state space.

    Attributes
    ----------
    total : int
        States of the scenario (every node not clamped is free).
    weak : tuple of int
        Per attractor, the states from which it is reachable.
    strong : tuple of int
        Per attractor, the states from which it is the only reachable attractor.
    """

    total: int
    weak: tuple[int, ...]
    strong: tuple[int, ...]


def _clamp_bits(index: Mapping[str, int], clamps: Mapping[str, int]) -> BitSpace:
    mask = vals = 0
    for n, v in clamps.items():
        mask |= 1 << index[n]
        if v:
            vals |= 1 << index[n]
    return mask, vals


def _apply(cube: BitSpace, clamps: BitSpace) -> BitSpace:
    """A cube with clamped nodes set to their values (the switch)."""
    cm, cv = clamps
    return cube[0] | cm, (cube[1] & ~cm) | cv


def _inside(small: BitSpace, big: BitSpace) -> bool:
    """Whether subspace ``small`` lies in subspace ``big``."""
    return big[0] & ~small[0] == 0 and (small[1] ^ big[1]) & big[0] == 0


class Reacher:
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
        return _clamp_bits(self.index, clamps)

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

    def graph(self, clamps: BitSpace) -> Any:
        """biodivine-aeon's asynchronous graph of the network under ``clamps`` (kept)."""
        g = self._graphs.get(clamps)
        if g is None:
            import biodivine_aeon as ba

            from .aeon import aeon_network

            g = ba.AsynchronousGraph(aeon_network(clamp(self.net, self._clamps_dict(clamps))))
            self._graphs[clamps] = g
        return g

    def _cube_set(self, g: Any, cubes: Sequence[BitSpace]) -> Any:
        sets = [
            g.mk_subspace({self.nodes[i]: bool((v >> i) & 1) for i in set_bits(m)})
            for m, v in cubes
        ]
        if not sets:
            return g.mk_empty_colored_vertices()
        while len(sets) > 1:  # pairwise, so each union works on sets of similar size
            sets = [
                sets[i].union(sets[i + 1]) if i + 1 < len(sets) else sets[i]
                for i in range(0, len(sets), 2)
            ]
        return sets[0]

    def _async_start(self, start: Region, before: BitSpace | None, clamps: BitSpace, g: Any) -> Any:
        """The start region, switched to ``clamps``, as a symbolic set of ``g``. A region without
        listed states is found again among the attractors of the old scenario (``before``)."""
        if start.cubes is not None:
            return self._cube_set(g, [_apply(c, clamps) for c in start.cubes])
        if before is None:
            raise DormnetError(
                f"an asynchronous start attractor of {start.size:,} states has no listed states "
                "and its scenario's clamps are not given"
            )
        old = self.graph(before)
        bdd = self.attractor_set(before, start).to_bdd()
        ctx, old_ctx = g.symbolic_context(), old.symbolic_context()
        bdd = ctx.transfer_from(bdd, old_ctx)
        names = self._clamps_dict(clamps)
        if names:
            bdd = bdd.r_exists([ctx.find_network_bdd_variable(n) for n in names])
            bdd = bdd.l_and(self._cube_set(g, [clamps]).to_bdd())
        import biodivine_aeon as ba

        return ba.ColoredVertexSet(ctx, bdd)

    def attractor_set(self, clamps: BitSpace, region: Region) -> Any:
        """An attractor of the scenario ``clamps`` as a symbolic set of :meth:`graph`: from its
        listed states, or (when they were too many to list) found again inside its subspace: a
        terminal component there that no transition leaves, with the region's size."""
        g = self.graph(clamps)
        if region.cubes is not None:
            return self._cube_set(g, region.cubes)
        import biodivine_aeon as ba

        sub = self._cube_set(g, [region.space])
        found = [
            a
            for a in ba.Attractors.attractors(g, sub)
            if g.post(a).minus(a).is_empty()
            and int(a.cardinality()) == region.size
            and self._space_of(a) == region.space
        ]
        if len(found) != 1:
            raise DormnetError(
                f"cannot find the attractor of {region.size:,} states again in its subspace "
                f"({len(found)} candidates)"
            )
        return found[0]

    def _candidates(self, start: Region, clamps: BitSpace, targets: Sequence[Region]) -> list[int]:
        """The targets inside the smallest trap space containing the switched start region: no
        trajectory (asynchronous, synchronous or most permissive) leaves a trap space, so only
        they can be reached (and if only one is, it is reached for sure)."""
        if start.cubes:
            region = enclosing([_apply(c, clamps) for c in start.cubes])
        else:
            region = _apply(start.space, clamps)
        if not TRAP_SPACE_FILTER:
            return list(range(len(targets)))
        on, off = self._primes_under(clamps)
        ts = principal_trap_space(on, off, self.succ, region)
        out = [j for j, t in enumerate(targets) if _inside(t.space, ts)]
        if not out:
            raise DormnetError(
                "no attractor lies in the smallest trap space containing a start attractor "
                "(the attractor list is incomplete: internal error)"
            )
        return out

    def _async_one(
        self,
        start: Region,
        clamps: BitSpace,
        targets: Sequence[Region],
        basins_first: bool,
        budget: Budget,
        before: BitSpace | None,
    ) -> frozenset[int]:
        candidates = self._candidates(start, clamps, targets)
        if len(candidates) <= 1:
            return frozenset(candidates)
        g = self.graph(clamps)
        initial = self._async_start(start, before, clamps, g)
        if basins_first:
            found: set[int] = set()
            for j in candidates:
                try:
                    basin = self.weak_basin(clamps, targets[j], budget)
                except BudgetExceeded as e:
                    e.partial = frozenset(found)
                    raise
                if not initial.intersect(basin).is_empty():
                    found.add(j)
            return frozenset(found)
        witnesses = {
            j: self._cube_set(g, [(self.full, w)])
            for j in candidates
            if (w := targets[j].witness()) is not None
        }
        complete = len(witnesses) == len(candidates)

        def hit(current: Any) -> frozenset[int]:
            return frozenset(j for j, w in witnesses.items() if not current.intersect(w).is_empty())

        def watch(current: Any) -> bool:
            return complete and len(hit(current)) == len(candidates)

        fwd = saturate(
            g,
            initial,
            forward=True,
            budget=budget,
            what="asynchronous forward reachability",
            variables=self._active(clamps),
            watch=watch,
            on_budget=hit,
        )
        found = set(hit(fwd))
        if not complete:
            found |= self._unlisted_targets(g, fwd, targets, witnesses)
        return frozenset(found)

    def _active(self, clamps: BitSpace) -> list[Any]:
        """AEON's variables of the nodes not clamped (the clamped ones never change)."""
        g = self.graph(clamps)
        return [
            v
            for v in g.network_variables()
            if not (clamps[0] >> self.index[g.get_network_variable_name(v)]) & 1
        ]

    def weak_basin(self, clamps: BitSpace, target: Region, budget: Budget) -> Any:
        """The states of the scenario ``clamps`` from which the attractor ``target`` is reachable
        (kept: a matrix of switches asks for it once per source scenario).

        Parameters
        ----------
        clamps : BitSpace
        target : Region
            An attractor of the scenario.
        budget : Budget

        Returns
        -------
        biodivine_aeon.ColoredVertexSet
        """
        key = (clamps, target)
        hit = self._basins.get(key)
        if hit is None:
            g = self.graph(clamps)
            hit = saturate(
                g,
                self.attractor_set(clamps, target),
                forward=False,
                within=self._cube_set(g, [clamps]),
                budget=budget,
                what="asynchronous basin",
                variables=self._active(clamps),
            )
            self._basins[key] = hit
        return hit

    def _unlisted_targets(
        self, g: Any, fwd: Any, targets: Sequence[Region], witnesses: Mapping[int, Any]
    ) -> set[int]:
        """Targets without listed states that lie in the forward set: the attractors inside it
        (a forward-closed set), matched by subspace and size."""
        import biodivine_aeon as ba

        out: set[int] = set()
        for a in ba.Attractors.attractors(g, fwd):
            if any(not a.intersect(w).is_empty() for w in witnesses.values()):
                continue
            space = self._space_of(a)
            size = int(a.cardinality())
            match = [
                j
                for j, t in enumerate(targets)
                if j not in witnesses and t.space == space and t.size == size
            ]
            if len(match) != 1:
                raise DormnetError(
                    f"cannot match a reachable attractor of {size} states to the attractors of "
                    f"the scenario ({len(match)} candidates with its subspace and size)"
                )
            out.add(match[0])
        return out

    def _space_of(self, states: Any) -> BitSpace:
        """The enclosing subspace of a symbolic set of states (a ColoredVertexSet)."""
        named = states.vertices().enclosing_named_subspace() or {}
        return _clamp_bits(self.index, {k: int(v) for k, v in named.items()})

    def _async_basins(
        self, clamps: BitSpace, attractors: Sequence[Region], budget: Budget
    ) -> tuple[list[int], list[int]]:
        g = self.graph(clamps)
        weak = [self.weak_basin(clamps, a, budget) for a in attractors]
        strong = [w.minus(_union_all(g, weak[:j] + weak[j + 1 :])) for j, w in enumerate(weak)]
        return [int(w.cardinality()) for w in weak], [int(s.cardinality()) for s in strong]

    # -- synchronous ----------------------------------------------------------------------

    def _step(self, clamps: BitSpace) -> Callable[[int], int]:
        cm, cv = clamps
        rules = [(1 << i, self.on[i]) for i in range(len(self.nodes)) if not (cm >> i) & 1]

        def step(s: int) -> int:
            out = cv
            for bit, on in rules:
                for pm, pv in on:
                    if s & pm == pv:
                        out |= bit
                        break
            return out

        return step

    def _sync_one(
        self,
        start: Region,
        clamps: BitSpace,
        targets: Sequence[Region],
        index: dict[int, int],
        budget: Budget,
        before: BitSpace | None,
    ) -> frozenset[int]:
        step = self._step(clamps)
        found: set[int] = set()
        for mask, vals in start.cubes or ():
            if mask != self.full:
                raise DormnetError("synchronous start attractors must list their states")
            s = _apply((mask, vals), clamps)[1]
            seen: set[int] = set()
            while s not in index:
                if s in seen:
                    raise DormnetError(
                        "a synchronous trajectory cycles outside every attractor given "
                        "(the attractor list is incomplete)"
                    )
                seen.add(s)
                if len(seen) > (budget.max_steps or MAX_SYNC_STEPS):
                    raise BudgetExceeded(
                        f"a synchronous trajectory did not reach an attractor within "
                        f"{budget.max_steps or MAX_SYNC_STEPS:,} steps",
                        "",
                        frozenset(found),
                    )
                if len(seen) % 4096 == 0:
                    budget.check("synchronous simulation", partial=frozenset(found))
                s = step(s)
            found.add(index[s])
        return frozenset(found)

    def _sync_basins(
        self, clamps: BitSpace, attractors: Sequence[Region], budget: Budget
    ) -> tuple[list[int], list[int]]:
        import numpy as np

        from .sync import successor_array

        net = clamp(self.net, self._clamps_dict(clamps))
        free, succ = successor_array(net, self._clamps_dict(clamps))
        k = len(free)
        cols = [self.index[n] for n in free]
        label = np.full(1 << k, -1, dtype=np.int64)
        for j, a in enumerate(attractors):
            for _, vals in a.cubes or ():
                label[sum(1 << c for c, i in enumerate(cols) if (vals >> i) & 1)] = j
        p = succ
        for _ in range(k + 1):  # succ^(2^(k+1)): every state is on its attractor's cycle
            p = p[p]
            budget.check("synchronous basins")
        ends = label[p]
        if (ends < 0).any():
            raise DormnetError("a synchronous cycle is in no attractor given (internal error)")
        counts = np.bincount(ends, minlength=len(attractors)).tolist()
        return counts, counts

    # -- most permissive ------------------------------------------------------------------

    def _mp_one(
        self,
        start: Region,
        clamps: BitSpace,
        targets: Sequence[Region],
        prepared: Any,
        budget: Budget,
        before: BitSpace | None,
    ) -> frozenset[int]:
        candidates = self._candidates(start, clamps, targets)
        if len(candidates) <= 1:
            return frozenset(candidates)
        region = _apply(start.space, clamps)
        free = [i for i in range(len(self.nodes)) if not (region[0] >> i) & 1]
        spaces = [t.space for t in targets]
        if len(free) <= MP_ENUMERATE:
            found: set[int] = set()
            on, off = self._primes_under(clamps)
            for k in range(1 << len(free)):
                x = region[1]
                for j, i in enumerate(free):
                    if (k >> j) & 1:
                        x |= 1 << i
                ts = principal_trap_space(on, off, self.succ, (self.full, x))
                found.update(j for j, sp in enumerate(spaces) if _inside(sp, ts))
                if len(found) == len(spaces):
                    break
            return frozenset(found)
        reach = self._mp_symbolic(clamps, region, spaces, budget)
        return frozenset(j for j, r in enumerate(reach) if not r.is_false())

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

    def _mp_symbolic(
        self, clamps: BitSpace, region: BitSpace, spaces: Sequence[BitSpace], budget: Budget
    ) -> list[Any]:
        """Per target subspace, the BDD over the configurations ``x`` of ``region`` whose smallest
        trap space holds it: ``val[i][v](x)`` says node ``i`` can take ``v`` in ``TS(x)``, the
        least fixpoint of ``val[i][v] = (x_i = v) | OR over primes P of (f_i = v) of AND over
        the literals (m, w) of P of val[m][w]`` (each prime satisfiable in the subcube)."""
        import biodivine_aeon as ba

        n = len(self.nodes)
        vs = ba.BddVariableSet(self.nodes)
        on, off = self._primes_under(clamps)
        rm, rv = region
        true, false = vs.mk_true(), vs.mk_false()

        def literal(i: int, v: int) -> Any:
            if (rm >> i) & 1:
                return true if ((rv >> i) & 1) == v else false
            return vs.mk_literal(self.nodes[i], bool(v))

        val = [[literal(i, 0), literal(i, 1)] for i in range(n)]
        primes_of = [(off[i], on[i]) for i in range(n)]
        order = list(range(n))
        changed = True
        while changed:
            changed = False
            for i in order:
                for v in (0, 1):
                    acc = val[i][v]
                    if acc.is_true():
                        continue
                    for pm, pv in primes_of[i][v]:
                        term = true
                        for m in set_bits(pm):
                            term = term.l_and(val[m][(pv >> m) & 1])
                            if term.is_false():
                                break
                        acc = acc.l_or(term)
                    if acc != val[i][v]:
                        val[i][v] = acc
                        changed = True
                        budget.check("most permissive reachability", acc.node_count())
        out = []
        for tm, tv in spaces:
            r = true
            for i in range(n):
                if (tm >> i) & 1:
                    r = r.l_and(val[i][(tv >> i) & 1])
                else:
                    r = r.l_and(val[i][0]).l_and(val[i][1])
                if r.is_false():
                    break
            out.append(r)
        return out

    def _mp_basins(
        self, clamps: BitSpace, attractors: Sequence[Region], budget: Budget
    ) -> tuple[list[int], list[int]]:
        reach = self._mp_symbolic(clamps, clamps, [a.space for a in attractors], budget)
        scale = 1 << clamps[0].bit_count()  # clamped variables are don't-cares in the BDDs
        weak = [int(r.cardinality()) // scale for r in reach]
        strong = []
        for j, r in enumerate(reach):
            others = [x for k, x in enumerate(reach) if k != j]
            only = r
            for x in others:
                only = only.l_and_not(x)
            strong.append(int(only.cardinality()) // scale)
        return weak, strong


def principal_trap_space(
    on: Sequence[Sequence[BitSpace]],
    off: Sequence[Sequence[BitSpace]],
    succ: Sequence[Sequence[int]],
    space: BitSpace,
) -> BitSpace:
    """The smallest trap space containing a subspace (a state: every node fixed): free each fixed
    node whose function can take the other value somewhere in the current subspace (one of the
    prime implicants of that value agrees with every fixed node it reads), until none can.

    Parameters
    ----------
    on, off : sequences
        Per node, the prime implicants of its function and of the negation as bitmask pairs.
    succ : sequence
        Per node, the nodes whose functions read it.
    space : BitSpace
        The subspace (for a state: the mask of every node, and the state).

    Returns
    -------
    BitSpace

    Examples
    --------
    ``a = b``, ``b = a``: the state 01 frees both nodes; 11 is a trap space itself.

    >>> on, off = [[(0b10, 0b10)], [(0b01, 0b01)]], [[(0b10, 0)], [(0b01, 0)]]
    >>> principal_trap_space(on, off, [[1], [0]], (0b11, 0b10))
    (0, 0)
    >>> principal_trap_space(on, off, [[1], [0]], (0b11, 0b11))
    (3, 3)
    """
    mask, state = space
    stack = [i for i in range(len(on)) if (mask >> i) & 1]
    while stack:
        i = stack.pop()
        if not (mask >> i) & 1:
            continue
        other = off[i] if (state >> i) & 1 else on[i]
        for pm, pv in other:
            if (pm & mask) & (pv ^ state) == 0:
                mask &= ~(1 << i)
                stack.extend(j for j in succ[i] if (mask >> j) & 1)
                break
    return mask, state & mask


def enclosing(cubes: Sequence[BitSpace]) -> BitSpace:
    """The smallest subspace containing every cube.

    >>> enclosing([(0b11, 0b01), (0b11, 0b11)])
    (1, 1)
    """
    mask = -1
    differ = 0
    first = cubes[0][1]
    for m, v in cubes:
        mask &= m
        differ |= (v ^ first) & m
    mask &= ~differ
    return mask, first & mask


def _union_all(g: Any, sets: Sequence[Any]) -> Any:
    out = g.mk_empty_colored_vertices()
    for s in sets:
        out = out.union(s)
    return out


def saturate(
    g: Any,
    initial: Any,
    *,
    forward: bool,
    budget: Budget,
    what: str,
    within: Any = None,
    variables: Sequence[Any] | None = None,
    watch: Callable[[Any], bool] | None = None,
    on_budget: Callable[[Any], object] | None = None,
) -> Any:
    """The states reachable from ``initial`` (forward) or that reach it (backward), by
    saturation: the variables are tried from the bottom of the BDD order up, and the search
    starts again from the bottom after any variable adds states (as biodivine-aeon's own
    ``Reachability``, which has no time budget).

    Parameters
    ----------
    g : biodivine_aeon.AsynchronousGraph
    initial : biodivine_aeon.ColoredVertexSet
    forward : bool
    budget : Budget
    what : str
        For the message when the budget runs out.
    within : ColoredVertexSet, optional
        Stay inside this set (the clamped state space, for backward reachability).
    variables : sequence, optional
        Only these variables change (default: all; clamped ones never do).
    watch : callable, optional
        Called with the current set every :data:`WATCH_EVERY` additions; ``True`` stops early.
    on_budget : callable, optional
        Called with the current set when the budget runs out; its value is the ``partial``.

    Returns
    -------
    ColoredVertexSet
    """
    step = g.var_post_out if forward else g.var_pre_out
    variables = list(reversed(variables if variables is not None else g.network_variables()))
    current = initial
    added = 0
    while True:
        for var in variables:
            new = step(var, current)
            if within is not None:
                new = new.intersect(within)
            if new.is_empty():
                continue
            current = current.union(new)
            added += 1
            try:
                budget.check(what, current.symbolic_size())
            except BudgetExceeded as e:
                if on_budget is not None:
                    e.partial = on_budget(current)
                raise
            if watch is not None and added % WATCH_EVERY == 0 and watch(current):
                return current
            break
        else:
            return current
