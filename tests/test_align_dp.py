"""The aligner's DP (tqcheck.align.model._dp) against its plain definition: every cell in the band, every move in
order, each cost from ``_Scorer.cost``; the paths must be the same, and so the links and their confidences."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from tqcheck.align import model
from tqcheck.align.lexicon import Token


def plain_dp(scorer: model._Scorer) -> model._Path:
    """The minimum-cost path, cell by cell over the full table (cells outside the band have no path)."""
    n, m = len(scorer.src), len(scorer.tgt)
    band = None if (n + 1) * (m + 1) <= model._MAX_CELLS else 50 + min(abs(n - m), model._MAX_BAND_WIDENING)

    def in_band(i: int, j: int) -> bool:
        if band is None:
            return True
        centre = i * m / max(n, 1)
        return max(0, math.ceil(centre - band)) <= j <= min(m, math.floor(centre + band))

    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if (i, j) == (0, 0) or not in_band(i, j):
                continue
            for k, (di, dj) in enumerate(model._MOVES):
                if i < di or j < dj or best[i - di][j - dj] == inf:
                    continue
                c = best[i - di][j - dj] + scorer.cost(i - di, di, j - dj, dj)
                if c < best[i][j]:
                    best[i][j], move[i][j] = c, k + 1
    path = []
    i, j = n, m
    while (i, j) != (0, 0):
        di, dj = model._MOVES[move[i][j] - 1]
        path.append((tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    return path[::-1]


_KEYS = st.frozensets(st.sampled_from("abcdefgh"), min_size=1, max_size=3)
_TOKEN = st.builds(Token, _KEYS, st.booleans())
_UNIT = st.builds(model._Unit, st.integers(0, 60), st.frozensets(st.sampled_from(["#1", "#2", "#3", "x"]), max_size=2),
                  st.sampled_from(["", "", "?", "!"]))


@st.composite
def _side(draw: st.DrawFn, min_size: int = 1) -> tuple[list[model._Unit], list[list[Token]]]:
    units = draw(st.lists(_UNIT, min_size=min_size, max_size=14))
    tokens = [draw(st.lists(_TOKEN, max_size=5)) for _ in units]
    return units, tokens


def _scorers(src, tgt, ratio: float, lexical: bool) -> tuple[model._Scorer, model._Scorer]:
    def one() -> model._Scorer:
        evidence = model._evidence(src[1], tgt[1]) if lexical else None
        return model._Scorer(src[0], tgt[0], ratio, evidence, range(len(src[0])), range(len(tgt[0])))
    return one(), one()


@settings(max_examples=300, deadline=None)
@given(_side(), _side(), st.sampled_from([0.5, 1.0, 1.15, 3.4]), st.booleans(), st.booleans())
def test_dp_is_the_plain_dp(src, tgt, ratio, lexical, banded):
    """Same path as the plain DP, with and without words, in full and in a band."""
    old = model._MAX_CELLS
    model._MAX_CELLS = 20 if banded else old
    try:
        fast, plain = _scorers(src, tgt, ratio, lexical)
        assert model._dp(fast) == plain_dp(plain)
    finally:
        model._MAX_CELLS = old


@settings(max_examples=100, deadline=None)
@given(_side(), _side(), st.sampled_from([1.0, 3.4]))
def test_links_are_those_of_the_plain_dp(src, tgt, ratio):
    """The links and their confidences, to the bit, are those the plain DP's path gives."""
    fast, plain = _scorers(src, tgt, ratio, True)
    links = model._links(fast)
    original = model._dp
    model._dp = plain_dp
    try:
        assert links == model._links(plain)
    finally:
        model._dp = original


def test_repeated_lengths_share_one_length_term():
    """Units of the same length are costed once per move and length pair (what a repeated text repeats)."""
    units = [model._Unit(10, frozenset(), "")] * 6
    scorer = model._Scorer(units, units, 1.0, None, range(6), range(6))
    assert model._dp(scorer) == [((k,), (k,)) for k in range(6)]
    assert {key: {s: sorted(t) for s, t in by.items()} for key, by in scorer._length_costs.items()} == {
        1 << 2 | 1: {10: [10]}, 1 << 2 | 2: {10: [20]}, 1 << 2 | 3: {10: [30]}, 2 << 2 | 1: {20: [10]},
        3 << 2 | 1: {30: [10]}}


