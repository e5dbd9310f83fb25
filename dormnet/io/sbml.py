"""SBML-qual: the exchange format of GINsim, bioLQM, CellCollective and biodivine-aeon.

SBML Level 3 Version 1 with the *qual* package (Chaouiya et al. 2013) describes a logical model
as qualitative species (the nodes) and transitions (one update function each). dormnet reads
and writes Boolean models with python-libsbml.

How dormnet writes a network
----------------------------
- one qualitative species per node, ``maxLevel=1``, in a single compartment;
- an **input** (``x, x``) is a species with ``constant="true"`` and *no* transition. This is
  how bioLQM and GINsim write and read inputs, and biodivine-aeon reads a species without a
  transition as an input too (its value is free, then fixed);
- a **constant** rule (``x, 1``) is a species with ``constant="false"`` and a transition
  without inputs whose ``defaultTerm`` has the constant as its result level. (A constant
  species would be read back as a free input by bioLQM and AEON, losing the value.)
- every other node has one transition: its regulators as inputs with the sign of
  :meth:`~dormnet.BooleanNetwork.interaction_graph` (``positive``/``negative``/``dual``) and
  threshold 1, the node as output (``assignmentLevel``), ``defaultTerm`` 0 and one
  ``functionTerm`` of result level 1 whose MathML is the rule with every regulator read as
  ``eq(x, 1)``. Nested ANDs and ORs are merged, names a rule mentions but does not depend
  on are dropped (set to 0, constants folded), and a rule still nested deeper than
  :data:`MAX_MATH_DEPTH` is written as its prime-implicant DNF (the same function);
- annotations: a species with a node-table entry gets ``bqbiol:is``
  ``http://identifiers.org/uniprot/…`` and ``bqbiol:isEncodedBy``
  ``http://identifiers.org/hgnc.symbol/…``; the references of a rule (``PMID:``/``DOI:`` in
  its comments) become ``bqbiol:isDescribedBy`` ``http://identifiers.org/pubmed/…`` /
  ``…/doi/…`` on its transition (on the species for an input); the comments themselves go
  into the species' notes, so that a BNET → SBML → BNET round trip keeps them.

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

References
----------
Chaouiya C, Bérenguier D, Keating SM, et al. SBML qualitative models: a model representation
format and infrastructure to foster interactions between qualitative modelling formalisms and
tools. BMC Syst Biol 2013;7:135. DOI:10.1186/1752-0509-7-135.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote
from xml.sax.saxutils import escape

import boolean

from ..errors import Problem, SbmlError
from ..expr import (
    ALGEBRA,
    FALSE,
    TRUE,
    ascii_suggestion,
    is_false,
    is_true,
    name_problem,
    valid_name,
)
from ..network import BooleanNetwork, Rule
from ._atomic import atomic_write_text
from ._xmlguard import MAX_XML_BYTES, check_xml

if TYPE_CHECKING:
    from ..records import NodeInfo

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

#: rules nested deeper than this are written as their DNF (libsbml recurses over MathML)
MAX_MATH_DEPTH = 300

_AND, _OR, _NOT, _Symbol = ALGEBRA.AND, ALGEBRA.OR, ALGEBRA.NOT, ALGEBRA.Symbol


def _libsbml() -> Any:
    try:
        import libsbml
    except ImportError:  # pragma: no cover - a declared dependency
        raise SbmlError("SBML needs python-libsbml: pip install python-libsbml") from None
    return libsbml


# ============================================================================ reading


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


@dataclass(frozen=True)
class _Var:
    """A reference to a species inside MathML (its level is 0 or 1)."""

    node: str


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
    libsbml = _libsbml()
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
        self.libsbml = _libsbml()
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
            return _as_bool(values[0])
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
                return _Var(node_of[name])
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
            return _and([_as_bool(a) for a in args])
        if t == L.AST_LOGICAL_OR:
            return _or([_as_bool(a) for a in args])
        if t == L.AST_LOGICAL_NOT:
            if len(args) != 1:
                raise ValueError("'not' needs exactly one argument")
            return _not(_as_bool(args[0]))
        if t == L.AST_LOGICAL_XOR:
            out: boolean.Expression = FALSE
            for a in args:
                b = _as_bool(a)
                out = _or([_and([out, _not(b)]), _and([_not(out), b])])
            return out
        if t == L.AST_LOGICAL_IMPLIES:
            if len(args) != 2:
                raise ValueError("'implies' needs exactly two arguments")
            return _or([_not(_as_bool(args[0])), _as_bool(args[1])])
        if t in _RELATIONS(L):
            if len(args) < 2:
                raise ValueError(f"comparison '{ast.getName() or t}' needs two arguments")
            op = _RELATIONS(L)[t]
            return _and([_compare(op, args[i], args[i + 1]) for i in range(len(args) - 1)])
        what = ast.getName() or _ast_type_name(L, t)
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
            return _or([c for c, _ in conds])
        for cond, level in reversed(conds):
            result = _or([cond, result]) if level else _and([_not(cond), result])
        return result


def _RELATIONS(L: Any) -> dict[int, str]:
    return {
        L.AST_RELATIONAL_EQ: "eq",
        L.AST_RELATIONAL_NEQ: "neq",
        L.AST_RELATIONAL_GEQ: "geq",
        L.AST_RELATIONAL_GT: "gt",
        L.AST_RELATIONAL_LEQ: "leq",
        L.AST_RELATIONAL_LT: "lt",
    }


def _ast_type_name(L: Any, t: int) -> str:
    for name in dir(L):
        if name.startswith("AST_") and getattr(L, name) == t:
            return name[4:].lower()
    return str(t)


_OPS = {
    "eq": lambda a, b: a == b,
    "neq": lambda a, b: a != b,
    "geq": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
    "leq": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
}


def _compare(op: str, left: object, right: object) -> boolean.Expression:
    """A comparison of levels as a Boolean function of the (0/1) species it mentions."""
    for side in (left, right):
        if not isinstance(side, (int, _Var)):
            raise ValueError(
                f"'{op}' compares a Boolean expression; it compares a species with a level"
            )
    names = sorted({s.node for s in (left, right) if isinstance(s, _Var)})
    minterms: list[boolean.Expression] = []
    for bits in range(1 << len(names)):
        val = {n: (bits >> i) & 1 for i, n in enumerate(names)}
        a = val[left.node] if isinstance(left, _Var) else left
        b = val[right.node] if isinstance(right, _Var) else right
        if _OPS[op](a, b):
            minterms.append(_and([_Symbol(n) if val[n] else _not(_Symbol(n)) for n in names]))
    if len(minterms) == 1 << len(names):
        return TRUE
    return _or(minterms)


def _as_bool(v: object) -> boolean.Expression:
    if isinstance(v, _Var):
        return _Symbol(v.node)  # a bare species reads as "level >= 1"
    if isinstance(v, int):
        return TRUE if v else FALSE
    return v  # type: ignore[return-value]


def _and(args: list[boolean.Expression]) -> boolean.Expression:
    """AND with constants folded and nested ANDs kept flat."""
    out: list[boolean.Expression] = []
    for a in args:
        if is_false(a):
            return FALSE
        if is_true(a):
            continue
        out.extend(a.args if isinstance(a, boolean.AND) else (a,))
    if not out:
        return TRUE
    return out[0] if len(out) == 1 else _AND(*out)


def _or(args: list[boolean.Expression]) -> boolean.Expression:
    """OR with constants folded and nested ORs kept flat."""
    out: list[boolean.Expression] = []
    for a in args:
        if is_true(a):
            return TRUE
        if is_false(a):
            continue
        out.extend(a.args if isinstance(a, boolean.OR) else (a,))
    if not out:
        return FALSE
    return out[0] if len(out) == 1 else _OR(*out)


def _not(a: boolean.Expression) -> boolean.Expression:
    if is_true(a):
        return FALSE
    if is_false(a):
        return TRUE
    if isinstance(a, boolean.NOT):
        return a.args[0]
    return _NOT(a)


def parse_sbml_model(text: str | bytes, source: str = "<string>") -> SbmlModel:
    """Parse SBML-qual text into an :class:`SbmlModel` (the network and the id mapping).

    Raises
    ------
    SbmlError
        Unsafe or malformed XML, a file that is not SBML-qual, a multi-valued model, or
        functions dormnet cannot read; with the line where there is one.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    decoded = check_xml(data, source)
    libsbml = _libsbml()
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

    Examples
    --------
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
    """Read an SBML-qual file into an :class:`SbmlModel`."""
    return parse_sbml_model(_read_bytes(path), str(path))


