"""Batches: worker processes with deterministic order, include/exclude globs, bad files, summary, progress."""

from __future__ import annotations

import itertools
import json
import os
import pickle
import shutil
import sys
from pathlib import Path

import pytest

from tests import qe_fixtures
from tests.conftest import ROOT, SAMPLES
from tqcheck import Config, check_paths, iter_results
from tqcheck import batch as batch_module
from tqcheck.batch import effective_jobs, glob_match, plan
from tqcheck.cli import ExitStatus, main
from tqcheck.errors import TqcheckError
from tqcheck.qe import QEConfig
from tqcheck.types import Document, DocumentResult, FileError

qe_models = qe_fixtures.qe_models  # the session fixture that builds tiny checkpoints


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """A folder of many kinds of input: samples with sources, paired folders, bilingual files, bad files."""
    root = tmp_path / "batch"
    shutil.copytree(SAMPLES, root / "samples", ignore=shutil.ignore_patterns("*.md"))
    shutil.copytree(ROOT / "tests" / "data" / "pairing" / "tree", root / "tree")
    shutil.copytree(ROOT / "tests" / "data" / "bilingual", root / "bilingual")
    write(root / "bad" / "empty.de.txt", b"")
    write(root / "bad" / "image.de.txt", bytes(range(256)) * 4)
    return root


def names(results: list[DocumentResult | FileError], root: Path) -> list[str]:
    return [str((r.path if isinstance(r, FileError) else r.target.path).relative_to(root)) for r in results]


# -- determinism and robustness with worker processes ---------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_jobs_2_report_equals_jobs_1(batch: Path, capsys, fmt):
    """The report of --jobs 2 is byte for byte the one of --jobs 1, errors included: JSON, collected in this
    process, and JSON Lines, whose lines the worker processes render."""
    status_1, out_1, err_1 = run_cli(capsys, "check", str(batch), "--format", fmt, "--jobs", "1")
    status_2, out_2, err_2 = run_cli(capsys, "check", str(batch), "--format", fmt, "--jobs", "2")
    # The batch has failing articles and unreadable files: the failed gate decides the status.
    assert out_2 == out_1 and err_2 == err_1 and status_2 == status_1 == ExitStatus.GATE_FAILED
    summary = json.loads(out_1) if fmt == "json" else json.loads(out_1.splitlines()[-1])
    assert summary["summary"]["documents"] >= 10 and summary["summary"]["errors"] >= 2


def test_broken_file_among_several_with_jobs_2(batch: Path, capsys):
    """An unreadable file is listed (stdout and stderr), the others are checked, exit status 2."""
    folder = batch / "samples"
    binary = write(folder / "broken.de.txt", bytes(range(256)) * 4)
    status, out, err = run_cli(capsys, "check", str(folder), "--format", "json", "--jobs", "2", "--fail-under", "0")
    report = json.loads(out)
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR
    assert [(e["path"], e["kind"]) for e in report["errors"]] == [(str(binary), "binary")]
    assert len(report["documents"]) == 4
    assert f"tqcheck: error: {binary}: looks binary" in err


