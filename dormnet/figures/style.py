"""What every figure shares: colours, creating a figure, encoding and writing it.

A figure module builds its :class:`~matplotlib.figure.Figure` with :func:`new_figure` (or
:func:`empty_figure` when there is nothing to draw), takes its model through :func:`bundle_of`,
and is written by :func:`save_figure`. :class:`DrawOptions` carries what ``dormnet figure``
passes to a figure's ``compute`` function (see :mod:`dormnet.figures`).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..bundle import Bundle, load_bundle
from ..errors import DormnetError
from ..network import BooleanNetwork

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..io.screen_rows import ScreenRow
    from ..render import Table

__all__ = [
    "IMAGE_FORMATS",
    "PHENOTYPE_COLOURS",
    "SIGN_COLOURS",
    "SWITCH_COLOURS",
    "DrawOptions",
    "Model",
    "bundle_of",
    "empty_figure",
    "figure_bytes",
    "image_format",
    "image_table",
    "model_name",
    "new_figure",
    "save_figure",
    "shorten",
]

IMAGE_FORMATS = ("png", "svg")

PHENOTYPE_COLOURS = {
    "dormant": "#3d6fb5",
    "proliferative": "#d1495b",
    "apoptotic": "#3a3a3a",
    "emt": "#9b5fc0",
    "undetermined": "#c8c8c8",
}
SWITCH_COLOURS = {
    "dormancy-inducing": "#3d6fb5",
    "awakening": "#d1495b",
    "eliminating": "#2b2b2b",
    "no change": "#f1f1f1",
    "dormancy-losing": "#f0a04b",
    "growth-arresting": "#8cbf6a",
    "other shift": "#c9a7de",
    "no attractor": "#ffffff",
}
SIGN_COLOURS = {"positive": "#2f8f3a", "negative": "#d0312d", "dual": "#7b4fa0"}
_DPI = 110

#: what a figure accepts as its model (a path is read with its companion files)
Model = Bundle | BooleanNetwork | str | os.PathLike


@dataclass(frozen=True)
class DrawOptions:
    """The options of ``dormnet figure`` that a figure's ``compute`` function may use.

    Attributes
    ----------
    screen_rows : sequence of ScreenRow, optional
        ``screen``: draw these rows instead of screening here.
    context : str, optional
        ``screen``: the pair matrix of this context only.
    top : int
        ``screen``: perturbations on each axis of the pair matrix.
    drugs : bool
        ``screen`` computed here: include the model's drugs.
    update : str
        The update scheme of attractors (``landscape``).
    processes : int, optional
        Worker processes of a computation.
    timeout : float, optional
        Seconds allowed to a computation.
    progress : callable, optional
        Called with the number of items done.
    """

    screen_rows: Sequence[ScreenRow] | None = None
    context: str | None = None
    top: int = 40
    drugs: bool = True
    update: str = "async"
    processes: int | None = None
    timeout: float | None = None
    progress: Callable[[int], None] | None = None


# -- shared helpers ---------------------------------------------------------------------------


def bundle_of(model: Model | None) -> Bundle:
    """The bundle a figure draws: a bundle as it is, a bare network as a bundle without
    companions, a path read with its companion files, ``None`` the bundled dormancy model.

    Parameters
    ----------
    model : Bundle, BooleanNetwork, path or None

    Returns
    -------
    Bundle

    Examples
    --------
    >>> from dormnet import BooleanNetwork
    >>> bundle_of(BooleanNetwork({"a": "!a"})).contexts
    {}
    """
    if model is None:
        return load_bundle()
    if isinstance(model, Bundle):
        return model
    if isinstance(model, BooleanNetwork):
        return Bundle(network=model)
    return load_bundle(model)


def new_figure(width: float, height: float) -> Figure:
    """A blank figure of the package's resolution, at least 2 x 1.5 inches (no pyplot).

    Parameters
    ----------
    width, height : float
        Inches.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    return Figure(figsize=(max(width, 2.0), max(height, 1.5)), dpi=_DPI)


def _format_of(path: str | os.PathLike[str], fmt: str | None) -> str:
    if fmt is None:
        fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in IMAGE_FORMATS:
        got = repr(fmt) if fmt else "no suffix"
        raise DormnetError(f"{path}: figures are written as .png or .svg, not {got}")
    return fmt


