"""TQ610: spelling of German and English targets, against the system's Hunspell dictionaries.

Precision first: a word is reported only when nothing explains it — not the dictionaries (German compounds
split into known parts included), not the source (names kept from it), not the packs, the glossary or the user's
word list, and not its shape (names, brands, acronyms, figures, URLs, handles, code).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from tqcheck import spelling
from tqcheck.inline import MASK
from tqcheck.rules.base import CheckContext, Finding, derived, rule
from tqcheck.types import Category, Severity
from tqcheck.wording import either, quote

CODE, NAME = "TQ610", "misspelling"
_DATA = Path(__file__).resolve().parent.parent / "spelling" / "data"
# A chunk (run of non-space) with one of these is no prose: URLs, e-mail, handles, paths, code, figures with
# units ("5kg", "3.5-mal"), abbreviations with inner dots ("z.B.", "example.com"), inline codes (masked).
_NOT_PROSE = re.compile(rf"[/\\_=<>{{}}\[\]|$@#~^*+%&{MASK}\d]|\.\w|://|\w\.\w")
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]+(?:['’-][A-Za-zÀ-ÖØ-öø-ɏ]+)*")
# Letters of the target language's own alphabet: a word with others (São, Ørsted, große in an English text) is a
# foreign word or name, another rule's business (TQ202, TQ203) if anyone's.
_ALPHABET = {"de": re.compile(r"[A-Za-zÄÖÜäöüß'’]+"), "en": re.compile(r"[A-Za-z'’]+")}
_TRUNCATED = re.compile(r"\.\.\.|…")  # a word cut off by "..." (a teaser snippet) is no misspelling
_MIN_LENGTH = 4  # short words are abbreviations, interjections and names more often than slips
_MAX_LENGTH = 40  # longer runs of letters are no words of any dictionary (and not worth a compound analysis)
_LETTERS_OF = {"de": "abcdefghijklmnopqrstuvwxyzäöüß", "en": "abcdefghijklmnopqrstuvwxyz"}
# Joints of German compounds (Fugenelemente): "Verkehr-s-ministerium", "Kunde-n-zufriedenheit".
_JOINTS = ("", "s", "es", "n", "en", "er", "e")
_MIN_PART = 4  # shorter parts ("den", "sit", "ten") would make almost any string a compound
_MIN_HEAD = 3
_MIN_ENGLISH_PART = 5
# German endings on a name kept from the source: Sunaks, Londoner, Berlinern, Washingtoner, texanische.
_NAME_SUFFIXES = ("s", "es", "n", "er", "ers", "ern", "erin", "erinnen", "isch", "ische", "ischen", "ischer",
                  "isches", "ischem")
# German transliteration against English (Selenskyj / Zelensky, Lawrow / Lavrov, Charkiw / Kharkiv).
_TRANSLITERATION = (("tsch", "ch"), ("sch", "sh"), ("zh", "sh"), ("j", "y"), ("w", "v"), ("ks", "x"), ("z", "ts"))


@lru_cache(maxsize=4)
def _data_words(name: str) -> frozenset[str]:
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(w for raw in lines if (w := raw.split("#", 1)[0].strip()))


def _pinyin() -> frozenset[str]:
    return _data_words("pinyin.txt")


@lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    return frozenset(w.casefold() for w in _data_words("names.txt"))


def _is_pinyin(word: str) -> bool:
    """Made only of Mandarin syllables (two or more): a Chinese name such as Taobao or Pinduoduo."""
    syllables = _pinyin()
    lower = word.lower()
    reach = [False] * (len(lower) + 1)
    reach[0] = True
    count = [0] * (len(lower) + 1)
    for i in range(len(lower)):
        if not reach[i]:
            continue
        for j in range(i + 1, min(len(lower), i + 6) + 1):
            if lower[i:j] in syllables and (not reach[j] or count[j] < count[i] + 1):
                reach[j], count[j] = True, max(count[j], count[i] + 1)
    return reach[-1] and count[-1] >= 2


_LETTERS = re.compile(r"[^\W\d_]+")


def _words_of(texts: Iterable[str]) -> frozenset[str]:
    """Casefolded words, split at hyphens and apostrophes too ("Rolls-Royce", "Sunak's")."""
    return frozenset(w.casefold() for text in texts for w in _LETTERS.findall(text))


def _glossary_words(ctx: CheckContext) -> frozenset[str]:
    if ctx.glossary is None:
        return frozenset()
    return derived(ctx.glossary, "spelling-words", lambda: _words_of(
        text for e in ctx.glossary.entries for text in (e.source, *e.targets, *e.forbidden)))  # type: ignore[union-attr]


def _pack_words(ctx: CheckContext) -> frozenset[str]:
    packs = ctx.packs
    return derived(packs, "spelling-words", lambda: frozenset().union(
        packs.stopwords, packs.pivot_words, packs.pivot_function_words, packs.loanwords,
        _words_of(e.name for e in packs.exonyms), _words_of(e.german for e in packs.exonyms)))


def _part(speller: spelling.Speller, english: spelling.Speller | None, part: str) -> bool:
    """A known part of a German compound: a German word (as a noun or not, or its diminutive: Bällchen), or an
    English one ("Onlineshopping", "Kundenfeedback"): German compounds English words freely."""
    forms = (part, part.capitalize(), part.lower())
    if any(speller.known(f) for f in forms):
        return True
    # Short English words ("lung", "tel") would make a compound of almost any misspelling (Beste + lung).
    if english is not None and len(part) >= _MIN_ENGLISH_PART and english.known(part.lower()):
        return True
    return _diminutive(speller, part)


def _diminutive(speller: spelling.Speller, word: str) -> bool:
    """Bällchen (Ball), Häuschen (Haus), Büchlein (Buch): the dictionary lists few diminutives."""
    for ending in ("chen", "lein"):
        stem = word[:-len(ending)]
        if word.endswith(ending) and len(stem) >= 3:
            base = stem.translate(_UMLAUTS)
            if any(speller.known(f) for f in (base, base.capitalize(), base + "e", base.capitalize() + "e")):
                return True
    return False


def _compound(speller: spelling.Speller, english: spelling.Speller | None, word: str, depth: int = 0) -> bool:
    """A German compound of known parts that the dictionary's own compounding missed
    ("Kundenzufriedenheitsumfrage" = Kunden + zufriedenheit-s + umfrage); every part at least three letters."""
    if depth > 3:
        return False
    key = ("compound", word, depth)
    found = speller.memo.get(key)
    if found is None:
        found = speller.memo[key] = _split(speller, english, word, depth)
    return found


def _split(speller: spelling.Speller, english: spelling.Speller | None, word: str, depth: int) -> bool:
    for cut in range(len(word) - 3, _MIN_HEAD - 1, -1):  # longest head first
        head, tail = word[:cut], word[cut:].lower()
        if english is not None and len(head) >= _MIN_PART and english.known(head.lower()) and (
                english.known(tail) or (tail.endswith("s") and english.known(tail[:-1]))):
            return True  # an English compound written solid (Smartwatch, Touchpad, Headsets)
        if len(tail) < _MIN_PART:
            continue
        if not _part(speller, english, tail) and not _compound(speller, english, tail.capitalize(), depth + 1):
            continue
        for joint in _JOINTS:
            if joint and not head.endswith(joint):
                continue
            stem = head[:len(head) - len(joint)] if joint else head
            if len(stem) >= _MIN_PART and _part(speller, english, stem):
                return True
            # A short German head (Tat-verdächtige, Öl-preis) must be German: English three-letter words
            # ("sit", "ten") would make almost any string a compound.
            if len(stem) == _MIN_HEAD and (speller.known(stem) or speller.known(stem.capitalize())):
                return True
    return False


_UMLAUTS = str.maketrans("äöüÄÖÜ", "aouAOU")
# Comparative and superlative endings (smarter, smartesten, bravste): the dictionary lists some forms only.
_COMPARISON = tuple(sorted({f"{deg}{end}" for deg in ("er", "st", "est") for end in ("", "e", "en", "er", "es", "em")},
                           key=len, reverse=True))
# A verb made a noun (verwurzeln → Verwurzelung), and the plural of -tum (Reichtum → Reichtümer).
_NOMINAL = (("ungen", ("n", "en")), ("ung", ("n", "en")))
_DERIVATIONS = ("ität", "itäten", "heit", "heiten", "keit", "keiten", "igkeit", "igkeiten", "ismus", "isierung",
                "isierungen")
_ENGLISH_VERB_ENDINGS = ("en", "et", "ete", "eten", "etet", "te", "tet", "ten", "teten", "test")


def _german_form(speller: spelling.Speller, english: spelling.Speller | None, word: str) -> bool:
    """Regular German forms that the dictionary does not list: comparison of a known adjective, zu-infinitives
    of known verbs (hochzuladen), un- before a known adjective, nouns in -ung of known verbs, and German
    inflection of English verbs (gestylt, downloaden, gecrasht)."""
    lower = word.lower()
    for ending in _COMPARISON:
        stem = lower[:-len(ending)]
        if lower.endswith(ending) and len(stem) >= _MIN_PART and (
                speller.known(stem) or speller.known(stem.translate(_UMLAUTS))):
            return True
    at = lower.find("zu", 2) if lower.endswith("n") else -1  # infinitives end in -en, -ern, -eln
    while at > 0:
        if len(lower) - at > 4 and speller.known(lower[:at] + lower[at + 2:]):
            return True
        at = lower.find("zu", at + 1)
    if lower.startswith("un") and len(lower) > 5 and speller.known(lower[2:]):
        return True
    for particle in _data_words("de_particles.txt"):  # hochlud, mitsangen, auseinanderfiel
        rest = lower[len(particle):]
        if lower.startswith(particle) and len(rest) >= 3 and (
                speller.known(rest) or (rest.startswith("zu") and len(rest) > 5 and speller.known(rest[2:]))):
            return True
    for ending in _DERIVATIONS:  # Sozialität, Beliebtheit, Machbarkeit, Populismus
        stem = lower[:-len(ending)]
        if lower.endswith(ending) and len(stem) >= _MIN_PART and speller.known(stem):
            return True
    for ending, verb_endings in _NOMINAL:
        stem = lower[:-len(ending)]
        if lower.endswith(ending) and any(speller.known(stem + v) for v in verb_endings):
            return True
    if _diminutive(speller, word):
        return True
    if lower.endswith("tümer") and speller.known(word[:-5] + "tum"):
        return True
    # Feminine forms of a German or English noun (Streamerin, Influencerinnen), German plurals of an English one
    # (Followern, Influencers); a German noun with a stray s (Hauss) is a slip.
    for ending in ("innen", "in", "ern", "n", "s"):
        stem = word[:-len(ending)]
        if not (word.endswith(ending) and len(stem) >= _MIN_PART and word[:1].isupper()):
            continue
        if (ending in ("in", "innen") and speller.known(stem)) or (english is not None and english.known(stem.lower())):
            return True
        # The genitive of an infinitive used as a noun (des Netzwerkens, des Einkaufens).
        if ending == "s" and stem.endswith(("en", "ern", "eln")) and (
                speller.known(stem.lower()) or speller.known(stem)):
            return True
    if english is not None:
        if lower.startswith("ge") and lower.endswith("t") and len(lower) > 6:  # gestylt, gecrasht
            stem = lower[2:-2] if lower.endswith("et") else lower[2:-1]
            if english.known(stem) or english.known(stem + "e"):
                return True
        for ending in _ENGLISH_VERB_ENDINGS:  # downloaden, scrollten
            stem = lower[:-len(ending)]
            if lower.endswith(ending) and len(stem) >= _MIN_PART and (english.known(stem) or english.known(stem + "e")):
                return True
    return False


def _transliterated(word: str) -> str:
    for german, english in _TRANSLITERATION:
        word = word.replace(german, english)
    return word


def _like_a_source_name(word: str, capitalised: frozenset[str], names: Iterable[str]) -> bool:
    """A name of the source with a German ending (Sunaks, Londoner) or written the German way (Selenskyj for
    Zelensky, Charkiw for Kharkiv): a capitalised source word plus an ending, or a source name (a capitalised
    word that is no English word) spelt nearly alike once both are transliterated alike."""
    from difflib import SequenceMatcher

    folded = word.casefold()
    if any(folded.endswith(end) and folded[:-len(end)] in capitalised for end in _NAME_SUFFIXES):
        return True
    key = _transliterated(folded)
    return any(SequenceMatcher(None, key, _transliterated(name)).ratio() >= 0.75 for name in names)


def _edit_distance(a: str, b: str) -> int:
    """Damerau–Levenshtein (optimal string alignment) distance."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


