"""MaBoSS's expression language, for :mod:`dormnet.io.maboss_reader`: the tokens of ``.bnd`` and
``.cfg`` files, a parser into small tuples (:data:`Expr`), and their evaluation.

Nothing is evaluated by Python: expressions are interpreted over their small grammar (numbers,
nodes, ``$params``, ``@attributes``, ``! & | ^ && || AND OR NOT XOR``, comparisons,
``+ - * /``, ``c ? a : b`` and the functions ``exp``, ``log``, ``log10``, ``pow``, ``sqrt``).
Private: the reader is the interface.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping

__all__ = [
    "FUNCTIONS",
    "TOKEN",
    "WORD_OPS",
    "Expr",
    "Parser",
    "Syntax",
    "evaluate",
    "first_line",
    "nodes_of",
]

TOKEN = re.compile(
    r"""(?P<ws>[ \t\r\f\v]+)|(?P<nl>\n)|(?P<lc>//[^\n]*)|(?P<bc>/\*.*?\*/)
    |(?P<str>"[^"\n]*")
    |(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    |(?P<param>\$[A-Za-z_][A-Za-z0-9_]*)|(?P<attr>@[A-Za-z_][A-Za-z0-9_]*)
    |(?P<name>[A-Za-z_][A-Za-z0-9_.]*)
    |(?P<op>&&|\|\||==|!=|<=|>=|[&|!^?:+\-*/<>(){}\[\],;=.])""",
    re.VERBOSE | re.DOTALL,
)
WORD_OPS = {"AND": "&", "OR": "|", "NOT": "!", "XOR": "^"}
FUNCTIONS: dict[str, Callable[..., float]] = {
    "exp": math.exp,
    "log": lambda x, base=math.e: math.log(x, base),
    "log10": math.log10,
    "pow": math.pow,
    "sqrt": math.sqrt,
}

Expr = tuple  # a parsed expression: ("num", v) | ("param", n) | ("node", n) | ("attr", n) | ...


class Syntax(Exception):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message, self.line = message, line


class Parser:
    """Tokens of a .bnd or .cfg text, and a precedence-climbing expression parser."""

    def __init__(self, text: str):
        self.toks: list[tuple[str, str, int]] = []
        line = 1
        pos = 0
        while pos < len(text):
            m = TOKEN.match(text, pos)
            if m is None:
                raise Syntax(f"unexpected character {text[pos]!r}", line)
            kind = m.lastgroup or ""
            value = m.group()
            if kind in ("name",) and value.upper() in WORD_OPS:
                kind, value = "op", WORD_OPS[value.upper()]
            if kind not in ("ws", "nl", "lc", "bc"):
                self.toks.append((kind, value, line))
            line += value.count("\n")
            pos = m.end()
        self.i = 0

    def peek(self, k: int = 0) -> tuple[str, str, int]:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else ("eof", "", self.line)

    @property
    def line(self) -> int:
        if self.i < len(self.toks):
            return self.toks[self.i][2]
        return self.toks[-1][2] if self.toks else 1

    def next(self) -> tuple[str, str, int]:
        tok = self.peek()
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        kind, v, line = self.next()
        if v != value or kind not in ("op",):
            raise Syntax(f"expected {value!r}, found {v or 'the end'!r}", line)

    def at(self, value: str) -> bool:
        kind, v, _ = self.peek()
        return kind == "op" and v == value

    # precedence: ?: < | < ^ < & < == != < < > <= >= < + - < * / < unary
    _LEVELS: tuple[tuple[str, ...], ...] = (
        ("|", "||"),
        ("^",),
        ("&", "&&"),
        ("==", "!="),
        ("<", ">", "<=", ">="),
        ("+", "-"),
        ("*", "/"),
    )

    def expr(self) -> Expr:
        cond = self.binary(0)
        if self.at("?"):
            self.next()
            a = self.expr()
            self.expect(":")
            b = self.expr()
            return ("ite", cond, a, b)
        return cond

    def binary(self, level: int) -> Expr:
        if level == len(self._LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek()[0] == "op" and self.peek()[1] in self._LEVELS[level]:
            op = self.next()[1]
            op = {"||": "|", "&&": "&"}.get(op, op)
            left = ("bin", op, left, self.binary(level + 1))
        return left

    def unary(self) -> Expr:
        kind, v, line = self.next()
        if kind == "op" and v == "!":
            return ("not", self.unary())
        if kind == "op" and v == "-":
            return ("neg", self.unary())
        if kind == "op" and v == "+":
            return self.unary()
        if kind == "op" and v == "(":
            e = self.expr()
            self.expect(")")
            return e
        if kind == "num":
            return ("num", float(v))
        if kind == "param":
            return ("param", v[1:], line)
        if kind == "attr":
            return ("attr", v[1:], line)
        if kind == "name":
            if v.upper() in ("TRUE", "FALSE"):
                return ("num", 1.0 if v.upper() == "TRUE" else 0.0)
            if self.at("("):
                self.next()
                args = [] if self.at(")") else [self.expr()]
                while self.at(","):
                    self.next()
                    args.append(self.expr())
                self.expect(")")
                if v not in FUNCTIONS:
                    raise Syntax(
                        f"unknown function {v!r} (dormnet knows {', '.join(FUNCTIONS)})", line
                    )
                return ("call", v, tuple(args), line)
            return ("node", v, line)
        raise Syntax(f"unexpected {v or 'end of file'!r} in an expression", line)


def nodes_of(e: Expr, attrs: Mapping[str, Expr], seen: tuple[str, ...] = ()) -> set[str]:
    """Node names an expression reads, through the attributes it refers to."""
    kind = e[0]
    if kind == "node":
        return {e[1]}
    if kind == "attr":
        if e[1] in seen:
            raise Syntax(f"@{e[1]} refers to itself", e[2])
        if e[1] not in attrs:
            raise Syntax(f"unknown attribute @{e[1]}", e[2])
        return nodes_of(attrs[e[1]], attrs, (*seen, e[1]))
    out: set[str] = set()
    for part in e[1:]:
        if isinstance(part, tuple):
            out |= nodes_of(part, attrs, seen)
    if kind == "call":
        for a in e[2]:
            out |= nodes_of(a, attrs, seen)
    return out


def evaluate(
    e: Expr, state: Mapping[str, int], attrs: Mapping[str, Expr], params: Mapping
) -> float:
    """The value of an expression in a state (Booleans are 0.0 / 1.0)."""
    kind = e[0]
    if kind == "num":
        return e[1]
    if kind == "node":
        return float(state[e[1]])
    if kind == "param":
        if e[1] not in params:
            raise Syntax(f"undefined parameter ${e[1]}", e[2])
        return params[e[1]]
    if kind == "attr":
        return evaluate(attrs[e[1]], state, attrs, params)
    if kind == "not":
        return 0.0 if evaluate(e[1], state, attrs, params) else 1.0
    if kind == "neg":
        return -evaluate(e[1], state, attrs, params)
    if kind == "ite":
        branch = e[2] if evaluate(e[1], state, attrs, params) else e[3]
        return evaluate(branch, state, attrs, params)
    if kind == "call":
        args = [evaluate(a, state, attrs, params) for a in e[2]]
        try:
            return float(FUNCTIONS[e[1]](*args))
        except (ValueError, TypeError, ZeroDivisionError, OverflowError) as err:
            raise Syntax(f"{e[1]}{tuple(args)}: {err}", e[3]) from None
    op, a, b = e[1], evaluate(e[2], state, attrs, params), evaluate(e[3], state, attrs, params)
    if op == "|":
        return float(bool(a) or bool(b))
    if op == "&":
        return float(bool(a) and bool(b))
    if op == "^":
        return float(bool(a) != bool(b))
    if op == "==":
        return float(a == b)
    if op == "!=":
        return float(a != b)
    if op == "<":
        return float(a < b)
    if op == ">":
        return float(a > b)
    if op == "<=":
        return float(a <= b)
    if op == ">=":
        return float(a >= b)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        raise Syntax("division by zero", first_line(e))
    return a / b


def first_line(e: Expr) -> int:
    for part in e[1:]:
        if isinstance(part, int) and not isinstance(part, bool):
            return part
        if isinstance(part, tuple):
            line = first_line(part)
            if line:
                return line
    return 0
