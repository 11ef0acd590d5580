"""The aligner's lexical evidence (tqcheck.align.evidence) against its plain definition: each token matched by set
overlap with every other-side unit, each link's log-likelihood ratio summed token by token in order. The scores
must be the same floats to the last bit, whatever the focus, and for paragraphs matched through their sentences."""

from __future__ import annotations

import math
from collections import Counter
from itertools import chain
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from tqcheck.align import evidence as evidence_module
from tqcheck.align.evidence import Evidence, Matches
from tqcheck.align.lexicon import Token


class PlainSide:
    """One side's tokens against the other side's units, from the definition."""

    def __init__(self, tokens: list[list[Token]], other: list[list[Token]], strict: bool) -> None:
        limit = max(1.0, min(0.5 * len(other), 24))
        other_keys = [frozenset().union(*[t.keys for t in unit]) for unit in other]
        self.rows = []
        for unit in tokens:
            row = []
            for token in unit:
                found = frozenset(i for i, keys in enumerate(other_keys) if token.keys & keys)
                if (found or (strict and token.known)) and len(found) <= limit:
                    row.append(found)
            self.rows.append(row)
        best = counted = 0
        for row in self.rows:
            if len(row) >= 3:
                best += max(Counter(chain.from_iterable(row)).values(), default=0)
                counted += len(row)
        self.rate = min(0.9, max(0.2, best / counted if counted else 0.5))
        self.sizes = [max(1, len(unit)) for unit in other]
        self.mass = float(sum(self.sizes)) or 1.0
        self.typical = max(1, round(self.mass / max(1, len(self.sizes))))

    def evidence(self, k: int, t: int) -> tuple[float, float]:
        p = min(0.95, 1 - math.exp(-max(k, 0.5) * t / self.mass))
        c = max(self.rate, p)
        return math.log(c / p), math.log((1 - c) / (1 - p))

    def base(self, j: int) -> float:
        return sum(self.evidence(len(found), self.typical)[1] for found in self.rows[j])

    def weights(self, j: int, other_ids: range | list[int]) -> list[float]:
        """The weights of the tokens of unit j that ``other_ids`` match, over the base, in token order."""
        span, size = frozenset(other_ids), sum(self.sizes[i] for i in other_ids)
        return [self.evidence(len(found), size)[0] - self.evidence(len(found), self.typical)[1]
                for found in self.rows[j] if found & span]

    def terms(self, ids: range | list[int], other_ids: range | list[int]) -> list[float]:
        """Per unit of ``ids``, its LLR against ``other_ids`` (1 to 3 units): the base plus the weights added
        one by one."""
        terms = []
        for j in ids:
            matched = 0.0
            for weight in self.weights(j, other_ids):
                matched += weight
            terms.append(self.base(j) + matched)
        return terms

    def any(self, ids: list[int], other_ids: list[int]) -> float:
        """The LLR of ``ids`` against any number of units (the orphans' joins): per unit, its base, then its
        weights' sum."""
        total = 0.0
        for j in ids:
            total += self.base(j)
            total += sum(self.weights(j, other_ids))
        return total


def _sum(terms: list[float]) -> float:
    total = 0.0  # one unit after the other, as the scores add them
    for term in terms:
        total += term
    return total


def plain_score(source: PlainSide, target: PlainSide, s0: int, ns: int, t0: int, nt: int) -> float:
    source_ids, target_ids = range(s0, s0 + ns), range(t0, t0 + nt)
    return _sum(source.terms(source_ids, target_ids) + target.terms(target_ids, source_ids))


_KEYS = st.frozensets(st.sampled_from("abcdefghij"), min_size=1, max_size=3)
# A few shared objects, as the lexicon's caches hand out, and fresh ones: the memos are keyed by the object.
_SHARED = [Token(frozenset("ab"), True), Token(frozenset("c"), False), Token(frozenset("d"), True)]
_TOKEN = st.one_of(st.builds(Token, _KEYS, st.booleans()), st.sampled_from(_SHARED))
_UNITS = st.lists(st.lists(_TOKEN, max_size=6), min_size=1, max_size=12)


def _links(lo_s: int, hi_s: int, lo_t: int, hi_t: int) -> list[tuple[int, int, int, int]]:
    return [(s0, ns, t0, nt) for ns in (1, 2, 3) for nt in (1, 2, 3)
            for s0 in range(lo_s, hi_s - ns + 2) for t0 in range(lo_t, hi_t - nt + 2)]


@settings(max_examples=200, deadline=None)
@given(_UNITS, _UNITS, st.booleans(), st.data())
def test_scores_are_the_plain_definition(src, tgt, strict, data):
    """Every link of 1 to 3 units a side, in the whole document and then in a focus (as the aligner's paragraph
    groups score them), and links of more units (the orphans' joins)."""
    evidence = Evidence(src, tgt, strict=strict)
    source, target = PlainSide(src, tgt, strict), PlainSide(tgt, src, strict)
    for s0, ns, t0, nt in _links(0, len(src) - 1, 0, len(tgt) - 1):
        assert evidence.score(s0, ns, t0, nt) == plain_score(source, target, s0, ns, t0, nt)
    for _ in range(2):
        lo_s = data.draw(st.integers(0, len(src) - 1))
        hi_s = data.draw(st.integers(lo_s, len(src) - 1))
        lo_t = data.draw(st.integers(0, len(tgt) - 1))
        hi_t = data.draw(st.integers(lo_t, len(tgt) - 1))
        evidence.focus(lo_s, hi_s, lo_t, hi_t)
        for s0, ns, t0, nt in _links(lo_s, hi_s, lo_t, hi_t):
            assert evidence.score(s0, ns, t0, nt) == plain_score(source, target, s0, ns, t0, nt)
        ids, other_ids = list(range(lo_s, hi_s + 1)), list(range(lo_t, hi_t + 1))
        plain = source.any if len(other_ids) > 3 else lambda ids, other_ids: _sum(source.terms(ids, other_ids))
        assert evidence.source.score_any(ids, other_ids) == plain(ids, other_ids)
        plain = target.any if len(ids) > 3 else lambda ids, other_ids: _sum(target.terms(ids, other_ids))
        assert evidence.target.score_any(other_ids, ids) == plain(other_ids, ids)


