"""Re-anchor xCOMET error spans to the segment text they describe (pure functions, no torch).

comet reports a span as ``{'text': '<s> Manchmal', 'start': 0, 'end': 8, 'severity': 'minor',
'confidence': 0.4}``. Its offsets come from the tokenizer's offset mapping and are usually right, but:

- they may include the whitespace before a word (sentencepiece's ``▁`` belongs to the next piece);
- a span that runs into the closing ``</s>`` takes that token's ``(0, 0)`` offset and ends at 0;
- ``text`` is the *decoded* subwords: it carries ``<s>``/``</s>``/``▁``, normalised spacing and ``<unk>``
  where the vocabulary had no piece, so it need not occur in the segment at all.

So the offsets lead, the text is the cross-check and the fallback, and the span text a report shows is always
sliced from the document, never taken from comet.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from tqcheck.types import QESpan, Severity

# Special tokens and the sentencepiece word marker that leak into comet's decoded span text.
_SPECIAL_TOKENS = ("<s>", "</s>", "<pad>", "<mask>", "[CLS]", "[SEP]", "[PAD]")
_UNK_TOKENS = ("<unk>", "[UNK]")
_WORD_MARKERS = ("▁", "Ġ", "##")
_SEVERITIES = {"minor": Severity.MINOR, "major": Severity.MAJOR, "critical": Severity.CRITICAL}
_UNK_SPLIT = re.compile("|".join(re.escape(t) for t in _UNK_TOKENS))


def clean_span_text(text: str) -> str:
    """comet's decoded span text without special tokens, subword markers and outer whitespace."""
    for token in _SPECIAL_TOKENS:
        text = text.replace(token, " ")
    for marker in _WORD_MARKERS:
        text = text.replace(marker, " ")
    return text.strip()


def _pattern(text: str) -> re.Pattern[str] | None:
    """A regex for ``text`` that tolerates different whitespace and stands in for ``<unk>`` pieces."""
    parts = []
    for chunk in _UNK_SPLIT.split(text):
        words = chunk.split()
        parts.append(r"\s*".join(re.escape(w) for w in words) if words else "")
    if not any(parts):
        return None
    # An <unk> covers at least one character the vocabulary did not know.
    return re.compile(r"\S+?".join(parts))


def _trim(segment: str, start: int, end: int) -> tuple[int, int]:
    while start < end and segment[start].isspace():
        start += 1
    while end > start and segment[end - 1].isspace():
        end -= 1
    return start, end


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _nearest(segment: str, pattern: re.Pattern[str], near: int) -> tuple[int, int] | None:
    matches = [m.span() for m in pattern.finditer(segment) if m.end() > m.start()]
    if not matches:
        return None
    return min(matches, key=lambda s: (abs(s[0] - near), s[0]))


def _agree(inside: str, cleaned: str, pattern: re.Pattern[str]) -> bool:
    """Offsets and text agree when either contains the other (spacing aside)."""
    if pattern.search(inside):
        return True
    inner = _pattern(inside.strip())
    return inner is not None and inner.search(cleaned) is not None


def _in_word(ch: str) -> bool:
    """A letter or digit of a script that separates words with spaces (CJK, Thai, Lao, Khmer, Myanmar do not)."""
    code = ord(ch)
    if code >= 0x2E80 or 0x0E00 <= code <= 0x0EFF or 0x1000 <= code <= 0x109F or 0x1780 <= code <= 0x17FF:
        return False
    return ch.isalnum()


