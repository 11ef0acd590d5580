"""Terminal report for editors: worst first (or in text order), the span marked inside its line."""

from __future__ import annotations

import io
from collections import Counter

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from tqcheck.reports.json import severity_counts
from tqcheck.types import Document, DocumentResult, FileError, Issue, Report, Severity

CONTEXT_CHARS = 50
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


def _excerpt(doc: Document, issue: Issue) -> tuple[str, str, str, int]:
    """(before, span, after, extra lines) on the span's first line, trimmed to some context."""
    line = doc.line_span(issue.span.start)
    text = doc.text
    span_end = min(issue.span.end, line.end)
    before = text[max(line.start, issue.span.start - CONTEXT_CHARS):issue.span.start]
    after = text[span_end:min(line.end, span_end + CONTEXT_CHARS)]
    if issue.span.start - CONTEXT_CHARS > line.start:
        before = "…" + before
    if span_end + CONTEXT_CHARS < line.end:
        after += "…"
    inner = text[issue.span.start:span_end]
    if len(inner) > 3 * CONTEXT_CHARS:
        inner = inner[:CONTEXT_CHARS] + " … " + inner[-CONTEXT_CHARS:]
    extra_lines = doc.line_col(issue.span.end)[0] - doc.line_col(issue.span.start)[0]
    return before, inner, after, extra_lines


def _source_sentence(source: Document, issue: Issue) -> str:
    """The source text the issue refers to, on its line, with the exact source span in [brackets]."""
    span = issue.source_span
    assert span is not None
    line = source.line_span(span.start)
    before = source.text[max(line.start, span.start - CONTEXT_CHARS):span.start]
    after = source.text[span.end:min(line.end, span.end + CONTEXT_CHARS)]
    inner = source.text[span.start:min(span.end, line.end)]
    return f"{before}[{inner}]{after}" if (before or after) else inner


def _sorted(issues: tuple[Issue, ...], sort: str) -> list[Issue]:
    if sort == "text":
        return list(issues)
    return sorted(issues, key=lambda i: (-i.severity.rank, i.span.start, i.code))


def _render_issue(out: Text, doc: Document, issue: Issue, source: Document | None = None) -> None:
    line, column = doc.line_col(issue.span.start)
    out.append(f" {issue.severity.value.upper():8}", style=_SEVERITY_STYLE[issue.severity])
    out.append(f" {issue.code} ", style="bold")
    out.append(issue.rule, style="cyan")
    out.append(f"  {doc.name}:{line}:{column}  {issue.category.value}", style="dim")
    out.append("\n")
    before, inner, after, extra = _excerpt(doc, issue)
    gutter = f"    {line:>5} │ "
    out.append(gutter, style="dim")
    out.append(before)
    out.append(inner, style=_SPAN_STYLE[issue.severity])
    out.append(after)
    if extra:
        out.append(f"  (+{extra} more lines)", style="dim")
    out.append("\n")
    marker_pad = " " * (cell_len(gutter) - 2) + "│ " + " " * cell_len(before)
    out.append(marker_pad, style="dim")
    out.append("^" * max(1, cell_len(inner)), style=_SEVERITY_STYLE[issue.severity])
    out.append("\n")
    out.append(f"          {issue.message}\n")
    if issue.source_span is not None and source is not None:
        out.append("          source: ", style="dim")
        out.append(_source_sentence(source, issue) + "\n", style="italic")
    if issue.suggestion:
        out.append("          → ", style="green")
        out.append(issue.suggestion + "\n", style="green")
    out.append("\n")


def _counts_line(issues: tuple[Issue, ...]) -> str:
    counts = severity_counts(issues)
    return ", ".join(f"{n} {sev}" for sev, n in counts.items() if n) or "no issues"


