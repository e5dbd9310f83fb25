"""The exact probabilities of the MaBoSS Markov chain, for models with few free nodes.

With ``k`` free nodes (not clamped, not frozen) the chain has ``2^k`` states; its generator is a
sparse matrix with ``k 2^k`` off-diagonal entries, built from the same compiled pieces the sampler
reads (:mod:`dormnet._engines.stochastic`), so the two share one reading of the model.

Continuous time, by uniformisation (Jensen's method): with ``L`` at least the largest exit rate,
``P = I + Q / L`` is a stochastic matrix and ``p(t) = sum_k Pois(k; L t) p(0) P^k``. The time
average over a window of length ``tau``, which is what MaBoSS reports, is the integral
``(1 / (L tau)) sum_k P(N > k) p(a) P^k`` with ``N ~ Pois(L tau)`` (since
``int_0^tau Pois(k; L t) dt = P(N(tau) > k) / L``). The Poisson weights come from scipy.stats and
the products from scipy.sparse. Discrete time (MaBoSS ``discrete_time = 1``): one transition per
time step, chosen in proportion to the rates, so window ``w`` holds ``p(0) D^w`` exactly.

References
----------
Jensen A. Markoff chains as an aid in the study of Markoff processes. Skand Aktuarietidskr
1953;36:87-91. Stewart WJ. Introduction to the Numerical Solution of Markov Chains. Princeton
University Press; 1994 (uniformisation, section 8.5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .stochastic import CompiledModel, windows

__all__ = ["ExactResult", "exact_cost", "solve_exact", "solve_stationary"]


@dataclass
class ExactResult:
    """Window averages of every reported quantity, and the fixed points reached by the end."""

    mean: np.ndarray  # (W, Q)
    fixed: dict[tuple[int, ...], float]  # fixed-point words -> probability at max_time


def _states(model: CompiledModel, clamps: Mapping[str, int], free: Sequence[str]) -> np.ndarray:
    """Every full state with the free nodes enumerated: ``(2^k, nw)`` uint64 words."""
    k = len(free)
    idx = np.arange(1 << k, dtype=np.uint64)
    _, vals = model.masks(clamps)
    X = np.tile(vals, (1 << k, 1))
    for j, name in enumerate(free):
        i = model.index[name]
        X[:, i // 64] |= ((idx >> np.uint64(j)) & np.uint64(1)) << np.uint64(i % 64)
    return X


def _hits(model: CompiledModel, X: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Whether any of cubes ``lo .. hi-1`` holds, per state."""
    out = np.zeros(len(X), dtype=bool)
    for c in range(lo, hi):
        ok = np.ones(len(X), dtype=bool)
        for w in range(model.nw):
            ok &= ((X[:, w] ^ model.cube_val[c, w]) & model.cube_mask[c, w]) == 0
        out |= ok
    return out


