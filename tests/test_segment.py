"""Segmentation: sentences and paragraphs by exact offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tqcheck.segment import paragraphs, segment
from tqcheck.types import Document


def sentences(text: str, lang: str) -> list[str]:
    segs, _ = segment(Document(text, lang))
    return [text[s.span.start:s.span.end] for s in segs]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Es folgt dem alten Weg, d. h., es irrt. Das gilt z. B. für QQ usw. und Nr. 5 der Liste. Ja.", "de",
         ["Es folgt dem alten Weg, d. h., es irrt.", "Das gilt z. B. für QQ usw. und Nr. 5 der Liste.", "Ja."]),
        ("Er kam am 3. Oktober 2019 an. Es gibt 1.500 Nutzer. Wirklich? Ja!", "de",
         ["Er kam am 3. Oktober 2019 an.", "Es gibt 1.500 Nutzer.", "Wirklich?", "Ja!"]),
        ("Er sagte: „Das ist gut.“ Dann ging er.", "de", ["Er sagte: „Das ist gut.“", "Dann ging er."]),
        ("腾讯早就在做电商了。拍拍上线时，他宣称“永不收费！”然后呢？他说：“我们会成功。”", "zh",
         ["腾讯早就在做电商了。", "拍拍上线时，他宣称“永不收费！”", "然后呢？", "他说：“我们会成功。”"]),
        ("Mr. Smith paid $2.5 million, i.e. too much. It failed.", "en",
         ["Mr. Smith paid $2.5 million, i.e. too much.", "It failed."]),
    ],
    ids=["de-abbrev", "de-ordinal-numbers", "de-quotes", "zh", "en"],
)
def test_sentences(text, lang, expected):
    assert sentences(text, lang) == expected


def test_paragraphs_are_blocks_between_blank_lines_with_crlf():
    text = "Titel\r\n\r\nSatz eins. Satz zwei.\r\nNoch eine Zeile.\r\n\r\n\r\n  Ende.  \r\n"
    paras = paragraphs(text)
    assert [text[p.span.start:p.span.end] for p in paras] == [
        "Titel", "Satz eins. Satz zwei.\r\nNoch eine Zeile.", "Ende."]
    assert [len(p.lines) for p in paras] == [1, 2, 1]


def test_heading_kind_for_title_lines():
    text = "Wie lange hält der Boom an?\n\nTencent ist seit langem tätig. Es ist so."
    segs, _ = segment(Document(text, "de"))
    assert [(s.kind, s.paragraph) for s in segs] == [("heading", 0), ("sentence", 1), ("sentence", 1)]


def test_segments_cover_only_text_inside_the_document():
    text = "\u00a0 Satz eins.\u00a0Satz zwei. \n\n😀 Emoji-Satz hier.\r\n"
    segs, _ = segment(Document(text, "de"))
    for s in segs:
        piece = text[s.span.start:s.span.end]
        assert piece and piece == piece.strip()


def _segments_line_by_line(doc):
    """The plain definition of :func:`tqcheck.segment.segment`: every line looked at for surrogates and spaces
    that make sentencex panic."""
    from tqcheck.segment import _looks_like_heading, split_sentences
    from tqcheck.types import Segment, Span

    segments = []
    for para in paragraphs(doc.text):
        for line in para.lines:
            line_text = doc.text[line.start:line.end]
            pieces = split_sentences(line_text, doc.lang)
            if len(para.lines) == 1 and len(pieces) <= 1 and _looks_like_heading(line_text):
                segments.append(Segment(len(segments), line, para.index, "heading"))
                continue
            for start, end in pieces:
                segments.append(Segment(len(segments), Span(line.start + start, line.start + end), para.index))
    return tuple(segments)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="Ab. !?\n\u00a0\u2003\udc00z", max_size=60), st.sampled_from(["de", "en"]))
def test_a_text_searched_once_for_what_lines_are_searched_for_segments_the_same(text, lang):
    doc = Document(text, lang)
    assert segment(doc)[0] == _segments_line_by_line(doc)
