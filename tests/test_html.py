"""HTML report: escaped, self-contained, every issue highlighted; and in headless Chromium, it works and stays inert.

The browser tests need Debian's ``chromium`` (``/usr/bin/chromium``) and the ``playwright`` Python package (its
driver only: the system browser is launched, ``playwright install`` is never run). CI installs both.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tqcheck import Config, check_paths
from tqcheck.cli import ExitStatus, main
from tqcheck.pipeline import assemble_result
from tqcheck.reports import render
from tqcheck.reports.html import CSS, script_json, tile
from tqcheck.reports.json import summary
from tqcheck.routing import ROUTES
from tqcheck.rules import REGISTRY
from tqcheck.types import (
    Category,
    Document,
    DocumentResult,
    FileError,
    FileResult,
    Issue,
    Report,
    Severity,
    Span,
)

WECHAT = SAMPLES / "wechat-ecommerce.zh-de.mt.txt"
LIVE = SAMPLES / "live-commerce.zh-de.mt.txt"
CLEAN = SAMPLES / "mini-programme.de.txt"
CAT = Path(__file__).resolve().parent / "data" / "cat"
CAT_FILES = [CAT / "article.sdlxliff", CAT / "article.xlf", CAT / "inline-1.2.xlf", CAT / "messages.po"]

SCRIPT_PAYLOAD = "<script>window.__pwned=1</script>"
IMG_PAYLOAD = '"><img src=x onerror="window.__pwned=2">'
EVIL_TEXT = (f"Titel {SCRIPT_PAYLOAD} und {IMG_PAYLOAD} Ende.\nZweite Zeile\u2028mit <!-- Kommentar "
             "und </script><script>alert(1)</script> & &amp; 😀 Schluss.")


# --- helpers -------------------------------------------------------------------------------------------------


def make_issue(start: int, end: int, *, code: str = "TQ101", severity: Severity = Severity.MAJOR,
               category: Category = Category.UNIDIOMATIC, message: str = "A message.",
               suggestion: str | None = "Do better.", rule: str | None = None,
               source_span: Span | None = None) -> Issue:
    return Issue(code, rule or REGISTRY[code].name, category, severity, Span(start, end), message,
                 suggestion=suggestion, source_span=source_span)


def make_result(text: str, issues: list[Issue], *, path: Path | None = Path("doc.de.txt"), unit: str | None = None,
                source: str | None = None) -> DocumentResult:
    """A scored, judged and routed result of ``issues`` (sorted by span, as every result's issues are)."""
    issues.sort(key=lambda i: i.sort_key)
    return assemble_result(Config(src_lang="zh", tgt_lang="de"), Document(text, "de", path, unit=unit), issues,
                           source=Document(source, "zh", path) if source is not None else None, src_lang="zh")


def make_report(*results: DocumentResult | FileError) -> Report:
    return Report("1", "0.1.0", "tqcheck:0.1.0|test", {}, tuple(results))


def evil_report() -> Report:
    """Markup, script and comment openers in the text, the messages, the rule name, the unit, a path and an error."""
    s, i = EVIL_TEXT.index(SCRIPT_PAYLOAD), EVIL_TEXT.index(IMG_PAYLOAD)
    c = EVIL_TEXT.index("</script><script>alert")
    issues = [
        make_issue(s, s + len(SCRIPT_PAYLOAD), message=f"Bad {SCRIPT_PAYLOAD}</script><!--",
                   suggestion='"><svg onload="window.__pwned=3">'),
        make_issue(i, i + len(IMG_PAYLOAD), code="TQ201", severity=Severity.MINOR,
                   rule='x"><img src=x onerror="window.__pwned=4">', message=IMG_PAYLOAD),
        make_issue(s + 8, i + 10, code="TQ202", severity=Severity.INFO, message="overlaps both"),
        make_issue(c, c + 9, code="TQ404", category=Category.PUNCTUATION, message="</script>"),
    ]
    return make_report(
        make_result(EVIL_TEXT, issues, path=Path('evil"<b>.de.txt'), unit='<img src=x onerror="window.__pwned=5">'),
        FileError(Path("<script>window.__pwned=6</script>.de.txt"), "binary", "<b>looks binary</b>"),
    )


class Page(HTMLParser):
    """Marks per document (attributes and text), nesting depth, issue rows, routed-segment tints (attributes, text,
    pane) and segment rows, the unit rows of a bilingual file (attributes, cells, marks, code chips, issue items),
    and the inline scripts and style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.docs: dict[int, list[dict]] = {}
        self.rows: dict[int, list[dict]] = {}
        self.tints: dict[int, list[dict]] = {}
        self.seg_rows: dict[int, list[dict]] = {}
        self.unit_rows: dict[int, list[dict]] = {}
        self.target_text: dict[int, str] = {}
        self.scripts: list[tuple[dict, str]] = []
        self.style = ""
        self.max_mark_depth = 0
        self.attrs_seen: list[tuple[str, str, str | None]] = []
        self._doc: int | None = None
        self._mark: dict | None = None
        self._spans: list[dict | None] = []  # open <span>s: the tint's record, or None for another span
        self._urow: dict | None = None
        self._pane: str | None = None
        self._pane_depth = 0
        self._target_depth = 0
        self._depth = 0
        self._script: dict | None = None
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.attrs_seen.extend((tag, k, v) for k, v in attrs)
        self._depth += 1
        if tag == "section" and "data-doc" in a:
            self._doc = int(a["data-doc"])
            self.docs[self._doc], self.rows[self._doc], self.target_text[self._doc] = [], [], ""
            self.tints[self._doc], self.seg_rows[self._doc], self.unit_rows[self._doc] = [], [], []
        elif tag == "div" and "target" in (a.get("class") or "").split():
            self._target_depth = self._depth
            self._pane, self._pane_depth = "target", self._depth
        elif tag == "div" and "source" in (a.get("class") or "").split():
            self._pane, self._pane_depth = "source", self._depth
        elif tag == "span":
            tint = None
            if "rs" in (a.get("class") or "").split():
                tint = {**a, "text": "", "pane": self._pane}
                self.tints[self._doc].append(tint)
            elif "tag" in (a.get("class") or "").split() and self._urow is not None:
                tint = {**a, "text": "", "cell": len(self._urow["cells"]) - 1}
                self._urow["tags"].append(tint)
            self._spans.append(tint)
        elif tag == "tr" and "urow" in (a.get("class") or "").split():
            self._urow = {**a, "cells": [], "marks": [], "tags": [], "items": []}
            self.unit_rows[self._doc].append(self._urow)
        elif tag == "td" and self._urow is not None:
            self._urow["cells"].append({**a, "text": ""})
        elif tag == "li" and self._urow is not None and "data-issue" in a:
            self._urow["items"].append({**a, "text": ""})
        elif tag == "mark":
            if self._mark is not None:
                self.max_mark_depth = 2
            self.max_mark_depth = max(self.max_mark_depth, 1)
            self._mark = {**a, "text": ""}
        elif tag == "tr" and "data-issue" in a:
            self.rows[self._doc].append(a)
        elif tag == "tr" and "data-seg" in a:
            self.seg_rows[self._doc].append(a)
        elif tag == "script":
            self._script = {**a, "text": ""}
        elif tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        if tag == "mark" and self._mark is not None:
            self.docs[self._doc].append(self._mark)
            if self._urow is not None:
                self._urow["marks"].append({**self._mark, "cell": len(self._urow["cells"]) - 1})
            self._mark = None
        elif tag == "tr":
            self._urow = None
        elif tag == "script" and self._script is not None:
            self.scripts.append((self._script, self._script.pop("text")))
            self._script = None
        elif tag == "style":
            self._in_style = False
        elif tag == "span" and self._spans:
            self._spans.pop()
        elif tag == "div" and self._depth == self._pane_depth:
            self._pane, self._pane_depth = None, 0
        if tag == "div" and self._depth == self._target_depth:
            self._target_depth = 0
        self._depth -= 1

    def handle_data(self, data):
        if self._mark is not None:
            self._mark["text"] += data
        if self._target_depth:
            self.target_text[self._doc] += data
        for tint in self._spans:
            if tint is not None:
                tint["text"] += data
        if self._script is not None:
            self._script["text"] += data
        if self._urow is not None and self._urow["cells"]:
            self._urow["cells"][-1]["text"] += data
            if self._urow["items"] and len(self._urow["cells"]) == 6:
                self._urow["items"][-1]["text"] += data
        if self._in_style:
            self.style += data


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def sample_report() -> Report:
    return check_paths([SAMPLES])


@pytest.fixture(scope="module")
def sample_html(sample_report) -> str:
    return render(sample_report, "html")


def assert_highlights_match(report: Report, page: Page) -> int:
    """Each issue's marks are contiguous and cover exactly its span; each mark's text is its own range."""
    checked = 0
    for n, result in enumerate(report.documents):
        marks = page.docs[n]
        text = result.target.text
        assert page.target_text[n] == text  # the tiling neither loses nor repeats text
        for mark in marks:
            assert mark["text"] == text[int(mark["data-start"]):int(mark["data-end"])]
        for k, issue in enumerate(result.issues):
            own = [m for m in marks if str(k) in m["data-issues"].split()]
            assert own, f"issue {k} ({issue.code}) has no highlight"
            assert int(own[0]["data-start"]) == issue.span.start and int(own[-1]["data-end"]) == issue.span.end
            for left, right in pairwise(own):
                assert left["data-end"] == right["data-start"]
            assert "".join(m["text"] for m in own) == text[issue.span.start:issue.span.end]
            assert all(issue.code in m["data-codes"].split() for m in own)
            checked += 1
    return checked


# --- unit tests on the generated page ------------------------------------------------------------------------


@pytest.mark.parametrize(("length", "ranges", "pieces"), [
    (10, [], [(0, 10, ())]),
    (10, [(2, 5, 0)], [(0, 2, ()), (2, 5, (0,)), (5, 10, ())]),
    (15, [(0, 10, 0), (5, 15, 1), (7, 8, 2)],
     [(0, 5, (0,)), (5, 7, (0, 1)), (7, 8, (0, 1, 2)), (8, 10, (0, 1)), (10, 15, (1,))]),
    (6, [(1, 3, 0), (3, 5, 1)], [(0, 1, ()), (1, 3, (0,)), (3, 5, (1,)), (5, 6, ())]),
    (6, [(0, 6, 0), (0, 6, 1), (2, 2, 2)], [(0, 6, (0, 1))]),
    (0, [], []),
])
def test_tile_cuts_at_every_boundary(length, ranges, pieces):
    """Overlapping and nested ranges become non-overlapping pieces, each listing the ranges that cover it."""
    assert tile(length, ranges) == pieces


def test_html_highlights_every_sample_issue(sample_report, sample_html):
    """Every issue of the samples has marks with code/start/end whose text is exactly its span."""
    page = parse(sample_html)
    assert page.max_mark_depth == 1  # never a mark inside a mark
    assert assert_highlights_match(sample_report, page) == sum(len(d.issues) for d in sample_report.documents) > 50
    for n, result in enumerate(sample_report.documents):
        rows = page.rows[n]
        assert sorted(int(r["data-issue"]) for r in rows) == list(range(len(result.issues)))
        for row in rows:
            issue = result.issues[int(row["data-issue"])]
            assert (row["data-code"], int(row["data-start"]), int(row["data-end"])) == (
                issue.code, issue.span.start, issue.span.end)


def test_html_overlapping_spans_split_into_flat_marks():
    """Nested and crossing spans give flat pieces carrying every covering issue, worst severity first in colour."""
    text = "Punkt für Punkt, Zeile für Fläche."
    issues = [make_issue(0, 15, severity=Severity.MINOR), make_issue(10, 21, code="TQ301", severity=Severity.MAJOR),
              make_issue(12, 13, code="TQ403", severity=Severity.INFO)]
    report = make_report(make_result(text, issues))
    page = parse(render(report, "html"))
    assert page.max_mark_depth == 1
    assert_highlights_match(report, page)
    assert [(m["data-start"], m["data-end"], m["data-issues"], m["data-sev"]) for m in page.docs[0]] == [
        ("0", "10", "0", "minor"), ("10", "12", "0 1", "major"), ("12", "13", "0 1 2", "major"),
        ("13", "15", "0 1", "major"), ("15", "21", "1", "major")]


def test_html_escapes_everything():
    """Text, messages, rule names, unit ids, paths and errors appear escaped; the JSON data cannot close its script."""
    report = evil_report()
    page_html = render(report, "html")
    for raw in (SCRIPT_PAYLOAD, "<img src=x", "<svg", "<b>looks", '"<b>.de', "<!-- Kommentar", "onerror=\"window"):
        assert raw not in page_html
    page = parse(page_html)
    assert not [(tag, k) for tag, k, _ in page.attrs_seen if k.startswith("on") or k == "src"]
    assert [tag for tag, k, v in page.attrs_seen if tag in {"img", "svg", "iframe", "object"}] == []
    assert page.target_text[0] == EVIL_TEXT
    assert_highlights_match(report, page)
    [block] = [t for a, t in page.scripts if a.get("type") == "application/json"]
    assert not set(block) & {"<", ">", "&", "\u2028", "\u2029"}
    issues = {item["code"]: item for item in json.loads(block)["documents"][0]["issues"]}
    assert issues["TQ101"]["message"] == f"Bad {SCRIPT_PAYLOAD}</script><!--"
    assert issues["TQ201"]["text"] == IMG_PAYLOAD
    assert "looks binary" in page_html and "&lt;b&gt;looks binary&lt;/b&gt;" in page_html


def test_script_json_is_inert_and_round_trips():
    """``<``, ``>``, ``&`` and the JS line terminators are escaped; JSON parsing restores them."""
    value = {"a": "</script><!--<script>&amp;\u2028\u2029", "b": ["😀", None, 1.5]}
    encoded = script_json(value)
    assert not set(encoded) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(encoded) == value


def test_html_is_self_contained_with_a_strict_csp(sample_html):
    """No external resources; the CSP forbids all requests and allows only the page's own style and script."""
    page = parse(sample_html)
    url_attrs = {"src", "srcset", "href", "action", "formaction", "poster", "background", "data", "ping"}
    assert [(tag, k, v) for tag, k, v in page.attrs_seen if k in url_attrs and not (v or "").startswith("#")] == []
    assert not {tag for tag, _, _ in page.attrs_seen} & {"link", "img", "iframe", "object", "embed", "base"}
    assert "@import" not in page.style and "url(" not in page.style and "@font-face" not in page.style
    [(_, code)] = [(a, t) for a, t in page.scripts if "type" not in a]
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', sample_html).group(1).replace(
        "&#x27;", "'")
    digest = {name: base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
              for name, body in (("style", page.style), ("script", code))}
    assert "default-src 'none'" in csp
    assert f"style-src 'sha256-{digest['style']}'" in csp
    assert f"script-src 'sha256-{digest['script']}'" in csp


