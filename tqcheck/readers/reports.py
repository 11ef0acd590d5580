"""tqcheck's own reports among the files of a folder: recognised by their first bytes, so that a report written
into a checked folder is never read back as an input on the next run."""

from __future__ import annotations

import os
import re
from pathlib import Path

_HEAD_BYTES = 4096
_TAIL_BYTES = 16384
_JSON_REPORT = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\{\s*"schema_version"\s*:\s*"[^"]*"\s*,\s*"tool"\s*:\s*\{\s*'
                          rb'"name"\s*:\s*"tqcheck"')
_JSONL_REPORT = re.compile(rb'\A(?:\xef\xbb\xbf)?\{\s*"type"\s*:\s*"(?:document"\s*,\s*"target"\s*:\s*\{|'
                           rb'error"\s*,\s*"path"\s*:|summary"\s*,\s*"schema_version"\s*:)')
_SARIF_REPORT = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\{\s*"\$schema"\s*:\s*"[^"]*sarif[^"]*"[\s\S]*?"driver"\s*:\s*'
                           rb'\{\s*"name"\s*:\s*"tqcheck"')
_HTML_REPORT = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*<!DOCTYPE html>[\s\S]*?<meta name="generator" content="tqcheck ',
                          re.IGNORECASE)
# The text report's last line; colour codes around it when it was written with --color.
# The signature may be wrapped to the report's width (continuation rows indented two columns): between its
# first parts any whitespace and colour codes.
_GAP = rb"(?:\s|\x1b\[[0-9;]*m)*"
_TEXT_REPORT = re.compile(rb"(?:\A|\n)(?:\x1b\[[0-9;]*m)*signature:" + _GAP + rb"tqcheck:[^\s|]+\|" + _GAP
                          + rb"rules:[^\n]*(?:\n  (?:\x1b\[[0-9;]*m)*\S[^\n]*)*" + _GAP + rb"\Z")


def is_report_file(path: Path | str) -> bool:
    """Whether ``path`` is a report tqcheck wrote (JSON, JSON Lines, SARIF, HTML or text), by its first bytes
    (the text report: by its last line, the run signature); reads at most 20 KB, never raises."""
    try:
        # Non-blocking: a FIFO given by mistake must not hang the walk (a regular file reads as usual).
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            head = handle.read(_HEAD_BYTES)
            if any(p.match(head) for p in (_JSON_REPORT, _JSONL_REPORT, _SARIF_REPORT, _HTML_REPORT)):
                return True
            size = os.fstat(handle.fileno()).st_size
            if size > _TAIL_BYTES:
                handle.seek(size - _TAIL_BYTES)
                tail = handle.read()
            else:
                tail = head + handle.read()
    except (OSError, ValueError):
        return False
    # The literal first: the pattern's search tries every position of up to 16 KB, 36 µs a file in a folder walk.
    return b"signature:" in tail and _TEXT_REPORT.search(tail) is not None


__all__ = ["is_report_file"]
