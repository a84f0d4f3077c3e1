"""Exports: PNG and SVG drawn by kaleido in Debian's Chromium (and a clear message
without it), the PowerPoint deck, the offline HTML report, the one-page city report,
and the chart widget."""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pandas as pd
import pytest
from pptx import Presentation
from pptx.util import Inches

from charts.presentation import level_keys, present
from etl.schema import load_framework
from exports import images
from exports.city_report import city_report_html
from exports.deck_pptx import deck_pptx
from exports.report_html import deck_html
from queries import choices, data_version
from queries.selection import from_query
from ui import slides
from ui.chart import figure_table
from views.city import FIGURES as CITY_FIGURES

FRAMEWORK = load_framework()
needs_chromium = pytest.mark.skipif(not images.available(), reason="no Chromium: apt-get install chromium")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def view(demo_db, monkeypatch):
    def make(lang: str = "fr", **query) -> slides.View:
        monkeypatch.setenv("ENGAGEMENT_DB", str(demo_db))
        version = data_version()
        selection = from_query({k: v if isinstance(v, list) else [v] for k, v in query.items()}, choices(version))
        names = (("69123", "Lyon"), ("75056", "Paris"))
        return slides.View(selection, version, lang, "fr", names, *slides.footer_facts(version, lang))

    return make


class Sources(HTMLParser):
    """Every tag, and every URL-bearing attribute, of an HTML document."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "data", "poster", "action") and value is not None:
                self.urls.append((tag, name, value))

    def handle_endtag(self, tag):
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse(html: str) -> Sources:
    parser = Sources()
    parser.feed(html)
    return parser


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


# --- Images ------------------------------------------------------------------------


@needs_chromium
def test_png_and_svg_at_presentation_size(view):
    ladder = slides.build("ladder", view())
    figure = present(ladder.figure, levels=ladder.levels)
    png, svg = images.render([figure], "png")[0], images.render_one(figure, "svg")
    assert png_size(png) == (1280, 720)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and (root.get("width"), root.get("height")) == ("1280", "720")
    texts = ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]
    assert ladder.title in texts
    assert {f"{lv.rank} · {lv.label('fr')}" for lv in FRAMEWORK.levels} <= set(texts)  # levels named in the legend
    sizes = [float(node.get("style").split("font-size:")[1].split("px")[0]) for node in root.iter(f"{SVG}text")]
    assert min(sizes) >= 18 and max(sizes) >= 28


@needs_chromium
def test_several_figures_in_one_session_keep_their_own_sizes(view):
    trend = slides.build("trend", view())
    small, large = (trend.figure.update_layout(width=w, height=h) for w, h in ((400, 300), (900, 500)))
    out = images.render([present(small, height=300, width=400), present(large, height=500, width=900)], "png")
    assert [png_size(b) for b in out] == [(400, 300), (900, 500)]


def test_without_chromium_a_clear_message_in_both_languages(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert images.chromium_path() is None and not images.available()
    with pytest.raises(images.ExportUnavailable) as caught:
        images.render_one(present(slides_free_figure()), "png")
    assert "apt-get install chromium" in caught.value.fr and "aucun navigateur Chromium" in caught.value.fr
    assert "no Chromium browser is installed" in caught.value.en and "CSV" in caught.value.message("en")


def test_unknown_image_format_is_refused():
    with pytest.raises(ValueError, match="jpeg"):
        images.render_one(slides_free_figure(), "jpeg")


def slides_free_figure():
    import plotly.graph_objects as go

    return go.Figure(go.Bar(x=["a", "b"], y=[1, 2], name="série"), layout={"title": "Titre"})


# --- PowerPoint ----------------------------------------------------------------------


@needs_chromium
def test_pptx_has_one_slide_per_chart_with_title_takeaway_source_and_number(view):
    built = slides.build_all(["trend", "ladder", "adoption"], view(city=["69123", "75056"]))
    deck = Presentation(io.BytesIO(deck_pptx(built, lang="fr")))
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    assert len(deck.slides) == 3
    for number, (page, slide) in enumerate(zip(deck.slides, built, strict=True), start=1):
        assert page.shapes.title.text == slide.title
        pictures = [s for s in page.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == 1
        assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == slide.summary
        assert png_size(pictures[0].image.blob)[0] >= 1280
        texts = [s.text_frame.text for s in page.shapes if s.has_text_frame]
        assert slide.summary in texts
        footer = next(t for t in texts if t.endswith(f"{number}/3"))
        assert footer.startswith(slide.source) and f"données du {slide.data_date}" in footer
        assert slide.summary in page.notes_slide.notes_text_frame.text


def test_pptx_takes_given_pictures_and_speaks_english(view):
    built = slides.build_all(["trend", "map"], view("en"))
    picture = png_bytes()
    deck = Presentation(io.BytesIO(deck_pptx(built, [picture, picture], lang="en")))
    assert [s.shapes.title.text for s in deck.slides] == [b.title for b in built]
    assert any("data as of" in s.text_frame.text for s in deck.slides[1].shapes if s.has_text_frame)


def png_bytes() -> bytes:
    """A real 2×2 PNG (written by Pillow, which python-pptx already needs)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, "PNG")
    return buffer.getvalue()


