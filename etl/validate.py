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
from etl.problems import KEY_BY_ID, TYPE_EXAMPLES, TYPE_WORDS, Problem, and_list, date_words, rule_text, suggestion
from etl.readers import RANGES_KEPT, RawTable, format_ranges, merge_ranges
from etl.schema import Field, Schema, SumGroup, normalize_key

SQL_DIR = Path(__file__).parent / "sql"


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
    derived = ", ".join(f"lower(coalesce({n}::VARCHAR, ''))" for n in schema.key_derived_from if n != schema.key_scope)
    return (
        f"WITH v AS (SELECT {', '.join(values)} FROM {raw.table} r {joins}), "
        f"g AS (SELECT *{exclude}{given} FROM v) "
        f"SELECT *, CASE WHEN {key} IS NOT NULL THEN 'id:' || {key} "
        f"ELSE 'auto:' || md5(concat_ws('|', {derived})) END AS record_key, "
        f"hash({', '.join(schema.names)}) AS row_hash FROM g"
    )


def _has_given(f: Field) -> bool:
    return f.type != "string" or f.is_code or f.is_city


# --- row checks --------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Check:
    """One row check, declared as data: the staged rows where `condition` holds have the
    problem `code` (worded in etl/problems.py), placed on the columns of `fields` (the
    first one's cell is the value the message quotes).

    `condition` is SQL over the stage table: its column names come from the schema, every
    value in it is a `$parameter` bound from `params`. `words` are the fixed parameters of
    the message. The check runs only on files that have the columns of `needs`. `rows`,
    when set, is the query the condition reads instead of the stage table (`{stage}`
    stands for it), giving each line's `first_line` and `by_id`."""

    code: str
    fields: tuple[str, ...]
    condition: str
    params: dict = field(default_factory=dict)
    words: dict = field(default_factory=dict)
    needs: tuple[str, ...] = ()
    rows: str | None = None

    def select(self, check_id: int, stage: str) -> str:
        """The lines this check finds, as rows of the errors table."""
        if self.rows:
            source, details = f"({self.rows.format(stage=stage)})", "first_line, by_id"
        else:
            source, details = stage, "NULL::BIGINT AS first_line, NULL::BOOLEAN AS by_id"
        return f"SELECT line, {check_id} AS check_id, {details} FROM {source} WHERE {self.condition}"


def row_checks(schema: Schema, today: date, allowed_cities: set[str] | None = None) -> list[Check]:
    """Every row check, in the order the problems of one line are listed."""
    checks = [] if allowed_cities is None else [_allowed_city(schema, allowed_cities)]
    checks.append(_duplicate_key(schema))
    for f in schema.fields:
        checks += _field_checks(schema, f, today)
    checks += [_date_range(f, today) for f in schema.fields if f.earliest]
    checks += [_sum_check(schema, group) for group in schema.sum_groups]
    return checks


def _field_checks(schema: Schema, f: Field, today: date) -> list[Check]:
    """The checks of one field: presence, reading, then its constraints."""
    n, out = f.name, []
    if f.required:  # a missing column is reported once, by the header
        out.append(Check("missing-value", (n,), f"NOT {n}__given" if _has_given(f) else f"{n} IS NULL", needs=(n,)))
    if _has_given(f):
        out.append(_readable(f))
    if f.minimum is not None:
        words = rule_text("minimum", minimum=f"{f.minimum:g}")
        out.append(Check("out-of-range", (n,), f"{n} < ${n}_minimum", {f"{n}_minimum": float(f.minimum)}, words))
    if f.pattern:
        condition = f"{n} IS NOT NULL AND NOT regexp_full_match({n}, ${n}_pattern)"
        out.append(Check("pattern-error", (n,), condition, {f"{n}_pattern": f.pattern}))
    if f.max_field:
        words = _two_fields("greater", f, schema.field(f.max_field))
        out.append(Check("inconsistent-values", (n,), f"{n} > {f.max_field}", words=words))
    if f.min_field:
        words = _two_fields("before", f, schema.field(f.min_field))
        out.append(Check("inconsistent-values", (n,), f"{n} < {f.min_field}", words=words))
    if f.not_after_today:
        today_fr, today_en = date_words(today)
        words = rule_text("not-future", today_fr=today_fr, today_en=today_en)
        out.append(Check("out-of-range", (n,), f"{n} > ${n}_latest", {f"{n}_latest": today}, words))
    if f.implies_true:
        filled = f"{n} IS NOT NULL" if f.type == "date" else f"{n} > 0"
        rule = "implies-date" if f.type == "date" else "implies-count"
        words = _two_fields(rule, f, schema.field(f.implies_true))
        out.append(Check("inconsistent-values", (n,), f"{filled} AND {f.implies_true} = false", words=words))
    return out


def _two_fields(rule: str, this: Field, that: Field) -> dict:
    return rule_text(rule, this_fr=this.title_fr, this_en=this.title_en, that_fr=that.title_fr, that_en=that.title_en)


def _readable(f: Field) -> Check:
    """A filled cell whose value could not be read: not a known city, code or value of the type."""
    n, condition = f.name, f"{f.name}__given AND {f.name} IS NULL"
    if f.is_city:
        return Check("unknown-city", (n,), condition)
    if f.is_code:
        return Check("unknown-code", (n,), condition, words={"allowed": ", ".join(c.code for c in f.codes)})
    expected_fr, expected_en = TYPE_WORDS[f.type]
    example_fr, example_en = TYPE_EXAMPLES.get(f.type) or _example(f)
    words = {"expected_fr": expected_fr, "expected_en": expected_en, "example_fr": example_fr, "example_en": example_en}
    return Check("type-error", (n,), condition, words=words)


