"""Lenses on the engagement scale: the French scale itself, and the other frameworks
(IAP2, Arnstein…) that the framework file maps it onto. Pure: no streamlit, no database.

Everything comes from the framework file (`data/frameworks/echelle_participation.json`):
its `lenses` list and each level's `equivalents`. Adding a lens to the file adds it
here, and so to the Degrees page, with no code change.
"""

from __future__ import annotations

import pandas as pd

from etl.schema import Framework

BASE = "fr"  # the id of the base scale, always the first lens


def lenses(framework: Framework) -> list[dict]:
    """Every lens, the base scale first: id, title and source ({"fr", "en"}), and its
    categories in order, each with code, label ({"fr", "en"}), colour and the level
    codes it covers (in rank order).

    A lens of the file that leaves a level without an equivalent among its categories
    is left out: its shares would silently drop that level's activities."""
    base = {
        "id": BASE,
        "title": framework.title,
        "source": framework.source,
        "categories": [
            {"code": lv.code, "label": {"fr": lv.label_fr, "en": lv.label_en}, "colour": lv.colour, "levels": [lv.code]}
            for lv in framework.levels
        ],
    }
    out = [base]
    for lens in framework.lenses:
        categories = [
            {
                "code": c["code"],
                "label": dict(c["label"]),
                "colour": c["colour"],
                "levels": [lv.code for lv in framework.levels if lv.equivalents.get(lens["id"]) == c["code"]],
            }
            for c in lens["categories"]
        ]
        covered = {code for c in categories for code in c["levels"]}
        if lens["id"] == BASE or covered != {lv.code for lv in framework.levels}:
            continue
        out.append(
            {
                "id": lens["id"],
                "title": dict(lens["title"]),
                "source": dict(lens.get("source", {})),
                "categories": categories,
            }
        )
    return out


def lens(framework: Framework, lens_id: str) -> dict:
    """One lens by id; ValueError when the framework has no such lens."""
    for candidate in lenses(framework):
        if candidate["id"] == lens_id:
            return candidate
    raise ValueError(f"unknown lens: {lens_id!r}")


def equivalents(framework: Framework, level_code: str, lang: str) -> list[tuple[str, str]]:
    """(lens title, category label) of one level in every lens other than the base scale."""
    return [
        (item["title"][lang], category["label"][lang])
        for item in lenses(framework)[1:]
        for category in item["categories"]
        if level_code in category["levels"]
    ]


def to_lens(frame: pd.DataFrame, framework: Framework, lens_id: str, level_column: str = "level") -> pd.DataFrame:
    """Map the level codes of `frame` to the categories of a lens, summing the counts.

    Numeric columns are summed; the other columns (city, city_code…) are kept as group
    keys. The result has a `category` column (the category code) in place of
    `level_column`, rows ordered by the keys and then by the lens's category order."""
    chosen = lens(framework, lens_id)
    mapping = {level: c["code"] for c in chosen["categories"] for level in c["levels"]}
    position = {c["code"]: i for i, c in enumerate(chosen["categories"])}
    rest = [c for c in frame.columns if c != level_column]
    numeric = [c for c in rest if pd.api.types.is_numeric_dtype(frame[c])]
    keys = [c for c in rest if c not in numeric]
    mapped = frame.drop(columns=level_column).assign(category=frame[level_column].map(mapping))
    if mapped.empty:
        return mapped[[*keys, "category", *numeric]]
    grouped = mapped.groupby([*keys, "category"], dropna=False, sort=False)[numeric].sum().reset_index()
    grouped = grouped.assign(_position=grouped["category"].map(position))
    return grouped.sort_values([*keys, "_position"], kind="stable").drop(columns="_position").reset_index(drop=True)
