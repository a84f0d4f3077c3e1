"""Files built on click, and dropped from Streamlit's media store soon after.

Streamlit serves every download at `/media/<hash>.<ext>` to whoever has the URL, with
no session or cookie check (streamlit/streamlit#8148, open). A file passed as bytes gets
its URL when the page is drawn and keeps it while the page shows the button; a file
built by a callable gets none until the click, and is then kept (unreferenced) until
two later script runs of any session sweep it, which on a quiet server can be hours.
So restricted files (the originals, one's rows of a load, a file's problems, data
behind a sign-in) are built on click only, through `dropped_after`, and swept
`ENGAGEMENT_DOWNLOAD_SECONDS` after the server built its last such file: long enough for
the browser to fetch it, short enough that a URL copied from the downloads list no longer
works. Streamlit's sweep takes every unreferenced file at once, whichever session built
it, so one sweep is pending at a time and each new file puts it off: a sweep due for an
earlier file never takes one that a browser has not fetched yet.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from etl.settings import settings

GRACE_SECONDS = 5.0  # between marking and deleting: a file another session re-uses meanwhile is kept


_pending: threading.Timer | None = None  # the next sweep, put off by each new file
_pending_lock = threading.Lock()


def dropped_after(build: Callable[[], bytes]) -> Callable[[], bytes]:
    """`build`, to pass as a download button's data: run on click, and the file it made
    swept from the media store some seconds later."""

    def built() -> bytes:
        data = build()
        _sweep_later(settings().download_seconds)
        return data

    return built


def _sweep_later(seconds: float) -> None:
    """(Re)schedule the one pending sweep `seconds` from now."""
    global _pending
    with _pending_lock:
        if _pending is not None:
            _pending.cancel()
        _pending = _later(seconds, _sweep, GRACE_SECONDS)


def _later(seconds: float, action: Callable, *args) -> threading.Timer:
    timer = threading.Timer(seconds, action, args)
    timer.daemon = True  # never keeps the server from stopping
    timer.start()
    return timer


def _sweep(grace: float) -> None:
    """Streamlit's own sweep, run twice: the first marks the downloadable files that no
    session's page references (a file built on click never is), the second deletes the
    marked ones still unreferenced."""
    from streamlit import runtime

    if runtime.exists():
        runtime.get_instance().media_file_mgr.remove_orphaned_files()
        _later(grace, _delete)


def _delete() -> None:
    from streamlit import runtime

    if runtime.exists():
        runtime.get_instance().media_file_mgr.remove_orphaned_files()
