"""`python -m etl figures`: the key figures of a selection, from the same SQL and the same
metric registry as the pages (queries/figures.py), as a table or as JSON.

Registered by etl/cli.py; exit codes are the CLI's (0 done, 2 usage error: an unknown
city, a date that cannot be read, a period that ends before it starts). The read side is
imported only when the command runs: the rest of the command line never loads it.
"""

from __future__ import annotations

import json
import logging
from datetime import date

from etl.db import writing
from etl.paths import database_path

WORDS = {
    "fr": {
        "title": "Chiffres clés du {start} au {end}",
        "whole": "Ensemble de la sélection",
        "cities": "{n} ville(s) : {names}",
        "all": "toutes les villes",
        "counted": "activités",
        "unknown": "ville inconnue : « {text} »{near}. Utilisez un code ou un nom de « python -m etl cities list ».",
        "near": " (vouliez-vous dire {names} ?)",
        "bad_date": "date illisible pour {option} : « {text} ». Écrivez-la AAAA-MM-JJ, par exemple 2024-03-14.",
        "order": "la période finit ({end}) avant de commencer ({start}). Inversez --from et --to.",
    },
    "en": {
        "title": "Key figures from {start} to {end}",
        "whole": "Whole selection",
        "cities": "{n} city(ies): {names}",
        "all": "every city",
        "counted": "activities",
        "unknown": 'unknown city: "{text}"{near}. Use a code or a name from "python -m etl cities list".',
        "near": " (did you mean {names}?)",
        "bad_date": 'unreadable date for {option}: "{text}". Write it YYYY-MM-DD, for example 2024-03-14.',
        "order": "the period ends ({end}) before it starts ({start}). Swap --from and --to.",
    },
}


def add_figures_parser(sub, with_db) -> None:
    s = with_db(sub.add_parser("figures", help="chiffres clés d'une sélection / key figures of a selection"))
    s.add_argument("--city", action="append", default=[], help="code ou nom, répétable / code or name, repeatable")
    s.add_argument("--from", dest="start", default=None, help="AAAA-MM-JJ / YYYY-MM-DD (défaut : première activité)")
    s.add_argument("--to", dest="end", default=None, help="AAAA-MM-JJ / YYYY-MM-DD (défaut : dernière activité)")
    s.add_argument("--lang", dest="figures_lang", choices=["fr", "en"], default=None, help="langue / language")
    s.add_argument("--json", action="store_true", help="liste JSON / JSON list")


def _message(key: str, **values) -> tuple[str, str]:
    return WORDS["fr"][key].format(**values), WORDS["en"][key].format(**values)


def _date(text: str | None, option: str, usage_error) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise usage_error(*_message("bad_date", option=option, text=text)) from None


def _quiet_streamlit() -> None:
    """The read side's caches warn, outside a Streamlit server, that they keep their results
    in memory: true and harmless here, where nothing is cached twice."""
    import streamlit.logger

    streamlit.logger.get_logger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)


def cmd_figures(args, usage_error) -> int:
    _quiet_streamlit()
    from queries.figures import data_period, figures, resolve_cities  # the read side, only here
    from queries.selection import Selection

    lang = args.figures_lang or args.lang
    start, end = _date(args.start, "--from", usage_error), _date(args.end, "--to", usage_error)
    with writing(database_path(args.db)) as con:
        codes, unknown = resolve_cities(con, args.city, lang)
        if unknown:
            text, near = next(iter(unknown.items()))
            fr_near = WORDS["fr"]["near"].format(names=", ".join(f"« {n} »" for n in near)) if near else ""
            en_near = WORDS["en"]["near"].format(names=", ".join(f'"{n}"' for n in near)) if near else ""
            raise usage_error(
                WORDS["fr"]["unknown"].format(text=text, near=fr_near),
                WORDS["en"]["unknown"].format(text=text, near=en_near),
            )
        first, last = data_period(con)
        start, end = start or first, end or last
        if start > end:
            raise usage_error(*_message("order", start=start.isoformat(), end=end.isoformat()))
        records = figures(con, Selection(start, end, cities=tuple(codes)), lang, codes)
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=1))
        return 0
    _print_table(records, lang, start, end)
    return 0


def _print_table(records: list[dict], lang: str, start: date, end: date) -> None:
    from charts.format import fmt_date, fmt_number

    w = WORDS[lang]
    print(w["title"].format(start=fmt_date(start, lang), end=fmt_date(end, lang)))
    groups: dict = {}
    for record in records:
        groups.setdefault((record["city"], record["city_name"]), []).append(record)
    for (code, name), rows in groups.items():
        print()
        print(f"{name} ({code})" if code else w["whole"])
        width = max(len(r["label"]) for r in rows)
        for r in rows:
            counted = f"{fmt_number(r['activities_counted'], lang)} {w['counted']}"
            line = f"  {r['label']:<{width}}  {r['shown']:>10}  ({counted})"
            if r["reason"]:
                line += f" — {r['reason']}"
            print(line)
