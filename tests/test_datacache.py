"""Derived dictionary tables are built once, read back, and rebuilt when their source or building code changes."""

from __future__ import annotations

from tqcheck import datacache


def test_table_is_built_once_then_read_back_and_rebuilt_when_its_code_changes(tmp_path, monkeypatch):
    monkeypatch.delenv(datacache.CACHE_DIR_VARIABLE, raising=False)  # else $TQCHECK_CACHE_DIR wins over XDG
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "dictionary.txt"
    source.write_text("haus house\n", encoding="utf-8")
    code = tmp_path / "builder.py"
    code.write_text("# version 1\n", encoding="utf-8")
    builds = []

    def build(path):
        builds.append(path)
        return dict(line.split() for line in path.read_text(encoding="utf-8").splitlines())

    assert datacache.cached_pickle("t", source, (str(code),), build, dict) == {"haus": "house"}
    assert datacache.cached_pickle("t", source, (str(code),), build, dict) == {"haus": "house"}
    assert len(builds) == 1  # the second call read the pickle
    code.write_text("# version 2\n", encoding="utf-8")
    datacache.code_version.cache_clear()
    assert datacache.cached_pickle("t", source, (str(code),), build, dict) == {"haus": "house"}
    assert len(builds) == 2
    assert len(list(datacache.cache_dir().glob("t-*"))) == 1  # the stale version was removed


def test_a_damaged_cache_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.delenv(datacache.CACHE_DIR_VARIABLE, raising=False)  # else $TQCHECK_CACHE_DIR wins over XDG
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "dictionary.txt"
    source.write_text("x\n", encoding="utf-8")
    path = datacache.cache_path("t", source, (__file__,), ".pickle")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    assert datacache.cached_pickle("t", source, (__file__,), lambda p: {"rebuilt": "yes"}, dict) == {"rebuilt": "yes"}
