"""The data table of each chart, as a reader wants it under the chart and in a CSV/XLSX
file: the chart's own frame, its columns renamed in the language (a metric's label, or a
header of ui/texts/present.py), codes replaced by their labels.

One function per chart builder of the same name (charts/*.py), taking the same frame;
each view (views/) names its table, so the pages (under each chart) and the slides
(their data table) show the same one. Pure.
"""

from __future__ import annotations

import pandas as pd

from charts.city import INCLUSIVENESS
from charts.format import fmt_number
from charts.periods import quarter_label
from etl.schema import Framework, Schema
from queries.metrics import METRICS, small_count
from ui.texts import text
from ui.texts.present import TEXT


def readable(frame: pd.DataFrame, lang: str, columns: dict[str, str], **labels: dict) -> pd.DataFrame:
    """`frame`'s `columns` (column -> header text key; "" for a metric, headed by its
    label), with each `labels[column]` mapping applied to that column's values. A city's
    local name follows its name (in the page's language) when the frame has it."""
    if "city" in columns and "city_local" in frame and "city_local" not in columns:
        order = list(columns)
        order.insert(order.index("city") + 1, "city_local")
        columns = {c: columns.get(c, "col_local") for c in order}
    out = frame[list(columns)].copy()
    for column, mapping in labels.items():
        out[column] = out[column].map(lambda v, m=mapping: m.get(v, v))
    headers = {c: METRICS[c].label(lang) if c in METRICS else text(TEXT, key, lang) for c, key in columns.items()}
    return out.rename(columns=headers).reset_index(drop=True)


def level_labels(framework: Framework, lang: str) -> dict[str, str]:
    return {level.code: level.label(lang) for level in framework.levels}


def every_level(frame: pd.DataFrame, keys: list[str], framework: Framework, counts: list[str]) -> pd.DataFrame:
    """`frame` with a row for each level of the scale under each combination of `keys`
    it holds (zeros in `counts` where a level has none), ordered by the keys and then by
    the scale's order, as the charts' legends are: never alphabetically."""
    codes = [level.code for level in framework.levels]
    groups = frame[keys].drop_duplicates()
    grid = groups.merge(pd.DataFrame({"level": codes}), how="cross")
    full = grid.merge(frame, on=[*keys, "level"], how="left")
    full[counts] = full[counts].fillna(0)
    rank = full["level"].map({code: i for i, code in enumerate(codes)})
    return full.assign(_rank=rank).sort_values([*keys, "_rank"], kind="stable").drop(columns="_rank")


def trend_by_level(frame: pd.DataFrame, framework: Framework, lang: str) -> pd.DataFrame:
    frame = every_level(frame, ["period"], framework, ["activities", "participations"])
    columns = {"period": "col_period", "level": "col_level", "activities": "", "participations": ""}
    return readable(frame, lang, columns, level=level_labels(framework, lang))


def engagement_ladder(frame: pd.DataFrame, framework: Framework, lang: str) -> pd.DataFrame:
    """Activities per city and level (the five levels of each city, in the scale's order),
    with each level's share of the city's activities."""
    frame = every_level(frame, ["city"], framework, ["activities"])
    totals = frame["city"].map(frame.groupby("city")["activities"].sum())
    frame = frame.assign(share=(100 * frame["activities"] / totals).round(1))
    columns = {"city": "col_city", "level": "col_level", "activities": "", "share": "col_share"}
    return readable(frame, lang, columns, level=level_labels(framework, lang))


def city_map(per_city: pd.DataFrame, lang: str) -> pd.DataFrame:
    columns = {"city": "col_city", "activities": "", "participations": "", "per_10k": "", "depth_index": ""}
    return readable(per_city, lang, columns)


def lens_correspondence(all_lenses: list[dict], lang: str) -> pd.DataFrame:
    """One line per level of the base scale, one column per lens: the level's category in it."""
    base, *others = all_lenses
    rows = {lens["title"][lang]: [] for lens in all_lenses}
    for level in base["categories"]:
        rows[base["title"][lang]].append(level["label"][lang])
        for lens in others:
            names = [c["label"][lang] for c in lens["categories"] if level["code"] in c["levels"]]
            rows[lens["title"][lang]].append(", ".join(names))
    return pd.DataFrame(rows)


