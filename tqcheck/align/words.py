"""Sentences as content tokens for the aligner: each a set of keys in one pivot space (English stems, see
``lexicon``), so that any pair of zh, en and de compares by set overlap.

Per-word answers are pure functions of the word and the dictionaries: they are remembered across documents
(bounded), and the dictionary lookups of a document's new words are batched (:func:`tokens_of`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import methodcaller

from tqcheck.align.lexicon import (
    DE_STOPWORDS,
    EN_STOPWORDS,
    LATIN_WORD,
    MEMO_LIMIT,
    ZH_STOPWORDS,
    cedict_buckets,
    cedict_vocabulary,
    de_stem,
    ding,
    en_stem,
)

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FULLWIDTH = re.compile("[０-９]")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Token:
    """A content word: its pivot keys, and whether a dictionary knew it (else only its own spelling counts)."""

    keys: frozenset[str]
    known: bool


_BASES: dict[str | None, str] = {}


def _base(lang: str | None) -> str:
    base = _BASES.get(lang)
    if base is None:
        base = (lang or "").split("-")[0].split("_")[0].lower()
        if len(_BASES) < 1024:
            _BASES[lang] = base
    return base


# Per-word answers, remembered across documents (pure functions of the word and the dictionaries; cleared past
# MEMO_LIMIT entries, and by clear_caches). A word without a token is remembered as False.
_DING_KEYS: dict[str, tuple[str, ...]] = {}
_GERMAN: dict[str, dict[str, Token | bool]] = {}  # other language → German word → token
_ENGLISH: dict[str, dict[str, Token | bool]] = {}  # other language → English word → token
_CHINESE_KNOWN: dict[str, Token] = {}  # with a dictionary into the other language
_CHINESE_UNKNOWN: dict[str, Token] = {}
_NUMBERS: dict[str, Token] = {}


def clear_caches() -> None:
    """Forget every remembered lookup (after the dictionaries change, as tests do with $TQCHECK_DE_EN_DICT)."""
    ding.cache_clear()
    for memo in (_DING_KEYS, _GERMAN, _ENGLISH, _CHINESE_KNOWN, _CHINESE_UNKNOWN, _NUMBERS):
        memo.clear()


def _bounded(*memos: dict) -> None:
    for memo in memos:
        if len(memo) > MEMO_LIMIT:
            memo.clear()


def _ding_keys(word: str) -> tuple[str, ...]:
    keys = _DING_KEYS.get(word)
    if keys is None:
        table = ding()
        found = None if table is None else table.get(word) or table.get("~" + de_stem(word))
        keys = _DING_KEYS[word] = tuple(found.split()) if found else ()
    return keys


def _prefetch_ding(words: Iterable[str]) -> list[str]:
    """Fetch what :func:`_ding_keys` needs for ``words`` in two queries (forms, then the stems of forms Ding
    lacks); the words not yet remembered are returned."""
    table = ding()
    new = [w for w in dict.fromkeys(words) if w not in _DING_KEYS]
    if table is None or not new:
        return new
    table.prefetch(new)
    table.prefetch(["~" + de_stem(w) for w in new if not table.get(w)])
    return new


def _compound_keys(word: str) -> tuple[str, ...]:
    """Keys of a compound Ding lacks (Einkaufsökosystem → Einkauf + Ökosystem): the longest known head, with
    the modifier's keys when the rest, less a linking -s-/-n-/-es-/-en-/-e-, is a word."""
    for split in range(3, len(word) - 3):
        head = _ding_keys(word[split:])
        if not head:
            continue
        modifier = word[:split]
        for linker in _LINKERS:
            base = modifier[: len(modifier) - len(linker)]
            if modifier.endswith(linker) and len(base) >= 3 and (keys := _ding_keys(base)):
                return tuple(dict.fromkeys((*head[:4], *keys[:4])))
        return head
    return ()


_LINKERS = ("", "s", "es", "n", "en", "e")


