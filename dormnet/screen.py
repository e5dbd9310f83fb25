"""Perturbation screens: knockouts, overexpressions and drugs, singly and in combination,
in every context, classified by how they move the phenotypes.

One row per (context, perturbation): the phenotypes of the attractors before and after, the
switch class (``dormancy-inducing``, ``awakening``, ``eliminating``, ``no change``,
``dormancy-losing``, ``growth-arresting``, ``other shift``, ``no attractor``) and, for
combinations, whether the effect needs the combination (no constituent alone gives the same
phenotypes: ``synergy``).

Speed comes from the design, not the machine (:mod:`dormnet._engines.screening`): every
perturbation is percolated with bitmasks; perturbations that percolate to the same subspace share
one result; a fully percolated subspace *is* the answer; the rest go to clingo, grounded once with
clamps as externals. Independent chunks run in parallel processes, or on a Dask cluster with
``scheduler=``. Rows are journaled as they finish, so an interrupted screen resumes without losing
or redoing a finished row.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._screen_worker import Spec, run_chunk, worker
from .bundle import Bundle
from .choices import check_choice
from .errors import DormnetError, ScreenInterrupted, UnknownNodeError
from .io.bnet import format_bnet
from .io.screen_rows import ScreenResult, ScreenRow
from .network import unknown_name_message
from .phenotypes import attractor_switch, switch_class

__all__ = [
    "SCREEN_QUERIES",
    "SCREEN_UPDATES",
    "SWITCH_CLASSES",
    "Intervention",
    "attractor_switch",
    "interventions",
    "screen",
    "screen_to",
    "switch_class",
]

#: what a screen compares: attractors (under an update scheme) or fixed points only
SCREEN_QUERIES = ("attractors", "fixed-points")
#: the update schemes a screen runs: most permissive (the minimal trap spaces, which include the
#: fixed points) or exact asynchronous attractors
SCREEN_UPDATES = ("mp", "async")
SWITCH_CLASSES = (
    "dormancy-inducing",
    "awakening",
    "eliminating",
    "no change",
    "dormancy-losing",
    "growth-arresting",
    "other shift",
    "no attractor",
)


@dataclass(frozen=True)
class Intervention:
    """One perturbation: a label, the clamps it applies, and its single parts."""

    label: str
    clamps: tuple[tuple[str, int], ...]
    parts: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.parts)


def interventions(
    bundle: Bundle,
    *,
    sizes: Sequence[int] = (1,),
    kinds: Sequence[str] = ("ko", "oe"),
    nodes: Sequence[str] | None = None,
    exclude_inputs: bool = True,
    drugs: Sequence[str] | str | None = None,
) -> list[Intervention]:
    """The perturbations of a screen: singles, then pairs, then triples (as asked).

    Combinations never clamp one node twice. Drugs (``"all"`` or names) join the singles.

    Parameters
    ----------
    bundle : Bundle
    sizes : sequence of int
        1 for singles, 2 for pairs, 3 for triples.
    kinds : sequence of {"ko", "oe"}
        Knockouts, overexpressions.
    nodes : sequence of str, optional
        Default: every node but the constants (and the inputs, with ``exclude_inputs``).
    exclude_inputs : bool
    drugs : "all", sequence of str or None
        Drugs of the bundle's table to add to the singles.

    Returns
    -------
    list of Intervention

    Raises
    ------
    UnknownNodeError
        An unknown node, kind or drug.

    Examples
    --------
    >>> from dormnet import BooleanNetwork
    >>> from dormnet.bundle import Bundle
    >>> b = Bundle(BooleanNetwork({"a": "a", "b": "a", "c": "b"}))
    >>> [i.label for i in interventions(b, kinds=("ko",), sizes=(1, 2))]
    ['b-KO', 'c-KO', 'b-KO + c-KO']
    """
    net = bundle.network
    for k in kinds:
        if k not in ("ko", "oe"):
            raise UnknownNodeError(f"unknown perturbation kind {k!r}; use ko, oe")
    if nodes is None:
        skip = set(net.inputs) | set(net.constants) if exclude_inputs else set(net.constants)
        nodes = [n for n in net.nodes if n not in skip]
    for n in nodes:
        if n not in net:
            raise UnknownNodeError(unknown_name_message(n, net.nodes, "node"))
    singles: list[Intervention] = []
    for n in nodes:
        if "ko" in kinds:
            singles.append(Intervention(f"{n}-KO", ((n, 0),), (f"{n}-KO",)))
        if "oe" in kinds:
            singles.append(Intervention(f"{n}-OE", ((n, 1),), (f"{n}-OE",)))
    if drugs:
        names = list(bundle.drugs) if drugs == "all" or list(drugs) == ["all"] else list(drugs)
        for d in names:
            drug = bundle.drug(d)
            singles.append(
                Intervention(drug.name, tuple(sorted(drug.clamps.items())), (drug.name,))
            )
    out: list[Intervention] = []
    for size in sorted(set(sizes)):
        if size == 1:
            out.extend(singles)
            continue
        for combo in itertools.combinations(singles, size):
            clamps: dict[str, int] = {}
            ok = True
            for part in combo:
                for node, v in part.clamps:
                    if node in clamps:
                        ok = False
                    clamps[node] = v
            if ok:
                out.append(
                    Intervention(
                        " + ".join(p.label for p in combo),
                        tuple(sorted(clamps.items())),
                        tuple(p.label for p in combo),
                    )
                )
    return out


# -- the orchestrating side ------------------------------------------------------------------


def _journal_header(spec: Spec, items: int) -> dict:
    return {"dormnet_screen_journal": 1, "spec": spec.digest(), "items": items}


def _read_journal(path: Path, spec: Spec) -> dict[str, dict]:
    done: dict[str, dict] = {}
    if not path.exists():
        return done
    with path.open(encoding="utf-8") as fh:
        first = fh.readline()
        try:
            head = json.loads(first)
        except json.JSONDecodeError:
            raise DormnetError(f"{path}: not a dormnet screen journal") from None
        if head.get("spec") != spec.digest():
            raise DormnetError(
                f"{path}: journal of a different screen (model, contexts, "
                "phenotypes or options changed); delete it or drop --resume"
            )
        for line in fh:
            if not line.endswith("\n"):
                break  # a partial last line from an interrupted write
            row = json.loads(line)
            done[f"{row['context']}\t{row['perturbation']}"] = row
    return done


def screen(
    bundle: Bundle,
    items: Sequence[Intervention],
    *,
    contexts: Sequence[str] | None = None,
    query: str = "attractors",
    update: str = "mp",
    processes: int | None = None,
    scheduler: str | None = None,
    journal: str | os.PathLike[str] | None = None,
    resume: bool = False,
    chunk_size: int = 2000,
    max_rows: int | None = 5_000_000,
    progress: Callable[[int], None] | None = None,
) -> ScreenResult:
    """Run a screen: every intervention in every context.

    Parameters
    ----------
    bundle : Bundle
        The model with contexts and phenotypes.
    items : sequence of Intervention
        From :func:`interventions`.
    contexts : sequence of str, optional
        Context names (default: all named contexts; a model without contexts is screened in the
        empty context ``"-"``).
    query : {"attractors", "fixed-points"}
        Compare attractors (under ``update``) or fixed points only.
    update : {"mp", "async"}
        Most permissive attractors, the minimal trap spaces (default; they include the fixed
        points), or exact asynchronous attractors.
    processes : int, optional
        Worker processes (default: the CPU count, at most the number of chunks).
    scheduler : str, optional
        Address of a Dask distributed scheduler to run the chunks on instead.
    journal : path, optional
        A JSON-lines file the rows are appended to as they finish; with ``resume=True`` rows
        already in it are not recomputed.
    max_rows : int, optional
        Refuse (:class:`~dormnet.errors.BudgetExceeded`) a screen with more rows.
    progress : callable, optional
        Called with the number of rows finished each time a chunk completes.

    Returns
    -------
    ScreenResult
        A list of :class:`~dormnet.io.screen_rows.ScreenRow`, in (context, intervention) order.
    """
    check_choice("query", query, SCREEN_QUERIES)
    check_choice("update", update, SCREEN_UPDATES)
    mode = "fixed-points" if query == "fixed-points" else update
    names = list(contexts) if contexts else (list(bundle.contexts) or ["-"])
    total = len(items) * len(names)
    if max_rows is not None and total > max_rows:
        from .errors import BudgetExceeded

        raise BudgetExceeded(
            f"this screen has {total:,} rows, more than the limit of {max_rows:,}",
            "screen fewer nodes (--nodes) or contexts (--context), raise --max-rows, or run it "
            "on a Dask cluster (--scheduler) writing to a file",
        )
    ctx_values = []
    for n in names:
        ctx_values.append((n, tuple(sorted(bundle.context(n).inputs.items())) if n != "-" else ()))
    spec = Spec(
        format_bnet(bundle.network),
        tuple((w, p.rule) for w, p in bundle.phenotypes.items()),
        tuple(ctx_values),
        mode,
    )
    singles = {}
    for it in items:
        if it.size == 1:
            singles[it.label] = it.clamps
    for it in items:  # combinations need their parts' clamps, even if the singles are not listed
        if it.size > 1:
            for part, clamp in zip(it.parts, _split_clamps(bundle, it)):
                singles.setdefault(part, clamp)
    plain = [(it.label, it.clamps, it.parts) for it in items]
    jpath = Path(journal) if journal is not None else None
    done = _read_journal(jpath, spec) if (jpath is not None and resume) else {}
    if jpath is not None and not resume and jpath.exists():
        jpath.unlink()
    chunks = []
    for ctx in names:
        todo = [p for p in plain if f"{ctx}\t{p[0]}" not in done]
        for i in range(0, len(todo), chunk_size):
            chunks.append((ctx, todo[i : i + chunk_size]))
    results: dict[str, dict] = dict(done)
    if progress and done:
        progress(len(done))
    fh = None
    if jpath is not None:
        new = not jpath.exists()
        fh = jpath.open("a", encoding="utf-8")
        if new:
            fh.write(json.dumps(_journal_header(spec, len(plain) * len(names))) + "\n")
            fh.flush()

    def record(rows: list[dict]) -> None:
        for r in rows:
            results[f"{r['context']}\t{r['perturbation']}"] = r
        if fh is not None:
            fh.write("".join(json.dumps(r) + "\n" for r in rows))
            fh.flush()
            os.fsync(fh.fileno())
        if progress:
            progress(len(rows))

    try:
        if scheduler:
            _run_dask(scheduler, spec, chunks, singles, record)
        else:
            _run_local(spec, chunks, singles, record, processes, bundle.network)
    except KeyboardInterrupt:
        raise ScreenInterrupted(
            f"interrupted: {len(results)} of {len(plain) * len(names)} rows finished"
            + (f" and saved in {jpath}; run again with --resume to finish" if jpath else "")
        ) from None
    finally:
        if fh is not None:
            fh.close()
    rows = ScreenResult()
    for ctx in names:
        for label, _, _ in plain:
            rows.append(ScreenRow(**results[f"{ctx}\t{label}"]))
    return rows


def _split_clamps(bundle: Bundle, it: Intervention) -> list[tuple]:
    out = []
    for part in it.parts:
        if part.endswith("-KO"):
            out.append(((part[:-3], 0),))
        elif part.endswith("-OE"):
            out.append(((part[:-3], 1),))
        else:
            out.append(tuple(sorted(bundle.drug(part).clamps.items())))
    return out


def _run_local(spec, chunks, singles, record, processes, net=None) -> None:
    n = processes or os.cpu_count() or 1
    n = max(1, min(n, len(chunks)))
    worker(spec, net)  # build it once here: forked workers inherit it, imports included
    if n == 1:
        for ctx, items in chunks:
            record(run_chunk(spec, ctx, items, singles))
        return
    import multiprocessing as mp

    ctx_mp = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    pool = ctx_mp.Pool(n)
    try:
        jobs = [pool.apply_async(run_chunk, (spec, c, items, singles)) for c, items in chunks]
        pending = list(jobs)
        while pending:
            still = []
            for j in pending:
                if j.ready():
                    record(j.get())
                else:
                    still.append(j)
            pending = still
            if pending:
                pending[0].wait(0.05)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def _run_dask(address, spec, chunks, singles, record) -> None:
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        raise DormnetError(
            "--scheduler needs dask.distributed: pip install 'dask[distributed]'"
        ) from None
    try:
        client = Client(address, timeout=30)
    except OSError as e:
        raise DormnetError(f"cannot connect to the Dask scheduler at {address}: {e}") from None
    try:
        futures = [
            client.submit(run_chunk, spec, c, items, singles, pure=False) for c, items in chunks
        ]
        for fut in as_completed(futures):
            record(fut.result())
    finally:
        client.close()


def screen_to(
    bundle: Bundle,
    items: Sequence[Intervention],
    output: str | os.PathLike[str] | None,
    *,
    fmt: str = "tsv",
    resume: bool = False,
    **options: Any,
) -> tuple[str | None, str]:
    """Run a screen and write its rows (``dormnet screen``).

    With ``output`` a regular file (or a new name), rows are journaled beside it as they finish
    (``FILE.journal.jsonl``), the journal lets ``resume`` continue an interrupted run, and it is
    removed once the rows are written. An output that is written to directly (``/dev/stdout``, a
    FIFO: :func:`dormnet.io._atomic.writes_through`) has no journal.

    Parameters
    ----------
    bundle : Bundle
    items : sequence of Intervention
    output : path or None
        The file to write; ``None`` returns the text.
    fmt : {"tsv", "json", "parquet"}
    resume : bool
        Continue from the journal of an interrupted run.
    **options
        Passed to :func:`screen` (contexts, query, update, processes, scheduler, chunk_size,
        max_rows, progress).

    Returns
    -------
    (str or None, str)
        The text (when ``output`` is None) and a one-line summary for people ("" without output).
    """
    from collections import Counter

    from .io._atomic import writes_through
    from .io.screen_rows import write_rows

    if not items:
        raise DormnetError("nothing to screen: give --single, --double or --triple")
    # the journal lives beside a regular output file; not beside /dev/stdout or a FIFO
    journal = None
    if output is not None and not writes_through(output):
        journal = Path(str(output) + ".journal.jsonl")
    if resume and journal is None:
        raise DormnetError("--resume needs -o FILE, a regular file (the journal lives beside it)")
    rows = screen(bundle, items, journal=journal, resume=resume, **options)
    text = write_rows(rows, output, fmt)
    if journal is not None and journal.exists():
        journal.unlink()
    if output is None:
        return text, ""
    counts = Counter(r.switch for r in rows)
    said = f"{len(rows)} rows written to {output}: " + ", ".join(
        f"{k} {v}" for k, v in counts.most_common()
    )
    return text, said