def read_sbml(path: str | os.PathLike[str]) -> BooleanNetwork:
    """Read an SBML-qual file (GINsim, bioLQM, CellCollective, AEON) into a network.

    Raises
    ------
    SbmlError
        See :func:`parse_sbml_model`.
    """
    return read_sbml_model(path).network


# ============================================================================ writing


class _Ids:
    """Allocates SBML ids that clash with no node name and no other id."""

    def __init__(self, taken: Iterable[str]):
        self.taken = set(taken)

    def new(self, base: str) -> str:
        name, k = base, 2
        while name in self.taken:
            name, k = f"{base}_{k}", k + 1
        self.taken.add(name)
        return name


# A light tree for writing MathML: ("and"|"or", [children]), ("not", child), ("var", name),
# or a bool. Building boolean.py objects instead costs minutes on the largest published rules.
_Tree = Any


def _tree(expr: boolean.Expression, drop: Mapping[str, int]) -> _Tree:
    """``expr`` as a light tree: names in ``drop`` replaced by their constant, constants
    folded, nested ANDs and ORs merged (associativity); iterative."""
    out: list[_Tree] = []
    todo: list[tuple[boolean.Expression, bool]] = [(expr, False)]
    while todo:
        e, visited = todo.pop()
        if isinstance(e, boolean.Symbol):
            name = str(e.obj)
            out.append(("var", name) if name not in drop else bool(drop[name]))
            continue
        if is_true(e) or is_false(e):
            out.append(is_true(e))
            continue
        if not visited:
            todo.append((e, True))
            todo.extend((a, False) for a in reversed(e.args))
            continue
        k = len(e.args)
        args = out[-k:]
        del out[-k:]
        if isinstance(e, boolean.NOT):
            a = args[0]
            out.append((not a) if isinstance(a, bool) else a[1] if a[0] == "not" else ("not", a))
            continue
        op = "and" if isinstance(e, boolean.AND) else "or"
        absorbing = op == "or"  # True absorbs an OR, False an AND
        kids: list[_Tree] = []
        result: _Tree = None
        for a in args:
            if isinstance(a, bool):
                if a == absorbing:
                    result = absorbing
                    break
                continue
            kids.extend(a[1] if a[0] == op else [a])
        if result is None:
            result = (not absorbing) if not kids else kids[0] if len(kids) == 1 else (op, kids)
        out.append(result)
    return out[0]


