"""XML shared by the XLIFF and TMX readers: safe parsing with line numbers, any declared encoding, inline codes.

XML is parsed with defusedxml: entity declarations (billion laughs, external entities) are refused, and a
DTD named in ``<!DOCTYPE>`` is never fetched. Expat itself decodes only UTF-8, UTF-16, ISO-8859-1 and
ASCII; a file declaring another encoding (GBK, GB2312, Big5, Shift_JIS, windows-1252…) is decoded here with
that codec and handed to expat as UTF-8 with the declaration rewritten in place, so line numbers stay.

Inline codes become atomic markers in the text (:func:`inline_text`): paired codes ``<N>``…``</N>``,
standalone ones ``<N/>``, each listed as an :class:`~tqcheck.types.InlineCode`. XLIFF 2 ``<cp hex>`` carries
a code point that XML cannot hold; its native is that character, except for a lone surrogate (D800–DFFF)
or a value that names no code point: then the code stays, standalone, with native ``None``, because a
surrogate alone is no character that any UTF can encode, show or put back into a file.

Nesting is bounded: a file whose elements nest deeper than :data:`MAX_DEPTH` (1,000) levels, inline codes
and groups included, is refused as ``malformed`` while it is parsed, at the line and column of the first
element that goes too deep. Real XLIFF and TMX files nest a few levels (libxml2 refuses more than 256 unless
told otherwise); such a file is generated or damaged, and checking the thousands of codes it holds would
take minutes for nothing. Below the limit every walk over the tree uses an explicit stack, no recursion, so
no depth meets Python's recursion limit and reading costs time linear in the size of the file.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple
from xml.etree.ElementTree import Element, TreeBuilder

import defusedxml.ElementTree as safe_etree
from defusedxml import DefusedXmlException

from tqcheck.errors import InputError
from tqcheck.readers.paths import primary_lang
from tqcheck.readers.units import malformed
from tqcheck.types import InlineCode, Span

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DECLARATION = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_EXPAT_ENCODINGS = frozenset({"utf8", "utf16", "utf16le", "utf16be", "iso88591", "latin1", "usascii", "ascii"})
# Codecs Python knows that decode bytes into text but are no character encoding a file is written in.
_NOT_CHARSETS = frozenset({"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined"})
_HEX = re.compile(r"[0-9A-Fa-f]+")

MAX_DEPTH = 1_000  # levels of nested elements a file may have (see the module docstring)


Anchor = tuple[int, int, int]  # (offset in a text, file line, file column), both 1-based


class XmlPositions:
    """Where the text of each element stands in the file: anchors of its ``.text`` and ``.tail`` (each offset
    of a run of characters that the file writes as is: an entity or a line break starts a new run) and the
    positions of its start and end tags."""

    def __init__(self) -> None:
        self.text: dict[Element, list[Anchor]] = {}
        self.tail: dict[Element, list[Anchor]] = {}
        self.start: dict[Element, tuple[int, int]] = {}
        self.end: dict[Element, tuple[int, int]] = {}


class _LineTreeBuilder(TreeBuilder):
    """A tree builder that remembers where each element and each run of text stands, and the namespaces declared."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Element, int] = {}
        self.namespaces: set[str] = set()
        self.parser: safe_etree.DefusedXMLParser | None = None
        self.positions = XmlPositions()
        self._slot: list[Anchor] | None = None
        self._offset = 0
        self._depth = 0

    def _here(self) -> tuple[int, int]:
        # defusedxml uses the pure-Python XMLParser, whose expat parser is ``.parser``; expat counts columns
        # from 0, in characters.
        expat = self.parser.parser  # type: ignore[union-attr]
        return expat.CurrentLineNumber, expat.CurrentColumnNumber + 1

    def start(self, tag: str, attrs: dict[str, str]) -> Element:  # type: ignore[override]
        self._depth += 1
        if self._depth > MAX_DEPTH and self.parser is not None:
            raise _TooDeep(tag.rsplit("}", 1)[-1], *self._here())
        elem = super().start(tag, attrs)
        if self.parser is not None:
            here = self._here()
            self.lines[elem] = here[0]
            self.positions.start[elem] = here
            self._slot, self._offset = self.positions.text.setdefault(elem, []), 0
        return elem

    def end(self, tag: str) -> Element:
        self._depth -= 1
        elem = super().end(tag)
        if self.parser is not None:
            self.positions.end[elem] = self._here()
            self._slot, self._offset = self.positions.tail.setdefault(elem, []), 0
        return elem

    def data(self, data: str) -> None:
        if self._slot is not None and data:
            line, column = self._here()
            self._slot.append((self._offset, line, column))
            self._offset += len(data)
        super().data(data)

    def start_ns(self, prefix: str, uri: str) -> None:
        self.namespaces.add(uri)


