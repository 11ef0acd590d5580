"""Terminal report for editors: worst first (or in text order), the span marked inside its line.

Nothing from the input reaches the terminal raw: excerpts, file names, unit ids, messages, notes and errors go
through :func:`tqcheck.display.terminal_safe` (control characters, escape sequences, bidi controls and lone
surrogates shown as ``\\x1b``, ``\\u202e``, ``\\udc00``…; file names first through
:func:`tqcheck.display.path_text`), and the ``^^^`` markers are measured on the escaped excerpt, so they stay
under the span. The only escape sequences in the output are the report's own colours.

Issues are laid out for a width (:mod:`tqcheck.reports.excerpt`: context cut between words, the span whole,
markers in terminal columns); what to do is labelled ``replace with:`` (drop-in replacements) or ``advice:``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from tqcheck.display import NO_BREAK_SPACES, cell_width, path_text, terminal_safe
from tqcheck.reports.excerpt import Row, layout, shown, wrap_prose
from tqcheck.reports.json import PIECE_CHARS, severity_counts, summary
from tqcheck.routing import ROUTES
from tqcheck.types import Checked, Document, DocumentResult, FileError, FileResult, Issue, QESummary, Report, Severity

if TYPE_CHECKING:
    from rich.style import Style

DEFAULT_WIDTH = 100  # columns when no width is given: reproducible, whatever the terminal
MIN_WIDTH = 40
_SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.MAJOR: "bold red",
    Severity.MINOR: "yellow",
    Severity.INFO: "dim",
}
_SPAN_STYLE = {
    Severity.CRITICAL: "bold underline red",
    Severity.MAJOR: "bold underline red",
    Severity.MINOR: "underline yellow",
    Severity.INFO: "underline",
}
# Colour says how good (band) and how much work (route) at a glance; the words say it without colour.
_BAND_STYLE = {"excellent": "bold green", "good": "green", "acceptable": "yellow", "poor": "bold red"}
_ROUTE_STYLE = {"publish": "green", "light-review": "cyan", "post-edit": "yellow", "retranslate": "bold red"}
_SEP = "  ·  "
_safe = terminal_safe
Chunk = tuple[str, str | None]  # text and its rich style name (None: plain)


class _Out:
    """A block of the report as it is written: ``(text, style)`` chunks in order, ended by ``\n``.

    Not one rich ``Text`` for the whole report: that kept a span object per styled append and, printed
    through a ``Console``, a segment object per span, all at once (for a 2 MB text, 355 MB peak against 120 MB
    for the JSON report). A block is turned into its final string (:func:`_finish`) as soon as it is written.
    """

    __slots__ = ("chunks",)

    def __init__(self) -> None:
        self.chunks: list[Chunk] = []

    def append(self, text: str, style: str | None = None) -> None:
        if text:  # rich left empty text out too: an empty styled chunk must not print an empty escape pair
            self.chunks.append((text, style or None))


def _name(doc: Document) -> str:
    """The document's file name, safe for a terminal."""
    return _safe(path_text(doc.path)) if doc.path is not None else "<text>"


def _excerpt_rows(doc: Document, issue: Issue, width: int) -> tuple[list[Row], int]:
    """The rows showing the span inside its first line in ``width`` columns, and how many more lines it spans."""
    line = doc.line_span(issue.span.start)
    span_end = min(issue.span.end, line.end)
    text = doc.text[line.start:line.end]
    rows = layout(text, issue.span.start - line.start, span_end - line.start, width)
    extra_lines = doc.line_col(issue.span.end)[0] - doc.line_col(issue.span.start)[0]
    return rows, extra_lines


