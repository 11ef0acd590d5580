"""TQ8xx: inline codes — the tags of bilingual units and the software placeholders — kept as in the source.

Codes come from :attr:`CheckContext.codes` (the reader's tags plus the placeholders and HTML-like tags
:func:`tqcheck.inline.find_placeholders` finds). A tag is identified by its ``id`` (XLIFF, TMX) or, for an
HTML-like tag found in the text, by its element name; a placeholder by its text. These rules read the real
texts (``raw_target``, ``raw_source``): prose rules see the codes masked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from tqcheck.inline import code_label, is_positional, placeholder_family
from tqcheck.rules.base import WORD_RE, CheckContext, Finding, rule
from tqcheck.types import Category, InlineCode, Severity, Span

# Languages written without spaces between words: whitespace around a tag says nothing there.
_SPACELESS = {"zh", "ja", "th", "ko"}
# Elements that stand alone by design even when the reader marks them open or close (XLIFF 1.2 isolated tags).
_ISOLATED = {"it"}


def _tags(codes: Sequence[InlineCode]) -> list[InlineCode]:
    return [c for c in codes if c.kind != "placeholder"]


def _placeholders(codes: Sequence[InlineCode]) -> list[InlineCode]:
    return [c for c in codes if c.kind == "placeholder"]


def _key(code: InlineCode) -> str:
    """What pairs an open code with its close code and a target code with its source code."""
    return code.id if code.id is not None else f"<{(code.element or '').lower()}>"


def _label(code: InlineCode, text: str) -> str:
    return code_label(code, text)


def _pair_label(open_: InlineCode, close: InlineCode | None, text: str) -> str:
    return f"{_label(open_, text)}…{_label(close, text)}" if close is not None else _label(open_, text)


def _balance(codes: Sequence[InlineCode]) -> tuple[list[tuple[InlineCode, InlineCode | None]],
                                                    list[tuple[InlineCode, str, str]]]:
    """Paired tags matched by a stack: the ``(open, close)`` pairs (standalone codes as ``(code, None)``) and the
    problems ``(code, what, key)``: a close without an open, a close that closes an outer tag before an inner
    one, an open never closed."""
    pairs: list[tuple[InlineCode, InlineCode | None]] = []
    problems: list[tuple[InlineCode, str, str]] = []
    stack: list[InlineCode] = []
    crossed: list[InlineCode] = []  # opens closed out of order: reported once, their closes pair silently
    for code in _tags(codes):
        if code.kind == "standalone" or code.element in _ISOLATED:
            pairs.append((code, None))
        elif code.kind == "open":
            stack.append(code)
        elif stack and _key(stack[-1]) == _key(code):
            pairs.append((stack.pop(), code))
        elif any(_key(o) == _key(code) for o in stack):
            while _key(stack[-1]) != _key(code):
                inner = stack.pop()
                crossed.append(inner)
                problems.append((inner, "crossed", _key(inner)))
            pairs.append((stack.pop(), code))
        elif any(_key(o) == _key(code) for o in crossed):
            inner = next(o for o in crossed if _key(o) == _key(code))
            crossed.remove(inner)
            pairs.append((inner, code))
        else:
            problems.append((code, "unopened", _key(code)))
    problems += [(code, "unclosed", _key(code)) for code in stack]
    return pairs, problems


def _aligned_offset(ctx: CheckContext, offset: int) -> int:
    """Where in the target a source offset lands: the same relative place in the aligned target sentences."""
    assert ctx.source is not None
    for pair in ctx.links:
        s, t = pair.source, pair.target
        if s is not None and t is not None and s.start <= offset <= s.end:
            share = (offset - s.start) / max(1, s.end - s.start)
            return t.start + round(share * (t.end - t.start))
    share = offset / max(1, len(ctx.source.text))
    return round(share * len(ctx.text))


def _word_near(text: str, pos: int, *, after: bool = True) -> Span:
    """The word containing ``pos`` (as a start: ``after``; as an end: not ``after``), else the first word after it
    (``after``) or the last before it."""
    words = [m.span() for m in WORD_RE.finditer(text)]
    if not words:
        stripped = text.rstrip()
        end = len(stripped) or len(text)
        return Span(max(0, end - 1), end)
    for start, end in words:
        if (start <= pos < end) if after else (start < pos <= end):
            return Span(start, end)
    if after:
        later = [w for w in words if w[0] >= pos]
        start, end = later[0] if later else words[-1]
    else:
        earlier = [w for w in words if w[1] <= pos]
        start, end = earlier[-1] if earlier else words[0]
    return Span(start, end)


def _where_missing(ctx: CheckContext, source_span: Span) -> Span:
    """The target words a source range (a missing tag pair or placeholder) corresponds to, by the alignment."""
    first = _word_near(ctx.raw_text, _aligned_offset(ctx, source_span.start))
    if source_span.end - source_span.start <= 1:
        return first
    last = _word_near(ctx.raw_text, _aligned_offset(ctx, source_span.end), after=False)
    return Span(first.start, max(first.end, last.end)) if last.start >= first.start else first


@rule("TQ801", "missing-tag", Category.MARKUP, Severity.MAJOR, needs_source=True, example_pair=("en", "de"))
def missing_tag(ctx: CheckContext) -> Iterator[Finding]:
    """A tag of the source (a pair such as <b>…</b>, or a standalone <br/>) that the target does not have.

    Why: the formatting, link or line break the tag carries is lost in the translated file or page — a link
    that no longer links, a warning no longer bold. Major: the content reads, but not as designed. The issue
    points at the target words the tag's place aligns with. (A pair of which one tag is left is TQ804's.)
    Bad: Click <b>Save</b> to keep your changes. => Klicken Sie auf Speichern, um Ihre Änderungen zu behalten.
    Good: Click <b>Save</b> to keep your changes. => Klicken Sie auf <b>Speichern</b>, um Ihre Änderungen zu behalten.
    """
    source_text = ctx.raw_source.text if ctx.raw_source is not None else ""
    target_keys = Counter((_key(c), c.kind) for c in _tags(ctx.codes))
    pairs, _ = _balance(ctx.source_codes)
    # The last source pairs of a key are the ones reported missing when the target has fewer of them.
    seen: Counter[tuple[str, str]] = Counter()
    for open_, close in reversed(pairs):
        key = (_key(open_), open_.kind)
        seen[key] += 1
        if seen[key] <= target_keys[key]:
            continue
        if close is not None and target_keys[(_key(close), "close")] >= seen[key]:
            continue  # the close is there: an unbalanced pair, TQ804's business
        label = _pair_label(open_, close, source_text)
        span = Span(open_.span.start, (close or open_).span.end)
        where = _where_missing(ctx, span)
        yield Finding(where.start, where.end, f"Tag {label} of the source is missing from the target.",
                      f"Put {label} back where it belongs (about here, by the alignment).", source_span=span)


@rule("TQ802", "added-tag", Category.MARKUP, Severity.MAJOR, needs_source=True, example_pair=("en", "de"))
def added_tag(ctx: CheckContext) -> Iterator[Finding]:
    """A tag in the target that the source does not have.

    Why: a tag id the source does not know makes the file fail to merge back (XLIFF and TMX tools reject it), and
    an HTML tag of one's own changes the page's formatting. Major. A pair is reported once, at its opening tag.
    Bad: Click Save to keep your changes. => Klicken Sie auf <b>Speichern</b>, um Ihre Änderungen zu behalten.
    Good: Click Save to keep your changes. => Klicken Sie auf Speichern, um Ihre Änderungen zu behalten.
    """
    source_keys = {_key(c) for c in _tags(ctx.source_codes)}
    for code in _tags(ctx.codes):
        if _key(code) in source_keys or (code.kind == "close" and any(
                _key(c) == _key(code) and c.kind == "open" for c in ctx.codes)):
            continue
        label = _label(code, ctx.raw_text)
        yield Finding(*_code_span(code, ctx.raw_text), f"Tag {label} is not in the source.",
                      f"Remove {label}, or use the source's tags.")


@rule("TQ803", "duplicated-tag", Category.MARKUP, Severity.MAJOR, needs_source=True, example_pair=("en", "de"))
def duplicated_tag(ctx: CheckContext) -> Iterator[Finding]:
    """A tag of the source that the target has more often than the source.

    Why: a tag id used twice makes the file invalid for the tool that merges it back; a doubled HTML tag
    doubles a link or an image. Major. The extra occurrences are reported (a pair once, at its opening tag).
    Bad: Read <a href="t.html">the terms</a>. => Lesen Sie <a href="t.html">die</a> <a href="t.html">Bedingungen</a>.
    Good: Read <a href="t.html">the terms</a>. => Lesen Sie <a href="t.html">die Bedingungen</a>.
    """
    source = Counter((_key(c), c.kind) for c in _tags(ctx.source_codes))
    tags = _tags(ctx.codes)
    target = Counter((_key(c), c.kind) for c in tags)
    seen: Counter[tuple[str, str]] = Counter()
    for code in tags:
        key = (_key(code), code.kind)
        seen[key] += 1
        if code.kind == "close" or not source[key] or seen[key] <= source[key]:
            continue
        if code.kind == "open" and target[(key[0], "close")] - source[(key[0], "close")] < seen[key] - source[key]:
            continue  # no extra close goes with it: an unbalanced pair, TQ804's business
        label = _label(code, ctx.raw_text)
        yield Finding(*_code_span(code, ctx.raw_text),
                      f"Tag {label} appears {target[key]} times; the source has it "
                      f"{source[key]} time{'s' if source[key] != 1 else ''}.",
                      f"Remove the extra {label}.")


@rule("TQ804", "broken-tag-pair", Category.MARKUP, Severity.CRITICAL, example_pair=("en", "de"))
def broken_tag_pair(ctx: CheckContext) -> Iterator[Finding]:
    """A paired tag opened and never closed, closed without being opened, or closed across another pair.

    Why: <b>…</i> or <1>…</2></1> is malformed markup: the file fails to merge back or the page breaks (the
    rest of it bold, a link that swallows the text). Critical: the product does not work as delivered. A pair
    that is already unbalanced in the source (an isolated tag) is not reported.
    Bad: Click <b>Save</b> to keep your changes. => Klicken Sie auf <b>Speichern, um Ihre Änderungen zu behalten.
    Good: Click <b>Save</b> to keep your changes. => Klicken Sie auf <b>Speichern</b>, um Ihre Änderungen zu behalten.
    """
    _, source_problems = _balance(ctx.source_codes)
    tolerated = {key for _, _, key in source_problems}
    _, problems = _balance(ctx.codes)
    for code, what, key in sorted(problems, key=lambda p: p[0].span.start):
        if key in tolerated:
            continue
        label = _label(code, ctx.raw_text)
        if what == "unopened":
            message, suggestion = f"Closing tag {label} has no opening tag.", f"Add the opening tag or remove {label}."
        elif what == "crossed":
            message = f"Tag {label} is closed after the tag that encloses it: the pairs cross."
            suggestion = f"Close {label} before its enclosing tag."
        else:
            message, suggestion = f"Tag {label} is never closed.", f"Add the closing tag where {label} should end."
        yield Finding(*_code_span(code, ctx.raw_text), message, suggestion)


def _parents(codes: Sequence[InlineCode]) -> dict[str, str | None]:
    """The enclosing pair's key of each paired tag key (None at the top level)."""
    parents: dict[str, str | None] = {}
    stack: list[str] = []
    for code in _tags(codes):
        if code.kind == "open" and code.element not in _ISOLATED:
            parents.setdefault(_key(code), stack[-1] if stack else None)
            stack.append(_key(code))
        elif code.kind == "close" and stack and stack[-1] == _key(code):
            stack.pop()
    return parents


