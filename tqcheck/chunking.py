"""A long text in pieces that end before white space, for whole-text operations whose memory grows faster than
the text: ``str.lower`` works in a buffer of 12 bytes a character, ``findall`` and ``split`` build a list of every
match (millions of small strings for a 10 MB article). Done a chunk at a time, each gives the same result
(what each caller relies on is in its docstring) with memory bounded by the chunk."""

from __future__ import annotations

from collections.abc import Iterator

from tqcheck import regexcache

CHUNK_CHARS = 1 << 16
_SPACE = regexcache.compile(r"\s")


def whitespace_chunks(text: str, size: int | None = None) -> Iterator[str]:
    """Consecutive pieces of ``text`` (joined, they are the text) of about ``size`` characters or more, each but
    the last ending just before a white-space character (``str.isspace``). A text without white space after a
    point is one piece from there."""
    size = CHUNK_CHARS if size is None else size
    start, n = 0, len(text)
    while start < n:
        if n - start <= size:
            yield text[start:]
            return
        space = _SPACE.search(text, start + size)
        end = space.start() if space is not None else n
        yield text[start:end]
        start = end
