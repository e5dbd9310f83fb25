"""Results as pandas data frames, with the columns of the command line's TSV.

Every result that is a table converts in one call: ``result.to_frame()`` on the result types
(:class:`~dormnet.analysis.Analysis`, :class:`~dormnet.analysis.Landscape`,
:class:`~dormnet.io.screen_rows.ScreenResult`, :class:`~dormnet.expectations.Validation`,
:class:`~dormnet.simulate.SimulationResult`,
:class:`~dormnet.stochastic_screen.StochasticScreenResult`), or
:func:`to_frame` on any of them. A frame is built from the very table the command line prints
(:mod:`dormnet.render`, :data:`dormnet.io.screen_rows.ROW_FIELDS`), so its columns are the TSV's,
in the same order, and ``frame.to_csv(sep="\\t", index=False)`` gives the TSV's cells back
(booleans aside: pandas writes ``True``, the TSV ``true``).
Values keep their Python types: numbers are numbers, a node of an attractor is ``0``, ``1`` or
``"*"`` (not fixed in it; a node column without ``"*"`` is integer), an unknown synergy is
missing (``<NA>`` in a nullable boolean column).

pandas is imported inside these functions only: ``import dormnet`` and the command line never
load it (their start-up time is measured), so pandas is needed only by whoever asks for a frame.

Examples
--------
>>> from dormnet import BooleanNetwork
>>> from dormnet.analysis import analyse
>>> from dormnet.bundle import Bundle
>>> df = analyse(Bundle(BooleanNetwork({"a": "!b", "b": "!a"})), query="fixed-points").to_frame()
>>> list(df.columns)
['#', 'phenotypes', 'kind', 'states', 'a', 'b']
>>> df[["a", "b"]].values.tolist()
[[0, 1], [1, 0]]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import astuple
from typing import TYPE_CHECKING, Any

from .errors import DormnetError

if TYPE_CHECKING:
    import pandas as pd

    from .analysis import Analysis, LandscapeRow
    from .expectations import Outcome
    from .io.screen_rows import ScreenRow
    from .render import Table
    from .simulate import SimulationResult

__all__ = [
    "analysis_frame",
    "dynamics_frame",
    "landscape_frame",
    "outcomes_frame",
    "screen_frame",
    "simulation_frame",
    "stochastic_screen_frame",
    "table_frame",
    "to_frame",
]


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:  # a core install without the test or docs extras
        raise DormnetError("data frames need pandas: pip install pandas") from None
    return pandas


def table_frame(table: Table) -> pd.DataFrame:
    """A :class:`~dormnet.render.Table` as a data frame: its columns, one row per result.

    Parameters
    ----------
    table : Table
        As made by :mod:`dormnet.render` for the command line.

    Returns
    -------
    pandas.DataFrame
        The table's columns, in order; its title goes to ``frame.attrs["title"]``.

    Examples
    --------
    >>> from dormnet.render import Table
    >>> table_frame(Table("squares", ["n", "n2"], [[2, 4], [3, 9]])).n2.tolist()
    [4, 9]
    """
    pd = _pandas()
    frame = pd.DataFrame(list(table.rows), columns=list(table.columns))
    if not table.rows:  # no row to infer a type from: say so rather than leave float64
        frame = frame.astype(object)
    frame.attrs["title"] = table.title
    return frame


def analysis_frame(result: Analysis) -> pd.DataFrame:
    """Attractors, fixed points or trap spaces as a data frame (``dormnet attractors --format
    tsv``).

    Parameters
    ----------
    result : Analysis
        From :func:`dormnet.analysis.analyse`.

    Returns
    -------
    pandas.DataFrame
        Columns ``#`` (``A1``, ``A2``...), ``phenotypes`` (comma-separated words), ``kind``,
        ``states`` (the number of states), then one column per node with ``0``, ``1`` or ``"*"``.
    """
    from .render import analysis_table

    return table_frame(analysis_table(result))


def landscape_frame(rows: Sequence[LandscapeRow], *, update: str = "async") -> pd.DataFrame:
    """A landscape as a data frame (``dormnet landscape --format tsv``).

    Parameters
    ----------
    rows : sequence of LandscapeRow
        From :func:`dormnet.analysis.landscape`.
    update : str
        The update scheme, kept in ``frame.attrs["title"]``.

    Returns
    -------
    pandas.DataFrame
        Columns ``context`` (the context's name or ``INPUT=v,...``), ``attractors`` (how many)
        and ``phenotypes`` (each attractor's words joined by ``+``, attractors by ``"; "``).
    """
    from .render import landscape_table

    return table_frame(landscape_table(rows, title=f"{update} landscape", update=update))


def screen_frame(rows: Sequence[ScreenRow]) -> pd.DataFrame:
    """Screen rows as a data frame (the columns of ``dormnet screen -o FILE.tsv``).

    Parameters
    ----------
    rows : sequence of ScreenRow
        From :func:`dormnet.screen.screen` or :func:`dormnet.io.screen_rows.read_rows`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~dormnet.io.screen_rows.ROW_FIELDS`; ``size``, ``n_before`` and
        ``n_after`` are integers, ``synergy`` a nullable boolean (missing for single
        perturbations).
    """
    from .io.screen_rows import ROW_FIELDS

    pd = _pandas()
    frame = pd.DataFrame([astuple(r) for r in rows], columns=list(ROW_FIELDS))
    types = dict.fromkeys(("size", "n_before", "n_after"), "int64")
    frame = frame.astype({**types, "synergy": "boolean"})
    frame.attrs["title"] = "screen"
    return frame


def simulation_frame(result: SimulationResult) -> pd.DataFrame:
    """A simulated time course as a data frame (``dormnet simulate --format tsv``).

    Parameters
    ----------
    result : SimulationResult
        From :func:`dormnet.simulate.simulate` or :func:`dormnet.simulate.simulate_bundle`.

    Returns
    -------
    pandas.DataFrame
        One row per time window: ``time`` (its start), then the probability of each phenotype,
        then of each node being 1 (rounded as the TSV rounds them: 4 decimals).
    """
    from .render import simulation_table

    return table_frame(simulation_table(result, title="simulation"))


def stochastic_screen_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """A stochastic screen as a data frame (``dormnet screen --update stochastic --format tsv``).

    Parameters
    ----------
    rows : sequence of dict
        From :func:`dormnet.stochastic_screen.stochastic_screen`.

    Returns
    -------
    pandas.DataFrame
        ``context``, ``perturbation``, ``size``, then for each phenotype ``w``: ``w`` (its
        last-window probability), ``w_stderr``, ``w_before`` (without the perturbation) and
        ``delta_w``.
    """
    from .stochastic_screen import row_columns

    pd = _pandas()
    columns = row_columns(rows)
    frame = pd.DataFrame([[r[c] for c in columns] for r in rows], columns=columns)
    frame.attrs["title"] = "stochastic screen"
    return frame


def outcomes_frame(outcomes: Sequence[Outcome]) -> pd.DataFrame:
    """Checked expectations as a data frame (``dormnet validate --format tsv``).

    Parameters
    ----------
    outcomes : sequence of Outcome
        From :func:`dormnet.expectations.check_expectations`.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``split``, ``conf``, ``expectation``, ``observed``, ``result``
        (``pass`` or ``FAIL``) and ``reference``.
    """
    from .expectations import summary
    from .render import outcomes_table

    return table_frame(outcomes_table(outcomes, summary(outcomes), title="validation"))


def dynamics_frame(result: Any) -> pd.DataFrame:
    """A switch, schedule, transition matrix, basins or control result as a data frame: the
    columns of the command's ``--format tsv`` (``dormnet switch``, ``basins``, ``control``).

    Parameters
    ----------
    result : Schedule, TransitionMatrix, Basins or ControlResult

    Returns
    -------
    pandas.DataFrame
    """
    from .switch_tables import result_table

    return table_frame(result_table(result))


def to_frame(result: object) -> pd.DataFrame:
    """Any tabular result of dormnet as a data frame.

    Parameters
    ----------
    result : Analysis, Landscape, ScreenResult, Validation or Table
        Or a non-empty list of :class:`~dormnet.analysis.LandscapeRow`,
        :class:`~dormnet.io.screen_rows.ScreenRow` or :class:`~dormnet.expectations.Outcome`.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    DormnetError
        For anything else (and for an empty plain list, whose kind cannot be told).
    """
    method = getattr(result, "to_frame", None)
    if callable(method):
        return method()
    from .render import Table

    if isinstance(result, Table):
        return table_frame(result)
    if isinstance(result, (list, tuple)) and result:
        from .analysis import LandscapeRow
        from .expectations import Outcome
        from .io.screen_rows import ScreenRow

        first = result[0]
        if isinstance(first, LandscapeRow):
            return landscape_frame(result)
        if isinstance(first, ScreenRow):
            return screen_frame(result)
        if isinstance(first, Outcome):
            return outcomes_frame(result)
    raise DormnetError(f"no data frame for a {type(result).__name__}")