class _TooDeep(Exception):
    """Raised while parsing by the element that nests deeper than MAX_DEPTH: its name, line and column."""

    def __init__(self, name: str, line: int, column: int) -> None:
        super().__init__(name, line, column)
        self.name, self.line, self.column = name, line, column


class ParsedXml:
    """A parsed XML file: the root, the line of each element, where its texts stand, every namespace URI it
    declares, and the encoding it was written in."""

    def __init__(self, root: Element, lines: dict[Element, int], namespaces: set[str],
                 positions: XmlPositions | None = None, encoding: str = "utf-8") -> None:
        self.root = root
        self.lines = lines
        self.namespaces = namespaces
        self.positions = positions or XmlPositions()
        self.encoding = encoding


def declared_encoding(data: bytes) -> str:
    """The encoding an XML file is written in: its byte-order mark, else its declaration, else UTF-8."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    match = _DECLARATION.match(data)
    return match.group(1).decode("ascii").lower() if match else "utf-8"


def _recode(path: Path, data: bytes) -> bytes:
    """UTF-8 bytes for a file whose declared encoding expat cannot decode; other files unchanged."""
    match = _DECLARATION.match(data)
    if not match:
        return data
    declared = match.group(1).decode("ascii")
    key = declared.lower().replace("-", "").replace("_", "")
    if key in _EXPAT_ENCODINGS:
        return data
    # GBK and GB2312 are subsets of GB18030: decoding with the superset never loses a character.
    codec = "gb18030" if key in {"gbk", "gb2312", "cp936", "gb18030", "euccn"} else declared
    try:
        name = codecs.lookup(codec).name
    except LookupError as err:
        raise InputError(path, f"line 1: the XML declaration names the unknown encoding {declared!r}",
                         kind="encoding", hint="convert the file to UTF-8") from err
    not_charset = InputError(path, f"line 1: the XML declaration names {declared!r}, which is not a character "
                                   "encoding", kind="encoding", hint="fix the encoding declaration or convert the "
                                                                     "file to UTF-8")
    if name in _NOT_CHARSETS:
        raise not_charset
    # Every codec an XML declaration can name here is ASCII-compatible, so the declaration is plain bytes.
    rewritten = data[:match.start(1)] + b"UTF-8" + data[match.end(1):]
    body = rewritten[len(codecs.BOM_UTF8):] if rewritten.startswith(codecs.BOM_UTF8) else rewritten
    try:
        return body.decode(codec).encode("utf-8")
    except LookupError as err:  # a bytes-to-bytes codec (base64, zlib, rot13…): bytes.decode refuses it
        raise not_charset from err
    except UnicodeDecodeError as err:
        offset = err.start + len(data) - len(body)
        line = data[:offset].count(b"\n") + 1
        raise InputError(path, f"line {line}: not valid {declared} as the XML declaration says: {err.reason}",
                         kind="encoding", hint="fix the encoding declaration or convert the file to UTF-8") from err
    except UnicodeError as err:  # a codec that fails without saying where (and cannot encode lone surrogates)
        raise InputError(path, f"line 1: not valid {declared} as the XML declaration says: {err}",
                         kind="encoding", hint="fix the encoding declaration or convert the file to UTF-8") from err


def parse_xml(path: Path, data: bytes) -> ParsedXml:
    """Parse safely; raises InputError ``empty``, ``encoding``, ``unsafe-xml`` or ``malformed`` (with line)."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"):
        raise InputError(path, "file is empty", kind="empty")
    encoding = declared_encoding(data)
    data = _recode(path, data)
    builder = _LineTreeBuilder()
    parser = safe_etree.DefusedXMLParser(target=builder)
    builder.parser = parser
    # Text in runs as the file writes it (not joined across entities and line breaks): each run's position.
    parser.parser.buffer_text = False
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
    except _TooDeep as err:
        raise InputError(
            path, f"line {err.line}, column {err.column}: <{err.name}> is nested deeper than {MAX_DEPTH:,} levels "
                  "of elements (inline codes, groups or others)", kind="malformed",
            hint="real XLIFF and TMX files nest a few levels; this file looks generated or damaged",
        ) from None
    return ParsedXml(root, builder.lines, builder.namespaces, builder.positions, encoding)


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


