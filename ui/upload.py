"""The steps of the Upload page: templates, the file being worked on, preview and
mapping, the validation report with in-place fixes, and the confirmed load.

Each step owns its session-state keys (prefix `upload_`). Reading and checking use a
read-only connection and temporary tables; only `load` opens the database for writing.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import pandas as pd
import streamlit as st

from etl import mappings, preview
from etl.access import Principal
from etl.db import reading, writing
from etl.load import FileReport, Upload, check_file, load_file, narrow_cities, previous_load, sha256_of
from etl.problems import Problem
from etl.readers import drop_raw
from etl.schema import load_schema, normalize_key
from etl.settings import limits, settings
from etl.templates import template_csv, template_xlsx
from etl.writers import XLSX_MIME, frame_bytes
from queries import db_path
from ui.downloads import download_button
from ui.i18n import fmt_date, fmt_number, t
from ui.texts import counted_text, text
from ui.texts.upload import TEXT
from ui.widgets import escape_markdown

CORRECTED_KEY = "upload_corrected"  # WorkFile of the corrected copy, tied to its source sha256
DONE_KEY = "upload_done"  # FileReport of the last load, shown until another file is chosen
SEVERAL = "*"
SENTENCES = 10  # up to this many problems are listed as sentences, more as a table


@dataclass
class WorkFile:
    """The file being worked on: the upload itself, or a corrected copy of it."""

    name: str
    data: bytes
    source_sha: str
    line_map: dict[int, int] = field(default_factory=dict)  # corrected line -> original line
    original: Upload | None = None  # the file as uploaded, when this is a corrected copy of it

    @property
    def sha(self) -> str:
        return sha256_of(self.data)

    def original_line(self, line: int | None) -> int | None:
        return self.line_map.get(line, line) if line is not None else None


def safe_name(name: str) -> str:
    """The last part of an uploaded file's name: `../../x.csv` is just `x.csv`."""
    return PurePath(name.replace("\\", "/")).name or "fichier.csv"


def templates(lang: str) -> None:
    with st.expander(text(TEXT, "templates", lang), icon=":material/description:"):
        st.caption(text(TEXT, "templates_help", lang))
        columns = st.columns(4)
        for column, (fmt, tl) in zip(
            columns, [("csv", "fr"), ("csv", "en"), ("xlsx", "fr"), ("xlsx", "en")], strict=True
        ):
            build, mime = (template_csv, "text/csv") if fmt == "csv" else (template_xlsx, XLSX_MIME)
            download_button(  # built on click: held until fetched like any such file
                column,
                text(TEXT, f"template_{fmt}_{tl}", lang),
                lambda build=build, tl=tl: build(tl),
                f"{'modele_activites' if tl == 'fr' else 'activities_template'}.{fmt}",
                mime,
                key=f"upload_template_{fmt}_{tl}",
                icon=":material/download:",
            )


def city_choice(who: Principal, cities: dict[str, str], lang: str) -> str | None:
    """The city the file is for (None: several, for coordinators)."""
    allowed = sorted(who.writable_cities) if who.writable_cities is not None else [SEVERAL, *cities]
    if not allowed:
        st.stop()
    names = {SEVERAL: text(TEXT, "several", lang), **cities}
    code = st.selectbox(
        text(TEXT, "city", lang), allowed, format_func=lambda c: names.get(c, c), key="upload_city",
        placeholder=t("choose_one", lang),
        help=text(TEXT, "city_help", lang),
    )  # fmt: skip
    return None if code == SEVERAL else code


def working_file(uploaded, limit_mb: int, lang: str) -> WorkFile:
    """The corrected copy of this upload when there is one, else the upload."""
    data = uploaded.getvalue()
    if len(data) > limit_mb * 1024 * 1024:
        st.error(text(TEXT, "too_big", lang, size=fmt_number(len(data) / 2**20, lang, 1), limit=limit_mb))
        st.stop()
    source = sha256_of(data)
    corrected = st.session_state.get(CORRECTED_KEY)
    if corrected is not None and corrected.source_sha == source:
        st.info(text(TEXT, "corrected", lang, name=escape_markdown(corrected.name)), icon=":material/edit_note:")
        if st.button(text(TEXT, "drop_corrections", lang), key="upload_drop_corrections"):
            del st.session_state[CORRECTED_KEY]
            st.rerun()
        return corrected
    st.session_state.pop(CORRECTED_KEY, None)
    return WorkFile(safe_name(uploaded.name), data, source)


