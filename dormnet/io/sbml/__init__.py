"""SBML-qual: the exchange format of GINsim, bioLQM, CellCollective and biodivine-aeon.

SBML Level 3 Version 1 with the *qual* package (Chaouiya et al. 2013) describes a logical model
as qualitative species (the nodes) and transitions (one update function each). dormnet reads
and writes Boolean models with python-libsbml.

- :mod:`.reader`: :func:`read_sbml`, :func:`parse_sbml` and the :class:`SbmlModel` with the
  mapping back to the file's ids; how a file is read;
- :mod:`.writer`: :func:`write_sbml`, :func:`format_sbml`; how a network is written.

References
----------
Chaouiya C, Bérenguier D, Keating SM, et al. SBML qualitative models: a model representation
format and infrastructure to foster interactions between qualitative modelling formalisms and
tools. BMC Syst Biol 2013;7:135. DOI:10.1186/1752-0509-7-135.
"""

from __future__ import annotations

from .reader import SbmlModel, parse_sbml, parse_sbml_model, read_sbml, read_sbml_model
from .writer import MAX_MATH_DEPTH, format_sbml, write_sbml

__all__ = [
    "MAX_MATH_DEPTH",
    "SbmlModel",
    "format_sbml",
    "parse_sbml",
    "parse_sbml_model",
    "read_sbml",
    "read_sbml_model",
    "write_sbml",
]
