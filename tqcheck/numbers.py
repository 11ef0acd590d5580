"""Numbers, dates, percentages and money in Chinese, German and English text, and whether they survive MT.

Why this module exists: a wrong or dropped figure is the costliest error a machine translation can make in a
business article (2.17亿 rendered as "2,17 Milliarden" is off by a factor of ten), and string comparison
cannot see it, because every language writes the same value differently (2.17亿 = 217 Millionen =
217 million = 0,217 Mrd.). So every mention is reduced to a :class:`~decimal.Decimal` value plus a kind,
and the two sides are compared as multisets of values.

Three functions, all pure and stdlib-only:

* :func:`extract_numbers` finds mentions; each one's ``span`` is a code-point range into the untouched text
  and ``text[span.start:span.end] == raw``.
* :func:`compare_numbers` matches source mentions to target mentions and reports what is missing or added.
* :func:`check_format` reports target-language formatting slips (decimal point in German, "30%" in German,
  "€5" in German, "30 %" in English ...).

Decisions worth knowing (each one trades recall for fewer false alarms):

* Chinese 一 on its own (一个, 一些, 一起, 统一 ...) is never a number: it is an article far more often than a
  figure and translations drop it legitimately ("一个公司" → "ein Unternehmen"). It still counts inside a
  longer numeral (一万二千), after 第 (第一 = ordinal 1), after 百分之, and before a currency (一元).
  The other single numerals (三, 两 ...) count only before a classifier or measure word (三个, 两年, 五倍),
  which rules out idioms such as 三心二意 and 一石二鸟 without listing them all. The idioms that slip past
  these structural rules are listed in :data:`ZH_NOT_NUMBERS`.
* 第一时间 ("at once") is not an ordinal: translations never render it as "first".
* Event names 双十一 / 双11 / 双十二 / "Double 11" are skipped, not read as 11-11 dates: translations render
  them as names ("Singles' Day"), so a date mention would only produce false "missing" reports.
* Spelled-out numbers in German and English (zwei … zwölf, zwanzig, hundert, tausend, their compounds;
  two … twelve, twenty-one ...) are extracted when ``words=True``. "ein"/"eine"/"one"/"a" count only
  before a scale word ("eine Milliarde", "a million"), for the same reason as Chinese 一. Chinese numerals
  count as spelled too (两款 is the Chinese way of writing "zwei"). Spelled numbers of value ≤ 12 that
  find no partner land in :attr:`NumberDiff.ignored`, not in ``added``/``missing``: "beide" for 双方 or
  "die Produkte QQ und WeChat" for QQ和微信两款产品 are not errors. Digits are always reported.
* Values are unsigned magnitudes: "下降5%" becomes "-5 %" or "fell 5 %" legitimately, and ranges like
  "2019-2020" must not turn into negative numbers. Direction words are a lexical matter for other rules.
* Fractions (三分之一, one third), decades (1990er, 90年代), approximations (数千万, Tausende) and
  US-style m/d/y dates are not interpreted. Times (10:30, 10.30 Uhr) become their hour and minute as plain
  numbers, so "10点30分" and "10:30" still match.
* In a range the first end takes the unit and scale written once after the second ("0,6 bis 1,5 Prozent",
  "2至3亿元", "200 to 300 million"), but only when the two are joined directly (bis, und, -, 至 ...).
* ``$`` is read as USD and ``¥``/``￥`` as CNY: this tool checks zh↔de/en news, where that is the usual
  meaning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal

from tqcheck.types import Span

__all__ = [
    "FormatProblem",
    "NumberDiff",
    "NumberKind",
    "NumberMention",
    "check_format",
    "compare_numbers",
    "extract_numbers",
]

NumberKind = Literal["number", "percent", "year", "money", "date", "ordinal"]
DateParts = tuple[int | None, int | None, int | None]


@dataclass(frozen=True, slots=True)
class NumberMention:
    """One number-like expression in a text.

    ``value`` is the magnitude after applying scale words (2.17亿 → 217000000). For a date it is
    ``year*10000 + month*100 + day`` with absent parts as 0 (11月11日 → 1111), and ``parts`` holds
    ``(year, month, day)`` with ``None`` for the absent ones. ``unit`` is "%" or "pp" (percentage points)
    for percentages and an ISO 4217 code for money. ``precision`` is the value of one step in the last
    digit shown (2.17亿 → 1000000; 1.500 → 1), which bounds the rounding a translation may apply.
    ``spelled`` marks numbers written in words: German/English number words (zwei, twenty-one) and
    Chinese numerals (两, 三十).
    """

    span: Span
    value: Decimal
    kind: NumberKind
    unit: str | None
    raw: str
    precision: Decimal = Decimal(1)
    parts: DateParts | None = None
    spelled: bool = False


@dataclass(frozen=True, slots=True)
class NumberDiff:
    """How the numbers of a source and its translation correspond.

    ``ignored`` holds unmatched spelled-out numbers of value ≤ 12 (see the module notes): too often they
    render a non-numeric source word ("beide" for 双方), so reporting them would be noise.
    """

    missing: list[NumberMention]
    added: list[NumberMention]
    matched: list[tuple[NumberMention, NumberMention]]
    ignored: list[NumberMention] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.added


@dataclass(frozen=True, slots=True)
class FormatProblem:
    """A number written against the target language's conventions.

    ``suggestion`` is the corrected text for ``span`` (machine-applicable, e.g. "1,5"); ``message`` says
    what is wrong and why. ``kind`` is one of "decimal-separator", "grouping-separator", "percent-space",
    "currency-position".
    """

    span: Span
    message: str
    suggestion: str
    kind: str = "format"


# --------------------------------------------------------------------------------------------------
# Language data. Tables are data, not code: extend them here, the patterns are built from them.
# --------------------------------------------------------------------------------------------------

_D = "[0-9０-９]"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# Characters that may group digits besides "," and ".": NBSP, narrow NBSP, thin space (DIN 5008, SI).
# A plain space is deliberately not one: "in 2019 500 Mitarbeiter" would merge two numbers.
_GROUP_SPACES = "\u00a0\u202f\u2009"
_SP = "[ \u00a0\u202f\u2009]"  # the one optional space allowed between a number and its unit
_LATIN = "A-Za-zÀ-ÖØ-öø-ÿĀ-ɏ"
_LATIN_RE = re.compile(f"[{_LATIN}]")
_NOT_LETTER_AHEAD = r"(?![^\W\d_])"

# Chinese numerals. 两 is the counting form of 2 (两百, 两个); 〇 is used in digit-by-digit years (二〇一九).
ZH_DIGITS: Mapping[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
    "九": 9,
    # financial forms, used on invoices and in contracts
    "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}
ZH_SMALL_UNITS: Mapping[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
ZH_BIG_UNITS: Mapping[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_ZH_NUMERAL_CHARS = "".join(ZH_DIGITS) + "".join(ZH_SMALL_UNITS) + "".join(ZH_BIG_UNITS)

# Measure words after which a lone numeral (三个, 两年, 五倍) is a count. Without one, a lone numeral is
# part of a word or idiom (三心二意, 两岸, 三星) far more often than a number. Order: longer first.
ZH_CLASSIFIERS: tuple[str, ...] = (
    "个月", "个百分点", "分钟", "小时", "星期", "季度", "公里", "千米", "平方", "公斤", "年级", "世纪",
    "个", "位", "名", "家", "次", "种", "件", "条", "项", "本", "台", "辆", "座", "所", "只", "头", "岁",
    "倍", "年", "天", "周", "部", "款", "张", "篇", "份", "层", "步", "轮", "批", "场", "届", "代", "级",
    "人", "秒", "米", "吨", "国", "省", "城", "队", "股", "期", "集", "章", "点",
)

# Words that contain numerals but are not numbers. Entries are regular expressions; none of them applies
# right after another numeral, so 三千万 stays a number although 千万 ("by all means") is listed.
ZH_NOT_NUMBERS: tuple[str, ...] = (
    "一些", "一起", "一直", "一定", "一般", "一样", "一方面", "一致", "一切", "一旦", "一边", "统一", "唯一",
    "万一", "千万", "万万", "十分(?!钟)", "百度", "百姓", "百货", "千方百计", "三心二意", "一石二鸟",
    "一举两得", "十全十美", "三番五次", "五花八门", "乱七八糟", "七上八下", "四面八方", "九牛一毛",
    "一五一十", "十万火急", "千千万万", "成千上万", "成千上百", "三三两两", "一心一意", "独一无二",
    "第一时间",
    # 十一 alone is also the National Day holiday (1 October)
    "十一(?=黄金周|长假|假期|期间)",
)
# Shopping festivals named after dates; translations give names ("Singles' Day"), not dates.
EVENT_NAMES: Mapping[str, tuple[str, ...]] = {
    "zh": ("双十一", "双11", "双十二", "双12", "双１１", "双１２"),
    "latin": (r"Double[ -](?:11|12|Eleven|Twelve)(?![0-9])",),
}
# Chinese weekday names contain numerals (星期三 = Wednesday, 周一 = Monday).
ZH_WEEKDAY_PREFIXES: tuple[str, ...] = ("星期", "礼拜", "周")

# Scale words after a number. German Billion is 10**12, English billion 10**9: the tables must stay apart.
SCALE_WORDS: Mapping[str, Mapping[str, int]] = {
    "de": {
        "tausend": 10**3, "tsd.": 10**3, "tsd": 10**3,
        "million": 10**6, "millionen": 10**6, "mio.": 10**6, "mio": 10**6,
        "milliarde": 10**9, "milliarden": 10**9, "mrd.": 10**9, "mrd": 10**9,
        "billion": 10**12, "billionen": 10**12,
    },
    "en": {
        "hundred": 100, "thousand": 10**3, "million": 10**6, "mn": 10**6, "mln": 10**6,
        "billion": 10**9, "bn": 10**9, "trillion": 10**12, "tn": 10**12,
    },
}
# Chinese scale characters after Arabic digits (1.5万, 2.17亿, 3千, 5百万, 1.2万亿). A lone 百 is not one:
# after digits it nearly always starts a word ("2019百度数码年度作者").
_ZH_SCALE_CHARS = re.compile(r"[百千万亿萬億]+")
_ZH_SCALE_CHAIN = re.compile(r"千|[百千]?[万亿萬億]+")
# Words and names that start with a scale character; after digits they stay words (3千瓦 = 3 kW,
# 2019万达 = "2019 Wanda").
ZH_SCALE_BLOCKERS: tuple[str, ...] = (
    "百度", "百家", "百货", "百姓", "百强", "百科", "千瓦", "千克", "千米", "千卡", "千焦", "千兆", "千岛",
    "万达", "万科", "万豪", "万象", "万维网", "亿航",
)
# Words joining the ends of a range; the first end takes the unit of the second ("0,6 bis 1,5 Prozent",
# "2至3亿元", "30-40%").
_RANGE_JOIN_RE = re.compile(
    r"[ \u00a0]?(?:[-–—~～至到]|bis|und|oder|to|and|or)[ \u00a0]?"
)

# Percent markers; the value is the unit stored on the mention ("pp" = percentage points).
PERCENT_WORDS: Mapping[str, Mapping[str, str]] = {
    "zh": {"个百分点": "pp", "百分点": "pp"},
    "de": {"Prozent": "%", "Prozentpunkte": "pp", "Prozentpunkten": "pp", "Prozentpunkt": "pp"},
    "en": {"percent": "%", "per cent": "%", "pct": "%", "percentage points": "pp", "percentage point": "pp"},
}
_PERCENT_SIGNS = "%％"

# Currency words and symbols after a number, and codes/symbols before one, mapped to ISO 4217.
CURRENCY_SUFFIXES: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "美元": "USD", "欧元": "EUR", "英镑": "GBP", "日元": "JPY", "港元": "HKD", "港币": "HKD",
        "人民币": "CNY", "块钱": "CNY", "元": "CNY",
    },
    "de": {
        "Euro": "EUR", "US-Dollar": "USD", "Dollar": "USD", "Yuan": "CNY", "Renminbi": "CNY", "Yen": "JPY",
        "Pfund Sterling": "GBP", "Hongkong-Dollar": "HKD",
    },
    "en": {
        "euros": "EUR", "euro": "EUR", "US dollars": "USD", "US dollar": "USD", "U.S. dollars": "USD",
        "dollars": "USD", "dollar": "USD", "yuan": "CNY", "renminbi": "CNY", "yen": "JPY",
        "pounds sterling": "GBP", "Hong Kong dollars": "HKD",
    },
    # codes work after a number in every language ("5 Mrd. EUR", "RMB 5")
    "codes": {"EUR": "EUR", "USD": "USD", "CNY": "CNY", "RMB": "CNY", "GBP": "GBP", "JPY": "JPY", "HKD": "HKD"},
}
CURRENCY_SYMBOLS: Mapping[str, str] = {
    "US$": "USD", "HK$": "HKD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "￥": "CNY",
}
_CURRENCY_PREFIX_WORDS: Mapping[str, str] = {**CURRENCY_SUFFIXES["codes"], "人民币": "CNY"}

MONTHS: Mapping[str, Mapping[str, int]] = {
    "de": {
        "Januar": 1, "Jänner": 1, "Februar": 2, "März": 3, "April": 4, "Mai": 5, "Juni": 6, "Juli": 7,
        "August": 8, "September": 9, "Oktober": 10, "November": 11, "Dezember": 12,
    },
    "en": {
        "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7, "August": 8,
        "September": 9, "October": 10, "November": 11, "December": 12,
    },
}
MONTH_ABBREVIATIONS: Mapping[str, Mapping[str, int]] = {
    "de": {"Jan": 1, "Feb": 2, "Mär": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9,
           "Okt": 10, "Nov": 11, "Dez": 12},
    "en": {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9,
           "Oct": 10, "Nov": 11, "Dec": 12},
}
# Month names that are ordinary words too; they count only next to a day or year ("May 5", not "may").
_MONTHS_ONLY_IN_DATES = frozenset({"May"})

# German "3." is an ordinal only after one of these words ("der 3. Platz", "im 3. Quartal"); elsewhere the
# dot usually ends the sentence. Also used as date cues for "am 11.11.".
DE_ORDINAL_CUES = frozenset({
    "der", "die", "das", "den", "dem", "des", "am", "zum", "zur", "im", "vom", "beim", "ab", "bis", "seit",
})

DE_NUMBER_WORDS: Mapping[str, int] = {
    "ein": 1, "eine": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7,
    "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14,
    "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
}
DE_TENS: Mapping[str, int] = {
    "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80,
    "neunzig": 90,
}
DE_ORDINAL_STEMS: Mapping[str, int] = {
    "erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "fünft": 5, "sechst": 6, "siebt": 7, "siebent": 7,
    "acht": 8, "neunt": 9, "zehnt": 10, "elft": 11, "zwölft": 12,
}
EN_NUMBER_WORDS: Mapping[str, int] = {
    "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "hundred": 100, "thousand": 1000,
}
EN_TENS: Mapping[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
EN_ORDINALS: Mapping[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}

# A plain four-digit integer in this range reads as a year. Years and counts still match each other in
# compare_numbers, so a wrong guess ("1500 Mitarbeiter") costs nothing there.
YEAR_RANGE = (1500, 2100)
# Rounding tolerance: besides staying within half a step of the coarser shown precision, two values may
# differ by at most this share, so that "1万" (10000) does not match "15.000".
ROUNDING_RELATIVE_TOLERANCE = Decimal("0.05")
# Spelled numbers up to this value are too ambiguous to report when unmatched.
SPELLED_SMALL_MAX = 12


# --------------------------------------------------------------------------------------------------
# Compiled patterns
# --------------------------------------------------------------------------------------------------


def _alternation(words: Iterable[str]) -> str:
    """Regex alternation of literal words, longest first so that "美元" wins over "元"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_ARABIC_RE = re.compile(rf"(?<![0-9０-９.,]){_D}+(?:[.,{_GROUP_SPACES}]{_D}+)*")
