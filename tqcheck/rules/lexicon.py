"""TQ1xx: wrong renderings listed in the language pair's packs (calques, false friends)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tqcheck import prefilter
from tqcheck.packs import PackSet, PhraseEntry
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


# Leads this short are mostly common words or parts of them ("im", "die", "ein"): in the shared pass they would
# be most of its hits, so where one stands is looked up (str.find) only for a text with an entry that needs it.
_SHORT_LEAD = 4


class _PhraseIndex:
    """One Aho–Corasick automaton over the anchors and longer leads (the literals a match opens with) of every
    phrase entry of a pack set. One pass over a text, shared by TQ101, TQ102 and TQ203 (``ctx.cache``), tells
    which entries may match (an anchor is there) and where their matches can start (where a lead stands): only
    those entries are compiled and tried, only at those places, and no pattern runs over the whole text."""

    def __init__(self, packs: PackSet) -> None:
        import ahocorasick

        self.tuples = {id(entries): entries for entries in packs.phrases.values()}  # the tuples it answers for
        ids: dict[str, int] = {}
        # id(entry) -> (anchor numbers or None, the numbers of its longer leads, its short leads) or None
        self.keys: dict[int, tuple[frozenset[int] | None, tuple[tuple[int, ...], tuple[str, ...]] | None]] = {}
        for entries in packs.phrases.values():
            for entry in entries:
                anchors = frozenset(ids.setdefault(a, len(ids)) for a in entry.anchors) if entry.anchors else None
                leads = None
                if entry.leads is not None:
                    leads = (tuple(ids.setdefault(a, len(ids)) for a in entry.leads if len(a) > _SHORT_LEAD),
                             tuple(a for a in entry.leads if len(a) <= _SHORT_LEAD))
                self.keys[id(entry)] = (anchors, leads)
        self.sizes = [0] * len(ids)
        self.automaton = ahocorasick.Automaton()
        for literal, number in ids.items():
            self.automaton.add_word(literal, number)
            self.sizes[number] = len(literal)
        if ids:
            self.automaton.make_automaton()

    def hits(self, lowered: str) -> dict[int, list[int]]:
        """Where each literal starts in ``lowered``, in text order, by literal number."""
        found: dict[int, list[int]] = {}
        if self.sizes:
            sizes = self.sizes
            for end, number in self.automaton.iter(lowered):
                found.setdefault(number, []).append(end - sizes[number] + 1)
        return found


def _phrase_index(packs: PackSet) -> _PhraseIndex:
    return derived(packs, "phrase index", lambda: _PhraseIndex(packs))


def phrase_findings(ctx: CheckContext, entries: tuple[PhraseEntry, ...], label: str) -> Iterator[Finding]:
    """Every match of every entry; where entries overlap, the earliest and then longest match wins."""
    index = _phrase_index(ctx.packs)
    if index.tuples.get(id(entries)) is entries:
        matches = _indexed_matches(ctx, index, entries)
    else:  # entries from elsewhere than the pack set: a pass of their own
        matches = [(m.start(), m.end(), (entry, m)) for entry in _anchor_index(entries).candidates(ctx.lowered)
                   for m in prefilter.finditer(entry.pattern, ctx.text, ctx.scan) if m.end() > m.start()]
    for start, end, (entry, match) in earliest_longest(matches):
        suggestion, replacements = entry_fix(entry, match, ctx.tgt_lang)
        yield Finding(start, end, entry_message(entry, match, label), suggestion, replacements=replacements)


def _indexed_matches(ctx: CheckContext, index: _PhraseIndex,
                     entries: tuple[PhraseEntry, ...]) -> list[tuple[int, int, tuple[PhraseEntry, re.Match[str]]]]:
    cached = ctx.cache.get("phrase hits")
    if cached is None or cached[0] is not index:
        hits = index.hits(ctx.lowered)
        cached = ctx.cache["phrase hits"] = (index, hits, set(hits), {})
    _, hits, present, places = cached  # type: ignore[misc]  # places: short lead -> where it starts
    text, scan, lowered = ctx.text, ctx.scan, ctx.lowered
    # The leads stand for the text where the lowered text keeps its offsets and folds as the engine does (pack
    # patterns are case-insensitive); elsewhere each candidate is scanned as tqcheck.prefilter.finditer does.
    at_leads = scan.offsets_kept and not scan.extra_folds
    keys = index.keys
    matches = []
    for entry in entries:
        anchors, leads = keys[id(entry)]
        if anchors is not None and anchors.isdisjoint(present):
            continue  # no anchor in the text: no match (the pattern is not even compiled)
        if at_leads and leads is not None:
            starts: set[int] = set()
            for number in leads[0]:
                if number in present:
                    starts.update(hits[number])
            for lead in leads[1]:
                found = places.get(lead)
                if found is None:
                    found = places[lead] = _places(lowered, lead)
                starts.update(found)
            if starts:
                matches += [(m.start(), m.end(), (entry, m)) for m in
                            prefilter.from_positions(entry.pattern, sorted(starts), text) if m.end() > m.start()]
        else:
            matches += [(m.start(), m.end(), (entry, m))
                        for m in prefilter.finditer(entry.pattern, text, scan) if m.end() > m.start()]
    return matches


def _places(lowered: str, literal: str) -> list[int]:
    """Every start of ``literal`` in ``lowered``, overlapping ones too."""
    places = []
    find = lowered.find
    at = find(literal)
    while at >= 0:
        places.append(at)
        at = find(literal, at + 1)
    return places


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
