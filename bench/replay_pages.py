"""The content twins of the page benchmark (bench/pages.py): for every dashboard page, a
page at the same URL path whose script sends the very elements the dashboard sent to the
browser for that page's default view, and does nothing else: no query, no figure built,
no frame. What bare Streamlit needs to draw that page's content (its texts, widgets,
charts), recorded from the websocket of a real visit (`record_pages` in bench/pages.py):
the floor below which the page cannot go without drawing less.

A multipage app like the bare twins (bench/bare_pages.py: same pages, titles and URL
paths, wide layout). REPLAY_DIR holds one recording per page (`frames_file`), each the
ForwardMsg protobufs of one visit, of which the deltas (the elements and blocks, with
their place in the page) are sent again in order. Streamlit 1.67's `enqueue_message`
(private, pinned in requirements.txt) sends them as its own elements are sent.
"""

import os
import struct
import sys
from pathlib import Path

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner_utils.script_run_context import enqueue_message

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling, when Streamlit runs it
from bare_pages import TWINS


def frames_file(directory: Path, url_path: str) -> Path:
    """Where the recording of the page at `url_path` ("" or "/" for the default page) is kept."""
    return directory / f"{url_path.strip('/') or 'index'}.frames"


def write_frames(path: Path, frames: list[bytes]) -> None:
    """The frames, each after its length (4 bytes, big-endian)."""
    path.write_bytes(b"".join(struct.pack(">I", len(f)) + f for f in frames))


def read_frames(path: Path) -> list[bytes]:
    data, frames, at = path.read_bytes(), [], 0
    while at < len(data):
        (size,) = struct.unpack_from(">I", data, at)
        frames.append(data[at + 4 : at + 4 + size])
        at += 4 + size
    return frames


def replay(url_path: str) -> None:
    """Send again every delta of the page's recording, in order."""
    for raw in read_frames(frames_file(Path(os.environ["REPLAY_DIR"]), url_path)):
        msg = ForwardMsg.FromString(raw)
        if msg.WhichOneof("type") == "delta":
            enqueue_message(msg)


if __name__ == "__main__":
    st.set_page_config(page_title="Replay", layout="wide")
    pages = [
        st.Page(lambda p=path: replay(p or ""), title=title, url_path=path, default=path is None)
        for _, title, path in TWINS
    ]
    st.navigation(pages).run()
