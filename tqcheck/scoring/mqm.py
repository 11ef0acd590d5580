"""The MQM scoring model (MQM Council, "The MQM Scoring Models"; Lommel et al. 2024, arXiv 2405.16969).

From the issues of one evaluated text:

- error type penalty: severity multiplier (neutral/info 0, minor 1, major 5, critical 25) × error type weight
  (1 unless configured for the issue's category);
- APT, the absolute penalty total: the sum of those;
- EWC, the evaluation word count: the source's words when there is a source (as ASTM F2575 counts), else the
  target's; characters turned into word equivalents for Chinese, Japanese and Thai (:mod:`.words`);
- PWPT = APT / EWC, the per-word penalty total; NPT = PWPT × RWC, the normed penalty total per reference word
  count (RWC = 1,000 words);
- the raw model: OQS = MSV × (1 − PWPT), MSV = 100;
- the calibrated model: a passing threshold PT and the acceptable penalty points APP per RWC give the scaling
  factor SF = (MSV − PT) / APP and the score MSV − NPT × SF, so that a text with exactly APP points per
  1,000 words scores PT and an error-free text MSV.

Both scores are clamped to [0, MSV]: past one point per word (raw) or MSV / SF points per 1,000 words
(calibrated) a text is as bad as the scale can say. Worked check: APT 205 on EWC 1,421 gives PWPT 0.1443,
NPT 144.3 and OQS 85.57.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from tqcheck.errors import ConfigError
from tqcheck.scoring.words import TextSize
from tqcheck.types import Category, Issue

ScoringModelName = Literal["calibrated", "raw"]
SCORING_MODELS: tuple[ScoringModelName, ...] = ("calibrated", "raw")

MAX_SCORE = 100.0
DEFAULT_REFERENCE_WORD_COUNT = 1000
DEFAULT_PASSING_THRESHOLD = 90.0
DEFAULT_ACCEPTABLE_PENALTY_POINTS = 20.0
# Default band edges as shares of the acceptable penalty points: "excellent" up to a fifth of APP per 1,000
# words (fewer than one major error in 1,250 words with the defaults), "good" up to half of it.
_EXCELLENT_SHARE = 0.2
_GOOD_SHARE = 0.5


@dataclass(frozen=True)
class ScoringConfig:
    """The scoring model and its parameters; part of the report's configuration.

    Attributes:
        model: which score is *the* score (``score`` in reports, the gate, the bands): ``calibrated``
            (default) or ``raw``. Both are always reported.
        passing_threshold: PT of the calibrated model: the score of a text with exactly ``acceptable_penalty_points``.
        acceptable_penalty_points: APP, penalty points per ``reference_word_count`` words that are still acceptable.
        reference_word_count: RWC, the words the penalties are normed to.
        category_weights: error type weights by category (``accuracy/omission``) or dimension (``accuracy``);
            the most specific key wins; 1 for the rest.
        characters_per_word: characters per word for languages counted in characters, over the defaults
            (``data/word_factors.json``: zh 1.5, ja 2.5, th 4).
        excellent, good: lower edges of those bands on the chosen model's scale (None: the defaults, the
            penalty densities APP/5 and APP/2 per RWC words: 98 and 95 on the calibrated scale).
    """

    model: ScoringModelName = "calibrated"
    passing_threshold: float = DEFAULT_PASSING_THRESHOLD
    acceptable_penalty_points: float = DEFAULT_ACCEPTABLE_PENALTY_POINTS
    reference_word_count: int = DEFAULT_REFERENCE_WORD_COUNT
    category_weights: Mapping[str, float] = field(default_factory=dict)
    characters_per_word: Mapping[str, float] = field(default_factory=dict)
    excellent: float | None = None
    good: float | None = None

    def __post_init__(self) -> None:
        if self.model not in SCORING_MODELS:
            raise ConfigError(f"scoring model must be one of {', '.join(SCORING_MODELS)}, got {self.model!r}")
        if not 0 <= self.passing_threshold < MAX_SCORE:
            raise ConfigError(f"passing_threshold must be at least 0 and below {MAX_SCORE:g}, "
                              f"got {self.passing_threshold}")
        if not self.acceptable_penalty_points > 0:
            raise ConfigError(f"acceptable_penalty_points must be above 0, got {self.acceptable_penalty_points}")
        if isinstance(self.reference_word_count, bool) or not (isinstance(self.reference_word_count, int)
                                                                and self.reference_word_count > 0):
            raise ConfigError(f"reference_word_count must be a positive integer, got {self.reference_word_count!r}")
        known = {c.value for c in Category} | {c.value.split("/")[0] for c in Category}
        weights = {}
        for key, weight in self.category_weights.items():
            name = key.lower()
            if name not in known:
                raise ConfigError(f"unknown category {key!r} in category_weights: one of {', '.join(sorted(known))}")
            if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
                raise ConfigError(f"category weight for {key!r} must be a number ≥ 0, got {weight!r}")
            weights[name] = float(weight)
        object.__setattr__(self, "category_weights", MappingProxyType(weights))
        from tqcheck.scoring.words import default_characters_per_word

        factors = dict(default_characters_per_word())
        for lang, factor in self.characters_per_word.items():
            if isinstance(factor, bool) or not isinstance(factor, int | float) or not factor > 0:
                raise ConfigError(f"characters_per_word for {lang!r} must be a number above 0, got {factor!r}")
            factors[lang] = float(factor)
        object.__setattr__(self, "characters_per_word", MappingProxyType(factors))
        for name in ("excellent", "good"):
            edge = getattr(self, name)
            if edge is not None and not 0 <= edge <= MAX_SCORE:
                raise ConfigError(f"band edge {name} must be between 0 and {MAX_SCORE:g}, got {edge}")
        if self.excellent is not None and self.good is not None and self.excellent < self.good:
            raise ConfigError(f"band edges must not increase: excellent {self.excellent} < good {self.good}")

    @property
    def scaling_factor(self) -> float:
        """SF = (MSV − PT) / APP."""
        return (MAX_SCORE - self.passing_threshold) / self.acceptable_penalty_points

    def default_gate(self) -> float:
        """The passing score on the chosen model's scale: PT, or the raw score of APP points per RWC words."""
        if self.model == "calibrated":
            return self.passing_threshold
        return round(MAX_SCORE * (1 - self.acceptable_penalty_points / self.reference_word_count), 4)

    def band_edges(self) -> tuple[float, float]:
        """(excellent, good) lower edges on the chosen model's scale; by default the scores of APP/5 and APP/2
        penalty points per RWC words (98 and 95 with the calibrated defaults)."""
        defaults = []
        for share in (_EXCELLENT_SHARE, _GOOD_SHARE):
            npt = share * self.acceptable_penalty_points
            defaults.append(round(calibrated_score(npt, self.passing_threshold, self.acceptable_penalty_points)
                                  if self.model == "calibrated" else raw_score(npt / self.reference_word_count), 4))
        excellent = self.excellent if self.excellent is not None else defaults[0]
        good = self.good if self.good is not None else defaults[1]
        return excellent, min(good, excellent)

    def weight(self, category: Category) -> float:
        """The error type weight of ``category``: its own, else its dimension's, else 1."""
        return self.category_weights.get(category.value,
                                         self.category_weights.get(category.value.split("/")[0], 1.0))

    def as_dict(self) -> dict[str, object]:
        excellent, good = self.band_edges()
        return {"model": self.model, "passing_threshold": self.passing_threshold,
                "acceptable_penalty_points": self.acceptable_penalty_points,
                "reference_word_count": self.reference_word_count,
                "category_weights": dict(sorted(self.category_weights.items())),
                "characters_per_word": dict(sorted(self.characters_per_word.items())),
                "bands": {"excellent": excellent, "good": good}}

    def __reduce__(self) -> tuple[object, ...]:
        # Worker processes receive the config by pickle, and a mappingproxy cannot be pickled.
        return (ScoringConfig, (self.model, self.passing_threshold, self.acceptable_penalty_points,
                                self.reference_word_count, dict(self.category_weights),
                                dict(self.characters_per_word), self.excellent, self.good))


