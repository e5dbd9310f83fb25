"""Models as objects across tools: a :class:`~dormnet.BooleanNetwork` to and from colomoto's
``minibn``, mpbn, biodivine-aeon and pyboolnet's prime implicants, in memory, without files.

In a CoLoMoTo notebook, models move between tools as objects: colomoto's
``minibn.BooleanNetwork`` (a dict of boolean.py expressions, in the PyPI package
``colomoto-jupyter``) is the common currency, mpbn's ``MPBooleanNetwork`` is a subclass of it,
biodivine-aeon has its own ``BooleanNetwork``, and pyboolnet works on prime implicants. Every
conversion keeps the node names, their order and every node's function (the same Boolean
function; its printed form may differ: mpbn rewrites rules in DNF, AEON's operators are binary).
Comments, and so the references of the rules, have no place in these objects and are not carried.

Conventions on the way in:

- an input is a node whose function is itself (``x, x``), as in BNET: in AEON a variable with
  no function and no regulator becomes one; a variable with regulators but no function, or a
  function with an uninterpreted parameter (``f(a, b)``), is a parametrised model, not one network,
  and raises :class:`~dormnet.errors.ConversionError`;
- AEON's ``=>``, ``<=>`` and ``^`` are rewritten with ``!``, ``&`` and ``|``;
- a name dormnet does not accept (``β-catenin``, ``1a``, ``true``), or a regulator without a
  rule, raises :class:`~dormnet.errors.BnetError` listing every problem, as for a BNET file.

The peer packages are imported only when a conversion to or from them is asked for.

Examples
--------
>>> from dormnet import BooleanNetwork
>>> net = BooleanNetwork({"a": "a", "b": "a & !c", "c": "b | c"})
>>> bn = to_minibn(net)
>>> sorted(bn.items())
[('a', Symbol('a')), ('b', AND(Symbol('a'), NOT(Symbol('c')))), ('c', OR(Symbol('b'), Symbol('c')))]
>>> from_minibn(bn) == net
True
>>> from_primes(to_primes(net)) == net
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import boolean

from ..errors import ConversionError
from ..expr import ALGEBRA, FALSE, TRUE, fold, symbols_of
from ..network import BooleanNetwork
from ..normal_form import network_primes

__all__ = [
    "from_aeon",
    "from_minibn",
    "from_mpbn",
    "from_primes",
    "to_aeon",
    "to_minibn",
    "to_mpbn",
    "to_primes",
]

_AND, _OR, _NOT, _Symbol = ALGEBRA.AND, ALGEBRA.OR, ALGEBRA.NOT, ALGEBRA.Symbol
_TRUE_BASE, _FALSE_BASE = boolean.boolean._TRUE, boolean.boolean._FALSE
#: AEON's arrows for dormnet's (semantic) regulator signs; all three are essential regulations
_ARROW = {"positive": "->", "negative": "-|", "dual": "-?"}


def _chain(op: str, items: list[Any], leaf: Callable[[Any], Any]) -> tuple[str, list[Any]]:
    """An n-ary ``op`` node whose nested ``op`` children are merged into it.

    Values of the bottom-up folds below are finished leaves or ``(op, items)`` chains still open
    to merging, so ``((a & b) & c) & d`` (10,000 levels deep in some published rules) becomes one
    node with four arguments instead of a 10,000-deep tree."""
    out: list[Any] = []
    for x in items:
        if isinstance(x, tuple) and x[0] == op:
            out.extend(x[1])
        else:
            out.append(leaf(x))
    return op, out


# -- colomoto minibn and mpbn ----------------------------------------------------------------


def to_minibn(net: BooleanNetwork) -> Any:
    """The network as a ``colomoto.minibn.BooleanNetwork``.

    Parameters
    ----------
    net : BooleanNetwork

    Returns
    -------
    colomoto.minibn.BooleanNetwork
        The nodes in the network's order, each with its function as an expression of the
        minibn object's own boolean.py algebra (``minibn``'s ``!`` NOT, ``TRUE``/``FALSE``).

    Examples
    --------
    >>> bn = to_minibn(BooleanNetwork({"a": "!b", "b": "!a"}))
    >>> bn({"a": 0, "b": 0})
    {'a': 1, 'b': 1}
    """
    from colomoto import minibn

    bn = minibn.BooleanNetwork()
    ba = bn.ba

    def leaf(x: Any) -> Any:
        if isinstance(x, tuple):
            return (ba.AND if x[0] == "and" else ba.OR)(*x[1])
        return x

    for n in net.nodes:
        value = fold(
            net.rule(n).expr,
            ba.Symbol,
            lambda v: ba.TRUE if v else ba.FALSE,
            lambda x: ba.NOT(leaf(x)),
            lambda xs: _chain("and", xs, leaf),
            lambda xs: _chain("or", xs, leaf),
        )
        bn[n] = leaf(value)
    return bn


def to_mpbn(net: BooleanNetwork, **options: Any) -> Any:
    """The network as an ``mpbn.MPBooleanNetwork`` (most permissive dynamics).

    Parameters
    ----------
    net : BooleanNetwork
    **options
        Passed to ``mpbn.MPBooleanNetwork`` (``encoding``, ``simplify``, ``auto_dnf``...).

    Returns
    -------
    mpbn.MPBooleanNetwork
        mpbn rewrites each function in disjunctive normal form (the same function).

    Examples
    --------
    >>> mbn = to_mpbn(BooleanNetwork({"a": "!b", "b": "!a"}))
    >>> sorted(sorted(fp.items()) for fp in mbn.fixedpoints())
    [[('a', 0), ('b', 1)], [('a', 1), ('b', 0)]]
    """
    import mpbn

    return mpbn.MPBooleanNetwork(to_minibn(net), **options)


def _from_boolean_py(expr: Any, where: str) -> boolean.Expression:
    """A boolean.py expression of any algebra (minibn's, mpbn's) in dormnet's algebra."""
    values: list[Any] = []
    todo: list[tuple[Any, bool]] = [(expr, False)]

    def leaf(x: Any) -> Any:
        if isinstance(x, tuple):
            return (_AND if x[0] == "and" else _OR)(*x[1])
        return x

    while todo:
        e, done = todo.pop()
        if isinstance(e, bool) or (isinstance(e, int) and e in (0, 1)):
            values.append(TRUE if e else FALSE)
        elif isinstance(e, _TRUE_BASE):
            values.append(TRUE)
        elif isinstance(e, _FALSE_BASE):
            values.append(FALSE)
        elif isinstance(e, boolean.Symbol):
            values.append(_Symbol(str(e.obj)))
        elif isinstance(e, (boolean.NOT, boolean.AND, boolean.OR)):
            if not done:
                todo.append((e, True))
                todo.extend((a, False) for a in reversed(e.args))
                continue
            k = len(e.args)
            args = values[-k:]
            del values[-k:]
            if isinstance(e, boolean.NOT):
                values.append(_NOT(leaf(args[0])))
            elif k == 1:
                values.append(args[0])
            else:
                values.append(_chain("and" if isinstance(e, boolean.AND) else "or", args, leaf))
        else:
            raise ConversionError(
                f"{where}: {type(e).__name__} {e!r} is not a Boolean operator dormnet knows "
                "(it reads NOT, AND, OR, names and the constants)"
            )
    return leaf(values[0])  # type: ignore[no-any-return]


