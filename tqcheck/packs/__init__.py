"""Rule packs: lexicons as data files, loaded strictly (every error names ``file:line``).

Layout and format: docs/packs.md. A folder ``<src>-<tgt>`` applies to a language pair, a folder ``<tgt>`` to
every text in that target language. User packs (``--pack DIR``) have the same layout and add to the
built-in entries.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from tqcheck import datacache
from tqcheck import prefilter as prefilter_module
from tqcheck.errors import PackError
from tqcheck.prefilter import literal_prefixes, required_clauses, required_literals, run_prefixes
from tqcheck.regexcache import Program, build_program, from_program

_T = TypeVar("_T")

BUILTIN_DIR = Path(__file__).parent

PHRASE_COLUMNS = ("source", "pattern", "example", "why", "suggestion")
# Optional last column of a phrase pack: whether each alternative of `suggestion` is a drop-in substitute for
# exactly the matched words ("replace": offered as replacements and SARIF fixes) or wording to adapt ("advice",
# the default: a fix applied blindly would break the sentence).
PHRASE_FIX_COLUMN = "fix"
PHRASE_FIXES = frozenset({"replace", "advice"})
TERM_COLUMNS = ("source", "variant", "pattern", "example", "preferred")
FURNITURE_COLUMNS = ("kind", "pattern", "example", "why", "suggestion")
FURNITURE_KINDS = frozenset({"navigation", "teaser-heading", "bio", "share", "copyright"})
EXONYM_COLUMNS = ("name", "german", "kind")
# place/weekday/month/holiday names are also parts of longer names German keeps ("Air India", "Black Friday");
# "keep" lists such longer names; the other kinds are reported wherever they occur (docs/packs.md).
EXONYM_KINDS = frozenset({"place", "weekday", "month", "holiday", "institution", "acronym", "title", "event", "keep"})

PAIR_PHRASE_FILES = ("calques", "false_friends")
TARGET_PHRASE_FILES = ("pivot_names",)
# The files every pack folder (pair or target) may hold, by what load_packs makes of them; packs.layout's warnings
# know a pack file by these names.
TERMS_FILE = "terms.tsv"
FURNITURE_FILE = "furniture.tsv"
EXONYMS_FILE = "exonyms.tsv"
LOANWORDS_FILE = "german_loanwords.txt"
WORD_LIST_FILES = ("pivot_words.txt", "stopwords.txt", "grammatical_doubles.txt")
# TQ203's English lexicon: english_words.txt is generated (docs/packs.md) and adds to pivot_words.
ENGLISH_LEXICON_FILES = ("english_words.txt", "pivot_function_words.txt", "english_shared_words.txt")
COMMON_FILES = (TERMS_FILE, FURNITURE_FILE, *WORD_LIST_FILES, *ENGLISH_LEXICON_FILES, LOANWORDS_FILE, EXONYMS_FILE)
_FLAGS = re.IGNORECASE | re.UNICODE


def _compiled(entry: PhraseEntry | TermVariant | FurnitureEntry) -> re.Pattern[str]:
    """The entry's pattern, compiled at first use: compiling costs about 2 ms a pattern, and most entries of a
    pack never get near a given text (the loader validated every pattern when it first read the file). A pack
    read back from the cache carries each pattern's engine program, which compiles in microseconds."""
    compiled = entry._compiled
    if compiled is None:
        compiled = from_program(entry.regex, entry.program) or re.compile(entry.regex, _FLAGS)
        object.__setattr__(entry, "_compiled", compiled)
    return compiled


def _program(regex: str) -> Program | None:
    """What the regex engine runs for ``regex`` (:func:`tqcheck.regexcache.build_program`), kept with the cached
    rows so that a pattern compiles without being parsed again; None where this Python builds it otherwise."""
    try:
        return build_program(regex, _FLAGS)
    except re.error:  # the loader reports a bad pattern with its file and line; here it only costs the parse
        return None


