"""TQ6xx: repetition — doubled words, repeated sentences, looping MT output."""

from __future__ import annotations

import re
import sys
from array import array
from collections import Counter
from collections.abc import Iterator
from itertools import islice

from tqcheck import regexcache
from tqcheck.chunking import whitespace_chunks
from tqcheck.rules.base import WORD_RE, CheckContext, Finding, rule
from tqcheck.types import Category, Severity
from tqcheck.wording import quote

_MIN_REPEATED_SENTENCE_WORDS = 6
_LOOP_MIN_REPEATS = 3
_TAKEOVER_REPEATS = 10
_TAKEOVER_WORDS = 100
_LOOP_MAX_NGRAM = 24  # a looping phrase up to a long sentence; longer repeats are repeated sentences (TQ602)
# Between the repeats of a phrase of two words or more: spaces, or a punctuation mark and spaces ("Jetzt kaufen!
# Jetzt kaufen! Jetzt kaufen!"), the same each time. A single word repeated must be separated by spaces only:
# "Nein, nein, nein!" is emphasis, not a loop.
_LOOP_SEPARATOR = regexcache.compile(r"[,.;:!?…]?[ \t\u00a0\u3000]+|[，。；：！？、]")
_WS = regexcache.compile(r"\s+")


class _Words:
    """The words of a text (or of one line of it), case-folded, with their spans: arrays and one string per
    distinct word, so that a long line costs a few bytes a word. Offsets are the document's."""

    def __init__(self, text: str, start: int = 0, end: int | None = None) -> None:
        self.text = text
        self.starts, self.ends = array("l"), array("l")
        distinct: dict[str, str] = {}
        self.folded: list[str] = []
        for match in WORD_RE.finditer(text, start, len(text) if end is None else end):
            self.starts.append(match.start())
            self.ends.append(match.end())
            word = match.group().casefold()
            self.folded.append(distinct.setdefault(word, word))

    def __len__(self) -> int:
        return len(self.folded)

    def separator(self, k: int) -> str:
        """The text between word k − 1 and word k ("" before the first)."""
        return self.text[self.ends[k - 1]:self.starts[k]] if k else ""


# A doubled word, and a loop of up to _LOOP_MAX_NGRAM words, are a "square" of the line's words (some run of 1 to
# 24 words followed at once by the same words): searched for in a string with one character per distinct word,
# where one regex does at C speed what a walk over the words did in Python.
# A word the text has once cannot be in a square: it is coded as _ONCE, which the search does not cross, so that from
# most positions only a few lengths are tried.
_SQUARE = regexcache.compile(rf"([^\n\x01]{{1,{_LOOP_MAX_NGRAM}}})\1")
_ONCE = "\x01"
_FIRST_ID = 0x100  # word characters start above "\n", which separates the lines, and _ONCE
_LAST_ID = sys.maxunicode
_WHOLE_TEXT_CHARS = 1 << 20  # a longer text is coded a chunk at a time (see _coded_words)
_NEWLINE_RE = regexcache.compile("\n")
_WORD_OR_NEWLINE = regexcache.compile(WORD_RE.pattern + "|\n")


def _lines(ctx: CheckContext) -> list[tuple[_Words, list[tuple[int, int, int, int]]]]:
    """The words and loops (see :func:`_loops`) of every line that may hold a doubled word or a loop; cached per
    document. Neither crosses a line break (their separators are spaces without "\n" or "\r"), so each line is
    judged alone, and only the lines whose words contain a square are looked at word by word."""
    cached = ctx.cache.get("repetition_lines")
    if cached is not None:
        return cached  # type: ignore[return-value]
    text = ctx.text
    found = []
    flagged = _flagged_lines(text)
    if flagged:
        # Line bounds, not line copies: the words of each line are found in the text itself.
        ends = [m.start() for m in _NEWLINE_RE.finditer(text)]
        ends.append(len(text))
        for k in flagged:
            tokens = _Words(text, ends[k - 1] + 1 if k else 0, ends[k])
            if len(tokens):
                found.append((tokens, _loops(tokens)))
    ctx.cache["repetition_lines"] = found
    return found


def _flagged_lines(text: str) -> list[int]:
    """The lines (numbered from 0, split at "\n") whose case-folded words contain a square (see
    :func:`_coded_words`): the only ones that can hold a doubled word or a loop."""
    coded = _coded_words(text)
    if coded is None:  # more distinct words than characters: every line is looked at
        return list(range(text.count("\n") + 1))
    flagged = []
    pos = line = 0
    while (square := _SQUARE.search(coded, pos)) is not None:
        line += coded.count("\n", pos, square.start())
        flagged.append(line)
        pos = coded.find("\n", square.start()) + 1  # every line ends in "\n"
        line += 1
    return flagged


