"""A rules-only check without a configuration file or a reference imports neither tomllib nor the reference
metrics; the QE model table read back from the cache folder is the parse of models.toml."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources

from tqcheck.qe import models

from .conftest import ROOT


def test_a_rules_only_check_imports_no_toml_parser_and_no_metrics(tmp_path):
    target, source = tmp_path / "a.de.txt", tmp_path / "a.zh.txt"  # no tqcheck.toml or pyproject.toml above
    target.write_text("Das Unternehmen meldete 2,17 Milliarden Euro Umsatz.\n", encoding="utf-8")
    source.write_text("该公司公布了21.7亿欧元的营业额。\n", encoding="utf-8")
    code = ("import io, sys; from contextlib import redirect_stdout; from tqcheck.cli import main\n"
            f"with redirect_stdout(io.StringIO()): main(['check', {str(target)!r}, '--source', {str(source)!r}, "
            "'--format', 'json'])\n"
            "print(sorted(m for m in ('tomllib', 'tqcheck.metrics', 'sacrebleu') if m in sys.modules))")
    # The second run: the first may have parsed models.toml to fill the cache folder (a fresh machine).
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True, capture_output=True,
                              text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout


def test_the_kept_model_table_is_the_parse_of_models_toml():
    text = resources.files("tqcheck.qe").joinpath("models.toml").read_text("utf-8")
    models.table.cache_clear()
    try:
        assert models.table() == models._parsed_table(text)
        assert models.table().default == models._parsed_table(text).default
    finally:
        models.table.cache_clear()
