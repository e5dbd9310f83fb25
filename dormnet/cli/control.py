"""The control command: the smallest interventions that give a phenotype in each context."""

from __future__ import annotations

import click

from ..bundle import DRUG_EVIDENCE
from ..control import AGENT_KINDS, CONTROL_MODES, CONTROL_UPDATES
from .common import FORMAT, MODEL, OUTPUT, PHENOTYPE, TIMEOUT, bundle_of, options, show, spinner


def _csv(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


@click.command("control")
@click.argument("model", type=MODEL, required=False)
@click.option("--to", "to", metavar="PHENOTYPE", help="The phenotype every attractor must carry.")
@click.option("--target", metavar="EXPR", help="Or a Boolean expression over nodes.")
@click.option(
    "--from",
    "source",
    metavar="PHENOTYPE",
    help="Only contexts with an attractor of this phenotype (temporary mode: start there).",
)
@click.option("--context", "contexts", multiple=True, help="Search in these contexts.")
@click.option("--all-contexts", is_flag=True, help="Search in every named context (the default).")
@click.option("--max-size", type=click.IntRange(min=0), default=2, show_default=True)
@click.option("--agents", type=click.Choice(AGENT_KINDS), default="genes", show_default=True)
@click.option(
    "--nodes", multiple=True, help="Knock out / overexpress only these (comma-separated)."
)
@click.option(
    "--min-evidence",
    type=click.Choice(DRUG_EVIDENCE),
    help="Only drugs with this evidence or more.",
)
@click.option("--mode", type=click.Choice(CONTROL_MODES), default="permanent", show_default=True)
@click.option("--update", type=click.Choice(CONTROL_UPDATES), default="mp", show_default=True)
@click.option(
    "--cross-check/--no-cross-check",
    default=True,
    show_default=True,
    help="Also decide each solution under the other update schemes.",
)
@click.option("--processes", type=click.IntRange(min=1), help="Worker processes (default: all).")
@options(PHENOTYPE, TIMEOUT, FORMAT, OUTPUT)
def control_cmd(model, contexts, all_contexts, nodes, phenotypes, fmt, output, **how) -> None:
    """The smallest sets of knockouts, overexpressions or drugs after which every attractor
    carries a phenotype (--to) or satisfies an expression (--target), in each context.

    Permanent mode keeps the interventions on; temporary mode releases them once the cell has
    settled, and asks that the effect last. Every set listed is minimal (no proper subset works
    in the contexts where it is minimal) and the list is complete up to --max-size.
    """
    from ..control import control
    from ..render import control_table

    bundle = bundle_of(model, phenotypes)
    with spinner("searching for control sets"):
        result = control(bundle, contexts=list(contexts) or None, nodes=_csv(nodes) or None, **how)
    show(control_table(result), fmt, output)
