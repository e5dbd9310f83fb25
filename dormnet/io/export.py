"""One entry point for writing a network in the formats other tools read.

- ``sbml-qual``: GINsim, bioLQM, CellCollective, biodivine-aeon (:mod:`.sbml`);
- ``boolnet``: the R package BoolNet (:mod:`.boolnet`);
- ``maboss``: MaBoSS, ``model.bnd`` and ``model.cfg`` beside it (:mod:`.maboss`);
- ``graphml``, ``sif``: the signed interaction graph for Cytoscape, yEd, Gephi
  (:func:`dormnet.graph.format_graph`);
- ``primes-json``: pyboolnet's prime implicants ``{node: [off, on]}``
  (:func:`dormnet.normal_form.network_primes`);
- ``bnet``: pyboolnet, mpbn, biobalm, AEON (:mod:`.bnet`).

Nothing heavy is imported here at module level, so the CLI can build its choices from
:data:`EXPORT_FORMATS` cheaply.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import DormnetError
from ..network import BooleanNetwork

if TYPE_CHECKING:
    from ..records import NodeInfo

__all__ = ["EXPORT_FORMATS", "ExportFormat", "format_export", "format_primes", "write_export"]

from ..choices import EXPORT_FORMATS, ExportFormat


def format_primes(net: BooleanNetwork) -> str:
    """pyboolnet's primes as JSON: ``{node: [off_primes, on_primes]}``, each a list of cubes.

    Parameters
    ----------
    net : BooleanNetwork

    Returns
    -------
    str

    Examples
    --------
    >>> print(format_primes(BooleanNetwork({"a": "a", "b": "!a"})), end="")
    {"a": [[{"a": 0}], [{"a": 1}]], "b": [[{"a": 1}], [{"a": 0}]]}
    """
    from ..normal_form import network_primes

    return json.dumps(network_primes(net)) + "\n"


def format_export(
    net: BooleanNetwork, fmt: ExportFormat, *, nodes: Mapping[str, NodeInfo] | None = None
) -> str:
    """The text of a single-file export (every format but ``maboss``, which writes two files).

    Parameters
    ----------
    net : BooleanNetwork
    fmt : str
        One of :data:`EXPORT_FORMATS` except ``"maboss"``.
    nodes : mapping, optional
        The bundle's node table, for SBML annotations.

    Returns
    -------
    str
    """
    if fmt == "sbml-qual":
        from .sbml import format_sbml

        return format_sbml(net, nodes=nodes)
    if fmt == "boolnet":
        from .boolnet import format_boolnet

        return format_boolnet(net)
    if fmt in ("graphml", "sif"):
        from ..graph import format_graph

        return format_graph(net, fmt)  # type: ignore[arg-type]
    if fmt == "primes-json":
        return format_primes(net)
    if fmt == "bnet":
        from .bnet import format_bnet

        return format_bnet(net)
    if fmt == "maboss":
        raise DormnetError(
            "MaBoSS export writes two files (.bnd and .cfg): give the .bnd path with -o"
        )
    raise DormnetError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")


def write_export(
    net: BooleanNetwork,
    fmt: ExportFormat,
    path: str | os.PathLike[str],
    *,
    nodes: Mapping[str, NodeInfo] | None = None,
) -> list[Path]:
    """Write ``net`` in format ``fmt`` to ``path`` atomically.

    ``maboss`` writes ``path`` (``.bnd`` added if missing) and the ``.cfg`` beside it.

    Parameters
    ----------
    net : BooleanNetwork
    fmt : str
        One of :data:`EXPORT_FORMATS`.
    path : path
    nodes : mapping, optional
        The bundle's node table, for SBML annotations.

    Returns
    -------
    list of Path
        The files written.
    """
    try:
        if fmt == "maboss":
            from .maboss import write_maboss

            return list(write_maboss(net, path))
        text = format_export(net, fmt, nodes=nodes)
        from ._atomic import atomic_write_text

        atomic_write_text(path, text)
    except OSError as e:
        raise DormnetError(f"cannot write {path}: {e.strerror or e}") from None
    return [Path(path)]