class _Known:
    """Everything that makes a word no misspelling in this document, asked word by word."""

    def __init__(self, ctx: CheckContext, speller: spelling.Speller, english: spelling.Speller | None) -> None:
        self.ctx = ctx
        self.speller = speller
        self.english = english  # German targets: English words are TQ203's business, never a misspelling
        self.german = ctx.tgt_lang == "de"
        # The source as read, also when it does not align: the names a translation keeps are in it all the same.
        source = ctx.source_names.text if ctx.source_names is not None else ""
        self.source = _words_of([source])
        self.capitalised = frozenset(w.casefold() for w in _LETTERS.findall(source) if w[:1].isupper())
        # Capitalised source words that are no English words: the names a translation keeps or transliterates.
        english_dict = english if english is not None else speller if ctx.src_lang == "en" else None
        self.names = sorted(w for w in self.capitalised if len(w) >= _MIN_PART and (
            english_dict is None or not english_dict.known(w)))
        # Three sets asked in turn, not one union: the packs' words are some 100,000, and a union per document
        # cost a sentence-level batch 11 ms a unit.
        self.listed = (_pack_words(ctx), _glossary_words(ctx), ctx.spelling_words)
        self._seen: dict[str, bool] = {}  # a document repeats its words: one verdict each

    def __call__(self, word: str) -> bool:
        verdict = self._seen.get(word)
        if verdict is None:
            verdict = self._seen[word] = self._known(word)
        return verdict

    def _known(self, word: str) -> bool:
        folded = word.casefold()
        if folded in self.source or any(folded in words for words in self.listed):
            return True
        if self.speller.known(word) or (word[:1].isupper() and self.speller.known(word.lower())):
            return True
        # A lowercase word known only as a noun (ködern beside Köder): German makes verbs and adjectives of
        # nouns, so a lowercased noun is more often a form the dictionary lacks than a slip.
        if self.german and word[:1].islower() and self.speller.known(word.capitalize()):
            return True
        if self.english is not None and self.english.known(word):
            return True
        if folded in _names() or (folded[-1:] == "s" and folded[:-1] in _names()):
            return True
        if word[:1].isupper() and (_is_pinyin(word) or (word[-1:] == "s" and _is_pinyin(word[:-1]))):
            return True
        if word[:1].isupper() and _like_a_source_name(word, self.capitalised, self.names):
            return True
        if not self.german:
            return False
        if len(word) >= 2 * _MIN_PART and _compound(self.speller, self.english, word):
            return True
        return _german_form(self.speller, self.english, word)

    def fragment(self, word: str) -> bool:
        """A part of a hyphenated compound ("Arbeits- und Sozialrecht", "Bildungs-Offensive"): known with
        its joint taken off."""
        if not self.german:
            return False
        for joint in ("s", "es", "n", "en"):
            stem = word[:-len(joint)]
            if word.endswith(joint) and len(stem) >= _MIN_PART and _part(self.speller, self.english, stem):
                return True
        return len(word) >= _MIN_PART + 1 and self.speller.starts_a_word(word)


