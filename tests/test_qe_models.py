"""The table of QE models and their licences (issue 15): `tqcheck models`, licences in every report, commercial mode
refusing before anything loads, the one-line notice on stderr, and the README's table."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import qe_fixtures
from tests.conftest import ROOT, SAMPLES
from tqcheck import qe as qe_package
from tqcheck.cli import ExitStatus, main
from tqcheck.config import Config
from tqcheck.qe import CLASS_FAMILIES, FAMILY_BANDS, FAMILY_ROUTE_THRESHOLDS, QEConfig, family_of
from tqcheck.qe import models as qe_models_module
from tqcheck.qe.command import models_table
from tqcheck.qe.models import LicenseRefused, known_models, license_of, lookup, table

qe_models = qe_fixtures.qe_models
TARGET = SAMPLES / "live-commerce.zh-de.mt.txt"
SOURCE = SAMPLES / "live-commerce.zh.txt"
PERMITTED = "Unbabel/wmt20-comet-qe-da"
# The opening lines of the licence texts, as a model repository's LICENSE file holds them.
APACHE_TEXT = "\n                Apache License\n          Version 2.0, January 2004\n"
CC_BY_NC_SA_TEXT = ("Attribution-NonCommercial-ShareAlike 4.0 International\n\n=====\n\nCreative Commons "
                    "Corporation (\"Creative Commons\") is not a law firm\n")
ISSUE_MODELS = ("Unbabel/wmt22-cometkiwi-da", "Unbabel/wmt23-cometkiwi-da-xl", "Unbabel/wmt23-cometkiwi-da-xxl",
                "Unbabel/XCOMET-XL", "Unbabel/XCOMET-XXL", "Unbabel/wmt20-comet-qe-da")


@pytest.fixture(autouse=True)
def _fresh_notices(monkeypatch):
    """Each test starts as a fresh process would: no licence notice given yet."""
    monkeypatch.setattr(qe_models_module, "_NOTICED", set())


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def copy_model(model_ckpt: Path, folder: Path, **files: str) -> Path:
    """A copy of a tiny model folder (``checkpoints/model.ckpt`` + ``hparams.yaml``) with ``files`` written into it
    (``checkpoints__LICENSE`` goes into checkpoints/); returns the copied checkpoint."""
    shutil.copytree(model_ckpt.parent.parent, folder)
    for name, text in files.items():
        (folder / name.replace("__", "/")).write_text(text, encoding="utf-8")
    return folder / "checkpoints" / "model.ckpt"


def fake_checkpoint(folder: Path, **files: str) -> Path:
    """A model folder whose checkpoint would not load (not a PyTorch file): anything that gets past the licence
    check and tries to load it fails loudly."""
    (folder / "checkpoints").mkdir(parents=True)
    checkpoint = folder / "checkpoints" / "model.ckpt"
    checkpoint.write_bytes(b"not a checkpoint")
    (folder / "hparams.yaml").write_text("class_identifier: unified_metric\npretrained_model: nowhere\n")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return checkpoint


# --- the table ------------------------------------------------------------------------------------------------

def test_table_lists_the_issue_models_with_complete_facts():
    names = [m.name for m in known_models()]
    assert set(ISSUE_MODELS) <= set(names) and len(names) == len(set(n.casefold() for n in names))
    for m in known_models():
        assert m.family in FAMILY_BANDS and m.family != "unknown"
        assert m.license in table().licenses, m.name
        assert m.reference_free and m.input_limit == 512 and m.parameters > 0
        assert m.notes and m.sources and all(s.startswith("https://") for s in m.sources)
        assert m.spans is table().families[m.family].spans
    assert lookup(table().default) is not None and table().default == qe_package.DEFAULT_MODEL


@pytest.mark.parametrize(("name", "license", "commercial", "gated", "spans"), [
    ("Unbabel/wmt22-cometkiwi-da", "CC-BY-NC-SA-4.0", "no", True, False),
    ("Unbabel/wmt23-cometkiwi-da-xxl", "CC-BY-NC-SA-4.0", "no", True, False),
    ("Unbabel/XCOMET-XL", "CC-BY-NC-SA-4.0", "no", True, True),
    ("Unbabel/wmt20-comet-qe-da", "Apache-2.0", "yes", False, False),
])
def test_issue_facts_are_in_the_table(name, license, commercial, gated, spans):
    """What COMET's LICENSE.models.md and the model cards say, as the issue quotes them."""
    info = lookup(name)
    assert (info.license, info.commercial, info.gated, info.spans) == (license, commercial, gated, spans)


