"""Invariants on random and mutated documents: every span is valid and its text is what the report says."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLES
from tqcheck import Config, check
from tqcheck.batch import build_report
from tqcheck.reports.json import render as render_json
from tqcheck.types import Document

SAMPLE = (SAMPLES / "wechat-ecommerce.zh-de.mt.txt").read_text(encoding="utf-8")
PIECES = [
    "Tencent", "WeChat Moments", "Freundeskreis", "Datenverkehr", "Verkehr", "Traffic", "Kreditsystem",
    "Double Eleven", "Punkt-für-Punkt-, Zeile-für-Oberfläche", "die die", "live live live live", "„", "“", "”",
    "\"", "(", ")", "，", "。", "直播带货", "流量", "😀", "👩‍💻", "\u00a0", "\r\n", "\n", "\n\n", "\r", " ", "  ",
    " , ", "...", "…", "<<:  ", ">>: ", "Artikel empfehlen", "d. h.", "z. B.", "217 Millionen", "2.17亿", "Ａ", "é",
    "e\u0301", "This is a sentence in English for sure.", "Questo è un problema molto grande per tutti.", "\t",
    "\u200b",
]
documents = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=40).map("".join)


def assert_valid_report(doc: Document, config: Config) -> None:
    result = check(doc, config=config)
    text = doc.text
    for issue in result.issues:
        assert 0 <= issue.span.start < issue.span.end <= len(text), issue
        assert text[issue.span.start:issue.span.end], issue
    keys = [i.sort_key for i in result.issues]
    assert keys == sorted(keys)
    payload = json.loads(render_json(build_report([result], config)))
    for item in payload["documents"][0]["issues"]:
        assert item["text"] == text[item["start"]:item["end"]]
        line, column = item["line"], item["column"]
        assert (line, column) == doc.line_col(item["start"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=documents, tgt=st.sampled_from(["de", "en", "zh"]))
def test_random_documents_give_valid_spans(text, tgt):
    assert_valid_report(Document(text), Config(src_lang="zh", tgt_lang=tgt))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_sample_gives_valid_spans(data):
    """Insert, delete and replace at random places in the real sample article."""
    text = SAMPLE
    for _ in range(data.draw(st.integers(1, 6))):
        pos = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["insert", "delete", "crlf"]))
        if action == "insert":
            text = text[:pos] + data.draw(st.sampled_from(PIECES)) + text[pos:]
        elif action == "delete":
            text = text[:pos] + text[pos + data.draw(st.integers(1, 200)):]
        else:
            text = text.replace("\n", "\r\n", 1) if "\r\n" not in text else text
    assert_valid_report(Document(text), Config(src_lang="zh", tgt_lang="de"))
