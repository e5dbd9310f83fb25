"""The building blocks of the report's HTML: escaping, reference links, tables, phenotype pills,
embedded figures, and the page's style sheet and scripts (package data in ``assets/``).

Everything a section writes goes through :func:`esc` (or is built from these blocks), so model
text never reaches the page unescaped.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .collect import reference_url

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "asset",
    "esc",
    "img_html",
    "phen_pills",
    "pill",
    "png_bytes",
    "ref_links",
    "table_html",
]


@cache
def asset(name: str) -> str:
    """The text of a file in ``dormnet/report/assets/`` (the style sheet and the scripts).

    Parameters
    ----------
    name : str
        ``report.css``, ``report-head.js`` (an error trap, run first) or ``report.js`` (the
        figure self-check, click-to-zoom and the filter boxes, run last).

    Returns
    -------
    str

    Examples
    --------
    >>> asset("report.css").startswith(":root")
    True
    """
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def esc(x: Any) -> str:
    """``str(x)`` escaped for HTML text and attribute values.

    Parameters
    ----------
    x : object

    Returns
    -------
    str

    Examples
    --------
    >>> esc('<a & "b">')
    '&lt;a &amp; &quot;b&quot;&gt;'
    """
    return html.escape(str(x), quote=True)


def ref_links(refs: Iterable[str]) -> str:
    """References as links (PubMed, doi.org) where they have an address, separated by ``; ``.

    Parameters
    ----------
    refs : iterable of str
        ``PMID:n``, ``DOI:x`` or free text.

    Returns
    -------
    str
        HTML.

    Examples
    --------
    >>> ref_links(["PMID:1", "a book"])
    '<a href="https://pubmed.ncbi.nlm.nih.gov/1/">PMID:1</a>; a book'
    """
    out = []
    for r in refs:
        url = reference_url(r)
        out.append(f'<a href="{esc(url)}">{esc(r)}</a>' if url else esc(r))
    return "; ".join(out)


def img_html(png: bytes, alt: str) -> str:
    """A PNG embedded as base64 in a zoomable figure box.

    Parameters
    ----------
    png : bytes
    alt : str
        The alternative text.

    Returns
    -------
    str
        HTML.
    """
    b64 = base64.b64encode(png).decode("ascii")
    return (
        f'<div class="fig"><img alt="{esc(alt)}" title="click to zoom" '
        f'src="data:image/png;base64,{b64}"></div>'
    )


def table_html(
    cols: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    cls: str = "",
    ident: str | None = None,
    raw: bool = False,
) -> str:
    """An HTML table; cells are escaped unless ``raw`` (then they are HTML already).

    Parameters
    ----------
    cols : sequence of str
        The header.
    rows : iterable of sequences of str
    cls : str
        The table's class attribute.
    ident : str, optional
        The table's id (a filter box refers to it).
    raw : bool
        The cells are HTML already.

    Returns
    -------
    str
        HTML.

    Examples
    --------
    >>> table_html(["a"], [["<1>"]])
    '<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>&lt;1&gt;</td></tr></tbody></table>'
    """
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    body = []
    for r in rows:
        body.append("<tr>" + "".join(f"<td>{c if raw else esc(c)}</td>" for c in r) + "</tr>")
    attrs = (f' class="{cls}"' if cls else "") + (f' id="{ident}"' if ident else "")
    return f"<table{attrs}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def pill(word: str) -> str:
    """A coloured label for a phenotype or switch class (its colour comes from the style sheet).

    Parameters
    ----------
    word : str

    Returns
    -------
    str
        HTML.

    Examples
    --------
    >>> pill("no change")
    '<span class="pill p-no-change">no change</span>'
    """
    return f'<span class="pill p-{esc(word.replace(" ", "-"))}">{esc(word)}</span>'


def phen_pills(text: str) -> str:
    """One pill per phenotype of a ``+``/``|``-joined phenotype text; ``none`` when empty.

    Parameters
    ----------
    text : str
        Such as ``dormant+apoptotic`` (a screen row's ``before``).

    Returns
    -------
    str
        HTML.
    """
    return " ".join(pill(w) for w in text.replace("|", "+").split("+") if w) or pill("none")


def png_bytes(fig: Figure) -> bytes:
    """A figure as a compact PNG (256 colours) for embedding.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    bytes
    """
    from ..figures import figure_bytes

    return figure_bytes(fig, "png", compact=True)
