"""The fast paths of number extraction against the plain definitions they stand for."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
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
