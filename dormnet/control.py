"""Phenotype control: the smallest sets of interventions after which every attractor satisfies a
target, in each context, and whether the effect outlasts the intervention.

A screen answers "what does this perturbation do"; control answers "what must I do to get this
phenotype". :func:`control` lists every intervention set of up to ``max_size`` agents (knockouts
and overexpressions of nodes, or drugs of the model's drug table) that *works*, and no set with a
working proper subset, each with the contexts where it works.

Definitions (exact; the engine is :mod:`dormnet._engines.control_search`):

- **target**: a Boolean expression over nodes (``--target``), or a phenotype's marker rule
  (``--to dormant``). An attractor satisfies it when it holds in every state of the attractor.
- **works, permanent mode**: with the context's inputs and the interventions held for good, the
  network has at least one attractor (fixed point, under ``fixed-points``) and every attractor
  satisfies the target. This is biodivine-aeon's permanent phenotype control with oscillation
  forbidden, over all initial states.
- **works, temporary mode** (``mp`` and ``async`` only): the cell starts in an attractor of the
  context (every one, or those carrying ``source``); the interventions take hold at once (the
  state carries over) and the treated network runs until the cell is in one of its attractors
  (any reachable one); then the interventions are released (the context's inputs stay) and the
  context's network runs again. The set works when every attractor of the context reachable
  that way, from every start, satisfies the target: the schedule ``context -> context +
  interventions -> context`` of :func:`dormnet.switch.reached`, whose reachability engine it
  uses (most permissive: the minimal trap spaces inside the smallest trap space containing the
  states; asynchronous: exact symbolic reachability). Cheap cases first: a treated network whose
  percolation fixes every node has one fixed point that every trajectory reaches; and the
  context's attractors inside the context's smallest trap space around the treated network's
  smallest trap space around the clamped start are the only candidates, so the verdict is
  known when all of them satisfy the target or none does.
- **source** (``--from PHENOTYPE``): only contexts where cells can be in that phenotype matter:
  a context counts only if its unperturbed network has an attractor carrying the phenotype.
  In temporary mode the cell starts from those attractors only (e.g. ``--from dormant --to
  apoptotic``: what eliminates dormant cells, and keeps them eliminated). In permanent mode the
  verdict needs every attractor of the treated network, whatever the start.
- **minimal, per context**: a set is listed if in some context it works and no proper subset
  works there; ``contexts`` lists every context where it works (also those where a smaller set
  works too), ``minimal_in`` those where it is minimal. A set that clamps a node two ways, or
  one member of which only repeats the clamps of the others, is no intervention set.
- **candidates**: by default every non-input, non-constant node that the target does not read,
  knocked out or overexpressed (``genes``), and/or every drug (``drugs``). Under ``async`` and
  ``mp`` only nodes upstream of the target's nodes in the interaction graph are tried: a node
  that does not regulate the target's nodes (through any path) does not change which values
  they take in the attractors (the attractors project onto those of the upstream-closed
  subnetwork), so it is never in a minimal set. Under ``fixed-points`` it may be (it can create
  or remove fixed points), so there every candidate is tried. The same holds after
  clamping, in the percolated network: in permanent mode under ``async`` and ``mp`` a set is
  not solved when, seen from one of its subsets of one size less, the remaining agent
  provably cannot make it work, and sets share one verdict per upstream part of their
  percolated network (:mod:`dormnet._engines.control_prune` proves each step); this is what
  makes sets of 3 on the bundled model take seconds.

Ranking: fewest agents, most contexts, best drug evidence (approved, clinical, preclinical,
tool, none, then sets with a knockout or overexpression), most contexts where it also holds
under the other update schemes.

Examples
--------
>>> from dormnet import BooleanNetwork
>>> from dormnet.bundle import Bundle
>>> net = BooleanNetwork({"a": "!b", "b": "!a", "c": "a & c | b"})
>>> [s.interventions for s in control(Bundle(net), target="c", max_size=1).solutions]
[{'a': 0}, {'b': 1}]
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from ._tabular import Tabular
from .bundle import DRUG_EVIDENCE, Bundle
from .choices import check_choice
from .errors import DataFileError, DormnetError, UnknownNodeError
from .expr import ExprSyntaxError, parse_expr, symbols_of
from .network import unknown_name_message
from .scenario import Scenario

__all__ = [
    "AGENT_KINDS",
    "CONTROL_MODES",
    "CONTROL_UPDATES",
    "ControlResult",
    "Solution",
    "control",
]

ControlMode = Literal["permanent", "temporary"]
CONTROL_MODES: tuple[ControlMode, ...] = get_args(ControlMode)
ControlUpdate = Literal["mp", "async", "fixed-points"]
CONTROL_UPDATES: tuple[ControlUpdate, ...] = get_args(ControlUpdate)
AgentKind = Literal["genes", "drugs", "both"]
AGENT_KINDS: tuple[AgentKind, ...] = get_args(AgentKind)

#: the name of the one context of a model without named contexts (its inputs stay free)
NO_CONTEXT = "-"
#: evidence ranks of a solution: the drug words, then drugs without one, then node clamps
EVIDENCE_RANKS = (*DRUG_EVIDENCE, "none", "gene")


@dataclass(frozen=True)
class Solution:
    """A minimal intervention set with where it works.

    Attributes
    ----------
    agents : tuple of str
        Labels of its members (``NR2F1-OE``, ``everolimus``), in candidate order.
    interventions : dict
        Node -> 0/1 of its knockouts and overexpressions.
    drugs : tuple of str
        Its drugs.
    clamps : dict
        Every node it holds, drugs resolved.
    contexts : tuple of str
        Where it works.
    minimal_in : tuple of str
        Where, in addition, no proper subset works.
    evidence : str
        Its weakest drug evidence word, ``none`` (a drug without one) or ``gene``.
    also : dict
        Other update scheme -> the contexts of ``contexts`` where it works under it too
        (``None``: not decided within the time budget).
    """

    agents: tuple[str, ...]
    interventions: dict[str, int]
    drugs: tuple[str, ...]
    clamps: dict[str, int]
    contexts: tuple[str, ...]
    minimal_in: tuple[str, ...]
    evidence: str
    also: dict[str, tuple[str, ...] | None] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Number of agents."""
        return len(self.agents)

    @property
    def label(self) -> str:
        """``"NR2F1-OE + everolimus"`` (``"(none)"`` for the empty set)."""
        return " + ".join(self.agents) or "(none)"


