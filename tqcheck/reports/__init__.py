"""Report renderers: one module each, imported only when its format is asked for.

A renderer is ``render(report, *, color=False, sort="severity") -> str``. A new format is one module and
one entry in ``FORMATS``.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator
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


def render_pieces(report: Report, fmt: str = "text", **options: object) -> Iterable[str]:
    """:func:`render` in pieces, for a writer that takes them as they come: the formats whose reports grow with
    the text (JSON, SARIF) are encoded piece by piece, so the whole report never sits in memory as one string."""
    whole = renderer(fmt)  # an unknown format is an error here, as in render
    pieces = getattr(importlib.import_module(whole.__module__), "render_pieces", None)
    return pieces(report, **options) if pieces is not None else [whole(report, **options)]


def write_atomic(path: Path | str, content: str | Iterable[str]) -> None:
    """Write ``content`` (a string, or pieces as they are produced) to ``path`` through a temporary file in the
    same folder and ``os.replace``, so readers never see half a report.

    Through a symbolic link the link's target is written (the temporary file goes into the target's folder) and
    the link stays. An existing file keeps its permissions (and, where allowed, its owner); a new file gets
    ``0o666`` less the umask. The temporary file is removed whatever ends the write: an exception (also one
    raised by the producer of ``content``), Ctrl-C, or SIGTERM (see :func:`tqcheck.output.removed_on_signals`).

    Raises:
        OutputError: ``path`` is an existing folder, device, FIFO or socket, or the file cannot be written
            (its message names the path and the system's reason).
    """
    from tqcheck.output import OutputError, removed_on_signals, temp_file

    real = Path(os.path.realpath(path))
    try:
        st: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as err:
        raise OutputError(path, f"cannot write this file: {err.strerror}") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        # Never replace /dev/null, a pipe or a folder with a regular file (as root, os.replace would).
        raise OutputError(path, "is not a regular file (a folder, device, pipe or socket), so it is left alone")
    pieces = iter([content] if isinstance(content, str) else content)
    cleanup: list[str] = []
    with removed_on_signals(cleanup):
        try:
            with _io_errors(path):
                fd, tmp = temp_file(real.parent, real.name, stat.S_IMODE(st.st_mode) & 0o777 if st else None)
            cleanup.append(tmp)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                if st is not None and hasattr(os, "fchown") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                    with contextlib.suppress(OSError):  # keep the owner where we may (root; a group of ours)
                        os.fchown(handle.fileno(), st.st_uid, st.st_gid)
                for piece in pieces:  # what the producer raises passes through unchanged
                    with _io_errors(path):
                        handle.write(piece)
                with _io_errors(path):
                    handle.flush()
                    os.fsync(handle.fileno())
            with _io_errors(path):
                os.replace(tmp, real)
            cleanup.clear()
        except BaseException:
            for name in cleanup:
                Path(name).unlink(missing_ok=True)
            raise


@contextlib.contextmanager
def _io_errors(path: Path | str) -> Iterator[None]:
    from tqcheck.output import OutputError

    try:
        yield
    except OSError as err:
        raise OutputError(path, f"cannot write this file: {err.strerror or err}") from err