def _source_sentence(source: Document, issue: Issue, width: int) -> str:
    """The source text the issue refers to, on its line, with the exact source span in [brackets], cut at word
    boundaries to ``width`` columns (a source span wider than that is shown whole)."""
    span = issue.source_span
    assert span is not None
    line = source.line_span(span.start)
    text = source.text[line.start:line.end]
    start, end = span.start - line.start, min(span.end, line.end) - line.start
    if start == 0 and end == len(text):
        return shown(text)
    rows = layout(text, start, end, max(1, width - 2))
    if len(rows) > 1:
        return f"[{shown(text[start:end])}]"
    [row] = rows
    return f"{row.before}[{row.inner}]{row.after}"


def _sorted(issues: tuple[Issue, ...], sort: str) -> list[Issue]:
    if sort == "text":
        return list(issues)
    return sorted(issues, key=lambda i: (-i.severity.rank, i.span.start, i.code))


def _location(doc: Document, offset: int) -> tuple[str, int | None]:
    """``path:line:column`` of ``offset`` in the file (a unit's file line and column where its reader knows them),
    and the line number for the gutter."""
    line, column = doc.file_position(offset)
    if line is None:
        return f"{_name(doc)}#{_safe(doc.unit or '')}", None
    where = f"{_name(doc)}:{line}" + (f":{column}" if column is not None else "")
    return where, line


INDENT = " " * 10  # where messages, source and advice start: under the rule code


def _wrapped(out: _Out, label: str, text: str, width: int, style: str | None = None,
             label_style: str | None = None) -> None:
    """``label`` + ``text`` (shown text) from :data:`INDENT`, wrapped at spaces to ``width`` columns."""
    room = max(10, width - len(INDENT))
    for n, piece in enumerate(wrap_prose(label + text, room)):
        out.append(INDENT)
        if n == 0 and label:
            out.append(label, style=label_style)
            piece = piece[len(label):]
        out.append(piece + "\n", style=style)


def _note(out: _Out, note: str, indent: str, width: int) -> None:
    """``note: …`` lines of a document or unit, wrapped to ``width`` (continuations under the note's text)."""
    for n, piece in enumerate(wrap_prose(_safe(note), max(10, width - len(indent) - 6))):
        out.append(f"{indent}{'note: ' if n == 0 else '      '}{piece}\n", style="dim")


def _replacement(text: str) -> str:
    if not text:
        return "nothing (delete the marked text)"
    return f"«{shown(text)}»" + (" (with a no-break space)" if NO_BREAK_SPACES.search(text) else "")


def _render_issue(out: _Out, doc: Document, issue: Issue, source: Document | None, width: int) -> None:
    where, line = _location(doc, issue.span.start)
    if doc.unit is not None:
        where += f" (unit {_safe(doc.unit)})"
    head = f" {issue.severity.value.upper():8} {issue.code} {issue.rule}"
    out.append(f" {issue.severity.value.upper():8}", style=_SEVERITY_STYLE[issue.severity])
    out.append(f" {issue.code} ", style="bold")
    out.append(issue.rule, style="cyan")
    rest = f"{where}  {issue.category.value}"
    # A location that does not fit beside the rule goes on its own line (a file name is never cut).
    out.append(("  " if cell_width(head) + 2 + cell_width(rest) <= width else "\n" + INDENT) + rest, style="dim")
    out.append("\n")
    gutter_width = 12
    rows, extra = _excerpt_rows(doc, issue, max(10, width - gutter_width))
    for n, row in enumerate(rows):
        number = line if n == 0 and line is not None else ""
        out.append(f"    {number:>5} │ ", style="dim")
        out.append(row.before)
        out.append(row.inner, style=_SPAN_STYLE[issue.severity])
        out.append(row.after + "\n")
        if row.elided:
            continue
        out.append(" " * (gutter_width - 2) + "│ " + " " * row.marker_column, style="dim")
        out.append("^" * max(1, cell_width(row.inner)), style=_SEVERITY_STYLE[issue.severity])
        if extra and n == len(rows) - 1:
            note = f" (+{extra} more line{'s' if extra != 1 else ''})"
            room = width - gutter_width - row.marker_column - cell_width(row.inner)
            out.append(note if cell_width(note) <= room else "\n" + INDENT + note.strip(), style="dim")
        out.append("\n")
    _wrapped(out, "", _safe(issue.message), width)
    if issue.source_span is not None and source is not None:
        label = "source: "
        _wrapped(out, label, _source_sentence(source, issue, width - len(INDENT) - len(label)), width,
                 style="italic", label_style="dim")
    if issue.replacements:
        _wrapped(out, "replace with: ", " or ".join(_replacement(r) for r in issue.replacements), width,
                 style="green", label_style="green")
    if issue.suggestion:
        _wrapped(out, "advice: ", _safe(issue.suggestion), width, style="green", label_style="green")
    out.append("\n")


