"""Validate a staged file against the contract, in DuckDB.

The header is mapped to fields in Python; values of lookup fields (cities, code
lists, booleans) are mapped per distinct value in Python (a file has few); typing
and every check then run as SQL over the whole file at once. Validation returns all
the problems of a file and a typed stage table ready to load.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from etl import mappings
from etl.problems import Problem, rule_text
from etl.readers import RANGES_KEPT, RawTable, format_ranges, merge_ranges
from etl.schema import MIN_DATE, Field, Schema, max_date, normalize_key

SQL_DIR = Path(__file__).parent / "sql"

TYPE_WORDS = {
    "integer": ("un nombre entier", "a whole number"),
    "number": ("un nombre", "a number"),
    "date": ("une date", "a date"),
    "boolean": ("oui ou non", "yes or no"),
}


def install_macros(con) -> None:
    """Create the parsing macros on this connection (they are temporary)."""
    con.execute((SQL_DIR / "macros.sql").read_text(encoding="utf-8"))


@dataclass
class Cities:
    """The reference cities as the validator needs them."""

    by_key: dict[str, str]  # normalised name or alias -> code
    names: dict[str, str]  # code -> reference name

    @classmethod
    def from_db(cls, con) -> Cities:
        by_key: dict[str, str] = {}
        names: dict[str, str] = {}
        rows = con.execute("SELECT code, nom, nom_fr, nom_en, alias FROM cities ORDER BY code").fetchall()
        for code, nom, nom_fr, nom_en, aliases in rows:
            names[code] = nom
            for name in [nom, code, nom_fr, nom_en, *aliases]:
                if name and (key := normalize_key(name)):  # "" would match any text without a letter
                    by_key.setdefault(key, code)
        return cls(by_key, names)

    def resolve(self, text: str) -> str | None:
        return self.by_key.get(normalize_key(text))

    def suggest(self, text: str) -> str | None:
        match = difflib.get_close_matches(normalize_key(text), list(self.by_key), n=1, cutoff=0.75)
        return self.names[self.by_key[match[0]]] if match else None


@dataclass
class Validation:
    """The outcome of validating one staged file."""

    raw: RawTable
    problems: list[Problem] = field(default_factory=list)  # the first ones of each code
    more: dict[str, int] = field(default_factory=dict)  # code -> problems counted but not in `problems`
    stage: str | None = None  # typed table, one row per staged data row
    valid_rows: int = 0
    rejected_lines: int = 0  # data lines with at least one error

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


# --- header ----------------------------------------------------------------------


def map_header(
    raw: RawTable, schema: Schema, header_map: dict[str, str] | None = None
) -> tuple[dict[str, str], list[Problem]]:
    """field name -> staged column (c0, c1, ...), and the header problems.

    `header_map` (normalized header -> field name, see etl/mappings.py) names the
    fields of headers the schema does not recognise; recognised headers keep theirs."""
    problems: list[Problem] = []
    by_field: dict[str, list[int]] = {}
    by_hand = mappings.clean(header_map, schema)
    for i, header in enumerate(raw.headers):
        f = schema.match_header(header)
        if f is None and normalize_key(header) in by_hand:
            f = schema.field(by_hand[normalize_key(header)])
        if f:
            by_field.setdefault(f.name, []).append(i)
        elif header.strip():
            problems.append(Problem("extra-column", line=raw.header_line, column=header))
    for name, positions in by_field.items():
        if len(positions) > 1:
            shown = ", ".join(f"« {raw.headers[i]} »" for i in positions)
            problems.append(
                Problem(
                    "duplicate-column",
                    line=raw.header_line,
                    column=raw.headers[positions[1]],
                    params={"columns": shown, "field": name},
                )
            )
    for f in schema.fields:
        if f.required and f.name not in by_field:
            accepted = " / ".join(dict.fromkeys([f.name, f.english_name, f.title_fr, f.title_en]))
            problems.append(
                Problem(
                    "missing-column",
                    line=raw.header_line,
                    column=f.name,
                    params={"title_fr": f.title_fr, "title_en": f.title_en, "accepted": accepted},
                )
            )
    return {name: f"c{pos[0]}" for name, pos in by_field.items()}, problems


# --- lookups ---------------------------------------------------------------------


@cache
def code_keys(f: Field) -> dict[str, str]:
    """Normalised code, label (FR, EN) or synonym -> code, for a code field."""
    table: dict[str, str] = {}
    for c in f.codes:
        for name in (c.code, c.fr, c.en, *c.synonyms):
            table.setdefault(normalize_key(name), c.code)
    return table


def _lookup(f: Field, cities: Cities):
    if f.is_city:
        return cities.resolve
    if f.is_code:
        table = code_keys(f)
        return lambda text: table.get(normalize_key(text))
    if f.type == "boolean":
        truth = {normalize_key(v): "true" for v in f.true_values} | {normalize_key(v): "false" for v in f.false_values}
        return lambda text: truth.get(normalize_key(text))
    return None


def _build_lookup_tables(con, raw: RawTable, schema: Schema, colmap: dict, cities: Cities, missing) -> dict[str, str]:
    """One small table per lookup field mapping each distinct raw cell to (code, given).

    All the distinct values come from one scan of the file; the mapping (trimming,
    missing values, labels, aliases) is done in Python on those few values."""
    fields = [(f, _lookup(f, cities)) for f in schema.fields if f.name in colmap]
    fields = [(f, resolve) for f, resolve in fields if resolve is not None]
    if not fields:
        return {}
    lists = ", ".join(f"list(DISTINCT {colmap[f.name]})" for f, _ in fields)
    distinct = con.execute(f"SELECT {lists} FROM {raw.table}").fetchone()
    tables = {}
    for (f, resolve), values in zip(fields, distinct, strict=True):
        table = f"{raw.table}_map_{f.name}"
        con.execute(f"CREATE TEMP TABLE {table} (v VARCHAR, code VARCHAR, given BOOLEAN)")
        rows = []
        for value in values or []:
            if value is None:
                continue
            text = value.strip()
            given = bool(text) and text not in missing
            rows.append((value, resolve(text) if given else None, given))
        if rows:
            con.executemany(f"INSERT INTO {table} VALUES (?, ?, ?)", rows)
        tables[f.name] = table
    return tables


# --- typing and checks -----------------------------------------------------------


def _value_sql(f: Field, cell: str, lookups: dict) -> str:
    """The typed value of a field from its raw cell."""
    if f.name in lookups:
        return f"m_{f.name}.code::{f.sql_type}"
    parser = {"integer": "parse_integer", "number": "parse_number", "date": "parse_date"}.get(f.type)
    if parser:
        return f"{parser}({cell})"
    return f"clean_text({cell}, $missing, $missing_len)::{f.sql_type}"


def _stage_sql(raw: RawTable, schema: Schema, colmap: dict, lookups: dict) -> str:
    """One row per staged line: typed values, `<field>__given` for non-text fields (was the
    cell filled?), the record key and a hash of the values to detect changes.

    Cells are parsed as they come (the parsers' slow paths strip spaces); whether a
    cell was filled is only worked out for cells whose value could not be read."""
    values, cells = ["r.line"], []
    for f in schema.fields:
        col = colmap.get(f.name)
        if col is None:
            values.append(f"NULL::{f.sql_type} AS {f.name}")
            if _has_given(f):
                values.append(f"false AS {f.name}__given")
            continue
        value = _value_sql(f, f"r.{col}", lookups)
        values.append(f"{value} AS {f.name}")
        if f.name in lookups:
            values.append(f"coalesce(m_{f.name}.given, false) AS {f.name}__given")
        elif _has_given(f):
            values.append(f"r.{col} AS {f.name}__cell")
            cells.append(f.name)
    joins = " ".join(f"LEFT JOIN {table} m_{name} ON m_{name}.v = r.{colmap[name]}" for name, table in lookups.items())
    given = "".join(
        f", CASE WHEN {n} IS NOT NULL THEN true ELSE is_given({n}__cell, $missing) END AS {n}__given" for n in cells
    )
    exclude = f" EXCLUDE ({', '.join(f'{n}__cell' for n in cells)})" if cells else ""
    key = schema.key_field
    derived = ", ".join(f"lower(coalesce({n}::VARCHAR, ''))" for n in schema.key_derived_from if n != "ville")
    return (
        f"WITH v AS (SELECT {', '.join(values)} FROM {raw.table} r {joins}), "
        f"g AS (SELECT *{exclude}{given} FROM v) "
        f"SELECT *, CASE WHEN {key} IS NOT NULL THEN 'id:' || {key} "
        f"ELSE 'auto:' || md5(concat_ws('|', {derived})) END AS record_key, "
        f"hash({', '.join(schema.names)}) AS row_hash FROM g"
    )


def _has_given(f: Field) -> bool:
    return f.type != "string" or f.is_code or f.is_city


def _checks(schema: Schema) -> list[tuple[str, str, str, str]]:
    """(field, problem code, SQL condition, rule id) for every row-level check."""
    out = []
    for f in schema.fields:
        n = f.name
        if f.required:
            out.append((n, "missing-value", f"NOT {n}__given" if _has_given(f) else f"{n} IS NULL", ""))
        if _has_given(f):
            code = "unknown-city" if f.is_city else "unknown-code" if f.is_code else "type-error"
            out.append((n, code, f"{n}__given AND {n} IS NULL", ""))
        if f.minimum is not None:
            out.append((n, "out-of-range", f"{n} < {float(f.minimum)!r}", "minimum"))
        if f.pattern:
            out.append((n, "pattern-error", f"{n} IS NOT NULL AND NOT regexp_full_match({n}, $pattern_{n})", ""))
        if f.max_field:
            out.append((n, "inconsistent-values", f"{n} > {f.max_field}", f"max:{f.max_field}"))
        if f.min_field:
            out.append((n, "inconsistent-values", f"{n} < {f.min_field}", f"min:{f.min_field}"))
        if f.not_after_today:
            out.append((n, "out-of-range", f"{n} > $today", "not-future"))
        if f.implies_true:
            filled = f"{n} IS NOT NULL" if f.type == "date" else f"{n} > 0"
            out.append(
                (n, "inconsistent-values", f"{filled} AND {f.implies_true} = false", f"implies:{f.implies_true}")
            )
    out.append(("date_debut", "out-of-range", "date_debut < $min_date OR date_debut > $max_date", "date-range"))
    groups: dict[str, list[str]] = {}
    for f in schema.fields:
        if f.sum_group:
            groups.setdefault(f.sum_group, []).append(f.name)
    for group, names in groups.items():
        total = " + ".join(f"coalesce({n}, 0)" for n in names)
        given = " OR ".join(f"{n} IS NOT NULL" for n in names)
        out.append(
            ("+".join(names), "inconsistent-values", f"({given}) AND ({total}) > nb_participants", f"sum:{group}")
        )
    return out


def _rule_text(schema: Schema, f_name: str, rule: str, today: date) -> dict:
    if rule == "minimum":
        minimum = schema.field(f_name).minimum
        return {"rule_fr": f"minimum {minimum:g}", "rule_en": f"minimum {minimum:g}"}
    if rule == "not-future":
        return rule_text("not-future", today_fr=f"{today:%d/%m/%Y}", today_en=f"{today:%Y-%m-%d}")
    if rule == "date-range":
        top = max_date(today)
        return {
            "rule_fr": f"entre le {MIN_DATE:%d/%m/%Y} et le {top:%d/%m/%Y}",
            "rule_en": f"between {MIN_DATE:%Y-%m-%d} and {top:%Y-%m-%d}",
        }
    kind, _, other = rule.partition(":")
    if kind == "sum":
        return {
            "rule_fr": "La somme des catégories d'acteurs (citoyens, entreprises, recherche, associations, institutions) dépasse le nombre de participants.",
            "rule_en": "The stakeholder categories (citizens, businesses, research, associations, public bodies) add up to more than the participants.",
        }
    this, that = schema.field(f_name), schema.field(other)
    if kind == "implies":
        rule_id = "implies-date" if this.type == "date" else "implies-count"
        return rule_text(
            rule_id, this_fr=this.title_fr, this_en=this.title_en, that_fr=that.title_fr, that_en=that.title_en
        )
    if kind == "max":
        return {
            "rule_fr": f"« {this.title_fr} » dépasse « {that.title_fr} ».",
            "rule_en": f'"{this.title_en}" is greater than "{that.title_en}".',
        }
    return {
        "rule_fr": f"« {this.title_fr} » est antérieure à « {that.title_fr} ».",
        "rule_en": f'"{this.title_en}" is before "{that.title_en}".',
    }


def _examples(f: Field) -> tuple[str, str]:
    """An example of a valid value, in French and in English: one language per message."""
    if f.type == "date":
        return "14/03/2024 ou 2024-03-14", "14/03/2024 or 2024-03-14"
    if f.type == "boolean":
        return "oui ou non", "yes or no"
    if f.type == "number" and isinstance(f.example, float):
        return str(f.example).replace(".", ","), str(f.example)
    return str(f.example), str(f.example)


def _problem_params(schema: Schema, f_name: str, code: str, rule: str, value, cities: Cities, today: date) -> dict:
    params: dict = {"value": value, "field": f_name}
    if code == "type-error":
        f = schema.field(f_name)
        fr, en = TYPE_WORDS[f.type]
        example_fr, example_en = _examples(f)
        params |= {"expected_fr": fr, "expected_en": en, "example_fr": example_fr, "example_en": example_en}
    elif code in ("out-of-range", "inconsistent-values"):
        params |= _rule_text(schema, f_name, rule, today)
    elif code == "unknown-city":
        best = cities.suggest(value)
        params |= {
            "suggestion_fr": f"Vouliez-vous dire « {best} » ? " if best else "",
            "suggestion_en": f'Did you mean "{best}"? ' if best else "",
        }
    elif code == "unknown-code":
        f = schema.field(f_name)
        keys = code_keys(f)
        match = difflib.get_close_matches(normalize_key(value), list(keys), n=1, cutoff=0.6)
        params |= {
            "allowed": ", ".join(c.code for c in f.codes),
            "suggestion_fr": f"Vouliez-vous dire « {keys[match[0]]} » ? " if match else "",
            "suggestion_en": f'Did you mean "{keys[match[0]]}"? ' if match else "",
        }
    return params


def validate(
    con,
    raw: RawTable,
    schema: Schema,
    cities: Cities,
    *,
    allowed_cities: set[str] | None = None,
    header_map: dict[str, str] | None = None,
    today: date | None = None,
) -> Validation:
    """Check every staged row; create the typed stage table `<raw>_stage`."""
    today = today or date.today()
    result = Validation(raw=raw, problems=list(raw.problems), more=dict(raw.more))
    colmap, header_problems = map_header(raw, schema, header_map)
    result.problems += header_problems + _unnamed_columns_with_data(con, raw)
    missing = list(schema.missing_values)
    lookups = _build_lookup_tables(con, raw, schema, colmap, cities, missing)
    stage = f"{raw.table}_stage"
    stage_sql = _stage_sql(raw, schema, colmap, lookups)
    # Bind only what the statement uses: DuckDB refuses an unused parameter, and a file
    # without the free-text columns has no clean_text() call (found by tests/test_fuzz.py).
    stage_params = {"missing": missing, "missing_len": max(len(m) for m in missing)}
    stage_params = {k: v for k, v in stage_params.items() if re.search(rf"\${k}\b", stage_sql)}
    con.execute(f"CREATE TEMP TABLE {stage} AS {stage_sql}", stage_params)
    result.stage = stage
    _drop_blank_rows(con, raw, schema, stage, result)

    checks = [c for c in _checks(schema) if c[1] != "missing-value" or c[0] in colmap]
    params: dict = {"min_date": MIN_DATE, "max_date": max_date(today), "today": today}
    params |= {f"pattern_{f.name}": f.pattern for f in schema.fields if f.pattern}
    selects = [
        f"SELECT line, {i} AS check_id, NULL::BIGINT AS first_line, NULL::BOOLEAN AS by_id FROM {stage} WHERE {condition}"
        for i, (_, _, condition, _) in enumerate(checks)
    ]
    # Duplicate keys only once the key's required columns are read: before "Date" or "Type
    # d'activité" is mapped, every row would share the same empty key (false duplicates on
    # top of the missing-column errors that already reject the file).
    if all(n in colmap for n in schema.key_derived_from if schema.field(n).required):
        selects.append(
            f"""SELECT line, -1, first_line, by_id FROM (
                  SELECT line, {schema.key_field} IS NOT NULL AS by_id, min(line) OVER w AS first_line,
                         row_number() OVER (w ORDER BY line) AS n
                  FROM {stage} WHERE ville IS NOT NULL WINDOW w AS (PARTITION BY ville, record_key)) WHERE n > 1"""
        )
    if allowed_cities is not None:
        selects.append(
            f"SELECT line, -2, NULL, NULL FROM {stage} WHERE ville IS NOT NULL AND NOT list_contains($allowed, ville)"
        )
        params["allowed"] = sorted(allowed_cities)
    errors = f"{raw.table}_errors"
    con.execute(f"CREATE TEMP TABLE {errors} AS {' UNION ALL '.join(selects)}", params)
    # The original text of the cells, for the messages: only the first lines of each check
    # (a report describes the first ones; every problem is counted below).
    kept = raw.limits.problems_kept
    found = con.execute(
        f"SELECT e.line, e.check_id, e.first_line, e.by_id, r.* EXCLUDE (line) FROM "
        f"(SELECT *, row_number() OVER (PARTITION BY check_id ORDER BY line) AS k FROM {errors}) e "
        f"JOIN {raw.table} r USING (line) WHERE e.k <= $kept ORDER BY e.line, e.check_id",
        {"kept": kept},
    ).fetchall()
    codes = {-1: "duplicate-key", -2: "forbidden-city"} | {i: check[1] for i, check in enumerate(checks)}
    for check_id, n in con.execute(f"SELECT check_id, count(*) FROM {errors} GROUP BY ALL ORDER BY 1").fetchall():
        if n > kept:
            result.more[codes[check_id]] = result.more.get(codes[check_id], 0) + n - kept
    staged_errors = con.execute(f"SELECT count(DISTINCT line) FROM {errors}").fetchone()[0]

    header_of = {name: raw.headers[int(col[1:])] for name, col in colmap.items()}
    position = {name: int(col[1:]) for name, col in colmap.items()}
    for line, check_id, first_line, by_id, *cells in found:
        if check_id == -1:
            if by_id:
                key_fr, key_en, column = "identifiant", "identifier", header_of.get(schema.key_field, schema.key_field)
            else:
                key_fr, key_en = _derived_key_words(schema, colmap)
                column = "+".join(header_of[n] for n in schema.key_derived_from if n in header_of)
            params = {"first_line": first_line, "key_fr": key_fr, "key_en": key_en}
            result.problems.append(Problem("duplicate-key", line=line, column=column, params=params))
            continue
        if check_id == -2:
            value = (cells[position["ville"]] or "").strip()
            result.problems.append(
                Problem("forbidden-city", line=line, column=header_of.get("ville", "ville"), params={"value": value})
            )
            continue
        f_name, code, _, rule = checks[check_id]
        first = f_name.split("+")[0]
        value = (cells[position[first]] or "").strip() if first in position else ""
        column = "+".join(header_of.get(n, n) for n in f_name.split("+"))
        params = _problem_params(schema, f_name, code, rule, value, cities, today)
        result.problems.append(Problem(code, line=line, column=column, params=params))
    # Every row check is an error, and each line the reader rejected holds one error.
    result.rejected_lines = raw.rejected + staged_errors
    result.valid_rows = raw.rows - result.rejected_lines
    return result


def _derived_key_words(schema: Schema, colmap: dict) -> tuple[str, str]:
    """The fields the derived key was made of in this file, in words: "ville, date de
    début, méthode et titre" (without the title when the file has none)."""
    used = [schema.field(n) for n in schema.key_derived_from if n in colmap]
    fr, en = [f.title_fr.lower() for f in used], [f.title_en.lower() for f in used]
    return (
        ", ".join(fr[:-1]) + " et " + fr[-1] if len(fr) > 1 else "".join(fr),
        ", ".join(en[:-1]) + " and " + en[-1] if len(en) > 1 else "".join(en),
    )


def _unnamed_columns_with_data(con, raw: RawTable) -> list[Problem]:
    """A column without a header is ignored; say so when it holds values."""
    blank = [i for i, h in enumerate(raw.headers) if not h.strip()]
    if not blank:
        return []
    counts = con.execute(
        f"SELECT {', '.join(f'count(*) FILTER (trim(c{i}) <> {chr(39)}{chr(39)})' for i in blank)} FROM {raw.table}"
    ).fetchone()
    return [
        Problem("unnamed-column", line=raw.header_line, column=f"#{i + 1}", params={"position": i + 1, "count": n})
        for i, n in zip(blank, counts, strict=True)
        if n
    ]


def _drop_blank_rows(con, raw: RawTable, schema: Schema, stage: str, result: Validation) -> None:
    """Rows whose every cell is empty (e.g. `;;;;`) are blank lines: counted, not loaded."""
    empty = " AND ".join(f"NOT {f.name}__given" if _has_given(f) else f"{f.name} IS NULL" for f in schema.fields)
    # Counted, and kept as ranges of consecutive lines (the first ones), never line by line.
    count = con.execute(f"SELECT count(*) FROM {stage} WHERE {empty}").fetchone()[0]
    if count:
        ranges = con.execute(
            f"""SELECT min(line), max(line) FROM (
                  SELECT line, line - row_number() OVER (ORDER BY line) AS island FROM {stage} WHERE {empty})
                GROUP BY island ORDER BY 1 LIMIT {RANGES_KEPT + 1}"""
        ).fetchall()
        con.execute(f"DELETE FROM {stage} WHERE {empty}")
        raw.rows -= count
        raw.blank += count
        raw.blank_ranges = merge_ranges(raw.blank_ranges, [list(r) for r in ranges])
        raw.blank_cut = raw.blank_cut or len(raw.blank_ranges) > RANGES_KEPT
    if raw.blank_ranges:
        params = {"count": raw.blank, "lines": format_ranges(raw.blank_ranges, raw.blank_cut)}
        result.problems.append(Problem("blank-row", line=raw.blank_ranges[0][0], params=params))
