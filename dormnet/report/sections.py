"""The sections of the report, in page order.

A section is a function of the :class:`~dormnet.report.collect.ReportData` that returns its HTML,
heading (``<h2>``) first, or ``""`` to leave the section (and its link) out; :data:`SECTIONS`
lists them with their anchor and the label of the navigation bar. Adding a section: write one
function here (or in a module of its own) and add one line to :data:`SECTIONS`. Build the HTML
from :mod:`dormnet.report.html` (every text escaped).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import NamedTuple

from ..bundle import Bundle
from .collect import ReportData, output_perturbations, top_hits
from .control import control_section
from .html import esc, img_html, phen_pills, pill, png_bytes, ref_links, table_html
from .switches import switches_section

__all__ = [
    "SECTIONS",
    "Section",
    "landscape_section",
    "model_section",
    "provenance_section",
    "screen_section",
    "simulation_section",
    "validation_section",
]


class Section(NamedTuple):
    """One section of the report page.

    Attributes
    ----------
    anchor : str
        The ``id`` of the ``<section>`` (the navigation links to ``#anchor``).
    label : str
        Its label in the navigation bar.
    render : callable
        ReportData -> the section's HTML, ``<h2>`` first.
    """

    anchor: str
    label: str
    render: Callable[[ReportData], str]


def model_section(data: ReportData) -> str:
    """The model: counts, edge signs and circuits, modules, phenotypes, the network figure.

    Parameters
    ----------
    data : ReportData

    Returns
    -------
    str
        HTML.
    """
    from ..figures import module_groups, network_figure
    from ..graph import graph_summary

    b = data.bundle
    net = b.network
    s = graph_summary(net, circuit_limit=10_000)
    parts: list[str] = ["<h2>Model</h2>"]
    add = parts.append
    n_edges = s["edges"] - sum(1 for n in net.inputs)  # inputs are self-loops
    cards = [
        ("nodes", len(net)),
        ("inputs", len(net.inputs)),
        ("regulatory edges", n_edges),
        ("outputs", len(s["outputs"])),
        ("modules", len(module_groups(b))),
        ("contexts", len(b.contexts)),
        ("drugs", len(b.drugs)),
        ("expectations", len(b.expectations)),
    ]
    add(
        '<div class="cards">'
        + "".join(f'<div class="card"><b>{esc(v)}</b>{esc(k)}</div>' for k, v in cards)
        + "</div>"
    )
    c = s["circuits"]
    scc = s["strongly_connected_components"]
    add(
        f"<p>Edges: {s['edge_signs']['positive']} positive, {s['edge_signs']['negative']} "
        f"negative, {s['edge_signs']['dual']} dual (input self-loops included). Feedback circuits: "
        f"{c['positive']} positive, {c['negative']} negative, {c['dual']} dual"
        f"{'' if c['complete'] else ' (enumeration stopped at the limit)'}. "
        f"Largest strongly connected component: {esc(', '.join(scc[0]) if scc else '-')}.</p>"
    )
    groups = module_groups(b)
    add(
        "<h3>Modules</h3>"
        + table_html(
            ["module", "nodes", "members"],
            [[m, str(len(ns)), ", ".join(ns)] for m, ns in groups.items()],
        )
    )
    if b.phenotypes:
        add(
            "<h3>Phenotypes</h3>"
            + table_html(
                ["phenotype", "rule", "description", "references"],
                [
                    [
                        pill(p.name),
                        f"<code>{esc(p.rule)}</code>",
                        esc(p.description),
                        ref_links(p.references),
                    ]
                    for p in b.phenotypes.values()
                ],
                raw=True,
            )
        )
        add(
            '<p class="muted">An attractor carries a phenotype when the rule holds in all of its '
            "states; <i>undetermined</i> when it carries none.</p>"
        )
    add("<h3>Interaction graph</h3>")
    add(img_html(png_bytes(network_figure(b)), "interaction graph grouped by module"))
    return "".join(parts)


def landscape_section(data: ReportData) -> str:
    """The attractors of every context: the landscape figure and a table of contexts.

    Parameters
    ----------
    data : ReportData

    Returns
    -------
    str
        HTML.
    """
    from ..figures import landscape_figure

    b = data.bundle
    parts: list[str] = [f"<h2>Landscape across contexts ({esc(data.update)} attractors)</h2>"]
    add = parts.append
    if data.landscape:
        add(
            img_html(
                png_bytes(landscape_figure(b, data.landscape, update=data.update)),
                "attractor states per context",
            )
        )
        rows = []
        for row in data.landscape:
            label, values, cas = row.label, row.inputs, row.attractors
            ctx = b.contexts.get(label)
            rows.append(
                [
                    f"<b>{esc(label)}</b>",
                    esc(ctx.description if ctx else ""),
                    esc(", ".join(f"{k}={v}" for k, v in (ctx.named if ctx else values).items())),
                    str(len(cas)),
                    "<br>".join(
                        phen_pills("+".join(ca.phenotypes)) + f' <span class="muted">'
                        f"{esc(ca.attractor.kind)}</span>"
                        for ca in cas
                    )
                    or pill("none"),
                    ref_links(ctx.references) if ctx else "",
                ]
            )
        add(
            table_html(
                ["context", "description", "inputs set", "attractors", "phenotypes", "references"],
                rows,
                raw=True,
            )
        )
    return "".join(parts)


def screen_section(data: ReportData) -> str:
    """The perturbation screen: single and drug hits by class, drugs per context, pairs.

    Parameters
    ----------
    data : ReportData

    Returns
    -------
    str
        HTML.
    """
    b = data.bundle
    parts: list[str] = ["<h2>Perturbation screen</h2>"]
    add = parts.append
    if not data.singles:
        add(
            '<p class="note">No screen: '
            + esc("; ".join(n for n in data.notes if "screen" in n) or "not run")
            + "</p>"
        )
    else:
        add(_screen_html(b, data, output_perturbations(b)))
    return "".join(parts)


def simulation_section(data: ReportData) -> str:
    """Last-window phenotype probabilities per context, and the time course of the first
    (nothing when no simulation was run).

    Parameters
    ----------
    data : ReportData

    Returns
    -------
    str
        HTML, or ``""``.
    """
    if not data.simulation:
        return ""
    from ..figures.simulation import simulation_figure
    from .collect import REPORT_TRAJECTORIES

    ctx0, res0 = data.simulation[0]
    words = list(res0.phenotypes)
    rows = []
    for ctx, res in data.simulation:
        f, e = res.final["phenotypes"], res.final_stderr["phenotypes"]
        rows.append([ctx] + [f"{f[w]:.3f} ± {1.96 * e[w]:.3f}" for w in words])
    s = res0.settings
    how = (
        "the exact solution"
        if res0.method == "exact"
        else f"{REPORT_TRAJECTORIES:,} trajectories per context"
    )
    intro = (
        f"<p>Population view: {how} of the "
        "continuous-time Markov chain with MaBoSS semantics (unit rates, every non-input node "
        f"starting at 0 or 1 with probability 1/2), probabilities averaged over the last window "
        f"[{s['max_time'] - s['time_step']:g}, {s['max_time']:g}), with 95% confidence "
        "half-widths; <code>dormnet simulate</code> gives the whole time course.</p>"
    )
    fig = simulation_figure(res0, title=f"context {ctx0}")
    return (
        "<h2>Phenotype probabilities (stochastic simulation)</h2>"
        + intro
        + table_html(["context", *words], rows)
        + img_html(png_bytes(fig), f"phenotype probabilities over time in {ctx0}")
    )


def validation_section(data: ReportData) -> str:
    """The literature expectations, failures first, with a filter box.

    Parameters
    ----------
    data : ReportData

    Returns
    -------
    str
        HTML.
    """
    parts: list[str] = ["<h2>Literature validation</h2>"]
    add = parts.append
    if data.outcomes:
        from ..expectations import summary

        sm = summary(data.outcomes)
        by = sm["by_confidence"]
        add(
            f"<p><b>{sm['passed']} of {sm['total']} expectations pass "
            f"({100 * sm['fraction']:.0f}%)</b>; "
            + ", ".join(
                f"confidence {k}: {v['passed']}/{v['total']}" for k, v in by.items() if v["total"]
            )
            + ".</p>"
        )
        fails = [o for o in data.outcomes if not o.passed]
        html_rows = []
        for o in sorted(data.outcomes, key=lambda o: o.passed):  # failures first
            e = o.expectation
            cells = [
                e.id,
                e.confidence,
                e.claim,
                o.observed if not o.error else "error: " + o.error,
            ]
            html_rows.append(
                f'<tr><td class="{"pass" if o.passed else "fail"}">'
                f"{'pass' if o.passed else 'FAIL'}</td>"
                + "".join(f"<td>{esc(x)}</td>" for x in cells)
                + f"<td>{ref_links(e.references)}</td><td>{esc(e.note)}</td></tr>"
            )
        add(
            f'<p class="muted">{len(fails)} failing first. Filter: </p>'
            '<input class="filter" type="search" placeholder="filter expectations (e.g. HCQ, H, '
            'bone)" data-table="val-table" data-count="val-count">'
            '<span id="val-count" class="muted"></span>'
        )
        add(
            '<table id="val-table"><thead><tr>'
            + "".join(
                f"<th>{c}</th>"
                for c in ["result", "id", "conf", "expectation", "observed", "references", "note"]
            )
            + "</tr></thead><tbody>"
            + "".join(html_rows)
            + "</tbody></table>"
        )
    else:
        add(
            '<p class="note">'
            + esc(next((n for n in data.notes if "validation" in n), "no expectations"))
            + "</p>"
        )
    return "".join(parts)


def provenance_section(data: ReportData) -> str:
    """The provenance of every node: rule, regulators with evidence and references, decisions.

    Parameters
    ----------
    data : ReportData

    Returns
    -------
    str
        HTML.
    """
    return "<h2>Provenance of each node</h2>" + _provenance_html(data.bundle)


#: the page's sections in order: one line per section
SECTIONS: tuple[Section, ...] = (
    Section("summary", "Model", model_section),
    Section("landscape", "Landscape", landscape_section),
    Section("switches", "Switches", switches_section),
    Section("screen", "Screen", screen_section),
    Section("control", "Control", control_section),
    Section("simulation", "Simulation", simulation_section),
    Section("validation", "Validation", validation_section),
    Section("provenance", "Provenance", provenance_section),
)


def _screen_html(b: Bundle, data: ReportData, exclude: set[str]) -> str:
    from ..figures import screen_figure

    out: list[str] = []
    add = out.append
    rows = data.singles
    contexts = list(dict.fromkeys(r.context for r in rows))
    before = {r.context: r.before for r in rows}
    n_pert = len({r.perturbation for r in rows})
    counts = Counter(r.switch for r in rows)
    add(
        f"<p>{n_pert} single perturbations (knockout and overexpression of every non-input node"
        f"{', and every drug' if b.drugs else ''}) in {len(contexts)} contexts: "
        + ", ".join(f"{pill(k)} {v}" for k, v in counts.most_common())
        + ".</p>"
    )
    add(
        '<p class="muted">Switch classes: <i>dormancy-inducing</i>: a proliferative context '
        "becomes dormant; <i>awakening</i>: a dormant context gains a proliferative attractor; "
        "<i>eliminating</i>: every attractor is apoptotic. Hit lists leave out knockouts and "
        "overexpressions of output nodes (phenotype readouts).</p>"
    )
    add(
        img_html(
            png_bytes(screen_figure([r for r in rows if r.perturbation not in exclude])),
            "single perturbation screen",
        )
    )
    dormant_ctx = [c for c in contexts if "dormant" in before[c].split("+")]
    sections = [
        (
            "Dormancy-locking (dormancy-inducing in permissive, proliferative contexts)",
            "dormancy-inducing",
            None,
        ),
        ("Awakening (a dormant context becomes proliferative)", "awakening", None),
        ("Dormant-cell eliminating (apoptotic where cells were dormant)", "eliminating", "dormant"),
    ]
    for title, cls, bef in sections:
        hits = top_hits(rows, cls, exclude=exclude, before=bef, limit=15)
        add(f"<h3>{esc(title)}</h3>")
        if not hits:
            add('<p class="muted">none</p>')
            continue
        of = len(dormant_ctx) if bef else len(contexts)
        add(
            table_html(
                ["perturbation", "contexts", "where"],
                [[h.perturbation, f"{h.count} of {of}", ", ".join(h.contexts)] for h in hits],
            )
        )
    if b.drugs:
        add("<h3>Drugs in every context</h3>")
        cell = {(r.perturbation, r.context): r for r in rows}
        drows = []
        for d in b.drugs.values():
            tds = []
            for c in contexts:
                r = cell.get((d.name, c))
                sw = r.switch if r else "-"
                tip = f"{c}: {r.before} → {r.after}" if r else c
                tds.append(
                    f'<td title="{esc(tip)}" class="p-{esc(sw.replace(" ", "-"))}">'
                    f"{esc(_abbrev(sw))}</td>"
                )
            clamps = ", ".join(f"{k}={v}" for k, v in d.clamps.items())
            drows.append(
                f"<tr><td><b>{esc(d.name)}</b><br><span class='muted'>{esc(clamps)}</span>"
                f"</td>{''.join(tds)}<td>{ref_links(d.references)}</td></tr>"
            )
        add(
            '<div class="scroll"><table class="sw"><thead><tr><th>drug</th>'
            + "".join(
                f"<th>{esc(c)}<br><span class='muted'>{esc(before[c])}</span></th>"
                for c in contexts
            )
            + "<th>references</th></tr></thead><tbody>"
            + "".join(drows)
            + "</tbody></table></div>"
        )
        add(
            '<p class="muted">D dormancy-inducing, A awakening, E eliminating, L dormancy-losing, '
            "G growth-arresting, O other shift, · no change (hover a cell for before → after).</p>"
        )
    if data.pairs:
        pairs = data.pairs
        syn = [
            r
            for r in pairs
            if r.synergy
            and r.switch != "no change"
            and not exclude.intersection(r.perturbation.split(" + "))
        ]
        add(
            f"<h3>Pairs: {len({r.perturbation for r in pairs})} combinations, "
            f"{len({r.perturbation for r in syn})} with a synergistic effect</h3>"
        )
        add(
            '<p class="muted">Synergistic: the pair changes the phenotypes in a way that '
            "neither perturbation does alone in that context.</p>"
        )
        add(
            img_html(
                png_bytes(screen_figure(pairs, exclude=sorted(exclude))), "synergistic pairs matrix"
            )
        )
        for title, cls, bef in [
            ("Synergistic dormancy-locking pairs", "dormancy-inducing", None),
            ("Synergistic awakening pairs", "awakening", None),
            ("Synergistic dormant-cell eliminating pairs", "eliminating", "dormant"),
        ]:
            hits = top_hits(pairs, cls, exclude=exclude, before=bef, synergy_only=True, limit=15)
            add(f"<h3>{esc(title)}</h3>")
            if not hits:
                add('<p class="muted">none</p>')
                continue
            add(
                table_html(
                    ["pair", "contexts", "where"],
                    [[h.perturbation, str(h.count), ", ".join(h.contexts)] for h in hits],
                )
            )
        drug_names = set(b.drugs)
        combos = [
            r
            for r in pairs
            if set(r.perturbation.split(" + ")) <= drug_names and r.switch != "no change"
        ]
        if combos:
            add("<h3>Drug combinations with an effect</h3>")
            by: dict[str, list] = defaultdict(list)
            for r in combos:
                by[r.perturbation].append(r)
            add(
                table_html(
                    ["combination", "effects", "synergistic in"],
                    [
                        [
                            p,
                            "; ".join(f"{r.context}: {r.switch}" for r in rs),
                            ", ".join(r.context for r in rs if r.synergy) or "-",
                        ]
                        for p, rs in sorted(by.items(), key=lambda kv: -len(kv[1]))[:25]
                    ],
                )
            )
    return "".join(out)


def _abbrev(switch: str) -> str:
    return {
        "dormancy-inducing": "D",
        "awakening": "A",
        "eliminating": "E",
        "dormancy-losing": "L",
        "growth-arresting": "G",
        "other shift": "O",
        "no change": "·",
        "no attractor": "∅",
    }.get(switch, switch)


def _provenance_html(b: Bundle) -> str:
    net = b.network
    by_target: dict[str, list] = defaultdict(list)
    for e in b.provenance:
        by_target[e.target].append(e)
    rows = []
    for n in net.nodes:
        info = b.nodes.get(n)
        rule = net.rule(n)
        desc = esc(info.description) if info else ""
        ids = []
        if info and info.hgnc:
            ids.append(f"HGNC {esc(info.hgnc)}")
        if info and info.uniprot:
            ids.append(f"UniProt {esc(info.uniprot)}")
        regs = []
        for e in by_target.get(n, []):
            who = "(input)" if e.regulator == "-" else e.regulator
            regs.append(
                f"<li><b>{esc(who)}</b> {esc(e.sign)} · evidence {esc(e.evidence or '?')}"
                f", confidence {esc(e.confidence or '?')} · {ref_links(e.references)}"
                + (f'<br><span class="muted">{esc(e.note)}</span>' if e.note else "")
                + "</li>"
            )
        if not regs and rule.references:
            regs.append(f"<li>rule cites {ref_links(rule.references)}</li>")
        decisions = ", ".join(f"{d.id} {d.title}" for d in b.decisions_of(n)) if b.decisions else ""
        rows.append(
            [
                f"<b>{esc(n)}</b>",
                esc(info.module if info else ""),
                esc(info.kind if info else ("input" if n in net.inputs else "")),
                desc + (f'<br><span class="muted">{" · ".join(ids)}</span>' if ids else ""),
                f"<code>{esc(rule.function)}</code>",
                f'<ul class="regs">{"".join(regs)}</ul>'
                if regs
                else '<span class="muted">no provenance recorded</span>',
                esc(decisions),
            ]
        )
    out = [
        (
            '<input class="filter" type="search" placeholder="filter nodes, regulators, '
            'references (e.g. NR2F1, PMID:24161934, evidence H)" data-table="prov-table" '
            'data-count="prov-count"> <span id="prov-count" class="muted"></span>'
        ),
        table_html(
            [
                "node",
                "module",
                "kind",
                "description",
                "rule",
                "regulators and sources",
                "decisions",
            ],
            rows,
            raw=True,
            ident="prov-table",
        ),
    ]
    if b.decisions:
        out.append("<h3>Design decisions</h3>")
        out.append(
            table_html(
                ["id", "decision", "choice", "reason", "references"],
                [
                    [esc(d.id), esc(d.title), esc(d.choice), esc(d.reason), ref_links(d.references)]
                    for d in b.decisions
                ],
                raw=True,
            )
        )
    return "".join(out)
