"""An XLSX file's parts, checked before anything parses them.

An XLSX is a ZIP of XML parts. A 5 MB file can inflate to gigabytes, a part's header can
lie about its size, a sheet can hold a DTD, and one value at cell XFD1048576 makes the
sheet reader allocate the whole grid (half a terabyte: the process aborts). So before
calamine or ElementTree reads a part, the part is inflated here as a stream, with a cap:
its declared and its actual size, its inflation ratio and its CRC must agree and stay
within the limits (etl/settings.py). A sheet is scanned the same way, as a stream, for
its error cells (`#N/A`, which calamine reads as blanks) and the extent of its values.
"""

from __future__ import annotations

import io
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from etl.problems import Problem, number
from etl.settings import Limits

MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
READ = 1 << 20  # compressed bytes read at a time
OUT = 4 << 20  # inflated bytes produced at a time
SMALL_PART = 16 << 20  # workbook.xml and its relationships are parsed whole: they must be small
RATIO_FLOOR = 1 << 20  # tiny parts may inflate a lot (a few KB of repeated tags): ratio checked above this
MAX_TAIL = 8 << 20  # a cell longer than this in XML is cut from the error scan (and refused later)

ERROR_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*>(?:(?!</c>).)*?<v>([^<]*)</v>', re.S)
CELL_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"')
WIDE_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]{2,})\d+"[^>]*(?<!/)>')
DTD = (b"<!DOCTYPE", b"<!ENTITY")


WORDS = {  # what the file is, and what to do about a part too big: for a workbook, for a platform export
    "xlsx": {
        "of_fr": "du classeur",
        "of_en": "of the workbook",
        "advice_fr": "Supprimez les lignes et colonnes vides ou mises en forme sous et à droite du tableau (Ctrl+Fin montre la dernière cellule utilisée), découpez le classeur, ou enregistrez la feuille en CSV.",
        "advice_en": "Delete the empty or formatted rows and columns below and right of the table (Ctrl+End shows the last used cell), split the workbook, or save the sheet as CSV.",
    },
    "export": {
        "of_fr": "de l'export",
        "of_en": "of the export",
        "advice_fr": "Téléchargez à nouveau l'export depuis la plateforme, ou déposez seulement le fichier CSV utile (réunions, propositions ou projets).",
        "advice_en": "Download the export again from the platform, or upload only the CSV file you need (meetings, proposals or projects).",
    },
}


class PartError(Exception):
    """A part breaks a limit or is not what a spreadsheet writes; carries the problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.code)
        self.problem = problem


def _unsafe(detail: str) -> PartError:
    return PartError(Problem("xlsx-unsafe", params={"detail": detail}))


def column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


@dataclass
class Sheet:
    name: str
    part: str | None  # the ZIP member of the sheet (None: not found in the relationships)


@dataclass
class Extent:
    """What a streamed scan of a sheet's XML found."""

    rows: int = 0  # the last row holding a cell with content (1-based)
    columns: int = 0  # an upper bound of the widest column holding content (1-based)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) 0-based -> "#N/A"


