"""Asynchronous reachability with biodivine-aeon's BDDs (the ``async`` part of
:class:`dormnet._engines.reach.Reacher`).

Sets of states are AEON ``ColoredVertexSet`` s of the asynchronous graph of the network with a
scenario's clamps (constant rules). Reachability is by saturation (:func:`saturate`): the
variables are tried from the bottom of the BDD order up and the search starts again from the
bottom after any variable that adds states, as biodivine-aeon's own ``Reachability`` does, but
written here so that a time and a BDD-size budget can stop it with what is certain so far (the
targets whose witness state the forward set already holds). The clamped variables are left out:
they never change.

References
----------
Ciardo G, Marmorstein R, Siminiceanu R. Saturation unbound. TACAS 2003, LNCS 2619:379-393.
Beneš N, Brim L, Huvar O, Pastva S, Šafránek D. Boolean network sketches. Bioinformatics 2023.
DOI:10.1093/bioinformatics/btad158.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..errors import BudgetExceeded, DormnetError
from ..network import BooleanNetwork
from ..perturb import clamp
from .percolation import BitSpace, set_bits
from .regions import Budget, Region, apply_clamps, bits_of

__all__ = ["WATCH_EVERY", "AsyncReach", "saturate"]

#: the saturation loop checks the target witnesses after every this many additions
WATCH_EVERY = 16


class AsyncReach:
    """The asynchronous methods of :class:`~dormnet._engines.reach.Reacher` (a mixin: the
    attributes below are set by its constructor)."""

    net: BooleanNetwork
    nodes: list[str]
    index: dict[str, int]
    full: int
    _graphs: dict[BitSpace, Any]
    _basins: dict[tuple[BitSpace, Region], Any]
    _clamps_dict: Callable[[BitSpace], dict[str, int]]
    _candidates: Callable[[Region, BitSpace, Sequence[Region]], list[int]]

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
            return self._cube_set(g, [apply_clamps(c, clamps) for c in start.cubes])
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
        return bits_of(self.index, {k: int(v) for k, v in named.items()})

    def _async_basins(
        self, clamps: BitSpace, attractors: Sequence[Region], budget: Budget
    ) -> tuple[list[int], list[int]]:
        g = self.graph(clamps)
        weak = [self.weak_basin(clamps, a, budget) for a in attractors]
        # the states that can reach another attractor, by prefix and suffix unions: 2n unions,
        # not n^2 (a model with hundreds of attractors)
        before = [g.mk_empty_colored_vertices()]
        for w in weak[:-1]:
            before.append(before[-1].union(w))
        after = [g.mk_empty_colored_vertices()]
        for w in reversed(weak[1:]):
            after.append(after[-1].union(w))
        after.reverse()
        strong = [w.minus(before[j].union(after[j])) for j, w in enumerate(weak)]
        return [int(w.cardinality()) for w in weak], [int(s.cardinality()) for s in strong]


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
