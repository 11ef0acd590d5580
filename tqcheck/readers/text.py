"""Plain-text reading with encoding detection; the decoded text is never altered.

How bytes become text (:func:`decode_bytes`), in this order:

1. A byte-order mark names the encoding (UTF-8, UTF-16, UTF-32), and the rest must be valid in it.
2. UTF-16 without a byte-order mark is recognised by its NUL bytes in every other position.
3. Other NUL bytes: binary.
4. Valid UTF-8 is UTF-8.
5. Not valid UTF-8: the bytes are measured (:func:`utf8_evidence`). Of the non-ASCII sequences (each valid UTF-8
   character of two to four bytes, and each invalid sequence as the UTF-8 decoder reports it), if **at least
   half** (:data:`DAMAGED_UTF8_SHARE`) are valid UTF-8, the file is UTF-8 with damaged bytes: an
   ``encoding`` error that counts the invalid bytes and names the first places (line and byte offset). Such a
   file is never re-decoded in a legacy charset: that turns every correct character into mojibake, and the
   checks then find fewer problems in a worse text. Measured: text written in a legacy encoding has a share of
   0 (Latin, Cyrillic, Greek single-byte code pages: a byte above 0x7F between ASCII letters is never valid
   UTF-8) to 0.25 (GBK, GB18030, Big5, Shift_JIS, EUC-JP, EUC-KR: some double-byte characters happen to be valid
   UTF-8); UTF-8 articles with 1 to 10 damaged characters measure 0.6 to 1.0, most of them above 0.9.
6. Otherwise a legacy encoding is accepted only with strong evidence: charset-normalizer's best match decodes
   the **whole** file without an error, its mess ratio is at most :data:`MAX_MESS` (0.1; clean legacy text
   measures 0.0 to 0.06, wrong guesses 0.1 and up), and, when the file's language is known (given, or named by
   the file name: ``x.de.txt``), at least :data:`MIN_SCRIPT_SHARE` (80 %) of its non-ASCII letters are in that
   language's script (Han for zh, Han and kana for ja, Hangul and Han for ko, Cyrillic for ru, Latin for de…).
   A single-byte code page (cp1252, cp1251, Mac Roman…) must moreover leave the valid UTF-8 share under
   :data:`SINGLE_BYTE_MAX_UTF8_SHARE` (0.2): in such text a valid UTF-8 sequence is a coincidence (``ß“`` is the
   bytes DF 93; real articles measure 0.0, a German text with ``groß“`` in every sentence 0.125), so a file with a
   few UTF-8 curly quotes beside cp1252 ones (0.33) is damaged UTF-8, not Mac Icelandic. Anything else is an
   ``encoding`` error that says what was found.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from tqcheck import regexcache
from tqcheck.errors import InputError
from tqcheck.readers.paths import langs_from_name
from tqcheck.types import Document

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters that never occur in real prose; tab, LF, CR, FF and VT do.
# C0 controls but the white-space ones (\t \n \v \f \r), and DEL.
_CONTROL = regexcache.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MAX_CONTROL_RATIO = 0.01

DAMAGED_UTF8_SHARE = 0.5
SINGLE_BYTE_MAX_UTF8_SHARE = 0.2
MAX_MESS = 0.1
MIN_SCRIPT_SHARE = 0.8
_PLACES_SHOWN = 3
_SAVE_AS_UTF8 = "fix or re-save the file as UTF-8"


def decode_bytes(data: bytes, path: Path | str = "<bytes>", *, lang: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``, by the rule in the module docstring.

    A byte-order mark is consumed (it is not text); nothing else is changed: CRLF, NBSP and every other
    character stay, because every reported offset points into this text. ``lang`` is the language the text
    should be in, where known: a legacy-encoding guess must give text in its script.

    Raises:
        InputError: empty, binary or undecodable input (kind ``empty``, ``binary`` or ``encoding``).
    """
    if not data.strip(b" \t\r\n\x00") or data in {bom for bom, _ in _BOMS}:
        raise InputError(path, "file is empty", kind="empty")
    text, encoding = _decode(data, path, lang)
    if not text.strip():
        raise InputError(path, "file contains only white space", kind="empty")
    controls = len(_CONTROL.findall(text))
    if controls and controls / len(text) > _MAX_CONTROL_RATIO:
        raise InputError(
            path,
            f"looks binary ({controls} control characters after decoding as {encoding})",
            kind="binary",
            hint="tqcheck reads plain text, JSONL, TSV, XLIFF and TMX",
        )
    return text, encoding


