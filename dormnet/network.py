"""The one core type: :class:`BooleanNetwork`, its :class:`Rule` s and its interaction graph.

A network is an ordered mapping from node name to a rule (a boolean.py expression plus where it
came from and the comments that cite its sources). It is immutable in practice: analyses are
free functions taking the network first, and changes (perturbations, fixing inputs) return a new
network.

Signs of the interaction graph are semantic: regulator ``r`` of ``f`` is ``positive`` if
``f[r=0] <= f[r=1]`` everywhere, ``negative`` if ``f[r=1] <= f[r=0]``, ``dual`` otherwise; a name
the rule mentions but does not depend on (``a & !a | b`` mentions ``a``) is *not* a regulator
and :func:`dormnet.lint` warns about it. These are the SBML-qual sign words, so export needs no
mapping.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Literal, TypeVar

import boolean

from .errors import BnetError, Problem, UnknownNodeError
from .expr import (
    FALSE,
    TRUE,
    ExprSyntaxError,
    format_expr,
    is_false,
    is_true,
    name_problem,
    parse_expr,
    symbols_of,
)

if TYPE_CHECKING:  # networkx is imported lazily: `dormnet --help` stays fast
    import networkx as nx

    from .bdd import BDD

__all__ = ["REFERENCE_RE", "SIGNS", "BooleanNetwork", "Rule", "Sign"]

T = TypeVar("T")
Sign = Literal["positive", "negative", "dual"]
SIGNS: tuple[Sign, ...] = ("positive", "negative", "dual")
#: how a citation is written in a comment or a data file (``REFERENCE_RE``, compiled on first
#: use: reading a network for a count needs no citations)
_REFERENCE = r"\b(?:PMID:\s?\d+|DOI:\s?10\.\d{4,9}/[^\s;,]+[^\s;,.)])"
if TYPE_CHECKING:
    REFERENCE_RE: re.Pattern[str]


def __getattr__(name: str) -> re.Pattern[str]:
    """``REFERENCE_RE``, compiled on first use (PEP 562).

    Parameters
    ----------
    name : str

    Returns
    -------
    re.Pattern

    Raises
    ------
    AttributeError
        Any other name.
    """
    if name == "REFERENCE_RE":
        return re.compile(_REFERENCE, re.IGNORECASE)  # re caches the compiled pattern
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Rule:
    """The update function of one node.

    Immutable; two rules are equal when their targets, functions (as printed) and comments are.
    Written out rather than as a frozen dataclass, whose machinery costs more at start-up than a
    plain count on a small model.

    Parameters
    ----------
    target : str
    expr : boolean.Expression
    comments : tuple of str
    line : int, optional
    text : str, optional
        The function as written in the file.

    Attributes
    ----------
    target : str
        The node this rule updates.
    expr : boolean.Expression
        The function.
    comments : tuple of str
        Comment lines written directly above the rule in the BNET file (without ``#``) and a
        trailing comment; the provenance of the rule.
    line : int or None
        Line of the rule in its source file.
    """

    target: str
    expr: boolean.Expression
    comments: tuple[str, ...]
    line: int | None
    text: str | None

    def __init__(
        self,
        target: str,
        expr: boolean.Expression,
        comments: tuple[str, ...] = (),
        line: int | None = None,
        text: str | None = None,
    ) -> None:
        # the instance dict directly: __setattr__ refuses, as on a frozen dataclass (the cached
        # ``function`` is stored there too)
        fields = self.__dict__
        fields["target"], fields["expr"], fields["comments"] = target, expr, comments
        fields["line"], fields["text"] = line, text

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of a Rule")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of a Rule")

    def __repr__(self) -> str:
        return (
            f"Rule(target={self.target!r}, expr={self.expr!r}, comments={self.comments!r}, "
            f"line={self.line!r}, text={self.text!r})"
        )

    def __eq__(self, other: object) -> bool:
        # compare printed forms: boolean.py's own == recurses and is slow on large rules
        if not isinstance(other, Rule):
            return NotImplemented
        return (self.target, self.function, self.comments) == (
            other.target,
            other.function,
            other.comments,
        )

    def __hash__(self) -> int:
        return hash((self.target, self.function))

    @property
    def references(self) -> list[str]:
        """PMIDs and DOIs cited in the rule's comments, in order, normalised to ``PMID:n``/``DOI:x``."""
        out: list[str] = []
        for c in self.comments:
            for m in re.findall(_REFERENCE, c, re.IGNORECASE):
                kind, _, ident = m.partition(":")
                ref = f"{kind.upper()}:{ident.strip()}"
                if ref not in out:
                    out.append(ref)
        return out

    @cached_property
    def function(self) -> str:
        """The function in BNET syntax."""
        return format_expr(self.expr)

    @property
    def is_constant(self) -> bool:
        """True for ``0`` and ``1``."""
        return is_true(self.expr) or is_false(self.expr)

    @property
    def is_input(self) -> bool:
        """True for an input node, written ``x, x``."""
        return isinstance(self.expr, boolean.Symbol) and str(self.expr.obj) == self.target


class BooleanNetwork:
    """A Boolean network: ordered nodes, each with a :class:`Rule`.

    Parameters
    ----------
    rules : mapping or iterable
        Node name -> rule, given as a :class:`Rule`, a boolean.py expression, a BNET function
        string, or ``0``/``1``; or an iterable of :class:`Rule`.
    source : str
        Where the rules came from (a path), used in error messages.

    Raises
    ------
    BnetError
        Listing every invalid name, syntax error and undefined regulator.

    Examples
    --------
    >>> net = BooleanNetwork({"a": "!b", "b": "!a", "c": "a & b | c"})
    >>> net.nodes
    ('a', 'b', 'c')
    >>> net.regulators("c")
    ('a', 'b', 'c')
    """

    __slots__ = ("_derived", "_rules", "header", "source")

    def __init__(
        self,
        rules: Mapping[str, object] | Iterable[Rule],
        *,
        source: str = "<string>",
        header: bool = False,
    ):
        self.source = source
        self.header = header
        self._derived: dict[tuple[object, ...], object] = {}
        problems: list[Problem] = []
        items: list[Rule] = []
        # the concrete types are tested first: an ABC isinstance of a list walks every class
        # registered with Mapping (0.8 ms in a process that has imported a few libraries)
        if isinstance(rules, dict) or (
            not isinstance(rules, (list, tuple)) and isinstance(rules, Mapping)
        ):
            pairs = rules.items()  # type: ignore[union-attr]
        else:
            pairs = ((r.target, r) for r in rules)  # type: ignore[union-attr]
        for name, value in pairs:
            problem = name_problem(name)
            if problem is not None:
                problems.append(Problem(problem, source))
                continue
            rule = self._as_rule(name, value, source, problems)
            if rule is not None:
                items.append(rule)
        self._rules: dict[str, Rule] = {}
        for rule in items:
            if rule.target in self._rules:
                problems.append(Problem(f"duplicate rule for {rule.target!r}", source, rule.line))
            self._rules[rule.target] = rule
        problems.extend(undefined_regulator_problems(self._rules.values(), source))
        if problems:
            raise BnetError(problems, source)

    @staticmethod
    def _as_rule(name: str, value: object, source: str, problems: list[Problem]) -> Rule | None:
        if isinstance(value, Rule):
            if value.target != name:
                problems.append(Problem(f"rule for {value.target!r} stored under {name!r}", source))
                return None
            return value
        if isinstance(value, bool) or value in (0, 1) and not isinstance(value, str):
            return Rule(name, TRUE if value else FALSE)
        if isinstance(value, boolean.Expression):
            return Rule(name, value)
        if isinstance(value, str):
            try:
                return Rule(name, parse_expr(value), text=value)
            except ExprSyntaxError as e:
                problems.append(
                    Problem(f"{e.message} (in rule for {name}, offset {e.offset + 1})", source)
                )
                return None
        problems.append(
            Problem(f"rule for {name!r} is a {type(value).__name__}, not a function", source)
        )
        return None

    # -- the small public surface ---------------------------------------------------------
    @property
    def nodes(self) -> tuple[str, ...]:
        """Node names in file order."""
        return tuple(self._rules)

    @property
    def inputs(self) -> tuple[str, ...]:
        """Nodes whose rule is themselves (``x, x``)."""
        return tuple(n for n, r in self._rules.items() if r.is_input)

    @property
    def constants(self) -> dict[str, int]:
        """Nodes whose rule is ``0`` or ``1``, with that value."""
        return {n: int(is_true(r.expr)) for n, r in self._rules.items() if r.is_constant}

    def rule(self, name: str) -> Rule:
        """The rule of ``name``.

        Parameters
        ----------
        name : str

        Returns
        -------
        Rule

        Raises
        ------
        UnknownNodeError
            No such node (with a did-you-mean).

        Examples
        --------
        >>> BooleanNetwork({"a": "!b", "b": "a"}).rule("a").function
        '!b'
        """
        try:
            return self._rules[name]
        except KeyError:
            raise UnknownNodeError(unknown_name_message(name, self._rules, "node")) from None

    def regulators(self, name: str) -> tuple[str, ...]:
        """The nodes the function of ``name`` really depends on, in node order.

        Parameters
        ----------
        name : str

        Returns
        -------
        tuple of str

        Raises
        ------
        UnknownNodeError
            No such node.

        Examples
        --------
        >>> BooleanNetwork({"a": "a & !a | b", "b": "b"}).regulators("a")
        ('b',)
        """
        return tuple(self._signs(name))

    def interaction_graph(self) -> nx.DiGraph:
        """One edge per regulator -> target, with attribute ``sign`` (positive/negative/dual).

        Returns
        -------
        networkx.DiGraph
            A new graph on every call (safe to modify); the signs come from the functions'
            semantics, not their syntax.

        Examples
        --------
        >>> g = BooleanNetwork({"a": "!b", "b": "a"}).interaction_graph()
        >>> sorted(g.edges(data="sign"))
        [('a', 'b', 'positive'), ('b', 'a', 'negative')]
        """
        import networkx as nx

        g = nx.DiGraph()
        g.add_nodes_from(self.nodes)
        for target in self.nodes:
            for reg, sign in self._signs(target).items():
                g.add_edge(reg, target, sign=sign)
        return g

    def derived(self, factory: Callable[..., T], *args: Hashable) -> T:
        """``factory(self, *args)``, computed once and kept with the network.

        The one place where data derived from the rules (BDDs, prime implicants, solver
        programs, the percolator) is remembered: the key is the factory and its arguments, so
        each kind of derived data is declared by the function that makes it. The network is
        immutable, so the data never goes stale.

        Parameters
        ----------
        factory : callable
            Called as ``factory(net, *args)``; any hashable identity (a class or a function).
        *args : hashable
            Further arguments, part of the key.

        Returns
        -------
        The factory's value.

        Examples
        --------
        >>> net = BooleanNetwork({"a": "!a"})
        >>> net.derived(len) is net.derived(len)
        True
        """
        key = (factory, *args)
        try:
            return self._derived[key]  # type: ignore[return-value]
        except KeyError:
            value = self._derived[key] = factory(self, *args)
            return value

    # -- dunder helpers ---------------------------------------------------------------------
    def __contains__(self, name: object) -> bool:
        return name in self._rules

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BooleanNetwork):
            return NotImplemented
        return list(self._rules.items()) == list(other._rules.items())

    def __hash__(self) -> int:
        return hash(tuple(self._rules))

    def __repr__(self) -> str:
        return f"<BooleanNetwork {len(self)} nodes, {len(self.inputs)} inputs from {self.source}>"

    def _repr_html_(self) -> str:
        """The rules as a table in Jupyter (:func:`dormnet.display.network_html`)."""
        from .display import network_html

        return network_html(self)

    # -- cached semantics -----------------------------------------------------------------
    def _bdd(self, name: str) -> tuple[BDD, int]:
        """A BDD manager over the rule's mentioned names and the node of its function."""
        return self.derived(rule_bdd, name)

    def _signs(self, name: str) -> dict[str, Sign]:
        return self.derived(rule_signs, name)


