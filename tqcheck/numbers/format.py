"""Numbers written against the target language's conventions (decimal mark, grouping, % and currency spacing)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tqcheck import regexcache
from tqcheck.numbers import lexicon
from tqcheck.numbers.candidates import shared_digits
from tqcheck.numbers.common import CURRENCY_SYMBOLS, GROUP_SPACES, SP, D, alternation, parse_arabic, prev_word
from tqcheck.numbers.extract import family
from tqcheck.numbers.model import FormatProblem, NumberMention, Parsed
from tqcheck.prefilter import from_positions
from tqcheck.types import Span
from tqcheck.wording import quote

# A number right after one of these words is a version, model, section or the like, not a quantity.
VERSION_CUES = frozenset(lexicon.words("version_cues.txt"))
_CORE_IN_RAW = regexcache.compile(rf"{D}+(?:(?:[.,{GROUP_SPACES}]| (?={D}{{3}}(?!{D})))(?:{D}+))*")
_SYMBOL_PREFIX_RE = regexcache.compile(rf"^(?P<sym>{alternation(CURRENCY_SYMBOLS)}){SP}?")
_SYMBOL_SUFFIX_RE = regexcache.compile(rf"(?P<space>{SP}?)(?P<sym>{alternation(CURRENCY_SYMBOLS)})$")
# German: a time glued to "Uhr" ("1.30Uhr"), a day or ordinal dot glued to the next word ("16.Dezember").
_GLUED_UHR_RE = regexcache.compile(r"(?<![\d.,:])(?P<num>\d{1,2}(?:[.:]\d{2})?)(?P<word>Uhr)(?![^\W\d_])")
_GLUED_ORDINAL_RE = regexcache.compile(r"(?<![\w.,])(?P<num>\d{1,2}\.)(?P<word>[A-ZÄÖÜ][a-zäöüß]{2,})")


def _swap_marks(core: str) -> str:
    """1,500.5 ↔ 1.500,5."""
    return core.translate(str.maketrans({",": ".", ".": ","}))


def _version_context(text: str, start: int) -> bool:
    prev = prev_word(text, max(0, start - 30), start)
    if prev is None:
        return False
    word = prev.strip("([„“\"'")
    if word.lower() in VERSION_CUES:
        return True
    # iOS, macOS, HarmonyOS, GPT-4, USB: product-like tokens (inner capitals, digits, acronyms)
    return any(ch.isupper() for ch in word[1:]) or any(ch.isdigit() for ch in word)


def _prev_word_is_lower(text: str, start: int) -> bool:
    prev = prev_word(text, max(0, start - 30), start)
    if prev is None:
        return True
    word = prev
    return not word[0].isalpha() or word[0].islower()


def check_format(target_mentions: list[NumberMention], text: str, lang: str | None) -> list[FormatProblem]:
    """Numbers in ``text`` (the target) written against the conventions of ``lang`` (German or English).

    German: "," is the decimal mark and "." (or a thin space) groups digits; DIN 5008 puts a space before
    "%" and the currency symbol after the number. English: the reverse for the marks, no space before "%",
    symbol first; German sets a space before "Uhr" and after a day's dot ("16. Dezember"). Digits grouped
    with a plain space ("28 020") may break at a line end: German is told to
    use a dot or a no-break space, English a comma. Years, dates, ordinals and bare integers are never
    flagged, so versions, times, phone numbers and product names (iPhone 15) stay silent; a decimal point
    after a version-like word ("iOS 17.1", "Industrie 4.0") is taken for a version. A German decimal point
    is flagged only when the number carries a unit or scale, or follows a lowercase word ("auf 1.5"): after
    a capitalized word it may be a product name, and the cost of a false alarm is higher than that of a miss.
    """
    fam = family(lang).name
    if fam not in ("de", "en"):
        return []
    problems: list[FormatProblem] = list(_glued_words(text)) if fam == "de" else []
    for m in target_mentions:
        if m.kind not in ("number", "percent", "money") or m.spelled:
            continue
        core_match = _CORE_IN_RAW.search(m.raw)
        if core_match is None:
            continue
        core = core_match.group()
        cs = m.span.start + core_match.start()
        core_span = Span(cs, cs + len(core))
        decorated = m.raw.strip() != core  # a unit, scale or currency is attached
        parsed = parse_arabic(core, fam == "de")
        if parsed is not None:
            problems.extend(_check_marks(fam, m, parsed, core, core_span, decorated, text))
        if m.kind == "percent":
            problems.extend(_check_percent(fam, m, core_match.end()))
        if m.kind == "money":
            problems.extend(_check_currency(fam, m, core_match))
    return problems


def _glued_words(text: str) -> Iterator[FormatProblem]:
    """"1.30Uhr" and "16.Dezember": German sets a space between a number and the word after it."""
    # Both start at a digit that no digit precedes: tried at the digit starts extraction found (shared_digits).
    starts = shared_digits(text).starts
    for pattern, what in ((_GLUED_UHR_RE, "time"), (_GLUED_ORDINAL_RE, "ordinal")):
        if pattern is _GLUED_UHR_RE and "Uhr" not in text:
            continue
        for m in from_positions(pattern, starts, text):
            yield FormatProblem(Span(*m.span()), f"No space in {quote(m.group())}: German writes "
                                f"{quote(m['num'] + ' ' + m['word'])}.", f"{m['num']} {m['word']}", f"{what}-space")


def _check_marks(
    fam: str, m: NumberMention, parsed: Parsed, core: str, span: Span, decorated: bool, text: str
) -> Iterator[FormatProblem]:
    swapped = _swap_marks(core)
    if parsed.group == " ":
        fixed = core.replace(" ", "." if fam == "de" else ",")
        advice = ("German groups digits with a point or a no-break space" if fam == "de"
                  else "English groups digits with a comma")
        yield FormatProblem(span, f"Plain space grouping in {quote(core)}: it may break at a line end; {advice}.",
                            fixed, "grouping-separator")
    elif fam == "de":
        if parsed.decimal == "." and not _version_context(text, m.span.start):
            if parsed.group or decorated or _prev_word_is_lower(text, m.span.start):
                yield FormatProblem(span, f"Decimal point in {quote(core)}: German uses a decimal comma.",
                                    swapped, "decimal-separator")
        elif parsed.group == "," and parsed.decimal is None:
            yield FormatProblem(span, f"Comma grouping in {quote(core)}: German groups digits with a point or a thin "
                                "space.",
                                swapped, "grouping-separator")
    else:
        if parsed.decimal == "," and (parsed.group or decorated):
            yield FormatProblem(span, f"Decimal comma in {quote(core)}: English uses a decimal point.",
                                swapped, "decimal-separator")
        elif parsed.group == "." and parsed.decimal is None:
            yield FormatProblem(span, f"Dot grouping in {quote(core)}: English groups digits with a comma.",
                                swapped, "grouping-separator")


def _check_percent(fam: str, m: NumberMention, core_end: int) -> Iterator[FormatProblem]:
    rest = m.raw[core_end:]
    if not rest.lstrip(" \u00a0\u202f\u2009").startswith("%"):
        return
    number = m.raw[:core_end]
    span = Span(m.span.start, m.span.start + core_end + rest.index("%") + 1)
    if fam == "de" and rest.startswith("%"):
        yield FormatProblem(span, f"No space before the percent sign in {quote(m.raw)}: German (DIN 5008) sets "
                            "a no-break space before %.",
                            f"{number}\u00a0%", "percent-space")
    elif fam == "en" and not rest.startswith("%"):
        yield FormatProblem(span, f"Space before the percent sign in {quote(m.raw)}: English writes none.",
                            f"{number}%", "percent-space")


def _check_currency(fam: str, m: NumberMention, core_match: re.Match[str]) -> Iterator[FormatProblem]:
    raw = m.raw
    if fam == "de":
        prefix = _SYMBOL_PREFIX_RE.match(raw)
        if prefix:
            amount = raw[prefix.end():]
            yield FormatProblem(m.span, f"Currency symbol before the amount in {quote(raw)}: German puts it after.",
                                f"{amount}\u00a0{prefix['sym']}", "currency-position")
            return
        suffix = _SYMBOL_SUFFIX_RE.search(raw)
        if suffix and not suffix["space"] and suffix.start() >= core_match.end():
            amount = raw[:suffix.start()]
            yield FormatProblem(m.span, f"No space between amount and currency symbol in {quote(raw)}: German "
                                "(DIN 5008) sets a no-break space.",
                                f"{amount}\u00a0{suffix['sym']}", "currency-position")
    else:
        suffix = _SYMBOL_SUFFIX_RE.search(raw)
        if suffix and suffix.start() >= core_match.end() and not _SYMBOL_PREFIX_RE.match(raw):
            amount = raw[:suffix.start()]
            yield FormatProblem(m.span, f"Currency symbol after the amount in {quote(raw)}: English puts it before.",
                                f"{suffix['sym']}{amount}", "currency-position")
