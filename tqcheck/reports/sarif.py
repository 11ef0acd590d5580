"""SARIF 2.1.0 report for code-scanning dashboards (GitHub code scanning and other SARIF viewers).

One run; ``tool.driver.rules`` lists the whole registry; one result per issue. Regions count columns and
characters in Unicode code points (``run.columnKind``), as every tqcheck offset does, and give the same
line, column and offsets as the JSON report. ``partialFingerprints`` hash the rule, the unit, the span text
and a little context on its own line, never line numbers, so an alert survives edits elsewhere in the file
(:mod:`tqcheck.fingerprint`; the baseline records the same). A finding a ``[[suppress]]`` entry covers is a
result with an external suppression (its justification the entry's reason); with ``--baseline``, the findings
the baseline holds are left out and every other result has ``baselineState`` "new".

A bilingual file (XLIFF, SDLXLIFF, MQXLIFF, MXLIFF, TXLF, TMX, PO, JSONL, TSV) is one artifact and one entry
of ``run.properties.documents``; each issue of each of its units is a result located in the file:

* ``region`` is where the reader says the span stands in the file (the JSON report's ``file_line`` and
  ``file_column``): line and column for the XML formats, only ``startLine``/``endLine`` (the unit's line) for
  JSONL, TSV and PO, whose escapes leave the column open, and no region where the file records no line.
  Regions of units carry no ``charOffset`` (an offset into the file is not known) and a ``snippet`` only where
  the file holds the span's text as is.
* ``logicalLocations`` names the unit: ``name`` its id, ``fullyQualifiedName`` ``<artifact uri>#<unit id>``,
  ``kind`` "element". ``properties.unitRegion`` is the region in the unit's text (as the text report shows it).
* A related location for the source span names the file and the unit, with the source text in its message:
  a unit's source has no recorded file position, so there is no physical region.
* ``fixes`` only where the file writes the replaced span exactly as the text has it (one literal run of an XML
  format, no tag marker, no entity, no line break), with the replacement XML-escaped; none for JSONL, TSV, PO.

Artifact URIs percent-encode a file name's bytes (a name that is not UTF-8 stays exact); messages show it with
:func:`tqcheck.display.path_text`; lone surrogates are written as JSON escapes (:func:`tqcheck.reports.json.dumps`).
"""

from __future__ import annotations

import bisect
import codecs
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from tqcheck.display import path_bytes, path_text
from tqcheck.fingerprint import FINGERPRINT_KEY, numbered
from tqcheck.qe.models import license_of
from tqcheck.reports.json import converted, dumps_pieces, gate_to_dict, scorecard_to_dict, severity_counts, summary
from tqcheck.rules import REGISTRY, Rule
from tqcheck.types import (
    Document,
    DocumentResult,
    FileError,
    FileResult,
    InlineCode,
    Issue,
    Report,
    Severity,
    Span,
    Suppressed,
)
from tqcheck.wording import quote as quoted

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/tqcheck/tqcheck"
SRCROOT = "SRCROOT"

# Bilingual formats read as XML: their readers record exact columns, and a fix's text must be XML-escaped.
XML_FORMATS = frozenset({"xliff-1.2", "xliff-2", "sdlxliff", "mqxliff", "mxliff", "txlf", "tmx"})

LEVELS = {Severity.CRITICAL: "error", Severity.MAJOR: "error", Severity.MINOR: "warning", Severity.INFO: "note"}


def level(severity: Severity) -> str:
    return LEVELS[severity]


# --- rules ---------------------------------------------------------------------------------------------------


def _fence(text: str) -> str:
    """A backtick fence longer than any backtick run in ``text`` (CommonMark)."""
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def _example_parts(example: str) -> tuple[str | None, str]:
    """A docstring example is ``target`` or ``source => target``."""
    source, sep, target = example.rpartition(" => ")
    return (source if sep else None), target


