"""One self-contained HTML report of a model: summary, landscape, screen hits, validation and
provenance.

:func:`write_report` writes ``DIR/index.html``: the figures are embedded as base64 PNG, the styles
and the few lines of script (a filter box for the provenance table, a self-check that every
figure decoded) are inline, so the page opens from disk with no network access. Reference links
(PubMed, doi.org) are ordinary links: nothing is fetched to display the page.

The screen hit tables leave out perturbations of the model's output nodes (``kind = output`` in
the node table): clamping a phenotype readout such as ``Apoptosis`` is not an intervention.
"""

from __future__ import annotations

import base64
import html
import os
import platform
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .bundle import Bundle
from .errors import DormnetError

if TYPE_CHECKING:
    from .io.screen_rows import ScreenRow
    from .render import Table

__all__ = [
    "Hit",
    "ReportData",
    "collect",
    "reference_url",
    "render_report",
    "top_hits",
    "write_report",
]

HIT_CLASSES = ("dormancy-inducing", "awakening", "eliminating")


@dataclass
class ReportData:
    """Everything the report shows, computed once (or passed in by a caller that has it)."""

    bundle: Bundle
    update: str = "async"
    landscape: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)
    singles: list = field(default_factory=list)  # ScreenRow, size 1 (nodes and drugs)
    pairs: list = field(default_factory=list)  # ScreenRow, size 2
    notes: list[str] = field(default_factory=list)  # what was skipped and why
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    """A perturbation with the contexts where it has one switch class."""

    perturbation: str
    switch: str
    contexts: tuple[str, ...]
    synergy: bool | None = None

    @property
    def count(self) -> int:
        return len(self.contexts)


def reference_url(ref: str) -> str | None:
    """The web address of a ``PMID:n`` or ``DOI:x`` reference.

    Examples
    --------
    >>> reference_url("PMID:24161934")
    'https://pubmed.ncbi.nlm.nih.gov/24161934/'
    >>> reference_url("DOI:10.1038/ncb2861")
    'https://doi.org/10.1038/ncb2861'
    """
    kind, _, ident = ref.partition(":")
    if kind.upper() == "PMID" and ident.strip().isdigit():
        return f"https://pubmed.ncbi.nlm.nih.gov/{ident.strip()}/"
    if kind.upper() == "DOI" and ident.strip():
        return f"https://doi.org/{ident.strip()}"
    return None


def output_perturbations(bundle: Bundle) -> set[str]:
    """Labels of knockouts and overexpressions of output nodes (readouts, not interventions)."""
    outs = {n for n, i in bundle.nodes.items() if i.kind == "output"}
    return {f"{n}-{k}" for n in outs for k in ("KO", "OE")}


def top_hits(
    rows: Iterable[ScreenRow],
    switch: str,
    *,
    exclude: Iterable[str] = (),
    before: str | None = None,
    synergy_only: bool = False,
    limit: int | None = 15,
) -> list[Hit]:
    """Perturbations ranked by the number of contexts where they give ``switch``.

    ``before`` keeps only contexts whose phenotype before the perturbation includes that word
    (e.g. ``"dormant"`` for dormant-cell elimination); ``synergy_only`` keeps only combinations
    whose effect none of their parts has alone. Rows involving an excluded label are skipped.

    Examples
    --------
    >>> from dormnet.screen import ScreenRow
    >>> rows = [ScreenRow("bm", "p38-KO", 1, 1, "dormant", 1, "proliferative", "awakening",
    ...                   None, "percolation")]
    >>> top_hits(rows, "awakening")[0].contexts
    ('bm',)
    """
    drop = set(exclude)
    ctx: dict[str, list[str]] = defaultdict(list)
    syn: dict[str, bool | None] = {}
    for r in rows:
        if r.switch != switch or drop.intersection(r.perturbation.split(" + ")):
            continue
        if before is not None and before not in r.before.replace("|", "+").split("+"):
            continue
        if synergy_only and not r.synergy:
            continue
        ctx[r.perturbation].append(r.context)
        syn[r.perturbation] = r.synergy
    hits = [Hit(p, switch, tuple(cs), syn[p]) for p, cs in ctx.items()]
    hits.sort(key=lambda h: (-h.count, h.perturbation))
    return hits[:limit] if limit is not None else hits


