"""One city's charts: the proposals funnel, the method × level matrix, the stakeholder
mix, inclusiveness; and the display form of its table of activities (labels instead of
codes, headers in the language); downloads are built by etl.writers.frame_bytes.

Pure: the figures and tables are built from the rows of queries/sql/aggregates_by_city.sql
after queries.metrics.compute, and from the city_* queries. No I/O, no streamlit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.format import NUMBER_TICKS, SEPARATORS, fmt_metric, fmt_number
from charts.levels import crosstab
from etl.schema import Framework, Schema

NEUTRAL = "#4C78A8"

# Stakeholder group (queries.metrics.STAKEHOLDERS) -> the contract's field.
STAKEHOLDER_FIELDS = {
    "citizens": "nb_citoyens",
    "businesses": "nb_entreprises",
    "research": "nb_recherche",
    "associations": "nb_associations",
    "public_bodies": "nb_institutions",
}
# Inclusiveness metric -> (its count, its reported base), columns of the aggregates.
INCLUSIVENESS = {
    "women_share": ("women", "women_base"),
    "under_25_share": ("under_25", "under_25_base"),
    "newcomer_rate": ("newcomers", "newcomers_base"),
}
# Columns of queries/sql/city_activities.sql whose values are codes of the contract.
CODE_COLUMNS = ("methode", "niveau_engagement", "thematique", "format", "recrutement")

TEXT = {
    "fr": {
        "funnel_title": "Des participations aux propositions retenues",
        "participations": "Participations",
        "received": "Propositions reçues",
        "adopted": "Propositions retenues",
        "adopted_note": "taux d'adoption : sur les activités qui déclarent les propositions reçues",
        "rate": "taux d'adoption",
        "outside_note": "dont {n} retenues par des activités<br>sans propositions reçues déclarées, hors taux d'adoption",
        "matrix_title": "Activités par méthode et degré d'engagement",
        "activities": "activités",
        "level": "Degré d'engagement",
        "stakeholders_title": "Qui a participé : catégories d'acteurs",
        "stakeholders_x": "Participations",
        "not_reported": "Non renseigné sur la sélection",
        "inclusiveness_title": "Inclusion, là où c'est renseigné",
        "inclusiveness_note": "Entre parenthèses : nombre / participations des activités qui le renseignent ; moins de 5 : « < 5 ».",
        "share_x": "Part des participations renseignées (%)",
        "of": "sur",
        "reported": "participations renseignées",
        "none": "non renseigné",
        "yes": "Oui",
        "no": "Non",
    },
    "en": {
        "funnel_title": "From participations to adopted proposals",
        "participations": "Participations",
        "received": "Proposals received",
        "adopted": "Proposals adopted",
        "adopted_note": "adoption rate: over the activities reporting the proposals received",
        "rate": "adoption rate",
        "outside_note": "of which {n} adopted by activities<br>reporting no proposals received, outside the adoption rate",
        "matrix_title": "Activities by method and degree of engagement",
        "activities": "activities",
        "level": "Degree of engagement",
        "stakeholders_title": "Who took part: stakeholder groups",
        "stakeholders_x": "Participations",
        "not_reported": "Not reported in the selection",
        "inclusiveness_title": "Inclusiveness, where reported",
        "inclusiveness_note": "In brackets: count / participations of the activities reporting it; below 5: “< 5”.",
        "share_x": "Share of the participations reported (%)",
        "of": "of",
        "reported": "participations reported",
        "none": "not reported",
        "yes": "Yes",
        "no": "No",
    },
}


def _layout(title: str, lang: str, height: int = 380, **more) -> dict:
    """The layout the city charts share; each figure is built in one call with it (adding to
    a figure afterwards costs plotly as much as building it)."""
    layout = {
        "title": {"text": title},
        "separators": SEPARATORS[lang],
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 60, "b": 40},
    }
    return layout | more


def proposals_funnel(row: pd.Series, lang: str = "fr") -> go.Figure:
    """Participations → proposals received → proposals adopted, for one city's row of
    computed aggregates (queries.metrics.compute): each step is the registry's metric of
    the same name, the figure every other page shows. The adoption rate is computed on the
    activities that report the proposals received; when other activities adopted
    proposals too, the subtitle says how many the rate leaves out."""
    text = TEXT[lang]
    values = [row["participations"], row["proposals_received"], row["proposals_adopted"]]
    labels = [fmt_number(v, lang) for v in values]
    if row["adoption_rate"] == row["adoption_rate"]:  # not NaN
        labels[2] += f"<br>{text['rate']} {fmt_metric(row['adoption_rate'], 'share', lang)}"  # narrow: 2 lines
    outside = row["adopted_without_received"]
    funnel = {
        "type": "funnel",
        "y": [text["participations"], text["received"], text["adopted"]],
        "x": values,
        "text": labels,
        "textinfo": "text",
        "customdata": ["", "", text["adopted_note"]],
        "hovertemplate": "%{y} : %{x:,.0f}<br>%{customdata}<extra></extra>",
        "marker": {"color": ["#9ECAE1", "#4292C6", "#08519C"]},
        "connector": {"fillcolor": "#E8EEF4"},
        "cliponaxis": False,  # a label outside its bar may reach into the margin
    }
    layout = _layout(text["funnel_title"], lang)
    if outside > 0:
        layout["title"]["subtitle"] = {"text": text["outside_note"].format(n=fmt_number(outside, lang))}
        layout["margin"]["t"] = 96  # the subtitle's two lines
    return go.Figure(data=[funnel], layout=layout)


def method_level_matrix(frame: pd.DataFrame, schema: Schema, framework: Framework, lang: str = "fr") -> go.Figure:
    """Heatmap of activity counts: methods as rows (in the contract's order), the levels of
    the scale as columns in rank order. `frame`: method, level, activities."""
    text = TEXT[lang]
    present = set(frame["method"])
    methods = [c for c in schema.field("methode").codes if c.code in present]
    rows, counts, _ = crosstab(frame, "method", "level", "activities", [lv.code for lv in framework.levels])
    position = {code: i for i, code in enumerate(rows)}
    counts = counts[[position[c.code] for c in methods]].astype(int)  # the contract's order
    heatmap = {
        "type": "heatmap",
        "z": counts,
        "x": [lv.label(lang) for lv in framework.levels],
        "y": [c.label(lang) for c in methods],
        "text": np.where(counts > 0, counts.astype(str), ""),
        "texttemplate": "%{text}",
        "colorscale": "Blues",
        "showscale": False,
        "xgap": 2,
        "ygap": 2,
        "hovertemplate": f"%{{y}} — %{{x}} : %{{z:,.0f}} {text['activities']}<extra></extra>",
    }
    layout = _layout(
        text["matrix_title"],
        lang,
        height=max(320, 34 * len(methods) + 140),
        xaxis={"title": {"text": text["level"]}, "side": "bottom"},
        yaxis={"autorange": "reversed"},
    )
    return go.Figure(data=[heatmap], layout=layout)


def stakeholder_mix(row: pd.Series, schema: Schema, lang: str = "fr") -> go.Figure:
    """Horizontal bars of participations per stakeholder group, labelled with the
    contract's field titles, in the contract's order from the top."""
    text = TEXT[lang]
    labels = [schema.field(f).title(lang) for f in STAKEHOLDER_FIELDS.values()]
    values = [row[group] for group in STAKEHOLDER_FIELDS]
    bars = {
        "type": "bar",
        "y": labels,
        "x": values,
        "orientation": "h",
        "marker": {"color": NEUTRAL},
        "text": [fmt_number(v, lang) for v in values],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{y} : %{x:,.0f}<extra></extra>",
    }
    top = max(max(values), 1) * 1.15  # room for the text of the longest bar
    empty = {"text": text["not_reported"], "showarrow": False, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}
    layout = _layout(
        text["stakeholders_title"],
        lang,
        xaxis={"title": {"text": text["stakeholders_x"]}, "range": [0, top], **NUMBER_TICKS},
        yaxis={"autorange": "reversed"},
        annotations=[empty] if sum(values) == 0 else [],
    )
    return go.Figure(data=[bars], layout=layout)


def inclusiveness_reported(row: pd.Series) -> bool:
    """Whether the city reports any of women, under-25s or new participants."""
    return any(row[base] > 0 for _, base in INCLUSIVENESS.values())


def inclusiveness(
    row: pd.Series, metrics: Mapping, small_count: Callable[[float], str | int], lang: str = "fr"
) -> go.Figure:
    """Women's share, under-25 share and newcomer rate (bars, 0–100 %), each with its
    count and its reported base. `metrics`: queries.metrics.METRICS (the labels);
    `small_count`: queries.metrics.small_count (counts below 5 are not shown exactly)."""
    text = TEXT[lang]
    labels, shares, notes, details = [], [], [], []
    for key, (count, base) in INCLUSIVENESS.items():
        labels.append(metrics[key].label(lang))
        reported = row[base] > 0
        shares.append(100 * row[key] if reported else 0)
        shown = small_count(row[count])
        shown = shown if isinstance(shown, str) else fmt_number(shown, lang)
        notes.append(
            f"{fmt_metric(row[key], 'share', lang)} ({shown} / {fmt_number(row[base], lang)})"
            if reported
            else text["none"]
        )
        details.append(f"{shown} {text['of']} {fmt_number(row[base], lang)} {text['reported']}" if reported else "")
    bars = {
        "type": "bar",
        "y": labels,
        "x": shares,
        "orientation": "h",
        "marker": {"color": NEUTRAL},
        "text": notes,
        # Long bars carry their text inside, short ones beside them: never cut at 100 %.
        "textposition": ["inside" if share > 55 else "outside" for share in shares],
        "insidetextanchor": "end",
        "cliponaxis": False,
        "customdata": details,
        "hovertemplate": "%{y} : %{customdata}<extra></extra>",
    }
    layout = _layout(
        text["inclusiveness_title"],
        lang,
        height=320,
        xaxis={"title": {"text": text["share_x"]}, "range": [0, 100], "dtick": 25, "ticksuffix": " %", **NUMBER_TICKS},
        yaxis={"autorange": "reversed"},
    )
    layout["title"]["subtitle"] = {"text": text["inclusiveness_note"]}
    layout["margin"]["t"] = 80
    return go.Figure(data=[bars], layout=layout)


def activities_table(frame: pd.DataFrame, schema: Schema, lang: str = "fr") -> pd.DataFrame:
    """The rows of queries/sql/city_activities.sql as shown and downloaded: code values
    as their labels, yes/no in words, headers as the contract's titles in `lang`.

    The label columns are categorical: a large city has tens of thousands of rows, and the
    table travels to the browser as Arrow, where a category is sent once, not on every row
    (half the bytes). Their values are the contract's labels, never text from a file."""
    text = TEXT[lang]
    out = frame.copy()
    for column in CODE_COLUMNS:
        labels = {c.code: c.label(lang) for c in schema.field(column).codes}
        out[column] = out[column].astype("category").map(lambda code, labels=labels: labels.get(code, code))
    yes_no = {True: text["yes"], False: text["no"]}
    out["retour_public"] = out["retour_public"].map(yes_no).astype(pd.CategoricalDtype(list(yes_no.values())))
    out["date_debut"] = pd.to_datetime(out["date_debut"]).dt.date  # a date, not a timestamp, once shown
    return out.rename(columns={name: schema.field(name).title(lang) for name in out.columns})