@rule("TQ805", "tag-nesting-changed", Category.MARKUP, Severity.MINOR, needs_source=True, example_pair=("en", "de"))
def tag_nesting_changed(ctx: CheckContext) -> Iterator[Finding]:
    """A pair of tags nested differently than in the source (the bold inside the link now holds the link).

    Why: the order of paired tags that contain one another is the document's structure: swapped, the link is
    bold instead of the bold text linked, or the style applies to more text. The order of pairs side by side
    may follow the target's word order and is not checked; nor are standalone tags and placeholders.
    Bad: Read <a href="t.html"><b>the terms</b></a>. => Lesen Sie <b><a href="t.html">die Bedingungen</a></b>.
    Good: Read <a href="t.html"><b>the terms</b></a>. => Lesen Sie <a href="t.html"><b>die Bedingungen</b></a>.
    """
    if _balance(ctx.codes)[1] or _balance(ctx.source_codes)[1]:
        return  # broken pairs are TQ804's business
    source = _parents(ctx.source_codes)
    target = _parents(ctx.codes)
    for code in _tags(ctx.codes):
        key = _key(code)
        if code.kind != "open" or key not in source or key not in target or source[key] == target[key]:
            continue
        label = _label(code, ctx.raw_text)
        inside = f"inside {source[key]}" if source[key] else "at the top level"
        yield Finding(*_code_span(code, ctx.raw_text), f"Tag {label} is nested differently than in the source "
                      f"(there {inside}).", f"Nest {label} as in the source.")
        target[key] = source[key]  # one issue per pair


