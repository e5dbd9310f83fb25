"""The HTML report: self-contained (no external script, style or image), every section present,
and it opens in a real headless browser without JavaScript errors, with every figure displayed.

The browser tests use Debian's chromium (``apt-get install -y chromium``; ``.ci/run`` installs it
and fails if it cannot). Where no chromium binary exists they skip, with the reason, except under
``CI=true``, where they fail.
"""

from __future__ import annotations

import base64
import html
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from dormnet.bundle import load_bundle
from dormnet.cli import main
from dormnet.expectations import check_expectations as validate
from dormnet.figures import landscape_rows
from dormnet.io.screen_rows import ScreenRow
from dormnet.report import ReportData, collect, render_report, top_hits, write_report
from dormnet.report.collect import control_questions
from dormnet.screen import interventions, screen

from .conftest import corpus_model
from .skips import strict

CELLCYCLE = corpus_model("pbn_faure_cellcycle.bnet")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(text: str) -> list[tuple[str, dict]]:
    p = _Tags()
    p.feed(text)
    return p.tags


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """The bundled model's report, from a smaller computation than the CLI's (test time)."""
    b = load_bundle()
    data = ReportData(b)
    data.landscape = landscape_rows(b)
    data.outcomes = validate(b, ids=["E01", "E02", "E37", "E32a", "E35"])
    data.singles = screen(b, interventions(b, drugs="all"), processes=1)
    items = interventions(
        b,
        sizes=(2,),
        nodes=["p38", "NR2F1", "mTORC1", "Autophagy"],
        drugs=["everolimus", "hydroxychloroquine"],
    )
    data.pairs = screen(b, items, processes=1)
    data.control = control_questions(b, data, processes=1)
    return write_report(b, tmp_path_factory.mktemp("report"), data=data)


def test_report_is_self_contained(report):
    text = report.read_text()
    found = tags(text)
    imgs = [a for t, a in found if t == "img"]
    assert len(imgs) >= 4  # network, landscape, single screen, pair matrix
    for a in imgs:
        assert a["src"].startswith("data:image/png;base64,")
        assert base64.b64decode(a["src"].split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [a for t, a in found if t == "script" and "src" in a]
    assert not [a for t, a in found if t == "link"]
    assert "@import" not in text and "url(http" not in text


def test_report_sections_and_content(report):
    text = report.read_text()
    for anchor in ("summary", "landscape", "screen", "validation", "provenance"):
        assert f'id="{anchor}"' in text
    assert "bone_marrow" in text and "hydroxychloroquine" in text
    assert "E37" in text and "FAIL" in text  # a known failing expectation is shown as such
    assert "https://pubmed.ncbi.nlm.nih.gov/" in text or "https://doi.org/" in text
    assert 'id="prov-table"' in text and 'class="filter"' in text
    # every node has a provenance row
    assert len(re.findall(r"<tr><td><b>", text)) >= 88


def test_report_control_section(report):
    """The control section lists, per question, every minimal drug set that control() finds,
    and per niche what is minimal there."""
    from dormnet.control import control

    text = report.read_text()
    section = text.split('id="control"', 1)[1].split("<section", 1)[0]
    b = load_bundle()
    elim = control(b, to="apoptotic", source="dormant", agents="drugs", cross_check=False)
    assert elim.solutions and "Elimination of dormant cells" in section
    part = section.split("Elimination of dormant cells", 1)[1]
    for s in elim.solutions:
        assert f"<b>{html.escape(s.label)}</b>" in part
        assert f"{len(s.contexts)} of {len(elim.contexts)}" in part
    for c in elim.contexts:
        here = [f"{s.label} ({s.evidence})" for s in elim.solutions if c in s.minimal_in]
        cell = "; ".join(here) or "none of up to 2 drugs"
        assert f"<tr><td>{c}</td><td>{html.escape(cell)}</td></tr>" in part
    assert "hydroxychloroquine" in part and "approved" in part


def test_top_hits_ranking():
    rows = [
        ScreenRow(c, p, 1, 1, b, 1, a, s, None, "percolation")
        for c, p, b, a, s in [
            ("x", "A-KO", "proliferative", "dormant", "dormancy-inducing"),
            ("y", "A-KO", "proliferative", "dormant", "dormancy-inducing"),
            ("x", "B-OE", "proliferative", "dormant", "dormancy-inducing"),
            ("x", "C-KO", "dormant", "apoptotic", "eliminating"),
            ("y", "C-KO", "proliferative", "apoptotic", "eliminating"),
        ]
    ]
    hits = top_hits(rows, "dormancy-inducing")
    assert [(h.perturbation, h.count) for h in hits] == [("A-KO", 2), ("B-OE", 1)]
    assert [h.contexts for h in top_hits(rows, "eliminating", before="dormant")] == [("x",)]
    assert top_hits(rows, "dormancy-inducing", exclude=["A-KO"])[0].perturbation == "B-OE"


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _browser(args: list[str], url: str, tmp_path: Path) -> subprocess.CompletedProcess:
    exe = _chromium()
    if exe is None:
        why = "no chromium here: apt-get install -y chromium (CI installs it from .ci/run)"
        if strict():  # under CI=true the browser is required: a missing one fails
            pytest.fail(why, pytrace=False)
        pytest.skip(why)
    cmd = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-extensions",
        "--disable-sync",
        "--hide-scrollbars",
        "--mute-audio",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=8000",
        *args,
        url,
    ]
    env = {**os.environ, "HOME": str(tmp_path)}
    return subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=120, env=env)