def _example(f: Field) -> tuple[str, str]:
    """The schema's example of a valid value, in French and in English (decimal comma)."""
    if f.type == "number" and isinstance(f.example, float):
        return str(f.example).replace(".", ","), str(f.example)
    return str(f.example), str(f.example)


def _date_range(f: Field, today: date) -> Check:
    """A date between its `x-minimum` and its `x-maximum`."""
    n, latest = f.name, f.latest_date(today)
    (earliest_fr, earliest_en), (latest_fr, latest_en) = date_words(f.earliest), date_words(latest)
    words = rule_text(
        "date-range", earliest_fr=earliest_fr, earliest_en=earliest_en, latest_fr=latest_fr, latest_en=latest_en
    )
    condition = f"{n} < ${n}_earliest OR {n} > ${n}_latest"
    return Check("out-of-range", (n,), condition, {f"{n}_earliest": f.earliest, f"{n}_latest": latest}, words)


def _sum_check(schema: Schema, group: SumGroup) -> Check:
    """Fields whose sum may not exceed another one (the stakeholders and the participants)."""
    total = " + ".join(f"coalesce({n}, 0)" for n in group.fields)
    given = " OR ".join(f"{n} IS NOT NULL" for n in group.fields)
    condition = f"({given}) AND ({total}) > {group.maximum_field}"
    return Check("inconsistent-values", group.fields, condition, words=rule_text(f"sum:{group.name}"))


def _duplicate_key(schema: Schema) -> Check:
    """A line whose key (its identifier, else the fields the key is derived from) an
    earlier line of the same city already has.

    It runs only once the key's required columns are read: before "Date" or "Type
    d'activité" is mapped, every row would share the same empty key (false duplicates on
    top of the missing-column errors that already reject the file)."""
    key, scope = schema.key_field, schema.key_scope
    rows = (
        f"SELECT line, {key} IS NOT NULL AS by_id, min(line) OVER w AS first_line, "
        f"row_number() OVER (w ORDER BY line) AS n FROM {{stage}} "
        f"WHERE {scope} IS NOT NULL WINDOW w AS (PARTITION BY {scope}, record_key)"
    )
    needs = tuple(n for n in schema.key_derived_from if schema.field(n).required)
    return Check("duplicate-key", schema.key_derived_from, "n > 1", needs=needs, rows=rows)


def _allowed_city(schema: Schema, allowed_cities: set[str]) -> Check:
    """A city the uploader has no rights on."""
    n = schema.city_field
    condition = f"{n} IS NOT NULL AND NOT list_contains($allowed_cities, {n})"
    return Check("forbidden-city", (n,), condition, {"allowed_cities": sorted(allowed_cities)})


def _suggestion(f: Field, value: str, cities: Cities) -> dict:
    """ "Did you mean …?" for an unknown city or code."""
    if f.is_city:
        return suggestion(cities.suggest(value))
    keys = code_keys(f)
    match = difflib.get_close_matches(normalize_key(value), list(keys), n=1, cutoff=0.6)
    return suggestion(keys[match[0]] if match else None)


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

    checks = [c for c in row_checks(schema, today, allowed_cities) if all(n in colmap for n in c.needs)]
    params = {name: value for c in checks for name, value in c.params.items()}
    selects = [c.select(i, stage) for i, c in enumerate(checks)]
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
    for check_id, n in con.execute(f"SELECT check_id, count(*) FROM {errors} GROUP BY ALL ORDER BY 1").fetchall():
        if n > kept:
            code = checks[check_id].code
            result.more[code] = result.more.get(code, 0) + n - kept
    staged_errors = con.execute(f"SELECT count(DISTINCT line) FROM {errors}").fetchone()[0]

    header_of = {name: raw.headers[int(col[1:])] for name, col in colmap.items()}
    position = {name: int(col[1:]) for name, col in colmap.items()}
    for line, check_id, first_line, by_id, *cells in found:
        check = checks[check_id]
        if check.code == "duplicate-key":
            result.problems.append(_duplicate(schema, header_of, line, first_line, by_id))
            continue
        first = check.fields[0]
        value = (cells[position[first]] or "").strip() if first in position else ""
        column = "+".join(header_of.get(n, n) for n in check.fields)
        params = {"value": value, "field": "+".join(check.fields)} | check.words
        if check.code in ("unknown-city", "unknown-code"):
            params |= _suggestion(schema.field(first), value, cities)
        result.problems.append(Problem(check.code, line=line, column=column, params=params))
    # Every row check is an error, and each line the reader rejected holds one error.
    result.rejected_lines = raw.rejected + staged_errors
    result.valid_rows = raw.rows - result.rejected_lines
    return result


def _duplicate(schema: Schema, header_of: dict, line: int, first_line: int, by_id: bool) -> Problem:
    """The problem of a line whose key an earlier line has: the identifier, or the
    fields the key was made of in this file ("ville, date de début, méthode et titre")."""
    if by_id:
        (key_fr, key_en), column = KEY_BY_ID, header_of.get(schema.key_field, schema.key_field)
    else:
        used = [schema.field(n) for n in schema.key_derived_from if n in header_of]
        key_fr, key_en = and_list([f.title_fr.lower() for f in used], [f.title_en.lower() for f in used])
        column = "+".join(header_of[f.name] for f in used)
    params = {"first_line": first_line, "key_fr": key_fr, "key_en": key_en}
    return Problem("duplicate-key", line=line, column=column, params=params)


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
