"""Inline codes: software placeholders and HTML-like tags found in a text, and the masking that hides codes
from prose rules.

Patterns :func:`find_placeholders` recognises (earliest match wins, then the longest; matches never overlap):

* printf: ``%s``, ``%d``, ``%5.2f``, ``%-10s``, ``%ld``, ``%@`` and positional ``%1$s``; Python's named
  ``%(name)s``. ``%%`` is a literal percent sign, not a placeholder. To keep prose out, a ``%`` right after a
  digit or a letter is no placeholder unless it is positional or named ("100%ig", "100%s" are prose), and the
  space flag is not accepted ("50 % des", "100% sure" read ``% d``/``% s`` otherwise).
* braces: ``{0}``, ``{name}``, ``{user.name}``, ``{0:d}``, ``{}`` (Python ``str.format``, .NET, ICU simple
  arguments). A format spec has no spaces and at most 20 characters. A brace right after a letter, digit or
  backslash, and the arguments of a TeX command, are TeX or a regex quantifier (``\\frac{a}{b}``, ``a{2}``),
  not placeholders; set notation with commas (``{1, 2, 3}``) never matches.
* Qt's numbered arguments ``%1`` … ``%99`` and ``%L1`` (``QString::arg``), not after a letter, digit or ``%``
  and not followed by a letter or digit ("50%1" and "%1s" are no Qt arguments).
* ``{{var}}`` (Handlebars, Jinja, Angular; spaces inside allowed) and ``${var}`` (JavaScript templates, shell).
* HTML-like tags: ``<b>``, ``</b>``, ``<br/>``, ``<br>``, ``<a href="…">``. Only known HTML element names (or
  custom elements, which contain a hyphen) count, and attributes must have a value: ``a <b and c> d`` and
  comparisons such as ``x < y`` or ``<<:`` are prose. Void elements (``br``, ``img``, ``hr`` …) and
  self-closing tags are standalone codes; other tags are open or close codes paired by element name.

Not recognised: ICU plural/select messages (their simple ``{arg}`` parts are), HTML entities (``&nbsp;``).
"""

from __future__ import annotations

from collections.abc import Iterable

from tqcheck import prefilter, regexcache
from tqcheck.prefilter import ScanText
from tqcheck.types import Document, InlineCode, Span

#: What masked code characters become: U+FFFC OBJECT REPLACEMENT CHARACTER, a symbol (Unicode So) that is no
#: letter, digit, space or punctuation for any rule (``\w``, ``\s``, ``str.isalnum`` and every rule's
#: punctuation classes reject it), so prose rules see an opaque object where the code stands.
MASK = "\ufffc"

_ELEMENT_NAMES = """
a abbr acronym address area article aside audio b base bdi bdo big blockquote body br button caption center cite
code col colgroup data dd del details dfn div dl dt em embed figcaption figure font footer form h1 h2 h3 h4 h5 h6
head header hr html i iframe img input ins kbd label legend li link main mark meta nav ol optgroup option p param
picture pre q rp rt ruby s samp section select small source span strike strong sub summary sup table tbody td
template textarea tfoot th thead time tr track tt u ul var video wbr
"""
_HTML_ELEMENTS = frozenset(_ELEMENT_NAMES.split())
_VOID_NAMES = "area base br col embed hr img input link meta param source track wbr"
_VOID_ELEMENTS = frozenset(_VOID_NAMES.split())

_PRINTF = (r"%(?:(?P<pos>[1-9]\d*)\$|\((?P<key>[A-Za-z_]\w*)\))?[-+0#']*(?:\d+|\*)?(?:\.(?:\d+|\*))?"
           r"(?:hh|h|ll|l|L|q|j|z|t)?(?P<conv>[diouxXeEfFgGaAcspr@])")
_ATTR = r"""\s+[A-Za-z_:][\w:.-]*\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'=<>`]+)"""
_TAG = rf"<(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)(?P<attrs>(?:{_ATTR})*)\s*(?P<self>/)?>"
_QT = regexcache.compile(r"(?<![\w%])%L?[1-9]\d?(?![\w$])")
_TEX_BEFORE = regexcache.compile(r"\\[A-Za-z]+(?:\{[^{}]*\})*\Z")
_PATTERNS = (
    ("printf", regexcache.compile(r"%%|" + _PRINTF)),
    ("qt", _QT),
    ("mustache", regexcache.compile(r"\{\{\s*[A-Za-z_][\w.-]*\s*\}\}")),
    ("dollar", regexcache.compile(r"\$\{[A-Za-z_][\w.]*\}")),
    ("brace", regexcache.compile(r"(?<![\w\\$])\{(?:\d+|[A-Za-z_]\w*(?:\.\w+)*)?(?::[^{}\s]{1,20})?\}")),
    ("tag", regexcache.compile(_TAG)),
)


