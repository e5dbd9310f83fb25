"""The search behind phenotype control: every minimal set of interventions, up to a size, after
which every attractor of the network satisfies a target.

What "works" means (the verdict on one clamp set, :meth:`ControlSearch.verdict`). Clamping
nodes and percolating gives a subspace P that holds every attractor of the clamped network, and
two clamp sets with the same P have the same dynamics on P (:mod:`.screening`); so the verdict
is a function of P, computed once per distinct P and shared, whatever the context or the
intervention. With ``T`` the target, ``T ⊇ S`` meaning "T is true on every state of subspace S"
(some prime implicant of T covers S) and ``T ∩ S = ∅`` meaning "T is false on all of S" (some
prime of ``!T`` covers it):

- ``mp``: works iff T ⊇ M for every minimal trap space M (the most permissive attractors);
- ``fixed-points``: works iff there is at least one fixed point and T holds in each;
- ``async``: works iff T holds in every state of every asynchronous attractor.

The cheap filters, in order, and why each is exact:

1. T ⊇ P: works under every scheme (every attractor lies in P; with ``fixed-points`` only if P
   is a single state, otherwise the fixed points are still counted);
2. T ∩ P = ∅: fails under every scheme (there is an attractor, and it lies in P; with
   ``fixed-points``, no fixed point or a fixed point outside T: fails either way);
3. ``mp`` and ``fixed-points``: the minimal trap spaces of P (clingo, shared per P) decide
   (every fixed point is a minimal trap space);
4. ``async``: where P has at most :data:`.control_verdicts.EXPLICIT_FREE_NODES` free nodes, the
   exact verdict of :mod:`.control_verdicts` directly (cheaper than a solver call). Otherwise the
   minimal trap spaces first, which can only *reject*: every minimal trap space M holds at
   least one asynchronous attractor (M is a trap set, so a terminal strongly connected
   component lies in it), so T ∩ M = ∅ for some M means failure. They cannot *accept*: an
   asynchronous attractor may lie outside every minimal trap space (a "motif-avoidant"
   attractor), and one inside M may miss T where T ⊉ M. So the sets they do not reject get the
   exact verdict: every state of P can reach the largest trap set inside T
   (:mod:`.control_verdicts`).

Where a subspace leaves more than :data:`~.screening.MAX_INPUT_SPLIT` inputs free, it has more
than 2^12 minimal trap spaces (each fixes every input; bbm_217 has 4 x 10^10): they are not
listed, the ``mp`` and ``fixed-points`` verdicts are made on BDDs too (AEON's symbolic minimal
trap spaces and fixed points, :mod:`.control_verdicts`), and ``async`` skips the trap-space
filter.

The search (:meth:`ControlSearch.search`) goes by size, so minimality is by construction: the
sets of size k are joined from the sets of size k - 1 that survive (do not work, clamp no node
twice, have no member whose clamps the others already make), Apriori fashion, so no set with a
working proper subset is ever evaluated. Each level's sets are percolated in one numpy batch
(:func:`.percolation.batch_percolate`), and only the distinct subspaces get a verdict.

In permanent mode under ``mp`` and ``async`` (:mod:`.control_prune`, where each step is proved):
a set is first looked at from each of its subsets of one size less (all known not to work); if
from one of them the newest agent only holds nodes that cannot reach the target in that
subset's percolated network, or nodes that a failing minimal trap space of it already holds at
those values, the set cannot work and gets no verdict (on the last level it is not even
percolated). The others get the verdict of their *canonical space* (the target's upstream part
of the percolated network free, every other node held), which many sets and contexts share:
on the bundled model, the sets of 3 in the ``permissive`` niche need 2,771 solver calls
instead of 85,678.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import boolean

from ..bdd import BDD
from ..errors import BudgetExceeded
from ..expr import symbols_of
from ..network import BooleanNetwork
from .control_prune import MAX_CERTIFICATES, Relevance, doomed_from_views
from .control_sets import AgentSets, unique_columns
from .control_verdicts import EXPLICIT_FREE_NODES, SymbolicVerdicts
from .percolation import BitSpace, batch_percolate, column_spaces
from .screening import MAX_INPUT_SPLIT, ScreenSolver, solve_spaces

__all__ = ["CONTROL_UPDATES", "Agent", "ControlSearch", "LevelStats", "TargetCubes"]

#: the update schemes a control verdict is computed under
CONTROL_UPDATES = ("mp", "async", "fixed-points")

#: prune sets and share verdicts by canonical space (:mod:`.control_prune`) in new searches; the
#: tests switch it off to compare with the plain search
PRUNE = True
#: columns per numpy batch of percolated-graph work (its per-edge arrays are this wide)
CHUNK = 16384

#: clamps of an agent: (node, value) pairs, sorted
Clamps = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Agent:
    """One intervention: a knockout, an overexpression or a drug, as the clamps it applies."""

    label: str
    clamps: Clamps
    kind: str  # "gene" or "drug"


class TargetCubes:
    """A Boolean target as prime implicants of itself and of its negation, as bitmask cubes over
    the network's nodes: whether it holds on a whole subspace, or nowhere on it, is then a few
    integer operations."""

    def __init__(self, index: Mapping[str, int], expr: boolean.Expression) -> None:
        manager = BDD(symbols_of(expr))
        f = manager.from_expr(expr)

        def cubes(u: int) -> list[BitSpace]:
            out = []
            for cube in manager.primes(u):
                mask = vals = 0
                for name, value in cube.items():
                    mask |= 1 << index[name]
                    vals |= value << index[name]
                out.append((mask, vals))
            return out

        self.yes = cubes(f)
        self.no = cubes(manager.neg(f))

    @staticmethod
    def _covered(cubes: list[BitSpace], space: BitSpace) -> bool:
        mask, vals = space
        return any(pm & ~mask == 0 and (vals ^ pv) & pm == 0 for pm, pv in cubes)

    def holds_on(self, space: BitSpace) -> bool:
        """True if the target is true in every state of ``space``."""
        return self._covered(self.yes, space)

    def fails_on(self, space: BitSpace) -> bool:
        """True if the target is false in every state of ``space``."""
        return self._covered(self.no, space)


@dataclass
class LevelStats:
    """What one size level of a search did, for people and benchmarks."""

    size: int
    sets: int = 0  # sets evaluated
    subspaces: int = 0  # distinct subspaces given a verdict (canonical ones, control_prune)
    solved: int = 0  # of which needed a solver (clingo, or the asynchronous engine)
    solutions: int = 0
    unchanged: int = 0  # of the sets, the parent's clamped network again (newest adds nothing)
    pruned: int = 0  # of the sets, proved not to work without a verdict (control_prune)
    seconds: float = 0.0


@dataclass
class ContextResult:
    """The minimal working sets of one context (agent indices, sorted), and the statistics."""

    solutions: list[tuple[int, ...]]
    stats: list[LevelStats] = field(default_factory=list)


class ControlSearch:
    """Verdicts per percolated subspace, and the minimal-set search over agents.

    Parameters
    ----------
    net : BooleanNetwork
    target : boolean.Expression
        Over the network's nodes.
    agents : sequence of Agent
        The interventions the sets are made of.
    deadline : float, optional
        A ``time.monotonic()`` value after which :class:`BudgetExceeded` is raised.
    """

    def __init__(
        self,
        net: BooleanNetwork,
        target: boolean.Expression,
        agents: Sequence[Agent],
        *,
        need_trap_spaces: bool = True,
        deadline: float | None = None,
        temporary: Any = None,
    ) -> None:
        self.net = net
        self.solver = ScreenSolver(net, need_trap_spaces=need_trap_spaces)
        self.perc = self.solver.perc
        self.target = TargetCubes(self.perc.index, target)
        self.agents = list(agents)
        self.deadline = deadline
        self._symbolic: SymbolicVerdicts | None = None
        #: temporary mode: a :class:`.control_temporary.TemporaryVerdicts` (``None``: permanent)
        self.temporary = temporary
        self.verdicts: dict[str, dict[BitSpace, bool]] = {u: {} for u in CONTROL_UPDATES}
        #: the nodes the target reads
        self.reads = sorted(symbols_of(target))
        #: prune sets and share verdicts by canonical space (:mod:`.control_prune`)
        self.prune = PRUNE
        self._input_mask = sum(1 << i for i in self.solver.inputs)
        #: the agents as numpy arrays, and sets of them (:mod:`.control_sets`)
        self.sets = AgentSets(self.perc, self.agents)

    # -- verdicts ----------------------------------------------------------------------------

    def _check_deadline(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise BudgetExceeded(
                "the control search did not finish within its time budget",
                "raise --timeout, lower --max-size, narrow --nodes or --context, "
                "or use --update mp",
            )

    def verdict(self, space: BitSpace, update: str) -> bool:
        """Whether every attractor of the network clamped to the percolated ``space`` satisfies
        the target, under ``update`` (see the module docstring)."""
        cache = self.verdicts[update]
        hit = cache.get(space)
        if hit is None:
            hit = cache[space] = self._verdict(space, update)
        return hit

    def _verdict(self, space: BitSpace, update: str) -> bool:
        target = self.target
        full = space[0] == self.perc.full
        if target.holds_on(space) and (full or update != "fixed-points"):
            return True
        if target.fails_on(space):
            return False
        if update == "async":
            free = self.perc.full & ~space[0]
            if free.bit_count() <= EXPLICIT_FREE_NODES:
                return self._async(space)  # exact, and cheaper than a solver call
            inputs = [i for i in self.solver.inputs if (free >> i) & 1]
            if inputs and len(inputs) <= MAX_INPUT_SPLIT:
                # inputs never change, so the attractors are those of each input combination;
                # most combinations percolate much further, and their verdicts are shared
                bits = [1 << i for i in inputs]
                subs = []
                for k in range(1 << len(bits)):
                    vals = sum(b for j, b in enumerate(bits) if (k >> j) & 1)
                    subs.append(self.perc.percolate((sum(bits), vals), start=space))
                return all(self.verdict(sub, update) for sub in dict.fromkeys(subs))
            self._check_deadline()
        answers = self.answers(space)
        if answers is None:
            # too many to list: decided on BDDs instead
            sym = self.symbolic()
            if update == "fixed-points":
                return sym.fixed_points(space)
            return sym.most_permissive(space) if update == "mp" else sym.asynchronous(space)
        fps, mts = answers
        if update == "fixed-points":
            return bool(fps) and all(target.holds_on(s) for s in fps)
        if update == "mp":
            return all(target.holds_on(s) for s in mts)
        if any(target.fails_on(s) for s in mts):
            return False
        return self._async(space)

    def symbolic(self) -> SymbolicVerdicts:
        """The verdicts that list no attractor (:mod:`.control_verdicts`), made on first use."""
        if self._symbolic is None:
            self._symbolic = SymbolicVerdicts(self.net, self.target.yes)
        return self._symbolic

    def _async(self, space: BitSpace) -> bool:
        return self.symbolic().asynchronous(space)

    def answers(self, space: BitSpace) -> tuple | None:
        """The fixed points and minimal trap spaces of the clamped network (the screen engine,
        which splits on free inputs), or ``None`` where more than
        :data:`~.screening.MAX_INPUT_SPLIT` inputs are free: every minimal trap space fixes
        every input (each input value is a trap space), so there are then more than 2^12 of
        them (bbm_217: 4 x 10^10), too many to list for one verdict."""
        free = self.perc.full & ~space[0]
        if (free & self._input_mask).bit_count() <= MAX_INPUT_SPLIT:
            return self.solver.solve_space(space)
        return None

    def verdicts_of(
        self, spaces: Sequence[BitSpace], update: str, processes: int = 1
    ) -> list[bool]:
        """Verdicts for many percolated subspaces; their minimal trap spaces are solved first,
        in up to ``processes`` forked workers, where the cheap filters do not decide."""
        cache = self.verdicts[update]
        if processes > 1:
            need = [
                s
                for s in dict.fromkeys(spaces)
                if s not in cache
                and s[0] != self.perc.full
                and not self.target.holds_on(s)
                and not self.target.fails_on(s)
                and (self._input_mask & ~s[0]).bit_count() <= MAX_INPUT_SPLIT
            ]
            if need:
                solve_spaces(self.solver, need, processes)
        out = []
        for s in spaces:
            hit = cache.get(s)
            if hit is None:
                self._check_deadline()
                hit = cache[s] = self._verdict(s, update)
            out.append(hit)
        return out

    # -- sets --------------------------------------------------------------------------------

    def clamps_of(self, combo: Sequence[int]) -> Clamps | None:
        """The merged clamps of a set of agents (:meth:`.control_sets.AgentSets.clamps_of`)."""
        return self.sets.clamps_of(combo)

    def spaces_of(self, base: Mapping[str, int], clamp_sets: Sequence[Clamps]) -> list[BitSpace]:
        """The percolated subspaces of many clamp sets on top of ``base``, in one batch."""
        if not clamp_sets:
            return []
        F, V = batch_percolate(self.perc, base, clamp_sets)
        return column_spaces(F, V)

    def works(
        self,
        base: Mapping[str, int],
        combos: Sequence[Sequence[int]],
        update: str,
        processes: int = 1,
    ) -> list[bool]:
        """Whether each set of agents works on top of ``base`` (a set that clamps one node two
        ways does not)."""
        clamps = [self.clamps_of(c) for c in combos]
        valid = [c for c in clamps if c is not None]
        if self.temporary is not None:
            spaces = self.spaces_of(base, valid)
            found = self.temporary.verdicts(base, valid, spaces, update)
        elif valid:
            F, V = batch_percolate(self.perc, base, valid)
            found = self._matrix_verdicts(F, V, update, processes)[0].tolist()
        else:
            found = []
        verdicts = iter(found)
        return [False if c is None else next(verdicts) for c in clamps]

    # -- the search ----------------------------------------------------------------------------

    @property
    def relevance(self) -> Relevance:
        """Percolated graphs and the facts of :mod:`.control_prune`, made on first use."""
        hit = self.__dict__.get("_relevance")
        if hit is None:
            hit = self.__dict__["_relevance"] = Relevance(self.perc, self.reads, self.target.no)
        return hit

    def _shared(self, update: str) -> bool:
        """Whether verdicts go by canonical space and sets are pruned (:mod:`.control_prune`):
        permanent mode, ``mp`` and ``async`` (fixed points do not project onto the upstream
        part)."""
        return self.temporary is None and update in ("mp", "async") and self.prune

    def _matrix_verdicts(self, fixed, vals, update: str, processes: int = 1):
        """Verdicts of the percolated spaces in the columns of ``(fixed, values)``: a boolean
        array, and the number of distinct (canonical, where :meth:`_shared`) spaces."""
        import numpy as np

        if fixed.shape[1] == 0:
            return np.zeros(0, dtype=bool), 0
        if self._shared(update):
            parts = [
                self.relevance.canonical(fixed[:, a : a + CHUNK], vals[:, a : a + CHUNK])
                for a in range(0, fixed.shape[1], CHUNK)
            ]
            fixed = np.concatenate([f for f, _ in parts], axis=1)
            vals = np.concatenate([v for _, v in parts], axis=1)
        spaces, inverse = unique_columns(fixed, vals)
        ok = np.array(self.verdicts_of(spaces, update, processes), dtype=bool)
        return ok[inverse], len(spaces)

    def _certificates(self, fixed, vals, anc, update: str) -> list[list[BitSpace]]:
        """Per column, the failing minimal trap spaces of its canonical space that the solver
        has listed (fact C of :mod:`.control_prune`; none where no solver call was made)."""
        cf, cv = self.relevance.canonical(fixed, vals, anc)
        spaces, inverse = unique_columns(cf, cv)
        target = self.target
        per_space: list[list[BitSpace]] = []
        for sp in spaces:
            if sp[0] == self.perc.full:
                mts: tuple[BitSpace, ...] = (sp,)
            else:
                hit = self.solver.cache.get(sp)
                mts = hit[1] if hit is not None else ()
            if update == "mp":
                bad = [m for m in mts if not target.holds_on(m)]
            else:
                bad = [m for m in mts if target.fails_on(m)]
            per_space.append(bad[:MAX_CERTIFICATES])
        return [per_space[i] for i in inverse.tolist()]

    def _doomed(self, survivors, fixed, vals, combos, rows, new, update: str):
        """Which sets of the level are proved not to work (facts B and C of
        :mod:`.control_prune`), each looked at from every subset of one size less: the
        survivors of the level below (``fixed``, ``vals``: their spaces); ``rows``, ``new``:
        each set's parent row and newest agent."""
        import numpy as np

        rel = self.relevance
        nodes, values = self.sets.arrays()
        m = fixed.shape[1]
        fail = np.empty((m, len(self.agents)), dtype=bool)
        for a in range(0, m, CHUNK):  # bounded memory: per-edge arrays are as wide as a chunk
            F, V = fixed[:, a : a + CHUNK], vals[:, a : a + CHUNK]
            anc = rel.ancestors(F, V)
            certs = self._certificates(F, V, anc, update)
            fail[a : a + CHUNK] = rel.failures(F, V, anc, nodes, values, certs)
        return doomed_from_views(fail, survivors, combos, rows, new)

    def search(
        self,
        base: Mapping[str, int],
        max_size: int,
        update: str,
        pool: Sequence[int] | None = None,
        processes: int = 1,
        progress: Callable[[LevelStats], None] | None = None,
    ) -> ContextResult:
        """Every minimal set of agents (from ``pool``, default all) of size at most
        ``max_size`` that works on top of ``base`` (see the module docstring).

        The sets of a level are numpy arrays of agent indices (one row per set, ascending),
        joined from the survivors of the level below; their percolated subspaces are numpy
        matrices, deduplicated before any verdict. A set whose newest member only clamps nodes
        that percolation of the others already holds at those values is the same clamped
        network as its parent (the same percolated subspace, so the same verdict: it does not
        work), and is not percolated again; it still survives (a later member may change
        those nodes).

        Returns
        -------
        ContextResult
            The solutions as sorted tuples of agent indices, smallest first; ``[()]`` when the
            target already holds without intervention.
        """
        import numpy as np

        A = len(self.agents)
        chosen = np.zeros(A, dtype=bool)
        chosen[list(range(A)) if pool is None else list(pool)] = True
        shared = self._shared(update)
        result = ContextResult([])
        t = time.perf_counter()
        F, V = self.sets.percolate(base, np.zeros((1, 0), dtype=np.intp))
        stats = LevelStats(0, 1, 1)
        if self.temporary is not None:
            first = self.temporary.verdicts(base, [()], unique_columns(F, V)[0], update)[0]
        else:
            first = bool(self._matrix_verdicts(F, V, update, processes)[0][0])
        if first:
            stats.solutions = 1
            result.solutions.append(())
        stats.seconds = time.perf_counter() - t
        result.stats.append(stats)
        if result.solutions:
            return result
        survivors = np.zeros((1, 0), dtype=np.intp)
        compat = self.sets.compatible() & chosen[None, :]
        for size in range(1, max_size + 1):
            self._check_deadline()
            t = time.perf_counter()
            last = size == max_size
            rows, new = self.sets.join(survivors, compat, chosen, size)
            combos = np.concatenate([survivors[rows], new[:, None]], axis=1)
            stats = LevelStats(size, len(combos))
            if not len(combos):
                result.stats.append(stats)
                break
            # the newest member adds nothing where its clamps already hold in the parent's space
            noop = np.ones(len(combos), dtype=bool)
            agent_nodes, agent_values = self.sets.arrays()
            for k in range(agent_nodes.shape[1]):
                nodes, values = agent_nodes[new, k], agent_values[new, k]
                noop &= F[nodes, rows] & (V[nodes, rows] == values)
            if self.temporary is not None:
                # the same clamped network only on the subspace: from outside it the transients
                # differ, unless it is one state that every trajectory reaches
                noop &= F[:, rows].all(axis=0)
            # sets proved not to work without a verdict (:mod:`.control_prune`)
            doomed = np.zeros(len(combos), dtype=bool)
            if shared:
                doomed = self._doomed(survivors, F, V, combos, rows, new, update) & ~noop
            stats.unchanged = int(noop.sum())
            stats.pruned = int(doomed.sum())
            judge = ~noop & ~doomed
            # survivors need their spaces for the next level; on the last level only the
            # judged sets are percolated
            fresh = np.flatnonzero(judge if last else ~noop)
            F2, V2 = self.sets.percolate(base, combos[fresh])
            judged = judge[fresh]
            calls = self.solver.solver_calls
            if self.temporary is not None:
                spaces, inverse = unique_columns(F2, V2)
                stats.subspaces = len(spaces)
                clamp_sets = [self.clamps_of(tuple(c)) for c in combos[fresh].tolist()]
                per_set = [spaces[i] for i in inverse.tolist()]
                ok = np.array(
                    self.temporary.verdicts(base, clamp_sets, per_set, update), dtype=bool
                )
            else:
                ok, stats.subspaces = self._matrix_verdicts(
                    F2[:, judged], V2[:, judged], update, processes
                )
            stats.solved = self.solver.solver_calls - calls
            works = np.zeros(len(combos), dtype=bool)
            works[fresh[judged]] = ok
            for combo in combos[works].tolist():
                result.solutions.append(tuple(combo))
            stats.solutions = int(works.sum())
            stats.seconds = time.perf_counter() - t
            result.stats.append(stats)
            if progress is not None:
                progress(stats)
            if last:
                break
            keep = ~works
            # the survivors' subspaces: the parent's for a no-op, the new one otherwise
            F = F[:, rows]
            V = V[:, rows]
            F[:, fresh] = F2
            V[:, fresh] = V2
            survivors, F, V = combos[keep], F[:, keep], V[:, keep]
            if size == 1:
                # pairs are joined from surviving singles only
                compat &= np.isin(np.arange(A), survivors[:, 0])[None, :]
            elif size == 2:
                alive = np.zeros((A, A), dtype=bool)
                alive[survivors[:, 0], survivors[:, 1]] = True
                compat = alive | alive.T
        return result
