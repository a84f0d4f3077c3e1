"""An export's activities as a staged table of text cells (what `etl.readers` makes of a
CSV), so that they take the ordinary validation and load path; and the way back, from a
problem on a staged row to the export's own file, line and column."""

from __future__ import annotations

import uuid

from etl.problems import Problem
from etl.readers import RawTable
from etl.schema import Schema
from etl.sources import PLATFORMS, Export, SourceOptions


def missing_figure_problems(export: Export, schema: Schema, options: SourceOptions) -> list[Problem]:
    """One error per required figure the export lacks, saying how to give it."""
    out = []
    for activity in export.activities:
        ident = activity.values.get("id_activite") or ""
        for name in activity.missing:
            f = schema.field(name)
            if options.channel == "page":
                how_fr = f"Saisissez-le dans la colonne « {f.title_fr} » du tableau des activités ci-dessous."
                how_en = f'Enter it in the "{f.title_en}" column of the activities table below.'
            else:
                how_fr = (
                    f"Donnez-le avec --set {name}=NOMBRE (toutes les activités de l'export), "
                    f"ou --set {ident}:{name}=NOMBRE (cette activité seule)."
                )
                how_en = (
                    f"Give it with --set {name}=NUMBER (every activity of the export), "
                    f"or --set {ident}:{name}=NUMBER (this activity only)."
                )
            out.append(
                Problem(
                    "export-missing-figure",
                    line=activity.provenance.line,
                    column=name,
                    file=_file_of(export, activity.provenance.file),
                    params={
                        "figure_fr": f.title_fr,
                        "figure_en": f.title_en,
                        "platform": PLATFORMS[export.platform],
                        "title": activity.values.get("titre") or ident,
                        "how_fr": how_fr,
                        "how_en": how_en,
                    },
                )
            )
    return out


def _file_of(export: Export, member: str) -> str:
    return export.name if member == export.name else f"{export.name} › {member}"


def stage(con, export: Export, schema: Schema) -> tuple[RawTable, dict[int, int]]:
    """A RawTable holding one row per activity (headers = the contract's names) and the
    map staged line -> activity index. Staged lines are the export's own lines when
    they are unique (one file), else 2, 3, … (a ZIP: lines repeat across members)."""
    import pandas as pd

    names = schema.names
    lines = [a.provenance.line for a in export.activities]
    unique = all(lines) and len(set(lines)) == len(lines) and len({a.provenance.file for a in export.activities}) <= 1
    staged = [int(x) for x in lines] if unique else list(range(2, len(lines) + 2))
    header_line = min(staged) - 1 if staged else 1
    raw = RawTable(
        table=f"raw_{uuid.uuid4().hex[:12]}",
        headers=list(names),
        header_line=max(header_line, 0),
        format=export.platform,
        encoding="utf-8",
        parser=export.platform,
    )
    rows = [[line, *(a.values.get(n) for n in names)] for line, a in zip(staged, export.activities, strict=True)]
    frame = pd.DataFrame(rows, columns=["line", *raw.columns])
    frame = frame.astype({"line": "int64", **{c: "string" for c in raw.columns}})
    view = f"{raw.table}_frame"
    con.register(view, frame)
    con.execute(f"CREATE TEMP TABLE {raw.table} AS SELECT * FROM {view}")
    con.unregister(view)
    raw.rows = len(rows)
    return raw, {line: i for i, line in enumerate(staged)}


def remap(problems: list[Problem], export: Export, line_map: dict[int, int], header_line: int) -> list[Problem]:
    """Problems of staged rows, placed on the export's file, line and column. A
    `missing-value` the export already reported as a missing figure is dropped."""
    figures = {(p.line, p.column) for p in problems if p.code == "export-missing-figure"}
    out = []
    for p in problems:
        index = line_map.get(p.line) if p.line and p.code != "export-missing-figure" else None
        if index is not None:
            activity = export.activities[index]
            prov = activity.provenance
            field_name = p.column or ""
            if p.code == "missing-value" and (prov.line, field_name) in figures:
                continue
            source_columns = dict(prov.columns)
            if field_name in source_columns:
                p.column = f"{source_columns[field_name]} ({field_name})"
            p.line = prov.line
            p.file = _file_of(export, prov.file)
        elif p.line == header_line and p.code in ("blank-row",):
            continue
        out.append(p)
    return out
