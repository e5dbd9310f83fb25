"""What the reachability engines (:mod:`dormnet._engines.reach`) exchange: sets of states as
bitmask regions, the budget of a computation, partial answers and basin counts, and the bitmask
operations on subspaces they share (the switch, inclusion, the smallest trap space containing a
subspace).

Subspaces are :data:`~dormnet._engines.percolation.BitSpace` pairs over ``net.nodes`` (bit ``i``
= node ``i``); a state is an int.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import BudgetExceeded
from .percolation import BitSpace

__all__ = [
    "MAX_SYMBOLIC_SIZE",
    "MAX_SYNC_STEPS",
    "BasinCounts",
    "Budget",
    "PartialReach",
    "Region",
    "apply_clamps",
    "bits_of",
    "enclosing",
    "inside",
    "principal_trap_space",
]

#: stop a symbolic set (or a BDD of the most permissive engine) at this many BDD nodes
MAX_SYMBOLIC_SIZE = 5_000_000
#: a synchronous trajectory is followed for at most this many steps
MAX_SYNC_STEPS = 10_000_000


@dataclass
class Budget:
    """The limits of one computation: a deadline (``time.monotonic()``), BDD nodes, sync steps.

    Parameters
    ----------
    timeout : float, optional
        Seconds from now.
    max_size : int, optional
        BDD nodes of one symbolic set (default :data:`MAX_SYMBOLIC_SIZE`).
    max_steps : int, optional
        Steps of one synchronous trajectory (default :data:`MAX_SYNC_STEPS`).
    """

    timeout: float | None = None
    max_size: int | None = None
    max_steps: int | None = None
    deadline: float | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.timeout is not None:
            self.deadline = time.monotonic() + self.timeout
        # read the module's limits when the budget is made (so they can be changed at run time)
        self.max_size = MAX_SYMBOLIC_SIZE if self.max_size is None else self.max_size
        self.max_steps = MAX_SYNC_STEPS if self.max_steps is None else self.max_steps

    def left(self) -> float | None:
        """Seconds left (``None``: no deadline), at least 0.1."""
        if self.deadline is None:
            return None
        return max(0.1, self.deadline - time.monotonic())

    def check(self, what: str, size: int = 0, partial: object = None) -> None:
        """Raise :class:`BudgetExceeded` (with ``partial``) if time or size ran out.

        Parameters
        ----------
        what : str
            What was being computed, for the message.
        size : int
            BDD nodes of the set being built.
        partial : object
            What is certain so far.
        """
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise BudgetExceeded(
                f"{what} did not finish within the time budget of {self.timeout:g} s",
                "raise the time budget (--timeout), or fix more inputs",
                partial,
            )
        if self.max_size is not None and size > self.max_size:
            raise BudgetExceeded(
                f"{what} needs a BDD of more than {self.max_size:,} nodes",
                "fix more inputs, or use --update mp",
                partial,
            )


@dataclass(frozen=True)
class Region:
    """A set of states: an attractor as its enclosing subspace, its size and, when listed, its
    states as bitmask cubes over ``net.nodes``.

    Attributes
    ----------
    space : BitSpace
        The smallest subspace holding the states.
    size : int
        The number of states.
    cubes : tuple of BitSpace, or None
        The states (cubes may overlap); ``None`` when they were too many to list.
    """

    space: BitSpace
    size: int
    cubes: tuple[BitSpace, ...] | None = None

    def witness(self) -> int | None:
        """One state of the region (free bits of its first cube at 0), if its states are known."""
        return self.cubes[0][1] if self.cubes else None


@dataclass(frozen=True)
class PartialReach:
    """What is certain when a reachability computation stops at its budget.

    Attributes
    ----------
    done : tuple of frozenset
        The exact answers of the first ``len(done)`` start regions.
    lower : frozenset
        Attractors certainly reachable from the next start region (it may reach more).
    """

    done: tuple[frozenset[int], ...]
    lower: frozenset[int] = frozenset()


@dataclass(frozen=True)
class BasinCounts:
    """Basin sizes of the attractors of one scenario, counted over its state space.

    Attributes
    ----------
    total : int
        States of the scenario (every node not clamped is free).
    weak : tuple of int
        Per attractor, the states from which it is reachable.
    strong : tuple of int
        Per attractor, the states from which it is the only reachable attractor.
    """

    total: int
    weak: tuple[int, ...]
    strong: tuple[int, ...]


def bits_of(index: Mapping[str, int], clamps: Mapping[str, int]) -> BitSpace:
    mask = vals = 0
    for n, v in clamps.items():
        mask |= 1 << index[n]
        if v:
            vals |= 1 << index[n]
    return mask, vals


def apply_clamps(cube: BitSpace, clamps: BitSpace) -> BitSpace:
    """A cube with clamped nodes set to their values (the switch)."""
    cm, cv = clamps
    return cube[0] | cm, (cube[1] & ~cm) | cv


def inside(small: BitSpace, big: BitSpace) -> bool:
    """Whether subspace ``small`` lies in subspace ``big``."""
    return big[0] & ~small[0] == 0 and (small[1] ^ big[1]) & big[0] == 0


def principal_trap_space(
    on: Sequence[Sequence[BitSpace]],
    off: Sequence[Sequence[BitSpace]],
    succ: Sequence[Sequence[int]],
    space: BitSpace,
) -> BitSpace:
    """The smallest trap space containing a subspace (a state: every node fixed): free each fixed
    node whose function can take the other value somewhere in the current subspace (one of the
    prime implicants of that value agrees with every fixed node it reads), until none can.

    Parameters
    ----------
    on, off : sequences
        Per node, the prime implicants of its function and of the negation as bitmask pairs.
    succ : sequence
        Per node, the nodes whose functions read it.
    space : BitSpace
        The subspace (for a state: the mask of every node, and the state).

    Returns
    -------
    BitSpace

    Examples
    --------
    ``a = b``, ``b = a``: the state 01 frees both nodes; 11 is a trap space itself.

    >>> on, off = [[(0b10, 0b10)], [(0b01, 0b01)]], [[(0b10, 0)], [(0b01, 0)]]
    >>> principal_trap_space(on, off, [[1], [0]], (0b11, 0b10))
    (0, 0)
    >>> principal_trap_space(on, off, [[1], [0]], (0b11, 0b11))
    (3, 3)
    """
    mask, state = space
    stack = [i for i in range(len(on)) if (mask >> i) & 1]
    while stack:
        i = stack.pop()
        if not (mask >> i) & 1:
            continue
        other = off[i] if (state >> i) & 1 else on[i]
        for pm, pv in other:
            if (pm & mask) & (pv ^ state) == 0:
                mask &= ~(1 << i)
                stack.extend(j for j in succ[i] if (mask >> j) & 1)
                break
    return mask, state & mask


def enclosing(cubes: Sequence[BitSpace]) -> BitSpace:
    """The smallest subspace containing every cube.

    >>> enclosing([(0b11, 0b01), (0b11, 0b11)])
    (1, 1)
    """
    mask = -1
    differ = 0
    first = cubes[0][1]
    for m, v in cubes:
        mask &= m
        differ |= (v ^ first) & m
    mask &= ~differ
    return mask, first & mask
