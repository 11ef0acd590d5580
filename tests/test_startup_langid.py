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


# --- langdetect's normalisation, kept: a warm process does not import langdetect -----------------------------------

_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def test_the_kept_normalisation_is_langdetects(tmp_path, monkeypatch):
    from langdetect.detector import Detector
    from langdetect.utils.ngram import NGram

    monkeypatch.setenv("TQCHECK_CACHE_DIR", str(tmp_path))
    built = langid._cached_normalisation()
    assert list(tmp_path.glob("langid-normalisation-*.pickle"))
    kept = langid._cached_normalisation()
    assert kept == built == langid.normalisation_of_langdetect()
    assert kept.url == (Detector.URL_RE.pattern, Detector.URL_RE.flags)
    assert kept.mail == (Detector.MAIL_RE.pattern, Detector.MAIL_RE.flags)
    assert kept.marks == NGram.DMARK_CLASS and len(kept.bmp) == 0x10000
    assert all(kept.bmp[cp] == NGram.normalize(chr(cp)) for cp in range(0, 0x10000, 7))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from("aeiouyAEIOUYăâêôơưđ " + _MARKS), st.characters()), max_size=30))
def test_normalisation_of_a_text_is_langdetects(text):
    from langdetect.utils.ngram import NGram

    detector = langid._detector()
    assert detector._normalize_vi(text) == NGram.normalize_vi(text)
    assert text.translate(detector._normalised) == "".join(NGram.normalize(ch) for ch in text)


def test_a_warm_process_does_not_import_langdetect(tmp_path):
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    code = ("import sys; from tqcheck import langid\n"
            "guess = langid.detect('Die Datei wurde gespeichert und kann jetzt geschlossen werden, sagte er.')\n"
            "print(guess.lang, 'langdetect' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TQCHECK_CACHE_DIR": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
            for _ in range(2)]
    assert runs == ["de True\n", "de False\n"]  # the first built the tables (with langdetect), the second read them
