"""Gillespie sampling of the MaBoSS continuous-time Markov chain, compiled with numba.

The model is compiled once into arrays: for every node and direction (up while the node is 0,
down while it is 1) a short list of *pieces* ``(rate, cubes)``; the node flips at the rate of the
first piece one of whose cubes (a conjunction of literals, as word bitmasks ``(x ^ val) & mask ==
0``) holds in the current state, and at rate 0 when none does. For a dormnet rule with rates
``u, d`` the up piece is ``(u, on-primes of f)`` and the down piece ``(d, off-primes of f)``; a
MaBoSS rate expression becomes one piece per distinct value it takes (:mod:`dormnet.io.maboss`).

Why numba and not numpy. Trajectories of a jump process are not in lockstep: each has its own
clock and picks its own node, and after a flip only the rates of the flipped node's targets
change. A compiled loop over trajectories keeps each trajectory's rates and re-evaluates only
those targets (a few cube checks per step, where MaBoSS re-evaluates every node's rate expression
at every step); numpy would have to advance all trajectories in lockstep, evaluate every rule
every step and mask the finished ones. The kernel is compiled once per machine (``cache=True``),
not per model: the model is data.

Time windows are those of MaBoSS (``Cumulator``): ``W = int(max_time / time_step)`` windows
``[k dt, (k+1) dt)``; a trajectory contributes to window ``k`` the fraction of it spent in each
state, and a probability is the mean of that fraction over trajectories, with the standard error
of the mean computed from the per-trajectory fractions (MaBoSS's own formula). Here the reported
quantities are the nodes and the phenotypes; each is accumulated only when it changes (the time
it turns on and off), full windows through a difference array, so a step costs O(1) whatever the
number of windows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["CompiledModel", "Scenario", "compile_model", "run_batch", "sum_batches"]

Cube = Mapping[str, int]
Pieces = Sequence[tuple[float, Sequence[Cube]]]

#: MaBoSS's rate for a mutated node leaving its wrong value: DBL_MAX divided by the number of
#: mutated nodes (``Node::makeMutable``), so that the sum of the rates stays finite
DBL_MAX = 1.7976931348623157e308


@dataclass
class CompiledModel:
    """A stochastic model as the arrays the kernel reads (see the module docstring)."""

    nodes: list[str]
    quantities: list[str]  # reported: every node, then every phenotype
    nw: int
    tr_ptr: np.ndarray  # (2n+1,) pieces of node i, direction d: tr_ptr[2i+d] .. tr_ptr[2i+d+1]
    piece_rate: np.ndarray  # (pieces,)
    piece_ptr: np.ndarray  # (pieces+1,) cubes of a piece
    cube_mask: np.ndarray  # (cubes, nw) uint64
    cube_val: np.ndarray  # (cubes, nw) uint64
    dep_ptr: np.ndarray  # (n+1,) nodes whose rates read node j (j included)
    dep_idx: np.ndarray
    ph_ptr: np.ndarray  # (P+1,) cubes of phenotype p (in the same cube arrays)
    phdep_ptr: np.ndarray  # (n+1,) phenotypes that read node j
    phdep_idx: np.ndarray
    grp_ptr: np.ndarray  # (G+1,) nodes of initial-state group g
    grp_nodes: np.ndarray
    opt_ptr: np.ndarray  # (G+1,) options of group g
    opt_cum: np.ndarray  # cumulative probability of each option within its group
    opt_vptr: np.ndarray  # (options+1,) values of an option, one per group node
    opt_vals: np.ndarray
    fair: np.ndarray  # (nw,) nodes that start at 0 or 1 with probability 1/2 (not in the groups)
    index: dict[str, int] = field(default_factory=dict)

    def masks(self, values: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """``(mask, values)`` word arrays of a node -> 0/1 mapping."""
        mask = np.zeros(self.nw, dtype=np.uint64)
        vals = np.zeros(self.nw, dtype=np.uint64)
        for name, v in values.items():
            i = self.index[name]
            bit = np.uint64(1) << np.uint64(i % 64)
            mask[i // 64] |= bit
            if v:
                vals[i // 64] |= bit
        return mask, vals


@dataclass(frozen=True)
class Scenario:
    """One simulated condition: nodes held fixed (never simulated; their initial value is the
    clamp), and nodes mutated the MaBoSS way (they start from the initial distribution and leave
    a wrong value at rate ``DBL_MAX / len(mutations)``)."""

    clamps: Mapping[str, int]
    mutations: Mapping[str, int] = field(default_factory=dict)


def _cube_words(cube: Cube, index: Mapping[str, int], nw: int) -> tuple[list[int], list[int]]:
    mask = [0] * nw
    val = [0] * nw
    for name, v in cube.items():
        i = index[name]
        mask[i // 64] |= 1 << (i % 64)
        if v:
            val[i // 64] |= 1 << (i % 64)
    return mask, val


def compile_model(
    nodes: Sequence[str],
    transitions: Mapping[str, tuple[Pieces, Pieces]],
    phenotypes: Mapping[str, Sequence[Cube]],
    initial: Sequence[tuple[Sequence[str], Sequence[tuple[float, Sequence[int]]]]],
) -> CompiledModel:
    """Compile a model into kernel arrays.

    Parameters
    ----------
    nodes : sequence of str
    transitions : mapping
        Node -> ``(up pieces, down pieces)``, each a list of ``(rate, cubes)``. The up pieces
        are read while the node is 0, the down pieces while it is 1; a node missing here never
        flips.
    phenotypes : mapping
        Name -> cubes (a DNF) of the phenotype rule.
    initial : sequence
        Independent groups ``(nodes, [(probability, values), ...])`` covering every node once.

    Returns
    -------
    CompiledModel
    """
    nodes = list(nodes)
    index = {n: i for i, n in enumerate(nodes)}
    n = len(nodes)
    nw = max(1, (n + 63) // 64)
    masks: list[list[int]] = []
    vals: list[list[int]] = []
    tr_ptr = [0]
    piece_rate: list[float] = []
    piece_ptr = [0]
    readers: list[set[int]] = [{j} for j in range(n)]
    for i, name in enumerate(nodes):
        for pieces in transitions.get(name, ((), ())):
            for rate, cubes in pieces:
                if rate == 0 or not cubes:
                    continue
                if not (rate > 0 and math.isfinite(rate) or rate == DBL_MAX):
                    raise ValueError(f"rate of {name} must be finite and positive, not {rate}")
                for c in cubes:
                    m, v = _cube_words(c, index, nw)
                    masks.append(m)
                    vals.append(v)
                    for x in c:
                        readers[index[x]].add(i)
                piece_rate.append(float(rate))
                piece_ptr.append(len(masks))
            tr_ptr.append(len(piece_rate))
    ph_ptr = [len(masks)]
    ph_readers: list[set[int]] = [set() for _ in range(n)]
    for p, cubes in enumerate(phenotypes.values()):
        for c in cubes:
            m, v = _cube_words(c, index, nw)
            masks.append(m)
            vals.append(v)
            for x in c:
                ph_readers[index[x]].add(p)
        ph_ptr.append(len(masks))

    def csr(lists: list[set[int]]) -> tuple[np.ndarray, np.ndarray]:
        ptr = np.zeros(len(lists) + 1, dtype=np.int64)
        ptr[1:] = np.cumsum([len(x) for x in lists])
        idx = np.array([j for x in lists for j in sorted(x)], dtype=np.int64)
        return ptr, idx

    dep_ptr, dep_idx = csr(readers)
    phdep_ptr, phdep_idx = csr(ph_readers)
    grp_ptr: list[int] = [0]
    grp_nodes: list[int] = []
    opt_ptr: list[int] = [0]
    opt_cum: list[float] = []
    opt_vptr: list[int] = [0]
    opt_vals: list[int] = []
    covered: set[str] = set()
    fair = [0] * nw
    for group_nodes, options in initial:
        if len(group_nodes) == 1 and _is_fair(options):
            i = index[group_nodes[0]]
            fair[i // 64] |= 1 << (i % 64)
            covered.add(group_nodes[0])
            continue
        total = sum(prob for prob, _ in options)
        acc = 0.0
        for prob, values in options:
            acc += prob / total
            opt_cum.append(acc)
            opt_vals.extend(int(v) for v in values)
            opt_vptr.append(len(opt_vals))
        opt_cum[-1] = 1.0  # no rounding gap at the top
        grp_nodes.extend(index[x] for x in group_nodes)
        covered.update(group_nodes)
        grp_ptr.append(len(grp_nodes))
        opt_ptr.append(len(opt_cum))
    missing = [x for x in nodes if x not in covered]
    if missing:
        raise ValueError(f"no initial distribution for {', '.join(missing[:5])}")

    def words(rows: list[list[int]]) -> np.ndarray:
        out = np.zeros((max(1, len(rows)), nw), dtype=np.uint64)
        for r, row in enumerate(rows):
            out[r] = np.array(row, dtype=np.uint64)
        return out

    i64 = lambda x: np.asarray(x, dtype=np.int64)
    return CompiledModel(
        nodes=nodes,
        quantities=nodes + list(phenotypes),
        nw=nw,
        tr_ptr=i64(tr_ptr),
        piece_rate=np.asarray(piece_rate or [0.0], dtype=np.float64),
        piece_ptr=i64(piece_ptr),
        cube_mask=words(masks),
        cube_val=words(vals),
        dep_ptr=dep_ptr,
        dep_idx=dep_idx,
        ph_ptr=i64(ph_ptr),
        phdep_ptr=phdep_ptr,
        phdep_idx=phdep_idx,
        grp_ptr=i64(grp_ptr),
        grp_nodes=i64(grp_nodes),
        opt_ptr=i64(opt_ptr),
        opt_cum=np.asarray(opt_cum, dtype=np.float64),
        opt_vptr=i64(opt_vptr),
        opt_vals=i64(opt_vals),
        fair=np.array(fair, dtype=np.uint64),
        index=index,
    )


def _is_fair(options: Sequence[tuple[float, Sequence[int]]]) -> bool:
    """Whether a one-node distribution is 0 or 1 with probability 1/2 each."""
    p = {tuple(v): float(q) for q, v in options}
    return set(p) == {(0,), (1,)} and p[(0,)] == p[(1,)] > 0


# -- the kernel --------------------------------------------------------------------------------

_KERNEL = None


def _kernel():
    """The numba kernel, compiled on first use (and cached on disk by numba)."""
    global _KERNEL
    if _KERNEL is None:
        from ._stochastic_kernel import simulate_batch

        _KERNEL = simulate_batch
    return _KERNEL


@dataclass
class Batch:
    """Sums over the trajectories of one batch, for every scenario (see :func:`run_batch`)."""

    trajectories: int
    s1: np.ndarray  # (S, Wr, Q) time spent on, in partial windows
    s2: np.ndarray  # (S, Wr, Q) squares of the per-trajectory time in partial windows
    full: np.ndarray  # (S, Wr, Q) count of trajectories on for a whole window
    fixed: list[dict[tuple[int, ...], int]]  # per scenario: fixed-point words -> count
    steps: int

    def merge(self, other: Batch) -> None:
        self.trajectories += other.trajectories
        self.s1 += other.s1
        self.s2 += other.s2
        self.full += other.full
        for mine, theirs in zip(self.fixed, other.fixed):
            for k, c in theirs.items():
                mine[k] = mine.get(k, 0) + c
        self.steps += other.steps


def windows(max_time: float, time_step: float) -> int:
    """MaBoSS's window count, ``int(max_time / time_step)`` (``Cumulator``'s ``max_size``)."""
    return int(max_time / time_step)


def run_batch(
    model: CompiledModel,
    scenarios: Sequence[Scenario],
    trajectories: int,
    *,
    max_time: float,
    time_step: float,
    discrete_time: bool,
    seed: int,
    first_window: int = 0,
    track_nodes: bool = True,
    fixed_points: bool = True,
) -> Batch:
    """Simulate ``trajectories`` trajectories of each scenario; sums for windows from
    ``first_window`` on (a screen keeps only the last), of the nodes and phenotypes or, without
    ``track_nodes``, of the phenotypes only (the node columns stay 0); ``fixed_points=False``
    leaves out counting the fixed points the trajectories ended in (a screen does not report
    them)."""
    S = len(scenarios)
    W = windows(max_time, time_step)
    Wr = W - first_window
    Q = len(model.quantities)
    nw = model.nw
    sc = np.zeros((S, 4, nw), dtype=np.uint64)
    mut_rate = np.zeros(S, dtype=np.float64)
    for s, scen in enumerate(scenarios):
        sc[s, 0], sc[s, 1] = model.masks(scen.clamps)
        sc[s, 2], sc[s, 3] = model.masks(scen.mutations)
        mut_rate[s] = DBL_MAX / max(1, len(scen.mutations))
    s1 = np.zeros((S, Wr, Q), dtype=np.float64)
    s2 = np.zeros((S, Wr, Q), dtype=np.float64)
    diff = np.zeros((S, Wr + 1, Q), dtype=np.int64)
    fp_states = np.zeros((S, trajectories, nw), dtype=np.uint64)
    fp_flag = np.zeros((S, trajectories), dtype=np.bool_)
    steps = _kernel()(
        model.tr_ptr,
        model.piece_rate,
        model.piece_ptr,
        model.cube_mask,
        model.cube_val,
        model.dep_ptr,
        model.dep_idx,
        model.ph_ptr,
        model.phdep_ptr,
        model.phdep_idx,
        model.grp_ptr,
        model.grp_nodes,
        model.opt_ptr,
        model.opt_cum,
        model.opt_vptr,
        model.opt_vals,
        model.fair,
        len(model.nodes),
        sc,
        mut_rate,
        trajectories,
        float(max_time),
        float(time_step),
        W,
        first_window,
        bool(discrete_time),
        int(seed) % (2**32),
        bool(track_nodes),
        s1,
        s2,
        diff,
        fp_states,
        fp_flag,
    )
    full = np.cumsum(diff, axis=1)[:, :Wr, :]
    fixed: list[dict[tuple[int, ...], int]] = []
    for s in range(S):
        if not fixed_points:
            fixed.append({})
            continue
        rows = fp_states[s][fp_flag[s]]
        if len(rows):
            uniq, counts = np.unique(rows, axis=0, return_counts=True)
            fixed.append({tuple(int(x) for x in u): int(c) for u, c in zip(uniq, counts)})
        else:
            fixed.append({})
    return Batch(trajectories, s1, s2, full.astype(np.float64), fixed, int(steps))


def sum_batches(batch: Batch, time_step: float) -> tuple[np.ndarray, np.ndarray]:
    """Means and standard errors ``(S, Wr, Q)`` of the window fractions (MaBoSS's estimator:
    the sample variance of the per-trajectory fractions, over the number of trajectories)."""
    N = batch.trajectories
    t1 = batch.s1 + batch.full * time_step
    t2 = batch.s2 + batch.full * time_step * time_step
    mean = t1 / (N * time_step)
    if N < 2:
        return mean, np.zeros_like(mean)
    var = (t2 / (time_step * time_step) - N * mean * mean) / (N - 1)
    se = np.sqrt(np.clip(var, 0.0, None) / N)
    return np.clip(mean, 0.0, 1.0), se