# --- Offline HTML report --------------------------------------------------------------


def test_html_report_is_self_contained_and_escapes_names(view):
    built = slides.build_all(["trend", "ladder", "map", "adoption"], view(city=["69123", "75056", "38185"]))
    html = deck_html("Bilan <script>alert(1)</script>", "du 1 janv. au 31 déc.", built, "fr")
    parsed = parse(html)
    assert parsed.urls == []  # no script, style sheet, image or frame from anywhere
    assert "<script>alert(1)" not in html and "Bilan &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "plotly.js v" in parsed.scripts[0][:500]  # plotly.js itself, inline
    assert sum("Plotly.newPlot" in s for s in parsed.scripts) == 4
    assert parsed.tags.count("section") == 4 and parsed.tags.count("table") == 4
    assert all(f"<h2>{s.title.replace(chr(39), '&#x27;')}</h2>" in html for s in built)
    assert all(s.summary.replace("'", "&#x27;") in html for s in built)
    assert '<html lang="fr">' in html and "@media print" in html


def test_city_report_fits_a_printed_page_and_names_its_figures(view):
    lyon = view(city="69123")
    html = slides.city_report(lyon)
    parsed = parse(html)
    assert parsed.urls == []
    assert "<title>Lyon — participation citoyenne</title>" in html and "@page { size: A4 portrait" in html
    assert html.count('<th scope="row"') == len(CITY_FIGURES)
    assert "Médiane des villes de la mission" in html and "Indice de profondeur" in html
    assert [s.title for s in (slides.build("ladder", lyon), slides.build("trend", lyon))] == [
        "Degrés d'engagement par ville",
        "Activités par trimestre et degré d'engagement",
    ]
    if images.available():  # drawn as inline SVG: no script at all
        assert parsed.tags.count("svg") >= 2 and "script" not in parsed.tags
    else:
        assert "plotly.js v" in parsed.scripts[0][:500]


def test_city_report_without_pictures_draws_with_inline_plotly(view):
    lyon = view("en", city="69123")
    charts = [slides.build("ladder", lyon), slides.build("trend", lyon)]
    html = city_report_html("Lyon", ("1 Jan 2022", "25 Nov 2026"), [], charts, "en", svgs=None)
    parsed = parse(html)
    assert parsed.urls == [] and sum("Plotly.newPlot" in s for s in parsed.scripts) == 2
    assert "Lyon — citizen engagement" in html and "Activities from 1 Jan 2022 to 25 Nov 2026" in html


# --- The chart widget ------------------------------------------------------------------


def test_figure_table_reads_the_drawn_values():
    table = figure_table(slides_free_figure().update_layout(xaxis_title="Ville", yaxis_title="Activités"), "fr")
    assert table.to_dict("records") == [
        {"Série": "série", "Ville": "a", "Activités": 1},
        {"Série": "série", "Ville": "b", "Activités": 2},
    ]


def _widget_app():
    import pandas as pd
    import plotly.graph_objects as go

    from ui.chart import chart

    fig = go.Figure(go.Bar(x=["Lyon"], y=[3], name="Atelier"), layout={"title": "Titre"})
    data = pd.DataFrame({"ville": ["=HYPERLINK(1)"], "activites": [3]})
    chart(fig, key="w", lang="fr", summary="Lyon compte 3 activités.", data=data, name="lyon")


