"""Reading SBML-qual into a :class:`~dormnet.BooleanNetwork`.

How dormnet reads a file
------------------------
The bytes are first checked by :func:`dormnet.io._xmlguard.check_xml` (no entities, no
external DTD, size and depth caps), then parsed by libsbml. Real files are treated leniently
where their meaning is clear: schema errors such as a species without a compartment or unknown
attributes (``essential``) are ignored, as libsbml reports them but still builds the model.

- node names are the species ids; an id that is not a valid dormnet name (``true``, ``none``)
  is renamed (``true_node``), and :class:`SbmlModel` keeps the mapping;
- a species that no transition writes is an input ``x, x``, except a species with
  ``constant="true"`` and an ``initialLevel``, which keeps that level: a constant;
- a transition without function terms and without inputs (AEON's way of writing an input) is
  an input; one with inputs but no terms leaves its function unspecified and is refused;
- function terms are read in document order, the first that holds giving the level
  (``defaultTerm`` otherwise); comparisons ``eq``/``neq``/``geq``/``gt``/``leq``/``lt`` of a
  species with a number or with the id of a transition input (its ``thresholdLevel``),
  ``and``/``or``/``not``/``xor``/``implies``, ``true``/``false`` are understood; anything
  else (arithmetic, user functions) is refused with the line of its transition;
- a multi-valued model (``maxLevel`` above 1, result levels or thresholds above 1) is refused.

Expressions are built as boolean.py objects through :mod:`dormnet.expr`; nothing in the file is
ever evaluated as code.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import boolean

from ...errors import Problem, SbmlError
from ...expr import ALGEBRA, FALSE, TRUE, is_false
from ...names import name_problem, valid_name
from ...network import BooleanNetwork, Rule
from .._xmlguard import MAX_XML_BYTES, check_xml
from ._common import load_libsbml
from ._mathml import Var, and_, as_bool, ast_type_name, compare, not_, or_, relations

__all__ = ["SbmlModel", "parse_sbml", "parse_sbml_model", "read_sbml", "read_sbml_model"]

_AND, _OR, _NOT, _Symbol = ALGEBRA.AND, ALGEBRA.OR, ALGEBRA.NOT, ALGEBRA.Symbol


@dataclass(frozen=True)
class SbmlModel:
    """A network read from SBML-qual, with the mapping back to the file.

    Attributes
    ----------
    network : BooleanNetwork
    species : dict
        Node name -> species id (they differ only where an id had to be renamed).
    names : dict
        Node name -> the species' ``name`` attribute, where it has one.
    """

    network: BooleanNetwork
    species: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


def _node_names(ids: list[str]) -> dict[str, str]:
    """Species id -> node name: ids that are not valid names get a close, unused valid name."""
    taken = {i for i in ids if name_problem(i) is None}
    out: dict[str, str] = {}
    for sid in ids:
        out[sid] = name = valid_name(sid, taken)
        taken.add(name)
    return out


def _notes_lines(element: Any) -> list[str]:
    """The text of an element's notes, one stripped line per paragraph, empty lines dropped."""
    if not element.isSetNotes():
        return []
    lines: list[str] = []
    current: list[str] = []
    # iterative walk over the XHTML tree; block elements end a line
    todo: list[Any] = [element.getNotes()]
    blocks = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "tr", "pre"}
    while todo:
        node = todo.pop()
        if node is None:
            lines.append("".join(current))
            current = []
            continue
        if node.isText():
            current.append(node.getCharacters())
            continue
        if node.getName() in blocks:
            todo.append(None)
        for i in reversed(range(node.getNumChildren())):
            todo.append(node.getChild(i))
    lines.append("".join(current))
    out = []
    for chunk in lines:
        for line in chunk.splitlines():
            line = line.strip()
            if line:
                out.append(line)
    return out


_REF_URI = re.compile(r"(?:identifiers\.org/|urn:miriam:)(pubmed|doi)[:/](.+)\Z", re.IGNORECASE)


def _references(element: Any) -> list[str]:
    """``PMID:n`` / ``DOI:x`` from the ``bqbiol:isDescribedBy`` annotations of an element."""
    libsbml = load_libsbml()
    out: list[str] = []
    for i in range(element.getNumCVTerms()):
        cv = element.getCVTerm(i)
        if (
            cv.getQualifierType() != libsbml.BIOLOGICAL_QUALIFIER
            or cv.getBiologicalQualifierType() != libsbml.BQB_IS_DESCRIBED_BY
        ):
            continue
        for j in range(cv.getNumResources()):
            m = _REF_URI.search(cv.getResourceURI(j).strip())
            if m:
                kind = "PMID" if m.group(1).lower() == "pubmed" else "DOI"
                ref = f"{kind}:{unquote(m.group(2))}"
                if ref not in out:
                    out.append(ref)
    return out


