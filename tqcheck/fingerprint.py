"""Stable fingerprints of findings: what SARIF's ``partialFingerprints`` and the baseline (``tqcheck baseline``)
both use, so an alert a code-scanning tool dismissed and a finding a baseline accepted are the same finding.

A fingerprint hashes the rule code, the unit (bilingual files), the span's text and up to
:data:`FINGERPRINT_CONTEXT` code points either side on the span's own lines; never an offset or a line number, so
it survives edits above the finding (or anywhere outside its own few words of context). Findings whose hashes
tie (the same words flagged by the same rule in the same context) are told apart by their rank in text order,
``<hash>:<n>``: matching those as a set matches them as a multiset, so deleting one of three identical findings
leaves two "unchanged", not one "new".
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

from tqcheck.types import Document, Issue

FINGERPRINT_KEY = "tqcheckSpan/v1"
# Code points of context on each side of a span that go into its fingerprint (kept to the span's own lines).
FINGERPRINT_CONTEXT = 16


def fingerprint(doc: Document, issue: Issue) -> str:
    """sha256 of code, unit, span text and up to 16 code points either side on the span's own lines."""
    text, span = doc.text, issue.span
    first_line = doc.line_span(span.start)
    last_line = doc.line_span(span.end)
    before = text[max(first_line.start, span.start - FINGERPRINT_CONTEXT):span.start]
    after = text[span.end:min(max(last_line.end, span.end), span.end + FINGERPRINT_CONTEXT)]
    key = "\x1f".join((issue.code, doc.unit or "", before, text[span.start:span.end], after))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def numbered(doc: Document, issues: Iterable[Issue]) -> list[str]:
    """``<fingerprint>:<n>`` of each issue of ``doc``, ``n`` counting the issues with the same hash in the order
    given (every caller gives all the document's findings in text order, suppressed ones included)."""
    seen: Counter[str] = Counter()
    out = []
    for issue in issues:
        digest = fingerprint(doc, issue)
        seen[digest] += 1
        out.append(f"{digest}:{seen[digest]}")
    return out


__all__ = ["FINGERPRINT_CONTEXT", "FINGERPRINT_KEY", "fingerprint", "numbered"]
