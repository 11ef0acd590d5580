"""Honest decoding, bad sources as file errors, and reports that survive any file name and any text: non-UTF-8
file names, lone surrogates and terminal control characters (issue 11)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLES
from tqcheck import Config, check, check_paths
from tqcheck.batch import build_report
from tqcheck.cli import ExitStatus, main
from tqcheck.display import error_line, path_text, terminal_safe
from tqcheck.errors import InputError
from tqcheck.filecheck import check_file
from tqcheck.pipeline import assemble_result
from tqcheck.readers import decode_bytes, read_document
from tqcheck.readers.text import utf8_evidence
from tqcheck.reports import render, write_atomic
from tqcheck.rules import select_rules
from tqcheck.types import Category, Document, FileError, Issue, Severity, Span

FORMATS = ("text", "json", "jsonl", "sarif", "html")
ARTICLE = SAMPLES / "live-commerce.zh-de.mt.txt"
ARTICLE_SOURCE = SAMPLES / "live-commerce.zh.txt"
JAPANESE = "東京都は二十日、新型コロナウイルスの感染者が新たに百人確認されたと発表した。" * 3
KOREAN = "서울은 대한민국의 수도이며 가장 큰 도시이다. 사람들은 매일 아침 신문을 읽는다." * 3
RUSSIAN = "Москва — столица России, крупнейший по численности населения город страны." * 3
# Polish in cp1250 scores better as cp1252 with charset-normalizer ("Za¿ó³æ"): the stray symbols give it away.
POLISH = ("Zażółć gęślą jaźń. Łódź, Kraków i Wrocław to miasta o długiej historii; żółw śpi pod dębem, "
          "a źrebię biega po łące. ") * 2
CHINESE = (SAMPLES / "wechat-ecommerce.zh.txt").read_text(encoding="utf-8")
GERMAN = (SAMPLES / "mini-programme.de.txt").read_text(encoding="utf-8")


def render_all(report) -> dict[str, str]:
    """Every format, each checked to encode as UTF-8 (what ``-o`` and stdout do)."""
    out = {fmt: render(report, fmt) for fmt in FORMATS}
    for content in out.values():
        content.encode("utf-8")  # raises on a lone surrogate
    return out


def line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


# --- 1. honest decoding ---------------------------------------------------------------------------------------


def _damaged(data: bytes, count: int) -> tuple[bytes, list[int]]:
    """``data`` with ``count`` of its two-byte UTF-8 characters (ä, ö, ü, ß…) replaced by their Latin-1 byte, spread
    over the text: what an editor saving one paragraph in a legacy encoding leaves behind."""
    starts = [m.start() for m in re.finditer(rb"[\xc2-\xc3][\x80-\xbf]", data)]
    chosen = starts[:: max(1, len(starts) // count)][:count]
    out, offsets = bytearray(data), []
    for shift, at in enumerate(chosen):  # each replacement is one byte shorter
        latin1 = data[at:at + 2].decode("utf-8").encode("latin-1")
        out[at - shift:at - shift + 2] = latin1
        offsets.append(at - shift)
    return bytes(out), offsets


def test_decode_one_damaged_byte_is_an_encoding_error_naming_line_and_offset(tmp_path):
    """One Latin-1 byte in a UTF-8 article is damaged UTF-8, not an ISO 8859-14 text: an error that says where."""
    data, [offset] = _damaged(ARTICLE.read_bytes(), 1)
    path = tmp_path / "article.de.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_document(path)
    assert err.value.kind == "encoding"
    assert err.value.problem.startswith(
        f"not valid UTF-8: 1 invalid byte at line {line_of(data, offset)} (byte offset {offset})")
    assert err.value.hint == "fix or re-save the file as UTF-8"
    assert str(err.value).startswith(f"{path}: not valid UTF-8: 1 invalid byte")


def test_decode_several_damaged_bytes_counts_them_and_names_the_first(tmp_path):
    data, offsets = _damaged(ARTICLE.read_bytes(), 5)
    with pytest.raises(InputError) as err:
        decode_bytes(data, tmp_path / "a.txt")
    places = ", ".join(f"line {line_of(data, o)} (byte offset {o})" for o in offsets[:3])
    assert err.value.kind == "encoding"
    assert err.value.problem.startswith(f"not valid UTF-8: 5 invalid bytes in 5 places: {places} and 2 more")


def test_decode_utf8_cut_in_the_middle_of_a_character_is_an_error():
    data = "Größe".encode()[:-1] + "ß".encode()[:1]
    with pytest.raises(InputError, match=r"not valid UTF-8: 1 invalid byte at line 1 \(byte offset 6\)"):
        decode_bytes(data)


def test_decode_utf8_with_a_pasted_cp1252_paragraph_is_an_error():
    """Mostly UTF-8 with a legacy paragraph cannot be decoded either way: an error, not a guess (üß are adjacent:
    two bytes, one place)."""
    data = GERMAN.encode("utf-8") + "\nGrüße aus München, schöne Straße.\n".encode("cp1252")
    with pytest.raises(InputError, match="not valid UTF-8: 5 invalid bytes in 4 places") as err:
        decode_bytes(data)
    assert err.value.kind == "encoding"


def test_decode_utf8_quotes_beside_cp1252_quotes_is_an_error_not_mac_icelandic():
    """A third of the non-ASCII sequences valid UTF-8 is too many for a code page (cp1252, Mac Roman…): before
    this rule, the file decoded as Mac Icelandic."""
    data = ("He said \u201cyes\u201d. ".encode() + "Then \u201cno\u201d and \u201cmaybe\u201d. ".encode("cp1252")
            + b"More plain English text here to pad it out. " * 5)
    with pytest.raises(InputError, match="not valid UTF-8: 4 invalid bytes in 4 places") as err:
        decode_bytes(data)
    assert err.value.kind == "encoding"


def test_decode_cp1252_with_a_chance_utf8_sequence_is_still_cp1252():
    """``groß“`` is DF 93 in cp1252, a valid UTF-8 sequence by chance: one among many is no evidence of UTF-8."""
    text = "Die Straße ist „groß“, sagt der Händler; die Größe überrascht, wie schön! " * 2
    data = text.encode("cp1252")
    assert 0 < utf8_evidence(data).valid_share < 0.2
    assert decode_bytes(data, "a.de.txt", lang="de") == (text, "cp1252")  # not cp1250: the same letters here


@pytest.mark.parametrize(
    ("name", "text", "codec", "expected"),
    [
        ("a.zh.txt", CHINESE, "gbk", "gb18030"),
        ("a.zh.txt", CHINESE, "gb18030", "gb18030"),
        ("a.txt", CHINESE, "gbk", "gb18030"),
        ("a.zh.txt", "騰訊早就在做電商了。拍拍上線時，他宣稱永不收費。" * 4, "big5", "big5"),
        ("a.ja.txt", JAPANESE, "shift_jis", None),
        ("a.ko.txt", KOREAN, "euc_kr", None),
        ("a.ru.txt", RUSSIAN, "cp1251", "cp1251"),
        ("a.de.txt", GERMAN, "cp1252", "cp1252"),
        ("a.txt", "He said \u201cno\u201d \u2013 and left. It\u2019s over.\n" * 5, "cp1252", "cp1252"),
        ("a.de.txt", "Die Wohnung hat 80 m² Fläche, der Keller 12 m³; „Größe“ zählt. " * 4, "cp1252", "cp1252"),
        ("a.pl.txt", POLISH, "cp1250", "cp1250"),
        ("a.txt", POLISH, "cp1250", "cp1250"),
    ],
    ids=["gbk-zh", "gb18030-zh", "gbk-unknown-lang", "big5", "shift-jis", "euc-kr", "cp1251", "cp1252-de", "cp1252-en",
         "cp1252-de-superscripts", "cp1250-pl", "cp1250-unknown-lang"],
)
def test_decode_legacy_encodings_with_strong_evidence(tmp_path, name, text, codec, expected):
    """A real legacy file: (almost) no valid UTF-8 sequence, a clean charset-normalizer match, the right script."""
    data = text.encode(codec)
    assert utf8_evidence(data).valid_share < 0.5
    path = tmp_path / name
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.text == text
    if expected:
        assert doc.encoding == expected


@pytest.mark.parametrize(
    ("name", "text", "codec", "script"),
    [
        ("a.de.txt", RUSSIAN, "cp1251", "Cyrillic"),
        ("a.de.txt", CHINESE[:600], "gbk", "Han"),
        ("a.zh.txt", GERMAN, "cp1252", "Latin"),
    ],
    ids=["cyrillic-as-de", "han-as-de", "latin-as-zh"],
)
def test_decode_legacy_guess_incoherent_with_the_files_language_is_an_error(tmp_path, name, text, codec, script):
    """A legacy guess must fit the language the file name declares: Cyrillic is no German text."""
    path = tmp_path / name
    path.write_bytes(text.encode(codec))
    with pytest.raises(InputError) as err:
        read_document(path)
    assert err.value.kind == "encoding"
    assert f"{script} script" in err.value.problem and "save it as UTF-8" in (err.value.hint or "")


def test_utf8_evidence_separates_damaged_utf8_from_legacy_text():
    """The rule's measure: the share of non-ASCII sequences that are valid UTF-8 (legacy CJK: under 0.3)."""
    damaged, _ = _damaged(ARTICLE.read_bytes(), 3)
    assert utf8_evidence(damaged).valid_share > 0.9
    assert utf8_evidence(CHINESE.encode("gbk")).valid_share < 0.3
    assert utf8_evidence(GERMAN.encode("cp1252")).valid_share == 0


