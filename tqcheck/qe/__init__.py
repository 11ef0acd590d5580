"""Reference-free quality estimation (QE): configuration, the backend interface, thresholds, document scores.

Importing this package imports neither torch nor comet: a rules-only run must start fast, and a machine without
the ``[qe]`` extra must still check documents. Backends are ``"module:Class"`` strings imported by
:func:`load_backend` only when QE actually runs (the sacrebleu ``_TOKENIZERS`` pattern).

Scores and thresholds: every model family has its own scale (CometKiwi and xCOMET give roughly 0–1, the WMT20/21
COMET-QE models give unbounded values around 0), so a segment is judged against :data:`FAMILY_BANDS` of the
family that scored it, never against one global number.
"""

from __future__ import annotations

import functools
import importlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from tqcheck import regexcache
from tqcheck.errors import ConfigError
from tqcheck.qe.models import families, lookup, table
from tqcheck.types import QEResult, Severity

DEFAULT_MODEL = table().default  # Unbabel/wmt22-cometkiwi-da

# name → "module:Class"; a new backend is one file plus one line here.
BACKENDS: Mapping[str, str] = {"comet": "tqcheck.qe.comet:CometBackend"}

Device = Literal["cpu", "cuda", "auto"]
Quantize = Literal["int8", "bf16"]
_DEVICES = ("cpu", "cuda", "auto")
_QUANTIZE = ("int8", "bf16")


@dataclass(frozen=True, slots=True)
class ScoreBands:
    """Score limits below which a segment gets a minor, major or critical issue (``minor_below`` is the threshold).

    A score ``s`` is fine when ``s >= minor_below``; minor when ``major_below <= s < minor_below``; major when
    ``critical_below <= s < major_below``; critical below ``critical_below``.
    """

    minor_below: float
    major_below: float
    critical_below: float

    def __post_init__(self) -> None:
        if not self.minor_below >= self.major_below >= self.critical_below:
            raise ValueError(f"score bands must not increase: {self}")

    @property
    def threshold(self) -> float:
        return self.minor_below

    def severity(self, score: float) -> Severity | None:
        """The severity of a segment scored ``score``, or None when it passes (NaN never passes silently: None)."""
        if math.isnan(score) or score >= self.minor_below:
            return None
        if score >= self.major_below:
            return Severity.MINOR
        if score >= self.critical_below:
            return Severity.MAJOR
        return Severity.CRITICAL

    def with_threshold(self, threshold: float) -> ScoreBands:
        """The same band widths moved so that ``threshold`` is the pass mark."""
        shift = threshold - self.minor_below
        return ScoreBands(threshold, self.major_below + shift, self.critical_below + shift)


# Per-family default bands and routing thresholds, and which COMET class (hparams.yaml class_identifier) or hub
# name belongs to which family: all from the table of known models (models.toml), the one place those facts live.
# A route's ``light_review`` is the family's pass mark and ``post_edit`` its critical limit, so a route and the
# TQ901 issue of the same segment agree; ``publish`` asks for a clear margin above the pass mark.
FAMILY_BANDS: Mapping[str, ScoreBands] = {name: ScoreBands(**f.bands) for name, f in families().items()}
DEFAULT_THRESHOLDS: Mapping[str, float] = {family: bands.threshold for family, bands in FAMILY_BANDS.items()}
FAMILY_ROUTE_THRESHOLDS: Mapping[str, Mapping[str, float]] = {name: dict(f.routing) for name, f in families().items()}
CLASS_FAMILIES: Mapping[str, str] = {f.class_identifier: name for name, f in families().items() if f.class_identifier}
_NAME_FAMILIES = tuple((regexcache.compile(f.name_pattern, re.I), name) for name, f in families().items()
                       if f.name_pattern)
_FINGERPRINT = regexcache.compile(r"@[0-9a-f]{8,64}$")


@functools.lru_cache(maxsize=64)
def _family_from_hparams(checkpoint: str) -> str | None:
    hparams = Path(checkpoint).parent.parent / "hparams.yaml"
    try:
        text = hparams.read_text(encoding="utf-8")
    except OSError:
        return None
    # A regex instead of a YAML parser: this runs in rules-only processes and must stay light.
    match = re.search(r"^class_identifier:\s*['\"]?([\w-]+)", text, re.M)
    return CLASS_FAMILIES.get(match.group(1)) if match else None


def family_of(model: str) -> str:
    """The model family (a key of :data:`FAMILY_BANDS`) of a model id: hub name, or checkpoint path ``@digest``.

    A local checkpoint is judged by its ``hparams.yaml`` (class_identifier); a name by the table of known models,
    else by its spelling.
    """
    bare = _FINGERPRINT.sub("", model)
    known = lookup(bare)
    if known is not None:
        return known.family
    if bare.endswith(".ckpt") and Path(bare).is_file():
        family = _family_from_hparams(bare)
        if family is not None:
            return family
    for pattern, family in _NAME_FAMILIES:
        if pattern.search(bare):
            return family
    return "unknown"


