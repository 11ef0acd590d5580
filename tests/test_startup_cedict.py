"""CC-CEDICT kept by first character (align.lexicon.cedict_words) segments Chinese exactly as the whole table did."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tqcheck.align import lexicon, words
from tqcheck.align.lexicon import ZH_STOPWORDS

_SAMPLE = (Path(__file__).parent.parent / "samples" / "wechat-ecommerce.zh.txt").read_text(encoding="utf-8")


@cache
def _whole_lengths() -> dict[str, tuple[int, ...]]:
    lengths: dict[str, set[int]] = {}
    for word in (*lexicon.cedict(), *ZH_STOPWORDS):
        lengths.setdefault(word[0], set()).add(len(word))
    return {ch: tuple(sorted(n, reverse=True)) for ch, n in lengths.items()}


def _plain_tokens(text: str) -> list[tuple[str, ...]]:
    """Forward longest match against the whole table (the definition), each word as its sorted keys."""
    table, lengths, found = lexicon.cedict(), _whole_lengths(), []
    for run in words._HAN.finditer(text):
        s, i = run.group(), 0
        while i < len(s):
            step = 1
            for size in lengths.get(s[i], ()):
                word = s[i:i + size]
                if len(word) == size and (word in table or word in ZH_STOPWORDS):
                    if word in table:
                        found.append(tuple(sorted(table[word].split())))
                    step = size
                    break
            i += step
    return found


def _tokens(text: str) -> list[tuple[str, ...]]:
    return [tuple(sorted(t.keys)) for t in words._chinese_tokens(text, True)]


def test_cedict_words_sample_article_as_the_whole_table():
    """The sample article's 2,061 characters give the same words, in order, as the whole table."""
    assert _tokens(_SAMPLE) == _plain_tokens(_SAMPLE)
    assert len(_tokens(_SAMPLE)) == len(_plain_tokens(_SAMPLE)) > 500


def test_cedict_words_buckets_hold_every_entry_once():
    """Each headword lives in its first character's bucket, with the keys of the whole table."""
    table = lexicon.cedict()
    assert len(table) == 117121
    lengths, bucket = lexicon.cedict_words("电")
    assert bucket["电商"] == table["电商"] and max(lengths) == max(len(w) for w in table if w[0] == "电")
    assert lexicon.cedict_words("的")[1].get("的") is None and 1 in lexicon.cedict_words("的")[0]
    assert lexicon.cedict_words("a") == ((), {})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(sorted(set(_SAMPLE))), max_size=60).map("".join))
def test_cedict_words_match_whole_table_on_any_text(text):
    assert _tokens(text) == _plain_tokens(text)
