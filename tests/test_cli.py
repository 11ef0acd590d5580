"""The command line: exit statuses, formats, errors naming files, batches that go on."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tqcheck.cli import ExitStatus, main

SAMPLE = SAMPLES / "wechat-ecommerce.zh-de.mt.txt"
CLEAN = SAMPLES / "mini-programme.de.txt"  # a correct German translation of mini-programme.zh.txt


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_check_sample_json_fails_default_gate_and_says_why(capsys):
    status, out, err = run_cli(capsys, "check", str(SAMPLE), "--format", "json")
    payload = json.loads(out)
    assert status == ExitStatus.GATE_FAILED and err == "tqcheck: 1 of 1 document failed the gate\n"
    assert payload["schema_version"] == "1"
    assert payload["tool"]["name"] == "tqcheck"
    doc = payload["documents"][0]
    assert doc["target"]["path"] == str(SAMPLE)
    assert (doc["src_lang"], doc["tgt_lang"], doc["word_unit"]) == ("zh", "de", "words")
    assert (doc["verdict"], doc["band"], doc["route"]) == ("fail", "poor", "post-edit")
    assert doc["gate"]["reasons"] == [f"score {doc['score']:.2f} is below the passing threshold 90"]
    assert 0 < doc["score"] < 90 and doc["scoring"]["ewc_basis"] == "source"
    assert payload["errors"] == []


def test_clean_translation_passes_default_gate(capsys):
    status, out, err = run_cli(capsys, "check", str(CLEAN), "--format", "json")
    doc = json.loads(out)["documents"][0]
    assert status == ExitStatus.PASSED and err == ""
    assert (doc["score"], doc["verdict"], doc["band"], doc["route"]) == (100.0, "pass", "excellent", "publish")


def test_fail_under_gate_exits_1(capsys):
    status, out, _ = run_cli(capsys, "check", str(SAMPLE), "--format", "json", "--fail-under", "0")
    assert status == ExitStatus.PASSED
    assert json.loads(out)["documents"][0]["verdict"] == "pass"
    status, out, _ = run_cli(capsys, "check", str(CLEAN), "--format", "json", "--fail-under", "100")
    assert status == ExitStatus.PASSED  # a flawless text reaches a threshold of 100


def test_fail_on_major_exits_1_and_none_disables(capsys):
    assert run_cli(capsys, "check", str(SAMPLE), "--fail-under", "0", "--fail-on", "major")[0] == ExitStatus.GATE_FAILED
    assert run_cli(capsys, "check", str(SAMPLE), "--fail-under", "0", "--fail-on", "none")[0] == ExitStatus.PASSED


def test_bad_file_in_batch_is_listed_and_others_checked(capsys, tmp_path):
    empty = tmp_path / "empty.de.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.de.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    status, out, err = run_cli(capsys, "check", str(empty), str(CLEAN), str(binary), "--format", "json")
    payload = json.loads(out)
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR
    assert err.endswith("tqcheck: 2 inputs could not be checked\n")
    assert [d["target"]["path"] for d in payload["documents"]] == [str(CLEAN)]
    assert [(e["path"], e["kind"]) for e in payload["errors"]] == [(str(empty), "empty"), (str(binary), "binary")]
    assert f"tqcheck: error: {empty}: file is empty" in err
    assert f"tqcheck: error: {binary}: looks binary" in err


def test_failed_gate_wins_over_broken_files_and_both_are_said(capsys, tmp_path):
    empty = tmp_path / "empty.de.txt"
    empty.write_bytes(b"")
    status, out, err = run_cli(capsys, "check", str(empty), str(CLEAN), str(SAMPLE), "--format", "json", "-q")
    summary = json.loads(out)["summary"]
    assert status == ExitStatus.GATE_FAILED
    assert err.endswith("tqcheck: 1 of 2 documents failed the gate; 1 input could not be checked\n")
    assert (summary["passed"], summary["failed"], summary["errors"]) == (1, 1, 1)
    assert summary["bands"] == {"excellent": 1, "good": 0, "acceptable": 0, "poor": 1}


def test_missing_file_exits_2_naming_it(capsys, tmp_path):
    missing = tmp_path / "nope.de.txt"
    status, _, err = run_cli(capsys, "check", str(missing))
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR
    assert f"{missing}: no such file" in err


def _bad_invocations() -> list[tuple[str, object]]:
    """(id, build) where build(tmp_path) gives the arguments and the text the one error line must contain."""

    def unreadable(tmp):
        path = tmp / "locked.de.txt"
        path.write_text("Ein Satz.\n", encoding="utf-8")
        path.chmod(0)
        if os.access(path, os.R_OK):
            pytest.skip("this process reads a 0000 file anyway (root)")
        return ["check", str(path)], f"{path}: cannot read: Permission denied"

    def io_error(_tmp):
        mem = Path("/proc/self/mem")  # a regular file whose first read fails (EIO), for root too
        if not mem.is_file():
            pytest.skip("needs Linux's /proc/self/mem")
        return ["check", str(mem)], f"{mem}: cannot read: {os.strerror(errno.EIO)}"

    def empty_folder(tmp):
        (tmp / "empty").mkdir()
        return ["check", str(tmp / "empty")], f"{tmp / 'empty'}: no file to check (folders are searched for"

    def config(text):
        def build(tmp):
            (tmp / "c.toml").write_text(text, encoding="utf-8")
            return ["check", str(SAMPLE), "--config", str(tmp / "c.toml")], f"{tmp / 'c.toml'}"
        return build

    def output(value, message):
        def build(tmp):
            (tmp / "folder").mkdir()
            return ["check", str(CLEAN), "-o", value.format(tmp=tmp)], message.format(tmp=tmp)
        return build

    def plain(*args, message):
        return lambda tmp: ([a.format(tmp=tmp) for a in args], message.format(tmp=tmp))

    return [
        ("no-paths", plain("check", message="Missing argument 'PATHS...'")),
        ("missing-file", plain("check", "{tmp}/nope.de.txt", message="{tmp}/nope.de.txt: no such file or folder")),
        ("path-too-long", plain("check", "{tmp}/" + "a" * 5000 + ".de.txt", message="cannot look it up: File name "
                                "too long")),
        ("path-too-long-with-globs", plain("check", "{tmp}/" + "a" * 5000 + ".de.txt", "--exclude", "x",
                                           message="cannot look it up: File name too long")),
        ("empty-folder", empty_folder),
        ("unreadable-file", unreadable),
        ("read-fails", io_error),
        ("unknown-rule", plain("check", str(SAMPLE), "--select", "TQ999", message="unknown rule 'TQ999'")),
        ("severity-syntax", plain("check", str(SAMPLE), "--severity", "TQ101", message="expected CODE=SEVERITY")),
        ("severity-value", plain("check", str(SAMPLE), "--severity", "TQ101=fatal",
                                 message="invalid severity for TQ101 'fatal'")),
        ("fail-under", plain("check", str(SAMPLE), "--fail-under", "120",
                             message="120.0 is not in the range 0<=x<=100")),
        ("fail-on", plain("check", str(SAMPLE), "--fail-on", "fatal", message="'fatal' is not one of")),
        ("tgt-lang", plain("check", str(SAMPLE), "--tgt-lang", "German",
                           message="tgt-lang must be a lowercase ISO 639 code")),
        ("format", plain("check", str(SAMPLE), "--format", "xml", message="'xml' is not one of")),
        ("jobs", plain("check", str(SAMPLE), "--jobs", "-1", message="-1 is not in the range x>=0")),
        ("state", plain("check", str(SAMPLE), "--state", "bogus", message="invalid segment state 'bogus'")),
        ("state-all-and-more", plain("check", str(SAMPLE), "--state", "all,mt", message="invalid segment state")),
        ("max-size-unit", plain("check", str(SAMPLE), "--max-size", "10XB",
                                message="Invalid value for '--max-size': invalid size '10XB'")),
        ("max-size-negative", plain("check", str(SAMPLE), "--max-size", "-1", message="invalid size '-1'")),
        ("max-size-words", plain("check", str(SAMPLE), "--max-size", "ten megabytes",
                                 message="invalid size 'ten megabytes'")),
        ("max-size-huge", plain("check", str(SAMPLE), "--max-size", "9" * 400 + "GB", message="too large")),
        ("config-missing", plain("check", str(SAMPLE), "--config", "{tmp}/none.toml",
                                 message="{tmp}/none.toml: no such configuration file")),
        ("config-invalid-toml", config("fail_under = [\n")),
        ("config-unknown-key", config("fail_undr = 90\n")),
        ("config-bad-max-size", config('max_size = "lots"\n')),
        ("config-and-no-config", plain("check", str(SAMPLE), "--config", "x.toml", "--no-config",
                                       message="--config and --no-config cannot be combined")),
        ("source-with-folder", plain("check", str(SAMPLES), "--source", str(SAMPLE),
                                     message="--source applies to exactly one target file")),
        ("manifest-missing", plain("check", str(SAMPLE), "--manifest", "{tmp}/m.csv", message="does not exist")),
        ("glossary-missing", plain("check", str(SAMPLE), "--glossary", "{tmp}/g.csv", message="does not exist")),
        ("output-missing-folder", output("{tmp}/no/r.json", "the folder {tmp}/no does not exist")),
        ("output-parent-is-file", output(str(CLEAN) + "/r.json", f"{CLEAN} is a file, not a folder")),
        ("output-name-too-long", output("{tmp}/" + "r" * 300 + ".json", "is 305 bytes long")),
        ("output-folder", output("{tmp}/folder", "{tmp}/folder: is a folder")),
        ("output-device", output("/dev/null", "/dev/null: is a character device")),
        ("output-is-the-target", output(str(CLEAN), f"{CLEAN}: is a file this run checks")),
        ("output-is-the-source", output(str(SAMPLES / "mini-programme.zh.txt"), "is the source of")),
        ("explain-ambiguous", plain("explain", "TQ5", message="names 6 rules")),
        ("unknown-command", plain("nonsense", message="No such command")),
    ]


@pytest.mark.parametrize(("build",), [(b,) for _, b in _bad_invocations()], ids=[i for i, _ in _bad_invocations()])
def test_bad_invocations_exit_2_with_one_line_and_no_traceback(capsys, tmp_path, build):
    """Every ordinary mistake: exit 2 (never 3), one line that names the problem, no traceback."""
    args, message = build(tmp_path)
    try:
        status, _, err = run_cli(capsys, *args)
    finally:
        for path in tmp_path.iterdir():
            path.chmod(0o755)
    assert "Traceback" not in err and "internal error" not in err
    naming = [line for line in err.splitlines() if message in line]
    assert len(naming) == 1, err
    assert naming[0].startswith(("tqcheck: error: ", "Error: ")), err
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR, err


def test_max_size_option_reaches_the_config_and_wins_over_the_file(capsys, tmp_path):
    """--max-size takes 10MB, 500KB, a number of bytes or 0 (no limit); the report records the bytes."""
    (tmp_path / "tqcheck.toml").write_text('max_size = "1KB"\n', encoding="utf-8")
    article = tmp_path / "a.de.txt"
    article.write_text("Das ist ein kurzer Artikel über den Handel in China.\n", encoding="utf-8")
    for args, expected in [((), 1024), (("--max-size", "500KB"), 500 * 1024), (("--max-size", "10MB"), 10 * 1024 ** 2),
                           (("--max-size", "0"), 0), (("--max-size", "2048"), 2048)]:
        status, out, err = run_cli(capsys, "check", str(article), "--format", "json", *args)
        assert status == ExitStatus.PASSED, err
        assert json.loads(out)["config"]["max_size"] == expected
    status, out, _ = run_cli(capsys, "check", str(CLEAN), "--format", "json", "--no-config")
    assert json.loads(out)["config"]["max_size"] == 10 * 1024 ** 2


def test_nothing_to_check_is_an_error_unless_globs_narrowed_it(capsys, tmp_path):
    """An empty folder is a mistake (exit 2, before any work); globs that match nothing can be normal (a note)."""
    (tmp_path / "notes.md").write_text("# Notizen\n", encoding="utf-8")
    status, out, err = run_cli(capsys, "check", str(tmp_path), "--format", "json")
    assert (status, out) == (ExitStatus.USAGE_OR_INPUT_ERROR, "")
    assert err.startswith(f"tqcheck: error: {tmp_path}: no file to check (") and err.count("\n") == 1
    (tmp_path / "a.de.txt").write_text("Das ist ein kurzer Artikel über den Handel in China.\n", encoding="utf-8")
    status, out, err = run_cli(capsys, "check", str(tmp_path), "--format", "json", "--include", "*.xlf")
    assert status == ExitStatus.PASSED and json.loads(out)["documents"] == []
    assert err == ("tqcheck: note: --include/--exclude (or include/exclude in the configuration file) leave no file "
                   "to check\n")


def test_text_report_has_no_colour_when_not_a_tty(capsys):
    status, out, _ = run_cli(capsys, "check", str(CLEAN), "--ignore", "TQ1,TQ3")
    assert status == ExitStatus.PASSED
    assert "\x1b[" not in out
    assert "score " in out and "PASS" in out and "signature: tqcheck:" in out


def test_text_report_colour_forced(capsys):
    _, out, _ = run_cli(capsys, "check", str(SAMPLE), "--color")
    assert "\x1b[" in out


def test_output_file_written_atomically(capsys, tmp_path):
    target = tmp_path / "report.json"
    status, out, _ = run_cli(capsys, "check", str(CLEAN), "--format", "json", "-o", str(target))
    assert status == ExitStatus.PASSED and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["documents"]
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_severity_override_changes_score(capsys):
    _, base, _ = run_cli(capsys, "check", str(SAMPLE), "--format", "json", "--select", "TQ5")
    _, relaxed, _ = run_cli(capsys, "check", str(SAMPLE), "--format", "json", "--select", "TQ5",
                            "--severity", "TQ501=info,TQ504=info")
    base_doc, relaxed_doc = json.loads(base)["documents"][0], json.loads(relaxed)["documents"][0]
    assert relaxed_doc["score"] > base_doc["score"]
    assert {i["severity"] for i in relaxed_doc["issues"] if i["code"] in {"TQ501", "TQ504"}} == {"info"}


def test_rules_lists_every_rule_and_explain_shows_doc(capsys):
    from tqcheck.rules import REGISTRY

    status, out, _ = run_cli(capsys, "rules")
    assert status == 0 and [line.split()[0] for line in out.splitlines()] == list(REGISTRY)
    status, out, _ = run_cli(capsys, "explain", "literal-calque")
    assert status == 0 and out.startswith("TQ101 literal-calque") and "Bad:" in out and "Good:" in out
    status, out, _ = run_cli(capsys, "explain", "TQ405")
    figures = out.split("Measured precision", 1)[1]
    assert re.search(r"en-de \(segments\): \d+ of \d+ findings on a human-marked error: precision 0\.\d\d "
                     r"against a chance level of 0\.\d\d", figures)
    assert "bench/precision.py" in figures


def test_python_dash_m_and_help_do_not_import_heavy_modules():
    """`tqcheck --help` and a rules-only check import neither torch nor comet, nor the web stack or Ray."""
    heavy = "('torch', 'comet', 'transformers', 'fastapi', 'uvicorn', 'pydantic', 'ray')"
    code = (
        "import sys; from tqcheck.cli import main; "
        f"main(['check', {str(SAMPLE)!r}, '--format', 'json']); "
        f"bad = [m for m in {heavy} if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    help_run = subprocess.run([sys.executable, "-m", "tqcheck", "--help"], check=True, capture_output=True, text=True)
    assert "check" in help_run.stdout and "rules" in help_run.stdout


def test_jsonl_streams_a_line_per_document_then_the_summary(capsys, tmp_path):
    """--format jsonl: document lines, an error line for the broken file, the summary last; all schema-valid."""
    from tqcheck.schema import validate_jsonl_line

    broken = tmp_path / "broken.de.txt"
    broken.write_bytes(b"\x00\x01\x02" * 50)
    status, out, err = run_cli(capsys, "check", str(SAMPLES), str(broken), "--format", "jsonl")
    lines = [json.loads(line) for line in out.splitlines()]
    for line in lines:
        validate_jsonl_line(line)
    # The samples include failing articles: the failed gate decides the status, the broken file is still said.
    assert status == ExitStatus.GATE_FAILED and f"{broken}: looks binary" in err
    assert err.endswith("tqcheck: 3 of 4 documents failed the gate; 1 input could not be checked\n")
    types = [line["type"] for line in lines]
    assert sorted(types[:-1]) == ["document"] * 4 + ["error"]
    assert next(line for line in lines if line["type"] == "error")["path"] == str(broken)
    assert lines[-1]["type"] == "summary" and lines[-1]["summary"]["documents"] == 4
    assert lines[-1]["summary"]["errors"] == 1


def test_malformed_bilingual_files_exit_2_naming_file_and_line_while_others_finish(capsys, tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text('{"src": "腾讯早就在做电商了。", "mt": "Tencent ist seit langem im E-Commerce tätig."}\n',
                    encoding="utf-8")
    bad_jsonl = tmp_path / "bad.jsonl"
    bad_jsonl.write_text('{"src": "a", "mt": "b"}\n{"src": "c", "mt": \n', encoding="utf-8")
    bad_xliff = tmp_path / "bad.xlf"
    bad_xliff.write_text('<?xml version="1.0"?>\n<xliff version="1.2">\n<file source-language="zh" '
                         'target-language="de"><body>\n<trans-unit id="1"><source>a</source>\n</body></file></xliff>\n',
                         encoding="utf-8")
    status, out, err = run_cli(capsys, "check", str(good), str(bad_jsonl), str(bad_xliff), "--format", "json",
                               "--src-lang", "zh", "--tgt-lang", "de")
    payload = json.loads(out)
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR
    assert [[u["id"] for u in d["units"]] for d in payload["documents"]] == [["1"]]
    errors = {e["path"]: e for e in payload["errors"]}
    assert errors[str(bad_jsonl)]["kind"] == "malformed" and "line 2" in errors[str(bad_jsonl)]["message"]
    assert errors[str(bad_xliff)]["kind"] == "malformed" and "line 5" in errors[str(bad_xliff)]["message"]
    assert f"tqcheck: error: {bad_jsonl}: line 2" in err


def test_internal_error_exits_3_with_a_plain_message(capsys, monkeypatch):
    """A bug outside any file's check is not a gate result: exit 3 and say so."""
    import tqcheck.batch

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(tqcheck.batch, "check_paths", broken)
    status, _, err = run_cli(capsys, "check", str(SAMPLE))
    assert status == ExitStatus.INTERNAL_ERROR
    assert "ZeroDivisionError: boom" in err and "tqcheck: internal error" in err


