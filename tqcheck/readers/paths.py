"""Language codes from file names: ``article.de.txt``, ``article.zh-de.mt.txt``, ``de/article.txt``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tqcheck import regexcache

# ISO 639-1 codes of languages tqcheck knows something about; a name part must be one of these to count.
KNOWN_LANGS = frozenset(
    [
        "ar", "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "he", "hi", "hr", "hu", "id", "it", "ja",
        "ko", "lt", "lv", "nl", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sv", "th", "tr", "uk", "vi", "zh",
    ]
)
_PAIR = regexcache.compile(r"^([a-z]{2})[-_]([a-z]{2})$")


def langs_from_name(path: Path | str) -> tuple[str | None, str | None]:
    """Return ``(source_lang, target_lang)`` named by a file name, or ``None`` where it names none.

    ``x.zh-de.mt.txt`` gives ``("zh", "de")``; ``x.de.txt`` gives ``(None, "de")``.
    """
    parts = Path(path).name.lower().split(".")[1:]
    for part in parts:
        match = _PAIR.match(part)
        if match and match.group(1) in KNOWN_LANGS and match.group(2) in KNOWN_LANGS:
            return match.group(1), match.group(2)
    for part in reversed(parts):
        if part in KNOWN_LANGS:
            return None, part
    return None, None


# Suffixes a folder scan picks up: plain texts are checked as documents, bilingual files unit by unit.
TEXT_SUFFIXES = frozenset({".txt", ".text"})
BILINGUAL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".tsv", ".xlf", ".xliff", ".tmx", ".sdlxliff", ".mqxliff",
                                ".mxliff", ".txlf", ".po", ".pot"})
_ROLES = frozenset({"mt", "ref"})
_TAG = regexcache.compile(r"^([a-z]{2,3})(?:[-_][0-9a-z]{2,8})*$", re.IGNORECASE)
_SUBTAG = regexcache.compile(r"^([a-z]{2})[-_]([0-9A-Za-z]{2,8})$")


_ISO_639_2 = {
    "ger": "de", "deu": "de", "chi": "zh", "zho": "zh", "eng": "en", "fre": "fr", "fra": "fr", "spa": "es",
    "ita": "it", "jpn": "ja", "kor": "ko", "rus": "ru", "por": "pt", "dut": "nl", "nld": "nl", "pol": "pl",
    "tur": "tr", "ara": "ar", "cze": "cs", "ces": "cs", "swe": "sv", "dan": "da", "fin": "fi", "nor": "no",
    "gre": "el", "ell": "el", "hun": "hu", "ukr": "uk", "tha": "th", "vie": "vi", "ind": "id", "heb": "he",
}


def primary_lang(tag: str | None) -> str | None:
    """The primary language subtag of a BCP 47-ish tag, lower-cased: ``zh-CN`` → ``zh``, ``de_DE`` → ``de``.

    Rule packs are keyed by primary language, so every language that enters tqcheck is reduced to it;
    anything that is not a language tag (TMX's ``*all*``, an empty string) gives ``None``.
    """
    if not tag:
        return None
    match = _TAG.match(tag.strip())
    if not match:
        return None
    primary = match.group(1).lower()
    # memoQ and some TMX writers use ISO 639-2 codes (ger-DE, chi-CN): the packs are keyed by ISO 639-1.
    return _ISO_639_2.get(primary, primary)


def lang_from_folder(name: str) -> str | None:
    """Language named by a folder such as ``de``, ``de-DE``, ``zh_CN`` or ``zh-Hans``; ``None`` otherwise.

    Only known languages count, so that ordinary folders (``src``, ``docs``) are never taken for one; a
    name like ``zh-de`` is a language pair, not a language with a region, and gives ``None``.
    """
    lowered = name.lower()
    if lowered in KNOWN_LANGS:
        return lowered
    match = _SUBTAG.match(name)
    if not match or match.group(1).lower() not in KNOWN_LANGS:
        return None
    sub = match.group(2)
    if sub.islower() and sub in KNOWN_LANGS:
        return None
    return match.group(1).lower()


@dataclass(frozen=True, slots=True)
class NameParts:
    """What a file name says by tqcheck's naming conventions.

    ``article.zh-de.mt.txt`` → base ``article``, src ``zh``, lang ``de``, role ``mt``, paired;
    ``article.ref.de.txt`` → base ``article``, lang ``de``, role ``ref``; ``article.txt`` → base only.
    """

    base: str
    suffix: str  # lower-cased, with the dot; "" when the name has none
    lang: str | None  # the single language, or the target of a pair
    src: str | None = None  # the source of a pair
    role: str | None = None  # "mt" or "ref"
    paired: bool = False


def split_name(path: Path | str) -> NameParts:
    """Split a file name into base name, language markers and role markers (see :class:`NameParts`).

    Markers are read from the right, between the first dot-part (always the base, so ``de.txt`` is a
    file named "de") and the extension; the first unknown part ends them, so ``v1.2.de.txt`` has base
    ``v1.2``.
    """
    parts = Path(path).name.split(".")
    if len(parts) < 2:
        return NameParts(base=parts[0], suffix="", lang=None)
    suffix = "." + parts[-1].lower()
    middle = parts[1:-1]
    lang: str | None = None
    src: str | None = None
    role: str | None = None
    paired = False
    while middle:
        part = middle[-1].lower()
        pair = _PAIR.match(part)
        if part in _ROLES and role is None:
            role = part
        elif part in KNOWN_LANGS and lang is None:
            lang = part
        elif pair and pair.group(1) in KNOWN_LANGS and pair.group(2) in KNOWN_LANGS and lang is None:
            src, lang, paired = pair.group(1), pair.group(2), True
        else:
            break
        middle.pop()
    return NameParts(base=".".join([parts[0], *middle]), suffix=suffix, lang=lang, src=src, role=role, paired=paired)


def is_dir(path: Path | str) -> bool:
    """``Path.is_dir`` that says no, rather than raising, for a path that cannot be looked up (a name too long,
    a folder on the way that cannot be searched): whoever reads the path reports the problem."""
    try:
        return Path(path).is_dir()
    except OSError:
        return False


def is_file(path: Path | str) -> bool:
    """``Path.is_file``, saying no for a path that cannot be looked up (see :func:`is_dir`)."""
    try:
        return Path(path).is_file()
    except OSError:
        return False
