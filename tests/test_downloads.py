"""Files built on click (ui/downloads.py) against Streamlit's real media file manager,
driven through the calls Streamlit 1.67 makes: the page's run registers the button
(`add_deferred`), the click builds the file (`execute_deferred`), and the end of every
script run of any session sweeps (`remove_orphaned_files`). The timers are taken, not
waited for: each test runs them itself, in order, at the time they are due."""

from __future__ import annotations

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from ui import downloads

CSV = "\ufeffPériode;Activités\r\n2024-T1;3\r\n".encode()


@pytest.fixture
def store(monkeypatch):
    """Streamlit's manager with its in-memory storage, our clock and our timers."""
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    clock = [1000.0]
    timers: list[tuple[float, object, tuple]] = []
    monkeypatch.setattr(downloads, "_manager", lambda: manager)
    monkeypatch.setattr(downloads, "_clock", lambda: clock[0])
    monkeypatch.setattr(downloads, "_later", lambda seconds, action, *args: timers.append((seconds, action, args)))
    monkeypatch.setattr(downloads, "_held", {})
    monkeypatch.setenv("ENGAGEMENT_DOWNLOAD_SECONDS", "30")
    return manager, clock, timers


def click(manager: MediaFileManager, data, name: str = "01_trend.csv") -> str:
    """The button drawn by a page's run, then clicked: the file's name in the store."""
    file_id = manager.add_deferred(data, "text/csv", "1.(3).2", name)
    return manager.execute_deferred(file_id).rsplit("/", 1)[-1]


def served(manager: MediaFileManager, name: str) -> bytes | None:
    file = manager.read_file(name)
    return None if file is None else file.content


def test_a_file_built_on_click_outlives_other_runs_and_is_gone_after_its_sweep(store):
    manager, clock, timers = store
    bare = click(manager, lambda: b"x;y\r\n1;2\r\n", "bare.csv")  # as Streamlit keeps it alone
    name = click(manager, downloads.dropped_after(lambda: CSV, "01_trend.csv", "text/csv"))
    for _ in range(3):  # the ends of three script runs (a poll, a move, another session)
        manager.remove_orphaned_files()
    assert served(manager, bare) is None  # the miss: marked by one run's end, deleted by the next
    assert served(manager, name) == CSV  # held: the browser still gets it
    ((seconds, release, args),) = timers
    assert seconds == 30 and release is downloads.release

    clock[0] += 30  # ENGAGEMENT_DOWNLOAD_SECONDS later
    timers.clear()
    release(*args)  # released and marked; another session may re-use it during the grace
    assert served(manager, name) == CSV
    ((grace, sweep, ()),) = timers
    assert grace == downloads.GRACE_SECONDS
    sweep()
    assert served(manager, name) is None  # no longer downloadable by anyone with the URL
    assert downloads._held == {}


def test_the_same_file_built_again_is_held_from_its_latest_build(store):
    manager, clock, timers = store
    build = downloads.dropped_after(lambda: CSV, "01_trend.csv", "text/csv")
    name = click(manager, build)
    clock[0] += 20
    click(manager, build)  # the same bytes and name: the same file, asked for again
    clock[0] += 10
    (_, release, args), _ = timers
    timers.clear()
    release(*args)  # the first build's time: the second still holds it, 20 s more
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    assert served(manager, name) == CSV
    ((seconds, again, args),) = timers
    assert seconds == pytest.approx(20) and again is downloads.release
