"""Security checks that need a real server and browser (issue 20): names from the
database render as text in Streamlit's own markdown (which links bare addresses that an
escape alone leaves live), and a restricted download leaves Streamlit's media store soon
after it was built."""

from __future__ import annotations

import shutil
import time
import urllib.error
import urllib.request

import duckdb
import pytest
from playwright.sync_api import expect

from tests.test_browser import serving
from tests.test_security import HOSTILE

LYON = "69123"


def _status(url: str) -> int:
    """The HTTP status of `url` fetched with no cookie, as anyone who has the link would."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture(scope="module")
def demo_server(demo_db, tmp_path_factory):
    """The demo data with Lyon renamed to a hostile name, in demo mode, downloads swept after 1 s."""
    db = tmp_path_factory.mktemp("security") / "demo.duckdb"
    db.write_bytes(demo_db.read_bytes())
    shutil.copytree(f"{demo_db}.files", f"{db}.files")  # the original files, beside the database
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE cities SET nom = ?, nom_fr = ?, nom_en = ? WHERE code = ?", [HOSTILE] * 3 + [LYON])
    with serving(db, env={"ENGAGEMENT_DEMO": "1", "ENGAGEMENT_DOWNLOAD_SECONDS": "1"}) as url:
        yield url


def test_a_hostile_city_name_renders_as_text_in_the_browser(page, demo_server):
    """Issue 20: bold, remote images and links rendered from a city's name."""
    page.goto(f"{demo_server}/ville?ville={LYON}&city={LYON}")
    caption = page.get_by_text("ses activités de participation").first
    expect(caption).to_be_visible(timeout=60_000)
    expect(caption).to_contain_text("[link-payload](http://evil.example/a)")  # shown as written
    expect(caption).to_contain_text("**bold-payload**")
    assert page.locator("a[href*='evil'], img[src*='host.example'], strong:has-text('bold-payload')").count() == 0
    assert page.locator("span[style*='90px']").count() == 0


def test_an_original_file_is_built_on_click_and_dropped_soon_after(page, demo_server):
    """Issue 20: /media/<hash>.csv answered 200 with no cookie while the editor's tab was open."""
    page.goto(f"{demo_server}/historique?demo_role=editor&demo_city={LYON}")
    button = page.get_by_role("button", name="Télécharger le fichier déposé (CSV)")
    button.wait_for(timeout=60_000)
    assert not page.locator("a[href*='/media/']").count()  # no URL before the click
    with page.expect_download() as download:
        button.click()
    url = download.value.url
    assert "/media/" in url
    deadline = time.monotonic() + 30
    while _status(url) == 200:  # built on click, then swept: waits, with a deadline
        assert time.monotonic() < deadline, "the original file stays downloadable without a session"
        page.wait_for_timeout(250)
    assert _status(url) == 404
