"""The sqlite QE score cache: keys, round trips, schema changes, failures, and two writers at once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tqcheck.qe.cache import CACHE_FILE, ScoreCache, cache_key, default_cache_dir, open_cache
from tqcheck.types import QEResult, QESpan, Severity


def test_cache_key_separates_fields() -> None:
    """Joining differently must not collide: ("ab", "c") and ("a", "bc") are different pairs."""
    assert cache_key("m", "ab", "c") != cache_key("m", "a", "bc")
    assert cache_key("m", "a", "b") != cache_key("n", "a", "b")
    assert cache_key("m", "a", "b") == cache_key("m", "a", "b")
    assert len(cache_key("m", "a", "b")) == 64


def test_cache_round_trip(tmp_path: Path) -> None:
    """What goes in comes out, marked cached; unknown keys are misses."""
    result = QEResult(0.73, (QESpan(0, 4, Severity.MAJOR, 0.9),), truncated=True)
    with ScoreCache(tmp_path / CACHE_FILE) as cache:
        assert cache.put_many([("k1", result)]) == 1
        found = cache.get_many(["k1", "k2"])
    assert found == {"k1": QEResult(0.73, result.spans, truncated=True, cached=True)}


def test_cache_skips_nan_and_drops_spans_that_do_not_fit(tmp_path: Path) -> None:
    """NaN is not stored (sqlite would make it NULL); spans beyond the segment length are dropped on read."""
    with ScoreCache(tmp_path / CACHE_FILE) as cache:
        assert cache.put_many([("nan", QEResult(float("nan")))]) == 0
        cache.put_many([("k", QEResult(0.5, (QESpan(0, 4, Severity.MINOR, 0.5), QESpan(6, 9, Severity.MINOR, 0.5))))])
        found = cache.get_many(["k", "nan"], {"k": 5})
    assert set(found) == {"k"} and found["k"].spans == (QESpan(0, 4, Severity.MINOR, 0.5),)


def test_cache_uses_wal(tmp_path: Path) -> None:
    with ScoreCache(tmp_path / CACHE_FILE) as cache:
        assert cache._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_cache_with_old_schema_is_rebuilt(tmp_path: Path) -> None:
    """A cache written by another schema version is dropped, not misread."""
    path = tmp_path / CACHE_FILE
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE scores (key TEXT PRIMARY KEY, value BLOB)")
    db.execute("INSERT INTO scores VALUES ('k', x'00')")
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    with ScoreCache(path) as cache:
        assert len(cache) == 0
        cache.put_many([("k", QEResult(0.1))])
        assert cache.get_many(["k"])["k"].score == pytest.approx(0.1)


def test_a_corrupt_cache_is_moved_aside_and_rebuilt_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A damaged cache file is kept for inspection, a new cache is built with one warning, and the next run uses
    the new one without a word."""
    (tmp_path / CACHE_FILE).write_bytes(b"this is not a database" * 100)
    with caplog.at_level("WARNING"):
        cache = open_cache(tmp_path)
    assert cache is not None and len(cache) == 0
    cache.put_many([("k", QEResult(0.4))])
    cache.close()
    [aside] = tmp_path.glob(f"{CACHE_FILE}.corrupt-*")
    assert aside.read_bytes().startswith(b"this is not a database")
    assert [r.getMessage() for r in caplog.records if "damaged" in r.getMessage()] != []
    assert len(caplog.records) == 1
    caplog.clear()
    with open_cache(tmp_path) as again:
        assert again.get_many(["k"])["k"].score == pytest.approx(0.4)
    assert caplog.records == []


def test_open_cache_survives_a_folder_it_cannot_write(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A cache that cannot be created at all means scoring without a cache (logged), never a failed check."""
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    assert open_cache(blocker) is None
    assert "cannot be used" in caplog.text


def test_bad_rows_are_misses_one_by_one_and_non_finite_scores_never_come_back(tmp_path: Path) -> None:
    with ScoreCache(tmp_path / CACHE_FILE) as cache:
        cache.put_many([("good", QEResult(0.9)), ("text", QEResult(0.5)), ("inf", QEResult(0.5)),
                        ("spans", QEResult(0.5))])
        cache._db.execute("UPDATE scores SET score = 'high' WHERE key = 'text'")
        cache._db.execute("UPDATE scores SET score = -9e999 WHERE key = 'inf'")  # sqlite stores -inf
        cache._db.execute("UPDATE scores SET spans = '{not json' WHERE key = 'spans'")
        found = cache.get_many(["good", "text", "inf", "spans"])
    assert set(found) == {"good"} and found["good"].score == pytest.approx(0.9)


def test_default_cache_dir_is_per_user() -> None:
    assert default_cache_dir().name == "tqcheck"


_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from tqcheck.qe.cache import ScoreCache
    from tqcheck.types import QEResult
    path, name, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    cache = ScoreCache(path)
    (go.parent / f"ready-{name}").touch()
    while not go.exists():
        time.sleep(0.005)
    for i in range(500):
        # shared keys are written by both processes; own keys by one
        cache.put_many([(f"shared-{i}", QEResult(i / 500)), (f"{name}-{i}", QEResult(0.5))])
        cache.get_many([f"shared-{i}", f"{name}-{i}"])
    cache.close()
""")


def test_cache_two_processes_write_at_once(tmp_path: Path) -> None:
    """Two processes writing the same cache concurrently both succeed and every row is there."""
    path, go = tmp_path / CACHE_FILE, tmp_path / "go"
    ScoreCache(path).close()  # create the schema first, as the first run of a pipeline would
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), name, str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready-{n}").exists() for n in "ab"):  # both have the database open
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), "a writer did not start"
        time.sleep(0.01)
    go.touch()  # ... then they start writing together
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with ScoreCache(path) as cache:
        assert len(cache) == 1500
        assert cache.get_many(["shared-250"])["shared-250"].score == pytest.approx(0.5)
