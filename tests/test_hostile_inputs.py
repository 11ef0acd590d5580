"""Hostile or merely unusual inputs: each is read correctly or refused with a clear InputError, never a crash.

Deep nesting (inline codes, groups), lone surrogates through XLIFF 2 ``<cp>``, declared encodings, JSON that
Python's json module refuses (5,000-digit numbers, 100,000 nested arrays), manifests with huge fields or paths,
and folders that cannot be listed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tqcheck.errors import InputError
from tqcheck.readers.bilingual import read_bilingual
from tqcheck.readers.pairing import pair_inputs, read_manifest
from tqcheck.readers.xmlbase import MAX_DEPTH
from tqcheck.types import FileError

XLIFF1 = ('<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
          '<file source-language="zh" target-language="de" original="a"><body>\n{units}\n</body></file></xliff>\n')
XLIFF2 = ('<?xml version="1.0"?>\n<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="zh" '
          'trgLang="de"><file id="f">\n{units}\n</file></xliff>\n')
TMX = ('<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="zh" datatype="plaintext" segtype="sentence" '
       'adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/><body>\n{units}\n</body></tmx>\n')


def _unit1(target: str, uid: str = "1") -> str:
    return f'<trans-unit id="{uid}"><source>a</source><target>{target}</target></trans-unit>'


def _unit2(target: str, uid: str = "1") -> str:
    return f'<unit id="{uid}"><segment><source>a</source><target>{target}</target></segment></unit>'


def _tu(target: str) -> str:
    return f'<tu><tuv xml:lang="zh"><seg>a</seg></tuv><tuv xml:lang="de"><seg>{target}</seg></tuv></tu>'


def _nested(open_tag: str, close_tag: str, depth: int, inner: str = "x") -> str:
    return open_tag * depth + inner + close_tag * depth


class Nesting(NamedTuple):
    """A construct nested ``depth`` levels: the file around it, the unit, and the target text and codes read."""

    template: str
    unit: Callable[[int], str]
    target: Callable[[int], str]
    codes: Callable[[int], int]


def _paired(marker: str) -> Callable[[int], str]:
    return lambda d: f"<{marker}>" * d + "x" + f"</{marker}>" * d


NESTINGS = {
    "xliff1-g": Nesting(XLIFF1, lambda d: _unit1(_nested('<g id="1">', "</g>", d)), _paired("1"), lambda d: 2 * d),
    "xliff1-mrk": Nesting(XLIFF1, lambda d: _unit1(_nested('<mrk mtype="term" mid="m">', "</mrk>", d)),
                          _paired("m"), lambda d: 2 * d),
    "xliff1-seg-mrk": Nesting(XLIFF1, lambda d: '<trans-unit id="1"><source>a</source><seg-source>'
                              + _nested('<mrk mtype="seg" mid="1">', "</mrk>", d) + "</seg-source><target>"
                              + _nested('<mrk mtype="seg" mid="1">', "</mrk>", d, "y") + "</target></trans-unit>",
                              lambda d: "y", lambda d: 0),
    "xliff1-extension": Nesting(XLIFF1, lambda d: _unit1(_nested('<o:x xmlns:o="urn:other">', "</o:x>", d)),
                                lambda d: "x", lambda d: 0),
    "xliff1-group": Nesting(XLIFF1, lambda d: _nested("<group>", "</group>", d, _unit1("b")), lambda d: "b",
                            lambda d: 0),
    "xliff2-pc": Nesting(XLIFF2, lambda d: _unit2(_nested('<pc id="1">', "</pc>", d)), _paired("1"),
                         lambda d: 2 * d),
    "xliff2-mrk": Nesting(XLIFF2, lambda d: _unit2(_nested('<mrk id="m">', "</mrk>", d)), _paired("m"),
                          lambda d: 2 * d),
    "xliff2-group": Nesting(XLIFF2, lambda d: _nested('<group id="g">', "</group>", d, _unit2("b")), lambda d: "b",
                            lambda d: 0),
    # <hi> without an x attribute: running ids 1, 2, 3…
    "tmx-hi": Nesting(TMX, lambda d: _tu(_nested("<hi>", "</hi>", d)),
                      lambda d: "".join(f"<{i}>" for i in range(1, d + 1)) + "x"
                      + "".join(f"</{i}>" for i in range(d, 0, -1)), lambda d: 2 * d),
    # <sub> inside <ph> is the native code's text: one standalone code whatever the depth.
    "tmx-sub": Nesting(TMX, lambda d: _tu("<ph>" + _nested("<sub>", "</sub>", d) + "</ph>"), lambda d: "<1/>",
                       lambda d: 1),
}
# Elements around the nesting: xliff/file/body/trans-unit/target (or tmx/body/tu/tuv/seg) and a little spare.
_AROUND = 8


def _write(tmp_path: Path, name: str, depth: int) -> Path:
    nesting = NESTINGS[name]
    path = tmp_path / ("deep.tmx" if nesting.template is TMX else "deep.xlf")
    path.write_text(nesting.template.format(units=nesting.unit(depth)), encoding="utf-8")
    return path


# --- deep nesting ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NESTINGS)
def test_nesting_up_to_the_limit_is_read(tmp_path, name):
    """Nesting just inside the limit reads into one unit whatever the construct (no RecursionError)."""
    depth = MAX_DEPTH - _AROUND
    (unit,) = read_bilingual(_write(tmp_path, name, depth)).units
    assert unit.target == NESTINGS[name].target(depth)
    assert len(unit.target_codes) == NESTINGS[name].codes(depth)


@pytest.mark.parametrize("name", NESTINGS)
def test_nesting_beyond_the_limit_is_malformed_naming_the_line(tmp_path, name):
    """10,000 levels: refused as malformed, at the line of the element that goes too deep, quickly."""
    path = _write(tmp_path, name, 10_000)
    started = time.perf_counter()
    with pytest.raises(InputError) as info:
        read_bilingual(path)
    assert time.perf_counter() - started < 5
    assert info.value.kind == "malformed"
    assert info.value.problem.startswith("line 3, column "), info.value.problem
    assert f"nested deeper than {MAX_DEPTH:,} levels" in info.value.problem


def test_deep_nesting_costs_linear_time(tmp_path):
    """Four times the depth costs about four times the time, not sixteen: inline codes and segment marks."""

    def seconds(depth: int) -> float:
        body = "\n".join(
            f'<trans-unit id="{i}"><source>' + _nested('<g id="1">', "</g>", depth) + "</source><seg-source>"
            + _nested('<mrk mtype="seg" mid="1">', "</mrk>", depth) + "</seg-source><target>"
            + _nested('<mrk mtype="seg" mid="1">', "</mrk>", depth, "y") + "</target></trans-unit>"
            for i in range(6))
        path = tmp_path / f"{depth}.xlf"
        path.write_text(XLIFF1.format(units=body), encoding="utf-8")
        started = time.perf_counter()
        assert len(read_bilingual(path).units) == 6
        return time.perf_counter() - started

    seconds(50)  # warm up
    shallow, deep = min(seconds(240) for _ in range(2)), min(seconds(960) for _ in range(2))
    assert deep < 8 * shallow + 0.2, (shallow, deep)


def test_many_segments_in_one_trans_unit_cost_linear_time(tmp_path):
    """Trados states of 4,000 segments of one unit: each sdl:seg is found by id, not by a walk of the unit."""

    def seconds(count: int) -> float:
        marks = "".join(f'<mrk mtype="seg" mid="{i}">s{i}</mrk>' for i in range(count))
        defs = "".join(f'<sdl:seg id="{i}" conf="Translated"/>' for i in range(count))
        unit = (f'<trans-unit id="a" xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0"><source>x</source>'
                f"<seg-source>{marks}</seg-source><target>{marks}</target><sdl:seg-defs>{defs}</sdl:seg-defs>"
                "</trans-unit>")
        path = tmp_path / f"{count}.sdlxliff"
        path.write_text(XLIFF1.format(units=unit), encoding="utf-8")
        started = time.perf_counter()
        units = read_bilingual(path).units
        assert len(units) == count and {u.state for u in units} == {"translated"}
        return time.perf_counter() - started

    seconds(100)  # warm up
    few, many = min(seconds(1_000) for _ in range(2)), min(seconds(4_000) for _ in range(2))
    assert many < 8 * few + 0.2, (few, many)


def test_nested_segment_marks_are_one_segment(tmp_path):
    """A <mrk mtype="seg"> inside another is part of the outer segment's text, not a unit of its own."""
    unit = ('<trans-unit id="t"><source>ab</source><seg-source><mrk mtype="seg" mid="1">a'
            '<mrk mtype="seg" mid="2">b</mrk></mrk></seg-source><target><mrk mtype="seg" mid="1">A'
            '<mrk mtype="seg" mid="2">B</mrk></mrk></target></trans-unit>')
    path = tmp_path / "a.xlf"
    path.write_text(XLIFF1.format(units=unit), encoding="utf-8")
    assert [(u.id, u.source, u.target) for u in read_bilingual(path).units] == [("t", "ab", "AB")]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(sorted(NESTINGS)), depth=st.integers(1, 5_000))
