"""TQ2xx: text left untranslated — source script, wrong language, names left in a pivot language."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tqcheck import langid, regexcache
from tqcheck.rules.base import WORD_RE, CheckContext, Finding, derived, rule
from tqcheck.rules.english_left import (
    EnglishSource,
    english_findings,
    exonym_findings,
    loan_phrases,
    source_kept_names,
)
from tqcheck.rules.lexicon import phrase_findings
from tqcheck.types import Category, Severity
from tqcheck.wording import language_name, quote, with_article

PIVOT_LANG = "en"
# CJK punctuation and spaces that belong to a run of CJK text left in the target.
_CJK_JOINERS = frozenset("，。！？：；、（）《》「」『』【】“”‘’…—·\u3000 ")
_MIN_NON_CJK_RUN = 2  # a lone Greek letter (α, µ) in a technical text is fine
# Not words of a language: a token with a digit or an address, a URL from its start, an all-caps acronym.
# Tested token by token: as one regex over the sentence (\S*\d\S*) it took quadratic time on a long run
# without spaces.
_NOT_A_WORD_TOKEN = regexcache.compile(r"\d|\S@\S")
_URL_START = regexcache.compile(r"https?://|www\.")
_ACRONYM = regexcache.compile(r"\b[A-Z]{2,}\b")


@rule("TQ201", "source-script-in-target", Category.UNTRANSLATED, Severity.MAJOR)
def source_script_in_target(ctx: CheckContext) -> Iterator[Finding]:
    """Letters of a script the target language is not written in, such as Chinese characters in German.

    Why: the reader cannot read them; they are usually a phrase the MT system left untranslated.
    Bad: Das sogenannte 直播带货-Modell wächst schnell.
    Good: Das sogenannte Livestream-Shopping wächst schnell.
    """
    target_scripts = langid.scripts_of_lang(ctx.tgt_lang)
    # Latin brand names are normal in CJK and other non-Latin texts; only flag other scripts there.
    ignore = target_scripts | {"Latin"}
    text = ctx.text
    i, n = 0, len(text)
    # Only a letter of a script in neither set can start a run: one search skips everything else (in a German
    # text, all of it).
    candidate = langid.other_scripts_re(ignore)
    while i < n:
        found = candidate.search(text, i)
        if found is None:
            break
        i = found.start()
        script = langid.script_of(text[i]) if text[i].isalpha() else None
        if script is None or script in ignore:
            i += 1
            continue
        start = end = i
        j = i
        while j < n:
            ch = text[j]
            s = langid.script_of(ch) if ch.isalpha() else None
            if s is not None and s not in ignore:
                end = j + 1
            elif not (ch in _CJK_JOINERS or ch.isdigit()):
                break
            j += 1
        # Trailing CJK punctuation after the run is part of the untranslated text ("成功。").
        while end < n and text[end] in _CJK_JOINERS and not text[end].isspace():
            end += 1
        run = text[start:end]
        is_cjk = any(langid.script_of(ch) in {"Han", "Hiragana", "Katakana", "Hangul"} for ch in run)
        if is_cjk or sum(ch.isalpha() for ch in run) >= _MIN_NON_CJK_RUN:
            language = langid.script_language(run) or script
            yield Finding(start, end,
                          f"{language_name(language, 'Foreign')} text left untranslated in "
                          f"{with_article(language_name(ctx.tgt_lang) + ' text')}: {quote(run)}.",
                          "Translate it, or give the translation with the original in parentheses if the original "
                          "name matters.")
        i = max(end, i + 1)


# What makes _judgeable_words more than WORD_RE.findall: a token to drop (a digit, an address), a URL to cut, an
# acronym to take out. Most sentences have none of them. Each test a class or a literal, which the regex engine
# and str find at memory speed (one alternation of them is tried at every position).
_DROPPED_TOKEN = regexcache.compile(r"[\d@]")
_TWO_CAPITALS = regexcache.compile(r"[A-Z]{2}")


def _token_work(sentence: str) -> bool:
    """Whether the sentence has a digit, an @, two capitals in a row or the start of a URL."""
    return (_DROPPED_TOKEN.search(sentence) is not None or _TWO_CAPITALS.search(sentence) is not None
            or ("http" in sentence and _URL_START.search(sentence) is not None) or "www." in sentence)


def _judgeable_words(sentence: str) -> list[str]:
    if not _token_work(sentence):
        # WORD_RE never matches across white space: the words of the tokens joined are the sentence's own.
        return WORD_RE.findall(sentence)
    if _DROPPED_TOKEN.search(sentence) or _URL_START.search(sentence):
        kept = []
        for token in sentence.split():
            if _NOT_A_WORD_TOKEN.search(token):
                continue
            url = _URL_START.search(token)
            kept.append(token[:url.start()] if url else token)
        sentence = " ".join(kept)
    return WORD_RE.findall(_ACRONYM.sub(" ", sentence))


def _stopword_tokens(stopwords: frozenset[str]) -> frozenset[str]:
    """The stopwords as whole space-separated tokens that are sure to be judgeable words: lowercase or
    capitalised (never two capitals, which the acronym rule takes out), letters only."""
    def build() -> frozenset[str]:
        forms = {form for word in stopwords for form in (word, word.capitalize())}
        return frozenset(form for form in forms if form.lower() in stopwords and WORD_RE.fullmatch(form)
                         and not _token_work(form))
    return derived(stopwords, "stopword tokens", build)


def _two_stopwords(words: list[str], stopwords: frozenset[str]) -> bool:
    """At least two of the words (lowercased) are stopwords: looked at only until the second."""
    hits = filter(stopwords.__contains__, map(str.lower, words))
    return next(hits, None) is not None and next(hits, None) is not None


# A sound word: one short syllable said again and again ("haha", "hahaha", "lalala", "blabla").
_SYLLABLE_REPEAT = regexcache.compile(r"(\w{1,3})\1+", re.IGNORECASE)


def _language_words(words: list[str]) -> list[str]:
    """The words that tell a language: not names (capitalised after the first word), not sound words, each
    once ("Boom boom boom" is one word)."""
    kept: dict[str, None] = {}
    for i, word in enumerate(words):
        if (i and word[0].isupper()) or _SYLLABLE_REPEAT.fullmatch(word):
            continue
        kept.setdefault(word.lower(), None)
    return list(kept)


@rule("TQ202", "wrong-language", Category.UNTRANSLATED, Severity.MAJOR)
def wrong_language(ctx: CheckContext) -> Iterator[Finding]:
    """A whole sentence in another language than the target's.

    Why: a sentence left in the source or pivot language is an untranslated sentence for the reader.
    Only sentences of at least six words (not counting numbers, URLs and acronyms) are judged, by Unicode
    script for CJK and other scripts and by seeded langdetect (p > 0.95) for Latin-script text. Latin-script
    sentences get no verdict unless six different words are left that are neither names (capitalised after the
    first word) nor sound words ("Haha", "Boom boom"), and names are fewer than half the words: a headline of
    names or a line of laughter is in no language a reader would want translated.
    Bad: Tencent setzt auf WeChat. This is a big problem for all merchants on the platform today. Alibaba nicht.
    Good: Tencent setzt auf WeChat. Das ist für alle Händler auf der Plattform ein großes Problem. Alibaba nicht.
    """
    tgt = ctx.tgt_lang
    if not tgt:
        return
    stopwords = ctx.packs.stopwords
    stopword_tokens = _stopword_tokens(stopwords)
    text = ctx.text
    for segment in ctx.segments:
        span = segment.span
        sentence = text[span.start:span.end]
        # Two different stopwords standing as tokens of their own are two stopwords among the judgeable words:
        # most sentences are settled here, before any word is taken out.
        if len(stopword_tokens.intersection(sentence.split())) >= 2:
            continue
        words = _judgeable_words(sentence)
        if len(words) < langid.MIN_WORDS:
            continue
        # Two function words of the target language settle it without a statistical guess.
        if stopwords and _two_stopwords(words, stopwords):
            continue
        # Non-Latin sentences are decided by script: foreign ones are TQ201's, native ones are fine.
        if langid.script_language(sentence) is not None:
            continue
        names = sum(1 for i, w in enumerate(words) if i and w[0].isupper())
        if len(_language_words(words)) < langid.MIN_WORDS or 2 * names >= len(words):
            continue
        guess = langid.detect(" ".join(words))
        if guess is None or guess.lang == tgt or guess.probability <= langid.MIN_PROBABILITY:
            continue
        yield Finding(segment.span.start, segment.span.end,
                      f"Sentence is in {language_name(guess.lang)}, not {language_name(tgt)} (language "
                      f"detection p = {guess.probability:.2f}).",
                      "Translate the sentence.")


@rule("TQ203", "pivot-language-name", Category.UNTRANSLATED, Severity.MINOR)
def pivot_language_name(ctx: CheckContext) -> Iterator[Finding]:
    """English words, phrases and names left in a non-English text (English is the MT pivot language).

    Why: "Double Eleven" means nothing to most German readers; "the meeting" in a German sentence was never translated.
    Reported: names the packs know German writes its own way (pivot_names.tsv, exonyms.tsv: "Double Eleven",
    "Department of Justice", "Türkiye"); English phrases, judged word by word against an English lexicon that
    leaves out German words and the loanwords German uses; with an English source, single English words that the
    source writes in lowercase. Not reported: names German keeps in English (a capitalised sequence found verbatim
    in the English source; without an English source, any capitalised English name), loanwords (Team, Meeting,
    Social Media), brand names in CamelCase, acronyms, code. The German article before a name is never in the span.
    Bad: Allerdings zeigen die diesjährige Double Eleven sowie die Taobao-Daten, dass Alibaba vorne liegt.
    Good: Allerdings zeigen der diesjährige Singles' Day (11.11.) sowie die Taobao-Daten, dass Alibaba vorne liegt.
    Options: packs (pivot_names.tsv, exonyms.tsv, english_words.txt, english_shared_words.txt, pivot_words.txt,
    pivot_function_words.txt, german_loanwords.txt of the target language; docs/packs.md)
    """
    if not ctx.tgt_lang or ctx.tgt_lang == PIVOT_LANG:
        return
    known = list(phrase_findings(ctx, ctx.packs.phrase_entries("pivot_names"), "English name"))
    yield from known
    taken = [(f.start, f.end) for f in known]
    source = None
    if ctx.source is not None and ctx.src_lang == PIVOT_LANG:
        source = EnglishSource(ctx.source.text)
    kept = source_kept_names(ctx.text, source, ctx.packs.stopwords) if source is not None else []
    kept += loan_phrases(ctx)
    names = list(exonym_findings(ctx, kept, taken, source is not None))
    yield from names
    taken += [(f.start, f.end) for f in names]
    if ctx.packs.pivot_words:
        yield from english_findings(ctx, source, kept, taken)


RULES = (source_script_in_target, wrong_language, pivot_language_name)
