"""HTML report for editors: one self-contained page (inline CSS and JS, no external requests).

Each document's text is shown with every issue span highlighted by severity and every routed segment tinted by
its route (publish, light-review, post-edit, retranslate; an untranslated source sentence is tinted in the
source); clicking (or Enter on) a highlight shows its issues, filters by severity, category and route hide
highlights, tints and list rows, and the source is shown beside the translation with the aligned source sentence
marked for the selected issue. Each document shows its score, band, verdict and route, its MQM scorecard, why
the gate failed it, and its routed segments.

"Not an error" (in a finding's details) lets an editor type a reason and shows the ``[[suppress]]`` entry that
suppresses that finding on the next run (rule, exact text, and the file as a ``path`` relative to the
configuration file's folder, else the run's), with a copy button (the clipboard API, else the entry is selected
for Ctrl+C); "Add to the list" collects the entries in one block to copy at once. Nothing leaves the page. Each
document says how many findings ``[[suppress]]`` entries and the baseline left out.

A bilingual file (XLIFF, SDLXLIFF, MQXLIFF, TMX, PO, JSONL…) is one section too: the file's score, scorecard, routing,
notes and a summary line (units in the file, checked, skipped by reason, words, issues by severity), then one table
of its units: id, file line, state and match, source and translation (issues marked as in a document, inline-code
markers as tag chips), the unit's issues and route. The table has its own filters: hide clean units (on by default,
so an editor sees the problems first; the count of hidden clean units shows), the states present, and a minimum
severity. The page stays small for big files: a clean unit is one plain row, and the script's data holds the
file's issues only (each with ``u``, its unit's row), so its size follows the issues, not the units.

Offsets are code points and JavaScript indexes UTF-16, so all splitting happens here: the text is cut at
every span boundary into non-overlapping pieces, each carrying the ids of the issues that cover it. Every
piece of text is escaped; the data the script needs travels as JSON in ``<script type="application/json">``
with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, and a Content-Security-Policy allows only the page's own
inline style and script (by hash) and no requests at all.

The page always encodes as UTF-8: file names go through :func:`tqcheck.display.path_text` (bytes that are not
UTF-8 as ``\\xNN``); a lone surrogate in a checked text shows as U+FFFD with a title naming it
(:func:`text_html`), elsewhere (messages, titles) as ``\\udc00``, and in the script's JSON as its escape
(:func:`tqcheck.reports.json.dumps`), which gives the script the exact text.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from html import escape
from itertools import pairwise
from pathlib import Path, PurePath
from typing import Any

from tqcheck.display import SURROGATE, path_text, surrogates_escaped
from tqcheck.readers.units import STATES
from tqcheck.reports.json import (
    alignment_to_list,
    document_to_dict,
    dumps,
    error_to_dict,
    issue_to_dict,
    severity_counts,
    summary,
)
from tqcheck.routing import ROUTES, RoutedSegment
from tqcheck.rules import REGISTRY
from tqcheck.scoring import BANDS
from tqcheck.suppress import counts_by_reason, path_glob
from tqcheck.types import (
    Category,
    Checked,
    Document,
    DocumentResult,
    FileError,
    FileResult,
    InlineCode,
    Issue,
    Report,
    Severity,
)

SEVERITIES = tuple(reversed(Severity))  # critical first
Tile = tuple[int, int, tuple[int, ...]]
SEGMENT_TEXT_SHOWN = 160  # code points of a segment's text in the routed-segments table
MESSAGE_SHOWN = 140  # code points of an issue's message in a unit row (the popup shows it whole)


def esc(value: object) -> str:
    """``value`` as HTML text or attribute value; a lone surrogate (not encodable as UTF-8) as a visible ``\\udc00``."""
    return escape(surrogates_escaped(str(value)), quote=True)




def text_html(chunk: str) -> str:
    """A piece of a checked text as HTML: escaped, and each lone surrogate shown as U+FFFD with a title naming it
    (one character for one, so the text reads as the checks saw it)."""
    return SURROGATE.sub(lambda m: f'<span class="nc" title="U+{ord(m.group()):04X}: a lone surrogate, not a '
                                    f'character">\ufffd</span>', escape(chunk, quote=True))


def path_html(path: PurePath | None) -> str:
    """A file name as HTML (:func:`tqcheck.display.path_text`: bytes that are not UTF-8 as ``\\xNN``)."""
    return esc(path_text(path) if path is not None else "<text>")


def script_json(data: object) -> str:
    """JSON that is inert inside ``<script>``: no ``</script>``, ``<!--``, entities or JS line terminators."""
    text = dumps(data, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def tile(length: int, ranges: Iterable[tuple[int, int, int]]) -> list[Tile]:
    """Cut ``[0, length)`` at every range boundary: ``(start, end, ids of the ranges covering the piece)``.

    Ranges are ``(start, end, id)``; empty ranges cover nothing (callers place them as markers).
    """
    starts: dict[int, list[int]] = defaultdict(list)
    ends: dict[int, list[int]] = defaultdict(list)
    bounds = {0, length}
    for start, end, key in ranges:
        if start < end:
            starts[start].append(key)
            ends[end].append(key)
            bounds.update((start, end))
    active: set[int] = set()
    pieces = []
    ordered = sorted(bounds)
    for a, b in pairwise(ordered):
        active.difference_update(ends.get(a, ()))
        active.update(starts.get(a, ()))
        pieces.append((a, b, tuple(sorted(active))))
    return pieces


def _worst(issues: Sequence[Issue]) -> Severity:
    return max((i.severity for i in issues), key=lambda s: s.rank)


def _mark(text: str, start: int, end: int, ids: tuple[int, ...], issues: Sequence[Issue], *, base: int = 0,
          inner: str | None = None) -> str:
    """A highlight of ``text[start:end]`` (or of the markup ``inner``) covered by ``issues[k]`` for ``k`` in
    ``ids``; ``data-issues`` holds ``base + k``, the issues' indices in the document's (or file's) issue list."""
    covering = [issues[k] for k in ids]
    title = "\n".join(f"{i.code} {i.rule} · {i.severity.value} · {i.category.value}: {i.message}" for i in covering)
    classes = "hl" + (" multi" if len(ids) > 1 else "") + (" zero" if start == end else "")
    content = text_html(text[start:end]) if inner is None else inner
    return (f'<mark class="{classes}" data-sev="{_worst(covering).value}" data-start="{start}" data-end="{end}" '
            f'data-issues="{" ".join(str(base + k) for k in ids)}" '
            f'data-codes="{esc(" ".join(i.code for i in covering))}" '
            f'title="{esc(title)}" tabindex="0" role="button" aria-haspopup="dialog">{content}</mark>')


def _segment_title(seg: RoutedSegment, j: int) -> str:
    head = f"segment {j + 1}: {seg.route}" + (" (rules only, no QE)" if seg.basis == "rules" else "")
    return "\n".join([head, *seg.reasons])


def _segment_open(seg: RoutedSegment, j: int, *, omitted: bool = False) -> str:
    """The opening tag of a routed segment's tint (closed by the caller where the segment ends)."""
    classes = f"rs route-{seg.route}" + (" omitted" if omitted else "")
    title = ("not translated · " if omitted else "") + _segment_title(seg, j)
    return f'<span class="{classes}" data-route="{seg.route}" data-seg="{j}" title="{esc(title)}">'


class _SegmentWrapper:
    """Wraps consecutive pieces of text in their routed segment's ``<span class="rs">``; pieces are flat, so the
    spans nest neither in each other nor across marks."""

    def __init__(self, segments: Sequence[RoutedSegment], parts: list[str], *, omitted: bool = False) -> None:
        self.segments, self.parts, self.omitted, self.open = segments, parts, omitted, None

    def at(self, seg: int | None) -> None:
        if seg == self.open:
            return
        self.close()
        if seg is not None:
            self.parts.append(_segment_open(self.segments[seg], seg, omitted=self.omitted))
        self.open = seg

    def close(self) -> None:
        if self.open is not None:
            self.parts.append("</span>")
            self.open = None


def _insertion_points(issues: Sequence[Issue]) -> dict[int, list[int]]:
    """The issues of no width (a missing word, an empty translation) by the offset they stand at: a tiling has no
    piece for them, so each text view puts their marks in at that offset."""
    zero: dict[int, list[int]] = defaultdict(list)
    for k, issue in enumerate(issues):
        if issue.span.start == issue.span.end:
            zero[issue.span.start].append(k)
    return zero


def target_html(result: DocumentResult) -> str:
    """The translation with one ``<mark>`` per piece of text covered by issues (ids in ``data-issues``), inside
    one ``<span class="rs route-…">`` per routed segment."""
    text, issues, segments = result.target.text, result.issues, result.routing.segments
    n = len(issues)
    zero = _insertion_points(issues)
    # Issue ids are 0…n-1, segment j is n+j: one tiling cuts at both, so no mark straddles a segment edge.
    ranges = [(i.span.start, i.span.end, k) for k, i in enumerate(issues)]
    ranges += [(seg.target.start, seg.target.end, n + j) for j, seg in enumerate(segments) if seg.target is not None]
    parts: list[str] = []
    wrapper = _SegmentWrapper(segments, parts)
    for start, end, ids in tile(len(text), ranges):
        wrapper.at(next((k - n for k in ids if k >= n), None))
        if start in zero:
            parts.append(_mark(text, start, start, tuple(zero.pop(start)), issues))
        marks = tuple(k for k in ids if k < n)
        parts.append(_mark(text, start, end, marks, issues) if marks else text_html(text[start:end]))
    wrapper.close()
    parts.extend(_mark(text, at, at, tuple(ks), issues) for at, ks in sorted(zero.items()))
    return "".join(parts)


def source_html(result: DocumentResult, links: list[dict[str, Any]] | None) -> str:
    """The source cut at the issues' source spans and the aligned sentences, so the script can light them up;
    source sentences left untranslated are tinted by their route (they have no translation to tint)."""
    assert result.source is not None
    text, segments = result.source.text, result.routing.segments
    ranges = [(i.source_span.start, i.source_span.end, 0) for i in result.issues if i.source_span is not None]
    ranges += [(link["source"][0], link["source"][1], 0) for link in links or () if link["source"]]
    ranges += [(seg.source.start, seg.source.end, 1 + j) for j, seg in enumerate(segments)
               if seg.target is None and seg.source is not None]
    parts: list[str] = []
    wrapper = _SegmentWrapper(segments, parts, omitted=True)
    for start, end, ids in tile(len(text), ranges):
        wrapper.at(next((k - 1 for k in ids if k >= 1), None))
        chunk = text_html(text[start:end])
        parts.append(f'<span class="sc" data-start="{start}" data-end="{end}">{chunk}</span>' if 0 in ids else chunk)
    wrapper.close()
    return "".join(parts)


def _code_chip(code: InlineCode, chunk: str) -> str:
    """An inline code's marker as a chip, apart from the prose: a tag, or a placeholder (``tag var``); what it
    stands for (its element, id and native content) in the title."""
    if code.element is None:
        return f'<span class="tag var" title="placeholder">{chunk}</span>'
    title = code.element + (f" {code.id}" if code.id is not None else "") + (f": {code.native}" if code.native else "")
    return f'<span class="tag" title="{esc(title)}">{chunk}</span>'


def unit_text_html(doc: Document, issues: Sequence[Issue] = (), *, base: int = 0,
                   cuts: Iterable[tuple[int, int]] = ()) -> str:
    """A unit's text for its table row: its inline codes as chips, one ``<mark>`` per piece covered by
    ``issues`` (as in :func:`target_html`; ``data-issues`` counts from ``base``, the unit's first issue in the
    file's list) and ``<span class="sc">`` pieces cut at ``cuts`` (the source ranges the script lights up)."""
    text, codes = doc.text, doc.codes
    n, m = len(issues), len(doc.codes)
    zero = _insertion_points(issues)
    # Issues are 0…n-1, codes n…n+m-1, the cuts n+m…: one tiling, so neither a mark nor a chip straddles another.
    # Each cut has its own id: a range nested in another must not end the outer one's coverage.
    ranges = [(i.span.start, i.span.end, k) for k, i in enumerate(issues)]
    ranges += [(c.span.start, c.span.end, n + j) for j, c in enumerate(codes)]
    ranges += [(start, end, n + m + c) for c, (start, end) in enumerate(cuts)]
    parts: list[str] = []
    for start, end, ids in tile(len(text), ranges):
        if start in zero:
            parts.append(_mark(text, start, start, tuple(zero.pop(start)), issues, base=base))
        chunk = text_html(text[start:end])
        code = next((k - n for k in ids if n <= k < n + m), None)
        if code is not None:
            chunk = _code_chip(codes[code], chunk)
        if ids and ids[-1] >= n + m:
            chunk = f'<span class="sc" data-start="{start}" data-end="{end}">{chunk}</span>'
        marks = tuple(k for k in ids if k < n)
        parts.append(_mark(text, start, end, marks, issues, base=base, inner=chunk) if marks else chunk)
    parts.extend(_mark(text, at, at, tuple(ks), issues, base=base) for at, ks in sorted(zero.items()))
    return "".join(parts)


def _aligned_source(issue: Issue, links: list[dict[str, Any]] | None) -> list[int] | None:
    """The source range of the alignment link whose target overlaps the issue most."""
    best, best_overlap = None, -1
    for link in links or ():
        if not link["source"] or not link["target"]:
            continue
        t_start, t_end = link["target"]
        overlap = min(t_end, issue.span.end) - max(t_start, issue.span.start)
        touches = t_start <= issue.span.start < t_end or (issue.span.start == issue.span.end == t_end)
        if (overlap > 0 or touches) and overlap > best_overlap:
            best, best_overlap = link["source"], overlap
    return best


def _unit_links(unit: DocumentResult) -> list[dict[str, Any]] | None:
    """A unit's alignment links, for a unit with a source and issues (a clean unit's source needs no cuts)."""
    return alignment_to_list(unit) if unit.source is not None and unit.issues else None


def _suppress_path(result: Checked, base: Path | None) -> str | None:
    """The ``path`` of a ``[[suppress]]`` entry for this document, as the "Not an error" button writes it."""
    path = result.path if isinstance(result, FileResult) else result.target.path
    return path_glob(path, base) if path is not None else None


def _file_data(result: FileResult, base: Path | None = None) -> dict[str, Any]:
    """What the script needs about a file: every unit's issues in one list (as the JSON report's ``issues``),
    each with ``u``, its unit's index in the table, its route and the aligned source range in its unit."""
    issues = []
    for u, unit in enumerate(result.units):
        links = _unit_links(unit)
        for issue in unit.issues:
            item = issue_to_dict(issue, unit.target, unit.source)
            item["u"] = u
            item["aligned_source"] = _aligned_source(issue, links)
            item["route"] = unit.routing.route_at(issue.span)
            issues.append(item)
    return {"issues": issues, "suppress_path": _suppress_path(result, base)}


def _document_data(result: DocumentResult,
                   base: Path | None = None) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    """What the script needs about a document (the JSON report's issues plus the aligned source range), and links."""
    data = document_to_dict(result)
    links = data["alignment"] if result.source is not None else None
    for item, issue in zip(data["issues"], result.issues, strict=True):
        item["aligned_source"] = _aligned_source(issue, links)
        item["route"] = result.routing.route_at(issue.span)  # what the route filter compares
    return {"issues": data["issues"], "suppress_path": _suppress_path(result, base)}, links


# --- page parts ----------------------------------------------------------------------------------------------


def _held(result: Checked) -> str:
    """What was left out of the issues: findings [[suppress]] entries cover (with their reasons), and the baseline."""
    reasons = counts_by_reason(result.suppressed)
    baselined = sum(s.by == "baseline" for s in result.suppressed)
    parts = []
    if reasons:
        total = sum(reasons.values())
        why = ", ".join(f"{esc(reason)}" + (f" ×{n}" if n > 1 else "") for reason, n in reasons.items())
        parts.append(f'<span class="sup">{total} finding{"s" if total != 1 else ""} suppressed by [[suppress]] '
                     f'entries ({why})</span>')
    if baselined:
        parts.append(f'<span class="sup">{baselined} finding{"s" if baselined != 1 else ""} in the baseline, not '
                     'shown</span>')
    return f'<div class="held muted">{" · ".join(parts)}</div>' if parts else ""


def _chips(counts: dict[str, int], *, zeros: bool = False) -> str:
    chips = [f'<span class="chip sev-{sev}" title="{sev}"><b>{n}</b> {sev}</span>'
             for sev, n in counts.items() if n or zeros]
    return "".join(chips) or '<span class="chip none">no issues</span>'


def _doc_title(result: Checked) -> str:
    name = path_html(result.target.path)
    if isinstance(result, FileResult):
        units = f"{result.unit_count:,} unit" + ("" if result.unit_count == 1 else "s")
        return name + f' <span class="unit">({esc(result.format)}, {units})</span>'

    if result.target.unit is not None:
        name += f' <span class="unit">› unit {esc(result.target.unit)}</span>'
        info = result.target.unit_info
        if info is not None and (info.line or info.state):
            facts = [f"line {info.line}"] if info.line else []
            if info.state:
                facts.append(f"state {info.state}" + (f", {info.match} % match" if info.match else ""))
            name += f' <span class="unit">({esc(", ".join(facts))})</span>'
    return name


def _verdict(verdict: str) -> str:
    return f'<span class="verdict {esc(verdict)}">{esc(verdict.upper())}</span>'


def _band(band: str) -> str:
    return f'<span class="band band-{esc(band)}" title="quality band">{esc(band)}</span>'


def _route(route: str) -> str:
    return f'<span class="route route-{esc(route)}" title="route">{esc(route)}</span>'


def _number(value: float) -> str:
    """At most two decimals, thousands separated, no trailing zeros: 30, 585.67, 1,237."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def _band_chips(bands: dict[str, int]) -> str:
    return "".join(f'<span class="chip band-{b}"><b>{bands[b]}</b> {b}</span>' for b in BANDS)


def _route_chips(routes: dict[str, int]) -> str:
    return "".join(f'<span class="chip route-{r}"><b>{routes[r]}</b> {r}</span>' for r in ROUTES)


def _route_legend(totals: dict[str, dict[str, int]]) -> str:
    """Each route's colour with its segments and words: the key to the tints in the text."""
    return "".join(
        f'<span class="rkey route-{r}"><span class="dot"></span>{r} <b>{totals[r]["segments"]}</b> segments · '
        f'{totals[r]["words"]} words</span>' for r in ROUTES)


def _header(report: Report) -> str:
    s = summary(report)
    total = sum(s["issues"].values())
    errors = (f'<div class="card"><div class="k">File errors</div><div class="v bad">{s["errors"]}</div></div>'
              if s["errors"] else "")
    held = (f'<div class="card"><div class="k">Left out</div><div class="sub">{s["suppressed"]} suppressed · '
            f'{s["baselined"]} in the baseline</div></div>' if s["suppressed"] or s["baselined"] else "")
    files = sum(isinstance(d, FileResult) for d in report.documents)
    units = (f'\n      <div class="sub">{files} bilingual file{"" if files == 1 else "s"} · {s["units"]:,} '
             f'unit{"" if s["units"] == 1 else "s"} checked</div>' if files else "")
    return f"""<header class="top">
  <div class="title">
    <h1>Translation quality report</h1>
    <div class="meta">tqcheck {esc(report.tool_version)} ·
      <span class="sig" title="run signature">{esc(report.signature)}</span></div>
  </div>
  <div class="cards">
    <div class="card"><div class="k">Documents</div><div class="v">{s["documents"]}</div>
      <div class="sub"><span class="ok">{s["passed"]} passed</span> ·
        <span class="bad">{s["failed"]} failed</span></div>{units}</div>
    <div class="card wide"><div class="k">Bands</div><div class="sub">{_band_chips(s["bands"])}</div></div>
    <div class="card wide"><div class="k">Routes</div><div class="sub">{_route_chips(s["routes"])}</div></div>
    <div class="card wide"><div class="k">Segments by route</div>
      <div class="sub legend">{_route_legend(s["segments_by_route"])}</div></div>
    <div class="card wide"><div class="k">Issues</div><div class="v">{total}</div>
      <div class="sub">{_chips(s["issues"], zeros=True)}</div></div>
    {errors}{held}
  </div>
</header>"""


def _filters(report: Report) -> str:
    issues = [i for d in report.documents for i in d.issues]
    sev_counts = severity_counts(issues)
    cat_counts = Counter(i.category.value for i in issues)
    sev_boxes = "".join(
        f'<label class="fl sev-{sev}"><input type="checkbox" data-filter="severity" value="{sev}" checked>'
        f'<span class="dot"></span>{sev} <span class="n">{n}</span></label>' for sev, n in sev_counts.items())
    cat_boxes = "".join(
        f'<label class="fl"><input type="checkbox" data-filter="category" value="{esc(c.value)}" checked>'
        f'{esc(c.value)} <span class="n">{cat_counts[c.value]}</span></label>'
        for c in Category if cat_counts[c.value])
    segments = summary(report)["segments_by_route"]
    route_boxes = "".join(
        f'<label class="fl route-{r}" title="{segments[r]["segments"]} segments, {segments[r]["words"]} words">'
        f'<input type="checkbox" data-filter="route" value="{r}" checked>'
        f'<span class="dot"></span>{r} <span class="n">{segments[r]["segments"]}</span></label>' for r in ROUTES)
    return f"""<nav class="filters" aria-label="Filters">
  <div class="group"><span class="gl">Severity</span>{sev_boxes}</div>
  <div class="group"><span class="gl">Category</span>{cat_boxes or '<span class="muted">none</span>'}</div>
  <div class="group"><span class="gl">Route</span>{route_boxes}</div>
  <div class="shown" id="tq-shown" aria-live="polite">{len(issues)} of {len(issues)} issues shown</div>
</nav>"""


def _overview(report: Report) -> str:
    if len(report.documents) < 2:
        return ""
    rows = "".join(
        f'<tr><td><a href="#doc-{n}">{_doc_title(d)}</a></td>'
        f'<td>{esc(d.src_lang or "?")} → {esc(d.target.lang or "?")}</td>'
        f'<td class="num">{d.word_count} {esc(d.word_unit)}</td><td class="num">{d.score:.1f}</td>'
        f'<td>{_band(d.band)}</td><td>{_verdict(d.verdict)}</td><td>{_route(d.route)}</td>'
        f'<td>{_chips(severity_counts(d.issues))}</td></tr>'
        for n, d in enumerate(report.documents))
    return f"""<section class="overview card-box"><h2>Documents</h2>
<table class="grid"><thead><tr><th>Document</th><th>Pair</th><th class="num">Size</th><th class="num">Score</th>
<th>Band</th><th>Verdict</th><th>Route</th><th>Issues</th></tr></thead><tbody>{rows}</tbody></table></section>"""


def _errors(errors: tuple[FileError, ...]) -> str:
    if not errors:
        return ""
    items = "".join(
        f'<li><code>{esc(e["path"])}</code> <span class="kind">{esc(e["kind"])}</span> {esc(e["message"])}</li>'
        for e in map(error_to_dict, errors))
    return f'<section class="errors card-box"><h2>Files that could not be checked</h2><ul>{items}</ul></section>'


def _sorted(issues: tuple[Issue, ...], sort: str) -> list[tuple[int, Issue]]:
    indexed = list(enumerate(issues))
    if sort == "text":
        return indexed
    return sorted(indexed, key=lambda pair: (-pair[1].severity.rank, pair[1].span.start, pair[1].code))


def _replacements(replacements: tuple[str, ...]) -> str:
    """«a» or «b»; an empty replacement deletes the marked text."""
    return " or ".join(f"«{r}»" if r else "nothing (delete the marked text)" for r in replacements)


def _issue_rows(result: DocumentResult, sort: str) -> str:
    if not result.issues:
        return '<p class="noissues">No issues found.</p>'
    rows = []
    for k, issue in _sorted(result.issues, sort):
        line, column = result.target.line_col(issue.span.start)
        snippet = result.target.text[issue.span.start:issue.span.end]
        suggestion = (f'<div class="sugg">replace with: {esc(_replacements(issue.replacements))}</div>'
                      if issue.replacements else "")
        suggestion += f'<div class="sugg">advice: {esc(issue.suggestion)}</div>' if issue.suggestion else ""
        rows.append(
            f'<tr class="issue" data-issue="{k}" data-code="{esc(issue.code)}" data-start="{issue.span.start}" '
            f'data-end="{issue.span.end}" data-severity="{issue.severity.value}" '
            f'data-category="{esc(issue.category.value)}" tabindex="0">'
            f'<td><span class="badge sev-{issue.severity.value}">{issue.severity.value}</span></td>'
            f'<td class="code">{esc(issue.code)}</td>'
            f'<td><div class="rule">{esc(issue.rule)}</div><div class="cat">{esc(issue.category.value)}</div></td>'
            f'<td class="pos">{line}:{column}</td>'
            f'<td class="snip"><span>{esc(snippet)}</span></td>'
            f'<td class="msg">{esc(issue.message)}{suggestion}</td></tr>')
    return ('<div class="tw"><table class="issues grid"><thead><tr><th>Severity</th><th>Code</th><th>Rule</th>'
            f'<th>Line:Col</th><th>Text</th><th>Message</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def _scorecard(result: DocumentResult) -> str:
    """The MQM scorecard (both scores, APT, EWC and what it counted, PWPT, NPT) and the gate, with its reasons."""
    card, gate = result.scorecard, result.gate
    ewc = f"{_number(card.ewc)} {card.ewc_basis} words"
    if card.counted_unit == "characters":
        ewc += f" (from {card.counted:,} characters)"
    threshold = f"{gate.threshold:g}" + (f" · fails on {gate.fail_on.value}" if gate.fail_on is not None else "")
    items = [("Score", f"{card.score:.2f} ({card.model})"), ("Raw score", f"{card.raw_score:.2f}"),
             ("Calibrated score", f"{card.calibrated_score:.2f}"), ("APT", _number(card.apt)), ("EWC", ewc),
             ("PWPT", f"{card.pwpt:.4f}"), ("NPT", f"{_number(card.npt)} per {card.reference_word_count:,} words"),
             ("Threshold", threshold)]
    cells = "".join(f'<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>' for k, v in items)
    reasons = "".join(f"<li>{esc(r)}</li>" for r in gate.reasons)
    failed = f'<div class="gate"><b>Failed:</b><ul>{reasons}</ul></div>' if reasons else ""
    return f'<dl class="mqm" aria-label="MQM scorecard">{cells}</dl>{failed}'


def _segment_rows(result: DocumentResult) -> str:
    """One row per routed segment: route, words, QE score, its text (or the untranslated source) and why."""
    rows = []
    for j, seg in enumerate(result.routing.segments):
        if seg.target is not None:
            doc, span, label = result.target, seg.target, ""
        else:
            doc, span, label = result.source, seg.source, "not translated: "
        text = doc.text[span.start:span.end] if doc is not None and span is not None else ""
        if len(text) > SEGMENT_TEXT_SHOWN:
            text = text[:SEGMENT_TEXT_SHOWN] + "…"
        qe = f"{seg.qe_score:.3f}" if seg.qe_score is not None else "—"
        rows.append(f'<tr class="seg route-{seg.route}" data-route="{seg.route}" data-seg="{j}">'
                    f'<td class="num">{j + 1}</td><td>{_route(seg.route)}</td><td class="num">{seg.words}</td>'
                    f'<td class="num">{qe}</td><td class="stext"><span>{esc(label)}{esc(text)}</span></td>'
                    f'<td class="why">{esc("; ".join(seg.reasons))}</td></tr>')
    return ('<div class="tw"><table class="segs grid"><thead><tr><th class="num">#</th><th>Route</th>'
            '<th class="num">Words</th><th class="num">QE</th><th>Text</th><th>Why</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _routing(result: Checked) -> str:
    """The document's route, the colour key with segments and words per route, and the routed segments (a file's
    are in its units: its unit table shows each unit's route)."""
    routing = result.routing
    basis = "from the rules alone (no QE)" if routing.basis == "rules" else "from QE scores and the rules"
    content = f" · content type {esc(routing.content_type)}" if routing.content_type else ""
    why = f' <span class="muted">({esc("; ".join(routing.reasons))})</span>' if routing.reasons else ""
    segments = ("" if isinstance(result, FileResult) else
                f'<details class="segbox"><summary>Routed segments ({len(routing.segments)})</summary>\n      '
                f'{_segment_rows(result)}</details>')
    return f"""<div class="routing">
    <div class="rh"><h3>Route {_route(routing.route)}</h3><span class="muted">{basis}{content}</span>{why}</div>
    <div class="legend">{_route_legend(routing.summary())}</div>
    {segments}
  </div>"""


def _facts(result: Checked, lang: str | None) -> list[str]:
    facts = [f'<span>{esc(result.src_lang or "?")} → {esc(lang or "?")}</span>',
             f'<span>{result.word_count} {esc(result.word_unit)}</span>',
             f'<span>penalty {result.penalty:g}</span>']
    if result.qe.status == "ok" and result.qe.score is not None:
        licence = f", licence {esc(result.qe.license)}" if result.qe.license else ""
        facts.append(f'<span>QE {result.qe.score:.3f} ({esc(result.qe.model)}{licence})</span>')
    elif result.qe.status == "unavailable":
        facts.append(f'<span title="{esc(result.qe.reason or "")}">QE unavailable</span>')
    return facts


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _file_summary(result: FileResult) -> str:
    """One line: units in the file, checked and skipped (by reason), words, issues by severity, score and band."""
    skipped = sum(result.skipped.values())
    reasons = ", ".join(f"{n:,} {reason}" for reason, n in sorted(result.skipped.items(), key=lambda kv: (-kv[1],
                                                                                                       kv[0])))
    counts = severity_counts(result.issues)
    by_severity = ", ".join(f"{n:,} {sev}" for sev, n in counts.items() if n)
    parts = [f"{_plural(result.unit_count, 'unit')} in file", f"{len(result.units):,} checked",
             f"{skipped:,} skipped" + (f" ({reasons})" if reasons else ""),
             f"{result.word_count:,} {result.word_unit}",
             _plural(sum(counts.values()), "issue") + (f" ({by_severity})" if by_severity else ""),
             f"score {result.score:.1f}", f"band {result.band}"]
    return f'<p class="fsum">{esc(" · ".join(parts))}</p>'


def _state_key(state: str) -> tuple[int, str]:
    return (STATES.index(state), state) if state in STATES else (len(STATES) + (state == ""), state)


def _unit_filters(result: FileResult) -> str:
    """The unit table's own filters: hide clean units (on), the states present, a minimum severity; the counts
    show what the default hides (the script keeps them up to date)."""
    states = Counter((u.target.unit_info.state if u.target.unit_info else None) or "" for u in result.units)
    boxes = "".join(
        f'<label class="fl"><input type="checkbox" data-ufilter="state" value="{esc(state)}" checked>'
        f'{esc(state or "no state")} <span class="n">{count:,}</span></label>'
        for state, count in sorted(states.items(), key=lambda kv: _state_key(kv[0])))
    options = '<option value="">any</option>' + "".join(f'<option value="{s.value}">{s.value}</option>'
                                                        for s in Severity)
    clean = sum(not u.issues for u in result.units)
    total = len(result.units)
    return f"""<div class="uf" role="group" aria-label="Unit filters">
    <label class="fl" title="a unit is clean when none of its issues passes the severity, category and route filters">
<input type="checkbox" data-ufilter="clean" checked>hide clean units</label>
    <span class="ucl muted">{clean:,} clean unit{"" if clean == 1 else "s"} hidden</span>
    <div class="group"><span class="gl">State</span>{boxes}</div>
    <label class="fl">minimum severity <select data-ufilter="minsev" aria-label="minimum severity">{options}</select>
</label>
    <span class="ush muted" aria-live="polite">{total - clean:,} of {total:,} units shown</span>
  </div>"""


def _unit_issue_list(unit: DocumentResult, base: int, sort: str) -> str:
    items = []
    for k, issue in _sorted(unit.issues, sort):
        message = issue.message if len(issue.message) <= MESSAGE_SHOWN else issue.message[:MESSAGE_SHOWN] + "…"
        items.append(f'<li class="ui" data-issue="{base + k}" data-severity="{issue.severity.value}" '
                     f'data-category="{esc(issue.category.value)}" tabindex="0">'
                     f'<span class="badge sev-{issue.severity.value}">{issue.severity.value}</span> '
                     f'<span class="code">{esc(issue.code)}</span> {esc(message)}</li>')
    return f'<ul class="uis">{"".join(items)}</ul>' if items else ""


def _unit_row(u: int, unit: DocumentResult, base: int, sort: str, langs: tuple[str, str]) -> str:
    """One unit: id, file line, state (and match), source, target with its issues marked, its issues, route."""
    info = unit.target.unit_info
    state = (info.state if info else None) or ""
    detail = f' title="{esc(info.state_detail)}"' if info is not None and info.state_detail else ""
    match = f' <span class="match">{info.match} %</span>' if info is not None and info.match is not None else ""
    line = info.line if info is not None and info.line is not None else ""
    ids = f' data-issues="{" ".join(str(base + k) for k in range(len(unit.issues)))}"' if unit.issues else ""
    source = ""
    if unit.source is not None:
        links = _unit_links(unit)
        cuts = [(i.source_span.start, i.source_span.end) for i in unit.issues if i.source_span is not None]
        cuts += [(link["source"][0], link["source"][1]) for link in links or () if link["source"]]
        source = unit_text_html(unit.source, cuts=cuts)
    target = unit_text_html(unit.target, unit.issues, base=base)
    return (f'<tr class="urow" data-u="{u}" data-state="{esc(state)}" data-route="{unit.route}"{ids}>'
            f'<td class="uid">{esc(unit.target.unit or "")}</td><td class="num">{line}</td>'
            f'<td class="st"{detail}>{esc(state or "—")}{match}</td>'
            f'<td class="ut src"{langs[0]}>{source}</td><td class="ut tgt"{langs[1]}>{target}</td>'
            f'<td>{_unit_issue_list(unit, base, sort)}</td>'
            f'<td><span class="route route-{unit.route}">{unit.route}</span></td></tr>')


def _unit_table(result: FileResult, sort: str) -> str:
    if not result.units:
        return '<p class="muted empty">No unit of this file was checked.</p>'
    src, tgt = (f' lang="{esc(lang)}" dir="auto"' if lang else ' dir="auto"' for lang in (result.src_lang,
                                                                                        result.tgt_lang))
    rows, base = [], 0
    for u, unit in enumerate(result.units):
        rows.append(_unit_row(u, unit, base, sort, (src, tgt)))
        base += len(unit.issues)
    return f"""{_unit_filters(result)}
  <div class="tw"><table class="units grid"><thead><tr><th>Unit</th><th class="num">Line</th><th>State</th>
<th>Source</th><th>Translation</th><th>Issues</th><th>Route</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></div>"""


def _file(n: int, result: FileResult, sort: str) -> str:
    """A bilingual file as one document: its score, scorecard, routing and notes, then one table of its units."""
    notes = "".join(f'<li>{esc(note)}</li>' for note in result.notes)
    return f"""<section class="doc file card-box" id="doc-{n}" data-doc="{n}">
  <div class="dh">
    <div class="dt"><h2>{_doc_title(result)}</h2><div class="facts">{"".join(_facts(result, result.tgt_lang))}</div>
    </div>
    <div class="score"><span class="sv">{result.score:.1f}</span><span class="of">/100</span>
      {_band(result.band)} {_verdict(result.verdict)} {_route(result.route)}</div>
  </div>
  <div class="counts">{_chips(severity_counts(result.issues), zeros=True)}</div>{_held(result)}
  {_file_summary(result)}
  {_scorecard(result)}
  {f'<ul class="notes">{notes}</ul>' if notes else ""}
  {_routing(result)}
  {_unit_table(result, sort)}
</section>"""


def _document(n: int, result: DocumentResult, links: list[dict[str, Any]] | None, sort: str) -> str:
    doc = result.target
    notes = "".join(f'<li>{esc(note)}</li>' for note in result.notes)
    facts = _facts(result, doc.lang)
    if result.metrics is not None:
        m = result.metrics
        facts.append(f'<span>BLEU {m.bleu:.1f} · chrF {m.chrf:.1f} · TER {m.ter:.1f}</span>')
    target_lang = f' lang="{esc(doc.lang)}"' if doc.lang else ""
    target_pane = (f'<div class="pane"><div class="ph">Translation<span class="lang">{esc(doc.lang or "")}</span></div>'
                   f'<div class="pb"><div class="text target"{target_lang} dir="auto">{target_html(result)}</div>'
                   '</div></div>')
    panes = target_pane
    if result.source is not None:
        src = result.source
        src_lang = f' lang="{esc(src.lang)}"' if src.lang else ""
        source_pane = (f'<div class="pane"><div class="ph">Source<span class="lang">{esc(src.lang or "")}</span></div>'
                       f'<div class="pb"><div class="text source"{src_lang} dir="auto">'
                       f'{source_html(result, links)}</div>'
                       f'</div></div>')
        panes = source_pane + target_pane
    empty = '<p class="muted empty">The translation is empty.</p>' if not doc.text else ""
    return f"""<section class="doc card-box" id="doc-{n}" data-doc="{n}">
  <div class="dh">
    <div class="dt"><h2>{_doc_title(result)}</h2><div class="facts">{"".join(facts)}</div></div>
    <div class="score"><span class="sv">{result.score:.1f}</span><span class="of">/100</span>
      {_band(result.band)} {_verdict(result.verdict)} {_route(result.route)}</div>
  </div>
  <div class="counts">{_chips(severity_counts(result.issues), zeros=True)}</div>{_held(result)}
  {_scorecard(result)}
  {f'<ul class="notes">{notes}</ul>' if notes else ""}{empty}
  {_routing(result)}
  <div class="panes{' two' if result.source is not None else ''}">{panes}</div>
  {_issue_rows(result, sort)}
</section>"""


# --- assets --------------------------------------------------------------------------------------------------

CSS = """
:root{--fg:#1f2328;--muted:#59636e;--line:#d8dee4;--bg:#f6f8fa;--card:#fff;--accent:#0969da;
--critical:#a40e26;--critical-bg:#ffd8dc;--major:#c4410c;--major-bg:#ffe2cc;--minor:#9a6700;--minor-bg:#fff1b8;
--info:#0969da;--info-bg:#ddf4ff;--ok:#1a7f37;--ok-bg:#dafbe1;--bad:#cf222e;--bad-bg:#ffebe9;
--publish:#1a7f37;--publish-bg:#eef8f0;--light-review:#0b7285;--light-review-bg:#d7eff4;
--post-edit:#8250df;--post-edit-bg:#ebdffb;--retranslate:#b3261e;--retranslate-bg:#fbd5d1;
--excellent:#1a7f37;--excellent-bg:#dafbe1;--good:#2f6f3e;--good-bg:#e8f5e9;--acceptable:#7d5a00;
--acceptable-bg:#fff4cc;--poor:#cf222e;--poor-bg:#ffebe9}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);
font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",
"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif}
main{max-width:1440px;margin:0 auto;padding:0 24px 48px}
code,.code,.pos,.sig{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
h1{font-size:22px;margin:0 0 2px;font-weight:650;letter-spacing:-.01em}
h2{font-size:16px;margin:0;font-weight:600}
.muted{color:var(--muted)}
.top{display:flex;flex-wrap:wrap;gap:16px 32px;align-items:flex-end;justify-content:space-between;
padding:28px 0 18px}
.meta{color:var(--muted);font-size:12.5px;max-width:760px;overflow-wrap:anywhere}
.sig{font-size:11.5px}
.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 16px;min-width:130px}
.card .k{color:var(--muted);font-size:11.5px;text-transform:uppercase;letter-spacing:.05em;font-weight:600}
.card .v{font-size:24px;font-weight:650;line-height:1.25}
.card .sub{font-size:12.5px;color:var(--muted);margin-top:2px}
.ok{color:var(--ok)}.bad{color:var(--bad)}
.chip{display:inline-flex;align-items:center;gap:4px;border-radius:999px;padding:1px 9px;margin:2px 6px 2px 0;
font-size:12px;border:1px solid transparent;white-space:nowrap}
.chip b{font-weight:650}
.chip.sev-critical{background:var(--critical-bg);color:var(--critical)}
.chip.sev-major{background:var(--major-bg);color:var(--major)}
.chip.sev-minor{background:var(--minor-bg);color:var(--minor)}
.chip.sev-info{background:var(--info-bg);color:var(--info)}
.chip.none{background:var(--ok-bg);color:var(--ok)}
.chip.band-excellent{background:var(--excellent-bg);color:var(--excellent)}
.chip.band-good{background:var(--good-bg);color:var(--good)}
.chip.band-acceptable{background:var(--acceptable-bg);color:var(--acceptable)}
.chip.band-poor{background:var(--poor-bg);color:var(--poor)}
.card .legend{display:grid;grid-template-columns:auto auto;gap:2px 14px;margin-top:4px}
.filters{position:sticky;top:0;z-index:5;background:var(--bg);border-bottom:1px solid var(--line);
padding:10px 0;margin-bottom:18px;display:flex;flex-wrap:wrap;gap:6px 24px;align-items:center}
.filters .group{display:flex;flex-wrap:wrap;gap:4px 6px;align-items:center}
.filters .gl{font-size:11.5px;text-transform:uppercase;letter-spacing:.05em;font-weight:600;color:var(--muted);
margin-right:4px}
.fl{display:inline-flex;align-items:center;gap:5px;background:var(--card);border:1px solid var(--line);
border-radius:6px;padding:2px 8px;font-size:12.5px;cursor:pointer;user-select:none}
.fl input{margin:0;accent-color:var(--accent)}
.fl .n{color:var(--muted);font-variant-numeric:tabular-nums}
.fl .dot{width:9px;height:9px;border-radius:50%;display:inline-block}
.fl.sev-critical .dot{background:var(--critical)}.fl.sev-major .dot{background:var(--major)}
.fl.sev-minor .dot{background:#d4a72c}.fl.sev-info .dot{background:var(--info)}
.shown{margin-left:auto;color:var(--muted);font-size:12.5px}
.card-box{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:18px 20px;
margin-bottom:20px;box-shadow:0 1px 2px rgba(31,35,40,.04)}
.overview h2,.errors h2{margin-bottom:10px}
.errors{border-color:#ffcecb;background:#fffafa}
.errors ul{margin:0;padding-left:18px}.errors li{margin:3px 0}
.kind{display:inline-block;font-size:11.5px;background:var(--bad-bg);color:var(--bad);border-radius:4px;
padding:0 6px;margin:0 4px}
table.grid{width:100%;border-collapse:collapse;font-size:13px}
.grid th{text-align:left;font-weight:600;color:var(--muted);font-size:11.5px;text-transform:uppercase;
letter-spacing:.04em;border-bottom:1px solid var(--line);padding:6px 8px}
.grid td{border-bottom:1px solid #eaeef2;padding:7px 8px;vertical-align:top}
.grid .num{text-align:right;font-variant-numeric:tabular-nums}
.overview a{color:var(--accent);text-decoration:none}.overview a:hover{text-decoration:underline}
.verdict{display:inline-block;font-size:11.5px;font-weight:700;letter-spacing:.06em;border-radius:5px;
padding:1px 8px}
.verdict.pass{background:var(--ok-bg);color:var(--ok)}.verdict.fail{background:var(--bad-bg);color:var(--bad)}
.band,.route{display:inline-block;font-size:11.5px;font-weight:650;border-radius:5px;padding:1px 8px;
white-space:nowrap}
.band-excellent{background:var(--excellent-bg);color:var(--excellent)}
.band-good{background:var(--good-bg);color:var(--good)}
.band-acceptable{background:var(--acceptable-bg);color:var(--acceptable)}
.band-poor{background:var(--poor-bg);color:var(--poor)}
.route.route-publish,.chip.route-publish{background:var(--publish-bg);color:var(--publish)}
.route.route-light-review,.chip.route-light-review{background:var(--light-review-bg);color:var(--light-review)}
.route.route-post-edit,.chip.route-post-edit{background:var(--post-edit-bg);color:var(--post-edit)}
.route.route-retranslate,.chip.route-retranslate{background:var(--retranslate-bg);color:var(--retranslate)}
.rs.route-publish{background:var(--publish-bg)}
.rs.route-light-review{background:var(--light-review-bg)}
.rs.route-post-edit{background:var(--post-edit-bg)}
.rs.route-retranslate{background:var(--retranslate-bg)}
.rs{-webkit-box-decoration-break:clone;box-decoration-break:clone}
.rs.omitted{outline:1px dashed currentColor;outline-offset:1px}
.rs.off{background:transparent;outline:none}
.route-publish .dot{background:var(--publish)}.route-light-review .dot{background:var(--light-review)}
.route-post-edit .dot{background:var(--post-edit)}.route-retranslate .dot{background:var(--retranslate)}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12.5px;color:var(--muted)}
.rkey{display:inline-flex;align-items:center;gap:5px;white-space:nowrap}
.rkey .dot{width:10px;height:10px;border-radius:3px;display:inline-block}
.rkey b{color:var(--fg);font-weight:650}
.mqm{display:flex;flex-wrap:wrap;gap:4px 18px;margin:6px 0;font-size:12.5px}
.mqm div{display:flex;gap:5px}.mqm dt{color:var(--muted)}.mqm dd{margin:0;font-variant-numeric:tabular-nums}
.gate{margin:4px 0;padding:6px 10px;background:var(--bad-bg);color:var(--bad);border-radius:8px;font-size:12.5px}
.gate ul{margin:2px 0 0;padding-left:18px}
.routing{margin:10px 0 4px}
.routing .rh{display:flex;flex-wrap:wrap;gap:4px 12px;align-items:baseline;margin-bottom:4px;font-size:12.5px}
.routing h3{font-size:14px;margin:0;font-weight:600}
.segbox{margin-top:6px}.segbox summary{cursor:pointer;color:var(--accent);font-size:12.5px}
.segs tr.seg td:first-child{border-left:4px solid var(--line)}
.segs tr.seg.route-publish td:first-child{border-left-color:var(--publish)}
.segs tr.seg.route-light-review td:first-child{border-left-color:var(--light-review)}
.segs tr.seg.route-post-edit td:first-child{border-left-color:var(--post-edit)}
.segs tr.seg.route-retranslate td:first-child{border-left-color:var(--retranslate)}
.segs .stext{min-width:200px;max-width:520px}
.segs .stext span{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden;
overflow-wrap:anywhere}
.segs .why{color:var(--muted);font-size:12px;min-width:160px}
.dh{display:flex;justify-content:space-between;gap:16px;align-items:flex-start}
.dt h2{overflow-wrap:anywhere}
.unit{color:var(--muted);font-weight:500}
.facts{display:flex;flex-wrap:wrap;gap:4px 14px;color:var(--muted);font-size:12.5px;margin-top:3px}
.score{display:flex;align-items:baseline;gap:4px;white-space:nowrap}
.score .sv{font-size:28px;font-weight:700;font-variant-numeric:tabular-nums;letter-spacing:-.02em}
.score .of{color:var(--muted);margin-right:8px}
.counts{margin:8px 0 4px}
.notes{margin:6px 0;padding-left:18px;color:var(--muted);font-size:12.5px}
.panes{display:grid;grid-template-columns:1fr;gap:14px;margin:12px 0 16px}
.panes.two{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}
.pane{border:1px solid var(--line);border-radius:10px;overflow:hidden;background:#fff;min-width:0}
.ph{font-size:11.5px;text-transform:uppercase;letter-spacing:.05em;font-weight:600;color:var(--muted);
background:#f6f8fa;border-bottom:1px solid var(--line);padding:6px 14px}
.ph .lang{margin-left:8px;text-transform:none;font-weight:500;background:#eaeef2;border-radius:4px;padding:0 6px;
letter-spacing:0}
.pb{position:relative;max-height:64vh;overflow:auto;padding:14px 18px}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font-size:15px;line-height:1.8}
.text.source{color:#32383f}
mark.hl{background:transparent;color:inherit;cursor:pointer;border-radius:2px;padding:1px 0;
text-decoration-line:underline;text-decoration-thickness:2px;text-underline-offset:3px;
-webkit-box-decoration-break:clone;box-decoration-break:clone}
mark.hl[data-sev=critical]{background:var(--critical-bg);text-decoration-color:var(--critical)}
mark.hl[data-sev=major]{background:var(--major-bg);text-decoration-color:var(--major)}
mark.hl[data-sev=minor]{background:var(--minor-bg);text-decoration-color:#bf8700}
mark.hl[data-sev=info]{background:var(--info-bg);text-decoration-color:var(--info);text-decoration-style:dotted}
mark.hl.multi{text-decoration-style:double}
mark.hl.zero::before{content:"\\2041";color:var(--bad);font-weight:700}
mark.hl.off{background:transparent;text-decoration:none;cursor:text}
mark.hl.off.zero::before{content:none}
mark.hl.sel{outline:2px solid var(--accent);outline-offset:1px}
mark.hl:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
.sc.align{background:#eaf2ff;border-radius:2px}
.sc.hit{background:#c9dcff;text-decoration:underline 2px var(--accent);text-underline-offset:3px}
.issues tr.issue{cursor:pointer}
.issues tr.issue:hover td{background:#f6f8fa}
.issues tr.issue.sel td{background:#eef4ff}
.issues tr.issue:focus-visible{outline:2px solid var(--accent);outline-offset:-2px}
.badge{display:inline-block;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;
border-radius:4px;padding:1px 6px}
.badge.sev-critical{background:var(--critical);color:#fff}.badge.sev-major{background:var(--major-bg);
color:var(--major)}
.badge.sev-minor{background:var(--minor-bg);color:var(--minor)}.badge.sev-info{background:var(--info-bg);
color:var(--info)}
.issues .code{font-weight:600;white-space:nowrap}
.issues .rule{font-weight:500;white-space:nowrap}.issues .cat{color:var(--muted);font-size:12px}
.issues .pos{color:var(--muted);white-space:nowrap;font-size:12px}
.tw{overflow-x:auto}
.issues .snip{min-width:140px;max-width:300px}
.issues .snip span{display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden;
overflow-wrap:anywhere;background:#f6f8fa;border-radius:4px;padding:0 4px}
.issues .msg{min-width:260px}
.sugg{color:var(--ok);margin-top:2px}
.noissues{color:var(--ok);margin:4px 0 0}
.pop{position:absolute;z-index:20;width:min(420px,calc(100vw - 16px));background:#fff;border:1px solid var(--line);
border-radius:10px;box-shadow:0 8px 24px rgba(31,35,40,.16);padding:6px 0;font-size:13px}
.pop[hidden]{display:none}
.pop .close{position:absolute;top:4px;right:6px;border:0;background:none;font-size:18px;line-height:1;
color:var(--muted);cursor:pointer;padding:4px 6px;border-radius:6px}
.pop .close:hover{background:#f3f4f6}
.pop .pi{padding:8px 36px 8px 14px;border-left:3px solid transparent;cursor:pointer}
.pop .pi+.pi{border-top:1px solid #eaeef2}
.pop .pi.sel{border-left-color:var(--accent);background:#f6f9ff}
.pop .ph2{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.pop .pc{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-weight:650}
.pop .pr{font-weight:500}
.pop .pcat,.pop .ppos,.pop .psum{color:var(--muted);font-size:12px}
.pop .pm{margin-top:4px}
.pop .ps{color:var(--ok);margin-top:3px}
.pop .prep{margin-top:4px;display:flex;flex-wrap:wrap;gap:4px}
.pop .prep span{background:var(--ok-bg);color:var(--ok);border-radius:4px;padding:0 6px;font-size:12px}
.pop .psrc{margin-top:4px;color:#32383f}
.pop .psrc b{font-weight:600;color:var(--muted);font-size:12px}
.fsum{margin:6px 0;font-size:13px}
.uf{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;margin:14px 0 8px;padding:8px 10px;
background:var(--bg);border:1px solid var(--line);border-radius:8px;font-size:12.5px}
.uf .group{display:flex;flex-wrap:wrap;gap:4px 6px;align-items:center}
.uf .gl{font-size:11.5px;text-transform:uppercase;letter-spacing:.05em;font-weight:600;color:var(--muted);
margin-right:4px}
.uf select{font:inherit;margin:0}
.uf .ush{margin-left:auto}
.units td{font-size:13px}
.units .uid{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;min-width:80px;
max-width:200px;overflow-wrap:anywhere}
.units .st{white-space:nowrap;font-size:12px}.units .match{color:var(--muted)}
.units .ut{white-space:pre-wrap;overflow-wrap:anywhere;font-size:14px;line-height:1.7;min-width:200px;width:30%}
.units .src{color:#32383f}
.uis{list-style:none;margin:0;padding:0;min-width:200px}
.uis .ui{cursor:pointer;padding:1px 4px;border-radius:4px;font-size:12.5px}
.uis .ui+.ui{margin-top:3px}
.uis .ui:hover{background:#f6f8fa}.uis .ui.sel{background:#eef4ff}
.uis .ui:focus-visible{outline:2px solid var(--accent);outline-offset:-2px}
.uis .code{font-weight:600}
.tag{display:inline-block;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11px;
line-height:1.45;padding:0 4px;margin:0 1px;border-radius:4px;background:#eaeef2;color:#57606a;
border:1px solid #d0d7de;vertical-align:1px;white-space:nowrap;cursor:help}
.tag.var{background:#f5f0ff;color:#6639ba;border-color:#d8c8f8}
footer{color:var(--muted);font-size:12px;text-align:center;padding:12px}
.held{margin:2px 0 4px;font-size:12.5px}
.pop .fp{margin-top:6px}
.pop .fpb,.fpbox button,.pop .fpbar button{font:inherit;font-size:12px;border:1px solid var(--line);border-radius:6px;
background:var(--bg);padding:1px 8px;cursor:pointer}
.pop .fpb:hover,.fpbox button:hover,.pop .fpbar button:hover{background:#eaeef2}
.pop .fpbar button:disabled{opacity:.5;cursor:default}
.pop .fpbar button[hidden]{display:none}
.pop .fpf{margin-top:6px}
.pop .fpf[hidden],.fpbox[hidden]{display:none}
.pop .fpl{display:flex;gap:6px;align-items:center;font-size:12px;color:var(--muted)}
.pop .fpr{flex:1;font:inherit;font-size:12.5px;padding:2px 6px;border:1px solid var(--line);border-radius:5px}
.pop .fpt,.fpbox .fpall{margin:6px 0 4px;padding:6px 8px;background:#f6f8fa;border:1px solid var(--line);
border-radius:6px;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere;
font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.pop .fpnote,.fpbox .fpnote{color:var(--muted);font-size:12px}
.pop .fpbar{display:flex;gap:6px;align-items:center}
.fpst{color:var(--muted);font-size:12px}
.fpbox{position:fixed;right:16px;bottom:16px;z-index:15;width:min(460px,calc(100vw - 32px));max-height:45vh;
overflow:auto;background:#fff;border:1px solid var(--line);border-radius:10px;padding:10px 12px;
box-shadow:0 8px 24px rgba(31,35,40,.16);font-size:13px}
.fpbox .fph{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
@media (max-width:900px){.panes.two{grid-template-columns:1fr}main{padding:0 12px 32px}.dh{flex-direction:column}}
@media print{.filters{position:static}.pb{max-height:none;overflow:visible}.pop,.fpbox{display:none}
.segbox{display:none}}
"""

JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("tq-data").textContent);
  var SEV = ["info", "minor", "major", "critical"];
  var hidden = {severity: new Set(), category: new Set(), route: new Set()};
  var pop = document.getElementById("tq-pop");
  var current = null;

  function docOf(el) { var s = el.closest("section.doc"); return s ? data.documents[+s.dataset.doc] : null; }
  function ids(el) { return el.dataset.issues ? el.dataset.issues.split(" ").map(Number) : []; }
  function shown(issue) {
    return !hidden.severity.has(issue.severity) && !hidden.category.has(issue.category) &&
      !hidden.route.has(issue.route);
  }
  function rank(issue) { return SEV.indexOf(issue.severity); }
  function num(n) { return n.toLocaleString("en-US"); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function apply() {
    var total = 0, visible = 0;
    document.querySelectorAll("section.doc").forEach(function (sec) {
      var issues = data.documents[+sec.dataset.doc].issues;
      sec.querySelectorAll("mark.hl").forEach(function (m) {
        var vis = ids(m).filter(function (i) { return shown(issues[i]); });
        if (!vis.length) {
          m.classList.add("off"); m.classList.remove("multi"); m.removeAttribute("data-sev"); m.tabIndex = -1;
        } else {
          var worst = Math.max.apply(null, vis.map(function (i) { return rank(issues[i]); }));
          m.classList.remove("off"); m.classList.toggle("multi", vis.length > 1);
          m.dataset.sev = SEV[worst]; m.tabIndex = 0;
        }
      });
      sec.querySelectorAll("tr.issue").forEach(function (row) {
        var on = shown(issues[+row.dataset.issue]);
        row.hidden = !on; total += 1; if (on) visible += 1;
      });
      // A hidden route loses its tint in the text and its rows in the segment table.
      sec.querySelectorAll(".rs").forEach(function (s) {
        s.classList.toggle("off", hidden.route.has(s.dataset.route));
      });
      sec.querySelectorAll("tr.seg").forEach(function (row) { row.hidden = hidden.route.has(row.dataset.route); });
      if (sec.classList.contains("file")) {
        var counts = units(sec, issues);
        total += counts[0]; visible += counts[1];
      }
    });
    document.getElementById("tq-shown").textContent = visible + " of " + total + " issues shown";
    if (current && !shown(current.issue)) close();
    else if (pop.anchor && pop.anchor.closest("tr[hidden]")) close();
  }

  // A file's unit table: a row shows unless its state or route is unticked, it is clean (no issue passes the
  // filters) while clean units are hidden or a minimum severity is chosen, or none of its shown issues reaches
  // that severity. One pass over the rows.
  function units(sec, issues) {
    var f = sec.querySelector(".uf");
    if (!f) return [0, 0];
    var hideClean = f.querySelector('input[data-ufilter="clean"]').checked;
    var min = SEV.indexOf(f.querySelector('select[data-ufilter="minsev"]').value);
    var states = new Set();
    f.querySelectorAll('input[data-ufilter="state"]').forEach(function (b) { if (!b.checked) states.add(b.value); });
    var total = 0, visible = 0, rows = 0, on = 0, clean = 0;
    sec.querySelectorAll("tr.urow").forEach(function (row) {
      var worst = -1, vis = 0;
      ids(row).forEach(function (i) {
        if (shown(issues[i])) { vis += 1; worst = Math.max(worst, rank(issues[i])); }
      });
      var show = !states.has(row.dataset.state) && !hidden.route.has(row.dataset.route);
      if (show && !vis && (hideClean || min >= 0)) { show = false; clean += 1; } else if (worst < min) show = false;
      row.hidden = !show; rows += 1; if (show) on += 1;
      if (row.dataset.issues) {
        row.querySelectorAll("li.ui").forEach(function (li) {
          var yes = shown(issues[+li.dataset.issue]);
          li.hidden = !yes; total += 1; if (yes && show) visible += 1;
        });
      }
    });
    f.querySelector(".ucl").textContent = num(clean) + (clean === 1 ? " clean unit" : " clean units") + " hidden";
    f.querySelector(".ush").textContent = num(on) + " of " + num(rows) + " units shown";
    return [total, visible];
  }

  function clearSelection() {
    document.querySelectorAll(".sel").forEach(function (e) { if (e !== pop) e.classList.remove("sel"); });
    document.querySelectorAll(".sc.align, .sc.hit").forEach(function (e) { e.classList.remove("align", "hit"); });
  }

  function scrollPane(target) {
    var pane = target.closest(".pb");
    if (!pane) return;
    var top = target.offsetTop - pane.clientHeight / 3;
    pane.scrollTop = Math.max(0, top);
  }

  function lightSource(sec, range, cls) {
    var first = null;
    if (!range) return null;
    sec.querySelectorAll(".text.source .sc, td.src .sc").forEach(function (c) {
      if (+c.dataset.start >= range[0] && +c.dataset.end <= range[1]) { c.classList.add(cls); if (!first) first = c; }
    });
    return first;
  }

  function select(sec, i) {
    var issue = data.documents[+sec.dataset.doc].issues[i];
    clearSelection();
    current = {sec: sec, index: i, issue: issue};
    sec.querySelectorAll('mark.hl[data-issues~="' + i + '"]').forEach(function (m) { m.classList.add("sel"); });
    var row = sec.querySelector('tr.issue[data-issue="' + i + '"], li.ui[data-issue="' + i + '"]');
    if (row) row.classList.add("sel");
    // A unit's offsets point into its own texts: light the source in its row only.
    var scope = issue.u !== undefined ? sec.querySelector('tr.urow[data-u="' + issue.u + '"]') || sec : sec;
    var aligned = lightSource(scope, issue.aligned_source, "align");
    var hit = issue.source_start !== undefined ?
      lightSource(scope, [issue.source_start, issue.source_end], "hit") : null;
    if (hit || aligned) scrollPane(hit || aligned);
    pop.querySelectorAll(".pi").forEach(function (p) { p.classList.toggle("sel", +p.dataset.issue === i); });
  }

  // "Not an error": a [[suppress]] entry for one finding (rule, exact text, file), with the editor's reason, to
  // copy into tqcheck.toml; entries added to the list are collected in one block (#tq-fp) to copy at once.
  var marked = new Map();  // "doc:issue" → the entry's TOML, in the order marked
  var fpbox = document.getElementById("tq-fp");

  function tomlString(value) {
    // A TOML basic string: quotes, backslashes and control characters escaped (TOML allows no raw ones).
    var out = '"';
    for (var k = 0; k < value.length; k++) {
      var ch = value[k], code = value.charCodeAt(k);
      if (ch === '"') out += '\\\\"';
      else if (ch === "\\\\") out += "\\\\\\\\";
      else if (ch === "\\n") out += "\\\\n";
      else if (ch === "\\r") out += "\\\\r";
      else if (ch === "\\t") out += "\\\\t";
      else if (ch === "\\b") out += "\\\\b";
      else if (ch === "\\f") out += "\\\\f";
      else if (code < 0x20 || code === 0x7f) out += "\\\\u" + ("000" + code.toString(16).toUpperCase()).slice(-4);
      else out += ch;
    }
    return out + '"';
  }

  function entry(doc, issue, reason) {
    var lines = ["[[suppress]]", "rule = " + tomlString(issue.code)];
    if (issue.text) lines.push("text = " + tomlString(issue.text));
    if (doc.suppress_path) lines.push("path = " + tomlString(doc.suppress_path));
    lines.push("reason = " + tomlString(reason));
    return lines.join("\\n") + "\\n";
  }

  function copy(text, pre, status) {
    // The clipboard API where the page may use it; else the text is selected for Ctrl+C.
    function selectIt() {
      var range = document.createRange();
      range.selectNodeContents(pre);
      var sel = window.getSelection();
      sel.removeAllRanges(); sel.addRange(range);
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      status.textContent = done ? "Copied" : "Selected: press Ctrl+C to copy";
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { status.textContent = "Copied"; }, selectIt);
    } else {
      selectIt();
    }
  }

  function listUpdate() {
    var all = Array.from(new Set(marked.values()));
    fpbox.querySelector(".fpall").textContent = all.join("\\n");
    fpbox.querySelector(".fpn").textContent = String(all.length);
    fpbox.hidden = all.length === 0;
  }

  function fpControl(sec, issue, i) {
    var n = +sec.dataset.doc, doc = data.documents[n], key = n + ":" + i;
    var wrap = el("div", "fp");
    var toggle = el("button", "fpb", marked.has(key) ? "Marked: not an error \\u2713" : "Not an error\\u2026");
    toggle.type = "button";
    var form = el("div", "fpf");
    form.hidden = true;
    var label = el("label", "fpl", "Reason ");
    var input = el("input", "fpr");
    input.type = "text"; input.placeholder = "why this is not an error (required)";
    label.append(input);
    var pre = el("pre", "fpt");
    pre.tabIndex = 0;
    var same = doc.issues.filter(function (o) { return o.code === issue.code && o.text === issue.text; }).length - 1;
    var note = el("div", "fpnote", same > 0 ? "This entry also covers the " + same + " other " + issue.code +
      " finding" + (same === 1 ? "" : "s") + " with this text in this file." : "");
    var bar = el("div", "fpbar");
    var copyButton = el("button", "fpc", "Copy"); copyButton.type = "button";
    var add = el("button", "fpa", "Add to the list"); add.type = "button";
    var remove = el("button", "fpx", "Remove from the list"); remove.type = "button";
    remove.hidden = !marked.has(key);
    var status = el("span", "fpst");
    status.setAttribute("aria-live", "polite");
    bar.append(copyButton, add, remove, status);
    form.append(label, pre, note, bar);
    function update() {
      var reason = input.value.trim();
      pre.textContent = entry(doc, issue, reason);
      copyButton.disabled = add.disabled = !reason;
      status.textContent = reason ? "" : "A reason is required.";
    }
    input.addEventListener("input", update);
    form.addEventListener("click", function (ev) { ev.stopPropagation(); });
    toggle.addEventListener("click", function (ev) {
      ev.stopPropagation();
      form.hidden = !form.hidden;
      if (!form.hidden) { update(); input.focus(); }
    });
    copyButton.addEventListener("click", function () { copy(pre.textContent, pre, status); });
    add.addEventListener("click", function () {
      marked.set(key, pre.textContent);
      toggle.textContent = "Marked: not an error \\u2713";
      status.textContent = "Added to the list";
      remove.hidden = false;
      listUpdate();
    });
    remove.addEventListener("click", function () {
      marked.delete(key);
      toggle.textContent = "Not an error\\u2026";
      status.textContent = "Removed from the list";
      remove.hidden = true;
      listUpdate();
    });
    wrap.append(toggle, form);
    return wrap;
  }

  fpbox.querySelector(".fpcopy").addEventListener("click", function () {
    copy(fpbox.querySelector(".fpall").textContent, fpbox.querySelector(".fpall"), fpbox.querySelector(".fpst"));
  });

  function item(issue, i, sec) {
    var d = el("div", "pi"); d.dataset.issue = i;
    var h = el("div", "ph2");
    var badge = el("span", "badge sev-" + issue.severity, issue.severity);
    h.append(badge, el("span", "pc", issue.code), el("span", "pr", issue.rule));
    d.append(h);
    var rule = data.rules[issue.code];
    var where = issue.u === undefined ? "line " + issue.line + ", column " + issue.column :
      "unit " + issue.unit + (issue.file_line !== null ? " · file line " + issue.file_line : "") +
      (issue.file_column !== null ? ", column " + issue.file_column : "");
    d.append(el("div", "pcat", issue.category + " · " + where + (issue.route ? " · route " + issue.route : "")));
    if (rule) d.append(el("div", "psum", rule.summary));
    d.append(el("div", "pm", issue.message));
    if (issue.replacements && issue.replacements.length) {
      var r = el("div", "prep", "replace with: ");
      issue.replacements.forEach(function (text) {
        r.append(el("span", null, text === "" ? "nothing (delete the marked text)" : text));
      });
      d.append(r);
    }
    if (issue.suggestion) d.append(el("div", "ps", "advice: " + issue.suggestion));
    if (issue.source_text !== undefined) {
      var s = el("div", "psrc"); s.append(el("b", null, "Source: "), document.createTextNode(issue.source_text));
      d.append(s);
    }
    d.append(fpControl(sec, issue, i));
    return d;
  }

  function position(anchor) {
    var r = anchor.getClientRects()[0] || anchor.getBoundingClientRect();
    var width = pop.offsetWidth;
    var right = window.scrollX + document.documentElement.clientWidth - width - 8;
    var left = Math.min(Math.max(8, r.left + window.scrollX), right);
    var top = r.bottom + window.scrollY + 6;
    if (r.bottom + pop.offsetHeight + 12 > window.innerHeight && r.top - pop.offsetHeight - 6 > 0) {
      top = r.top + window.scrollY - pop.offsetHeight - 6;
    }
    pop.style.left = left + "px"; pop.style.top = top + "px";
  }

  function open(mark, preferred) {
    var sec = mark.closest("section.doc");
    var issues = data.documents[+sec.dataset.doc].issues;
    var list = ids(mark).filter(function (i) { return shown(issues[i]); });
    if (!list.length) return;
    list.sort(function (a, b) { return rank(issues[b]) - rank(issues[a]) || a - b; });
    pop.replaceChildren();
    var x = el("button", "close", "\\u00d7"); x.type = "button"; x.setAttribute("aria-label", "Close");
    x.addEventListener("click", close);
    pop.append(x);
    list.forEach(function (i) {
      var node = item(issues[i], i, sec);
      node.addEventListener("click", function () { select(sec, i); });
      pop.append(node);
    });
    pop.hidden = false;
    pop.anchor = mark;
    position(mark);
    select(sec, preferred !== undefined && list.indexOf(preferred) >= 0 ? preferred : list[0]);
  }

  function close() {
    pop.hidden = true; pop.anchor = null; current = null; clearSelection();
  }

  document.addEventListener("click", function (ev) {
    var mark = ev.target.closest("mark.hl");
    if (mark && !mark.classList.contains("off")) { open(mark); return; }
    var row = ev.target.closest("tr.issue, li.ui");
    if (row) { fromRow(row); return; }
    if (!ev.target.closest("#tq-pop") && !pop.hidden) close();
  });

  function fromRow(row) {
    var sec = row.closest("section.doc");
    var i = +row.dataset.issue;
    var mark = sec.querySelector('mark.hl[data-issues~="' + i + '"]');
    if (!mark) { select(sec, i); return; }
    scrollPane(mark);
    var pane = mark.closest(".pane") || mark.closest("tr");
    pane.scrollIntoView({block: "nearest"});
    // Keep the pane clear of the sticky filter bar.
    var bar = document.querySelector(".filters").getBoundingClientRect().bottom;
    var top = pane.getBoundingClientRect().top;
    if (top < bar + 8) window.scrollBy(0, top - bar - 8);
    open(mark, i);
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && !pop.hidden) { close(); return; }
    if (ev.key !== "Enter" && ev.key !== " ") return;
    var t = ev.target;
    if (t.matches && t.matches("mark.hl") && !t.classList.contains("off")) { ev.preventDefault(); open(t); }
    else if (t.matches && t.matches("tr.issue, li.ui")) { ev.preventDefault(); fromRow(t); }
  });

  document.querySelectorAll(".pb").forEach(function (pane) {
    pane.addEventListener("scroll", function () {
      if (!pop.hidden && pop.anchor && pane.contains(pop.anchor)) position(pop.anchor);
    });
  });
  window.addEventListener("resize", function () { if (!pop.hidden && pop.anchor) position(pop.anchor); });

  document.querySelectorAll("[data-ufilter]").forEach(function (box) { box.addEventListener("change", apply); });
  document.querySelectorAll("input[data-filter]").forEach(function (box) {
    box.addEventListener("change", function () {
      var set = hidden[box.dataset.filter];
      if (box.checked) set.delete(box.value); else set.add(box.value);
      apply();
    });
  });
  apply();
})();
"""


def _csp_hash(content: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(content.encode("utf-8")).digest()).decode("ascii") + "'"


def render(report: Report, *, color: bool = False, sort: str = "severity", **_options: object) -> str:
    """The whole page; ``sort`` orders each issue list (``severity``: worst first, ``text``: text order)."""
    sections, documents = [], []
    # "Not an error" writes a [[suppress]] path relative to the configuration file's folder (the run's, if none).
    config_file = report.config.get("config_file")
    base = Path(str(config_file)).parent if config_file else None
    for n, result in enumerate(report.documents):
        if isinstance(result, FileResult):
            documents.append(_file_data(result, base))
            sections.append(_file(n, result, sort))
            continue
        data, links = _document_data(result, base)
        documents.append(data)
        sections.append(_document(n, result, links, sort))
    rules = {code: {"name": r.name, "summary": r.info.summary} for code, r in REGISTRY.items()}
    payload = {"documents": documents, "rules": rules}
    csp = (f"default-src 'none'; style-src {_csp_hash(CSS)}; script-src {_csp_hash(JS)}; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    title = "tqcheck report"
    if len(report.documents) == 1:
        title += f" · {path_text(report.documents[0].target.path) or '<text>'}"
    body = "\n".join(sections) or '<p class="muted">No documents were checked.</p>'
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tqcheck {esc(report.tool_version)}">
<title>{esc(title)}</title>
<style>{CSS}</style>
</head>
<body>
<main>
{_header(report)}
{_filters(report)}
{_errors(report.errors)}
{_overview(report)}
{body}
<footer>Offsets are Unicode code points into each document's text.
Generated by tqcheck {esc(report.tool_version)}.</footer>
</main>
<div id="tq-pop" class="pop" role="dialog" aria-label="Issue details" hidden></div>
<aside id="tq-fp" class="fpbox" aria-label="Findings marked as not an error" hidden>
  <div class="fph"><b>Not an error: <span class="fpn">0</span> marked</b>
    <button type="button" class="fpcopy">Copy all</button> <span class="fpst" aria-live="polite"></span></div>
  <div class="fpnote">Paste into tqcheck.toml: the next run counts these findings as suppressed, with your
    reasons.</div>
  <pre class="fpall" tabindex="0"></pre>
</aside>
<script type="application/json" id="tq-data">{script_json(payload)}</script>
<script>{JS}</script>
</body>
</html>
"""