@dataclass(frozen=True, slots=True)
class PhraseEntry:
    """A wrong rendering of a source phrase, with advice."""

    source: str
    regex: str  # the pattern's source; :attr:`pattern` compiles it (case-insensitively) when first asked
    example: str
    why: str
    suggestion: str
    origin: str  # "file:line", for messages
    # Lowercase literals of which every match contains one (None: unknown). A case-insensitive regex loses
    # re's literal-prefix fast path; a substring test on the lowercased text skips most entries for free.
    anchors: tuple[str, ...] | None = None
    fix: str = "advice"  # "replace": every alternative of `suggestion` is a drop-in substitute for the match
    # Lowercase literals one of which every match starts with (None: unknown): where they stand in the lowered
    # text are the only places a match can start (tqcheck.prefilter.literal_prefixes).
    leads: tuple[str, ...] | None = None
    # Sharper than anchors: per alternative of the pattern, clauses of literals all of which a match of it
    # satisfies (tqcheck.prefilter.required_clauses); None: unknown.
    clauses: tuple[tuple[tuple[str, ...], ...], ...] | None = None
    # For a pattern that opens with a run of a character class (``\w*kreditsystem``) instead of leads: the
    # class, its flags, and the leads that follow the run (tqcheck.prefilter.run_prefixes).
    run_leads: tuple[str, int, tuple[str, ...]] | None = None
    program: Program | None = field(default=None, repr=False, compare=False)
    _compiled: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compiled(self)

    @property
    def alternatives(self) -> tuple[str, ...]:
        """The alternatives of ``suggestion`` (separated by `` / ``), templates unfilled."""
        return tuple(s.strip() for s in self.suggestion.split(" / ") if s.strip())

    def fill(self, template: str, match: re.Match[str]) -> str:
        """``template`` (``why`` or ``suggestion``) with ``{match}`` and ``{group}`` filled from ``match``."""
        values = {name: value or "" for name, value in match.groupdict().items()}
        return template.format(match=match.group(), **values)


@dataclass(frozen=True, slots=True)
class TermVariant:
    variant: str
    regex: str
    preferred: bool
    origin: str
    program: Program | None = field(default=None, repr=False, compare=False)
    _compiled: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compiled(self)


@dataclass(frozen=True, slots=True)
class TermGroup:
    """Renderings of one source term; more than one in a text is inconsistent."""

    source: str
    variants: tuple[TermVariant, ...]

    @property
    def preferred(self) -> TermVariant:
        """The recommended rendering (the loader requires one per group)."""
        return next(v for v in self.variants if v.preferred)


@dataclass(frozen=True, slots=True)
class ExonymEntry:
    """A name German writes its own way (``german``), in the form that must not stand in a German text (``name``)."""

    name: str
    german: str
    kind: str
    origin: str


@dataclass(frozen=True, slots=True)
class FurnitureEntry:
    kind: str
    regex: str
    why: str
    suggestion: str
    origin: str
    program: Program | None = field(default=None, repr=False, compare=False)
    _compiled: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compiled(self)


@dataclass(frozen=True)
class PackSet:
    """Every lexicon that applies to one language pair."""

    phrases: dict[str, tuple[PhraseEntry, ...]] = field(default_factory=dict)
    terms: tuple[TermGroup, ...] = ()
    furniture: tuple[FurnitureEntry, ...] = ()
    pivot_words: frozenset[str] = frozenset()
    stopwords: frozenset[str] = frozenset()
    grammatical_doubles: frozenset[str] = frozenset()  # words the language may repeat ("die die", "had had")
    # TQ203: English function words that are not target-language words; English words the target language
    # also has or borrows (part of an English phrase, never reported alone); names it writes its own way.
    pivot_function_words: frozenset[str] = frozenset()
    loanwords: frozenset[str] = frozenset()
    loan_phrases: frozenset[str] = frozenset()  # multi-word English expressions German uses ("social media")
    exonyms: tuple[ExonymEntry, ...] = ()
    fingerprints: tuple[tuple[str, str], ...] = ()  # (pack id, sha256 prefix) for the run signature

    def phrase_entries(self, name: str) -> tuple[PhraseEntry, ...]:
        return self.phrases.get(name, ())


