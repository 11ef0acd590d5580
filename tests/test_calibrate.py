"""`tqcheck calibrate`: thresholds from labelled segments (tqcheck.routing.calibrate and the CLI command)."""

from __future__ import annotations

import itertools
import json
import math
import random
from collections import Counter
from pathlib import Path

import pytest

from tests import qe_fixtures
from tests.conftest import ROOT
from tqcheck.cli import ExitStatus, main
from tqcheck.config import Config
from tqcheck.configfile import load_config_file, merge
from tqcheck.errors import ConfigError
from tqcheck.qe import FAMILY_ROUTE_THRESHOLDS, QEConfig
from tqcheck.routing import ROUTES, RoutingConfig
from tqcheck.routing import calibrate as cal
from tqcheck.routing import labels as labelfile
from tqcheck.routing.policy import THRESHOLD_KEYS

qe_models = qe_fixtures.qe_models
FIXTURE = ROOT / "tests" / "data" / "calibration" / "wmt23-mqm-sample.jsonl"


# --- helpers ---------------------------------------------------------------------------------------------


def synthetic_units(n: int, seed: int, *, informative: bool = True, pair: str = "en-de") -> list[cal.Unit]:
    """MQM-labelled units whose score predicts "no edit" (logistic in the score) unless not ``informative``;
    a tenth of them carry a rule finding that raises their floor."""
    rng = random.Random(seed)
    units = []
    cuts = labelfile.LabelCuts()
    for _ in range(n):
        score = round(rng.random(), 4)
        p_clean = 1 / (1 + math.exp(-12 * (score - 0.6))) if informative else 0.3
        if rng.random() < p_clean:
            penalty = 0.0
        elif rng.random() < score:  # better scores, milder errors
            penalty = rng.choice([1.0, 2.0, 3.0])
        else:
            penalty = rng.choice([5.0, 10.0, 30.0])
        floor = "publish" if rng.random() < 0.9 else rng.choice(["light-review", "post-edit"])
        units.append(cal.Unit(cuts.classify(penalty), floor, score, rng.randint(3, 40), pair))  # type: ignore[arg-type]
    return units


def en_de_pairs() -> list[tuple[str, str]]:
    """Parallel English–German sentences (the QE fixtures' corpus lists are aligned by index): no rule fires."""
    parts = (zip(qe_fixtures._EN_SUBJECTS, qe_fixtures._DE_SUBJECTS, strict=True),
             zip(qe_fixtures._EN_PREDICATES, qe_fixtures._DE_PREDICATES, strict=True),
             zip(qe_fixtures._EN_TAILS, qe_fixtures._DE_TAILS, strict=True))
    return [(f"{es} {ep}{et}.", f"{ds} {dp}{dt}.") for (es, ds), (ep, dp), (et, dt) in itertools.product(*parts)]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def generated_file(path: Path, n: int, seed: int, informative: bool) -> Path:
    """``n`` en→de lines with an ``edited`` label and a ``qe_score`` that tells it (or not)."""
    rng = random.Random(seed)
    rows = []
    for source, target in en_de_pairs()[:n]:
        edited = rng.random() < 0.4
        score = rng.random()
        if informative:  # overlapping ranges: no perfect threshold
            score = rng.uniform(0.0, 0.7) if edited else rng.uniform(0.6, 1.0)
        rows.append({"source": source, "target": target, "src_lang": "en", "tgt_lang": "de",
                     "edited": edited, "qe_score": round(score, 4), "note": "ignored"})
    return write_jsonl(path, rows)


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["calibrate", *args, "--no-config", "-q"])
    out, err = capsys.readouterr()
    return status, out, err


def load_snippet(tmp_path: Path, snippet: str) -> Config:
    """The snippet as tqcheck loads it: a tqcheck.toml read by the configuration loader."""
    path = tmp_path / "tqcheck.toml"
    path.write_text(snippet, encoding="utf-8")
    return merge(load_config_file(path), {}, config_file=path).config