def test_html_shows_scores_filters_and_errors(sample_report):
    """Score, verdict, word count and severity counts per document; a checkbox per severity, category and route;
    errors."""
    report = make_report(*sample_report.results, FileError(Path("gone.de.txt"), "not-found", "no such file"))
    page_html = render(report, "html")
    for result in report.documents:
        assert f"{result.score:.1f}" in page_html and f"{result.word_count} {result.word_unit}" in page_html
    for sev in ("critical", "major", "minor", "info"):
        assert f'data-filter="severity" value="{sev}" checked' in page_html
    for category in {i.category.value for d in report.documents for i in d.issues}:
        assert f'data-filter="category" value="{category}" checked' in page_html
    for route in ROUTES:
        assert f'data-filter="route" value="{route}" checked' in page_html
    assert "gone.de.txt" in page_html and "no such file" in page_html
    # Each document's verdict shows twice: in the overview table and in its own header.
    passed = sum(d.verdict == "pass" for d in report.documents)
    assert (passed, len(report.documents) - passed) == (1, 3)
    assert page_html.count('class="verdict pass"') == 2 * passed
    assert page_html.count('class="verdict fail"') == 2 * (len(report.documents) - passed)


def test_html_source_side_by_side_with_aligned_ranges(sample_report, sample_html):
    """Documents with a source show it in a second pane, cut so each issue's source span can be lit."""
    page = parse(sample_html)
    data = json.loads(next(t for a, t in page.scripts if a.get("type") == "application/json"))
    with_source = [n for n, d in enumerate(sample_report.documents) if d.source is not None and d.issues]
    assert with_source
    for n in with_source:
        issues = data["documents"][n]["issues"]
        assert any(i["aligned_source"] for i in issues)
        for item in issues:
            if "source_start" in item:
                assert item["source_text"] == sample_report.documents[n].source.text[
                    item["source_start"]:item["source_end"]]


