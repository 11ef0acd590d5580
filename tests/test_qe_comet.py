"""The comet QE backend on tiny real checkpoints (offline), its errors, thresholds and the TQ9xx rules."""

from __future__ import annotations

import errno
import logging
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import qe_fixtures
from tests.qe_fixtures import PAIRS, TinyModels
from tqcheck.errors import ConfigError, QEUnavailable
from tqcheck.qe import (
    DEFAULT_MODEL,
    FAMILY_BANDS,
    QEBackend,
    QEConfig,
    ScoreBands,
    bands_for,
    document_score,
    family_of,
    load_backend,
)
from tqcheck.qe.errors import (
    BadCheckpoint,
    CheckpointIsLFSPointer,
    CheckpointNotFound,
    DiskFull,
    DownloadFailed,
    EncoderMissing,
    GatedModel,
    HparamsMissing,
    ModelNotDownloaded,
    ModelNotFound,
    NetworkUnavailable,
    QEOutOfMemory,
    download_error,
    is_out_of_memory,
    load_error,
)
from tqcheck.rules.base import CheckContext
from tqcheck.rules.qe import RULES, low_qe_score, qe_error_span
from tqcheck.types import Document, QEResult, QESpan, ScoredPair, Severity, Span

qe_models = qe_fixtures.qe_models  # the session fixture that builds the tiny checkpoints
SOURCES = [s for s, _ in PAIRS]
TARGETS = [t for _, t in PAIRS]


@pytest.fixture(autouse=True)
def _restore_offline_switches(monkeypatch: pytest.MonkeyPatch) -> None:
    """offline=True sets HF_HUB_OFFLINE for the process; put it back after each test."""
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.setenv(name, "1")
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:
        monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)


def backend(checkpoint: Path, tmp_path: Path | None = None, **kwargs: object) -> QEBackend:
    config = QEConfig(model=str(checkpoint), offline=True, device="cpu", batch_size=4,
                      cache_dir=tmp_path, use_cache=tmp_path is not None, **kwargs)  # type: ignore[arg-type]
    return load_backend(config)


def copy_model(models: TinyModels, which: str, dest: Path) -> Path:
    """A private copy of a tiny model folder (to damage); returns its checkpoint path."""
    shutil.copytree(models.root / which, dest / which)
    return dest / which / "checkpoints" / "model.ckpt"


# -- import hygiene ----------------------------------------------------------------------------------------

def test_import_qe_does_not_import_torch_or_comet() -> None:
    """A rules-only run stays fast: importing the QE modules loads no torch, comet or transformers."""
    code = ("import sys, tqcheck.qe, tqcheck.qe.comet, tqcheck.qe.cache, tqcheck.qe.spans, tqcheck.qe.errors, "
            "tqcheck.rules.qe\n"
            "heavy = [m for m in ('torch', 'comet', 'transformers', 'pytorch_lightning') if m in sys.modules]\n"
            "assert not heavy, heavy")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


# -- scoring -----------------------------------------------------------------------------------------------