def _decode(data: bytes, path: Path | str, lang: str | None) -> tuple[str, str]:
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
    evidence = utf8_evidence(data)
    if evidence.valid_share >= DAMAGED_UTF8_SHARE:
        raise InputError(path, f"not valid UTF-8: {evidence.describe(data)}", kind="encoding", hint=_SAVE_AS_UTF8)
    return _legacy(data, path, lang, evidence)


class Utf8Evidence(NamedTuple):
    """How much of a file's non-ASCII content is valid UTF-8: ``valid`` multibyte characters, and the
    ``invalid`` sequences as ``(start, end)`` byte ranges (each as the UTF-8 decoder reports it)."""

    valid: int
    invalid: tuple[tuple[int, int], ...]

    @property
    def valid_share(self) -> float:
        """The share of the non-ASCII sequences that are valid UTF-8 (1.0 for valid UTF-8)."""
        total = self.valid + len(self.invalid)
        return self.valid / total if total else 1.0

    def places(self) -> list[tuple[int, int]]:
        """The invalid byte ranges with adjacent ones merged: one damaged place each."""
        merged: list[tuple[int, int]] = []
        for start, end in self.invalid:
            if merged and merged[-1][1] == start:
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        return merged

    def describe(self, data: bytes) -> str:
        """``1 invalid byte at line 3 (byte offset 1234)``, or ``5 invalid bytes in 4 places: line 3 (byte offset
        1234), … and 1 more``."""
        places = self.places()
        count = sum(end - start for start, end in self.invalid)
        noun = "byte" if count == 1 else "bytes"
        shown = ", ".join(f"line {_line_of(data, start)} (byte offset {start})" for start, _ in places[:_PLACES_SHOWN])
        if len(places) == 1:
            return f"{count} invalid {noun} at {shown}"
        more = f" and {len(places) - _PLACES_SHOWN} more" if len(places) > _PLACES_SHOWN else ""
        return f"{count} invalid {noun} in {len(places)} places: {shown}{more}"


def utf8_evidence(data: bytes) -> Utf8Evidence:
    """Measure ``data`` as UTF-8 (the C decoder does the work; only the invalid places cost Python calls)."""
    invalid: list[tuple[int, int]] = []
    _measuring.invalid = invalid
    try:
        text = data.decode("utf-8", _HANDLER)
    finally:
        del _measuring.invalid
    return Utf8Evidence(len(text) - len(text.encode("ascii", "ignore")), tuple(invalid))


def _record_invalid(err: UnicodeError) -> tuple[str, int]:
    assert isinstance(err, UnicodeDecodeError)
    _measuring.invalid.append((err.start, err.end))
    return "", err.end


# An error handler is global and cannot be unregistered: one for the module, recording per thread.
_HANDLER = "tqcheck-utf8-evidence"
_measuring = threading.local()
codecs.register_error(_HANDLER, _record_invalid)


