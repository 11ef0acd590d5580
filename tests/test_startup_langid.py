"""langdetect's profiles as one compact cached table (tqcheck.langid.ProfileTable) give langdetect's own rows."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tqcheck import langid


def _factory():
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_json_profile([(Path(PROFILES_DIRECTORY) / lang).read_text(encoding="utf-8")
                               for lang in langid.LATIN_PROFILES])
    return factory


_LANGDETECT = _factory()
_GRAMS = sorted(_LANGDETECT.word_lang_prob_map)


def test_profile_table_knows_langdetects_grams_and_languages():
    """The same 31 languages in the same order and the same n-grams (24,327 of them)."""
    detector = langid._detector()
    assert detector.langlist == _LANGDETECT.langlist and len(detector.langlist) == 31
    assert set(detector.known) == set(_GRAMS) and len(_GRAMS) == 24327


def test_profile_table_from_the_cache_equals_a_fresh_build(tmp_path, monkeypatch):
    """Built into an empty cache folder, then read back: the same table."""
    monkeypatch.setenv("TQCHECK_CACHE_DIR", str(tmp_path))
    built = langid._cached_profile_table()
    assert list(tmp_path.glob("langid-profiles-*.pickle"))
    assert langid._cached_profile_table() == built


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_GRAMS))
def test_profile_table_row_is_langdetects_row(gram):
    assert langid._detector()._row(gram) == _LANGDETECT.word_lang_prob_map[gram]