def test_html_sort_orders_issue_rows():
    """``sort="text"`` lists issues in text order; the default lists the worst first."""
    text = "eins zwei drei"
    report = make_report(make_result(text, [make_issue(0, 4, severity=Severity.MINOR),
                                            make_issue(5, 9, code="TQ201", severity=Severity.CRITICAL)]))
    by_severity = [r["data-code"] for r in parse(render(report, "html")).rows[0]]
    by_text = [r["data-code"] for r in parse(render(report, "html", sort="text")).rows[0]]
    assert by_severity == ["TQ201", "TQ101"] and by_text == ["TQ101", "TQ201"]


def doc_section(page_html: str, n: int) -> str:
    """The markup of document ``n``'s section (a plain document's, or a bilingual file's: ``doc file``)."""
    start = re.search(rf'<section class="doc (?:file )?card-box" id="doc-{n}"', page_html).start()
    return page_html[start:page_html.index("</section>", start)]


def test_html_shows_band_route_scorecard_and_gate_reasons(sample_report, sample_html):
    """Per document: band, verdict and route in the header and the overview row, the MQM scorecard, and why the
    gate failed it; the failing live-commerce sample (poor, post-edit) and the clean mini-programme (excellent,
    publish) exactly."""
    names = [d.target.name for d in sample_report.documents]
    live, clean = names.index(str(LIVE)), names.index(str(CLEAN))
    section = doc_section(sample_html, live)
    assert ('<span class="band band-poor" title="quality band">poor</span> <span class="verdict fail">FAIL</span> '
            '<span class="route route-post-edit" title="route">post-edit</span>') in section
    for term, value in (("Score", "74.39 (calibrated)"), ("Raw score", "94.88"), ("Calibrated score", "74.39"),
                        ("APT", "30"), ("EWC", "585.67 source words (from 861 characters)"), ("PWPT", "0.0512"),
                        ("NPT", "51.22 per 1,000 words"), ("Threshold", "90 · fails on critical")):
        assert f"<div><dt>{term}</dt><dd>{value}</dd></div>" in section
    assert ('<div class="gate"><b>Failed:</b><ul><li>score 74.39 is below the passing threshold 90</li></ul></div>'
            in section)
    assert "<h3>Route " in section and "from the rules alone (no QE)" in section
    assert ("post-edit <b>7</b> segments · 115 words" in section
            and "publish <b>31</b> segments · 524 words" in section)
    section = doc_section(sample_html, clean)
    assert ('<span class="band band-excellent" title="quality band">excellent</span> '
            '<span class="verdict pass">PASS</span> '
            '<span class="route route-publish" title="route">publish</span>') in section
    assert '<div class="gate">' not in section and "<div><dt>Score</dt><dd>100.00 (calibrated)</dd></div>" in section
    overview = sample_html[sample_html.index('<section class="overview'):]
    overview = overview[:overview.index("</section>")]
    assert "<th>Band</th><th>Verdict</th><th>Route</th>" in overview
    for result in sample_report.documents:
        row = overview[overview.index(f">{result.target.name}</a>"):]
        row = row[:row.index("</tr>")]
        assert (f'band-{result.band}"' in row and f'verdict {result.verdict}"' in row
                and f'route route-{result.route}"' in row)


