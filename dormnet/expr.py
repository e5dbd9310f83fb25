"""Boolean expressions of rules: one boolean.py algebra, a strict tokenizer and parser, a printer.

Rules are held as `boolean.py <https://github.com/bastikr/boolean.py>`_ expressions, built by a
small precedence parser written here rather than by boolean.py's own ``parse``: the BNET grammar
is tiny (names, ``0``, ``1``, ``!``, ``&``, ``|``, parentheses) and a hand-written parser gives
exact columns and messages a curator can act on ("expected a name or '(' after '&'"), refuses the
keywords and alternative operators boolean.py would accept (``and``, ``~``, ``+``, ``true``), and
works iteratively, so the 10,000-deep nesting of some published models does not overflow the
stack. Nothing is ever evaluated with ``eval``.

Precedence: ``!`` binds tightest, then ``&``, then ``|``. A chain of one operator without
parentheses (``a & b & c``) becomes one n-ary node; parentheses keep nesting, so
``parse(format(e)) == e`` holds structurally.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TypeVar

import boolean

from .names import RESERVED_NAMES, ascii_suggestion, is_valid_name, name_problem, valid_name

__all__ = [
    "ALGEBRA",
    "FALSE",
    "RESERVED_NAMES",
    "TRUE",
    "ExprSyntaxError",
    "ascii_suggestion",
    "evaluate",
    "fold",
    "format_expr",
    "is_false",
    "is_true",
    "is_valid_name",
    "name_problem",
    "parse_expr",
    "symbols_of",
    "valid_name",
]

T = TypeVar("T")
ALGEBRA = boolean.BooleanAlgebra()
TRUE = ALGEBRA.TRUE
FALSE = ALGEBRA.FALSE
_AND, _OR, _NOT, _Symbol = ALGEBRA.AND, ALGEBRA.OR, ALGEBRA.NOT, ALGEBRA.Symbol
_TRUE_T, _FALSE_T = type(TRUE), type(FALSE)


def is_true(e: object) -> bool:
    """Whether ``e`` is the constant 1 (a type test: boolean.py's ``==`` recurses).

    Parameters
    ----------
    e : object

    Returns
    -------
    bool
    """
    return isinstance(e, _TRUE_T)


def is_false(e: object) -> bool:
    """Whether ``e`` is the constant 0 (a type test).

    Parameters
    ----------
    e : object

    Returns
    -------
    bool
    """
    return isinstance(e, _FALSE_T)


_HINTS = {
    "~": "use '!' for NOT",
    "*": "use '&' for AND",
    "+": "use '|' for OR",
    "^": "XOR is not BNET; write (a & !b) | (!a & b)",
    "=": "BNET has no '='; a rule is 'target, function'",
}


class ExprSyntaxError(ValueError):
    """A syntax error in one expression; ``offset`` is 0-based within the expression text."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message = message
        self.offset = offset


#: text made only of ASCII names, operators and whitespace: tokenised by one regular expression
_OPERATORS = frozenset("!&|()")
_PLAIN_RE = re.compile(r"[A-Za-z0-9_!&|()\s]*\Z")
_TOKEN_RE = re.compile(r"[A-Za-z0-9_]+|[!&|()]")
#: names already checked by name_problem (rules repeat their regulators' names)
_CHECKED_NAMES: set[str] = set()


def _word_error(word: str, start: int, problem: str) -> ExprSyntaxError:
    if word.lower() in ("and", "or", "not", "xor"):
        op = {"and": "&", "or": "|", "not": "!", "xor": "^"}[word.lower()]
        return ExprSyntaxError(
            f"'{word}' is not an operator in BNET; use '{op}'" if op != "^" else _HINTS["^"], start
        )
    return ExprSyntaxError(problem, start)


def _tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """Yield (kind, text, offset) tokens; kind is 'name', 'const' or the operator itself.

    Plain ASCII text (nearly every rule) is split by a regular expression; anything else goes
    character by character, which is what finds and explains an unexpected character.
    """
    if _PLAIN_RE.match(text):
        for m in _TOKEN_RE.finditer(text):
            tok = m.group()
            if tok in _OPERATORS:
                yield tok, tok, m.start()
            elif tok in ("0", "1"):
                yield "const", tok, m.start()
            else:
                if tok not in _CHECKED_NAMES:
                    problem = name_problem(tok)
                    if problem is not None:
                        raise _word_error(tok, m.start(), problem)
                    if len(_CHECKED_NAMES) < 100_000:
                        _CHECKED_NAMES.add(tok)
                yield "name", tok, m.start()
        return
    pos = 0
    n = len(text)
    while pos < n:
        ch = text[pos]
        if ch.isspace():
            pos += 1
            continue
        if ch in "!&|()":
            yield ch, ch, pos
            pos += 1
            continue
        if ch.isalnum() or ch == "_" or not ch.isascii():
            start = pos
            while pos < n and (
                text[pos].isalnum()
                or text[pos] == "_"
                or (
                    not text[pos].isascii() and not text[pos].isspace() and text[pos] not in "!&|()"
                )
            ):
                pos += 1
            word = text[start:pos]
            if word in ("0", "1"):
                yield "const", word, start
                continue
            problem = name_problem(word)
            if problem is not None:
                raise _word_error(word, start, problem)
            yield "name", word, start
            continue
        hint = _HINTS.get(ch)
        raise ExprSyntaxError(f"unexpected character {ch!r}" + (f"; {hint}" if hint else ""), pos)


class _Frame:
    """An open parenthesis level of the iterative parser (a plain class: no dataclass machinery
    at start-up)."""

    __slots__ = ("and_factors", "expect_operand", "last", "nots", "open_at", "or_terms")

    def __init__(self, open_at: int, or_terms: list, and_factors: list, nots: list) -> None:
        self.open_at = open_at  # offset of '(' or -1 for the top level
        self.or_terms = or_terms  # finished terms of an OR chain
        self.and_factors = and_factors  # finished factors of the current AND chain
        self.nots = nots  # pending '!' offsets before the next operand
        self.expect_operand = True
        self.last: tuple[str, int] = ("start", 0)


def _close_and(frame: _Frame) -> None:
    if len(frame.and_factors) == 1:
        frame.or_terms.append(frame.and_factors[0])
    else:
        frame.or_terms.append(_AND(*frame.and_factors))
    frame.and_factors = []


def _finish(frame: _Frame) -> boolean.Expression:
    _close_and(frame)
    if len(frame.or_terms) == 1:
        return frame.or_terms[0]
    return _OR(*frame.or_terms)


def _describe(last: tuple[str, int]) -> str:
    kind = last[0]
    return {
        "start": "at the start",
        "(": "after '('",
        "!": "after '!'",
        "&": "after '&'",
        "|": "after '|'",
    }.get(kind, f"after {kind!r}")


def parse_expr(text: str) -> boolean.Expression:
    """Parse one BNET function into a boolean.py expression.

    Parameters
    ----------
    text : str
        The function, e.g. ``"(a | b) & !c"``.

    Returns
    -------
    boolean.Expression

    Raises
    ------
    ExprSyntaxError
        With a message and the 0-based offset of the offending token.

    Examples
    --------
    >>> format_expr(parse_expr("a & !(b | c)"))
    'a & !(b | c)'
    """
    stack = [_Frame(-1, [], [], [])]
    for kind, tok, pos in _tokens(text):
        frame = stack[-1]
        if frame.expect_operand:
            if kind == "!":
                frame.nots.append(pos)
                frame.last = ("!", pos)
                continue
            if kind == "(":
                stack.append(_Frame(pos, [], [], []))
                continue
            if kind in ("name", "const"):
                operand = _Symbol(tok) if kind == "name" else (TRUE if tok == "1" else FALSE)
                _push_operand(frame, operand)
                frame.last = (tok, pos)
                continue
            if kind == ")" and frame.open_at >= 0 and frame.last[0] == "start":
                raise ExprSyntaxError("empty parentheses '()'", frame.open_at)
            if kind == ")" and frame.open_at < 0:
                raise ExprSyntaxError("')' without a matching '('", pos)
            raise ExprSyntaxError(
                f"expected a name, 0, 1, '!' or '(' {_describe(frame.last)}, found {tok!r}", pos
            )
        # expecting an operator or ')'
        if kind == "&":
            frame.expect_operand = True
            frame.last = ("&", pos)
            continue
        if kind == "|":
            _close_and(frame)
            frame.expect_operand = True
            frame.last = ("|", pos)
            continue
        if kind == ")":
            if frame.open_at < 0:
                raise ExprSyntaxError("')' without a matching '('", pos)
            stack.pop()
            operand = _finish(frame)
            parent = stack[-1]
            _push_operand(parent, operand)
            parent.last = (")", pos)
            continue
        what = "name" if kind in ("name", "const") else tok
        raise ExprSyntaxError(
            f"missing operator before {tok!r}: expected '&', '|' or ')'"
            if what == "name" or tok in "(!"
            else f"unexpected {tok!r}",
            pos,
        )
    frame = stack[-1]
    if frame.expect_operand:
        if frame.last[0] == "start" and len(stack) == 1:
            raise ExprSyntaxError("empty expression", 0)
        if frame.last[0] == "start":
            raise ExprSyntaxError("'(' is never closed", frame.open_at)
        raise ExprSyntaxError(f"expression ends {_describe(frame.last)}", frame.last[1])
    if len(stack) > 1:
        raise ExprSyntaxError("'(' is never closed", stack[-1].open_at)
    return _finish(frame)


def _push_operand(frame: _Frame, operand: boolean.Expression) -> None:
    while frame.nots:
        frame.nots.pop()
        operand = _NOT(operand)
    frame.and_factors.append(operand)
    frame.expect_operand = False


@contextmanager
def deep_recursion(limit: int = 200_000) -> Iterator[None]:
    """Temporarily allow deep recursion (boolean.py's own methods recurse over the tree).

    Parameters
    ----------
    limit : int
        The recursion limit inside the ``with`` block (never lowered).

    Yields
    ------
    None
    """
    old = sys.getrecursionlimit()
    if old < limit:
        sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        if old < limit:
            sys.setrecursionlimit(old)


def format_expr(expr: boolean.Expression) -> str:
    """Print an expression in BNET syntax (``!``, ``&``, ``|``), the inverse of :func:`parse_expr`.

    Parameters
    ----------
    expr : boolean.Expression

    Returns
    -------
    str

    Examples
    --------
    >>> format_expr(parse_expr("!a|b&c&1"))
    '!a | b & c & 1'
    """
    out: list[str] = []
    # iterative printer: items are expressions to print or literal strings
    todo: list[object] = [expr]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        e = item
        if is_true(e):
            out.append("1")
        elif is_false(e):
            out.append("0")
        elif isinstance(e, boolean.Symbol):
            out.append(str(e.obj))
        elif isinstance(e, boolean.NOT):
            arg = e.args[0]
            simple = isinstance(arg, (boolean.Symbol, boolean.NOT, _TRUE_T, _FALSE_T))
            if simple:
                todo.append(arg)
            else:
                todo.extend([")", arg])
                out.append("!(")
                continue
            out.append("!")
        else:
            sep = " & " if isinstance(e, boolean.AND) else " | "
            parts: list[object] = []
            for i, arg in enumerate(e.args):
                if i:
                    parts.append(sep)
                needs = isinstance(arg, boolean.OR) or (
                    isinstance(arg, boolean.AND) and isinstance(e, boolean.AND)
                )
                if needs:
                    parts.extend(["(", arg, ")"])
                else:
                    parts.append(arg)
            todo.extend(reversed(parts))
    return "".join(out)


def symbols_of(expr: boolean.Expression) -> list[str]:
    """The names an expression mentions, in order of first appearance (iterative).

    Parameters
    ----------
    expr : boolean.Expression

    Returns
    -------
    list of str

    Examples
    --------
    >>> symbols_of(parse_expr("b & !a | b"))
    ['b', 'a']
    """
    seen: dict[str, None] = {}
    todo = [expr]
    while todo:
        e = todo.pop()
        if isinstance(e, boolean.Symbol):
            seen.setdefault(str(e.obj), None)
        elif e.args:
            todo.extend(reversed(e.args))
    return list(seen)


def fold(
    expr: boolean.Expression,
    symbol: Callable[[str], T],
    const: Callable[[int], T],
    neg: Callable[[T], T],
    conj: Callable[[list[T]], T],
    disj: Callable[[list[T]], T],
) -> T:
    """Evaluate an expression bottom-up with the given operations, iteratively (deep trees are
    fine): the one traversal behind :func:`evaluate` and BDD construction.

    Parameters
    ----------
    expr : boolean.Expression
    symbol : callable
        Name -> the value of a variable.
    const : callable
        0 or 1 -> the value of a constant.
    neg : callable
        The value of a negation, from its operand's.
    conj, disj : callable
        The value of an AND / OR, from the list of its operands' values.

    Returns
    -------
    object
        The value of the whole expression.

    Examples
    --------
    >>> fold(parse_expr("a & !b"), len, str, lambda v: -v, sum, max)
    0
    """
    values: list[T] = []
    todo: list[tuple[boolean.Expression, bool]] = [(expr, False)]
    while todo:
        e, done = todo.pop()
        if isinstance(e, boolean.Symbol):
            values.append(symbol(str(e.obj)))
        elif is_true(e):
            values.append(const(1))
        elif is_false(e):
            values.append(const(0))
        elif not done:
            todo.append((e, True))
            todo.extend((a, False) for a in reversed(e.args))
        else:
            k = len(e.args)
            args = values[-k:]
            del values[-k:]
            if isinstance(e, boolean.NOT):
                values.append(neg(args[0]))
            elif isinstance(e, boolean.AND):
                values.append(conj(args))
            else:
                values.append(disj(args))
    return values[0]


def evaluate(expr: boolean.Expression, state: Mapping[str, int]) -> int:
    """Value of an expression in a state.

    Parameters
    ----------
    expr : boolean.Expression
    state : mapping
        Every name the expression mentions -> 0/1.

    Returns
    -------
    int
        0 or 1.

    Examples
    --------
    >>> evaluate(parse_expr("a & !b"), {"a": 1, "b": 0})
    1
    """
    return fold(
        expr,
        lambda n: int(state[n]),
        int,
        lambda v: 1 - v,
        lambda vs: int(all(vs)),
        lambda vs: int(any(vs)),
    )