def test_commercial_default_is_a_reference_free_model_that_permits_commercial_use():
    info = lookup(table().commercial_default)
    assert info is not None and info.name == PERMITTED
    assert info.commercial == "yes" and info.reference_free and not info.gated


def test_family_defaults_are_the_tables():
    """tqcheck.qe's bands, routing thresholds and class map are built from models.toml: one source of the facts."""
    for name, family in table().families.items():
        bands = FAMILY_BANDS[name]
        assert (bands.minor_below, bands.major_below, bands.critical_below) == (
            family.bands["minor_below"], family.bands["major_below"], family.bands["critical_below"])
        assert FAMILY_ROUTE_THRESHOLDS[name] == family.routing
        # A route and the TQ901 issue of the same segment agree: light review at the pass mark, post-edit at the
        # critical limit, publish above the pass mark.
        assert family.routing["light_review"] == bands.minor_below
        assert family.routing["post_edit"] == bands.critical_below
        assert family.routing["publish"] > bands.minor_below
        if family.class_identifier:
            assert CLASS_FAMILIES[family.class_identifier] == name


@pytest.mark.parametrize("info", known_models(), ids=lambda m: m.name)
def test_hub_names_get_their_licence_and_family_from_the_table(info):
    license = license_of(info.name)
    assert (license.id, license.commercial, license.source) == (info.license, info.commercial,
                                                                "the table of known models")
    assert family_of(info.name) == info.family
    assert license_of(info.name.upper()).id == info.license  # hub names are case-insensitive


def test_hub_name_not_in_the_table_is_unknown():
    license = license_of("someone/finetuned-cometkiwi")
    assert (license.id, license.commercial) == ("unknown", "unknown") and "not in tqcheck's table" in license.source


# --- local checkpoints ----------------------------------------------------------------------------------------

def test_checkpoint_without_a_licence_file_is_unknown(tmp_path):
    checkpoint = fake_checkpoint(tmp_path / "model")
    license = license_of(str(checkpoint))
    assert (license.id, license.commercial) == ("unknown", "unknown")
    assert str(tmp_path / "model" / "checkpoints") in license.source and "no licence file" in license.source


@pytest.mark.parametrize(("files", "expected"), [
    ({"LICENSE": APACHE_TEXT}, "Apache-2.0"),
    ({"LICENSE.txt": CC_BY_NC_SA_TEXT}, "CC-BY-NC-SA-4.0"),
    ({"README.md": "---\nlanguage:\n- de\nlicense: cc-by-nc-sa-4.0\n---\n# A COMET model\n"}, "CC-BY-NC-SA-4.0"),
    ({"README.md": "---\nlicense: \"apache-2.0\"  # from the hub\n---\n"}, "Apache-2.0"),
    # Files that disagree: the more restrictive one counts.
    ({"README.md": "---\nlicense: apache-2.0\n---\n", "LICENSE": CC_BY_NC_SA_TEXT}, "CC-BY-NC-SA-4.0"),
    ({"LICENSE.md": "Proprietary. All rights reserved.\n"}, "unknown"),
    ({"README.md": "---\nlicense: other\nlicense_name: our-own\n---\n"}, "unknown"),
    ({"README.md": "# A model card without front matter\n\nlicense: apache-2.0\n"}, "unknown"),
])
def test_checkpoint_licence_is_read_from_its_model_folder(tmp_path, files, expected):
    checkpoint = fake_checkpoint(tmp_path / "model", **files)
    for model in (str(checkpoint), str(tmp_path / "model")):  # the checkpoint or its model folder
        assert license_of(model).id == expected


