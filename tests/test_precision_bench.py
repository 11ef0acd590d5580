"""bench/precision.py on a tiny development set written here: confirmation, chance level, lift, excess, modes, QE.

The rows are our own sentences with error spans placed by hand (nothing from ../shared/devsets).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from tests import qe_fixtures

ROOT = Path(__file__).resolve().parent.parent
qe_models = qe_fixtures.qe_models


@functools.cache
def _bench():
    spec = importlib.util.spec_from_file_location("precision_bench", ROOT / "bench" / "precision.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


DOUBLED = "Der Umsatz auf auf der Plattform hat sich verdoppelt."  # "auf auf" at [11, 18)
UNMARKED = "Die Firma wächst wächst schnell."  # "wächst wächst" at [10, 23), nobody marked it
SOURCE_ISSUE = "Das Team plant plant die Reise."  # "plant plant" at [9, 20), only a source issue there


def _row(doc_seg, src, mt, errors):
    return {"lp": "en-de", "system": "sys-a", "doc": "doc-1", "doc_seg": doc_seg, "src": src, "mt": mt,
            "raters": ["r1", "r2", "r3"], "errors": errors}


def _error(rater, start, end, severity="Minor", category="Fluency/Grammar", side="target"):
    return {"rater": rater, "category": category, "severity": severity, "side": side, "start": start, "end": end}


@pytest.fixture
def devset(tmp_path):
    rows = [
        _row(1, "Sales on the platform doubled.", DOUBLED, [_error("r1", 11, 18), _error("r2", 15, 18)]),
        _row(2, "The company grows fast.", UNMARKED, []),
        _row(3, "The team plans the trip.", SOURCE_ISSUE, [_error("r3", 9, 20, category="Source issue")]),
    ]
    folder = tmp_path / "devset"
    folder.mkdir()
    (folder / "mqm-test-en-de.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return folder


def _run(devset, tmp_path, *args):
    out = tmp_path / "figures.json"
    assert _bench().main([str(devset), "--pairs", "en-de", "--json", str(out), *args]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("mode", ["segments", "documents"])
def test_findings_are_confirmed_by_overlapping_spans_and_judged_against_chance(devset, tmp_path, mode):
    figures = _run(devset, tmp_path, *(["--documents"] if mode == "documents" else []))[f"en-de/{mode}"]
    row = figures["rules"]["TQ601"]
    # "auf auf" (7 characters) in a 53-character sentence: 47 start positions, 13 of which overlap [11, 18).
    chance = 13 / (len(DOUBLED) - 7 + 1)
    assert (row["findings"], row["confirmed"], row["confirmed2"]) == (3, 1, 1)
    assert row["chance"] == pytest.approx(chance / 3, abs=1e-4)  # the other two segments have no target spans
    assert row["precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert row["lift"] == pytest.approx(1 / 3 - chance / 3, abs=1e-4)
    assert row["excess"] == pytest.approx(1 - chance, abs=0.01)
    assert figures["overall"]["findings"] == 3


def test_segment_level_correlation_and_the_length_baseline(devset, tmp_path):
    seg = _run(devset, tmp_path)["en-de/segments"]["segment_level"]
    # Every segment costs one minor issue (−1), so tqcheck's ranking has no information: tau-b is 0.
    assert seg["kendall_tau_b"] == 0.0
    assert -1 <= seg["baseline_length_kendall_tau_b"] <= 1


def test_kendall_tau_b_handles_ties():
    bench = _bench()
    assert bench.kendall_tau_b([1, 2, 3], [1, 2, 3]) == pytest.approx(1.0)
    assert bench.kendall_tau_b([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    # scipy.stats.kendalltau([1, 1, 2, 3], [1, 2, 2, 3]) gives 0.8 (tau-b with ties on both sides).
    assert bench.kendall_tau_b([1, 1, 2, 3], [1, 2, 2, 3]) == pytest.approx(0.8)


def test_record_writes_what_confidence_reads(devset, tmp_path):
    out = tmp_path / "measured.json"
    assert _bench().main([str(devset), "--pairs", "en-de", "--both", "--record", str(out)]) == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert set(record["modes"]) == {"segments", "documents"}
    assert record["modes"]["documents"]["en-de"]["rules"]["TQ601"]["findings"] == 3


@pytest.mark.qe
def test_qe_model_findings_are_measured_the_same_way(devset, tmp_path, qe_models, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    figures = _run(devset, tmp_path, "--qe-model", str(qe_models.kiwi))["en-de/segments"]
    assert figures["qe_model"] == str(qe_models.kiwi) and figures["qe_scored_pairs"] == 3
