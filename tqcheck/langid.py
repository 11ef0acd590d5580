"""Script and language identification.

CJK and other non-Latin scripts are decided by Unicode script: langdetect calls 16 % of Chinese MT sources
Korean with probability 1.0 (measured on WMT23, see DESIGN.md). langdetect is used only for Latin-script
text long enough to judge, seeded so that the same text always gives the same answer.
"""

from __future__ import annotations

import bisect
import re
import threading
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqcheck import regexcache

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


def _class_of(scripts: frozenset[str], exclude: bool) -> str:
    """A regex character class of the code-point ranges of these scripts (or of all the others)."""
    chosen = [(a, b) for a, b, script in _RANGES if (script in scripts) != exclude]
    return "[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in chosen) + "]"


# Any character of a range of a script other than Latin (letter or not: a hit is then looked at closely). A
# text without one has only Latin letters, whatever it has besides.
NON_LATIN_RE = regexcache.compile(_class_of(_LATIN, exclude=True))


def other_scripts_re(scripts: frozenset[str]) -> re.Pattern[str]:
    """Any character of the ranges of the scripts other than ``scripts``: where a letter of another script may
    be. One search skips a text that has none."""
    pattern = _OTHER_SCRIPTS.get(scripts)
    if pattern is None:
        pattern = _OTHER_SCRIPTS[scripts] = regexcache.compile(_class_of(scripts, exclude=True))
    return pattern


_OTHER_SCRIPTS: dict[frozenset[str], re.Pattern[str]] = {}

HAN_RE = regexcache.compile(r"[\u2e80-\u2fdf\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")

# Below these, a language guess is not worth acting on (DESIGN.md: ≥ 6 words and p > 0.95 leave only
# real problems on German MT).
MIN_WORDS = 6
MIN_PROBABILITY = 0.95


def script_of(char: str) -> str | None:
    """The script of one character, or ``None`` for digits, punctuation and symbols."""
    try:
        return _SCRIPT_OF[char]
    except KeyError:
        pass
    cp = ord(char)
    i = bisect.bisect_right(_STARTS, cp) - 1
    script = _RANGES[i][2] if i >= 0 and cp <= _RANGES[i][1] else None
    if len(_SCRIPT_OF) > 100_000:  # every character of a long CJK batch: bounded
        _SCRIPT_OF.clear()
    _SCRIPT_OF[char] = script
    return script


_SCRIPT_OF: dict[str, str | None] = {}


def scripts_of_lang(lang: str | None) -> frozenset[str]:
    """The scripts a language is written in (Latin for any language not listed)."""
    return LANG_SCRIPTS.get(lang or "", _LATIN)


def script_profile(text: str) -> dict[str, int]:
    """How many letters of each script ``text`` has (scripts in the order they first appear)."""
    from collections import Counter

    counts: dict[str, int] = {}
    # Each distinct character once: Counter keeps the order of first appearance, and so the scripts'.
    for ch, n in Counter(text).items():
        if ch.isalpha():
            script = script_of(ch)
            if script:
                counts[script] = counts.get(script, 0) + n
    return counts


def script_language(text: str) -> str | None:
    """Language decided by script alone (zh, ja, ko, ru, …), or ``None`` for Latin-script text."""
    if not NON_LATIN_RE.search(text):
        return None  # Latin letters only (or none): no script decides
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


