"""Pages stay thin (issue 18): a page reads its URL state and widgets, picks views and
lays them out. Each page is well under 60 lines and imports only the views layer, ui/
helpers, streamlit and the standard library: no pandas, no query, no chart builder, no
ETL. Charts are views: every slide of a deck is a view, drawn by name."""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "app_pages").glob("*.py"))
ALLOWED = {"views", "ui", "streamlit"}
MAX_LINES = 60


def imported(path: Path) -> set[str]:
    """The top-level packages a file imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add((node.module or "").split(".")[0])
    return names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_a_page_is_short_and_imports_only_views_and_ui(page):
    lines = len(page.read_text(encoding="utf-8").splitlines())
    assert lines < MAX_LINES, f"{page.name} has {lines} lines"
    foreign = {name for name in imported(page) if name not in ALLOWED and name not in sys.stdlib_module_names}
    assert not foreign, f"{page.name} imports {sorted(foreign)}: move it to views/ or ui/"


def test_the_rule_sees_a_page_that_breaks_it(tmp_path):
    fat = tmp_path / "fat.py"
    fat.write_text("import pandas as pd\nfrom queries import fetch\nfrom ui.frame import current\n")
    assert imported(fat) - ALLOWED == {"pandas", "queries"}


def test_every_slide_is_a_view_and_views_stay_pure():
    from ui import slides
    from views import VIEWS

    assert set(slides.KEYS) <= set(VIEWS)
    for path in (ROOT / "views").glob("*.py"):
        assert "streamlit" not in imported(path), f"views/{path.name} imports streamlit"
