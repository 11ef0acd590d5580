"""Bilingual files: JSONL, TSV, XLIFF 1.2, XLIFF 2.x and TMX 1.4, read into units of source and target text.

Every text is kept exactly as decoded (JSONL/TSV) or as the XML parser delivers it (XML itself turns a
literal CRLF into LF; a ``&#13;`` character reference survives), because issue offsets point into it.
XML is parsed with defusedxml: entity declarations (billion laughs, external entities) are refused, and
a DTD named in ``<!DOCTYPE>`` is never fetched.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element, TreeBuilder

import defusedxml.ElementTree as safe_etree
from defusedxml import DefusedXmlException

from tqcheck.errors import InputError
from tqcheck.readers.paths import primary_lang
from tqcheck.readers.text import decode_bytes, jsonl_objects, read_bytes

__all__ = ["FORMATS", "BilingualFile", "BilingualUnit", "read_bilingual"]

FORMATS = ("jsonl", "tsv", "xliff-1.2", "xliff-2", "tmx")
_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_TSV_SUFFIXES = frozenset({".tsv", ".tab"})
_XML_SUFFIXES = frozenset({".xlf", ".xliff", ".tmx", ".xml"})

# Field names accepted for each role, in JSONL keys and TSV headers alike (tools spell them differently).
_ROLE_NAMES = {
    "source": ("src", "source"),
    "target": ("mt", "target", "translation"),
    "reference": ("ref", "reference"),
    "id": ("id",),
}
_COLUMN_ROLES = {name: role for role, names in _ROLE_NAMES.items() for name in names}
_TSV_DEFAULT_COLUMNS = ("source", "target", "reference")

_XLIFF1_NS = "urn:oasis:names:tc:xliff:document:1.2"
_XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the same line ends as Document.line_col, so line numbers agree


@dataclass(frozen=True, slots=True)
class BilingualUnit:
    """One translation unit: a source text, its translation and maybe a human reference.

    ``target`` is ``""`` for an untranslated unit (the pipeline reports it); ``source`` and ``reference``
    are ``None`` where the file has none. ``line`` is the 1-based line where the unit starts in the file.
    """

    id: str
    source: str | None
    target: str
    reference: str | None
    line: int | None


@dataclass(frozen=True, slots=True)
class BilingualFile:
    """A bilingual file's units and the language pair it declares (primary subtags, e.g. ``zh``, ``de``)."""

    path: Path
    format: str  # one of FORMATS
    src_lang: str | None
    tgt_lang: str | None
    units: tuple[BilingualUnit, ...]


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
    if suffix in _XML_SUFFIXES:
        return _read_xml(path, data, src_lang, tgt_lang)
    if suffix in _JSONL_SUFFIXES:
        return _read_jsonl(path, decode_bytes(data, path)[0], src_lang, tgt_lang)
    if suffix in _TSV_SUFFIXES:
        return _read_tsv(path, decode_bytes(data, path)[0], src_lang, tgt_lang)
    text, _ = decode_bytes(data, path)
    head = text.lstrip()
    if head.startswith("<"):
        return _read_xml(path, data, src_lang, tgt_lang)
    if head.startswith("{"):
        return _read_jsonl(path, text, src_lang, tgt_lang)
    if "\t" in _LINE_BREAK.split(head, maxsplit=1)[0]:
        return _read_tsv(path, text, src_lang, tgt_lang)
    raise InputError(path, "not a bilingual file (expected JSONL, TSV, XLIFF or TMX)", kind="unsupported-format",
                     hint="use the extensions .jsonl, .tsv, .xlf, .xliff or .tmx")


def _malformed(path: Path, line: int | None, problem: str) -> InputError:
    return InputError(path, f"line {line}: {problem}" if line else problem, kind="malformed")


def _finish(path: Path, fmt: str, src: str | None, tgt: str | None, units: list[BilingualUnit]) -> BilingualFile:
    """Check that unit ids are unique (callers key results by them) and build the file."""
    first: dict[str, int | None] = {}
    for unit in units:
        if unit.id in first:
            raise _malformed(path, unit.line, f"duplicate unit id {unit.id!r} (first on line {first[unit.id]})")
        first[unit.id] = unit.line
    return BilingualFile(path, fmt, src, tgt, tuple(units))


def _unit(uid: str, source: str | None, target: str | None, reference: str | None, line: int) -> BilingualUnit | None:
    """A unit, or ``None`` when it has neither source nor target text (nothing to check)."""
    if not source and not target:
        return None
    # An empty source or reference is no source or reference; an empty target is an untranslated unit.
    return BilingualUnit(uid, source or None, target or "", reference or None, line)