def test_missing_checkpoint_is_unknown_and_says_so(tmp_path):
    license = license_of(str(tmp_path / "gone" / "checkpoints" / "model.ckpt"))
    assert license.id == "unknown" and license.source.endswith("no such checkpoint file or folder")
    with pytest.raises(LicenseRefused, match="no such checkpoint"):
        Config(commercial=True, qe=QEConfig(model=str(tmp_path / "gone")))


def test_checkpoint_licence_in_the_checkpoints_folder_counts_too(tmp_path):
    checkpoint = fake_checkpoint(tmp_path / "model")
    (checkpoint.parent / "LICENSE").write_text(APACHE_TEXT, encoding="utf-8")
    license = license_of(str(checkpoint))
    assert (license.id, license.commercial, license.source) == ("Apache-2.0", "yes", str(checkpoint.parent / "LICENSE"))


def test_a_licence_file_added_later_is_seen(tmp_path):
    checkpoint = fake_checkpoint(tmp_path / "model")
    assert license_of(str(checkpoint)).id == "unknown"
    (tmp_path / "model" / "LICENSE").write_text(APACHE_TEXT, encoding="utf-8")
    assert license_of(str(checkpoint)).id == "Apache-2.0"


@pytest.mark.qe
def test_tiny_checkpoints_with_and_without_licence(qe_models, tmp_path):
    """The real tiny COMET checkpoints: as built, no licence; copied with a hub-style LICENSE and model card, it."""
    assert license_of(str(qe_models.kiwi)).id == "unknown"
    copied = copy_model(qe_models.xcomet, tmp_path / "xcomet", LICENSE=CC_BY_NC_SA_TEXT,
                        **{"README.md": "---\nlicense: cc-by-nc-sa-4.0\n---\n"})
    assert license_of(str(copied)).id == "CC-BY-NC-SA-4.0" and family_of(str(copied)) == "xcomet"


# --- `tqcheck models` -----------------------------------------------------------------------------------------

def test_models_lists_every_model_with_its_licence(capsys):
    status, out, err = run(capsys, "models")
    assert status == ExitStatus.PASSED and not err
    assert out == models_table()
    lines = out.splitlines()
    assert lines[0].split() == ["MODEL", "FAMILY", "LICENCE", "COMMERCIAL", "GATED", "SPANS", "PARAMS", "FP32", "BF16"]
    for info in known_models():
        row = next(line.split() for line in lines if line.split()[:1] == [info.name])
        assert row[1:4] == [info.family, info.license, info.commercial]


def test_models_json_carries_the_table_with_memory(capsys):
    status, out, _ = run(capsys, "models", "--format", "json")
    data = json.loads(out)
    assert status == ExitStatus.PASSED and data["commercial_default"] == PERMITTED
    by_name = {m["name"]: m for m in data["models"]}
    kiwi = by_name["Unbabel/wmt22-cometkiwi-da"]
    assert kiwi["default"] is True and kiwi["commercial"] == "no" and kiwi["bands"]["minor_below"] == 0.65
    xl = by_name["Unbabel/XCOMET-XL"]
    assert xl["memory_gb"] == {"fp32": 14.0, "bf16": 7.0} and xl["spans"] is True


def test_models_name_shows_one_model(capsys):
    status, out, _ = run(capsys, "models", "unbabel/xcomet-xl")
    assert status == ExitStatus.PASSED and out.startswith("Unbabel/XCOMET-XL\n")
    assert "licence:         CC-BY-NC-SA-4.0 (commercial use: no)" in out
    assert "TQ901 bands:     minor below 0.7," in out and "https://huggingface.co/Unbabel/XCOMET-XL" in out
    status, out, _ = run(capsys, "models", PERMITTED, "--format", "json")
    assert json.loads(out)["license"] == "Apache-2.0"