def _candidates(text: str, german: bool) -> Iterator[tuple[int, int, str, bool]]:
    """Words worth a dictionary lookup: the language's letters only, long enough, not a name by its shape."""
    alphabet = _ALPHABET["de" if german else "en"]
    for chunk in re.finditer(r"\S+", text):
        token = chunk.group()
        if len(token) < _MIN_LENGTH or _NOT_PROSE.search(token) or _TRUNCATED.search(token):
            continue
        for match in _LATIN_WORD.finditer(token):
            start = chunk.start() + match.start()
            whole = match.group()
            # A hyphenated compound is checked part by part ("E-Commerce-Branche", "Corona-Krise").
            hyphenated = "-" in whole or token[match.end():match.end() + 1] == "-"
            offset = 0
            for piece in whole.split("-") if hyphenated else (whole,):
                at, offset = offset, offset + len(piece) + 1
                word = piece[:-2] if piece[-2:] in ("'s", "’s") else piece  # possessive: the name before it counts
                if ("'" in word or "’" in word or not _MIN_LENGTH <= len(word) <= _MAX_LENGTH
                        or not alphabet.fullmatch(word)):
                    continue
                if not word[1:].islower():  # ALLCAPS acronyms, CamelCase brands (WeChat, iPhone)
                    continue
                if not german and word[0].isupper():  # English capitalises names (and sentence starts)
                    continue
                yield start + at, start + at + len(word), word, hyphenated


