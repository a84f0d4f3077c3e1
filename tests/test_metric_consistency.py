"""One metric, one number: every figure the pages show for the same selection is read off
the pages themselves (AppTest) and compared, page against page, as the reader sees it,
and against SQL on the `activities` view for the counts. All of them come from the one
registry, queries/metrics.py."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from html import unescape

import duckdb
import pytest

from charts.format import fmt_metric, fmt_number
from queries import choices, data_version
from queries.metrics import METRICS
from queries.selection import from_query
from tests.conftest import run_app
from tests.test_compare import ranking_display
from ui import slides
from ui.widgets import delta

GRENOBLE, LYON = "200040715", "69123"


def metric_cards(at) -> dict[str, str]:
    """Key figure label -> value shown, on the page's main area."""
    return {m.label: m.value for m in at.main.metric}


def by_label(lang: str = "fr") -> dict[str, str]:
    return {m.label(lang): key for key, m in METRICS.items()}


@pytest.fixture(scope="module")
def shown(demo_db) -> dict[str, dict[str, str]]:
    """metric key -> {where it is shown: the text shown}, for Grenoble over the whole period."""
    monkeypatch = pytest.MonkeyPatch()
    try:
        seen: dict[str, dict[str, str]] = defaultdict(dict)
        labels = by_label()
        overview = run_app(monkeypatch, demo_db, city=[GRENOBLE])
        for label, value in metric_cards(overview).items():
            seen[labels[label]]["overview"] = value
        city = run_app(monkeypatch, demo_db, page="app_pages/city.py", ville=GRENOBLE, city=[GRENOBLE])
        for label, value in metric_cards(city).items():
            seen[labels[label]]["city"] = value
        funnel = next(c for c in city.get("plotly_chart") if c.proto.id.endswith("city_funnel"))
        steps = json.loads(funnel.proto.spec)["data"][0]["x"]
        for key, value in zip(("participations", "proposals_received", "proposals_adopted"), steps, strict=True):
            seen[key]["city funnel"] = fmt_number(value, "fr")
        compare = run_app(monkeypatch, demo_db, page="app_pages/compare.py", compare=[GRENOBLE, LYON])
        row = ranking_display(compare).set_index("city").loc["Grenoble-Alpes Métropole"]
        for key, value in row.items():
            if key in METRICS:
                seen[key]["compare ranking"] = value
        data = run_app(monkeypatch, demo_db, page="app_pages/data.py", tab="downloads", city=[GRENOBLE])
        seen["activities"]["data downloads"] = data.markdown[0].value.split(" ")[0]
        return dict(seen)
    finally:
        monkeypatch.undo()


def test_every_metric_shown_on_two_pages_has_one_value(shown):
    on_several = {key: where for key, where in shown.items() if len(where) > 1}
    # The figures a coordinator cross-checks are all shown on several pages.
    assert {"activities", "participations", "proposals_adopted", "adoption_rate", "per_10k"} <= set(on_several)
    assert {"cocreation_share", "depth_index", "public_response_rate"} <= set(on_several)
    for key, where in on_several.items():
        assert len(set(where.values())) == 1, f"{key}: {where}"


def test_the_funnel_and_the_overview_give_the_sql_total(shown, demo_db):
    """The issue's case: the City funnel showed the adopted proposals of the activities that
    report proposals received, the Overview the total; both now show the total."""
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        (adopted,) = con.execute(
            "SELECT sum(nb_propositions_retenues) FROM activities WHERE code_ville = ?", [GRENOBLE]
        ).fetchone()
        (without,) = con.execute(
            "SELECT sum(nb_propositions_retenues) FROM activities WHERE code_ville = ? AND nb_propositions_recues IS NULL",
            [GRENOBLE],
        ).fetchone()
    finally:
        con.close()
    assert without > 0  # the demo data hold the case: some adopted proposals are outside the rate
    assert (
        shown["proposals_adopted"]["city funnel"] == shown["proposals_adopted"]["overview"] == fmt_number(adopted, "fr")
    )


REPORT_ROW = re.compile(
    r'<tr><th scope="row"[^>]*>([^<]*)</th><td class="n">([^<]*)</td><td class="n">([^<]*)</td></tr>'
)


def test_the_city_report_gives_the_city_pages_key_figures(monkeypatch, demo_db):
    """The one-page report (Present page) and the City page, for the same city and the
    same selection (a period and a method filter, which the median follows too): the same
    figures, and each set against the same median (the page shows its gap to it)."""
    query = {
        "city": [GRENOBLE],
        "from": "2023-01-01",
        "to": "2024-12-31",
        "method": ["atelier", "consultation_en_ligne"],
    }
    page = run_app(monkeypatch, demo_db, page="app_pages/city.py", ville=GRENOBLE, **query)
    cards = {m.label: (m.value, m.delta) for m in page.main.metric}
    version = data_version()
    selection = from_query({k: v if isinstance(v, list) else [v] for k, v in query.items()}, choices(version))
    assert not selection.ignored
    view = slides.View(selection, version, "fr", "fr", (), *slides.footer_facts(version, "fr"))
    report = {
        unescape(label): (unescape(value), unescape(median))
        for label, value, median in REPORT_ROW.findall(slides.city_report(view))
    }
    figures = slides.report_figures(view)
    assert len(cards) == len(report) == 8
    assert {label: value for label, (value, _) in report.items()} == {label: v for label, (v, _) in cards.items()}
    for metric in figures.metrics:
        label = metric.label("fr")
        assert fmt_metric(figures.reference[metric.key], metric.unit, "fr") == report[label][1]
        gap = delta(metric, figures.values[metric.key], figures.reference[metric.key], "fr")
        assert (gap.text if gap else None) == (cards[label][1] or None), label
