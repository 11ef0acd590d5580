"""Source↔target sentence alignment: Gale–Church length model plus anchors and lexical evidence, paragraphs
first.

Lengths are counted in non-space characters; the expected target/source length ratio is estimated from the
two documents themselves (it differs a lot by language pair: German runs about three characters per Chinese
character), falling back to a per-pair prior for tiny texts. Anchors — numbers, Latin-script names in a
non-Latin source, question and exclamation marks — reward links whose two sides share them. Lexical
evidence (``evidence``: the words of both sides through a bilingual dictionary, ``lexicon``) rewards links
whose words translate each other and penalises links that would swallow a sentence nobody translated: what
finds a short dropped sentence where the rest still fits by length. Links may be 1-1, 1-2, 2-1, 1-3, 3-1,
1-0 (omission) or 0-1 (addition); after the DP, an orphan whose words its neighbours account for joins them
(a sentence cut into four, or cut differently by the two segmenters). Each link carries a confidence in
[0, 1].
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain

from tqcheck import langid
from tqcheck.align import lexicon
from tqcheck.align.evidence import MAX_UNITS, Evidence, Matches
from tqcheck.segment import Paragraph
from tqcheck.types import Alignment, Document, Link, Segment, Span

METHOD = "gale-church+anchors+lexicon/2"

# Expected target/source character ratio by language pair, used only when the texts are too short to
# estimate it (non-space characters; measured on the project's samples and typical news text).
PAIR_RATIOS = {("zh", "de"): 3.4, ("zh", "en"): 3.0, ("en", "de"): 1.15, ("de", "en"): 0.87, ("en", "zh"): 0.33}
_VARIANCE = 6.8  # Gale & Church's variance of the length difference per character
_SQRT2 = math.sqrt(2)

# Prior probability of each link type. Gale & Church (1993) give 1-0/0-1 about 1 %; machine translation and
# scraped pages drop and add more whole sentences, and on the synthetic benchmark (bench/align.py) raising
# 1-0/0-1 to 2 % each and lowering 2-1/1-2 to 3 % lifts omission/addition recall from 0.35 to 0.6 with
# 1-1 and 2-1 recall unchanged. MT also turns one long (Chinese) sentence into three: 1-3 and 3-1 at 0.5 %
# each, so that the third part is not left over as an addition (zh→en real MT: 117 such TQ703 findings).
_PRIORS = {(1, 1): 0.89, (1, 0): 0.02, (0, 1): 0.02, (2, 1): 0.03, (1, 2): 0.03, (3, 1): 0.005, (1, 3): 0.005}
_COSTS = {move: -math.log(p) for move, p in _PRIORS.items()}
# A link whose lengths are this many standard deviations (over √2) apart has erfc below the 1e-12 floor of
# _length_probability (erfc(5.1) = 5.5e-13, and erfc falls): its cost is the prior's less log(1e-12), the same
# float as worked out through erfc.
_ERFC_BELOW_FLOOR = 5.1
_FLOOR_COSTS = {move: cost - math.log(1e-12) for move, cost in _COSTS.items()}
_MOVES = tuple(_PRIORS)  # the DP tries them in this order (ties: the first)
assert _MOVES == ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (3, 1), (1, 3))  # as _dp spells them out
_ANCHOR_WEIGHT = 2.5
_LEXICAL_WEIGHT = 0.4  # tokens of one sentence are not independent evidence: damp their summed LLR
# An orphan left by the DP joins its neighbouring links when that raises their lexical log-likelihood ratio by
# this much (several matched words, not a chance match or two: beyond what 99 % of truly dropped or invented
# sentences reach against their neighbours on the synthetic and real-MT benchmarks).
_ABSORB_MARGIN = 5.0
_HOPELESS = 25.0  # a link cost (mostly length: P < 1e-9) beyond which no evidence is looked at
_MAX_CELLS = 400_000  # beyond this, the DP runs in a band around the diagonal
_MAX_BAND_WIDENING = 250  # units the band may widen by for a difference in length (omitted or added blocks)

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_DIGIT = re.compile(r"\d")
_FULLWIDTH = re.compile("[０-９]")
_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9+&.-]*[A-Za-z0-9]")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# One empty set for every unit without anchors: each frozenset() is a new object of 216 bytes, and a long document
# has a unit per sentence, paragraph and merged neighbours.
_NO_NAMES: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class _Unit:
    """A segment (or paragraph) as the aligner sees it."""

    length: int
    anchors: frozenset[str]
    mark: str  # "?" or "!" when the unit ends with one, else ""


def _number_key(raw: str) -> str:
    # "2.17" (亿) and "217" (Millionen), "1.5" (万) and "15.000" share a key: digits without separators or
    # trailing zeros. Coarse on purpose: an anchor only has to make the right link likelier.
    return raw.replace(".", "").replace(",", "").rstrip("0") or "0"


def _latin_tokens(text: str) -> set[str]:
    return set(map(str.lower, _LATIN_TOKEN.findall(text)))  # the pattern has no group: findall gives the tokens


def _both_latin(src_lang: str | None, tgt_lang: str | None) -> bool:
    return "Latin" in langid.scripts_of_lang(src_lang) and "Latin" in langid.scripts_of_lang(tgt_lang)


def _latin_vocabulary(src_texts: Sequence[str], tgt_texts: Sequence[str], src_lang: str | None,
                      tgt_lang: str | None) -> frozenset[str]:
    """Latin-script tokens usable as anchors: in a mixed-script pair, those found on both sides (names)."""
    if _both_latin(src_lang, tgt_lang):
        return frozenset()  # every word is Latin on both sides: no signal
    src_tokens = _all_latin_tokens(src_texts)
    # A source without Latin tokens (a Chinese text without names) shares none: the target is not scanned.
    return frozenset(src_tokens & _all_latin_tokens(tgt_texts)) if src_tokens else _NO_NAMES


def _all_latin_tokens(texts: Sequence[str]) -> set[str]:
    # One text at a time: ``set().union(*generator)`` holds every text's set at once (for the paragraphs of a 10 MB
    # pair, a set per German paragraph: about 100 MB at the aligner's peak).
    tokens: set[str] = set()
    for text in texts:
        tokens.update(map(str.lower, _LATIN_TOKEN.findall(text)))
    return tokens


def _unit(text: str, vocabulary: frozenset[str]) -> _Unit:
    return _SegmentFeatures(text).unit(vocabulary)


class _SegmentFeatures:
    """What a unit is made of, worked out once per text: its length, number keys, Latin tokens and final mark
    (a sentence is made a unit for the length ratio and again for its paragraph group)."""

    __slots__ = ("_plain", "length", "mark", "numbers", "raw", "text")

    def __init__(self, text: str) -> None:
        self.raw = text
        if _FULLWIDTH.search(text):
            text = text.translate(_FULLWIDTH_DIGITS)
        self.text = text
        self.length = len("".join(text.split()))  # non-space characters
        self.numbers = frozenset("#" + _number_key(raw) for raw in _NUMBER.findall(text)) if _DIGIT.search(text) \
            else _NO_NAMES
        stripped = text.rstrip(" \t\r\n\"'”’“」』）)")
        self.mark = "?" if stripped.endswith(("?", "？")) else "!" if stripped.endswith(("!", "！")) else ""
        self._plain: _Unit | None = None

    def latin(self) -> set[str]:
        """The Latin-script tokens of the text as the anchors see it (full-width digits made ASCII). Not kept:
        a long document would hold a set per sentence for the one paragraph group that needs it."""
        return _latin_tokens(self.text)

    def latin_as_written(self, latin: set[str]) -> set[str]:
        """The same of the text as written (what the vocabulary of names is made of), given :meth:`latin`."""
        return latin if self.raw is self.text else _latin_tokens(self.raw)

    def unit(self, vocabulary: frozenset[str], latin: set[str] | None = None) -> _Unit:
        """The unit with the anchors that ``vocabulary`` allows (numbers, and its Latin tokens in it)."""
        if vocabulary:
            shared = (self.latin() if latin is None else latin) & vocabulary
            if shared:
                return _Unit(self.length, self.numbers | shared, self.mark)
        if self._plain is None:
            self._plain = _Unit(self.length, self.numbers, self.mark)
        return self._plain


def _group_units(src: Sequence[_SegmentFeatures], tgt: Sequence[_SegmentFeatures],
                 both_latin: bool) -> tuple[list[_Unit], list[_Unit]]:
    """The units of a paragraph group's sentences, with the names both sides of the group share as anchors
    (:func:`_latin_vocabulary` of their texts) in a mixed-script pair."""
    if both_latin:
        return [f.unit(_NO_NAMES) for f in src], [f.unit(_NO_NAMES) for f in tgt]
    src_latin = [f.latin() for f in src]
    src_written = set().union(*(f.latin_as_written(latin) for f, latin in zip(src, src_latin, strict=True)))
    if not src_written:  # no names to share (the target's Latin tokens are not looked for)
        return [f.unit(_NO_NAMES) for f in src], [f.unit(_NO_NAMES) for f in tgt]
    tgt_latin = [f.latin() for f in tgt]
    vocabulary = frozenset(src_written & set().union(
        *(f.latin_as_written(latin) for f, latin in zip(tgt, tgt_latin, strict=True))))
    return ([f.unit(vocabulary, latin) for f, latin in zip(src, src_latin, strict=True)],
            [f.unit(vocabulary, latin) for f, latin in zip(tgt, tgt_latin, strict=True)])


def _merged(units: Sequence[_Unit]) -> dict[int, Sequence[_Unit]]:
    """Size n (1 to 3) → the units of n neighbours from each start (size 1: the units themselves)."""
    merged: dict[int, Sequence[_Unit]] = {1: units}
    for n in range(2, MAX_UNITS + 1):
        merged[n] = [_merge(units[i:i + n]) for i in range(len(units) - n + 1)]
    return merged


def _merge(units: Sequence[_Unit]) -> _Unit:
    anchors = [u.anchors for u in units if u.anchors]
    # The union of one set is that set, of none the empty one: shared, not copied (the same members either way).
    merged = _NO_NAMES if not anchors else anchors[0] if len(anchors) == 1 else frozenset().union(*anchors)
    return _Unit(sum(u.length for u in units), merged, units[-1].mark if units else "")


def length_delta(src_len: int, tgt_len: int, ratio: float) -> float:
    """Gale & Church's δ: how many standard deviations the target length is from ``src_len × ratio``."""
    mean = (src_len + tgt_len / ratio) / 2
    if mean == 0:
        return 0.0
    return (tgt_len - src_len * ratio) / math.sqrt(mean * _VARIANCE * ratio)


