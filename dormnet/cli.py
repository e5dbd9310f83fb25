"""The ``dormnet`` command line: a thin layer over the library.

Each command parses its options, calls one library function and formats the result. Every
:class:`~dormnet.errors.DormnetError` is caught in one place (:class:`_Group`): the message goes to
stderr as ``error: …`` and the exit status is 2, never a traceback. Outputs given with ``-o`` are
written to a temporary file and renamed, so a failed run leaves no partial file.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .errors import DormnetError

MODEL = click.Path(exists=False, dir_okay=False, path_type=Path)


class _Group(click.Group):
    """A click group that turns dormnet's errors into ``error: …`` and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        from .screen import ScreenInterrupted

        try:
            return super().invoke(ctx)
        except ScreenInterrupted as e:
            click.echo(f"error: {e}", err=True)
            ctx.exit(130)
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


OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (atomically) instead of stdout.",
)


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
    click.echo(
        f"{model}: {len(net)} nodes, {len(net.inputs)} inputs, "
        f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}, no errors"
    )
    if strict and warnings:
        raise DormnetError(f"{len(warnings)} warnings (--strict)")


@main.command()
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
        + (
            ""
            if c["complete"]
            else f" (stopped at the limit of {c['limit']}; raise --circuit-limit)"
        ),
    ]
    emit("\n".join(lines) + "\n", output)


@main.command()
@click.argument("model", type=MODEL)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "sif", "dot", "json"]),
    default="graphml",
    show_default=True,
)
@OUTPUT
def graph(model: Path, fmt: str, output: Path | None) -> None:
    """Write the signed interaction graph of MODEL (GraphML, SIF, DOT or JSON)."""
    from .graph import format_graph

    emit(format_graph(load(model), fmt), output)  # type: ignore[arg-type]


# -- analysis commands ------------------------------------------------------------------------


def _is_tty() -> bool:
    return sys.stdout.isatty()


def _bundle(model: Path | None):
    from .bundle import load_bundle

    return load_bundle(model)


def _parse_sets(values: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    out = []
    for v in values:
        name, sep, val = v.partition("=")
        if not sep or val.strip() not in ("0", "1"):
            raise click.BadParameter(f"{v!r}: write NODE=0 or NODE=1", param_hint="--set")
        out.append((name.strip(), int(val)))
    return tuple(out)


def scenario_options(f: Callable) -> Callable:
    """--context, --set, --knockout, --overexpress, --drug: shared by the analysis commands."""
    opts = [
        click.option("--context", "context", help="A named microenvironment of the model."),
        click.option(
            "--set",
            "sets",
            multiple=True,
            metavar="NODE=0|1",
            help="Hold a node at a value (repeatable).",
        ),
        click.option(
            "--knockout", "-k", multiple=True, metavar="NODE", help="Hold at 0 (repeatable)."
        ),
        click.option(
            "--overexpress", "-x", multiple=True, metavar="NODE", help="Hold at 1 (repeatable)."
        ),
        click.option(
            "--drug",
            "-d",
            "drugs",
            multiple=True,
            metavar="NAME",
            help="A drug of the model's drug map, case-insensitive (repeatable).",
        ),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def _scenario(context, sets, knockout, overexpress, drugs):
    from .analysis import Scenario

    return Scenario(
        context=context,
        drugs=tuple(drugs),
        knockout=tuple(knockout),
        overexpress=tuple(overexpress),
        set=_parse_sets(sets),
    )


FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "tsv"]),
    default="table",
    show_default=True,
)
LIMIT = click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Stop after N results (default 10,000; --count gives the exact number).",
)
DEFAULT_LIMIT = 10_000


def _limited(limit: int | None) -> int:
    return DEFAULT_LIMIT if limit is None else limit


def _note_limit(n: int, limit: int | None) -> None:
    if limit is None and n >= DEFAULT_LIMIT:
        click.echo(
            f"note: listing stopped at the default limit of {DEFAULT_LIMIT:,}; "
            "use --limit N for more, or --count for the exact number",
            err=True,
        )


