"""Hunspell dictionaries for the spelling rule (TQ610): found on a search path, loaded lazily, kept per process.

The binding is pyhunspell (PyPI ``hunspell``, over the C++ libhunspell; the ``spell`` extra); the dictionaries are
the system's (Debian's ``hunspell-de-de``, ``hunspell-en-us``, ``hunspell-en-gb``), never shipped. Folders are
searched in this order: ``$TQCHECK_HUNSPELL_PATH`` (folders separated by ``os.pathsep``), then the usual system
folders. ``bench/spelling.py`` compares the bindings.
"""

from __future__ import annotations

import bisect
import copy
import os
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from tqcheck import regexcache
from tqcheck.errors import ConfigError
from tqcheck.userfiles import read_user_text

PATH_ENV = "TQCHECK_HUNSPELL_PATH"
SYSTEM_DIRS = ("/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts", "/usr/local/share/hunspell",
               "/opt/homebrew/share/hunspell", "~/Library/Spelling")
# Target language → dictionaries of which any one may accept a word (English: American or British spelling).
DICTIONARIES: dict[str, tuple[str, ...]] = {"de": ("de_DE",), "en": ("en_US", "en_GB")}
INSTALL_HINT = ("pip install 'tqcheck[spell]' (it builds on libhunspell: apt-get install libhunspell-dev) and "
                "apt-get install hunspell-de-de hunspell-en-us")


def search_path() -> tuple[Path, ...]:
    """The folders searched for ``LANG.dic``/``LANG.aff``, first match winning."""
    extra = [Path(p).expanduser() for p in os.environ.get(PATH_ENV, "").split(os.pathsep) if p.strip()]
    return (*extra, *(Path(p).expanduser() for p in SYSTEM_DIRS))


def binding_missing() -> str | None:
    """Why the binding cannot be used (None: it can)."""
    try:
        import hunspell  # noqa: F401
    except ImportError as err:
        return f"the Hunspell binding is not installed ({err.name or 'hunspell'}): {INSTALL_HINT}"
    return None


def find_dictionary(name: str, folders: Sequence[Path] | None = None) -> Path | None:
    """``folder/name`` (without suffix) of the first folder holding both ``name.dic`` and ``name.aff``."""
    for folder in folders if folders is not None else search_path():
        base = folder / name
        if base.with_suffix(".dic").is_file() and base.with_suffix(".aff").is_file():
            return base
    return None


# Per-process memos (word verdicts, compound analyses) are cleared past this many entries: a 10 MB document of
# fresh words must not keep them all (some 100 bytes an entry).
MEMO_LIMIT = 100_000
_FIND_QUERIES = 128  # Speller.starts_a_word: past this many prefixes, sorting the stems costs less than searching
_LINE_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")  # str.splitlines' others
_INDENTED = regexcache.compile(r"\n[^\S\n\t]")  # a line starting with a space (its stem is the text after it)
_LETTERS = regexcache.compile(r"[^\W\d_]+")