def ns_of(elem: Element) -> str:
    return elem.tag[1:].split("}", 1)[0] if elem.tag.startswith("{") else ""


def local(elem: Element) -> str:
    return elem.tag.rsplit("}", 1)[-1]


def pair_name(langs: tuple[str | None, str | None]) -> str:
    return f"{langs[0] or '?'}-{langs[1] or '?'}"


class XmlReader:
    """Shared state of the XML dialect readers: the file, its tree and the line of each element."""

    def __init__(self, path: Path, parsed: ParsedXml) -> None:
        self.path = path
        self.root = parsed.root
        self.lines = parsed.lines
        self.namespaces = parsed.namespaces
        self.positions = parsed.positions
        self.ns = ns_of(parsed.root)

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
                raise malformed(self.path, self.line(elem),
                                f"<file> declares {pair_name(pair)} but the <file> on line {self.line(first[0])} "
                                f"declares {pair_name(first[1:])}; split the file by language pair")
        return (first[1], first[2]) if first else (None, None)

    def _units(self, elem: Element, unit: str, translate: bool) -> Iterator[tuple[Element, bool]]:
        """Each ``<unit>`` element (by local name) under ``elem`` and its groups, in document order, with whether
        it is to be translated (``translate="no"`` on it or an enclosing group says not). An explicit stack, not
        recursion: groups may nest as deep as the parser lets them."""
        stack: list[tuple[Iterator[Element], bool]] = [(iter(elem), translate)]
        while stack:
            children, translate = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                continue
            # translate="no" marks text that must stay as it is: kept as a unit in state no-translate.
            keep = translate and child.get("translate") != "no"
            if self._is(child, "group"):
                stack.append((iter(child), keep))
            elif self._is(child, unit):
                yield child, keep

    def _file_prefix(self, file_elem: Element, key: str, index: int, several: bool) -> str:
        # Unit ids are unique only within a <file>: prefix them when a document has several.
        return f"{file_elem.get(key) or index}/" if several else ""


# --- inline codes ----------------------------------------------------------------------------------------

