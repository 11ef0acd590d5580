"""Scoring: the MQM scoring model (:mod:`.mqm`), the evaluation word count (:mod:`.words`), and the verdict
and quality band of a document (:mod:`.gate`)."""

from tqcheck.scoring.gate import BANDS, Band, Gate, Verdict, gate_threshold, judge
from tqcheck.scoring.mqm import (
    MAX_SCORE,
    SCORING_MODELS,
    Scorecard,
    ScoringConfig,
    absolute_penalty,
    calibrated_score,
    raw_score,
    scorecard,
)
from tqcheck.scoring.words import TextSize, text_size

__all__ = ["BANDS", "MAX_SCORE", "SCORING_MODELS", "Band", "Gate", "Scorecard", "ScoringConfig", "TextSize",
           "Verdict", "absolute_penalty", "calibrated_score", "gate_threshold", "judge", "raw_score",
           "scorecard", "text_size"]
