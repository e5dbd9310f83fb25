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
    from .analysis import Analysis, ClassifiedAttractor, LandscapeRow
    from .basins import Basins
    from .bundle import Bundle
    from .expectations import Outcome
    from .switch import Schedule, TransitionMatrix

__all__ = [
    "SHOW_ROWS",
    "Table",
    "render",
    "table_text",
    "to_json",
    "analysis_table",
    "fit_columns",
    "landscape_table",
    "contexts_table",
    "outcomes_table",
    "switch_table",
    "basins_table",
    "transitions_table",
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
    cell = lambda x: "" if x is None else str(x).lower() if isinstance(x, bool) else str(x)  # noqa: E731
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
    """A landscape, one row per context or input combination (JSON: ``{"update", "rows"}``)."""
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
    """The named contexts of a bundle with their inputs and references, then the defaults."""
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
    """Expectations with their results (JSON: ``{"summary", "expectations"}``)."""
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


# -- switch dynamics -------------------------------------------------------------------------


def _letter(k: int) -> str:
    """The letter of the k-th scenario of a schedule: its attractors are A1, A2, ..., B1, ..."""
    return chr(ord("A") + k) if k < 26 else f"S{k}_"


def _attractor_data(ca: ClassifiedAttractor, nodes: Sequence[str]) -> dict[str, Any]:
    return {
        "nodes": ca.attractor.render(nodes),
        "phenotypes": list(ca.phenotypes),
        "kind": ca.attractor.kind,
        "size": ca.attractor.size,
    }


def _from_data(
    cas: Sequence[ClassifiedAttractor],
    nodes: Sequence[str],
    reaches: Sequence[frozenset[int]],
    exact: Sequence[bool],
) -> list[dict[str, Any]]:
    out = []
    for ca, r, e in zip(cas, reaches, exact):
        item = _attractor_data(ca, nodes)
        item["reaches"] = sorted(r)
        item["always"] = next(iter(r)) if e and len(r) == 1 else None
        item["complete"] = e
        out.append(item)
    return out


def _reach_text(letter: str, after: Sequence[ClassifiedAttractor], r: frozenset[int]) -> str:
    return "; ".join(f"{letter}{j + 1} {'+'.join(after[j].phenotypes)}" for j in sorted(r)) or "-"


def switch_table(schedule: Schedule, *, extra: dict[str, Any] | None = None) -> Table:
    """A switch or a schedule: one row per attractor before each step (and, for a schedule, per
    attractor of the first scenario over the whole schedule first), with the attractors it
    reaches possibly and the one it reaches always.

    The JSON shape is ``{"update", "scenarios", "complete", "from", "to", "steps"}``: ``from``
    lists the attractors of the first scenario, each with ``nodes`` (node -> 0, 1 or ``"*"``),
    ``phenotypes``, ``kind``, ``size``, ``reaches`` (indices into ``to``), ``always`` (the index
    every trajectory reaches, or ``null``) and ``complete`` (``false``: ``reaches`` is a lower
    bound, the computation stopped at its budget); ``to`` lists the attractors of the last
    scenario. ``steps`` holds one such ``{"from_scenario", "to_scenario", "from", "to"}`` per
    switch (for two scenarios, the same as the top level). Plus ``extra``.

    Parameters
    ----------
    schedule : Schedule
    extra : dict, optional
        Added to the JSON form (e.g. the model path).

    Returns
    -------
    Table
    """
    nodes = list(schedule.first.nodes)
    steps = []
    rows: list[list[Any]] = []
    k_last = len(schedule.steps)
    for k, st in enumerate(schedule.steps):
        steps.append(
            {
                "from_scenario": str(st.before.scenario),
                "to_scenario": str(st.after.scenario),
                "from": _from_data(st.before, nodes, st.reaches, st.exact),
                "to": [_attractor_data(ca, nodes) for ca in st.after],
            }
        )
    whole = [(0, k_last, schedule.first, schedule.last, schedule.reaches, schedule.exact)]
    parts = [
        (k, k + 1, s.before, s.after, s.reaches, s.exact) for k, s in enumerate(schedule.steps)
    ]
    for a, b, before, after, reaches, exact in (whole if k_last > 1 else []) + parts:
        for i, (ca, r, e) in enumerate(zip(before, reaches, exact)):
            always = next(iter(r)) if e and len(r) == 1 else None
            rows.append(
                [
                    f"{_letter(a)}->{_letter(b)}",
                    f"{_letter(a)}{i + 1}",
                    "+".join(ca.phenotypes),
                    _reach_text(_letter(b), after, r),
                    "-" if always is None else f"{_letter(b)}{always + 1}",
                    "yes" if e else "no (lower bound)",
                ]
            )
    data: dict[str, Any] = {
        "update": schedule.update,
        "scenarios": [str(s) for s in schedule.scenarios],
        "complete": schedule.complete,
        "from": _from_data(schedule.first, nodes, schedule.reaches, schedule.exact),
        "to": [_attractor_data(ca, nodes) for ca in schedule.last],
        "steps": steps,
    }
    data.update(extra or {})
    title = f"{schedule.update} switch: " + " -> ".join(s.label() for s in schedule.scenarios)
    notes = [
        f"{_letter(k)} = {s.label()}: {_plural(len(a), 'attractor')}"
        for k, (s, a) in enumerate(
            zip(schedule.scenarios, [schedule.first] + [st.after for st in schedule.steps])
        )
    ]
    note = (
        "reaches: possibly (some trajectory); always: every trajectory"
        if schedule.complete
        else "PARTIAL: the computation stopped at its budget; rows marked no are lower bounds"
    )
    return Table(
        title, ["step", "from", "phenotypes", "reaches", "always", "exact"], rows, data, note, notes
    )


def basins_table(b: Basins, *, extra: dict[str, Any] | None = None) -> Table:
    """Weak and strong basins, one row per attractor (JSON: ``{"scenario", "update", "states",
    "attractors": [{"kind", "phenotypes", "nodes", "size", "weak": {"states", "share"},
    "strong": {...}}], "undecided"}`` plus ``extra``).

    Parameters
    ----------
    b : Basins
    extra : dict, optional

    Returns
    -------
    Table
    """
    nodes = list(b.attractors.nodes)
    items = []
    rows = []
    for j, ca in enumerate(b.attractors):
        item = _attractor_data(ca, nodes)
        item["weak"] = {"states": b.weak[j], "share": b.share(j, "weak")}
        item["strong"] = {"states": b.strong[j], "share": b.share(j, "strong")}
        items.append(item)
        rows.append(
            [
                f"A{j + 1}",
                "+".join(ca.phenotypes),
                ca.attractor.kind,
                ca.attractor.size,
                f"{100 * b.share(j, 'weak'):.4g}%",
                f"{100 * b.share(j, 'strong'):.4g}%",
            ]
        )
    data: dict[str, Any] = {
        "scenario": str(b.attractors.scenario),
        "update": b.attractors.update,
        "states": b.total,
        "attractors": items,
        "undecided": {"states": b.undecided, "share": b.undecided / b.total},
    }
    data.update(extra or {})
    note = (
        f"{b.total:,} states; {100 * b.undecided / b.total:.4g}% reach more than one attractor "
        "(weak: can reach it; strong: reach only it)"
    )
    title = f"{b.attractors.update} basins ({b.attractors.scenario.label()})"
    cols = ["#", "phenotypes", "kind", "states", "weak basin", "strong basin"]
    return Table(title, cols, rows, data, note)


def transitions_table(m: TransitionMatrix, *, extra: dict[str, Any] | None = None) -> Table:
    """Every context -> context switch, one row per ordered pair of different contexts.

    JSON: ``{"update", "contexts", "attractors": {context: [attractor]}, "transitions":
    [{"from", "to", "reaches", "always", "complete", "change", "change_always",
    "irreversible"}]}``: ``reaches`` and ``always`` per attractor of ``from`` (indices into the
    attractors of ``to``), ``change`` the switch class of the cell, ``irreversible`` the
    attractors of ``from`` that may end elsewhere after a stay in ``to`` and the return.

    Parameters
    ----------
    m : TransitionMatrix
    extra : dict, optional

    Returns
    -------
    Table
    """
    some = next(iter(m.analyses.values()))
    nodes = list(some.nodes)
    trans = []
    rows = []
    for a in m.contexts:
        for b in m.contexts:
            if a == b or (a, b) not in m.cells:
                continue
            cell = m.cells[a, b]
            change, always = m.change(a, b)
            back = m.irreversible(a, b) if (b, a) in m.cells else []
            trans.append(
                {
                    "from": a,
                    "to": b,
                    "reaches": [sorted(r) for r in cell.reaches],
                    "always": [cell.always(i) for i in range(len(cell.before))],
                    "complete": cell.complete,
                    "change": change,
                    "change_always": always,
                    "irreversible": back,
                }
            )
            before = " | ".join("+".join(ca.phenotypes) for ca in cell.before)
            after = sorted({"+".join(m.analyses[b][j].phenotypes) for r in cell.reaches for j in r})
            rows.append(
                [
                    a,
                    b,
                    before,
                    " | ".join(after),
                    change,
                    "always" if always else "possibly",
                    "no: " + ",".join(f"A{i + 1}" for i in back) if back else "yes",
                ]
            )
    data: dict[str, Any] = {
        "update": m.update,
        "contexts": list(m.contexts),
        "attractors": {
            c: [_attractor_data(ca, nodes) for ca in an] for c, an in m.analyses.items()
        },
        "transitions": trans,
    }
    data.update(extra or {})
    counts: dict[str, int] = {}
    for t in trans:
        counts[t["change"]] = counts.get(t["change"], 0) + 1
    note = (
        f"{len(trans)} switches: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
        + f"; {sum(bool(t['irreversible']) for t in trans)} cannot be undone by going back"
    )
    cols = ["from", "to", "before", "after", "change", "how", "returns"]
    return Table(f"{m.update} context switches", cols, rows, data, note)
