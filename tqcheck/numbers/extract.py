"""Finding the number mentions of one text: one pass per text, shared steps plus the language modules' steps.

Each step claims the code points it uses, so that a later, looser step cannot read them again: URLs,
placeholders and event names first, then dates, decades and times, then digits, Chinese numerals and number
words. Every mention's ``span`` is a code-point range into the untouched text and
``text[span.start:span.end] == raw``.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache, lru_cache
from typing import Literal

from tqcheck import prefilter, regexcache
from tqcheck.numbers import de, en, lexicon, units, zh
from tqcheck.numbers.candidates import (
    BeforeMemo,
    Digits,
    LeadAutomaton,
    WordPattern,
    WordPlaces,
    pattern_leads,
    scale_may_follow,
    shared_digits,
    with_apostrophes,
    word_pattern,
)
from tqcheck.numbers.common import (
    ARABIC_RE,
    CURRENCY_SYMBOLS,
    LATIN,
    LATIN_RE,
    NOT_LETTER_AHEAD,
    SP,
    SPACE_GROUPED_RE,
    YEAR_RANGE,
    D,
    alternation,
    alternative_reading,
    ascii_digits,
    currency_prefixes,
    currency_table,
    parse_arabic,
    percent_words,
    scale_words,
)
from tqcheck.numbers.dates import ISO_DATE_RE, MONTH_ALONE_RE, MONTHS, month_number, valid_date
from tqcheck.numbers.model import NumberKind, NumberMention, Parsed
from tqcheck.prefilter import ScanText, from_positions
from tqcheck.types import Span

# --- things that look like numbers and are not -----------------------------------------------------------

_URL_RE = regexcache.compile(r"(?:https?://|www\.)[^\s<>\"'）》」]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Anonymisation placeholders ("[NAME_1]", "{PHONE_2}", "<EMAIL>"), hashtags and handles ("#Wahl2024",
# "@user_42"; "#1" is a rank and stays a number), stock codes ("600884.SH"), names such as "5G" or "4K".
_TOKEN_RE = regexcache.compile(
    r"[\[{<]{1,2}[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*[\]}>]{1,2}"
    r"|(?<![\w&])[#@](?=[\w-]*[^\W\d_])[\w-]+"
    r"|(?<![\d.])\d{4,6}\.[ ]?(?:SH|SZ|SS|HK|KS|TW|T)(?![A-Za-z])"
    r"|(?<![A-Za-z0-9.$€£¥])\d{1,3}[A-Z](?![A-Za-z0-9])"
)
_DIGIT_RE = regexcache.compile("[0-9０-９]")

# --- patterns around the numeric core --------------------------------------------------------------------

# Words joining the ends of a range; the first end takes the unit of the second ("0,6 bis 1,5 Prozent",
# "2至3亿元", "30-40%").
_RANGE_JOIN_RE = regexcache.compile(r"[ \u00a0]?(?:[-–—~～至到]|bis|und|oder|to|and|or)[ \u00a0]?")
_CURRENCY_PREFIX_RE = regexcache.compile(rf"(?<![{LATIN}])(?:{alternation(currency_prefixes())}){SP}?$")
# A currency code glued to the amount ("RM476.5", "RMB5"): the digits are an amount, not part of a name.
_GLUED_PREFIX_RE = regexcache.compile(
    rf"(?<![{LATIN}])(?:{alternation(k for k in currency_prefixes() if k.isalpha())})$")
_ZH_PERCENT_PREFIX = "百分之"
_ODD_CHARS = frozenset("余多来")  # what zh.ODD_RE opens with
_SP_CHARS = frozenset(" \u00a0\u202f\u2009")  # common.SP
# The searches before a number's start, remembered by the characters they read (see candidates.BeforeMemo):
# the words before numbers repeat ("im Jahr ", "rund ").
_CURRENCY_PREFIX = BeforeMemo(_CURRENCY_PREFIX_RE, 8)
_GLUED_PREFIX = BeforeMemo(_GLUED_PREFIX_RE, 4)
# Colon times: "10:30", "9:28:10". The hour of a German text is a 24-hour one (see de.TIME_RE).
_COLON_TIME_RE = regexcache.compile(
    rf"(?<![0-9０-９:.,])(?P<h>{D}{{1,2}}):(?P<mi>{D}{{2}})(?::{D}{{2}})?(?![0-9０-９:])")


@dataclass(frozen=True, slots=True)
class Family:
    """The language data one extraction uses, compiled once."""

    name: str  # "zh" | "de" | "en" | "xx" (unknown: English-style separators, no number words)
    decimal_comma: bool  # how "1,500" / "1.500" (exactly three digits after one mark) are read
    scale: Mapping[str, int]
    scale_re: re.Pattern[str]
    # The first letters of the scale words (lowercase: scale_re ignores case); None: not all ASCII, no test.
    scale_firsts: frozenset[str] | None
    percent_re: re.Pattern[str]
    percent_units: Mapping[str, str]
    currency_re: re.Pattern[str]
    currency_units: Mapping[str, str]
    date_res: tuple[tuple[str, re.Pattern[str]], ...]
    latin: tuple[str, ...]  # "de", "en": the Latin languages whose dates, decades and times are read
    unit_re: re.Pattern[str]
    unit_lang: str  # the language of unit_re's names


def _make_family(name: str) -> Family:
    unit_lang = "zh" if name == "zh" else "de" if name == "de" else "en"
    latin = {"zh": (), "de": ("de",), "en": ("en",), "xx": ("de", "en")}[name]
    scale = {k.lower(): v for k, v in scale_words("de" if name == "de" else "en").items()}
    scale.update({k.lower(): int(v) for k, v in (de.DOZEN if name == "de" else en.DOZEN).items()})
    percent_units: dict[str, str] = {}
    for key in ("zh", *latin):
        percent_units.update({k.lower(): v for k, v in percent_words(key).items()})
    currency_units: dict[str, str] = {k.lower(): v for k, v in currency_table("codes").items()}
    for key in ("zh", *latin):
        currency_units.update({k.lower(): v for k, v in currency_table(key).items()})
    zh_words = [w.lower() for w in (*percent_words("zh"), *currency_table("zh"))]
    latin_percent = [w for w in percent_units if w not in zh_words]
    latin_currency = [w for w in currency_units if w not in zh_words]
    # symbols may touch the number ("30%", "5€"); words need one space, Chinese words none
    percent_re = regexcache.compile(
        rf"{SP}?(?P<sym>[%％])"
        rf"|{SP}(?P<word>{alternation(latin_percent)}){NOT_LETTER_AHEAD}"
        rf"|(?P<zh>{alternation(percent_words('zh'))})",
        re.IGNORECASE,
    )
    currency_re = regexcache.compile(
        rf"{SP}?(?P<sym>(?-i:{alternation(CURRENCY_SYMBOLS)}))"  # "S$" is a symbol, "s$" is not
        rf"|[{SP[1:-1]}-](?P<word>{alternation(latin_currency)}){NOT_LETTER_AHEAD}"
        rf"|{SP}?(?P<zh>{alternation(currency_table('zh'))})",
        re.IGNORECASE,
    )
    # "2 Millionen", "2,5 Mio.", "5million"; German compounds join with a hyphen ("16-Millionen-Stadt")
    scale_re = regexcache.compile(
        rf"(?:{SP}|-(?=[A-Z]))?(?P<word>{alternation(scale)})(?:(?<=\.)|{NOT_LETTER_AHEAD})", re.IGNORECASE
    )
    date_res: list[tuple[str, re.Pattern[str]]] = [("iso", ISO_DATE_RE)]
    for lang in latin:
        date_res += [(lang, p) for p in (de.DATE_RES if lang == "de" else en.DATE_RES)]
    return Family(
        name=name,
        decimal_comma=name == "de",
        scale=scale,
        scale_re=scale_re,
        scale_firsts=frozenset(w[0] for w in scale) if all(w[:1].isascii() for w in scale) else None,
        percent_re=percent_re,
        percent_units=percent_units,
        currency_re=currency_re,
        currency_units=currency_units,
        date_res=tuple(date_res),
        latin=latin,
        unit_re=units.unit_re(unit_lang),
        unit_lang=unit_lang,
    )


# Built on first use: the four families' patterns take tens of milliseconds to compile, which a process that
# never reads a number (``tqcheck --help``) should not pay at import.
_FAMILIES: dict[str, Family] = {}
_FAMILY_NAMES = frozenset({"zh", "de", "en", "xx"})


def _family_named(name: str) -> Family:
    fam = _FAMILIES.get(name)
    if fam is None:
        fam = _FAMILIES[name] = _make_family(name)
    return fam


@cache
def _money_scale_re() -> re.Pattern[str]:
    return regexcache.compile(rf"(?P<word>{alternation(scale_words('money'))}){NOT_LETTER_AHEAD}")


@cache
def _event_res(script: str) -> tuple[re.Pattern[str], ...]:
    return tuple(regexcache.compile(row[1]) for row in lexicon.rows("events.txt") if row[0] == script)


_BY_TAG: dict[str | None, Family] = {}


def family(lang: str | None) -> Family:
    """Map a language tag ("zh-CN", "de_DE", "en") to the data used for it."""
    fam = _BY_TAG.get(lang)
    if fam is None:
        base = (lang or "").replace("_", "-").split("-")[0].lower()
        fam = _family_named(base if base in _FAMILY_NAMES else "xx")
        if len(_BY_TAG) < 1000:  # tags come from the command line and files: few, but not trusted to be few
            _BY_TAG[lang] = fam
    return fam


# --- where each pattern can match (see candidates) --------------------------------------------------------

# Patterns whose matches start at a digit that no ASCII digit precedes: tried at the starts of digit runs.
_DIGIT_LED = frozenset(id(p) for p in (ISO_DATE_RE, de.DATE_RES[0], de.DATE_RES[1], en.DATE_RES[1], de.TIME_RE,
                                       en.TIME_RE, _COLON_TIME_RE, SPACE_GROUPED_RE, ARABIC_RE))
# What some digit-led patterns need of the run of digits ([0-9０-９]) their match opens with: its length, and the
# character right after it, read off each pattern ("11." of a date: one or two digits, then a dot; "2024-05-01":
# four, then a separator). Such a pattern is tried only at the digit starts whose run has them, not at every one
# (a German article has thousands). tests/test_numbers_speed.py holds each to the pattern's own matches.
_DIGIT_CHARS = frozenset("0123456789０１２３４５６７８９")
_SP_AFTER = " \u00a0\u202f\u2009"
_DIGIT_RUN_NEEDS: dict[int, tuple[frozenset[int], frozenset[str]]] = {
    id(ISO_DATE_RE): (frozenset({4}), frozenset("-/.")),
    id(de.DATE_RES[0]): (frozenset({1, 2}), frozenset(".")),
    id(de.DATE_RES[1]): (frozenset({1, 2}), frozenset(".")),
    id(de.TIME_RE): (frozenset({1, 2}), frozenset(":." + _SP_AFTER + "U")),
    id(_COLON_TIME_RE): (frozenset({1, 2}), frozenset(":")),
    id(SPACE_GROUPED_RE): (frozenset({1, 2, 3}), frozenset(" ")),
}
# The other openings of the skipped tokens: placeholders ("[NAME_1]"), hashtags and handles.
_TOKEN_OPENERS = "[{<#@"


@dataclass(frozen=True, slots=True)
class _WordSet:
    """A family's word patterns in one automaton, and whether every word step of the family is in it."""

    automaton: LeadAutomaton
    complete: bool