def _rows(path: Path, columns: Sequence[str], optional: Sequence[str] = ()) -> Iterable[tuple[int, list[str]]]:
    """The fields of each entry line. ``optional`` columns may follow ``columns`` in the header (all or none);
    when the header leaves them out, each row gets them empty."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise PackError(path, None, f"not UTF-8: {err}") from err
    except OSError as err:
        raise PackError(path, None, f"cannot read: {err.strerror}") from err
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if not header_seen:
            if tuple(fields) not in (tuple(columns), (*columns, *optional)):
                allowed = ' TAB '.join(columns) + (f" (then {' TAB '.join(optional)})" if optional else "")
                raise PackError(path, number, f"header must be {allowed}, found {' TAB '.join(fields)}")
            header_seen = True
            width = len(fields)
            continue
        if len(fields) != width:
            raise PackError(path, number, f"expected {width} tab-separated fields "
                                          f"({', '.join([*columns, *optional][:width])}), found {len(fields)}")
        yield number, [f.strip() for f in fields] + [""] * (len(columns) + len(optional) - width)
    if not header_seen:
        raise PackError(path, None, f"no header line ({' TAB '.join(columns)})")


def _require(path: Path, number: int, row: dict[str, str], *names: str) -> None:
    for name in names:
        if not row[name]:
            raise PackError(path, number, f"empty {name!r} field")


def _compile(path: Path, number: int, pattern: str, example: str | None) -> re.Pattern[str]:
    try:
        compiled = re.compile(pattern, _FLAGS)
    except re.error as err:
        raise PackError(path, number, f"pattern does not compile: {err}") from err
    if compiled.groups != len(compiled.groupindex):
        raise PackError(path, number, "pattern has unnamed capturing groups; use (?:...), or (?P<name>...) for "
                                      "words a message fills in")
    if compiled.search("") is not None:
        raise PackError(path, number, "pattern matches the empty string")
    if example is not None and not compiled.search(example):
        raise PackError(path, number, f"pattern {pattern!r} does not match its example {example!r}")
    return compiled


def _check_template(path: Path, number: int, column: str, text: str, pattern: re.Pattern[str]) -> None:
    """``text`` may name ``{match}`` and the pattern's named groups, nothing else (``{{`` for a brace)."""
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)
                  if name is not None]
    except ValueError as err:
        raise PackError(path, number, f"{column!r}: {err} (write {{{{ and }}}} for a literal brace)") from None
    for name, spec, conversion in fields:
        if name != "match" and name not in pattern.groupindex:
            known = ", ".join(["{match}", *(f"{{{g}}}" for g in pattern.groupindex)])
            raise PackError(path, number, f"{column!r} names {{{name}}}, which is not one of {known}")
        if spec or conversion:
            raise PackError(path, number, f"{column!r}: {{{name}}} takes no format or conversion")


# Each loader reads a file in two steps: its rows, checked and reduced to plain data (strings, numbers, tuples: a
# pickle of them is small, quick to read and names no file), then the entries, with ``file:line`` origins. The
# rows of an unchanged file are read back from the cache folder (tqcheck.datacache), so that a run pays neither
# the checks (a compile and an example match a pattern) nor the derived literals again.
_PhraseRow = tuple[int, str, str, str, str, str, str, "tuple[str, ...] | None", "tuple[str, ...] | None",
                   "tuple[tuple[tuple[str, ...], ...], ...] | None", "tuple[str, int, tuple[str, ...]] | None",
                   "Program | None"]
_TermRows = tuple[tuple[str, tuple[tuple[str, str, bool, int, "Program | None"], ...]], ...]
_FurnitureRow = tuple[int, str, str, str, str, "Program | None"]
_ExonymRow = tuple[int, str, str, str]


