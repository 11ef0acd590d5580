"""Shared helpers: documents built from text, issues found by one rule, the samples folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tqcheck import Config, check
from tqcheck.types import Document, DocumentResult, Issue

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def make_doc(text: str, lang: str = "de") -> Document:
    return Document(text=text, lang=lang)


GLOSSARY = ROOT / "tests" / "data" / "glossary.zh-de.csv"


def run(text: str, *, source: str | None = None, src: str | None = "zh", tgt: str = "de",
        select: tuple[str, ...] = (), **config) -> DocumentResult:
    """Check ``text`` (with its ``source`` text, if given) in ``src``→``tgt`` with only the ``select``-ed rules."""
    return check(Document(text=text), Document(text=source) if source is not None else None,
                 config=Config(src_lang=src, tgt_lang=tgt, select=select, **config))


def run_example(example: str, src: str, tgt: str, select: tuple[str, ...] = ()) -> DocumentResult:
    """Check a rule's docstring example: ``target`` or ``source => target``, with the test glossary."""
    source, _, target = (example + " ").rpartition(" => ") if example.endswith(" =>") else example.rpartition(" => ")
    return run(target, source=source or None, src=src, tgt=tgt, select=select, glossary=GLOSSARY)


def found(text: str, code: str, **kwargs) -> list[tuple[str, str]]:
    """(code, span text) of each issue of rule ``code`` in ``text``."""
    result = run(text, select=(code,), **kwargs)
    return [(i.code, text[i.span.start:i.span.end]) for i in result.issues]


def spans(result: DocumentResult, code: str) -> list[str]:
    return [result.target.text[i.span.start:i.span.end] for i in result.issues if i.code == code]


def by_code(issues: tuple[Issue, ...], code: str) -> list[Issue]:
    return [i for i in issues if i.code == code]


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(autouse=True)
def _every_json_report_is_schema_valid(monkeypatch):
    """Whatever a test renders as JSON or JSON Lines in this process is validated against the shipped schema."""
    import json

    from tqcheck.reports import json as json_report
    from tqcheck.reports import jsonl as jsonl_report
    from tqcheck.schema import validate_jsonl_line, validate_report

    original_report = json_report.report_to_dict

    def validated_report(report, **options):
        payload = original_report(report)
        validate_report(json.loads(json.dumps(payload)))
        return original_report(report, **options) if options else payload

    monkeypatch.setattr(json_report, "report_to_dict", validated_report)
    for name in ("document_line", "error_line", "summary_line"):
        original_line = getattr(jsonl_report, name)

        def validated_line(result, _original=original_line):
            line = _original(result)
            validate_jsonl_line(json.loads(line))
            return line

        monkeypatch.setattr(jsonl_report, name, validated_line)


# In CI the [qe] and [spell] extras, chromium, Ding's and the Hunspell dictionaries are installed, so a skipped QE,
# browser, Ding or spelling test means something is broken: fail the run.
_skipped_qe: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and any(kind in report.keywords for kind in ("qe", "browser", "ding", "spelling")):
        _skipped_qe.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    import os

    if _skipped_qe and os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        print(f"\nCI: {len(_skipped_qe)} QE/browser/Ding/spelling test(s) were skipped; CI must install the [qe] "
              "and [spell] extras, chromium, trans-de-en and the Hunspell dictionaries:")
        for nodeid in _skipped_qe:
            print(f"  {nodeid}")
        session.exitstatus = 1


# -- a real browser, for the HTML report (Debian's chromium through playwright) ------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (skipped where it is missing; CI fails on that skip, see above)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium): apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed: pip install playwright")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


LIVE_ARTICLE = "live-commerce.zh-de.mt.txt"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository with the live-commerce pair under articles/ (tqcheck.toml goes at its root)."""
    root = tmp_path / "proj"
    (root / ".git").mkdir(parents=True)
    (root / "articles").mkdir()
    for name in (LIVE_ARTICLE, "live-commerce.zh.txt"):
        shutil.copy(SAMPLES / name, root / "articles" / name)
    return root
