"""The transitions figure: every context -> context switch of a model, coloured by its phenotype
change, solid where every trajectory makes it (``dormnet figure transitions``, and the report's
switches section). The drawing itself is :func:`dormnet.switch_view.transitions_figure`, beside
the HTML table of the same matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .style import SWITCH_COLOURS, DrawOptions, Model, bundle_of

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["compute"]


def compute(model: Model | None, options: DrawOptions) -> Figure:
    """``dormnet figure transitions``: the context-switch matrix
    (:func:`dormnet.switch.transition_matrix`) under ``options.update``, then the figure.

    Parameters
    ----------
    model : Bundle, BooleanNetwork, path or None
        ``None``: the bundled dormancy model.
    options : DrawOptions
        ``update`` (``async``, ``mp`` or ``sync``) and ``timeout``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from ..switch import transition_matrix
    from ..switch_view import transitions_figure

    m = transition_matrix(bundle_of(model), update=options.update, timeout=options.timeout)  # type: ignore[arg-type]
    return transitions_figure(m, SWITCH_COLOURS)