def bands_for(model: str, threshold: float | None = None) -> ScoreBands:
    """The score bands for ``model``'s family, moved to ``threshold`` if one is configured."""
    bands = FAMILY_BANDS[family_of(model)]
    return bands.with_threshold(threshold) if threshold is not None else bands


def document_score(pairs_with_lengths: Iterable[tuple[float | QEResult, int]]) -> float | None:
    """Length-weighted mean of segment scores, or None when nothing was scored.

    Each item is ``(score or QEResult, length)``; the length (words or characters of the target segment) is the
    weight, so a one-word heading does not count as much as a long paragraph. NaN scores and non-positive
    lengths are skipped; with nothing left there is no document score, rather than an invented one.
    """
    total = weight = 0.0
    for item, length in pairs_with_lengths:
        score = item.score if isinstance(item, QEResult) else float(item)
        if length > 0 and math.isfinite(score):
            total += score * length
            weight += length
    return total / weight if weight else None


@dataclass(frozen=True, slots=True)
class QEConfig:
    """How to run QE; part of the report's configuration.

    Attributes:
        model: hub name (``Unbabel/wmt22-cometkiwi-da``) or local checkpoint (``…/checkpoints/model.ckpt``, or
            the folder holding ``checkpoints/`` and ``hparams.yaml``).
        offline: local files only (sets HF_HUB_OFFLINE for the process; passes local_files_only to comet).
        device: ``cpu``, ``cuda`` or ``auto`` (cuda when available).
        batch_size: segment pairs per forward pass.
        cache_dir: folder of the score cache (default: the user cache dir); ``use_cache=False`` disables it.
        quantize: ``int8`` (dynamic quantization of the encoder's Linear layers, CPU) or ``bf16`` (autocast).
        threshold: pass mark overriding the model family's default (:data:`FAMILY_BANDS`).
    """

    model: str = DEFAULT_MODEL
    backend: str = "comet"
    offline: bool = False
    device: Device = "auto"
    batch_size: int = 8
    cache_dir: Path | None = None
    use_cache: bool = True
    quantize: Quantize | None = None
    threshold: float | None = None

    def __post_init__(self) -> None:
        if not self.model or not self.model.strip():
            raise ConfigError("qe model must be a hub name or a checkpoint path")
        if self.backend not in BACKENDS:
            raise ConfigError(f"unknown QE backend {self.backend!r}: one of {', '.join(sorted(BACKENDS))}")
        if self.device not in _DEVICES:
            raise ConfigError(f"invalid device {self.device!r}: one of {', '.join(_DEVICES)}")
        if isinstance(self.batch_size, bool) or not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise ConfigError(f"batch size must be a positive integer, got {self.batch_size!r}")
        if self.quantize is not None and self.quantize not in _QUANTIZE:
            raise ConfigError(f"invalid quantize mode {self.quantize!r}: one of {', '.join(_QUANTIZE)}")
        if self.threshold is not None and not math.isfinite(self.threshold):
            raise ConfigError(f"qe threshold must be a finite number, got {self.threshold!r}")
        if self.cache_dir is not None:
            object.__setattr__(self, "cache_dir", Path(self.cache_dir))

    def replace(self, **changes: object) -> QEConfig:
        return replace(self, **changes)  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form, as recorded in reports."""
        return {
            "backend": self.backend, "model": self.model, "offline": self.offline, "device": self.device,
            "batch_size": self.batch_size, "cache_dir": str(self.cache_dir) if self.cache_dir else None,
            "use_cache": self.use_cache, "quantize": self.quantize, "threshold": self.threshold,
        }


@runtime_checkable
class QEBackend(Protocol):
    """What the pipeline needs from a QE backend."""

    name: str

    @property
    def model_id(self) -> str:
        """Identifies the model's weights: used in cache keys, ScoredPair.model and the run signature."""

    @property
    def signature(self) -> str:
        """``<backend>:<model id>[+<quantize>]`` for the report signature."""

    @property
    def family(self) -> str:
        """A key of :data:`FAMILY_BANDS`."""

    @property
    def bands(self) -> ScoreBands:
        """The bands that turn this backend's scores into severities (threshold override applied)."""

    def score(self, source: str, target: str) -> QEResult:
        """Score one (source, target) segment pair."""

    def score_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[QEResult]:
        """Score (source, target) pairs; results in input order."""

    def close(self) -> None:
        """Release the model and the cache."""


def load_backend(config: QEConfig | None = None) -> QEBackend:
    """Create the configured backend. Cheap: the model itself loads on the first segment not in the cache.

    Raises:
        QEUnavailable: (a subclass from :mod:`tqcheck.qe.errors`) when the backend cannot be imported.
    """
    config = config or QEConfig()
    module_name, _, class_name = BACKENDS[config.backend].partition(":")
    module = importlib.import_module(module_name)
    backend: QEBackend = getattr(module, class_name)(config)
    return backend


__all__ = [
    "BACKENDS", "CLASS_FAMILIES", "DEFAULT_MODEL", "DEFAULT_THRESHOLDS", "FAMILY_BANDS", "FAMILY_ROUTE_THRESHOLDS",
    "QEBackend", "QEConfig",
    "ScoreBands", "bands_for", "document_score", "family_of", "load_backend",
]
