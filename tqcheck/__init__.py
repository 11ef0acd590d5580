"""tqcheck: translation-quality checks for machine-translated articles.

The library API: :func:`check` one document (optionally with its source), :func:`check_paths` for files
and folders. Nothing here prints; render a :class:`Report` with :mod:`tqcheck.reports`.
"""

__version__ = "0.1.0"

from tqcheck.batch import check_paths, iter_results
from tqcheck.config import Config
from tqcheck.pipeline import check
from tqcheck.types import Document, DocumentResult, FileError, FileResult, Issue, Report, Severity

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