def collect(
    bundle: Bundle,
    *,
    update: str = "async",
    double: bool = True,
    processes: int | None = None,
    timeout: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReportData:
    """Run what the report shows: landscape, validation, single + drug screen, pair screen."""
    from .figures import landscape_rows
    from .screen import interventions, screen
    from .expectations import check_expectations

    data = ReportData(bundle, update)
    say = progress or (lambda text: None)

    t = time.perf_counter()
    say("landscape")
    data.landscape = landscape_rows(bundle, update=update, timeout=timeout)
    data.seconds["landscape"] = time.perf_counter() - t
    if bundle.expectations:
        t = time.perf_counter()
        say(f"validation ({len(bundle.expectations)} expectations)")
        data.outcomes = check_expectations(bundle, timeout=timeout)
        data.seconds["validation"] = time.perf_counter() - t
    else:
        data.notes.append("no expectations file beside the model: validation skipped")
    if bundle.phenotypes:
        t = time.perf_counter()
        drugs = "all" if bundle.drugs else None
        items = interventions(bundle, sizes=(1,), drugs=drugs)
        say(f"single screen ({len(items)} perturbations)")
        data.singles = screen(bundle, items, processes=processes)
        data.seconds["single screen"] = time.perf_counter() - t
        if double:
            t = time.perf_counter()
            items = interventions(bundle, sizes=(2,), drugs=drugs)
            say(f"pair screen ({len(items)} pairs)")
            data.pairs = screen(bundle, items, processes=processes)
            data.seconds["pair screen"] = time.perf_counter() - t
        else:
            data.notes.append("pair screen not run (--no-double)")
    else:
        data.notes.append(
            "no phenotypes file beside the model: screens skipped "
            "(a screen classifies phenotype shifts)"
        )
    return data


def summary_table(data: ReportData, path: Path) -> Table:
    """What ``dormnet report`` prints after writing the page: the file, the expectations, the
    top hits and the time each part took.

    Parameters
    ----------
    data : ReportData
        From :func:`collect`.
    path : Path
        The written ``index.html``.

    Returns
    -------
    dormnet.render.Table
    """
    from .expectations import summary
    from .render import Table

    ex = output_perturbations(data.bundle)
    rows: list[list[Any]] = [
        ["report", str(path)],
        ["bytes", path.stat().st_size],
        ["contexts", len(data.landscape)],
    ]
    if data.outcomes:
        s = summary(data.outcomes)
        rows.append(["expectations passing", f"{s['passed']}/{s['total']}"])
    for cls in HIT_CLASSES:
        # elimination counts only where cells were dormant, as in the report
        hits = top_hits(
            data.singles,
            cls,
            exclude=ex,
            limit=3,
            before="dormant" if cls == "eliminating" else None,
        )
        if hits:
            rows.append([f"top {cls}", ", ".join(f"{h.perturbation} ({h.count})" for h in hits)])
    rows += [["note", n] for n in data.notes]
    rows.append(["seconds", ", ".join(f"{k} {v:.1f}" for k, v in data.seconds.items())])
    return Table(f"report of {data.bundle.path}", ["item", "value"], rows)


# -- HTML -------------------------------------------------------------------------------------


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _refs(refs: Iterable[str]) -> str:
    out = []
    for r in refs:
        url = reference_url(r)
        out.append(f'<a href="{_e(url)}">{_e(r)}</a>' if url else _e(r))
    return "; ".join(out)


def _img(png: bytes, alt: str) -> str:
    b64 = base64.b64encode(png).decode("ascii")
    return (
        f'<div class="fig"><img alt="{_e(alt)}" title="click to zoom" '
        f'src="data:image/png;base64,{b64}"></div>'
    )


def _table(
    cols: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    cls: str = "",
    ident: str | None = None,
    raw: bool = False,
) -> str:
    """An HTML table; cells are escaped unless ``raw`` (then they are HTML already)."""
    head = "".join(f"<th>{_e(c)}</th>" for c in cols)
    body = []
    for r in rows:
        body.append("<tr>" + "".join(f"<td>{c if raw else _e(c)}</td>" for c in r) + "</tr>")
    attrs = (f' class="{cls}"' if cls else "") + (f' id="{ident}"' if ident else "")
    return f"<table{attrs}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _pill(word: str) -> str:
    return f'<span class="pill p-{_e(word.replace(" ", "-"))}">{_e(word)}</span>'


def _phen(text: str) -> str:
    return " ".join(_pill(w) for w in text.replace("|", "+").split("+") if w) or _pill("none")


def _png(fig) -> bytes:
    from .figures import figure_bytes

    return figure_bytes(fig, "png", compact=True)


_CSS = """
:root{--fg:#1d1d1f;--mut:#666;--line:#ddd;--bg:#fff;--acc:#1f4e9c}
*{box-sizing:border-box}
body{font:14px/1.45 -apple-system,"Segoe UI",Roboto,"DejaVu Sans",Helvetica,Arial,sans-serif;
 color:var(--fg);background:var(--bg);margin:0}
header{background:#16324f;color:#fff;padding:18px 28px}
header h1{margin:0 0 4px;font-size:22px} header p{margin:0;opacity:.85}
nav{position:sticky;top:0;background:#f6f7f9;border-bottom:1px solid var(--line);padding:6px 28px;
 z-index:2} nav a{margin-right:14px;color:var(--acc);text-decoration:none;font-weight:600}
main{padding:8px 28px 40px;max-width:1500px}
h2{border-bottom:2px solid #16324f;padding-bottom:3px;margin-top:34px}
h3{margin:22px 0 6px}
table{border-collapse:collapse;margin:8px 0 14px;font-size:12.5px}
th,td{border:1px solid var(--line);padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f0f2f5;position:sticky;top:33px}
tbody tr:nth-child(even){background:#fafafa}
td.num{text-align:right}
code{font-size:12px;background:#f3f3f3;padding:1px 3px;border-radius:3px;word-break:break-word}
a{color:var(--acc)}
.fig{overflow:auto;border:1px solid var(--line);margin:8px 0 16px;background:#fff}
.fig img{display:block;max-width:100%;height:auto;cursor:zoom-in}
.fig img.zoom{max-width:none;cursor:zoom-out}
.pill{display:inline-block;border-radius:9px;padding:0 7px;font-size:11.5px;font-weight:600;
 color:#fff;background:#999;margin:1px 2px 1px 0;white-space:nowrap}
.p-dormant,.p-dormancy-inducing{background:#3d6fb5}.p-proliferative,.p-awakening{background:#d1495b}
.p-apoptotic,.p-eliminating{background:#2b2b2b}.p-emt{background:#9b5fc0}
.p-undetermined,.p-none,.p-no-change{background:#c8c8c8;color:#222}
.p-dormancy-losing{background:#f0a04b}.p-growth-arresting{background:#8cbf6a}
.p-other-shift{background:#c9a7de;color:#222}
.p-no-attractor{background:#fff;color:#222;border:1px solid #999}
.pass{color:#fff;background:#3f9a48;font-weight:700;text-align:center}
.fail{color:#fff;background:#c8382e;font-weight:700;text-align:center}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:130px;
 background:#fbfbfc}
.card b{display:block;font-size:20px}
.muted{color:var(--mut)} .note{background:#fff8e1;border-left:4px solid #f0a04b;padding:6px 10px}
input.filter{font-size:14px;padding:5px 8px;width:380px;max-width:100%;margin:6px 0}
ul.regs{margin:0;padding-left:16px} ul.regs li{margin:1px 0}
.sw td{padding:2px 4px;font-size:11px;text-align:center}
.sw td.p-no-change{background:#f3f3f3;color:#999}
.sw td.p-eliminating,.sw td.p-dormancy-inducing,.sw td.p-awakening{color:#fff;font-weight:700}
.sw td:first-child{text-align:left} .scroll{overflow-x:auto} .scroll th{position:static}
#selfcheck{margin-top:30px;font-size:12px}
"""

# Inline script, kept small: an error trap, the image self-check, click-to-zoom, the filter box.
_JS_HEAD = """window.addEventListener('error',function(e){var d=document.documentElement;
d.setAttribute('data-js-errors',(d.getAttribute('data-js-errors')||'')+
(e.message||'error')+';');});"""
_JS_TAIL = """(function(){
function check(){var imgs=Array.prototype.slice.call(document.images);
var bad=imgs.filter(function(i){return !(i.complete&&i.naturalWidth>0&&i.naturalHeight>0);});
var d=document.documentElement;d.setAttribute('data-figures',(bad.length?'broken:':'ok:')+
(bad.length||imgs.length));var s=document.getElementById('selfcheck');
if(s){s.textContent=bad.length?(bad.length+' of '+imgs.length+' figures failed to display'):
('self-check: all '+imgs.length+' figures displayed');if(bad.length)s.className='note';}}
if(document.readyState==='complete')check();else window.addEventListener('load',check);
Array.prototype.forEach.call(document.querySelectorAll('.fig img'),function(i){
i.addEventListener('click',function(){i.classList.toggle('zoom');});});
Array.prototype.forEach.call(document.querySelectorAll('input.filter'),function(box){
var t=document.getElementById(box.getAttribute('data-table'));
var c=document.getElementById(box.getAttribute('data-count'));
box.addEventListener('input',function(){var q=box.value.toLowerCase().trim().split(/\\s+/);
var n=0;Array.prototype.forEach.call(t.tBodies[0].rows,function(r){
var s=r.textContent.toLowerCase();
var ok=q.every(function(w){return s.indexOf(w)>=0;});r.style.display=ok?'':'none';if(ok)n++;});
if(c)c.textContent=n+' of '+t.tBodies[0].rows.length+' shown';});});
})();"""


def render_report(data: ReportData) -> str:
    """The HTML text of the report."""
    from . import __version__
    from .figures import landscape_figure, module_groups, network_figure
    from .graph import graph_summary

    b = data.bundle
    net = b.network
    name = b.path.name if b.path else "model"
    s = graph_summary(net, circuit_limit=10_000)
    parts: list[str] = []
    add = parts.append
    exclude = output_perturbations(b)

    # -- summary
    add('<section id="summary"><h2>Model</h2>')
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
        + "".join(f'<div class="card"><b>{_e(v)}</b>{_e(k)}</div>' for k, v in cards)
        + "</div>"
    )
    c = s["circuits"]
    scc = s["strongly_connected_components"]
    add(
        f"<p>Edges: {s['edge_signs']['positive']} positive, {s['edge_signs']['negative']} "
        f"negative, {s['edge_signs']['dual']} dual (input self-loops included). Feedback circuits: "
        f"{c['positive']} positive, {c['negative']} negative, {c['dual']} dual"
        f"{'' if c['complete'] else ' (enumeration stopped at the limit)'}. "
        f"Largest strongly connected component: {_e(', '.join(scc[0]) if scc else '-')}.</p>"
    )
    groups = module_groups(b)
    add(
        "<h3>Modules</h3>"
        + _table(
            ["module", "nodes", "members"],
            [[m, str(len(ns)), ", ".join(ns)] for m, ns in groups.items()],
        )
    )
    if b.phenotypes:
        add(
            "<h3>Phenotypes</h3>"
            + _table(
                ["phenotype", "rule", "description", "references"],
                [
                    [
                        _pill(p.name),
                        f"<code>{_e(p.rule)}</code>",
                        _e(p.description),
                        _refs(p.references),
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
    add(_img(_png(network_figure(b)), "interaction graph grouped by module"))
    add("</section>")

    # -- landscape
    add(
        f'<section id="landscape"><h2>Landscape across contexts ({_e(data.update)} attractors)</h2>'
    )
    if data.landscape:
        add(
            _img(
                _png(landscape_figure(b, data.landscape, update=data.update)),
                "attractor states per context",
            )
        )
        rows = []
        for row in data.landscape:
            label, values, cas = row.label, row.inputs, row.attractors
            ctx = b.contexts.get(label)
            rows.append(
                [
                    f"<b>{_e(label)}</b>",
                    _e(ctx.description if ctx else ""),
                    _e(", ".join(f"{k}={v}" for k, v in (ctx.named if ctx else values).items())),
                    str(len(cas)),
                    "<br>".join(
                        _phen("+".join(ca.phenotypes)) + f' <span class="muted">'
                        f"{_e(ca.attractor.kind)}</span>"
                        for ca in cas
                    )
                    or _pill("none"),
                    _refs(ctx.references) if ctx else "",
                ]
            )
        add(
            _table(
                ["context", "description", "inputs set", "attractors", "phenotypes", "references"],
                rows,
                raw=True,
            )
        )
    add("</section>")

    # -- screens
    add('<section id="screen"><h2>Perturbation screen</h2>')
    if not data.singles:
        add(
            '<p class="note">No screen: '
            + _e("; ".join(n for n in data.notes if "screen" in n) or "not run")
            + "</p>"
        )
    else:
        add(_screen_html(b, data, exclude))
    add("</section>")

    # -- validation
    add('<section id="validation"><h2>Literature validation</h2>')
    if data.outcomes:
        from .expectations import summary

        sm = summary(data.outcomes)
        by = sm["by_confidence"]
        add(
            f"<p><b>{sm['passed']} of {sm['total']} expectations pass "
            f"({100 * sm['fraction']:.0f}%)</b>; "  # type: ignore[operator]
            + ", ".join(
                f"confidence {k}: {v['passed']}/{v['total']}" for k, v in by.items() if v["total"]
            )
            + ".</p>"
        )  # type: ignore[union-attr]
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
                + "".join(f"<td>{_e(x)}</td>" for x in cells)
                + f"<td>{_refs(e.references)}</td><td>{_e(e.note)}</td></tr>"
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
            + _e(next((n for n in data.notes if "validation" in n), "no expectations"))
            + "</p>"
        )
    add("</section>")

    # -- provenance
    add('<section id="provenance"><h2>Provenance of each node</h2>')
    add(_provenance_html(b))
    add("</section>")

    timing = ", ".join(f"{k} {v:.1f} s" for k, v in data.seconds.items())
    notes = "".join(f"<li>{_e(n)}</li>" for n in data.notes)
    head = (
        f"{len(net)} nodes, {len(net.inputs)} inputs · "
        f"dormnet {__version__} · {time.strftime('%Y-%m-%d %H:%M')}"
    )
    nav = "".join(
        f'<a href="#{k}">{t}</a>'
        for k, t in [
            ("summary", "Model"),
            ("landscape", "Landscape"),
            ("screen", "Screen"),
            ("validation", "Validation"),
            ("provenance", "Provenance"),
        ]
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dormnet report: {_e(name)}</title>
<script>{_JS_HEAD}</script>
<style>{_CSS}</style></head>
<body><header><h1>dormnet report: {_e(name)}</h1><p>{_e(head)}</p></header>
<nav>{nav}</nav>
<main>
{"".join(parts)}
<section id="about"><h2>How this page was made</h2>
<p>Model file: <code>{_e(b.path) if b.path else "(in memory)"}</code>. Attractors: {_e(data.update)}
updating with each context's inputs fixed (landscape, validation); screens compare minimal trap
spaces (most permissive semantics, which include every fixed point) before and after each
perturbation. Python {_e(platform.python_version())}. Time: {_e(timing or "-")}.</p>
{f"<ul>{notes}</ul>" if notes else ""}
<div id="selfcheck" class="muted">self-check did not run (JavaScript disabled?)</div>
</section>
</main>
<script>{_JS_TAIL}</script>
</body></html>
"""


def _screen_html(b: Bundle, data: ReportData, exclude: set[str]) -> str:
    from .figures import screen_figure

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
        + ", ".join(f"{_pill(k)} {v}" for k, v in counts.most_common())
        + ".</p>"
    )
    add(
        '<p class="muted">Switch classes: <i>dormancy-inducing</i>: a proliferative context '
        "becomes dormant; <i>awakening</i>: a dormant context gains a proliferative attractor; "
        "<i>eliminating</i>: every attractor is apoptotic. Hit lists leave out knockouts and "
        "overexpressions of output nodes (phenotype readouts).</p>"
    )
    add(
        _img(
            _png(screen_figure([r for r in rows if r.perturbation not in exclude])),
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
        add(f"<h3>{_e(title)}</h3>")
        if not hits:
            add('<p class="muted">none</p>')
            continue
        of = len(dormant_ctx) if bef else len(contexts)
        add(
            _table(
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
                    f'<td title="{_e(tip)}" class="p-{_e(sw.replace(" ", "-"))}">'
                    f"{_e(_abbrev(sw))}</td>"
                )
            clamps = ", ".join(f"{k}={v}" for k, v in d.clamps.items())
            drows.append(
                f"<tr><td><b>{_e(d.name)}</b><br><span class='muted'>{_e(clamps)}</span>"
                f"</td>{''.join(tds)}<td>{_refs(d.references)}</td></tr>"
            )
        add(
            '<div class="scroll"><table class="sw"><thead><tr><th>drug</th>'
            + "".join(
                f"<th>{_e(c)}<br><span class='muted'>{_e(before[c])}</span></th>" for c in contexts
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
        add(_img(_png(screen_figure(pairs, exclude=sorted(exclude))), "synergistic pairs matrix"))
        for title, cls, bef in [
            ("Synergistic dormancy-locking pairs", "dormancy-inducing", None),
            ("Synergistic awakening pairs", "awakening", None),
            ("Synergistic dormant-cell eliminating pairs", "eliminating", "dormant"),
        ]:
            hits = top_hits(pairs, cls, exclude=exclude, before=bef, synergy_only=True, limit=15)
            add(f"<h3>{_e(title)}</h3>")
            if not hits:
                add('<p class="muted">none</p>')
                continue
            add(
                _table(
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
                _table(
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
        desc = _e(info.description) if info else ""
        ids = []
        if info and info.hgnc:
            ids.append(f"HGNC {_e(info.hgnc)}")
        if info and info.uniprot:
            ids.append(f"UniProt {_e(info.uniprot)}")
        regs = []
        for e in by_target.get(n, []):
            who = "(input)" if e.regulator == "-" else e.regulator
            regs.append(
                f"<li><b>{_e(who)}</b> {_e(e.sign)} · evidence {_e(e.evidence or '?')}"
                f", confidence {_e(e.confidence or '?')} · {_refs(e.references)}"
                + (f'<br><span class="muted">{_e(e.note)}</span>' if e.note else "")
                + "</li>"
            )
        if not regs and rule.references:
            regs.append(f"<li>rule cites {_refs(rule.references)}</li>")
        decisions = ", ".join(f"{d.id} {d.title}" for d in b.decisions_of(n)) if b.decisions else ""
        rows.append(
            [
                f"<b>{_e(n)}</b>",
                _e(info.module if info else ""),
                _e(info.kind if info else ("input" if n in net.inputs else "")),
                desc + (f'<br><span class="muted">{" · ".join(ids)}</span>' if ids else ""),
                f"<code>{_e(rule.function)}</code>",
                f'<ul class="regs">{"".join(regs)}</ul>'
                if regs
                else '<span class="muted">no provenance recorded</span>',
                _e(decisions),
            ]
        )
    out = [
        '<input class="filter" type="search" placeholder="filter nodes, regulators, '
        'references (e.g. NR2F1, PMID:24161934, evidence H)" data-table="prov-table" '
        'data-count="prov-count"> <span id="prov-count" class="muted"></span>',
        _table(
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
            _table(
                ["id", "decision", "choice", "reason", "references"],
                [
                    [_e(d.id), _e(d.title), _e(d.choice), _e(d.reason), _refs(d.references)]
                    for d in b.decisions
                ],
                raw=True,
            )
        )
    return "".join(out)


def write_report(
    bundle: Bundle,
    directory: str | os.PathLike[str],
    *,
    data: ReportData | None = None,
    **kwargs: Any,
) -> Path:
    """Compute (unless ``data`` is given) and write ``directory/index.html``; returns its path.

    Keyword arguments go to :func:`collect` (``update``, ``double``, ``processes``,
    ``timeout``, ``progress``).
    """
    from .io._atomic import atomic_write_text

    out = Path(directory)
    if out.exists() and not out.is_dir():
        raise DormnetError(f"{out}: exists and is not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DormnetError(f"cannot create {out}: {e.strerror or e}") from None
    if data is None:
        data = collect(bundle, **kwargs)
    text = render_report(data)
    target = out / "index.html"
    try:
        atomic_write_text(target, text)
    except OSError as e:
        raise DormnetError(f"cannot write {target}: {e.strerror or e}") from None
    return target
