"""[[suppress]] entries of tqcheck.toml: matching (rule, text, regex, path, source), counting, gating, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import ROOT, SAMPLES
from tqcheck.cli import ExitStatus, main
from tqcheck.configfile import load_config_file, merge

ARTICLE = "live-commerce.zh-de.mt.txt"  # six planted major errors; TQ701 '271 Millionen' at [1611, 1624), line 7
NUMBER = {"code": "TQ701", "start": 1611, "end": 1624, "text": "271 Millionen"}


def assert_valid_sarif(sarif: dict) -> None:
    """Valid against the OASIS SARIF 2.1.0 schema (the copy tests/test_sarif.py uses)."""
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    errors = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(sarif))
    assert not errors, [e.message for e in errors[:5]]


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def configure(project: Path, toml: str) -> Path:
    path = project / "tqcheck.toml"
    path.write_text(toml, encoding="utf-8")
    return path


def check_json(capsys, project: Path, *args: str) -> tuple[int, dict]:
    status, out, err = run_cli(capsys, "check", str(project / "articles" / ARTICLE), "--format", "json", *args)
    assert out, err
    return status, json.loads(out)


def codes(doc: dict) -> list[str]:
    return [i["code"] for i in doc["issues"]]


def test_suppress_entry_removes_the_finding_counts_it_and_rescores(project: Path, capsys):
    """A rule + exact text entry takes exactly that finding out of the issues, the score and the counts."""
    _, before = check_json(capsys, project)
    configure(project, '[[suppress]]\nrule = "TQ701"\ntext = "271 Millionen"\n'
                       'reason = "checked: the source is wrong"\n')
    _, after = check_json(capsys, project)
    doc, was = after["documents"][0], before["documents"][0]
    assert codes(was) == ["TQ201", "TQ702", "TQ701", "TQ707", "TQ708", "TQ703"]
    assert codes(doc) == ["TQ201", "TQ702", "TQ707", "TQ708", "TQ703"]
    assert doc["suppressed"] == [{**NUMBER, "unit": None, "rule": "number-mismatch", "severity": "major", "line": 7,
                                  "column": 499, "reason": "checked: the source is wrong", "entry": 1}]
    assert (was["penalty"], doc["penalty"]) == (30.0, 25.0)
    assert doc["counts"]["major"] == 5 and doc["baselined"] == 0
    assert (after["summary"]["suppressed"], after["summary"]["issues"]["major"]) == (1, 5)
    assert after["config"]["suppress"] == [{"rule": "TQ701", "text": "271 Millionen", "regex": None, "path": None,
                                            "source": None, "reason": "checked: the source is wrong"}]


@pytest.mark.parametrize(("entry", "suppressed"), [
    ('rule = "number-mismatch"', True),                             # by name
    ('rule = "TQ7"\ntext = "271 Millionen"', True),                 # by prefix
    ('rule = "TQ702"\ntext = "271 Millionen"', False),              # another rule
    ('rule = "TQ701"\ntext = "271 millionen"', False),              # text is exact
    ('rule = "TQ701"\nregex = "27\\\\d Millionen"', True),          # regex over the whole span
    ('rule = "TQ701"\nregex = "271"', False),                       # ... never a part of it
    ('rule = "TQ701"\npath = "*.mt.txt"', True),                    # a name glob
    ('rule = "TQ701"\npath = "articles/*.txt"', True),              # a glob from the config's folder
    ('rule = "TQ701"\npath = "drafts/*.txt"', False),
    ('rule = "TQ701"\nsource = "2.17亿"', True),                    # the finding's source span
    ('rule = "TQ701"\nsource = "直播带货"', False),                  # in the source, not linked to this finding
    ('rule = "TQ708"\nsource = "画蛇添足"\ntext = "malt man der Schlange Beine"', True),
])
def test_suppress_entry_keys_narrow_what_matches(project: Path, capsys, entry: str, suppressed: bool):
    configure(project, f'[[suppress]]\n{entry}\nreason = "r"\n')
    _, report = check_json(capsys, project)
    doc = report["documents"][0]
    assert len(doc["suppressed"]) == (1 if suppressed else 0)
    assert len(doc["issues"]) == (5 if suppressed else 6)


def test_suppress_source_matches_the_aligned_source_sentence(project: Path, capsys):
    """An issue without a source span of its own (TQ201) is linked to the source sentence it is aligned with."""
    configure(project, '[[suppress]]\nrule = "TQ201"\nsource = "直播带货"\nreason = "the term is kept in Chinese"\n')
    _, report = check_json(capsys, project)
    assert [(s["code"], s["text"]) for s in report["documents"][0]["suppressed"]] == [("TQ201", "直播带货")]


def test_suppressing_every_finding_passes_the_gate(project: Path, capsys):
    """Suppressed findings never gate: the exit status follows the findings that are left."""
    status, _ = check_json(capsys, project)
    assert status == ExitStatus.GATE_FAILED
    entries = "".join(f'[[suppress]]\nrule = "{code}"\nreason = "legacy"\n'
                      for code in ("TQ201", "TQ702", "TQ701", "TQ707", "TQ708", "TQ703"))
    configure(project, entries)
    status, report = check_json(capsys, project)
    doc = report["documents"][0]
    assert status == ExitStatus.PASSED and doc["verdict"] == "pass" and doc["score"] == 100
    assert [s["entry"] for s in doc["suppressed"]] == [1, 2, 3, 4, 5, 6]
    assert report["summary"]["suppressed"] == 6 and report["summary"]["passed"] == 1


def test_the_first_matching_entry_wins(project: Path, capsys):
    configure(project, '[[suppress]]\nrule = "TQ2"\nreason = "first"\n'
                       '[[suppress]]\nrule = "TQ201"\nreason = "second"\n')
    _, report = check_json(capsys, project)
    assert [(s["code"], s["entry"], s["reason"]) for s in report["documents"][0]["suppressed"]] == [
        ("TQ201", 1, "first")]


def test_text_report_says_how_many_were_suppressed_and_why(project: Path, capsys):
    configure(project, '[[suppress]]\nrule = "TQ701"\nreason = "source typo"\n'
                       '[[suppress]]\nrule = "TQ708"\nreason = "house style"\n'
                       '[[suppress]]\nrule = "TQ703"\nreason = "house style"\n')
    _, out, _ = run_cli(capsys, "check", str(project / "articles" / ARTICLE))
    assert "  3 findings suppressed by [[suppress]] entries ('house style' ×2, 'source typo')\n" in out
    assert "271 Millionen" not in out.split("findings suppressed")[0]


def test_sarif_carries_suppressed_findings_as_externally_suppressed_results(project: Path, capsys):
    configure(project, '[[suppress]]\nrule = "TQ701"\nreason = "source typo"\n')
    _, out, _ = run_cli(capsys, "check", str(project / "articles" / ARTICLE), "--format", "sarif")
    sarif = json.loads(out)
    assert_valid_sarif(sarif)
    results = sarif["runs"][0]["results"]
    held = [r for r in results if "suppressions" in r]
    assert [r["ruleId"] for r in results] == ["TQ201", "TQ702", "TQ701", "TQ707", "TQ708", "TQ703"]
    assert [r["ruleId"] for r in held] == ["TQ701"]
    assert held[0]["suppressions"] == [{"kind": "external", "status": "accepted", "justification": "source typo",
                                        "properties": {"entry": 1}}]
    assert held[0]["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == "271 Millionen"
    assert all("baselineState" not in r for r in results)


def test_worker_processes_apply_the_same_suppressions(project: Path, capsys):
    """--jobs 2 (spawned workers get the config by pickle) reports exactly what one process does."""
    shutil.copy(SAMPLES / "wechat-ecommerce.zh-de.mt.txt", project / "articles")
    shutil.copy(SAMPLES / "wechat-ecommerce.zh.txt", project / "articles")
    configure(project, '[[suppress]]\nrule = "TQ7"\nregex = "[0-9].*"\nreason = "numbers checked by hand"\n'
                       '[[suppress]]\nrule = "TQ710"\ntext = "Verkehr"\nreason = "house term"\n')
    outs = []
    for jobs in ("1", "2"):
        _, out, _ = run_cli(capsys, "check", str(project / "articles"), "--format", "json", "--jobs", jobs)
        outs.append(out)
    assert outs[0] == outs[1]
    report = json.loads(outs[0])
    reasons = sorted({s["reason"] for d in report["documents"] for s in d["suppressed"]})
    assert reasons == ["house term", "numbers checked by hand"]
    assert report["summary"]["suppressed"] == sum(len(d["suppressed"]) for d in report["documents"]) > 2


def test_library_merge_carries_suppressions_to_every_caller(project: Path):
    """What the service and library callers build from tqcheck.toml (configfile.merge) suppresses the same."""
    from tqcheck import check

    toml = configure(project, '[[suppress]]\nrule = "TQ701"\npath = "articles/*"\nreason = "r"\n')
    config = merge(load_config_file(toml), {}).config
    result = check(project / "articles" / ARTICLE, project / "articles" / "live-commerce.zh.txt", config=config)
    assert [(s.issue.code, s.entry) for s in result.suppressed] == [("TQ701", 1)]
    assert "TQ701" not in [i.code for i in result.issues]


@pytest.mark.parametrize(("toml", "message"), [
    ('[[suppress]]\nrule = "TQ701"\n',
     "[[suppress]] entry 1: 'reason' is required (say why the finding is not an error"),
    ('[[suppress]]\nrule = "TQ701"\nreason = "  "\n', "[[suppress]] entry 1: 'reason' is required"),
    ('[[suppress]]\nreason = "r"\n', "[[suppress]] entry 1: 'rule' is required"),
    ('[[suppress]]\nrule = "TQ701"\nreason = "r"\n[[suppress]]\nrule = "TQ701"\nreason = "r"\ntxt = "x"\n',
     "[[suppress]] entry 2: unknown key 'txt' (did you mean 'text'?)"),
    ('[[suppress]]\nrule = "TQ999"\nreason = "r"\n', "[[suppress]] entry 1: 'rule': unknown rule 'TQ999'"),
    ('[[suppress]]\nrule = "TQ701"\nregex = "(unclosed"\nreason = "r"\n',
     "[[suppress]] entry 1: 'regex' is not a valid regular expression: missing ), unterminated subpattern"),
    ('[[suppress]]\nrule = "TQ701"\ntext = "a"\nregex = "a"\nreason = "r"\n',
     "[[suppress]] entry 1: give 'text' (the exact span) or 'regex', not both"),
    ('[[suppress]]\nrule = "TQ701"\ntext = 3\nreason = "r"\n', "[[suppress]] entry 1: 'text' must be a string"),
    ('suppress = "TQ701"\n', "'suppress' must be an array of tables ([[suppress]] entries)"),
    ('suppress = ["TQ701"]\n', "[[suppress]] entry 1: must be a table"),
])
def test_bad_suppress_entries_are_errors_naming_the_file_and_entry(project: Path, capsys, toml: str, message: str):
    path = configure(project, toml)
    status, out, err = run_cli(capsys, "check", str(project / "articles" / ARTICLE))
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and not out
    assert err.startswith(f"tqcheck: error: {path}: ") and message in err
    assert "Traceback" not in err


def test_an_entry_that_matched_nothing_is_noted(project: Path, capsys):
    """A stale entry (the text was fixed, or the entry has a typo) is said on stderr, not silently kept."""
    configure(project, '[[suppress]]\nrule = "TQ701"\nreason = "used"\n'
                       '[[suppress]]\nrule = "TQ701"\ntext = "217 Millionen"\nreason = "stale"\n')
    status, _, err = run_cli(capsys, "check", str(project / "articles" / ARTICLE), "--format", "json")
    assert status == ExitStatus.GATE_FAILED
    assert "tqcheck: note: [[suppress]] entry 2 (TQ701: stale) matched no finding in this run\n" in err
    assert "entry 1" not in err
    _, _, err = run_cli(capsys, "check", str(project / "articles" / ARTICLE), "--quiet")
    assert "matched no finding" not in err


def test_bilingual_file_findings_are_suppressed_by_unit_text(tmp_path: Path, capsys):
    """A finding in a unit of a CAT file is matched by the file's path and the unit's span text, and names its unit."""
    (tmp_path / ".git").mkdir()
    shutil.copy(ROOT / "tests" / "data" / "cat" / "article.sdlxliff", tmp_path / "article.sdlxliff")
    configure(tmp_path, '[[suppress]]\nrule = "TQ203"\ntext = "Double Eleven"\npath = "*.sdlxliff"\n'
                        'reason = "the campaign keeps its English name"\n')
    status, out, _ = run_cli(capsys, "check", str(tmp_path / "article.sdlxliff"), "--format", "json")
    doc = json.loads(out)["documents"][0]
    assert doc["issues"] == [] and doc["verdict"] == "pass" and status == ExitStatus.PASSED
    assert [(s["unit"], s["code"], s["text"], s["line"], s["column"]) for s in doc["suppressed"]] == [
        ("a1:2", "TQ203", "Double Eleven", 1, 1)]


def test_the_service_applies_its_configuration_s_suppressions(project: Path):
    """`tqcheck serve` merges its tqcheck.toml for every request: its [[suppress]] entries apply there too."""
    pytest.importorskip("fastapi", reason="the service needs the [serve] extra")
    from tqcheck.service import Service, ServiceSettings
    from tqcheck.service.state import CheckRequest

    toml = configure(project, '[[suppress]]\nrule = "doubled-word"\ntext = "the the"\nreason = "quoted as written"\n')
    service = Service(ServiceSettings(file_values=load_config_file(toml), config_file=toml))
    try:
        result = service.check_text(CheckRequest(target="Sales on the the platform doubled.", tgt_lang="en"))
    finally:
        service.close()
    assert [(s.issue.code, s.reason, s.entry) for s in result.suppressed] == [("TQ601", "quoted as written", 1)]
    assert result.issues == ()


def test_ray_workers_function_applies_suppressions_and_the_baseline(project: Path, capsys):
    """What a Ray task runs (distributed.check_batch, with the config pickled as Ray ships it) suppresses and
    holds back exactly what the local run does."""
    import pickle

    from tqcheck.batch import plan
    from tqcheck.distributed import check_batch, spec_rows

    toml = configure(project, '[[suppress]]\nrule = "TQ701"\nreason = "r"\n')
    baseline = project / "b.json"
    assert main(["baseline", str(baseline), str(project / "articles"), "--select", "TQ708,TQ701"]) == 0
    capsys.readouterr()
    toml.write_text('baseline = "b.json"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    config = merge(load_config_file(toml), {}).config
    specs, _ = plan([project / "articles"], config)
    rows = spec_rows(specs)
    out = check_batch({"index": [r["index"] for r in rows], "spec": [r["spec"] for r in rows]},
                      pickle.loads(pickle.dumps(config)))
    [result] = pickle.loads(out["results"][0])
    assert [(s.issue.code, s.by) for s in result.suppressed] == [("TQ701", "config"), ("TQ708", "baseline")]
    assert [i.code for i in result.issues] == ["TQ201", "TQ702", "TQ707", "TQ703"]


def test_pyproject_tool_tqcheck_suppress_tables_work(project: Path, capsys):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[[tool.tqcheck.suppress]]\nrule = "TQ701"\n'
                                            'reason = "from pyproject"\n', encoding="utf-8")
    _, report = check_json(capsys, project)
    assert [(s["code"], s["reason"]) for s in report["documents"][0]["suppressed"]] == [("TQ701", "from pyproject")]


def test_batch_text_summary_totals_what_was_left_out(project: Path, capsys):
    shutil.copy(SAMPLES / "mini-programme.de.txt", project / "articles")
    configure(project, '[[suppress]]\nrule = "TQ7"\nreason = "r"\n')
    _, out, _ = run_cli(capsys, "check", str(project / "articles"))
    assert "findings left out: 5 suppressed by [[suppress]] entries, 0 in the baseline\n" in out
