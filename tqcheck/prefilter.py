"""Cheap necessary conditions for a regular expression to match, so that a text it cannot match is not scanned.

A case-insensitive pattern, or one that opens with a look-behind or an alternation, loses the regex engine's
literal and character-set fast paths: it is tried at every position of the text (0.05–0.25 µs a character on
this project's machine). Most such patterns still need, in every match, one of a few literals ("tausend",
"年") or one character of a class (a digit). ``str.__contains__`` and a one-class search find those at memory
speed, and a text without any of them is skipped: the result is the same, found sooner.

The analysis reads the pattern's parse tree (``re._parser``): a literal run, a character class, a group, an
alternation whose every branch needs something, and a repeat of at least one are what a match must contain.
Anything it does not understand gives no condition, which only costs speed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tqcheck import datacache, regexcache
from tqcheck.chunking import whitespace_chunks


def _extra_folds() -> re.Pattern[str]:
    """Characters the regex engine matches case-insensitively beyond ``str.lower`` (re._casefix: ſ = s, ı = i,
    the Greek and Cyrillic variants) and İ, which ``str.lower`` makes two characters where the engine makes it
    "i": in a text with any of them a lowercase literal test could miss a match. Plain i and s are left out:
    they are in every text, and a pattern that writes ı, ſ or İ gets no literal test (_UNSAFE_IN_LITERALS)."""
    from re import _casefix  # type: ignore[attr-defined]

    chars = {chr(c) for k, v in _casefix._EXTRA_CASES.items() for c in (k, *v)} - {"i", "s"} | {"\u0130"}
    return regexcache.compile("[" + "".join(map(re.escape, sorted(chars))) + "]")


_EXTRA_FOLDS = _extra_folds()
# The characters that are not of _EXTRA_FOLDS but that ``str.lower`` turns into one (Greek capital beta, sigma
# and the theta symbol, Cyrillic capitals …): a text has an extra fold in it or in its lowered text exactly when
# it has a character of either set, so one search of the text answers for both (where two searched the text and
# the lowered text); tests/test_prefilter.py checks every code point.
_LOWERED_INTO_EXTRA_FOLDS = ("\u0392\u0395\u0398\u0399\u039a\u039c\u03a0\u03a1\u03a3\u03a6\u03f4"
                             "\u0412\u0414\u041e\u0421\u0422\u042a\u0462\u1e60\ua64a")
_EXTRA_FOLDS_OR_LOWERED_INTO = regexcache.compile(
    _EXTRA_FOLDS.pattern[:-1] + "".join(map(re.escape, _LOWERED_INTO_EXTRA_FOLDS)) + "]")
_UNSAFE_IN_LITERALS = frozenset("ıſ\u0130")

_Atom = tuple[str, str]  # ("literal", lowercase text) or ("class", a character class in regex syntax)


def lowercase(text: str) -> str:
    """``text.lower()``, a chunk at a time (:mod:`tqcheck.chunking`: ``str.lower`` of a text that is not ASCII
    needs 12 bytes a character). Chunks end before white space, which no case-ignorable character is: the final
    sigma (Σ → ς at a word's end) sees the same neighbours in its chunk as in the whole text."""
    if text.isascii():
        return text.lower()
    return "".join(chunk.lower() for chunk in whitespace_chunks(text))


class ScanText:
    """A text with what the prefilters test on it, each worked out once however many patterns ask."""

    __slots__ = ("_first", "_folds", "_hits", "_lowered", "text")

    def __init__(self, text: str, lowered: str | None = None) -> None:
        self.text = text
        self._lowered = lowered
        self._folds: bool | None = None
        # id(automaton) -> (the automaton, its hits in the lowered text), filled by the shared pass (see hits)
        self._hits: dict[int, tuple[Any, list[tuple[int, Any]]]] | None = None
        self._first: Any = None  # the automaton asked about first, which names the group of the shared pass

    def hits(self, automaton: Any) -> list[tuple[int, Any]]:
        """``list(automaton.iter(self.lowered))``: the ``(end, value)`` hits of a pyahocorasick automaton in the
        lowered text, in the automaton's order.

        Several rules each ran an automaton of their own over the same lowered text (number words, the packs'
        phrases, loanwords, page furniture), and a pass costs about as much for a handful of words as for
        hundreds: the automata asked about one text are remembered (by the one asked first), and from the next
        text on they are run as one automaton holding all their words, in one pass (:func:`_shared_pass`)."""
        if len(self.lowered) > SHARED_PASS_CHARS:
            # A long text's hits are many (every "ein" a number word's): kept for all the automata, they were a
            # sixth of a 10 MB pair's peak memory. Each caller's pass is its own, and goes when the caller is done.
            return list(automaton.iter(self.lowered)) if len(automaton) else []
        table = self._hits
        if table is None:
            table = self._hits = _shared_pass(_group_of(automaton), self.lowered)
            self._first = automaton
        entry = table.get(id(automaton))
        if entry is None or entry[0] is not automaton:
            entry = table[id(automaton)] = (automaton, list(automaton.iter(self.lowered)) if len(automaton) else [])
            _join_group(self._first, automaton)
        return entry[1]

    @property
    def lowered(self) -> str:
        if self._lowered is None:
            self._lowered = lowercase(self.text)
        return self._lowered

    @property
    def extra_folds(self) -> bool:
        """Whether the text has a character that the engine's case folding and ``str.lower`` treat apart (looked
        for in the lowered text too: ``str.lower`` writes a final capital sigma as ς, the engine as σ)."""
        if self._folds is None:
            self._folds = _EXTRA_FOLDS_OR_LOWERED_INTO.search(self.text) is not None
        return self._folds

    @property
    def offsets_kept(self) -> bool:
        """Whether the lowered text has the text's offsets (a few letters change length when lowered)."""
        return len(self.lowered) == len(self.text)


@dataclass(frozen=True, slots=True)
class Prefilter:
    """What every match of one pattern contains: one of ``literals`` (lowercase, found in the lowercased text)
    or a character that ``chars`` matches. Empty: nothing is known, and every text may match."""

    literals: tuple[str, ...] = ()
    chars: re.Pattern[str] | None = None
    ignorecase: bool = False
    # The characters a match can start with, when they are no letters (digits, CJK, symbols): few positions
    # of a text, found by a fast scan, each then tried with an anchored match.
    starts: re.Pattern[str] | None = None
    # Else the literals (lowercase, two characters or more) one of which every match starts with: their places
    # in the lowered text, found in one Aho–Corasick pass, are the positions to try.
    prefixes: _Prefixes | None = None
    # Many literals (a list of names) are looked for in one Aho–Corasick pass, not one substring test each.
    automaton: Any = None

    def may_match(self, scan: ScanText) -> bool:
        if not self.literals and self.chars is None:
            return True
        if self.literals:
            if self.ignorecase and scan.extra_folds:
                return True
            lowered = scan.lowered
            if self.automaton is not None:
                if next(self.automaton.iter(lowered), None) is not None:
                    return True
            elif any(literal in lowered for literal in self.literals):
                return True
        return self.chars is not None and self.chars.search(scan.text) is not None


# By identity: hashing a compiled pattern hashes its whole program (microseconds for a long alternation), and
# the patterns are module constants and pack entries that live as long as the process. The pattern is kept
# beside its prefilter, so its id is never reused while the entry lives.
_PREFILTERS: dict[int, tuple[re.Pattern[str], Prefilter]] = {}


def prefilter(pattern: re.Pattern[str]) -> Prefilter:
    """The prefilter of ``pattern``, worked out once."""
    entry = _PREFILTERS.get(id(pattern))
    if entry is None or entry[0] is not pattern:
        if len(_PREFILTERS) > 100_000:  # patterns made on the fly (user glossaries) must not pile up
            _PREFILTERS.clear()
        entry = _PREFILTERS[id(pattern)] = (pattern, _analyse(pattern))
    return entry[1]


def _analyse(pattern: re.Pattern[str]) -> Prefilter:
    flags = pattern.flags & (re.IGNORECASE | re.ASCII)
    starts, leads, atoms = _facts(pattern)
    start_re = regexcache.compile(starts, flags) if starts is not None else None
    ignorecase = bool(pattern.flags & re.IGNORECASE)
    prefixes = _Prefixes(leads) if leads is not None else None
    if not atoms:
        return Prefilter(ignorecase=ignorecase, starts=start_re, prefixes=prefixes)
    literals = tuple(sorted(text for kind, text in atoms if kind == "literal"))
    classes = sorted(text for kind, text in atoms if kind == "class")
    chars = regexcache.compile("|".join(classes), flags) if classes else None
    return Prefilter(literals, chars, ignorecase, start_re, prefixes,
                     automaton((w, len(w)) for w in literals) if len(literals) > _MANY_LITERALS else None)


_Facts = tuple[str | None, frozenset[str] | None, frozenset[_Atom] | None]
# The analyses of the tree's patterns (module constants and the shipped packs') are the same in every process:
# kept in the cache folder, keyed by the pattern's source and flags, while this module's code is unchanged.
_KEPT_FACTS = datacache.KeptTable("prefilter-facts", (__file__,), 200_000,
                                  lambda facts: 1 + len(facts[1] or ()) + len(facts[2] or ()))  # type: ignore[index]


def _facts(pattern: re.Pattern[str]) -> _Facts:
    """What the parse tree of ``pattern`` says, as plain data: the class of the characters a match starts with
    (None: unknown, or letters), else the literals one of which it starts with (None: unknown), and what every
    match contains (:func:`_requirement`)."""
    key = (pattern.pattern, pattern.flags)
    facts = _KEPT_FACTS.get(key)
    if facts is None:
        facts = _analysed_facts(pattern)
        _KEPT_FACTS.put(key, facts)
    return facts  # type: ignore[return-value]


def _analysed_facts(pattern: re.Pattern[str]) -> _Facts:
    starts = _start_chars(pattern)
    if starts is not None and re.search(starts, _LETTERS_AND_SPACE, pattern.flags & (re.IGNORECASE | re.ASCII)):
        starts = None  # letters start matches everywhere: a position-by-position try would be slower
    if pattern.flags & re.IGNORECASE and _UNSAFE_IN_LITERALS & set(pattern.pattern):
        return starts, None, None  # the engine folds these to plain i and s
    leads = _literal_prefixes(pattern) if starts is None else None
    return starts, leads, _requirement(pattern, min_literal=1, classes=True)


_MANY_LITERALS = 8


def automaton(words: Iterable[tuple[str, Any]]) -> Any:
    """A pyahocorasick automaton over ``(word, value)`` pairs (``iter(text)`` yields ``(end, value)``; a word
    given twice keeps its last value), ready to search. Only one with a word can be searched: callers of an
    automaton that may be empty test ``len()`` first."""
    import ahocorasick

    built = ahocorasick.Automaton()
    for word, value in words:
        built.add_word(word, value)
    if len(built):
        built.make_automaton()
    return built


# Texts longer than this (characters) get no shared pass: each automaton asked about one runs over it on its own.
SHARED_PASS_CHARS = 1_000_000
# The automata asked about one text, by the one asked first (which keeps its id from being reused while the entry
# lives): the group a shared pass runs for the next text that one opens. Groups only grow, up to _MAX_GROUP (a
# member no later text asks about costs its hits, never a wrong answer); the table is bounded.
_GROUPS: dict[int, tuple[Any, tuple[Any, ...]]] = {}
_MAX_GROUP = 8
_MAX_GROUPS = 256
# The combined automaton of a group, by the members' ids (the members are kept beside it).
_COMBINED: dict[tuple[int, ...], tuple[tuple[Any, ...], Any]] = {}


def _group_of(first: Any) -> tuple[Any, ...]:
    entry = _GROUPS.get(id(first))
    return entry[1] if entry is not None and entry[0] is first else (first,)


def _join_group(first: Any, member: Any) -> None:
    group = _group_of(first)
    if member in group or len(group) >= _MAX_GROUP or not len(member):
        return
    if len(_GROUPS) >= _MAX_GROUPS:
        _GROUPS.clear()
    _GROUPS[id(first)] = (first, (*group, member))


def _shared_pass(group: tuple[Any, ...], lowered: str) -> dict[int, tuple[Any, list[tuple[int, Any]]]]:
    """Each member's hits in ``lowered`` (what ``list(member.iter(lowered))`` gives), from one pass of an automaton
    over all the members' words whose value for a word is the ``(member index, value)`` of every member that has
    it. Aho–Corasick reports every occurrence of every word, ends in text order, so each member's hits come out as
    its own pass gives them."""
    members = [a for a in group if len(a)]
    if len(members) <= 1:
        return {id(a): (a, list(a.iter(lowered)) if len(a) else []) for a in group}
    combined = _combined(tuple(members))
    lists: list[list[tuple[int, Any]]] = [[] for _ in members]
    appends = [found.append for found in lists]
    for end, values in combined.iter(lowered):
        for k, value in values:
            appends[k]((end, value))
    table = {id(a): (a, found) for a, found in zip(members, lists, strict=True)}
    table.update((id(a), (a, [])) for a in group if not len(a))
    return table


def _combined(members: tuple[Any, ...]) -> Any:
    key = tuple(map(id, members))
    entry = _COMBINED.get(key)
    if entry is None or any(a is not b for a, b in zip(entry[0], members, strict=True)):
        words: dict[str, list[tuple[int, Any]]] = {}
        for k, member in enumerate(members):
            for word, value in member.items():
                words.setdefault(word, []).append((k, value))
        if len(_COMBINED) >= _MAX_GROUPS:
            _COMBINED.clear()
        entry = _COMBINED[key] = (members, automaton((word, tuple(values)) for word, values in words.items()))
    return entry[1]


class _Prefixes:
    """An Aho–Corasick automaton over the literals one of which opens every match."""

    def __init__(self, leads: frozenset[str]) -> None:
        self.automaton = automaton((lead, len(lead)) for lead in sorted(leads))

    def positions(self, lowered: str) -> list[int]:
        """Where one of the literals starts in ``lowered``, in order."""
        return sorted({end - size + 1 for end, size in self.automaton.iter(lowered)})

    def positions_in(self, scan: ScanText) -> list[int]:
        """:meth:`positions` of the scan's lowered text, from its shared pass (:meth:`ScanText.hits`)."""
        return sorted({end - size + 1 for end, size in scan.hits(self.automaton)})


_LETTERS_AND_SPACE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüÄÖÜßéàçñ \n\t\u00a0"


def finditer(pattern: re.Pattern[str], text: str, scan: ScanText | None = None) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text)``, found sooner: none where ``scan`` (the text's prefilter
    tests) shows the text lacks what every match needs, and where matches start with a digit or another
    non-letter, an anchored match tried only at the positions that have one."""
    found = prefilter(pattern)
    if found.prefixes is not None:
        scan = scan or ScanText(text)
        # The lowered text stands for the text only where it has its offsets and folds as the engine does;
        # then the openings found say all (none: no match), and no other test is needed.
        if scan.offsets_kept and not (found.ignorecase and scan.extra_folds):
            return from_positions(pattern, found.prefixes.positions_in(scan), text)
    if scan is not None and not found.may_match(scan):
        return iter(())
    if found.starts is not None:
        return _from_starts(pattern, found.starts, text)
    return pattern.finditer(text)


def starts_of(literal: str, text: str) -> list[int]:
    """Every start of ``literal`` in ``text``, overlapping ones too, in order (``str.find`` in C, one call a hit)."""
    starts = []
    find = text.find
    at = find(literal)
    while at >= 0:
        starts.append(at)
        at = find(literal, at + 1)
    return starts


def from_positions(pattern: re.Pattern[str], positions: Iterable[int], text: str) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text)`` when ``positions`` (ascending) hold every place a match of it
    can start: each tried in order with an anchored match, none inside the last match."""
    match = pattern.match
    end = 0
    for at in positions:
        if at < end:
            continue
        m = match(text, at)
        if m is not None:
            yield m
            end = m.end()