# How each inline element of a dialect is written: (kind, attributes naming its id, native source).
#   kind "pair": open marker, the element's content as text, close marker;
#   "open"/"close"/"standalone": one marker, the element's content (if any) is its native code;
#   "unwrap": no marker, content kept as text; "drop": no marker and no content.
#   native "content": the element's text; "data": XLIFF 2 originalData by dataRef; "hex": <cp>.
_Rule = tuple[str, tuple[str, ...], str | None]
XLIFF1_CODES: dict[str, _Rule] = {
    "g": ("pair", ("id",), None),
    "x": ("standalone", ("id",), None),
    "bx": ("open", ("rid", "id"), None),
    "ex": ("close", ("rid", "id"), None),
    "ph": ("standalone", ("id",), "content"),
    "it": ("standalone", ("id",), "content"),
    "bpt": ("open", ("rid", "id"), "content"),
    "ept": ("close", ("rid", "id"), "content"),
    "mrk": ("pair", ("mid",), None),
    "sub": ("unwrap", (), None),
}
XLIFF2_CODES: dict[str, _Rule] = {
    "pc": ("pair", ("id",), "data"),
    "sc": ("open", ("id",), "data"),
    "ec": ("close", ("startRef", "id"), "data"),
    "ph": ("standalone", ("id",), "data"),
    "cp": ("standalone", (), "hex"),
    "mrk": ("pair", ("id",), None),
    "sm": ("open", ("id",), None),
    "em": ("close", ("startRef",), None),
}
TMX_CODES: dict[str, _Rule] = {
    "bpt": ("open", ("i", "x"), "content"),
    "ept": ("close", ("i",), "content"),
    "ph": ("standalone", ("x",), "content"),
    "it": ("standalone", ("x",), "content"),
    "ut": ("standalone", ("x",), "content"),
    "hi": ("pair", ("x",), None),
    "sub": ("unwrap", (), None),
}
# Trados marks that are no codes: locations (empty), tracked deletions (gone), insertions and comments (text).
_SDL_MRK = {"x-sdl-location": "drop", "x-sdl-deleted": "drop", "x-sdl-added": "unwrap", "x-sdl-comment": "unwrap",
            "seg": "unwrap"}

# A marker to write: (marker, kind, id, element, native, tag position).
_Marker = tuple[str, str, str, str, str | None, tuple[int, int] | None]
# Natives of a code by id, for a paired code (open, close) or a standalone one (open only).
Natives = Mapping[str, tuple[str | None, str | None]]


class InlineText(NamedTuple):
    """A text with its inline codes as markers, the codes in text order, and where the text stands in the file."""

    text: str
    codes: tuple[InlineCode, ...]
    positions: tuple[Anchor, ...]


def inline_text(elem: Element, rules: Mapping[str, _Rule], *, ns: str, natives: Natives | None = None,
                data: Mapping[str, str] | None = None, positions: XmlPositions | None = None) -> InlineText:
    """The text of ``elem`` with each inline code written as a marker, the codes in text order, and (given the
    file's ``positions``) the file line and column of each run of it, a marker standing where its tag does.

    Elements of another namespace than ``ns`` are no codes: their text is kept. ``natives`` gives the
    native codes of codes that carry none themselves (Trados ``tag-defs``), ``data`` XLIFF 2's
    ``originalData``.
    """
    builder = _InlineBuilder(elem, rules, ns, natives or {}, data or {}, positions)
    builder.walk(elem)
    return InlineText("".join(builder.parts), tuple(builder.codes), tuple(builder.anchors))


