"""TQ3xx: terminology — one source term rendered several ways in one text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from tqcheck.glossary import term_pattern
from tqcheck.rules.base import CheckContext, Finding, earliest_longest, rule
from tqcheck.types import Category, Severity


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


def occurrences(term: TermRenderings, text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """Non-overlapping ``(start, end, rendering)`` in ``text``, earliest then longest first: one per span."""
    return earliest_longest((offset + m.start(), offset + m.end(), rendering) for rendering, pattern in term.renderings
                            for m in pattern.finditer(text) if m.end() > m.start())


def inconsistency_findings(term: TermRenderings, used: list[tuple[int, int, str]],
                           where: str) -> Iterator[Finding]:
    """One finding per use of a rendering other than the preferred one, when ``used`` mixes renderings."""
    counts = Counter(rendering for _, _, rendering in used)
    if len(counts) < 2:
        return
    first_seen = {rendering: i for i, (_, _, rendering) in reversed(list(enumerate(used)))}
    usage = ", ".join(f"'{r}' {counts[r]}×" for r in sorted(counts, key=lambda r: (-counts[r], first_seen[r])))
    advice = f"Use '{term.preferred}', the rendering the {term.decided_by} prescribes."
    for start, end, rendering in used:
        if rendering != term.preferred:
            yield Finding(start, end, f"{term.source} is rendered in {len(counts)} ways {where} ({usage}).",
                          advice, replacements=(term.preferred,))


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
    for term in term_renderings(ctx):
        yield from inconsistency_findings(term, occurrences(term, ctx.text), "in this text")


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
            advice = f"Use {entry.preferred!r}." if entry.preferred else "Rephrase without this term."
            yield Finding(m.start(), m.end(), f"Forbidden term {m.group()!r}"
                                              + (f" (glossary: {entry.source} → {entry.preferred})."
                                                 if entry.source and entry.preferred else "."),
                          advice + (f" {entry.note}" if entry.note else ""),
                          replacements=(entry.preferred,) if entry.preferred else ())


RULES = (inconsistent_term, forbidden_term)
