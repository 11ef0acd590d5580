"""The spelling rule asks the packs' word sets in turn (rules.spelling._pack_words) as it asked their union."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from tqcheck.packs import load_packs
from tqcheck.rules.spelling import _pack_words, _words_of

_PACKS = load_packs("zh", "de")
_UNION = frozenset().union(_PACKS.stopwords, _PACKS.pivot_words, _PACKS.pivot_function_words, _PACKS.loanwords,
                           _words_of(e.name for e in _PACKS.exonyms), _words_of(e.german for e in _PACKS.exonyms))
_CTX = SimpleNamespace(packs=_PACKS)


def _listed(word: str) -> bool:
    return any(word in words for words in _pack_words(_CTX))  # type: ignore[arg-type]


def test_pack_words_cover_the_union_exactly():
    assert frozenset().union(*_pack_words(_CTX)) == _UNION  # type: ignore[arg-type]
    assert len(_UNION) > 40_000


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.sampled_from(sorted(_UNION)), st.text(alphabet="aeiouäösßnrtklmW-", max_size=12)))
def test_pack_words_in_turn_answer_as_the_union(word):
    assert _listed(word) == (word in _UNION)