def _counts_line(issues: tuple[Issue, ...]) -> str:
    counts = severity_counts(issues)
    return ", ".join(f"{n} {sev}" for sev, n in counts.items() if n) or "no issues"


def _unit_header(doc: Document) -> str:
    """``unit a1:2 (line 18, state mt, 87 % match)``: which unit, where it starts in the file, its segment state."""
    info = doc.unit_info
    where = [f"line {info.line}"] if info and info.line else []
    if info and (info.state or info.state_detail):
        where.append(f"state {info.state or '?'}" + (f", {info.match} % match" if info.match else ""))
    return _safe(f"unit {doc.unit}" + (f" ({', '.join(where)})" if where else ""))


def _size(result: Checked) -> str:
    """"1421 words", "1 word", "3 characters"."""
    unit = result.word_unit.removesuffix("s") if result.word_count == 1 else result.word_unit
    return f"{result.word_count} {unit}"


def _document_blocks(result: DocumentResult, sort: str, width: int) -> Iterator[_Out]:
    """A document's header, each issue, and its closing lines (score, gate, route, QE), block by block."""
    doc = result.target
    pair = _safe(f"{result.src_lang or '?'}→{doc.lang or '?'}")  # a bilingual file's language attribute is input
    out = _Out()
    out.append(_name(doc), style="bold underline")
    if doc.unit is not None:  # a unit checked on its own (through the library)
        out.append(f"  {_unit_header(doc)}", style="bold")
    out.append(f"  ({pair}, {_size(result)})\n", style="dim")
    for note in result.notes:
        _note(out, note, "  ", width)
    out.append("\n")
    yield out
    for issue in _sorted(result.issues, sort):
        out = _Out()
        _render_issue(out, doc, issue, result.source, width)
        yield out
    out = _Out()
    _render_suppressed(out, result)
    _render_score(out, result)
    _render_routing(out, result)
    _render_qe(out, result.qe, len(result.qe_pairs), result.issues)
    if result.metrics is not None:
        m = result.metrics
        out.append(f"  reference: BLEU {m.bleu:.1f}  chrF {m.chrf:.1f}  TER {m.ter:.1f}\n", style="dim")
    out.append("\n")
    yield out


def _render_qe(out: _Out, qe: QESummary, pairs: int, issues: tuple[Issue, ...]) -> None:
    if qe.status == "ok":
        low = sum(1 for i in issues if i.code == "TQ901")
        scored = f"{pairs} sentence pairs scored, " if pairs else ""
        licence = f", licence {_safe(qe.license)}" if qe.license else ""
        out.append(f"  QE {qe.score:.3f} ({_safe(qe.model or '')}{licence}), {scored}{low} below threshold\n",
                   style="bold")
    elif qe.status == "unavailable":
        out.append(f"  QE unavailable: {_safe(qe.reason or '')}\n", style="dim")


