"""The data tables shown under the charts and downloaded with them (views/tables.py)."""

import pandas as pd

from charts import summaries
from etl.schema import load_framework
from queries.lenses import lenses
from views import tables


def test_inclusiveness_table_hides_counts_below_five():
    row = pd.Series(
        {
            "women_share": 0.3, "women": 3, "women_base": 10,
            "under_25_share": 0.5, "under_25": 2000, "under_25_base": 4000,
            "newcomer_rate": 0.0, "newcomers": 0, "newcomers_base": 0,
        }
    )  # fmt: skip
    table = tables.inclusiveness(row, "fr")
    assert list(table.columns) == ["Série", "Part (%)", "Nombre", "Base renseignée"]
    assert table["Nombre"].tolist()[:2] == ["< 5", "2\u202f000"]
    assert table["Part (%)"].tolist()[:2] == [30.0, 50.0]
    assert table.iloc[2, 1:3].isna().all()  # not reported: no share, no count


def test_funnel_table_in_english():
    row = pd.Series(
        {"participations": 120, "proposals_received": 30, "proposals_adopted": 15, "adopted_without_received": 3}
    )
    table = tables.proposals_funnel(row, "en")
    assert list(table.columns) == ["Step", "Value"]
    assert table["Value"].tolist() == [120, 30, 15, 3]


def test_lens_correspondence_reads_each_level_in_every_lens():
    all_lenses = lenses(load_framework())
    table = tables.lens_correspondence(all_lenses, "fr")
    assert list(table.columns) == [lens["title"]["fr"] for lens in all_lenses]
    assert len(table) == 5
    assert table.iloc[0].tolist() == ["Information", "Informer", "Coopération symbolique"]
    assert table.iloc[4, 2] == "Pouvoir effectif des citoyens"
    sentence = summaries.lens_correspondence(all_lenses, "en")
    assert sentence.startswith("The 5 degrees of “Participation scale” also read as 5 categories of “IAP2 spectrum”")
    assert (
        summaries.lens_correspondence(all_lenses[:1], "fr")
        == "L'échelle « Échelle de la participation » compte 5 degrés."
    )


def test_tables_show_numbers_in_the_language():
    from ui.chart import shown

    table = pd.DataFrame({"Ville": ["Lyon", "Nantes"], "Participations": [61621.0, 3.0], "Indice": [3.2549, None]})
    html = shown(table, "fr").to_html()
    assert ">61\u202f621<" in html and ">3,25<" in html and ">—<" in html  # whole floats without decimals
    assert ">61,621<" in shown(table, "en").to_html()