_ZH_RUN_RE = re.compile(
    rf"[{_ZH_NUMERAL_CHARS}]+(?:点[零〇一二三四五六七八九]+[万亿萬億]*)?"
)
_ZH_NUMERAL_OR_DIGIT = f"0-9０-９{_ZH_NUMERAL_CHARS}"
_ZH_NOT_NUMBERS_RE = re.compile(
    rf"(?<![{_ZH_NUMERAL_OR_DIGIT}])(?:{'|'.join(ZH_NOT_NUMBERS)})"
)
_EVENT_RE = {
    "zh": re.compile(_alternation(EVENT_NAMES["zh"])),
    "latin": re.compile("|".join(EVENT_NAMES["latin"])),
}
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'）》」]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TIME_RE = re.compile(
    rf"(?<![0-9０-９:.,])(?P<h>{_D}{{1,2}}):(?P<mi>{_D}{{2}})(?::{_D}{{2}})?(?![0-9０-９:])"
    rf"|(?<![0-9０-９:.,])(?P<h2>{_D}{{1,2}})\.(?P<mi2>{_D}{{2}})(?={_SP}?Uhr)"
)
_CURRENCY_PREFIX_RE = re.compile(
    rf"(?<![{_LATIN}])(?:{_alternation([*CURRENCY_SYMBOLS, *_CURRENCY_PREFIX_WORDS])}){_SP}?$"
)
_EN_ORDINAL_SUFFIX_RE = re.compile(r"(?:st|nd|rd|th)(?![A-Za-z])")
_ZH_YEAR_SUFFIX_RE = re.compile(r"[ \u00a0]?年")
_PREV_WORD_RE = re.compile(r"(\S+)[ \u00a0]+$")


