"""CAT-tool formats (sdlxliff, mqxliff, mxliff, txlf, PO), inline codes as markers, segment states, select_units."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tqcheck.errors import InputError
from tqcheck.readers.bilingual import read_bilingual, select_units
from tqcheck.readers.paths import BILINGUAL_SUFFIXES

CAT = Path(__file__).resolve().parent / "data" / "cat"


def codes(codes_):
    return [(c.span.start, c.span.end, c.kind, c.id) for c in codes_]


def states(bf):
    return [(u.id, u.state, u.state_detail, u.match) for u in bf.units]


def assert_markers(unit):
    for text, found in ((unit.source, unit.source_codes), (unit.target, unit.target_codes)):
        for code in found:
            marker = text[code.span.start:code.span.end]
            expected = {"open": f"<{code.id}>", "close": f"</{code.id}>", "standalone": f"<{code.id}/>"}[code.kind]
            assert marker == expected


@pytest.mark.parametrize("suffix", [".sdlxliff", ".mqxliff", ".mxliff", ".txlf", ".po", ".pot"])
def test_folders_find_the_new_suffixes(suffix):
    assert suffix in BILINGUAL_SUFFIXES


def test_same_content_as_sdlxliff_mqxliff_and_xlf_gives_the_same_units():
    read = {name: read_bilingual(CAT / name) for name in ("article.xlf", "article.sdlxliff", "article.mqxliff")}
    assert [bf.format for bf in read.values()] == ["xliff-1.2", "sdlxliff", "mqxliff"]
    shapes = []
    for bf in read.values():
        units = [u for u in bf.units if u.state != "no-translate"]
        shapes.append([(u.source, u.target, codes(u.source_codes), codes(u.target_codes)) for u in units])
        for unit in units:
            assert_markers(unit)
    assert shapes[0] == shapes[1] == shapes[2]
    assert shapes[0][0][:2] == ("点击<1>这里</1>继续<2/>。", "Hier <1>klicken</1>, um fortzufahren<2/>.")


def test_sdlxliff_segments_states_match_and_tag_defs():
    bf = read_bilingual(CAT / "article.sdlxliff")
    assert (bf.src_lang, bf.tgt_lang) == ("zh", "de")
    assert states(bf) == [
        ("s0", "no-translate", 'translate="no"', None),
        ("a1:1", "translated", 'sdl:conf="Translated" origin="tm"', 100),
        ("a1:2", "mt", 'sdl:conf="Draft" origin="mt"', 0),
        ("a2:3", "locked", 'sdl:conf="ApprovedSignOff" origin="interactive" locked="true"', 87),
    ]
    # the x-sdl-location mark is no code; natives come from tag-defs
    assert bf.units[2].target == "Double Eleven"
    assert [(c.element, c.native) for c in bf.units[1].target_codes] == [("g", "<b>"), ("g", "</b>"), ("x", "<br/>")]


def test_mqxliff_mxliff_txlf_xlf_states_and_match():
    assert states(read_bilingual(CAT / "article.mqxliff")) == [
        ("1", "translated", 'mq:status="ManuallyConfirmed"', 101),
        ("2", "mt", 'mq:status="MachineTranslated"', 0),
        ("3", "locked", 'mq:status="Reviewer1Confirmed" mq:locked="locked"', 87),
    ]
    mx = read_bilingual(CAT / "article.mxliff")
    assert mx.format == "mxliff"
    assert states(mx) == [
        ("u0:0", "translated", 'm:confirmed="1" m:trans-origin="tm"', 101),
        ("u1:0", "mt", 'm:confirmed="0" m:trans-origin="mt"', None),
        ("u2:0", "locked", 'm:confirmed="0" m:trans-origin="tm" m:locked="true"', 87),
    ]
    tx = read_bilingual(CAT / "article.txlf")
    assert tx.format == "txlf"
    assert states(tx) == [
        ("1", "translated", 'state="translated"', 100),
        ("2", "draft", 'state="needs-review-translation"', 75),
        ("3", "locked", 'state="translated" gs4tr:locked="true"', None),
    ]
    assert states(read_bilingual(CAT / "article.xlf")) == [
        ("1", "translated", 'state="translated"', None),
        ("2", "mt", 'state="needs-review-translation" state-qualifier="mt-suggestion"', None),
        ("3", "approved", 'state="translated" approved="yes"', None),
    ]


def test_po_entries_plurals_context_fuzzy_obsolete():
    bf = read_bilingual(CAT / "messages.po")
    assert (bf.format, bf.src_lang, bf.tgt_lang, dict(bf.skipped)) == ("po", None, "de", {"obsolete": 1})
    assert [(u.id, u.source, u.target, u.line, u.state) for u in bf.units] == [
        ("Open file", "Open file", "Datei öffnen", 8, "translated"),
        ("menu|Open file", "Open file", "Datei auf", 12, "fuzzy"),
        ("%d file[0]", "%d file", "%d Datei", 17, "translated"),
        ("%d file[1]", "%d files", "%d Dateien", 17, "translated"),
        ("Untranslated", "Untranslated", "", 22, "new"),
    ]


def test_po_malformed_names_the_line(tmp_path):
    path = tmp_path / "bad.po"
    path.write_text('msgid "a"\nmsgstr "b\nfoo\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_bilingual(path)
    assert info.value.kind == "malformed" and info.value.path == path
    assert info.value.problem.startswith("line 3: not a valid PO file")


def test_xliff12_every_inline_element():
    unit = read_bilingual(CAT / "inline-1.2.xlf").units[0]
    assert unit.source == "A<1>b</1><2/><r1>c</r1><5/><6>d</6><7/><m1>e</m1><8/>"
    assert [(c.kind, c.id, c.element, c.native) for c in unit.source_codes] == [
        ("open", "1", "g", None), ("close", "1", "g", None), ("standalone", "2", "x", None),
        ("open", "r1", "bx", None), ("close", "r1", "ex", None), ("standalone", "5", "ph", "%s"),
        ("open", "6", "bpt", "<i>"), ("close", "6", "ept", "</i>"), ("standalone", "7", "it", "<u>"),
        ("open", "m1", "mrk", None), ("close", "m1", "mrk", None), ("standalone", "8", "ph", '<img alt="alt text"/>'),
    ]
    assert [c.id for c in unit.source_codes] == [c.id for c in unit.target_codes]
    assert_markers(unit)


def test_xliff2_every_inline_element():
    unit = read_bilingual(CAT / "inline-2.xlf").units[0]
    assert unit.target == "A<1>B</1><2/><3>C</3><4/><m1>E</m1><m2>F</m2>"
    assert [(c.kind, c.id, c.element, c.native) for c in unit.target_codes] == [
        ("open", "1", "pc", "<b>"), ("close", "1", "pc", "</b>"), ("standalone", "2", "ph", "<br/>"),
        ("open", "3", "sc", "<i>"), ("close", "3", "ec", "</i>"), ("standalone", "4", "cp", "\x07"),
        ("open", "m1", "mrk", None), ("close", "m1", "mrk", None), ("open", "m2", "sm", None),
        ("close", "m2", "em", None),
    ]
    assert (unit.state, unit.state_detail) == ("reviewed", 'state="reviewed" subState="acme:checked"')
    assert_markers(unit)


def test_gbk_declared_xliff_and_line_numbers():
    bf = read_bilingual(CAT / "gbk.xlf")
    assert [(u.source, u.line) for u in bf.units] == [("腾讯早就在做电商了。", 5), ("拍拍上线时，他宣称永不收费。", 9)]


@pytest.mark.parametrize("encoding", ["GB2312", "Big5", "Shift_JIS", "GBK"])
def test_declared_legacy_encodings(tmp_path, encoding):
    text = {"Big5": "騰訊早就在做電商了。", "Shift_JIS": "テンセントは日本語。"}.get(encoding, "腾讯早就在做电商了。")
    xml = (f'<?xml version="1.0" encoding="{encoding}"?>\n<xliff version="1.2"><file><body>\n'
           f'<trans-unit id="1"><source>{text}</source><target>x</target></trans-unit>\n</body></file></xliff>')
    path = tmp_path / "a.xlf"
    path.write_bytes(xml.encode(encoding))
    assert [(u.source, u.line) for u in read_bilingual(path).units] == [(text, 3)]


def test_gbk_malformed_names_the_line(tmp_path):
    path = tmp_path / "bad.xlf"
    path.write_bytes('<?xml version="1.0" encoding="GBK"?>\n<xliff version="1.2">\n<file>\n<body>腾讯</file>\n</xliff>'
                     .encode("gbk"))
    with pytest.raises(InputError) as info:
        read_bilingual(path)
    assert info.value.kind == "malformed"
    assert info.value.problem.startswith("line 4, column"), info.value.problem


@pytest.mark.parametrize("suffix", [".xml", ".txt", ".dat"])
def test_xliff_with_another_extension_is_found_by_its_root(tmp_path, suffix):
    for name in ("article.sdlxliff", "gbk.xlf"):
        path = tmp_path / f"copy{suffix}"
        path.write_bytes((CAT / name).read_bytes())
        assert read_bilingual(path).units == read_bilingual(CAT / name).units


def test_po_found_by_content(tmp_path):
    path = tmp_path / "messages.txt"
    path.write_bytes((CAT / "messages.po").read_bytes())
    assert read_bilingual(path).format == "po"


def test_select_units_default_and_by_state():
    bf = read_bilingual(CAT / "article.sdlxliff")
    kept, skipped = select_units(bf.units)
    assert [u.id for u in kept] == ["a1:2"]
    assert skipped == {"no-translate": 1, "match-100": 1, "locked": 1}
    kept, skipped = select_units(bf.units, {"translated", "locked"})
    assert [u.id for u in kept] == ["a1:1", "a2:3"]
    assert skipped == {"state:no-translate": 1, "state:mt": 1}
    with pytest.raises(ValueError, match="unknown segment state 'done'"):
        select_units(bf.units, ["done"])


def test_generated_file_of_2500_units(tmp_path):
    rows = "".join(f'<trans-unit id="u{i}"><source>句子{i}<g id="1">粗</g><x id="2"/></source>'
                   f'<target state="translated">Satz {i} <g id="1">fett</g><x id="2"/></target></trans-unit>\n'
                   for i in range(2500))
    path = tmp_path / "big.xlf"
    path.write_text('<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
                    f'<file source-language="zh" target-language="de"><body>\n{rows}</body></file></xliff>\n',
                    encoding="utf-8")
    bf = read_bilingual(path)
    assert len(bf.units) == 2500
    last = bf.units[-1]
    assert (last.id, last.target, last.line, last.state) == ("u2499", "Satz 2499 <1>fett</1><2/>", 2502, "translated")
    assert all(len(u.target_codes) == 3 for u in bf.units)


_plain = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")).filter(lambda c: c not in "<&>"),
                 max_size=6)
_inline = st.sampled_from(['<g id="{n}">{t}</g>', '<x id="{n}"/>', '<ph id="{n}">%s</ph>',
                           '<bpt id="{n}">&lt;b&gt;</bpt>{t}<ept id="{n}">&lt;/b&gt;</ept>',
                           '<mrk mtype="term" mid="m{n}">{t}</mrk>', '<it id="{n}" pos="close">x</it>'])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_plain, _inline, _plain), min_size=1, max_size=5))
def test_every_code_span_is_its_marker(tmp_path, pieces):
    body = "".join(a + tpl.format(n=i + 1, t=t) for i, (a, tpl, t) in enumerate(pieces))
    path = tmp_path / "prop.xlf"
    path.write_text(f'<xliff version="1.2"><file><body><trans-unit id="1"><source>{body}</source>'
                    f'<target>{body}</target></trans-unit></body></file></xliff>', encoding="utf-8")
    unit = read_bilingual(path).units[0]
    assert unit.source == unit.target
    assert len(unit.source_codes) >= len(pieces)
    assert_markers(unit)
    starts = [c.span.start for c in unit.source_codes]
    assert starts == sorted(starts)


def test_phrase_origin_in_capitals_later_confirmation_steps_and_its_curly_tags(tmp_path: Path):
    """Phrase exports write the origin as "MT"/"TM" too, record a later workflow step's confirmation as
    m:confirmed="2", and write inline tags as {1>…<1} and {2} in the text: codes, never prose."""
    path = tmp_path / "job.mxliff"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:m="http://www.memsource.com/mxlf/2.0" '
        'version="1.2" m:version="2.17"><file original="a.docx" source-language="en" target-language="de"><body>\n'
        '<group id="0" m:para-id="0"><trans-unit id="j:0" m:trans-origin="MT" m:confirmed="0" m:locked="false">'
        '<source>Click {1>here&lt;1} to go on{2}.</source>'
        '<target>Klicken Sie {1>hier&lt;1}, um fortzufahren{2}.</target>'
        '</trans-unit></group>\n'
        '<group id="1" m:para-id="1"><trans-unit id="j:1" m:trans-origin="TM" m:confirmed="2" m:locked="false">'
        '<source>Save</source><target>Speichern</target></trans-unit></group>\n'
        '</body></file></xliff>\n', encoding="utf-8")
    assert states(read_bilingual(path)) == [("j:0", "mt", 'm:confirmed="0" m:trans-origin="MT"', None),
                                            ("j:1", "reviewed", 'm:confirmed="2" m:trans-origin="TM"', None)]
    from tqcheck import Config, check_paths

    [unit, _] = check_paths([path], Config(states=("all",))).units
    assert [(c.kind, c.id, unit.target.text[c.span.start:c.span.end]) for c in unit.target.codes] == [
        ("open", "1", "{1>"), ("close", "1", "<1}"), ("standalone", "2", "{2}")]
    assert unit.issues == ()