def test_any_nesting_depth_gives_units_or_a_clean_input_error(tmp_path, name, depth):
    path = _write(tmp_path, name, depth)
    try:
        bf = read_bilingual(path)
    except InputError as err:
        assert err.kind == "malformed"
        assert depth > MAX_DEPTH - _AROUND
        assert "nested deeper than" in err.problem
    else:
        assert depth <= MAX_DEPTH
        (unit,) = bf.units
        assert (unit.target, len(unit.target_codes)) == (NESTINGS[name].target(depth), NESTINGS[name].codes(depth))


# --- XLIFF 2 <cp>: code points XML cannot hold ---------------------------------------------------------------


def test_cp_lone_surrogate_is_a_standalone_code_without_native(tmp_path):
    """U+D800 cannot be a character of any encoded text: the code stays, its native is None, reports encode."""
    path = tmp_path / "cp.xlf"
    path.write_text(XLIFF2.format(units=_unit2('b<cp hex="D800"/>c<cp hex="7"/>').replace(
        "<source>a</source>", '<source>a<cp hex="DFFF"/></source>')), encoding="utf-8")
    unit = read_bilingual(path).units[0]
    assert unit.target == "b<1/>c<2/>"
    assert [(c.kind, c.element, c.native) for c in unit.target_codes] == [
        ("standalone", "cp", None), ("standalone", "cp", "\x07")]
    assert [(c.kind, c.element, c.native) for c in unit.source_codes] == [("standalone", "cp", None)]

    from tqcheck.batch import build_report
    from tqcheck.config import Config
    from tqcheck.filecheck import check_file
    from tqcheck.reports.json import render
    from tqcheck.rules import select_rules

    config = Config()
    result = check_file(path, config, select_rules(config.select, config.ignore))
    render(build_report([result], config)).encode("utf-8")  # no lone surrogate reaches the report


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hex_value=st.one_of(st.integers(0, 0x11_0000).map(lambda n: f"{n:X}"),
                           st.integers(0xD800, 0xDFFF).map(lambda n: f"{n:x}"),
                           st.text("0123456789abcdefABCDEF+-_ xyz", max_size=12)))
