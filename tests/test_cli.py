"""The CLI: exit codes, error format, atomic outputs."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dormnet.cli import main

from .conftest import corpus_params
from .fresh import run_fresh

GOOD = "# toggle\na, !b\nb, !a\nc, a & c\n"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_check_good_and_bad(tmp_path):
    good = tmp_path / "good.bnet"
    good.write_text(GOOD)
    r = run("check", str(good))
    assert r.exit_code == 0 and "no errors" in r.output
    bad = tmp_path / "bad.bnet"
    bad.write_text("a, b &\nb, b\n")
    r = run("check", str(bad))
    assert r.exit_code == 2
    assert f"error: {bad}:1:6: expression ends after '&'" in r.output
    assert "Traceback" not in r.output


def test_check_warnings_and_strict(tmp_path):
    m = tmp_path / "w.bnet"
    m.write_text("a, a & !a | b\nb, b\n")
    r = run("check", str(m))
    assert r.exit_code == 0 and "mentions 'a' but does not depend on it" in r.output
    assert run("check", "--strict", str(m)).exit_code == 2


def test_missing_file_is_a_clean_error(tmp_path):
    r = run("info", str(tmp_path / "missing.bnet"))
    assert r.exit_code == 2 and "error:" in r.output and "cannot read file" in r.output


def test_info_json(tmp_path):
    m = tmp_path / "m.bnet"
    m.write_text(GOOD)
    r = run("info", str(m), "--format", "json")
    data = json.loads(r.output)
    assert data["nodes"] == 3 and data["outputs"] == ["c"]
    assert data["circuits"]["positive"] == 2


def test_graph_output_is_atomic(tmp_path):
    m = tmp_path / "m.bnet"
    m.write_text(GOOD)
    out = tmp_path / "g.sif"
    assert run("graph", str(m), "--format", "sif", "-o", str(out)).exit_code == 0
    assert "b\tinhibits\ta" in out.read_text()
    bad = tmp_path / "bad.bnet"
    bad.write_text("a, (\n")
    out2 = tmp_path / "never.sif"
    assert run("graph", str(bad), "--format", "sif", "-o", str(out2)).exit_code == 2
    assert not out2.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.bnet", "g.sif", "m.bnet"]


def test_outputs_get_ordinary_permissions_and_boolnet_files_are_read(tmp_path):
    import os

    m = tmp_path / "m.bnet"
    m.write_text(GOOD)
    out = tmp_path / "g.sif"
    assert run("graph", str(m), "--format", "sif", "-o", str(out)).exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    bn = tmp_path / "m.bn"
    bn.write_text("targets, factors\na, !b\nb, !a\nc, a & c\n")
    r = run("info", str(bn), "--format", "json")
    assert r.exit_code == 0 and json.loads(r.output)["nodes"] == 3


# -- the quick path: plain counts answered without click --------------------------------------

QUICK_MODELS = {
    # the toggle with c, a & c: the answers are whatever the click path says (the oracles of
    # the counts are in test_attractors.py); here the two paths must agree
    "toggle.bnet": GOOD,
    # a negative loop: no fixed point, one minimal trap space (everything free)
    "loop.bnet": "a, !a\n",
    # a syntax error: both paths print the same error and exit 2
    "bad.bnet": "a, b &\nb, a\n",
    # an unknown regulator
    "unknown.bnet": "a, b\n",
}
QUICK_CALLS = [
    ["fixed-points", "{m}", "--count"],
    ["trap-spaces", "{m}", "--count"],
    ["trap-spaces", "{m}", "--count", "--kind", "max"],
    ["trap-spaces", "--count", "{m}", "--kind=all"],
    ["attractors", "{m}", "--count"],
    ["attractors", "{m}", "--count", "--update", "sync"],
    ["attractors", "--update=mp", "{m}", "--count"],
]


def _both_paths(args: list[str], capsys) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    from dormnet.cli import quick

    status = quick.answer(args)
    assert status is not None, f"not answered on the quick path: {args}"
    out, err = capsys.readouterr()
    r = CliRunner().invoke(main, args)
    return (status, out, err), (r.exit_code, r.stdout, r.stderr)


@pytest.mark.parametrize("call", QUICK_CALLS, ids=lambda c: " ".join(c))
@pytest.mark.parametrize("name", [*QUICK_MODELS, "missing.bnet"])
def test_quick_path_answers_as_click_does(tmp_path, capsys, call, name):
    m = tmp_path / name
    if name in QUICK_MODELS:
        m.write_text(QUICK_MODELS[name])
    args = [a.format(m=m) for a in call]
    quick_result, click_result = _both_paths(args, capsys)
    assert quick_result == click_result
    assert quick_result[0] in (0, 2) and "Traceback" not in quick_result[2]


@pytest.mark.parametrize("path", corpus_params(30)[:12])
def test_quick_path_answers_as_click_does_on_corpus_models(path, capsys):
    for call in [QUICK_CALLS[0], QUICK_CALLS[1], QUICK_CALLS[4]]:
        args = [a.format(m=path) for a in call]
        quick_result, click_result = _both_paths(args, capsys)
        assert quick_result == click_result
        assert quick_result[0] == 0 and int(quick_result[1]) >= 0


def test_quick_path_hands_everything_else_to_click(tmp_path):
    from dormnet.bundle import bundled_model_path
    from dormnet.cli.quick import answer

    m = tmp_path / "toggle.bnet"
    m.write_text(GOOD)
    for args in [
        [],
        ["--help"],
        ["fixed-points", str(m)],  # a listing, not a count
        ["fixed-points", str(m), "--count", "--timeout", "5"],
        ["fixed-points", str(m), "--count", "--context", "x"],
        ["fixed-points", str(m), "--count", "--count"],
        ["fixed-points", str(m), str(m), "--count"],
        ["fixed-points", str(m), "--count", "--kind", "max"],  # no --kind for fixed points
        ["trap-spaces", str(m), "--count", "--kind"],
        ["trap-spaces", str(m), "--count", "--kind", "maximal"],  # click says what is wrong
        ["trap-spaces", str(m), "--count", "--kinds=max"],
        ["attractors", str(m), "--count", "--engine", "colours"],
        ["attractors", str(m), "--count", "--update", "fast"],  # click says what is wrong
        ["attractors", str(m), "--count", "--update", "mp", "--update", "sync"],
        ["attractors", str(m), "--count", "--kind", "min"],  # no --kind for attractors
        ["trap-spaces", str(m), "--count", "--update", "mp"],  # no --update for trap spaces
        ["fixed-points", str(tmp_path), "--count"],  # a directory: click's message
        ["fixed-points", str(bundled_model_path()), "--count"],  # companions: read and checked
    ]:
        assert answer(args) is None, args


@pytest.mark.parametrize(
    "query, expected",
    [
        # 3 fixed points: a=1, b=0 with c = a & c free to stay 0 or 1, and a=0, b=1, c=0
        ("fixed-points", "3"),
        # the same 3 states are the asynchronous attractors (no cycle: c = a & c only falls)
        ("attractors", "3"),
    ],
)
def test_a_plain_count_does_not_import_click(tmp_path, query, expected):
    m = tmp_path / "toggle.bnet"
    m.write_text(GOOD)
    loaded = run_fresh([query, str(m), "--count"], ["click", "dormnet.bundle", "inspect", "ast"])
    assert loaded == [expected, "0", "False", "False", "False", "False"]


def test_boolean_imported_without_inspect_still_parses_and_inspects():
    """The command line imports boolean.py with a stand-in for ``inspect`` (start-up time):
    afterwards ``import inspect`` is the real module, and boolean.py's own parse, the one
    caller of ``inspect`` in it, works through the stand-in."""
    import subprocess
    import sys

    code = (
        "import sys, types\n"
        "from dormnet.cli import import_boolean\n"
        "import_boolean()\n"
        "print('inspect' in sys.modules, 'ast' in sys.modules)\n"
        "import boolean\n"
        "expr = boolean.BooleanAlgebra().parse('a & (b | ~c)')\n"
        "import inspect\n"
        "names = sorted(map(str, expr.symbols))\n"
        "print(type(inspect) is types.ModuleType, inspect.isclass(int), names)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.split("\n")[:2] == ["False False", "True True ['a', 'b', 'c']"], r.stderr
