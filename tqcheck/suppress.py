"""False positives that stay fixed: ``[[suppress]]`` entries of ``tqcheck.toml`` and the baseline.

An entry names a rule and a reason, and optionally narrows where it applies::

    [[suppress]]
    rule = "TQ203"                   # a code, code prefix or name, as --select takes
    text = "Double Eleven"           # the finding's exact span text (or: regex, which must match all of it)
    path = "news/*.de.txt"           # a glob, relative to the configuration file's folder
    source = "双十一"                 # the source text linked to the finding contains this
    reason = "the brand's own name"  # required: why this is not an error

A finding is suppressed by the first entry that matches it. Suppressed findings (and findings the baseline
holds) leave the issues before the document is scored, judged and routed, and are reported with their reason
and counted: never dropped silently. :func:`filter_issues` is the one place that does it; every engine (the
CLI, worker processes, Ray, the service) reaches it through :func:`tqcheck.pipeline.assemble_result`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqcheck.errors import ConfigError, unknown_key
from tqcheck.types import Document, Issue, Segment, Span, SpanIndex, Suppressed

if TYPE_CHECKING:
    from tqcheck.config import Config
    from tqcheck.types import Alignment

ENTRY_KEYS = ("rule", "reason", "text", "regex", "path", "source")


@dataclass(frozen=True)
class Suppression:
    """One ``[[suppress]]`` entry, validated; ``number`` is its 1-based place among the file's entries."""

    number: int
    rule: str
    reason: str
    codes: frozenset[str]  # the rule codes ``rule`` stands for
    text: str | None = None
    regex: str | None = None
    path: str | None = None
    source: str | None = None
    base: Path | None = None  # the folder ``path`` is relative to (the configuration file's); None: the run's

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        return re.compile(self.regex) if self.regex is not None else None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, as the report's ``config.suppress`` records it."""
        return {"rule": self.rule, "text": self.text, "regex": self.regex, "path": self.path, "source": self.source,
                "reason": self.reason}

    def matches(self, issue: Issue, target: Document, sources: Sequence[str]) -> bool:
        """Whether this entry covers ``issue`` of ``target``; ``sources`` are the source texts linked to it."""
        if issue.code not in self.codes:
            return False
        span_text = target.text[issue.span.start:issue.span.end]
        if self.text is not None and span_text != self.text:
            return False
        if self.pattern is not None and self.pattern.fullmatch(span_text) is None:
            return False
        if self.source is not None and not any(self.source in text for text in sources):
            return False
        return self.path is None or path_matches(self.path, target.path, self.base)

    def __getstate__(self) -> dict[str, Any]:
        # Worker processes get the config by pickle; the compiled pattern is rebuilt there on first use.
        return {k: v for k, v in self.__dict__.items() if k != "pattern"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


def path_matches(glob: str, path: Path | None, base: Path | None) -> bool:
    """Whether a document's file matches an entry's ``path`` glob, the file taken relative to ``base`` (the
    configuration file's folder; None: the working folder). The glob language is ``--include``'s: a glob without
    ``/`` matches any one name on the path, one with ``/`` matches from the folder (``**`` for any depth)."""
    from tqcheck.batch import glob_match  # the include/exclude globs; batch imports the pipeline, which imports us

    if path is None:
        return False
    return glob_match(glob, relative_parts(path, base))


def relative_parts(path: Path, base: Path | None) -> tuple[str, ...]:
    """The parts of ``path`` relative to ``base`` (or the working folder), as an entry's ``path`` sees them."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, os.path.abspath(base) if base is not None else os.getcwd())
    except ValueError:  # another drive (Windows): only a name glob can match
        return Path(absolute).parts
    return Path(relative).parts


def path_glob(path: Path, base: Path | None) -> str:
    """An entry's ``path`` that matches exactly this file, seen from ``base`` (the configuration file's folder;
    None: the working folder): its relative path, or only its name when it lies outside ``base``. A glob
    character in a name becomes ``?`` (any one character), since the glob language has no escape for it."""
    parts = relative_parts(path, base)
    if ".." in parts or Path(parts[0]).is_absolute():
        parts = parts[-1:]
    return "/".join(re.sub(r"[*?\[\]]", "?", part) for part in parts)


def parse_suppressions(entries: Any, where: str, base: Path | None) -> tuple[Suppression, ...]:
    """The ``[[suppress]]`` array of a configuration file, validated.

    Raises:
        ConfigError: naming ``where`` and the entry's number: not a table, an unknown key, no ``rule`` or an
            unknown one, no ``reason``, ``text`` and ``regex`` together, a regex that does not compile.
    """
    from tqcheck.rules import resolve  # the registry: only when a file has suppressions

    if not isinstance(entries, list):
        raise ConfigError(f"{where}: 'suppress' must be an array of tables ([[suppress]] entries)")
    out = []
    for number, entry in enumerate(entries, start=1):
        at = f"{where}: [[suppress]] entry {number}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{at}: must be a table with rule, reason and optional text, regex, path, source")
        for key, value in entry.items():
            if key not in ENTRY_KEYS:
                raise unknown_key(at, key, ENTRY_KEYS)
            if not isinstance(value, str):
                raise ConfigError(f"{at}: '{key}' must be a string, got {type(value).__name__}")
        for key in ("rule", "reason"):
            if not entry.get(key, "").strip():
                why = ("say why the finding is not an error, so the next editor knows" if key == "reason"
                       else "name the rule by code (TQ203) or name (pivot-language-name)")
                raise ConfigError(f"{at}: '{key}' is required ({why})")
        if "text" in entry and "regex" in entry:
            raise ConfigError(f"{at}: give 'text' (the exact span) or 'regex', not both")
        if "text" in entry and not entry["text"]:
            raise ConfigError(f"{at}: 'text' is empty (every finding has some text)")
        try:
            codes = frozenset(r.code for r in resolve(entry["rule"]))
        except ConfigError as err:
            raise ConfigError(f"{at}: 'rule': {err}") from None
        if "regex" in entry:
            try:
                re.compile(entry["regex"])
            except re.error as err:
                raise ConfigError(f"{at}: 'regex' is not a valid regular expression: {err}") from None
        out.append(Suppression(number=number, rule=entry["rule"], reason=entry["reason"], codes=codes,
                               text=entry.get("text"), regex=entry.get("regex"), path=entry.get("path"),
                               source=entry.get("source"), base=base))
    return tuple(out)


def filter_issues(config: Config, target: Document, issues: Sequence[Issue], *, source: Document | None = None,
                  segments: Sequence[Segment] = (), source_segments: Sequence[Segment] = (),
                  alignment: Alignment | None = None) -> tuple[list[Issue], tuple[Suppressed, ...]]:
    """The issues that stay, and those that ``config.suppress`` or ``config.baseline`` leave out (in text order).

    Suppressions apply first; the baseline then holds back the findings whose fingerprints it recorded. The
    fingerprints are numbered over all the document's findings, suppressed ones included, so they are the same
    whatever is suppressed (and the SARIF report numbers them so too).
    """
    ordered = sorted(issues, key=lambda i: i.sort_key)
    if not config.suppress and config.baseline is None:
        return ordered, ()
    recorded: frozenset[str] = frozenset()
    if config.baseline is not None:
        from tqcheck.fingerprint import numbered

        recorded = config.baseline.recorded(target.path)
    fingerprints = numbered(target, ordered) if recorded else []
    aligned = (_aligned_sources(source, segments, source_segments, alignment)
               if source is not None and any(e.source is not None for e in config.suppress) else None)
    kept: list[Issue] = []
    dropped: list[Suppressed] = []
    for k, issue in enumerate(ordered):
        entry = _first_match(config.suppress, issue, target, source, aligned)
        if entry is not None:
            dropped.append(Suppressed(issue, "config", entry.reason, entry.number))
        elif recorded and fingerprints[k] in recorded:
            dropped.append(Suppressed(issue, "baseline"))
        else:
            kept.append(issue)
    return kept, tuple(dropped)


def _aligned_sources(source: Document, segments: Sequence[Segment], source_segments: Sequence[Segment],
                     alignment: Alignment | None) -> SpanIndex[str]:
    """The source text of every alignment link with both sides, by the target range it covers (worked out once
    per document: a text of thousands of findings asks once per finding)."""
    from tqcheck.align import link_spans

    pairs = []
    for link in alignment.links if alignment is not None else ():
        src, tgt = link_spans(link, source_segments, segments)
        if src is not None and tgt is not None:
            pairs.append((tgt, source.text[src.start:src.end]))
    return SpanIndex(pairs)


def _first_match(entries: Sequence[Suppression], issue: Issue, target: Document, source: Document | None,
                 aligned: SpanIndex[str] | None) -> Suppression | None:
    candidates = [e for e in entries if issue.code in e.codes]
    if not candidates:
        return None
    sources = linked_sources(issue, source, aligned) if any(e.source is not None for e in candidates) else ()
    return next((e for e in candidates if e.matches(issue, target, sources)), None)


def linked_sources(issue: Issue, source: Document | None, aligned: SpanIndex[str] | None = None) -> list[str]:
    """The source texts a finding is linked to: its own source span (source-aware rules), and the source
    sentences aligned with the target sentence it starts in."""
    if source is None:
        return []
    texts = []
    if issue.source_span is not None:
        texts.append(source.text[issue.source_span.start:issue.source_span.end])
    if aligned is not None:
        at = Span(issue.span.start, issue.span.start)
        texts.extend(text for _span, text in aligned.near(at))
    return texts


def counts_by_reason(suppressed: Sequence[Suppressed]) -> Mapping[str, int]:
    """How many findings each reason suppressed, most first (the text report's one line)."""
    counts: dict[str, int] = {}
    for s in suppressed:
        if s.by == "config" and s.reason is not None:
            counts[s.reason] = counts.get(s.reason, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


__all__ = ["ENTRY_KEYS", "Suppression", "counts_by_reason", "filter_issues", "linked_sources", "parse_suppressions",
           "path_glob", "path_matches", "relative_parts"]
