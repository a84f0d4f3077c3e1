"""Decidim and CONSUL exports built column by column from the platforms' serializers
(Decidim 0.27-stable and 0.30: meeting_serializer.rb, proposal_serializer.rb,
project_serializer.rb; CONSUL: app/models/budget/investment/exporter.rb), as the
platforms write them: Decidim `;`-separated with Ruby CSV quoting (a cell with `;`, `"`
or a line break is quoted), one column per locale and machine translations; CONSUL
comma-separated with labels in the administrator's language."""

from __future__ import annotations

import csv
import io
import zipfile

HOST = "participer.example.eu"
HTML = '<p>Première ligne ; avec "guillemets"</p>\n<ul>\n<li>point 1</li>\n</ul>'


def _csv(header: list[str], rows: list[dict], delimiter: str = ";") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return out.getvalue().encode("utf-8")


def _translated(name: str, locales: list[str], machine: bool = True) -> list[str]:
    cols = [f"{name}/{lang}" for lang in locales]
    if machine:
        cols += [f"{name}/machine_translations/{lang}" for lang in locales[1:]]
    return cols


def meetings_header(version: str, locales: list[str]) -> list[str]:
    head = ["id"]
    if version == "0.27":
        head += ["category/id", *_translated("category/name", locales, False), "scope/id"]
        head += _translated("scope/name", locales, False)
    else:
        head += ["taxonomies/id", *_translated("taxonomies/name", locales, False)]
    head += ["participatory_space/id", "participatory_space/url", "component/id"]
    head += _translated("title", locales) + _translated("description", locales)
    head += ["start_time", "end_time", "attendees", "contributions", "organizations", "address"]
    head += _translated("location", locales, False)
    head += ["reference", "comments", "attachments", "followers", "url", "related_proposals", "related_results"]
    head += ["published"] if version == "0.27" else ["published", "withdrawn", "type_of_meeting"]
    return head


def meeting(i: int, locales: list[str], *, attendees=40, contributions=6, title=None, **extra) -> dict:
    first = locales[0]
    row = {
        "id": str(i),
        "participatory_space/id": "3",
        "participatory_space/url": f"https://{HOST}/processes/climat",
        "component/id": "12",
        f"title/{first}": title or f"Réunion de quartier {i}",
        f"description/{first}": HTML,
        "start_time": "2024-03-14 18:30:00 +0100",
        "end_time": "2024-03-14 20:30:00 +0100",
        "attendees": str(attendees),
        "contributions": str(contributions),
        "url": f"https://{HOST}/processes/climat/f/12/meetings/{i}",
        "published": "true",
        "withdrawn": "false",
        "type_of_meeting": "in_person",
        "comments": "2",
    }
    row.update(extra)
    return row


def meetings_csv(version: str, locales: list[str], rows: list[dict]) -> bytes:
    return _csv(meetings_header(version, locales), rows)


def proposals_header(version: str, locales: list[str]) -> list[str]:
    head = ["id", "author/id", "author/name", "author/url"]
    if version == "0.27":
        head += ["category/id", *_translated("category/name", locales, False), "scope/id"]
        head += _translated("scope/name", locales, False)
    else:
        head += ["taxonomies/id", *_translated("taxonomies/name", locales, False)]
    head += ["participatory_space/id", "participatory_space/url", "component/id"]
    head += _translated("title", locales) + _translated("body", locales)
    head += ["address", "latitude", "longitude", "state", "reference"]
    head += _translated("answer", locales, False) + ["answered_at"]
    if version == "0.27":
        head += ["supports", "endorsements/total_count"]
    else:
        head += ["votes", "likes/total_count"]
    head += ["comments", "followers", "published_at", "url", "meeting_urls", "related_proposals", "is_amend"]
    if version != "0.27":
        head += ["withdrawn", "created_at"]
    return head