class Speller:
    """The dictionaries of one target language: a word is known when any of them accepts it.

    Each dictionary is loaded when a lookup first needs it (de_DE 0.06 s, en_US 0.08 s, en_GB 0.11 s of CPU), and
    the next one only for a word the ones before it do not know; :meth:`views` lets a caller ask the first
    dictionaries alone, so that most runs never load the British one."""

    def __init__(self, lang: str, dictionaries: Sequence[tuple[str, Any]], files: Sequence[Path] = ()) -> None:
        self.lang = lang
        self.names = tuple(name for name, _ in dictionaries)
        # A loaded dictionary, or a function without arguments that loads it; shared with the views.
        self._dicts = [d for _, d in dictionaries]
        self._count = len(self._dicts)  # how many of them this speller (or view) asks
        # Per dictionary, word → accepted: documents repeat their words, one lookup per distinct word and process.
        self._hits: list[dict[str, bool]] = [{} for _ in self._dicts]
        self._files = tuple(files)  # the .dic files, for :meth:`starts_a_word`
        self._stems: list[str] | None = None  # casefolded and sorted, for starts_a_word
        self._stem_set: frozenset[str] | None = None
        self._views: tuple[Speller, ...] | None = None
        self._starts: dict[str, bool] = {}  # casefolded prefix → starts_a_word
        self._texts: list[str] | bool | None = None  # the casefolded .dic files (False: not searchable so)
        self.memo: dict[object, Any] = {}  # analyses built on the lookups (compound splits), per process

    def views(self) -> tuple[Speller, ...]:
        """This speller asking its first dictionary, its first two, …, all (the last: itself). They share the
        loaded dictionaries, the lookups and :attr:`memo`, and a word that one accepts every later one accepts."""
        if self._views is None:
            views = []
            for count in range(1, self._count):
                view = copy.copy(self)
                view.names, view._count, view._files = self.names[:count], count, self._files[:count]
                view._stems, view._stem_set, view._views, view._starts, view._texts = None, None, None, {}, None
                views.append(view)
            self._views = (*views, self)
        return self._views

    def starts_a_word(self, prefix: str) -> bool:
        """Whether a stem of the dictionaries begins with ``prefix`` (case-insensitive): "Kardio" of
        "Kardio-Training" begins "Kardiologie", so it is the head of a compound, not a slip."""
        folded = prefix.casefold()
        hit = self._starts.get(folded)
        if hit is None:
            texts = self._folded_texts() if self._stems is None and len(self._starts) < _FIND_QUERIES else None
            if texts is not None and _LETTERS.fullmatch(folded):
                # A stem is a line's start (before its flags): the casefolded .dic has "\n" + the prefix.
                hit = any("\n" + folded in text for text in texts)
            else:
                if self._stems is None:
                    self._stems = sorted({stem.casefold() for stem in self.stems()})
                    self._texts = None
                at = bisect.bisect_left(self._stems, folded)
                hit = at < len(self._stems) and self._stems[at].startswith(folded)
            if len(self._starts) >= MEMO_LIMIT:
                self._starts.clear()
            self._starts[folded] = hit
        return hit

    def _folded_texts(self) -> list[str] | None:
        """The .dic files casefolded, when every line of them starts after a newline character with its stem
        (or is a comment, a tab-indented line or empty): then a search for a newline and the prefix finds what
        a search of the sorted stems finds, at 0.3 ms a prefix against 0.1–0.2 s to sort them. None: a file is
        not like that (other line breaks, lines starting with spaces), and the stems are sorted."""
        if self._texts is None:
            texts: list[str] | None = []
            for path in self._files:
                try:
                    text = path.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
                if (any(sep in text for sep in _LINE_BREAKS) or text.count("\r") != text.count("\r\n")
                        or _INDENTED.search(text)):
                    texts = None
                    break
                texts.append(casefolded(text))  # type: ignore[union-attr]
            self._texts = texts if texts is not None else False
        return self._texts if self._texts is not False else None  # type: ignore[return-value]

    def stems(self) -> frozenset[str]:
        """The words the dictionaries list as written (their .dic stems, without affix flags), read once.

        A set lookup costs a fraction of a microsecond against tens for Hunspell's own lookup: this is what makes
        looking for the words one edit away from a misspelling cheap enough for every finding."""
        if self._stem_set is None:
            stems: set[str] = set()
            for path in self._files:
                try:
                    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[1:]  # 1st: a count
                except OSError:
                    continue
                stems.update(line.split("/", 1)[0].strip() for line in lines if line[:1] not in "\t#")
            self._stem_set = frozenset(stems)
        return self._stem_set

    def loaded(self) -> bool:
        """Whether every dictionary this speller asks is loaded (a lookup costs no loading)."""
        return not any(callable(d) for d in self._dicts[:self._count])

    def known(self, word: str) -> bool:
        hit = self._hits[0].get(word) if self._count else False  # most words: the first dictionary, asked before
        if hit:
            return True
        for at in range(self._count):
            hits = self._hits[at]
            hit = hits.get(word)
            if hit is None:
                dictionary = self._dicts[at]
                if len(hits) >= MEMO_LIMIT:
                    hits.clear()
                if callable(dictionary):  # not loaded yet (a HunSpell object is not callable)
                    accepts = getattr(dictionary, "accepts", None)
                    if accepts is not None and accepts(word):  # the table of its forms: what spell() says
                        hits[word] = True
                        return True
                    dictionary = self._dicts[at] = dictionary()
                hit = hits[word] = _spell(dictionary, word)
            if hit:
                return True
        return False


_FOLD_BLOCK = 1 << 15


