"""Phenotypes of attractors, from cited marker rules (``<model>.phenotypes.toml``).

A state carries every phenotype whose rule it satisfies; an attractor carries a phenotype when the
rule holds in all of its states (for a trap space: on the whole subspace). A state or attractor that
carries none is ``undetermined``. The markers (nodes the rules read) that are not constant in an
attractor are reported as oscillating.
"""

from __future__ import annotations

from collections.abc import Mapping

from .attractors import Attractor, CubeStates
from .bdd import BDD
from .records import Phenotype
from .expr import evaluate

__all__ = ["classify", "holds", "markers_of"]


def markers_of(phenotypes: Mapping[str, Phenotype]) -> list[str]:
    """All nodes that any phenotype rule reads, in order of first appearance."""
    out: dict[str, None] = {}
    for p in phenotypes.values():
        for m in p.markers:
            out.setdefault(m, None)
    return list(out)


def holds(phenotype: Phenotype, attractor: Attractor) -> bool:
    """True if the phenotype's rule holds in every state of the attractor."""
    states = attractor.states
    if isinstance(states, CubeStates):
        # the states are a union of subspaces: the rule must be true on each of them
        nodes = states.nodes
        return all(
            _true_on(
                phenotype, {nodes[i]: (vals >> i) & 1 for i in range(len(nodes)) if (mask >> i) & 1}
            )
            for mask, vals in states.cubes
        )
    if states is not None:
        return all(evaluate(phenotype.expr, s) for s in states)
    # on the enclosing subspace the rule is constant true: it holds; otherwise it cannot be
    # shown to hold in every state of an attractor too large to enumerate
    return _true_on(phenotype, attractor.space)


def _true_on(phenotype: Phenotype, space: Mapping[str, int]) -> bool:
    """True if the rule is constant true on the subspace."""
    manager = BDD(phenotype.markers)
    f = manager.from_expr(phenotype.expr)
    for n, v in space.items():
        if n in manager.index:
            f = manager.restrict(f, n, v)
    return f == 1


def classify(
    attractor: Attractor, phenotypes: Mapping[str, Phenotype]
) -> tuple[list[str], list[str]]:
    """``(phenotype words, oscillating markers)`` of an attractor.

    Examples
    --------
    >>> from dormnet.expr import parse_expr
    >>> ph = {"dormant": Phenotype("dormant", "D & !A", parse_expr("D & !A"))}
    >>> classify(Attractor("fixed point", {"D": 1, "A": 0}, 1, ({"D": 1, "A": 0},)), ph)
    (['dormant'], [])
    >>> classify(Attractor("cyclic", {"A": 0}, 2, ({"D": 0, "A": 0}, {"D": 1, "A": 0})), ph)
    (['undetermined'], ['D'])
    """
    words = [name for name, p in phenotypes.items() if holds(p, attractor)]
    osc = [m for m in markers_of(phenotypes) if m not in attractor.space]
    return (words or ["undetermined"]), osc