COUNT = click.option("--count", is_flag=True, help="Print the exact number alone on the last line.")
TIMEOUT = click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Give up after this many seconds, with a clear message.",
)


def _spinner(text: str):
    """A transient spinner on stderr when it is a terminal; nothing otherwise."""
    import contextlib

    if not sys.stderr.isatty():
        return contextlib.nullcontext()
    from rich.console import Console

    return Console(stderr=True).status(text)


def _show_attractors(bundle, cas, fmt, output, extra, title):
    from .render import attractors_json, attractors_table, attractors_tsv, to_json

    nodes = list(bundle.network.nodes)
    if fmt == "json":
        emit(to_json(attractors_json(cas, nodes, extra)), output)
    elif fmt == "tsv":
        emit(attractors_tsv(cas, nodes), output)
    else:
        text = attractors_table(cas, nodes, title=title, color=_is_tty() and output is None)
        emit(text + f"{len(cas)} result{'s' if len(cas) != 1 else ''}\n", output)


@main.command()
@click.argument("model", type=MODEL)
@click.option(
    "--update",
    type=click.Choice(["async", "sync", "mp"]),
    default="async",
    show_default=True,
    help="Update scheme (mp: most permissive).",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "aeon", "biobalm"]),
    default="auto",
    show_default=True,
    help="Asynchronous engine: aeon (minimal trap spaces + biodivine-aeon), biobalm "
    "(succession diagram), auto (aeon for 8 s, then biobalm). All exact.",
)
@scenario_options
@LIMIT
@COUNT
@TIMEOUT
@FORMAT
@OUTPUT
def attractors(
    model,
    update,
    engine,
    context,
    sets,
    knockout,
    overexpress,
    drugs,
    limit,
    count,
    timeout,
    fmt,
    output,
):
    """Complete attractors of MODEL under an update scheme, with phenotypes."""
    from .analysis import analyse

    bundle = _bundle(model)
    scen = _scenario(context, sets, knockout, overexpress, drugs)
    if count:
        from .analysis import scenario_clamps
        from .attractors import count_attractors

        with _spinner(f"counting {update} attractors"):
            n = count_attractors(
                bundle.network,
                update=update,
                context=scenario_clamps(bundle, scen),
                timeout=timeout,
                engine=engine,
            )
        emit(f"{n}\n", output)
        return
    with _spinner(f"computing {update} attractors"):
        cas = analyse(
            bundle, scen, update=update, limit=_limited(limit), timeout=timeout, engine=engine
        )
    _note_limit(len(cas), limit)
    _show_attractors(
        bundle,
        cas,
        fmt,
        output,
        {"model": str(model), "update": update, "scenario": scen.label()},
        f"{update} attractors of {model} ({scen.label()})",
    )


@main.command("fixed-points")
@click.argument("model", type=MODEL)
@scenario_options
@LIMIT
@COUNT
@TIMEOUT
@FORMAT
@OUTPUT
def fixed_points_cmd(
    model, context, sets, knockout, overexpress, drugs, limit, count, timeout, fmt, output
):
    """Fixed points of MODEL (steady states, the same under every update scheme)."""
    from .analysis import analyse, scenario_clamps
    from .attractors import count_fixed_points

    bundle = _bundle(model)
    scen = _scenario(context, sets, knockout, overexpress, drugs)
    if count:
        with _spinner("counting fixed points"):
            n = count_fixed_points(
                bundle.network, context=scenario_clamps(bundle, scen), timeout=timeout
            )
        emit(f"{n}\n", output)
        return
    with _spinner("computing fixed points"):
        cas = analyse(bundle, scen, update="fixed-points", limit=_limited(limit), timeout=timeout)
    _note_limit(len(cas), limit)
    _show_attractors(
        bundle,
        cas,
        fmt,
        output,
        {"model": str(model), "scenario": scen.label()},
        f"fixed points of {model} ({scen.label()})",
    )