def _line_of(data: bytes, offset: int) -> int:
    """1-based line of byte ``offset``; CR, LF and CRLF end lines (as :meth:`Document.line_col` counts them)."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _legacy(data: bytes, path: Path | str, lang: str | None, evidence: Utf8Evidence) -> tuple[str, str]:
    """A legacy encoding, only with the evidence the module docstring asks for."""
    not_utf8 = f"not valid UTF-8 ({evidence.describe(data)})"
    # Imported here: only non-UTF-8 input pays for charset detection.
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError(path, f"{not_utf8}, and no legacy encoding fits it", kind="encoding", hint=_SAVE_AS_UTF8)
    encoding = _canonical(best.encoding)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as err:
        raise InputError(path, f"{not_utf8}, and the legacy encoding that fits best ({encoding}) cannot decode "
                               f"it: {err}", kind="encoding", hint=_SAVE_AS_UTF8) from err
    text, encoding = _latin_code_page(data, text, encoding, lang)
    if evidence.valid_share >= SINGLE_BYTE_MAX_UTF8_SHARE and _single_byte(encoding):
        raise InputError(path, f"not valid UTF-8: {evidence.describe(data)}", kind="encoding", hint=_SAVE_AS_UTF8)
    if best.chaos > MAX_MESS:
        raise InputError(path, f"{not_utf8}, and the legacy encoding that fits best ({encoding}) gives garbled text "
                               f"(mess ratio {best.chaos:.2f} > {MAX_MESS})", kind="encoding", hint=_SAVE_AS_UTF8)
    expected = _LANG_SCRIPTS.get((lang or "").lower().replace("_", "-").split("-")[0])
    if expected:
        scripts = _scripts(text)
        letters = sum(scripts.values())
        if letters and sum(scripts[s] for s in expected) < MIN_SCRIPT_SHARE * letters:
            found = scripts.most_common(1)[0][0]
            want = " or ".join(sorted(expected))
            raise InputError(path, f"{not_utf8}, and the legacy encoding that fits best ({encoding}) gives {found} "
                                   f"script, not the {want} script of {lang!r}", kind="encoding",
                             hint=f"if it is a {lang!r} text, save it as UTF-8")
    return text, encoding


_LATIN = ("Latin",)
_LANG_SCRIPTS: dict[str, tuple[str, ...]] = {
    "zh": ("Han",), "ja": ("Han", "Kana"), "ko": ("Hangul", "Han"),
    "ru": ("Cyrillic",), "uk": ("Cyrillic",), "bg": ("Cyrillic",), "be": ("Cyrillic",), "mk": ("Cyrillic",),
    "kk": ("Cyrillic",), "sr": ("Cyrillic", "Latin"), "el": ("Greek",), "he": ("Hebrew",), "yi": ("Hebrew",),
    "ar": ("Arabic",), "fa": ("Arabic",), "ur": ("Arabic",), "th": ("Thai",), "hi": ("Devanagari",),
    **dict.fromkeys(["en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sk", "sl", "hr", "bs", "sv", "da", "no",
                     "nb", "nn", "fi", "et", "lv", "lt", "hu", "ro", "tr", "is", "ga", "cy", "mt", "sq", "ca", "eu",
                     "gl", "vi", "id", "ms", "tl", "sw", "af", "az", "uz"], _LATIN),
}
_SCRIPT_PREFIXES = (
    ("LATIN", "Latin"), ("CJK", "Han"), ("HIRAGANA", "Kana"), ("KATAKANA", "Kana"), ("HANGUL", "Hangul"),
    ("CYRILLIC", "Cyrillic"), ("GREEK", "Greek"), ("HEBREW", "Hebrew"), ("ARABIC", "Arabic"), ("THAI", "Thai"),
    ("DEVANAGARI", "Devanagari"),
)


def _scripts(text: str) -> Counter[str]:
    """Non-ASCII letters by script (from their Unicode names: "LATIN SMALL LETTER A WITH DIAERESIS" is Latin).
    Fullwidth and halfwidth forms count as the script they stand for."""
    counts: Counter[str] = Counter()
    for ch in set(text):
        if ch.isascii() or not ch.isalpha():
            continue
        name = unicodedata.name(ch, "").removeprefix("FULLWIDTH ").removeprefix("HALFWIDTH ")
        script = next((s for prefix, s in _SCRIPT_PREFIXES if name.startswith(prefix)), "other")
        counts[script] += text.count(ch)
    return counts


# The Latin-script code pages: the detector often cannot tell them apart. A German text without Š or Ž decodes
# the same in cp1250 and cp1252, and a Polish one in cp1250 can score better as cp1252 ("Za¿ó³æ" for "Zażółć").
# Among them, the one that gives the fewest stray symbols wins; on a tie (the same text), the one such a text is
# usually saved in: cp1252 for Western languages, cp1250 for Central European ones.
_CENTRAL_EUROPEAN = frozenset({"pl", "cs", "sk", "sl", "hr", "bs", "sr", "hu", "ro", "sq"})
_WESTERN_CODE_PAGES = ("cp1252", "iso8859_15", "latin_1", "cp1250", "iso8859_2")
_CENTRAL_CODE_PAGES = ("cp1250", "iso8859_2", "cp1252", "iso8859_15", "latin_1")
# Non-letters that Western and Central European prose really uses (dashes, quotes, currency, ©…).
_TYPOGRAPHIC = frozenset("\xa0–—‒„“”‚‘’«»‹›…•·°§©®™€£¥¢×÷±")


_SUPERSCRIPT_INSIDE_WORD = regexcache.compile(r"(?<=[^\W\d_])[¹²³](?=[^\W\d_])")


def _stray_symbols(text: str) -> int:
    """Non-letters that prose hardly uses, as a wrong code page makes of letters (ł → ³, ż → ¿, ą → ¹).
    A superscript digit counts only inside a word: m², km³ and footnote marks¹ are real."""
    odd = sum(1 for ch in text if not ch.isascii() and not ch.isalpha() and ch not in _TYPOGRAPHIC
              and ch not in "¹²³")
    return odd + len(_SUPERSCRIPT_INSIDE_WORD.findall(text))


def _latin_code_page(data: bytes, text: str, encoding: str, lang: str | None) -> tuple[str, str]:
    """The decoding of ``data`` in the Latin code page that fits it best (``text``, ``encoding`` if none does)."""
    if encoding not in _WESTERN_CODE_PAGES:
        return text, encoding
    base = (lang or "").lower().replace("_", "-").split("-")[0]
    order = _CENTRAL_CODE_PAGES if base in _CENTRAL_EUROPEAN else _WESTERN_CODE_PAGES
    best: tuple[tuple[int, bool, int], str, str] | None = None
    for rank, candidate in enumerate(order):
        try:
            decoded = text if candidate == encoding else data.decode(candidate)
        except UnicodeDecodeError:
            continue
        stray = _stray_symbols(decoded)
        # Equally clean but different texts: the detector's letter statistics decide, not the usual name.
        key = (stray, decoded != text, rank)
        if best is None or key < best[0]:
            best = (key, decoded, candidate)
    assert best is not None  # ``encoding`` itself decodes ``data``
    return best[1], best[2]


def _single_byte(encoding: str) -> bool:
    """Whether ``encoding`` maps each byte to one character (a code page), unlike GBK, Big5 or Shift_JIS."""
    return len(bytes(range(256)).decode(encoding, "replace")) == 256


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
        except RecursionError:
            yield number, "invalid JSON: nested too deeply (arrays or objects inside each other)"
            continue
        except ValueError as err:  # an integer longer than sys.get_int_max_str_digits()
            digits = re.search(r"value has (\d+) digits", str(err))
            yield number, (f"invalid JSON: an integer of {int(digits.group(1)):,} digits (Python reads at most "
                           f"{sys.get_int_max_str_digits():,})" if digits else f"invalid JSON: {err}")
            continue
        if not isinstance(obj, dict):
            yield number, f"expected a JSON object, found {type(obj).__name__}"
            continue
        yield number, obj


def read_document(path: Path | str, lang: str | None = None) -> Document:
    """Read a text file as a :class:`Document`, keeping its text exactly as decoded.

    ``lang`` (else the language the file name names) is what a legacy-encoding guess must fit.

    Raises:
        InputError: missing, unreadable, empty, binary or undecodable file.
    """
    path = Path(path)
    data = read_bytes(path)
    text, encoding = decode_bytes(data, path, lang=lang or langs_from_name(path)[1])
    return Document(text=text, lang=lang, path=path, encoding=encoding)