def figure_bytes(
    fig: Figure, fmt: str = "png", *, dpi: float | None = None, compact: bool = False
) -> bytes:
    """The figure encoded as PNG or SVG bytes (SVG keeps text as text: small and searchable).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    fmt : {"png", "svg"}
    dpi : float, optional
        Default: the figure's own.
    compact : bool
        Store a PNG with a 256-colour palette (Pillow, which matplotlib requires): these
        flat-colour figures look the same at a third of the size.

    Returns
    -------
    bytes
        The same figure always gives the same bytes (no date, fixed SVG hash salt).
    """
    import matplotlib

    if fmt not in IMAGE_FORMATS:
        raise DormnetError(f"unknown image format {fmt!r}; use png or svg")
    buf = io.BytesIO()
    # fixed hash salt and no date: the same figure gives the same bytes (reviewable diffs)
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "dormnet"}):
        fig.savefig(
            buf,
            format=fmt,
            dpi=dpi or fig.dpi,
            facecolor="white",
            metadata={"Date": None} if fmt == "svg" else {"Software": None},
        )
    if compact and fmt == "png":
        from PIL import Image

        with Image.open(io.BytesIO(buf.getvalue())) as im:
            small = im.convert("RGB").quantize(
                colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
            )
            out = io.BytesIO()
            small.save(out, format="PNG", optimize=True, dpi=(fig.dpi, fig.dpi))
        return out.getvalue()
    return buf.getvalue()


def save_figure(
    fig: Figure,
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    dpi: float | None = None,
    compact: bool = False,
) -> Path:
    """Write a figure atomically; the format comes from the suffix unless ``fmt`` is given.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : path
        ``.png`` or ``.svg``.
    fmt : {"png", "svg"}, optional
    dpi : float, optional
    compact : bool
        See :func:`figure_bytes`.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    DormnetError
        Another suffix, or the file cannot be written (nothing is left half-written).
    """
    from ..io._atomic import atomic_write_bytes

    fmt = _format_of(path, fmt)
    data = figure_bytes(fig, fmt, dpi=dpi, compact=compact)
    try:
        atomic_write_bytes(path, data)
    except OSError as e:
        raise DormnetError(f"cannot write {path}: {e.strerror or e}") from None
    return Path(path)


def empty_figure(message: str, title: str | None = None) -> Figure:
    """A small figure that says why there is nothing to draw.

    Parameters
    ----------
    message : str
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = new_figure(6, 2)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    if title:
        ax.text(0.5, 0.72, title, ha="center", va="center", fontsize=11, weight="bold")
    ax.text(0.5, 0.4, message, ha="center", va="center", fontsize=9, color="#555555", wrap=True)
    return fig


def shorten(text: str, n: int) -> str:
    """``text`` on one line, cut to ``n`` characters with an ellipsis.

    Parameters
    ----------
    text : str
    n : int

    Returns
    -------
    str

    Examples
    --------
    >>> shorten("a  long   claim", 7)
    'a long…'
    """
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def model_name(b: Bundle) -> str:
    """The model's file name for a title (``model`` for one built in memory).

    Parameters
    ----------
    b : Bundle

    Returns
    -------
    str
    """
    return b.path.name if b.path is not None else "model"


def image_format(path: str | os.PathLike[str]) -> str:
    """``"png"`` or ``"svg"`` from a file name.

    Parameters
    ----------
    path : path

    Returns
    -------
    str

    Raises
    ------
    DormnetError
        Any other suffix.

    Examples
    --------
    >>> image_format("landscape.svg")
    'svg'
    """
    return _format_of(path, None)


def image_table(path: Path, kind: str, fig: Figure) -> Table:
    """What ``dormnet figure`` prints after writing an image: file, kind, size in pixels and
    bytes.

    Parameters
    ----------
    path : Path
        The written image.
    kind : str
        The figure kind.
    fig : matplotlib.figure.Figure

    Returns
    -------
    dormnet.render.Table
    """
    from ..render import Table

    w, h = (fig.get_size_inches() * fig.dpi).round().astype(int)
    cols = ["file", "kind", "format", "width", "height", "bytes"]
    row = [str(path), kind, path.suffix.lstrip(".").lower(), int(w), int(h), path.stat().st_size]
    return Table(f"{kind} figure", cols, [row], dict(zip(cols, row)))
