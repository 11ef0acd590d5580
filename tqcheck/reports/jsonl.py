"""JSONL report: one line per document as soon as it is checked (a bilingual file is one document, its units
inside), one per file error, a closing summary line.

Each line is a JSON object told apart by ``type`` (schema ``$defs``: ``jsonl_document``, ``jsonl_error``,
``jsonl_summary``). Document and error lines carry exactly the fields of the JSON report's ``documents[i]`` and
``errors[i]``. The summary comes last because the run signature depends on every document (packs, language
pairs): a stream without a summary line was cut short.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from tqcheck.reports.json import document_to_dict, dumps, error_to_dict, report_header
from tqcheck.types import DocumentResult, FileError, FileResult, Report

Result = DocumentResult | FileResult | FileError


def _line(obj: dict[str, Any]) -> str:
    return dumps(obj) + "\n"


def document_line(result: DocumentResult | FileResult) -> str:
    return _line({"type": "document", **document_to_dict(result)})


def error_line(error: FileError) -> str:
    return _line({"type": "error", **error_to_dict(error)})


def summary_line(report: Report) -> str:
    return _line({"type": "summary", **report_header(report)})


def stream(results: Iterable[Result], report_header: Callable[[Sequence[Result]], Report]) -> Iterator[str]:
    """Yield one newline-terminated JSON line per result as soon as ``results`` yields it, then the summary line.

    Args:
        results: documents and file errors, e.g. :func:`tqcheck.batch.iter_results` (consumed lazily).
        report_header: builds the report from every result once they are all in, e.g.
            ``lambda done: build_report(done, config)``; its schema version, tool version, signature, config
            and summary make the last line. Keep the report it returns to decide the exit status.
    """
    return stream_prerendered(map(prerender, results), report_header)


def stream_prerendered(rendered: Iterable[tuple[Result, str]],
                       report_header: Callable[[Sequence[Result]], Report]) -> Iterator[str]:
    """:func:`stream` of results already rendered by :func:`prerender` (as the worker processes of
    :func:`tqcheck.batch.iter_prerendered` render them)."""
    done: list[Result] = []
    for light, line in rendered:
        yield line
        done.append(light)
    yield summary_line(report_header(done))


def prerender(result: Result) -> tuple[Result, str]:
    """A result's line, and what the summary line needs of it (:func:`_light`). A worker process that renders its
    own results sends back these two instead of the whole result: the parent then only writes lines, and with
    ``--jobs 2`` it no longer takes a share of the two cores for encoding and unpickling."""
    line = error_line(result) if isinstance(result, FileError) else document_line(result)
    return _light(result), line


def _light(result: Result) -> Result:
    """What the summary line needs of a result (verdict, issues, languages, packs): not its texts, segments
    or alignment, so that a batch of any size streams in flat memory."""
    if isinstance(result, FileResult):
        return replace(result, units=tuple(_light(unit) for unit in result.units))  # type: ignore[misc]
    if not isinstance(result, DocumentResult):
        return result
    target = replace(result.target, text="")
    return replace(result, target=target, source=None, segments=(), alignment=None, qe_pairs=(),
                   source_segments=(), metrics=None, routing=replace(result.routing, segments=()))


def render(report: Report, **_options: object) -> str:
    """The whole JSONL report at once (the registry path): the same lines :func:`stream` writes."""
    return "".join(stream(report.results, lambda _done: report))
