"""Commands about dynamics over time: ``switch`` (a cell moved from one scenario to the next, or
every context -> context switch of a model), ``basins`` (:mod:`dormnet.switch`,
:mod:`dormnet.basins`) and ``simulate`` (phenotype probabilities over time, MaBoSS semantics;
:mod:`dormnet.simulate`).

A switch computation that runs out of its budget (``--timeout``, or a BDD too large) still writes
what is certain so far, marked as partial (``"complete": false`` in JSON), says why on stderr and
exits with status 3.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..errors import BudgetExceeded, DormnetError
from .common import (
    FORMAT,
    MODEL,
    OUTPUT,
    PHENOTYPE,
    SCENARIO,
    TIMEOUT,
    UPDATE,
    bundle_of,
    options,
    scenario_of,
    show,
    spinner,
)

#: exit status of a partial answer (the budget ran out; what is certain was written)
PARTIAL = 3


def _answer(compute: Callable[[], Any], table: Callable[[Any], Any], fmt: str, output) -> None:
    """Compute, render and emit; on a budget with a partial answer, emit that, then exit 3."""
    try:
        result = compute()
    except BudgetExceeded as e:
        if e.partial is None:
            raise
        show(table(e.partial), fmt, output)
        click.echo(f"error: {e}", err=True)
        click.echo("error: the answer written is partial (what is certain so far)", err=True)
        click.get_current_context().exit(PARTIAL)
    show(table(result), fmt, output)


@click.command("switch")
@click.argument("model", type=MODEL, required=False)
@click.option("--from", "start", metavar="ITEMS", help="The scenario the cell starts in.")
@click.option("--to", "to", metavar="ITEMS", help="The scenario it is moved to.")
@click.option("--then", "then", multiple=True, metavar="ITEMS", help="Further scenarios, in turn.")
@click.option("--all-contexts", is_flag=True, help="Every context -> context switch of the model.")
@click.option(
    "--base", "base_text", metavar="ITEMS", help="Held in every context (--all-contexts)."
)
@UPDATE
@options(PHENOTYPE, TIMEOUT, FORMAT, OUTPUT)
def switch_cmd(
    model, start, to, then, all_contexts, base_text, update, phenotypes, timeout, fmt, output
) -> None:
    """Where cells go when their scenario changes: for each attractor of --from, the attractors
    of --to it reaches possibly (some trajectory) and always (every trajectory). A scenario is
    comma-separated items: a context, NODE=0|1, ko:NODE, oe:NODE, drug:NAME. Exit status 3: the
    budget ran out and the answer written is partial."""
    from ..scenario import Scenario
    from ..switch import switch as switch_of
    from ..switch import transition_matrix
    from ..switch_tables import switch_table, transitions_table

    bundle = bundle_of(model, phenotypes)
    extra = {"model": str(bundle.path)}
    if all_contexts == bool(start or to or then):
        raise DormnetError("give --from and --to (and --then), or --all-contexts")
    if all_contexts:
        base = Scenario.parse(base_text or "")

        def run():
            return transition_matrix(bundle, base=base, update=update, timeout=timeout)

        with spinner("computing the context switches"):
            return _answer(run, lambda m: transitions_table(m, extra=extra), fmt, output)
    if not (start and to):
        raise DormnetError("give both --from and --to")
    steps = [Scenario.parse(t) for t in (start, to, *then)]
    with spinner("computing the switch"):
        _answer(
            lambda: switch_of(bundle, steps, update=update, timeout=timeout),
            lambda s: switch_table(s, extra=extra),
            fmt,
            output,
        )


@click.command()
@click.argument("model", type=MODEL, required=False)
@SCENARIO
@UPDATE
@options(TIMEOUT, FORMAT, OUTPUT)
def basins(model: Path | None, update, timeout, fmt, output, **scen: Any) -> None:
    """Weak and strong basin of every attractor of a scenario: the share of its states (clamped
    nodes at their values) that can reach it, and that reach only it. Exact (symbolic, or
    exhaustive under --update sync)."""
    from ..basins import basins as compute
    from ..switch_tables import basins_table

    bundle = bundle_of(model, scen.pop("phenotypes"))
    scenario = scenario_of(**scen)
    with spinner("computing basins"):
        result = compute(bundle, scenario, update=update, timeout=timeout)
    show(basins_table(result, extra={"model": str(bundle.path)}), fmt, output)


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
