"""Every reader either parses or raises dormnet's own error with a location: properties and a
short run of the mutation fuzzer (the long runs are `python fuzz/fuzz_readers.py --runs N`)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dormnet.errors import ModelError
from dormnet.io.boolnet import parse_boolnet
from dormnet.io.sbml import parse_sbml

FUZZ = Path(__file__).resolve().parent.parent / "fuzz" / "fuzz_readers.py"


def _fuzz_module():
    spec = importlib.util.spec_from_file_location("fuzz_readers", FUZZ)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_boolnet_reader_raises_only_model_errors(text):
    try:
        parse_boolnet(text, "x.bn")
    except ModelError as e:
        assert e.problems and all(str(p).startswith("x.bn") for p in e.problems)


XML_PIECES = st.sampled_from(
    [
        "<?xml version='1.0'?>",
        "<sbml xmlns='http://www.sbml.org/sbml/level3/version1/core' level='3' version='1'>",
        "</sbml>",
        "<model>",
        "</model>",
        "<qual:listOfQualitativeSpecies>",
        "<qual:qualitativeSpecies qual:id='a' qual:maxLevel='1' qual:constant='false'/>",
        "<!DOCTYPE x [<!ENTITY a 'aaaaaaaa'>]>",
        "&a;",
        "<",
        ">",
        "'",
        "\x00",
        "é",
    ]
)


@given(st.lists(XML_PIECES, max_size=12).map("".join))
@settings(max_examples=300, deadline=None)
def test_sbml_reader_raises_only_model_errors(text):
    try:
        parse_sbml(text.encode("utf-8", "replace"), "x.sbml")
    except ModelError as e:
        assert e.problems and all(str(p).startswith("x.sbml") for p in e.problems)


def test_mutation_fuzzer_short_run():
    fuzz = _fuzz_module()
    seeds = fuzz.seeds()  # real models, not only the built-in one-liners
    assert len(seeds["bnet"]) == 31 and len(seeds["sbml"]) == 4
    tried = fuzz.run_mutation(240, seed=1)
    assert tried == 240
