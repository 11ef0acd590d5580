"""What ``GET /metrics`` says, in the Prometheus text format (version 0.0.4): requests by endpoint and status,
their latency as a histogram, documents checked, issues by severity, QE cache hits and misses, and the queue.

Counted in this process; behind several server processes, Prometheus adds them up per scrape target.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable

# Seconds: a rules-only check of an article takes about 0.05–0.5 s here, one with QE on a CPU a few seconds.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    """Counters a request handler updates; thread-safe, because checks finish in worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[tuple[str, int]] = Counter()
        self.latency_buckets: Counter[tuple[str, float]] = Counter()
        self.latency_sum: Counter[str] = Counter()
        self.latency_count: Counter[str] = Counter()
        self.documents = 0
        self.issues: Counter[str] = Counter()
        self.rejected: Counter[str] = Counter()  # requests refused before any work, by reason

    def observe(self, endpoint: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(endpoint, status)] += 1
            self.latency_sum[endpoint] += seconds
            self.latency_count[endpoint] += 1
            for bound in LATENCY_BUCKETS:
                if seconds <= bound:
                    self.latency_buckets[(endpoint, bound)] += 1

    def checked(self, severities: Iterable[str]) -> None:
        with self._lock:
            self.documents += 1
            self.issues.update(severities)

    def reject(self, reason: str) -> None:
        with self._lock:
            self.rejected[reason] += 1

    def render(self, *, queue: Callable[[], tuple[int, int]], qe: Callable[[], tuple[int, int] | None]) -> str:
        """The exposition text; ``queue()`` gives (running, waiting), ``qe()`` (cache hits, misses) or None."""
        lines: list[str] = []

        def family(name: str, kind: str, help_text: str) -> None:
            lines.extend((f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"))

        with self._lock:
            family("tqcheck_requests_total", "counter", "HTTP requests answered, by endpoint and status code.")
            for (endpoint, status), n in sorted(self.requests.items()):
                lines.append(f'tqcheck_requests_total{{endpoint="{endpoint}",status="{status}"}} {n}')
            family("tqcheck_request_duration_seconds", "histogram", "Time from request to response.")
            for endpoint in sorted(self.latency_count):
                for bound in LATENCY_BUCKETS:
                    n = self.latency_buckets[(endpoint, bound)]
                    lines.append(f'tqcheck_request_duration_seconds_bucket{{endpoint="{endpoint}",le="{bound}"}} {n}')
                count = self.latency_count[endpoint]
                lines.append(f'tqcheck_request_duration_seconds_bucket{{endpoint="{endpoint}",le="+Inf"}} {count}')
                lines.append(f'tqcheck_request_duration_seconds_sum{{endpoint="{endpoint}"}} '
                             f'{self.latency_sum[endpoint]:.6f}')
                lines.append(f'tqcheck_request_duration_seconds_count{{endpoint="{endpoint}"}} {count}')
            family("tqcheck_documents_total", "counter", "Documents checked (a bilingual file is one).")
            lines.append(f"tqcheck_documents_total {self.documents}")
            family("tqcheck_issues_total", "counter", "Issues reported, by severity.")
            for severity in ("critical", "major", "minor", "info"):
                lines.append(f'tqcheck_issues_total{{severity="{severity}"}} {self.issues.get(severity, 0)}')
            family("tqcheck_rejected_total", "counter", "Requests refused before any work, by reason.")
            for reason in ("queue-full", "too-large", "unauthorized", "not-ready"):
                lines.append(f'tqcheck_rejected_total{{reason="{reason}"}} {self.rejected.get(reason, 0)}')
        running, waiting = queue()
        family("tqcheck_checks_running", "gauge", "Checks being worked on now.")
        lines.append(f"tqcheck_checks_running {running}")
        family("tqcheck_checks_waiting", "gauge", "Checks admitted and waiting for a worker.")
        lines.append(f"tqcheck_checks_waiting {waiting}")
        counts = qe()
        if counts is not None:
            family("tqcheck_qe_cache_hits_total", "counter", "Sentence pairs whose QE score came from the cache.")
            lines.append(f"tqcheck_qe_cache_hits_total {counts[0]}")
            family("tqcheck_qe_cache_misses_total", "counter", "Sentence pairs the QE model scored.")
            lines.append(f"tqcheck_qe_cache_misses_total {counts[1]}")
        return "\n".join(lines) + "\n"
