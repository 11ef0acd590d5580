"""Where the patterns of number extraction can match, found once per text and shared by every step.

Each extraction step used to scan the whole text with its own pattern: a dozen scans of a German article for
the digit patterns alone, and one Aho–Corasick pass of the lowered text per number-word pattern. Here a text
is scanned once for its digits (and whether it has a Chinese character) and once (one automaton for all
number-word patterns of a language) for the places where a number word, month name or event name can begin.
Each pattern is then tried, as an anchored match, at those places only, in text order and never inside its
previous match: the matches ``pattern.finditer`` would find, found sooner.

Why run starts are enough for the digit patterns: every one of them begins with a digit (or, for English
decades, an apostrophe before one) and looks behind for a preceding ASCII digit, so it cannot start right after
one. Every other digit (the first of a run, one after a full-width or Arabic-Indic digit) is a candidate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tqcheck import prefilter, regexcache
from tqcheck.prefilter import ScanText

# A digit that no ASCII digit precedes (see the module notes), or a Chinese character (the look-behind always holds
# for one: it is no digit itself): one character class first, so that the engine scans for it in C; the
# look-behind after it reads the character before.
HAN_RANGES = "\u3400-\u9fff\uf900-\ufaff"
_DIGIT_START_OR_HAN_RE = regexcache.compile(f"[\\d{HAN_RANGES}](?<![0-9]\\d)")
_DIGIT_START_RE = regexcache.compile(r"\d(?<![0-9]\d)")
_HAN_LOW = "\u3400"
_APOSTROPHES = "'’"


@dataclass(frozen=True, slots=True)
class Digits:
    """Where digits start in a text, and whether it has a Chinese character."""

    # Every digit (``\d``) that no ASCII digit precedes: where a digit pattern can start (see the module notes).
    starts: list[int]
    han: bool


# The first bytes of the UTF-8 forms of the decimal digits other than 0–9 (what ``\d`` also matches: Arabic-Indic,
# Devanagari, full-width … digits) and of the Chinese characters of HAN_RANGES (tests/test_numbers_speed.py derives
# both from the Unicode data of the running Python). A text none of whose bytes is one of the first has only ASCII
# digits; one with none of the second has no Chinese character.
_DIGIT_LEADS = bytes([*range(0xD9, 0xE2), 0xEA, 0xEF, *range(0xF0, 0xF5)])
_HAN_LEADS = bytes([*range(0xE3, 0xEA), 0xEF])
_NOT_DIGIT_LEADS = bytes(sorted(set(range(256)) - set(_DIGIT_LEADS)))
_NOT_HAN_LEADS = bytes(sorted(set(range(256)) - set(_HAN_LEADS)))
_HAN_RE = regexcache.compile(f"[{HAN_RANGES}]")
_ASCII_DIGITS = "0123456789"


def scan_digits(text: str) -> Digits:
    """The digit starts and the Chinese-character test of ``text``.

    A text whose digits are all ASCII (a German or English one: the bytes of its UTF-8 form tell, in C) has its
    digits found with ``str.find``, a few microseconds a thousand characters; the regex scan below, which tests
    every character for ``\\d``, took ten times that. Any other text is scanned by :func:`scan_digits_by_pattern`.
    """
    if text.isascii():
        found = _ascii_digit_starts(text)
        return Digits(found, False) if found is not None else scan_digits_by_pattern(text)
    encoded = text.encode("utf-8", "surrogatepass")
    if encoded.translate(None, _NOT_DIGIT_LEADS):
        return scan_digits_by_pattern(text)  # maybe a digit other than 0-9
    found = _ascii_digit_starts(text)
    if found is None:
        return scan_digits_by_pattern(text)
    return Digits(found, bool(encoded.translate(None, _NOT_HAN_LEADS)) and _HAN_RE.search(text) is not None)


def _ascii_digit_starts(text: str) -> list[int] | None:
    """Every 0–9 that no 0–9 precedes, in order; None for a text dense with digits (one in eight characters or
    more), where a ``str.find`` per digit would cost more than the pattern, which skips the rest of each run."""
    limit = len(text) // 8 + 64
    digits: list[int] = []
    for digit in _ASCII_DIGITS:
        digits += prefilter.starts_of(digit, text)
        if len(digits) > limit:
            return None
    digits.sort()
    starts = []
    last = -2
    for at in digits:
        if at != last + 1:
            starts.append(at)
        last = at
    return starts


def scan_digits_by_pattern(text: str) -> Digits:
    """:func:`scan_digits` by the regex engine, for any text.

    A text without Chinese characters is scanned once for both; from the first Chinese character on the scan goes
    on for digit starts only (in Chinese text nearly every character would be a match). The regex engine skips
    the rest of each run of digits (its look-behind), where a loop in Python went over every digit."""
    starts: list[int] = []
    for m in _DIGIT_START_OR_HAN_RE.finditer(text):
        p = m.start()
        if text[p] >= _HAN_LOW and not text[p].isdecimal():
            starts += [m.start() for m in _DIGIT_START_RE.finditer(text, p + 1)]
            return Digits(starts, True)
        starts.append(p)
    return Digits(starts, False)


# The last text's scan, kept by identity: extraction and the format check read the same target text. One tuple,
# replaced in one assignment, so that threads never see one text with another's scan.
_LAST_DIGITS: tuple[str | None, Digits | None] = (None, None)


def shared_digits(text: str) -> Digits:
    """:func:`scan_digits`, worked out once for the text it was last asked about."""
    global _LAST_DIGITS
    last_text, found = _LAST_DIGITS
    if last_text is not text or found is None:
        found = scan_digits(text)
        _LAST_DIGITS = (text, found)
    return found


def with_apostrophes(text: str, starts: Sequence[int]) -> list[int]:
    """``starts`` and the apostrophe right before each of them ("'90s")."""
    out: list[int] = []
    for s in starts:
        if s and text[s - 1] in _APOSTROPHES:
            out.append(s - 1)
        out.append(s)
    return out


_SP_CHARS = frozenset(" \u00a0\u202f\u2009")  # common.SP


def scale_may_follow(fam: Any, text: str, pos: int) -> bool:
    """False when ``fam.scale_re`` (extract.Family) cannot match at ``pos``: after an optional space or hyphen the
    next character must start a scale word. Only ASCII characters are ruled out (their case folds are plain);
    any other goes to the pattern."""
    firsts = fam.scale_firsts
    if firsts is None:
        return True
    c = text[pos:pos + 1]
    if c in _SP_CHARS or c == "-":
        c = text[pos + 1:pos + 2]
    if not c:
        return False
    return not c.isascii() or c.lower() in firsts


@dataclass(frozen=True, slots=True)
class WordPattern:
    """A pattern whose every match starts with one of ``leads`` (lowercase), looked for in the lowered text."""

    pattern: re.Pattern[str]
    leads: frozenset[str]
    ignorecase: bool
    # Literals one of which every match contains, when a few substring tests of the lowered text can show that
    # none is there (the prefilter's test): then the pattern is not tried at all.
    gate: tuple[str, ...] | None


def word_pattern(pattern: re.Pattern[str], leads: frozenset[str]) -> WordPattern:
    found = prefilter.prefilter(pattern)
    gate = found.literals if found.literals and found.chars is None and found.automaton is None else None
    return WordPattern(pattern, leads, bool(pattern.flags & re.IGNORECASE), gate)


def pattern_leads(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The literals (lowercase) one of which every match of ``pattern`` starts with, if the prefilter knows them."""
    found = prefilter.prefilter(pattern).prefixes
    if found is None:
        return None
    return frozenset(found.automaton.keys())