# --- 2. a bad source or reference is a file error ------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [(b"", "empty"), (bytes(range(256)) * 4, "binary"), ("源文本。".encode() + b"\xff" + "源。".encode(), "encoding")],
    ids=["empty", "binary", "undecodable"],
)
def test_check_bad_source_raises_naming_the_source(tmp_path, data, kind):
    source = tmp_path / "a.zh.txt"
    source.write_bytes(data)
    target = tmp_path / "a.de.txt"
    target.write_text("Der Händler verkauft Waren im Internet.\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        check(target, source, config=Config(src_lang="zh"))
    assert err.value.path == source and err.value.kind == kind
    assert f"the source of {target}, which was not checked" in err.value.problem


def test_check_missing_source_raises():
    with pytest.raises(InputError, match="no such file") as err:
        check("Der Händler verkauft Waren.", Path("/nonexistent/a.zh.txt"))
    assert err.value.path == Path("/nonexistent/a.zh.txt")


def test_check_bad_reference_raises_naming_it(tmp_path):
    """The README lists every unreadable input file under errors (exit 2); a reference is an input file."""
    reference = tmp_path / "a.ref.de.txt"
    reference.write_bytes(b"\x00\x01binary\x02")
    with pytest.raises(InputError) as err:
        check("Der Händler verkauft Waren.", reference=reference)
    assert err.value.path == reference and err.value.kind == "binary"


def test_batch_with_binary_source_lists_a_file_error_and_exits_2(tmp_path, capsys):
    target = tmp_path / "a.de.txt"
    target.write_text("Der Händler verkauft Waren im Internet.\n", encoding="utf-8")
    source = tmp_path / "a.zh.txt"
    source.write_bytes(bytes(range(256)) * 4)
    report = check_paths([target], Config(src_lang="zh"))
    assert report.documents == ()
    [error] = report.errors
    assert (error.path, error.kind) == (source, "binary")
    assert f"the source of {target}, which was not checked" in error.message
    status = main(["check", str(target), "--src-lang", "zh", "--format", "json"])
    out, err = capsys.readouterr()
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR
    assert [(e["path"], e["kind"]) for e in json.loads(out)["errors"]] == [(str(source), "binary")]
    assert f"tqcheck: error: {source}: looks binary" in err


# --- 3. file names that are not UTF-8 ------------------------------------------------------------------------


@pytest.fixture
def gbk_folder(tmp_path, monkeypatch):
    """A folder holding ``文章.de.txt`` with a GBK-encoded name, and a binary file with a Latin-1 name."""
    good = os.fsdecode("文章.de.txt".encode("gbk"))
    bad = os.fsdecode("caf\xe9.de.txt".encode("latin-1"))
    try:
        (tmp_path / good).write_text("Der Händler verkauft Waren im Internet. Das ist „gut“.\n", encoding="utf-8")
        (tmp_path / bad).write_bytes(bytes(range(256)) * 4)
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system does not take file names that are not UTF-8")
    monkeypatch.chdir(tmp_path)
    return Path(good), Path(bad)


def test_path_text_escapes_undecodable_bytes_visibly_and_keeps_utf8_names():
    assert path_text(Path("café/文章.de.txt")) == "café/文章.de.txt"
    assert path_text(os.fsdecode(b"caf\xe9.txt")) == "caf\\xe9.txt"
    assert path_text(b"\xce\xc4\xd5\xc2.txt") == "\\xce\\xc4\\xd5\\xc2.txt"
    assert path_text("a\ud800.txt") == "a\\xed\\xa0\\x80.txt"
    assert path_text(None) is None
    # Reversible: the escapes are the bytes.
    assert path_text(os.fsdecode(b"caf\xe9.txt")).encode().decode("unicode_escape").encode("latin-1") == b"caf\xe9.txt"


def test_non_utf8_file_names_survive_every_format(gbk_folder, tmp_path):
    good, bad = gbk_folder
    report = check_paths(["."], Config(tgt_lang="de"))
    assert [d.target.path for d in report.documents] == [good]
    assert [e.path for e in report.errors] == [bad]
    shown_good, shown_bad = "\\xce\\xc4\\xd5\\xc2.de.txt", "caf\\xe9.de.txt"
    out = render_all(report)
    for fmt in FORMATS:
        write_atomic(tmp_path / f"report.{fmt}", out[fmt])  # -o: writes UTF-8
        (tmp_path / f"report.{fmt}").read_bytes().decode("utf-8")
    payload = json.loads(out["json"])
    assert payload["documents"][0]["target"]["path"] == shown_good
    assert payload["errors"][0]["path"] == shown_bad
    lines = [json.loads(line) for line in out["jsonl"].splitlines()]
    assert {line.get("path") or (line.get("target") or {}).get("path") for line in lines} >= {shown_good, shown_bad}
    sarif = json.loads(out["sarif"])["runs"][0]
    uris = {a["location"]["uri"] for a in sarif["artifacts"]}
    assert quote("文章.de.txt".encode("gbk")) in uris and "%CE%C4%D5%C2.de.txt" in uris
    notification = sarif["invocations"][0]["toolExecutionNotifications"][0]
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "caf%E9.de.txt"
    assert shown_bad in notification["message"]["text"]
    assert shown_good in out["text"] and shown_bad in out["text"]
    assert shown_good in out["html"] and shown_bad in out["html"]


def test_non_utf8_file_name_cli_stdout_is_valid_utf8(gbk_folder, capsysbinary):
    """stdout carries the report: valid UTF-8 in every format. (The stderr line of a file error is cli.py's, through
    :func:`tqcheck.display.error_line`: the binary file is left out here.)"""
    _, bad = gbk_folder
    bad.unlink()
    for fmt in FORMATS:
        status = main(["check", ".", "--tgt-lang", "de", "--format", fmt])
        out, _ = capsysbinary.readouterr()
        assert status == ExitStatus.PASSED, fmt
        out.decode("utf-8")
        if fmt == "json":
            assert json.loads(out)["documents"][0]["target"]["path"] == "\\xce\\xc4\\xd5\\xc2.de.txt"


# --- 4. lone surrogates in valid input -----------------------------------------------------------------------


def test_check_text_with_lone_surrogates_runs_and_every_format_encodes():
    text = "Der Händler\udc00 verkauft „Waren.\nZweiter Satz\ud800 hier."
    result = check(text, config=Config(src_lang="zh", tgt_lang="de"))
    assert result.target.text == text
    out = render_all(build_report([result], Config()))
    assert "\\udc00" in out["text"] or not result.issues
    payload = json.loads(out["json"])
    for item in payload["documents"][0]["issues"]:
        assert item["text"] == text[item["start"]:item["end"]]


def test_lone_surrogate_inside_an_issue_span_is_escaped_in_json_and_shown_in_text_and_html():
    text = "Der Händler \udc00\udc00\udc00 verkauft Waren."
    doc = Document(text, lang="de", path=Path("a.de.txt"))
    issue = Issue("TQ601", "doubled-word", Category.GRAMMAR, Severity.MINOR, Span(12, 15), "Broken \udc00 text.")
    result = assemble_result(Config(), doc, [issue])
    out = render_all(build_report([result], Config()))
    assert '"text": "\\udc00\\udc00\\udc00"' in out["json"]
    [item] = json.loads(out["json"])["documents"][0]["issues"]
    assert item["text"] == text[12:15]
    assert "\\udc00\\udc00\\udc00" in out["text"] and "Broken \\udc00 text." in out["text"]
    assert "\ufffd" in out["html"] and "U+DC00" in out["html"]
    sarif = json.loads(out["sarif"])["runs"][0]["results"][0]
    assert sarif["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == text[12:15]


def test_jsonl_unit_with_lone_surrogate_is_checked(tmp_path):
    path = tmp_path / "a.zh-de.jsonl"
    path.write_text('{"src": "商家\\udc00卖了商品。", "mt": "Der Händler\\udc00 verkauft Waren."}\n', encoding="utf-8")
    result = check_file(path, Config(), select_rules())
    assert result.units[0].target.text == "Der Händler\udc00 verkauft Waren."
    out = render_all(build_report([result], Config()))
    unit = json.loads(out["json"])["documents"][0]["units"][0]
    assert unit["target"] == "Der Händler\udc00 verkauft Waren." and unit["source"] == "商家\udc00卖了商品。"


def test_xliff2_cp_of_a_surrogate_is_checked(tmp_path):
    path = tmp_path / "a.xlf"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh" trgLang="de">\n'
        '<file id="f1"><unit id="u1"><segment state="translated">\n'
        '<source>商家卖了商品<cp hex="D800"/>。</source>\n'
        '<target>Der Händler verkauft<cp hex="D800"/> Waren.</target>\n'
        '</segment></unit></file></xliff>\n', encoding="utf-8")
    result = check_file(path, Config(), select_rules())
    out = render_all(build_report([result], Config()))
    codes = json.loads(out["json"])["documents"][0]["units"][0]["codes"]
    # The reader keeps the code; whether its native is the surrogate or None, every report is written.
    assert [(c["element"], c["native"] in (None, "\ud800")) for c in codes] == [("cp", True)]


def test_surrogate_pair_of_separate_code_points_still_gives_valid_json():
    """A high surrogate followed by a low one (only a Python str can hold that) is written as the pair of escapes,
    which JSON defines as one astral character: the report stays valid UTF-8 JSON."""
    result = check("Ein \ud83d\ude00 Satz.", config=Config(tgt_lang="de"))
    out = render_all(build_report([result], Config()))
    json.loads(out["json"])


PIECES = ["Der Händler verkauft Waren.", " ", "\n", "\r\n", "„", "“", "(", "]", "die die", "2.17亿", "直播带货", "😀",
          "\udc00", "\ud800", "\udfff", "\udcd6\udcc4", "\x1b[31m", "\x1b]0;pwned\x07", "\u202e", "\u2066", "\u200f",
          "\x00", "\x08", "\t", "\x85", "\x9b", "\u2028", "\ufeff", "Tencent", "Traffic", "Verkehr", "Datenverkehr"]
texts = (st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), min_size=1, max_size=30).map("".join)
         # A high surrogate right before a low one is one character once written as JSON (see the test above).
         .filter(lambda t: not re.search("[\ud800-\udbff][\udc00-\udfff]", t)))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=texts, source=st.one_of(st.none(), texts), tgt=st.sampled_from(["de", "en"]))
