"""Why quality estimation cannot run, in words a user can act on.

Every error here is a :class:`tqcheck.errors.QEUnavailable`, so the pipeline reports "QE unavailable: <why>"
and a CLI maps it to one exit status. The classifying functions look at exception *class names* (anywhere in
the MRO) rather than importing huggingface_hub, requests or torch: this module must import nothing heavy, and
matching names keeps working across those libraries' versions, which move their exception classes around.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path

from tqcheck.errors import QEUnavailable

_FIX_ENCODER = (
    "download it once with network access (e.g. `huggingface-cli download {name}`), or copy it into the "
    "Hugging Face cache (HF_HOME), or set `pretrained_model` in {hparams} to a local folder holding its "
    "config.json and tokenizer files"
)


class QEDependencyMissing(QEUnavailable):
    """torch or unbabel-comet is not installed."""

    def __init__(self, missing: str) -> None:
        self.missing = missing
        super().__init__(f"quality estimation needs {missing}, which is not installed: "
                         "pip install 'tqcheck[qe]' (install torch first; CPU wheels: pip install torch "
                         "--index-url https://download.pytorch.org/whl/cpu)")


class ModelNotDownloaded(QEUnavailable):
    """A hub model is not in the local cache and we may not (or cannot) download it."""

    def __init__(self, model: str, *, offline: bool) -> None:
        self.model = model
        why = "offline mode is on" if offline else "the download failed"
        super().__init__(f"QE model {model!r} is not downloaded and {why}: run once with network access "
                         f"(without --offline) to download it, or pass --qe-model with the path of a local "
                         f"checkpoint (…/checkpoints/model.ckpt)")


class ModelNotFound(QEUnavailable):
    """The hub has no such repository (or hides it from us)."""

    def __init__(self, model: str) -> None:
        self.model = model
        super().__init__(f"QE model {model!r} does not exist on the Hugging Face hub (or is private): check the "
                         f"name, e.g. Unbabel/wmt22-cometkiwi-da, Unbabel/XCOMET-XL")


class GatedModel(QEUnavailable):
    """The model's licence has to be accepted on its hub page, with a token that can prove it."""

    def __init__(self, model: str) -> None:
        self.model = model
        super().__init__(f"QE model {model!r} is gated: accept its licence at https://huggingface.co/{model} "
                         f"while logged in, then log in here with `huggingface-cli login` (or set HF_TOKEN)")


class NetworkUnavailable(QEUnavailable):
    """The hub could not be reached."""

    def __init__(self, model: str, detail: str) -> None:
        self.model = model
        super().__init__(f"cannot reach the Hugging Face hub to fetch {model!r} ({detail}): check the network "
                         f"or proxy (HTTPS_PROXY), or use a model that is already downloaded with --offline")


class DiskFull(QEUnavailable):
    """Downloading or unpacking ran out of disk space."""

    def __init__(self, model: str, detail: str) -> None:
        self.model = model
        super().__init__(f"no space left on the device while downloading {model!r} ({detail}): free some disk "
                         f"space or point HF_HOME at a larger disk (CometKiwi-22 needs ~2.3 GB, XCOMET-XL ~14 GB)")


class DownloadFailed(QEUnavailable):
    """comet's download_model failed for a reason we could not classify more precisely."""

    def __init__(self, model: str, detail: str) -> None:
        self.model = model
        super().__init__(f"downloading QE model {model!r} failed: {detail}. Check disk space, the network, the "
                         f"model name, and whether its licence must be accepted on huggingface.co")


class CheckpointNotFound(QEUnavailable):
    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path}: no such COMET checkpoint (expected …/checkpoints/model.ckpt with "
                         f"hparams.yaml one folder up)")


class CheckpointIsLFSPointer(QEUnavailable):
    """The checkpoint is a git-LFS pointer: the repository was cloned without its large files."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} is a git-LFS pointer file, not the model weights: run `git lfs install` and "
                         f"`git lfs pull` in its repository (or download the model with huggingface-cli)")


class HparamsMissing(QEUnavailable):
    """comet needs hparams.yaml one folder above checkpoints/model.ckpt to know the model class."""

    def __init__(self, checkpoint: Path, expected: Path) -> None:
        self.path = checkpoint
        self.expected = expected
        super().__init__(f"{checkpoint}: {expected} is missing; COMET keeps hparams.yaml one folder above "
                         f"checkpoints/model.ckpt: copy it from the model's repository")


class BadCheckpoint(QEUnavailable):
    """The checkpoint or its hparams.yaml cannot be read or is not a QE model we support."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        super().__init__(f"{path}: {problem}")


class EncoderMissing(QEUnavailable):
    """The pretrained encoder named in hparams.yaml (its tokenizer and config) is not available locally."""

    def __init__(self, name: str, hparams: Path | None, detail: str | None = None) -> None:
        self.name = name
        self.hparams = hparams
        where = str(hparams) if hparams else "the model's hparams.yaml"
        because = f" ({detail})" if detail else ""
        super().__init__(f"the QE model's encoder {name!r} (pretrained_model in {where}) is not available "
                         f"locally{because}: " + _FIX_ENCODER.format(name=name, hparams=where))


