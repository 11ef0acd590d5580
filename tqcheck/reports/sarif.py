"""SARIF 2.1.0 report for code-scanning dashboards (GitHub code scanning and other SARIF viewers).

One run; ``tool.driver.rules`` lists the whole registry; one result per issue. Regions count columns and
characters in Unicode code points (``run.columnKind``), as every tqcheck offset does, and give the same
line, column and offsets as the JSON report. ``partialFingerprints`` hash the rule, the span text and a
little context on its own line, never line numbers, so an alert survives edits elsewhere in the file.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from tqcheck.reports.json import gate_to_dict, scorecard_to_dict, summary
from tqcheck.rules import REGISTRY, Rule
from tqcheck.types import Document, DocumentResult, FileError, Issue, Report, Severity, Span

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/tqcheck/tqcheck"
SRCROOT = "SRCROOT"
FINGERPRINT_KEY = "tqcheckSpan/v1"
# Code points of context on each side of a span that go into its fingerprint (kept to the span's own lines).
FINGERPRINT_CONTEXT = 16

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
    """A relative path from the run's folder (``SRCROOT``), or an absolute ``file:`` URI outside it."""
    if path is None:
        return {"description": {"text": "text given to the library, not read from a file"}}
    if path.is_absolute():
        try:
            path = path.relative_to(cwd)
        except ValueError:
            return {"uri": path.as_uri()}
    return {"uri": quote(PurePosixPath(*path.parts).as_posix(), safe="/"), "uriBaseId": SRCROOT}


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


def _physical(doc: Document, span: Span, cwd: Path) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_location(doc.path, cwd)}
    # A bilingual unit's offsets point into the unit's text, not into the file: a region would point at the
    # wrong line of the XLIFF/TMX/JSONL file. The unit id (logicalLocations) and unitRegion say where it is.
    if doc.unit is None:
        physical["region"] = region(doc, span)
    return physical


def _location(doc: Document, span: Span, cwd: Path) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": _physical(doc, span, cwd)}
    if doc.unit is not None:
        location["logicalLocations"] = [{"name": doc.unit, "fullyQualifiedName": doc.unit,
                                         "kind": "translationUnit"}]
    return location


# --- results -------------------------------------------------------------------------------------------------


def fingerprint(doc: Document, issue: Issue) -> str:
    """sha256 of code, unit, span text and up to 16 code points either side on the span's own lines."""
    text, span = doc.text, issue.span
    first_line = doc.line_span(span.start)
    last_line = doc.line_span(span.end)
    before = text[max(first_line.start, span.start - FINGERPRINT_CONTEXT):span.start]
    after = text[span.end:min(max(last_line.end, span.end), span.end + FINGERPRINT_CONTEXT)]
    key = "\x1f".join((issue.code, doc.unit or "", before, text[span.start:span.end], after))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _message(issue: Issue) -> str:
    return f"{issue.message} Suggestion: {issue.suggestion}" if issue.suggestion else issue.message


def _fixes(doc: Document, issue: Issue, cwd: Path) -> list[dict[str, Any]]:
    if not issue.replacements or doc.unit is not None:
        return []
    location = artifact_location(doc.path, cwd)
    deleted = {k: v for k, v in region(doc, issue.span).items() if k != "snippet"}
    return [{
        "description": {"text": f"Replace {doc.text[issue.span.start:issue.span.end]!r} with {replacement!r}."},
        "artifactChanges": [{
            "artifactLocation": location,
            "replacements": [{"deletedRegion": deleted, "insertedContent": {"text": replacement}}],
        }],
    } for replacement in issue.replacements]


def result_objects(result: DocumentResult, rule_index: dict[str, int], cwd: Path) -> list[dict[str, Any]]:
    doc, source = result.target, result.source
    seen: Counter[str] = Counter()
    out = []
    for issue in result.issues:
        digest = fingerprint(doc, issue)
        seen[digest] += 1
        item: dict[str, Any] = {"ruleId": issue.code}
        if issue.code in rule_index:
            item["ruleIndex"] = rule_index[issue.code]
        item.update({
            "level": level(issue.severity),
            "message": {"text": _message(issue)},
            "locations": [_location(doc, issue.span, cwd)],
            "partialFingerprints": {FINGERPRINT_KEY: f"{digest}:{seen[digest]}"},
        })
        if issue.source_span is not None and source is not None:
            related = _location(source, issue.source_span, cwd)
            related["id"] = 1
            related["message"] = {"text": f"source: {source.text[issue.source_span.start:issue.source_span.end]}"}
            item["relatedLocations"] = [related]
        fixes = _fixes(doc, issue, cwd)
        if fixes:
            item["fixes"] = fixes
        properties: dict[str, Any] = {
            "rule": issue.rule,
            "category": issue.category.value,
            "severity": issue.severity.value,
            "origin": issue.origin,
            "confidence": issue.confidence,
            "route": result.routing.route_at(issue.span),
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
        out.append(item)
    return out


def _artifacts(report: Report, cwd: Path) -> list[dict[str, Any]]:
    """One artifact per file checked, with its encoding (offsets count code points of the decoded text)."""
    artifacts: dict[str, dict[str, Any]] = {}
    for result in report.documents:
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


def _documents(report: Report, cwd: Path) -> list[dict[str, Any]]:
    """Per-document score, verdict, band and route (SARIF has no place for them; dashboards read run.properties).

    ``scoring`` and ``gate`` are the JSON report's objects; ``routing`` is its routing without the segments
    (results carry their segment's route), so the run properties stay small.
    """
    return [{
        "location": artifact_location(d.target.path, cwd),
        "unit": d.target.unit,
        "src_lang": d.src_lang,
        "tgt_lang": d.target.lang,
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
    } for d in report.documents]


def _notification(error: FileError, cwd: Path) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": f"{error.path}: {error.message}"},
        "descriptor": {"id": error.kind},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(Path(error.path), cwd)}}],
    }


def report_to_sarif(report: Report, *, cwd: Path | None = None) -> dict[str, Any]:
    cwd = (cwd or Path.cwd()).resolve()
    rules = [rule_descriptor(r) for r in REGISTRY.values()]
    rule_index = {r["id"]: i for i, r in enumerate(rules)}
    results = [item for d in report.documents for item in result_objects(d, rule_index, cwd)]
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
        },
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, **_options: object) -> str:
    return json.dumps(report_to_sarif(report), ensure_ascii=False, indent=2) + "\n"
