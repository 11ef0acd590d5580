"""tqcheck: translation-quality checks for machine-translated articles.

The library API: :func:`check` one document (optionally with its source), :func:`check_paths` for files
and folders. Nothing here prints; render a :class:`Report` with :mod:`tqcheck.reports`.

The names are loaded on first use (PEP 562), so that ``tqcheck --help`` and the modules that only need
``__version__`` do not import every rule.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY = {
    "check_paths": "tqcheck.batch", "iter_results": "tqcheck.batch",
    "Config": "tqcheck.config",
    "check": "tqcheck.pipeline",
    "Document": "tqcheck.types", "DocumentResult": "tqcheck.types", "FileError": "tqcheck.types",
    "FileResult": "tqcheck.types", "Issue": "tqcheck.types", "Report": "tqcheck.types", "Severity": "tqcheck.types",
}

if TYPE_CHECKING:
    from tqcheck.batch import check_paths, iter_results
    from tqcheck.config import Config
    from tqcheck.pipeline import check
    from tqcheck.types import Document, DocumentResult, FileError, FileResult, Issue, Report, Severity


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tqcheck' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once: later lookups do not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "Config",
    "Document",
    "DocumentResult",
    "FileError",
    "FileResult",
    "Issue",
    "Report",
    "Severity",
    "__version__",
    "check",
    "check_paths",
    "iter_results",
]
