"""TQ610: spelling of German and English targets, against the system's Hunspell dictionaries.

Precision first: a word is reported only when nothing explains it — not the dictionaries (German compounds
split into known parts included), not the source (names kept from it), not the packs, the glossary or the user's
word list, and not its shape (names, brands, acronyms, figures, URLs, handles, code).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from tqcheck import regexcache, spelling
from tqcheck.inline import MASK
from tqcheck.rules.base import CheckContext, Finding, derived, rule
from tqcheck.types import Category, Severity
from tqcheck.wording import either, quote

CODE, NAME = "TQ610", "misspelling"
_DATA = Path(__file__).resolve().parent.parent / "spelling" / "data"
# A chunk (run of non-space) with one of these is no prose: URLs, e-mail, handles, paths, code, figures with
# units ("5kg", "3.5-mal"), abbreviations with inner dots ("z.B.", "example.com"), inline codes (masked).
_NOT_PROSE = regexcache.compile(rf"[/\\_=<>{{}}\[\]|$@#~^*+%&{MASK}\d]|\.\w|://|\w\.\w")
_LATIN_WORD = regexcache.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]+(?:['’-][A-Za-zÀ-ÖØ-öø-ɏ]+)*")
# Letters of the target language's own alphabet: a word with others (São, Ørsted, große in an English text) is a
# foreign word or name, another rule's business (TQ202, TQ203) if anyone's.
_ALPHABET = {"de": regexcache.compile(r"[A-Za-zÄÖÜäöüß'’]+"), "en": regexcache.compile(r"[A-Za-z'’]+")}
# A chunk that is a word of the alphabet alone, or with a quotation mark or parenthesis before it and one
# punctuation mark after it: what the general reading of a chunk finds in it, found at once.
_PLAIN = {lang: regexcache.compile(rf"[„“\"(«»‚‘]?([{letters}]+)[,.;:!?)“”\"»«]?")
          for lang, letters in (("de", "A-Za-zÄÖÜäöüß"), ("en", "A-Za-z"))}
_TRUNCATED = regexcache.compile(r"\.\.\.|…")  # a word cut off by "..." (a teaser snippet) is no misspelling
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


_LETTERS = regexcache.compile(r"[^\W\d_]+")


def _words_of(texts: Iterable[str]) -> frozenset[str]:
    """Casefolded words, split at hyphens and apostrophes too ("Rolls-Royce", "Sunak's")."""
    return frozenset(w.casefold() for text in texts for w in _LETTERS.findall(text))


def _glossary_words(ctx: CheckContext) -> frozenset[str]:
    if ctx.glossary is None:
        return frozenset()
    return derived(ctx.glossary, "spelling-words", lambda: _words_of(
        text for e in ctx.glossary.entries for text in (e.source, *e.targets, *e.forbidden)))  # type: ignore[union-attr]


def _pack_words(ctx: CheckContext) -> tuple[frozenset[str], ...]:
    """The packs' word sets, asked in turn: their union (40,000 words) cost a fresh process 5 ms to build, and
    the few words no dictionary explains are looked up in a handful of sets just as well."""
    packs = ctx.packs
    exonyms = derived(packs, "spelling-words", lambda: _words_of(e.name for e in packs.exonyms) | _words_of(
        e.german for e in packs.exonyms))
    return packs.stopwords, packs.pivot_words, packs.pivot_function_words, packs.loanwords, exonyms


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
    key = ("compound", word, depth, english.names if english is not None else ())  # analyses with fewer
    # English dictionaries (Speller.views) find fewer compounds
    found = speller.memo.get(key)
    if found is None:
        found = _split(speller, english, word, depth)
        _remember(speller, key, found)
    return found


def _remember(speller: spelling.Speller, key: object, value: object) -> None:
    """Keep an analysis in the speller's memo, which starts again past spelling.MEMO_LIMIT entries (keeping the
    rule's _Memo, bounded by itself)."""
    memo = speller.memo
    if len(memo) >= spelling.MEMO_LIMIT:
        rule_memo = memo.get(_Memo)
        memo.clear()
        if rule_memo is not None:
            memo[_Memo] = rule_memo
    memo[key] = value


