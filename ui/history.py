"""The History page's pieces: the table of loads, the original file, the rollback dialog."""

from __future__ import annotations

import mimetypes
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from charts.format import escape_markdown
from etl import archive
from etl.access import Principal
from etl.db import DatabaseError, reading, writing
from etl.load import RollbackPlan, Upload, history, plan_rollback, rollback
from queries import db_path
from ui.downloads import download_button
from ui.i18n import fmt_date, fmt_number, t
from ui.texts import counted_text, text
from ui.texts.history import TEXT
from ui.upload import read_as

CONFIRM_KEY = "history_confirming"  # the load whose rollback awaits confirmation
DONE_KEY = "history_done"  # the load just rolled back, announced once
COLUMNS = ("load_id", "file_name", "user_name", "loaded_at", "status", "rows_read", "inserted", "updated", "unchanged")


def loads_of(who: Principal) -> list[dict]:
    """Every load the principal may see, newest first (etl.load.history)."""
    with reading(db_path()) as con:
        return history(con, principal=who)


def table(loads: list[dict], cities: dict[str, str], lang: str) -> Styler:
    """The loads as a table with translated headings and statuses, times and counts in
    the language's format (as a Styler: sorting still uses the values), how each file was
    read and whether cells were fixed in the browser."""
    frame = pd.DataFrame(loads)
    frame["read_as"] = [read_as(uploaded(load), lang) for load in loads]
    frame["corrected"] = frame["corrected_file_name"].map(lambda name: text(TEXT, "yes" if name else "no", lang))
    frame = frame[[*COLUMNS, "read_as", "corrected", "cities", "is_demo"]]
    frame["status"] = frame["status"].map(lambda s: text(TEXT, s, lang))
    frame["cities"] = frame["cities"].map(lambda codes: ", ".join(cities.get(c, c) for c in codes))
    frame["is_demo"] = frame["is_demo"].map(lambda demo: text(TEXT, "yes" if demo else "no", lang))
    names = {"file_name": "file", "user_name": "user", "loaded_at": "when", "is_demo": "demo"}
    names |= {"corrected": "corrected_col"}
    frame = frame.rename(columns={c: text(TEXT, names.get(c, c), lang) for c in frame.columns})
    counts = [text(TEXT, c, lang) for c in ("rows_read", "inserted", "updated", "unchanged")]
    formats = {text(TEXT, "when", lang): lambda v: fmt_date(v, lang, with_time=True)}
    formats |= {c: lambda v: fmt_number(v, lang) for c in counts}
    return frame.style.format(formats)


def uploaded(load: dict) -> Upload:
    """How a load's file was uploaded and read (its facts; the bytes are in the archive)."""
    return Upload(
        load["file_name"], b"", load["file_format"], load["encoding"], load["delimiter"], load["sheet"],
        load["header_line"],
    )  # fmt: skip


def choose(loads: list[dict], lang: str) -> dict:
    by_id = {row["load_id"]: row for row in loads}
    chosen = st.selectbox(
        text(TEXT, "choose", lang), list(by_id), key="history_load", placeholder=t("choose_one", lang),
        format_func=lambda i: text(TEXT, "choice", lang, id=i, file=by_id[i]["file_name"],
                                   when=fmt_date(by_id[i]["loaded_at"], lang, with_time=True)),
    )  # fmt: skip
    return by_id[chosen]


def original_button(load: dict, who: Principal, lang: str) -> None:
    """Download the file exactly as it was uploaded and, when cells were fixed in the
    browser, the corrected copy that was loaded; built on click, checked against the
    principal (etl.archive)."""

    def content(loaded: bool) -> bytes:
        with reading(db_path()) as con:
            return archive.original(con, load["load_id"], principal=who, loaded=loaded)[1]

    if not archive.whole_file_allowed(load["cities"], who):  # a mixed load: only the editor's rows
        own_rows_button(load, who, lang)
        return
    files = [(False, load["file_name"], "original")]
    if load["corrected_file_name"]:
        files.append((True, load["corrected_file_name"], "corrected"))
    for loaded, name, label in files:
        download_button(
            st, text(TEXT, label, lang, format=Path(name).suffix.lstrip(".").upper() or "?"), partial(content, loaded),
            name, mimetypes.guess_type(name)[0] or "application/octet-stream",
            key=f"history_{label}_{load['load_id']}", icon=":material/download:", on_click="ignore",
        )  # fmt: skip


