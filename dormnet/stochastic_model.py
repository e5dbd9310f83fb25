"""The stochastic model of a network: rates, initial states, and what never moves.

What :mod:`dormnet.simulate` simulates, built from a :class:`~dormnet.network.BooleanNetwork`:
for every node its rates (default 1 both ways; :class:`Transition` for MaBoSS's state-dependent
rates), the initial distribution (independent nodes or joint groups; default 1/2 each, MaBoSS's
default), the phenotype rules as prime implicants, and :func:`frozen_nodes`, the exact
percolation that decides which nodes need no simulation. The compiled arrays come from
:func:`dormnet._engines.stochastic.compile_model`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import boolean

from .errors import SimulationError, UnknownNodeError
from .expr import ExprSyntaxError, is_false, is_true, parse_expr, symbols_of
from .network import BooleanNetwork, unknown_name_message

if TYPE_CHECKING:
    from ._engines.stochastic import CompiledModel

__all__ = [
    "UNDETERMINED",
    "Initial",
    "RateSpec",
    "SimulationSetup",
    "Transition",
    "compile_network",
    "frozen_nodes",
    "parse_initial",
]

UNDETERMINED = "undetermined"


@dataclass(frozen=True)
class Transition:
    """Rates of one node that are not the standard ``u while f, d while not f``.

    ``up`` (read while the node is 0) and ``down`` (while it is 1) are lists of
    ``(rate, condition)``: the node flips at the rate of the first condition that holds, and at
    rate 0 if none does. The MaBoSS importer writes a state-dependent rate expression this way.
    """

    up: tuple[tuple[float, boolean.Expression], ...] = ()
    down: tuple[tuple[float, boolean.Expression], ...] = ()


RateSpec = float | tuple[float, float] | Transition
#: node -> probability of 1, or a tuple of nodes -> {values: probability} (a joint distribution)
Initial = Mapping[str | tuple[str, ...], float | Mapping[tuple[int, ...], float]]


@dataclass
class SimulationSetup:
    """Rates, initial states and run settings, as read from a file (:func:`read_setup`) or
    imported from MaBoSS; ``None`` settings keep the caller's defaults."""

    rates: dict[str, RateSpec] = field(default_factory=dict)
    initial: dict[Any, Any] = field(default_factory=dict)
    max_time: float | None = None
    time_step: float | None = None
    trajectories: int | None = None
    discrete_time: bool | None = None
    seed: int | None = None
    internal: tuple[str, ...] = ()  # nodes MaBoSS does not report (``is_internal``)

    def settings(self) -> dict[str, Any]:
        """The run settings that are set, as keyword arguments of :func:`simulate`.

        Returns
        -------
        dict
        """
        keys = ("max_time", "time_step", "trajectories", "discrete_time", "seed")
        return {k: getattr(self, k) for k in keys if getattr(self, k) is not None}


def _cubes(expr: boolean.Expression) -> list[dict[str, int]]:
    """Prime implicants (a DNF) of an expression."""
    if is_true(expr):
        return [{}]
    if is_false(expr):
        return []
    from .bdd import BDD

    m = BDD(symbols_of(expr))
    return [dict(c) for c in m.primes(m.from_expr(expr))]


def _without(cubes: Sequence[Mapping[str, int]], node: str, value: int) -> list[dict[str, int]]:
    """The cubes that hold when ``node == value``, with that literal dropped."""
    return [{k: v for k, v in c.items() if k != node} for c in cubes if c.get(node, value) == value]


def _check_rate(node: str, rate: object) -> float:
    if isinstance(rate, bool) or not isinstance(rate, (int, float)):
        raise SimulationError(f"rate of {node} must be a number, not {rate!r}")
    if not (math.isfinite(rate) and rate >= 0):
        raise SimulationError(f"rate of {node} must be finite and >= 0, not {rate!r}")
    return float(rate)


