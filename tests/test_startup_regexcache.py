"""tqcheck.regexcache: a pattern made from a kept program is the pattern re.compile makes, and a warm process
parses none of tqcheck's patterns."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap

import pytest

from tqcheck import datacache, regexcache
from tqcheck.numbers.common import alternation

from .conftest import ROOT

_PATTERNS = [
    (r"(?<![0-9])(?P<y>\d{4})-(?P<m>\d{1,2})", 0),
    (r"^\s*tausend|Millionen?$", re.IGNORECASE | re.MULTILINE),
    ("[\u4e00-\u9fff]+|(?-i:Mio\\.)", re.I),
    (r"(?P<a>x)(?:(?P=a)|y)+?", re.DOTALL),
    ("", 0),
]


@pytest.fixture
def fresh_table(tmp_path, monkeypatch):
    """An empty cache folder and no table read yet; what the test adds is not written at exit."""
    monkeypatch.setenv("TQCHECK_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(regexcache, "_TABLE", _fresh())
    return tmp_path


def _fresh() -> datacache.KeptTable:
    table = regexcache._TABLE
    return datacache.KeptTable(table.name, table.built_by, table.bound, table.size)


@pytest.mark.parametrize(("pattern", "flags"), _PATTERNS)
def test_a_kept_program_makes_the_pattern_re_compile_makes(fresh_table, monkeypatch, pattern, flags):
    built, expected = regexcache.compile(pattern, flags), re.compile(pattern, flags)
    assert built == expected  # Pattern equality compares flags, pattern and program
    assert (built.groups, built.groupindex) == (expected.groups, expected.groupindex)
    regexcache._TABLE.save()
    assert list(fresh_table.glob("regex-programs-*.pickle"))
    monkeypatch.setattr(regexcache, "_TABLE", _fresh())
    monkeypatch.setattr(regexcache, "build_program", lambda *a: pytest.fail("parsed again"))
    again = regexcache.compile(pattern, flags)
    assert again == re.compile(pattern, flags)
    assert [m.span() for m in again.finditer("2024-05 Millionen x xy 微信")] == \
        [m.span() for m in re.compile(pattern, flags).finditer("2024-05 Millionen x xy 微信")]


def test_a_bad_pattern_raises_re_error(fresh_table):
    with pytest.raises(re.error):
        regexcache.compile("(unclosed")


def test_a_table_past_its_bound_starts_again_from_what_the_process_used(fresh_table, monkeypatch):
    regexcache.compile("kept")
    regexcache._TABLE.save()
    monkeypatch.setattr(regexcache, "_TABLE", _fresh())
    regexcache.compile("used")
    regexcache._TABLE.bound = 1
    regexcache._TABLE.save()
    assert set(regexcache._TABLE._read()) == {("used", 0)}


def test_alternation_writes_the_same_pattern_whatever_the_set_order():
    assert alternation({"元", "美元", "欧元", "日元"}) == "日元|欧元|美元|元"
    assert alternation(["b", "a", "ab"]) == "ab|a|b"


def test_a_warm_process_parses_none_of_tqchecks_patterns(tmp_path):
    """Two fresh interpreters check the sample pair; the second generates no program for a pattern of tqcheck's
    modules (the aligner's own patterns, in tqcheck/align, are compiled by re as before)."""
    script = textwrap.dedent("""
        import io, sys
        from contextlib import redirect_stdout
        from re import _compiler
        generated = []
        real = _compiler._code
        def code(p, flags):
            # Who asked for the pattern: the first frame outside re and tqcheck.regexcache.
            frame = sys._getframe(1)
            while frame is not None and ("/re/" in frame.f_code.co_filename
                                         or frame.f_code.co_filename.endswith("regexcache.py")):
                frame = frame.f_back
            where = frame.f_code.co_filename if frame is not None else ""
            if "/tqcheck/" in where and "/tqcheck/align/" not in where:
                generated.append(f"{where}:{frame.f_lineno}")
            return real(p, flags)
        _compiler._code = code
        from pathlib import Path
        from tqcheck import datacache, regexcache
        regexcache._TABLE.path = lambda: Path(sys.argv[1])  # the other caches: the user's, warm as in other tests
        from tqcheck.cli import main
        with redirect_stdout(io.StringIO()):
            main(["check", "samples/wechat-ecommerce.zh-de.mt.txt", "--source", "samples/wechat-ecommerce.zh.txt",
                  "--format", "json"])
        import re
        # Every pattern the check made from a kept program is the one re.compile makes.
        assert all(regexcache.compile(p, f) == re.compile(p, f) for p, f in regexcache._TABLE.used())
        print(" ".join(generated), len(generated))
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    table = tmp_path / "programs.pickle"
    runs = [subprocess.run([sys.executable, "-c", script, str(table)], cwd=ROOT, env=env, capture_output=True,
                           text=True, check=True).stdout.split() for _ in range(2)]
    assert int(runs[0][-1]) > 100  # the cold run built them (and kept their programs)
    # Left to re: the patterns of `tqcheck --help`'s path (the table is not worth reading there) and the bytes
    # patterns that recognise report files.
    left = {where.rsplit("/tqcheck/", 1)[1].split(":")[0] for where in runs[1][:-1]}
    assert left <= {"display.py", "readers/reports.py", "configfile.py"}, runs[1]


def test_kept_prefilter_facts_are_the_analysis_of_each_pattern(tmp_path, monkeypatch, samples_dir):
    """The prefilter facts a check keeps, read back from the file, are what analysing each pattern gives."""
    from tqcheck import Config, check, prefilter

    kept = prefilter._KEPT_FACTS

    def table() -> datacache.KeptTable:
        fresh = datacache.KeptTable(kept.name, kept.built_by, kept.bound, kept.size)
        fresh.path = lambda: tmp_path / "facts.pickle"  # type: ignore[method-assign]
        return fresh

    monkeypatch.setattr(prefilter, "_KEPT_FACTS", table())
    monkeypatch.setattr(prefilter, "_PREFILTERS", {})
    check(samples_dir / "wechat-ecommerce.zh-de.mt.txt", samples_dir / "wechat-ecommerce.zh.txt",
          config=Config(src_lang="zh", tgt_lang="de"))
    prefilter._KEPT_FACTS.save()
    again = table()
    keys = prefilter._KEPT_FACTS.used()
    assert len(keys) > 20
    for source, flags in keys:
        assert again.get((source, flags)) == prefilter._analysed_facts(re.compile(source, flags))
