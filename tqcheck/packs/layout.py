"""What a pack folder may hold, and warnings for what tqcheck would pass over without a word.

:func:`tqcheck.packs.load_packs` reads the files it knows and ignores the rest, so a misnamed file
(``calque.tsv``), a file one folder too high, or a folder named ``german`` instead of ``de`` silently adds
nothing. ``--pack`` folders are checked here before a run, so the editor learns why an entry never fires.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from tqcheck import packs, regexcache
from tqcheck.packs import PAIR_PHRASE_FILES, TARGET_PHRASE_FILES

# Read in any language folder, pair (zh-de) or target (de): the names load_packs reads one by one.
COMMON_FILES = frozenset(packs.COMMON_FILES)
PAIR_ONLY_FILES = frozenset(f"{name}.tsv" for name in PAIR_PHRASE_FILES)
TARGET_ONLY_FILES = frozenset(f"{name}.tsv" for name in TARGET_PHRASE_FILES)
KNOWN_FILES = COMMON_FILES | PAIR_ONLY_FILES | TARGET_ONLY_FILES

_LANGUAGE = "[a-z]{2,3}"  # as tqcheck names languages: ISO 639 codes, lower case
_TARGET_FOLDER = regexcache.compile(_LANGUAGE)
_PAIR_FOLDER = regexcache.compile(f"{_LANGUAGE}-{_LANGUAGE}")
# Files a pack folder may carry for people, not for tqcheck, and what Python leaves in one that is also a package
# (the built-in packs are: __init__.py, __pycache__).
_DOCUMENTATION = regexcache.compile(r"(?i)(?:license|licence|copying|readme|notice|authors|changelog)\b.*"
                                    r"|.*\.(?:md|rst)|__pycache__|.*\.py[cd]?")


def pack_warnings(root: Path) -> list[str]:
    """What in the pack folder ``root`` tqcheck will not read, each as ``path: problem``; [] when all is read."""
    if not root.is_dir():
        return []  # load_packs says so, as an error
    warnings: list[str] = []
    recognised = 0
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or _DOCUMENTATION.fullmatch(entry.name):
            continue
        if entry.is_file():
            if entry.name in KNOWN_FILES:
                warnings.append(f"{entry}: pack files go in a folder named by language pair or target language "
                                f"(e.g. {root / 'zh-de' / entry.name}); not read")
            elif entry.suffix in (".tsv", ".txt"):
                warnings.append(f"{entry}: not read (pack files go in language folders: {root}/zh-de/, {root}/de/)")
            continue
        if not entry.is_dir():
            continue
        is_pair = bool(_PAIR_FOLDER.fullmatch(entry.name))
        if not is_pair and not _TARGET_FOLDER.fullmatch(entry.name):
            warnings.append(f"{entry}: not a language folder (a target language such as de, or a pair such as "
                            "zh-de); not read")
            continue
        found, problems = _folder_warnings(entry, is_pair)
        recognised += found
        warnings.extend(problems)
    if not recognised:
        warnings.append(f"{root}: no pack file found (expected language folders such as zh-de/ or de/ holding "
                        f"{', '.join(sorted(PAIR_ONLY_FILES | {'terms.tsv'}))}…; see docs/packs.md)")
    return warnings


def _folder_warnings(folder: Path, is_pair: bool) -> tuple[int, list[str]]:
    readable = COMMON_FILES | (PAIR_ONLY_FILES if is_pair else TARGET_ONLY_FILES)
    found = 0
    problems: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or _DOCUMENTATION.fullmatch(path.name):
            continue
        if path.name in readable and path.is_file():
            found += 1
        elif path.name in PAIR_ONLY_FILES:
            problems.append(f"{path}: read only in a language-pair folder (such as zh-{folder.name}); not read")
        elif path.name in TARGET_ONLY_FILES:
            problems.append(f"{path}: read only in a target-language folder (such as {folder.name.split('-')[-1]}); "
                            "not read")
        else:
            close = difflib.get_close_matches(path.name, sorted(readable), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}?" if close else f"pack files here: {', '.join(sorted(readable))}"
            problems.append(f"{path}: not a pack file name, not read ({hint})")
    return found, problems
