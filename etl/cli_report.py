"""`python -m etl report`: the deck (PowerPoint), the offline HTML report or its A4 PDF of a
selection, from the same slides as the Present page (ui/slides.py: same queries, same
chart builders, same takeaways), so that a coordinator can schedule the monthly report.

    python -m etl report --format pptx|html|pdf -o FILE [--city CODE_OR_NAME]...
        [--from DATE] [--to DATE] [--lang fr|en] [--charts KEY...] [--title TEXT]

The PDF is the HTML report printed on A4 by the installed Chromium (Playwright drives it,
offline). The file is written whole or not at all (a temporary file renamed at the end).
Exit codes: 0 written, 1 nothing matches the selection or the file cannot be made (the
reason is printed), 2 usage error (an unknown city or chart, a date that cannot be read).
Registered by etl/cli.py; the read side is imported only when the command runs.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from etl.cli_figures import WORDS as FIGURE_WORDS
from etl.cli_figures import _date, _message, _quiet_streamlit
from etl.db import writing
from etl.paths import database_path

FORMATS = ("pptx", "html", "pdf")
PDF_TIMEOUT_MS = 120_000
A4_WIDTH_PX = 718  # 190 mm (A4 less its margins) at 96 px an inch
LAYOUT_WIDTH_PX = 1120  # the charts are laid out as on a screen, then printed at A4_WIDTH_PX
WORDS = {
    "fr": {
        "written": "✔ {path} : {n} diapositives ({keys})",
        "no_data": "✘ Aucune activité n'est chargée : rien à mettre dans le rapport. Chargez des fichiers "
        "(python -m etl load) ou la démonstration (python -m etl demo).",
        "no_match": "✘ Aucune activité ne correspond à la sélection ({scope}, du {start} au {end}) : "
        "élargissez la période ou choisissez d'autres villes.",
        "no_city_data": "✘ Aucune activité chargée pour {names} : aucune de ces villes n'a de données.",
        "unknown_chart": "graphique inconnu : « {key} ». Graphiques possibles : {keys}.",
        "unavailable": "✘ Aucun des graphiques demandés ne convient à cette sélection ({asked}) : {why}",
        "skipped": "⚠ Graphiques laissés de côté pour cette sélection : {keys} ({why})",
        "why": "« côte à côte » demande 2 à {most} villes ; l'entonnoir des propositions et la matrice, une seule ville",
        "no_browser": "✘ Le PDF est imprimé par Chromium, introuvable ici ({error}). Installez-le "
        "(« apt-get install chromium ») ou produisez le rapport HTML (--format html).",
        "all": "toutes les villes",
    },
    "en": {
        "written": "✔ {path}: {n} slides ({keys})",
        "no_data": "✘ No activity is loaded: nothing to put in the report. Load files (python -m etl load) "
        "or the demo (python -m etl demo).",
        "no_match": "✘ No activity matches the selection ({scope}, from {start} to {end}): widen the period "
        "or choose other cities.",
        "no_city_data": "✘ No activity loaded for {names}: none of these cities has data.",
        "unknown_chart": 'unknown chart: "{key}". Charts: {keys}.',
        "unavailable": "✘ None of the charts asked for suits this selection ({asked}): {why}",
        "skipped": "⚠ Charts left out for this selection: {keys} ({why})",
        "why": '"side by side" needs 2 to {most} cities; the proposals funnel and the matrix, one city',
        "no_browser": "✘ The PDF is printed by Chromium, which cannot be started here ({error}). Install it "
        '("apt-get install chromium") or make the HTML report (--format html).',
        "all": "every city",
    },
}


class NothingToReport(Exception):
    """Exit 1: the selection holds nothing to report, said in the command's language."""


