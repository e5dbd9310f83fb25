"""The strict-skip plugin (tests/skips.py), run on throw-away projects with pytester: under
CI=true every skip but the slow marker and a documented time-out fails the run."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import skips

PLUGIN = Path(skips.__file__).read_text()

CONFTEST = (
    PLUGIN
    + """

def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true")


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--runslow"):
        for item in items:
            if "slow" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=SLOW))
"""
)

TESTS = """
import pytest


@pytest.mark.slow
def test_slow():
    pass


def test_timeout():
    pytest.skip("time-out: peer did not finish within 60 s")


def test_peer_broke():
    pytest.skip("pyboolnet failed: AttributeError")


@pytest.mark.parametrize("x", [])
def test_empty(x):
    pass


@pytest.mark.xfail(reason="known")
def test_xfail():
    assert False


def test_passes():
    pass
"""


def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: str | None, files: dict):
    pytester.makeini("[pytest]\nmarkers =\n    slow: slow\n")
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(**files)
    monkeypatch.delenv("DORMNET_STRICT_SKIPS", raising=False)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rA")


def test_without_ci_every_skip_is_a_skip(pytester, monkeypatch):
    r = run(pytester, monkeypatch, None, {"test_a": TESTS})
    r.assert_outcomes(passed=1, skipped=4, xfailed=1)
    assert r.ret == 0


def test_under_ci_only_slow_and_timeouts_skip(pytester, monkeypatch):
    r = run(pytester, monkeypatch, "true", {"test_a": TESTS})
    # the peer that broke and the xfail fail, the empty parameter list errs in its setup;
    # slow and time-out skip
    r.assert_outcomes(passed=1, skipped=2, failed=2, errors=1)
    assert r.ret == 1
    out = r.stdout.str()
    for name in ("test_peer_broke", "test_xfail"):
        assert f"FAILED test_a.py::{name}" in out
    assert "ERROR test_a.py::test_empty" in out
    assert "pyboolnet failed: AttributeError" in out


def test_under_ci_a_skipped_module_fails(pytester, monkeypatch):
    files = {"test_b": "import pytest\nnever = pytest.importorskip('no_such_module_xyz')\n"}
    r = run(pytester, monkeypatch, "true", files)
    assert r.ret == 2  # interrupted: an error during collection
    assert "ERROR test_b.py" in r.stdout.str() and "no_such_module_xyz" in r.stdout.str()
    r = run(pytester, monkeypatch, None, files)  # without CI: a skipped module
    r.assert_outcomes(skipped=1)


def test_under_ci_runslow_without_the_marker_reason_is_no_excuse(pytester, monkeypatch):
    files = {
        "test_c": "import pytest\n\ndef test_x():\n    pytest.skip(" + repr(skips.SLOW) + ")\n"
    }
    r = run(pytester, monkeypatch, "true", files)
    r.assert_outcomes(failed=1)
