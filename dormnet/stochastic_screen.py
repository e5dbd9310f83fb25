"""Stochastic screens: phenotype probabilities per perturbation and context, by simulation.

``dormnet screen --update stochastic``: every perturbation of a screen (:func:`dormnet.screen.
interventions`) is simulated in every context with MaBoSS semantics (:mod:`dormnet.simulate`),
and each row gives the last-window probability of every phenotype, its standard error, and its
change against the unperturbed scenario of the same context (the baseline, simulated with the same
settings). The model is compiled once; many perturbations go through the numba kernel in one call
(:func:`dormnet.simulate.simulate_scenarios`), chunks run in forked workers or, with
``scheduler=``, on a Dask cluster.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .errors import DormnetError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "StochasticScreenResult",
    "row_columns",
    "screen_runner",
    "stochastic_screen",
    "stochastic_screen_to",
]

#: scenarios per kernel call (and per task sent to a worker or to the Dask cluster); the seeds go
#: by chunk, so the Dask path gives the rows of the local one
CHUNK = 16


def _columns(words: Sequence[str]) -> list[str]:
    out = ["context", "perturbation", "size"]
    for w in words:
        out += [w, f"{w}_stderr", f"{w}_before", f"delta_{w}"]
    return out


def row_columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The columns of stochastic screen rows, in the order of the TSV.

    Parameters
    ----------
    rows : sequence of dict
        From :func:`stochastic_screen`.

    Returns
    -------
    list of str
        ``context``, ``perturbation``, ``size``, then four columns per phenotype.
    """
    return _columns([k for k in rows[0] if f"delta_{k}" in rows[0]]) if rows else []


class StochasticScreenResult(list[dict[str, Any]]):
    """The rows of :func:`stochastic_screen` (a list of dicts)."""

    def to_frame(self) -> pd.DataFrame:
        """The rows as a pandas data frame with the TSV's columns
        (:func:`dormnet.frames.stochastic_screen_frame`).

        Returns
        -------
        pandas.DataFrame
        """
        from .frames import stochastic_screen_frame

        return stochastic_screen_frame(self)

    def _repr_html_(self) -> str:
        from .display import stochastic_screen_html

        return stochastic_screen_html(self)


def _simulate_chunk(net_text: str, phenotypes: dict[str, str], clamp_sets, settings) -> list:
    """One chunk of scenarios (in a worker or on a Dask worker)."""
    from .io.bnet import parse_bnet
    from .simulate import simulate_scenarios

    return simulate_scenarios(parse_bnet(net_text), clamp_sets, phenotypes=phenotypes, **settings)


