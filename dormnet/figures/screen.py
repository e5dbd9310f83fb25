"""The screen figure: single perturbations as a perturbation x context heatmap coloured by switch
class, pairs as a perturbation x perturbation matrix of synergistic effects."""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..io.screen_rows import ScreenRow, read_rows
from .style import (
    SWITCH_COLOURS,
    DrawOptions,
    Model,
    bundle_of,
    empty_figure,
    image_format,
    new_figure,
    save_figure,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["compute", "plot_screen", "screen_figure"]


def _is_drug(label: str) -> bool:
    return not label.endswith(("-KO", "-OE"))


def screen_figure(
    rows: Sequence[ScreenRow],
    *,
    context: str | None = None,
    top: int = 40,
    exclude: Sequence[str] = (),
    title: str | None = None,
) -> Figure:
    """A screen as a heatmap.

    Single perturbations (and drugs): perturbation x context coloured by switch class; rows
    without an effect in any context are left out (the title says how many). Pairs (when the
    rows hold any): a perturbation x perturbation matrix of the synergistic pairs (those whose
    effect no constituent has alone), the colour the class seen in most contexts and the number
    the contexts that show it; with ``context`` the class in that context. ``top`` caps the
    perturbations on each axis (most synergistic pairs first). ``exclude`` drops rows in which
    any of these perturbations (labels such as ``EMT-OE`` or drug names) takes part.

    Parameters
    ----------
    rows : sequence of ScreenRow
    context : str, optional
    top : int
    exclude : sequence of str
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    drop = set(exclude)
    rows = [r for r in rows if not drop.intersection(r.perturbation.split(" + "))]
    if not rows:
        return empty_figure("no screen rows", "screen")
    if any(r.size == 2 for r in rows):
        return _pair_figure([r for r in rows if r.size == 2], context=context, top=top, title=title)
    return _single_figure([r for r in rows if r.size == 1], context=context, title=title)


def _single_figure(rows: Sequence[ScreenRow], *, context: str | None, title: str | None) -> Figure:
    import matplotlib.patches as mp
    import numpy as np
    from matplotlib.colors import ListedColormap

    if context is not None:
        rows = [r for r in rows if r.context == context]
    if not rows:
        return empty_figure("no single perturbations in these rows", "screen")
    contexts = list(dict.fromkeys(r.context for r in rows))
    perts = list(dict.fromkeys(r.perturbation for r in rows))
    perts = [p for p in perts if not _is_drug(p)] + [p for p in perts if _is_drug(p)]
    cell = {(r.perturbation, r.context): r.switch for r in rows}
    before = {r.context: r.before for r in rows}
    shown = [
        p for p in perts if any(cell.get((p, c), "no change") != "no change" for c in contexts)
    ]
    if not shown:
        return empty_figure(f"none of {len(perts)} perturbations changes a phenotype", "screen")
    classes = list(SWITCH_COLOURS)
    idx = {c: i for i, c in enumerate(classes)}
    data = np.array(
        [
            [idx.get(cell.get((p, c), "no change"), idx["no change"]) for c in contexts]
            for p in shown
        ]
    )
    height = len(shown) * 0.17 + 2.9
    width = len(contexts) * 0.42 + 3.4
    fig = new_figure(max(width, 7.5), height)
    left = 1.75 / fig.get_figwidth()
    bottom = 0.95 / height
    top = 1.95 / height
    ax = fig.add_axes(
        (
            left,
            bottom,
            min(len(contexts) * 0.42 / fig.get_figwidth(), 0.97 - left),
            1 - bottom - top,
        )
    )
    ax.imshow(
        data,
        cmap=ListedColormap([SWITCH_COLOURS[c] for c in classes]),
        vmin=-0.5,
        vmax=len(classes) - 0.5,
        aspect="auto",
        interpolation="nearest",
    )
    ax.set_yticks(range(len(shown)), shown, fontsize=6.5)
    ax.set_xticks(
        range(len(contexts)),
        [f"{c} ({before[c]})" for c in contexts],
        rotation=50,
        ha="left",
        fontsize=7,
        rotation_mode="anchor",
    )
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.set_xticks(np.arange(-0.5, len(contexts), 1), minor=True)
    ax.set_yticks(np.arange(-0.5, len(shown), 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    drugs = [i for i, p in enumerate(shown) if _is_drug(p)]
    if drugs and drugs[0] > 0:
        ax.axhline(drugs[0] - 0.5, color="black", linewidth=1.2)
    present = [c for c in classes if c in {cell.get((p, c2)) for p in shown for c2 in contexts}]
    fig.legend(
        handles=[
            mp.Patch(facecolor=SWITCH_COLOURS[c], edgecolor="#bbbbbb", label=c) for c in present
        ],
        loc="lower left",
        bbox_to_anchor=(0.01, 0.0),
        ncol=min(4, len(present)),
        frameon=False,
        fontsize=7.5,
    )
    fig.text(
        0.01,
        1 - 0.12 / height,
        title
        or f"single perturbations: {len(shown)} of {len(perts)} change a phenotype in some "
        f"context (drugs below the line)",
        ha="left",
        va="top",
        fontsize=10,
        weight="bold",
    )
    return fig


_PAIR_CLASSES = (
    "dormancy-inducing",
    "awakening",
    "eliminating",
    "dormancy-losing",
    "growth-arresting",
    "other shift",
    "no attractor",
)


def _pair_figure(
    rows: Sequence[ScreenRow], *, context: str | None, top: int, title: str | None
) -> Figure:
    import matplotlib.patches as mp
    import numpy as np
    from matplotlib.colors import to_rgba

    if context is not None:
        rows = [r for r in rows if r.context == context]
    hits = [r for r in rows if r.synergy and r.switch != "no change"]
    n_ctx = len({r.context for r in rows})
    if not hits:
        return empty_figure(f"no synergistic pair among {len(rows)} pair rows", "pair screen")
    by_pair: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for r in hits:
        a, _, b2 = r.perturbation.partition(" + ")
        by_pair[(a, b2)][r.switch] += 1
    degree: Counter = Counter()
    for (a, b2), cnt in by_pair.items():
        degree[a] += sum(cnt.values())
        degree[b2] += sum(cnt.values())
    parts = [p for p, _ in degree.most_common(top)]
    order = list(dict.fromkeys(p for r in rows for p in r.perturbation.split(" + ")))
    rank = {p: i for i, p in enumerate(order)}
    parts.sort(key=lambda p: rank.get(p, 0))
    ix = {p: i for i, p in enumerate(parts)}
    n = len(parts)
    img = np.ones((n, n, 4))
    texts = []
    for (a, b2), cnt in by_pair.items():
        if a not in ix or b2 not in ix:
            continue
        cls, k = max(cnt.items(), key=lambda kv: (kv[1], -_PAIR_CLASSES.index(kv[0])))
        i, j = sorted((ix[a], ix[b2]), reverse=True)  # lower triangle
        alpha = 1.0 if context else 0.35 + 0.65 * k / max(1, n_ctx)
        img[i, j] = to_rgba(SWITCH_COLOURS[cls], alpha)
        if context is None:
            texts.append((j, i, str(k), cls))
    side = max(n * 0.2 + 0.2, 4.5)
    fig = new_figure(side + 1.9, side + 2.0)
    fw, fh = fig.get_figwidth(), fig.get_figheight()
    ax = fig.add_axes((1.7 / fw, 1.45 / fh, side / fw, side / fh))
    ax.imshow(np.ones((n, n, 3)), interpolation="nearest")  # white background, then cells
    ax.imshow(img, interpolation="nearest")
    for j, i, t, cls in texts:
        ax.text(
            j,
            i,
            t,
            ha="center",
            va="center",
            fontsize=5,
            color="white"
            if cls in ("eliminating", "dormancy-inducing", "awakening")
            else "#222222",
        )
    ax.set_xticks(range(n), parts, rotation=90, fontsize=6.5)
    ax.set_yticks(range(n), parts, fontsize=6.5)
    ax.set_xticks(np.arange(-0.5, n, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, n, 1), minor=True)
    ax.grid(which="minor", color="#e6e6e6", linewidth=0.4)
    ax.tick_params(which="both", length=0)
    present = [c for c in _PAIR_CLASSES if any(c in cnt for cnt in by_pair.values())]
    ax.legend(
        handles=[mp.Patch(facecolor=SWITCH_COLOURS[c], label=c) for c in present],
        loc="upper right",
        frameon=False,
        fontsize=8,
        title="class in most contexts" if context is None else f"class in {context}",
        title_fontsize=8,
    )
    where = f"in {context}" if context else f"over {n_ctx} contexts (number: contexts)"
    fig.text(
        0.01,
        1 - 0.12 / fh,
        title
        or f"synergistic pairs {where}: {len(by_pair)} pairs; the {n} perturbations in "
        "most of them",
        ha="left",
        va="top",
        fontsize=10,
        weight="bold",
    )
    return fig


def plot_screen(
    rows: Sequence[ScreenRow] | str | os.PathLike[str],
    path: str | os.PathLike[str],
    *,
    compact: bool = False,
    **kwargs: Any,
) -> Path:
    """Write :func:`screen_figure` to ``path``.

    Parameters
    ----------
    rows : sequence of ScreenRow, or path
        Rows, or a file ``dormnet screen`` wrote.
    path : path
    compact : bool
        A 256-colour PNG (see :func:`~dormnet.figures.figure_bytes`).
    **kwargs
        Passed to :func:`screen_figure`.

    Returns
    -------
    Path
    """
    image_format(path)
    if isinstance(rows, (str, os.PathLike)):
        rows = read_rows(rows)
    return save_figure(screen_figure(rows, **kwargs), path, compact=compact)


def compute(model: Model | None, options: DrawOptions) -> Figure:
    """``dormnet figure screen``: the given rows, or a single screen computed here.

    Parameters
    ----------
    model : Bundle, BooleanNetwork, path or None
        ``None``: the bundled dormancy model; not read when ``options.screen_rows`` is given.
    options : DrawOptions
        ``screen_rows``, ``context``, ``top``, ``drugs``, ``processes`` and ``progress``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if options.screen_rows is not None:
        return screen_figure(options.screen_rows, context=options.context, top=options.top)
    from ..screen import interventions, screen

    b = bundle_of(model)
    items = interventions(b, drugs="all" if options.drugs and b.drugs else None)
    rows = screen(b, items, processes=options.processes, progress=options.progress)
    return screen_figure(rows, context=options.context, top=options.top)
