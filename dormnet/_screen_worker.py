"""The worker side of a screen (:mod:`dormnet.screen`): one solver and phenotype classifier per
network, reused for every chunk of interventions a process is given.

Everything a worker receives is plain picklable data (:class:`Spec`, the BNET text and the rules),
so chunks run alike in forked processes and on a Dask cluster.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, cast

from .io.bnet import parse_bnet
from .phenotypes import attractor_switch, switch_class

__all__ = ["Spec", "Worker", "phenotype_text", "run_chunk", "worker"]

#: what a screen compares of an attractor: its phenotype words, or (a screen without phenotypes)
#: its subspace as a bitmask pair
Label = frozenset[str] | tuple[int, int]
Words = tuple[frozenset[str], ...]


def phenotype_text(words: Sequence[frozenset]) -> str:
    if not words:
        return "none"
    return "|".join(sorted({"+".join(sorted(w)) for w in words}))


@dataclass(frozen=True)
class Spec:
    """Everything a worker needs, as plain picklable data."""

    bnet: str
    phenotypes: tuple[tuple[str, str], ...]  # (word, rule), in bundle order
    contexts: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    mode: str  # "mp", "fixed-points" or "async": what each row compares

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:16]


_WORKERS: dict[str, Any] = {}
#: the values a node takes over attractors, by the bits (0 somewhere, 1 somewhere, free
#: somewhere) of :meth:`Worker.changes`
_TAKEN = ("", "0", "1", "01", "*", "0*", "1*", "01*")
#: batches of at most this many clamp sets are percolated one by one (numpy's sweeps cost more
#: than they save on a handful of columns)
SMALL_BATCH = 8


class Worker:
    """A solver plus phenotype classifier for one network, reused for many chunks."""

    def __init__(self, spec: Spec, net: Any = None):
        from ._engines.screening import ScreenSolver
        from .bdd import BDD
        from .expr import parse_expr, symbols_of

        self.spec = spec
        # the caller's network where it has one (it is ``spec.bnet`` parsed; parsing and prime
        # implicants of a large model again cost more than a small screen)
        self.net = net if net is not None else parse_bnet(spec.bnet)
        self.solver = ScreenSolver(self.net, need_trap_spaces=spec.mode != "fixed-points")
        perc = self.solver.perc
        self.pheno: list[tuple[str, list[tuple[int, int]]]] = []
        for word, rule in spec.phenotypes:
            expr = parse_expr(rule)
            m = BDD(symbols_of(expr))
            self.pheno.append((word, [perc.space_of(c) for c in m.primes(m.from_expr(expr))]))
        self.contexts = {name: dict(values) for name, values in spec.contexts}
        self._words: dict[tuple[int, int], frozenset] = {}
        self._async: dict[tuple[int, int], tuple[Label, ...]] = {}
        self._singles: dict[tuple[str, tuple], tuple[Label, ...]] = {}
        self._values: dict[tuple, tuple[int, int, int]] = {}

    def words(self, space: tuple[int, int]) -> frozenset:
        """Phenotype words that hold on a whole subspace."""
        hit = self._words.get(space)
        if hit is None:
            mask, vals = space
            out = [
                w
                for w, cubes in self.pheno
                if any(pm & ~mask == 0 and (vals ^ pv) & pm == 0 for pm, pv in cubes)
            ]
            hit = frozenset(out or ["undetermined"])
            self._words[space] = hit
        return hit

    def label(self, space: tuple[int, int]) -> Label:
        """What a screen compares of an attractor (given as its subspace): its phenotype words,
        or, for a screen without phenotypes, the subspace itself."""
        return self.words(space) if self.spec.phenotypes else space

    def of_space(self, space: tuple[int, int]) -> tuple[Label, ...]:
        """Phenotype word sets (or, without phenotypes, the subspaces) of the attractors of the
        network clamped to a percolated space."""
        if space[0] == self.solver.perc.full:
            return (self.label(space),)
        fps, mts = self.solver.solve_space(space)
        if self.spec.mode == "fixed-points":
            return tuple(self.label(s) for s in fps)
        if self.spec.mode == "mp":
            return tuple(self.label(s) for s in mts)
        hit = self._async.get(space)
        if hit is None:
            from .attractors import attractors
            from .expr import parse_expr
            from .phenotypes import holds
            from .records import Phenotype

            atts = attractors(self.net, update="async", clamps=self.solver.perc.to_dict(space))
            if not self.spec.phenotypes:
                # an attractor as the subspace of its constant nodes
                hit = tuple(self.solver.perc.space_of(a.space) for a in atts)
            else:
                phs = [Phenotype(w, r, parse_expr(r)) for w, r in self.spec.phenotypes]
                hit = tuple(
                    frozenset([p.name for p in phs if holds(p, a)] or ["undetermined"])
                    for a in atts
                )
            self._async[space] = hit
        return hit

    def changes(self, before: Sequence[Any], after: Sequence[Any]) -> tuple[str, str, str]:
        """For a screen without phenotypes: the nodes whose values over the attractors differ
        before and after, and on each side the values each of them takes (``A=01,B=1*``: A is
        0 in some attractor and 1 in another, B is 1 in some and not constant in another)."""
        from ._engines.percolation import set_bits

        perc = self.solver.perc
        full = perc.full

        def values(group: Sequence[Any]) -> tuple[int, int, int]:
            # per node, as bits: is 0 somewhere, is 1 somewhere, is not constant somewhere
            zeros = ones = free = 0
            for m, v in group:
                zeros |= m & ~v
                ones |= m & v
                free |= full & ~m
            return zeros, ones, free

        # every row of a screen has the same "before": its values are worked out once
        key = tuple(before)
        was = self._values.get(key)
        if was is None:
            was = self._values[key] = values(before)
        now = values(after)
        diff = (was[0] ^ now[0]) | (was[1] ^ now[1]) | (was[2] ^ now[2])
        changed = list(set_bits(diff))

        def show(group: Sequence[Any], bits: tuple[int, int, int]) -> str:
            if not group:
                return "none"
            zeros, ones, free = bits
            cells = []
            for i in changed:
                code = (zeros >> i) & 1 | ((ones >> i) & 1) << 1 | ((free >> i) & 1) << 2
                cells.append(f"{perc.nodes[i]}={_TAKEN[code]}")
            return ",".join(cells) or "same"

        return ",".join(perc.nodes[i] for i in changed), show(before, was), show(after, now)

    def one_enumeration(self, base: Mapping[str, int], clamp_lists: Sequence[tuple]) -> bool:
        """Whether :meth:`batch` answers these clamp lists, and the network with ``base`` alone,
        from one enumeration (:meth:`ScreenSolver.fixed_points_apart
        <dormnet._engines.screening.ScreenSolver.fixed_points_apart>`): a fixed-point screen of
        single clamps."""
        from ._engines.screening import singles_apart

        return self.spec.mode == "fixed-points" and singles_apart(self.solver, base, clamp_lists)

    def batch(
        self, base: Mapping[str, int], clamp_lists: Sequence[tuple]
    ) -> list[tuple[tuple[Label, ...], str]]:
        """Results for many clamp sets on top of ``base``: (word sets, how answered) each."""
        from ._engines.percolation import batch_percolate, column_spaces

        perc = self.solver.perc
        if not clamp_lists:
            return []
        if self.one_enumeration(base, clamp_lists):
            # one enumeration answers every single clamp and the unperturbed network
            # (ScreenSolver.fixed_points_apart): kept as the "before" of contexts with this base
            own, answers = self.solver.fixed_points_apart(base, [c[0] for c in clamp_lists])
            labels = tuple(self.label(s) for s in own)
            for name, values in self.contexts.items():
                if values == dict(base):
                    self._singles.setdefault((name, ()), labels)
            return [(tuple(self.label(s) for s in fps), "clingo") for fps in answers]
        if len(clamp_lists) <= SMALL_BATCH:
            # a few clamp sets (a context's baseline): bitmask percolation, no numpy sweeps
            spaces = [perc.percolate(perc.space_of({**base, **dict(c)})) for c in clamp_lists]
        else:
            spaces = column_spaces(*batch_percolate(perc, base, clamp_lists))
        out: list[tuple[tuple[Label, ...], str]] = []
        seen: dict[tuple[int, int], tuple[Label, ...]] = {}
        for space in spaces:
            hit = seen.get(space)
            if hit is not None:
                out.append((hit, "shared"))
                continue
            before = self.solver.solver_calls
            hit = self.of_space(space)
            seen[space] = hit
            full = space[0] == perc.full
            how = (
                "percolation"
                if full
                else "clingo"
                if self.solver.solver_calls > before
                else "shared"
            )
            if self.spec.mode == "async" and not full and how != "shared":
                how = "aeon"
            out.append((hit, how))
        return out

    def single(self, context: str, clamps: tuple) -> tuple[Label, ...]:
        """Result of one clamp set in a context (cached; see :meth:`prefetch`)."""
        key = (context, clamps)
        hit = self._singles.get(key)
        if hit is None:
            hit = self.batch(self.contexts[context], [clamps])[0][0]
            self._singles[key] = hit
        return hit

    def prefetch(self, context: str, clamp_sets: Iterable[tuple]) -> None:
        """Compute many clamp sets of a context in one batch, for :meth:`single`."""
        todo = list(dict.fromkeys(c for c in clamp_sets if (context, c) not in self._singles))
        for clamps, (hit, _) in zip(todo, self.batch(self.contexts[context], todo)):
            self._singles[(context, clamps)] = hit


def worker(spec: Spec, net: Any = None) -> Worker:
    key = spec.digest()
    w = _WORKERS.get(key)
    if w is None:
        _WORKERS.clear()
        w = _WORKERS[key] = Worker(spec, net)
    return w


def run_chunk(
    spec: Spec, context: str, items: list[tuple[str, tuple, tuple]], singles: dict[str, tuple]
) -> list[dict]:
    """Rows for one context and a slice of interventions (runs in a worker process)."""
    w = worker(spec)
    base = w.contexts[context]

    def sub_clamps(sub: tuple[str, ...]) -> tuple:
        if len(sub) == 1:
            return singles[sub[0]]
        merged: dict[str, int] = {}
        for p in sub:
            merged.update(dict(singles[p]))
        return tuple(sorted(merged.items()))

    lists = [clamps for _, clamps, _ in items]
    # a fixed-point screen of singles answers the unperturbed network in the same enumeration
    # as the rows (Worker.batch), so the rows come first; otherwise the baseline does (rows
    # that share its subspace then say "shared", in a resumed run as in a whole one)
    results = w.batch(base, lists) if w.one_enumeration(base, lists) else None
    # every strict sub-combination a synergy check may need, in one batch
    subs = {()}
    for _, _, parts in items:
        if len(parts) > 1:
            for k in range(1, len(parts)):
                subs.update(sub_clamps(c) for c in itertools.combinations(parts, k))
    w.prefetch(context, subs)
    before = w.single(context, ())
    before_set = set(before)
    # with phenotypes, the labels are word sets (Worker.label)
    before_text = phenotype_text(cast(Words, before)) if spec.phenotypes else ""
    if results is None:
        results = w.batch(base, lists)
    described: dict[tuple, tuple[frozenset, str, str, str, str]] = {}
    out = []
    for (label, _clamps, parts), (after, how) in zip(items, results):
        d = described.get(after)
        if d is None:
            if spec.phenotypes:
                d = (
                    frozenset(after),
                    before_text,
                    phenotype_text(cast(Words, after)),
                    switch_class(cast(Words, before), cast(Words, after)),
                    "",
                )
            else:
                changed, was, now = w.changes(before, after)
                switch = attractor_switch(before, after)
                d = (frozenset(after), was, now, switch, changed)
            described[after] = d
        after_set, row_before, after_text, switch, changed_nodes = d
        synergy = None
        if len(parts) > 1:
            synergy = after_set != before_set
            for k in range(1, len(parts)):
                if not synergy:
                    break
                for c in itertools.combinations(parts, k):
                    if frozenset(w.single(context, sub_clamps(c))) == after_set:
                        synergy = False
                        break
        out.append(
            {
                "context": context,
                "perturbation": label,
                "size": len(parts),
                "n_before": len(before),
                "before": row_before,
                "n_after": len(after),
                "after": after_text,
                "switch": switch,
                "synergy": synergy,
                "solver": how,
                "changed": changed_nodes,
            }
        )
    return out
