"""BoolNet: the network file format of the R package BoolNet (Müssel et al. 2010).

BoolNet's format looks like BNET but differs in ways that matter when reading it:

- the header ``targets, factors`` (or ``targets, functions``) is required, and a third column
  ``probabilities`` makes a probabilistic network (several rules per target);
- constants are ``0``, ``1``, ``true`` and ``false``;
- gene names are ``[A-Za-z0-9_]+`` and may start with a digit (``14_3_3``), which BNET forbids;
- convenience operators ``all(…)`` (AND), ``any(…)`` (OR), ``maj(…)`` (majority),
  ``sumis``/``sumgt``/``sumlt(…, N)`` (exactly / more than / fewer than N arguments true);
- temporal networks: ``x[-2]``, ``timeis(N)`` and friends.

:func:`parse_boolnet` reads synchronous/asynchronous Boolean networks: the convenience
operators are expanded into ``!``/``&``/``|`` (threshold functions as the DNF of their
minimal true subsets), ``true``/``false`` become constants, names BNET does not allow are
renamed (``14_3_3`` → ``n14_3_3``) with a comment on the rule saying so, and ``x[-1]`` (the
default time step) is read as ``x``. Probabilistic and temporal networks are refused with a
clear message. A missing header is tolerated. :func:`format_boolnet` writes the header, the
rules in ``!``/``&``/``|`` and the comments, and refuses node names BoolNet reads as operators.

References
----------
Müssel C, Hopfensitz M, Kestler HA. BoolNet—an R package for generation, reconstruction and
analysis of Boolean networks. Bioinformatics 2010;26(10):1378–1380.
DOI:10.1093/bioinformatics/btq124.
"""

from __future__ import annotations

import os
import re
from itertools import combinations
from math import comb
from pathlib import Path

from ..errors import BnetError, ModelError, Problem
from ..expr import ExprSyntaxError, format_expr, name_problem, parse_expr, symbols_of, valid_name
from ..network import BooleanNetwork, Rule, unknown_name_message
from ._atomic import atomic_write_text
from ._text import decode_utf8

__all__ = ["BOOLNET_KEYWORDS", "format_boolnet", "parse_boolnet", "read_boolnet", "write_boolnet"]

#: words BoolNet reads as operators or constants (case-insensitively for the operators)
BOOLNET_KEYWORDS = frozenset(
    {"all", "any", "maj", "sumis", "sumgt", "sumlt", "timeis", "timelt", "timegt", "true", "false"}
)
_TEMPORAL = {"timeis", "timelt", "timegt"}
_HEADER_RE = re.compile(
    r"\s*targets\s*,\s*(factors|functions)\s*(,\s*probabilities\s*)?\Z", re.IGNORECASE
)
_TOKEN_RE = re.compile(r"\s*(?:([A-Za-z0-9_]+)|(.))")
#: refuse threshold operators whose expansion has more cubes than this
MAX_THRESHOLD_CUBES = 10_000


class _Unsupported(ValueError):
    pass


