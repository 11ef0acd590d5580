"""Which files to check, and against which source and reference: naming conventions, folders, manifests.

Conventions, so that a folder of articles can be checked without listing pairs by hand:

* same folder: ``x.de.txt`` ↔ ``x.zh.txt``; ``x.zh-de.mt.txt`` is a target whose source is ``x.zh.txt``;
  ``x.de.ref.txt`` or ``x.ref.de.txt`` is the reference of the German target;
* parallel language folders: ``…/de/x.txt`` ↔ ``…/zh/x.txt`` (``…/de/x.ref.txt`` is a reference);
* a manifest (CSV with a header, or JSONL) lists target, source, reference, src_lang, tgt_lang per row;
* an explicit source (and reference) for a single target.

Which of two language versions is the source: ``src_lang`` if given, else the language that names a source
in ``x.zh-de.mt.txt``-style names, else the one that is not ``tgt_lang``; otherwise the pair is reported
as ambiguous instead of guessed, because checking a source as a translation produces only noise.
Bilingual files (JSONL, TSV, XLIFF, TMX) carry their own sources: they are targets with ``source=None``.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tqcheck.display import path_text
from tqcheck.errors import ConfigError, InputError
from tqcheck.readers.paths import (
    BILINGUAL_SUFFIXES,
    TEXT_SUFFIXES,
    NameParts,
    lang_from_folder,
    primary_lang,
    split_name,
)
from tqcheck.readers.reports import is_report_file
from tqcheck.readers.text import decode_bytes, jsonl_objects
from tqcheck.types import FileError

__all__ = ["MANIFEST_COLUMNS", "PairSpec", "pair_inputs", "read_manifest"]

MANIFEST_COLUMNS = ("target", "source", "reference", "src_lang", "tgt_lang")
_AMBIGUOUS = "?"  # marks a group whose source language cannot be decided
_SHOWN = 80  # characters of a manifest value that a message repeats


@dataclass(frozen=True, slots=True)
class PairSpec:
    """One target to check, with the source and reference that go with it and the languages known so far.

    ``unit`` is for the caller: a bilingual file is one spec, expanded into one spec per unit later.
    """

    target: Path
    source: Path | None
    reference: Path | None
    src_lang: str | None
    tgt_lang: str | None
    unit: str | None = None


def pair_inputs(
    paths: Iterable[Path | str],
    *,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    source: Path | str | None = None,
    reference: Path | str | None = None,
    manifest: Path | str | None = None,
) -> tuple[list[PairSpec], list[FileError]]:
    """Turn files, folders and an optional manifest into targets paired with their sources and references.

    Folders are searched recursively (text and bilingual files, hidden entries skipped) in sorted order,
    so the result is the same on every machine. Manifest rows come first, in their order; then the paths,
    in the order given. A target is listed once. Problems with single files become :class:`FileError`
    entries and everything else goes on.

    Languages: ``src_lang``/``tgt_lang`` win over what names and folders say; in convention pairing a file
    whose name or folder gives another language than ``tgt_lang`` is not a target.

    Raises:
        ConfigError: ``source``/``reference`` without exactly one target file, or a malformed language code.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    paths = list(paths)
    src_lang, tgt_lang = _lang_option("--src-lang", src_lang), _lang_option("--tgt-lang", tgt_lang)
    if source is not None or reference is not None:
        return _explicit(paths, manifest, Path(source) if source else None,
                         Path(reference) if reference else None, src_lang, tgt_lang)
    specs: list[PairSpec] = []
    errors: list[FileError] = []
    if manifest is not None:
        specs, errors = read_manifest(manifest, src_lang=src_lang, tgt_lang=tgt_lang)
    files, explicit, missing = _expand(paths)
    errors.extend(missing)
    pairer = _Pairer(files, src_lang, tgt_lang)
    for path in files:
        result = pairer.classify(path)
        if isinstance(result, PairSpec):
            specs.append(result)
        elif isinstance(result, FileError):
            errors.append(result)
    specs = _unique(specs)
    errors.extend(pairer.unused(explicit, specs))
    return specs, errors


