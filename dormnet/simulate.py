"""Phenotype probabilities over time by stochastic simulation, with MaBoSS semantics.

A population of cells is a continuous-time Markov chain over Boolean states (Stoll et al. 2012):
node ``X`` switches on at rate ``u_X`` while its rule is true and off at rate ``d_X`` while it is
false (default 1 both ways). Every trajectory starts from the initial distribution (default:
every node 0 or 1 with probability 1/2, MaBoSS's default; a context's inputs and the clamps are
fixed). Time is cut into ``int(max_time / time_step)`` windows; the probability of a node or a
phenotype in a window is the fraction of the window a trajectory spends with it on, averaged over
trajectories, with the standard error of that mean: MaBoSS's ``probtraj`` estimator. With
``discrete_time`` every transition takes one time step instead of an exponential time (MaBoSS's
``discrete_time = 1``).

Clamps and MaBoSS mutations. A clamp (a context input, a knockout, an overexpression, a drug)
holds the node at its value from time 0: its initial value *is* the clamp and it never moves.
MaBoSS mutates a node instead by rates (``Node::makeMutable``): the node keeps its initial
distribution and leaves a wrong value at rate ``DBL_MAX / number of mutated nodes``, i.e. after
a time of about 1e-308. In continuous time both give the same window averages (the wrong value
lasts no measurable time), but in discrete time the MaBoSS mutant spends its first whole step at
its initial value, and its first transition is spent on the mutated node. ``mutations=`` gives
the MaBoSS behaviour.

Percolation, exactly. A node is not simulated when it provably never moves: its initial value is
certain and no transition away from it is possible while every such node keeps its value (the
largest such set is a trap space containing every initial state; it is found by removing, until
nothing changes, every node one of whose "leave" conditions is satisfiable there). Clamped nodes
and a context's inputs always qualify; nodes downstream of a knockout qualify when their initial
value is given. With MaBoSS's random initial states a node that percolates to a constant still has
a transient (it starts at the other value half of the time), so it is simulated: dropping it would
change the time course.

Exact where possible: when few nodes are left free (``method="auto"``: when the estimated work of
the exact solver is small; about 16 free nodes with unit rates), the chain is solved exactly
(:mod:`dormnet._engines.markov`) for the same windows, and the standard errors are 0.

References
----------
Stoll G, Viara E, Barillot E, Calzone L. Continuous time Boolean modeling for biological
signaling: application of Gillespie algorithm. BMC Syst Biol 2012;6:116.
DOI:10.1186/1752-0509-6-116.
Gillespie DT. Exact stochastic simulation of coupled chemical reactions. J Phys Chem
1977;81(25):2340-2361. DOI:10.1021/j100540a008.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .errors import SimulationError, UnknownNodeError
from .io.rates import read_setup
from .network import BooleanNetwork, unknown_name_message
from .stochastic_model import (
    Initial,
    RateSpec,
    SimulationSetup,
    Transition,
    compile_network,
    frozen_nodes,
    parse_initial,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from ._engines.stochastic import Batch, CompiledModel

__all__ = [
    "METHODS",
    "MUTATION_STYLES",
    "SimulationResult",
    "SimulationSetup",
    "Transition",
    "frozen_nodes",
    "load_simulation_bundle",
    "parse_initial",
    "read_setup",
    "simulate",
    "simulate_bundle",
    "simulate_scenarios",
    "stationary",
]

METHODS = ("auto", "sampling", "exact")
Method = Literal["auto", "sampling", "exact"]
#: how knockouts, overexpressions, drugs and explicit clamps act: held from time 0, or MaBoSS's
#: mutations by huge rates (a context's inputs are always held)
MUTATION_STYLES = ("clamp", "maboss")
#: ``method="auto"`` solves exactly when the estimated multiply-adds stay below this
EXACT_BUDGET = 3e8
#: ... and never beyond this many free nodes (memory: 2^k states times the quantities)
EXACT_MAX_FREE = 20


@dataclass
class SimulationResult:
    """Probabilities per time window, with standard errors.

    Attributes
    ----------
    times : numpy.ndarray
        Start of each window.
    nodes, phenotypes : tuple of str
        Column names of the probability arrays (``undetermined``: no phenotype rule holds).
    node_probabilities, node_stderr : numpy.ndarray
        ``(windows, nodes)``: probability that the node is 1, averaged over the window.
    phenotype_probabilities, phenotype_stderr : numpy.ndarray
        ``(windows, phenotypes)``.
    fixed_points : list of (dict, float)
        Fixed points the trajectories ended in, with the fraction of trajectories (exact: the
        probability of having reached it by ``max_time``).
    trajectories : int
        Trajectories run (0 for the exact solver).
    method : str
        ``"sampling"`` or ``"exact"``.
    frozen : dict
        Nodes that were not simulated (they provably never move) and their values.
    settings : dict
        ``max_time``, ``time_step``, ``discrete_time``, ``seed``.
    """

    times: np.ndarray
    nodes: tuple[str, ...]
    node_probabilities: np.ndarray
    node_stderr: np.ndarray
    phenotypes: tuple[str, ...]
    phenotype_probabilities: np.ndarray
    phenotype_stderr: np.ndarray
    fixed_points: list[tuple[dict[str, int], float]]
    trajectories: int
    method: str
    frozen: dict[str, int]
    settings: dict[str, Any]

    @property
    def final(self) -> dict[str, dict[str, float]]:
        """Last-window probabilities: ``{"phenotypes": {...}, "nodes": {...}}``."""
        return self._last(self.phenotype_probabilities, self.node_probabilities)

    @property
    def final_stderr(self) -> dict[str, dict[str, float]]:
        """Standard errors of :attr:`final`, in the same shape."""
        return self._last(self.phenotype_stderr, self.node_stderr)

    def _last(self, ph: np.ndarray, nd: np.ndarray) -> dict[str, dict[str, float]]:
        return {
            "phenotypes": {w: float(ph[-1, j]) for j, w in enumerate(self.phenotypes)},
            "nodes": {n: float(nd[-1, j]) for j, n in enumerate(self.nodes)},
        }

    def to_frame(self) -> pd.DataFrame:
        """The time course as a pandas data frame, with the columns of ``dormnet simulate
        --format tsv`` (:func:`dormnet.frames.simulation_frame`).

        Returns
        -------
        pandas.DataFrame
        """
        from .frames import simulation_frame

        return simulation_frame(self)

    def _repr_html_(self) -> str:
        from .display import simulation_html

        return simulation_html(self)

    def to_json(self, digits: int = 6) -> dict[str, Any]:
        """The stable JSON shape: ``times``, ``phenotypes`` and ``nodes`` (name -> one
        probability per window), ``final`` and ``stderr`` (last window), ``fixed_points``.

        Parameters
        ----------
        digits : int
            Probabilities rounded to this many digits.

        Returns
        -------
        dict
        """

        def r(x: float) -> float:
            return round(float(x), digits)

        def cols(names: Sequence[str], a: np.ndarray) -> dict[str, list[float]]:
            return {n: [r(v) for v in a[:, j]] for j, n in enumerate(names)}

        def last(d: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
            return {k: {n: r(v) for n, v in part.items()} for k, part in d.items()}

        return {
            "times": [r(t) if math.isfinite(t) else None for t in self.times],
            "phenotypes": cols(self.phenotypes, self.phenotype_probabilities),
            "nodes": cols(self.nodes, self.node_probabilities),
            "final": last(self.final),
            "stderr": last(self.final_stderr),
            "fixed_points": [{"state": dict(s), "probability": r(p)} for s, p in self.fixed_points],
            "trajectories": self.trajectories,
            "method": self.method,
            "frozen": dict(self.frozen),
            "settings": {
                k: None if isinstance(v, float) and not math.isfinite(v) else v
                for k, v in self.settings.items()
            },
        }


def _check_run(
    trajectories: int, max_time: float, time_step: float, processes: int | None, method: str
) -> None:
    if isinstance(trajectories, bool) or not isinstance(trajectories, int) or trajectories < 1:
        raise SimulationError(f"trajectories must be a positive integer, not {trajectories!r}")
    for name, v in (("max_time", max_time), ("time_step", time_step)):
        if (
            isinstance(v, bool)
            or not isinstance(v, (int, float))
            or not (v > 0 and math.isfinite(v))
        ):
            raise SimulationError(f"{name} must be a positive number, not {v!r}")
    if int(max_time / time_step) < 1:
        raise SimulationError(
            f"max_time ({max_time}) is shorter than one time step ({time_step}): no window"
        )
    if int(max_time / time_step) > 1_000_000:
        raise SimulationError("more than 1,000,000 time windows: raise time_step")
    if processes is not None and (not isinstance(processes, int) or processes < 1):
        raise SimulationError(f"processes must be a positive integer, not {processes!r}")
    if method not in METHODS:
        raise SimulationError(f"method must be one of {', '.join(METHODS)}, not {method!r}")


def _check_values(net: BooleanNetwork, values: Mapping[str, int] | None, what: str) -> dict:
    out = {}
    for n, v in (values or {}).items():
        if n not in net:
            raise UnknownNodeError(unknown_name_message(n, net.nodes, "node") + f" in {what}")
        if v not in (0, 1) or isinstance(v, float):
            raise SimulationError(f"{what}: value of {n} must be 0 or 1, not {v!r}")
        out[n] = int(v)
    return out


# -- running -------------------------------------------------------------------------------------

_POOL_MODEL: dict[str, Any] = {}


def _task(args: tuple) -> tuple[int, Batch]:
    """One batch, in a worker (the model is inherited through fork, not pickled)."""
    from ._engines.stochastic import run_batch

    key, scenarios, n, seed, kwargs = args
    return key, run_batch(_POOL_MODEL["model"], scenarios, n, seed=seed, **kwargs)


def _batch_seed(seed: int, *key: int) -> int:
    import numpy as np

    return int(np.random.SeedSequence([seed % (2**63), *key]).generate_state(1)[0])


def _run_tasks(
    model: CompiledModel,
    tasks: list[tuple],
    processes: int,
    on_result: Callable[[int, Batch], bool],
) -> None:
    """Run batch tasks (in order of their keys as far as results are concerned) in up to
    ``processes`` forked workers; ``on_result`` returning True stops the rest."""
    import multiprocessing as mp

    from ._engines.stochastic import _kernel

    _kernel()  # compiled (or loaded from numba's cache) once here; workers inherit it
    if mp.current_process().daemon or "fork" not in mp.get_all_start_methods():
        processes = 1
    processes = max(1, min(processes, len(tasks)))
    _POOL_MODEL["model"] = model
    try:
        if processes == 1:
            for t in tasks:
                if on_result(*_task(t)):
                    return
            return
        with mp.get_context("fork").Pool(processes) as pool:
            pending: dict[int, Batch] = {}
            want = 0
            for key, batch in pool.imap_unordered(_task, tasks):
                pending[key] = batch
                # hand results over in key order, so that the answer does not depend on timing
                while want in pending:
                    if on_result(want, pending.pop(want)):
                        pool.terminate()
                        return
                    want += 1
    finally:
        _POOL_MODEL.clear()


def _decode(model: CompiledModel, words: tuple[int, ...]) -> dict[str, int]:
    return {n: (words[i // 64] >> (i % 64)) & 1 for i, n in enumerate(model.nodes)}


def simulate(
    net: BooleanNetwork,
    clamps: Mapping[str, int] | None = None,
    *,
    phenotypes: Mapping[str, Any] | None = None,
    rates: Mapping[str, RateSpec] | None = None,
    initial: Initial | None = None,
    mutations: Mapping[str, int] | None = None,
    trajectories: int = 10_000,
    max_time: float = 100.0,
    time_step: float = 1.0,
    discrete_time: bool = False,
    seed: int = 0,
    processes: int | None = 1,
    method: Method = "auto",
    tolerance: float | None = None,
    batch_size: int | None = None,
) -> SimulationResult:
    """Node and phenotype probabilities over time, by Gillespie sampling or exactly.

    Parameters
    ----------
    net : BooleanNetwork
    clamps : mapping, optional
        Nodes held at 0/1 from time 0 (a context's inputs, knockouts, drugs).
    phenotypes : mapping, optional
        Name -> rule (a :class:`~dormnet.bundle.Phenotype`, a boolean.py expression or BNET
        text); ``undetermined`` (no rule holds) is added.
    rates : mapping, optional
        Node -> rate (both ways), ``(up, down)``, or a :class:`Transition`; default 1.
    initial : mapping, optional
        Node -> probability of starting at 1, or a tuple of nodes -> ``{values: probability}``;
        default 1/2 for every node (clamped nodes start at their clamp).
    mutations : mapping, optional
        Nodes mutated the MaBoSS way (rates, not clamps; see the module docstring).
    trajectories : int
        Trajectories to run (at most; see ``tolerance``).
    max_time, time_step : float
        Simulated time and window length.
    discrete_time : bool
        One transition per time step (MaBoSS ``discrete_time = 1``).
    seed : int
        The results depend only on the seed and the batch size, not on ``processes``.
    processes : int, optional
        Worker processes (``None``: every CPU).
    method : {"auto", "sampling", "exact"}
        ``auto`` solves the chain exactly when few nodes are free (see the module docstring).
    tolerance : float, optional
        Stop early once every 95% confidence interval (1.96 standard errors) is within
        ``tolerance`` of its probability, in every window.
    batch_size : int, optional
        Trajectories per batch (default: 1,000 with a tolerance, else ``trajectories / 8``
        rounded up to a thousand).

    Returns
    -------
    SimulationResult

    Raises
    ------
    UnknownNodeError
        A clamp, rate, initial state or phenotype names a node the network does not have.
    SimulationError
        A rate, probability, time or method that cannot be used.

    Examples
    --------
    >>> net = BooleanNetwork({"a": "a", "b": "a"})
    >>> res = simulate(net, {"a": 1}, initial={"b": 0}, max_time=2, time_step=1, method="exact")
    >>> round(res.final["nodes"]["b"], 4)  # 1 - (1 - e^-1) / 1 averaged over [1, 2)
    0.7675
    >>> res.frozen
    {'a': 1}
    """
    _check_run(trajectories, max_time, time_step, processes, method)
    clamps = _check_values(net, clamps, "clamps")
    mutations = _check_values(net, mutations, "mutations")
    if tolerance is not None and not (isinstance(tolerance, (int, float)) and tolerance > 0):
        raise SimulationError(f"tolerance must be a positive number, not {tolerance!r}")
    model, transitions, certain, ph_names = compile_network(net, phenotypes, rates, initial)
    frozen = frozen_nodes(transitions, certain, clamps, mutations)
    settings = {
        "max_time": float(max_time),
        "time_step": float(time_step),
        "discrete_time": bool(discrete_time),
        "seed": int(seed),
    }
    n = len(model.nodes)
    free = n - len(frozen)
    if method != "sampling" and not mutations and free <= EXACT_MAX_FREE:
        from ._engines.markov import exact_cost

        rate_sum = sum(
            max((r for r, _ in pieces), default=0.0)
            for node, (up, down) in transitions.items()
            if node not in frozen
            for pieces in (up, down)
        )
        cost = exact_cost(free, max_time, time_step, rate_sum, discrete_time)
        if method == "exact" or cost <= EXACT_BUDGET:
            return _exact(model, frozen, ph_names, settings)
    if method == "exact":
        why = "MaBoSS mutations are stiff" if mutations else f"{free} nodes are free"
        raise SimulationError(
            f"cannot solve exactly: {why} (at most {EXACT_MAX_FREE}); use method='sampling'"
        )
    return _sample(
        model,
        frozen,
        mutations,
        ph_names,
        settings,
        trajectories,
        processes or os.cpu_count() or 1,
        tolerance,
        batch_size,
    )


def stationary(
    net: BooleanNetwork,
    clamps: Mapping[str, int] | None = None,
    *,
    phenotypes: Mapping[str, Any] | None = None,
    rates: Mapping[str, RateSpec] | None = None,
    initial: Initial | None = None,
    discrete_time: bool = False,
) -> SimulationResult:
    """The long-run node and phenotype probabilities from the initial distribution, exactly.

    The time average of the probabilities over ``[0, T]`` as ``T`` grows (MaBoSS's last window
    for a long ``max_time``), solved from the chain's closed classes
    (:func:`dormnet._engines.markov.solve_stationary`); a result with one window whose start is
    infinite (``null`` in JSON), standard errors 0, and the fixed points with the probability of
    ending in each.

    Parameters
    ----------
    net, clamps, phenotypes, rates, initial, discrete_time
        As in :func:`simulate`.

    Returns
    -------
    SimulationResult

    Raises
    ------
    SimulationError
        More than :data:`EXACT_MAX_FREE` free nodes.

    Examples
    --------
    >>> net = BooleanNetwork({"a": "a", "b": "a & !b | b & !a"})  # b oscillates while a is on
    >>> res = stationary(net, initial={"a": 0.5}, rates={"b": (3.0, 1.0)})
    >>> round(res.final["nodes"]["b"], 4)  # a = 1: on 3/4 of the time; a = 0: b keeps its value
    0.625
    """
    clamps = _check_values(net, clamps, "clamps")
    model, transitions, certain, ph_names = compile_network(net, phenotypes, rates, initial)
    frozen = frozen_nodes(transitions, certain, clamps)
    free = len(model.nodes) - len(frozen)
    if free > EXACT_MAX_FREE:
        raise SimulationError(
            f"the stationary distribution is solved exactly: {free} nodes are free (at most "
            f"{EXACT_MAX_FREE}); simulate a long max_time instead"
        )
    from ._engines.markov import solve_stationary

    res = solve_stationary(model, frozen, discrete_time=bool(discrete_time))
    settings = {"max_time": math.inf, "time_step": math.inf, "discrete_time": bool(discrete_time)}
    return _finish(model, res, ph_names, frozen, settings, "stationary")


def _exact(model, frozen, ph_names, settings) -> SimulationResult:
    from ._engines.markov import solve_exact

    res = solve_exact(
        model,
        frozen,
        max_time=settings["max_time"],
        time_step=settings["time_step"],
        discrete_time=settings["discrete_time"],
    )
    return _finish(model, res, ph_names, frozen, settings, "exact")


def _finish(model, res, ph_names, frozen, settings, method) -> SimulationResult:
    import numpy as np

    fps = sorted(
        ((_decode(model, w), p) for w, p in res.fixed.items()), key=lambda x: (-x[1], str(x[0]))
    )
    n = len(model.nodes)
    result = _result(
        model, res.mean, np.zeros_like(res.mean), n, ph_names, fps, 0, method, frozen, settings
    )
    return result


def _result(model, mean, se, n, ph_names, fps, N, method, frozen, settings) -> SimulationResult:
    import numpy as np

    W = mean.shape[0]
    return SimulationResult(
        times=np.arange(W) * settings["time_step"]
        if math.isfinite(settings["time_step"])
        else np.full(W, np.inf),
        nodes=tuple(model.nodes),
        node_probabilities=mean[:, :n],
        node_stderr=se[:, :n],
        phenotypes=tuple(ph_names),
        phenotype_probabilities=mean[:, n:],
        phenotype_stderr=se[:, n:],
        fixed_points=fps,
        trajectories=N,
        method=method,
        frozen=dict(frozen),
        settings=settings,
    )


def _default_batch(trajectories: int, tolerance: float | None) -> int:
    if tolerance is not None:
        return min(trajectories, 1000)
    return min(trajectories, max(1000, -(-trajectories // 8000) * 1000))


def _sample(
    model, frozen, mutations, ph_names, settings, trajectories, processes, tolerance, batch_size
) -> SimulationResult:
    from ._engines.stochastic import Scenario, sum_batches

    size = batch_size or _default_batch(trajectories, tolerance)
    sizes = [size] * (trajectories // size) + ([trajectories % size] if trajectories % size else [])
    scen = [Scenario(frozen, mutations)]
    kw = {
        "max_time": settings["max_time"],
        "time_step": settings["time_step"],
        "discrete_time": settings["discrete_time"],
    }
    tasks = [(b, scen, k, _batch_seed(settings["seed"], b), kw) for b, k in enumerate(sizes)]
    total: list[Batch] = []

    def on_result(key: int, batch: Batch) -> bool:
        if total:
            total[0].merge(batch)
        else:
            total.append(batch)
        if tolerance is None or total[0].trajectories < 2:
            return False
        _, se = sum_batches(total[0], settings["time_step"])
        return bool((1.96 * se).max() <= tolerance)

    _run_tasks(model, tasks, processes, on_result)
    batch = total[0]
    mean, se = sum_batches(batch, settings["time_step"])
    N = batch.trajectories
    fps = sorted(
        ((_decode(model, w), c / N) for w, c in batch.fixed[0].items()),
        key=lambda x: (-x[1], str(x[0])),
    )
    settings = dict(settings, transitions=batch.steps)
    n = len(model.nodes)
    return _result(model, mean[0], se[0], n, ph_names, fps, N, "sampling", frozen, settings)


def simulate_scenarios(
    net: BooleanNetwork,
    scenarios: Sequence[Mapping[str, int]],
    *,
    phenotypes: Mapping[str, Any] | None = None,
    rates: Mapping[str, RateSpec] | None = None,
    initial: Initial | None = None,
    trajectories: int = 1000,
    max_time: float = 100.0,
    time_step: float = 1.0,
    discrete_time: bool = False,
    seed: int = 0,
    processes: int | None = 1,
    chunk: int = 16,
    nodes: bool = True,
    progress: Callable[[int], None] | None = None,
    chunk_offset: int = 0,
) -> list[dict[str, dict[str, float]]]:
    """Last-window probabilities of many clamp sets (a stochastic screen), batched.

    The model is compiled once; each kernel call simulates ``chunk`` scenarios, keeping only the
    last window, and chunks run in up to ``processes`` forked workers. With ``nodes=False``
    only the phenotypes are accounted for (a screen's rows need no more): less work per step.
    Chunk ``j`` is seeded from ``(seed, chunk_offset + j)``: a caller that splits the scenarios
    into runs of whole chunks (a Dask task each) gets the rows of one call.

    Parameters
    ----------
    net : BooleanNetwork
    scenarios : sequence of mappings
        The clamps of each scenario (node -> 0/1).
    phenotypes, rates, initial, trajectories, max_time, time_step, discrete_time, seed, processes
        As for :func:`simulate`.
    chunk : int
        Scenarios per kernel call.
    nodes : bool
        Also account for the nodes (not only the phenotypes).
    progress : callable, optional
        Called with the number of scenarios done.
    chunk_offset : int
        The index of the first chunk, for its seed.

    Returns
    -------
    list of dict
        Per scenario: ``{"phenotypes": {...}, "nodes": {...}, "stderr": {"phenotypes": {...},
        "nodes": {...}}}`` for the last window.
    """
    _check_run(trajectories, max_time, time_step, processes, "sampling")
    from ._engines.stochastic import Scenario, sum_batches, windows

    model, transitions, certain, ph_names = compile_network(net, phenotypes, rates, initial)
    scen = []
    for c in scenarios:
        c = _check_values(net, c, "clamps")
        scen.append(Scenario(frozen_nodes(transitions, certain, c)))
    W = windows(max_time, time_step)
    kw = {
        "max_time": float(max_time),
        "time_step": float(time_step),
        "discrete_time": bool(discrete_time),
        "first_window": W - 1,
        "track_nodes": nodes,
        "fixed_points": False,
    }
    chunks = [scen[i : i + chunk] for i in range(0, len(scen), chunk)]
    tasks = [
        (j, c, trajectories, _batch_seed(seed, chunk_offset + j), kw) for j, c in enumerate(chunks)
    ]
    n = len(model.nodes)
    out: list[dict[str, dict[str, Any]]] = []

    def on_result(key: int, batch: Batch) -> bool:
        mean, se = sum_batches(batch, time_step)
        for s in range(mean.shape[0]):
            m, e = mean[s, -1], se[s, -1]
            out.append(
                {
                    "phenotypes": {w: float(m[n + j]) for j, w in enumerate(ph_names)},
                    "nodes": {x: float(m[i]) for i, x in enumerate(model.nodes)} if nodes else {},
                    "stderr": {
                        "phenotypes": {w: float(e[n + j]) for j, w in enumerate(ph_names)},
                        "nodes": {x: float(e[i]) for i, x in enumerate(model.nodes)}
                        if nodes
                        else {},
                    },
                }
            )
        if progress is not None:
            progress(mean.shape[0])
        return False

    _run_tasks(model, tasks, processes or os.cpu_count() or 1, on_result)
    return out


# -- a bundle and a scenario ---------------------------------------------------------------------


def load_simulation_bundle(
    model: str | os.PathLike[str] | None,
    rates_file: str | os.PathLike[str] | None = None,
    phenotypes: Sequence[str] = (),
) -> Any:
    """The model bundle ``dormnet simulate`` works on: :func:`dormnet.bundle.load_bundle`, except
    that a MaBoSS ``.bnd`` model given with a ``.cfg`` reads its parameters from that ``.cfg``
    (its logic may use them); ``phenotypes`` are ``NAME=EXPR`` rules added to the bundle's.

    Parameters
    ----------
    model : path or None
        ``None``: the bundled dormancy model.
    rates_file : path, optional
        A MaBoSS ``.cfg`` or a TOML rates file.
    phenotypes : sequence of str
        ``NAME=EXPR`` rules.

    Returns
    -------
    Bundle
    """
    from .bundle import Bundle, load_bundle, phenotypes_from_rules

    if (
        model is not None
        and Path(model).suffix.lower() == ".bnd"
        and rates_file is not None
        and Path(rates_file).suffix.lower() == ".cfg"
    ):
        from .io.maboss import read_maboss

        bundle = Bundle(read_maboss(model, rates_file)[0], Path(model))
    else:
        bundle = load_bundle(model)
    if phenotypes:
        bundle.phenotypes.update(phenotypes_from_rules(bundle.network, list(phenotypes)))
    return bundle


def simulate_bundle(
    bundle: Any,
    scenario: Any,
    *,
    rates_file: str | os.PathLike[str] | None = None,
    initial: str | Initial | None = None,
    mutations: str = "clamp",
    stationary_only: bool = False,
    **settings: Any,
) -> SimulationResult:
    """Simulate a model bundle in a scenario: what ``dormnet simulate`` runs.

    Rates, initial states and run settings come from ``rates_file`` (a TOML file, or a MaBoSS
    ``.cfg``), or from the ``.cfg`` beside a ``.bnd`` model; ``initial`` (a mapping or
    ``"NODE=P,..."``) and the keyword settings override them. The scenario's context holds its
    inputs; its knockouts, overexpressions, drugs and explicit clamps are clamps, or MaBoSS
    mutations with ``mutations="maboss"``.

    Parameters
    ----------
    bundle : Bundle
    scenario : Scenario
    rates_file : path, optional
    initial : str or mapping, optional
    mutations : {"clamp", "maboss"}
    stationary_only : bool
        The long-run distribution (:func:`stationary`) instead of a time course.
    **settings
        Keyword arguments of :func:`simulate` (``None`` values are ignored).

    Returns
    -------
    SimulationResult
    """
    from .choices import check_choice

    try:
        check_choice("mutations", mutations, MUTATION_STYLES)
    except ValueError as e:
        raise SimulationError(str(e)) from None
    net = bundle.network
    setup = SimulationSetup()
    cfg = rates_file is not None and Path(rates_file).suffix.lower() == ".cfg"
    if bundle.path is not None and Path(bundle.path).suffix.lower() == ".bnd":
        # a MaBoSS model: its rates are the .bnd's expressions, with the .cfg's parameters
        from .io.maboss import read_maboss

        setup = read_maboss(bundle.path, rates_file if cfg else None)[1]
        if rates_file is not None and not cfg:
            extra_setup = read_setup(rates_file, net)
            setup.rates.update(extra_setup.rates)
            setup.initial.update(extra_setup.initial)
    elif rates_file is not None:
        setup = read_setup(rates_file, net)
    init: dict[Any, Any] = dict(setup.initial)
    extra = parse_initial(initial, net) if isinstance(initial, str) else dict(initial or {})
    for key in list(init):  # a node given here replaces its entry (alone or in a joint group)
        members = {key} if isinstance(key, str) else set(key)
        if members & set(extra):
            del init[key]
    init.update(extra)
    kwargs = {**setup.settings(), **{k: v for k, v in settings.items() if v is not None}}
    clamps = bundle.clamps(scenario)
    context = dict(bundle.context(scenario.context).inputs) if scenario.context else {}
    if stationary_only:
        return stationary(
            net,
            clamps,
            phenotypes=bundle.phenotypes,
            rates=setup.rates,
            initial=init,
            discrete_time=bool(kwargs.get("discrete_time", False)),
        )
    muts: dict[str, int] = {}
    if mutations == "maboss":
        muts = {n: v for n, v in clamps.items() if context.get(n) != v}
        clamps = {n: v for n, v in clamps.items() if n not in muts}
    return simulate(
        net,
        clamps,
        phenotypes=bundle.phenotypes,
        rates=setup.rates,
        initial=init,
        mutations=muts,
        **kwargs,
    )