def test_html_run_summary_shows_bands_and_routes(sample_report, sample_html):
    """The page header counts documents per band and per route, and segments and words per route."""
    header = sample_html[sample_html.index('<header class="top">'):sample_html.index("</header>")]
    totals = summary(sample_report)
    assert totals["bands"] == {"excellent": 1, "good": 0, "acceptable": 0, "poor": 3}
    assert totals["routes"] == {"publish": 1, "light-review": 0, "post-edit": 3, "retranslate": 0}
    for band, n in totals["bands"].items():
        assert f'<span class="chip band-{band}"><b>{n}</b> {band}</span>' in header
    for route, n in totals["routes"].items():
        by_route = totals["segments_by_route"][route]
        assert f'<span class="chip route-{route}"><b>{n}</b> {route}</span>' in header
        assert f'{route} <b>{by_route["segments"]}</b> segments · {by_route["words"]} words' in header


def test_html_tints_every_routed_segment_by_route(sample_report, sample_html):
    """Each routed segment is one tint of its route's colour class, holding exactly its text (the translation's,
    or the source's for an untranslated sentence), listed in the segment table; issues carry their route."""
    page = parse(sample_html)
    data = json.loads(next(t for a, t in page.scripts if a.get("type") == "application/json"))
    seen = set()
    for n, result in enumerate(sample_report.documents):
        segments = result.routing.segments
        tints = {int(t["data-seg"]): t for t in page.tints[n]}
        assert len(tints) == len(page.tints[n])  # one tint per segment: pieces never split a segment's span
        for j, seg in enumerate(segments):
            span, doc, pane = ((seg.target, result.target, "target") if seg.target is not None
                               else (seg.source, result.source, "source"))
            if span.start == span.end:
                assert j not in tints
                continue
            tint = tints[j]
            assert tint["class"].split()[:2] == ["rs", f"route-{seg.route}"] and tint["data-route"] == seg.route
            assert (tint["pane"], tint["text"]) == (pane, doc.text[span.start:span.end])
            seen.add(seg.route)
        assert [(int(r["data-seg"]), r["data-route"]) for r in page.seg_rows[n]] == [
            (j, seg.route) for j, seg in enumerate(segments)]
        issues = data["documents"][n]["issues"]
        assert [i["route"] for i in issues] == [result.routing.route_at(i.span) for i in result.issues]
    assert seen == {"publish", "light-review", "post-edit"}
    assert any(t["pane"] == "source" and "omitted" in t["class"] for ts in page.tints.values() for t in ts)


def test_html_route_colours_are_distinct_and_each_has_a_filter(sample_html):
    """Every route has its own tint colour, a legend dot and a filter checkbox (counting its segments)."""
    tints = {}
    for route in ROUTES:
        match = re.search(rf"--{route}-bg:(#[0-9a-f]{{6}})", CSS)
        assert match, route
        tints[route] = match.group(1)
        assert f".rs.route-{route}{{background:var(--{route}-bg)}}" in CSS
        assert f".route-{route} .dot{{background:var(--{route})}}" in CSS
        assert re.search(rf'<label class="fl route-{route}"[^>]*><input type="checkbox" data-filter="route" '
                         rf'value="{route}" checked><span class="dot"></span>{route} <span class="n">\d+</span>',
                         sample_html)
    assert len(set(tints.values())) == len(ROUTES)


def test_cli_format_html_writes_file(tmp_path, capsys):
    """``tqcheck check --format html -o FILE`` writes the page, for a passing and for a failing document."""
    out = tmp_path / "report.html"
    status = main(["check", str(CLEAN), "--format", "html", "-o", str(out)])
    assert status == ExitStatus.PASSED and capsys.readouterr().out == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "mini-programme.de.txt" in page
    assert 'class="verdict pass"' in page and 'class="band band-excellent"' in page
    status = main(["check", str(WECHAT), "--format", "html", "-o", str(out)])
    assert status == ExitStatus.GATE_FAILED and capsys.readouterr().out == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "wechat-ecommerce.zh-de.mt.txt" in page
    assert 'class="verdict fail"' in page and 'class="band band-poor"' in page


# --- bilingual files: one section, one table of units -----------------------------------------------------------


@pytest.fixture(scope="module")
def cat_report() -> Report:
    return check_paths(CAT_FILES, Config(states=("all",)))


@pytest.fixture(scope="module")
def cat_html(cat_report) -> str:
    return render(cat_report, "html")


def unit_cells(row: dict) -> tuple[str, str, str]:
    """(unit id, file line, state) as a unit row shows them."""
    return row["cells"][0]["text"], row["cells"][1]["text"], row["cells"][2]["text"]


def expected_state(unit: DocumentResult) -> str:
    info = unit.target.unit_info
    return (info.state or "—") + (f" {info.match} %" if info.match is not None else "")


def assert_unit_rows_match(result: FileResult, rows: list[dict]) -> None:
    """One row per checked unit, in file order: id, line, state, both texts whole; each issue's marks are in its own
    unit's row, contiguous, covering exactly its span; each issue is listed once in its row."""
    assert len(rows) == len(result.units)
    base = 0
    for u, (unit, row) in enumerate(zip(result.units, rows, strict=True)):
        info = unit.target.unit_info
        assert (row["data-u"], row["data-state"], row["data-route"]) == (str(u), info.state or "", unit.route)
        assert unit_cells(row) == (unit.target.unit, str(info.line), expected_state(unit))
        assert row["cells"][3]["text"] == (unit.source.text if unit.source is not None else "")
        assert row["cells"][4]["text"] == unit.target.text  # the tiling neither loses nor repeats text
        assert row.get("data-issues", "").split() == [str(base + k) for k in range(len(unit.issues))]
        assert sorted(int(i["data-issue"]) for i in row["items"]) == list(range(base, base + len(unit.issues)))
        for mark in row["marks"]:
            assert mark["cell"] == 4
            assert mark["text"] == unit.target.text[int(mark["data-start"]):int(mark["data-end"])]
            assert {int(k) for k in mark["data-issues"].split()} <= set(range(base, base + len(unit.issues)))
        for k, issue in enumerate(unit.issues, start=base):
            own = [m for m in row["marks"] if str(k) in m["data-issues"].split()]
            assert own, f"issue {k} ({issue.code}) of unit {unit.target.unit} has no highlight"
            assert int(own[0]["data-start"]) == issue.span.start and int(own[-1]["data-end"]) == issue.span.end
            for left, right in pairwise(own):
                assert left["data-end"] == right["data-start"]
            assert all(issue.code in m["data-codes"].split() for m in own)
        base += len(unit.issues)


