"""What reading and writing SBML-qual share: loading python-libsbml."""

from __future__ import annotations

from typing import Any

from ...errors import SbmlError


def load_libsbml() -> Any:
    """The ``libsbml`` module, imported on first use (it takes a while to load).

    Returns
    -------
    module

    Raises
    ------
    SbmlError
        python-libsbml is not installed.
    """
    try:
        import libsbml as module
    except ImportError:  # pragma: no cover - a declared dependency
        raise SbmlError("SBML needs python-libsbml: pip install python-libsbml") from None
    return module
