"""Baselines: `tqcheck baseline FILE PATHS…` records the findings; `check --baseline FILE` reports only new ones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES
from tests.test_suppress import assert_valid_sarif, run_cli
from tqcheck.cli import ExitStatus, main
from tqcheck.fingerprint import FINGERPRINT_KEY

ARTICLE = "live-commerce.zh-de.mt.txt"  # six planted major errors, one of them TQ701 '271 Millionen'
CODES = ["TQ201", "TQ702", "TQ701", "TQ707", "TQ708", "TQ703"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / ".git").mkdir(parents=True)
    (root / "articles").mkdir()
    for name in (ARTICLE, "live-commerce.zh.txt", "mini-programme.de.txt", "mini-programme.zh.txt"):
        shutil.copy(SAMPLES / name, root / "articles" / name)
    return root


def record(capsys, project: Path, *extra: str) -> tuple[int, str, dict]:
    baseline = project / "tqcheck-baseline.json"
    status, out, err = run_cli(capsys, "baseline", str(baseline), str(project / "articles"), *extra)
    assert not out  # nothing on stdout: the baseline goes to its file
    return status, err, json.loads(baseline.read_text(encoding="utf-8"))


def check(capsys, project: Path, fmt: str = "json", *extra: str) -> tuple[int, dict]:
    status, out, err = run_cli(capsys, "check", str(project / "articles"), "--format", fmt,
                               "--baseline", str(project / "tqcheck-baseline.json"), *extra)
    assert out, err
    return status, json.loads(out)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_baseline_records_sarif_fingerprints_per_file(project: Path, capsys):
    """The file holds, per checked file (relative to its folder), exactly the SARIF report's fingerprints."""
    status, err, data = record(capsys, project)
    assert status == ExitStatus.PASSED  # recording is not gating: the article fails the gate, the baseline is written
    assert f"tqcheck: baseline: 6 findings of 2 files written to {project / 'tqcheck-baseline.json'}" in err
    assert set(data) == {"tqcheck_baseline", "tool", "fingerprint", "findings", "files"}
    assert (data["tqcheck_baseline"], data["fingerprint"], data["findings"]) == (1, FINGERPRINT_KEY, 6)
    assert list(data["files"]) == [f"articles/{ARTICLE}", "articles/mini-programme.de.txt"]
    assert data["files"]["articles/mini-programme.de.txt"] == []
    _, out, _ = run_cli(capsys, "check", str(project / "articles"), "--format", "sarif")
    sarif = json.loads(out)["runs"][0]["results"]
    assert sorted(r["partialFingerprints"][FINGERPRINT_KEY] for r in sarif) == data["files"][f"articles/{ARTICLE}"]


def test_check_with_the_baseline_reports_and_gates_only_new_findings(project: Path, capsys):
    record(capsys, project)
    status, report = check(capsys, project)
    assert status == ExitStatus.PASSED  # the legacy findings no longer gate
    doc = next(d for d in report["documents"] if d["target"]["path"].endswith(ARTICLE))
    assert (doc["issues"], doc["baselined"], doc["suppressed"], doc["verdict"]) == ([], 6, [], "pass")
    assert (report["summary"]["baselined"], report["summary"]["suppressed"]) == (6, 0)
    assert report["config"]["baseline"] == str((project / "tqcheck-baseline.json").resolve())
    _, out, _ = run_cli(capsys, "check", str(project / "articles" / ARTICLE), "--baseline",
                        str(project / "tqcheck-baseline.json"))
    assert "  6 findings in the baseline, not shown (only new findings are)\n" in out and "TQ701" not in out


def test_findings_survive_an_edit_above_them_and_a_new_one_is_new(project: Path, capsys):
    """A paragraph inserted at the top moves every finding down two lines: all six still match the baseline, and
    the one new finding (the inserted sentence has no source) is reported, marked new in SARIF, and gates."""
    record(capsys, project)
    edit(project / "articles" / ARTICLE, "", "Dieser Absatz wurde nachträglich oben eingefügt.\n\n")
    status, report = check(capsys, project, "json", "--fail-on", "major")
    assert status == ExitStatus.GATE_FAILED  # the new major finding gates; the six old ones did not
    doc = next(d for d in report["documents"] if d["target"]["path"].endswith(ARTICLE))
    assert [(i["code"], i["line"], i["text"]) for i in doc["issues"]] == [
        ("TQ703", 1, "Dieser Absatz wurde nachträglich oben eingefügt.")]
    assert doc["baselined"] == 6
    _, sarif = check(capsys, project, "sarif")
    assert_valid_sarif(sarif)
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["baselineState"]) for r in results] == [("TQ703", "new")]


def test_a_fixed_finding_leaves_the_baseline_count_and_a_changed_one_is_new(project: Path, capsys):
    record(capsys, project)
    edit(project / "articles" / ARTICLE, "271 Millionen", "217 Millionen")  # fixed
    edit(project / "articles" / ARTICLE, "malt man der Schlange Beine", "malt man der Schlange Beine, sagt man")
    status, report = check(capsys, project)
    doc = next(d for d in report["documents"] if d["target"]["path"].endswith(ARTICLE))
    # The idiom's context changed within a few words: it is a new finding (someone touched that sentence).
    assert [i["code"] for i in doc["issues"]] == ["TQ708"] and doc["baselined"] == 4
    assert status == ExitStatus.PASSED  # one major finding in 600 words stays above the threshold


