"""Routing: policies per language pair and content type, routes per segment and document, in and out of the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import qe_fixtures
from tests.conftest import SAMPLES
from tqcheck import check
from tqcheck.cli import ExitStatus, main
from tqcheck.config import Config
from tqcheck.errors import ConfigError
from tqcheck.qe import FAMILY_ROUTE_THRESHOLDS
from tqcheck.routing import ROUTES, RoutingConfig
from tqcheck.types import Severity

qe_models = qe_fixtures.qe_models
PLANTED = SAMPLES / "live-commerce.zh-de.mt.txt"
PLANTED_SOURCE = SAMPLES / "live-commerce.zh.txt"
KIWI = FAMILY_ROUTE_THRESHOLDS["cometkiwi"]


def run_json(capsys, *args: str) -> tuple[int, dict]:
    status = main(["check", *args, "--format", "json"])
    out, _ = capsys.readouterr()
    return status, json.loads(out)


# --- policies -------------------------------------------------------------------------------------------------


def test_policy_levels_override_in_precedence_order():
    """family defaults < [routing] < its pair < the content type < the content type's pair."""
    config = RoutingConfig(
        table={"publish": 0.9, "minor": "publish"},
        pairs={"zh-de": {"publish": 0.85, "light_review": 0.7}, "zh-en": {"publish": 0.95}},
        content_types={"legal": {"major": "retranslate", "publish": 0.97,
                                 "pairs": {"zh-de": {"publish": 0.99}}}},
    )
    base = config.resolve("en", "de", None, KIWI)
    assert (base.publish, base.light_review, base.post_edit, base.minor) == (0.9, 0.65, 0.35, "publish")
    pair = config.resolve("zh", "de", None, KIWI)
    assert (pair.publish, pair.light_review, pair.major) == (0.85, 0.7, "post-edit")
    legal = config.resolve("zh", "en", "legal", KIWI)
    assert (legal.publish, legal.major) == (0.97, "retranslate")
    legal_de = config.resolve("zh", "de", "legal", KIWI)
    assert (legal_de.publish, legal_de.light_review, legal_de.major) == (0.99, 0.7, "retranslate")
    without_qe = config.resolve("zh", "de", "legal", None)
    assert (without_qe.publish, without_qe.light_review, without_qe.post_edit) == (None, None, None)


def test_qe_bands_and_finding_escalations():
    policy = RoutingConfig().resolve("zh", "de", None, KIWI)
    assert [policy.qe_route(s) for s in (0.95, 0.80, 0.79, 0.65, 0.64, 0.35, 0.34, float("nan"))] == [
        "publish", "publish", "light-review", "light-review", "post-edit", "post-edit", "retranslate", "retranslate"]
    assert [policy.finding_route(s) for s in Severity] == ["publish", "light-review", "post-edit", "retranslate"]


@pytest.mark.parametrize(("config", "message"), [
    ({"table": {"publsh": 0.9}}, "unknown key 'publsh' \\(did you mean 'publish'\\?\\)"),
    ({"table": {"major": "review"}}, "'major' must be one of publish, light-review, post-edit, retranslate"),
    ({"table": {"publish": "high"}}, "'publish' must be a number"),
    ({"table": {"retranslate_share": 0}}, "retranslate_share"),
    ({"pairs": {"German": {"publish": 0.9}}}, "'German' is not a language pair"),
    ({"content_types": {"ui": {"pairs": {"zh-de": {"minor": "never"}}}}},
     "\\[routing.content_types.ui.pairs.zh-de\\]: 'minor' must be one of"),
])
def test_invalid_routing_config_is_refused(config, message):
    with pytest.raises(ConfigError, match=message):
        RoutingConfig(**config)


def test_thresholds_keep_their_order_and_content_type_must_exist():
    """A threshold left to the family default moves to the configured one it crosses; configured ones that cross
    are an error, in one table when the file is read, across levels when a document's policy is resolved."""
    lowered = RoutingConfig(table={"publish": 0.5}).resolve("zh", "de", None, KIWI)
    assert (lowered.publish, lowered.light_review, lowered.post_edit) == (0.5, 0.5, 0.35)
    raised = RoutingConfig(table={"post_edit": 0.7}).resolve("zh", "de", None, KIWI)
    assert (raised.publish, raised.light_review, raised.post_edit) == (0.8, 0.7, 0.7)
    with pytest.raises(ConfigError, match=r"\[routing\]: thresholds must not increase: publish 0\.5 ≥ light_"):
        RoutingConfig(table={"publish": 0.5, "light_review": 0.6})
    crossing = RoutingConfig(table={"light_review": 0.6}, pairs={"zh-de": {"publish": 0.5}})
    with pytest.raises(ConfigError, match=r"for zh-de must not increase: publish 0\.5 ≥ light_review 0\.6"):
        crossing.resolve("zh", "de", None, KIWI)
    with pytest.raises(ConfigError, match=r"content type 'legal' has no \[routing\.content_types\.legal\] table"):
        Config(content_type="legal")