def test_evidence_without_counted_tokens_is_silent():
    """Evidence whose every token matches too many units (or none) scores every link 0.0: the DP skips it."""
    every = [[Token(frozenset({"a"}), True)] for _ in range(6)]
    silent = model._evidence(every, every, strict=False)
    assert silent.silent
    assert {silent.score(s, ns, t, nt) for s in range(4) for t in range(4) for ns in (1, 2, 3) for nt in (1, 2, 3)
            } == {0.0}
    assert not model._evidence(every[:1], every[:1]).silent


def test_merged_anchors_are_shared_not_copied():
    """A merged unit with anchors on one part only keeps that part's set; without any, the one empty set."""
    plain, named = model._Unit(3, model._NO_NAMES, ""), model._Unit(4, frozenset({"#5"}), "?")
    assert model._merge([plain, plain]).anchors is model._NO_NAMES
    assert model._merge([plain, named]).anchors is named.anchors
    assert model._merge([named, named, plain]) == model._Unit(11, frozenset({"#5"}), "")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text("ab 1.Zé中-", max_size=12), max_size=6), st.lists(st.text("ab 1.Zé中-", max_size=12),
                                                                          max_size=6))
def test_latin_vocabulary_is_the_shared_tokens(src, tgt):
    """The names both sides share: the intersection of each side's union of per-text Latin tokens."""
    def union(texts):
        return set().union(*(model._latin_tokens(t) for t in texts))
    assert model._latin_vocabulary(src, tgt, "zh", "de") == frozenset(union(src) & union(tgt))


def test_length_costs_beyond_the_erfc_floor_are_those_through_erfc():
    """Past _ERFC_BELOW_FLOOR standard deviations the DP takes the floor's cost without erfc: the same float
    as worked out through erfc, for lengths up to 400 on each side, each move and three ratios."""
    assert math.erfc(model._ERFC_BELOW_FLOOR) < 1e-12
    units = [model._Unit(length, frozenset(), "") for length in range(401)]
    for ratio in (0.33, 1.0, 3.4):
        scorer = model._Scorer(units, units, ratio, None, range(401), range(401))
        for ns, nt in ((1, 1), (2, 1), (1, 3)):
            for src in units[::7]:
                lengths = scorer.length_costs(ns, nt, src)
                for tgt in units:
                    through_erfc = model._COSTS[(ns, nt)] - math.log(max(1e-12, math.erfc(
                        abs(model.length_delta(src.length, tgt.length, ratio)) / model._SQRT2)))
                    assert scorer.pair_cost(src, 0, ns, tgt, 0, nt, lengths) == through_erfc


def test_lengths_outside_the_viable_range_are_hopeless():
    """Outside _viable_lengths a link's prior and length cost more than _HOPELESS (so the full DP may leave it out):
    every move, source lengths up to 1,500, target lengths on both sides of the range, seven ratios."""
    for ratio in (0.17, 0.33, 0.87, 1.0, 1.15, 3.4, 6.8):
        scorer = model._Scorer([], [], ratio, None, [], [])
        for move in model._WINDOW_C:
            for src_len in range(0, 1500, 7):
                low, high = model._viable_lengths(move, src_len, ratio)
                assert low <= src_len * ratio <= high
                src, lengths = model._Unit(src_len, frozenset(), ""), {}
                for tgt_len in (*range(0, max(0, math.ceil(low))), *range(math.floor(high) + 1, math.floor(high) + 80)):
                    cost = scorer.pair_cost(src, 0, move[0], model._Unit(tgt_len, frozenset(), ""), 0, move[1], lengths)
                    assert cost > model._HOPELESS, (ratio, move, src_len, tgt_len)


_WIDE_UNIT = st.builds(model._Unit, st.integers(0, 400), st.frozensets(st.sampled_from(["#1", "#2", "x"]), max_size=2),
                       st.sampled_from(["", "?"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(_WIDE_UNIT, min_size=1, max_size=12), st.lists(_WIDE_UNIT, min_size=1, max_size=12),
       st.sampled_from([0.33, 1.0, 3.4]), st.data())
def test_dp_without_hopeless_links_is_the_plain_dp(src, tgt, ratio, data):
    """Lengths from 0 to 400 make many links hopeless, which the full DP leaves out: its path is still the plain
    DP's, with and without words."""
    src_tokens = [data.draw(st.lists(_TOKEN, max_size=5)) for _ in src]
    tgt_tokens = [data.draw(st.lists(_TOKEN, max_size=5)) for _ in tgt]
    fast, plain = _scorers((src, src_tokens), (tgt, tgt_tokens), ratio, data.draw(st.booleans()))
    assert model._dp(fast) == plain_dp(plain)
