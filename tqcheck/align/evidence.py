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
sentence is dropped and the rest still fits. Everything per token is worked out once per document; scoring a
candidate link in the aligner's DP is a few dictionary reads, never a dictionary lookup of words.
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


def _matcher(other: Sequence[Sequence[Token]]) -> Callable[[frozenset[str]], frozenset[int]]:
    """A function from a token's keys to the other-side units that share one of them."""
    if len(other) == 1:
        keys_0 = frozenset().union(*[token.keys for token in other[0]])
        return lambda keys: _EMPTY if keys.isdisjoint(keys_0) else _FIRST
    if len(other) <= _FEW_UNITS:
        # A handful of units (a bilingual file's unit): each token tested against each unit's keys, in C, beats
        # building an index of every key.
        unit_keys = [frozenset().union(*[token.keys for token in unit]) for unit in other]
        ids = range(len(unit_keys))
        return lambda keys: frozenset(compress(ids, map(not_, map(keys.isdisjoint, unit_keys))))
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

    def match(keys: frozenset[str]) -> frozenset[int]:
        return _EMPTY.union(*map(units_of, known & keys))  # set operations in C, not a loop over the keys

    return match


class _Side:
    """The tokens of one side's units, scored against the units of the other side.

    What every link needs (each token's matches, the match rate, each unit's all-unmatched base) is worked out
    for the whole side at once; a unit's table of matched weights only when a link of that unit is first scored
    (a unit of a one-sentence group is scored against one partner only). Every sum is taken in the order the
    eager tables took it, so the scores are the same to the last bit.
    """

    def __init__(self, tokens: Sequence[Sequence[Token]], other: Sequence[Sequence[Token]], strict: bool) -> None:
        match = _matcher(other)
        limit = max(1.0, min(_MAX_SHARE * len(other), _MAX_MATCHES))
        # A word repeated in the text is looked up once. Keyed by the token object (tokens come from the
        # lexicon's caches, so a repeated word is mostly the same object): an int hash, where the dataclass's
        # own hash is Python code; equal tokens that are distinct objects just get the same answer twice.
        seen: dict[int, frozenset[int] | None] = {}
        # rows[j]: for each counted token of unit j, the other-side units it matches.
        self.rows: list[list[frozenset[int]]] = []
        best_total = counted_total = 0
        for unit in tokens:
            row: list[frozenset[int]] = []
            for token in unit:
                ident = id(token)
                if ident in seen:
                    found = seen[ident]
                else:
                    found = match(token.keys)
                    # A word matched nowhere counts (as unmatched) only if the dictionary knows it and
                    # ``strict``; one that matches most of the other side says nothing.
                    if (not found and not (strict and token.known)) or len(found) > limit:
                        found = None
                    seen[ident] = found
                if found is not None:
                    row.append(found)
            self.rows.append(row)
            if len(row) >= 3:
                hits: dict[int, int] = {}
                _count_elements(hits, chain.from_iterable(row))
                best_total += max(hits.values(), default=0)
                counted_total += len(row)
        rate = best_total / counted_total if counted_total else 0.5
        self.rate = min(_MAX_RATE, max(_MIN_RATE, rate))
        self.sizes = [max(1, len(unit)) for unit in other]
        self.mass = float(sum(self.sizes)) or 1.0
        self.typical = max(1, round(self.mass / max(1, len(self.sizes))))
        self._cache: dict[tuple[int, int], tuple[float, float]] = {}
        # base[j]: unit j with every token unmatched (what a token matching k units adds, by k).
        unmatched = [self._evidence(k, self.typical)[1] for k in range(int(limit) + 1)]
        self.base = [sum(map(unmatched.__getitem__, map(len, row))) for row in self.rows]
        self.count = len(self.sizes)
        self.prefix = [0]
        for size in self.sizes:
            self.prefix.append(self.prefix[-1] + size)
        # tables[n][j][a]: what the tokens of unit j matched by the n other-side units from a on (a link's other
        # side, n = 1 to 3) add to base[j]; built when unit j is first scored against n units, and only for the
        # spans inside the focus (see ``focus``).
        self.tables: dict[int, dict[int, dict[int, float]]] = {n: {} for n in range(1, MAX_UNITS + 1)}
        self._window: frozenset[int] | None = None  # the other-side units in focus; None: all
        # n << 5 | k (k <= _MAX_MATCHES < 32) → span start a → _weight(k, tokens of the n units from a)
        self._by_start: dict[int, dict[int, float]] = {}
        self._weights: dict[int, float] = {}  # t << 5 | k → _weight(k, t)

    def focus(self, lo: int, hi: int) -> None:
        """Score this side's units only against spans of the other side's units ``lo`` to ``hi`` from now on (the
        paragraph group the aligner is in: a sentence is never linked outside it), which spares each table the
        matches elsewhere in the document. Tables built before are dropped: they may lack a span now wanted."""
        self.tables = {n: {} for n in range(1, MAX_UNITS + 1)}
        self._window = None if lo <= 0 and hi >= self.count - 1 else frozenset(range(lo, hi + 1))
        self._lo, self._hi = max(0, lo), min(self.count - 1, hi)

    def table(self, n: int, j: int) -> dict[int, float]:
        """``tables[n][j]``, built on first use: per span start a, the weights of the tokens that a match in
        the span, added in token order (the order the sums always took: the same floats to the last bit)."""
        table: dict[int, float] = {}
        window = self._window
        last = self.count - n
        lo, hi = (0, last) if window is None else (self._lo, self._hi - n + 1)
        get = table.get
        prefix = self.prefix
        for found in self.rows[j]:
            k = len(found)
            hits = found if window is None else found & window
            if not hits:
                continue
            by_start = self._by_start.get(n << 5 | k)
            if by_start is None:
                by_start = self._by_start[n << 5 | k] = {}
            # The spans of n units that hold a match of this token, each counted once.
            if n == 1:
                starts: Iterable[int] = hits
            elif len(hits) == 1:
                (i,) = hits
                starts = range(max(lo, i - n + 1), min(i, hi) + 1)
            else:
                starts = {a for i in hits for a in range(max(lo, i - n + 1), min(i, hi) + 1)}
            for a in starts:
                w = by_start.get(a)
                if w is None:
                    w = by_start[a] = self._weight(k, prefix[a + n] - prefix[a])
                table[a] = get(a, 0.0) + w
        self.tables[n][j] = table
        return table

    def _evidence(self, k: int, t: int) -> tuple[float, float]:
        """(matched, unmatched) log-likelihood ratios of a token that matches k units, against t tokens."""
        cached = self._cache.get((k, t))
        if cached is None:
            # A chance match is likelier against a long sentence (more words to hit) and against two: a token
            # matching k of the other side's units, of T tokens in all, hits t tokens with p = 1 − exp(−k·t/T).
            p = min(0.95, 1 - math.exp(-max(k, 0.5) * t / self.mass))
            c = max(self.rate, p)  # the observed rate includes chance matches
            cached = self._cache[(k, t)] = (math.log(c / p), math.log((1 - c) / (1 - p)))
        return cached

    def _weight(self, k: int, t: int) -> float:
        # Over the base, which counted the token unmatched against a unit of typical size.
        weight = self._weights.get(t << 5 | k)
        if weight is None:
            weight = self._weights[t << 5 | k] = self._evidence(k, t)[0] - self._evidence(k, self.typical)[1]
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
            total += self.base[j] + table.get(a, 0.0)
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
                 strict: bool = True) -> None:
        self.source = _Side(src_tokens, tgt_tokens, strict)
        self.target = _Side(tgt_tokens, src_tokens, strict)

    def score(self, s0: int, ns: int, t0: int, nt: int) -> float:
        """LLR that source units ``s0 … s0 + ns − 1`` and target units ``t0 … t0 + nt − 1`` (1 to 3 each)
        translate each other. The DP's inner loop: table reads only."""
        source, target = self.source, self.target
        total = 0.0
        tables, base = source.tables[nt], source.base
        for j in range(s0, s0 + ns):
            table = tables.get(j)
            if table is None:
                table = source.table(nt, j)
            total += base[j] + table.get(t0, 0.0)
        tables, base = target.tables[ns], target.base
        for j in range(t0, t0 + nt):
            table = tables.get(j)
            if table is None:
                table = target.table(ns, j)
            total += base[j] + table.get(s0, 0.0)
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