def _transitions(net: BooleanNetwork, rates: Mapping[str, RateSpec]) -> dict[str, tuple]:
    from .normal_form import primes

    for name in rates:
        if name not in net:
            raise UnknownNodeError(unknown_name_message(name, net.nodes, "node") + " in rates")
    out: dict[str, tuple] = {}
    for node in net.nodes:
        spec = rates.get(node, 1.0)
        if isinstance(spec, Transition):
            up = [(_check_rate(node, r), _without(_cubes(c), node, 0)) for r, c in spec.up]
            down = [(_check_rate(node, r), _without(_cubes(c), node, 1)) for r, c in spec.down]
            for _, c in spec.up + spec.down:
                for s in symbols_of(c):
                    if s not in net:
                        raise UnknownNodeError(
                            unknown_name_message(s, net.nodes, "node") + f" in the rates of {node}"
                        )
            out[node] = (up, down)
            continue
        if isinstance(spec, (tuple, list)):
            if len(spec) != 2:
                raise SimulationError(f"rates of {node}: give (up, down), not {spec!r}")
            u, d = _check_rate(node, spec[0]), _check_rate(node, spec[1])
        else:
            u = d = _check_rate(node, spec)
        off, on = primes(net, node)
        out[node] = ([(u, _without(on, node, 0))], [(d, _without(off, node, 1))])
    return out


def _phenotype_exprs(
    net: BooleanNetwork, phenotypes: Mapping[str, Any] | None
) -> dict[str, boolean.Expression]:
    out: dict[str, boolean.Expression] = {}
    for name, p in (phenotypes or {}).items():
        expr = getattr(p, "expr", p)
        if isinstance(expr, str):
            try:
                expr = parse_expr(expr)
            except ExprSyntaxError as e:
                raise SimulationError(f"rule of phenotype {name}: {e.message}") from None
        if not isinstance(expr, boolean.Expression):
            raise SimulationError(f"phenotype {name} is a {type(p).__name__}, not a rule")
        for s in symbols_of(expr):
            if s not in net:
                raise UnknownNodeError(
                    unknown_name_message(s, net.nodes, "node") + f" in phenotype {name}"
                )
        out[name] = expr
    if out:
        from .expr import ALGEBRA

        if len(out) == 1:
            none = ALGEBRA.NOT(next(iter(out.values())))
        else:
            none = ALGEBRA.NOT(ALGEBRA.OR(*out.values()))
        out[UNDETERMINED] = none
    return out


def _groups(net: BooleanNetwork, initial: Initial | None) -> list[tuple[list[str], list]]:
    """Initial-state groups covering every node (default: 0 or 1 with probability 1/2)."""
    groups: list[tuple[list[str], list]] = []
    seen: set[str] = set()
    for key, spec in (initial or {}).items():
        members = [key] if isinstance(key, str) else list(key)
        for m in members:
            if m not in net:
                raise UnknownNodeError(
                    unknown_name_message(m, net.nodes, "node") + " in the initial states"
                )
            if m in seen:
                raise SimulationError(f"initial state of {m} given twice")
            seen.add(m)
        if isinstance(key, str):
            if isinstance(spec, bool) or not isinstance(spec, (int, float)) or not 0 <= spec <= 1:
                raise SimulationError(
                    f"initial state of {key}: give the probability of 1 (0 to 1), not {spec!r}"
                )
            options: list[tuple[float, tuple[int, ...]]] = [(1.0 - spec, (0,)), (float(spec), (1,))]
        else:
            if not isinstance(spec, Mapping) or not spec:
                raise SimulationError(f"initial states of {', '.join(members)}: give {{values: p}}")
            options = []
            for values, p in spec.items():
                values = tuple(values)
                if len(values) != len(members) or any(v not in (0, 1) for v in values):
                    raise SimulationError(
                        f"initial states of {', '.join(members)}: {values!r} is not "
                        f"{len(members)} values 0/1"
                    )
                if isinstance(p, bool) or not isinstance(p, (int, float)) or p < 0:
                    raise SimulationError(f"initial probability {p!r} must be a number >= 0")
                options.append((float(p), tuple(int(v) for v in values)))
        options = [o for o in options if o[0] > 0]
        if not options:
            raise SimulationError(f"initial states of {', '.join(members)} have probability 0")
        groups.append((members, options))
    for n in net.nodes:
        if n not in seen:
            groups.append(([n], [(0.5, (0,)), (0.5, (1,))]))
    return groups


def _certain(groups: Sequence[tuple[list[str], list]]) -> dict[str, int]:
    """Nodes whose initial value is certain, with that value."""
    out: dict[str, int] = {}
    for members, options in groups:
        for j, m in enumerate(members):
            values = {vals[j] for _, vals in options}
            if len(values) == 1:
                out[m] = values.pop()
    return out


