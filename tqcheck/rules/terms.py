"""TQ3xx: terminology — one source term rendered several ways in one text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from tqcheck import prefilter, regexcache
from tqcheck.glossary import term_pattern
from tqcheck.prefilter import ScanText
from tqcheck.rules.base import CheckContext, Finding, earliest_longest, rule
from tqcheck.types import Category, Severity
from tqcheck.wording import beside_replacement, quote


@dataclass(frozen=True, slots=True)
class TermRenderings:
    """How one source term may be rendered, and which rendering is preferred by whom."""

    source: str
    renderings: tuple[tuple[str, re.Pattern[str]], ...]  # (rendering, pattern); one rendering may have several
    preferred: str
    decided_by: str  # "glossary" or "terminology pack"


def term_renderings(ctx: CheckContext) -> list[TermRenderings]:
    """Every source term of the pair's terms pack and of the user's glossary, one entry per source term.

    Where the glossary has the term, its first target is the preferred rendering and the pack's preference is
    dropped; the pack's variants still help to find the renderings used. Built once per document (TQ301 and
    TQ710 share it).
    """
    cached = ctx.cache.get("term_renderings")
    if cached is None:
        cached = ctx.cache["term_renderings"] = _term_renderings(ctx)
    return cached  # type: ignore[return-value]


def _term_renderings(ctx: CheckContext) -> list[TermRenderings]:
    glossary = {e.source: e for e in ctx.glossary.entries if e.source and e.targets} if ctx.glossary else {}
    result = []
    for group in ctx.packs.terms:
        renderings = [(v.variant, v.pattern) for v in group.variants]
        entry = glossary.pop(group.source, None)
        if entry is None:
            result.append(TermRenderings(group.source, tuple(renderings), group.preferred.variant,
                                         "terminology pack"))
            continue
        renderings += [(t, term_pattern(t)) for t in (*entry.targets, *entry.forbidden)]
        result.append(TermRenderings(group.source, tuple(renderings), entry.targets[0], "glossary"))
    for entry in glossary.values():
        renderings = [(t, term_pattern(t)) for t in (*entry.targets, *entry.forbidden)]
        result.append(TermRenderings(entry.source, tuple(renderings), entry.targets[0], "glossary"))
    return result


def occurrences(term: TermRenderings, text: str, offset: int = 0, scan: ScanText | None = None
                ) -> list[tuple[int, int, str]]:
    """Non-overlapping ``(start, end, rendering)`` in ``text``, earliest then longest first: one per span.
    ``scan``: ``text`` with its prefilter tests, shared by the terms that look at the same text."""
    scan = scan or ScanText(text)
    # A rendering whose literals the text lacks is skipped by a substring test, before the prefilter's own
    # search for the places its matches may open (an Aho–Corasick pass over the whole text for each pattern).
    return earliest_longest((offset + m.start(), offset + m.end(), rendering) for rendering, pattern in term.renderings
                            if prefilter.prefilter(pattern).may_match(scan)
                            for m in prefilter.finditer(pattern, text, scan) if m.end() > m.start())


def inconsistency_findings(term: TermRenderings, used: list[tuple[int, int, str]],
                           where: str, text: str) -> Iterator[Finding]:
    """One finding per use of a rendering other than the preferred one, when ``used`` mixes renderings.

    The preferred rendering is a replacement only where the words used are the rendering's own form
    (``Verkehr``): an inflected or compound form (``Verkehrs``, ``Datenverkehrskosten``) needs rewording."""
    counts = Counter(rendering for _, _, rendering in used)
    if len(counts) < 2:
        return
    first_seen = {rendering: i for i, (_, _, rendering) in reversed(list(enumerate(used)))}
    usage = ", ".join(f"{quote(r)} {counts[r]}×" for r in sorted(counts, key=lambda r: (-counts[r], first_seen[r])))
    advice = f"Use {quote(term.preferred)}, the rendering the {term.decided_by} prescribes."
    for start, end, rendering in used:
        if rendering != term.preferred:
            exact = text[start:end].casefold() == rendering.casefold()
            yield Finding(start, end, f"{term.source} is rendered in {len(counts)} ways {where} ({usage}).",
                          # Beside the replacement, only why: the replacement is shown as such.
                          f"The {term.decided_by} prescribes this rendering." if exact else advice,
                          replacements=(term.preferred,) if exact else ())


@rule("TQ301", "inconsistent-term", Category.TERM_INCONSISTENT, Severity.MINOR)
def inconsistent_term(ctx: CheckContext) -> Iterator[Finding]:
    """One source term rendered in several ways within one text (variant groups from the pair's terms pack).

    Why: readers take different words for different things; "Verkehr", "Datenverkehr" and "Traffic" for
    流量 in one article read like three concepts. Every rendering other than the pack's preferred one (or the
    glossary's, which overrides the pack) is reported, however often the text uses it: the majority of a
    text is no authority on terminology.
    Bad: Ohne Traffic kein Umsatz. Der Verkehr ist teuer. Der Verkehr aus WeChat bleibt gering.
    Good: Ohne Traffic kein Umsatz. Traffic ist teuer. Der Traffic aus WeChat bleibt gering.
    Options: packs (terms.tsv of the language pair); --glossary FILE
    """
    scan = ctx.scan
    for term in term_renderings(ctx):
        yield from inconsistency_findings(term, occurrences(term, ctx.text, scan=scan), "in this text", ctx.text)


@rule("TQ302", "forbidden-term", Category.TERM_WRONG, Severity.MAJOR)
def forbidden_term(ctx: CheckContext) -> Iterator[Finding]:
    """A term the glossary forbids (deprecated, superseded or simply wrong for this client).

    Why: forbidden terms are the cheapest terminology errors to prevent and the most embarrassing to publish.
    Bad: Das Kreditsystem von Alibaba ist vorbildlich.
    Good: Das Bewertungssystem von Alibaba ist vorbildlich.
    Options: --glossary FILE (CSV column "forbidden", or TBX deprecatedTerm-admn-sts)
    """
    if not ctx.glossary:
        return
    seen: set[tuple[int, int]] = set()
    for term, entry in ctx.glossary.forbidden:
        for m in term_pattern(term).finditer(ctx.text):
            if m.span() in seen:
                continue
            seen.add(m.span())
            advice = f"Use {quote(entry.preferred)}." if entry.preferred else "Rephrase without this term."
            # A drop-in only for the forbidden term itself, not an inflected or compound form of it.
            exact = bool(entry.preferred) and m.group().casefold() == term.strip().casefold()
            yield Finding(m.start(), m.end(), f"Forbidden term {quote(m.group())}"
                                              + (f" (glossary: {entry.source} → {entry.preferred})."
                                                 if entry.source and entry.preferred else "."),
                          beside_replacement(advice, entry.note, exact),
                          replacements=(entry.preferred,) if exact else ())


_MARKER = regexcache.compile(r"</?\d+/?>")
_TRAILING = regexcache.compile(r"[\s.!?:;,。！？：；，…]+$")


@lru_cache(maxsize=8192)  # each unit's texts are keyed for the file's index and again by TQ303 and TQ304
def unit_key(text: str) -> str:
    """A unit text as the consistency checks compare it: inline-code markers and placeholders out, case folded,
    spaces collapsed, end punctuation dropped ("Save", "save." and "<1>Save</1>" are the same text)."""
    from tqcheck.inline import find_placeholders

    codes = sorted((c.span.start, c.span.end) for c in find_placeholders(text))
    kept, at = [], 0
    for start, end in codes:
        kept.append(text[at:start])
        at = max(at, end)
    kept.append(text[at:])
    plain = _MARKER.sub(" ", "".join(kept))
    return _TRAILING.sub("", " ".join(plain.casefold().split()))


def _trimmed(text: str) -> tuple[int, int]:
    start = len(text) - len(text.lstrip())
    return start, len(text.rstrip())


def _raw_pair(ctx: CheckContext) -> tuple[str, str] | None:
    source = ctx.raw_source.text if ctx.raw_source is not None else None
    return (source, ctx.raw_text) if source and source.strip() and ctx.raw_text.strip() else None


@dataclass(frozen=True, slots=True)
class _Unit:
    uid: str
    source: str
    target: str
    source_key: str
    target_key: str


@dataclass(frozen=True)
class _UnitIndex:
    """A bilingual file's units with their comparison keys, and where each key occurs (file positions)."""

    units: tuple[_Unit, ...]
    position: dict[str, int]
    by_source: dict[str, list[int]]
    by_target: dict[str, list[int]]


_last_index: list[tuple[object, _UnitIndex]] = []


def _unit_index(siblings: tuple[tuple[str, str, str], ...]) -> _UnitIndex:
    """The index of a file's units, built once per file: every unit of the file gets the same ``siblings`` tuple,
    so the last index is kept by identity (keying every unit's keys anew would cost units² key computations)."""
    if _last_index and _last_index[0][0] is siblings:
        return _last_index[0][1]
    units = tuple(_Unit(uid, source, target, unit_key(source), unit_key(target)) for uid, source, target in siblings)
    by_source: dict[str, list[int]] = {}
    by_target: dict[str, list[int]] = {}
    for i, unit in enumerate(units):
        by_source.setdefault(unit.source_key, []).append(i)
        by_target.setdefault(unit.target_key, []).append(i)
    index = _UnitIndex(units, {u.uid: i for i, u in enumerate(units)}, by_source, by_target)
    _last_index[:] = [(siblings, index)]
    return index


def _my_position(ctx: CheckContext, index: _UnitIndex) -> int:
    """This unit's place in the file (after every other unit when its id is not among them)."""
    return index.position.get(ctx.target.unit or "", len(index.units))


@rule("TQ303", "inconsistent-unit-translation", Category.TERM_INCONSISTENT, Severity.MINOR, needs_source=True,
      needs_units=True)
def inconsistent_unit_translation(ctx: CheckContext) -> Iterator[Finding]:
    """The same source text translated differently in two units of one file (case, tags and end punctuation aside).

    Why: a button, a menu entry or a term that reads "Speichern" in one place and "Sichern" in another looks
    like two functions; Xbench and Verifika call it "inconsistency in target". The rendering most units use
    (the first one on a tie) is taken as the file's; only the units that differ from it are reported, once each.
    Bad: (unit 1) Save => Speichern; (unit 2) Save => Sichern
    Good: (unit 1) Save => Speichern; (unit 2) Save. => Speichern.
    """
    pair = _raw_pair(ctx)
    if pair is None or not ctx.siblings:
        return
    source_key, target_key = unit_key(pair[0]), unit_key(pair[1])
    if not source_key:
        return
    index = _unit_index(ctx.siblings)
    me = _my_position(ctx, index)
    same = [i for i in index.by_source.get(source_key, ()) if i != me and index.units[i].target.strip()]
    if not same:
        return
    counts = Counter(index.units[i].target_key for i in same)
    counts[target_key] += 1
    # File order decides ties: this unit stands at its own place among the others.
    order = [*(index.units[i].target_key for i in same if i < me), target_key,
             *(index.units[i].target_key for i in same if i > me)]
    first: dict[str, int] = {}
    for position, key in enumerate(order):
        first.setdefault(key, position)
    # The file's rendering: the most frequent, ties to the one that comes first in the file.
    reference = max(counts, key=lambda k: (counts[k], -first[k]))
    if target_key == reference:
        return
    example_unit = next(index.units[i] for i in same if index.units[i].target_key == reference)
    example_id, example = example_unit.uid, example_unit.target
    start, end = _trimmed(pair[1])
    yield Finding(start, end,
                  f"The same source is translated as {quote(example.strip())} in {counts[reference]} other unit"
                  f"{'s' if counts[reference] != 1 else ''} of this file (e.g. unit {example_id}).",
                  "Or change the other units to match this one.",
                  replacements=(example.strip(),))


@rule("TQ304", "same-translation-different-source", Category.TERM_INCONSISTENT, Severity.MINOR,
      needs_source=True, needs_units=True)
def same_translation_different_source(ctx: CheckContext) -> Iterator[Finding]:
    """Different source texts translated identically in two units of one file (case, tags and end punctuation aside).

    Why: "Save" and "Save as" both rendered "Speichern" make two functions look like one; Xbench calls it
    "inconsistency in source". Reported on the later unit of each pair, once.
    Bad: (unit 1) Save => Speichern; (unit 2) Save as => Speichern
    Good: (unit 1) Save => Speichern; (unit 2) Save as => Speichern unter
    """
    pair = _raw_pair(ctx)
    if pair is None or not ctx.siblings:
        return
    source_key, target_key = unit_key(pair[0]), unit_key(pair[1])
    # Numbers and one-character texts are legitimately shared ("1", "–").
    if len(target_key) < 2 or not any(ch.isalpha() for ch in target_key):
        return
    index = _unit_index(ctx.siblings)
    me = _my_position(ctx, index)
    for i in index.by_target.get(target_key, ()):
        other = index.units[i]
        if i >= me:
            break
        if not other.source.strip() or other.source_key == source_key:
            continue
        start, end = _trimmed(pair[1])
        yield Finding(start, end, f"Unit {other.uid} translates another source ({quote(other.source.strip())}) "
                                  "the same way.",
                      "Check that the two sources mean the same; otherwise tell them apart in the translation.")
        return


RULES = (inconsistent_term, forbidden_term, inconsistent_unit_translation, same_translation_different_source)