def test_html_bilingual_file_is_one_section_with_one_row_per_unit(cat_report, cat_html):
    """Each bilingual file is one section (not one per unit) holding one table: a row per checked unit with its id,
    file line, state and match, texts, issues and route; unit issues are highlighted in their own row."""
    assert [type(d) for d in cat_report.documents] == [FileResult] * 4
    assert cat_html.count('<section class="doc file card-box"') == 4
    assert '<section class="doc card-box"' not in cat_html and cat_html.count("<table class=\"units grid\">") == 4
    page = parse(cat_html)
    assert page.max_mark_depth == 1
    for n, result in enumerate(cat_report.documents):
        assert_unit_rows_match(result, page.unit_rows[n])
        assert page.docs[n] == [m for row in page.unit_rows[n] for m in
                                ({k: v for k, v in mark.items() if k != "cell"} for mark in row["marks"])]
    assert [unit_cells(r) for r in page.unit_rows[0]] == [
        ("s0", "12", "no-translate"), ("a1:1", "18", "translated 100 %"), ("a1:2", "18", "mt 0 %"),
        ("a2:3", "28", "locked 87 %")]
    assert [unit_cells(r) for r in page.unit_rows[3]] == [
        ("Open file", "8", "translated"), ("menu|Open file", "12", "fuzzy"), ("%d file[0]", "17", "translated"),
        ("%d file[1]", "17", "translated"), ("Untranslated", "22", "new")]
    # article.sdlxliff: unit a1:2 "Double Eleven" (the English name of 双十一) is the file's one issue, TQ203.
    row = page.unit_rows[0][2]
    assert [(m["data-codes"], m["data-issues"], m["text"], m["data-sev"]) for m in row["marks"]] == [
        ("TQ203", "0", "Double Eleven", "minor")]
    assert [(i["data-issue"], i["data-severity"]) for i in row["items"]] == [("0", "minor")]
    assert row["items"][0]["text"].startswith("minor TQ203 ") and row["cells"][6]["text"] == "light-review"
    assert all(not r["marks"] and not r["items"] for k, r in enumerate(page.unit_rows[0]) if k != 2)
    data = json.loads(next(t for a, t in page.scripts if a.get("type") == "application/json"))
    [issue] = data["documents"][0]["issues"]
    assert {k: issue[k] for k in ("unit", "u", "code", "start", "end", "text", "file_line", "route")} == {
        "unit": "a1:2", "u": 2, "code": "TQ203", "start": 0, "end": 13, "text": "Double Eleven", "file_line": 18,
        "route": "light-review"}
    # messages.po: the empty translation's critical issue is a zero-width mark in its row.
    untranslated = page.unit_rows[3][4]
    assert [(m["data-codes"], m["class"], m["text"]) for m in untranslated["marks"]] == [
        ("TQ712", "hl zero", "")]
    assert [i["data-issue"] for i in untranslated["items"]] == ["1"]
    assert [i["u"] for i in data["documents"][3]["issues"]] == [1, 4]


def test_html_inline_codes_are_tag_chips(cat_report, cat_html):
    """Inline-code markers show as chips apart from the prose, with what they stand for in the title; placeholders
    as placeholder chips."""
    page = parse(cat_html)
    sdl = page.unit_rows[0][1]
    assert [(t["cell"], t["text"], t["title"]) for t in sdl["tags"]] == [
        (3, "<1>", "g 1: <b>"), (3, "</1>", "g 1: </b>"), (3, "<2/>", "x 2: <br/>"),
        (4, "<1>", "g 1: <b>"), (4, "</1>", "g 1: </b>"), (4, "<2/>", "x 2: <br/>")]
    assert {t["class"] for t in sdl["tags"]} == {"tag"}
    xlf = page.unit_rows[1][0]
    assert [(t["text"], t["title"]) for t in xlf["tags"] if t["cell"] == 4] == [
        ("<1>", "g 1"), ("</1>", "g 1"), ("<2/>", "x 2")]
    po = page.unit_rows[3][2]
    assert [(t["cell"], t["text"], t["class"], t["title"]) for t in po["tags"]] == [
        (3, "%d", "tag var", "placeholder"), (4, "%d", "tag var", "placeholder")]
    [unit] = cat_report.documents[2].units  # every XLIFF 1.2 inline element, each a chip
    row = page.unit_rows[2][0]
    for cell, doc in ((3, unit.source), (4, unit.target)):
        assert [t["text"] for t in row["tags"] if t["cell"] == cell] == [
            doc.text[c.span.start:c.span.end] for c in doc.codes]
    assert [t["title"] for t in row["tags"] if t["cell"] == 4][:4] == ["g 1", "g 1", "x 2", "bx r1"]


def test_html_unit_filters_offer_the_states_present(cat_report, cat_html):
    """Each unit table has its filters: hide clean units (on by default, with the count it hides), one box per state
    present (in the state vocabulary's order), and a minimum severity."""
    expected = [
        ["mt", "translated", "locked", "no-translate"], ["mt", "translated", "approved"], [""],
        ["new", "translated", "fuzzy"]]
    for n, (result, states) in enumerate(zip(cat_report.documents, expected, strict=True)):
        section = doc_section(cat_html, n)
        assert re.findall(r'data-ufilter="state" value="([^"]*)" checked', section) == states
        assert section.count('<input type="checkbox" data-ufilter="clean" checked>hide clean units</label>') == 1
        assert re.findall(r'<option value="([a-z]*)">', section) == ["", "info", "minor", "major", "critical"]
        clean = sum(not u.issues for u in result.units)
        noun = "unit" if clean == 1 else "units"
        assert f'<span class="ucl muted">{clean} clean {noun} hidden</span>' in section
        shown = f"{len(result.units) - clean} of {len(result.units)} units shown"
        assert f'<span class="ush muted" aria-live="polite">{shown}</span>' in section
    section = doc_section(cat_html, 3)
    assert ('<label class="fl"><input type="checkbox" data-ufilter="state" value="translated" checked>translated '
            '<span class="n">3</span></label>') in section
    assert 'value="" checked>no state <span class="n">1</span>' in doc_section(cat_html, 2)