def snap_to_words(segment: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words where it cuts one (subword spans like 'chmal reg' → 'Manchmal regnet').

    Editors act on words; half a word highlighted reads as a bug. Scripts without spaces are left alone.
    """
    while 0 < start < end and _in_word(segment[start - 1]) and _in_word(segment[start]):
        start -= 1
    while start < end < len(segment) and _in_word(segment[end - 1]) and _in_word(segment[end]):
        end += 1
    return start, end


def anchor_span(segment: str, raw: Mapping[str, object], *, whole_words: bool = True) -> QESpan | None:
    """One comet error span as a :class:`QESpan` over ``segment``, or None if it cannot be placed.

    The result satisfies ``0 <= start < end <= len(segment)`` and neither end is whitespace. A span whose text
    is only special tokens (xCOMET often marks the ``<s>`` token alone, at offsets ``(0, 0)``) is dropped.
    """
    n = len(segment)
    start, end = _as_int(raw.get("start")), _as_int(raw.get("end"))
    text = raw.get("text")
    cleaned = clean_span_text(text) if isinstance(text, str) else None
    if cleaned == "":
        return None
    pattern = _pattern(cleaned) if cleaned else None

    window: tuple[int, int] | None = None
    if start is not None and end is not None:
        s, e = max(0, start), min(n, end)
        if s < e:
            window = (s, e)
        elif 0 < s < n and end <= 0:
            # The span ran into </s>, whose offset is (0, 0): it reaches the end of the segment.
            window = (s, n)
    if window is not None and pattern is not None and not _agree(segment[window[0]:window[1]], cleaned or "",
                                                                  pattern):
        # The offsets and the text disagree: trust the text where it occurs, nearest the reported start.
        found = _nearest(segment, pattern, window[0])
        if found is not None:
            window = found
    elif window is None and pattern is not None:
        window = _nearest(segment, pattern, start if start is not None else 0)
    if window is None:
        return None
    s, e = _trim(segment, *window)
    if whole_words:
        s, e = snap_to_words(segment, s, e)
    if not 0 <= s < e <= n:
        return None
    severity = _SEVERITIES.get(str(raw.get("severity", "")).lower(), Severity.MINOR)
    confidence = raw.get("confidence", 1.0)
    conf = float(confidence) if isinstance(confidence, int | float) and not isinstance(confidence, bool) else 1.0
    conf = 1.0 if math.isnan(conf) else min(1.0, max(0.0, conf))
    return QESpan(s, e, severity, conf)


def anchor_spans(segment: str, raw_spans: Iterable[Mapping[str, object]] | None, *,
                 whole_words: bool = True) -> tuple[QESpan, ...]:
    """All comet error spans of one segment, placed, validated, de-duplicated and sorted by offset.

    Widening to whole words can make neighbouring spans overlap; overlapping spans are merged, keeping the more
    severe judgement, so that a report never shows one word twice.
    """
    spans: dict[tuple[int, int], QESpan] = {}
    for raw in raw_spans or ():
        if not isinstance(raw, Mapping):
            continue
        span = anchor_span(segment, raw, whole_words=whole_words)
        if span is None:
            continue
        key = (span.start, span.end)
        # Two spans on the same text: keep the more severe (then the more confident) judgement.
        if key not in spans or (span.severity.rank, span.confidence) > (spans[key].severity.rank,
                                                                         spans[key].confidence):
            spans[key] = span
    merged: list[QESpan] = []
    for span in sorted(spans.values(), key=lambda s: (s.start, s.end)):
        if merged and span.start < merged[-1].end:
            last = merged.pop()
            worse = max((last, span), key=lambda s: (s.severity.rank, s.confidence))
            span = QESpan(last.start, max(last.end, span.end), worse.severity, worse.confidence)
        merged.append(span)
    return tuple(merged)


def spans_to_json(spans: Iterable[QESpan]) -> list[dict[str, object]]:
    """JSON-ready form used by the score cache."""
    return [{"start": s.start, "end": s.end, "severity": s.severity.value, "confidence": s.confidence}
            for s in spans]


def spans_from_json(items: Iterable[Mapping[str, object]], segment_length: int) -> tuple[QESpan, ...]:
    """Inverse of :func:`spans_to_json`; entries that no longer fit the segment are dropped."""
    spans = []
    for item in items:
        start, end = _as_int(item.get("start")), _as_int(item.get("end"))
        severity = _SEVERITIES.get(str(item.get("severity")))
        confidence = item.get("confidence")
        if start is None or end is None or severity is None or not isinstance(confidence, int | float):
            continue
        if 0 <= start < end <= segment_length:
            spans.append(QESpan(start, end, severity, float(confidence)))
    return tuple(spans)


__all__ = ["anchor_span", "anchor_spans", "clean_span_text", "spans_from_json", "spans_to_json"]