def check_sums(report: dict, part: str = "calibration") -> None:
    table = report[part]
    routes = table["routes"]
    assert [r["route"] for r in routes] == list(ROUTES)
    assert sum(r["segments"] for r in routes) == table["segments"]
    assert sum(r["words"] for r in routes) == table["words"] > 0
    assert math.isclose(sum(r["segment_share"] for r in routes), 1, abs_tol=1e-3)
    assert math.isclose(sum(r["word_share"] for r in routes), 1, abs_tol=1e-3)
    for r in routes:
        assert sum(r["labels"].values()) == r["segments"]
        assert list(r["labels"]) == report["classes"]


# --- statistics and labels -------------------------------------------------------------------------------


def test_wilson_lower_bound_matches_the_formula():
    # 95 of 100 at one-sided 95 %: z = 1.6449; (p + z²/2n − z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)
    assert cal.wilson_lower(95, 100, 0.95) == pytest.approx(0.9008, abs=1e-4)
    assert cal.wilson_lower(10, 10, 0.95) == pytest.approx(10 / (10 + 1.6449 ** 2), abs=1e-4)
    assert cal.wilson_lower(7, 10, 0.5) == pytest.approx(0.7)
    assert cal.wilson_lower(0, 0, 0.95) == 0.0


def test_score_auc_counts_ties_half():
    units = [cal.Unit("no-edit", "publish", 0.9, 1), cal.Unit("light", "publish", 0.1, 1),
             cal.Unit("no-edit", "publish", 0.5, 1), cal.Unit("light", "publish", 0.5, 1)]
    assert cal.score_auc(units) == pytest.approx((1 + 1 + 1 + 0.5) / 4)
    assert cal.score_auc(units[:1]) is None


def test_label_cut_offs_are_documented_and_options():
    cuts = labelfile.LabelCuts()
    assert [cuts.classify(p) for p in (0, 0.1, (0.1 + 0.1 + 0.1) / 3, 0.1334, 4.99, 5, 24.9, 25)] == [
        "no-edit", "no-edit", "no-edit", "light", "light", "post-edit", "post-edit", "retranslate"]
    strict = labelfile.LabelCuts(no_edit_max=0, light_below=2, post_edit_below=10)
    assert [strict.classify(p) for p in (0, 0.1, 2, 10)] == ["no-edit", "light", "post-edit", "retranslate"]
    with pytest.raises(ConfigError):
        labelfile.LabelCuts(no_edit_max=5, light_below=5)


def test_read_labels_accepts_penalty_score_and_edited_spellings(tmp_path):
    path = write_jsonl(tmp_path / "l.jsonl", [
        {"src": "A.", "mt": "B.", "mqm_penalty": 1.5, "lp": "en-de", "id": 7},
        {"source": "A.", "target": "B.", "mqm_score": -6, "src_lang": "en-US", "tgt_lang": "de", "qe_score": 0.5},
        {"source": "A.", "translation": "", "mqm_score": 0},
    ])
    labels = labelfile.read_labels(path, src_lang="fr", tgt_lang="it")
    assert labels.kind == "mqm"
    assert [(s.line, s.penalty, s.src_lang, s.tgt_lang, s.qe_score, s.id) for s in labels.segments] == [
        (1, 1.5, "en", "de", None, "7"), (2, 6.0, "en", "de", 0.5, None), (3, 0.0, "fr", "it", None, None)]
    edited_file = write_jsonl(tmp_path / "e.jsonl", [{"source": "A.", "target": "B.", "edited": False}])
    edited = labelfile.read_labels(edited_file)
    assert edited.kind == "edited" and edited.segments[0].edited is False


@pytest.mark.parametrize(("rows", "message"), [
    ([{"source": "A.", "target": "B."}], ": line 1: no label: give 'mqm_penalty'"),
    ([{"source": "A.", "target": "B.", "mqm": 3}], ": line 1: 'mqm' is ambiguous"),
    ([{"source": "A.", "target": "B.", "mqm_penalty": -1}], ": line 1: 'mqm_penalty' must be ≥ 0"),
    ([{"source": "A.", "target": "B.", "mqm_score": 2}], ": line 1: 'mqm_score' must be ≤ 0"),
    ([{"source": "A.", "target": "B.", "edited": "yes"}], ": line 1: 'edited' must be true or false, found a string"),
    ([{"source": "A.", "target": "B.", "edited": True, "mqm_penalty": 1}], ": line 1: several labels"),
    ([{"source": "A.", "target": "B.", "edited": True}, {"source": "A.", "target": "B.", "mqm_penalty": 1}],
     ": line 2: an MQM label, but line 1 has an edited label"),
    ([{"target": "B.", "edited": True}], ": line 1: no source text"),
    ([{"source": "A.", "target": "B.", "edited": True, "qe_score": "0.5"}], ": line 1: 'qe_score' must be a finite"),
    ([{"source": "A.", "target": 3, "edited": True}], ": line 1: 'target' must be a string"),
    ([{"source": "A.", "target": "B.", "edited": True, "lp": "english"}], ": line 1: 'lp' must name a pair"),
])
def test_bad_lines_are_errors_naming_file_and_line(tmp_path, rows, message):
    path = write_jsonl(tmp_path / "labels.jsonl", rows)
    with pytest.raises(labelfile.LabelError) as err:
        labelfile.read_labels(path)
    assert str(err.value).startswith(f"{path}:") and message in str(err.value)