def _phrase_rows(path: Path) -> tuple[_PhraseRow, ...]:
    rows = []
    for number, fields in _rows(path, PHRASE_COLUMNS, (PHRASE_FIX_COLUMN,)):
        row = dict(zip((*PHRASE_COLUMNS, PHRASE_FIX_COLUMN), fields, strict=True))
        _require(path, number, row, *PHRASE_COLUMNS)
        fix = row[PHRASE_FIX_COLUMN] or "advice"
        if fix not in PHRASE_FIXES:
            raise PackError(path, number, f"'fix' must be 'replace' or 'advice' (or empty: advice), found {fix!r}")
        compiled = _compile(path, number, row["pattern"], row["example"])
        for column in ("why", "suggestion"):
            _check_template(path, number, column, row[column], compiled)
        leads = literal_prefixes(compiled)
        rows.append((number, row["source"], row["pattern"], row["example"], row["why"], row["suggestion"], fix,
                     required_literals(compiled), leads, required_clauses(compiled),
                     run_prefixes(compiled) if leads is None else None, _program(row["pattern"])))
    return tuple(rows)


def _phrases(path: Path, rows: tuple[_PhraseRow, ...]) -> tuple[PhraseEntry, ...]:
    return tuple(PhraseEntry(source, regex, example, why, suggestion, f"{path}:{number}", anchors, fix, leads, clauses,
                             run_leads, program)
                 for number, source, regex, example, why, suggestion, fix, anchors, leads, clauses, run_leads, program
                 in rows)


def load_phrases(path: Path) -> tuple[PhraseEntry, ...]:
    return _phrases(path, _phrase_rows(path))


def _term_rows(path: Path) -> _TermRows:
    groups: dict[str, list[tuple[str, str, bool, int, Program | None]]] = {}
    for number, fields in _rows(path, TERM_COLUMNS):
        row = dict(zip(TERM_COLUMNS, fields, strict=True))
        _require(path, number, row, "source", "variant", "pattern", "example")
        if row["preferred"] not in {"", "yes"}:
            raise PackError(path, number, f"'preferred' must be 'yes' or empty, found {row['preferred']!r}")
        variants = groups.setdefault(row["source"], [])
        if row["preferred"] and any(variant[2] for variant in variants):
            raise PackError(path, number, f"a second preferred variant for {row['source']!r}")
        _compile(path, number, row["pattern"], row["example"])
        variants.append((row["variant"], row["pattern"], row["preferred"] == "yes", number, _program(row["pattern"])))
    for source, variants in groups.items():
        # The advice for a minority rendering must come from someone who knows (the pack), never the majority.
        if not any(variant[2] for variant in variants):
            raise PackError(path, variants[0][3], f"no preferred variant for {source!r}: mark the recommended "
                                                  "rendering with 'yes' in the preferred column")
    return tuple((source, tuple(variants)) for source, variants in groups.items())


def _terms(path: Path, rows: _TermRows) -> tuple[TermGroup, ...]:
    return tuple(TermGroup(source, tuple(TermVariant(variant, regex, preferred, f"{path}:{number}", program)
                                         for variant, regex, preferred, number, program in variants))
                 for source, variants in rows)


def load_terms(path: Path) -> tuple[TermGroup, ...]:
    return _terms(path, _term_rows(path))


def _furniture_rows(path: Path) -> tuple[_FurnitureRow, ...]:
    rows = []
    for number, fields in _rows(path, FURNITURE_COLUMNS):
        row = dict(zip(FURNITURE_COLUMNS, fields, strict=True))
        _require(path, number, row, *FURNITURE_COLUMNS)
        if row["kind"] not in FURNITURE_KINDS:
            raise PackError(path, number, f"unknown kind {row['kind']!r}; one of {', '.join(sorted(FURNITURE_KINDS))}")
        _compile(path, number, row["pattern"], row["example"])
        rows.append((number, row["kind"], row["pattern"], row["why"], row["suggestion"], _program(row["pattern"])))
    return tuple(rows)


def _furniture(path: Path, rows: tuple[_FurnitureRow, ...]) -> tuple[FurnitureEntry, ...]:
    return tuple(FurnitureEntry(kind, regex, why, suggestion, f"{path}:{number}", program)
                 for number, kind, regex, why, suggestion, program in rows)


