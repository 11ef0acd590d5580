"""Core data types shared by every stage: plain frozen data, no I/O."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Generic, Literal, TypeVar

from tqcheck import regexcache

if TYPE_CHECKING:
    from tqcheck.metrics import ReferenceMetrics
    from tqcheck.routing import Routing
    from tqcheck.scoring import Gate, Scorecard


class Severity(StrEnum):
    """MQM severity; ``info`` marks notes that cost nothing."""

    INFO = "info"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def weight(self) -> int:
        return _SEVERITY_WEIGHTS[self.value]

    @property
    def rank(self) -> int:
        return _SEVERITY_ORDER.index(self.value)


_SEVERITY_WEIGHTS = {"info": 0, "minor": 1, "major": 5, "critical": 25}
_SEVERITY_ORDER = ("info", "minor", "major", "critical")


class Category(StrEnum):
    """MQM dimension/subtype; the value is the string used in reports."""

    MISTRANSLATION = "accuracy/mistranslation"
    OMISSION = "accuracy/omission"
    ADDITION = "accuracy/addition"
    UNTRANSLATED = "accuracy/untranslated"
    NUMBER = "accuracy/number"
    GRAMMAR = "fluency/grammar"
    REPETITION = "fluency/repetition"
    PUNCTUATION = "fluency/punctuation"
    SPELLING = "fluency/spelling"
    UNIDIOMATIC = "style/unidiomatic"
    TERM_INCONSISTENT = "terminology/inconsistent"
    TERM_WRONG = "terminology/wrong-term"
    LOCALE = "locale-convention/format"
    BOILERPLATE = "non-content/boilerplate"
    QE = "accuracy/qe-error"
    MARKUP = "design/markup"


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Half-open range ``[start, end)`` of code points in a document's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


T = TypeVar("T")


class SpanIndex(Generic[T]):
    """Spans, each with a value, sorted by start with the furthest end reached so far: which of them cover or come
    near a span is a binary search, not a scan of all of them (asked once per issue or per segment of a text)."""

    def __init__(self, items: Iterable[tuple[Span, T]]) -> None:
        self._items = sorted(items, key=lambda item: (item[0].start, item[0].end))
        self._starts = [span.start for span, _ in self._items]
        self._reach = list(itertools.accumulate((span.end for span, _ in self._items), max))

    def covers(self, span: Span) -> bool:
        """Whether one of the spans contains ``span``: one starting at or before it reaches its end."""
        k = bisect.bisect_right(self._starts, span.start) - 1
        return k >= 0 and self._reach[k] >= span.end

    def near(self, span: Span) -> Iterator[tuple[Span, T]]:
        """The spans that start at or before ``span`` ends and end at or after it starts (those that overlap or
        touch it), latest start first."""
        k = bisect.bisect_right(self._starts, span.end) - 1
        while k >= 0 and self._reach[k] >= span.start:
            item = self._items[k]
            if item[0].end >= span.start:
                yield item
            k -= 1


_LINE_BREAK = regexcache.compile(r"\r\n?|\n")


@lru_cache(maxsize=64)
def _line_starts(text: str) -> tuple[int, ...]:
    # A regex scan, not a character loop: the line table of a 10 MB text costs milliseconds, not seconds.
    return (0, *(m.end() for m in _LINE_BREAK.finditer(text)))


CodeKind = Literal["open", "close", "standalone", "placeholder"]


@dataclass(frozen=True, slots=True)
class InlineCode:
    """An inline code in a text: an XLIFF/TMX tag or a software placeholder (``%s``, ``{0}``), atomic for prose rules.

    ``span`` is where its marker stands in the text. Tags of bilingual files are written into the unit text as
    short markers (``<1>``, ``</1>``, ``<2/>``: paired open and close codes share their ``id``); placeholders are
    the literal text (``%1$s``). ``id`` matches a target code to its source code; ``element`` is the XML element
    (``g``, ``x``, ``bx``, ``ex``, ``ph``, ``bpt``, ``ept``, ``it``, ``mrk``, ``pc``, ``sc``, ``ec``, ``cp``) or
    None for a placeholder; ``native`` is what the code stands for (the content of ``<ph>``/``<bpt>``, the
    placeholder's text).
    """

    span: Span
    kind: CodeKind
    id: str | None = None
    element: str | None = None
    native: str | None = None


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """What a bilingual file says about one unit: the line it starts on, its segment state (normalised, and as
    written) and its translation-memory match."""

    line: int | None = None
    state: str | None = None
    state_detail: str | None = None
    match: int | None = None
    # Where the target text stands in the file, as (text offset, file line, file column) anchors in text order,
    # 1-based: a run of text from an anchor up to the next one is written in the file as is, on one line. Only
    # XML readers record them (JSON and PO escapes make a column ambiguous); empty means "unknown".
    positions: tuple[tuple[int, int, int], ...] = ()

    def file_position(self, offset: int, *, end: bool = False) -> tuple[int | None, int | None]:
        """The 1-based file line and column of text ``offset``; the column is ``None`` where the file does
        not say it exactly (the line is then the unit's), both ``None`` where the file records no line.

        With ``end``, ``offset`` ends a span: the column just after its last character (not the start of
        whatever follows it in the file, such as a tag the text leaves out)."""
        if not self.positions:
            return self.line, None
        last = offset - 1 if end and offset > 0 else offset
        index = bisect.bisect_right(self.positions, (last, _MAX_LINE, _MAX_LINE)) - 1
        if index < 0:
            return self.line, None
        at, line, column = self.positions[index]
        if last == offset:
            return line, column + offset - at
        following = self.positions[index + 1] if index + 1 < len(self.positions) else None
        if following is not None and following[0] == offset and at == last and following[1] == line:
            # A run of one character may be an entity (``&amp;``): it ends where the next run starts.
            return line, following[2]
        return line, column + offset - at


_MAX_LINE = 1 << 62


@dataclass(frozen=True, slots=True)
class Document:
    """A text exactly as decoded from its file; all offsets point into ``text``."""

    text: str
    lang: str | None = None
    path: Path | None = None
    encoding: str = "utf-8"
    unit: str | None = None  # id of the bilingual unit this text came from (XLIFF, TMX, JSONL)
    codes: tuple[InlineCode, ...] = ()  # inline codes in text order (tags of a bilingual unit, placeholders)
    unit_info: UnitInfo | None = None  # where the unit stands in its file and its segment state

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in code points) of ``offset``; CR, LF and CRLF end lines."""
        starts = _line_starts(self.text)
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    def line_span(self, offset: int) -> Span:
        """The line containing ``offset``, without its line break."""
        starts = _line_starts(self.text)
        line = bisect.bisect_right(starts, offset) - 1
        start = starts[line]
        end = starts[line + 1] if line + 1 < len(starts) else len(self.text)
        while end > start and self.text[end - 1] in "\r\n":
            end -= 1
        return Span(start, end)

    @property
    def name(self) -> str:
        return str(self.path) if self.path else "<text>"

    def file_position(self, offset: int, *, end: bool = False) -> tuple[int | None, int | None]:
        """Where ``offset`` stands in the document's file: for a text file, its line and column; for a unit of
        a bilingual file, the file line and column its reader recorded (see :meth:`UnitInfo.file_position`)."""
        if self.unit is None:
            return self.line_col(offset)
        if self.unit_info is None:
            return None, None
        return self.unit_info.file_position(offset, end=end)


SegmentKind = Literal["sentence", "heading"]


@dataclass(frozen=True, slots=True)
class Segment:
    """A sentence (or a heading line) of a document, by offsets."""

    index: int
    span: Span
    paragraph: int
    kind: SegmentKind = "sentence"


@dataclass(frozen=True, slots=True)
class Link:
    """One alignment link; an empty side is an omission (1-0) or an addition (0-1)."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    confidence: float


@dataclass(frozen=True, slots=True)
class Alignment:
    links: tuple[Link, ...]
    method: str


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What ``tqcheck rules`` lists and reports carry about a rule."""

    code: str
    name: str
    category: Category
    severity: Severity
    summary: str
    needs_source: bool = False
    needs_units: bool = False  # compares a unit with the other units of its bilingual file


@dataclass(frozen=True, slots=True)
class Issue:
    code: str
    rule: str
    category: Category
    severity: Severity
    span: Span
    message: str  # one English sentence; the text's words quoted in « » (tqcheck.wording.quote)
    suggestion: str | None = None  # advice for the editor, in English; None when `replacements` say it all
    replacements: tuple[str, ...] = ()  # drop-in texts for exactly the span ("" deletes it): SARIF fixes
    source_span: Span | None = None
    segment: int | None = None
    origin: Literal["rule", "qe"] = "rule"
    confidence: float = 1.0

    @property
    def sort_key(self) -> tuple[object, ...]:
        """Text order, then every other field: two different issues never tie, so a list sorted by this key is
        the same whatever order the issues were found in (a set's order changes with PYTHONHASHSEED)."""
        source = (self.source_span.start, self.source_span.end) if self.source_span is not None else (-1, -1)
        return (self.span.start, self.span.end, self.code, self.message, self.suggestion or "", self.replacements,
                source, -1 if self.segment is None else self.segment, self.severity.rank, self.category.value,
                self.rule, self.origin, self.confidence)


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A finding left out of a document's issues (so of its score, gate and route), and why: a ``[[suppress]]``
    entry of the configuration (``by="config"``, with the entry's number and reason), or the baseline."""

    issue: Issue
    by: Literal["config", "baseline"]
    reason: str | None = None
    entry: int | None = None  # 1-based number of the [[suppress]] entry in its file


@dataclass(frozen=True, slots=True)
class QESpan:
    """An error span predicted by a QE model, relative to the target segment text it scored."""

    start: int
    end: int
    severity: Severity
    confidence: float


@dataclass(frozen=True, slots=True)
class QEResult:
    """A QE model's judgement of one (source, target) segment pair."""

    score: float
    spans: tuple[QESpan, ...] = ()
    truncated: bool = False
    cached: bool = False


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """A QE result placed in the documents: which target (and source) text the model scored."""

    link: int
    target: Span
    source: Span | None
    result: QEResult
    model: str


@dataclass(frozen=True, slots=True)
class QESummary:
    """What QE said about a document, or why it did not run."""

    status: Literal["ok", "unavailable", "disabled"]
    model: str | None = None
    score: float | None = None  # length-weighted mean of the segment scores
    reason: str | None = None
    license: str | None = None  # the model's licence (SPDX id or "unknown"): tqcheck.qe.models.license_of


class _Judged:
    """What the gate and the router decided about a checked text, read from its scorecard, gate and routing."""

    scorecard: Scorecard
    gate: Gate
    routing: Routing

    @property
    def score(self) -> float:
        """The chosen scoring model's score (0–100)."""
        return self.scorecard.score

    @property
    def penalty(self) -> float:
        """APT, the absolute penalty total."""
        return self.scorecard.apt

    @property
    def verdict(self) -> Literal["pass", "fail"]:
        return self.gate.verdict

    @property
    def band(self) -> str:
        return self.gate.band

    @property
    def route(self) -> str:
        return self.routing.route


@dataclass(frozen=True)
class DocumentResult(_Judged):
    target: Document
    source: Document | None
    segments: tuple[Segment, ...]
    alignment: Alignment | None
    qe_pairs: tuple[ScoredPair, ...]
    qe: QESummary
    issues: tuple[Issue, ...]
    word_count: int  # size of the target: words, or characters for zh/ja/th (word_unit)
    word_unit: Literal["words", "characters"]
    scorecard: Scorecard
    gate: Gate
    routing: Routing
    src_lang: str | None = None
    packs: tuple[tuple[str, str], ...] = ()  # (pack id, fingerprint) of the packs that applied
    notes: tuple[str, ...] = ()
    source_segments: tuple[Segment, ...] = ()
    metrics: ReferenceMetrics | None = None
    suppressed: tuple[Suppressed, ...] = ()  # findings a [[suppress]] entry or the baseline left out


@dataclass(frozen=True)
class FileResult(_Judged):
    """A bilingual file (XLIFF, TMX, PO, JSONL…) checked as one document of units.

    ``units`` are the results of the checked units in file order; their issues point into each unit's
    target text. The file is scored, judged and routed as a whole: ``scorecard`` counts the penalties and
    words of every checked unit, ``gate`` judges that, ``routing`` routes the file from its units' segments
    (``routing.segments`` is empty: each unit's routed segments are in ``units[i].routing``). ``unit_count``
    is the number of units in the file, ``skipped`` how many were not checked, by reason.
    """

    path: Path
    format: str
    src_lang: str | None
    tgt_lang: str | None
    units: tuple[DocumentResult, ...]
    unit_count: int
    skipped: Mapping[str, int]
    scorecard: Scorecard
    gate: Gate
    routing: Routing
    qe: QESummary
    word_count: int
    word_unit: Literal["words", "characters"]
    encoding: str = "utf-8"
    packs: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def issues(self) -> tuple[Issue, ...]:
        """Every unit's issues, in unit order (offsets point into each unit's text: see :meth:`unit_issues`)."""
        return tuple(issue for unit in self.units for issue in unit.issues)

    @property
    def suppressed(self) -> tuple[Suppressed, ...]:
        """Every unit's suppressed findings, in unit order."""
        return tuple(s for unit in self.units for s in unit.suppressed)

    def unit_issues(self) -> Iterator[tuple[DocumentResult, Issue]]:
        for unit in self.units:
            for issue in unit.issues:
                yield unit, issue

    @property
    def target(self) -> Document:
        """The file itself as a (textless) document: its path, target language and encoding."""
        return Document("", self.tgt_lang, self.path, self.encoding)


Checked = DocumentResult | FileResult  # what the gate judges: a document, or a bilingual file as one document


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be checked; the batch goes on without it."""

    path: Path
    kind: str
    message: str


@dataclass(frozen=True)
class Report:
    schema_version: str
    tool_version: str
    signature: str
    config: Mapping[str, object]
    results: tuple[DocumentResult | FileResult | FileError, ...] = field(default_factory=tuple)

    @property
    def documents(self) -> tuple[DocumentResult | FileResult, ...]:
        """What was checked and judged: documents, and bilingual files each as one document of units."""
        return tuple(r for r in self.results if not isinstance(r, FileError))

    @property
    def units(self) -> tuple[DocumentResult, ...]:
        """Every checked text: the documents, and the units of each bilingual file in their place."""
        return tuple(u for r in self.documents for u in (r.units if isinstance(r, FileResult) else (r,)))

    @property
    def errors(self) -> tuple[FileError, ...]:
        return tuple(r for r in self.results if isinstance(r, FileError))
