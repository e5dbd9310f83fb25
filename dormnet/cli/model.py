"""Commands about a model itself: check, info, graph, contexts, explain, export."""

from __future__ import annotations

from pathlib import Path

import click

from ..choices import EXPORT_FORMATS, GRAPH_FORMATS
from ..errors import DormnetError
from .common import (
    FORMAT,
    MODEL,
    OUTPUT,
    bundle_of,
    emit,
    show,
)


@click.command()
@click.argument("model", type=MODEL)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 2).")
def check(model: Path, strict: bool) -> None:
    """Lint MODEL: errors exit with status 2; warnings are listed."""
    from ..io import read_network
    from ..lint import lint

    net = read_network(model)
    found = lint(net)
    for w in found:
        click.echo(str(w), err=True)
    s = "" if len(found) == 1 else "s"
    click.echo(
        f"{model}: {len(net)} nodes, {len(net.inputs)} inputs, {len(found)} warning{s}, no errors"
    )
    if strict and found:
        raise DormnetError(f"{len(found)} warnings (--strict)")


@click.command()
@click.argument("model", type=MODEL)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option(
    "--circuit-limit",
    type=int,
    default=10_000,
    show_default=True,
    help="Stop enumerating feedback circuits after this many.",
)
@OUTPUT
def info(model: Path, fmt: str, circuit_limit: int, output: Path | None) -> None:
    """Summarise MODEL: nodes, inputs, outputs, in-degrees, components, feedback circuits."""
    from ..graph import graph_summary, summary_text
    from ..io import read_network
    from ..render import to_json

    s = graph_summary(read_network(model), circuit_limit=circuit_limit)
    emit(to_json(s) if fmt == "json" else summary_text(s, str(model)), output)


@click.command()
@click.argument("model", type=MODEL)
@click.option(
    "--format", "fmt", type=click.Choice(GRAPH_FORMATS), default="graphml", show_default=True
)
@OUTPUT
def graph(model: Path, fmt: str, output: Path | None) -> None:
    """Write the signed interaction graph of MODEL (GraphML, SIF, DOT or JSON)."""
    from ..graph import format_graph
    from ..io import read_network

    emit(format_graph(read_network(model), fmt), output)  # type: ignore[arg-type]


@click.command()
@click.argument("model", type=MODEL, required=False)
@FORMAT
@OUTPUT
def contexts(model: Path | None, fmt: str, output: Path | None) -> None:
    """List the named contexts of MODEL (default: the bundled model) with their references."""
    from ..render import contexts_table

    show(contexts_table(bundle_of(model)), fmt, output)


@click.command()
@click.argument("model", type=MODEL)
@click.argument("node")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def explain(model: Path, node: str, fmt: str) -> None:
    """Print the rule of NODE with the provenance of each regulator and related decisions."""
    from ..provenance import explain as why
    from ..provenance import explanation_text
    from ..render import to_json

    answer = why(bundle_of(model), node)
    emit(to_json(answer) if fmt == "json" else explanation_text(answer), None)


@click.command("export")
@click.argument("model", type=MODEL)
@click.option(
    "--to",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="Target format (maboss writes FILE.bnd and FILE.cfg beside it).",
)
@OUTPUT
def export_cmd(model: Path, fmt: str, output: Path | None) -> None:
    """Write MODEL for other tools: SBML-qual, BoolNet, MaBoSS, GraphML, SIF, primes JSON, BNET.

    SBML-qual carries the node table's HGNC/UniProt ids and the rules' PMIDs/DOIs as
    annotations; see dormnet.io.sbml for how inputs and constants are written.
    """
    from ..io.export import format_export, write_export

    bundle = bundle_of(model)
    if output is None:
        emit(format_export(bundle.network, fmt, nodes=bundle.nodes), None)  # type: ignore[arg-type]
        return
    written = write_export(bundle.network, fmt, output, nodes=bundle.nodes)  # type: ignore[arg-type]
    click.echo(f"wrote {', '.join(map(str, written))}", err=True)
