"""The validation figure: the literature expectations, pass or fail, with their references."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DormnetError
from .style import (
    DrawOptions,
    Model,
    bundle_of,
    empty_figure,
    image_format,
    new_figure,
    save_figure,
    shorten,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..expectations import Outcome

__all__ = ["compute", "plot_validation", "validation_figure"]


def validation_figure(outcomes: Sequence[Outcome], *, title: str | None = None) -> Figure:
    """The expectations as a table: pass/fail, id, confidence, claim, observed, references.

    Parameters
    ----------
    outcomes : sequence of Outcome
        From :func:`dormnet.expectations.check_expectations`.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.patches as mp

    from ..expectations import summary

    outcomes = list(outcomes)
    if not outcomes:
        return empty_figure(
            "this model has no expectations (expectations.toml) to check", "validation"
        )
    s = summary(outcomes)
    row_h = 0.2
    height = len(outcomes) * row_h + 1.3
    width = 17.0
    fig = new_figure(width, height)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(-height, 0)
    ax.set_axis_off()
    by = s["by_confidence"]
    head = title or (
        f"literature validation: {s['passed']}/{s['total']} expectations pass "
        f"({100 * s['fraction']:.0f}%); "
        + ", ".join(
            f"confidence {k} {v['passed']}/{v['total']}" for k, v in by.items() if v["total"]
        )
    )  # type: ignore[union-attr]
    ax.text(0.2, -0.3, head, ha="left", va="center", fontsize=11, weight="bold")
    xs = {"result": 0.2, "id": 0.95, "conf": 1.6, "claim": 2.1, "observed": 9.3, "refs": 12.7}
    y = -0.75
    for k, x in xs.items():
        ax.text(x, y, k if k != "refs" else "references", fontsize=7.5, weight="bold", va="center")
    ax.plot([0.1, width - 0.1], [y - 0.12, y - 0.12], color="#444444", linewidth=0.8)
    for i, o in enumerate(outcomes):
        yy = y - (i + 1) * row_h - 0.05
        if i % 2:
            ax.add_patch(
                mp.Rectangle(
                    (0.1, yy - row_h / 2), width - 0.2, row_h, facecolor="#f4f4f4", edgecolor="none"
                )
            )
        ok = o.passed
        ax.add_patch(
            mp.FancyBboxPatch(
                (xs["result"], yy - 0.07),
                0.55,
                0.14,
                boxstyle="round,pad=0,rounding_size=0.04",
                facecolor="#3f9a48" if ok else "#c8382e",
                edgecolor="none",
            )
        )
        ax.text(
            xs["result"] + 0.275,
            yy,
            "pass" if ok else "FAIL",
            color="white",
            fontsize=6.5,
            ha="center",
            va="center",
            weight="bold",
        )
        e = o.expectation
        ax.text(xs["id"], yy, e.id, fontsize=7, va="center", family="monospace")
        ax.text(xs["conf"], yy, e.confidence, fontsize=7, va="center")
        ax.text(xs["claim"], yy, shorten(e.claim, 118), fontsize=6.8, va="center")
        obs = o.observed if not o.error else f"error: {o.error}"
        ax.text(xs["observed"], yy, shorten(obs, 56), fontsize=6.5, va="center", color="#444444")
        ax.text(
            xs["refs"],
            yy,
            shorten("; ".join(e.references), 70),
            fontsize=6.3,
            va="center",
            color="#1f4e9c",
        )
    return fig


def plot_validation(
    outcomes: Sequence[Outcome],
    path: str | os.PathLike[str],
    *,
    compact: bool = False,
    **kwargs: Any,
) -> Path:
    """Write :func:`validation_figure` to ``path`` (.png or .svg).

    Parameters
    ----------
    outcomes : sequence of Outcome
    path : path
    compact : bool
        A 256-colour PNG (see :func:`~dormnet.figures.figure_bytes`).
    **kwargs
        Passed to :func:`validation_figure`.

    Returns
    -------
    Path
    """
    image_format(path)
    return save_figure(validation_figure(outcomes, **kwargs), path, compact=compact)


def compute(model: Model | None, options: DrawOptions) -> Figure:
    """``dormnet figure validation``: check the model's expectations, then the figure.

    Parameters
    ----------
    model : Bundle, BooleanNetwork, path or None
        ``None``: the bundled dormancy model.
    options : DrawOptions
        ``timeout`` and ``progress`` are used.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DormnetError
        The model has no expectations file.
    """
    from ..expectations import check_expectations

    b = bundle_of(model)
    if not b.expectations:
        raise DormnetError(f"{b.path}: no expectations file beside the model")
    progress = options.progress
    tick = (lambda: progress(1)) if progress is not None else None
    return validation_figure(check_expectations(b, timeout=options.timeout, progress=tick))
