"""The CLI: exit codes, error format, atomic outputs."""

from __future__ import annotations

import json

from click.testing import CliRunner

from dormnet.cli import main

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
