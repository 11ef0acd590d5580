"""A sacrebleu-style signature: everything that makes two reports comparable, in one string."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from tqcheck import __version__
from tqcheck.align import aligner_signature
from tqcheck.rules.base import Rule
from tqcheck.segment import SEGMENTER_ID


def rules_fingerprint(rules: Iterable[Rule], severity_overrides: dict[str, str] | None = None) -> str:
    """``<count>@<hash>`` of the rule codes, names and effective severities."""
    rules = list(rules)
    overrides = severity_overrides or {}
    digest = hashlib.sha256()
    for r in rules:
        digest.update(f"{r.code}:{r.name}:{overrides.get(r.code, r.info.severity.value)};".encode())
    return f"{len(rules)}@{digest.hexdigest()[:6]}"


def make_signature(
    rules: Iterable[Rule],
    *,
    severity_overrides: dict[str, str] | None = None,
    packs: Iterable[tuple[str, str]] = (),
    lang_pairs: Iterable[str] = (),
    qe: str = "none",
    qe_license: str | None = None,
) -> str:
    """``tqcheck:…|rules:…|packs:…|seg:…|align:…|langs:…|qe:…``, plus ``|qe-license:<SPDX id>`` when QE ran: two
    reports are comparable when their signatures are equal, and the licence is part of what a report used."""
    pack_part = ",".join(f"{name}@{digest}" for name, digest in sorted(set(packs))) or "none"
    pair_part = ",".join(sorted(set(lang_pairs))) or "unknown"
    return "|".join((
        f"tqcheck:{__version__}",
        f"rules:{rules_fingerprint(rules, severity_overrides)}",
        f"packs:{pack_part}",
        f"seg:{SEGMENTER_ID}",
        f"align:{aligner_signature()}",
        f"langs:{pair_part}",
        f"qe:{qe}",
        *([f"qe-license:{qe_license}"] if qe_license is not None else []),
    ))
