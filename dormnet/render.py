"""Results as text: tables for people (rich), TSV and JSON for scripts.

Every command's result becomes a :class:`Table` (title, columns, rows, the JSON form, a note),
and :func:`render` writes it in the format asked for: one way to emit a table. Tables have one
row per result, however many there are; a terminal table shows the first :data:`SHOW_ROWS` and
says how many there are in all (TSV and JSON always hold every row). Colour is used only on a
terminal, so redirected output and files stay plain text.

This module imports no engine and no bundle: it renders plain data and the result types.
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .choices import Format

if TYPE_CHECKING:
    from .analysis import Analysis, LandscapeRow
    from .bundle import Bundle
    from .control import ControlResult
    from .expectations import Outcome
    from .simulate import SimulationResult

__all__ = [
    "SHOW_ROWS",
    "Table",
    "analysis_table",
    "contexts_table",
    "control_table",
    "fit_columns",
    "landscape_table",
    "outcomes_table",
    "render",
    "simulation_table",
    "table_text",
    "to_json",
]

#: a terminal table shows at most this many rows (the rest: --format tsv, or --limit)
SHOW_ROWS = 20
#: tables of at most this many results that are too wide are shown one column per result
TRANSPOSE_ROWS = 3
#: widest terminal table (characters) when the terminal's width is unknown
WIDTH = 120


@dataclass
class Table:
    """A result ready to render.

    Attributes
    ----------
    title : str
        Shown above a terminal table.
    columns : list of str
    rows : list of list
        One per result.
    data : object
        The JSON form (the stable machine format).
    note : str
        Shown below a terminal table (a summary line).
    """

    title: str
    columns: list[str]
    rows: list[list[Any]]
    data: Any = None
    note: str = ""
    footnotes: list[str] = field(default_factory=list)


def to_json(data: Any) -> str:
    """Stable JSON text (2-space indent, keys in insertion order).

    Parameters
    ----------
    data : object
        JSON-serialisable.

    Returns
    -------
    str
        Ending with a newline.

    Examples
    --------
    >>> print(to_json({"a": [1, "*"]}), end="")
    {
      "a": [
        1,
        "*"
      ]
    }
    """
    return json.dumps(data, indent=2) + "\n"


def _tsv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cell = lambda x: "" if x is None else str(x).lower() if isinstance(x, bool) else str(x)
    lines = ["\t".join(columns)] + ["\t".join(cell(x) for x in r) for r in rows]
    return "\n".join(lines) + "\n"


def table_text(
    title: str | None,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    color: bool | None = None,
    width: int | None = None,
) -> str:
    """A rich table rendered to text (plain ASCII when ``color`` is False).

    Parameters
    ----------
    title : str or None
    columns : sequence of str
    rows : sequence of sequences
    color : bool, optional
        Bold header and terminal colours.
    width : int, optional
        Characters (default: the terminal's width, or :data:`WIDTH`).

    Returns
    -------
    str
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable

    t = RichTable(
        show_lines=False,
        header_style="bold" if color else "",
        box=box.SIMPLE_HEAD if color else box.ASCII2,
        pad_edge=False,
    )
    for c in columns:
        t.add_column(str(c), overflow="fold")
    for r in rows:
        t.add_row(*[str(x) for x in r])
    buf = io.StringIO()
    console = Console(
        file=buf,
        force_terminal=bool(color),
        color_system="auto" if color else None,
        width=width or _width(),
        no_color=not color,
    )
    if title:
        console.print(title, style="bold" if color else None, highlight=False, markup=False)
    console.print(t)
    return buf.getvalue()


def _width() -> int:
    return max(80, shutil.get_terminal_size((WIDTH, 24)).columns)


def render(table: Table, fmt: Format, *, color: bool = False, show: int | None = SHOW_ROWS) -> str:
    """The table as text in ``fmt``.

    Parameters
    ----------
    table : Table
    fmt : {"table", "json", "tsv"}
    color : bool
        Terminal colours in a table.
    show : int or None
        Rows of a terminal table (``None``: all); TSV and JSON hold every row.

    Returns
    -------
    str

    Examples
    --------
    >>> t = Table("squares", ["n", "n2"], [[i, i * i] for i in range(30)], note="30 rows")
    >>> print(render(t, "tsv").splitlines()[:2])
    ['n\\tn2', '0\\t0']
    >>> render(t, "table", show=3).splitlines()[-2]
    'showing 3 of 30 rows: --format tsv or json for all of them'
    """
    if fmt == "json":
        data = (
            table.data
            if table.data is not None
            else [dict(zip(table.columns, r)) for r in table.rows]
        )
        return to_json(data)
    if fmt == "tsv":
        return _tsv(table.columns, table.rows)
    rows = table.rows if show is None else table.rows[:show]
    text = table_text(table.title, table.columns, rows, color=color)
    for line in table.footnotes:
        text += line + "\n"
    if len(rows) < len(table.rows):
        text += (
            f"showing {len(rows)} of {len(table.rows)} rows: --format tsv or json for all of them\n"
        )
    if table.note:
        text += table.note + "\n"
    return text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def analysis_table(result: Analysis, *, extra: dict[str, Any] | None = None) -> Table:
    """Attractors, fixed points or trap spaces, one row each: phenotypes first, then kind and
    size, then the nodes.

    On a terminal the nodes are columns when they fit; otherwise only the nodes whose value
    differs between the results are, and a footnote says how many nodes take one value in all of
    them (TSV and JSON always give every node). The JSON shape is
    ``{"attractors": [{"kind", "phenotypes", "nodes", "size", "oscillating_markers"}], ...}``
    plus ``extra``.

    Parameters
    ----------
    result : Analysis
    extra : dict, optional
        More keys of the JSON (such as the model).

    Returns
    -------
    Table
    """
    nodes = list(result.nodes)
    rendered = [ca.attractor.render(nodes) for ca in result]
    items = [
        {
            "kind": ca.attractor.kind,
            "phenotypes": list(ca.phenotypes),
            "nodes": r,
            "size": ca.attractor.size,
            "oscillating_markers": list(ca.oscillating),
        }
        for ca, r in zip(result, rendered)
    ]
    data: dict[str, Any] = {
        "attractors": items,
        "query": result.query,
        "scenario": str(result.scenario),
    }
    if result.query == "attractors":
        data["update"] = result.update
    data.update(extra or {})
    head = ["#", "phenotypes", "kind", "states"]
    rows = [
        [f"A{i}", ",".join(ca.phenotypes), ca.attractor.kind, ca.attractor.size]
        for i, ca in enumerate(result, 1)
    ]
    table = Table(
        result.title,
        head + nodes,
        [r + [v[n] for n in nodes] for r, v in zip(rows, rendered)],
        data,
        _plural(len(result), "result"),
    )
    return table


def fit_columns(table: Table, *, fixed: int = 4, width: int | None = None) -> Table:
    """A terminal version of an :func:`analysis_table` that fits the width.

    Up to :data:`TRANSPOSE_ROWS` results are shown as columns (one row per node). Otherwise,
    with several rows shown, the node columns whose value is the same in all of them are left
    out; then as many node columns as fit are kept. Footnotes say what was left out; TSV and
    JSON always give every node.

    Parameters
    ----------
    table : Table
    fixed : int
        Leading columns that always stay.
    width : int, optional
        Characters (default: the terminal's width).

    Returns
    -------
    Table
    """
    width = width or _width()
    if sum(len(str(c)) + 3 for c in table.columns) <= width:
        return table
    if len(table.rows) <= TRANSPOSE_ROWS:
        # a few results over many nodes read best as one column per result
        cols = [""] + [str(r[0]) for r in table.rows]
        rows = [[c] + [r[j] for r in table.rows] for j, c in enumerate(table.columns) if j]
        return Table(table.title, cols, rows, table.data, table.note, list(table.footnotes))
    shown = table.rows[:SHOW_ROWS]
    nodes = table.columns[fixed:]
    varying = [
        j
        for j in range(len(nodes))
        if len(shown) == 1 or len({str(r[fixed + j]) for r in shown}) > 1
    ]
    room = width - sum(len(str(c)) + 3 for c in table.columns[:fixed]) - 20
    keep: list[int] = []
    for j in varying:
        room -= len(nodes[j]) + 3
        if room < 0:
            break
        keep.append(j)
    notes = list(table.footnotes)
    if len(varying) < len(nodes):
        notes.append(
            f"{len(nodes) - len(varying)} of {len(nodes)} nodes take one value in every row "
            "shown and are not shown"
        )
    if len(keep) < len(varying):
        notes.append(f"{len(varying) - len(keep)} more nodes do not fit the width")
    if len(keep) < len(nodes):
        notes.append("--format tsv or json gives every node")
    return Table(
        table.title,
        table.columns[:fixed] + [nodes[j] for j in keep],
        [r[:fixed] + [r[fixed + j] for j in keep] for r in table.rows],
        table.data,
        table.note,
        notes,
    )


def landscape_table(rows: Sequence[LandscapeRow], *, title: str, update: str) -> Table:
    """A landscape, one row per context or input combination (JSON: ``{"update", "rows"}``).

    Parameters
    ----------
    rows : sequence of LandscapeRow
    title : str
    update : str
        The update scheme, for the JSON.

    Returns
    -------
    Table
    """
    data = {
        "update": update,
        "rows": [
            {
                "label": r.label,
                "inputs": r.inputs,
                "attractors": [
                    {
                        "kind": ca.attractor.kind,
                        "phenotypes": ca.phenotypes,
                        "size": ca.attractor.size,
                    }
                    for ca in r.attractors
                ],
                "phenotypes": r.phenotypes,
            }
            for r in rows
        ],
    }
    table_rows = [
        [r.label, len(r.attractors), "; ".join("+".join(ca.phenotypes) for ca in r.attractors)]
        for r in rows
    ]
    return Table(title, ["context", "attractors", "phenotypes"], table_rows, data)


def contexts_table(bundle: Bundle) -> Table:
    """The named contexts of a bundle with their inputs and references, then the defaults.

    Parameters
    ----------
    bundle : Bundle

    Returns
    -------
    Table
    """
    data = {
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
    rows = [
        [
            c.name,
            ", ".join(f"{k}={v}" for k, v in c.named.items()),
            c.description,
            "; ".join(c.references),
        ]
        for c in bundle.contexts.values()
    ]
    defaults = ", ".join(f"{k}={v}" for k, v in bundle.defaults.items())
    rows.append(["(defaults)", defaults, "inputs a context does not name", ""])
    cols = ["context", "inputs", "description", "references"]
    return Table(f"contexts of {bundle.path}", cols, rows, data)


def outcomes_table(outcomes: Sequence[Outcome], summary: dict[str, Any], *, title: str) -> Table:
    """Expectations with their results (JSON: ``{"summary", "expectations"}``).

    Parameters
    ----------
    outcomes : sequence of Outcome
    summary : dict
        From :func:`dormnet.expectations.summary`.
    title : str

    Returns
    -------
    Table
    """
    data = {
        "summary": summary,
        "expectations": [
            {
                "id": o.expectation.id,
                "split": o.expectation.split,
                "claim": o.expectation.claim,
                "system": o.expectation.system,
                "confidence": o.expectation.confidence,
                "passed": o.passed,
                "observed": o.observed,
                "baseline": o.baseline,
                "error": o.error,
                "references": list(o.expectation.references),
                "note": o.expectation.note,
            }
            for o in outcomes
        ],
    }
    rows = [
        [
            o.expectation.id,
            o.expectation.split,
            o.expectation.confidence,
            o.expectation.claim,
            o.observed if not o.error else f"error: {o.error}",
            "pass" if o.passed else "FAIL",
            "; ".join(o.expectation.references),
        ]
        for o in outcomes
    ]
    cols = ["id", "split", "conf", "expectation", "observed", "result", "reference"]
    by, split = summary["by_confidence"], summary["by_split"]
    note = (
        f"{summary['passed']}/{summary['total']} expectations pass "
        f"({100 * summary['fraction']:.0f}%); "
        + ", ".join(f"{k}: {v['passed']}/{v['total']}" for k, v in by.items() if v["total"])
        + "; "
        + ", ".join(f"{k} {v['passed']}/{v['total']}" for k, v in split.items() if v["total"])
    )
    return Table(title, cols, rows, data, note)


def control_table(result: ControlResult) -> Table:
    """Minimal intervention sets, one row each, best first (:func:`dormnet.control.control`).

    The JSON shape is ``{"solutions": [{"interventions": {node: 0|1}, "drugs": [names],
    "contexts": [names], "mode", "update", "size", "agents", "clamps", "minimal_in",
    "evidence", "also": {update: [contexts] | null}}], "target", "phenotype", "from", "mode",
    "update", "agents", "max_size", "contexts", "skipped_contexts", "candidates",
    "pruned_candidates", "seconds"}``.
    """
    n = len(result.contexts)
    items = [
        {
            "interventions": dict(s.interventions),
            "drugs": list(s.drugs),
            "contexts": list(s.contexts),
            "mode": result.mode,
            "update": result.update,
            "size": s.size,
            "agents": list(s.agents),
            "clamps": dict(s.clamps),
            "minimal_in": list(s.minimal_in),
            "evidence": s.evidence,
            "also": {u: (list(v) if v is not None else None) for u, v in s.also.items()},
        }
        for s in result.solutions
    ]
    data = {
        "solutions": items,
        "target": result.target,
        "phenotype": result.phenotype,
        "from": result.source,
        "mode": result.mode,
        "update": result.update,
        "agents": result.agents,
        "max_size": result.max_size,
        "contexts": list(result.contexts),
        "skipped_contexts": list(result.skipped),
        "candidates": len(result.candidates),
        "pruned_candidates": list(result.pruned),
        "seconds": round(result.seconds, 3),
    }
    others = sorted({u for s in result.solutions for u in s.also})
    head = ["#", "interventions", "size", "contexts", "evidence", *[f"also {u}" for u in others]]
    head.append("where")

    def also(s, u) -> str:
        v = s.also.get(u)
        return "?" if v is None else f"{len(v)}/{len(s.contexts)}"

    rows = [
        [i, s.label, s.size, f"{len(s.contexts)}/{n}", s.evidence]
        + [also(s, u) for u in others]
        + [", ".join(s.contexts)]
        for i, s in enumerate(result.solutions, 1)
    ]
    what = result.phenotype or result.target
    title = (
        f"{result.mode} control to {what}"
        + (f" from {result.source}" if result.source else "")
        + f" ({result.update}, up to {result.max_size} {result.agents})"
    )
    note = (
        f"{_plural(len(result.solutions), 'minimal set')} over {_plural(n, 'context')}, "
        f"{_plural(len(result.candidates), 'candidate')}"
        + (f" ({len(result.pruned)} cannot influence the target)" if result.pruned else "")
        + f"; {result.seconds:.1f} s"
    )
    table = Table(title, head, rows, data, note)
    if result.skipped:
        table.footnotes.append(
            f"not searched (no {result.source} attractor there): " + ", ".join(result.skipped)
        )
    return table


def simulation_table(result: SimulationResult, *, title: str) -> Table:
    """One row per time window: its start, then the probability of each phenotype and node.

    The JSON form is :meth:`SimulationResult.to_json`. Below a terminal table: how it was
    computed, the widest 95% confidence half-width, and the fixed points the trajectories
    reached.

    Parameters
    ----------
    result : SimulationResult
    title : str

    Returns
    -------
    Table
    """
    names = list(result.phenotypes) + list(result.nodes)
    probs = [result.phenotype_probabilities, result.node_probabilities]
    rows = []
    for w, t in enumerate(result.times):
        values = [float(a[w, j]) for a in probs for j in range(a.shape[1])]
        rows.append([round(float(t), 6), *(round(v, 4) for v in values)])
    if result.method == "stationary":
        how = "exact long-run distribution (time average as time grows; standard errors 0)"
    elif result.method == "exact":
        how = "exact solution of the Markov chain (standard errors 0)"
    else:
        se = max(
            float(result.node_stderr.max(initial=0)), float(result.phenotype_stderr.max(initial=0))
        )
        how = f"{result.trajectories:,} trajectories; widest 95% confidence half-width {1.96 * se:.4f}"
    fps = result.fixed_points
    top = ", ".join(f"{p:.3f} ({sum(s.values())} of {len(s)} nodes on)" for s, p in fps[:3])
    step = result.settings["time_step"]
    notes = [how + (f"; probabilities averaged over windows of {step:g}" if step < 1e300 else "")]
    if fps:
        notes.append(f"fixed points reached: {len(fps)}; most frequent: {top}")
    if result.frozen:
        notes.append(f"not simulated (never move): {len(result.frozen)} nodes")
    return Table(
        title=title,
        columns=["time", *names],
        rows=rows,
        data=result.to_json(),
        footnotes=notes,
    )