class _Reader:
    """Turns one libsbml document into rules; collects problems instead of stopping at one."""

    def __init__(self, doc: Any, source: str):
        self.libsbml = load_libsbml()
        self.doc = doc
        self.source = source
        self.problems: list[Problem] = []

    def problem(self, message: str, element: Any = None) -> None:
        line = element.getLine() if element is not None and element.getLine() > 0 else None
        self.problems.append(Problem(message, self.source, line))

    # -- MathML -----------------------------------------------------------------------------
    def expression(
        self,
        math: Any,
        where: str,
        element: Any,
        node_of: Mapping[str, str],
        thresholds: Mapping[str, int],
    ) -> boolean.Expression | None:
        """The Boolean function of a MathML tree, built iteratively (deep trees are fine)."""
        L = self.libsbml
        values: list[object] = []
        todo: list[tuple[Any, bool]] = [(math, False)]
        while todo:
            ast, done = todo.pop()
            t = ast.getType()
            k = ast.getNumChildren()
            if not done and k:
                todo.append((ast, True))
                todo.extend((ast.getChild(i), False) for i in reversed(range(k)))
                continue
            args = values[len(values) - k :] if k else []
            if k:
                del values[len(values) - k :]
            try:
                values.append(self._apply(L, ast, t, args, node_of, thresholds))
            except ValueError as e:
                self.problem(f"{where}: {e}", element)
                return None
        try:
            return as_bool(values[0])
        except ValueError as e:
            self.problem(f"{where}: {e}", element)
            return None

    @staticmethod
    def _apply(
        L: Any,
        ast: Any,
        t: int,
        args: list[object],
        node_of: Mapping[str, str],
        thresholds: Mapping[str, int],
    ) -> object:
        if t == L.AST_NAME:
            name = ast.getName()
            if name in node_of:
                return Var(node_of[name])
            if name in thresholds:
                return thresholds[name]
            raise ValueError(
                f"unknown name {name!r} in MathML (not a species, nor an input of "
                "this transition with a thresholdLevel)"
            )
        if t == L.AST_INTEGER:
            return int(ast.getInteger())
        if t in (L.AST_REAL, L.AST_REAL_E, L.AST_RATIONAL):
            v = ast.getValue()
            if v != int(v):
                raise ValueError(f"non-integer level {v} in MathML")
            return int(v)
        if t == L.AST_CONSTANT_TRUE:
            return TRUE
        if t == L.AST_CONSTANT_FALSE:
            return FALSE
        if t == L.AST_LOGICAL_AND:
            return and_([as_bool(a) for a in args])
        if t == L.AST_LOGICAL_OR:
            return or_([as_bool(a) for a in args])
        if t == L.AST_LOGICAL_NOT:
            if len(args) != 1:
                raise ValueError("'not' needs exactly one argument")
            return not_(as_bool(args[0]))
        if t == L.AST_LOGICAL_XOR:
            out: boolean.Expression = FALSE
            for a in args:
                b = as_bool(a)
                out = or_([and_([out, not_(b)]), and_([not_(out), b])])
            return out
        if t == L.AST_LOGICAL_IMPLIES:
            if len(args) != 2:
                raise ValueError("'implies' needs exactly two arguments")
            return or_([not_(as_bool(args[0])), as_bool(args[1])])
        if t in relations(L):
            if len(args) < 2:
                raise ValueError(f"comparison '{ast.getName() or t}' needs two arguments")
            op = relations(L)[t]
            return and_([compare(op, args[i], args[i + 1]) for i in range(len(args) - 1)])
        what = ast.getName() or ast_type_name(L, t)
        raise ValueError(
            f"unsupported MathML element {what!r}: a "
            "Boolean function uses and/or/not/xor/implies and comparisons of a "
            "species with a level"
        )

    # -- the model --------------------------------------------------------------------------
    def read(self) -> SbmlModel:
        L = self.libsbml
        model = self.doc.getModel()
        if model is None:
            raise SbmlError("no <model> in this SBML file", self.source)
        qual = model.getPlugin("qual")
        if qual is None or qual.getNumQualitativeSpecies() == 0:
            raise SbmlError(
                "not an SBML-qual model: no qualitative species (the 'qual' package); "
                "dormnet imports logical models only",
                self.source,
            )
        species = [qual.getQualitativeSpecies(i) for i in range(qual.getNumQualitativeSpecies())]
        ids = [s.getId() for s in species]
        seen: set[str] = set()
        for s in species:
            sid = s.getId()
            if not sid:
                self.problem("a qualitative species without an id", s)
            elif sid in seen:
                self.problem(f"duplicate species id {sid!r}", s)
            seen.add(sid)
        node_of = _node_names(ids)
        multi = [s for s in species if s.isSetMaxLevel() and s.getMaxLevel() > 1]
        if multi:
            s = multi[0]
            more = f" (and {len(multi) - 1} more)" if len(multi) > 1 else ""
            line = s.getLine() if s.getLine() > 0 else None
            raise SbmlError(
                [
                    Problem(
                        f"multi-valued model: species {s.getId()!r} has maxLevel {s.getMaxLevel()}"
                        f"{more}; dormnet handles Boolean models only (maxLevel 1)",
                        self.source,
                        line,
                    )
                ]
            )

        transitions = [qual.getTransition(i) for i in range(qual.getNumTransitions())]
        writer: dict[str, Any] = {}
        for tr in transitions:
            for j in range(tr.getNumOutputs()):
                out = tr.getOutput(j)
                sid = out.getQualitativeSpecies()
                if sid not in node_of:
                    self.problem(f"transition {tr.getId()!r} writes unknown species {sid!r}", tr)
                    continue
                if (
                    out.isSetTransitionEffect()
                    and out.getTransitionEffect() == L.OUTPUT_TRANSITION_EFFECT_PRODUCTION
                ):
                    self.problem(
                        f"transition {tr.getId()!r}: output effect 'production' is not "
                        "a logical update (use assignmentLevel)",
                        tr,
                    )
                    continue
                if sid in writer:
                    self.problem(
                        f"species {sid!r} is the output of transitions "
                        f"{writer[sid].getId()!r} and {tr.getId()!r}; a Boolean network "
                        "has one function per node",
                        tr,
                    )
                    continue
                writer[sid] = tr

        rules: list[Rule] = []
        for s in species:
            sid = s.getId()
            if not sid or sid not in node_of:
                continue
            node = node_of[sid]
            tr = writer.get(sid)
            expr = self.function(s, tr, node, node_of)
            if expr is None:
                continue
            comments = _notes_lines(s)
            refs = _references(s)
            if tr is not None:
                comments += [c for c in _notes_lines(tr) if c not in comments]
                refs += [r for r in _references(tr) if r not in refs]
            if node != sid:
                comments.append(f"SBML species id {sid!r} renamed to {node!r}")
            cited = " ".join(comments).upper()
            missing = [r for r in refs if r.upper() not in cited]
            if missing:
                comments.append("; ".join(missing))
            line = (
                tr.getLine()
                if tr is not None and tr.getLine() > 0
                else (s.getLine() if s.getLine() > 0 else None)
            )
            rules.append(Rule(node, expr, tuple(comments), line))
        if self.problems:
            raise SbmlError(self.problems, self.source)
        net = BooleanNetwork(rules, source=self.source)
        names = {
            node_of[s.getId()]: s.getName()
            for s in species
            if s.isSetName() and s.getName() and s.getId() in node_of
        }
        return SbmlModel(net, {node_of[i]: i for i in ids if i in node_of}, names)

    def function(
        self, s: Any, tr: Any, node: str, node_of: Mapping[str, str]
    ) -> boolean.Expression | None:
        """The update function of species ``s`` written by transition ``tr`` (or ``None``)."""
        if tr is None:
            if s.getConstant() and s.isSetInitialLevel():
                level = s.getInitialLevel()
                if level not in (0, 1):
                    self.problem(f"species {s.getId()!r}: initialLevel {level} is not Boolean", s)
                    return None
                return TRUE if level else FALSE
            return _Symbol(node)  # an input: its level never changes
        where = f"transition {tr.getId()!r}"
        thresholds: dict[str, int] = {}
        for j in range(tr.getNumInputs()):
            inp = tr.getInput(j)
            if inp.isSetThresholdLevel() and inp.getThresholdLevel() > 1:
                self.problem(
                    f"{where}: input {inp.getQualitativeSpecies()!r} has threshold "
                    f"{inp.getThresholdLevel()}: a multi-valued model; dormnet handles "
                    "Boolean models only",
                    tr,
                )
                return None
            if inp.isSetId() and inp.isSetThresholdLevel():
                thresholds[inp.getId()] = inp.getThresholdLevel()
            ref = inp.getQualitativeSpecies()
            if ref and ref not in node_of:
                self.problem(f"{where}: input refers to unknown species {ref!r}", tr)
                return None
        terms = [tr.getFunctionTerm(j) for j in range(tr.getNumFunctionTerms())]
        default = tr.getDefaultTerm() if tr.isSetDefaultTerm() else None
        if default is None:
            if not terms and tr.getNumInputs() == 0:
                return _Symbol(node)  # AEON writes a free input this way
            if not terms:
                self.problem(
                    f"{where} has inputs but no function terms: its function is "
                    "unspecified (a parametrised model); dormnet needs every function "
                    "given",
                    tr,
                )
            else:
                self.problem(f"{where} has function terms but no defaultTerm", tr)
            return None
        levels = [default.getResultLevel()] + [t.getResultLevel() for t in terms]
        bad = [v for v in levels if v not in (0, 1)]
        if bad:
            self.problem(
                f"{where}: result level {bad[0]}: a multi-valued model; dormnet handles "
                "Boolean models only",
                tr,
            )
            return None
        conds: list[tuple[boolean.Expression, int]] = []
        for j, term in enumerate(terms):
            if not term.isSetMath():
                self.problem(f"{where}: function term {j + 1} has no MathML", tr)
                return None
            e = self.expression(term.getMath(), where, tr, node_of, thresholds)
            if e is None:
                return None
            conds.append((e, term.getResultLevel()))
        # first term that holds wins: fold from the last one down to the default
        result: boolean.Expression = TRUE if default.getResultLevel() else FALSE
        if all(level == 1 for _, level in conds) and is_false(result):
            return or_([c for c, _ in conds])
        for cond, level in reversed(conds):
            result = or_([cond, result]) if level else and_([not_(cond), result])
        return result


