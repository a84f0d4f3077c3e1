"""The follow-up of proposals and representativeness (issue 17): the funnel received →
answered → adopted → implemented against the mission median, the distribution of answer
delays, cities ranked by answer rate and delay, the representation ratios against the
reference line at 1, and the returning participants' share over time.

Pure: each figure is built from rows of queries/sql/aggregates_by_city.sql after
queries.metrics.compute (every value is the registry's), or from
queries/sql/follow_up_returning_by_quarter.sql. No I/O, no streamlit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.format import NUMBER_TICKS, SEPARATORS, fmt_metric, fmt_number, plot_names, plot_text
from charts.periods import Span, partial_mask, partial_note, quarter_label
from queries.metrics import FEW, METRICS, activities_counted

NEUTRAL, MEDIAN, LATE = "#4C78A8", "#222222", "#B8860B"
WOMEN, YOUTH = "#7B3294", "#008837"  # purple and green: apart for every colour-vision type
MAX_CITIES = 25  # rows of a ranking or of the ratios; the table holds every city
STEPS = ("proposals_received", "answered", "proposals_adopted", "implemented")
# Delay classes in days: (upper bound, French label, English label).
DELAYS = (
    (30, "≤ 30 j", "≤ 30 days"),
    (60, "31–60 j", "31–60 days"),
    (90, "61–90 j", "61–90 days"),
    (180, "91–180 j", "91–180 days"),
    (365, "181–365 j", "181–365 days"),
    (np.inf, "> 1 an", "> 1 year"),
)

TEXT = {
    "fr": {
        "funnel_title": "Que deviennent les propositions ?",
        "funnel_y": "Part des propositions reçues (%)",
        "steps": ["Reçues", "Ayant reçu une réponse", "Retenues", "Mises en œuvre"],
        "selection": "Sélection",
        "median": "Médiane des villes de la mission",
        "delay_title": "Délai entre l'activité et la réponse publique",
        "delay_y": "Activités",
        "delay_x": "Délai de réponse",
        "ranking_title": "Villes classées par taux de réponse",
        "ranking_x": "Taux de réponse (%)",
        "median_days": "délai médian",
        "ratio_title": "Représentation dans les participations par rapport à la population",
        "ratio_x": "Part parmi les participations / part parmi les habitants (1 = comme dans la ville)",
        "women": "Femmes",
        "youth": "Moins de 25 ans",
        "returning_title": "Part de participants fidèles, par trimestre",
        "returning_y": "Participants fidèles (%)",
        "activities": "activités",
        "top": "{n} villes sur {total} (les plus actives) ; le tableau les donne toutes.",
    },
    "en": {
        "funnel_title": "What becomes of the proposals?",
        "funnel_y": "Share of the proposals received (%)",
        "steps": ["Received", "Answered", "Adopted", "Implemented"],
        "selection": "Selection",
        "median": "Median of the mission cities",
        "delay_title": "Time from the activity to the public answer",
        "delay_y": "Activities",
        "delay_x": "Time to answer",
        "ranking_title": "Cities ranked by answer rate",
        "ranking_x": "Answer rate (%)",
        "median_days": "median time",
        "ratio_title": "Representation among participations against the population",
        "ratio_x": "Share among participations / share among inhabitants (1 = as in the city)",
        "women": "Women",
        "youth": "Under 25",
        "returning_title": "Returning participants' share, by quarter",
        "returning_y": "Returning participants (%)",
        "activities": "activities",
        "top": "{n} cities of {total} (the most active); the table gives them all.",
    },
}


def _layout(title: str, lang: str, height: int = 400, subtitle: str | None = None, **more) -> dict:
    return {
        "title": {"text": title, "subtitle": {"text": subtitle}} if subtitle else {"text": title},
        "separators": SEPARATORS[lang],
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 60, "b": 40},
    } | more


def counted_note(keys: list[str], values: pd.Series, lang: str) -> str:
    """On how many activities each key figure rests, in one line."""
    parts = [f"{METRICS[k].label(lang)} {fmt_number(activities_counted(k, values), lang)}" for k in keys]
    return ("Activités comptées : " if lang == "fr" else "Activities counted: ") + " · ".join(parts)


# --- the funnel ------------------------------------------------------------------------------


def step_shares(row: pd.Series) -> list[float]:
    """Each step as a share of the proposals received, from the registry's rates: answered
    (answer rate), adopted (adoption rate), implemented (adoption × implementation rate)."""
    adopted = row["adoption_rate"]
    return [1.0, row["answer_rate"], adopted, adopted * row["implementation_rate"]]


def median_steps(mission: pd.DataFrame) -> list[float]:
    """The median over the mission cities (members with activities) of each step's share."""
    active = mission[(mission["activities"] > 0) & mission["member"].astype(bool)]
    shares = pd.DataFrame([step_shares(row) for _, row in active.iterrows()], columns=list(STEPS))
    return [float(shares[c].median()) if len(shares) else np.nan for c in STEPS]


