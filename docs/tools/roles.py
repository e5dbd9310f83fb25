"""A griffe extension for the manual: Sphinx roles in dormnet's docstrings become links, and
doctest examples outside an Examples section become code blocks.

dormnet's numpydoc docstrings cross-reference with Sphinx roles (``:func:`analyse```,
``:class:`~dormnet.bundle.Bundle```), which mkdocstrings does not read: they would show as
literal ``:func:`` text. This extension rewrites each role into an *optional* autorefs
reference before the docstring is parsed: a link where the target is documented in the manual,
plain code (and no warning) where it is not. A name without a dot is looked up in the module
of the docstring; ``~`` shows the last component only, as in Sphinx.

A short docstring often shows its example directly (``>>> f(1)`` under the summary); the numpy
parser reads ``>>>`` lines only in an Examples section, so elsewhere they are fenced as Python.
"""

from __future__ import annotations

import html
import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(?:func|class|meth|mod|data|attr|exc|obj|const):`(~?)([\w.]+)(\(\))?`")


def rewrite(text: str, module: str) -> str:
    """Every Sphinx role of ``text`` as an optional autorefs reference.

    >>> rewrite(":func:`~dormnet.analysis.analyse` and :class:`Bundle`", "dormnet.bundle")
    '<autoref identifier="dormnet.analysis.analyse" optional><code>analyse</code></autoref> and <autoref identifier="dormnet.bundle.Bundle" optional><code>Bundle</code></autoref>'
    """

    def one(m: re.Match[str]) -> str:
        tilde, target, call = m.group(1), m.group(2), m.group(3) or ""
        target = target.lstrip(".")
        full = target if "." in target else f"{module}.{target}"
        title = target.rsplit(".", 1)[-1] if tilde else target
        return (
            f'<autoref identifier="{html.escape(full)}" optional>'
            f"<code>{html.escape(title + call)}</code></autoref>"
        )

    return ROLE.sub(one, text)


def fence_doctests(text: str) -> str:
    """Doctest blocks outside a numpydoc Examples section, fenced as Python code.

    >>> print(fence_doctests("Sum.\n\n>>> 1 + 1\n2"))
    Sum.
    <BLANKLINE>
    ```python
    >>> 1 + 1
    2
    ```
    """
    lines = text.splitlines()
    out: list[str] = []
    in_examples = False
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if nxt.strip() and set(nxt.strip()) == {"-"} and line.strip():
            in_examples = line.strip() == "Examples"
        if line.lstrip().startswith(">>>") and not in_examples:
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i])
                i += 1
            out += ["```python", *block, "```"]
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


class SphinxRoles(griffe.Extension):
    """Rewrite Sphinx roles and fence stray doctests in every docstring of the package."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        todo: list[griffe.Object] = [pkg]
        while todo:
            obj = todo.pop()
            if obj.docstring is not None:
                text = fence_doctests(obj.docstring.value)
                obj.docstring.value = rewrite(text, obj.module.path)
            todo.extend(m for m in obj.members.values() if not m.is_alias)  # type: ignore[misc]
