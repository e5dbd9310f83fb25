"""The screen command: perturbations singly and in combination, in every context."""

from __future__ import annotations

from typing import Any

import click

from .common import (
    MODEL,
    OUTPUT,
    PHENOTYPE,
    bundle_of,
    emit,
    with_progress,
)


def _csv(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


@click.command("screen")
@click.argument("model", type=MODEL, required=False)
@click.option(
    "--single/--no-single", default=True, show_default=True, help="Screen single perturbations."
)
@click.option("--double", is_flag=True, help="Also screen all pairs.")
@click.option("--triple", is_flag=True, help="Also screen all triples.")
@click.option(
    "--kinds",
    default="ko,oe",
    show_default=True,
    help="Perturbation kinds on nodes: ko (held at 0), oe (held at 1).",
)
@click.option("--nodes", "nodes", multiple=True, help="Only these nodes (comma-separated).")
@click.option(
    "--exclude-inputs/--include-inputs",
    default=True,
    show_default=True,
    help="Leave input nodes out of the perturbed nodes.",
)
@click.option(
    "--drugs",
    "drugs",
    multiple=True,
    help="Add drugs of the model's drug table: 'all' or names (comma-separated).",
)
@click.option("--context", "contexts", multiple=True, help="Screen in these contexts.")
@click.option("--all-contexts", is_flag=True, help="Screen in every named context (the default).")
@click.option(
    "--query",
    type=click.Choice(["attractors", "fixed-points"]),
    default="attractors",
    show_default=True,
    help="Compare attractors or fixed points only.",
)
@click.option(
    "--update",
    type=click.Choice(["mp", "async", "stochastic"]),
    default="mp",
    show_default=True,
    help="mp: minimal trap spaces (they include the fixed points); async: exact "
    "asynchronous attractors; stochastic: phenotype probabilities by simulation (MaBoSS "
    "semantics) and their change against the unperturbed scenario.",
)
@click.option(
    "--trajectories",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="stochastic: trajectories per perturbation and context.",
)
@click.option(
    "--max-time",
    type=click.FloatRange(min=0, min_open=True),
    default=100.0,
    show_default=True,
    help="stochastic: simulated time (the last window is kept).",
)
@click.option(
    "--time-step",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="stochastic: window length.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="stochastic: random seed.")
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: one per core).",
)
@click.option("--scheduler", metavar="ADDRESS", help="Run on an existing Dask cluster.")
@click.option("--resume", is_flag=True, help="Continue an interrupted screen written with -o.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=2000, hidden=True)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=5_000_000,
    show_default=True,
    help="Refuse screens with more rows than this.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["tsv", "json", "parquet"]),
    default="tsv",
    show_default=True,
)
@PHENOTYPE
@OUTPUT
def screen_cmd(
    model,
    single,
    double,
    triple,
    kinds,
    nodes,
    exclude_inputs,
    drugs,
    contexts,
    all_contexts,
    phenotypes,
    output,
    **run: Any,
) -> None:
    """Screen knockouts, overexpressions and drugs, singly and in combination, in every context.

    One row per perturbation and context: phenotypes before and after, the switch class, and for
    combinations whether the effect needs the combination (synergy). With -o, rows are journaled
    as they finish (FILE.journal.jsonl) and --resume continues an interrupted run.
    """
    from ..screen import interventions
    from ..stochastic_screen import screen_runner

    runner, run = screen_runner(run)  # the stochastic screen, or the attractor one
    bundle = bundle_of(model, phenotypes)
    sizes = [k for k, on in ((1, single), (2, double), (3, triple)) if on]
    names = _csv(drugs)
    items = interventions(
        bundle,
        sizes=sizes,
        kinds=_csv((kinds,)),
        nodes=_csv(nodes) or None,
        exclude_inputs=exclude_inputs,
        drugs="all" if names == ["all"] else names,
    )
    total = len(items) * (len(contexts) or max(1, len(bundle.contexts)))
    text, said = with_progress(
        total,
        f"screen ({len(items)} perturbations)",
        lambda tick: runner(
            bundle, items, output, contexts=list(contexts) or None, progress=tick, **run
        ),
    )
    if text is not None:
        emit(text, None)
    if said:
        click.echo(said, err=True)
