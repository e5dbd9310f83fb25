"""What the permanent control search decides without a verdict, and one verdict per *relevant
part* of a percolated subspace (``mp`` and ``async`` only; used by :mod:`.control_search`).

Why. On the bundled model, sets of up to 3 agents in one context (``permissive``: 156 agents,
495,316 valid triples after the superset pruning) percolated to 106,535 distinct subspaces, of
which 85,678 needed a clingo call: 56 CPU seconds for one context of 24. Three facts, each proved
below, cut that to a few thousand verdicts (numbers in ``benchmarks/README.md``).

Notation. N is the network with a set's clamps held, P its percolated subspace; every attractor
and every minimal trap space of N lies in P, and the dynamics there are those of N_P, the free
nodes with the fixed ones substituted (:mod:`.screening`). The *percolated graph* of P has an
edge j -> i when i and j are free and j occurs in a prime implicant of f_i and in one of not f_i
that P's fixed values do not contradict. (f_i restricted to P is the disjunction of its
uncontradicted primes with the fixed literals dropped, and likewise for not f_i: a variable that
f_i restricted to P depends on occurs in both, so the graph holds every real dependency; it may
hold more, which is safe.) U_P is the set of free nodes the target reads and their ancestors in
that graph. T is the target; it reads only nodes of U_P and nodes fixed in P.

**Lemma (projection).** If U is a set of free nodes closed upstream (the function of each node of
U depends on nodes of U and fixed nodes only), the minimal trap spaces of N_P project onto
exactly the minimal trap spaces of its subnetwork on U, and its asynchronous attractors onto
exactly the subnetwork's asynchronous attractors. *Trap spaces*: the projection of a trap space
is one (U's functions read only U); if the projection of a minimal M held a smaller trap space
M' of the subnetwork, M intersected with M' x (anything) would be a smaller trap space of N_P
(an intersection of trap spaces, not empty). Conversely M' x (anything) is a trap space of
N_P; a minimal one inside it projects into M', onto M' by the minimality of M'. *Attractors*:
the projection of an attractor is closed under U's transitions (each is one of N_P) and
strongly connected (paths project onto paths), so it is an attractor of the subnetwork; and for
an attractor B of the subnetwork, B x (anything) is a trap set of N_P, so it holds an attractor,
whose projection is an attractor inside B, hence B. So the ``mp`` and ``async`` verdicts of N
are those of its subnetwork on U_P. (Not so for fixed points: a part outside U may have none.)

**A, canonical spaces.** The verdict of P is the verdict of its *canonical space* C(P): U_P
free, every other node clamped, at P's value where it regulates a node of U_P or is read by T,
at 0 otherwise. The network clamped to C(P) has, on U_P, the same functions with the same
fixed values, and U_P is closed upstream in it, so the lemma gives the same verdict. C(P) is
shared by many sets and by contexts whose inputs differ only where they no longer matter, and
its minimal trap spaces are those of the subnetwork on U_P alone (every other node is fixed),
fewer than P's (``permissive``, sets of 3: 41,357 sets left after B and C, 3,210 canonical
spaces).

**B, irrelevant agents.** Let s be a set that does not work, P its space, and c an agent each of
whose clamps (x, v) is on a node fixed at v in P or on a free node outside U_P. Then s + c
does not work. Clamps of the first kind change nothing (percolation already derives them: the
same P). The others hold nodes outside U_P; clamping only removes edges, so U_P stays closed
upstream, with the same subnetwork on it: the same verdict (lemma). And if T is false on all
of P, s + c does not work for any c that holds no node fixed in P at the other value (its
space lies inside P).

**C, inherited failing trap spaces.** Let M be a minimal trap space of the subnetwork on U_P of a
set s (from C(P)'s minimal trap spaces) that fails T (``mp``: M is not inside T; ``async``: T is
false on all of M), and c an agent each of whose clamps is of a kind of B or on a node of U_P
that M fixes at the clamp's value. Then s + c does not work. After the clamps of B's kinds (no
change on U_P), clamp the nodes of U_P that M fixes at v: M stays a trap space (their functions
become the constant v, M's value), and a trap space M'' inside M of the clamped subnetwork
fixes them at v, where their unclamped functions are v too (M is a trap space), so M'' is a
trap space of the unclamped subnetwork and equals M by minimality. So M is a minimal trap space
of the clamped subnetwork that fails T: ``mp`` fails; ``async``: M holds an attractor of the
clamped subnetwork, disjoint from T, the projection of an attractor of s + c (lemma): fails.

A set of size k is looked at from each of its k subsets of size k - 1 (each a survivor of the
level below, so known not to work): one view that proves it cannot work is enough. This is the
"no solution is dropped" argument the tests check against a brute-force loop over every set.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .percolation import BitSpace, Percolator

__all__ = ["MAX_CERTIFICATES", "Relevance", "cube_cover", "doomed_from_views"]

#: failing minimal trap spaces kept per canonical space for fact C (any subset is sound)
MAX_CERTIFICATES = 16


def cube_cover(cubes: Sequence[BitSpace], fixed, vals):
    """Per column of the ``(fixed, values)`` matrices: whether some cube (a prime implicant as a
    bitmask pair) has every literal fixed and matching there (numpy, one row per node)."""
    import numpy as np

    out = np.zeros(fixed.shape[1], dtype=bool)
    for pm, pv in cubes:
        term = np.ones(fixed.shape[1], dtype=bool)
        j = 0
        m = pm
        while m:
            if m & 1:
                term &= fixed[j] & (vals[j] == bool((pv >> j) & 1))
            m >>= 1
            j += 1
        out |= term
    return out


class Relevance:
    """The percolated graphs of many subspaces at once (numpy columns), and facts A, B and C of
    the module docstring.

    Parameters
    ----------
    perc : Percolator
        The network's percolator (its prime implicants).
    reads : iterable of str
        The nodes the target reads.
    no : sequence of BitSpace
        The prime implicants of the target's negation (where it is false on a whole space).
    """

    def __init__(self, perc: Percolator, reads: Iterable[str], no: Sequence[BitSpace]) -> None:
        self.perc = perc
        self.reads = sorted(perc.index[r] for r in reads)
        self.no = list(no)
        order = perc.sweep_order()
        # targets before their regulators: ancestors travel up a feed-forward part in one pass
        self._upward = list(reversed(order))

    def ancestors(self, fixed, vals):
        """``anc[i, col]``: node i is free in column col's space and is a free node the target
        reads or an ancestor of one in that space's percolated graph (module docstring)."""
        import numpy as np

        n, B = fixed.shape
        free = ~fixed
        ok1 = free | vals  # a literal "j = 1" is not contradicted
        ok0 = free | ~vals
        lits = self.perc.literals()
        edges: list[tuple[int, int, Any]] = []
        for i in self._upward:
            fi = free[i]
            if not fi.any():
                continue
            found = []
            for cubes in lits[i]:
                acc: dict[int, Any] = {}
                for cube in cubes:
                    alive = fi.copy()
                    for j, b in cube:
                        alive &= ok1[j] if b else ok0[j]
                    for j, _ in cube:
                        if j == i:
                            continue
                        hit = acc.get(j)
                        if hit is None:
                            acc[j] = alive.copy()
                        else:
                            hit |= alive
                found.append(acc)
            on, off = found
            for j in on.keys() & off.keys():
                e = on[j] & off[j] & free[j]
                if e.any():
                    edges.append((j, i, e))
        anc = np.zeros((n, B), dtype=bool)
        for r in self.reads:
            anc[r] = free[r]
        changed = True
        while changed:
            changed = False
            for j, i, e in edges:
                add = anc[i] & e
                if (add & ~anc[j]).any():
                    anc[j] |= add
                    changed = True
        return anc

    def canonical(self, fixed, vals, anc=None):
        """The canonical spaces (fact A) of the columns, as ``(fixed, values)`` matrices."""

        if anc is None:
            anc = self.ancestors(fixed, vals)
        keep = anc.copy()
        keep[self.reads] = True
        for j, succ in enumerate(self.perc.succ):
            if succ:
                keep[j] |= anc[succ].any(axis=0)
        return ~anc, vals & fixed & keep & ~anc

    def failures(
        self,
        fixed,
        vals,
        anc,
        nodes,
        values,
        certificates: Sequence[Sequence[BitSpace]] | None = None,
    ):
        """``fail[s, c]``: adding agent c to the set of column s is proved not to work (facts B
        and C). ``fixed``, ``vals``, ``anc`` are the sets' spaces and ancestors (columns; the
        sets must not work); ``nodes[c, k]``, ``values[c, k]`` the agents' clamps (padded by
        repeating one); ``certificates[s]``: failing minimal trap spaces of column s's
        canonical space (fact C)."""
        import numpy as np

        m = fixed.shape[1]
        # where the target is false on the whole space, no node counts as upstream (fact B)
        anc = anc & ~cube_cover(self.no, fixed, vals)[None, :]
        Ft, Vt, At = fixed.T, vals.T, anc.T
        fail = np.ones((m, nodes.shape[0]), dtype=bool)
        parts = []
        for k in range(nodes.shape[1]):
            x, v = nodes[:, k], values[:, k]
            fx = Ft[:, x]
            harmless = (fx & (Vt[:, x] == v[None, :])) | (~fx & ~At[:, x])
            fail &= harmless
            parts.append((x, v, harmless, At[:, x]))
        if not certificates or not any(certificates):
            return fail
        owners, rows = [], []
        for s, certs in enumerate(certificates):
            for c in certs[:MAX_CERTIFICATES]:
                owners.append(s)
                rows.append(c)
        width = (len(self.perc.nodes) + 7) // 8
        Mf = _unpack([r[0] for r in rows], width, len(self.perc.nodes))
        Mv = _unpack([r[1] for r in rows], width, len(self.perc.nodes))
        own = np.asarray(owners, dtype=np.intp)
        agree = np.ones((len(rows), nodes.shape[0]), dtype=bool)
        for x, v, harmless, in_u in parts:
            agree &= harmless[own] | (in_u[own] & Mf[:, x] & (Mv[:, x] == v[None, :]))
        # OR the rows of each owner: the j-th certificate of every set at a time
        first = np.r_[0, np.flatnonzero(np.diff(own)) + 1]
        rank = np.arange(len(own)) - np.repeat(first, np.diff(np.r_[first, len(own)]))
        for j in range(int(rank.max()) + 1):
            sel = rank == j
            fail[own[sel]] |= agree[sel]
        return fail


