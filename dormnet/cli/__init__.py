"""The ``dormnet`` command line: a thin layer over the library.

Every command parses its options, makes one library call and renders the result
(:mod:`dormnet.render`). Every :class:`~dormnet.errors.DormnetError` is caught in one place
(:class:`_Group`): the message goes to stderr as ``error: …`` and the exit status is 2, never a
traceback. Outputs given with ``-o`` are written atomically (:mod:`dormnet.io._atomic`).

Commands live in small modules by subject (:mod:`.model`, :mod:`.query`, :mod:`.screens`,
:mod:`.pictures`, :mod:`.dynamics`), and the group imports a command's module only when that
command runs: ``dormnet fixed-points MODEL --count`` loads neither matplotlib nor the screen
machinery, and starts in a fraction of the time.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from ..errors import DormnetError, ScreenInterrupted

__all__ = ["main", "run"]

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
    "screen": ("screens", "screen_cmd"),
    "figure": ("pictures", "figure_cmd"),
    "report": ("pictures", "report_cmd"),
}


class _Group(click.Group):
    """The command group: loads commands on demand, and turns dormnet's errors into
    ``error: …`` on stderr and exit status 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name]
        command = getattr(importlib.import_module(f"{__name__}.{module}"), attr)
        assert isinstance(command, click.Command)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ScreenInterrupted as e:
            click.echo(f"error: {e}", err=True)
            ctx.exit(130)
        except DormnetError as e:
            for line in str(e).splitlines() or [type(e).__name__]:
                click.echo(f"error: {line}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("error: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dormnet")
def main() -> None:
    """dormnet: Boolean models of breast-cancer dormancy switches, and the tools to analyse them."""


def run() -> None:
    """Console entry point."""
    main(prog_name="dormnet")