@pytest.mark.qe
def test_kiwi_scores_every_pair(qe_models: TinyModels, capsys: pytest.CaptureFixture[str]) -> None:
    """One finite score per pair, fresh (not cached), nothing on stdout, root logging untouched."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    results = backend(qe_models.kiwi).score_pairs(PAIRS)
    assert len(results) == len(PAIRS)
    for r in results:
        assert isinstance(r.score, float) and math.isfinite(r.score)
        assert 0.0 <= r.score <= 1.0  # the tiny CometKiwi ends in a sigmoid
        assert not r.cached and not r.truncated and r.spans == ()
    assert capsys.readouterr().out == ""
    assert root.handlers == handlers and root.level == level


@pytest.mark.qe
def test_scores_are_deterministic(qe_models: TinyModels) -> None:
    """Two loads of the same checkpoint give the same scores."""
    first = [r.score for r in backend(qe_models.xcomet).score_pairs(PAIRS)]
    second = [r.score for r in backend(qe_models.xcomet).score_pairs(PAIRS)]
    assert first == second


@pytest.mark.qe
def test_results_come_back_in_input_order(qe_models: TinyModels) -> None:
    """Length sorting and batching never reorder results; duplicates share one result."""
    b = backend(qe_models.kiwi)
    forward = b.score_pairs(PAIRS)
    backward = b.score_pairs(PAIRS[::-1])[::-1]
    singles = [b.score(s, t) for s, t in PAIRS]
    for f, r, s in zip(forward, backward, singles, strict=True):
        assert f.score == pytest.approx(r.score, abs=1e-5)
        assert f.score == pytest.approx(s.score, abs=1e-5)
    doubled = b.score_pairs([PAIRS[0], PAIRS[1], PAIRS[0]])
    assert doubled[0] == doubled[2]


@pytest.mark.qe
def test_xcomet_spans_are_valid_and_anchored(qe_models: TinyModels) -> None:
    """xCOMET spans lie inside their target segment, are trimmed, and their text comes from the segment."""
    results = backend(qe_models.xcomet).score_pairs(PAIRS)
    assert any(r.spans for r in results), "the tiny xCOMET is built to mark some subwords"
    for target, r in zip(TARGETS, results, strict=True):
        last = 0
        for span in r.spans:
            assert last <= span.start < span.end <= len(target)
            text = target[span.start:span.end]
            assert text == text.strip() and "<s>" not in text and "▁" not in text
            assert span.severity in (Severity.MINOR, Severity.MAJOR, Severity.CRITICAL)
            assert 0.0 <= span.confidence <= 1.0
            last = span.end


@pytest.mark.qe
def test_long_pair_is_marked_truncated(qe_models: TinyModels) -> None:
    """A pair longer than the 512-token window is scored on what fits and says so."""
    long_target = " ".join([TARGETS[0]] * 80)
    results = backend(qe_models.kiwi).score_pairs([(SOURCES[0], long_target), PAIRS[0]])
    assert [r.truncated for r in results] == [True, False]
    assert math.isfinite(results[0].score)


@pytest.mark.qe
def test_cache_hit_loads_no_model(qe_models: TinyModels, tmp_path: Path) -> None:
    """Re-checking unchanged text loads no model; an edited sentence alone is scored."""
    first = backend(qe_models.xcomet, tmp_path)
    fresh = first.score_pairs(PAIRS)
    assert first.load_count == 1  # type: ignore[attr-defined]
    first.close()

    second = backend(qe_models.xcomet, tmp_path)
    again = second.score_pairs(PAIRS)
    assert second.load_count == 0 and not second.loaded  # type: ignore[attr-defined]
    assert all(r.cached for r in again)
    assert [(r.score, r.spans, r.truncated) for r in again] == [(r.score, r.spans, r.truncated) for r in fresh]

    edited = [*PAIRS[:-1], (SOURCES[-1], TARGETS[-1] + " Neu.")]
    mixed = second.score_pairs(edited)
    assert second.load_count == 1  # type: ignore[attr-defined]
    assert [r.cached for r in mixed] == [True] * (len(PAIRS) - 1) + [False]


@pytest.mark.qe
def test_quantized_scores_do_not_share_the_cache(qe_models: TinyModels, tmp_path: Path) -> None:
    """int8 scores differ from fp32 ones: they are cached under their own key and the signature says int8."""
    backend(qe_models.kiwi, tmp_path).score_pairs(PAIRS[:2])
    int8 = backend(qe_models.kiwi, tmp_path, quantize="int8")
    results = int8.score_pairs(PAIRS[:2])
    assert int8.signature.endswith("+int8")
    assert not any(r.cached for r in results) and all(math.isfinite(r.score) for r in results)


@pytest.mark.qe
def test_model_id_names_checkpoint_and_fingerprint(qe_models: TinyModels) -> None:
    b = backend(qe_models.kiwi)
    path, _, digest = b.model_id.rpartition("@")
    assert Path(path) == qe_models.kiwi.resolve() and len(digest) == 12
    assert b.signature == f"comet:{b.model_id}"
    assert b.family == "cometkiwi" and backend(qe_models.xcomet).family == "xcomet"
    # a model folder works as well as the checkpoint file
    assert backend(qe_models.root / "kiwi").model_id == b.model_id


# -- helpful errors ----------------------------------------------------------------------------------------

def test_checkpoint_not_found(tmp_path: Path) -> None:
    with pytest.raises(CheckpointNotFound, match="no such COMET checkpoint"):
        backend(tmp_path / "nope" / "checkpoints" / "model.ckpt")


def test_lfs_pointer_checkpoint(tmp_path: Path) -> None:
    """A clone without git-lfs leaves a pointer file: say `git lfs pull`."""
    ckpt = tmp_path / "m" / "checkpoints" / "model.ckpt"
    ckpt.parent.mkdir(parents=True)
    ckpt.write_text("version https://git-lfs.github.com/spec/v1\noid sha256:" + "0" * 64 + "\nsize 2277430000\n")
    (tmp_path / "m" / "hparams.yaml").write_text("class_identifier: unified_metric\n")
    with pytest.raises(CheckpointIsLFSPointer, match="git lfs pull"):
        backend(ckpt)


@pytest.mark.qe
def test_missing_hparams(qe_models: TinyModels, tmp_path: Path) -> None:
    ckpt = copy_model(qe_models, "kiwi", tmp_path)
    (ckpt.parent.parent / "hparams.yaml").unlink()
    with pytest.raises(HparamsMissing, match=r"hparams\.yaml is missing"):
        backend(ckpt)


@pytest.mark.qe
def test_missing_encoder_offline(qe_models: TinyModels, tmp_path: Path) -> None:
    """The encoder named in hparams.yaml is not local: name it and say how to fix it."""
    ckpt = copy_model(qe_models, "kiwi", tmp_path)
    hparams = ckpt.parent.parent / "hparams.yaml"
    text = hparams.read_text()
    hparams.write_text(text.replace(str(qe_models.encoder), "tqcheck-test/no-such-encoder"))
    b = backend(ckpt)
    with pytest.raises(EncoderMissing) as info:
        b.score(*PAIRS[0])
    message = str(info.value)
    assert "tqcheck-test/no-such-encoder" in message and "pretrained_model" in message
    assert "download it once" in message and "local folder" in message
    assert b.load_count == 0  # type: ignore[attr-defined]


@pytest.mark.qe
def test_unreadable_checkpoint(qe_models: TinyModels, tmp_path: Path) -> None:
    """A truncated or foreign file is reported as such, chained to the underlying error."""
    ckpt = copy_model(qe_models, "kiwi", tmp_path)
    ckpt.write_bytes(b"\x00garbage" * 100)
    with pytest.raises(BadCheckpoint) as info:
        backend(ckpt).score(*PAIRS[0])
    assert info.value.__cause__ is not None


@pytest.mark.qe
def test_offline_hub_model_not_cached() -> None:
    """A hub name that was never downloaded, offline: say so, chained to comet's error."""
    b = load_backend(QEConfig(model="Unbabel/tqcheck-test-never-downloaded", offline=True, use_cache=False,
                              device="cpu"))
    with pytest.raises(ModelNotDownloaded, match="not downloaded and offline mode is on") as info:
        b.score(*PAIRS[0])
    assert info.value.__cause__ is not None
    assert "not supported by COMET" not in str(info.value)


