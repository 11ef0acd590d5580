"""The warm state of a running service: its configuration, the QE model kept loaded, the worker threads and
the admission of requests (a bounded queue). Checks are the library's; nothing here decides a finding.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import tempfile
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from tqcheck.config import Config
from tqcheck.errors import InputError, TqcheckError
from tqcheck.service.batching import MicroBatcher
from tqcheck.service.metrics import Metrics
from tqcheck.service.requests import CheckOptions, CheckRequest, RequestProblem, language
from tqcheck.types import Document, DocumentResult, FileError, FileResult

_T = TypeVar("_T")


@dataclass(frozen=True)
class ServiceSettings:
    """How the service runs. ``file_values`` and ``cli_values`` are the configuration as ``tqcheck check``
    merges it (tqcheck.toml, then the server's command line); a request's options are merged over them."""

    host: str = "127.0.0.1"
    port: int = 8080
    token: str | None = None
    max_body: int = 10 * 1024 * 1024
    timeout: float = 60.0
    queue: int = 32  # checks admitted beyond the running ones before 429
    concurrency: int = 2  # worker threads
    qe_window: float = 0.01  # seconds a QE batch waits for the pairs of concurrent requests
    max_items: int = 1000  # documents in one batch request
    file_values: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    cli_values: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    config_file: Path | None = None


class Service:
    """What the endpoints share: configuration, workers, admission, metrics and the warm QE model."""

    def __init__(self, settings: ServiceSettings) -> None:
        from tqcheck.configfile import merge

        self.settings = settings
        self.base = merge(settings.file_values, settings.cli_values, config_file=settings.config_file).config
        self.metrics = Metrics()
        self.ready = threading.Event()
        self.load_error: str | None = None
        self.batcher: MicroBatcher | None = None
        self._executor = ThreadPoolExecutor(settings.concurrency, thread_name_prefix="tqcheck-check")
        self._admitted = 0  # on the event loop only
        self._running = 0
        self._lock = threading.Lock()
        self._closing = False

    # -- start and stop -----------------------------------------------------------------------------------

    def warm(self) -> None:
        """Load what every check needs before the first request: rule modules, packs, the QE model."""
        from tqcheck import pipeline

        try:
            pipeline.check("Ein kurzer Satz zum Aufwärmen.", config=dataclasses.replace(self.base, qe=None))
            if self.base.qe is not None:
                backend = pipeline.qe_backend(self.base.qe)
                _ = backend.model  # type: ignore[attr-defined]  # loads it now, not on the first request
                self.batcher = MicroBatcher(backend, window=self.settings.qe_window,
                                            max_pairs=max(64, 8 * self.base.qe.batch_size))
                pipeline.install_qe_backend(self.base.qe, self.batcher)
        except TqcheckError as err:
            self.load_error = str(err)
            return
        self.ready.set()

    def close(self) -> None:
        """After the server stopped taking requests: finish the checks in flight, release the model."""
        from tqcheck import pipeline

        self._closing = True
        self._executor.shutdown(wait=True)
        if self.batcher is not None and self.base.qe is not None:
            pipeline.install_qe_backend(self.base.qe, None)
            self.batcher.close()

    # -- admission ----------------------------------------------------------------------------------------

    def queue_state(self) -> tuple[int, int]:
        """(checks running, checks admitted and waiting)."""
        with self._lock:
            running = self._running
        return running, max(0, self._admitted - running)

    def qe_counts(self) -> tuple[int, int] | None:
        if self.batcher is None:
            return None
        return getattr(self.batcher, "cache_hits", 0), getattr(self.batcher, "cache_misses", 0)

    async def run(self, work: Callable[[], _T]) -> _T:
        """Run ``work`` on a worker thread, within the queue bound and the per-request timeout.

        Raises:
            RequestProblem: 503 while loading or stopping, 429 when the queue is full, 504 after the timeout
                (the check then finishes in the background and keeps its place until it does).
        """
        self._admit()
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, self._counted, work)
        future.add_done_callback(lambda _: self._release())
        try:
            return await asyncio.wait_for(asyncio.shield(future), self.settings.timeout)
        except TimeoutError:
            raise RequestProblem(504, "timeout", f"the check took longer than {self.settings.timeout:g} s") from None

    def stream(self, lines: Iterator[str]) -> AsyncIterator[str]:
        """``lines`` (a batch's report, worked out item by item) sent as each is ready; admitted now, within the
        queue bound, and holding one place until the last line. A line later than the timeout ends the stream
        (without its summary line: the JSONL report's sign of a cut stream).

        Raises:
            RequestProblem: as :meth:`run`, before the first line.
        """
        self._admit()
        return self._lines(lines)

    async def _lines(self, lines: Iterator[str]) -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        done = object()
        try:
            while True:
                future = loop.run_in_executor(self._executor, self._counted, lambda: next(lines, done))
                try:
                    line = await asyncio.wait_for(asyncio.shield(future), self.settings.timeout)
                except TimeoutError:
                    return
                if line is done:
                    return
                yield line  # type: ignore[misc]
        finally:
            self._release()

    def _admit(self) -> None:
        if self._closing or not self.ready.is_set():
            self.metrics.reject("not-ready")
            raise RequestProblem(503, "not-ready", self.load_error or "the service is starting or stopping")
        if self._admitted >= self.settings.concurrency + self.settings.queue:
            self.metrics.reject("queue-full")
            raise RequestProblem(429, "queue-full", f"{self._admitted} checks are running or waiting; retry later")
        self._admitted += 1

    def _release(self) -> None:
        self._admitted -= 1

    def _counted(self, work: Callable[[], _T]) -> _T:
        with self._lock:
            self._running += 1
        try:
            return work()
        finally:
            with self._lock:
                self._running -= 1

    # -- checks -------------------------------------------------------------------------------------------

    def config_for(self, options: CheckOptions | None, src_lang: str | None = None,
                   tgt_lang: str | None = None) -> Config:
        """The server's configuration with a request's options and languages over it."""
        from tqcheck.configfile import merge
        from tqcheck.errors import ConfigError
        from tqcheck.rules import select_rules

        values = {**self.settings.cli_values, **(options.cli_values() if options else {})}
        try:
            config = merge(self.settings.file_values, values, config_file=self.settings.config_file).config
            select_rules(config.select, config.ignore)  # an unknown rule is the request's mistake
        except ConfigError as err:
            raise RequestProblem(422, "bad-request", str(err)) from None
        changes: dict[str, Any] = {}
        if src_lang is not None:
            changes["src_lang"] = src_lang
        if tgt_lang is not None:
            changes["tgt_lang"] = tgt_lang
        if options is not None and options.qe is False:
            changes["qe"] = None
        return dataclasses.replace(config, **changes) if changes else config

    def check_text(self, request: CheckRequest, defaults: CheckOptions | None = None) -> DocumentResult:
        """Check one request's texts (on a worker thread)."""
        from tqcheck.pipeline import check

        options = request.options if request.options.model_fields_set else (defaults or request.options)
        config = self.config_for(options, language(request.src_lang, "src_lang"),
                                 language(request.tgt_lang, "tgt_lang"))
        path = Path(request.name) if request.name else None
        target = Document(request.target, path=path)
        source = Document(request.source) if request.source is not None else None
        reference = Document(request.reference) if request.reference is not None else None
        result = check(target, source, reference=reference, config=config)
        self.metrics.checked(i.severity.value for i in result.issues)
        return result

    def check_upload(self, name: str, data: bytes, options: CheckOptions | None, src_lang: str | None,
                     tgt_lang: str | None) -> FileResult | DocumentResult:
        """Check an uploaded file (a bilingual one, or a text) under its own name (on a worker thread)."""
        from tqcheck.batch import check_spec
        from tqcheck.readers.pairing import PairSpec
        from tqcheck.rules import select_rules

        config = self.config_for(options, language(src_lang, "src_lang"), language(tgt_lang, "tgt_lang"))
        with _uploaded(name, data) as path:
            spec = PairSpec(path, None, None, config.src_lang, config.tgt_lang)
            [result] = check_spec(spec, config, select_rules(config.select, config.ignore))
        if isinstance(result, FileError):
            message = result.message.replace(str(path), name)
            raise RequestProblem(422, result.kind, message, where=name)
        self.metrics.checked(i.severity.value for i in result.issues)
        return _renamed(result, path, Path(name))

    def check_batch(self, items: Sequence[CheckRequest], defaults: CheckOptions | None
                    ) -> Iterator[DocumentResult | FileError]:
        """Each item's result in order; an item that cannot be checked is a FileError, and the rest go on."""
        for index, item in enumerate(items):
            try:
                yield self.check_text(item, defaults)
            except RequestProblem as problem:
                yield FileError(Path(item.name or f"items[{index}]"), problem.kind, problem.message)
            except InputError as err:
                yield FileError(Path(item.name or f"items[{index}]"), err.kind, err.problem)


def _safe_name(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/")).strip() or "upload.txt"
    return "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in base)[-120:]


class _uploaded:  # a context manager, named for what it holds
    """The upload in a private temporary folder, under its own file name (the name tells its format)."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.data = _safe_name(name), data
        self.folder: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> Path:
        self.folder = tempfile.TemporaryDirectory(prefix="tqcheck-serve-")
        path = Path(self.folder.name) / self.name
        path.write_bytes(self.data)
        return path

    def __exit__(self, *_: object) -> None:
        assert self.folder is not None
        self.folder.cleanup()


def _renamed(result: _T, temporary: Path, name: Path) -> _T:
    """``result`` with every reference to the temporary file replaced by the upload's name."""
    if isinstance(result, Path):
        return name if result == temporary else result  # type: ignore[return-value]
    if isinstance(result, Document):
        return dataclasses.replace(result, path=_renamed(result.path, temporary, name))  # type: ignore[return-value]
    if isinstance(result, (DocumentResult, FileResult)):
        changes = {f.name: _renamed(getattr(result, f.name), temporary, name) for f in dataclasses.fields(result)
                   if f.name in ("path", "target", "source", "reference", "units")}
        return dataclasses.replace(result, **changes)  # type: ignore[return-value]
    if isinstance(result, tuple):
        return tuple(_renamed(item, temporary, name) for item in result)  # type: ignore[return-value]
    return result
