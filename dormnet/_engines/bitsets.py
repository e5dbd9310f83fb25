"""The asynchronous state graph of a small subspace, its sets of states as Python integers.

With k free nodes a subspace has 2^k states; a set of them is one integer, bit s for the state
whose free nodes read s in binary (free node j is bit j of s). The set of states where free node
j is 1 is a fixed pattern (period 2^(j+1), upper half set), a node's function is a union of
intersections of such patterns, and following every transition that flips node j is two masks
and two shifts by 2^j. So a step of a reachability over the whole subspace costs a few integer
operations per node, each over 2^k bits (16 KB at 17 free nodes): CPython does them in C, a
machine word at a time, and no solver has to be loaded.

:meth:`StateGraph.attractors` finds the terminal strongly connected components, exactly: the
fixed points at once (the states where no node can flip), then, among the states that cannot
reach a fixed point (a set no transition leaves), pivot after pivot: the forward set F of a
pivot is its component and terminal exactly when every state of F reaches the pivot back;
otherwise a state of F that cannot is a pivot whose forward set is strictly smaller. Each
attractor found removes the states that reach it. This is the forward-backward scheme of Xie and
Beerel (2000) that biodivine-aeon runs on BDDs, here on bitsets.

References
----------
Xie A, Beerel PA. Implicit enumeration of strongly connected components and an application to
formal verification. IEEE Trans Comput-Aided Des 2000. DOI:10.1109/43.875347.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..errors import BudgetExceeded
from ..spaces import Subspace
from .percolation import BitSpace, set_bits

__all__ = ["BUDGET", "STATE_CAP", "StateGraph", "columns", "explicit_attractors"]

#: list the states of an attractor only up to this many
STATE_CAP = 1 << 16
#: the most work the engines let an explicit search spend before a symbolic one takes over, in
#: machine words of set operations: 2^24, 35-60 ms of CPU here, about what importing
#: biodivine-aeon (40-57 ms), the solver it spares, costs
BUDGET = 1 << 24

_COLUMNS: dict[int, tuple[int, list[int]]] = {}


def columns(k: int) -> tuple[int, list[int]]:
    """All ``2**k`` states of k free nodes as a bitset, and for each node j the states where it
    is 1 (period ``2**(j+1)``, upper half set).

    Parameters
    ----------
    k : int
        Number of free nodes.

    Returns
    -------
    (int, list of int)
        The full set, and node j's column for each j.

    Examples
    --------
    >>> full, ones = columns(2)
    >>> bin(full), [bin(x) for x in ones]
    ('0b1111', ['0b1010', '0b1100'])
    """
    hit = _COLUMNS.get(k)
    if hit is None:
        size = 1 << k
        ones = []
        for j in range(k):
            half = 1 << j
            pattern, width = ((1 << half) - 1) << half, half << 1
            while width < size:  # doubling: linear in 2**k, unlike a big division
                pattern |= pattern << width
                width <<= 1
            ones.append(pattern)
        hit = _COLUMNS[k] = ((1 << size) - 1, ones)
    return hit


class StateGraph:
    """The asynchronous dynamics of a network inside a subspace, only its free nodes updated
    (those of the network itself where the subspace is a trap space: a percolated subspace, a
    minimal trap space; those of the network with the fixed nodes clamped otherwise).

    Parameters
    ----------
    on_primes : sequence of list of BitSpace
        ``on_primes[i]``: the prime implicants of node i's function, as bitmask cubes over the
        network's nodes.
    space : BitSpace
        The subspace: its fixed nodes and their values.
    n : int
        Number of nodes of the network.
    budget : int, optional
        The most work :meth:`attractors` may spend before it gives up with
        :class:`~dormnet.errors.BudgetExceeded`, in machine words handled by set operations
        (2-4 ns each here): a bound on its time that does not depend on the machine.
    """

    def __init__(
        self,
        on_primes: Sequence[Sequence[BitSpace]],
        space: BitSpace,
        n: int,
        budget: int | None = None,
    ) -> None:
        mask = space[0]
        self.space = space
        self.free = [i for i in range(n) if not (mask >> i) & 1]
        self.where = {i: j for j, i in enumerate(self.free)}
        self.full, self.ones = columns(len(self.free))
        self.zeros = [self.full ^ b for b in self.ones]
        self.budget = budget
        self.spent = 0
        #: the cost of one operation over a set: its machine words (at least a few dozen, the
        #: interpreter's own cost per operation)
        self.words = max((1 << len(self.free)) >> 6, 32)
        #: flips[j]: the states where free node j's function differs from its value
        self.flips = [self.holds(on_primes[i]) ^ self.ones[j] for j, i in enumerate(self.free)]
        #: ups[j] / downs[j]: the states where node j can turn on / off
        self.ups = [f & z for f, z in zip(self.flips, self.zeros)]
        self.downs = [f & o for f, o in zip(self.flips, self.ones)]

    # -- sets ------------------------------------------------------------------------------------

    def holds(self, cubes: Sequence[BitSpace]) -> int:
        """The states of the subspace in the union of ``cubes`` (bitmask cubes over the
        network's nodes; literals on fixed nodes are checked against the subspace).

        Parameters
        ----------
        cubes : sequence of BitSpace

        Returns
        -------
        int
        """
        mask, vals = self.space
        out = 0
        for pm, pv in cubes:
            if (pv ^ vals) & pm & mask:
                continue  # a literal on a fixed node is false throughout
            term = self.full
            self._charge(1 + (pm & ~mask).bit_count())
            for i in set_bits(pm & ~mask):
                j = self.where[i]
                term &= self.ones[j] if (pv >> i) & 1 else self.zeros[j]
            out |= term
        return out

    def state(self, local: int) -> int:
        """The network state (bit i = node i) of the subspace's state number ``local``.

        Parameters
        ----------
        local : int

        Returns
        -------
        int
        """
        out = self.space[1]
        for j, i in enumerate(self.free):
            if (local >> j) & 1:
                out |= 1 << i
        return out

    def members(self, x: int) -> Iterator[int]:
        """The network states of the set ``x``, lowest local number first.

        Parameters
        ----------
        x : int

        Returns
        -------
        iterator of int
        """
        for s in set_bits(x):
            yield self.state(s)

    # -- reachability ----------------------------------------------------------------------------

    def _charge(self, ops: int) -> None:
        self.spent += ops * self.words
        if self.budget is not None and self.spent > self.budget:
            raise BudgetExceeded(
                f"explicit attractor search: more than {self.budget:,} words of set operations",
                "the symbolic search takes over",
            )

    def forward(self, x: int, within: int | None = None) -> int:
        """The states reachable from ``x`` (``x`` included), inside ``within`` if given.

        Parameters
        ----------
        x : int
        within : int, optional

        Returns
        -------
        int
        """
        return self._reach(x, within, forward=True)

    def backward(self, x: int, within: int | None = None) -> int:
        """The states that can reach ``x`` (``x`` included), inside ``within`` if given.

        Parameters
        ----------
        x : int
        within : int, optional

        Returns
        -------
        int
        """
        return self._reach(x, within, forward=False)

    def _reach(self, x: int, within: int | None, forward: bool) -> int:
        """Saturation: every node's transitions in turn, until a sweep over all adds nothing."""
        ups, downs = self.ups, self.downs
        k = len(ups)
        changed = True
        while changed:
            changed = False
            self._charge(7 * k)
            for j in range(k):
                h = 1 << j
                if forward:  # from the states that can flip j, to their neighbours
                    new = ((x & ups[j]) << h) | ((x & downs[j]) >> h)
                else:  # the states that can flip j whose neighbour is in x
                    new = ((x << h) & downs[j]) | ((x >> h) & ups[j])
                if within is not None:
                    new &= within
                if new | x != x:
                    x |= new
                    changed = True
        return x

    # -- attractors ------------------------------------------------------------------------------

    def fixed_points(self) -> int:
        """The states where no free node can flip.

        Returns
        -------
        int
        """
        moves = 0
        for f in self.flips:
            moves |= f
        return self.full & ~moves

    def attractors(self, limit: int | None = None) -> tuple[int, list[int]]:
        """The fixed points, and every other attractor's states (see the module docstring).

        Parameters
        ----------
        limit : int, optional
            Stop once this many attractors are found, fixed points counted.

        Returns
        -------
        (int, list of int)
            The set of fixed points (each one an attractor) and the set of each cyclic
            attractor.

        Raises
        ------
        BudgetExceeded
            More than ``budget`` operations were spent.
        """
        points = self.fixed_points()
        cyclic: list[int] = []
        if limit is not None and points.bit_count() >= limit:
            return points, cyclic
        rest = self.full & ~self.backward(points) if points else self.full
        if self.budget is not None and rest:
            # each part of rest with one value of the nodes that never flip holds an attractor,
            # found by three reachabilities at least: give up now if they cannot fit
            least = 3 * 7 * len(self.flips) * self.words * self.parts(rest)
            if self.spent + least > self.budget:
                self._charge(self.budget)
        while rest:
            pivot = rest & -rest
            reach = self.forward(pivot)  # inside rest: nothing leaves it
            while True:
                back = self.backward(pivot, within=reach)
                if back == reach:
                    break  # every state pivot reaches reaches it back: a terminal component
                other = reach & ~back
                pivot = other & -other
                reach = self.forward(pivot)
            cyclic.append(reach)
            if limit is not None and points.bit_count() + len(cyclic) >= limit:
                break
            rest &= ~self.backward(reach, within=rest)
        return points, cyclic

    def parts(self, x: int) -> int:
        """The number of values of the nodes that never flip (inputs, in the first place) that
        states of ``x`` take: each is a part of the graph no transition leaves.

        Parameters
        ----------
        x : int

        Returns
        -------
        int
        """
        moving = [j for j, f in enumerate(self.flips) if f]
        self._charge(3 * len(moving))
        for j in moving:  # every state of x with every value of the nodes that move
            h = 1 << j
            x |= ((x & self.zeros[j]) << h) | ((x & self.ones[j]) >> h)
        return x.bit_count() >> len(moving)

    def summary(
        self, x: int, nodes: Sequence[str], state_cap: int = STATE_CAP
    ) -> tuple[Subspace, int, list[BitSpace] | None]:
        """One attractor as the engines report it.

        Parameters
        ----------
        x : int
            Its set of states.
        nodes : sequence of str
            The network's nodes, in order.
        state_cap : int
            List the states only up to this many.

        Returns
        -------
        (Subspace, int, list of BitSpace or None)
            The smallest subspace holding it, its number of states, and its states as cubes
            fixing every node (``None`` past ``state_cap``).
        """
        mask, vals = self.space
        space: Subspace = {nodes[i]: 1 if (vals >> i) & 1 else 0 for i in set_bits(mask)}
        for j, i in enumerate(self.free):
            if not x & self.zeros[j]:
                space[nodes[i]] = 1
            elif not x & self.ones[j]:
                space[nodes[i]] = 0
        size = x.bit_count()
        full = (1 << len(nodes)) - 1
        cubes = [(full, s) for s in self.members(x)] if size <= state_cap else None
        return space, size, cubes

    def listing(
        self,
        points: int,
        cyclic: Sequence[int],
        nodes: Sequence[str],
        limit: int | None = None,
        state_cap: int = STATE_CAP,
    ) -> list[tuple[Subspace, int, list[BitSpace] | None]]:
        """What :meth:`attractors` found, as the engines report attractors.

        Parameters
        ----------
        points : int
            The set of fixed points.
        cyclic : sequence of int
            The set of each other attractor.
        nodes : sequence of str
            The network's nodes, in order.
        limit : int, optional
            At most this many, fixed points first.
        state_cap : int
            List an attractor's states only up to this many.

        Returns
        -------
        list of (Subspace, int, list of BitSpace or None)
            See :meth:`summary`.
        """
        out: list[tuple[Subspace, int, list[BitSpace] | None]] = []
        for s in set_bits(points):
            if limit is not None and len(out) >= limit:
                return out
            out.append(self.summary(1 << s, nodes, state_cap))
        for x in cyclic:
            if limit is not None and len(out) >= limit:
                break
            out.append(self.summary(x, nodes, state_cap))
        return out


def explicit_attractors(
    on_primes: Sequence[Sequence[BitSpace]],
    space: BitSpace,
    nodes: Sequence[str],
    limit: int | None = None,
    state_cap: int = STATE_CAP,
    budget: int | None = None,
) -> list[tuple[Subspace, int, list[BitSpace] | None]]:
    """Every attractor inside a trap space, by :meth:`StateGraph.attractors`.

    Parameters
    ----------
    on_primes : sequence of list of BitSpace
        The prime implicants of each node's function, as bitmask cubes.
    space : BitSpace
        The trap space.
    nodes : sequence of str
        The network's nodes, in order.
    limit : int, optional
        At most this many attractors.
    state_cap : int
        List an attractor's states only up to this many.
    budget : int, optional
        See :class:`StateGraph`.

    Returns
    -------
    list of (Subspace, int, list of BitSpace or None)
        See :meth:`StateGraph.summary`: fixed points first, lowest state first.

    Raises
    ------
    BudgetExceeded
        Past ``budget``.

    Examples
    --------
    >>> on = [[(0b10, 0b00)], [(0b01, 0b00)]]  # a = !b, b = !a
    >>> [size for _, size, _ in explicit_attractors(on, (0, 0), ["a", "b"])]
    [1, 1]
    """
    graph = StateGraph(on_primes, space, len(nodes), budget)
    return graph.listing(*graph.attractors(limit), nodes, limit, state_cap)
