"""Plain counts answered without click: ``dormnet fixed-points MODEL --count``,
``dormnet trap-spaces MODEL --count [--kind min|max|all]`` and
``dormnet attractors MODEL --count [--update async|sync|mp]``.

The peers answer such a count on a 30-node model in about 60 ms as a whole process; importing
click (with ``typing``, ``inspect``, ``gettext``, ``uuid``, ``datetime``...) takes a good part of
that, so the entry point (:func:`dormnet.cli.run`) offers every call here first. This module
recognises only those exact argument shapes on a model with no companion files beside it, and
then does what the click command does (:func:`dormnet.cli.query._query`): read the model, count
with the same library function, print the number, or print ``error: …`` and return 2 on a
:class:`~dormnet.errors.DormnetError`. Anything else (another option, ``--help``, a scenario, a
model with companions, whose files the full path reads and checks) returns ``None`` and goes to
click, so the two paths cannot disagree on what they accept. ``tests/test_cli.py`` runs both
on the same calls and compares their output.
"""

from __future__ import annotations

import os
import sys

__all__ = ["answer", "parse"]

#: the commands answered here, and the option each takes besides MODEL and --count
_QUERIES = {"fixed-points": None, "trap-spaces": "--kind", "attractors": "--update"}


def parse(argv: list[str]) -> tuple[str, str, str] | None:
    """The call as ``(query, model, choice)`` if it is a plain count, else ``None``.

    ``choice`` is the trap-space kind (``--kind``, default ``min``) or the update scheme
    (``--update``, default ``async``), whichever the query takes.

    Parameters
    ----------
    argv : list of str
        The arguments after the program name.

    Returns
    -------
    tuple of str, or None

    Examples
    --------
    >>> parse(["trap-spaces", "m.bnet", "--count", "--kind", "max"])
    ('trap-spaces', 'm.bnet', 'max')
    >>> parse(["attractors", "m.bnet", "--update=mp", "--count"])
    ('attractors', 'm.bnet', 'mp')
    >>> parse(["fixed-points", "m.bnet", "--count", "--timeout", "5"]) is None
    True
    """
    from ..choices import TRAP_SPACE_KINDS, UPDATES

    if not argv or argv[0] not in _QUERIES:
        return None
    option = _QUERIES[argv[0]]
    values: tuple[str, ...] = TRAP_SPACE_KINDS if option == "--kind" else UPDATES
    model: str | None = None
    count = False
    chosen = False
    choice = "min" if option == "--kind" else "async"
    rest = argv[1:]
    i = 0
    while i < len(rest):
        token = rest[i]
        if token == "--count" and not count:
            count = True
        elif option is not None and token.startswith(option) and not chosen:
            name, eq, value = token.partition("=")
            if name != option:
                return None
            if not eq:
                i += 1
                if i == len(rest):
                    return None
                value = rest[i]
            if value not in values:
                return None  # click says what is wrong
            choice, chosen = value, True
        elif not token.startswith("-") and model is None:
            model = token
        else:
            return None
        i += 1
    if model is None or not count:
        return None
    return argv[0], model, choice


def answer(argv: list[str]) -> int | None:
    """Answer a plain count; the exit status, or ``None`` when click must handle the call.

    Parameters
    ----------
    argv : list of str
        The arguments after the program name.

    Returns
    -------
    int or None
        0 after printing the count, 2 after printing ``error: …`` to stderr, 130 when
        interrupted; ``None`` when the call is not a plain count.
    """
    call = parse(argv)
    if call is None:
        return None
    query, model, choice = call
    from ..companions import companion_files
    from ..io import path_text

    model = path_text(model)  # as click's Path type would give it
    if os.path.isdir(model) or companion_files(model):
        return None  # click's own message for a directory; the full path reads companions
    from ..errors import DormnetError

    try:
        from ..attractors import count_attractors, count_fixed_points, count_trap_spaces
        from ..io import read_network

        net = read_network(model)
        if query == "fixed-points":
            n = count_fixed_points(net)
        elif query == "trap-spaces":
            n = count_trap_spaces(net, kind=choice)  # type: ignore[arg-type]
        else:
            n = count_attractors(net, update=choice)  # type: ignore[arg-type]
    except DormnetError as e:
        for line in str(e).splitlines() or [type(e).__name__]:
            print(f"error: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    sys.stdout.write(f"{n}\n")
    sys.stdout.flush()
    return 0
