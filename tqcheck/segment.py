"""Paragraph and sentence segmentation by offsets.

Paragraphs are blocks separated by blank lines; sentences come from sentencex (Wikimedia's maintained
segmenter: German abbreviations such as "d. h.", "z. B.", "usw.", "Nr." and Chinese 。！？ with closing
quotes are handled), run line by line because MT output and scraped pages put one paragraph, heading or
teaser per line. Segments are offsets into the untouched text, trimmed of surrounding white space.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from tqcheck import regexcache
from tqcheck.display import SURROGATE
from tqcheck.types import Document, Segment, Span

SEGMENTER_ID = "sentencex-lines/1"

_LINE = regexcache.compile(r"[^\r\n]+")
_BLANK_LINE_BREAK = regexcache.compile(r"(?:\r\n|\r|\n)[ \t\u00a0\u3000]*(?:\r\n|\r|\n)")
_FINAL_PUNCT = ".。:：;；,，…"
_HEADING_MAX_WORDS = 15
_HEADING_MAX_CJK_CHARS = 30
_CLOSERS = "\"'”’“»«」』）)]】》 "


@dataclass(frozen=True, slots=True)
class Paragraph:
    index: int
    span: Span
    lines: tuple[Span, ...]


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Blocks of non-blank lines, each with its lines, trimmed of surrounding white space."""
    result: list[Paragraph] = []
    block: list[Span] = []

    def close() -> None:
        if block:
            result.append(Paragraph(len(result), Span(block[0].start, block[-1].end), tuple(block)))
            block.clear()

    pos = 0
    for match in _LINE.finditer(text):
        between = text[pos:match.start()]
        if between.count("\n") + between.count("\r") - between.count("\r\n") > 1:
            close()
        pos = match.end()
        span = _trim(text, match.start(), match.end())
        if span is None:
            close()
            continue
        block.append(span)
    close()
    return tuple(result)


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if start < end else None


@lru_cache(maxsize=1)
def _sentencex():  # -> module
    import sentencex

    return sentencex




# White space that takes more than one byte in UTF-8 (no-break, em and ideographic spaces …).
_WIDE_SPACE = regexcache.compile(r"[^\S\x00-\x7f]")
# What makes sentencex 0.x panic (a Rust string sliced inside a character: "Herr A\u00a0. Müller", any
# language): such a space right before a period.
_PANICS = regexcache.compile(r"[^\S\x00-\x7f]\.")


def sentence_pieces(text: str, lang: str, *, may_panic: bool = True) -> tuple[list[str], str]:
    """sentencex's sentences of one line, and the text to find them in: the line itself, or, where a multi-byte
    space stands right before a period (which makes sentencex panic), the line with each white-space character
    as a plain space, which keeps the offsets and what is white space. A panic is a BaseException (pyo3's
    PanicException) that would end the whole run, and Rust writes it to the standard error first: such lines are
    not given to it as they are. Should another line panic all the same, it is one sentence. ``may_panic``
    False: the caller knows that no such space is in the line (its document has none)."""
    shown = _WIDE_SPACE.sub(" ", text) if may_panic and _PANICS.search(text) else text
    try:
        return list(_sentencex().segment(lang, shown)), shown
    except BaseException as err:
        if type(err).__name__ != "PanicException":
            raise
    return [text], text


def split_sentences(text: str, lang: str | None, *, plain: bool = False) -> list[tuple[int, int]]:
    """Sentence offsets within one line of ``text`` (relative to it), trimmed.

    sentencex (Rust) takes only UTF-8-encodable text: a lone surrogate (valid in a str: JSONL ``"\\udc00"``, the
    API) is shown to it as U+FFFD, one character for one, so the offsets are those of ``text``. ``plain``: the
    caller knows the line has neither a surrogate nor a space that makes sentencex panic (its document has
    neither: :func:`segment` looks once, not at every line).
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    if not plain:
        text = SURROGATE.sub("\ufffd", text)
    pieces, text = sentence_pieces(text, lang or "en", may_panic=not plain)
    for sentence in pieces:
        # sentencex returns consecutive pieces; locate each to stay exact even if it ever normalizes.
        found = text.find(sentence, pos)
        if found < 0:
            stripped = sentence.strip()
            found = text.find(stripped, pos) if stripped else -1
            if found < 0:
                continue
            sentence = stripped
        pos = found + len(sentence)
        core = sentence.strip()  # as _trim trims: str.strip strips what str.isspace tests
        if core:
            start = found + len(sentence) - len(sentence.lstrip())
            spans.append((start, start + len(core)))
    return spans


def segment(doc: Document) -> tuple[tuple[Segment, ...], tuple[Paragraph, ...]]:
    """Split ``doc`` into sentences (and heading lines) and paragraphs."""
    paras = paragraphs(doc.text)
    segments: list[Segment] = []
    # What every line would be searched for, searched for once: a line holds it only where the text does.
    plain = SURROGATE.search(doc.text) is None and _PANICS.search(doc.text) is None
    for para in paras:
        for line in para.lines:
            line_text = doc.text[line.start:line.end]
            pieces = split_sentences(line_text, doc.lang, plain=plain)
            if len(para.lines) == 1 and len(pieces) <= 1 and _looks_like_heading(line_text):
                segments.append(Segment(len(segments), line, para.index, "heading"))
                continue
            for start, end in pieces:
                segments.append(Segment(len(segments), Span(line.start + start, line.start + end), para.index))
    return tuple(segments), paras


def _looks_like_heading(line: str) -> bool:
    """A short line that does not end like a sentence (a title may end in ? or !)."""
    core = line.rstrip(_CLOSERS)
    if not core or core[-1] in _FINAL_PUNCT:
        return False
    cjk = sum(1 for ch in core if "\u3400" <= ch <= "\u9fff")
    return len(core.split()) <= _HEADING_MAX_WORDS and cjk <= _HEADING_MAX_CJK_CHARS