def test_iter_results_same_order_for_any_jobs(batch: Path):
    """The library yields the same results in the same order with 1 and 2 workers; progress counts up."""
    config = Config(tgt_lang="de")
    seen: list[tuple[int, int]] = []
    serial = list(iter_results([batch / "samples", batch / "tree"], config, jobs=1))
    parallel = list(iter_results([batch / "samples", batch / "tree"], config, jobs=2,
                                 progress=lambda done, total: seen.append((done, total))))
    assert parallel == serial
    total = seen[0][1]
    assert seen == [(done, total) for done in range(total + 1)]


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers forked from this process, so that they see a monkeypatched ``check`` (spawn re-imports)."""
    monkeypatch.setattr(batch_module, "_START_METHOD", "fork")


def _failing_check(real, bad_name: str, how: str):
    def check(target, *args, **kwargs):
        path = target.path if isinstance(target, Document) else Path(target)
        if path is not None and path.name == bad_name:
            if how == "raise":
                raise ZeroDivisionError("boom")
            os._exit(13)  # a worker that dies (segfault, out of memory) rather than raising
        return real(target, *args, **kwargs)

    return check


@pytest.mark.parametrize("jobs", [1, 2])
def test_exception_while_checking_becomes_internal_error(batch: Path, monkeypatch, forked, jobs: int):
    """An unexpected exception costs its file only: a FileError of kind internal naming the exception."""
    failing = _failing_check(batch_module.check, "live-commerce.zh-de.mt.txt", "raise")
    monkeypatch.setattr(batch_module, "check", failing)
    results = list(iter_results([batch / "samples"], jobs=jobs))
    errors = [r for r in results if isinstance(r, FileError)]
    assert len(errors) == 1 and errors[0].kind == "internal"
    assert errors[0].path.name == "live-commerce.zh-de.mt.txt"
    assert "ZeroDivisionError: boom" in errors[0].message and "_failing_check" not in errors[0].message
    assert len([r for r in results if isinstance(r, DocumentResult)]) == 3
    assert names(results, batch / "samples") == [
        "douyin-live-commerce.zh-en.mt.txt", "live-commerce.zh-de.mt.txt", "mini-programme.de.txt",
        "wechat-ecommerce.zh-de.mt.txt"]


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_worker_that_dies_costs_its_file_only(batch: Path, monkeypatch, forked):
    """A worker process that exits mid-batch: its file is an internal error, every other file is checked."""
    expected = list(iter_results([batch / "samples", batch / "tree"], Config(tgt_lang="de"), jobs=1))
    monkeypatch.setattr(batch_module, "check", _failing_check(batch_module.check, "mini-programme.de.txt", "exit"))
    results = list(iter_results([batch / "samples", batch / "tree"], Config(tgt_lang="de"), jobs=2))
    died = [r for r in results if isinstance(r, FileError) and r.kind == "internal"]
    assert [e.path.name for e in died] == ["mini-programme.de.txt"] and "worker process" in died[0].message
    assert [r for r in results if r not in died] == [
        r for r in expected if not (isinstance(r, DocumentResult) and r.target.path.name == "mini-programme.de.txt")]


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_workers_dying_on_every_file_stop_the_run(batch: Path, monkeypatch, forked):
    """Workers that cannot check anything stop the run with advice, not thousands of file errors."""
    monkeypatch.setattr(batch_module, "check", lambda *args, **kwargs: os._exit(13))
    with pytest.raises(TqcheckError, match=r"worker processes died on 3 files in a row .*; try --jobs 1"):
        list(iter_results([batch / "samples"], jobs=2))


def test_unknown_rule_fails_before_starting_workers(batch: Path, capsys):
    status, out, err = run_cli(capsys, "check", str(batch / "samples"), "--select", "TQ999", "--jobs", "2")
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and out == "" and "unknown rule 'TQ999'" in err


def test_run_level_error_in_worker_is_raised(batch: Path, tmp_path: Path, capsys):
    """A malformed rule pack is the run's error, not a file's: exit 2 naming the pack, as with --jobs 1."""
    pack = write(tmp_path / "pack" / "de" / "furniture.tsv", "not\ta\tvalid\theader\n").parent.parent
    status_1, _, err_1 = run_cli(capsys, "check", str(batch / "samples"), "--pack", str(pack))
    status_2, _, err_2 = run_cli(capsys, "check", str(batch / "samples"), "--pack", str(pack), "--jobs", "2")
    assert status_1 == status_2 == ExitStatus.USAGE_OR_INPUT_ERROR
    assert err_1 == err_2 and str(pack) in err_1


def test_effective_jobs():
    assert effective_jobs(3, Config()) == 3
    assert effective_jobs(0, Config()) == len(os.sched_getaffinity(0))
    assert effective_jobs(4, Config(), targets=1) == 1
    assert effective_jobs(4, Config(qe=QEConfig())) == 1  # one model in one process


def test_config_survives_pickling_for_workers():
    config = Config(src_lang="zh", severity_overrides={"TQ101": "info"}, include=("*.de.txt",), packs=("p",))
    assert pickle.loads(pickle.dumps(config)) == config


# -- include / exclude ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*.de.txt", "a/x.de.txt", True),
        ("*.de.txt", "a/x.zh.txt", False),
        ("drafts", "drafts/x.txt", True),
        ("drafts", "a/drafts/x.txt", True),
        ("drafts", "a/drafts-old/x.txt", False),
        ("news/*.txt", "news/a.txt", True),
        ("news/*.txt", "news/2024/a.txt", False),
        ("news/**", "news/2024/a.txt", True),
        ("news", "news/2024/a.txt", True),
        ("/news", "x/news/a.txt", False),
        ("news/2024", "news/2024/a.txt", True),
        ("**/old/*.txt", "a/b/old/x.txt", True),
        ("**/old/*.txt", "old/x.txt", True),
        ("x?.txt", "x1.txt", True),
        ("x?.txt", "x12.txt", False),
        ("[!a]*.txt", "b.txt", True),
        ("[!a]*.txt", "a.txt", False),
        ("*.TXT", "a.txt", False),
    ],
)
def test_glob_match(pattern: str, path: str, expected: bool):
    assert glob_match(pattern, tuple(path.split("/"))) is expected


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    text = "Das ist ein kurzer Artikel über den Handel.\n"
    for name in ("one.de.txt", "drafts/two.de.txt", "news/2024/three.de.txt", "news/four.txt", "notes.md"):
        write(root / name, text)
    return root


@pytest.mark.parametrize(
    ("options", "checked"),
    [
        ((), ["drafts/two.de.txt", "news/2024/three.de.txt", "news/four.txt", "one.de.txt"]),
        (("--exclude", "drafts"), ["news/2024/three.de.txt", "news/four.txt", "one.de.txt"]),
        (("--include", "*.de.txt"), ["drafts/two.de.txt", "news/2024/three.de.txt", "one.de.txt"]),
        (("--include", "news/**", "--exclude", "2024"), ["news/four.txt"]),
        (("--include", "*.md"), []),  # only text and bilingual files are ever found in folders
    ],
)
def test_include_exclude_globs(tree: Path, capsys, options: tuple[str, ...], checked: list[str]):
    """Globs match paths relative to the folder given, and are recorded in the report's config."""
    status, out, _ = run_cli(capsys, "check", str(tree), "--format", "json", "--tgt-lang", "de", *options)
    report = json.loads(out)
    assert [str(Path(d["target"]["path"]).relative_to(tree)) for d in report["documents"]] == checked
    assert status == ExitStatus.PASSED and report["errors"] == []
    for option in ("include", "exclude"):
        assert report["config"][option] == [v for k, v in itertools.pairwise(options) if k == f"--{option}"]


