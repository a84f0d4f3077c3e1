"""Tables written out as files, the counterpart of readers.py: any DataFrame as CSV, XLSX
or Parquet (`frame_bytes`, behind every data download of the pages), and the current
records (`export`, `python -m etl export`). CSV and XLSX are neutralised against
spreadsheet formula injection. Charts and decks as images, PowerPoint or HTML are
exports/, not here."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from etl.schema import Schema, load_schema

if TYPE_CHECKING:
    import pandas as pd

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value):
    """Prefix text that a spreadsheet would run as a formula with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Same, for every text column of a DataFrame (a copy)."""
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_string_dtype(out[col]) or out[col].dtype == object:
            out[col] = out[col].map(neutralize)
    return out


def _neutralized_select(schema: Schema) -> str:
    cols = []
    for f in schema.fields:
        if f.type == "string":
            cols.append(
                f"CASE WHEN regexp_matches({f.name}, '^[=+\\-@\\t\\r]') THEN '''' || {f.name} ELSE {f.name} END AS {f.name}"
            )
        else:
            cols.append(f.name)
    return f"SELECT {', '.join(cols)} FROM activities ORDER BY ville, date_debut, id_activite"


YES_NO = {"fr": ("oui", "non"), "en": ("yes", "no")}


def words_for_booleans(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Boolean columns (missing values allowed) as the words of the language (oui/non,
    yes/no), which the loader reads back, rather than Python's True/False."""
    import numpy as np
    import pandas as pd

    yes, no = YES_NO[lang]

    def is_boolean(values: pd.Series) -> bool:
        if pd.api.types.is_bool_dtype(values):
            return True
        present = values.dropna()
        return values.dtype == object and len(present) > 0 and all(isinstance(v, (bool, np.bool_)) for v in present)

    def word(value) -> str | None:
        return None if value is None or value is pd.NA or value != value else yes if value else no

    columns = [c for c in frame.columns if is_boolean(frame[c])]
    return frame.assign(**{c: frame[c].astype(object).map(word) for c in columns}) if columns else frame


def frame_bytes(frame: pd.DataFrame, fmt: str, lang: str = "fr", sheet: str = "activites") -> bytes:
    """A table as a downloadable file. CSV and XLSX are neutralised against formula
    injection; CSV in French is what French Excel reads (`;`, decimal comma, UTF-8 with
    BOM, oui/non), in English `,`, a decimal point and yes/no; XLSX cells are never
    written as formulas; Parquet keeps the values and types as they are."""
    import pandas as pd

    buffer = io.BytesIO()
    if fmt == "parquet":
        frame.to_parquet(buffer, index=False)
        return buffer.getvalue()
    safe = neutralize_frame(frame)
    if fmt == "csv":
        safe = words_for_booleans(safe, lang)
        sep, decimal = (";", ",") if lang == "fr" else (",", ".")
        return ("\ufeff" + safe.to_csv(sep=sep, decimal=decimal, index=False, date_format="%Y-%m-%d")).encode("utf-8")
    if fmt == "xlsx":
        with pd.ExcelWriter(
            buffer,
            engine="xlsxwriter",
            date_format="yyyy-mm-dd",
            datetime_format="yyyy-mm-dd",
            engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
        ) as writer:
            safe.to_excel(writer, sheet_name=sheet, index=False)
        return buffer.getvalue()
    raise ValueError(fmt)


def export(con, path: Path, fmt: str = "csv", schema: Schema | None = None) -> int:
    """Write the current records to `path`; returns the number of records."""
    schema = schema or load_schema()
    path = Path(path)
    count = con.execute("SELECT count(*) FROM activities").fetchone()[0]
    if fmt == "parquet":
        names = ", ".join(schema.names)
        con.execute(
            f"COPY (SELECT {names} FROM activities ORDER BY ville, date_debut) TO '{_literal(path)}' (FORMAT parquet)"
        )
    elif fmt in ("csv", "xlsx"):
        path.write_bytes(frame_bytes(con.execute(_neutralized_select(schema)).df(), fmt))
    else:
        raise ValueError(fmt)
    return count


def _literal(path: Path) -> str:
    """A path as a SQL string literal (COPY ... TO does not take parameters)."""
    return str(path.resolve()).replace("'", "''")