# --- the search on generated data ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_generated_publish_threshold_meets_the_target_on_held_out_data(seed, tmp_path):
    units = synthetic_units(4000, seed)
    result = cal.calibrate(units, "mqm", cal.Targets(publish=0.9), holdout=0.3, seed=seed,
                           baseline=FAMILY_ROUTE_THRESHOLDS["cometkiwi"])
    assert result.met and result.thresholds is not None
    held = result.holdout.route("publish")
    assert held.segments > 200 and held.precision >= 0.9
    assert result.holdout_met == {"publish": True}
    assert result.calibration.segments == 2800 and result.holdout.segments == 1200
    # The lowest threshold meeting the bound: the next lower score of the publish pool would not.
    calib, _ = cal.split(units, 0.3, seed)
    publish = result.thresholds["publish"]
    stats = result.calibration.route("publish")
    assert stats.lower_bound >= 0.9
    lower = max(u.score for u in calib if u.floor == "publish" and u.score < publish)
    looser = cal.evaluate(calib, {**result.thresholds, "publish": lower}, "mqm").route("publish")
    assert looser.segments > stats.segments and looser.lower_bound < 0.9
    # The uncalibrated thresholds keep the family's values (below publish here), and the snippet loads.
    assert (result.thresholds["light_review"], result.thresholds["post_edit"]) == (0.65, 0.35)
    assert result.snippet.startswith('[routing.pairs."en-de"]\n')
    config = load_snippet(tmp_path, result.snippet)
    policy = config.routing.resolve("en", "de", None, FAMILY_ROUTE_THRESHOLDS["cometkiwi"])
    assert {k: getattr(policy, k) for k in THRESHOLD_KEYS} == dict(result.thresholds)


def test_generated_light_review_and_post_edit_targets(tmp_path):
    units = synthetic_units(4000, 5)
    targets = cal.Targets(publish=0.9, light_review=0.8, post_edit=0.8)
    result = cal.calibrate(units, "mqm", targets, holdout=0.3, seed=5)
    assert result.met and [c.how for c in result.choices] == ["calibrated"] * 3
    t = result.thresholds
    assert t["publish"] >= t["light_review"] >= t["post_edit"]
    for key, route in cal.KEY_ROUTES.items():
        stats = result.calibration.route(route)
        assert stats.lower_bound >= targets.of(key), key
        assert result.holdout.route(route).precision >= targets.of(key) - 0.05  # fresh data: near the target
    # What the search predicted is what the routes give (the same function as check's).
    for choice in result.choices:
        assert f"{result.calibration.route(cal.KEY_ROUTES[choice.key]).segments} segments" in choice.note
    config = load_snippet(tmp_path, result.snippet)
    assert dict(config.routing.pairs["en-de"]) == dict(t)


def test_uninformative_scores_cannot_reach_the_target():
    result = cal.calibrate(synthetic_units(3000, 3, informative=False), "mqm", cal.Targets(0.95))
    assert not result.met and result.snippet is None
    assert result.choices[0].how == "unmet"
    assert any("no publish threshold reaches precision 0.95" in m and "AUC" in m for m in result.messages)
    assert sum(r.segments for r in result.calibration.routes) == 3000