def _split_top(text: str, sep: str = ",") -> list[str]:
    """Split at separators outside parentheses and brackets."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


def _at_least(args: list[str], k: int) -> str:
    """BNET text of "at least k of args are true"."""
    n = len(args)
    if k <= 0:
        return "1"
    if k > n:
        return "0"
    if comb(n, k) > MAX_THRESHOLD_CUBES:
        raise _Unsupported(f"a threshold over {n} arguments expands to {comb(n, k)} terms")
    return "(" + " | ".join("(" + " & ".join(c) + ")" for c in combinations(args, k)) + ")"


def _exactly(args: list[str], k: int) -> str:
    return f"({_at_least(args, k)} & !{_at_least(args, k + 1)})"


def _translate(text: str, rename: dict[str, str]) -> str:
    """BoolNet function text -> BNET function text (iterative over nested predicates)."""
    out: list[str] = []
    pos = 0
    n = len(text)
    while pos < n:
        m = _TOKEN_RE.match(text, pos)
        if m is None:  # only trailing whitespace left
            break
        word, other = m.group(1), m.group(2)
        pos = m.end()
        if other is not None:
            if other in "!&|()":
                out.append(other)
                continue
            if other == "[":
                end = text.find("]", pos)
                if end < 0:
                    raise ExprSyntaxError("'[' is never closed", m.start(2))
                if text[pos:end].replace(" ", "") != "-1":
                    raise _Unsupported(
                        "temporal BoolNet networks (time steps such as "
                        f"'[{text[pos:end].strip()}]') are not supported"
                    )
                pos = end + 1
                continue
            raise ExprSyntaxError(f"unexpected character {other!r}", m.start(2))
        low = word.lower()
        if low in _TEMPORAL:
            raise _Unsupported(f"temporal BoolNet networks ('{word}') are not supported")
        if low in ("all", "any", "maj", "sumis", "sumgt", "sumlt"):
            j = pos
            while j < n and text[j].isspace():
                j += 1
            if j >= n or text[j] != "(":
                raise ExprSyntaxError(f"'{word}' must be followed by '('", m.start(1))
            depth, k = 0, j
            while k < n:
                if text[k] == "(":
                    depth += 1
                elif text[k] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                k += 1
            if k >= n:
                raise ExprSyntaxError(f"'(' of '{word}' is never closed", j)
            parts = _split_top(text[j + 1 : k])
            pos = k + 1
            if low in ("all", "any", "maj"):
                args = ["(" + _translate(p, rename) + ")" for p in parts]
                if low == "maj":
                    out.append(_at_least(args, len(args) // 2 + 1))
                else:
                    out.append("(" + (" & " if low == "all" else " | ").join(args) + ")")
                continue
            if len(parts) < 2 or not parts[-1].strip().isdigit():
                raise ExprSyntaxError(f"'{word}' needs arguments and a number last", m.start(1))
            args = ["(" + _translate(p, rename) + ")" for p in parts[:-1]]
            t = int(parts[-1])
            out.append(
                _exactly(args, t)
                if low == "sumis"
                else _at_least(args, t + 1)
                if low == "sumgt"
                else "!" + _at_least(args, t)
            )
            continue
        if word in ("true", "false"):
            out.append("1" if word == "true" else "0")
        elif word.isdigit():
            if word not in ("0", "1"):
                raise ExprSyntaxError(f"'{word}' is not a Boolean constant", m.start(1))
            out.append(word)
        else:
            out.append(rename.get(word, word))
    return " ".join(out)


def parse_boolnet(text: str, source: str = "<string>") -> BooleanNetwork:
    """Parse a BoolNet network file into a :class:`~dormnet.BooleanNetwork`.

    Parameters
    ----------
    text : str
    source : str
        The name used in error messages (a path).

    Returns
    -------
    BooleanNetwork

    Raises
    ------
    BnetError
        Every problem of the file at once, each with its line.

    Examples
    --------
    >>> net = parse_boolnet("targets, factors\\n14_3_3, maj(a, b, true)\\na, a\\nb, !a\\n")
    >>> net.rule("n14_3_3").function
    'a & b | a & 1 | b & 1'
    >>> net.rule("n14_3_3").comments
    ("BoolNet name '14_3_3' renamed to 'n14_3_3'",)
    """
    problems: list[Problem] = []
    rows: list[tuple[int, str, str, list[str]]] = []
    pending: list[str] = []
    header = False
    probabilities = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        body, hashmark, comment = raw.partition("#")
        if not body.strip():
            if hashmark:
                pending.append(comment.strip())
            else:
                pending = []  # a blank line ends a comment block that belongs to no rule
            continue
        h = _HEADER_RE.match(body)
        if h is not None:
            if header or rows:
                problems.append(
                    Problem("the header must come once, before the rules", source, lineno, 1)
                )
            header = True
            probabilities = bool(h.group(2))
            pending = []
            continue
        parts = _split_top(body)
        if len(parts) < 2:
            problems.append(Problem("missing ',' between target and function", source, lineno, 1))
            pending = []
            continue
        target = parts[0].strip()
        function = ",".join(parts[1:])
        if probabilities and len(parts) > 2:
            if len(parts) != 3:
                problems.append(
                    Problem("expected 'target, function, probability'", source, lineno, 1)
                )
                continue
            function = parts[1]
            try:
                p = float(parts[2])
            except ValueError:
                problems.append(
                    Problem(f"probability {parts[2].strip()!r} is not a number", source, lineno, 1)
                )
                continue
            if p != 1.0:
                problems.append(
                    Problem(
                        f"probabilistic Boolean network (rule for {target} has probability "
                        f"{parts[2].strip()}): dormnet reads deterministic networks only",
                        source,
                        lineno,
                        1,
                    )
                )
                continue
        comments = pending + ([comment.strip()] if hashmark else [])
        pending = []
        rows.append((lineno, target, function, comments))

    # names: every target and every name mentioned, renamed where BNET forbids them
    words: list[str] = []
    for _lineno, target, function, _comments in rows:
        words.append(target)
        words.extend(
            w
            for w in re.findall(r"[A-Za-z0-9_]+", function)
            if not w.isdigit() and w.lower() not in BOOLNET_KEYWORDS
        )
    taken = {w for w in words if name_problem(w) is None}
    rename: dict[str, str] = {}
    for w in dict.fromkeys(words):
        if not re.fullmatch(r"[A-Za-z0-9_]+", w):
            continue
        name = valid_name(w, taken)
        if name != w:
            rename[w] = name
            taken.add(name)

    rules: list[Rule] = []
    first: dict[str, int] = {}
    for lineno, target, function, comments in rows:
        if not re.fullmatch(r"[A-Za-z0-9_]+", target):
            problems.append(
                Problem(
                    f"illegal gene name {target!r}: BoolNet names use letters, digits and '_'",
                    source,
                    lineno,
                    1,
                )
            )
            continue
        node = rename.get(target, target)
        if node in first:
            problems.append(
                Problem(
                    f"duplicate rule for {target!r} (first on line {first[node]}): several rules "
                    "per gene make a probabilistic network, which dormnet does not read",
                    source,
                    lineno,
                    1,
                )
            )
            continue
        first[node] = lineno
        try:
            expr = parse_expr(_translate(function, rename))
        except _Unsupported as e:
            problems.append(Problem(f"{e} (rule for {target})", source, lineno))
            continue
        except ExprSyntaxError as e:
            problems.append(Problem(f"{e.message} in rule for {target}", source, lineno))
            continue
        if node != target:
            comments = comments + [f"BoolNet name {target!r} renamed to {node!r}"]
        rules.append(Rule(node, expr, tuple(comments), lineno, function.strip()))
    defined = set(first)
    for rule in rules:
        for name in symbols_of(rule.expr):
            if name not in defined:
                problems.append(
                    Problem(
                        f"{unknown_name_message(name, defined, 'gene')} in rule for {rule.target}: "
                        "it has no rule",
                        source,
                        rule.line,
                    )
                )
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise BnetError(problems, source)
    return BooleanNetwork(rules, source=source, header=True)


def read_boolnet(path: str | os.PathLike[str]) -> BooleanNetwork:
    """Read a BoolNet network file; errors name the file and line.

    Parameters
    ----------
    path : path

    Returns
    -------
    BooleanNetwork
    """
    from .bnet import MAX_BNET_BYTES

    p = Path(path)
    try:
        if p.stat().st_size > MAX_BNET_BYTES:
            raise BnetError(f"file is larger than {MAX_BNET_BYTES} bytes", str(path))
        data = p.read_bytes()
    except OSError as e:
        raise BnetError(f"cannot read file: {e.strerror or e}", str(path)) from None
    try:
        text = decode_utf8(data)
    except UnicodeDecodeError as e:
        raise BnetError(
            [Problem("not UTF-8 text", str(path), data[: e.start].count(b"\n") + 1)]
        ) from None
    return parse_boolnet(text, str(path))


def format_boolnet(net: BooleanNetwork) -> str:
    """BoolNet text of a network: header, comments, rules in ``!``/``&``/``|``.

    Parameters
    ----------
    net : BooleanNetwork

    Returns
    -------
    str

    Raises
    ------
    ModelError
        If a node name is a BoolNet operator or constant (``any``, ``true``, ...).

    Examples
    --------
    >>> print(format_boolnet(BooleanNetwork({"a": "a", "b": "a & !b"})), end="")
    targets, factors
    a, a
    b, a & !b
    """
    bad = [n for n in net.nodes if n.lower() in BOOLNET_KEYWORDS]
    if bad:
        raise ModelError(
            f"node {bad[0]!r} cannot be written to BoolNet, which reads it as an "
            "operator; rename it",
            net.source,
        )
    out = ["targets, factors"]
    for n in net.nodes:
        rule = net.rule(n)
        out.extend(f"# {c}".rstrip() for c in rule.comments)
        out.append(f"{n}, {format_expr(rule.expr)}")
    return "\n".join(out) + "\n"


def write_boolnet(net: BooleanNetwork, path: str | os.PathLike[str]) -> None:
    """Write a network as a BoolNet file, atomically.

    Parameters
    ----------
    net : BooleanNetwork
    path : path
    """
    atomic_write_text(path, format_boolnet(net))