def _split(speller: spelling.Speller, english: spelling.Speller | None, word: str, depth: int) -> bool:
    for cut in range(len(word) - 3, _MIN_HEAD - 1, -1):  # longest head first
        head, tail = word[:cut], word[cut:].lower()
        # The tail first: words share their tails (-ung, -heit), so its lookup is the one already made.
        if english is not None and len(head) >= _MIN_PART and (english.known(tail) or (
                tail.endswith("s") and english.known(tail[:-1]))) and english.known(head.lower()):
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


@lru_cache(maxsize=1)
def _particles() -> tuple[str, ...]:
    return tuple(_data_words("de_particles.txt"))


def _german_form(speller: spelling.Speller, english: spelling.Speller | None, word: str) -> bool:
    """Regular German forms that the dictionary does not list: comparison of a known adjective, zu-infinitives
    of known verbs (hochzuladen), un- before a known adjective, nouns in -ung of known verbs, and German
    inflection of English verbs (gestylt, downloaden, gecrasht)."""
    lower = word.lower()
    # Each loop asks endswith/startswith first: a word is analysed in up to three stages (_Memo), and most
    # endings do not apply.
    for ending in _COMPARISON:
        if lower.endswith(ending):
            stem = lower[:-len(ending)]
            if len(stem) >= _MIN_PART and (speller.known(stem) or speller.known(stem.translate(_UMLAUTS))):
                return True
    at = lower.find("zu", 2) if lower.endswith("n") else -1  # infinitives end in -en, -ern, -eln
    while at > 0:
        if len(lower) - at > 4 and speller.known(lower[:at] + lower[at + 2:]):
            return True
        at = lower.find("zu", at + 1)
    if lower.startswith("un") and len(lower) > 5 and speller.known(lower[2:]):
        return True
    particles = _particles()
    if lower.startswith(particles):
        for particle in particles:  # hochlud, mitsangen, auseinanderfiel
            rest = lower[len(particle):]
            if lower.startswith(particle) and len(rest) >= 3 and (
                    speller.known(rest) or (rest.startswith("zu") and len(rest) > 5 and speller.known(rest[2:]))):
                return True
    for ending in _DERIVATIONS:  # Sozialität, Beliebtheit, Machbarkeit, Populismus
        if lower.endswith(ending):
            stem = lower[:-len(ending)]
            if len(stem) >= _MIN_PART and speller.known(stem):
                return True
    for ending, verb_endings in _NOMINAL:
        if lower.endswith(ending):
            stem = lower[:-len(ending)]
            if any(speller.known(stem + v) for v in verb_endings):
                return True
    if _diminutive(speller, word):
        return True
    if lower.endswith("tümer") and speller.known(word[:-5] + "tum"):
        return True
    # Feminine forms of a German or English noun (Streamerin, Influencerinnen), German plurals of an English one
    # (Followern, Influencers); a German noun with a stray s (Hauss) is a slip.
    for ending in ("innen", "in", "ern", "n", "s"):
        if not word.endswith(ending):
            continue
        stem = word[:-len(ending)]
        if not (len(stem) >= _MIN_PART and word[:1].isupper()):
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
            if lower.endswith(ending):
                stem = lower[:-len(ending)]
                if len(stem) >= _MIN_PART and (english.known(stem) or english.known(stem + "e")):
                    return True
    return False


@lru_cache(maxsize=1 << 16)
def _transliterated(word: str) -> str:
    for german, english in _TRANSLITERATION:
        word = word.replace(german, english)
    return word


def _spelt_alike(folded: str, names: Iterable[tuple[str, str]]) -> Iterator[str]:
    """The names (each with its transliteration) spelt nearly like ``folded`` once both are transliterated alike
    (Selenskyj, Zelensky)."""
    key = _transliterated(folded)
    for name, transliterated in names:
        pair = (key, transliterated)
        alike = _alike.get(pair)
        if alike is None:
            if len(_alike) >= spelling.MEMO_LIMIT:
                _alike.clear()
            alike = _alike[pair] = _nearly_alike(key, transliterated)
        if alike:
            yield name


_alike: dict[tuple[str, str], bool] = {}  # the documents of a batch share their names: one comparison each


def _nearly_alike(key: str, transliterated: str) -> bool:
    from difflib import SequenceMatcher

    # The quick ratios are upper bounds of ratio() (difflib.get_close_matches asks them first too); the first,
    # of the lengths alone, as real_quick_ratio() computes it, before a matcher is made.
    size = len(key) + len(transliterated)
    if size and 2.0 * min(len(key), len(transliterated)) / size < 0.75:
        return False
    matcher = SequenceMatcher(None, key, transliterated)
    return matcher.quick_ratio() >= 0.75 and matcher.ratio() >= 0.75


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


