"""Bilingual files: every format read into exact units; bad and unsafe files named with file and line."""

from __future__ import annotations

import codecs
import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tqcheck.errors import InputError
from tqcheck.readers.bilingual import BilingualFile, BilingualUnit, read_bilingual

DATA = Path(__file__).resolve().parent / "data" / "bilingual"


def units(bf: BilingualFile) -> list[tuple[str, str | None, str, str | None, int | None]]:
    return [(u.id, u.source, u.target, u.reference, u.line) for u in bf.units]


# --- valid files, one per format ---------------------------------------------------------------------------


def test_read_bilingual_jsonl_keys_ids_and_languages():
    """src/mt, source/translation, target, ref/reference, id (str or int), lp and src_lang/tgt_lang."""
    bf = read_bilingual(DATA / "valid.jsonl")
    assert (bf.format, bf.src_lang, bf.tgt_lang) == ("jsonl", "zh", "de")
    assert units(bf) == [
        ("s1", "腾讯早就在做电商了。", "Tencent betreibt schon lange E-Commerce.",
         "Tencent ist längst im Onlinehandel aktiv.", 1),
        ("2", "拍拍上线时，他宣称永不收费。", "Als Paipai startete, versprach er:\r\nniemals Gebühren.", None, 2),
        ("4", "双十一", "", None, 4),  # empty target kept: untranslated, not an error
        # line 5 has neither source nor target: skipped; U+2028 inside a string does not split the line
        ("6", "流量", "Traffic\u2028Zeile", None, 6),
    ]


def test_read_bilingual_tsv_with_header_and_crlf():
    """Header names the columns (unknown ones ignored); CRLF ends lines and never reaches the texts."""
    bf = read_bilingual(DATA / "header.tsv")
    assert (bf.format, bf.src_lang, bf.tgt_lang) == ("tsv", None, None)
    assert units(bf) == [
        ("a1", "朋友圈", "WeChat Moments", "WeChat-Momente", 2),
        ("a2", "信用体系", "", None, 3),
        ("a3", "点线面", "Punkt-für-Punkt", None, 5),
    ]


def test_read_bilingual_tsv_without_header_uses_line_numbers_as_ids():
    """src TAB mt [TAB ref]; a row with two empty cells is skipped; languages come from the arguments."""
    bf = read_bilingual(DATA / "plain.tsv", src_lang="zh-CN", tgt_lang="de")
    assert (bf.src_lang, bf.tgt_lang) == ("zh", "de")
    assert units(bf) == [
        ("1", "腾讯", "Tencent", None, 1),
        ("2", "双十一", "Double Eleven", "Doppel-Elf", 2),
    ]


def test_read_bilingual_xliff12_inline_tags_groups_and_segments():
    """Tags become markers (<1>, </1>, <2/>), a <ph>'s native %s is no text; &#13;&#10; survives; translate="no"
    units kept in state no-translate (select_units skips them); mrk segments split."""
    bf = read_bilingual(DATA / "valid.xlf")
    assert (bf.format, bf.src_lang, bf.tgt_lang) == ("xliff-1.2", "zh", "de")
    assert units(bf) == [
        ("title", "电商<1>双十一</1>", "E-Commerce <1>Double Eleven</1>", None, 6),
        ("p1", "点击<2/>这里<3/>", "Hier <4>klicken</4><2/> %s", None, 11),
        ("p2", "第一行\r\n第二行", "Erste Zeile\r\nzweite Zeile", None, 15),
        ("untranslated", "朋友圈", "", None, 19),
        ("locked", "WeChat", "WeChat", None, 22),
        ("frozen1", "A", "A", None, 32),
        ("segmented/1", "第一句。", "Erster Satz.", None, 37),
        ("segmented/2", "第二句。", "Zweiter <9>Satz</9>.", None, 37),
    ]
    assert [u.state for u in bf.units] == [None, None, None, None, "no-translate", "no-translate", None, None]
    p1 = bf.units[1]
    assert [(c.kind, c.id, c.element, c.native) for c in p1.source_codes] == [
        ("standalone", "2", "x", None), ("standalone", "3", "ph", "%s")]
    assert [(c.kind, c.id, c.element, c.native) for c in p1.target_codes] == [
        ("open", "4", "bpt", "<b>"), ("close", "4", "ept", "</b>"), ("standalone", "2", "x", None)]


