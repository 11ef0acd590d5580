#!/usr/bin/env python3
"""Latency and throughput of ``tqcheck serve`` against the cost of one CLI process per article.

    python bench/serve.py [--requests 48] [--clients 1,4,16] [--no-qe]

Starts ``tqcheck serve`` in its own process on a loopback port and sends the sample article with its source
(``samples/wechat-ecommerce``) as ``POST /v1/check`` from 1, 4 and 16 client threads in this process. Prints,
per number of clients, the latency of a request (p50 and p95, wall) and the throughput (requests/s over the
whole run); beside it the wall time of ``tqcheck check`` on the same article in a fresh process (median of 5),
which a pipeline without the service pays per article. Then the same with QE, on a tiny comet checkpoint that
this script builds (tests/qe_fixtures.py: the real ``UnifiedMetric`` class and loading code, a 2-layer
encoder), so that the figures show the service's own overhead, not a big model's compute.

Rules-only requests share one core in the server (the interpreter lock); QE releases it inside torch.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "samples" / "wechat-ecommerce.zh-de.mt.txt"
SOURCE = ROOT / "samples" / "wechat-ecommerce.zh.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, extra: Sequence[str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-m", "tqcheck", "serve", "--port", str(port), "--no-config",
                                "--queue", "64", *extra], cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"tqcheck serve exited with status {process.returncode}")
        time.sleep(0.2)
    process.kill()
    raise SystemExit("tqcheck serve did not become ready")


def request(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        connection.request(method, path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def load(port: int, body: bytes, clients: int, requests: int) -> tuple[list[float], float]:
    """Latencies of ``requests`` requests sent by ``clients`` threads, and the wall time of them all."""

    def one(_: int) -> float:
        started = time.perf_counter()
        status, answer = request(port, "POST", "/v1/check", body)
        if status != 200:
            raise SystemExit(f"request failed: {status} {answer[:200]!r}")
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        latencies = list(pool.map(one, range(requests)))
    return latencies, time.perf_counter() - started


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def cli_wall(extra: Sequence[str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tqcheck", "check", str(TARGET), "--source", str(SOURCE),
                        "--format", "json", "--no-config", "-q", *extra], cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def scenario(label: str, server_extra: Sequence[str], cli_extra: Sequence[str], clients: Sequence[int],
             requests: int) -> None:
    body = json.dumps({"target": TARGET.read_text(encoding="utf-8"), "source": SOURCE.read_text(encoding="utf-8"),
                       "src_lang": "zh", "tgt_lang": "de"}).encode()
    port = free_port()
    started = time.perf_counter()
    server = start_server(port, server_extra)
    ready = time.perf_counter() - started
    try:
        load(port, body, 1, 2)  # warm the connection path and the caches of the first request
        per_process = cli_wall(cli_extra)
        print(f"\n== {label} ==  (server ready in {ready:.1f} s; one `tqcheck check` process per article: "
              f"{per_process:.2f} s wall, {1 / per_process:.2f} articles/s)")
        print(f"{'clients':>8} {'requests':>9} {'p50 s':>8} {'p95 s':>8} {'req/s':>8} {'× CLI':>7}")
        for n in clients:
            latencies, wall = load(port, body, n, requests)
            throughput = requests / wall
            print(f"{n:>8} {requests:>9} {percentile(latencies, 0.5):>8.3f} {percentile(latencies, 0.95):>8.3f} "
                  f"{throughput:>8.2f} {throughput * per_process:>6.1f}×")
    finally:
        server.terminate()
        server.wait(timeout=120)


def tiny_qe_model(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from tests.qe_fixtures import build_tiny_models

    return build_tiny_models(folder).kiwi


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=48, help="requests per number of clients")
    parser.add_argument("--clients", default="1,4,16", help="numbers of concurrent clients")
    parser.add_argument("--no-qe", action="store_true", help="rules only")
    args = parser.parse_args()
    clients = [int(n) for n in args.clients.split(",")]
    print(f"tqcheck serve, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, "
          f"Python {sys.version.split()[0]}; article: {TARGET.name} with its source "
          f"({TARGET.stat().st_size + SOURCE.stat().st_size:,} bytes)")
    scenario("rules only", (), (), clients, args.requests)
    if args.no_qe:
        return
    with tempfile.TemporaryDirectory(prefix="tqcheck-bench-serve-") as folder:
        model = str(tiny_qe_model(Path(folder)))
        qe = ("--qe-model", model, "--offline", "--no-cache")
        scenario("QE (tiny checkpoint, no score cache)", qe, qe, clients, args.requests)


if __name__ == "__main__":
    main()
