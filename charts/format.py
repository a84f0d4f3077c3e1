"""Numbers and dates per language, for charts and pages alike (no streamlit):
1 234,5 and 25 nov. 2026 in French; 1,234.5 and 25 Nov 2026 in English."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

import pandas as pd
from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

LOCALES = {"fr": "fr_FR", "en": "en_GB"}
NAME_SEPARATOR = " · "  # between a city's name in the page's language and its local name
# plotly's layout.separators: the decimal mark then the thousands mark, as babel writes them.
SEPARATORS = {"fr": ",\u202f", "en": ".,"}


# Every ASCII punctuation character may be backslash-escaped in CommonMark, and an escaped
# one is always literal: no link, image, emphasis, HTML, heading, list, autolink, LaTeX
# ($) or Streamlit directive (:red[...]) can start from it.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"[\r\n\t\f\v]+")
# Streamlit's markdown (remark-gfm) turns http://…, https://… and www.… into live links
# after the escapes are read, from the text itself: a zero-width space after the scheme
# or the "www" breaks the pattern, and the text reads the same.
_AUTOLINKS = re.compile(r"(?i)\b(https?(?=:)|www(?=\.))")


def escape_markdown(value: object) -> str:
    """Text from a URL, a file or the database, shown literally where Streamlit reads
    markdown (st.markdown, st.caption, st.warning, st.info, labels, help): `**x**`,
    `[x](http://…)`, `![a](…)` or `<a href>` stay text. Line breaks become spaces, so a
    value cannot start a heading or a list on a line of its own; an address is not made
    a link."""
    flat = _AUTOLINKS.sub("\\1\u200b", _LINE_BREAKS.sub(" ", str(value)))
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", flat)


def plot_text(value: object) -> str:
    """Text from a file or the database, shown literally in plotly's HTML-like labels
    (tick labels, hover labels, legend names, annotations, titles): `<a href>`, `<b>` or
    `<span style>` stay text. plotly decodes &amp; &lt; &gt; back to the characters."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fmt_number(value, lang: str, decimals: int = 0) -> str:
    """1 234,5 in French, 1,234.5 in English."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALES[lang])


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if c.isalnum())


def beside(name: str, local: str | None) -> str:
    """A city's name with its local name beside it when it differs: "Lisbonne · Lisboa",
    "Lyon" (accents and case do not make a difference: "Reykjavik" beside "Reykjavík" is one)."""
    if not local or local != local or _fold(name) == _fold(local):
        return name
    return f"{name}{NAME_SEPARATOR}{local}"


def plot_names(frame: pd.DataFrame, columns: tuple[str, ...] = ("city", "city_local")) -> pd.DataFrame:
    """A copy of `frame` whose name columns (a city's name, its local name) are escaped
    with `plot_text`, for a chart to draw: the names come from the database."""
    out = frame.copy()
    for column in columns:
        if column in out:
            out[column] = out[column].map(lambda v: plot_text(v) if isinstance(v, str) else v)
    return out


def names_beside(frame: pd.DataFrame, column: str = "city") -> list[str]:
    """`beside` for each row of a frame with `column` and, when it has one, `city_local`."""
    names = frame[column].tolist()
    if "city_local" not in frame:
        return names
    return [beside(n, local) for n, local in zip(names, frame["city_local"].tolist(), strict=True)]


def plural(n, lang: str, one: str, other: str) -> str:
    """`one` or `other` by the language's rule for `n`: in French 0 and 1 take the
    singular ("0 ville", "1 ville"), in English only 1 does."""
    return one if Locale.parse(LOCALES[lang]).plural_form(abs(n)) == "one" else other


def counted(n, lang: str, one: str, other: str) -> str:
    """`n` in the language's format followed by the noun in the right number: "1 ville",
    "18 villes", "1 200 activités"."""
    return f"{fmt_number(n, lang)} {plural(n, lang, one, other)}"


def fmt_date(value: date | datetime | None, lang: str, *, with_time: bool = False) -> str:
    """25 nov. 2026 in French, 25 Nov 2026 in English; with_time adds 21:49."""
    if value is None or value != value:  # None or NaT
        return "—"
    if isinstance(value, datetime):
        if with_time:
            return format_datetime(value, "d MMM y, HH:mm", locale=LOCALES[lang])
        value = value.date()
    return format_date(value, "medium", locale=LOCALES[lang])


# Numeric axes and colour bars: every tick in the language's format, never plotly's SI
# suffixes ("20k") nor ungrouped thousands ("1200"): 1 200 and 20 000 in French, with
# the figure's `separators`; trailing zeros trimmed (0,5 and 1).
NUMBER_TICKS = {"tickformat": ",~f"}


def fmt_metric(value, unit: str, lang: str) -> str:
    """A metric value by unit: count 1 234, share 12,5 %, per10k 45,2, index 3,21, days 78 j."""
    if value is None or value != value:
        return "—"
    if unit == "share":
        return format_percent(value, format="#,##0.0 %", locale=LOCALES[lang])
    if unit == "per10k":
        return fmt_number(value, lang, decimals=1)
    if unit == "index":
        return fmt_number(value, lang, decimals=2)
    if unit == "days":
        return f"{fmt_number(value, lang)} {'j' if lang == 'fr' else 'days'}"
    return fmt_number(value, lang)


# Months between two date ticks, by preference: at most MAX_DATE_TICKS ticks on an axis.
TICK_MONTHS = (1, 2, 3, 6, 12, 24, 60)
MAX_DATE_TICKS = 8


def date_ticks(periods, lang: str, max_ticks: int = MAX_DATE_TICKS) -> dict:
    """tickvals/ticktext of a date axis over `periods` (at most `max_ticks`), named in the
    language (plotly writes month names in English only): "janv. 2024" or "Jan 2024".
    One tick every 1, 2, 3, 6, 12… months, on months that divide the year evenly."""
    stamps = pd.to_datetime(pd.Series(periods)).dropna()
    if stamps.empty:
        return {}
    first, last = stamps.min(), stamps.max()
    months = (last.year - first.year) * 12 + last.month - first.month
    step = next((m for m in TICK_MONTHS if months // m + 1 <= max_ticks), TICK_MONTHS[-1])
    start = first.year * 12 + first.month - 1
    start += -start % step  # the first month at or after `first` that is a multiple of the step
    ticks = [date(i // 12, i % 12 + 1, 1) for i in range(start, last.year * 12 + last.month, step)]
    pattern = "MMM y" if step < 12 else "y"
    return {"tickvals": ticks, "ticktext": [format_date(t, pattern, locale=LOCALES[lang]) for t in ticks]}