def _placeholder_diff(ctx: CheckContext) -> tuple[list[InlineCode], list[InlineCode],
                                                  list[tuple[InlineCode, InlineCode]]]:
    """(missing source placeholders, added target placeholders, (source, target) changed pairs), cached."""
    cached = ctx.cache.get("tags.placeholders")
    if cached is not None:
        return cached  # type: ignore[return-value]
    source_text = ctx.raw_source.text if ctx.raw_source is not None else ""
    src = _placeholders(ctx.source_codes)
    tgt = _placeholders(ctx.codes)
    src_count = Counter(_label(c, source_text) for c in src)
    tgt_count = Counter(_label(c, ctx.raw_text) for c in tgt)
    missing, added = [], []
    seen: Counter[str] = Counter()
    for c in src:
        label = _label(c, source_text)
        seen[label] += 1
        if seen[label] > tgt_count[label]:
            missing.append(c)
    seen.clear()
    for c in tgt:
        label = _label(c, ctx.raw_text)
        seen[label] += 1
        if seen[label] > src_count[label]:
            added.append(c)
    changed: list[tuple[InlineCode, InlineCode]] = []
    # A lost and an added placeholder of the same family are one changed placeholder (%s → %d, {0} → {1}).
    by_family: dict[str, list[InlineCode]] = defaultdict(list)
    for c in added:
        by_family[placeholder_family(_label(c, ctx.raw_text))].append(c)
    still_missing = []
    for c in missing:
        candidates = by_family[placeholder_family(_label(c, source_text))]
        if candidates:
            changed.append((c, candidates.pop(0)))
        else:
            still_missing.append(c)
    paired = {id(t) for _, t in changed}
    result = (still_missing, [c for c in added if id(c) not in paired], changed)
    ctx.cache["tags.placeholders"] = result
    return result