def test_cp_any_hex_is_a_code_whose_native_encodes(tmp_path, hex_value):
    path = tmp_path / "cp.xlf"
    path.write_text(XLIFF2.format(units=_unit2(f'b<cp hex="{hex_value}"/>')), encoding="utf-8")
    (code,) = read_bilingual(path).units[0].target_codes
    assert (code.kind, code.element) == ("standalone", "cp")
    if code.native is not None:
        assert len(code.native) == 1
        code.native.encode("utf-8")


# --- declared encodings ---------------------------------------------------------------------------------------


def test_gbk_declared_reads_and_reports_the_encoding(tmp_path):
    path = tmp_path / "gbk.xlf"
    path.write_bytes(XLIFF1.replace('version="1.0"?>', 'version="1.0" encoding="GBK"?>')
                     .format(units=_unit1("腾讯").replace("<source>a", "<source>拍拍")).encode("gbk"))
    bf = read_bilingual(path)
    assert bf.encoding == "gbk"
    assert [(u.source, u.target, u.line) for u in bf.units] == [("拍拍", "腾讯", 3)]


def test_gbk_declared_but_not_gbk_is_an_encoding_error_naming_the_line(tmp_path):
    path = tmp_path / "gbk.xlf"
    path.write_bytes(XLIFF1.replace('version="1.0"?>', 'version="1.0" encoding="GBK"?>')
                     .format(units=_unit1("x")).encode("ascii") .replace(b"<target>x", b"<target>\xff\xff"))
    with pytest.raises(InputError) as info:
        read_bilingual(path)
    assert info.value.kind == "encoding"
    assert info.value.problem.startswith("line 3: not valid GBK"), info.value.problem