def _step_notes(row: pd.Series, lang: str) -> list[str]:
    """What each step's share is computed from: its counts, over the activities that
    report them (each rate of the registry has its own)."""
    n = lambda v: fmt_number(v, lang)  # noqa: E731
    if lang == "fr":
        return [
            f"{n(row['proposals_received'])} propositions reçues",
            f"{n(row['answered'])} réponses sur {n(row['received_where_answered'])} propositions reçues (activités qui déclarent les deux)",
            f"{n(row['adopted_where_received'])} retenues sur {n(row['proposals_received'])} reçues",
            f"{n(row['implemented'])} mises en œuvre sur {n(row['adopted_where_implemented'])} retenues (activités qui le déclarent)",
        ]
    return [
        f"{n(row['proposals_received'])} proposals received",
        f"{n(row['answered'])} answered of {n(row['received_where_answered'])} received (activities reporting both)",
        f"{n(row['adopted_where_received'])} adopted of {n(row['proposals_received'])} received",
        f"{n(row['implemented'])} implemented of {n(row['adopted_where_implemented'])} adopted (activities reporting it)",
    ]


def funnel(row: pd.Series, median: list[float], name: str, lang: str) -> go.Figure:
    """Bars: the selection's (or a city's) steps as shares of the proposals received, each
    from the registry's rates (the hover says from which counts); diamonds: the mission
    median of each step. A step missing ("—", too few activities report it) has no bar."""
    text, name = TEXT[lang], plot_text(name)  # a city's name, from the database: drawn as text
    shares = step_shares(row)
    shown = [fmt_metric(v, "share", lang) for v in shares]
    # Each step's share under its name, not over its bar, where the median's diamond may sit.
    ticks = [f"{step}<br><b>{value}</b>" for step, value in zip(text["steps"], shown, strict=True)]
    bars = go.Bar(
        x=text["steps"],
        y=[100 * v if v == v else None for v in shares],
        name=name,
        marker_color=NEUTRAL,
        customdata=list(zip(shown, _step_notes(row, lang), strict=True)),
        hovertemplate="%{x}: %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
    )
    medians = go.Scatter(
        x=text["steps"],
        y=[100 * v if v == v else None for v in median],
        name=text["median"],
        mode="markers",
        marker={"symbol": "diamond", "size": 14, "color": MEDIAN, "line": {"color": "white", "width": 1}},
        customdata=[fmt_metric(v, "share", lang) for v in median],
        hovertemplate="%{x}: %{customdata}<extra>" + text["median"] + "</extra>",
    )
    return go.Figure(
        [bars, medians],
        _layout(
            text["funnel_title"],
            lang,
            xaxis={"tickvals": text["steps"], "ticktext": ticks},
            yaxis={"title": {"text": text["funnel_y"]}, "range": [0, 108], **NUMBER_TICKS},
            legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1, "xanchor": "right"},
        ),
    )


def funnel_table(row: pd.Series, median: list[float], lang: str) -> pd.DataFrame:
    text = TEXT[lang]
    shares = step_shares(row)
    return pd.DataFrame(
        {
            "Étape" if lang == "fr" else "Step": text["steps"],
            "Propositions" if lang == "fr" else "Proposals": [row[s] for s in STEPS],
            "Part des reçues (%)" if lang == "fr" else "Share of received (%)": [100 * v for v in shares],
            text["median"] + " (%)": [100 * v for v in median],
        }
    )


def funnel_summary(row: pd.Series, median: list[float], name: str, lang: str) -> str:
    answered, implemented = step_shares(row)[1], step_shares(row)[3]
    share = lambda v: fmt_metric(v, "share", lang)  # noqa: E731
    if lang == "fr":
        out = f"{name} : {share(answered)} des propositions reçues ont eu une réponse publique (médiane de la mission : {share(median[1])})"
        return out + f", {share(implemented)} ont été mises en œuvre (médiane : {share(median[3])})."
    out = (
        f"{name}: {share(answered)} of the proposals received got a public answer (mission median: {share(median[1])})"
    )
    return out + f", {share(implemented)} were implemented (median: {share(median[3])})."


# --- the delays ------------------------------------------------------------------------------