def _hopeless_delta(move: tuple[int, int]) -> float:
    """A |δ| past which a link of ``move`` costs more than :data:`_HOPELESS` by its prior and length alone: where
    erfc(|δ|/√2) falls below e^(prior − _HOPELESS), found by bisection, plus 0.01 (a tenth more cost) to spare."""
    wanted = math.exp(_COSTS[move] - _HOPELESS)
    low, high = 0.0, 10.0  # erfc(0) = 1 > wanted > erfc(10)
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if math.erfc(middle) >= wanted else (low, middle)
    return (high + 0.01) * _SQRT2


# Per move, 3.4·D² for its hopeless |δ| D (see _viable_lengths).
_WINDOW_C = {move: 0.5 * _VARIANCE * _hopeless_delta(move) ** 2 for move in _MOVES if move[0] and move[1]}


def _viable_lengths(move: tuple[int, int], src_len: int, ratio: float) -> tuple[float, float]:
    """Target lengths outside this range make a link of ``move`` from ``src_len`` source characters hopeless (its
    prior and length cost more than :data:`_HOPELESS`), with room to spare.

    |δ| = |T − S·r| / √(3.4·(S·r + T)) for S = ``src_len``, T the target length and r the ratio; with u = T − S·r,
    |δ| > D where u² − C·u − 2·C·S·r > 0 (C = 3.4·D²), i.e. outside the roots u = (C ± √(C² + 8·C·S·r)) / 2. The
    range is widened by 1 % and 2 characters, so that no rounding of δ as :meth:`_Scorer.pair_cost` works it out
    puts a length outside it that is not hopeless there."""
    c = _WINDOW_C[move]
    centre = src_len * ratio
    root = math.sqrt(c * c + 8 * c * centre)
    return centre + (c - root) / 2 * 1.01 - 2, centre + (c + root) / 2 * 1.01 + 2


