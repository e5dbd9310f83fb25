"""Pausing Python's cyclic garbage collector around bounded, allocation-heavy steps.

Parsing a model, building prime implicants and clingo programs, and turning solver answers into
dicts allocate many small containers and make no reference cycles. Each 700 allocations start a
collection, and about every hundredth of those is a full one, which visits every object the
process holds. In a process that has imported a few large libraries, or that was forked from one
(a pool worker, a benchmark child), one full collection costs more than the query: 55 ms of the
70 ms that the fixed points of corpus model bbm_075 took in a forked child, where writing the
collector's marks copies every page of the parent's heap. Pausing the collector for such a step
defers that work; cyclic garbage made meanwhile is collected later, nothing leaks.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector for the ``with`` block (or a decorated call), then restore
    it; nested uses, and a collector someone else disabled, are left as they were."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
