"""Phenotypes of attractors, from cited marker rules (``<model>.phenotypes.toml``).

A state carries every phenotype whose rule it satisfies; an attractor carries a phenotype when the
rule holds in all of its states (for a trap space: on the whole subspace). A state or attractor that
carries none is ``undetermined``. The markers (nodes the rules read) that are not constant in an
attractor are reported as oscillating.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .attractors import Attractor, CubeStates
from .bdd import BDD
from .expr import evaluate
from .records import Phenotype

__all__ = ["attractor_switch", "classify", "holds", "markers_of", "switch_class"]


def markers_of(phenotypes: Mapping[str, Phenotype]) -> list[str]:
    """All nodes that any phenotype rule reads, in order of first appearance.

    Parameters
    ----------
    phenotypes : mapping
        Name -> Phenotype.

    Returns
    -------
    list of str
    """
    out: dict[str, None] = {}
    for p in phenotypes.values():
        for m in p.markers:
            out.setdefault(m, None)
    return list(out)


def holds(phenotype: Phenotype, attractor: Attractor) -> bool:
    """Whether the phenotype's rule holds in every state of the attractor.

    Parameters
    ----------
    phenotype : Phenotype
    attractor : Attractor

    Returns
    -------
    bool
    """
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

    Parameters
    ----------
    attractor : Attractor
    phenotypes : mapping
        Name -> Phenotype.

    Returns
    -------
    tuple of (list of str, list of str)
        The phenotypes that hold in every state (``["undetermined"]`` if none), and the
        markers that are not constant in the attractor.

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


def switch_class(before: Sequence[frozenset], after: Sequence[frozenset]) -> str:
    """How the phenotypes of the attractors move.

    Parameters
    ----------
    before, after : sequence of frozenset
        The phenotype words of each attractor before and after a perturbation.

    Returns
    -------
    str
        One of :data:`dormnet.screen.SWITCH_CLASSES`.

    Examples
    --------
    >>> switch_class([frozenset({"dormant"})], [frozenset({"proliferative"})])
    'awakening'
    >>> switch_class([frozenset({"dormant"})], [frozenset({"apoptotic"})])
    'eliminating'
    """
    if not after:
        return "no attractor"
    has = lambda group, w: any(w in s for s in group)
    if all("apoptotic" in s for s in after) and not (
        before and all("apoptotic" in s for s in before)
    ):
        return "eliminating"
    if has(after, "proliferative") and not has(before, "proliferative") and has(before, "dormant"):
        return "awakening"
    if has(after, "dormant") and not has(after, "proliferative") and has(before, "proliferative"):
        return "dormancy-inducing"
    if set(before) == set(after):
        return "no change"
    if has(before, "dormant") and not has(after, "dormant"):
        return "dormancy-losing"
    if has(before, "proliferative") and not has(after, "proliferative"):
        return "growth-arresting"
    return "other shift"


def attractor_switch(before: Sequence[Any], after: Sequence[Any]) -> str:
    """The switch class of a screen without phenotypes: ``no attractor``, ``no change`` (the
    same attractors) or ``other shift`` (the attractors changed; the row's ``changed`` column
    says which nodes).

    >>> attractor_switch([(3, 1)], [(3, 1)]), attractor_switch([(3, 1)], [(3, 3)])
    ('no change', 'other shift')
    """
    if not after:
        return "no attractor"
    return "no change" if set(before) == set(after) else "other shift"
