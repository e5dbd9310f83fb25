"""BNET parsing: a table of malformed inputs with exact locations, round trips, and fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dormnet import BnetError, BooleanNetwork, format_bnet, parse_bnet, read_bnet, write_bnet
from dormnet.expr import ALGEBRA, FALSE, TRUE

# (text, line, column, fragment of the message)
MALFORMED = [
    ("a b\n", 1, 1, "missing ',' between target and function"),
    ("a,\n", 1, 3, "empty rule for a"),
    ("a,   \nb, b\n", 1, 6, "empty rule for a"),
    (", b\nb, b\n", 1, 1, "empty target"),
    ("a, b &\nb, b\n", 1, 6, "expression ends after '&'"),
    ("a, (b\nb, b\n", 1, 4, "'(' is never closed"),
    ("a, b)\nb, b\n", 1, 5, "')' without a matching '('"),
    ("a, b c\nb, b\nc, c\n", 1, 6, "missing operator before 'c'"),
    ("a, b ~ c\nb, b\nc, c\n", 1, 6, "unexpected character '~'; use '!' for NOT"),
    ("a, b && c\nb, b\nc, c\n", 1, 7, "expected a name, 0, 1, '!' or '(' after '&', found '&'"),
    ("a, b and c\nb, b\nc, c\n", 1, 6, "'and' is not an operator in BNET; use '&'"),
    ("a, not b\nb, b\n", 1, 4, "'not' is not an operator in BNET; use '!'"),
    (
        "a, b\na, !b\nb, b\n",
        2,
        1,
        "duplicate rule for 'a': first defined on line 1, again on line 2",
    ),
    ("a, NR2F\nNR2F1, NR2F1\n", 1, 4, "unknown regulator 'NR2F' (did you mean 'NR2F1'?)"),
    ("a, b & zz\nb, b\n", 1, 8, "unknown regulator 'zz' in rule for a"),
    ("true, a\na, a\n", 1, 1, "reserved name 'true'"),
    ("none, a\na, a\n", 1, 1, "reserved name 'none'"),
    ("a, TRUE\n", 1, 4, "reserved name 'TRUE'"),
    ("0, a\na, a\n", 1, 1, "illegal name '0': 0 and 1 are the constants"),
    (
        "β_catenin, β_catenin\n",
        1,
        1,
        "non-ASCII name 'β_catenin'; use an ASCII identifier such as 'beta_catenin'",
    ),
    ("a, ()\n", 1, 4, "empty parentheses '()'"),
    ("a, b $ c\nb, b\nc, c\n", 1, 6, "unexpected character '$'"),
    ("a, !\n", 1, 4, "expression ends after '!'"),
    (
        "a, a\ntargets, factors\n",
        2,
        1,
        "'targets, factors' header must come once, before the rules",
    ),
    ("1a, b\nb, b\n", 1, 1, "illegal name '1a': a name must not start with a digit"),
    ("a-b, a\na, a\n", 1, 1, "illegal name 'a-b': use letters, digits and '_' only"),
    ("a, b | | c\nb, b\nc, c\n", 1, 8, "after '|', found '|'"),
    ("a, b * c\nb, b\nc, c\n", 1, 6, "use '&' for AND"),
    ("a, b + c\nb, b\nc, c\n", 1, 6, "use '|' for OR"),
    ("a, b ^ c\nb, b\nc, c\n", 1, 6, "XOR is not BNET"),
    ("a, b\n\nb, (a | )\n", 3, 9, "after '|', found ')'"),
    ("a, __import__('os').system('echo pwned')\n", 1, 14, "missing operator before '('"),
    ("a, b\nb, b | a &\n", 2, 10, "expression ends after '&' in rule for b"),
]


@pytest.mark.parametrize("text,line,column,fragment", MALFORMED)
def test_malformed_bnet_reports_line_column_and_message(text, line, column, fragment):
    with pytest.raises(BnetError) as info:
        parse_bnet(text, source="model.bnet")
    first = info.value.problems[0]
    assert (first.path, first.line, first.column) == ("model.bnet", line, column), str(info.value)
    assert fragment in first.message
    assert str(first).startswith(f"model.bnet:{line}:{column}: ")


def test_all_problems_of_a_file_are_reported_at_once():
    text = "a, b &\nc d\nb, b\nb, !b\ne, zz\n"
    with pytest.raises(BnetError) as info:
        parse_bnet(text, "m.bnet")
    lines = [p.line for p in info.value.problems]
    assert lines == [1, 2, 4, 5]
    assert str(info.value).endswith("4 problems in m.bnet")


def test_eval_is_never_used_on_model_text(tmp_path):
    marker = tmp_path / "pwned"
    text = f"a, __import__('os').system('touch {marker}')\n"
    with pytest.raises(BnetError):
        parse_bnet(text)
    assert not marker.exists()


def test_comments_are_kept_as_provenance_and_references_extracted():
    net = parse_bnet(
        "# header comment, separated by a blank line: belongs to no rule\n\n"
        "# p38 drives NR2F1: PMID:25636527\n"
        "# HER2 represses it DOI:10.1158/0008-5472.CAN-21-2823.\n"
        "NR2F1, p38 & !HER2  # core rule\n"
        "p38, p38\nHER2, HER2\n"
    )
    rule = net.rule("NR2F1")
    assert rule.comments == (
        "p38 drives NR2F1: PMID:25636527",
        "HER2 represses it DOI:10.1158/0008-5472.CAN-21-2823.",
        "core rule",
    )
    assert rule.references == ["PMID:25636527", "DOI:10.1158/0008-5472.CAN-21-2823"]
    assert rule.line == 5
    assert net.rule("p38").comments == ()


def test_constants_inputs_and_header():
    net = parse_bnet("targets, factors\nk, 1\nz, 0\nx, x\ny, x & k | z\n")
    assert net.header
    assert net.inputs == ("x",)
    assert net.constants == {"k": 1, "z": 0}
    assert format_bnet(net).startswith("targets, factors\n")
    assert parse_bnet(format_bnet(net)) == net


def test_read_errors_name_the_file(tmp_path):
    missing = tmp_path / "nope.bnet"
    with pytest.raises(BnetError, match=r"nope\.bnet: cannot read file"):
        read_bnet(missing)
    binary = tmp_path / "bin.bnet"
    binary.write_bytes(b"a, b\x00\n")
    with pytest.raises(BnetError, match="binary file"):
        read_bnet(binary)
    latin = tmp_path / "latin.bnet"
    latin.write_bytes(b"a, a\n# caf\xe9\n")
    with pytest.raises(BnetError, match=r"latin\.bnet:2: not UTF-8"):
        read_bnet(latin)


def test_write_is_atomic_and_round_trips(tmp_path):
    net = parse_bnet("# why\na, !b\nb, a\n")
    out = tmp_path / "x.bnet"
    write_bnet(net, out)
    assert read_bnet(out) == net
    assert [p.name for p in tmp_path.iterdir()] == ["x.bnet"]


# -- properties ---------------------------------------------------------------------------

NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True).filter(
    lambda s: s.lower() not in {"true", "false", "none", "and", "or", "not", "xor", "nand", "nor"}
)


def expressions(names: list[str]):
    leaves = st.sampled_from([ALGEBRA.Symbol(n) for n in names] + [TRUE, FALSE])
    return st.recursive(
        leaves,
        lambda sub: st.one_of(
            sub.map(ALGEBRA.NOT),
            st.lists(sub, min_size=2, max_size=4).map(lambda a: ALGEBRA.AND(*a)),
            st.lists(sub, min_size=2, max_size=4).map(lambda a: ALGEBRA.OR(*a)),
        ),
        max_leaves=12,
    )


@st.composite
def networks(draw) -> BooleanNetwork:
    names = draw(st.lists(NAMES, min_size=1, max_size=8, unique=True))
    comment = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).map(str.strip)
    rules = {}
    from dormnet.network import Rule

    for n in names:
        expr = draw(expressions(names))
        comments = tuple(draw(st.lists(comment, max_size=2)))
        rules[n] = Rule(n, expr, comments)
    return BooleanNetwork(rules)


@given(networks())
@settings(max_examples=200, deadline=None)
def test_round_trip_parse_format(net):
    assert parse_bnet(format_bnet(net)) == net
    assert parse_bnet(format_bnet(net, align=False)) == net


@given(st.text(max_size=200))
@settings(max_examples=500, deadline=None)
def test_parser_raises_only_bnet_error_on_any_text(text):
    try:
        parse_bnet(text)
    except BnetError as e:
        assert e.problems and all(p.line is not None for p in e.problems)


BNET_ALPHABET = st.sampled_from([*list("ab_1 0,!&|()#\n\t"), "a1", "NR2F1", "true", "β", "and"])


@given(st.lists(BNET_ALPHABET, max_size=60).map("".join))
@settings(max_examples=1000, deadline=None)
def test_parser_on_bnet_like_text(text):
    try:
        net = parse_bnet(text)
    except BnetError as e:
        assert all(p.line is not None and p.column is not None for p in e.problems if p.line)
    else:
        assert parse_bnet(format_bnet(net)) == net


def test_deeply_nested_rule_parses_without_recursion_error():
    depth = 20_000
    text = "x, " + "(" * depth + "x" + ")" * depth + " & y\ny, y\n"
    net = parse_bnet(text)
    assert net.regulators("x") == ("x", "y")
