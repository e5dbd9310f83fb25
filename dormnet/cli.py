"""The ``dormnet`` command line: a thin layer over the library.

Each command parses its options, calls one library function and formats the result. Every
:class:`~dormnet.errors.DormnetError` is caught in one place (:class:`_Group`): the message goes to
stderr as ``error: …`` and the exit status is 2, never a traceback. Outputs given with ``-o`` are
written to a temporary file and renamed, so a failed run leaves no partial file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable

import click

from .errors import DormnetError

MODEL = click.Path(exists=False, dir_okay=False, path_type=Path)


class _Group(click.Group):
    """A click group that turns dormnet's errors into ``error: …`` and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DormnetError as e:
            for line in str(e).splitlines() or [type(e).__name__]:
                click.echo(f"error: {line}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("error: interrupted", err=True)
            ctx.exit(130)


def emit(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output`` atomically, or to stdout."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from .io._atomic import atomic_write_text

    try:
        atomic_write_text(output, text)
    except OSError as e:
        raise DormnetError(f"cannot write {output}: {e.strerror or e}") from None


def load(path: Path):  # -> BooleanNetwork
    """Read a model file of any supported format (chosen by its extension)."""
    from .io import read_network

    return read_network(path)


OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                      help="Write to this file (atomically) instead of stdout.")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dormnet")
def main() -> None:
    """dormnet: Boolean models of breast-cancer dormancy switches, and the tools to analyse them."""


@main.command()
@click.argument("model", type=MODEL)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 2).")
def check(model: Path, strict: bool) -> None:
    """Lint MODEL: errors exit with status 2; warnings are listed."""
    from .lint import lint

    net = load(model)
    warnings = lint(net)
    for w in warnings:
        click.echo(str(w), err=True)
    click.echo(f"{model}: {len(net)} nodes, {len(net.inputs)} inputs, "
               f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}, no errors")
    if strict and warnings:
        raise DormnetError(f"{len(warnings)} warnings (--strict)")


@main.command()
@click.argument("model", type=MODEL)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.option("--circuit-limit", type=int, default=10_000, show_default=True,
              help="Stop enumerating feedback circuits after this many.")
@OUTPUT
def info(model: Path, fmt: str, circuit_limit: int, output: Path | None) -> None:
    """Summarise MODEL: nodes, inputs, outputs, in-degrees, components, feedback circuits."""
    from .graph import graph_summary

    net = load(model)
    s = graph_summary(net, circuit_limit=circuit_limit)
    if fmt == "json":
        emit(json.dumps(s, indent=1), output)
        return
    c = s["circuits"]
    top = sorted(s["in_degree"].items(), key=lambda kv: -kv[1])[:5]
    lines = [
        f"model        {model}",
        f"nodes        {s['nodes']}",
        f"edges        {s['edges']} ({s['edge_signs']['positive']} positive, "
        f"{s['edge_signs']['negative']} negative, {s['edge_signs']['dual']} dual)",
        f"inputs       {len(s['inputs'])}: {', '.join(s['inputs']) or '-'}",
        f"constants    {len(s['constants'])}: "
        + (", ".join(f"{k}={v}" for k, v in s["constants"].items()) or "-"),
        f"outputs      {len(s['outputs'])}: {', '.join(s['outputs']) or '-'}",
        f"in-degree    max {s['max_in_degree']}; highest: "
        + ", ".join(f"{n} ({d})" for n, d in top),
        f"SCCs         {len(s['strongly_connected_components'])} non-trivial; largest has "
        f"{len(s['strongly_connected_components'][0]) if s['strongly_connected_components'] else 0} nodes",
        f"circuits     {c['positive']} positive, {c['negative']} negative, {c['dual']} dual"
        + ("" if c["complete"] else f" (stopped at the limit of {c['limit']}; raise --circuit-limit)"),
    ]
    emit("\n".join(lines) + "\n", output)


@main.command()
@click.argument("model", type=MODEL)
@click.option("--format", "fmt", type=click.Choice(["graphml", "sif", "dot", "json"]),
              default="graphml", show_default=True)
@OUTPUT
def graph(model: Path, fmt: str, output: Path | None) -> None:
    """Write the signed interaction graph of MODEL (GraphML, SIF, DOT or JSON)."""
    from .graph import format_graph

    emit(format_graph(load(model), fmt), output)  # type: ignore[arg-type]


def run() -> None:
    """Console entry point."""
    main(prog_name="dormnet")


if __name__ == "__main__":  # pragma: no cover
    run()