def _german_words(words: Iterable[str], other: str) -> dict[str, Token | bool]:
    """Tokens of new German words (False: none), with Ding's lookups of all of them batched: the words, then
    the heads of the compounds among the words Ding lacks, then the modifiers of those heads."""
    table = ding()
    result: dict[str, Token | bool] = {}
    looked_up: list[tuple[str, str]] = []
    for word in words:
        lower = word.lower()
        if lower in DE_STOPWORDS or len(lower) < 2:
            result[word] = False
        elif other == "de" or table is None:
            result[word] = Token(frozenset((en_stem(lower),)), other == "de")
        else:
            looked_up.append((word, lower))
    if looked_up:
        _bounded(_DING_KEYS)
        _prefetch_ding(lower for _, lower in looked_up)
        compounds = [lower for _, lower in looked_up if len(lower) >= 7 and not _ding_keys(lower)]
        if compounds:
            # Every split of every such word: most are absent, which the table's Bloom filter says without a query.
            _prefetch_ding(w[k:] for w in compounds for k in range(3, len(w) - 3))
        modifiers = []
        for w in compounds:
            head = next((k for k in range(3, len(w) - 3) if _ding_keys(w[k:])), None)
            if head is not None:
                modifier = w[:head]
                modifiers += [modifier[: len(modifier) - len(linker)] for linker in _LINKERS
                              if modifier.endswith(linker) and len(modifier) - len(linker) >= 3]
        _prefetch_ding(modifiers)
        for word, lower in looked_up:
            keys = _ding_keys(lower) or (_compound_keys(lower) if len(lower) >= 7 else ())
            result[word] = Token(frozenset((*keys, en_stem(lower))), bool(keys) and other in {"en", "zh"})
    return result


def _english_words(words: Iterable[str], other: str) -> dict[str, Token | bool]:
    """Tokens of new English words (False: none); with Ding, whether it knows their stems in one query."""
    result: dict[str, Token | bool] = {}
    stems: list[tuple[str, str]] = []
    for word in words:
        lower = word.lower()
        if lower in EN_STOPWORDS or len(lower) < 2:
            result[word] = False
        else:
            stems.append((word, en_stem(lower)))
    table = ding() if other == "de" else None
    if table is not None:
        table.prefetch_stems(stem for _, stem in stems)
    for word, stem in stems:
        if other == "zh":
            known = stem in cedict_vocabulary()
        elif other == "de":
            known = table is not None and table.has_stem(stem)
        else:
            known = other == "en"
        result[word] = Token(frozenset((stem,)), known)
    return result


def _german_word(word: str, other: str) -> Token | None:
    """The token of one German word (None: a function word, or too short)."""
    token = _GERMAN.setdefault(other, {}).get(word)
    if token is None:
        token = _GERMAN[other][word] = _german_words([word], other)[word]
    return token or None


def _english_word(word: str, other: str) -> Token | None:
    """The token of one English word (None: a function word, or too short)."""
    token = _ENGLISH.setdefault(other, {}).get(word)
    if token is None:
        token = _ENGLISH[other][word] = _english_words([word], other)[word]
    return token or None


def _chinese_tokens(text: str, known: bool) -> list[Token]:
    """Words by forward longest match; function words and characters CC-CEDICT lacks are skipped."""
    found: list[Token] = []
    memo = _CHINESE_KNOWN if known else _CHINESE_UNKNOWN
    # lexicon.cedict_words without its two calls a character (lexicon.py itself is left alone: its edits would
    # invalidate the cached tables that are keyed by it).
    words_of = cedict_buckets().words
    for run in _HAN.findall(text):
        i, end = 0, len(run)
        while i < end:
            step = 1
            lengths, table = words_of(run[i])
            for size in lengths:  # longest first
                if i + size > end:
                    continue
                word = run[i:i + size]
                keys = table.get(word)
                if keys is not None:
                    token = memo.get(word)
                    if token is None:
                        token = memo[word] = Token(frozenset(keys.split()), known)
                    found.append(token)
                    step = size
                    break
                if word in ZH_STOPWORDS:
                    step = size
                    break
            i += step
    return found


def _number_tokens(text: str) -> list[Token]:
    found = []
    for raw in _NUMBER.findall(text):
        key = "#" + (raw.replace(".", "").replace(",", "").rstrip("0") or "0")
        token = _NUMBERS.get(key)
        if token is None:
            token = _NUMBERS[key] = Token(frozenset((key,)), True)
        found.append(token)
    return found


def tokens(text: str, lang: str | None, other: str | None = None) -> list[Token]:
    """The content tokens of a sentence (or paragraph) in ``lang``, to be compared with text in ``other``:
    words (keys from the dictionary that bridges the two languages), names, numbers."""
    return tokens_of([text], lang, other)[0]


