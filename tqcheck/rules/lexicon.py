"""TQ1xx: wrong renderings listed in the language pair's packs (calques, false friends)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tqcheck import prefilter
from tqcheck.packs import PhraseEntry
from tqcheck.rules.base import CheckContext, Finding, derived, earliest_longest, rule
from tqcheck.types import Category, Severity
from tqcheck.wording import reword_advice


class _AnchorIndex:
    """One Aho–Corasick automaton over the anchors of a pack's entries: a single pass over the text tells which
    entries may match, instead of a substring test per anchor and entry."""

    def __init__(self, entries: tuple[PhraseEntry, ...]) -> None:
        import ahocorasick

        self.entries = entries
        anchors = sorted({a for entry in entries if entry.anchors for a in entry.anchors})
        self.automaton = ahocorasick.Automaton()
        for anchor in anchors:
            self.automaton.add_word(anchor, anchor)
        if anchors:
            self.automaton.make_automaton()

    def candidates(self, lowered: str) -> list[PhraseEntry]:
        """The entries, in order, that have no anchors or one of whose anchors ``lowered`` contains."""
        found = {anchor for _, anchor in self.automaton.iter(lowered)} if len(self.automaton) else set()
        return [e for e in self.entries if e.anchors is None or not found.isdisjoint(e.anchors)]


def _anchor_index(entries: tuple[PhraseEntry, ...]) -> _AnchorIndex:
    return derived(entries, "anchor index", lambda: _AnchorIndex(entries))


def phrase_findings(ctx: CheckContext, entries: tuple[PhraseEntry, ...], label: str) -> Iterator[Finding]:
    """Every match of every entry; where entries overlap, the earliest and then longest match wins."""
    matches = [(m.start(), m.end(), (entry, m)) for entry in _anchor_index(entries).candidates(ctx.lowered)
               for m in prefilter.finditer(entry.pattern, ctx.text, ctx.scan) if m.end() > m.start()]
    for start, end, (entry, match) in earliest_longest(matches):
        suggestion, replacements = entry_fix(entry, match, ctx.tgt_lang)
        yield Finding(start, end, entry_message(entry, match, label), suggestion, replacements=replacements)


def entry_message(entry: PhraseEntry, match: re.Match[str], label: str) -> str:
    """The entry's ``why`` with the matched words filled in; prefixed with what it is (``False friend of
    信用体系: …``) only when ``why`` does not name the source phrase itself, so that nothing is said twice."""
    why = entry.fill(entry.why, match)
    return why if entry.source in why else f"{label} of {entry.source}: {why}"


def entry_fix(entry: PhraseEntry, match: re.Match[str], lang: str | None) -> tuple[str | None, tuple[str, ...]]:
    """(suggestion, replacements): the alternatives are replacements where the pack declares them drop-in
    (``fix`` ``replace``), else wording offered in the advice."""
    alternatives = tuple(entry.fill(a, match) for a in entry.alternatives)
    if entry.fix == "replace":
        return None, alternatives
    return reword_advice(alternatives, lang), ()


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
