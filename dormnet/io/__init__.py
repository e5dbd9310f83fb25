"""Reading and writing models: BNET here; SBML-qual and other formats in sibling modules."""

from __future__ import annotations

import os

from ..errors import ModelError
from ..network import BooleanNetwork
from .bnet import format_bnet, parse_bnet, read_bnet, write_bnet

__all__ = ["format_bnet", "parse_bnet", "read_bnet", "read_network", "write_bnet"]

_READERS = {".bnet": "bnet", ".txt": "bnet"}


def path_text(path: str | os.PathLike[str]) -> str:
    """``str(pathlib.Path(path))``, without importing pathlib on POSIX (the import costs more
    than reading a 30-node model; this runs at the start of every command).

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    str
        Empty and ``.`` components and repeated slashes removed, as pathlib writes the path.

    Examples
    --------
    >>> path_text("./networks//dormancy.bnet")
    'networks/dormancy.bnet'
    """
    text = os.fspath(path)
    if os.name != "posix" or not isinstance(text, str):
        from pathlib import Path

        return str(Path(path))
    root = "/" if text.startswith("/") else ""
    if text.startswith("//") and not text.startswith("///"):
        root = "//"  # POSIX leaves a leading double slash to the implementation; pathlib keeps it
    parts = [p for p in text.split("/") if p and p != "."]
    return root + "/".join(parts) if root or parts else "."


def _suffix(text: str) -> str:
    """``PurePath(text).suffix``: the last dot and what follows it in the file name."""
    name = text.rpartition("/")[2]
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def read_network(path: str | os.PathLike[str]) -> BooleanNetwork:
    """Read a model, choosing the reader by file extension.

    Parameters
    ----------
    path : str or path-like
        ``.bnet`` (or ``.txt``, or no extension), ``.bn`` (BoolNet), ``.sbml`` or ``.xml``
        (SBML-qual), ``.bnd`` (MaBoSS: the network; :mod:`dormnet.simulate` reads its rates).

    Returns
    -------
    BooleanNetwork

    Raises
    ------
    ModelError
        An unknown extension, or what the reader raises (file, line and what is wrong).

    Examples
    --------
    >>> from dormnet.bundle import bundled_model_path
    >>> "NR2F1" in read_network(bundled_model_path())
    True
    """
    p = path_text(path)
    ext = _suffix(p).lower()
    if ext in (".sbml", ".xml"):
        from .sbml import read_sbml

        return read_sbml(p)
    if ext in (".bnet", ".txt", ""):
        return read_bnet(p)
    if ext == ".bnd":  # MaBoSS: the network; dormnet.simulate reads its rates and .cfg
        from .maboss import read_maboss

        return read_maboss(p)[0]
    if ext == ".bn":
        from .boolnet import read_boolnet

        return read_boolnet(p)
    raise ModelError(
        f"unknown model format {ext!r}: dormnet reads .bnet, .bn (BoolNet), .bnd (MaBoSS), "
        ".sbml and .xml files",
        str(p),
    )
