"""The layer rules of the README ("Architecture"), read off the imports of every module.

Each module's imports are taken from its syntax tree (ast), those inside functions too:
a rule holds for the whole module, not only for what it imports when it is loaded.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# The command line: an entry point like dashboard.py, it may import every package (the
# `figures` and `report` commands import the read side, and so streamlit, when they run).
CLI = re.compile(r"etl/(cli\w*|__main__)\.py")
# Packages that read or write files, databases, processes or the network.
IO_PACKAGES = {"duckdb", "os", "io", "pathlib", "shutil", "subprocess", "socket", "tempfile", "urllib", "sqlite3"}


def packages() -> list[str]:
    return sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name != "tests")


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module `path` imports, as absolute dotted names (relative imports resolved)."""
    names: set[str] = set()
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = parts[: len(parts) - node.level]  # a package's __init__ counts as its own folder's module
                base = ".".join(anchor + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)  # `from etl import access`
    return names


def top(name: str) -> str:
    return name.split(".")[0]


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def project_imports(package: str, *, skip_cli: bool = True) -> dict[str, set[str]]:
    """module path -> the project's modules it imports from other packages."""
    own = set(packages()) | {"dashboard", "app_pages"}
    out = {}
    for path in modules(package):
        if skip_cli and CLI.fullmatch(rel(path)):
            continue
        out[rel(path)] = {n for n in imported(path) if top(n) in own and top(n) != package}
    return out


@pytest.mark.parametrize("package", ["etl", "service", "views", "charts", "exports"])
def test_no_streamlit_below_the_pages(package):
    """etl/, service/, views/, charts/ and exports/ never import streamlit (etl's command line aside)."""
    offenders = {
        rel(p): sorted(n for n in imported(p) if top(n) == "streamlit")
        for p in modules(package)
        if not CLI.fullmatch(rel(p))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_write_side_imports_no_other_package():
    """etl/ stands alone: the database, the contract, readers, validation, load, access rules."""
    assert {m: n for m, n in project_imports("etl").items() if n} == {}


def test_the_services_state_builds_on_the_write_side_only():
    """service/ (accounts, saved decks, backups) imports etl/ and nothing above it, nor the CLI."""
    found = project_imports("service")
    assert {m: sorted(n) for m, n in found.items() if {top(x) for x in n} - {"etl"}} == {}
    assert {m: sorted(n) for m, n in found.items() if any(x.startswith("etl.cli") for x in n)} == {}


def test_no_package_imports_the_service_except_the_cli_and_ui():
    """service/ is above etl/: etl/ (but its command line), queries/, charts/ and exports/ never reach it."""
    found = {}
    for package in ("etl", "queries", "charts", "exports"):
        for module, names in project_imports(package).items():
            if any(top(n) == "service" for n in names):
                found[module] = sorted(names)
    assert found == {}


def test_charts_are_pure():
    """charts/: DataFrame -> Figure; no I/O package, and of the project only the contract's
    definitions (etl.schema) and the metric registry (queries.metrics)."""
    allowed = ("etl.schema", "queries.metrics")

    def ok(name: str) -> bool:
        return name in ("etl", "queries") or any(name == a or name.startswith(a + ".") for a in allowed)

    io = {rel(p): sorted(n for n in imported(p) if top(n) in IO_PACKAGES) for p in modules("charts")}
    assert {k: v for k, v in io.items() if v} == {}
    project = {m: sorted(x for x in n if not ok(x)) for m, n in project_imports("charts").items()}
    assert {m: n for m, n in project.items() if n} == {}


def test_exports_build_on_charts_only():
    """exports/ (charts and decks as PNG, SVG, PowerPoint, HTML) draws figures: no read side, no ui."""
    found = {m: sorted(n) for m, n in project_imports("exports").items() if {top(x) for x in n} - {"charts", "etl"}}
    assert found == {}


def test_nothing_imports_the_pages_or_the_frame():
    """Pages and dashboard.py are the top: no package imports them."""
    found = {}
    for package in packages():
        for module, names in project_imports(package, skip_cli=False).items():
            if any(top(n) in ("app_pages", "dashboard") for n in names):
                found[module] = sorted(names)
    assert found == {}


def test_below_ui_nothing_imports_ui():
    """ui/ holds streamlit helpers: etl/ (but its command line), service/, queries/, charts/ and exports/ never import it."""
    found = {}
    for package in ("etl", "service", "queries", "charts", "exports"):
        for module, names in project_imports(package).items():
            if any(top(n) == "ui" for n in names):
                found[module] = sorted(names)
    assert found == {}


def test_the_command_line_loads_streamlit_only_for_the_commands_that_read():
    """`python -m etl load` and the other write commands never load streamlit nor the read
    side: `figures` and `report` import them inside their functions."""
    code = (
        "import sys, etl.cli\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'streamlit', 'queries', 'ui', 'charts', 'exports', 'plotly'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"


def test_every_package_is_in_the_readme_layout():
    """A newcomer finds every top-level package in the README's Architecture block."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Architecture", 1)[1].split("```", 2)[1]
    listed = {line.split()[0].rstrip("/") for line in block.splitlines() if line.strip()}
    assert set(packages()) - listed == set()


def test_imports_are_read_from_functions_too(tmp_path, monkeypatch):
    """The reader of imports sees a lazy import and resolves a relative one."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    module = package / "mod.py"
    module.write_text("def f():\n    import streamlit as st\n    from .other import x\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert {"streamlit", "pkg.other", "pkg.other.x"} <= imported(module)
