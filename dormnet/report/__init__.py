"""One self-contained HTML report of a model: summary, landscape, screen hits, validation and
provenance.

- :mod:`.collect`: what the report shows, computed once (:class:`ReportData`, :func:`collect`),
  and the ranking of screen hits (:func:`top_hits`);
- :mod:`.sections`: one function per section of the page, listed in ``SECTIONS`` (adding a
  section is one function and one line there);
- :mod:`.html`: the HTML building blocks and the page's style sheet and scripts, which are
  package data (``dormnet/report/assets/``);
- :mod:`.page`: the page itself, :func:`render_report` and :func:`write_report`.

:func:`write_report` writes ``DIR/index.html``, which opens from disk with no network access.
"""

from __future__ import annotations

from .collect import (
    HIT_CLASSES,
    Hit,
    ReportData,
    collect,
    output_perturbations,
    reference_url,
    simulate_contexts,
    summary_table,
    top_hits,
)
from .page import render_report, write_report

__all__ = [
    "HIT_CLASSES",
    "Hit",
    "ReportData",
    "collect",
    "output_perturbations",
    "reference_url",
    "render_report",
    "simulate_contexts",
    "summary_table",
    "top_hits",
    "write_report",
]