def test_offline_legacy_name_never_touches_the_network() -> None:
    """comet fetches legacy names with urllib regardless of offline mode; we stop before that."""
    b = load_backend(QEConfig(model="tqcheck-test-legacy-name", offline=True, use_cache=False, device="cpu"))
    with pytest.raises(ModelNotDownloaded):
        b._download(object())  # type: ignore[attr-defined,arg-type]


def _raise_chain(first: BaseException) -> KeyError:
    """The exception chain comet's download_model produces: snapshot error → legacy error → KeyError."""
    try:
        try:
            raise first
        except BaseException:
            raise Exception("x is not in the `available_legacy_metrics` or is a valid checkpoint folder.")  # noqa: B904
    except Exception:
        try:
            raise KeyError("Model 'x' not supported by COMET.")
        except KeyError as err:
            return err


def _hub_error(name: str, status: int | None = None) -> BaseException:
    import huggingface_hub.errors as hub_errors
    import requests

    response = None
    if status is not None:
        response = requests.Response()
        response.status_code = status
    return getattr(hub_errors, name)(f"{name} for test", response=response)


@pytest.mark.qe  # builds huggingface_hub and requests exceptions, which come with the [qe] extra
@pytest.mark.parametrize(("make", "expected", "words"), [
    (lambda: _hub_error("GatedRepoError", 401), GatedModel, "accept its licence"),
    (lambda: _hub_error("RepositoryNotFoundError", 404), ModelNotFound, "does not exist"),
    (lambda: _hub_error("HfHubHTTPError", 403), GatedModel, "huggingface-cli login"),
    (lambda: OSError(errno.ENOSPC, "No space left on device"), DiskFull, "free some disk space"),
    (lambda: __import__("requests").ConnectionError("Max retries exceeded"), NetworkUnavailable, "network"),
    (lambda: ValueError("something odd"), DownloadFailed, "ValueError: something odd"),
])
def test_download_error_says_what_really_failed(make, expected, words) -> None:  # type: ignore[no-untyped-def]
    """comet's blanket "not supported by COMET" is replaced by the real cause."""
    err = download_error(_raise_chain(make()), "Unbabel/wmt22-cometkiwi-da", offline=False)
    assert isinstance(err, expected) and isinstance(err, QEUnavailable)
    assert words in str(err) and "not supported by COMET" not in str(err)


