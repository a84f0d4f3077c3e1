"""Decidim open-data exports: the ZIP from `<host>/open-data/download`, or any of its CSVs.

Read from Decidim's serializers (0.27-stable and 0.30): `;`-separated, nested keys
flattened with `/`, translated fields one column per locale (`title/fr`, `title/en`,
`title/machine_translations/en`). Columns are matched by name and prefix, never by
position: the set differs by version and by the locales of the instance.

Mapping:
- a published, not withdrawn meeting = one `reunion_publique` (participants =
  `attendees`, proposals received = `contributions`, adopted = its related proposals
  accepted in the same export, dates from `start_time`/`end_time`, format from
  `type_of_meeting`, title in French or else the first filled locale, link = `url`);
  a meeting never closed (attendees 0) is loaded with a warning that says so;
- the proposals of one participatory space and component = one `consultation_en_ligne`
  (received = published and not withdrawn, adopted = `accepted`, participants =
  distinct authors, dates from the first to the last publication);
- the projects of one budget = one `budget_participatif` (received = projects, adopted =
  projects with `selected_at` (0.30)); the voters, and the dates, are not in the export:
  asked for (`--set`, or the page's table).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from urllib.parse import urlparse

from etl.problems import Problem
from etl.settings import limits
from etl.sources import Activity, Export, ExportError, Provenance, SourceOptions, iso_date, plain_int, slug
from etl.sources.tables import Table, first_line, plain, read_table, truthy
from etl.xlsx_parts import PartError, Parts

ENTITIES = ("meetings", "proposals", "projects")
# entity -> columns (or prefixes ending in "/") it cannot do without
NEEDS = {
    "meetings": ("id", "start_time", "attendees", "title/"),
    "proposals": ("id", "participatory_space/id", "component/id", "state"),
    "projects": ("id", "budget/id"),
}
ZIP_MAGIC = b"PK\x03\x04"
MARKERS = ("participatory_space/id", "component/id", "participatory_space/url")
FORMATS = {"in_person": "presentiel", "online": "en_ligne", "hybrid": "hybride"}


def _is_office_zip(data: bytes) -> bool:
    head = data[:65536]
    return b"xl/" in head or b"[Content_Types].xml" in head or b"mimetypeapplication/vnd.oasis" in head


def sniff(data: bytes) -> bool:
    """A ZIP that is not an office document, or a CSV whose header has Decidim's
    flattened keys (`participatory_space/id`, `component/id`, `title/<lang>`)."""
    if data.startswith(ZIP_MAGIC):
        return not _is_office_zip(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return False
    header = [h.strip().strip('"') for h in re.split(r"[;,\t]", first_line(data))]
    if any(m in header for m in MARKERS):
        return True
    return "id" in header and any(re.fullmatch(r"(title|body)/[a-z]{2}(-[A-Za-z]+)?", h) for h in header)


def entity_of(table: Table) -> str | None:
    """meetings, proposals or projects, from the columns (the member's name as a hint)."""
    h = set(table.header)
    if "start_time" in h or "attendees" in h:
        return "meetings"
    if "budget_amount" in h or "confirmed_votes" in h or "budget/id" in h:
        return "projects"
    if "state" in h or "supports" in h or "votes" in h or any(x.startswith("body/") for x in h):
        return "proposals"
    name = table.member.lower()
    for entity in ENTITIES:
        if re.search(rf"(^|[-_/]){entity}\.csv$", name):
            return entity
    return None


def _missing_columns(table: Table, entity: str) -> list[str]:
    out = []
    for need in NEEDS[entity]:
        if need.endswith("/"):
            if not table.prefixed(need[:-1]):
                out.append(need + "<lang>")
        elif not table.has(need):
            out.append(need)
    return out


def read(data: bytes, name: str, options: SourceOptions, cities) -> Export:
    city = cities.given_city(options, "decidim")
    tables: list[tuple[str, Table]] = []
    members: list[str] = []
    if data.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = [n for n in archive.namelist() if not n.endswith("/")]
            # Each member inflated within the limits (a ZIP bomb or lying headers are refused).
            parts, budget = Parts(data, limits(), kind="export"), limits().export_bytes
            parts.check_declared()
            for member in names:
                if member.lower().endswith(".csv"):
                    content = parts.read(member, budget)
                    budget -= len(content)
                    tables.append((member, read_table(content, member)))
        except PartError as exc:
            raise ExportError([exc.problem]) from exc
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError, NotImplementedError) as exc:
            raise ExportError(
                [Problem("binary-file", params={"detail": f"ZIP illisible / unreadable ZIP: {exc}"})]
            ) from exc
        members = names
    else:
        tables.append((name, read_table(data, name)))
        members = [name]
    known: dict[str, Table] = {}
    problems: list[Problem] = []
    for member, table in tables:
        entity = entity_of(table)
        if entity is None:
            continue  # comments, results, debates…: not mapped
        missing = _missing_columns(table, entity)
        if missing:
            problems.append(
                Problem(
                    "export-columns",
                    line=1,
                    file=member if member != name else None,
                    params={
                        "entity": member,
                        "platform": "Decidim",
                        "columns": ", ".join(missing),
                        "found": ", ".join(table.header[:12]) + (" …" if len(table.header) > 12 else ""),
                    },
                )
            )
            continue
        problems += [_in_member(p, member, name) for p in table.problems]
        known.setdefault(entity, table)
    if not known and not problems:
        if data.startswith(ZIP_MAGIC):
            raise ExportError([Problem("export-no-known-file", params={"found": ", ".join(members[:10]) or "—"})])
        raise ExportError(
            [
                Problem(
                    "export-columns",
                    line=1,
                    params={
                        "entity": name,
                        "platform": "Decidim",
                        "columns": "start_time + attendees (meetings) / state (proposals) / budget/id (projects)",
                        "found": ", ".join(tables[0][1].header[:12]),
                    },
                )
            ]
        )
    if any(p.is_error for p in problems):
        raise ExportError(problems)
    export = Export(platform="decidim", name=name, members=[t.member for t in known.values()])
    city_name = cities.names[city]
    accepted = _accepted_proposals(known.get("proposals"))
    if "meetings" in known:
        _meetings(export, known["meetings"], city_name, accepted)
    if "proposals" in known:
        _proposals(export, known["proposals"], city_name)
    if "projects" in known:
        _budgets(export, known["projects"], city_name)
    for p in export.problems:
        _in_member(p, p.file or name, name)
    return export


