"""Normal forms of rules: prime implicants of each function and of its negation.

The engines need, for every node ``v``, a DNF of ``f_v`` and of ``!f_v``; dormnet uses the prime
implicants, computed from a per-rule BDD with the Coudert–Madre recursion (:mod:`dormnet.bdd`).
For the "OR of activators AND NOT OR of inhibitors" rules that make pyboolnet's prime step run for
hours (pyboolnet issue #122), the BDD is linear in the number of regulators and the primes are
``#activators`` and ``#inhibitors + 1`` cubes: milliseconds at in-degree 40
(``benchmarks/normal_form.py``).
"""

from __future__ import annotations

import boolean

from .errors import BudgetExceeded
from .expr import is_false, is_true
from .network import BooleanNetwork, rule_bdd
from .spaces import Subspace

__all__ = ["MAX_PRIMES", "network_primes", "primes"]

#: refuse to hold more prime implicants than this for one rule
MAX_PRIMES = 500_000


def primes(
    net: BooleanNetwork, node: str, *, max_primes: int | None = MAX_PRIMES
) -> tuple[list[Subspace], list[Subspace]]:
    """Prime implicants of ``!f_node`` and ``f_node``: ``(off, on)``, each a list of cubes.

    Parameters
    ----------
    net : BooleanNetwork
    node : str
    max_primes : int, optional
        Budget for the rule (``None``: none).

    Returns
    -------
    tuple of (list, list)
        The off and on primes, each a list of cubes (node -> 0/1); cached with the network.

    Raises
    ------
    BudgetExceeded
        More primes than ``max_primes``.

    Examples
    --------
    >>> net = BooleanNetwork({"a": "a", "b": "b", "c": "a & !b"})
    >>> primes(net, "c")
    ([{'a': 0}, {'b': 1}], [{'a': 1, 'b': 0}])
    """
    hit = net.derived(_node_primes, node)
    if max_primes is not None and len(hit[0]) + len(hit[1]) > max_primes:
        raise BudgetExceeded(
            f"the rule of {node} has {len(hit[0]) + len(hit[1])} prime implicants, more than the "
            f"limit of {max_primes}",
            "raise max_primes, or simplify the rule",
        )
    return hit  # type: ignore[return-value]


def _node_primes(net: BooleanNetwork, node: str) -> tuple[list[Subspace], list[Subspace]]:
    hit = _literal_primes(net.rule(node).expr)
    if hit is None:
        manager, f = net.derived(rule_bdd, node)
        try:
            hit = (manager.primes(manager.neg(f)), manager.primes(f))
        except BudgetExceeded as e:
            raise BudgetExceeded(f"rule of {node}: {e.what}", e.hint) from None
    return hit


def network_primes(
    net: BooleanNetwork, *, max_primes: int | None = MAX_PRIMES
) -> dict[str, list[list[Subspace]]]:
    """Primes of every node in pyboolnet's layout: ``{node: [off_primes, on_primes]}``.

    Parameters
    ----------
    net : BooleanNetwork
    max_primes : int, optional
        Budget per rule (``None``: none).

    Returns
    -------
    dict
        Node -> ``[off, on]``, each a list of cubes (node -> 0/1).

    Raises
    ------
    BudgetExceeded
        A rule has more primes than ``max_primes``.
    """
    return {n: list(primes(net, n, max_primes=max_primes)) for n in net.nodes}


def _literal(e: boolean.Expression) -> tuple[str, int] | None:
    if isinstance(e, boolean.Symbol):
        return str(e.obj), 1
    if isinstance(e, boolean.NOT) and isinstance(e.args[0], boolean.Symbol):
        return str(e.args[0].obj), 0
    return None


def _literal_primes(e: boolean.Expression) -> tuple[list[Subspace], list[Subspace]] | None:
    """The primes of a constant, a literal, or an AND / OR of literals on distinct variables,
    written down directly (half the rules of published models; no BDD needed); ``None`` for any
    other function.

    >>> from dormnet.expr import parse_expr
    >>> _literal_primes(parse_expr("a & !b"))
    ([{'a': 0}, {'b': 1}], [{'a': 1, 'b': 0}])
    >>> _literal_primes(parse_expr("a | a")) is None
    True
    """
    if is_true(e):
        return [], [{}]
    if is_false(e):
        return [{}], []
    lit = _literal(e)
    if lit is not None:
        return [{lit[0]: 1 - lit[1]}], [{lit[0]: lit[1]}]
    if not isinstance(e, (boolean.AND, boolean.OR)):
        return None
    lits = [_literal(a) for a in e.args]
    if any(x is None for x in lits) or len({x[0] for x in lits}) != len(lits):  # type: ignore[index]
        return None
    each = [{v: b} for v, b in lits]  # type: ignore[misc]
    each_neg = [{v: 1 - b} for v, b in lits]  # type: ignore[misc]
    if isinstance(e, boolean.AND):
        return each_neg, [dict(lits)]  # type: ignore[arg-type]
    return [{v: 1 - b for v, b in lits}], each  # type: ignore[misc]