def _from_starts(pattern: re.Pattern[str], starts: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    # finditer tries every position in turn and goes on after a match's end (never empty: the pattern's
    # minimum width is one or more); a position whose character cannot start a match is skipped here instead.
    # ``match`` at a position sees the text before it, as look-behinds and \b need.
    search, match = starts.search, pattern.match
    pos = 0
    while (start := search(text, pos)) is not None:
        at = start.start()
        m = match(text, at)
        if m is None:
            pos = at + 1
        else:
            yield m
            pos = m.end()


@lru_cache(maxsize=64)
def _parse(source: str, flags: int) -> Any:
    """The parse tree of a pattern, shared by the analyses of one pattern (each only reads it)."""
    from re import _parser  # type: ignore[attr-defined]

    return _parser.parse(source, flags)


def required_literals(pattern: re.Pattern[str], min_length: int = 2) -> tuple[str, ...] | None:
    """Literals (lowercase, at least ``min_length`` long) one of which occurs in every match of ``pattern``, or
    None when not derivable."""
    atoms = _requirement(pattern, min_literal=min_length, classes=False)
    return tuple(sorted(text for _, text in atoms)) if atoms else None


# A clause's literals this long or longer: shorter ones are common words or parts of words ("und", "ein").
_CLAUSE_LITERAL = 4
_CLAUSES_KEPT = 6


def required_clauses(pattern: re.Pattern[str]) -> tuple[tuple[tuple[str, ...], ...], ...] | None:
    """What every match of ``pattern`` contains, sharper than :func:`required_literals`: for each alternative
    of the pattern (its top-level ``|``), clauses that all hold for a match of that alternative, each a tuple of
    lowercase literals one of which the match contains (``horizontale…und…vertikale…Vergleich`` needs
    "horizontale" and "vertikale" and "vergleich"). A match of the pattern satisfies one alternative's clauses.
    None when an alternative gives none, or the pattern writes a letter the engine folds apart (ı, ſ, İ). The
    literals hold in the lowered text of a text without :attr:`ScanText.extra_folds`."""
    from re import _constants as c  # type: ignore[attr-defined]

    if pattern.flags & re.IGNORECASE and _UNSAFE_IN_LITERALS & set(pattern.pattern):
        return None

    def sequence(items) -> list[frozenset[str]]:
        """Clauses that every match of ``items`` satisfies."""
        found: list[frozenset[str]] = []
        run = ""

        def close_run() -> None:
            nonlocal run
            if len(run) >= _CLAUSE_LITERAL:
                found.append(frozenset({run}))
            run = ""

        for op, arg in items:
            if op is c.LITERAL:
                run += chr(arg).lower()
                continue
            close_run()
            if op is c.SUBPATTERN and not arg[1] and not arg[2]:
                found += sequence(arg[-1])
            elif op is c.ATOMIC_GROUP:
                found += sequence(arg)
            elif op is c.BRANCH:
                best = [min(sequence(alt), key=_clause_rank, default=None) for alt in arg[1]]
                if all(clause is not None for clause in best):
                    found.append(frozenset().union(*best))  # type: ignore[arg-type]
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and arg[0] >= 1:
                found += sequence(arg[2])  # the first repetition
        close_run()
        return found

    try:
        parsed = list(_parse(pattern.pattern, pattern.flags))
        # ``\bA|\bB`` parses as \b, then A|B (the parser moves what the branches share out in front of them)
        branches = [k for k, (op, _) in enumerate(parsed) if op is c.BRANCH]
        alternatives = [parsed]
        if len(branches) == 1:
            k = branches[0]
            alternatives = [[*parsed[:k], *alt, *parsed[k + 1:]] for alt in parsed[k][1][1]]
        result = []
        for alternative in alternatives:
            clauses = sorted(set(sequence(alternative)), key=_clause_rank)[:_CLAUSES_KEPT]
            if not clauses:
                return None
            result.append(tuple(tuple(sorted(clause)) for clause in clauses))
    except Exception:  # an analysis failure only costs speed, never a match
        return None
    return tuple(result)


def _clause_rank(clause: frozenset[str]) -> tuple[int, int, tuple[str, ...]]:
    # The rarer first: long literals, few of them (then by text, for a stable choice)
    return (-min(map(len, clause)), len(clause), tuple(sorted(clause)))


def _requirement(pattern: re.Pattern[str], *, min_literal: int, classes: bool) -> frozenset[_Atom] | None:
    from re import _constants as c  # type: ignore[attr-defined]

    def rank(atoms: frozenset[_Atom]) -> tuple[bool, bool, int]:
        # Literals of two or more characters are rarer than any class, a literal character than a class; then
        # the longer the shortest literal, the better.
        lengths = [len(text) for kind, text in atoms if kind == "literal"]
        only_literals = all(kind == "literal" for kind, _ in atoms)
        only_long = only_literals and min(lengths, default=0) >= 2
        return (only_long, only_literals, min(lengths, default=1))

    def better(a: frozenset[_Atom] | None, b: frozenset[_Atom] | None) -> frozenset[_Atom] | None:
        if not a:
            return b
        if not b:
            return a
        return a if rank(a) >= rank(b) else b

    def scan(items) -> frozenset[_Atom] | None:
        best: frozenset[_Atom] | None = None
        run = ""

        def close_run() -> None:
            nonlocal best, run
            if len(run) >= min_literal:
                best = better(best, frozenset({("literal", run)}))
            run = ""

        for op, arg in items:
            if op is c.LITERAL:
                run += chr(arg).lower()
                continue
            close_run()
            if op is c.SUBPATTERN:
                if not arg[1] and not arg[2]:  # a group that changes no flags
                    best = better(best, scan(arg[-1]))
            elif op is c.ATOMIC_GROUP:
                best = better(best, scan(arg))
            elif op is c.BRANCH:
                alternatives = [scan(alt) for alt in arg[1]]
                if all(alternatives):
                    best = better(best, frozenset().union(*alternatives))  # type: ignore[arg-type]
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and arg[0] >= 1:
                best = better(best, scan(arg[2]))
            elif classes and op in (c.IN, c.NOT_LITERAL):
                source = _class_source(arg) if op is c.IN else f"[^{re.escape(chr(arg))}]"
                if source is not None:
                    best = better(best, frozenset({("class", source)}))
        close_run()
        return best

    try:
        return scan(_parse(pattern.pattern, pattern.flags))
    except Exception:  # an analysis failure only costs speed, never a match
        return None


def _start_chars(pattern: re.Pattern[str]) -> str | None:
    """A character class (regex syntax) of every character a match of ``pattern`` can start with, or None when
    not derivable (a pattern that can match the empty string, a dot, a back-reference...)."""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    def nullable(items) -> bool:
        return _parser.SubPattern(parsed.state, list(items)).getwidth()[0] == 0

    def first(items) -> list[str] | None:
        """Classes of the first character of ``items``; None: unknown. Zero-width items are passed over (a
        look-ahead only narrows what may start)."""
        found: list[str] = []
        for k, (op, arg) in enumerate(items):
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue
            if op is c.LITERAL:
                return [*found, re.escape(chr(arg))]
            if op is c.IN:
                source = _class_source(arg)
                return None if source is None else [*found, source]
            if op is c.SUBPATTERN and not arg[1] and not arg[2]:
                inner, body = first(arg[-1]), arg[-1]
            elif op is c.ATOMIC_GROUP:
                inner, body = first(arg), arg
            elif op is c.BRANCH:
                alternatives = [first(alt) for alt in arg[1]]
                if any(a is None for a in alternatives):
                    return None
                inner = [x for a in alternatives for x in a]  # type: ignore[union-attr]
                if any(nullable(alt) for alt in arg[1]):
                    rest = first(items[k + 1:])
                    return None if rest is None else [*found, *inner, *rest]
                return [*found, *inner]
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                inner, body = first(arg[2]), arg[2]
                if inner is not None and arg[0] == 0:
                    found += inner
                    continue  # may repeat zero times: what follows may start the match too
            else:
                return None
            if inner is None:
                return None
            if nullable(body):
                found += inner
                continue
            return [*found, *inner]
        return None  # everything may be empty

    try:
        parsed = _parse(pattern.pattern, pattern.flags)
        if parsed.getwidth()[0] == 0:
            return None
        classes = first(list(parsed))
    except Exception:  # an analysis failure only costs speed, never a match
        return None
    return "|".join(sorted(set(classes))) if classes else None


_MAX_PREFIXES = 4096


def literal_prefixes(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literals (lowercase) one of which every match of ``pattern`` starts with, in order, or None when not
    derivable or not selective. They hold in the lowered text where it keeps the text's offsets and folds as the
    engine does (:attr:`ScanText.offsets_kept`, not :attr:`ScanText.extra_folds`)."""
    if pattern.flags & re.IGNORECASE and _UNSAFE_IN_LITERALS & set(pattern.pattern):
        return None  # the engine folds these to plain i and s
    leads = _literal_prefixes(pattern)
    return tuple(sorted(leads)) if leads is not None else None


def run_prefixes(pattern: re.Pattern[str]) -> tuple[str, int, tuple[str, ...]] | None:
    """For a pattern that opens with a run of one character class (``\\w*kreditsystem``, after any look-arounds):
    (the class in regex syntax, the flags to compile it with, literals one of which follows the run, as
    :func:`literal_prefixes` gives them). A match then starts where such a literal starts, or at most the run of
    characters of the class before it earlier. None for any other pattern."""
    from re import _constants as c  # type: ignore[attr-defined]

    if pattern.flags & re.IGNORECASE and _UNSAFE_IN_LITERALS & set(pattern.pattern):
        return None
    try:
        items = list(_parse(pattern.pattern, pattern.flags))
        k = next(k for k, (op, _) in enumerate(items) if op not in (c.AT, c.ASSERT, c.ASSERT_NOT))
        op, arg = items[k]
        if op not in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) or arg[0] != 0 or len(arg[2]) != 1:
            return None
        body_op, body_arg = next(iter(arg[2]))
        source = _class_source(body_arg) if body_op is c.IN else None
    except Exception:  # an analysis failure only costs speed, never a match
        return None
    leads = _literal_prefixes(pattern, items[k + 1:]) if source is not None else None
    if source is None or leads is None:
        return None
    return source, int(pattern.flags & (re.IGNORECASE | re.ASCII)), tuple(sorted(leads))


def _literal_prefixes(pattern: re.Pattern[str], items: Any = None) -> frozenset[str] | None:
    """Literals (lowercase) one of which every match of ``pattern`` (or of its parsed ``items``) starts with,
    all of two characters or more, or None when not derivable (or not selective: a one-letter start, thousands
    of literals)."""
    from re import _constants as c  # type: ignore[attr-defined]

    def sequence(items) -> tuple[set[str], bool] | None:
        """The literal openings of ``items``, and whether they are all of it (a literal sequence, so that
        what follows may extend them)."""
        leads = {""}
        for k, (op, arg) in enumerate(items):
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue  # zero width: neither consumes nor opens anything
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and arg[0] == 0 and not (
                    arg[1] == 1 and op is not c.POSSESSIVE_REPEAT and (body := sequence(arg[2])) is not None
                    and body[1]):
                # ``(?:den\s+)?Topf``, ``x*y``: a match opens with the body (and goes on, unknown) or skips it and
                # opens with what follows. (A complete optional body, ``x?``, is extended below instead.)
                taken, rest = sequence(arg[2]), sequence(items[k + 1:])
                if taken is None or rest is None:
                    return None
                leads = {a + b for a in leads for b in taken[0] | rest[0]}
                return (leads, False) if len(leads) <= _MAX_PREFIXES else None
            item = element(op, arg)
            if item is None:
                return leads, False
            more, complete = item
            leads = {a + b for a in leads for b in more}
            if len(leads) > _MAX_PREFIXES:
                return None
            if not complete:
                return leads, False
        return leads, True

    def element(op, arg) -> tuple[set[str], bool] | None:
        if op is c.LITERAL:
            return {chr(arg).lower()}, True
        if op is c.IN:
            chars = [chr(a).lower() for o, a in arg if o is c.LITERAL]
            return (set(chars), True) if len(chars) == len(arg) and len(chars) <= 8 else None
        if op is c.SUBPATTERN and not arg[1] and not arg[2]:
            return sequence(arg[-1])
        if op is c.BRANCH:
            alternatives = [sequence(alt) for alt in arg[1]]
            if any(a is None for a in alternatives):
                return None
            return ({x for leads, _ in alternatives for x in leads},  # type: ignore[misc]
                    all(complete for _, complete in alternatives))  # type: ignore[misc]
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and arg[1] == 1:  # x? (or x{1})
            body = sequence(arg[2])
            if body is None or not body[1]:
                return None
            return (body[0] | {""} if arg[0] == 0 else body[0]), True
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and arg[0] >= 1:
            body = sequence(arg[2])
            return None if body is None else (body[0], False)
        return None

    try:
        found = sequence(list(items if items is not None else _parse(pattern.pattern, pattern.flags)))
    except Exception:  # an analysis failure only costs speed, never a match
        return None
    if found is None or not all(len(lead) >= 2 or (lead and not lead.isalpha() and not lead.isspace())
                                for lead in found[0]):
        return None  # an empty opening, or one letter: (almost) every position of a text
    return frozenset(found[0])


def _class_source(items) -> str | None:
    """Regex source of a parsed character class, or None for what it does not rebuild."""
    from re import _constants as c  # type: ignore[attr-defined]

    parts, negate = [], ""
    for op, arg in items:
        if op is c.NEGATE:
            negate = "^"
        elif op is c.LITERAL:
            parts.append(re.escape(chr(arg)))
        elif op is c.RANGE:
            parts.append(f"{re.escape(chr(arg[0]))}-{re.escape(chr(arg[1]))}")
        elif op is c.CATEGORY and arg in _CATEGORIES:
            parts.append(_CATEGORIES[arg])
        else:
            return None
    return f"[{negate}{''.join(parts)}]" if parts else None


def _categories() -> dict[object, str]:
    from re import _constants as c  # type: ignore[attr-defined]

    return {c.CATEGORY_DIGIT: r"\d", c.CATEGORY_NOT_DIGIT: r"\D", c.CATEGORY_SPACE: r"\s",
            c.CATEGORY_NOT_SPACE: r"\S", c.CATEGORY_WORD: r"\w", c.CATEGORY_NOT_WORD: r"\W"}


_CATEGORIES = _categories()
