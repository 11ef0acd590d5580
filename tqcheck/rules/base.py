"""What a rule is: one decorated function with its code, name, category, severity and documentation."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from tqcheck import prefilter, regexcache
from tqcheck.align import link_spans
from tqcheck.glossary import Glossary
from tqcheck.packs import PackSet
from tqcheck.prefilter import ScanText
from tqcheck.segment import Paragraph
from tqcheck.types import (
    Alignment,
    Category,
    Document,
    InlineCode,
    Link,
    RuleInfo,
    ScoredPair,
    Segment,
    Severity,
    Span,
)

CODE_RE = regexcache.compile(r"^TQ\d{3}$")
NAME_RE = regexcache.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_DOC_FIELD = regexcache.compile(r"^(Why|Bad|Good|Options):\s*(.*)$")
# Words: letters/digits joined by inner hyphens or apostrophes ("E-Commerce-Branche", "don't" are one).
WORD_RE = regexcache.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule reports; the engine turns it into an :class:`~tqcheck.types.Issue`."""

    start: int
    end: int
    message: str
    suggestion: str | None = None
    severity: Severity | None = None  # None: the rule's (possibly configured) severity
    replacements: tuple[str, ...] = ()
    confidence: float | None = None  # a QE model's own confidence; rule issues get their rule's measured precision
    source_span: Span | None = None


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """One alignment link with the source and target text ranges it covers (``None``: that side is empty)."""

    index: int
    link: Link
    source: Span | None
    target: Span | None


class CheckContext:
    """Everything a rule may look at, computed once per document and shared by all rules.

    ``target`` and ``source`` are what prose rules read: where the texts have inline codes (tags, placeholders),
    their characters are masked (:data:`tqcheck.inline.MASK`, same length and offsets). ``codes`` and
    ``source_codes`` are those codes; ``raw_target`` and ``raw_source`` the unmasked documents, which the tag
    rules (TQ8xx) read.
    """

    def __init__(
        self,
        target: Document,
        *,
        source: Document | None,
        src_lang: str | None,
        tgt_lang: str | None,
        packs: PackSet,
        segments: tuple[Segment, ...],
        paragraphs: tuple[Paragraph, ...],
        qe: tuple[ScoredPair, ...] = (),
        source_segments: tuple[Segment, ...] = (),
        source_paragraphs: tuple[Paragraph, ...] = (),
        alignment: Alignment | None = None,
        glossary: Glossary | None = None,
        qe_threshold: float | None = None,
        siblings: tuple[tuple[str, str, str], ...] | None = None,
        codes: tuple[InlineCode, ...] = (),
        source_codes: tuple[InlineCode, ...] = (),
        raw_target: Document | None = None,
        raw_source: Document | None = None,
        spelling_words: frozenset[str] = frozenset(),
        source_names: Document | None = None,
    ) -> None:
        self.target = target
        self.source = source
        self.src_lang = src_lang
        self.tgt_lang = tgt_lang
        self.packs = packs
        self.segments = segments
        self.paragraphs = paragraphs
        self.qe = qe  # QE results of the aligned pairs (empty when QE did not run)
        self.source_segments = source_segments
        self.source_paragraphs = source_paragraphs
        self.alignment = alignment
        self.glossary = glossary
        # (unit id, source, target) of every unit of this unit's bilingual file, in file order (this one included,
        # found by its id); None: the document is not a unit of a file
        self.siblings = siblings
        self.qe_threshold = qe_threshold  # configured QE pass mark (None: the model family's default)
        self.cache: dict[str, object] = {}  # results two rules of a family share (computed once per document)
        self.codes = codes  # inline codes of the target, in text order
        self.source_codes = source_codes
        self.raw_target = raw_target if raw_target is not None else target  # the target with its codes unmasked
        self.raw_source = raw_source if raw_source is not None else source
        self.spelling_words = spelling_words  # the user's word list (casefolded): never misspellings (TQ610)
        # The source as read even when it does not align (then ``source`` is None): names kept from it (TQ610)
        self.source_names = source_names if source_names is not None else self.source

    @property
    def raw_text(self) -> str:
        """The target text with its codes as written (``<1>``, ``%s``); :attr:`text` has them masked."""
        return self.raw_target.text

    @property
    def text(self) -> str:
        return self.target.text

    def slice(self, span: Span) -> str:
        return self.target.text[span.start:span.end]

    @cached_property
    def links(self) -> tuple[AlignedPair, ...]:
        """The alignment's links with the text ranges they cover on each side, in text order."""
        if self.alignment is None:
            return ()
        pairs = []
        for index, link in enumerate(self.alignment.links):
            source, target = link_spans(link, self.source_segments, self.segments)
            pairs.append(AlignedPair(index, link, source, target))
        return tuple(pairs)

    def source_slice(self, span: Span) -> str:
        assert self.source is not None
        return self.source.text[span.start:span.end]

    @cached_property
    def lowered(self) -> str:
        """The text in lower case, for fast substring pre-tests only (its offsets may differ)."""
        return prefilter.lowercase(self.target.text)

    @cached_property
    def scan(self) -> ScanText:
        """The text with its prefilter tests (:func:`tqcheck.prefilter.finditer`), shared by every rule."""
        return ScanText(self.target.text, self.lowered)

    @cached_property
    def lines(self) -> tuple[Span, ...]:
        return tuple(line for para in self.paragraphs for line in para.lines)


