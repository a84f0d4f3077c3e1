"""Streamlit's own widget texts in the page's language (ui/widget_texts.py): the style
sheet's text is escaped, written for French pages only, and scoped to its widget. The
browser tests check what Chromium shows (tests/test_browser_figures.py)."""

from __future__ import annotations

from tests.conftest import run_app
from ui.widget_texts import css_string, replaced


def test_texts_are_css_strings_that_cannot_break_out():
    assert css_string('Aller "ici" \\ là\n') == '"Aller \\"ici\\" \\\\ là "'
    rules = replaced(".a span", ".a", "Choisir un fichier")
    assert ".a span { visibility: hidden; font-size: 0; line-height: 0; }" in rules
    assert '.a::after { content: "Choisir un fichier"; visibility: visible; }' in rules


def styles(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def test_french_pages_get_the_style_sheet_and_english_ones_do_not(monkeypatch, demo_db):
    french = styles(run_app(monkeypatch, demo_db))
    assert '"Aucun résultat"' in french and '"Aller au contenu principal"' in french
    assert "Aucun résultat" not in styles(run_app(monkeypatch, demo_db, lang="en"))


# The proxy's Content-Security-Policy allows the renamer's script by its hashes: a change of
# the script needs the new hashes in docs/nginx/participation-headers.conf (this test names them).
from tests.test_security import test_the_inline_script_hashes_are_those_of_the_scripts  # noqa: E402, F401
