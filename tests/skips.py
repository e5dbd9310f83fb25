"""A skip is a decision, never an accident: under ``CI=true`` every other skip fails the run.

pytest counts a skipped test as a success, so a test that skips because something it needs is
broken (a peer that raises, a missing browser, an empty parameter list, an import that failed)
would let CI pass. Under ``CI=true`` (or ``DORMNET_STRICT_SKIPS=1``) this plugin turns every skip
into a failure except two documented kinds:

- the ``slow`` marker without ``--runslow`` (the long cross-checks);
- a documented time-out: a reason starting with :data:`TIMEOUT` (a peer tool that did not finish
  within its budget, see ``tests/peers.py``).

A skipped module (``pytest.importorskip`` at module level, ``pytest.skip(allow_module_level=True)``)
and an expected failure (``xfail``) fail as well. It is a plain pytest plugin that imports nothing
but pytest, so ``tests/test_skips.py`` can run it on a throw-away project.
"""

from __future__ import annotations

import os

import pytest

#: the reason of every documented time-out starts with this
TIMEOUT = "time-out: "
#: the reason conftest.py gives tests marked slow when --runslow is not given
SLOW = "slow: run with --runslow"


def strict() -> bool:
    """Whether skips other than the documented ones fail (CI=true or DORMNET_STRICT_SKIPS=1)."""
    return any(
        os.environ.get(var, "").strip().lower() in ("1", "true", "yes")
        for var in ("CI", "DORMNET_STRICT_SKIPS")
    )


def _reason(longrepr: object) -> str:
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        reason = str(longrepr[2])
    else:
        reason = str(longrepr)
    return reason.removeprefix("Skipped: ")


def allowed(reason: str, item: pytest.Item) -> bool:
    """Whether a skip with ``reason`` is one of the documented kinds."""
    if reason.startswith(TIMEOUT):
        return True
    runslow = item.config.getoption("--runslow", default=False)
    return reason == SLOW and item.get_closest_marker("slow") is not None and not runslow


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if not strict() or not report.skipped:
        return
    if hasattr(report, "wasxfail"):
        reason = f"xfail: {report.wasxfail}"
    else:
        reason = _reason(report.longrepr)
        if allowed(reason, item):
            return
    report.outcome = "failed"
    report.longrepr = (
        f"skipped under CI=true, which accepts only the slow marker and documented time-outs "
        f"(tests/skips.py): {reason}"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):
    outcome = yield
    report = outcome.get_result()
    if strict() and report.skipped:
        reason = _reason(report.longrepr)
        report.outcome = "failed"
        report.longrepr = (
            f"{collector.nodeid or collector.name}: skipped at collection under CI=true "
            f"(tests/skips.py): {reason}"
        )
