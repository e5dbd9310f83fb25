"""Switch dynamics: what a cell does when its niche changes or a drug is given or withdrawn.

A *switch* takes a cell from one scenario (:class:`~dormnet.scenario.Scenario`: a context plus
clamps, knockouts, overexpressions and drugs) to another. The cell starts in an attractor of the
first scenario; at the switch its state carries over, the nodes the second scenario clamps take
their clamped values at once, and the second scenario's dynamics run from there. For each
attractor of the first scenario :func:`switch` says which attractors of the second are reachable
from it (*possibly*: some trajectory ends there; weak) and whether one of them is reached
*always* (every trajectory ends there; strong: it is then the only reachable one, see
:mod:`dormnet._engines.reach`).

A *schedule* is a sequence of three or more scenarios (niche, drug on, drug off): each scenario
is held long enough for the cell to settle in one of its attractors before the next switch, so
the answer of the schedule is the composition of its switches. :func:`reached` is the question a
temporal expectation asks (``steps`` in ``expectations.toml``), and :func:`transition_matrix`
asks every context -> context switch of a model at once (which niche changes wake dormant cells,
which re-induce dormancy, which cannot be undone by going back).

Every answer is exact under the update scheme asked for (``async``: symbolic reachability with
biodivine-aeon; ``mp``: minimal trap spaces in the smallest trap space containing a state;
``sync``: the deterministic map followed state by state); none is sampled. A computation that
runs out of its budget raises :class:`~dormnet.errors.BudgetExceeded` whose ``partial`` is a
:class:`Schedule` with what is certain so far (``exact`` is ``False`` where an answer is only a
lower bound).

Examples
--------
A toggle switch ``a``/``b`` that a signal ``s`` forces into ``a``: a cell in ``b`` moves to
``a`` when ``s`` comes, and stays there when ``s`` goes (hysteresis).

>>> from dormnet import BooleanNetwork
>>> from dormnet.bundle import Bundle, phenotypes_from_rules
>>> net = BooleanNetwork({"s": "s", "a": "!b | s", "b": "!a"})
>>> b = Bundle(net, phenotypes=phenotypes_from_rules(net, ["A=a & !b", "B=b & !a"]))
>>> plan = switch(b, ["s=0", "s=1", "s=0"])
>>> [ca.phenotypes for ca in plan.first]
[['B'], ['A']]
>>> [[plan.last[j].phenotypes for j in r] for r in plan.reaches]
[[['A']], [['A']]]
>>> plan.always(0)
1
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ._engines.percolation import BitSpace
from ._engines.reach import Budget, PartialReach, Reacher, Region
from ._tabular import Tabular
from .analysis import Analysis, ClassifiedAttractor, analyse
from .attractors import CubeStates
from .bundle import Bundle
from .choices import UPDATES, Update, check_choice
from .errors import BudgetExceeded, DormnetError
from .scenario import Scenario

__all__ = [
    "Schedule",
    "Switch",
    "TransitionMatrix",
    "reached",
    "region_of",
    "switch",
    "transition_matrix",
]


@dataclass(frozen=True)
class Switch:
    """One switch: the attractors before and after it, and what each one before reaches.

    Attributes
    ----------
    before, after : Analysis
        The classified attractors of the two scenarios (in :func:`~dormnet.analysis.analyse`
        order).
    reaches : tuple of frozenset
        Per attractor before, the indices of the attractors after that it can reach.
    exact : tuple of bool
        Per attractor before, whether ``reaches`` is the whole answer (``False``: a lower bound,
        the computation stopped at its budget).
    """

    before: Analysis
    after: Analysis
    reaches: tuple[frozenset[int], ...]
    exact: tuple[bool, ...]

    def always(self, i: int) -> int | None:
        """The attractor after that every trajectory from attractor ``i`` reaches, if any.

        Parameters
        ----------
        i : int
            An attractor before the switch.

        Returns
        -------
        int or None
        """
        return _always(self.reaches[i], self.exact[i])

    @property
    def complete(self) -> bool:
        """Whether every answer is exact."""
        return all(self.exact)


def _always(reach: frozenset[int], exact: bool) -> int | None:
    return next(iter(reach)) if exact and len(reach) == 1 else None


@dataclass(frozen=True)
class Schedule(Tabular):
    """A sequence of switches (two scenarios: one switch).

    Attributes
    ----------
    steps : tuple of Switch
        One per switch, in order; ``steps[k].after`` is ``steps[k + 1].before``.
    update : str
    """

    steps: tuple[Switch, ...]
    update: str

    @property
    def first(self) -> Analysis:
        """The attractors of the first scenario."""
        return self.steps[0].before

    @property
    def last(self) -> Analysis:
        """The attractors of the last scenario."""
        return self.steps[-1].after

    @property
    def scenarios(self) -> list[Scenario]:
        """The scenarios, in order."""
        return [self.steps[0].before.scenario] + [s.after.scenario for s in self.steps]

    @property
    def reaches(self) -> tuple[frozenset[int], ...]:
        """Per attractor of the first scenario, the attractors of the last it can reach through
        the whole schedule (settling in an attractor of every scenario in between)."""
        return self._composed()[0]

    @property
    def exact(self) -> tuple[bool, ...]:
        """Per attractor of the first scenario, whether :attr:`reaches` is the whole answer."""
        return self._composed()[1]

    @property
    def complete(self) -> bool:
        """Whether every answer of every step is exact."""
        return all(s.complete for s in self.steps)

    def always(self, i: int) -> int | None:
        """The attractor of the last scenario that every trajectory from attractor ``i`` of the
        first reaches, if any.

        Parameters
        ----------
        i : int

        Returns
        -------
        int or None
        """
        return _always(self.reaches[i], self.exact[i])

    def _composed(self) -> tuple[tuple[frozenset[int], ...], tuple[bool, ...]]:
        reach = [frozenset({i}) for i in range(len(self.first))]
        exact = [True] * len(reach)
        for step in self.steps:
            nxt, ok = [], []
            for r, e in zip(reach, exact):
                nxt.append(frozenset().union(*(step.reaches[j] for j in r)))
                ok.append(e and all(step.exact[j] for j in r))
            reach, exact = nxt, ok
        return tuple(reach), tuple(exact)


def region_of(bundle: Bundle, ca: ClassifiedAttractor) -> Region:
    """An attractor as a :class:`~dormnet._engines.reach.Region` of the reachability engines.

    Parameters
    ----------
    bundle : Bundle
    ca : ClassifiedAttractor

    Returns
    -------
    Region
        Its subspace and size, and its states as bitmask cubes where they are listed.
    """
    nodes = bundle.network.nodes
    index = {n: i for i, n in enumerate(nodes)}
    a = ca.attractor
    full = (1 << len(nodes)) - 1

    def bits(space: dict) -> BitSpace:
        mask = vals = 0
        for n, v in space.items():
            mask |= 1 << index[n]
            vals |= v << index[n]
        return mask, vals

    cubes: tuple[BitSpace, ...] | None
    if isinstance(a.states, CubeStates):
        cubes = tuple(a.states.cubes)
    elif a.states is not None:
        cubes = tuple((full, bits(s)[1]) for s in a.states)
    else:
        cubes = None
    return Region(bits(a.space), a.size, cubes)


class _Run:
    """The engines and the budget of one call, shared by its switches."""

    def __init__(self, bundle: Bundle, update: Update, timeout: float | None) -> None:
        check_choice("update", update, UPDATES)
        self.bundle, self.update = bundle, update
        self.budget = Budget(timeout)
        self.reacher = Reacher(bundle.network)
        self._analyses: dict[Scenario, Analysis] = {}

    def analyse(self, scenario: Scenario) -> Analysis:
        hit = self._analyses.get(scenario)
        if hit is None:
            hit = analyse(self.bundle, scenario, update=self.update, timeout=self.budget.left())
            self._analyses[scenario] = hit
        return hit

    def switch(
        self,
        before: Analysis,
        after: Analysis,
        only: Sequence[int] | None = None,
        basins_first: bool = False,
    ) -> Switch:
        """The switch from ``before`` to ``after`` (for the attractors ``only``, others empty;
        ``basins_first``: decide by the basins of the attractors after, kept for other calls)."""
        bundle = self.bundle
        todo = list(range(len(before))) if only is None else list(only)
        clamps = self.reacher.clamp_bits(bundle.clamps(after.scenario))
        old = self.reacher.clamp_bits(bundle.clamps(before.scenario))
        if before.scenario == after.scenario:
            found = [frozenset({i}) for i in todo]  # nothing changes: each stays where it is
        else:
            try:
                found = self.reacher.reach(
                    self.update,
                    [region_of(bundle, before[i]) for i in todo],
                    clamps,
                    [region_of(bundle, ca) for ca in after],
                    before=old,
                    basins_first=basins_first,
                    budget=self.budget,
                )
            except BudgetExceeded as e:
                p = e.partial if isinstance(e.partial, PartialReach) else PartialReach(())
                e.partial = self._partial(before, after, todo, p)
                raise
        reaches: list[frozenset[int]] = [frozenset()] * len(before)
        exact = [only is None] * len(before)
        for i, r in zip(todo, found):
            reaches[i], exact[i] = r, True
        return Switch(before, after, tuple(reaches), tuple(exact))

    def _partial(
        self, before: Analysis, after: Analysis, todo: list[int], p: PartialReach
    ) -> Switch:
        reaches: list[frozenset[int]] = [frozenset()] * len(before)
        exact = [False] * len(before)
        for i, r in zip(todo, p.done):
            reaches[i], exact[i] = r, True
        if len(p.done) < len(todo):
            reaches[todo[len(p.done)]] = p.lower
        return Switch(before, after, tuple(reaches), tuple(exact))


def _scenario(s: Scenario | str) -> Scenario:
    return s if isinstance(s, Scenario) else Scenario.parse(s)


def switch(
    bundle: Bundle,
    scenarios: Sequence[Scenario | str],
    *,
    update: Update = "async",
    timeout: float | None = None,
) -> Schedule:
    """Switch a cell through a sequence of scenarios: for each attractor of every scenario but
    the last, the attractors of the next scenario it reaches (possibly, or always).

    Parameters
    ----------
    bundle : Bundle
    scenarios : sequence of Scenario or str
        Two or more; strings in the comma-separated form (``"bone_marrow,drug:everolimus"``).
    update : {"async", "sync", "mp"}
    timeout : float, optional
        Seconds for the whole computation.

    Returns
    -------
    Schedule
        One :class:`Switch` per step; :attr:`Schedule.reaches` composes them.

    Raises
    ------
    BudgetExceeded
        The time or BDD-size budget ran out; ``partial`` is the :class:`Schedule` so far.
    DormnetError
        Fewer than two scenarios; a name the model does not have.

    Examples
    --------
    >>> from dormnet import BooleanNetwork
    >>> b = Bundle(BooleanNetwork({"s": "s", "a": "a | s"}))
    >>> plan = switch(b, ["s=0,a=0", "s=1"])
    >>> plan.steps[0].reaches, plan.always(0)
    ((frozenset({0}),), 0)
    """
    steps = [_scenario(s) for s in scenarios]
    if len(steps) < 2:
        raise DormnetError("a switch needs two or more scenarios")
    run = _Run(bundle, update, timeout)
    done: list[Switch] = []
    try:
        before = run.analyse(steps[0])
        for nxt in steps[1:]:
            after = run.analyse(nxt)
            done.append(run.switch(before, after))
            before = after
    except BudgetExceeded as e:
        if isinstance(e.partial, Switch):
            done.append(e.partial)
        e.partial = Schedule(tuple(done), update) if done else None
        raise
    return Schedule(tuple(done), update)


def reached(
    bundle: Bundle,
    steps: Sequence[Scenario | str],
    *,
    start: str | None = None,
    update: Update = "async",
    timeout: float | None = None,
) -> list[ClassifiedAttractor]:
    """The attractors of the last scenario reachable (possibly) from the attractors of the first:
    what a temporal expectation looks at.

    Parameters
    ----------
    bundle : Bundle
    steps : sequence of Scenario or str
        Two or more scenarios, applied in turn (the cell settles in an attractor of each).
    start : str, optional
        Start only from the attractors of ``steps[0]`` with this phenotype.
    update : {"async", "sync", "mp"}
    timeout : float, optional
        Seconds for the whole computation.

    Returns
    -------
    list of ClassifiedAttractor
        Each reachable attractor of the last scenario once, in the order of
        :func:`~dormnet.analysis.analyse`; empty if no attractor of the first scenario has
        phenotype ``start``.

    Raises
    ------
    BudgetExceeded
        The budget ran out.

    Examples
    --------
    >>> from dormnet import BooleanNetwork
    >>> from dormnet.bundle import phenotypes_from_rules
    >>> net = BooleanNetwork({"s": "s", "a": "!b | s", "b": "!a"})
    >>> b = Bundle(net, phenotypes=phenotypes_from_rules(net, ["A=a & !b", "B=b & !a"]))
    >>> [ca.phenotypes for ca in reached(b, ["s=0", "s=1", "s=0"], start="B")]
    [['A']]
    """
    scenarios = [_scenario(s) for s in steps]
    if len(scenarios) < 2:
        raise DormnetError("reached needs two or more scenarios")
    run = _Run(bundle, update, timeout)
    before = run.analyse(scenarios[0])
    current = [i for i, ca in enumerate(before) if start is None or start in ca.phenotypes]
    for nxt in scenarios[1:]:
        after = run.analyse(nxt)
        step = run.switch(before, after, only=current)
        current = sorted(set().union(*(step.reaches[i] for i in current)))
        before = after
    return [before[j] for j in current]


#: switch classes from the most to the least notable, to name a matrix cell by its most notable
#: change
CHANGE_ORDER = (
    "eliminating",
    "awakening",
    "dormancy-inducing",
    "dormancy-losing",
    "growth-arresting",
    "other shift",
    "no change",
    "no attractor",
)


@dataclass(frozen=True)
class TransitionMatrix(Tabular):
    """Every switch between the named contexts of a model.

    Attributes
    ----------
    contexts : tuple of str
        In the order of the model's contexts file.
    analyses : dict
        Context -> its :class:`~dormnet.analysis.Analysis`.
    cells : dict
        ``(from, to)`` -> :class:`Switch` (the diagonal: each attractor stays).
    update : str
    """

    contexts: tuple[str, ...]
    analyses: dict[str, Analysis]
    cells: dict[tuple[str, str], Switch] = field(default_factory=dict)
    update: str = "async"

    def round_trip(self, a: str, b: str) -> tuple[frozenset[int], ...]:
        """Per attractor of context ``a``: the attractors of ``a`` reached after a stay in ``b``
        and the return to ``a``.

        Parameters
        ----------
        a, b : str
            Context names.

        Returns
        -------
        tuple of frozenset
        """
        return Schedule((self.cells[a, b], self.cells[b, a]), self.update).reaches

    def change(self, a: str, b: str) -> tuple[str, bool]:
        """How the phenotypes move when the cells of context ``a`` are moved to ``b``: the switch
        class (:func:`dormnet.screen.switch_class`) of the attractor of ``a`` whose change is the
        most notable (:data:`CHANGE_ORDER`), and whether that change happens *always* (every
        attractor of ``a`` with that class reaches one attractor of ``b`` for sure).

        Parameters
        ----------
        a, b : str

        Returns
        -------
        (str, bool)
        """
        from .screen import switch_class

        cell, after = self.cells[a, b], self.analyses[b]
        if not len(after):
            return "no attractor", True
        classes = []
        for i, ca in enumerate(cell.before):
            reached = [frozenset(after[j].phenotypes) for j in cell.reaches[i]]
            classes.append((switch_class([frozenset(ca.phenotypes)], reached), cell.always(i)))
        if not classes:
            return "no attractor", True
        top = min((c for c, _ in classes), key=CHANGE_ORDER.index)
        return top, all(al is not None for c, al in classes if c == top)

    def irreversible(self, a: str, b: str) -> list[int]:
        """The attractors of ``a`` that a stay in ``b`` can move for good: after the return to
        ``a`` the cell may end elsewhere (hysteresis, or memory of ``b``).

        Parameters
        ----------
        a, b : str

        Returns
        -------
        list of int
        """
        return [i for i, r in enumerate(self.round_trip(a, b)) if r != {i}]


def transition_matrix(
    bundle: Bundle,
    *,
    contexts: Sequence[str] | None = None,
    base: Scenario | None = None,
    update: Update = "async",
    timeout: float | None = None,
) -> TransitionMatrix:
    """Every context -> context switch of a model (``base`` held in each, e.g. a drug).

    Parameters
    ----------
    bundle : Bundle
    contexts : sequence of str, optional
        By default every named context of the bundle.
    base : Scenario, optional
        Perturbations added to every context (e.g. a drug).
    update : {"async", "sync", "mp"}
    timeout : float, optional
        Seconds for the whole matrix.

    Returns
    -------
    TransitionMatrix

    Raises
    ------
    DormnetError
        The model has no named contexts.
    BudgetExceeded
        The budget ran out; ``partial`` is the :class:`TransitionMatrix` so far.
    """
    names = tuple(contexts if contexts is not None else bundle.contexts)
    if not names:
        raise DormnetError("this model has no named contexts; give scenarios to switch between")
    for name in names:
        bundle.context(name)
    run = _Run(bundle, update, timeout)
    out = TransitionMatrix(names, {}, {}, update)
    try:
        for name in names:
            out.analyses[name] = run.analyse(Scenario(name).plus(base or Scenario()))
        for a in names:
            for b in names:
                # the attractors of b are targets of every other context: their basins, computed
                # once, answer all of them (one forward set per start would cost far more)
                out.cells[a, b] = run.switch(out.analyses[a], out.analyses[b], basins_first=True)
    except BudgetExceeded as e:
        e.partial = out
        raise
    return out