class _InlineBuilder:
    def __init__(self, elem: Element, rules: Mapping[str, _Rule], ns: str, natives: Natives,
                 data: Mapping[str, str], positions: XmlPositions | None) -> None:
        self.rules = rules
        self.ns = ns
        self.natives = natives
        self.data = data
        self.positions = positions
        self.parts: list[str] = []
        self.length = 0
        self.codes: list[InlineCode] = []
        self.anchors: list[Anchor] = []
        # Codes without an id get running numbers that no named code of this text uses.
        self.used = {value for e in elem.iter() for key in ("id", "rid", "mid", "i", "x", "startRef")
                     if (value := e.get(key))}
        self.counter = 0

    def add(self, text: str, anchors: list[Anchor] | None = None) -> None:
        if text:
            for at, line, column in anchors or ():
                self.anchors.append((self.length + at, line, column))
            self.parts.append(text)
            self.length += len(text)

    def next_id(self) -> str:
        while True:
            self.counter += 1
            if str(self.counter) not in self.used:
                return str(self.counter)

    def marker(self, marker: str, kind: str, cid: str, element: str, native: str | None,
               at: tuple[int, int] | None) -> None:
        start = self.length
        self.add(marker, [(0, *at)] if at is not None else None)
        self.codes.append(InlineCode(Span(start, self.length), kind, cid, element, native))  # type: ignore[arg-type]

    def walk(self, root: Element) -> None:
        """Write ``root``'s content: an explicit stack, not recursion, so that any depth of nesting costs time
        linear in the size of the tree and never meets Python's recursion limit."""
        self._text(root)
        # One frame per element being written: its children still to come, and the close marker (if any)
        # that follows them.
        stack: list[tuple[Iterator[Element], Element, _Marker | None]] = [(iter(root), root, None)]
        while stack:
            children, elem, close = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if close is not None:
                    self.marker(*close)
                if stack:
                    self._tail(elem)
                continue
            descend, close = self.child(child)
            if descend:
                self._text(child)
                stack.append((iter(child), child, close))
            else:
                self._tail(child)

    def _text(self, elem: Element) -> None:
        self.add(elem.text or "", self.positions.text.get(elem) if self.positions is not None else None)

    def _tail(self, elem: Element) -> None:
        self.add(elem.tail or "", self.positions.tail.get(elem) if self.positions is not None else None)

    def _tag_at(self, elem: Element, which: str) -> tuple[int, int] | None:
        if self.positions is None:
            return None
        return (self.positions.start if which == "start" else self.positions.end).get(elem)

    def child(self, child: Element) -> tuple[bool, _Marker | None]:
        """Write the markers that stand before ``child``'s content; return whether its content is written
        too (as text) and the close marker that follows it."""
        name = local(child)
        rule = self.rules.get(name) if ns_of(child) == self.ns else None
        if rule is not None and name == "mrk" and self.rules is XLIFF1_CODES:
            special = _SDL_MRK.get(child.get("mtype", ""))
            if special:
                rule = (special, (), None)
        if rule is None:
            return True, None  # an extension element: its text is text
        action, keys, native_from = rule
        if action == "drop":
            return False, None
        if action == "unwrap":
            return True, None
        cid = next((v for k in keys if (v := child.get(k))), None) or self.next_id()
        defined = self.natives.get(cid, (None, None))
        if action == "pair":
            open_native = self._native(child, native_from, "dataRefStart") if native_from else defined[0]
            close_native = self._native(child, native_from, "dataRefEnd") if native_from else defined[1]
            self.marker(f"<{cid}>", "open", cid, name, open_native, self._tag_at(child, "start"))
            return True, (f"</{cid}>", "close", cid, name, close_native, self._tag_at(child, "end"))
        native = self._native(child, native_from, "dataRef") if native_from else None
        if native is None:
            native = defined[1] if action == "close" else defined[0]
        marker = {"open": f"<{cid}>", "close": f"</{cid}>", "standalone": f"<{cid}/>"}[action]
        self.marker(marker, action, cid, name, native, self._tag_at(child, "start"))
        return False, None

    def _native(self, child: Element, native_from: str, ref_key: str) -> str | None:
        if native_from == "content":
            # The native code of <ph>/<bpt>/<ept>/<it>/<ut>, <sub> text included: never prose.
            return "".join(child.itertext())
        if native_from == "hex":
            # A lone surrogate (D800–DFFF) is no character of any encoded text, a bad value none at all: the
            # code stays, without a native.
            value = child.get("hex", "")
            point = int(value, 16) if _HEX.fullmatch(value) else -1
            return chr(point) if 0 <= point <= 0x10FFFF and not 0xD800 <= point <= 0xDFFF else None
        ref = child.get(ref_key)
        if ref is not None and ref in self.data:
            return self.data[ref]
        return child.get("disp") or child.get("equiv") or None