def test_property_any_text_renders_in_every_format_and_spans_hold(target, source, tgt):
    config = Config(src_lang="zh", tgt_lang=tgt)
    result = check(Document(target, path=Path("x\udcd6\n\x1b[2J.de.txt")),
                   Document(source) if source is not None else None, config=config)
    out = render_all(build_report([result], config))
    payload = json.loads(out["json"])
    for item in payload["documents"][0]["issues"]:
        assert item["text"] == target[item["start"]:item["end"]]
    for line in out["jsonl"].split("\n")[:-1]:  # not splitlines(): a JSON string may hold a raw U+2028 or U+0085
        json.loads(line)
    json.loads(out["sarif"])
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]",
                         out["text"])


# --- 5. safe terminal output ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain Größe 文章 😀 back\\slash", "plain Größe 文章 😀 back\\slash"),
        ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("\x00\x7f\x85\x9b", "\\x00\\x7f\\x85\\x9b"),
        ("\u202eevil\u202c \u2066x\u2069", "\\u202eevil\\u202c \\u2066x\\u2069"),
        ("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"),
        ("\u2028\u2029", "\\u2028\\u2029"),
        ("a\udc00b", "a\\udc00b"),
    ],
)
def test_terminal_safe_escapes_what_a_terminal_would_act_on(text, shown):
    assert terminal_safe(text) == shown