def _month_pattern(fam: str) -> str:
    full = _alternation(MONTHS[fam])
    abbr = _alternation(MONTH_ABBREVIATIONS[fam])
    return rf"(?P<mon>(?:{full}){_NOT_LETTER_AHEAD}|(?:{abbr})(?:\.|{_NOT_LETTER_AHEAD}))"


def _month_number(fam: str, token: str) -> int:
    name = token.rstrip(".")
    return MONTHS[fam].get(name) or MONTH_ABBREVIATIONS[fam][name]


_ISO_DATE_RE = re.compile(
    rf"(?<![0-9０-９.,])(?P<y>{_D}{{4}})(?P<sep>[-/.])(?P<m>{_D}{{1,2}})(?P=sep)(?P<d>{_D}{{1,2}})(?![0-9０-９])"
)
_ZH_DATE_NUM = rf"(?:{_D}{{1,2}}|[一二三四五六七八九十]{{1,3}})"
_ZH_DATE_RE = re.compile(
    rf"(?<![{_ZH_NUMERAL_OR_DIGIT}个])"
    rf"(?:(?P<y>{_D}{{4}}|[〇零一二三四五六七八九]{{4}}){_SP}?年{_SP}?)?"
    rf"(?P<m>{_ZH_DATE_NUM}){_SP}?月份?"
    rf"(?:{_SP}?(?P<d>{_ZH_DATE_NUM}){_SP}?[日号](?![元本]))?"
)
_ZH_DAY_RE = re.compile(rf"(?<![{_ZH_NUMERAL_OR_DIGIT}])(?P<d>{_ZH_DATE_NUM})日(?![元本])")
_DE_DATE_RES = (
    re.compile(rf"(?<![0-9０-９.,])(?P<d>{_D}{{1,2}})\.{_SP}?{_month_pattern('de')}(?:{_SP}(?P<y>{_D}{{4}})(?![0-9]))?"),
    re.compile(
        rf"(?<![0-9０-９.,])(?P<d>{_D}{{1,2}})\.{_SP}?(?P<m>{_D}{{1,2}})\.(?:{_SP}?(?P<y>{_D}{{4}}|{_D}{{2}})(?![0-9０-９]))?"
    ),
    re.compile(rf"(?P<mon>{_alternation(MONTHS['de'])}){_SP}(?P<y>{_D}{{4}})(?![0-9０-９])"),
)
_EN_DATE_RES = (
    re.compile(
        rf"{_month_pattern('en')}{_SP}(?P<d>{_D}{{1,2}})(?:st|nd|rd|th)?(?![0-9０-９])"
        rf"(?:,?{_SP}(?P<y>{_D}{{4}})(?![0-9０-９]))?"
    ),
    re.compile(
        rf"(?<![0-9０-９.,])(?P<d>{_D}{{1,2}})(?:st|nd|rd|th)?{_SP}(?:of{_SP})?{_month_pattern('en')}"
        rf"(?:,?{_SP}(?P<y>{_D}{{4}})(?![0-9０-９]))?"
    ),
    re.compile(rf"(?P<mon>{_alternation(MONTHS['en'])}){_SP}(?:of{_SP})?(?P<y>{_D}{{4}})(?![0-9０-９])"),
)
_MONTH_ALONE_RE = {
    fam: re.compile(
        rf"(?<![^\W\d_])(?P<mon>{_alternation(set(MONTHS[fam]) - _MONTHS_ONLY_IN_DATES)}){_NOT_LETTER_AHEAD}"
    )
    for fam in ("de", "en")
}

