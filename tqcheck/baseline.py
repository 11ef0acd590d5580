"""Baselines: the findings of legacy content recorded once (``tqcheck baseline FILE PATHS…``), so that a later
``tqcheck check --baseline FILE`` reports, scores and gates only the findings that are new.

The file is a small JSON object::

    {"tqcheck_baseline": 1,
     "tool": {"name": "tqcheck", "version": "0.1.0"},
     "fingerprint": "tqcheckSpan/v1",
     "findings": 85,
     "files": {"samples/wechat-ecommerce.zh-de.mt.txt": ["3f1c…:1", "…"]}}

``files`` maps each checked file, relative to the baseline file's folder (``/``-separated), to the SARIF
fingerprints (:mod:`tqcheck.fingerprint`) of its findings, suppressed ones excluded. A bilingual file is one entry:
its fingerprints name their unit.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from tqcheck.errors import ConfigError
from tqcheck.fingerprint import FINGERPRINT_KEY, numbered
from tqcheck.types import DocumentResult, FileResult, Report
from tqcheck.userfiles import read_user_file

FORMAT_VERSION = 1
_MAX_BYTES = 256 * 1024 * 1024  # a baseline of a million findings is some 40 MB


@dataclass(frozen=True)
class Baseline:
    """A loaded baseline: its file, and the fingerprints recorded per checked file."""

    path: Path
    files: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def recorded(self, document: Path | None) -> frozenset[str]:
        """The fingerprints recorded for the file ``document`` (as :func:`tqcheck.fingerprint.numbered` gives
        them); none for a text that is not a file."""
        if document is None:
            return frozenset()
        return self.files.get(file_key(document, self.path.parent), frozenset())


def file_key(document: Path, folder: Path) -> str:
    """How a baseline names a checked file: relative to the baseline's folder, ``/``-separated."""
    absolute = os.path.abspath(document)
    try:
        relative = os.path.relpath(absolute, os.path.abspath(folder))
    except ValueError:  # another drive (Windows)
        return Path(absolute).as_posix()
    return PurePosixPath(*Path(relative).parts).as_posix()


def load_baseline(path: Path | str) -> Baseline:
    """Read a baseline file.

    Raises:
        ConfigError: naming the file: missing, unreadable, not JSON, or not a tqcheck baseline (of this format).
    """
    path = Path(path)
    hint = f"write one with: tqcheck baseline {path} PATHS…"
    raw = read_user_file(path, "baseline file", hint=hint, max_bytes=_MAX_BYTES)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ConfigError(f"{path}: not a tqcheck baseline (not valid JSON: {err}); {hint}") from None
    if not isinstance(data, dict) or "tqcheck_baseline" not in data:
        raise ConfigError(f"{path}: not a tqcheck baseline (no 'tqcheck_baseline' version); {hint}")
    if data["tqcheck_baseline"] != FORMAT_VERSION:
        raise ConfigError(f"{path}: baseline format {data['tqcheck_baseline']!r} is not supported (this tqcheck "
                          f"reads format {FORMAT_VERSION}); {hint}")
    if data.get("fingerprint") != FINGERPRINT_KEY:
        raise ConfigError(f"{path}: baseline fingerprints are {data.get('fingerprint')!r}, this tqcheck computes "
                          f"{FINGERPRINT_KEY!r}; {hint}")
    files = data.get("files")
    if not isinstance(files, dict) or not all(
            isinstance(k, str) and isinstance(v, list) and all(isinstance(x, str) for x in v)
            for k, v in files.items()):
        raise ConfigError(f"{path}: not a tqcheck baseline ('files' must map file names to lists of "
                          f"fingerprints); {hint}")
    return Baseline(path.resolve(), {k: frozenset(v) for k, v in files.items()})


def baseline_dict(report: Report, baseline_path: Path | str) -> dict[str, Any]:
    """The baseline of a report's findings (what ``tqcheck baseline`` writes): per checked file, the
    fingerprints of its findings that no ``[[suppress]]`` entry covers, numbered as SARIF numbers them."""
    from tqcheck import __version__

    folder = Path(os.path.abspath(baseline_path)).parent
    files: dict[str, list[str]] = {}
    for result in report.documents:
        path = result.path if isinstance(result, FileResult) else result.target.path
        if path is None:
            continue
        units = result.units if isinstance(result, FileResult) else (result,)
        recorded = files.setdefault(file_key(path, folder), [])
        for unit in units:
            recorded.extend(_recorded(unit))
    files = {key: sorted(set(values)) for key, values in sorted(files.items())}
    return {
        "tqcheck_baseline": FORMAT_VERSION,
        "tool": {"name": "tqcheck", "version": __version__},
        "fingerprint": FINGERPRINT_KEY,
        "findings": sum(len(v) for v in files.values()),
        "files": files,
    }


def _recorded(unit: DocumentResult) -> list[str]:
    """Fingerprints of the unit's findings, numbered over all of them (suppressed ones too), kept ones only."""
    suppressed = {id(s.issue) for s in unit.suppressed if s.by == "config"}
    everything = sorted([*unit.issues, *(s.issue for s in unit.suppressed)], key=lambda i: i.sort_key)
    return [fp for issue, fp in zip(everything, numbered(unit.target, everything), strict=True)
            if id(issue) not in suppressed]


__all__ = ["FORMAT_VERSION", "Baseline", "baseline_dict", "file_key", "load_baseline"]
