"""Compiled regular expressions whose engine programs are kept in the cache folder between runs.

``re.compile`` parses a pattern and generates the program the regex engine runs; for tqcheck's few hundred
patterns (number words, units, dates, English leftovers) that is some 0.08 s of a fresh check's CPU. The program
depends on nothing but the pattern, its flags and the Python that built it, so it is kept per Python build in
one table (:func:`tqcheck.datacache.cache_dir`), and a pattern found there is handed to the engine as it is: the
same ``re.Pattern`` (it compares equal to ``re.compile``'s), in microseconds. New programs are added to the file
when the process ends.

tqcheck's own patterns go through here (its code and the packs and lexicons it ships), and the few that the rules
derive from pack entries, a ``--pack`` folder's included (see :data:`_MAX_CODE`); never a glossary's terms, and
never any text of a checked document.
"""

from __future__ import annotations

import array
import re

from tqcheck import datacache

# (the engine's MAGIC, flags, code, groups, groupindex, indexgroup): what re._compiler.compile hands to _sre.compile
Program = tuple[int, int, array.array, int, dict[str, int], tuple[str | None, ...]]

# The table's bound, in code words of all its programs (4 bytes each): some 25 times what the tree builds. Patterns
# made from a user's pack (its exonyms, its loan phrases) are kept too, and an edited pack leaves its old ones
# behind: a table past the bound starts again from the programs the process that saves it used.
_MAX_CODE = 2_000_000
_TABLE = datacache.KeptTable("regex-programs", (__file__,), _MAX_CODE, lambda program: len(program[2]))


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the program kept in the cache folder when it is there.

    Raises:
        re.error: the pattern is invalid (as ``re.compile`` raises it).
    """
    flags = int(flags)
    key = (pattern, flags)
    program = _TABLE.get(key)
    if program is None:
        program = build_program(pattern, flags)
        if program is None:
            return re.compile(pattern, flags)
        _TABLE.put(key, program)
    compiled = from_program(pattern, program)  # type: ignore[arg-type]
    return compiled if compiled is not None else re.compile(pattern, flags)


def build_program(pattern: str, flags: int) -> Program | None:
    """What the regex engine runs for ``pattern`` (as ``re._compiler.compile`` builds it); None where this
    Python builds it otherwise (``re.compile`` then does it all), or where ``flags`` ask for more than a program
    (DEBUG prints it).

    Raises:
        re.error: the pattern is invalid.
    """
    flags = int(flags)
    if flags & re.DEBUG or not isinstance(pattern, str):
        return None
    try:
        import _sre
        from re import _compiler, _parser  # type: ignore[attr-defined]
    except ImportError:
        return None
    parsed = _parser.parse(pattern, flags)  # raises re.error for a bad pattern, as re.compile does
    try:
        code = array.array("I", _compiler._code(parsed, flags))
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, number in parsed.state.groupdict.items():
            indexgroup[number] = name
        return (_sre.MAGIC, flags | parsed.state.flags, code, parsed.state.groups - 1, dict(parsed.state.groupdict),
                tuple(indexgroup))
    except Exception:  # another engine's internals: compile as usual
        return None


def from_program(pattern: str, program: Program | None) -> re.Pattern[str] | None:
    """The pattern the engine makes of ``program``; None where the program is not one this engine runs."""
    if program is None:
        return None
    try:
        import _sre

        magic, flags, code, groups, groupindex, indexgroup = program
        if magic != _sre.MAGIC:
            return None
        return _sre.compile(pattern, flags, code.tolist(), groups, groupindex, indexgroup)  # type: ignore[no-any-return]
    except Exception:  # e.g. another signature of the engine's constructor: compile as usual
        return None


__all__ = ["Program", "build_program", "compile", "from_program"]