@dataclass(frozen=True, slots=True)
class Scorecard:
    """Every quantity of the MQM scoring model for one text; ``score`` is the chosen model's."""

    model: ScoringModelName
    apt: float
    ewc: float
    ewc_basis: Literal["source", "target"]
    counted: int  # words or characters actually counted (before the character factor)
    counted_unit: Literal["words", "characters"]
    pwpt: float
    npt: float
    raw_score: float
    calibrated_score: float
    passing_threshold: float
    acceptable_penalty_points: float
    reference_word_count: int

    @property
    def score(self) -> float:
        return self.calibrated_score if self.model == "calibrated" else self.raw_score


def absolute_penalty(issues: Iterable[Issue], config: ScoringConfig) -> float:
    """APT: Σ severity multiplier × error type weight (info issues cost nothing)."""
    return sum(issue.severity.weight * config.weight(issue.category) for issue in issues)


def raw_score(pwpt: float) -> float:
    """OQS = MSV × (1 − PWPT), clamped to [0, MSV]."""
    return min(MAX_SCORE, max(0.0, MAX_SCORE * (1.0 - pwpt)))


def calibrated_score(npt: float, passing_threshold: float, acceptable_penalty_points: float) -> float:
    """MSV − NPT × SF with SF = (MSV − PT) / APP, clamped to [0, MSV]."""
    scaling = (MAX_SCORE - passing_threshold) / acceptable_penalty_points
    return min(MAX_SCORE, max(0.0, MAX_SCORE - npt * scaling))


def scorecard(apt: float, size: TextSize, basis: Literal["source", "target"],
              config: ScoringConfig) -> Scorecard:
    """The scorecard of a text of ``size`` (the source's or the target's) with ``apt`` penalty points.

    A text with penalties but no countable word (only digits or symbols) counts as one word: there must be
    something to divide by, and an error in it is an error in all of it.
    """
    ewc = size.words if size.words > 0 or apt == 0 else 1.0
    pwpt = apt / ewc if ewc > 0 else 0.0
    npt = pwpt * config.reference_word_count
    return Scorecard(
        model=config.model, apt=round(apt, 4), ewc=round(ewc, 2), ewc_basis=basis, counted=size.count,
        counted_unit=size.unit, pwpt=round(pwpt, 6), npt=round(npt, 2), raw_score=round(raw_score(pwpt), 2),
        calibrated_score=round(calibrated_score(npt, config.passing_threshold, config.acceptable_penalty_points), 2),
        passing_threshold=config.passing_threshold, acceptable_penalty_points=config.acceptable_penalty_points,
        reference_word_count=config.reference_word_count,
    )
