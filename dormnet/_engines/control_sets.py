"""Sets of control agents as numpy arrays, for the level-by-level search of
:mod:`.control_search`: which agents can share a set, the sets of the next level joined from the
survivors of the level below (Apriori fashion), their percolated subspaces as boolean matrices,
and the distinct columns of those matrices.

A level's sets are the rows of an integer array of agent indices, each row ascending; a set's
percolated subspace is a column of two boolean matrices ``(fixed, values)``, one row per node
(:func:`.percolation.percolate_matrices`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from .percolation import BitSpace, Percolator, percolate_matrices

__all__ = ["AgentSets", "unique_columns"]

#: clamps of an agent or a set: (node, value) pairs, sorted
Clamps = tuple[tuple[str, int], ...]


class AgentSets:
    """The agents of a search (anything with ``clamps``: (node, value) pairs) over a network's
    percolator."""

    def __init__(self, perc: Percolator, agents: Sequence[Any]) -> None:
        self.perc = perc
        self.agents = list(agents)
        # agents that clamp one node each: pairs of them clash when they share a node (a
        # conflict or a repeat); agents with several clamps are checked in full
        self.single = all(len(a.clamps) == 1 for a in self.agents)
        self._arrays: tuple[Any, Any] | None = None
        self._compat: Any = None

    def clamps_of(self, combo: Sequence[int]) -> Clamps | None:
        """The merged clamps of a set of agents; ``None`` if two hold one node at different
        values, or a member's clamps are already made by the others (the set then acts exactly
        as the smaller set, so it is never minimal, and neither is any superset)."""
        merged: dict[str, int] = {}
        count: dict[tuple[str, int], int] = defaultdict(int)
        for i in combo:
            for node, value in self.agents[i].clamps:
                if merged.setdefault(node, value) != value:
                    return None
                count[(node, value)] += 1
        for i in combo:
            if all(count[c] > 1 for c in self.agents[i].clamps):
                return None
        return tuple(sorted(merged.items()))

    def arrays(self) -> tuple[Any, Any]:
        """Per agent, its clamped nodes (indices) and values as rows of two arrays, padded to
        the widest agent by repeating its first clamp."""
        if self._arrays is None:
            import numpy as np

            width = max((len(a.clamps) for a in self.agents), default=1)
            nodes = np.zeros((len(self.agents), width), dtype=np.intp)
            values = np.zeros((len(self.agents), width), dtype=bool)
            for i, a in enumerate(self.agents):
                for k in range(width):
                    n, v = a.clamps[min(k, len(a.clamps) - 1)]
                    nodes[i, k] = self.perc.index[n]
                    values[i, k] = bool(v)
            self._arrays = (nodes, values)
        return self._arrays

    def compatible(self):
        """Which pairs of agents can be in one set: they hold no node at different values, and
        neither one's clamps are all among the other's (a fresh copy of a matrix made once:
        every context asks)."""
        import numpy as np

        if self._compat is None:
            A = len(self.agents)
            ok = np.ones((A, A), dtype=bool)
            sets = [dict(a.clamps) for a in self.agents]
            for i in range(A):
                for j in range(i + 1, A):
                    a, b = sets[i], sets[j]
                    clash = any(b.get(n, v) != v for n, v in a.items())
                    covered = a.items() <= b.items() or b.items() <= a.items()
                    if clash or covered:
                        ok[i, j] = ok[j, i] = False
            np.fill_diagonal(ok, False)
            self._compat = ok
        return self._compat.copy()

    def join(self, survivors, compat, chosen, size: int):
        """The sets of the next level: each survivor (a row, ascending) extended by an agent
        after its last member that is compatible with every member (for sets of 2 and 3 that
        is every subset of one size less surviving; from 4 on those subsets are checked too).
        Returns each set's survivor row and new agent."""
        import numpy as np

        A = len(self.agents)
        m = len(survivors)
        if size == 1:
            cand = np.broadcast_to(chosen, (1, A)).copy()
        else:
            cand = np.ones((m, A), dtype=bool)
            for j in range(survivors.shape[1]):
                cand &= compat[survivors[:, j]]
            cand &= np.arange(A)[None, :] > survivors[:, -1:]
        rows, new = np.nonzero(cand)
        if size >= 4 or (size >= 3 and not self.single):
            alive = set(map(tuple, survivors.tolist()))
            keep = []
            for r, c in zip(rows.tolist(), new.tolist()):
                combo = (*survivors[r].tolist(), c)
                keep.append(
                    all(combo[:k] + combo[k + 1 :] in alive for k in range(size - 2))
                    and self.clamps_of(combo) is not None
                )
            mask = np.array(keep, dtype=bool)
            rows, new = rows[mask], new[mask]
        return rows, new

    def percolate(self, base: Mapping[str, int], combos):
        """The percolated subspaces of ``base`` plus each row's agents, as boolean matrices."""
        import numpy as np

        n = len(self.perc.nodes)
        B = len(combos)
        fixed = np.zeros((n, B), dtype=bool)
        vals = np.zeros((n, B), dtype=bool)
        for x, b in base.items():
            i = self.perc.index[x]
            fixed[i, :] = True
            vals[i, :] = bool(b)
        if B:
            cols = np.arange(B)
            nodes, values = self.arrays()
            for j in range(combos.shape[1]):
                for k in range(nodes.shape[1]):
                    idx = nodes[combos[:, j], k]
                    fixed[idx, cols] = True
                    vals[idx, cols] = values[combos[:, j], k]
        return percolate_matrices(self.perc, fixed, vals)


def unique_columns(fixed, vals) -> tuple[list[BitSpace], Any]:
    """The distinct columns of ``(fixed, values)`` matrices as (mask, values) pairs, and each
    column's index among them."""
    import numpy as np

    B = fixed.shape[1]
    if B == 0:
        return [], np.zeros(0, dtype=np.intp)
    fb = np.packbits(fixed, axis=0, bitorder="little")
    vb = np.packbits(vals & fixed, axis=0, bitorder="little")
    both = np.ascontiguousarray(np.concatenate([fb, vb], axis=0).T)
    width = fb.shape[0]
    keys = both.view(np.dtype((np.void, both.shape[1]))).ravel()
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    spaces = [
        (
            int.from_bytes(both[i, :width].tobytes(), "little"),
            int.from_bytes(both[i, width:].tobytes(), "little"),
        )
        for i in first.tolist()
    ]
    return spaces, inverse.ravel()
