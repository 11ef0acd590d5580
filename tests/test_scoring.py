"""The MQM scoring model, the evaluation word count, the gate and the bands: worked examples and invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SAMPLES
from tqcheck import check
from tqcheck.config import Config
from tqcheck.errors import ConfigError
from tqcheck.scoring import (
    BANDS,
    ScoringConfig,
    TextSize,
    absolute_penalty,
    calibrated_score,
    judge,
    scorecard,
    text_size,
)
from tqcheck.types import Category, Issue, Severity, Span


def words(n: int) -> TextSize:
    return TextSize(n, "words", float(n))


def issue(severity: Severity, category: Category = Category.MISTRANSLATION) -> Issue:
    return Issue("TQ102", "false-friend", category, severity, Span(0, 1), "m")


# --- the model ------------------------------------------------------------------------------------------------


def test_worked_check_205_points_on_1421_words():
    """APT 205 on EWC 1,421: PWPT 0.1443, NPT 144.3, raw OQS 85.57."""
    card = scorecard(205, words(1421), "target", ScoringConfig(model="raw"))
    assert round(card.pwpt, 4) == 0.1443 and round(card.npt, 1) == 144.3
    assert card.raw_score == 85.57 == card.score


def test_calibrated_model_scores_pt_at_app_and_msv_when_flawless():
    """SF = (MSV − PT) / APP: a text with exactly APP points per RWC words scores PT; none scores MSV."""
    config = ScoringConfig(passing_threshold=90, acceptable_penalty_points=10)
    assert config.scaling_factor == 1.0
    assert scorecard(10, words(1000), "source", config).calibrated_score == 90.0
    assert scorecard(20, words(1000), "source", config).calibrated_score == 80.0
    assert scorecard(0, words(1000), "source", config).calibrated_score == 100.0
    # The defaults (PT 90, APP 20): SF 0.5; 205 points on 1,421 words give 100 − 144.26 × 0.5.
    assert scorecard(205, words(1421), "target", ScoringConfig()).calibrated_score == 27.87


def test_scores_are_clamped_to_the_scale():
    card = scorecard(5, words(2), "target", ScoringConfig())
    assert (card.npt, card.raw_score, card.calibrated_score) == (2500.0, 0.0, 0.0)


@given(apt=st.floats(0, 500), ewc=st.integers(1, 5000), pt=st.floats(50, 99), app=st.floats(1, 100))
def test_calibrated_score_is_linear_in_the_penalty_density(apt, ewc, pt, app):
    score = calibrated_score(apt * 1000 / ewc, pt, app)
    assert 0 <= score <= 100
    expected = 100 - apt * 1000 / ewc * (100 - pt) / app
    assert math.isclose(score, min(100, max(0, expected)), abs_tol=1e-9)


def test_category_weights_most_specific_key_wins():
    config = ScoringConfig(category_weights={"accuracy": 2, "accuracy/omission": 3})
    issues = [issue(Severity.MAJOR), issue(Severity.MINOR, Category.OMISSION), issue(Severity.MINOR, Category.GRAMMAR),
              issue(Severity.INFO)]
    assert absolute_penalty(issues, config) == 5 * 2 + 1 * 3 + 1 * 1 + 0


@pytest.mark.parametrize(("values", "message"), [
    ({"model": "linear"}, "scoring model must be one of calibrated, raw"),
    ({"passing_threshold": 100}, "passing_threshold must be at least 0 and below 100"),
    ({"acceptable_penalty_points": 0}, "acceptable_penalty_points must be above 0"),
    ({"category_weights": {"accuracy/typo": 2}}, "unknown category 'accuracy/typo'"),
    ({"excellent": 90, "good": 95}, "band edges must not increase"),
    ({"characters_per_word": {"zh": 0}}, "characters_per_word for 'zh' must be a number above 0"),
])
def test_invalid_scoring_config_is_refused(values, message):
    with pytest.raises(ConfigError, match=message):
        ScoringConfig(**values)


# --- the evaluation word count ----------------------------------------------------------------------------------


def test_chinese_is_counted_in_characters_turned_into_word_equivalents():
    size = text_size("腾讯和Alibaba在2024年竞争。", "zh")
    # 腾讯和 在 年竞争: 7 Han characters; Alibaba and 2024: 2 words
    assert (size.count, size.unit, size.words) == (9, "characters", 7 / 1.5 + 2)
    assert text_size("Tencent und Alibaba im Wettbewerb.", "de") == TextSize(5, "words", 5.0)


def _characters_and_words(text: str) -> tuple[int, int]:
    """The definition text_size implements with two regex scans: letters of the counted scripts one by one, and
    the words of what is left when each of those letters is a space."""
    from tqcheck.langid import script_of
    from tqcheck.rules.base import WORD_RE

    counted = [ch.isalpha() and script_of(ch) in {"Han", "Hiragana", "Katakana", "Thai"} for ch in text]
    rest = "".join(" " if c else ch for ch, c in zip(text, counted, strict=True))
    return sum(counted), len(WORD_RE.findall(rest))


@given(st.text(alphabet=st.one_of(st.sampled_from("腾讯年〇々ー〆あアカナกัญ๑ⅫⅧ㐀𠀀⺀𪛖 ,.-'2Ab\n"),
                                  st.characters(min_codepoint=0x2E80, max_codepoint=0x2FFFF)), max_size=30))
def test_character_counted_size_is_the_letters_of_those_scripts(text):
    characters, words = _characters_and_words(text)
    for lang in ("zh", "ja", "th"):
        size = text_size(text, lang)
        assert (size.count, size.unit) == (characters + words, "characters")


def test_ewc_counts_the_source_when_there_is_one():
    result = check(SAMPLES / "live-commerce.zh-de.mt.txt", SAMPLES / "live-commerce.zh.txt")
    card = result.scorecard
    assert (card.ewc_basis, card.counted_unit, card.counted) == ("source", "characters", 861)
    assert result.word_unit == "words" and result.word_count == 624
    target_only = check(SAMPLES / "live-commerce.zh-de.mt.txt")
    assert (target_only.scorecard.ewc_basis, target_only.scorecard.ewc) == ("target", 624.0)


# --- gate and bands ---------------------------------------------------------------------------------------------


def test_sample_scores_order_and_none_floors_at_zero():
    """The clean German sample scores above the planted pair and the sample article; none is 0; bands agree."""
    clean = check(SAMPLES / "mini-programme.de.txt", SAMPLES / "mini-programme.zh.txt")
    planted = check(SAMPLES / "live-commerce.zh-de.mt.txt", SAMPLES / "live-commerce.zh.txt")
    article = check(SAMPLES / "wechat-ecommerce.zh-de.mt.txt", SAMPLES / "wechat-ecommerce.zh.txt")
    assert clean.score > planted.score > article.score > 0
    assert (clean.verdict, clean.band, clean.route) == ("pass", "excellent", "publish")
    assert (planted.verdict, planted.band) == ("fail", "poor") and planted.score < 90
    assert (article.verdict, article.band) == ("fail", "poor") and article.score < planted.score


@given(apt=st.integers(0, 200), ewc=st.integers(1, 3000), critical=st.booleans(),
       model=st.sampled_from(["calibrated", "raw"]), fail_under=st.none() | st.floats(0, 100))
def test_verdict_and_band_never_disagree(apt, ewc, critical, model, fail_under):
    """PASS never stands beside a score under the threshold, and a band is poor exactly when the verdict fails."""
    config = ScoringConfig(model=model)
    card = scorecard(apt, words(ewc), "target", config)
    issues = [issue(Severity.CRITICAL)] if critical else []
    gate = judge(card, issues, scoring=config, fail_under=fail_under, fail_on=Severity.CRITICAL)
    assert gate.band in BANDS
    assert (gate.verdict == "fail") == (gate.band == "poor")
    if gate.verdict == "pass":
        assert card.score >= gate.threshold and not critical and gate.reasons == ()
    else:
        assert gate.reasons


def test_gate_reasons_name_the_score_and_the_blocking_issues():
    config = ScoringConfig()
    card = scorecard(30, words(500), "source", config)
    gate = judge(card, [issue(Severity.CRITICAL), issue(Severity.MAJOR)], scoring=config, fail_under=None,
                 fail_on=Severity.MAJOR)
    assert gate.reasons == ("score 70.00 is below the passing threshold 90",
                            "1 critical issue (the gate fails on major or worse)",
                            "1 major issue (the gate fails on major or worse)")


def test_default_bands_and_raw_model_equivalents():
    """Calibrated edges 98/95/90 and raw edges 99.6/99/98 mark the same penalty densities (4, 10, 20 per 1,000)."""
    calibrated, raw = ScoringConfig(), ScoringConfig(model="raw")
    assert calibrated.band_edges() == (98.0, 95.0) and calibrated.default_gate() == 90.0
    assert raw.band_edges() == (99.6, 99.0) and raw.default_gate() == 98.0
    for npt in (0, 3, 4, 7, 10, 15, 20, 21, 60):
        bands = []
        for config in (calibrated, raw):
            card = scorecard(npt, words(1000), "target", config)
            bands.append(judge(card, [], scoring=config, fail_under=None, fail_on=None).band)
        assert bands[0] == bands[1], npt


def test_band_edges_below_a_raised_threshold_move_up_to_it():
    """"acceptable" starts at the gate's threshold; a threshold above the good edge leaves no acceptable band."""
    config = ScoringConfig()
    good = scorecard(6, words(1000), "target", config)  # 97
    acceptable = scorecard(12, words(1000), "target", config)  # 94
    assert judge(good, [], scoring=config, fail_under=None, fail_on=None).band == "good"
    assert judge(good, [], scoring=config, fail_under=97.5, fail_on=None).band == "poor"
    assert judge(acceptable, [], scoring=config, fail_under=None, fail_on=None).band == "acceptable"
    assert judge(acceptable, [], scoring=config, fail_under=92, fail_on=None).band == "acceptable"
    assert judge(acceptable, [], scoring=config, fail_under=93, fail_on=None).band == "acceptable"
    assert judge(acceptable, [], scoring=config, fail_under=94.5, fail_on=None).band == "poor"


