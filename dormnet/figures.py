"""Figures of a model and of its analyses, as PNG or SVG (matplotlib, no display needed).

Four figures, each a pure function returning a :class:`matplotlib.figure.Figure` and a
``plot_*`` wrapper that writes it (atomically; the format comes from the suffix, ``.png`` or
``.svg``):

- :func:`network_figure`: the signed interaction graph, nodes grouped and coloured by module
  (from the node table; one group without it), inputs drawn as arrow boxes, outputs and phenotype
  markers with a heavy border, activation as an arrow and inhibition as a bar (tee). The layout is
  computed here, from networkx (no graphviz): modules are ordered by their mean distance from the
  inputs and packed into columns, left to right, and each module lays out its nodes in the same
  order, so signals flow from the niche inputs on the left to the phenotype outputs on the right.
- :func:`landscape_figure`: attractor states per context (rows) over the nodes grouped by module
  (columns), annotated with the phenotype of each attractor.
- :func:`screen_figure`: a single screen as a perturbation x context heatmap coloured by switch
  class; a double screen as a perturbation x perturbation matrix of synergistic effects
  (aggregated over contexts, or for one context).
- :func:`validation_figure`: the literature expectations, pass or fail, with their references.

Figures are built on :class:`~matplotlib.figure.Figure` directly, never through pyplot, so no
GUI backend is touched and nothing global changes (safe in servers, tests and threads).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from .bundle import Bundle, load_bundle
from .choices import FIGURE_KINDS
from .errors import DormnetError
from .io.screen_rows import ScreenRow, read_rows
from .network import BooleanNetwork

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .analysis import LandscapeRow
    from .expectations import Outcome
    from .render import Table

__all__ = [
    "FIGURE_KINDS",
    "IMAGE_FORMATS",
    "PHENOTYPE_COLOURS",
    "SWITCH_COLOURS",
    "draw",
    "figure_bytes",
    "image_format",
    "image_table",
    "landscape_figure",
    "landscape_rows",
    "module_groups",
    "network_figure",
    "network_layout",
    "plot_landscape",
    "plot_network",
    "plot_screen",
    "plot_validation",
    "save_figure",
    "screen_figure",
    "validation_figure",
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
# light module fills, tab20-like but paler so black labels stay readable
_MODULE_PALETTE = [
    "#a6cee3",
    "#b2df8a",
    "#fb9a99",
    "#fdbf6f",
    "#cab2d6",
    "#ffff99",
    "#8dd3c7",
    "#bebada",
    "#fb8072",
    "#80b1d3",
    "#fdb462",
    "#b3de69",
    "#fccde5",
    "#d9d9d9",
    "#bc80bd",
    "#ccebc5",
    "#ffed6f",
    "#c7e9c0",
]
_DPI = 110
_ONE_GROUP = "network"

Model = Union[Bundle, BooleanNetwork, str, os.PathLike]


# -- shared helpers ---------------------------------------------------------------------------


def _bundle_of(model: Model) -> Bundle:
    if isinstance(model, Bundle):
        return model
    if isinstance(model, BooleanNetwork):
        return Bundle(network=model)
    return load_bundle(model)


def _new_figure(width: float, height: float) -> Figure:
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

    ``compact`` stores a PNG with a 256-colour palette (Pillow, which matplotlib requires):
    these flat-colour figures look the same at a third of the size.
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
    """Write a figure atomically; the format comes from the suffix unless ``fmt`` is given."""
    from .io._atomic import atomic_write_bytes

    fmt = _format_of(path, fmt)
    data = figure_bytes(fig, fmt, dpi=dpi, compact=compact)
    try:
        atomic_write_bytes(path, data)
    except OSError as e:
        raise DormnetError(f"cannot write {path}: {e.strerror or e}") from None
    return Path(path)


def _empty(message: str, title: str | None = None) -> Figure:
    fig = _new_figure(6, 2)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    if title:
        ax.text(0.5, 0.72, title, ha="center", va="center", fontsize=11, weight="bold")
    ax.text(0.5, 0.4, message, ha="center", va="center", fontsize=9, color="#555555", wrap=True)
    return fig


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _model_name(b: Bundle) -> str:
    return b.path.name if b.path is not None else "model"


# -- grouping and layout ----------------------------------------------------------------------


def _depths(net: BooleanNetwork) -> dict[str, int]:
    """Shortest distance of every node from the sources (inputs, constants, source components)."""
    import networkx as nx

    g = net.interaction_graph()
    g.remove_edges_from(list(nx.selfloop_edges(g)))
    cond = nx.condensation(g)
    sources = [n for c in cond if cond.in_degree(c) == 0 for n in cond.nodes[c]["members"]]
    depth = nx.multi_source_dijkstra_path_length(g, sources) if sources else {}
    top = max(depth.values(), default=0) + 1
    return {n: int(depth.get(n, top)) for n in net.nodes}


def module_groups(model: Model) -> dict[str, list[str]]:
    """Module -> nodes, modules ordered by mean distance from the inputs, nodes by distance.

    A model without a node table is one group; nodes missing from the table go to ``other``.

    Examples
    --------
    >>> from dormnet import BooleanNetwork
    >>> net = BooleanNetwork({"a": "a", "b": "a", "c": "!b"})
    >>> module_groups(net)
    {'network': ['a', 'b', 'c']}
    """
    b = _bundle_of(model)
    net = b.network
    depth = _depths(net)
    groups: dict[str, list[str]] = defaultdict(list)
    for n in net.nodes:
        info = b.nodes.get(n)
        groups[(info.module or "other") if info else ("other" if b.nodes else _ONE_GROUP)].append(n)
    order = {n: i for i, n in enumerate(net.nodes)}
    rank = lambda n: (n not in net.inputs, depth[n], order[n])
    mean = {m: sum(depth[n] for n in ns) / len(ns) for m, ns in groups.items()}
    kinds = {
        m: all(b.nodes.get(n) and b.nodes[n].kind == "output" for n in ns)
        for m, ns in groups.items()
    }
    return {
        m: sorted(groups[m], key=rank) for m in sorted(groups, key=lambda m: (kinds[m], mean[m], m))
    }


def _outputs(b: Bundle) -> set[str]:
    if b.nodes:
        return {n for n, i in b.nodes.items() if i.kind == "output"}
    g = b.network.interaction_graph()
    return {n for n in b.network.nodes if not any(t != n for t in g.successors(n))}


def _phenotype_markers(b: Bundle) -> dict[str, list[str]]:
    """Node -> phenotype words whose rule reads it un-negated."""
    import boolean

    out: dict[str, list[str]] = defaultdict(list)
    for word, p in b.phenotypes.items():
        for lit in p.expr.get_literals():
            if isinstance(lit, boolean.Symbol):
                name = str(lit.obj)
                if word not in out[name]:
                    out[name].append(word)
    return dict(out)


_CELL_W, _CELL_H = 1.75, 0.72  # one node cell, in layout units (1 unit = _SCALE inches)
_SCALE = 0.78
_PAD, _TITLE_H = 0.25, 0.45


def _partition(items: list[str], weights: list[float], k: int) -> list[list[str]]:
    """Split ``items`` in order into at most ``k`` runs with the smallest largest sum (DP)."""
    n = len(items)
    k = min(k, n)
    pre = [0.0]
    for w in weights:
        pre.append(pre[-1] + w)
    inf = float("inf")
    cost = [[inf] * (n + 1) for _ in range(k + 1)]
    cut = [[0] * (n + 1) for _ in range(k + 1)]
    cost[0][0] = 0.0
    for j in range(1, k + 1):
        for i in range(1, n + 1):
            for t in range(j - 1, i):
                c = max(cost[j - 1][t], pre[i] - pre[t])
                if c < cost[j][i]:
                    cost[j][i], cut[j][i] = c, t
    out: list[list[str]] = []
    i = n
    for j in range(k, 0, -1):
        t = cut[j][i]
        out.append(items[t:i])
        i = t
    return [run for run in reversed(out) if run]


def network_layout(
    model: Model,
) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float, float, float]]]:
    """Node positions and module boxes ``(x, y, width, height)`` of the module-grouped layout.

    Modules (ordered by :func:`module_groups`) are packed into columns, left to right; within a
    module the nodes fill a small grid column by column in order of distance from the inputs.
    """
    groups = module_groups(model)
    sizes: dict[str, tuple[int, int]] = {}
    for m, ns in groups.items():
        rows = max(1, min(len(ns), math.ceil(math.sqrt(len(ns) * _CELL_W / _CELL_H * 0.45))))
        sizes[m] = (math.ceil(len(ns) / rows), rows)

    def box(m: str) -> tuple[float, float]:
        c, r = sizes[m]
        return c * _CELL_W + 2 * _PAD, r * _CELL_H + 2 * _PAD + _TITLE_H

    names = list(groups)
    heights = [box(m)[1] + 0.3 for m in names]
    best = None
    for k in range(1, len(names) + 1):
        cols = _partition(names, heights, k)
        width = sum(max(box(m)[0] for m in col) for col in cols) + 0.4 * (len(cols) - 1)
        tall = max(sum(box(m)[1] + 0.3 for m in col) for col in cols)
        score = abs(math.log((width / tall) / 1.55))
        if best is None or score < best[0]:
            best = (score, cols)
    assert best is not None  # names is never empty: a network has nodes
    columns = best[1]
    pos: dict[str, tuple[float, float]] = {}
    boxes: dict[str, tuple[float, float, float, float]] = {}
    x = 0.0
    for col in columns:
        col_w = max(box(m)[0] for m in col)
        y = 0.0
        for m in col:
            w, h = box(m)
            c, r = sizes[m]
            boxes[m] = (x, -(y + h), col_w, h)
            for i, n in enumerate(groups[m]):
                ci, ri = divmod(i, r)
                # centre the grid in a wider column box
                off = (col_w - w) / 2
                pos[n] = (
                    x + off + _PAD + (ci + 0.5) * _CELL_W,
                    -(y + _TITLE_H + _PAD + (ri + 0.5) * _CELL_H),
                )
            y += h + 0.3
        x += col_w + 0.4
    return pos, boxes


def _box_exit(
    c: tuple[float, float], to: tuple[float, float], half: tuple[float, float], gap: float
) -> tuple[float, float]:
    """Where the segment from box centre ``c`` towards ``to`` leaves the box, plus a gap."""
    dx, dy = to[0] - c[0], to[1] - c[1]
    norm = math.hypot(dx, dy) or 1.0
    t = min(half[0] / abs(dx) if dx else math.inf, half[1] / abs(dy) if dy else math.inf)
    t = min(t, 1.0) if math.isfinite(t) else 0.0
    return (c[0] + dx * t + gap * dx / norm, c[1] + dy * t + gap * dy / norm)


def network_figure(model: Model, *, title: str | None = None) -> Figure:
    """The signed interaction graph grouped by module (see the module docstring).

    Parameters
    ----------
    model : Bundle, BooleanNetwork or path
        A bundle gives modules, node kinds and phenotype markers; a bare network is drawn as
        one group, its inputs and sinks marked.
    title : str, optional
        Defaults to the model file name with node and edge counts.
    """
    import matplotlib.patches as mp
    from matplotlib.lines import Line2D

    b = _bundle_of(model)
    net = b.network
    g = net.interaction_graph()
    pos, boxes = network_layout(b)
    groups = module_groups(b)
    colour = {m: _MODULE_PALETTE[i % len(_MODULE_PALETTE)] for i, m in enumerate(groups)}
    module_of = {n: m for m, ns in groups.items() for n in ns}
    outputs = _outputs(b)
    markers = _phenotype_markers(b)
    inputs = set(net.inputs)

    x0 = min(x for x, _, _, _ in boxes.values())
    x1 = max(x + w for x, _, w, _ in boxes.values())
    y0 = min(y for _, y, _, _ in boxes.values())
    y1 = max(y + h for _, y, _, h in boxes.values())
    # small models: keep room for the title and the legend, the layout centred
    spare = max(0.0, 14.0 - (x1 - x0 + 0.4)) / 2
    legend_rows = 1 if x1 - x0 + 2 * spare > 24 else 2
    legend_h, head_h = 0.55 + 0.45 * legend_rows, 0.7
    width, height = x1 - x0 + 0.4 + 2 * spare, y1 - y0 + legend_h + head_h + 0.2
    fig = _new_figure(width * _SCALE, height * _SCALE)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(x0 - 0.2 - spare, x1 + 0.2 + spare)
    ax.set_ylim(y0 - legend_h, y1 + head_h)
    ax.set_axis_off()

    for m, (x, y, w, h) in boxes.items():
        ax.add_patch(
            mp.FancyBboxPatch(
                (x, y),
                w,
                h,
                boxstyle="round,pad=0,rounding_size=0.18",
                facecolor=colour[m],
                alpha=0.28,
                edgecolor="none",
                zorder=0,
            )
        )
        ax.text(
            x + 0.15,
            y + h - 0.12,
            m,
            ha="left",
            va="top",
            fontsize=8.5,
            weight="bold",
            color="#333333",
            zorder=1,
        )

    fontsize = 7.0
    half: dict[str, tuple[float, float]] = {}  # half width and height of each node box
    char_w = fontsize / 72 * 0.62 / _SCALE  # layout units per character
    self_loops = {u for u, v in g.edges() if u == v and u not in inputs}
    for n, (x, y) in pos.items():
        label = n + (" ↺" if n in self_loops else "")
        w = min(_CELL_W - 0.12, max(len(label) * char_w + 0.22, 0.5))
        h = 0.36
        if n in inputs:
            style, edge, lw = "rarrow,pad=0.0", "#555555", 0.8
        elif n in outputs:
            style, edge, lw = "round,pad=0,rounding_size=0.08", "#111111", 2.0
        else:
            style, edge, lw = "round,pad=0,rounding_size=0.08", "#555555", 0.8
        if n in inputs:  # the arrow head of "rarrow" is drawn beyond the body
            w = min(w, _CELL_W - 0.42)
        p = mp.FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle=style,
            facecolor=colour[module_of[n]],
            edgecolor=edge,
            linewidth=lw,
            zorder=3,
            mutation_aspect=1,
        )
        ax.add_patch(p)
        half[n] = (w / 2 + (0.12 if n in inputs else 0.0), h / 2)
        ax.text(
            x - (0.06 if n in inputs else 0),
            y,
            label,
            ha="center",
            va="center",
            fontsize=fontsize,
            zorder=4,
            weight="bold" if n in outputs else "normal",
        )
        if n in markers:
            ax.text(
                x,
                y - h / 2 - 0.03,
                "→ " + ", ".join(markers[n]),
                ha="center",
                va="top",
                fontsize=5.8,
                style="italic",
                color="#333333",
                zorder=4,
            )

    for u, v, sign in g.edges(data="sign"):
        if u == v:
            continue
        same = module_of[u] == module_of[v]
        if sign == "negative":
            style = mp.ArrowStyle("-[", widthB=4.2, lengthB=0.0)
        else:
            style = mp.ArrowStyle("-|>", head_length=3.2, head_width=1.8)
        rad = 0.18 if g.has_edge(v, u) else (0.08 if same else 0.04)
        # end points on the node boxes, computed here: matplotlib's patch clipping is exact
        # but costs seconds for a hundred arrows
        a, z = _box_exit(pos[u], pos[v], half[u], 0.03), _box_exit(pos[v], pos[u], half[v], 0.05)
        ax.add_patch(
            mp.FancyArrowPatch(
                a,
                z,
                arrowstyle=style,
                connectionstyle=f"arc3,rad={rad}",
                shrinkA=0,
                shrinkB=0,
                color=SIGN_COLOURS.get(sign, "#777777"),
                linewidth=0.85 if same else 0.7,
                alpha=0.85 if same else 0.55,
                linestyle="--" if sign == "dual" else "-",
                mutation_scale=1.6,
                zorder=2,
            )
        )

    n_sign = Counter(s for u, v, s in g.edges(data="sign") if u != v)
    head = title or (
        f"{_model_name(b)}: {len(net)} nodes ({len(inputs)} inputs), "
        f"{sum(n_sign.values())} edges ({n_sign['positive']} activating, "
        f"{n_sign['negative']} inhibiting, {n_sign['dual']} dual)"
    )
    ax.text(x0 - spare, y1 + head_h / 2, head, ha="left", va="center", fontsize=11, weight="bold")
    handles = [
        Line2D(
            [],
            [],
            color=SIGN_COLOURS["positive"],
            marker=">",
            markersize=5,
            lw=1.2,
            label="activation",
        ),
        Line2D(
            [],
            [],
            color=SIGN_COLOURS["negative"],
            marker="|",
            markersize=8,
            lw=1.2,
            markeredgewidth=1.6,
            label="inhibition",
        ),
        Line2D([], [], color=SIGN_COLOURS["dual"], ls="--", lw=1.2, label="dual"),
        mp.FancyBboxPatch(
            (0, 0),
            1,
            1,
            boxstyle="rarrow",
            facecolor="#eeeeee",
            edgecolor="#555555",
            label="input (niche / clamp)",
        ),
        mp.Patch(
            facecolor="#eeeeee",
            edgecolor="#111111",
            linewidth=2,
            label="output" + (" (→ phenotype it marks)" if markers else ""),
        ),
    ]
    if self_loops:
        handles.append(Line2D([], [], color="none", label="↺ self-regulation"))
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(x0 - spare, y0 - legend_h + 0.05),
        bbox_transform=ax.transData,
        ncol=math.ceil(len(handles) / legend_rows),
        frameon=False,
        fontsize=8,
        handlelength=2.2,
    )
    return fig


# -- landscape --------------------------------------------------------------------------------


def landscape_rows(
    bundle: Bundle,
    *,
    update: str = "async",
    timeout: float | None = None,
    progress=None,
    max_inputs: int = 5,
) -> list[LandscapeRow]:
    """The rows a landscape figure shows: the named contexts, or for a model without contexts
    every combination of up to ``max_inputs`` inputs, or else the model with its inputs free."""
    from .analysis import LandscapeRow, Scenario, analyse, landscape

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
    grouped by module (0 pale, 1 dark, oscillating amber), and the phenotype on the right."""
    import matplotlib.patches as mp
    import numpy as np
    from matplotlib.colors import ListedColormap

    b = _bundle_of(bundle)
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
        return _empty("no attractors to show", "landscape")
    cut = len(data) > max_rows
    data, labels, phen = data[:max_rows], labels[:max_rows], phen[:max_rows]

    cell = 0.165
    width = len(cols) * cell + 3.6
    height = len(data) * 0.26 + 2.6
    fig = _new_figure(max(width, 8.0), height)
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
        f"{_model_name(b)}: {update} attractors in {nat} "
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


