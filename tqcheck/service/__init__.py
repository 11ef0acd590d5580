"""``tqcheck serve``: the checks as a warm HTTP JSON service (FastAPI on uvicorn).

A pipeline that checks articles one request at a time cannot pay for a model load (seconds for CometKiwi) and
the pack compilation in every call: the service loads both once and keeps them. The check itself is the
library's pure function (:func:`tqcheck.check`): the service answers the JSON report's objects, and the same
input gives the same issues and scores as ``tqcheck check --format json``.

Modules: ``requests`` (what a request may ask, validated), ``state`` (the warm state: configuration, worker
threads, the bounded queue, the QE model), ``batching`` (QE batched across concurrent requests), ``metrics``
(Prometheus text), ``app`` (the routes), ``command`` (the click command). Install with ``pip install
'tqcheck[serve]'``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tqcheck.service.state import Service, ServiceSettings


def create_app(settings: ServiceSettings, service: Service | None = None):  # -> fastapi.FastAPI
    """The ASGI app (imports the web stack: call it only to serve)."""
    from tqcheck.service.app import create_app as build

    return build(settings, service)


def __getattr__(name: str) -> Any:
    # Lazily, so that `tqcheck --help` (which registers the serve command) never imports pydantic.
    if name in ("Service", "ServiceSettings"):
        from tqcheck.service import state

        return getattr(state, name)
    raise AttributeError(name)


__all__ = ["Service", "ServiceSettings", "create_app"]
