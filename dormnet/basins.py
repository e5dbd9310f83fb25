"""Basins of attraction: the share of a scenario's states from which each attractor is reachable
(weak basin) and from which it is the only reachable attractor (strong basin: every trajectory
ends there).

The state space of a scenario is every state with the scenario's clamped nodes at their values;
every other node is free: inputs the scenario leaves open, and nodes whose rule is a constant
(a state with such a node at the other value leaves it at its first update), as pyboolnet counts.
The counts are exact: symbolic (BDD cardinality) under asynchronous and most-permissive updating,
exhaustive over the free nodes under synchronous updating (at most
:data:`dormnet._engines.sync.MAX_FREE`); where
a limit is reached the error names it. Under synchronous updating every state has one future,
so the weak and strong basins are the same.

References
----------
Klarner H, Heinitz F, Nee S, Siebert H. Basins of attraction, commitment sets and phenotypes of
Boolean networks. IEEE/ACM Trans Comput Biol Bioinform 2020; arXiv:1807.10103 (pyboolnet's
``basins_of_attraction``: weak basin EF, strong basin AG EF).

Examples
--------
A toggle switch: each of its two fixed points is reached from three of the four states, and is
the only one reached from one state (itself); the state 00 reaches both and 11 too.

>>> from dormnet import BooleanNetwork
>>> from dormnet.bundle import Bundle
>>> b = basins(Bundle(BooleanNetwork({"a": "!b", "b": "!a"})))
>>> b.total, b.weak, b.strong
(4, (3, 3), (1, 1))
"""

from __future__ import annotations

from dataclasses import dataclass

from ._engines.reach import BasinCounts, Budget, Reacher
from ._tabular import Tabular
from .analysis import Analysis, analyse
from .bundle import Bundle
from .choices import UPDATES, Update, check_choice
from .scenario import Scenario
from .switch import region_of

__all__ = ["Basins", "basins"]


@dataclass(frozen=True)
class Basins(Tabular):
    """The basins of the attractors of one scenario.

    Attributes
    ----------
    attractors : Analysis
        The classified attractors, in :func:`~dormnet.analysis.analyse` order.
    total : int
        States of the scenario.
    weak, strong : tuple of int
        Per attractor, the states of its weak and of its strong basin.
    """

    attractors: Analysis
    total: int
    weak: tuple[int, ...]
    strong: tuple[int, ...]

    def share(self, j: int, kind: str = "weak") -> float:
        """The fraction of the states in the weak or strong basin of attractor ``j``.

        Parameters
        ----------
        j : int
        kind : {"weak", "strong"}

        Returns
        -------
        float
        """
        return (self.weak if kind == "weak" else self.strong)[j] / self.total

    @property
    def undecided(self) -> int:
        """States in no strong basin: from them more than one attractor is reachable."""
        return self.total - sum(self.strong)


def basins(
    bundle: Bundle,
    scenario: Scenario | str = "",
    *,
    update: Update = "async",
    timeout: float | None = None,
) -> Basins:
    """Weak and strong basin of every attractor of a scenario, counted exactly.

    Parameters
    ----------
    bundle : Bundle
    scenario : Scenario or str
        What is held fixed (the comma-separated form is accepted).
    update : {"async", "sync", "mp"}
    timeout : float, optional
        Seconds for the whole computation.

    Returns
    -------
    Basins

    Raises
    ------
    BudgetExceeded
        Time, BDD size, or the synchronous limit of free nodes ran out (the message names it).
    """
    check_choice("update", update, UPDATES)
    scen = scenario if isinstance(scenario, Scenario) else Scenario.parse(scenario)
    budget = Budget(timeout)
    found = analyse(bundle, scen, update=update, timeout=budget.left())
    reacher = Reacher(bundle.network)
    counts: BasinCounts = reacher.basins(
        update,
        reacher.clamp_bits(bundle.clamps(scen)),
        [region_of(bundle, ca) for ca in found],
        budget=budget,
    )
    return Basins(found, counts.total, counts.weak, counts.strong)
