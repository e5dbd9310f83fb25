"""The landscape figure: attractor states per context, with the phenotype of each attractor."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..bundle import Bundle
from .network import module_groups
from .style import (
    PHENOTYPE_COLOURS,
    DrawOptions,
    Model,
    bundle_of,
    empty_figure,
    image_format,
    model_name,
    new_figure,
    save_figure,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..analysis import LandscapeRow

__all__ = ["compute", "landscape_figure", "landscape_rows", "plot_landscape"]


def landscape_rows(
    bundle: Bundle,
    *,
    update: str = "async",
    timeout: float | None = None,
    progress=None,
    max_inputs: int = 5,
) -> list[LandscapeRow]:
    """The rows a landscape figure shows: the named contexts, or for a model without contexts
    every combination of up to ``max_inputs`` inputs, or else the model with its inputs free.

    Parameters
    ----------
    bundle : Bundle
    update : str
        The update scheme.
    timeout : float, optional
        Seconds allowed to each analysis.
    progress : callable, optional
        Called once per context done.
    max_inputs : int
        Sweep the inputs of a model without contexts only up to this many.

    Returns
    -------
    list of LandscapeRow
    """
    from ..analysis import LandscapeRow, Scenario, analyse, landscape

    if bundle.contexts:
        return landscape(bundle, update=update, timeout=timeout, progress=progress)
    inputs = list(bundle.network.inputs)
    if 0 < len(inputs) <= max_inputs:
        return landscape(bundle, inputs=inputs, update=update, timeout=timeout, progress=progress)
    return [
        LandscapeRow("inputs free", {}, analyse(bundle, Scenario(), update=update, timeout=timeout))
    ]


def landscape_figure(
    bundle: Model,
    rows: Sequence[LandscapeRow] | None = None,
    *,
    update: str = "async",
    timeout: float | None = None,
    max_rows: int = 80,
) -> Figure:
    """Heatmap of attractor states: one row per attractor of each context, columns the nodes
    grouped by module (0 pale, 1 dark, oscillating amber), and the phenotype on the right.

    Parameters
    ----------
    bundle : Bundle, BooleanNetwork or path
    rows : sequence of LandscapeRow, optional
        Computed here (:func:`landscape_rows`) when not given.
    update : str
        The update scheme.
    timeout : float, optional
        Seconds allowed to each context's analysis.
    max_rows : int
        At most this many rows (the title says when they were cut).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.patches as mp
    import numpy as np
    from matplotlib.colors import ListedColormap

    b = bundle_of(bundle)
    if rows is None:
        rows = landscape_rows(b, update=update, timeout=timeout)
    groups = module_groups(b)
    cols = [n for ns in groups.values() for n in ns]
    labels: list[str] = []
    phen: list[list[str]] = []
    data: list[list[int]] = []
    for row in rows:
        label, cas = row.label, row.attractors
        for i, ca in enumerate(cas, 1):
            r = ca.attractor.render(cols)
            data.append([2 if r[n] == "*" else int(r[n]) for n in cols])
            kind = "" if ca.attractor.kind == "fixed point" else f" ({ca.attractor.kind})"
            labels.append((f"{label} #{i}" if len(cas) > 1 else label) + kind)
            phen.append(list(ca.phenotypes))
        if not cas:
            data.append([3] * len(cols))
            labels.append(f"{label} (no attractor)")
            phen.append([])
    if not data:
        return empty_figure("no attractors to show", "landscape")
    cut = len(data) > max_rows
    data, labels, phen = data[:max_rows], labels[:max_rows], phen[:max_rows]

    cell = 0.165
    width = len(cols) * cell + 3.6
    height = len(data) * 0.26 + 2.6
    fig = new_figure(max(width, 8.0), height)
    left = 2.1 / fig.get_figwidth()
    right_w = 1.3 / fig.get_figwidth()
    bottom = (1.05 if width > 12 else 1.3) / height
    top = 1.25 / height
    ax = fig.add_axes((left, bottom, 1 - left - right_w - 0.01, 1 - bottom - top))
    cmap = ListedColormap(["#f3f3f3", "#233f7a", "#f2b134", "#ffffff"])
    ax.imshow(
        np.array(data), cmap=cmap, vmin=-0.5, vmax=3.5, aspect="auto", interpolation="nearest"
    )
    ax.set_yticks(range(len(labels)), labels, fontsize=7.5)
    ax.set_xticks(range(len(cols)), cols, rotation=90, fontsize=6)
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    ax.set_xticks(np.arange(-0.5, len(cols), 1), minor=True)
    ax.set_yticks(np.arange(-0.5, len(data), 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    i = 0
    for k, (m, ns) in enumerate(groups.items()):
        if k:
            ax.axvline(i - 0.5, color="black", linewidth=1.2)
        ax.text(
            i + len(ns) / 2 - 0.5,
            -0.8,
            m,
            ha="left" if len(ns) < 6 else "center",
            va="bottom",
            fontsize=7,
            weight="bold",
            rotation=30 if len(ns) < 6 else 0,
            rotation_mode="anchor",
        )
        i += len(ns)
    inputs = set(b.network.inputs)
    for j, n in enumerate(cols):
        if n in inputs:
            ax.get_xticklabels()[j].set_color("#777777")
    prev = None
    for r, lab in enumerate(labels):  # separate contexts with several attractors
        ctx = lab.split(" #")[0]
        if prev is not None and ctx != prev:
            ax.axhline(r - 0.5, color="#999999", linewidth=0.6)
        prev = ctx
    side = fig.add_axes((1 - right_w - 0.005, bottom, right_w, 1 - bottom - top), sharey=ax)
    side.set_axis_off()
    side.set_xlim(0, 1)
    for r, words in enumerate(phen):
        words = words or ["no attractor"]
        w = 0.96 / len(words)
        for k, word in enumerate(words):
            side.add_patch(
                mp.Rectangle(
                    (0.02 + k * w, r - 0.42),
                    w,
                    0.84,
                    facecolor=PHENOTYPE_COLOURS.get(word, "#eeeeee"),
                    edgecolor="white",
                    linewidth=0.5,
                )
            )
        for k, word in enumerate(words):
            dark = word in ("dormant", "proliferative", "apoptotic", "emt")
            side.text(
                0.02 + (k + 0.5) * w,
                r,
                word,
                ha="center",
                va="center",
                fontsize=7 if len(words) == 1 else 6,
                weight="bold",
                color="white" if dark else "#333333",
            )
    side.text(0.5, -0.8, "phenotype", ha="center", va="bottom", fontsize=8, weight="bold")
    nat = len({lab.split(" #")[0] for lab in labels})
    fig.text(
        left,
        1 - 0.18 / height,
        f"{model_name(b)}: {update} attractors in {nat} "
        f"{'contexts' if b.contexts else 'input settings'}"
        + (f" (first {max_rows} rows)" if cut else ""),
        ha="left",
        va="top",
        fontsize=11,
        weight="bold",
    )
    seen = {w for ws in phen for w in ws}
    handles = [
        mp.Patch(facecolor="#f3f3f3", edgecolor="#bbbbbb", label="0 (off)"),
        mp.Patch(facecolor="#233f7a", label="1 (on)"),
        mp.Patch(facecolor="#f2b134", label="oscillating"),
        *[mp.Patch(facecolor=c, label=w) for w, c in PHENOTYPE_COLOURS.items() if w in seen],
    ]
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.01, 0.02),
        ncol=len(handles) if fig.get_figwidth() > 12 else 4,
        frameon=False,
        fontsize=7.5,
    )
    return fig


def plot_landscape(
    bundle: Model,
    path: str | os.PathLike[str],
    update: str = "async",
    *,
    compact: bool = False,
    **kwargs: Any,
) -> Path:
    """Write :func:`landscape_figure` to ``path`` (.png or .svg).

    Parameters
    ----------
    bundle : Bundle, BooleanNetwork or path
    path : path
    update : str
        The update scheme.
    compact : bool
        A 256-colour PNG (see :func:`~dormnet.figures.figure_bytes`).
    **kwargs
        Passed to :func:`landscape_figure`.

    Returns
    -------
    Path
    """
    image_format(path)
    return save_figure(landscape_figure(bundle, update=update, **kwargs), path, compact=compact)


def compute(model: Model | None, options: DrawOptions) -> Figure:
    """``dormnet figure landscape``: the attractors of every context, then the figure.

    Parameters
    ----------
    model : Bundle, BooleanNetwork, path or None
        ``None``: the bundled dormancy model.
    options : DrawOptions
        ``update`` and ``timeout`` are used.

    Returns
    -------
    matplotlib.figure.Figure
    """
    return landscape_figure(bundle_of(model), update=options.update, timeout=options.timeout)
