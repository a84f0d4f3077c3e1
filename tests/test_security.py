"""Security hardening (issue 20): nothing from a URL, a file or the database renders as
markup. Each test drives the whole app (AppTest) with hostile text and reads what the
browser would render: every markdown text through a CommonMark + GFM parser (links,
images, bold, raw HTML, autolinks), every plotly figure's strings for live HTML tags."""

from __future__ import annotations

import base64
import hashlib
import html as html_module
import json
import re
from pathlib import Path

import duckdb
import pytest
from google.protobuf.json_format import MessageToDict
from markdown_it import MarkdownIt

from charts.format import escape_markdown, plot_text
from tests.conftest import ROOT, run_app

LYON = "69123"
LINK = "[link-payload](http://evil.example/a)"
IMAGE = "![img-payload](http://host.example/b.png)"
BOLD = "**bold-payload**"
HTML = '<a href="http://evil.example/h">html-payload</a>'
STYLE = '<span style="font-size:90px">style-payload</span>'
HOSTILE = f"Lyon {LINK} {IMAGE} {BOLD} {HTML} {STYLE} www.evil.example"

# Streamlit renders markdown with react-markdown + remark-gfm: CommonMark, tables,
# strikethrough and autolinks. markdown-it's "gfm-like" preset is the same grammar.
MARKDOWN = MarkdownIt("gfm-like")
MARKDOWN_KEYS = {"body", "label", "help", "placeholder"}  # element fields Streamlit reads as markdown


def _strings(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str):
        yield key, value


def _elements(node):
    children = getattr(node, "children", None)
    if children:
        for child in children.values():
            yield from _elements(child)
    elif getattr(node, "proto", None) is not None:
        yield node


def rendered(at) -> tuple[list[str], list[str]]:
    """The HTML of every markdown text of the page (main and sidebar) that holds a payload,
    and every string of its plotly figures."""
    markdown, plotted = [], []
    for element in [*_elements(at.main), *_elements(at.sidebar)]:
        fields = MessageToDict(element.proto)
        if element.type == "plotly_chart":
            figure = json.loads(fields.get("spec", "{}"))
            plotted += [s for _, s in _strings(figure)]
            continue
        for key, value in _strings(fields):
            if key in MARKDOWN_KEYS and "payload" in value:
                markdown.append(MARKDOWN.render(value))
    return markdown, plotted


def assert_literal(at, *, plots: bool = False) -> None:
    """Payloads show as text, never as a link, an image, bold or HTML."""
    markdown, plotted = rendered(at)
    assert markdown, "no payload reached a markdown text"
    for html in markdown:
        assert "payload" in html  # shown, not dropped
        for live in ('href="http://evil', 'src="http://host', "<strong>bold-payload", "<span style", "<img"):
            assert live not in html, html
        assert 'href="http://www.evil' not in html, html
        # Streamlit's remark-gfm links http://, https:// and www. in the text as read, escapes gone.
        visible = html_module.unescape(re.sub(r"<[^>]+>", "", html))
        assert not re.search(r"(?i)https?://|www\.", visible), visible
    if plots:
        assert any("&lt;a href" in s for s in plotted), "the hostile name is in no chart"
    for s in plotted:
        assert "<a href" not in s and "<span style" not in s, s


def test_helpers_escape_every_construct():
    for payload in (LINK, IMAGE, BOLD, HTML, "www.evil.example", "a\n===", ":red[x]", "$x$", "1. x"):
        html = MARKDOWN.render(escape_markdown(payload))
        assert html.count("<") == 2 and html.startswith("<p>"), html  # one paragraph of text
    assert plot_text('<a href="x">R&D</a>') == '&lt;a href="x"&gt;R&amp;D&lt;/a&gt;'


def test_ignored_url_parameters_render_as_text(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, city=[LINK], country=[IMAGE], method=[BOLD], theme=[HTML])
    assert not at.exception
    notice = at.sidebar.warning[0].body
    assert "Paramètres d'adresse ignorés" in notice
    html = MARKDOWN.render(notice)
    for payload in ("link-payload", "img-payload", "bold-payload"):  # values are cut at 40 characters
        assert payload in html
    assert_literal(at)


