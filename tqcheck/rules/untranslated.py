"""TQ2xx: text left untranslated — source script, wrong language, names left in a pivot language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from tqcheck import langid
from tqcheck.rules.base import WORD_RE, CheckContext, Finding, rule
from tqcheck.rules.english_left import (
    EnglishSource,
    english_findings,
    exonym_findings,
    kept_names,
    loan_phrases,
    word_tokens,
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
_NOT_A_WORD_TOKEN = re.compile(r"\d|\S@\S")
_URL_START = re.compile(r"https?://|www\.")
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")


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
    candidate = _candidates()
    while i < n:
        found = candidate.search(text, i)  # skip the Latin letters and the rest that can never start a run
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


@lru_cache(maxsize=1)
def _candidates() -> re.Pattern[str]:
    """Characters that may start a run of another script: everything but the non-letters and Latin letters of the
    Latin blocks (U+0000–U+024F, U+1E00–U+1EFF) and of General Punctuation, which TQ201 always passes over
    (Latin is never reported). Built from :func:`langid.script_of` itself, so the skip cannot disagree with it."""
    skip = [c for block in ((0, 0x250), (0x1E00, 0x1F00), (0x2000, 0x2070))
            for c in range(*block) if not chr(c).isalpha() or langid.script_of(chr(c)) == "Latin"]
    ranges, start = [], skip[0]
    for prev, cur in zip(skip, [*skip[1:], None], strict=True):
        if cur != prev + 1:
            ranges.append((start, prev))
            start = cur
    body = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return re.compile(f"[^{body}]")


def _judgeable_words(sentence: str) -> list[str]:
    kept = []
    for token in sentence.split():
        if _NOT_A_WORD_TOKEN.search(token):
            continue
        url = _URL_START.search(token)
        kept.append(token[:url.start()] if url else token)
    return WORD_RE.findall(_ACRONYM.sub(" ", " ".join(kept)))


# A sound word: one short syllable said again and again ("haha", "hahaha", "lalala", "blabla").
_SYLLABLE_REPEAT = re.compile(r"(\w{1,3})\1+", re.IGNORECASE)


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
    for segment in ctx.segments:
        sentence = ctx.slice(segment.span)
        words = _judgeable_words(sentence)
        if len(words) < langid.MIN_WORDS:
            continue
        # Two function words of the target language settle it without a statistical guess.
        if stopwords and sum(w.lower() in stopwords for w in words) >= 2:
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
    kept = kept_names(ctx.text, word_tokens(ctx.text), source, ctx.packs.stopwords) if source is not None else []
    kept += loan_phrases(ctx)
    names = list(exonym_findings(ctx, kept, taken, source is not None))
    yield from names
    taken += [(f.start, f.end) for f in names]
    if ctx.packs.pivot_words:
        yield from english_findings(ctx, source, kept, taken)


RULES = (source_script_in_target, wrong_language, pivot_language_name)