def test_file_named_directly_is_checked_even_if_excluded(tree: Path):
    config = Config(tgt_lang="de", exclude=("drafts",))
    specs, _ = plan([tree, tree / "drafts" / "two.de.txt"], config)
    assert [s.target.relative_to(tree).as_posix() for s in specs] == [
        "drafts/two.de.txt", "news/2024/three.de.txt", "news/four.txt", "one.de.txt"]


def test_include_exclude_from_config_file(tree: Path, capsys):
    write(tree / "tqcheck.toml", 'exclude = ["news"]\ntgt_lang = "de"\nformat = "json"\n')
    _, out, _ = run_cli(capsys, "check", str(tree))
    assert [Path(d["target"]["path"]).name for d in json.loads(out)["documents"]] == ["two.de.txt", "one.de.txt"]


def test_exclude_drops_errors_of_excluded_files(tree: Path):
    write(tree / "drafts" / "broken.de.txt", b"")
    assert [e.path.name for e in check_paths([tree], Config(tgt_lang="de")).errors] == ["broken.de.txt"]
    assert check_paths([tree], Config(tgt_lang="de", exclude=("drafts",))).errors == ()


# -- text summary, progress bar, QE --------------------------------------------------------------------------


def test_text_report_ends_with_summary(batch: Path, capsys):
    """A batch's text report closes with totals, the worst documents and issues by severity and category."""
    # Wide enough that no summary line wraps (temporary paths are long; test_text_layout tests the wrapping).
    status, out, _ = run_cli(capsys, "check", str(batch / "samples"), str(batch / "bad"), "--fail-under", "60",
                             "--width", "1000")
    summary = out[out.index("\nsummary\n"):]
    assert status == ExitStatus.GATE_FAILED
    assert "4 documents checked, 2 passed, 2 failed, 2 could not be read." in summary
    worst = summary[summary.index("worst 4 by score:\n"):].splitlines()[1:5]
    scores = [float(line.split()[0]) for line in worst]
    assert scores == sorted(scores) and "FAIL" in worst[0] and "wechat-ecommerce.zh-de.mt.txt" in worst[0]
    assert "issues by severity: 0 critical, " in summary
    assert "issues by category:\n  style/unidiomatic" in summary
    assert summary.rstrip().splitlines()[-1].startswith("signature: ")


