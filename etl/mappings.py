"""Headers mapped by hand to fields of the contract, remembered per city.

A city team whose spreadsheet says "Personnes venues" instead of "Nombre de participants"
maps it once on the upload page; the next upload for that city starts from that mapping.
Keys are `normalize_key(header)`, so case, accents and punctuation do not matter.
"""

from __future__ import annotations

from datetime import datetime

from etl.schema import Schema, normalize_key


def remembered(con, city: str) -> dict[str, str]:
    """normalized header -> field name, as last saved for `city`."""
    rows = con.execute("SELECT header_key, field FROM header_mappings WHERE ville = ?", [city]).fetchall()
    return dict(rows)


def remember(con, city: str, mapping: dict[str, str], *, by: str | None = None) -> None:
    """Save (or replace) the hand mapping of `city`'s headers; empty targets are forgotten."""
    now = datetime.now()
    for header, field in mapping.items():
        key = normalize_key(header)
        con.execute("DELETE FROM header_mappings WHERE ville = ? AND header_key = ?", [city, key])
        if field:
            con.execute("INSERT INTO header_mappings VALUES (?, ?, ?, ?, ?)", [city, key, field, by, now])


def clean(mapping: dict[str, str] | None, schema: Schema) -> dict[str, str]:
    """Keep only entries that name a real field, keyed by normalized header."""
    names = {f.name for f in schema.fields}
    return {normalize_key(h): f for h, f in (mapping or {}).items() if f in names}
