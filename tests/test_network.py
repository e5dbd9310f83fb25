"""BooleanNetwork: validation, semantic signs, regulators, equality."""

from __future__ import annotations

import pytest

from dormnet import BnetError, BooleanNetwork, UnknownNodeError, lint, parse_bnet


def test_signs_are_semantic_not_syntactic():
    net = BooleanNetwork(
        {
            "a": "a",
            "b": "b",
            "c": "c",
            "pos": "a | !a & b",  # b positive although written next to !a; a positive
            "neg": "!(a | b)",
            "dual": "a & !b | !a & b",  # xor: dual in both
            "ghost": "a & !a | c",  # mentions a, depends only on c
        }
    )
    g = net.interaction_graph()
    assert g.edges["a", "pos"]["sign"] == "positive"
    assert g.edges["b", "pos"]["sign"] == "positive"
    assert g.edges["a", "neg"]["sign"] == "negative"
    assert g.edges["a", "dual"]["sign"] == "dual" and g.edges["b", "dual"]["sign"] == "dual"
    assert not g.has_edge("a", "ghost")
    assert net.regulators("ghost") == ("c",)
    assert [p.message for p in lint(net)] == [
        "rule for ghost mentions 'a' but does not depend on it"
    ]


def test_dict_construction_validates_everything():
    with pytest.raises(BnetError) as info:
        BooleanNetwork({"a": "b & ", "true": "a", "c": "d"})
    msgs = [p.message for p in info.value.problems]
    assert any("expression ends after '&'" in m for m in msgs)
    assert any("reserved name 'true'" in m for m in msgs)
    assert any("unknown regulator 'd'" in m for m in msgs)


def test_unknown_node_has_suggestion():
    net = BooleanNetwork({"NR2F1": "NR2F1"})
    with pytest.raises(UnknownNodeError, match="did you mean 'NR2F1'"):
        net.rule("NR2F")


def test_equality_is_structural_and_includes_order():
    a = parse_bnet("x, y\ny, x\n")
    b = parse_bnet("x, y\ny, x\n")
    c = parse_bnet("y, x\nx, y\n")
    assert a == b and a != c
    assert a != parse_bnet("x, y & 1\ny, x\n")


def _bdd_primes(net, node):
    manager, f = net._bdd(node)
    return manager.primes(manager.neg(f)), manager.primes(f)


def _as_sets(primes_pair):
    return tuple(sorted(tuple(sorted(c.items())) for c in side) for side in primes_pair)


@pytest.mark.parametrize(
    "rule",
    [
        "1",
        "0",
        "a",
        "!a",
        "a & !b & c",
        "!a | b | !c",
        "a & b",
        "!a | !b",
        "a & a",
        "a | !a",
        "a & (b | c)",
        "!(a & b)",
    ],
)
def test_literal_primes_shortcut_equals_the_bdd_primes(rule):
    """Constants, literals and AND / OR of literals get their primes written down directly;
    they must be exactly the BDD's (the shortcut declines anything else, e.g. repeated names)."""
    from dormnet.normal_form import _literal_primes, primes

    net = BooleanNetwork({"a": "a", "b": "b", "c": "c", "t": rule})
    assert _as_sets(primes(net, "t")) == _as_sets(_bdd_primes(net, "t"))
    quick = _literal_primes(net.rule("t").expr)
    simple = rule in ("1", "0", "a", "!a", "a & !b & c", "!a | b | !c", "a & b", "!a | !b")
    assert (quick is not None) == simple
