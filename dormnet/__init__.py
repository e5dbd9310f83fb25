"""dormnet: Boolean signalling-network models of breast-cancer dormancy, and an analysis toolkit.

The one core type is :class:`BooleanNetwork`; analyses are free functions that take it first.
The everyday API is importable from here:

>>> import dormnet
>>> net = dormnet.BooleanNetwork({"a": "!b", "b": "!a"})
>>> dormnet.fixed_points(net)
[{'a': 0, 'b': 1}, {'a': 1, 'b': 0}]
>>> dormnet.count_trap_spaces(net, kind="min")
2

``import dormnet`` itself loads nothing else: each name is imported from its module on first use
(PEP 562, the table :data:`_LAZY`), so that ``dormnet fixed-points MODEL --count`` pays only for
what it runs. Engines (clingo, biodivine-aeon), networkx and matplotlib load on first use too.

``attractors``, ``screen``, ``simulate`` and ``lint`` here are the functions; their modules of the
same name are reached with ``from dormnet.attractors import ...`` (or ``importlib.import_module``).
"""

from __future__ import annotations

import importlib
import sys
import types

from ._version import __version__

# typing.TYPE_CHECKING without importing typing (a few ms of every start-up); mypy and pyright
# treat a name TYPE_CHECKING as true
TYPE_CHECKING = False
if TYPE_CHECKING:  # what type checkers and IDEs see; at run time the table below is used
    from typing import Any

    from .analysis import analyse, landscape
    from .attractors import (
        Attractor,
        attractors,
        count_attractors,
        count_fixed_points,
        count_trap_spaces,
        fixed_points,
        trap_spaces,
    )
    from .basins import basins
    from .bundle import Bundle, load_bundle
    from .control import control
    from .errors import (
        BnetError,
        BudgetExceeded,
        ClampError,
        DataFileError,
        DormnetError,
        ModelError,
        Problem,
        SbmlError,
        ScenarioError,
        ScreenInterrupted,
        UnknownNodeError,
    )
    from .expectations import check_expectations
    from .figures import draw
    from .io import format_bnet, parse_bnet, read_bnet, read_network, write_bnet
    from .io.sbml import format_sbml, parse_sbml, read_sbml, write_sbml
    from .lint import lint
    from .network import BooleanNetwork, Rule
    from .perturb import Knockout, Overexpression, clamp
    from .report import write_report
    from .scenario import Scenario
    from .screen import interventions, screen
    from .simulate import simulate
    from .spaces import State, Subspace
    from .switch import switch, transition_matrix

#: public name -> the module (relative to this package) that defines it
_LAZY: dict[str, str] = {
    # the core type and its errors
    "BooleanNetwork": "network",
    "Rule": "network",
    "DormnetError": "errors",
    "ModelError": "errors",
    "BnetError": "errors",
    "SbmlError": "errors",
    "DataFileError": "errors",
    "UnknownNodeError": "errors",
    "ClampError": "errors",
    "ScenarioError": "errors",
    "BudgetExceeded": "errors",
    "ScreenInterrupted": "errors",
    "Problem": "errors",
    "State": "spaces",
    "Subspace": "spaces",
    # reading and writing models
    "read_network": "io",
    "read_bnet": "io",
    "parse_bnet": "io",
    "format_bnet": "io",
    "write_bnet": "io",
    "read_sbml": "io.sbml",
    "parse_sbml": "io.sbml",
    "format_sbml": "io.sbml",
    "write_sbml": "io.sbml",
    "lint": "lint",
    # queries on a network
    "fixed_points": "attractors",
    "count_fixed_points": "attractors",
    "trap_spaces": "attractors",
    "count_trap_spaces": "attractors",
    "attractors": "attractors",
    "count_attractors": "attractors",
    "Attractor": "attractors",
    # a model with its companion files, scenarios and perturbations
    "Bundle": "bundle",
    "load_bundle": "bundle",
    "Scenario": "scenario",
    "Knockout": "perturb",
    "Overexpression": "perturb",
    "clamp": "perturb",
    "analyse": "analysis",
    "landscape": "analysis",
    "screen": "screen",
    "interventions": "screen",
    "check_expectations": "expectations",
    # switch dynamics and control
    "switch": "switch",
    "transition_matrix": "switch",
    "basins": "basins",
    "control": "control",
    # stochastic simulation (MaBoSS semantics)
    "simulate": "simulate",
    # pictures and the report
    "draw": "figures",
    "write_report": "report",
}

__all__ = [
    "Attractor",
    "BnetError",
    "BooleanNetwork",
    "BudgetExceeded",
    "Bundle",
    "ClampError",
    "DataFileError",
    "DormnetError",
    "Knockout",
    "ModelError",
    "Overexpression",
    "Problem",
    "Rule",
    "SbmlError",
    "Scenario",
    "ScenarioError",
    "ScreenInterrupted",
    "State",
    "Subspace",
    "UnknownNodeError",
    "__version__",
    "analyse",
    "attractors",
    "basins",
    "check_expectations",
    "clamp",
    "control",
    "count_attractors",
    "count_fixed_points",
    "count_trap_spaces",
    "draw",
    "fixed_points",
    "format_bnet",
    "format_sbml",
    "interventions",
    "landscape",
    "lint",
    "load_bundle",
    "parse_bnet",
    "parse_sbml",
    "read_bnet",
    "read_network",
    "read_sbml",
    "screen",
    "simulate",
    "switch",
    "transition_matrix",
    "trap_spaces",
    "write_bnet",
    "write_report",
    "write_sbml",
]

#: names that are also submodules: importing the submodule must not replace the function
_SHADOWED = frozenset(name for name, module in _LAZY.items() if name == module)


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (PEP 562).

    Parameters
    ----------
    name : str

    Returns
    -------
    object
        The function, class or constant of that name.

    Raises
    ------
    AttributeError
        ``name`` is not part of the API.
    """
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # the next lookup is an ordinary attribute
    return value


def __dir__() -> list[str]:
    """The module's names, the lazy ones included.

    Returns
    -------
    list of str
    """
    return sorted(set(globals()) | set(_LAZY))


class _Package(types.ModuleType):
    """The package's module type: importing ``dormnet.attractors`` (the module) sets the package
    attribute ``attractors``; keep the function there instead, as an eager
    ``from .attractors import attractors`` would."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
