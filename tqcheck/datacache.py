"""Tables derived from dictionary files (CC-CEDICT, Ding), kept in the user's cache folder between runs.

Parsing a dictionary costs a second or more; a table built once per machine and read back costs a tenth of
that. A cached file is named after the table, a digest of the code that builds it and the source file's size
and date, so a new dictionary or new parsing code never reads an old table. When a new one is written, the older
versions beyond the newest few are removed (:data:`KEPT_VERSIONS`: installs that share the folder keep theirs). A
cache folder that cannot be written only costs the parse next time.

Tables built from the shipped data files (packs, the QE model table) are keyed by the files' bytes
(:func:`cached_by_content`); values derived from their keys alone (regex programs, prefilter analyses) share one
file per kind (:class:`KeptTable`).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

_T = TypeVar("_T")


CACHE_DIR_VARIABLE = "TQCHECK_CACHE_DIR"


def cache_dir() -> Path:
    """``$TQCHECK_CACHE_DIR``, else the user cache folder (platformdirs: ``$XDG_CACHE_HOME/tqcheck`` on Linux)."""
    folder = os.environ.get(CACHE_DIR_VARIABLE, "").strip()
    if folder:
        return Path(folder)
    if sys.platform == "linux" and "ANDROID_DATA" not in os.environ:
        # What platformdirs answers on Linux, without importing it (7 ms, a fresh run's budget is 300)
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
        return Path(base) / "tqcheck"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("tqcheck", appauthor=False))


@lru_cache(maxsize=16)
def code_version(files: tuple[str, ...]) -> str:
    """A digest of the code and data that build a table: a table built by other code is never read back."""
    digest = hashlib.sha256()
    for name in files:
        digest.update(Path(name).read_bytes())
    return digest.hexdigest()[:12]


def cache_path(name: str, source: Path, built_by: tuple[str, ...], suffix: str) -> Path:
    stat = source.stat()
    return cache_dir() / f"{name}-{code_version(built_by)}-{stat.st_size}-{int(stat.st_mtime)}{suffix}"


# Versions of one table kept side by side (built by other code, from another file, for another Python): two installs
# of tqcheck sharing a cache folder (a virtualenv per project, CI and a checkout) must not rebuild each other's
# tables on every run, which cost 0.35 s a run for the Chinese number words and 25 s for Ding's table.
KEPT_VERSIONS = 3


def remove_stale(path: Path, name: str) -> None:
    """Delete the older cached versions of table ``name``: ``path`` and the newest others are kept,
    :data:`KEPT_VERSIONS` in all."""
    prune(path, f"{name}-")


def prune(path: Path, prefix: str) -> None:
    """Keep ``path`` and the newest other files named ``prefix…`` with its suffix, :data:`KEPT_VERSIONS` in all;
    delete the rest. A file being written (a temporary name, which ends otherwise) is never touched."""
    others = []
    for candidate in path.parent.glob(f"{prefix}*{path.suffix}"):
        if candidate != path:
            with contextlib.suppress(OSError):
                others.append((candidate.stat().st_mtime, candidate.name, candidate))
    others.sort(reverse=True)
    for *_, stale in others[KEPT_VERSIONS - 1:]:
        stale.unlink(missing_ok=True)


def cached_pickle(name: str, source: Path, built_by: tuple[str, ...], build: Callable[[Path], _T], kind: type) -> _T:
    """``build(source)``, kept as a pickle in the cache folder until ``source`` or the files ``built_by`` (the
    building code and the data it reads) change."""
    path = cache_path(name, source, built_by, ".pickle")
    try:
        with path.open("rb") as f:
            table = pickle.load(f)
        if isinstance(table, kind):
            return table
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    table = build(source)
    if write_pickle(path, table):
        remove_stale(path, name)
    return table


def cached_by_content(name: str, source: Path, data: bytes, built_by: tuple[str, ...], build: Callable[[], _T]) -> _T:
    """``build()``, derived from ``data`` (the bytes of ``source``), kept as a pickle in the cache folder and read
    back while ``data``, the files ``built_by``, tqcheck's version and Python's are those it was built from.

    A file per source path and digest (its name hashes both; the file holds the whole digest, checked before its
    value is used): the versions of a source's table are pruned as :func:`remove_stale` does, so an edited pack
    never piles up entries and two installs sharing the folder keep one each. Written atomically, so that
    concurrent runs never read half a file; a folder that cannot be written only costs the build next time."""
    from tqcheck import __version__

    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0{code_version(built_by)}\0".encode())
    digest.update(data)
    key = digest.hexdigest()
    where = hashlib.sha256(os.path.abspath(source).encode()).hexdigest()[:16]
    path = cache_dir() / f"{name}-{where}.{key[:16]}.pickle"
    try:
        with path.open("rb") as f:
            stored = pickle.load(f)
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key:
            return stored[1]  # type: ignore[no-any-return]
    except _READ_ERRORS:
        pass
    value = build()
    if write_pickle(path, (key, value)):
        prune(path, f"{name}-{where}")
    return value


def write_pickle(path: Path, value: object) -> bool:
    """Write ``value`` to ``path`` as a pickle, atomically (concurrent runs never read half a file); False where
    the folder cannot be written, which only costs the build next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=path.name, delete=False) as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(f.name, path)
    except OSError:
        with contextlib.suppress(OSError, NameError):
            os.unlink(f.name)  # a half-written temporary file (a full disk) is not left behind
        return False
    return True


