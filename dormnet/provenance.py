"""Why a node does what it does: its rule, the provenance of each regulator and the modelling
decisions that name it (``dormnet explain``)."""

from __future__ import annotations

from typing import Any

from .bundle import Bundle

__all__ = ["explain", "explanation_text"]


def explain(bundle: Bundle, node: str) -> dict[str, Any]:
    """The rule of ``node`` with its comments, node-table row, edge provenance and decisions.

    Parameters
    ----------
    bundle : Bundle
    node : str

    Returns
    -------
    dict
        ``node``, ``rule``, ``comments``, ``references``, ``info`` (the node-table row or
        None), ``regulators`` (one dict per provenance row) and ``decisions``.

    Raises
    ------
    UnknownNodeError
        A node the model does not have.
    """
    rule = bundle.network.rule(node)
    info = bundle.nodes.get(node)
    return {
        "node": node,
        "rule": rule.function,
        "comments": list(rule.comments),
        "references": rule.references,
        "info": info.__dict__ if info else None,
        "regulators": [
            {
                "regulator": e.regulator,
                "sign": e.sign,
                "references": list(e.references),
                "evidence": e.evidence,
                "confidence": e.confidence,
                "note": e.note,
            }
            for e in bundle.edges_of(node)
        ],
        "decisions": [d.__dict__ for d in bundle.decisions_of(node)],
    }


def explanation_text(x: dict[str, Any]) -> str:
    """An :func:`explain` answer as text for people.

    Parameters
    ----------
    x : dict

    Returns
    -------
    str
    """
    lines = [f"{x['node']}, {x['rule']}"]
    info = x["info"]
    if info:
        ids = ", ".join(
            i
            for i in (
                f"HGNC:{info['hgnc']}" if info["hgnc"] else "",
                f"UniProt:{info['uniprot']}" if info["uniprot"] else "",
            )
            if i
        )
        lines.append(
            f"  {info['description']} [{info['module']}; {info['kind']}]"
            + (f" ({ids})" if ids else "")
        )
    lines += [f"  # {c}" for c in x["comments"]]
    if x["regulators"]:
        lines.append("  regulators:")
    for e in x["regulators"]:
        lines.append(
            f"    {e['regulator']:<14} {e['sign']:<9} evidence {e['evidence'] or '?'}, "
            f"confidence {e['confidence'] or '?'}: {'; '.join(e['references'])}"
            + (f"\n{'':20}{e['note']}" if e["note"] else "")
        )
    for d in x["decisions"]:
        lines.append(f"  decision {d['id']} ({d['title']}): {d['choice']}")
    if not x["regulators"] and not x["references"]:
        lines.append("  (no provenance recorded for this node)")
    return "\n".join(lines) + "\n"
