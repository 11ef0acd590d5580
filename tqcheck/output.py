"""Where a report goes: the checks of ``--output`` made before a run, and the pieces of the atomic write.

A report never replaces an input of its run (compared by resolved path and by device and inode, so neither a
symbolic nor a hard link gets past), never turns a device, pipe, socket or folder into a regular file, and is
written through a symbolic link onto the link's target (the link stays). What can be known before the run (a
missing or read-only folder, a name too long for the file system) is found before any checking work, so a
mistake costs a second, not a batch. (A report saved in a folder that is checked is not read back as a
translation: the folder walk skips tqcheck's reports, see :func:`tqcheck.readers.reports.is_report_file`.)
"""

from __future__ import annotations

import os
import secrets
import signal
import stat
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tqcheck.errors import TqcheckError
from tqcheck.readers.paths import is_dir, is_file

if TYPE_CHECKING:
    from tqcheck.config import Config
    from tqcheck.readers.pairing import PairSpec
    from tqcheck.types import FileError

__all__ = ["OutputError", "RunInput", "check_output", "check_stdout", "removed_on_signals",
           "run_inputs", "temp_file"]

NAME_MAX = 255  # bytes of one file name part on nearly every file system; pathconf says so where it can
_TEMP_NAME_BYTES = 200  # of the target's name kept in the temporary file's name: ".name.1a2b3c4d.tmp" fits NAME_MAX
SUFFIXES = {"text": "txt", "json": "json", "jsonl": "jsonl", "sarif": "sarif", "html": "html"}


class OutputError(TqcheckError):
    """The report cannot (or must not) be written where asked: ``path: problem (hint)``."""

    def __init__(self, path: Path | str, problem: str, hint: str | None = None):
        self.path = path
        self.problem = problem
        self.hint = hint
        super().__init__(f"{path or repr('')}: {problem}" + (f" ({hint})" if hint else ""))


