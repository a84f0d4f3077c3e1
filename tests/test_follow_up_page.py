"""The Follow-up page (AppTest): its key figures are the registry's, the very numbers
`python -m etl figures` prints for the same selection; its charts, its city focus in the
URL, the reasons for a "—", and the page without a population structure."""

from __future__ import annotations

import json

import duckdb
import pytest

from queries.metrics import FOLLOW_UP, METRICS, REPRESENTATION
from tests.conftest import run_app, run_cli

PAGE = "app_pages/followup.py"
GRENOBLE, LYON = "200040715", "69123"


def cards(at) -> dict[str, str]:
    return {m.label: m.value for m in at.main.metric}


def cli_figures(db, lang: str, *args) -> dict[tuple[str, str | None], dict]:
    result = run_cli("figures", "--db", str(db), "--json", "--lang", lang, *args)
    assert result.returncode == 0, result.stderr
    return {(r["metric"], r["city"]): r for r in json.loads(result.stdout)}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_figure_equals_the_command_line_for_the_same_selection(monkeypatch, demo_db, lang):
    at = run_app(monkeypatch, demo_db, page=PAGE, city=[GRENOBLE], lang=lang)
    assert not at.exception, at.exception
    shown = cards(at)
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        first, last = con.execute("SELECT min(date_debut), max(date_debut) FROM activities").fetchone()
    finally:
        con.close()
    figures = cli_figures(demo_db, lang, "--city", "Grenoble", "--from", str(first), "--to", str(last))
    keys = [*FOLLOW_UP, *REPRESENTATION]
    assert [METRICS[k].label(lang) for k in keys] == list(shown)
    for key in keys:
        assert shown[METRICS[key].label(lang)] == figures[(key, None)]["shown"], key
        assert figures[(key, None)] == {**figures[(key, GRENOBLE)], "city": None, "city_name": None}
    counted = next(c.value for c in at.caption if c.value.startswith(("Activités comptées", "Activities counted")))
    for key in keys:
        n = figures[(key, None)]["activities_counted"]
        assert f"{METRICS[key].label(lang)} {n}" in counted, key
    # The key figures of the Overview for the same selection are the command line's too.
    overview = cards(run_app(monkeypatch, demo_db, city=[GRENOBLE], lang=lang))
    for key in ("activities", "participations", "proposals_adopted", "adoption_rate"):
        assert overview[METRICS[key].label(lang)] == figures[(key, None)]["shown"], key


def test_page_draws_its_charts_and_follows_the_city_focus(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page=PAGE, ville=LYON)
    assert not at.exception and not at.error
    keys = {c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")}
    ids = " ".join(c.proto.id for c in at.get("plotly_chart"))
    for key in ("followup_funnel", "followup_delays", "followup_ranking", "followup_ratios", "followup_returning"):
        assert key in ids, keys
    assert at.selectbox(key="followup_city").value == LYON
    funnel = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("followup_funnel"))
    spec = json.loads(funnel.proto.spec)
    assert spec["data"][0]["name"].startswith("Lyon")
    assert any("valeurs fictives" in c.value for c in at.caption)  # the demo structure says so
    at.selectbox(key="followup_city").set_value("").run()
    assert "ville" not in at.query_params


def test_a_dash_says_why(monkeypatch, demo_db):
    """A city that never reports its answers (about a third of the demo cities)."""
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        (silent,) = con.execute(
            "SELECT code_ville FROM activities GROUP BY ALL HAVING count(nb_propositions_repondues) = 0 ORDER BY 1 LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    at = run_app(monkeypatch, demo_db, page=PAGE, city=[silent], lang="en")
    assert not at.exception
    shown = cards(at)
    missing = [k for k in FOLLOW_UP if shown[METRICS[k].label("en")] == "—"]
    assert {"answer_rate", "median_days_to_answer", "implementation_rate"} <= set(missing)
    notes = " ".join(c.value for c in at.caption)
    for key in missing:
        assert f"“—” {METRICS[key].label('en')}: " in notes
    assert "No activity in the selection reports the proposals received and those answered." in notes


def test_without_population_structure_the_page_says_how_to_load_it(monkeypatch, demo_copy):
    con = duckdb.connect(str(demo_copy))
    try:
        con.execute("DELETE FROM city_structure")
    finally:
        con.close()
    at = run_app(monkeypatch, demo_copy, page=PAGE)
    assert not at.exception
    assert any("python -m etl cities structure" in i.value for i in at.info)
    assert cards(at)[METRICS["women_representation"].label("fr")] == "—"