def rule_bdd(net: BooleanNetwork, name: str) -> tuple[BDD, int]:
    """A BDD manager over the names the rule of ``name`` mentions, and the rule's BDD.

    First-appearance order keeps the BDDs of sum-of-products rules small (the 57-variable rule
    of bbm_122: 4,365 nodes, against 1.6 million in file order).

    Parameters
    ----------
    net : BooleanNetwork
    name : str

    Returns
    -------
    tuple of (BDD, int)
        The manager and the rule's node; cached with the network.
    """
    rule = net.rule(name)
    from .bdd import BDD  # only for signs and prime implicants, not to read a network

    manager = BDD(symbols_of(rule.expr))
    return manager, manager.from_expr(rule.expr)


def rule_signs(net: BooleanNetwork, name: str) -> dict[str, Sign]:
    """Each regulator of ``name`` with the sign of its influence (see the module docstring).

    Parameters
    ----------
    net : BooleanNetwork
    name : str

    Returns
    -------
    dict
        Regulator -> ``"positive"``, ``"negative"`` or ``"dual"``; names the rule mentions but
        does not depend on are left out.
    """
    manager, f = net.derived(rule_bdd, name)
    out: dict[str, Sign] = {}
    for var in manager.variables:
        f0 = manager.restrict(f, var, 0)
        f1 = manager.restrict(f, var, 1)
        if f0 == f1:
            continue
        if manager.implies(f0, f1):
            out[var] = "positive"
        elif manager.implies(f1, f0):
            out[var] = "negative"
        else:
            out[var] = "dual"
    return out