def _explained(speller: spelling.Speller, english: spelling.Speller | None, word: str) -> bool:
    """Whether the dictionaries (German compounds and regular forms included), the rule's lists of names and its
    pinyin syllables explain ``word``, whatever the document (memoised per process by :class:`_Memo`)."""
    if speller.known(word) or (word[:1].isupper() and speller.known(word.lower())):
        return True
    german = speller.lang == "de"
    # A lowercase word known only as a noun (ködern beside Köder): German makes verbs and adjectives of
    # nouns, so a lowercased noun is more often a form the dictionary lacks than a slip.
    if german and word[:1].islower() and speller.known(word.capitalize()):
        return True
    if english is not None and english.known(word):  # German targets: English words are TQ203's business
        return True
    folded = word.casefold()
    if folded in _names() or (folded[-1:] == "s" and folded[:-1] in _names()):
        return True
    if word[:1].isupper() and (_is_pinyin(word) or (word[-1:] == "s" and _is_pinyin(word[:-1]))):
        return True
    if not german:
        return False
    if len(word) >= 2 * _MIN_PART and _compound(speller, english, word):
        return True
    return _german_form(speller, english, word)


def _fragment(speller: spelling.Speller, english: spelling.Speller | None, word: str) -> bool:
    """A part of a hyphenated German compound ("Arbeits- und Sozialrecht", "Bildungs-Offensive"): known with
    its joint taken off (or the head of a longer word: :func:`_head_of_a_word`)."""
    if speller.lang != "de":
        return False
    for joint in ("s", "es", "n", "en"):
        stem = word[:-len(joint)]
        if word.endswith(joint) and len(stem) >= _MIN_PART and _part(speller, english, stem):
            return True
    return False


def _head_of_a_word(speller: spelling.Speller, word: str) -> bool:
    """The rest of :func:`_fragment`: the beginning of a word the dictionary lists (Kardio-Training)."""
    return speller.lang == "de" and len(word) >= _MIN_PART + 1 and speller.starts_a_word(word)


class _Memo:
    """What a speller's dictionaries say of the chunks (runs of non-space) of text, per process: documents share
    most of their words, so a document's distinct chunks less those known fine (one set difference, in C) are
    all that is left to look at. Bounded: a set or dict past spelling.MEMO_LIMIT entries starts again.

    The dictionaries are asked in stages, each adding English ones (German targets: German alone, then with
    en_US, then with en_GB too; English targets: en_US, then en_GB too), and what the document itself explains
    (its source, the packs, the glossary, the user's words) between the first stage and the next: a word is
    known when any of them knows it, and the later stages, each a dictionary to load, are seldom needed."""

    def __init__(self, speller: spelling.Speller, english: spelling.Speller | None) -> None:
        self.speller, self.english = speller, english
        # (speller, English speller) of each stage; None: the search of the stems for a fragment's beginning,
        # before the British dictionary (it costs less to search than to load that).
        stages: list[tuple[spelling.Speller, spelling.Speller | None] | None]
        if english is not None:
            stages = [(speller, None), *((speller, view) for view in english.views())]
            stages.insert(min(2, len(stages)), None)
        else:
            stages = [(view, None) for view in speller.views()]
            if speller.lang == "de":
                stages.append(None)
        self.stages = tuple(stages)
        self.fine: set[str] = set()  # chunks every candidate word of which the dictionaries explain
        self.fine_lines: set[str] = set()  # lines (of documents) of such chunks only
        self._line_chars = 0
        # Other chunks: their words the first stage does not explain, as (offset in the chunk, word, hyphenated).
        self.open: dict[str, tuple[tuple[int, str, bool], ...]] = {}
        # (word, hyphenated) → EXPLAINED, or how many stages found nothing.
        self.words: dict[tuple[str, bool], int] = {}
        self.findings: dict[str, tuple[str, str | None, tuple[str, ...]]] = {}  # word → message, advice, fix

    def keep_fine_line(self, line: str) -> None:
        if len(line) > _MAX_LINE:
            return
        if self._line_chars + len(line) > _LINE_CHARS:
            self.fine_lines.clear()
            self._line_chars = 0
        self.fine_lines.add(line)
        self._line_chars += len(line)

    def explained(self, word: str, hyphenated: bool, stage: int) -> bool:
        spellers = self.stages[stage]
        if spellers is None:
            return hyphenated and _head_of_a_word(self.speller, word)
        speller, english = spellers
        return _explained(speller, english, word) or (hyphenated and _fragment(speller, english, word))

    def open_words(self, chunk: str) -> tuple[tuple[int, str, bool], ...]:
        """The candidate words of a chunk that the first stage does not explain, with their offsets."""
        found = []
        words = self.words
        first = self.speller.views()[0]
        for start, _end, word, hyphenated in _chunk_candidates(chunk, self.speller.lang == "de"):
            key = (word, hyphenated)
            state = words.get(key)
            if state is None:
                if len(words) >= spelling.MEMO_LIMIT:
                    words.clear()
                state = words[key] = (_EXPLAINED if first.known(word) or self.explained(word, hyphenated, 0)
                                      else 1)  # known as written: most words, without the call
            if state != _EXPLAINED:
                found.append((start, word, hyphenated))
        return tuple(found)

    def by_dictionaries(self, word: str, hyphenated: bool, loaded: bool = False) -> bool:
        """Whether the later stages explain a word the first did not (each asked once per process); ``loaded``:
        only the stages whose dictionaries are loaded already."""
        key = (word, hyphenated)
        state = self.words.get(key, 1)
        while state != _EXPLAINED and state < len(self.stages):
            spellers = self.stages[state]
            if loaded and spellers is not None and not all(s is None or s.loaded() for s in spellers):
                break
            state = _EXPLAINED if self.explained(word, hyphenated, state) else state + 1
            if len(self.words) >= spelling.MEMO_LIMIT:
                self.words.clear()
            self.words[key] = state
        return state == _EXPLAINED