@rule("TQ806", "missing-placeholder", Category.MARKUP, Severity.MAJOR, needs_source=True, example_pair=("en", "de"))
def missing_placeholder(ctx: CheckContext) -> Iterator[Finding]:
    """A placeholder of the source (%s, %1$s, {0}, {name}, {{var}}, ${var}) that the target lacks.

    Why: the value the program fills in (a name, a count, a file) disappears from the message, and some
    formatters fail outright (Python's ``%`` raises "not all arguments converted"). Major: the message loses
    its information, and the software may break. The issue points at the target words the placeholder's place
    aligns with.
    Bad: Deleted %d files from %s. => %d Dateien wurden gelöscht.
    Good: Deleted %d files from %s. => %d Dateien wurden aus %s gelöscht.
    """
    source_text = ctx.raw_source.text if ctx.raw_source is not None else ""
    for code in _placeholder_diff(ctx)[0]:
        label = _label(code, source_text)
        where = _where_missing(ctx, code.span)
        yield Finding(where.start, where.end, f"Placeholder {label} of the source is missing from the target.",
                      f"Put {label} back where its value belongs (about here, by the alignment).",
                      source_span=code.span)


@rule("TQ807", "added-placeholder", Category.MARKUP, Severity.CRITICAL, needs_source=True, example_pair=("en", "de"))
def added_placeholder(ctx: CheckContext) -> Iterator[Finding]:
    """A placeholder in the target that the source does not have.

    Why: the program passes no value for it: the formatter raises (IndexError, KeyError, a missing-argument
    error) or, in C, reads garbage memory. Critical: the message crashes the software or shows nonsense.
    Bad: Deleted the files. => %d Dateien wurden gelöscht.
    Good: Deleted the files. => Die Dateien wurden gelöscht.
    """
    for code in _placeholder_diff(ctx)[1]:
        label = _label(code, ctx.raw_text)
        yield Finding(*_code_span(code, ctx.raw_text), f"Placeholder {label} is not in the source.",
                      f"Remove {label}: the program fills in only the source's placeholders.")


@rule("TQ808", "changed-placeholder", Category.MARKUP, Severity.CRITICAL, needs_source=True,
      example_pair=("en", "de"))