def _length_probability(src_len: int, tgt_len: int, ratio: float) -> float:
    """Two-sided tail probability of the observed length difference."""
    return max(1e-12, math.erfc(abs(length_delta(src_len, tgt_len, ratio)) / _SQRT2))


def _anchor_score(src: _Unit, tgt: _Unit) -> float:
    """+1 when the two sides share all their anchors, −1 when they share none, 0 without anchors."""
    union = src.anchors | tgt.anchors
    score = 0.0
    if union:
        score = 2 * len(src.anchors & tgt.anchors) / len(union) - 1
    if src.mark or tgt.mark:
        score += 0.5 if src.mark == tgt.mark else -0.5
    return score


_Path = list[tuple[tuple[int, ...], tuple[int, ...]]]  # (source ids, target ids) per link


class _Scorer:
    """Costs of candidate links between two unit sequences; ``ids`` map local units to the evidence's."""

    def __init__(self, src: Sequence[_Unit], tgt: Sequence[_Unit], ratio: float, evidence: Evidence | None,
                 src_ids: Sequence[int], tgt_ids: Sequence[int]) -> None:
        self.src, self.tgt, self.ratio, self.evidence = src, tgt, ratio, evidence
        self.src_ids, self.tgt_ids = src_ids, tgt_ids
        # Merged neighbours by size, then start, built once (not per DP cell) and only when a link of more than
        # one unit is wanted (a one-sentence pair never merges anything).
        self._src_merged: dict[int, Sequence[_Unit]] | None = None
        self._tgt_merged: dict[int, Sequence[_Unit]] | None = None
        self._length_costs: dict[int, dict[int, dict[int, float]]] = {}  # see length_costs
        # Evidence without a counted token scores every link 0.0, and ``cost - 0.4 * 0.0`` is ``cost`` to the bit:
        # the DP need not ask (paragraphs of a text that repeats itself, whose every word matches too many).
        self._lexical = evidence is not None and not evidence.silent

    @property
    def src_merged(self) -> dict[int, Sequence[_Unit]]:
        if self._src_merged is None:
            self._src_merged = _merged(self.src)
        return self._src_merged

    @property
    def tgt_merged(self) -> dict[int, Sequence[_Unit]]:
        if self._tgt_merged is None:
            self._tgt_merged = _merged(self.tgt)
        return self._tgt_merged

    def lexical(self, s0: int, ns: int, t0: int, nt: int) -> float:
        if self.evidence is None:
            return 0.0
        # The ids of a paragraph group are consecutive in the document: offsets carry over.
        return self.evidence.score(self.src_ids[s0], ns, self.tgt_ids[t0], nt)

    def merged_source(self, ids: Sequence[int]) -> _Unit:
        """The unit of source units ``ids`` (consecutive) together."""
        if len(ids) == 1:
            return self.src[ids[0]]
        return self.src_merged[len(ids)][ids[0]] if len(ids) <= MAX_UNITS else _merge([self.src[i] for i in ids])

    def merged_target(self, ids: Sequence[int]) -> _Unit:
        if len(ids) == 1:
            return self.tgt[ids[0]]
        return self.tgt_merged[len(ids)][ids[0]] if len(ids) <= MAX_UNITS else _merge([self.tgt[j] for j in ids])

    def lexical_any(self, src: Sequence[int], tgt: Sequence[int]) -> float:
        """``lexical`` for links of any size (local, consecutive ids)."""
        if self.evidence is None:
            return 0.0
        if len(src) <= MAX_UNITS and len(tgt) <= MAX_UNITS:
            return self.lexical(src[0], len(src), tgt[0], len(tgt))
        return self.explains(src, tgt) + self.explains_target(tgt, src)

    def explains(self, src: Sequence[int], tgt: Sequence[int]) -> float:
        """LLR that the target units ``tgt`` (local, consecutive, any number) account for the words of the
        source units ``src``."""
        assert self.evidence is not None
        return self.evidence.source.score_any([self.src_ids[i] for i in src], [self.tgt_ids[j] for j in tgt])

    def explains_target(self, tgt: Sequence[int], src: Sequence[int]) -> float:
        """The same for the words of target units ``tgt`` by the source units ``src``."""
        assert self.evidence is not None
        return self.evidence.target.score_any([self.tgt_ids[j] for j in tgt], [self.src_ids[i] for i in src])

    def related(self, s: int, t: int) -> bool:
        """Whether source unit ``s`` and target unit ``t`` may be one sentence badly translated: no words to
        say otherwise, shared anchors, or one side's words accounted for by the other's."""
        if self.evidence is None or self.src[s].anchors & self.tgt[t].anchors:
            return True
        return self.evidence.explained(self.src_ids[s:s + 1], self.tgt_ids[t:t + 1])

    def cost(self, s0: int, ns: int, t0: int, nt: int) -> float:
        cost = _COSTS[(ns, nt)]
        if not (ns and nt):
            # Ties between an early and a late orphan (a title printed twice) go to the late one: the copy.
            return cost + 1e-9 * (len(self.src) + len(self.tgt) - s0 - t0)
        s, t = self.src_merged[ns][s0], self.tgt_merged[nt][t0]
        # _length_probability, spelt out (the DP's inner loop): the same operations in the same order.
        src_len, tgt_len, ratio = s.length, t.length, self.ratio
        mean = (src_len + tgt_len / ratio) / 2
        delta = 0.0 if mean == 0 else (tgt_len - src_len * ratio) / math.sqrt(mean * _VARIANCE * ratio)
        cost -= math.log(max(1e-12, math.erfc(abs(delta) / _SQRT2)))
        if cost > _HOPELESS:
            return cost  # lengths this far apart lose to an omission plus an addition whatever the words say
        if s.anchors or t.anchors or s.mark or t.mark:  # else the anchor score is 0, and x − 0.0 is x
            cost -= _ANCHOR_WEIGHT * _anchor_score(s, t)
        if self.evidence is not None:
            cost -= _LEXICAL_WEIGHT * self.evidence.score(self.src_ids[s0], ns, self.tgt_ids[t0], nt)
        return cost


    def length_costs(self, ns: int, nt: int, s: _Unit) -> dict[int, float]:
        """For links of ``ns`` source units making up ``s`` and ``nt`` target units: target length → the prior and
        length terms of :meth:`cost` (filled in by :meth:`pair_cost`; shared by every source side of that length)."""
        by_source = self._length_costs.get(ns << 2 | nt)
        if by_source is None:
            by_source = self._length_costs[ns << 2 | nt] = {}
        costs = by_source.get(s.length)
        if costs is None:
            costs = by_source[s.length] = {}
        return costs

    def pair_cost(self, s: _Unit, s_id: int, ns: int, t: _Unit, t0: int, nt: int, lengths: dict[int, float]) -> float:
        """:meth:`cost` of a link with both sides, given its merged units, the evidence id of its first source unit,
        and its :meth:`length_costs`: the same operations in the same order, so the same float (but for lengths
        past erfc's floor, whose cost is the floor's, worked out once: the same float again)."""
        tgt_len = t.length
        cost = lengths.get(tgt_len)
        if cost is None:
            src_len, ratio = s.length, self.ratio
            mean = (src_len + tgt_len / ratio) / 2
            delta = 0.0 if mean == 0 else (tgt_len - src_len * ratio) / math.sqrt(mean * _VARIANCE * ratio)
            x = abs(delta) / _SQRT2
            if x > _ERFC_BELOW_FLOOR:  # erfc(x) < 1e-12: the probability is its floor, without erfc and log
                cost = _FLOOR_COSTS[(ns, nt)]
            else:
                cost = _COSTS[(ns, nt)]
                cost -= math.log(max(1e-12, math.erfc(x)))
            lengths[tgt_len] = cost
        if cost > _HOPELESS:
            return cost
        if s.anchors or t.anchors or s.mark or t.mark:
            cost -= _ANCHOR_WEIGHT * _anchor_score(s, t)
        if self._lexical:
            cost -= _LEXICAL_WEIGHT * self.evidence.score(s_id, ns, self.tgt_ids[t0], nt)
        return cost


