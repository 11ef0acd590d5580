"""TQ2xx: text left untranslated — source script, wrong language, names left in a pivot language."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tqcheck import langid
from tqcheck.rules.base import WORD_RE, CheckContext, Finding, rule
from tqcheck.rules.lexicon import phrase_findings
from tqcheck.types import Category, Severity

PIVOT_LANG = "en"
# CJK punctuation and spaces that belong to a run of CJK text left in the target.
_CJK_JOINERS = frozenset("，。！？：；、（）《》「」『』【】“”‘’…—·\u3000 ")
_MIN_NON_CJK_RUN = 2  # a lone Greek letter (α, µ) in a technical text is fine
_NOT_WORDS = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|\S*\d\S*|\b[A-Z]{2,}\b")
_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w'’&+-]*(?:[ \u00a0]+(?:[A-Z][\w'’&+-]*|of|the|and|for|in|on|to|\d{4}))+")


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
    while i < n:
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
                          f"{language} text left untranslated in a {ctx.tgt_lang or 'target'} text: {run!r}.",
                          "Translate it, or give the translation with the original in parentheses if the original "
                          "name matters.")
        i = max(end, i + 1)


def _judgeable_words(sentence: str) -> list[str]:
    return WORD_RE.findall(_NOT_WORDS.sub(" ", sentence))


@rule("TQ202", "wrong-language", Category.UNTRANSLATED, Severity.MAJOR)
def wrong_language(ctx: CheckContext) -> Iterator[Finding]:
    """A whole sentence in another language than the target's.

    Why: a sentence left in the source or pivot language is an untranslated sentence for the reader.
    Only sentences of at least six words (not counting numbers, URLs and acronyms) are judged, by Unicode
    script for CJK and other scripts and by seeded langdetect (p > 0.95) for Latin-script text.
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
        guess = langid.detect(" ".join(words))
        if guess is None or guess.lang == tgt or guess.probability <= langid.MIN_PROBABILITY:
            continue
        yield Finding(segment.span.start, segment.span.end,
                      f"Sentence is in {guess.lang}, not {tgt} (p = {guess.probability:.2f}).",
                      "Translate the sentence.", confidence=round(guess.probability, 3))


@rule("TQ203", "pivot-language-name", Category.UNTRANSLATED, Severity.MINOR)
def pivot_language_name(ctx: CheckContext) -> Iterator[Finding]:
    """Names of events, awards or products left in English (the MT pivot language) in a non-English text.

    Why: "Double Eleven" means nothing to most German readers; MT systems that pivot through English leave
    such names behind. Known names come from the target's pivot_names pack; other runs of three or more
    capitalised words with at least two English words (pivot_words.txt) are reported too.
    Bad: Allerdings zeigen die diesjährige Double Eleven sowie die Taobao-Daten, dass Alibaba vorne liegt.
    Good: Allerdings zeigen der diesjährige Singles' Day (11.11.) sowie die Taobao-Daten, dass Alibaba vorne liegt.
    Options: packs (pivot_names.tsv and pivot_words.txt of the target language)
    """
    if not ctx.tgt_lang or ctx.tgt_lang == PIVOT_LANG:
        return
    known = list(phrase_findings(ctx, ctx.packs.phrase_entries("pivot_names"), "Name left in English"))
    yield from known
    pivot_words = ctx.packs.pivot_words
    if not pivot_words:
        return
    for match in _CAPITALISED_RUN.finditer(ctx.text):
        words = WORD_RE.findall(match.group())
        english = [w for w in words if w.lower() in pivot_words]
        capitalised = [w for w in words if w[0].isupper()]
        if len(capitalised) < 3 or len(english) < 2:
            continue
        start, end = match.span()
        if any(f.start < end and start < f.end for f in known):
            continue
        yield Finding(start, end, f"English name left untranslated: {match.group()!r}.",
                      "Translate the name, or keep it in quotation marks with a German explanation.")


RULES = (source_script_in_target, wrong_language, pivot_language_name)
