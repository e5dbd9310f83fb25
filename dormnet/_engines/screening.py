"""The fast path of perturbation screens: results shared by every perturbation that percolates
to the same subspace (:mod:`dormnet._engines.percolation`).

Why this is exact. Clamping nodes makes their functions constant; propagating constants
(percolation) gives a subspace P that contains every fixed point and every minimal trap space of
the clamped network, and on P every fixed node's function is constant. Two perturbations that
percolate to the same P therefore have the same dynamics on P, hence the same fixed points and
minimal trap spaces: the result is computed once per distinct P (clingo, grounded once, clamps as
externals) and shared. When P fixes every node, it *is* the unique fixed point and minimal trap
space, and no solver is called at all. A double perturbation whose second clamp is already implied
by the percolation of the first is thereby identical to that single, at no cost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from .._gc import paused_gc
from ..network import BooleanNetwork
from .percolation import BitSpace, batch_percolate, column_spaces, percolator, set_bits

__all__ = ["ScreenSolver", "exact_batch", "singles_apart", "solve_spaces"]

#: split on at most this many free inputs before handing a subspace to clingo
MAX_INPUT_SPLIT = 12
#: input splitting is judged after this many splits ...
SPLIT_TRIAL = 8
#: ... and kept while they need at most this many clingo calls each on average
SPLIT_MAX_CALLS = 4


class ScreenSolver:
    """Fixed points and minimal trap spaces per clamp set, shared by percolated subspace."""

    def __init__(self, net: BooleanNetwork, *, need_trap_spaces: bool = True):
        self.net = net
        self.perc = percolator(net)
        self.asp = self.new_engine()
        self.need_trap_spaces = need_trap_spaces
        self.inputs = [self.perc.index[n] for n in net.inputs]
        self.cache: dict[BitSpace, tuple[tuple[BitSpace, ...], tuple[BitSpace, ...]]] = {}
        self.solver_calls = 0
        self.splits = self.split_calls = 0  # input splits done, clingo calls they needed

    def new_engine(self):
        """A clingo engine for the network as the screens use it: every node clampable, with the
        support constraints that speed up their minimal-trap-space enumerations."""
        from .asp import AspEngine

        return AspEngine(self.net, support=True)

    def solve(
        self, clamps: Mapping[str, int], start: BitSpace | None = None
    ) -> tuple[BitSpace, tuple[BitSpace, ...], tuple[BitSpace, ...]]:
        """``(percolated subspace, fixed points, minimal trap spaces)`` as bitmask spaces."""
        space = self.perc.percolate(self.perc.space_of(clamps), start)
        return (space, *self.solve_space(space))

    def solve_space(self, space: BitSpace) -> tuple[tuple[BitSpace, ...], tuple[BitSpace, ...]]:
        """Fixed points and minimal trap spaces of the network clamped to a percolated subspace.

        Free input nodes are split on first (up to 2^:data:`MAX_INPUT_SPLIT` combinations,
        percolated in one numpy batch): every minimal trap space and fixed point fixes every input,
        so the answer is the union over the input combinations, and most combinations percolate
        to a single state. Only combinations that leave nodes free go to clingo. Where most
        combinations do not percolate (many solver calls of a few models each), one solver call
        with the inputs free is cheaper, and the solver stops splitting (see
        :meth:`_splitting_pays`).
        """
        hit = self.cache.get(space)
        if hit is not None:
            return hit
        if space[0] == self.perc.full:
            hit = ((space,), (space,))
        else:
            free_inputs = [i for i in self.inputs if not (space[0] >> i) & 1]
            if free_inputs and len(free_inputs) <= MAX_INPUT_SPLIT and self._splitting_pays():
                hit = self._split_inputs(space, free_inputs)
            else:
                hit = self._clingo(space)
        self.cache[space] = hit
        return hit

    def _splitting_pays(self) -> bool:
        """Whether input splitting has saved work so far: after :data:`SPLIT_TRIAL` splits, it
        goes on only if they left on average at most :data:`SPLIT_MAX_CALLS` subspaces each for
        clingo. (bbm_231, 7 free inputs: 69 clingo calls of ~5 models per split, 1.6x slower
        than one call of ~640 models per perturbation; bbm_148: splitting 2x faster.)"""
        if self.splits < SPLIT_TRIAL:
            return True
        return self.split_calls <= SPLIT_MAX_CALLS * self.splits

    def _split_inputs(
        self, space: BitSpace, free_inputs: list[int]
    ) -> tuple[tuple[BitSpace, ...], tuple[BitSpace, ...]]:
        base = self.perc.to_dict(space)
        names = [self.perc.nodes[i] for i in free_inputs]
        combos = [
            tuple((n, (k >> j) & 1) for j, n in enumerate(names)) for k in range(1 << len(names))
        ]
        F, V = batch_percolate(self.perc, base, combos)
        self.splits += 1
        fps: list[BitSpace] = []
        mts: list[BitSpace] = []
        for sub in column_spaces(F, V):
            mask = sub[0]
            if mask == self.perc.full:
                fps.append(sub)
                mts.append(sub)
            else:
                self.split_calls += sub not in self.cache
                f, m = self.cache.get(sub) or self._clingo(sub)
                self.cache[sub] = (f, m)
                fps.extend(f)
                mts.extend(m)
        return tuple(sorted(set(fps))), tuple(sorted(set(mts)))

    def single_fixed_points(
        self, base: Mapping[str, int], singles: Sequence[tuple[str, int]]
    ) -> list[tuple[BitSpace, ...]]:
        """The fixed points of the network with ``base`` held and, in turn, each single clamp
        ``(node, value)`` added (on a node ``base`` does not hold), from one enumeration (see
        :meth:`fixed_points_apart`)."""
        return self.fixed_points_apart(base, singles)[1]

    def fixed_points_apart(
        self, base: Mapping[str, int], singles: Sequence[tuple[str, int]]
    ) -> tuple[tuple[BitSpace, ...], list[tuple[BitSpace, ...]]]:
        """The fixed points of the network with ``base`` held, and those with each single clamp
        ``(node, value)`` added in turn (on a node ``base`` does not hold), from one
        enumeration.

        A state x is a fixed point of the network with node i clamped at v exactly when
        x_i = v and every other node equals its function: either x is a fixed point of the
        network itself, or i is the one node where x differs from its function. So clingo lists
        once every state with at most one such node (mode ``fixed1`` of
        :class:`~dormnet._engines.asp.AspEngine`), the functions are evaluated on all of them at
        once (the states are the bits of one Python integer per node; no numpy, whose import
        costs more than a small screen), and the states are dealt out: those with no such node
        are the fixed points with ``base`` alone (the screen's "before"), the others go to the
        clamp of their one node. For a screen of n nodes this is one search instead of 2n + 1,
        with no per-search set-up (bbm_151: 266 clamps, 1,814 states). Each answer is sorted,
        as :meth:`solve_space` sorts.

        Returns
        -------
        (tuple of BitSpace, list of tuple of BitSpace)
            The fixed points with ``base`` held, and per single clamp its fixed points.
        """
        perc = self.perc
        index = perc.index
        held = 0
        for x in base:
            held |= 1 << index[x]
        for node, _ in singles:
            if (held >> index[node]) & 1:
                raise ValueError(f"{node} is held by the base clamps")
        self.solver_calls += 1
        count, X, rows = self.asp.solve_states("fixed1", dict(base))
        every = (1 << count) - 1
        off: dict[int, int] = {}  # node -> the states where it differs from its function
        anywhere = 0
        for i in range(len(perc.nodes)):
            if (held >> i) & 1:
                continue
            on = 0
            for pm, pv in perc.on[i]:
                term = every
                for j in set_bits(pm):
                    term &= X[j] if (pv >> j) & 1 else every ^ X[j]
                on |= term
            diff = on ^ X[i]
            if diff:
                off[i] = diff
                anywhere |= diff
        own = every & ~anywhere
        full = perc.full

        # the states dealt out once: the network's own fixed points (sorted), and per node
        # those where it alone is off its function
        mine = sorted(rows[m] for m in _ones(own))
        alone = {i: [rows[m] for m in _ones(d)] for i, d in off.items()}
        out = []
        for node, value in singles:
            i = index[node]
            keep = [v for v in mine if (v >> i) & 1 == value]
            keep += [v for v in alone.get(i, ()) if (v >> i) & 1 == value]
            out.append(tuple((full, v) for v in sorted(keep)))
        return tuple((full, v) for v in mine), out

    def _clingo(self, space: BitSpace) -> tuple[tuple[BitSpace, ...], tuple[BitSpace, ...]]:
        # the percolated subspace goes to clingo as its (fixed, values) bitmasks
        self.solver_calls += 1
        if self.need_trap_spaces:
            # every fixed point is a minimal trap space: one solver call gives both
            mts = tuple(self.asp.solve_masks("min", space))
            fps = tuple(s for s in mts if s[0] == self.perc.full)
        else:
            fps = tuple(self.asp.solve_masks("fixed", space))
            mts = ()
        return tuple(sorted(fps)), tuple(sorted(mts))


def _ones(x: int) -> list[int]:
    """The positions of the set bits of ``x``, lowest first. These integers have a bit per
    state (13,238 on bbm_284), and a :func:`set_bits` step costs a pass over the whole integer:
    the binary digits are searched in C instead."""
    digits = format(x, "b")[::-1]
    out = []
    k = digits.find("1")
    while k >= 0:
        out.append(k)
        k = digits.find("1", k + 1)
    return out


_FORKED: dict[int, ScreenSolver] = {}
_REGROUND: set[int] = set()  # in a worker: the solvers whose clingo engine it made anew


def _solve_slice(
    args: tuple[int, int, list[BitSpace]],
) -> tuple[int, list[tuple[tuple[BitSpace, ...], tuple[BitSpace, ...]]]]:
    """In a forked worker: the answers for slice ``j`` of subspaces, as bitmasks (cheap to
    send)."""
    key, j, spaces = args
    solver = _FORKED[key]
    if key not in _REGROUND:
        # a clingo control of its own: grounding takes milliseconds, while searching with the
        # parent's (inherited, copy-on-write) one copies every page the search writes to
        solver.asp = solver.new_engine()
        _REGROUND.add(key)
    return j, [solver.solve_space(s) for s in spaces]


#: fork workers only when the work left is estimated at more than this many seconds (a pool of
#: forked workers costs ~30 ms, and each worker's first touches of the inherited solver more)
PARALLEL_FROM = 0.3
#: subspaces solved here first, to estimate the cost of the rest
PARALLEL_PROBE = 4


def solve_spaces(
    solver: ScreenSolver,
    spaces: Sequence[BitSpace],
    processes: int = 1,
    on_answers: Callable[[Sequence[tuple[tuple[BitSpace, ...], tuple[BitSpace, ...]]]], None]
    | None = None,
) -> None:
    """Solve many percolated subspaces into ``solver.cache``, in up to ``processes`` forked
    workers.

    The workers inherit the solver (nothing is pickled on the way in; each grounds its own
    clingo control, see :func:`_solve_slice`) and send back bitmask answers in slices, as they
    finish; ``on_answers`` (if given) is called
    here with each slice's answers, so that this process can work on them while the workers
    go on. Subspaces already answered, fully fixed or repeated are not sent. A few subspaces are
    solved here first, and workers are forked only if the rest is estimated to take longer than
    :data:`PARALLEL_FROM` seconds. Without ``fork``, or in a daemonic process (a worker of a
    pool), everything runs here.
    """
    import multiprocessing as mp
    import time

    todo = list(
        dict.fromkeys(s for s in spaces if s not in solver.cache and s[0] != solver.perc.full)
    )
    if mp.current_process().daemon or "fork" not in mp.get_all_start_methods():
        processes = 1  # a daemonic process (a pool's worker) may not have children
    if processes > 1:
        start = time.perf_counter()
        probe, todo = todo[:PARALLEL_PROBE], todo[PARALLEL_PROBE:]
        for s in probe:
            solver.solve_space(s)
        left = (time.perf_counter() - start) / max(1, len(probe)) * len(todo)
        processes = max(1, min(processes, len(todo))) if left > PARALLEL_FROM else 1
    if processes <= 1:
        for s in todo:
            solver.solve_space(s)
        return
    key = id(solver)
    _FORKED[key] = solver
    try:
        # interleaved slices (neighbouring perturbations tend to cost alike), several per
        # worker so that answers come back while the workers go on
        k = min(len(todo), 16 * processes)
        slices = [todo[j::k] for j in range(k)]
        with mp.get_context("fork").Pool(processes) as pool:
            for j, ans in pool.imap_unordered(
                _solve_slice, [(key, j, sl) for j, sl in enumerate(slices)]
            ):
                solver.cache.update(zip(slices[j], ans))
                if on_answers is not None:
                    on_answers(ans)
    finally:
        _FORKED.pop(key, None)


def singles_apart(solver: ScreenSolver, base: Mapping[str, int], clamp_lists: Sequence) -> bool:
    """Whether :meth:`ScreenSolver.single_fixed_points` answers these clamp lists: fixed points
    only, each list one clamp, on a node ``base`` does not hold."""
    return (
        not solver.need_trap_spaces
        and len(clamp_lists) > 1
        and all(len(c) == 1 and c[0][0] not in base for c in clamp_lists)
    )


def exact_batch(
    solver: ScreenSolver, base: Mapping[str, int], clamp_lists: Sequence[tuple], processes: int = 1
) -> list[tuple[list[dict[str, int]], list[dict[str, int]]]]:
    """Fixed points and minimal trap spaces (as dicts) for many clamp sets on top of ``base``,
    the way a screen computes them (in ``processes`` forked workers); for tests against a
    from-scratch loop, and for the screen benchmark.

    Perturbations share most of their answers, and every fixed point is also a minimal trap
    space: each distinct subspace becomes one dict, shared by every list it is in (read-only;
    on bbm_231, 239,000 answers are 70,000 distinct subspaces, and copies would take a gigabyte).
    With workers, the dicts are made here while the workers go on.
    """
    dicts: dict[BitSpace, dict[str, int]] = {}
    to_dict = solver.perc.to_dict

    def convert(answers: Sequence[tuple[tuple[BitSpace, ...], tuple[BitSpace, ...]]]) -> None:
        for fps, mts in answers:
            # every fixed point is among the minimal trap spaces, when those are computed
            for s in mts if len(mts) >= len(fps) else (*fps, *mts):
                if s not in dicts:
                    dicts[s] = to_dict(s)

    # hundreds of thousands of new dicts set off the cyclic garbage collector again and again
    # (a quarter of the time on bbm_231); any cyclic garbage made meanwhile is collected later
    with paused_gc():
        if singles_apart(solver, base, clamp_lists):
            # a fixed-point screen of single clamps: one enumeration answers them all
            out: list[tuple[list[dict[str, int]], list[dict[str, int]]]] = []
            for fps in solver.single_fixed_points(base, [c[0] for c in clamp_lists]):
                convert(((fps, ()),))
                out.append(([dicts[s] for s in fps], []))
            return out
        F, V = batch_percolate(solver.perc, base, clamp_lists)
        spaces = column_spaces(F, V)
        if processes > 1:
            solve_spaces(solver, spaces, processes, convert)
        out = []
        for space in spaces:
            answer = solver.solve_space(space)
            convert((answer,))
            fps, mts = answer
            out.append(([dicts[s] for s in fps], [dicts[s] for s in mts]))
        return out
