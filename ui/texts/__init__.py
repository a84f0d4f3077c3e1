"""Page texts: one module per page (ui/texts/<page>.py) holding `TEXT`, a dict
key -> (French, English)."""

from __future__ import annotations


def text(table: dict, key: str, lang: str, **values) -> str:
    """The text `key` of a page's table in `lang`, formatted with `values`."""
    fr, en = table[key]
    out = fr if lang == "fr" else en
    return out.format(**values) if values else out