def frozen_nodes(
    transitions: Mapping[str, tuple],
    certain: Mapping[str, int],
    clamps: Mapping[str, int],
    mutations: Mapping[str, int] | None = None,
) -> dict[str, int]:
    """Nodes that provably never move, with their values: the clamps, and the largest set of
    nodes with a certain initial value none of which can leave it while the others keep theirs
    (a trap space holding every initial state; see the module docstring).

    Parameters
    ----------
    transitions : mapping
        Node -> ``(up pieces, down pieces)`` (``(rate, cubes)`` lists), as
        :func:`compile_network` gives them.
    certain : mapping
        Nodes whose initial value is certain, with that value.
    clamps : mapping
        Nodes held fixed.
    mutations : mapping, optional
        MaBoSS mutants: frozen only where they start at their target.

    Returns
    -------
    dict
        Node -> value of every node that never moves.

    Examples
    --------
    >>> up = lambda c: [(1.0, c)]
    >>> tr = {"a": (up([{"a": 1}]), up([{"a": 0}])), "b": (up([{"a": 1}]), up([{"a": 0}]))}
    >>> frozen_nodes(tr, {"b": 0}, {"a": 0})
    {'a': 0, 'b': 0}
    >>> frozen_nodes(tr, {}, {"a": 0})
    {'a': 0}
    """
    mutations = mutations or {}
    F = dict(clamps)
    for n, v in certain.items():
        if n not in F and (n not in mutations or mutations[n] == v):
            F[n] = v
    changed = True
    while changed:
        changed = False
        for n in list(F):
            if n in clamps or n in mutations:
                continue
            up, down = transitions.get(n, ((), ()))
            leave = down if F[n] else up
            for _, cubes in leave:
                if any(all(F.get(x, b) == b for x, b in c.items()) for c in cubes):
                    del F[n]
                    changed = True
                    break
    return F


def compile_network(
    net: BooleanNetwork,
    phenotypes: Mapping[str, Any] | None,
    rates: Mapping[str, RateSpec] | None,
    initial: Initial | None,
) -> tuple[CompiledModel, dict[str, tuple], dict[str, int], list[str]]:
    """A network's stochastic model, compiled for the kernel and the exact solver.

    Parameters
    ----------
    net : BooleanNetwork
    phenotypes, rates, initial : mapping or None
        As in :func:`dormnet.simulate.simulate`.

    Returns
    -------
    (CompiledModel, dict, dict, list)
        The compiled model; each node's ``(up pieces, down pieces)`` as cubes; the nodes whose
        initial value is certain; the phenotype names (``undetermined`` last).
    """
    from ._engines.stochastic import compile_model

    transitions = _transitions(net, rates or {})
    exprs = _phenotype_exprs(net, phenotypes)
    groups = _groups(net, initial)
    model = compile_model(
        net.nodes,
        transitions,
        {name: _cubes(e) for name, e in exprs.items()},
        [(m, o) for m, o in groups],
    )
    return model, transitions, _certain(groups), list(exprs)


def parse_initial(text: str, net: BooleanNetwork) -> dict[str, float]:
    """``"NODE=P,NODE=P"`` (P the probability of starting at 1) as a mapping.

    Parameters
    ----------
    text : str
    net : BooleanNetwork
        The names are checked against it.

    Returns
    -------
    dict
        Node -> probability of starting at 1.

    Raises
    ------
    SimulationError, UnknownNodeError

    Examples
    --------
    >>> parse_initial("a=1, b=0.25", BooleanNetwork({"a": "a", "b": "a"}))
    {'a': 1.0, 'b': 0.25}
    """
    out: dict[str, float] = {}
    for item in (x.strip() for x in text.split(",")):
        if not item:
            continue
        name, eq, value = (x.strip() for x in item.partition("="))
        try:
            p = float(value)
        except ValueError:
            p = -1.0
        if not eq or not 0 <= p <= 1:
            raise SimulationError(f"initial state {item!r}: write NODE=P with P from 0 to 1")
        if name not in net:
            raise UnknownNodeError(
                unknown_name_message(name, net.nodes, "node") + " in the initial states"
            )
        out[name] = p
    return out
