"""The other export formats (BoolNet, MaBoSS, GraphML, SIF, pyboolnet primes JSON, BNET), the
BoolNet reader, and the ``dormnet export`` command."""

from __future__ import annotations

import json
import re
from itertools import product
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings

from dormnet import BnetError, BooleanNetwork, DormnetError, ModelError, read_bnet
from dormnet.cli import main
from dormnet.expr import evaluate, parse_expr
from dormnet.graph import format_graph
from dormnet.io.boolnet import (
    BOOLNET_KEYWORDS,
    format_boolnet,
    parse_boolnet,
    read_boolnet,
    write_boolnet,
)
from dormnet.io.export import EXPORT_FORMATS, format_export, write_export
from dormnet.io.maboss import format_maboss, maboss_paths, write_maboss
from dormnet.normal_form import network_primes

from .conftest import ROOT, corpus_params
from .peers import BUDGET, pyboolnet_primes, run_peer
from .test_bnet import networks
from .test_sbml import semantic_diff

BUNDLED = ROOT / "networks" / "dormancy.bnet"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# -- BoolNet ----------------------------------------------------------------------------------


@given(networks())
@settings(max_examples=200, deadline=None)
def test_round_trip_bnet_boolnet_bnet_is_exact(net):
    assume(not any(n.lower() in BOOLNET_KEYWORDS for n in net.nodes))
    back = parse_boolnet(format_boolnet(net))
    assert semantic_diff(net, back) == []
    assert [back.rule(n) for n in back.nodes] == [net.rule(n) for n in net.nodes]


@pytest.mark.parametrize("path", corpus_params(400))
def test_corpus_round_trips_through_boolnet(path: Path, tmp_path):
    net = read_bnet(path)
    out = tmp_path / "m.boolnet"
    write_boolnet(net, out)
    back = read_boolnet(out)
    assert back.nodes == net.nodes
    assert [back.rule(n) for n in net.nodes] == [net.rule(n) for n in net.nodes]


def truth_table(net: BooleanNetwork, node: str, names: list[str]) -> list[int]:
    return [
        evaluate(net.rule(node).expr, dict(zip(names, bits)))
        for bits in product((0, 1), repeat=len(names))
    ]


BOOLNET_CASES = [
    # (function, regulators, expected truth table as a Python predicate)
    ("all(a, b, c)", "abc", lambda a, b, c: a and b and c),
    ("any(a, !b)", "ab", lambda a, b: a or not b),
    ("maj(a, b, c)", "abc", lambda a, b, c: a + b + c >= 2),
    ("sumgt(a, b, c, 1)", "abc", lambda a, b, c: a + b + c > 1),
    ("sumlt(a, b, c, 2)", "abc", lambda a, b, c: a + b + c < 2),
    ("sumis(a, b, c, 1)", "abc", lambda a, b, c: a + b + c == 1),
    ("a & !b | c", "abc", lambda a, b, c: (a and not b) or c),
    ("a[-1] & true | false", "a", lambda a: a),
    ("!(a | b) & any(c, all(a, b))", "abc", lambda a, b, c: not (a or b) and c),
]


@pytest.mark.parametrize("function,regs,predicate", BOOLNET_CASES)
def test_boolnet_operators_mean_what_boolnet_documents(function, regs, predicate):
    names = list(regs)
    text = "targets, functions\n" + f"x, {function}\n" + "".join(f"{r}, {r}\n" for r in names)
    net = parse_boolnet(text)
    expected = [int(bool(predicate(*bits))) for bits in product((0, 1), repeat=len(names))]
    assert truth_table(net, "x", names) == expected


def test_boolnet_names_bnet_forbids_are_renamed_with_a_note():
    net = parse_boolnet("targets, factors\n# 14-3-3 binds\n14_3_3, !none\nnone, none\n")
    assert net.nodes == ("n14_3_3", "none_node")
    assert net.rule("n14_3_3").function == "!none_node"
    assert net.rule("n14_3_3").comments == (
        "14-3-3 binds",
        "BoolNet name '14_3_3' renamed to 'n14_3_3'",
    )


def test_boolnet_header_may_be_missing_and_probability_one_is_deterministic():
    assert parse_boolnet("a, !b\nb, a\n").nodes == ("a", "b")
    net = parse_boolnet("targets, factors, probabilities\na, !b, 1\nb, a\n")
    assert net.rule("a").function == "!b"


