"""Results as data frames (dormnet.frames) and as HTML in Jupyter (dormnet.display), on the
hand-checked toggle bundle (tests/data/toggle: its fixed points are worked out in toggle.bnet).

A frame must have the columns and cells of the command line's TSV: each test prints the frame
as TSV with the CLI's cell rules and compares it with what ``dormnet ... --format tsv`` prints.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from dormnet import BooleanNetwork, DormnetError
from dormnet.analysis import Analysis, Landscape, analyse, landscape
from dormnet.bundle import Bundle, load_bundle, phenotypes_from_rules
from dormnet.cli import main
from dormnet.display import MAX_NODE_COLUMNS, MAX_NODES, MAX_ROWS
from dormnet.expectations import Validation, check_expectations
from dormnet.figures import PHENOTYPE_COLOURS, SWITCH_COLOURS
from dormnet.frames import to_frame
from dormnet.io.screen_rows import ROW_FIELDS, ScreenResult, read_rows
from dormnet.scenario import Scenario
from dormnet.screen import interventions, screen

TOGGLE = Path(__file__).parent / "data" / "toggle" / "toggle.bnet"
NON_TEMPORAL = ["T1", "T2", "T3"]  # T4 needs dormnet.switch


@pytest.fixture(scope="module")
def toggle() -> Bundle:
    return load_bundle(TOGGLE)


def cli_tsv(*args: str) -> str:
    r = CliRunner().invoke(main, [*args, "--format", "tsv"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.output


def frame_tsv(frame) -> str:
    """The frame printed with the CLI's TSV cell rules (None/NA empty, booleans lower case)."""

    def cell(x) -> str:
        if x is None or x is pd.NA:
            return ""
        if isinstance(x, (bool, np.bool_)):
            return str(bool(x)).lower()
        return str(x)

    lines = ["\t".join(frame.columns)]
    lines += ["\t".join(cell(x) for x in row) for row in frame.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def well_formed(html: str) -> ET.Element:
    """The HTML parsed as XML (every tag closed, every text escaped)."""
    return ET.fromstring(f"<div>{html}</div>")


# -- frames -----------------------------------------------------------------------------------


def test_fixed_points_frame_hand_checked_and_equal_to_the_cli_tsv(toggle):
    result = analyse(toggle, Scenario("neutral"), query="fixed-points")
    df = result.to_frame()
    assert list(df.columns) == ["#", "phenotypes", "kind", "states", "u", "v", "A", "B", "R"]
    # toggle.bnet: neutral has (A, B) = (0, 0), (0, 1), (1, 0), with R = A
    assert df[["u", "v", "A", "B", "R"]].values.tolist() == [
        [0, 0, 0, 0, 0],
        [0, 0, 0, 1, 0],
        [0, 0, 1, 0, 1],
    ]
    assert df.phenotypes.tolist() == ["undetermined", "dormant", "proliferative"]
    assert df["#"].tolist() == ["A1", "A2", "A3"] and df.states.tolist() == [1, 1, 1]
    assert str(df["A"].dtype) == "int64"
    text = cli_tsv("fixed-points", str(TOGGLE), "--context", "neutral")
    assert frame_tsv(df) == text
    assert df.to_csv(sep="\t", index=False, lineterminator="\n") == text  # as the docs say


def test_trap_space_and_attractor_frames_equal_the_cli_tsv(toggle):
    spaces = analyse(toggle, query="trap-spaces", kind="max")
    df = spaces.to_frame()
    assert "*" in df.values  # a maximal trap space leaves nodes free
    assert frame_tsv(df) == cli_tsv("trap-spaces", str(TOGGLE), "--kind", "max")
    atts = analyse(toggle, Scenario("pushB"), update="sync")
    assert frame_tsv(to_frame(atts)) == cli_tsv(
        "attractors", str(TOGGLE), "--context", "pushB", "--update", "sync"
    )


def test_landscape_frame_equals_the_cli_tsv(toggle):
    rows = landscape(toggle)
    assert isinstance(rows, Landscape) and rows.update == "async"
    df = rows.to_frame()
    assert df.columns.tolist() == ["context", "attractors", "phenotypes"]
    # pushA: (1, 0) only; neutral: three fixed points (toggle.bnet)
    assert df.set_index("context").attractors.to_dict() == {"neutral": 3, "pushA": 1, "pushB": 2}
    assert frame_tsv(df) == cli_tsv("landscape", str(TOGGLE))
    swept = landscape(toggle, inputs=["u", "v"])
    assert frame_tsv(swept.to_frame()) == cli_tsv("landscape", str(TOGGLE), "--inputs", "u,v")


def test_screen_frame_equals_the_cli_tsv_and_the_file(toggle, tmp_path):
    items = interventions(toggle, sizes=(1, 2), drugs="all")
    rows = screen(toggle, items, processes=1)
    assert isinstance(rows, ScreenResult)
    df = rows.to_frame()
    assert df.columns.tolist() == list(ROW_FIELDS)
    assert len(df) == len(items) * 3
    assert str(df.synergy.dtype) == "boolean" and str(df["size"].dtype) == "int64"
    assert df.synergy.isna().tolist() == [r.size == 1 for r in rows]
    text = cli_tsv("screen", str(TOGGLE), "--double", "--drugs", "all", "--processes", "1")

    # every cell but 'solver', which says how a row was answered (a cache makes it vary by run)
    def strip(t: str) -> list[str]:
        lines = [line.split("\t") for line in t.splitlines()]
        at = lines[0].index("solver")
        return ["\t".join(cells[:at] + cells[at + 1 :]) for cells in lines]

    assert strip(frame_tsv(df)) == strip(text)
    assert text.splitlines()[0].split("\t") == df.columns.tolist()
    out = tmp_path / "s.parquet"
    CliRunner().invoke(
        main,
        [
            "screen",
            str(TOGGLE),
            "--double",
            "--drugs",
            "all",
            "-o",
            str(out),
            "--format",
            "parquet",
            "--processes",
            "1",
        ],
        catch_exceptions=False,
    )
    back = read_rows(out)
    assert isinstance(back, ScreenResult)
    fresh = back.to_frame()
    pd.testing.assert_frame_equal(fresh.drop(columns="solver"), df.drop(columns="solver"))
    # pandas reading the parquet file itself: the same frame
    pd.testing.assert_frame_equal(
        pd.read_parquet(out).astype({"synergy": "boolean"}), fresh, check_dtype=False
    )


def test_validation_frame_equals_the_cli_tsv(toggle):
    outcomes = check_expectations(toggle, ids=NON_TEMPORAL)
    assert isinstance(outcomes, Validation)
    df = outcomes.to_frame()
    assert df.columns.tolist() == [
        "id",
        "split",
        "conf",
        "expectation",
        "observed",
        "result",
        "reference",
    ]
    assert df.id.tolist() == NON_TEMPORAL
    args = [a for i in NON_TEMPORAL for a in ("--id", i)]
    assert frame_tsv(df) == cli_tsv("validate", str(TOGGLE), *args)


def test_simulation_frame_equals_the_cli_tsv(toggle):
    from dormnet.simulate import simulate_bundle

    args = {"trajectories": 200, "max_time": 5.0, "time_step": 1.0, "seed": 3, "processes": 1}
    result = simulate_bundle(toggle, Scenario.parse("pushA"), method="sampling", **args)
    df = result.to_frame()
    assert df.columns.tolist() == ["time", *result.phenotypes, *toggle.network.nodes]
    assert df.time.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    # pushA holds u = 1, so A turns on and stays (toggle.bnet): the node is 1 in every late window
    assert df.u.tolist() == [1.0] * 5 and df.A.iloc[-1] > 0.9
    text = cli_tsv(
        "simulate", str(TOGGLE), "--context", "pushA", "--method", "sampling", "-n", "200",
        "--max-time", "5", "--time-step", "1", "--seed", "3", "-p", "1",
    )  # fmt: skip
    assert frame_tsv(df) == text
    html = result._repr_html_()
    well_formed(html)
    assert "5 time windows" in html and "to_frame() has them" in html


def test_stochastic_screen_frame_equals_the_cli_tsv(toggle):
    from dormnet.stochastic_screen import StochasticScreenResult, stochastic_screen

    settings = {"trajectories": 100, "max_time": 5.0, "time_step": 1.0, "seed": 1, "processes": 1}
    rows = stochastic_screen(toggle, interventions(toggle), **settings)
    assert isinstance(rows, StochasticScreenResult)
    df = rows.to_frame()
    words = [*list(toggle.phenotypes), "undetermined"]
    assert df.columns.tolist()[:3] == ["context", "perturbation", "size"]
    assert set(df.columns[3:]) == {
        c for w in words for c in (w, f"{w}_stderr", f"{w}_before", f"delta_{w}")
    }
    assert len(df) == (len(interventions(toggle)) + 1) * 3  # the baseline 'none' per context
    text = cli_tsv(
        "screen", str(TOGGLE), "--update", "stochastic", "--trajectories", "100",
        "--max-time", "5", "--time-step", "1", "--seed", "1", "--processes", "1",
    )  # fmt: skip
    assert frame_tsv(df) == text
    html = rows._repr_html_()
    assert len(well_formed(html).findall(".//tbody/tr")) == min(len(rows), MAX_ROWS)


def test_empty_results_keep_their_columns():
    none = analyse(Bundle(BooleanNetwork({"o": "!o"})), query="fixed-points")
    assert len(none) == 0  # o = !o has no fixed point
    df = none.to_frame()
    assert df.columns.tolist() == ["#", "phenotypes", "kind", "states", "o"] and len(df) == 0
    assert ScreenResult().to_frame().columns.tolist() == list(ROW_FIELDS)
    assert Validation().to_frame().shape == (0, 7)


def test_to_frame_refuses_what_it_cannot_tell():
    with pytest.raises(DormnetError, match="no data frame for a list"):
        to_frame([])
    with pytest.raises(DormnetError, match="no data frame for a int"):
        to_frame(3)


def test_pandas_is_not_loaded_by_import_or_by_the_cli():
    code = f"""
import sys
import dormnet, dormnet.analysis, dormnet.screen, dormnet.expectations, dormnet.frames
import dormnet.display, dormnet.io.convert, dormnet.simulate, dormnet.stochastic_screen
from dormnet.cli import main
for args in (["fixed-points", {str(TOGGLE)!r}], ["landscape", {str(TOGGLE)!r}],
             ["screen", {str(TOGGLE)!r}, "--processes", "1"]):
    try:
        main(args, standalone_mode=False)
    except SystemExit as e:
        assert not e.code, e
from dormnet.bundle import load_bundle
from dormnet.analysis import analyse
analyse(load_bundle({str(TOGGLE)!r}))._repr_html_()
loaded = [m for m in ("pandas", "colomoto", "mpbn") if m in sys.modules]
assert not loaded, loaded
"""
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert r.returncode == 0, r.stderr


# -- HTML -------------------------------------------------------------------------------------


def test_analysis_html_colours_phenotypes_and_shows_values(toggle):
    html = analyse(toggle, Scenario("neutral"), query="fixed-points")._repr_html_()
    root = well_formed(html)
    assert len(root.findall(".//tbody/tr")) == 3
    assert PHENOTYPE_COLOURS["dormant"] in html and PHENOTYPE_COLOURS["proliferative"] in html
    heads = [th.text for th in root.findall(".//th")]
    assert heads == ["#", "phenotypes", "kind", "states", "u", "v", "A", "B", "R"]
    assert "fixed points (neutral)" in html and "3 results" in html


def test_large_results_are_cut_and_say_how_many():
    # n independent inputs: 2^n fixed points, one per state
    n = 6
    net = BooleanNetwork({f"x{i}": f"x{i}" for i in range(n)})
    result = analyse(Bundle(net), query="fixed-points")
    assert len(result) == 2**n
    root = well_formed(html := result._repr_html_())
    assert len(root.findall(".//tbody/tr")) == MAX_ROWS
    assert f"showing {MAX_ROWS} of {2**n} results" in html
    assert len(result.to_frame()) == 2**n  # the frame has them all


def test_many_nodes_show_the_varying_ones_and_list_the_others():
    # a cascade from two inputs: with MAX_NODE_COLUMNS + 10 nodes, only a and b vary
    k = MAX_NODE_COLUMNS + 10
    rules = {"a": "a", "b": "b", "c0": "a & b"} | {f"c{i}": f"c{i - 1}" for i in range(1, k)}
    net = BooleanNetwork(rules)
    phen = phenotypes_from_rules(net, ["dormant=!c0"])
    result = analyse(
        Bundle(net, phenotypes=phen), Scenario(clamps=(("a", 1),)), query="fixed-points"
    )
    assert len(result) == 2  # b = 0 (all c off) or b = 1 (all c on)
    root = well_formed(html := result._repr_html_())
    heads = [th.text for th in root.findall(".//th")]
    # b and every c vary: the first MAX_NODE_COLUMNS of them are columns, a is listed
    varying = ["b"] + [f"c{i}" for i in range(k)]
    assert heads == ["#", "phenotypes", "kind", "states", *varying[:MAX_NODE_COLUMNS]]
    assert f"{len(varying) - MAX_NODE_COLUMNS} more varying nodes are not shown" in html
    assert f"1 of {k + 2} nodes take the same value in every row shown: 1: a" in html


def test_one_result_over_many_nodes_lists_the_values():
    k = MAX_NODE_COLUMNS + 5
    net = BooleanNetwork({"a": "1", **{f"c{i}": "a" for i in range(k)}, "z": "0", "o": "!o"})
    result = analyse(Bundle(net), update="sync")
    assert len(result) == 1
    html = result._repr_html_()
    well_formed(html)
    assert f"values of the {k + 3} nodes: 1: a, c0," in html
    assert "0: z; *: o" in html


def test_landscape_screen_and_validation_html(toggle):
    html = landscape(toggle)._repr_html_()
    assert len(well_formed(html).findall(".//tbody/tr")) == 3 and "3 contexts" in html
    rows = screen(toggle, interventions(toggle), processes=1)
    html = rows._repr_html_()
    root = well_formed(html)
    assert len(root.findall(".//tbody/tr")) == min(len(rows), MAX_ROWS)
    assert f"{len(rows)} rows: " in html
    assert any(SWITCH_COLOURS[r.switch] in html for r in rows)
    html = check_expectations(toggle, ids=NON_TEMPORAL)._repr_html_()
    assert len(well_formed(html).findall(".//tbody/tr")) == 3
    assert "3/3 expectations pass" in html or "expectations pass" in html


def test_network_html_lists_rules_escaped_and_cut():
    net = BooleanNetwork({"a": "a", "b": "a & !b", "k": "1"})
    root = well_formed(html := net._repr_html_())
    assert [td.text for td in root.findall(".//tbody/tr/td[1]")] == ["a", "b", "k"]
    assert [td.text for td in root.findall(".//tbody/tr/td[2]")] == [
        "input",
        "internal",
        "constant",
    ]
    assert "a &amp; !b" in html and "3 nodes, 1 input, 1 constant" in html
    big = BooleanNetwork({f"x{i}": f"x{i}" for i in range(MAX_NODES + 5)})
    html = big._repr_html_()
    assert len(well_formed(html).findall(".//tbody/tr")) == MAX_NODES
    assert f"showing {MAX_NODES} of {MAX_NODES + 5} nodes" in html


def test_result_types_are_still_lists(toggle):
    # the list subclasses change nothing for code that used plain lists
    result = analyse(toggle, query="fixed-points")
    assert isinstance(result, Analysis) and isinstance(result, list)
    rows = landscape(toggle)
    assert rows == list(rows) and [r.label for r in rows] == ["neutral", "pushA", "pushB"]


@pytest.mark.parametrize(
    "make, argv",
    [
        (
            lambda b: __import__("dormnet.switch", fromlist=["switch"]).switch(
                b, ["pushA", "neutral", "pushB"]
            ),
            ["switch", str(TOGGLE), "--from", "pushA", "--to", "neutral", "--then", "pushB"],
        ),
        (
            lambda b: __import__("dormnet.switch", fromlist=["x"]).transition_matrix(b),
            ["switch", str(TOGGLE), "--all-contexts"],
        ),
        (
            lambda b: __import__("dormnet.basins", fromlist=["basins"]).basins(
                b, Scenario("neutral")
            ),
            ["basins", str(TOGGLE), "--context", "neutral"],
        ),
        (
            lambda b: __import__("dormnet.control", fromlist=["control"]).control(
                b, to="proliferative", max_size=2
            ),
            ["control", str(TOGGLE), "--to", "proliferative", "--max-size", "2"],
        ),
    ],
    ids=["schedule", "transitions", "basins", "control"],
)
def test_dynamics_and_control_frames_equal_the_cli_tsv(toggle, make, argv):
    """Switches, transition matrices, basins and control solutions convert in one call, with
    the columns and cells of the command's TSV, and show as HTML with phenotype chips."""
    result = make(toggle)
    df = result.to_frame()
    assert len(df) > 0
    assert frame_tsv(df) == cli_tsv(*argv)
    assert to_frame(result).equals(df)
    html = result._repr_html_()
    assert html.count("<tr") == len(df) + 1
    if {"phenotypes", "before"} & set(df.columns):  # control's table names no phenotype
        assert any(PHENOTYPE_COLOURS[w] in html for w in ("dormant", "proliferative"))
