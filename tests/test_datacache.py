"""Derived dictionary tables are built once, read back, and rebuilt when their source or building code changes."""

from __future__ import annotations

import os

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
    assert len(list(datacache.cache_dir().glob("t-*"))) == 2  # the old version is kept beside it (KEPT_VERSIONS)


def test_a_damaged_cache_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.delenv(datacache.CACHE_DIR_VARIABLE, raising=False)  # else $TQCHECK_CACHE_DIR wins over XDG
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "dictionary.txt"
    source.write_text("x\n", encoding="utf-8")
    path = datacache.cache_path("t", source, (__file__,), ".pickle")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    assert datacache.cached_pickle("t", source, (__file__,), lambda p: {"rebuilt": "yes"}, dict) == {"rebuilt": "yes"}


def _versions(tmp_path, monkeypatch, name: str):
    """A builder whose code file can be set to any version, and the list of its builds."""
    monkeypatch.setenv(datacache.CACHE_DIR_VARIABLE, str(tmp_path / "cache"))
    source = tmp_path / f"{name}.txt"
    source.write_text("haus house\n", encoding="utf-8")
    code = tmp_path / f"{name}.py"
    builds: list[str] = []

    def build_with(version: str):
        code.write_text(f"# version {version}\n", encoding="utf-8")
        datacache.code_version.cache_clear()

        def build(*_args):
            builds.append(version)
            return {"version": version}

        return source, (str(code),), build

    return build_with, builds


def test_installs_that_share_the_folder_do_not_rebuild_each_others_tables(tmp_path, monkeypatch):
    build_with, builds = _versions(tmp_path, monkeypatch, "t")
    for version in ("1", "2", "1", "2", "1"):
        source, built_by, build = build_with(version)
        assert datacache.cached_pickle("t", source, built_by, build, dict) == {"version": version}
        assert datacache.cached_by_content("c", source, b"data", built_by, build) == {"version": version}
    assert builds == ["1", "1", "2", "2"]  # each version built its tables once
    assert len(list(datacache.cache_dir().glob("t-*.pickle"))) == 2
    assert len(list(datacache.cache_dir().glob("c-*.pickle"))) == 2


def test_versions_beyond_the_newest_few_are_removed(tmp_path, monkeypatch):
    build_with, _ = _versions(tmp_path, monkeypatch, "t")
    made = []
    for number, version in enumerate("12345"):
        source, built_by, build = build_with(version)
        datacache.cached_pickle("t", source, built_by, build, dict)
        made.append(datacache.cache_path("t", source, built_by, ".pickle"))
        os.utime(made[-1], (number, number))  # file dates one second apart, in the order they were written
    assert sorted(datacache.cache_dir().glob("t-*.pickle")) == sorted(made[-datacache.KEPT_VERSIONS:])


def test_a_table_being_written_is_not_removed(tmp_path, monkeypatch):
    build_with, _ = _versions(tmp_path, monkeypatch, "t")
    folder = datacache.cache_dir()
    folder.mkdir(parents=True)
    writing = folder / "t-0000-1-1.pickleab12cd"  # another process's temporary file (its name ends otherwise)
    writing.write_bytes(b"half")
    for version in "1234":
        datacache.cached_pickle("t", *build_with(version), dict)
    assert writing.exists()
