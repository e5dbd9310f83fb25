"""The report page: the sections of :mod:`.sections` in one self-contained HTML file.

:func:`write_report` writes ``DIR/index.html``: the figures are embedded as base64 PNG, the styles
and the few lines of script (a filter box for the provenance table, a self-check that every
figure decoded) are inline, so the page opens from disk with no network access. Reference links
(PubMed, doi.org) are ordinary links: nothing is fetched to display the page.
"""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path
from typing import Any

from ..bundle import Bundle
from ..errors import DormnetError
from .collect import ReportData, collect
from .html import asset, esc
from .sections import SECTIONS

__all__ = ["render_report", "write_report"]


def render_report(data: ReportData) -> str:
    """The HTML text of the report.

    Parameters
    ----------
    data : ReportData
        From :func:`~dormnet.report.collect.collect`.

    Returns
    -------
    str
        One HTML page, every figure, style and script inline.
    """
    from .._version import __version__

    b = data.bundle
    net = b.network
    name = b.path.name if b.path else "model"
    shown = [(s, html) for s in SECTIONS if (html := s.render(data))]
    parts = [f'<section id="{s.anchor}">{html}</section>' for s, html in shown]
    timing = ", ".join(f"{k} {v:.1f} s" for k, v in data.seconds.items())
    notes = "".join(f"<li>{esc(n)}</li>" for n in data.notes)
    head = (
        f"{len(net)} nodes, {len(net.inputs)} inputs · "
        f"dormnet {__version__} · {time.strftime('%Y-%m-%d %H:%M')}"
    )
    nav = "".join(f'<a href="#{s.anchor}">{s.label}</a>' for s, _ in shown)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dormnet report: {esc(name)}</title>
<script>{asset("report-head.js").strip()}</script>
<style>
{asset("report.css")}</style></head>
<body><header><h1>dormnet report: {esc(name)}</h1><p>{esc(head)}</p></header>
<nav>{nav}</nav>
<main>
{"".join(parts)}
<section id="about"><h2>How this page was made</h2>
<p>Model file: <code>{esc(b.path) if b.path else "(in memory)"}</code>. Attractors:
{esc(data.update)}
updating with each context's inputs fixed (landscape, validation); screens compare minimal trap
spaces (most permissive semantics, which include every fixed point) before and after each
perturbation. Python {esc(platform.python_version())}. Time: {esc(timing or "-")}.</p>
{f"<ul>{notes}</ul>" if notes else ""}
<div id="selfcheck" class="muted">self-check did not run (JavaScript disabled?)</div>
</section>
</main>
<script>{asset("report.js").strip()}</script>
</body></html>
"""


def write_report(
    bundle: Bundle,
    directory: str | os.PathLike[str],
    *,
    data: ReportData | None = None,
    **kwargs: Any,
) -> Path:
    """Compute (unless ``data`` is given) and write ``directory/index.html`` atomically.

    Parameters
    ----------
    bundle : Bundle
        The model with its companion files.
    directory : path
        Created if needed.
    data : ReportData, optional
        What to show, if already computed.
    **kwargs
        Passed to :func:`~dormnet.report.collect.collect` (``update``, ``double``,
        ``processes``, ``timeout``, ``progress``).

    Returns
    -------
    Path
        The written ``index.html``.

    Raises
    ------
    DormnetError
        ``directory`` is a file, or cannot be created or written.
    """
    from ..io._atomic import atomic_write_text

    out = Path(directory)
    if out.exists() and not out.is_dir():
        raise DormnetError(f"{out}: exists and is not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DormnetError(f"cannot create {out}: {e.strerror or e}") from None
    if data is None:
        data = collect(bundle, **kwargs)
    text = render_report(data)
    target = out / "index.html"
    try:
        atomic_write_text(target, text)
    except OSError as e:
        raise DormnetError(f"cannot write {target}: {e.strerror or e}") from None
    return target