def max_mb() -> int:
    """The largest upload accepted, in MB (ENGAGEMENT_UPLOAD_MAX_MB)."""
    return settings().upload_max_mb


def field_names() -> list[str]:
    """The contract's field names, in the schema's order."""
    return load_schema().names


@contextmanager
def on_disk(work: WorkFile) -> Iterator[Path]:
    """The work file in a private temporary folder, removed afterwards. Its name is ours:
    the uploaded name (which may hold `../`) is only ever shown and stored as text."""
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = Path(folder) / ("upload" + (Path(work.name).suffix.lower() or ".csv"))
        path.write_bytes(work.data)
        yield path


@st.cache_resource
def _reading_slots(count: int) -> threading.BoundedSemaphore:
    """One per server process (and per limit): the uploads read and checked at once."""
    return threading.BoundedSemaphore(count)


READ_WAIT_S = 600.0  # how long an upload waits for a reading slot before the page says the server is busy


@contextmanager
def reading_slot(lang: str, wait_s: float | None = None) -> Iterator[None]:
    """Read and check an upload only when fewer than `ENGAGEMENT_CONCURRENT_READS` others
    are: a big or hostile file then costs one slot, and the server, its other sessions and
    its health check keep their share of the machine. The others wait, with a message."""
    slots = _reading_slots(limits().concurrent_reads)
    if not slots.acquire(blocking=False):
        waiting = st.info(text(TEXT, "queued", lang), icon=":material/hourglass_top:")
        deadline = time.monotonic() + (READ_WAIT_S if wait_s is None else wait_s)
        while not slots.acquire(timeout=0.25):
            if time.monotonic() > deadline:
                waiting.empty()
                st.warning(text(TEXT, "busy", lang), icon=":material/schedule:")
                st.stop()
        waiting.empty()
    try:
        yield
    finally:
        slots.release()


@contextmanager
def opened(work: WorkFile) -> Iterator[tuple[object, Path]]:
    """A read-only connection and the work file on disk, both gone afterwards."""
    with on_disk(work) as path, reading(db_path()) as con:
        yield con, path


def mapping_step(con, path: Path, city: str | None, fields: list[str], lang: str) -> dict[str, str]:
    """Show how the file is read; return the hand mapping (header -> field) to use."""
    st.subheader(text(TEXT, "step_preview", lang))
    remembered = mappings.remembered(con, city) if city else {}
    shown = preview.preview_file(con, path, header_map=remembered)
    if shown.problem is not None:
        problems_table([shown.problem], None, lang)
        st.stop()
    delimiter = {";": "« ; »", ",": "« , »", "\t": "tab", "|": "« | »"}.get(shown.delimiter or "", "—")
    st.markdown(
        text(
            TEXT, "dialect", lang, format=(shown.file_format or "").upper(), encoding=shown.encoding or "—",
            delimiter=delimiter, header=shown.header_line, records=fmt_number(shown.records, lang),
        )
    )  # fmt: skip
    hand = {}
    unmatched = [
        h
        for h, f, by_hand in zip(shown.headers, shown.fields, shown.by_hand, strict=True)
        if h.strip() and (f is None or by_hand)
    ]
    if unmatched:
        st.caption(text(TEXT, "map_unknown", lang))
        ignore, titles = text(TEXT, "ignore", lang), field_titles(lang)
        named = {f for f, by_hand in zip(shown.fields, shown.by_hand, strict=True) if f and not by_hand}
        options = ["", *[f for f in fields if f not in named]]
        columns = st.columns(min(3, len(unmatched)))
        for i, header in enumerate(unmatched):
            before = remembered.get(normalize_key(header), "")
            hand[header] = columns[i % len(columns)].selectbox(
                f"« {escape_markdown(header)} »", options, index=options.index(before) if before in options else 0,
                placeholder=t("choose_one", lang),
                format_func=lambda f: titles.get(f, f) or ignore, key=f"upload_map_{i}_{header}",
            )  # fmt: skip
    with st.expander(text(TEXT, "mapping", lang), expanded=bool(unmatched)):
        st.dataframe(mapping_table(shown, hand, lang), hide_index=True, width="stretch", placeholder="")
        st.caption(text(TEXT, "first_rows", lang))
        st.dataframe(
            shown.rows.set_axis(["#", *display_headers(shown.headers)], axis=1), hide_index=True, placeholder=""
        )
    return hand


