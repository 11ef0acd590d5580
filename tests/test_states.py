"""Segment states in a run: which units of a CAT file are checked (--state, `states`), and saying so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tqcheck import Config, check_paths
from tqcheck.cli import ExitStatus, main
from tqcheck.errors import ConfigError

CAT = ROOT / "tests" / "data" / "cat"
SDLXLIFF = CAT / "article.sdlxliff"


def run_json(capsys, *args: str) -> tuple[int, dict, str]:
    status = main(["check", *args, "--format", "json", "--fail-under", "0"])
    out, err = capsys.readouterr()
    return status, json.loads(out), err


def test_default_skips_locked_untranslatable_and_exact_matches_and_says_so():
    """Of the Trados file's four segments, only the MT draft is checked; the note names what was left out."""
    [file] = check_paths([SDLXLIFF]).documents
    assert [unit.target.unit for unit in file.units] == ["a1:2"]
    assert (file.unit_count, dict(file.skipped)) == (4, {"locked": 1, "match-100": 1, "no-translate": 1})
    assert file.notes[0] == ("3 of 4 units of this file not checked (1 locked, 1 match-100, 1 no-translate); "
                             "--state all checks every unit")


def test_state_all_checks_every_unit_and_state_selects(capsys):
    _, every, _ = run_json(capsys, str(SDLXLIFF), "--state", "all")
    [file] = every["documents"]
    assert [u["id"] for u in file["units"]] == ["s0", "a1:1", "a1:2", "a2:3"]
    assert (file["format"], file["unit_count"], file["skipped"]) == ("sdlxliff", 4, {})
    assert not any("not checked" in note for note in file["notes"])
    _, drafts, _ = run_json(capsys, str(SDLXLIFF), "--state", "mt")
    assert [u["id"] for d in drafts["documents"] for u in d["units"]] == ["a1:2"]
    assert drafts["config"]["states"] == ["mt"]
    assert drafts["documents"][0]["notes"][0].endswith("--state chooses which states are checked")


def test_a_file_with_nothing_to_check_says_why(capsys):
    status, report, _ = run_json(capsys, str(SDLXLIFF), "--state", "final")
    [doc] = report["documents"]
    assert status == ExitStatus.PASSED and doc["units"] == [] and doc["issues"] == []
    assert (doc["score"], doc["verdict"], doc["route"]) == (100, "pass", "publish")
    assert doc["notes"] == ["4 of 4 units of this file not checked (1 state:locked, 1 state:mt, 1 state:no-translate, "
                            "1 state:translated); --state chooses which states are checked",
                            "no unit of this file was checked"]


def test_inline_codes_reach_the_checked_documents():
    """The reader's codes travel with each unit's target and source Documents."""
    [doc] = check_paths([SDLXLIFF], Config(states=("translated",))).units
    assert doc.target.text == "Hier <1>klicken</1>, um fortzufahren<2/>."
    assert [(c.kind, c.id, doc.target.text[c.span.start:c.span.end]) for c in doc.target.codes] == [
        ("open", "1", "<1>"), ("close", "1", "</1>"), ("standalone", "2", "<2/>")]
    assert [c.id for c in doc.source.codes] == ["1", "1", "2"]


@pytest.mark.parametrize("states", [("done",), ("all", "mt"), ()])
def test_invalid_states_are_refused(states):
    with pytest.raises(ConfigError, match="invalid segment state"):
        Config(states=states)


def test_unknown_state_on_the_command_line_and_in_the_file_exit_2(capsys, tmp_path: Path):
    assert main(["check", str(SDLXLIFF), "--state", "done"]) == ExitStatus.USAGE_OR_INPUT_ERROR
    assert "invalid segment state 'done'" in capsys.readouterr()[1]
    config = tmp_path / "tqcheck.toml"
    config.write_text('states = ["mt", "signed"]\n', encoding="utf-8")
    assert main(["check", str(SDLXLIFF), "--config", str(config)]) == ExitStatus.USAGE_OR_INPUT_ERROR
    assert f"{config}: 'states': invalid segment state 'signed'" in capsys.readouterr()[1]


def test_json_carries_each_units_text_line_state_and_codes(capsys):
    _, report, _ = run_json(capsys, str(SDLXLIFF), "--state", "all")
    [file] = report["documents"]
    assert file["target"] | {"path": None} == {
        "path": None, "lang": "de", "encoding": "utf-8", "unit": None, "text": None, "line": None, "state": None,
        "state_detail": None, "match": None}
    unit = next(u for u in file["units"] if u["id"] == "a1:1")
    assert {k: unit[k] for k in ("id", "line", "state", "state_detail", "match", "source", "target")} == {
        "id": "a1:1", "line": 18, "state": "translated", "state_detail": 'sdl:conf="Translated" origin="tm"',
        "match": 100, "source": "点击<1>这里</1>继续<2/>。", "target": "Hier <1>klicken</1>, um fortzufahren<2/>."}
    [issue] = [i for i in file["issues"] if i["unit"] == "a1:2"]
    # Offsets point into the unit's text; file_line/file_column into the file (the target's mrk on line 18).
    assert (issue["code"], issue["start"], issue["end"], issue["line"], issue["column"]) == ("TQ203", 0, 13, 1, 1)
    assert (issue["file_line"], issue["file_column"], issue["file_end_line"], issue["file_end_column"]) == (
        18, 170, 18, 183)
    assert [(c["start"], c["end"], c["kind"], c["id"], c["native"]) for c in unit["codes"]] == [
        (5, 8, "open", "1", "<b>"), (15, 19, "close", "1", "</b>"), (36, 40, "standalone", "2", "<br/>")]


