"""TQ6xx: repetition — doubled words, repeated sentences, looping MT output."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tqcheck.rules.base import WORD_RE, CheckContext, Finding, rule
from tqcheck.types import Category, Severity

_MIN_REPEATED_SENTENCE_WORDS = 6
_LOOP_MIN_REPEATS = 3
_LOOP_MAX_NGRAM = 4
_WS = re.compile(r"\s+")


def _word_tokens(ctx: CheckContext) -> list[tuple[int, int, str]]:
    return [(s, e, ctx.text[s:e].casefold()) for s, e in ctx.words]


def _only_space_between(text: str, end: int, start: int) -> bool:
    return start > end and text[end:start].isspace() and "\n" not in text[end:start] and "\r" not in text[end:start]


def _loops(ctx: CheckContext) -> list[tuple[int, int, int, int]]:
    """Runs of an n-gram repeated ≥ 3 times in a row: (first word, n, repeats, end word index); cached per document."""
    cached = ctx.cache.get("loops")
    if cached is not None:
        return cached  # type: ignore[return-value]
    tokens = _word_tokens(ctx)
    words = [t[2] for t in tokens]
    text = ctx.text
    found: list[tuple[int, int, int, int]] = []
    i = 0
    while i < len(words):
        best = None
        for n in range(1, _LOOP_MAX_NGRAM + 1):
            # Cheap test first: a loop of period n repeats its first word n words later.
            if i + n >= len(words) or words[i + n] != words[i] or words[i].isdigit():
                continue
            gram = words[i:i + n]
            repeats, j = 1, i + n
            while j + n <= len(words) and words[j:j + n] == gram:
                repeats, j = repeats + 1, j + n
            if repeats >= _LOOP_MIN_REPEATS and all(_only_space_between(text, tokens[k - 1][1], tokens[k][0])
                                                    for k in range(i + 1, j)) and (best is None or j > best[3]):
                best = (i, n, repeats, j)
        if best:
            found.append(best)
            i = best[3]
        else:
            i += 1
    ctx.cache["loops"] = found
    return found


@rule("TQ601", "doubled-word", Category.REPETITION, Severity.MINOR, example_pair=("zh", "en"))
def doubled_word(ctx: CheckContext) -> Iterator[Finding]:
    """The same word twice in a row ("the the").

    Why: a classic slip of MT and of editing; runs of three or more are looping output (TQ603).
    Words the target language may double are not reported (the pack's grammatical_doubles.txt: German
    "die die" after a relative pronoun, "sie sie"; English "that that", "had had"), nor a doubling that the
    source has too ("Bora Bora", a "zoom zoom" quoted from the source).
    Bad: Sales on the the platform doubled.
    Good: Sales on the platform doubled.
    Options: packs (grammatical_doubles.txt of the target language)
    """
    tokens = _word_tokens(ctx)
    in_loop = {k for start, n, repeats, _ in _loops(ctx) for k in range(start, start + n * repeats)}
    allowed = ctx.packs.grammatical_doubles
    source = _WS.sub(" ", ctx.source.text).casefold() if ctx.source is not None else ""
    for k in range(1, len(tokens)):
        (s1, e1, w1), (s2, e2, w2) = tokens[k - 1], tokens[k]
        if w1 != w2 or w1.isdigit() or w1 in allowed or k in in_loop or not _only_space_between(ctx.text, e1, s2):
            continue
        if source and re.search(rf"(?<!\w){re.escape(w1)} {re.escape(w1)}(?!\w)", source):
            continue
        yield Finding(s1, e2, f"Doubled word {ctx.text[s2:e2]!r}.", f"Delete one {ctx.text[s2:e2]!r}.",
                      replacements=(ctx.text[s1:e1],))


@rule("TQ602", "repeated-sentence", Category.REPETITION, Severity.MINOR, example_pair=("zh", "en"))
def repeated_sentence(ctx: CheckContext) -> Iterator[Finding]:
    """A sentence of six or more words that occurs again, word for word, later in the text.

    Why: MT and scrapers duplicate sentences; the repetition is noise (headings repeated as titles are TQ501).
    Bad: Live commerce is growing faster than anyone expected. Prices fell. Live commerce is growing faster than anyone expected.
    Good: Live commerce is growing faster than anyone expected. Prices fell.
    """  # noqa: E501
    seen: dict[str, int] = {}
    for segment in ctx.segments:
        if segment.kind != "sentence":
            continue
        sentence = ctx.slice(segment.span)
        if len(WORD_RE.findall(sentence)) < _MIN_REPEATED_SENTENCE_WORDS:
            continue
        key = _WS.sub(" ", sentence).casefold()
        if key in seen:
            line, _ = ctx.target.line_col(seen[key])
            yield Finding(segment.span.start, segment.span.end, f"Repeats the sentence of line {line} word for word.",
                          "Delete the repetition.", replacements=("",))
        else:
            seen[key] = segment.span.start


@rule("TQ603", "looping-output", Category.REPETITION, Severity.MAJOR, example_pair=("zh", "en"))
def looping_output(ctx: CheckContext) -> Iterator[Finding]:
    """A word or phrase repeated three or more times in a row: the MT system looped.

    Why: looping output ("Armband Armband Armband …") means the model lost track; the sentence around it is
    usually broken too and must be retranslated.
    Bad: Watch the live live live live stream tonight.
    Good: Watch the live stream tonight.
    """
    tokens = _word_tokens(ctx)
    for start, n, repeats, end in _loops(ctx):
        phrase = ctx.text[tokens[start][0]:tokens[start + n - 1][1]]
        yield Finding(tokens[start][0], tokens[end - 1][1],
                      f"{phrase!r} repeated {repeats} times in a row (looping MT output).",
                      "Retranslate the sentence.", replacements=(phrase,))


RULES = (doubled_word, repeated_sentence, looping_output)