def placeholder_family(native: str) -> str:
    """The syntax family of a placeholder's text: ``printf``, ``named`` (``%(x)s``), ``qt``, ``brace``, ``mustache``,
    ``dollar``; placeholders of one family can stand for each other, so one changed into another is a change."""
    if native.startswith("%("):
        return "named"
    if _QT.fullmatch(native):
        return "qt"
    if native.startswith("%"):
        return "printf"
    if native.startswith("{{"):
        return "mustache"
    if native.startswith("${"):
        return "dollar"
    return "brace"


def is_positional(native: str) -> bool:
    """Whether a placeholder names its argument (``%1$s``, ``%(n)s``, ``%1``, ``{0}``, ``{name}``, ``{{x}}``, ``${x}``):
    such placeholders may be reordered freely; unnumbered printf ones (``%s``, ``%d``) and ``{}`` may not."""
    if native == "{}":
        return False
    return not native.startswith("%") or native.startswith("%(") or "$" in native or bool(_QT.fullmatch(native))


def _candidates(text: str) -> Iterable[tuple[int, int, InlineCode]]:
    scan = ScanText(text)
    for family, pattern in _PATTERNS:
        for m in prefilter.finditer(pattern, text, scan):
            start, end = m.span()
            native = m.group()
            if family == "printf":
                if native == "%%":  # a literal "%": matched so that "%%d" is no "%d"
                    continue
                if not (m.group("pos") or m.group("key")) and start and text[start - 1].isalnum():
                    continue
                yield start, end, InlineCode(Span(start, end), "placeholder", native=native)
            elif family == "tag":
                name = m.group("name").lower()
                if name not in _HTML_ELEMENTS and "-" not in name:
                    continue
                if m.group("close"):
                    if m.group("attrs") or m.group("self"):
                        continue
                    kind = "close"
                elif m.group("self") or name in _VOID_ELEMENTS:
                    kind = "standalone"
                else:
                    kind = "open"
                yield start, end, InlineCode(Span(start, end), kind, element=name, native=native)
            else:
                if family == "brace" and _TEX_BEFORE.search(text, max(0, start - 80), start):
                    continue  # a TeX argument: \\frac{a}{b}
                yield start, end, InlineCode(Span(start, end), "placeholder", native=native)


def find_placeholders(text: str) -> tuple[InlineCode, ...]:
    """Placeholders and HTML-like tags in ``text`` (see the module docstring for the patterns), in text order."""
    kept: list[tuple[int, int, InlineCode]] = []
    for cand in sorted(_candidates(text), key=lambda c: (c[0], -c[1])):
        if not kept or cand[0] >= kept[-1][1]:
            kept.append(cand)
    return tuple(code for _, _, code in kept)


def _clashes(code: InlineCode, own: Iterable[InlineCode]) -> bool:
    s = code.span
    for other in own:
        o = other.span
        if s.overlaps(o) or (o.start == o.end and s.start < o.start < s.end):
            return True
    return False


def document_codes(doc: Document) -> tuple[InlineCode, ...]:
    """The document's own codes (a reader's tags) and the placeholders found outside them, in text order."""
    own = doc.codes
    found = [c for c in find_placeholders(doc.text) if not _clashes(c, own)]
    return tuple(sorted((*own, *found), key=lambda c: (c.span.start, c.span.end)))


def mask(text: str, codes: Iterable[InlineCode]) -> str:
    """``text`` with every character of every code replaced by :data:`MASK`: same length, same offsets."""
    pieces: list[str] = []
    done = 0  # text[:done] is in pieces
    for code in sorted(codes, key=lambda c: c.span.start):
        start, end = max(code.span.start, done), min(code.span.end, len(text))
        if start >= end:
            continue
        pieces += (text[done:start], MASK * (end - start))
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def code_label(code: InlineCode, text: str | None = None) -> str:
    """How a message names a code: its text in the document (``<1>``, ``%s``), else its native text or id."""
    if text is not None and code.span.end > code.span.start:
        return text[code.span.start:code.span.end]
    return code.native or (f"<{code.id}>" if code.id else code.kind)


__all__ = ["MASK", "code_label", "document_codes", "find_placeholders", "is_positional", "mask",
           "placeholder_family"]
