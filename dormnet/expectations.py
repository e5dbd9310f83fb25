"""The literature as tests: check every expectation of a model bundle and say which hold.

An expectation (``docs/formats.md``) names a scenario or a sequence of scenarios, a query and an
update scheme, a phenotype, a quantifier (``all``: every attractor looked at carries the
phenotype; ``some``: at least one does; ``none``: none does; ``all`` and ``none`` need at least one
attractor to look at), optionally marker values, and cites its source.

An expectation about a perturbation must measure an effect: its check is also run on the
*baseline* (the same context without the perturbation; for a sequence of scenarios, the last
scenario alone) and must give the other answer there, unless the claim is explicitly
``baseline = "unchanged"``. Otherwise it passes whether or not the perturbation does anything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .analysis import ClassifiedAttractor, analyse
from .bundle import Bundle
from .errors import DormnetError
from .records import Expectation

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Outcome",
    "Validation",
    "check_expectation",
    "check_expectations",
    "holds_on",
    "summary",
]


@dataclass(frozen=True)
class Outcome:
    """The result of one expectation.

    Attributes
    ----------
    expectation : Expectation
    passed : bool
        The check holds, and the baseline gives the answer the expectation asks of it.
    observed : str
        What the check looked at, for people.
    attractors : tuple of ClassifiedAttractor
        The attractors the check looked at.
    baseline : bool or None
        Whether the check holds on the baseline (``None`` when there is no baseline).
    error : str or None
        Why it could not be computed.
    """

    expectation: Expectation
    passed: bool
    observed: str
    attractors: tuple[ClassifiedAttractor, ...] = ()
    baseline: bool | None = None
    error: str | None = None


class Validation(list[Outcome]):
    """The outcomes of :func:`check_expectations` (a list of :class:`Outcome`)."""

    def to_frame(self) -> pd.DataFrame:
        """The outcomes as a pandas data frame, with the columns of ``dormnet validate --format
        tsv`` (:func:`dormnet.frames.outcomes_frame`).

        Returns
        -------
        pandas.DataFrame
        """
        from .frames import outcomes_frame

        return outcomes_frame(self)

    def _repr_html_(self) -> str:
        from .display import outcomes_html

        return outcomes_html(self)


def _markers_ok(ca: ClassifiedAttractor, markers: dict[str, int]) -> bool:
    return all(ca.attractor.space.get(n) == v for n, v in markers.items())


def holds_on(e: Expectation, cas: Sequence[ClassifiedAttractor]) -> bool:
    """Whether the quantified phenotype (and marker) claim of ``e`` holds on ``cas``.

    Parameters
    ----------
    e : Expectation
    cas : sequence of ClassifiedAttractor
        The attractors looked at.

    Returns
    -------
    bool
        ``all``: at least one attractor, and every one carries the phenotype and markers;
        ``some``: at least one does; ``none``: at least one attractor, and none carries the
        phenotype.
    """
    has = [e.phenotype in ca.phenotypes and _markers_ok(ca, e.markers) for ca in cas]
    if e.expect == "all":
        return bool(cas) and all(has)
    if e.expect == "some":
        return any(has)
    return bool(cas) and not any(e.phenotype in ca.phenotypes for ca in cas)


def _observed(cas: Sequence[ClassifiedAttractor], markers: dict[str, int]) -> str:
    parts = []
    for ca in cas:
        text = "+".join(ca.phenotypes)
        bad = [
            f"{n}={ca.attractor.space.get(n, '*')}"
            for n, v in markers.items()
            if ca.attractor.space.get(n) != v
        ]
        if bad:
            text += f" ({', '.join(bad)})"
        parts.append(text)
    return f"{len(cas)} attractor{'s' if len(cas) != 1 else ''}: " + "; ".join(parts)


def _looked_at(bundle: Bundle, e: Expectation, timeout: float | None) -> list[ClassifiedAttractor]:
    if e.temporal:
        from .switch import reached

        return list(reached(bundle, e.steps, start=e.start, update=e.update, timeout=timeout))
    return list(analyse(bundle, e.scenario, query=e.query, update=e.update, timeout=timeout))


def _baseline(bundle: Bundle, e: Expectation, timeout: float | None) -> list[ClassifiedAttractor]:
    return list(
        analyse(bundle, e.baseline_scenario(), query=e.query, update=e.update, timeout=timeout)
    )


def check_expectation(bundle: Bundle, e: Expectation, *, timeout: float | None = None) -> Outcome:
    """Check one expectation, with its baseline.

    Parameters
    ----------
    bundle : Bundle
    e : Expectation
    timeout : float, optional
        Seconds per computation.

    Returns
    -------
    Outcome
    """
    try:
        cas = _looked_at(bundle, e, timeout)
        base = holds_on(e, _baseline(bundle, e, timeout)) if e.perturbed else None
    except DormnetError as err:
        return Outcome(e, False, "not computed", (), None, str(err))
    ok = holds_on(e, cas)
    observed = _observed(cas, e.markers)
    if base is not None:
        wanted = e.baseline == "unchanged"
        ok = ok and base == wanted
        observed += f" | baseline: {'holds' if base else 'does not hold'}"
        if base != wanted:
            observed += " (so it measures no effect)" if base else " (it should be unchanged)"
    return Outcome(e, ok, observed, tuple(cas), base)


def check_expectations(
    bundle: Bundle,
    *,
    ids: Sequence[str] | None = None,
    timeout: float | None = None,
    progress: Callable[[], None] | None = None,
) -> Validation:
    """Check every expectation (or those with the given ids), in file order.

    Parameters
    ----------
    bundle : Bundle
    ids : sequence of str, optional
    timeout : float, optional
        Seconds per computation.
    progress : callable, optional
        Called after each expectation.

    Returns
    -------
    Validation
        A list of :class:`Outcome`.
    """
    out = Validation()
    for e in bundle.expectations:
        if ids and e.id not in ids:
            continue
        out.append(check_expectation(bundle, e, timeout=timeout))
        if progress:
            progress()
    return out


def summary(outcomes: Sequence[Outcome]) -> dict[str, object]:
    """Counts of passes overall, per confidence level and per split.

    Parameters
    ----------
    outcomes : sequence of Outcome

    Returns
    -------
    dict
        ``passed``, ``total``, ``fraction``, ``by_confidence`` (H/M/L) and ``by_split``
        (calibration/validation), each with ``passed`` and ``total``.
    """

    def count(sel: list[Outcome]) -> dict[str, int]:
        return {"passed": sum(o.passed for o in sel), "total": len(sel)}

    passed = sum(o.passed for o in outcomes)
    return {
        "passed": passed,
        "total": len(outcomes),
        "fraction": passed / len(outcomes) if outcomes else 1.0,
        "by_confidence": {
            level: count([o for o in outcomes if o.expectation.confidence == level])
            for level in ("H", "M", "L")
        },
        "by_split": {
            split: count([o for o in outcomes if o.expectation.split == split])
            for split in ("calibration", "validation")
        },
    }
