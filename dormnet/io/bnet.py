"""BNET: the plain-text rule format of pyboolnet, mpbn, biobalm and biodivine-aeon.

``parse_bnet(text, source)`` checks the whole text and raises one :class:`~dormnet.errors.BnetError`
listing every problem as ``file:line:col: message``; comments directly above a rule (and a
trailing comment) are kept with the rule as its provenance. ``format_bnet`` writes the network
back so that ``parse_bnet(format_bnet(net)) == net``.
"""

from __future__ import annotations

import os
import re

from .._gc import paused_gc
from ..errors import BnetError, Problem
from ..expr import ExprSyntaxError, name_problem, parse_expr, symbols_of
from ..network import BooleanNetwork, Rule, unknown_name_message
from ._text import decode_utf8

__all__ = ["MAX_BNET_BYTES", "format_bnet", "parse_bnet", "read_bnet", "write_bnet"]

#: refuse larger files outright (the largest published model of the corpus is 1.5 MB)
MAX_BNET_BYTES = 64 * 1024 * 1024
_HEADER_RE = re.compile(r"\s*targets\s*,\s*factors\s*\Z", re.IGNORECASE)


def _split_comment(line: str) -> tuple[str, str | None]:
    i = line.find("#")
    if i < 0:
        return line, None
    return line[:i], line[i + 1 :]


def parse_bnet(text: str, source: str = "<string>") -> BooleanNetwork:
    """Parse BNET text into a :class:`BooleanNetwork`.

    Parameters
    ----------
    text : str
        The BNET text.
    source : str
        The name used in error messages (a path).

    Returns
    -------
    BooleanNetwork

    Raises
    ------
    BnetError
        All problems of the text at once, each with line and column.

    Examples
    --------
    >>> net = parse_bnet("# toggle switch\\na, !b\\nb, !a\\n")
    >>> net.rule("a").comments
    ('toggle switch',)
    """
    with paused_gc():  # many small objects, no cycles (see dormnet._gc)
        return _parse_bnet(text, source)


def _parse_bnet(text: str, source: str) -> BooleanNetwork:
    problems: list[Problem] = []
    rules: list[Rule] = []
    first_line: dict[str, int] = {}
    pending: list[str] = []
    header = False
    seen_rule = False
    offsets: dict[str, int] = {}
    attempted: set[str] = set()
    for lineno, raw in enumerate(text.splitlines(), start=1):
        body, comment = _split_comment(raw)
        if not body.strip():
            if comment is not None:
                pending.append(comment.strip())
            else:
                pending = []  # a blank line ends a comment block that belongs to no rule
            continue
        if _HEADER_RE.match(body):
            if seen_rule or header:
                problems.append(
                    Problem(
                        "'targets, factors' header must come once, before the rules",
                        source,
                        lineno,
                        1,
                    )
                )
            header = True
            pending = []
            continue
        seen_rule = True
        if "," not in body:
            col = len(body) - len(body.lstrip()) + 1
            problems.append(
                Problem(
                    "missing ',' between target and function (a rule is 'target, function')",
                    source,
                    lineno,
                    col,
                )
            )
            pending = []
            continue
        tpart, fpart = body.split(",", 1)
        target = tpart.strip()
        tcol = len(tpart) - len(tpart.lstrip()) + 1
        fstart = len(tpart) + 1
        fcol0 = fstart + len(fpart) - len(fpart.lstrip())
        comments = tuple(pending) + ((comment.strip(),) if comment is not None else ())
        pending = []
        bad = False
        if not target:
            problems.append(Problem("empty target before ','", source, lineno, tcol))
            bad = True
        else:
            problem = name_problem(target)
            if problem is not None:
                problems.append(Problem(problem, source, lineno, tcol))
                bad = True
        if not fpart.strip():
            problems.append(
                Problem(
                    f"empty rule for {target or 'target'}: write a function, "
                    f"'0', '1', or '{target}' for an input",
                    source,
                    lineno,
                    fcol0 + 1 if fcol0 < len(body) else len(body) + 1,
                )
            )
            continue
        if not bad and target not in first_line:
            attempted.add(target)  # defined, even if its function has errors: no knock-on report
        try:
            expr = parse_expr(fpart)
        except ExprSyntaxError as e:
            problems.append(
                Problem(
                    f"{e.message} in rule for {target or '?'}",
                    source,
                    lineno,
                    fstart + e.offset + 1,
                )
            )
            continue
        if bad:
            continue
        if target in first_line:
            problems.append(
                Problem(
                    f"duplicate rule for {target!r}: first defined on line "
                    f"{first_line[target]}, again on line {lineno}",
                    source,
                    lineno,
                    tcol,
                )
            )
            continue
        first_line[target] = lineno
        offsets[target] = fstart
        rules.append(Rule(target, expr, comments, lineno, fpart.strip()))
    defined = set(first_line) | attempted
    lines = text.splitlines()
    for rule in rules:
        for name in symbols_of(rule.expr):
            if name in defined:
                continue
            line = lines[rule.line - 1]
            m = re.search(
                r"(?<![A-Za-z0-9_])" + re.escape(name) + r"(?![A-Za-z0-9_])",
                line[offsets[rule.target] :],
            )
            col = offsets[rule.target] + (m.start() if m else 0) + 1
            msg = unknown_name_message(name, defined, "regulator")
            problems.append(
                Problem(
                    f"{msg} in rule for {rule.target}: it has no rule "
                    f"(write '{name}, {name}' to make it an input)",
                    source,
                    rule.line,
                    col,
                )
            )
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise BnetError(problems, source)
    return BooleanNetwork(rules, source=source, header=header)


