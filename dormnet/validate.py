"""The literature as tests: run every expectation of a model bundle and say which hold.

Each expectation names a context, perturbations, an update scheme, a phenotype and a quantifier
(``all``: every attractor carries the phenotype; ``some``: at least one does; ``none``: none
does), optionally with marker values, and cites its source (``networks/expectations.toml``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .analysis import ClassifiedAttractor, Scenario, analyse
from .bundle import Bundle, Expectation
from .errors import DormnetError

__all__ = ["Outcome", "check_expectation", "summary", "validate"]


@dataclass(frozen=True)
class Outcome:
    """The result of one expectation: passed or not, and what was observed."""

    expectation: Expectation
    passed: bool
    observed: str
    attractors: tuple[ClassifiedAttractor, ...] = ()
    error: str | None = None


def _markers_ok(ca: ClassifiedAttractor, markers: dict[str, int]) -> bool:
    return all(ca.attractor.space.get(n) == v for n, v in markers.items())


def _observed(cas: list[ClassifiedAttractor], markers: dict[str, int]) -> str:
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


def check_expectation(bundle: Bundle, e: Expectation, *, timeout: float | None = None) -> Outcome:
    """Run one expectation."""
    scen = Scenario(
        context=e.context,
        drugs=e.drugs,
        knockout=e.knockout,
        overexpress=e.overexpress,
        set=tuple(sorted(e.set.items())),
    )
    try:
        cas = analyse(bundle, scen, update=e.update, timeout=timeout)
    except DormnetError as err:
        return Outcome(e, False, "not computed", (), str(err))
    has = [e.phenotype in ca.phenotypes for ca in cas]
    if e.expect == "all":
        passed = bool(cas) and all(has) and all(_markers_ok(ca, e.markers) for ca in cas)
    elif e.expect == "some":
        passed = any(h and _markers_ok(ca, e.markers) for h, ca in zip(has, cas))
    else:
        passed = not any(has)
    return Outcome(e, passed, _observed(cas, e.markers), tuple(cas))


def validate(
    bundle: Bundle, *, ids: list[str] | None = None, timeout: float | None = None, progress=None
) -> list[Outcome]:
    """Run every expectation (or those with the given ids), in file order."""
    out = []
    for e in bundle.expectations:
        if ids and e.id not in ids:
            continue
        out.append(check_expectation(bundle, e, timeout=timeout))
        if progress:
            progress()
    return out


def summary(outcomes: list[Outcome]) -> dict[str, object]:
    """Counts of passes overall and per confidence level."""
    by = {}
    for level in ("H", "M", "L"):
        sel = [o for o in outcomes if o.expectation.confidence == level]
        by[level] = {"passed": sum(o.passed for o in sel), "total": len(sel)}
    passed = sum(o.passed for o in outcomes)
    return {
        "passed": passed,
        "total": len(outcomes),
        "fraction": passed / len(outcomes) if outcomes else 1.0,
        "by_confidence": by,
    }
