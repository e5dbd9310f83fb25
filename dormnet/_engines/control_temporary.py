"""Temporary control: does the effect of an intervention outlast it?

The cell starts in an attractor of the context (those carrying the source phenotype, if one is
given); the intervention is applied (its clamps take hold at once, the state carries over) and
held until the cell settles in an attractor of the treated network; then it is released (the
context's clamps again, the state carries over) and the cell settles in an attractor of the
context. A set *works* when every attractor of the context reachable that way satisfies the
target (there is always at least one). Reachability is the switch engine's
(:class:`dormnet._engines.reach.Reacher`: symbolic for ``async``, the smallest trap space
containing a state for ``mp``), used as :func:`dormnet.switch.reached` uses it for a schedule
``context -> context + intervention -> context``; this module adds what makes a search over
thousands of sets cheap:

- the treated network's percolated subspace P (computed for the whole level in one batch): when
  P is a single state, every trajectory of the treated network ends there whatever the start, so
  the release starts from that state, and two sets with the same P share the answer;
- the context's attractors are classified once (target holds on all of their states, or not);
  a release whose smallest enclosing trap space holds only good attractors works, only bad ones
  fails, without a reachability computation (no trajectory leaves a trap space, and some
  attractor inside it is reached);
- answers are kept per treated clamp set and per released region.

When P is not a single state the treated network's attractors and their reachability from the
start attractors are computed exactly (they depend on the clamps, not only on P: outside P the
transients of two clamp sets with the same P differ).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..network import BooleanNetwork
from .percolation import BitSpace, percolator
from .reach import Budget, Reacher, Region, enclosing, principal_trap_space
from .regions import apply_clamps, bits_of, inside

__all__ = ["TemporaryVerdicts"]


@dataclass
class _Context:
    """A context's attractors as regions, whether each satisfies the target, and the starts."""

    clamps: BitSpace
    regions: list[Region]
    good: list[bool]
    starts: list[Region]