@main.command("trap-spaces")
@click.argument("model", type=MODEL)
@click.option("--kind", type=click.Choice(["min", "max", "all"]), default="min", show_default=True)
@scenario_options
@LIMIT
@COUNT
@TIMEOUT
@FORMAT
@OUTPUT
def trap_spaces_cmd(
    model, kind, context, sets, knockout, overexpress, drugs, limit, count, timeout, fmt, output
):
    """Minimal, maximal or all trap spaces of MODEL."""
    from .analysis import ClassifiedAttractor, scenario_clamps
    from .attractors import Attractor, count_trap_spaces, trap_spaces
    from .phenotypes import classify

    bundle = _bundle(model)
    scen = _scenario(context, sets, knockout, overexpress, drugs)
    clamps = scenario_clamps(bundle, scen)
    net = bundle.network
    if count:
        with _spinner(f"counting {kind} trap spaces"):
            n = count_trap_spaces(net, kind=kind, context=clamps, timeout=timeout)
        emit(f"{n}\n", output)
        return
    with _spinner(f"computing {kind} trap spaces"):
        spaces = trap_spaces(net, kind=kind, context=clamps, limit=_limited(limit), timeout=timeout)
    _note_limit(len(spaces), limit)
    cas = []
    for s in spaces:
        a = Attractor("trap space", s, 2 ** (len(net) - len(s)))
        words, osc = classify(a, bundle.phenotypes) if bundle.phenotypes else (["undetermined"], [])
        cas.append(ClassifiedAttractor(a, words, osc))
    _show_attractors(
        bundle,
        cas,
        fmt,
        output,
        {"model": str(model), "kind": kind, "scenario": scen.label()},
        f"{kind} trap spaces of {model} ({scen.label()})",
    )


@main.command()
@click.argument("model", type=MODEL, required=False)
@click.option(
    "--inputs",
    help="Comma-separated inputs to sweep over all 0/1 combinations "
    "(default: the model's named contexts).",
)
@click.option("--base-context", help="Values of the inputs not swept (default: the defaults).")
@click.option(
    "--update", type=click.Choice(["async", "sync", "mp"]), default="async", show_default=True
)
@TIMEOUT
@FORMAT
@OUTPUT
def landscape(model, inputs, base_context, update, timeout, fmt, output):
    """The microenvironment landscape: attractor phenotypes per context or input combination."""
    from .analysis import landscape as sweep
    from .render import table_text, to_json

    bundle = _bundle(model)
    names = [s.strip() for s in inputs.split(",")] if inputs else None
    if names is not None and len(names) > 16:
        raise DormnetError(
            f"{len(names)} inputs make {2 ** len(names)} combinations; sweep at most 16 at once"
        )
    total = len(bundle.contexts) if names is None else 2 ** len(names)
    if names is None and not bundle.contexts:
        raise DormnetError("this model has no named contexts; give --inputs A,B,...")
    rows = _with_progress(
        total,
        "landscape",
        lambda tick: sweep(
            bundle,
            inputs=names,
            update=update,
            base_context=base_context,
            timeout=timeout,
            progress=tick,
        ),
    )
    if fmt == "json":
        data = {
            "model": str(bundle.path),
            "update": update,
            "rows": [
                {
                    "label": label,
                    "inputs": values,
                    "attractors": [
                        {
                            "kind": ca.attractor.kind,
                            "phenotypes": ca.phenotypes,
                            "size": ca.attractor.size,
                        }
                        for ca in cas
                    ],
                    "phenotypes": sorted({w for ca in cas for w in ca.phenotypes}),
                }
                for label, values, cas in rows
            ],
        }
        emit(to_json(data), output)
        return
    table_rows = [
        [label, len(cas), "; ".join("+".join(ca.phenotypes) for ca in cas)]
        for label, _, cas in rows
    ]
    if fmt == "tsv":
        emit(
            "\n".join(
                ["\t".join(["context", "attractors", "phenotypes"])]
                + ["\t".join(map(str, r)) for r in table_rows]
            )
            + "\n",
            output,
        )
        return
    emit(
        table_text(
            f"{update} landscape of {bundle.path}",
            ["context", "attractors", "phenotypes"],
            table_rows,
            color=_is_tty() and output is None,
        ),
        output,
    )


