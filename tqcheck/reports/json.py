"""JSON report: the versioned contract for pipelines and dashboards (schema: tqcheck/schema/report.schema.json).

Every JSON format (JSON, JSON Lines, SARIF, the HTML page's data) is written by :func:`dumps`: UTF-8 text as it
is, except a lone surrogate (valid in a Python str, from JSONL ``"\\udc00"``, an XLIFF ``<cp hex="D800"/>`` or
the API, but not encodable as UTF-8), which is written as its ``\\udc00`` escape. The report stays valid UTF-8
JSON, and ``json.loads`` gives back the exact text, so ``text == target[start:end]`` holds. (One limit JSON
sets: a high surrogate directly followed by a low one is, written as escapes, the one astral character they
encode in UTF-16; no decoder produces such a pair, only a str built in Python.) File names go through
:func:`tqcheck.display.path_text`: bytes that are not UTF-8 appear as ``\\xNN``.
"""

from __future__ import annotations

import bisect
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from tqcheck import regexcache
from tqcheck.display import path_text, surrogates_escaped
from tqcheck.types import Checked, Document, DocumentResult, FileError, FileResult, Issue, QESummary, Report, Severity

if TYPE_CHECKING:
    from tqcheck.routing import RoutedSegment

OFFSET_UNIT = "codepoint"

_ASTRAL = regexcache.compile("[\U00010000-\U0010FFFF]")