def read_bnet(path: str | os.PathLike[str]) -> BooleanNetwork:
    """Read a BNET file; errors name the file, line and column.

    Parameters
    ----------
    path : path

    Returns
    -------
    BooleanNetwork

    Raises
    ------
    BnetError
        If the file cannot be read, is not UTF-8 text, is too large or does not validate.
    """
    try:
        # os-level calls rather than pathlib: this runs at the start of every query, and
        # pathlib's objects cost a tenth of a millisecond more on a cold start
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_BNET_BYTES:
                raise BnetError(f"file is {size} bytes; the limit is {MAX_BNET_BYTES}", str(path))
            data = fh.read()
    except OSError as e:
        raise BnetError(f"cannot read file: {e.strerror or e}", str(path)) from None
    if b"\x00" in data:
        raise BnetError("binary file (contains NUL bytes), not BNET text", str(path))
    try:
        text = decode_utf8(data)
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise BnetError([Problem("not UTF-8 text", str(path), line)]) from None
    return parse_bnet(text, source=str(path))


def format_bnet(net: BooleanNetwork, *, header: bool | None = None, align: bool = True) -> str:
    """BNET text of a network, comments included; ``parse_bnet(format_bnet(net)) == net``.

    Parameters
    ----------
    net : BooleanNetwork
    header : bool, optional
        Write the ``targets, factors`` header (default: if the network was read with one).
    align : bool
        Align the functions in one column.

    Returns
    -------
    str

    Examples
    --------
    >>> print(format_bnet(parse_bnet("a, !b\\nb, a")), end="")
    a, !b
    b, a
    """
    header = net.header if header is None else header
    width = max((len(n) for n in net.nodes), default=0) if align else 0
    out: list[str] = []
    if header:
        out.append("targets, factors")
    for name in net.nodes:
        rule = net.rule(name)
        comments = list(rule.comments)
        for c in comments:
            out.append(f"# {c}".rstrip() if c else "#")
        out.append(f"{(name + ',').ljust(width + 1)} {rule.function}")
    return "\n".join(out) + "\n"


def write_bnet(net: BooleanNetwork, path: str | os.PathLike[str], **kwargs: object) -> None:
    """Write a network as BNET, atomically (a temporary file renamed into place).

    Parameters
    ----------
    net : BooleanNetwork
    path : path
    **kwargs
        Passed to :func:`format_bnet`.
    """
    from ._atomic import atomic_write_text  # tempfile and shutil: only when writing

    atomic_write_text(path, format_bnet(net, **kwargs))  # type: ignore[arg-type]
