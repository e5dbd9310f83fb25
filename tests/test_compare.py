"""The enumeration comparison the cross-checks use fails on duplicates, not only on differences."""

from __future__ import annotations

import pytest

from .compare import assert_same_enumeration, duplicates

A, B, C = {"a": 0}, {"a": 1}, {"a": 1, "b": 0}


def test_same_elements_in_any_order_pass():
    assert_same_enumeration([A, B, C], [C, A, B], what="spaces")
    assert_same_enumeration([], [], what="spaces")


@pytest.mark.parametrize(
    "ours,theirs,fragment",
    [
        ([A, B, B], [A, B], "dormnet lists 1 twice"),  # equal as sets
        ([A, B], [A, B, A], "the oracle lists 1 twice"),
        ([A, B], [A, C], "only the oracle has 1"),
        ([A], [A, B], "dormnet 1, the oracle 2"),
    ],
)
def test_duplicates_and_differences_fail(ours, theirs, fragment):
    with pytest.raises(AssertionError, match=fragment):
        assert_same_enumeration(ours, theirs, what="spaces")


def test_duplicates_are_named_once():
    assert duplicates([1, 2, 2, 3, 3, 3]) == [2, 3]
