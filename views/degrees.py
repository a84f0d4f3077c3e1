"""The Degrees page's views: the scale's lenses side by side, the selection on a lens,
the depth index over time and adoption by degree (the last three also slides); and
the scale itself, as the page describes it."""

from __future__ import annotations

from dataclasses import dataclass

from charts import summaries
from charts.degrees import MAX_CITY_LINES, adoption_by_level, depth_over_time, lens_correspondence, lens_distribution
from etl.schema import load_framework
from queries.lenses import BASE, equivalents, lens, lenses, to_lens
from queries.metrics import METRICS
from ui.texts import text
from ui.texts.degrees import TEXT
from views import tables
from views.core import Scope, View, register

__all__ = ["BASE", "MAX_CITY_LINES", "lens_titles", "scale"]


def _categories(s: Scope) -> list[tuple[str, str]]:
    return [(c["label"][s.lang], c["colour"]) for c in lens(load_framework(), s.lens)["categories"]]


def _depth_per_city(s: Scope) -> dict:
    # A line per city from two cities on (one city's line would repeat the whole
    # selection's), up to MAX_CITY_LINES: more would be unreadable.
    return {"per_city": 1 < len(s.selection.cities) <= MAX_CITY_LINES}


LENSES = View(
    "lenses",
    None,
    prepare=lambda frame, s: lenses(load_framework()),
    figure=lambda every, s: lens_correspondence(every, load_framework(), s.lang),
    summary=lambda every, s: summaries.lens_correspondence(every, s.lang),
    table=lambda every, s: tables.lens_correspondence(every, s.lang),
    file=("correspondances_des_echelles", "scale_correspondences"),
)
LENS = View(
    "lens",
    "levels_by_city",
    prepare=lambda levels, s: to_lens(levels, load_framework(), s.lens),
    figure=lambda shares, s: lens_distribution(
        shares, lens(load_framework(), s.lens), s.measure or "activities", s.lang
    ),
    summary=lambda shares, s: summaries.lens_distribution(
        shares, lens(load_framework(), s.lens), s.measure or "activities", s.lang
    ),
    table=lambda shares, s: tables.lens_distribution(shares, lens(load_framework(), s.lens), s.lang),
    file=("repartition_par_degre", "distribution_by_degree"),
    levels=_categories,
    paged=True,
)
DEPTH = View(
    "depth",
    "degrees_depth_by_quarter",
    params=_depth_per_city,
    prepare=lambda frame, s: frame.assign(depth_index=METRICS["depth_index"].compute(frame)),
    figure=lambda frame, s: depth_over_time(frame, load_framework(), s.lang, s.span()),
    summary=lambda frame, s: summaries.depth_over_time(frame, s.lang, s.span()),
    table=lambda frame, s: tables.depth_over_time(frame, s.lang),
    file=("indice_de_profondeur", "depth_index"),
    caption=lambda frame, s: (
        f"{METRICS['depth_index'].help(s.lang)}\n\n{text(TEXT, 'depth_lines', s.lang, max=MAX_CITY_LINES)}"
    ),
)
ADOPTION = View(
    "adoption",
    "degrees_adoption_by_level",
    prepare=lambda frame, s: frame.assign(adoption_rate=METRICS["adoption_rate"].compute(frame)),
    figure=lambda frame, s: adoption_by_level(frame, load_framework(), s.lang),
    summary=lambda frame, s: summaries.adoption_by_level(frame, load_framework(), s.lang),
    table=lambda frame, s: tables.adoption_by_level(frame, load_framework(), s.lang),
    file=("adoption_par_degre", "adoption_by_degree"),
    caption=lambda frame, s: METRICS["adoption_rate"].help(s.lang),
)
register(LENSES, LENS, DEPTH, ADOPTION)


def lens_titles(lang: str) -> dict[str, str]:
    """Each lens's id and title, the base scale first."""
    return {item["id"]: item["title"][lang] for item in lenses(load_framework())}


@dataclass(frozen=True)
class Level:
    """One degree of the scale as the page describes it."""

    heading: str
    definition: str
    examples: str
    equivalents: list[str]


@dataclass(frozen=True)
class Scale:
    description: str
    levels: list[Level]
    co_creation: str
    sources: str


def scale(lang: str) -> Scale:
    """The scale in words: each degree with its definition, examples and its category in
    each lens; what co-creation means; the lenses' sources."""
    framework = load_framework()
    levels = [
        Level(
            f"**{level.rank} · {level.label(lang)}**",
            level.definition(lang),
            text(TEXT, "examples", lang, examples=level.examples(lang)),
            [
                text(TEXT, "equivalent", lang, lens=title, label=label)
                for title, label in equivalents(framework, level.code, lang)
            ],
        )
        for level in framework.levels
    ]
    deep = text(TEXT, "and", lang).join(framework.level(code).label(lang) for code in framework.co_creation)
    sources = " · ".join(item["source"][lang] for item in lenses(framework)[1:])
    return Scale(
        framework.description[lang],
        levels,
        text(TEXT, "co_creation", lang, levels=deep),
        text(TEXT, "sources", lang, sources=sources),
    )


def levels_by_city(scope: Scope):
    """Activities and participations per city and degree over the scope's selection."""
    return scope.fetch("levels_by_city")