def _with_progress(total: int, label: str, work: Callable):
    """Run ``work(tick)`` with a progress bar on stderr when it is a terminal."""
    if not sys.stderr.isatty() or total < 2:
        return work(lambda k=1: None)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)

        def tick(k: int = 1) -> None:
            bar.advance(task, k)
            t = bar.tasks[0]
            if t.speed:
                bar.update(task, description=f"{label} {t.speed:,.0f}/s")

        return work(tick)


@main.command()
@click.argument("model", type=MODEL, required=False)
@click.option("--id", "ids", multiple=True, help="Run only these expectations (repeatable).")
@TIMEOUT
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "tsv"]),
    default="table",
    show_default=True,
)
@OUTPUT
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 if any expectation fails (default: only confidence-H failures do).",
)
def validate(model, ids, timeout, fmt, output, strict):
    """Run the literature expectations of MODEL and tabulate pass/fail with references."""
    from .render import table_text, to_json
    from .validate import summary
    from .validate import validate as run_all

    bundle = _bundle(model)
    if not bundle.expectations:
        raise DormnetError(f"{bundle.path}: no expectations file beside the model")
    outcomes = _with_progress(
        len(ids) if ids else len(bundle.expectations),
        "validating",
        lambda tick: run_all(bundle, ids=list(ids) or None, timeout=timeout, progress=tick),
    )
    s = summary(outcomes)
    if fmt == "json":
        emit(
            to_json(
                {
                    "model": str(bundle.path),
                    "summary": s,
                    "expectations": [
                        {
                            "id": o.expectation.id,
                            "claim": o.expectation.claim,
                            "confidence": o.expectation.confidence,
                            "passed": o.passed,
                            "observed": o.observed,
                            "error": o.error,
                            "references": list(o.expectation.references),
                            "note": o.expectation.note,
                        }
                        for o in outcomes
                    ],
                }
            ),
            output,
        )
    else:
        rows = [
            [
                o.expectation.id,
                o.expectation.confidence,
                o.expectation.claim,
                o.observed if not o.error else f"error: {o.error}",
                "pass" if o.passed else "FAIL",
                "; ".join(o.expectation.references),
            ]
            for o in outcomes
        ]
        cols = ["id", "conf", "expectation", "observed", "result", "reference"]
        if fmt == "tsv":
            text = "\n".join(["\t".join(cols)] + ["\t".join(map(str, r)) for r in rows]) + "\n"
        else:
            text = table_text(
                f"validation of {bundle.path}", cols, rows, color=_is_tty() and output is None
            )
            by = s["by_confidence"]
            text += (
                f"{s['passed']}/{s['total']} expectations pass ({100 * s['fraction']:.0f}%); "
                + ", ".join(f"{k}: {v['passed']}/{v['total']}" for k, v in by.items())
                + "\n"
            )
        emit(text, output)
    failed_h = [o for o in outcomes if not o.passed and o.expectation.confidence == "H"]
    if failed_h or (strict and s["passed"] != s["total"]):
        sys.exit(1)


@main.command()
@click.argument("model", type=MODEL, required=False)
@FORMAT
@OUTPUT
def contexts(model, fmt, output):
    """List the named contexts of MODEL with their inputs and references."""
    from .render import table_text, to_json

    bundle = _bundle(model)
    if fmt == "json":
        emit(
            to_json(
                {
                    "defaults": bundle.defaults,
                    "contexts": {
                        c.name: {
                            "description": c.description,
                            "inputs": c.named,
                            "values": c.inputs,
                            "references": list(c.references),
                        }
                        for c in bundle.contexts.values()
                    },
                }
            ),
            output,
        )
        return
    rows = [
        [
            c.name,
            ", ".join(f"{k}={v}" for k, v in c.named.items()),
            c.description,
            "; ".join(c.references),
        ]
        for c in bundle.contexts.values()
    ]
    rows.append(
        [
            "(defaults)",
            ", ".join(f"{k}={v}" for k, v in bundle.defaults.items()),
            "inputs a context does not name",
            "",
        ]
    )
    cols = ["context", "inputs", "description", "references"]
    if fmt == "tsv":
        emit("\n".join(["\t".join(cols)] + ["\t".join(r) for r in rows]) + "\n", output)
        return
    emit(
        table_text(f"contexts of {bundle.path}", cols, rows, color=_is_tty() and output is None),
        output,
    )


