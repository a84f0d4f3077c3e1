"""One sentence per chart, worked out from the chart's own data, in French or English:
what a screen reader says for the chart, and the takeaway of its slide.

Each function takes the same data as the chart builder of the same name (charts/*.py)
and returns one sentence. Empty data gives the NO_DATA sentence. Pure: no I/O, no
streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from charts.format import counted, fmt_metric, fmt_number
from charts.periods import Span, partial_mask, partial_note, period_label, quarter_label
from etl.schema import Framework, Schema

NO_DATA = {
    "fr": "Aucune donnée ne correspond à la sélection.",
    "en": "No data matches the selection.",
}
TEXT = {
    "fr": {
        "activities": "activités",
        "participations": "participations",
        "per_10k": "participations pour 10 000 habitants",
        "cities": ("ville", "villes"),
        "trend": "{total} {measure} de {first} à {last}, au plus haut en {peak} ({peak_value}) ; degré le plus fréquent : {level} ({share}).",
        "ladder": "La co-création représente {share} des activités de la sélection ; la part la plus forte est à {top} ({top_share}), la plus faible à {bottom} ({bottom_share}).",
        "ladder_one": "À {city}, la co-création représente {share} des activités ; degré le plus fréquent : {level} ({level_share}).",
        "map": "{intense} a le plus de participations pour 10 000 habitants ({per_10k}) et {deep} l'indice de profondeur le plus élevé ({depth}), parmi {n}.",
        "map_same": "{intense} a à la fois le plus de participations pour 10 000 habitants ({per_10k}) et l'indice de profondeur le plus élevé ({depth}), parmi {n}.",
        "map_one": "{intense} : {per_10k} participations pour 10 000 habitants, indice de profondeur {depth}.",
        "lens": "Lecture « {lens} » : la catégorie la plus fréquente est « {category} » ({share} des {measure}) ; {city} a la plus forte part de « {deepest} » ({deep_share}).",
        "depth": "L'indice de profondeur de la sélection passe de {first} ({first_period}) à {last} ({last_period}), au plus haut à {high} ({high_period}).",
        "adoption": "Les propositions issues de « {top} » sont les plus souvent retenues ({top_rate}), celles de « {bottom} » le moins ({bottom_rate}).",
        "adoption_one": "Seules les activités de « {level} » ont reçu des propositions : {rate} en ont été retenues.",
        "scatter": "{both} villes sur {n} sont à la fois plus intenses et plus profondes que la médiane des villes de la mission ({median_x} participations pour 10 000 habitants, indice {median_y}) ; en tête : {top}.",
        "scatter_one": "1 ville sur {n} est à la fois plus intense et plus profonde que la médiane des villes de la mission ({median_x} participations pour 10 000 habitants, indice {median_y}) : {top}.",
        "scatter_none": "Aucune des {n} villes n'est à la fois plus intense et plus profonde que la médiane des villes de la mission ({median_x} participations pour 10 000 habitants, indice {median_y}) ; la plus intense : {top}.",
        "scatter_alone_yes": "{top} est à la fois plus intense et plus profonde que la médiane des villes de la mission ({median_x} participations pour 10 000 habitants, indice {median_y}).",
        "scatter_alone_no": "{top} n'est pas à la fois plus intense et plus profonde que la médiane des villes de la mission ({median_x} participations pour 10 000 habitants, indice {median_y}).",
        "multiples": "Sur ces {n} villes, {top} compte le plus de {measure} ({top_value}), {bottom} le moins ({bottom_value}).",
        "funnel": "À {city}, {participations} participations ont donné {received} propositions reçues et {adopted} propositions retenues ; taux d'adoption : {rate}.",
        "funnel_outside": " Le taux ne porte que sur les activités qui déclarent les propositions reçues : {outside} retenues par d'autres activités n'y entrent pas.",
        "funnel_no_proposals": "À {city}, {participations} participations, sans proposition reçue déclarée.",
        "matrix": "La combinaison la plus fréquente est « {method} » au degré « {level} » ({count} activités sur {total}).",
        "stakeholders": "Catégorie d'acteurs la plus représentée : {top} ({share} des participations réparties par catégorie).",
        "stakeholders_none": "Les catégories d'acteurs ne sont pas renseignées sur la sélection.",
        "inclusiveness": "Là où c'est renseigné : {parts}.",
        "lenses": "Les {n} degrés de « {base} » se lisent aussi {others}.",
        "lenses_other": "en {n} catégories de « {title} »",
        "lenses_none": "L'échelle « {base} » compte {n} degrés.",
    },
    "en": {
        "activities": "activities",
        "participations": "participations",
        "per_10k": "participations per 10,000 inhabitants",
        "cities": ("city", "cities"),
        "trend": "{total} {measure} from {first} to {last}, peaking in {peak} ({peak_value}); most frequent degree: {level} ({share}).",
        "ladder": "Co-creation accounts for {share} of the selection's activities; the highest share is in {top} ({top_share}), the lowest in {bottom} ({bottom_share}).",
        "ladder_one": "In {city}, co-creation accounts for {share} of activities; most frequent degree: {level} ({level_share}).",
        "map": "{intense} has the most participations per 10,000 inhabitants ({per_10k}) and {deep} the highest depth index ({depth}), among {n}.",
        "map_same": "{intense} has both the most participations per 10,000 inhabitants ({per_10k}) and the highest depth index ({depth}), among {n}.",
        "map_one": "{intense}: {per_10k} participations per 10,000 inhabitants, depth index {depth}.",
        "lens": "Read through “{lens}”: the most frequent category is “{category}” ({share} of {measure}); {city} has the largest share of “{deepest}” ({deep_share}).",
        "depth": "The selection's depth index goes from {first} ({first_period}) to {last} ({last_period}), highest at {high} ({high_period}).",
        "adoption": "Proposals from “{top}” activities are the most often adopted ({top_rate}), those from “{bottom}” the least ({bottom_rate}).",
        "adoption_one": "Only “{level}” activities received proposals: {rate} of them were adopted.",
        "scatter": "{both} of {n} cities are both more intense and deeper than the median of the mission cities ({median_x} participations per 10,000 inhabitants, index {median_y}); leading: {top}.",
        "scatter_one": "1 of {n} cities is both more intense and deeper than the median of the mission cities ({median_x} participations per 10,000 inhabitants, index {median_y}): {top}.",
        "scatter_none": "None of the {n} cities is both more intense and deeper than the median of the mission cities ({median_x} participations per 10,000 inhabitants, index {median_y}); most intense: {top}.",
        "scatter_alone_yes": "{top} is both more intense and deeper than the median of the mission cities ({median_x} participations per 10,000 inhabitants, index {median_y}).",
        "scatter_alone_no": "{top} is not both more intense and deeper than the median of the mission cities ({median_x} participations per 10,000 inhabitants, index {median_y}).",
        "multiples": "Of these {n} cities, {top} has the most {measure} ({top_value}), {bottom} the fewest ({bottom_value}).",
        "funnel": "In {city}, {participations} participations gave {received} proposals received and {adopted} proposals adopted; adoption rate: {rate}.",
        "funnel_outside": " The rate only covers the activities that report the proposals received: {outside} proposals adopted by other activities are left out of it.",
        "funnel_no_proposals": "In {city}, {participations} participations, with no proposal received reported.",
        "matrix": "The most frequent combination is “{method}” at the “{level}” degree ({count} of {total} activities).",
        "stakeholders": "Largest stakeholder group: {top} ({share} of the participations split by group).",
        "stakeholders_none": "Stakeholder groups are not reported in the selection.",
        "inclusiveness": "Where reported: {parts}.",
        "lenses": "The {n} degrees of “{base}” also read {others}.",
        "lenses_other": "as {n} categories of “{title}”",
        "lenses_none": "The “{base}” scale has {n} degrees.",
    },
}


def _share(value: float, lang: str) -> str:
    """12,5 % with a no-break space: the sign never starts a line."""
    return fmt_metric(value, "share", lang).replace(" %", "\u00a0%")


def trend_by_level(
    frame: pd.DataFrame, framework: Framework, measure: str, grain: str, lang: str = "fr", span: Span | None = None
) -> str:
    """For charts.trend.trend_by_level: the total, the peak period (among the whole ones:
    a period `span` holds only in part is named, never taken as the peak), the most
    frequent level."""
    if frame.empty or frame[measure].sum() == 0:
        return NO_DATA[lang]
    per_period = frame.groupby("period")[measure].sum()
    per_level = frame.groupby("level")[measure].sum()
    whole = per_period[[not p for p in partial_mask(per_period.index, grain, span)]]
    peaks = whole if len(whole) else per_period
    level = framework.level(per_level.idxmax())
    sentence = TEXT[lang]["trend"].format(
        total=fmt_number(per_period.sum(), lang),
        measure=TEXT[lang][measure],
        first=period_label(per_period.index.min(), grain, lang),
        last=period_label(per_period.index.max(), grain, lang),
        peak=period_label(peaks.idxmax(), grain, lang),
        peak_value=fmt_number(peaks.max(), lang),
        level=level.label(lang).lower(),
        share=_share(per_level.max() / per_level.sum(), lang),
    )
    return sentence + (partial_note(per_period.index, grain, span, lang, kind="summary") or "")


def engagement_ladder(frame: pd.DataFrame, framework: Framework, lang: str = "fr") -> str:
    """For charts.ladder.engagement_ladder: the share of co-creation overall, and the
    cities with the highest and lowest share (ties: first by name)."""
    if frame.empty or frame["activities"].sum() == 0:
        return NO_DATA[lang]
    text = TEXT[lang]
    deep = frame["level"].isin(framework.co_creation)
    totals = frame.groupby("city")["activities"].sum()
    shares = (frame[deep].groupby("city")["activities"].sum().reindex(totals.index, fill_value=0) / totals).sort_index()
    overall = frame.loc[deep, "activities"].sum() / frame["activities"].sum()
    if len(shares) == 1:
        per_level = frame.groupby("level")["activities"].sum()
        return text["ladder_one"].format(
            city=shares.index[0],
            share=_share(overall, lang),
            level=framework.level(per_level.idxmax()).label(lang).lower(),
            level_share=_share(per_level.max() / per_level.sum(), lang),
        )
    return text["ladder"].format(
        share=_share(overall, lang),
        top=shares.idxmax(),
        top_share=_share(shares.max(), lang),
        bottom=shares.idxmin(),
        bottom_share=_share(shares.min(), lang),
    )


def city_map(frame: pd.DataFrame, lang: str = "fr") -> str:
    """For charts.map.city_map: the most intense and the deepest city."""
    active = frame[frame["activities"] > 0].dropna(subset=["per_10k", "depth_index"]).sort_values("city")
    if active.empty:
        return NO_DATA[lang]
    intense = active.loc[active["per_10k"].idxmax()]
    deep = active.loc[active["depth_index"].idxmax()]
    key = "map_one" if len(active) == 1 else "map_same" if intense["city"] == deep["city"] else "map"
    return TEXT[lang][key].format(  # one city: its figures, not "the most … among 1 city"
        intense=intense["city"],
        per_10k=fmt_metric(intense["per_10k"], "per10k", lang),
        deep=deep["city"],
        depth=fmt_metric(deep["depth_index"], "index", lang),
        n=counted(len(active), lang, *TEXT[lang]["cities"]),
    )


def lens_distribution(frame: pd.DataFrame, lens: dict, measure: str, lang: str = "fr") -> str:
    """For charts.degrees.lens_distribution: the most frequent category, and the city
    with the largest share of the lens's deepest category."""
    if frame.empty or frame[measure].sum() == 0:
        return NO_DATA[lang]
    labels = {c["code"]: c["label"][lang] for c in lens["categories"]}
    deepest = lens["categories"][-1]["code"]
    per_category = frame.groupby("category")[measure].sum()
    totals = frame.groupby("city")[measure].sum()
    deep = frame[frame["category"] == deepest].groupby("city")[measure].sum().reindex(totals.index, fill_value=0)
    shares = (deep / totals.where(totals != 0)).dropna().sort_index()
    return TEXT[lang]["lens"].format(
        lens=lens["title"][lang],
        category=labels[per_category.idxmax()],
        share=_share(per_category.max() / per_category.sum(), lang),
        measure=TEXT[lang][measure],
        city=shares.idxmax(),
        deepest=labels[deepest],
        deep_share=_share(shares.max(), lang),
    )