def test_untranslated_unit_is_a_critical_issue_of_its_own():
    """An empty translation of a non-empty source: TQ712, critical, at offset 0 of the empty target."""
    result = check("", "Save the file.", config=Config(src_lang="en", tgt_lang="de"))
    assert [(i.code, i.severity, i.span, i.source_span) for i in result.issues] == [
        ("TQ712", Severity.CRITICAL, Span(0, 0), Span(0, 14))]
    assert (result.verdict, result.band, result.route) == ("fail", "poor", "retranslate")
    assert result.scorecard.ewc == 3.0 and result.scorecard.apt == 25
    assert "1 critical issue" in result.gate.reasons[-1]
    empty_both = check("", "", config=Config(src_lang="en", tgt_lang="de"))
    assert empty_both.issues == () and empty_both.verdict == "pass" and empty_both.score == 100.0


_WORDY = st.lists(st.sampled_from(["a", "Bé", "ß", "7", "x-y", "x'y", "x’", "-", "'", "_", " ", "\n", ".", ",",
                                   "--", "\u00a0", "中"]), max_size=30).map("".join)


@given(_WORDY, st.data())
def test_span_words_is_the_bounded_word_search(text, data):
    """A segment's words, counted from the starts of the whole text's words, are those the search bounded by
    the segment finds, wherever its ends fall (inside a word, on a hyphen, at the text's ends)."""
    from tqcheck.rules.base import WORD_RE
    from tqcheck.scoring.words import span_words, spans_words

    assert text_size(text, "de").count == len(WORD_RE.findall(text))
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    other = text + " b"  # the starts of another text measured in between are kept apart
    assert span_words(other, 0, len(other), "en") == len(WORD_RE.findall(other))
    assert span_words(text, start, end, "de") == len(WORD_RE.findall(text, start, end))
    spans = data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))).map(sorted)))
    assert spans_words(text, spans, "de") == [len(WORD_RE.findall(text, s, e)) for s, e in spans]
