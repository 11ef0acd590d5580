"""Reference-based metrics (sacrebleu): BLEU, chrF and TER per document and per aligned segment.

Only when a human reference is given. The target and the reference are in the same language, so they are
aligned with the same aligner at a 1:1 length ratio; each linked pair gets sentence-level scores. Every
document score carries sacrebleu's own signature, so figures are comparable across runs and tools.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tqcheck.align import align_units, link_spans
from tqcheck.types import Document, Segment, Span

_CJK_TOKENIZERS = {"zh": "zh", "ja": "ja-mecab", "ko": "ko-mecab"}


@dataclass(frozen=True, slots=True)
class SegmentMetrics:
    target: Span
    reference: Span
    bleu: float
    chrf: float
    ter: float


@dataclass(frozen=True, slots=True)
class ReferenceMetrics:
    reference: Document
    bleu: float
    chrf: float
    ter: float
    signatures: dict[str, str]
    segments: tuple[SegmentMetrics, ...]


def _metrics(lang: str | None):  # -> tuple[BLEU, CHRF, TER]
    from sacrebleu.metrics import BLEU, CHRF, TER

    tokenize = "zh" if lang == "zh" else "13a"  # mecab tokenizers need extra packages; 13a is the safe default
    return (BLEU(tokenize=tokenize), CHRF(), TER(asian_support=lang in _CJK_TOKENIZERS),
            BLEU(tokenize=tokenize, effective_order=True))


def reference_metrics(target: Document, target_segments: Sequence[Segment], reference: Document,
                      reference_segments: Sequence[Segment]) -> ReferenceMetrics:
    """Document and per-segment BLEU/chrF/TER of ``target`` against ``reference`` (same language)."""
    bleu, chrf, ter, sentence_bleu = _metrics(target.lang)
    tgt_texts = [target.text[s.span.start:s.span.end] for s in target_segments]
    ref_texts = [reference.text[s.span.start:s.span.end] for s in reference_segments]
    links = align_units(ref_texts, tgt_texts, src_lang=target.lang, tgt_lang=target.lang, ratio=1.0)
    # Corpus scores over the aligned sentence pairs (an unaligned sentence pairs with nothing): scoring the
    # whole document as one segment makes TER quadratic in its length and BLEU blind to sentence boundaries.
    hyps, refs = [], []
    segments = []
    for link in links:
        ref_span, tgt_span = link_spans(link, reference_segments, target_segments)
        h = target.text[tgt_span.start:tgt_span.end] if tgt_span else ""
        r = reference.text[ref_span.start:ref_span.end] if ref_span else ""
        hyps.append(" ".join(h.split()))
        refs.append(" ".join(r.split()))
        if ref_span is None or tgt_span is None:
            continue
        segments.append(SegmentMetrics(tgt_span, ref_span, round(sentence_bleu.sentence_score(h, [r]).score, 2),
                                       round(chrf.sentence_score(h, [r]).score, 2),
                                       round(ter.sentence_score(h, [r]).score, 2)))
    doc_bleu, doc_chrf, doc_ter = (bleu.corpus_score(hyps, [refs]), chrf.corpus_score(hyps, [refs]),
                                   ter.corpus_score(hyps, [refs]))
    return ReferenceMetrics(
        reference=reference, bleu=round(doc_bleu.score, 2), chrf=round(doc_chrf.score, 2), ter=round(doc_ter.score, 2),
        signatures={"bleu": str(bleu.get_signature()), "chrf": str(chrf.get_signature()),
                    "ter": str(ter.get_signature())},
        segments=tuple(segments),
    )
