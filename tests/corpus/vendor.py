"""Refresh the vendored test corpus (``tests/corpus``) from the full bench corpus.

Copies every model of up to ``--max-nodes`` nodes (and the published SBML-qual file of each, where
the full corpus has one) and writes ``MANIFEST.tsv`` (source, commit, publication, licence,
SHA-256 of each file) and ``counts.tsv`` (the full corpus's rows for these models)::

    python tests/corpus/vendor.py /work/shared/bench --max-nodes 60

The vendored copies are byte-identical to the full corpus's files; ``tests/test_corpus.py``
checks the hashes, and compares the copies with the full corpus where it is present.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: where each source's files come from, beyond what the full corpus's MANIFEST says
SOURCES = {
    "pyboolnet": {
        "repository": "https://github.com/hklarner/pyboolnet",
        "commit": "release 3.0.16 (PyPI); the file is its prime implicants written as BNET",
        "licence": "LGPL (pyboolnet's licence; the bundled models carry no separate licence)",
    },
    "sybila/biodivine-boolean-models": {
        "repository": "https://github.com/sybila/biodivine-boolean-models",
        "commit": "314b2fed9468",
        "licence": "none stated (BBM has no licence file; each model cites its publication)",
    },
}

FIELDS = [
    "file",
    "kind",
    "nodes",
    "inputs",
    "repository",
    "source_path",
    "source_commit",
    "publication",
    "licence",
    "sha256",
    "notes",
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bench", type=Path, help="the full corpus (MANIFEST.tsv, models/, sbml/)")
    ap.add_argument("--max-nodes", type=int, default=60)
    args = ap.parse_args()
    with (args.bench / "MANIFEST.tsv").open() as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t")]
    chosen = sorted(
        (r for r in rows if int(r["nodes"]) <= args.max_nodes),
        key=lambda r: (int(r["nodes"]), r["file"]),
    )
    for sub in ("models", "sbml"):
        shutil.rmtree(HERE / sub, ignore_errors=True)
        (HERE / sub).mkdir()
    out = []
    for r in chosen:
        src = SOURCES[r["source_repo"]]
        pairs = [("bnet", args.bench / "models" / r["file"], HERE / "models" / r["file"])]
        sbml = args.bench / "sbml" / (r["file"].removesuffix(".bnet") + ".sbml")
        if sbml.exists():
            pairs.append(("sbml", sbml, HERE / "sbml" / sbml.name))
        for kind, a, b in pairs:
            shutil.copyfile(a, b)
            out.append(
                {
                    "file": f"{b.parent.name}/{b.name}",
                    "kind": kind,
                    "nodes": r["nodes"],
                    "inputs": r["inputs"],
                    "repository": src["repository"],
                    "source_path": r["source_path"].replace("model.bnet", "model.sbml")
                    if kind == "sbml"
                    else r["source_path"],
                    "source_commit": src["commit"],
                    "publication": r["publication"],
                    "licence": src["licence"],
                    "sha256": sha256(b),
                    "notes": r["notes"],
                }
            )
    with (HERE / "MANIFEST.tsv").open("w", newline="") as fh:
        w = csv.DictWriter(fh, FIELDS, delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    names = {r["file"] for r in chosen}
    with (args.bench / "counts.tsv").open() as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        counts = [c for c in reader if c["model"] in names]
        header = reader.fieldnames or []
    with (HERE / "counts.tsv").open("w", newline="") as fh:
        w = csv.DictWriter(fh, header, delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(counts)
    print(f"{len(chosen)} models, {sum(1 for o in out if o['kind'] == 'sbml')} SBML files")


if __name__ == "__main__":
    main()