def field_titles(lang: str) -> dict[str, str]:
    """Each field's title in the language: what the mapping shows, never the field's code."""
    return {f.name: f.title(lang) for f in load_schema().fields}


def display_headers(headers: list[str]) -> list[str]:
    """Unique, non-blank labels for the file's columns (blank or repeated headers happen)."""
    out: list[str] = []
    for i, header in enumerate(headers):
        label = header.strip() or f"({i + 1})"
        out.append(label if label not in out else f"{label} ({i + 1})")
    return out


def mapping_table(shown: preview.Preview, hand: dict[str, str], lang: str) -> pd.DataFrame:
    how, titles = [], field_titles(lang)
    for header, f in zip(shown.headers, shown.fields, strict=True):
        if header in hand:
            key = "by_hand" if hand[header] else "ignored"
        else:
            key = "by_name" if f else "ignored"
        how.append(text(TEXT, key, lang))
    return pd.DataFrame(
        {
            text(TEXT, "column", lang): display_headers(shown.headers),
            text(TEXT, "field", lang): [
                titles.get(hand[h] if h in hand else f or "", "")
                for h, f in zip(shown.headers, shown.fields, strict=True)
            ],
            text(TEXT, "how", lang): how,
        }
    )


def problems_frame(problems: list[Problem], work: WorkFile | None, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            text(TEXT, "line", lang): [work.original_line(p.line) if work else p.line for p in problems],
            text(TEXT, "column", lang): [p.column or "" for p in problems],
            text(TEXT, "severity", lang): [text(TEXT, "error" if p.is_error else "warning", lang) for p in problems],
            text(TEXT, "code", lang): [p.code for p in problems],
            text(TEXT, "message", lang): [p.message(lang) for p in problems],
        }
    ).astype({text(TEXT, "line", lang): "Int64"})


def problems_table(problems: list[Problem], work: WorkFile | None, lang: str, more: Problem | None = None) -> None:
    """A few problems read best as sentences; many as a table. Both can be downloaded.

    A report describes the first problems only (etl/problems.py, `select`): `more` says
    how many others were counted, on the page and as the download's last line."""
    problems = sorted(problems, key=lambda p: not p.is_error)  # errors first, then warnings (stable)
    frame = problems_frame(problems + ([more] if more else []), work, lang)
    if len(problems) <= SENTENCES:
        for problem, row in zip(problems, frame.itertuples(index=False), strict=True):
            line, column, severity, _, message = row
            parts = (f"{text(TEXT, 'line', lang)} {line}" if pd.notna(line) else "", column)
            place = " · ".join([*([severity.capitalize()] if not problem.is_error else []), *(x for x in parts if x)])
            place = escape_markdown(place).replace("\\·", "·")
            st.markdown(f"- **{place or severity.capitalize()}** — {escape_markdown(message)}")
    else:
        st.dataframe(
            frame.iloc[: len(problems)], hide_index=True, width="stretch", placeholder="", key="upload_problems"
        )
    if more is not None:
        st.caption(escape_markdown(more.message(lang)))
    download_button(
        st, text(TEXT, "report_csv", lang), lambda: frame_bytes(frame, "csv", lang),
        f"{text(TEXT, 'report_file', lang)}.csv", "text/csv", key="upload_report_csv", icon=":material/download:",
    )  # fmt: skip


