"""The records of a model bundle: node table rows, edge provenance, decisions, contexts,
phenotypes, drugs and expectations.

Plain frozen data, below every loader and writer: :mod:`dormnet.bundle` reads them from the
companion files (``docs/formats.md``), :mod:`dormnet.io` writes node annotations from them, and
the analyses read phenotypes and drugs. Nothing here imports a loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import boolean

from .expr import symbols_of
from .scenario import Scenario

__all__ = [
    "Context",
    "Phenotype",
    "Drug",
    "Expectation",
    "NodeInfo",
    "EdgeProvenance",
    "Decision",
    "PHENOTYPE_WORDS",
    "EXPECT_KINDS",
    "SPLITS",
    "BASELINES",
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
    update: str
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
    query: str = "attractors"
    background: Scenario = Scenario()

    @property
    def temporal(self) -> bool:
        """True for a scenario sequence (memory, hysteresis, withdrawal)."""
        return bool(self.steps)

    def baseline_scenario(self) -> Scenario:
        """What the check is compared with: the context and the background perturbations (for a
        temporal expectation, the last step alone)."""
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