def depth_over_time(frame: pd.DataFrame, lang: str = "fr", span: Span | None = None) -> str:
    """For charts.degrees.depth_over_time: the whole selection's index, first, last and
    highest quarter (the highest among the whole quarters; incomplete ones are named)."""
    whole = frame[frame["city_code"].isna()].dropna(subset=["depth_index"]).sort_values("period")
    if whole.empty:
        return NO_DATA[lang]
    first, last = whole.iloc[0], whole.iloc[-1]
    complete = whole[[not p for p in partial_mask(whole["period"], "quarter", span)]]
    high = (complete if len(complete) else whole).sort_values("depth_index", ascending=False).iloc[0]
    sentence = TEXT[lang]["depth"].format(
        first=fmt_metric(first["depth_index"], "index", lang),
        first_period=quarter_label(first["period"], lang),
        last=fmt_metric(last["depth_index"], "index", lang),
        last_period=quarter_label(last["period"], lang),
        high=fmt_metric(high["depth_index"], "index", lang),
        high_period=quarter_label(high["period"], lang),
    )
    return sentence + (partial_note(whole["period"], "quarter", span, lang, kind="summary") or "")


def adoption_by_level(frame: pd.DataFrame, framework: Framework, lang: str = "fr") -> str:
    """For charts.degrees.adoption_by_level: the levels whose proposals are most and least
    often adopted (levels without proposals received are left out)."""
    rates = frame.set_index("level")["adoption_rate"].astype(float).dropna()
    if rates.empty:
        return NO_DATA[lang]
    top, bottom = rates.idxmax(), rates.idxmin()
    if len(rates) == 1:
        level = framework.level(top).label(lang)
        return TEXT[lang]["adoption_one"].format(level=level, rate=_share(rates.max(), lang))
    return TEXT[lang]["adoption"].format(
        top=framework.level(top).label(lang),
        top_rate=_share(rates.max(), lang),
        bottom=framework.level(bottom).label(lang),
        bottom_rate=_share(rates.min(), lang),
    )


