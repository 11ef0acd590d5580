"""Cheap necessary conditions for a regular expression to match, so that a text it cannot match is not scanned.

A case-insensitive pattern, or one that opens with a look-behind or an alternation, loses the regex engine's
literal and character-set fast paths: it is tried at every position of the text (0.05–0.25 µs a character on
this project's machine). Most such patterns still need, in every match, one of a few literals ("tausend",
"年") or one character of a class (a digit). ``str.__contains__`` and a one-class search find those at memory
speed, and a text without any of them is skipped: the result is the same, found sooner.

The analysis reads the pattern's parse tree (``re._parser``): a literal run, a character class, a group, an
alternation whose every branch needs something, and a repeat of at least one are what a match must contain.
Anything it does not understand gives no condition, which only costs speed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def _extra_folds() -> re.Pattern[str]:
    """Characters the regex engine matches case-insensitively beyond ``str.lower`` (re._casefix: ſ = s, ı = i,
    the Greek and Cyrillic variants) and İ, which ``str.lower`` makes two characters where the engine makes it
    "i": in a text with any of them a lowercase literal test could miss a match."""
    from re import _casefix  # type: ignore[attr-defined]

    chars = {chr(c) for k, v in _casefix._EXTRA_CASES.items() for c in (k, *v)} | {"\u0130"}
    return re.compile("[" + "".join(map(re.escape, sorted(chars))) + "]")


_EXTRA_FOLDS = _extra_folds()

_Atom = tuple[str, str]  # ("literal", lowercase text) or ("class", a character class in regex syntax)


class ScanText:
    """A text with what the prefilters test on it, each worked out once however many patterns ask."""

    __slots__ = ("_folds", "_lowered", "text")

    def __init__(self, text: str, lowered: str | None = None) -> None:
        self.text = text
        self._lowered = lowered
        self._folds: bool | None = None

    @property
    def lowered(self) -> str:
        if self._lowered is None:
            self._lowered = self.text.lower()
        return self._lowered

    @property
    def extra_folds(self) -> bool:
        if self._folds is None:
            self._folds = _EXTRA_FOLDS.search(self.text) is not None
        return self._folds


@dataclass(frozen=True, slots=True)
class Prefilter:
    """What every match of one pattern contains: one of ``literals`` (lowercase, found in the lowercased text)
    or a character that ``chars`` matches. Empty: nothing is known, and every text may match."""

    literals: tuple[str, ...] = ()
    chars: re.Pattern[str] | None = None
    ignorecase: bool = False

    def may_match(self, scan: ScanText) -> bool:
        if not self.literals and self.chars is None:
            return True
        if self.literals:
            if self.ignorecase and scan.extra_folds:
                return True
            lowered = scan.lowered
            if any(literal in lowered for literal in self.literals):
                return True
        return self.chars is not None and self.chars.search(scan.text) is not None


@lru_cache(maxsize=4096)
def prefilter(pattern: re.Pattern[str]) -> Prefilter:
    """The prefilter of ``pattern`` (cached: patterns are module constants and pack entries)."""
    atoms = _requirement(pattern, min_literal=1, classes=True)
    if not atoms:
        return Prefilter()
    literals = tuple(sorted(text for kind, text in atoms if kind == "literal"))
    classes = sorted(text for kind, text in atoms if kind == "class")
    flags = pattern.flags & (re.IGNORECASE | re.ASCII)
    chars = re.compile("|".join(classes), flags) if classes else None
    return Prefilter(literals, chars, bool(pattern.flags & re.IGNORECASE))


def required_literals(pattern: re.Pattern[str], min_length: int = 2) -> tuple[str, ...] | None:
    """Literals (lowercase, at least ``min_length`` long) one of which occurs in every match of ``pattern``, or
    None when not derivable."""
    atoms = _requirement(pattern, min_literal=min_length, classes=False)
    return tuple(sorted(text for _, text in atoms)) if atoms else None


def _requirement(pattern: re.Pattern[str], *, min_literal: int, classes: bool) -> frozenset[_Atom] | None:
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    def rank(atoms: frozenset[_Atom]) -> tuple[bool, bool, int]:
        # Literals of two or more characters are rarer than any class, a literal character than a class; then
        # the longer the shortest literal, the better.
        lengths = [len(text) for kind, text in atoms if kind == "literal"]
        only_literals = all(kind == "literal" for kind, _ in atoms)
        only_long = only_literals and min(lengths, default=0) >= 2
        return (only_long, only_literals, min(lengths, default=1))

    def better(a: frozenset[_Atom] | None, b: frozenset[_Atom] | None) -> frozenset[_Atom] | None:
        if not a:
            return b
        if not b:
            return a
        return a if rank(a) >= rank(b) else b

    def class_source(items) -> str | None:
        parts, negate = [], ""
        for op, arg in items:
            if op is c.NEGATE:
                negate = "^"
            elif op is c.LITERAL:
                parts.append(re.escape(chr(arg)))
            elif op is c.RANGE:
                parts.append(f"{re.escape(chr(arg[0]))}-{re.escape(chr(arg[1]))}")
            elif op is c.CATEGORY and arg in _CATEGORIES:
                parts.append(_CATEGORIES[arg])
            else:
                return None
        return f"[{negate}{''.join(parts)}]" if parts else None

    def scan(items) -> frozenset[_Atom] | None:
        best: frozenset[_Atom] | None = None
        run = ""

        def close_run() -> None:
            nonlocal best, run
            if len(run) >= min_literal:
                best = better(best, frozenset({("literal", run)}))
            run = ""

        for op, arg in items:
            if op is c.LITERAL:
                run += chr(arg).lower()
                continue
            close_run()
            if op is c.SUBPATTERN:
                if not arg[1] and not arg[2]:  # a group that changes no flags
                    best = better(best, scan(arg[-1]))
            elif op is c.ATOMIC_GROUP:
                best = better(best, scan(arg))
            elif op is c.BRANCH:
                alternatives = [scan(alt) for alt in arg[1]]
                if all(alternatives):
                    best = better(best, frozenset().union(*alternatives))  # type: ignore[arg-type]
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and arg[0] >= 1:
                best = better(best, scan(arg[2]))
            elif classes and op in (c.IN, c.NOT_LITERAL):
                source = class_source(arg) if op is c.IN else f"[^{re.escape(chr(arg))}]"
                if source is not None:
                    best = better(best, frozenset({("class", source)}))
        close_run()
        return best

    try:
        return scan(_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # an analysis failure only costs speed, never a match
        return None


def _categories() -> dict[object, str]:
    from re import _constants as c  # type: ignore[attr-defined]

    return {c.CATEGORY_DIGIT: r"\d", c.CATEGORY_NOT_DIGIT: r"\D", c.CATEGORY_SPACE: r"\s",
            c.CATEGORY_NOT_SPACE: r"\S", c.CATEGORY_WORD: r"\w", c.CATEGORY_NOT_WORD: r"\W"}


_CATEGORIES = _categories()
