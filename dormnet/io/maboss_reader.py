"""Reading MaBoSS models: a ``.bnd`` network with its ``.cfg`` into a
:class:`~dormnet.network.BooleanNetwork` and a :class:`~dormnet.stochastic_model.SimulationSetup`.

Reading (:func:`read_maboss`) turns a ``.bnd``/``.cfg`` pair into a :class:`BooleanNetwork` (each
node's ``logic``; a node with neither logic nor rates is an input) and a
:class:`~dormnet.simulate.SimulationSetup`: rates, initial states (``X.istate = 1;``,
``[X, Y].istate = 0.3 [0, 1], 0.7 [1, 0];``), internal nodes and run settings. Rate expressions
are evaluated with MaBoSS's meaning: a node without ``rate_up`` goes up at rate 1 while its logic
holds (``Node::getRateUp``), parameters (``$x``) and attributes (``@logic``) are substituted, and
a state-dependent rate becomes one piece per value it takes, found from its truth table over the
nodes it reads (at most :data:`MAX_RATE_SUPPORT`). Nothing is evaluated by Python: expressions
are parsed here and interpreted over their small grammar (numbers, nodes, ``$params``,
``@attributes``, ``! & | ^ && || AND OR NOT XOR``, comparisons, ``+ - * /``, ``c ? a : b`` and the
functions ``exp``, ``log``, ``log10``, ``pow``, ``sqrt``).

References
----------
Stoll G, Caron B, Viara E, et al. MaBoSS 2.0: an environment for stochastic Boolean modeling.
Bioinformatics 2017;33(14):2226-2228. DOI:10.1093/bioinformatics/btx123.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ModelError, Problem
from ..network import BooleanNetwork

if TYPE_CHECKING:
    import boolean

    from ..stochastic_model import SimulationSetup

__all__ = ["MAX_RATE_SUPPORT", "parse_maboss", "read_maboss", "read_maboss_cfg"]

#: a state-dependent rate expression may read at most this many nodes (its truth table is built)
MAX_RATE_SUPPORT = 16

_TOKEN = re.compile(
    r"""(?P<ws>[ \t\r\f\v]+)|(?P<nl>\n)|(?P<lc>//[^\n]*)|(?P<bc>/\*.*?\*/)
    |(?P<str>"[^"\n]*")
    |(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    |(?P<param>\$[A-Za-z_][A-Za-z0-9_]*)|(?P<attr>@[A-Za-z_][A-Za-z0-9_]*)
    |(?P<name>[A-Za-z_][A-Za-z0-9_.]*)
    |(?P<op>&&|\|\||==|!=|<=|>=|[&|!^?:+\-*/<>(){}\[\],;=.])""",
    re.VERBOSE | re.DOTALL,
)
_WORD_OPS = {"AND": "&", "OR": "|", "NOT": "!", "XOR": "^"}
_FUNCTIONS: dict[str, Callable[..., float]] = {
    "exp": math.exp,
    "log": lambda x, base=math.e: math.log(x, base),
    "log10": math.log10,
    "pow": math.pow,
    "sqrt": math.sqrt,
}
_CFG_SETTINGS = {
    "time_tick": "time_step",
    "max_time": "max_time",
    "sample_count": "trajectories",
    "discrete_time": "discrete_time",
    "seed_pseudorandom": "seed",
}
#: settings of MaBoSS runs that do not change the probabilities dormnet computes
_CFG_IGNORED = frozenset(
    {
        "thread_count",
        "use_physrandgen",
        "use_glibcrandgen",
        "use_mtrandgen",
        "display_traj",
        "statdist_traj_count",
        "statdist_cluster_threshold",
        "statdist_similarity_cache_max_size",
    }
)
_NODE_CFG_ATTRS = frozenset({"istate", "is_internal", "refstate", "in_graph", "is_mutable"})

Expr = tuple  # a parsed expression: ("num", v) | ("param", n) | ("node", n) | ("attr", n) | ...


class _Syntax(Exception):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message, self.line = message, line


class _Parser:
    """Tokens of a .bnd or .cfg text, and a precedence-climbing expression parser."""

    def __init__(self, text: str):
        self.toks: list[tuple[str, str, int]] = []
        line = 1
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None:
                raise _Syntax(f"unexpected character {text[pos]!r}", line)
            kind = m.lastgroup or ""
            value = m.group()
            if kind in ("name",) and value.upper() in _WORD_OPS:
                kind, value = "op", _WORD_OPS[value.upper()]
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
            raise _Syntax(f"expected {value!r}, found {v or 'the end'!r}", line)

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
                if v not in _FUNCTIONS:
                    raise _Syntax(
                        f"unknown function {v!r} (dormnet knows {', '.join(_FUNCTIONS)})", line
                    )
                return ("call", v, tuple(args), line)
            return ("node", v, line)
        raise _Syntax(f"unexpected {v or 'end of file'!r} in an expression", line)


def _nodes_of(e: Expr, attrs: Mapping[str, Expr], seen: tuple[str, ...] = ()) -> set[str]:
    """Node names an expression reads, through the attributes it refers to."""
    kind = e[0]
    if kind == "node":
        return {e[1]}
    if kind == "attr":
        if e[1] in seen:
            raise _Syntax(f"@{e[1]} refers to itself", e[2])
        if e[1] not in attrs:
            raise _Syntax(f"unknown attribute @{e[1]}", e[2])
        return _nodes_of(attrs[e[1]], attrs, (*seen, e[1]))
    out: set[str] = set()
    for part in e[1:]:
        if isinstance(part, tuple):
            out |= _nodes_of(part, attrs, seen)
    if kind == "call":
        for a in e[2]:
            out |= _nodes_of(a, attrs, seen)
    return out


def _eval(e: Expr, state: Mapping[str, int], attrs: Mapping[str, Expr], params: Mapping) -> float:
    """The value of an expression in a state (Booleans are 0.0 / 1.0)."""
    kind = e[0]
    if kind == "num":
        return e[1]
    if kind == "node":
        return float(state[e[1]])
    if kind == "param":
        if e[1] not in params:
            raise _Syntax(f"undefined parameter ${e[1]}", e[2])
        return params[e[1]]
    if kind == "attr":
        return _eval(attrs[e[1]], state, attrs, params)
    if kind == "not":
        return 0.0 if _eval(e[1], state, attrs, params) else 1.0
    if kind == "neg":
        return -_eval(e[1], state, attrs, params)
    if kind == "ite":
        branch = e[2] if _eval(e[1], state, attrs, params) else e[3]
        return _eval(branch, state, attrs, params)
    if kind == "call":
        args = [_eval(a, state, attrs, params) for a in e[2]]
        try:
            return float(_FUNCTIONS[e[1]](*args))
        except (ValueError, TypeError, ZeroDivisionError, OverflowError) as err:
            raise _Syntax(f"{e[1]}{tuple(args)}: {err}", e[3]) from None
    op, a, b = e[1], _eval(e[2], state, attrs, params), _eval(e[3], state, attrs, params)
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
        raise _Syntax("division by zero", _first_line(e))
    return a / b


def _first_line(e: Expr) -> int:
    for part in e[1:]:
        if isinstance(part, int) and not isinstance(part, bool):
            return part
        if isinstance(part, tuple):
            line = _first_line(part)
            if line:
                return line
    return 0


def _pieces(
    e: Expr,
    node: str,
    value: int,
    attrs: Mapping[str, Expr],
    params: Mapping[str, float],
) -> dict[float, list[dict[str, int]]]:
    """A rate expression of ``node`` (evaluated while ``node == value``) as its truth table:
    rate -> the assignments (of the other nodes it reads) giving that rate, zero dropped."""
    import itertools

    support = sorted(_nodes_of(e, attrs) - {node})
    if len(support) > MAX_RATE_SUPPORT:
        raise _Syntax(
            f"the rate of {node} reads {len(support)} nodes; dormnet tabulates rate expressions "
            f"of at most {MAX_RATE_SUPPORT}",
            _first_line(e),
        )
    out: dict[float, list[dict[str, int]]] = {}
    for bits in itertools.product((0, 1), repeat=len(support)):
        state = dict(zip(support, bits))
        state[node] = value
        r = _eval(e, state, attrs, params)
        if not (math.isfinite(r) and r >= 0):
            raise _Syntax(f"the rate of {node} is {r} in state {state}", _first_line(e))
        if r:
            out.setdefault(r, []).append({k: v for k, v in state.items() if k != node})
    return out


def _as_expr(minterms: list[dict[str, int]]) -> boolean.Expression:
    """A boolean.py expression (its prime implicants) for a set of assignments."""
    from ..bdd import BDD
    from ..expr import ALGEBRA, TRUE

    names = sorted({k for m in minterms for k in m})
    if not names:
        return TRUE
    bdd = BDD(names)
    cubes = bdd.primes(bdd.from_cubes(minterms))
    terms = []
    for c in cubes:
        lits = [ALGEBRA.Symbol(k) if v else ALGEBRA.NOT(ALGEBRA.Symbol(k)) for k, v in c.items()]
        terms.append(lits[0] if len(lits) == 1 else ALGEBRA.AND(*lits) if lits else TRUE)
    return terms[0] if len(terms) == 1 else ALGEBRA.OR(*terms)


def _parse_cfg(
    text: str, source: str, problems: list[Problem]
) -> tuple[dict[str, float], list[tuple[str, str, Any, int]], dict[str, tuple[Any, int]]]:
    """Parameters, node statements ``(node(s), attribute, value, line)`` and settings."""
    params: dict[str, float] = {}
    node_stmts: list[tuple[Any, str, Any, int]] = []
    settings: dict[str, tuple[Any, int]] = {}
    try:
        p = _Parser(text)
    except _Syntax as e:
        problems.append(Problem(e.message, source, e.line))
        return params, [], settings
    while p.peek()[0] != "eof":
        start = p.i
        try:
            kind, v, line = p.peek()
            if kind == "param":
                p.next()
                p.expect("=")
                params[v[1:]] = _eval(p.expr(), {}, {}, params)
            elif kind == "op" and v == "[":
                p.next()
                names = [p.next()[1]]
                while p.at(","):
                    p.next()
                    names.append(p.next()[1])
                p.expect("]")
                p.expect(".")
                attr = p.next()[1]
                if attr != "istate":
                    raise _Syntax(f"expected .istate after [{', '.join(names)}]", line)
                p.expect("=")
                options = []
                while True:
                    prob = _eval(p.expr(), {}, {}, params)
                    p.expect("[")
                    vals = [_eval(p.expr(), {}, {}, params)]
                    while p.at(","):
                        p.next()
                        vals.append(_eval(p.expr(), {}, {}, params))
                    p.expect("]")
                    options.append((prob, vals))
                    if not p.at(","):
                        break
                    p.next()
                node_stmts.append((tuple(names), "istate", options, line))
            elif kind == "name" and "." in v:
                p.next()
                node, attr = v.rsplit(".", 1)
                if attr not in _NODE_CFG_ATTRS:
                    raise _Syntax(f"unknown node setting {attr!r} of {node}", line)
                p.expect("=")
                value_expr = p.expr()
                if p.at("["):
                    raise _Syntax(
                        f"a distribution needs brackets around the node: [{node}].{attr} = ...",
                        line,
                    )
                node_stmts.append((node, attr, _eval(value_expr, {}, {}, params), line))
            elif kind == "name":
                p.next()
                p.expect("=")
                value = _eval(p.expr(), {}, {}, params)
                if v not in _CFG_SETTINGS and v not in _CFG_IGNORED:
                    raise _Syntax(f"unknown setting {v!r}", line)
                settings[v] = (value, line)
            else:
                raise _Syntax(f"unexpected {v!r}", line)
            p.expect(";")
        except _Syntax as e:
            problems.append(Problem(e.message, source, e.line))
            # resume after the next ';'
            p.i = max(p.i, start + 1)
            while p.peek()[0] != "eof" and not p.at(";"):
                p.next()
            p.next()
    return params, node_stmts, settings


def _parse_bnd(
    text: str, source: str, problems: list[Problem]
) -> tuple[dict[str, dict[str, tuple[Any, int]]], dict[str, Expr]]:
    """Node blocks: node -> attribute -> (expression or string, line); and parameters."""
    nodes: dict[str, dict[str, tuple[Any, int]]] = {}
    params: dict[str, Expr] = {}
    try:
        p = _Parser(text)
    except _Syntax as e:
        problems.append(Problem(e.message, source, e.line))
        return nodes, params
    while p.peek()[0] != "eof":
        try:
            kind, v, line = p.next()
            if kind == "param":
                p.expect("=")
                params[v[1:]] = p.expr()
                p.expect(";")
                continue
            if kind != "name" or v.lower() != "node":
                raise _Syntax(f"expected 'Node NAME {{ ... }}', found {v!r}", line)
            kind, name, line = p.next()
            if kind != "name":
                raise _Syntax(f"expected a node name after 'Node', found {name!r}", line)
            if name in nodes:
                raise _Syntax(f"duplicate node {name!r}", line)
            attrs: dict[str, tuple[Any, int]] = {}
            p.expect("{")
            while not p.at("}"):
                kind, attr, aline = p.next()
                if kind != "name":
                    raise _Syntax(f"expected an attribute name, found {attr!r}", aline)
                p.expect("=")
                if p.peek()[0] == "str":
                    attrs[attr] = (p.next()[1][1:-1], aline)
                else:
                    attrs[attr] = (p.expr(), aline)
                p.expect(";")
            p.expect("}")
            nodes[name] = attrs
        except _Syntax as e:
            problems.append(Problem(e.message, source, e.line))
            break  # the rest of a broken block would only add noise
    return nodes, params


def _to_bool(e: Expr, attrs: Mapping[str, Expr], params: Mapping[str, float]):
    """A logic expression as a boolean.py expression, or None where it is not Boolean
    (arithmetic or comparisons of node values)."""
    from ..expr import ALGEBRA, FALSE, TRUE

    kind = e[0]
    if kind in ("num", "param") or (kind == "call"):
        return TRUE if _eval(e, {}, attrs, params) else FALSE
    if kind == "node":
        return ALGEBRA.Symbol(e[1])
    if kind == "attr":
        return _to_bool(attrs[e[1]], attrs, params)
    if kind == "not":
        a = _to_bool(e[1], attrs, params)
        return None if a is None else ALGEBRA.NOT(a)
    if kind == "ite":
        c, a, b = (_to_bool(x, attrs, params) for x in e[1:])
        if c is None or a is None or b is None:
            return None
        if c == TRUE or c == FALSE:  # a parameter chose the branch
            return a if c == TRUE else b
        return ALGEBRA.OR(ALGEBRA.AND(c, a), ALGEBRA.AND(ALGEBRA.NOT(c), b))
    if kind == "bin" and e[1] in "|&^":
        a, b = _to_bool(e[2], attrs, params), _to_bool(e[3], attrs, params)
        if a is None or b is None:
            return None
        if e[1] == "|":
            return (
                TRUE
                if TRUE in (a, b)
                else b
                if a == FALSE
                else a
                if b == FALSE
                else ALGEBRA.OR(a, b)
            )
        if e[1] == "&":
            return (
                FALSE
                if FALSE in (a, b)
                else b
                if a == TRUE
                else a
                if b == TRUE
                else ALGEBRA.AND(a, b)
            )
        return ALGEBRA.OR(ALGEBRA.AND(a, ALGEBRA.NOT(b)), ALGEBRA.AND(ALGEBRA.NOT(a), b))
    return None


def parse_maboss(
    bnd: str,
    cfg: str = "",
    *,
    bnd_source: str = "<bnd>",
    cfg_source: str = "<cfg>",
) -> tuple[BooleanNetwork, SimulationSetup]:
    """A network and its simulation setup from MaBoSS ``.bnd`` and ``.cfg`` texts.

    Parameters
    ----------
    bnd : str
        The ``.bnd`` text (nodes, logic, rates).
    cfg : str
        The ``.cfg`` text (parameters, initial states, run settings); may be empty.
    bnd_source, cfg_source : str
        File names for the messages.

    Returns
    -------
    tuple of (BooleanNetwork, SimulationSetup)

    Raises
    ------
    ModelError
        Listing every problem with its file and line: syntax, undefined parameters or
        attributes, unknown nodes, rates that are negative or read too many nodes.

    Examples
    --------
    >>> from dormnet.io.maboss import format_maboss
    >>> net, setup = parse_maboss(*format_maboss(BooleanNetwork({"a": "a", "b": "a & !b"})))
    >>> net.rule("b").function, setup.rates, setup.max_time
    ('a & !b', {'a': (1.0, 1.0), 'b': (1.0, 1.0)}, 100.0)
    """
    from ..expr import ALGEBRA
    from ..stochastic_model import SimulationSetup, Transition

    problems: list[Problem] = []
    blocks, bnd_params = _parse_bnd(bnd, bnd_source, problems)
    params, node_stmts, settings = _parse_cfg(cfg, cfg_source, problems)
    for name, e in bnd_params.items():
        if name not in params:
            try:
                params[name] = _eval(e, {}, {}, params)
            except _Syntax as err:
                problems.append(Problem(err.message, bnd_source, err.line))
    if problems:
        raise ModelError(problems, bnd_source)
    rules: dict[str, Any] = {}
    setup = SimulationSetup()
    for node, attrs in blocks.items():
        exprs = {k: v[0] for k, v in attrs.items() if isinstance(v[0], tuple)}
        line = next(iter(attrs.values()))[1] if attrs else None
        try:
            unknown: set[str] = set()
            for e in exprs.values():
                unknown |= _nodes_of(e, exprs)
            unknown -= set(blocks)
            if unknown:
                raise _Syntax(f"node {node} reads undefined node {min(unknown)!r}", line or 0)
            logic = exprs.get("logic")
            up_e = exprs.get("rate_up")
            down_e = exprs.get("rate_down")
            if logic is None and up_e is None and down_e is None:
                rules[node] = node  # an input: MaBoSS never moves it (Node::isInputNode)
                setup.rates[node] = (1.0, 1.0)
                continue
            if up_e is None:  # Node::getRateUp: 1 while the logic holds
                up_e = ("ite", logic, ("num", 1.0), ("num", 0.0)) if logic else ("num", 0.0)
            if down_e is None:
                down_e = ("ite", logic, ("num", 0.0), ("num", 1.0)) if logic else ("num", 0.0)
            up = _pieces(up_e, node, 0, exprs, params)
            down = _pieces(down_e, node, 1, exprs, params)
            up_t = tuple((r, _as_expr(ms)) for r, ms in sorted(up.items()))
            down_t = tuple((r, _as_expr(ms)) for r, ms in sorted(down.items()))
            f = _to_bool(logic, exprs, params) if logic is not None else None
            if logic is not None and f is None:  # arithmetic in the logic: tabulate it
                table = _pieces(("ite", logic, ("num", 1.0), ("num", 0.0)), "", 0, exprs, params)
                f = _as_expr(table[1.0]) if 1.0 in table else ALGEBRA.FALSE
        except _Syntax as err:
            problems.append(Problem(err.message, bnd_source, err.line or line))
            continue
        if f is None:
            # no logic: the function the rates realise, up | (node & !down)
            f = ALGEBRA.OR(
                _any(c for _, c in up_t),
                ALGEBRA.AND(ALGEBRA.Symbol(node), ALGEBRA.NOT(_any(c for _, c in down_t))),
            )
        rules[node] = f
        # the standard form, rate u while f and d while not f, is kept as plain rates
        standard = _standard_rates(node, f, up_t, down_t)
        if standard is not None:
            setup.rates[node] = standard  # type: ignore[assignment]
        else:
            setup.rates[node] = Transition(up_t, down_t)
    if problems:
        raise ModelError(problems, bnd_source)
    try:
        net = BooleanNetwork(rules, source=bnd_source)
    except ModelError as e:
        raise ModelError(e.problems, bnd_source) from None
    _apply_cfg(net, setup, node_stmts, settings, cfg_source, problems)
    if problems:
        raise ModelError(problems, cfg_source)
    return net, setup


def _any(conds) -> boolean.Expression:
    from ..expr import ALGEBRA

    conds = list(conds)
    if not conds:
        return ALGEBRA.FALSE
    return conds[0] if len(conds) == 1 else ALGEBRA.OR(*conds)


def _standard_rates(node: str, f, up_t, down_t) -> tuple[float, float] | None:
    """``(u, d)`` when the rates are the standard ``u while f, d while not f`` (one rate each
    way, on exactly the states where ``f`` says to move); None otherwise."""
    from ..bdd import BDD
    from ..expr import symbols_of

    if len(up_t) > 1 or len(down_t) > 1:
        return None
    names = sorted(
        set(symbols_of(f)) | {node} | {s for _, c in up_t + down_t for s in symbols_of(c)}
    )
    bdd = BDD(names)
    fb = bdd.from_expr(f)
    f0, f1 = bdd.restrict(fb, node, 0), bdd.restrict(fb, node, 1)
    ub = bdd.restrict(bdd.from_expr(up_t[0][1]), node, 0) if up_t else 0
    db = bdd.restrict(bdd.from_expr(down_t[0][1]), node, 1) if down_t else 0
    if ub != f0 or db != bdd.neg(f1):
        return None
    # a direction that is never taken may have any rate: 1, the default
    return (up_t[0][0] if up_t else 1.0, down_t[0][0] if down_t else 1.0)


def _apply_cfg(
    net: BooleanNetwork,
    setup: SimulationSetup,
    node_stmts: list[tuple[Any, str, Any, int]],
    settings: Mapping[str, tuple[Any, int]],
    source: str,
    problems: list[Problem],
) -> None:
    """Initial states, internal nodes and run settings of a .cfg, checked against ``net``."""
    from ..network import unknown_name_message

    internal: list[str] = []
    declared: set[str] = set()
    for names, attr, value, line in node_stmts:
        members = [names] if isinstance(names, str) else list(names)
        bad = [m for m in members if m not in net]
        if bad:
            problems.append(Problem(unknown_name_message(bad[0], net.nodes, "node"), source, line))
            continue
        if attr == "istate":
            twice = [m for m in members if m in declared]
            declared.update(members)
            if twice:  # as MaBoSS: "duplicate node istate declaration"
                problems.append(Problem(f"duplicate istate of {twice[0]}", source, line))
                continue
        if attr == "is_internal":
            if value:
                internal.append(members[0])
            continue
        if attr != "istate":
            continue  # refstate, in_graph, is_mutable: no effect on the probabilities
        key = members[0] if isinstance(names, str) else tuple(members)
        if isinstance(names, str):
            if value not in (0.0, 1.0):
                problems.append(
                    Problem(f"{names}.istate must be 0 or 1, not {value:g}", source, line)
                )
                continue
            setup.initial[key] = float(value)
            continue
        dist: dict[tuple[int, ...], float] = {}
        for prob, vals in value:
            if len(vals) != len(members) or any(v not in (0.0, 1.0) for v in vals) or prob < 0:
                problems.append(
                    Problem(
                        f"[{', '.join(members)}].istate: each option needs a probability >= 0 "
                        f"and {len(members)} values 0/1",
                        source,
                        line,
                    )
                )
                break
            k = tuple(int(v) for v in vals)
            dist[k] = dist.get(k, 0.0) + prob
        else:
            if sum(dist.values()) <= 0:
                problems.append(Problem("initial probabilities sum to 0", source, line))
            elif len(members) == 1:
                total = sum(dist.values())
                setup.initial[members[0]] = dist.get((1,), 0.0) / total
            else:
                setup.initial[key] = dist
    setup.internal = tuple(internal)
    for key, (value, line) in settings.items():
        target = _CFG_SETTINGS.get(key)
        if target is None:
            continue
        if target in ("trajectories", "seed"):
            setattr(setup, target, int(value))
        elif target == "discrete_time":
            setup.discrete_time = bool(value)
        elif value <= 0:
            problems.append(Problem(f"{key} must be positive, not {value:g}", source, line))
        else:
            setattr(setup, target, float(value))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ModelError(f"cannot read file: {e}", str(path)) from None


def read_maboss(
    bnd: str | os.PathLike[str], cfg: str | os.PathLike[str] | None = None
) -> tuple[BooleanNetwork, SimulationSetup]:
    """Read a MaBoSS model: ``model.bnd`` and its ``.cfg`` (default: ``model.cfg`` beside it,
    if it exists).

    Parameters
    ----------
    bnd : path
    cfg : path, optional

    Raises
    ------
    ModelError
        Every problem of either file, with its file and line (see :func:`parse_maboss`).

    Returns
    -------
    (BooleanNetwork, SimulationSetup)
    """
    bnd_path = Path(bnd)
    cfg_path = Path(cfg) if cfg is not None else bnd_path.with_suffix(".cfg")
    cfg_text = _read_text(cfg_path) if (cfg is not None or cfg_path.exists()) else ""
    return parse_maboss(
        _read_text(bnd_path), cfg_text, bnd_source=str(bnd_path), cfg_source=str(cfg_path)
    )


def read_maboss_cfg(path: str | os.PathLike[str], net: BooleanNetwork) -> SimulationSetup:
    """Rates, initial states and settings of a MaBoSS ``.cfg`` for a network read elsewhere
    (a BNET file): the parameters ``$u_X`` and ``$d_X`` are the rates of ``X``, as
    :func:`~dormnet.io.maboss.format_maboss` writes them; other parameters are not used.

    Parameters
    ----------
    path : path
        The ``.cfg`` file.
    net : BooleanNetwork
        The network its node names are checked against.

    Returns
    -------
    SimulationSetup

    Raises
    ------
    ModelError
        Every problem of the file, with its line.
    """
    from ..stochastic_model import SimulationSetup

    path = Path(path)
    problems: list[Problem] = []
    params, node_stmts, settings = _parse_cfg(_read_text(path), str(path), problems)
    setup = SimulationSetup()
    for n in net.nodes:
        u, d = params.get(f"u_{n}"), params.get(f"d_{n}")
        if u is not None or d is not None:
            setup.rates[n] = (1.0 if u is None else u, 1.0 if d is None else d)
            if min(setup.rates[n]) < 0:  # type: ignore[arg-type]
                problems.append(Problem(f"negative rate of {n}", str(path)))
    _apply_cfg(net, setup, node_stmts, settings, str(path), problems)
    if problems:
        raise ModelError(problems, str(path))
    return setup
