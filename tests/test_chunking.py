"""Whole-text operations done a chunk at a time give what the whole text gives (tqcheck.chunking)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from tqcheck import chunking, prefilter
from tqcheck.rules import english_left
from tqcheck.rules.base import WORD_RE
from tqcheck.scoring import words

texts = st.text(alphabet="ab中文 \n\t\u00a0\u3000-'’_1", max_size=80)


@contextmanager
def chunks_of(size: int) -> Iterator[None]:
    """Every whole-text operation split into chunks of ``size`` characters (the module's default otherwise)."""
    old = chunking.CHUNK_CHARS
    chunking.CHUNK_CHARS = size
    try:
        yield
    finally:
        chunking.CHUNK_CHARS = old


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(1, 6))
def test_chunks_join_to_the_text_and_end_before_white_space(text, size):
    chunks = list(chunking.whitespace_chunks(text, size))
    assert "".join(chunks) == text
    assert all(chunks)
    for chunk, following in pairwise(chunks):
        assert len(chunk) >= size and following[0].isspace()


def test_a_text_without_white_space_after_a_point_is_one_piece_from_there():
    assert list(chunking.whitespace_chunks("ab cdefghij", 2)) == ["ab", " cdefghij"]


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(1, 6), st.sampled_from(["de", "zh"]))
def test_text_size_in_chunks_is_the_whole_texts(text, size, lang):
    with chunks_of(size):
        chunked = words.text_size(text, lang)
    if lang == "de":
        expected = len(WORD_RE.findall(text))
    else:
        counted = re.compile("[中文]+")
        letters = sum(map(len, counted.findall(text)))
        expected = letters + len(WORD_RE.findall(counted.sub(" ", text)))
    assert chunked.count == expected


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="aΣσςİıAß \n\u3000.'\u0301x", max_size=80), st.integers(1, 6))
def test_lowercase_in_chunks_is_str_lower(text, size):
    # The final sigma looks at its neighbours across case-ignorable characters ("." "'" U+0301): a chunk ends
    # before white space, where that look stops, so every chunk is lowered as the whole text would be.
    with chunks_of(size):
        assert prefilter.lowercase(text) == text.lower()


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(1, 6))
def test_distinct_tokens_in_chunks_are_the_texts_tokens(text, size):
    with chunks_of(size):
        assert english_left._distinct_tokens(text) == set(text.split())


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(0, 80), st.integers(0, 80), st.sampled_from(["de", "en", "zh", None]))
def test_a_spans_words_are_its_slices(text, start, end, lang):
    # Routing counts each segment's words in place; a word cut by the span's edges counts as the slice's does.
    start, end = sorted((min(start, len(text)), min(end, len(text))))
    assert words.span_words(text, start, end, lang) == words.text_size(text[start:end], lang).words
