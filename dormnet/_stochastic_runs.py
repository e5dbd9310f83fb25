"""Running the stochastic simulation of :mod:`dormnet.simulate`: batches of trajectories in
forked workers (results handed over in batch order, so that an answer never depends on timing),
the exact solution through :mod:`dormnet._engines.markov`, and the :class:`SimulationResult` each
becomes. Private: :mod:`dormnet.simulate` is the interface.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .stochastic_result import SimulationResult

if TYPE_CHECKING:
    from ._engines.stochastic import Batch, CompiledModel

__all__ = ["batch_seed", "exact", "finish", "run_tasks", "sample"]

_POOL_MODEL: dict[str, Any] = {}


def _task(args: tuple) -> tuple[int, Batch]:
    """One batch, in a worker (the model is inherited through fork, not pickled)."""
    from ._engines.stochastic import run_batch

    key, scenarios, n, seed, kwargs = args
    return key, run_batch(_POOL_MODEL["model"], scenarios, n, seed=seed, **kwargs)


def batch_seed(seed: int, *key: int) -> int:
    import numpy as np

    return int(np.random.SeedSequence([seed % (2**63), *key]).generate_state(1)[0])


def run_tasks(
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


def exact(model, frozen, ph_names, settings) -> SimulationResult:
    from ._engines.markov import solve_exact

    res = solve_exact(
        model,
        frozen,
        max_time=settings["max_time"],
        time_step=settings["time_step"],
        discrete_time=settings["discrete_time"],
    )
    return finish(model, res, ph_names, frozen, settings, "exact")


def finish(model, res, ph_names, frozen, settings, method) -> SimulationResult:
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


def sample(
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
    tasks = [(b, scen, k, batch_seed(settings["seed"], b), kw) for b, k in enumerate(sizes)]
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

    run_tasks(model, tasks, processes, on_result)
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