def _tree_depth(tree: _Tree) -> int:
    best, todo = 0, [(tree, 1)]
    while todo:
        t, d = todo.pop()
        best = max(best, d)
        if isinstance(t, tuple) and t[0] != "var":
            todo.extend((c, d + 1) for c in (t[1] if t[0] != "not" else [t[1]]))
    return best


def _dnf_tree(cubes: list[dict[str, int]]) -> _Tree:
    terms: list[_Tree] = []
    for c in cubes:
        lits = [("var", k) if v else ("not", ("var", k)) for k, v in c.items()]
        terms.append(True if not lits else lits[0] if len(lits) == 1 else ("and", lits))
    if not terms:
        return False
    if any(t is True for t in terms):
        return True
    return terms[0] if len(terms) == 1 else ("or", terms)


def _math_tree(net: BooleanNetwork, node: str, regulators: tuple[str, ...]) -> _Tree:
    """What to write for a node: its rule with nested ANDs/ORs merged and the names it
    mentions but does not depend on set to 0 (which changes nothing); the prime-implicant
    DNF, the same function, if that is still nested more than :data:`MAX_MATH_DEPTH` deep."""
    from ..expr import symbols_of
    from ..normal_form import primes

    expr = net.rule(node).expr
    tree = _tree(expr, {s: 0 for s in symbols_of(expr) if s not in regulators})
    if _tree_depth(tree) <= MAX_MATH_DEPTH:
        return tree
    return _dnf_tree(primes(net, node)[1])


