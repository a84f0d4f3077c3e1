"""Streamlit's own widget texts in the page's language.

Streamlit 1.67 writes some texts of its widgets in English whatever the page's language,
with no parameter to change them (streamlit/streamlit#13500, open): the file uploader's
button, limit and drag-and-drop line, the "No results" line of a filtered drop-down list.
Where a widget has a parameter (`placeholder`, `select_all`), the pages use it. For the
rest, a style sheet hides Streamlit's text (visibility: hidden, so it is neither seen nor
read, and takes no room) and writes the page's own text in its place with `::after`
content, which screen readers read as the element's text. Only the text changes: the
widgets keep their behaviour and their focus order.

Each rule targets Streamlit's own test ids (`data-testid`), which its end-to-end tests
rely on too; tests/test_browser_french.py checks in Chromium that no English string of
Streamlit is left on a French page, so a Streamlit upgrade that moves them is caught.
"""

from __future__ import annotations

import streamlit as st

from ui.texts import text

TEXT = {
    "choose_file": ("Choisir un fichier", "Browse files"),
    "drop_here": ("Déposez le fichier ici", "Drop the file here"),
    "limit": ("{limit} Mo par fichier • {types}", "{limit} MB per file • {types}"),
    "no_results": ("Aucun résultat", "No results"),
    "stop": ("Arrêter", "Stop"),
    "skip": ("Aller au contenu principal", "Skip to main content"),
    "stopping": ("Arrêt…", "Stopping..."),
}
# The drop-down lists of select boxes and multiselects: the line shown when a typed filter
# matches no option.
NO_RESULTS = '[data-testid$="Dropdown"] [role="listbox"][data-empty="true"]'
# The button that stops a run, in the top right corner while the page runs: its text is
# its own (no child element to hide), so it is sized to nothing and followed by ours.
STOP = '[data-testid="stStatusWidget"] button[data-testid="stBaseButton-header"]'
# The link that keyboard users meet first (shown when focused): likewise.
SKIP = 'a[data-testid="stSkipToContent"]'


def css_string(value: str) -> str:
    """A CSS string literal holding `value` as text."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def replaced(hidden: str, shown: str, value: str, style: str = "") -> str:
    """Rules hiding the text of `hidden` and writing `value` after `shown` (its parent),
    with the extra declarations `style`."""
    return (
        f"{hidden} {{ visibility: hidden; font-size: 0; line-height: 0; }}\n"
        f"{shown}::after {{ content: {css_string(value)}; visibility: visible; {style}}}\n"
    )


SMALL = "font-size: 0.875rem; opacity: 0.6; "  # as Streamlit writes the uploader's limit line


def _style(rules: str) -> None:
    st.html(f"<style>\n{rules}</style>")


def page_texts(lang: str) -> None:
    """The texts every page may show: drawn by the frame on each run of a French page."""
    if lang == "en":
        return
    # Streamlit's line is padded: it goes (display: none), ours takes its place and look.
    rules = f"{NO_RESULTS} [role='option'] span {{ display: none; }}\n"
    rules += f"{NO_RESULTS}::after {{ content: {css_string(text(TEXT, 'no_results', lang))}; display: block; "
    rules += "padding: 0.5rem 1rem; opacity: 0.6; }\n"
    rules += f"{STOP} {{ font-size: 0; }}\n{STOP}::after {{ content: {css_string(text(TEXT, 'stop', lang))}; "
    rules += "font-size: 0.875rem; }\n"
    rules += f"{STOP}:disabled::after {{ content: {css_string(text(TEXT, 'stopping', lang))}; }}\n"
    # !important: Streamlit sizes the focused link with a more specific rule.
    rules += (
        f"{SKIP} {{ font-size: 0 !important; }}\n{SKIP}::after {{ content: {css_string(text(TEXT, 'skip', lang))}; "
    )
    rules += "font-size: 1rem; }\n"
    _style(rules)


def uploader_texts(key: str, lang: str, limit_mb: int, types: list[str]) -> None:
    """The file uploader with key `key` in the page's language: its button, its limit and
    types, its drag-and-drop line; the size of a chosen file (written "8.0B") is left out."""
    if lang == "en":
        return
    scope = f".st-key-{key} [data-testid='stFileUploaderDropzone']"
    limit = text(TEXT, "limit", lang, limit=limit_mb, types=", ".join(t.upper() for t in types))
    button = f"{scope} button[data-testid='stBaseButton-secondary'] [data-testid='stMarkdownContainer']"
    instructions = f"{scope} [data-testid='stFileUploaderDropzoneInstructions'] > div"
    drag = f"{scope} > input + div:has(> span)"  # shown over the drop zone while a file is dragged over it
    rules = replaced(f"{button} p", button, text(TEXT, "choose_file", lang))
    rules += replaced(f"{instructions} span", instructions, limit, SMALL)
    rules += replaced(f"{drag} > span", drag, text(TEXT, "drop_here", lang))
    chip = f".st-key-{key} [data-testid='stFileChip']"
    rules += f"{chip} [data-testid='stFileChipName'] + div {{ display: none; }}\n"
    # The "add another file" button's hidden caption ("add icon"); its name is its aria-label.
    add = f".st-key-{key} button[data-testid='stBaseButton-borderlessIcon'] span[data-has-shortcut] > span:first-child"
    rules += f"{add}:not(:has([data-testid])) {{ display: none; }}\n"
    _style(rules)