def intensity_depth(frame: pd.DataFrame, median: pd.Series, lang: str = "fr") -> str:
    """For charts.compare.intensity_depth: how many cities are above the median of the
    mission cities on both axes, and the first of them by intensity."""
    points = frame.dropna(subset=["per_10k", "depth_index"])
    mx, my = median.get("per_10k"), median.get("depth_index")
    if points.empty or pd.isna(mx) or pd.isna(my):
        return NO_DATA[lang]
    both = points[(points["per_10k"] > mx) & (points["depth_index"] > my)].sort_values("per_10k", ascending=False)
    leader = both if len(both) else points.sort_values("per_10k", ascending=False)
    if len(points) == 1:  # one city: said of it, not "0 city of 1"
        key = "scatter_alone_yes" if len(both) else "scatter_alone_no"
    else:
        key = "scatter" if len(both) > 1 else "scatter_one" if len(both) == 1 else "scatter_none"
    return TEXT[lang][key].format(
        both=len(both),
        n=len(points),
        median_x=fmt_metric(mx, "per10k", lang),
        median_y=fmt_metric(my, "index", lang),
        top=leader.iloc[0]["city"],
    )


def small_multiples(frame: pd.DataFrame, cities: list[str], value: str, lang: str = "fr") -> str:
    """For charts.compare.small_multiples: the cities with the most and the least of `value`
    (per 10,000 inhabitants: among the cities with a population; a city without any row
    in the selection has 0)."""
    present = frame.groupby("city")[value].sum(min_count=1)  # NaN: a city without a population
    totals = present.reindex(cities, fill_value=0).dropna()
    if totals.empty or totals.sum() == 0:
        return NO_DATA[lang]
    unit = "per10k" if value == "per_10k" else "count"
    return TEXT[lang]["multiples"].format(
        n=len(totals),
        top=totals.idxmax(),
        top_value=fmt_metric(totals.max(), unit, lang),
        bottom=totals.idxmin(),
        bottom_value=fmt_metric(totals.min(), unit, lang),
        measure=TEXT[lang][value],
    )


