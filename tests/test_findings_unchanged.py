"""What the checks find on a fixed corpus, compared with a stored expectation: a change made for speed (or any
refactoring) must not change a single finding.

The corpus is the samples (with their sources) and the bilingual and CAT-tool fixtures. When a change of what is
found is intended (a rule or a pack changed), rewrite the expectation and review its diff:

    TQCHECK_WRITE_EXPECTED=1 python -m pytest tests/test_findings_unchanged.py
"""

from __future__ import annotations

import hashlib
import json
import os

from tests.conftest import ROOT, SAMPLES
from tqcheck import Config, check, check_paths

EXPECTED = ROOT / "tests" / "data" / "expected_findings.json"


def _corpus_findings() -> dict[str, list[list[object]]]:
    paths = [SAMPLES, ROOT / "tests" / "data" / "bilingual", ROOT / "tests" / "data" / "cat"]
    report = check_paths(paths, Config(states=("all",)))
    found: dict[str, list[list[object]]] = {}
    for unit in report.units:
        key = os.path.relpath(unit.target.path, ROOT) + (f"#{unit.target.unit}" if unit.target.unit else "")
        found[key] = [[i.code, i.span.start, i.span.end, i.severity.value,
                       hashlib.sha256(f"{i.message}\n{i.suggestion}\n{i.replacements}".encode(
                           "utf-8", "surrogatepass")).hexdigest()[:12]] for i in unit.issues]
    return dict(sorted(found.items()))


def test_the_corpus_findings_are_the_stored_ones():
    found = _corpus_findings()
    if os.environ.get("TQCHECK_WRITE_EXPECTED"):
        EXPECTED.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    changed = sorted(k for k in set(found) | set(expected) if found.get(k) != expected.get(k))
    assert not changed, (f"findings changed in {len(changed)} texts, e.g. {changed[:5]}; if intended, rewrite "
                         "the expectation (see this module's docstring) and review its diff")
    assert sum(len(v) for v in found.values()) > 100  # the corpus exercises many rules


def test_a_full_token_table_is_replaced_with_the_same_findings(monkeypatch) -> None:
    """TQ203's table of token facts, once full, is replaced by an empty one (never emptied under a reader): the
    texts checked after it find what they found with room to spare."""
    from tqcheck.rules import english_left

    config = Config(tgt_lang="de")
    texts = ["Allerdings zeigen die diesjährige Double Eleven sowie die Daten, dass the meeting was good heute.",
             "Das Team hat das Meeting verschoben, because the weather was bad and nobody came to the office."]
    roomy = [[(i.code, i.span.start, i.span.end) for i in check(t, config=config).issues] for t in texts]
    monkeypatch.setattr(english_left, "_SPACE_TOKENS", 1)
    full = [[(i.code, i.span.start, i.span.end) for i in check(t, config=config).issues] for t in texts * 2]
    assert full == roomy * 2 and any(code == "TQ203" for found in roomy for code, _, _ in found)