def own_rows_button(load: dict, who: Principal, lang: str) -> None:
    """A city editor's rows of a load that also concerns other cities, as a CSV built on
    click (etl.archive.own_rows checks the principal again), and why it is not the file."""

    def content() -> bytes:
        with reading(db_path()) as con:
            return archive.own_rows(con, load["load_id"], principal=who, lang=lang)[1]

    download_button(
        st, text(TEXT, "own_rows", lang), content, archive.own_rows_name(load["file_name"], lang), "text/csv",
        key=f"history_own_{load['load_id']}", icon=":material/download:", on_click="ignore",
    )  # fmt: skip
    st.caption(text(TEXT, "own_rows_note", lang))


def _plan(load_id: int, who: Principal) -> RollbackPlan | DatabaseError:
    """What rolling back would do, or why it cannot be done (a read-only look)."""
    with reading(db_path()) as con:
        try:
            return plan_rollback(con, load_id, principal=who)
        except DatabaseError as exc:  # AccessDenied included
            return exc


def plan_text(plan: RollbackPlan, lang: str) -> str:
    """What a possible rollback will change, in words, each count with its noun."""
    parts = [text(TEXT, "plan_removes", lang, n=counted_text(TEXT, "n_versions", plan.removes, lang))]
    if plan.restores:
        parts.append(text(TEXT, "plan_restores", lang, n=counted_text(TEXT, "n_earlier", plan.restores, lang)))
    if plan.kept:
        ids = ", ".join(map(str, plan.kept_by))
        kept = counted_text(TEXT, "n_activities", plan.kept, lang)
        parts.append(text(TEXT, "plan_kept_one" if len(plan.kept_by) == 1 else "plan_kept_many", lang, n=kept, ids=ids))
    return text(TEXT, "plan", lang, parts=" ; ".join(parts) if lang == "fr" else "; ".join(parts))


def rollback_button(load: dict, who: Principal, lang: str) -> None:
    """Say first whether the load can be rolled back, and what that would change; then a
    button, and a confirmation."""
    if load["status"] != "loaded":
        when = fmt_date(load["rolled_back_at"], lang, with_time=True) if load["rolled_back_at"] else "—"
        st.caption(text(TEXT, "rolled_back_info", lang, when=when, user=escape_markdown(load["rolled_back_by"] or "—")))
        return
    key = f"history_rollback_{load['load_id']}"
    plan = _plan(load["load_id"], who)
    if isinstance(plan, DatabaseError):
        st.button(text(TEXT, "rollback", lang), icon=":material/undo:", key=key, disabled=True)
        st.caption(escape_markdown(plan.fr if lang == "fr" else plan.en))
        return
    if not plan.possible:
        later = ", ".join(map(str, plan.blocked_by))
        st.button(text(TEXT, "rollback", lang), icon=":material/undo:", key=key, disabled=True)
        blocked = "blocked_one" if len(plan.blocked_by) == 1 else "blocked_many"
        st.warning(text(TEXT, blocked, lang, later=later), icon=":material/block:")
        return
    st.caption(plan_text(plan, lang))
    if st.button(text(TEXT, "rollback", lang), icon=":material/undo:", key=key):
        st.session_state[CONFIRM_KEY] = load["load_id"]
    if st.session_state.get(CONFIRM_KEY) == load["load_id"]:
        _confirm(load["load_id"], who, lang)


def _confirm(load_id: int, who: Principal, lang: str) -> None:
    box = st.container(border=True)
    box.markdown(f"**{text(TEXT, 'confirm_title', lang, id=load_id)}**")
    yes, no = box.columns(2)
    if no.button(text(TEXT, "cancel", lang), key="history_cancel"):
        del st.session_state[CONFIRM_KEY]
        st.rerun()
    if yes.button(text(TEXT, "confirm", lang), type="primary", key="history_confirm"):
        with writing(db_path()) as con:
            try:
                rollback(con, load_id, principal=who)  # checked again: another load may have landed meanwhile
            except DatabaseError as exc:
                box.error(escape_markdown(exc.fr if lang == "fr" else exc.en))
                return
        del st.session_state[CONFIRM_KEY]
        st.session_state[DONE_KEY] = load_id
        st.rerun()