def test_rule_vetoes_and_unscored_units_stay_with_their_floor():
    units = [cal.Unit("no-edit", "post-edit", 0.99, 10), cal.Unit("no-edit", "publish", None, 5),
             cal.Unit("light", "light-review", None, 5)]
    policy = cal.thresholds_policy({"publish": 0.5, "light_review": 0.4, "post_edit": 0.1})
    assert [cal.unit_route(u, policy) for u in units] == ["post-edit", "publish", "light-review"]
    assert cal.unit_route(cal.Unit("no-edit", "publish", 0.45, 1), policy) == "light-review"


def test_shortest_threshold_routes_alike():
    assert cal._shortest(0.8123, 0.8011) == 0.81
    assert cal._shortest(0.8123, 0.81225) == 0.8123
    assert cal._shortest(-0.1234, -0.15) == -0.13
    assert cal._shortest(3.0, 2.5) == 3.0


def test_edited_labels_cannot_calibrate_light_review():
    units = [cal.Unit("edited", "publish", 0.3, 1), cal.Unit("no-edit", "publish", 0.9, 1)]
    with pytest.raises(ConfigError, match="need MQM labels"):
        cal.calibrate(units, "edited", cal.Targets(0.9, light_review=0.8))


@pytest.mark.parametrize(("pair", "content_type", "header"), [
    ("zh-en", None, '[routing.pairs."zh-en"]'),
    (None, None, "[routing]"),
    (None, "marketing", "[routing.content_types.marketing]"),
    ("zh-en", "marketing", '[routing.content_types.marketing.pairs."zh-en"]'),
    ("?-en", None, "[routing]"),
])
def test_snippet_forms_load(tmp_path, pair, content_type, header):
    thresholds = {"publish": 0.81, "light_review": 0.6, "post_edit": 0.3}
    snippet = cal.routing_snippet(thresholds, pair, content_type)
    assert snippet.splitlines()[0] == header
    config = load_snippet(tmp_path, snippet)
    policy = config.routing.resolve("zh", "en", content_type, FAMILY_ROUTE_THRESHOLDS["cometkiwi"])
    assert {k: getattr(policy, k) for k in THRESHOLD_KEYS} == thresholds


# --- the command on generated files ----------------------------------------------------------------------


def test_cli_generated_edited_labels_meet_the_target(capsys, tmp_path):
    labels = generated_file(tmp_path / "logs.jsonl", 240, seed=1, informative=True)
    status, out, err = run_cli(capsys, str(labels), "--holdout", "0.3", "--seed", "4", "--format", "json")
    assert status == ExitStatus.PASSED, err
    report = json.loads(out)
    assert report["labels"] == "edited" and report["classes"] == ["no-edit", "edited"] and report["met"]
    check_sums(report)
    check_sums(report, "holdout")
    assert report["calibration"]["segments"] == 168 and report["holdout"]["segments"] == 72
    assert report["holdout"]["met"] == {"publish": True}
    publish = report["calibration"]["routes"][0]
    assert publish["lower_bound"] >= 0.95 and report["holdout"]["routes"][0]["precision"] >= 0.95
    # Edited labels judge publish only.
    assert [r["precision"] is None for r in report["calibration"]["routes"]] == [False, True, True, True]
    assert [c["how"] for c in report["choices"]] == ["calibrated", "kept", "kept"]
    config = load_snippet(tmp_path, report["snippet"])
    assert dict(config.routing.pairs["en-de"]) == report["thresholds"]

    status, text, _ = run_cli(capsys, str(labels), "--holdout", "0.3", "--seed", "4")
    assert status == ExitStatus.PASSED
    assert "Proposed thresholds:" in text and "Held-out data:" in text
    assert text.rstrip().endswith(report["snippet"].rstrip())
    assert "Paste into tqcheck.toml:" in text


def test_cli_uninformative_scores_say_no_threshold_can_and_exit_1(capsys, tmp_path):
    labels = generated_file(tmp_path / "logs.jsonl", 200, seed=2, informative=False)
    status, out, _ = run_cli(capsys, str(labels), "--target", "0.95")
    assert status == ExitStatus.GATE_FAILED
    assert "no publish threshold reaches precision 0.95 at 95% confidence" in out
    assert "best reachable: precision" in out
    assert "Calibration data:" in out and "  total " in out  # the table is still printed
    assert "No [routing] snippet: no thresholds meet the targets." in out


