"""A rule's confidence: its measured precision against human MQM error spans on real machine translation.

The figures come from ``bench/precision.py DEVSET --both --record tqcheck/rules/measured.json`` (data, not code):
for each language pair measured, each rule's findings, how many overlap an error a human rater marked, and
the chance level of a random span of the same length. An issue's ``confidence`` is

    (confirmed + K × prior) / (findings + K)        K = 10

over the rule's findings on the closest measured data: the issue's own language pair, else pairs with the same
target language, else every pair. ``prior`` is tqcheck's overall precision on that same data, so a rule with
few findings is not credited with 0 or 1 by luck, and a rule never seen firing gets the overall figure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MEASURED_FILE = Path(__file__).with_name("measured.json")
SHRINKAGE = 10  # pseudo-findings at the prior: how much evidence it takes to move away from the overall figure


@dataclass(frozen=True, slots=True)
class Figures:
    """One rule's (or the overall) figures on one language pair."""

    findings: int
    confirmed: int
    precision: float
    chance: float
    lift: float
    excess: float


@dataclass(frozen=True, slots=True)
class ModeFigures:
    """Figures of one way of checking the development set: sentence pairs alone, or whole articles."""

    overall: dict[str, Figures]  # by language pair ("zh-en")
    rules: dict[str, dict[str, Figures]]  # by language pair, then rule code


@dataclass(frozen=True, slots=True)
class Measurements:
    devset: str
    measured: str  # ISO date
    commit: str
    modes: dict[str, ModeFigures]  # "segments" (what confidence uses) and "documents"

    @property
    def segments(self) -> ModeFigures:
        return self.modes["segments"]


def _figures(row: dict[str, float]) -> Figures:
    return Figures(int(row["findings"]), int(row["confirmed"]), float(row["precision"]), float(row["chance"]),
                   float(row["lift"]), float(row["excess"]))


@lru_cache(maxsize=1)
def measurements() -> Measurements:
    """The recorded figures (read once)."""
    data = json.loads(MEASURED_FILE.read_text(encoding="utf-8"))
    modes = {mode: ModeFigures(overall={lp: _figures(p["overall"]) for lp, p in pairs.items()},
                               rules={lp: {code: _figures(row) for code, row in p["rules"].items()}
                                      for lp, p in pairs.items()})
             for mode, pairs in data["modes"].items()}
    return Measurements(data["devset"], data["measured"], data["commit"], modes)


def _closest_pairs(src: str | None, tgt: str | None) -> list[str]:
    """The measured pairs whose figures speak for ``src``-``tgt``: the pair itself, else the same target language,
    else all of them."""
    measured = sorted(measurements().segments.overall)
    if src and tgt and f"{src}-{tgt}" in measured:
        return [f"{src}-{tgt}"]
    same_target = [lp for lp in measured if tgt and lp.endswith(f"-{tgt}")]
    return same_target or measured


@lru_cache(maxsize=1024)
def rule_confidence(code: str, src: str | None, tgt: str | None) -> float:
    """The confidence of an issue of rule ``code`` in a ``src``→``tgt`` text (see the module docstring)."""
    data = measurements().segments
    pairs = _closest_pairs(src, tgt)
    findings = sum(data.rules[lp][code].findings for lp in pairs if code in data.rules[lp])
    confirmed = sum(data.rules[lp][code].confirmed for lp in pairs if code in data.rules[lp])
    overall_findings = sum(data.overall[lp].findings for lp in pairs)
    prior = sum(data.overall[lp].confirmed for lp in pairs) / overall_findings if overall_findings else 0.5
    return round((confirmed + SHRINKAGE * prior) / (findings + SHRINKAGE), 3)


def describe(code: str) -> list[str]:
    """Lines for ``tqcheck explain``: what was measured for the rule, pair by pair and mode by mode."""
    data = measurements()
    lines = []
    for mode, figures in data.modes.items():
        for lp in sorted(figures.overall):
            row = figures.rules[lp].get(code)
            if row is None or not row.findings:
                lines.append(f"{lp} ({mode}): no findings")
                continue
            lines.append(f"{lp} ({mode}): {row.confirmed} of {row.findings} findings on a human-marked error: "
                         f"precision {row.precision:.2f} against a chance level of {row.chance:.2f} "
                         f"(lift {row.lift:+.2f}, excess {row.excess:+.1f})")
    lines.append(f"measured on {data.devset}, {data.measured} (commit {data.commit}) with bench/precision.py; "
                 "segment figures set the confidence")
    return lines