def test_baseline_in_tqcheck_toml_is_relative_to_its_folder(project: Path, capsys, monkeypatch):
    record(capsys, project)
    (project / "tqcheck.toml").write_text('baseline = "tqcheck-baseline.json"\n', encoding="utf-8")
    monkeypatch.chdir(project / "articles")
    status, out, err = run_cli(capsys, "check", ".", "--format", "json")
    report = json.loads(out)
    assert status == ExitStatus.PASSED and report["summary"]["baselined"] == 6, err


def test_suppressed_findings_are_not_recorded(project: Path, capsys):
    """A suppression removed later brings its finding back as new: the baseline never hid it."""
    (project / "tqcheck.toml").write_text('[[suppress]]\nrule = "TQ701"\nreason = "r"\n', encoding="utf-8")
    _, _, data = record(capsys, project)
    assert data["findings"] == 5
    status, report = check(capsys, project)
    assert status == ExitStatus.PASSED
    assert (report["summary"]["baselined"], report["summary"]["suppressed"]) == (5, 1)
    (project / "tqcheck.toml").unlink()
    _, report = check(capsys, project)
    doc = next(d for d in report["documents"] if d["target"]["path"].endswith(ARTICLE))
    assert [i["code"] for i in doc["issues"]] == ["TQ701"] and doc["baselined"] == 5


def test_recording_ignores_an_existing_baseline(project: Path, capsys):
    record(capsys, project)
    (project / "tqcheck.toml").write_text('baseline = "tqcheck-baseline.json"\n', encoding="utf-8")
    _, _, data = record(capsys, project)
    assert data["findings"] == 6


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such baseline file (write one with: tqcheck baseline"),
    ("{not json", "not a tqcheck baseline (not valid JSON"),
    ('{"files": {}}', "not a tqcheck baseline (no 'tqcheck_baseline' version)"),
    ('{"tqcheck_baseline": 9, "fingerprint": "tqcheckSpan/v1", "files": {}}', "baseline format 9 is not supported"),
    ('{"tqcheck_baseline": 1, "fingerprint": "other/v7", "files": {}}', "baseline fingerprints are 'other/v7'"),
    ('{"tqcheck_baseline": 1, "fingerprint": "tqcheckSpan/v1", "files": {"a": [1]}}',
     "'files' must map file names to lists of fingerprints"),
])
def test_a_missing_or_corrupt_baseline_is_an_error_naming_it(project: Path, capsys, content: str | None,
                                                             message: str):
    baseline = project / "tqcheck-baseline.json"
    if content is not None:
        baseline.write_text(content, encoding="utf-8")
    status, out, err = run_cli(capsys, "check", str(project / "articles"), "--baseline", str(baseline))
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and not out
    assert err.startswith(f"tqcheck: error: {baseline}: ") and message in err and "Traceback" not in err


def test_baseline_never_overwrites_an_input(project: Path, capsys):
    article = project / "articles" / ARTICLE
    before = article.read_bytes()
    status, _, err = run_cli(capsys, "baseline", str(article), str(project / "articles"))
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and "a file this run checks" in err
    assert article.read_bytes() == before
    record(capsys, project)
    baseline = project / "tqcheck-baseline.json"
    kept = baseline.read_bytes()
    status, _, err = run_cli(capsys, "check", str(project / "articles"), "--baseline", str(baseline),
                             "-o", str(baseline))
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and "the baseline of this run" in err
    assert baseline.read_bytes() == kept


def test_an_unreadable_input_is_reported_and_the_rest_recorded(project: Path, capsys):
    (project / "articles" / "broken.de.txt").write_bytes(b"\x00\x01\x02binary")
    status, err, data = record(capsys, project)
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR
    assert "broken.de.txt" in err and "; 1 input could not be checked (not recorded)" in err
    assert data["findings"] == 6


def test_baseline_of_a_bilingual_file_matches_its_units(tmp_path: Path, capsys):
    """A CAT file is one entry of the baseline (its fingerprints name their units, as SARIF's do)."""
    (tmp_path / ".git").mkdir()
    xliff = tmp_path / "article.sdlxliff"
    shutil.copy(ROOT / "tests" / "data" / "cat" / "article.sdlxliff", xliff)
    baseline = tmp_path / "b.json"
    assert main(["baseline", str(baseline), str(xliff)]) == ExitStatus.PASSED
    capsys.readouterr()
    assert list(json.loads(baseline.read_text(encoding="utf-8"))["files"]) == ["article.sdlxliff"]
    status, out, err = run_cli(capsys, "check", str(xliff), "--baseline", str(baseline), "--format", "json")
    doc = json.loads(out)["documents"][0]
    assert (doc["issues"], doc["baselined"], status) == ([], 1, ExitStatus.PASSED), err