def test_models_path_reads_the_checkpoint_folder(capsys, tmp_path):
    checkpoint = fake_checkpoint(tmp_path / "model", LICENSE=APACHE_TEXT)
    status, out, _ = run(capsys, "models", str(checkpoint))
    assert status == ExitStatus.PASSED and "a local checkpoint" in out
    assert f"Apache-2.0 (commercial use: yes; {tmp_path / 'model' / 'LICENSE'})" in out
    assert "family:          cometkiwi" in out  # from its hparams.yaml


def test_models_unknown_name_or_missing_path_exits_2(capsys, tmp_path):
    status, _, err = run(capsys, "models", "someone/unknown-model")
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and "not in the table of known models" in err
    status, _, err = run(capsys, "models", str(tmp_path / "gone" / "model.ckpt"))
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and "no such checkpoint" in err and "gone" in err


def test_models_imports_neither_torch_nor_comet():
    code = ("import sys; from tqcheck.cli import main; assert main(['models']) == 0; "
            "assert main(['models', 'Unbabel/XCOMET-XL']) == 0; "
            "bad = [m for m in ('torch', 'comet', 'transformers') if m in sys.modules]; assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env=_env())


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


# --- commercial mode ------------------------------------------------------------------------------------------

def _no_loading(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("a QE backend was loaded")

    monkeypatch.setattr(qe_package, "load_backend", refuse)
    monkeypatch.setattr("tqcheck.pipeline.load_backend", refuse)


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_commercial_refuses_the_default_model_before_loading_anything(capsys, monkeypatch, fmt):
    _no_loading(monkeypatch)
    status, out, err = run(capsys, "check", str(TARGET), "--source", str(SOURCE), "--qe", "--commercial",
                           "--format", fmt)
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tqcheck: error: commercial mode")
    assert "'Unbabel/wmt22-cometkiwi-da'" in lines[0] and "CC-BY-NC-SA-4.0" in lines[0]
    assert f"--qe-model {PERMITTED} (Apache-2.0)" in lines[0]
    assert "Traceback" not in err


def test_commercial_true_in_the_configuration_file_refuses_too(capsys, monkeypatch, tmp_path):
    _no_loading(monkeypatch)
    target = tmp_path / "article.de.txt"
    shutil.copy(TARGET, target)
    (tmp_path / "tqcheck.toml").write_text("commercial = true\n[qe]\nenabled = true\nmodel = \"Unbabel/XCOMET-XXL\"\n")
    status, out, err = run(capsys, "check", str(target), "--source", str(SOURCE))
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and out == ""
    assert "refuses QE model 'Unbabel/XCOMET-XXL'" in err and PERMITTED in err


def test_commercial_in_the_configuration_file_must_be_a_boolean(capsys, tmp_path):
    config = tmp_path / "tqcheck.toml"
    config.write_text("commercial = \"yes\"\n")
    status, _, err = run(capsys, "check", str(TARGET), "--config", str(config))
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and f"{config}: 'commercial' must be true or false" in err


def test_commercial_refuses_an_unknown_licence_before_torch_is_imported(tmp_path):
    """A checkpoint without a licence file, which would fail to load: refused, and neither torch nor comet was
    even imported (a fresh process, so nothing else imported them first)."""
    checkpoint = fake_checkpoint(tmp_path / "model")
    code = ("import sys; from tqcheck.cli import main; "
            f"status = main(['check', {str(TARGET)!r}, '--source', {str(SOURCE)!r}, '--qe-model', "
            f"{str(checkpoint)!r}, '--commercial', '--format', 'json']); "
            "bad = [m for m in ('torch', 'comet', 'transformers') if m in sys.modules]; "
            "assert status == 2, status; assert not bad, bad")
    run_ = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env())
    assert run_.returncode == 0, run_.stderr
    assert run_.stdout == ""
    assert "its licence is unknown (no licence file" in run_.stderr and str(checkpoint.parent) in run_.stderr
    assert PERMITTED in run_.stderr


def test_commercial_accepts_a_permitted_model_and_records_the_mode():
    config = Config(commercial=True, qe=QEConfig(model=PERMITTED))
    assert config.as_dict()["commercial"] is True
    with pytest.raises(LicenseRefused, match="someone/model"):
        Config(commercial=True, qe=QEConfig(model="someone/model"))
    assert Config(commercial=True).qe is None  # nothing to refuse without QE


def test_serve_commercial_refuses_before_the_server_starts(capsys, monkeypatch):
    pytest.importorskip("fastapi")
    import uvicorn

    def never(*_args, **_kwargs):
        raise AssertionError("the server started")

    monkeypatch.setattr(uvicorn, "run", never)
    _no_loading(monkeypatch)
    status, out, err = run(capsys, "serve", "--qe", "--commercial", "--no-config")
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and out == ""
    assert "commercial mode" in err and "Unbabel/wmt22-cometkiwi-da" in err and PERMITTED in err


def _signature_without_backend(config: Config) -> str:
    """The run signature's QE part without creating a backend (which these tests forbid)."""
    return f"comet:{config.qe.model}" if config.qe is not None else "none"


def test_calibrate_commercial_refuses_before_reading_the_labels(capsys, monkeypatch):
    _no_loading(monkeypatch)
    labels = ROOT / "tests" / "data" / "calibration" / "wmt23-mqm-sample.jsonl"
    status, out, err = run(capsys, "calibrate", str(labels), "--qe-model", "Unbabel/XCOMET-XL", "--commercial")
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and out == ""
    assert "refuses QE model 'Unbabel/XCOMET-XL'" in err and PERMITTED in err


# --- the notice -----------------------------------------------------------------------------------------------

NOTICE = re.compile(r"^tqcheck: note: QE model Unbabel/wmt22-cometkiwi-da is licensed CC-BY-NC-SA-4\.0, which does "
                    r"not permit commercial use; .*Unbabel/wmt20-comet-qe-da.*$")


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_non_commercial_model_gets_one_notice_on_stderr_never_in_the_report(capsys, monkeypatch, tmp_path, fmt):
    """Without a source QE cannot run, so no model loads; the notice is about the configured model all the same,
    on stderr once per process, and stdout stays the report."""
    _no_loading(monkeypatch)
    monkeypatch.setattr("tqcheck.batch._qe_signature", _signature_without_backend)
    target = tmp_path / "alone.de.txt"
    target.write_text("Tencent ist seit langem im E-Commerce tätig. Alibaba hat viele Nutzer.\n", encoding="utf-8")
    status, out, err = run(capsys, "check", str(target), "--qe", "--format", fmt, "-q")
    assert status == ExitStatus.PASSED
    notices = [line for line in err.splitlines() if "licensed" in line]
    assert len(notices) == 1 and NOTICE.match(notices[0]), err
    assert "does not permit commercial use" not in out
    if fmt == "json":
        report = json.loads(out)
        qe = report["documents"][0]["qe"]
        assert qe["status"] == "unavailable" and qe["model_license"] == "CC-BY-NC-SA-4.0"
        assert report["signature"].endswith("|qe:comet:Unbabel/wmt22-cometkiwi-da|qe-license:CC-BY-NC-SA-4.0")
    status, _, err = run(capsys, "check", str(target), "--qe", "--format", fmt)
    assert status == ExitStatus.PASSED and "licensed" not in err  # once per process


def test_no_notice_for_a_permitted_model_or_without_qe(capsys, monkeypatch, tmp_path):
    _no_loading(monkeypatch)
    monkeypatch.setattr("tqcheck.batch._qe_signature", _signature_without_backend)
    target = tmp_path / "alone.de.txt"
    target.write_text("Tencent ist seit langem im E-Commerce tätig.\n", encoding="utf-8")
    for args in (("--qe-model", PERMITTED, "--commercial"), ()):
        status, out, err = run(capsys, "check", str(target), "--format", "json", *args)
        assert status == ExitStatus.PASSED and "licensed" not in err, err
    report = json.loads(out)
    assert report["documents"][0]["qe"]["model_license"] is None and "qe-license" not in report["signature"]


def test_serve_prints_the_notice_once_at_start(capsys, monkeypatch):
    pytest.importorskip("fastapi")
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *_args, **_kwargs: None)
    _no_loading(monkeypatch)  # the model loads when the app starts serving, which it does not here
    status, out, err = run(capsys, "serve", "--qe", "--no-config")
    assert status == ExitStatus.PASSED and out == ""
    assert len([line for line in err.splitlines() if NOTICE.match(line)]) == 1, err


