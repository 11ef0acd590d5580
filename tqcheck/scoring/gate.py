"""The verdict and the quality band of a scored document: one decision, stated so that it cannot contradict itself.

A document passes when its score reaches the passing threshold and no issue is as severe as ``fail_on``
(default: critical, the MQM rule that one critical error fails a text). Its band names the score: ``excellent``,
``good`` and ``acceptable`` are passing bands, the last one starting at the threshold; a failing document is
``poor`` whatever its score, so a report never shows "PASS" beside a failing score or a passing band beside
"FAIL".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from tqcheck.scoring.mqm import Scorecard, ScoringConfig
from tqcheck.types import Issue, Severity

Band = Literal["excellent", "good", "acceptable", "poor"]
BANDS: tuple[Band, ...] = ("excellent", "good", "acceptable", "poor")
Verdict = Literal["pass", "fail"]


@dataclass(frozen=True, slots=True)
class Gate:
    """What the gate decided: the verdict, the band, the threshold used, and why a document failed."""

    verdict: Verdict
    band: Band
    threshold: float
    fail_on: Severity | None
    reasons: tuple[str, ...] = ()


def gate_threshold(scoring: ScoringConfig, fail_under: float | None) -> float:
    """The passing score: ``fail_under`` when set, else the model's own (PT, or its raw equivalent)."""
    return scoring.default_gate() if fail_under is None else fail_under


def judge(card: Scorecard, issues: Iterable[Issue], *, scoring: ScoringConfig, fail_under: float | None,
          fail_on: Severity | None) -> Gate:
    """The verdict and band of a document with scorecard ``card`` and ``issues``."""
    threshold = gate_threshold(scoring, fail_under)
    reasons = []
    if card.score < threshold:
        reasons.append(f"score {card.score:.2f} is below the passing threshold {threshold:g}")
    if fail_on is not None:
        blocking = Counter(i.severity for i in issues if i.severity.rank >= fail_on.rank)
        for severity in sorted(blocking, key=lambda s: -s.rank):
            count = blocking[severity]
            reasons.append(f"{count} {severity.value} issue{'s' if count != 1 else ''} "
                           f"(the gate fails on {fail_on.value} or worse)")
    if reasons:
        return Gate("fail", "poor", threshold, fail_on, tuple(reasons))
    return Gate("pass", band_of(card.score, scoring, threshold), threshold, fail_on)


def band_of(score: float, scoring: ScoringConfig, threshold: float) -> Band:
    """The band of a passing ``score``; edges below the threshold move up to it."""
    excellent, good = scoring.band_edges()
    good = max(good, threshold)
    if score >= max(excellent, good):
        return "excellent"
    if score >= good:
        return "good"
    if score >= threshold:
        return "acceptable"
    return "poor"
