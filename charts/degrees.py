"""Charts of the Degrees of engagement page: how the lenses map onto the scale, the
distribution of each city across a lens's categories, the depth index over time, and
the adoption of proposals by level. Pure: DataFrame (or lens dicts) in, Figure out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.format import NUMBER_TICKS, SEPARATORS, names_beside, plot_names
from charts.levels import bars_height, crosstab, shares
from charts.periods import Span, partial_mask, partial_note, quarter_label
from etl.schema import Framework

MAX_CITY_LINES = 8  # above this many cities, one line each would be unreadable

TEXT = {
    "fr": {
        "lenses_title": "Correspondances entre les échelles",
        "covers": "couvre",
        "activities": "Activités",
        "participations": "Participations",
        "activities_lower": "activités",
        "participations_lower": "participations",
        "share_x": "Part des {measure} (%)",
        "distribution_title": "{measure} par ville — {lens}",
        "depth_title": "Indice de profondeur par trimestre",
        "depth_y": "Indice de profondeur",
        "quarter": "Trimestre",
        "whole": "Toute la sélection",
        "co_creation": "Co-création",
        "adoption_title": "Taux d'adoption des propositions par degré d'engagement",
        "adoption_y": "Taux d'adoption (%)",
        "level": "Degré d'engagement",
        "received": "Propositions reçues",
        "adopted": "Propositions retenues",
        "adopted_where": "dont retenues sur les activités qui déclarent les reçues",
        "reporting": "Activités qui déclarent les propositions reçues",
        "rate": "Taux d'adoption",
        "no_received": "aucune proposition reçue",
    },
    "en": {
        "lenses_title": "How the scales correspond",
        "covers": "covers",
        "activities": "Activities",
        "participations": "Participations",
        "activities_lower": "activities",
        "participations_lower": "participations",
        "share_x": "Share of {measure} (%)",
        "distribution_title": "{measure} by city — {lens}",
        "depth_title": "Depth index by quarter",
        "depth_y": "Depth index",
        "quarter": "Quarter",
        "whole": "Whole selection",
        "co_creation": "Co-creation",
        "adoption_title": "Adoption rate of proposals by degree of engagement",
        "adoption_y": "Adoption rate (%)",
        "level": "Degree of engagement",
        "received": "Proposals received",
        "adopted": "Proposals adopted",
        "adopted_where": "of which adopted by activities reporting those received",
        "reporting": "Activities reporting proposals received",
        "rate": "Adoption rate",
        "no_received": "no proposal received",
    },
}
LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "traceorder": "normal"}


def _text_colour(colour: str) -> str:
    """Black or white, whichever reads better on a #RRGGBB background."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#FFFFFF"


def _runs(levels: list[str], category_of: dict[str, str]) -> list[tuple[int, int, str]]:
    """(first index, length, category) of each run of consecutive levels in one category."""
    runs: list[tuple[int, int, str]] = []
    for i, level in enumerate(levels):
        if runs and runs[-1][2] == category_of[level] and runs[-1][0] + runs[-1][1] == i:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1, runs[-1][2])
        else:
            runs.append((i, 1, category_of[level]))
    return runs


def lens_correspondence(all_lenses: list[dict], framework: Framework, lang: str = "fr") -> go.Figure:
    """One row per lens (the base scale on top), each category a coloured block spanning
    the levels it covers, so the colours, ranks and equivalents read at a glance."""
    text = TEXT[lang]
    levels = [lv.code for lv in framework.levels]
    bars = []
    for lens in all_lenses:
        categories = {c["code"]: c for c in lens["categories"]}
        category_of = {level: c["code"] for c in lens["categories"] for level in c["levels"]}
        for start, length, code in _runs(levels, category_of):
            category = categories[code]
            label = category["label"][lang]
            if lens is all_lenses[0]:
                label = f"{start + 1} · {label}"
            covered = ", ".join(framework.level(lv).label(lang) for lv in levels[start : start + length])
            bars.append(
                {
                    "type": "bar",
                    "y": [lens["title"][lang]],
                    "x": [length],
                    "base": [start],
                    "orientation": "h",
                    "marker": {"color": category["colour"], "line": {"color": "#FFFFFF", "width": 2}},
                    "text": [label],
                    "textposition": "inside",
                    "insidetextanchor": "middle",
                    "textfont": {"color": _text_colour(category["colour"])},
                    "hovertemplate": f"{lens['title'][lang]} — {category['label'][lang]} : {text['covers']} {covered}<extra></extra>",
                    "showlegend": False,
                }
            )
    layout = {
        "barmode": "overlay",
        "title": {"text": text["lenses_title"]},
        "xaxis": {"visible": False, "range": [0, len(levels)]},
        "yaxis": {"autorange": "reversed", "title": {"text": ""}},
        "height": 90 + 50 * len(all_lenses),
        "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
        "uniformtext": {"minsize": 10, "mode": "hide"},
    }
    return go.Figure(data=bars, layout=layout)


