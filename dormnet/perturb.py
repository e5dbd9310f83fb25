"""Perturbations as new networks: nodes held at values (clamps), knockouts, overexpressions.

Every change returns a new network (biodivine-aeon style); the original is never modified. A
clamp replaces the node's rule by a constant and keeps the comments, adding one that says why.
Analyses take ``clamps=`` directly and do not need a clamped copy; these functions are for
exporting a perturbed model or handing it to another tool.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .errors import ClampError, UnknownNodeError
from .expr import FALSE, TRUE
from .network import BooleanNetwork, Rule, unknown_name_message

__all__ = ["Knockout", "Overexpression", "clamp", "apply"]


@dataclass(frozen=True)
class Knockout:
    """Loss of function: the node is held at 0."""

    node: str

    def clamps(self) -> dict[str, int]:
        """The clamp this perturbation applies.

        Returns
        -------
        dict
            ``{node: 0}``.
        """
        return {self.node: 0}

    def __str__(self) -> str:
        return f"{self.node}-KO"


@dataclass(frozen=True)
class Overexpression:
    """Gain of function: the node is held at 1."""

    node: str

    def clamps(self) -> dict[str, int]:
        """The clamp this perturbation applies.

        Returns
        -------
        dict
            ``{node: 1}``.
        """
        return {self.node: 1}

    def __str__(self) -> str:
        return f"{self.node}-OE"


def clamp(
    net: BooleanNetwork, clamps: Mapping[str, int], *, why: str = "clamped"
) -> BooleanNetwork:
    """A copy of ``net`` with each clamped node's rule replaced by the constant given.

    Parameters
    ----------
    net : BooleanNetwork
    clamps : mapping
        Node -> 0 or 1.
    why : str
        Written into the comment of each replaced rule.

    Returns
    -------
    BooleanNetwork
        ``net`` itself when ``clamps`` is empty.

    Raises
    ------
    UnknownNodeError, ClampError
        A node the network does not have; a value other than 0 or 1.

    Examples
    --------
    >>> net = BooleanNetwork({"a": "!b", "b": "!a"})
    >>> clamp(net, {"a": 1}).rule("a").function
    '1'
    """
    if not clamps:
        return net
    for name, value in clamps.items():
        if name not in net:
            raise UnknownNodeError(unknown_name_message(name, net.nodes, "node"))
        if value not in (0, 1):
            raise ClampError(f"value of {name} must be 0 or 1, not {value!r}")
    rules = []
    for name in net.nodes:
        rule = net.rule(name)
        if name in clamps:
            rule = Rule(
                name,
                TRUE if clamps[name] else FALSE,
                (*rule.comments, f"{why}: {name}={clamps[name]}"),
                rule.line,
            )
        rules.append(rule)
    return BooleanNetwork(rules, source=net.source, header=net.header)


def apply(net: BooleanNetwork, *perturbations: Knockout | Overexpression) -> BooleanNetwork:
    """Apply knockouts and overexpressions: ``apply(net, Knockout("NR2F1"))`` is a new network.

    Parameters
    ----------
    net : BooleanNetwork
    *perturbations : Knockout or Overexpression

    Returns
    -------
    BooleanNetwork

    Raises
    ------
    ClampError
        One node both knocked out and overexpressed.

    Examples
    --------
    >>> apply(BooleanNetwork({"a": "a", "b": "a"}), Knockout("b")).rule("b").function
    '0'
    """
    out: dict[str, int] = {}
    for p in perturbations:
        for node, value in p.clamps().items():
            if out.setdefault(node, value) != value:
                raise ClampError(f"conflicting clamps on {node}: {out[node]} and {value}")
    return clamp(net, out, why="perturbed")
