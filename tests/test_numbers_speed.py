"""The fast paths of number extraction against the plain definitions they stand for."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tqcheck.numbers import candidates
from tqcheck.numbers.candidates import HAN_RANGES, scan_digits, scan_digits_by_pattern


def _han(ch: str) -> bool:
    return re.fullmatch(f"[{HAN_RANGES}]", ch) is not None


def test_lead_bytes_cover_every_other_digit_and_every_chinese_character():
    """Every code point that ``\\d`` matches beyond 0-9, and every Chinese character of HAN_RANGES, starts its UTF-8
    form with a byte of the lists the fast path tests (derived here from this Python's Unicode data)."""
    for code in range(0x80, 0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        lead = ch.encode()[0]
        if ch.isdecimal():
            assert lead in candidates._DIGIT_LEADS, hex(code)
        if _han(ch):
            assert lead in candidates._HAN_LEADS, hex(code)
            assert not ch.isdecimal()
    # the regex engine's \d is str.isdecimal
    assert all(bool(re.match(r"\d", chr(c))) == chr(c).isdecimal() for c in range(0x80, 0x3400))


_PIECES = ["7", "12", "1.500", "x", " ", "ä", "„", "“", "\u00a0", "٣", "０", "五", "直播", "\ud800", "😀", "a1b",
           "2024"]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_scan_digits_is_the_pattern_scan(text):
    """The str.find path finds the digit starts and the Chinese-character test the regex scan finds."""
    assert scan_digits(text) == scan_digits_by_pattern(text)


@pytest.mark.parametrize("text", ["1" * 500, "1 " * 300, "Preis: " + "9" * 40, "", "abc", "٣٤ und 5"])
def test_scan_digits_dense_and_edge_texts(text):
    assert scan_digits(text) == scan_digits_by_pattern(text)


_DE_WORDS = ["und", "Und", "UND", "ein", "eine", "einer", "kein", "zwei", "undzwanzig", "einundzwanzig", "zwanzig",
             "hundert", "undhundert", "tausend", "undtausend", "undeinhalb", "Millionen", "Milliarde", "dritte",
             "zwanzigste", "zehnfach", "verzehnfacht", "Mai", "1990er", "Neunziger", "anderthalb", "Jahre", "5",
             "3,5", "Prozent", "Dutzend", "und-", "-und", "rund"]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_DE_WORDS), max_size=14),
       st.lists(st.sampled_from([" ", " ", "", "-", ", ", ". "]), min_size=14, max_size=14))
def test_german_extraction_without_the_valueless_leads(words, gaps):
    """Extraction with the leads of VALUELESS_CARDINAL_LEADS left out of the word automaton finds what it finds
    with every lead of the cardinal pattern."""
    from tqcheck.numbers import extract

    text = "".join(w + g for w, g in zip(words, gaps, strict=False))
    fast = extract.Extractor(text, extract.family("de"), True).run()
    kept = extract.VALUELESS_CARDINAL_LEADS
    try:
        extract.VALUELESS_CARDINAL_LEADS = frozenset()
        extract._word_set.cache_clear()
        plain = extract.Extractor(text, extract.family("de"), True).run()
    finally:
        extract.VALUELESS_CARDINAL_LEADS = kept
        extract._word_set.cache_clear()
    assert fast == plain


def test_valueless_leads_open_no_valued_cardinal():
    """Every cardinal that opens with a valueless lead has no value, whatever parts follow it."""
    import itertools

    from tqcheck.numbers import de, extract

    parts = [*de.UNITS, *de.ARTICLES, *de.TEENS, *de.TENS, "hundert", "tausend", "und", "einhalb"]
    assert not any(f.lower().startswith(lead) for f in de.FRACTIONS for lead in extract.VALUELESS_CARDINAL_LEADS)
    for lead in extract.VALUELESS_CARDINAL_LEADS:
        for k in range(4):
            for rest in itertools.product(parts, repeat=k) if k < 3 else itertools.islice(
                    itertools.product(parts, repeat=k), 20_000):
                word = lead + "".join(rest)
                match = de.CARDINAL_RE.fullmatch(word)
                assert match is None or de.word_value(match["num"]) is None, word


_DIGIT_RUNS = st.text(alphabet="0159０", min_size=1, max_size=4)


@settings(max_examples=300)
@given(st.tuples(_DIGIT_RUNS, st.lists(st.tuples(st.sampled_from([".", ",", " ", "\u00a0", "\u202f"]), _DIGIT_RUNS),
                                        max_size=3))
       .map(lambda t: t[0] + "".join(sep + run for sep, run in t[1])), st.booleans())
def test_remembered_readings_are_the_readings(core, decimal_comma):
    """The remembered reading of a figure (what ARABIC_RE and SPACE_GROUPED_RE match) is its reading, asked once
    or again, under either convention."""
    from tqcheck.numbers.common import alternative_reading, parse_arabic

    for _ in range(2):
        assert parse_arabic(core, decimal_comma) == parse_arabic.__wrapped__(core, decimal_comma)
        assert alternative_reading(core, decimal_comma) == alternative_reading.__wrapped__(core, decimal_comma)


_NUMERIC_PIECES = ["1", "12", "123", "2024", "12345", "０", "１２", "٣", ".", ",", ":", "-", "/", " ", "\u00a0",
                   "\u202f", "Uhr", "U", "Mai", "Dezember", "er", "x", "ä"]


@settings(max_examples=500)
@given(st.lists(st.sampled_from(_NUMERIC_PIECES), max_size=16).map("".join))
@example("Um 12 Uhr, 9\u00a0Uhr, 9.30 Uhr und 7:45 Uhr; am 11. Mai, 11.11.2024 und 2024-05-01; 28 020 und 1 234 567")
@example("１２.３. um １０:３０ Uhr, ١٢ Uhr, 123 Uhr, 12345-1-1, 1.2., 2024/05/01, 2024.5.1, ２０２４-０５-０１")
def test_digit_run_needs_keep_every_match(text):
    """A digit-led pattern tried only at the digit starts whose run has what it needs finds what it finds over
    the whole text."""
    from tqcheck.numbers import extract

    ex = extract.Extractor(text, extract.family("de"), True)
    patterns = [p for p in (extract.ISO_DATE_RE, *extract.de.DATE_RES, extract.de.TIME_RE, extract._COLON_TIME_RE,
                            extract.SPACE_GROUPED_RE) if id(p) in extract._DIGIT_RUN_NEEDS]
    assert len(patterns) == len(extract._DIGIT_RUN_NEEDS)
    for pattern in patterns:
        assert [m.span() for m in ex.finditer(pattern)] == [m.span() for m in pattern.finditer(text)], pattern.pattern