def stochastic_screen(
    bundle: Any,
    items: Sequence[Any],
    *,
    contexts: Sequence[str] | None = None,
    trajectories: int = 1000,
    max_time: float = 100.0,
    time_step: float = 1.0,
    seed: int = 0,
    processes: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> StochasticScreenResult:
    """Last-window phenotype probabilities of every perturbation in every context.

    Parameters
    ----------
    bundle : Bundle
        The model, with phenotypes and contexts.
    items : sequence of Intervention
        From :func:`dormnet.screen.interventions`.
    contexts : sequence of str, optional
        Default: every named context (a model without contexts: the empty context ``-``).
    trajectories, max_time, time_step, seed : optional
        As in :func:`dormnet.simulate.simulate`, for every scenario.
    processes : int, optional
        Forked workers (default: every core).
    scheduler : str, optional
        Address of a Dask distributed scheduler to run the chunks on instead.
    progress : callable, optional
        Called with the number of rows finished.

    Returns
    -------
    StochasticScreenResult
        A list of dicts, one row per context and perturbation (the baseline first, as
        ``none``): context, perturbation, size, then per phenotype its probability, standard
        error, the baseline's probability and the change (columns: :func:`row_columns`).
    """
    from .simulate import simulate_scenarios

    if not bundle.phenotypes:
        raise DormnetError("screens classify phenotypes: this model has no phenotypes file")
    names = list(contexts) if contexts else (list(bundle.contexts) or ["-"])
    labelled = [("none", 0, ())] + [(it.label, it.size, it.clamps) for it in items]
    scenarios = []
    for ctx in names:
        base = dict(bundle.context(ctx).inputs) if ctx != "-" else {}
        for _, _, clamps in labelled:
            scenarios.append({**base, **dict(clamps)})
    settings: dict[str, Any] = {
        "trajectories": trajectories,
        "max_time": max_time,
        "time_step": time_step,
        "seed": seed,
    }
    phenotypes = {w: p.rule for w, p in bundle.phenotypes.items()}
    if scheduler:
        results = _run_dask(scheduler, bundle.network, phenotypes, scenarios, settings, progress)
    else:
        results = simulate_scenarios(
            bundle.network,
            scenarios,
            phenotypes=phenotypes,
            processes=processes,
            progress=progress,
            chunk=CHUNK,
            nodes=False,
            **settings,
        )
    rows = StochasticScreenResult()
    words = list(results[0]["phenotypes"]) if results else []
    for c, ctx in enumerate(names):
        block = results[c * len(labelled) : (c + 1) * len(labelled)]
        before = block[0]["phenotypes"]
        for (label, size, _), res in zip(labelled, block):
            row: dict[str, Any] = {"context": ctx, "perturbation": label, "size": size}
            for w in words:
                p = res["phenotypes"][w]
                row[w] = round(p, 6)
                row[f"{w}_stderr"] = round(res["stderr"]["phenotypes"][w], 6)
                row[f"{w}_before"] = round(before[w], 6)
                row[f"delta_{w}"] = round(p - before[w], 6)
            rows.append(row)
    return rows


def _run_dask(address, net, phenotypes, scenarios, settings, progress) -> list:
    try:
        from dask.distributed import Client
    except ImportError:
        raise DormnetError(
            "--scheduler needs dask.distributed: pip install 'dask[distributed]'"
        ) from None
    from .io.bnet import format_bnet

    try:
        client = Client(address, timeout=30)
    except OSError as e:
        raise DormnetError(f"cannot connect to the Dask scheduler at {address}: {e}") from None
    text = format_bnet(net)
    chunks = [scenarios[i : i + CHUNK] for i in range(0, len(scenarios), CHUNK)]
    try:
        futures = [
            client.submit(
                _simulate_chunk,
                text,
                phenotypes,
                chunk,
                {**settings, "processes": 1, "nodes": False, "chunk": CHUNK, "chunk_offset": j},
                pure=False,
            )
            for j, chunk in enumerate(chunks)
        ]
        out = []
        for fut in futures:  # in order: rows follow the scenarios
            part = fut.result()
            out.extend(part)
            if progress is not None:
                progress(len(part))
        return out
    finally:
        client.close()


def screen_runner(options: dict[str, Any]) -> tuple[Callable[..., Any], dict[str, Any]]:
    """The function ``dormnet screen`` runs and the options it takes: :func:`stochastic_screen_to`
    for ``update="stochastic"``, else :func:`dormnet.screen.screen_to` (without the simulation
    settings).

    Parameters
    ----------
    options : dict
        The command's run options, simulation settings (``trajectories``, ``max_time``,
        ``time_step``, ``seed``) included.

    Returns
    -------
    (callable, dict)
    """
    from .screen import screen_to

    keys = ("trajectories", "max_time", "time_step", "seed")
    simulation = {k: options[k] for k in keys if k in options}
    rest = {k: v for k, v in options.items() if k not in keys}
    if rest.get("update") == "stochastic":
        kept = {k: rest[k] for k in ("processes", "scheduler", "fmt") if k in rest}
        return stochastic_screen_to, kept | simulation
    return screen_to, rest


def stochastic_screen_to(
    bundle: Any,
    items: Sequence[Any],
    output: str | os.PathLike[str] | None,
    *,
    fmt: str = "tsv",
    **options: Any,
) -> tuple[str | None, str]:
    """Run a stochastic screen and write its rows as TSV, JSON or Parquet (atomically).

    Parameters
    ----------
    bundle : Bundle
    items : sequence of Intervention
    output : path or None
        ``None``: return the text instead.
    fmt : {"tsv", "json", "parquet"}
    **options
        Passed to the stochastic screen.

    Returns
    -------
    (str or None, str)
        The text (when ``output`` is None) and a one-line summary for people.
    """
    from .io._atomic import atomic_open, atomic_write_text

    if not items:
        raise DormnetError("nothing to screen: give --single, --double or --triple")
    rows = stochastic_screen(bundle, items, **options)
    columns = row_columns(rows)
    moved = sum(
        1
        for r in rows
        if r["perturbation"] != "none"
        and any(abs(r[c]) >= 0.1 for c in columns if c.startswith("delta_"))
    )
    summary = f"{len(rows)} rows; {moved} perturbations move a phenotype probability by >= 0.1"
    if fmt == "parquet":
        if output is None:
            raise DormnetError("parquet output needs -o FILE")
        import pyarrow as pa
        import pyarrow.parquet as pq

        with atomic_open(output, "wb") as fh:
            pq.write_table(pa.Table.from_pylist(rows), fh)
        return None, summary
    if fmt == "json":
        text = json.dumps({"rows": rows}, indent=1) + "\n"
    else:
        lines = ["\t".join(columns)] + ["\t".join(str(r[c]) for c in columns) for r in rows]
        text = "\n".join(lines) + "\n"
    if output is None:
        return text, ""
    atomic_write_text(output, text)
    return None, summary
