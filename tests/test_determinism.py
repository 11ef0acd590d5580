"""The same inputs give byte-identical reports whatever the hash seed and the number of workers; workers never
outlive the run that started them."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES
from tqcheck.types import Category, Issue, Severity, Span


def _run(args: list[str], seed: str, cwd: Path) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-m", "tqcheck", "check", *args], cwd=cwd, env=env, capture_output=True,
                          timeout=600, check=False)
    assert done.returncode in (0, 1), done.stderr.decode()
    return done.stdout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for path in SAMPLES.iterdir():
        if path.is_file() and path.suffix == ".txt":
            shutil.copy(path, folder / path.name)
    shutil.copytree(ROOT / "tests" / "data" / "cat", folder / "cat", ignore=shutil.ignore_patterns("README.md"))
    return folder


def test_reports_are_byte_identical_for_any_hash_seed_and_any_number_of_workers(corpus: Path):
    args = [".", "--format", "json", "--no-config", "--state", "all"]
    first = _run(args, "0", corpus)
    assert b'"documents"' in first
    for seed, jobs in (("1", "1"), ("2", "2"), ("3", "2")):
        assert _run([*args, "--jobs", jobs], seed, corpus) == first, (seed, jobs)


def test_issues_that_tie_on_place_and_code_sort_by_everything_else():
    """Two findings at one place of one rule (e.g. two readings of a number) keep one order, not a set's."""
    a = Issue("TQ701", "number-mismatch", Category.NUMBER, Severity.MAJOR, Span(3, 7), "the source says 12")
    b = Issue("TQ701", "number-mismatch", Category.NUMBER, Severity.MAJOR, Span(3, 7), "the source says 21")
    assert sorted([b, a], key=lambda i: i.sort_key) == sorted([a, b], key=lambda i: i.sort_key) == [a, b]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the worker processes")
def test_workers_die_when_their_run_is_killed(tmp_path: Path):
    """kill -9 of a --jobs 2 run runs no clean-up in it: its workers must still end on their own."""
    article = (SAMPLES / "wechat-ecommerce.zh-de.mt.txt").read_text(encoding="utf-8")
    for n in range(60):
        (tmp_path / f"a{n}.de.txt").write_text(article, encoding="utf-8")
    run = subprocess.Popen([sys.executable, "-m", "tqcheck", "check", str(tmp_path), "--jobs", "2", "--no-config",
                            "--format", "jsonl"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.2)
            # Forked workers carry the run's command line, spawned ones multiprocessing's; not the resource tracker.
            workers = [p for p in _children(run.pid) if "resource_tracker" not in _cmdline(p)]
        assert len(workers) >= 2, "the workers did not start"
        os.kill(run.pid, signal.SIGKILL)
        run.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in workers):
            time.sleep(0.1)
        assert not any(_alive(p) for p in workers)
    finally:
        if run.poll() is None:
            run.kill()


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""
