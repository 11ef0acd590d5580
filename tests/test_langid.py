"""Language detection: by script where the script decides, by statistics only on enough words."""

from __future__ import annotations

import pytest

from tqcheck import check, langid
from tqcheck.config import Config


@pytest.mark.parametrize("text", ["N1 (Level 1)", "Blatt 1", "Speichern", "Save as…", "Seite 2 von 10"])
def test_short_latin_texts_get_no_language_verdict(text):
    """Fewer than MIN_WORDS words: no guess (langdetect calls "N1 (Level 1)" Dutch)."""
    assert langid.detect(text) is None


def test_script_decides_even_for_one_word_and_statistics_need_six_words():
    assert langid.detect("保存") == langid.Guess("zh", 1.0)
    assert langid.detect("Сохранить") == langid.Guess("ru", 1.0)
    guess = langid.detect("Die Datei wurde gespeichert und kann jetzt geschlossen werden.")
    assert guess is not None and guess.lang == "de" and guess.probability > langid.MIN_PROBABILITY


def test_short_unit_gets_no_language_note():
    """A two-word unit is not "read as nl, not en as declared"."""
    result = check("Blatt 1", "Sheet 1", config=Config(src_lang="en", tgt_lang="de"))
    assert result.notes == () and result.issues == ()
    unknown = check("N1 (Level 1)")
    assert unknown.target.lang is None and unknown.notes[0].startswith("target language unknown")
