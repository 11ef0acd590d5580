"""The unbabel-comet QE backend: CometKiwi and xCOMET (and the older COMET-QE models) without a reference.

torch and comet are imported on the first cache miss, never at import time. We use comet's Python API
(``download_model``, ``load_from_checkpoint``, ``model.predict``), never the ``comet-score`` CLI, which casts to
half precision even on CPU. comet and Lightning are chatty (``import comet`` configures root logging at INFO,
the Trainer logs "GPU available" and advertising tips, torchmetrics warns about pkg_resources): all of that is
kept off stdout, which carries the report, and out of the caller's logging and warnings configuration.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import logging
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from tqcheck.errors import QEUnavailable
from tqcheck.qe import FAMILY_BANDS, QEConfig, ScoreBands, family_of
from tqcheck.qe.cache import ScoreCache, cache_key, open_cache
from tqcheck.qe.errors import (
    BadCheckpoint,
    CheckpointIsLFSPointer,
    CheckpointNotFound,
    EncoderMissing,
    HparamsMissing,
    ModelNotDownloaded,
    QEDependencyMissing,
    QEOutOfMemory,
    download_error,
    is_out_of_memory,
    load_error,
)
from tqcheck.qe.models import is_checkpoint_path
from tqcheck.qe.spans import anchor_spans
from tqcheck.types import QEResult

log = logging.getLogger(__name__)

CHECKPOINT_NAME = "model.ckpt"
_LFS_MAGIC = b"version https://git-lfs"
_NOISY_LOGGERS = ("comet", "pytorch_lightning", "lightning", "lightning.pytorch", "lightning_fabric",
                  "lightning.fabric", "transformers", "huggingface_hub", "torch")
# Pairs per model.predict call: each call builds a Lightning Trainer (tens of ms), and after each call the
# scores go to the cache, so an interrupted run keeps what it paid for.
_CHUNK_BATCHES = 8


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Keep comet/Lightning/transformers output off stdout and out of the caller's logs and warning filters.

    Their INFO chatter and third-party deprecation warnings say nothing a tqcheck user can act on; real failures
    still arrive as exceptions. Stray prints go to stderr.
    """
    saved = {name: logging.getLogger(name).level for name in _NOISY_LOGGERS}
    try:
        for name in _NOISY_LOGGERS:
            logging.getLogger(name).setLevel(logging.ERROR)
        with warnings.catch_warnings(), contextlib.redirect_stdout(sys.stderr):
            warnings.simplefilter("ignore")
            yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def set_offline() -> None:
    """Make huggingface_hub and transformers use local files only, for the whole process.

    The environment variables are read when those libraries are imported; if they already are, their module
    constant is set too, since local_files_only is not passed everywhere inside comet.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:
        constants.HF_HUB_OFFLINE = True  # type: ignore[attr-defined]


def import_comet() -> ModuleType:
    """``import comet`` with its side effects undone: it calls ``logging.basicConfig(level=INFO)``."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        with quiet():
            # torch first: ImportError then names torch, not whichever comet module needed it.
            importlib.import_module("torch")
            import comet
    except ImportError as err:
        raise QEDependencyMissing(err.name or "unbabel-comet") from err
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    return comet


def resolve_checkpoint(model: str | Path) -> Path:
    """The checkpoint file for a path to ``model.ckpt`` or to a model folder, checked before comet sees it.

    Raises:
        CheckpointNotFound, CheckpointIsLFSPointer, HparamsMissing.
    """
    path = Path(model).expanduser()
    if path.is_dir():
        candidates = [path / "checkpoints" / CHECKPOINT_NAME, path / CHECKPOINT_NAME]
        path = next((c for c in candidates if c.is_file()), candidates[0])
    if not path.is_file():
        raise CheckpointNotFound(path)
    path = path.resolve()
    with path.open("rb") as fh:
        head = fh.read(len(_LFS_MAGIC))
    if head == _LFS_MAGIC:
        raise CheckpointIsLFSPointer(path)
    hparams = path.parent.parent / "hparams.yaml"
    if not hparams.is_file():
        raise HparamsMissing(path, hparams)
    return path


