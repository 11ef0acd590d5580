"""TMX 1.4 (and 1.1's ``lang``): ``tu`` → ``tuv xml:lang`` → ``seg``.

Inline ``bpt``/``ept``/``ph``/``it``/``ut``/``hi`` are codes (markers in the text), see :mod:`.xmlbase`.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from tqcheck.errors import InputError
from tqcheck.readers.paths import primary_lang
from tqcheck.readers.units import BilingualFile, BilingualUnit, finish, make_unit, malformed
from tqcheck.readers.xmlbase import TMX_CODES, XML_LANG, XmlReader, inline_text
from tqcheck.types import InlineCode


class Tmx(XmlReader):
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
            source, source_codes, _ = self._seg(tu, src)
            target, target_codes, target_positions = self._seg(tu, tgt)
            unit = make_unit(tu.get("tuid") or str(self.line(tu)), source, target, None, self.line(tu),
                             source_codes=source_codes, target_codes=target_codes, target_positions=target_positions)
            if unit is not None:
                units.append(unit)
        return finish(self.path, "tmx", primary_lang(src), primary_lang(tgt), units)

    def _tuvs(self, tu: Element) -> list[Element]:
        return [t for t in tu if self._is(t, "tuv")]

    @staticmethod
    def _lang(tuv: Element) -> str:
        # TMX 1.4 uses xml:lang; TMX 1.1 used a plain lang attribute.
        return (tuv.get(XML_LANG) or tuv.get("lang") or "").strip()

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

    def _seg(self, tu: Element, lang: str) -> tuple[str | None, tuple[InlineCode, ...], tuple]:
        """The text of the tuv in ``lang``: an exact tag match first, then the same primary language."""
        tuvs = self._tuvs(tu)
        matches = [t for t in tuvs if self._lang(t).lower() == lang.lower()]
        if not matches:
            matches = [t for t in tuvs if primary_lang(self._lang(t)) == primary_lang(lang)]
        if len(matches) > 1:
            raise malformed(self.path, self.line(tu), f"several <tuv> in {lang} "
                                                       f"({', '.join(self._lang(t) for t in matches)}); "
                                                       "pass the full tag, e.g. --tgt-lang " + self._lang(matches[-1]))
        if not matches:
            return None, (), ()
        seg = self._child(matches[0], "seg")
        return inline_text(seg, TMX_CODES, ns=self.ns, positions=self.positions) if seg is not None else (None, (), ())
