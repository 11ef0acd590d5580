"""Matching the numbers of a source with those of its translation, as multisets of values.

Two mentions match when their kinds are compatible (:data:`KIND_EQUIVALENTS`) and their values are equal,
or differ by no more than the rounding the coarser one shows (2.17亿 ≈ 0,22 Mrd.). Beyond plain values:

* measurements in different units of one dimension match when the value converts (100 feet ≈ 30 Meter);
* an hour of the day matches the same hour on the other half of a 12-hour clock (9:28 ↔ 21.28 Uhr only
  when one side leaves the half open; 1.30pm ↔ 13.30 Uhr, not 1.30 Uhr);
* an approximation matches any value inside its interval, a colloquial range both of its ends;
* dates match when one refines the other; decades match their two-digit form (80年代 ↔ the 1980s).

What stays unmatched is ``missing`` (source) or ``added`` (target), except what :func:`soft` deems too
uncertain to report, which lands in ``ignored``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from tqcheck.numbers import units
from tqcheck.numbers.model import DateParts, NumberDiff, NumberMention

# Which target kinds may stand for which source kinds. A year may be written as a bare number; money may
# lose its currency word ("5亿元" → "500 Millionen"), which is a matter for another rule, not a lost number.
# Percent and percentage points match each other: "3个百分点" → "3 %" is imprecise but keeps the figure.
KIND_EQUIVALENTS: Mapping[str, frozenset[str]] = {
    "number": frozenset({"number", "year", "money", "ordinal", "decade"}),
    "year": frozenset({"year", "number"}),
    "money": frozenset({"money", "number"}),
    "percent": frozenset({"percent"}),
    "ordinal": frozenset({"ordinal", "number"}),
    "date": frozenset({"date"}),
    "decade": frozenset({"decade", "number"}),
}
# Rounding tolerance: besides staying within half a step of the coarser shown precision, two values may
# differ by at most this share, so that "1万" (10000) does not match "15.000".
ROUNDING_RELATIVE_TOLERANCE = Decimal("0.05")
# Spelled numbers up to this value are too ambiguous to report when unmatched ("beide" for 双方).
SPELLED_SMALL_MAX = 12


def soft(m: NumberMention) -> bool:
    """Whether an unmatched mention is too uncertain to report.

    Small spelled-out numbers ("zwei" for 双方, 两款 rendered by naming the two products), approximations
    (数十亿 rendered "billions"), a month name alone ("im Mai": translations often add or drop the month of
    an event) and a bare "1" (1家研究机构 → "a research institute": the article carries it).
    """
    if m.approx:
        return True
    if m.spelled and m.kind in ("number", "ordinal") and m.value <= SPELLED_SMALL_MAX:
        return True
    if m.spelled and m.kind == "date" and m.parts is not None and m.parts[0] is None and m.parts[2] is None:
        return True
    return m.kind == "number" and m.value == 1 and m.unit is None and m.measure is None and m.clock is None


def _value_rank(a: NumberMention, b: NumberMention) -> int | None:
    """0: equal values; 1: equal within the rounding the coarser side shows; ``None``: different."""
    return _close(a.value, a.precision, b.value, b.precision)


def _close(va: Decimal, pa: Decimal, vb: Decimal, pb: Decimal) -> int | None:
    if va == vb:
        return 0
    diff = abs(va - vb)
    step = max(pa, pb)
    if diff * 2 <= step and diff <= ROUNDING_RELATIVE_TOLERANCE * max(abs(va), abs(vb)):
        return 1
    return None


def _bounded_rank(a: NumberMention, b: NumberMention) -> int | None:
    """Rank of a pair where one side names an interval (approximation) or two ends (colloquial range)."""
    ranged, other = (a, b) if a.bounds is not None else (b, a)
    assert ranged.bounds is not None
    low, high = ranged.bounds
    if other.bounds is not None:
        return 0 if other.bounds == ranged.bounds else 1 if other.bounds[0] <= high and low <= other.bounds[1] else None
    if ranged.approx:
        slack = other.precision / 2
        return 1 if low - slack <= other.value <= high + slack else None
    ends = [r for r in (_close(low, ranged.precision, other.value, other.precision),
                        _close(high, ranged.precision, other.value, other.precision)) if r is not None]
    return min(ends) if ends else None


def _clock_rank(a: NumberMention, b: NumberMention) -> int | None:
    """An hour of the day: 13 matches 1 only when one side is a 12-hour reading (1:30 ↔ 13:30)."""
    if a.value > 24 or b.value > 24 or a.value != a.value.to_integral_value() or b.value != b.value.to_integral():
        return None
    if a.value == b.value:
        return 0
    if a.clock == "24h" and b.clock == "24h":
        return None
    return 0 if a.value % 12 == b.value % 12 else None


def _decade_rank(a: NumberMention, b: NumberMention) -> int | None:
    if a.value == b.value:
        return 0
    short, full = (a, b) if a.value < 100 else (b, a)
    return 1 if short.value < 100 and full.value % 100 == short.value else None


def _date_parts_match(a: DateParts, b: DateParts) -> bool:
    """One date refines the other: 2019-11-11 matches 11-11, but 2019-11 does not match 11-11."""
    a_set = {i for i, p in enumerate(a) if p is not None}
    b_set = {i for i, p in enumerate(b) if p is not None}
    if not (a_set <= b_set or b_set <= a_set):
        return False
    return all(a[i] == b[i] for i in a_set & b_set)


def _date_rank(a: NumberMention, b: NumberMention) -> tuple[int, int] | None:
    date, other = (a, b) if a.kind == "date" else (b, a)
    if other.kind == "date":
        ok = _date_parts_match(date.parts or (None, None, None), other.parts or (None, None, None))
        return (0, 0) if ok else None
    # a bare day (11日) may come out as "am 11." or "the 11th"
    parts = date.parts or (None, None, None)
    if parts[0] is None and parts[1] is None and parts[2] is not None and other.kind in ("number", "ordinal"):
        return (0, 1) if other.value == parts[2] else None
    return None


def _pair_rank(a: NumberMention, b: NumberMention) -> tuple[int, int] | None:
    """How well ``b`` renders ``a``: (value rank, kind rank), lower is better; ``None`` if it cannot."""
    if a.kind == "date" or b.kind == "date":
        return _date_rank(a, b)
    if b.kind not in KIND_EQUIVALENTS[a.kind]:
        return None
    if a.kind == "money" and b.kind == "money" and a.unit and b.unit and a.unit != b.unit:
        return None
    kind_rank = 0 if a.kind == b.kind else 1
    if a.kind == "decade" or b.kind == "decade":
        rank = _decade_rank(a, b)
    elif a.measure and b.measure and a.measure != b.measure:
        converts = units.converts(a.value, a.measure, b.value, b.measure)
        rank = 1 if converts else None
    elif a.bounds is not None or b.bounds is not None:
        rank = _bounded_rank(a, b)
    elif a.clock or b.clock:
        rank = _clock_rank(a, b)
    else:
        rank = _value_rank(a, b)
    return None if rank is None else (rank, kind_rank)


def _covers_part(m: NumberMention, index: int, value: int) -> bool:
    """Whether ``m`` alone states one part of a date: "2019" for its year, "November" for its month."""
    if m.kind == "date":
        parts = m.parts or (None, None, None)
        return parts[index] == value and all(p is None for i, p in enumerate(parts) if i != index)
    if index == 0:
        return m.kind in ("year", "number") and m.value == value
    if index == 2:
        return m.kind in ("number", "ordinal") and m.value == value
    return False


def _greedy(source: list[NumberMention], target: list[NumberMention], src_used: set[int], tgt_used: set[int],
            rank=_pair_rank) -> list[tuple[int, int]]:
    """Best pairs first: exact values and equal kinds win; among equals, the nearer relative position."""
    candidates: list[tuple[int, int, float, int, int]] = []
    ns, nt = max(len(source), 1), max(len(target), 1)
    for i, a in enumerate(source):
        if i in src_used:
            continue
        for j, b in enumerate(target):
            if j in tgt_used:
                continue
            r = rank(a, b)
            if r is not None:
                candidates.append((r[0], r[1], abs(i / ns - j / nt), i, j))
    candidates.sort()
    pairs: list[tuple[int, int]] = []
    for _, _, _, i, j in candidates:
        if i not in src_used and j not in tgt_used:
            src_used.add(i)
            tgt_used.add(j)
            pairs.append((i, j))
    return pairs


def _date_part_pairs(source: list[NumberMention], target: list[NumberMention], pairs: list[tuple[int, int]],
                     src_used: set[int], tgt_used: set[int]) -> list[tuple[int, int]]:
    """A date part written separately on one side ("2019年11月11日" ↔ "am 11.11. des Jahres 2019")."""
    extra: list[tuple[int, int]] = []
    for i, j in pairs:
        a, b = source[i], target[j]
        if a.kind != "date" or b.kind != "date":
            continue
        for index, (pa, pb) in enumerate(zip(a.parts or (), b.parts or (), strict=True)):
            if pa is not None and pb is None:
                k = next((k for k, m in enumerate(target) if k not in tgt_used and _covers_part(m, index, pa)), None)
                if k is not None:
                    tgt_used.add(k)
                    extra.append((i, k))
            elif pb is not None and pa is None:
                k = next((k for k, m in enumerate(source) if k not in src_used and _covers_part(m, index, pb)), None)
                if k is not None:
                    src_used.add(k)
                    extra.append((k, j))
    return extra


def _range_end_pairs(source: list[NumberMention], target: list[NumberMention], pairs: list[tuple[int, int]],
                     tgt_used: set[int]) -> list[tuple[int, int]]:
    """A colloquial range (一万六七千) rendered as two numbers ("16,000 to 17,000"): the second end matches too."""
    extra: list[tuple[int, int]] = []
    for i, _ in pairs:
        a = source[i]
        if a.bounds is None or a.approx:
            continue
        for k, b in enumerate(target):
            if k not in tgt_used and b.kind in KIND_EQUIVALENTS[a.kind] and _bounded_rank(a, b) is not None:
                tgt_used.add(k)
                extra.append((i, k))
                break
    return extra


def _misread_rank(a: NumberMention, b: NumberMention) -> tuple[int, int] | None:
    if b.alt_value is None:
        return None
    return _pair_rank(a, replace(b, value=b.alt_value, precision=Decimal(1), alt_value=None))


def compare_numbers(source: list[NumberMention], target: list[NumberMention]) -> NumberDiff:
    """Match source mentions to target mentions as multisets of values (see the module notes).

    The cost is quadratic in the number of mentions: call it per aligned segment, not per document.
    """
    if not source and not target:  # most links of a text have no number on either side
        return NumberDiff(missing=[], added=[], matched=[], ignored=[], misread=[])
    src_used: set[int] = set()
    tgt_used: set[int] = set()
    pairs = _greedy(source, target, src_used, tgt_used)
    pairs += _date_part_pairs(source, target, pairs, src_used, tgt_used)
    pairs += _range_end_pairs(source, target, pairs, tgt_used)
    misread = _greedy(source, target, src_used, tgt_used, rank=_misread_rank)

    missing = [m for i, m in enumerate(source) if i not in src_used]
    added = [m for j, m in enumerate(target) if j not in tgt_used]
    pairs.sort(key=lambda p: (source[p[0]].span.start, target[p[1]].span.start))
    return NumberDiff(
        missing=[m for m in missing if not soft(m)],
        added=[m for m in added if not soft(m)],
        matched=[(source[i], target[j]) for i, j in pairs],
        ignored=[m for m in (*missing, *added) if soft(m)],
        misread=sorted(((source[i], target[j]) for i, j in misread), key=lambda p: p[1].span.start),
    )