@dataclass(frozen=True, slots=True)
class RunInput:
    """A file a run reads, what it is to the run (``"the glossary of this run"``), and how to recognise it."""

    path: Path
    role: str
    real: str  # os.path.realpath: symbolic links resolved
    inode: tuple[int, int] | None  # (st_dev, st_ino), None when the file does not exist

    @classmethod
    def of(cls, path: Path | str, role: str) -> RunInput:
        try:
            st = os.stat(path)
            inode = (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None
        except (OSError, ValueError):
            inode = None
        return cls(Path(path), role, os.path.realpath(path), inode)


def run_inputs(paths: Iterable[Path | str], specs: Sequence[PairSpec], errors: Sequence[FileError], *,
               config: Config, manifest: Path | str | None = None) -> list[RunInput]:
    """Every file a run reads: its targets (named or found in folders) with their paired sources and
    references, the files named that it reports errors on, the manifest, glossary, configuration file, rule
    packs and a local QE model or score cache. ``specs`` and ``errors`` come from :func:`tqcheck.batch.plan`."""
    found: list[tuple[Path | str, str]] = []
    for spec in specs:
        found.append((spec.target, "a file this run checks"))
        if spec.source is not None:
            found.append((spec.source, f"the source of {spec.target}, which this run reads"))
        if spec.reference is not None:
            found.append((spec.reference, f"the reference translation of {spec.target}, which this run reads"))
    named = [Path(p) for p in paths]
    if manifest is not None:
        found.append((manifest, "the manifest of this run"))
    if config.glossary is not None:
        found.append((config.glossary, "the glossary of this run"))
    if config.config_file is not None:
        found.append((config.config_file, "the configuration file of this run"))
    if config.baseline is not None:
        found.append((config.baseline.path, "the baseline of this run"))
    found.extend((p, "named as an input of this run") for p in named if not is_dir(p))
    found.extend((e.path, "named as an input of this run") for e in errors)
    folders = [(pack, f"a file of the rule pack {pack}") for pack in config.packs]
    if config.qe is not None:
        if os.path.exists(config.qe.model):
            folders.append((Path(config.qe.model), f"a file of the QE model {config.qe.model}"))
        if config.qe.cache_dir is not None and config.qe.use_cache:
            folders.append((config.qe.cache_dir, f"a file of the QE score cache {config.qe.cache_dir}"))
    for folder, role in folders:
        if is_file(folder):
            found.append((folder, role))
        elif is_dir(folder):
            found.extend((f, role) for f in sorted(folder.rglob("*")) if is_file(f))
    seen: set[tuple[str, str]] = set()
    inputs = []
    for path, role in found:
        if (str(path), role) not in seen:
            seen.add((str(path), role))
            inputs.append(RunInput.of(path, role))
    return inputs


def check_output(raw: str, inputs: Sequence[RunInput] = (), *, fmt: str = "text") -> Path:
    """Raise :class:`OutputError` unless a report can be written to ``raw`` (the ``--output`` value as given);
    return the file that will be written (the target of a symbolic link).

    Refused: an empty name or one ending in ``/``; a name part longer than the file system allows; an existing
    path that is not a regular file (folder, device, FIFO, socket, also behind a link); an input of the run;
    an existing file that is read-only; a folder that is missing, is not a folder, or cannot be written.
    """
    example = f"report.{SUFFIXES.get(fmt, 'txt')}"
    if not raw:
        raise OutputError(raw, "is an empty file name", f"name a file, e.g. -o {example}")
    if raw.endswith(("/", os.sep)):
        raise OutputError(raw, "ends with a slash, so it names a folder", f"name a file in it, e.g. {raw}{example}")
    path = Path(raw)
    _check_name_lengths(raw, path)
    try:
        is_link = path.is_symlink()
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None  # a new file, or a dangling link whose target will be created
    except NotADirectoryError:
        raise _not_a_folder(raw, path) from None
    except PermissionError:
        raise OutputError(raw, f"cannot reach the folder {path.parent}: permission denied",
                          "choose a folder you can write into") from None
    except OSError as err:
        raise OutputError(raw, f"cannot use this path: {err.strerror}", "choose another file") from None
    real = Path(os.path.realpath(path))
    if st is not None and not stat.S_ISREG(st.st_mode):
        kind = _kind(st.st_mode)
        if stat.S_ISDIR(st.st_mode):
            raise OutputError(raw, f"is a symbolic link to {kind}" if is_link else f"is {kind}",
                              f"name a file in it, e.g. {path / example}")
        raise OutputError(raw, f"is a symbolic link to {kind}, not a regular file" if is_link
                          else f"is {kind}, not a regular file",
                          "-o writes regular files only; to send the report elsewhere, leave out -o and redirect "
                          "standard output")
    _check_not_an_input(raw, path, real, st, is_link, inputs)
    if st is not None and not os.access(real, os.W_OK):
        raise OutputError(raw, "is read-only", "make it writable, or choose another file")
    _check_folder(raw, real.parent if is_link else path.parent, real.parent)
    return real


def check_stdout(inputs: Sequence[RunInput]) -> None:
    """Refuse a run whose standard output (the report) is redirected into one of its own inputs."""
    import sys

    try:
        st = os.fstat(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # replaced by a test's capture, or closed
        return
    if not stat.S_ISREG(st.st_mode):
        return
    for item in inputs:
        if item.inode == (st.st_dev, st.st_ino):
            raise OutputError(item.path, f"standard output is redirected to this file, {item.role}",
                              "redirect it to a file that is not an input, e.g. outside the folders checked")


def _check_name_lengths(raw: str, path: Path) -> None:
    limit = _name_max(path)
    for part in path.parts:
        size = len(os.fsencode(part))
        if size > limit and part not in (os.sep, "/"):
            shown = part if len(part) <= 40 else f"{part[:20]}…{part[-12:]}"
            raise OutputError(raw, f"the name {shown!r} is {size} bytes long; the file system allows {limit}",
                              "use a shorter name")


def _name_max(path: Path) -> int:
    folder = Path(os.path.abspath(path)).parent
    while not is_dir(folder) and folder != folder.parent:
        folder = folder.parent
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (AttributeError, OSError, ValueError):
        return NAME_MAX


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode):
        return "a character device (a terminal, /dev/null …)"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _not_a_folder(raw: str, path: Path) -> OutputError:
    for ancestor in reversed(path.parents):
        if ancestor != Path(".") and ancestor.exists() and not ancestor.is_dir():
            return OutputError(raw, f"{ancestor} is a file, not a folder", "write the report into a folder")
    return OutputError(raw, f"{path.parent} is not a folder", "write the report into a folder")


def _check_not_an_input(raw: str, path: Path, real: Path, st: os.stat_result | None, is_link: bool,
                        inputs: Sequence[RunInput]) -> None:
    inode = (st.st_dev, st.st_ino) if st is not None else None
    given = os.path.abspath(path)
    # The most direct relation is the one worth saying: the same name, then the same file, then a hard link.
    for matches, say in (
        (lambda i: os.path.abspath(i.path) == given, lambda i: f"is {i.role}"),
        (lambda i: i.real == str(real),
         lambda i: f"is a symbolic link to {i.path}, {i.role}" if is_link
         else f"is the same file as {i.path}, {i.role}"),
        (lambda i: inode is not None and i.inode == inode, lambda i: f"is a hard link to {i.path}, {i.role}"),
    ):
        item = next((i for i in inputs if matches(i)), None)
        if item is None:
            continue
        raise OutputError(raw, say(item), "write the report to another file")


def _check_folder(raw: str, shown: Path, folder: Path) -> None:
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        raise OutputError(raw, f"the folder {shown} does not exist", f"create it first: mkdir -p {shown}") from None
    except NotADirectoryError:
        raise _not_a_folder(raw, shown / "x") from None
    except OSError as err:
        raise OutputError(raw, f"cannot reach the folder {shown}: {err.strerror}", "choose another folder") from None
    if not stat.S_ISDIR(st.st_mode):
        raise OutputError(raw, f"{shown} is not a folder", "write the report into a folder")
    read_only_fs = False
    with suppress(AttributeError, OSError):
        read_only_fs = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    if read_only_fs:
        raise OutputError(raw, f"the folder {shown} is on a read-only file system", "choose another folder")
    # os.access asks the kernel with this process's real ids: root may write into a 0555 folder, and then does.
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(raw, f"cannot write into the folder {shown}: permission denied",
                          "choose another folder, or make this one writable")


# --- the atomic write's pieces (tqcheck.reports.write_atomic puts them together) ---------------------------


def temp_file(folder: Path, name: str, mode: int | None) -> tuple[int, str]:
    """Create ``folder/.name.XXXXXXXX.tmp`` exclusively (never through an existing file or link); ``(fd, path)``.

    ``mode`` None: a new file's permissions, ``0o666`` less the umask (the kernel applies it, no umask juggling);
    else exactly ``mode`` (an existing report's, so that a private 0600 report stays private).
    """
    stem = name
    while len(os.fsencode(stem)) > _TEMP_NAME_BYTES:
        stem = stem[:-1]
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(folder, f".{stem}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o600 if mode is not None else 0o666)
        except FileExistsError:
            continue
        if mode is not None:
            try:
                os.fchmod(fd, mode) if hasattr(os, "fchmod") else os.chmod(tmp, mode)
            except BaseException:
                os.close(fd)
                os.unlink(tmp)
                raise
        return fd, tmp
    raise FileExistsError(f"no free temporary file name in {folder}")


@contextmanager
def removed_on_signals(paths: list[str]) -> Iterator[None]:
    """While the block runs, SIGINT and SIGTERM first give a chance to remove the files in ``paths``.

    A handler that was installed before is called as it was (Python's SIGINT handler raises
    KeyboardInterrupt, and the caller's ``except`` removes its files; a handler that returns lets the block go
    on). Where the signal had its default action, the files are removed and the process then ends by the same
    signal (exit status 143 for SIGTERM in a shell). An ignored signal stays ignored. The old handlers are back
    when the block ends. Outside the main thread (where Python cannot set handlers) this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, object] = {}

    def handler(signum: int, frame: object) -> None:
        old = previous.get(signum)
        if callable(old):
            old(signum, frame)
            return
        for path in paths:
            with suppress(OSError):
                os.unlink(path)
        signal.signal(signum, signal.SIG_DFL)
        signal.raise_signal(signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        old = signal.getsignal(signum)
        if old is None or old == signal.SIG_IGN:  # None: set outside Python, cannot be restored
            continue
        previous[signum] = old
        signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)  # type: ignore[arg-type]


# --- tqcheck's own reports ---------------------------------------------------------------------------------