def test_read_bilingual_xliff2_segments_pc_ph_mrk_cp():
    """One unit per segment ("unit/segment-id-or-index"); <pc>/<mrk> pairs, <ph/> (native from originalData) and
    <cp hex> (native the character) become markers; translate="no" kept as no-translate; state initial → new."""
    bf = read_bilingual(DATA / "valid-2.xlf")
    assert (bf.format, bf.src_lang, bf.tgt_lang) == ("xliff-2", "zh", "de")
    assert units(bf) == [
        ("u1/s1", "腾讯<1>早就</1>在做电商了。", "Tencent betreibt <1>schon lange</1> E-Commerce.", None, 6),
        ("u1/2", "第二句<2/>。", "Zweiter<2/> Satz<1/>.", None, 11),
        ("u2", "流量<m1>入口</m1>", "Traffic-<m1>Zugang</m1>\r\nEnde", None, 18),
        ("u3", "WeChat", "WeChat", None, 24),
        ("u4", "双十一", "", None, 28),
    ]
    assert [(c.kind, c.id, c.element, c.native) for c in bf.units[1].target_codes] == [
        ("standalone", "2", "ph", "<br/>"), ("standalone", "1", "cp", "\x07")]
    assert [u.state for u in bf.units] == [None, None, None, "no-translate", "new"]


def test_read_bilingual_tmx_header_srclang_and_only_other_language():
    """Source from header@srclang (zh-CN → zh), target the only other language; DOCTYPE not fetched; <bpt>/<ept>
    and <hi> are markers."""
    bf = read_bilingual(DATA / "valid.tmx")
    assert (bf.format, bf.src_lang, bf.tgt_lang) == ("tmx", "zh", "de")
    assert units(bf) == [
        ("t1", "腾讯早就在做电商了。", "Tencent betreibt <1>schon lange</1> E-Commerce.", None, 6),
        ("10", "第一行\r\n第二行", "Erste Zeile\r\nzweite <1>Zeile</1>", None, 10),
        ("t3", "双十一", "", None, 15),
    ]


def test_read_bilingual_tmx_utf16():
    """A UTF-16 TMX (BOM and declaration) decodes, astral characters included."""
    assert (DATA / "utf16.tmx").read_bytes().startswith(codecs.BOM_UTF16_LE)
    bf = read_bilingual(DATA / "utf16.tmx")
    assert units(bf) == [("u16", "朋友圈里的“双十一”", "„Double Eleven“ in den WeChat Moments – 𝄞", None, 5)]


@pytest.mark.parametrize(
    ("src", "tgt", "expected"),
    [
        ("en", "de", [("1", "Hello", "Hallo"), ("2", "Thanks", "")]),
        ("en", "fr", [("1", "Hello", "Bonjour"), ("2", "Thanks", "Merci")]),
        ("fr", "en", [("1", "Bonjour", "Hello"), ("2", "Merci", "Thanks")]),
    ],
)
def test_read_bilingual_tmx_multilingual_pair_chosen_by_arguments(src, tgt, expected):
    """With srclang="*all*" the arguments pick the pair; a missing target tuv is an untranslated unit."""
    bf = read_bilingual(DATA / "multi.tmx", src_lang=src, tgt_lang=tgt)
    assert (bf.src_lang, bf.tgt_lang) == (src, tgt)
    assert [(u.id, u.source, u.target) for u in bf.units] == expected


@pytest.mark.parametrize(
    ("kwargs", "kind", "problem"),
    [
        ({}, "ambiguous-language", "cannot tell the source language: header srclang is '*all*' and the file has "
                                   "de, en, fr"),
        ({"tgt_lang": "de"}, "ambiguous-language", "cannot tell the source language"),
        ({"src_lang": "en"}, "ambiguous-language", "cannot tell the target language: the file has the languages "
                                                   "de, fr besides en"),
        ({"src_lang": "en", "tgt_lang": "ja"}, "language-mismatch", "no <tuv> in the target language ja"),
        ({"src_lang": "en", "tgt_lang": "en"}, "language-mismatch", "source and target language are both en"),
    ],
)
def test_read_bilingual_tmx_pair_that_cannot_be_chosen(kwargs, kind, problem):
    """An undecidable or absent language pair is an error that says which option to pass."""
    with pytest.raises(InputError) as info:
        read_bilingual(DATA / "multi.tmx", **kwargs)
    assert info.value.kind == kind
    assert info.value.path == DATA / "multi.tmx"
    assert info.value.problem.startswith(problem)
    assert "--" in (info.value.hint or "")