def _lang_option(option: str, value: str | None) -> str | None:
    if value is None:
        return None
    lang = primary_lang(value)
    if lang is None:
        raise ConfigError(f"{option}: {value!r} is not a language code (expected e.g. 'de', 'zh', 'zh-CN')")
    return lang


def _unique(specs: list[PairSpec]) -> list[PairSpec]:
    """Drop later specs for a target already listed (a manifest row and a folder scan may both name it)."""
    seen: set[str] = set()
    result = []
    for spec in specs:
        key = os.path.abspath(spec.target)
        if key not in seen:
            seen.add(key)
            result.append(spec)
    return result


def _expand(paths: Sequence[Path | str]) -> tuple[list[Path], set[Path], list[FileError]]:
    """Files named directly (kept whatever their suffix) and the text/bilingual files of named folders.

    A path that cannot be looked up, and a folder (or sub-folder) that cannot be listed, is a FileError; the
    other paths and folders go on.
    """
    files: list[Path] = []
    explicit: set[Path] = set()
    errors: list[FileError] = []
    for raw in paths:
        path = Path(raw)
        kind, why = _kind_of(path)
        if kind == "folder":
            found, unlisted = _scan(path)
            files.extend(found)
            errors.extend(unlisted)
        elif kind == "file":
            files.append(path)
            explicit.add(path)
        elif kind == "other":
            errors.append(FileError(path, "not-a-file", "is neither a file nor a folder"))
        else:
            errors.append(FileError(path, kind, f"cannot look it up: {why}" if why else "no such file or folder"))
    seen: set[str] = set()
    unique = []
    for path in files:
        key = os.path.abspath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique, explicit, errors


