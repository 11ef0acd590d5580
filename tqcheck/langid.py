"""Script and language identification.

CJK and other non-Latin scripts are decided by Unicode script: langdetect calls 16 % of Chinese MT sources
Korean with probability 1.0 (measured on WMT23, see DESIGN.md). langdetect is used only for Latin-script
text long enough to judge, seeded so that the same text always gives the same answer.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

# (first, last, script) code-point ranges, sorted; enough to tell the scripts of the languages we check.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x005A, "Latin"), (0x0061, 0x007A, "Latin"), (0x00C0, 0x024F, "Latin"),
    (0x0370, 0x03FF, "Greek"), (0x0400, 0x052F, "Cyrillic"), (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"), (0x0900, 0x097F, "Devanagari"), (0x0E00, 0x0E7F, "Thai"),
    (0x1100, 0x11FF, "Hangul"), (0x1E00, 0x1EFF, "Latin"), (0x2E80, 0x2FDF, "Han"),
    (0x3040, 0x309F, "Hiragana"), (0x30A0, 0x30FF, "Katakana"), (0x3130, 0x318F, "Hangul"),
    (0x3400, 0x4DBF, "Han"), (0x4E00, 0x9FFF, "Han"), (0xAC00, 0xD7AF, "Hangul"),
    (0xF900, 0xFAFF, "Han"), (0x20000, 0x2FA1F, "Han"),
)
_STARTS = tuple(r[0] for r in _RANGES)


def script_ranges() -> tuple[tuple[int, int, str], ...]:
    """The (first, last, script) code-point ranges :func:`script_of` knows, sorted (for building regex classes)."""
    return _RANGES

LANG_SCRIPTS: dict[str, frozenset[str]] = {
    "zh": frozenset({"Han"}),
    "ja": frozenset({"Han", "Hiragana", "Katakana"}),
    "ko": frozenset({"Hangul", "Han"}),
    "ru": frozenset({"Cyrillic"}), "uk": frozenset({"Cyrillic"}), "bg": frozenset({"Cyrillic"}),
    "el": frozenset({"Greek"}), "he": frozenset({"Hebrew"}), "ar": frozenset({"Arabic"}),
    "hi": frozenset({"Devanagari"}), "th": frozenset({"Thai"}),
}
_LATIN = frozenset({"Latin"})

HAN_RE = re.compile(r"[\u2e80-\u2fdf\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")

# Below these, a language guess is not worth acting on (DESIGN.md: ≥ 6 words and p > 0.95 leave only
# real problems on German MT).
MIN_WORDS = 6
MIN_PROBABILITY = 0.95


def script_of(char: str) -> str | None:
    """The script of one character, or ``None`` for digits, punctuation and symbols."""
    import bisect

    cp = ord(char)
    i = bisect.bisect_right(_STARTS, cp) - 1
    if i >= 0 and cp <= _RANGES[i][1]:
        return _RANGES[i][2]
    return None


def scripts_of_lang(lang: str | None) -> frozenset[str]:
    """The scripts a language is written in (Latin for any language not listed)."""
    return LANG_SCRIPTS.get(lang or "", _LATIN)


def script_profile(text: str) -> dict[str, int]:
    """How many letters of each script ``text`` has."""
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            script = script_of(ch)
            if script:
                counts[script] = counts.get(script, 0) + 1
    return counts


def script_language(text: str) -> str | None:
    """Language decided by script alone (zh, ja, ko, ru, …), or ``None`` for Latin-script text."""
    profile = script_profile(text)
    if not profile:
        return None
    kana = profile.get("Hiragana", 0) + profile.get("Katakana", 0)
    if kana:
        return "ja"
    if profile.get("Hangul", 0):
        return "ko"
    # A Chinese sentence full of Latin names and addresses is still Chinese: a fifth of Han letters decides.
    if profile.get("Han", 0) >= sum(profile.values()) / 5:
        return "zh"
    main = max(profile, key=lambda s: profile[s])
    for lang, scripts in LANG_SCRIPTS.items():
        if scripts == frozenset({main}):
            return lang
    return None


@dataclass(frozen=True, slots=True)
class Guess:
    lang: str
    probability: float


_lock = threading.Lock()
_factory = None


# langdetect is only asked about Latin-script text (other scripts are decided by script), so only the
# Latin-script profiles are loaded: half the start-up cost, and no Chinese-as-Korean confusions.
LATIN_PROFILES = (
    "af", "ca", "cs", "cy", "da", "de", "en", "es", "et", "fi", "fr", "hr", "hu", "id", "it", "lt", "lv", "nl",
    "no", "pl", "pt", "ro", "sk", "sl", "so", "sq", "sv", "sw", "tl", "tr", "vi",
)


def _detector_factory():  # -> langdetect.DetectorFactory
    """Our own seeded factory: independent of langdetect's global one, loaded once."""
    global _factory
    with _lock:
        if _factory is None:
            from pathlib import Path

            from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

            factory = DetectorFactory()
            profiles = [(Path(PROFILES_DIRECTORY) / lang).read_text(encoding="utf-8") for lang in LATIN_PROFILES]
            factory.load_json_profile(profiles)
            factory.set_seed(0)
            _factory = factory
    return _factory


_WORD = re.compile(r"[^\W\d_]{2,}")


def detect(text: str) -> Guess | None:
    """Language guess: by script for non-Latin text, else seeded langdetect; ``None`` without letters, and
    ``None`` for Latin-script text of fewer than :data:`MIN_WORDS` words ("N1 (Level 1)", "Blatt 1"): statistics
    on a few letters guess Dutch for a German label, and no verdict is better than a wrong one."""
    if not any(ch.isalpha() for ch in text):
        return None
    scripted = script_language(text)
    if scripted:
        return Guess(scripted, 1.0)
    if len(_WORD.findall(text)) < MIN_WORDS:
        return None
    from langdetect.lang_detect_exception import LangDetectException

    detector = _detector_factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return None
    return Guess(best.lang.split("-")[0], float(best.prob))