def test_single_document_has_no_summary(capsys):
    _, out, _ = run_cli(capsys, "check", str(SAMPLES / "mini-programme.de.txt"))
    assert "\nsummary\n" not in out and "worst" not in out


def test_no_progress_bar_when_stderr_is_not_a_tty(batch: Path, capsys):
    status, _, err = run_cli(capsys, "check", str(batch / "samples"), "--fail-under", "0")
    assert status == ExitStatus.PASSED and err == ""


def test_progress_bar_on_a_tty_unless_quiet(batch: Path, capsys, monkeypatch):
    """On a terminal the bar goes to stderr (never stdout); --quiet turns it off."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setenv("TERM", "xterm")
    _, out, err = run_cli(capsys, "check", str(batch / "samples"), "--format", "json")
    assert "checking" in err and json.loads(out)["summary"]["documents"] == 4
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    _, _, err = run_cli(capsys, "check", str(batch / "samples"), "--quiet")
    assert err == ""


@pytest.mark.qe
def test_qe_runs_in_one_process_with_a_note(batch: Path, capsys, monkeypatch, tmp_path, qe_models):
    """With QE, --jobs is ignored (one model in memory) and stderr says so; the results carry QE scores."""
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):  # offline=True sets them: restore them afterwards
        monkeypatch.setenv(name, "1")
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:
        monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    samples = batch / "samples"
    args = ("check", str(samples / "mini-programme.de.txt"), str(samples / "live-commerce.zh-de.mt.txt"),
            "--qe-model", str(qe_models.kiwi), "--offline", "--device", "cpu", "--cache-dir", str(tmp_path / "cache"),
            "--format", "json", "--fail-on", "none", "--fail-under", "0", "--tgt-lang", "de")
    status, out, err = run_cli(capsys, *args, "--jobs", "2")
    assert status == ExitStatus.PASSED
    assert "tqcheck: note: QE runs in one process; --jobs ignored" in err
    assert [d["qe"]["status"] for d in json.loads(out)["documents"]] == ["ok", "ok"]
    _, _, err = run_cli(capsys, *args, "--jobs", "2", "--quiet")
    assert "note" not in err


_START_METHOD_PROBE = """
import threading, tqcheck.batch as batch
print(batch._start_method())
release = threading.Event()
other = threading.Thread(target=release.wait)
other.start()
print(batch._start_method())
release.set()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork only on Linux")
def test_workers_fork_only_while_this_process_has_one_thread():
    """Forking a process in which another thread runs can copy a lock that thread holds: spawn then. (In a
    fresh interpreter: this one may run threads of its own, a QE fixture's torch pool.)"""
    import subprocess

    done = subprocess.run([sys.executable, "-c", _START_METHOD_PROBE], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["fork", "spawn"]


def test_the_progress_bar_draws_without_a_thread_of_its_own(monkeypatch, capsys: pytest.CaptureFixture[str]):
    """The bar is redrawn by its callback, so that a --jobs run at a terminal can still fork its workers."""
    import threading

    from tqcheck.cli import _progress_bar

    monkeypatch.setenv("FORCE_COLOR", "1")  # rich draws as on a terminal
    before = set(threading.enumerate())
    with _progress_bar(enabled=True) as update:
        assert update is not None and set(threading.enumerate()) == before
        for done in range(4):
            update(done, 3)
    assert "3/3" in capsys.readouterr().err