def add_report_parser(sub, with_db) -> None:
    s = with_db(sub.add_parser("report", help="diaporama ou rapport d'une sélection / deck or report of a selection"))
    s.add_argument("--format", choices=FORMATS, required=True, help="pptx, html ou/or pdf (A4)")
    s.add_argument("-o", "--output", type=Path, required=True, help="fichier à écrire / file to write")
    s.add_argument("--city", action="append", default=[], help="code ou nom, répétable / code or name, repeatable")
    s.add_argument("--from", dest="start", default=None, help="AAAA-MM-JJ / YYYY-MM-DD (défaut : première activité)")
    s.add_argument("--to", dest="end", default=None, help="AAAA-MM-JJ / YYYY-MM-DD (défaut : dernière activité)")
    s.add_argument("--lang", dest="report_lang", choices=["fr", "en"], default=None, help="langue / language")
    s.add_argument("--charts", nargs="+", default=[], metavar="KEY", help="graphiques, dans l'ordre / charts, in order")
    s.add_argument("--title", default=None, help="titre du rapport / the report's title")


def _codes(con, wanted: list[str], lang: str, usage_error) -> list[str]:
    from queries.figures import resolve_cities

    codes, unknown = resolve_cities(con, wanted, lang)
    if unknown:
        text, near = next(iter(unknown.items()))
        fr_near = FIGURE_WORDS["fr"]["near"].format(names=", ".join(f"« {n} »" for n in near)) if near else ""
        en_near = FIGURE_WORDS["en"]["near"].format(names=", ".join(f'"{n}"' for n in near)) if near else ""
        raise usage_error(
            FIGURE_WORDS["fr"]["unknown"].format(text=text, near=fr_near),
            FIGURE_WORDS["en"]["unknown"].format(text=text, near=en_near),
        )
    return codes


def build_view(args, lang: str, usage_error):
    """The Present page's view of the selection the options describe, and the chart keys."""
    from charts.format import fmt_date
    from queries import choices, data_version, fetch_selection, frame_facts
    from queries.lenses import BASE
    from queries.selection import from_query
    from ui import slides
    from views.compare import MAX_CITIES

    words = WORDS[lang]
    start, end = _date(args.start, "--from", usage_error), _date(args.end, "--to", usage_error)
    if start and end and start > end:
        raise usage_error(*_message("order", start=start.isoformat(), end=end.isoformat()))
    unknown = [k for k in args.charts if k not in slides.KEYS]
    if unknown:
        keys = ", ".join(slides.KEYS)
        raise usage_error(
            WORDS["fr"]["unknown_chart"].format(key=unknown[0], keys=keys),
            WORDS["en"]["unknown_chart"].format(key=unknown[0], keys=keys),
        )
    with writing(database_path(args.db)) as con:  # migrated, so that the read side finds its tables
        codes = _codes(con, args.city, lang, usage_error)
    version = data_version()
    facts = frame_facts(version)
    if not facts.choices.cities:
        raise NothingToReport(words["no_data"])
    names = facts.city_names(lang)
    first, last = start or facts.choices.first, end or facts.choices.last
    if first > last:  # the page would fall back to the whole period; a scheduled report must not
        scope = ", ".join(names.get(c, c) for c in codes) or words["all"]
        raise NothingToReport(
            words["no_match"].format(scope=scope, start=fmt_date(first, lang), end=fmt_date(last, lang))
        )
    selection = from_query({"city": codes, "from": [first.isoformat()], "to": [last.isoformat()]}, choices(version))
    if codes and not selection.cities:
        raise NothingToReport(words["no_city_data"].format(names=", ".join(names.get(c, c) for c in codes)))
    view = slides.View(
        selection, version, lang, BASE, tuple(sorted(names.items())), *slides.footer_facts(version, lang)
    )
    aggregates = fetch_selection("aggregates_by_city", selection, version=version, lang=lang)
    if aggregates.empty or aggregates["activities"].sum() == 0:
        scope = ", ".join(names.get(c, c) for c in selection.cities) or words["all"]
        raise NothingToReport(
            words["no_match"].format(
                scope=scope, start=fmt_date(selection.start, lang), end=fmt_date(selection.end, lang)
            )
        )
    allowed = slides.available(selection)
    why = words["why"].format(most=MAX_CITIES)
    asked = list(dict.fromkeys(args.charts))
    keys = [k for k in asked if k in allowed] if asked else allowed
    if asked and not keys:
        raise NothingToReport(words["unavailable"].format(asked=", ".join(asked), why=why))
    left_out = [k for k in asked if k not in allowed]
    if left_out:
        print(words["skipped"].format(keys=", ".join(left_out), why=why), file=sys.stderr)
    return view, keys


