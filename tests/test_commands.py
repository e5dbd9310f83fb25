"""Every analysis command through the CLI, on the hand-checked toggle bundle (tests/data/toggle):
the answers, the three formats, the scenario syntax, counts, and readable tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dormnet.cli import COMMANDS, main

TOGGLE = str(Path(__file__).parent / "data" / "toggle" / "toggle.bnet")


def run(*args: str, code: int = 0):
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert r.exit_code == code, r.output
    return r


def test_every_command_is_listed_and_loads():
    r = run("--help")
    for name in COMMANDS:
        assert name in r.output
        run(name, "--help")


def test_attractors_json_tsv_and_table():
    data = json.loads(run("attractors", TOGGLE, "--context", "neutral", "--format", "json").output)
    assert [a["nodes"] for a in data["attractors"]] == [
        {"u": 0, "v": 0, "A": 0, "B": 0, "R": 0},
        {"u": 0, "v": 0, "A": 0, "B": 1, "R": 0},
        {"u": 0, "v": 0, "A": 1, "B": 0, "R": 1},
    ]
    assert [a["phenotypes"] for a in data["attractors"]] == [
        ["undetermined"],
        ["dormant"],
        ["proliferative"],
    ]
    assert data["scenario"] == "neutral" and data["update"] == "async"
    tsv = run("attractors", TOGGLE, "--context", "neutral", "--format", "tsv").output.splitlines()
    assert tsv[0].split("\t") == ["#", "phenotypes", "kind", "states", "u", "v", "A", "B", "R"]
    assert tsv[2].split("\t") == ["A2", "dormant", "fixed point", "1", "0", "0", "0", "1", "0"]
    table = run("attractors", TOGGLE, "--context", "neutral").output
    assert "3 results" in table and "proliferative" in table


def test_scenario_syntax_equals_the_shorthand_options():
    a = run("attractors", TOGGLE, "-s", "neutral,drug:blockA", "--format", "json").output
    b = run("attractors", TOGGLE, "--context", "neutral", "-d", "Ai", "--format", "json").output
    assert json.loads(a)["attractors"] == json.loads(b)["attractors"]
    assert [x["nodes"]["A"] for x in json.loads(a)["attractors"]] == [0, 0]
    r = run("attractors", TOGGLE, "-s", "neutral,ko:Q", code=2)
    assert "error: unknown node 'Q'" in r.output and "Traceback" not in r.output
    r = run("attractors", TOGGLE, "-s", "neutral,,x", code=2)
    assert "empty item" in r.output


def test_update_schemes_and_counts():
    assert run("attractors", TOGGLE, "--context", "pushB", "--count").output == "2\n"
    assert (
        run("attractors", TOGGLE, "--update", "sync", "--context", "pushA", "--count").output
        == "1\n"
    )
    assert run("fixed-points", TOGGLE, "--context", "neutral", "--count").output == "3\n"
    assert run("trap-spaces", TOGGLE, "--context", "neutral", "--count").output == "3\n"
    # inputs free: 3 (u=0, v=0) + 1 (u=1) + 2 (v=1) + 1 (u=v=1: A on, B held off by u)
    assert run("fixed-points", TOGGLE, "--count").output == "7\n"
    spaces = json.loads(run("trap-spaces", TOGGLE, "--kind", "max", "--format", "json").output)
    assert all(sum(v != "*" for v in a["nodes"].values()) >= 1 for a in spaces["attractors"])
    assert spaces["query"] == "trap-spaces"


def test_phenotype_option_classifies_models_without_companions(tmp_path):
    m = tmp_path / "t.bnet"
    m.write_text(Path(TOGGLE).read_text())
    out = run("attractors", str(m), "-s", "u=0,v=0", "--phenotype", "on=A", "--format", "json")
    assert [a["phenotypes"] for a in json.loads(out.output)["attractors"]] == [
        ["undetermined"],
        ["undetermined"],
        ["on"],
    ]
    r = run("attractors", str(m), "--phenotype", "on=A &", code=2)
    assert "error: --phenotype: phenotype on:" in r.output


def test_landscape_contexts_validate_explain():
    land = json.loads(run("landscape", TOGGLE, "--format", "json").output)
    assert [(r["label"], r["phenotypes"]) for r in land["rows"]] == [
        ("neutral", ["dormant", "proliferative", "undetermined"]),
        ("pushA", ["proliferative"]),
        ("pushB", ["dormant", "proliferative"]),
    ]
    sweep = run("landscape", TOGGLE, "--inputs", "u", "--format", "tsv").output.splitlines()
    assert sweep[1].startswith("u=0\t3") and sweep[2].startswith("u=1\t1")
    ctx = json.loads(run("contexts", TOGGLE, "--format", "json").output)
    assert list(ctx["contexts"]) == ["neutral", "pushA", "pushB"] and ctx["defaults"] == {
        "u": 0,
        "v": 0,
    }
    assert "A, u | A & !B" in run("explain", TOGGLE, "A").output


def test_validate_exit_status_and_known_failures(tmp_path):
    r = run("validate", TOGGLE, "--format", "json")  # T5 and T7 fail, as the file declares
    assert json.loads(r.output)["summary"]["passed"] == 6
    r = run("validate", TOGGLE, "--strict")  # the declared failures are not unexpected
    assert "unexpected failures" not in r.output
    # the same bundle with T7 no longer declared: --strict fails and names it
    src = Path(TOGGLE).parent
    for f in src.iterdir():
        text = f.read_text()
        if f.name.endswith(".expectations.toml"):
            text = text.replace('expected_failures = ["T5", "T7"]', 'expected_failures = ["T5"]')
        (tmp_path / f.name).write_text(text)
    r = CliRunner().invoke(main, ["validate", str(tmp_path / "toggle.bnet"), "--strict"])
    assert r.exit_code == 1
    assert "1 unexpected failures: T7" in r.output


@pytest.mark.parametrize("n", [30])
def test_many_attractors_are_listed_one_row_each_with_the_size_stated(tmp_path, n):
    m = tmp_path / "many.bnet"
    m.write_text("".join(f"x{i}, x{i}\n" for i in range(5)))  # 32 fixed points
    text = run("fixed-points", str(m)).output
    assert "showing 20 of 32 rows" in text and "32 results" in text
    assert text.count("| fixed point") == 20
    assert len(run("fixed-points", str(m), "--format", "tsv").output.splitlines()) == 33
