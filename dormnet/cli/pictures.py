"""Pictures: one figure, or the whole report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..choices import FIGURE_KINDS
from .common import (
    FORMAT,
    MODEL,
    TIMEOUT,
    UPDATE,
    bundle_of,
    options,
    show,
    spinner,
)


@click.command("figure")
@click.argument("kind", type=click.Choice(FIGURE_KINDS))
@click.argument("model", type=MODEL, required=False)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Image file to write (atomically): .png or .svg.",
)
@click.option(
    "--screen",
    "screen_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="screen: draw rows written by 'dormnet screen -o'.",
)
@click.option(
    "--context",
    help="screen: the pair matrix of this context only (default: all); simulation: the context.",
)
@click.option(
    "--top",
    type=click.IntRange(min=2),
    default=40,
    show_default=True,
    help="screen: perturbations on each axis of the pair matrix.",
)
@click.option(
    "--drugs/--no-drugs",
    default=True,
    show_default=True,
    help="screen computed here: include the model's drugs.",
)
@UPDATE
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=None,
    help="screen computed here: worker processes.",
)
@click.option("--compact", is_flag=True, help="PNG with a 256-colour palette (a third the size).")
@options(TIMEOUT, FORMAT)
def figure_cmd(kind, model, output, screen_file, compact, fmt, **kw: Any) -> None:
    """Draw a figure of MODEL (default: the bundled dormancy model) as PNG or SVG.

    KIND is network (interaction graph by module), landscape (attractor states per context),
    screen (switch classes per perturbation and context; pairs as a matrix), validation
    (expectations pass/fail with references) or simulation (phenotype probabilities over time,
    stochastic simulation in --context). Prints what it wrote.
    """
    from .. import figures
    from ..io.screen_rows import read_rows

    figures.image_format(output)
    rows = read_rows(screen_file) if screen_file is not None else None
    with spinner(f"computing the {kind} figure"):
        fig = figures.draw(kind, model, screen_rows=rows, **kw)
    figures.save_figure(fig, output, compact=compact)
    show(figures.image_table(output, kind, fig), fmt, None)


@click.command("report")
@click.argument("model", type=MODEL, required=False)
@click.option(
    "-o",
    "--output",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Directory to write index.html into (created if needed).",
)
@click.option(
    "--double/--no-double",
    default=True,
    show_default=True,
    help="Also screen all pairs of perturbations.",
)
@UPDATE
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for the screens (default: one per core).",
)
@options(TIMEOUT, FORMAT)
def report_cmd(model, directory, fmt, **kw: Any) -> None:
    """Write one self-contained HTML report of MODEL (default: the bundled dormancy model).

    DIR/index.html holds the model summary, the interaction graph, the landscape across
    contexts, the top single, drug and pair screen hits, the literature validation and the
    provenance of every node, with the figures embedded: it opens offline in any browser.
    """
    from ..report import collect, summary_table, write_report

    bundle = bundle_of(model)
    with spinner("report") as status:
        say = (lambda text: status.update(f"report: {text}")) if status is not None else None
        data = collect(bundle, progress=say, **kw)
        path = write_report(bundle, directory, data=data)
    show(summary_table(data, path), fmt, None)