# English "a"/"an" count only before a scale word ("a million"): their matches are looked for there (the scale
# word starts after the article, an optional "-fold" and one space or hyphen: 2, 3, 6, 7 or 8 characters back).
_EN_ARTICLES = frozenset({"a", "an"})
_EN_ARTICLE_BACK = (2, 3, 6, 7, 8)


# Leads of the German cardinal that open no match with a value: "und" joins the parts of a compound
# ("einundzwanzig"), and a match that starts with it ("und", "undzwanzig") is no number (de.word_value gives None,
# so de.number_words never reads it). It is also the commonest word of German text: two in five of the word
# automaton's hits, each then read and looked up in vain. tests/test_numbers_speed.py holds the claim.
VALUELESS_CARDINAL_LEADS = frozenset({"und"})


@cache
def _word_set(name: str, words: bool) -> _WordSet:
    """The patterns of a family that open with a word (month and number words, event names), with their leads.

    The decade patterns also open with digits; their word branch opens with a decade word ("Neunziger")."""
    fam = _family_named(name)
    patterns: list[re.Pattern[str]] = list(_event_res("latin"))
    for lang in fam.latin:
        module = de if lang == "de" else en
        patterns += [p for _, p in fam.date_res if id(p) not in _DIGIT_LED and p is not ISO_DATE_RE]
        patterns.append(MONTH_ALONE_RE[lang])
        if words and name == lang:
            patterns += [module.HALF_SCALE_RE, module.ORDINAL_RE]
            if lang == "de":
                patterns.append(de.CARDINAL_RE)
    out: list[WordPattern] = []
    complete = True
    for p in dict.fromkeys(patterns):
        leads = pattern_leads(p)
        if leads is None:
            complete = False
        else:
            out.append(word_pattern(p, leads - VALUELESS_CARDINAL_LEADS if p is de.CARDINAL_RE else leads))
    for lang in fam.latin:
        module = de if lang == "de" else en
        out.append(word_pattern(module.DECADE_RE, frozenset(w.lower() for w in module.DECADES)))
    if words and name == "en":
        # Every alternative of the cardinal opens its match; "a" and "an" are found through the scale words.
        words_en = {w.lower() for w in (*en.UNITS, *en.TEENS, *en.TENS, *en.ARTICLES, *en.MULTIPLES)}
        out.append(word_pattern(en.CARDINAL_RE, frozenset(words_en - _EN_ARTICLES)))
        out.append(word_pattern(fam.scale_re, frozenset(fam.scale)))
    return _WordSet(LeadAutomaton(out), complete)


