"""Text renderings of results: tables for people (rich), TSV and JSON for scripts.

Tables are drawn with rich; colour is used only when writing to a terminal (rich detects it), so
redirected output and files stay plain text.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

from .analysis import ClassifiedAttractor

__all__ = ["attractors_json", "attractors_table", "attractors_tsv", "table_text", "to_json"]


def table_text(
    title: str | None,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    color: bool | None = None,
    width: int | None = None,
) -> str:
    """A rich table rendered to text (plain when ``color`` is False)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    t = Table(
        show_lines=False,
        header_style="bold" if color else "",
        box=box.SIMPLE_HEAD if color else box.ASCII2,
        pad_edge=False,
    )
    for c in columns:
        t.add_column(str(c), overflow="fold")
    for r in rows:
        t.add_row(*[str(x) for x in r])
    buf = io.StringIO()
    console = Console(
        file=buf,
        force_terminal=bool(color),
        color_system="auto" if color else None,
        width=width or 200,
        no_color=not color,
    )
    if title:
        console.print(title, style="bold" if color else None, highlight=False)
    console.print(t)
    return buf.getvalue()


def to_json(data: Any) -> str:
    """Stable JSON text (2-space indent, keys in insertion order)."""
    return json.dumps(data, indent=2) + "\n"


def attractors_json(
    cas: Sequence[ClassifiedAttractor], nodes: Sequence[str], extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The stable JSON shape: ``{"attractors": [{"kind", "phenotypes", "nodes", ...}], ...}``."""
    items = []
    for ca in cas:
        a = ca.attractor
        items.append(
            {
                "kind": a.kind,
                "phenotypes": list(ca.phenotypes),
                "nodes": a.render(nodes),
                "size": a.size,
                "oscillating_markers": list(ca.oscillating),
            }
        )
    out: dict[str, Any] = {"attractors": items}
    out.update(extra or {})
    return out


def attractors_tsv(cas: Sequence[ClassifiedAttractor], nodes: Sequence[str]) -> str:
    """One row per attractor: id, kind, phenotypes, size, then one column per node."""
    lines = ["\t".join(["attractor", "kind", "phenotypes", "size", *nodes])]
    for i, ca in enumerate(cas, 1):
        r = ca.attractor.render(nodes)
        lines.append(
            "\t".join(
                [
                    f"A{i}",
                    ca.attractor.kind,
                    ",".join(ca.phenotypes),
                    str(ca.attractor.size),
                    *[str(r[n]) for n in nodes],
                ]
            )
        )
    return "\n".join(lines) + "\n"


def attractors_table(
    cas: Sequence[ClassifiedAttractor],
    nodes: Sequence[str],
    *,
    title: str | None = None,
    color: bool | None = None,
) -> str:
    """People's table: one column per attractor; phenotype and kind first, then node values."""
    cols = ["", *[f"A{i}" for i in range(1, len(cas) + 1)]]
    rows: list[list[Any]] = [
        ["phenotype", *[",".join(ca.phenotypes) for ca in cas]],
        ["kind", *[ca.attractor.kind for ca in cas]],
        ["states", *[ca.attractor.size for ca in cas]],
    ]
    rendered = [ca.attractor.render(nodes) for ca in cas]
    for n in nodes:
        rows.append([n, *[r[n] for r in rendered]])
    return table_text(title, cols, rows, color=color)
