"""QE through the whole CLI path on the samples, with tiny offline checkpoints (issue 4's done-when)."""

from __future__ import annotations

import json

import pytest

from tests import qe_fixtures
from tests.conftest import SAMPLES
from tqcheck.cli import ExitStatus, main

qe_models = qe_fixtures.qe_models
TARGET = SAMPLES / "live-commerce.zh-de.mt.txt"
SOURCE = SAMPLES / "live-commerce.zh.txt"

pytestmark = pytest.mark.qe


def run_json(capsys, *args: str) -> tuple[int, dict, str]:
    status = main(["check", *args, "--format", "json", "--fail-on", "none", "--fail-under", "0"])
    out, err = capsys.readouterr()
    return status, json.loads(out) if out.strip() else {}, err


def test_cometkiwi_scores_every_aligned_pair_and_rerun_hits_the_cache(capsys, qe_models, tmp_path):
    args = (str(TARGET), "--source", str(SOURCE), "--qe-model", str(qe_models.kiwi), "--offline",
            "--cache-dir", str(tmp_path / "cache"))
    status, report, err = run_json(capsys, *args)
    assert status == ExitStatus.PASSED, err
    doc = report["documents"][0]
    assert doc["qe"]["status"] == "ok" and isinstance(doc["qe"]["score"], float)
    paired = [link for link in doc["alignment"] if link["source"] and link["target"]]
    assert paired and all(isinstance(link["qe_score"], float) for link in paired)
    assert all(link["qe_score"] is None for link in doc["alignment"] if not (link["source"] and link["target"]))
    assert all(link["cached"] is False for link in paired)
    # QE routes every scored pair by its score band (the tiny model's scores are arbitrary, the rule is not).
    routing = doc["routing"]
    assert routing["basis"] == "qe+rules" and routing["policy"]["light_review"] == 0.65
    for seg in routing["segments"]:
        link = doc["alignment"][seg["link"]]
        assert seg["route"] == link["route"] and seg["qe_score"] == link["qe_score"]
        if link["qe_score"] is not None:
            assert seg["basis"] == "qe+rules" and seg["reasons"][0].startswith("QE ")
    assert "|qe:comet:" in report["signature"]
    assert report["config"]["qe"]["model"] == str(qe_models.kiwi)

    status, again, _ = run_json(capsys, *args)
    paired_again = [link for link in again["documents"][0]["alignment"] if link["source"] and link["target"]]
    assert all(link["cached"] is True for link in paired_again)
    assert [link["qe_score"] for link in paired_again] == [link["qe_score"] for link in paired]
    assert again["documents"][0]["qe"]["score"] == doc["qe"]["score"]


def test_xcomet_error_spans_are_valid_issues_with_origin_qe(capsys, qe_models, tmp_path):
    status, report, err = run_json(capsys, str(TARGET), "--source", str(SOURCE), "--qe-model", str(qe_models.xcomet),
                                   "--offline", "--no-cache")
    assert status == ExitStatus.PASSED, err
    doc = report["documents"][0]
    text = TARGET.read_text(encoding="utf-8")
    spans = [i for i in doc["issues"] if i["code"] == "TQ902"]
    assert spans, "the tiny xCOMET model is built to predict some error spans"
    for issue in spans:
        assert issue["origin"] == "qe" and 0 <= issue["confidence"] <= 1
        assert issue["text"] == text[issue["start"]:issue["end"]] and issue["text"] == issue["text"].strip()
        link = next(link for link in doc["alignment"] if link["target"] and
                    link["target"][0] <= issue["start"] and issue["end"] <= link["target"][1])
        assert link["qe_score"] is not None


def test_qe_without_source_is_unavailable_not_invented(capsys, qe_models, tmp_path):
    target = tmp_path / "alone.de.txt"
    target.write_text("Tencent ist seit langem im E-Commerce tätig. Alibaba hat viele Nutzer.\n", encoding="utf-8")
    status, report, _ = run_json(capsys, str(target), "--qe-model", str(qe_models.kiwi), "--offline")
    qe = report["documents"][0]["qe"]
    assert status == ExitStatus.PASSED
    assert qe["status"] == "unavailable" and qe["score"] is None and "no source" in qe["reason"]


def test_missing_checkpoint_exits_2_with_a_helpful_message(capsys, tmp_path):
    status = main(["check", str(TARGET), "--source", str(SOURCE), "--qe-model", str(tmp_path / "nope" / "model.ckpt"),
                   "--offline"])
    _, err = capsys.readouterr()
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR
    assert "tqcheck: error:" in err and "nope" in err and "not supported by COMET" not in err
