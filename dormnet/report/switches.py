"""The report's section on context switches: where a cell goes when its niche changes
(:func:`dormnet.switch.transition_matrix`), as a figure and a table."""

from __future__ import annotations

from .collect import ReportData
from .html import png_bytes

__all__ = ["switches_section"]


def switches_section(data: ReportData) -> str:
    """Every context -> context switch coloured by its phenotype change, and why it is missing
    or partial when it is.

    Parameters
    ----------
    data : ReportData

    Returns
    -------
    str
        HTML.
    """
    from ..figures import SWITCH_COLOURS
    from ..switch_view import transitions_figure, transitions_html

    m = data.transitions
    if m is None or not m.cells:
        why = "; ".join(n for n in data.notes if "context switches" in n) or "not computed"
        return transitions_html(None, None, why)
    partial = "; ".join(n for n in data.notes if n.startswith("context switches:"))
    return transitions_html(m, png_bytes(transitions_figure(m, SWITCH_COLOURS)), partial)
