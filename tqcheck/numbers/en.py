"""English numbers: number words, dates ("February 11", "11 February 2019"), ordinals, times, decades.

English number words, all in ``data/en_numbers.tsv``: cardinals (two, twenty-one, "nine-year-old"),
"one" on its own, "a/an" only before a scale word or "dozen" ("a million", "a dozen"), "one and a half
million", "half a million", "two dozen", multiples ("tenfold", "ten-fold", "twice"), ordinals ("third",
"forty-eighth", "twentieth"), decades ("the nineties", "the 1980s", "'90s"). "Dozens", "hundreds of",
"billions of" are approximations and stay words.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from tqcheck import regexcache
from tqcheck.numbers import lexicon
from tqcheck.numbers.candidates import scale_may_follow
from tqcheck.numbers.common import NOT_LETTER_AHEAD, SP, D, alternation
from tqcheck.numbers.dates import full_months, month_pattern
from tqcheck.numbers.model import NumberMention, Parsed
from tqcheck.types import Span

if TYPE_CHECKING:
    from tqcheck.numbers.extract import Extractor

UNITS = lexicon.of_class("en", "unit")
ARTICLES = lexicon.of_class("en", "article")
TEENS = lexicon.of_class("en", "teen")
TENS = lexicon.of_class("en", "tens")
ORDINALS = lexicon.of_class("en", "ordinal")
DECADES = lexicon.of_class("en", "decade")
MULTIPLES = lexicon.of_class("en", "multiple")
DOZEN = lexicon.of_class("en", "dozen")

_Y = rf"(?:,?{SP}(?P<y>{D}{{4}})(?![0-9０-９]))?"
DATE_RES = (
    regexcache.compile(rf"{month_pattern('en')}{SP}(?P<d>{D}{{1,2}})(?:st|nd|rd|th)?(?![0-9０-９]){_Y}"),
    regexcache.compile(
        rf"(?<![0-9０-９.,])(?P<d>{D}{{1,2}})(?:st|nd|rd|th)?{SP}(?:of{SP})?{month_pattern('en')}{_Y}"
    ),
    regexcache.compile(rf"(?P<mon>{full_months('en')}){SP}(?:of{SP})?(?P<y>{D}{{4}})(?![0-9０-９])"),
)

# 9 a.m., 1.30pm, 9:28 PM, 9 o'clock. English writes the hour of a 12-hour clock; a.m./p.m. settle it.
TIME_RE = regexcache.compile(
    rf"(?<![0-9０-９:.,])(?P<h>{D}{{1,2}})(?:[:.](?P<mi>{D}{{2}}))?{SP}?"
    rf"(?:(?P<ampm>[ap])\.?m\.?(?![A-Za-z])|(?P<oclock>o['’]clock))",
    re.IGNORECASE,
)

# the second part of "twenty-one" … "ninety-nine"
_ONES = {w: v for w, v in {**UNITS, **ARTICLES}.items() if 1 <= v <= 9 and w not in ("a", "an")}
_UNIT_WORDS = alternation(_ONES)
# "twenty-one", "nine", "a"; then "-fold"/"fold" ("tenfold", "ten-fold"). A hyphen may follow
# ("nine-year-old", "twelve-second"), a letter may not.
CARDINAL_RE = regexcache.compile(
    rf"(?<![^\W\d_-])(?P<num>(?:{alternation(TENS)})(?:-(?:{_UNIT_WORDS}))?"
    rf"|{alternation([*UNITS, *TEENS, *ARTICLES, *MULTIPLES])})(?P<mult>-?fold)?{NOT_LETTER_AHEAD}",
    re.IGNORECASE,
)
ORDINAL_RE = regexcache.compile(
    rf"(?<![^\W\d_-])(?:(?P<tens>{alternation(TENS)})-)?(?P<stem>{alternation(ORDINALS)}){NOT_LETTER_AHEAD}",
    re.IGNORECASE,
)
AND_A_HALF_RE = regexcache.compile(rf"{SP}and{SP}a{SP}half{NOT_LETTER_AHEAD}", re.IGNORECASE)
HALF_SCALE_RE = regexcache.compile(rf"(?<![^\W\d_-])half{SP}an?{SP}(?=[mbt]illion|thousand)", re.IGNORECASE)
DECADE_RE = regexcache.compile(
    rf"(?<![0-9０-９.,])['’]?(?P<y>[02-9]0|1[5-9][0-9]0|20[0-9]0)['’]?s(?![^\W_])"
    rf"|(?<![^\W\d_-])(?P<word>{alternation(DECADES)}){NOT_LETTER_AHEAD}",
    re.IGNORECASE,
)
ORDINAL_SUFFIX_RE = regexcache.compile(r"(?:st|nd|rd|th)(?![A-Za-z])")


def word_value(word: str) -> Decimal | None:
    w = word.lower()
    tens, sep, unit = w.partition("-")
    if sep:
        return TENS[tens] + _ONES[unit]
    for table in (UNITS, TEENS, TENS, ARTICLES, MULTIPLES):
        if w in table:
            return table[w]
    return None


def decades(ex: Extractor) -> None:
    for m in ex.finditer(DECADE_RE):
        value = int(m["y"]) if m["y"] else int(DECADES[m["word"].lower()])
        ex.add_decade(m.start(), m.end(), value, spelled=m["word"] is not None)


def times(ex: Extractor) -> None:
    for m in ex.finditer(TIME_RE):
        hour = int(m["h"])
        if m["ampm"]:
            if hour > 12:
                continue
            hour = hour % 12 + (12 if m["ampm"].lower() == "p" else 0)
        ex.add_time(m, "24h" if m["ampm"] else "12h", hour=hour)


def number_words(ex: Extractor) -> None:
    text = ex.text
    for m in ex.finditer(HALF_SCALE_RE):
        mention = ex.complete(m.start(), m.end() - 1, Parsed(Decimal("0.5"), Decimal("0.5")), spelled=True,
                              needs_scale=True)
        if mention is not None and ex.free(mention.span.start, mention.span.end):
            ex.add(mention)
    for m in ex.finditer(ORDINAL_RE):
        if not ex.free(*m.span()):
            continue
        value = ORDINALS[m["stem"].lower()] + (TENS[m["tens"].lower()] if m["tens"] else 0)
        ex.add(NumberMention(Span(*m.span()), value, "ordinal", None, m.group(), spelled=True))
    for m in ex.finditer(CARDINAL_RE):
        s, e = m.span()
        value = word_value(m["num"])
        if value is None or not ex.free(s, e):
            continue
        half = AND_A_HALF_RE.match(text, e) if m["num"].lower() not in ("a", "an") else None
        if half:
            value, e = value + Decimal("0.5"), half.end()
        article = m["num"].lower() in ARTICLES
        if article and not (scale_may_follow(ex.fam, text, e) and ex.fam.scale_re.match(text, e)):
            continue  # "a day", "one of them": the article or pronoun, unless a scale word follows
        mention = ex.complete(s, e, Parsed(value, Decimal("0.5") if half else Decimal(1)), spelled=True,
                              needs_scale=article)
        if mention is not None:
            ex.add(mention)
