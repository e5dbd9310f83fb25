"""The reference manual (mkdocs.yml, docs/) builds with no warning, and covers the package.

``mkdocs build --strict`` turns every warning into an error: a docstring mkdocstrings cannot
parse, a broken link or cross-reference, a page missing from the navigation. The other tests
check what a build cannot see: a new public module without an API page, the model documentation
left out of the navigation, the README not saying how to build the manual.
"""

from __future__ import annotations

import importlib.util
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import mkdocs  # noqa: F401  (needed by what this module tests)
import mkdocstrings  # noqa: F401  (needed by what this module tests)
import yaml

import dormnet

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def nav_files(nav: object) -> list[str]:
    """Every page file named in mkdocs.yml's nav."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [f for item in nav for f in nav_files(item)]
    if isinstance(nav, dict):
        return [f for v in nav.values() for f in nav_files(v)]
    return []


def config() -> dict:
    # mkdocs.yml uses no custom YAML tags, so the safe loader reads it
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def test_manual_builds_strict_without_warnings(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    log = r.stdout + r.stderr
    assert r.returncode == 0, log
    assert [line for line in log.splitlines() if "WARNING" in line] == []
    # the generated pages are there, with their sources' content
    model = (tmp_path / "model" / "index.html").read_text(encoding="utf-8")
    assert "dormancy.bnet" in model and 'src="../figures/network.png"' in model
    cli = (tmp_path / "cli" / "index.html").read_text(encoding="utf-8")
    assert "dormnet fixed-points" in cli and "--format" in cli
    tutorial = (tmp_path / "tutorial" / "index.html").read_text(encoding="utf-8")
    assert "load_bundle" in tutorial
    # Sphinx roles became links where the target is documented
    api = (tmp_path / "api" / "attractors" / "index.html").read_text(encoding="utf-8")
    assert ":func:" not in api and ":class:" not in api
    assert re.search(r'<a class="autorefs autorefs-internal"[^>]*href="[^"]*#dormnet\.', api)


def test_every_public_module_has_an_api_page():
    documented = set()
    for page in (DOCS / "api").glob("*.md"):
        documented |= set(re.findall(r"^::: ([\w.]+)", page.read_text(), re.MULTILINE))
    public = {"dormnet"}
    for m in pkgutil.walk_packages(dormnet.__path__, "dormnet."):
        parts = m.name.split(".")
        if any(p.startswith("_") for p in parts) or parts[1] == "cli":
            continue  # private, or the command line (its page is generated from --help)
        public.add(m.name)
    assert sorted(public - documented) == []
    assert sorted(documented - public) == []  # no page for a module that is gone


def test_every_page_is_in_the_navigation_and_the_model_docs_are():
    cfg = config()
    nav = set(nav_files(cfg["nav"]))
    generated = {"model.md", "cli.md", "tutorial.md"}  # docs/tools/hooks.py
    pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md") if "tools" not in p.parts}
    assert sorted(pages - nav) == []
    assert sorted(nav - pages - generated) == []
    assert {"formats.md", "model.md"} <= nav
    if (DOCS / "biology.md").exists():  # the biology of the model, when it is written
        assert "biology.md" in nav


def test_readme_says_how_to_build_the_manual_and_use_a_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "mkdocs build --strict" in readme and "docs/building.md" in readme
    assert "landscape(load_bundle())" in readme


def _roles():
    spec = importlib.util.spec_from_file_location("roles", DOCS / "tools" / "roles.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sphinx_roles_and_stray_doctests_are_rewritten():
    roles = _roles()
    out = roles.rewrite(":func:`~dormnet.analysis.analyse` and :class:`Bundle`", "dormnet.bundle")
    assert out == (
        '<autoref identifier="dormnet.analysis.analyse" optional><code>analyse</code></autoref>'
        ' and <autoref identifier="dormnet.bundle.Bundle" optional><code>Bundle</code></autoref>'
    )
    assert roles.rewrite(":meth:`Bundle.clamps()`", "dormnet.bundle").endswith(
        "<code>Bundle.clamps()</code></autoref>"
    )
    text = "Sum.\n\n>>> 1 + 1\n2\n\nExamples\n--------\n>>> 2 + 2\n4"
    assert roles.fence_doctests(text) == (
        "Sum.\n\n```python\n>>> 1 + 1\n2\n```\n\nExamples\n--------\n>>> 2 + 2\n4"
    )
