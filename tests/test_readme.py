"""The README stays true: its Python example runs, its test command is what CI runs, its rule count is right."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from tests.conftest import ROOT, SAMPLES

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_python_example_runs(tmp_path):
    """The Python API example, run on a copy of the samples under the names it uses."""
    code = re.search(r"## Python API\n\n```python\n(.*?)```", README, re.S).group(1)
    shutil.copy(SAMPLES / "live-commerce.zh-de.mt.txt", tmp_path / "article.de.txt")
    shutil.copy(SAMPLES / "live-commerce.zh.txt", tmp_path / "article.zh.txt")
    (tmp_path / "articles").mkdir()
    for name in ("wechat-ecommerce.zh-de.mt.txt", "wechat-ecommerce.zh.txt", "mini-programme.de.txt"):
        shutil.copy(SAMPLES / name, tmp_path / "articles" / name)
    (tmp_path / "example.py").write_text(code, encoding="utf-8")
    run = subprocess.run([sys.executable, "example.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "report.json").stat().st_size > 0
    assert len((tmp_path / "results.jsonl").read_text(encoding="utf-8").splitlines()) == 2


def test_ci_runs_the_readme_test_command():
    block = re.search(r"<!-- test-command:start -->\n```sh\n(.*?)\n```\n<!-- test-command:end -->", README, re.S)
    assert block and "pytest" in block.group(1)
    assert "test-command:start" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_rule_count_matches_registry():
    from tqcheck.rules import REGISTRY

    assert f"({len(REGISTRY)} rules" in README