def _mathml(L: Any, tree: _Tree) -> Any:
    """A libsbml AST for a light tree: each regulator read as ``eq(x, 1)``."""
    values: list[Any] = []
    todo: list[tuple[_Tree, bool]] = [(tree, False)]
    while todo:
        t, visited = todo.pop()
        if isinstance(t, bool):
            values.append(L.ASTNode(L.AST_CONSTANT_TRUE if t else L.AST_CONSTANT_FALSE))
            continue
        if t[0] == "var":
            eq = L.ASTNode(L.AST_RELATIONAL_EQ)
            ci = L.ASTNode(L.AST_NAME)
            ci.setName(t[1])
            one = L.ASTNode(L.AST_INTEGER)
            one.setValue(1)
            eq.addChild(ci)
            eq.addChild(one)
            values.append(eq)
            continue
        kids = [t[1]] if t[0] == "not" else t[1]
        if not visited:
            todo.append((t, True))
            todo.extend((c, False) for c in reversed(kids))
            continue
        node = L.ASTNode(
            {"not": L.AST_LOGICAL_NOT, "and": L.AST_LOGICAL_AND, "or": L.AST_LOGICAL_OR}[t[0]]
        )
        k = len(kids)
        for child in values[-k:]:
            node.addChild(child)
        del values[-k:]
        values.append(node)
    return values[0]


def _xhtml(lines: Iterable[str]) -> str:
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return f'<body xmlns="http://www.w3.org/1999/xhtml">{body}</body>'


def _reference_uri(ref: str) -> str:
    kind, _, ident = ref.partition(":")
    if kind.upper() == "PMID":
        return f"http://identifiers.org/pubmed/{ident}"
    return f"http://identifiers.org/doi/{quote(ident, safe='/:;()._-~<>[]')}"


def _add_cv(L: Any, element: Any, qualifier: int, uris: list[str]) -> None:
    if not uris:
        return
    cv = L.CVTerm(L.BIOLOGICAL_QUALIFIER)
    cv.setBiologicalQualifierType(qualifier)
    for uri in uris:
        cv.addResource(uri)
    if element.addCVTerm(cv) != L.LIBSBML_OPERATION_SUCCESS:
        raise SbmlError(f"libsbml refused an annotation of {element.getId()!r}")


def _model_id(net: BooleanNetwork) -> str:
    stem = Path(net.source).stem if net.source and not net.source.startswith("<") else "model"
    return ascii_suggestion(stem) if name_problem(stem) else stem


