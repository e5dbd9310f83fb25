"""Tables of the switch dynamics (:mod:`dormnet.switch`, :mod:`dormnet.basins`) for
:func:`dormnet.render.render`: one switch or schedule, the context -> context matrix, basins.

The JSON forms are documented in ``docs/formats.md`` (Switch and basins output). Like
:mod:`dormnet.render`, this module imports no engine: it renders the result types.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .render import Table

if TYPE_CHECKING:
    from .analysis import ClassifiedAttractor
    from .basins import Basins
    from .switch import Schedule, TransitionMatrix

__all__ = ["basins_table", "result_table", "switch_table", "transitions_table"]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _letter(k: int) -> str:
    """The letter of the k-th scenario of a schedule: its attractors are A1, A2, ..., B1, ..."""
    return chr(ord("A") + k) if k < 26 else f"S{k}_"


def _attractor_data(ca: ClassifiedAttractor, nodes: Sequence[str]) -> dict[str, Any]:
    return {
        "nodes": ca.attractor.render(list(nodes)),
        "phenotypes": list(ca.phenotypes),
        "kind": ca.attractor.kind,
        "size": ca.attractor.size,
    }


def _from_data(
    cas: Sequence[ClassifiedAttractor],
    nodes: Sequence[str],
    reaches: Sequence[frozenset[int]],
    exact: Sequence[bool],
) -> list[dict[str, Any]]:
    out = []
    for ca, r, e in zip(cas, reaches, exact):
        item = _attractor_data(ca, nodes)
        item["reaches"] = sorted(r)
        item["always"] = next(iter(r)) if e and len(r) == 1 else None
        item["complete"] = e
        out.append(item)
    return out


def _reach_text(letter: str, after: Sequence[ClassifiedAttractor], r: frozenset[int]) -> str:
    return "; ".join(f"{letter}{j + 1} {'+'.join(after[j].phenotypes)}" for j in sorted(r)) or "-"


def switch_table(schedule: Schedule, *, extra: dict[str, Any] | None = None) -> Table:
    """A switch or a schedule: one row per attractor before each step (and, for a schedule, per
    attractor of the first scenario over the whole schedule first), with the attractors it
    reaches possibly and the one it reaches always.

    The JSON shape is ``{"update", "scenarios", "complete", "from", "to", "steps"}``: ``from``
    lists the attractors of the first scenario, each with ``nodes`` (node -> 0, 1 or ``"*"``),
    ``phenotypes``, ``kind``, ``size``, ``reaches`` (indices into ``to``), ``always`` (the index
    every trajectory reaches, or ``null``) and ``complete`` (``false``: ``reaches`` is a lower
    bound, the computation stopped at its budget); ``to`` lists the attractors of the last
    scenario. ``steps`` holds one such ``{"from_scenario", "to_scenario", "from", "to"}`` per
    switch (for two scenarios, the same as the top level). Plus ``extra``.

    Parameters
    ----------
    schedule : Schedule
    extra : dict, optional
        Added to the JSON form (e.g. the model path).

    Returns
    -------
    Table
    """
    nodes = list(schedule.first.nodes)
    steps = []
    rows: list[list[Any]] = []
    k_last = len(schedule.steps)
    for st in schedule.steps:
        steps.append(
            {
                "from_scenario": str(st.before.scenario),
                "to_scenario": str(st.after.scenario),
                "from": _from_data(st.before, nodes, st.reaches, st.exact),
                "to": [_attractor_data(ca, nodes) for ca in st.after],
            }
        )
    whole = [(0, k_last, schedule.first, schedule.last, schedule.reaches, schedule.exact)]
    parts = [
        (k, k + 1, s.before, s.after, s.reaches, s.exact) for k, s in enumerate(schedule.steps)
    ]
    for a, b, before, after, reaches, exact in (whole if k_last > 1 else []) + parts:
        for i, (ca, r, e) in enumerate(zip(before, reaches, exact)):
            always = next(iter(r)) if e and len(r) == 1 else None
            rows.append(
                [
                    f"{_letter(a)}->{_letter(b)}",
                    f"{_letter(a)}{i + 1}",
                    "+".join(ca.phenotypes),
                    _reach_text(_letter(b), after, r),
                    "-" if always is None else f"{_letter(b)}{always + 1}",
                    "yes" if e else "no (lower bound)",
                ]
            )
    data: dict[str, Any] = {
        "update": schedule.update,
        "scenarios": [str(s) for s in schedule.scenarios],
        "complete": schedule.complete,
        "from": _from_data(schedule.first, nodes, schedule.reaches, schedule.exact),
        "to": [_attractor_data(ca, nodes) for ca in schedule.last],
        "steps": steps,
    }
    data.update(extra or {})
    title = f"{schedule.update} switch: " + " -> ".join(s.label() for s in schedule.scenarios)
    notes = [
        f"{_letter(k)} = {s.label()}: {_plural(len(a), 'attractor')}"
        for k, (s, a) in enumerate(
            zip(schedule.scenarios, [schedule.first] + [st.after for st in schedule.steps])
        )
    ]
    note = (
        "reaches: possibly (some trajectory); always: every trajectory"
        if schedule.complete
        else "PARTIAL: the computation stopped at its budget; rows marked no are lower bounds"
    )
    return Table(
        title, ["step", "from", "phenotypes", "reaches", "always", "exact"], rows, data, note, notes
    )


def basins_table(b: Basins, *, extra: dict[str, Any] | None = None) -> Table:
    """Weak and strong basins, one row per attractor (JSON: ``{"scenario", "update", "states",
    "attractors": [{"kind", "phenotypes", "nodes", "size", "weak": {"states", "share"},
    "strong": {...}}], "undecided"}`` plus ``extra``).

    Parameters
    ----------
    b : Basins
    extra : dict, optional

    Returns
    -------
    Table
    """
    nodes = list(b.attractors.nodes)
    items = []
    rows = []
    for j, ca in enumerate(b.attractors):
        item = _attractor_data(ca, nodes)
        item["weak"] = {"states": b.weak[j], "share": b.share(j, "weak")}
        item["strong"] = {"states": b.strong[j], "share": b.share(j, "strong")}
        items.append(item)
        rows.append(
            [
                f"A{j + 1}",
                "+".join(ca.phenotypes),
                ca.attractor.kind,
                ca.attractor.size,
                f"{100 * b.share(j, 'weak'):.4g}%",
                f"{100 * b.share(j, 'strong'):.4g}%",
            ]
        )
    data: dict[str, Any] = {
        "scenario": str(b.attractors.scenario),
        "update": b.attractors.update,
        "states": b.total,
        "attractors": items,
        "undecided": {"states": b.undecided, "share": b.undecided / b.total},
    }
    data.update(extra or {})
    note = (
        f"{b.total:,} states; {100 * b.undecided / b.total:.4g}% reach more than one attractor "
        "(weak: can reach it; strong: reach only it)"
    )
    title = f"{b.attractors.update} basins ({b.attractors.scenario.label()})"
    cols = ["#", "phenotypes", "kind", "states", "weak basin", "strong basin"]
    return Table(title, cols, rows, data, note)


def transitions_table(m: TransitionMatrix, *, extra: dict[str, Any] | None = None) -> Table:
    """Every context -> context switch, one row per ordered pair of different contexts.

    JSON: ``{"update", "contexts", "attractors": {context: [attractor]}, "transitions":
    [{"from", "to", "reaches", "always", "complete", "change", "change_always",
    "irreversible"}]}``: ``reaches`` and ``always`` per attractor of ``from`` (indices into the
    attractors of ``to``), ``change`` the switch class of the cell, ``irreversible`` the
    attractors of ``from`` that may end elsewhere after a stay in ``to`` and the return.

    Parameters
    ----------
    m : TransitionMatrix
    extra : dict, optional

    Returns
    -------
    Table
    """
    some = next(iter(m.analyses.values()))
    nodes = list(some.nodes)
    trans: list[dict[str, Any]] = []
    rows = []
    for a in m.contexts:
        for b in m.contexts:
            if a == b or (a, b) not in m.cells:
                continue
            cell = m.cells[a, b]
            change, always = m.change(a, b)
            back = m.irreversible(a, b) if (b, a) in m.cells else []
            trans.append(
                {
                    "from": a,
                    "to": b,
                    "reaches": [sorted(r) for r in cell.reaches],
                    "always": [cell.always(i) for i in range(len(cell.before))],
                    "complete": cell.complete,
                    "change": change,
                    "change_always": always,
                    "irreversible": back,
                }
            )
            before = " | ".join("+".join(ca.phenotypes) for ca in cell.before)
            after = sorted({"+".join(m.analyses[b][j].phenotypes) for r in cell.reaches for j in r})
            rows.append(
                [
                    a,
                    b,
                    before,
                    " | ".join(after),
                    change,
                    "always" if always else "possibly",
                    "no: " + ",".join(f"A{i + 1}" for i in back) if back else "yes",
                ]
            )
    data: dict[str, Any] = {
        "update": m.update,
        "contexts": list(m.contexts),
        "attractors": {
            c: [_attractor_data(ca, nodes) for ca in an] for c, an in m.analyses.items()
        },
        "transitions": trans,
    }
    data.update(extra or {})
    counts: dict[str, int] = {}
    for t in trans:
        counts[t["change"]] = counts.get(t["change"], 0) + 1
    note = (
        f"{len(trans)} switches: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
        + f"; {sum(bool(t['irreversible']) for t in trans)} cannot be undone by going back"
    )
    cols = ["from", "to", "before", "after", "change", "how", "returns"]
    return Table(f"{m.update} context switches", cols, rows, data, note)


def result_table(result: Any) -> Table:
    """The table the command line prints for a result of the dynamics or of control.

    Parameters
    ----------
    result : Schedule, TransitionMatrix, Basins or ControlResult

    Returns
    -------
    Table

    Raises
    ------
    TypeError
        For any other object.
    """
    kind = type(result).__name__  # by name: this module imports none of the result modules
    if kind == "Schedule":
        return switch_table(result)
    if kind == "TransitionMatrix":
        return transitions_table(result)
    if kind == "Basins":
        return basins_table(result)
    if kind == "ControlResult":
        from .render import control_table

        return control_table(result)
    raise TypeError(f"no table for a {kind}")