def load_furniture(path: Path) -> tuple[FurnitureEntry, ...]:
    return _furniture(path, _furniture_rows(path))


def _exonym_rows(path: Path) -> tuple[_ExonymRow, ...]:
    rows = []
    for number, fields in _rows(path, EXONYM_COLUMNS):
        row = dict(zip(EXONYM_COLUMNS, fields, strict=True))
        _require(path, number, row, *EXONYM_COLUMNS)
        if row["kind"] not in EXONYM_KINDS:
            raise PackError(path, number, f"unknown kind {row['kind']!r}; one of {', '.join(sorted(EXONYM_KINDS))}")
        if (row["german"] == "-") != (row["kind"] == "keep"):
            raise PackError(path, number, "'german' is '-' exactly for kind 'keep' (a name German keeps as it is)")
        if not row["name"][0].isupper():
            raise PackError(path, number, f"name {row['name']!r} must start with a capital letter")
        rows.append((number, row["name"], row["german"], row["kind"]))
    return tuple(rows)


def _exonyms(path: Path, rows: tuple[_ExonymRow, ...]) -> tuple[ExonymEntry, ...]:
    return tuple(ExonymEntry(name, german, kind, f"{path}:{number}") for number, name, german, kind in rows)


def load_exonyms(path: Path) -> tuple[ExonymEntry, ...]:
    return _exonyms(path, _exonym_rows(path))


