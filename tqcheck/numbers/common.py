"""Pieces every language shares: regex fragments, Arabic-digit parsing, and the currency/percent/unit tables."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache, lru_cache

from tqcheck import regexcache
from tqcheck.numbers import lexicon
from tqcheck.numbers.model import Parsed

D = "[0-9０-９]"
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# Characters that may group digits besides "," and ".": NBSP, narrow NBSP, thin space (DIN 5008, SI).
# A plain space groups only where nothing else can be meant (see SPACE_GROUPED_RE).
GROUP_SPACES = "\u00a0\u202f\u2009"
SP = "[ \u00a0\u202f\u2009]"  # the one optional space allowed between a number and its unit
LATIN = "A-Za-zÀ-ÖØ-öø-ÿĀ-ɏ"
LATIN_RE = regexcache.compile(f"[{LATIN}]")
NOT_LETTER_AHEAD = r"(?![^\W\d_])"
NOT_LETTER_BEHIND = r"(?<![^\W\d_])"
PREV_WORD_RE = regexcache.compile(r"(\S+)[ \u00a0]+$")

# A plain four-digit integer in this range reads as a year. Years and counts still match each other in
# compare_numbers, so a wrong guess ("1500 Mitarbeiter") costs nothing there.
YEAR_RANGE = (1500, 2100)


def alternation(words: Iterable[str]) -> str:
    """Regex alternation of literal words, longest first so that "美元" wins over "元"; words of one length in
    alphabetical order, so that every process writes the same pattern (tqcheck.regexcache keeps its program)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))) or "(?!)"


def ascii_digits(s: str) -> str:
    # An ASCII string has no full-width digit, and translate() is slow for a short string (microseconds).
    return s if s.isascii() else s.translate(FULLWIDTH_DIGITS)


def prev_word(text: str, lo: int, start: int) -> str | None:
    """``PREV_WORD_RE.search(text, lo, start).group(1)`` without the search's quadratic retries: the run of
    non-space characters before the spaces (plain or no-break) that end ``text[lo:start]``; None if none.

    As ``$`` does, the spaces may end before a final newline of the range."""
    end = start - 1 if start > lo and text[start - 1] == "\n" else start
    window = text[lo:end]
    stripped = window.rstrip(" \u00a0")
    if len(stripped) == len(window) or not stripped or stripped[-1].isspace():
        return None
    return stripped.rsplit(None, 1)[-1]


# --- Arabic digits ----------------------------------------------------------------------------------------

ARABIC_RE = regexcache.compile(rf"(?<![0-9０-９.,]){D}+(?:[.,{GROUP_SPACES}]{D}+)*")
# "28 020": one to three digits, one plain space, exactly three digits, and nothing that makes the second
# group a number of its own (a unit glued to it, a decimal part, a hyphenated compound).
SPACE_GROUPED_RE = regexcache.compile(rf"(?<![0-9０-９.,]){D}{{1,3}}(?: {D}{{3}})+(?![0-9０-９]|[.,]{D}|-)")


def _valid_grouping(groups: list[str]) -> bool:
    """1,234,567: a lead of one to three digits (no leading zero), then groups of exactly three."""
    lead = groups[0]
    return 1 <= len(lead) <= 3 and not lead.startswith("0") and all(len(g) == 3 for g in groups[1:])


def decimal_value(int_digits: str, frac_digits: str) -> tuple[Decimal, Decimal]:
    return Decimal(f"{int_digits}.{frac_digits}"), Decimal(1).scaleb(-len(frac_digits))


_NOT_A_DIGIT = regexcache.compile(r"[^0-9]")


# Remembered: the same figures come back in every text ("2023", "10", "1,5"), each read by extraction and again by
# the format check; the result is immutable and depends on the two arguments alone.
@lru_cache(maxsize=8192)
def parse_arabic(core: str, decimal_comma: bool) -> Parsed | None:
    """Read a run of digits and separators; ``None`` for identifiers (2.0.1, 192.168.0.1) and lists (1,2,3).

    One mark followed by exactly three digits is ambiguous (1.500, 1,500); the language decides, and the
    other reading is kept as ``alt_value`` by the caller (see :func:`alternative_reading`).
    """
    s = ascii_digits(core)
    seps = [ch for ch in s if not "0" <= ch <= "9"]
    if not seps:
        return Parsed(Decimal(s), Decimal(1))
    groups = _NOT_A_DIGIT.split(s)
    if len(set(seps)) == 1:
        sep = seps[0]
        if sep in GROUP_SPACES or sep == " " or len(seps) > 1:
            if not _valid_grouping(groups):
                return None
            return Parsed(Decimal("".join(groups)), Decimal(1), sep, None)
        before, after = groups
        if len(after) == 3 and _valid_grouping(groups):
            decimal_mark = "," if decimal_comma else "."
            if sep != decimal_mark:
                return Parsed(Decimal(before + after), Decimal(1), sep, None)
        value, precision = decimal_value(before, after)
        return Parsed(value, precision, None, sep)
    # two kinds of mark: the last one is the decimal mark and occurs once; the rest group the digits
    dec = seps[-1]
    group_marks = set(seps[:-1])
    if dec not in ".," or seps.count(dec) != 1 or len(group_marks) != 1 or not _valid_grouping(groups[:-1]):
        return None
    value, precision = decimal_value("".join(groups[:-1]), groups[-1])
    return Parsed(value, precision, group_marks.pop(), dec)


@lru_cache(maxsize=8192)
def alternative_reading(core: str, decimal_comma: bool) -> Decimal | None:
    """The value of ``core`` under the other language's separators, when that differs (1,500 → 1500 in German)."""
    if "," not in core and "." not in core:
        return None
    here, there = parse_arabic(core, decimal_comma), parse_arabic(core, not decimal_comma)
    if here is None or there is None or here.value == there.value:
        return None
    return there.value


# --- tables built from the data files --------------------------------------------------------------------


@cache
def currency_table(kind: str) -> dict[str, str]:
    """Currency words of a language ("zh", "de", "en", "codes", "symbol") → ISO code, any position."""
    return {word: fields[0] for word, fields in lexicon.by_lang("currencies.tsv", kind).items()}


@cache
def currency_prefixes() -> dict[str, str]:
    """Symbols and words that may stand before an amount ("US$5", "RMB 5", "人民币5亿元", "RM476.5")."""
    return {word: fields[0] for word, fields in lexicon.by_lang("currencies.tsv", "zh", "codes", "symbol").items()
            if fields[1] in ("prefix", "both")}


CURRENCY_SYMBOLS: Mapping[str, str] = currency_table("symbol")


@cache
def percent_words(lang: str) -> dict[str, str]:
    return {word: fields[0] for word, fields in lexicon.by_lang("percent.tsv", lang).items()}


@cache
def scale_words(kind: str) -> dict[str, int]:
    """Scale words of "de", "en" or "money" (suffixes that scale amounts only: £44m) → factor."""
    return {word: int(fields[0]) for word, fields in lexicon.by_lang("scales.tsv", kind).items()}
