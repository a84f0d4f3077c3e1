"""Export the current records, neutralised against spreadsheet formula injection."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from etl.schema import Schema, load_schema

if TYPE_CHECKING:
    import pandas as pd

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
    elif fmt == "csv":
        frame = con.execute(_neutralized_select(schema)).df()
        # French Excel reads `;`, a UTF-8 BOM and decimal commas.
        frame.to_csv(path, sep=";", decimal=",", index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")
    elif fmt == "xlsx":
        import pandas as pd

        frame = con.execute(_neutralized_select(schema)).df()
        with pd.ExcelWriter(
            path,
            engine="xlsxwriter",
            engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
        ) as writer:
            frame.to_excel(writer, sheet_name="activites", index=False)
    else:
        raise ValueError(fmt)
    return count


def _literal(path: Path) -> str:
    """A path as a SQL string literal (COPY ... TO does not take parameters)."""
    return str(path.resolve()).replace("'", "''")
