"""TQ5xx: page furniture scraped into the article — not content at all, to be stripped or gated."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import Any

from tqcheck import regexcache
from tqcheck.packs import FurnitureEntry
from tqcheck.prefilter import automaton, prefilter
from tqcheck.rules.base import CheckContext, Finding, derived, rule
from tqcheck.segment import Paragraph
from tqcheck.types import Category, Severity, Span

_ELLIPSES = ("...", "…")  # a snippet cut off: one of them, then only spaces (r"(?:\.{3}|…)\s*$")
_WS = regexcache.compile(r"\s+")
_TITLE_WINDOW = 5  # a repeated title shows up within the first paragraphs
_TEASER_MAX_CHARS = 300
_TEASER_TITLE_MAX_CHARS = 150


def _normalized(text: str) -> str:
    """The text with its spaces collapsed and trimmed, case-folded (what ``_WS.sub(" ", text).strip()`` gives:
    ``str.split`` splits on the characters ``\\s`` matches)."""
    return " ".join(text.split()).casefold()


def _furniture_lines(ctx: CheckContext, *kinds: str) -> Iterator[tuple[Span, str, str]]:
    """Lines matching a furniture entry of ``kinds``: (line, why, suggestion), first matching entry wins."""
    candidates = _line_candidates(ctx)
    chosen = [(entry, candidates[i]) for i, entry in enumerate(ctx.packs.furniture)
              if entry.kind in kinds and candidates[i] != _NO_LINES]
    if not chosen:
        return
    lines = ctx.lines
    if any(where is None for _, where in chosen):
        order: Iterable[int] = range(len(lines))
    else:
        order = sorted(set().union(*(where for _, where in chosen if where is not None)))
    for k in order:
        line = lines[k]
        text = ctx.slice(line)
        for entry, where in chosen:
            # An entry is tried only on the lines that hold one of the literals every match of it contains.
            if (where is None or k in where) and entry.pattern.search(text):
                yield line, entry.why, entry.suggestion
                break


_NO_LINES: frozenset[int] = frozenset()


class _FurnitureIndex:
    """The furniture entries' prefilters, and one Aho–Corasick automaton over all their literals: one pass over a
    text says which lines each entry may match (instead of a search of every line with every entry)."""

    def __init__(self, entries: tuple[FurnitureEntry, ...]) -> None:
        self.filters = [prefilter(e.pattern) for e in entries]
        leads: dict[str, list[int]] = {}
        for i, found in enumerate(self.filters):
            # Entries with a character-class condition, or none, are left to may_match and then tried on every line.
            if found.literals and found.chars is None:
                for literal in found.literals:
                    leads.setdefault(literal, []).append(i)
        self.literal_entries = frozenset(i for ids in leads.values() for i in ids)
        self.automaton: Any = None
        if leads:
            self.automaton = automaton((literal, (len(literal), tuple(ids))) for literal, ids in leads.items())


def _line_candidates(ctx: CheckContext) -> list[frozenset[int] | set[int] | None]:
    """For each furniture entry of the packs: the indices of the lines it may match (None: every line), once per
    document."""
    cached = ctx.cache.get("furniture_lines")
    if cached is not None:
        return cached  # type: ignore[return-value]
    entries = ctx.packs.furniture
    index: _FurnitureIndex = derived(entries, "furniture index", lambda: _FurnitureIndex(entries))
    scan = ctx.scan
    found: list[frozenset[int] | set[int] | None] = []
    # Where lowering moves offsets or folds unlike the engine, the whole-text test of each entry decides alone.
    # (And where lines are not in text order, apart, as the segmenter makes them.)
    lines = ctx.lines
    by_line = (index.automaton is not None and scan.offsets_kept and not scan.extra_folds
               and all(a.end <= b.start for a, b in pairwise(lines)))
    for i, filt in enumerate(index.filters):
        if by_line and i in index.literal_entries:
            found.append(set())
        else:
            found.append(None if filt.may_match(scan) else _NO_LINES)
    if by_line:
        starts = [line.start for line in lines]
        for end, (size, ids) in scan.hits(index.automaton):
            start = end + 1 - size
            k = bisect_right(starts, start) - 1
            if k >= 0 and end < lines[k].end:  # the literal lies within line k
                for i in ids:
                    found[i].add(k)  # type: ignore[union-attr]
        found = [_NO_LINES if where is not None and not where else where for where in found]
    ctx.cache["furniture_lines"] = found
    return found


def _is_heading(ctx: CheckContext, para: Paragraph) -> bool:
    headings = ctx.cache.get("heading_paragraphs")
    if headings is None:  # once per document: asked for every paragraph, a scan of the segments was quadratic
        headings = ctx.cache["heading_paragraphs"] = frozenset(s.paragraph for s in ctx.segments if s.kind == "heading")
    return para.index in headings  # type: ignore[operator]


def _is_truncated_snippet(ctx: CheckContext, para: Paragraph) -> bool:
    if len(para.lines) != 1 or para.span.end - para.span.start > _TEASER_MAX_CHARS:
        return False
    # What _TRUNCATED finds, without a search from every position: ``str.rstrip`` strips what ``\s`` matches.
    return ctx.slice(para.span).rstrip().endswith(_ELLIPSES)


def _is_teaser_title(ctx: CheckContext, index: int) -> bool:
    """A short one-line paragraph that is a heading or is followed by a cut-off snippet."""
    paras = ctx.paragraphs
    para = paras[index]
    if len(para.lines) != 1 or len(ctx.slice(para.span)) > _TEASER_TITLE_MAX_CHARS or _is_truncated_snippet(ctx, para):
        return False
    following = paras[index + 1] if index + 1 < len(paras) else None
    return _is_heading(ctx, para) or (following is not None and _is_truncated_snippet(ctx, following))


def teaser_blocks(ctx: CheckContext) -> list[tuple[Span, int]]:
    """Recommended-article blocks: a teaser heading and the title/snippet paragraphs after it; once per document
    (TQ503 and TQ504 both ask)."""
    cached = ctx.cache.get("teaser_blocks")
    if cached is None:
        cached = ctx.cache["teaser_blocks"] = list(_teaser_blocks(ctx))
    return cached  # type: ignore[return-value]


def _teaser_blocks(ctx: CheckContext) -> Iterator[tuple[Span, int]]:
    heading_lines = {line.start for line, _, _ in _furniture_lines(ctx, "teaser-heading")}
    if not heading_lines:
        return
    paras = ctx.paragraphs
    i = 0
    while i < len(paras):
        if paras[i].span.start not in heading_lines:
            i += 1
            continue
        end, teasers, j = paras[i].span.end, 0, i + 1
        while j < len(paras) and (_is_teaser_title(ctx, j) or _is_truncated_snippet(ctx, paras[j])):
            teasers += _is_teaser_title(ctx, j)
            end = paras[j].span.end
            j += 1
        yield Span(paras[i].span.start, end), teasers
        i = j


@rule("TQ501", "duplicated-title", Category.BOILERPLATE, Severity.MAJOR)
def duplicated_title(ctx: CheckContext) -> Iterator[Finding]:
    r"""The article's title repeated as a paragraph near the top (a scraped page header).

    Why: page scrapers often take the title from both the page head and the article body.
    Bad: Wie lange hält der Boom an?\n\nWie lange hält der Boom an?\n\nTencent ist seit langem im E-Commerce tätig.
    Good: Wie lange hält der Boom an?\n\nTencent ist seit langem im E-Commerce tätig.
    """
    paras = ctx.paragraphs
    if len(paras) < 2:
        return
    title = _normalized(ctx.slice(paras[0].span))
    for para in paras[1:_TITLE_WINDOW]:
        if _normalized(ctx.slice(para.span)) == title:
            yield Finding(para.span.start, para.span.end, "The title is repeated as a paragraph (page header scraped "
                          "with the article).", "Delete the repeated title.", replacements=("",))


@rule("TQ502", "navigation-remnant", Category.BOILERPLATE, Severity.MAJOR)
def navigation_remnant(ctx: CheckContext) -> Iterator[Finding]:
    r"""Previous/next links of the web page ("<<:", ">>:") scraped into the article.

    Why: navigation is not part of the article; published, it reads as garbage.
    Bad: Ein Konzept wird sterben.\n\n<<:  Der Wettbewerbspunkt der Videobranche hat sich geändert
    Good: Ein Konzept wird sterben.
    Options: packs (furniture.tsv of the target language, kind "navigation")
    """
    for line, why, suggestion in _furniture_lines(ctx, "navigation"):
        yield Finding(line.start, line.end, why, suggestion,
                      replacements=("",))


@rule("TQ503", "teaser-block", Category.BOILERPLATE, Severity.MAJOR)
def teaser_block(ctx: CheckContext) -> Iterator[Finding]:
    r"""A "recommended articles" block (heading, teaser titles, cut-off snippets) scraped into the article.

    Why: the teasers belong to other articles; they must be stripped before publishing.
    Bad: Ende des Artikels.\n\nArtikel empfehlen\n\nWelche Yogamatte soll ich wählen?\n\nIch glaube, jeder sollte ...
    Good: Ende des Artikels.
    Options: packs (furniture.tsv of the target language, kind "teaser-heading")
    """
    for span, teasers in teaser_blocks(ctx):
        plural = "s" if teasers != 1 else ""
        yield Finding(span.start, span.end, f"Block of recommended articles ({teasers} teaser{plural}) scraped from "
                                            "the page.",
                      "Delete the whole block.", replacements=("",))


@rule("TQ504", "truncated-snippet", Category.BOILERPLATE, Severity.MINOR)
def truncated_snippet(ctx: CheckContext) -> Iterator[Finding]:
    r"""A teaser snippet: a short paragraph after a teaser title that breaks off with "..." or "…".

    Why: cut-off snippets are page furniture (teaser lists); inside a reported teaser block they cost
    nothing (severity info), elsewhere they are minor.
    Bad: Warum Yoga?\n\nIch glaube, jeder sollte mit dem Sport Yoga sehr ...
    Good: Warum Yoga?\n\nIch glaube, jeder sollte mit dem Sport Yoga sehr vorsichtig beginnen.
    """
    blocks = [span for span, _ in teaser_blocks(ctx)]
    paras = ctx.paragraphs
    for k in range(1, len(paras)):
        para = paras[k]
        if not (_is_truncated_snippet(ctx, para) and _is_teaser_title(ctx, k - 1)):
            continue
        inside = any(b.contains(para.span) for b in blocks)
        yield Finding(para.span.start, para.span.end,
                      "Cut-off teaser snippet (ends in an ellipsis after a teaser title).",
                      "Delete the snippet with its teaser title.", severity=Severity.INFO if inside else None,
                      replacements=("",))


@rule("TQ505", "author-bio", Category.BOILERPLATE, Severity.MAJOR)
def author_bio(ctx: CheckContext) -> Iterator[Finding]:
    r"""An author biography (awards, titles, "about the author") scraped from the page into the article.

    Why: the bio is page furniture; in the article it reads as if the text suddenly talked about someone else.
    Bad: Das Konzept wird sterben.\n\nAls Gewinner des Qingyun-Plans hat er viele Auszeichnungen gewonnen.
    Good: Das Konzept wird sterben.
    Options: packs (furniture.tsv of the target language, kind "bio")
    """
    for line, why, suggestion in _furniture_lines(ctx, "bio"):
        yield Finding(line.start, line.end, why, suggestion,
                      replacements=("",))


@rule("TQ506", "share-or-copyright-line", Category.BOILERPLATE, Severity.MINOR)
def share_or_copyright_line(ctx: CheckContext) -> Iterator[Finding]:
    r"""Share/follow prompts and copyright or source lines of the web page.

    Why: these lines belong to the page, not to the article.
    Bad: Das Konzept wird sterben.\n\nTeilen Sie diesen Artikel
    Good: Das Konzept wird sterben.
    Options: packs (furniture.tsv of the target language, kinds "share" and "copyright")
    """
    for line, why, suggestion in _furniture_lines(ctx, "share", "copyright"):
        yield Finding(line.start, line.end, why, suggestion,
                      replacements=("",))


RULES = (duplicated_title, navigation_remnant, teaser_block, truncated_snippet, author_bio, share_or_copyright_line)
