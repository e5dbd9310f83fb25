"""A model bundle: the BNET file plus its cited companion data (see ``docs/formats.md``).

For ``networks/dormancy.bnet`` the companions are ``networks/dormancy.<kind>.<ext>`` or, where that
does not exist, ``networks/<kind>.<ext>``: node table, edge provenance, design decisions,
contexts, phenotypes, drugs and expectations. Each is optional; each that exists is checked
against the network, and unknown names are errors with file and line (never dropped silently).
TOML is read with the standard library (``tomllib``), so nothing in a data file is evaluated.
"""

from __future__ import annotations

import csv
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from .companions import companion_files
from .errors import ClampError, DataFileError, Problem, ScenarioError, UnknownNodeError
from .expr import ExprSyntaxError, parse_expr, symbols_of
from .io import read_network
from .network import REFERENCE_RE, BooleanNetwork, unknown_name_message
from .records import (
    BASELINES,
    EXPECT_KINDS,
    PHENOTYPE_WORDS,
    SPLITS,
    Bundle,
    Context,
    Decision,
    Drug,
    EdgeProvenance,
    Expectation,
    NodeInfo,
    Phenotype,
    check_node,
)
from .scenario import Scenario

__all__ = ["Bundle", "bundled_model_path", "load_bundle", "phenotypes_from_rules"]

#: update schemes an expectation can name
EXPECT_UPDATES = ("async", "sync", "mp")
#: how far a drug has come, strongest first (optional ``evidence`` key of a drug)
DRUG_EVIDENCE = ("approved", "clinical", "preclinical", "tool")
#: what an expectation computes
EXPECT_QUERIES = ("attractors", "fixed-points", "trap-spaces")


def phenotypes_from_rules(net: BooleanNetwork, rules: list[str]) -> dict[str, Phenotype]:
    """Phenotypes given on the command line as ``NAME=EXPR`` (any name; no citation needed,
    unlike the curated phenotype files).

    Parameters
    ----------
    net : BooleanNetwork
    rules : list of str
        Each ``NAME=EXPR`` with a BNET expression over the network's nodes.

    Returns
    -------
    dict
        Name -> :class:`Phenotype`, in the order given.

    Raises
    ------
    UnknownNodeError, DataFileError
        A node the network does not have; a rule that does not parse.

    Examples
    --------
    >>> from dormnet import BooleanNetwork
    >>> net = BooleanNetwork({"a": "a", "b": "a"})
    >>> list(phenotypes_from_rules(net, ["high=a & b", "low=!a"]))
    ['high', 'low']
    """
    out: dict[str, Phenotype] = {}
    for text in rules:
        name, sep, rule = (x.strip() for x in text.partition("="))
        if not sep or not name or not rule:
            raise DataFileError(f"phenotype {text!r}: write NAME=EXPR", "--phenotype")
        try:
            expr = parse_expr(rule)
        except ExprSyntaxError as e:
            raise DataFileError(
                f"phenotype {name}: {e.message} (offset {e.offset + 1})", "--phenotype"
            ) from None
        for s in symbols_of(expr):
            check_node(net, s)
        out[name] = Phenotype(name, rule, expr, "given on the command line")
    return out


def bundled_model_path() -> Path:
    """Path of the bundled dormancy model (``networks/dormancy.bnet``).

    Returns
    -------
    Path
        In the checkout, or in the installed package data.
    """
    here = Path(__file__).resolve().parent
    for candidate in (
        here.parent / "networks" / "dormancy.bnet",
        here / "networks" / "dormancy.bnet",
    ):
        if candidate.exists():
            return candidate
    from importlib import resources

    return Path(str(resources.files("dormnet.networks").joinpath("dormancy.bnet")))


def _line_of(text: str, *needles: str) -> int | None:
    """Line of the first needle found (searching each after the previous one), for messages."""
    pos = 0
    for needle in needles:
        m = re.search(re.escape(needle), text[pos:])
        if m is None:
            break
        pos += m.start()
    else:
        return text.count("\n", 0, pos) + 1
    return text.count("\n", 0, pos) + 1 if pos else None


def _load_toml(path: Path) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DataFileError(f"cannot read file: {e}", str(path)) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as e:
        line = getattr(e, "lineno", None)
        col = getattr(e, "colno", None)
        msg = str(e).split(" (at line")[0]
        raise DataFileError([Problem(f"TOML syntax error: {msg}", str(path), line, col)]) from None