CheckFn = Callable[[CheckContext], Iterable[Finding]]
_T = TypeVar("_T")

_BY_IDENTITY: dict[tuple[int, str], tuple[object, object]] = {}


def derived(owner: object, what: str, build: Callable[[], _T]) -> _T:
    """What ``build`` derives from ``owner`` (a pack's entries, its word lists), built once per owner object.

    Packs are loaded once per process and keep their objects, so an identity key is enough; the owner is kept
    beside the value, so its id is never reused while the entry lives."""
    key = (id(owner), what)
    entry = _BY_IDENTITY.get(key)
    if entry is None or entry[0] is not owner:
        entry = _BY_IDENTITY[key] = (owner, build())
    return entry[1]  # type: ignore[return-value]


def earliest_longest(matches: Iterable[tuple[int, int, _T]]) -> list[tuple[int, int, _T]]:
    """Non-overlapping ``(start, end, payload)`` picks: the earliest start wins, then the longest match, then
    the first given (so a pack's earlier entry wins a tie)."""
    kept: list[tuple[int, int, _T]] = []
    for match in sorted(matches, key=lambda m: (m[0], -m[1])):  # stable: input order breaks ties
        if not kept or match[0] >= kept[-1][1]:
            kept.append(match)
    return kept


@dataclass(frozen=True)
class Rule:
    """A check plus the metadata that ``tqcheck rules``, ``explain`` and reports show."""

    info: RuleInfo
    check: CheckFn
    doc: str
    example_pair: tuple[str, str]

    @property
    def code(self) -> str:
        return self.info.code

    @property
    def name(self) -> str:
        return self.info.name

    def field(self, name: str) -> list[str]:
        """Values of a docstring field (``Why``, ``Bad``, ``Good``, ``Options``); ``\\n`` in examples is a newline."""
        values = []
        for line in self.doc.splitlines():
            match = _DOC_FIELD.match(line.strip())
            if match and match.group(1) == name:
                value = match.group(2)
                values.append(value.replace("\\n", "\n") if name in {"Bad", "Good"} else value)
        return values

    def __call__(self, ctx: CheckContext) -> Iterator[Finding]:
        return iter(self.check(ctx))


def rule(
    code: str,
    name: str,
    category: Category,
    severity: Severity,
    *,
    needs_source: bool = False,
    needs_units: bool = False,
    example_pair: tuple[str, str] = ("zh", "de"),
) -> Callable[[CheckFn], Rule]:
    """Declare a rule; the function's docstring is its documentation (summary, Why, Bad, Good, Options).

    ``example_pair`` is the language pair the Bad and Good examples are written for.
    """
    if not CODE_RE.match(code):
        raise ValueError(f"rule code {code!r} is not TQ plus three digits")
    if not NAME_RE.match(name):
        raise ValueError(f"rule name {name!r} is not kebab-case")

    def wrap(fn: CheckFn) -> Rule:
        doc = inspect.cleandoc(fn.__doc__ or "")
        if not doc:
            raise ValueError(f"rule {code} has no docstring")
        summary = doc.splitlines()[0].strip()
        info = RuleInfo(code, name, category, severity, summary, needs_source, needs_units)
        return Rule(info, fn, doc, example_pair)

    return wrap
