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


@pytest.mark.parametrize("text", [
    "Die Datei wurde gespeichert und kann jetzt geschlossen werden.",
    "The incident comes after an increase in the numbers of people crossing the Channel in small boats.",
    "Xin chào các bạn, tôi là người Việt Nam và tôi thích học tiếng Đức",
    "Abgesehen davon hat WeChat-E-Commerce das lediglich Verkehr importiert grundsätzlich wenig Potenzial",
    "HALLO WELT DAS IST GROSS  und   klein, see https://example.com or mail a.b@example.org now",
    "Ελληνικά και English words mixed with Deutsch und Français ça va",
])
def test_detector_gives_langdetects_own_probabilities(text):
    """langid computes langdetect's algorithm itself (faster): the probabilities must be langdetect's, bit for bit."""
    from pathlib import Path

    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_json_profile([(Path(PROFILES_DIRECTORY) / lang).read_text(encoding="utf-8")
                               for lang in langid.LATIN_PROFILES])
    factory.set_seed(0)
    detector = factory.create()
    detector.append(text)
    expected = [(found.lang, found.prob) for found in detector.get_probabilities()]
    assert langid._detector().probabilities(text) == expected


def test_a_guess_is_remembered_and_the_same():
    text = "Der Markt wächst, und die Händler verkaufen mehr als im letzten Jahr."
    first = langid.detect(text)
    assert langid.detect(text) is first and first is not None and first.lang == "de"


def test_script_language_by_regex_skips_latin_only_text():
    assert langid.script_language("Grüße aus Köln – „schön“ € 5") is None
    assert langid.script_language("Das ist 电商") == "zh"
    assert langid.script_profile("aé电商Ж") == {"Latin": 2, "Han": 2, "Cyrillic": 1}
