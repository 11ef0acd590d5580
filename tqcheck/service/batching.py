"""QE batched across concurrent requests: pairs that arrive within a short window share one model call.

A request's check runs in a worker thread and asks the QE backend for its sentence pairs; alone, each request
would be one small batch. The :class:`MicroBatcher` stands in for the backend: it holds each call until the
window closes (or enough pairs are waiting), scores everything waiting in one ``score_pairs`` call of the warm
model, and hands every caller its own results. The model's batch size still cuts that call into batches.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tqcheck.types import QEResult


@dataclass
class _Waiting:
    pairs: Sequence[tuple[str, str]]
    done: threading.Event = field(default_factory=threading.Event)
    results: list[QEResult] | None = None
    error: BaseException | None = None


class MicroBatcher:
    """A QE backend that gathers the pairs of concurrent callers for ``window`` seconds (at most ``max_pairs``)
    and scores them in one call of ``backend``. Everything else is the backend's own."""

    def __init__(self, backend: Any, *, window: float = 0.01, max_pairs: int = 256) -> None:
        self.backend = backend
        self.window = window
        self.max_pairs = max_pairs
        self.calls = 0  # backend calls made, for metrics and tests
        self._lock = threading.Lock()
        self._waiting: list[_Waiting] = []
        self._wakeup = threading.Condition(self._lock)
        self._closed = False
        self._thread = threading.Thread(target=self._dispatch, name="tqcheck-qe-batcher", daemon=True)
        self._thread.start()

    def __getattr__(self, name: str) -> Any:  # model_id, signature, family, bands, name, cache counters …
        return getattr(self.backend, name)

    def score(self, source: str, target: str) -> QEResult:
        return self.score_pairs([(source, target)])[0]

    def score_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[QEResult]:
        if not pairs:
            return []
        waiting = _Waiting(list(pairs))
        with self._lock:
            if self._closed:
                raise RuntimeError("the QE batcher is closed")
            self._waiting.append(waiting)
            self._wakeup.notify()
        waiting.done.wait()
        if waiting.error is not None:
            raise waiting.error
        assert waiting.results is not None
        return waiting.results

    def close(self) -> None:
        """Stop gathering (calls still waiting are scored first); the backend stays the caller's to close."""
        with self._lock:
            self._closed = True
            self._wakeup.notify()
        self._thread.join()

    def _dispatch(self) -> None:
        while True:
            with self._lock:
                while not self._waiting and not self._closed:
                    self._wakeup.wait()
                if not self._waiting:
                    return  # closed, and nothing left
                deadline = time.monotonic() + self.window
                while not self._closed and self._pending() < self.max_pairs:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    self._wakeup.wait(left)
                batch, self._waiting = self._waiting, []
            self._score(batch)

    def _pending(self) -> int:
        return sum(len(w.pairs) for w in self._waiting)

    def _score(self, batch: list[_Waiting]) -> None:
        try:
            self.calls += 1
            results = self.backend.score_pairs([pair for waiting in batch for pair in waiting.pairs])
        except BaseException as err:  # every caller of this batch gets the error (a model that cannot load)
            for waiting in batch:
                waiting.error = err
                waiting.done.set()
            return
        start = 0
        for waiting in batch:
            waiting.results = results[start:start + len(waiting.pairs)]
            start += len(waiting.pairs)
            waiting.done.set()