def _one_edit_away(speller: spelling.Speller, word: str, letters: str) -> tuple[str, ...]:
    """The dictionary's words one edit (deletion, swap of neighbours, substitution, insertion) from ``word``,
    sorted: words it lists as written (inflected forms that only its affix rules make are not offered)."""
    key = ("one-edit", word)
    cached = speller.memo.get(key)
    if cached is not None:
        return cached  # type: ignore[return-value]
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    few = {a + b[1:] for a, b in splits if b}  # deletions and swaps: about two a letter
    few |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    many = {a + c + b[1:] for a, b in splits if b for c in letters}  # substitutions and insertions: 60 a letter
    many |= {a + c + b for a, b in splits for c in letters}
    if word[:1].isupper():  # a capitalised word's first letter replaced or inserted stays capitalised
        many |= {v[:1].upper() + v[1:] for v in many}
    # Hunspell's own suggest() takes 0.1–0.3 s a German word, and a lookup tens of microseconds: a sentence-level
    # batch has an unknown word in most units. The few variants go to Hunspell (which knows compounds and
    # inflections: Geschäfftsführerin → Geschäftsführerin); of the many, only those the dictionary lists as
    # written, which Hunspell then confirms (a stem flagged as a compound part only is no word to write).
    candidates = (few | (many & speller.stems())) - {word}
    found = tuple(sorted(v for v in candidates if len(v) >= 2 and speller.known(v)))
    speller.memo[key] = found  # type: ignore[assignment]
    return found