@main.command()
@click.argument("model", type=MODEL)
@click.argument("node")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def explain(model, node, fmt):
    """Print the rule of NODE with the provenance of each regulator and related decisions."""
    from .render import to_json

    bundle = _bundle(model)
    net = bundle.network
    rule = net.rule(node)
    info = bundle.nodes.get(node)
    edges = bundle.edges_of(node)
    decisions = bundle.decisions_of(node)
    if fmt == "json":
        click.echo(
            to_json(
                {
                    "node": node,
                    "rule": rule.function,
                    "comments": list(rule.comments),
                    "references": rule.references,
                    "info": info.__dict__ if info else None,
                    "regulators": [
                        {
                            "regulator": e.regulator,
                            "sign": e.sign,
                            "references": list(e.references),
                            "evidence": e.evidence,
                            "confidence": e.confidence,
                            "note": e.note,
                        }
                        for e in edges
                    ],
                    "decisions": [d.__dict__ for d in decisions],
                }
            ),
            nl=False,
        )
        return
    lines = [f"{node}, {rule.function}"]
    if info:
        ids = ", ".join(
            x
            for x in (
                f"HGNC:{info.hgnc}" if info.hgnc else "",
                f"UniProt:{info.uniprot}" if info.uniprot else "",
            )
            if x
        )
        lines.append(
            f"  {info.description} [{info.module}; {info.kind}]" + (f" ({ids})" if ids else "")
        )
    for c in rule.comments:
        lines.append(f"  # {c}")
    if edges:
        lines.append("  regulators:")
        for e in edges:
            lines.append(
                f"    {e.regulator:<14} {e.sign:<9} evidence {e.evidence or '?'}, "
                f"confidence {e.confidence or '?'}: {'; '.join(e.references)}"
                + (f"\n{'':20}{e.note}" if e.note else "")
            )
    for d in decisions:
        lines.append(f"  decision {d.id} ({d.title}): {d.choice}")
    if not edges and not rule.references:
        lines.append("  (no provenance recorded for this node)")
    click.echo("\n".join(lines))


# -- export (issue 4) -------------------------------------------------------------------------

from .io.export import EXPORT_FORMATS


@main.command("export")
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
    from .io.export import format_export, write_export

    bundle = _bundle(model)
    if output is None:
        emit(format_export(bundle.network, fmt, nodes=bundle.nodes), None)  # type: ignore[arg-type]
        return
    written = write_export(bundle.network, fmt, output, nodes=bundle.nodes)  # type: ignore[arg-type]
    click.echo(f"wrote {', '.join(map(str, written))}", err=True)


