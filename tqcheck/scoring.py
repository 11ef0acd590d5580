"""MQM-style score and the quality gate."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from tqcheck import langid
from tqcheck.rules.base import WORD_RE
from tqcheck.types import Issue, Severity

# Languages written without spaces between words: count characters, as MQM practice does.
CHARACTER_COUNTED = frozenset({"zh", "ja", "th"})
_COUNTED_SCRIPTS = frozenset({"Han", "Hiragana", "Katakana", "Thai"})


def count_words(text: str, lang: str | None) -> tuple[int, Literal["words", "characters"]]:
    """Size of a text for the per-1000 normalisation: words, or characters for zh/ja/th."""
    if lang in CHARACTER_COUNTED:
        counted = [ch for ch in text if ch.isalpha() and langid.script_of(ch) in _COUNTED_SCRIPTS]
        rest = "".join(" " if ch.isalpha() and langid.script_of(ch) in _COUNTED_SCRIPTS else ch for ch in text)
        return len(counted) + len(WORD_RE.findall(rest)), "characters"
    return len(WORD_RE.findall(text)), "words"


def penalty(issues: Iterable[Issue]) -> float:
    """Sum of MQM weights: minor 1, major 5, critical 25, info 0."""
    return float(sum(issue.severity.weight for issue in issues))


def score(total_penalty: float, size: int) -> float:
    """``max(0, 100 − penalty × 1000 / size)``, rounded to two decimals; an empty text scores 100 or 0."""
    if size <= 0:
        return 100.0 if total_penalty == 0 else 0.0
    return round(max(0.0, 100.0 - total_penalty * 1000.0 / size), 2)


def verdict(doc_score: float, issues: Iterable[Issue], *, fail_under: float | None,
            fail_on: Severity | None) -> Literal["pass", "fail"]:
    """``fail`` when the score is below ``fail_under`` or an issue is at least as severe as ``fail_on``."""
    if fail_under is not None and doc_score < fail_under:
        return "fail"
    if fail_on is not None and any(issue.severity.rank >= fail_on.rank for issue in issues):
        return "fail"
    return "pass"
