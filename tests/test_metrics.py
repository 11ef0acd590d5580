"""Reference metrics (sacrebleu) per document and per aligned segment."""

from __future__ import annotations

from tqcheck import Config, check
from tqcheck.types import Document

TARGET = "Tencent ist seit langem im E-Commerce tätig. Alibaba hat 217 Millionen Nutzer. Das ist viel."


def test_identical_reference_scores_perfectly_with_signatures():
    result = check(Document(TARGET), reference=Document(TARGET), config=Config(src_lang="zh", tgt_lang="de"))
    m = result.metrics
    assert (m.bleu, m.chrf, m.ter) == (100.0, 100.0, 0.0)
    assert m.signatures["bleu"].startswith("nrefs:1|") and "tok:13a" in m.signatures["bleu"]
    assert "chrF" in m.signatures["chrf"] or m.signatures["chrf"].startswith("nrefs:1")
    assert [(s.bleu, s.ter) for s in m.segments] == [(100.0, 0.0)] * 3
    assert [TARGET[s.target.start:s.target.end] for s in m.segments] == [
        "Tencent ist seit langem im E-Commerce tätig.", "Alibaba hat 217 Millionen Nutzer.", "Das ist viel."]


def test_different_reference_lowers_scores_segment_by_segment():
    reference = "Tencent ist schon lange im Onlinehandel aktiv. Alibaba hat 217 Millionen Nutzer. Das ist viel."
    m = check(Document(TARGET), reference=Document(reference), config=Config(src_lang="zh", tgt_lang="de")).metrics
    assert 0 < m.bleu < 100 and m.ter > 0
    assert m.segments[0].bleu < 100 and m.segments[1].bleu == 100.0


def test_no_reference_no_metrics():
    assert check(Document(TARGET), config=Config(src_lang="zh", tgt_lang="de")).metrics is None
