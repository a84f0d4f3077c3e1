"""The key figures of a selection as plain records, for `python -m etl figures`: the same
SQL (queries/sql/aggregates_by_city.sql) and the same registry (queries/metrics.py) as the
pages, never a second implementation. No streamlit is used here: the command line runs
the named query on its own connection.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from etl.schema import normalize_key
from queries import framework_params, prepare, run
from queries.metrics import (
    BASE_COLUMNS,
    FOLLOW_UP,
    METRICS,
    REPRESENTATION,
    activities_counted,
    compute,
    missing_reason,
    total,
)
from queries.selection import Selection

# The figures a national report starts from, in this order.
FIGURES = (
    "activities",
    "sessions",
    "participations",
    "proposals_received",
    "proposals_adopted",
    "adoption_rate",
    "per_10k",
    "cocreation_share",
    "depth_index",
    "public_response_rate",
    *FOLLOW_UP,
    *REPRESENTATION,
)


@dataclass(frozen=True)
class CityName:
    code: str
    name_fr: str
    name_en: str
    local: str

    def name(self, lang: str) -> str:
        return self.name_fr if lang == "fr" else self.name_en


def reference_cities(con) -> tuple[list[CityName], dict[str, list[str]]]:
    """Every reference city with its names, and every spelling of each (for `--city`)."""
    rows = con.execute(
        "SELECT code, coalesce(nom_fr, nom), coalesce(nom_en, nom), nom, alias FROM cities ORDER BY code"
    ).fetchall()
    return [CityName(code, fr, en, local) for code, fr, en, local, _ in rows], {
        code: [code, fr, en, local, *aliases] for code, fr, en, local, aliases in rows
    }


def resolve_cities(con, wanted: list[str], lang: str) -> tuple[list[str], dict[str, list[str]]]:
    """The codes of `wanted` (codes, names in any language, local names or aliases; case,
    accents and punctuation ignored), and for each one not found its nearest names."""
    cities, spellings = reference_cities(con)
    by_code = {c.code: c for c in cities}
    index: dict[str, str] = {}
    for code, names in spellings.items():
        for name in names:
            if name and (key := normalize_key(name)):
                index.setdefault(key, code)
    codes, unknown = [], {}
    for text in wanted:
        code = index.get(normalize_key(text))
        if code:
            codes.append(code)
            continue
        near = difflib.get_close_matches(normalize_key(text), list(index), n=6, cutoff=0.6)
        names = list(dict.fromkeys(by_code[index[k]].name(lang) for k in near))[:3]
        unknown[text] = names
    return list(dict.fromkeys(codes)), unknown


def data_period(con):
    """The first and last start dates of the data (today for both when there is none)."""
    return con.execute(
        "SELECT coalesce(min(date_debut), current_date), coalesce(max(date_debut), current_date) FROM activities"
    ).fetchone()


def aggregates(con, selection: Selection, lang: str) -> pd.DataFrame:
    """The page's base aggregates of the selection, one row per city in scope."""
    params = selection.params() | framework_params() | {"lang": lang}
    return run(prepare(con), "aggregates_by_city", params)


def _zero_row(code: str, name: str) -> pd.Series:
    """A city asked for that has no record at all: no activity, nothing to measure."""
    row = dict.fromkeys(BASE_COLUMNS, 0) | {"city_code": code, "city": name, "population": np.nan}
    row["answer_delays"] = np.array([], dtype=float)
    return pd.Series(row)


def figures(con, selection: Selection, lang: str, cities: list[str] | None = None) -> list[dict]:
    """One record per (metric, city) and per metric for the whole selection (city None):
    `metric` (the registry's key), `label`, `city`, `city_name`, `value` (a number or
    None), `shown` (as the pages write it), `unit`, `activities_counted` and `reason`
    (why the value is missing, or None)."""
    from charts.format import fmt_metric  # display only; the values come from the registry

    per_city = aggregates(con, selection, lang)
    rows: list[tuple[str | None, str | None, pd.Series]] = [(None, None, total(per_city))]
    if cities:
        computed = compute(per_city).set_index("city_code")
        names = {c.code: c.name(lang) for c in reference_cities(con)[0]}
        for code in cities:
            if code in computed.index:
                row = computed.loc[code]
            else:
                row = compute(_zero_row(code, names[code]).to_frame().T).iloc[0]
            rows.append((code, names[code], row))
    out = []
    for code, name, values in rows:
        for key in FIGURES:
            metric, value = METRICS[key], values[key]
            number = None if value is None or value != value else float(value)
            if number is not None and metric.unit == "count":
                number = int(number)
            out.append(
                {
                    "metric": key,
                    "label": metric.label(lang),
                    "city": code,
                    "city_name": name,
                    "value": number,
                    "shown": fmt_metric(number, metric.unit, lang),
                    "unit": metric.unit,
                    "activities_counted": activities_counted(key, values),
                    "reason": missing_reason(key, values, lang),
                }
            )
    return out