@pytest.mark.parametrize("codec", ["rot13", "base64", "hex", "zlib", "bz2", "uu", "quopri", "idna", "punycode",
                                   "unicode_escape", "raw_unicode_escape", "undefined"])
def test_declared_codec_that_is_no_character_encoding_is_refused(tmp_path, codec):
    """Python knows these codecs, but no XML file is written in them: an encoding error, not a LookupError."""
    path = tmp_path / "a.xlf"
    path.write_text(XLIFF1.replace('version="1.0"?>', f'version="1.0" encoding="{codec}"?>')
                    .format(units=_unit1("b")), encoding="ascii")
    with pytest.raises(InputError) as info:
        read_bilingual(path)
    assert info.value.kind == "encoding"
    assert info.value.problem.startswith("line 1: "), info.value.problem
    assert codec in info.value.problem


# --- JSON that Python's json module refuses ------------------------------------------------------------------

_GOOD = '{"src": "a", "mt": "b"}'


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"src": "a", "mt": "b", "n": ' + "1" * 5_000 + "}", "integer of 5,000 digits"),
        ('{"src": "a", "mt": "b", "n": -' + "9" * 4_301 + "}", "integer of 4,301 digits"),
        ('{"src": "a", "mt": "b", "n": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ("[" * 100_000, "nested too deeply"),
        ('{"a": ' * 100_000 + "1" + "}" * 100_000, "nested too deeply"),
    ],
    ids=["5000-digits", "negative-4301-digits", "nested-arrays", "only-arrays", "nested-objects"],
)
def test_jsonl_bilingual_refused_json_is_malformed_naming_the_line(tmp_path, line, problem):
    path = tmp_path / "a.jsonl"
    path.write_text(_GOOD + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_bilingual(path)
    assert info.value.kind == "malformed"
    assert info.value.problem.startswith("line 2: "), info.value.problem
    assert problem in info.value.problem
    str(info.value).encode("utf-8")


def test_jsonl_manifest_each_refused_line_is_its_own_error(tmp_path):
    """Lines 2 and 3 are refused by the json module, each reported; lines 1 and 4 are read."""
    (tmp_path / "a.de.txt").write_text("Hallo", encoding="utf-8")
    manifest = tmp_path / "m.jsonl"
    manifest.write_text('{"target": "a.de.txt"}\n{"n": ' + "1" * 5_000 + '}\n' + "[" * 100_000 + "\n"
                        '{"target": "a.de.txt", "tgt_lang": "de"}\n', encoding="utf-8")
    specs, errors = read_manifest(manifest)
    assert len(specs) == 2
    assert [e.message.split(":")[0] for e in errors] == ["line 2", "line 3"]


def test_jsonl_bilingual_long_but_valid_values_are_read_exactly(tmp_path):
    """A 4,300-digit number (Python's limit) in metadata, a 5,000-character id, lone surrogates: kept as is."""
    path = tmp_path / "a.jsonl"
    row = json.dumps({"id": "i" * 5_000, "src": "\udc80a", "mt": "b\ud800\U0001F600", "ref": "\udfff"})
    path.write_text(row.replace("}", ', "n": ' + "7" * 4_300 + "}") + "\n", encoding="utf-8")
    (unit,) = read_bilingual(path).units
    assert (unit.id, unit.source, unit.target, unit.reference) == (
        "i" * 5_000, "\udc80a", "b\ud800\U0001F600", "\udfff")


# --- manifests ----------------------------------------------------------------------------------------------


def _problems(errors: list[FileError]) -> list[tuple[str, str]]:
    for error in errors:
        error.message.encode("utf-8")  # every message can be printed and written to a report
    return [(e.kind, e.message) for e in errors]


def test_jsonl_manifest_hostile_rows_are_errors_and_the_rest_go_on(tmp_path):
    (tmp_path / "a.de.txt").write_text("Hallo", encoding="utf-8")
    manifest = tmp_path / "m.jsonl"
    manifest.write_text("\n".join([
        '{"target": ' + "1" * 5_000 + "}",
        '{"target": ' + "[" * 100_000,
        '{"target": "' + "x" * 5_000 + '.de.txt"}',
        '{"target": "a\\ud800.de.txt"}',
        '{"target": "a\\u0000.de.txt"}',
        '{"target": "a.de.txt"}',
    ]) + "\n", encoding="utf-8")
    specs, errors = read_manifest(manifest)
    assert [s.target for s in specs] == [tmp_path / "a.de.txt"]
    problems = _problems(errors)
    assert [kind for kind, _ in problems] == ["malformed", "malformed", "not-found", "malformed", "malformed"]
    assert [message.split(":")[0] for _, message in problems] == [f"line {n}" for n in range(1, 6)]
    assert "integer of 5,000 digits" in problems[0][1]
    assert "nested too deeply" in problems[1][1]
    assert "5,007 characters" in problems[2][1] and len(problems[2][1]) < 400
    assert "lone surrogate" in problems[3][1]
    assert "NUL" in problems[4][1]


def test_csv_manifest_huge_fields_are_errors_and_the_rest_go_on(tmp_path):
    """A field beyond the csv module's 131,072-character limit, and a 5,000-character path: one error each."""
    (tmp_path / "a.de.txt").write_text("Hallo", encoding="utf-8")
    manifest = tmp_path / "m.csv"
    manifest.write_text("target,source\n" + '"' + "y" * 200_000 + '",\n' + "x" * 5_000 + ".de.txt,\n"
                        + "/".join(["d" * 200] * 30) + ".de.txt,\na.de.txt,\n", encoding="utf-8")
    specs, errors = read_manifest(manifest)
    assert [s.target for s in specs] == [tmp_path / "a.de.txt"]
    problems = _problems(errors)
    assert [(kind, message.split(":")[0]) for kind, message in problems] == [
        ("malformed", "line 2"), ("not-found", "line 3"), ("not-found", "line 4")]
    assert "longer than 131,072 characters" in problems[0][1]
    assert all(len(message) < 400 for _, message in problems)


_CELL = st.one_of(
    st.text(max_size=30),
    st.integers(0, 300_000).map(lambda n: "p" * n),
    st.integers(1, 60).map(lambda n: "/".join(["d" * 200] * n)),
    st.sampled_from(["a.de.txt", "", "..", "/", "a\x00b", "\\ud800", "de", "zh-CN", "1" * 5_000]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(_CELL, _CELL, _CELL), min_size=1, max_size=4), as_jsonl=st.booleans())
def test_any_manifest_rows_give_specs_or_file_errors(tmp_path, rows, as_jsonl):
    (tmp_path / "a.de.txt").write_text("Hallo", encoding="utf-8")
    manifest = tmp_path / ("m.jsonl" if as_jsonl else "m.csv")
    if as_jsonl:
        # Cells starting with a digit go in raw, as JSON numbers (a 5,000-digit one among them).
        def cell(value: str) -> str:
            return value if value[:1].isdigit() else json.dumps(value).replace("\\\\ud800", "\\ud800")

        lines = ["{" + ", ".join(f'"{key}": {cell(value)}' for key, value in zip(
            ("target", "source", "tgt_lang"), row, strict=True)) + "}" for row in rows]
        manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["target", "source", "tgt_lang"])
        writer.writerows([[value.replace("\x00", "") for value in row] for row in rows])
        manifest.write_text(out.getvalue(), encoding="utf-8")
    specs, errors = read_manifest(manifest)
    for error in _problems(errors):
        assert error[0] in {"malformed", "not-found", "unreadable", "empty", "binary", "encoding"}
        assert len(error[1]) < 1_000
    assert all(s.target.is_file() for s in specs)


