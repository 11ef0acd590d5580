"""``tqcheck serve`` over real HTTP on a loopback port: the same reports as the CLI, limits, errors, QE."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the service needs the [serve] extra")
import uvicorn

from tests import qe_fixtures
from tqcheck.cli import main
from tqcheck.schema import validate_document, validate_jsonl_line
from tqcheck.service import Service, ServiceSettings, create_app

qe_models = qe_fixtures.qe_models
ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CAT = ROOT / "tests" / "data" / "cat"
PAIRS = [("wechat-ecommerce.zh-de.mt.txt", "wechat-ecommerce.zh.txt", "zh", "de"),
         ("live-commerce.zh-de.mt.txt", "live-commerce.zh.txt", "zh", "de"),
         ("mini-programme.de.txt", "mini-programme.zh.txt", "zh", "de"),
         ("douyin-live-commerce.zh-en.mt.txt", None, "zh", "en")]  # no source; the name says zh


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, port: int, token: str | None = None) -> None:
        self.port, self.token = port, token

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
                ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = dict(headers or {})
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def post_json(self, path: str, obj: object) -> tuple[int, object]:
        status, _, body = self.request("POST", path, json.dumps(obj).encode(), {"Content-Type": "application/json"})
        return status, json.loads(body) if path != "/v1/check/batch" or status != 200 else body.decode()

    def get(self, path: str) -> tuple[int, bytes]:
        status, _, body = self.request("GET", path)
        return status, body


@contextmanager
def serving(settings: ServiceSettings | None = None, service: Service | None = None, *, wait_ready: bool = True,
            ) -> Iterator[tuple[Client, Service]]:
    port = _free_port()
    settings = settings or ServiceSettings()
    settings = ServiceSettings(**{**settings.__dict__, "port": port})
    service = service or Service(settings)
    app = create_app(settings, service)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    client = Client(port, settings.token)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            status, _ = client.get("/healthz")
            if status == 200 or (not wait_ready and status == 503):
                break
        except OSError:
            pass
        time.sleep(0.05)
    else:
        raise AssertionError("the service did not start")
    try:
        yield client, service
    finally:
        server.should_exit = True
        thread.join(timeout=60)


@pytest.fixture(scope="module")
def rules_only() -> Iterator[tuple[Client, Service]]:
    with serving(ServiceSettings(concurrency=2)) as running:
        yield running


def _cli_json(capsys, *args: str) -> dict:
    capsys.readouterr()
    main(["check", *args, "--format", "json", "--no-config", "-q"])
    return json.loads(capsys.readouterr().out)


def _without_paths(doc: dict) -> dict:
    """A document object without the file names (the service has texts, the CLI files)."""
    doc = json.loads(json.dumps(doc))
    for item in (doc, *(doc.get("units") or ())):
        for side in ("target", "source"):
            if isinstance(item.get(side), dict):
                item[side]["path"] = None
    return doc


@pytest.mark.parametrize(("target", "source", "src", "tgt"), PAIRS)
def test_a_check_answers_the_cli_s_document_object(capsys, rules_only, target, source, src, tgt):
    client, _ = rules_only
    args = [str(SAMPLES / target), "--src-lang", src, "--tgt-lang", tgt]
    body = {"target": (SAMPLES / target).read_text(encoding="utf-8"), "src_lang": src, "tgt_lang": tgt}
    if source is not None:
        args += ["--source", str(SAMPLES / source)]
        body["source"] = (SAMPLES / source).read_text(encoding="utf-8")
    expected = _cli_json(capsys, *args)["documents"][0]
    status, answer = client.post_json("/v1/check", body)
    assert status == 200, answer
    validate_document(answer)
    assert _without_paths(answer) == _without_paths(expected)
    assert answer["score"] == expected["score"] and len(answer["issues"]) == len(expected["issues"])


def test_options_are_the_cli_s(capsys, rules_only):
    client, _ = rules_only
    target, source = SAMPLES / "wechat-ecommerce.zh-de.mt.txt", SAMPLES / "wechat-ecommerce.zh.txt"
    expected = _cli_json(capsys, str(target), "--source", str(source), "--select", "TQ2,TQ4,TQ7",
                         "--severity", "TQ403=info", "--fail-under", "50", "--fail-on", "major")["documents"][0]
    status, answer = client.post_json("/v1/check", {
        "target": target.read_text(encoding="utf-8"), "source": source.read_text(encoding="utf-8"),
        "src_lang": "zh", "tgt_lang": "de",
        "options": {"select": ["TQ2", "TQ4", "TQ7"], "severity": {"TQ403": "info"}, "fail_under": 50,
                    "fail_on": "major"}})
    assert status == 200
    assert _without_paths(answer) == _without_paths(expected)
    assert {i["code"][:3] for i in answer["issues"]} <= {"TQ2", "TQ4", "TQ7"} and answer["verdict"] == "fail"


def test_an_uploaded_cat_file_is_one_document_of_units(capsys, rules_only):
    client, _ = rules_only
    path = CAT / "article.sdlxliff"
    expected = _cli_json(capsys, str(path))["documents"][0]
    boundary = "tqcheckboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"article.sdlxliff\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + path.read_bytes() + (
            f"\r\n--{boundary}--\r\n").encode()
    status, _, raw = client.request("POST", "/v1/check", body,
                                    {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    answer = json.loads(raw)
    assert status == 200, answer
    validate_document(answer)
    assert answer["format"] == expected["format"] and answer["unit_count"] == expected["unit_count"]
    assert answer["target"]["path"] == "article.sdlxliff"  # the upload's name, never the temporary file
    assert "tqcheck-serve-" not in raw.decode()
    assert _without_paths(answer) == _without_paths(expected)


def test_a_batch_streams_the_jsonl_report(rules_only):
    client, _ = rules_only
    items = [{"target": (SAMPLES / t).read_text(encoding="utf-8"), "tgt_lang": tgt, "name": t} for t, _, _, tgt
             in PAIRS] + [{"target": "Hallo", "tgt_lang": "not a tag!", "name": "bad"}]
    status, text = client.post_json("/v1/check/batch", {"items": items, "options": {"fail_on": "none"}})
    assert status == 200
    lines = [json.loads(line) for line in text.splitlines()]
    for line in lines:
        validate_jsonl_line(line)
    assert [line["type"] for line in lines] == ["document"] * 4 + ["error", "summary"]
    assert lines[4] == {"type": "error", "path": "bad", "kind": "bad-request",
                        "message": "tgt_lang: 'not a tag!' is not a language tag (e.g. de, zh-CN)"}
    assert lines[-1]["summary"]["documents"] == 4 and lines[-1]["summary"]["errors"] == 1
    assert lines[0]["target"]["path"] == PAIRS[0][0]


def test_a_batch_sends_each_line_as_soon_as_its_item_is_checked():
    class SecondHeld(Service):
        def __init__(self, settings: ServiceSettings) -> None:
            super().__init__(settings)
            self.gate, self.calls = threading.Event(), 0

        def check_text(self, request, defaults=None):
            self.calls += 1
            if self.calls == 2:
                assert self.gate.wait(30)
            return super().check_text(request, defaults)

    settings = ServiceSettings()
    service = SecondHeld(settings)
    items = [{"target": "Ein erster kurzer Satz.", "tgt_lang": "de"}, {"target": "Ein zweiter Satz.", "tgt_lang": "de"}]
    with serving(settings, service) as (client, _):
        connection = http.client.HTTPConnection("127.0.0.1", client.port, timeout=30)
        connection.request("POST", "/v1/check/batch", json.dumps({"items": items}).encode(),
                           {"Content-Type": "application/json"})
        response = connection.getresponse()
        assert response.status == 200
        first = json.loads(response.readline())  # arrives while the second item is still being checked
        assert first["type"] == "document" and not service.gate.is_set()
        service.gate.set()
        rest = [json.loads(line) for line in response.read().splitlines()]
        assert [line["type"] for line in rest] == ["document", "summary"]
        connection.close()


def test_sixteen_concurrent_clients_get_what_one_gets(rules_only):
    client, _ = rules_only
    text = (SAMPLES / "live-commerce.zh-de.mt.txt").read_text(encoding="utf-8")
    source = (SAMPLES / "live-commerce.zh.txt").read_text(encoding="utf-8")
    body = {"target": text, "source": source, "src_lang": "zh", "tgt_lang": "de"}
    _, alone = client.post_json("/v1/check", body)
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: client.post_json("/v1/check", body), range(32)))
    assert [status for status, _ in answers] == [200] * 32
    assert all(answer == alone for _, answer in answers)


@pytest.mark.parametrize(("body", "status", "message"), [
    (b"{not json", 400, "the body is not valid JSON"),
    (b'{"target": 5}', 422, "target: Input should be a valid string"),
    (b'{"target": "x", "colour": "red"}', 422, "colour: Extra inputs are not permitted"),
    (b'{"source": "x"}', 422, "target: Field required"),
    (b'{"target": "x", "tgt_lang": "klingon-language"}', 422, "'klingon-language' is not a language tag"),
    (b'{"target": "x", "options": {"select": ["TQ999"]}}', 422, "unknown rule 'TQ999'"),
    (b'{"target": "x", "options": {"fail_on": "sometimes"}}', 422, "options.fail_on: Input should be"),
    (b'{"items": []}', 422, None),
])
def test_mistakes_are_4xx_with_the_cli_s_error_objects(rules_only, body, status, message):
    client, _ = rules_only
    path = "/v1/check/batch" if body.startswith(b'{"items"') else "/v1/check"
    got, _, raw = client.request("POST", path, body, {"Content-Type": "application/json"})
    answer = json.loads(raw)
    assert got == status
    [error] = answer["errors"]
    assert set(error) == {"path", "kind", "message"} and error["kind"] == "bad-request"
    assert message is None or message in error["message"]


def test_unknown_paths_and_methods_answer_error_objects(rules_only):
    client, _ = rules_only
    status, _, raw = client.request("GET", "/v1/check")
    assert status == 405 and json.loads(raw)["errors"][0]["kind"] == "method-not-allowed"
    status, _, raw = client.request("GET", "/v2/nothing")
    assert status == 404 and json.loads(raw)["errors"][0]["kind"] == "not-found"


def test_a_body_over_the_limit_is_refused_before_it_is_read():
    with serving(ServiceSettings(max_body=1000)) as (client, _):
        big = json.dumps({"target": "Wort " * 400}).encode()
        status, _, raw = client.request("POST", "/v1/check", big, {"Content-Type": "application/json"})
        assert status == 413 and json.loads(raw)["errors"][0]["kind"] == "too-large"
        # Without a Content-Length (chunked): counted while it streams in.
        connection = http.client.HTTPConnection("127.0.0.1", client.port, timeout=30)
        connection.putrequest("POST", "/v1/check")
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Transfer-Encoding", "chunked")
        connection.endheaders()
        for start in range(0, len(big), 500):
            piece = big[start:start + 500]
            connection.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        connection.send(b"0\r\n\r\n")
        response = connection.getresponse()
        assert response.status == 413
        connection.close()
        assert client.post_json("/v1/check", {"target": "Ein kurzer Satz.", "tgt_lang": "de"})[0] == 200


class _Held(Service):
    """A service whose checks wait until the test lets them go (to fill the queue on purpose)."""

    def __init__(self, settings: ServiceSettings) -> None:
        super().__init__(settings)
        self.gate = threading.Event()
        self.started = threading.Semaphore(0)

    def check_text(self, request, defaults=None):
        self.started.release()
        self.gate.wait(30)
        return super().check_text(request, defaults)


def test_a_full_queue_answers_429_and_a_slow_check_504():
    settings = ServiceSettings(concurrency=1, queue=1, timeout=30)
    service = _Held(settings)
    body = {"target": "Ein kurzer Satz für die Warteschlange.", "tgt_lang": "de"}
    with serving(settings, service) as (client, _), ThreadPoolExecutor(2) as pool:
        first = pool.submit(client.post_json, "/v1/check", body)
        assert service.started.acquire(timeout=10)  # running
        second = pool.submit(client.post_json, "/v1/check", body)  # waiting in the queue
        time.sleep(0.3)
        status, headers, raw = client.request("POST", "/v1/check", json.dumps(body).encode(),
                                              {"Content-Type": "application/json"})
        assert status == 429 and headers.get("retry-after") == "1"
        assert json.loads(raw)["errors"][0]["kind"] == "queue-full"
        _, metrics = client.get("/metrics")
        assert b"tqcheck_checks_running 1" in metrics and b"tqcheck_checks_waiting 1" in metrics
        service.gate.set()
        assert first.result()[0] == 200 and second.result()[0] == 200
    settings = ServiceSettings(concurrency=1, queue=4, timeout=0.3)
    service = _Held(settings)
    with serving(settings, service) as (client, _):
        status, answer = client.post_json("/v1/check", body)
        assert status == 504 and answer["errors"][0]["kind"] == "timeout"
        service.gate.set()


def test_a_token_is_required_when_configured():
    token = "s3cret-token-of-some-length"
    with serving(ServiceSettings(token=token)) as (client, _):
        assert client.post_json("/v1/check", {"target": "Ein Satz.", "tgt_lang": "de"})[0] == 200
        anonymous = Client(client.port)
        status, headers, raw = anonymous.request("POST", "/v1/check", b'{"target": "x"}',
                                                 {"Content-Type": "application/json"})
        assert status == 401 and headers.get("www-authenticate") == "Bearer"
        assert json.loads(raw)["errors"][0]["kind"] == "unauthorized"
        wrong = Client(client.port, token="not-the-token-at-all")
        assert wrong.get("/metrics")[0] == 401
        assert anonymous.get("/healthz")[0] == 200  # a load balancer's probe needs none


def test_healthz_says_loading_until_the_service_is_warm():
    class Slow(Service):
        def warm(self) -> None:
            time.sleep(1.0)
            super().warm()

    settings = ServiceSettings()
    with serving(settings, Slow(settings), wait_ready=False) as (client, service):
        status, raw = client.get("/healthz")
        if not service.ready.is_set():
            assert status == 503 and json.loads(raw)["status"] == "loading"
            status, answer = client.post_json("/v1/check", {"target": "Ein Satz.", "tgt_lang": "de"})
            assert status == 503 and answer["errors"][0]["kind"] == "not-ready"
        assert service.ready.wait(30)
        assert client.get("/healthz")[0] == 200


def test_rules_metrics_and_docs(rules_only):
    client, _ = rules_only
    status, raw = client.get("/v1/rules")
    rules = json.loads(raw)["rules"]
    assert status == 200 and {r["code"] for r in rules} >= {"TQ101", "TQ406", "TQ701"}
    calque = next(r for r in rules if r["code"] == "TQ101")
    assert calque["bad"] and calque["good"] and 0 < calque["confidence"] <= 1
    client.post_json("/v1/check", {"target": "Sales on the the platform doubled.", "tgt_lang": "en"})
    status, raw = client.get("/metrics")
    text = raw.decode()
    assert status == 200 and 'tqcheck_requests_total{endpoint="/v1/check",status="200"}' in text
    assert "tqcheck_documents_total " in text and 'tqcheck_issues_total{severity="minor"}' in text
    assert 'tqcheck_request_duration_seconds_bucket{endpoint="/v1/check",le="+Inf"}' in text
    status, raw = client.get("/openapi.json")
    spec = json.loads(raw)
    content = spec["paths"]["/v1/check"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(content)
    assert "CheckRequest" in spec["components"]["schemas"]
    assert client.get("/docs")[0] == 200


@pytest.mark.qe
def test_qe_is_loaded_once_and_batched_across_requests(capsys, qe_models, tmp_path):
    qe = {"enabled": True, "model": str(qe_models.kiwi), "offline": True, "use_cache": False}
    settings = ServiceSettings(concurrency=4, qe_window=0.2, cli_values={"qe": qe})
    target, source = SAMPLES / "live-commerce.zh-de.mt.txt", SAMPLES / "live-commerce.zh.txt"
    body = {"target": target.read_text(encoding="utf-8"), "source": source.read_text(encoding="utf-8"),
            "src_lang": "zh", "tgt_lang": "de"}
    with serving(settings) as (client, service):
        assert service.batcher is not None and service.batcher.backend.load_count == 1
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: client.post_json("/v1/check", body), range(8)))
        assert [status for status, _ in answers] == [200] * 8
        assert service.batcher.backend.load_count == 1  # loaded at start, never again
        assert service.batcher.calls < 8  # concurrent requests shared model calls
        _, metrics = client.get("/metrics")
        assert b"tqcheck_qe_cache_misses_total" in metrics
    expected = _cli_json(capsys, str(target), "--source", str(source), "--src-lang", "zh", "--tgt-lang", "de",
                         "--qe-model", str(qe_models.kiwi), "--offline", "--no-cache")["documents"][0]
    answer = answers[0][1]
    assert answer["qe"]["status"] == "ok"
    scores = [link["qe_score"] for link in answer["alignment"]]
    assert scores == pytest.approx([link["qe_score"] for link in expected["alignment"]], abs=1e-6)


def test_serve_finishes_the_requests_in_flight_on_sigterm(tmp_path):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "tqcheck", "serve", "--port", str(port), "--no-config"],
                               cwd=tmp_path, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    client = Client(port)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if client.get("/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        text = (SAMPLES / "wechat-ecommerce.zh-de.mt.txt").read_text(encoding="utf-8")
        big = {"target": "\n\n".join([text] * 12), "tgt_lang": "de"}  # about a second of work
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(client.post_json, "/v1/check", big)
            time.sleep(0.4)
            process.send_signal(signal.SIGTERM)
            status, answer = pending.result(timeout=60)
        assert status == 200 and answer["issues"]
        assert process.wait(timeout=60) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal once done
    finally:
        if process.poll() is None:
            process.kill()
        process.stderr.close()  # type: ignore[union-attr]


def test_serve_without_the_web_stack_says_how_to_install_it(monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_uvicorn(name, *args, **kwargs):
        if name == "uvicorn":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_uvicorn)
    assert main(["serve"]) == 2
    assert "pip install 'tqcheck[serve]'" in capsys.readouterr().err
