"""Synchronous and most-permissive reachability (the ``sync`` and ``mp`` parts of
:class:`dormnet._engines.reach.Reacher`).

- synchronous: the deterministic map, followed from each start state until it enters an
  attractor, with prime implicants as bitmasks; basins from the successor map of every state as a
  numpy array (:func:`dormnet._engines.sync.successor_array`);
- most permissive: a minimal trap space (an MP attractor) is reachable from a configuration ``x``
  exactly when it lies in the smallest trap space containing ``x``
  (:func:`~dormnet._engines.regions.principal_trap_space`). From a region with at most
  2^:data:`MP_ENUMERATE` configurations, configuration by configuration; otherwise, and for
  basins, symbolically: ``val[i][v](x)``, "node ``i`` can take ``v`` in the smallest trap space
  containing ``x``", is the least fixpoint of ``val[i][v] = (x_i = v) | OR over the prime
  implicants P of (f_i = v) of AND over the literals (m, w) of P of val[m][w]``, as BDDs over
  ``x`` (biodivine-aeon's ``Bdd``).

References
----------
Paulevé L, Kolčák J, Chatain T, Haar S. Reconciling qualitative, abstract, and scalable modeling
of biological networks. Nat Commun 2020;11:4256. DOI:10.1038/s41467-020-18112-5.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..errors import BudgetExceeded, DormnetError
from ..network import BooleanNetwork
from ..perturb import clamp
from .percolation import BitSpace, set_bits
from .regions import MAX_SYNC_STEPS, Budget, Region, apply_clamps, inside, principal_trap_space

__all__ = ["MP_ENUMERATE", "ExplicitReach"]

#: a most-permissive start region with at most 2^this states is searched state by state
MP_ENUMERATE = 10


class ExplicitReach:
    """The synchronous and most-permissive methods of :class:`~dormnet._engines.reach.Reacher`
    (a mixin: the attributes below are set by its constructor)."""

    net: BooleanNetwork
    nodes: list[str]
    index: dict[str, int]
    full: int
    on: list[list[BitSpace]]
    succ: list[list[int]]
    _clamps_dict: Callable[[BitSpace], dict[str, int]]
    _candidates: Callable[[Region, BitSpace, Sequence[Region]], list[int]]
    _primes_under: Callable[[BitSpace], tuple[list, list]]

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
            s = apply_clamps((mask, vals), clamps)[1]
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
        region = apply_clamps(start.space, clamps)
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
                found.update(j for j, sp in enumerate(spaces) if inside(sp, ts))
                if len(found) == len(spaces):
                    break
            return frozenset(found)
        reach = self._mp_symbolic(clamps, region, spaces, budget)
        return frozenset(j for j, r in enumerate(reach) if not r.is_false())

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