def test_read_bilingual_sniffs_unknown_extensions(tmp_path):
    """Content decides for other extensions: '<' is XML, '{' JSONL, a tab TSV; else unsupported."""
    xml = tmp_path / "a.xml"
    xml.write_bytes((DATA / "valid-2.xlf").read_bytes())
    assert read_bilingual(xml).format == "xliff-2"
    jsonl = tmp_path / "a.txt"
    jsonl.write_text('{"src": "a", "mt": "b"}\n', encoding="utf-8")
    assert read_bilingual(jsonl).format == "jsonl"
    tsv = tmp_path / "a.dat"
    tsv.write_text("a\tb\n", encoding="utf-8")
    assert read_bilingual(tsv).format == "tsv"
    prose = tmp_path / "b.txt"
    prose.write_text("Just prose.\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_bilingual(prose)
    assert info.value.kind == "unsupported-format"


def test_read_bilingual_gb18030_jsonl(tmp_path):
    """JSONL and TSV are decoded with the text reader's encoding detection."""
    path = tmp_path / "a.jsonl"
    path.write_bytes('{"src": "腾讯早就在做电商了，拍拍上线时他宣称永不收费。", "mt": "Tencent"}\n'.encode("gb18030"))
    assert read_bilingual(path).units[0].source == "腾讯早就在做电商了，拍拍上线时他宣称永不收费。"


def test_read_bilingual_xliff12_several_files_prefix_ids(tmp_path):
    """Ids are unique only per <file>: with several files they are prefixed by file@original."""
    path = tmp_path / "two.xlf"
    path.write_text(
        '<xliff version="1.2"><file original="a.html" source-language="zh" target-language="de"><body>'
        '<trans-unit id="1"><source>甲</source><target>A</target></trans-unit></body></file>\n'
        '<file original="b.html" source-language="zh" target-language="de"><body>'
        '<trans-unit id="1"><source>乙</source><target>B</target></trans-unit></body></file></xliff>',
        encoding="utf-8")
    assert [u.id for u in read_bilingual(path).units] == ["a.html/1", "b.html/1"]


def test_read_bilingual_never_modifies_input():
    before = {p: p.read_bytes() for p in DATA.iterdir()}
    for path in before:
        with contextlib.suppress(InputError):
            read_bilingual(path)
    assert {p: p.read_bytes() for p in DATA.iterdir()} == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x7f")),
                          st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x7f"),
                                  min_size=1)),
                min_size=1, max_size=5))
def test_read_bilingual_jsonl_keeps_every_text_exactly(tmp_path, rows):
    """Any text (CR, LF, U+2028, NBSP, astral characters) comes back exactly as written."""
    path = tmp_path / "prop.jsonl"
    lines = [json.dumps({"id": f"r{i}", "src": src, "mt": mt}, ensure_ascii=False) for i, (src, mt) in enumerate(rows)]
    path.write_bytes(("\r\n".join(lines) + "\n").encode("utf-8"))
    expected = [BilingualUnit(f"r{i}", src or None, mt, None, i + 1) for i, (src, mt) in enumerate(rows)]
    assert list(read_bilingual(path).units) == expected


# --- malformed files: file and line named ------------------------------------------------------------------