def lens_distribution(frame: pd.DataFrame, lens: dict, measure: str, lang: str = "fr") -> go.Figure:
    """Horizontal 100 % stacked bars, one per city, in the lens's categories (order and
    colours). `frame`: city, category, activities, participations (see queries.lenses.to_lens).
    Cities are sorted by their mean category position: deepest at the top."""
    text = TEXT[lang]
    frame = plot_names(frame)  # names from the database, drawn as text
    codes = [c["code"] for c in lens["categories"]]
    cities, counts, totals = crosstab(frame, "city", "category", measure, codes)
    pct = shares(counts, totals)
    depth = pct @ np.arange(len(codes), dtype=float)
    order = np.argsort(depth, kind="stable")  # plotly draws the first category at the bottom
    names = [cities[i] for i in order]
    full = dict(zip(frame["city"], names_beside(frame), strict=True))
    hover = np.array([full[name] for name in names], dtype=object)
    lower = text[f"{measure}_lower"]
    bars = [
        {
            "type": "bar",
            "name": category["label"][lang],
            "y": names,
            "x": pct[order, i],
            "orientation": "h",
            "marker": {"color": category["colour"]},
            "customdata": np.stack([counts[order, i], hover], axis=-1),
            "hovertemplate": (
                f"%{{customdata[1]}} — {category['label'][lang]} : %{{x:.1f}} %% "
                f"(%{{customdata[0]:,.0f}} {lower})<extra></extra>"
            ),
        }
        for i, category in enumerate(lens["categories"])
    ]
    layout = {
        "barmode": "stack",
        "title": {"text": text["distribution_title"].format(measure=text[measure], lens=lens["title"][lang])},
        "xaxis": {
            "title": {"text": text["share_x"].format(measure=lower)},
            "range": [0, 100],
            "ticksuffix": " %",
            **NUMBER_TICKS,
        },
        "yaxis": {"title": {"text": ""}},
        "legend": LEGEND,
        "separators": SEPARATORS[lang],
        "height": bars_height(len(names), 150),
        "margin": {"l": 10, "r": 10, "t": 90, "b": 40},
    }
    return go.Figure(data=bars, layout=layout)


def _symbols(periods, span: Span | None) -> list[str]:
    """A full dot per whole quarter, a hollow one per partial quarter."""
    return ["circle-open" if p else "circle" for p in partial_mask(periods, "quarter", span)]


def _depth_hover(rows: pd.DataFrame, lang: str) -> list[list]:
    return [[quarter_label(p, lang), n] for p, n in zip(rows["period"], rows["participations"], strict=True)]


