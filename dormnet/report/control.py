"""The report's section on phenotype control: the minimal drug sets that keep cells dormant in
each niche (with the drugs held, and after they are stopped) and that eliminate dormant cells,
with each drug's development stage and references (:func:`dormnet.control.control`)."""

from __future__ import annotations

from ..control import Solution
from .collect import REPORT_CONTROL_SIZE, ReportData
from .html import esc, ref_links, table_html

__all__ = ["control_section"]


def control_section(data: ReportData) -> str:
    """Per control question, the minimal drug sets ranked and, per niche, the sets minimal there.

    Parameters
    ----------
    data : ReportData

    Returns
    -------
    str
        HTML, or ``""`` when no control question was answered.
    """
    if not data.control:
        return ""
    first = data.control[0][1]
    parts = [
        "<h2>Phenotype control: minimal drug sets</h2>",
        (
            f"<p>Every set of up to {REPORT_CONTROL_SIZE} drugs of the drug table after which "
            f"every attractor ({esc(first.update)}: minimal trap spaces) of a context carries the "
            "phenotype, and none with a working proper subset there. <i>Temporary</i>: the drugs "
            "are held until the cell settles, then stopped; every attractor the cell can reach "
            "afterwards must still carry it. Evidence is the weakest development stage in the set "
            "(approved, clinical, preclinical, tool). <code>dormnet control</code> asks the same "
            "with knockouts and overexpressions, larger sets and exact asynchronous attractors.</p>"
        ),
    ]
    for title, result in data.control:
        parts.append(_question_html(data, title, result))
    return "".join(parts)


def _question_html(data: ReportData, title: str, result) -> str:
    drugs = data.bundle.drugs
    out = [f"<h3>{esc(title)}</h3>"]
    n = len(result.contexts)
    if result.skipped:
        out.append(
            f'<p class="muted">{n} contexts searched; left out (no attractor with the '
            f"phenotype {esc(result.source)}): {esc(', '.join(result.skipped))}.</p>"
        )
    none = [s for s in result.solutions if not s.agents]
    sets = [s for s in result.solutions if s.agents]
    if none:
        out.append(
            f"<p>Already so without drugs in {len(none[0].contexts)} of {n} contexts: "
            f"{esc(', '.join(none[0].contexts))}.</p>"
        )
    if not sets:
        out.append(f'<p class="muted">No set of up to {REPORT_CONTROL_SIZE} drugs works.</p>')
        return "".join(out)
    rows = []
    for s in sets:
        refs = [r for d in s.drugs for r in drugs[d].references] if drugs else []
        rows.append(
            [
                f"<b>{esc(s.label)}</b>",
                esc(s.evidence),
                f"{len(s.contexts)} of {n}",
                esc(", ".join(s.minimal_in)),
                esc(", ".join(s.contexts)),
                ref_links(dict.fromkeys(refs)),
            ]
        )
    out.append(
        table_html(
            ["drugs", "evidence", "works in", "minimal in", "contexts", "references"],
            rows,
            raw=True,
        )
    )
    out.append("<p><b>Per niche</b></p>")
    out.append(
        table_html(
            ["context", "minimal drug sets"],
            [[c, _per_niche(c, result.solutions)] for c in result.contexts],
        )
    )
    return "".join(out)


def _per_niche(context: str, solutions: list[Solution]) -> str:
    here = [s for s in solutions if context in s.minimal_in]
    if any(not s.agents for s in here):
        return "nothing needed"
    if not here:
        return f"none of up to {REPORT_CONTROL_SIZE} drugs"
    return "; ".join(f"{s.label} ({s.evidence})" for s in here)