@dataclass
class ControlResult(Tabular):
    """The answer of :func:`control`: the solutions, ranked, and what was asked.

    Attributes
    ----------
    solutions : list of Solution
    target : str
        The target expression.
    phenotype, source : str or None
        The ``--to`` and ``--from`` phenotype names.
    mode, update, agents : str
    max_size : int
    contexts : list of str
        The contexts searched.
    skipped : list of str
        Contexts left out because no attractor there carries the source phenotype.
    candidates : list of str
        The agents tried.
    pruned : list of str
        Default candidates left out because they cannot influence the target.
    stats : dict
        Context -> one dict per size level (sets, unchanged, pruned, subspaces, solved,
        solutions, seconds; :class:`~dormnet._engines.control_search.LevelStats`).
    seconds : float
    """

    solutions: list[Solution]
    target: str
    phenotype: str | None
    source: str | None
    mode: str
    update: str
    agents: str
    max_size: int
    contexts: list[str]
    skipped: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    stats: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    seconds: float = 0.0


def _target_of(bundle: Bundle, to: str | None, target: str | None) -> tuple[str, Any]:
    """The target text and expression, from a phenotype name or an expression."""
    if (to is None) == (target is None):
        raise DormnetError(
            "give the target either as a phenotype (--to) or an expression (--target)"
        )
    if to is not None:
        return _phenotype(bundle, to).rule, _phenotype(bundle, to).expr
    assert target is not None
    try:
        expr = parse_expr(target)
    except ExprSyntaxError as e:
        raise DataFileError(
            f"target {target!r}: {e.message} (offset {e.offset + 1})", "--target"
        ) from None
    for s in symbols_of(expr):
        if s not in bundle.network:
            raise UnknownNodeError(unknown_name_message(s, bundle.network.nodes, "node"))
    return target, expr


def _phenotype(bundle: Bundle, name: str) -> Any:
    if name in bundle.phenotypes:
        return bundle.phenotypes[name]
    if not bundle.phenotypes:
        raise UnknownNodeError(
            f"this model has no phenotypes, so no phenotype {name!r}: give --phenotype "
            f"{name}=EXPR, or the target as --target EXPR"
        )
    raise UnknownNodeError(unknown_name_message(name, bundle.phenotypes, "phenotype"))