# --- routes without QE ----------------------------------------------------------------------------------------


def test_rules_alone_route_the_planted_pair_and_say_so():
    result = check(PLANTED, PLANTED_SOURCE)
    routing = result.routing
    assert routing.basis == "rules" and all(s.basis == "rules" for s in routing.segments)
    assert [s.link for s in routing.segments] == list(range(len(result.alignment.links)))
    by_route = {r: [s for s in routing.segments if s.route == r] for r in ROUTES}
    # Every segment with a major rule finding (all six issues are major) goes to post-edit, the rest publish.
    majors = {i.span for i in result.issues if i.severity is Severity.MAJOR}
    for seg in routing.segments:
        touched = seg.target is None or any(span.overlaps(seg.target) for span in majors)
        assert seg.route == ("post-edit" if touched else "publish"), seg
    assert by_route["post-edit"] and by_route["publish"] and not by_route["light-review"]
    omitted = [s for s in routing.segments if s.target is None]
    assert omitted and all(s.reasons == ("source sentence not translated: post-edit",) for s in omitted)
    # A failed document goes at least to post-edit; words per route add up.
    assert result.verdict == "fail" and routing.route == "post-edit"
    totals = routing.summary()
    assert sum(t["segments"] for t in totals.values()) == len(routing.segments)
    assert sum(t["words"] for t in totals.values()) == sum(s.words for s in routing.segments)


def test_target_without_source_is_routed_per_sentence():
    result = check("Das ist gut. Das ist ein ein Problem. Alles klar.", config=Config(tgt_lang="de"))
    assert [(s.link, s.route) for s in result.routing.segments] == [
        (None, "publish"), (None, "light-review"), (None, "publish")]
    assert result.routing.segments[1].reasons == ("TQ601 minor: light-review",)
    # One minor issue in 9 words is far over the acceptable density: the gate fails, the document is post-edited.
    assert result.verdict == "fail" and result.route == "post-edit"
    assert result.routing.reasons == ("segments: 1 light-review", "the document failed the gate: at least post-edit")


def test_document_goes_to_retranslate_when_most_of_its_words_do():
    result = check("", "Save the file before you close the window.", config=Config(src_lang="en", tgt_lang="de"))
    assert [(s.route, s.words) for s in result.routing.segments] == [("retranslate", 8)]
    assert result.route == "retranslate" and result.routing.reasons[0].startswith("8 of 8 words routed to retranslate")


# --- the command line and the configuration file ----------------------------------------------------------------


def write_config(folder: Path, text: str) -> Path:
    path = folder / "tqcheck.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_content_type_from_the_command_line_selects_its_table(capsys, tmp_path):
    config = write_config(tmp_path, '[routing.content_types.social]\nmajor = "light-review"\n'
                                    'failed_document = "light-review"\n')
    args = (str(PLANTED), "--source", str(PLANTED_SOURCE), "--config", str(config))
    _, default = run_json(capsys, *args)
    _, social = run_json(capsys, *args, "--content-type", "social")
    default_doc, social_doc = default["documents"][0], social["documents"][0]
    assert social["config"]["content_type"] == "social" and social_doc["routing"]["content_type"] == "social"
    assert default_doc["route"] == "post-edit" and social_doc["route"] == "post-edit"  # omitted sentences stay
    routes = {seg["route"] for seg in social_doc["routing"]["segments"] if seg["target"] is not None}
    assert routes == {"publish", "light-review"}
    links = [link["route"] for link in social_doc["alignment"]]
    assert links == [seg["route"] for seg in social_doc["routing"]["segments"]]


def test_unknown_content_type_is_a_usage_error(capsys, tmp_path):
    status = main(["check", str(PLANTED), "--content-type", "legal", "--no-config"])
    _, err = capsys.readouterr()
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR
    assert "content type 'legal' has no [routing.content_types.legal] table" in err


def test_routing_table_errors_name_the_file(capsys, tmp_path):
    config = write_config(tmp_path, '[routing.pairs."zh-de"]\npublish = "high"\n')
    status = main(["check", str(PLANTED), "--config", str(config)])
    _, err = capsys.readouterr()
    assert status == ExitStatus.USAGE_OR_INPUT_ERROR
    assert f"{config}: [routing.pairs.zh-de]: 'publish' must be a number" in err


