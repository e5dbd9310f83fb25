"""Running a control search over several contexts, in forked workers.

Phase 1 finds, per context, every minimal working set (:meth:`.control_search.ControlSearch.
search`); phase 2 decides every set found anywhere in the other contexts (a set minimal in one
context may work in another where a smaller set works too) and, if asked, under the other
update schemes. Both phases run one context per task in a pool of forked workers, which
inherit the search (percolator, prime implicants, target cubes) and ground their own clingo
programs when they first need one.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from typing import Any

import boolean

from ..errors import BudgetExceeded
from ..network import BooleanNetwork
from .control_search import CONTROL_UPDATES, Agent, ContextResult, ControlSearch

__all__ = ["Run"]

_RUNS: dict[int, Run] = {}
_REGROUND: set[int] = set()


class Run:
    """One control question: a network, a target, agents and the contexts' clamps."""

    def __init__(
        self,
        net: BooleanNetwork,
        target: boolean.Expression,
        agents: Sequence[Agent],
        bases: Mapping[str, Mapping[str, int]],
        *,
        update: str,
        max_size: int,
        pool: Sequence[int] | None = None,
        cross_check: bool = True,
        deadline: float | None = None,
        mode: str = "permanent",
        source: boolean.Expression | None = None,
    ) -> None:
        self.bases = {c: dict(b) for c, b in bases.items()}
        self.update = update
        self.max_size = max_size
        self.pool = pool
        schemes = CONTROL_UPDATES if mode == "permanent" else ("mp", "async")
        self.others = [u for u in schemes if u != update] if cross_check else []
        need_mts = update != "fixed-points" or any(u != "fixed-points" for u in self.others)
        temporary = None
        if mode == "temporary":
            from .control_search import TargetCubes
            from .control_temporary import TemporaryVerdicts
            from .percolation import percolator

            index = percolator(net).index
            temporary = TemporaryVerdicts(
                net,
                TargetCubes(index, target),
                TargetCubes(index, source) if source is not None else None,
                deadline,
            )
        self.search = ControlSearch(
            net, target, agents, need_trap_spaces=need_mts, deadline=deadline, temporary=temporary
        )

    # -- the tasks (in a worker, or here) --------------------------------------------------

    def find(self, context: str, processes: int = 1) -> ContextResult:
        """Phase 1 for one context."""
        return self.search.search(
            self.bases[context], self.max_size, self.update, self.pool, processes
        )

    def decide(
        self, context: str, combos: Sequence[tuple[int, ...]], known: Sequence[bool | None]
    ) -> tuple[list[bool], dict[str, list[bool] | None]]:
        """Phase 2 for one context: whether each set works (``known`` where phase 1 decided
        it), and for those that do, whether they work under each other update scheme (``None``
        for a scheme not decided within the time budget)."""
        base = self.bases[context]
        todo = [c for c, k in zip(combos, known) if k is None]
        answers = iter(self.search.works(base, todo, self.update))
        works = [k if k is not None else next(answers) for k in known]
        chosen = [c for c, w in zip(combos, works) if w]
        also: dict[str, list[bool] | None] = {}
        for other in self.others:
            try:
                also[other] = self.search.works(base, chosen, other)
            except BudgetExceeded:
                also[other] = None
        return works, also

    # -- orchestration ---------------------------------------------------------------------

    def solve(
        self, processes: int = 1, progress: Callable[[str], None] | None = None
    ) -> tuple[
        dict[tuple[int, ...], set[str]],
        dict[tuple[int, ...], set[str]],
        dict[tuple[int, ...], dict[str, tuple[str, ...] | None]],
        dict[str, list[dict[str, Any]]],
    ]:
        """Both phases over every context.

        Returns
        -------
        (works, minimal, also, stats)
            Set -> contexts where it works; set -> contexts where it is minimal; set -> other
            update scheme -> contexts where it works under that one too (``None``: not
            decided); context -> per-level statistics.
        """
        say = progress or (lambda text: None)
        names = list(self.bases)
        found = self._map(
            "find", [(c,) for c in names], processes, lambda c: say(f"searched {c[0]}")
        )
        minimal: dict[tuple[int, ...], set[str]] = {}
        stats = {}
        for c, res in zip(names, found):
            stats[c] = [asdict(s) for s in res.stats]
            for combo in res.solutions:
                minimal.setdefault(combo, set()).add(c)
        combos = sorted(minimal, key=lambda s: (len(s), s))
        tasks = []
        for c in names:
            known: list[bool | None] = []
            for combo in combos:
                if c in minimal[combo]:
                    known.append(True)
                elif len(combo) <= self.max_size and not any(
                    set(s) < set(combo) for s in _solutions_of(found[names.index(c)])
                ):
                    known.append(False)  # phase 1 evaluated it there, or ruled it out
                else:
                    known.append(None)
            tasks.append((c, combos, known))
        decided = self._map("decide", tasks, processes, lambda t: None)
        works: dict[tuple[int, ...], set[str]] = {s: set() for s in combos}
        also: dict[tuple[int, ...], dict[str, tuple[str, ...] | None]] = {
            s: dict.fromkeys(self.others, ()) for s in combos
        }
        undecided: set[str] = set()
        for c, (ok, extra) in zip(names, decided):
            chosen = [s for s, w in zip(combos, ok) if w]
            for s in chosen:
                works[s].add(c)
            for u in self.others:
                flags = extra.get(u)
                if flags is None:
                    undecided.add(u)
                    continue
                for s, f in zip(chosen, flags):
                    if f:
                        also[s][u] = (*also[s][u], c)  # type: ignore[misc]
        for s in combos:
            for u in undecided:
                also[s][u] = None
        return works, minimal, also, stats

    def _map(
        self, method: str, tasks: list[tuple], processes: int, done: Callable[[tuple], None]
    ) -> list[Any]:
        """``getattr(self, method)(*task)`` for each task, in up to ``processes`` forked
        workers (here when one is enough, or no fork is possible).

        The workers take the tasks in runs of neighbouring ones, two runs per worker: each
        worker keeps its verdicts (per canonical space, :mod:`.control_prune`) from task to
        task, and neighbouring contexts of a bundle share many (the bundled model, sets of up
        to 3: one context at a time to either worker, 13-16 CPU s for the question; runs of
        6, 11 s, as evenly spread over the two workers)."""
        n = min(processes, len(tasks))
        if n <= 1 or mp.current_process().daemon or "fork" not in mp.get_all_start_methods():
            out = []
            for t in tasks:
                extra = (processes,) if method == "find" else ()
                out.append(getattr(self, method)(*t, *extra))
                done(t)
            return out
        key = id(self)
        _RUNS[key] = self
        try:
            results: list[Any] = [None] * len(tasks)
            run = -(-len(tasks) // (2 * n))
            with mp.get_context("fork").Pool(n) as pool:
                replies = pool.imap(_task_of, [(key, method, t) for t in tasks], chunksize=run)
                for i, reply in enumerate(replies):
                    results[i] = _unwrap(reply)
                    done(tasks[i])
            return results
        finally:
            _RUNS.pop(key, None)


def _solutions_of(res: ContextResult) -> list[tuple[int, ...]]:
    return res.solutions


def _task(key: int, method: str, args: tuple) -> tuple[str, Any]:
    """In a forked worker: one task, errors sent back as values (re-raised in the parent)."""
    run = _RUNS[key]
    if key not in _REGROUND:
        # a clingo control of its own (searching with the parent's copy-on-write one writes to
        # every page it touches); grounding takes milliseconds
        run.search.solver.asp = run.search.solver.new_engine()
        _REGROUND.add(key)
    try:
        return "ok", getattr(run, method)(*args)
    except BudgetExceeded as e:
        return "budget", (e.what, e.hint)


def _task_of(args: tuple[int, str, tuple]) -> tuple[str, Any]:
    return _task(*args)


def _unwrap(reply: tuple[str, Any]) -> Any:
    status, value = reply
    if status == "budget":
        raise BudgetExceeded(*value)
    return value


def elapsed_since(start: float) -> float:
    return time.monotonic() - start