def check(con, path: Path, who: Principal, city: str | None, hand: dict[str, str]) -> FileReport:
    allowed = {city} if city else None
    report, result = check_file(con, path, allowed_cities=narrow_cities(allowed, who.writable_cities), header_map=hand)
    if result is not None:
        drop_raw(con, result.raw.table)
    return report


def report_step(con, path: Path, work: WorkFile, report: FileReport, lang: str) -> None:
    """The problems, the rejected rows highlighted, and the editor to fix them."""
    st.subheader(text(TEXT, "step_report", lang))
    errors = report.errors
    if not errors:
        st.success(
            text(TEXT, "valid", lang, activities=counted_text(TEXT, "n_ready", report.rows_read - report.blank, lang))
        )
        if report.problems:
            warnings = counted_text(TEXT, "n_warnings", report.warning_count, lang)
            st.caption(text(TEXT, "warnings", lang, warnings=warnings))
            problems_table(report.problems, work, lang, report.more)
        if previous := previous_load(con, work.sha):
            st.info(text(TEXT, "already", lang, load=previous[0], date=fmt_date(previous[1], lang)))
        return
    lines = sorted({p.line for p in errors if p.line})  # of the errors described: the first ones
    warned = report.warning_count
    also = ""
    if warned:
        key = "and_warnings" if warned == 1 else "and_warnings_many"
        also = text(TEXT, key, lang, warnings=counted_text(TEXT, "n_warnings", warned, lang))
    counts = {"errors": counted_text(TEXT, "n_errors", report.error_count, lang)}
    counts |= {"rows": counted_text(TEXT, "n_lines", max(len(lines), report.rejected_rows), lang), "warnings": also}
    st.error(text(TEXT, "invalid", lang, **counts), icon=":material/error:")
    problems_table(report.problems, work, lang, report.more)
    if not preview.editable(report.problems) or not lines:
        st.warning(text(TEXT, "not_editable", lang))
        return
    fix_rows(con, path, work, errors, lines, lang)


def fix_rows(con, path: Path, work: WorkFile, errors: list[Problem], lines: list[int], lang: str) -> None:
    headers, rows = preview.rows_at(con, path, lines)
    line_label = text(TEXT, "line", lang)
    labels = dict(zip([f"c{i}" for i in range(len(headers))], display_headers(headers), strict=True))
    faults = {(work.original_line(p.line), column) for p in errors for column in (p.column or "").split("+")}
    # The columns at fault first: with 25 columns, the highlighted cells would be off screen.
    at_fault = {c for c, label in labels.items() if any(label == column for _, column in faults)}
    rows = rows[["line", *[c for c in labels if c in at_fault], *[c for c in labels if c not in at_fault]]]
    st.caption(text(TEXT, "rejected_rows", lang))
    shown = rows.assign(line=rows["line"].map(work.original_line)).rename(columns={"line": line_label, **labels})
    style = shown.style.apply(lambda row: _highlight(row, faults, line_label), axis=1)
    st.dataframe(style, hide_index=True, placeholder="", key="upload_rejected")
    config = {"line": st.column_config.NumberColumn(line_label, disabled=True)}
    config |= {c: st.column_config.TextColumn(label) for c, label in labels.items()}
    # A form: the edits and the click reach the server together (no rerun per edited cell).
    with st.form("upload_fix", border=False):
        st.markdown(f"**{text(TEXT, 'edit', lang)}**")
        st.caption(text(TEXT, "edit_help", lang))
        edited = st.data_editor(
            rows, column_config=config, hide_index=True, num_rows="fixed", placeholder="", key="upload_editor"
        )
        submitted = st.form_submit_button(text(TEXT, "revalidate", lang), icon=":material/fact_check:")
    if submitted:
        data, line_map = preview.corrected_file(con, path, edited)
        name = f"{Path(work.name).stem} (corrigé).csv"
        # The file as uploaded is kept, byte for byte, with how it was read (format, sheet,
        # header line): the load archives it beside the corrected copy.
        original = work.original or preview.as_uploaded(con, path, work.name)
        # Lines of the corrected copy map back to the uploaded file's lines, through any earlier copy.
        lines = {k: work.original_line(v) for k, v in line_map.items()}
        st.session_state[CORRECTED_KEY] = WorkFile(name, data, work.source_sha, lines, original)
        st.rerun()