# -- screens ----------------------------------------------------------------------------------


def _is_drug(label: str) -> bool:
    return not (label.endswith("-KO") or label.endswith("-OE"))


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
    """
    drop = set(exclude)
    rows = [r for r in rows if not drop.intersection(r.perturbation.split(" + "))]
    if not rows:
        return _empty("no screen rows", "screen")
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
        return _empty("no single perturbations in these rows", "screen")
    contexts = list(dict.fromkeys(r.context for r in rows))
    perts = list(dict.fromkeys(r.perturbation for r in rows))
    perts = [p for p in perts if not _is_drug(p)] + [p for p in perts if _is_drug(p)]
    cell = {(r.perturbation, r.context): r.switch for r in rows}
    before = {r.context: r.before for r in rows}
    shown = [
        p for p in perts if any(cell.get((p, c), "no change") != "no change" for c in contexts)
    ]
    if not shown:
        return _empty(f"none of {len(perts)} perturbations changes a phenotype", "screen")
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
    fig = _new_figure(max(width, 7.5), height)
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
    present = [c for c in classes if c in set(cell.get((p, c2)) for p in shown for c2 in contexts)]
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
        return _empty(f"no synergistic pair among {len(rows)} pair rows", "pair screen")
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
    fig = _new_figure(side + 1.9, side + 2.0)
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


# -- validation -------------------------------------------------------------------------------


def validation_figure(outcomes: Sequence[Outcome], *, title: str | None = None) -> Figure:
    """The expectations as a table: pass/fail, id, confidence, claim, observed, references."""
    import matplotlib.patches as mp

    from .expectations import summary

    outcomes = list(outcomes)
    if not outcomes:
        return _empty("this model has no expectations (expectations.toml) to check", "validation")
    s = summary(outcomes)
    row_h = 0.2
    height = len(outcomes) * row_h + 1.3
    width = 17.0
    fig = _new_figure(width, height)
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
        ax.text(xs["claim"], yy, _short(e.claim, 118), fontsize=6.8, va="center")
        obs = o.observed if not o.error else f"error: {o.error}"
        ax.text(xs["observed"], yy, _short(obs, 56), fontsize=6.5, va="center", color="#444444")
        ax.text(
            xs["refs"],
            yy,
            _short("; ".join(e.references), 70),
            fontsize=6.3,
            va="center",
            color="#1f4e9c",
        )
    return fig


# -- writers ----------------------------------------------------------------------------------


def plot_network(
    model: Model, path: str | os.PathLike[str], *, compact: bool = False, **kwargs: Any
) -> Path:
    """Write :func:`network_figure` to ``path`` (.png or .svg)."""
    _format_of(path, None)
    return save_figure(network_figure(model, **kwargs), path, compact=compact)


def plot_landscape(
    bundle: Model,
    path: str | os.PathLike[str],
    update: str = "async",
    *,
    compact: bool = False,
    **kwargs: Any,
) -> Path:
    """Write :func:`landscape_figure` to ``path`` (.png or .svg)."""
    _format_of(path, None)
    return save_figure(landscape_figure(bundle, update=update, **kwargs), path, compact=compact)


def plot_screen(
    rows: Sequence[ScreenRow] | str | os.PathLike[str],
    path: str | os.PathLike[str],
    *,
    compact: bool = False,
    **kwargs: Any,
) -> Path:
    """Write :func:`screen_figure` to ``path``; ``rows`` may be a file ``dormnet screen`` wrote."""
    _format_of(path, None)
    if isinstance(rows, (str, os.PathLike)):
        rows = read_rows(rows)
    return save_figure(screen_figure(rows, **kwargs), path, compact=compact)


def plot_validation(
    outcomes: Sequence[Outcome],
    path: str | os.PathLike[str],
    *,
    compact: bool = False,
    **kwargs: Any,
) -> Path:
    """Write :func:`validation_figure` to ``path`` (.png or .svg)."""
    _format_of(path, None)
    return save_figure(validation_figure(outcomes, **kwargs), path, compact=compact)


def draw(
    kind: str,
    model: Model | None = None,
    *,
    screen_rows: Sequence[ScreenRow] | None = None,
    context: str | None = None,
    top: int = 40,
    drugs: bool = True,
    update: str = "async",
    processes: int | None = None,
    timeout: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> Figure:
    """One figure of a model, computing what it shows (``dormnet figure KIND``).

    Parameters
    ----------
    kind : {"network", "landscape", "screen", "validation"}
    model : Bundle, BooleanNetwork or path, optional
        Default: the bundled dormancy model (not needed for ``screen`` with ``screen_rows``).
    screen_rows : sequence of ScreenRow, optional
        ``screen``: draw these rows instead of screening single perturbations here.
    context, top
        ``screen``: the pair matrix of one context; perturbations on each axis.
    drugs : bool
        ``screen`` computed here: include the model's drugs.
    update : str
        ``landscape``: the update scheme.
    processes, timeout, progress
        Passed to the computation (``progress`` gets the number of items done).

    Returns
    -------
    matplotlib.figure.Figure
    """
    if kind == "screen" and screen_rows is not None:
        return screen_figure(screen_rows, context=context, top=top)
    b = _bundle_of(model if model is not None else load_bundle())
    tick = (lambda: progress(1)) if progress else None
    if kind == "network":
        return network_figure(b)
    if kind == "landscape":
        return landscape_figure(b, update=update, timeout=timeout)
    if kind == "validation":
        from .expectations import check_expectations

        if not b.expectations:
            raise DormnetError(f"{b.path}: no expectations file beside the model")
        return validation_figure(check_expectations(b, timeout=timeout, progress=tick))
    if kind != "screen":
        raise DormnetError(f"unknown figure kind {kind!r}; use {', '.join(FIGURE_KINDS)}")
    from .screen import interventions, screen

    items = interventions(b, drugs="all" if drugs and b.drugs else None)
    rows = screen(b, items, processes=processes, progress=progress)
    return screen_figure(rows, context=context, top=top)


def image_format(path: str | os.PathLike[str]) -> str:
    """``"png"`` or ``"svg"`` from a file name; a :class:`DormnetError` for anything else.

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
    kind : str
    fig : matplotlib.figure.Figure

    Returns
    -------
    dormnet.render.Table
    """
    from .render import Table

    w, h = (fig.get_size_inches() * fig.dpi).round().astype(int)
    cols = ["file", "kind", "format", "width", "height", "bytes"]
    row = [str(path), kind, path.suffix.lstrip(".").lower(), int(w), int(h), path.stat().st_size]
    return Table(f"{kind} figure", cols, [row], dict(zip(cols, row)))
