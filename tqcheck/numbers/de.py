"""German numbers: number words in every form, dates ("11. Februar", "11.11."), ordinals ("der 3. Platz"), times.

German number words, all in ``data/de_numbers.tsv``:

* cardinals and their compounds (zwei, dreiundzwanzig, zweihundertfünfzig, dreitausend), the genitive
  forms (zweier, dreier), "eins";
* "ein/eine/einen/einem/einer/eines" count only before a scale word or "Dutzend" ("eine Milliarde",
  "einer Million", "ein Dutzend"): elsewhere they are the article;
* fractions: "anderthalb/eineinhalb Millionen" = 1.5 million, "zweieinhalb" = 2.5, "eine halbe Million";
* multiples: "zehnfach", "die dreifache Menge", "verzehnfacht", "dreimal" are the number (10, 3, 10, 3);
* "zwei Dutzend" = 24; ordinals "dritte", "einundzwanzigsten"; decades "die Neunziger", "80er Jahre".

"Tausende", "Hunderte", "Dutzende", "Millionen Menschen" are approximations and stay words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from tqcheck import regexcache
from tqcheck.numbers import lexicon
from tqcheck.numbers.candidates import scale_may_follow
from tqcheck.numbers.common import NOT_LETTER_AHEAD, NOT_LETTER_BEHIND, SP, D, alternation, prev_word
from tqcheck.numbers.dates import full_months, month_pattern
from tqcheck.numbers.model import NumberMention, Parsed
from tqcheck.types import Span

if TYPE_CHECKING:
    from tqcheck.numbers.extract import Extractor

UNITS = lexicon.of_class("de", "unit")
ARTICLES = lexicon.of_class("de", "article")
TEENS = lexicon.of_class("de", "teen")
TENS = lexicon.of_class("de", "tens")
FRACTIONS = lexicon.of_class("de", "fraction")
ORDINAL_STEMS = lexicon.of_class("de", "ordinal")
DECADES = lexicon.of_class("de", "decade")
DOZEN = lexicon.of_class("de", "dozen")

# German "3." is an ordinal only after one of these words ("der 3. Platz", "im 3. Quartal"); elsewhere the
# dot usually ends the sentence. Also used as date cues for "am 11.11.".
ORDINAL_CUES = frozenset({
    "der", "die", "das", "den", "dem", "des", "am", "zum", "zur", "im", "vom", "beim", "ab", "bis", "seit",
})

DATE_RES = (
    regexcache.compile(rf"(?<![0-9０-９.,])(?P<d>{D}{{1,2}})\.{SP}?{month_pattern('de')}(?:{SP}(?P<y>{D}{{4}})(?![0-9]))?"),
    regexcache.compile(
        rf"(?<![0-9０-９.,])(?P<d>{D}{{1,2}})\.{SP}?(?P<m>{D}{{1,2}})\.(?:{SP}?(?P<y>{D}{{4}}|{D}{{2}})(?![0-9０-９]))?"
    ),
    regexcache.compile(rf"(?P<mon>{full_months('de')}){SP}(?P<y>{D}{{4}})(?![0-9０-９])"),
)
SHORT_DATE_RE = DATE_RES[1]

# 9 Uhr, 9.28 Uhr, 9:28 (Uhr): German gives the hour of a 24-hour clock.
TIME_RE = regexcache.compile(
    rf"(?<![0-9０-９:.,])(?P<h>{D}{{1,2}})(?:[:.](?P<mi>{D}{{2}}))?(?={SP}?Uhr{NOT_LETTER_AHEAD})"
)

# Cardinal compounds: parts joined without spaces ("zweihundertdreiundzwanzigtausend"), then an optional
# multiple ("-fach", "-mal"). Matched case-insensitively: "Zwei" opens a sentence.
_PARTS = alternation([*UNITS, *ARTICLES, *TEENS, *TENS, "hundert", "tausend", "und", "einhalb"])
CARDINAL_RE = regexcache.compile(
    rf"{NOT_LETTER_BEHIND}(?P<ver>ver)?(?P<num>(?:{_PARTS})+|{alternation(FRACTIONS)})"
    rf"(?:(?P<ord>st(?:e|er|en|es|em))|(?P<mult>fach(?:e[nrsm]?)?|facht(?:e[nt]?)?|mal))?{NOT_LETTER_AHEAD}",
    re.IGNORECASE,
)
# Ordinals of 1–19 have their own stems (erst-, dritt-, siebt-); from 20 on they are the cardinal with -st-
# ("einundzwanzigst-"), read by CARDINAL_RE.
ORDINAL_RE = regexcache.compile(
    rf"{NOT_LETTER_BEHIND}(?P<stem>{alternation(ORDINAL_STEMS)})(?:e|er|en|es|em){NOT_LETTER_AHEAD}",
    re.IGNORECASE,
)
# "eine halbe Million", "einer halben Milliarde"
HALF_SCALE_RE = regexcache.compile(
    rf"{NOT_LETTER_BEHIND}(?:(?:{alternation(ARTICLES)}){SP})?halbe[nr]?{SP}(?=Milli)", re.IGNORECASE
)
DECADE_RE = regexcache.compile(
    rf"(?<![0-9０-９.,])(?P<y>[02-9]0|1[5-9][0-9]0|20[0-9]0)ern?(?:(?:-|{SP})?Jahren?)?{NOT_LETTER_AHEAD}"
    rf"|{NOT_LETTER_BEHIND}(?P<word>{alternation(DECADES)})n?(?:(?:-|{SP})?jahren?)?{NOT_LETTER_AHEAD}",
    re.IGNORECASE,
)


def _below_100(w: str) -> Decimal | None:
    for table in (UNITS, TEENS, TENS, ARTICLES):
        if w in table:
            return table[w]
    unit, sep, tens = w.partition("und")
    if sep and tens in TENS and (unit in ("ein", "eins") or UNITS.get(unit, Decimal(0)) in range(2, 10)):
        return (UNITS.get(unit) or Decimal(1)) + TENS[tens]
    return None


def _below_1000(w: str) -> Decimal | None:
    left, sep, right = w.partition("hundert")
    if not sep:
        return _below_100(w)
    lv = Decimal(1) if left in ("", "ein", "eins") else UNITS.get(left)
    if lv is not None and lv >= 10:
        lv = None
    rv = _below_100(right) if right else Decimal(0)
    return None if lv is None or rv is None else lv * 100 + rv


def word_value(word: str) -> Decimal | None:
    """Value of a German number word (zwei, dreiundzwanzig, zweihundertfünfzig, tausend, zweieinhalb), else None."""
    w = word.lower()
    if w in FRACTIONS:
        return FRACTIONS[w]
    half = Decimal(0)
    if w.endswith("einhalb") and len(w) > len("einhalb"):
        w, half = w[: -len("einhalb")], Decimal("0.5")
    left, sep, right = w.partition("tausend")
    if not sep:
        value = _below_1000(w)
    else:
        lv = Decimal(1) if left in ("", "ein", "eins") else _below_1000(left)
        rv = _below_1000(right) if right else Decimal(0)
        value = None if lv is None or rv is None else lv * 1000 + rv
    return None if value is None else value + half


def _decade_value(m: re.Match[str]) -> int:
    if m["y"]:
        return int(m["y"])
    return int(DECADES[m["word"].lower()])


def decades(ex: Extractor) -> None:
    for m in ex.finditer(DECADE_RE):
        value = _decade_value(m)
        ex.add_decade(m.start(), m.end(), value, spelled=m["word"] is not None)


def times(ex: Extractor) -> None:
    for m in ex.finditer(TIME_RE):
        ex.add_time(m, "24h")


def number_words(ex: Extractor) -> None:
    text = ex.text
    for m in ex.finditer(HALF_SCALE_RE):
        mention = ex.complete(m.start(), m.end() - 1, Parsed(Decimal("0.5"), Decimal("0.5")), spelled=True,
                              needs_scale=True)
        if mention is not None and ex.free(mention.span.start, mention.span.end):
            ex.add(mention)
    for m in ex.finditer(ORDINAL_RE):
        if ex.free(*m.span()):
            ex.add(NumberMention(Span(*m.span()), ORDINAL_STEMS[m["stem"].lower()], "ordinal", None, m.group(),
                                 spelled=True))
    for s, e, num, ver, ordinal, mult, value in _cardinals(ex):
        if not ex.free(s, e) or (ver and not (mult or "").startswith("facht")):
            continue
        if ordinal:
            if value >= 20:  # "dreiste" is no ordinal, "zwanzigste" is
                ex.add(NumberMention(Span(s, e), value, "ordinal", None, text[s:e], spelled=True))
            continue
        article = num.lower() in ARTICLES and not mult
        if article and not (scale_may_follow(ex.fam, text, e) and ex.fam.scale_re.match(text, e)):
            continue  # "ein Haus": the article, unless a scale word follows ("eine Milliarde")
        mention = ex.complete(s, e, Parsed(value, Decimal(1)), spelled=True, needs_scale=article)
        if mention is not None:
            ex.add(mention)


_LETTERS_RE = regexcache.compile(r"[^\W\d_]*")
# Word → what CARDINAL_RE reads in it (None: no match, or no value such as "und"), across texts; bounded.
_CARDINAL_WORDS: dict[str, tuple[int, str, str | None, str | None, str | None, Decimal] | None] = {}
_CARDINAL_WORDS_LIMIT = 50_000
_Cardinal = tuple[int, int, str, "str | None", "str | None", "str | None", Decimal]


def _cardinals(ex: Extractor) -> Iterator[_Cardinal]:
    """(start, end, num, ver, ord, mult, value) of the matches of CARDINAL_RE that have a value, in text order.

    A match is a whole word (no letter before or after it), so it depends on the word alone: each word is read
    once per process. "und", "ein" and "eine" are most of the candidates of a German text."""
    text = ex.text
    starts = ex.word_starts(CARDINAL_RE)
    if starts is None:
        for m in ex.finditer(CARDINAL_RE):
            value = word_value(m["num"])
            if value is not None:
                yield m.start(), m.end(), m["num"], m["ver"], m["ord"], m["mult"], value
        return
    words = _CARDINAL_WORDS
    for at in starts:
        if at:
            before = text[at - 1]
            if before.isalnum() and not before.isdecimal():  # a letter ([^\W\d_]): the look-behind fails
                continue
        end = _LETTERS_RE.match(text, at).end()
        word = text[at:end]
        try:
            found = words[word]
        except KeyError:
            found = None
            m = CARDINAL_RE.match(word)
            if m is not None:
                value = word_value(m["num"])
                if value is not None:
                    found = (m.end(), m["num"], m["ver"], m["ord"], m["mult"], value)
            if len(words) >= _CARDINAL_WORDS_LIMIT:
                words.clear()
            words[word] = found
        if found is not None:
            yield at, at + found[0], found[1], found[2], found[3], found[4], found[5]


_SENTENCE_GOES_ON = regexcache.compile(r"[,;:)–-]|[ \u00a0][a-zäöüß0-9–-]")
_WORD_AFTER_DOT = regexcache.compile(r"\.[ \u00a0][^\W\d_]")


def short_date_ok(text: str, start: int, end: int) -> bool:
    """"11.11." without a year is a date after a cue word (am, bis …) or when the sentence goes on."""
    prev = prev_word(text, max(0, start - 12), start)
    if prev and prev.lower() in ORDINAL_CUES:
        return True
    after = text[end:end + 2]
    return bool(_SENTENCE_GOES_ON.match(after))


def is_ordinal(text: str, start: int, end: int) -> bool:
    """German "3." is an ordinal after a cue word and before a word ("der 3. Platz")."""
    if not _WORD_AFTER_DOT.match(text[end:end + 3]):
        return False
    prev = prev_word(text, max(0, start - 12), start)
    return prev is not None and prev.lower() in ORDINAL_CUES


SCALE_DOZEN = {w: int(v) for w, v in DOZEN.items()}
