"""Bounded resources: a size limit per document, refused before reading; time linear in the text."""

from __future__ import annotations

import json
from pathlib import Path

from tqcheck import Config, check_paths
from tqcheck.cli import ExitStatus, main


def test_a_document_above_the_size_limit_is_an_error_before_it_is_read(tmp_path: Path, capsys):
    big = tmp_path / "big.de.txt"
    big.write_text("Das ist ein Satz. " * 7_000, encoding="utf-8")  # 126,000 bytes
    small = tmp_path / "small.de.txt"
    small.write_text("Das ist ein kurzer Text ohne Fehler.\n", encoding="utf-8")
    report = check_paths([big, small], Config(max_size=100 * 1024))
    [error] = report.errors
    assert (error.path, error.kind) == (big, "too-large")
    assert error.message.startswith("is 123 KB, above the limit of 100 KB per document")
    assert [d.target.path for d in report.documents] == [small]
    status = main(["check", str(big), "--max-size", "100KB", "--format", "json", "--no-config"])
    payload = json.loads(capsys.readouterr()[0])
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and payload["errors"][0]["kind"] == "too-large"
    assert payload["config"]["max_size"] == 100 * 1024
    assert check_paths([big], Config(max_size=0)).errors == ()  # 0: no limit


def test_a_source_or_reference_above_the_limit_is_refused_too(tmp_path: Path):
    target = tmp_path / "a.de.txt"
    target.write_text("Ein Satz.\n", encoding="utf-8")
    source = tmp_path / "a.zh.txt"
    source.write_text("一句话。" * 100_000, encoding="utf-8")
    [error] = check_paths([target], Config(max_size=100_000), source=source).errors
    assert (error.path, error.kind) == (source, "too-large")