def _dp(scorer: _Scorer) -> _Path:
    """Minimum-cost path of links through the two unit sequences.

    Above :data:`_MAX_CELLS` only a band around the diagonal is searched, and only the band is stored (row ``i``
    keeps columns ``lows[i]`` to ``lows[i] + width - 1``): time and memory grow with the units times the band,
    not with their product. Cells outside the band cost infinity, as if they had been visited and found no path.
    A move's cost is looked at only from a cell that has a path; of the costs, only the last three rows are kept
    (the longest move spans three), and of each cell only its move (one byte).

    The costs are :meth:`_Scorer.cost`'s, worked out here without a call per cell: a row's source side of each
    move is fixed, and the length term (the same operations on the same two lengths, so the same float) is
    looked up by the target length, since it is a function of the two lengths only.

    In the full table (no band), a link whose lengths make it hopeless (:func:`_viable_lengths`) is not looked
    at: it costs more than :data:`_HOPELESS` (25), and the same cell is reached from the same start through
    orphans for at most four times 3.9 (each cell's 1-0 and 0-1 predecessors have a path), so it is never the
    cheapest move into its cell, and leaving it out changes no cell's cost or move. (In a band, the orphans' cells
    may lie outside it.)
    """
    n, m = len(scorer.src), len(scorer.tgt)
    # The band follows the proportional diagonal; it widens with the difference in length (omitted or added
    # blocks) up to a bound, so that time stays linear in the units however long the text.
    band = None if (n + 1) * (m + 1) <= _MAX_CELLS else 50 + min(abs(n - m), _MAX_BAND_WIDENING)
    inf = float("inf")
    omit, add = _COSTS[(1, 0)], _COSTS[(0, 1)]
    ties = n + m  # an orphan's tie-break term (see _Scorer.cost)
    pair_cost = scorer.pair_cost
    src_merged, tgt_merged = scorer.src_merged, scorer.tgt_merged
    tgt, tgt_2, tgt_3 = tgt_merged[1], tgt_merged[2], tgt_merged[3]
    src_ids = scorer.src_ids
    lows: list[int] = []
    backs: list[bytearray] = []  # per cell: 1 + the index of its move in _MOVES, 0 for no path
    empty: list[float] = []
    r1 = r2 = r3 = empty  # the costs of rows i - 1, i - 2, i - 3, from columns l1, l2, l3 on
    l1 = l2 = l3 = 0
    s1 = s2 = s3 = None  # the source side of the moves into row i with 1, 2, 3 source units
    c11 = c21 = c12 = c31 = c13 = None  # each move's length terms by target length, for that source side
    lo11 = hi11 = lo21 = hi21 = lo12 = hi12 = lo31 = hi31 = lo13 = hi13 = 0.0  # each move's viable target lengths
    id1 = id2 = id3 = 0
    ratio = scorer.ratio
    no_bounds = (-inf, inf)

    def viable(move: tuple[int, int], unit: _Unit) -> tuple[float, float]:
        return no_bounds if band is not None else _viable_lengths(move, unit.length, ratio)

    for i in range(n + 1):
        if band is None:
            lo, hi = 0, m
        else:
            centre = i * m / max(n, 1)
            lo, hi = max(0, math.ceil(centre - band)), min(m, math.floor(centre + band))
        if i >= 1:
            s1, id1 = src_merged[1][i - 1], src_ids[i - 1]
            c11, c12, c13 = scorer.length_costs(1, 1, s1), scorer.length_costs(1, 2, s1), scorer.length_costs(1, 3, s1)
            (lo11, hi11), (lo12, hi12), (lo13, hi13) = viable((1, 1), s1), viable((1, 2), s1), viable((1, 3), s1)
        if i >= 2:
            s2, id2 = src_merged[2][i - 2], src_ids[i - 2]
            c21 = scorer.length_costs(2, 1, s2)
            lo21, hi21 = viable((2, 1), s2)
        if i >= 3:
            s3, id3 = src_merged[3][i - 3], src_ids[i - 3]
            c31 = scorer.length_costs(3, 1, s3)
            lo31, hi31 = viable((3, 1), s3)
        width = max(0, hi - lo + 1)
        row = [inf] * width
        back = bytearray(width)
        w1, w2, w3 = len(r1), len(r2), len(r3)
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            # The moves in _MOVES order; a later move wins only with a strictly lower cost.
            best, best_move = inf, 0
            if j >= 1:
                k = j - 1 - l1
                if 0 <= k < w1 and (prev := r1[k]) != inf and lo11 <= (t := tgt[j - 1]).length <= hi11:  # 1-1
                    c = c11.get(t.length, 0.0)  # a hopeless link's cost is its length term: no call
                    best, best_move = prev + (c if c > _HOPELESS else pair_cost(s1, id1, 1, t, j - 1, 1, c11)), 1
            k = j - l1
            if 0 <= k < w1 and (prev := r1[k]) != inf:  # 1-0
                c = prev + (omit + 1e-9 * (ties - (i - 1) - j))
                if c < best:
                    best, best_move = c, 2
            if j - 1 >= lo and (prev := row[j - 1 - lo]) != inf:  # 0-1
                c = prev + (add + 1e-9 * (ties - i - (j - 1)))
                if c < best:
                    best, best_move = c, 3
            if i >= 2 and j >= 1:
                k = j - 1 - l2
                if 0 <= k < w2 and (prev := r2[k]) != inf and lo21 <= (t := tgt[j - 1]).length <= hi21:  # 2-1
                    c = c21.get(t.length, 0.0)
                    c = prev + (c if c > _HOPELESS else pair_cost(s2, id2, 2, t, j - 1, 1, c21))
                    if c < best:
                        best, best_move = c, 4
            if j >= 2:
                k = j - 2 - l1
                if 0 <= k < w1 and (prev := r1[k]) != inf and lo12 <= (t := tgt_2[j - 2]).length <= hi12:  # 1-2
                    c = c12.get(t.length, 0.0)
                    c = prev + (c if c > _HOPELESS else pair_cost(s1, id1, 1, t, j - 2, 2, c12))
                    if c < best:
                        best, best_move = c, 5
            if i >= 3 and j >= 1:
                k = j - 1 - l3
                if 0 <= k < w3 and (prev := r3[k]) != inf and lo31 <= (t := tgt[j - 1]).length <= hi31:  # 3-1
                    c = c31.get(t.length, 0.0)
                    c = prev + (c if c > _HOPELESS else pair_cost(s3, id3, 3, t, j - 1, 1, c31))
                    if c < best:
                        best, best_move = c, 6
            if j >= 3:
                k = j - 3 - l1
                if 0 <= k < w1 and (prev := r1[k]) != inf and lo13 <= (t := tgt_3[j - 3]).length <= hi13:  # 1-3
                    c = c13.get(t.length, 0.0)
                    c = prev + (c if c > _HOPELESS else pair_cost(s1, id1, 1, t, j - 3, 3, c13))
                    if c < best:
                        best, best_move = c, 7
            if best_move:
                row[j - lo] = best
                back[j - lo] = best_move
        lows.append(lo)
        backs.append(back)
        r1, r2, r3, l1, l2, l3 = row, r1, r2, lo, l1, l2
    path = []
    i, j = n, m
    while (i, j) != (0, 0):
        step = backs[i][j - lows[i]]
        assert step
        di, dj = _MOVES[step - 1]
        path.append((tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    return path[::-1]


def _confidence(src_ids: tuple[int, ...], tgt_ids: tuple[int, ...], scorer: _Scorer, path: _Path, k: int) -> float:
    ratio = scorer.ratio
    if src_ids and tgt_ids:
        lexical = scorer.lexical_any(src_ids, tgt_ids) if scorer.evidence is not None else None
        return _paired_confidence(scorer.merged_source(src_ids), scorer.merged_target(tgt_ids), ratio, lexical)
    # An omission/addition is doubtful when joining it to a neighbouring link would fit the lengths (and,
    # with a dictionary, the words) well.
    best_alternative = 0.0
    for other in (k - 1, k + 1):
        if 0 <= other < len(path):
            o_src, o_tgt = path[other]
            if not (o_src and o_tgt):
                continue
            j_src, j_tgt = tuple(sorted((*o_src, *src_ids))), tuple(sorted((*o_tgt, *tgt_ids)))
            s, t = scorer.merged_source(j_src), scorer.merged_target(j_tgt)
            alternative = _length_probability(s.length, t.length, ratio)
            if scorer.evidence is not None:
                gain = scorer.lexical_any(j_src, j_tgt) - scorer.lexical_any(o_src, o_tgt)
                alternative *= _sigmoid(_LEXICAL_WEIGHT * gain + 1.0)
            best_alternative = max(best_alternative, alternative)
    return round(1 - best_alternative, 3)


def _paired_confidence(s: _Unit, t: _Unit, ratio: float, lexical: float | None) -> float:
    """The confidence of a link with both sides: length, anchors and (``lexical``, with a dictionary) words."""
    p = _length_probability(s.length, t.length, ratio)
    anchors = _anchor_score(s, t)
    # Agreeing anchors make a doubtful length match credible; conflicting ones make it doubtful.
    p = p + (1 - p) * 0.6 * anchors if anchors > 0 else p * (1 + 0.5 * anchors)
    if lexical is not None:
        # Shared words do the same, more strongly: a log-likelihood ratio of e^3 or more is near proof.
        lex = _sigmoid(lexical - 1.0)
        p = p + (1 - p) * (2 * lex - 1) if lex > 0.5 else p * 2 * lex
    return round(min(1.0, max(0.0, p)), 3)


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, x))))


