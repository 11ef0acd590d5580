"""Comparing numbers across an alignment: neighbouring links, changed figures, figures rendered vaguely.

The sentence aligner sometimes puts a number one link away from its source: a clause moved into the next
sentence, two source sentences merged into one. :func:`compare_links` compares each link, then lets what
is left over in one link match what is left over in its neighbour within the same paragraph, so that a
number that only moved is neither missing nor added. :func:`pair_changes` tells a changed figure (a source
number and a target number of the same kind that match nothing else) from a dropped one, and
:func:`vague_spans` finds where a dropped figure went when the translation gives it in words only
("hundreds of billions", "Dutzende").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from tqcheck import regexcache
from tqcheck.numbers import lexicon
from tqcheck.numbers.common import alternation
from tqcheck.numbers.compare import KIND_EQUIVALENTS, compare_numbers, soft
from tqcheck.numbers.extract import family
from tqcheck.numbers.model import NumberDiff, NumberMention


def compare_links(links: Sequence[tuple[list[NumberMention], list[NumberMention]]],
                  joined: Sequence[bool]) -> list[NumberDiff]:
    """One diff per link, given each link's (source mentions, target mentions).

    ``joined[i]`` says whether links ``i`` and ``i + 1`` lie in one paragraph. Links with an empty side take
    part too (their numbers can only be leftovers). What one link leaves unmatched on the source side is
    matched against what its joined neighbour leaves unmatched on the target side, including the mentions
    too uncertain to report ("four" for the source's 4), and both drop out.
    """
    diffs = [compare_numbers(src, tgt) for src, tgt in links]
    left_src, left_tgt = [], []
    for diff, (src, _tgt) in zip(diffs, links, strict=True):
        on_source = {id(m) for m in src}
        left_src.append([*diff.missing, *(m for m in diff.ignored if id(m) in on_source)])
        left_tgt.append([*diff.added, *(m for m in diff.ignored if id(m) not in on_source)])
    for i in range(len(links) - 1):
        if joined[i]:
            _cancel(left_src[i], left_tgt[i + 1])
            _cancel(left_src[i + 1], left_tgt[i])
    # NumberDiff(...) rather than dataclasses.replace: the same object, without replace's field-by-field walk.
    return [NumberDiff([m for m in left_src[k] if not soft(m)], [m for m in left_tgt[k] if not soft(m)], d.matched,
                       d.ignored, d.misread)
            for k, d in enumerate(diffs)]


def _cancel(source: list[NumberMention], target: list[NumberMention]) -> None:
    """Remove from both lists the mentions that match each other (reported ones only need a partner)."""
    if not source or not target:
        return
    inner = compare_numbers(source, target)
    pairs = [(a, b) for a, b in inner.matched if not (soft(a) and soft(b))]
    found_src, found_tgt = {id(a) for a, _ in pairs}, {id(b) for _, b in pairs}
    source[:] = [m for m in source if id(m) not in found_src]
    target[:] = [m for m in target if id(m) not in found_tgt]


def _compatible(a: NumberMention, b: NumberMention) -> bool:
    if a.kind == "date" or b.kind == "date":
        return a.kind == b.kind
    return b.kind in KIND_EQUIVALENTS[a.kind]


def pair_changes(missing: Sequence[NumberMention], added: Sequence[NumberMention]
                 ) -> tuple[list[tuple[NumberMention, NumberMention | None]], list[NumberMention]]:
    """Pair each missing source number with the added target number that most likely replaced it.

    A partner must be of a compatible kind (a changed percentage is a percentage); among several, the same
    kind wins, then the nearer relative position. Returns the (source, target or None) pairs in source
    order and the added numbers left over.
    """
    free = list(added)
    pairs: list[tuple[NumberMention, NumberMention | None]] = []
    n_src, n_tgt = max(len(missing), 1), max(len(added), 1)
    for i, m in enumerate(missing):
        options = [(a.kind != m.kind, abs(i / n_src - added.index(a) / n_tgt), k)
                   for k, a in enumerate(free) if _compatible(m, a)]
        if options:
            pairs.append((m, free.pop(min(options)[2])))
        else:
            pairs.append((m, None))
    return pairs, free


@cache
def _vague_re(lang: str) -> re.Pattern[str] | None:
    words = [row[1] for row in lexicon.rows("vague.tsv") if row[0] == lang]
    if not words:
        return None
    return regexcache.compile(rf"(?<![^\W\d_])(?:{alternation(words)})(?:[ \u00a0]of)?(?![^\W\d_])", re.IGNORECASE)


def vague_spans(text: str, lang: str | None, mentions: Sequence[NumberMention] = ()) -> list[tuple[int, int]]:
    """Where ``text`` gives a quantity in words only ("hundreds of billions", "Dutzende", "mehrere").

    Words inside a mention ("2 Millionen") are not vague.
    """
    pattern = _vague_re(family(lang).name)
    if pattern is None:
        return []
    taken = [(m.span.start, m.span.end) for m in mentions]
    spans: list[tuple[int, int]] = []
    for m in pattern.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if spans and spans[-1][1] + 1 >= m.start():  # "hundreds of billions": one expression
            spans[-1] = (spans[-1][0], m.end())
        else:
            spans.append(m.span())
    return [(s, e - 3 if text.endswith(" of", s, e) else e) for s, e in spans]
