"""Figures: every kind renders for the bundled model and for a small corpus model without
companions, as a valid PNG (magic bytes, sensible size) and SVG (XML with an <svg> root)."""

from __future__ import annotations

import shutil
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from dormnet.bundle import load_bundle
from dormnet.cli import main
from dormnet.errors import DormnetError
from dormnet.figures import (
    figure_bytes,
    landscape_figure,
    module_groups,
    network_figure,
    plot_landscape,
    plot_network,
    plot_screen,
    plot_validation,
)
from dormnet.io.screen_rows import read_rows, write_rows
from dormnet.screen import interventions, screen
from dormnet.expectations import check_expectations as validate

from .conftest import corpus_model

CELLCYCLE = corpus_model("pbn_faure_cellcycle.bnet")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC, f"{path} is not a PNG"
    w, h = struct.unpack(">II", data[16:24])  # IHDR follows the magic
    return w, h


def assert_png(path: Path, min_w: int = 300, min_h: int = 150) -> tuple[int, int]:
    w, h = png_size(path)
    assert min_w <= w <= 6000 and min_h <= h <= 6000, (w, h)
    from PIL import Image  # matplotlib depends on Pillow

    with Image.open(path) as im:
        im.verify()
    return w, h


def assert_svg(path: Path) -> None:
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg"), root.tag
    assert path.stat().st_size > 2000


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


@pytest.fixture(scope="module")
def landscape(bundle):
    from dormnet.figures import landscape_rows

    return landscape_rows(bundle)


@pytest.fixture(scope="module")
def singles(bundle):
    """Single perturbations and drugs in every context of the bundled model (about 2 s)."""
    return screen(bundle, interventions(bundle, drugs="all"), processes=1)


@pytest.fixture(scope="module")
def pairs(bundle):
    """A small pair screen: a few nodes and drugs, two contexts."""
    items = interventions(
        bundle,
        sizes=(2,),
        nodes=["p38", "NR2F1", "mTORC1", "Autophagy", "FAO"],
        drugs=["everolimus", "hydroxychloroquine"],
    )
    return screen(bundle, items, contexts=["bone_marrow", "permissive"], processes=1)


@pytest.fixture(scope="module")
def cellcycle(tmp_path_factory):
    """The corpus cell-cycle model copied beside a phenotypes file of our own (for screens)."""
    d = tmp_path_factory.mktemp("cc")
    shutil.copy(CELLCYCLE, d / "cc.bnet")
    (d / "cc.phenotypes.toml").write_text(
        '[phenotypes.dormant]\nrule = "p27 & !CycE & !CycA"\n'
        'references = ["DOI:10.1093/bioinformatics/btl210"]\n'
        '[phenotypes.proliferative]\nrule = "CycE | CycA | CycB"\n'
        'references = ["DOI:10.1093/bioinformatics/btl210"]\n'
    )
    return load_bundle(d / "cc.bnet")


# -- the bundled model --------------------------------------------------------------------------


def test_network_png_and_svg(bundle, tmp_path):
    fig = network_figure(bundle)
    (tmp_path / "n.png").write_bytes(figure_bytes(fig, "png"))
    (tmp_path / "n.svg").write_bytes(figure_bytes(fig, "svg"))
    w, h = assert_png(tmp_path / "n.png", 1200, 700)
    assert w > h  # the module columns read left to right
    assert_svg(tmp_path / "n.svg")
    svg = (tmp_path / "n.svg").read_text()
    for name in ("NR2F1", "Dormancy", "integrin/MAPK", "activation", "inhibition"):
        assert name in svg  # text stays text (svg.fonttype none), so it is searchable


def test_modules_ordered_inputs_first_outputs_last(bundle):
    groups = module_groups(bundle)
    assert list(groups)[-1] == "outputs"
    assert sum(len(v) for v in groups.values()) == len(bundle.network)
    assert groups["integrin/MAPK"][0] in bundle.network.inputs


def test_compact_png_is_smaller_and_valid(bundle, tmp_path):
    path = plot_network(bundle, tmp_path / "n.png", compact=True)
    assert_png(path, 1200, 700)
    assert path.stat().st_size < 300_000


def test_landscape(bundle, landscape, tmp_path):
    plot_landscape(bundle, tmp_path / "l.png", rows=landscape)
    w, h = assert_png(tmp_path / "l.png", 1000, 400)
    fig = landscape_figure(bundle, landscape)
    (tmp_path / "l.svg").write_bytes(figure_bytes(fig, "svg"))
    assert_svg(tmp_path / "l.svg")
    text = (tmp_path / "l.svg").read_text()
    assert "bone_marrow" in text and "dormant" in text and "proliferative" in text


def test_single_screen(singles, tmp_path):
    plot_screen(singles, tmp_path / "s.png")
    assert_png(tmp_path / "s.png", 600, 800)
    plot_screen(singles, tmp_path / "s.svg")
    assert_svg(tmp_path / "s.svg")
    text = (tmp_path / "s.svg").read_text()
    assert "hydroxychloroquine" in text and "awakening" in text