class Extractor:
    """One pass over one text; ``claimed`` marks code points already used by a mention or a skip."""

    def __init__(self, text: str, fam: Family, words: bool, scan: ScanText | None = None) -> None:
        self.text = text
        self.scan = scan if scan is not None and scan.text is text else ScanText(text)
        self.fam = fam
        self.words = words
        self.claimed = bytearray(len(text))
        self.mentions: list[NumberMention] = []
        self.scales: dict[int, int] = {}  # mention start → factor of its scale words, for ranges
        self._digits: Digits | None = None
        self._runs: list[tuple[int, int, str | None]] | None = None
        self._places: WordPlaces | None = None
        self._all_usable = False  # the lowered text stands for the text for every word pattern (see places)

    @property
    def digits(self) -> Digits:
        if self._digits is None:
            self._digits = shared_digits(self.text)
        return self._digits

    @property
    def digit_starts(self) -> list[int]:
        return self.digits.starts

    @property
    def digit_runs(self) -> list[tuple[int, int, str | None]]:
        """(start, length, the character after it or None) of the run of [0-9０-９] at each digit start."""
        if self._runs is None:
            text, digits, n = self.text, _DIGIT_CHARS, len(self.text)
            runs = []
            for at in self.digit_starts:
                end = at
                while end < n and text[end] in digits:
                    end += 1
                runs.append((at, end - at, text[end] if end < n else None))
            self._runs = runs
        return self._runs

    def finditer(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """``pattern.finditer`` over the text, tried only where a match can start (see candidates)."""
        text = self.text
        key = id(pattern)
        if key in _DIGIT_LED:
            needs = _DIGIT_RUN_NEEDS.get(key)
            if needs is None:
                return from_positions(pattern, self.digit_starts, text)
            lengths, after = needs
            starts = [at for at, size, nxt in self.digit_runs if size in lengths and nxt in after]
            return from_positions(pattern, starts, text)
        if pattern is _TOKEN_RE:
            return from_positions(pattern, self._token_starts(), text)
        if pattern is _URL_RE:
            return self._urls()
        places = self.places
        k = places.automaton.index.get(key)
        if k is not None and (self._all_usable or places.usable(k)):
            found = places.positions_of(k)
            if pattern is de.DECADE_RE or pattern is en.DECADE_RE:
                digits = with_apostrophes(text, self.digit_starts) if pattern is en.DECADE_RE else self.digit_starts
                return from_positions(pattern, heapq.merge(digits, found) if found else digits, text)
            if pattern is en.CARDINAL_RE:
                found = self._en_cardinal_starts(places, k)
            if not found or places.gated_out(k):
                return iter(())
            return from_positions(pattern, found, text)
        return prefilter.finditer(pattern, text, self.scan)

    @property
    def places(self) -> WordPlaces:
        if self._places is None:
            self._places = WordPlaces(_word_set(self.fam.name, self.words).automaton, self.scan)
            scan = self.scan
            self._all_usable = scan.offsets_kept and not scan.extra_folds
        return self._places

    def _en_cardinal_starts(self, places: WordPlaces, k: int) -> list[int]:
        words = places.positions_of(k)
        scales = places.positions_of(places.automaton.index[id(self.fam.scale_re)])
        if not scales:
            return words
        found = set(words)
        found.update(q - back for q in scales for back in _EN_ARTICLE_BACK if q >= back)
        return sorted(found)

    def nothing_to_find(self) -> bool:
        """Whether no word step can find anything (every one is in the automaton, which found no lead)."""
        return _word_set(self.fam.name, self.words).complete and self.places.none_at_all()

    def word_starts(self, pattern: re.Pattern[str]) -> list[int] | None:
        """Where a word pattern of this family can start (see finditer), or None when that is not known."""
        places = self.places
        k = places.automaton.index.get(id(pattern))
        if k is None or not places.usable(k):
            return None
        return places.positions_of(k)

    def _urls(self) -> Iterator[re.Match[str]]:
        """``_URL_RE.finditer``, tried only at "http", "www." and before an "@".

        An address starts in the run of its local-part characters before the "@": any start in that run reads
        the same address, so the earliest one finditer would reach (the run's start, or the end of the previous
        match inside it) is tried."""
        text = self.text
        found: list[tuple[int, int]] = []
        for opening in ("http", "www."):
            i = text.find(opening)
            while i >= 0:
                found.append((i, -1))
                i = text.find(opening, i + 1)
        at = text.find("@")
        while at >= 0:
            r = at
            while r and (text[r - 1].isalnum() or text[r - 1] in "_.+-"):  # [\w.+-]
                r -= 1
            if r < at:
                found.append((r, at))
            at = text.find("@", at + 1)
        found.sort()
        match = _URL_RE.match
        end = 0
        for start, at in found:
            if at < 0:
                if start < end:
                    continue
            else:
                start = max(start, end)
                if start >= at:
                    continue
            m = match(text, start)
            if m is not None:
                yield m
                end = m.end()

    def _token_starts(self) -> list[int]:
        text = self.text
        starts = list(self.digit_starts)
        for ch in _TOKEN_OPENERS:
            i = text.find(ch)
            while i >= 0:
                starts.append(i)
                i = text.find(ch, i + 1)
        if len(starts) > len(self.digit_starts):
            starts.sort()
        return starts

    def free(self, start: int, end: int) -> bool:
        return self.claimed.find(1, start, end) == -1

    def claim(self, start: int, end: int) -> None:
        self.claimed[start:end] = b"\x01" * (end - start)

    def add(self, mention: NumberMention) -> None:
        self.mentions.append(mention)
        self.claim(mention.span.start, mention.span.end)

    def run(self) -> list[NumberMention]:
        text, latin = self.text, self.fam.latin
        # Most steps need a digit or a Chinese character; a text without them skips those steps (hot path).
        found = self.digits
        digits = any(_DIGIT_RE.match(text, p) for p in found.starts)
        han = found.han
        # Nothing a mention can start with (no digit, no Chinese character, no number or month word): none.
        if not digits and not han and self.nothing_to_find():
            return []
        numeral = han and zh.has_numeral(text)
        self.skip_non_numbers(han, numeral)
        if digits:
            self.dates()
        if han:
            zh.dates(self)
        self.month_names()
        if han:
            zh.decades(self)
        for lang in latin:
            (de if lang == "de" else en).decades(self)
        if digits:
            for lang in latin:
                (de if lang == "de" else en).times(self)
            self.colon_times()
        if han:
            zh.times(self)
        if digits:
            if latin:
                self.space_grouped()
            self.arabic()
        if numeral:
            zh.approximations(self)
            zh.lone_scales(self)
            zh.numerals(self)
        if self.words and self.fam.name in ("de", "en"):
            (de if self.fam.name == "de" else en).number_words(self)
        return self.ranges(sorted(self.mentions, key=lambda m: (m.span.start, m.span.end)))

    # --- mention builders the language modules use ----------------------------------------------------

    def add_date(self, start: int, end: int, y: int | None, m: int | None, d: int | None, *,
                 spelled: bool = False) -> bool:
        if not valid_date(y, m, d) or not self.free(start, end):
            return False
        value = Decimal((y or 0) * 10000 + (m or 0) * 100 + (d or 0))
        self.add(NumberMention(Span(start, end), value, "date", None, self.text[start:end], parts=(y, m, d),
                               spelled=spelled))
        return True

    def add_decade(self, start: int, end: int, value: int, *, spelled: bool = False) -> None:
        if self.free(start, end):
            self.add(NumberMention(Span(start, end), Decimal(value), "decade", None, self.text[start:end],
                                   spelled=spelled))

    def add_approx(self, start: int, end: int, low: Decimal, high: Decimal, *, value: Decimal | None = None) -> None:
        if self.free(start, end):
            self.add(NumberMention(Span(start, end), value if value is not None else low, "number", None,
                                   self.text[start:end], low, spelled=True, approx=True, bounds=(low, high)))

    def add_time_part(self, start: int, end: int, value: int, clock: Literal["24h", "12h"] | None, *,
                      spelled: bool = False) -> None:
        self.mentions.append(NumberMention(Span(start, end), Decimal(value), "number", None, self.text[start:end],
                                           clock=clock, spelled=spelled))

    def add_time(self, m: re.Match[str], clock: Literal["24h", "12h"], *, hour: int | None = None) -> None:
        """An hour and its minutes: the hour and a non-zero minute become numbers, like 10点30分 in Chinese."""
        h = hour if hour is not None else int(ascii_digits(m["h"]))
        minute = int(ascii_digits(m["mi"])) if m["mi"] else 0
        if h > 24 or minute > 59 or not self.free(m.start(), m.end()):
            return
        self.claim(m.start(), m.end())
        self.add_time_part(*m.span("h"), h, clock)
        if minute:
            self.add_time_part(*m.span("mi"), minute, None)

    # --- skips, dates, times -------------------------------------------------------------------------

    def skip_non_numbers(self, han: bool, numeral: bool) -> None:
        """Claim what is no number: addresses, tokens, events; and Chinese words of numerals (一五一十), each of which
        has a numeral character (``numeral``: the text has one)."""
        zh_patterns = (*(zh.skip_patterns() if numeral else ()), *_event_res("zh")) if han else ()
        patterns = (_URL_RE, _TOKEN_RE, *_event_res("latin"), *zh_patterns)
        for pattern in patterns:
            for m in self.finditer(pattern):
                self.claim(*m.span())

    def dates(self) -> None:
        """Dates written with digits: ISO, and the German and English forms (Chinese ones: zh.dates)."""
        text = self.text
        for lang, pattern in self.fam.date_res:
            for m in self.finditer(pattern):
                groups = m.groupdict()
                y_raw = groups.get("y")
                y = int(ascii_digits(y_raw)) if y_raw else None
                if y is not None and len(y_raw or "") == 2:
                    y += 2000 if y < 50 else 1900
                month = month_number(lang, groups["mon"]) if groups.get("mon") else int(ascii_digits(groups["m"]))
                day = int(ascii_digits(groups["d"])) if groups.get("d") else None
                if pattern is de.SHORT_DATE_RE and y is None and not de.short_date_ok(text, m.start(), m.end()):
                    continue
                self.add_date(m.start(), m.end(), y, month, day)

    def month_names(self) -> None:
        """A month name alone ("im Mai"): a date with the month only, after the full dates have claimed theirs."""
        for lang in self.fam.latin:
            for m in self.finditer(MONTH_ALONE_RE[lang]):
                name = m["mon"] or m["word"]
                self.add_date(m.start(), m.end(), None, MONTHS[lang][name], None, spelled=True)

    def colon_times(self) -> None:
        for m in self.finditer(_COLON_TIME_RE):
            hour = int(ascii_digits(m["h"]))
            self.add_time(m, "24h" if self.fam.name == "de" or hour > 12 else "12h")

    # --- numbers -------------------------------------------------------------------------------------

    def space_grouped(self) -> None:
        """"28 020": digits grouped with plain spaces, as German and French typists often write them."""
        for m in self.finditer(SPACE_GROUPED_RE):
            s, e = m.span()
            if not self.free(s, e) or (s and LATIN_RE.match(self.text[s - 1])):
                continue
            parsed = parse_arabic(m.group(), self.fam.decimal_comma)
            if parsed is not None:
                mention = self.complete(s, e, parsed)
                if mention is not None:
                    self.add(mention)

    def arabic(self) -> None:
        text = self.text
        for m in self.finditer(ARABIC_RE):
            s, e = m.span()
            if not self.free(s, e):
                continue
            prev = text[s - 1] if s else ""
            # product and model names (iPhone15, A380, COVID-19): a number glued to letters is an identifier,
            # unless the letters are a currency code (RM476.5)
            glued = LATIN_RE.match(prev) and not _GLUED_PREFIX.search(text, s)
            if glued or (prev in "-‐" and s >= 2 and LATIN_RE.match(text[s - 2])):
                continue
            core = m.group()
            parsed = parse_arabic(core, self.fam.decimal_comma)
            if parsed is None:
                if "." not in core:  # a list such as "1,2,3": each item is a number
                    for piece in re.finditer(f"{D}+", core):
                        ps, pe = s + piece.start(), s + piece.end()
                        self.add(NumberMention(Span(ps, pe), Decimal(ascii_digits(piece.group())), "number", None,
                                               piece.group()))
                continue  # dotted identifiers: versions 2.0.1, IP addresses
            plain = core if parsed.group is None and parsed.decimal is None else None
            alt = alternative_reading(core, self.fam.decimal_comma) if self.fam.name in ("de", "en") else None
            mention = self.complete(s, e, parsed, plain=plain, alt=alt)
            if mention is not None:
                self.add(mention)

    def ranges(self, mentions: list[NumberMention]) -> list[NumberMention]:
        """Give the first end of a range the unit, scale or measure written once after the second end.

        Only for ends that can be one range: not a year before a count ("from 330,600 in 2021 to 6.3 million"),
        and values of one order of magnitude before the scale ("4 to 6 million", not "2021 to 6.3 million").
        """
        out = list(mentions)
        for i in range(len(out) - 2, -1, -1):
            first, second = out[i], out[i + 1]
            scale = self.scales.get(second.span.start, 1)
            if self.scales.get(first.span.start, 1) != 1 or first.kind == "year":
                continue
            if first.kind == "money":
                if second.kind != "money" or scale == 1 or first.unit != second.unit:
                    continue
            elif first.kind != "number" or (second.kind not in ("percent", "money") and scale == 1
                                            and (second.measure is None or first.measure is not None)):
                continue
            if not _RANGE_JOIN_RE.fullmatch(self.text, first.span.end, second.span.start):
                continue
            ratio = first.value / max(second.value / scale, Decimal("0.001"))
            if first.value and not Decimal("0.01") <= ratio <= 100:
                continue
            kind: NumberKind = second.kind if second.kind in ("percent", "money") else "number"
            out[i] = replace(first, value=first.value * scale, precision=first.precision * scale, kind=kind,
                             unit=second.unit, measure=first.measure or second.measure,
                             alt_value=first.alt_value * scale if first.alt_value is not None else None)
            self.scales[first.span.start] = scale
        return out

    def complete(
        self,
        s: int,
        e: int,
        parsed: Parsed,
        *,
        plain: str | None = None,
        spelled: bool = False,
        zh_single: bool = False,
        needs_scale: bool = False,
        alt: Decimal | None = None,
    ) -> NumberMention | None:
        """Attach what surrounds the numeric core at ``[s, e)`` (第, 百分之, currency, scale, %, unit, 年 …).

        Args:
            plain: the core when it is a bare digit string (candidate for a year or an ordinal).
            zh_single: the core is one Chinese numeral, which needs context to count (see zh's notes).
            needs_scale: the core means "one" and only counts before a scale word ("eine Milliarde").
            alt: the core's value under the other language's separators, if it differs.
        """
        text, fam = self.text, self.fam
        start, end = s, e
        kind: NumberKind = "number"
        unit: str | None = None
        value, precision = parsed.value, parsed.precision
        context = False  # whether something makes a lone Chinese numeral a number

        if s and text[s - 1] == "第":
            kind, start, context = "ordinal", s - 1, True
        elif text.endswith(_ZH_PERCENT_PREFIX, 0, s):
            kind, unit, start, context = "percent", "%", s - len(_ZH_PERCENT_PREFIX), True
        else:
            prefix = _CURRENCY_PREFIX.search(text, s) or _GLUED_PREFIX.search(text, s)
            if prefix and self.free(prefix[0], s):
                kind, start = "money", prefix[0]
                key = prefix[1].strip(" \u00a0\u202f\u2009")
                unit = currency_prefixes().get(key) or currency_prefixes().get(key.upper())

        if kind == "number" and plain is not None and fam.name in ("en", "xx"):
            suffix = en.ORDINAL_SUFFIX_RE.match(text, end)
            if suffix:
                return NumberMention(Span(start, suffix.end()), value, "ordinal", None, text[start:suffix.end()])

        scale, end, approx_bounds = self._scale(start, end, parsed, kind, spelled, zh_single)
        if needs_scale and scale == 1:
            return None
        bounds = parsed.bounds
        if scale != 1:
            value, precision = value * scale, precision * scale
            bounds = (bounds[0] * scale, bounds[1] * scale) if bounds else None
            alt = alt * scale if alt is not None else None
        if approx_bounds:
            bounds, context = approx_bounds, True

        measure = None
        if kind in ("number", "money"):
            pct = fam.percent_re.match(text, end) if kind == "number" else None
            if pct and self.free(end, pct.end()):
                token = pct["sym"] or pct["word"] or pct["zh"]
                kind, unit, end, context = "percent", fam.percent_units.get(token.lower(), "%"), pct.end(), True
            else:
                cur = fam.currency_re.match(text, end)
                if cur and self.free(end, cur.end()):
                    token = cur["sym"] or cur["word"] or cur["zh"]
                    unit = unit or CURRENCY_SYMBOLS.get(token) or fam.currency_units[token.lower()]
                    kind, end, context = "money", cur.end(), True
                elif kind == "number":
                    measure = self._measure(end)
                    context = context or measure is not None

        if kind == "number" and plain is not None and scale == 1 and measure is None:
            digits = ascii_digits(plain)
            in_range = len(digits) == 4 and YEAR_RANGE[0] <= int(digits) <= YEAR_RANGE[1]
            nian = zh.YEAR_SUFFIX_RE.match(text, end)
            if in_range and nian and self.free(end, nian.end()):
                kind, end = "year", nian.end()
            elif in_range:
                kind = "year"
            elif fam.name == "de" and de.is_ordinal(text, start, end):
                kind, end = "ordinal", end + 1

        if zh_single and not context and scale == 1 and (value == 1 or not zh.classifier_follows(text, end)):
            return None
        if not self.free(start, end):
            return None
        self.scales[start] = scale
        return NumberMention(Span(start, end), value, kind, unit, text[start:end], precision, spelled=spelled,
                             approx=approx_bounds is not None or parsed.approx, bounds=bounds, measure=measure,
                             alt_value=alt)

    def _scale(self, start: int, end: int, parsed: Parsed, kind: NumberKind, spelled: bool,
               zh_single: bool) -> tuple[int, int, tuple[Decimal, Decimal] | None]:
        """(factor, new end, bounds of an approximation) of the scale words after the core ending at ``end``."""
        text, fam = self.text, self.fam
        scale = 1
        if kind == "ordinal":
            return scale, end, None
        if not (zh_single or spelled or parsed.decimal == "点"):
            chain_end = zh.scale_end(text, end)
            scale = zh.chain_value(text[end:chain_end]) if chain_end > end else 1
            end = chain_end
        approx = None
        odd = zh.ODD_RE.match(text, end) if text[end:end + 1] in _ODD_CHARS else None
        if odd and scale == 1:
            # 500余万, 三十多年, 1000多人: "over" the number, up to its next step
            chain_end = zh.scale_end(text, odd.end())
            factor = zh.chain_value(text[odd.end():chain_end]) if chain_end > odd.end() else 1
            if factor != 1 or zh.classifier_follows(text, odd.end()):
                approx = zh.odd_bounds(parsed.value, factor)
                scale, end = factor, chain_end if factor != 1 else odd.end()
        if kind == "money" and scale == 1:
            glued = _money_scale_re().match(text, end)  # £44m, $50k
            if glued and self.free(end, glued.end()):
                scale, end = scale_words("money")[glued["word"]], glued.end()
        while True:  # "two hundred thousand": each scale word larger than the one before
            word = fam.scale_re.match(text, end) if scale_may_follow(fam, text, end) else None
            factor = fam.scale.get(word["word"].lower()) if word else None
            if word is None or factor is None or factor <= scale or not self.free(end, word.end()):
                break
            scale *= factor
            end = word.end()
        return scale, end, approx

    def _measure(self, end: int) -> str | None:
        """The unit of measurement right after a number, as an id of units.tsv (not part of the span)."""
        text = self.text
        # The unit pattern opens with a unit name (Latin ones after an optional space): a character that starts
        # no name is a quick no (most numbers are followed by a space and an ordinary word).
        firsts = units.first_chars(self.fam.unit_lang)
        c = text[end:end + 1]
        if c in firsts or (c in _SP_CHARS and text[end + 1:end + 2] in firsts):
            m = self.fam.unit_re.match(text, end)
        else:
            m = None
        if m is None and self.fam.name != "zh" and c in units.first_chars("zh"):
            m = units.unit_re("zh").match(text, end)
        if m is None:
            return None
        names = units.unit_names("zh" if self.fam.name == "zh" else "de" if self.fam.name == "de" else "en")
        return names.get(m["unit"]) or units.unit_names("zh").get(m["unit"])


def extract_numbers(text: str, lang: str | None, *, words: bool = True,
                    scan: ScanText | None = None) -> list[NumberMention]:
    """All number, percent, year, money, date, decade and ordinal mentions in ``text``, in text order.

    Args:
        lang: BCP 47-ish tag; its primary subtag picks the conventions ("1.500" is 1500 in German, 1.5 in
            English). Unknown languages get English separators, Chinese patterns and both German and
            English dates, but no number words.
        words: also read German/English spelled-out numbers (zwei, twenty-one, eine Milliarde).
        scan: the text's prefilter tests when the caller has them (a rule's ``ctx.scan``), so that the text is
            not lowered again.
    """
    if len(text) > _MAX_REMEMBERED_TEXT:
        return Extractor(text, family(lang), words, scan).run()
    return list(_extracted(_Asked(text, family(lang).name, words, scan)))


# A sentence is often read twice in one check (the whole target for TQ406, and the same sentence as a link of
# TQ701 when a bilingual unit is one sentence), and a source repeats across its translations. Only short texts
# are remembered, so that the cache never holds a batch's documents.
_MAX_REMEMBERED_TEXT = 2000


class _Asked:
    """What :func:`_extracted` is asked: equal and hashed as (text, family, words), so that the cache finds the
    mentions of a text whatever scan it comes with; the scan (the rule's ``ctx.scan``, whose lowered text and
    shared pass other rules use too) serves the extraction and is dropped once the entry is made."""

    __slots__ = ("family", "key", "scan", "text", "words")

    def __init__(self, text: str, family_name: str, words: bool, scan: ScanText | None) -> None:
        self.text, self.family, self.words, self.scan = text, family_name, words, scan
        self.key = (text, family_name, words)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Asked) and self.key == other.key


@lru_cache(maxsize=512)
def _extracted(asked: _Asked) -> tuple[NumberMention, ...]:
    scan, asked.scan = asked.scan, None  # the cache keeps this key: not its scan
    return tuple(Extractor(asked.text, _family_named(asked.family), asked.words, scan).run())
