"""Month names and the date patterns German and English share (ISO dates, a month name standing alone)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from tqcheck import regexcache
from tqcheck.numbers import lexicon
from tqcheck.numbers.common import NOT_LETTER_AHEAD, D, alternation


def _months(lang: str, *forms: str) -> dict[str, int]:
    return {name: int(fields[0]) for name, fields in lexicon.by_lang("months.tsv", lang).items() if fields[1] in forms}


MONTHS: Mapping[str, Mapping[str, int]] = {lang: _months(lang, "full", "word") for lang in ("de", "en")}
MONTH_ABBREVIATIONS: Mapping[str, Mapping[str, int]] = {lang: _months(lang, "abbr") for lang in ("de", "en")}
# Month names that are ordinary words too ("May", "may"): alone they count only mid-sentence, capitalised.
_WORD_MONTHS: Mapping[str, Mapping[str, int]] = {lang: _months(lang, "word") for lang in ("de", "en")}

ISO_DATE_RE = regexcache.compile(
    rf"(?<![0-9０-９.,])(?P<y>{D}{{4}})(?P<sep>[-/.])(?P<m>{D}{{1,2}})(?P=sep)(?P<d>{D}{{1,2}})(?![0-9０-９])"
)


def month_pattern(lang: str) -> str:
    full = alternation(MONTHS[lang])
    abbr = alternation(MONTH_ABBREVIATIONS[lang])
    return rf"(?P<mon>(?:{full}){NOT_LETTER_AHEAD}|(?:{abbr})(?:\.|{NOT_LETTER_AHEAD}))"


def full_months(lang: str) -> str:
    """Alternation of the full month names (no abbreviations): "November 2019", "May of 2019"."""
    return alternation(MONTHS[lang])


def month_number(lang: str, token: str) -> int:
    name = token.rstrip(".")
    return MONTHS[lang].get(name) or MONTH_ABBREVIATIONS[lang][name]


# A month name alone ("im Mai", "in March"): a date with only the month, which translations often render
# differently or leave out; unmatched it is not reported (see compare.soft). "May" needs a lowercase word
# before it, so that the modal verb at the start of a sentence stays a word.
MONTH_ALONE_RE: Mapping[str, re.Pattern[str]] = {
    lang: regexcache.compile(
        rf"(?<![^\W\d_])(?P<mon>{alternation(set(MONTHS[lang]) - set(_WORD_MONTHS[lang]))}){NOT_LETTER_AHEAD}"
        + (rf"|(?<=[a-z,] )(?P<word>{alternation(_WORD_MONTHS[lang])}){NOT_LETTER_AHEAD}" if _WORD_MONTHS[lang] else "")
    )
    for lang in ("de", "en")
}


def valid_date(y: int | None, m: int | None, d: int | None) -> bool:
    return (m is None or 1 <= m <= 12) and (d is None or 1 <= d <= 31) and (y is None or 1000 <= y <= 2999)