class QEOutOfMemory(QEUnavailable):
    """The model (loading) or a batch (scoring) did not fit in memory."""

    def __init__(self, device: str, batch_size: int | None = None) -> None:
        self.batch_size = batch_size
        self.device = device
        if batch_size is None:
            hint = ("the model does not fit: close other programs or use a smaller model "
                    "(CometKiwi-22 needs ~2.5 GB of RAM, XCOMET-XL ~14 GB)")
        else:
            hint = f"try a smaller --batch-size (now {batch_size})"
        if device != "cpu":
            hint += ", or --device cpu"
        stage = "loading" if batch_size is None else "running"
        super().__init__(f"out of memory while {stage} the QE model on {device}: {hint}")


def _names(err: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(err).__mro__}


def exception_chain(err: BaseException) -> Iterator[BaseException]:
    """``err`` and its causes and contexts, outermost first (each once)."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def is_out_of_memory(err: BaseException) -> bool:
    """True for torch's CUDA/CPU allocation failures and Python's MemoryError."""
    if isinstance(err, MemoryError) or "OutOfMemoryError" in _names(err):
        return True
    text = str(err).lower()
    return isinstance(err, RuntimeError) and ("out of memory" in text or "can't allocate memory" in text)


def _is_network_error(err: BaseException) -> bool:
    names = _names(err)
    if names & {"ConnectionError", "ConnectError", "ConnectTimeout", "Timeout", "TimeoutException", "URLError",
                "gaierror", "ProxyError", "SSLError", "ReadTimeout"}:
        return "OfflineModeIsEnabled" not in names
    return False


def _is_disk_full(err: BaseException) -> bool:
    return (isinstance(err, OSError) and err.errno == errno.ENOSPC) or "no space left on device" in str(err).lower()


def _status(err: BaseException) -> int | None:
    response = getattr(err, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def download_error(err: BaseException, model: str, *, offline: bool) -> QEUnavailable:
    """What really went wrong when fetching hub model ``model``.

    comet's ``download_model`` turns every failure into ``KeyError("Model ... not supported by COMET.")``; the
    real exception is still reachable through ``__context__`` (the snapshot download failed, then the legacy
    fallback failed), so we walk the chain and classify the most specific cause.
    """
    chain = list(exception_chain(err))
    for e in chain:
        if "GatedRepoError" in _names(e):
            return GatedModel(model)
    for e in chain:
        if "RepositoryNotFoundError" in _names(e):
            return ModelNotFound(model)
    for e in chain:
        if _status(e) in (401, 403):
            return GatedModel(model)
    for e in chain:
        if _is_disk_full(e):
            return DiskFull(model, str(e))
    not_cached = any(_names(e) & {"LocalEntryNotFoundError", "OfflineModeIsEnabled"} for e in chain)
    if offline or (not_cached and not any(_is_network_error(e) for e in chain)):
        # Without network, snapshot_download can only say "not in the local cache".
        return ModelNotDownloaded(model, offline=offline)
    for e in chain:
        if _is_network_error(e):
            return NetworkUnavailable(model, f"{type(e).__name__}: {e}")
    # The first cause that is not comet's own "not supported" wrapper nor the legacy fallback's complaint.
    detail = next((f"{type(e).__name__}: {e}" for e in reversed(chain)
                   if not isinstance(e, KeyError) and "available_legacy_metrics" not in str(e)), str(err))
    return DownloadFailed(model, detail)


def load_error(err: BaseException, checkpoint: Path, *, encoder: str | None, hparams: Path | None,
               offline: bool, device: str = "cpu") -> QEUnavailable:
    """Classify a failure of ``comet.load_from_checkpoint`` (or of moving the model to ``device``)."""
    chain = list(exception_chain(err))
    if any(is_out_of_memory(e) for e in chain):
        return QEOutOfMemory(device)
    if encoder is not None:
        for e in chain:
            text = str(e)
            if isinstance(e, OSError) and (encoder in text or "local_files_only" in text
                                           or "offline" in text.lower()):
                # transformers could not find the encoder's tokenizer/config: locally missing is the root cause,
                # an unreachable hub only the reason it was not fetched.
                network = next((x for x in chain if _is_network_error(x)), None)
                detail = f"and the hub could not be reached: {type(network).__name__}" if network else None
                return EncoderMissing(encoder, hparams, detail)
    for e in chain:
        if _is_network_error(e):
            return NetworkUnavailable(encoder or str(checkpoint), f"{type(e).__name__}: {e}")
    for e in chain:
        if "UnpicklingError" in _names(e) or "invalid load key" in str(e) or "PytorchStreamReader" in str(e):
            return BadCheckpoint(checkpoint, f"not a readable PyTorch checkpoint ({e}); is the file complete?")
    return BadCheckpoint(checkpoint, f"cannot load the COMET model: {type(err).__name__}: {err}")


__all__ = [
    "BadCheckpoint", "CheckpointIsLFSPointer", "CheckpointNotFound", "DiskFull", "DownloadFailed", "EncoderMissing",
    "GatedModel", "HparamsMissing", "ModelNotDownloaded", "ModelNotFound", "NetworkUnavailable", "QEDependencyMissing",
    "QEOutOfMemory", "download_error", "exception_chain", "is_out_of_memory", "load_error",
]
