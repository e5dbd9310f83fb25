"""Make BNET files from other collections readable as benchmark models: every regulator that
has no rule of its own becomes a free input (``x, x``), as in the bench corpus.

Biodivine's collection (sybila/biodivine-boolean-models) leaves some inputs implicit: a name
used in rules but given no rule (its README lists them as "removed" rows). dormnet refuses such
a file (an undefined regulator is usually a typo); BNET readers that accept it treat the name
as a free input, which is what this script writes down. Comment lines are dropped; nothing
else changes.

Usage::

    python benchmarks/free_inputs.py OUT_DIR MODEL.bnet [MODEL.bnet ...]
    python benchmarks/attractors.py --tasks async --extra OUT_DIR --models 'extra:*'
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
CONSTANTS = {"true", "false", "True", "False"}


def with_free_inputs(text: str) -> tuple[str, list[str]]:
    """``text`` with a ``x, x`` line for every regulator ``x`` that has no rule; and those names.

    >>> with_free_inputs("targets, factors\\na, b & !c\\nb, a")
    ('targets, factors\\na, b & !c\\nb, a\\nc, c\\n', ['c'])
    """
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    body = [ln for ln in lines if ln.replace(" ", "").lower() != "targets,factors"]
    targets = {ln.split(",", 1)[0].strip() for ln in body}
    used: set[str] = set()
    for ln in body:
        used |= set(NAME.findall(ln.split(",", 1)[1]))
    missing = sorted(used - targets - CONSTANTS)
    out = ["targets, factors", *body, *(f"{x}, {x}" for x in missing)]
    return "\n".join(out) + "\n", missing


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    for name in argv[1:]:
        text, missing = with_free_inputs(Path(name).read_text())
        (out / Path(name).name).write_text(text)
        print(f"{Path(name).name}: {len(missing)} free inputs added")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
