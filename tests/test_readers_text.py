"""Reading text files: encodings detected, text kept exactly, bad files named with their problem."""

from __future__ import annotations

import codecs

import pytest

from tqcheck.errors import InputError
from tqcheck.readers import langs_from_name, read_document

GERMAN = "Größe „Händler“\r\nZeile\u00a0zwei\n"
CHINESE = "腾讯早就在做电商了。拍拍上线时，他宣称永不收费。\r\n第二行"


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (GERMAN.encode("utf-8"), GERMAN, "utf-8"),
        (codecs.BOM_UTF8 + GERMAN.encode("utf-8"), GERMAN, "utf-8-bom"),
        (codecs.BOM_UTF16_LE + GERMAN.encode("utf-16-le"), GERMAN, "utf-16-le"),
        (codecs.BOM_UTF16_BE + GERMAN.encode("utf-16-be"), GERMAN, "utf-16-be"),
        (GERMAN.encode("utf-16-le"), GERMAN, "utf-16-le"),
        (CHINESE.encode("gb18030"), CHINESE, "gb18030"),
        (CHINESE.encode("gbk"), CHINESE, "gb18030"),
        (CHINESE.encode("utf-8"), CHINESE, "utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-nobom", "gb18030", "gbk", "zh-utf8"],
)
def test_read_document_decodes_and_keeps_text_exactly(tmp_path, data, text, encoding):
    """CRLF, NBSP and every character survive; the BOM is consumed; the encoding is reported."""
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.text == text
    assert doc.encoding == encoding
    assert path.read_bytes() == data  # input never modified


def test_read_document_legacy_latin_encoding(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("Die Größe der Händler ist übermäßig groß.".encode("cp1252"))
    assert read_document(path).text == "Die Größe der Händler ist übermäßig groß."


@pytest.mark.parametrize(
    ("data", "kind", "problem"),
    [
        (b"", "empty", "file is empty"),
        (b"  \r\n\t ", "empty", "file is empty"),
        (codecs.BOM_UTF8, "empty", "file is empty"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00", "binary", "looks binary"),
        (bytes(range(256)) * 8, "binary", "looks binary"),
        (b"a\x01b\x02c\x03d\x04e", "binary", "looks binary"),
    ],
    ids=["empty", "whitespace", "bom-only", "elf", "all-bytes", "controls"],
)
def test_read_document_rejects_bad_input_naming_file(tmp_path, data, kind, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_document(path)
    assert err.value.kind == kind
    assert str(err.value).startswith(f"{path}: {problem}")


def test_read_document_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)


@pytest.mark.parametrize(
    ("name", "langs"),
    [
        ("wechat-ecommerce.zh-de.mt.txt", ("zh", "de")),
        ("article.de.txt", (None, "de")),
        ("article.zh_en.txt", ("zh", "en")),
        ("notes.txt", (None, None)),
        ("report.final.txt", (None, None)),
        ("a.xx-yy.txt", (None, None)),
    ],
)
def test_langs_from_name(name, langs):
    assert langs_from_name(name) == langs
