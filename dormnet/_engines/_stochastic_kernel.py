"""The numba kernel of :mod:`dormnet._engines.stochastic` (imported only when a simulation runs,
so that ``import dormnet`` does not load numba).

Bits are tested through a table of ``uint64`` powers of two: numba types a shift that mixes
signed and unsigned integers as a float. The evaluation of a node's rate, of a phenotype and the
accumulation of an interval are written out once each inside the kernel rather than as helper
functions: a helper taking the model's arrays costs reference counting on every array at every
call, and measured 15x slower on the bundled model (20 us against 1.4 us per trajectory for the
initial rates), inlined or not.

Random numbers come from xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number
generators", ACM TOMS 2021, DOI:10.1145/3460772), seeded by splitmix64, written inline here:
numba's ``np.random.random()`` costs ~20 ns a call (a lookup of its per-thread state), this ~2 ns.
Every one of its 64 bits is good, so the nodes that start at 0 or 1 with probability 1/2 (MaBoSS's
default, most nodes) take one draw per 64 of them, as a bitmask.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

BITS = np.array([1 << k for k in range(64)], dtype=np.uint64)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2^-53


@nb.njit(cache=True, inline="always")
def _rotl(x, k):
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@nb.njit(cache=True)
def _seed_state(seed):
    """xoshiro256+ state from one integer, by splitmix64 (the seeding its authors advise)."""
    st = np.zeros(4, dtype=np.uint64)
    z = np.uint64(seed)
    for k in range(4):
        z = z + np.uint64(0x9E3779B97F4A7C15)
        y = z
        y = (y ^ (y >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        y = (y ^ (y >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        st[k] = y ^ (y >> np.uint64(31))
    return st


@nb.njit(cache=True, inline="always")
def _next64(st):
    """64 random bits (xoshiro256**)."""
    s0 = st[0]
    s1 = st[1]
    s2 = st[2]
    s3 = st[3]
    r = _rotl(s1 * np.uint64(5), 7) * np.uint64(9)
    t = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    st[0] = s0
    st[1] = s1
    st[2] = s2
    st[3] = s3
    return r


@nb.njit(cache=True, inline="always")
def _uniform(st):
    """A uniform double in [0, 1) (the top 53 of 64 random bits)."""
    return (_next64(st) >> np.uint64(11)) * _TO_UNIT


@nb.njit(cache=True)
def simulate_batch(
    tr_ptr,
    piece_rate,
    piece_ptr,
    cube_mask,
    cube_val,
    dep_ptr,
    dep_idx,
    ph_ptr,
    phdep_ptr,
    phdep_idx,
    grp_ptr,
    grp_nodes,
    opt_ptr,
    opt_cum,
    opt_vptr,
    opt_vals,
    fair,
    n,
    sc,
    mut_rate,
    T,
    max_time,
    tick,
    W,
    first,
    discrete,
    seed,
    track_nodes,
    s1,
    s2,
    diff,
    fp_states,
    fp_flag,
):
    """``T`` trajectories of every scenario; returns the number of transitions made.

    Each loop turn (1) re-evaluates the rates of the nodes that read the node just flipped
    (every node at the start), (2) records which reported quantities turned on or off (the
    flipped node and the phenotypes that read it) and adds the time each one that turned off had
    been on to the windows, (3) draws the time and the node of the next transition.
    """
    rng = _seed_state(seed)
    nw = cube_mask.shape[1]
    P = ph_ptr.shape[0] - 1
    Q = n + P
    G = grp_ptr.shape[0] - 1
    S = sc.shape[0]
    x = np.zeros(nw, dtype=np.uint64)
    rate = np.zeros(n, dtype=np.float64)
    en_list = np.zeros(n, dtype=np.int64)
    en_pos = np.full(n, -1, dtype=np.int64)
    ph_on = np.zeros(P, dtype=np.bool_)
    on_t = np.zeros(Q, dtype=np.float64)
    cur_w = np.full(Q, -1, dtype=np.int64)
    cur_x = np.zeros(Q, dtype=np.float64)
    chg = np.zeros(Q, dtype=np.int64)
    # every node, then the readers of each node (offset n): one array, so that choosing the nodes
    # to re-evaluate never rebinds an array variable (each rebinding costs reference counting)
    work = np.concatenate((np.arange(n, dtype=np.int64), dep_idx))
    ph_work = np.concatenate((np.arange(P, dtype=np.int64), phdep_idx))
    t_end = W * tick
    steps = 0
    for s in range(S):
        for tr in range(T):
            # initial state: one draw per independent group, then the clamps
            for w in range(nw):
                x[w] = _next64(rng) & fair[w]  # the nodes at 1/2: 64 at a time
            for g in range(G):
                u = _uniform(rng)
                o = opt_ptr[g]
                while o < opt_ptr[g + 1] - 1 and u >= opt_cum[o]:
                    o += 1
                base = opt_vptr[o] - grp_ptr[g]
                for j in range(grp_ptr[g], grp_ptr[g + 1]):
                    if opt_vals[base + j] != 0:
                        node = grp_nodes[j]
                        x[node >> 6] |= BITS[node & 63]
            for w in range(nw):
                x[w] = (x[w] & ~sc[s, 0, w]) | (sc[s, 1, w] & sc[s, 0, w])
            for q in range(Q):
                cur_w[q] = -1
                cur_x[q] = 0.0
                on_t[q] = -1.0
            for p in range(P):
                ph_on[p] = False
            n_en = 0
            total = 0.0
            resync = False
            for i in range(n):
                rate[i] = 0.0
            t = 0.0
            k = 0
            j = -1  # the node just flipped; -1 at the start, -2 when closing at t_end
            while True:
                # (1) rates of the nodes that read j
                if j == -1:
                    lo, hi = 0, n
                elif j >= 0:
                    lo, hi = n + dep_ptr[j], n + dep_ptr[j + 1]
                else:
                    lo, hi = 0, 0
                for e in range(lo, hi):
                    i = work[e]
                    wi = i >> 6
                    b = BITS[i & 63]
                    r = 0.0
                    if (sc[s, 0, wi] & b) != 0:  # clamped: never moves
                        r = 0.0
                    elif (sc[s, 2, wi] & b) != 0:  # MaBoSS mutation: leaves a wrong value at once
                        if ((x[wi] & b) != 0) != ((sc[s, 3, wi] & b) != 0):
                            r = mut_rate[s]
                    else:
                        d = 1 if (x[wi] & b) != 0 else 0
                        for pc in range(tr_ptr[2 * i + d], tr_ptr[2 * i + d + 1]):
                            found = False
                            for c in range(piece_ptr[pc], piece_ptr[pc + 1]):
                                ok = True
                                for w in range(nw):
                                    if ((x[w] ^ cube_val[c, w]) & cube_mask[c, w]) != 0:
                                        ok = False
                                        break
                                if ok:
                                    found = True
                                    break
                            if found:
                                r = piece_rate[pc]
                                break
                    if r > 1e100 or rate[i] > 1e100:
                        resync = True  # a MaBoSS mutant's huge rate: differences would cancel
                    total += r - rate[i]
                    rate[i] = r
                    if r > 0.0:
                        if en_pos[i] < 0:
                            en_list[n_en] = i
                            en_pos[i] = n_en
                            n_en += 1
                    elif en_pos[i] >= 0:
                        last = en_list[n_en - 1]
                        en_list[en_pos[i]] = last
                        en_pos[last] = en_pos[i]
                        en_pos[i] = -1
                        n_en -= 1
                # (2) quantities that changed: they turn on now, or were on since on_t
                nchg = 0
                if j == -2:
                    for q in range(Q):
                        if on_t[q] >= 0.0:
                            chg[nchg] = q
                            nchg += 1
                else:
                    if j >= 0:
                        if track_nodes:
                            chg[0] = j
                            nchg = 1
                        lo, hi = P + phdep_ptr[j], P + phdep_ptr[j + 1]
                    else:
                        if track_nodes:
                            for i in range(n):
                                if (x[i >> 6] & BITS[i & 63]) != 0:
                                    chg[nchg] = i
                                    nchg += 1
                        lo, hi = 0, P
                    for e in range(lo, hi):
                        p = ph_work[e]
                        h = False
                        for c in range(ph_ptr[p], ph_ptr[p + 1]):
                            ok = True
                            for w in range(nw):
                                if ((x[w] ^ cube_val[c, w]) & cube_mask[c, w]) != 0:
                                    ok = False
                                    break
                            if ok:
                                h = True
                                break
                        if h != ph_on[p]:
                            ph_on[p] = h
                            chg[nchg] = n + p
                            nchg += 1
                for e in range(nchg):
                    q = chg[e]
                    if j == -2:
                        now_on = False
                        tq = t_end
                    elif q < n:
                        now_on = (x[q >> 6] & BITS[q & 63]) != 0
                        tq = t
                    else:
                        now_on = ph_on[q - n]
                        tq = t
                    if now_on:
                        on_t[q] = tq
                        continue
                    # q was on during [a, b): add it to the windows it covers
                    a = on_t[q]
                    bb = min(tq, t_end)
                    on_t[q] = -1.0
                    if a >= bb:
                        continue
                    w0 = int(a / tick)
                    if w0 * tick > a:
                        w0 -= 1
                    elif (w0 + 1) * tick <= a:
                        w0 += 1
                    w1 = int(bb / tick)
                    if w1 * tick > bb:
                        w1 -= 1
                    elif (w1 + 1) * tick <= bb:
                        w1 += 1
                    if w1 > w0 + 1 and w1 > first:  # whole windows: a difference array
                        lo_w = max(w0 + 1, first)
                        diff[s, lo_w - first, q] += 1
                        diff[s, w1 - first, q] -= 1
                    for part in range(2):
                        if part == 0:
                            wp = w0
                            length = (bb if w1 == w0 else (w0 + 1) * tick) - a
                        else:
                            if w1 == w0 or w1 >= W:
                                break
                            wp = w1
                            length = bb - w1 * tick
                        if wp < first or length <= 0.0:
                            continue
                        if cur_w[q] == wp:
                            cur_x[q] += length
                        else:
                            if cur_w[q] >= 0:
                                kk = cur_w[q] - first
                                s1[s, kk, q] += cur_x[q]
                                s2[s, kk, q] += cur_x[q] * cur_x[q]
                            cur_w[q] = wp
                            cur_x[q] = length
                if j == -2:
                    break
                # (3) the next transition, unless at a fixed point or past max_time; the total
                # rate is kept up to date above and summed afresh every 32 steps (rounding)
                if resync or (k & 31) == 31:
                    resync = False
                    total = 0.0
                    for e in range(n_en):
                        total += rate[en_list[e]]
                if n_en == 0 or total <= 0.0:  # a fixed point: it stays there
                    fp_flag[s, tr] = True
                    for w in range(nw):
                        fp_states[s, tr, w] = x[w]
                    j = -2
                    continue
                if discrete:
                    t_next = (k + 1) * tick
                else:
                    t_next = t - math.log(1.0 - _uniform(rng)) / total
                if t_next >= max_time:
                    j = -2
                    continue
                u = _uniform(rng) * total
                acc = 0.0
                j = en_list[n_en - 1]
                for e in range(n_en):
                    acc += rate[en_list[e]]
                    if u < acc:
                        j = en_list[e]
                        break
                t = t_next
                k += 1
                x[j >> 6] ^= BITS[j & 63]
            steps += k
            for q in range(Q):
                if cur_w[q] >= 0:
                    kk = cur_w[q] - first
                    s1[s, kk, q] += cur_x[q]
                    s2[s, kk, q] += cur_x[q] * cur_x[q]
            for i in range(n):  # leave the enabled list empty for the next trajectory
                en_pos[i] = -1
    return steps