MALFORMED = [
    ("bad-json.jsonl", '{"src": "a", "mt": "b"}\n\n{"src": "a", "mt": }\n',
     "line 3: invalid JSON at column 20: Expecting value"),
    ("missing-target.jsonl", '{"src": "a", "mt": "b"}\n{"id": "x", "src": "a"}\n',
     "line 2: no target text: expected one of the keys 'mt', 'target', 'translation' (found 'id', 'src')"),
    ("not-object.jsonl", '{"src": "a", "mt": "b"}\r\n["a", "b"]\r\n', "line 2: expected a JSON object, found list"),
    ("wrong-type.jsonl", '{"src": 1, "mt": "b"}\n', "line 1: 'src' must be a string, found int"),
    ("two-sources.jsonl", '{"src": "a", "source": "a", "mt": "b"}\n', "line 1: both 'src' and 'source' given"),
    ("mixed-lp.jsonl", '{"src": "a", "mt": "b", "lp": "zh-de"}\n{"src": "a", "mt": "b", "lp": "en-de"}\n',
     "line 2: language pair en-de differs from zh-de on line 1"),
    ("bad-lp.jsonl", '{"src": "a", "mt": "b", "lp": "zhde"}\n', "line 1: 'lp' must name a pair such as 'zh-de'"),
    ("dup-id.jsonl", '{"id": "x", "src": "a", "mt": "b"}\n{"id": "x", "src": "c", "mt": "d"}\n',
     "line 2: duplicate unit id 'x' (first on line 1)"),
    ("columns.tsv", "a\tb\nc\td\te\tf\n", "line 2: expected 2 or 3 tab-separated columns (src, mt[, ref]), found 4"),
    ("one-column.tsv", "\r\njust text\r\n", "line 2: expected 2 or 3 tab-separated columns"),
    ("header-columns.tsv", "src\tmt\tref\na\tb\tc\nd\te\n",
     "line 3: expected 3 tab-separated columns (as in the header on line 1), found 2"),
    ("header-twice.tsv", "src\tmt\ttarget\n", "line 1: header names the target column twice (mt, target)"),
    ("mismatched.xlf", '<?xml version="1.0"?>\n<xliff version="1.2">\n<file>\n<body></file>\n</xliff>\n',
     "line 4, column 9: not well-formed XML: mismatched tag"),
    ("entity.xlf", '<xliff version="1.2">\n  <file><body><trans-unit id="1">\n<source>a&nbsp;b</source>'
                   '</trans-unit></body></file></xliff>',
     "line 3, column 10: not well-formed XML: undefined entity"),
    ("truncated.tmx", '<tmx version="1.4">\n<body>\n<tu>', "line 3, column 5: not well-formed XML: no element found"),
    ("html.xlf", '<?xml version="1.0"?>\n\n<html/>', "line 3: root element <html> is neither <xliff> nor <tmx>"),
    ("langs.xlf", '<xliff version="1.2">\n<file source-language="zh" target-language="de"><body/></file>\n'
                  '<file source-language="en" target-language="de"><body/></file>\n</xliff>',
     "line 3: <file> declares en-de but the <file> on line 2 declares zh-de"),
    ("dup.xlf", '<xliff version="1.2"><file><body>\n<trans-unit id="a"><source>x</source></trans-unit>\n'
                '<trans-unit id="a"><source>y</source></trans-unit>\n</body></file></xliff>',
     "line 3: duplicate unit id 'a' (first on line 2)"),
    ("regions.tmx", '<tmx version="1.4"><header srclang="en"/><body>\n<tu tuid="1">\n'
                    '<tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="de-DE"><seg>b</seg></tuv></tu>\n'
                    '<tu tuid="2"><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="de-DE"><seg>b</seg></tuv>'
                    '<tuv xml:lang="de-AT"><seg>c</seg></tuv></tu></body></tmx>',
     "line 4: several <tuv> in de (de-DE, de-AT); pass the full tag, e.g. --tgt-lang de-AT"),
]


@pytest.mark.parametrize(("name", "content", "problem"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_read_bilingual_malformed_names_file_and_line(tmp_path, name, content, problem):
    """Each malformed file raises InputError(kind="malformed") naming the file and the line."""
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8"))
    kwargs = {"tgt_lang": "de"} if name == "regions.tmx" else {}
    with pytest.raises(InputError) as info:
        read_bilingual(path, **kwargs)
    assert info.value.kind == "malformed"
    assert info.value.path == path
    assert info.value.problem.startswith(problem), info.value.problem
    assert str(info.value).startswith(f"{path}: line ")


@pytest.mark.parametrize(
    ("content", "kind"),
    [(b"", "empty"), (b"\n \r\n", "empty"), (b"\xef\xbb\xbf", "empty")],
)
@pytest.mark.parametrize("suffix", [".jsonl", ".tsv", ".xlf", ".tmx"])
def test_read_bilingual_empty_file(tmp_path, suffix, content, kind):
    path = tmp_path / f"a{suffix}"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_bilingual(path)
    assert (info.value.kind, info.value.path) == (kind, path)


def test_read_bilingual_missing_file(tmp_path):
    with pytest.raises(InputError) as info:
        read_bilingual(tmp_path / "nope.tmx")
    assert info.value.kind == "not-found"


# --- unsafe XML -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("billion-laughs.xlf", "line 3: unsafe XML: declares the entity 'lol'"),
        ("external-entity.tmx", "line 3: unsafe XML: declares the external entity 'secret' (file:///etc/passwd)"),
    ],
)
def test_read_bilingual_rejects_unsafe_xml(name, problem):
    """Entity expansion bombs and external entities are refused before anything is expanded or read."""
    with pytest.raises(InputError) as info:
        read_bilingual(DATA / name)
    assert info.value.kind == "unsafe-xml"
    assert info.value.path == DATA / name
    assert info.value.problem.startswith(problem)
    assert str(DATA / name) in str(info.value)


def test_read_bilingual_rejects_external_parameter_entity(tmp_path):
    """A parameter entity pulling in a remote DTD is refused too (nothing is fetched)."""
    path = tmp_path / "p.xlf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE xliff [\n<!ENTITY % ext SYSTEM "http://example.invalid/x.dtd">'
                    '\n%ext;\n]>\n<xliff version="1.2"/>', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_bilingual(path)
    assert info.value.kind == "unsafe-xml"
    assert "line 3" in info.value.problem