def _replacement(word: str, suggestions: tuple[str, ...]) -> tuple[str, ...]:
    """One clear drop-in: the only suggestion at edit distance 1, without a space or hyphen the word lacks."""
    close = [s for s in suggestions if _edit_distance(word, s) == 1]
    if len(close) == 1 and close[0] == suggestions[0] and not set(" -") & (set(close[0]) - set(word)):
        return (close[0],)
    return ()


@rule(CODE, NAME, Category.SPELLING, Severity.MINOR, example_pair=("en", "de"))
def misspelling(ctx: CheckContext) -> Iterator[Finding]:
    """A word that the target language's Hunspell dictionary does not know (German and English targets).

    Why: a misspelt word is the first thing a reader notices and the cheapest to fix.
    Not reported: German compounds of known words (the dictionary's compounding, and splitting into known parts
    with their joints), words from the source (names kept), capitalised English words (names), a capitalised
    German word the document writes twice or more (a name it uses), Chinese names in pinyin (Taobao), ALLCAPS
    acronyms and CamelCase brands, words with digits or units, URLs, e-mail, hashtags, @handles, code and inline
    placeholders, words of fewer than four letters, English words in a German text (TQ203's), words of the
    packs and the glossary, and the user's word list. Needs the spell extra and the
    system's dictionaries (hunspell-de-de, hunspell-en-us); without them the rule is skipped with a note.
    Bad: Die Geschäfftsführerin hat die neue Strategie vorgestellt.
    Good: Die Geschäftsführerin hat die neue Strategie vorgestellt.
    Options: [spelling] words, words_file (tqcheck.toml); $TQCHECK_HUNSPELL_PATH (dictionary folders)
    """
    speller = spelling.speller(ctx.tgt_lang)
    if speller is None:
        return  # the pipeline notes why (spelling.unavailable)
    german = ctx.tgt_lang == "de"
    known = _Known(ctx, speller, spelling.speller("en") if german else None)
    unknown = [(start, end, word) for start, end, word, hyphenated in _candidates(ctx.text, german)
               if not (known(word) or (hyphenated and known.fragment(word)))]
    # A capitalised word the document writes twice or more, the same way (or with a genitive s), is a name it
    # uses, not a slip: without a source to show them, names are nearly all of the capitalised unknown words.
    capitalised = Counter(w.removesuffix("s") for _, _, w in unknown if w[:1].isupper())
    for start, end, word in unknown:
        if word[:1].isupper() and capitalised[word.removesuffix("s")] >= 2:
            continue
        suggestions = _one_edit_away(speller, word, _LETTERS_OF["de" if german else "en"])
        fix = _replacement(word, suggestions)
        others = [s for s in suggestions[:3] if s not in fix]  # the replacement is shown as such, not again
        advice = (f"{'Or perhaps' if fix else 'Check the spelling: perhaps'} {either(others)}." if others else None)
        yield Finding(start, end, f"{quote(word)} is not in the {'/'.join(speller.names)} dictionary.",
                      suggestion=advice, replacements=fix)


def spelling_notes(rules: Iterable[object], tgt_lang: str | None) -> list[str]:
    """A note when the spelling rule is active for a German or English target but cannot run here."""
    if not any(getattr(r, "code", None) == CODE for r in rules):
        return []
    reason = spelling.unavailable(tgt_lang)
    return [f"spelling not checked ({CODE}): {reason}"] if reason else []


RULES = (misspelling,)