def test_cli_content_type_snippet_and_config_escalations(capsys, tmp_path):
    labels = generated_file(tmp_path / "logs.jsonl", 120, seed=1, informative=True)
    status, out, err = run_cli(capsys, str(labels), "--content-type", "support", "--target", "0.9",
                               "--format", "json")
    assert status == ExitStatus.PASSED, err
    report = json.loads(out)
    assert report["snippet"].startswith('[routing.content_types.support.pairs."en-de"]\n')
    config = load_snippet(tmp_path, report["snippet"])
    policy = config.routing.resolve("en", "de", "support", FAMILY_ROUTE_THRESHOLDS["unknown"])
    assert {k: getattr(policy, k) for k in THRESHOLD_KEYS} == report["thresholds"]


def test_cli_rules_only_says_so(capsys, tmp_path):
    rows = [{"source": s, "target": t, "edited": i % 3 == 0} for i, (s, t) in enumerate(en_de_pairs()[:30])]
    labels = write_jsonl(tmp_path / "l.jsonl", rows)
    status, out, _ = run_cli(capsys, str(labels), "--src-lang", "en", "--tgt-lang", "de", "--target", "0.5")
    assert status == ExitStatus.PASSED  # 20 of 30 unedited: lower bound 0.51 ≥ 0.5
    assert "only the rule-based routing can be evaluated" in out
    assert "Rule-based routing (no scores):" in out and "No [routing] snippet: there are no scores" in out


# --- the command's errors --------------------------------------------------------------------------------


def test_cli_malformed_line_exits_2_naming_file_and_line(capsys, tmp_path):
    labels = tmp_path / "labels.jsonl"
    labels.write_text('{"source": "A.", "target": "B.", "edited": true}\n{"source": "A.", "target"\n',
                      encoding="utf-8")
    status, out, err = run_cli(capsys, str(labels))
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and out == ""
    assert f"tqcheck: error: {labels}: line 2: invalid JSON" in err and "Traceback" not in err


def test_cli_missing_label_exits_2(capsys, tmp_path):
    labels = write_jsonl(tmp_path / "labels.jsonl", [{"source": "A.", "target": "B.", "edited": False},
                                                       {"source": "A.", "target": "B.", "score": 3}])
    status, _, err = run_cli(capsys, str(labels))
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR
    assert f"{labels}: line 2: no label" in err and "Traceback" not in err


@pytest.mark.parametrize(("args", "message"), [
    (("--light-target", "0.8"), "need MQM labels"),
    (("--holdout", "0.99"), "cannot hold out 99% of 1 segments"),
    (("--target", "1.5"), "--target"),
])
def test_cli_bad_options_exit_2(capsys, tmp_path, args, message):
    labels = write_jsonl(tmp_path / "labels.jsonl", [{"source": "A.", "target": "B.", "edited": False}])
    status, _, err = run_cli(capsys, str(labels), *args)
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and message in err


def test_cli_missing_file_exits_2(capsys, tmp_path):
    status, _, err = run_cli(capsys, str(tmp_path / "nope.jsonl"))
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR and "no such file" in err


# --- the dev-set fixture ---------------------------------------------------------------------------------


def fixture_classes(lines: list[dict]) -> Counter:
    cuts = labelfile.LabelCuts()
    return Counter(cuts.classify(line["mqm_penalty"]) for line in lines)


def test_fixture_is_small_labelled_and_sourced():
    lines = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 300
    assert Counter(f"{x['src_lang']}-{x['tgt_lang']}" for x in lines) == {"zh-en": 200, "en-de": 100}
    assert all(x["mqm_penalty"] >= 0 and "/refA" not in x["id"] for x in lines)
    readme = (FIXTURE.parent / "README.md").read_text(encoding="utf-8")
    assert "Apache License 2.0" in readme and "google/wmt-mqm-human-evaluation" in readme