# --- JSONL -----------------------------------------------------------------------------------------------


def _read_jsonl(path: Path, text: str, src_lang: str | None, tgt_lang: str | None) -> BilingualFile:
    """One JSON object a line; unknown keys are ignored because exports carry metadata (scores, domains)."""
    units: list[BilingualUnit] = []
    langs: tuple[str | None, str | None] = (None, None)
    langs_line = 0
    for number, obj in jsonl_objects(text):
        if isinstance(obj, str):
            raise _malformed(path, number, obj)
        line_langs = _jsonl_langs(path, number, obj)
        for i in (0, 1):
            if line_langs[i] and langs[i] and line_langs[i] != langs[i]:
                raise _malformed(path, number, f"language pair {_pair(line_langs)} differs from {_pair(langs)} "
                                               f"on line {langs_line}; split the file by language pair")
        if any(line_langs) and not all(langs):
            langs = (langs[0] or line_langs[0], langs[1] or line_langs[1])
            langs_line = langs_line or number
        if not any(name in obj for name in _ROLE_NAMES["target"]):
            raise _malformed(path, number, "no target text: expected one of the keys 'mt', 'target', 'translation' "
                                           f"(found {', '.join(map(repr, obj)) or 'none'})")
        raw_id = obj.get("id")
        if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, str | int)):
            raise _malformed(path, number, f"'id' must be a string or an integer, found {type(raw_id).__name__}")
        unit = _unit(
            str(raw_id) if raw_id is not None and raw_id != "" else str(number),
            _jsonl_field(path, number, obj, "source"),
            _jsonl_field(path, number, obj, "target"),
            _jsonl_field(path, number, obj, "reference"),
            number,
        )
        if unit is not None:
            units.append(unit)
    return _finish(path, "jsonl", langs[0] or primary_lang(src_lang), langs[1] or primary_lang(tgt_lang), units)


def _pair(langs: tuple[str | None, str | None]) -> str:
    return f"{langs[0] or '?'}-{langs[1] or '?'}"


def _jsonl_field(path: Path, number: int, obj: dict[str, object], role: str) -> str | None:
    present = [name for name in _ROLE_NAMES[role] if name in obj]
    if len(present) > 1:
        raise _malformed(path, number, f"both {present[0]!r} and {present[1]!r} given; keep one")
    if not present:
        return None
    value = obj[present[0]]
    if value is not None and not isinstance(value, str):
        raise _malformed(path, number, f"{present[0]!r} must be a string, found {type(value).__name__}")
    return value