def _help(r: Rule) -> tuple[str, str]:
    """Plain-text and Markdown help: summary, why, and the Bad/Good examples."""
    src_lang, tgt_lang = r.example_pair
    why = " ".join(r.field("Why"))
    text_lines = [r.info.summary, ""]
    md_lines = [r.info.summary, ""]
    if why:
        text_lines += [f"Why: {why}", ""]
        md_lines += [f"**Why:** {why}", ""]
    for label in ("Bad", "Good"):
        for example in r.field(label):
            source, target = _example_parts(example)
            text_lines.append(f"{label} ({src_lang}→{tgt_lang}):")
            md_lines.append(f"**{label}** ({src_lang}→{tgt_lang}):")
            md_lines.append("")
            if source is not None:
                text_lines.append(f"  source: {source}")
                fence = _fence(source)
                md_lines += [f"{fence}text", source, fence, ""]
            text_lines.append(f"  {'target: ' if source is not None else ''}{target}")
            fence = _fence(target)
            md_lines += [f"{fence}text", target, fence, ""]
    options = r.field("Options")
    if options:
        text_lines.append(f"Options: {' '.join(options)}")
        md_lines.append(f"**Options:** {' '.join(options)}")
    return "\n".join(text_lines).strip(), "\n".join(md_lines).strip()


def rule_descriptor(r: Rule) -> dict[str, Any]:
    info = r.info
    text, markdown = _help(r)
    why = " ".join(r.field("Why"))
    why = why[:1].upper() + why[1:] if why else info.summary
    dimension = info.category.value.split("/")[0]
    return {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": why},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": level(info.severity)},
        "properties": {
            "category": info.category.value,
            "severity": info.severity.value,
            "needsSource": info.needs_source,
            "tags": ["translation-quality", dimension, info.category.value],
        },
    }


# --- locations -----------------------------------------------------------------------------------------------


def artifact_location(path: Path | None, cwd: Path) -> dict[str, Any]:
    """A relative path from the run's folder (``SRCROOT``), or an absolute ``file:`` URI outside it.

    The URI percent-encodes the name's bytes as the file system has them (:func:`tqcheck.display.path_bytes`), so
    a name that is not UTF-8 (``caf\\xe9.txt`` in Latin-1) is exact and valid: ``caf%E9.txt``.
    """
    if path is None:
        return {"description": {"text": "text given to the library, not read from a file"}}
    if path.is_absolute():
        try:
            path = path.relative_to(cwd)
        except ValueError:
            try:
                return {"uri": path.as_uri()}  # percent-encodes os.fsencode(path)
            except UnicodeEncodeError:  # a surrogate that no file name has: built in Python
                return {"uri": "file://" + quote(path_bytes(path.as_posix()), safe="/")}
    return {"uri": quote(path_bytes(PurePosixPath(*path.parts).as_posix()), safe="/"), "uriBaseId": SRCROOT}


def region(doc: Document, span: Span) -> dict[str, Any]:
    """Lines and columns 1-based, columns and offsets in code points, end column exclusive (as in the JSON)."""
    line, column = doc.line_col(span.start)
    end_line, end_column = doc.line_col(span.end)
    return {
        "startLine": line,
        "startColumn": column,
        "endLine": end_line,
        "endColumn": end_column,
        "charOffset": span.start,
        "charLength": span.end - span.start,
        "snippet": {"text": doc.text[span.start:span.end]},
    }


def _is_marker(code: InlineCode) -> bool:
    """A tag written into a unit's text as a marker (``<1>``): its text is not what the file holds there.
    A placeholder (``%s``) is the file's own text."""
    return code.kind != "placeholder"


def _literal_run(doc: Document, index: int) -> bool:
    """Whether anchor ``index`` starts a run that the file writes character for character: not a tag marker,
    and not an entity or character reference (``&amp;``, ``&#10;``: one character of text, more in the file).

    Each anchor is one piece of character data of the XML parser: a run of two characters or more is raw text
    (a reference expands to one character); a one-character run is raw only where the next anchor stands on
    the same line one column further."""
    positions = doc.unit_info.positions if doc.unit_info is not None else ()
    at, line, column = positions[index]
    following = positions[index + 1] if index + 1 < len(positions) else None
    end = following[0] if following is not None else len(doc.text)
    if end <= at or any(_is_marker(c) and c.span.start <= at < c.span.end for c in doc.codes):
        return False
    if following is not None and following[1] == line:
        return following[2] - column >= end - at if end - at > 1 else following[2] == column + 1
    return end - at > 1


