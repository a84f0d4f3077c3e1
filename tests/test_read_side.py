"""The read side's connections: a batch shares one read-only connection and closes it on
leaving (so the command line can write between script runs), the data version is read
again only when the file changed, and the frame's facts come from one query."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from etl.db import open_database
from etl.load import load_file
from etl.schema import normalize_key
from queries import batch, data_version, fetch, file_signature, frame_facts

ROWS = """id_activite;ville;titre;date_debut;methode;niveau_engagement;nb_seances;nb_participants;nb_propositions_retenues
L1;Lyon;Atelier;2024-01-10;atelier;concertation;2;100;10
P1;Paris;Réunion;2024-03-20;reunion_publique;information;1;200;0
"""


@pytest.fixture
def loaded(db_path, write_csv):
    """A database file with two records (Lyon, Paris), closed: only the read side opens it."""
    con = open_database(db_path)
    assert load_file(con, write_csv("two.csv", ROWS)).status == "loaded"
    con.close()
    return db_path


def writable(path) -> bool:
    """Whether this process may open the file for writing now: DuckDB refuses while a
    read-only connection of the same process is open on it."""
    try:
        duckdb.connect(str(path)).close()
    except duckdb.Error:
        return False
    return True


def test_a_batch_keeps_one_connection_until_it_ends(loaded):
    version = data_version(loaded)
    with batch():
        fetch("cities", {"lang": "fr"}, version=version, path=loaded)  # a miss opens the batch's connection
        assert not writable(loaded)  # ... and keeps it for the next misses
        fetch("data_status", version=version, path=loaded)
    assert writable(loaded)  # closed on leaving: the command line can load between runs


def test_outside_a_batch_each_miss_closes_its_connection(loaded):
    version = data_version(loaded)
    fetch("overview_totals", version=version, path=loaded)
    assert writable(loaded)


def test_the_batch_is_closed_when_the_page_stops_early(loaded):
    version = data_version(loaded)
    with pytest.raises(RuntimeError), batch():
        fetch("cities", {"lang": "fr"}, version=version + 1, path=loaded)  # a miss: a version not read yet
        raise RuntimeError("st.stop() raises too")
    assert writable(loaded)


def test_the_version_is_read_again_only_when_the_file_changes(loaded):
    version = data_version(loaded)
    writer = duckdb.connect(str(loaded))  # no read-only connection can open while this is open
    try:
        assert data_version(loaded) == version  # unchanged file: answered without opening it
    finally:
        writer.close()
    con = open_database(loaded)
    con.execute("INSERT INTO data_events VALUES (999, NULL, 'city', now())")
    con.close()
    assert data_version(loaded) == 999


def test_the_signature_follows_writes_not_reads(loaded):
    before = file_signature(loaded)
    duckdb.connect(str(loaded), read_only=True).close()
    assert file_signature(loaded) == before
    con = duckdb.connect(str(loaded))
    con.execute("UPDATE cities SET population = population + 1 WHERE code = '69123'")
    con.close()
    assert file_signature(loaded) != before


def test_frame_facts_in_one_query(loaded):
    facts = frame_facts(data_version(loaded), loaded)
    assert facts.choices.first == date(2024, 1, 10) and facts.choices.last == date(2024, 3, 20)
    assert facts.choices.cities == {"69123", "75056"} and facts.choices.countries == {"FR"}
    assert facts.choices.methods == {"atelier", "reunion_publique"}
    assert len(facts.cities) == 112 and facts.cities["PT-lisboa"].label("fr") == "Lisbonne · Lisboa"  # every city
    french, english = facts.city_names("fr"), facts.city_names("en")
    assert french["PT-lisboa"] == "Lisbonne" and english["PT-lisboa"] == "Lisbon"
    assert list(french.values()) == sorted(french.values(), key=normalize_key)  # alphabetical, Łódź with the L
    assert facts.choices.groups == {"EU"} and facts.choices.country_groups == (("FR", "EU"),)
    assert facts.has_demo is False and facts.last_load is not None
