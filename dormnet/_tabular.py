"""What the dynamics and control results share: the command's table as a data frame and as HTML.

:class:`Tabular` gives :class:`~dormnet.switch.Schedule`, :class:`~dormnet.switch.TransitionMatrix`,
:class:`~dormnet.basins.Basins` and :class:`~dormnet.control.ControlResult` one ``to_frame`` and
one ``_repr_html_``, through :func:`dormnet.switch_tables.result_table` (the table the command
line prints). The presenters are imported when called, so importing a result type costs nothing.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Tabular"]


class Tabular:
    """A result that the command line prints as one table."""

    def to_frame(self) -> Any:
        """The table of the command line's ``--format tsv`` as a data frame.

        Returns
        -------
        pandas.DataFrame
        """
        from .frames import dynamics_frame

        return dynamics_frame(self)

    def _repr_html_(self) -> str:
        from .display import dynamics_html

        return dynamics_html(self)