def _exact(doc: Document, span: Span) -> tuple[int, int, int, str] | None:
    """:func:`exact_columns`, with the text of the run (or, for an empty span at an anchor, the two runs) the
    span stands in."""
    info = doc.unit_info
    positions = info.positions if info is not None else ()
    if doc.unit is None or not positions or span.start < positions[0][0]:
        return None
    start, end, text = span.start, span.end, doc.text
    if any(_is_marker(c) and c.span.start < end and start < c.span.end for c in doc.codes):
        return None  # over a tag marker (an empty span: inside one)
    if any(ch in "\r\n" for ch in text[start:end]):
        return None  # a line break: the file may write it as CR LF, or as a reference
    offsets = [at for at, _line, _column in positions]
    index = bisect.bisect_right(offsets, start) - 1
    at, line, column = positions[index]
    run_end = offsets[index + 1] if index + 1 < len(offsets) else len(text)
    if start == end and at == start:
        # Where a run begins, its anchor says the column, whatever the run is; the raw text on both sides.
        sides = [i for i in (index - 1, index) if i >= 0 and _literal_run(doc, i)]
        raw = "".join(text[offsets[i]:offsets[i + 1] if i + 1 < len(offsets) else len(text)] for i in sides)
        return line, column, column, raw
    if end > run_end or not _literal_run(doc, index):
        return None
    return line, column + start - at, column + end - at, text[at:run_end]


def exact_columns(doc: Document, span: Span) -> tuple[int, int, int] | None:
    """``(file line, start column, end column)`` of a unit's ``span`` where the file writes the span exactly as
    the text has it, on one line: inside one literal run of text (see :func:`_literal_run`), over no tag marker
    and no line break; ``None`` elsewhere (a span over a tag or an entity, a reader that records no columns).

    An empty span stands exactly at any anchor (where the next run begins) and inside or at the end of a
    literal run."""
    exact = _exact(doc, span)
    return exact[:3] if exact is not None else None


def file_region(doc: Document, span: Span) -> dict[str, Any] | None:
    """Where a unit's ``span`` stands in its bilingual file, as the reader recorded it (the JSON report's
    ``file_line``/``file_column``): lines and columns where the file says them exactly (XML formats), only the
    lines where it gives the unit's line alone (JSONL, TSV, PO), ``None`` where it records no line.

    Where the file holds the span's text as is (:func:`exact_columns`) the region has it as its snippet, and
    ends right after it, even where something the text leaves out follows (a CDATA end, a dropped element),
    which the JSON's ``file_end_column`` (the next run's start) would include."""
    line, column = doc.file_position(span.start)
    if line is None:
        return None
    exact = exact_columns(doc, span) if column is not None else None
    if exact is not None and exact[:2] == (line, column):
        return {"startLine": line, "startColumn": column, "endLine": line, "endColumn": exact[2],
                "snippet": {"text": doc.text[span.start:span.end]}}
    end_line, end_column = doc.file_position(span.end, end=span.end > span.start)
    out: dict[str, Any] = {"startLine": line}
    if column is not None and end_line is not None and end_column is not None:
        out.update({"startColumn": column, "endLine": end_line, "endColumn": end_column})
    elif end_line is not None:
        out["endLine"] = end_line
    return out


def logical_location(unit: str, artifact: dict[str, Any]) -> dict[str, Any]:
    """A unit of a bilingual file: its id, qualified by the file's URI (``<uri>#<unit id>``)."""
    uri = artifact.get("uri")
    return {"name": unit, "fullyQualifiedName": f"{uri}#{unit}" if uri else unit, "kind": "element"}


def _location(doc: Document, span: Span, cwd: Path, path: Path | None = None) -> dict[str, Any]:
    """A text file: its region. A unit of a bilingual file (``path``): the file, its file region where known,
    and the unit as a logical location."""
    artifact = artifact_location(path or doc.path, cwd)
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if doc.unit is None:
        physical["region"] = region(doc, span)
        return {"physicalLocation": physical}
    where = file_region(doc, span)
    if where is not None:
        physical["region"] = where
    return {"physicalLocation": physical, "logicalLocations": [logical_location(doc.unit, artifact)]}


def _source_location(source: Document, span: Span, cwd: Path, path: Path | None, unit: str | None) -> dict[str, Any]:
    """The source text an issue compares with. A unit's source has no recorded file position: the file and the
    unit, its text in the message and its unit-relative region in the properties, no physical region."""
    text = source.text[span.start:span.end]
    if unit is None:
        location = _location(source, span, cwd)
    else:
        artifact = artifact_location(path or source.path, cwd)
        location = {"physicalLocation": {"artifactLocation": artifact},
                    "logicalLocations": [logical_location(unit, artifact)],
                    "properties": {"unitRegion": region(source, span)}}
    return {"id": 1, **location, "message": {"text": f"source: {text}"}}