def test_fixture_rules_only(capsys):
    lines = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    status, out, err = run_cli(capsys, str(FIXTURE), "--format", "json")
    # 10 % of these MT segments needed no edit: the rules alone cannot reach 95 % publish precision.
    assert status == ExitStatus.GATE_FAILED, err
    report = json.loads(out)
    check_sums(report)
    assert report["calibration"]["segments"] == 300 and report["thresholds"] is None and report["snippet"] is None
    assert report["pairs"] == {"en-de": 100, "zh-en": 200} and report["scored"] == 0
    totals = Counter()
    for r in report["calibration"]["routes"]:
        totals.update(r["labels"])
    assert totals == fixture_classes(lines)
    assert any("only the rule-based routing" in m for m in report["messages"])
    assert any("rule-based routing misses the publish target 0.95" in m for m in report["messages"])
    vetoed = sum(r["segments"] for r in report["calibration"]["routes"][1:])
    assert all(v["segments"] <= vetoed for v in report["vetoes"].values())


@pytest.fixture(scope="module")
def fixture_subset(tmp_path_factory) -> Path:
    """60 zh-en and 30 en-de lines of the fixture: enough for QE plumbing, quick with the tiny model."""
    lines = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    zh = [x for x in lines if x["src_lang"] == "zh"][:60]
    de = [x for x in lines if x["src_lang"] == "en"][:30]
    return write_jsonl(tmp_path_factory.mktemp("calibration") / "subset.jsonl", zh + de)


@pytest.mark.qe
def test_fixture_with_the_tiny_qe_model(capsys, qe_models, tmp_path, fixture_subset):
    lines = [json.loads(line) for line in fixture_subset.read_text(encoding="utf-8").splitlines()]
    cache = tmp_path / "cache"
    common = (str(fixture_subset), "--qe-model", str(qe_models.kiwi), "--offline", "--cache-dir", str(cache),
              "--format", "json")
    # A target every set with a few no-edit segments meets: the lowest threshold, everything scored published.
    status, out, err = run_cli(capsys, *common, "--target", "0.01", "--holdout", "0.25", "--seed", "1")
    assert status == ExitStatus.PASSED, err
    report = json.loads(out)
    check_sums(report)
    check_sums(report, "holdout")
    assert report["calibration"]["segments"] + report["holdout"]["segments"] == 90
    assert report["scored"] > 60  # nearly every pair aligns and is scored
    totals = Counter()
    for part in ("calibration", "holdout"):
        for r in report[part]["routes"]:
            totals.update(r["labels"])
    assert totals == fixture_classes(lines)
    # The tiny model is a CometKiwi-shaped checkpoint: its family's thresholds are the ones kept.
    assert report["choices"][0]["how"] == "calibrated"
    assert report["snippet"].startswith("[routing]\n")  # two language pairs: one table
    config = load_snippet(tmp_path, report["snippet"])
    assert dict(config.routing.table) == report["thresholds"]

    # The tiny model's scores mean nothing: a real target cannot be met, and the command says so.
    status, out, _ = run_cli(capsys, *common, "--target", "0.95")
    failed = json.loads(out)
    assert status == ExitStatus.GATE_FAILED and not failed["met"] and failed["snippet"] is None
    assert any("no publish threshold reaches precision 0.95" in m for m in failed["messages"])
    check_sums(failed)


@pytest.mark.qe
def test_routes_are_the_routes_of_check(qe_models, fixture_subset):
    """A unit's route under some thresholds is the worst route check gives its sentences under them."""
    from tqcheck import check
    from tqcheck.types import Document

    labels = labelfile.read_labels(fixture_subset).segments[::4]
    qe = QEConfig(model=str(qe_models.kiwi), offline=True, use_cache=False)
    units = cal.check_segments(labels, Config(qe=qe))
    scores = sorted(u.score for u in units if u.score is not None)
    # Thresholds inside the scores' range, so that QE sends units to every band.
    thresholds = {"publish": scores[len(scores) * 3 // 4], "light_review": scores[len(scores) // 2],
                  "post_edit": scores[len(scores) // 4]}
    policy = cal.thresholds_policy(thresholds)
    routing = RoutingConfig(table=thresholds)
    seen = set()
    for seg, unit in zip(labels, units, strict=True):
        config = Config(src_lang=seg.src_lang, tgt_lang=seg.tgt_lang, qe=qe, routing=routing)
        result = check(Document(seg.target), Document(seg.source), config=config)
        routes = [s.route for s in result.routing.segments]
        expected = max(routes, key=ROUTES.index)
        assert cal.unit_route(unit, policy) == expected, seg.id
        assert unit.words == sum(s.words for s in result.routing.segments)
        seen.add(expected)
    assert len(seen) >= 3
