"""Terminal report: score, band and verdict on one line that cannot contradict itself, the MQM scorecard, the
gate's reasons, the document route with its segment breakdown, and a run summary by band and route."""

from __future__ import annotations

import dataclasses
import re

import pytest

from tests.conftest import SAMPLES
from tqcheck import Config, check_paths
from tqcheck.align import link_spans
from tqcheck.qe import FAMILY_ROUTE_THRESHOLDS
from tqcheck.reports import render
from tqcheck.reports.json import summary
from tqcheck.routing import ROUTES, RoutingConfig, route_document
from tqcheck.scoring import ScoringConfig
from tqcheck.types import DocumentResult, QEResult, QESummary, Report, ScoredPair, Severity

LIVE = SAMPLES / "live-commerce.zh-de.mt.txt"
LIVE_SOURCE = SAMPLES / "live-commerce.zh.txt"
CLEAN = SAMPLES / "mini-programme.de.txt"
PASSING_BANDS = {"excellent", "good", "acceptable"}
SCORE_LINE = re.compile(r"^  score (\d+\.\d\d)/100 \((calibrated|raw); (raw|calibrated) (\d+\.\d\d)\)  ·  "
                        r"(\w+)  ·  (.+)  ·  (PASS|FAIL)$")


@pytest.fixture(scope="module")
def samples() -> Report:
    return check_paths([SAMPLES])


def text_of(report: Report, **options: object) -> str:
    """The report at 200 columns, where its summary lines stay whole (tests/test_text_layout.py wraps them)."""
    return render(report, "text", **{"width": 200, **options})


def lines_of(report: Report) -> list[str]:
    return text_of(report).splitlines()


def test_failing_document_shows_score_band_scorecard_reasons_and_route():
    """live-commerce (with its source): calibrated 74.39 (raw 94.88), poor, 6 major, FAIL; its scorecard counts
    the source's 861 characters as 585.67 words; it fails on the score; 7 of 38 segments go to post-edit."""
    report = check_paths([LIVE], source=LIVE_SOURCE)
    [result] = report.documents
    assert (result.verdict, result.band, result.route, result.routing.basis) == ("fail", "poor", "post-edit", "rules")
    lines = lines_of(report)
    at = lines.index("  score 74.39/100 (calibrated; raw 94.88)  ·  poor  ·  6 major  ·  FAIL")
    assert lines[at + 1:at + 5] == [
        "  APT 30  ·  EWC 585.67 source words (from 861 characters)  ·  NPT 51.22 per 1,000 words  ·  "
        "passing threshold 90, fails on critical",
        "  gate failed: score 74.39 is below the passing threshold 90",
        "  route post-edit  ·  segments: 31 publish, 0 light-review, 7 post-edit, 0 retranslate "
        "(words 524 / 0 / 115 / 0)  ·  from the rules alone (no QE)",
        "    why: segments: 7 post-edit",
    ]


def test_passing_document_shows_excellent_and_publish():
    """mini-programme: 100, excellent, no issues, PASS, every segment to publish; no gate reasons."""
    report = check_paths([CLEAN])
    [result] = report.documents
    assert (result.verdict, result.band, result.route) == ("pass", "excellent", "publish")
    lines = lines_of(report)
    at = lines.index("  score 100.00/100 (calibrated; raw 100.00)  ·  excellent  ·  no issues  ·  PASS")
    assert lines[at + 1:at + 3] == [
        "  APT 0  ·  EWC 585 source words (from 868 characters)  ·  NPT 0 per 1,000 words  ·  "
        "passing threshold 90, fails on critical",
        "  route publish  ·  segments: 27 publish, 0 light-review, 0 post-edit, 0 retranslate "
        "(words 476 / 0 / 0 / 0)  ·  from the rules alone (no QE)",
    ]
    assert not any(line.startswith("  gate failed:") or line.startswith("    why:") for line in lines)


@pytest.mark.parametrize("config", [
    Config(),
    Config(fail_under=50),
    Config(fail_under=10),
    Config(fail_on=Severity.MAJOR),
    Config(fail_on=None, fail_under=0),
    Config(scoring=ScoringConfig(model="raw")),
    Config(scoring=ScoringConfig(model="raw"), fail_under=80),
    Config(scoring=ScoringConfig(good=50), fail_under=10),  # all four bands: excellent, good, good, acceptable
], ids=["default", "under-50", "under-10", "fail-on-major", "no-gate", "raw", "raw-under-80", "good-from-50"])
def test_verdict_and_band_never_contradict(config):
    """Whatever the gate: PASS only beside a passing band, FAIL only beside "poor", per document and in the
    summary's worst list; the score line names the configured model first."""
    report = check_paths([SAMPLES], config)
    text = text_of(report)
    score_lines = [m for m in map(SCORE_LINE.match, text.splitlines()) if m]
    assert len(score_lines) == len(report.documents) == 4
    for match, result in zip(score_lines, report.documents, strict=True):
        score, model, _other, _other_score, band, _counts, verdict = match.groups()
        assert (model, float(score), band, verdict) == (config.scoring.model, result.score, result.band,
                                                        result.verdict.upper())
        assert band in PASSING_BANDS if verdict == "PASS" else band == "poor"
        assert (verdict == "FAIL") == any(line.startswith("  gate failed: ") for line in _block(text, result))
    worst = text[text.index("worst 4 by score:\n"):].splitlines()[1:5]
    for line in worst:
        _score, verdict, band, route, *_ = line.split()
        assert band in PASSING_BANDS if verdict == "PASS" else band == "poor"
        assert route in ROUTES
    assert "PASS  poor" not in text and not re.search(r"FAIL  (excellent|good|acceptable)", text)
    assert not re.search(r"poor  ·  .*  ·  PASS", text) and not re.search(
        r"(excellent|good|acceptable)  ·  .*  ·  FAIL", text)


