"""A bilingual file checked as one document of units: file positions of unit text, the file's score, gate and
route, notes said once, and a file of 2,000 units."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tqcheck import Config, check_paths
from tqcheck.cli import ExitStatus, main
from tqcheck.readers.bilingual import read_bilingual
from tqcheck.types import FileResult

XLIFF_HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n<xliff version="1.2" '
              'xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
              '<file original="app" source-language="en" target-language="de" datatype="plaintext"><body>\n')
XLIFF_TAIL = "</body></file>\n</xliff>\n"


def _file_char(lines: list[str], line: int, column: int) -> str:
    text = lines[line - 1]
    return text[column - 1] if column - 1 < len(text) else "\n"


# Pieces of target content as written in the file: text (Latin, CJK, astral), entities, line breaks, inline tags.
_PIECES = st.lists(st.one_of(
    st.text(st.sampled_from("abcÄöß 点击😀,."), min_size=1, max_size=6),
    st.sampled_from(["&amp;", "&lt;", "&#x41;", "&#128512;", "\n", "\r\n", '<x id="9"/>', '<g id="1">fett</g>',
                     '<ph id="2">&lt;br/&gt;</ph>']),
), min_size=1, max_size=12)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=_PIECES, indent=st.integers(0, 3))
def test_every_character_of_a_unit_text_maps_to_its_place_in_the_file(tmp_path: Path, pieces, indent):
    """Outside inline-code markers, the file has the unit's character at the reported line and column (or the
    entity that stands for it, or the CR of a CRLF the parser made one line feed)."""
    content = "".join(pieces)
    body = (f'{" " * indent}<trans-unit id="u1"><source>Text</source>\n'
            f'{" " * indent}  <target>{content}</target></trans-unit>\n')
    path = tmp_path / "positions.xlf"
    path.write_bytes((XLIFF_HEAD + body + XLIFF_TAIL).encode("utf-8"))
    [unit] = read_bilingual(path).units
    lines = re.split(r"\r\n|\r|\n", path.read_bytes().decode("utf-8"))
    from tqcheck.types import UnitInfo

    info = UnitInfo(unit.line, positions=unit.target_positions)
    in_marker = {i for code in unit.target_codes for i in range(code.span.start, code.span.end)}
    for offset, char in enumerate(unit.target):
        line, column = info.file_position(offset)
        assert line is not None and column is not None
        if offset in in_marker:
            continue
        found = _file_char(lines, line, column)
        assert found == char or found == "&" or (char == "\n" and found == "\n"), (offset, char, found, line, column)
    for code in unit.target_codes:  # a marker stands where its tag starts (or ends, for a closing code)
        line, column = info.file_position(code.span.start)
        assert _file_char(lines, line, column) == "<"


def test_positions_in_gbk_and_utf16_files_count_characters(tmp_path: Path):
    target = "Klicken Sie auf „Speichern“ – 点击保存 Datei Datei."
    body = (f'<trans-unit id="1"><source>Click Save to save the file.</source>\n'
            f' <target>{target}</target></trans-unit>\n')
    for name, data in (
        ("gbk.xlf", (XLIFF_HEAD.replace("utf-8", "GBK") + body + XLIFF_TAIL).encode("gbk", errors="replace")),
        ("utf16.xlf", (XLIFF_HEAD.replace("utf-8", "UTF-16") + body + XLIFF_TAIL).encode("utf-16")),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        [file] = check_paths([path]).documents
        assert isinstance(file, FileResult)
        [unit] = file.units
        [issue] = [i for i in unit.issues if i.code == "TQ601"]
        start = unit.target.text.index("Datei Datei")
        assert unit.target.file_position(issue.span.start) == (5, len(" <target>") + start + 1), name
    assert check_paths([tmp_path / "gbk.xlf"]).documents[0].encoding == "gbk"


def test_formats_without_exact_columns_give_the_unit_line_only(tmp_path: Path):
    path = tmp_path / "units.jsonl"
    path.write_text(json.dumps({"src": "The file.", "mt": "Die Datei."}) + "\n"
                    + json.dumps({"src": "Open the file.", "mt": "Öffnen Sie die Datei Datei."}) + "\n",
                    encoding="utf-8")
    report = check_paths([path], Config(src_lang="en", tgt_lang="de"))
    found = [(u.target.unit, i.code, u.target.file_position(i.span.start)) for u in report.units for i in u.issues]
    assert ("2", "TQ601", (2, None)) in found


def _app_file(units: int) -> tuple[str, dict[int, str]]:
    """An en→de XLIFF of ``units`` clean units, three of them damaged: the codes expected there."""
    damaged = {
        100: ('The file %s was deleted.', 'Die Datei wurde gelöscht.', "TQ806"),
        1500: ('Click <g id="1">here</g> to continue.', 'Klicken Sie hier, um fortzufahren.', "TQ801"),
        1999: ('Open the file again.', 'Öffnen Sie die Datei Datei erneut.', "TQ601"),
    }
    rows = []
    for n in range(units):
        source, target, _ = damaged.get(n, (f"Order {n} was shipped today.", f"Bestellung {n} wurde heute versandt.",
                                            None))
        rows.append(f'<trans-unit id="u{n}"><source>{source}</source><target>{target}</target></trans-unit>\n')
    return XLIFF_HEAD + "".join(rows) + XLIFF_TAIL, {n: code for n, (_, _, code) in damaged.items()}


def test_a_file_of_2000_units_is_one_document_judged_on_all_its_words(tmp_path: Path):
    content, expected = _app_file(2000)
    path = tmp_path / "app.xlf"
    path.write_text(content, encoding="utf-8")
    [file] = check_paths([path]).documents
    assert isinstance(file, FileResult) and (file.format, file.unit_count, len(file.units)) == ("xliff-1.2", 2000, 2000)
    found = [(u.target.unit, i.code) for u, i in file.unit_issues()]
    assert found == [(f"u{n}", code) for n, code in sorted(expected.items())]
    # Each issue's file line is its unit's line: the head takes 3 lines, unit n is on line n + 4.
    for unit, issue in file.unit_issues():
        n = int(unit.target.unit[1:])
        assert unit.target.file_position(issue.span.start)[0] == n + 4
    # A few issues over ~10,000 words: the file passes, though each damaged unit alone would fail.
    assert file.verdict == "pass" and file.band in ("excellent", "good")
    assert all(u.gate.verdict == "fail" for u in file.units if u.issues)
    assert file.scorecard.ewc == sum(u.scorecard.ewc for u in file.units)
    assert file.routing.summary()["publish"]["segments"] == 1997
    assert not any("short text" in note for u in file.units for note in u.notes)
    # The JSON report has one document: the file, its issues naming their units, and every unit's text.
    from tqcheck.batch import build_report
    from tqcheck.reports import render

    payload = json.loads(render(build_report([file], Config()), "json"))
    assert payload["summary"] | {"issues": None, "bands": None, "routes": None, "segments_by_route": None} == {
        "documents": 1, "passed": 1, "failed": 0, "errors": 0, "units": 2000, "issues": None, "bands": None,
        "routes": None, "segments_by_route": None, "suppressed": 0, "baselined": 0}
    [doc] = payload["documents"]
    assert [(i["unit"], i["code"], i["file_line"]) for i in doc["issues"]] == [
        (f"u{n}", code, n + 4) for n, code in sorted(expected.items())]
    assert len(doc["units"]) == 2000 and doc["units"][1999]["target"] == "Öffnen Sie die Datei Datei erneut."


def test_a_critical_unit_fails_its_file_and_notes_shared_by_units_are_said_once(tmp_path: Path, capsys):
    path = tmp_path / "app.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: de\\n"\n\n'
                    'msgid "Open"\nmsgstr "Öffnen"\n\nmsgid "Close"\nmsgstr ""\n\nmsgid "Save"\nmsgstr "Speichern"\n',
                    encoding="utf-8")
    assert main(["check", str(path), "--width", "200"]) == ExitStatus.GATE_FAILED
    out, err = capsys.readouterr()
    assert err.strip().endswith("tqcheck: 1 of 1 document failed the gate")
    assert out.startswith(f"{path}  (po, ?→de, 3 units, 2 words)\n")
    # The unknown source language concerns the two translated units: one note for the file, none per unit.
    assert out.count("source language unknown") == 1
    assert "language-pair packs (calques, false friends, terms) not loaded; set --src-lang (2 of 3 units)" in out
    assert f"TQ712 missing-translation  {path}:8 (unit Close)  accuracy/untranslated" in out


def test_the_languages_of_a_file_are_judged_once_on_all_its_units(tmp_path: Path):
    """Source and target swapped in a whole file: one note for the file (judged on the units together, as a unit
    of a few words says nothing), none per unit."""
    pairs = [("Die Bestellung wurde heute versandt.", "The order was shipped today."),
             ("Wir danken Ihnen für Ihre Geduld.", "We thank you for your patience."),
             ("Der Kundendienst ist rund um die Uhr erreichbar.", "Customer service is available around the clock."),
             ("Bitte prüfen Sie Ihre E-Mail-Adresse.", "Please check your email address.")]
    path = tmp_path / "swapped.jsonl"
    path.write_text("".join(json.dumps({"src": s, "mt": t}) + "\n" for s, t in pairs), encoding="utf-8")
    [file] = check_paths([path], Config(src_lang="en", tgt_lang="de")).documents
    assert [n for n in file.notes if "swapped" in n] == [
        "source and target look swapped: the source reads as 'de', the target as 'en'"]
    assert not any("swapped" in n for u in file.units for n in u.notes)
