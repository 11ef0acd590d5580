"""The HTML report's "Not an error" flow, end to end in headless Chromium: click a finding, give a reason, copy the
[[suppress]] entry, paste it into tqcheck.toml, and the next run counts exactly that finding as suppressed.

Needs Debian's ``chromium`` and the ``playwright`` package (driver only), as tests/test_html.py does.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.test_suppress import run_cli
from tqcheck import Config
from tqcheck.batch import build_report
from tqcheck.cli import ExitStatus
from tqcheck.pipeline import assemble_result
from tqcheck.reports import render
from tqcheck.suppress import filter_issues, parse_suppressions, path_glob
from tqcheck.types import Category, Document, Issue, Severity, Span

ARTICLE = "live-commerce.zh-de.mt.txt"


@pytest.fixture
def open_page(browser):
    """Open an HTML file with clipboard access; assert it made no request, opened no dialog and threw nothing."""
    opened, requests, errors = [], [], []

    def load(path: Path):
        url = path.as_uri()
        context = browser.new_context(viewport={"width": 1440, "height": 1000},
                                      permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: (errors.append(dialog.message), dialog.dismiss()))
        page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
        page.goto(url)
        opened.append((context, url))
        return page

    yield load
    for context, url in opened:
        context.close()
        assert [r for r in requests if r != url] == [], "the report made a network request"
    assert errors == []


def issue_index(page, code: str) -> int:
    return page.evaluate("""code => JSON.parse(document.getElementById("tq-data").textContent)
        .documents[0].issues.findIndex(i => i.code === code)""", code)


def mark_false_positive(page, k: int, reason: str):
    """Click issue k's highlight, then "Not an error…", and type the reason; return the popover's entry box."""
    page.locator(f'#doc-0 mark.hl[data-issues~="{k}"]').first.click()
    item = page.locator(f'#tq-pop .pi[data-issue="{k}"]')
    item.locator("button.fpb").click()
    item.locator("input.fpr").fill(reason)
    return item


def clipboard(page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


@pytest.mark.browser
def test_browser_marked_false_positives_pasted_into_tqcheck_toml_are_suppressed(open_page, project, capsys,
                                                                                monkeypatch):
    monkeypatch.chdir(project)
    status, _, err = run_cli(capsys, "check", "articles", "--format", "html", "-o", "report.html")
    assert status == ExitStatus.GATE_FAILED, err
    page = open_page(project / "report.html")
    assert page.locator("#tq-fp").is_hidden()

    number = issue_index(page, "TQ701")
    reason = 'source says "2.17亿" \\ checked with the client'
    item = mark_false_positive(page, number, "")
    assert item.locator("button.fpc").is_disabled() and "A reason is required." in item.inner_text()
    item.locator("input.fpr").fill(reason)
    entry = item.locator("pre.fpt").inner_text()
    assert entry == ('[[suppress]]\nrule = "TQ701"\ntext = "271 Millionen"\n'
                     'path = "articles/live-commerce.zh-de.mt.txt"\n'
                     'reason = "source says \\"2.17亿\\" \\\\ checked with the client"\n')
    item.locator("button.fpc").click()
    page.wait_for_function("() => document.querySelector('#tq-pop .fpst').textContent === 'Copied'")
    assert clipboard(page) == entry
    assert tomllib.loads(entry)["suppress"][0]["reason"] == reason
    item.locator("button.fpa").click()
    assert item.locator("button.fpb").inner_text() == "Marked: not an error ✓"

    idiom = issue_index(page, "TQ708")
    page.keyboard.press("Escape")
    item = mark_false_positive(page, idiom, "an accepted idiom in this magazine")
    item.locator("button.fpa").click()
    box = page.locator("#tq-fp")
    assert box.is_visible() and box.locator(".fpn").inner_text() == "2"
    item.locator("button.fpx").click()  # taken back, and marked again
    assert box.locator(".fpn").inner_text() == "1" and item.locator("button.fpb").inner_text() == "Not an error…"
    item.locator("button.fpa").click()
    assert box.locator(".fpn").inner_text() == "2"
    box.locator("button.fpcopy").click()
    page.wait_for_function("() => document.querySelector('#tq-fp .fpst').textContent === 'Copied'")
    toml = clipboard(page)
    assert toml == entry + "\n" + item.locator("pre.fpt").inner_text()

    (project / "tqcheck.toml").write_text(toml, encoding="utf-8")
    _, out, _ = run_cli(capsys, "check", "articles", "--format", "json")
    report = json.loads(out)
    doc = report["documents"][0]
    assert [(s["code"], s["text"], s["reason"], s["entry"]) for s in doc["suppressed"]] == [
        ("TQ701", "271 Millionen", reason, 1),
        ("TQ708", "malt man der Schlange Beine", "an accepted idiom in this magazine", 2)]
    assert [i["code"] for i in doc["issues"]] == ["TQ201", "TQ702", "TQ707", "TQ703"]
    assert report["summary"]["suppressed"] == 2

    run_cli(capsys, "check", "articles", "--format", "html", "-o", "report.html")
    page = open_page(project / "report.html")
    assert "2 findings suppressed by [[suppress]] entries" in page.locator("#doc-0 .held").inner_text()


@pytest.mark.browser
def test_browser_entry_escapes_quotes_backslashes_and_control_characters(open_page, tmp_path):
    """A span with quotes, a backslash, a tab, a control character and a line break gives TOML that parses back to
    exactly that text, and the entry matches that finding."""
    text = 'Er sagte "C:\\temp"\tund\x01 hier\nzweite Zeile.'
    start, end = text.index('"C:'), text.index(" Zeile")
    doc = Document(text, "de", tmp_path / "odd [1].de.txt")
    issue = Issue("TQ101", "literal-calque", Category.UNIDIOMATIC, Severity.MAJOR, Span(start, end), "m")
    result = assemble_result(Config(), doc, [issue])
    page_path = tmp_path / "odd.html"
    page_path.write_text(render(build_report([result], Config()), "html"), encoding="utf-8")
    page = open_page(page_path)
    entry = mark_false_positive(page, 0, "tab\tless reason").locator("pre.fpt").inner_text()
    assert 'text = "\\"C:\\\\temp\\"\\tund\\u0001 hier\\nzweite"' in entry
    parsed = tomllib.loads(entry)["suppress"]
    assert parsed[0]["text"] == text[start:end]
    assert parsed[0]["path"] == path_glob(doc.path, None) == "odd ?1?.de.txt"
    config = Config(suppress=parse_suppressions(parsed, "tqcheck.toml", None))
    kept, suppressed = filter_issues(config, doc, [issue])
    assert kept == [] and [s.issue for s in suppressed] == [issue]


@pytest.mark.browser
def test_browser_copy_falls_back_to_selecting_the_entry(open_page, project, capsys, monkeypatch):
    """Where the clipboard API refuses, the entry's text is selected for Ctrl+C."""
    monkeypatch.chdir(project)
    run_cli(capsys, "check", "articles", "--format", "html", "-o", "report.html")
    page = open_page(project / "report.html")
    page.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(new Error('denied')); }")
    item = mark_false_positive(page, issue_index(page, "TQ201"), "kept in Chinese on purpose")
    item.locator("button.fpc").click()
    page.wait_for_function("() => document.querySelector('#tq-pop .fpst').textContent !== ''")
    selected = page.evaluate("window.getSelection().toString()")
    assert selected == item.locator("pre.fpt").inner_text().rstrip("\n")  # a selection drops the last line break
    assert tomllib.loads(selected)["suppress"][0]["reason"] == "kept in Chinese on purpose"
    assert item.locator(".fpst").inner_text() in ("Copied", "Selected: press Ctrl+C to copy")