def from_minibn(bn: Mapping[Any, Any], *, source: str | None = None) -> BooleanNetwork:
    """A ``colomoto.minibn.BooleanNetwork`` (or an mpbn ``MPBooleanNetwork``, a subclass) as a
    :class:`~dormnet.BooleanNetwork`.

    Parameters
    ----------
    bn : colomoto.minibn.BooleanNetwork
        Or any mapping from node name to a boolean.py expression, ``True``/``False`` or
        ``0``/``1``.
    source : str, optional
        Where the network came from, for error messages (default: the object's type).

    Returns
    -------
    BooleanNetwork
        The nodes in the object's order.

    Raises
    ------
    ConversionError
        A multi-valued network, or an expression dormnet cannot read.
    BnetError
        Invalid names, or a regulator without a rule.

    Examples
    --------
    >>> from colomoto import minibn
    >>> from_minibn(minibn.BooleanNetwork({"a": "!b", "b": "!a"})).rule("a").function
    '!b'
    """
    where = source or f"<{type(bn).__module__}.{type(bn).__name__}>"
    if type(bn).__name__ == "MultiValuedNetwork":
        raise ConversionError(f"{where}: a multi-valued network; dormnet's networks are Boolean")
    if not isinstance(bn, Mapping):
        raise ConversionError(f"{where}: not a mapping from node names to functions")
    rules: dict[str, object] = {}
    for name, f in bn.items():
        key = name.obj if isinstance(name, boolean.Symbol) else name
        if not isinstance(key, str):
            raise ConversionError(f"{where}: node name {key!r} is not a string")
        rules[key] = _from_boolean_py(f, f"{where}: rule for {key}")
    return BooleanNetwork(rules, source=where)


def from_mpbn(bn: Mapping[Any, Any], *, source: str | None = None) -> BooleanNetwork:
    """An mpbn ``MPBooleanNetwork`` as a :class:`~dormnet.BooleanNetwork`
    (:func:`from_minibn`: it is a minibn network).

    Parameters
    ----------
    bn : mpbn.MPBooleanNetwork
    source : str, optional
        For error messages.

    Returns
    -------
    BooleanNetwork
    """
    return from_minibn(bn, source=source)


