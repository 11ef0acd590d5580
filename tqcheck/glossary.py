"""User glossaries (CSV or TBX): required renderings of source terms, and forbidden target terms.

CSV: a header ``source,target[,forbidden][,note]``; several allowed renderings or forbidden terms are
separated by ``|`` (the first allowed rendering is the preferred one). A row with an empty ``source`` and a
``forbidden`` value forbids that term anywhere. TBX (TBX-Basic / TBX v2 ``termEntry``, TBX v3
``conceptEntry``): terms of the source language are source terms; target terms marked
``deprecatedTerm-admn-sts`` or ``supersededTerm-admn-sts`` are forbidden, the others allowed.
Every malformed line is an error naming ``file:line``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tqcheck.errors import PackError

CSV_COLUMNS = ("source", "target", "forbidden", "note")
_FORBIDDEN_STATUS = {"deprecatedterm-admn-sts", "supersededterm-admn-sts", "deprecated", "superseded", "forbidden"}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# German and English inflect by suffix; allow a short ending so "Bewertungssystem" also finds "…systems".
_INFLECTION = r"\w{0,3}"


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    source: str
    targets: tuple[str, ...]  # allowed renderings, preferred first
    forbidden: tuple[str, ...]
    note: str
    origin: str  # "file:line"

    @property
    def preferred(self) -> str | None:
        return self.targets[0] if self.targets else None


@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...]
    path: Path

    @property
    def forbidden(self) -> tuple[tuple[str, GlossaryEntry], ...]:
        return tuple((term, e) for e in self.entries for term in e.forbidden)


@lru_cache(maxsize=8192)
def term_pattern(term: str) -> re.Pattern[str]:
    """Case-insensitive match of ``term`` as a word (inflected endings allowed for Latin-script terms).

    Memoised: TQ301/TQ710 ask for every glossary term's pattern in every document, and re's own cache holds
    512 patterns, fewer than a large glossary has (each miss is a compile, and a new pattern to analyse)."""
    escaped = re.escape(term.strip())
    if term[:1].isascii() and term[:1].isalnum():
        return re.compile(rf"(?<!\w){escaped}{_INFLECTION}(?!\w)", re.IGNORECASE)
    return re.compile(escaped, re.IGNORECASE)


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def _load_csv(path: Path, text: str) -> list[GlossaryEntry]:
    reader = csv.reader(io.StringIO(text))
    entries: list[GlossaryEntry] = []
    header: list[str] | None = None
    for row in reader:
        number = reader.line_num
        if not row or all(not c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [c.strip().lower() for c in row]
            unknown = [c for c in header if c not in CSV_COLUMNS]
            if unknown or "source" not in header or ("target" not in header and "forbidden" not in header):
                raise PackError(path, number, f"glossary header must name source, target[, forbidden][, note]; "
                                              f"found {', '.join(row)}")
            continue
        if len(row) != len(header):
            raise PackError(path, number, f"expected {len(header)} fields ({', '.join(header)}), found {len(row)}")
        values = dict(zip(header, (c.strip() for c in row), strict=True))
        source, targets = values.get("source", ""), _split(values.get("target", ""))
        forbidden = _split(values.get("forbidden", ""))
        if not source and not forbidden:
            raise PackError(path, number, "a row needs a source term, or a forbidden term")
        if source and not targets and not forbidden:
            raise PackError(path, number, f"source term {source!r} has no target and no forbidden term")
        entries.append(GlossaryEntry(source, targets, forbidden, values.get("note", ""), f"{path}:{number}"))
    if header is None:
        raise PackError(path, None, "glossary is empty (expected a header: source,target,forbidden,note)")
    return entries


def _load_tbx(path: Path, data: bytes, src_lang: str | None, tgt_lang: str | None) -> list[GlossaryEntry]:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(data)
    except DefusedXmlException as err:
        raise PackError(path, None, f"unsafe XML rejected ({type(err).__name__})") from err
    except ElementTree.ParseError as err:
        line = getattr(err, "position", (None,))[0]
        raise PackError(path, line, f"malformed TBX: {err}") from err

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    entries: list[GlossaryEntry] = []
    concepts = [el for el in root.iter() if local(el.tag) in {"termEntry", "conceptEntry"}]
    for number, concept in enumerate(concepts, start=1):
        by_lang: dict[str, list[tuple[str, str]]] = {}
        for lang_set in (el for el in concept.iter() if local(el.tag) == "langSet"):
            lang = (lang_set.get(_XML_LANG) or lang_set.get("lang") or "").lower().split("-")[0]
            for holder in (el for el in lang_set.iter() if local(el.tag) in {"tig", "ntig", "termSec"}):
                term = next((el for el in holder.iter() if local(el.tag) == "term"), None)
                if term is None or not "".join(term.itertext()).strip():
                    continue
                status = next((("".join(el.itertext()) or "").strip().lower() for el in holder.iter()
                               if local(el.tag) in {"termNote", "descrip"}
                               and (el.get("type") or "") in {"administrativeStatus", "normativeAuthorization"}), "")
                by_lang.setdefault(lang, []).append(("".join(term.itertext()).strip(), status))
        langs = list(by_lang)
        src = src_lang if src_lang in by_lang else (langs[0] if langs else None)
        tgt = tgt_lang if tgt_lang in by_lang else next((lang for lang in langs if lang != src), None)
        if src is None or tgt is None:
            continue
        targets = tuple(t for t, status in by_lang[tgt] if status not in _FORBIDDEN_STATUS)
        forbidden = tuple(t for t, status in by_lang[tgt] if status in _FORBIDDEN_STATUS)
        for source, _ in by_lang[src]:
            entries.append(GlossaryEntry(source, targets, forbidden, "", f"{path}:entry {number}"))
    if not entries:
        raise PackError(path, None, f"no term entries for {src_lang or '?'}→{tgt_lang or '?'} in this TBX file")
    return entries


@lru_cache(maxsize=16)
def load_glossary(path: Path, src_lang: str | None = None, tgt_lang: str | None = None) -> Glossary:
    """Load a CSV or TBX glossary; errors name the file and line."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise PackError(path, None, f"cannot read glossary: {err.strerror}") from err
    if path.suffix.lower() in {".tbx", ".xml"} or data.lstrip()[:5] == b"<?xml":
        entries = _load_tbx(path, data, src_lang, tgt_lang)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise PackError(path, None, f"glossary is not UTF-8: {err}") from err
        entries = _load_csv(path, text)
    return Glossary(tuple(entries), path)
