"""TQ3xx: terminology — one source term rendered several ways in one text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from tqcheck.glossary import term_pattern
from tqcheck.packs import TermGroup
from tqcheck.rules.base import CheckContext, Finding, earliest_longest, rule
from tqcheck.types import Category, Severity


def _occurrences(ctx: CheckContext, group: TermGroup) -> list[tuple[int, int, str]]:
    """Non-overlapping matches of the group's variants, earliest then longest first."""
    return earliest_longest((m.start(), m.end(), v.variant) for v in group.variants
                            for m in v.pattern.finditer(ctx.text) if m.end() > m.start())


@rule("TQ301", "inconsistent-term", Category.TERM_INCONSISTENT, Severity.MINOR)
def inconsistent_term(ctx: CheckContext) -> Iterator[Finding]:
    """One source term rendered in several ways within one text (variant groups from the pair's terms pack).

    Why: readers take different words for different things; "Verkehr", "Datenverkehr" and "Traffic" for
    流量 in one article read like three concepts. Each minority rendering is reported, with the text's
    majority rendering as the suggestion (and the pack's recommended one, where it differs).
    Bad: Ohne Traffic kein Umsatz. Traffic ist teuer. Der Verkehr aus WeChat bleibt gering.
    Good: Ohne Traffic kein Umsatz. Traffic ist teuer. Der Traffic aus WeChat bleibt gering.
    Options: packs (terms.tsv of the language pair)
    """
    for group in ctx.packs.terms:
        occurrences = _occurrences(ctx, group)
        counts = Counter(variant for _, _, variant in occurrences)
        if len(counts) < 2:
            continue
        preferred = group.preferred.variant if group.preferred else None
        first_seen = {variant: i for i, (_, _, variant) in reversed(list(enumerate(occurrences)))}
        # Majority wins; a tie goes to the pack's recommendation, then to the first rendering used.
        majority = max(counts, key=lambda v: (counts[v], v == preferred, -first_seen[v]))
        usage = ", ".join(f"'{v}' {counts[v]}×" for v in sorted(counts, key=lambda v: (-counts[v], first_seen[v])))
        advice = f"Use '{majority}' throughout, as elsewhere in this text."
        if preferred and preferred != majority:
            advice += f" The terminology pack recommends '{preferred}'."
        for start, end, variant in occurrences:
            if variant == majority:
                continue
            yield Finding(start, end, f"{group.source} is rendered in {len(counts)} ways in this text ({usage}); "
                                      f"'{variant}' is a minority rendering.", advice, replacements=(majority,))


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