def _refs(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = re.split(r"[;,]\s*", value)
    return tuple(v.strip() for v in value or () if v and v.strip())


class _Checker:
    """Collects problems of one data file, with lines found by searching its text."""

    def __init__(self, path: Path, text: str, net: BooleanNetwork):
        self.path, self.text, self.net = path, text, net
        self.problems: list[Problem] = []

    def error(self, message: str, *needles: str) -> None:
        self.problems.append(Problem(message, str(self.path), _line_of(self.text, *needles)))

    def node(self, name: str, *where: str) -> bool:
        if name in self.net:
            return True
        self.error(unknown_name_message(name, self.net.nodes, "node"), *where, name)
        return False

    def values(self, mapping: Any, *where: str) -> dict[str, int]:
        out: dict[str, int] = {}
        if not isinstance(mapping, dict):
            self.error("expected a table of node = 0|1", *where)
            return out
        for k, v in mapping.items():
            if not self.node(k, *where):
                continue
            if v not in (0, 1) or isinstance(v, bool) and False:
                self.error(f"value of {k} must be 0 or 1, not {v!r}", *where, k)
                continue
            out[k] = int(v)
        return out

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataFileError(self.problems, str(self.path))


def _load_contexts(b: Bundle, path: Path) -> None:
    data, text = _load_toml(path)
    c = _Checker(path, text, b.network)
    defaults = c.values(data.get("defaults", {}).get("inputs", {}), "[defaults]")
    missing = [n for n in b.network.inputs if n not in defaults]
    if "defaults" in data and missing:
        c.error(f"[defaults] gives no value for the inputs {', '.join(missing)}", "[defaults]")
    b.defaults = defaults
    for name, ctx in (data.get("contexts") or {}).items():
        header = f"[contexts.{name}]"
        named = c.values(ctx.get("inputs", {}), header)
        refs = _refs(ctx.get("references"))
        if not refs:
            c.error(f"context {name} cites no reference", header)
        full = {n: defaults.get(n, 0) for n in b.network.inputs}
        full.update(named)
        b.contexts[name] = Context(name, str(ctx.get("description", "")), full, named, refs)
    c.raise_if_any()


def _load_phenotypes(b: Bundle, path: Path) -> None:
    data, text = _load_toml(path)
    c = _Checker(path, text, b.network)
    for name, ph in (data.get("phenotypes") or {}).items():
        header = f"[phenotypes.{name}]"
        if name not in PHENOTYPE_WORDS:
            c.error(f"unknown phenotype word {name!r}; use {', '.join(PHENOTYPE_WORDS)}", header)
            continue
        rule = ph.get("rule")
        if not isinstance(rule, str):
            c.error(f"phenotype {name} has no rule", header)
            continue
        try:
            expr = parse_expr(rule)
        except ExprSyntaxError as e:
            c.error(
                f"rule of phenotype {name}: {e.message} (offset {e.offset + 1})", header, "rule"
            )
            continue
        # a list, not a generator: every unknown name is reported, not only the first
        if not all([c.node(s, header) for s in symbols_of(expr)]):  # noqa: C419
            continue
        refs = _refs(ph.get("references"))
        if not refs:
            c.error(f"phenotype {name} cites no reference", header)
        b.phenotypes[name] = Phenotype(name, rule, expr, str(ph.get("description", "")), refs)
    c.raise_if_any()


def _load_drugs(b: Bundle, path: Path) -> None:
    data, text = _load_toml(path)
    c = _Checker(path, text, b.network)
    for name, d in (data.get("drugs") or {}).items():
        header = f"[drugs.{name}]"
        clamps = c.values(d.get("clamps", {}), header)
        if not clamps:
            c.error(f"drug {name} clamps no node", header)
        refs = _refs(d.get("references"))
        if not refs:
            c.error(f"drug {name} cites no reference", header)
        evidence = str(d.get("evidence", ""))
        if evidence and evidence not in DRUG_EVIDENCE:
            c.error(f"evidence must be one of {', '.join(DRUG_EVIDENCE)}, not {evidence!r}", header)
        b.drugs[name] = Drug(
            name,
            tuple(d.get("aliases", ())),
            str(d.get("description", "")),
            clamps,
            refs,
            evidence,
        )
    c.raise_if_any()


def _load_expectations(b: Bundle, path: Path) -> None:
    data, text = _load_toml(path)
    c = _Checker(path, text, b.network)
    seen: set[str] = set()
    for e in data.get("expectation", []):
        eid = str(e.get("id", "?"))
        where = f'id = "{eid}"'
        if eid in seen:
            c.error(f"duplicate expectation id {eid}", where)
        seen.add(eid)
        expectation = _expectation(b, c, e, eid, where)
        if expectation is not None:
            b.expectations.append(expectation)
    failures = data.get("expected_failures", [])
    if not isinstance(failures, list) or not all(isinstance(x, str) for x in failures):
        c.error("expected_failures must be a list of expectation ids", "expected_failures")
    else:
        for x in failures:
            if x not in seen:
                c.error(f"expected_failures names {x!r}, which is no expectation id", x)
        b.expected_failures = tuple(failures)
    c.raise_if_any()


def _choice(c: _Checker, e: dict[str, Any], key: str, default: Any, allowed: tuple, where: str):
    value = e.get(key, default)
    if value not in allowed:
        c.error(f"{key} must be one of {', '.join(map(str, allowed))}, not {value!r}", where, key)
    return value


def _scenario_of(
    b: Bundle, c: _Checker, text: Any, where: str, key: str = "steps"
) -> Scenario | None:
    """A scenario string of an expectation, parsed and resolved against the model."""
    if not isinstance(text, str):
        c.error(f"{key} takes scenario strings, not {text!r}", where, key)
        return None
    try:
        scenario = Scenario.parse(text)
        b.clamps(scenario)
    except (ScenarioError, UnknownNodeError, ClampError) as err:
        c.error(str(err), where, key)
        return None
    return scenario


def _expectation(
    b: Bundle, c: _Checker, e: dict[str, Any], eid: str, where: str
) -> Expectation | None:
    if "set" in e:
        c.error("the key 'set' is now 'clamps' (node = 0|1)", where, "set")
    ctx = e.get("context")
    if ctx is not None and ctx not in b.contexts:
        c.error(unknown_name_message(ctx, b.contexts, "context"), where, "context")
    knock = tuple(e.get("knockout", ()))
    over = tuple(e.get("overexpress", ()))
    for n in knock + over:
        c.node(n, where)
    drugs = tuple(e.get("drugs", ()))
    for d in drugs:
        try:
            b.drug(d)
        except UnknownNodeError as err:
            c.error(str(err), where, d)
    clamps = c.values(e.get("clamps", {}), where)
    background = Scenario()
    if "background" in e:
        parsed = _scenario_of(b, c, e["background"], where, "background")
        if parsed is not None and parsed.context is not None:
            c.error("background names perturbations only; the context goes in context", where)
        background = parsed or background
    steps: list[Scenario] = []
    if "steps" in e:
        raw = e["steps"]
        if not isinstance(raw, list) or len(raw) < 2:
            c.error("steps must list two or more scenario strings", where, "steps")
            raw = []
        if ctx is not None or knock or over or drugs or clamps or "background" in e:
            c.error("an expectation with steps names its scenarios there only", where, "steps")
        steps = [s for s in (_scenario_of(b, c, t, where) for t in raw) if s is not None]
    start = e.get("start")
    if start is not None and "steps" not in e:
        c.error("start goes with steps only", where, "start")
    update = _choice(c, e, "update", "async", EXPECT_UPDATES, where)
    query = _choice(c, e, "query", "attractors", EXPECT_QUERIES, where)
    expect = _choice(c, e, "expect", "all", EXPECT_KINDS, where)
    split = _choice(c, e, "split", None, SPLITS, where)
    baseline = _choice(c, e, "baseline", "differs", BASELINES, where)
    conf = _choice(c, e, "confidence", None, ("H", "M", "L"), where)
    known = set(b.phenotypes) | {"undetermined"}
    for key in ("phenotype", "start"):
        word = e.get(key, "" if key == "phenotype" else None)
        if word is not None and word not in known:
            c.error(unknown_name_message(str(word), sorted(known), "phenotype"), where, key)
    markers = c.values(e.get("markers", {}), where)
    if markers and expect == "none":
        c.error('markers cannot go with expect = "none"', where)
    refs = _refs(e.get("references"))
    if not refs:
        c.error(f"expectation {eid} cites no reference", where)
    system = str(e.get("system", "")).strip()
    if not system:
        c.error(f"expectation {eid} names no experimental system (system = ...)", where)
    if len(steps) != len(e.get("steps", ())) or c.problems:
        return None
    return Expectation(
        eid,
        str(e.get("claim", "")),
        Scenario(ctx, tuple(clamps.items()), knock, over, drugs).plus(background),
        update,
        expect,
        str(e.get("phenotype", "")),
        markers,
        refs,
        conf,
        str(e.get("note", "")),
        split,
        system,
        baseline,
        tuple(steps),
        start,
        query,
        background,
    )


def _read_tsv(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise DataFileError(f"cannot read file: {e}", str(path)) from None
    return [(i + 2, {k: (v or "").strip() for k, v in r.items() if k}) for i, r in enumerate(rows)]


def _load_nodes(b: Bundle, path: Path) -> None:
    problems = []
    for line, r in _read_tsv(path):
        name = r.get("node", "")
        if name not in b.network:
            problems.append(
                Problem(unknown_name_message(name, b.network.nodes, "node"), str(path), line)
            )
            continue
        b.nodes[name] = NodeInfo(
            name,
            r.get("module", ""),
            r.get("kind", ""),
            r.get("description", ""),
            r.get("hgnc", ""),
            r.get("uniprot", ""),
        )
    if problems:
        raise DataFileError(problems, str(path))


def _load_provenance(b: Bundle, path: Path) -> None:
    problems = []
    for line, r in _read_tsv(path):
        t, reg = r.get("target", ""), r.get("regulator", "")
        for name in (t, reg):
            if name != "-" and name not in b.network:
                problems.append(
                    Problem(unknown_name_message(name, b.network.nodes, "node"), str(path), line)
                )
        refs = tuple(m.replace(" ", "") for m in REFERENCE_RE.findall(r.get("reference", "")))
        if not refs:
            problems.append(Problem(f"edge {reg} -> {t} cites no PMID or DOI", str(path), line))
        b.provenance.append(
            EdgeProvenance(
                t,
                reg,
                r.get("sign", ""),
                refs,
                r.get("evidence", ""),
                r.get("confidence", ""),
                r.get("note", ""),
                line,
            )
        )
    if problems:
        raise DataFileError(problems, str(path))


def _load_decisions(b: Bundle, path: Path) -> None:
    data, text = _load_toml(path)
    c = _Checker(path, text, b.network)
    for d in data.get("decision", []):
        did = str(d.get("id", "?"))
        nodes = tuple(d.get("nodes", ()))
        for n in nodes:
            c.node(n, f'id = "{did}"')
        b.decisions.append(
            Decision(
                did,
                str(d.get("title", "")),
                str(d.get("choice", "")),
                str(d.get("reason", "")),
                _refs(d.get("references")),
                nodes,
            )
        )
    c.raise_if_any()


#: the reader of each kind of companion file (:data:`dormnet.companions.COMPANIONS`)
_LOADERS = {
    "nodes": _load_nodes,
    "provenance": _load_provenance,
    "decisions": _load_decisions,
    "contexts": _load_contexts,
    "phenotypes": _load_phenotypes,
    "drugs": _load_drugs,
    "expectations": _load_expectations,
}


def load_bundle(path: str | os.PathLike[str] | None = None) -> Bundle:
    """Read a model and every companion file beside it.

    Parameters
    ----------
    path : path, optional
        The model file; the bundled dormancy model when omitted.

    Returns
    -------
    Bundle
        The network, and each companion found (:mod:`dormnet.companions`) read and checked.

    Raises
    ------
    ModelError
        The model does not parse, or a companion file has errors (all of one file at once).

    Examples
    --------
    >>> b = load_bundle()
    >>> "NR2F1" in b.network, "bone_marrow" in b.contexts
    (True, True)
    """
    p = Path(path) if path is not None else bundled_model_path()
    b = Bundle(read_network(p), p)
    for kind, f in companion_files(p).items():
        b.files[kind] = f
        _LOADERS[kind](b, f)
    return b
