"""Perturbations: knockouts, overexpressions, drugs, and fixing nodes to values.

Every change returns a new network (biodivine-aeon style); the original is never modified.
A clamp replaces the node's rule by a constant and keeps the comments, adding one that says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Union

from .errors import UnknownNodeError
from .expr import FALSE, TRUE
from .network import BooleanNetwork, Rule, unknown_name_message

__all__ = ["Clamp", "Knockout", "Overexpression", "Perturbation", "apply", "clamp", "clamps_of"]


@dataclass(frozen=True)
class Knockout:
    """Loss of function: the node is held at 0."""

    node: str

    def clamps(self) -> dict[str, int]:
        return {self.node: 0}

    def __str__(self) -> str:
        return f"{self.node}-KO"


@dataclass(frozen=True)
class Overexpression:
    """Gain of function: the node is held at 1."""

    node: str

    def clamps(self) -> dict[str, int]:
        return {self.node: 1}

    def __str__(self) -> str:
        return f"{self.node}-OE"


@dataclass(frozen=True)
class Clamp:
    """Any set of nodes held at given values (a context, a drug, a custom intervention)."""

    values: tuple[tuple[str, int], ...]
    label: str = ""

    @classmethod
    def of(cls, values: Mapping[str, int], label: str = "") -> Clamp:
        return cls(tuple(sorted(values.items())), label)

    def clamps(self) -> dict[str, int]:
        return dict(self.values)

    def __str__(self) -> str:
        return self.label or ",".join(f"{k}={v}" for k, v in self.values)


Perturbation = Union[Knockout, Overexpression, Clamp]


def clamps_of(perturbations: Iterable[Perturbation]) -> dict[str, int]:
    """Merge perturbations into one node -> value mapping; conflicting values are an error."""
    out: dict[str, int] = {}
    for p in perturbations:
        for node, value in p.clamps().items():
            if out.setdefault(node, value) != value:
                raise UnknownNodeError(f"conflicting clamps on {node}: {out[node]} and {value}")
    return out


def clamp(
    net: BooleanNetwork, values: Mapping[str, int], *, why: str = "clamped"
) -> BooleanNetwork:
    """A copy of ``net`` with each named node's rule replaced by the constant given.

    Examples
    --------
    >>> net = BooleanNetwork({"a": "!b", "b": "!a"})
    >>> clamp(net, {"a": 1}).rule("a").function
    '1'
    """
    if not values:
        return net
    rules = []
    for name in values:
        if name not in net:
            raise UnknownNodeError(unknown_name_message(name, net.nodes, "node"))
        if values[name] not in (0, 1):
            raise UnknownNodeError(f"value of {name} must be 0 or 1, not {values[name]!r}")
    for name in net.nodes:
        rule = net.rule(name)
        if name in values:
            rule = Rule(
                name,
                TRUE if values[name] else FALSE,
                rule.comments + (f"{why}: {name}={values[name]}",),
                rule.line,
            )
        rules.append(rule)
    return BooleanNetwork(rules, source=net.source, header=net.header)


def apply(net: BooleanNetwork, *perturbations: Perturbation) -> BooleanNetwork:
    """Apply perturbations: ``apply(net, Knockout("NR2F1"))`` returns a new network."""
    return clamp(net, clamps_of(perturbations), why="perturbed")
