"""The architecture's import rules (docs/architecture.md), checked on every file of the tree.

Imports run one way: lessons → app → figures/export → core. A lesson's own analysis, figures and text are
plain Python that any test can import; only its page (and its cache helper) talk to Streamlit. `export`
(the run as a notebook and a script) sits beside `figures`: it writes source text from core's config.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = ("core", "figures", "export", "lessons", "app")
GLUE_PARTS = ("page.py", "cache.py")  # and any *_section.py: the only lesson modules that draw with Streamlit


def is_glue(path: Path) -> bool:
    return path.name in GLUE_PARTS or path.stem.endswith("_section")


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def sources() -> Iterator[Path]:
    for package in OURS:
        yield from sorted((ROOT / package).rglob("*.py"))


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, except what sits under `if TYPE_CHECKING:` (imports for annotations only)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            continue
        yield node
        yield from _runtime_nodes(node)


def imports(path: Path) -> set[str]:
    """Every module a file imports at run time, lazy imports in functions included (absolute names;
    `from x import y` counts x and x.y)."""
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def top(name: str) -> str:
    return name.split(".")[0]


def lesson_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if parts[0] == "lessons" and len(parts) > 2 else None


FILES = {module_name(path): (path, imports(path)) for path in sources()}


def test_the_layers_exist():
    assert {top(name) for name in FILES} == set(OURS)


@pytest.mark.parametrize("name", sorted(n for n in FILES if top(n) == "core"))
def test_core_imports_only_core_and_never_plotly_or_streamlit(name):
    used = FILES[name][1]
    assert not {top(m) for m in used} & {"plotly", "streamlit", "figures", "export", "lessons", "app"}, name


@pytest.mark.parametrize("name", sorted(n for n in FILES if top(n) == "figures"))
def test_figures_import_only_core(name):
    used = {top(m) for m in FILES[name][1]}
    assert not used & {"streamlit", "export", "lessons", "app"}, name


EXPORT_MAY_USE = {"core", "export", "numpy", "nbformat", *sys.stdlib_module_names}


@pytest.mark.parametrize("name", sorted(n for n in FILES if top(n) == "export"))
def test_export_imports_only_core_numpy_nbformat_and_the_standard_library(name):
    """An export is source text built from a RunConfig: no Streamlit, Plotly, figures, app or lesson, so
    the notebook and the script can be built and run in any test (and by any other tool)."""
    used = {top(m) for m in FILES[name][1]}
    assert used <= EXPORT_MAY_USE, f"{name} imports {sorted(used - EXPORT_MAY_USE)}"


@pytest.mark.parametrize("name", sorted(n for n in FILES if top(n) == "app"))
def test_app_never_imports_a_lesson(name):
    assert "lessons" not in {top(m) for m in FILES[name][1]}, name


@pytest.mark.parametrize("name", sorted(n for n in FILES if lesson_of(n)))
def test_a_lesson_imports_no_other_lesson(name):
    own = lesson_of(name)
    others = {lesson_of(m) for m in FILES[name][1] if top(m) == "lessons"} - {own, None}
    assert not others, f"{name} imports lessons {others}"


PLAIN_LESSON_PARTS = sorted(n for n in FILES if lesson_of(n) and not is_glue(FILES[n][0])
                            and FILES[n][0].name != "__init__.py")


@pytest.mark.parametrize("name", PLAIN_LESSON_PARTS)
def test_a_lessons_numbers_figures_and_words_never_touch_streamlit_or_app(name):
    used = {top(m) for m in FILES[name][1]}
    assert not used & {"streamlit", "app"}, name


def test_there_is_no_import_cycle():
    graph = {name: {m for m in used if m in FILES} for name, (_, used) in FILES.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " → ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_importing_the_config_does_not_load_scikit_learn():
    """RunConfig is the first thing every page and test touches; it never loads scikit-learn (no part of
    the app imports it: the datasets are numpy, core.generators and core.bundled)."""
    code = "import sys, core.config; print('sklearn' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_the_trainer_does_not_load_scikit_learn_until_data_is_made():
    """A training worker is handed its data, so importing and running the engine must not pull in
    scikit-learn (~1.5 s and ~100 MB per process); core.datasets never imports it (core.generators,
    core.bundled)."""
    code = ("import sys, core.train, core.symmetry, core.budget; from core.config import RunConfig; "
            "RunConfig(dataset='digits'); print('sklearn' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