def _file_blocks(result: FileResult, sort: str, width: int) -> Iterator[_Out]:
    """A bilingual file as one document: a header with its units, then each unit with issues (in file order: the
    order an editor walks the file), then the file's score, gate and route; block by block."""
    pair = _safe(f"{result.src_lang or '?'}→{result.tgt_lang or '?'}")
    checked = len(result.units)
    out = _Out()
    out.append(_name(result.target), style="bold underline")
    units = f"{result.unit_count} unit{'s' if result.unit_count != 1 else ''}"
    if checked != result.unit_count:
        units += f", {checked} checked"
    out.append(f"  ({result.format}, {pair}, {units}, {_size(result)})\n", style="dim")
    for note in result.notes:
        _note(out, note, "  ", width)
    out.append("\n")
    yield out
    clean = 0
    for unit in result.units:
        if not unit.issues:
            clean += 1
            continue
        out = _Out()
        out.append(f"  {_unit_header(unit.target)}", style="bold")
        out.append(f"{_SEP}{_counts_line(unit.issues)}{_SEP}route ")
        out.append(unit.route, style=_ROUTE_STYLE[unit.route])
        out.append("\n")
        for note in unit.notes:
            _note(out, note, "    ", width)
        yield out
        for issue in _sorted(unit.issues, sort):
            out = _Out()
            _render_issue(out, unit.target, issue, unit.source, width)
            yield out
    out = _Out()
    if clean:
        out.append(f"  {clean} of {checked} checked units have no issues\n\n", style="dim")
    _render_suppressed(out, result)
    _render_score(out, result)
    _render_routing(out, result, unit_totals=_unit_routes(result))
    _render_qe(out, result.qe, 0, result.issues)
    out.append("\n")
    yield out


def _unit_routes(result: FileResult) -> str:
    counts = Counter(unit.route for unit in result.units)
    return "units: " + ", ".join(f"{counts.get(r, 0)} {r}" for r in ROUTES)


def _verdict_style(verdict: str) -> str:
    return "bold green" if verdict == "pass" else "bold red"


