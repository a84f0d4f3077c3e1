"""The platform-export step of the Upload page (Pabulib, Decidim, CONSUL: etl/sources).

The export is recognised, summed up and turned into activities shown with their
provenance; the user sets the levels (per participatory space or per activity) and the
figures the export lacks in a grid; "Check" then writes the activities as a contract CSV,
the corrected copy of the upload, and the page goes on with its usual journey (checks,
load), the export itself kept as the file uploaded.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import streamlit as st

from charts.format import escape_markdown
from etl.load import Upload
from etl.schema import load_schema
from etl.sources import Export, ExportError, SourceOptions, detect, read_export, staging
from ui import upload
from ui.texts import text
from ui.texts.platforms import TEXT

SHOWN = [
    "titre", "date_debut", "date_fin", "methode", "niveau_engagement", "nb_participants",
    "nb_propositions_recues", "nb_propositions_retenues", "nb_femmes", "nb_moins_25_ans", "format",
]  # fmt: skip
FIGURES = {"nb_participants", "nb_propositions_recues", "nb_propositions_retenues", "nb_femmes", "nb_moins_25_ans"}


def is_export(work: upload.WorkFile) -> bool:
    """An upload that is a platform export (not yet turned into activities)."""
    return work.original is None and detect(work.data) is not None


def step(work: upload.WorkFile, city: str | None, lang: str) -> None:
    """Recognise the export, show its activities, let levels and figures be set; stops the page."""
    options = SourceOptions(city=city, channel="page")
    with upload.reading_slot(lang), upload.opened(work) as (con, _):
        try:
            export = read_export(con, work.data, work.name, options)
        except ExportError as exc:
            st.error(text(TEXT, "refused", lang), icon=":material/error:")
            upload.problems_table(exc.problems, None, lang)
            st.stop()
    st.success(text(TEXT, "recognised", lang, summary=escape_markdown(export.summary(lang))), icon=":material/hub:")
    if export.problems:
        st.caption(text(TEXT, "warnings", lang))
        upload.problems_table(export.problems, None, lang)
    schema = load_schema()
    missing = staging.missing_figure_problems(export, schema, options)
    if missing:
        st.warning(text(TEXT, "missing", lang), icon=":material/edit_note:")
        upload.problems_table(missing, None, lang)
    edited_levels, edited = _editors(export, schema, lang)
    if edited is not None:
        _store(work, export, edited_levels, edited)
        st.rerun()
    st.stop()


def activities_frame(export: Export, lang: str) -> pd.DataFrame:
    """One row per activity: provenance, id and the editable fields (text, as the export gave them)."""
    rows = []
    for a in export.activities:
        row = {"source": a.provenance.text(), "id_activite": a.values.get("id_activite")}
        for name in SHOWN:
            value = a.values.get(name)
            row[name] = int(value) if name in FIGURES and value not in (None, "") and str(value).isdigit() else value
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["source", "id_activite", *SHOWN])
    return frame.astype({n: "Int64" for n in FIGURES})


def levels_frame(export: Export) -> pd.DataFrame:
    seen = {}
    for a in export.activities:
        key = (a.space or "", a.values.get("methode") or "")
        seen.setdefault(key, a.values.get("niveau_engagement"))
    return pd.DataFrame([{"space": s, "methode": m, "niveau_engagement": lv} for (s, m), lv in seen.items()])


def _editors(export: Export, schema, lang: str):
    levels = [c.code for c in schema.field("niveau_engagement").codes]
    formats = [c.code for c in schema.field("format").codes]
    titles = {f.name: (f.title_fr if lang == "fr" else f.title_en) for f in schema.fields}
    iso = " (AAAA-MM-JJ)" if lang == "fr" else " (YYYY-MM-DD)"
    base_levels = levels_frame(export)
    base = activities_frame(export, lang)
    with st.form("upload_export", border=False):
        st.markdown(f"**{text(TEXT, 'levels', lang)}**")
        st.caption(text(TEXT, "levels_help", lang))
        by_space = st.data_editor(
            base_levels, hide_index=True, num_rows="fixed", key="upload_export_levels", placeholder="",
            column_config={
                "space": st.column_config.TextColumn(text(TEXT, "space", lang), disabled=True),
                "methode": st.column_config.TextColumn(text(TEXT, "method", lang), disabled=True),
                "niveau_engagement": st.column_config.SelectboxColumn(text(TEXT, "level", lang), options=levels, required=True),
            },
        )  # fmt: skip
        st.markdown(f"**{text(TEXT, 'activities', lang, n=len(base))}**")
        st.caption(text(TEXT, "activities_help", lang))
        config = {
            "source": st.column_config.TextColumn(text(TEXT, "source", lang), disabled=True),
            "id_activite": st.column_config.TextColumn(titles["id_activite"], disabled=True),
            "methode": st.column_config.TextColumn(titles["methode"], disabled=True),
            "niveau_engagement": st.column_config.SelectboxColumn(titles["niveau_engagement"], options=levels),
            "format": st.column_config.SelectboxColumn(titles["format"], options=formats),
            "titre": st.column_config.TextColumn(titles["titre"]),
            "date_debut": st.column_config.TextColumn(titles["date_debut"] + iso),
            "date_fin": st.column_config.TextColumn(titles["date_fin"] + iso),
        }
        config |= {n: st.column_config.NumberColumn(titles[n], min_value=0, step=1) for n in FIGURES}
        grid = st.data_editor(
            base, hide_index=True, num_rows="fixed", column_config=config, key="upload_export_grid", placeholder=""
        )
        submitted = st.form_submit_button(text(TEXT, "continue", lang), type="primary", icon=":material/fact_check:")
    if not submitted:
        return None, None
    # A level changed in the grid wins; otherwise the level of its space and kind.
    space_level = {(r.space, r.methode): r.niveau_engagement for r in by_space.itertuples()}
    for i, a in enumerate(export.activities):
        if grid.at[i, "niveau_engagement"] == base.at[i, "niveau_engagement"]:
            grid.at[i, "niveau_engagement"] = space_level.get((a.space or "", a.values.get("methode") or ""))
    return by_space, grid


def _store(work: upload.WorkFile, export: Export, by_space: pd.DataFrame, grid: pd.DataFrame) -> None:
    """The activities as a contract CSV: the corrected copy of the upload (its lines map
    to the export's lines), the export kept as the file uploaded."""
    names = load_schema().names
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=names, delimiter=";", lineterminator="\n")
    writer.writeheader()
    line_map = {}
    for i, a in enumerate(export.activities):
        row = dict(a.values)
        for name in SHOWN:
            value = grid.at[i, name]
            row[name] = "" if value is None or pd.isna(value) else str(value)
        writer.writerow({n: row.get(n) or "" for n in names})
        line_map[i + 2] = a.provenance.line or i + 2
    original = Upload(work.name, work.data, file_format=export.platform, encoding="utf-8")
    name = f"{Path(work.name).stem} (activités).csv"
    data = out.getvalue().encode("utf-8")
    st.session_state[upload.CORRECTED_KEY] = upload.WorkFile(name, data, work.source_sha, line_map, original)