def _coded_words(text: str) -> str | None:
    """The case-folded words of every line as one character each, each line ending in "\n"; a word the text has
    once is :data:`_ONCE` (it cannot be in a square), the others a character of their own; None: more distinct
    words than characters.

    The words of all lines, with "\n" between the lines, come from one search of the text (or of each chunk of
    a long one): a word never holds white space, so its matches are those of searches bounded by each line. A
    text of up to :data:`_WHOLE_TEXT_CHARS` is coded once its words are counted; a longer one is coded a chunk at
    a time and its words met once are recoded at the end (a pass more), so that memory grows with its vocabulary
    and a few bytes a word, not with a string per word.
    """
    if len(text) > _WHOLE_TEXT_CHARS:
        return _coded_words_by_chunk(text)
    folded = list(map(str.casefold, _WORD_OR_NEWLINE.findall(text)))
    counts = Counter(folded)
    repeated = [word for word, n in counts.items() if n > 1 and word != "\n"]
    if _FIRST_ID + len(repeated) > _LAST_ID + 1:
        return None
    code = dict.fromkeys(counts, _ONCE)
    code.update(zip(repeated, map(chr, range(_FIRST_ID, _FIRST_ID + len(repeated))), strict=True))
    code["\n"] = "\n"
    return "".join(map(code.__getitem__, folded)) + "\n"


def _coded_words_by_chunk(text: str) -> str | None:
    """:func:`_coded_words` of a long text (the same characters up to a renaming), a chunk at a time."""
    ids: dict[str, str] = {"\n": "\n"}
    counts: Counter[str] = Counter()
    pieces = []
    for chunk in whitespace_chunks(text):
        folded = list(map(str.casefold, _WORD_OR_NEWLINE.findall(chunk)))
        counts.update(folded)
        new = set(folded).difference(ids)  # the chunk's new words: one set operation, not a test per word
        first = _FIRST_ID + len(ids) - 1
        if first + len(new) > _LAST_ID + 1:
            return None
        ids.update(zip(new, map(chr, range(first, first + len(new))), strict=True))
        pieces.append("".join(map(ids.__getitem__, folded)))
    coded = "".join(pieces) + "\n"
    once = [ids[word] for word, n in counts.items() if n == 1 and word != "\n"]
    return coded.translate(dict.fromkeys(map(ord, once), _ONCE)) if once else coded


def _only_space_between(text: str, end: int, start: int) -> bool:
    return start > end and text[end:start].isspace() and "\n" not in text[end:start] and "\r" not in text[end:start]


def _loops(tokens: _Words) -> list[tuple[int, int, int, int]]:
    """Runs of an n-gram repeated ≥ 3 times in a row: (first word, n, repeats, end word index).

    Linear in the words: a loop of period n repeats its first word n words later, so only the next occurrences
    of the word within :data:`_LOOP_MAX_NGRAM` words are tried as periods, and a found run is skipped whole.
    """
    words = tokens.folded
    following = _next_occurrences(words)
    found: list[tuple[int, int, int, int]] = []
    i = 0
    while i < len(words):
        best = None
        j_next = following[i]
        while j_next >= 0 and j_next - i <= _LOOP_MAX_NGRAM:
            n = j_next - i
            run = None if words[i].isdigit() else _run_end(tokens, i, n)
            if run is not None and (best is None or run[1] > best[3]):
                best = (i, n, run[0], run[1])
            j_next = following[j_next]
        if best:
            found.append(best)
            i = best[3]
        else:
            i += 1
    return found


def _next_occurrences(words: list[str]) -> array[int]:
    """For each word, the index of its next occurrence (−1: none)."""
    following = array("l", [-1]) * len(words)
    last: dict[str, int] = {}
    for k in range(len(words) - 1, -1, -1):
        following[k] = last.get(words[k], -1)
        last[words[k]] = k
    return following