# --- results -------------------------------------------------------------------------------------------------


def _message(issue: Issue) -> str:
    """The message, then what to do: the advice, or (where there is none) the drop-in replacements."""
    if issue.suggestion:
        return f"{issue.message} Suggestion: {issue.suggestion}"
    if issue.replacements:
        return f"{issue.message} Replace with {_replacement_text(issue.replacements)}."
    return issue.message


def _replacement_text(replacements: tuple[str, ...]) -> str:
    return " or ".join(quoted(r) if r else "nothing (delete the marked text)" for r in replacements)


def _xml_char_ok(ch: str) -> bool:
    cp = ord(ch)
    return cp in (0x9, 0xA, 0xD) or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or 0x10000 <= cp <= 0x10FFFF


def xml_text(text: str, encoding: str = "utf-8") -> str | None:
    """``text`` as XML character data in a file of ``encoding``: ``&``, ``<``, ``>`` escaped, a carriage return
    as ``&#13;`` (a parser would read a raw one as a line feed), a character the encoding cannot write as a
    character reference; ``None`` for a character XML 1.0 cannot hold at all."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "utf-8"
    out = []
    for ch in text:
        if not _xml_char_ok(ch):
            return None
        if ch in _XML_ESCAPES:
            out.append(_XML_ESCAPES[ch])
            continue
        try:
            ch.encode(encoding)
        except UnicodeEncodeError:
            out.append(f"&#x{ord(ch):X};")
        else:
            out.append(ch)
    return "".join(out)


_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}


def _fix_description(old: str, replacement: str) -> str:
    return f"Replace {quoted(old)} with {quoted(replacement)}." if replacement else f"Delete {quoted(old)}."


def _fix(description: str, location: dict[str, Any], deleted: dict[str, Any], inserted: str) -> dict[str, Any]:
    return {
        "description": {"text": description},
        "artifactChanges": [{
            "artifactLocation": location,
            "replacements": [{"deletedRegion": deleted, "insertedContent": {"text": inserted}}],
        }],
    }


def _fixes(doc: Document, issue: Issue, cwd: Path, *, path: Path | None = None, fmt: str | None = None,
           encoding: str = "utf-8") -> list[dict[str, Any]]:
    """One fix per replacement. A text file: the span's region. A unit of a bilingual file of an XML format
    (``fmt``): only where the file writes the span exactly as the text has it (:func:`exact_columns`), the
    replacement XML-escaped. Other units (JSONL, TSV, PO: no exact column; an unknown format): none."""
    if not issue.replacements:
        return []
    old = doc.text[issue.span.start:issue.span.end]
    if doc.unit is None:
        location = artifact_location(doc.path, cwd)
        deleted = {k: v for k, v in region(doc, issue.span).items() if k != "snippet"}
        return [_fix(_fix_description(old, replacement), location, deleted, replacement)
                for replacement in issue.replacements]
    if fmt not in XML_FORMATS:
        return []
    exact = _exact(doc, issue.span)
    if exact is None:
        return []
    line, start, end, run = exact
    # CDATA content is raw text: a run holding a raw "&" or "<" is CDATA, where an escape would be read as is.
    cdata = any(ch in "&<" for ch in run)
    location = artifact_location(path or doc.path, cwd)
    deleted = {"startLine": line, "startColumn": start, "endLine": line, "endColumn": end}
    fixes = []
    for replacement in issue.replacements:
        inserted = xml_text(replacement, encoding)
        if inserted is None or (cdata and inserted != replacement):
            continue
        fixes.append(_fix(_fix_description(old, replacement), location, deleted, inserted))
    return fixes


def _pairs(result: DocumentResult | FileResult) -> Iterator[tuple[DocumentResult, Issue, str, Suppressed | None]]:
    """Every finding of a document (of each unit of a bilingual file, in unit order) in text order, suppressed
    ones included, with its fingerprint (numbered over them all, as the baseline numbers them) and what left it
    out of the issues, if anything."""
    for unit in result.units if isinstance(result, FileResult) else (result,):
        held = {id(s.issue): s for s in unit.suppressed}
        everything = sorted([*unit.issues, *(s.issue for s in unit.suppressed)], key=lambda i: i.sort_key)
        for issue, print_ in zip(everything, numbered(unit.target, everything), strict=True):
            yield unit, issue, print_, held.get(id(issue))


# A finding as SARIF gets it: the unit (or document) it is in, the issue, its fingerprint, what suppressed it (or
# None), and the file's path, format and encoding.
_Finding = tuple[DocumentResult, Issue, str, Suppressed | None, Path | None, str | None, str]


def _findings(result: DocumentResult | FileResult) -> list[_Finding]:
    """What becomes a result, in order: every finding but those the baseline holds."""
    if isinstance(result, FileResult):
        path, fmt, encoding = result.path, result.format, result.encoding
    else:
        path, fmt, encoding = result.target.path, None, result.target.encoding
    return [(unit, issue, print_, held, path, fmt, encoding) for unit, issue, print_, held in _pairs(result)
            if held is None or held.by != "baseline"]


def _result_object(finding: _Finding, rule_index: dict[str, int], cwd: Path, baseline: bool) -> dict[str, Any]:
    """The result of one finding (:func:`_findings`: of a document, or of every unit of a bilingual file, in unit
    order). A finding a ``[[suppress]]`` entry covers is a result too, with an external ``suppressions`` entry whose
    justification is the entry's reason (SARIF viewers hide suppressed results); one the baseline holds is no
    result at all. With a ``baseline``, every other result has ``baselineState`` "new"."""
    unit, issue, print_, held, path, fmt, encoding = finding
    doc, source = unit.target, unit.source
    item: dict[str, Any] = {"ruleId": issue.code}
    if issue.code in rule_index:
        item["ruleIndex"] = rule_index[issue.code]
    item.update({
        "level": level(issue.severity),
        "message": {"text": _message(issue)},
        "locations": [_location(doc, issue.span, cwd, path)],
        "partialFingerprints": {FINGERPRINT_KEY: print_},
    })
    if held is not None:
        item["suppressions"] = [{"kind": "external", "status": "accepted", "justification": held.reason or "",
                                 "properties": {"entry": held.entry}}]
    elif baseline:
        item["baselineState"] = "new"
    if issue.source_span is not None and source is not None:
        item["relatedLocations"] = [_source_location(source, issue.source_span, cwd, path, doc.unit)]
    fixes = _fixes(doc, issue, cwd, path=path, fmt=fmt, encoding=encoding)
    if fixes:
        item["fixes"] = fixes
    properties: dict[str, Any] = {
        "rule": issue.rule,
        "category": issue.category.value,
        "severity": issue.severity.value,
        "origin": issue.origin,
        "confidence": issue.confidence,
        "route": unit.routing.route_at(issue.span),
    }
    if issue.suggestion:
        properties["suggestion"] = issue.suggestion
    if doc.unit is not None:
        properties["unit"] = doc.unit
        properties["unitRegion"] = region(doc, issue.span)
        info = doc.unit_info
        if info is not None:
            properties["unitLine"] = info.line
            properties["unitState"] = info.state
            properties["unitMatch"] = info.match
    item["properties"] = properties
    return item


def _artifacts(report: Report, cwd: Path) -> list[dict[str, Any]]:
    """One artifact per file checked, with its encoding (offsets count code points of the decoded text); a
    bilingual file is one artifact, its format and target language in the properties."""
    artifacts: dict[str, dict[str, Any]] = {}
    for result in report.documents:
        if isinstance(result, FileResult):
            location = artifact_location(result.path, cwd)
            key = location.get("uri", "")
            if key not in artifacts:
                properties: dict[str, Any] = {"format": result.format}
                if result.tgt_lang:
                    properties["lang"] = result.tgt_lang
                artifacts[key] = {"location": location, "encoding": result.encoding, "roles": ["analysisTarget"],
                                  "properties": properties}
            continue
        for doc, role in ((result.target, "target"), (result.source, "source")):
            if doc is None or doc.path is None:
                continue
            location = artifact_location(doc.path, cwd)
            key = location.get("uri", "")
            if key not in artifacts:
                artifact: dict[str, Any] = {"location": location, "encoding": doc.encoding}
                if role == "target":
                    artifact["roles"] = ["analysisTarget"]
                if doc.lang:
                    artifact["properties"] = {"lang": doc.lang}
                artifacts[key] = artifact
    return list(artifacts.values())


def _document(d: DocumentResult | FileResult, cwd: Path) -> dict[str, Any]:
    """The run-properties entry of a document or a bilingual file: its size, score, verdict, band and route."""
    if isinstance(d, FileResult):
        head: dict[str, Any] = {
            "location": artifact_location(d.path, cwd), "unit": None, "format": d.format,
            "unit_count": d.unit_count, "units_checked": len(d.units), "skipped": dict(d.skipped),
            "src_lang": d.src_lang, "tgt_lang": d.tgt_lang,
        }
    else:
        head = {
            "location": artifact_location(d.target.path, cwd), "unit": d.target.unit, "format": "text",
            "unit_count": None, "units_checked": None, "skipped": None,
            "src_lang": d.src_lang, "tgt_lang": d.target.lang,
        }
    return {
        **head,
        "word_count": d.word_count,
        "word_unit": d.word_unit,
        "penalty": d.penalty,
        "score": d.score,
        "verdict": d.verdict,
        "band": d.band,
        "route": d.route,
        "scoring": scorecard_to_dict(d),
        "gate": gate_to_dict(d),
        "routing": {"route": d.routing.route, "basis": d.routing.basis, "content_type": d.routing.content_type,
                    "reasons": list(d.routing.reasons), "summary": d.routing.summary()},
        "issues": severity_counts(d.issues),
    }


def _documents(report: Report, cwd: Path) -> list[dict[str, Any]]:
    """Per-document score, verdict, band and route (SARIF has no place for them; dashboards read run.properties).

    A bilingual file is one entry (``unit`` null) with its ``format``, ``unit_count`` (units in the file),
    ``units_checked`` and ``skipped`` (by reason); a text file has ``format`` "text" and nulls there.
    ``scoring`` and ``gate`` are the JSON report's objects; ``routing`` is its routing without the segments
    (results carry their segment's route), so the run properties stay small; ``issues`` counts by severity.
    """
    return [_document(d, cwd) for d in report.documents]


def _qe_run(report: Report) -> dict[str, Any] | None:
    """The QE model of the run and its licence (``model_license``: SPDX id or "unknown"); None without QE."""
    qe = report.config.get("qe")
    if not isinstance(qe, dict):
        return None
    model = str(qe["model"])
    return {"model": model, "model_license": license_of(model).id}


def _notification(error: FileError, cwd: Path) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": f"{path_text(error.path)}: {error.message}"},
        "descriptor": {"id": error.kind},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(Path(error.path), cwd)}}],
    }


def report_to_sarif(report: Report, *, cwd: Path | None = None, streamed: bool = False) -> dict[str, Any]:
    """The SARIF log of ``report``; ``streamed``: its results are for :func:`dumps_pieces` alone, each made as it
    is written (:class:`tqcheck.reports.json.Streamed`)."""
    cwd = (cwd or Path.cwd()).resolve()
    rules = [rule_descriptor(r) for r in REGISTRY.values()]
    rule_index = {r["id"]: i for i, r in enumerate(rules)}
    baseline = report.config.get("baseline") is not None
    findings = [finding for d in report.documents for finding in _findings(d)]
    results = converted(findings, lambda finding: _result_object(finding, rule_index, cwd, baseline), streamed)
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "tqcheck",
            "version": report.tool_version,
            "semanticVersion": report.tool_version,
            "informationUri": INFORMATION_URI,
            "rules": rules,
        }},
        "invocations": [{
            "executionSuccessful": not report.errors,
            "toolExecutionNotifications": [_notification(e, cwd) for e in report.errors],
        }],
        "originalUriBaseIds": {SRCROOT: {"uri": cwd.as_uri().rstrip("/") + "/"}},
        "artifacts": _artifacts(report, cwd),
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "signature": report.signature,
            "schemaVersion": report.schema_version,
            "summary": summary(report),
            "documents": _documents(report, cwd),
            "qe": _qe_run(report),
        },
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, **options: object) -> str:
    return "".join(render_pieces(report, **options))


def render_pieces(report: Report, **_options: object) -> Iterator[str]:
    """The SARIF log in pieces, for writing as it is encoded (:func:`tqcheck.reports.render_pieces`)."""
    yield from dumps_pieces(report_to_sarif(report, streamed=True), indent=2)
    yield "\n"