@pytest.fixture
def hostile_db(demo_copy):
    """The demo data with Lyon renamed to a hostile name (as a coordinator could name a city)."""
    con = duckdb.connect(str(demo_copy))
    con.execute("UPDATE cities SET nom = ?, nom_fr = ?, nom_en = ? WHERE code = ?", [HOSTILE] * 3 + [LYON])
    con.close()
    return demo_copy


def test_city_page_caption_summaries_and_charts(monkeypatch, hostile_db):
    at = run_app(monkeypatch, hostile_db, "app_pages/city.py", city=[LYON])
    assert not at.exception
    assert any("payload" in c.value for c in at.caption)  # the city's name in the caption
    assert_literal(at)


def test_compare_page(monkeypatch, hostile_db):
    at = run_app(monkeypatch, hostile_db, "app_pages/compare.py", city=[LYON, "75056", "13055"])
    assert not at.exception
    assert_literal(at, plots=True)


def test_overview_and_degrees_charts(monkeypatch, hostile_db):
    for page in ("app_pages/overview.py", "app_pages/degrees.py"):
        at = run_app(monkeypatch, hostile_db, page, city=[LYON, "75056"])
        assert not at.exception
        _, plotted = rendered(at)
        assert any("&lt;a href" in s for s in plotted), page
        assert not any("<a href" in s or "<span style" in s for s in plotted), page


def test_history_caption_and_presenters_report_button(monkeypatch, hostile_db):
    monkeypatch.setenv("ENGAGEMENT_DEMO", "1")
    at = run_app(monkeypatch, hostile_db, "app_pages/history.py", demo_role="editor", demo_city=LYON)
    assert not at.exception
    assert_literal(at)
    at = run_app(monkeypatch, hostile_db, "app_pages/present.py", city=[LYON])
    assert not at.exception
    assert any("payload" in b.label for b in at.get("download_button"))
    assert_literal(at)


def test_history_offers_a_city_editor_only_its_rows_of_a_mixed_load(monkeypatch, demo_copy, write_csv):
    from etl.access import Principal
    from etl.db import open_database
    from etl.load import load_file
    from tests.test_roles import MIXED

    con = open_database(demo_copy)
    mixed = load_file(
        con, write_csv("bilan.csv", MIXED), principal=Principal("demo-coordinator", "coordinator", demo=True)
    )
    con.close()
    assert mixed.status == "loaded"
    monkeypatch.setenv("ENGAGEMENT_DEMO", "1")
    at = run_app(monkeypatch, demo_copy, "app_pages/history.py", demo_role="editor", demo_city=LYON)
    at.selectbox(key="history_load").set_value(mixed.load_id).run()
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Télécharger vos lignes (CSV)"]  # not the file uploaded
    assert any("vous recevez une copie de vos seules lignes" in c.value for c in at.caption)


PASSWORD = "a long enough passphrase"