def _in_member(p: Problem, member: str, name: str) -> Problem:
    if member and member != name and not (p.file or "").startswith(name):
        p.file = f"{name} › {member}"
    return p


def _title(row: dict[str, str], table: Table, prefix: str = "title") -> str:
    """French first, then the first filled locale, machine translations last."""
    columns = table.prefixed(prefix)
    fr = [c for c in columns if c == f"{prefix}/fr"]
    for c in fr + columns:
        if (text := plain(row.get(c))) and not text.startswith("{"):
            return text
    return ""


def _host(row: dict[str, str]) -> str:
    for column in ("url", "participatory_space/url"):
        if host := urlparse((row.get(column) or "").strip()).hostname:
            return host
    return ""


def _number(text: str | None) -> str | None:
    return plain_int(text) if (text or "").strip() else None


def _accepted_proposals(table: Table | None) -> set[str]:
    """Ids and URLs of accepted proposals (to count a meeting's adopted proposals)."""
    out: set[str] = set()
    for _, row in table.rows if table else []:
        if (row.get("state") or "").strip() == "accepted":
            out.add((row.get("id") or "").strip())
            if url := (row.get("url") or "").strip():
                out.add(url)
    return out


def _adopted(related: str | None, accepted: set[str]) -> int:
    """Related proposals (ids, or URLs ending in the id) that are accepted in the export."""
    count = 0
    for item in (x.strip() for x in (related or "").split(",")):
        tail = re.search(r"(\d+)/?$", item)
        if item and (item in accepted or (tail and tail.group(1) in accepted)):
            count += 1
    return count


def _meetings(export: Export, table: Table, city: str, accepted: set[str]) -> None:
    count = 0
    for line, row in table.rows:
        count += 1
        if table.has("published") and not truthy(row.get("published")):
            continue
        if truthy(row.get("withdrawn")) or (row.get("withdrawn_at") or "").strip():
            continue
        ident = (row.get("id") or "").strip()
        title = _title(row, table) or f"Réunion {ident}"
        attendees = _number(row.get("attendees"))
        values = {
            "id_activite": "decidim-" + slug(_host(row), "meeting", ident),
            "ville": city,
            "titre": title,
            "date_debut": iso_date(row.get("start_time")),
            "date_fin": iso_date(row.get("end_time")),
            "methode": "reunion_publique",
            "format": FORMATS.get((row.get("type_of_meeting") or "").strip()),
            "recrutement": "ouvert",
            "nb_seances": "1",
            "nb_participants": attendees if attendees is not None else (row.get("attendees") or "").strip(),
            "nb_propositions_recues": _number(row.get("contributions")),
            "nb_propositions_retenues": str(_adopted(row.get("related_proposals"), accepted)),
            "url_source": (row.get("url") or "").strip() or None,
        }
        columns = (
            ("titre", _first(table.prefixed("title"))),
            ("date_debut", "start_time"),
            ("date_fin", "end_time"),
            ("nb_participants", "attendees"),
            ("nb_propositions_recues", "contributions"),
            ("nb_propositions_retenues", "related_proposals"),
            ("format", "type_of_meeting"),
            ("url_source", "url"),
        )
        prov = Provenance(table.member, "meetings", line, f"meeting {ident}", columns)
        export.activities.append(Activity(values, prov, space=(row.get("participatory_space/id") or "").strip()))
        if attendees == "0":
            export.problems.append(
                Problem("export-not-closed", line=line, column="attendees", file=table.member, params={"title": title})
            )
    export.counts["meetings"] = count


