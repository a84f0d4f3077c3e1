"""Which reference city an export belongs to: from the file (Pabulib's `unit`) or from
the caller (`--city` / the page's select), through the names and aliases of the list."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from etl.problems import Problem
from etl.schema import normalize_key

# Country names as Pabulib's META writes them -> ISO codes (for the "how to add it" command).
COUNTRIES = {
    "poland": "PL", "netherlands": "NL", "france": "FR", "spain": "ES", "italy": "IT", "germany": "DE",
    "portugal": "PT", "belgium": "BE", "sweden": "SE", "denmark": "DK", "finland": "FI", "austria": "AT",
    "czechia": "CZ", "czech republic": "CZ", "slovakia": "SK", "hungary": "HU", "romania": "RO", "greece": "GR",
    "ireland": "IE", "lithuania": "LT", "latvia": "LV", "estonia": "EE", "slovenia": "SI", "croatia": "HR",
    "bulgaria": "BG", "cyprus": "CY", "luxembourg": "LU", "malta": "MT", "norway": "NO", "iceland": "IS",
    "switzerland": "CH", "united kingdom": "GB", "canada": "CA", "united states": "US", "usa": "US",
}  # fmt: skip


def slug(text: str) -> str:
    from etl.sources import slug as make

    return make(text)


@dataclass
class CityRef:
    by_key: dict[str, str]  # normalised name, alias or code -> code
    names: dict[str, str]  # code -> local name
    mission: dict[str, bool]  # code -> member of the mission

    @classmethod
    def from_db(cls, con) -> CityRef:
        by_key, names, mission = {}, {}, {}
        rows = con.execute("SELECT code, nom, nom_fr, nom_en, alias, mission FROM cities ORDER BY code").fetchall()
        for code, nom, nom_fr, nom_en, aliases, member in rows:
            names[code], mission[code] = nom, bool(member)
            for name in [nom, code, nom_fr, nom_en, *(aliases or [])]:
                if name and (key := normalize_key(name)):
                    by_key.setdefault(key, code)
        return cls(by_key, names, mission)

    def resolve(self, text: str | None) -> str | None:
        return self.by_key.get(normalize_key(text or "")) if text else None

    def suggest(self, text: str) -> str | None:
        match = difflib.get_close_matches(normalize_key(text), list(self.by_key), n=1, cutoff=0.75)
        return self.names[self.by_key[match[0]]] if match else None

    def mission_city(
        self, text: str | None, *, source: str, channel: str, line: int | None = None, country: str | None = None
    ) -> str:
        """The code of a mission city named `text` (raise ExportError otherwise).
        `source` says where the name was read ("unit", "--city")."""
        from etl.sources import ExportError

        code = self.resolve(text)
        if code and self.mission.get(code):
            return code
        name = self.names.get(code, text or "")
        iso = COUNTRIES.get((country or "").strip().lower(), "XX")
        if channel == "page":
            how_fr = "Demandez à la coordination de l'ajouter (page Administration) comme ville de la mission."
            how_en = "Ask the coordinators to add it (Administration page) as a mission city."
        else:
            how_fr = (
                f"Pour l'ajouter : python -m etl cities add --code {iso}-{slug(name)} --name "
                f'"{name}" --country {iso} --lat … --lon … --mission (voir python -m etl cities add --help).'
            )
            how_en = (
                f'To add it: python -m etl cities add --code {iso}-{slug(name)} --name "{name}" --country {iso} '
                "--lat … --lon … --mission (see python -m etl cities add --help)."
            )
        if code:  # known, but outside the mission
            state_fr, state_en = "est dans la liste de référence mais hors de la mission", "is listed but not a member"
        else:
            best = self.suggest(text or "")
            state_fr = "n'est pas une ville de la mission" + (f" (vouliez-vous dire « {best} » ?)" if best else "")
            state_en = "is not a mission city" + (f' (did you mean "{best}"?)' if best else "")
        raise ExportError(
            [
                Problem(
                    "export-city",
                    line=line,
                    column=source,
                    params={
                        "value": name,
                        "state_fr": state_fr,
                        "state_en": state_en,
                        "how_fr": how_fr,
                        "how_en": how_en,
                    },
                )
            ]
        )

    def given_city(self, options, platform: str) -> str:
        """The city the caller named for an export that does not say it (Decidim, CONSUL)."""
        from etl.sources import PLATFORMS, ExportError

        if not options.city:
            if options.channel == "page":
                how_fr = "Choisissez la ville dans la liste « Ville du fichier » ci-dessus."
                how_en = 'Pick the city in the "City of the file" list above.'
            else:
                how_fr = "Indiquez-la avec --city NOM_OU_CODE (par exemple --city Lyon)."
                how_en = "Give it with --city NAME_OR_CODE (for example --city Lyon)."
            raise ExportError(
                [
                    Problem(
                        "export-city-needed",
                        params={"platform": PLATFORMS[platform], "how_fr": how_fr, "how_en": how_en},
                    )
                ]
            )
        return self.mission_city(
            options.city, source="--city" if options.channel == "cli" else "ville", channel=options.channel
        )
