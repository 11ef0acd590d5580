"""On-disk QE score cache: re-checking an edited article pays only for the segments that changed.

One sqlite file (``qe-scores.sqlite3`` in the user cache dir) maps
``sha256(model key, source segment, target segment)`` to the score, the error spans (JSON) and the truncation
flag. Pipelines run several tqcheck processes over one cache, so the database uses WAL (readers never block the
writer), a busy timeout (a writer waits for another instead of failing) and short ``INSERT OR REPLACE``
transactions (two processes scoring the same segment write the same row; last one wins, both are right).

The cache is an optimisation and repairs itself: a file that is not a usable database (damaged, truncated,
written by something else) is moved aside as ``qe-scores.sqlite3.corrupt-<time>`` and a new cache is built, with
one warning; a cache of another schema version is emptied and rebuilt; a row that cannot be read (a score that
is no finite number, spans that are no JSON) is a miss on its own and never costs the other rows. If the cache
cannot be used at all (read-only disk), QE goes on without it and says so in the log. Non-finite scores are
never stored nor returned.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from tqcheck.qe.spans import spans_from_json, spans_to_json
from tqcheck.types import QEResult

log = logging.getLogger(__name__)

CACHE_FILE = "qe-scores.sqlite3"
SCHEMA_VERSION = 1  # bump when the row format changes: an old cache is then dropped, not misread
BUSY_TIMEOUT_S = 60.0
_CHUNK = 500  # keys per SELECT; stays below SQLite's host-parameter limit on old builds


def default_cache_dir() -> Path:
    """The per-user cache folder (platformdirs), or ``$XDG_CACHE_HOME/tqcheck`` if platformdirs is absent."""
    try:
        from platformdirs import user_cache_dir
    except ImportError:  # platformdirs is a dependency of most installs, but not a declared one of ours
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        return Path(base) / "tqcheck"
    return Path(user_cache_dir("tqcheck", appauthor=False))


def cache_key(model: str, source: str, target: str) -> str:
    """sha256 over the three texts, each length-prefixed so that no two different triples collide by joining."""
    digest = hashlib.sha256()
    for part in (model, source, target):
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class ScoreCache:
    """The sqlite score cache; safe to share between processes (one instance per process or thread)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN ourselves, so each write is one short explicit transaction.
        self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable enough for a cache
            self._ensure_schema()
        except BaseException:
            self._db.close()
            raise

    def _ensure_schema(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the write lock: another process may have just created the schema.
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                if version:
                    log.warning("QE score cache %s has schema version %s, not %s: rebuilding it", self.path, version,
                                SCHEMA_VERSION)
                self._db.execute("DROP TABLE IF EXISTS scores")
                self._db.execute(
                    "CREATE TABLE scores (key TEXT PRIMARY KEY, score REAL NOT NULL, spans TEXT NOT NULL, "
                    "truncated INTEGER NOT NULL, created REAL NOT NULL) WITHOUT ROWID")
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def get_many(self, keys: Sequence[str], segment_lengths: Mapping[str, int] | None = None) -> dict[str, QEResult]:
        """Cached results for those ``keys`` that are present, marked ``cached=True``.

        ``segment_lengths`` (key → target segment length) lets us drop spans that would not fit, which only a
        hash collision or a hand-edited cache could produce.
        """
        found: dict[str, QEResult] = {}
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), _CHUNK):
            chunk = unique[i:i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self._db.execute(f"SELECT key, score, spans, truncated FROM scores WHERE key IN ({marks})",
                                        chunk).fetchall()
            except sqlite3.DatabaseError as err:  # a damaged page: these keys are misses, the others still read
                log.warning("QE score cache %s: %d rows cannot be read (%s); scoring them again", self.path,
                            len(chunk), err)
                continue
            for key, score, spans, truncated in rows:
                result = _row_result(score, spans, truncated, (segment_lengths or {}).get(key, 1 << 62))
                if result is not None:  # a damaged row is a miss, not an error
                    found[key] = result
        return found

    def put_many(self, items: Iterable[tuple[str, QEResult]]) -> int:
        """Store results (one short transaction); returns how many rows were written."""
        now = time.time()
        rows = [(key, r.score, json.dumps(spans_to_json(r.spans)), int(r.truncated), now)
                for key, r in items if math.isfinite(r.score)]  # sqlite would turn NaN into NULL
        if not rows:
            return 0
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(
                "INSERT OR REPLACE INTO scores (key, score, spans, truncated, created) VALUES (?, ?, ?, ?, ?)", rows)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return len(rows)

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM scores").fetchone()[0])

    def clear(self) -> None:
        self._db.execute("DELETE FROM scores")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ScoreCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _row_result(score: object, spans: object, truncated: object, limit: int) -> QEResult | None:
    """The result a row stores, or None for a row that cannot be one (hand-edited, damaged, non-finite)."""
    try:
        value = float(score)  # type: ignore[arg-type]
        items = json.loads(spans)  # type: ignore[arg-type]
        if not math.isfinite(value) or not isinstance(items, list):
            return None
        return QEResult(value, spans_from_json(items, limit), bool(truncated), cached=True)
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


def open_cache(cache_dir: Path | str | None) -> ScoreCache | None:
    """The cache in ``cache_dir`` (default: the user cache dir), rebuilt once if it is damaged, or None, logged, if
    it cannot be used."""
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = folder / CACHE_FILE
    try:
        return ScoreCache(path)
    except sqlite3.DatabaseError as err:
        if not isinstance(err, sqlite3.OperationalError) or "malformed" in str(err) or "not a database" in str(err):
            aside = _move_aside(path)
            if aside is not None:
                log.warning("QE score cache %s was damaged (%s): moved to %s, building a new one", path, err,
                            aside.name)
                try:
                    return ScoreCache(path)
                except (OSError, sqlite3.Error) as again:
                    err = again
        log.warning("QE score cache %s cannot be used (%s); scoring without it", path, err)
        return None
    except (OSError, sqlite3.Error) as err:
        log.warning("QE score cache %s cannot be used (%s); scoring without it", path, err)
        return None


def _move_aside(path: Path) -> Path | None:
    """Rename a damaged cache (and its WAL and shared-memory files) out of the way; None if that fails."""
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
    try:
        os.replace(path, aside)
    except OSError:
        return None
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return aside


__all__ = ["CACHE_FILE", "SCHEMA_VERSION", "ScoreCache", "cache_key", "default_cache_dir", "open_cache"]
