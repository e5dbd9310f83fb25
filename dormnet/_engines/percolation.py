"""Constant propagation (percolation) over a network, with node sets as bitmasks.

Clamping nodes makes their functions constant; propagating constants gives the largest subspace
that every trajectory enters and never leaves: it holds every fixed point, every minimal trap space
and every attractor of the clamped network. Percolation is exact with prime implicants: a
function is constant 1 on a subspace exactly when one of its prime implicants has all its literals
fixed (and matching) there, and constant 0 likewise with the implicants of its negation.

Subspaces here are :data:`BitSpace` pairs ``(mask, values)``: bit ``i`` of ``mask`` says node
``i`` (in ``net.nodes`` order) is fixed, and bit ``i`` of ``values`` its value. This is the one
bitmask subspace type of the engines; dicts (:data:`dormnet.spaces.Subspace`) are the form at the
edges.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from ..network import BooleanNetwork
from ..normal_form import primes

__all__ = [
    "BitSpace",
    "Percolator",
    "batch_percolate",
    "column_spaces",
    "percolate",
    "percolate_matrices",
    "percolator",
    "set_bits",
]

#: a subspace as (mask of fixed nodes, their values); bit i = node i of the network
BitSpace = tuple[int, int]


def set_bits(x: int) -> Iterator[int]:
    """The positions of the set bits of ``x``, lowest first.

    >>> list(set_bits(0b10110))
    [1, 2, 4]
    """
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


def percolator(net: BooleanNetwork) -> Percolator:
    """The network's :class:`Percolator`, built once and kept with the network."""
    return net.derived(Percolator)


def percolate(net: BooleanNetwork, clamps: Mapping[str, int] | None = None) -> dict[str, int]:
    """The percolated subspace of ``net`` with ``clamps`` held, as a dict of its fixed nodes.

    Parameters
    ----------
    net : BooleanNetwork
    clamps : mapping, optional
        Node -> 0/1 held fixed.

    Returns
    -------
    dict
        Node -> value of every node fixed by percolation (the clamps included), in node order.

    Examples
    --------
    >>> percolate(BooleanNetwork({"a": "1", "b": "a", "c": "b & c"}))
    {'a': 1, 'b': 1}
    """
    perc = percolator(net)
    return perc.to_dict(perc.percolate(perc.space_of(clamps or {})))


class Percolator:
    """Constant propagation over a network, with node sets as Python int bitmasks."""

    def __init__(self, net: BooleanNetwork):
        self.nodes = list(net.nodes)
        self.index = {n: i for i, n in enumerate(self.nodes)}
        n = len(self.nodes)
        self.full = (1 << n) - 1
        self.on: list[list[tuple[int, int]]] = []
        self.off: list[list[tuple[int, int]]] = []
        succ: list[set[int]] = [set() for _ in range(n)]
        for i, name in enumerate(self.nodes):
            off, on = primes(net, name)
            self.on.append([self.space_of(c) for c in on])
            self.off.append([self.space_of(c) for c in off])
            for c in off + on:
                for x in c:
                    succ[self.index[x]].add(i)
        self.succ = [sorted(s) for s in succ]

    def literals(self) -> list[tuple[list[list[tuple[int, int]]], list[list[tuple[int, int]]]]]:
        """Per node, its on- and off-primes as lists of (node index, value) literals."""
        hit = self.__dict__.get("_literals")
        if hit is None:
            hit = [
                (
                    [list(_lits(pm, pv)) for pm, pv in self.on[i]],
                    [list(_lits(pm, pv)) for pm, pv in self.off[i]],
                )
                for i in range(len(self.nodes))
            ]
            self.__dict__["_literals"] = hit
        return hit

    def sweep_order(self) -> list[int]:
        """Nodes with regulators before their targets (SCCs in topological order)."""
        hit = self.__dict__.get("_order")
        if hit is None:
            hit = self.__dict__["_order"] = _components_in_order(self.succ)
        return hit

    def space_of(self, clamps: Mapping[str, int]) -> BitSpace:
        """A subspace, clamps or a prime implicant (node -> value) as a (mask, values) pair."""
        mask = vals = 0
        for x, b in clamps.items():
            bit = 1 << self.index[x]
            mask |= bit
            if b:
                vals |= bit
        return mask, vals

    def percolate(self, clamps: BitSpace, start: BitSpace | None = None) -> BitSpace:
        """The percolated subspace of the network with ``clamps`` held fixed.

        ``start`` may give an already percolated subspace of a subset of the clamps (every clamp
        not in it must be on a node that is free there): the work then resumes from it.
        """
        cmask, cvals = clamps
        if start is None:
            mask, vals = cmask, cvals
            todo = list(range(len(self.nodes)))
        else:
            mask, vals = start
            new = cmask & ~mask
            mask |= cmask
            vals |= cvals & cmask
            todo = sorted({j for i in set_bits(new) for j in self.succ[i]}) if new else []
            if start == (0, 0):
                todo = list(range(len(self.nodes)))
        pending = set(todo)
        stack = list(reversed(todo))
        while stack:
            i = stack.pop()
            pending.discard(i)
            bit = 1 << i
            if mask & bit:
                continue
            value = -1
            for pm, pv in self.on[i]:
                if pm & ~mask == 0 and (vals ^ pv) & pm == 0:
                    value = 1
                    break
            if value < 0:
                for pm, pv in self.off[i]:
                    if pm & ~mask == 0 and (vals ^ pv) & pm == 0:
                        value = 0
                        break
            if value < 0:
                continue
            mask |= bit
            if value:
                vals |= bit
            for j in self.succ[i]:
                if not (mask >> j) & 1 and j not in pending:
                    pending.add(j)
                    stack.append(j)
        return mask, vals

    def to_dict(self, space: BitSpace) -> dict[str, int]:
        """A (mask, values) space as a dict of its fixed nodes (node order)."""
        mask, vals = space
        # the bits as bytes 0/1 in node order, by C-level string operations (a loop over the
        # bits of a 100-node mask costs ~20 µs; screens convert hundreds of thousands)
        width = f"0{len(self.nodes)}b"
        values = format(vals, width)[::-1].encode().translate(_BITS)
        if mask == self.full:
            return dict(zip(self.nodes, values))
        fixed = format(mask, width)[::-1].encode().translate(_BITS)
        return {n: v for n, m, v in zip(self.nodes, fixed, values) if m}