def _estimate_ratio(src_units: Sequence[_Unit | _SegmentFeatures], tgt_units: Sequence[_Unit | _SegmentFeatures],
                    src_lang: str | None, tgt_lang: str | None) -> float:
    src_total = sum(u.length for u in src_units)
    tgt_total = sum(u.length for u in tgt_units)
    prior = PAIR_RATIOS.get((src_lang or "", tgt_lang or ""), 1.0)
    if src_total < 200 or tgt_total < 200:
        return prior
    # Dropped or invented text skews the observed ratio; stay within a factor of two of the prior.
    return min(max(tgt_total / src_total, prior / 2), prior * 2)


def _evidence(src_tokens: Sequence[Sequence[lexicon.Token]], tgt_tokens: Sequence[Sequence[lexicon.Token]], *,
              strict: bool = True,
              matches: tuple[Callable[[Sequence[lexicon.Token]], list[frozenset[int]]],
                             Callable[[Sequence[lexicon.Token]], list[frozenset[int]]]] | None = None
              ) -> Evidence | None:
    if not any(src_tokens) or not any(tgt_tokens):
        return None
    return Evidence(src_tokens, tgt_tokens, strict=strict, matches=matches)


def align_units(src_texts: Sequence[str], tgt_texts: Sequence[str], *, src_lang: str | None = None,
                tgt_lang: str | None = None, ratio: float | None = None, lexical: bool = True) -> list[Link]:
    """Align two sequences of sentences (texts); the links refer to their indices."""
    vocabulary = _latin_vocabulary(src_texts, tgt_texts, src_lang, tgt_lang)
    src = [_unit(t, vocabulary) for t in src_texts]
    tgt = [_unit(t, vocabulary) for t in tgt_texts]
    ratio = ratio or _estimate_ratio(src, tgt, src_lang, tgt_lang)
    evidence = None
    if lexical:
        evidence = _evidence(lexicon.tokens_of(src_texts, src_lang, tgt_lang),
                             lexicon.tokens_of(tgt_texts, tgt_lang, src_lang))
    return _links(_Scorer(src, tgt, ratio, evidence, range(len(src)), range(len(tgt))))


