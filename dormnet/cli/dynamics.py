"""Stochastic dynamics: ``dormnet simulate`` (phenotype probabilities over time, MaBoSS
semantics; :mod:`dormnet.simulate`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .common import FORMAT, MODEL, OUTPUT, SCENARIO, options, scenario_of, show, spinner

_POSITIVE = click.FloatRange(min=0, min_open=True)


@click.command("simulate")
@click.argument("model", type=MODEL)
@SCENARIO
@click.option(
    "--rates",
    "rates_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Rates, initial states and run settings: a TOML file (docs/formats.md) or a MaBoSS "
    ".cfg (default for a .bnd model: the .cfg beside it).",
)
@click.option("--initial", metavar="NODE=P,...", help="Probability that a node starts at 1.")
@options(
    click.option("--trajectories", "-n", type=click.IntRange(min=1), help="[default: 10000]"),
    click.option("--max-time", type=_POSITIVE, help="Simulated time [default: 100]."),
    click.option("--time-step", type=_POSITIVE, help="Window length [default: 1]."),
    click.option(
        "--discrete-time/--continuous-time",
        default=None,
        help="One transition per time step (MaBoSS discrete_time) [default: continuous].",
    ),
    click.option("--seed", type=int, help="Random seed [default: 0]."),
    click.option("--processes", "-p", type=click.IntRange(min=1), help="[default: every core]"),
    click.option(
        "--method",
        type=click.Choice(["auto", "sampling", "exact"]),
        default="auto",
        show_default=True,
        help="auto: the exact Markov-chain solution when few nodes are free.",
    ),
    click.option(
        "--stationary",
        "stationary_only",
        is_flag=True,
        help="The exact long-run distribution instead of a time course (up to 20 free nodes).",
    ),
    click.option(
        "--tolerance",
        type=_POSITIVE,
        help="Stop once every 95%% confidence interval is within this of its probability.",
    ),
    click.option(
        "--mutations",
        type=click.Choice(["clamp", "maboss"]),
        default="clamp",
        show_default=True,
        help="Knockouts, drugs and clamps held from time 0, or MaBoSS's huge-rate mutations.",
    ),
)
@FORMAT
@OUTPUT
def simulate_cmd(model: Path, fmt: str, output: Path | None, **kw: Any) -> None:
    """Phenotype and node probabilities of MODEL over time by stochastic simulation."""
    from ..render import simulation_table
    from ..simulate import load_simulation_bundle, simulate_bundle

    bundle = load_simulation_bundle(model, kw["rates_file"], kw.pop("phenotypes"))
    scenario = scenario_of(
        *(kw.pop(k) for k in ("scenario_text", "context", "clamps")),
        *(kw.pop(k) for k in ("knockout", "overexpress", "drugs")),
    )
    with spinner("simulating"):
        result = simulate_bundle(bundle, scenario, **kw)
    show(simulation_table(result, title=f"{model}: {scenario.label()}"), fmt, output, fit=True)
