"""Pabulib `.pb` files (participatory budgets, pabulib.org/format): one file = one activity.

The file is three sections (`META`, `PROJECTS`, `VOTES`), each a title line, a header
line and `;`-separated rows with CSV quoting. It is parsed here, line by line, so that
every problem names its line; the VOTES section is streamed (counted and summed, never
kept). When `PROJECTS` has no `selected` column, the funded projects are computed under
the file's `rule` with `pabutools` (Faliszewski et al., the library of Pabulib's
authors), or the figure is reported missing.

Mapping: `budget_participatif`, level `co_decision` by default; city from `unit`
through the reference list's names and aliases; dates from `date_begin`/`date_end`
(a year alone is that whole year); participants = voters (rows of VOTES); proposals
received = projects; adopted = projects with `selected` = 1; women and under-25 from
the voters' `sex` and `age` when present; the format from `voting_method`; title from
`description`.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field

from etl.problems import Problem
from etl.readers import numbered_rows
from etl.sources import Activity, Export, ExportError, Provenance, SourceOptions, plain_int, slug
from etl.sources.tables import RowProblems

SECTIONS = ("META", "PROJECTS", "VOTES")
ONLINE = ("internet", "online", "electronic", "e-voting", "web", "app", "mobile")
IN_PERSON = ("paper", "stationary", "in-person", "in person", "ballot", "post", "mail", "kiosk", "urn")


def sniff(data: bytes) -> bool:
    """A Pabulib file starts with the line `META`, then `key;value`."""
    head = data[:200].lstrip(b"\xef\xbb\xbf").lstrip()
    lines = head.replace(b"\r", b"").split(b"\n")
    return len(lines) >= 1 and lines[0].strip() == b"META" and (len(lines) < 2 or lines[1].startswith(b"key;"))


@dataclass
class Section:
    title_line: int
    header: list[str] = field(default_factory=list)
    header_line: int = 0
    rows: int = 0


@dataclass
class PbFile:
    """What a .pb file holds, as far as the mapping needs it."""

    meta: dict[str, str] = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)
    project_ids: set[str] = field(default_factory=set)
    selected: Counter = field(default_factory=Counter)
    voters: int = 0
    women: int = 0
    under_25: int = 0
    methods: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    last_line: int = 0
    last_row_short: bool = False

    def column(self, section: str, name: str) -> bool:
        return section in self.sections and name in self.sections[section].header


def parse(text: str) -> PbFile:
    """Parse the three sections with line numbers; raise nothing, collect problems."""
    pb = PbFile()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"', strict=True)
    section: Section | None = None
    name = ""
    bad = RowProblems(pb.problems)
    index = {}
    for start, cells, error in numbered_rows(reader):
        if error is not None:
            bad.add(Problem("malformed-row", line=start, params={"detail": f"{name or 'META'}: {error}"}))
            continue
        pb.last_line = start
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        if len(cells) == 1 and cells[0].strip() in SECTIONS:
            name = cells[0].strip()
            section = pb.sections[name] = Section(title_line=start)
            continue
        if section is None:
            pb.problems.append(Problem("export-truncated", line=start, params=_detail("no-meta")))
            bad.close()
            return pb
        if not section.header:
            section.header, section.header_line = [c.strip() for c in cells], start
            index = {h: i for i, h in enumerate(section.header)}
            continue
        width = len(section.header)
        if len(cells) != width:
            pb.last_row_short = len(cells) < width
            params = {"found": len(cells), "expected": width, "delimiter": f"« ; » ({name})"}
            bad.add(Problem("wrong-field-count", line=start, params=params))
            continue
        pb.last_row_short = False
        section.rows += 1
        if name == "META":
            key = cells[index.get("key", 0)].strip()
            pb.meta[key] = cells[index.get("value", 1)].strip()
            pb.meta_lines[key] = start
        elif name == "PROJECTS":
            pid = cells[index["project_id"]].strip() if "project_id" in index else ""
            pb.project_ids.add(pid)
            if "selected" in index:
                pb.selected[cells[index["selected"]].strip()] += 1
        elif name == "VOTES":
            pb.voters += 1
            if "sex" in index and cells[index["sex"]].strip().upper() in ("F", "K", "W"):
                pb.women += 1
            if "age" in index:
                age = cells[index["age"]].strip()
                if age.isdigit() and int(age) < 25:
                    pb.under_25 += 1
            if "voting_method" in index:
                pb.methods[cells[index["voting_method"]].strip().lower()] += 1
    bad.close()
    return pb


def _detail(kind: str, **params) -> dict:
    texts = {
        "no-meta": ("pas de section META au début", "no META section at the start"),
        "no-section": (
            "pas de section {section} : {why_fr}",
            "no {section} section: {why_en}",
        ),
        "cut": (
            "la dernière ligne, {line}, s'arrête au milieu d'un enregistrement",
            "the last line, {line}, stops in the middle of a record",
        ),
    }
    fr, en = texts[kind]
    return {"platform": "Pabulib", "detail_fr": fr.format(**params), "detail_en": en.format(**params)}


def check(pb: PbFile, text: str) -> list[Problem]:
    """The file's structural problems: missing sections, a cut-off end, counts that
    disagree with META (each against its line)."""
    problems = list(pb.problems)
    if problems and problems[-1].code == "export-truncated":
        return problems
    ends_cleanly = text.endswith("\n")
    for name, why_fr, why_en in (
        ("PROJECTS", "les projets ne peuvent pas être comptés", "the projects cannot be counted"),
        ("VOTES", "les votants ne peuvent pas être comptés", "the voters cannot be counted"),
    ):
        if name not in pb.sections or not pb.sections[name].header:
            params = _detail("no-section", section=name, why_fr=why_fr, why_en=why_en)
            problems.append(Problem("export-truncated", line=pb.last_line or 1, params=params))
            return problems
    declared_votes = plain_int(pb.meta.get("num_votes"))
    short = declared_votes is not None and pb.sections["VOTES"].rows < int(declared_votes)
    if not ends_cleanly and (pb.last_row_short or short):
        problems = [p for p in problems if p.line != pb.last_line]
        problems.append(Problem("export-truncated", line=pb.last_line, params=_detail("cut", line=pb.last_line)))
        return problems
    for key, section, found in (
        ("num_projects", "PROJECTS", pb.sections["PROJECTS"].rows),
        ("num_votes", "VOTES", pb.sections["VOTES"].rows),
    ):
        declared = pb.meta.get(key)
        rejected = sum(1 for p in problems if p.code == "wrong-field-count")
        if declared is not None and plain_int(declared) is not None and int(declared) != found + rejected:
            problems.append(
                Problem(
                    "export-count-mismatch",
                    line=pb.meta_lines.get(key),
                    column=f"META.{key}",
                    params={"key": key, "declared": declared, "section": section, "found": found},
                )
            )
    for key in ("unit", "description"):
        if not pb.meta.get(key):
            problems.append(
                Problem(
                    "export-columns",
                    line=pb.sections["META"].title_line,
                    params={
                        "entity": "META",
                        "platform": "Pabulib",
                        "columns": key,
                        "found": ", ".join(pb.meta) or "—",
                    },
                )
            )
    return problems


def _dates(meta: dict[str, str]) -> tuple[str | None, str | None]:
    def one(text: str, end: bool) -> str | None:
        text = (text or "").strip()
        if re.fullmatch(r"\d{4}", text):
            return f"{text}-12-31" if end else f"{text}-01-01"
        if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text):
            d, mo, y = m.groups()
            return f"{y}-{int(mo):02d}-{int(d):02d}"
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
            return text
        return None

    begin = one(meta.get("date_begin", ""), False)
    instance = meta.get("instance", "")
    if begin is None and re.fullmatch(r"\d{4}", instance):
        begin = f"{instance}-01-01"
    return begin, one(meta.get("date_end", ""), True)


def _format(methods: Counter) -> str | None:
    online = sum(n for m, n in methods.items() if any(w in m for w in ONLINE))
    in_person = sum(n for m, n in methods.items() if any(w in m for w in IN_PERSON))
    if online and in_person:
        return "hybride"
    if online:
        return "en_ligne"
    if in_person:
        return "presentiel"
    return None


def computed_winners(data: bytes, meta: dict[str, str]) -> int | None:
    """How many projects the file's rule funds, computed with pabutools (approval
    ballots under greedy or equal shares); None when that cannot be done."""
    rule, vote_type = meta.get("rule", ""), meta.get("vote_type", "")
    if vote_type not in ("approval", "choose-1") or rule not in ("greedy", "equalshares", "equalshares/add1"):
        return None
    try:
        from pabutools.election import AbstractApprovalProfile, Cost_Sat, parse_pabulib
        from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
    except ImportError:
        return None
    fd, tmp = tempfile.mkstemp(suffix=".pb")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        instance, profile = parse_pabulib(tmp)
        if not isinstance(profile, AbstractApprovalProfile):  # choose-1 read as approval ballots only
            return None
        if rule == "greedy":
            chosen = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
        else:
            chosen = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
        return len(chosen)
    except Exception:  # a file pabutools cannot take: the figure is reported missing
        return None
    finally:
        os.unlink(tmp)


def activity_id(meta: dict[str, str]) -> str:
    """Stable across newer exports of the same budget: country, unit, instance and the
    district / subunit the budget covers (not the description, which gets fixed)."""
    parts = [meta.get(k) for k in ("country", "unit", "instance")]
    district, subunit = meta.get("district"), meta.get("subunit")
    parts += [district] + ([subunit] if subunit and subunit != district else [])
    return "pabulib-" + slug(*parts)


def read(data: bytes, name: str, options: SourceOptions, cities) -> Export:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ExportError(
            [
                Problem(
                    "export-bad-value",
                    line=line,
                    column="UTF-8",
                    params={
                        "value": data[exc.start : exc.start + 8].hex(" "),
                        "expected_fr": "texte UTF-8 attendu",
                        "expected_en": "UTF-8 text expected",
                    },
                )
            ]
        ) from exc
    text = text.replace("\r\n", "\n")
    pb = parse(text)
    problems = check(pb, text)
    if any(p.is_error for p in problems):
        raise ExportError(problems)
    meta = pb.meta
    unit_line = pb.meta_lines.get("unit")
    city = cities.mission_city(
        meta.get("unit"), source="META.unit", channel=options.channel, line=unit_line, country=meta.get("country")
    )
    begin, end = _dates(meta)
    values: dict[str, str | None] = {
        "id_activite": activity_id(meta),
        "ville": cities.names[city],
        "titre": meta.get("description"),
        "date_debut": begin,
        "date_fin": end,
        "methode": "budget_participatif",
        "niveau_engagement": None,
        "format": _format(pb.methods),
        "recrutement": "ouvert",
        "nb_seances": "1",
        "nb_participants": str(pb.voters),
        "nb_propositions_recues": str(len(pb.project_ids)),
        "nb_femmes": str(pb.women) if pb.column("VOTES", "sex") else None,
        "nb_moins_25_ans": str(pb.under_25) if pb.column("VOTES", "age") else None,
    }
    missing = []
    export = Export(platform="pabulib", name=name, members=[name])
    if pb.column("PROJECTS", "selected"):
        values["nb_propositions_retenues"] = str(pb.selected.get("1", 0))
    else:
        winners = computed_winners(data, meta)
        if winners is None:
            missing.append("nb_propositions_retenues")
        else:
            values["nb_propositions_retenues"] = str(winners)
            export.problems.append(
                Problem(
                    "export-winners-computed",
                    line=pb.sections["PROJECTS"].header_line,
                    column="PROJECTS.selected",
                    params={"count": winners, "rule": meta.get("rule", "")},
                )
            )
    columns = (
        ("id_activite", "META"),
        ("ville", "META.unit"),
        ("titre", "META.description"),
        ("date_debut", "META.date_begin"),
        ("date_fin", "META.date_end"),
        ("nb_participants", "VOTES"),
        ("nb_propositions_recues", "PROJECTS"),
        ("nb_propositions_retenues", "PROJECTS.selected"),
        ("nb_femmes", "VOTES.sex"),
        ("nb_moins_25_ans", "VOTES.age"),
        ("format", "VOTES.voting_method"),
    )
    where = " ".join(
        x for x in (meta.get("unit"), meta.get("instance"), meta.get("district"), meta.get("subunit")) if x
    )
    provenance = Provenance(
        file=name,
        entity="META",
        line=pb.meta_lines.get("description") or 1,
        ident=where,
        columns=columns,
    )
    export.activities.append(Activity(values, provenance, space=values["id_activite"], missing=missing))
    label = " ".join(
        dict.fromkeys(
            x for x in (meta.get("unit"), meta.get("instance"), meta.get("subunit") or meta.get("district")) if x
        )
    )
    export.label = label
    export.counts = {"projects": len(pb.project_ids), "voters": pb.voters}
    export.problems = problems + export.problems
    return export
