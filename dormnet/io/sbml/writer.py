"""Writing a :class:`~dormnet.BooleanNetwork` as SBML-qual.

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
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from xml.sax.saxutils import escape

import boolean

from ...errors import SbmlError
from ...expr import is_false, is_true
from ...names import ascii_suggestion, name_problem
from ...network import BooleanNetwork
from .._atomic import atomic_write_text
from ._common import load_libsbml

if TYPE_CHECKING:
    from ...records import NodeInfo

__all__ = ["MAX_MATH_DEPTH", "format_sbml", "write_sbml"]

#: rules nested deeper than this are written as their DNF (libsbml recurses over MathML)
MAX_MATH_DEPTH = 300


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
    from ...expr import symbols_of
    from ...normal_form import primes

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

    Returns
    -------
    str

    Examples
    --------
    >>> text = format_sbml(BooleanNetwork({"a": "a", "b": "a & !b"}))
    >>> "<qual:transition" in text and 'qual:constant="true"' in text
    True
    """
    from ..._version import __version__

    L = load_libsbml()
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
                (
                    f"Boolean network exported by dormnet {__version__} from {net.source}: {len(net)} nodes, "
                    f"{len(net.inputs)} inputs, {len(net.constants)} constants."
                ),
                (
                    "Inputs (x, x) are qualitative species with constant=true and no transition; constant "
                    "rules are transitions without inputs whose defaultTerm is the constant; every other "
                    "function is a functionTerm of result level 1 over eq(x, 1) with defaultTerm 0."
                ),
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
            from ...expr import evaluate, symbols_of

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
    """Write a network as SBML-qual, atomically.

    Parameters
    ----------
    net : BooleanNetwork
    path : path
    **kwargs
        As for :func:`format_sbml`.
    """
    atomic_write_text(path, format_sbml(net, **kwargs))