def _csv(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


@main.command("screen")
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
@click.option(
    "--nodes", "nodes", multiple=True, help="Only these nodes (comma-separated or repeated)."
)
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
    help="Add drugs of the model's drug map: 'all' or names (comma-separated or repeated).",
)
@click.option("--context", "contexts", multiple=True, help="Screen in these contexts (repeatable).")
@click.option("--all-contexts", is_flag=True, help="Screen in every named context (the default).")
@click.option(
    "--update",
    type=click.Choice(["mp", "fixed-points", "async"]),
    default="mp",
    show_default=True,
    help="Compare minimal trap spaces (mp; they include the fixed points), fixed points, "
    "or exact asynchronous attractors.",
)
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: one per core).",
)
@click.option("--scheduler", metavar="ADDRESS", help="Run on an existing Dask distributed cluster.")
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
    update,
    processes,
    scheduler,
    resume,
    chunk_size,
    max_rows,
    fmt,
    output,
):
    """Screen knockouts, overexpressions and drugs, singly and in combination, in every context.

    One row per perturbation and context: phenotypes before and after, the switch class, and for
    combinations whether the effect needs the combination (synergy). With -o, rows are journaled
    as they finish (FILE.journal.jsonl) and --resume continues an interrupted run.
    """
    from .screen import interventions, screen, write_rows

    bundle = _bundle(model)
    sizes = [k for k, on in ((1, single), (2, double), (3, triple)) if on]
    if not sizes:
        raise DormnetError("nothing to screen: give --single, --double or --triple")
    from .io._atomic import writes_through

    # the journal lives beside a regular output file; not beside /dev/stdout or a FIFO
    journal = None
    if output is not None and not writes_through(output):
        journal = Path(str(output) + ".journal.jsonl")
    if resume and journal is None:
        raise DormnetError("--resume needs -o FILE, a regular file (the journal lives beside it)")
    drug_names = _csv(drugs)
    items = interventions(
        bundle,
        sizes=sizes,
        kinds=_csv((kinds,)),
        nodes=_csv(nodes) or None,
        exclude_inputs=exclude_inputs,
        drugs="all" if drug_names == ["all"] else drug_names,
    )
    names = list(contexts) or None
    total = len(items) * (len(names) if names else max(1, len(bundle.contexts)))

    def work(tick):
        return screen(
            bundle,
            items,
            contexts=names,
            update=update,
            processes=processes,
            scheduler=scheduler,
            journal=journal,
            resume=resume,
            chunk_size=chunk_size,
            max_rows=max_rows,
            progress=tick,
        )

    rows = _with_progress(total, f"screen ({len(items)} perturbations)", work)
    text = write_rows(rows, output, fmt)
    if text is not None:
        emit(text, None)
    elif journal is not None and journal.exists():
        journal.unlink()
    if output is not None:
        from collections import Counter

        counts = Counter(r.switch for r in rows)
        click.echo(
            f"{len(rows)} rows written to {output}: "
            + ", ".join(f"{k} {v}" for k, v in counts.most_common()),
            err=True,
        )


# -- figures and the report (issue 5) ---------------------------------------------------------

from .figures import FIGURE_KINDS


def _image_summary(path: Path, kind: str, fig, fmt: str) -> tuple[list[str], list[list[Any]]]:
    w, h = (fig.get_size_inches() * fig.dpi).round().astype(int)
    cols = ["file", "kind", "format", "width", "height", "bytes"]
    return cols, [
        [str(path), kind, path.suffix.lstrip(".").lower(), int(w), int(h), path.stat().st_size]
    ]


def _emit_rows(cols: list[str], rows: list[list[Any]], fmt: str, title: str) -> None:
    from .render import table_text, to_json

    if fmt == "json":
        emit(
            to_json(
                [dict(zip(cols, r)) for r in rows] if len(rows) != 1 else dict(zip(cols, rows[0]))
            ),
            None,
        )
    elif fmt == "tsv":
        emit("\n".join(["\t".join(cols)] + ["\t".join(map(str, r)) for r in rows]) + "\n", None)
    else:
        emit(table_text(title, cols, rows, color=_is_tty()), None)