_EXPLAINED = -1
_MAX_LINE = 10_000  # longer lines are not remembered (seldom repeated)
_LINE_CHARS = 4_000_000  # the lines remembered, in characters; past this they are forgotten


def _memo(speller: spelling.Speller, english: spelling.Speller | None) -> _Memo:
    memo = speller.memo.get(_Memo)
    if memo is None or memo.english is not english:
        memo = speller.memo[_Memo] = _Memo(speller, english)
    return memo


class _Source:
    """The words of a source text, asked one at a time: ``folded in words`` is ``folded`` in
    ``_words_of([text])``, and :meth:`capitalised` the same for its capitalised words, without splitting the
    text into words when its casefolded form shows where they are (a regex over a sentence costs more than the
    rest of the rule on it)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = spelling.casefolded(text)  # per character: a word's casefolded form is a substring of this
        # Each character folds to one letter for a letter and one non-letter for a non-letter: the folded
        # text has its words at the same places.
        self.aligned = len(self.folded) == len(text) and (text.isascii() or all(
            _folds_alike(ch) for ch in set(text) if not ch.isascii()))
        self._words: frozenset[str] | None = None
        self._capitalised: frozenset[str] | None = None

    def __contains__(self, folded: str) -> bool:
        return self._has(folded, capitalised=False)

    def capitalised(self, folded: str) -> bool:
        return self._has(folded, capitalised=True)

    def capitalised_words(self) -> frozenset[str]:
        if self._capitalised is None:
            self._capitalised = frozenset(w.casefold() for w in _LETTERS.findall(self.text) if w[:1].isupper())
        return self._capitalised

    def _has(self, folded: str, capitalised: bool) -> bool:
        if not folded or folded not in self.folded:
            return False
        if not self.aligned or not _LETTERS.fullmatch(folded):
            if capitalised:
                return folded in self.capitalised_words()
            if self._words is None:
                self._words = _words_of([self.text])
            return folded in self._words
        size, at = len(folded), self.folded.find(folded)
        while at >= 0:
            if (at == 0 or not _LETTER.match(self.folded, at - 1)) and not _LETTER.match(self.folded, at + size) and (
                    not capitalised or self.text[at].isupper()):
                return True
            at = self.folded.find(folded, at + 1)
        return False


_LETTER = regexcache.compile(r"[^\W\d_]")
_folded_alike: dict[str, bool] = {}


def _folds_alike(ch: str) -> bool:
    alike = _folded_alike.get(ch)
    if alike is None:
        folded = ch.casefold()
        alike = _folded_alike[ch] = len(folded) == 1 and bool(_LETTER.match(ch)) == bool(_LETTER.match(folded))
        if len(_folded_alike) > 10_000:
            _folded_alike.clear()
    return alike


class _Document:
    """What makes a word no misspelling in this document alone: the source's words and names, the packs, the
    glossary and the user's word list. Built only for a document with words the dictionaries do not explain."""

    def __init__(self, ctx: CheckContext, speller: spelling.Speller, english: spelling.Speller | None) -> None:
        self.ctx, self.speller, self.english = ctx, speller, english
        # The source as read, also when it does not align: the names a translation keeps are in it all the same.
        self.source = _Source(ctx.source_names.text if ctx.source_names is not None else "")
        self._capitalised: list[tuple[str, str]] | None = None  # its capitalised words of four letters or more,
        # each with its transliteration
        # Sets asked in turn, not one union: the packs' words are some 40,000, and a union per document cost a
        # sentence-level batch 11 ms a unit.
        self.listed = (*_pack_words(ctx), _glossary_words(ctx), ctx.spelling_words)

    def listed_or_named(self, word: str) -> bool:
        """A word of the source, the packs, the glossary or the user's list, or a source name with a German
        ending (Sunaks, Londoner): no dictionary needed."""
        folded = word.casefold()
        return (folded in self.source or any(folded in words for words in self.listed) or (word[:1].isupper() and any(
            folded.endswith(end) and self.source.capitalised(folded[:-len(end)]) for end in _NAME_SUFFIXES)))

    def spelt_like_a_name(self, word: str) -> bool:
        """A capitalised source word that is no English word, written the German way (Selenskyj for Zelensky):
        the dictionaries are asked only about the source words spelt alike, so that few are."""
        if not word[:1].isupper():
            return False
        english = self.english if self.english is not None else self.speller if self.ctx.src_lang == "en" else None
        if self._capitalised is None:
            self._capitalised = [(w, _transliterated(w)) for w in sorted(self.source.capitalised_words())
                                 if len(w) >= _MIN_PART]
        capitalised = self._capitalised
        # Every English dictionary asked: a word the British one knows is no name.
        return any(english is None or not english.known(name) for name in _spelt_alike(word.casefold(), capitalised))