def _run_end(tokens: _Words, i: int, n: int) -> tuple[int, int] | None:
    """(repeats, end word index) of the n-gram at ``i`` repeated in a row, if ≥ 3 times and written as one
    loop: the same separators in every repeat, spaces only (or a punctuation mark and spaces between the
    repeats of a phrase, see :data:`_LOOP_SEPARATOR`), no line break."""
    words, separator = tokens.folded, tokens.separator
    gram = words[i:i + n]
    inner = [separator(k) for k in range(i + 1, i + n)]
    repeats, j = 1, i + n
    while (j + n <= len(words) and words[j:j + n] == gram
           and [separator(k) for k in range(j + 1, j + n)] == inner):
        if j > i + n and separator(j) != separator(i + n):
            break
        repeats, j = repeats + 1, j + n
    if repeats < _LOOP_MIN_REPEATS:
        return None
    for k in range(i + 1, j):
        sep = separator(k)
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
    allowed = ctx.packs.grammatical_doubles
    source: str | None = None
    for tokens, loops in _lines(ctx):
        words = tokens.folded
        in_loop = {k for start, n, repeats, _ in loops for k in range(start, start + n * repeats)}
        # The rare places where a word follows itself, found at C speed; the rest is asked of those only.
        doubled = [k for k, (a, b) in enumerate(zip(words, islice(words, 1, None), strict=False), 1) if a is b]
        for k in doubled:
            w1 = words[k]
            s1, e1, s2, e2 = tokens.starts[k - 1], tokens.ends[k - 1], tokens.starts[k], tokens.ends[k]
            if w1.isdigit() or w1 in allowed or k in in_loop or not _only_space_between(ctx.text, e1, s2):
                continue
            if source is None:  # the source normalised only when a doubling needs it
                source = _WS.sub(" ", ctx.source.text).casefold() if ctx.source is not None else ""
            if source and re.search(rf"(?<!\w){re.escape(w1)} {re.escape(w1)}(?!\w)", source):
                continue
            yield Finding(s1, e2, f"Doubled word {quote(ctx.text[s2:e2])}.", None, replacements=(ctx.text[s1:e1],))


@rule("TQ602", "repeated-sentence", Category.REPETITION, Severity.MINOR, example_pair=("zh", "en"))
def repeated_sentence(ctx: CheckContext) -> Iterator[Finding]:
    """A sentence of six or more words that occurs again, word for word, later in the text.

    Why: MT and scrapers duplicate sentences; the repetition is noise (headings repeated as titles are TQ501).
    Bad: Live commerce is growing faster than anyone expected. Prices fell. Live commerce is growing faster than anyone expected.
    Good: Live commerce is growing faster than anyone expected. Prices fell.
    """  # noqa: E501
    sentences = [segment for segment in ctx.segments if segment.kind == "sentence"]
    # The keys, not the sentences, are kept: a long text's sentences would be a second copy of it in memory.
    keys = [_sentence_key(ctx.slice(segment.span)) for segment in sentences]
    # Only sentences whose key comes again can repeat or be repeated: the words are counted for those only.
    repeated = {key for key, count in Counter(keys).items() if count > 1} if len(set(keys)) < len(keys) else set()
    seen: dict[str, int] = {}
    for segment, key in zip(sentences, keys, strict=True):
        if key not in repeated or len(WORD_RE.findall(ctx.slice(segment.span))) < _MIN_REPEATED_SENTENCE_WORDS:
            continue
        if key in seen:
            line, _ = ctx.target.line_col(seen[key])
            yield Finding(segment.span.start, segment.span.end, f"Repeats the sentence of line {line} word for word.",
                          "Delete the repetition.", replacements=("",))
        else:
            seen[key] = segment.span.start


def _sentence_key(sentence: str) -> str:
    """The sentence with each run of spaces made one space, case-folded (``_WS.sub(" ", …)``; ``str.split``
    splits on exactly the characters ``\\s`` matches, so without space at either end a join is the same)."""
    if sentence[:1].isspace() or sentence[-1:].isspace():
        return _WS.sub(" ", sentence).casefold()
    return " ".join(sentence.split()).casefold()


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
    for tokens, loops in _lines(ctx):
        yield from _loop_findings(ctx, tokens, loops)


def _loop_findings(ctx: CheckContext, tokens: _Words, loops: list[tuple[int, int, int, int]]) -> Iterator[Finding]:
    for start, n, repeats, end in loops:
        phrase = ctx.text[tokens.starts[start]:tokens.ends[start + n - 1]]
        takeover = repeats >= _TAKEOVER_REPEATS or end - start >= _TAKEOVER_WORDS
        yield Finding(tokens.starts[start], tokens.ends[end - 1],
                      f"{quote(phrase)} repeated {repeats:,} times in a row (looping MT output).",
                      "Retranslate the text: the loop has taken it over." if takeover else "Retranslate the sentence.",
                      # No replacement: one copy of the loop is a guess, the advice is to retranslate.
                      severity=Severity.CRITICAL if takeover else None)


RULES = (doubled_word, repeated_sentence, looping_output)
