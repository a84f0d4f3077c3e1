"""Security checks that need a real server and browser (issue 20): a restricted download
leaves Streamlit's media store soon after it was built."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest

from tests.test_browser import serving

LYON = "69123"


def _status(url: str) -> int:
    """The HTTP status of `url` fetched with no cookie, as anyone who has the link would."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture(scope="module")
def demo_server(demo_db):
    with serving(demo_db, env={"ENGAGEMENT_DEMO": "1", "ENGAGEMENT_DOWNLOAD_SECONDS": "1"}) as url:
        yield url


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
