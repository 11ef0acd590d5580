"""Routes per segment and per document: publish, light-review, post-edit or retranslate.

A segment's route starts from its QE score (where QE scored it; a NaN score counts as none) and can only be raised
by what the rules found in it and by its alignment (a source sentence left untranslated, a target sentence with no
source): a minor finding asks at least for a light review, a major one vetoes "publish" and asks for a post-edit, a
critical one for a new translation (the escalations of the :class:`~tqcheck.routing.policy.RoutePolicy`). Without
QE a segment's route comes from the rules alone, and says so (``basis = "rules"``). Issues from the QE model itself
(TQ9xx) do not escalate: the score already speaks for them.

A document's route is "retranslate" when that share of its words is (``retranslate_share``), else the worst
route of its segments; a document that failed the gate goes at least to ``failed_document``.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from tqcheck.routing.policy import ROUTES, Route, RoutePolicy, route_rank, worst
from tqcheck.scoring.words import span_words, spans_words
from tqcheck.types import Alignment, Document, Issue, ScoredPair, Segment, Span, SpanIndex

Basis = Literal["qe+rules", "rules"]


@dataclass(frozen=True, slots=True)
class RoutedSegment:
    """One routed unit: an alignment link, or a target sentence when there is no alignment."""

    target: Span | None
    source: Span | None
    link: int | None
    route: Route
    basis: Basis
    words: int  # word equivalents of the target (of the source for an omitted sentence)
    qe_score: float | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Routing:
    route: Route
    basis: Basis
    content_type: str | None
    policy: RoutePolicy
    segments: tuple[RoutedSegment, ...]
    reasons: tuple[str, ...]
    # (segments, words) per route, in ROUTES order: kept when a streamed batch drops the segments themselves.
    totals: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        if not self.totals:
            object.__setattr__(self, "totals", _totals(self.segments))

    def route_at(self, span: Span) -> Route | None:
        """The route of the routed segment whose target holds ``span``: the worst one when the span crosses
        segments (each was escalated for it), None when no segment's target touches it (e.g. in the space between
        two sentences, or in a streamed result whose segments were dropped)."""
        routes = [route for target, route in self._by_start.near(span) if _touches(span, target)]
        return worst(*routes) if routes else None

    @cached_property
    def _by_start(self) -> SpanIndex[Route]:
        """The segment targets and their routes, indexed: reports ask route_at once per issue."""
        return SpanIndex((seg.target, seg.route) for seg in self.segments if seg.target is not None)

    def summary(self) -> dict[Route, dict[str, int]]:
        """Segments and words per route, every route present."""
        return {r: {"segments": n, "words": w} for r, (n, w) in zip(ROUTES, self.totals, strict=True)}


def _totals(segments: Sequence[RoutedSegment]) -> tuple[tuple[int, int], ...]:
    """(segments, words) per route, in ROUTES order: one pass over the segments (every route is one of ROUTES:
    the policy's are checked when it is read)."""
    counts = dict.fromkeys(ROUTES, 0)
    words = dict.fromkeys(ROUTES, 0)
    for segment in segments:
        if segment.route in counts:
            counts[segment.route] += 1
            words[segment.route] += segment.words
    return tuple((counts[r], words[r]) for r in ROUTES)


class _Touching:
    """The rule issues touching each of a series of spans, in the issues' order: a sweep over the issues sorted by
    start, so routing a long text costs its segments plus its issues, not their product. Spans asked in text order
    are swept; a span that goes back is answered by a full scan."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = [issue for issue in issues if issue.origin == "rule"]
        self.by_start = sorted(range(len(self.issues)), key=lambda k: self.issues[k].span.start)
        self.next = 0
        self.active: list[tuple[int, int]] = []  # heap of (end, index) of issues that started
        self.last_start = -1

    def __call__(self, span: Span) -> list[Issue]:
        if span.start < self.last_start:
            return [i for i in self.issues if _touches(i.span, span)]
        self.last_start = span.start
        while self.next < len(self.by_start) and self.issues[self.by_start[self.next]].span.start <= span.end:
            k = self.by_start[self.next]
            heapq.heappush(self.active, (self.issues[k].span.end, k))
            self.next += 1
        while self.active and self.active[0][0] < span.start:  # ended before this span: before every later one
            heapq.heappop(self.active)
        if not self.active:  # most segments: no issue is open here
            return []
        touching = sorted(k for _, k in self.active if _touches(self.issues[k].span, span))
        return [self.issues[k] for k in touching]


def _issue_route(touching: Sequence[Issue], policy: RoutePolicy) -> tuple[Route, list[str]]:
    """The route the rule issues touching a span ask for, and why (QE's own issues do not escalate)."""
    route: Route = "publish"
    reasons = []
    for issue in touching:
        needed = policy.finding_route(issue.severity)
        if route_rank(needed) > 0:
            reasons.append(f"{issue.code} {issue.severity.value}: {needed}")
        route = worst(route, needed)
    return route, reasons


def _touches(issue: Span, unit: Span) -> bool:
    # An empty span (an insertion point, an untranslated empty unit) is in the unit it sits in, edges included.
    return issue.overlaps(unit) or (issue.start == issue.end and unit.start <= issue.start <= unit.end)


def _segment(target: Span | None, source: Span | None, link: int | None, qe: ScoredPair | None,
             touching: Sequence[Issue], policy: RoutePolicy, words: int) -> RoutedSegment:
    """``touching``: the rule issues that touch ``target``."""
    reasons: list[str] = []
    route: Route = "publish"
    basis: Basis = "rules"
    score = qe.result.score if qe is not None else None
    if score is not None and not math.isfinite(score):
        reasons.append(f"QE gave no usable score ({score}): routed by the rules alone")
        score = None
    if score is not None and policy.publish is not None:
        basis = "qe+rules"
        route = policy.qe_route(score)
        reasons.append(f"QE {score:.3f}: {route}")
    if target is None:
        route = worst(route, policy.omitted)
        reasons.append(f"source sentence not translated: {policy.omitted}")
    else:
        if source is None and link is not None:
            route = worst(route, policy.added)
            reasons.append(f"no source sentence for it: {policy.added}")
        found, why = _issue_route(touching, policy)
        route = worst(route, found)
        reasons += why
    return RoutedSegment(target, source, link, route, basis, words, score, tuple(reasons))


def route_document(*, target: Document, source: Document | None, segments: Sequence[Segment],
                   source_segments: Sequence[Segment], alignment: Alignment | None,
                   qe_pairs: Sequence[ScoredPair], issues: Sequence[Issue], policy: RoutePolicy,
                   content_type: str | None, failed: bool) -> Routing:
    """Route every segment of a checked document, then the document (see the module docstring)."""
    from tqcheck.align import link_spans

    def words(doc: Document | None, span: Span | None) -> int:
        if doc is None or span is None:
            return 0
        return round(span_words(doc.text, span.start, span.end, doc.lang))

    routed: list[RoutedSegment] = []
    touching = _Touching(issues)
    if alignment is not None and source is not None:
        scored = {pair.link: pair for pair in qe_pairs}
        for index, link in enumerate(alignment.links):
            src, tgt = link_spans(link, source_segments, segments)
            size = words(target, tgt) if tgt is not None else words(source, src)
            found = touching(tgt) if tgt is not None else []
            routed.append(_segment(tgt, src, index, scored.get(index), found, policy, size))
    elif segments:
        sizes = map(round, spans_words(target.text, ((seg.span.start, seg.span.end) for seg in segments), target.lang))
        for seg, size in zip(segments, sizes, strict=True):
            found = touching(seg.span)
            # Without QE, alignment or an issue there, a segment is published by the rules: _segment's result.
            routed.append(_segment(seg.span, None, None, None, found, policy, size) if found
                          else RoutedSegment(seg.span, None, None, "publish", "rules", size, None, ()))
    else:  # an empty target: one unit holding the whole text (and the source it should translate)
        whole = Span(0, len(target.text))
        src_whole = Span(0, len(source.text)) if source is not None else None
        size = words(source, src_whole) if source is not None else 0
        found, why = _issue_route(touching(whole), policy)
        routed.append(RoutedSegment(whole, src_whole, None, found, "rules", size, None, tuple(why)))
    basis: Basis = "qe+rules" if any(s.basis == "qe+rules" for s in routed) else "rules"
    totals = _totals(routed)
    route, reasons = _document_route(totals, policy, failed)
    return Routing(route, basis, content_type, policy, tuple(routed), tuple(reasons), totals)


def route_file(units: Sequence[Routing], policy: RoutePolicy, content_type: str | None, failed: bool) -> Routing:
    """The route of a bilingual file from the routed segments of its units, as one document's from its segments.

    The file's ``segments`` stay with their units (their spans point into each unit's text); ``totals`` sum them.
    """
    routed = [segment for unit in units for segment in unit.segments]
    basis: Basis = "qe+rules" if any(s.basis == "qe+rules" for s in routed) else "rules"
    route, reasons = _document_route(_totals(routed), policy, failed)
    totals = tuple((sum(u.totals[i][0] for u in units), sum(u.totals[i][1] for u in units)) for i in range(len(ROUTES)))
    return Routing(route, basis, content_type, policy, (), tuple(reasons), totals)


def _document_route(totals: Sequence[tuple[int, int]], policy: RoutePolicy,
                    failed: bool) -> tuple[Route, list[str]]:
    """The document's route and why, from the (segments, words) of each route (:func:`_totals`)."""
    reasons = []
    counts = dict(zip(ROUTES, (n for n, _ in totals), strict=True))
    total = sum(words for _, words in totals)
    retranslate = totals[ROUTES.index("retranslate")][1]
    if any(counts.values()) and total > 0 and retranslate / total >= policy.retranslate_share:
        route: Route = "retranslate"
        reasons.append(f"{retranslate} of {total} words routed to retranslate "
                       f"(at least {policy.retranslate_share:.0%})")
    else:
        route = worst("publish", *(r for r, n in counts.items() if n))
        if route == "retranslate":
            route = "post-edit"  # a few sentences to translate anew: the document is post-edited, not redone
        if route != "publish":
            shown = ", ".join(f"{n} {r}" for r, n in counts.items() if n and r != "publish")
            reasons.append(f"segments: {shown}")
    if failed and route_rank(route) < route_rank(policy.failed_document):
        route = policy.failed_document
        reasons.append(f"the document failed the gate: at least {policy.failed_document}")
    return route, reasons