def delay_classes(per_city: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Activities per class of answer delay, over every city of the selection."""
    parts = [np.asarray(d, dtype=float) for d in per_city["answer_delays"] if d is not None and len(d)]
    days = np.concatenate(parts) if parts else np.array([], dtype=float)
    uppers = np.array([upper for upper, _, _ in DELAYS])
    counts = np.bincount(np.searchsorted(uppers, days, side="left"), minlength=len(DELAYS))  # 30 is "≤ 30"
    return pd.DataFrame(
        {
            "delay": [fr if lang == "fr" else en for _, fr, en in DELAYS],
            "activities": counts.astype(int),
            "within_90": [upper <= 90 for upper, _, _ in DELAYS],
        }
    )


def delays(classes: pd.DataFrame, lang: str) -> go.Figure:
    """Bars per delay class; those beyond 90 days in another colour (and hatched, for
    readers who do not tell the colours apart)."""
    text = TEXT[lang]
    late = ~classes["within_90"]
    bar = go.Bar(
        x=classes["delay"],
        y=classes["activities"],
        text=[fmt_number(v, lang) for v in classes["activities"]],
        textposition="outside",
        cliponaxis=False,
        marker={"color": np.where(late, LATE, NEUTRAL), "pattern": {"shape": np.where(late, "/", "")}},
        hovertemplate="%{x}: %{y} " + text["activities"] + "<extra></extra>",
        showlegend=False,
    )
    return go.Figure(
        [bar],
        _layout(
            text["delay_title"],
            lang,
            xaxis={"title": {"text": text["delay_x"]}, "type": "category"},
            yaxis={"title": {"text": text["delay_y"]}, **NUMBER_TICKS},
        ),
    )


def delays_summary(classes: pd.DataFrame, median_days: float, lang: str) -> str:
    total = int(classes["activities"].sum())
    within = int(classes.loc[classes["within_90"], "activities"].sum())
    if not total:
        return (
            "Aucune activité de la sélection ne date sa réponse publique."
            if lang == "fr"
            else "No activity in the selection dates its public answer."
        )
    days = fmt_metric(median_days, "days", lang)
    if lang == "fr":
        return f"{within} des {total} activités datées ont eu leur réponse en 90 jours au plus ; délai médian : {days}."
    return f"{within} of the {total} dated activities were answered within 90 days; median time: {days}."


def delays_table(classes: pd.DataFrame, lang: str) -> pd.DataFrame:
    text = TEXT[lang]
    return classes[["delay", "activities"]].rename(columns={"delay": text["delay_x"], "activities": text["delay_y"]})


# --- the ranking -----------------------------------------------------------------------------


def ranked(per_city: pd.DataFrame) -> pd.DataFrame:
    """Cities with an answer rate (enough activities report it), best first, then by the
    shorter median delay."""
    have = per_city[per_city["answer_rate"].notna()]
    return have.sort_values(["answer_rate", "median_days_to_answer", "city"], ascending=[False, True, True])


def ranking(order: pd.DataFrame, lang: str, limit: int = MAX_CITIES) -> go.Figure:
    """The first `limit` cities of `ranked`: answer rate bars, the median delay written on
    each."""
    text = TEXT[lang]
    shown = plot_names(order.head(limit).iloc[::-1])  # the first row at the bottom; names drawn as text
    labels = [
        f"{fmt_metric(rate, 'share', lang)} · {text['median_days']} {fmt_metric(days, 'days', lang)}"
        for rate, days in zip(shown["answer_rate"], shown["median_days_to_answer"], strict=True)
    ]
    bar = go.Bar(
        y=shown["city"],
        x=100 * shown["answer_rate"],
        orientation="h",
        text=labels,
        textposition="auto",
        marker_color=NEUTRAL,
        hovertemplate="%{y}: %{text}<extra></extra>",
        showlegend=False,
    )
    return go.Figure(
        [bar],
        _layout(
            text["ranking_title"],
            lang,
            height=max(300, 90 + 26 * len(shown)),
            xaxis={"title": {"text": text["ranking_x"]}, "range": [0, 100], **NUMBER_TICKS},
            yaxis={"automargin": True},
        ),
    )


def top_note(shown: int, total: int, lang: str) -> str:
    """Which cities a ranking or the ratios show when they cannot show all, or ""."""
    return TEXT[lang]["top"].format(n=shown, total=total) if total > shown else ""


def ranking_summary(order: pd.DataFrame, lang: str) -> str:
    if order.empty:
        return (
            f"Aucune ville n'a au moins {FEW} activités qui déclarent leurs réponses."
            if lang == "fr"
            else f"No city has at least {FEW} activities reporting their answers."
        )
    best = order.iloc[0]
    rate = fmt_metric(best["answer_rate"], "share", lang)
    days = fmt_metric(best["median_days_to_answer"], "days", lang)
    n = len(order)
    if lang == "fr":
        cities = "1 ville a un taux de réponse" if n == 1 else f"{n} villes ont un taux de réponse"
        return f"{cities} ; la première, {best['city']}, répond à {rate} des propositions (délai médian : {days})."
    cities = "1 city has an answer rate" if n == 1 else f"{n} cities have an answer rate"
    return f"{cities}; the first, {best['city']}, answers {rate} of the proposals (median time: {days})."


def ranking_table(order: pd.DataFrame, lang: str) -> pd.DataFrame:
    columns = ["answer_rate", "median_days_to_answer", "answered_within_90_days", "implementation_rate"]
    out = order[["city", *columns, "answer_activities"]].copy()
    for c in ("answer_rate", "answered_within_90_days", "implementation_rate"):
        out[c] = 100 * out[c]
    headers = {c: METRICS[c].label(lang) + (" (%)" if METRICS[c].unit == "share" else "") for c in columns}
    headers |= {"city": "Ville" if lang == "fr" else "City"}
    headers |= {"answer_activities": "Activités comptées" if lang == "fr" else "Activities counted"}
    return out.rename(columns=headers).reset_index(drop=True)


# --- representation --------------------------------------------------------------------------


def with_ratios(per_city: pd.DataFrame) -> pd.DataFrame:
    """Cities with at least one ratio shown (above the privacy threshold), most
    participations first."""
    have = per_city[per_city["women_representation"].notna() | per_city["under_25_representation"].notna()]
    return have.sort_values(["participations", "city"], ascending=[False, True])


def representation(cities: pd.DataFrame, lang: str, limit: int = MAX_CITIES) -> go.Figure:
    """One row per city (the first `limit` of `with_ratios`), a dot per group at its ratio;
    the reference line at 1 (as represented as in the city). Women and under-25s differ
    by colour and by symbol."""
    text = TEXT[lang]
    shown = plot_names(cities.head(limit).iloc[::-1])  # names from the database, drawn as text
    # A grey bar from one group's dot to the other's: the gap between them at a glance.
    xs, ys = [], []
    for city, women, youth in zip(
        shown["city"], shown["women_representation"], shown["under_25_representation"], strict=True
    ):
        if women == women and youth == youth:
            xs += [women, youth, None]
            ys += [city, city, None]
    gaps = go.Scatter(
        x=xs, y=ys, mode="lines", line={"color": "#BBBBBB", "width": 6}, hoverinfo="skip", showlegend=False
    )
    traces = [gaps] + [
        go.Scatter(
            x=shown[key],
            y=shown["city"],
            mode="markers",
            name=text[group],
            marker={"color": colour, "symbol": symbol, "size": 14},
            customdata=shown[basis],
            hovertemplate="%{y}: %{x:.2f} (%{customdata} " + text["activities"] + ")<extra>" + text[group] + "</extra>",
        )
        for key, group, colour, symbol, basis in (
            ("women_representation", "women", WOMEN, "circle", "women_activities_with_structure"),
            ("under_25_representation", "youth", YOUTH, "square", "under_25_activities_with_structure"),
        )
    ]
    top = max(
        2.0,
        float(np.nanmax(shown[["women_representation", "under_25_representation"]].to_numpy(float), initial=1.0)) * 1.1,
    )
    return go.Figure(
        traces,
        _layout(
            text["ratio_title"],
            lang,
            height=max(300, 110 + 26 * len(shown)),
            xaxis={"title": {"text": text["ratio_x"]}, "range": [0, top], **NUMBER_TICKS},
            yaxis={"automargin": True},
            legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1, "xanchor": "right"},
            shapes=[
                {
                    "type": "line",
                    "x0": 1,
                    "x1": 1,
                    "yref": "paper",
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": MEDIAN, "dash": "dash"},
                }
            ],
        ),
    )


def representation_summary(cities: pd.DataFrame, lang: str) -> str:
    if cities.empty:
        return (
            "Aucune ville n'a de ratio : il faut la structure de sa population et au moins 5 participations dans chaque groupe et hors de lui."
            if lang == "fr"
            else "No city has a ratio: it takes its population structure and at least 5 participations in each group and outside it."
        )
    under = int((cities["under_25_representation"] < 1).sum())
    women = int((cities["women_representation"] < 1).sum())
    n = len(cities)
    if lang == "fr":
        where = "Dans 1 ville" if n == 1 else f"Sur {n} villes"
        return f"{where}, les moins de 25 ans sont sous-représentés dans {under} et les femmes dans {women} (ratio sous 1)."
    where = "In 1 city" if n == 1 else f"Of {n} cities"
    return f"{where}, under-25s are under-represented in {under} and women in {women} (ratio below 1)."


def representation_table(cities: pd.DataFrame, lang: str) -> pd.DataFrame:
    columns = {
        "city": "Ville" if lang == "fr" else "City",
        "women_representation": METRICS["women_representation"].label(lang),
        "population_women_share": "Femmes dans la population (%)" if lang == "fr" else "Women in the population (%)",
        "women_activities_with_structure": "Activités (femmes)" if lang == "fr" else "Activities (women)",
        "under_25_representation": METRICS["under_25_representation"].label(lang),
        "population_under_25_share": "Moins de 25 ans dans la population (%)"
        if lang == "fr"
        else "Under 25 in the population (%)",
        "under_25_activities_with_structure": "Activités (moins de 25 ans)"
        if lang == "fr"
        else "Activities (under 25)",
        "structure_year": "Année" if lang == "fr" else "Year",
        "structure_source": "Source",
    }
    out = cities[list(columns)].copy()
    out["population_women_share"] = 100 * out["population_women_share"]
    out["population_under_25_share"] = 100 * out["population_under_25_share"]
    return out.rename(columns=columns).reset_index(drop=True)


# --- returning participants ------------------------------------------------------------------


def returning(frame: pd.DataFrame, lang: str, span: Span | None = None) -> go.Figure:
    """The returning share per quarter (the registry's metric on each quarter's sums); a
    quarter resting on fewer than FEW activities has no point; a quarter the selection
    covers only in part has an open marker and is named in the subtitle."""
    text = TEXT[lang]
    partial = partial_mask(frame["period"], "quarter", span)
    note = partial_note(frame["period"], "quarter", span, lang)
    shown = frame.assign(value=100 * frame["returning_share"])
    line = go.Scatter(
        x=[quarter_label(q, lang) for q in shown["period"]],
        y=shown["value"],
        mode="lines+markers",
        connectgaps=False,
        line={"color": NEUTRAL, "width": 3},
        marker={"size": 9, "symbol": ["circle-open" if p else "circle" for p in partial]},
        fill="tozeroy",
        fillcolor="rgba(76, 120, 168, 0.18)",
        customdata=shown["newcomer_activities"],
        hovertemplate="%{x}: %{y:.1f} % (%{customdata} " + text["activities"] + ")<extra></extra>",
        showlegend=False,
    )
    return go.Figure(
        [line],
        _layout(
            text["returning_title"],
            lang,
            subtitle=note,
            xaxis={"type": "category"},
            yaxis={"title": {"text": text["returning_y"]}, "range": [0, 100], **NUMBER_TICKS},
        ),
    )


def returning_summary(frame: pd.DataFrame, lang: str, span: Span | None = None) -> str:
    """The first and last quarters with a value, and the incomplete ones."""
    return _returning_sentence(frame, lang) + (
        partial_note(frame["period"], "quarter", span, lang, kind="summary") or ""
    )


def _returning_sentence(frame: pd.DataFrame, lang: str) -> str:
    have = frame[frame["returning_share"].notna()]
    if have.empty:
        return (
            "Aucun trimestre n'a assez d'activités qui déclarent les nouveaux participants."
            if lang == "fr"
            else "No quarter has enough activities reporting new participants."
        )
    first, last = have.iloc[0], have.iloc[-1]
    share = lambda v: fmt_metric(v, "share", lang)  # noqa: E731
    if len(have) == 1:
        when = quarter_label(first["period"], lang)
        if lang == "fr":
            return f"Participants fidèles : {share(first['returning_share'])} au {when}, seul trimestre où assez d'activités le déclarent."
        return f"Returning participants: {share(first['returning_share'])} in {when}, the only quarter with enough activities reporting it."
    if lang == "fr":
        return f"Participants fidèles : {share(first['returning_share'])} au {quarter_label(first['period'], lang)}, {share(last['returning_share'])} au {quarter_label(last['period'], lang)}."
    return f"Returning participants: {share(first['returning_share'])} in {quarter_label(first['period'], lang)}, {share(last['returning_share'])} in {quarter_label(last['period'], lang)}."


def returning_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Trimestre" if lang == "fr" else "Quarter": [quarter_label(q, lang) for q in frame["period"]],
            METRICS["returning_share"].label(lang) + " (%)": 100 * frame["returning_share"],
            "Activités comptées" if lang == "fr" else "Activities counted": frame["newcomer_activities"],
        }
    )
