"""Validate a staged file against the contract, in DuckDB.

The header is mapped to fields in Python; values of lookup fields (cities, code
lists, booleans) are mapped per distinct value in Python (a file has few); typing
and every check then run as SQL over the whole file at once. Validation returns all
the problems of a file and a typed stage table ready to load.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from etl.problems import Problem
from etl.readers import RawTable, format_lines
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
        for code, nom, aliases in con.execute("SELECT code, nom, alias FROM cities ORDER BY code").fetchall():
            names[code] = nom
            for name in [nom, code, *aliases]:
                by_key.setdefault(normalize_key(name), code)
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
    problems: list[Problem] = field(default_factory=list)
    stage: str | None = None  # typed table, one row per staged data row
    valid_rows: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


# --- header ----------------------------------------------------------------------


def map_header(raw: RawTable, schema: Schema) -> tuple[dict[str, str], list[Problem]]:
    """field name -> staged column (c0, c1, ...), and the header problems."""
    problems: list[Problem] = []
    by_field: dict[str, list[int]] = {}
    for i, header in enumerate(raw.headers):
        f = schema.match_header(header)
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


def _lookup(f: Field, cities: Cities):
    if f.is_city:
        return cities.resolve
    if f.is_code:
        table = {}
        for c in f.codes:
            for name in (c.code, c.fr, c.en, *c.synonyms):
                table.setdefault(normalize_key(name), c.code)
        return lambda text: table.get(normalize_key(text))
    if f.type == "boolean":
        truth = {normalize_key(v): "true" for v in f.true_values} | {normalize_key(v): "false" for v in f.false_values}
        return lambda text: truth.get(normalize_key(text))
    return None


def _build_lookup_tables(con, raw: RawTable, schema: Schema, colmap: dict, cities: Cities, missing) -> dict[str, str]:
    """Create one small table per lookup field mapping each distinct cell to its code."""
    tables = {}
    for f in schema.fields:
        resolve = _lookup(f, cities)
        if resolve is None or f.name not in colmap:
            continue
        values = con.execute(
            f"SELECT DISTINCT clean_cell({colmap[f.name]}, $missing) FROM {raw.table} WHERE clean_cell({colmap[f.name]}, $missing) IS NOT NULL",
            {"missing": missing},
        ).fetchall()
        table = f"{raw.table}_map_{f.name}"
        con.execute(f"CREATE TEMP TABLE {table} (v VARCHAR, code VARCHAR)")
        rows = [(v, resolve(v)) for (v,) in values]
        if rows:
            con.executemany(f"INSERT INTO {table} VALUES (?, ?)", rows)
        tables[f.name] = table
    return tables


# --- typing and checks -----------------------------------------------------------


def _typed_sql(raw: RawTable, schema: Schema, colmap: dict, lookups: dict) -> str:
    raws = ["r.line"]
    values = ["line"]
    joins = []
    for f in schema.fields:
        col = colmap.get(f.name)
        raws.append(f"clean_cell(r.{col}, $missing) AS {f.name}__raw" if col else f"NULL::VARCHAR AS {f.name}__raw")
        raw_ref = f"{f.name}__raw"
        if f.name in lookups:
            joins.append(f"LEFT JOIN {lookups[f.name]} m_{f.name} ON m_{f.name}.v = t.{raw_ref}")
            value = f"m_{f.name}.code::{f.sql_type}"
        elif f.type == "integer":
            value = f"parse_integer(t.{raw_ref})"
        elif f.type == "number":
            value = f"parse_number(t.{raw_ref})"
        elif f.type == "date":
            value = f"parse_date(t.{raw_ref})"
        else:
            value = f"t.{raw_ref}"
        values += [f"t.{raw_ref}", f"{value} AS {f.name}"]
    return (
        f"WITH t AS (SELECT {', '.join(raws)} FROM {raw.table} r) "
        f"SELECT {', '.join(['t.line', *values[1:]])} FROM t {' '.join(joins)}"
    )


def _checks(schema: Schema) -> list[tuple[str, str, str, str]]:
    """(field, problem code, SQL condition, rule id) for every row-level check."""
    out = []
    for f in schema.fields:
        n = f.name
        if f.required:
            out.append((n, "missing-value", f"{n}__raw IS NULL", ""))
        if f.is_city:
            out.append((n, "unknown-city", f"{n}__raw IS NOT NULL AND {n} IS NULL", ""))
        elif f.is_code:
            out.append((n, "unknown-code", f"{n}__raw IS NOT NULL AND {n} IS NULL", ""))
        elif f.type != "string":
            out.append((n, "type-error", f"{n}__raw IS NOT NULL AND {n} IS NULL", ""))
        if f.minimum is not None:
            out.append((n, "out-of-range", f"{n} < {float(f.minimum)!r}", "minimum"))
        if f.pattern:
            out.append((n, "pattern-error", f"{n} IS NOT NULL AND NOT regexp_full_match({n}, $pattern_{n})", ""))
        if f.max_field:
            out.append((n, "inconsistent-values", f"{n} > {f.max_field}", f"max:{f.max_field}"))
        if f.min_field:
            out.append((n, "inconsistent-values", f"{n} < {f.min_field}", f"min:{f.min_field}"))
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
    if kind == "max":
        return {
            "rule_fr": f"« {this.title_fr} » dépasse « {that.title_fr} ».",
            "rule_en": f'"{this.title_en}" is greater than "{that.title_en}".',
        }
    return {
        "rule_fr": f"« {this.title_fr} » est antérieure à « {that.title_fr} ».",
        "rule_en": f'"{this.title_en}" is before "{that.title_en}".',
    }


def _example(f: Field) -> str:
    if f.type == "date":
        return "14/03/2024 ou/or 2024-03-14"
    if f.type == "boolean":
        return "oui/non, yes/no"
    return str(f.example)


def _problem_params(schema: Schema, f_name: str, code: str, rule: str, value, cities: Cities, today: date) -> dict:
    params: dict = {"value": value, "field": f_name}
    if code == "type-error":
        f = schema.field(f_name)
        fr, en = TYPE_WORDS[f.type]
        params |= {"expected_fr": fr, "expected_en": en, "example": _example(f)}
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
        keys = {normalize_key(n): c.code for c in f.codes for n in (c.code, c.fr, c.en, *c.synonyms)}
        match = difflib.get_close_matches(normalize_key(value), list(keys), n=1, cutoff=0.6)
        params |= {
            "allowed": ", ".join(c.code for c in f.codes),
            "suggestion_fr": f"Vouliez-vous dire « {keys[match[0]]} » ? " if match else "",
            "suggestion_en": f'Did you mean "{keys[match[0]]}"? ' if match else "",
        }
    return params


def _stage_sql(schema: Schema, typed: str) -> str:
    key = schema.key_field
    derived = ", ".join(f"lower(coalesce({n}::VARCHAR, ''))" for n in schema.key_derived_from if n != "ville")
    hashed = ", ".join(f"coalesce({n}::VARCHAR, chr(0))" for n in schema.names)
    return (
        f"SELECT *, CASE WHEN {key} IS NOT NULL THEN 'id:' || {key} "
        f"ELSE 'auto:' || md5(concat_ws('|', {derived})) END AS record_key, "
        f"md5(concat_ws(chr(31), {hashed})) AS row_hash FROM {typed}"
    )


def validate(
    con,
    raw: RawTable,
    schema: Schema,
    cities: Cities,
    *,
    allowed_cities: set[str] | None = None,
    today: date | None = None,
) -> Validation:
    """Check every staged row; create the typed stage table `<raw>_stage`."""
    today = today or date.today()
    result = Validation(raw=raw, problems=list(raw.problems))
    colmap, header_problems = map_header(raw, schema)
    result.problems += header_problems
    missing = list(schema.missing_values)
    lookups = _build_lookup_tables(con, raw, schema, colmap, cities, missing)
    typed = f"{raw.table}_typed"
    con.execute(f"CREATE TEMP TABLE {typed} AS {_typed_sql(raw, schema, colmap, lookups)}", {"missing": missing})

    blank_condition = " AND ".join(f"{n}__raw IS NULL" for n in schema.names)
    blank_lines = [
        r[0] for r in con.execute(f"SELECT line FROM {typed} WHERE {blank_condition} ORDER BY line").fetchall()
    ]
    if blank_lines:
        con.execute(f"DELETE FROM {typed} WHERE {blank_condition}")
        raw.rows -= len(blank_lines)
        raw.blank += len(blank_lines)
        raw.blank_lines = sorted(raw.blank_lines + blank_lines)
    if raw.blank_lines:
        result.problems.append(
            Problem(
                "blank-row",
                line=raw.blank_lines[0],
                params={"count": raw.blank, "lines": format_lines(raw.blank_lines)},
            )
        )

    stage = f"{raw.table}_stage"
    con.execute(f"CREATE TEMP TABLE {stage} AS {_stage_sql(schema, typed)}")

    checks = [c for c in _checks(schema) if c[1] != "missing-value" or c[0] in colmap]
    params: dict = {"min_date": MIN_DATE, "max_date": max_date(today)}
    params |= {f"pattern_{f.name}": f.pattern for f in schema.fields if f.pattern}
    selects = [
        f"SELECT line, {i} AS check_id, {f_name.split('+')[0]}__raw::VARCHAR AS value, NULL AS by_id FROM {stage} WHERE {condition}"
        for i, (f_name, _, condition, _) in enumerate(checks)
    ]
    selects.append(
        f"""SELECT line, -1 AS check_id, first_line::VARCHAR AS value, by_id FROM (
              SELECT line, {schema.key_field} IS NOT NULL AS by_id, min(line) OVER w AS first_line,
                     row_number() OVER (w ORDER BY line) AS n
              FROM {stage} WHERE ville IS NOT NULL WINDOW w AS (PARTITION BY ville, record_key)) WHERE n > 1"""
    )
    if allowed_cities is not None:
        selects.append(
            f"SELECT line, -2 AS check_id, ville__raw AS value, NULL AS by_id FROM {stage} WHERE ville IS NOT NULL AND NOT list_contains($allowed, ville)"
        )
        params["allowed"] = sorted(allowed_cities)
    found = con.execute(" UNION ALL ".join(selects) + " ORDER BY line, check_id", params).fetchall()

    header_of = {name: raw.headers[int(col[1:])] for name, col in colmap.items()}
    for line, check_id, value, by_id in found:
        if check_id == -1:
            if by_id:
                key_fr, key_en, column = "identifiant", "identifier", header_of.get(schema.key_field, schema.key_field)
            else:
                key_fr, key_en = "ville, date de début, méthode et titre", "city, start date, method and title"
                column = "+".join(header_of.get(n, n) for n in schema.key_derived_from)
            result.problems.append(
                Problem(
                    "duplicate-key",
                    line=line,
                    column=column,
                    params={"first_line": value, "key_fr": key_fr, "key_en": key_en},
                )
            )
            continue
        if check_id == -2:
            result.problems.append(
                Problem("forbidden-city", line=line, column=header_of.get("ville", "ville"), params={"value": value})
            )
            continue
        f_name, code, _, rule = checks[check_id]
        column = header_of.get(f_name, f_name)
        if "+" in f_name:
            column = "+".join(header_of.get(n, n) for n in f_name.split("+"))
        result.problems.append(
            Problem(
                code, line=line, column=column, params=_problem_params(schema, f_name, code, rule, value, cities, today)
            )
        )
    result.stage = stage
    result.valid_rows = raw.rows - len(
        {p.line for p in result.problems if p.is_error and p.line and p.line > raw.header_line}
    )
    return result
