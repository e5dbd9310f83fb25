"""The enumerations of the API, declared once: each is a ``Literal`` for the type hints and a
tuple of the same words for run-time checks and the CLI's ``click.Choice``.

This module imports nothing, so the command line can build its options without loading an
engine.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "Update",
    "UPDATES",
    "Query",
    "QUERIES",
    "TrapSpaceKind",
    "TRAP_SPACE_KINDS",
    "AsyncEngine",
    "ASYNC_ENGINES",
    "Format",
    "FORMATS",
    "GraphFormat",
    "GRAPH_FORMATS",
    "ExportFormat",
    "EXPORT_FORMATS",
    "FigureKind",
    "FIGURE_KINDS",
    "check_choice",
]

#: update schemes: fully asynchronous, synchronous, most permissive
Update = Literal["async", "sync", "mp"]
UPDATES: tuple[Update, ...] = get_args(Update)

#: what an analysis computes: attractors under an update scheme, fixed points (the same under
#: every scheme), or trap spaces
Query = Literal["attractors", "fixed-points", "trap-spaces"]
QUERIES: tuple[Query, ...] = get_args(Query)

#: which trap spaces: inclusion-minimal, inclusion-maximal (non-trivial), or all of them
TrapSpaceKind = Literal["min", "max", "all"]
TRAP_SPACE_KINDS: tuple[TrapSpaceKind, ...] = get_args(TrapSpaceKind)

#: exact asynchronous engines (:mod:`dormnet._engines.asynchronous`)
AsyncEngine = Literal["auto", "aeon", "colours", "biobalm"]
ASYNC_ENGINES: tuple[AsyncEngine, ...] = get_args(AsyncEngine)

#: how results are written: a table for people, JSON (the stable machine format), TSV
Format = Literal["table", "json", "tsv"]
FORMATS: tuple[Format, ...] = get_args(Format)

#: the interaction graph as a file (:func:`dormnet.graph.format_graph`)
GraphFormat = Literal["graphml", "sif", "dot", "json"]
GRAPH_FORMATS: tuple[GraphFormat, ...] = get_args(GraphFormat)

#: formats other tools read (:mod:`dormnet.io.export`)
ExportFormat = Literal["sbml-qual", "boolnet", "maboss", "graphml", "sif", "primes-json", "bnet"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)

#: figures (:mod:`dormnet.figures`)
FigureKind = Literal[
    "network", "landscape", "screen", "validation", "simulation", "transitions"
]
FIGURE_KINDS: tuple[FigureKind, ...] = get_args(FigureKind)


def check_choice(name: str, value: object, allowed: tuple[str, ...]) -> None:
    """Raise :class:`ValueError` naming the allowed words if ``value`` is not one of them.

    Parameters
    ----------
    name : str
        What the value is (for the message).
    value : object
    allowed : tuple of str

    Raises
    ------
    ValueError
        ``value`` is not in ``allowed``.

    Examples
    --------
    >>> check_choice("update", "mp", UPDATES)
    >>> check_choice("update", "fast", UPDATES)
    Traceback (most recent call last):
    ...
    ValueError: update must be one of async, sync, mp, not 'fast'
    """
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