def _render_document(out: Text, result: DocumentResult, sort: str) -> None:
    doc = result.target
    pair = f"{result.src_lang or '?'}→{doc.lang or '?'}"
    out.append(f"{doc.name}", style="bold underline")
    out.append(f"  ({pair}, {result.word_count} {result.word_unit})\n", style="dim")
    for note in result.notes:
        out.append(f"  note: {note}\n", style="dim")
    out.append("\n")
    for issue in _sorted(result.issues, sort):
        _render_issue(out, doc, issue, result.source)
    verdict_style = "bold green" if result.verdict == "pass" else "bold red"
    out.append(f"  score {result.score:.2f}/100", style="bold")
    out.append(f"  penalty {result.penalty:g} per {result.word_count} {result.word_unit}  ·  "
               f"{_counts_line(result.issues)}  ·  ")
    out.append(result.verdict.upper(), style=verdict_style)
    out.append("\n")
    if result.qe.status == "ok":
        low = sum(1 for i in result.issues if i.code == "TQ901")
        out.append(f"  QE {result.qe.score:.3f} ({result.qe.model}), {len(result.qe_pairs)} sentence pairs scored, "
                   f"{low} below threshold\n", style="bold")
    elif result.qe.status == "unavailable":
        out.append(f"  QE unavailable: {result.qe.reason}\n", style="dim")
    if result.metrics is not None:
        m = result.metrics
        out.append(f"  reference: BLEU {m.bleu:.1f}  chrF {m.chrf:.1f}  TER {m.ter:.1f}\n", style="dim")
    out.append("\n")


def _render_error(out: Text, error: FileError) -> None:
    out.append("error: ", style="bold red")
    out.append(f"{error.path}: {error.message} [{error.kind}]\n")


WORST_SHOWN = 5


def _render_summary(out: Text, report: Report) -> None:
    """The closing summary of a batch: totals, the worst documents, issues by severity and by category."""
    docs = report.documents
    failed = sum(d.verdict == "fail" for d in docs)
    out.append("summary\n", style="bold underline")
    out.append(f"{len(docs)} documents checked, {len(docs) - failed} passed, {failed} failed, "
               f"{len(report.errors)} could not be read.\n", style="bold")
    if docs:
        # Stable order for equal scores (the report's order), so the summary is reproducible.
        worst = sorted(docs, key=lambda d: d.score)[:WORST_SHOWN]
        out.append(f"worst {len(worst)} by score:\n")
        for doc in worst:
            name = doc.target.name + (f"#{doc.target.unit}" if doc.target.unit else "")
            out.append(f"  {doc.score:6.2f}  ")
            out.append(f"{doc.verdict.upper():4}", style="bold green" if doc.verdict == "pass" else "bold red")
            out.append(f"  {name}  ({_counts_line(doc.issues)})\n")
    issues = [i for d in docs for i in d.issues]
    counts = severity_counts(issues)
    out.append("issues by severity: " + ", ".join(f"{n} {sev}" for sev, n in counts.items()) + "\n")
    if issues:
        out.append("issues by category:\n")
        by_category = Counter(i.category.value for i in issues)
        width = max(len(c) for c in by_category)
        for category, count in sorted(by_category.items(), key=lambda item: (-item[1], item[0])):
            out.append(f"  {category:{width}}  {count:>6}\n")
    out.append("\n")


def render(report: Report, *, color: bool = False, sort: str = "severity", width: int | None = None,
           **_: object) -> str:
    """Plain text; ANSI colour only when ``color`` (the CLI passes it on a TTY without NO_COLOR)."""
    out = Text()
    for result in report.results:
        if isinstance(result, FileError):
            _render_error(out, result)
        else:
            _render_document(out, result, sort)
    if len(report.results) > 1:
        _render_summary(out, report)
    out.append(f"signature: {report.signature}\n", style="dim")
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, color_system="standard" if color else None,
                      width=width or 10_000, soft_wrap=True, highlight=False, emoji=False, markup=False)
    console.print(out, end="")
    return buffer.getvalue()
