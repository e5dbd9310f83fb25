"""The ``dormnet`` command line: a thin layer over the library.

Every command parses its options, makes one library call and renders the result
(:mod:`dormnet.render`). Every :class:`~dormnet.errors.DormnetError` is caught in one place
(:mod:`.group`): the message goes to stderr as ``error: …`` and the exit status is 2, never a
traceback. Outputs given with ``-o`` are written atomically (:mod:`dormnet.io._atomic`).

Commands live in small modules by subject (:mod:`.model`, :mod:`.query`, :mod:`.screens`,
:mod:`.pictures`, :mod:`.dynamics`, :mod:`.control`), listed in :data:`.commands.COMMANDS` (a new
command: its function in one of them, and one line there); the group imports a command's module
only when that command runs, so ``dormnet fixed-points MODEL`` loads neither matplotlib nor the
screen machinery.

Start-up time counts: the peers answer a count on a 30-node model in about 60 ms as a whole
process, and importing click alone costs a good part of that. So :func:`run` first offers the
call to :mod:`.quick`, which answers the plain counts (``dormnet fixed-points MODEL --count``,
``dormnet trap-spaces MODEL --count [--kind K]``, ``dormnet attractors MODEL --count
[--update U]`` on a model without companion files) without
importing click, with the same output and errors; every other call goes to click. This package
imports click only in :mod:`.group` and the command modules.
"""

from __future__ import annotations

import importlib
import sys
import types

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing.TYPE_CHECKING without importing typing at start-up
    import click

__all__ = ["COMMANDS", "import_boolean", "main", "run"]


def __getattr__(name: str) -> click.Group | dict[str, tuple[str, str]]:
    """``main``, the click group, and ``COMMANDS``, its table, imported on first use (PEP 562).

    Parameters
    ----------
    name : str

    Returns
    -------
    click.Group or dict

    Raises
    ------
    AttributeError
        Any other name.
    """
    if name == "main":
        from .group import main

        return main
    if name == "COMMANDS":
        from .commands import COMMANDS

        return COMMANDS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Deferred(types.ModuleType):
    """Stand-in for a module not imported yet: the first attribute read imports the real one."""

    def __getattr__(self, attr: str) -> object:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attr)


def import_boolean() -> None:
    """Import boolean.py without running ``inspect`` unless something uses it.

    boolean.py imports :mod:`inspect` (with ``ast``, ``dis`` and ``tokenize``: about a sixth
    of a plain count's start-up here) for one call in its own ``parse``, which dormnet never
    calls (:mod:`dormnet.expr` has its own parser). While boolean.py is imported, a stand-in
    sits in ``sys.modules["inspect"]``; it is taken out right after, so every later ``import
    inspect`` gets the real module, and boolean.py's reference to the stand-in imports the real
    one on first use. The command line only: the library never touches ``sys.modules``.
    """
    if "inspect" in sys.modules or "boolean" in sys.modules:
        return
    stand_in = sys.modules["inspect"] = _Deferred("inspect")
    try:
        import boolean  # noqa: F401
    finally:
        if sys.modules.get("inspect") is stand_in:
            del sys.modules["inspect"]


def run() -> None:
    """Console entry point: a plain count answered directly, anything else through click."""
    import gc

    # start-up imports a hundred modules and frees almost nothing: the cyclic collector's
    # passes over them are wasted (a tenth of a plain count); the library pauses it during
    # heavy work anyway, and it is back on before any other command runs
    gc.disable()
    try:
        import_boolean()
        from .quick import answer

        status = answer(sys.argv[1:])
        if status is not None:
            sys.exit(status)
        from .group import main
    finally:
        gc.enable()
    main(prog_name="dormnet")
