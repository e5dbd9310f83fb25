"""Comparing enumerations: the same elements, each listed once.

A set comparison alone would pass an engine that lists a fixed point or a trap space twice;
these helpers also compare the lists' lengths and name the duplicates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from dormnet.spaces import freeze


def frozen(items: Iterable[Any]) -> list:
    """Each element hashable: dicts (states, subspaces) frozen, the rest kept."""
    return [freeze(x) if isinstance(x, Mapping) else x for x in items]


def duplicates(items: Iterable[Hashable]) -> list:
    """Elements listed more than once (each named once)."""
    return [x for x, k in Counter(items).items() if k > 1]


def _show(items: Iterable[Any], limit: int = 3) -> list:
    return [dict(sorted(x)) if isinstance(x, frozenset) else x for x in list(items)[:limit]]


def assert_same_enumeration(
    ours: Iterable[Any], theirs: Iterable[Any], *, what: str, who: str = "the oracle"
) -> None:
    """Assert that two enumerations list the same elements, each exactly once.

    Parameters
    ----------
    ours : iterable
        dormnet's answer (dicts are frozen with :func:`dormnet.spaces.freeze`).
    theirs : iterable
        The reference answer (a peer tool or the brute-force oracle).
    what : str
        What is enumerated, for the message ("fixed points").
    who : str
        The reference, for the message.
    """
    a, b = frozen(ours), frozen(theirs)
    dup_a, dup_b = duplicates(a), duplicates(b)
    assert not dup_a, f"{what}: dormnet lists {len(dup_a)} twice or more, e.g. {_show(dup_a)}"
    assert not dup_b, f"{what}: {who} lists {len(dup_b)} twice or more, e.g. {_show(dup_b)}"
    sa, sb = set(a), set(b)
    missing, extra = sb - sa, sa - sb
    assert not missing and not extra, (
        f"{what}: dormnet {len(a)}, {who} {len(b)}; only {who} has {len(missing)} "
        f"e.g. {_show(missing)}; only dormnet has {len(extra)} e.g. {_show(extra)}"
    )
    assert len(a) == len(b)  # implied by the above; stated for the reader