def casefolded(text: str) -> str:
    """``text.casefold()``, a block at a time: CPython folds a string that is not ASCII in a buffer of 12 bytes a
    character (13 MB for a 1 MB dictionary), and casefolding is per character."""
    if len(text) <= _FOLD_BLOCK or text.isascii():
        return text.casefold()
    return "".join(text[at:at + _FOLD_BLOCK].casefold() for at in range(0, len(text), _FOLD_BLOCK))


def _spell(dictionary: Any, word: str) -> bool:
    try:
        return bool(dictionary.spell(word))
    except UnicodeError:  # a character the dictionary's encoding lacks: not a word it knows
        return False


@lru_cache(maxsize=8)
def speller(lang: str | None, folders: tuple[Path, ...] | None = None) -> Speller | None:
    """The speller of a target language, loaded once per process; None when the binding or every dictionary of
    the language is missing (:func:`unavailable` says why)."""
    names = DICTIONARIES.get(lang or "")
    if not names or binding_missing():
        return None
    import hunspell

    from tqcheck.spelling.forms import Dictionary

    found, files = [], []
    for name in names:
        base = find_dictionary(name, folders)
        if base is not None:
            dic, aff = base.with_suffix(".dic"), base.with_suffix(".aff")
            # Loaded when first asked, unless the table of its forms confirms the word (spelling.forms).
            found.append((name, Dictionary(dic, aff, lambda dic=str(dic), aff=str(aff): hunspell.HunSpell(dic, aff))))
            files.append(dic)
    return Speller(lang, found, files) if found else None  # type: ignore[arg-type]


_ABSENT = object()
_unavailable: dict[tuple[object, ...], str | None] = {}


def unavailable(lang: str | None) -> str | None:
    """Why the spelling of ``lang`` cannot be checked here (None: it can, or the language has no dictionary).

    Asked for every document: the answer is kept per search path and state of the binding's import, so that only
    the first pays for the import attempt and the file tests."""
    key = (lang, os.environ.get(PATH_ENV), SYSTEM_DIRS, sys.modules.get("hunspell", _ABSENT))
    reason = _unavailable.get(key, _ABSENT)
    if reason is _ABSENT:
        if len(_unavailable) >= 64:
            _unavailable.clear()
        reason = _unavailable[key] = _unavailable_now(lang)
    return reason  # type: ignore[return-value]


def _unavailable_now(lang: str | None) -> str | None:
    names = DICTIONARIES.get(lang or "")
    if not names:
        return None
    missing = binding_missing()
    if missing:
        return missing
    if not any(find_dictionary(name) for name in names):
        folders = ", ".join(str(p) for p in search_path())
        return (f"no Hunspell dictionary {' or '.join(names)} in {folders} (apt-get install "
                f"{' '.join(_PACKAGES[n] for n in names)}, or set {PATH_ENV})")
    return None


_PACKAGES = {"de_DE": "hunspell-de-de", "en_US": "hunspell-en-us", "en_GB": "hunspell-en-gb"}


def read_word_list(path: Path) -> tuple[str, ...]:
    """A user word list: one word per line, ``#`` comments, blank lines ignored.

    Raises:
        ConfigError: the file is missing, unreadable or not UTF-8, or a line holds more than one word (with its
            line number).
    """
    lines = read_user_text(path, "word list").splitlines()
    words = []
    for number, raw in enumerate(lines, start=1):
        word = raw.split("#", 1)[0].strip()
        if any(ch.isspace() for ch in word):
            raise ConfigError(f"{path}:{number}: one word per line expected, found {word!r}")
        if word:
            words.append(word)
    return tuple(words)


def require(select: Sequence[str]) -> None:
    """When ``select`` names the spelling rule itself (its code or name), the binding and a dictionary must be
    there: a missing one is an error (exit 2) naming the install line, before any work.

    Raises:
        ConfigError: the rule was selected and cannot run.
    """
    from tqcheck.rules.spelling import CODE, NAME

    if not any(spec.strip().upper() == CODE or spec.strip() == NAME for spec in select):
        return
    reason = binding_missing()
    if reason is None and not any(find_dictionary(n) for names in DICTIONARIES.values() for n in names):
        reason = unavailable("de")
    if reason:
        raise ConfigError(f"{CODE} {NAME} was selected but cannot run: {reason}")
