"""The published data contract (a Table Schema file) and the engagement framework.

Everything that needs to know the fields (validation, the DuckDB table, the
templates, the data dictionary) asks this module; nothing hard-codes a field name
that is not here.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from etl.paths import FRAMEWORKS_DIR, SCHEMA_FILE

LATEST = ("today", "today+1y")  # the values `x-maximum` may take (a date field's last date)

SQL_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "date": "DATE",
    "boolean": "BOOLEAN",
}


# Latin letters that Unicode does not decompose into a base letter and an accent: without
# this, "Łódź" would become "odz" (not "lodz") and "Sønderborg" "snderborg".
_LETTERS = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "ı": "i"}
    | {"æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D"}
)


def normalize_key(text: object) -> str:
    """Lower-case, accent-free, alphanumeric-only form used to match names.

    "Nombre de participants", "nombre_de_participants" and "NOMBRE DE PARTICIPANTS"
    all become "nombredeparticipants"; "Łódź" and "Lodz" both become "lodz". Letters of
    other scripts are kept (lower-cased): "Αθήνα" becomes "αθηνα", not "".
    """
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_LETTERS))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(c for c in bare if c.isalnum())


@dataclass(frozen=True)
class Code:
    """One value of a code list, with its labels and accepted synonyms."""

    code: str
    fr: str
    en: str
    synonyms: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True)
class Field:
    """One column of the contract."""

    name: str
    english_name: str
    type: str
    title_fr: str
    title_en: str
    description_fr: str
    description_en: str
    example: object
    required: bool = False
    minimum: float | None = None
    pattern: str | None = None
    codes: tuple[Code, ...] = ()
    max_field: str | None = None
    min_field: str | None = None
    sum_group: str | None = None
    earliest: date | None = None  # `x-minimum`: the first date accepted
    latest: str | None = None  # `x-maximum`: the last date accepted, "today" or "today+1y"
    implies_true: str | None = None  # `x-implies-true`: a boolean field this one, when filled, implies
    true_values: tuple[str, ...] = ()
    false_values: tuple[str, ...] = ()
    is_city: bool = False
    synonyms: tuple[str, ...] = ()  # other headers French teams and platforms write (`x-synonyms`)

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]

    @property
    def is_code(self) -> bool:
        return bool(self.codes)

    @property
    def not_after_today(self) -> bool:
        """A date that cannot be in the future (and has no other bound)."""
        return self.latest == "today" and self.earliest is None

    def latest_date(self, today: date) -> date | None:
        """The last date this field accepts on `today`."""
        if self.latest == "today":
            return today
        if self.latest == "today+1y":
            try:
                return today.replace(year=today.year + 1)
            except ValueError:  # 29 February
                return today.replace(year=today.year + 1, day=28)
        return None

    def title(self, lang: str) -> str:
        return self.title_fr if lang == "fr" else self.title_en

    def description(self, lang: str) -> str:
        return self.description_fr if lang == "fr" else self.description_en

    def header_keys(self) -> set[str]:
        """Every spelling of the header that designates this field, normalised: its names,
        its titles and its synonyms."""
        names = (self.name, self.english_name, self.title_fr, self.title_en, *self.synonyms)
        return {normalize_key(n) for n in names}


@dataclass(frozen=True)
class Level:
    """One degree of the engagement scale."""

    code: str
    rank: int
    label_fr: str
    label_en: str
    colour: str
    definition_fr: str
    definition_en: str
    examples_fr: str
    examples_en: str
    equivalents: dict = field(hash=False, compare=False, default_factory=dict)

    def label(self, lang: str) -> str:
        return self.label_fr if lang == "fr" else self.label_en

    def definition(self, lang: str) -> str:
        return self.definition_fr if lang == "fr" else self.definition_en

    def examples(self, lang: str) -> str:
        return self.examples_fr if lang == "fr" else self.examples_en


@dataclass(frozen=True)
class Framework:
    """The engagement scale and the other lenses (IAP2, Arnstein) mapped onto it."""

    id: str
    title: dict
    description: dict
    source: dict
    levels: tuple[Level, ...]
    co_creation: tuple[str, ...]
    lenses: tuple[dict, ...]
    raw: dict = field(hash=False, compare=False, default_factory=dict)

    def level(self, code: str) -> Level:
        return next(lv for lv in self.levels if lv.code == code)

    def colours(self) -> dict[str, str]:
        return {lv.code: lv.colour for lv in self.levels}


@dataclass(frozen=True)
class SumGroup:
    """Fields whose sum may not exceed another field (`x-sum-group` on each field, the
    bound in `x-sum-groups`)."""

    name: str
    fields: tuple[str, ...]
    maximum_field: str


@dataclass(frozen=True)
class Schema:
    """The contract: its metadata and its fields, in file order."""

    name: str
    title: str
    version: str
    missing_values: tuple[str, ...]
    fields: tuple[Field, ...]
    key_field: str
    key_derived_from: tuple[str, ...]
    key_scope: str  # the field within which a key is unique (the city)
    sum_groups: tuple[SumGroup, ...] = ()
    raw: dict = field(hash=False, compare=False, default_factory=dict)
    header_index: dict = field(hash=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        for f in self.fields:
            for key in f.header_keys():
                self.header_index.setdefault(key, f)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def city_field(self) -> str:
        """The field that names the reference city (`x-reference: "cities"`)."""
        return next(f.name for f in self.fields if f.is_city)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def match_header(self, header: str) -> Field | None:
        """The field a column header designates, or None."""
        return self.header_index.get(normalize_key(header))


@cache
def load_framework(path: Path = FRAMEWORKS_DIR / "echelle_participation.json") -> Framework:
    """The engagement scale from its data file."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    levels = tuple(
        Level(
            code=lv["code"],
            rank=lv["rank"],
            label_fr=lv["label"]["fr"],
            label_en=lv["label"]["en"],
            colour=lv["colour"],
            definition_fr=lv["definition"]["fr"],
            definition_en=lv["definition"]["en"],
            examples_fr=lv["examples"]["fr"],
            examples_en=lv["examples"]["en"],
            equivalents=dict(lv.get("equivalents", {})),
        )
        for lv in sorted(raw["levels"], key=lambda lv: lv["rank"])
    )
    return Framework(
        id=raw["id"],
        title=raw["title"],
        description=raw["description"],
        source=raw["source"],
        levels=levels,
        co_creation=tuple(raw["co_creation"]),
        lenses=tuple(raw.get("lenses", [])),
        raw=raw,
    )


