"""How much the words of a candidate link say that its two sides translate each other.

Each side's units (sentences or paragraphs) arrive as lists of tokens, each a set of English-pivot keys (see
``lexicon``). A token is *matched* by an other-side unit that shares a key with it. Per token, a
log-likelihood ratio of "this link is a translation" against "this link is chance":

- matched: ``log(c/p)``, where ``p`` is the chance of matching that unit at random (from how many of the
  other side's units the token matches, scaled by the unit's size in tokens: a long sentence, or two
  sentences together, are hit by chance more often) and ``c`` the document's rate of matched tokens in true
  links (estimated from each unit's best partner; never below ``p``);
- unmatched: ``log((1 − c)/(1 − p))``.

Summed over both sides' tokens it is large for a true link and clearly negative for a link that absorbed a
sentence nobody translated (every token of it unmatched): the evidence that length alone lacks when a short
sentence is dropped and the rest still fits. Everything per token is worked out once per document (its matches
once for the sentences' model and the paragraphs', see :class:`Matches`); each unit's LLR against a span of
the other side's units is worked out when the DP first asks for it and kept, so that scoring a candidate link
is a few dictionary reads, never a dictionary lookup of words.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, compress
from operator import not_

from tqcheck.align.lexicon import Token

MAX_UNITS = 3  # the most units on one side of a link the DP builds (1-3, 3-1)
_MAX_SHARE = 0.5  # a token matching more than this share of the other side's units says nothing
# ... nor one matching more than this many units: its evidence is near nothing (a chance match is likely in any
# of them), and keeping it would make the tables grow with the square of a text that repeats itself.
_MAX_MATCHES = 24
# Bounds on the estimated match rate of true links: a text of names only, or a tiny one, must not make a
# single match decisive or worthless.
_MIN_RATE, _MAX_RATE = 0.2, 0.9
try:
    from _collections import _count_elements  # what Counter counts with, without its checks per call
except ImportError:  # pragma: no cover - another Python
    def _count_elements(mapping: dict, iterable: Iterable) -> None:
        for element in iterable:
            mapping[element] = mapping.get(element, 0) + 1

_FEW_UNITS = 12  # up to this many units on the other side, a token's matches are found without an index
_EMPTY: frozenset[int] = frozenset()
_FIRST = frozenset((0,))


def _matcher(other: Sequence[Sequence[Token]]) -> Callable[[Sequence[Token]], list[frozenset[int]]]:
    """A function from tokens to the other-side units that share one of their keys, each token's set in turn (a
    comprehension a batch of tokens, not a call a token)."""
    if len(other) == 1:
        keys_0 = frozenset().union(*[token.keys for token in other[0]])
        return lambda tokens: [_EMPTY if token.keys.isdisjoint(keys_0) else _FIRST for token in tokens]
    if len(other) <= _FEW_UNITS:
        # A handful of units (a bilingual file's unit): each token tested against each unit's keys, in C, beats
        # building an index of every key.
        unit_keys = [frozenset().union(*[token.keys for token in unit]) for unit in other]
        ids = range(len(unit_keys))
        return lambda tokens: [frozenset(compress(ids, map(not_, map(token.keys.isdisjoint, unit_keys))))
                               for token in tokens]
    index: dict[str, list[int]] = {}
    for i, unit in enumerate(other):
        # Each key once per unit: the lists stay sorted and free of repeats. (One unit's keys at a time: all of
        # them at once would hold a set per sentence of a long document.)
        for key in frozenset().union(*[token.keys for token in unit]):
            units = index.get(key)
            if units is None:
                index[key] = [i]
            else:
                units.append(i)

    known = index.keys()
    units_of = index.__getitem__
    # set operations in C, not a loop over the keys
    return lambda tokens: [_EMPTY.union(*map(units_of, known & token.keys)) for token in tokens]


class Matches:
    """The units of one side that each token of the other side shares a key with, looked up once a token and
    kept (``keep``): a document's sentences serve both its lexical models, the sentences' and (:meth:`grouped`)
    the paragraphs', whose units are groups of the same sentences and tokens. Asked for a batch of tokens at a
    time (see :func:`_matcher`)."""

    def __init__(self, units: Sequence[Sequence[Token]], *, keep: bool = True) -> None:
        """``keep``: remember the answers (for a second model); without, each call works them out anew."""
        self._units = units
        self._keep = keep
        self._match: Callable[[Sequence[Token]], list[frozenset[int]]] | None = None  # built when first needed
        # Keyed by the token object, as _Side's memo is (tokens are mostly shared objects of the lexicon's caches);
        # the tokens are held, so that no id is reused for another token while the answers are kept.
        self._found: dict[int, frozenset[int]] = {}
        self._held: list[Token] = []

    def __call__(self, tokens: Sequence[Token]) -> list[frozenset[int]]:
        """The units each of ``tokens`` matches."""
        if self._match is None:
            self._match = _matcher(self._units)
        if not self._keep:
            return self._match(tokens)
        get = self._found.get
        answers = [get(id(token)) for token in tokens] if self._found else [None] * len(tokens)
        missing = [token for token, found in zip(tokens, answers, strict=True) if found is None]
        if not missing:
            return answers
        new = self._match(missing)
        for token, found in zip(missing, new, strict=True):
            # A token that matches more units than any model counts (a frequent word of a long document) is not
            # kept: its set would hold a unit id per match, for every such word at once.
            if len(found) <= _MAX_MATCHES:
                self._found[id(token)] = found
                self._held.append(token)
        if len(missing) == len(tokens):
            return new
        fresh = iter(new)
        return [next(fresh) if found is None else found for found in answers]

    def release(self) -> None:
        """Drop the index and the answers (a long document's index holds a unit id per key and unit): once the
        models are built, nothing asks again. A call after this builds the index anew."""
        self._match = None
        self._found, self._held = {}, []

    def grouped(self, group_of: Sequence[int]) -> Callable[[Sequence[Token]], list[frozenset[int]]]:
        """The same for groups of the units (``group_of[i]``: the group of unit i, -1 for none): a group matches
        a token when one of its units does, since the group's keys are its units' keys."""
        get = group_of.__getitem__
        if -1 in group_of:
            return lambda tokens: [frozenset(map(get, found)) - _UNGROUPED for found in self(tokens)]
        return lambda tokens: [frozenset(map(get, found)) for found in self(tokens)]


_UNGROUPED = frozenset((-1,))
# Tokens whose matches a side asks for at once: a comprehension a batch, not a call a token, and only this many
# match sets held before the ones that say nothing (a frequent word of a long document) are dropped.
_MATCHED_AT_ONCE = 64
_MAX_POSTINGS = 1024  # units whose postings a side keeps at once
# A table's miss, told by identity: no token of the unit matches the span (None: an entry not worked out yet).
_NO_MATCH = float("nan")


def _sizes(units: Sequence[Sequence[Token]]) -> list[int]:
    return [max(1, len(unit)) for unit in units]


def _matched(kt: int, mass: float, rate: float) -> float:
    """:func:`_evidence`'s matched ratio of a token that matches k >= 1 units against t tokens, from k·t: the same
    operations on the same numbers (−k·t is the same int however it is formed)."""
    p = min(0.95, 1 - math.exp(-kt / mass))
    return math.log(max(rate, p) / p)


def _evidence(k: int, t: int, mass: float, rate: float) -> tuple[float, float]:
    """(matched, unmatched) log-likelihood ratios of a token that matches k units, against t tokens of a side
    whose units hold ``mass`` tokens and whose true links match at ``rate``."""
    # A chance match is likelier against a long sentence (more words to hit) and against two: a token matching k
    # of the other side's units, of T tokens in all, hits t tokens with p = 1 − exp(−k·t/T).
    p = min(0.95, 1 - math.exp(-max(k, 0.5) * t / mass))
    c = max(rate, p)  # the observed rate includes chance matches
    return math.log(c / p), math.log((1 - c) / (1 - p))


class _Side:
    """The tokens of one side's units, scored against the units of the other side.

    What every link needs (each token's matches, the match rate, each unit's all-unmatched base) is worked out
    for the whole side at once; a unit's LLR against a span of other-side units (a *term*) only when a link
    asks for it, from the unit's postings (its matched tokens by other-side unit), so that only the tokens a
    span matches are visited, not every token for every span. Every sum is taken token by token in token
    order, as the definition has it, so the scores are the same to the last bit
    (tests/test_align_evidence.py).
    """

    def __init__(self, tokens: Sequence[Sequence[Token]], sizes: Sequence[int],
                 match: Callable[[Sequence[Token]], list[frozenset[int]]], strict: bool) -> None:
        limit = max(1.0, min(_MAX_SHARE * len(sizes), _MAX_MATCHES))
        # A word repeated in the text is looked up once. Keyed by the token object (tokens come from the
        # lexicon's caches, so a repeated word is mostly the same object): an int hash, where the dataclass's
        # own hash is Python code; equal tokens that are distinct objects just get the same answer twice.
        counted: dict[int, frozenset[int] | None] = {}  # None: not counted
        distinct = list({id(token): token for unit in tokens for token in unit}.values())
        for start in range(0, len(distinct), _MATCHED_AT_ONCE):
            batch = distinct[start:start + _MATCHED_AT_ONCE]
            # A word matched nowhere counts (as unmatched) only if the dictionary knows it and ``strict``; one
            # that matches most of the other side says nothing.
            counted.update({id(token): found if (found or (strict and token.known)) and len(found) <= limit else None
                            for token, found in zip(batch, match(batch), strict=True)})
        # rows[j]: for each counted token of unit j, the other-side units it matches.
        self.rows: list[list[frozenset[int]]] = []
        best_total = counted_total = 0
        answer = counted.__getitem__
        for unit in tokens:
            row = [found for found in map(answer, map(id, unit)) if found is not None]
            self.rows.append(row)
            if len(row) >= 3:
                hits: dict[int, int] = {}
                _count_elements(hits, chain.from_iterable(row))
                best_total += max(hits.values(), default=0)
                counted_total += len(row)
        rate = best_total / counted_total if counted_total else 0.5
        self.rate = min(_MAX_RATE, max(_MIN_RATE, rate))
        self.sizes = sizes
        self.mass = float(sum(self.sizes)) or 1.0
        self.typical = max(1, round(self.mass / max(1, len(self.sizes))))
        # base[j]: unit j with every token unmatched (what a token matching k units adds, by k).
        unmatched = [_evidence(k, self.typical, self.mass, self.rate)[1] for k in range(int(limit) + 1)]
        self.base = [sum(map(unmatched.__getitem__, map(len, row))) for row in self.rows]
        self.base0 = [base + 0.0 for base in self.base]  # a link no token of the unit matches: base + no weight
        self.count = len(self.sizes)
        self.prefix = [0]
        for size in self.sizes:
            self.prefix.append(self.prefix[-1] + size)
        self._unmatched = unmatched
        # t → k → _weight(k, t), filled in as met (k <= _MAX_MATCHES < 32); k·t → the matched ratio
        self._weight_rows: dict[int, list[float | None]] = {}
        self._matched: dict[int, float] = {}
        self.focus(0, self.count - 1)

    def focus(self, lo: int, hi: int) -> None:
        """Score this side's units only against spans of the other side's units ``lo`` to ``hi`` from now on (the
        paragraph group the aligner is in: a sentence is never linked outside it), which spares each unit's
        postings and tables the matches elsewhere in the document. What was worked out before is dropped (it
        belongs to units of another group)."""
        # tables[n][j][a]: base[j] plus the weights of the tokens of unit j that a match in the n other-side units
        # from a (a link's other side, n = 1 to 3), None until first read; only spans that match a token of j
        # have an entry (the others' LLR is base0[j]), so a table grows with j's matches, not with the DP's band.
        self.tables: dict[int, dict[int, dict[int, float | None]]] = {n: {} for n in range(1, MAX_UNITS + 1)}
        # postings[j][i]: the tokens of unit j that other-side unit i (in focus) matches, in token order, each as
        # its position << 5 | the number of units it matches.
        self._postings: dict[int, dict[int, list[int]]] = {}
        self._window = None if lo <= 0 and hi >= self.count - 1 else frozenset(range(lo, hi + 1))
        self._lo, self._hi = max(0, lo), min(self.count - 1, hi)

    def table(self, n: int, j: int) -> dict[int, float | None]:
        """``tables[n][j]``, its entries not yet worked out: the starts of the spans of n units in focus that
        match a token of unit j."""
        postings = self._postings.get(j)
        if postings is None:
            postings = self._postings_of(j)
        if n == 1:
            table: dict[int, float | None] = dict.fromkeys(postings)
        else:
            lo, hi = self._lo, self._hi - n + 1
            table = dict.fromkeys(a for i in postings for a in range(max(lo, i - n + 1), min(i, hi) + 1))
        self.tables[n][j] = table
        return table

    def term(self, n: int, j: int, a: int) -> float:
        """``tables[n][j][a]``, worked out and kept (``a`` starts a span with a match): the weights added in
        token order, one float addition a token, as the definition sums them: the same float to the last bit."""
        postings = self._postings.get(j)
        if postings is None:
            postings = self._postings_of(j)
        codes = postings.get(a)
        if n > 1:
            # A token matched by two units of the span is counted once: the union of the units' postings, back in
            # token order (a code sorts by position first).
            if n == 2:
                more = postings.get(a + 1)
                if more is not None:
                    codes = more if codes is None else sorted({*codes, *more})
            else:
                parts = [part for part in (codes, postings.get(a + 1), postings.get(a + 2)) if part is not None]
                codes = parts[0] if len(parts) == 1 else sorted(set().union(*parts))
        size = self.prefix[a + n] - self.prefix[a]
        weights = self._weight_rows.get(size)
        if weights is None:
            weights = self._weight_rows[size] = [None] * 32
        entry = 0.0
        for code in codes:
            weight = weights[code & 31]
            if weight is None:
                weight = self._weight(code & 31, size)
            entry += weight
        term = self.tables[n][j][a] = self.base[j] + entry
        return term

    def _postings_of(self, j: int) -> dict[int, list[int]]:
        if len(self._postings) >= _MAX_POSTINGS:
            # A long document's units are scored a few at a time, in order (the DP's band): the postings and tables
            # of units left behind are dropped, not kept for the whole document (they are rebuilt, to the same
            # floats, if asked for). The tables are emptied in place, as the scoring loops hold them; a unit's
            # table is only ever made after its postings, so a table that is there has its postings.
            self._postings.clear()
            for tables in self.tables.values():
                tables.clear()
        postings: dict[int, list[int]] = {}
        window = self._window
        for position, found in enumerate(self.rows[j]):
            code = position << 5 | len(found)
            for i in (found if window is None else found & window):
                codes = postings.get(i)
                if codes is None:
                    postings[i] = [code]
                else:
                    codes.append(code)
        self._postings[j] = postings
        return postings

    def _weight(self, k: int, t: int) -> float:
        """A matched token's weight over the base, which counted it unmatched against a unit of typical size."""
        weights = self._weight_rows.get(t)
        if weights is None:
            weights = self._weight_rows[t] = [None] * 32
        weight = weights[k]
        if weight is None:
            # The matched ratio depends on k·t alone (k >= 1 here: p's exponent is −k·t/T): many pairs share it.
            matched = self._matched.get(k * t)
            if matched is None:
                matched = self._matched[k * t] = _matched(k * t, self.mass, self.rate)
            weight = weights[k] = matched - self._unmatched[k]
        return weight

    def score(self, ids: Sequence[int], other_ids: Sequence[int]) -> float:
        """LLR of this side's units ``ids`` against 1 to 3 consecutive other-side units ``other_ids``."""
        total = 0.0
        a = other_ids[0]
        n = len(other_ids)
        tables = self.tables[n]
        for j in ids:
            table = tables.get(j)
            if table is None:
                table = self.table(n, j)
            value = table.get(a, _NO_MATCH)
            total += self.base0[j] if value is _NO_MATCH else self.term(n, j, a) if value is None else value
        return total

    def score_any(self, ids: Sequence[int], other_ids: Sequence[int]) -> float:
        """The same against any number of other-side units (slow: for the few orphans left after the DP)."""
        if len(other_ids) <= MAX_UNITS:
            return self.score(ids, other_ids)
        span = frozenset(other_ids)
        size = sum(self.sizes[i] for i in other_ids)
        total = 0.0
        for j in ids:
            total += self.base[j]
            total += sum(self._weight(len(found), size) for found in self.rows[j] if found & span)
        return total


class Evidence:
    """Lexical log-likelihood ratios for candidate links between two sequences of units.

    ``strict``: a known word that matches nothing anywhere on the other side counts against every link of
    its unit. Right for sentences, where it is what marks a sentence nobody translated; wrong for paragraphs,
    where a big unit always holds such words (dictionary gaps) and they would outweigh the matches.
    """

    def __init__(self, src_tokens: Sequence[Sequence[Token]], tgt_tokens: Sequence[Sequence[Token]], *,
                 strict: bool = True, matches: tuple[Callable[[Sequence[Token]], list[frozenset[int]]],
                                                     Callable[[Sequence[Token]], list[frozenset[int]]]] | None = None
                 ) -> None:
        """``matches``: what each of some source tokens matches among the target units, and each of some target
        tokens among the source units (default: :class:`Matches` of these units)."""
        src_match, tgt_match = matches or (Matches(tgt_tokens), Matches(src_tokens))
        self.source = _Side(src_tokens, _sizes(tgt_tokens), src_match, strict)
        self.target = _Side(tgt_tokens, _sizes(src_tokens), tgt_match, strict)

    def score(self, s0: int, ns: int, t0: int, nt: int) -> float:
        """LLR that source units ``s0 … s0 + ns − 1`` and target units ``t0 … t0 + nt − 1`` (1 to 3 each)
        translate each other. The DP's inner loop: reads of the sides' tables, each entry worked out once."""
        side = self.source
        tables, base0 = side.tables[nt], side.base0
        total = 0.0
        for j in range(s0, s0 + ns):
            table = tables.get(j)
            if table is None:
                table = side.table(nt, j)
            value = table.get(t0, _NO_MATCH)
            total += base0[j] if value is _NO_MATCH else side.term(nt, j, t0) if value is None else value
        side = self.target
        tables, base0 = side.tables[ns], side.base0
        for j in range(t0, t0 + nt):
            table = tables.get(j)
            if table is None:
                table = side.table(ns, j)
            value = table.get(s0, _NO_MATCH)
            total += base0[j] if value is _NO_MATCH else side.term(ns, j, s0) if value is None else value
        return total

    @property
    def silent(self) -> bool:
        """Whether no unit of either side has a counted token: every :meth:`score` is then 0.0 (the bases and
        the tables are all empty)."""
        return not any(self.source.rows) and not any(self.target.rows)

    def focus(self, src_lo: int, src_hi: int, tgt_lo: int, tgt_hi: int) -> None:
        """Score only links inside source units ``src_lo`` to ``src_hi`` and target units ``tgt_lo`` to ``tgt_hi``
        from now on (see :meth:`_Side.focus`)."""
        self.source.focus(tgt_lo, tgt_hi)
        self.target.focus(src_lo, src_hi)

    def explained(self, src_ids: Sequence[int], tgt_ids: Sequence[int]) -> bool:
        """Whether one side's words are accounted for by the other's (positive LLR on that side): a truncated
        or padded translation, as opposed to two unrelated sentences."""
        return self.source.score(src_ids, tgt_ids) > 0 or self.target.score(tgt_ids, src_ids) > 0
