"""Download buttons whose file is built on click, held in Streamlit's media store until
the browser has had time to fetch it, then dropped.

Streamlit serves every download at `/media/<hash>.<ext>` to whoever has the URL, with
no session or cookie check (streamlit/streamlit#8148, open). A file passed as bytes gets
its URL when the page is drawn and keeps it while the page shows the button. So
restricted files (the originals, one's rows of a load, a file's problems, data behind a
sign-in) are built on click only, through `download_button`.

Streamlit 1.67 stores a file built on click (`MediaFileManager.execute_deferred`)
referenced by no session, and the end of every script run of any session
(`ScriptRunner._on_script_finished` -> `remove_orphaned_files`), fragment runs included,
marks such files, then deletes the marked ones: the Present page's 2-second poll alone
deleted the slide's CSV 2 to 4 seconds after the click, and a browser slower than that
on a busy server got nothing (measured: served 3.8-4.0 s after the browser asked). So
each file built here is held, referenced under a holder of ours that no script run
clears, until `ENGAGEMENT_DOWNLOAD_SECONDS` after it was built (the latest build, when
the same file is built again); then it is released and Streamlit's own sweep is run
twice, GRACE_SECONDS apart (mark, then delete). Each file keeps its own time: a busy
server never keeps a restricted file downloadable for longer, and a URL copied from the
downloads list stops working soon after. Holding uses three private parts of Streamlit
1.67 (pinned in requirements.txt): the file id it computes (`_calculate_file_id`), its
table of references and its lock; tests/test_downloads.py runs the real manager and fails
if they change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import _calculate_file_id

from etl.settings import settings

GRACE_SECONDS = 5.0  # between marking and deleting: a file another session re-uses meanwhile is kept
HOLDER = "engagement-downloads"  # the references holding built files: no session has this id

_held: dict[str, float] = {}  # file id -> when it may be released (_clock())
_clock = time.monotonic
_held_lock = threading.Lock()


def download_button(
    where: Any, label: str, data: bytes | Callable[[], bytes], file_name: str, mime: str, **options: Any
) -> bool:
    """`where.download_button(label, data, file_name, mime, **options)` (`where`: streamlit,
    a column or a container); a callable `data` is run on click, and the file it builds
    is held until its sweep (`dropped_after`) under the same name and type."""
    if callable(data):
        data = dropped_after(data, file_name, mime)
    return where.download_button(label, data, file_name, mime, **options)


def dropped_after(build: Callable[[], bytes], file_name: str, mime: str) -> Callable[[], bytes]:
    """`build`, to pass as a download button's data with this file name and MIME type
    (they name the file in the media store): run on click, the file it made held until
    ENGAGEMENT_DOWNLOAD_SECONDS later, then swept."""

    def built() -> bytes:
        data = build()
        if isinstance(data, str):
            data = data.encode()  # as Streamlit would store it
        manager = _manager()
        if manager is not None:
            hold(manager, _calculate_file_id(data, mime, file_name), settings().download_seconds)
        return data

    return built


def _manager() -> MediaFileManager | None:
    from streamlit import runtime

    return runtime.get_instance().media_file_mgr if runtime.exists() else None


def hold(manager: MediaFileManager, file_id: str, seconds: float) -> None:
    """Reference `file_id` in `manager` until `seconds` from now, then release and sweep it.
    Called before Streamlit stores the file: a reference to a file not stored yet is
    harmless, and the file is never unreferenced once stored."""
    with _held_lock:
        _held[file_id] = _clock() + seconds
        with manager._lock:  # Streamlit 1.67's own table of references, under its lock
            manager._files_by_session_and_coord[HOLDER][file_id] = file_id
    _later(seconds, release, manager, file_id)


def release(manager: MediaFileManager, file_id: str, grace: float = GRACE_SECONDS) -> None:
    """Stop holding `file_id`, then run Streamlit's sweep now (it marks the file) and
    `grace` seconds later (it deletes it). Not before its time: a file built again since
    (or a timer woken early) is released when its latest time comes."""
    with _held_lock:
        left = _held.get(file_id, 0.0) - _clock()
        if left > 0:
            _later(left, release, manager, file_id, grace)
            return
        _held.pop(file_id, None)
        with manager._lock:
            holder = manager._files_by_session_and_coord.get(HOLDER, {})
            holder.pop(file_id, None)
            if not holder:
                manager._files_by_session_and_coord.pop(HOLDER, None)
    manager.remove_orphaned_files()
    _later(grace, manager.remove_orphaned_files)


def _later(seconds: float, action: Callable, *args) -> threading.Timer:
    timer = threading.Timer(seconds, action, args)
    timer.daemon = True  # never keeps the server from stopping
    timer.start()
    return timer
