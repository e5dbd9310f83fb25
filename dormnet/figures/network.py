"""The network figure: the signed interaction graph, nodes grouped and coloured by module.

Nodes are grouped by module (from the node table; one group without it), inputs drawn as arrow
boxes, outputs and phenotype markers with a heavy border, activation as an arrow and inhibition as
a bar (tee). The layout is computed here, from networkx (no graphviz): modules are ordered by their
mean distance from the inputs and packed into columns, left to right, and each module lays out its
nodes in the same order, so signals flow from the niche inputs on the left to the phenotype
outputs on the right.
"""

from __future__ import annotations

import math
import os
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..bundle import Bundle
from ..network import BooleanNetwork
from .style import (
    SIGN_COLOURS,
    DrawOptions,
    Model,
    bundle_of,
    image_format,
    model_name,
    new_figure,
    save_figure,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["compute", "module_groups", "network_figure", "network_layout", "plot_network"]

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
_ONE_GROUP = "network"


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

    Parameters
    ----------
    model : Bundle, BooleanNetwork or path

    Returns
    -------
    dict
        Module -> node names.

    Examples
    --------
    >>> from dormnet import BooleanNetwork
    >>> net = BooleanNetwork({"a": "a", "b": "a", "c": "!b"})
    >>> module_groups(net)
    {'network': ['a', 'b', 'c']}
    """
    b = bundle_of(model)
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

    Parameters
    ----------
    model : Bundle, BooleanNetwork or path

    Returns
    -------
    tuple of (dict, dict)
        Node -> ``(x, y)``; module -> ``(x, y, width, height)``, in layout units.
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
            _, r = sizes[m]
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

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.patches as mp
    from matplotlib.lines import Line2D

    b = bundle_of(model)
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
    fig = new_figure(width * _SCALE, height * _SCALE)
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
        f"{model_name(b)}: {len(net)} nodes ({len(inputs)} inputs), "
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


def plot_network(
    model: Model, path: str | os.PathLike[str], *, compact: bool = False, **kwargs: Any
) -> Path:
    """Write :func:`network_figure` to ``path`` (.png or .svg).

    Parameters
    ----------
    model : Bundle, BooleanNetwork or path
    path : path
    compact : bool
        A 256-colour PNG (see :func:`~dormnet.figures.figure_bytes`).
    **kwargs
        Passed to :func:`network_figure`.

    Returns
    -------
    Path
    """
    image_format(path)
    return save_figure(network_figure(model, **kwargs), path, compact=compact)


def compute(model: Model | None, options: DrawOptions) -> Figure:
    """``dormnet figure network``: :func:`network_figure` of the model.

    Parameters
    ----------
    model : Bundle, BooleanNetwork, path or None
        ``None``: the bundled dormancy model.
    options : DrawOptions
        Not used: the figure needs no computation.

    Returns
    -------
    matplotlib.figure.Figure
    """
    return network_figure(bundle_of(model))