# --- reports --------------------------------------------------------------------------------------------------

@pytest.mark.qe
def test_every_report_names_the_licence_of_the_model_that_scored(qe_models, tmp_path):
    """A real QE run (tiny CometKiwi copied with an Apache LICENSE): JSON, SARIF, text and HTML name the licence,
    and the signature carries it."""
    from tqcheck.batch import check_paths
    from tqcheck.reports import render

    checkpoint = copy_model(qe_models.kiwi, tmp_path / "kiwi", LICENSE=APACHE_TEXT)
    config = Config(commercial=True, qe=QEConfig(model=str(checkpoint), offline=True, use_cache=False, device="cpu"))
    report = check_paths([TARGET], config, source=SOURCE)
    doc = report.documents[0]
    assert doc.qe.status == "ok" and doc.qe.license == "Apache-2.0"
    assert report.signature.endswith("|qe-license:Apache-2.0")
    payload = json.loads(render(report, "json"))
    assert payload["documents"][0]["qe"]["model_license"] == "Apache-2.0" and payload["config"]["commercial"] is True
    sarif = json.loads(render(report, "sarif"))
    assert sarif["runs"][0]["properties"]["qe"] == {"model": str(checkpoint), "model_license": "Apache-2.0"}
    # Wide enough for the line whole (at 100 columns a temporary folder's checkpoint path wraps after a "/").
    text = render(report, "text", color=False, width=1000)
    assert re.search(r"QE \d\.\d{3} \(.*model\.ckpt@[0-9a-f]+, licence Apache-2\.0\)", text)
    assert "licence Apache-2.0)" in render(report, "html")