def test_trados_memoq_and_plain_xliff_give_the_same_findings():
    """The same content in three CAT formats: the same units, texts and issues (codes, spans, messages)."""
    def findings(path: Path) -> list[tuple]:
        return [(d.target.text, [(i.code, i.span.start, i.span.end, i.message) for i in d.issues])
                for d in check_paths([path], Config(states=("all",))).units]

    plain = findings(CAT / "article.xlf")
    assert any(issues for _, issues in plain)
    # The Trados file also holds a structure unit of one tag and no text (translate="no"): nothing to report.
    assert findings(CAT / "article.sdlxliff") == [("", []), *plain]
    assert findings(CAT / "article.mqxliff") == plain  # memoQ's "ger-DE" is German


# --- cross-unit consistency ------------------------------------------------------------------------------

def _units_of_example(example: str) -> list[tuple[str, str]]:
    """ "(unit 1) Save => Speichern; (unit 2) Save as => Speichern unter" → [(source, target), ...]"""
    pairs = []
    for part in example.split("; "):
        source, _, target = part.split(") ", 1)[1].partition(" => ")
        pairs.append((source, target))
    return pairs


@pytest.mark.parametrize("code", ["TQ303", "TQ304"])
def test_cross_unit_rules_fire_on_their_bad_example_once_and_not_on_the_good_one(code, tmp_path: Path):
    from tqcheck.rules import REGISTRY

    rule = REGISTRY[code]
    assert rule.info.needs_units
    for field, expected in (("Bad", 1), ("Good", 0)):
        [example] = rule.field(field)
        path = tmp_path / f"{code}-{field}.jsonl"
        path.write_text("".join(json.dumps({"src": s, "mt": t}) + "\n" for s, t in _units_of_example(example)),
                        encoding="utf-8")
        docs = check_paths([path], Config(src_lang="en", tgt_lang="de")).units
        found = [(d.target.unit, i.code) for d in docs for i in d.issues]
        assert found == ([("2", code)] if expected else []), (field, found)


XLIFF_FILE = """<?xml version="1.0" encoding="utf-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="app" source-language="en" target-language="de" datatype="plaintext"><body>
  <trans-unit id="save"><source>Save</source><target>Speichern</target></trans-unit>
  <trans-unit id="deleted"><source>The file %s was deleted.</source><target>Die Datei wurde gelöscht.</target></trans-unit>
  <trans-unit id="count"><source>You have {0} new messages.</source><target>Sie haben neue Nachrichten.</target></trans-unit>
  <trans-unit id="bold"><source>Click <g id="1">here</g> to continue.</source><target>Klicken Sie hier, um fortzufahren.</target></trans-unit>
  <trans-unit id="save-again"><source>Save</source><target>Sichern</target></trans-unit>
  <trans-unit id="fine"><source>Open the <g id="2">settings</g>.</source><target>Öffnen Sie die <g id="2">Einstellungen</g>.</target></trans-unit>
 </body></file>
</xliff>
"""  # noqa: E501


def test_one_file_with_four_kinds_of_damage_reports_each_once_at_its_place(tmp_path: Path):
    path = tmp_path / "app.xlf"
    path.write_text(XLIFF_FILE, encoding="utf-8")
    docs = check_paths([path]).units
    found = [(d.target.unit, i.code, d.target.text[i.span.start:i.span.end]) for d in docs for i in d.issues]
    assert found == [
        ("deleted", "TQ806", "wurde"),
        ("count", "TQ806", "neue"),
        ("bold", "TQ801", "Sie hier, um"),
        ("save-again", "TQ303", "Sichern"),
    ]
    [tq303] = [i for d in docs for i in d.issues if i.code == "TQ303"]
    assert tq303.message == ("The same source is translated as «Speichern» in 1 other unit of this file "
                             "(e.g. unit save).")


def test_text_html_and_sarif_show_each_units_line_and_state():
    from tqcheck.reports import render

    report = check_paths([SDLXLIFF], Config(states=("all",)))
    text = render(report, "text", width=200)
    assert text.startswith(f"{SDLXLIFF}  (sdlxliff, zh→de, 4 units, 11 words)\n")
    # Only units with issues get a block; its issue is located in the file (line 18, column 170).
    assert "  unit a1:2 (line 18, state mt)  ·  1 minor  ·  route light-review\n" in text
    assert f"TQ203 pivot-language-name  {SDLXLIFF}:18:170 (unit a1:2)  accuracy/untranslated" in text
    assert "unit a1:1" not in text and "  3 of 4 checked units have no issues" in text
    assert text.count("\n  score ") == 1 and "  route post-edit  ·  units: 3 publish, 1 light-review," in text
    html = render(report, "html")
    assert '<td class="uid">a2:3</td><td class="num">28</td>' in html
    assert '>locked <span class="match">87 %</span></td>' in html
    sarif = json.loads(render(report, "sarif"))
    [result] = [r for r in sarif["runs"][0]["results"] if r["properties"]["unit"] == "a1:2"]
    assert (result["properties"]["unitLine"], result["properties"]["unitState"], result["properties"]["unitMatch"]) \
        == (18, "mt", 0)