def format_sbml(
    net: BooleanNetwork,
    *,
    nodes: Mapping[str, NodeInfo] | None = None,
    model_id: str | None = None,
    notes: Iterable[str] = (),
) -> str:
    """SBML-qual (Level 3 Version 1, qual v1) text of a network; see the module docstring.

    Parameters
    ----------
    net : BooleanNetwork
    nodes : mapping, optional
        The model bundle's node table (``load_bundle(path).nodes``): HGNC and UniProt ids
        become species annotations.
    model_id : str, optional
        The SBML model id (default: from the file name of ``net.source``).
    notes : iterable of str
        Extra lines for the model's notes.

    Examples
    --------
    >>> text = format_sbml(BooleanNetwork({"a": "a", "b": "a & !b"}))
    >>> "<qual:transition" in text and 'qual:constant="true"' in text
    True
    """
    from .. import __version__

    L = _libsbml()
    nodes = nodes or {}
    doc = L.SBMLDocument(L.SBMLNamespaces(3, 1, "qual", 1))
    doc.setPackageRequired("qual", True)
    model = doc.createModel()
    ids = _Ids(net.nodes)
    model.setId(ids.new(model_id or _model_id(net)))
    model.setMetaId(ids.new("meta_" + model.getId()))
    model.setNotes(
        _xhtml(
            [
                f"Boolean network exported by dormnet {__version__} from {net.source}: {len(net)} nodes, "
                f"{len(net.inputs)} inputs, {len(net.constants)} constants.",
                "Inputs (x, x) are qualitative species with constant=true and no transition; constant "
                "rules are transitions without inputs whose defaultTerm is the constant; every other "
                "function is a functionTerm of result level 1 over eq(x, 1) with defaultTerm 0.",
                *notes,
            ]
        )
    )
    compartment = model.createCompartment()
    compartment.setId(ids.new("cell"))
    compartment.setConstant(True)
    qual = model.getPlugin("qual")
    graph = net.interaction_graph()
    sign_code = {
        "positive": L.INPUT_SIGN_POSITIVE,
        "negative": L.INPUT_SIGN_NEGATIVE,
        "dual": L.INPUT_SIGN_DUAL,
    }
    for n in net.nodes:
        rule = net.rule(n)
        sp = qual.createQualitativeSpecies()
        sp.setId(n)
        sp.setName(n)
        sp.setCompartment(compartment.getId())
        sp.setConstant(rule.is_input)
        sp.setMaxLevel(1)
        sp.setMetaId(ids.new("meta_" + n))
        if rule.comments:
            sp.setNotes(_xhtml(rule.comments))
        info = nodes.get(n)
        if info is not None:
            if info.uniprot:
                _add_cv(L, sp, L.BQB_IS, [f"http://identifiers.org/uniprot/{quote(info.uniprot)}"])
            if info.hgnc:
                _add_cv(
                    L,
                    sp,
                    L.BQB_IS_ENCODED_BY,
                    [f"http://identifiers.org/hgnc.symbol/{quote(info.hgnc)}"],
                )
        refs = [_reference_uri(r) for r in rule.references]
        if rule.is_input:
            _add_cv(L, sp, L.BQB_IS_DESCRIBED_BY, refs)
            continue
        tr = qual.createTransition()
        tr.setId(ids.new("tr_" + n))
        tr.setMetaId(ids.new("meta_" + tr.getId()))
        _add_cv(L, tr, L.BQB_IS_DESCRIBED_BY, refs)
        regulators = net.regulators(n)
        for reg in regulators:
            inp = tr.createInput()
            inp.setId(ids.new(f"{tr.getId()}_in_{reg}"))
            inp.setQualitativeSpecies(reg)
            inp.setTransitionEffect(L.INPUT_TRANSITION_EFFECT_NONE)
            inp.setSign(sign_code[graph.edges[reg, n]["sign"]])
            inp.setThresholdLevel(1)
        out = tr.createOutput()
        out.setId(ids.new(f"{tr.getId()}_out"))
        out.setQualitativeSpecies(n)
        out.setTransitionEffect(L.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL)
        default = tr.createDefaultTerm()
        if not regulators:  # a constant, written or semantic (a | !a)
            from ..expr import evaluate, symbols_of

            value = evaluate(rule.expr, {s: 0 for s in symbols_of(rule.expr)})
            default.setResultLevel(value)
            continue
        default.setResultLevel(0)
        term = tr.createFunctionTerm()
        term.setResultLevel(1)
        if term.setMath(_mathml(L, _math_tree(net, n, regulators))) != L.LIBSBML_OPERATION_SUCCESS:
            raise SbmlError(f"libsbml refused the function of {n}")
    return L.writeSBMLToString(doc)


def write_sbml(net: BooleanNetwork, path: str | os.PathLike[str], **kwargs: Any) -> None:
    """Write a network as SBML-qual, atomically; keyword arguments as :func:`format_sbml`."""
    atomic_write_text(path, format_sbml(net, **kwargs))
