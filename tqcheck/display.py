"""Showing input-derived strings safely: file names that are not UTF-8, lone surrogates, control characters.

Helpers, one per concern, used by every report format and by the CLI's stderr lines:

* :func:`path_text` — a file name as text that always encodes as UTF-8. A name is bytes on POSIX; Python hands
  the bytes that are not UTF-8 over as surrogate escapes (``'\\udcd6'``), which no UTF-8 writer accepts. Here
  they become visible, reversible ``\\xNN`` escapes (``caf\\xe9.txt``), the rest of the name stays as it is,
  so a UTF-8 name is shown unchanged. (A name that already holds a literal ``\\x`` followed by two hex digits
  looks the same as an escaped byte; :func:`path_bytes` and SARIF's percent-encoded URIs carry the exact
  bytes.)
* :func:`terminal_safe` — text for a terminal line: every character that a terminal acts on instead of
  printing it is shown as an escape (``\\x1b``, ``\\n``, ``\\u202e``): C0 controls (tab, CR and LF included),
  DEL, C1 controls, the bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), the
  line and paragraph separators (U+2028, U+2029), and lone surrogates (``\\udc00``), which cannot be written
  as UTF-8 at all. Printable text, backslashes included, is left alone: it is for reading, not for parsing.
* :func:`error_line` — both at once for the CLI's ``tqcheck: error: <path>: <message>`` lines.

JSON formats need no escaping of controls (JSON escapes them); they write surrogates with
:func:`tqcheck.reports.json.dumps` and names with :func:`path_text`. SARIF URIs percent-encode
:func:`path_bytes`.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import PurePath

# What a terminal interprets: C0 (with \t \n \r), DEL, C1, bidi controls, line/paragraph separators, surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
SURROGATE = re.compile("[\ud800-\udfff]")  # a lone surrogate: a str may hold one, UTF-8 cannot
# No-break spaces look like spaces: a message or fix that holds one says so in words (never as a Python escape).
NO_BREAK_SPACES = re.compile("[\u00a0\u202f\u2007]")
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def escape_char(ch: str) -> str:
    """The escape shown for one character: ``\\t``, ``\\n``, ``\\r``, else ``\\xNN`` (below U+0100) or ``\\uNNNN``."""
    if ch in _SHORT:
        return _SHORT[ch]
    cp = ord(ch)
    return f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every character a terminal would act on (or could not encode) shown as an escape.

    For anything from the input printed to a terminal: excerpts, messages, file names (after :func:`path_text`),
    unit ids, the CLI's ``tqcheck: error: <path>: <message>`` lines. A line break inside ``text`` is escaped
    too, so one input string is always one line of output and cannot forge another.
    """
    return _UNSAFE.sub(lambda m: escape_char(m.group()), text)


class _CharWidths(dict):  # type: ignore[type-arg]
    """Each character's columns, worked out at its first appearance in the process: a text is then measured by
    one dictionary look-up a character in C instead of two ``unicodedata`` calls in Python."""

    def __missing__(self, ch: str) -> int:
        width = 0 if unicodedata.category(ch) in ("Mn", "Me", "Cf") else 2 if unicodedata.east_asian_width(ch) in "WF" \
            else 1
        self[ch] = width
        return width


_CHAR_WIDTHS = _CharWidths()


def cell_width(text: str) -> int:
    """Terminal columns ``text`` takes: 2 for a wide or fullwidth character (CJK, fullwidth punctuation), 0 for a
    combining mark or an invisible format character (zero-width space, joiners), 1 for the rest.

    Measure text as it is printed (after :func:`terminal_safe`): a control character has no width of its own.
    """
    if not text or max(text) < "\u0300":
        # Below U+0300 (ASCII, Latin-1, Latin Extended) every character takes one column but the soft hyphen,
        # a format character: the text report measures every row, and German text is nearly all of this kind.
        return len(text) - text.count("\u00ad")
    return sum(map(_CHAR_WIDTHS.__getitem__, text))


def has_unsafe(text: str) -> bool:
    """Whether :func:`terminal_safe` would change ``text``."""
    return _UNSAFE.search(text) is not None


def surrogates_escaped(text: str) -> str:
    """``text`` with each lone surrogate (which UTF-8 cannot encode) as a visible ``\\udc00``; nothing else changed."""
    return SURROGATE.sub(lambda m: escape_char(m.group()), text)


def path_bytes(path: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> bytes:
    """The file name's bytes, as the operating system has them (``os.fsencode``).

    A string holding a surrogate that is no surrogate escape (``'\\ud800'``, possible only in a name built in
    Python) has no bytes on disk; it is encoded with ``surrogatepass`` so that it still shows, escaped.
    """
    name = os.fspath(path)
    if isinstance(name, bytes):
        return name
    try:
        return os.fsencode(name)
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogatepass")


def path_text(path: str | bytes | PurePath | os.PathLike[str] | None) -> str | None:
    """A file name as text that always encodes as UTF-8: its UTF-8 bytes as they are, any other byte as ``\\xNN``.

    ``os.fsencode(path).decode("utf-8", "backslashreplace")``: ``café.txt`` stays ``café.txt``; the Latin-1
    name ``caf\\xe9.txt`` (Python: ``'caf\\udce9.txt'``) becomes the ten characters ``caf\\xe9.txt``. ``None``
    stays ``None`` (a text given in memory has no file). Control characters are left in (JSON escapes them);
    pass the result through :func:`terminal_safe` for a terminal.
    """
    if path is None:
        return None
    return path_bytes(path).decode("utf-8", "backslashreplace")


def error_line(path: str | bytes | PurePath | os.PathLike[str] | None, message: str) -> str:
    """``<path>: <message>`` as one safe terminal line: what the CLI prints after ``tqcheck: error: ``."""
    where = path_text(path) if path is not None else "<text>"
    return f"{terminal_safe(where)}: {terminal_safe(message)}"


__all__ = ["NO_BREAK_SPACES", "SURROGATE", "cell_width", "error_line", "escape_char", "has_unsafe", "path_bytes",
           "path_text", "surrogates_escaped", "terminal_safe"]
