"""The context -> context transition matrix shown: a figure and a report section.

:func:`transitions_figure` draws a :class:`~dormnet.switch.TransitionMatrix` as a grid, the
contexts a cell leaves on the rows and those it is moved to on the columns. Each cell is
coloured by the most notable phenotype change of that switch (the screen's switch classes:
``awakening``, ``dormancy-inducing``, ``eliminating``, ...), solid where every trajectory makes it
(always) and hatched where only some do (possibly); a black corner marks a switch that going back
cannot undo (after the return some cell may end in another attractor: hysteresis or memory).
:func:`transitions_html` is the report's section. Both are reached through
:func:`dormnet.figures.draw` (``dormnet figure transitions``; write a figure with
:func:`dormnet.figures.save_figure`) and :mod:`dormnet.report`.

This is a module of its own because :mod:`dormnet.figures` is past the 600-line limit of a
module; once that is a package, this is its ``transitions`` figure module. It imports nothing
from the figures module (the colours are passed in), so the two import no cycle.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .switch import CHANGE_ORDER, TransitionMatrix

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PHENOTYPE_LETTERS", "transitions_figure", "transitions_html"]

#: one letter per phenotype word, for row labels and table cells
PHENOTYPE_LETTERS = {
    "dormant": "D",
    "proliferative": "P",
    "apoptotic": "A",
    "emt": "E",
    "arrested": "R",
    "undetermined": "?",
}


def _letters(words: list[str]) -> str:
    return "+".join(PHENOTYPE_LETTERS.get(w, w[:3]) for w in words)


def _row_label(m: TransitionMatrix, c: str) -> str:
    return f"{c}  {' '.join(_letters(ca.phenotypes) for ca in m.analyses[c]) or '-'}"


def transitions_figure(
    m: TransitionMatrix, colours: Mapping[str, str], *, title: str | None = None
) -> Figure:
    """The transition matrix as a grid coloured by phenotype change (see the module docstring).

    Parameters
    ----------
    m : TransitionMatrix
    colours : mapping
        Switch class -> colour (:data:`dormnet.figures.SWITCH_COLOURS`, passed in so that this
        module does not import the figures module, which calls it).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from dormnet.bundle import load_bundle
    >>> from dormnet.figures import SWITCH_COLOURS
    >>> from dormnet.switch import transition_matrix
    >>> b = load_bundle()
    >>> m = transition_matrix(b, contexts=list(b.contexts)[:3])
    >>> fig = transitions_figure(m, SWITCH_COLOURS)
    >>> type(fig).__name__
    'Figure'
    """
    import matplotlib.patches as mp
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    names = list(m.contexts)
    n = len(names)
    # in inches: row labels on the left, column labels below, the legend on the right
    grid, left, bottom, right, top = 0.3 * max(n, 3), 2.1, 1.5, 2.4, 0.5
    width, height = left + grid + right, bottom + grid + top
    fig = Figure(figsize=(width, height), dpi=110)
    ax = fig.add_axes((left / width, bottom / height, grid / width, grid / height))
    seen: set[str] = set()
    hatched = marked = False
    for r, a in enumerate(names):
        for c, b in enumerate(names):
            y = n - 1 - r
            if a == b:
                ax.add_patch(mp.Rectangle((c, y), 1, 1, facecolor="#e4e4e4", edgecolor="white"))
                continue
            if (a, b) not in m.cells:
                continue
            change, always = m.change(a, b)
            seen.add(change)
            colour = colours.get(change, "#cccccc")
            ax.add_patch(
                mp.Rectangle(
                    (c, y),
                    1,
                    1,
                    facecolor=colour,
                    edgecolor="white",
                    hatch=None if always else "////",
                    alpha=1.0 if always else 0.55,
                    linewidth=0.8,
                )
            )
            hatched |= not always
            if (b, a) in m.cells and m.irreversible(a, b):
                ax.add_patch(mp.Polygon([(c + 0.62, y + 1), (c + 1, y + 1), (c + 1, y + 0.62)],
                                        facecolor="black", edgecolor="none"))  # fmt: skip
                marked = True
    ax.set_xlim(0, n)
    ax.set_ylim(0, n)
    ax.set_xticks([i + 0.5 for i in range(n)])
    ax.set_xticklabels(names, rotation=60, ha="right", fontsize=7)
    ax.set_yticks([n - 1 - i + 0.5 for i in range(n)])
    ax.set_yticklabels([_row_label(m, c) for c in names], fontsize=7)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_xlabel("moved to (its attractors' phenotypes on the row labels)", fontsize=8)
    ax.set_ylabel("cells start in", fontsize=8)
    handles: list = [
        mp.Patch(facecolor=colours.get(k, "#cccccc"), label=k) for k in CHANGE_ORDER if k in seen
    ]
    if hatched:
        handles.append(
            mp.Patch(facecolor="#bbbbbb", hatch="////", alpha=0.55, label="possibly (some paths)")
        )
    if marked:
        handles.append(
            Line2D(
                [], [], marker=">", color="black", linestyle="none", label="not undone by return"
            )
        )
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        fontsize=7,
        frameon=False,
        title="D dormant, P proliferative,\nA apoptotic, E emt, R arrested",
        title_fontsize=7,
    )
    ax.set_title(
        title or f"{m.update} context switches: where cells go when their niche changes",
        fontsize=10,
    )
    return fig


def transitions_html(m: TransitionMatrix | None, png: bytes | None, note: str = "") -> str:
    """The report section: the figure, and the switches that going back does not undo.

    Parameters
    ----------
    m : TransitionMatrix or None
        ``None``: the section says why there is no matrix (``note``).
    png : bytes or None
        The figure as PNG.
    note : str
        Why the matrix is missing or partial.

    Returns
    -------
    str
        HTML, ``<h2>`` first.
    """
    import base64

    e = html.escape
    out = ["<h2>Context switches (hysteresis and memory)</h2>"]
    if m is None:
        out.append(f'<p class="note">{e(note or "not computed")}</p>')
        return "".join(out)
    out.append(
        f"<p>Each cell: cells that sit in an attractor of the row's context are moved to the "
        f"column's context (their state carries over, the new inputs hold at once) under "
        f"{e(m.update)} updating; the colour is the most notable phenotype change, solid when "
        "every trajectory makes it, hatched when only some do. A black corner: after going back "
        "to the row's context some cells may end in another attractor than the one they left "
        "(the switch is not undone).</p>"
    )
    if note:
        out.append(f'<p class="note">{e(note)}</p>')
    if png is not None:
        data = base64.b64encode(png).decode("ascii")
        out.append(
            f'<figure><img src="data:image/png;base64,{data}" alt="context switch matrix"></figure>'
        )
    rows = []
    for a in m.contexts:
        for b in m.contexts:
            if a == b or (a, b) not in m.cells or (b, a) not in m.cells:
                continue
            for i in m.irreversible(a, b):
                before = m.analyses[a][i]
                back = m.round_trip(a, b)[i]
                rows.append(
                    "<tr>"
                    + "".join(
                        f"<td>{x}</td>"
                        for x in (
                            e(a),
                            e("+".join(before.phenotypes)),
                            e(b),
                            e("; ".join("+".join(m.analyses[a][j].phenotypes) for j in back)),
                            "possibly" if len(back) > 1 else "always",
                        )
                    )
                    + "</tr>"
                )
    if rows:
        head = "".join(
            f"<th>{h}</th>"
            for h in ("start context", "start state", "stay in", "after the return", "how")
        )
        out.append(
            f"<h3>Switches that going back does not undo ({len(rows)})</h3>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows[:60])}</tbody></table>"
        )
        if len(rows) > 60:
            out.append(f'<p class="muted">first 60 of {len(rows)}: dormnet switch --all-contexts'
                       " gives all</p>")  # fmt: skip
    else:
        out.append("<p>Every switch is undone by going back: no hysteresis between contexts.</p>")
    return "".join(out)