def _pdf(html: str, target: Path) -> None:
    """The HTML report printed on A4 by Chromium, once every chart is drawn."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from exports.images import chromium_path

    browser_path = chromium_path()
    with tempfile.TemporaryDirectory() as work:
        page_file = Path(work) / "report.html"
        page_file.write_text(html, encoding="utf-8")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox", "--disable-gpu"])
                try:
                    # Laid out at a screen's width (the city names and labels are placed for it),
                    # printed scaled to A4's: the charts are not cut at the right edge.
                    page = browser.new_page(viewport={"width": LAYOUT_WIDTH_PX, "height": 1000})
                    # Offline: the report needs nothing from the network, and gets nothing.
                    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
                    page.goto(page_file.as_uri())
                    page.wait_for_function(
                        "() => [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'))",
                        timeout=PDF_TIMEOUT_MS,
                    )
                    page.emulate_media(media="print")
                    target.write_bytes(
                        page.pdf(
                            format="A4",
                            scale=A4_WIDTH_PX / LAYOUT_WIDTH_PX,
                            print_background=True,
                            margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"},
                        )
                    )
                finally:
                    browser.close()
        except PlaywrightError as exc:
            raise OSError(str(exc).splitlines()[0]) from exc


def write_report(view, keys: list[str], fmt: str, target: Path, title: str) -> int:
    """Write the deck or report of `keys` to `target` (whole or not at all); the slide count."""
    from ui import slides

    built = slides.build_all(keys, view)
    fd, temporary = tempfile.mkstemp(prefix=".report-", suffix=f".{fmt}", dir=target.parent)
    os.close(fd)
    part = Path(temporary)
    try:
        if fmt == "pptx":
            from exports.deck_pptx import deck_pptx

            part.write_bytes(deck_pptx(built, lang=view.lang))
        else:
            from exports.report_html import deck_html

            html = deck_html(title, slides.subtitle(view), built, view.lang)
            if fmt == "html":
                part.write_text(html, encoding="utf-8")
            else:
                _pdf(html, part)
        mask = os.umask(0)
        os.umask(mask)
        part.chmod(0o666 & ~mask)  # as any file the user writes (mkstemp makes it private)
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)
    return len(built)


def cmd_report(args, usage_error) -> int:
    _quiet_streamlit()
    from exports.images import ExportUnavailable
    from ui.texts import text
    from ui.texts.present import TEXT

    lang = args.report_lang or args.lang
    os.environ["ENGAGEMENT_DB"] = str(database_path(args.db))  # the read side reads this database
    target = args.output
    if not target.parent.is_dir():
        raise OSError(2, "no such directory / dossier introuvable", str(target.parent))
    try:
        view, keys = build_view(args, lang, usage_error)
    except NothingToReport as exc:
        print(exc, file=sys.stderr)
        return 1
    title = args.title or text(TEXT, "report_title", lang)
    try:
        count = write_report(view, keys, args.format, target, title)
    except ExportUnavailable as exc:
        print(f"✘ {exc.message(lang)}", file=sys.stderr)
        return 1
    except OSError as exc:
        if args.format != "pdf":
            raise
        print(WORDS[lang]["no_browser"].format(error=exc), file=sys.stderr)
        return 1
    print(WORDS[lang]["written"].format(path=target, n=count, keys=", ".join(keys)))
    return 0
