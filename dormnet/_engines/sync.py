"""Synchronous attractors by exhaustive search, vectorised with numpy.

Every state of the free nodes (after constants and clamps are propagated) is mapped to its
successor at once; repeated squaring of the successor map finds the states on cycles, which are
then split into cycles. Exact, and limited by the number of free nodes (:data:`MAX_FREE`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import BudgetExceeded
from ..network import BooleanNetwork
from ..normal_form import primes
from ..spaces import State

__all__ = ["MAX_FREE", "successor_array", "sync_attractors"]

#: 2^24 states (16 million) hold in about 1 GB of work arrays
MAX_FREE = 24


def sync_attractors(
    net: BooleanNetwork,
    fixed: Mapping[str, int],
    *,
    limit: int | None = None,
    max_free: int = MAX_FREE,
) -> list[list[State]]:
    """Cycles of the synchronous map of ``net`` within the subspace ``fixed`` (a trap space)."""
    import numpy as np

    free, succ = successor_array(net, fixed, max_free=max_free)
    col = {n: i for i, n in enumerate(free)}
    k = len(free)
    N = 1 << k
    # states on cycles: the image of succ^(2^m) with 2^m >= N
    p = succ.copy()
    for _ in range(k + 1):
        p = p[p]
    recurrent = np.unique(p)
    seen = np.zeros(N, dtype=bool)
    cycles: list[list[State]] = []
    for r in recurrent.tolist():
        if seen[r]:
            continue
        cyc = []
        x = r
        while not seen[x]:
            seen[x] = True
            cyc.append(x)
            x = int(succ[x])
        # rotate to start at the smallest state, keep cycle order
        j = cyc.index(min(cyc))
        cyc = cyc[j:] + cyc[:j]
        states = []
        for code in cyc:
            s = dict(fixed)
            for n, i in col.items():
                s[n] = (code >> i) & 1
            states.append({n: int(s[n]) for n in net.nodes})
        cycles.append(states)  # type: ignore[arg-type]
        if limit is not None and len(cycles) >= limit:
            break
    return cycles


def successor_array(
    net: BooleanNetwork, fixed: Mapping[str, int], *, max_free: int = MAX_FREE
) -> tuple[list[str], Any]:
    """The synchronous map of ``net`` on every state of the subspace ``fixed`` (a trap space), as a
    numpy array: state ``s`` (bit ``i`` = the ``i``-th free node) goes to ``succ[s]``.

    Parameters
    ----------
    net : BooleanNetwork
    fixed : mapping
        A trap space (for example the clamps of a network whose clamped rules are constants).
    max_free : int
        Refuse more free nodes than this (:class:`BudgetExceeded`).

    Returns
    -------
    (list of str, numpy.ndarray)
        The free nodes, in network order, and the successor of every state.
    """
    import numpy as np

    free = [n for n in net.nodes if n not in fixed]
    k = len(free)
    if k > max_free:
        raise BudgetExceeded(
            f"synchronous dynamics are computed by exhaustive search over at most {max_free} free "
            f"nodes; this network has {k} free nodes after propagating constants and clamps",
            "fix inputs (--context/--set) to shrink the free part, or use --update async or mp",
        )
    col = {n: i for i, n in enumerate(free)}
    N = 1 << k
    idx = np.arange(N, dtype=np.int64)
    bits = [((idx >> i) & 1).astype(bool) for i in range(k)]
    succ = np.zeros(N, dtype=np.int64)
    for n in free:
        on = primes(net, n)[1]
        val = np.zeros(N, dtype=bool)
        for cube in on:
            term = np.ones(N, dtype=bool)
            ok = True
            for x, b in cube.items():
                if x in col:
                    term &= bits[col[x]] if b else ~bits[col[x]]
                elif fixed.get(x) != b:
                    ok = False
                    break
            if ok:
                val |= term
        succ |= val.astype(np.int64) << col[n]
    return free, succ
