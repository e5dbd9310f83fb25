"""The commands of the ``dormnet`` group and the module of this package that defines each.

A table, not imports: the group (:mod:`.group`) imports a command's module only when that
command runs. Adding a command: write it in a module of this package and add one line here.
"""

from __future__ import annotations

__all__ = ["COMMANDS"]

#: command name -> (module of this package, function)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("model", "check"),
    "info": ("model", "info"),
    "graph": ("model", "graph"),
    "contexts": ("model", "contexts"),
    "explain": ("model", "explain"),
    "export": ("model", "export_cmd"),
    "attractors": ("query", "attractors"),
    "fixed-points": ("query", "fixed_points_cmd"),
    "trap-spaces": ("query", "trap_spaces_cmd"),
    "landscape": ("query", "landscape"),
    "validate": ("query", "validate"),
    "switch": ("dynamics", "switch_cmd"),
    "basins": ("dynamics", "basins"),
    "screen": ("screens", "screen_cmd"),
    "control": ("control", "control_cmd"),
    "simulate": ("dynamics", "simulate_cmd"),
    "figure": ("pictures", "figure_cmd"),
    "report": ("pictures", "report_cmd"),
}