def _highlight(row: pd.Series, faults: set, line_label: str) -> list[str]:
    return ["background-color: rgba(220, 38, 38, 0.25)" if (row[line_label], c) in faults else "" for c in row.index]


def load_step(work: WorkFile, who: Principal, city: str | None, hand: dict[str, str], rows: int, lang: str):
    """The confirm button; on click, the load with a progress bar; returns the report."""
    st.subheader(text(TEXT, "step_load", lang))
    if not st.button(
        text(TEXT, "confirm", lang, activities=counted_text(TEXT, "n_activities", rows, lang)),
        type="primary",
        key="upload_confirm",
    ):
        return None
    bar = st.progress(0.0, text=text(TEXT, "progress_read", lang))

    def progress(stage: str, fraction: float) -> None:
        bar.progress(fraction, text=text(TEXT, f"progress_{stage}", lang))

    with reading_slot(lang), on_disk(work) as path, writing(db_path()) as con:
        report = _load(con, path, work, who, city, hand, progress)
    st.session_state.pop(CORRECTED_KEY, None)
    return report


def _load(con, path: Path, work: WorkFile, who: Principal, city: str | None, hand: dict[str, str], progress):
    report = load_file(
        con, path, name=work.name, principal=who, allowed_cities={city} if city else None, header_map=hand,
        progress=progress, schema=load_schema(), original=work.original,
    )  # fmt: skip
    if report.status == "loaded" and city:
        mappings.remember(con, city, {h: f for h, f in hand.items() if f}, by=who.login)
    return report


def read_as(upload: Upload, lang: str) -> str:
    """How an uploaded file was read, in words: "XLSX, feuille « Bilan », en-tête à la ligne 3"."""
    parts = [(upload.file_format or "").upper()]
    if upload.sheet:
        parts.append(text(TEXT, "read_sheet", lang, sheet=upload.sheet))
    if upload.encoding and upload.file_format != "xlsx":
        parts.append(text(TEXT, "read_encoding", lang, encoding=upload.encoding))
    if upload.header_line:
        parts.append(text(TEXT, "read_header", lang, line=upload.header_line))
    return ", ".join(p for p in parts if p)


def uploaded_text(upload: Upload, corrected: bool, lang: str) -> str:
    """What the load kept: the file as uploaded, and the corrected copy when there is one."""
    key = "kept_corrected" if corrected else "kept_original"
    return text(TEXT, key, lang, name=escape_markdown(upload.name), read=escape_markdown(read_as(upload, lang)))


def summary(report: FileReport, cities: dict[str, str], lang: str) -> None:
    """What the last load did, with links to the pages that show it."""
    if report.status == "already-loaded" and report.previous_load:
        load, when = report.previous_load
        st.info(text(TEXT, "already", lang, load=load, date=fmt_date(when, lang)), icon=":material/info:")
        return
    if report.status != "loaded":
        problems_table(report.problems, None, lang, report.more)
        return
    counts = {k: counted_text(TEXT, f"n_{k}", getattr(report, k), lang) for k in ("inserted", "updated", "unchanged")}
    st.success(text(TEXT, "loaded", lang, load=report.load_id, **counts), icon=":material/check_circle:")
    st.caption(uploaded_text(report.uploaded, report.original is not None, lang))
    for code in report.cities:
        st.page_link(
            "app_pages/city.py", label=text(TEXT, "see_city", lang, city=escape_markdown(cities.get(code, code))),
            icon=":material/location_city:", query_params={"ville": code, "lang": lang},
        )  # fmt: skip
    st.page_link("app_pages/history.py", label=text(TEXT, "see_history", lang), icon=":material/history:")