def load_phrase_list(path: Path) -> frozenset[str]:
    """One word or phrase per line (``#`` comments), lowercased, inner whitespace collapsed to one space."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise PackError(path, None, f"cannot read word list: {err}") from err
    return frozenset(" ".join(entry.split()).lower() for raw in lines if (entry := raw.split("#", 1)[0].strip()))


def load_words(path: Path) -> frozenset[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise PackError(path, None, f"cannot read word list: {err}") from err
    lines = text.splitlines()
    # The words checked for inner space in one split of them all (each word is one piece unless it has a space
    # inside), not character by character (english_words.txt has 34,000); the loop below names the bad line.
    words = [word for raw in lines if (word := raw.split("#", 1)[0].strip() if "#" in raw else raw.strip())]
    if len(" ".join(words).split()) == len(words):
        return frozenset(map(str.lower, words))
    found = set()
    for number, raw in enumerate(lines, start=1):
        word = raw.split("#", 1)[0].strip()
        if not word:
            continue
        if any(ch.isspace() for ch in word):
            raise PackError(path, number, f"one word per line expected, found {word!r}")
        found.add(word.lower())
    return frozenset(found)


def _fingerprint(paths: Iterable[Path], contents: dict[Path, bytes] | None = None) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        data = contents.get(path) if contents else None
        digest.update(data if data is not None else path.read_bytes())
    return digest.hexdigest()[:8]


def pack_dirs(root: Path, src: str | None, tgt: str | None) -> list[Path]:
    """The folders of ``root`` that apply to the pair: ``<src>-<tgt>`` and ``<tgt>``."""
    names = []
    if src and tgt:
        names.append(f"{src}-{tgt}")
    if tgt:
        names.append(tgt)
    return [root / name for name in names if (root / name).is_dir()]


# What builds the cached rows: a change to the loader or to the literal analysis never reads rows it made before.
_BUILT_BY = (__file__, str(Path(prefilter_module.__file__)))


def _cached_rows(path: Path, kind: str, parse: Callable[[Path], _T], contents: dict[Path, bytes]) -> _T:
    """``parse(path)``, read back from the cache folder while the file's bytes (and the parsing code) are those
    it was parsed from. A file that does not parse raises its error every time: only a clean verdict is kept.

    Only the packs tqcheck ships are cached (one file each per installed tree): a ``--pack`` folder may be a
    temporary one, and caching every path it ever had would pile up files; a user's pack is checked on each load,
    as it always was."""
    try:
        data = path.read_bytes()
    except OSError:
        return parse(path)  # says what is wrong, as a PackError
    contents[path] = data
    if not path.resolve().is_relative_to(BUILTIN_DIR.resolve()):
        return parse(path)
    return datacache.cached_by_content(f"pack-{kind}", path, data, _BUILT_BY, lambda: parse(path))


def _joined(parts: list[frozenset[str]]) -> frozenset[str]:
    """The union of ``parts``, starting from the largest (a copy of it is most of the work)."""
    if not parts:
        return frozenset()
    parts = sorted(parts, key=len, reverse=True)
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]


@lru_cache(maxsize=32)
def load_packs(src: str | None, tgt: str | None, extra_roots: tuple[Path, ...] = ()) -> PackSet:
    """Load every pack for the pair from the built-in folder and from ``extra_roots``, in that order."""
    phrases: dict[str, list[PhraseEntry]] = {}
    terms: list[TermGroup] = []
    furniture: list[FurnitureEntry] = []
    # Word lists as read (frozensets), joined once at the end: english_words.txt alone has 34,000 words
    pivot_words: list[frozenset[str]] = []
    stopwords: list[frozenset[str]] = []
    grammatical_doubles: list[frozenset[str]] = []
    pivot_function_words: list[frozenset[str]] = []
    loanwords: list[frozenset[str]] = []
    loan_phrases: list[frozenset[str]] = []
    exonyms: list[ExonymEntry] = []
    fingerprints: list[tuple[str, str]] = []
    contents: dict[Path, bytes] = {}
    for root in (BUILTIN_DIR, *extra_roots):
        if not root.is_dir():
            raise PackError(root, None, "pack folder does not exist")
        for folder in pack_dirs(root, src, tgt):
            used: list[Path] = []
            is_pair = "-" in folder.name
            for name in PAIR_PHRASE_FILES if is_pair else TARGET_PHRASE_FILES:
                path = folder / f"{name}.tsv"
                if path.is_file():
                    phrases.setdefault(name, []).extend(_phrases(path, _cached_rows(path, "phrases", _phrase_rows,
                                                                                    contents)))
                    used.append(path)
            path = folder / TERMS_FILE
            if path.is_file():
                terms.extend(_terms(path, _cached_rows(path, "terms", _term_rows, contents)))
                used.append(path)
            path = folder / FURNITURE_FILE
            if path.is_file():
                furniture.extend(_furniture(path, _cached_rows(path, "furniture", _furniture_rows, contents)))
                used.append(path)
            for name, words in zip(WORD_LIST_FILES, (pivot_words, stopwords, grammatical_doubles), strict=True):
                path = folder / name
                if path.is_file():
                    words.append(_cached_rows(path, "words", load_words, contents))
                    used.append(path)
            for name, words in zip(ENGLISH_LEXICON_FILES, (pivot_words, pivot_function_words, loanwords), strict=True):
                path = folder / name
                if path.is_file():
                    words.append(_cached_rows(path, "words", load_words, contents))
                    used.append(path)
            path = folder / LOANWORDS_FILE
            if path.is_file():
                entries = _cached_rows(path, "phrase-list", load_phrase_list, contents)
                loanwords.append(frozenset(e for e in entries if " " not in e))
                loan_phrases.append(frozenset(e for e in entries if " " in e))
                used.append(path)
            path = folder / EXONYMS_FILE
            if path.is_file():
                exonyms.extend(_exonyms(path, _cached_rows(path, "exonyms", _exonym_rows, contents)))
                used.append(path)
            if used:
                label = folder.name if root == BUILTIN_DIR else f"{root.name}/{folder.name}"
                fingerprints.append((label, _fingerprint(sorted(used), contents)))
    return PackSet(
        phrases={name: tuple(entries) for name, entries in phrases.items()},
        terms=tuple(terms),
        furniture=tuple(furniture),
        pivot_words=_joined(pivot_words),
        stopwords=_joined(stopwords),
        grammatical_doubles=_joined(grammatical_doubles),
        pivot_function_words=_joined(pivot_function_words),
        loanwords=_joined(loanwords),
        loan_phrases=_joined(loan_phrases),
        exonyms=tuple(exonyms),
        fingerprints=tuple(fingerprints),
    )
