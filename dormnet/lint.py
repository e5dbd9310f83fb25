"""Warnings about a model that parses: things that are legal but probably not meant."""

from __future__ import annotations

from .errors import Problem
from .expr import symbols_of
from .network import BooleanNetwork

__all__ = ["lint"]


def lint(net: BooleanNetwork) -> list[Problem]:
    """Warnings for a parsed network.

    - a rule mentions a name its function does not depend on (``a & !a | b`` mentions ``a``);
    - a node regulates nothing and is not an input (harmless, reported as an output in ``info``
      rather than here) — not a warning;
    - a constant node that regulates nothing.

    Parameters
    ----------
    net : BooleanNetwork

    Returns
    -------
    list of Problem
        Warnings (``severity="warning"``); errors are raised when the network is built.

    Examples
    --------
    >>> [p.message for p in lint(BooleanNetwork({"a": "a & !a | b", "b": "b"}))]
    ["rule for a mentions 'a' but does not depend on it"]
    """
    out: list[Problem] = []
    for name in net.nodes:
        rule = net.rule(name)
        regs = set(net.regulators(name))
        for s in symbols_of(rule.expr):
            if s not in regs:
                out.append(
                    Problem(
                        f"rule for {name} mentions {s!r} but does not depend on it",
                        net.source,
                        rule.line,
                        None,
                        "warning",
                    )
                )
    return out
