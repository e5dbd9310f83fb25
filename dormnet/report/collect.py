"""What the report shows, computed once: the landscape, the validation, the screens; and the
ranking of screen hits the report and ``dormnet report`` print.

The hit lists leave out perturbations of the model's output nodes (``kind = output`` in the node
table): clamping a phenotype readout such as ``Apoptosis`` is not an intervention.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..bundle import Bundle

if TYPE_CHECKING:
    from ..choices import Update
    from ..io.screen_rows import ScreenRow
    from ..render import Table

__all__ = [
    "CONTROL_QUESTIONS",
    "HIT_CLASSES",
    "REPORT_MAX_TIME",
    "REPORT_TRAJECTORIES",
    "Hit",
    "ReportData",
    "collect",
    "context_switches",
    "control_questions",
    "output_perturbations",
    "reference_url",
    "simulate_contexts",
    "summary_table",
    "top_hits",
]

HIT_CLASSES = ("dormancy-inducing", "awakening", "eliminating")


@dataclass
class ReportData:
    """Everything the report shows, computed once (or passed in by a caller that has it)."""

    bundle: Bundle
    update: Update = "async"
    landscape: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)
    singles: list = field(default_factory=list)  # ScreenRow, size 1 (nodes and drugs)
    pairs: list = field(default_factory=list)  # ScreenRow, size 2
    transitions: Any = None  # TransitionMatrix of every context -> context switch
    simulation: list = field(default_factory=list)  # (context, SimulationResult)
    control: list = field(default_factory=list)  # (title, ControlResult)
    notes: list[str] = field(default_factory=list)  # what was skipped and why
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    """A perturbation with the contexts where it has one switch class."""

    perturbation: str
    switch: str
    contexts: tuple[str, ...]
    synergy: bool | None = None

    @property
    def count(self) -> int:
        return len(self.contexts)


def reference_url(ref: str) -> str | None:
    """The web address of a ``PMID:n`` or ``DOI:x`` reference.

    Parameters
    ----------
    ref : str

    Returns
    -------
    str or None
        ``None`` for anything else.

    Examples
    --------
    >>> reference_url("PMID:24161934")
    'https://pubmed.ncbi.nlm.nih.gov/24161934/'
    >>> reference_url("DOI:10.1038/ncb2861")
    'https://doi.org/10.1038/ncb2861'
    """
    kind, _, ident = ref.partition(":")
    if kind.upper() == "PMID" and ident.strip().isdigit():
        return f"https://pubmed.ncbi.nlm.nih.gov/{ident.strip()}/"
    if kind.upper() == "DOI" and ident.strip():
        return f"https://doi.org/{ident.strip()}"
    return None


def output_perturbations(bundle: Bundle) -> set[str]:
    """Labels of knockouts and overexpressions of output nodes (readouts, not interventions).

    Parameters
    ----------
    bundle : Bundle

    Returns
    -------
    set of str
        Such as ``Apoptosis-KO`` (nodes of ``kind = output`` in the node table).
    """
    outs = {n for n, i in bundle.nodes.items() if i.kind == "output"}
    return {f"{n}-{k}" for n in outs for k in ("KO", "OE")}


def top_hits(
    rows: Iterable[ScreenRow],
    switch: str,
    *,
    exclude: Iterable[str] = (),
    before: str | None = None,
    synergy_only: bool = False,
    limit: int | None = 15,
) -> list[Hit]:
    """Perturbations ranked by the number of contexts where they give ``switch``.

    ``before`` keeps only contexts whose phenotype before the perturbation includes that word
    (e.g. ``"dormant"`` for dormant-cell elimination); ``synergy_only`` keeps only combinations
    whose effect none of their parts has alone. Rows involving an excluded label are skipped.

    Parameters
    ----------
    rows : iterable of ScreenRow
    switch : str
        A switch class.
    exclude : iterable of str
        Perturbation labels to leave out.
    before : str, optional
    synergy_only : bool
    limit : int, optional
        At most this many (``None``: all).

    Returns
    -------
    list of Hit
        Most contexts first, then by label.

    Examples
    --------
    >>> from dormnet.screen import ScreenRow
    >>> rows = [ScreenRow("bm", "p38-KO", 1, 1, "dormant", 1, "proliferative", "awakening",
    ...                   None, "percolation")]
    >>> top_hits(rows, "awakening")[0].contexts
    ('bm',)
    """
    drop = set(exclude)
    ctx: dict[str, list[str]] = defaultdict(list)
    syn: dict[str, bool | None] = {}
    for r in rows:
        if r.switch != switch or drop.intersection(r.perturbation.split(" + ")):
            continue
        if before is not None and before not in r.before.replace("|", "+").split("+"):
            continue
        if synergy_only and not r.synergy:
            continue
        ctx[r.perturbation].append(r.context)
        syn[r.perturbation] = r.synergy
    hits = [Hit(p, switch, tuple(cs), syn[p]) for p, cs in ctx.items()]
    hits.sort(key=lambda h: (-h.count, h.perturbation))
    return hits[:limit] if limit is not None else hits


def collect(
    bundle: Bundle,
    *,
    update: Update = "async",
    double: bool = True,
    processes: int | None = None,
    timeout: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReportData:
    """Run what the report shows: landscape, validation, single + drug screen, pair screen.

    Parameters
    ----------
    bundle : Bundle
    update : str
        The update scheme of the landscape.
    double : bool
        Also screen every pair of perturbations.
    processes : int, optional
        Worker processes of the screens.
    timeout : float, optional
        Seconds allowed to each analysis.
    progress : callable, optional
        Called with the name of each part as it starts.

    Returns
    -------
    ReportData
        With what was skipped and why in ``notes`` (no expectations, no phenotypes).
    """
    from ..expectations import check_expectations
    from ..figures import landscape_rows
    from ..screen import interventions, screen

    data = ReportData(bundle, update)
    say = progress or (lambda text: None)

    t = time.perf_counter()
    say("landscape")
    data.landscape = landscape_rows(bundle, update=update, timeout=timeout)
    data.seconds["landscape"] = time.perf_counter() - t
    if len(bundle.contexts) >= 2:
        t = time.perf_counter()
        say("context switches")
        data.transitions = context_switches(bundle, data, update, timeout)
        data.seconds["context switches"] = time.perf_counter() - t
    else:
        data.notes.append("fewer than two named contexts: no context switches")
    if bundle.expectations:
        t = time.perf_counter()
        say(f"validation ({len(bundle.expectations)} expectations)")
        data.outcomes = check_expectations(bundle, timeout=timeout)
        data.seconds["validation"] = time.perf_counter() - t
    else:
        data.notes.append("no expectations file beside the model: validation skipped")
    if bundle.phenotypes:
        t = time.perf_counter()
        drugs = "all" if bundle.drugs else None
        items = interventions(bundle, sizes=(1,), drugs=drugs)
        say(f"single screen ({len(items)} perturbations)")
        data.singles = screen(bundle, items, processes=processes)
        data.seconds["single screen"] = time.perf_counter() - t
        if double:
            t = time.perf_counter()
            items = interventions(bundle, sizes=(2,), drugs=drugs)
            say(f"pair screen ({len(items)} pairs)")
            data.pairs = screen(bundle, items, processes=processes)
            data.seconds["pair screen"] = time.perf_counter() - t
        else:
            data.notes.append("pair screen not run (--no-double)")
        if bundle.drugs:
            t = time.perf_counter()
            say("control: minimal drug sets")
            data.control = control_questions(bundle, data, processes=processes, timeout=timeout)
            data.seconds["control"] = time.perf_counter() - t
        else:
            data.notes.append("no drugs file beside the model: no drug control")
        t = time.perf_counter()
        names: list[str | None] = [*bundle.contexts] or [None]
        say(f"stochastic simulation ({len(names)} contexts)")
        data.simulation = simulate_contexts(bundle, names, processes=processes)
        data.seconds["simulation"] = time.perf_counter() - t
    else:
        data.notes.append(
            "no phenotypes file beside the model: screens skipped "
            "(a screen classifies phenotype shifts)"
        )
    return data


def context_switches(
    bundle: Bundle, data: ReportData, update: Update, timeout: float | None
) -> Any:
    """Every context -> context switch (:func:`dormnet.switch.transition_matrix`).

    Parameters
    ----------
    bundle : Bundle
    data : ReportData
        Gets a note when the budget runs out.
    update : str
        ``async``, ``mp`` or ``sync``.
    timeout : float, optional
        Seconds allowed.

    Returns
    -------
    TransitionMatrix
        The whole matrix, or what is certain of it when the budget ran out.
    """
    from ..errors import BudgetExceeded
    from ..switch import transition_matrix

    try:
        return transition_matrix(bundle, update=update, timeout=timeout)
    except BudgetExceeded as e:
        data.notes.append(f"context switches: {e} (the matrix shown is partial)")
        return e.partial


#: the report's control questions: (title, keyword arguments of :func:`dormnet.control.control`)
#: for the phenotypes they need; drugs only, up to two, minimal trap spaces (a few seconds)
CONTROL_QUESTIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("Dormancy maintenance: every attractor dormant, drugs held", {"to": "dormant"}),
    (
        "Dormancy maintenance that outlasts the drugs (temporary: released once settled)",
        {"to": "dormant", "mode": "temporary"},
    ),
    (
        (
            "Elimination of dormant cells: every attractor apoptotic, drugs held (contexts with "
            "a dormant attractor)"
        ),
        {"to": "apoptotic", "source": "dormant"},
    ),
)
REPORT_CONTROL_SIZE = 2


def control_questions(
    bundle: Bundle,
    data: ReportData,
    *,
    processes: int | None = None,
    timeout: float | None = None,
    questions: Sequence[tuple[str, dict[str, Any]]] = CONTROL_QUESTIONS,
) -> list:
    """The minimal drug sets of each control question whose phenotypes the model has.

    Parameters
    ----------
    bundle : Bundle
    data : ReportData
        Gets a note for each question left out or out of time.
    processes : int, optional
    timeout : float, optional
        Seconds allowed to each question.
    questions : sequence
        ``(title, keyword arguments of control)``.

    Returns
    -------
    list of tuple
        ``(title, ControlResult)``.
    """
    from ..control import control
    from ..errors import BudgetExceeded

    out = []
    for title, kw in questions:
        needs = [kw[k] for k in ("to", "source") if k in kw]
        missing = [p for p in needs if p not in bundle.phenotypes]
        if missing:
            data.notes.append(f"control: no phenotype {', '.join(missing)}: {title} left out")
            continue
        try:
            result = control(
                bundle,
                agents="drugs",
                max_size=REPORT_CONTROL_SIZE,
                cross_check=False,
                processes=processes,
                timeout=timeout,
                **kw,
            )
        except BudgetExceeded as e:
            data.notes.append(f"control: {title}: {e}")
            continue
        out.append((title, result))
    return out


#: the report's simulation: trajectories per context and simulated time
REPORT_TRAJECTORIES = 1000
REPORT_MAX_TIME = 50.0


def simulate_contexts(
    bundle: Bundle, contexts: Sequence[str | None], processes: int | None = None
) -> list:
    """``(context, SimulationResult)`` for each context, as the report shows them.

    Parameters
    ----------
    bundle : Bundle
    contexts : sequence of str or None
        ``None``: the model's inputs as they are (shown as ``-``).
    processes : int, optional
        Worker processes of the simulation.

    Returns
    -------
    list of tuple
        ``(context, SimulationResult)``, :data:`REPORT_TRAJECTORIES` trajectories over
        :data:`REPORT_MAX_TIME` time units each.
    """
    from ..scenario import Scenario
    from ..simulate import simulate_bundle

    return [
        (
            ctx or "-",
            simulate_bundle(
                bundle,
                Scenario(ctx),
                trajectories=REPORT_TRAJECTORIES,
                max_time=REPORT_MAX_TIME,
                processes=processes,
            ),
        )
        for ctx in contexts
    ]


def summary_table(data: ReportData, path: Path) -> Table:
    """What ``dormnet report`` prints after writing the page: the file, the expectations, the
    top hits and the time each part took.

    Parameters
    ----------
    data : ReportData
        From :func:`collect`.
    path : Path
        The written ``index.html``.

    Returns
    -------
    dormnet.render.Table
    """
    from ..expectations import summary
    from ..render import Table

    ex = output_perturbations(data.bundle)
    rows: list[list[Any]] = [
        ["report", str(path)],
        ["bytes", path.stat().st_size],
        ["contexts", len(data.landscape)],
    ]
    if data.outcomes:
        s = summary(data.outcomes)
        rows.append(["expectations passing", f"{s['passed']}/{s['total']}"])
    for cls in HIT_CLASSES:
        # elimination counts only where cells were dormant, as in the report
        hits = top_hits(
            data.singles,
            cls,
            exclude=ex,
            limit=3,
            before="dormant" if cls == "eliminating" else None,
        )
        if hits:
            rows.append([f"top {cls}", ", ".join(f"{h.perturbation} ({h.count})" for h in hits)])
    rows += [["note", n] for n in data.notes]
    rows.append(["seconds", ", ".join(f"{k} {v:.1f}" for k, v in data.seconds.items())])
    return Table(f"report of {data.bundle.path}", ["item", "value"], rows)