class _Detector:
    """langdetect's algorithm (Detector.append, cleaning_text, _extract_ngrams, _detect_block), computed with the
    same floating-point operations in the same order, so the probabilities are bit for bit langdetect's, at a
    tenth of the cost: each n-gram's row of language probabilities is built when first needed (langdetect's
    factory builds all 24,000 rows at load: 0.2 s), a word's n-grams are worked out once, and the update and
    normalisation loops run in ``map``. tests/test_langid.py compares it with langdetect itself."""

    ALPHA, ALPHA_WIDTH, TRIALS, ITERATION_LIMIT = 0.5, 0.05, 7, 1000
    PROB_THRESHOLD, CONV_THRESHOLD, BASE_FREQ, MAX_TEXT_LENGTH = 0.1, 0.99999, 10000, 10000
    SEED = 0
    _MAX_REMEMBERED = 200_000  # n-gram rows and words' n-grams: bounded for a long batch of varied text

    def __init__(self, table: ProfileTable, normalisation: Normalisation | None = None) -> None:
        self.langlist = list(table.names)
        self.n_words = table.n_words
        # What langdetect's word_lang_prob_map has a row for: each n-gram → its row in the counts
        self.known = dict(zip(table.grams.split("\0"), range(len(table.counts) // len(table.names)), strict=True))
        self._counts, self._width = table.counts, len(table.names)
        self.rows: dict[str, list[float]] = {}
        self.word_grams: dict[str, tuple[list[str], list[str]]] = {}
        norm = normalisation if normalisation is not None else normalisation_of_langdetect()
        self._url, self._mail = regexcache.compile(*norm.url), regexcache.compile(*norm.mail)
        self._marks = norm.marks
        bmp = norm.bmp

        class Normalised(dict):  # code point -> NGram.normalize of it, filled as str.translate asks
            def __missing__(self, cp: int) -> str:
                value = self[cp] = bmp[cp] if cp < len(bmp) else _langdetect_ngram().normalize(chr(cp))
                return value

        self._normalised = Normalised()

    def _normalize_vi(self, text: str) -> str:
        # NGram.normalize_vi replaces a letter followed by one of these marks: a text without them is as it was.
        if any(mark in text for mark in self._marks):
            return _langdetect_ngram().normalize_vi(text)  # type: ignore[no-any-return]
        return text

    def _row(self, gram: str) -> list[float]:
        # DetectorFactory.add_profile: 1.0 * freq / n_words[len - 1] for each profile that has the n-gram, else 0.0
        # (a profile without it counts 0 here, and 1.0 * 0 / n is that same 0.0)
        row = self.rows.get(gram)
        if row is None:
            if len(self.rows) > self._MAX_REMEMBERED:
                self.rows.clear()
            # Only n-grams of one to three letters are asked for.
            at = self.known[gram] * self._width
            row = self.rows[gram] = [1.0 * count / n for count, n in
                                     zip(self._counts[at:at + self._width], self.n_words[len(gram) - 1], strict=True)]
        return row

    def _grams_of(self, word: str) -> tuple[list[str], list[str]]:
        """The n-grams NGram emits for a word (its characters normalised): those while it is read, and those when a
        space follows it. The buffer is " " plus the word's last characters; a character and the one before both
        upper case (capitalword) emit nothing."""
        found = self.word_grams.get(word)
        if found is not None:
            return found
        known = self.known
        padded = " " + word + " "
        body: list[str] = []
        for i in range(1, len(word) + 1):
            if word[i - 1].isupper() and padded[i - 1].isupper():
                continue
            for n in (1, 2, 3):
                if n > i + 1:
                    break
                gram = padded[i + 1 - n:i + 1]
                if gram != " " and gram in known:
                    body.append(gram)
        end = len(word) + 1
        tail = [gram for n in (2, 3) if n <= end + 1 and (gram := padded[end + 1 - n:end + 1]) in known]
        if len(self.word_grams) > self._MAX_REMEMBERED:
            self.word_grams.clear()
        found = self.word_grams[word] = (body, tail)
        return found

    def _ngrams(self, text: str) -> list[str]:
        # Detector.append: URLs and e-mail addresses out, Vietnamese normalised, cut, runs of spaces made one.
        text = self._mail.sub(" ", self._url.sub(" ", text))
        text = _SPACES.sub(" ", self._normalize_vi(text)[:self.MAX_TEXT_LENGTH])
        # Detector.cleaning_text; langdetect compares unicode_block()'s number with a block name, so every
        # character from U+0300 counts as non-Latin.
        if 2 * len(_ASCII_LATIN.findall(text)) < len(_FROM_U0300.findall(text)):
            text = _ASCII_LATIN.sub("", text)
        normalised = text.translate(self._normalised)
        grams: list[str] = []
        words = normalised.split(" ")
        last = len(words) - 1
        for i, word in enumerate(words):
            if word:
                body, tail = self._grams_of(word)
                grams += body
                if i < last:  # a space follows
                    grams += tail
        return grams

    def probabilities(self, text: str) -> list[tuple[str, float]] | None:
        """Detector.get_probabilities as (language, probability), best first; None where langdetect raises
        "No features in text"."""
        import random

        ngrams = self._ngrams(text)
        if not ngrams:
            return None
        known, row_of = self.rows.get, self._row
        rows = [known(gram) or row_of(gram) for gram in ngrams]
        size, count = len(self.langlist), len(rows)
        langprob = [0.0] * size
        rnd = random.Random(self.SEED)  # as Detector._detect_block: seeded anew for every text
        # random.choice(seq) is seq[_randbelow(len(seq))]: the same draws, without a call a draw
        draw = rnd._randbelow
        for _ in range(self.TRIALS):
            alpha = self.ALPHA + rnd.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            w = alpha / self.BASE_FREQ
            # langdetect multiplies each probability by (w + the drawn row's) once a draw and normalises after
            # draws 0, 5, 10, ...: here the five products of a block are one expression a language, evaluated
            # left to right as langdetect's loop does, and the division by the last block's sum opens the next
            # block (p / total, then the products). Division by a positive sum keeps the order, so the largest
            # normalised probability is the largest one divided.
            r = rows[draw(count)]
            prob = [1.0 / size * (w + a) for a in r]
            total = sum(prob)
            i = 0
            while not (max(prob) / total > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT):
                r1, r2, r3, r4, r5 = (rows[draw(count)], rows[draw(count)], rows[draw(count)], rows[draw(count)],
                                      rows[draw(count)])
                prob = [p / total * (w + a) * (w + b) * (w + c) * (w + d) * (w + e)
                        for p, a, b, c, d, e in zip(prob, r1, r2, r3, r4, r5, strict=True)]
                total = sum(prob)
                i += 5
            langprob = [sum_ + p / total / self.TRIALS for sum_, p in zip(langprob, prob, strict=True)]
        found = [(lang, p) for lang, p in zip(self.langlist, langprob, strict=True) if p > self.PROB_THRESHOLD]
        found.sort(key=lambda pair: pair[1], reverse=True)
        return found


_SPACES = regexcache.compile(" {2,}")
_ASCII_LATIN = regexcache.compile("[A-z]")  # langdetect's 'A' <= ch <= 'z', [ \\ ] ^ _ ` included
_FROM_U0300 = regexcache.compile("[^\x00-\u02ff]")


@dataclass(frozen=True, slots=True)
class ProfileTable:
    """langdetect's profiles, compact: a process reads this in a few milliseconds, where parsing the JSON profiles
    took 30 (each n-gram's row is built from ``counts`` when a text first needs it)."""

    names: tuple[str, ...]
    n_words: tuple[tuple[int, ...], ...]  # by n-gram length: each profile's count
    grams: str  # every n-gram of some profile, NUL-separated (one string unpickles at once; a dict of them: 10 ms)
    counts: array  # a row an n-gram, in that order: a count a profile (0: the profile lacks the n-gram)


def profile_table(profiles: list[str]) -> ProfileTable:
    """The table of langdetect's JSON ``profiles`` (grams in the order the profiles first name them)."""
    import json

    names, freqs, n_words = [], [], []
    for profile in profiles:
        data = json.loads(profile)
        names.append(data["name"])
        freqs.append(data["freq"])
        n_words.append(data["n_words"])
    grams = list(dict.fromkeys(g for freq in freqs for g in freq))
    values = [freq.get(gram, 0) for gram in grams for freq in freqs]
    counts = array("I" if max(values, default=0) < 1 << 32 else "Q", values)
    return ProfileTable(tuple(names), tuple(zip(*n_words, strict=True)), "\0".join(grams), counts)


@dataclass(frozen=True, slots=True)
class Normalisation:
    """What langdetect does to a text's characters before it counts n-grams, read from langdetect once and kept in
    the cache folder: a warm process need not import langdetect (its import builds the CJK tables: some 8 ms)."""

    url: tuple[str, int]  # Detector.URL_RE and MAIL_RE: (pattern, flags)
    mail: tuple[str, int]
    marks: str  # NGram.DMARK_CLASS: the marks NGram.normalize_vi combines with the letter before them
    bmp: str  # NGram.normalize of each code point below 0x10000 (one character each), in order


def normalisation_of_langdetect() -> Normalisation:
    """:class:`Normalisation` as langdetect defines it (imports langdetect)."""
    from langdetect.detector import Detector

    ngram = _langdetect_ngram()
    characters = [ngram.normalize(chr(cp)) for cp in range(0x10000)]
    if any(len(c) != 1 for c in characters):  # not one character each: no table of them (never seen)
        raise ValueError("NGram.normalize returned other than one character")
    return Normalisation((Detector.URL_RE.pattern, int(Detector.URL_RE.flags)),
                         (Detector.MAIL_RE.pattern, int(Detector.MAIL_RE.flags)), str(ngram.DMARK_CLASS),
                         "".join(characters))


def _langdetect_ngram() -> Any:
    from langdetect.utils.ngram import NGram

    return NGram


# The files of langdetect that define what Normalisation keeps (in the package folder).
_LANGDETECT_CODE = ("detector.py", "utils/ngram.py", "utils/unicode_block.py", "utils/messages.py",
                    "utils/messages.properties")


def _langdetect_folder() -> Path:
    """langdetect's package folder, found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec("langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("langdetect is not installed", name="langdetect")
    return Path(next(iter(spec.submodule_search_locations)))


def _cached_profile_table() -> ProfileTable:
    from tqcheck.datacache import cached_by_content

    profiles = _langdetect_folder() / "profiles"  # langdetect's PROFILES_DIRECTORY
    files = [profiles / lang for lang in LATIN_PROFILES]
    data = [path.read_bytes() for path in files]
    return cached_by_content("langid-profiles", profiles, b"\0".join(data), (__file__,),
                             lambda: profile_table([raw.decode("utf-8") for raw in data]))


def _cached_normalisation() -> Normalisation:
    from tqcheck.datacache import cached_by_content

    folder = _langdetect_folder()
    data = b"\0".join((folder / name).read_bytes() for name in _LANGDETECT_CODE)
    return cached_by_content("langid-normalisation", folder / _LANGDETECT_CODE[1], data, (__file__,),
                             normalisation_of_langdetect)


def _detector() -> _Detector:
    """The detector over the Latin-script profiles, loaded once, when a text first needs a statistical guess."""
    global _factory
    with _lock:
        if _factory is None:
            _factory = _Detector(_cached_profile_table(), _cached_normalisation())
    return _factory


_WORD = regexcache.compile(r"[^\W\d_]{2,}")
# Guesses by text: the same sentences and samples come back (a translation memory, several MT systems' outputs of
# one source), and a statistical guess costs a millisecond. Bounded by the characters of the texts kept.
_GUESSES: dict[str, Guess | None] = {}
_MAX_GUESSED_CHARS = 4_000_000
_guessed_chars = 0


def detect(text: str) -> Guess | None:
    """Language guess: by script for non-Latin text, else seeded langdetect; ``None`` without letters, and
    ``None`` for Latin-script text of fewer than :data:`MIN_WORDS` words ("N1 (Level 1)", "Blatt 1"): statistics
    on a few letters guess Dutch for a German label, and no verdict is better than a wrong one."""
    global _guessed_chars
    if text in _GUESSES:
        return _GUESSES[text]
    guess = _guess(text)
    if _guessed_chars > _MAX_GUESSED_CHARS:
        _GUESSES.clear()
        _guessed_chars = 0
    _GUESSES[text] = guess
    _guessed_chars += len(text)
    return guess


def _guess(text: str) -> Guess | None:
    if not any(ch.isalpha() for ch in text):
        return None
    scripted = script_language(text)
    if scripted:
        return Guess(scripted, 1.0)
    if len(_WORD.findall(text)) < MIN_WORDS:
        return None
    found = _detector().probabilities(text)
    if not found:
        return None
    lang, probability = found[0]
    return Guess(lang.split("-")[0], float(probability))