def test_html_bilingual_file_summary_header_and_overview(cat_report, cat_html):
    """A file shows its summary line (units, checked, skipped by reason, words, issues by severity, score, band);
    the header and the overview count it as one document named by its path, with its format and units."""
    po = cat_report.documents[3]  # the obsolete entry is not read: counted as skipped, not checked
    assert (len(po.units), dict(po.skipped)) == (5, {"obsolete (not read)": 1})
    assert (f'<p class="fsum">{po.unit_count} units in file · 5 checked · 1 skipped (1 obsolete (not read)) · '
            '8 words · 2 issues (1 critical, 1 minor) · score 0.0 · band poor</p>') in doc_section(cat_html, 3)
    assert ('<p class="fsum">4 units in file · 4 checked · 0 skipped · 11 words · 1 issue (1 minor) · score 58.3 · '
            'band poor</p>') in doc_section(cat_html, 0)
    section = doc_section(cat_html, 0)
    assert ('<h2>tests/data/cat/article.sdlxliff <span class="unit">(sdlxliff, 4 units)</span></h2>'
            in section.replace(str(CAT.parent.parent.parent) + "/", ""))
    assert ('<span class="band band-poor" title="quality band">poor</span> <span class="verdict fail">FAIL</span> '
            '<span class="route route-post-edit" title="route">post-edit</span>') in section
    assert "<div><dt>Score</dt><dd>58.33 (calibrated)</dd></div>" in section and "<h3>Route " in section
    assert "short text (12 words)" in section and "Routed segments" not in section
    header = cat_html[cat_html.index('<header class="top">'):cat_html.index("</header>")]
    assert '<div class="k">Documents</div><div class="v">4</div>' in header
    assert '<div class="sub">4 bilingual files · 13 units checked</div>' in header
    overview = cat_html[cat_html.index('<section class="overview'):]
    overview = overview[:overview.index("</section>")]
    for n, result in enumerate(cat_report.documents):
        units = f"{result.unit_count} unit" + ("" if result.unit_count == 1 else "s")
        assert (f'<a href="#doc-{n}">{result.path} <span class="unit">({result.format}, {units})</span></a>'
                in overview)
    assert overview.count("<tr><td>") == 4


EVIL_XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="x" source-language="en" target-language="de" datatype="html"><body>
    <trans-unit id="&lt;img src=x onerror=&quot;window.__pwned=7&quot;&gt;">
      <source>Open &lt;script&gt;window.__pwned=8&lt;/script&gt; <ph id="1">&lt;img src=x onerror="window.__pwned=9"&gt;</ph> now.</source>
      <target state="translated">Jetzt &lt;script&gt;window.__pwned=8&lt;/script&gt; öffnen <ph id="1">&lt;img src=x onerror="window.__pwned=9"&gt;</ph> jetzt jetzt.</target>
    </trans-unit>
  </body></file>
