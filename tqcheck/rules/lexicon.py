"""TQ1xx: wrong renderings listed in the language pair's packs (calques, false friends)."""

from __future__ import annotations

from collections.abc import Iterator

from tqcheck.packs import PhraseEntry
from tqcheck.rules.base import CheckContext, Finding, earliest_longest, rule
from tqcheck.types import Category, Severity


def phrase_findings(ctx: CheckContext, entries: tuple[PhraseEntry, ...], label: str) -> Iterator[Finding]:
    """Every match of every entry; where entries overlap, the earliest and then longest match wins."""
    lowered = ctx.lowered
    matches = [(m.start(), m.end(), entry) for entry in entries if entry.may_match(lowered)
               for m in entry.pattern.finditer(ctx.text) if m.end() > m.start()]
    for start, end, entry in earliest_longest(matches):
        # Pack authors often name the source phrase in "why" already; don't say it twice.
        message = entry.why if entry.source in entry.why else f"{label} of {entry.source}: {entry.why}"
        yield Finding(start, end, message, entry.suggestion,
                      replacements=tuple(s.strip() for s in entry.suggestion.split(" / ") if s.strip()))


@rule("TQ101", "literal-calque", Category.UNIDIOMATIC, Severity.MAJOR)
def literal_calque(ctx: CheckContext) -> Iterator[Finding]:
    """Word-for-word rendering of a source set phrase, chengyu or jargon (from the pair's calques pack).

    Why: readers stumble over calques; they mark the text as machine-made and often hide the meaning.
    Bad: Die Punkt-für-Punkt-, Zeile-für-Oberfläche-Kommunikationsmethode von WeChat Moments ist neu.
    Good: Die Art, wie sich Inhalte auf WeChat vom Einzelnen über Gruppen in die Breite verbreiten, ist neu.
    Options: packs (calques.tsv of the language pair; add your own with --pack)
    """
    return phrase_findings(ctx, ctx.packs.phrase_entries("calques"), "Literal calque")


@rule("TQ102", "false-friend", Category.MISTRANSLATION, Severity.MAJOR)
def false_friend(ctx: CheckContext) -> Iterator[Finding]:
    """A target word that looks like the dictionary sense of the source word but means something else here.

    Why: 信用 in 信用体系 is trust and reputation, not credit; "Kreditsystem" tells a German reader about loans.
    Bad: Alibaba hat ein Händlerkreditsystem eingerichtet.
    Good: Alibaba hat ein Bewertungssystem für Händler eingerichtet.
    Options: packs (false_friends.tsv of the language pair)
    """
    return phrase_findings(ctx, ctx.packs.phrase_entries("false_friends"), "False friend")


RULES = (literal_calque, false_friend)