_DE_WORD_RE = re.compile(
    rf"(?<![^\W\d_])(?:{_alternation([*DE_NUMBER_WORDS, *DE_TENS, 'hundert', 'tausend', 'und'])})+"
    rf"{_NOT_LETTER_AHEAD}",
    re.IGNORECASE,
)
_DE_ORDINAL_WORD_RE = re.compile(
    rf"(?<![^\W\d_])(?P<stem>{_alternation(DE_ORDINAL_STEMS)})(?:e|er|en|es|em){_NOT_LETTER_AHEAD}",
    re.IGNORECASE,
)
_EN_UNITS_ALT = _alternation(w for w, v in EN_NUMBER_WORDS.items() if 1 <= v <= 9 and w not in ("a", "an"))
_EN_WORD_RE = re.compile(
    rf"(?<![^\W\d_-])(?:(?:{_alternation(EN_TENS)})(?:-(?:{_EN_UNITS_ALT}))?|{_alternation(EN_NUMBER_WORDS)})"
    rf"(?![^\W\d_]|-)",
    re.IGNORECASE,
)
_EN_ORDINAL_WORD_RE = re.compile(
    rf"(?<![^\W\d_-])(?P<stem>{_alternation(EN_ORDINALS)}){_NOT_LETTER_AHEAD}", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class _Family:
    """The language data one extraction uses, compiled once."""

    name: str  # "zh" | "de" | "en" | "xx" (unknown: English-style separators, no number words)
    decimal_comma: bool  # how "1,500" / "1.500" (exactly three digits after one mark) are read
    scale: Mapping[str, int]
    scale_re: re.Pattern[str]
    percent_re: re.Pattern[str]
    percent_units: Mapping[str, str]
    currency_re: re.Pattern[str]
    currency_units: Mapping[str, str]
    date_res: tuple[re.Pattern[str], ...]
    month_fam: tuple[str, ...]


def _make_family(name: str) -> _Family:
    latin = {"zh": (), "de": ("de",), "en": ("en",), "xx": ("de", "en")}[name]
    scale = dict(SCALE_WORDS["de" if name == "de" else "en"])
    percent_units: dict[str, str] = {}
    for key in ("zh", *latin):
        percent_units.update({k.lower(): v for k, v in PERCENT_WORDS[key].items()})
    currency_units: dict[str, str] = {k.lower(): v for k, v in CURRENCY_SUFFIXES["codes"].items()}
    for key in ("zh", *latin):
        currency_units.update({k.lower(): v for k, v in CURRENCY_SUFFIXES[key].items()})
    zh_words = [w.lower() for w in (*PERCENT_WORDS["zh"], *CURRENCY_SUFFIXES["zh"])]
    latin_percent = [w for w in percent_units if w not in zh_words]
    latin_currency = [w for w in currency_units if w not in zh_words]
    # symbols may touch the number ("30%", "5€"); words need one space, Chinese words none
    # (?!) never matches: an empty word list must not turn into an empty, always-matching alternative
    percent_re = re.compile(
        rf"{_SP}?(?P<sym>[{_PERCENT_SIGNS}])"
        rf"|{_SP}(?P<word>{_alternation(latin_percent) or '(?!)'}){_NOT_LETTER_AHEAD}"
        rf"|(?P<zh>{_alternation(PERCENT_WORDS['zh'])})",
        re.IGNORECASE,
    )
    currency_re = re.compile(
        rf"{_SP}?(?P<sym>{_alternation(CURRENCY_SYMBOLS)})"
        rf"|{_SP}(?P<word>{_alternation(latin_currency) or '(?!)'}){_NOT_LETTER_AHEAD}"
        rf"|{_SP}?(?P<zh>{_alternation(CURRENCY_SUFFIXES['zh'])})",
        re.IGNORECASE,
    )
    scale_re = re.compile(rf"{_SP}?(?P<word>{_alternation(scale)})(?:(?<=\.)|{_NOT_LETTER_AHEAD})", re.IGNORECASE)
    date_res: list[re.Pattern[str]] = [_ISO_DATE_RE]
    if "de" in latin:
        date_res += _DE_DATE_RES
    if "en" in latin:
        date_res += _EN_DATE_RES
    return _Family(
        name=name,
        decimal_comma=name == "de",
        scale=scale,
        scale_re=scale_re,
        percent_re=percent_re,
        percent_units=percent_units,
        currency_re=currency_re,
        currency_units=currency_units,
        date_res=tuple(date_res),
        month_fam=latin,
    )


_FAMILIES = {name: _make_family(name) for name in ("zh", "de", "en", "xx")}


def _family(lang: str | None) -> _Family:
    """Map a language tag ("zh-CN", "de_DE", "en") to the data used for it."""
    base = (lang or "").replace("_", "-").split("-")[0].lower()
    return _FAMILIES.get(base, _FAMILIES["xx"])


# --------------------------------------------------------------------------------------------------
# Parsing of the numeric core
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Parsed:
    value: Decimal
    precision: Decimal
    group: str | None  # grouping mark used, if any
    decimal: str | None  # decimal mark used, if any


def _valid_grouping(groups: list[str]) -> bool:
    """1,234,567: a lead of one to three digits (no leading zero), then groups of exactly three."""
    lead = groups[0]
    return 1 <= len(lead) <= 3 and not (lead.startswith("0") and lead != "0") and lead != "0" \
        and all(len(g) == 3 for g in groups[1:])


def _decimal_value(int_digits: str, frac_digits: str) -> tuple[Decimal, Decimal]:
    return Decimal(f"{int_digits}.{frac_digits}"), Decimal(1).scaleb(-len(frac_digits))


def _parse_arabic(core: str, decimal_comma: bool) -> _Parsed | None:
    """Read a run of digits and separators; ``None`` for identifiers (2.0.1, 192.168.0.1) and lists (1,2,3).

    One mark followed by exactly three digits is ambiguous (1.500, 1,500); the language decides.
    """
    s = core.translate(_FULLWIDTH_DIGITS)
    seps = [ch for ch in s if not "0" <= ch <= "9"]
    if not seps:
        return _Parsed(Decimal(s), Decimal(1), None, None)
    groups = re.split(r"[^0-9]", s)
    marks = set(seps)
    if len(marks) == 1:
        sep = seps[0]
        if sep in _GROUP_SPACES or len(seps) > 1:
            if not _valid_grouping(groups):
                return None
            return _Parsed(Decimal("".join(groups)), Decimal(1), sep, None)
        before, after = groups
        if len(after) == 3 and _valid_grouping(groups):
            decimal_mark = "," if decimal_comma else "."
            if sep != decimal_mark:
                return _Parsed(Decimal(before + after), Decimal(1), sep, None)
        value, precision = _decimal_value(before, after)
        return _Parsed(value, precision, None, sep)
    # two kinds of mark: the last one is the decimal mark and occurs once; the rest group the digits
    dec = seps[-1]
    group_marks = set(seps[:-1])
    if dec not in ".," or seps.count(dec) != 1 or len(group_marks) != 1 or not _valid_grouping(groups[:-1]):
        return None
    value, precision = _decimal_value("".join(groups[:-1]), groups[-1])
    return _Parsed(value, precision, group_marks.pop(), dec)


def _zh_int(s: str) -> int | None:
    """Value of a Chinese numeral without decimals, or ``None`` if it is not a well-formed numeral.

    Rules that reject idioms: units strictly decrease within a section (百千 is not a number), a unit needs a
    coefficient except 十 at the very start (十一 = 11, but 百度 and 千方百计 are not numbers), and two digits
    in a row are not a numeral (三五 "a few", 七八 "seven or eight"). Colloquial abbreviations are read as
    speakers mean them: 一万二 = 12000, 三千五 = 3500, 两百五 = 250.
    """
    if not s:
        return None
    for big_char, big in ((c, v) for c, v in ZH_BIG_UNITS.items() if v == 10**8):
        if big_char in s:
            return _zh_split(s, big_char, big)
    for big_char, big in ((c, v) for c, v in ZH_BIG_UNITS.items() if v == 10**4):
        if big_char in s:
            return _zh_split(s, big_char, big)
    total = 0
    digit: int | None = None
    last_unit = 10**4
    after_zero = False
    for i, ch in enumerate(s):
        if ch in ZH_DIGITS:
            if digit is not None:
                return None
            if ZH_DIGITS[ch] == 0:
                after_zero = True
                continue
            digit = ZH_DIGITS[ch]
            continue
        unit = ZH_SMALL_UNITS.get(ch)
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
    lv = _zh_int(left) if left else None
    if not lv:  # 万一, 亿万: a big unit needs a non-zero coefficient
        return None
    if not right:
        rv = 0
    elif len(right) == 1 and ZH_DIGITS.get(right):
        rv = ZH_DIGITS[right] * big // 10  # 一万二 = 12000
    else:
        parsed = _zh_int(right)
        if parsed is None:
            return None
        rv = parsed
    if rv >= big:
        return None
    return lv * big + rv


def _parse_zh(run: str) -> _Parsed | None:
    """Read a Chinese numeral run (三十, 两百万, 三点五亿); digit-by-digit runs (二〇一九) are not read here."""
    int_part, _, frac = run.partition("点")
    if len(int_part) >= 2 and int_part[0] in "百千" and all(ch in ZH_BIG_UNITS for ch in int_part[1:]):
        int_part = "一" + int_part  # 百万, 上千万: "a million", "(up to) ten million"
    scale = 1
    while frac and frac[-1] in ZH_BIG_UNITS:
        scale *= ZH_BIG_UNITS[frac[-1]]
        frac = frac[:-1]
    if len(int_part) > 1 and all(ch in ZH_DIGITS for ch in int_part):
        return None
    value = _zh_int(int_part)
    if value is None:
        return None
    if frac:
        frac_digits = "".join(str(ZH_DIGITS[ch]) for ch in frac)
        number, precision = _decimal_value(str(value), frac_digits)
        return _Parsed(number * scale, precision * scale, None, "点")
    # 两百万 is "2 million" with the usual looseness of a scale word; 三十 and 一万二千 are exact.
    precision = 1
    rest = int_part
    while rest and rest[-1] in ZH_BIG_UNITS:
        precision *= ZH_BIG_UNITS[rest[-1]]
        rest = rest[:-1]
    return _Parsed(Decimal(value), Decimal(precision), None, None)


def _de_below_100(w: str) -> int | None:
    if w in DE_NUMBER_WORDS:
        return DE_NUMBER_WORDS[w]
    if w in DE_TENS:
        return DE_TENS[w]
    unit, sep, tens = w.partition("und")
    if sep and tens in DE_TENS and (unit == "ein" or DE_NUMBER_WORDS.get(unit, 0) in range(2, 10)):
        return DE_NUMBER_WORDS[unit] + DE_TENS[tens]
    return None


def _de_below_1000(w: str) -> int | None:
    left, sep, right = w.partition("hundert")
    if not sep:
        return _de_below_100(w)
    lv = 1 if left in ("", "ein") else DE_NUMBER_WORDS.get(left) if DE_NUMBER_WORDS.get(left, 0) < 10 else None
    rv = _de_below_100(right) if right else 0
    return None if lv is None or rv is None else lv * 100 + rv


def _de_word_value(word: str) -> int | None:
    """Value of a German number word (zwei, dreiundzwanzig, zweihundertfünfzig, tausend), else ``None``."""
    w = word.lower()
    left, sep, right = w.partition("tausend")
    if not sep:
        return _de_below_1000(w)
    lv = 1 if left in ("", "ein") else _de_below_1000(left)
    rv = _de_below_1000(right) if right else 0
    return None if lv is None or rv is None else lv * 1000 + rv


def _en_word_value(word: str) -> int | None:
    w = word.lower()
    tens, sep, unit = w.partition("-")
    if sep:
        return EN_TENS[tens] + EN_NUMBER_WORDS[unit]
    return EN_NUMBER_WORDS.get(w, EN_TENS.get(w))


# --------------------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------------------


def _ascii(s: str) -> str:
    return s.translate(_FULLWIDTH_DIGITS)


def _valid_date(y: int | None, m: int | None, d: int | None) -> bool:
    return (m is None or 1 <= m <= 12) and (d is None or 1 <= d <= 31) and (y is None or 1000 <= y <= 2999)


def _zh_date_part(s: str | None) -> int | None:
    if s is None:
        return None
    if s[0] in "0123456789０１２３４５６７８９":
        return int(_ascii(s))
    value = _zh_int(s)
    return value if value else -1  # -1 fails validation


def _zh_year(s: str) -> int:
    if s[0] in ZH_DIGITS:
        return int("".join(str(ZH_DIGITS[ch]) for ch in s))
    return int(_ascii(s))


class _Extractor:
    """One pass over one text; ``claimed`` marks code points already used by a mention or a skip."""

    def __init__(self, text: str, fam: _Family, words: bool) -> None:
        self.text = text
        self.fam = fam
        self.words = words
        self.claimed = bytearray(len(text))
        self.mentions: list[NumberMention] = []
        self.scales: dict[int, int] = {}  # mention start → factor of its scale words, for ranges

    def free(self, start: int, end: int) -> bool:
        return self.claimed.find(1, start, end) == -1

    def claim(self, start: int, end: int) -> None:
        self.claimed[start:end] = b"\x01" * (end - start)

    def add(self, mention: NumberMention) -> None:
        self.mentions.append(mention)
        self.claim(mention.span.start, mention.span.end)

    def run(self) -> list[NumberMention]:
        self.skip_non_numbers()
        self.dates()
        self.times()
        self.arabic()
        self.chinese()
        if self.words and self.fam.name in ("de", "en"):
            self.number_words()
        return self.ranges(sorted(self.mentions, key=lambda m: (m.span.start, m.span.end)))

    def ranges(self, mentions: list[NumberMention]) -> list[NumberMention]:
        """Give the first end of a range the unit and scale written once after the second end."""
        out = list(mentions)
        for i in range(len(out) - 2, -1, -1):
            first, second = out[i], out[i + 1]
            scale = self.scales.get(second.span.start, 1)
            if first.kind not in ("number", "year") or self.scales.get(first.span.start, 1) != 1:
                continue
            if second.kind not in ("percent", "money") and scale == 1:
                continue
            if not _RANGE_JOIN_RE.fullmatch(self.text, first.span.end, second.span.start):
                continue
            out[i] = replace(first, value=first.value * scale, precision=first.precision * scale,
                             kind=second.kind if second.kind in ("percent", "money") else "number",
                             unit=second.unit)
            self.scales[first.span.start] = scale
        return out

    # --- skips, dates, times -------------------------------------------------------------------------

    def skip_non_numbers(self) -> None:
        for pattern in (_URL_RE, _ZH_NOT_NUMBERS_RE, _EVENT_RE["zh"], _EVENT_RE["latin"]):
            for m in pattern.finditer(self.text):
                self.claim(*m.span())

    def add_date(self, start: int, end: int, y: int | None, m: int | None, d: int | None) -> bool:
        if not _valid_date(y, m, d) or not self.free(start, end):
            return False
        value = Decimal((y or 0) * 10000 + (m or 0) * 100 + (d or 0))
        self.add(NumberMention(Span(start, end), value, "date", None, self.text[start:end], parts=(y, m, d)))
        return True

    def dates(self) -> None:
        text = self.text
        for pattern in self.fam.date_res:
            for m in pattern.finditer(text):
                groups = m.groupdict()
                y_raw = groups.get("y")
                y = int(_ascii(y_raw)) if y_raw else None
                if y is not None and len(y_raw or "") == 2:
                    y += 2000 if y < 50 else 1900
                if groups.get("mon"):
                    fam = "de" if pattern in _DE_DATE_RES else "en"
                    month = _month_number(fam, groups["mon"])
                else:
                    month = int(_ascii(groups["m"]))
                day = int(_ascii(groups["d"])) if groups.get("d") else None
                if pattern is _DE_DATE_RES[1] and y is None and not self._de_short_date_ok(m.start(), m.end()):
                    continue
                self.add_date(m.start(), m.end(), y, month, day)
        for m in _ZH_DATE_RE.finditer(text):
            y = _zh_year(m["y"]) if m["y"] else None
            self.add_date(m.start(), m.end(), y, _zh_date_part(m["m"]), _zh_date_part(m["d"]))
        for m in _ZH_DAY_RE.finditer(text):
            self.add_date(m.start(), m.end(), None, None, _zh_date_part(m["d"]))
        for fam in self.fam.month_fam:
            for m in _MONTH_ALONE_RE[fam].finditer(text):
                self.add_date(m.start(), m.end(), None, MONTHS[fam][m["mon"]], None)

    def _de_short_date_ok(self, start: int, end: int) -> bool:
        """"11.11." without a year is a date after a cue word (am, bis …) or when the sentence goes on."""
        prev = _PREV_WORD_RE.search(self.text, max(0, start - 12), start)
        if prev and prev.group(1).lower() in DE_ORDINAL_CUES:
            return True
        after = self.text[end:end + 2]
        return bool(re.match(r"[,;:)–-]|[ \u00a0][a-zäöüß0-9–-]", after))

    def times(self) -> None:
        for m in _TIME_RE.finditer(self.text):
            h_key, mi_key = ("h", "mi") if m["h"] else ("h2", "mi2")
            hour, minute = int(_ascii(m[h_key])), int(_ascii(m[mi_key]))
            if hour > 24 or minute > 59 or not self.free(m.start(), m.end()):
                continue
            self.claim(m.start(), m.end())
            # the hour and a non-zero minute become plain numbers, like 10点30分 does in Chinese
            for key, value in ((h_key, hour), (mi_key, minute)):
                if key == mi_key and value == 0:
                    continue
                s, e = m.span(key)
                self.mentions.append(NumberMention(Span(s, e), Decimal(value), "number", None, self.text[s:e]))

    # --- numbers -------------------------------------------------------------------------------------

    def arabic(self) -> None:
        text = self.text
        for m in _ARABIC_RE.finditer(text):
            s, e = m.span()
            if not self.free(s, e):
                continue
            prev = text[s - 1] if s else ""
            # product and model names (iPhone15, A380, COVID-19): a number glued to letters is an identifier
            if _LATIN_RE.match(prev) or (prev in "-‐" and s >= 2 and _LATIN_RE.match(text[s - 2])):
                continue
            core = m.group()
            parsed = _parse_arabic(core, self.fam.decimal_comma)
            if parsed is None:
                if "." not in core:  # a list such as "1,2,3": each item is a number
                    for piece in re.finditer(f"{_D}+", core):
                        ps, pe = s + piece.start(), s + piece.end()
                        self.add(NumberMention(Span(ps, pe), Decimal(_ascii(piece.group())), "number", None,
                                               piece.group()))
                continue  # dotted identifiers: versions 2.0.1, IP addresses
            plain = core if parsed.group is None and parsed.decimal is None else None
            mention = self.complete(s, e, parsed, plain=plain)
            if mention is not None:
                self.add(mention)

    def chinese(self) -> None:
        text = self.text
        for m in _ZH_RUN_RE.finditer(text):
            s, e = m.span()
            run = m.group()
            if not self.free(s, e) or any(text.endswith(p, 0, s) for p in ZH_WEEKDAY_PREFIXES):
                continue
            if len(run) == 4 and all(ch in ZH_DIGITS for ch in run):  # 二〇一九年
                year = _ZH_YEAR_SUFFIX_RE.match(text, e)
                if year:
                    value = _zh_year(run)
                    if YEAR_RANGE[0] <= value <= YEAR_RANGE[1]:
                        end = year.end()
                        self.add(NumberMention(Span(s, end), Decimal(value), "year", None, text[s:end],
                                               spelled=True))
                continue
            parsed = _parse_zh(run)
            if parsed is None:
                continue
            mention = self.complete(s, e, parsed, spelled=True, zh_single=len(run) == 1)
            if mention is not None:
                self.add(mention)

    def number_words(self) -> None:
        text = self.text
        if self.fam.name == "de":
            cardinal, ordinal, value_of, ordinals = _DE_WORD_RE, _DE_ORDINAL_WORD_RE, _de_word_value, DE_ORDINAL_STEMS
        else:
            cardinal, ordinal, value_of, ordinals = _EN_WORD_RE, _EN_ORDINAL_WORD_RE, _en_word_value, EN_ORDINALS
        for m in ordinal.finditer(text):
            if self.free(*m.span()):
                self.add(NumberMention(Span(*m.span()), Decimal(ordinals[m["stem"].lower()]), "ordinal", None,
                                       m.group(), spelled=True))
        for m in cardinal.finditer(text):
            s, e = m.span()
            value = value_of(m.group())
            if value is None or not self.free(s, e):
                continue
            mention = self.complete(s, e, _Parsed(Decimal(value), Decimal(1), None, None), spelled=True,
                                    needs_scale=value == 1)
            if mention is not None:
                self.add(mention)

    def complete(
        self,
        s: int,
        e: int,
        parsed: _Parsed,
        *,
        plain: str | None = None,
        spelled: bool = False,
        zh_single: bool = False,
        needs_scale: bool = False,
    ) -> NumberMention | None:
        """Attach what surrounds the numeric core at ``[s, e)`` (第, 百分之, currency, scale, %, 年 …).

        Args:
            plain: the core when it is a bare digit string (candidate for a year or an ordinal).
            zh_single: the core is one Chinese numeral, which needs context to count (see module notes).
            needs_scale: the core means "one" and only counts before a scale word ("eine Milliarde").
        """
        text, fam = self.text, self.fam
        start, end = s, e
        kind: NumberKind = "number"
        unit: str | None = None
        value, precision = parsed.value, parsed.precision
        context = False  # whether something makes a lone Chinese numeral a number

        if s and text[s - 1] == "第":
            kind, start, context = "ordinal", s - 1, True
        elif text.endswith("百分之", 0, s):
            kind, unit, start, context = "percent", "%", s - 3, True
        else:
            prefix = _CURRENCY_PREFIX_RE.search(text, max(0, s - 8), s)
            if prefix and self.free(prefix.start(), s):
                kind, start = "money", prefix.start()
                key = prefix.group().strip(" \u00a0\u202f\u2009")
                unit = CURRENCY_SYMBOLS.get(key) or _CURRENCY_PREFIX_WORDS[key.upper() if key.isascii() else key]

        if kind == "number" and plain is not None and fam.name in ("en", "xx"):
            suffix = _EN_ORDINAL_SUFFIX_RE.match(text, end)
            if suffix:
                return NumberMention(Span(start, suffix.end()), value, "ordinal", None, text[start:suffix.end()])

        scale = 1
        if kind != "ordinal":
            if not (zh_single or spelled or parsed.decimal == "点"):
                chain_end = self._zh_scale_end(end)
                for ch in text[end:chain_end]:
                    scale *= ZH_BIG_UNITS.get(ch) or ZH_SMALL_UNITS[ch]
                end = chain_end
            while True:  # "two hundred thousand": each scale word larger than the one before
                word = fam.scale_re.match(text, end)
                factor = fam.scale.get(word["word"].lower()) if word else None
                if word is None or factor is None or factor <= scale or not self.free(end, word.end()):
                    break
                scale *= factor
                end = word.end()
        if needs_scale and scale == 1:
            return None
        if scale != 1:
            value, precision = value * scale, precision * scale

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

        if kind == "number" and plain is not None and scale == 1:
            digits = _ascii(plain)
            in_range = len(digits) == 4 and YEAR_RANGE[0] <= int(digits) <= YEAR_RANGE[1]
            nian = _ZH_YEAR_SUFFIX_RE.match(text, end)
            if in_range and nian and self.free(end, nian.end()):
                kind, end = "year", nian.end()
            elif in_range:
                kind = "year"
            elif fam.name == "de" and self._de_ordinal(start, end):
                kind, end = "ordinal", end + 1

        if zh_single and not context and scale == 1 and (
            value == 1 or not any(text.startswith(c, end) for c in ZH_CLASSIFIERS)
        ):
            return None
        if not self.free(start, end):
            return None
        self.scales[start] = scale
        return NumberMention(Span(start, end), value, kind, unit, text[start:end], precision, spelled=spelled)

    def _zh_scale_end(self, pos: int) -> int:
        """End of the Chinese scale characters that multiply the digits ending at ``pos``."""
        text = self.text
        chars = _ZH_SCALE_CHARS.match(text, pos)
        if chars is None:
            return pos
        end = pos
        for i in range(pos, chars.end()):
            if any(text.startswith(w, i) for w in ZH_SCALE_BLOCKERS):
                break
            end = i + 1
        while end > pos and not _ZH_SCALE_CHAIN.fullmatch(text, pos, end):
            end -= 1
        return end

    def _de_ordinal(self, start: int, end: int) -> bool:
        """German "3." is an ordinal after a cue word and before a word ("der 3. Platz")."""
        text = self.text
        if not re.match(r"\.[ \u00a0][^\W\d_]", text[end:end + 3]):
            return False
        prev = _PREV_WORD_RE.search(text, max(0, start - 12), start)
        return prev is not None and prev.group(1).lower() in DE_ORDINAL_CUES


def extract_numbers(text: str, lang: str | None, *, words: bool = True) -> list[NumberMention]:
    """All number, percent, year, money, date and ordinal mentions in ``text``, in text order.

    Args:
        lang: BCP 47-ish tag; its primary subtag picks the conventions ("1.500" is 1500 in German, 1.5 in
            English). Unknown languages get English separators, Chinese patterns and both German and
            English dates, but no number words.
        words: also read German/English spelled-out numbers (zwei, twenty-one, eine Milliarde).
    """
    return _Extractor(text, _family(lang), words).run()


# --------------------------------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------------------------------

# Which target kinds may stand for which source kinds. A year may be written as a bare number; money may
# lose its currency word ("5亿元" → "500 Millionen"), which is a matter for another rule, not a lost number.
# Percent and percentage points match each other: "3个百分点" → "3 %" is imprecise but keeps the figure.
KIND_EQUIVALENTS: Mapping[str, frozenset[str]] = {
    "number": frozenset({"number", "year", "money", "ordinal"}),
    "year": frozenset({"year", "number"}),
    "money": frozenset({"money", "number"}),
    "percent": frozenset({"percent"}),
    "ordinal": frozenset({"ordinal", "number"}),
    "date": frozenset({"date"}),
}


def _value_rank(a: NumberMention, b: NumberMention) -> int | None:
    """0: equal values; 1: equal within the rounding the coarser side shows; ``None``: different."""
    if a.value == b.value:
        return 0
    diff = abs(a.value - b.value)
    step = max(a.precision, b.precision)
    if diff * 2 <= step and diff <= ROUNDING_RELATIVE_TOLERANCE * max(abs(a.value), abs(b.value)):
        return 1
    return None


def _date_parts_match(a: DateParts, b: DateParts) -> bool:
    """One date refines the other: 2019-11-11 matches 11-11, but 2019-11 does not match 11-11."""
    a_set = {i for i, p in enumerate(a) if p is not None}
    b_set = {i for i, p in enumerate(b) if p is not None}
    if not (a_set <= b_set or b_set <= a_set):
        return False
    return all(a[i] == b[i] for i in a_set & b_set)


def _pair_rank(a: NumberMention, b: NumberMention) -> tuple[int, int] | None:
    """How well ``b`` renders ``a``: (value rank, kind rank), lower is better; ``None`` if it cannot."""
    if a.kind == "date" or b.kind == "date":
        date, other = (a, b) if a.kind == "date" else (b, a)
        if other.kind == "date":
            ok = _date_parts_match(date.parts or (None, None, None), other.parts or (None, None, None))
            return (0, 0) if ok else None
        # a bare day (11日) may come out as "am 11." or "the 11th"
        parts = date.parts or (None, None, None)
        if parts[0] is None and parts[1] is None and parts[2] is not None and other.kind in ("number", "ordinal"):
            return (0, 1) if other.value == parts[2] else None
        return None
    if b.kind not in KIND_EQUIVALENTS[a.kind]:
        return None
    if a.kind == "money" and b.kind == "money" and a.unit and b.unit and a.unit != b.unit:
        return None
    rank = _value_rank(a, b)
    if rank is None:
        return None
    return rank, 0 if a.kind == b.kind else 1


def _covers_part(m: NumberMention, index: int, value: int) -> bool:
    """Whether ``m`` alone states one part of a date: "2019" for its year, "November" for its month."""
    if m.kind == "date":
        parts = m.parts or (None, None, None)
        return parts[index] == value and all(p is None for i, p in enumerate(parts) if i != index)
    if index == 0:
        return m.kind in ("year", "number") and m.value == value
    if index == 2:
        return m.kind in ("number", "ordinal") and m.value == value
    return False


def compare_numbers(source: list[NumberMention], target: list[NumberMention]) -> NumberDiff:
    """Match source mentions to target mentions as multisets of values.

    Two mentions match when their kinds are compatible (:data:`KIND_EQUIVALENTS`) and their values are
    equal, or differ by no more than the rounding the coarser one shows (2.17亿 ≈ 0,22 Mrd.). Dates match
    when one refines the other; a part stated on one side only may be matched by a separate mention on the
    other side ("2019年11月11日" ↔ "am 11.11. des Jahres 2019"). Exact values and equal kinds win over
    tolerated ones; among equals, the mention at the nearer relative position wins.

    The cost is quadratic in the number of mentions: call it per aligned segment, not per document.
    """
    candidates: list[tuple[int, int, float, int, int]] = []
    ns, nt = max(len(source), 1), max(len(target), 1)
    for i, a in enumerate(source):
        for j, b in enumerate(target):
            rank = _pair_rank(a, b)
            if rank is not None:
                candidates.append((rank[0], rank[1], abs(i / ns - j / nt), i, j))
    candidates.sort()
    src_used: set[int] = set()
    tgt_used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, _, _, i, j in candidates:
        if i not in src_used and j not in tgt_used:
            src_used.add(i)
            tgt_used.add(j)
            pairs.append((i, j))

    # date parts written separately on one side
    for i, j in list(pairs):
        a, b = source[i], target[j]
        if a.kind != "date" or b.kind != "date":
            continue
        for index, (pa, pb) in enumerate(zip(a.parts or (), b.parts or (), strict=True)):
            if pa is not None and pb is None:
                k = next((k for k, m in enumerate(target) if k not in tgt_used and _covers_part(m, index, pa)), None)
                if k is not None:
                    tgt_used.add(k)
                    pairs.append((i, k))
            elif pb is not None and pa is None:
                k = next((k for k, m in enumerate(source) if k not in src_used and _covers_part(m, index, pb)), None)
                if k is not None:
                    src_used.add(k)
                    pairs.append((k, j))

    def soft(m: NumberMention) -> bool:
        return m.spelled and m.kind in ("number", "ordinal") and m.value <= SPELLED_SMALL_MAX

    missing = [m for i, m in enumerate(source) if i not in src_used]
    added = [m for j, m in enumerate(target) if j not in tgt_used]
    pairs.sort(key=lambda p: (source[p[0]].span.start, target[p[1]].span.start))
    return NumberDiff(
        missing=[m for m in missing if not soft(m)],
        added=[m for m in added if not soft(m)],
        matched=[(source[i], target[j]) for i, j in pairs],
        ignored=[m for m in (*missing, *added) if soft(m)],
    )


# --------------------------------------------------------------------------------------------------
# Target-language formatting
# --------------------------------------------------------------------------------------------------

# A number right after one of these words is a version, model, section or the like, not a quantity:
# "Version 2.0", "iOS 17.1", "Industrie 4.0", "Kapitel 3.2".
VERSION_CUES = frozenset({
    "version", "ver.", "v.", "release", "update", "build", "firmware", "patch", "ios", "ipados", "macos",
    "android", "windows", "linux", "python", "java", "bluetooth", "usb", "http", "html", "wi-fi", "wifi",
    "web", "industrie", "industry", "level", "stufe", "kapitel", "abschnitt", "chapter", "section",
    "artikel", "article", "nr.", "no.", "§", "paragraph", "tabelle", "table", "abb.", "abbildung", "figure",
    "fig.", "punkt", "schritt", "step",
})
_CORE_IN_RAW = re.compile(rf"{_D}+(?:[.,{_GROUP_SPACES}]{_D}+)*")
_SYMBOL_PREFIX_RE = re.compile(rf"^(?P<sym>{_alternation(CURRENCY_SYMBOLS)}){_SP}?")
_SYMBOL_SUFFIX_RE = re.compile(rf"(?P<space>{_SP}?)(?P<sym>{_alternation(CURRENCY_SYMBOLS)})$")


def _swap_marks(core: str) -> str:
    """1,500.5 ↔ 1.500,5."""
    return core.translate(str.maketrans({",": ".", ".": ","}))


def _version_context(text: str, start: int) -> bool:
    prev = _PREV_WORD_RE.search(text, max(0, start - 30), start)
    if prev is None:
        return False
    word = prev.group(1).strip("([„“\"'")
    if word.lower() in VERSION_CUES:
        return True
    # iOS, macOS, HarmonyOS, GPT-4, USB: product-like tokens (inner capitals, digits, acronyms)
    return any(ch.isupper() for ch in word[1:]) or any(ch.isdigit() for ch in word)


def _prev_word_is_lower(text: str, start: int) -> bool:
    prev = _PREV_WORD_RE.search(text, max(0, start - 30), start)
    if prev is None:
        return True
    word = prev.group(1)
    return not word[0].isalpha() or word[0].islower()


def check_format(target_mentions: list[NumberMention], text: str, lang: str | None) -> list[FormatProblem]:
    """Numbers in ``text`` (the target) written against the conventions of ``lang`` (German or English).

    German: "," is the decimal mark and "." (or a thin space) groups digits; DIN 5008 puts a space before
    "%" and the currency symbol after the number. English: the reverse for the marks, no space before "%",
    symbol first. Years, dates, ordinals and bare integers are never flagged, so versions, times, phone
    numbers and product names (iPhone 15) stay silent; a decimal point after a version-like word
    ("iOS 17.1", "Industrie 4.0") is taken for a version. A German decimal point is flagged only when the
    number carries a unit or scale, or follows a lowercase word ("auf 1.5"): after a capitalized word it may
    be a product name, and the cost of a false alarm is higher than that of a miss.
    """
    fam = _family(lang).name
    if fam not in ("de", "en"):
        return []
    problems: list[FormatProblem] = []
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
        parsed = _parse_arabic(core, fam == "de")
        if parsed is not None:
            problems.extend(_check_marks(fam, m, parsed, core, core_span, decorated, text))
        if m.kind == "percent":
            problems.extend(_check_percent(fam, m, core_match.end()))
        if m.kind == "money":
            problems.extend(_check_currency(fam, m, core_match))
    return problems


def _check_marks(
    fam: str, m: NumberMention, parsed: _Parsed, core: str, span: Span, decorated: bool, text: str
) -> Iterator[FormatProblem]:
    swapped = _swap_marks(core)
    if fam == "de":
        if parsed.decimal == "." and not _version_context(text, m.span.start):
            if parsed.group or decorated or _prev_word_is_lower(text, m.span.start):
                yield FormatProblem(span, f"Decimal point in {core!r}: German uses a decimal comma.",
                                    swapped, "decimal-separator")
        elif parsed.group == "," and parsed.decimal is None:
            yield FormatProblem(span, f"Comma grouping in {core!r}: German groups digits with '.' or a thin space.",
                                swapped, "grouping-separator")
    else:
        if parsed.decimal == "," and (parsed.group or decorated):
            yield FormatProblem(span, f"Decimal comma in {core!r}: English uses a decimal point.",
                                swapped, "decimal-separator")
        elif parsed.group == "." and parsed.decimal is None:
            yield FormatProblem(span, f"Dot grouping in {core!r}: English groups digits with ','.",
                                swapped, "grouping-separator")


def _check_percent(fam: str, m: NumberMention, core_end: int) -> Iterator[FormatProblem]:
    rest = m.raw[core_end:]
    if not rest.lstrip(" \u00a0\u202f\u2009").startswith("%"):
        return
    number = m.raw[:core_end]
    span = Span(m.span.start, m.span.start + core_end + rest.index("%") + 1)
    if fam == "de" and rest.startswith("%"):
        yield FormatProblem(span, f"{m.raw!r}: DIN 5008 puts a (non-breaking) space before '%'.",
                            f"{number}\u00a0%", "percent-space")
    elif fam == "en" and not rest.startswith("%"):
        yield FormatProblem(span, f"{m.raw!r}: English writes no space before '%'.", f"{number}%",
                            "percent-space")


def _check_currency(fam: str, m: NumberMention, core_match: re.Match[str]) -> Iterator[FormatProblem]:
    raw = m.raw
    if fam == "de":
        prefix = _SYMBOL_PREFIX_RE.match(raw)
        if prefix:
            amount = raw[prefix.end():]
            yield FormatProblem(m.span, f"{raw!r}: German puts the currency symbol after the amount.",
                                f"{amount}\u00a0{prefix['sym']}", "currency-position")
            return
        suffix = _SYMBOL_SUFFIX_RE.search(raw)
        if suffix and not suffix["space"] and suffix.start() >= core_match.end():
            amount = raw[:suffix.start()]
            yield FormatProblem(m.span, f"{raw!r}: DIN 5008 puts a space between amount and currency symbol.",
                                f"{amount}\u00a0{suffix['sym']}", "currency-position")
    else:
        suffix = _SYMBOL_SUFFIX_RE.search(raw)
        if suffix and suffix.start() >= core_match.end() and not _SYMBOL_PREFIX_RE.match(raw):
            amount = raw[:suffix.start()]
            yield FormatProblem(m.span, f"{raw!r}: English puts the currency symbol before the amount.",
                                f"{suffix['sym']}{amount}", "currency-position")

