"""Screen the bundled dormancy model and write the tables and heatmaps of analyses/results/.

    python analyses/run_screens.py [--processes N] [--no-docs]

Runs, on networks/dormancy.bnet (model v2: 109 nodes, 24 named contexts):
  1. the landscape of the named contexts (exact asynchronous attractors);
  2. every single knockout / overexpression of a non-input node and every drug, in every context;
  3. every pair of those (about 15,000 pairs x 24 contexts), minimal trap spaces;
  4. the CLEVER-trial drugs (hydroxychloroquine, everolimus, both) re-checked with exact
     asynchronous attractors in every context;
and writes (analyses/results/):
  singles.tsv             every single perturbation and drug in every context (screen rows)
  pairs.tsv.gz            the whole pair screen, gzipped
  pairs_synergistic.tsv   pairs whose effect no part has alone (synergy = true), with an effect
  top_hits.tsv            ranked hits: dormancy-locking, awakening, dormant-cell eliminating
                          (singles, drugs, synergistic pairs), output-node clamps left out
  clever.tsv              HCQ, everolimus and HCQ + everolimus per context, mp and async
  *.png                   heatmaps: singles, drugs, pair matrix, landscape
and, unless --no-docs, the README figures under docs/figures/ (compact PNGs).
Deterministic: the same model gives the same tables.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from dormnet.analysis import Scenario, analyse
from dormnet.bundle import load_bundle
from dormnet.expectations import check_expectations as validate
from dormnet.figures import (
    landscape_rows,
    plot_landscape,
    plot_network,
    plot_screen,
    plot_validation,
)
from dormnet.io.screen_rows import ROW_FIELDS, write_rows
from dormnet.report import output_perturbations, top_hits
from dormnet.screen import interventions, screen

RESULTS = ROOT / "analyses" / "results"
DOCS = ROOT / "docs" / "figures"
CLEVER = (("hydroxychloroquine",), ("everolimus",), ("hydroxychloroquine", "everolimus"))


def rows_tsv(rows) -> str:
    buf = io.StringIO()
    write = csv.writer(buf, delimiter="\t", lineterminator="\n")
    write.writerow(ROW_FIELDS)
    for r in rows:
        write.writerow(
            [
                ""
                if getattr(r, k) is None
                else str(getattr(r, k)).lower()
                if isinstance(getattr(r, k), bool)
                else getattr(r, k)
                for k in ROW_FIELDS
            ]
        )
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--processes", type=int, default=None)
    ap.add_argument("--no-docs", action="store_true", help="do not rewrite docs/figures/")
    args = ap.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    b = load_bundle()
    t0 = time.perf_counter()
    exclude = output_perturbations(b)

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - t0:6.1f} s] {msg}", file=sys.stderr)

    log("landscape")
    land = landscape_rows(b)
    plot_landscape(b, RESULTS / "landscape.png", rows=land, compact=True)

    log("single screen")
    singles = screen(b, interventions(b, sizes=(1,), drugs="all"), processes=args.processes)
    write_rows(singles, RESULTS / "singles.tsv", "tsv")
    plot_screen(
        [r for r in singles if not r.perturbation.endswith(("-KO", "-OE"))],
        RESULTS / "drugs_heatmap.png",
        compact=True,
        title="drugs: switch class per context (phenotype before in brackets)",
    )
    plot_screen(
        [r for r in singles if r.perturbation not in exclude],
        RESULTS / "singles_heatmap.png",
        compact=True,
    )

    log("pair screen")
    pairs = screen(b, interventions(b, sizes=(2,), drugs="all"), processes=args.processes)
    with gzip.GzipFile(RESULTS / "pairs.tsv.gz", "wb", mtime=0) as fh:
        fh.write(rows_tsv(pairs).encode())
    syn = [r for r in pairs if r.synergy and r.switch != "no change"]
    write_rows(syn, RESULTS / "pairs_synergistic.tsv", "tsv")
    plot_screen(pairs, RESULTS / "pairs_matrix.png", exclude=sorted(exclude), compact=True)

    log("top hits")
    lines = ["kind\tswitch\trank\tperturbation\tcontexts\tn_contexts\tof"]
    contexts = list(dict.fromkeys(r.context for r in singles))
    # contexts with a dormant attractor: ``before`` is "w+w|w" (attractors split by "|")
    dormant_ctx = {r.context for r in singles if "dormant" in re.split(r"[+|]", r.before)}
    for kind, rows, syn_only in (
        ("single", [r for r in singles if r.perturbation.endswith(("-KO", "-OE"))], False),
        ("drug", [r for r in singles if not r.perturbation.endswith(("-KO", "-OE"))], False),
        ("pair", pairs, True),
    ):
        for cls, before in (
            ("dormancy-inducing", None),
            ("awakening", None),
            ("eliminating", "dormant"),
        ):
            of = len(dormant_ctx) if before else len(contexts)
            for i, h in enumerate(
                top_hits(
                    rows, cls, exclude=exclude, before=before, synergy_only=syn_only, limit=25
                ),
                1,
            ):
                lines.append(
                    f"{kind}\t{cls}\t{i}\t{h.perturbation}\t{','.join(h.contexts)}\t{h.count}\t{of}"
                )
    (RESULTS / "top_hits.tsv").write_text("\n".join(lines) + "\n")

    log("CLEVER drugs, exact asynchronous attractors")
    cell = {(r.context, r.perturbation): r for r in singles + pairs}
    out = ["context\tbefore\tdrugs\tafter_mp\tswitch_mp\tsynergy\tafter_async\tasync_attractors"]
    for ctx in b.contexts:
        base = "+".join(
            sorted({w for ca in analyse(b, Scenario(context=ctx)) for w in ca.phenotypes})
        )
        for drugs in CLEVER:
            label = " + ".join(drugs)
            r = cell.get((ctx, label)) or cell.get((ctx, " + ".join(reversed(drugs))))
            cas = analyse(b, Scenario(context=ctx, drugs=drugs))
            after = "|".join(sorted({"+".join(ca.phenotypes) for ca in cas}))
            sy = "" if r is None or r.synergy is None else str(r.synergy).lower()
            out.append(
                f"{ctx}\t{base}\t{label}\t{r.after if r else '?'}\t{r.switch if r else '?'}"
                f"\t{sy}\t{after}\t{len(cas)}"
            )
    (RESULTS / "clever.tsv").write_text("\n".join(out) + "\n")

    if not args.no_docs:
        log("README figures")
        DOCS.mkdir(parents=True, exist_ok=True)
        plot_network(b, DOCS / "network.png", compact=True)
        plot_landscape(b, DOCS / "landscape.png", rows=land, compact=True)
        plot_screen(
            [r for r in singles if r.perturbation not in exclude], DOCS / "screen.png", compact=True
        )
        plot_validation(validate(b), DOCS / "validation.png", compact=True)
    counts = Counter(r.switch for r in pairs)
    log(
        f"done: {len(singles)} single rows, {len(pairs)} pair rows ({dict(counts)}), "
        f"{len(syn)} synergistic pair rows with an effect"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