@pytest.mark.qe
def test_download_model_failure_is_wrapped(qe_models: TinyModels, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the backend: a full disk during download is named, with comet's KeyError as the cause."""
    from tqcheck.qe.comet import import_comet

    import_comet()
    import comet.models

    def full_disk(*args: object, **kwargs: object) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    def legacy(*args: object, **kwargs: object) -> str:
        raise Exception("not in the `available_legacy_metrics`")

    monkeypatch.setattr(comet.models, "snapshot_download", full_disk)
    monkeypatch.setattr(comet.models, "download_model_legacy", legacy)
    b = load_backend(QEConfig(model="Unbabel/wmt22-cometkiwi-da", use_cache=False, device="cpu"))
    with pytest.raises(DiskFull) as info:
        b.score(*PAIRS[0])
    assert isinstance(info.value.__cause__, KeyError)


def test_load_error_names_the_missing_encoder() -> None:
    """transformers' "Can't load tokenizer" becomes EncoderMissing, naming the encoder, with the network if down."""
    class ConnectError(Exception):
        pass

    try:
        try:
            raise ConnectError("Name or service not known")
        except ConnectError:
            raise OSError("Can't load tokenizer for 'microsoft/infoxlm-large'.")  # noqa: B904
    except OSError as err:
        mapped = load_error(err, Path("m/checkpoints/model.ckpt"), encoder="microsoft/infoxlm-large",
                            hparams=Path("m/hparams.yaml"), offline=False)
    assert isinstance(mapped, EncoderMissing)
    assert "microsoft/infoxlm-large" in str(mapped) and "hub could not be reached" in str(mapped)
    assert isinstance(load_error(MemoryError(), Path("m.ckpt"), encoder=None, hparams=None, offline=True),
                      QEOutOfMemory)


@pytest.mark.parametrize(("err", "oom"), [
    (RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB"), True),
    (RuntimeError("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory"), True),
    (MemoryError(), True),
    (RuntimeError("mat1 and mat2 shapes cannot be multiplied"), False),
    (ValueError("out of memory"), False),
])
def test_is_out_of_memory(err: BaseException, oom: bool) -> None:
    assert is_out_of_memory(err) is oom


def test_out_of_memory_message() -> None:
    assert "--batch-size (now 16)" in str(QEOutOfMemory("cpu", 16))
    assert "--device cpu" in str(QEOutOfMemory("cuda", 16))
    assert "--device cpu" not in str(QEOutOfMemory("cpu", 16))


@pytest.mark.qe
def test_out_of_memory_while_scoring(qe_models: TinyModels, monkeypatch: pytest.MonkeyPatch) -> None:
    """An OOM inside comet's predict becomes QEOutOfMemory, chained."""
    b = backend(qe_models.kiwi)

    def oom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("CUDA out of memory. Tried to allocate 20.00 MiB")

    monkeypatch.setattr(b.model, "predict", oom)  # type: ignore[attr-defined]
    with pytest.raises(QEOutOfMemory, match="batch-size") as info:
        b.score(*PAIRS[0])
    assert isinstance(info.value.__cause__, RuntimeError)


# -- configuration, thresholds, document score -------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    {"device": "tpu"}, {"batch_size": 0}, {"batch_size": True}, {"quantize": "int4"}, {"backend": "nope"},
    {"threshold": float("nan")}, {"model": " "},
])
def test_qe_config_rejects_bad_values(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        QEConfig(**kwargs)  # type: ignore[arg-type]


def test_qe_config_defaults() -> None:
    config = QEConfig()
    assert config.model == DEFAULT_MODEL == "Unbabel/wmt22-cometkiwi-da"
    assert config.as_dict()["device"] == "auto"


@pytest.mark.parametrize(("model", "family"), [
    ("Unbabel/wmt22-cometkiwi-da", "cometkiwi"),
    ("Unbabel/wmt23-cometkiwi-da-xl", "cometkiwi"),
    ("Unbabel/XCOMET-XL", "xcomet"),
    ("Unbabel/XCOMET-XXL", "xcomet"),
    ("Unbabel/wmt20-comet-qe-da", "comet-qe"),
    ("someone/model", "unknown"),
])
def test_family_of_hub_names(model: str, family: str) -> None:
    assert family_of(model) == family


@pytest.mark.parametrize(("score", "severity"), [
    (0.90, None), (0.65, None), (0.64, Severity.MINOR), (0.50, Severity.MINOR), (0.49, Severity.MAJOR),
    (0.35, Severity.MAJOR), (0.34, Severity.CRITICAL), (float("nan"), None),
])
def test_cometkiwi_bands(score: float, severity: Severity | None) -> None:
    assert FAMILY_BANDS["cometkiwi"].severity(score) is severity


def test_threshold_moves_all_bands() -> None:
    bands = bands_for("Unbabel/wmt22-cometkiwi-da", threshold=0.8)
    assert (bands.minor_below, bands.major_below, bands.critical_below) == pytest.approx((0.8, 0.65, 0.5))
    with pytest.raises(ValueError):
        ScoreBands(0.3, 0.5, 0.1)


def test_document_score_is_length_weighted() -> None:
    assert document_score([(0.9, 10), (0.3, 30)]) == pytest.approx(0.45)
    assert document_score([(QEResult(0.5), 4), (float("nan"), 100), (0.1, 0)]) == pytest.approx(0.5)
    assert document_score([]) is None


# -- the TQ9xx rules ---------------------------------------------------------------------------------------

def _context(text: str, qe: tuple[ScoredPair, ...], source: str = "源文。") -> CheckContext:
    from tqcheck.packs import PackSet

    return CheckContext(Document(text, "de"), source=Document(source, "zh"), src_lang="zh", tgt_lang="de",
                        packs=PackSet(), segments=(), paragraphs=(), qe=qe)


def test_rules_module_exports() -> None:
    assert [r.code for r in RULES] == ["TQ901", "TQ902"]
    assert all(r.info.needs_source for r in RULES)
    for r in RULES:
        assert r.field("Why") and r.field("Bad") and r.field("Good")


def test_low_qe_score_severity_bands() -> None:
    """Each scored sentence below the family threshold is reported over the sentence, graded by the bands."""
    text = "Gut übersetzt. Eher schlecht. Ganz falsch."
    model = "Unbabel/wmt22-cometkiwi-da"
    pairs = (
        ScoredPair(0, Span(0, 14), Span(0, 3), QEResult(0.82), model),
        ScoredPair(1, Span(15, 29), None, QEResult(0.55), model),
        ScoredPair(2, Span(30, 42), None, QEResult(0.20, truncated=True), model),
    )
    findings = list(low_qe_score(_context(text, pairs)))
    assert [(text[f.start:f.end], f.severity) for f in findings] == [
        ("Eher schlecht.", Severity.MINOR), ("Ganz falsch.", Severity.CRITICAL)]
    assert "0.55" in findings[0].message and "wmt22-cometkiwi-da" in findings[0].message
    assert "window" in findings[1].message


def test_qe_error_span_findings_are_placed_in_the_document() -> None:
    """Spans are relative to the segment; findings point into the document with the span's severity."""
    text = "Erster Satz. Manchmal regnet es Katzen."
    spans = (QESpan(19, 25, Severity.MAJOR, 0.8), QESpan(16, 40, Severity.MINOR, 0.3))  # 2nd does not fit
    pairs = (ScoredPair(1, Span(13, 39), None, QEResult(0.9, spans), "Unbabel/XCOMET-XL"),)
    findings = list(qe_error_span(_context(text, pairs)))
    assert [(text[f.start:f.end], f.severity, f.confidence) for f in findings] == [
        ("Katzen", Severity.MAJOR, 0.8)]
    assert "XCOMET-XL" in findings[0].message


@pytest.mark.qe
def test_rules_on_real_xcomet_output(qe_models: TinyModels) -> None:
    """End to end on the tiny xCOMET: every TQ902 finding is a non-empty slice of its sentence."""
    text = " ".join(TARGETS)
    b = backend(qe_models.xcomet)
    results = b.score_pairs(PAIRS)
    pairs, pos = [], 0
    for i, (target, result) in enumerate(zip(TARGETS, results, strict=True)):
        start = text.index(target, pos)
        pairs.append(ScoredPair(i, Span(start, start + len(target)), None, result, b.model_id))
        pos = start + len(target)
    findings = list(qe_error_span(_context(text, tuple(pairs))))
    assert len(findings) == sum(len(r.spans) for r in results) > 0
    for f in findings:
        assert text[f.start:f.end].strip() == text[f.start:f.end] != ""
    # the tiny model scores far below the xCOMET threshold: every sentence is reported by TQ901
    assert len(list(low_qe_score(_context(text, tuple(pairs))))) == sum(
        FAMILY_BANDS["xcomet"].severity(r.score) is not None for r in results)