def test_errors_about_files_with_undecodable_or_hostile_names_stay_one_clean_line(tmp_path: Path):
    """A Latin-1 file name and a name holding a line break and an escape sequence: stderr stays valid UTF-8, one
    line per error, the bytes shown escaped (no forged "tqcheck: error:" line, no terminal control)."""
    import os
    import subprocess
    import sys

    folder = os.fsencode(tmp_path)
    latin = folder + b"/caf\xe9.de.txt"
    with open(latin, "wb") as handle:
        handle.write(b"\x00\x01 binary")
    hostile = tmp_path / "x\ntqcheck: error: forged\x1b]0;owned\x07.de.txt"
    hostile.write_bytes(b"\x00 binary too")
    done = subprocess.run([sys.executable, "-m", "tqcheck", "check", os.fsdecode(latin), str(hostile), "--no-config"],
                          capture_output=True, check=False)
    assert done.returncode == 2
    err = done.stderr.decode("utf-8")  # strict: raises if a raw surrogate or a stray byte got through
    lines = err.splitlines()
    assert any(line.endswith("caf\\xe9.de.txt: looks binary (contains NUL bytes) (tqcheck reads plain text, JSONL, "
                             "TSV, XLIFF and TMX)") for line in lines)
    assert sum(line.startswith("tqcheck: error:") for line in lines) == 2
    assert "\x1b" not in err and "x\\ntqcheck: error: forged\\x1b]0;owned\\x07.de.txt" in err


def test_a_run_walks_its_folders_once(monkeypatch, tmp_path, capsys):
    """The plan made before the run (to check --output against the inputs) is the plan the run uses."""
    import tqcheck.readers.pairing as pairing

    scanned = []
    scan = pairing._scan
    monkeypatch.setattr(pairing, "_scan", lambda folder: scanned.append(folder) or scan(folder))
    assert main(["check", str(SAMPLES), "--no-config", "-q", "--format", "json", "-o", str(tmp_path / "r.json")]) \
        in (ExitStatus.PASSED, ExitStatus.GATE_FAILED)
    assert scanned == [SAMPLES]