@settings(max_examples=150, deadline=None)
@given(_UNITS, _UNITS, st.booleans(), st.integers(1, 3))
def test_scores_are_the_plain_definition_when_postings_and_tables_are_dropped(src, tgt, strict, kept):
    """A long document keeps the postings and tables of a bounded number of units at a time (_MAX_POSTINGS):
    with room for only 1 to 3 units, dropped and rebuilt again and again, in the band's order and back, every
    score is still the plain definition."""
    with mock.patch.object(evidence_module, "_MAX_POSTINGS", kept):
        evidence = Evidence(src, tgt, strict=strict)
        source, target = PlainSide(src, tgt, strict), PlainSide(tgt, src, strict)
        links = _links(0, len(src) - 1, 0, len(tgt) - 1)
        for s0, ns, t0, nt in [*links, *reversed(links)]:
            assert evidence.score(s0, ns, t0, nt) == plain_score(source, target, s0, ns, t0, nt)


def _grouped(units: list[list[Token]], group_of: list[int], groups: int) -> list[list[Token]]:
    grouped: list[list[Token]] = [[] for _ in range(groups)]
    for unit, group in zip(units, group_of, strict=True):
        if group >= 0:
            grouped[group] += unit
    return grouped


@st.composite
def _paragraphs(draw: st.DrawFn) -> tuple[list[list[Token]], list[int], int]:
    """Sentences and the paragraph of each (in order; -1 for a sentence in none)."""
    sentences = draw(_UNITS)
    groups = draw(st.integers(1, len(sentences)))
    cuts = sorted(draw(st.lists(st.integers(0, len(sentences)), min_size=groups - 1, max_size=groups - 1)))
    group_of = [sum(k >= cut for cut in cuts) for k in range(len(sentences))]
    outside = draw(st.sets(st.integers(0, len(sentences) - 1), max_size=2))
    return sentences, [-1 if k in outside else g for k, g in enumerate(group_of)], groups


@settings(max_examples=150, deadline=None)
@given(_paragraphs(), _paragraphs())
def test_paragraph_scores_through_sentence_matches_are_the_plain_definition(src, tgt):
    """Paragraphs matched through their sentences' matches (Matches.grouped) score as paragraphs matched
    directly: a paragraph's keys are its sentences' keys."""
    (src_sentences, src_group_of, src_groups), (tgt_sentences, tgt_group_of, tgt_groups) = src, tgt
    src_paras = _grouped(src_sentences, src_group_of, src_groups)
    tgt_paras = _grouped(tgt_sentences, tgt_group_of, tgt_groups)
    matches = (Matches(tgt_sentences).grouped(tgt_group_of), Matches(src_sentences).grouped(src_group_of))
    evidence = Evidence(src_paras, tgt_paras, strict=False, matches=matches)
    source, target = PlainSide(src_paras, tgt_paras, False), PlainSide(tgt_paras, src_paras, False)
    for s0, ns, t0, nt in _links(0, src_groups - 1, 0, tgt_groups - 1):
        assert evidence.score(s0, ns, t0, nt) == plain_score(source, target, s0, ns, t0, nt)



@settings(max_examples=150, deadline=None)
@given(_UNITS, _UNITS, st.booleans(), st.booleans())
def test_matches_without_keeping_answers_are_the_plain_definition(src, tgt, strict, keep):
    """Matches that keep their answers (for the paragraphs' model) and ones that do not (one paragraph a side) give
    the same scores, those of the definition; asked twice, the kept answers are the same sets."""
    matches = (Matches(tgt, keep=keep), Matches(src, keep=keep))
    evidence = Evidence(src, tgt, strict=strict, matches=matches)
    source, target = PlainSide(src, tgt, strict), PlainSide(tgt, src, strict)
    for s0, ns, t0, nt in _links(0, len(src) - 1, 0, len(tgt) - 1):
        assert evidence.score(s0, ns, t0, nt) == plain_score(source, target, s0, ns, t0, nt)
    tokens = [token for unit in src for token in unit]
    other_keys = [frozenset().union(*[t.keys for t in unit]) for unit in tgt]
    expected = [frozenset(i for i, keys in enumerate(other_keys) if token.keys & keys) for token in tokens]
    assert matches[0](tokens) == expected
    assert matches[0](tokens[::-1]) == expected[::-1]


def test_matches_are_asked_in_bounded_batches(monkeypatch):
    """A side asks for the matches of at most _MATCHED_AT_ONCE tokens at a time (a frequent word's big set is
    dropped before the next batch), each distinct token once."""
    asked: list[int] = []
    units = [[Token(frozenset({f"w{k}", "x"}), True) for k in range(u * 10, u * 10 + 10)] for u in range(20)]
    matches = Matches(units)

    def counting(tokens):
        asked.append(len(tokens))
        return matches(tokens)

    monkeypatch.setattr(evidence_module, "_MATCHED_AT_ONCE", 16)
    evidence_module._Side(units + units[:3], evidence_module._sizes(units), counting, True)
    assert max(asked) <= 16 and sum(asked) == 200
