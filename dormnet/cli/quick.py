"""Plain counts answered without click: ``dormnet fixed-points MODEL --count`` and
``dormnet trap-spaces MODEL --count [--kind min|max|all]``.

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

#: the commands answered here, and the options each takes besides MODEL and --count
_QUERIES = {"fixed-points": (), "trap-spaces": ("--kind",)}


def parse(argv: list[str]) -> tuple[str, str, str] | None:
    """The call as ``(query, model, kind)`` if it is a plain count, else ``None``.

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
    >>> parse(["fixed-points", "m.bnet", "--count", "--timeout", "5"]) is None
    True
    """
    from ..choices import TRAP_SPACE_KINDS

    if not argv or argv[0] not in _QUERIES:
        return None
    allowed = _QUERIES[argv[0]]
    model: str | None = None
    count = False
    kind = "min"
    rest = argv[1:]
    i = 0
    while i < len(rest):
        token = rest[i]
        if token == "--count" and not count:
            count = True
        elif token.startswith("--kind") and "--kind" in allowed:
            name, eq, value = token.partition("=")
            if name != "--kind":
                return None
            if not eq:
                i += 1
                if i == len(rest):
                    return None
                value = rest[i]
            if value not in TRAP_SPACE_KINDS:
                return None  # click says what is wrong
            kind = value
        elif not token.startswith("-") and model is None:
            model = token
        else:
            return None
        i += 1
    if model is None or not count:
        return None
    return argv[0], model, kind


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
    query, model, kind = call
    from ..companions import companion_files
    from ..io import path_text

    model = path_text(model)  # as click's Path type would give it
    if os.path.isdir(model) or companion_files(model):
        return None  # click's own message for a directory; the full path reads companions
    from ..errors import DormnetError

    try:
        from ..attractors import count_fixed_points, count_trap_spaces
        from ..io import read_network

        net = read_network(model)
        if query == "fixed-points":
            n = count_fixed_points(net)
        else:
            n = count_trap_spaces(net, kind=kind)  # type: ignore[arg-type]
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