def test_report_in_headless_chromium(report, tmp_path):
    n_img = sum(1 for t, _ in tags(report.read_text()) if t == "img")
    r = _browser(["--dump-dom"], report.as_uri(), tmp_path)
    dom = r.stdout
    assert "<html" in dom, r.stderr[-2000:]
    # the page's own check ran after load: every <img> complete with a natural size > 0
    m = re.search(r'data-figures="([^"]*)"', dom)
    assert m, "the self-check script did not run: " + r.stderr[-2000:]
    assert m.group(1) == f"ok:{n_img}"
    html_tag = re.search(r"<html[^>]*>", dom).group(0)
    assert "data-js-errors" not in html_tag, html_tag
    console = [line for line in r.stderr.splitlines() if "CONSOLE" in line]
    assert not [c for c in console if "Uncaught" in c or "Error" in c], console
    assert "self-check: all" in dom

    shot = tmp_path / "shot.png"
    r = _browser([f"--screenshot={shot}", "--window-size=1400,2600"], report.as_uri(), tmp_path)
    assert shot.exists(), r.stderr[-2000:]
    from PIL import Image

    with Image.open(shot) as im:
        assert im.size == (1400, 2600)
        # not a blank page: the figures and tables give many distinct colours
        assert len(im.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 50


def test_headless_check_catches_errors(tmp_path):
    """The browser check is not vacuous: a script error and a broken image are reported."""
    from dormnet.report.html import asset

    page = tmp_path / "bad.html"
    page.write_text(
        f"<html><head><script>{asset('report-head.js')}</script></head><body>"
        '<img src="data:image/png;base64,AAAA"><script>notDefined();</script>'
        f"<div id='selfcheck'></div><script>{asset('report.js')}</script></body></html>"
    )
    dom = _browser(["--dump-dom"], page.as_uri(), tmp_path).stdout
    html_tag = re.search(r"<html[^>]*>", dom).group(0)
    assert 'data-figures="broken:1"' in html_tag
    assert "data-js-errors" in html_tag and "notDefined" in html_tag


def test_cli_report_on_corpus_model_without_companions(tmp_path):
    r = CliRunner().invoke(
        main,
        ["report", str(CELLCYCLE), "-o", str(tmp_path / "rep"), "--format", "json"],
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.output
    assert '"item": "note"' in r.output and "screens skipped" in r.output
    text = (tmp_path / "rep" / "index.html").read_text()
    assert "pbn_faure_cellcycle.bnet" in text and "no expectations file" in text
    assert sum(1 for t, _ in tags(text) if t == "img") == 2  # network and landscape


def test_collect_runs_screens_when_phenotypes_exist(tmp_path):
    shutil.copy(CELLCYCLE, tmp_path / "cc.bnet")
    (tmp_path / "cc.phenotypes.toml").write_text(
        '[phenotypes.proliferative]\nrule = "CycE | CycA | CycB"\n'
        'references = ["DOI:10.1093/bioinformatics/btl210"]\n'
    )
    b = load_bundle(tmp_path / "cc.bnet")
    data = collect(b, double=True, processes=1)
    assert data.singles and data.pairs and not data.outcomes
    html = render_report(data)
    assert "Pairs:" in html


def test_report_target_must_be_a_directory(tmp_path):
    from dormnet.errors import DormnetError

    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(DormnetError, match="not a directory"):
        write_report(load_bundle(), f, data=ReportData(load_bundle()))