_NONE: list[int] = []


class LeadAutomaton:
    """One Aho–Corasick automaton for the leads of several word patterns."""

    def __init__(self, patterns: Sequence[WordPattern]) -> None:
        self.patterns = tuple(patterns)
        self.index = {id(p.pattern): k for k, p in enumerate(patterns)}
        self.ignorecase = any(p.ignorecase for p in patterns)
        by_lead: dict[str, list[int]] = {}
        for k, p in enumerate(patterns):
            for lead in p.leads:
                by_lead.setdefault(lead, []).append(k)
        self.automaton = prefilter.automaton((lead, (len(lead) - 1, ks)) for lead, ks in _shortest_leads(by_lead))

    def positions(self, lowered: str) -> dict[int, list[int]]:
        """Pattern index → the sorted positions where one of its leads starts (patterns without any: absent)."""
        return self.positions_of_hits(self.automaton.iter(lowered) if len(self.automaton) else ())

    def positions_in(self, scan: ScanText) -> dict[int, list[int]]:
        """:meth:`positions` of the scan's lowered text, from its shared pass (:meth:`ScanText.hits`)."""
        return self.positions_of_hits(scan.hits(self.automaton))

    @staticmethod
    def positions_of_hits(hits: Iterable[tuple[int, tuple[int, tuple[int, ...]]]]) -> dict[int, list[int]]:
        found: dict[int, set[int]] = {}
        for end, (back, ks) in hits:
            start = end - back
            for k in ks:
                spot = found.get(k)
                if spot is None:
                    found[k] = {start}
                else:
                    spot.add(start)
        return {k: sorted(v) for k, v in found.items()}