@pytest.mark.qe
def test_unknown_licence_of_a_tiny_checkpoint_is_reported_as_unknown(capsys, qe_models):
    status, out, _ = run(capsys, "check", str(TARGET), "--source", str(SOURCE), "--qe-model", str(qe_models.kiwi),
                         "--offline", "--no-cache", "--format", "json", "--fail-on", "none", "--fail-under", "0")
    report = json.loads(out)
    assert status == ExitStatus.PASSED and report["documents"][0]["qe"]["model_license"] == "unknown"
    assert report["signature"].endswith("|qe-license:unknown")


def test_sarif_run_without_qe_has_no_qe_properties(capsys):
    status, out, _ = run(capsys, "check", str(TARGET), "--format", "sarif", "--fail-on", "none", "--fail-under", "0")
    assert status == ExitStatus.PASSED and json.loads(out)["runs"][0]["properties"]["qe"] is None


# --- README ---------------------------------------------------------------------------------------------------

def test_readme_models_table_is_what_tqcheck_models_prints(capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- models:start -->\n```text\n(.*?)```\n<!-- models:end -->", readme, re.S)
    assert block, "README: the table of QE models between <!-- models:start --> and <!-- models:end -->"
    _, out, _ = run(capsys, "models")
    assert block.group(1) == out
    section = readme.split("## Quality estimation", 1)[1].split("\n## ", 1)[0]
    for info in known_models():
        assert info.name in section
    assert "commercial = true" in section and "--commercial" in section and "--offline" in section