def test_jsonl_lines_and_summary_carry_routes(capsys):
    status = main(["check", str(PLANTED), "--source", str(PLANTED_SOURCE), "--format", "jsonl"])
    lines = [json.loads(line) for line in capsys.readouterr()[0].splitlines()]
    document, summary = lines[0], lines[-1]["summary"]
    assert status == ExitStatus.GATE_FAILED and document["route"] == "post-edit"
    assert summary["routes"] == {"publish": 0, "light-review": 0, "post-edit": 1, "retranslate": 0}
    assert summary["segments_by_route"] == document["routing"]["summary"]


# --- with QE (tiny checkpoints) ---------------------------------------------------------------------------------


@pytest.mark.qe
def test_qe_thresholds_per_pair_and_content_type(capsys, qe_models, tmp_path):
    """The tiny model's scores are arbitrary; the thresholds decide: all-pass and none-pass tables prove it."""
    config = write_config(tmp_path, '[routing.pairs."zh-de"]\npublish = -1000\nlight_review = -1000\n'
                                    'post_edit = -1000\n'
                                    '[routing.content_types.strict]\npublish = 1000\nlight_review = 1000\n'
                                    'post_edit = 1000\n')
    args = (str(PLANTED), "--source", str(PLANTED_SOURCE), "--qe-model", str(qe_models.kiwi), "--offline",
            "--cache-dir", str(tmp_path / "cache"), "--config", str(config), "--fail-on", "none")
    _, lenient = run_json(capsys, *args)
    _, strict = run_json(capsys, *args, "--content-type", "strict")
    for report, expected in ((lenient, "publish"), (strict, "retranslate")):
        doc = report["documents"][0]
        assert doc["routing"]["basis"] == "qe+rules"
        scored = [s for s in doc["routing"]["segments"] if s["qe_score"] is not None]
        assert scored
        for seg in scored:
            vetoed = any(r.split()[1] == "major:" for r in seg["reasons"][1:])
            assert seg["route"] == ("post-edit" if vetoed and expected == "publish" else expected), seg


@given(st.lists(st.tuples(st.sampled_from(ROUTES), st.integers(0, 50)), max_size=20))
def test_totals_are_the_segments_and_words_of_each_route(routes):
    from tqcheck.routing.route import RoutedSegment, _totals

    segments = [RoutedSegment(None, None, None, route, "rules", words, None, ()) for route, words in routes]
    assert _totals(segments) == tuple((sum(s.route == r for s in segments), sum(s.words for s in segments
                                                                                 if s.route == r)) for r in ROUTES)


def _document_route_by_segments(routed, policy, failed):
    """The plain definition of a document's route, read off its routed segments one by one."""
    from tqcheck.routing.policy import route_rank, worst

    reasons = []
    total = sum(s.words for s in routed)
    retranslate = sum(s.words for s in routed if s.route == "retranslate")
    if routed and total > 0 and retranslate / total >= policy.retranslate_share:
        route = "retranslate"
        reasons.append(f"{retranslate} of {total} words routed to retranslate "
                       f"(at least {policy.retranslate_share:.0%})")
    else:
        route = worst("publish", *(s.route for s in routed)) if routed else "publish"
        if route == "retranslate":
            route = "post-edit"
        if route != "publish":
            counts = {r: sum(s.route == r for s in routed) for r in ROUTES if r != "publish"}
            reasons.append("segments: " + ", ".join(f"{n} {r}" for r, n in counts.items() if n))
    if failed and route_rank(route) < route_rank(policy.failed_document):
        route = policy.failed_document
        reasons.append(f"the document failed the gate: at least {policy.failed_document}")
    return route, reasons


@given(st.lists(st.tuples(st.sampled_from(ROUTES), st.integers(0, 50)), max_size=12),
       st.floats(0.0, 1.0), st.sampled_from(ROUTES), st.booleans())
def test_document_route_from_totals_is_the_route_from_the_segments(routes, share, failed_document, failed):
    import dataclasses

    from tqcheck.routing.route import RoutedSegment, _document_route, _totals

    policy = dataclasses.replace(RoutingConfig().resolve("zh", "de", None, None), retranslate_share=share,
                                 failed_document=failed_document)
    segments = [RoutedSegment(None, None, None, route, "rules", words, None, ()) for route, words in routes]
    assert _document_route(_totals(segments), policy, failed) == _document_route_by_segments(segments, policy, failed)
