"""The shape of the package, read from its source with ``ast`` (nothing is imported to check it).

- the import graph between dormnet's modules has no cycle, counting every import: at module level,
  under ``if TYPE_CHECKING:`` and inside functions (a lazy import is still a dependency);
- the engines (``dormnet/_engines/``) are private: no module outside them imports an engine's
  private name, and they import nothing from the layers above except the core they are built on;
- no module is longer than 600 lines;
- every package directory is listed in ``pyproject.toml`` (a non-editable install would miss it);
- every public function and method has a numpydoc ``Parameters`` and ``Returns`` (or ``Yields``)
  section (public: no leading underscore, in a module and class without one);
- ``import dormnet`` stays cheap: it imports none of the analysis modules, and every name of its
  ``__all__`` resolves through the lazy table.

Each checker is also run on a small synthetic package (``tmp_path``), so that a checker that
finds nothing would fail these tests too.
"""

from __future__ import annotations

import ast
import itertools
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dormnet"

#: what the engines may import from the layers above them
ENGINE_MAY_IMPORT = {
    "network",
    "normal_form",
    "expr",
    "bdd",
    "spaces",
    "errors",
    "perturb",
    "_gc",
    "choices",
}
MAX_LINES = 600

#: known exceptions, each with its reason; a test fails once an exception is fixed, so that its
#: line is removed and the lists only shrink.
LONG_MODULES_TO_SPLIT: dict[str, str] = {}
#: the Jupyter and pandas presenters (issue 19, merged after these checks were written): the result
#: types import them lazily from their _repr_html_ and to_frame methods, and the presenters import
#: those types (for annotations, and render and figures for colours and tables): import cycles by
#: this file's rule. The graph without these edges is acyclic. To remove them: presenters that
#: import nothing above the types they show, or formatters registered from dormnet.display.
PRESENTER_EDGES = {
    (importer, presenter)
    for importer in (
        "dormnet.analysis",
        "dormnet.expectations",
        "dormnet.io.screen_rows",
        "dormnet.stochastic_result",
        "dormnet.stochastic_screen",
        "dormnet._tabular",
    )
    for presenter in ("dormnet.display", "dormnet.frames")
} | {("dormnet.network", "dormnet.display")}
PRIVATE_ENGINE_IMPORTS_TO_FIX = {
    (
        "dormnet/_stochastic_runs.py",
        "_kernel",
    ): "compiles the numba kernel before forking workers; the "
    "engine should offer this as a public function",
}


# --------------------------------------------------------------------------- reading the source