def _jsonl_langs(path: Path, number: int, obj: dict[str, object]) -> tuple[str | None, str | None]:
    values = {}
    for key in ("src_lang", "tgt_lang", "lp"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise _malformed(path, number, f"{key!r} must be a string, found {type(value).__name__}")
        values[key] = value
    src, tgt = primary_lang(values["src_lang"]), primary_lang(values["tgt_lang"])
    lp = values["lp"]
    if lp:
        parts = lp.split("-")
        if len(parts) != 2 or not primary_lang(parts[0]) or not primary_lang(parts[1]):
            raise _malformed(path, number, f"'lp' must name a pair such as 'zh-de', found {lp!r}")
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
                raise _malformed(path, number, f"expected {len(columns)} tab-separated columns (as in the header on "
                                               f"line {header_line}), found {len(cells)}")
            row = {role: cell for role, cell in zip(columns, cells, strict=True) if role}
        else:
            if len(cells) not in (2, 3):
                raise _malformed(path, number, f"expected 2 or 3 tab-separated columns (src, mt[, ref]), "
                                               f"found {len(cells)}")
            row = dict(zip(_TSV_DEFAULT_COLUMNS, cells, strict=False))
        unit = _unit(row.get("id") or str(number), row.get("source"), row.get("target"), row.get("reference"),
                     number)
        if unit is not None:
            units.append(unit)
    return _finish(path, "tsv", primary_lang(src_lang), primary_lang(tgt_lang), units)


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
            raise _malformed(path, number, f"header names the {role} column twice ({', '.join(named)})")
    return tuple(roles)


# --- XML -------------------------------------------------------------------------------------------------


class _LineTreeBuilder(TreeBuilder):
    """A tree builder that remembers the line of each element's start tag (ElementTree keeps none)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Element, int] = {}
        self.parser: safe_etree.DefusedXMLParser | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> Element:  # type: ignore[override]
        elem = super().start(tag, attrs)
        if self.parser is not None:
            # defusedxml uses the pure-Python XMLParser, whose expat parser is ``.parser``.
            self.lines[elem] = self.parser.parser.CurrentLineNumber
        return elem


def _parse_xml(path: Path, data: bytes) -> tuple[Element, dict[Element, int]]:
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"):
        raise InputError(path, "file is empty", kind="empty")
    builder = _LineTreeBuilder()
    parser = safe_etree.DefusedXMLParser(target=builder)
    builder.parser = parser
    try:
        # Bytes, not text: expat honours the encoding in the XML declaration and a UTF-16 byte-order mark.
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as err:
        line = parser.parser.CurrentLineNumber
        raise InputError(
            path, f"line {line}: unsafe XML: {_describe_unsafe(err)}", kind="unsafe-xml",
            hint="entity declarations are refused to prevent entity-expansion and external-entity attacks",
        ) from err
    except safe_etree.ParseError as err:
        line, column = err.position
        reason = str(err).rsplit(": line ", 1)[0]
        raise InputError(path, f"line {line}, column {column + 1}: not well-formed XML: {reason}",
                         kind="malformed") from err
    return root, builder.lines


def _describe_unsafe(err: DefusedXmlException) -> str:
    name = getattr(err, "name", None)
    system_id = getattr(err, "sysid", None)
    if name and system_id:
        return f"declares the external entity {name!r} ({system_id})"
    if system_id:
        return f"refers to the external resource {system_id}"
    if name:
        return f"declares the entity {name!r}"
    return type(err).__name__


def _ns(elem: Element) -> str:
    return elem.tag[1:].split("}", 1)[0] if elem.tag.startswith("{") else ""


def _local(elem: Element) -> str:
    return elem.tag.rsplit("}", 1)[-1]


def _read_xml(path: Path, data: bytes, src_lang: str | None, tgt_lang: str | None) -> BilingualFile:
    root, lines = _parse_xml(path, data)
    name, ns = _local(root), _ns(root)
    if name == "xliff":
        if ns == _XLIFF2_NS or root.get("version", "").startswith("2"):
            return _Xliff2(path, root, lines).read(src_lang, tgt_lang)
        return _Xliff1(path, root, lines).read(src_lang, tgt_lang)
    if name == "tmx":
        return _Tmx(path, root, lines).read(src_lang, tgt_lang)
    raise _malformed(path, lines.get(root), f"root element <{name}> is neither <xliff> nor <tmx>")


def _inline_text(elem: Element) -> str:
    """The text of a source/target/seg element with its inline markup dropped.

    Text inside inline elements (``<g>``, ``<mrk>``, ``<pc>``, ``<ph>``, ``<bpt>``…) is kept, so
    placeholders such as ``%s`` stay comparable between source and target; XLIFF 2's ``<cp hex>``
    stands for a character XML cannot carry and becomes that character.
    """
    parts = [elem.text or ""]
    for child in elem:
        if _local(child) == "cp" and child.get("hex"):
            # A bad hex value stands for no character we could check: leave it out rather than fail the file.
            with contextlib.suppress(ValueError, OverflowError):
                parts.append(chr(int(child.get("hex", ""), 16)))
        else:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _XmlReader:
    """Shared state of the XML dialect readers: the file, its tree and the line of each element."""

    def __init__(self, path: Path, root: Element, lines: dict[Element, int]) -> None:
        self.path = path
        self.root = root
        self.lines = lines
        self.ns = _ns(root)

    def _is(self, elem: Element, name: str) -> bool:
        # Only elements of the document's own namespace: extensions (sdl:, okp:…) may reuse local names.
        return elem.tag == (f"{{{self.ns}}}{name}" if self.ns else name)

    def _child(self, elem: Element, name: str) -> Element | None:
        return next((c for c in elem if self._is(c, name)), None)

    def line(self, elem: Element) -> int:
        return self.lines.get(elem, 0)

    def files(self) -> list[Element]:
        return [c for c in self.root if self._is(c, "file")]

    def _langs(self, declared: list[tuple[Element, str | None, str | None]]) -> tuple[str | None, str | None]:
        """The one language pair of all ``<file>`` elements: units of one BilingualFile share a pair."""
        first: tuple[Element, str | None, str | None] | None = None
        for elem, src, tgt in declared:
            pair = (primary_lang(src), primary_lang(tgt))
            if first is None:
                first = (elem, *pair)
            elif pair != first[1:]:
                raise _malformed(self.path, self.line(elem),
                                 f"<file> declares {_pair(pair)} but the <file> on line {self.line(first[0])} "
                                 f"declares {_pair(first[1:])}; split the file by language pair")
        return (first[1], first[2]) if first else (None, None)

    def _file_prefix(self, file_elem: Element, key: str, index: int, several: bool) -> str:
        # Unit ids are unique only within a <file>: prefix them when a document has several.
        return f"{file_elem.get(key) or index}/" if several else ""


class _Xliff1(_XmlReader):
    """XLIFF 1.x: ``file@source-language``, ``trans-unit@id`` with ``source``/``target`` (or ``seg-source``)."""

    def read(self, src_lang: str | None, tgt_lang: str | None) -> BilingualFile:
        files = self.files()
        src, tgt = self._langs([(f, f.get("source-language"), f.get("target-language")) for f in files])
        units: list[BilingualUnit] = []
        for index, file_elem in enumerate(files, start=1):
            prefix = self._file_prefix(file_elem, "original", index, len(files) > 1)
            body = self._child(file_elem, "body")
            if body is not None:
                units.extend(self._walk(body, prefix, translate=file_elem.get("translate") != "no"))
        return _finish(self.path, "xliff-1.2", src or primary_lang(src_lang), tgt or primary_lang(tgt_lang), units)

    def _walk(self, elem: Element, prefix: str, translate: bool) -> Iterator[BilingualUnit]:
        for child in elem:
            # translate="no" marks text that must stay as it is: checking it as a translation is noise.
            keep = translate and child.get("translate") != "no"
            if self._is(child, "group"):
                yield from self._walk(child, prefix, keep)
            elif self._is(child, "trans-unit") and keep:
                yield from self._trans_unit(child, prefix)

    def _trans_unit(self, tu: Element, prefix: str) -> Iterator[BilingualUnit]:
        uid = prefix + (tu.get("id") or str(self.line(tu)))
        source, target = self._child(tu, "source"), self._child(tu, "target")
        seg_source = self._child(tu, "seg-source")
        if seg_source is not None and target is not None:
            src_segs, tgt_segs = self._segments(seg_source), self._segments(target)
            if src_segs and tgt_segs:
                yield from self._mrk_units(uid, src_segs, tgt_segs)
                return
        unit = _unit(uid, _inline_text(source) if source is not None else None,
                     _inline_text(target) if target is not None else None, None, self.line(tu))
        if unit is not None:
            yield unit

    def _segments(self, elem: Element) -> list[Element]:
        return [m for m in elem.iter() if self._is(m, "mrk") and m.get("mtype") == "seg"]

    def _mrk_units(self, uid: str, src_segs: list[Element], tgt_segs: list[Element]) -> Iterator[BilingualUnit]:
        """One unit per ``<mrk mtype="seg">`` of ``seg-source``, matched with the target's by ``mid``."""
        targets = {m.get("mid"): m for m in tgt_segs}
        for index, mrk in enumerate(src_segs, start=1):
            mid = mrk.get("mid") or str(index)
            tgt = targets.get(mid)
            sid = f"{uid}/{mid}" if len(src_segs) > 1 else uid
            unit = _unit(sid, _inline_text(mrk), _inline_text(tgt) if tgt is not None else None, None,
                         self.line(tgt if tgt is not None else mrk))
            if unit is not None:
                yield unit


class _Xliff2(_XmlReader):
    """XLIFF 2.x: ``xliff@srcLang/trgLang``, ``unit@id`` → ``segment`` → ``source``/``target``."""

    def read(self, src_lang: str | None, tgt_lang: str | None) -> BilingualFile:
        src, tgt = self._langs([(self.root, self.root.get("srcLang"), self.root.get("trgLang"))])
        files = self.files()
        units: list[BilingualUnit] = []
        for index, file_elem in enumerate(files, start=1):
            prefix = self._file_prefix(file_elem, "id", index, len(files) > 1)
            units.extend(self._walk(file_elem, prefix, translate=file_elem.get("translate") != "no"))
        return _finish(self.path, "xliff-2", src or primary_lang(src_lang), tgt or primary_lang(tgt_lang), units)

    def _walk(self, elem: Element, prefix: str, translate: bool) -> Iterator[BilingualUnit]:
        for child in elem:
            keep = translate and child.get("translate") != "no"
            if self._is(child, "group"):
                yield from self._walk(child, prefix, keep)
            elif self._is(child, "unit") and keep:
                yield from self._unit(child, prefix)

    def _unit(self, unit: Element, prefix: str) -> Iterator[BilingualUnit]:
        uid = prefix + (unit.get("id") or str(self.line(unit)))
        # <ignorable> holds the white space between segments: not translated, not checked.
        segments = [s for s in unit if self._is(s, "segment")]
        for index, seg in enumerate(segments, start=1):
            source, target = self._child(seg, "source"), self._child(seg, "target")
            sid = f"{uid}/{seg.get('id') or index}" if len(segments) > 1 else uid
            made = _unit(sid, _inline_text(source) if source is not None else None,
                         _inline_text(target) if target is not None else None, None, self.line(seg))
            if made is not None:
                yield made


class _Tmx(_XmlReader):
    """TMX 1.4: ``tu`` → ``tuv xml:lang`` → ``seg``; the source is ``header@srclang`` unless told otherwise."""

    def read(self, src_lang: str | None, tgt_lang: str | None) -> BilingualFile:
        header = self._child(self.root, "header")
        body = self._child(self.root, "body")
        tus = [tu for tu in body.iter() if self._is(tu, "tu")] if body is not None else []
        tags = sorted({self._lang(tuv) for tu in tus for tuv in self._tuvs(tu)} - {""})
        declared = header.get("srclang") if header is not None else None
        if not tus:
            return BilingualFile(self.path, "tmx", primary_lang(src_lang or declared), primary_lang(tgt_lang), ())
        src = self._choose_src(src_lang, tgt_lang, declared, tags)
        tgt = self._choose_tgt(tgt_lang, src, tags)
        primaries = {primary_lang(t) for t in tags}
        for role, lang in (("source", src), ("target", tgt)):
            if primary_lang(lang) not in primaries:
                raise InputError(self.path, f"no <tuv> in the {role} language {lang} (the file has {', '.join(tags)})",
                                 kind="language-mismatch", hint="pass --src-lang/--tgt-lang naming languages it has")
        if primary_lang(src) == primary_lang(tgt):
            raise InputError(self.path, f"source and target language are both {src}", kind="language-mismatch",
                             hint="pass --src-lang/--tgt-lang naming two different languages")
        units: list[BilingualUnit] = []
        for tu in tus:
            source = self._seg(tu, src)
            target = self._seg(tu, tgt)
            unit = _unit(tu.get("tuid") or str(self.line(tu)), source, target, None, self.line(tu))
            if unit is not None:
                units.append(unit)
        return _finish(self.path, "tmx", primary_lang(src), primary_lang(tgt), units)

    def _tuvs(self, tu: Element) -> list[Element]:
        return [t for t in tu if self._is(t, "tuv")]

    @staticmethod
    def _lang(tuv: Element) -> str:
        # TMX 1.4 uses xml:lang; TMX 1.1 used a plain lang attribute.
        return (tuv.get(_XML_LANG) or tuv.get("lang") or "").strip()

    def _choose_src(self, src_lang: str | None, tgt_lang: str | None, declared: str | None, tags: list[str]) -> str:
        if src_lang:
            return src_lang
        if declared and primary_lang(declared):
            return declared
        others = {primary_lang(t) for t in tags} - {primary_lang(tgt_lang)}
        if tgt_lang and len(others) == 1:
            return others.pop() or ""
        raise InputError(self.path, f"cannot tell the source language: header srclang is {declared!r} and the file "
                                    f"has {', '.join(tags) or 'no languages'}", kind="ambiguous-language",
                         hint="pass --src-lang and --tgt-lang")

    def _choose_tgt(self, tgt_lang: str | None, src: str, tags: list[str]) -> str:
        if tgt_lang:
            return tgt_lang
        others = sorted({primary_lang(t) or t for t in tags} - {primary_lang(src)})
        if len(others) == 1:
            return others[0]
        found = f"the languages {', '.join(others)} besides {src}" if others else f"only {src}"
        raise InputError(self.path, f"cannot tell the target language: the file has {found}",
                         kind="ambiguous-language", hint="pass --tgt-lang")

    def _seg(self, tu: Element, lang: str) -> str | None:
        """The text of the tuv in ``lang``: an exact tag match first, then the same primary language."""
        tuvs = self._tuvs(tu)
        matches = [t for t in tuvs if self._lang(t).lower() == lang.lower()]
        if not matches:
            matches = [t for t in tuvs if primary_lang(self._lang(t)) == primary_lang(lang)]
        if len(matches) > 1:
            raise _malformed(self.path, self.line(tu), f"several <tuv> in {lang} "
                                                       f"({', '.join(self._lang(t) for t in matches)}); "
                                                       "pass the full tag, e.g. --tgt-lang " + self._lang(matches[-1]))
        if not matches:
            return None
        seg = self._child(matches[0], "seg")
        return _inline_text(seg) if seg is not None else None