def lens_distribution(shares: pd.DataFrame, chosen: dict, lang: str) -> pd.DataFrame:
    labels = {c["code"]: c["label"][lang] for c in chosen["categories"]}
    columns = {"city": "col_city", "category": "col_category", "activities": "", "participations": ""}
    return readable(shares, lang, columns, category=labels)


def depth_over_time(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per quarter (and city, when the chart has a line per city), the depth index."""
    frame = frame.assign(
        period=frame["period"].map(lambda p: quarter_label(p, lang)),
        city=frame["city"].where(frame["city_code"].notna(), text(TEXT, "whole", lang)),
    )
    columns = {"period": "col_period", "city": "col_city", "participations": "", "depth_index": ""}
    return readable(frame, lang, columns)


def adoption_by_level(frame: pd.DataFrame, framework: Framework, lang: str) -> pd.DataFrame:
    columns = {"level": "col_level", "proposals_received": "", "proposals_adopted": "", "adoption_rate": ""}
    return readable(frame, lang, columns, level=level_labels(framework, lang))


def intensity_depth(per_city: pd.DataFrame, lang: str) -> pd.DataFrame:
    return readable(per_city, lang, {"city": "col_city", "per_10k": "", "depth_index": ""})


def small_multiples(frame: pd.DataFrame, framework: Framework, lang: str) -> pd.DataFrame:
    frame = every_level(frame, ["period", "city"], framework, ["participations", "per_10k"])
    columns = {"period": "col_period", "city": "col_city", "level": "col_level", "participations": "", "per_10k": ""}
    return readable(frame, lang, columns, level=level_labels(framework, lang))


def proposals_funnel(row: pd.Series, lang: str) -> pd.DataFrame:
    """The funnel's three steps, then what the adoption rate leaves out: each a metric
    of the registry, with its value."""
    steps = ("participations", "proposals_received", "proposals_adopted", "adopted_without_received")
    return pd.DataFrame(
        {
            text(TEXT, "col_step", lang): [METRICS[metric].label(lang) for metric in steps],
            text(TEXT, "col_value", lang): [row[metric] for metric in steps],
        }
    )


def method_level_matrix(frame: pd.DataFrame, schema: Schema, framework: Framework, lang: str) -> pd.DataFrame:
    methods = {c.code: c.label(lang) for c in schema.field("methode").codes}
    frame = every_level(frame, ["method"], framework, ["activities"])
    columns = {"method": "col_method", "level": "col_level", "activities": ""}
    return readable(frame, lang, columns, method=methods, level=level_labels(framework, lang))


def by_field(row: pd.Series, fields: dict[str, str], schema: Schema, lang: str) -> pd.DataFrame:
    """One line per column of `row` named in `fields` (column -> schema field): the
    field's title and the value (the stakeholder mix)."""
    return pd.DataFrame(
        {
            text(TEXT, "col_category", lang): [schema.field(field).title(lang) for field in fields.values()],
            text(TEXT, "col_value", lang): [row[column] for column in fields],
        }
    )


def inclusiveness(row: pd.Series, lang: str) -> pd.DataFrame:
    """Each inclusiveness share with its count (below 5 shown as "< 5", like the chart)
    and the participations on which it was reported."""
    rows = []
    for key, (count, base) in INCLUSIVENESS.items():
        reported = row[base] > 0
        rows.append([METRICS[key].label(lang), round(100 * row[key], 1) if reported else None])
        shown = small_count(row[count])  # "< 5" below five, as on the chart
        rows[-1] += [(shown if isinstance(shown, str) else fmt_number(shown, lang)) if reported else None, row[base]]
    headers = [text(TEXT, k, lang) for k in ("col_series", "col_percent", "col_count", "col_base")]
    return pd.DataFrame(rows, columns=headers)
