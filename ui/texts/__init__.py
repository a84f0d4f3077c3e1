"""Page texts: one module per page (ui/texts/<page>.py) holding `TEXT`, a dict
key -> (French, English)."""

from __future__ import annotations


def counted_text(table: dict, key: str, n, lang: str) -> str:
    """`n` and the noun `key` (its text is "singular|plural") in the right number:
    "1 erreur", "4 erreurs", "0 ligne", "0 lines"."""
    from charts.format import counted

    one, other = text(table, key, lang).split("|")
    return counted(n, lang, one, other)


def text(table: dict, key: str, lang: str, **values) -> str:
    """The text `key` of a page's table in `lang`, formatted with `values`."""
    fr, en = table[key]
    out = fr if lang == "fr" else en
    return out.format(**values) if values else out
