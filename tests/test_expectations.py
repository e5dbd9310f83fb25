"""The expectations checker on a hand-checked bundle (tests/data/toggle, answers worked out in
the comments of toggle.bnet): quantifiers, baselines, temporal steps, and the file checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from dormnet.analysis import ClassifiedAttractor
from dormnet.attractors import Attractor
from dormnet.bundle import load_bundle
from dormnet.errors import DataFileError
from dormnet.expectations import check_expectations, holds_on, summary
from dormnet.records import Expectation
from dormnet.scenario import Scenario

TOGGLE = Path(__file__).parent / "data" / "toggle" / "toggle.bnet"


@pytest.fixture(scope="module")
def bundle():
    return load_bundle(TOGGLE)


@pytest.fixture(scope="module")
def outcomes(bundle):
    return {o.expectation.id: o for o in check_expectations(bundle)}


def _ca(words: list[str], space: dict[str, int]) -> ClassifiedAttractor:
    return ClassifiedAttractor(Attractor("fixed point", space, 1, (space,)), words, [])


def _e(expect: str, markers: dict[str, int] | None = None) -> Expectation:
    return Expectation(
        "X",
        "",
        Scenario(),
        "async",
        expect,
        "p",
        markers or {},
        ("DOI:x",),
        "M",  # type: ignore[arg-type]
    )


def test_quantifiers_need_attractors_and_markers():
    p, q = _ca(["p"], {"m": 1}), _ca(["q"], {"m": 0})
    assert holds_on(_e("all"), [p]) and not holds_on(_e("all"), [p, q])
    assert not holds_on(_e("all"), [])  # all over nothing is not evidence
    assert holds_on(_e("some"), [p, q]) and not holds_on(_e("some"), [q])
    assert not holds_on(_e("some"), [])
    assert holds_on(_e("none"), [q]) and not holds_on(_e("none"), [p, q])
    assert not holds_on(_e("none"), [])  # none over nothing is not evidence
    assert not holds_on(_e("all", {"m": 0}), [p])  # the phenotype without its markers
    assert holds_on(_e("some", {"m": 1}), [q, p])
    assert not holds_on(_e("some", {"m": 0}), [p, _ca(["q"], {"m": 0})])


def test_plain_expectations_and_baselines(outcomes):
    assert outcomes["T1"].passed and outcomes["T1"].baseline is None  # a context: no baseline
    # blockA removes the A state that the neutral niche has: an effect
    assert outcomes["T2"].passed and outcomes["T2"].baseline is False
    # B knockout "gives" an A state that neutral has anyway: fine as an 'unchanged' claim (T3),
    # a failure as an effect claim (T5), and the observation says why
    assert outcomes["T3"].passed and outcomes["T3"].baseline is True
    assert not outcomes["T5"].passed and outcomes["T5"].baseline is True
    assert "measures no effect" in outcomes["T5"].observed


def test_temporal_expectations(outcomes):
    # pushA -> neutral: only the A state is reached (memory); neutral alone has three states
    t4 = outcomes["T4"]
    assert t4.passed, t4.observed
    assert [ca.attractor.space for ca in t4.attractors] == [
        {"u": 0, "v": 0, "A": 1, "B": 0, "R": 1}
    ]
    assert t4.baseline is False
    # a B-state cell switches under pushA, as every cell there does: no memory to claim
    assert outcomes["T6"].passed and outcomes["T6"].baseline is True
    assert not outcomes["T7"].passed


def test_expected_failures_are_exactly_the_failures(bundle, outcomes):
    failing = {i for i, o in outcomes.items() if not o.passed}
    assert failing == set(bundle.expected_failures) == {"T5", "T7"}
    s = summary(list(outcomes.values()))
    assert s["by_split"]["calibration"] == {"passed": 1, "total": 1}
    assert s["by_split"]["validation"] == {"passed": 5, "total": 7}
    assert outcomes["T8"].passed and outcomes["T8"].baseline is True  # background kept


@pytest.mark.parametrize(
    "line, fragment",
    [
        ("set = { A = 1 }", "the key 'set' is now 'clamps'"),
        ('split = "tuning"', "split must be one of calibration, validation"),
        ('baseline = "maybe"', "baseline must be one of differs, unchanged"),
        ('steps = ["pushA"]', "steps must list two or more scenario strings"),
        ('steps = ["pushA", "nowhere"]', "unknown context 'nowhere'"),
        ('steps = ["pushA", "ko:Q"]', "unknown node 'Q'"),
        ('steps = ["pushA", "ko:"]', "use ko:NODE, oe:NODE or drug:NAME"),
        ('steps = ["pushA", "pushB"]\ncontext = "neutral"', "names its scenarios there only"),
        ('start = "dormant"', "start goes with steps only"),
        ('phenotype = "sleepy"', "unknown phenotype 'sleepy'"),
    ],
)
def test_bad_expectations_are_reported_with_file_and_line(tmp_path, line, fragment):
    for f in TOGGLE.parent.iterdir():
        if f.name != "toggle.expectations.toml":
            (tmp_path / f.name).write_text(f.read_text())
    text = (
        '[[expectation]]\nid = "B1"\nsplit = "validation"\nsystem = "toy"\nclaim = "x"\n'
        'context = "neutral"\nphenotype = "dormant"\nreferences = ["DOI:x"]\nconfidence = "M"\n'
    )
    if line.split(" = ")[0] in ("split", "phenotype"):
        text = "\n".join(x for x in text.splitlines() if not x.startswith(line.split(" = ")[0]))
    if line.startswith("steps"):
        text = text.replace('context = "neutral"\n', "")
    (tmp_path / "toggle.expectations.toml").write_text(text + "\n" + line + "\n")
    with pytest.raises(DataFileError) as e:
        load_bundle(tmp_path / "toggle.bnet")
    assert fragment in str(e.value)
    assert "toggle.expectations.toml:" in str(e.value)


def test_expected_failures_must_name_expectations(tmp_path):
    for f in TOGGLE.parent.iterdir():
        (tmp_path / f.name).write_text(f.read_text())
    p = tmp_path / "toggle.expectations.toml"
    p.write_text(p.read_text().replace('["T5", "T7"]', '["T5", "T9"]'))
    with pytest.raises(DataFileError, match="expected_failures names 'T9'"):
        load_bundle(tmp_path / "toggle.bnet")
