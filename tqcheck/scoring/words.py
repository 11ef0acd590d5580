"""Evaluation word count: how big a text is for the MQM scoring model.

MQM (ASTM F2575) counts the words of the source where there is one; languages written without spaces (Chinese,
Japanese, Thai) are counted in characters and turned into word equivalents with a documented factor
(``data/word_factors.json``), so that a Chinese source and a German target of the same article give about the
same count and penalties per 1,000 words mean the same thing in every language pair.
"""

from __future__ import annotations

import array
import bisect
import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from tqcheck import langid, regexcache
from tqcheck.chunking import whitespace_chunks
from tqcheck.rules.base import WORD_RE

_COUNTED_SCRIPTS = frozenset({"Han", "Hiragana", "Katakana", "Thai"})

Unit = Literal["words", "characters"]


@cache
def default_characters_per_word() -> Mapping[str, float]:
    """Characters per word equivalent for the languages counted in characters (zh, ja, th)."""
    data = json.loads(resources.files("tqcheck.scoring").joinpath("data/word_factors.json").read_text("utf-8"))
    return {lang: float(factor) for lang, factor in data.items() if not lang.startswith("_")}


@cache
def _counted_letters() -> re.Pattern[str]:
    """Runs of the letters counted one by one (those of _COUNTED_SCRIPTS) as one regex, so a Chinese text is
    measured by two scans instead of a script lookup per character. The runs are worked out once per machine and
    Python (they follow its Unicode database: 5 ms) and kept in the cache folder."""
    from pathlib import Path

    from tqcheck.datacache import cached_by_content

    runs = cached_by_content("scoring-letters", Path(__file__), repr(langid.script_ranges()).encode(), (__file__,),
                             _letter_runs)
    return regexcache.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in runs) + "]+")


def _letter_runs() -> list[tuple[int, int]]:
    """The (first, last) code points of the runs of letters in the ranges of _COUNTED_SCRIPTS."""
    runs: list[tuple[int, int]] = []
    for start, end, script in langid.script_ranges():
        if script not in _COUNTED_SCRIPTS:
            continue
        block = _code_points(start, end)
        # Letters are a subset of the regex's word characters that are not digits: test those runs whole (one C
        # call each) and look at single characters only in a run that holds a non-letter (a numeral letter).
        for match in _WORD_CHARACTERS.finditer(block):
            if match.group().isalpha():
                _add_run(runs, start + match.start(), start + match.end() - 1)
            else:
                for offset, ch in enumerate(match.group(), start + match.start()):
                    if ch.isalpha():
                        _add_run(runs, offset, offset)
    return runs


_WORD_CHARACTERS = regexcache.compile(r"[^\W\d_]+")


def _code_points(start: int, end: int) -> str:
    """The characters ``start``…``end`` as one string, built in C (a join of 200,000 ``chr`` calls takes 15 ms)."""
    typecode = next(t for t in "IL" if array.array(t).itemsize == 4)
    return array.array(typecode, range(start, end + 1)).tobytes().decode("utf-32-le" if sys.byteorder == "little"
                                                                         else "utf-32-be")


def _add_run(runs: list[tuple[int, int]], first: int, last: int) -> None:
    if runs and runs[-1][1] + 1 == first:
        runs[-1] = (runs[-1][0], last)
    else:
        runs.append((first, last))


@dataclass(frozen=True, slots=True)
class TextSize:
    """The size of a text: ``count`` in its ``unit``, and ``words``, the word equivalent the score divides by."""

    count: int
    unit: Unit
    words: float


def text_size(text: str, lang: str | None, characters_per_word: Mapping[str, float] | None = None) -> TextSize:
    """Words of ``text``; for zh/ja/th the characters of those scripts (plus the words in other scripts).

    ``words`` is ``count`` for languages counted in words; for languages counted in characters it is the
    characters divided by the language's factor, plus the other words (a Latin brand name is one word).
    """
    factors = default_characters_per_word() if characters_per_word is None else characters_per_word
    if lang in factors:
        counted = _counted_letters()
        characters = others = 0
        for chunk in whitespace_chunks(text):
            found = sum(map(len, counted.findall(chunk)))
            # Each run of counted letters is a word break for the other words, as a space would be.
            others += len(WORD_RE.findall(counted.sub(" ", chunk) if found else chunk))
            characters += found
        return TextSize(characters + others, "characters", characters / factors[lang] + others)
    count = _word_count(text)
    return TextSize(count, "words", float(count))


def span_words(text: str, start: int, end: int, lang: str | None) -> float:
    """``text_size(text[start:end], lang).words`` (default factors) without the slice (see :func:`spans_words`)."""
    return spans_words(text, ((start, end),), lang)[0]


def spans_words(text: str, spans: Iterable[tuple[int, int]], lang: str | None) -> list[float]:
    """:func:`span_words` of each ``(start, end)``: routing measures every segment of a document this way, after
    the document was measured whole (:func:`text_size`), whose word starts it reuses.

    ``WORD_RE`` reads no character outside its match, and a match is a run of word characters joined by single
    hyphens or apostrophes, so the search bounded by ``start`` and ``end`` finds the whole text's words that start
    in that range, one for each (a word that ``end`` cuts is found shortened, once), unless ``start`` falls
    inside a word: then the rest of that word is found as well, and the search itself is run.
    """
    if lang in default_characters_per_word():
        return [text_size(text[start:end], lang).words for start, end in spans]
    starts = _word_starts(text)
    found = len(starts)
    counts = []
    for start, end in spans:
        first = bisect.bisect_left(starts, start)
        if not (first < found and starts[first] == start) and _inside_a_word(text, start):
            counts.append(float(len(WORD_RE.findall(text, start, end))))
        else:
            counts.append(float(bisect.bisect_left(starts, end, first) - first))
    return counts


def _inside_a_word(text: str, at: int) -> bool:
    """Whether the characters before and after offset ``at``, where no word starts, are both in one match of
    ``WORD_RE``: a word character (every one is in a match), or a hyphen or apostrophe between two of them."""
    if 0 < at < len(text) and _WORD_CHARACTER.match(text, at):
        return True
    return (0 < at < len(text) - 1 and text[at] in _JOINERS and _WORD_CHARACTER.match(text, at - 1) is not None
            and _WORD_CHARACTER.match(text, at + 1) is not None)


_WORD_CHARACTER = regexcache.compile(r"[^\W_]")  # what WORD_RE's words are made of
_JOINERS = "-'’"  # what joins two runs of them into one word (WORD_RE)
# The starts of the words of the last texts measured (kept with the text, compared by identity): a document
# measured whole, then segment by segment, is searched once. Two: a document with a source measures both.
_MEASURED: list[tuple[str, array.array[int]]] = []
_MEASURED_TEXTS = 2


def _word_starts(text: str) -> array.array[int]:
    """The offsets where the words of ``text`` (``WORD_RE``) start, in order: 4 or 8 bytes a word."""
    for measured, starts in _MEASURED:
        if measured is text:
            return starts
    starts = array.array("i" if len(text) < 2**31 else "q", map(re.Match.start, WORD_RE.finditer(text)))
    _MEASURED[:] = [(text, starts), *_MEASURED[:_MEASURED_TEXTS - 1]]
    return starts


def _word_count(text: str) -> int:
    """``len(WORD_RE.findall(text))``."""
    return len(_word_starts(text))
