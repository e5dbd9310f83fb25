"""Node names: what a valid name is, why a name is not, and a close valid name for one that
is not (used by every reader: BNET, BoolNet, SBML-qual).

A name is an ASCII identifier (letters, digits, ``_``; not starting with a digit) that is none of
the words other tools read as constants or operators (:data:`RESERVED_NAMES`).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["RESERVED_NAMES", "ascii_suggestion", "is_valid_name", "name_problem", "valid_name"]

#: words that other tools (boolean.py, pyboolnet, BoolNet, SBML readers) read as constants or
#: operators; a node with such a name would change meaning on export
RESERVED_NAMES = frozenset({"true", "false", "none", "and", "or", "not", "xor", "nand", "nor"})
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_GREEK = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "ζ": "zeta",
    "η": "eta",
    "θ": "theta",
    "ι": "iota",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "π": "pi",
    "ρ": "rho",
    "σ": "sigma",
    "τ": "tau",
    "υ": "upsilon",
    "φ": "phi",
    "χ": "chi",
    "ψ": "psi",
    "ω": "omega",
}


def ascii_suggestion(name: str) -> str:
    """An ASCII identifier close to ``name`` (Greek letters spelled out, accents dropped).

    Parameters
    ----------
    name : str

    Returns
    -------
    str

    Examples
    --------
    >>> ascii_suggestion("β-catenin")
    'beta_catenin'
    """
    out = []
    for ch in name:
        if ch.lower() in _GREEK:
            word = _GREEK[ch.lower()]
            out.append(word if ch.islower() else word.capitalize())
            continue
        base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
        out.append(base if base else "_")
    s = re.sub(r"[^A-Za-z0-9_]", "_", "".join(out))
    s = re.sub(r"_+", "_", s).strip("_") or "x"
    if s[0].isdigit():
        s = "n" + s
    return s


def valid_name(word: str, taken: set[str]) -> str:
    """``word`` if it is a valid node name, else a close valid name not in ``taken``
    (an ASCII spelling, ``_node`` appended to a reserved word, ``_2``, ``_3``... on a clash).

    Parameters
    ----------
    word : str
    taken : set of str
        Names already in use.

    Returns
    -------
    str

    Examples
    --------
    >>> valid_name("β-catenin", set()), valid_name("true", {"true_node"})
    ('beta_catenin', 'true_node_2')
    """
    if name_problem(word) is None:
        return word
    base = ascii_suggestion(word)
    if name_problem(base) is not None:
        base = base + "_node"
    name, k = base, 2
    while name in taken:
        name, k = f"{base}_{k}", k + 1
    return name


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a node name.

    Parameters
    ----------
    name : str

    Returns
    -------
    str or None
        The reason, or ``None`` if it can.
    """
    if not name:
        return "empty name"
    if not name.isascii():
        return (
            f"non-ASCII name {name!r}; use an ASCII identifier such as {ascii_suggestion(name)!r}"
        )
    if name.lower() in RESERVED_NAMES:
        return (
            f"reserved name {name!r}: other tools read it as a constant or operator; "
            f"rename it, e.g. {name + '_node'!r}"
        )
    if name in ("0", "1"):
        return f"illegal name {name!r}: 0 and 1 are the constants"
    if not _NAME_RE.match(name):
        if name[0].isdigit():
            return f"illegal name {name!r}: a name must not start with a digit"
        return f"illegal name {name!r}: use letters, digits and '_' only"
    return None


def is_valid_name(name: str) -> bool:
    """Whether ``name`` can be a node name.

    Parameters
    ----------
    name : str

    Returns
    -------
    bool

    Examples
    --------
    >>> is_valid_name("NR2F1"), is_valid_name("true")
    (True, False)
    """
    return name_problem(name) is None