def depth_over_time(frame: pd.DataFrame, framework: Framework, lang: str = "fr", span: Span | None = None) -> go.Figure:
    """The depth index per quarter: one thick line for the whole selection (rows whose
    city_code is missing) and one thin line per city (the other rows, at most
    MAX_CITY_LINES cities). `frame`: period, city_code, city, participations, depth_index.
    The y axis runs from level 1 to level 5, labelled with the levels; the band of the
    co-creation levels is shaded. Quarters `span` holds only in part get hollow markers
    and are named in the subtitle."""
    text = TEXT[lang]
    frame = plot_names(frame)  # names from the database, drawn as text
    periods = sorted(pd.to_datetime(frame["period"]).unique())
    whole = frame[frame["city_code"].isna()]
    per_city = frame[frame["city_code"].notna()]
    cities = list(dict.fromkeys(per_city["city"]))
    hover = f"%{{customdata[0]}} : %{{y:.2f}} (%{{customdata[1]:,.0f}} {text['participations_lower']})<extra></extra>"
    lines = []
    if len(cities) <= MAX_CITY_LINES:
        for city in cities:
            rows = per_city[per_city["city"] == city]
            lines.append(
                {
                    "type": "scatter",
                    "name": city,
                    "x": rows["period"].to_numpy(),
                    "y": rows["depth_index"].to_numpy(dtype=float),
                    "mode": "lines+markers",
                    "line": {"width": 1.3},
                    "marker": {"size": 4, "symbol": _symbols(rows["period"], span)},
                    "customdata": _depth_hover(rows, lang),
                    "hovertemplate": f"{city} — {hover}",
                }
            )
    lines.append(
        {
            "type": "scatter",
            "name": text["whole"],
            "x": whole["period"].to_numpy(),
            "y": whole["depth_index"].to_numpy(dtype=float),
            "mode": "lines+markers",
            "line": {"width": 4, "color": "#222222"},
            "marker": {"size": 7, "symbol": _symbols(whole["period"], span)},
            "customdata": _depth_hover(whole, lang),
            "hovertemplate": f"{text['whole']} — {hover}",
        }
    )
    fig = go.Figure(data=lines)
    deep = [lv.rank for lv in framework.levels if lv.code in framework.co_creation]
    if deep:
        fig.add_hrect(
            y0=min(deep) - 0.5,
            y1=max(lv.rank for lv in framework.levels) + 0.2,
            fillcolor=framework.level(framework.co_creation[0]).colour,
            opacity=0.08,
            line_width=0,
            annotation_text=text["co_creation"],
            annotation_position="top left",
        )
    note = partial_note(periods, "quarter", span, lang)
    fig.update_layout(
        title={"text": text["depth_title"], "subtitle": {"text": note}} if note else text["depth_title"],
        xaxis={
            "title": text["quarter"],
            "tickvals": periods,
            "ticktext": [quarter_label(p, lang) for p in periods],
        },
        yaxis={
            "title": text["depth_y"],
            "range": [0.8, max(lv.rank for lv in framework.levels) + 0.2],
            "tickvals": [lv.rank for lv in framework.levels],
            "ticktext": [f"{lv.rank} · {lv.label(lang)}" for lv in framework.levels],
        },
        legend=LEGEND,
        separators=SEPARATORS[lang],
        height=440,
        margin={"l": 10, "r": 10, "t": 90, "b": 40},
    )
    return fig


def adoption_by_level(frame: pd.DataFrame, framework: Framework, lang: str = "fr") -> go.Figure:
    """The adoption rate per level (rank order, level colours), with the counts in the
    hover. `frame`: level, proposals_received, proposals_adopted, adopted_where_received,
    activities_reporting_received, adoption_rate (0-1, missing where nothing was received)."""
    text = TEXT[lang]
    rows = frame.set_index("level").reindex([lv.code for lv in framework.levels])
    labels = [lv.label(lang) for lv in framework.levels]
    rate = 100 * rows["adoption_rate"].astype(float)
    defined = rate.notna().to_numpy()  # nothing received: no rate, so no bar (and no "NaN" label)
    counts = ["proposals_received", "proposals_adopted", "adopted_where_received", "activities_reporting_received"]
    fig = go.Figure()
    fig.add_bar(
        x=[label for label, keep in zip(labels, defined, strict=True) if keep],
        y=rate[defined],
        marker_color=[lv.colour for lv, keep in zip(framework.levels, defined, strict=True) if keep],
        texttemplate="%{y:.1f} %",
        textposition="outside",
        customdata=rows[counts].fillna(0).to_numpy()[defined],
        hovertemplate=(
            f"<b>%{{x}}</b><br>{text['rate']} : %{{y:.1f}} %<br>{text['received']} : %{{customdata[0]:,.0f}}"
            f"<br>{text['adopted']} : %{{customdata[1]:,.0f}}<br>{text['adopted_where']} : %{{customdata[2]:,.0f}}"
            f"<br>{text['reporting']} : %{{customdata[3]:,.0f}}<extra></extra>"
        ),
        showlegend=False,
    )
    for label, keep in zip(labels, defined, strict=True):
        if not keep:
            fig.add_annotation(x=label, y=0, text=text["no_received"], showarrow=False, yanchor="bottom")
    fig.update_layout(
        title=text["adoption_title"],
        xaxis={"title": text["level"], "categoryorder": "array", "categoryarray": labels},
        yaxis={"title": text["adoption_y"], "range": [0, 108], "ticksuffix": " %", **NUMBER_TICKS},
        separators=SEPARATORS[lang],
        height=420,
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
    )
    return fig