def _rates(model: CompiledModel, X: np.ndarray, i: int) -> np.ndarray:
    """The rate at which node ``i`` flips, per state (first matching piece, as the sampler)."""
    on = (X[:, i // 64] >> np.uint64(i % 64)) & np.uint64(1)
    out = np.zeros(len(X))
    for d in (0, 1):
        todo = on == d
        for p in range(model.tr_ptr[2 * i + d], model.tr_ptr[2 * i + d + 1]):
            hit = todo & _hits(model, X, model.piece_ptr[p], model.piece_ptr[p + 1])
            out[hit] = model.piece_rate[p]
            todo &= ~hit
    return out


def _initial(model: CompiledModel, clamps: Mapping[str, int], free: Sequence[str]) -> np.ndarray:
    """The initial distribution over the enumerated states (independent groups multiplied)."""
    pos = {name: j for j, name in enumerate(free)}
    p0 = np.ones(1 << len(free))
    idx = np.arange(1 << len(free))
    for g in range(len(model.grp_ptr) - 1):
        members = [model.nodes[i] for i in model.grp_nodes[model.grp_ptr[g] : model.grp_ptr[g + 1]]]
        free_members = [(j, pos[m]) for j, m in enumerate(members) if m in pos]
        if not free_members:
            continue
        factor = np.zeros(1 << len(free))
        prev = 0.0
        for o in range(model.opt_ptr[g], model.opt_ptr[g + 1]):
            prob = model.opt_cum[o] - prev
            prev = model.opt_cum[o]
            vals = model.opt_vals[model.opt_vptr[o] : model.opt_vptr[o + 1]]
            match = np.ones(len(idx), dtype=bool)
            for j, b in free_members:
                match &= ((idx >> b) & 1) == vals[j]
            factor[match] += prob
        p0 *= factor
    return p0 / p0.sum()


def _chain(model: CompiledModel, clamps: Mapping[str, int]) -> tuple:
    """The chain over the free nodes: states, transitions ``(rows, cols, rates)``, exit rates,
    the indicator matrix of the reported quantities ``(states, quantities)`` and the initial
    distribution."""
    free = [x for x in model.nodes if x not in clamps]
    X = _states(model, clamps, free)
    N = len(X)
    idx = np.arange(N)
    rows, cols, data = [], [], []
    exit_rate = np.zeros(N)
    for j, name in enumerate(free):
        r = _rates(model, X, model.index[name])
        nz = r > 0
        rows.append(idx[nz])
        cols.append(idx[nz] ^ (1 << j))
        data.append(r[nz])
        exit_rate += r
    rows_a = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    cols_a = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    data_a = np.concatenate(data) if data else np.zeros(0)
    n = len(model.nodes)
    Q = len(model.quantities)
    ind = np.zeros((N, Q))
    for i in range(n):
        ind[:, i] = (X[:, i // 64] >> np.uint64(i % 64)) & np.uint64(1)
    for ph in range(Q - n):
        ind[:, n + ph] = _hits(model, X, model.ph_ptr[ph], model.ph_ptr[ph + 1])
    return X, rows_a, cols_a, data_a, exit_rate, ind, _initial(model, clamps, free)


def solve_stationary(
    model: CompiledModel, clamps: Mapping[str, int], *, discrete_time: bool
) -> ExactResult:
    """The long-run distribution from the initial one: ``lim (1/T) int_0^T p(t) dt`` (continuous
    time) or ``lim (1/K) sum_k p_k`` (discrete time), as a single window.

    The chain ends in one of its closed classes (terminal strongly connected components of the
    state graph, from scipy.sparse.csgraph): the probability of ending in each is a linear solve
    over the transient states (``(I - P_TT) h = P_TC 1`` with ``P`` the jump chain), and inside a
    class the chain is distributed as its stationary distribution: ``mu P = mu`` for the jump
    chain, ``mu / exit rate`` (normalised) in continuous time. Fixed points are the classes of one
    state.
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components
    from scipy.sparse.linalg import splu

    X, rows, cols, data, exit_rate, ind, p0 = _chain(model, clamps)
    N = len(X)
    with np.errstate(divide="ignore", invalid="ignore"):
        jump = data / exit_rate[rows]
    P = sp.csr_matrix((jump, (rows, cols)), shape=(N, N))
    ncomp, label = connected_components(P, directed=True, connection="strong")
    leaves = np.zeros(ncomp, dtype=bool)  # components with an edge to another component
    leaves[label[rows][label[rows] != label[cols]]] = True
    closed = [c for c in range(ncomp) if not leaves[c]]
    transient = np.flatnonzero(leaves[label])
    dist = np.zeros(N)
    if len(transient):
        pos = np.full(N, -1)
        pos[transient] = np.arange(len(transient))
        PT = P[transient][:, transient]
        lu = splu(sp.csc_matrix(sp.identity(len(transient)) - PT))
    for c in closed:
        members = np.flatnonzero(label == c)
        weight = p0[members].sum()
        if len(transient):
            into = np.asarray(P[transient][:, members].sum(axis=1)).ravel()
            weight += float(p0[transient] @ lu.solve(into))
        if weight <= 0:
            continue
        if len(members) == 1:
            mu = np.ones(1)
        else:
            from scipy.sparse.linalg import spsolve

            A = (P[members][:, members].T - sp.identity(len(members))).tolil()
            A[len(members) - 1, :] = 1.0  # normalisation replaces one redundant balance equation
            b = np.zeros(len(members))
            b[-1] = 1.0
            mu = np.asarray(spsolve(sp.csc_matrix(A), b)).ravel()
            if not discrete_time:
                mu = mu / exit_rate[members]
                mu /= mu.sum()
        dist[members] += weight * mu
    fixed = {
        tuple(int(x) for x in X[s]): float(dist[s])
        for s in np.flatnonzero((exit_rate == 0) & (dist > 1e-15))
    }
    return ExactResult(np.clip((dist @ ind)[None, :], 0.0, 1.0), fixed)


def exact_cost(
    free: int, max_time: float, time_step: float, max_rate_sum: float, discrete_time: bool
) -> float:
    """A rough count of multiply-adds for :func:`solve_exact`, to decide whether it pays."""
    states = float(1 << free)
    W = max(1, windows(max_time, time_step))
    if discrete_time:
        return states * free * W
    mu = max_rate_sum * time_step
    terms = mu + 6.0 * np.sqrt(mu) + 10.0
    return states * (free + 1) * W * terms


def solve_exact(
    model: CompiledModel,
    clamps: Mapping[str, int],
    *,
    max_time: float,
    time_step: float,
    discrete_time: bool,
) -> ExactResult:
    """Exact window averages of every node and phenotype of ``model`` with ``clamps`` held.

    Every node not in ``clamps`` is enumerated: pass the clamped and frozen nodes (see
    :func:`dormnet.simulate.frozen_nodes`) to keep the chain small.
    """
    import scipy.sparse as sp
    from scipy.stats import poisson

    X, rows_a, cols_a, data_a, exit_rate, ind, p = _chain(model, clamps)
    N, Q = ind.shape
    W = windows(max_time, time_step)
    mean = np.zeros((W, Q))
    absorbing = exit_rate == 0
    if discrete_time:
        # one transition per step, to a neighbour in proportion to its rate
        with np.errstate(divide="ignore", invalid="ignore"):
            prob = data_a / exit_rate[rows_a]
        D = sp.csr_matrix((prob, (cols_a, rows_a)), shape=(N, N)) + sp.diags(
            absorbing.astype(float)
        )
        # MaBoSS looks for a fixed point after each transition made before max_time: the
        # states after k steps for k * time_step < max_time
        last = int(np.ceil(max_time / time_step))
        while last > 0 and last * time_step >= max_time:
            last -= 1
        reached = p
        for step in range(max(W, last + 1)):
            if step < W:
                mean[step] = p @ ind
            if step == last:
                reached = p
            p = D @ p
    else:
        L = float(exit_rate.max())
        if L == 0.0:
            for w in range(W):
                mean[w] = p @ ind
            reached = p
        else:
            L *= 1.0 + 1e-9
            A = sp.csr_matrix((data_a / L, (cols_a, rows_a)), shape=(N, N)) + sp.diags(
                1.0 - exit_rate / L
            )

            def advance(v: np.ndarray, tau: float, integral: bool) -> tuple[np.ndarray, np.ndarray]:
                mu = L * tau
                K = int(poisson.isf(1e-16, mu)) + 3
                ks = np.arange(K + 1)
                pmf = poisson.pmf(ks, mu)
                sf = poisson.sf(ks, mu)
                end = np.zeros_like(v)
                avg = np.zeros_like(v)
                for kk in range(K + 1):
                    end += pmf[kk] * v
                    if integral:
                        avg += sf[kk] * v
                    v = A @ v
                return end, avg / mu

            for w in range(W):
                p_next, avg = advance(p, time_step, True)
                mean[w] = avg @ ind
                p = p_next
            rest = max_time - W * time_step
            if rest > 1e-12 * max_time:
                p, _ = advance(p, rest, False)
            reached = p
    fixed: dict[tuple[int, ...], float] = {}
    for s in np.flatnonzero(absorbing & (reached > 1e-15)):
        fixed[tuple(int(x) for x in X[s])] = float(reached[s])
    return ExactResult(np.clip(mean, 0.0, 1.0), fixed)