class Parts:
    """The checked parts of one XLSX file."""

    def __init__(self, source: Path | bytes, limits: Limits, kind: str = "xlsx"):
        """`source`: the file's path, or its bytes (a platform export's ZIP: `kind` "export")."""
        self.words = WORDS[kind]
        self.data = source if isinstance(source, bytes) else None
        self.path, self.limits = (None if self.data is not None else Path(source)), limits
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(self.data) if self.data is not None else self.path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise PartError(
                Problem("binary-file", params={"detail": f"ZIP illisible / unreadable ZIP: {exc}"})
            ) from exc
        self.infos = {info.filename: info for info in self.zip.infolist()}
        self.sheets: list[Sheet] = []

    def close(self) -> None:
        self.zip.close()

    def check_declared(self) -> None:
        """Every part's declared size and ratio, from the central directory (no inflating)."""
        for info in self.infos.values():
            self._check_sizes(info.filename, info.file_size, info.compress_size)

    def _check_sizes(self, name: str, size: int, packed: int) -> None:
        lim = self.limits
        if size > lim.member_bytes:
            raise PartError(
                Problem(
                    "xlsx-too-large",
                    params={
                        "part": name,
                        "found": number(max(1, size >> 20)),
                        "limit": number(lim.member_bytes >> 20),
                        **self.words,
                    },
                )
            )
        if size > RATIO_FLOOR and size > lim.inflation_ratio * max(packed, 1):
            ratio = size // max(packed, 1)
            raise PartError(
                Problem(
                    "xlsx-inflation",
                    params={"part": name, "ratio": number(ratio), "limit": number(lim.inflation_ratio), **self.words},
                )
            )

    def inflate(self, name: str, sink: Callable[[bytes], None] | None = None, cap: int | None = None) -> int:
        """Inflate one part as a stream, giving each piece to `sink`; its actual size,
        ratio and CRC must match its header and the limits. Returns the size."""
        try:
            return self._inflate(name, sink, cap)
        except (OSError, ValueError, OverflowError, struct.error) as exc:  # offsets out of the file...
            raise PartError(
                Problem("binary-file", params={"detail": f"XLSX illisible / unreadable XLSX: {exc}"})
            ) from exc

    def _inflate(self, name: str, sink: Callable[[bytes], None] | None, cap: int | None) -> int:
        info = self.infos.get(name)
        if info is None:
            raise KeyError(name)
        cap = min(cap or self.limits.member_bytes, self.limits.member_bytes)
        if info.flag_bits & 0x1:
            raise _unsafe("partie chiffrée / encrypted part")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _unsafe(f"compression {info.compress_type}")
        if info.file_size > cap:
            self._check_sizes(name, info.file_size, info.compress_size)
            raise PartError(
                Problem(
                    "xlsx-too-large",
                    params={
                        "part": name,
                        "found": number(max(1, info.file_size >> 20)),
                        "limit": number(cap >> 20),
                        **self.words,
                    },
                )
            )
        total, crc, first = 0, 0, True
        with io.BytesIO(self.data) if self.data is not None else open(self.path, "rb") as raw:
            raw.seek(info.header_offset)
            header = raw.read(30)
            if len(header) != 30 or header[:4] != b"PK\x03\x04":
                raise _unsafe("en-tête local absent / local header missing")
            name_len, extra_len = struct.unpack("<HH", header[26:30])
            raw.seek(info.header_offset + 30 + name_len + extra_len)
            left = info.compress_size
            inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
            while left > 0 and not (inflater and inflater.eof):
                packed = raw.read(min(READ, left))
                if not packed:
                    break
                left -= len(packed)
                pending = packed
                while pending:
                    try:
                        piece = inflater.decompress(pending, OUT) if inflater else pending
                    except zlib.error as exc:
                        raise PartError(
                            Problem("binary-file", params={"detail": f"XLSX illisible / unreadable XLSX: {exc}"})
                        ) from exc
                    pending = inflater.unconsumed_tail if inflater else b""
                    total += len(piece)
                    if total > cap or total > info.file_size:
                        raise _unsafe(f"« {name} » : taille déclarée fausse / declared size is wrong")
                    if total > RATIO_FLOOR and total > self.limits.inflation_ratio * max(info.compress_size, 1):
                        self._check_sizes(name, total, info.compress_size)
                    if first and any(mark in piece[:65536] for mark in DTD):
                        raise _unsafe("DTD / entités XML / XML entities")
                    first = False
                    crc = zlib.crc32(piece, crc)
                    if sink is not None and piece:
                        sink(piece)
        if total != info.file_size or (inflater is not None and not inflater.eof):
            raise _unsafe(f"« {name} » : taille déclarée fausse / declared size is wrong")
        if crc != info.CRC:
            raise PartError(Problem("binary-file", params={"detail": f"XLSX illisible / unreadable XLSX: CRC {name}"}))
        return total

    def read(self, name: str, cap: int) -> bytes:
        """A part's bytes, inflated within `cap` (and the part limits)."""
        parts: list[bytes] = []
        self.inflate(name, parts.append, cap=cap)
        return b"".join(parts)

    def read_small(self, name: str) -> bytes:
        parts: list[bytes] = []
        self.inflate(name, parts.append, cap=SMALL_PART)
        return b"".join(parts)

    def check_workbook(self) -> list[Sheet]:
        """Check the parts calamine reads when it opens the file; list the sheets in order."""
        self.check_declared()
        for name in ("[Content_Types].xml", "_rels/.rels"):
            if name in self.infos:
                self.inflate(name, cap=SMALL_PART)
        try:
            workbook = ET.fromstring(self.read_small("xl/workbook.xml"))
            rels = ET.fromstring(self.read_small("xl/_rels/workbook.xml.rels"))
        except (KeyError, ET.ParseError):
            return []  # not an Excel workbook as calamine knows it: calamine says so
        targets = {r.get("Id"): r.get("Target") or "" for r in rels}
        for rel in rels:  # shared strings, styles, theme...: read whole by calamine on opening
            target = _part_name(rel.get("Target") or "")
            if not (rel.get("Type") or "").endswith("/worksheet") and target in self.infos:
                self.inflate(target)
        for sheet in workbook.iter(f"{MAIN_NS}sheet"):
            target = targets.get(sheet.get(REL_NS))
            self.sheets.append(Sheet(sheet.get("name") or "", _part_name(target) if target else None))
        return self.sheets

    def scan_sheet(self, position: int) -> Extent:
        """Stream one sheet's XML: its extent and its error cells (nothing held whole)."""
        extent = Extent()
        sheet = self.sheets[position] if position < len(self.sheets) else None
        if sheet is None or sheet.part not in self.infos:
            return extent
        tail = [b""]

        def scan(block: bytes) -> None:
            last = block.rfind(b"</c>")
            if last >= 0:
                start = block.rfind(b"<c", 0, last)
                ref = CELL_REF.match(block, start) if start >= 0 else None
                if ref:
                    extent.rows = max(extent.rows, int(ref.group(2)))
            wide = WIDE_CELL.findall(block)
            if wide:
                extent.columns = max(extent.columns, max(column_index(w) + 1 for w in wide))
            elif b"<c" in block:  # columns A to Z: 26 at most (not worth scanning every cell)
                extent.columns = max(extent.columns, 26)
            if b't="e"' in block:
                for col, row, value in ERROR_CELL.findall(block):
                    text = value.decode("utf-8", "replace") or "#ERREUR"
                    extent.errors[(int(row) - 1, column_index(col))] = text

        def sink(piece: bytes) -> None:
            block = tail[0] + piece
            cut = block.rfind(b"<c")  # the last cell may go on in the next piece: keep it whole
            if cut < 0:
                cut = max(0, len(block) - 2)
            if len(block) - cut > MAX_TAIL:
                cut = len(block)
            scan(block[:cut])
            tail[0] = block[cut:]

        self.inflate(sheet.part, sink)
        scan(tail[0])
        return extent


def _part_name(target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