def _block(text: str, result: DocumentResult) -> list[str]:
    """The lines of ``result``'s part of the text report."""
    lines = text.splitlines()
    start = lines.index(next(line for line in lines if line.startswith(f"{result.target.name}  (")))
    end = next(k for k in range(start + 1, len(lines)) if lines[k].startswith("  route "))
    return lines[start:end + 1]


def test_run_summary_counts_bands_routes_and_segments(samples):
    """The batch summary: documents per band and per route, segments and words per route (the JSON summary's
    numbers), and the worst documents with score, verdict, band and route."""
    text = text_of(samples)
    tail = text[text.index("\nsummary\n"):]
    totals = summary(samples)
    by_route = totals["segments_by_route"]
    assert "4 documents checked, 1 passed, 3 failed, 0 could not be read.\n" in tail
    assert "bands: 1 excellent, 0 good, 0 acceptable, 3 poor\n" in tail
    assert "routes: 1 publish, 0 light-review, 3 post-edit, 0 retranslate\n" in tail
    counts = ", ".join(f"{by_route[r]['segments']} {r}" for r in ROUTES)
    words = " / ".join(str(by_route[r]["words"]) for r in ROUTES)
    assert f"segments by route: {counts} (words {words})\n" in tail
    assert [by_route[r]["segments"] for r in ROUTES] == [
        sum(d.routing.summary()[r]["segments"] for d in samples.documents) for r in ROUTES]
    worst = tail[tail.index("worst 4 by score:\n"):].splitlines()[1:5]
    ranked = sorted(samples.documents, key=lambda d: d.score)
    for line, doc in zip(worst, ranked, strict=True):
        score, verdict, band, route, name, *_ = line.split()
        assert (float(score), verdict, band, route, name) == (round(doc.score, 2), doc.verdict.upper(), doc.band,
                                                              doc.route, doc.target.name)
    assert worst[-1].split()[:4] == ["100.00", "PASS", "excellent", "publish"]
    assert worst[-1].endswith("samples/mini-programme.de.txt  (no issues)")


def test_no_colour_unless_asked(samples):
    """Plain text without ``color`` (as when stdout is not a terminal); ANSI styles with it, the same words."""
    plain = text_of(samples)
    coloured = text_of(samples, color=True)
    assert "\x1b[" not in plain and "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_route_line_with_qe_and_content_type():
    """Routed from QE scores (a link at 0.70 is light-review under the cometkiwi thresholds, the rest publish
    unless a finding escalates them): no "(no QE)"; a content type is named beside the route."""
    config = Config(routing=RoutingConfig(content_types={"marketing": {}}), content_type="marketing")
    report = check_paths([LIVE], config, source=LIVE_SOURCE)
    [result] = report.documents
    assert result.routing.content_type == "marketing"
    policy = config.routing.resolve("zh", "de", "marketing", FAMILY_ROUTE_THRESHOLDS["cometkiwi"])
    pairs = []
    for index, link in enumerate(result.alignment.links):
        src, tgt = link_spans(link, result.source_segments, result.segments)
        if src is not None and tgt is not None:
            pairs.append(ScoredPair(index, tgt, src, QEResult(0.70 if index == 0 else 0.95), "tiny"))
    routing = route_document(target=result.target, source=result.source, segments=result.segments,
                             source_segments=result.source_segments, alignment=result.alignment,
                             qe_pairs=tuple(pairs), issues=result.issues, policy=policy, content_type="marketing",
                             failed=result.verdict == "fail")
    routed = dataclasses.replace(result, routing=routing, qe_pairs=tuple(pairs),
                                 qe=QESummary("ok", "tiny", 0.94))
    assert routing.basis == "qe+rules" and routing.segments[0].route == "light-review"
    totals = routing.summary()
    [line] = [line for line in lines_of(dataclasses.replace(report, results=(routed,)))
              if line.startswith("  route ")]
    breakdown = ", ".join(f"{totals[r]['segments']} {r}" for r in ROUTES)
    words = " / ".join(str(totals[r]["words"]) for r in ROUTES)
    assert line == f"  route {routing.route} (marketing)  ·  segments: {breakdown} (words {words})"
    assert totals["light-review"]["segments"] >= 1 and routing.route == "post-edit"


def test_heading_counts_one_word_in_the_singular(tmp_path):
    one = tmp_path / "one.de.txt"
    one.write_text("Hallo.\n", encoding="utf-8")
    text = render(check_paths([one], Config()), "text")
    assert text.startswith(f"{one}  (?→de, 1 word)\n")