def tokens_of(texts: Sequence[str], lang: str | None, other: str | None = None) -> list[list[Token]]:
    """:func:`tokens` of each text, the dictionary lookups of all their new words batched (a document's
    sentences: a few queries, not one a word; a long document's a few hundred sentences at a time, so that
    their words are not all held at once)."""
    lang, other = _base(lang), _base(other)
    found: list[list[Token]] = []
    for start in range(0, len(texts), _CHUNK):
        found += _tokens_of(texts[start:start + _CHUNK], lang, other)
    return found


_CHUNK = 512  # texts whose new words are looked up together


def _tokens_of(texts: Sequence[str], lang: str, other: str) -> list[list[Token]]:
    _bounded(*_GERMAN.values(), *_ENGLISH.values(), _CHINESE_KNOWN, _CHINESE_UNKNOWN, _NUMBERS)
    texts = [text.translate(_FULLWIDTH_DIGITS) if _FULLWIDTH.search(text) else text for text in texts]
    found = [_number_tokens(text) if _DIGIT.search(text) else [] for text in texts]
    if lang == "zh":
        # Without a dictionary into the other language a Chinese word can still match (a name in a gloss) but
        # its missing match is no evidence.
        known = available(lang, other)
        for tokens_, text in zip(found, texts, strict=True):
            tokens_ += _chinese_tokens(text, known)
        # Latin-script words in Chinese text are names: their own spelling is their key, and nothing is known.
        word_lang, memo, build = "", _ENGLISH.setdefault("", {}), _english_words
    elif lang == "de":
        # Hyphenated compounds (E-Commerce-Plattform) are looked up part by part.
        word_lang, memo, build = other, _GERMAN.setdefault(other, {}), _german_words
    else:
        word_lang, memo, build = other, _ENGLISH.setdefault(other, {}), _english_words
    per_text = [LATIN_WORD.findall(text) for text in texts]
    new = {w for ws in per_text for w in ws if w not in memo}
    if new:
        memo.update(build(sorted(new), word_lang))
    for tokens_, ws in zip(found, per_text, strict=True):
        tokens_ += filter(None, map(memo.__getitem__, ws))  # False (no token) drops out
    return found


def available(lang: str | None, other: str | None) -> bool:
    """Whether a dictionary bridges ``lang`` and ``other`` here (else only names, cognates and numbers)."""
    pair = {_base(lang), _base(other)}
    if not pair <= {"zh", "en", "de"}:
        return False
    return "de" not in pair or pair == {"de"} or ding() is not None


def coverage(src_text: str, src_lang: str | None, tgt_text: str, tgt_lang: str | None) -> tuple[float, float] | None:
    """(share of the source's content words that the target accounts for, and the reverse) for one sentence
    pair, or None without a dictionary for the pair: what a length outlier needs to be a truncated or padded
    translation rather than a sentence of names and figures."""
    if not available(src_lang, tgt_lang):
        return None
    src, tgt = tokens(src_text, src_lang, tgt_lang), tokens(tgt_text, tgt_lang, src_lang)
    src_keys = frozenset().union(*(t.keys for t in src))
    tgt_keys = frozenset().union(*(t.keys for t in tgt))

    def share(side: list[Token], other: frozenset[str]) -> float:
        counted = [bool(t.keys & other) for t in side if t.known or t.keys & other]
        return sum(counted) / len(counted) if counted else 1.0

    return share(src, tgt_keys), share(tgt, src_keys)


_VERBATIM = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:%&+'-]*")
_STRIP_TRAILING = methodcaller("rstrip", ".,:")


def verbatim_chars(src_text: str, tgt_text: str) -> int:
    """Non-space characters of the names, codes and figures both texts carry unchanged ("The Karl Lagerfeld",
    "3.70 %"): they do not grow or shrink with the language pair's length ratio."""
    src = _VERBATIM.findall(src_text)
    tgt = _VERBATIM.findall(tgt_text) if src else ()
    if not tgt:
        return 0
    tgt_counts = Counter(map(_STRIP_TRAILING, tgt))
    return sum(len(token) * min(n, tgt_counts[token]) for token, n in Counter(map(_STRIP_TRAILING, src)).items()
               if token in tgt_counts)