def read_hparams(checkpoint: Path) -> dict[str, Any]:
    """The checkpoint's hparams.yaml (one folder up), as comet reads it."""
    import yaml  # comet's dependency; only needed once a model is being loaded

    hparams = checkpoint.parent.parent / "hparams.yaml"
    try:
        data = yaml.safe_load(hparams.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise BadCheckpoint(hparams, f"cannot read hparams.yaml: {err}") from err
    if not isinstance(data, dict) or "class_identifier" not in data:
        raise BadCheckpoint(hparams, "hparams.yaml has no class_identifier: not a COMET model")
    return data


def checkpoint_fingerprint(checkpoint: Path) -> str:
    """A cheap identity of the weights (size and mtime of the checkpoint and its hparams.yaml).

    Hashing 2–14 GB of weights on every run would cost more than scoring an article; a replaced file changes
    its size or mtime.
    """
    digest = hashlib.sha256()
    for path in (checkpoint, checkpoint.parent.parent / "hparams.yaml"):
        try:
            st = path.stat()
            digest.update(f"{path.name}:{st.st_size}:{st.st_mtime_ns};".encode())
        except OSError:
            digest.update(f"{path.name}:missing;".encode())
    return digest.hexdigest()[:12]


def encoder_available(name: str) -> bool:
    """Whether the encoder named in hparams.yaml can be loaded without the network (folder or HF cache)."""
    path = Path(name).expanduser()
    if path.is_dir():
        return (path / "config.json").is_file()
    if is_checkpoint_path(name) or name.count("/") > 1:
        return False
    from huggingface_hub import try_to_load_from_cache

    def cached(filename: str) -> bool:
        return isinstance(try_to_load_from_cache(name, filename), str)

    tokenizer = ("tokenizer.json", "sentencepiece.bpe.model", "spiece.model", "vocab.txt")
    return cached("config.json") and any(cached(f) for f in tokenizer)


@dataclass(frozen=True, slots=True)
class _Prepared:
    key: str
    source: str
    target: str
    tokens: int
    truncated: bool


class CometBackend:
    """QE with an unbabel-comet model; loads the model lazily, on the first pair missing from the cache."""

    name = "comet"
    # Sort pairs by token count before batching; bench/qe.py turns it off to measure what it gains.
    length_sorting = True

    def __init__(self, config: QEConfig) -> None:
        self.config = config
        self._is_path = is_checkpoint_path(config.model)
        self._checkpoint: Path | None = resolve_checkpoint(config.model) if self._is_path else None
        self._model: Any = None
        self._device: str | None = None
        self._cache: ScoreCache | None = None
        self._cache_opened = False
        self.load_count = 0  # how often a model was loaded (tests and benchmarks check the cache spares it)
        self.cache_hits = self.cache_misses = 0  # pairs found in the score cache, and pairs scored (metrics)

    # -- identity ------------------------------------------------------------------------------------------

    @property
    def model_id(self) -> str:
        """Hub name, or the resolved checkpoint path plus a size/mtime fingerprint."""
        if self._checkpoint is not None:
            return f"{self._checkpoint}@{checkpoint_fingerprint(self._checkpoint)}"
        return self.config.model

    @property
    def signature(self) -> str:
        suffix = f"+{self.config.quantize}" if self.config.quantize else ""
        return f"{self.name}:{self.model_id}{suffix}"

    @property
    def _cache_model(self) -> str:
        # Quantized scores differ from fp32 ones: they must not share cache rows.
        return self.signature

    @property
    def family(self) -> str:
        return family_of(str(self._checkpoint) if self._checkpoint else self.config.model)

    @property
    def bands(self) -> ScoreBands:
        bands = FAMILY_BANDS[self.family]
        return bands.with_threshold(self.config.threshold) if self.config.threshold is not None else bands

    @property
    def loaded(self) -> bool:
        return self._model is not None

    # -- loading -------------------------------------------------------------------------------------------

    def _download(self, comet: ModuleType) -> Path:
        model = self.config.model
        if self.config.offline and "/" not in model:
            # A legacy name (wmt20-comet-qe-da): comet would fetch it from S3 with urllib, ignoring offline mode.
            legacy = Path.home() / ".cache" / "torch" / "unbabel_comet" / model
            if not legacy.is_dir():
                raise ModelNotDownloaded(model, offline=True)
        try:
            with quiet():
                path = comet.download_model(model, local_files_only=self.config.offline)
        except Exception as err:  # comet turns every failure into KeyError("not supported"): find the real one
            offline = self.config.offline or os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes"}
            raise download_error(err, model, offline=offline) from err
        return resolve_checkpoint(path)

    def _resolve_device(self, torch: ModuleType) -> str:
        device = self.config.device
        cuda = torch.cuda.is_available()
        if device == "auto":
            device = "cuda" if cuda else "cpu"
        if device == "cuda" and not cuda:
            raise QEUnavailable("--device cuda was given but torch sees no CUDA GPU: use --device cpu or auto")
        if device == "cuda" and self.config.quantize == "int8":
            raise QEUnavailable("int8 dynamic quantization runs on the CPU only: use --device cpu, or bf16 on GPU")
        return device

    def _load_model(self) -> Any:
        """Load (download if allowed) the model: the expensive step the cache exists to avoid."""
        if self.config.offline:
            set_offline()
        comet = import_comet()
        import torch

        device = self._resolve_device(torch)
        checkpoint = self._checkpoint if self._checkpoint is not None else self._download(comet)
        hparams_path = checkpoint.parent.parent / "hparams.yaml"
        hparams = read_hparams(checkpoint)
        encoder = hparams.get("pretrained_model")
        if isinstance(encoder, str) and self.config.offline and not encoder_available(encoder):
            raise EncoderMissing(encoder, hparams_path)
        try:
            with quiet():
                # reload_hparams: hparams.yaml wins over the copy inside the checkpoint, so pointing
                # pretrained_model at a local folder (as our EncoderMissing message suggests) takes effect.
                model = comet.load_from_checkpoint(str(checkpoint), reload_hparams=True,
                                                   local_files_only=self.config.offline)
                model.eval()
                if self.config.quantize == "int8":
                    # Only the encoder's Linear layers: they hold >95 % of the FLOPs; the small heads stay fp32.
                    # Per-channel weight scales: as fast as per-tensor here (bench/qe.py) and closer to fp32.
                    quantization = torch.ao.quantization
                    model.encoder.model = quantization.quantize_dynamic(
                        model.encoder.model, {torch.nn.Linear: quantization.per_channel_dynamic_qconfig},
                        dtype=torch.qint8)
        except QEUnavailable:
            raise
        except Exception as err:
            raise load_error(err, checkpoint, encoder=encoder if isinstance(encoder, str) else None,
                             hparams=hparams_path, offline=self.config.offline, device=device) from err
        self._device = device
        self.load_count += 1
        log.info("loaded QE model %s on %s", self.model_id, device)
        return model

    @property
    def model(self) -> Any:
        """The comet model, loaded on first use."""
        if self._model is None:
            self._model = self._load_model()
        return self._model

    # -- cache ---------------------------------------------------------------------------------------------

    def _get_cache(self) -> ScoreCache | None:
        if not self.config.use_cache:
            return None
        if not self._cache_opened:
            self._cache_opened = True
            self._cache = open_cache(self.config.cache_dir)
        return self._cache

    def _cache_put(self, items: list[tuple[str, QEResult]]) -> None:
        cache = self._get_cache()
        if cache is None or not items:
            return
        try:
            cache.put_many(items)
        except Exception as err:  # sqlite3.Error, OSError: a cache that fails must not fail the check
            log.warning("QE score cache write failed (%s); going on without it", err)
            self._cache = None

    # -- scoring -------------------------------------------------------------------------------------------

    def score(self, source: str, target: str) -> QEResult:
        """Score one (source, target) segment pair."""
        return self.score_pairs([(source, target)])[0]

    def score_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[QEResult]:
        """Score aligned (source, target) segment pairs; results come back in input order.

        Cached pairs cost nothing and load no model. The rest are scored once each (duplicates share a
        result), longest first in batches of similar length (less padding, and an out-of-memory error shows up
        on the first batch rather than after minutes). A pair longer than the model's window (512 tokens for
        XLM-R) is scored on what fits and marked ``truncated``.

        Raises:
            QEUnavailable: the model cannot be loaded, or a batch does not fit in memory (QEOutOfMemory).
        """
        if not pairs:
            return []
        keys = [cache_key(self._cache_model, src, tgt) for src, tgt in pairs]
        cache = self._get_cache()
        found: dict[str, QEResult] = {}
        if cache is not None:
            try:
                found = cache.get_many(keys, {k: len(tgt) for k, (_, tgt) in zip(keys, pairs, strict=True)})
            except Exception as err:
                log.warning("QE score cache read failed (%s); scoring without it", err)
                self._cache = None
        todo: dict[str, tuple[str, str]] = {}
        for key, pair in zip(keys, pairs, strict=True):
            if key not in found and key not in todo:
                todo[key] = pair
        self.cache_hits += sum(key in found for key in keys)
        self.cache_misses += len(todo)
        if todo:
            found.update(self._score_uncached(todo))
        return [found[k] for k in keys]

    def _prepare(self, todo: dict[str, tuple[str, str]]) -> list[_Prepared]:
        model = self.model
        encoder = model.encoder
        texts = [t for _, t in todo.values()] + [s for s, _ in todo.values()]
        with quiet():
            ids = encoder.tokenizer(texts, add_special_tokens=False)["input_ids"]
        n = len(todo)
        # What comet's concat_sequences keeps: <s> mt </s></s> src </s> within max_positions.
        window = encoder.max_positions - (1 + 2 * encoder.size_separator)
        prepared = []
        for i, (key, (src, tgt)) in enumerate(todo.items()):
            tokens = len(ids[i]) + len(ids[n + i])
            prepared.append(_Prepared(key, src, tgt, tokens, tokens > window))
        return prepared

    def _score_uncached(self, todo: dict[str, tuple[str, str]]) -> dict[str, QEResult]:
        prepared = self._prepare(todo)
        if self.length_sorting:
            prepared.sort(key=lambda p: -p.tokens)
        batch_size = self.config.batch_size
        chunk = batch_size * _CHUNK_BATCHES
        results: dict[str, QEResult] = {}
        for start in range(0, len(prepared), chunk):
            part = prepared[start:start + chunk]
            scores, spans = self._predict([{"src": p.source, "mt": p.target} for p in part])
            fresh = []
            for p, score, raw in zip(part, scores, spans, strict=True):
                result = QEResult(float(score), anchor_spans(p.target, raw), p.truncated)
                results[p.key] = result
                fresh.append((p.key, result))
            self._cache_put(fresh)
        return results

    def _predict(self, samples: list[dict[str, str]]) -> tuple[list[float], list[Any]]:
        """comet's predict on ``samples`` in the given order; out-of-memory becomes a helpful error."""
        import torch

        model = self.model
        device = self._device or "cpu"
        autocast: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
        if self.config.quantize == "bf16":
            autocast = torch.autocast(device_type="cuda" if device == "cuda" else "cpu", dtype=torch.bfloat16)
        try:
            with quiet(), autocast:
                # length_batching=False: we sorted by token count (comet sorts by source characters only).
                output = model.predict(samples, batch_size=self.config.batch_size, gpus=1 if device == "cuda" else 0,
                                       progress_bar=False, length_batching=False)
        except (RuntimeError, MemoryError) as err:
            if is_out_of_memory(err):
                raise QEOutOfMemory(device, self.config.batch_size) from err
            raise
        scores = [float(s) for s in output["scores"]]
        metadata = output.get("metadata") or {}
        spans = metadata.get("error_spans") if hasattr(metadata, "get") else None
        if not spans or len(spans) != len(scores):
            spans = [()] * len(scores)
        return scores, list(spans)

    def close(self) -> None:
        """Drop the model and close the cache."""
        self._model = None
        if self._cache is not None:
            self._cache.close()
        self._cache = None
        self._cache_opened = False

    def __enter__(self) -> CometBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["CometBackend", "checkpoint_fingerprint", "encoder_available", "import_comet", "is_checkpoint_path",
           "quiet", "read_hparams", "resolve_checkpoint", "set_offline"]