# --- folders ------------------------------------------------------------------------------------------------


def _deny_listing(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make ``folder`` unlistable: really (chmod 000) when not root, by a failing os.scandir when root."""
    if os.geteuid() != 0:
        folder.chmod(0)  # the test restores it
        return
    real = os.scandir

    def scandir(path=".", *args, **kwargs):
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)


def test_unreadable_folder_is_one_file_error_and_the_rest_go_on(tmp_path, monkeypatch):
    """chmod 000 on a subfolder (simulated when running as root, who reads it anyway)."""
    for name in ("ok/a.de.txt", "locked/b.de.txt", "locked/deeper/c.de.txt", "z.de.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("Hallo", encoding="utf-8")
    locked = tmp_path / "locked"
    _deny_listing(monkeypatch, locked)
    try:
        specs, errors = pair_inputs([tmp_path])
    finally:
        locked.chmod(0o755)
    assert [s.target for s in specs] == [tmp_path / "ok/a.de.txt", tmp_path / "z.de.txt"]
    assert [(e.path, e.kind) for e in errors] == [(locked, "unreadable")]
    assert "Permission denied" in errors[0].message


def test_unreadable_top_folder_is_one_file_error(tmp_path, monkeypatch):
    (tmp_path / "a.de.txt").write_text("Hallo", encoding="utf-8")
    _deny_listing(monkeypatch, tmp_path)
    try:
        specs, errors = pair_inputs([tmp_path])
    finally:
        tmp_path.chmod(0o755)
    assert specs == []
    assert [(e.path, e.kind) for e in errors] == [(tmp_path, "unreadable")]


def test_folder_nested_deeper_than_the_recursion_limit_is_searched(tmp_path):
    """1,100 nested folders (rglob recursed once per level and hit the recursion limit)."""
    deepest = tmp_path
    for _ in range(1_100):  # one level at a time: mkdir(parents=True) recurses once per level
        deepest = deepest / "d"
        deepest.mkdir()
    (deepest / "a.de.txt").write_text("Hallo", encoding="utf-8")
    try:
        specs, errors = pair_inputs([tmp_path])
        assert ([s.target for s in specs], errors) == ([deepest / "a.de.txt"], [])
    finally:
        # Bottom up: shutil.rmtree (pytest's clean-up) recurses once per level too.
        (deepest / "a.de.txt").unlink()
        for folder in [deepest, *deepest.parents][:1_100]:
            folder.rmdir()


def test_path_too_long_for_the_file_system_is_a_file_error(tmp_path):
    long = tmp_path / ("x" * 5_000 + ".de.txt")
    (tmp_path / "a.de.txt").write_text("Hallo", encoding="utf-8")
    specs, errors = pair_inputs([long, tmp_path / "a.de.txt"])
    assert [s.target for s in specs] == [tmp_path / "a.de.txt"]
    assert [(e.kind, e.path) for e in errors] == [("not-found", long)]


def test_a_line_that_crashes_the_sentence_splitter_is_checked_as_any_other(tmp_path, capfd):
    """sentencex panics on a no-break space before a period after an initial (a BaseException from Rust): the
    command checks the file all the same, with nothing on the standard error but the gate's line."""
    from tqcheck.cli import main

    path = tmp_path / "initial.de.txt"
    path.write_text("Herr A\u00a0. Müller sagte, das sei gut.\nDas Team von B\u2003. Schmidt kam später.\n",
                    encoding="utf-8")
    status = main(["check", str(path), "--format", "json", "--no-config"])
    out, err = capfd.readouterr()
    assert status in (0, 1) and json.loads(out)["documents"][0]["routing"]["segments"]
    assert "panicked" not in err and "Traceback" not in err