def _signed_in_app(monkeypatch, db, login="alice@example.org"):
    at = run_app(monkeypatch, db, "app_pages/signin.py")
    at.text_input(key="signin_login").input(login)
    at.text_input(key="signin_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    return at


def _account_box(at) -> str:
    return " ".join(m.value for m in at.sidebar.markdown)


@pytest.mark.parametrize("change", ["password", "cities", "removal", "re-creation"])
def test_a_session_is_signed_out_when_its_account_changes(monkeypatch, demo_copy, change):
    """Issue 20: after `users passwd` the open session stayed signed in; after `users
    remove` and a re-creation as coordinator, the old tab showed Administration."""
    from etl.db import open_database
    from service import accounts

    con = open_database(demo_copy)
    accounts.add_account(con, "alice@example.org", "editor", [LYON], PASSWORD, display_name="Alice")
    con.close()
    at = _signed_in_app(monkeypatch, demo_copy)
    assert "Alice" in _account_box(at)
    at.run()
    assert "Alice" in _account_box(at)  # the same account: still signed in
    con = open_database(demo_copy)
    if change == "password":
        accounts.set_password(con, "alice@example.org", "another long passphrase")
    elif change == "cities":
        accounts.update_account(con, "alice@example.org", cities=[LYON, "75056"])
    else:
        accounts.remove_account(con, "alice@example.org")
        if change == "re-creation":
            accounts.add_account(con, "alice@example.org", "coordinator", password="anyone's passphrase")
    con.close()
    at.run()
    assert not at.exception
    assert "Alice" not in _account_box(at)
    assert any("Vous avez été déconnecté" in w.value for w in at.warning)
    assert "auth_local_login" not in at.session_state and at.session_state["auth_principal"] is None


def test_account_box_shows_names_as_text(monkeypatch, hostile_db):
    from etl.db import open_database
    from service import accounts

    con = open_database(hostile_db)
    accounts.add_account(con, "alice@example.org", "editor", [LYON], PASSWORD, display_name=f"Alice {BOLD} {LINK}")
    con.close()
    at = _signed_in_app(monkeypatch, hostile_db)
    assert "Alice" in _account_box(at)
    assert_literal(at)


def test_follow_up_page(monkeypatch, hostile_db):
    at = run_app(monkeypatch, hostile_db, "app_pages/followup.py", ville=LYON)
    assert not at.exception
    assert_literal(at, plots=True)


def test_viewers_sign_in_shows_anonymous_visitors_only_the_sign_in(monkeypatch, demo_copy):
    """Issue 20: with ENGAGEMENT_VIEWERS_SIGN_IN=1 the sidebar still listed the cities with
    data, the countries, the methods and the data's date range."""
    from etl.db import open_database
    from service import accounts

    con = open_database(demo_copy)
    accounts.add_account(con, "alice@example.org", "viewer", password=PASSWORD)
    con.close()
    monkeypatch.setenv("ENGAGEMENT_VIEWERS_SIGN_IN", "1")
    at = run_app(monkeypatch, demo_copy, city=[LYON, "nowhere"])
    assert not at.exception
    assert not at.sidebar.multiselect and not at.sidebar.date_input  # no filter, so no list of cities
    assert not at.sidebar.warning  # not even the ignored parameters
    assert [t.value for t in at.title] == ["Se connecter"]
    shown = " ".join(str(MessageToDict(e.proto)) for e in [*_elements(at.main), *_elements(at.sidebar)])
    for data in ("Lyon", "Paris", "Atelier", "2024"):
        assert data not in shown
    at.text_input(key="signin_login").input("alice@example.org")
    at.text_input(key="signin_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.sidebar.multiselect(key="flt_city")  # signed in: the dashboards and their filters


def test_upload_page_shows_a_files_headers_and_name_as_text(monkeypatch, demo_copy):
    from tests.test_upload_page import TWO_CITIES, app, upload

    hostile = TWO_CITIES.decode("utf-8-sig").replace("nb_seances", f"{BOLD} {LINK}", 1).encode("utf-8")
    at = upload(app(monkeypatch, demo_copy), f"{BOLD}.csv", hostile)
    assert not at.exception
    assert any("bold\\-payload" in s.label for s in at.selectbox)  # the unknown header, escaped
    assert_literal(at)


SNIPPET = ROOT / "docs" / "nginx" / "participation-headers.conf"


def documented_headers() -> dict[str, str]:
    """name -> value of each `add_header` of the proxy's security headers snippet."""
    found = re.findall(r'^add_header\s+(\S+)\s+"([^"]*)"\s+always;', SNIPPET.read_text(encoding="utf-8"), flags=re.M)
    return dict(found)


def _inline_scripts(html: str) -> list[str]:
    return re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)


def test_the_inline_script_hashes_are_those_of_the_scripts():
    """Streamlit's index.html has one inline script and the frame adds one (the French
    names of Streamlit's controls, per language); the policy allows each by its hash."""
    import streamlit

    from ui.widget_texts import renamer_script

    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    scripts = {"Streamlit's index.html": _inline_scripts(html)}
    scripts |= {f"ui/widget_texts.py ({lang})": _inline_scripts(renamer_script(lang)) for lang in ("fr", "en")}
    for where, bodies in scripts.items():
        assert bodies, where
        for body in bodies:
            digest = "sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            assert f"'{digest}'" in documented_headers()["Content-Security-Policy"], (
                f"The inline script of {where} changed: put '{digest}' in the script-src of {SNIPPET}"
            )
