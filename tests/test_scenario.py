"""Scenarios: the comma-separated syntax, and resolving names against a model."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dormnet.bundle import load_bundle
from dormnet.errors import ClampError, ScenarioError, UnknownNodeError
from dormnet.scenario import Scenario

TOGGLE = Path(__file__).parent / "data" / "toggle" / "toggle.bnet"


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("a,,b", "empty item"),
        ("lung,bone", "names two contexts"),
        ("X=2", "write NODE=0 or NODE=1"),
        ("X=1,X=0", "X is given two values"),
        ("kk:X", "use ko:NODE, oe:NODE or drug:NAME"),
        ("ko:X,oe:X", "both knocks out and overexpresses X"),
        ("1abc", "is not a name"),
    ],
)
def test_bad_scenarios(text, fragment):
    with pytest.raises(ScenarioError, match=fragment):
        Scenario.parse(text)


names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)


@given(
    st.one_of(st.none(), names),
    st.dictionaries(names, st.integers(0, 1), max_size=3),
    st.lists(names, max_size=2, unique=True),
    st.lists(names, max_size=2, unique=True),
    st.lists(names, max_size=2),
)
def test_text_round_trip(context, clamps, ko, oe, drugs):
    oe = [n for n in oe if n not in ko]
    s = Scenario(context, tuple(clamps.items()), tuple(ko), tuple(oe), tuple(drugs))
    assert Scenario.parse(str(s)) == s


def test_resolution_order_and_errors():
    b = load_bundle(TOGGLE)
    # the context's inputs, then drugs, knockouts, overexpressions, explicit clamps last
    assert b.clamps(Scenario.parse("pushA,drug:Ai,u=0")) == {"u": 0, "v": 0, "A": 0}
    assert b.clamps(Scenario.parse("neutral,oe:B")) == {"u": 0, "v": 0, "B": 1}
    with pytest.raises(UnknownNodeError, match="did you mean 'pushA'"):
        b.clamps(Scenario.parse("pushAA"))
    with pytest.raises(UnknownNodeError, match="unknown drug 'blockB'"):
        b.clamps(Scenario.parse("drug:blockB"))
    with pytest.raises(UnknownNodeError, match="unknown node 'Q'"):
        b.clamps(Scenario.parse("ko:Q"))
    with pytest.raises(ClampError, match="must be 0 or 1"):
        b.clamps(Scenario(clamps=(("A", 2),)))