def proposals_funnel(row: pd.Series, city: str, lang: str = "fr") -> str:
    """For charts.city.proposals_funnel: participations, proposals received and adopted
    (the registry's metrics), the adoption rate and what it leaves out."""
    if not row["participations"]:
        return NO_DATA[lang]
    values = {"city": city, "participations": fmt_number(row["participations"], lang)}
    if not row["proposals_received"]:
        return TEXT[lang]["funnel_no_proposals"].format(**values)
    sentence = TEXT[lang]["funnel"].format(
        **values,
        received=fmt_number(row["proposals_received"], lang),
        adopted=fmt_number(row["proposals_adopted"], lang),
        rate=_share(row["adoption_rate"], lang),
    )
    if row["adopted_without_received"] > 0:
        sentence += TEXT[lang]["funnel_outside"].format(outside=fmt_number(row["adopted_without_received"], lang))
    return sentence


def method_level_matrix(frame: pd.DataFrame, schema: Schema, framework: Framework, lang: str = "fr") -> str:
    """For charts.city.method_level_matrix: the most frequent method × level pair."""
    if frame.empty or frame["activities"].sum() == 0:
        return NO_DATA[lang]
    top = frame.sort_values(["activities", "method", "level"], ascending=[False, True, True]).iloc[0]
    methods = {c.code: c.label(lang) for c in schema.field("methode").codes}
    return TEXT[lang]["matrix"].format(
        method=methods.get(top["method"], top["method"]),
        level=framework.level(top["level"]).label(lang),
        count=fmt_number(top["activities"], lang),
        total=fmt_number(frame["activities"].sum(), lang),
    )


