"""The HTTP API: FastAPI routes over :class:`~tqcheck.service.state.Service`. Answers are the JSON report's own
objects (a check answers one ``documents[i]`` object; a batch streams the JSONL report's lines); every refusal
is a 4xx or 5xx with the CLI's error objects, never a traceback.
"""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tqcheck import __version__
from tqcheck.config import Config
from tqcheck.service.requests import (
    BatchRequest,
    CheckOptions,
    CheckRequest,
    RequestProblem,
    parse,
)
from tqcheck.service.state import Service, ServiceSettings

_OPEN_PATHS = frozenset({"/healthz", "/docs", "/docs/oauth2-redirect", "/openapi.json"})
# Metrics are labelled by these (any other path is "other": a scan of random URLs must not grow the labels).
_ENDPOINTS = frozenset({"/v1/check", "/v1/check/batch", "/v1/rules", "/healthz", "/metrics", "/docs",
                        "/openapi.json"})


def create_app(settings: ServiceSettings, service: Service | None = None) -> FastAPI:
    """The ASGI app of ``tqcheck serve``; the service warms up (packs, QE model) when the app starts."""
    service = service or Service(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        import asyncio
        import threading

        # Warm up off the event loop: /healthz answers "loading" (503) until the model is in.
        warming = threading.Thread(target=service.warm, name="tqcheck-warm", daemon=True)
        warming.start()
        try:
            yield
        finally:
            await asyncio.get_running_loop().run_in_executor(None, warming.join)
            service.close()

    app = FastAPI(title="tqcheck", version=__version__, lifespan=lifespan,
                  description="Translation-quality checks over HTTP: the same checks, scores and report objects "
                              "as `tqcheck check --format json`.")
    app.state.service = service
    app.add_middleware(_BodyLimit, limit=settings.max_body, service=service)  # type: ignore[arg-type]
    _routes(app, service, settings)
    _error_handlers(app)
    _document_request_bodies(app)
    return app


def _routes(app: FastAPI, service: Service, settings: ServiceSettings) -> None:
    from tqcheck.reports.json import document_to_dict, dumps

    @app.middleware("http")
    async def count_and_authorise(request: Request, call_next: Callable[[Request], Awaitable[Response]]
                                  ) -> Response:
        started = time.perf_counter()
        if settings.token is not None and request.url.path not in _OPEN_PATHS and not _authorised(
                request, settings.token):
            service.metrics.reject("unauthorized")
            response: Response = _problem(RequestProblem(401, "unauthorized", "a valid bearer token is required"))
            response.headers["WWW-Authenticate"] = "Bearer"
        else:
            response = await call_next(request)
        path = request.url.path
        service.metrics.observe(path if path in _ENDPOINTS else "other", response.status_code,
                                time.perf_counter() - started)
        return response

    @app.post("/v1/check", summary="Check one document",
              description="A JSON body (target, optional source, reference, languages and options) or a "
                          "multipart upload of a file (`file`, with optional `options` as JSON, `src_lang`, "
                          "`tgt_lang`). Answers the JSON report's document object.")
    async def check(request: Request) -> Response:
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            name, data, options, src, tgt = await _upload(request)
            result: Any = await service.run(lambda: service.check_upload(name, data, options, src, tgt))
        else:
            body = parse(CheckRequest, await _json(request))
            result = await service.run(lambda: service.check_text(body))
        return Response(dumps(document_to_dict(result)), media_type="application/json")

    @app.post("/v1/check/batch", summary="Check many documents, answered as JSON Lines",
              description="The JSONL report's lines, one per item in order (`document` or `error`), then its "
                          "`summary` line.")
    async def check_batch(request: Request) -> Response:
        body = parse(BatchRequest, await _json(request))
        if len(body.items) > settings.max_items:
            raise RequestProblem(413, "too-large", f"{len(body.items)} items; at most {settings.max_items} a request")
        config = service.config_for(body.options)  # a bad option is a 422, before the stream starts
        return StreamingResponse(service.stream(_batch_lines(service, body, config)),
                                 media_type="application/x-ndjson")

    @app.get("/v1/rules", summary="The rules: code, name, category, severity, measured confidence, documentation")
    async def rules() -> Response:
        return JSONResponse({"rules": _rules()})

    @app.get("/healthz", summary="Ready (200) once the packs and the QE model are loaded; 503 before")
    async def healthz() -> Response:
        qe = service.base.qe.model if service.base.qe is not None else None
        if service.ready.is_set():
            return JSONResponse({"status": "ready", "version": __version__, "qe_model": qe})
        status = "failed" if service.load_error else "loading"
        return JSONResponse({"status": status, "version": __version__, "qe_model": qe,
                             "error": service.load_error}, status_code=503)

    @app.get("/metrics", summary="Prometheus metrics", response_class=PlainTextResponse)
    async def metrics() -> Response:
        return PlainTextResponse(service.metrics.render(queue=service.queue_state, qe=service.qe_counts),
                                 media_type="text/plain; version=0.0.4")


def _batch_lines(service: Service, body: BatchRequest, config: Config) -> Iterator[str]:
    """The JSONL report of the batch, a line as each item is checked (the iterator is advanced on a worker)."""
    from tqcheck.batch import build_report
    from tqcheck.reports.jsonl import stream

    return stream(service.check_batch(body.items, body.options), lambda done: build_report(done, config))


def _rules() -> list[dict[str, Any]]:
    from tqcheck.rules import REGISTRY
    from tqcheck.rules.confidence import rule_confidence

    return [{"code": r.code, "name": r.name, "category": r.info.category.value, "severity": r.info.severity.value,
             "confidence": rule_confidence(r.code, None, None), "summary": r.info.summary,
             "needs_source": r.info.needs_source, "why": " ".join(r.field("Why")), "bad": r.field("Bad"),
             "good": r.field("Good")} for r in REGISTRY.values()]


async def _json(request: Request) -> object:
    raw = await request.body()
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RequestProblem(400, "bad-request", f"the body is not valid JSON: {err}") from None


async def _upload(request: Request) -> tuple[str, bytes, CheckOptions | None, str | None, str | None]:
    async with request.form() as form:  # closes the spooled upload files
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise RequestProblem(422, "bad-request", "a multipart check needs a `file` field with the file")
        name = upload.filename or "upload.txt"
        data = await upload.read()
        options = None
        if (raw := form.get("options")) is not None:
            try:
                options = parse(CheckOptions, json.loads(str(raw)))
            except json.JSONDecodeError as err:
                raise RequestProblem(400, "bad-request", f"options: not valid JSON: {err}") from None
        src, tgt = form.get("src_lang"), form.get("tgt_lang")
    return name, data, options, str(src) if src else None, str(tgt) if tgt else None


def _authorised(request: Request, token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def _problem(problem: RequestProblem) -> JSONResponse:
    headers = {"Retry-After": "1"} if problem.status in (429, 503) else None
    return JSONResponse(problem.errors(), status_code=problem.status, headers=headers)


def _error_handlers(app: FastAPI) -> None:
    from tqcheck.errors import InputError, QEUnavailable

    @app.exception_handler(RequestProblem)
    async def request_problem(_request: Request, problem: RequestProblem) -> JSONResponse:
        return _problem(problem)

    @app.exception_handler(InputError)
    async def input_error(_request: Request, err: InputError) -> JSONResponse:
        return _problem(RequestProblem(422, err.kind, err.problem + (f" ({err.hint})" if err.hint else "")))

    @app.exception_handler(QEUnavailable)
    async def qe_unavailable(_request: Request, err: QEUnavailable) -> JSONResponse:
        return _problem(RequestProblem(503, "qe-unavailable", str(err)))

    @app.exception_handler(Exception)
    async def internal(_request: Request, err: Exception) -> JSONResponse:
        # A bug: the client gets an error object that says so, the server log the traceback (uvicorn's).
        return _problem(RequestProblem(500, "internal", f"internal error: {type(err).__name__}: {err}; please "
                                                        "report it"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, err: StarletteHTTPException) -> JSONResponse:
        kind = {404: "not-found", 405: "method-not-allowed"}.get(err.status_code, "bad-request")
        return _problem(RequestProblem(err.status_code, kind, str(err.detail)))

    @app.exception_handler(RequestValidationError)
    async def validation(_request: Request, err: RequestValidationError) -> JSONResponse:
        return _problem(RequestProblem(422, "bad-request", str(err.errors()[0].get("msg", err))))


def _document_request_bodies(app: FastAPI) -> None:
    """The routes read their bodies themselves (JSON or a multipart upload); the OpenAPI document still shows
    the models."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for model in (CheckRequest, BatchRequest):
                spec = model.model_json_schema(ref_template="#/components/schemas/{model}")
                components.update(spec.pop("$defs", {}))
                components[model.__name__] = spec
            check_body = {"content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/CheckRequest"}},
                "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "options": {"type": "string", "description": "CheckOptions as JSON"},
                    "src_lang": {"type": "string"}, "tgt_lang": {"type": "string"}}}}}}
            schema["paths"]["/v1/check"]["post"]["requestBody"] = check_body
            schema["paths"]["/v1/check/batch"]["post"]["requestBody"] = {"content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/BatchRequest"}}}}
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


class _BodyLimit:
    """Refuse a request body above ``limit`` bytes with 413 before it is read whole: by its Content-Length, or
    while it streams in."""

    def __init__(self, app: ASGIApp, limit: int, service: Service) -> None:
        self.app, self.limit, self.service = app, limit, service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.limit:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or {}).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        self.service.metrics.reject("too-large")
        body = json.dumps(RequestProblem(413, "too-large", f"the body is larger than {self.limit:,} bytes"
                                         ).errors()).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