def _agents(
    bundle: Bundle,
    kind: str,
    nodes: Sequence[str] | None,
    reads: set[str],
    upstream: set[str] | None,
    min_evidence: str | None,
) -> tuple[list[Any], list[str]]:
    """The candidate agents and the labels of default candidates pruned as not upstream."""
    from ._engines.control_search import Agent

    net = bundle.network
    out: list[Agent] = []
    pruned: list[str] = []
    if kind in ("genes", "both"):
        if nodes is None:
            skip = set(net.inputs) | set(net.constants) | reads
            chosen = [n for n in net.nodes if n not in skip]
        else:
            chosen = list(dict.fromkeys(nodes))
            for n in chosen:
                if n not in net:
                    raise UnknownNodeError(unknown_name_message(n, net.nodes, "node"))
                if n in reads:
                    raise DormnetError(
                        f"{n} is read by the target: clamping it would set the target directly"
                    )
        for n in chosen:
            for suffix, value in (("KO", 0), ("OE", 1)):
                agent = Agent(f"{n}-{suffix}", ((n, value),), "gene")
                if upstream is not None and n not in upstream:
                    pruned.append(agent.label)
                else:
                    out.append(agent)
    if kind in ("drugs", "both"):
        if not bundle.drugs:
            raise DormnetError("this model has no drugs file: use --agents genes")
        floor = DRUG_EVIDENCE.index(min_evidence) if min_evidence else None
        for d in bundle.drugs.values():
            if floor is not None and (
                d.evidence not in DRUG_EVIDENCE or DRUG_EVIDENCE.index(d.evidence) > floor
            ):
                continue
            agent = Agent(d.name, tuple(sorted(d.clamps.items())), "drug")
            if upstream is not None and not any(n in upstream for n in d.clamps):
                pruned.append(agent.label)
            else:
                out.append(agent)
    return out, pruned


def _upstream(bundle: Bundle, reads: set[str]) -> set[str]:
    """Nodes with a path to a node the target reads (those nodes included)."""
    net = bundle.network
    out = set(reads)
    todo = list(reads)
    while todo:
        for r in net.regulators(todo.pop()):
            if r not in out:
                out.add(r)
                todo.append(r)
    return out


def _contexts(bundle: Bundle, contexts: Sequence[str] | None) -> list[str]:
    if contexts:
        for c in contexts:
            bundle.context(c)
        return list(dict.fromkeys(contexts))
    return list(bundle.contexts) or [NO_CONTEXT]


def _base(bundle: Bundle, context: str) -> dict[str, int]:
    return {} if context == NO_CONTEXT else bundle.clamps(Scenario(context))


def _has_source(bundle: Bundle, context: str, source: str, update: str, timeout) -> bool:
    """Whether the unperturbed context has an attractor carrying the phenotype ``source``."""
    from .analysis import analyse

    scenario = Scenario() if context == NO_CONTEXT else Scenario(context)
    if update == "fixed-points":
        found = analyse(bundle, scenario, query="fixed-points", timeout=timeout)
    else:
        found = analyse(bundle, scenario, update=update, timeout=timeout)  # type: ignore[arg-type]
    return any(source in ca.phenotypes for ca in found)