def unknown_name_message(name: str, known: Iterable[str], what: str) -> str:
    """``unknown node 'NR2F' (did you mean 'NR2F1'?)``: a message with a close match if any.

    Parameters
    ----------
    name : str
        The unknown name.
    known : iterable of str
        The names that exist.
    what : str
        What a name is (``node``, ``context``, ``drug``...).

    Returns
    -------
    str

    Examples
    --------
    >>> unknown_name_message("NR2F", ["NR2F1", "p38"], "node")
    "unknown node 'NR2F' (did you mean 'NR2F1'?)"
    """
    import difflib  # only for a message: not loaded with the network

    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {what} {name!r}{hint}"


def undefined_regulator_problems(rules: Iterable[Rule], source: str) -> list[Problem]:
    """One problem per name a rule mentions that has no rule of its own.

    Parameters
    ----------
    rules : iterable of Rule
    source : str
        The file the rules come from, for the messages.

    Returns
    -------
    list of Problem
        With the line of each rule and a did-you-mean where a close name exists.
    """
    rules = list(rules)
    defined = {r.target for r in rules}
    out = []
    for rule in rules:
        for name in symbols_of(rule.expr):
            if name not in defined:
                msg = unknown_name_message(name, defined, "regulator")
                out.append(
                    Problem(
                        f"{msg} in rule for {rule.target}; every regulator needs a rule "
                        f"(write '{name}, {name}' for an input)",
                        source,
                        rule.line,
                    )
                )
    return out
