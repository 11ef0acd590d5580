"""Bilingual files read into units of source and target text: the one entry point :func:`read_bilingual`.

Formats: JSONL, TSV (here), XLIFF 1.2 with its CAT flavours (Trados ``.sdlxliff``, memoQ ``.mqxliff``, Phrase
``.mxliff``, Wordfast ``.txlf``) and XLIFF 2.x (:mod:`tqcheck.readers.xliff`), TMX 1.4
(:mod:`tqcheck.readers.tmx`), gettext PO/POT (:mod:`tqcheck.readers.po`). Units, states and
:func:`select_units` are in :mod:`tqcheck.readers.units`.

Every text is kept exactly as decoded (JSONL/TSV/PO) or as the XML parser delivers it (XML itself turns a
literal CRLF into LF; a ``&#13;`` character reference survives), because issue offsets point into it;
XLIFF/TMX inline codes stand in it as markers (``<1>``, ``</1>``, ``<2/>``) listed in the unit's codes.
XML is parsed with defusedxml: entity declarations (billion laughs, external entities) are refused, and
a DTD named in ``<!DOCTYPE>`` is never fetched.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from tqcheck.errors import InputError
from tqcheck.readers.paths import primary_lang
from tqcheck.readers.po import looks_like_po, read_po
from tqcheck.readers.text import decode_bytes, jsonl_objects, read_bytes
from tqcheck.readers.tmx import Tmx
from tqcheck.readers.units import (
    FORMATS,
    STATES,
    BilingualFile,
    BilingualUnit,
    finish,
    make_unit,
    malformed,
    select_units,
)
from tqcheck.readers.xliff import XLIFF2_NS, Xliff1, Xliff2
from tqcheck.readers.xmlbase import local, ns_of, pair_name, parse_xml

__all__ = ["FORMATS", "STATES", "BilingualFile", "BilingualUnit", "read_bilingual", "select_units"]

_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_TSV_SUFFIXES = frozenset({".tsv", ".tab"})
_XML_SUFFIXES = frozenset({".xlf", ".xliff", ".tmx", ".xml", ".sdlxliff", ".mqxliff", ".mxliff", ".txlf"})
_PO_SUFFIXES = frozenset({".po", ".pot"})
_TEXT_SUFFIXES = _JSONL_SUFFIXES | _TSV_SUFFIXES | _PO_SUFFIXES

# Field names accepted for each role, in JSONL keys and TSV headers alike (tools spell them differently).
_ROLE_NAMES = {
    "source": ("src", "source"),
    "target": ("mt", "target", "translation"),
    "reference": ("ref", "reference"),
    "id": ("id",),
}
_COLUMN_ROLES = {name: role for role, names in _ROLE_NAMES.items() for name in names}
_TSV_DEFAULT_COLUMNS = ("source", "target", "reference")

_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the same line ends as Document.line_col, so line numbers agree


def read_bilingual(path: Path | str, *, src_lang: str | None = None, tgt_lang: str | None = None) -> BilingualFile:
    """Read a bilingual file; the format comes from the extension, the XML dialect from the root element.

    ``src_lang``/``tgt_lang`` fill in languages the file does not declare, and choose the pair in a
    multilingual TMX; the languages a file declares are reported as declared (the caller decides which
    wins). Unknown extensions are sniffed: ``<`` starts XML, ``{`` starts JSONL, a tab in the first line
    makes TSV.

    Raises:
        InputError: unreadable or empty file (kinds as for text files); ``malformed`` with ``line N``
            in the problem; ``unsafe-xml`` for entity declarations; ``ambiguous-language`` for a TMX
            whose pair cannot be chosen; ``unsupported-format``.
    """
    path = Path(path)
    data = read_bytes(path)
    suffix = path.suffix.lower()
    if suffix in _XML_SUFFIXES or (suffix not in _TEXT_SUFFIXES and _looks_like_xml(data)):
        # Before decoding: an XML file's encoding is the one its declaration names (GBK, Shift_JIS…).
        return _read_xml(path, data, src_lang, tgt_lang)
    text, encoding = decode_bytes(data, path)
    return dataclasses.replace(_read_text(path, suffix, text, data, src_lang, tgt_lang), encoding=encoding)


def _read_text(path: Path, suffix: str, text: str, data: bytes, src_lang: str | None,
               tgt_lang: str | None) -> BilingualFile:
    if suffix in _JSONL_SUFFIXES:
        return _read_jsonl(path, text, src_lang, tgt_lang)
    if suffix in _TSV_SUFFIXES:
        return _read_tsv(path, text, src_lang, tgt_lang)
    if suffix in _PO_SUFFIXES:
        return read_po(path, text, src_lang, tgt_lang)
    head = text.lstrip()
    if head.startswith("<"):
        return _read_xml(path, data, src_lang, tgt_lang)
    if head.startswith("{"):
        return _read_jsonl(path, text, src_lang, tgt_lang)
    if looks_like_po(text):
        return read_po(path, text, src_lang, tgt_lang)
    if "\t" in _LINE_BREAK.split(head, maxsplit=1)[0]:
        return _read_tsv(path, text, src_lang, tgt_lang)
    raise InputError(path, "not a bilingual file (expected JSONL, TSV, XLIFF, TMX or PO)", kind="unsupported-format",
                     hint="use the extensions .jsonl, .tsv, .xlf, .xliff, .sdlxliff, .mqxliff, .mxliff, .txlf, .tmx "
                          "or .po")


def _looks_like_xml(data: bytes) -> bool:
    head = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    return head[:1024].lstrip(b" \t\r\n").startswith(b"<")


# --- JSONL -----------------------------------------------------------------------------------------------


def _read_jsonl(path: Path, text: str, src_lang: str | None, tgt_lang: str | None) -> BilingualFile:
    """One JSON object a line; unknown keys are ignored because exports carry metadata (scores, domains)."""
    units: list[BilingualUnit] = []
    langs: tuple[str | None, str | None] = (None, None)
    langs_line = 0
    for number, obj in jsonl_objects(text):
        if isinstance(obj, str):
            raise malformed(path, number, obj)
        line_langs = _jsonl_langs(path, number, obj)
        for i in (0, 1):
            if line_langs[i] and langs[i] and line_langs[i] != langs[i]:
                raise malformed(path, number, f"language pair {pair_name(line_langs)} differs from {pair_name(langs)} "
                                               f"on line {langs_line}; split the file by language pair")
        if any(line_langs) and not all(langs):
            langs = (langs[0] or line_langs[0], langs[1] or line_langs[1])
            langs_line = langs_line or number
        if not any(name in obj for name in _ROLE_NAMES["target"]):
            raise malformed(path, number, "no target text: expected one of the keys 'mt', 'target', 'translation' "
                                           f"(found {', '.join(map(repr, obj)) or 'none'})")
        raw_id = obj.get("id")
        if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, str | int)):
            raise malformed(path, number, f"'id' must be a string or an integer, found {type(raw_id).__name__}")
        unit = make_unit(
            str(raw_id) if raw_id is not None and raw_id != "" else str(number),
            _jsonl_field(path, number, obj, "source"),
            _jsonl_field(path, number, obj, "target"),
            _jsonl_field(path, number, obj, "reference"),
            number,
        )
        if unit is not None:
            units.append(unit)
    return finish(path, "jsonl", langs[0] or primary_lang(src_lang), langs[1] or primary_lang(tgt_lang), units)


def _jsonl_field(path: Path, number: int, obj: dict[str, object], role: str) -> str | None:
    present = [name for name in _ROLE_NAMES[role] if name in obj]
    if len(present) > 1:
        raise malformed(path, number, f"both {present[0]!r} and {present[1]!r} given; keep one")
    if not present:
        return None
    value = obj[present[0]]
    if value is not None and not isinstance(value, str):
        raise malformed(path, number, f"{present[0]!r} must be a string, found {type(value).__name__}")
    return value


def _jsonl_langs(path: Path, number: int, obj: dict[str, object]) -> tuple[str | None, str | None]:
    values = {}
    for key in ("src_lang", "tgt_lang", "lp"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise malformed(path, number, f"{key!r} must be a string, found {type(value).__name__}")
        values[key] = value
    src, tgt = primary_lang(values["src_lang"]), primary_lang(values["tgt_lang"])
    lp = values["lp"]
    if lp:
        parts = lp.split("-")
        if len(parts) != 2 or not primary_lang(parts[0]) or not primary_lang(parts[1]):
            raise malformed(path, number, f"'lp' must name a pair such as 'zh-de', found {lp!r}")
        src, tgt = src or primary_lang(parts[0]), tgt or primary_lang(parts[1])
    return src, tgt


# --- TSV -------------------------------------------------------------------------------------------------


def _read_tsv(path: Path, text: str, src_lang: str | None, tgt_lang: str | None) -> BilingualFile:
    """``src TAB mt [TAB ref]``, or columns named by a header line; fields are kept exactly (no quoting)."""
    lines = _LINE_BREAK.split(text)
    columns: tuple[str | None, ...] | None = None
    header_line = 0
    units: list[BilingualUnit] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if header_line == 0 and columns is None:
            # Only the first non-blank line may be a header.
            header_line = -1
            columns = _tsv_header(path, number, cells)
            if columns is not None:
                header_line = number
                continue
        if columns is not None:
            if len(cells) != len(columns):
                raise malformed(path, number, f"expected {len(columns)} tab-separated columns (as in the header on "
                                               f"line {header_line}), found {len(cells)}")
            row = {role: cell for role, cell in zip(columns, cells, strict=True) if role}
        else:
            if len(cells) not in (2, 3):
                raise malformed(path, number, f"expected 2 or 3 tab-separated columns (src, mt[, ref]), "
                                               f"found {len(cells)}")
            row = dict(zip(_TSV_DEFAULT_COLUMNS, cells, strict=False))
        unit = make_unit(row.get("id") or str(number), row.get("source"), row.get("target"), row.get("reference"),
                     number)
        if unit is not None:
            units.append(unit)
    return finish(path, "tsv", primary_lang(src_lang), primary_lang(tgt_lang), units)


def _tsv_header(path: Path, number: int, cells: list[str]) -> tuple[str | None, ...] | None:
    """The roles of the columns if this first line is a header (it names a target column), else ``None``.

    Columns with other names are kept as ``None`` and ignored, like unknown JSONL keys.
    """
    roles = [_COLUMN_ROLES.get(cell.strip().lower()) for cell in cells]
    if "target" not in roles:
        return None
    for role in set(roles) - {None}:
        named = [cells[i].strip() for i, r in enumerate(roles) if r == role]
        if len(named) > 1:
            raise malformed(path, number, f"header names the {role} column twice ({', '.join(named)})")
    return tuple(roles)


# --- XML -------------------------------------------------------------------------------------------------


def _read_xml(path: Path, data: bytes, src_lang: str | None, tgt_lang: str | None) -> BilingualFile:
    parsed = parse_xml(path, data)
    root = parsed.root
    name, ns = local(root), ns_of(root)
    if name == "xliff":
        if ns == XLIFF2_NS or root.get("version", "").startswith("2"):
            read = Xliff2(path, parsed).read(src_lang, tgt_lang)
        else:
            read = Xliff1(path, parsed).read(src_lang, tgt_lang)
        return dataclasses.replace(read, encoding=parsed.encoding)
    if name == "tmx":
        return dataclasses.replace(Tmx(path, parsed).read(src_lang, tgt_lang), encoding=parsed.encoding)
    raise malformed(path, parsed.lines.get(root), f"root element <{name}> is neither <xliff> nor <tmx>")
