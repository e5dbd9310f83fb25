"""Plain data at the edges: states and subspaces as dicts, and a few operations on them.

``State = dict[str, 0|1]`` assigns every node. ``Subspace = dict[str, 0|1]`` assigns the fixed
nodes only; a free node is an absent key. ``'*'`` and ``"01-"`` strings appear only when rendered
(:func:`to_string`), never in returned dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Literal

__all__ = [
    "CubeStates",
    "State",
    "Subspace",
    "freeze",
    "from_string",
    "intersect",
    "is_subspace",
    "space_size",
    "states_of",
    "to_string",
]

State = dict[str, Literal[0, 1]]
Subspace = dict[str, Literal[0, 1]]


def is_subspace(a: Mapping[str, int], b: Mapping[str, int]) -> bool:
    """Whether subspace ``a`` lies inside subspace ``b`` (``a`` fixes everything ``b`` fixes,
    alike).

    Parameters
    ----------
    a, b : mapping
        The fixed nodes of each.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_subspace({"x": 1, "y": 0}, {"x": 1})
    True
    """
    return all(a.get(k) == v for k, v in b.items())


def intersect(a: Mapping[str, int], b: Mapping[str, int]) -> Subspace | None:
    """The intersection of two subspaces.

    Parameters
    ----------
    a, b : mapping
        The fixed nodes of each.

    Returns
    -------
    dict or None
        ``None`` if they are disjoint (a node fixed to different values).

    Examples
    --------
    >>> intersect({"a": 1}, {"b": 0}), intersect({"a": 1}, {"a": 0})
    ({'a': 1, 'b': 0}, None)
    """
    out = dict(a)
    for k, v in b.items():
        if out.setdefault(k, v) != v:
            return None
    return out  # type: ignore[return-value]


def to_string(space: Mapping[str, int], nodes: Sequence[str], free: str = "-") -> str:
    """Render a subspace as a string over ``nodes`` (``"01-"`` style).

    Parameters
    ----------
    space : mapping
        The fixed nodes.
    nodes : sequence of str
    free : str
        The character of a free node.

    Returns
    -------
    str

    Examples
    --------
    >>> to_string({"a": 1}, ["a", "b"])
    '1-'
    """
    return "".join(str(space[n]) if n in space else free for n in nodes)


def from_string(text: str, nodes: Sequence[str]) -> Subspace:
    """Parse a ``"01-"`` (or ``"01*"``) string back into a subspace.

    Parameters
    ----------
    text : str
        One character per node.
    nodes : sequence of str

    Returns
    -------
    dict
        The fixed nodes.

    Examples
    --------
    >>> from_string("1-0", ["a", "b", "c"])
    {'a': 1, 'c': 0}
    """
    if len(text) != len(nodes):
        raise ValueError(f"expected {len(nodes)} characters, got {len(text)}")
    return {n: int(c) for n, c in zip(nodes, text) if c in "01"}  # type: ignore[misc]


def space_size(space: Mapping[str, int], nodes: Iterable[str]) -> int:
    """Number of states in a subspace of the space over ``nodes``.

    Parameters
    ----------
    space : mapping
        The fixed nodes.
    nodes : iterable of str
        All nodes.

    Returns
    -------
    int
        ``2 ** (number of free nodes)``.
    """
    return 2 ** sum(1 for n in nodes if n not in space)


def states_of(space: Mapping[str, int], nodes: Sequence[str]) -> Iterator[State]:
    """Every state of a subspace (beware: exponential in the number of free nodes).

    Parameters
    ----------
    space : mapping
        The fixed nodes.
    nodes : sequence of str
        All nodes; those not in ``space`` are free.

    Yields
    ------
    dict
        Complete states, node -> 0/1.

    Examples
    --------
    >>> list(states_of({"a": 1}, ["a", "b"]))
    [{'a': 1, 'b': 0}, {'a': 1, 'b': 1}]
    """
    free = [n for n in nodes if n not in space]
    for i in range(2 ** len(free)):
        s = dict(space)
        for j, n in enumerate(free):
            s[n] = (i >> j) & 1
        yield {n: s[n] for n in nodes}  # type: ignore[misc]


def freeze(space: Mapping[str, int]) -> frozenset:
    """A hashable form of a state or subspace, for set comparisons.

    Parameters
    ----------
    space : mapping
        Node -> 0/1.

    Returns
    -------
    frozenset
        Of ``(node, value)`` pairs.

    Examples
    --------
    >>> freeze({"a": 1}) == freeze({"a": 1})
    True
    """
    return frozenset(space.items())


class CubeStates(Sequence):
    """The states of an attractor, held as disjoint cubes (``(fixed, values)`` bitmasks over
    ``nodes``) and listed only when first read: a sequence of state dicts sorted by their values
    in node order. ``len()`` does not list them.

    >>> states = CubeStates(("a", "b"), ((0b01, 0b01),))
    >>> len(states), list(states)
    (2, [{'a': 1, 'b': 0}, {'a': 1, 'b': 1}])
    """

    __slots__ = ("_size", "_states", "cubes", "nodes")

    def __init__(self, nodes: tuple[str, ...], cubes: tuple[tuple[int, int], ...]) -> None:
        self.nodes = nodes
        self.cubes = cubes
        full = len(nodes)
        self._size = sum(1 << (full - m.bit_count()) for m, _ in cubes)
        self._states: tuple[State, ...] | None = None

    def _list(self) -> tuple[State, ...]:
        if self._states is None:
            n = len(self.nodes)
            rows: list[tuple[int, ...]] = []
            for mask, vals in self.cubes:
                free = [i for i in range(n) if not (mask >> i) & 1]
                base = [(vals >> i) & 1 for i in range(n)]
                for k in range(1 << len(free)):
                    row = base[:]
                    for j, i in enumerate(free):
                        row[i] = (k >> j) & 1
                    rows.append(tuple(row))
            rows.sort()
            self._states = tuple(dict(zip(self.nodes, r)) for r in rows)  # type: ignore[misc]
        return self._states

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, i):  # type: ignore[override]
        return self._list()[i]

    def __iter__(self) -> Iterator[State]:
        return iter(self._list())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CubeStates) and other.nodes == self.nodes:
            return sorted(self.cubes) == sorted(other.cubes) or self._list() == other._list()
        if isinstance(other, Sequence):
            return tuple(self._list()) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{self._size} states in {len(self.cubes)} cube(s)>"

    def __getstate__(self):
        return (self.nodes, self.cubes)

    def __setstate__(self, state) -> None:
        self.__init__(*state)  # type: ignore[misc]
