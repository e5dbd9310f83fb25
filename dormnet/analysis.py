"""Attractors of a model bundle under a scenario (context, drugs, knockouts), classified.

This is the layer the CLI, the validation suite, the landscape sweep and the screens share: it
turns names (a context, drugs, knockouts) into clamps, runs the attractor engine and attaches the
phenotypes of the bundle.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .attractors import Attractor, attractors, fixed_points
from .bundle import Bundle
from .errors import UnknownNodeError
from .network import unknown_name_message
from .phenotypes import classify

__all__ = [
    "ClassifiedAttractor",
    "Scenario",
    "analyse",
    "input_combinations",
    "landscape",
    "scenario_clamps",
]


@dataclass(frozen=True)
class Scenario:
    """What to hold fixed: a named context, drugs, knockouts, overexpressions, other values."""

    context: str | None = None
    drugs: tuple[str, ...] = ()
    knockout: tuple[str, ...] = ()
    overexpress: tuple[str, ...] = ()
    set: tuple[tuple[str, int], ...] = ()

    def label(self) -> str:
        parts = [self.context or "no context"]
        parts += [f"+{d}" for d in self.drugs]
        parts += [f"{n}-KO" for n in self.knockout]
        parts += [f"{n}-OE" for n in self.overexpress]
        parts += [f"{n}={v}" for n, v in self.set]
        return " ".join(parts)


@dataclass(frozen=True)
class ClassifiedAttractor:
    """An attractor with its phenotype words and the markers that oscillate in it."""

    attractor: Attractor
    phenotypes: list[str] = field(default_factory=list)
    oscillating: list[str] = field(default_factory=list)


def scenario_clamps(bundle: Bundle, scenario: Scenario) -> dict[str, int]:
    """Node -> value for a scenario. Later parts override earlier ones: context, drugs,
    knockouts, overexpressions, explicit values."""
    net = bundle.network
    out: dict[str, int] = {}
    if scenario.context is not None:
        out.update(bundle.context(scenario.context).inputs)
    for d in scenario.drugs:
        out.update(bundle.drug(d).clamps)
    for n in scenario.knockout:
        _known(net, n)
        out[n] = 0
    for n in scenario.overexpress:
        _known(net, n)
        out[n] = 1
    for n, v in scenario.set:
        _known(net, n)
        if v not in (0, 1):
            raise UnknownNodeError(f"value of {n} must be 0 or 1, not {v!r}")
        out[n] = int(v)
    return out


def _known(net, n: str) -> None:
    if n not in net:
        raise UnknownNodeError(unknown_name_message(n, net.nodes, "node"))


def analyse(
    bundle: Bundle,
    scenario: Scenario = Scenario(),
    *,
    update: str = "async",
    limit: int | None = None,
    timeout: float | None = None,
    engine: str = "auto",
) -> list[ClassifiedAttractor]:
    """Attractors of the bundle's network under a scenario, with phenotypes.

    ``update`` is ``async``, ``sync``, ``mp`` (minimal trap spaces), ``trap-spaces`` (the same)
    or ``fixed-points`` (fixed points only, as attractors); ``engine`` chooses the asynchronous
    engine (:func:`dormnet.attractors.attractors`).
    """
    net = bundle.network
    clamps = scenario_clamps(bundle, scenario)
    if update == "fixed-points":
        atts = [
            Attractor("fixed point", s, 1, (s,))
            for s in fixed_points(net, context=clamps, limit=limit, timeout=timeout)
        ]
    elif update == "trap-spaces":
        atts = attractors(net, update="mp", context=clamps, limit=limit, timeout=timeout)
    else:
        atts = attractors(
            net,
            update=update,
            context=clamps,
            limit=limit,  # type: ignore[arg-type]
            timeout=timeout,
            engine=engine,
        )
    out = []
    for a in atts:
        words, osc = classify(a, bundle.phenotypes) if bundle.phenotypes else (["undetermined"], [])
        out.append(ClassifiedAttractor(a, words, osc))
    return out


def input_combinations(bundle: Bundle, inputs: Sequence[str]) -> Iterable[dict[str, int]]:
    """Every 0/1 assignment of the given inputs."""
    for bits in itertools.product((0, 1), repeat=len(inputs)):
        yield dict(zip(inputs, bits))


def landscape(
    bundle: Bundle,
    *,
    inputs: Sequence[str] | None = None,
    update: str = "async",
    base_context: str | None = None,
    timeout: float | None = None,
    progress=None,
) -> list[tuple[str, dict[str, int], list[ClassifiedAttractor]]]:
    """The microenvironment landscape: attractor phenotypes per input combination.

    With ``inputs=None`` the named contexts of the bundle are swept; otherwise every combination
    of the named inputs, the others taking the value of ``base_context`` (or the defaults).
    """
    rows = []
    if inputs is None:
        names = list(bundle.contexts)
        for name in names:
            rows.append(
                (
                    name,
                    bundle.context(name).named,
                    analyse(bundle, Scenario(context=name), update=update, timeout=timeout),
                )
            )
            if progress:
                progress()
        return rows
    for n in inputs:
        _known(bundle.network, n)
    base = dict(bundle.context(base_context).inputs) if base_context else dict(bundle.defaults)
    for combo in input_combinations(bundle, inputs):
        values = {**base, **combo}
        label = ",".join(f"{k}={v}" for k, v in combo.items())
        scen = Scenario(set=tuple(sorted(values.items())))
        rows.append((label, combo, analyse(bundle, scen, update=update, timeout=timeout)))
        if progress:
            progress()
    return rows