def _links(scorer: _Scorer) -> list[Link]:
    if len(scorer.src) == 1 and len(scorer.tgt) == 1:
        path: _Path = [((0,), (0,))]  # one unit on each side: given as a pair, they correspond
    else:
        path = _absorb_orphans(_join_substitutions(_dp(scorer), scorer), scorer)
    return [Link(s, t, _confidence(s, t, scorer, path, k)) for k, (s, t) in enumerate(path)]


def _absorb_orphans(path: _Path, scorer: _Scorer) -> _Path:
    """An orphan whose words its neighbouring links account for belongs with them: one sentence translated as
    four, or sentences that the two sides' segmenters cut differently (the DP's moves reach three), are neither
    omissions nor additions. A run of up to three links around an orphan becomes one link when that raises the
    lexical log-likelihood ratio by a clear margin."""
    if scorer.evidence is None:
        return path
    path = list(path)
    k = 0
    while k < len(path):
        if path[k][0] and path[k][1]:
            k += 1
            continue
        best, best_gain = None, _ABSORB_MARGIN
        for lo in range(max(0, k - 2), k + 1):
            for hi in range(k + 1, min(len(path), lo + 3) + 1):
                run = path[lo:hi]
                src = tuple(i for s, _ in run for i in s)
                tgt = tuple(j for _, t in run for j in t)
                if hi - lo < 2 or not src or not tgt:
                    continue
                gain = scorer.lexical_any(src, tgt) - sum(scorer.lexical_any(s, t) for s, t in run if s and t)
                if gain > best_gain:
                    best, best_gain = (lo, hi, src, tgt), gain
        if best is None:
            k += 1
            continue
        lo, hi, src, tgt = best
        path[lo:hi] = [(src, tgt)]
        k = max(0, lo - 1)  # the grown link may now take in another neighbour
    return path


