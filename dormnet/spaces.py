"""Plain data at the edges: states and subspaces as dicts, and a few operations on them.

``State = dict[str, 0|1]`` assigns every node. ``Subspace = dict[str, 0|1]`` assigns the fixed
nodes only; a free node is an absent key. ``'*'`` and ``"01-"`` strings appear only when rendered
(:func:`to_string`), never in returned dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Literal

__all__ = [
    "State",
    "Subspace",
    "freeze",
    "from_string",
    "intersect",
    "is_subspace",
    "set_bits",
    "space_size",
    "states_of",
    "to_string",
]

State = dict[str, Literal[0, 1]]
Subspace = dict[str, Literal[0, 1]]


def is_subspace(a: Mapping[str, int], b: Mapping[str, int]) -> bool:
    """True if subspace ``a`` lies inside subspace ``b`` (``a`` fixes everything ``b`` fixes, alike).

    >>> is_subspace({"x": 1, "y": 0}, {"x": 1})
    True
    """
    return all(a.get(k) == v for k, v in b.items())


def intersect(a: Mapping[str, int], b: Mapping[str, int]) -> Subspace | None:
    """The intersection of two subspaces, or ``None`` if they are disjoint."""
    out = dict(a)
    for k, v in b.items():
        if out.setdefault(k, v) != v:
            return None
    return out  # type: ignore[return-value]


def to_string(space: Mapping[str, int], nodes: Sequence[str], free: str = "-") -> str:
    """Render a subspace as a string over ``nodes`` (``"01-"`` style).

    >>> to_string({"a": 1}, ["a", "b"])
    '1-'
    """
    return "".join(str(space[n]) if n in space else free for n in nodes)


def from_string(text: str, nodes: Sequence[str]) -> Subspace:
    """Parse a ``"01-"`` (or ``"01*"``) string back into a subspace."""
    if len(text) != len(nodes):
        raise ValueError(f"expected {len(nodes)} characters, got {len(text)}")
    return {n: int(c) for n, c in zip(nodes, text) if c in "01"}  # type: ignore[misc]


def space_size(space: Mapping[str, int], nodes: Iterable[str]) -> int:
    """Number of states in a subspace of the space over ``nodes``."""
    return 2 ** sum(1 for n in nodes if n not in space)


def states_of(space: Mapping[str, int], nodes: Sequence[str]) -> Iterator[State]:
    """Every state of a subspace (beware: exponential in the number of free nodes)."""
    free = [n for n in nodes if n not in space]
    for i in range(2 ** len(free)):
        s = dict(space)
        for j, n in enumerate(free):
            s[n] = (i >> j) & 1
        yield {n: s[n] for n in nodes}  # type: ignore[misc]


def freeze(space: Mapping[str, int]) -> frozenset:
    """A hashable form of a state or subspace, for set comparisons."""
    return frozenset(space.items())
