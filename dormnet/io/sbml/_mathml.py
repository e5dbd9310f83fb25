"""MathML of SBML-qual read as Boolean functions: comparisons of species levels with numbers or
thresholds, and the connectives, built as boolean.py expressions with constants folded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boolean

from ...expr import ALGEBRA, FALSE, TRUE, is_false, is_true

__all__ = ["OPS", "Var", "and_", "as_bool", "ast_type_name", "compare", "not_", "or_", "relations"]

_AND, _OR, _NOT, _Symbol = ALGEBRA.AND, ALGEBRA.OR, ALGEBRA.NOT, ALGEBRA.Symbol


@dataclass(frozen=True)
class Var:
    """A reference to a species inside MathML (its level is 0 or 1)."""

    node: str


def relations(L: Any) -> dict[int, str]:
    return {
        L.AST_RELATIONAL_EQ: "eq",
        L.AST_RELATIONAL_NEQ: "neq",
        L.AST_RELATIONAL_GEQ: "geq",
        L.AST_RELATIONAL_GT: "gt",
        L.AST_RELATIONAL_LEQ: "leq",
        L.AST_RELATIONAL_LT: "lt",
    }


def ast_type_name(L: Any, t: int) -> str:
    for name in dir(L):
        if name.startswith("AST_") and getattr(L, name) == t:
            return name[4:].lower()
    return str(t)


OPS = {
    "eq": lambda a, b: a == b,
    "neq": lambda a, b: a != b,
    "geq": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
    "leq": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
}


def compare(op: str, left: object, right: object) -> boolean.Expression:
    """A comparison of levels as a Boolean function of the (0/1) species it mentions."""
    for side in (left, right):
        if not isinstance(side, (int, Var)):
            raise ValueError(  # noqa: TRY004 - caught as a refused function, with its line
                f"'{op}' compares a Boolean expression; it compares a species with a level"
            )
    names = sorted({s.node for s in (left, right) if isinstance(s, Var)})
    minterms: list[boolean.Expression] = []
    for bits in range(1 << len(names)):
        val = {n: (bits >> i) & 1 for i, n in enumerate(names)}
        a = val[left.node] if isinstance(left, Var) else left
        b = val[right.node] if isinstance(right, Var) else right
        if OPS[op](a, b):
            minterms.append(and_([_Symbol(n) if val[n] else not_(_Symbol(n)) for n in names]))
    if len(minterms) == 1 << len(names):
        return TRUE
    return or_(minterms)


def as_bool(v: object) -> boolean.Expression:
    if isinstance(v, Var):
        return _Symbol(v.node)  # a bare species reads as "level >= 1"
    if isinstance(v, int):
        return TRUE if v else FALSE
    return v  # type: ignore[return-value]


def and_(args: list[boolean.Expression]) -> boolean.Expression:
    """AND with constants folded and nested ANDs kept flat."""
    out: list[boolean.Expression] = []
    for a in args:
        if is_false(a):
            return FALSE
        if is_true(a):
            continue
        out.extend(a.args if isinstance(a, boolean.AND) else (a,))
    if not out:
        return TRUE
    return out[0] if len(out) == 1 else _AND(*out)


def or_(args: list[boolean.Expression]) -> boolean.Expression:
    """OR with constants folded and nested ORs kept flat."""
    out: list[boolean.Expression] = []
    for a in args:
        if is_true(a):
            return TRUE
        if is_false(a):
            continue
        out.extend(a.args if isinstance(a, boolean.OR) else (a,))
    if not out:
        return FALSE
    return out[0] if len(out) == 1 else _OR(*out)


def not_(a: boolean.Expression) -> boolean.Expression:
    if is_true(a):
        return FALSE
    if is_false(a):
        return TRUE
    if isinstance(a, boolean.NOT):
        return a.args[0]
    return _NOT(a)