def _join_substitutions(path: _Path, scorer: _Scorer) -> _Path:
    """A 1-0 link next to a 0-1 link is one sentence translated into something of a very different length:
    report it as one (low-confidence) pair, so the length checks can say so, not as an omission plus an
    addition — unless the words say the two are unrelated (a dropped sentence beside an invented one)."""
    joined: _Path = []
    for link in path:
        if joined:
            prev = joined[-1]
            if (not prev[1] and not link[0] and len(prev[0]) == 1 and len(link[1]) == 1) or \
                    (not prev[0] and not link[1] and len(prev[1]) == 1 and len(link[0]) == 1):
                s, t = prev[0] or link[0], prev[1] or link[1]
                if scorer.related(s[0], t[0]):
                    joined[-1] = (s, t)
                    continue
        joined.append(link)
    return joined


def align(source: Document, src_segments: Sequence[Segment], src_paragraphs: Sequence[Paragraph],
          target: Document, tgt_segments: Sequence[Segment], tgt_paragraphs: Sequence[Paragraph], *,
          lexical: bool = True) -> Alignment:
    """Align two documents: paragraphs first, then the sentences inside each aligned paragraph group."""
    src_langs, tgt_langs = source.lang, target.lang
    all_src = [source.text[s.span.start:s.span.end] for s in src_segments]
    all_tgt = [target.text[s.span.start:s.span.end] for s in tgt_segments]
    src_tokens = lexicon.tokens_of(all_src, src_langs, tgt_langs) if lexical else [[] for _ in all_src]
    tgt_tokens = lexicon.tokens_of(all_tgt, tgt_langs, src_langs) if lexical else [[] for _ in all_tgt]

    # What each token matches on the other side, looked up once for the sentences' model and the paragraphs' (kept
    # only where the paragraphs have a model: not for one paragraph a side).
    keep = not _one_paragraph_each(src_segments, src_paragraphs, tgt_segments, tgt_paragraphs)
    matches = Matches(tgt_tokens, keep=keep), Matches(src_tokens, keep=keep)
    # One lexical model for the whole document: a paragraph has too few sentences to tell a rare word. Built
    # before the paragraphs are aligned, so that the lookups' index is gone before either DP runs.
    evidence = _evidence(src_tokens, tgt_tokens, matches=matches)
    para_links = _paragraph_links(source, src_segments, src_paragraphs, target, tgt_segments, tgt_paragraphs,
                                  src_tokens, tgt_tokens, matches)
    for side in matches:
        side.release()  # released already where the paragraphs had a model of their own; not needed again
    src_features = [_SegmentFeatures(t) for t in all_src]
    tgt_features = [_SegmentFeatures(t) for t in all_tgt]
    ratio = _estimate_ratio(src_features, tgt_features, src_langs, tgt_langs)
    both_latin = _both_latin(src_langs, tgt_langs)
    # The segments of each paragraph, found once (not by a scan of all segments per paragraph link).
    src_by_paragraph = _by_paragraph(src_segments)
    tgt_by_paragraph = _by_paragraph(tgt_segments)
    links: list[Link] = []
    for para_link in para_links:
        src_ids = [src_segments[k].index for k in sorted(chain.from_iterable(
            src_by_paragraph.get(p, ()) for p in para_link.source))]
        tgt_ids = [tgt_segments[k].index for k in sorted(chain.from_iterable(
            tgt_by_paragraph.get(p, ()) for p in para_link.target))]
        if not src_ids or not tgt_ids:
            links += [Link((i,), (), para_link.confidence) for i in src_ids]
            links += [Link((), (j,), para_link.confidence) for j in tgt_ids]
            continue
        inner_src, inner_tgt = _group_units([src_features[i] for i in src_ids], [tgt_features[j] for j in tgt_ids],
                                            both_latin)
        if evidence is not None:
            # A sentence links only inside its paragraph group: the evidence needs no match outside it.
            evidence.focus(min(src_ids), max(src_ids), min(tgt_ids), max(tgt_ids))
        if len(src_ids) == 1 and len(tgt_ids) == 1:
            # One sentence a side: nothing to align (as _links has it), only the link's confidence to work out.
            (i,), (j,) = src_ids, tgt_ids
            lexical = evidence.score(i, 1, j, 1) if evidence is not None else None
            links.append(Link((i,), (j,), _paired_confidence(inner_src[0], inner_tgt[0], ratio, lexical)))
            continue
        scorer = _Scorer(inner_src, inner_tgt, ratio, evidence, src_ids, tgt_ids)
        for link in _links(scorer):
            links.append(Link(tuple(src_ids[i] for i in link.source), tuple(tgt_ids[j] for j in link.target),
                              link.confidence))
    return Alignment(tuple(links), METHOD)