def parse_sbml_model(text: str | bytes, source: str = "<string>") -> SbmlModel:
    """Parse SBML-qual text into an :class:`SbmlModel` (the network and the id mapping).

    Parameters
    ----------
    text : str or bytes
    source : str
        The name used in error messages (a path).

    Returns
    -------
    SbmlModel

    Raises
    ------
    SbmlError
        Unsafe or malformed XML, a file that is not SBML-qual, a multi-valued model, or
        functions dormnet cannot read; with the line where there is one.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    decoded = check_xml(data, source)
    libsbml = load_libsbml()
    doc = libsbml.readSBMLFromString(decoded)
    fatal = [
        doc.getError(i)
        for i in range(doc.getNumErrors())
        if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_FATAL
    ]
    if fatal or doc.getModel() is None:
        if fatal:
            e = fatal[0]
            raise SbmlError(
                [
                    Problem(
                        f"libsbml cannot read the file: {e.getShortMessage()}",
                        source,
                        e.getLine() or None,
                    )
                ]
            )
        if doc.getLevel() == 0 or "sbml" not in decoded[:4096].lower():
            raise SbmlError("not an SBML file (no <sbml> root element)", source)
    return _Reader(doc, source).read()


def parse_sbml(text: str | bytes, source: str = "<string>") -> BooleanNetwork:
    """Parse SBML-qual text into a :class:`~dormnet.BooleanNetwork`.

    Parameters
    ----------
    text : str or bytes
    source : str
        The name used in error messages (a path).

    Returns
    -------
    BooleanNetwork

    Examples
    --------
    >>> from dormnet.io.sbml import format_sbml
    >>> net = BooleanNetwork({"a": "a", "b": "a & !c", "c": "1"})
    >>> back = parse_sbml(format_sbml(net))
    >>> [back.rule(n).function for n in back.nodes]
    ['a', 'a & !c', '1']
    """
    return parse_sbml_model(text, source).network


def _read_bytes(path: str | os.PathLike[str]) -> bytes:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_XML_BYTES:
            raise SbmlError(f"file is {size} bytes; the limit is {MAX_XML_BYTES}", str(path))
        return p.read_bytes()
    except OSError as e:
        raise SbmlError(f"cannot read file: {e.strerror or e}", str(path)) from None


def read_sbml_model(path: str | os.PathLike[str]) -> SbmlModel:
    """Read an SBML-qual file into an :class:`SbmlModel`.

    Parameters
    ----------
    path : path

    Returns
    -------
    SbmlModel

    Raises
    ------
    SbmlError
        See :func:`parse_sbml_model`.
    """
    return parse_sbml_model(_read_bytes(path), str(path))


def read_sbml(path: str | os.PathLike[str]) -> BooleanNetwork:
    """Read an SBML-qual file (GINsim, bioLQM, CellCollective, AEON) into a network.

    Parameters
    ----------
    path : path

    Returns
    -------
    BooleanNetwork

    Raises
    ------
    SbmlError
        See :func:`parse_sbml_model`.
    """
    return read_sbml_model(path).network


# ============================================================================ writing
