"""Laying out an excerpt for a terminal: the span inside as much of its line as fits, with ``^`` under the span.

Widths are terminal columns (:func:`tqcheck.display.cell_width`: wide and fullwidth characters take two,
combining marks none), measured on the text as it is shown (controls and tabs escaped by
:func:`tqcheck.display.terminal_safe`), so the markers stay under exactly the span's characters.

The context is cut only where a word ends (:func:`is_boundary`), never inside a word and never inside the span;
a cut is shown as ``…``. A span wider than the line is shown whole, wrapped at its own word boundaries onto
several rows, each with its markers; a span of more than :data:`MAX_SPAN_ROWS` rows keeps its first and last
rows and says how many characters it leaves out between them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from tqcheck.display import cell_width, terminal_safe

ELLIPSIS = "…"
MAX_SPAN_ROWS = 4


@dataclass(frozen=True, slots=True)
class Row:
    """One printed row: ``before`` and ``after`` are context, ``inner`` is (part of) the span; all shown text."""

    before: str
    inner: str
    after: str
    elided: bool = False  # the note that stands for rows of a long span left out: no markers under it

    @property
    def marker_column(self) -> int:
        """Terminal column (0-based, after the gutter) where the first ``^`` goes."""
        return cell_width(self.before)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _word_char(ch: str) -> bool:
    # A combining mark belongs to the letter before it; a wide character (CJK) is a word of its own.
    return (ch.isalnum() or unicodedata.category(ch).startswith("M") or ch in "_'’-") and not _wide(ch)


def is_boundary(text: str, i: int) -> bool:
    """Whether ``text`` may be cut before index ``i`` without cutting a word (or a character from its marks)."""
    if i <= 0 or i >= len(text):
        return True
    if unicodedata.category(text[i]).startswith("M"):
        return False
    return not (_word_char(text[i - 1]) and _word_char(text[i]))


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def shown(text: str) -> str:
    """``text`` as the terminal report shows it (see :func:`tqcheck.display.terminal_safe`)."""
    return terminal_safe(text)


def _before(line: str, start: int, budget: int) -> str:
    """As much of ``line[:start]`` as fits in ``budget`` columns, cut at a word boundary (``…`` where cut)."""
    if start <= 2 * budget:  # else it cannot fit (bar zero-width characters): skip measuring a long line
        full = shown(line[:start])
        if cell_width(full) <= budget:
            return full
    best = ""
    for cut in range(start - 1, 0, -1):
        if not is_boundary(line, cut):
            continue
        piece = shown(line[cut:start].lstrip())
        if cell_width(piece) + 1 > budget:
            break
        if _has_word(piece):  # a lone "." of the sentence before is no context
            best = ELLIPSIS + piece
    return best if best else (ELLIPSIS if budget >= 1 and start > 0 else "")


def _after(line: str, end: int, budget: int) -> str:
    """As much of ``line[end:]`` as fits in ``budget`` columns, cut at a word boundary (``…`` where cut)."""
    if len(line) - end <= 2 * budget:
        full = shown(line[end:])
        if cell_width(full) <= budget:
            return full
    best = ""
    for cut in range(end + 1, len(line)):
        if not is_boundary(line, cut):
            continue
        piece = shown(line[end:cut].rstrip())
        if cell_width(piece) + 1 > budget:
            break
        if _has_word(piece):
            best = piece + ELLIPSIS
    return best if best else (ELLIPSIS if budget >= 1 and end < len(line) else "")


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in pieces of at most ``width`` shown columns, cut at word boundaries (inside a word only when one
    word is wider than a row); every character is in exactly one piece, so markers cover the whole span."""
    pieces: list[str] = []
    start = 0
    # Escaping and widths are per character, so a row's width is the sum of its characters': measured once each
    # (re-measuring the growing row made a paragraph-long span quadratic: a minute for a 2 MB text's report).
    columns = [cell_width(shown(ch)) for ch in text]
    while start < len(text):
        end, last_boundary, after_space = start, None, None
        used = 0
        while end < len(text) and used + columns[end] <= width:
            used += columns[end]
            end += 1
            if end == len(text) or is_boundary(text, end):
                last_boundary = end
                if text[end - 1].isspace():  # a row that ends after a space reads best
                    after_space = end
        if end == start:  # one character wider than the row (cannot happen at width >= 2): take it anyway
            end = start + 1
        elif end < len(text) and (after_space or last_boundary) is not None:
            end = after_space or last_boundary
        pieces.append(text[start:end])
        start = end
    return pieces


def layout(line: str, start: int, end: int, width: int) -> list[Row]:
    """The rows that show ``line[start:end]`` (the span, on this line) in ``width`` columns with context.

    The span's own text is never shortened inside a row; context fills what is left, split between the text
    before and after the span (the side with less text gives its share to the other).
    """
    inner = shown(line[start:end])
    span_width = cell_width(inner)
    if span_width <= width:
        room = width - span_width
        tail = cell_width(shown(line[end:end + room + 1]))
        left_budget = max(room // 2, room - tail)
        before = _before(line, start, left_budget)
        after = _after(line, end, room - cell_width(before))
        return [Row(before, inner, after)]
    span = line[start:end]
    # Only the rows that are shown are laid out: a span of a megabyte costs what its first and last rows cost.
    window = 2 * MAX_SPAN_ROWS * width
    pieces = _wrap(span, width) if len(span) <= 2 * window else _wrap(span[:window], width)
    if len(pieces) <= MAX_SPAN_ROWS and len(span) <= 2 * window:
        return [Row("", shown(p), "") for p in pieces]
    head = pieces[:MAX_SPAN_ROWS - 2]
    tail = _wrap(span[-window:], width)[-1] if len(span) > 2 * window else pieces[-1]
    left_out = len(span) - sum(len(p) for p in head) - len(tail)
    note = Row(f"{ELLIPSIS} {left_out} more characters of the span {ELLIPSIS}", "", "", elided=True)
    return [*(Row("", shown(p), "") for p in head), note, Row("", shown(tail), "")]




def wrap_prose(text: str, width: int) -> list[str]:
    """``text`` (already shown: escaped) in lines of at most ``width`` columns, broken at spaces; a word wider
    than a line (a Chinese sentence has no spaces) is broken at its own word boundaries."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if cell_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if cell_width(word) <= width:
            current = word
        else:
            *full, current = _wrap(word, width)
            lines.extend(full)
    if current or not lines:
        lines.append(current)
    return lines


__all__ = ["ELLIPSIS", "MAX_SPAN_ROWS", "Row", "is_boundary", "layout", "shown", "wrap_prose"]