@main.command("figure")
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
    help="screen: draw rows written by 'dormnet screen -o' (TSV, JSON or Parquet) "
    "instead of screening single perturbations here.",
)
@click.option("--context", help="screen: the pair matrix of this context only (default: all).")
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
@click.option(
    "--update",
    type=click.Choice(["async", "sync", "mp"]),
    default="async",
    show_default=True,
    help="landscape: update scheme.",
)
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=None,
    help="screen computed here: worker processes.",
)
@click.option("--compact", is_flag=True, help="PNG with a 256-colour palette (a third the size).")
@TIMEOUT
@FORMAT
def figure_cmd(
    kind, model, output, screen_file, context, top, drugs, update, processes, compact, timeout, fmt
):
    """Draw a figure of MODEL (default: the bundled dormancy model) as PNG or SVG.

    KIND is network (interaction graph by module), landscape (attractor states per context),
    screen (switch classes per perturbation and context; pairs as a matrix) or validation
    (expectations pass/fail with references). Prints what it wrote.
    """
    from . import figures as F

    F._format_of(output, None)
    if kind == "screen" and screen_file is not None:
        fig = F.screen_figure(F.read_screen(screen_file), context=context, top=top)
    else:
        bundle = _bundle(model)
        if kind == "network":
            fig = F.network_figure(bundle)
        elif kind == "landscape":
            with _spinner(f"computing the {update} landscape"):
                fig = F.landscape_figure(bundle, update=update, timeout=timeout)
        elif kind == "validation":
            from .validate import validate as run_all

            if not bundle.expectations:
                raise DormnetError(f"{bundle.path}: no expectations file beside the model")
            outcomes = _with_progress(
                len(bundle.expectations),
                "validating",
                lambda tick: run_all(bundle, timeout=timeout, progress=tick),
            )
            fig = F.validation_figure(outcomes)
        else:
            from .screen import interventions, screen

            items = interventions(bundle, drugs="all" if drugs and bundle.drugs else None)
            total = len(items) * max(1, len(bundle.contexts))
            rows = _with_progress(
                total,
                f"screen ({len(items)} perturbations)",
                lambda tick: screen(bundle, items, processes=processes, progress=tick),
            )
            fig = F.screen_figure(rows, context=context, top=top)
    F.save_figure(fig, output, compact=compact)
    cols, rows_out = _image_summary(output, kind, fig, fmt)
    _emit_rows(cols, rows_out, fmt, f"{kind} figure")


@main.command("report")
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
    help="Also screen all pairs of perturbations (about 15-40 s on two cores).",
)
@click.option(
    "--update",
    type=click.Choice(["async", "sync", "mp"]),
    default="async",
    show_default=True,
    help="Update scheme of the landscape.",
)
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for the screens (default: one per core).",
)
@TIMEOUT
@FORMAT
def report_cmd(model, directory, double, update, processes, timeout, fmt):
    """Write one self-contained HTML report of MODEL (default: the bundled dormancy model).

    DIR/index.html holds the model summary, the interaction graph, the landscape across
    contexts, the top single, drug and pair screen hits, the literature validation and the
    provenance of every node, with the figures embedded: it opens offline in any browser.
    """
    import contextlib

    from .report import HIT_CLASSES, collect, output_perturbations, top_hits, write_report

    bundle = _bundle(model)
    if sys.stderr.isatty():
        from rich.console import Console

        status = Console(stderr=True).status("report")
    else:
        status = contextlib.nullcontext()
    with status as st:
        say = (lambda text: st.update(f"report: {text}")) if st is not None else None
        data = collect(
            bundle, update=update, double=double, processes=processes, timeout=timeout, progress=say
        )
        if say:
            say("figures and page")
        path = write_report(bundle, directory, data=data)
    from .validate import summary

    ex = output_perturbations(bundle)
    cols = ["item", "value"]
    rows: list[list[Any]] = [
        ["report", str(path)],
        ["bytes", path.stat().st_size],
        ["contexts", len(data.landscape)],
    ]
    if data.outcomes:
        s = summary(data.outcomes)
        rows.append(["expectations passing", f"{s['passed']}/{s['total']}"])
    for cls in HIT_CLASSES:
        # elimination counts only where cells were dormant, as in the report
        hits = top_hits(
            data.singles,
            cls,
            exclude=ex,
            limit=3,
            before="dormant" if cls == "eliminating" else None,
        )
        if hits:
            rows.append([f"top {cls}", ", ".join(f"{h.perturbation} ({h.count})" for h in hits)])
    rows += [["note", n] for n in data.notes]
    rows.append(["seconds", ", ".join(f"{k} {v:.1f}" for k, v in data.seconds.items())])
    _emit_rows(cols, rows, fmt, f"report of {bundle.path}")


def run() -> None:
    """Console entry point."""
    main(prog_name="dormnet")


if __name__ == "__main__":  # pragma: no cover
    run()
