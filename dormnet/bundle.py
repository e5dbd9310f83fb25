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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import boolean

from .errors import DataFileError, Problem, UnknownNodeError
from .expr import ExprSyntaxError, parse_expr, symbols_of
from .io import read_network
from .network import REFERENCE_RE, BooleanNetwork, unknown_name_message

__all__ = [
    "PHENOTYPE_WORDS",
    "Bundle",
    "Context",
    "Decision",
    "Drug",
    "EdgeProvenance",
    "Expectation",
    "NodeInfo",
    "Phenotype",
    "bundled_model_path",
    "load_bundle",
]

PHENOTYPE_WORDS = ("dormant", "proliferative", "apoptotic", "emt")
EXPECT_KINDS = ("all", "some", "none")
EXPECT_UPDATES = ("async", "sync", "mp", "fixed-points", "trap-spaces")


@dataclass(frozen=True)
class Context:
    """A named microenvironment: a value for every input (defaults filled in)."""

    name: str
    description: str
    inputs: dict[str, int]
    named: dict[str, int]
    references: tuple[str, ...]


@dataclass(frozen=True)
class Phenotype:
    """A phenotype word with its marker rule (a Boolean expression over nodes)."""

    name: str
    rule: str
    expr: boolean.Expression = field(compare=False, repr=False)
    description: str = ""
    references: tuple[str, ...] = ()

    @property
    def markers(self) -> list[str]:
        """The nodes the rule reads."""
        return symbols_of(self.expr)


@dataclass(frozen=True)
class Drug:
    """A drug or tool compound as clamps on nodes."""

    name: str
    aliases: tuple[str, ...]
    description: str
    clamps: dict[str, int]
    references: tuple[str, ...]


@dataclass(frozen=True)
class Expectation:
    """One literature expectation (a row of BRIEF §1, or a sub-check of one)."""

    id: str
    claim: str
    context: str | None
    knockout: tuple[str, ...]
    overexpress: tuple[str, ...]
    drugs: tuple[str, ...]
    set: dict[str, int]
    update: str
    expect: Literal["all", "some", "none"]
    phenotype: str
    markers: dict[str, int]
    references: tuple[str, ...]
    confidence: str
    note: str = ""


@dataclass(frozen=True)
class NodeInfo:
    """A row of the node table."""

    node: str
    module: str
    kind: str
    description: str
    hgnc: str = ""
    uniprot: str = ""


@dataclass(frozen=True)
class EdgeProvenance:
    """A row of the edge provenance table (regulator ``-`` for an input's own row)."""

    target: str
    regulator: str
    sign: str
    references: tuple[str, ...]
    evidence: str
    confidence: str
    note: str
    line: int


@dataclass(frozen=True)
class Decision:
    """A recorded modelling decision."""

    id: str
    title: str
    choice: str
    reason: str
    references: tuple[str, ...]
    nodes: tuple[str, ...]


@dataclass
class Bundle:
    """A network with its companion data; every part but the network may be empty."""

    network: BooleanNetwork
    path: Path | None = None
    nodes: dict[str, NodeInfo] = field(default_factory=dict)
    provenance: list[EdgeProvenance] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    defaults: dict[str, int] = field(default_factory=dict)
    contexts: dict[str, Context] = field(default_factory=dict)
    phenotypes: dict[str, Phenotype] = field(default_factory=dict)
    drugs: dict[str, Drug] = field(default_factory=dict)
    expectations: list[Expectation] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)

    def context(self, name: str) -> Context:
        """A context by name; :class:`UnknownNodeError` with a suggestion if there is none."""
        if name in self.contexts:
            return self.contexts[name]
        if not self.contexts:
            raise UnknownNodeError(f"this model has no contexts file, so no context {name!r}")
        raise UnknownNodeError(unknown_name_message(name, self.contexts, "context"))

    def drug(self, name: str) -> Drug:
        """A drug by name or alias, case-insensitively."""
        key = name.casefold()
        for d in self.drugs.values():
            if key == d.name.casefold() or key in (a.casefold() for a in d.aliases):
                return d
        known = [d.name for d in self.drugs.values()] + [
            a for d in self.drugs.values() for a in d.aliases
        ]
        if not self.drugs:
            raise UnknownNodeError(f"this model has no drugs file, so no drug {name!r}")
        raise UnknownNodeError(unknown_name_message(name, known, "drug"))

    def edges_of(self, node: str) -> list[EdgeProvenance]:
        """Provenance rows whose target is ``node``."""
        return [e for e in self.provenance if e.target == node]

    def decisions_of(self, node: str) -> list[Decision]:
        """Decisions that name ``node``."""
        return [d for d in self.decisions if node in d.nodes]