def _chunk_candidates(token: str, german: bool) -> Iterator[tuple[int, int, str, bool]]:
    """The words of one chunk (run of non-space) worth a dictionary lookup: the language's letters only, long
    enough, not a name by its shape; with their offsets in the chunk."""
    plain = _PLAIN["de" if german else "en"].fullmatch(token)
    if plain:  # most chunks: one word of the alphabet, with a quotation mark or a punctuation mark beside it
        word = plain.group(1)
        if _MIN_LENGTH <= len(word) <= _MAX_LENGTH and word[1:].islower() and (german or not word[0].isupper()):
            yield plain.start(1), plain.end(1), word, False
        return
    yield from _words_of_a_chunk(token, german)


def _words_of_a_chunk(token: str, german: bool) -> Iterator[tuple[int, int, str, bool]]:
    """:func:`_chunk_candidates` for any chunk."""
    if len(token) < _MIN_LENGTH or _NOT_PROSE.search(token) or _TRUNCATED.search(token):
        return
    alphabet = _ALPHABET["de" if german else "en"]
    for match in _LATIN_WORD.finditer(token):
        start = match.start()
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


_SPACE = regexcache.compile(r"\s")
_BLOCK = 1 << 16  # a long text is split into chunks this many characters at a time: no list of them all at once


def _chunks(text: str) -> set[str]:
    """The distinct runs of non-space of ``text`` (str.split's whitespace is the regex's \\s)."""
    if len(text) <= _BLOCK:
        return set(text.split())
    chunks: set[str] = set()
    start = 0
    while start < len(text):
        space = _SPACE.search(text, start + _BLOCK)
        stop = space.start() if space else len(text)
        chunks.update(text[start:stop].split())
        start = stop
    return chunks


