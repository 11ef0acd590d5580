"""Evaluation word count: how big a text is for the MQM scoring model.

MQM (ASTM F2575) counts the words of the source where there is one; languages written without spaces (Chinese,
Japanese, Thai) are counted in characters and turned into word equivalents with a documented factor
(``data/word_factors.json``), so that a Chinese source and a German target of the same article give about the
same count and penalties per 1,000 words mean the same thing in every language pair.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from tqcheck import langid
from tqcheck.rules.base import WORD_RE

_COUNTED_SCRIPTS = frozenset({"Han", "Hiragana", "Katakana", "Thai"})

Unit = Literal["words", "characters"]


@cache
def default_characters_per_word() -> Mapping[str, float]:
    """Characters per word equivalent for the languages counted in characters (zh, ja, th)."""
    data = json.loads(resources.files("tqcheck.scoring").joinpath("data/word_factors.json").read_text("utf-8"))
    return {lang: float(factor) for lang, factor in data.items() if not lang.startswith("_")}


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
        characters = 0
        rest = []
        for ch in text:
            if ch.isalpha() and langid.script_of(ch) in _COUNTED_SCRIPTS:
                characters += 1
                rest.append(" ")
            else:
                rest.append(ch)
        others = len(WORD_RE.findall("".join(rest)))
        return TextSize(characters + others, "characters", characters / factors[lang] + others)
    count = len(WORD_RE.findall(text))
    return TextSize(count, "words", float(count))
