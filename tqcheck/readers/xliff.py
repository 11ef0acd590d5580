"""XLIFF 1.2 and its CAT-tool flavours (Trados sdlxliff, memoQ mqxliff, Phrase mxliff, Wordfast txlf), XLIFF 2.x.

The flavour is told by the namespaces a file declares (an ``.xlf`` exported by Trados is still sdlxliff),
else by the extension. Segment states and match values are read as documented in
:mod:`tqcheck.readers.units`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

from tqcheck.readers.paths import primary_lang
from tqcheck.readers.units import BilingualFile, BilingualUnit, finish, make_unit
from tqcheck.readers.xmlbase import XLIFF1_CODES, XLIFF2_CODES, Natives, ParsedXml, XmlReader, inline_text, local
from tqcheck.types import InlineCode, Span

XLIFF1_NS = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
SDL_NS = "http://sdl.com/FileTypes/SdlXliff/1.0"
MQ_NS = "MQXliff"
MEMSOURCE_NS = "http://www.memsource.com/mxlf/2.0"
GS4TR_NS = "http://www.gs4tr.org/schema/xliff-ext"
_FLAVOUR_NS = ((SDL_NS, "sdlxliff"), (MQ_NS, "mqxliff"), (MEMSOURCE_NS, "mxliff"), (GS4TR_NS, "txlf"))
_FLAVOUR_SUFFIX = {".sdlxliff": "sdlxliff", ".mqxliff": "mqxliff", ".mxliff": "mxliff", ".txlf": "txlf"}

_XLIFF1_STATES = {
    "new": "new", "needs-translation": "new",
    "needs-adaptation": "fuzzy", "needs-l10n": "fuzzy",
    "needs-review-adaptation": "draft", "needs-review-l10n": "draft", "needs-review-translation": "draft",
    "translated": "translated", "signed-off": "approved", "final": "final",
}
_XLIFF2_STATES = {"initial": "new", "translated": "translated", "reviewed": "reviewed", "final": "final"}
_SDL_CONF = {
    "Draft": "draft", "RejectedTranslation": "draft", "Translated": "translated",
    "ApprovedTranslation": "reviewed", "RejectedSignOff": "reviewed", "ApprovedSignOff": "approved",
}
_SDL_MT = frozenset({"mt", "nmt", "adaptive-mt"})
_MQ_STATUS = {
    "NotStarted": "new", "MachineTranslated": "mt",
    "Editing": "draft", "PartiallyEdited": "draft", "Pretranslated": "draft", "AssembledFromFragments": "draft",
    "Rejected": "draft", "ManuallyConfirmed": "translated", "Reviewer1Confirmed": "reviewed",
    "Reviewer2Confirmed": "approved",
}

_State = tuple[str | None, str | None, int | None]  # state, state_detail, match


def _percent(value: str | None, scale: float = 1.0) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        return round(float(value) * scale)
    except ValueError:
        return None


def _join(*details: str | None) -> str | None:
    return " ".join(d for d in details if d) or None


def xliff1_flavour(parsed: ParsedXml, path: Path) -> str:
    for uri, name in _FLAVOUR_NS:
        if uri in parsed.namespaces:
            return name
    return _FLAVOUR_SUFFIX.get(path.suffix.lower(), "xliff-1.2")


class Xliff1(XmlReader):
    """XLIFF 1.x: ``file@source-language``, ``trans-unit@id`` with ``source``/``target`` (or ``seg-source``)."""

    def __init__(self, path: Path, parsed: ParsedXml) -> None:
        super().__init__(path, parsed)
        self.flavour = xliff1_flavour(parsed, path)
        self.natives: Natives = {}
        # The sdl:seg elements of the last trans-unit looked at, by id: read once, not once per segment.
        self._sdl_segs: tuple[Element | None, dict[str | None, Element]] = (None, {})

    def read(self, src_lang: str | None, tgt_lang: str | None) -> BilingualFile:
        files = self.files()
        src, tgt = self._langs([(f, f.get("source-language"), f.get("target-language")) for f in files])
        units: list[BilingualUnit] = []
        for index, file_elem in enumerate(files, start=1):
            prefix = self._file_prefix(file_elem, "original", index, len(files) > 1)
            self.natives = self._tag_defs(file_elem) if self.flavour == "sdlxliff" else {}
            body = self._child(file_elem, "body")
            if body is not None:
                for tu, translate in self._units(body, "trans-unit", file_elem.get("translate") != "no"):
                    units.extend(self._trans_unit(tu, prefix, translate))
        return finish(self.path, self.flavour, src or primary_lang(src_lang), tgt or primary_lang(tgt_lang), units)

    def _tag_defs(self, file_elem: Element) -> Natives:
        """Trados keeps the native code of each ``<g>``/``<x>`` in ``header/tag-defs/tag``, by id."""
        natives: dict[str, tuple[str | None, str | None]] = {}
        for tag in file_elem.iter(f"{{{SDL_NS}}}tag"):
            parts = {local(c): "".join(c.itertext()) for c in tag}
            opening = parts.get("bpt", parts.get("ph", parts.get("st")))
            if tag.get("id"):
                natives[tag.get("id", "")] = (opening, parts.get("ept"))
        return natives

    def _text(self, elem: Element | None) -> tuple[str | None, tuple, tuple]:
        if elem is None:
            return None, (), ()
        text, codes, positions = inline_text(elem, XLIFF1_CODES, ns=self.ns, natives=self.natives,
                                             positions=self.positions)
        if self.flavour == "mxliff":
            codes = tuple(sorted((*codes, *phrase_tags(text)), key=lambda c: (c.span.start, c.span.end)))
        return text, codes, positions

    def _trans_unit(self, tu: Element, prefix: str, translate: bool) -> Iterator[BilingualUnit]:
        uid = prefix + (tu.get("id") or str(self.line(tu)))
        source, target = self._child(tu, "source"), self._child(tu, "target")
        seg_source = self._child(tu, "seg-source")
        if seg_source is not None:
            src_segs = self._segments(seg_source)
            tgt_segs = self._segments(target) if target is not None else []
            if src_segs and (tgt_segs or target is None or self.flavour == "sdlxliff"):
                yield from self._mrk_units(tu, uid, src_segs, tgt_segs, translate)
                return
        src_text, src_codes, _ = self._text(source)
        tgt_text, tgt_codes, tgt_positions = self._text(target)
        state = self._state(tu, target, None, translate)
        unit = make_unit(uid, src_text, tgt_text, None, self.line(tu), source_codes=src_codes,
                         target_codes=tgt_codes, state=state[0], state_detail=state[1], match=state[2],
                         target_positions=tgt_positions)
        if unit is not None:
            yield unit

    def _segments(self, elem: Element) -> list[Element]:
        """The outermost ``<mrk mtype="seg">`` in ``elem``: one inside another is part of that segment's text
        (segments do not nest), which also keeps deeply nested marks from costing quadratic time."""
        found: list[Element] = []
        stack = [iter(elem)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
            elif self._is(child, "mrk") and child.get("mtype") == "seg":
                found.append(child)
            else:
                stack.append(iter(child))
        return found

    def _mrk_units(self, tu: Element, uid: str, src_segs: list[Element], tgt_segs: list[Element],
                   translate: bool) -> Iterator[BilingualUnit]:
        """One unit per ``<mrk mtype="seg">`` of ``seg-source``, matched with the target's by ``mid``.

        Trados ids are always ``<trans-unit id>:<mid>``; other tools' ``<id>/<mid>`` when a unit has several.
        """
        targets = {m.get("mid"): m for m in tgt_segs}
        target = self._child(tu, "target")
        for index, mrk in enumerate(src_segs, start=1):
            mid = mrk.get("mid") or str(index)
            tgt = targets.get(mid)
            sid = f"{uid}:{mid}" if self.flavour == "sdlxliff" else f"{uid}/{mid}" if len(src_segs) > 1 else uid
            src_text, src_codes, _ = self._text(mrk)
            tgt_text, tgt_codes, tgt_positions = self._text(tgt)
            state = self._state(tu, target, mid, translate)
            unit = make_unit(sid, src_text, tgt_text, None, self.line(tgt if tgt is not None else mrk),
                             source_codes=src_codes, target_codes=tgt_codes, state=state[0],
                             state_detail=state[1], match=state[2], target_positions=tgt_positions)
            if unit is not None:
                yield unit

    # --- states ---

    def _state(self, tu: Element, target: Element | None, mid: str | None, translate: bool) -> _State:
        if not translate:
            return "no-translate", 'translate="no"', None
        state, detail, match = self._xliff1_state(tu, target)
        if self.flavour == "sdlxliff":
            return self._sdl_state(tu, mid) or (state, detail, match)
        if self.flavour == "mqxliff":
            return self._mq_state(tu, state, detail, match)
        if self.flavour == "mxliff":
            return self._memsource_state(tu, state, detail, match)
        if self.flavour == "txlf":
            return self._gs4tr_state(tu, target, state, detail, match)
        return state, detail, match

    @staticmethod
    def _xliff1_state(tu: Element, target: Element | None) -> _State:
        raw = target.get("state") if target is not None else None
        qualifier = target.get("state-qualifier") if target is not None else None
        state = _XLIFF1_STATES.get(raw or "")
        if qualifier == "mt-suggestion" and state in (None, "new", "draft", "fuzzy"):
            state = "mt"
        if tu.get("approved") == "yes" and state not in ("final",):
            state = "approved"
        detail = _join(f'state="{raw}"' if raw else None, f'state-qualifier="{qualifier}"' if qualifier else None,
                       'approved="yes"' if tu.get("approved") == "yes" else None)
        return state, detail, None

    def _sdl_state(self, tu: Element, mid: str | None) -> _State | None:
        if self._sdl_segs[0] is not tu:
            found = list(tu.iter(f"{{{SDL_NS}}}seg"))
            # The first of each id wins, as does the first of all for a unit without segments (mid None).
            self._sdl_segs = (tu, {**{s.get("id"): s for s in reversed(found)}, None: found[0]} if found else {})
        seg = self._sdl_segs[1].get(mid)
        if seg is None:
            return None
        conf, origin, locked = seg.get("conf"), seg.get("origin"), seg.get("locked") == "true"
        if locked:
            state: str | None = "locked"
        elif conf is None:
            state = "mt" if origin in _SDL_MT else "new"
        elif conf == "Draft" and origin in _SDL_MT:
            state = "mt"
        else:
            state = _SDL_CONF.get(conf)
        detail = _join(f'sdl:conf="{conf}"' if conf else None, f'origin="{origin}"' if origin else None,
                       'locked="true"' if locked else None)
        return state, detail, _percent(seg.get("percent"))

    @staticmethod
    def _mq_state(tu: Element, state: str | None, detail: str | None, match: int | None) -> _State:
        status, locked = tu.get(f"{{{MQ_NS}}}status"), tu.get(f"{{{MQ_NS}}}locked")
        is_locked = locked in ("locked", "true")
        if is_locked:
            state = "locked"
        elif status is not None:
            state = _MQ_STATUS.get(status)
        detail = _join(f'mq:status="{status}"' if status else detail, f'mq:locked="{locked}"' if is_locked else None)
        return state, detail, _percent(tu.get(f"{{{MQ_NS}}}percent"))

    @staticmethod
    def _memsource_state(tu: Element, state: str | None, detail: str | None, match: int | None) -> _State:
        confirmed, locked = tu.get(f"{{{MEMSOURCE_NS}}}confirmed"), tu.get(f"{{{MEMSOURCE_NS}}}locked")
        origin = tu.get(f"{{{MEMSOURCE_NS}}}trans-origin")
        kind = (origin or "").lower()  # exports write "mt" and "MT", "tm" and "TM"
        if locked == "true":
            state = "locked"
        elif confirmed == "1":
            state = "translated"
        elif confirmed is not None and confirmed.isdigit() and int(confirmed) > 1:
            state = "reviewed"  # confirmed in a later workflow step (m:confirmed holds the step's level)
        elif kind == "mt":
            state = "mt"
        elif confirmed == "0":
            state = "draft" if kind and kind != "null" else "new"
        detail = _join(f'm:confirmed="{confirmed}"' if confirmed else detail,
                       f'm:trans-origin="{origin}"' if origin else None,
                       'm:locked="true"' if locked == "true" else None)
        # Phrase records the match as a fraction: 1.0 is 100 %, 1.01 a context match.
        score = _percent(tu.get(f"{{{MEMSOURCE_NS}}}score"), 100)
        return state, detail, score if score else None

    @staticmethod
    def _gs4tr_state(tu: Element, target: Element | None, state: str | None, detail: str | None,
                     match: int | None) -> _State:
        locked = tu.get(f"{{{GS4TR_NS}}}locked") == "true"
        score = tu.get(f"{{{GS4TR_NS}}}score")
        if score is None and target is not None:
            score = target.get(f"{{{GS4TR_NS}}}score")
        if locked:
            state, detail = "locked", _join(detail, 'gs4tr:locked="true"')
        return state, detail, _percent(score)


# Phrase writes its inline tags into the text, not as XML: {1>…<1} and {b>…<b} (i, u, sub, sup) pair, {2} stands
# alone. Read only in .mxliff files, where they cannot be prose.
_PHRASE_TAG = re.compile(r"\{(?P<open>\d{1,3}|[biu]|su[bp])>|<(?P<close>\d{1,3}|[biu]|su[bp])\}|\{(?P<alone>\d{1,3})\}")


def phrase_tags(text: str) -> tuple[InlineCode, ...]:
    """The Phrase tags written in a unit's text, as paired (by their number or letter) or standalone codes."""
    codes = []
    for m in _PHRASE_TAG.finditer(text):
        kind = "open" if m.group("open") else "close" if m.group("close") else "standalone"
        label = m.group("open") or m.group("close") or m.group("alone")
        codes.append(InlineCode(Span(m.start(), m.end()), kind, label, native=m.group()))  # type: ignore[arg-type]
    return tuple(codes)


