"""Attractors of a model bundle under a scenario, classified by phenotype.

The layer that the command line, the expectations, the landscape, the switch dynamics and the
report share: it turns a :class:`~dormnet.scenario.Scenario` into clamps, asks
:mod:`dormnet.attractors` for one query, and attaches the bundle's phenotypes.

Examples
--------
>>> from dormnet import BooleanNetwork
>>> from dormnet.bundle import Bundle, phenotypes_from_rules
>>> net = BooleanNetwork({"a": "!b", "b": "!a"})
>>> b = Bundle(net, phenotypes=phenotypes_from_rules(net, ["A=a & !b"]))
>>> [ca.phenotypes for ca in analyse(b, update="sync")]
[['undetermined'], ['undetermined'], ['A']]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .attractors import (
    Attractor,
    attractors,
    count_attractors,
    count_fixed_points,
    count_trap_spaces,
    fixed_points,
    trap_spaces,
)
from .bundle import Bundle
from .choices import (
    ASYNC_ENGINES,
    QUERIES,
    TRAP_SPACE_KINDS,
    UPDATES,
    AsyncEngine,
    Query,
    TrapSpaceKind,
    Update,
    check_choice,
)
from .errors import DormnetError, UnknownNodeError
from .network import unknown_name_message
from .phenotypes import classify
from .scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Scenario",
    "ClassifiedAttractor",
    "Analysis",
    "analyse",
    "count",
    "landscape",
    "Landscape",
    "LandscapeRow",
    "input_combinations",
]


@dataclass(frozen=True)
class ClassifiedAttractor:
    """An attractor with its phenotype words and the markers that oscillate in it."""

    attractor: Attractor
    phenotypes: list[str] = field(default_factory=list)
    oscillating: list[str] = field(default_factory=list)


class Analysis(list[ClassifiedAttractor]):
    """The classified attractors of one query (a list), with what was asked.

    Attributes
    ----------
    nodes : tuple of str
        The network's nodes, for rendering.
    scenario : Scenario
    query : str
        ``attractors``, ``fixed-points`` or ``trap-spaces``.
    update : str
        The update scheme (for ``attractors``).
    kind : str
        Which trap spaces (for ``trap-spaces``).
    """

    def __init__(
        self,
        items: Iterable[ClassifiedAttractor],
        *,
        nodes: Sequence[str],
        scenario: Scenario,
        query: Query,
        update: Update,
        kind: TrapSpaceKind,
    ) -> None:
        super().__init__(items)
        self.nodes = tuple(nodes)
        self.scenario = scenario
        self.query = query
        self.update = update
        self.kind = kind

    @property
    def title(self) -> str:
        """``"async attractors (bone_marrow +everolimus)"``."""
        what = {
            "attractors": f"{self.update} attractors",
            "fixed-points": "fixed points",
            "trap-spaces": f"{self.kind} trap spaces",
        }[self.query]
        return f"{what} ({self.scenario.label()})"

    def to_frame(self) -> pd.DataFrame:
        """The results as a pandas data frame, with the columns of ``--format tsv``
        (:func:`dormnet.frames.analysis_frame`).

        Returns
        -------
        pandas.DataFrame
        """
        from .frames import analysis_frame

        return analysis_frame(self)

    def _repr_html_(self) -> str:
        from .display import analysis_html

        return analysis_html(self)


def _classify(bundle: Bundle, a: Attractor) -> ClassifiedAttractor:
    if not bundle.phenotypes:
        return ClassifiedAttractor(a, ["undetermined"], [])
    words, osc = classify(a, bundle.phenotypes)
    return ClassifiedAttractor(a, words, osc)


def analyse(
    bundle: Bundle,
    scenario: Scenario = Scenario(),
    *,
    query: Query = "attractors",
    update: Update = "async",
    kind: TrapSpaceKind = "min",
    limit: int | None = None,
    timeout: float | None = None,
    engine: AsyncEngine = "auto",
) -> Analysis:
    """Attractors (or fixed points, or trap spaces) of the bundle's network under a scenario,
    with phenotypes.

    Parameters
    ----------
    bundle : Bundle
    scenario : Scenario
        What is held fixed (resolved with :meth:`Bundle.clamps`).
    query : {"attractors", "fixed-points", "trap-spaces"}
    update : {"async", "sync", "mp"}
        The update scheme of ``attractors``.
    kind : {"min", "max", "all"}
        Which trap spaces, for ``trap-spaces``.
    limit, timeout, engine
        As for :func:`dormnet.attractors.attractors`.

    Returns
    -------
    Analysis
        A list of :class:`ClassifiedAttractor`; trap spaces come as attractors of kind
        ``"trap space"`` (``"fixed point"`` when every node is fixed).
    """
    check_choice("query", query, QUERIES)
    check_choice("update", update, UPDATES)
    check_choice("kind", kind, TRAP_SPACE_KINDS)
    check_choice("engine", engine, ASYNC_ENGINES)
    net = bundle.network
    clamps = bundle.clamps(scenario)
    n = len(net)
    atts: list[Attractor]
    if query == "fixed-points":
        atts = [
            Attractor("fixed point", s, 1, (s,))
            for s in fixed_points(net, clamps=clamps, limit=limit, timeout=timeout)
        ]
    elif query == "trap-spaces":
        atts = [
            Attractor(
                "fixed point" if len(s) == n else "trap space",
                s,
                2 ** (n - len(s)),
                (s,) if len(s) == n else None,
            )
            for s in trap_spaces(net, kind=kind, clamps=clamps, limit=limit, timeout=timeout)
        ]
    else:
        atts = attractors(
            net, update=update, clamps=clamps, limit=limit, timeout=timeout, engine=engine
        )
    return Analysis(
        (_classify(bundle, a) for a in atts),
        nodes=net.nodes,
        scenario=scenario,
        query=query,
        update=update,
        kind=kind,
    )


def count(
    bundle: Bundle,
    scenario: Scenario = Scenario(),
    *,
    query: Query = "attractors",
    update: Update = "async",
    kind: TrapSpaceKind = "min",
    timeout: float | None = None,
    engine: AsyncEngine = "auto",
) -> int:
    """The exact number of results :func:`analyse` would list (without listing them where a
    symbolic count is possible).

    Parameters
    ----------
    bundle, scenario, query, update, kind, timeout, engine
        As for :func:`analyse`.

    Returns
    -------
    int

    Examples
    --------
    >>> from dormnet import BooleanNetwork
    >>> count(Bundle(BooleanNetwork({"a": "a", "b": "b"})), query="fixed-points")
    4
    """
    check_choice("query", query, QUERIES)
    net = bundle.network
    clamps = bundle.clamps(scenario)
    if query == "fixed-points":
        return count_fixed_points(net, clamps=clamps, timeout=timeout)
    if query == "trap-spaces":
        return count_trap_spaces(net, kind=kind, clamps=clamps, timeout=timeout)
    return count_attractors(net, update=update, clamps=clamps, timeout=timeout, engine=engine)


def input_combinations(inputs: Sequence[str]) -> Iterator[dict[str, int]]:
    """Every 0/1 assignment of the given inputs, the first input varying slowest.

    Parameters
    ----------
    inputs : sequence of str

    Yields
    ------
    dict
        Input -> 0/1.

    Examples
    --------
    >>> list(input_combinations(["a", "b"]))[:2]
    [{'a': 0, 'b': 0}, {'a': 0, 'b': 1}]
    """
    for bits in itertools.product((0, 1), repeat=len(inputs)):
        yield dict(zip(inputs, bits))


@dataclass(frozen=True)
class LandscapeRow:
    """One microenvironment of a landscape: its label, the inputs it names, its attractors."""

    label: str
    inputs: dict[str, int]
    attractors: Analysis

    @property
    def phenotypes(self) -> list[str]:
        """Every phenotype word of its attractors, sorted."""
        return sorted({w for ca in self.attractors for w in ca.phenotypes})


class Landscape(list[LandscapeRow]):
    """The rows of a landscape (a list), with the update scheme they were computed under.

    Attributes
    ----------
    update : str
        The update scheme.
    """

    def __init__(self, rows: Iterable[LandscapeRow] = (), *, update: Update = "async") -> None:
        super().__init__(rows)
        self.update = update

    def to_frame(self) -> pd.DataFrame:
        """The landscape as a pandas data frame, with the columns of ``dormnet landscape
        --format tsv`` (:func:`dormnet.frames.landscape_frame`).

        Returns
        -------
        pandas.DataFrame
        """
        from .frames import landscape_frame

        return landscape_frame(self, update=self.update)

    def _repr_html_(self) -> str:
        from .display import landscape_html

        return landscape_html(self, update=self.update)


#: sweep at most this many inputs at once (2^16 combinations)
MAX_SWEEP = 16


def landscape(
    bundle: Bundle,
    *,
    inputs: Sequence[str] | None = None,
    update: Update = "async",
    base: Scenario = Scenario(),
    timeout: float | None = None,
    progress: Callable[[], None] | None = None,
) -> Landscape:
    """The microenvironment landscape: attractor phenotypes per context or input combination.

    Parameters
    ----------
    bundle : Bundle
    inputs : sequence of str, optional
        Sweep every 0/1 combination of these nodes; by default the bundle's named contexts are
        swept.
    update : {"async", "sync", "mp"}
    base : Scenario
        Held in every combination of a sweep (its context gives the other inputs' values, the
        defaults otherwise), e.g. a drug.
    timeout : float, optional
        Per combination.
    progress : callable, optional
        Called after each row.

    Returns
    -------
    Landscape
        A list of :class:`LandscapeRow`, one per context or input combination.
    """
    rows = Landscape(update=update)
    if inputs is None:
        if not bundle.contexts:
            raise DormnetError("this model has no named contexts; give the inputs to sweep")
        for name, ctx in bundle.contexts.items():
            scen = Scenario(name).plus(base)
            rows.append(
                LandscapeRow(name, ctx.named, analyse(bundle, scen, update=update, timeout=timeout))
            )
            if progress:
                progress()
        return rows
    if len(inputs) > MAX_SWEEP:
        raise DormnetError(
            f"{len(inputs)} inputs make {2 ** len(inputs)} combinations; "
            f"sweep at most {MAX_SWEEP} at once"
        )
    for n in inputs:
        if n not in bundle.network:
            raise UnknownNodeError(unknown_name_message(n, bundle.network.nodes, "node"))
    values = dict(bundle.defaults) if base.context is None else {}
    for combo in input_combinations(inputs):
        label = ",".join(f"{k}={v}" for k, v in combo.items())
        clamps = tuple({**values, **combo}.items())
        scen = Scenario(
            base.context, base.clamps + clamps, base.knockout, base.overexpress, base.drugs
        )
        rows.append(
            LandscapeRow(label, combo, analyse(bundle, scen, update=update, timeout=timeout))
        )
        if progress:
            progress()
    return rows