def _shortest_leads(by_lead: dict[str, list[int]]) -> list[tuple[str, tuple[int, ...]]]:
    """Each lead with the patterns it must report: not those that a shorter lead of theirs opens it with ("ein"
    stands wherever "eine", "einem" … stand, at the same place), so that a place is found once, not once a lead
    (the longer leads were a third of the hits in German text)."""
    kept = []
    for lead, ks in by_lead.items():
        own = tuple(k for k in ks if not any(k in by_lead.get(lead[:i], ()) for i in range(1, len(lead))))
        if own:
            kept.append((lead, own))
    return kept


class WordPlaces:
    """The positions of one text where each of a set of word patterns can start (one pass for all)."""

    __slots__ = ("_positions", "automaton", "scan")

    def __init__(self, automaton: LeadAutomaton, scan: ScanText) -> None:
        self.automaton = automaton
        self.scan = scan
        self._positions: dict[int, list[int]] | None = None

    def usable(self, k: int) -> bool:
        # As in the prefilter: the lowered text's offsets must be the text's, and its folds the engine's.
        scan = self.scan
        return scan.offsets_kept and not (self.automaton.patterns[k].ignorecase and scan.extra_folds)

    def positions_of(self, k: int) -> list[int]:
        """Where pattern ``k`` can start (only when :meth:`usable`)."""
        if self._positions is None:
            self._positions = self.automaton.positions_in(self.scan)
        return self._positions.get(k, _NONE)

    def positions(self, pattern: re.Pattern[str]) -> list[int] | None:
        """Where a pattern of this set can start, or None when the lowered text cannot stand for the text."""
        k = self.automaton.index[id(pattern)]
        return self.positions_of(k) if self.usable(k) else None

    def none_at_all(self) -> bool:
        """Whether no pattern of the set can match anywhere (the lowered text usable for every one)."""
        scan = self.scan
        if not scan.offsets_kept or (self.automaton.ignorecase and scan.extra_folds):
            return False
        if self._positions is None:
            self._positions = self.automaton.positions_in(scan)
        return not self._positions

    def gated_out(self, k: int) -> bool:
        """Whether pattern ``k``'s gate shows it cannot match (only when :meth:`usable`)."""
        gate = self.automaton.patterns[k].gate
        if gate is None:
            return False
        lowered = self.scan.lowered
        return not any(literal in lowered for literal in gate)


# --- memoised matches of the small patterns read around every mention ---------------------------------------

_MEMO_LIMIT = 20_000  # entries per pattern; a cache past it starts again (a 10 MB text must not grow it forever)


class BeforeMemo:
    """``pattern.search(text, max(0, end - width), end)`` for a pattern whose look-behinds read one character
    before a match at most, remembered by the characters it can read (offsets count from the window's start,
    which is ``end - len(window) + 1`` when the window has a character before it)."""

    __slots__ = ("cache", "pattern", "width")

    def __init__(self, pattern: re.Pattern[str], width: int) -> None:
        self.pattern = pattern
        self.width = width
        self.cache: dict[str, tuple[int, str] | None] = {}

    def search(self, text: str, end: int) -> tuple[int, str] | None:
        """(start, matched text) of the match, or None."""
        start = end - self.width - 1
        key = text[start:end] if start >= 0 else text[:end]
        cache = self.cache
        try:
            found = cache[key]
        except KeyError:
            if len(cache) >= _MEMO_LIMIT:
                cache.clear()
            # A full window has one character before the searched range, for the look-behind to read.
            m = self.pattern.search(key, 1 if start >= 0 else 0)
            found = cache[key] = (m.start() - len(key), m.group()) if m else None
        return None if found is None else (end + found[0], found[1])