def dumps(obj: object, **options: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, **options)`` with each lone surrogate written as its ``\\uXXXX``
    escape: the output always encodes as UTF-8, and parses back to the same strings.

    A raw surrogate can only stand inside a JSON string (keys and values), where an escape means the same.
    """
    # allow_nan=False: NaN and Infinity are not JSON; every score is made finite (or null) before it gets here.
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False, **options)
    return surrogates_escaped(text)  # \udc00: the JSON escape of the code unit


# Pieces of about this many characters: few enough writes, and no report-sized string (json.dumps of a 10 MB
# article's report builds millions of small strings and joins them: 60 MB per MB of text at its peak).
PIECE_CHARS = 1 << 16


def dumps_pieces(obj: object, **options: Any) -> Iterator[str]:
    """:func:`dumps` in pieces as they are encoded: ``"".join(dumps_pieces(obj))`` equals ``dumps(obj)``."""
    encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False, **options)
    buffered: list[str] = []
    size = 0
    for chunk in encoder.iterencode(obj):
        buffered.append(chunk)
        size += len(chunk)
        if size >= PIECE_CHARS:
            # A chunk never splits a character, so escaping piece by piece is escaping the whole.
            yield surrogates_escaped("".join(buffered))
            buffered, size = [], 0
    if buffered:
        yield surrogates_escaped("".join(buffered))


class Streamed(list):  # type: ignore[type-arg]
    """A list that :func:`dumps_pieces`' encoder reads item by item, each item converted as it is written: a long
    article's issues and segments (2–3 KB each as dicts) never exist as dicts all at once. Only the encoder
    reads it (the JSON and SARIF reports' ``render_pieces``); everything else gets real lists
    (:func:`converted` without ``streamed``)."""

    def __init__(self, items: Sequence[Any], convert: Callable[[Any], Any]) -> None:
        super().__init__()
        self._items, self._convert = items, convert

    def __iter__(self) -> Iterator[Any]:
        return map(self._convert, self._items)

    def __len__(self) -> int:
        return len(self._items)


def converted(items: Sequence[Any], convert: Callable[[Any], Any], streamed: bool) -> list[Any]:
    """``[convert(item) for item in items]``, or with ``streamed`` the :class:`Streamed` list of them."""
    return Streamed(items, convert) if streamed else [convert(item) for item in items]


@lru_cache(maxsize=64)
def _astral_positions(text: str) -> tuple[int, ...]:
    """Code-point offsets of the characters outside the BMP: each takes two UTF-16 code units."""
    return tuple(m.start() for m in _ASTRAL.finditer(text))


def utf16_offset(text: str, offset: int) -> int:
    """The UTF-16 code-unit index (as JavaScript indexes strings) of code-point ``offset`` in ``text``.

    The astral positions are found once per text (cached), so each offset costs a binary search.
    """
    return offset + bisect.bisect_left(_astral_positions(text), offset)


def issue_to_dict(issue: Issue, doc: Document, source: Document | None = None) -> dict[str, Any]:
    """An issue with its offsets into ``doc.text``, the line and column there, and where it stands in the file
    (``file_line``/``file_column``: the same for a text file; for a unit of a bilingual file what the reader
    recorded, ``null`` where the file does not say)."""
    line, column = doc.line_col(issue.span.start)
    end_line, end_column = doc.line_col(issue.span.end)
    file_line, file_column = doc.file_position(issue.span.start)
    file_end_line, file_end_column = doc.file_position(issue.span.end, end=issue.span.end > issue.span.start)
    item: dict[str, Any] = {
        "unit": doc.unit,
        "code": issue.code,
        "rule": issue.rule,
        "category": issue.category.value,
        "severity": issue.severity.value,
        "start": issue.span.start,
        "end": issue.span.end,
        "start_utf16": utf16_offset(doc.text, issue.span.start),
        "end_utf16": utf16_offset(doc.text, issue.span.end),
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "file_line": file_line,
        "file_column": file_column,
        "file_end_line": file_end_line,
        "file_end_column": file_end_column,
        "text": doc.text[issue.span.start:issue.span.end],
        "message": issue.message,
        "suggestion": issue.suggestion,
        "replacements": list(issue.replacements),
        "segment": issue.segment,
        "origin": issue.origin,
        "confidence": issue.confidence,
    }
    if issue.source_span is not None and source is not None:
        item["source_start"] = issue.source_span.start
        item["source_end"] = issue.source_span.end
        item["source_start_utf16"] = utf16_offset(source.text, issue.source_span.start)
        item["source_end_utf16"] = utf16_offset(source.text, issue.source_span.end)
        item["source_text"] = source.text[issue.source_span.start:issue.source_span.end]
    return item


def metrics_to_dict(result: DocumentResult) -> dict[str, Any] | None:
    m = result.metrics
    if m is None:
        return None
    return {
        "reference": _doc_ref(m.reference),
        "bleu": m.bleu, "chrf": m.chrf, "ter": m.ter,
        "signatures": dict(m.signatures),
        "segments": [{"target": [s.target.start, s.target.end], "reference": [s.reference.start, s.reference.end],
                      "bleu": s.bleu, "chrf": s.chrf, "ter": s.ter} for s in m.segments],
    }


def alignment_to_list(result: DocumentResult, *, streamed: bool = False) -> list[dict[str, Any]] | None:
    """Links in text order as ``{"source": [start, end] | null, "target": [start, end] | null, "confidence"}``."""
    if result.alignment is None:
        return None
    from tqcheck.align import link_spans

    scored = {pair.link: pair.result for pair in result.qe_pairs}
    routes = {seg.link: seg.route for seg in result.routing.segments if seg.link is not None}

    def link_to_dict(index: int) -> dict[str, Any]:
        link = result.alignment.links[index]  # type: ignore[union-attr]
        src, tgt = link_spans(link, result.source_segments, result.segments)
        qe = scored.get(index)
        return {
            "source": [src.start, src.end] if src else None,
            "target": [tgt.start, tgt.end] if tgt else None,
            "type": f"{len(link.source)}-{len(link.target)}",
            "confidence": link.confidence,
            "qe_score": round(qe.score, 4) if qe and math.isfinite(qe.score) else None,
            "cached": qe.cached if qe else None,
            "truncated": qe.truncated if qe else None,
            "route": routes.get(index),
        }

    return converted(range(len(result.alignment.links)), link_to_dict, streamed)


def scorecard_to_dict(result: Checked) -> dict[str, Any]:
    card = result.scorecard
    return {
        "model": card.model, "apt": card.apt, "ewc": card.ewc, "ewc_basis": card.ewc_basis,
        "counted": card.counted, "counted_unit": card.counted_unit, "pwpt": card.pwpt, "npt": card.npt,
        "raw_score": card.raw_score, "calibrated_score": card.calibrated_score,
        "passing_threshold": card.passing_threshold, "acceptable_penalty_points": card.acceptable_penalty_points,
        "reference_word_count": card.reference_word_count,
    }


def gate_to_dict(result: Checked) -> dict[str, Any]:
    gate = result.gate
    return {"threshold": gate.threshold, "fail_on": gate.fail_on.value if gate.fail_on else None,
            "reasons": list(gate.reasons)}


def routing_to_dict(result: Checked, *, streamed: bool = False) -> dict[str, Any]:
    routing = result.routing
    return {
        "route": routing.route,
        "basis": routing.basis,
        "content_type": routing.content_type,
        "reasons": list(routing.reasons),
        "policy": routing.policy.as_dict(),
        "summary": routing.summary(),
        "segments": converted(routing.segments, _routed_segment_to_dict, streamed),
    }


def _routed_segment_to_dict(seg: RoutedSegment) -> dict[str, Any]:
    return {
        "target": [seg.target.start, seg.target.end] if seg.target else None,
        "source": [seg.source.start, seg.source.end] if seg.source else None,
        "link": seg.link, "route": seg.route, "basis": seg.basis, "words": seg.words,
        "qe_score": round(seg.qe_score, 4) if seg.qe_score is not None else None,
        "reasons": list(seg.reasons),
    }


_SEVERITIES_WORST_FIRST = tuple(s.value for s in reversed(Severity))


def severity_counts(issues: tuple[Issue, ...] | list[Issue]) -> dict[str, int]:
    counts = Counter(i.severity for i in issues)  # a StrEnum member is found by its value
    return {s: counts.get(s, 0) for s in _SEVERITIES_WORST_FIRST}


def _doc_ref(doc: Document | None) -> dict[str, Any] | None:
    if doc is None:
        return None
    info = doc.unit_info
    return {"path": path_text(doc.path), "lang": doc.lang, "encoding": doc.encoding, "unit": doc.unit,
            # A unit's text is not a file of its own: the report carries it as tqcheck checked it (codes as markers).
            "text": doc.text if doc.unit is not None else None,
            "line": info.line if info else None, "state": info.state if info else None,
            "state_detail": info.state_detail if info else None, "match": info.match if info else None}


def codes_to_list(doc: Document | None) -> list[dict[str, Any]]:
    """The inline codes of a text (its reader's tags and the placeholders found in it), as :func:`check` saw them."""
    if doc is None:
        return []
    return [{"start": c.span.start, "end": c.span.end, "kind": c.kind, "id": c.id, "element": c.element,
             "native": c.native} for c in doc.codes]


def document_to_dict(result: DocumentResult | FileResult, *, streamed: bool = False) -> dict[str, Any]:
    """A checked document, or a bilingual file as one document whose ``units`` hold its units. ``streamed``:
    its long lists are for :func:`dumps_pieces` alone (see :class:`Streamed`)."""
    if isinstance(result, FileResult):
        return file_to_dict(result, streamed=streamed)
    target, source = result.target, result.source
    return {
        "target": _doc_ref(result.target),
        "source": _doc_ref(result.source),
        "src_lang": result.src_lang,
        "tgt_lang": result.target.lang,
        **_judgement(result, streamed=streamed),
        "alignment": alignment_to_list(result, streamed=streamed),
        "metrics": metrics_to_dict(result),
        "issues": converted(result.issues, lambda issue: issue_to_dict(issue, target, source), streamed),
        "codes": codes_to_list(result.target),
        "source_codes": codes_to_list(result.source),
        "format": "text",
        "unit_count": None,
        "skipped": None,
        "units": None,
    }


def unit_to_dict(unit: DocumentResult, *, streamed: bool = False) -> dict[str, Any]:
    """One checked unit of a bilingual file: its texts as checked (inline codes as markers), codes, state, size,
    penalty and route. Its issues are in the file's ``issues``, each naming the unit."""
    info = unit.target.unit_info
    return {
        "id": unit.target.unit,
        "line": info.line if info else None,
        "state": info.state if info else None,
        "state_detail": info.state_detail if info else None,
        "match": info.match if info else None,
        "source": unit.source.text if unit.source is not None else None,
        "target": unit.target.text,
        "codes": codes_to_list(unit.target),
        "source_codes": codes_to_list(unit.source),
        "word_count": unit.word_count,
        "penalty": unit.penalty,
        "route": unit.route,
        "counts": severity_counts(unit.issues),
        "notes": list(unit.notes),
        "qe": _qe_to_dict(unit.qe),
        "routing": routing_to_dict(unit, streamed=streamed),
        "alignment": alignment_to_list(unit, streamed=streamed),
        "metrics": metrics_to_dict(unit),
    }


def file_to_dict(result: FileResult, *, streamed: bool = False) -> dict[str, Any]:
    """A bilingual file as one document: the file's score, gate and route, every unit's issues (offsets into
    that unit's target text, ``unit`` naming it), and the units themselves."""
    return {
        "target": _doc_ref(result.target),
        "source": None,
        "src_lang": result.src_lang,
        "tgt_lang": result.tgt_lang,
        **_judgement(result, streamed=streamed),
        "alignment": None,
        "metrics": None,
        "issues": converted(list(result.unit_issues()),
                            lambda pair: issue_to_dict(pair[1], pair[0].target, pair[0].source), streamed),
        "codes": [],
        "source_codes": [],
        "format": result.format,
        "unit_count": result.unit_count,
        "skipped": dict(result.skipped),
        "units": converted(result.units, lambda unit: unit_to_dict(unit, streamed=streamed), streamed),
    }


def _judgement(result: Checked, *, streamed: bool = False) -> dict[str, Any]:
    """Size, score, verdict, band, route and their details: the same fields for a document and a file."""
    return {
        "word_count": result.word_count,
        "word_unit": result.word_unit,
        "penalty": result.penalty,
        "score": result.score,
        "verdict": result.verdict,
        "band": result.band,
        "route": result.route,
        "scoring": scorecard_to_dict(result),
        "gate": gate_to_dict(result),
        "routing": routing_to_dict(result, streamed=streamed),
        "counts": severity_counts(result.issues),
        "notes": list(result.notes),
        "qe": _qe_to_dict(result.qe),
        "suppressed": suppressed_to_list(result),
        "baselined": sum(s.by == "baseline" for s in result.suppressed),
    }


def suppressed_to_list(result: Checked) -> list[dict[str, Any]]:
    """The findings ``[[suppress]]`` entries left out, each with the entry's number and reason (a bilingual file:
    every unit's, offsets into the unit's text). Findings the baseline holds are only counted (``baselined``):
    legacy content can have thousands."""
    units = result.units if isinstance(result, FileResult) else (result,)
    out = []
    for unit in units:
        doc = unit.target
        for s in unit.suppressed:
            if s.by != "config":
                continue
            issue = s.issue
            line, column = doc.line_col(issue.span.start)
            out.append({"unit": doc.unit, "code": issue.code, "rule": issue.rule, "severity": issue.severity.value,
                        "start": issue.span.start, "end": issue.span.end, "line": line, "column": column,
                        "text": doc.text[issue.span.start:issue.span.end], "reason": s.reason, "entry": s.entry})
    return out


def _qe_to_dict(qe: QESummary) -> dict[str, Any]:
    return {"status": qe.status, "model": qe.model, "score": qe.score, "reason": qe.reason,
            "model_license": qe.license}


def error_to_dict(error: FileError) -> dict[str, Any]:
    return {"path": path_text(error.path), "kind": error.kind, "message": error.message}


def summary(report: Report) -> dict[str, Any]:
    return summarize(report.documents, len(report.errors))


def summarize(docs: Iterable[Checked], errors: int) -> dict[str, Any]:
    """Totals of a run: documents by verdict, band and route, segments and words by route, issues by severity."""
    from tqcheck.routing import ROUTES
    from tqcheck.scoring import BANDS

    documents = passed = 0
    bands = dict.fromkeys(BANDS, 0)
    routes = dict.fromkeys(ROUTES, 0)
    segments = {r: {"segments": 0, "words": 0} for r in ROUTES}
    issues: Counter[str] = Counter()
    units = 0
    held: Counter[str] = Counter()  # findings left out, by what left them out (config, baseline)
    for doc in docs:
        documents += 1
        units += len(doc.units) if isinstance(doc, FileResult) else 0
        passed += doc.verdict == "pass"
        bands[doc.band] += 1
        routes[doc.route] += 1
        for route, totals in doc.routing.summary().items():
            segments[route]["segments"] += totals["segments"]
            segments[route]["words"] += totals["words"]
        issues.update(i.severity.value for i in doc.issues)
        held.update(s.by for s in doc.suppressed)
    return {
        "documents": documents,
        "passed": passed,
        "failed": documents - passed,
        "errors": errors,
        "units": units,
        "issues": {s.value: issues.get(s.value, 0) for s in reversed(Severity)},
        "bands": bands,
        "routes": routes,
        "segments_by_route": segments,
        "suppressed": held["config"],
        "baselined": held["baseline"],
    }


def report_header(report: Report) -> dict[str, Any]:
    """What describes the run as a whole: versions, signature, configuration and summary."""
    return {
        "schema_version": report.schema_version,
        "tool": {"name": "tqcheck", "version": report.tool_version},
        "signature": report.signature,
        "offset_unit": OFFSET_UNIT,
        "config": dict(report.config),
        "summary": summary(report),
    }


def report_to_dict(report: Report, *, streamed: bool = False) -> dict[str, Any]:
    return {
        **report_header(report),
        "documents": converted(report.documents, lambda doc: document_to_dict(doc, streamed=streamed), streamed),
        "errors": [error_to_dict(e) for e in report.errors],
    }


def render(report: Report, **options: object) -> str:
    return "".join(render_pieces(report, **options))


def render_pieces(report: Report, **_options: object) -> Iterator[str]:
    """The JSON report in pieces, for writing as it is encoded (:func:`tqcheck.reports.render_pieces`)."""
    yield from dumps_pieces(report_to_dict(report, streamed=True), indent=2)
    yield "\n"
