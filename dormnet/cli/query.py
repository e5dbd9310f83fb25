"""Commands that query dynamics: attractors, fixed-points, trap-spaces, landscape, validate."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..choices import ASYNC_ENGINES, TRAP_SPACE_KINDS
from ..errors import DormnetError
from .common import (
    COUNT,
    FORMAT,
    LIMIT,
    MODEL,
    OUTPUT,
    PHENOTYPE,
    SCENARIO,
    TIMEOUT,
    UPDATE,
    bundle_of,
    emit,
    options,
    scenario_of,
    show,
    spinner,
    with_progress,
)


def _query(
    model,
    query,
    *,
    update="async",
    kind="min",
    engine="auto",
    limit=None,
    count=False,
    timeout=None,
    fmt="table",
    output=None,
    **scen,
) -> None:
    """The body shared by attractors, fixed-points and trap-spaces."""
    from .. import analysis

    phenotypes = scen.pop("phenotypes")
    bundle = bundle_of(model, phenotypes)
    scenario = scenario_of(**scen)
    how = {"query": query, "update": update, "kind": kind, "timeout": timeout, "engine": engine}
    with spinner(f"computing {query}"):
        if count:
            emit(f"{analysis.count(bundle, scenario, **how)}\n", output)  # type: ignore[arg-type]
            return
        result = analysis.analyse(bundle, scenario, limit=limit, **how)  # type: ignore[arg-type]
    from ..render import analysis_table

    if len(result) == limit:
        click.echo(
            f"note: listing stopped at --limit {limit:,}; --count gives the exact number", err=True
        )
    show(analysis_table(result, extra={"model": str(model)}), fmt, output, fit=True)


@click.command()
@click.argument("model", type=MODEL)
@UPDATE
@click.option(
    "--engine",
    type=click.Choice(ASYNC_ENGINES),
    default="auto",
    show_default=True,
    help="Asynchronous engine: aeon (minimal trap spaces + biodivine-aeon), colours "
    "(biodivine-aeon on the whole network, inputs as colours), biobalm (succession diagram), "
    "auto (all three side by side, the first answer wins). All exact.",
)
@SCENARIO
@options(LIMIT, COUNT, TIMEOUT, FORMAT, OUTPUT)
def attractors(model: Path, **kw: Any) -> None:
    """Complete attractors of MODEL under an update scheme, with phenotypes."""
    _query(model, "attractors", **kw)


@click.command("fixed-points")
@click.argument("model", type=MODEL)
@SCENARIO
@options(LIMIT, COUNT, TIMEOUT, FORMAT, OUTPUT)
def fixed_points_cmd(model: Path, **kw: Any) -> None:
    """Fixed points of MODEL (steady states, the same under every update scheme)."""
    _query(model, "fixed-points", **kw)


@click.command("trap-spaces")
@click.argument("model", type=MODEL)
@click.option("--kind", type=click.Choice(TRAP_SPACE_KINDS), default="min", show_default=True)
@SCENARIO
@options(LIMIT, COUNT, TIMEOUT, FORMAT, OUTPUT)
def trap_spaces_cmd(model: Path, **kw: Any) -> None:
    """Minimal, maximal or all trap spaces of MODEL."""
    _query(model, "trap-spaces", **kw)


@click.command()
@click.argument("model", type=MODEL, required=False)
@click.option(
    "--inputs",
    help="Comma-separated inputs to sweep over all 0/1 combinations "
    "(default: the model's named contexts).",
)
@click.option(
    "--base",
    "base_text",
    metavar="ITEMS",
    help="A scenario held in every combination (its context sets the other inputs).",
)
@UPDATE
@options(PHENOTYPE, TIMEOUT, FORMAT, OUTPUT)
def landscape(model, inputs, base_text, update, phenotypes, timeout, fmt, output) -> None:
    """The microenvironment landscape: attractor phenotypes per context or input combination."""
    from ..analysis import landscape as sweep
    from ..render import landscape_table
    from ..scenario import Scenario

    bundle = bundle_of(model, phenotypes)
    names = [s.strip() for s in inputs.split(",")] if inputs else None
    total = len(bundle.contexts) if names is None else 2 ** min(len(names), 16)
    rows = with_progress(
        total,
        "landscape",
        lambda tick: sweep(
            bundle,
            inputs=names,
            update=update,
            base=Scenario.parse(base_text or ""),
            timeout=timeout,
            progress=tick,
        ),
    )
    show(
        landscape_table(rows, title=f"{update} landscape of {bundle.path}", update=update),
        fmt,
        output,
    )


@click.command()
@click.argument("model", type=MODEL, required=False)
@click.option("--id", "ids", multiple=True, help="Check only these expectations (repeatable).")
@options(TIMEOUT, FORMAT, OUTPUT)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 on any unexpected failure (default: only confidence-H failures).",
)
def validate(model, ids, timeout, fmt, output, strict) -> None:
    """Check the literature expectations of MODEL and tabulate pass/fail with references."""
    from ..expectations import check_expectations, summary
    from ..render import outcomes_table

    bundle = bundle_of(model)
    if not bundle.expectations:
        raise DormnetError(f"{bundle.path}: no expectations file beside the model")
    outcomes = with_progress(
        len(ids) or len(bundle.expectations),
        "validating",
        lambda tick: check_expectations(bundle, ids=ids, timeout=timeout, progress=tick),
    )
    show(
        outcomes_table(outcomes, summary(outcomes), title=f"validation of {bundle.path}"),
        fmt,
        output,
    )
    known = set(bundle.expected_failures)
    bad = [
        o
        for o in outcomes
        if not o.passed
        and o.expectation.id not in known
        and (strict or o.expectation.confidence == "H")
    ]
    if bad:
        click.echo(
            f"{len(bad)} unexpected failures: {', '.join(o.expectation.id for o in bad)}", err=True
        )
        sys.exit(1)
