"""Ding's Bloom filter is read from a mapped copy beside the SQLite table (align.lexicon.bloom_path), with the
same answers as the filter stored in the table."""

from __future__ import annotations

import mmap

import pytest

from tqcheck.align import lexicon

_DING = """# tiny Ding file
Haus {n}; Gebäude {n} | Häuser {pl} :: house | houses
kaufen {vt} :: to buy
Einkauf {m} :: purchase; shopping
"""


@pytest.fixture
def tiny_ding(tmp_path, monkeypatch):
    source = tmp_path / "de-en"
    source.write_text(_DING, encoding="utf-8")
    monkeypatch.setenv("TQCHECK_CACHE_DIR", str(tmp_path / "cache"))
    return source


def test_bloom_copy_is_written_then_mapped_with_the_same_answers(tiny_ding):
    """The first table reads the stored filter and writes the copy; the next maps it, and both answer alike."""
    first = lexicon._disk_table("ding", tiny_ding, lexicon._build_ding)
    assert isinstance(first._bloom, bytes)
    sqlite_file = next((tiny_ding.parent / "cache").glob("lexicon-ding-*.sqlite"))
    copy = lexicon.bloom_path(sqlite_file)
    assert copy.read_bytes() == first._bloom
    second = lexicon._disk_table("ding", tiny_ding, lexicon._build_ding)
    assert isinstance(second._bloom, mmap.mmap)
    keys = ["haus", "häuser", "gebäude", "kaufen", "einkauf", "~kauf", "auto", "", "haushalt", "xyz"]
    assert [second.get(k) for k in keys] == [first.get(k) for k in keys]
    assert [second._absent(k) for k in keys] == [first._absent(k) for k in keys]
    assert first.get("haus") == "hous" and first.get("auto") is None


def test_bloom_copy_of_the_wrong_size_is_not_used(tiny_ding):
    """A cut copy (a full disk) is ignored: the stored filter is read, and the copy written whole again."""
    lexicon._disk_table("ding", tiny_ding, lexicon._build_ding)
    sqlite_file = next((tiny_ding.parent / "cache").glob("lexicon-ding-*.sqlite"))
    copy = lexicon.bloom_path(sqlite_file)
    copy.write_bytes(b"\xff" * 100)
    table = lexicon._disk_table("ding", tiny_ding, lexicon._build_ding)
    assert isinstance(table._bloom, bytes) and table.get("auto") is None
    assert copy.stat().st_size == lexicon._BLOOM_SIZE // 8
