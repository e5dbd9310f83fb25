"""What a stochastic simulation returns (:func:`dormnet.simulate.simulate` and the functions
around it): node and phenotype probabilities per time window, with standard errors.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["SimulationResult"]


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
