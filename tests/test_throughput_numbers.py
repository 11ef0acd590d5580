"""Where number extraction looks (tqcheck.numbers.candidates): the digit starts and the Chinese-character test
found by two regex scans, and the places of the number words found through the shortest lead of each pattern,
are what their plain definitions give."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tqcheck.numbers import candidates
from tqcheck.numbers.candidates import LeadAutomaton, WordPattern


def _plain_digits(text: str) -> tuple[list[int], bool]:
    """The definition: every digit (\\d) at the text's start or after a character that is no ASCII digit; a
    Chinese character is one of the ranges' characters that is no digit."""
    starts = [p for p, ch in enumerate(text) if re.fullmatch(r"\d", ch) and (p == 0 or not "0" <= text[p - 1] <= "9")]
    han = any(re.fullmatch(f"[{candidates.HAN_RANGES}]", ch) and not ch.isdecimal() for ch in text)
    return starts, han


def test_no_chinese_character_is_a_digit():
    digits = re.compile(r"\d")
    for low, high in re.findall("(.)-(.)", candidates.HAN_RANGES):
        assert not any(digits.match(chr(point)) for point in range(ord(low), ord(high) + 1))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789٣०１２a.,中十〇\u3400\ufaff ", max_size=40))
def test_digit_starts_and_chinese_test_are_the_plain_ones(text):
    found = candidates.scan_digits(text)
    assert (found.starts, found.han) == _plain_digits(text)


_PATTERNS = [WordPattern(re.compile(p), frozenset(leads), False, None) for p, leads in [
    ("ein(?:e[mnrs]?)?", {"ein", "eine", "einem", "einen", "einer", "eines"}),
    ("ei?", {"e", "ei"}),
    ("eins|und", {"eins", "und"}),
    ("acht(?:e[nr]?)?", {"acht", "achte", "achten", "achter"}),
]]


def _plain_positions(lowered: str) -> dict[int, list[int]]:
    """The definition: for each pattern with a lead in the text, every start of every one of its leads."""
    found: dict[int, list[int]] = {}
    for k, pattern in enumerate(_PATTERNS):
        starts = sorted({i for lead in pattern.leads for i in range(len(lowered)) if lowered.startswith(lead, i)})
        if starts:
            found[k] = starts
    return found


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="einmrsacht ud", max_size=40))
def test_lead_positions_are_every_start_of_every_lead(lowered):
    assert LeadAutomaton(_PATTERNS).positions(lowered) == _plain_positions(lowered)


def test_longer_leads_of_a_pattern_are_not_scanned():
    """ "eine" … stand where "ein" does, "ei" where "e" does; "eins" opens a pattern of its own and stays."""
    automaton = LeadAutomaton(_PATTERNS).automaton
    assert sorted(automaton.keys()) == ["acht", "e", "ein", "eins", "und"]
    assert automaton.get("eins") == (3, (2,))
    assert automaton.get("ein") == (2, (0,))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789１下午上点時时半整分三十a ", max_size=30))
def test_every_chinese_time_holds_a_time_mark(text):
    """zh.times looks no further in a text without 点, 時 or 时: every match of TIME_RE has one."""
    from tqcheck.numbers import zh

    for m in zh.TIME_RE.finditer(text):
        assert any(mark in m.group() for mark in zh.TIME_MARKS)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="数几上逾超近十百千万亿一二两三〇点第年人a1 ", max_size=30))
def test_every_match_of_the_numeral_steps_holds_a_numeral(text):
    """Extraction skips zh.approximations, lone_scales and numerals in a text without a numeral character: every
    match of their patterns has one."""
    from tqcheck.numbers import zh

    for pattern in zh.NUMERAL_STEP_PATTERNS:
        for m in pattern.finditer(text):
            assert zh.has_numeral(m.group())


def test_every_word_that_is_no_number_holds_a_numeral():
    """The skip of zh_not_numbers.txt's words (一五一十) is left out where the text has no numeral character."""
    from tqcheck.numbers import lexicon, zh

    assert all(zh.has_numeral(word) for word in lexicon.words("zh_not_numbers.txt"))