def bundled_model_path() -> Path:
    """Path of the bundled dormancy model (``networks/dormancy.bnet``)."""
    here = Path(__file__).resolve().parent
    for candidate in (
        here.parent / "networks" / "dormancy.bnet",
        here / "networks" / "dormancy.bnet",
    ):
        if candidate.exists():
            return candidate
    from importlib import resources

    return Path(str(resources.files("dormnet.networks").joinpath("dormancy.bnet")))


def _companion(path: Path, kind: str, ext: str) -> Path | None:
    for p in (path.with_name(f"{path.stem}.{kind}.{ext}"), path.with_name(f"{kind}.{ext}")):
        if p.exists():
            return p
    return None


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
        out = {}
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
        if not all([c.node(s, header) for s in symbols_of(expr)]):
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
        b.drugs[name] = Drug(
            name, tuple(d.get("aliases", ())), str(d.get("description", "")), clamps, refs
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
        ctx = e.get("context")
        if ctx is not None and b.contexts and ctx not in b.contexts:
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
        sets = c.values(e.get("set", {}), where)
        update = e.get("update", "async")
        if update not in EXPECT_UPDATES:
            c.error(f"update must be one of {', '.join(EXPECT_UPDATES)}, not {update!r}", where)
        expect = e.get("expect", "all")
        if expect not in EXPECT_KINDS:
            c.error(f"expect must be one of {', '.join(EXPECT_KINDS)}, not {expect!r}", where)
        phenotype = e.get("phenotype", "")
        if phenotype not in PHENOTYPE_WORDS and phenotype != "undetermined":
            c.error(f"unknown phenotype {phenotype!r}", where)
        markers = c.values(e.get("markers", {}), where)
        if markers and expect == "none":
            c.error('markers cannot go with expect = "none"', where)
        refs = _refs(e.get("references"))
        if not refs:
            c.error(f"expectation {eid} cites no reference", where)
        conf = str(e.get("confidence", ""))
        if conf not in ("H", "M", "L"):
            c.error(f"confidence must be H, M or L, not {conf!r}", where)
        b.expectations.append(
            Expectation(
                eid,
                str(e.get("claim", "")),
                ctx,
                knock,
                over,
                drugs,
                sets,
                update,
                expect,
                phenotype,
                markers,
                refs,
                conf,
                str(e.get("note", "")),
            )
        )
    c.raise_if_any()


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


_LOADERS = [
    ("nodes", "tsv", _load_nodes),
    ("provenance", "tsv", _load_provenance),
    ("decisions", "toml", _load_decisions),
    ("contexts", "toml", _load_contexts),
    ("phenotypes", "toml", _load_phenotypes),
    ("drugs", "toml", _load_drugs),
    ("expectations", "toml", _load_expectations),
]


def load_bundle(path: str | os.PathLike[str] | None = None) -> Bundle:
    """Read a model and every companion file beside it.

    Parameters
    ----------
    path : path, optional
        The model file; the bundled dormancy model when omitted.

    Raises
    ------
    ModelError
        The model does not parse, or a companion file has errors (all of one file at once).
    """
    p = Path(path) if path is not None else bundled_model_path()
    b = Bundle(read_network(p), p)
    for kind, ext, loader in _LOADERS:
        f = _companion(p, kind, ext)
        if f is not None:
            b.files[kind] = f
            loader(b, f)
    return b
