"""Results and networks as HTML tables, for Jupyter (``_repr_html_``).

A notebook shows a dormnet result by calling its ``_repr_html_``, which lands here. The tables are
the command line's (:mod:`dormnet.render`), drawn with inline styles only (no ``<style>`` block
leaks into the rest of the notebook): phenotype words in the colours of the report and the
figures (:data:`dormnet.figures.PHENOTYPE_COLOURS`), screen switch classes in
:data:`~dormnet.figures.SWITCH_COLOURS`, node values 1 dark, 0 light and ``*`` (not fixed) grey.

Large results are cut, and the cut is stated: at most :data:`MAX_ROWS` results
(:data:`MAX_NODES` rules of a network) are shown, with "showing 20 of 32,768 results" below; a
result over more than :data:`MAX_NODE_COLUMNS` nodes shows as columns only the nodes whose value
differs between the rows shown, and lists the others by value. ``to_frame()`` always has
everything.

Examples
--------
>>> from dormnet import BooleanNetwork
>>> html = BooleanNetwork({"a": "!b", "b": "a"})._repr_html_()
>>> "<table" in html and "2 nodes" in html
True
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .analysis import Analysis, LandscapeRow
    from .expectations import Outcome
    from .io.screen_rows import ScreenRow
    from .network import BooleanNetwork
    from .render import Table
    from .simulate import SimulationResult

__all__ = [
    "MAX_NODES",
    "MAX_NODE_COLUMNS",
    "MAX_ROWS",
    "analysis_html",
    "dynamics_html",
    "landscape_html",
    "network_html",
    "outcomes_html",
    "phenotype_cell",
    "screen_html",
    "simulation_html",
    "stochastic_screen_html",
    "table_html",
]

#: results shown in a notebook (``to_frame()`` has them all)
MAX_ROWS = 20
#: rules of a network shown in a notebook
MAX_NODES = 100
#: node columns shown; beyond, only the nodes whose value differs between the rows shown
MAX_NODE_COLUMNS = 30
#: characters of a rule shown
MAX_RULE = 300

_CELL = "padding:1px 6px;text-align:left;vertical-align:top"
_VALUE_STYLE = {
    "1": "background:#404040;color:#ffffff",
    "0": "background:#ffffff;color:#9a9a9a",
    "*": "background:#d9d9d9;color:#000000",
}
_PASS = {"pass": "#8cbf6a", "FAIL": "#d1495b"}

Cell = Callable[[Any], str]


def _ink(background: str) -> str:
    """Black or white text, whichever reads on ``background`` (``#rrggbb``)."""
    r, g, b = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def _chip(word: str, colours: Mapping[str, str]) -> str:
    bg = colours.get(word, "#eeeeee")
    return (
        f'<span style="background:{bg};color:{_ink(bg)};border-radius:3px;padding:0 4px">'
        f"{html.escape(word)}</span>"
    )


def _phenotype_colours() -> Mapping[str, str]:
    from .figures import PHENOTYPE_COLOURS

    return PHENOTYPE_COLOURS


def phenotype_cell(text: Any) -> str:
    """Phenotype words as coloured chips, the separators (``,`` ``+`` ``|`` ``;``) kept.

    Parameters
    ----------
    text : str
        E.g. ``"dormant+emt; proliferative"``.

    Returns
    -------
    str
        HTML.

    Examples
    --------
    >>> phenotype_cell("dormant|none").count("<span")
    2
    """
    colours = _phenotype_colours()
    out, word = [], ""
    for ch in str(text) + "\0":
        if ch in ",+|;\0":
            if word.strip():
                out.append(_chip(word.strip(), colours))
            if ch != "\0":
                out.append(html.escape(ch) + (" " if ch == ";" else ""))
            word = ""
        else:
            word += ch
    return "".join(out)


def _switch_cell(text: Any) -> str:
    from .figures import SWITCH_COLOURS

    return _chip(str(text), SWITCH_COLOURS)


def _value_cell(v: Any) -> str:
    s = str(v)
    return f'<td style="{_CELL};text-align:center;{_VALUE_STYLE.get(s, "")}">{html.escape(s)}</td>'


def _plain(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int):
        return f"{v:,}"
    return html.escape(str(v))


def _count(k: int, word: str) -> str:
    return f"{k:,} {word}{'' if k == 1 else 's'}"


def _header(title: str, summary: str) -> str:
    return f"<p><b>{html.escape(title)}</b>{': ' + html.escape(summary) if summary else ''}</p>"


def table_html(
    table: Table,
    *,
    cells: Mapping[str, Cell] | None = None,
    values: Sequence[str] = (),
    max_rows: int | None = MAX_ROWS,
    what: str = "rows",
    notes: Sequence[str] = (),
    total: int | None = None,
    hint: str = "to_frame() has all of them",
) -> str:
    """A :class:`~dormnet.render.Table` as an HTML table, cut to ``max_rows`` rows.

    Parameters
    ----------
    table : Table
    cells : mapping, optional
        Column name -> function turning a value into the HTML inside its cell (default: the
        value, escaped; integers with thousands separators).
    values : sequence of str
        Columns of node values (0, 1, ``*``), drawn as coloured cells.
    max_rows : int or None
        Rows shown (``None``: all).
    what : str
        What a row is, for the note on a cut table ("showing 20 of 300 results").
    notes : sequence of str
        Lines below the table (plain text).
    total : int, optional
        How many rows there are in all, when ``table`` holds only the first ones.
    hint : str
        Where to find every row, said below a cut table.

    Returns
    -------
    str
        HTML.
    """
    cells = dict(cells or {})
    value_cols = set(values)
    rows = table.rows if max_rows is None else table.rows[:max_rows]
    head = "".join(f'<th style="{_CELL}">{html.escape(str(c))}</th>' for c in table.columns)
    body = []
    for r in rows:
        tds = []
        for c, v in zip(table.columns, r):
            if c in value_cols:
                tds.append(_value_cell(v))
            else:
                tds.append(f'<td style="{_CELL}">{cells.get(c, _plain)(v)}</td>')
        body.append("<tr>" + "".join(tds) + "</tr>")
    lines = list(notes)
    total = len(table.rows) if total is None else total
    if len(rows) < total:
        lines.append(f"showing {len(rows):,} of {total:,} {what}: {hint}")
    foot = "".join(f"<p><small>{html.escape(n)}</small></p>" for n in lines)
    return (
        _header(table.title, table.note)
        + f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        + foot
    )


def analysis_html(result: Analysis, *, max_rows: int | None = MAX_ROWS) -> str:
    """Attractors, fixed points or trap spaces as HTML (phenotypes coloured).

    With more than :data:`MAX_NODE_COLUMNS` nodes, the nodes that take one value in every row
    shown are listed under the table by value instead of being columns.

    Parameters
    ----------
    result : Analysis
    max_rows : int or None
        Results shown.

    Returns
    -------
    str
        HTML.
    """
    from .render import Table, analysis_table

    table = analysis_table(result)
    fixed = 4  # '#', phenotypes, kind, states
    nodes = list(result.nodes)
    shown = table.rows if max_rows is None else table.rows[:max_rows]
    notes: list[str] = []
    keep = list(range(len(nodes)))
    if len(nodes) > MAX_NODE_COLUMNS:
        keep = [j for j in keep if len({str(r[fixed + j]) for r in shown}) > 1]
        same = [j for j in range(len(nodes)) if j not in set(keep)]
        if same and shown:
            by_value: dict[str, list[str]] = {}
            for j in same:
                by_value.setdefault(str(shown[0][fixed + j]), []).append(nodes[j])
            listed = "; ".join(
                f"{v}: {', '.join(by_value[v])}" for v in ("1", "0", "*") if v in by_value
            )
            if len(shown) == 1:
                notes.append(f"values of the {len(nodes)} nodes: {listed}")
            else:
                notes.append(
                    f"{len(same)} of {len(nodes)} nodes take the same value in every row shown: "
                    + listed
                )
        if len(keep) > MAX_NODE_COLUMNS:
            notes.append(f"{len(keep) - MAX_NODE_COLUMNS} more varying nodes are not shown")
            keep = keep[:MAX_NODE_COLUMNS]
    cut = Table(
        table.title,
        table.columns[:fixed] + [nodes[j] for j in keep],
        [r[:fixed] + [r[fixed + j] for j in keep] for r in table.rows],
        note=table.note,
    )
    return table_html(
        cut,
        cells={"phenotypes": phenotype_cell},
        values=[nodes[j] for j in keep],
        max_rows=max_rows,
        what="results",
        notes=notes,
    )


def landscape_html(
    rows: Sequence[LandscapeRow], *, update: str = "async", max_rows: int | None = MAX_ROWS
) -> str:
    """A landscape as HTML: one row per context, phenotypes coloured.

    Parameters
    ----------
    rows : sequence of LandscapeRow
    update : str
        The update scheme, for the title.
    max_rows : int or None
        Contexts shown.

    Returns
    -------
    str
        HTML.
    """
    from .render import landscape_table

    table = landscape_table(rows, title=f"{update} landscape", update=update)
    table.note = f"{len(rows):,} contexts" if len(rows) != 1 else "1 context"
    return table_html(
        table, cells={"phenotypes": phenotype_cell}, max_rows=max_rows, what="contexts"
    )


def screen_html(rows: Sequence[ScreenRow], *, max_rows: int | None = MAX_ROWS) -> str:
    """Screen rows as HTML, switch classes and phenotypes coloured, with the count of each class.

    Parameters
    ----------
    rows : sequence of ScreenRow
    max_rows : int or None
        Rows shown.

    Returns
    -------
    str
        HTML.
    """
    from dataclasses import astuple

    from .io.screen_rows import ROW_FIELDS
    from .render import Table

    counts = Counter(r.switch for r in rows)
    note = f"{len(rows):,} rows" + (
        ": " + ", ".join(f"{k} {v:,}" for k, v in counts.most_common()) if rows else ""
    )
    table = Table("screen", list(ROW_FIELDS), [list(astuple(r)) for r in rows], note=note)
    cells = {"before": phenotype_cell, "after": phenotype_cell, "switch": _switch_cell}
    return table_html(table, cells=cells, max_rows=max_rows, what="rows")


def outcomes_html(outcomes: Sequence[Outcome], *, max_rows: int | None = None) -> str:
    """Checked expectations as HTML: pass green, FAIL red, with the summary line.

    Parameters
    ----------
    outcomes : sequence of Outcome
    max_rows : int or None
        Expectations shown (default: all).

    Returns
    -------
    str
        HTML.
    """
    from .expectations import summary
    from .render import outcomes_table

    table = outcomes_table(outcomes, summary(outcomes), title="validation")
    cells = {"result": lambda v: _chip(str(v), _PASS)}
    return table_html(table, cells=cells, max_rows=max_rows, what="expectations")


def network_html(net: BooleanNetwork, *, max_rows: int | None = MAX_NODES) -> str:
    """A network as HTML: one row per node with its kind, rule and the references of the rule.

    Parameters
    ----------
    net : BooleanNetwork
    max_rows : int or None
        Nodes shown.

    Returns
    -------
    str
        HTML.
    """
    from .render import Table

    rows = []
    for n in net.nodes if max_rows is None else net.nodes[:max_rows]:  # a rule prints slowly
        rule = net.rule(n)
        kind = "input" if rule.is_input else "constant" if rule.is_constant else "internal"
        text = rule.function
        if len(text) > MAX_RULE:
            text = text[:MAX_RULE] + f"… ({len(rule.function):,} characters)"
        rows.append([n, kind, text, "; ".join(rule.references)])
    summary = ", ".join(
        _count(k, w)
        for k, w in (
            (len(net), "node"),
            (len(net.inputs), "input"),
            (len(net.constants), "constant"),
        )
    )
    table = Table(f"BooleanNetwork from {net.source}", ["node", "kind", "rule", "references"], rows)
    table.note = summary
    cells = {"rule": lambda v: f"<code>{html.escape(str(v))}</code>"}
    return table_html(
        table,
        cells=cells,
        max_rows=max_rows,
        what="nodes",
        total=len(net),
        hint="dormnet.format_bnet(net) has every rule",
    )


def _probability_cell(colour: str) -> Cell:
    """A probability drawn as a bar of ``colour`` (light, so the value stays readable)."""

    def cell(v: Any) -> str:
        if v == "":  # the gap row of a cut time course
            return ""
        p = max(0.0, min(1.0, float(v)))
        return (
            f'<span style="display:inline-block;min-width:4em;background:linear-gradient(90deg,'
            f'{colour}66 {100 * p:.0f}%,transparent {100 * p:.0f}%)">{float(v):.3f}</span>'
        )

    return cell


def simulation_html(result: SimulationResult, *, max_rows: int | None = MAX_ROWS) -> str:
    """A simulated time course as HTML: phenotype probabilities per time window, as bars in the
    phenotype colours; the first and the last windows when there are more than ``max_rows``.

    Parameters
    ----------
    result : SimulationResult
    max_rows : int or None
        Time windows shown.

    Returns
    -------
    str
        HTML. The node probabilities are in ``to_frame()``.
    """
    from .render import Table, simulation_table

    table = simulation_table(result, title="simulation")
    k = 1 + len(result.phenotypes)  # time, then the phenotypes, then the nodes
    rows = [r[:k] for r in table.rows]
    if max_rows is not None and len(rows) > max_rows:
        half = max(1, max_rows // 2)
        rows = [*rows[:half], ["…"] + [""] * (k - 1), *rows[-half:]]
        cut = f"showing the first and the last {half} of {len(table.rows):,} time windows"
    else:
        cut = ""
    colours = _phenotype_colours()
    cells: dict[str, Cell] = {
        w: _probability_cell(colours.get(w, "#bbbbbb")) for w in result.phenotypes
    }
    notes = list(table.footnotes)
    if cut:
        notes.append(cut)
    notes.append(f"{len(result.nodes):,} node probabilities per window: to_frame() has them")
    title = f"{result.method} simulation" + (
        f", {result.trajectories:,} trajectories" if result.trajectories else ""
    )
    shown = Table(title, table.columns[:k], rows)
    shown.note = f"{len(table.rows):,} time windows"
    head = table_html(shown, cells=cells, max_rows=None, notes=notes)
    return head.replace(  # phenotype words in the header as chips
        "".join(f'<th style="{_CELL}">{html.escape(w)}</th>' for w in result.phenotypes),
        "".join(f'<th style="{_CELL}">{_chip(w, colours)}</th>' for w in result.phenotypes),
    )


def stochastic_screen_html(
    rows: Sequence[Mapping[str, Any]], *, max_rows: int | None = MAX_ROWS
) -> str:
    """A stochastic screen as HTML: each phenotype's probability as a bar in its colour, and its
    change against the unperturbed scenario.

    Parameters
    ----------
    rows : sequence of dict
        From :func:`dormnet.stochastic_screen.stochastic_screen`.
    max_rows : int or None
        Rows shown.

    Returns
    -------
    str
        HTML (standard errors and baselines are in ``to_frame()``).
    """
    from .render import Table
    from .stochastic_screen import row_columns

    columns = row_columns(rows)
    words = [c[len("delta_") :] for c in columns if c.startswith("delta_")]
    shown = ["context", "perturbation", "size"] + [c for w in words for c in (w, f"delta_{w}")]
    colours = _phenotype_colours()
    cells: dict[str, Cell] = {w: _probability_cell(colours.get(w, "#bbbbbb")) for w in words}
    cells.update({f"delta_{w}": lambda v: f"{float(v):+.3f}" for w in words})
    moved = sum(
        1
        for r in rows
        if r["perturbation"] != "none" and any(abs(r[f"delta_{w}"]) >= 0.1 for w in words)
    )
    table = Table(
        "stochastic screen",
        shown,
        [[r[c] for c in shown] for r in rows],
        note=f"{len(rows):,} rows; {moved:,} perturbations move a phenotype probability by >= 0.1",
    )
    return table_html(
        table,
        cells=cells,
        max_rows=max_rows,
        what="rows",
        notes=["standard errors and the baselines' probabilities: to_frame()"],
    )


def dynamics_html(result: Any, *, max_rows: int | None = MAX_ROWS) -> str:
    """A switch, schedule, transition matrix, basins or control result as HTML (Jupyter):
    the command's table, phenotypes coloured as in the report, cut to ``max_rows`` rows.

    Parameters
    ----------
    result : Schedule, TransitionMatrix, Basins or ControlResult
    max_rows : int or None

    Returns
    -------
    str
    """
    from .switch_tables import result_table

    table = result_table(result)
    coloured = [c for c in table.columns if "phenotype" in c or c in ("before", "after")]
    return table_html(table, cells=dict.fromkeys(coloured, phenotype_cell), max_rows=max_rows)