# -- biodivine-aeon --------------------------------------------------------------------------


def _balanced(mk: Callable[[Any, Any], Any], items: Sequence[Any]) -> Any:
    """``items[0] op items[1] op ...`` as a balanced tree of AEON's binary operator (depth
    log2 of the width, not the width)."""
    level = list(items)
    while len(level) > 1:
        nxt = [mk(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def to_aeon(net: BooleanNetwork) -> Any:
    """The network as a ``biodivine_aeon.BooleanNetwork``.

    The regulatory graph is the network's interaction graph, every regulation essential with its
    sign (``->`` positive, ``-|`` negative, ``-?`` dual), so AEON's regulation constraints hold
    (a name a rule mentions but does not depend on is a non-essential ``-??`` regulation);
    an input ``x, x`` keeps its function ``x`` and its self-regulation (a state variable whose
    value never changes, as in dormnet), rather than becoming an AEON parameter. Functions are
    built with AEON's constructors, not parsed from text.

    Parameters
    ----------
    net : BooleanNetwork

    Returns
    -------
    biodivine_aeon.BooleanNetwork
        The variables in the network's order.

    Examples
    --------
    >>> bn = to_aeon(BooleanNetwork({"a": "a", "b": "a & !b"}))
    >>> bn.variable_names(), str(bn.get_update_function("b"))
    (['a', 'b'], 'a & !b')
    """
    import biodivine_aeon as ba

    U = ba.UpdateFunction
    graph = net.interaction_graph()
    regulations = [f"{s} {_ARROW[sign]} {t}" for s, t, sign in graph.edges(data="sign")]
    # a name a rule mentions without depending on it (``a & !a | b``) is an argument AEON wants
    # declared: a non-essential regulation of unknown sign
    regulations += [
        f"{s} -?? {t}"
        for t in net.nodes
        for s in symbols_of(net.rule(t).expr)
        if not graph.has_edge(s, t)
    ]
    bn = ba.BooleanNetwork(list(net.nodes), regulations)

    def leaf(x: Any) -> Any:
        if isinstance(x, tuple):
            return _balanced(U.mk_and if x[0] == "and" else U.mk_or, x[1])
        return x

    for n in net.nodes:
        value = fold(
            net.rule(n).expr,
            lambda name: U.mk_var(bn, name),
            lambda v: U.mk_const(bn, bool(v)),
            lambda x: U.mk_not(leaf(x)),
            lambda xs: _chain("and", xs, leaf),
            lambda xs: _chain("or", xs, leaf),
        )
        bn.set_update_function(n, leaf(value))
    return bn


def _from_aeon_function(bn: Any, fn: Any, where: str) -> boolean.Expression:
    """An AEON ``UpdateFunction`` in dormnet's algebra (iteratively: deep trees are fine)."""
    values: list[Any] = []
    todo: list[tuple[Any, bool]] = [(fn, False)]

    def leaf(x: Any) -> Any:
        if isinstance(x, tuple):
            return (_AND if x[0] == "and" else _OR)(*x[1])
        return x

    while todo:
        f, done = todo.pop()
        if f.is_const():
            values.append(TRUE if f.as_const() else FALSE)
        elif f.is_var():
            values.append(_Symbol(bn.get_variable_name(f.as_var())))
        elif f.is_param():
            pid, _ = f.as_param()
            raise ConversionError(
                f"{where}: uses the uninterpreted function {bn.get_explicit_parameter_name(pid)!r}"
                " (a parametrised model); instantiate it first"
            )
        elif f.is_not():
            if done:
                values.append(_NOT(leaf(values.pop())))
            else:
                todo.extend([(f, True), (f.as_not(), False)])
        else:
            op, left, right = f.as_binary()
            if not done:
                todo.extend([(f, True), (right, False), (left, False)])
                continue
            b = values.pop()
            a = values.pop()
            if op in ("and", "or"):
                values.append(_chain(op, [a, b], leaf))
                continue
            a, b = leaf(a), leaf(b)
            if op == "imp":
                values.append(_OR(_NOT(a), b))
            elif op == "iff":
                values.append(_OR(_AND(a, b), _AND(_NOT(a), _NOT(b))))
            elif op == "xor":
                values.append(_OR(_AND(a, _NOT(b)), _AND(_NOT(a), b)))
            else:
                raise ConversionError(f"{where}: unknown AEON operator {op!r}")
    return leaf(values[0])  # type: ignore[no-any-return]


def from_aeon(bn: Any, *, source: str = "<biodivine_aeon.BooleanNetwork>") -> BooleanNetwork:
    """A ``biodivine_aeon.BooleanNetwork`` as a :class:`~dormnet.BooleanNetwork`.

    Parameters
    ----------
    bn : biodivine_aeon.BooleanNetwork
    source : str
        For error messages.

    Returns
    -------
    BooleanNetwork
        The variables in AEON's order. A variable without function and without regulator is
        an input (``x, x``); AEON's declared regulations are not kept, dormnet derives its
        interaction graph from the functions.

    Raises
    ------
    ConversionError
        A variable with regulators but no function, or a function with an uninterpreted
        parameter.

    Examples
    --------
    >>> import biodivine_aeon as ba
    >>> bn = ba.BooleanNetwork.from_bnet("targets, factors\\nb, a ^ b\\na, a\\n")
    >>> net = from_aeon(bn)
    >>> net.nodes, net.rule("b").function
    (('a', 'b'), 'a & !b | !a & b')
    """
    rules: dict[str, object] = {}
    for var in bn.variables():
        name = bn.get_variable_name(var)
        fn = bn.get_update_function(var)
        if fn is None:
            if bn.predecessors(var):
                raise ConversionError(
                    f"{source}: {name} has regulators but no update function (a parametrised "
                    "model); give it a function first"
                )
            rules[name] = _Symbol(name)
        else:
            rules[name] = _from_aeon_function(bn, fn, f"{source}: rule for {name}")
    return BooleanNetwork(rules, source=source)


# -- pyboolnet prime implicants --------------------------------------------------------------


def to_primes(net: BooleanNetwork) -> dict[str, list[list[dict[str, int]]]]:
    """The network as pyboolnet's prime implicants: ``{node: [off_primes, on_primes]}``.

    Parameters
    ----------
    net : BooleanNetwork

    Returns
    -------
    dict
        Every prime implicant of each function (``on``) and of its negation (``off``), as dicts
        of the fixed regulators; a fresh copy, free to change.

    Raises
    ------
    BudgetExceeded
        A rule with more prime implicants than :data:`dormnet.normal_form.MAX_PRIMES`.

    Examples
    --------
    >>> to_primes(BooleanNetwork({"a": "a", "b": "a & !b"}))["b"]
    [[{'a': 0}, {'b': 1}], [{'a': 1, 'b': 0}]]
    """
    return {
        n: [[dict(c) for c in off], [dict(c) for c in on]]
        for n, (off, on) in network_primes(net).items()
    }


def _cube_expr(cube: Mapping[str, int]) -> boolean.Expression:
    lits = [_Symbol(v) if b else _NOT(_Symbol(v)) for v, b in cube.items()]
    if not lits:
        return TRUE
    return lits[0] if len(lits) == 1 else _AND(*lits)


def from_primes(
    primes: Mapping[str, Sequence[Sequence[Mapping[str, int]]]],
    *,
    source: str = "<primes>",
    check: bool = True,
) -> BooleanNetwork:
    """pyboolnet's prime implicants as a :class:`~dormnet.BooleanNetwork`.

    Each function is the disjunction of its ``on`` primes (``0`` if there is none).

    Parameters
    ----------
    primes : dict
        ``{node: [off_primes, on_primes]}``, each prime a dict of regulator values 0/1.
    source : str
        For error messages.
    check : bool
        Also check that each node's ``off`` primes describe the negation of its ``on`` primes
        (a BDD comparison per node).

    Returns
    -------
    BooleanNetwork
        The nodes in the order of the dict.

    Raises
    ------
    ConversionError
        A malformed entry, or ``off`` primes that are not the negation of the ``on`` primes.
    """
    from ..bdd import BDD

    rules: dict[str, object] = {}
    for name, entry in primes.items():
        where = f"{source}: primes of {name}"
        try:
            off, on = entry
            cubes = [dict(c) for c in on]
            off_cubes = [dict(c) for c in off]
        except (TypeError, ValueError):
            raise ConversionError(f"{where}: expected [off_primes, on_primes]") from None
        for c in cubes + off_cubes:
            for v, b in c.items():
                if not isinstance(v, str) or b not in (0, 1) or isinstance(b, float):
                    raise ConversionError(f"{where}: {v!r}: {b!r} is not a name with 0 or 1")
        if check:
            names = list(dict.fromkeys(v for c in cubes + off_cubes for v in c))
            m = BDD(names)
            if m.from_cubes(off_cubes) != m.neg(m.from_cubes(cubes)):
                raise ConversionError(f"{where}: the off primes are not the negation of the on")
        if not cubes:
            rules[name] = FALSE
        elif len(cubes) == 1:
            rules[name] = _cube_expr(cubes[0])
        else:
            rules[name] = _OR(*[_cube_expr(c) for c in cubes])
    return BooleanNetwork(rules, source=source)
