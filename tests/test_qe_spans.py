"""Re-anchoring xCOMET error spans to the segment text (pure functions, no model)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tqcheck.qe.spans import anchor_span, anchor_spans, clean_span_text, snap_to_words, spans_from_json, spans_to_json
from tqcheck.types import QESpan, Severity

SEG = "Manchmal regnet es in Berlin den ganzen Tag."


@pytest.mark.parametrize(("raw", "expected"), [
    # comet's own example: text carries <s>, the offsets are right
    ({"text": "<s> Manchmal", "start": 0, "end": 8, "severity": "minor", "confidence": 0.4}, "Manchmal"),
    # offsets include the space before the word (sentencepiece's ▁ belongs to the next piece)
    ({"text": "regnet", "start": 8, "end": 15, "severity": "major", "confidence": 0.9}, "regnet"),
    ({"text": "▁Berlin", "start": 21, "end": 28, "severity": "major", "confidence": 0.9}, "Berlin"),
    # the span ran into </s>, whose offset (0, 0) makes end 0
    ({"text": "ganzen Tag.</s>", "start": 32, "end": 0, "severity": "critical", "confidence": 0.7}, "ganzen Tag."),
    # offsets that disagree with the text: the text wins where it occurs
    ({"text": "Berlin", "start": 2, "end": 6, "severity": "minor", "confidence": 0.5}, "Berlin"),
    # no offsets at all: found by text
    ({"text": "den ganzen", "severity": "minor", "confidence": 0.5}, "den ganzen"),
    # decoded text with different spacing still matches
    ({"text": "in  Berlin", "start": 40, "end": 44, "severity": "minor"}, "in Berlin"),
    # subword span widened to whole words
    ({"text": "chmal reg", "start": 3, "end": 12, "severity": "critical"}, "Manchmal regnet"),
])
def test_anchor_span_reanchors_to_segment_text(raw: dict[str, object], expected: str) -> None:
    """Each span lands on the document words it describes; its text is sliced from the segment."""
    span = anchor_span(SEG, raw)
    assert span is not None
    assert SEG[span.start:span.end] == expected


@pytest.mark.parametrize("raw", [
    {"text": "<s>", "start": 0, "end": 0, "severity": "critical", "confidence": 1.0},   # only a special token
    {"text": "</s>", "start": 0, "end": 0, "severity": "minor"},
    {"text": "   ", "start": 8, "end": 9, "severity": "minor"},                          # only whitespace
    {"text": "Zürich", "start": 100, "end": 120, "severity": "minor"},                  # outside, text absent
    {"start": 5, "end": 5, "severity": "minor"},                                        # empty, no text
])
def test_anchor_span_drops_what_cannot_be_placed(raw: dict[str, object]) -> None:
    """Spans of special tokens, whitespace or nowhere are dropped, not guessed."""
    assert anchor_span(SEG, raw) is None


def test_anchor_span_keeps_offsets_when_text_is_unknown() -> None:
    """<unk> in comet's decoded text stands for characters the vocabulary lacked: offsets still place it."""
    seg = "Der Preis ist 5 € höher."
    span = anchor_span(seg, {"text": "5 <unk>", "start": 13, "end": 17, "severity": "major", "confidence": 0.8})
    assert span is not None and seg[span.start:span.end] == "5 €"


def test_anchor_span_severity_and_confidence() -> None:
    """Severity maps to ours, confidence is clipped to [0, 1]; an unknown severity counts as minor."""
    span = anchor_span(SEG, {"text": "Tag", "start": 39, "end": 43, "severity": "critical", "confidence": 1.7})
    assert span == QESpan(40, 43, Severity.CRITICAL, 1.0)
    odd = anchor_span(SEG, {"text": "Tag", "start": 39, "end": 43, "severity": "weird", "confidence": "x"})
    assert odd is not None and odd.severity is Severity.MINOR and odd.confidence == 1.0


def test_anchor_span_leaves_cjk_unsnapped() -> None:
    """Chinese has no spaces: a span is not widened to the whole run of characters."""
    seg = "我们要抓住流量红利。"
    span = anchor_span(seg, {"text": "流量", "start": 5, "end": 7, "severity": "major"})
    assert span is not None and seg[span.start:span.end] == "流量"


def test_snap_to_words() -> None:
    assert snap_to_words(SEG, 3, 12) == (0, 15)
    assert snap_to_words(SEG, 0, 8) == (0, 8)


def test_anchor_spans_merges_overlaps_and_sorts() -> None:
    """Overlapping spans (after widening) merge, keeping the worse severity; order is by offset."""
    raw = [
        {"text": "Tag", "start": 39, "end": 42, "severity": "minor", "confidence": 0.5},
        {"text": "chmal reg", "start": 3, "end": 12, "severity": "critical", "confidence": 0.9},
        {"text": "t es", "start": 14, "end": 18, "severity": "major", "confidence": 0.6},
        {"text": "<s>", "start": 0, "end": 0, "severity": "critical", "confidence": 1.0},
    ]
    spans = anchor_spans(SEG, raw)
    assert [SEG[s.start:s.end] for s in spans] == ["Manchmal regnet es", "Tag"]
    assert spans[0].severity is Severity.CRITICAL


def test_anchor_spans_tolerates_junk() -> None:
    assert anchor_spans(SEG, None) == ()
    assert anchor_spans(SEG, ["not a dict", {"start": "a", "end": None}]) == ()  # type: ignore[list-item]


def test_clean_span_text() -> None:
    assert clean_span_text("<s> ▁Manchmal▁regnet </s>") == "Manchmal regnet"


def test_spans_json_round_trip() -> None:
    spans = (QESpan(0, 8, Severity.MINOR, 0.4), QESpan(9, 15, Severity.CRITICAL, 1.0))
    assert spans_from_json(spans_to_json(spans), len(SEG)) == spans
    assert spans_from_json(spans_to_json(spans), 10) == spans[:1]  # no longer fits: dropped


_segments = st.text(alphabet=st.sampled_from(list("ab cd\tÄ流量 ,.")), min_size=0, max_size=30)
_raw = st.fixed_dictionaries({
    "text": st.one_of(st.none(), st.text(alphabet=st.sampled_from(list("ab cd流<s>▁")), max_size=12)),
    "start": st.one_of(st.none(), st.integers(-5, 40)),
    "end": st.one_of(st.none(), st.integers(-5, 40)),
    "severity": st.sampled_from(["minor", "major", "critical", "?"]),
    "confidence": st.one_of(st.floats(allow_nan=True), st.integers(-2, 2)),
})


@given(_segments, st.lists(_raw, max_size=6))
def test_anchor_spans_always_valid(segment: str, raw: list[dict[str, object]]) -> None:
    """Whatever comet returns, every span is inside the segment, non-empty, unpadded and non-overlapping."""
    spans = anchor_spans(segment, raw)
    end = 0
    for span in spans:
        assert end <= span.start < span.end <= len(segment)
        assert segment[span.start:span.end].strip() == segment[span.start:span.end]
        assert 0.0 <= span.confidence <= 1.0
        end = span.end