def doomed_from_views(fail, survivors, combos, rows, new):
    """Which sets of a level are proved not to work, from ``fail[s, c]`` (adding agent c to the
    survivor s of the level below cannot work, :meth:`Relevance.failures`): each set (a row of
    ``combos``, ascending; ``rows``, ``new``: its parent survivor and newest agent) is looked
    at from each of its subsets of one size less that is a survivor. The subsets are found by
    encoding rows as integers in base A (skipped, leaving the parent's view only, where that
    would not fit in 62 bits)."""
    import numpy as np

    doomed = fail[rows, new]
    k = combos.shape[1]
    A = fail.shape[1]
    if k < 2 or A ** (k - 1) >= 1 << 62:
        return doomed
    dims = (A,) * (k - 1)
    codes = np.ravel_multi_index(tuple(survivors.T), dims)
    order = np.argsort(codes)
    ordered = codes[order]
    for j in range(k - 1):  # the set without member j; j = k - 1 is the parent, done above
        sub = np.delete(combos, j, axis=1)
        q = np.ravel_multi_index(tuple(sub.T), dims)
        pos = np.minimum(np.searchsorted(ordered, q), len(ordered) - 1)
        hit = ordered[pos] == q
        doomed |= hit & fail[order[pos], combos[:, j]]
    return doomed


def _unpack(ints: Sequence[int], width: int, n: int):
    """Python int bitmasks as rows of a boolean matrix (bit i = column i)."""
    import numpy as np

    data = b"".join(x.to_bytes(width, "little") for x in ints)
    bits = np.unpackbits(
        np.frombuffer(data, dtype=np.uint8).reshape(len(ints), width), axis=1, bitorder="little"
    )
    return bits[:, :n].astype(bool)
