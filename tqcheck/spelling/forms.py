"""Words a Hunspell dictionary accepts, as a table in the cache folder, so that a run can confirm them without loading
the dictionary (en_US takes 0.03 s of CPU to load, en_GB 0.05 s: a German article that needs English for a few
loanwords spent a tenth of its fresh check on that).

The table holds the dictionary's own forms only: each stem of the ``.dic`` file with the affixes of its flags
applied as the ``.aff`` file defines them (a plain reading of PFX/SFX: strip, add, condition, cross product), each
also capitalised and lowercased, and of those exactly the ones the dictionary itself accepts, asked when the table
is built. So a word found in the table is a word the dictionary accepts (what ``spell`` answers), and any other
word is still asked of the dictionary: the table never says no. It is derived from the dictionary files alone and
never holds a word of a checked text.

A table is built from a loaded dictionary when the process ends (1–4 s, once per machine and dictionary), and only
for a dictionary loaded after another one: the first dictionary a run loads is the one that decides its words, and
is needed anyway. It is read back while the dictionary files, this code and the Hunspell library it was asked of
(files, sizes and dates) are those it was built from; it is a sorted file searched in place (``mmap``), so that a
run reads the few pages its lookups touch.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import mmap
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tqcheck import datacache

FORMAT = b"tqcheck-hunspell-forms 1"
# Dictionaries with more forms than this get no table (de_DE has half a million: a build of many seconds, and it
# is the German target's own dictionary, loaded by every German check anyway).
MAX_FORMS = 400_000
_NAME = "hunspell-forms"


def table_path(dic: Path, aff: Path) -> Path:
    """Where the table of the dictionary ``dic``/``aff`` is kept: named after the files' path, sizes and dates and
    this code."""
    digest = hashlib.sha256(datacache.code_version((__file__,)).encode())
    for path in (dic, aff):
        stat = path.stat()
        digest.update(f"\0{os.path.abspath(path)}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return datacache.cache_dir() / f"{_NAME}-{dic.stem}-{digest.hexdigest()[:16]}.bin"


class FormTable:
    """The words of one table: ``word in table`` by binary search of its sorted lines."""

    def __init__(self, data: bytes | mmap.mmap, start: int) -> None:
        self._data, self._start = data, start  # data[start - 1] and data[-1] are the newlines around the words

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word or "\n" in word:
            return False
        try:
            key = word.encode("utf-8")
        except UnicodeError:  # a lone surrogate: no dictionary word
            return False
        data = self._data
        lo, hi = self._start - 1, len(data) - 1  # newlines; the words between them are data[lo + 1:hi]
        while hi - lo > 1:
            mid = (lo + hi) // 2
            start = data.rfind(b"\n", lo, mid + 1)  # the newline before the word around mid (lo at the latest)
            end = data.find(b"\n", start + 1, hi + 1)
            found = data[start + 1:end]
            if found == key:
                return True
            if found < key:
                lo = end
            else:
                hi = start
        return False


def read_table(path: Path) -> FormTable | None:
    """The table at ``path``; None where there is none, or it was built from another Hunspell library."""
    try:
        with path.open("rb") as f:
            data: bytes | mmap.mmap = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, unreadable, or empty (mmap of 0 bytes)
        return None
    end = data.find(b"\n")
    header = data[:end].split(b"\t") if end > 0 else []
    if not header or header[0] != FORMAT or data[-1:] != b"\n" or len(header) % 3 != 1:
        return None
    for at in range(1, len(header), 3):  # (file, size, date) of each library file the verdicts came from
        try:
            stat = os.stat(os.fsdecode(header[at]))
        except OSError:
            return None
        if header[at + 1] != str(stat.st_size).encode() or header[at + 2] != str(stat.st_mtime_ns).encode():
            return None
    return FormTable(data, end + 1)


def library_files(binding: object) -> list[str]:
    """The files of the Hunspell binding and library this process runs (the mapped files on Linux, else the
    binding's module), whose verdicts a table keeps."""
    files: list[str] = []
    with contextlib.suppress(OSError), open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
        for line in maps:
            parts = line.split(None, 5)
            if len(parts) == 6 and "hunspell" in os.path.basename(parts[5].strip()).lower():
                files.append(parts[5].strip())
    module = getattr(sys.modules.get(type(binding).__module__), "__file__", None)
    if module:
        files.append(module)
    return sorted(set(files))


# --- the forms of a dictionary ------------------------------------------------------------------------------------


def _affixes(aff: str) -> tuple[str | None, dict[str, tuple[str, bool, list[tuple[str, str, re.Pattern[str] | None]]]]]:
    """The FLAG type and the PFX/SFX classes of an .aff file: flag → (kind, cross product, [(strip, add,
    condition)])."""
    flag_type = None
    classes: dict[str, tuple[str, bool, list[tuple[str, str, re.Pattern[str] | None]]]] = {}
    for line in aff.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "FLAG":
            flag_type = parts[1]
        if len(parts) < 4 or parts[0] not in ("PFX", "SFX"):
            continue
        kind, flag = parts[0], parts[1]
        if flag not in classes:
            if parts[2] in ("Y", "N"):
                classes[flag] = (kind, parts[2] == "Y", [])
            continue
        if len(parts) < 5 or classes[flag][0] != kind:
            continue
        strip = "" if parts[2] == "0" else parts[2]
        add = parts[3].split("/", 1)[0]
        add = "" if add == "0" else add
        condition = parts[4]
        try:
            pattern = None if condition == "." else re.compile(f"^(?:{condition})" if kind == "PFX"
                                                              else f"(?:{condition})$")
        except re.error:
            continue  # a condition this reading does not follow: its forms are left out
        classes[flag][2].append((strip, add, pattern))
    return flag_type, classes


def _flags(text: str, flag_type: str | None) -> list[str]:
    if flag_type == "long":
        return [text[i:i + 2] for i in range(0, len(text), 2)]
    if flag_type == "num":
        return text.split(",")
    return list(text)


def forms(dic: str, aff: str, limit: int | None = None) -> set[str] | None:
    """The stems of ``dic`` with the affixes of their flags applied (one suffix, one prefix, both where the
    classes allow a cross product); None past ``limit`` forms (default :data:`MAX_FORMS`). Only candidates:
    Hunspell has the last word."""
    limit = MAX_FORMS if limit is None else limit
    flag_type, classes = _affixes(aff)
    found: set[str] = set()
    for line in dic.splitlines()[1:]:  # the first line is a count
        if not line or line[0] in "\t#" or line[0].isspace():
            continue
        stem, _, flag_text = line.split(None, 1)[0].partition("/")
        found.add(stem)
        flags = _flags(flag_text, flag_type) if flag_text else []
        suffixed: list[str] = []
        for flag in flags:
            entry = classes.get(flag)
            if entry is None or entry[0] != "SFX":
                continue
            for strip, add, condition in entry[2]:
                if (condition is None or condition.search(stem)) and stem.endswith(strip):
                    form = stem[:len(stem) - len(strip)] + add
                    found.add(form)
                    if entry[1]:
                        suffixed.append(form)
        for flag in flags:
            entry = classes.get(flag)
            if entry is None or entry[0] != "PFX":
                continue
            for base in (stem, *(suffixed if entry[1] else ())):
                for strip, add, condition in entry[2]:
                    if (condition is None or condition.search(base)) and base.startswith(strip):
                        found.add(add + base[len(strip):])
        if len(found) > limit:
            return None
    return found


def accepted(candidates: set[str], spell: Callable[[str], bool]) -> Iterator[str]:
    """The candidates, each also capitalised and lowercased, that ``spell`` accepts."""
    variants = set(candidates)
    variants.update(c[:1].upper() + c[1:] for c in candidates)
    variants.update(c.lower() for c in candidates)
    for word in variants:
        if word and "\n" not in word and spell(word):
            yield word


def write_table(path: Path, dic: Path, aff: Path, dictionary: Any) -> bool:
    """Build the table of the loaded ``dictionary`` (of the files ``dic``, ``aff``) and write it to ``path``
    atomically; False where the folder cannot be written or the dictionary has too many forms (then an empty
    file says so, and it is not tried again)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=path.name, delete=False)  # noqa: SIM115
    except OSError:
        return False  # nothing to build for: the table could not be kept
    try:
        with handle:
            candidates = forms(dic.read_text(encoding="utf-8", errors="replace"),
                               aff.read_text(encoding="utf-8", errors="replace"))
            if candidates is not None:
                header = [FORMAT]
                for name in library_files(dictionary):
                    stat = os.stat(name)
                    header += [os.fsencode(name), str(stat.st_size).encode(), str(stat.st_mtime_ns).encode()]
                words = sorted(w.encode("utf-8") for w in accepted(candidates, lambda w: _accepts(dictionary, w)))
                handle.write(b"\t".join(header) + b"\n")
                handle.write(b"".join(w + b"\n" for w in words))
        os.replace(handle.name, path)
    except (OSError, UnicodeError):
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        return False
    datacache.prune(path, f"{_NAME}-{dic.stem}-")
    return candidates is not None


def _accepts(dictionary: Any, word: str) -> bool:
    try:
        return bool(dictionary.spell(word))
    except UnicodeError:
        return False


class Dictionary:
    """A Hunspell dictionary, loaded when a lookup first needs it; before that, the words of its table (when it has
    one) are confirmed without it. Calling it loads it (and returns the loaded dictionary)."""

    def __init__(self, dic: Path, aff: Path, load: Callable[[], Any]) -> None:
        self.dic, self.aff, self._load = dic, aff, load
        self._table: FormTable | bool | None = False  # False: not read yet; None: there is none

    def accepts(self, word: str) -> bool:
        """Whether the table says the dictionary accepts ``word`` (False: ask the dictionary)."""
        if self._table is False:
            try:
                self._table = read_table(table_path(self.dic, self.aff))
            except OSError:
                self._table = None
        return self._table is not None and word in self._table  # type: ignore[operator]

    def __call__(self) -> Any:
        global _loaded
        later = _loaded > 0
        _loaded += 1
        dictionary = self._load()
        if later:
            self.accepts("")  # read it: built only where there is none (or it is out of date)
            if self._table is None:
                with contextlib.suppress(OSError):
                    path = table_path(self.dic, self.aff)
                    # An empty file: too many forms. A speller made anew loads its dictionaries again: one build.
                    if path not in _building and (not path.is_file() or path.stat().st_size > 0):
                        _building.add(path)
                        atexit.register(write_table, path, self.dic, self.aff, dictionary)
        return dictionary


_loaded = 0  # dictionaries this process has loaded
_building: set[Path] = set()  # the tables this process builds when it ends
