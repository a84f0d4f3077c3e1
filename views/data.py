"""What the Data page shows, as tables and files: the data dictionary with the schema
and the templates, the metric definitions, each city's freshness and quality, and the
selected records. No charts: the page lays these out in its tabs."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd

from charts.format import fmt_date, fmt_metric
from etl.paths import SCHEMA_FILE
from etl.schema import load_schema
from etl.templates import template_csv, template_xlsx
from etl.writers import frame_bytes
from queries import dictionary
from queries.metrics import total
from ui.texts import counted_text, text
from ui.texts.data import TEXT
from views.core import Scope

RECORD_FORMATS = ("csv", "xlsx", "parquet")
Files = dict[str, tuple[bytes | Callable[[], bytes], str]]  # text key -> (bytes or built on click, file name)


def dictionary_tables(lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The fields of the contract, and the values its code lists accept."""
    return dictionary.dictionary_parts(dictionary.dictionary(load_schema(), lang), lang)


def dictionary_files(lang: str) -> Files:
    """The published schema and the empty templates (CSV, XLSX), built on click."""
    name, templates = text(TEXT, "template_name", lang), {"csv": template_csv, "xlsx": template_xlsx}
    files = {f"template_{fmt}": (partial(build, lang), f"{name}.{fmt}") for fmt, build in templates.items()}
    return {"schema_file": (SCHEMA_FILE.read_bytes(), SCHEMA_FILE.name)} | files


def metric_definitions(lang: str) -> pd.DataFrame:
    return dictionary.metric_definitions(lang)


def freshness(scope: Scope) -> pd.DataFrame:
    """Each city's records and last load over the selection (what no_data looks at)."""
    return scope.fetch("data_freshness_by_city")


def city_status(scope: Scope, fresh: pd.DataFrame, country_name: Callable[[str, str], str]) -> pd.DataFrame:
    """Each city's freshness and quality flags, one line a city."""
    quality = scope.fetch("data_quality_by_city")
    return dictionary.city_status(fresh, quality, scope.lang, fmt_date, fmt_metric, country_name)


def records_line(scope: Scope, cities: pd.DataFrame) -> str:
    """How many records the selection holds, over which period."""
    count = counted_text(TEXT, "n_records", total(cities)["activities"], scope.lang)
    period = {"start": fmt_date(scope.selection.start, scope.lang), "end": fmt_date(scope.selection.end, scope.lang)}
    return text(TEXT, "records_count", scope.lang, count=count, **period)


def records_files(scope: Scope) -> Files:
    """The selected records as CSV, XLSX and Parquet, built on click."""
    records = scope.fetch("data_selected_records")
    start, end = scope.selection.start.isoformat(), scope.selection.end.isoformat()
    name = text(TEXT, "records_name", scope.lang, start=start, end=end)
    return {f"download_{f}": (partial(frame_bytes, records, f, scope.lang), f"{name}.{f}") for f in RECORD_FORMATS}


MIME = dictionary.MIME
column_widths = dictionary.column_widths
flag_legend = dictionary.flag_legend