def changed_placeholder(ctx: CheckContext) -> Iterator[Finding]:
    """A placeholder changed from the source's (%s → %d, {0} → {1}), or unnumbered ones (%s, %d) reordered.

    Why: the program passes the source's arguments: a changed type or index formats the wrong value or
    crashes (``%d`` given a string raises in Python and is undefined behaviour in C). Critical. Numbered and
    named placeholders (%1$s, %2$d, {0}, {name}) may be reordered freely — that is what numbering is for — and
    are only compared as a set; unnumbered ones must keep the source's order.
    Bad: Deleted %d files from %s. => Aus %s wurden %d Dateien gelöscht.
    Good: Deleted %1$d files from %2$s. => Aus %2$s wurden %1$d Dateien gelöscht.
    """
    source_text = ctx.raw_source.text if ctx.raw_source is not None else ""
    missing, added, changed = _placeholder_diff(ctx)
    for src, tgt in changed:
        old, new = _label(src, source_text), _label(tgt, ctx.raw_text)
        yield Finding(tgt.span.start, tgt.span.end, f"Placeholder {new} where the source has {old}.",
                      f"Write {old}.", replacements=(old,), source_span=src.span)
    if missing or added or changed:
        return
    src_seq = [c for c in _placeholders(ctx.source_codes) if not is_positional(_label(c, source_text))]
    tgt_seq = [c for c in _placeholders(ctx.codes) if not is_positional(_label(c, ctx.raw_text))]
    for src, tgt in zip(src_seq, tgt_seq, strict=False):
        old, new = _label(src, source_text), _label(tgt, ctx.raw_text)
        if old != new:
            yield Finding(tgt.span.start, tgt.span.end,
                          f"Unnumbered placeholders in another order than in the source: {new} stands where the "
                          f"source has {old}.",
                          "Keep the source's order, or number the placeholders (%1$s, %2$d) in source and target.",
                          source_span=src.span)
            return


def _code_span(code: InlineCode, text: str) -> tuple[int, int]:
    """Where to point at a code: its marker, or the character next to a code of no width."""
    start, end = code.span.start, code.span.end
    if end > start:
        return start, end
    return (start, start + 1) if start < len(text) else (max(0, start - 1), max(1, start))


def _neighbours(text: str, span: Span) -> tuple[str, str]:
    return (text[span.start - 1] if span.start else "", text[span.end] if span.end < len(text) else "")


@rule("TQ809", "tag-spacing", Category.MARKUP, Severity.MINOR, needs_source=True, example_pair=("en", "de"))
def tag_spacing(ctx: CheckContext) -> Iterator[Finding]:
    """A tag that joins two words (no space around it where the source has one) or splits a word.

    A word is split by a space next to a tag that stands inside a word in the source ("<b>E</b>-Mail").
    Why: the tag itself does not show: "auf<b>Speichern</b>" renders as "aufSpeichern". Minor. Languages
    written without spaces (zh, ja, th, ko) are not checked.
    Bad: Click <b>Save</b> to keep your changes. => Klicken Sie auf<b>Speichern</b>, um Ihre Änderungen zu behalten.
    Good: Click <b>Save</b> to keep your changes. => Klicken Sie auf <b>Speichern</b>, um Ihre Änderungen zu behalten.
    """
    if ctx.raw_source is None or {ctx.src_lang, ctx.tgt_lang} & _SPACELESS:
        return
    source_text = ctx.raw_source.text
    by_key: dict[tuple[str, str], list[InlineCode]] = defaultdict(list)
    for code in _tags(ctx.source_codes):
        by_key[(_key(code), code.kind)].append(code)
    seen: Counter[tuple[str, str]] = Counter()
    for code in _tags(ctx.codes):
        key = (_key(code), code.kind)
        seen[key] += 1
        if seen[key] > len(by_key[key]):
            continue
        src = by_key[key][seen[key] - 1]
        s_before, s_after = _neighbours(source_text, src.span)
        t_before, t_after = _neighbours(ctx.raw_text, code.span)
        label = _label(code, ctx.raw_text)
        if t_before.isalnum() and t_after.isalnum() and (s_before.isspace() or s_after.isspace()):
            yield Finding(*_code_span(code, ctx.raw_text),
                          f"No space around {label} where the source has one: the words run together.",
                          f"Put a space {'before' if s_before.isspace() else 'after'} {label}.")
        elif s_before.isalnum() and s_after.isalnum() and (t_before.isspace() or t_after.isspace()):
            yield Finding(*_code_span(code, ctx.raw_text),
                          f"A space next to {label}, which stands inside a word in the source: the word is split.",
                          f"Remove the space {'before' if t_before.isspace() else 'after'} {label}.")


RULES = (missing_tag, added_tag, duplicated_tag, broken_tag_pair, tag_nesting_changed, missing_placeholder,
         added_placeholder, changed_placeholder, tag_spacing)
