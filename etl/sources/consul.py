"""CONSUL Democracy: the administrators' "download current selection" of budget
investments (app/models/budget/investment/exporter.rb), a comma-separated CSV whose
header labels are translated into the administrator's language (Spanish, English,
French are recognised).

Mapping: the investments of one budget heading (geozone) = one `budget_participatif`;
proposals received = investments; adopted = investments marked selected. The export
holds neither the voters nor the dates: they are asked for (`--set`, or the page's table).
"""

from __future__ import annotations

from collections import defaultdict

from etl.problems import Problem
from etl.schema import normalize_key
from etl.sources import Activity, Export, ExportError, Provenance, SourceOptions, slug
from etl.sources.tables import first_line, read_table

# role -> the normalised header labels of CONSUL's locales (en, es, fr) and of forks
LABELS = {
    "id": ("id",),
    "title": ("title", "titulo", "titre"),
    "heading": (
        "location",
        "heading",
        "geozone",
        "ambitodeactuacion",
        "partida",
        "ambito",
        "localisation",
        "rubrique",
        "zone",
    ),
    "selected": ("selected", "seleccionado", "seleccionada", "selectionne", "selectionnee", "selection"),
    "feasibility": ("feasibility", "viabilidad", "faisabilite"),
    "admin": ("administrator", "admin", "administrador", "administrateur"),
    "valuator": ("valuator", "evaluador", "evaluateur", "valuators", "evaluadores", "evaluateurs"),
    "author": ("authorusername", "usuarioautor", "autor", "nomdutilisateurdelauteur", "auteur", "author"),
    "supports": ("supports", "apoyos", "soutiens", "votes", "votos"),
}
YES = {"yes", "si", "oui", "true", "1", "selected", "seleccionado", "seleccionada", "selectionne", "selectionnee"}
NEEDED = ("id", "title", "heading", "selected")


def roles(header: list[str]) -> dict[str, str]:
    """role -> header label, matched on the normalised label."""
    out: dict[str, str] = {}
    for label in header:
        key = normalize_key(label)
        for role, names in LABELS.items():
            if key in names and role not in out:
                out[role] = label
    return out


def sniff(data: bytes) -> bool:
    """A CSV whose header holds an id, a title and at least two of CONSUL's valuation
    columns (feasibility, selected, administrator, valuator, heading)."""
    if data[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
        return False
    import re

    header = [h.strip().strip('"') for h in re.split(r"[;,\t]", first_line(data))]
    found = roles(header)
    extra = {"feasibility", "selected", "admin", "valuator", "heading"} & set(found)
    return "id" in found and "title" in found and len(extra) >= 2


def read(data: bytes, name: str, options: SourceOptions, cities) -> Export:
    city = cities.given_city(options, "consul")
    table = read_table(data, name)
    found = roles(table.header)
    missing = [role for role in NEEDED if role not in found]
    if missing:
        shown = {"id": "ID", "title": "Title/Título/Titre", "heading": "Location/Ámbito/Localisation"}
        shown["selected"] = "Selected/Seleccionado/Sélectionné"
        raise ExportError(
            [
                Problem(
                    "export-columns",
                    line=1,
                    params={
                        "entity": name,
                        "platform": "CONSUL",
                        "columns": ", ".join(shown[m] for m in missing),
                        "found": ", ".join(table.header[:12]),
                    },
                )
            ]
        )
    if table.problems:
        raise ExportError(table.problems)
    groups: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for line, row in table.rows:
        groups[row[found["heading"]].strip()].append((line, row))
    export = Export(platform="consul", name=name, members=[name])
    city_name = cities.names[city]
    for heading, rows in groups.items():
        selected = sum(1 for _, r in rows if normalize_key(r[found["selected"]]) in YES)
        values = {
            "id_activite": "consul-" + slug(heading or "sans-rubrique"),
            "ville": city_name,
            "titre": f"Budget participatif — {heading}" if heading else "Budget participatif",
            "methode": "budget_participatif",
            "recrutement": "ouvert",
            "nb_seances": "1",
            "nb_propositions_recues": str(len(rows)),
            "nb_propositions_retenues": str(selected),
        }
        columns = (
            ("nb_propositions_recues", found["id"]),
            ("nb_propositions_retenues", found["selected"]),
            ("titre", found["heading"]),
        )
        prov = Provenance(name, "investments", rows[0][0], heading or "—", columns)
        missing = ["date_debut", "nb_participants"]
        activity = Activity(values, prov, space=slug(heading), missing=missing, key_with_year=True)
        export.activities.append(activity)
    export.counts = {"investments": len(table.rows), "headings": len(groups)}
    return export
