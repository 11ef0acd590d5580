"""TQ6xx: doubled words, repeated sentences, looping output."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sales on the the platform doubled.", ["the the"]),
        ("Sales on The the platform doubled.", ["The the"]),
        ("It grew 10 10 times; the\nthe end.", []),
        ("Watch the live live live stream.", []),
    ],
)
def test_doubled_word(text, expected):
    assert [s for _, s in found(text, "TQ601", tgt="en")] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A relative pronoun followed by an article, or subject and object pronoun: grammatical German.
        ("Die Händler, die die Gebühren zahlen, bleiben.", []),
        ("Das Gerät, das das Signal sendet, ist klein.", []),
        ("Der Kunde, der der Bank vertraut, zahlt mehr.", []),
        ("Haben Sie sie gestern angerufen?", []),
        ("Er lobte sie, indem er sie sie selbst vorstellen ließ.", []),
        # Not on the list: still a slip.
        ("Wir haben haben die Zahlen geprüft.", ["haben haben"]),
        ("Die Plattform ist ist schnell gewachsen.", ["ist ist"]),
    ],
)
def test_doubled_word_knows_grammatical_german_doubles(text, expected):
    assert [s for _, s in found(text, "TQ601", tgt="de")] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He argued that that plan would fail.", []),
        ("By noon she had had three meetings.", []),
        ("What the risk is is unclear.", []),
        ("He handed her her ticket.", []),
        ("The shop sold sold everything.", ["sold sold"]),
    ],
)
def test_doubled_word_knows_grammatical_english_doubles(text, expected):
    assert [s for _, s in found(text, "TQ601", tgt="en")] == expected


def test_doubled_word_present_in_the_source_is_kept():
    """A name or sound that the source doubles too is no MT slip; other doubles in the same text still are."""
    source = "We flew to Bora Bora. The kids shouted \"beep beep\" all the way."
    target = "Wir flogen nach Bora Bora. Die Kinder riefen „beep beep“ den ganzen Weg über über."
    assert found(target, "TQ601", source=source, src="en", tgt="de") == [("TQ601", "über über")]


def test_repeated_sentence_reports_the_later_copy():
    text = ("Live commerce is growing faster than anyone expected. Prices fell.\n\n"
            "Something else happened. Live commerce is growing faster than anyone expected.")
    assert found(text, "TQ602", tgt="en") == [("TQ602", "Live commerce is growing faster than anyone expected.")]


def test_repeated_short_sentences_and_headings_are_not_reported():
    text = ("Gut so.\n\nGut so.\n\nWie kann man Kakerlaken in Guangdong bekämpfen?"
            "\n\nWie kann man Kakerlaken in Guangdong bekämpfen?")
    assert found(text, "TQ602") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Watch the live live live live stream.", ["live live live live"]),
        ("Armband Armband Armband Armband aus Leder.", ["Armband Armband Armband Armband"]),
        ("buy now buy now buy now, they said", ["buy now buy now buy now"]),
        ("Sales grew 10 10 10 percent.", []),
        ("Sales on the the platform.", []),
        ("Buy it now! Buy it now! Buy it now! Offer ends today.", ["Buy it now! Buy it now! Buy it now"]),
        ("No, no, no! That is wrong.", []),
        ("one two three four five six seven " * 3 + "end", ["one two three four five six seven " * 2
                                                          + "one two three four five six seven"]),
    ],
)
def test_looping_output(text, expected):
    assert [s for _, s in found(text, "TQ603", tgt="en")] == expected


def test_a_loop_that_takes_over_the_text_is_critical_and_fails_the_gate():
    """A seven-word phrase repeated 10,000 times: one issue over 70,000 words, critical, so the gate fails."""
    from tqcheck import Config, check
    from tqcheck.types import Document, Severity

    text = " ".join(["Das ist ein sehr gutes neues Produkt"] * 10_000)
    result = check(Document(text, "de"), config=Config())
    [issue] = [i for i in result.issues if i.code == "TQ603"]
    assert (issue.span.start, issue.span.end, issue.severity) == (0, len(text), Severity.CRITICAL)
    assert "repeated 10,000 times" in issue.message and result.verdict == "fail"
    short = check(Document("Watch the live live live stream.", "en"), config=Config(tgt_lang="en"))
    assert [i.severity for i in short.issues if i.code == "TQ603"] == [Severity.MAJOR]
    configured = check(Document(text, "de"), config=Config(severity_overrides={"TQ603": "minor"}))
    assert [i.severity for i in configured.issues if i.code == "TQ603"] == [Severity.MINOR]  # the user's word wins


@pytest.mark.parametrize(
    ("text", "doubled", "loops"),
    [
        # Only lines whose words hold a square are looked at word by word: a square across a comma is looked at
        # and dismissed, the real doubling on the next line is found.
        ("Das ist, ist klar.\nWir haben haben geprüft.", ["haben haben"], []),
        # Case folding, not lowering: "STRASSE" and "straße" are the same word.
        ("Die STRASSE straße ist lang.", ["STRASSE straße"], []),
        # No doubling or loop across a line break, nor across a lone carriage return.
        ("Wir haben\nhaben geprüft. Jetzt jetzt\rjetzt", ["Jetzt jetzt"], []),
        ("live live\nlive live live stream", ["live live"], ["live live live"]),
        ("a b a b\r\na b a b a b c", [], ["a b a b a b"]),
        ("Kauf jetzt! Kauf jetzt! Kauf jetzt!\n\nKauf jetzt!", [], ["Kauf jetzt! Kauf jetzt! Kauf jetzt"]),
    ],
)
def test_doubled_words_and_loops_are_found_line_by_line(text, doubled, loops):
    assert [s for _, s in found(text, "TQ601", tgt="en")] == doubled
    assert [s for _, s in found(text, "TQ603", tgt="en")] == loops


@pytest.mark.parametrize(
    "sentence",
    ["", " ", "a  b", " a b ", "a\u00a0\u2028b\x1c", "\tA  B\n", "Straße  STRASSE", "x\u3000y", "\x85z"],
)
def test_sentence_key_is_the_spaces_collapsed_and_case_folded_sentence(sentence):
    from tqcheck.rules.repetition import _WS, _sentence_key

    assert _sentence_key(sentence) == _WS.sub(" ", sentence).casefold()


def _lines_with_a_square(text: str) -> list[int]:
    """The plain definition of the lines TQ601 and TQ603 look at word by word: the case-folded words of the line
    hold some run of 1 to 24 words followed at once by the same words."""
    from tqcheck.rules.base import WORD_RE

    flagged = []
    for k, line in enumerate(text.split("\n")):
        words = [w.casefold() for w in WORD_RE.findall(line)]
        if any(words[i:i + n] == words[i + n:i + 2 * n] for n in range(1, 25) for i in range(len(words) - 2 * n + 1)):
            flagged.append(k)
    return flagged


_SQUARE_TEXTS = st.lists(st.sampled_from(["a", "A", "b", "ß", "SS", "ss", "x-y", "x", "y", "7", "İ", "i̇", "_", " ",
                                          "  ", "\n", "\r", ", ", "-", "'", "\u00a0", "! "]), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(_SQUARE_TEXTS)
def test_flagged_lines_are_the_lines_whose_words_hold_a_square(text):
    from unittest import mock

    from tqcheck import chunking
    from tqcheck.rules import repetition

    expected = _lines_with_a_square(text)
    assert repetition._flagged_lines(text) == expected
    # A long text is coded a chunk at a time: the same lines.
    with mock.patch.object(repetition, "_WHOLE_TEXT_CHARS", 0), mock.patch.object(chunking, "CHUNK_CHARS", 5):
        assert repetition._flagged_lines(text) == expected
    # Too many distinct words for one character each: every line is looked at.
    with mock.patch.object(repetition, "_LAST_ID", repetition._FIRST_ID):
        assert set(repetition._flagged_lines(text)) >= set(expected)