def stakeholder_mix(row: pd.Series, schema: Schema, fields: Mapping[str, str], lang: str = "fr") -> str:
    """For charts.city.stakeholder_mix (`fields`: charts.city.STAKEHOLDER_FIELDS): the
    largest stakeholder group and its share."""
    values = {group: float(row[group]) for group in fields}
    total = sum(values.values())
    if total == 0:
        return TEXT[lang]["stakeholders_none"]
    top = max(values, key=values.get)
    label = schema.field(fields[top]).title(lang)
    return TEXT[lang]["stakeholders"].format(top=label.lower(), share=_share(values[top] / total, lang))


def inclusiveness(row: pd.Series, metrics: Mapping, shares: Mapping[str, tuple[str, str]], lang: str = "fr") -> str:
    """For charts.city.inclusiveness (`metrics`: queries.metrics.METRICS, `shares`:
    charts.city.INCLUSIVENESS): each reported share in words."""
    parts = [
        f"{metrics[key].label(lang).lower()} {_share(row[key], lang)}"
        for key, (_, base) in shares.items()
        if row[base] > 0
    ]
    if not parts:
        return NO_DATA[lang]
    return TEXT[lang]["inclusiveness"].format(parts=", ".join(parts))


def lens_correspondence(all_lenses: list[dict], lang: str = "fr") -> str:
    """For charts.degrees.lens_correspondence (`all_lenses`: queries.lenses.lenses, the
    base scale first): how many categories each other lens reads the levels in."""
    text, (base, *others) = TEXT[lang], all_lenses
    values = {"base": base["title"][lang], "n": len(base["categories"])}
    if not others:
        return text["lenses_none"].format(**values)
    parts = [text["lenses_other"].format(n=len(o["categories"]), title=o["title"][lang]) for o in others]
    joined = ", ".join(parts[:-1]) + (f" {'et' if lang == 'fr' else 'and'} " if len(parts) > 1 else "") + parts[-1]
    return text["lenses"].format(others=joined, **values)