def _paragraph_links(source: Document, src_segments: Sequence[Segment], src_paragraphs: Sequence[Paragraph],
                     target: Document, tgt_segments: Sequence[Segment], tgt_paragraphs: Sequence[Paragraph],
                     src_tokens: Sequence[list[lexicon.Token]], tgt_tokens: Sequence[list[lexicon.Token]],
                     matches: tuple[Matches, Matches]) -> list[Link]:
    """The links between the two documents' paragraphs (what the sentence links are then looked for inside)."""
    src_langs, tgt_langs = source.lang, target.lang

    def para_text(doc: Document, para: Paragraph) -> str:
        return doc.text[para.span.start:para.span.end]

    def paragraph_of(segments: Sequence[Segment], paragraphs: Sequence[Paragraph]) -> list[int]:
        """The position of each segment's paragraph among ``paragraphs`` (-1: none), as ``para_tokens`` groups."""
        position = {p.index: k for k, p in enumerate(paragraphs)}
        return [position.get(seg.paragraph, -1) for seg in segments]

    def para_tokens(segments: Sequence[Segment], tokens: Sequence[list[lexicon.Token]],
                    paragraphs: Sequence[Paragraph]) -> list[list[lexicon.Token]]:
        grouped: list[list[lexicon.Token]] = [[] for _ in paragraphs]
        position = {p.index: k for k, p in enumerate(paragraphs)}
        for seg, toks in zip(segments, tokens, strict=True):
            if seg.paragraph in position:
                grouped[position[seg.paragraph]] += toks
        return grouped

    if _one_paragraph_each(src_segments, src_paragraphs, tgt_segments, tgt_paragraphs):
        # One paragraph a side with sentences in both (a unit of a bilingual file): the two correspond, and
        # every sentence gets a link of its own below, so the paragraph link's confidence is never read.
        return [Link((0,), (0,), 1.0)]
    src_para_texts = [para_text(source, p) for p in src_paragraphs]
    tgt_para_texts = [para_text(target, p) for p in tgt_paragraphs]
    vocabulary = _latin_vocabulary(src_para_texts, tgt_para_texts, src_langs, tgt_langs)
    src_units = [_unit(t, vocabulary) for t in src_para_texts]
    tgt_units = [_unit(t, vocabulary) for t in tgt_para_texts]
    src_matches, tgt_matches = matches
    para_evidence = _evidence(para_tokens(src_segments, src_tokens, src_paragraphs),
                              para_tokens(tgt_segments, tgt_tokens, tgt_paragraphs), strict=False,
                              matches=(src_matches.grouped(paragraph_of(tgt_segments, tgt_paragraphs)),
                                       tgt_matches.grouped(paragraph_of(src_segments, src_paragraphs))))
    src_matches.release()
    tgt_matches.release()  # both models have their matches: the index of every key need not outlive them
    para_ratio = _estimate_ratio(src_units, tgt_units, src_langs, tgt_langs)
    del src_para_texts, tgt_para_texts  # the units are what the DP needs, not a copy of the document's text
    return _links(_Scorer(src_units, tgt_units, para_ratio, para_evidence, range(len(src_units)),
                          range(len(tgt_units))))


def _one_paragraph_each(src_segments: Sequence[Segment], src_paragraphs: Sequence[Paragraph],
                        tgt_segments: Sequence[Segment], tgt_paragraphs: Sequence[Paragraph]) -> bool:
    """One paragraph a side, with sentences in both: the paragraphs are not aligned (they correspond)."""
    return len(src_paragraphs) == 1 and len(tgt_paragraphs) == 1 and bool(src_segments) and bool(tgt_segments)


def _by_paragraph(segments: Sequence[Segment]) -> dict[int, list[int]]:
    """Paragraph index → the positions of its segments, in order."""
    grouped: dict[int, list[int]] = {}
    for k, seg in enumerate(segments):
        grouped.setdefault(seg.paragraph, []).append(k)
    return grouped


def link_spans(link: Link, src_segments: Sequence[Segment],
               tgt_segments: Sequence[Segment]) -> tuple[Span | None, Span | None]:
    """The source and target text ranges a link covers (``None`` for an empty side)."""
    def cover(ids: tuple[int, ...], segments: Sequence[Segment]) -> Span | None:
        if not ids:
            return None
        return Span(segments[ids[0]].span.start, segments[ids[-1]].span.end)

    return cover(link.source, src_segments), cover(link.target, tgt_segments)
