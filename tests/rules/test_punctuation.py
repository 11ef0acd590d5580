"""TQ4xx: quotation marks, full-width punctuation, spacing, brackets, quotes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import found


@pytest.mark.parametrize(
    ("text", "tgt", "expected"),
    [
        ("Das “verdammte Tencent” war nicht schlimm.", "de", ["“verdammte Tencent”"]),
        ("Das ”verdammte Tencent” war nicht schlimm.", "de", ["”verdammte Tencent”"]),
        ("Das „verdammte Tencent“ und »Paipai« sind gut.", "de", []),
        ('Das "verdammte Tencent" geht auch.', "de", []),
        ("The „damned Tencent“ was not bad.", "en", ["„damned Tencent“"]),
        ("The “damned Tencent” was not bad.", "en", []),
        # German quotations in a row: the closing “ of one and the opening „ of the next are no pair.
        ("„Wir bleiben“, sagte die Sprecherin. „Es gibt keinen Grund zu gehen.“", "de", []),
        ("„Wir bleiben.“ Sie fügte hinzu: „Es gibt keinen Grund.“", "de", []),
        ("„Wir bleiben.“ Dann sagte sie “nein” und ging.", "de", ["“nein”"]),
        # A stray closing mark does not open a quotation that swallows the next one.
        ("Er meinte, das reiche“, sagte sie. „Nein.“", "de", []),
    ],
)
def test_foreign_quotation_marks(text, tgt, expected):
    assert [s for _, s in found(text, "TQ401", tgt=tgt)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Douyin grew fast，and Taobao followed。Then", ["，", "。"]),
        ("Prices（in RMB）fell：a lot", ["（", "）", "："]),
        ("Left in: 我们会成功。 Fine.", []),
    ],
)
def test_fullwidth_punctuation(text, expected):
    assert [s for _, s in found(text, "TQ402", tgt="en")] == expected


@pytest.mark.parametrize(
    ("text", "tgt", "expected"),
    [
        ("Many users , but few buyers .", "en", [" ", " "]),
        ("Many users,but few buyers.", "en", [","]),
        ("Two  spaces here.", "en", ["  "]),
        ("Pengyou.com ... Das ist gut. Es kostet 1,5 Mio.", "de", []),
        ("Quoi ? Oui ; bien .", "fr", [" "]),
        ("Ratio 3:2 at 10:30, e.g. fine.", "en", []),
    ],
)
def test_punctuation_spacing(text, tgt, expected):
    assert [s for _, s in found(text, "TQ403", tgt=tgt)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Douyin (owned by ByteDance grew fast.", ["("]),
        ("Douyin owned by ByteDance) grew fast.", [")"]),
        ("Douyin (ByteDance [China]) grew.", []),
        ("Steps: 1) plan 2) act. Happy :)", []),
        ("First paragraph (open.\n\nSecond paragraph closes).", ["(", ")"]),
        # A number or letter before the closing bracket of a pair is content, not a list marker.
        ("Details follow later (chapter 12) in the report.", []),
        ("The vote was on Monday (March 3), not later.", []),
        ("See the table (appendix D) for all figures.", []),
        ("The vote was on Monday March 3) and passed.", [")"]),
        # List markers at the start of a line or item.
        ("Three reasons: a) price, b) place and c) timing.", []),
        ("1) Register the shop.\n2) Upload the goods.", []),
    ],
)
def test_unbalanced_brackets(text, expected):
    assert [s for _, s in found(text, "TQ404", tgt="en")] == expected


@pytest.mark.parametrize(
    ("text", "tgt", "expected"),
    [
        ("Das „verdammte Tencent war schlimm.", "de", ["„"]),
        ("Das „verdammte Tencent“ war »nicht« schlimm.", "de", []),
        ("He said “no and left.", "en", ["“"]),
        ('He said "no and left.', "en", ['"']),
        ("It’s Alibaba’s “best” year.", "en", []),
    ],
)
def test_unbalanced_quotes(text, tgt, expected):
    assert [s for _, s in found(text, "TQ405", tgt=tgt)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Regeln stehen im Anhang (Kapitel 12) des Berichts.", []),
        ("Die Wahl fand am Montag (11. Februar) statt.", []),
        ("Mehr dazu steht im Abschnitt (siehe Anhang D) weiter unten.", []),
        ("Es gibt zwei Gründe: a) den Preis und b) die Lage.", []),
        ("Die Wahl fand am Montag (11. Februar statt.", ["("]),
    ],
)
def test_unbalanced_brackets_in_german(text, expected):
    assert [s for _, s in found(text, "TQ404", tgt="de")] == expected


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["a", "7", "_", " ", "\t", "\u00a0", "\n", ",", ";", ":", "!", "?", ".", "..", "„",
                                 "x"]), max_size=30).map("".join))
def test_spaces_before_marks_are_the_space_before_search(text):
    from tqcheck.rules.punctuation import _SPACE_BEFORE, _spaces_before_marks

    assert [m.span() for m in _spaces_before_marks(text)] == [m.span() for m in _SPACE_BEFORE.finditer(text)]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(["a", "7", " ", "  ", "\t", "\u00a0", "\n", ",", ".", "„", "x"]), max_size=30)
       .map("".join))
def test_double_spaces_are_the_double_space_search(text):
    """The runs found from the space pairs are the pattern's matches over the whole text."""
    from tqcheck.rules.punctuation import _DOUBLE_SPACE, _double_spaces

    assert [m.span() for m in _double_spaces(text)] == [m.span() for m in _DOUBLE_SPACE.finditer(text)]
