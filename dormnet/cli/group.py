"""The click command group: loads a command's module when that command runs, and turns
dormnet's errors into ``error: …`` on stderr and exit status 2."""

from __future__ import annotations

import importlib
from typing import Any

import click

from ..errors import DormnetError, ScreenInterrupted
from .commands import COMMANDS

__all__ = ["COMMANDS", "main"]


class _Group(click.Group):
    """The command group: loads commands on demand, and turns dormnet's errors into
    ``error: …`` on stderr and exit status 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name]
        command = getattr(importlib.import_module(f"{__package__}.{module}"), attr)
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
