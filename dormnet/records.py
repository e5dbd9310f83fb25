"""The model bundle and its records: node table rows, edge provenance, decisions, contexts,
phenotypes, drugs and expectations.

Plain data, below every loader and writer: :mod:`dormnet.bundle` reads them from the companion
files (``docs/formats.md``) into a :class:`Bundle`, :mod:`dormnet.io` writes node annotations
from them, and the analyses read phenotypes and drugs. Nothing here imports a loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import boolean

from .choices import Query, Update
from .errors import ClampError, UnknownNodeError
from .expr import symbols_of
from .network import BooleanNetwork, unknown_name_message
from .scenario import Scenario

__all__ = [
    "BASELINES",
    "EXPECT_KINDS",
    "PHENOTYPE_WORDS",
    "SPLITS",
    "Bundle",
    "Context",
    "Decision",
    "Drug",
    "EdgeProvenance",
    "Expectation",
    "NodeInfo",
    "Phenotype",
    "check_node",
]

#: the phenotype words of curated phenotype files (``--phenotype NAME=EXPR`` takes any name)
PHENOTYPE_WORDS = ("dormant", "proliferative", "apoptotic", "emt", "arrested")
#: quantifiers of an expectation over the attractors it looks at
EXPECT_KINDS = ("all", "some", "none")
#: which expectations may guide rule choices (calibration) and which may not (validation)
SPLITS = ("calibration", "validation")
#: what the check must give without its perturbation: not the same answer, or the same
BASELINES = ("differs", "unchanged")

Expect = Literal["all", "some", "none"]


@dataclass(frozen=True)
class Context:
    """A named microenvironment: a value for every input (defaults filled in).

    Attributes
    ----------
    name, description : str
    inputs : dict
        Every input of the model with its value in this context.
    named : dict
        The inputs the context file names (the others take the defaults).
    references : tuple of str
        PMIDs/DOIs of the experimental system.
    """

    name: str
    description: str
    inputs: dict[str, int]
    named: dict[str, int]
    references: tuple[str, ...]


@dataclass(frozen=True)
class Phenotype:
    """A phenotype word with its marker rule (a Boolean expression over nodes)."""

    name: str
    rule: str
    expr: boolean.Expression = field(compare=False, repr=False)
    description: str = ""
    references: tuple[str, ...] = ()

    @property
    def markers(self) -> list[str]:
        """The nodes the rule reads."""
        return symbols_of(self.expr)


@dataclass(frozen=True)
class Drug:
    """A drug or tool compound as clamps on nodes."""

    name: str
    aliases: tuple[str, ...]
    description: str
    clamps: dict[str, int]
    references: tuple[str, ...]
    evidence: str = ""


@dataclass(frozen=True)
class Expectation:
    """One literature expectation (``docs/formats.md``).

    A plain expectation looks at the attractors of ``scenario``; a temporal one (``steps``)
    starts from the attractors of ``steps[0]`` (those with phenotype ``start`` if given), applies
    each later scenario in turn and looks at the attractors reached at the last one. ``expect``
    quantifies over the attractors looked at: ``all`` carry ``phenotype`` (and ``markers``),
    ``some`` does, ``none`` does (``all`` and ``none`` need at least one attractor).
    ``scenario`` includes the ``background`` perturbations, which the baseline keeps.
    """

    id: str
    claim: str
    scenario: Scenario
    update: Update
    expect: Expect
    phenotype: str
    markers: dict[str, int]
    references: tuple[str, ...]
    confidence: str
    note: str = ""
    split: str = "validation"
    system: str = ""
    baseline: str = "differs"
    steps: tuple[Scenario, ...] = ()
    start: str | None = None
    query: Query = "attractors"
    background: Scenario = Scenario()

    @property
    def temporal(self) -> bool:
        """True for a scenario sequence (memory, hysteresis, withdrawal)."""
        return bool(self.steps)

    def baseline_scenario(self) -> Scenario:
        """What the check is compared with: the context and the background perturbations (for a
        temporal expectation, the last step alone).

        Returns
        -------
        Scenario
        """
        if self.temporal:
            return self.steps[-1]
        return self.scenario.baseline().plus(self.background)

    @property
    def perturbed(self) -> bool:
        """True if the expectation is about a perturbation or a history, so that it has a
        baseline to differ from."""
        return self.temporal or self.scenario != self.baseline_scenario()


@dataclass(frozen=True)
class NodeInfo:
    """A row of the node table."""

    node: str
    module: str
    kind: str
    description: str
    hgnc: str = ""
    uniprot: str = ""


@dataclass(frozen=True)
class EdgeProvenance:
    """A row of the edge provenance table (regulator ``-`` for an input's own row)."""

    target: str
    regulator: str
    sign: str
    references: tuple[str, ...]
    evidence: str
    confidence: str
    note: str
    line: int


@dataclass(frozen=True)
class Decision:
    """A recorded modelling decision."""

    id: str
    title: str
    choice: str
    reason: str
    references: tuple[str, ...]
    nodes: tuple[str, ...]


def check_node(net: BooleanNetwork, name: str) -> None:
    """Raise unless ``name`` is a node of ``net``.

    Parameters
    ----------
    net : BooleanNetwork
    name : str

    Raises
    ------
    UnknownNodeError
        With a did-you-mean.
    """
    if name not in net:
        raise UnknownNodeError(unknown_name_message(name, net.nodes, "node"))


@dataclass
class Bundle:
    """A network with its companion data; every part but the network may be empty."""

    network: BooleanNetwork
    path: Path | None = None
    nodes: dict[str, NodeInfo] = field(default_factory=dict)
    provenance: list[EdgeProvenance] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    defaults: dict[str, int] = field(default_factory=dict)
    contexts: dict[str, Context] = field(default_factory=dict)
    phenotypes: dict[str, Phenotype] = field(default_factory=dict)
    drugs: dict[str, Drug] = field(default_factory=dict)
    expectations: list[Expectation] = field(default_factory=list)
    expected_failures: tuple[str, ...] = ()
    files: dict[str, Path] = field(default_factory=dict)

    def context(self, name: str) -> Context:
        """A context by name.

        Parameters
        ----------
        name : str

        Returns
        -------
        Context

        Raises
        ------
        UnknownNodeError
            No such context (with a did-you-mean).
        """
        if name in self.contexts:
            return self.contexts[name]
        if not self.contexts:
            raise UnknownNodeError(f"this model has no contexts file, so no context {name!r}")
        raise UnknownNodeError(unknown_name_message(name, self.contexts, "context"))

    def drug(self, name: str) -> Drug:
        """A drug by name or alias, case-insensitively.

        Parameters
        ----------
        name : str

        Returns
        -------
        Drug

        Raises
        ------
        UnknownNodeError
            No such drug (with a did-you-mean).
        """
        key = name.casefold()
        for d in self.drugs.values():
            if key == d.name.casefold() or key in (a.casefold() for a in d.aliases):
                return d
        known = [d.name for d in self.drugs.values()] + [
            a for d in self.drugs.values() for a in d.aliases
        ]
        if not self.drugs:
            raise UnknownNodeError(f"this model has no drugs file, so no drug {name!r}")
        raise UnknownNodeError(unknown_name_message(name, known, "drug"))

    def clamps(self, scenario: Scenario) -> dict[str, int]:
        """Node -> value for a scenario, its names resolved against this model.

        Later parts override earlier ones: the context's inputs, drugs, knockouts,
        overexpressions, explicit clamps (so ``"bone_marrow,LIF=0"`` is the bone marrow without
        LIF). Two drugs that hold one node at different values are a :class:`ClampError`.

        Parameters
        ----------
        scenario : Scenario

        Returns
        -------
        dict
            Node -> 0 or 1.

        Raises
        ------
        UnknownNodeError
            A context, drug or node the model does not have.
        ClampError
            Conflicting drug clamps, or a value other than 0 or 1.

        Examples
        --------
        >>> from dormnet import BooleanNetwork
        >>> b = Bundle(BooleanNetwork({"a": "a", "b": "a & !b"}))
        >>> b.clamps(Scenario.parse("ko:b,a=1"))
        {'b': 0, 'a': 1}
        """
        net = self.network
        out: dict[str, int] = {}
        if scenario.context is not None:
            out.update(self.context(scenario.context).inputs)
        by_drug: dict[str, tuple[str, int]] = {}
        for d in scenario.drugs:
            drug = self.drug(d)
            for n, v in drug.clamps.items():
                seen = by_drug.setdefault(n, (drug.name, v))
                if seen[1] != v:
                    raise ClampError(
                        f"drugs {seen[0]} and {drug.name} hold {n} at different values"
                    )
                out[n] = v
        for nodes, value in ((scenario.knockout, 0), (scenario.overexpress, 1)):
            for n in nodes:
                check_node(net, n)
                out[n] = value
        for n, v in scenario.clamps:
            check_node(net, n)
            if v not in (0, 1):
                raise ClampError(f"value of {n} must be 0 or 1, not {v!r}")
            out[n] = int(v)
        return out

    def edges_of(self, node: str) -> list[EdgeProvenance]:
        """Provenance rows whose target is ``node``.

        Parameters
        ----------
        node : str

        Returns
        -------
        list of EdgeProvenance
        """
        return [e for e in self.provenance if e.target == node]

    def decisions_of(self, node: str) -> list[Decision]:
        """Decisions that name ``node``.

        Parameters
        ----------
        node : str

        Returns
        -------
        list of Decision
        """
        return [d for d in self.decisions if node in d.nodes]