_BITS = bytes.maketrans(b"01", b"\x00\x01")


def _components_in_order(succ: list[list[int]]) -> list[int]:
    """The nodes by strongly connected component, each component's sources first (topological
    order of the condensation), members sorted: Tarjan's algorithm, iterative. (networkx's
    condensation gives the same components, but importing networkx costs a command line
    0.15-0.3 s of CPU, more than a small screen.)"""
    n = len(succ)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    found: list[list[int]] = []  # sinks first
    counter = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        while work:
            v, pos = work.pop()
            if pos == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack[v] = True
            for p in range(pos, len(succ[v])):
                w = succ[v][p]
                if index[w] < 0:
                    work.append((v, p + 1))
                    work.append((w, 0))
                    break
                if on_stack[w]:
                    low[v] = min(low[v], index[w])
            else:
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack[w] = False
                        comp.append(w)
                        if w == v:
                            break
                    found.append(sorted(comp))
                if work:
                    u = work[-1][0]
                    low[u] = min(low[u], low[v])
    return [i for comp in reversed(found) for i in comp]


def batch_percolate(
    perc: Percolator, base: Mapping[str, int], items: Sequence[Iterable[tuple[str, int]]]
):
    """Percolate many clamp sets at once with numpy: ``(fixed, values)`` boolean matrices
    (one row per node, one column per clamp set).

    Gauss–Seidel sweeps over the nodes in an order where regulators come first (strongly
    connected components in topological order), so feed-forward parts settle in one sweep; a node
    becomes fixed in a column when one of its prime implicants (of the function or of its
    negation) has every literal fixed and matching there. Vectorised over the columns, a sweep
    costs a few numpy operations per prime, whatever the batch size. ``base`` clamps apply to
    every column; each item's clamps are added to (and override) them in its column.
    """
    import numpy as np

    n = len(perc.nodes)
    B = len(items)
    fixed = np.zeros((n, B), dtype=bool)
    vals = np.zeros((n, B), dtype=bool)
    for x, b in base.items():
        i = perc.index[x]
        fixed[i, :] = True
        vals[i, :] = bool(b)
    rows, cols, bits = [], [], []
    for r, clamps in enumerate(items):
        for x, b in clamps:
            rows.append(perc.index[x])
            cols.append(r)
            bits.append(bool(b))
    if rows:
        fixed[rows, cols] = True
        vals[rows, cols] = bits
    return percolate_matrices(perc, fixed, vals)


def percolate_matrices(perc: Percolator, fixed, vals):
    """The sweeps of :func:`batch_percolate` on prepared ``(fixed, values)`` boolean matrices
    (one row per node, one column per clamp set; the clamped nodes fixed), in place; returns
    them."""
    import numpy as np

    B = fixed.shape[1]
    is1 = fixed & vals
    is0 = fixed & ~vals
    order = perc.sweep_order()
    lits = perc.literals()
    term = np.empty(B, dtype=bool)
    changed = True
    while changed:
        changed = False
        for i in order:
            free = ~fixed[i]
            if not free.any():
                continue
            on, off = lits[i]
            for value, cubes in ((True, on), (False, off)):
                hit = None
                for cube in cubes:
                    np.copyto(term, free)
                    for j, b in cube:
                        term &= is1[j] if b else is0[j]
                    if hit is None:
                        hit = term.copy()
                    else:
                        hit |= term
                if hit is not None and hit.any():
                    fixed[i] |= hit
                    (is1 if value else is0)[i] |= hit
                    if value:
                        vals[i] |= hit
                    free &= ~hit
                    changed = True
    return fixed, vals


def column_spaces(fixed, vals) -> list[BitSpace]:
    """The columns of :func:`batch_percolate`'s matrices as (mask, values) bitmask pairs."""
    import numpy as np

    fb = np.packbits(fixed, axis=0, bitorder="little")
    vb = np.packbits(vals & fixed, axis=0, bitorder="little")
    return [
        (int.from_bytes(fb[:, r].tobytes(), "little"), int.from_bytes(vb[:, r].tobytes(), "little"))
        for r in range(fixed.shape[1])
    ]


def _lits(mask: int, vals: int):
    for j in set_bits(mask):
        yield j, (vals >> j) & 1