def test_pair_screen_aggregated_and_per_context(pairs, tmp_path):
    plot_screen(pairs, tmp_path / "p.png")
    assert_png(tmp_path / "p.png", 500, 500)
    plot_screen(pairs, tmp_path / "p.svg", context="permissive")
    assert "NR2F1-OE" in (tmp_path / "p.svg").read_text()
    assert_svg(tmp_path / "p.svg")


def test_screen_file_roundtrip(singles, pairs, tmp_path):
    rows = list(singles[:50]) + list(pairs[:50])
    for fmt in ("tsv", "json"):
        write_rows(rows, tmp_path / f"r.{fmt}", fmt)
        assert read_rows(tmp_path / f"r.{fmt}") == rows
    (tmp_path / "bad.tsv").write_text("a\tb\n1\t2\n")
    with pytest.raises(DormnetError, match="not a screen table"):
        read_rows(tmp_path / "bad.tsv")


def test_validation(bundle, tmp_path):
    outcomes = validate(bundle, ids=["E01", "E02", "E37", "E32a"])  # E37 fails (see README)
    assert [o.passed for o in outcomes] == [True, True, True, False]  # file order: E37 last
    plot_validation(outcomes, tmp_path / "v.png")
    assert_png(tmp_path / "v.png", 1200, 150)
    plot_validation(outcomes, tmp_path / "v.svg")
    text = (tmp_path / "v.svg").read_text()
    assert "FAIL" in text and "E37" in text and "DOI:10.1038/ncb2861" in text


def test_bad_suffix_is_a_clean_error(bundle, tmp_path):
    with pytest.raises(DormnetError, match=r"\.png or \.svg"):
        plot_network(bundle, tmp_path / "n.jpg")
    assert not list(tmp_path.iterdir())


# -- a corpus model without companions ----------------------------------------------------------


def test_corpus_model_every_figure(tmp_path):
    b = load_bundle(CELLCYCLE)
    assert module_groups(b) == {"network": list(module_groups(b)["network"])}
    plot_network(b, tmp_path / "n.png")
    assert_png(tmp_path / "n.png", 600, 300)
    plot_network(b.network, tmp_path / "n.svg")  # a bare BooleanNetwork works too
    assert_svg(tmp_path / "n.svg")
    plot_landscape(b, tmp_path / "l.svg")  # no contexts: the input CycD swept
    text = (tmp_path / "l.svg").read_text()
    assert "CycD=0" in text and "undetermined" in text
    plot_landscape(b, tmp_path / "l.png")
    assert_png(tmp_path / "l.png", 500, 200)
    plot_validation([], tmp_path / "v.png")  # no expectations: a figure that says so
    assert_png(tmp_path / "v.png", 300, 100)
    plot_screen([], tmp_path / "s.svg")
    assert "no screen rows" in (tmp_path / "s.svg").read_text()


def test_corpus_model_with_phenotypes_screens(cellcycle, tmp_path):
    rows = screen(cellcycle, interventions(cellcycle, sizes=(1, 2)), processes=1)
    assert {r.context for r in rows} == {"-"}
    plot_screen([r for r in rows if r.size == 1], tmp_path / "s.png")
    assert_png(tmp_path / "s.png", 300, 200)
    plot_screen(rows, tmp_path / "p.svg")
    assert_svg(tmp_path / "p.svg")


# -- the CLI ------------------------------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_figure_network_and_json_summary(tmp_path):
    out = tmp_path / "net.svg"
    r = run("figure", "network", "-o", str(out), "--format", "json")
    assert r.exit_code == 0, r.output
    assert '"kind": "network"' in r.output and '"format": "svg"' in r.output
    assert_svg(out)


def test_cli_figure_screen_from_file(singles, tmp_path):
    write_rows(singles, tmp_path / "s.tsv", "tsv")
    r = run(
        "figure",
        "screen",
        "--screen",
        str(tmp_path / "s.tsv"),
        "-o",
        str(tmp_path / "s.png"),
        "--format",
        "tsv",
    )
    assert r.exit_code == 0, r.output
    assert r.output.startswith("file\tkind\tformat")
    assert_png(tmp_path / "s.png", 600, 800)


def test_cli_figure_errors(tmp_path):
    r = run("figure", "network", "-o", str(tmp_path / "n.gif"))
    assert r.exit_code == 2 and "error:" in r.output and ".png or .svg" in r.output
    r = run("figure", "validation", str(CELLCYCLE), "-o", str(tmp_path / "s.png"))
    assert r.exit_code == 2 and "no expectations file" in r.output
    assert not (tmp_path / "s.png").exists()
    r = run("figure", "validation", str(CELLCYCLE), "-o", str(tmp_path / "v.png"))
    assert r.exit_code == 2 and "no expectations" in r.output
    assert not list(tmp_path.iterdir())