def _buttons(at) -> dict[str, object]:
    return {b.proto.label: b.proto for b in at.get("download_button")}


@pytest.mark.parametrize("with_chromium", [True, False])
def test_widget_shows_summary_table_and_four_downloads(monkeypatch, with_chromium):
    from streamlit.testing.v1 import AppTest

    if not with_chromium:
        monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    elif not images.available():
        pytest.skip("no Chromium")
    at = AppTest.from_function(_widget_app).run()
    assert not at.exception
    assert at.caption[0].value == "Lyon compte 3 activités\\."  # escaped: names in it come from the database
    assert at.expander[0].label == "Données et téléchargements"
    assert not at.dataframe and not _buttons(at)  # closed: its table and files are not built
    at.session_state["w_data"] = True  # the reader opens the expander
    at.run()
    assert at.dataframe[0].value.to_dict("records") == [{"ville": "=HYPERLINK(1)", "activites": 3}]
    buttons = _buttons(at)
    assert list(buttons) == ["Image PNG", "Image SVG", "Données CSV", "Données Excel"]
    assert [buttons[k].disabled for k in buttons] == [not with_chromium, not with_chromium, False, False]
    if not with_chromium:
        assert "apt-get install chromium" in at.caption[1].value


def test_widget_files_are_built_from_the_chart_and_neutralised():
    from openpyxl import load_workbook

    from ui.chart import files

    data = pd.DataFrame({"ville": ['=HYPERLINK("http://x")', "Lyon"], "activites": [3, 4]})
    built = files(slides_free_figure(), data, "fr")
    assert set(built) == {"png", "svg", "csv", "xlsx"}
    assert built["csv"]().decode("utf-8") == '\ufeffville;activites\n"\'=HYPERLINK(""http://x"")";3\nLyon;4\n'
    sheet = load_workbook(io.BytesIO(built["xlsx"]())).active
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"
    assert set(files(slides_free_figure(), None, "fr")) == {"png", "svg"}
    if images.available():
        assert ET.fromstring(built["svg"]()).get("width") == "1280"
    assert level_keys(FRAMEWORK, "fr")[0] == ("Information", "#FDE725")


@needs_chromium
def test_rank_labels_are_drawn_on_the_city_bars_at_112_cities(view):
    """Every mission city: the bar charts by city continue over slides of at most
    PAGE_BARS cities, and in the PowerPoint picture of each, the rank of every level is
    written on the bars (levels told apart without colour)."""
    from exports.deck_pptx import PICTURE_PX

    built = slides.build_all(["ladder", "lens"], view())
    assert len(built) == 20
    width, height = PICTURE_PX
    figures = [present(s.figure, levels=s.levels, title=False, width=width, height=height) for s in built]
    for slide, svg in zip(built, images.render(figures, "svg", width=width, height=height), strict=True):
        root = ET.fromstring(svg)
        ranks = [t.text for t in root.iter(f"{SVG}text") if "bartext" in (t.get("class") or "")]
        wide = sum(int((pd.Series(trace.x) >= 5).sum()) for trace in slide.figure.data)  # 5 % and more of a bar
        assert set(ranks) == {"1", "2", "3", "4", "5"}, (slide.title, ranks)
        assert len(ranks) >= wide, (slide.title, len(ranks), wide)


@needs_chromium
def test_the_side_by_side_picture_keeps_its_legend_under_its_title(view):
    """PNG/SVG of a chart with its title: title, subtitle, then legend, one under the
    other (the legend of "side by side" rose into the title)."""
    import re

    multiples = slides.build("multiples", view(city=["69123", "75056"]))
    svg = images.render_one(present(multiples.figure, levels=multiples.levels), "svg").decode()
    legend_top = float(re.search(r'<g class="legend"[^>]*translate\([\d.]+,([\d.]+)\)', svg).group(1))
    title = re.search(r'<text class="gtitle" [^>]*y="([\d.]+)"[^>]*font-size: (\d+)px', svg)
    subtitle = re.search(r'<text class="gtitle-subtitle" [^>]*y="([\d.]+)"[^>]*font-size: (\d+)px', svg)
    for top, size in (title.groups(), subtitle.groups()):
        assert legend_top >= float(top) + 1.1 * float(size), (legend_top, top, size)
