"""Plain-text reading with encoding detection; the decoded text is never altered."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path

from tqcheck.errors import InputError
from tqcheck.types import Document

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters that never occur in real prose; tab, LF, CR, FF and VT do.
_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f\v") | {"\x7f"}
_MAX_CONTROL_RATIO = 0.01


def decode_bytes(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    A byte-order mark is consumed (it is not text); nothing else is changed: CRLF, NBSP and every other
    character stay, because every reported offset points into this text.

    Raises:
        InputError: empty, binary or undecodable input.
    """
    if not data.strip(b" \t\r\n\x00") or data in {bom for bom, _ in _BOMS}:
        raise InputError(path, "file is empty", kind="empty")
    text, encoding = _decode(data, path)
    if not text.strip():
        raise InputError(path, "file contains only white space", kind="empty")
    controls = sum(1 for ch in text if ch in _CONTROL)
    if controls and controls / len(text) > _MAX_CONTROL_RATIO:
        raise InputError(
            path,
            f"looks binary ({controls} control characters after decoding as {encoding})",
            kind="binary",
            hint="tqcheck reads plain text, JSONL, TSV, XLIFF and TMX",
        )
    return text, encoding


def _decode(data: bytes, path: Path | str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding + "-bom" if encoding == "utf-8" else encoding
            except UnicodeDecodeError as err:
                raise InputError(path, f"starts with a {encoding} byte-order mark but is not valid {encoding}: {err}",
                                 kind="encoding") from err
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise InputError(path, "looks binary (contains NUL bytes)", kind="binary",
                         hint="tqcheck reads plain text, JSONL, TSV, XLIFF and TMX")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Imported here: only non-UTF-8 input pays for charset detection.
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError(path, "cannot detect the text encoding (not UTF-8, UTF-16 or a known legacy encoding)",
                         kind="encoding", hint="convert the file to UTF-8")
    encoding = _canonical(best.encoding)
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError) as err:
        raise InputError(path, f"cannot decode as {encoding}: {err}", kind="encoding",
                         hint="convert the file to UTF-8") from err


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without BOM has a NUL in every other byte for ASCII-range characters."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _canonical(encoding: str) -> str:
    # GBK and GB2312 are subsets of GB18030: decoding with the superset never loses a character.
    if encoding.lower().replace("-", "").replace("_", "") in {"gbk", "gb2312", "cp936", "gb18030"}:
        return "gb18030"
    return codecs.lookup(encoding).name


def read_bytes(path: Path) -> bytes:
    """The bytes of the file at ``path``.

    Raises:
        InputError: ``not-found``, ``not-a-file`` (a directory) or ``unreadable``.
    """
    try:
        return path.read_bytes()
    except FileNotFoundError as err:
        raise InputError(path, "no such file", kind="not-found") from err
    except IsADirectoryError as err:
        raise InputError(path, "is a directory, expected a file", kind="not-a-file") from err
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror}", kind="unreadable") from err


def jsonl_objects(text: str) -> Iterator[tuple[int, dict[str, object] | str]]:
    """``(line number, object)`` for each non-blank line of JSON-lines ``text``, or ``(line number, problem)``
    for a line that is not a JSON object.

    Splits on LF only (a trailing CR is dropped): a JSON string may legally hold a raw U+2028, which
    str.splitlines() would split.
    """
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.removesuffix("\r")
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            yield number, f"invalid JSON at column {err.colno}: {err.msg}"
            continue
        if not isinstance(obj, dict):
            yield number, f"expected a JSON object, found {type(obj).__name__}"
            continue
        yield number, obj


def read_document(path: Path | str, lang: str | None = None) -> Document:
    """Read a text file as a :class:`Document`, keeping its text exactly as decoded.

    Raises:
        InputError: missing, unreadable, empty, binary or undecodable file.
    """
    path = Path(path)
    data = read_bytes(path)
    text, encoding = decode_bytes(data, path)
    return Document(text=text, lang=lang, path=path, encoding=encoding)