class TemporaryVerdicts:
    """Temporary-control verdicts for one network, target and (optional) source phenotype.

    Parameters
    ----------
    net : BooleanNetwork
    target, source : TargetCubes-like
        Objects with ``holds_on(space)`` and ``fails_on(space)`` (``source`` may be ``None``).
    deadline : float, optional
        ``time.monotonic()`` after which reachability stops with BudgetExceeded.
    """

    def __init__(self, net: BooleanNetwork, target, source=None, deadline=None) -> None:
        self.net = net
        self.perc = percolator(net)
        self.target = target
        self.source = source
        self.deadline = deadline
        self.reacher = Reacher(net)
        self._contexts: dict[tuple, _Context] = {}
        self._released: dict[tuple, bool] = {}
        self._treated: dict[tuple, bool] = {}

    def _budget(self) -> Budget:
        import time

        return Budget(None if self.deadline is None else max(0.1, self.deadline - time.monotonic()))

    # -- regions ---------------------------------------------------------------------------

    def _regions(self, clamps: Mapping[str, int], update: str) -> list[Region]:
        """The attractors of the network with ``clamps`` held, as regions (from the engines
        directly: mp from the minimal trap spaces, async from the asynchronous portfolio)."""
        full = self.perc.full
        ctx = dict(clamps)
        out = []
        if update == "mp":
            from .asp import asp_engine

            n = len(self.perc.nodes)
            for s in asp_engine(self.net, clampable=bool(ctx)).solve("min", ctx):
                space = self.perc.space_of(s)
                # a fixed point is its one state; a larger trap space is not listed
                cubes = ((full, space[1]),) if len(s) == n else None
                out.append(Region(space, 2 ** (n - len(s)), cubes))
            return out
        from .asynchronous import async_attractors

        for found, size, found_cubes in async_attractors(self.net, ctx):
            space = self.perc.space_of(found)
            # None: an asynchronous attractor too large to list
            out.append(Region(space, size, tuple(found_cubes) if found_cubes is not None else None))
        return out

    def _satisfies(self, region: Region, cubes, update: str) -> bool:
        """Whether a phenotype (target or source cubes) holds in every state of a region."""
        if cubes.holds_on(region.space):
            return True
        if region.cubes is not None:
            return all(cubes.holds_on(c) for c in region.cubes)
        if update == "mp" or cubes.fails_on(region.space):
            return False  # a trap space is its whole subspace
        from ..errors import BudgetExceeded

        raise BudgetExceeded(
            "an attractor is too large to list its states, and the phenotype is neither true "
            "nor false on all of its enclosing subspace",
            "use --update mp",
        )

    def context(self, base: Mapping[str, int], update: str) -> _Context:
        """The context's attractors, classified, and its start attractors."""
        key = (tuple(sorted(base.items())), update)
        hit = self._contexts.get(key)
        if hit is None:
            regions = self._regions(base, update)
            good = [self._satisfies(r, self.target, update) for r in regions]
            starts = [
                r for r in regions if self.source is None or self._satisfies(r, self.source, update)
            ]
            hit = _Context(bits_of(self.perc.index, base), regions, good, starts)
            self._contexts[key] = hit
        return hit

    def _primes_under(self, clamps: BitSpace, cache: bool = True) -> tuple[list, list]:
        """Per node, the prime implicants of its function and of the negation with ``clamps``
        held (a clamped node's function is its constant); kept for the contexts' clamps."""
        key = ("primes", clamps)
        # the context cache also keeps these primes, under a ("primes", clamps) key
        hit = self._contexts.get(key) if cache else None
        if hit is None:
            cm, cv = clamps
            on, off = [], []
            for i in range(len(self.perc.nodes)):
                if (cm >> i) & 1:
                    one = (cv >> i) & 1
                    on.append([(0, 0)] if one else [])
                    off.append([] if one else [(0, 0)])
                else:
                    on.append(self.perc.on[i])
                    off.append(self.perc.off[i])
            hit = (on, off)  # type: ignore[assignment]
            if cache:
                self._contexts[key] = hit  # type: ignore[assignment]
        return hit  # type: ignore[return-value]

    # -- verdicts ----------------------------------------------------------------------------

    def verdicts(
        self,
        base: Mapping[str, int],
        clamp_sets: Sequence[tuple[tuple[str, int], ...]],
        spaces: Sequence[BitSpace],
        update: str,
    ) -> list[bool]:
        """Whether each treated clamp set (on top of ``base``, with its percolated subspace in
        ``spaces``) works temporarily in this context."""
        ctx = self.context(base, update)
        if all(ctx.good):
            return [True] * len(clamp_sets)  # whatever is reached after release is good
        if not any(ctx.good):
            return [False] * len(clamp_sets)
        full = self.perc.full
        out = []
        for clamps, space in zip(clamp_sets, spaces):
            if space[0] == full:
                # one fixed point, reached from everywhere: release from it
                out.append(self._release(ctx, Region(space, 1, (space,)), base, update))
                continue
            key = (tuple(sorted(base.items())), update, clamps)
            hit = self._treated.get(key)
            if hit is None:
                hit = self._treated[key] = self._treat(ctx, {**base, **dict(clamps)}, base, update)
            out.append(hit)
        return out

    def _treat(self, ctx: _Context, treated: dict[str, int], base, update: str) -> bool:
        """The treated network's attractors reachable from the starts, each released."""
        clamps = bits_of(self.perc.index, treated)
        bounded = self._bounded(ctx, clamps)
        if bounded is not None:
            return bounded
        mids = self._regions(treated, update)
        if len(mids) == 1:
            reached = [mids[0]]
        else:
            found = self.reacher.reach(
                update, ctx.starts, clamps, mids, before=ctx.clamps, budget=self._budget()
            )
            reached = [mids[j] for j in sorted(frozenset().union(*found))]
        return all(self._release(ctx, r, base, update, before=clamps) for r in reached)

    def _bounded(self, ctx: _Context, clamps: BitSpace) -> bool | None:
        """The verdict from trap spaces alone, or ``None``.

        From a start S (with the treated clamps applied) no trajectory of the treated network
        leaves T1, the treated network's smallest trap space containing S, so every treated
        attractor reached lies in T1; released from any of them, no trajectory of the context
        leaves T2, the context's smallest trap space containing T1 (it contains the smallest
        one containing the attractor). So the context attractors reached lie in T2, and at
        least one is reached: if all of T2's are good the start is, if none is it fails (for
        async and mp alike)."""
        on_t, off_t = self._primes_under(clamps, cache=False)
        on_b, off_b = self._primes_under(ctx.clamps)
        succ = self.perc.succ
        undecided = False
        for start in ctx.starts:
            cubes = start.cubes or (start.space,)
            t1 = principal_trap_space(
                on_t, off_t, succ, enclosing([apply_clamps(c, clamps) for c in cubes])
            )
            t2 = principal_trap_space(on_b, off_b, succ, t1)
            near = [ctx.good[j] for j, r in enumerate(ctx.regions) if inside(r.space, t2)]
            if near and not any(near):
                return False
            if not (near and all(near)):
                undecided = True
        return None if undecided else True

    def _release(
        self,
        ctx: _Context,
        region: Region,
        base: Mapping[str, int],
        update: str,
        before: BitSpace | None = None,
    ) -> bool:
        """Whether every attractor of the context reachable from ``region`` after the release is
        good."""
        key = (tuple(sorted(base.items())), update, region)
        hit = self._released.get(key)
        if hit is not None:
            return hit
        # the context's clamps take hold at once; no trajectory leaves the smallest trap space
        # containing the released region, and an attractor inside it is reached
        cubes = region.cubes or (region.space,)
        start = enclosing([apply_clamps(c, ctx.clamps) for c in cubes])
        on, off = self._primes_under(ctx.clamps)
        ts = principal_trap_space(on, off, self.perc.succ, start)
        near = [j for j, r in enumerate(ctx.regions) if inside(r.space, ts)]
        if near and all(ctx.good[j] for j in near):
            hit = True
        elif near and not any(ctx.good[j] for j in near):
            hit = False
        else:
            (found,) = self.reacher.reach(
                update, [region], ctx.clamps, ctx.regions, before=before, budget=self._budget()
            )
            hit = bool(found) and all(ctx.good[j] for j in found)
        self._released[key] = hit
        return hit