def control(
    bundle: Bundle,
    *,
    to: str | None = None,
    target: str | None = None,
    source: str | None = None,
    contexts: Sequence[str] | None = None,
    max_size: int = 2,
    agents: AgentKind = "genes",
    nodes: Sequence[str] | None = None,
    mode: ControlMode = "permanent",
    update: ControlUpdate = "mp",
    min_evidence: str | None = None,
    cross_check: bool = True,
    processes: int | None = None,
    timeout: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> ControlResult:
    """Every minimal intervention set of up to ``max_size`` agents that gives the target.

    Parameters
    ----------
    bundle : Bundle
    to : str, optional
        A phenotype name (its marker rule is the target).
    target : str, optional
        A Boolean expression over nodes (give ``to`` or ``target``).
    source : str, optional
        A phenotype name: only contexts where an attractor carries it are searched, and in
        temporary mode the cell starts from those attractors (module docstring).
    contexts : sequence of str, optional
        Named contexts (default: all; a model without contexts has one, ``"-"``, inputs free).
    max_size : int
        Largest set.
    agents : {"genes", "drugs", "both"}
        Knockouts and overexpressions of nodes, drugs of the drug table, or both.
    nodes : sequence of str, optional
        The nodes to knock out or overexpress (default: module docstring).
    mode : {"permanent", "temporary"}
    update : {"mp", "async", "fixed-points"}
        Most permissive attractors (minimal trap spaces), exact asynchronous attractors, or
        fixed points.
    min_evidence : {"approved", "clinical", "preclinical", "tool"}, optional
        Only drugs with at least this evidence.
    cross_check : bool
        Also decide, for each solution, under the other two update schemes.
    processes : int, optional
        Worker processes (default: every core).
    timeout : float, optional
        Seconds for the whole search; :class:`~dormnet.errors.BudgetExceeded` after.
    progress : callable, optional
        Called with a short text as each context finishes.

    Returns
    -------
    ControlResult
        Solutions ranked (module docstring).

    Raises
    ------
    DormnetError
        A bad target, phenotype, context or node; no drugs for ``agents="drugs"``.
    BudgetExceeded
        Out of time.
    """
    check_choice("mode", mode, CONTROL_MODES)
    check_choice("update", update, CONTROL_UPDATES)
    check_choice("agents", agents, AGENT_KINDS)
    if min_evidence is not None:
        check_choice("min_evidence", min_evidence, DRUG_EVIDENCE)
    if max_size < 0:
        raise DormnetError(f"max_size must be 0 or more, not {max_size}")
    start = time.monotonic()
    deadline = None if timeout is None else start + timeout
    text, expr = _target_of(bundle, to, target)
    if source is not None:
        _phenotype(bundle, source)
    reads = set(symbols_of(expr))
    upstream = None if update == "fixed-points" or nodes is not None else _upstream(bundle, reads)
    candidates, pruned = _agents(bundle, agents, nodes, reads, upstream, min_evidence)
    names = _contexts(bundle, contexts)
    skipped: list[str] = []
    if source is not None:
        keep = [c for c in names if _has_source(bundle, c, source, update, timeout)]
        skipped = [c for c in names if c not in keep]
        names = keep
    result = ControlResult(
        [],
        text,
        to,
        source,
        mode,
        update,
        agents,
        max_size,
        names,
        skipped,
        [a.label for a in candidates],
        pruned,
    )
    if not names:
        result.seconds = time.monotonic() - start
        return result
    if mode == "temporary" and update == "fixed-points":
        raise DormnetError(
            "temporary mode follows the cell after the release: use --update async or mp"
        )
    from ._engines.control_run import Run

    run = Run(
        bundle.network,
        expr,
        candidates,
        {c: _base(bundle, c) for c in names},
        update=update,
        max_size=max_size,
        cross_check=cross_check,
        deadline=deadline,
        mode=mode,
        source=None if source is None else _phenotype(bundle, source).expr,
    )
    found, minimal, also, stats = run.solve(processes or os.cpu_count() or 1, progress)
    result.solutions = _solutions(bundle, candidates, names, found, minimal, also)
    result.stats = stats
    result.seconds = time.monotonic() - start
    return result


def _solutions(bundle, candidates, names, found, minimal, also) -> list[Solution]:
    """The solutions as records, ranked."""
    out = []
    for combo, works in found.items():
        members = [candidates[i] for i in combo]
        genes = {n: v for a in members if a.kind == "gene" for n, v in a.clamps}
        drugs = tuple(a.label for a in members if a.kind == "drug")
        clamps = {n: v for a in members for n, v in a.clamps}
        if genes:
            evidence = "gene"
        elif drugs:
            words = [bundle.drugs[d].evidence or "none" for d in drugs]
            evidence = max(words, key=EVIDENCE_RANKS.index)
        else:
            evidence = "none"
        out.append(
            Solution(
                tuple(a.label for a in members),
                genes,
                drugs,
                clamps,
                tuple(c for c in names if c in works),
                tuple(c for c in names if c in minimal[combo]),
                evidence,
                also.get(combo, {}),
            )
        )

    def key(s: Solution):
        held = sum(len(v) for v in s.also.values() if v)
        return (s.size, -len(s.contexts), EVIDENCE_RANKS.index(s.evidence), -held, s.agents)

    out.sort(key=key)
    return out