def module_files(package: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file of ``package``."""
    out = {}
    for f in sorted(package.rglob("*.py")):
        parts = list(f.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = f
    return out


def is_package(name: str, files: dict[str, Path]) -> bool:
    return files[name].name == "__init__.py"


def imports_of(name: str, files: dict[str, Path]) -> Iterator[tuple[str, tuple[str, ...], int]]:
    """(imported module, names imported from it, line) for every import in a module, wherever it
    is in the file; only modules of the package. ``from pkg import sub`` yields ``pkg.sub`` when
    ``sub`` is a module (and ``pkg`` for the names that are not)."""
    tree = ast.parse(files[name].read_text(), str(files[name]))
    here = name if is_package(name, files) else name.rpartition(".")[0]
    root = name.split(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == root:
                    yield alias.name, (), node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != root:
                continue
            plain = []
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in files:
                    yield sub, (), node.lineno
                else:
                    plain.append(alias.name)
            if plain or not node.names:
                yield target, tuple(plain), node.lineno


def import_graph(package: Path) -> nx.DiGraph:
    files = module_files(package)
    g = nx.DiGraph()
    g.add_nodes_from(files)
    for name in files:
        for target, _, line in imports_of(name, files):
            # a module not there yet (a guarded or future import) cannot close a cycle
            if target != name:
                g.add_edge(name, target, line=line)
    return g


def cycles(
    package: Path,
    limit: int = 10,
    ignore: set[tuple[str, str]] = frozenset(),  # type: ignore[assignment]
) -> list[list[str]]:
    """Some import cycles (lists of modules), the edges in ``ignore`` left out."""
    g = import_graph(package)
    g.remove_edges_from(ignore)
    out = []
    for cycle in nx.simple_cycles(g):
        out.append(cycle)
        if len(out) >= limit:
            break
    return out


def engine_violations(package: Path) -> list[str]:
    files = module_files(package)
    root = package.name
    engines = f"{root}._engines"
    out = []
    for name, f in files.items():
        inside = name == engines or name.startswith(engines + ".")
        for target, names, line in imports_of(name, files):
            target_is_engine = target.startswith(engines + ".")
            if not inside and target_is_engine:
                private = [n for n in names if n.startswith("_")]
                if private:
                    out.append(f"{f}:{line}: imports private {', '.join(private)} of {target}")
            if inside and not (target == engines or target.startswith(engines + ".")):
                top = target.removeprefix(root + ".").split(".")[0]
                if target == root or top not in ENGINE_MAY_IMPORT:
                    out.append(f"{f}:{line}: an engine imports {target}")
    return out


def long_modules(package: Path) -> list[str]:
    return [
        f"{f}: {n} lines"
        for f in sorted(package.rglob("*.py"))
        if (n := len(f.read_text().splitlines())) > MAX_LINES
    ]


# --------------------------------------------------------------------------- numpydoc


def _sections(doc: str) -> set[str]:
    """numpydoc section names: a title line underlined with dashes."""
    lines = [line.strip() for line in doc.splitlines()]
    return {
        a
        for a, b in itertools.pairwise(lines)
        if a and b and set(b) == {"-"} and len(b) >= len(a) * 0.5
    }


def _returns_something(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a function returns a value: its annotation says so, or (without one) it has a
    ``return <value>`` of its own."""
    ann = fn.returns
    if ann is not None:
        text = ast.unparse(ann).strip("'\"")
        return text not in ("None", "NoReturn", "Never")
    todo: list[ast.AST] = list(fn.body)
    while todo:
        node = todo.pop()
        if (
            isinstance(node, ast.Return)
            and node.value is not None
            and not (isinstance(node.value, ast.Constant) and node.value.value is None)
        ):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        todo.extend(ast.iter_child_nodes(node))
    return False


def _is_generator(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    todo: list[ast.AST] = list(fn.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        todo.extend(ast.iter_child_nodes(node))
    return False


def _params(fn: ast.FunctionDef | ast.AsyncFunctionDef, method: bool) -> list[str]:
    a = fn.args
    names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
    if method and names and not _decorated(fn, "staticmethod"):
        names = names[1:]  # self / cls
    if a.vararg is not None:
        names.append(f"*{a.vararg.arg}")
    if a.kwarg is not None:
        names.append(f"**{a.kwarg.arg}")
    return names


def _decorated(fn: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Whether ``@name``, ``@x.name`` or ``@x.name(...)`` decorates the function."""
    for d in fn.decorator_list:
        if isinstance(d, ast.Call):
            d = d.func
        if (isinstance(d, ast.Name) and d.id == name) or (
            isinstance(d, ast.Attribute) and d.attr == name
        ):
            return True
    return False


#: decorators that make a function something other than a documented callable: properties,
#: overloads, and click commands (their docstring is the command's --help text)
_EXEMPT_DECORATORS = ("property", "cached_property", "setter", "overload", "command", "group")


def docstring_problems(package: Path) -> list[str]:
    """Public functions and methods without the numpydoc sections they need."""
    out = []
    for f in sorted(package.rglob("*.py")):
        rel = f.relative_to(package.parent)
        if any(p.startswith("_") and p != "__init__.py" for p in rel.parts):
            continue
        tree = ast.parse(f.read_text(), str(f))
        todo: list[tuple[ast.AST, bool]] = [(n, False) for n in tree.body]
        while todo:
            node, method = todo.pop()
            if isinstance(node, ast.ClassDef):
                if not node.name.startswith("_"):
                    todo.extend((n, True) for n in node.body)
                continue
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if node.name.startswith("_") or any(_decorated(node, d) for d in _EXEMPT_DECORATORS):
                continue
            where = f"{f}:{node.lineno}: {node.name}"
            doc = ast.get_docstring(node)
            if not doc:
                out.append(f"{where}: no docstring")
                continue
            have = _sections(doc)
            if _params(node, method) and "Parameters" not in have:
                out.append(f"{where}: no Parameters section")
            if _is_generator(node):
                if not have & {"Yields", "Returns"}:
                    out.append(f"{where}: no Yields section")
            elif _returns_something(node) and "Returns" not in have:
                out.append(f"{where}: no Returns section")
    return out


# --------------------------------------------------------------------------- the package


def test_import_graph_is_acyclic():
    found = cycles(PACKAGE, ignore=PRESENTER_EDGES)
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(c + c[:1]) for c in found)
    gone = PRESENTER_EDGES - set(import_graph(PACKAGE).edges)
    assert not gone, f"no longer imported: remove {sorted(gone)} from PRESENTER_EDGES"


def test_engines_are_a_private_lower_layer():
    found = engine_violations(PACKAGE)
    known = [
        v
        for v in found
        for (path, name) in PRIVATE_ENGINE_IMPORTS_TO_FIX
        if v.startswith(str(ROOT / path) + ":") and f"private {name} " in v
    ]
    assert [v for v in found if v not in known] == []
    assert len(known) == len(PRIVATE_ENGINE_IMPORTS_TO_FIX), "fixed: remove it from the list"


def test_no_module_over_600_lines():
    found = long_modules(PACKAGE)
    known = [f for f in found if f.split(":")[0] in {str(ROOT / p) for p in LONG_MODULES_TO_SPLIT}]
    assert [f for f in found if f not in known] == []
    assert len(known) == len(LONG_MODULES_TO_SPLIT), "split: remove it from the list"


def test_every_package_is_in_pyproject():
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(conf["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in PACKAGE.rglob("__init__.py")}
    assert on_disk - listed == set()
    # the report's style sheet and scripts are package data: a wheel without them has no page
    assets = sorted(p.name for p in (PACKAGE / "report" / "assets").iterdir())
    assert assets == ["report-head.js", "report.css", "report.js"]
    assert any(p.startswith("assets/") for p in conf["package-data"]["dormnet.report"])


def test_public_functions_have_numpydoc_sections():
    problems = docstring_problems(PACKAGE)
    assert not problems, f"{len(problems)} functions:\n" + "\n".join(problems)


def test_import_dormnet_is_cheap():
    """``import dormnet`` loads only the core (errors, network, expressions), not the analyses,
    engines, networkx, clingo or click: the CLI's start-up is timed against the peers'."""
    code = (
        "import sys, dormnet; "
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(('dormnet', 'clingo', "
        "'networkx', 'click', 'biodivine_aeon', 'matplotlib', 'numpy')))))"
    )
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert loaded <= {"dormnet", "dormnet._version"}, sorted(loaded)


def test_lazy_names_resolve():
    import dormnet

    assert sorted(dormnet.__all__) == sorted(set(dormnet.__all__))
    assert set(dormnet.__all__) == {"__version__", *dormnet._LAZY}
    for name in dormnet.__all__:
        assert getattr(dormnet, name) is not None, name
    assert set(dormnet.__all__) <= set(dir(dormnet))
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        dormnet.no_such_name  # noqa: B018


def test_lazy_table_agrees_with_what_type_checkers_see():
    """The ``if TYPE_CHECKING:`` imports of ``dormnet/__init__.py`` name the same modules as the
    lazy table, so a type checker sees exactly what ``dormnet.NAME`` gives at run time."""
    import dormnet

    tree = ast.parse((PACKAGE / "__init__.py").read_text())
    block = next(
        n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"
    )
    seen = {
        alias.name: node.module
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.level == 1
        for alias in node.names
    }
    assert seen == dormnet._LAZY


def test_function_names_survive_importing_their_module():
    """``dormnet.attractors`` is the function even after ``dormnet.attractors`` the module is
    imported (importing a submodule sets the package attribute of that name)."""
    code = (
        "import dormnet, dormnet.attractors, dormnet.screen, dormnet.lint, dormnet.switch, "
        "dormnet.control, dormnet.basins; "
        "from dormnet.attractors import attractors; "
        "print(dormnet.attractors is attractors, callable(dormnet.screen), "
        "callable(dormnet.lint), callable(dormnet.switch), callable(dormnet.control), "
        "callable(dormnet.basins))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True"] * 6


def _readme_api_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## The Python API")
    section = readme[start : readme.index("\n## ", start + 1)]
    return [part.split("```", 1)[0] for part in section.split("```python")[1:]]


def _run_readme(blocks: list[str], monkeypatch) -> None:
    code = "\n".join(blocks)
    assert "from dormnet." not in code  # the everyday API comes from dormnet itself
    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own documentation


def test_readme_python_api_example_runs(monkeypatch, capsys):
    """The README's Python API example runs as written (top-level imports only) and prints one
    line per attractor of the bone marrow under everolimus."""
    blocks = _readme_api_blocks()
    assert len(blocks) == 3  # the analyses, the simulation and the dynamics that continue them
    _run_readme(blocks[:1], monkeypatch)
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line.startswith("[") for line in lines), lines


def test_readme_dynamics_example_runs_and_prints_what_its_comments_say(monkeypatch, capsys):
    """The switch, basins and control example, after the first block (it needs ``bundle``): the
    printed reaches and control solutions are the ones its comments state."""
    blocks = _readme_api_blocks()
    _run_readme([blocks[0], blocks[2]], monkeypatch)
    out = capsys.readouterr().out
    assert "[[[0], [0]], [[1]]]" in out
    assert "[(('C26',), ('permissive',))]" in out


@pytest.mark.slow
def test_readme_simulation_example_runs(monkeypatch):
    """The simulation part too (a numba kernel compiled on first use: most of a minute)."""
    _run_readme(_readme_api_blocks(), monkeypatch)


def test_figure_kinds_agree_with_the_cli():
    from dormnet.choices import FIGURE_KINDS
    from dormnet.figures import FIGURES

    assert list(FIGURES) == list(FIGURE_KINDS)


# --------------------------------------------------------------------------- the checkers fail


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root / "pkg"


def test_checkers_find_a_cycle_hidden_in_type_checking_and_functions(tmp_path):
    pkg = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\n"
            ),
            "pkg/b.py": "def f():\n    from . import c\n",
            "pkg/c.py": "from pkg.a import x\n",
            "pkg/d.py": "from .a import x\n",
        },
    )
    found = cycles(pkg)
    assert len(found) == 1 and sorted(found[0]) == ["pkg.a", "pkg.b", "pkg.c"]


def test_checkers_find_engine_violations(tmp_path):
    pkg = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/network.py": "",
            "pkg/analysis.py": "from ._engines.asp import _ground, solve\n",
            "pkg/report.py": "",
            "pkg/_engines/__init__.py": "",
            "pkg/_engines/asp.py": (
                "from ..network import N\nfrom . import fvs\ndef f():\n    from ..report import r\n"
            ),
            "pkg/_engines/fvs.py": "from .. import report\n",
        },
    )
    found = engine_violations(pkg)
    assert len(found) == 3, found
    assert "private _ground" in found[0] or "private _ground" in " ".join(found)
    assert sum("an engine imports pkg.report" in x for x in found) == 2


def test_checkers_find_missing_sections(tmp_path):
    pkg = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/m.py": '''
def good(x: int) -> int:
    """Double.

    Parameters
    ----------
    x : int

    Returns
    -------
    int
    """
    return 2 * x


def no_returns(x: int) -> int:
    """Double.

    Parameters
    ----------
    x : int
    """
    return 2 * x


def side_effect(x: int) -> None:
    """Print.

    Parameters
    ----------
    x : int
    """


def gen(n):
    """Count.

    Parameters
    ----------
    n : int
    """
    yield from range(n)


def _private(x):
    return x


class C:
    """A class."""

    def method(self):
        """Nothing to say."""
        return 1

    @property
    def p(self) -> int:
        """A property."""
        return 1
''',
            "pkg/_hidden.py": "def f(x):\n    return x\n",
        },
    )
    found = docstring_problems(pkg)
    names = sorted(x.rsplit(": ", 2)[1] + ": " + x.rsplit(": ", 1)[1] for x in found)
    assert names == [
        "gen: no Yields section",
        "method: no Returns section",
        "no_returns: no Returns section",
    ], found