def proposal(i: int, locales: list[str], *, author: int, state: str = "", space="3", component="14", **extra) -> dict:
    first = locales[0]
    row = {
        "id": str(i),
        "author/id": str(author),
        "author/name": f"Habitant {author}",
        "participatory_space/id": space,
        "participatory_space/url": f"https://{HOST}/processes/climat",
        "component/id": component,
        f"title/{first}": f"Proposition {i}",
        f"body/{first}": HTML,
        "state": state,
        "supports": "3",
        "votes": "3",
        "published_at": f"2024-04-{10 + i % 10:02d} 09:00:00 +0200",
        "created_at": f"2024-04-{10 + i % 10:02d} 08:00:00 +0200",
        "url": f"https://{HOST}/processes/climat/f/{component}/proposals/{i}",
        "withdrawn": "false",
        "is_amend": "false",
    }
    row.update(extra)
    return row


def proposals_csv(version: str, locales: list[str], rows: list[dict]) -> bytes:
    return _csv(proposals_header(version, locales), rows)


def projects_header(version: str, locales: list[str]) -> list[str]:
    head = ["id", "participatory_space/id", "participatory_space/url", "component/id"]
    head += _translated("title", locales) + ["budget/id"]
    if version != "0.27":
        head += _translated("budget/title", locales, False)
    head += ["budget_amount", "confirmed_votes", "url", "related_proposals"]
    if version != "0.27":
        head += ["selected_at"]
    return head


def project(i: int, locales: list[str], *, budget="5", selected=False, **extra) -> dict:
    first = locales[0]
    row = {
        "id": str(i),
        "participatory_space/id": "3",
        "participatory_space/url": f"https://{HOST}/processes/budget-2024",
        "component/id": "20",
        f"title/{first}": f"Projet {i}",
        "budget/id": budget,
        f"budget/title/{first}": "Budget participatif 2024",
        "budget_amount": "25000",
        "confirmed_votes": "120",
        "url": f"https://{HOST}/processes/budget-2024/f/20/projects/{i}",
        "selected_at": "2024-06-30 12:00:00 +0200" if selected else "",
    }
    row.update(extra)
    return row


def projects_csv(version: str, locales: list[str], rows: list[dict]) -> bytes:
    return _csv(projects_header(version, locales), rows)


def open_data_zip(files: dict[str, bytes], *, readme: bool = True) -> bytes:
    """The ZIP of /open-data/download: `<host>-open-data-<entity>.csv` and, from 0.28, README and LICENSE."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for entity, data in files.items():
            archive.writestr(f"{HOST}-open-data-{entity}.csv", data)
        if readme:
            archive.writestr("README.md", "# Open data\n")
            archive.writestr("LICENSE.md", "ODbL 1.0, Database Contents License 1.0\n")
    return out.getvalue()


CONSUL_HEADERS = {
    "en": [
        "ID",
        "Title",
        "Supports",
        "Administrator",
        "Valuator",
        "Valuation Group",
        "Location",
        "Feasibility",
        "Val. Fin.",
        "Selected",
        "Show to valuators",
        "Author username",
    ],
    "es": [
        "ID",
        "Título",
        "Apoyos",
        "Administrador",
        "Evaluador",
        "Grupo evaluador",
        "Ámbito de actuación",
        "Viabilidad",
        "Ev. Fin.",
        "Seleccionado",
        "Mostrar a evaluadores",
        "Usuario autor",
    ],
    "fr": [
        "ID",
        "Titre",
        "Soutiens",
        "Administrateur",
        "Évaluateur",
        "Groupe d'évaluation",
        "Localisation",
        "Faisabilité",
        "Éval. term.",
        "Sélectionné",
        "Montrer aux évaluateurs",
        "Nom d'utilisateur de l'auteur",
    ],
}
YES_NO = {"en": ("Yes", "No"), "es": ("Sí", "No"), "fr": ("Oui", "Non")}


def consul_csv(lang: str, investments: list[tuple[str, str, bool]]) -> bytes:
    """investments: (title, heading, selected)."""
    header = CONSUL_HEADERS[lang]
    yes, no = YES_NO[lang]
    rows = []
    for i, (title, heading, selected) in enumerate(investments, start=1):
        rows.append(
            dict(
                zip(
                    header,
                    [
                        str(i),
                        title,
                        "12",
                        "admin",
                        "val",
                        "",
                        heading,
                        "Feasible (120000€)",
                        yes,
                        yes if selected else no,
                        no,
                        f"user{i}",
                    ],
                    strict=True,
                )
            )
        )
    return _csv(header, rows, delimiter=",")