def framework_codes(fw: Framework) -> tuple[Code, ...]:
    """The scale as a code list: each level accepts its labels, its synonyms and the
    categories of lenses marked `accept_on_import` (IAP2) as synonyms."""
    accepted: dict[str, list[str]] = {lv.code: [] for lv in fw.levels}
    for lens in fw.lenses:
        if not lens.get("accept_on_import"):
            continue
        labels = {c["code"]: c["label"] for c in lens["categories"]}
        for lv in fw.levels:
            cat = lv.equivalents.get(lens["id"])
            if cat in labels:
                accepted[lv.code] += [cat, labels[cat]["fr"], labels[cat]["en"]]
    for raw_level in fw.raw["levels"]:
        accepted[raw_level["code"]] += raw_level.get("synonyms", [])
    return tuple(Code(lv.code, lv.label_fr, lv.label_en, tuple(accepted[lv.code])) for lv in fw.levels)


def _latest(raw: dict) -> str | None:
    latest = raw.get("x-maximum")
    if latest not in (None, *LATEST):
        raise ValueError(f"{raw['name']}: x-maximum must be one of {LATEST}, not {latest!r}")
    if "x-minimum" in raw and latest is None:
        raise ValueError(f"{raw['name']}: a date with x-minimum needs x-maximum too")
    return latest


def _field_from_json(raw: dict, root: Path) -> Field:
    constraints = raw.get("constraints", {})
    codes: tuple[Code, ...] = ()
    if "x-codes" in raw:
        codes = tuple(Code(c["code"], c["fr"], c["en"], tuple(c.get("synonyms", []))) for c in raw["x-codes"])
    elif "x-codes-from" in raw:
        codes = framework_codes(load_framework(root / raw["x-codes-from"]))
    return Field(
        name=raw["name"],
        english_name=raw["englishName"],
        type=raw["type"],
        title_fr=raw["title"],
        title_en=raw["englishTitle"],
        description_fr=raw["description"],
        description_en=raw["englishDescription"],
        example=raw.get("example"),
        required=bool(constraints.get("required", False)),
        minimum=constraints.get("minimum"),
        pattern=constraints.get("pattern"),
        codes=codes,
        max_field=raw.get("x-maximum-field"),
        min_field=raw.get("x-minimum-field"),
        sum_group=raw.get("x-sum-group"),
        earliest=date.fromisoformat(raw["x-minimum"]) if "x-minimum" in raw else None,
        latest=_latest(raw),
        implies_true=raw.get("x-implies-true"),
        true_values=tuple(raw.get("trueValues", ())),
        false_values=tuple(raw.get("falseValues", ())),
        is_city=raw.get("x-reference") == "cities",
        synonyms=tuple(raw.get("x-synonyms", ())),
    )


def _sum_groups(raw: dict, fields: tuple[Field, ...]) -> tuple[SumGroup, ...]:
    members: dict[str, list[str]] = {}
    for f in fields:
        if f.sum_group:
            members.setdefault(f.sum_group, []).append(f.name)
    bounds = raw.get("x-sum-groups", {})
    return tuple(SumGroup(name, tuple(names), bounds[name]["maximumField"]) for name, names in members.items())


@cache
def load_schema(path: Path = SCHEMA_FILE) -> Schema:
    """The contract, read from its Table Schema JSON file."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    data_root = Path(path).resolve().parent.parent / "data"
    fields = tuple(_field_from_json(f, data_root) for f in raw["fields"])
    return Schema(
        name=raw["name"],
        title=raw["title"],
        version=raw["version"],
        missing_values=tuple(raw.get("missingValues", [""])),
        fields=fields,
        key_field=raw["x-key"]["field"],
        key_derived_from=tuple(raw["x-key"]["derivedFrom"]),
        key_scope=raw["x-key"]["scope"],
        sum_groups=_sum_groups(raw, fields),
        raw=raw,
    )
