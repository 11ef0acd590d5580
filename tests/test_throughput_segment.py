"""Sentence offsets trimmed by ``str.strip`` (tqcheck.segment.split_sentences) are those that trimming each piece
a character at a time gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tqcheck import segment
from tqcheck.display import SURROGATE


def _plain_split(text: str, lang: str) -> list[tuple[int, int]]:
    """The definition: each piece sentencex returns, found in the line and trimmed with segment._trim."""
    spans = []
    pos = 0
    pieces, text = segment.sentence_pieces(SURROGATE.sub("\ufffd", text), lang)
    for sentence in pieces:
        found = text.find(sentence, pos)
        if found < 0:
            stripped = sentence.strip()
            found = text.find(stripped, pos) if stripped else -1
            if found < 0:
                continue
            sentence = stripped
        trimmed = segment._trim(text, found, found + len(sentence))
        pos = found + len(sentence)
        if trimmed:
            spans.append((trimmed.start, trimmed.end))
    return spans


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="Ab. !?\t\u00a0\u2003\u3000\u200b\x1c。z", max_size=60), st.sampled_from(["de", "en", "zh"]))
def test_sentences_trimmed_by_strip_are_the_plain_ones(line, lang):
    assert segment.split_sentences(line, lang) == _plain_split(line, lang)


def test_spaces_around_sentences_are_not_in_them():
    line = "\u3000 Das ist gut.  Und das\u00a0auch!\t "
    assert [line[s:e] for s, e in segment.split_sentences(line, "de")] == ["Das ist gut.", "Und das\u00a0auch!"]


@pytest.mark.parametrize("line", [
    "Herr A\u00a0. Müller kam.", "A \u3000. Und", "xy A\u00a0\u2003. B", "A\t\u3000A\u00a0\u2003."])
@pytest.mark.parametrize("lang", ["de", "en", "zh"])
def test_a_line_that_makes_sentencex_panic_is_split_all_the_same(line, lang, capfd):
    # sentencex slices a Rust string inside a multi-byte space before a period and panics (a BaseException that
    # would end the run, after a backtrace on the standard error): tqcheck shows it plain spaces there instead.
    spans = segment.split_sentences(line, lang)
    assert spans and all(line[s:e].strip() == line[s:e] for s, e in spans)
    assert capfd.readouterr().err == ""
