"""TQ4xx: punctuation and locale conventions of the target language."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache

from tqcheck import langid, numbers, regexcache
from tqcheck.prefilter import from_positions, starts_of
from tqcheck.rules.base import CheckContext, Finding, rule
from tqcheck.types import Category, Severity
from tqcheck.wording import language_name, quote

# Quotation-mark pairs each target language uses; anything else is foreign to it. Straight quotes are
# tolerated everywhere (keyboards produce them) but must still pair up.
QUOTE_PAIRS: dict[str, tuple[tuple[str, str], ...]] = {
    "de": (("„", "“"), ("»", "«"), ("‚", "‘"), ("›", "‹")),
    "en": (("“", "”"), ("‘", "’")),
    "fr": (("«", "»"), ("“", "”")),
    "zh": (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』")),
}
_DEFAULT_QUOTES = (("“", "”"), ("„", "“"), ("«", "»"), ("»", "«"))
_FULLWIDTH = {
    "，": ",", "。": ".", "！": "!", "？": "?", "：": ":", "；": ";", "（": "(", "）": ")", "、": ",",
    "《": "„", "》": "“", "「": "„", "」": "“", "【": "[", "】": "]", "\u3000": " ",
}
_FULLWIDTH_RE = regexcache.compile("[" + "".join(_FULLWIDTH) + "]")
# Each opens with the character class its matches start with and looks behind only after it, so that the regex
# engine jumps from one such character to the next in C instead of trying the look-behind at every position.
# "(?<=L)[ ]+" and "[ ](?<=L[ ])[ ]*" match the same text.
_SPACE_BEFORE = regexcache.compile(
    r"[ \t\u00a0](?<=[^\W_][ \t\u00a0])[ \t\u00a0]*(?=[,;:!?](?:\s|$)|\.(?:\s|$)(?<!\.\.))", re.MULTILINE)
# What every match of _SPACE_BEFORE ends before: a mark right after a space. Marks are much rarer than spaces, so
# the text is scanned for these, and _SPACE_BEFORE is asked only at the start of the spaces before one.
_MARK_AFTER_SPACE = regexcache.compile(r"[,;:!?.](?<=[ \t\u00a0].)")
_SPACES = " \t\u00a0"
_NO_SPACE_AFTER_COMMA = regexcache.compile(r"[,;](?<=[^\W\d_][,;])(?=[^\W\d_])")
_DOUBLE_SPACE = regexcache.compile(r"[ \u00a0](?<=\S[ \u00a0])[ \u00a0]+(?=\S)")
_BRACKETS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _BRACKETS.items()}
_QUOTE_MARK = regexcache.compile(r"[“”„«»]")
_BRACKET_RE = regexcache.compile(r"[()\[\]{}]")
# "1)", "12)", "a)" as the first thing on a line or after an item separator (":", ";", ",", a sentence end,
# "und"/"and"/"oder"/"or"): the places where enumerations put their markers. Once a paragraph has one, the
# other markers of its enumeration ("1) planen 2) handeln") may stand anywhere.
_ANY_MARKER = regexcache.compile(r"(?<!\S)(?:\d{1,2}|[a-zA-Z])\)(?=\s|$)")
_LIST_MARKER = regexcache.compile(r"(?:^[ \t]*|(?:(?<=[:;,.!?])|(?<=\bund)|(?<=\boder)|(?<=\band)|(?<=\bor))[ \t]+)"
                                  r"(?:\d{1,2}|[a-zA-Z])\)(?=\s|$)", re.MULTILINE)


@rule("TQ401", "foreign-quotation-marks", Category.LOCALE, Severity.MINOR, example_pair=("zh", "de"))
def foreign_quotation_marks(ctx: CheckContext) -> Iterator[Finding]:
    """Quotation marks of another language's convention, such as English “…” in a German text.

    Why: German quotes open low and close high („…“ or »…«); “…” and ”…” look foreign to German readers.
    Bad: Das “verdammte Tencent” war gar nicht so schlimm.
    Good: Das „verdammte Tencent“ war gar nicht so schlimm.
    """
    pairs = QUOTE_PAIRS.get(ctx.tgt_lang or "")
    if not pairs:
        return
    open_, close = pairs[0]
    # Where the marks are, found once: most lines have none and are not read again.
    marks = [m.start() for m in _QUOTE_MARK.finditer(ctx.text)]
    if not marks:
        return
    for line in ctx.lines:
        k = bisect_left(marks, line.start)
        if k == len(marks) or marks[k] >= line.end:
            continue
        text = ctx.slice(line)
        for first, start, last, end in _quoted_spans(text):
            if (first, last) in pairs:
                continue
            yield Finding(line.start + start, line.start + end,
                          f"Quotation marks {first}…{last} do not follow the {language_name(ctx.tgt_lang)} "
                          f"convention ({open_}…{close}).",
                          None, replacements=(f"{open_}{text[start + 1:end - 1]}{close}",))


def _quoted_spans(line: str) -> Iterator[tuple[str, int, str, int]]:
    """(opening mark, start, closing mark, end) of each double-quoted stretch of a line, in order.

    A mark opens a quotation only where an opening mark stands (line start or after a space or bracket, before a
    letter); a mark in closing position with nothing open is a stray closer (TQ405's business). German „…“
    closes with the very mark that opens English quotations, so pairing in order, not by character, is what
    keeps "„Ja“, sagte sie. „Nein“" from reading as one foreign “…„ pair.
    """
    opened: tuple[str, int] | None = None
    for match in _QUOTE_MARK.finditer(line):
        i = match.start()
        if opened is not None:
            yield opened[0], opened[1], match.group(), i + 1
            opened = None
        elif (i == 0 or line[i - 1].isspace() or line[i - 1] in "([{–—-/") and i + 1 < len(line) \
                and not line[i + 1].isspace():
            opened = (match.group(), i)


@rule("TQ402", "fullwidth-punctuation", Category.PUNCTUATION, Severity.MINOR, example_pair=("zh", "en"))
def fullwidth_punctuation(ctx: CheckContext) -> Iterator[Finding]:
    """CJK full-width punctuation (，。：（）) in a Latin-script text.

    Why: full-width marks carry their own wide spacing and break the line's rhythm in Latin text;
    MT systems copy them from the Chinese source. Marks next to Chinese text left in the target are part of
    that text (TQ201) and not reported again.
    Bad: Douyin grew fast，and Taobao Live followed.
    Good: Douyin grew fast, and Taobao Live followed.
    """
    if "Latin" not in langid.scripts_of_lang(ctx.tgt_lang):
        return
    text = ctx.text
    for match in _FULLWIDTH_RE.finditer(text):
        i = match.start()
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if langid.HAN_RE.match(before) or langid.HAN_RE.match(after):
            continue
        mark = match.group()
        ascii_mark = _FULLWIDTH[mark]
        name = "An ideographic space" if mark == "\u3000" else f"Full-width {quote(mark)}"
        yield Finding(i, i + 1, f"{name} in a Latin-script text.", None, replacements=(ascii_mark,))


@rule("TQ403", "punctuation-spacing", Category.PUNCTUATION, Severity.MINOR, example_pair=("zh", "en"))
def punctuation_spacing(ctx: CheckContext) -> Iterator[Finding]:
    """A space before a comma, full stop or other mark, a missing space after a comma, or a double space.

    Why: wrong spacing around punctuation is a typical MT and copy-paste artefact and looks careless.
    (French, which spaces before ; : ! ?, is checked for commas and full stops only.)
    Bad: Many users , but few buyers.
    Good: Many users, but few buyers.
    """
    if "Latin" not in langid.scripts_of_lang(ctx.tgt_lang):
        return
    text = ctx.text
    for match in _spaces_before_marks(text):
        mark = text[match.end()]
        if ctx.tgt_lang == "fr" and mark in ";:!?":
            continue
        yield Finding(match.start(), match.end(), f"Space before {quote(mark)}.", None, replacements=("",))
    for match in _NO_SPACE_AFTER_COMMA.finditer(text):
        yield Finding(match.start(), match.end(), f"No space after {quote(match.group())}.", None,
                      replacements=(match.group() + " ",))
    for match in _double_spaces(text):
        yield Finding(match.start(), match.end(), "More than one space between words.", None,
                      replacements=(" ",))


def _spaces_before_marks(text: str) -> Iterator[re.Match[str]]:
    """``_SPACE_BEFORE.finditer(text)``: its matches are the runs of spaces that follow a word character and
    precede a mark (no two overlap, and a run has one start), so each is the anchored match at the start of the
    spaces before a mark, where there is one."""
    for mark in _MARK_AFTER_SPACE.finditer(text):
        start = mark.start() - 1
        while start > 0 and text[start - 1] in _SPACES:
            start -= 1
        match = _SPACE_BEFORE.match(text, start)
        if match is not None:
            yield match


_SPACE_OR_NBSP = " \u00a0"


def _double_spaces(text: str) -> Iterator[re.Match[str]]:
    """``_DOUBLE_SPACE.finditer(text)``: its matches are whole runs of two or more spaces (plain or no-break), and
    such a run starts with two plain spaces or has a no-break space in its first two. Those places are found with
    ``str.find`` and the pattern is tried there only: tried at every space, it read a German text with no-break
    spaces (before "%") at a fifth of the speed of the other spacing tests."""
    starts = set(starts_of("  ", text))
    for at in starts_of("\u00a0", text):
        if at and text[at - 1] in _SPACE_OR_NBSP:
            starts.add(at - 1)
        if at + 1 < len(text) and text[at + 1] in _SPACE_OR_NBSP:
            starts.add(at)
    return from_positions(_DOUBLE_SPACE, sorted(starts), text) if starts else iter(())


@rule("TQ404", "unbalanced-brackets", Category.PUNCTUATION, Severity.MINOR, example_pair=("zh", "en"))
def unbalanced_brackets(ctx: CheckContext) -> Iterator[Finding]:
    """A bracket opened and never closed in its paragraph, or closed without being opened.

    Why: MT often drops one bracket of a pair, and the reader cannot tell where the aside ends.
    A closing bracket that closes an open one always balances it, whatever precedes it ("(Kapitel 12)",
    "(siehe Anhang D)"). A closing bracket with nothing open is a list marker, not an error, when it follows
    a number or letter at the start of a line or item ("1) planen", "Gründe: a) der Preis, b) …"), and so
    is an emoticon such as ":)".
    Bad: Douyin (owned by ByteDance grew fast.
    Good: Douyin (owned by ByteDance) grew fast.
    """
    whole = ctx.text
    for para in ctx.paragraphs:
        if _BRACKET_RE.search(whole, para.span.start, para.span.end) is None:
            continue
        text = ctx.slice(para.span)
        stack: list[tuple[str, int]] = []
        markers: set[int] | None = None  # closing brackets of list markers, found once a closer is unopened
        for match in _BRACKET_RE.finditer(text):
            ch, i = match.group(), match.start()
            if ch in _BRACKETS:
                stack.append((ch, i))
            elif stack and stack[-1][0] == _CLOSERS[ch]:
                stack.pop()
            elif i and text[i - 1] in ":;":
                continue  # an emoticon such as ":)"
            else:
                if markers is None:
                    markers = ({m.end() - 1 for m in _ANY_MARKER.finditer(text)} if _LIST_MARKER.search(text)
                               else set())
                if i in markers:
                    continue
                pos = para.span.start + i
                yield Finding(pos, pos + 1, f"{quote(ch)} closes a bracket that was never opened.",
                              f"Add the opening {quote(_CLOSERS[ch])} or remove {quote(ch)}.")
        for ch, i in stack:
            pos = para.span.start + i
            yield Finding(pos, pos + 1, f"{quote(ch)} is never closed in this paragraph.",
                          f"Add the closing {quote(_BRACKETS[ch])} where the aside ends.")


@lru_cache(maxsize=16)
def _marks_re(chars: str) -> re.Pattern[str]:
    return regexcache.compile("[" + re.escape(chars) + "]")


@rule("TQ405", "unbalanced-quotes", Category.PUNCTUATION, Severity.MINOR)
def unbalanced_quotes(ctx: CheckContext) -> Iterator[Finding]:
    """A quotation mark opened and never closed in its paragraph (or closed without being opened).

    Why: the reader cannot tell where the quotation ends.
    Bad: Das „verdammte Tencent war gar nicht so schlimm.
    Good: Das „verdammte Tencent“ war gar nicht so schlimm.
    """
    pairs = QUOTE_PAIRS.get(ctx.tgt_lang or "", _DEFAULT_QUOTES)
    # A foreign but complete pair (“…” in German) is TQ401's business, not an unbalanced quote.
    pairs = (*pairs, *(p for p in _DEFAULT_QUOTES if p[0] not in {o for o, _ in pairs}))
    # Single quotes double as apostrophes; only double (and angle) quotes can be counted reliably.
    pairs = tuple(p for p in pairs if p[0] not in "‚‘›" and p[1] not in "‘’‹")
    openers = {o: c for o, c in pairs}
    closers = {c for _, c in pairs}
    # Only these characters change the state below: the paragraph is read at them, not at every character.
    marks = _marks_re("".join(sorted({'"', *openers, *closers})))
    whole = ctx.text
    for para in ctx.paragraphs:
        stack: list[tuple[str, int]] = []
        straight: list[int] = []
        base = para.span.start
        for match in marks.finditer(whole, para.span.start, para.span.end):
            ch, i = match.group(), match.start() - base
            if ch == '"':
                straight.append(i)
            elif stack and ch == openers[stack[-1][0]]:
                stack.pop()
            elif ch in openers:
                stack.append((ch, i))
            elif ch in closers:
                pos = para.span.start + i
                yield Finding(pos, pos + 1, f"{quote(ch)} closes a quotation that was never opened.",
                              "Add the opening quotation mark or remove this one.")
        for ch, i in stack:
            pos = para.span.start + i
            yield Finding(pos, pos + 1, f"Quotation opened with {quote(ch)} is never closed in this paragraph.",
                          f"Add the closing {quote(openers[ch])} where the quotation ends.")
        if len(straight) % 2:
            pos = para.span.start + straight[-1]
            yield Finding(pos, pos + 1, "Odd number of straight quotation marks in this paragraph.",
                          "Add the missing quotation mark.")


@rule("TQ406", "number-format", Category.LOCALE, Severity.MINOR)
def number_format(ctx: CheckContext) -> Iterator[Finding]:
    """A number written with another language's decimal mark, digit grouping or percent spacing.

    Why: "1.5 Millionen" reads as one and a half thousand million to nobody, but as a typo to every German
    reader; German writes 1,5 Millionen, 1.500 and 30 %, English 1.5 million, 1,500 and 30%. Digits grouped
    with a plain space ("41 530") may break at a line end; German also sets a space in "7.45 Uhr" and
    "3. Oktober".
    Bad: Die Plattform hat 1.5 Millionen Nutzer.
    Good: Die Plattform hat 1,5 Millionen Nutzer.
    """
    mentions = numbers.extract_numbers(ctx.text, ctx.tgt_lang, scan=ctx.scan)
    for problem in numbers.check_format(mentions, ctx.text, ctx.tgt_lang):
        # The replacement says what to write; a no-break space in it is named by the message and the renderers.
        yield Finding(problem.span.start, problem.span.end, problem.message, None,
                      replacements=(problem.suggestion,))


RULES = (foreign_quotation_marks, fullwidth_punctuation, punctuation_spacing, unbalanced_brackets, unbalanced_quotes,
         number_format)