def _scan(folder: Path) -> tuple[list[Path], list[FileError]]:
    """The text and bilingual files under ``folder``, sorted by their path in it, and a FileError for each
    sub-folder that cannot be listed (its files are not checked; the others are).

    Hidden files and folders (``.git``, ``.DS_Store``, editor backups) are never articles and are not entered;
    tqcheck's own reports (:func:`~tqcheck.readers.reports.is_report_file`) are no inputs either;
    folders that are symbolic links are not followed (no loops), files that are are read. An explicit stack,
    not recursion (``rglob``, ``os.walk``): a tree of any depth is searched.
    """
    suffixes = TEXT_SUFFIXES | BILINGUAL_SUFFIXES
    found: list[Path] = []
    errors: list[FileError] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as err:
            errors.append(FileError(current, "unreadable", f"cannot list the folder: {err.strerror or err}; "
                                                           "the files in it are not checked"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = current / entry.name
            if _entry_is(entry, "dir"):
                pending.append(path)
            elif (Path(entry.name).suffix.lower() in suffixes and _entry_is(entry, "file")
                  and not is_report_file(path)):  # a report written here by an earlier run is no input
                found.append(path)
    found.sort(key=lambda p: p.relative_to(folder).parts)
    errors.sort(key=lambda e: e.path.relative_to(folder).parts)
    return found, errors


def _entry_is(entry: os.DirEntry[str], kind: str) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False) if kind == "dir" else entry.is_file()
    except OSError:
        return False  # vanished or unreadable since it was listed: nothing to check


def _kind_of(path: Path) -> tuple[str, str | None]:
    """``("file" | "folder" | "other", None)``, or ``(kind, why)`` for a path that names nothing that can be
    read: ``not-found`` (why ``None`` when it simply does not exist) or ``unreadable``.

    Never raises: ``Path.is_file`` raises for a name too long for the file system and for a path inside a folder
    that may not be searched, and a name with a NUL character cannot be looked up at all.
    """
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "not-found", None
    except OSError as err:
        return ("not-found" if err.errno == errno.ENAMETOOLONG else "unreadable"), err.strerror or str(err)
    except ValueError:  # a NUL character, or a surrogate that stands for no byte of a file name
        return "not-found", "not a valid file name"
    return ("folder" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"), None


def _is_file(path: Path) -> bool:
    return _kind_of(path)[0] == "file"


def _explicit(paths: list[Path | str], manifest: Path | str | None, source: Path | None, reference: Path | None,
              src_lang: str | None, tgt_lang: str | None) -> tuple[list[PairSpec], list[FileError]]:
    """``--source``/``--reference`` name the partners of exactly one target file."""
    given = "--source" if source is not None else "--reference"
    if manifest is not None:
        raise ConfigError(f"{given} cannot be combined with --manifest; put the pairs in the manifest")
    if len(paths) != 1 or _kind_of(Path(paths[0]))[0] == "folder":
        what = f"{len(paths)} paths" if len(paths) != 1 else f"the folder {paths[0]}"
        raise ConfigError(f"{given} applies to exactly one target file, got {what}; pair several files with "
                          "--manifest or by their names (x.zh.txt ↔ x.de.txt)")
    target = Path(paths[0])
    if target.suffix.lower() in BILINGUAL_SUFFIXES and source is not None:
        raise ConfigError(f"{target} is a bilingual file and carries its own source; drop --source")
    errors = [FileError(path, "not-found", f"no such file (named by {option})")
              for path, option in ((target, "the target"), (source, "--source"), (reference, "--reference"))
              if path is not None and not _is_file(path)]
    if errors:
        return [], errors
    src, tgt = _path_langs(target, source)
    return [PairSpec(target, source, reference, src_lang or src, tgt_lang or tgt)], []


def _path_langs(target: Path, source: Path | None) -> tuple[str | None, str | None]:
    """Languages of an explicitly paired target and source from their names, else their folders' names."""
    name = split_name(target)
    tgt = name.lang or lang_from_folder(target.parent.name)
    if source is None:
        return name.src, tgt
    return split_name(source).lang or lang_from_folder(source.parent.name) or name.src, tgt


class _Pairer:
    """Classifies each file by the naming and folder conventions; folder listings are read once."""

    def __init__(self, files: list[Path], src_lang: str | None, tgt_lang: str | None) -> None:
        self.src_lang = src_lang
        self.tgt_lang = tgt_lang
        self._listings: dict[Path, list[tuple[Path, NameParts]]] = {}
        self._groups: dict[Path, dict[tuple[str, str], list[tuple[Path, NameParts]]]] = {}
        self._lang_dirs: dict[Path, dict[str, Path]] = {}
        self._reported: set[tuple[str, ...]] = set()
        # Why each file that is not a target was passed over: for explicit files the user must be told.
        self.skipped: dict[Path, str] = {}
        # Languages that names such as x.zh-de.mt.txt declare as sources, anywhere in the inputs' folders.
        self.source_hints = {parts.src for folder in {f.parent for f in files}
                             for _, parts in self._listing(folder) if parts.src}

    def _listing(self, folder: Path) -> list[tuple[Path, NameParts]]:
        if folder not in self._listings:
            try:
                entries = sorted(p for p in folder.iterdir() if _is_file(p))
            except OSError:
                entries = []
            self._listings[folder] = [(p, split_name(p)) for p in entries]
        return self._listings[folder]

    def _group(self, path: Path, parts: NameParts) -> list[tuple[Path, NameParts]]:
        """The files of ``path``'s folder with its base name and suffix, in listing order: looking them up, not
        scanning the folder for each file, keeps planning a folder of thousands of articles linear."""
        folder = path.parent
        groups = self._groups.get(folder)
        if groups is None:
            groups = self._groups[folder] = {}
            for entry in self._listing(folder):
                groups.setdefault((entry[1].base, entry[1].suffix), []).append(entry)
        return groups.get((parts.base, parts.suffix), [])

    def _siblings(self, folder: Path) -> dict[str, Path]:
        """Sub-folders of ``folder`` named by a language (the first in sorted order wins a language)."""
        if folder not in self._lang_dirs:
            dirs: dict[str, Path] = {}
            try:
                children = sorted(p for p in folder.iterdir() if _kind_of(p)[0] == "folder")
            except OSError:
                children = []
            for child in children:
                lang = lang_from_folder(child.name)
                if lang is not None:
                    dirs.setdefault(lang, child)
            self._lang_dirs[folder] = dirs
        return self._lang_dirs[folder]

    def classify(self, path: Path) -> PairSpec | FileError | None:
        """The spec of ``path`` if it is a target, a FileError for an ambiguous group, else ``None``."""
        parts = split_name(path)
        if parts.suffix in BILINGUAL_SUFFIXES:
            return PairSpec(path, None, None, self.src_lang or parts.src, self.tgt_lang or parts.lang)
        if parts.role == "ref":
            self.skipped[path] = "is a reference translation: it is used with its target, not checked by itself"
            return None
        if parts.lang is not None:
            group = self._group(path, parts)
            singles = {p.lang: f for f, p in group if p.lang and not p.role and not p.paired}
            pair_sources = {p.src for _, p in group if p.paired and p.src}
            lang, folder_lang = parts.lang, None
        else:
            found = self._parallel(path)
            if found is None:
                return self._target(path, parts, None, self.src_lang, self.tgt_lang)
            lang, singles = found
            pair_sources, folder_lang = set(), lang
        if parts.paired:
            src = parts.src
        else:
            # x.de.mt.txt is a translation by its name: its language joins the group without being a source.
            src = self._group_source(set(singles) | {lang}, pair_sources)
            if src == _AMBIGUOUS:
                return self._ambiguous(sorted({(f, other) for other, f in singles.items()} | {(path, lang)}))
        if self.tgt_lang and lang != self.tgt_lang:
            self.skipped[path] = (f"is in {lang} (by its {'folder' if folder_lang else 'name'}), "
                                  f"but the target language is {self.tgt_lang}")
            return None
        if not parts.paired and not parts.role and lang == src:
            others = [f.name for other, f in sorted(singles.items()) if other != lang]
            self.skipped[path] = (f"is the {lang} source of {', '.join(others)}" if others
                                  else f"is in the source language {lang}") + "; it is not checked as a translation"
            return None
        source = singles.get(src) if src else None
        return self._target(path, parts, source, self.src_lang or src, self.tgt_lang or lang, folder_lang)

    def _target(self, path: Path, parts: NameParts, source: Path | None, src: str | None, tgt: str | None,
                folder_lang: str | None = None) -> PairSpec:
        return PairSpec(path, source, self._reference(path, parts, folder_lang or self.tgt_lang), src, tgt)

    def _reference(self, path: Path, parts: NameParts, lang: str | None) -> Path | None:
        """``x.de.ref.txt``/``x.ref.de.txt`` for ``x.de.txt``; ``x.ref.txt`` for a target without a language."""
        wanted = {parts.lang} if parts.lang else {None, lang}
        refs = [f for f, p in self._group(path, parts) if p.role == "ref" and p.lang in wanted]
        return refs[0] if refs else None

    def _parallel(self, path: Path) -> tuple[str, dict[str, Path]] | None:
        """``(language, {language: file})`` when ``path`` lies in a language folder with language siblings."""
        for folder in path.parents:
            lang = lang_from_folder(folder.name)
            if lang is None:
                continue
            siblings = self._siblings(folder.parent)
            # A lone folder named "it" or "id" is more likely IT or ids than Italian or Indonesian.
            if len(siblings) < 2 or siblings.get(lang) is None:
                continue
            rel = path.relative_to(folder)
            members = {other: d / rel for other, d in siblings.items() if other != lang and _is_file(d / rel)}
            members[lang] = path
            return lang, members
        return None

    def _group_source(self, langs: set[str], pair_sources: set[str]) -> str | None:
        """The source language of a group of language versions of one text, ``None``, or ``_AMBIGUOUS``."""
        if self.src_lang:
            return self.src_lang
        named = pair_sources & langs
        if len(named) == 1:
            return named.pop()
        if len(langs) <= 1:
            return None
        hinted = self.source_hints & langs
        if len(hinted) == 1:
            return hinted.pop()
        if self.tgt_lang:
            if self.tgt_lang not in langs:
                return None  # no target in this group: every version is passed over by language
            rest = langs - {self.tgt_lang}
            if len(rest) == 1:
                return rest.pop()
        return _AMBIGUOUS

    def _ambiguous(self, members: list[tuple[Path, str]]) -> FileError | None:
        """One error per group (reported at its first file), however many of its files are inputs."""
        files = [f for f, _ in members]
        key = tuple(str(f) for f in files)
        for f in files:
            self.skipped[f] = "ambiguous"
        if key in self._reported:
            return None
        self._reported.add(key)
        names = ", ".join(f"{f} ({lang})" for f, lang in members)
        return FileError(files[0], "ambiguous-pair",
                         f"cannot tell the source from the translation among {names}; "
                         "pass --src-lang or --tgt-lang")

    def unused(self, explicit: set[Path], specs: list[PairSpec]) -> list[FileError]:
        """Files named on purpose that are neither checked nor used as a partner: say why, don't drop them."""
        used = {os.path.abspath(p) for s in specs for p in (s.target, s.source, s.reference) if p is not None}
        errors = []
        for path in sorted(explicit):
            reason = self.skipped.get(path)
            if reason and reason != "ambiguous" and os.path.abspath(path) not in used:
                errors.append(FileError(path, "not-a-target", reason))
        return errors


# --- manifest --------------------------------------------------------------------------------------------


def read_manifest(
    manifest: Path | str, *, src_lang: str | None = None, tgt_lang: str | None = None
) -> tuple[list[PairSpec], list[FileError]]:
    """Pairs listed in a CSV (with a header) or JSONL manifest; paths are relative to the manifest's folder.

    A bad row (missing file, unknown key, no target) becomes a FileError naming the manifest and its line,
    and the other rows go on; an unreadable manifest or a bad CSV header is one FileError. A row's
    languages win over ``src_lang``/``tgt_lang``, which win over the file names.
    """
    manifest = Path(manifest)
    try:
        try:
            data = manifest.read_bytes()
        except FileNotFoundError as err:
            raise InputError(manifest, "no such manifest file", kind="not-found") from err
        except OSError as err:
            raise InputError(manifest, f"cannot read the manifest: {err.strerror}", kind="unreadable") from err
        text, _ = decode_bytes(data, manifest)
    except InputError as err:
        return [], [FileError(err.path, err.kind, err.problem)]
    is_jsonl = manifest.suffix.lower() in {".jsonl", ".ndjson"} or (
        manifest.suffix.lower() != ".csv" and text.lstrip().startswith("{"))
    rows = _jsonl_rows(manifest, text) if is_jsonl else _csv_rows(manifest, text)
    specs: list[PairSpec] = []
    errors: list[FileError] = []
    for line, row in rows:
        if isinstance(row, str):
            errors.append(FileError(manifest, "malformed", f"line {line}: {row}"))
            continue
        result = _manifest_row(manifest, line, row, src_lang, tgt_lang)
        (specs if isinstance(result, PairSpec) else errors).append(result)
    return specs, errors


_Row = dict[str, str] | str  # the row's cells, or what is wrong with it


def _csv_rows(manifest: Path, text: str) -> list[tuple[int, _Row]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, _Row]] = []
    header: list[str] | None = None
    header_line = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            # The csv module gives up on the record and goes on at the next line (the field-size limit guards
            # memory; no path or language code comes near it).
            limit = csv.field_size_limit()
            rows.append((start, f"a field is longer than {limit:,} characters, which no path or language code is"
                         if "field larger than field limit" in str(err) else f"not valid CSV: {err}"))
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header, header_line = [c.strip().lower() for c in cells], start
            unknown = [c for c in header if c not in MANIFEST_COLUMNS]
            if unknown or "target" not in header or len(set(header)) != len(header):
                problem = (f"unknown column {_shown(unknown[0])}" if unknown else "no 'target' column"
                           if "target" not in header else "a column is named twice")
                # Rows under a header we cannot read would be paired wrongly: reject the whole manifest.
                return [(start, f"{problem} in the header (columns: {', '.join(MANIFEST_COLUMNS)})")]
            continue
        if len(cells) != len(header):
            rows.append((start, f"expected {len(header)} columns (as in the header on line {header_line}), "
                                f"found {len(cells)}"))
            continue
        rows.append((start, {k: v.strip() for k, v in zip(header, cells, strict=True)}))
    if header is None:
        rows.append((1, f"no header line (columns: {', '.join(MANIFEST_COLUMNS)})"))
    return rows


def _jsonl_rows(manifest: Path, text: str) -> list[tuple[int, _Row]]:
    rows: list[tuple[int, _Row]] = []
    for number, obj in jsonl_objects(text):
        if isinstance(obj, str):
            rows.append((number, obj))
            continue
        unknown = [k for k in obj if k not in MANIFEST_COLUMNS]
        bad = [k for k, v in obj.items() if v is not None and not isinstance(v, str)]
        if unknown:
            rows.append((number, f"unknown key {_shown(unknown[0])} (keys: {', '.join(MANIFEST_COLUMNS)})"))
        elif bad:
            rows.append((number, f"{bad[0]!r} must be a string"))
        else:
            rows.append((number, {k: (v or "").strip() for k, v in obj.items()}))
    return rows


def _manifest_row(manifest: Path, line: int, row: dict[str, str], src_lang: str | None,
                  tgt_lang: str | None) -> PairSpec | FileError:
    where = f"line {line}"
    if not row.get("target"):
        return FileError(manifest, "malformed", f"{where}: no target")
    resolved: dict[str, Path | None] = {}
    for role in ("target", "source", "reference"):
        value = row.get(role)
        if not value:
            resolved[role] = None
            continue
        invalid = _invalid_name(value)
        if invalid:
            return FileError(manifest, "malformed", f"{where}: {role} {_shown(value)} is no file name: {invalid}")
        path = Path(value)
        # Relative to the manifest, so that a manifest and its files can move together.
        path = path if path.is_absolute() else manifest.parent / path
        kind, why = _kind_of(path)
        if kind != "file":
            problem = {"folder": "is a folder, expected a file", "other": "is not a regular file"}.get(
                kind, f"cannot be looked up: {why}" if why else "not found")
            looked = path_text(path) or ""
            if len(looked) > 2 * _SHOWN:
                looked = f"{looked[:2 * _SHOWN]}…"
            return FileError(manifest, "unreadable" if kind == "unreadable" else "not-found",
                             f"{where}: {role} {_shown(value)} {problem} (looked for {looked})")
        resolved[role] = path
    langs: dict[str, str | None] = {}
    for key in ("src_lang", "tgt_lang"):
        value = row.get(key)
        langs[key] = primary_lang(value) if value else None
        if value and langs[key] is None:
            return FileError(manifest, "malformed", f"{where}: {key} {_shown(value)} is not a language code")
    target = resolved["target"]
    assert target is not None  # checked above; narrows the type
    if target.suffix.lower() in BILINGUAL_SUFFIXES and resolved["source"] is not None:
        return FileError(manifest, "malformed", f"{where}: {target.name} is a bilingual file and carries its "
                                                "own source; leave 'source' empty")
    source = resolved["source"]
    src, tgt = _path_langs(target, source)
    return PairSpec(target, source, resolved["reference"], langs["src_lang"] or src_lang or src,
                    langs["tgt_lang"] or tgt_lang or tgt)


def _shown(value: str) -> str:
    """``value`` quoted for a message (escapes included, so it always prints); a long one cut short."""
    if len(value) <= _SHOWN:
        return repr(value)
    return f"{value[:_SHOWN]!r}… ({len(value):,} characters)"


def _invalid_name(value: str) -> str | None:
    """Why ``value`` cannot be a file name on this system, or ``None``.

    A surrogate escape (``\\udce9``, as Python writes a byte of a name that is not UTF-8) names that byte and
    is fine; any other lone surrogate (``\\ud800``, which a JSON escape can make) names none.
    """
    if "\x00" in value:
        return "it holds a NUL character"
    try:
        os.fsencode(value)
    except UnicodeEncodeError as err:
        return f"it holds {err.object[err.start]!r}, which stands for no byte of a file name (a lone surrogate)"
    return None