class Xliff2(XmlReader):
    """XLIFF 2.x: ``xliff@srcLang/trgLang``, ``unit@id`` → ``segment`` → ``source``/``target``."""

    def read(self, src_lang: str | None, tgt_lang: str | None) -> BilingualFile:
        src, tgt = self._langs([(self.root, self.root.get("srcLang"), self.root.get("trgLang"))])
        files = self.files()
        units: list[BilingualUnit] = []
        for index, file_elem in enumerate(files, start=1):
            prefix = self._file_prefix(file_elem, "id", index, len(files) > 1)
            for unit, translate in self._units(file_elem, "unit", file_elem.get("translate") != "no"):
                units.extend(self._unit(unit, prefix, translate))
        return finish(self.path, "xliff-2", src or primary_lang(src_lang), tgt or primary_lang(tgt_lang), units)

    def _unit(self, unit: Element, prefix: str, translate: bool) -> Iterator[BilingualUnit]:
        uid = prefix + (unit.get("id") or str(self.line(unit)))
        data: dict[str, str] = {}
        original = self._child(unit, "originalData")
        if original is not None:
            data = {d.get("id", ""): "".join(d.itertext()) for d in original if self._is(d, "data")}
        # <ignorable> holds the white space between segments: not translated, not checked.
        segments = [s for s in unit if self._is(s, "segment")]
        for index, seg in enumerate(segments, start=1):
            source, target = self._child(seg, "source"), self._child(seg, "target")
            sid = f"{uid}/{seg.get('id') or index}" if len(segments) > 1 else uid
            src_text, src_codes, _ = (inline_text(source, XLIFF2_CODES, ns=self.ns, data=data)
                                      if source is not None else (None, (), ()))
            tgt_text, tgt_codes, tgt_positions = (
                inline_text(target, XLIFF2_CODES, ns=self.ns, data=data, positions=self.positions)
                if target is not None else (None, (), ()))
            raw, sub = seg.get("state"), seg.get("subState")
            if not translate:
                state, detail = "no-translate", 'translate="no"'
            else:
                state, detail = _XLIFF2_STATES.get(raw or ""), _join(f'state="{raw}"' if raw else None,
                                                                      f'subState="{sub}"' if sub else None)
            made = make_unit(sid, src_text, tgt_text, None, self.line(seg), source_codes=src_codes,
                             target_codes=tgt_codes, state=state, state_detail=detail, target_positions=tgt_positions)
            if made is not None:
                yield made
