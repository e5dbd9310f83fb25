"""What the commands share: option declarations, loading a model with its companions, scenario
parsing, rendering and writing results, progress on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..choices import FORMATS, UPDATES
from ..errors import DormnetError

__all__ = [
    "MODEL",
    "OUTPUT",
    "FORMAT",
    "TIMEOUT",
    "LIMIT",
    "COUNT",
    "PHENOTYPE",
    "UPDATE",
    "SCENARIO",
    "bundle_of",
    "emit",
    "options",
    "scenario_of",
    "show",
    "spinner",
    "with_progress",
]

MODEL = click.Path(exists=False, dir_okay=False, path_type=Path)


def emit(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output`` atomically, or to stdout.

    Parameters
    ----------
    text : str
    output : Path or None

    Raises
    ------
    DormnetError
        The file cannot be written.
    """
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from ..io._atomic import atomic_write_text

    try:
        atomic_write_text(output, text)
    except OSError as e:
        raise DormnetError(f"cannot write {output}: {e.strerror or e}") from None


def show(table: Any, fmt: str, output: Path | None, *, fit: bool = False) -> None:
    """Render a :class:`~dormnet.render.Table` and emit it (on a terminal: coloured, and with
    ``fit`` narrowed to the width).

    Parameters
    ----------
    table : Table
    fmt : {"table", "json", "tsv"}
    output : Path or None
        Written atomically; stdout if ``None``.
    fit : bool
    """
    from ..render import fit_columns, render

    tty = output is None and sys.stdout.isatty()
    if fit and fmt == "table":
        table = fit_columns(table)
    emit(render(table, fmt, color=tty, show=None if output is not None else 20), output)  # type: ignore[arg-type]


def bundle_of(model: Path | None, phenotypes: tuple[str, ...] = ()) -> Any:
    """The model with its companion files, plus phenotypes given as ``NAME=EXPR``.

    Parameters
    ----------
    model : Path or None
        ``None``: the bundled dormancy model.
    phenotypes : tuple of str
        ``--phenotype NAME=EXPR``.

    Returns
    -------
    Bundle
    """
    from ..bundle import load_bundle, phenotypes_from_rules

    bundle = load_bundle(model)
    if phenotypes:
        bundle.phenotypes.update(phenotypes_from_rules(bundle.network, list(phenotypes)))
    return bundle


def scenario_of(scenario_text: str | None, context, clamps, knockout, overexpress, drugs) -> Any:
    """One scenario from ``--scenario`` and the shorthand options (added to it).

    Parameters
    ----------
    scenario_text : str or None
        ``--scenario``.
    context : str or None
    clamps : sequence of str
        ``NODE=0|1`` (``--set``).
    knockout, overexpress : sequence of str
        Nodes.
    drugs : sequence of str
        Drug names.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        An item that does not parse.
    """
    from ..scenario import Scenario

    base = Scenario.parse(scenario_text or "")
    extra = Scenario.parse(
        ",".join(
            [
                *clamps,
                *(f"ko:{n}" for n in knockout),
                *(f"oe:{n}" for n in overexpress),
                *(f"drug:{d}" for d in drugs),
            ]
        )
    )
    return base.plus(Scenario(context) if context else Scenario()).plus(extra)


def with_progress(total: int, label: str, work: Callable[[Callable[..., None]], Any]) -> Any:
    """Run ``work(tick)`` with a progress bar on stderr when it is a terminal.

    Parameters
    ----------
    total : int
        Items to do (no bar below 2).
    label : str
    work : callable
        Called with ``tick(k=1)``, which advances the bar.

    Returns
    -------
    object
        What ``work`` returns.
    """
    if not sys.stderr.isatty() or total < 2:
        return work(lambda k=1: None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        return work(lambda k=1: bar.advance(task, k))


def spinner(text: str) -> Any:
    """A transient spinner on stderr when it is a terminal; nothing otherwise.

    Parameters
    ----------
    text : str

    Returns
    -------
    context manager
        Rich's status (``.update(text)``), or a null context off a terminal.
    """
    import contextlib

    if not sys.stderr.isatty():
        return contextlib.nullcontext()
    from rich.console import Console

    return Console(stderr=True).status(text)


def options(*opts: Callable) -> Callable:
    """Apply several click options as one decorator, in the order given.

    Parameters
    ----------
    *opts : callable
        ``click.option(...)`` decorators.

    Returns
    -------
    callable
        A decorator.
    """

    def wrap(f: Callable) -> Callable:
        for o in reversed(opts):
            f = o(f)
        return f

    return wrap


OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (atomically) instead of stdout.",
)
FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table for people, json (stable) or tsv.",
)
TIMEOUT = click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Give up after this many seconds, with a clear message.",
)
LIMIT = click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Stop after N results (--count gives the exact number).",
)
COUNT = click.option("--count", is_flag=True, help="Print the exact number only.")
PHENOTYPE = click.option(
    "--phenotype",
    "phenotypes",
    multiple=True,
    metavar="NAME=EXPR",
    help="Classify with this phenotype rule (repeatable; any name).",
)
UPDATE = click.option(
    "--update",
    type=click.Choice(UPDATES),
    default="async",
    show_default=True,
    help="Update scheme (mp: most permissive).",
)
SCENARIO = options(
    click.option(
        "-s",
        "--scenario",
        "scenario_text",
        metavar="ITEMS",
        help="Comma-separated: a context, NODE=0|1, ko:NODE, oe:NODE, drug:NAME.",
    ),
    click.option("--context", help="A named microenvironment of the model."),
    click.option(
        "--set",
        "clamps",
        multiple=True,
        metavar="NODE=0|1",
        help="Hold a node at a value (repeatable).",
    ),
    click.option("--knockout", "-k", multiple=True, metavar="NODE", help="Hold at 0 (repeatable)."),
    click.option("--overexpress", "-x", multiple=True, metavar="NODE", help="Hold at 1."),
    click.option(
        "--drug",
        "-d",
        "drugs",
        multiple=True,
        metavar="NAME",
        help="A drug of the model's drug table, case-insensitive (repeatable).",
    ),
    PHENOTYPE,
)
