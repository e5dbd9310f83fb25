"""Figures of a model and of its analyses, as PNG or SVG (matplotlib, no display needed).

One module per figure, each with a pure function returning a
:class:`matplotlib.figure.Figure`, a ``plot_*`` wrapper that writes it (atomically; the format
comes from the suffix, ``.png`` or ``.svg``), and a ``compute(model, options)`` function that
computes what the figure shows and draws it (``dormnet figure KIND``):

- :mod:`.network`: the signed interaction graph, nodes grouped and coloured by module, signals
  flowing from the niche inputs on the left to the phenotype outputs on the right
  (:func:`network_figure`);
- :mod:`.landscape`: attractor states per context (rows) over the nodes grouped by module
  (columns), annotated with the phenotype of each attractor (:func:`landscape_figure`);
- :mod:`.screen`: a single screen as a perturbation x context heatmap coloured by switch class; a
  double screen as a perturbation x perturbation matrix of synergistic effects
  (:func:`screen_figure`);
- :mod:`.validation`: the literature expectations, pass or fail, with their references
  (:func:`validation_figure`);
- :mod:`.simulation`: phenotype probabilities over time of a stochastic simulation, with 95%
  bands (:func:`simulation_figure`);
- :mod:`.transitions`: every context -> context switch coloured by its phenotype change
  (:func:`dormnet.switch_view.transitions_figure`);
- :mod:`.style`: what they share: colours, :func:`~.style.new_figure`,
  :func:`~.style.bundle_of`, :func:`figure_bytes`, :func:`save_figure`.

Adding a figure: write one module ``dormnet/figures/KIND.py`` with ``KIND_figure(...)`` and
``compute(model, options: DrawOptions) -> Figure``, add one line to :data:`FIGURES` below, and
the kind to :data:`dormnet.choices.FIGURE_KINDS` (the CLI's choice; a test checks that the two
agree). Re-export the figure function here if it is public API.

Figures are built on :class:`~matplotlib.figure.Figure` directly, never through pyplot, so no
GUI backend is touched and nothing global changes (safe in servers, tests and threads).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..choices import FIGURE_KINDS
from ..errors import DormnetError
from . import landscape, network, screen, simulation, transitions, validation
from .landscape import landscape_figure, landscape_rows, plot_landscape
from .network import module_groups, network_figure, network_layout, plot_network
from .screen import plot_screen, screen_figure
from .simulation import simulation_figure
from .style import (
    IMAGE_FORMATS,
    PHENOTYPE_COLOURS,
    SWITCH_COLOURS,
    DrawOptions,
    Model,
    figure_bytes,
    image_format,
    image_table,
    save_figure,
)
from .validation import plot_validation, validation_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..io.screen_rows import ScreenRow

__all__ = [
    "FIGURE_KINDS",
    "IMAGE_FORMATS",
    "PHENOTYPE_COLOURS",
    "SWITCH_COLOURS",
    "draw",
    "figure_bytes",
    "image_format",
    "image_table",
    "landscape_figure",
    "landscape_rows",
    "module_groups",
    "network_figure",
    "network_layout",
    "plot_landscape",
    "plot_network",
    "plot_screen",
    "plot_validation",
    "save_figure",
    "screen_figure",
    "simulation_figure",
    "validation_figure",
]

#: figure kind -> the function that computes and draws it (one line per figure module)
FIGURES: dict[str, Callable[[Model | None, DrawOptions], Figure]] = {
    "network": network.compute,
    "landscape": landscape.compute,
    "screen": screen.compute,
    "validation": validation.compute,
    "simulation": simulation.compute,
    "transitions": transitions.compute,
}


def draw(
    kind: str,
    model: Model | None = None,
    *,
    screen_rows: Sequence[ScreenRow] | None = None,
    context: str | None = None,
    top: int = 40,
    drugs: bool = True,
    update: str = "async",
    processes: int | None = None,
    timeout: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> Figure:
    """One figure of a model, computing what it shows (``dormnet figure KIND``).

    Parameters
    ----------
    kind : str
        A key of :data:`FIGURES`: ``network``, ``landscape``, ``screen``, ``validation``,
        ``simulation``, ``transitions``.
    model : Bundle, BooleanNetwork or path, optional
        Default: the bundled dormancy model (not needed for ``screen`` with ``screen_rows``).
    screen_rows : sequence of ScreenRow, optional
        ``screen``: draw these rows instead of screening single perturbations here.
    context : str, optional
        ``screen``: the pair matrix of one context; ``simulation``: the context simulated.
    top : int
        ``screen``: perturbations on each axis.
    drugs : bool
        ``screen`` computed here: include the model's drugs.
    update : str
        ``landscape`` and ``transitions``: the update scheme.
    processes : int, optional
        Worker processes of the computation.
    timeout : float, optional
        Seconds allowed to the computation.
    progress : callable, optional
        Called with the number of items done.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DormnetError
        An unknown kind, or what the computation raises.

    Examples
    --------
    >>> from dormnet import BooleanNetwork
    >>> fig = draw("network", BooleanNetwork({"a": "a", "b": "a & !c", "c": "b"}))
    >>> type(fig).__name__
    'Figure'
    """
    compute = FIGURES.get(kind)
    if compute is None:
        raise DormnetError(f"unknown figure kind {kind!r}; use {', '.join(FIGURES)}")
    options = DrawOptions(
        screen_rows=screen_rows,
        context=context,
        top=top,
        drugs=drugs,
        update=update,
        processes=processes,
        timeout=timeout,
        progress=progress,
    )
    return compute(model, options)