</xliff>
"""  # noqa: E501


def evil_file_report(folder: Path) -> Report:
    path = folder / 'evil"<i>.xlf'
    path.write_text(EVIL_XLIFF, encoding="utf-8")
    return check_paths([path], Config(states=("all",)))


def test_html_escapes_bilingual_units(tmp_path):
    """Unit ids, texts, native codes and paths from a bilingual file appear escaped and show literally."""
    report = evil_file_report(tmp_path)
    page_html = render(report, "html")
    for raw in ("<img src=x", "<script>window", '"<i>.xlf', 'onerror="window'):
        assert raw not in page_html
    page = parse(page_html)
    assert not [(tag, k) for tag, k, _ in page.attrs_seen if k.startswith("on") or k == "src"]
    [row] = page.unit_rows[0]
    [unit] = report.documents[0].units
    assert unit_cells(row) == ('<img src=x onerror="window.__pwned=7">', "4", "translated")
    assert (row["cells"][3]["text"], row["cells"][4]["text"]) == (unit.source.text, unit.target.text)
    assert [t["title"] for t in row["tags"]] == ['ph 1: <img src=x onerror="window.__pwned=9">'] * 2
    assert [(m["data-codes"], m["text"]) for m in row["marks"]] == [("TQ601", "jetzt jetzt")]


BIG_UNITS = 2000
BIG_SENTENCES = (
    ('Click <g id="1">here</g> to continue.', 'Klicken Sie <g id="1">hier</g>, um fortzufahren.'),
    ("The order has been shipped.", "Die Bestellung wurde versandt."),
    ("Your cart contains %s items.", "Ihr Warenkorb enthält %s Artikel."),
    ("Thank you for your purchase.", "Vielen Dank für Ihren Einkauf."),
)
DOUBLED = range(7, BIG_UNITS, 100)  # "wurde wurde": a doubled word
NO_PLACEHOLDER = range(42, BIG_UNITS, 100)  # the source's %s is missing from the translation


def big_xliff(path: Path) -> Path:
    """An XLIFF 1.2 file of 2,000 en→de trans-units, one per line from line 4; every third is a draft (MT to be
    reviewed), the others translated; 40 have a problem."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">',
             '<file original="shop.html" source-language="en" target-language="de" datatype="html"><body>']
    for k in range(BIG_UNITS):
        source, target = BIG_SENTENCES[k % len(BIG_SENTENCES)]
        if k in DOUBLED:
            source, target = BIG_SENTENCES[1][0], "Die Bestellung wurde wurde versandt."
        elif k in NO_PLACEHOLDER:
            source, target = BIG_SENTENCES[2][0], "Ihr Warenkorb enthält Artikel."
        state = "needs-review-translation" if k % 3 == 0 else "translated"
        lines.append(f'<trans-unit id="u{k}"><source>{source}</source><target state="{state}">{target}</target>'
                     "</trans-unit>")
    lines.append("</body></file></xliff>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> tuple[Report, str]:
    report = check_paths([big_xliff(tmp_path_factory.mktemp("big") / "shop.de.xlf")], Config(states=("all",)))
    return report, render(report, "html")


def test_html_2000_unit_file_stays_compact(big_file):
    """A 2,000-unit XLIFF is one section with 2,000 rows; the page stays under 1 KB per unit and the script's data
    grows with the issues, not the units; each problem is highlighted in its unit's row."""
    report, page_html = big_file
    [result] = report.documents
    assert (result.unit_count, len(result.units)) == (BIG_UNITS, BIG_UNITS)
    assert page_html.count('<tr class="urow"') == BIG_UNITS and page_html.count("<section class=\"doc") == 1
    size = len(page_html.encode("utf-8"))
    assert size / BIG_UNITS < 1024, f"{size} bytes for {BIG_UNITS} units"
    page = parse(page_html)
    [block] = [t for a, t in page.scripts if a.get("type") == "application/json"]
    assert len(block.encode("utf-8")) < 2048 * len(result.issues)
    rows = page.unit_rows[0]
    assert_unit_rows_match(result, rows)
    assert [unit_cells(r) for r in rows[:4]] == [
        ("u0", "4", "draft"), ("u1", "5", "translated"), ("u2", "6", "translated"), ("u3", "7", "draft")]
    with_issues = {int(r["cells"][0]["text"][1:]) for r in rows if r["marks"]}
    assert with_issues == set(DOUBLED) | set(NO_PLACEHOLDER)
    for k in DOUBLED:
        assert [m["text"] for m in rows[k]["marks"] if "TQ601" in m["data-codes"].split()] == ["wurde wurde"]
    for k in NO_PLACEHOLDER:
        assert any(i["text"].startswith("major TQ806 ") for i in rows[k]["items"])
    assert f'<span class="ucl muted">{BIG_UNITS - 40:,} clean units hidden</span>' in page_html
    assert f"40 of {BIG_UNITS:,} units shown" in page_html
    assert re.findall(r'data-ufilter="state" value="([^"]*)" checked>[a-z]+ <span class="n">([\d,]+)</span>',
                      page_html) == [("draft", "667"), ("translated", "1,333")]


# --- in a real browser ---------------------------------------------------------------------------------------


@pytest.fixture
def open_report(browser, tmp_path):
    """Open a report from a file: URL; record every request, dialog and page error, and assert none happened."""
    pages, requests, dialogs, errors = [], [], [], []

    def load(report: Report, name: str = "report.html"):
        path = tmp_path / name
        path.write_text(render(report, "html"), encoding="utf-8")
        url = path.as_uri()
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.on("request", lambda request: requests.append(request.url))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
        page.goto(url)
        pages.append((page, url))
        return page

    yield load
    for page, url in pages:
        page.close()
        assert [r for r in requests if r != url] == [], "the report made a network request"
    assert dialogs == [] and errors == []


def browser_issue_texts(page) -> list[tuple[str, str, str]]:
    """(expected span text, highlighted text, first mark's background) for every issue, computed in the page."""
    return page.evaluate("""() => {
        const data = JSON.parse(document.getElementById("tq-data").textContent);
        const out = [];
        document.querySelectorAll("section.doc").forEach(sec => {
            data.documents[+sec.dataset.doc].issues.forEach((issue, k) => {
                const marks = [...sec.querySelectorAll(`mark.hl[data-issues~="${k}"]`)];
                out.push([issue.text.replace(/\\r\\n?/g, "\\n"), marks.map(m => m.textContent).join(""),
                          marks.length ? getComputedStyle(marks[0]).backgroundColor : "none"]);
            });
        });
        return out;
    }""")


@pytest.mark.browser
def test_browser_every_issue_highlighted(open_report, sample_report, tmp_path):
    """In Chromium each issue's highlight shows exactly its text, coloured; a screenshot of the page is written."""
    page = open_report(sample_report)
    rows = browser_issue_texts(page)
    assert len(rows) == sum(len(d.issues) for d in sample_report.documents)
    for expected, shown, background in rows:
        assert shown == expected
        assert background not in {"none", "rgba(0, 0, 0, 0)"}
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


@pytest.mark.browser
def test_browser_click_shows_issue_and_source(open_report, sample_report):
    """Clicking a highlight opens its details; selecting an issue with a source span lights that source text."""
    page = open_report(sample_report)
    n, result = next((n, d) for n, d in enumerate(sample_report.documents) if d.source is not None and d.issues)
    section = page.locator(f"#doc-{n}")
    k, issue = next((k, i) for k, i in enumerate(result.issues) if i.source_span is not None)
    mark = section.locator(f'mark.hl[data-issues~="{k}"]').first
    mark.click()
    popover = page.locator("#tq-pop")
    assert popover.is_visible()
    details = popover.inner_text()
    for part in (issue.code, issue.rule, issue.category.value, issue.severity.value.upper(), issue.message):
        assert part in details
    assert section.locator(".text.source .sc.hit").all_inner_texts() and "".join(
        section.locator(".text.source .sc.hit").all_inner_texts()) == result.source.text[
        issue.source_span.start:issue.source_span.end]
    assert section.locator(".text.source .sc.align").count() > 0
    page.keyboard.press("Escape")
    assert popover.is_hidden()
    section.locator(f'tr.issue[data-issue="{k}"]').click()  # the list selects the same issue
    assert popover.is_visible() and issue.message in popover.inner_text()
    assert section.locator(f'tr.issue.sel[data-issue="{k}"]').count() == 1


@pytest.mark.browser
def test_browser_severity_filter_hides_highlights(open_report, sample_report):
    """Unticking "major" removes the highlight from pieces covered only by major issues and hides their rows."""
    page = open_report(sample_report)
    marks = page.locator("mark.hl")
    only_major = page.evaluate("""() => {
        const data = JSON.parse(document.getElementById("tq-data").textContent);
        return [...document.querySelectorAll("mark.hl")].map(m => {
            const issues = data.documents[+m.closest("section.doc").dataset.doc].issues;
            return m.dataset.issues.split(" ").every(i => issues[+i].severity === "major");
        });
    }""")
    assert any(only_major) and not all(only_major)
    page.locator('input[data-filter="severity"][value="major"]').uncheck()
    backgrounds = marks.evaluate_all("ms => ms.map(m => getComputedStyle(m).backgroundColor)")
    for is_major, background in zip(only_major, backgrounds, strict=True):
        assert (background == "rgba(0, 0, 0, 0)") == is_major
    assert page.locator('tr.issue[data-severity="major"]').first.is_hidden()
    assert page.locator('tr.issue[data-severity="minor"]').first.is_visible()
    majors = sum(1 for d in sample_report.documents for i in d.issues if i.severity is Severity.MAJOR)
    total = sum(len(d.issues) for d in sample_report.documents)
    assert page.locator("#tq-shown").inner_text() == f"{total - majors} of {total} issues shown"
    page.locator('input[data-filter="severity"][value="major"]').check()
    backgrounds = marks.evaluate_all("ms => ms.map(m => getComputedStyle(m).backgroundColor)")
    assert "rgba(0, 0, 0, 0)" not in backgrounds


@pytest.mark.browser
def test_browser_category_filter_hides_rows(open_report, sample_report):
    """Unticking a category hides its rows and highlights."""
    page = open_report(sample_report)
    category = sample_report.documents[0].issues[0].category.value
    page.locator(f'input[data-filter="category"][value="{category}"]').uncheck()
    hidden = page.locator(f'tr.issue[data-category="{category}"]')
    assert hidden.count() > 0
    assert all(not hidden.nth(i).is_visible() for i in range(hidden.count()))


@pytest.mark.browser
def test_browser_route_filter_hides_tints_rows_and_issues(open_report, sample_report):
    """Unticking "post-edit" untints its segments, hides its segment rows and the issues in them; ticking it back
    restores them. Each route's tint has its own colour."""
    page = open_report(sample_report)
    colours = page.evaluate("""() => {
        const out = {};
        document.querySelectorAll(".text .rs").forEach(s => {
            out[s.dataset.route] = getComputedStyle(s).backgroundColor;
        });
        return out;
    }""")
    assert set(colours) == {"publish", "light-review", "post-edit"}
    assert len(set(colours.values())) == 3 and "rgba(0, 0, 0, 0)" not in colours.values()
    routes = [d.routing.route_at(i.span) for d in sample_report.documents for i in d.issues]
    in_post_edit = routes.count("post-edit")
    assert 0 < in_post_edit < len(routes)
    page.locator('input[data-filter="route"][value="post-edit"]').uncheck()
    backgrounds = page.evaluate("""() => [...document.querySelectorAll(".text .rs")].map(
        s => [s.dataset.route, getComputedStyle(s).backgroundColor])""")
    for route, background in backgrounds:
        assert (background == "rgba(0, 0, 0, 0)") == (route == "post-edit")
    assert page.evaluate("""() => [...document.querySelectorAll("tr.seg")].every(
        r => r.hidden === (r.dataset.route === "post-edit"))""")
    total = len(routes)
    assert page.locator("#tq-shown").inner_text() == f"{total - in_post_edit} of {total} issues shown"
    page.locator('input[data-filter="route"][value="post-edit"]').check()
    assert page.locator("#tq-shown").inner_text() == f"{total} of {total} issues shown"
    assert page.evaluate("""() => [...document.querySelectorAll(".rs")].every(s => !s.classList.contains("off"))""")


@pytest.mark.browser
def test_browser_injected_markup_stays_inert(open_report):
    """Script and attribute injection in text, messages, names, unit ids and paths run nothing and show literally."""
    report = evil_report()
    page = open_report(report)
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img, svg, iframe").count() == 0
    target = page.locator(".text.target")
    assert SCRIPT_PAYLOAD in target.inner_text() and IMG_PAYLOAD in target.inner_text()
    assert page.evaluate("() => document.querySelector('.text.target').textContent") == EVIL_TEXT.replace("\r", "")
    rows = browser_issue_texts(page)
    assert [shown for _, shown, _ in rows] == [expected for expected, _, _ in rows]
    page.locator('tr.issue[data-code="TQ101"] .code').click()
    details = page.locator("#tq-pop").inner_text()
    assert f"Bad {SCRIPT_PAYLOAD}</script><!--" in details and '"><svg onload="window.__pwned=3">' in details
    page.locator('tr.issue[data-code="TQ201"] .code').click()
    assert 'x"><img src=x onerror="window.__pwned=4">' in page.locator("#tq-pop").inner_text()
    assert "window.__pwned=5" in page.locator("section.doc h2").inner_text()
    assert "<script>window.__pwned=6</script>.de.txt" in page.locator("section.errors").inner_text()
    assert page.evaluate("() => window.__pwned") is None


VISIBLE_UNITS = """() => [...document.querySelectorAll("tr.urow")].filter(r => !r.hidden).map(
    r => r.cells[0].textContent)"""


@pytest.mark.browser
def test_browser_unit_table_filters_a_2000_unit_file(open_report, big_file):
    """In Chromium the 2,000-unit table opens with clean units hidden; the clean, state and minimum-severity
    filters and the page's severity filter hide and show rows, and the counts follow; a unit's issue opens its
    details (unit and file line) and lights its aligned source in its own row."""
    report, _ = big_file
    [result] = report.documents
    page = open_report(report)
    ids = [u.target.unit for u in result.units]
    problems = [f"u{k}" for k in sorted({*DOUBLED, *NO_PLACEHOLDER})]
    section = page.locator("#doc-0")
    clean_box = section.locator('input[data-ufilter="clean"]')
    minimum = section.locator('select[data-ufilter="minsev"]')

    def counts() -> tuple[str, str, str]:
        return (section.locator(".ucl").inner_text(), section.locator(".ush").inner_text(),
                page.locator("#tq-shown").inner_text())

    total = len(result.issues)
    assert page.evaluate(VISIBLE_UNITS) == problems
    assert counts() == ("1,960 clean units hidden", "40 of 2,000 units shown", f"{total} of {total} issues shown")
    clean_box.uncheck()
    assert page.evaluate(VISIBLE_UNITS) == ids
    assert counts()[:2] == ("0 clean units hidden", "2,000 of 2,000 units shown")
    clean_box.check()
    minimum.select_option("major")
    assert page.evaluate(VISIBLE_UNITS) == [f"u{k}" for k in NO_PLACEHOLDER]
    assert counts()[:2] == ("1,960 clean units hidden", "20 of 2,000 units shown")
    section.locator('input[data-ufilter="state"][value="draft"]').uncheck()
    assert page.evaluate(VISIBLE_UNITS) == [f"u{k}" for k in NO_PLACEHOLDER if k % 3]
    section.locator('input[data-ufilter="state"][value="draft"]').check()
    minimum.select_option("")
    assert page.evaluate(VISIBLE_UNITS) == problems
    # Unticking "major" in the page's filters leaves the units whose only issues are major without a shown issue:
    # they are clean now, and hidden with the other clean units.
    majors = sum(i.severity is Severity.MAJOR for i in result.issues)
    page.locator('input[data-filter="severity"][value="major"]').uncheck()
    assert page.evaluate(VISIBLE_UNITS) == [f"u{k}" for k in DOUBLED]
    assert counts() == ("1,980 clean units hidden", "20 of 2,000 units shown",
                        f"{total - majors} of {total} issues shown")
    page.locator('input[data-filter="severity"][value="major"]').check()
    assert page.evaluate(VISIBLE_UNITS) == problems
    row = section.locator('tr.urow[data-u="42"]')
    row.locator("li.ui", has_text="TQ806").click()
    details = page.locator("#tq-pop").inner_text()
    issue = next(i for i in result.units[42].issues if i.code == "TQ806")
    assert "unit u42 · file line 46" in details and issue.message in details
    assert "".join(row.locator("td.src .sc.align").all_inner_texts()) == result.units[42].source.text
    assert section.locator(".sc.align").count() == row.locator(".sc.align").count()
    assert row.locator("li.ui.sel").count() == 1 and row.locator("mark.hl.sel").count() > 0
    section.locator('input[data-ufilter="state"][value="draft"]').uncheck()  # u42 is a draft: its row hides
    assert page.locator("#tq-pop").is_hidden()


@pytest.mark.browser
def test_browser_bilingual_units_stay_inert(open_report, tmp_path):
    """Markup in a bilingual file's unit ids, texts and native codes runs nothing and shows literally."""
    report = evil_file_report(tmp_path)
    page = open_report(report)
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img, svg, iframe").count() == 0
    [unit] = report.documents[0].units
    assert page.locator("td.uid").inner_text() == unit.target.unit
    assert page.locator("td.tgt").evaluate("td => td.textContent") == unit.target.text
    assert page.locator("td.tgt .tag").get_attribute("title") == 'ph 1: <img src=x onerror="window.__pwned=9">'
    page.locator("td.tgt mark.hl").click()
    assert "Doubled word" in page.locator("#tq-pop").inner_text()
    assert page.evaluate("() => window.__pwned") is None