def test_error_line_is_one_safe_line():
    path = Path(os.fsdecode(b"evil\ntqcheck: error: forged\x1b[2J\xff.txt"))
    line = error_line(path, "looks binary\n(with\x1b]0;x\x07)")
    assert "\n" not in line and "\x1b" not in line
    assert line == "evil\\ntqcheck: error: forged\\x1b[2J\\xff.txt: looks binary\\n(with\\x1b]0;x\\x07)"
    line.encode("utf-8")


def test_text_report_escapes_controls_in_excerpts_names_and_messages_and_keeps_markers_aligned():
    text = "Erste Zeile.\nDer \x1b]0;pwned\x07 Händler \u202everkauft\u202c Waren\tim Netz.\n"
    start = text.index("Händler")
    doc = Document(text, lang="de", path=Path("evil\ntqcheck: error: forged.de.txt"))
    issues = [
        Issue("TQ601", "doubled-word", Category.GRAMMAR, Severity.MINOR, Span(start, start + 7),
              "Word \x1b[2J wiped.", suggestion="Use \u202eHandel\u202c."),
        Issue("TQ404", "unbalanced-brackets", Category.PUNCTUATION, Severity.MINOR,
              Span(text.index("\x1b"), text.index("\x1b") + 1), "Control character."),
    ]
    result = assemble_result(Config(), doc, issues)
    errors = FileError(Path("bad\n\x1b[31m.txt"), "binary", "looks binary\r\nforged line")
    out = render(build_report([result, errors], Config()), "text")
    assert "\x1b" not in out and "\u202e" not in out and "\t" not in out and "\r" not in out
    assert not any(line.startswith("tqcheck: error:") for line in out.splitlines())
    assert "evil\\ntqcheck: error: forged.de.txt" in out
    assert "error: bad\\n\\x1b[31m.txt: looks binary\\r\\nforged line [binary]" in out
    assert "Word \\x1b[2J wiped." in out and "Use \\u202eHandel\\u202c." in out
    for issue, needle, width in ((issues[0], "Händler", 7), (issues[1], "\\x1b]0;pwned", 4)):
        lines = render(build_report([assemble_result(Config(), doc, [issue])], Config()), "text").splitlines()
        excerpt = next(i for i, line in enumerate(lines) if "│ " in line and needle in line)
        carets = lines[excerpt + 1]
        assert carets.index("^") == lines[excerpt].index(needle), (lines[excerpt], carets)
        assert carets.count("^") == width


def test_text_report_colour_keeps_only_its_own_escapes():
    text = "Der \x1b[5m Händler verkauft Waren."
    start = text.index("Händler")
    doc = Document(text, lang="de", path=Path("a.de.txt"))
    issue = Issue("TQ601", "doubled-word", Category.GRAMMAR, Severity.MINOR, Span(start, start + 7), "x")
    out = render(build_report([assemble_result(Config(), doc, [issue])], Config()), "text", color=True)
    assert "\x1b[5m" not in out and "\\x1b[5m" in out