def _number(value: float) -> str:
    """At most two decimals, thousands separated, no trailing zeros: 30, 585.67, 1,237."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def _render_suppressed(out: _Out, result: Checked) -> None:
    """One line each for the findings left out: by [[suppress]] entries (with their reasons) and by the baseline."""
    from tqcheck.suppress import counts_by_reason

    reasons = counts_by_reason(result.suppressed)
    if reasons:
        total = sum(reasons.values())
        why = ", ".join(f"{_safe(reason)!r}" + (f" ×{n}" if n > 1 else "") for reason, n in reasons.items())
        out.append(f"  {total} finding{'s' if total != 1 else ''} suppressed by [[suppress]] entries ({why})\n",
                   style="dim")
    held = sum(s.by == "baseline" for s in result.suppressed)
    if held:
        out.append(f"  {held} finding{'s' if held != 1 else ''} in the baseline, not shown (only new findings "
                   "are)\n", style="dim")
    if reasons or held:
        out.append("\n")


def _render_score(out: _Out, result: Checked) -> None:
    """Score, band, issue counts and verdict on one line (all from the gate, so they cannot disagree), then the
    scorecard and, for a failed document, why the gate failed it."""
    card, gate = result.scorecard, result.gate
    other, other_score = (("raw", card.raw_score) if card.model == "calibrated"
                          else ("calibrated", card.calibrated_score))
    out.append(f"  score {card.score:.2f}/100", style="bold")
    out.append(f" ({card.model}; {other} {other_score:.2f}){_SEP}")
    out.append(gate.band, style=_BAND_STYLE[gate.band])
    out.append(f"{_SEP}{_counts_line(result.issues)}{_SEP}")
    out.append(gate.verdict.upper(), style=_verdict_style(gate.verdict))
    out.append("\n")
    out.append(f"  {_scorecard_line(result)}\n", style="dim")
    if gate.reasons:
        out.append("  gate failed: ", style="bold red")
        out.append(_safe("; ".join(gate.reasons)) + "\n")


def _scorecard_line(result: Checked) -> str:
    """APT, EWC (what was counted: source or target, words or characters) and NPT, and the passing threshold."""
    card = result.scorecard
    ewc = f"EWC {_number(card.ewc)} {card.ewc_basis} words"
    if card.counted_unit == "characters":
        ewc += f" (from {card.counted:,} characters)"
    fail_on = f", fails on {result.gate.fail_on.value}" if result.gate.fail_on is not None else ""
    return _SEP.join([f"APT {_number(card.apt)}", ewc,
                      f"NPT {_number(card.npt)} per {card.reference_word_count:,} words",
                      f"passing threshold {result.gate.threshold:g}{fail_on}"])


def _route_breakdown(totals: dict[str, dict[str, int]]) -> str:
    """``24 publish, 6 light-review, 49 post-edit, 0 retranslate (words 442 / 118 / 861 / 0)``, in ROUTES order."""
    counts = ", ".join(f"{totals[r]['segments']} {r}" for r in ROUTES)
    words = " / ".join(str(totals[r]["words"]) for r in ROUTES)
    return f"{counts} (words {words})"


def _render_routing(out: _Out, result: Checked, unit_totals: str | None = None) -> None:
    routing = result.routing
    out.append("  route ", style="bold")
    out.append(routing.route, style=_ROUTE_STYLE[routing.route])
    if routing.content_type:
        out.append(f" ({_safe(routing.content_type)})")
    if unit_totals:
        out.append(f"{_SEP}{unit_totals}")
    out.append(f"{_SEP}segments: {_route_breakdown(routing.summary())}")
    if routing.basis == "rules":
        out.append(f"{_SEP}from the rules alone (no QE)", style="dim")
    out.append("\n")
    if routing.reasons:
        out.append(f"    why: {_safe('; '.join(routing.reasons))}\n", style="dim")


def _render_error(out: _Out, error: FileError) -> None:
    out.append("error: ", style="bold red")
    out.append(f"{_safe(path_text(error.path) or '')}: {_safe(error.message)} [{_safe(error.kind)}]\n")


WORST_SHOWN = 5


def _render_summary(out: _Out, report: Report) -> None:
    """The closing summary of a batch: totals, bands, routes, the worst documents, issues by severity and category."""
    docs = report.documents
    totals = summary(report)  # the JSON report's run summary: the same numbers in every format
    out.append("summary\n", style="bold underline")
    plural = "s" if totals["documents"] != 1 else ""
    out.append(f"{totals['documents']} document{plural} checked, {totals['passed']} passed, {totals['failed']} failed, "
               f"{totals['errors']} could not be read.\n", style="bold")
    out.append("bands: " + ", ".join(f"{n} {band}" for band, n in totals["bands"].items()) + "\n")
    out.append("routes: " + ", ".join(f"{n} {route}" for route, n in totals["routes"].items()) + "\n")
    out.append(f"segments by route: {_route_breakdown(totals['segments_by_route'])}\n")
    if docs:
        # Stable order for equal scores (the report's order), so the summary is reproducible.
        worst = sorted(docs, key=lambda d: d.score)[:WORST_SHOWN]
        out.append(f"worst {len(worst)} by score:\n")
        band_width = max(len(d.band) for d in worst)
        route_width = max(len(d.route) for d in worst)
        for doc in worst:
            name = _name(doc.target)
            out.append(f"  {doc.score:6.2f}  ")
            out.append(f"{doc.verdict.upper():4}", style=_verdict_style(doc.verdict))
            out.append("  ")
            out.append(f"{doc.band:{band_width}}", style=_BAND_STYLE[doc.band])
            out.append("  ")
            out.append(f"{doc.route:{route_width}}", style=_ROUTE_STYLE[doc.route])
            out.append(f"  {name}  ({_counts_line(doc.issues)})\n")
    issues = [i for d in docs for i in d.issues]
    counts = severity_counts(issues)
    out.append("issues by severity: " + ", ".join(f"{n} {sev}" for sev, n in counts.items()) + "\n")
    if totals["suppressed"] or totals["baselined"]:
        out.append(f"findings left out: {totals['suppressed']} suppressed by [[suppress]] entries, "
                   f"{totals['baselined']} in the baseline\n")
    if issues:
        out.append("issues by category:\n")
        by_category = Counter(i.category.value for i in issues)
        width = max(len(c) for c in by_category)
        for category, count in sorted(by_category.items(), key=lambda item: (-item[1], item[0])):
            out.append(f"  {category:{width}}  {count:>6}\n")
    out.append("\n")


def _lines(chunks: list[Chunk]) -> Iterator[list[Chunk]]:
    """The chunks of each line (between ``\n``; the newlines themselves are never styled, as in rich)."""
    line: list[Chunk] = []
    for text, style in chunks:
        if "\n" not in text:
            line.append((text, style))
            continue
        first, *rest = text.split("\n")
        if first:
            line.append((first, style))
        for piece in rest:
            yield line
            line = [(piece, style)] if piece else []
    yield line


def _cut(line: list[Chunk], start: int, end: int) -> list[Chunk]:
    """The chunks of ``line`` between plain-text offsets ``start`` and ``end``, cut where the range cuts them."""
    cut: list[Chunk] = []
    at = 0
    for text, style in line:
        size = len(text)
        if at + size > start and at < end:
            cut.append((text[max(0, start - at):end - at], style))
        at += size
    return cut


TOKEN_BREAKS = "/|,"  # where a token wider than a line may be broken: after a path's, the signature's, a list's


def _token_pieces(plain: str, start: int, end: int, room: int) -> list[tuple[int, int]]:
    """``plain[start:end]`` (one token, maybe after a space) in ranges of at most ``room`` columns, broken only
    after a character of :data:`TOKEN_BREAKS`; a stretch without one stays whole (the one line that may be wider)."""
    cuts = [i + 1 for i in range(start, end - 1) if plain[i] in TOKEN_BREAKS]
    pieces: list[tuple[int, int]] = []
    at = start
    while cell_width(plain[at:end]) > room:
        fitting = [c for c in cuts if c > at and cell_width(plain[at:c]) <= room]
        cut = fitting[-1] if fitting else next((c for c in cuts if c > at), None)
        if cut is None:
            break
        pieces.append((at, cut))
        at = cut
    pieces.append((at, end))
    return pieces


def _fit_line(line: list[Chunk], width: int) -> list[list[Chunk]]:
    """A line wider than ``width`` wrapped, the continuation indented two columns more than the line; colours kept.

    A line of ``·``-separated parts (score, scorecard, route, unit headers) breaks between parts (a part wider than
    a row between its words); any other line (a heading, "gate failed", "why", the summary's lines, notes,
    errors) between words. A token wider than a row (a long path, the run signature) breaks after a ``/``, ``|``
    or ``,``; a token without any of them is the one exception: it keeps its row however wide. Issue blocks are
    laid out to fit already (excerpts by :mod:`tqcheck.reports.excerpt`, messages by :func:`_wrapped`).
    """
    plain = "".join(text for text, _ in line)
    if cell_width(plain) <= width:
        return [line]
    lead = len(plain) - len(plain.lstrip(" "))
    indent = " " * (lead + 2)
    room = width - len(indent)
    cuts = [i for i in range(lead, len(plain)) if plain.startswith(_SEP, i)]
    if not cuts:
        cuts = [i for i in range(lead + 1, len(plain)) if plain[i] == " " and plain[i - 1] != " "]
    bounds = [0, *cuts, len(plain)]
    pieces: list[tuple[int, int]] = []  # plain-text ranges: the parts, or the words of a part too wide alone
    for start, end in pairwise(bounds):
        part = plain[start:end]
        if cell_width(part) <= room:
            pieces.append((start, end))
            continue
        skip = len(_SEP) if part.startswith(_SEP) else 1 if part.startswith(" ") and start > lead else 0
        words = [start + i for i in range(max(1, skip), len(part)) if part[i] == " " and part[i - 1] != " "]
        for word_start, word_end in pairwise([start, *words, end]):
            if cell_width(plain[word_start:word_end]) <= room:
                pieces.append((word_start, word_end))
            else:  # one token wider than a row: after its / | or , (never inside a word)
                pieces.extend(_token_pieces(plain, word_start, word_end, room))
    rows: list[list[Chunk]] = [[]]
    used = 0
    for n, (start, end) in enumerate(pieces):
        if n and used + cell_width(plain[start:end]) > width:
            if plain.startswith(_SEP, start):
                start += len(_SEP)
            else:  # a continuation starts at its word: the spaces before it stay on the row it ends
                start = min(end, start + len(plain[start:end]) - len(plain[start:end].lstrip(" ")))
            rows.append([(indent, None)])
            used = len(indent)
        rows[-1].extend(_cut(line, start, end))
        used += cell_width(plain[start:end])
    return rows


@lru_cache(maxsize=64)
def _style(name: str) -> Style:
    from rich.style import Style

    return Style.parse(name)


def _finish(out: _Out, width: int, color: bool) -> str:
    """The block as printed: lines fitted to ``width``, and with ``color`` each styled chunk in the ANSI codes
    rich writes for it on a standard 8-colour terminal (rich renders styles; nothing else of it is needed)."""
    rows = [row for line in _lines(out.chunks) for row in _fit_line(line, width)]
    if not color:
        return "\n".join("".join(text for text, _ in row) for row in rows)
    from rich.color import ColorSystem

    return "\n".join("".join(_style(style).render(text, color_system=ColorSystem.STANDARD) if style and text
                              else text for text, style in row) for row in rows)


def render_pieces(report: Report, *, color: bool = False, sort: str = "severity", width: int | None = None,
                  errors: bool = True, **_: object) -> Iterator[str]:
    """:func:`render` in pieces of about :data:`~tqcheck.reports.json.PIECE_CHARS` characters, made as asked for
    (:func:`tqcheck.reports.render_pieces`): a report of any size is held one issue block at a time."""
    columns = max(MIN_WIDTH, width or DEFAULT_WIDTH)
    gathered: list[str] = []
    size = 0
    for block in _blocks(report, sort, columns, errors):
        text = _finish(block, columns, color)
        gathered.append(text)
        size += len(text)
        if size >= PIECE_CHARS:
            yield "".join(gathered)
            gathered, size = [], 0
    if gathered:
        yield "".join(gathered)


def _blocks(report: Report, sort: str, width: int, errors: bool) -> Iterator[_Out]:
    for result in report.results:
        if isinstance(result, FileError):
            if errors:
                out = _Out()
                _render_error(out, result)
                yield out
        elif isinstance(result, FileResult):
            yield from _file_blocks(result, sort, width)
        else:
            yield from _document_blocks(result, sort, width)
    out = _Out()
    if len(report.results) > 1:
        _render_summary(out, report)
    if report.errors and not errors:
        count = len(report.errors)
        out.append(f"{count} input{'s' if count != 1 else ''} could not be read: listed on standard error.\n",
                   style="bold red")
    out.append(f"signature: {_safe(report.signature)}\n", style="dim")
    yield out


def render(report: Report, *, color: bool = False, sort: str = "severity", width: int | None = None,
           errors: bool = True, **_: object) -> str:
    """Plain text; ANSI colour only when ``color`` (the CLI passes it on a TTY without NO_COLOR).

    Issues are laid out for ``width`` columns (default :data:`DEFAULT_WIDTH`, at least :data:`MIN_WIDTH`): the
    CLI passes the terminal's width, or ``--width``. ``errors=False`` leaves out the inputs that could not be
    read, for a caller that prints them on standard error (the CLI, when the report goes to standard output),
    and says where they went.
    """
    return "".join(render_pieces(report, color=color, sort=sort, width=width, errors=errors))
