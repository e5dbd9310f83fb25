"""dormnet: Boolean signalling-network models of breast-cancer dormancy, and a toolkit to analyse them.

The one core type is :class:`BooleanNetwork`; analyses are free functions that take it first.
Nothing heavy runs at import: engines (clingo, biodivine-aeon) and networkx load on first use.
"""

from __future__ import annotations

from .errors import (
    BnetError,
    BudgetExceeded,
    DataFileError,
    DormnetError,
    ModelError,
    Problem,
    SbmlError,
    UnknownNodeError,
)
from .io import format_bnet, parse_bnet, read_bnet, read_network, write_bnet
from .lint import lint
from .network import BooleanNetwork, Rule

__version__ = "0.1.0"

__all__ = [
    "BnetError",
    "BooleanNetwork",
    "BudgetExceeded",
    "DataFileError",
    "DormnetError",
    "ModelError",
    "Problem",
    "Rule",
    "SbmlError",
    "UnknownNodeError",
    "__version__",
    "format_bnet",
    "lint",
    "parse_bnet",
    "read_bnet",
    "read_network",
    "write_bnet",
]
