"""Report renderers: one module each, imported only when its format is asked for.

A renderer is ``render(report, *, color=False, sort="severity") -> str``. A new format is one module and
one entry in ``FORMATS``.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from tqcheck.errors import ConfigError
from tqcheck.types import Report

FORMATS: dict[str, str] = {
    "text": "tqcheck.reports.text:render",
    "json": "tqcheck.reports.json:render",
    "jsonl": "tqcheck.reports.jsonl:render",
    "sarif": "tqcheck.reports.sarif:render",
    "html": "tqcheck.reports.html:render",
}


def renderer(fmt: str) -> Callable[..., str]:
    try:
        module_name, func = FORMATS[fmt].split(":")
    except KeyError:
        raise ConfigError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}") from None
    return getattr(importlib.import_module(module_name), func)


def render(report: Report, fmt: str = "text", **options: object) -> str:
    """Render ``report`` in ``fmt`` (text, json)."""
    return renderer(fmt)(report, **options)


def write_atomic(path: Path, content: str | Iterable[str]) -> None:
    """Write ``content`` (a string, or pieces as they are produced) to ``path`` via a temporary file in the same
    folder, so readers never see half a report."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            for piece in [content] if isinstance(content, str) else content:
                handle.write(piece)
        # mkstemp creates 0600; a report is an ordinary file: the usual permissions under the user's umask.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
