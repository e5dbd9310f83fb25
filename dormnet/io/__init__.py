"""Reading and writing models: BNET here; SBML-qual and other formats in sibling modules."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import ModelError
from ..network import BooleanNetwork
from .bnet import format_bnet, parse_bnet, read_bnet, write_bnet

__all__ = ["format_bnet", "parse_bnet", "read_bnet", "read_network", "write_bnet"]

_READERS = {".bnet": "bnet", ".txt": "bnet"}


def read_network(path: str | os.PathLike[str]) -> BooleanNetwork:
    """Read a model, choosing the reader by file extension: ``.bnet`` (or ``.txt``), ``.bn``
    (BoolNet), ``.sbml``/``.xml`` (SBML-qual), ``.bnd`` (MaBoSS)."""
    p = Path(path)
    ext = p.suffix.lower()
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
        f"unknown model format {ext!r}: dormnet reads .bnet, .bn (BoolNet), .bnd (MaBoSS), .sbml and .xml files",
        str(p),
    )
