"""TQ1xx: wrong renderings listed in the language pair's packs (calques, false friends)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tqcheck import prefilter, regexcache
from tqcheck.packs import PackSet, PhraseEntry
from tqcheck.rules.base import CheckContext, Finding, derived, earliest_longest, rule
from tqcheck.types import Category, Severity
from tqcheck.wording import reword_advice


class _AnchorIndex:
    """One Aho–Corasick automaton over the anchors of a pack's entries: a single pass over the text tells which
    entries may match, instead of a substring test per anchor and entry."""

    def __init__(self, entries: tuple[PhraseEntry, ...]) -> None:
        self.entries = entries
        anchors = sorted({a for entry in entries if entry.anchors for a in entry.anchors})
        self.automaton = prefilter.automaton((anchor, anchor) for anchor in anchors)

    def candidates(self, lowered: str) -> list[PhraseEntry]:
        """The entries, in order, that have no anchors or one of whose anchors ``lowered`` contains."""
        found = {anchor for _, anchor in self.automaton.iter(lowered)} if len(self.automaton) else set()
        return [e for e in self.entries if e.anchors is None or not found.isdisjoint(e.anchors)]


def _anchor_index(entries: tuple[PhraseEntry, ...]) -> _AnchorIndex:
    return derived(entries, "anchor index", lambda: _AnchorIndex(entries))


class _PhraseIndex:
    """One Aho–Corasick automaton over the literals that tell whether the phrase entries of a pack set may match
    a text: one pass over the text, shared by TQ101, TQ102 and TQ203 (``ctx.cache``), names the few entries that
    may match; only those are compiled and tried, and only where one of their leads (the literals a match opens
    with) stands: no pattern runs over the whole text. Leads are found per text (``str.find``) for such entries
    only: many are common words ("die", "im"), and the automaton is faster the fewer literals it holds.

    The clause literals hold only in a text without ``ScanText.extra_folds`` (ſ, ı, K…): such a text takes the
    pass over anchors alone (:class:`_AnchorIndex`), as before the index."""

    def __init__(self, packs: PackSet) -> None:
        self.tuples = {id(entries): entries for entries in packs.phrases.values()}  # the tuples it answers for
        ids: dict[str, int] = {}

        def numbers(literals: Iterable[str]) -> frozenset[int]:
            return frozenset(ids.setdefault(literal, len(ids)) for literal in literals)

        # id(entries) -> (literal number -> the indexes of the entries it may admit, indexes of entries always tried)
        self.triggers: dict[int, tuple[dict[int, list[int]], list[int]]] = {}
        # id(entry) -> (what must be in the text: per alternative of the pattern, clauses of literal numbers, one
        # of each there; the openings of its leads or None)
        self.keys: dict[int, tuple[tuple[tuple[frozenset[int], ...], ...] | None, _Openings | None]] = {}
        for entries in packs.phrases.values():
            by_literal: dict[int, list[int]] = {}
            always: list[int] = []
            for position, entry in enumerate(entries):
                if entry.clauses is not None:
                    needs = tuple(tuple(numbers(clause) for clause in _telling(alternative, packs.stopwords))
                                  for alternative in entry.clauses)
                elif entry.anchors:
                    needs = ((numbers(entry.anchors),),)
                else:
                    needs = None
                if needs is None or not all(needs):
                    always.append(position)
                else:  # a match satisfies an alternative, so has a literal of the first clause of one
                    for number in frozenset().union(*(alternative[0] for alternative in needs)):
                        by_literal.setdefault(number, []).append(position)
                openings = self.keys[id(entry)] = (needs, _Openings.of(entry))
                if openings[1] is not None:
                    for lead in openings[1].literals:
                        if len(lead) >= _SCANNED_LEAD:
                            ids.setdefault(lead, len(ids))
            self.triggers[id(entries)] = (by_literal, always)
        # Where the longer leads stand is recorded in the same pass; the short ones are found when needed.
        self.scanned = frozenset(lead for lead in ids if len(lead) >= _SCANNED_LEAD)
        self.automaton = prefilter.automaton((literal, (number, literal if literal in self.scanned else None))
                                             for literal, number in ids.items())

    def scan(self, scan: prefilter.ScanText) -> tuple[set[int], dict[str, list[int]]]:
        """The numbers of the literals the lowered text contains, and where each longer lead it contains starts
        (the automaton's hits come from the text's shared pass: :meth:`~tqcheck.prefilter.ScanText.hits`)."""
        present: set[int] = set()
        places: dict[str, list[int]] = {}
        for end, (number, lead) in scan.hits(self.automaton):
            present.add(number)
            if lead is not None:
                places.setdefault(lead, []).append(end - len(lead) + 1)
        return present, places


# A lead is looked for by its first characters only (the match then decides): a pattern's leads multiply its
# alternatives ("E-Commerce|KI|Markt…" × "-?Rennstrecke"), their openings are few.
_LEAD_CHARS = 6
# Leads this long are found in the shared pass (few hits); shorter ones, often common words or parts of them
# ("die", "im", "ein"), would be most of its hits: they are looked for (str.find) only in a text that needs them.
_SCANNED_LEAD = 5


class _Openings:
    r"""Where a match of an entry can start: where one of ``literals`` starts, or up to a run of characters of
    ``run`` (``\w*kreditsystem``: the run of word characters before "kreditsystem") before it."""

    __slots__ = ("literals", "run")

    def __init__(self, literals: tuple[str, ...], run: re.Pattern[str] | None) -> None:
        self.literals = literals
        self.run = run

    @classmethod
    def of(cls, entry: PhraseEntry) -> _Openings | None:
        if entry.leads is not None:
            return cls(_cut(entry.leads), None)
        if entry.run_leads is not None:
            run, flags, leads = entry.run_leads
            return cls(_cut(leads), regexcache.compile(run, flags))
        return None

    def starts(self, text: str, lowered: str, places: dict[str, list[int]], scanned: frozenset[str]) -> list[int]:
        """Where a match can start, in order. ``places``: where leads start in ``lowered``, as far as known (the
        leads of ``scanned`` all are: those the text lacks are missing), filled in here."""
        starts: set[int] = set()
        for lead in self.literals:
            found = places.get(lead)
            if found is None:
                if lead in scanned:
                    continue
                found = places[lead] = prefilter.starts_of(lead, lowered)
            starts.update(found)
        if self.run is not None and starts:
            match = self.run.match
            for at in list(starts):
                first = at
                while first > 0 and match(text, first - 1):
                    first -= 1
                starts.update(range(first, at))
        return sorted(starts)


def _cut(leads: tuple[str, ...]) -> tuple[str, ...]:
    """The fewest literals one of which opens each of ``leads``: each cut to its first characters, and none
    that another one opens (of "die" and "dies" only "die")."""
    cut = sorted({lead[:_LEAD_CHARS] for lead in leads})
    kept: list[str] = []
    for lead in cut:  # sorted: a literal comes right before those it opens
        if not kept or not lead.startswith(kept[-1]):
            kept.append(lead)
    return tuple(kept)



_CLAUSES_TESTED = 2


def _telling(clauses: tuple[tuple[str, ...], ...], common: frozenset[str]) -> tuple[tuple[str, ...], ...]:
    """The clauses worth a test (they come rarest first): those without a common word ("einem", "nicht", the
    language's stopwords), which every text has, and a few: each literal tested is a hit in the shared pass."""
    rare = [clause for clause in clauses if common.isdisjoint(clause)]
    return tuple(rare[:_CLAUSES_TESTED])


def _phrase_index(packs: PackSet) -> _PhraseIndex:
    return derived(packs, "phrase index", lambda: _PhraseIndex(packs))


_Match = tuple[int, int, tuple[PhraseEntry, re.Match[str]]]


def phrase_findings(ctx: CheckContext, entries: tuple[PhraseEntry, ...], label: str) -> Iterator[Finding]:
    """Every match of every entry; where entries overlap, the earliest and then longest match wins."""
    if not entries:
        return  # no pack for the pair (en→de has no calques)
    index = _phrase_index(ctx.packs)
    if index.tuples.get(id(entries)) is entries and not ctx.scan.extra_folds:
        matches = _indexed_matches(ctx, index, entries)
    else:  # entries from elsewhere than the pack set, or a text the clauses do not hold in: anchors alone
        matches = [(m.start(), m.end(), (entry, m)) for entry in _anchor_index(entries).candidates(ctx.lowered)
                   for m in prefilter.finditer(entry.pattern, ctx.text, ctx.scan) if m.end() > m.start()]
    for start, end, (entry, match) in earliest_longest(matches):
        suggestion, replacements = entry_fix(entry, match, ctx.tgt_lang)
        yield Finding(start, end, entry_message(entry, match, label), suggestion, replacements=replacements)


def _indexed_matches(ctx: CheckContext, index: _PhraseIndex, entries: tuple[PhraseEntry, ...]) -> list[_Match]:
    cached = ctx.cache.get("phrase hits")
    if cached is None or cached[0] is not index:
        cached = ctx.cache["phrase hits"] = (index, *index.scan(ctx.scan))
    _, present, places = cached  # type: ignore[misc]  # places: lead -> where it starts in the lowered text
    by_literal, always = index.triggers[id(entries)]
    tried = set(always)
    for number in present:
        tried.update(by_literal.get(number, ()))
    text, scan, lowered = ctx.text, ctx.scan, ctx.lowered
    # The leads stand for the text where the lowered text keeps its offsets (pack patterns are case-insensitive,
    # and the text has no extra folds); elsewhere each candidate is scanned as tqcheck.prefilter.finditer does.
    at_leads = scan.offsets_kept
    keys = index.keys
    matches: list[_Match] = []
    for position in sorted(tried):  # in pack order: an earlier entry wins a tie
        entry = entries[position]
        needs, openings = keys[id(entry)]
        if needs is not None and not any(all(not clause.isdisjoint(present) for clause in alternative)
                                         for alternative in needs):
            continue  # no alternative of the pattern has all it needs in the text (the pattern is not compiled)
        if at_leads and openings is not None:
            starts = openings.starts(text, lowered, places, index.scanned)
            if starts:
                matches += [(m.start(), m.end(), (entry, m)) for m in
                            prefilter.from_positions(entry.pattern, starts, text) if m.end() > m.start()]
        else:
            matches += [(m.start(), m.end(), (entry, m))
                        for m in prefilter.finditer(entry.pattern, text, scan) if m.end() > m.start()]
    return matches


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