_READ_ERRORS = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, ImportError, IndexError,
                TypeError)


class KeptTable:
    """Values derived from their keys alone (and from the code ``built_by``, and this Python), kept in one file of
    the cache folder: read once per process at the first lookup, and what the process added merged into the file
    when it ends (written atomically; a concurrent writer's additions may be lost, which costs only their build).

    ``size`` measures a value; a table whose values measure more than ``bound`` in all starts again from the
    entries the saving process looked up, so that entries no run asks for any more do not pile up."""

    def __init__(self, name: str, built_by: tuple[str, ...], bound: int, size: Callable[[object], int]) -> None:
        self.name, self.built_by, self.bound, self.size = name, built_by, bound, size
        self._entries: dict[object, object] | None = None
        self._added: dict[object, object] = {}
        self._used: set[object] = set()

    def path(self) -> Path:
        digest = hashlib.sha256(f"{sys.version}\0{sys.implementation.cache_tag}\0".encode())
        digest.update(code_version(self.built_by).encode())
        return cache_dir() / f"{self.name}-{digest.hexdigest()[:12]}.pickle"

    def get(self, key: object) -> object | None:
        if self._entries is None:
            self._entries = self._read()
        value = self._entries.get(key)
        if value is not None:
            self._used.add(key)
        return value

    def put(self, key: object, value: object) -> None:
        if self._entries is None:
            self._entries = self._read()
        self._entries[key] = self._added[key] = value
        self._used.add(key)
        if len(self._added) == 1:
            atexit.register(self.save)

    def used(self) -> set[object]:
        """The keys this process looked up or added."""
        return set(self._used)

    def save(self) -> None:
        """Merge this process's additions into the file."""
        if not self._added:
            return
        entries = self._read()
        entries.update(self._added)
        if sum(map(self.size, entries.values())) > self.bound:
            known = {**entries, **(self._entries or {})}
            entries = {key: value for key, value in known.items() if key in self._used}
        if write_pickle(self.path(), entries):
            prune(self.path(), f"{self.name}-")
        self._added.clear()

    def _read(self) -> dict[object, object]:
        try:
            with self.path().open("rb") as f:
                entries = pickle.load(f)
        except _READ_ERRORS:
            return {}
        return entries if isinstance(entries, dict) else {}
