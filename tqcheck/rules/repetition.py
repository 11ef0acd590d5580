"""TQ6xx: repetition — doubled words, repeated sentences, looping MT output."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tqcheck.rules.base import WORD_RE, CheckContext, Finding, rule
from tqcheck.types import Category, Severity

_MIN_REPEATED_SENTENCE_WORDS = 6
_LOOP_MIN_REPEATS = 3
_TAKEOVER_REPEATS = 10
_TAKEOVER_WORDS = 100
_LOOP_MAX_NGRAM = 24  # a looping phrase up to a long sentence; longer repeats are repeated sentences (TQ602)
# Between the repeats of a phrase of two words or more: spaces, or a punctuation mark and spaces ("Jetzt kaufen!
# Jetzt kaufen! Jetzt kaufen!"), the same each time. A single word repeated must be separated by spaces only:
# "Nein, nein, nein!" is emphasis, not a loop.
_LOOP_SEPARATOR = re.compile(r"[,.;:!?…]?[ \t\u00a0\u3000]+|[，。；：！？、]")
_WS = re.compile(r"\s+")


def _word_tokens(ctx: CheckContext) -> list[tuple[int, int, str]]:
    """The words with their case-folded text; once per document (every rule of the family needs them)."""
    cached = ctx.cache.get("folded_words")
    if cached is None:
        cached = ctx.cache["folded_words"] = [(s, e, ctx.text[s:e].casefold()) for s, e in ctx.words]
    return cached  # type: ignore[return-value]


def _only_space_between(text: str, end: int, start: int) -> bool:
    return start > end and text[end:start].isspace() and "\n" not in text[end:start] and "\r" not in text[end:start]


def _loops(ctx: CheckContext) -> list[tuple[int, int, int, int]]:
    """Runs of an n-gram repeated ≥ 3 times in a row: (first word, n, repeats, end word index); cached per document.

    Linear in the words: a loop of period n repeats its first word n words later, so only the next occurrences
    of the word within :data:`_LOOP_MAX_NGRAM` words are tried as periods, and a found run is skipped whole.
    """
    cached = ctx.cache.get("loops")
    if cached is not None:
        return cached  # type: ignore[return-value]
    tokens = _word_tokens(ctx)
    words = [t[2] for t in tokens]
    text = ctx.text
    separators = [""] + [text[tokens[k - 1][1]:tokens[k][0]] for k in range(1, len(tokens))]
    following = _next_occurrences(words)
    found: list[tuple[int, int, int, int]] = []
    i = 0
    while i < len(words):
        best = None
        j_next = following[i]
        while j_next is not None and j_next - i <= _LOOP_MAX_NGRAM:
            n = j_next - i
            run = None if words[i].isdigit() else _run_end(words, separators, i, n)
            if run is not None and (best is None or run[1] > best[3]):
                best = (i, n, run[0], run[1])
            j_next = following[j_next]
        if best:
            found.append(best)
            i = best[3]
        else:
            i += 1
    ctx.cache["loops"] = found
    return found


def _next_occurrences(words: list[str]) -> list[int | None]:
    """For each word, the index of its next occurrence (or None)."""
    following: list[int | None] = [None] * len(words)
    last: dict[str, int] = {}
    for k in range(len(words) - 1, -1, -1):
        following[k] = last.get(words[k])
        last[words[k]] = k
    return following


def _run_end(words: list[str], separators: list[str], i: int, n: int) -> tuple[int, int] | None:
    """(repeats, end word index) of the n-gram at ``i`` repeated in a row, if ≥ 3 times and written as one
    loop: the same separators in every repeat, spaces only (or a punctuation mark and spaces between the
    repeats of a phrase, see :data:`_LOOP_SEPARATOR`), no line break."""
    gram = words[i:i + n]
    repeats, j = 1, i + n
    while j + n <= len(words) and words[j:j + n] == gram and separators[j + 1:j + n] == separators[i + 1:i + n]:
        if j > i + n and separators[j] != separators[i + n]:
            break
        repeats, j = repeats + 1, j + n
    if repeats < _LOOP_MIN_REPEATS:
        return None
    for k in range(i + 1, j):
        sep = separators[k]
        if (k - i) % n == 0 and n > 1:
            if not _LOOP_SEPARATOR.fullmatch(sep):
                return None
        elif not (sep and sep.isspace() and "\n" not in sep and "\r" not in sep):
            return None
    return repeats, j


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
    """A word or phrase (up to 24 words) repeated three or more times in a row: the MT system looped.

    Why: looping output ("Armband Armband Armband …") means the model lost track; the sentence around it is
    usually broken too and must be retranslated. A loop of ten repeats or more, or of 100 words or more, has
    taken over the text: it is critical (unless the rule's severity is configured), because one major issue in
    70,000 looped words would leave the score at 99.96.
    Bad: Watch the live live live live stream tonight.
    Good: Watch the live stream tonight.
    """
    tokens = _word_tokens(ctx)
    for start, n, repeats, end in _loops(ctx):
        phrase = ctx.text[tokens[start][0]:tokens[start + n - 1][1]]
        takeover = repeats >= _TAKEOVER_REPEATS or end - start >= _TAKEOVER_WORDS
        yield Finding(tokens[start][0], tokens[end - 1][1],
                      f"{phrase!r} repeated {repeats:,} times in a row (looping MT output).",
                      "Retranslate the text: the loop has taken it over." if takeover else "Retranslate the sentence.",
                      severity=Severity.CRITICAL if takeover else None, replacements=(phrase,))


RULES = (doubled_word, repeated_sentence, looping_output)
