"""Invariants on random and mutated documents: every span is valid and its text is what the report says."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLES
from tqcheck import Config, check
from tqcheck.batch import build_report
from tqcheck.reports.json import render as render_json
from tqcheck.types import Document, InlineCode, Span

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


@given(st.text(alphabet="ab\r\n", max_size=30), st.data())
def test_line_and_column_count_cr_lf_and_crlf_as_one_break_each(text, data):
    offset = data.draw(st.integers(0, len(text)))
    starts, i = [0], 0  # the definition, character by character: a line starts after each CRLF, CR or LF
    while i < len(text):
        if text[i] == "\r" and text[i + 1:i + 2] == "\n":
            i += 1
        if text[i] in "\r\n":
            starts.append(i + 1)
        i += 1
    line = max(k for k, start in enumerate(starts) if start <= offset)
    assert Document(text).line_col(offset) == (line + 1, offset - starts[line] + 1)


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


# Reader markers (with their codes) and placeholders found in the text, among prose pieces.
MARKERS = [("<1>", "open", "1"), ("</1>", "close", "1"), ("<2>", "open", "2"), ("</2>", "close", "2"),
           ("<3/>", "standalone", "3"), ("", "standalone", "4")]
CODE_PIECES = ["%s", "%1$s", "{0}", "{name}", "{{var}}", "${x}", "<b>", "</b>", "<br/>", '<a href="x">', "</a>",
               "100%", "{", "<", " ", "  ", "die die", "„", "“", "(", ")", ",", " , "]


@st.composite
def coded_documents(draw) -> Document:
    parts: list[str] = []
    codes = []
    pos = 0
    for _ in range(draw(st.integers(0, 30))):
        choice = draw(st.integers(0, 2))
        if choice == 0:
            marker, kind, code_id = draw(st.sampled_from(MARKERS))
            codes.append(InlineCode(Span(pos, pos + len(marker)), kind, id=code_id, element="g"))
            piece = marker
        else:
            piece = draw(st.sampled_from(CODE_PIECES if choice == 1 else PIECES))
        parts.append(piece)
        pos += len(piece)
    return Document("".join(parts), codes=tuple(codes))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=coded_documents(), source=coded_documents(), tgt=st.sampled_from(["de", "en"]))
def test_documents_with_inline_codes_give_valid_spans(target, source, tgt):
    """Spans stay inside the real text and the report quotes it (markers included), with a source or without."""
    config = Config(src_lang="en", tgt_lang=tgt)
    assert_valid_report(target, config)
    result = check(target, source, config=config)
    for issue in result.issues:
        # Only a blank target (TQ712: nothing was translated) has an issue of no width.
        assert 0 <= issue.span.start < issue.span.end <= len(target.text) or not target.text.strip(), issue
        if issue.source_span is not None and result.source is not None:
            assert issue.source_span.end <= len(result.source.text), issue
    payload = json.loads(render_json(build_report([result], config)))["documents"][0]
    for item in payload["issues"]:
        assert item["text"] == target.text[item["start"]:item["end"]]
    for code in payload["codes"]:
        assert 0 <= code["start"] <= code["end"] <= len(target.text)


_SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)).map(lambda t: Span(t[0], t[0] + t[1])),
                  max_size=25)


@given(spans=_SPANS, probe=st.tuples(st.integers(0, 80), st.integers(0, 10)))
def test_span_index_answers_as_a_scan_of_every_span(spans, probe):
    """SpanIndex.covers and SpanIndex.near give what looking at every span gives."""
    from tqcheck.types import SpanIndex

    query = Span(probe[0], probe[0] + probe[1])
    index = SpanIndex((span, n) for n, span in enumerate(spans))
    assert index.covers(query) == any(span.contains(query) for span in spans)
    near = sorted(n for _, n in index.near(query))
    assert near == [n for n, span in enumerate(spans) if span.start <= query.end and span.end >= query.start]