def _first(columns: list[str]) -> str:
    return columns[0] if columns else "title"


def _proposals(export: Export, table: Table, city: str) -> None:
    groups: dict[tuple[str, str], list[tuple[int, dict]]] = defaultdict(list)
    for line, row in table.rows:
        key = ((row.get("participatory_space/id") or "").strip(), (row.get("component/id") or "").strip())
        groups[key].append((line, row))
    published_col = "published_at" if table.has("published_at") else "created_at"
    for (space, component), rows in groups.items():
        live = [
            (line, r)
            for line, r in rows
            if (r.get(published_col) or "").strip() or not table.has(published_col)
            if (r.get("state") or "").strip() != "withdrawn" and not truthy(r.get("withdrawn"))
        ]
        dates = sorted(d for _, r in live if (d := iso_date(r.get(published_col))))
        authors = {(r.get("author/id") or r.get("author/name") or "").strip() for _, r in live}
        authors.discard("")
        host = next((h for _, r in rows if (h := _host(r))), "")
        space_url = next((u for _, r in rows if (u := (r.get("participatory_space/url") or "").strip())), None)
        values = {
            "id_activite": "decidim-" + slug(host, "proposals", space, component),
            "ville": city,
            "titre": f"Propositions Decidim (espace {space}, composant {component})",
            "date_debut": dates[0] if dates else None,
            "date_fin": dates[-1] if dates else None,
            "methode": "consultation_en_ligne",
            "format": "en_ligne",
            "recrutement": "ouvert",
            "nb_seances": "1",
            "nb_participants": str(len(authors)) if table.has("author/id") or table.has("author/name") else None,
            "nb_propositions_recues": str(len(live)),
            "nb_propositions_retenues": str(sum(1 for _, r in live if (r.get("state") or "").strip() == "accepted")),
            "url_source": space_url,
        }
        missing = [n for n in ("nb_participants", "date_debut") if not values[n]]
        columns = (
            ("nb_participants", "author/id"),
            ("nb_propositions_recues", "id"),
            ("nb_propositions_retenues", "state"),
            ("date_debut", published_col),
            ("date_fin", published_col),
        )
        prov = Provenance(table.member, "proposals", rows[0][0], f"space {space}, component {component}", columns)
        export.activities.append(Activity(values, prov, space=space, missing=missing))
    export.counts["proposals"] = len(table.rows)


def _budgets(export: Export, table: Table, city: str) -> None:
    groups: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for line, row in table.rows:
        groups[(row.get("budget/id") or "").strip()].append((line, row))
    for budget, rows in groups.items():
        first = rows[0][1]
        host = next((h for _, r in rows if (h := _host(r))), "")
        title = _title(first, table, "budget/title") or f"Budget {budget}"
        selected = table.has("selected_at")
        values = {
            "id_activite": "decidim-" + slug(host, "budget", budget),
            "ville": city,
            "titre": title,
            "methode": "budget_participatif",
            "format": "en_ligne",
            "recrutement": "ouvert",
            "nb_seances": "1",
            "nb_propositions_recues": str(len(rows)),
            "nb_propositions_retenues": str(sum(1 for _, r in rows if (r.get("selected_at") or "").strip()))
            if selected
            else None,
            "url_source": next((u for _, r in rows if (u := (r.get("participatory_space/url") or "").strip())), None),
        }
        missing = ["date_debut", "nb_participants"] + ([] if selected else ["nb_propositions_retenues"])
        columns = (("nb_propositions_recues", "id"), ("nb_propositions_retenues", "selected_at"))
        prov = Provenance(table.member, "projects", rows[0][0], f"budget {budget}", columns)
        space = (first.get("participatory_space/id") or "").strip()
        export.activities.append(Activity(values, prov, space=space, missing=missing))
    export.counts["budget_projects"] = len(table.rows)
