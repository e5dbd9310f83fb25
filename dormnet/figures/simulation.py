"""The simulation figure: phenotype probabilities over time of a stochastic simulation, with
their 95% confidence bands (``dormnet figure simulation``, and the report's simulation section)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .style import DrawOptions, Model, bundle_of, model_name

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..simulate import SimulationResult

__all__ = ["compute", "simulation_figure"]

#: nodes drawn when the model has no phenotypes: the ones that change most
TOP_NODES = 8


def simulation_figure(result: SimulationResult, *, title: str | None = None) -> Figure:
    """Phenotype probabilities per window (nodes that change most if there are no phenotypes),
    each with a band of 1.96 standard errors; windows are drawn at their start.

    Parameters
    ----------
    result : SimulationResult
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    if result.phenotypes:
        names, probs, errs = (
            list(result.phenotypes),
            result.phenotype_probabilities,
            result.phenotype_stderr,
        )
    else:
        spread = result.node_probabilities.max(axis=0) - result.node_probabilities.min(axis=0)
        keep = list(np.argsort(-spread)[:TOP_NODES])
        names = [result.nodes[j] for j in keep]
        probs, errs = result.node_probabilities[:, keep], result.node_stderr[:, keep]
    fig = Figure(figsize=(7.5, 4.2))
    ax = fig.add_subplot()
    t = result.times
    for j, name in enumerate(names):
        (line,) = ax.plot(t, probs[:, j], label=name, linewidth=1.8)
        lo = np.clip(probs[:, j] - 1.96 * errs[:, j], 0, 1)
        hi = np.clip(probs[:, j] + 1.96 * errs[:, j], 0, 1)
        ax.fill_between(t, lo, hi, color=line.get_color(), alpha=0.2, linewidth=0)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("time (window start)")
    ax.set_ylabel("probability")
    how = (
        "exact solution"
        if result.method == "exact"
        else f"{result.trajectories:,} trajectories, 95% bands"
    )
    ax.set_title((title + "\n" if title else "") + how, fontsize=10)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=9)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def compute(model: Model | None, options: DrawOptions) -> Figure:
    """``dormnet figure simulation``: simulate the context (2,000 trajectories, 50 time units),
    then the figure.

    Parameters
    ----------
    model : Bundle, BooleanNetwork, path or None
        ``None``: the bundled dormancy model.
    options : DrawOptions
        ``context`` (none: the model's inputs as they are) and ``processes``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from ..scenario import Scenario
    from ..simulate import simulate_bundle

    b = bundle_of(model)
    scenario = Scenario(options.context)
    result = simulate_bundle(
        b, scenario, trajectories=2000, max_time=50.0, processes=options.processes
    )
    return simulation_figure(result, title=f"{model_name(b)}: {scenario.label()}")