BAD_BOOLNET = [
    (
        "targets, factors, probabilities\na, b, 0.5\na, !b, 0.5\nb, b\n",
        2,
        "probabilistic Boolean network",
    ),
    ("targets, factors\na, b\na, !b\nb, b\n", 3, "duplicate rule for 'a'"),
    ("targets, factors\na, a[-2]\n", 2, "temporal BoolNet networks"),
    ("targets, factors\na, timeis(3)\n", 2, "temporal BoolNet networks ('timeis')"),
    ("targets, factors\na, zz\n", 2, "unknown gene 'zz'"),
    ("targets, factors\na, b &\nb, b\n", 2, "expression ends after '&'"),
    ("targets, factors\na, b $ c\nb, b\nc, c\n", 2, "unexpected character '$'"),
    ("targets, factors\na b\n", 2, "missing ','"),
    ("targets, factors\na, maj(b\nb, b\n", 2, "never closed"),
    ("targets, factors\na, 2\n", 2, "'2' is not a Boolean constant"),
]


@pytest.mark.parametrize("text,line,fragment", BAD_BOOLNET)
def test_bad_boolnet_files_give_line_and_message(text, line, fragment):
    with pytest.raises(BnetError) as info:
        parse_boolnet(text, "m.txt")
    assert info.value.line == line and fragment in str(info.value)
    assert str(info.value).startswith(f"m.txt:{line}")


def test_boolnet_export_refuses_operator_names():
    with pytest.raises(ModelError, match="'any' cannot be written to BoolNet"):
        format_boolnet(BooleanNetwork({"any": "any"}))


# -- MaBoSS -----------------------------------------------------------------------------------


def maboss_logic(bnd: str) -> dict[str, str]:
    return dict(re.findall(r"Node (\w+) \{[^}]*?logic = \((.*?)\);", bnd, re.DOTALL))


def test_maboss_bnd_and_cfg_describe_every_node():
    net = read_bnet(BUNDLED)
    bnd, cfg = format_maboss(net)
    logic = maboss_logic(bnd)
    assert list(logic) == list(net.nodes)
    back = BooleanNetwork({n: parse_expr(f) for n, f in logic.items()})
    assert semantic_diff(net, back) == []
    for n in net.nodes:
        assert f"$u_{n} = 1;" in cfg and f"$d_{n} = 1;" in cfg
        # MaBoSS requires the brackets for a distribution (it rejects "X.istate = 0.5 [0], ...")
        assert f"[{n}].istate = 0.5 [0], 0.5 [1];" in cfg
        assert f"rate_up = @logic ? $u_{n} : 0;" in bnd
    assert "max_time" in cfg and "sample_count" in cfg
    # and dormnet's MaBoSS reader reads it back: same rules, unit rates, initial states 1/2
    from dormnet.io.maboss import parse_maboss

    net2, setup = parse_maboss(bnd, cfg)
    assert semantic_diff(net, net2) == []
    assert setup.rates == {n: (1.0, 1.0) for n in net.nodes}
    assert setup.initial == {n: 0.5 for n in net.nodes}