def _occurrences(text: str, chunk: str) -> Iterator[int]:
    """Where ``chunk`` stands in ``text`` as a whole run of non-space."""
    size, at = len(chunk), text.find(chunk)
    while at >= 0:
        if (at == 0 or text[at - 1].isspace()) and (at + size == len(text) or text[at + size].isspace()):
            yield at
            at = text.find(chunk, at + size)
        else:
            at = text.find(chunk, at + 1)


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
    _remember(speller, key, found)
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
    english = spelling.speller("en") if german else None
    memo = _memo(speller, english)
    text = ctx.text
    # Documents repeat their paragraphs (and batches their segments): a line all of whose chunks the
    # dictionaries explain is skipped whole the next time.
    lines = set(text.split("\n"))
    lines -= memo.fine_lines
    open_chunks: dict[str, tuple[tuple[int, str, bool], ...]] = {}
    for line in lines:
        fine = True
        rest = _chunks(line)
        rest -= memo.fine
        for chunk in rest:
            words = open_chunks.get(chunk) or memo.open.get(chunk)
            if words is None:
                words = memo.open_words(chunk)
                if not words:
                    _keep_fine(memo, chunk)
                    continue
                if len(memo.open) >= spelling.MEMO_LIMIT:
                    memo.open.clear()
                memo.open[chunk] = words
            open_chunks[chunk] = words
            fine = False
        if fine:
            memo.keep_fine_line(line)
    if not open_chunks:
        return
    document = _Document(ctx, speller, english)
    verdicts: dict[tuple[str, bool], bool] = {}  # (word, hyphenated) → known in this document
    unknown = []
    for chunk, words in open_chunks.items():
        missing = []
        for offset, word, hyphenated in words:
            key = (word, hyphenated)
            known = verdicts.get(key)
            if known is None:
                # The stages whose dictionaries are loaded, the document (no dictionary to load), then the
                # other stages; the source's names last (they need every English dictionary).
                known = verdicts[key] = (memo.by_dictionaries(word, hyphenated, loaded=True)
                                         or document.listed_or_named(word) or memo.by_dictionaries(word, hyphenated)
                                         or document.spelt_like_a_name(word))
            if not known:
                missing.append((offset, word))
        if all(memo.words.get((word, hyphenated)) == _EXPLAINED for _, word, hyphenated in words):
            memo.open.pop(chunk, None)  # every word found in a later stage: fine from now on
            _keep_fine(memo, chunk)
        if missing:
            unknown += [(at + offset, at + offset + len(word), word) for at in _occurrences(text, chunk)
                        for offset, word in missing]
    unknown.sort()
    # A capitalised word the document writes twice or more, the same way (or with a genitive s), is a name it
    # uses, not a slip: without a source to show them, names are nearly all of the capitalised unknown words.
    capitalised = Counter(w.removesuffix("s") for _, _, w in unknown if w[:1].isupper())
    for start, end, word in unknown:
        if word[:1].isupper() and capitalised[word.removesuffix("s")] >= 2:
            continue
        message, advice, fix = _finding(memo, speller, word)
        yield Finding(start, end, message, suggestion=advice, replacements=fix)


def _keep_fine(memo: _Memo, chunk: str) -> None:
    if len(memo.fine) >= spelling.MEMO_LIMIT:
        memo.fine.clear()
    memo.fine.add(chunk)


def _finding(memo: _Memo, speller: spelling.Speller, word: str) -> tuple[str, str | None, tuple[str, ...]]:
    """The message, advice and drop-in replacement for an unknown word (memoised: the same for every document)."""
    found = memo.findings.get(word)
    if found is None:
        suggestions = _one_edit_away(speller, word, _LETTERS_OF[speller.lang])
        fix = _replacement(word, suggestions)
        others = [s for s in suggestions[:3] if s not in fix]  # the replacement is shown as such, not again
        advice = (f"{'Or perhaps' if fix else 'Check the spelling: perhaps'} {either(others)}." if others else None)
        if len(memo.findings) >= spelling.MEMO_LIMIT:
            memo.findings.clear()
        found = memo.findings[word] = (f"{quote(word)} is not in the {'/'.join(speller.names)} dictionary.",
                                       advice, fix)
    return found


def spelling_notes(rules: Iterable[object], tgt_lang: str | None) -> list[str]:
    """A note when the spelling rule is active for a German or English target but cannot run here."""
    if not any(getattr(r, "code", None) == CODE for r in rules):
        return []
    reason = spelling.unavailable(tgt_lang)
    return [f"spelling not checked ({CODE}): {reason}"] if reason else []


RULES = (misspelling,)
