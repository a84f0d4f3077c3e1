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
from ui.widgets import CARD_STYLE

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


# Captions in Streamlit's grey (the text colour at 60 %) reach 3.9:1 on white and 3.6:1 on
# the sidebar, under WCAG AA's 4.5:1. The text colour at 80 % holds in both themes: 6.4:1 on
# the light sidebar, 9:1 on the dark one (a fixed grey would be unreadable in the dark theme).
CONTRAST = (
    '[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p '
    "{ color: inherit !important; }\n"
    '[data-testid="stCaptionContainer"] { opacity: 0.8 !important; }\n'
    # A selected option of a segmented control is written in the text colour, not the
    # theme's red: no red reads at 4.5:1 both as text on its dark tint and under white text
    # (a multiselect's chosen values), so the dark theme's red serves the latter.
    'button[data-variant="segmented_control"][data-selected="true"] { color: inherit !important; }\n'
)
# Names that Streamlit and plotly give their controls in English whatever the page's
# language (aria-label, title): read out by screen readers. A script in the page renames
# them as they appear: whole names, then the English words around a label of ours.
ARIA_FR = {
    "Sidebar": "Barre latérale",
    "Collapse sidebar": "Replier la barre latérale",
    "Expand sidebar": "Déplier la barre latérale",
    "App pages": "Pages de l'application",
    "Open": "Ouvrir",
    "Close": "Fermer",
    "Clear all": "Tout effacer",
    "Clear value": "Effacer",
    "Choose date range": "Choisir la période",
    "Main menu": "Menu principal",
    "Link to heading": "Lien vers ce titre",
    "Selected values": "Valeurs choisies",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Download as CSV": "Télécharger en CSV",
    "Search": "Rechercher",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Download plot as a PNG": "Télécharger le graphique en PNG",
    "Pan": "Déplacer",
    "Zoom": "Zoomer",
    "Zoom in": "Zoom avant",
    "Zoom out": "Zoom arrière",
    "Autoscale": "Échelle automatique",
    "Reset axes": "Réinitialiser les axes",
    "Reset views": "Réinitialiser la vue",
    "Reset view": "Réinitialiser la vue",
    "Box Select": "Sélection rectangulaire",
    "Lasso Select": "Sélection au lasso",
    "Toggle Spike Lines": "Lignes de repère",
    "Show closest data on hover": "Survol : donnée la plus proche",
    "Compare data on hover": "Survol : comparer les données",
    "Produced with Plotly.js": "Produit avec Plotly.js",
    "Help": "Aide",
    "Show password text": "Afficher le mot de passe",
    "Hide password text": "Masquer le mot de passe",
}
# (English before, French before, English after, French after) around a label of ours.
ARIA_FR_AROUND = (
    ("Help for ", "Aide : ", "", ""),
    ("Remove ", "Retirer ", "", ""),
    ("Shortcut ", "Raccourci ", "", ""),
    ("day, ", "jour, ", " start date", " : date de début"),
    ("month, ", "mois, ", " start date", " : date de début"),
    ("year, ", "année, ", " start date", " : date de début"),
    ("day, ", "jour, ", " end date", " : date de fin"),
    ("month, ", "mois, ", " end date", " : date de fin"),
    ("year, ", "année, ", " end date", " : date de fin"),
    ("", "", " start date", " : date de début"),
    ("", "", " end date", " : date de fin"),
)
# Controls whose French text a style sheet writes (uploader_texts): their accessible name.
ARIA_FR_NAMED = (
    ("[data-testid='stFileUploaderDropzone'] button[data-testid='stBaseButton-secondary']", "Choisir un fichier"),
)
RENAME = """<script>
(() => {
  const doc = window.parent.document;
  window.__pageLang = %(lang)s;
  if (window.__ariaRenamer) return window.__ariaRenamer(doc.body);
  const whole = %(whole)s, around = %(around)s, named = %(named)s;
  const attrs = ["aria-label", "title", "data-title"], labelled = "[aria-label], [title], [data-title]";
  const rename = (value) => {
    if (whole[value]) return whole[value];
    for (const [eb, fb, ea, fa] of around)
      if (value.startsWith(eb) && value.endsWith(ea) && value.length > eb.length + ea.length)
        return fb + value.slice(eb.length, value.length - ea.length) + fa;
    return null;
  };
  const fixOne = (el) => {
    for (const attr of attrs) {
      const value = el.getAttribute(attr), renamed = value && rename(value);
      if (renamed) el.setAttribute(attr, renamed);
    }
  };
  const svg = "http://www.w3.org/2000/svg";
  const fix = (root) => {
    // Nothing inside a drawing is named (plotly's controls are HTML around it): skipping
    // SVG keeps the thousands of nodes a chart adds one by one from costing a scan each.
    if (window.__pageLang !== "fr" || root.nodeType !== 1 || root.namespaceURI === svg) return;
    if (root.matches(labelled)) fixOne(root);
    for (const el of root.querySelectorAll(labelled)) fixOne(el);
    for (const [selector, name] of named)
      for (const el of [...(root.matches(selector) ? [root] : []), ...root.querySelectorAll(selector)])
        if (el.getAttribute("aria-label") !== name) el.setAttribute("aria-label", name);
  };
  window.__ariaRenamer = fix;
  // Only what changed: the nodes added and the elements whose names changed (scanning the
  // whole page on each change cost a chart page about a second while plotly drew).
  new MutationObserver((records) => {
    for (const record of records)
      if (record.type === "attributes") fix(record.target);
      else for (const node of record.addedNodes) fix(node);
  }).observe(doc.body, {subtree: true, childList: true, attributes: true, attributeFilter: attrs});
  fix(doc.body);
})();
</script>"""


def renamer_script(lang: str) -> str:
    """The renamer's <script> element for a page in `lang`. The proxy's Content-Security-
    Policy allows it by its hash (docs/nginx/participation-headers.conf): a change here
    needs the new hashes there (tests/test_browser_proxy.py names them)."""
    import json

    values = {"lang": json.dumps(lang), "whole": json.dumps(ARIA_FR), "around": json.dumps(ARIA_FR_AROUND)}
    values["named"] = json.dumps(ARIA_FR_NAMED)
    return RENAME % values


def _french_rules(lang: str) -> str:
    """The style rules writing Streamlit's own texts in French ("" in English)."""
    if lang == "en":
        return ""
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
    return rules + "font-size: 1rem; }\n"


def page_texts(lang: str) -> None:
    """The darker captions, Streamlit's own texts in the page's language and the renamer of
    its controls, as ONE element (every element drawn delays a page's first view:
    bench/README.md, "Pages"), the sidebar's first: the frame draws it before
    anything else, so that no caption is ever painted in Streamlit's paler grey. In the
    sidebar, not first in the page: presentation mode hides the page's first element (the
    demo banner) and the whole sidebar, where a style sheet still applies."""
    style = f"<style>\n{CONTRAST}{CARD_STYLE}{_french_rules(lang)}</style>\n"
    st.sidebar.html(style + renamer_script(lang), unsafe_allow_javascript=True)


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