def test_maboss_writes_cfg_beside_bnd_or_neither(tmp_path):
    net = BooleanNetwork({"a": "!b", "b": "a"})
    assert write_maboss(net, tmp_path / "model.bnd") == (
        tmp_path / "model.bnd",
        tmp_path / "model.cfg",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.bnd", "model.cfg"]
    assert maboss_paths(tmp_path / "toggle") == (tmp_path / "toggle.bnd", tmp_path / "toggle.cfg")
    with pytest.raises(ModelError, match="give the .bnd path"):
        maboss_paths(tmp_path / "x.cfg")
    with pytest.raises(ModelError, match="MaBoSS, which reserves"):
        write_maboss(BooleanNetwork({"Node": "Node"}), tmp_path / "bad.bnd")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.bnd", "model.cfg"]


# -- primes, graphs, BNET ----------------------------------------------------------------------


def test_primes_json_is_pyboolnets_layout():
    net = read_bnet(BUNDLED)
    data = json.loads(format_export(net, "primes-json"))
    assert list(data) == list(net.nodes)
    assert data == json.loads(json.dumps(network_primes(net)))
    assert all(isinstance(v, list) and len(v) == 2 for v in data.values())


def _as_sets(primes: dict) -> dict:
    return {
        n: [frozenset(frozenset(c.items()) for c in side) for side in sides]
        for n, sides in primes.items()
    }


@pytest.mark.peer
# pyboolnet needs ~30 s for the primes of pbn_n12c5 already: larger models run with --runslow
@pytest.mark.parametrize("path", corpus_params(11, slow_cap=40))
def test_primes_json_equals_pyboolnets_primes(path: Path):
    net = read_bnet(path)
    ours = json.loads(format_export(net, "primes-json"))
    theirs = run_peer(pyboolnet_primes, str(path), timeout=BUDGET["pyboolnet"], name="pyboolnet")
    # pyboolnet drops nothing and renames nothing on these models; compare as sets of cubes
    assert _as_sets(ours) == _as_sets(theirs)


@pytest.mark.parametrize("fmt", ["graphml", "sif"])
def test_graph_exports_reuse_format_graph(fmt):
    net = read_bnet(BUNDLED)
    assert format_export(net, fmt) == format_graph(net, fmt)


def test_format_export_covers_every_format_but_maboss():
    net = BooleanNetwork({"a": "!b", "b": "a"})
    for fmt in EXPORT_FORMATS:
        if fmt == "maboss":
            with pytest.raises(DormnetError, match="two files"):
                format_export(net, fmt)
        else:
            assert format_export(net, fmt).strip()  # type: ignore[arg-type]


# -- the export command -----------------------------------------------------------------------

SUFFIX = {
    "sbml-qual": "sbml",
    "boolnet": "txt",
    "maboss": "bnd",
    "graphml": "graphml",
    "sif": "sif",
    "primes-json": "json",
    "bnet": "bnet",
}


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_cli_export_writes_each_format(tmp_path, fmt):
    out = tmp_path / f"dormancy.{SUFFIX[fmt]}"
    r = run("export", str(BUNDLED), "--to", fmt, "-o", str(out))
    assert r.exit_code == 0, r.output
    assert out.exists() and out.stat().st_size > 0
    net = read_bnet(BUNDLED)
    if fmt == "sbml-qual":
        from dormnet.io.sbml import read_sbml

        assert read_sbml(out) == net  # with the provenance comments
        assert "identifiers.org/hgnc.symbol/" in out.read_text()
    elif fmt == "bnet":
        assert read_bnet(out) == net
    elif fmt == "boolnet":
        back = read_boolnet(out)
        assert [back.rule(n) for n in net.nodes] == [net.rule(n) for n in net.nodes]
    elif fmt == "maboss":
        assert (tmp_path / "dormancy.cfg").exists()


def test_cli_export_to_stdout_and_errors(tmp_path):
    r = run("export", str(BUNDLED), "--to", "bnet")
    assert r.exit_code == 0 and r.output.startswith("targets, factors\n# ")
    r = run("export", str(BUNDLED), "--to", "maboss")
    assert r.exit_code == 2 and "error: MaBoSS export writes two files" in r.output
    r = run("export", str(BUNDLED), "--to", "nope")
    assert r.exit_code == 2
    bad = tmp_path / "bad.bnet"
    bad.write_text("a, b &\nb, b\n")
    r = run("export", str(bad), "--to", "sbml-qual", "-o", str(tmp_path / "x.sbml"))
    assert r.exit_code == 2 and f"error: {bad}:1:6:" in r.output
    assert not (tmp_path / "x.sbml").exists()


def test_sbml_to_bnet_through_the_cli(tmp_path):
    sbml = tmp_path / "m.sbml"
    assert run("export", str(BUNDLED), "--to", "sbml-qual", "-o", str(sbml)).exit_code == 0
    bnet = tmp_path / "m.bnet"
    assert run("export", str(sbml), "--to", "bnet", "-o", str(bnet)).exit_code == 0
    assert read_bnet(bnet) == read_bnet(BUNDLED)  # rules, order and comments


def test_write_export_reports_unwritable_paths(tmp_path):
    with pytest.raises(DormnetError, match="cannot write"):
        write_export(BooleanNetwork({"a": "a"}), "bnet", tmp_path / "missing" / "x.bnet")
