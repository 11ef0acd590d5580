"""Rule packs: lexicons as data files, loaded strictly (every error names ``file:line``).

Layout and format: docs/packs.md. A folder ``<src>-<tgt>`` applies to a language pair, a folder ``<tgt>`` to
every text in that target language. User packs (``--pack DIR``) have the same layout and add to the
built-in entries.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tqcheck.errors import PackError
from tqcheck.prefilter import required_literals

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
_FLAGS = re.IGNORECASE | re.UNICODE


@dataclass(frozen=True, slots=True)
class PhraseEntry:
    """A wrong rendering of a source phrase, with advice."""

    source: str
    pattern: re.Pattern[str]
    example: str
    why: str
    suggestion: str
    origin: str  # "file:line", for messages
    # Lowercase literals of which every match contains one (None: unknown). A case-insensitive regex loses
    # re's literal-prefix fast path; a substring test on the lowercased text skips most entries for free.
    anchors: tuple[str, ...] | None = None
    fix: str = "advice"  # "replace": every alternative of `suggestion` is a drop-in substitute for the match

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
    pattern: re.Pattern[str]
    preferred: bool
    origin: str


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
    pattern: re.Pattern[str]
    why: str
    suggestion: str
    origin: str


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


def load_phrases(path: Path) -> tuple[PhraseEntry, ...]:
    entries = []
    for number, fields in _rows(path, PHRASE_COLUMNS, (PHRASE_FIX_COLUMN,)):
        row = dict(zip((*PHRASE_COLUMNS, PHRASE_FIX_COLUMN), fields, strict=True))
        _require(path, number, row, *PHRASE_COLUMNS)
        fix = row[PHRASE_FIX_COLUMN] or "advice"
        if fix not in PHRASE_FIXES:
            raise PackError(path, number, f"'fix' must be 'replace' or 'advice' (or empty: advice), found {fix!r}")
        compiled = _compile(path, number, row["pattern"], row["example"])
        for column in ("why", "suggestion"):
            _check_template(path, number, column, row[column], compiled)
        entries.append(PhraseEntry(row["source"], compiled, row["example"], row["why"], row["suggestion"],
                                   f"{path}:{number}", required_literals(compiled), fix))
    return tuple(entries)


def load_terms(path: Path) -> tuple[TermGroup, ...]:
    groups: dict[str, list[TermVariant]] = {}
    for number, fields in _rows(path, TERM_COLUMNS):
        row = dict(zip(TERM_COLUMNS, fields, strict=True))
        _require(path, number, row, "source", "variant", "pattern", "example")
        if row["preferred"] not in {"", "yes"}:
            raise PackError(path, number, f"'preferred' must be 'yes' or empty, found {row['preferred']!r}")
        variants = groups.setdefault(row["source"], [])
        if row["preferred"] and any(v.preferred for v in variants):
            raise PackError(path, number, f"a second preferred variant for {row['source']!r}")
        variants.append(TermVariant(row["variant"], _compile(path, number, row["pattern"], row["example"]),
                                    row["preferred"] == "yes", f"{path}:{number}"))
    for source, variants in groups.items():
        # The advice for a minority rendering must come from someone who knows (the pack), never the majority.
        if not any(v.preferred for v in variants):
            line = int(variants[0].origin.rsplit(":", 1)[1])
            raise PackError(path, line, f"no preferred variant for {source!r}: mark the recommended rendering "
                                        "with 'yes' in the preferred column")
    return tuple(TermGroup(source, tuple(variants)) for source, variants in groups.items())


def load_furniture(path: Path) -> tuple[FurnitureEntry, ...]:
    entries = []
    for number, fields in _rows(path, FURNITURE_COLUMNS):
        row = dict(zip(FURNITURE_COLUMNS, fields, strict=True))
        _require(path, number, row, *FURNITURE_COLUMNS)
        if row["kind"] not in FURNITURE_KINDS:
            raise PackError(path, number, f"unknown kind {row['kind']!r}; one of {', '.join(sorted(FURNITURE_KINDS))}")
        entries.append(FurnitureEntry(row["kind"], _compile(path, number, row["pattern"], row["example"]),
                                      row["why"], row["suggestion"], f"{path}:{number}"))
    return tuple(entries)


def load_exonyms(path: Path) -> tuple[ExonymEntry, ...]:
    entries = []
    for number, fields in _rows(path, EXONYM_COLUMNS):
        row = dict(zip(EXONYM_COLUMNS, fields, strict=True))
        _require(path, number, row, *EXONYM_COLUMNS)
        if row["kind"] not in EXONYM_KINDS:
            raise PackError(path, number, f"unknown kind {row['kind']!r}; one of {', '.join(sorted(EXONYM_KINDS))}")
        if (row["german"] == "-") != (row["kind"] == "keep"):
            raise PackError(path, number, "'german' is '-' exactly for kind 'keep' (a name German keeps as it is)")
        if not row["name"][0].isupper():
            raise PackError(path, number, f"name {row['name']!r} must start with a capital letter")
        entries.append(ExonymEntry(row["name"], row["german"], row["kind"], f"{path}:{number}"))
    return tuple(entries)


def load_phrase_list(path: Path) -> frozenset[str]:
    """One word or phrase per line (``#`` comments), lowercased, inner whitespace collapsed to one space."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise PackError(path, None, f"cannot read word list: {err}") from err
    return frozenset(" ".join(entry.split()).lower() for raw in lines if (entry := raw.split("#", 1)[0].strip()))


def load_words(path: Path) -> frozenset[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise PackError(path, None, f"cannot read word list: {err}") from err
    words = set()
    for number, raw in enumerate(lines, start=1):
        word = raw.split("#", 1)[0].strip()
        if not word:
            continue
        if any(ch.isspace() for ch in word):
            raise PackError(path, number, f"one word per line expected, found {word!r}")
        words.add(word.lower())
    return frozenset(words)


def _fingerprint(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def pack_dirs(root: Path, src: str | None, tgt: str | None) -> list[Path]:
    """The folders of ``root`` that apply to the pair: ``<src>-<tgt>`` and ``<tgt>``."""
    names = []
    if src and tgt:
        names.append(f"{src}-{tgt}")
    if tgt:
        names.append(tgt)
    return [root / name for name in names if (root / name).is_dir()]


@lru_cache(maxsize=32)
def load_packs(src: str | None, tgt: str | None, extra_roots: tuple[Path, ...] = ()) -> PackSet:
    """Load every pack for the pair from the built-in folder and from ``extra_roots``, in that order."""
    phrases: dict[str, list[PhraseEntry]] = {}
    terms: list[TermGroup] = []
    furniture: list[FurnitureEntry] = []
    pivot_words: set[str] = set()
    stopwords: set[str] = set()
    grammatical_doubles: set[str] = set()
    pivot_function_words: set[str] = set()
    loanwords: set[str] = set()
    loan_phrases: set[str] = set()
    exonyms: list[ExonymEntry] = []
    fingerprints: list[tuple[str, str]] = []
    for root in (BUILTIN_DIR, *extra_roots):
        if not root.is_dir():
            raise PackError(root, None, "pack folder does not exist")
        for folder in pack_dirs(root, src, tgt):
            used: list[Path] = []
            is_pair = "-" in folder.name
            for name in PAIR_PHRASE_FILES if is_pair else TARGET_PHRASE_FILES:
                path = folder / f"{name}.tsv"
                if path.is_file():
                    phrases.setdefault(name, []).extend(load_phrases(path))
                    used.append(path)
            for name, loader, sink in (("terms.tsv", load_terms, terms), ("furniture.tsv", load_furniture, furniture)):
                path = folder / name
                if path.is_file():
                    sink.extend(loader(path))
                    used.append(path)
            for name, words in (("pivot_words.txt", pivot_words), ("stopwords.txt", stopwords),
                                ("grammatical_doubles.txt", grammatical_doubles)):
                path = folder / name
                if path.is_file():
                    words.update(load_words(path))
                    used.append(path)
            # TQ203's English lexicon: english_words.txt is generated (docs/packs.md) and adds to pivot_words.
            for name, words in (("english_words.txt", pivot_words), ("pivot_function_words.txt", pivot_function_words),
                                ("english_shared_words.txt", loanwords)):
                path = folder / name
                if path.is_file():
                    words.update(load_words(path))
                    used.append(path)
            path = folder / "german_loanwords.txt"
            if path.is_file():
                entries = load_phrase_list(path)
                loanwords.update(e for e in entries if " " not in e)
                loan_phrases.update(e for e in entries if " " in e)
                used.append(path)
            path = folder / "exonyms.tsv"
            if path.is_file():
                exonyms.extend(load_exonyms(path))
                used.append(path)
            if used:
                label = folder.name if root == BUILTIN_DIR else f"{root.name}/{folder.name}"
                fingerprints.append((label, _fingerprint(sorted(used))))
    return PackSet(
        phrases={name: tuple(entries) for name, entries in phrases.items()},
        terms=tuple(terms),
        furniture=tuple(furniture),
        pivot_words=frozenset(pivot_words),
        stopwords=frozenset(stopwords),
        grammatical_doubles=frozenset(grammatical_doubles),
        pivot_function_words=frozenset(pivot_function_words),
        loanwords=frozenset(loanwords),
        loan_phrases=frozenset(loan_phrases),
        exonyms=tuple(exonyms),
        fingerprints=tuple(fingerprints),
    )
