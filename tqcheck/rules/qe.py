"""TQ9xx: what a reference-free QE model (CometKiwi, xCOMET) says about the translation.

These rules only read ``ctx.qe``, the results the pipeline got from the QE backend; they import no model and
report nothing when QE did not run. Their issues come from a model, not from a rule: the pipeline marks them
``origin="qe"`` (this family's :data:`ORIGIN`).

Score bands (TQ901): each model family has a pass mark and two lower limits (``tqcheck.qe.FAMILY_BANDS``):

=========  =========  ==========  ==========
family     minor <    major <     critical <
=========  =========  ==========  ==========
cometkiwi  0.65       0.50        0.35
xcomet     0.70       0.55        0.40
comet-qe   0.00       -0.15       -0.35
unknown    0.50       0.35        0.20
=========  =========  ==========  ==========

A configured threshold (``--qe-threshold``) moves all three limits by the same amount.
"""

from __future__ import annotations

from collections.abc import Iterator

from tqcheck import regexcache
from tqcheck.qe import ScoreBands, bands_for
from tqcheck.rules.base import CheckContext, Finding, rule
from tqcheck.types import Category, ScoredPair, Severity
from tqcheck.wording import quote

ORIGIN = "qe"  # the pipeline sets Issue.origin from this for every rule of this family
_FINGERPRINT = regexcache.compile(r"@[0-9a-f]{8,64}$")


def _bands(ctx: CheckContext, pair: ScoredPair) -> ScoreBands:
    # The pipeline may attach the configured threshold to the context; without it, the family default applies.
    threshold = getattr(ctx, "qe_threshold", None)
    return bands_for(pair.model, threshold if isinstance(threshold, int | float) else None)


def _model_name(model: str) -> str:
    """A short model name for messages: the hub name, or the checkpoint's model folder."""
    bare = _FINGERPRINT.sub("", model)
    parts = bare.replace("\\", "/").split("/")
    if parts[-1].endswith(".ckpt") and len(parts) >= 3:
        return parts[-3]
    return bare


@rule("TQ901", "low-qe-score", Category.QE, Severity.MAJOR, needs_source=True)
def low_qe_score(ctx: CheckContext) -> Iterator[Finding]:
    """A sentence the QE model scores below its family's threshold: it likely mistranslates, omits or garbles.

    Why: a reference-free QE model (CometKiwi, xCOMET) judges meaning against the source, which rule packs
    cannot; a low score points an editor at the sentence to re-translate even when no rule names the problem.
    Bad: 我们要抓住流量红利。 => Wir müssen den Verkehrsbonus ergreifen.
    Good: 我们要抓住流量红利。 => Wir müssen die Gunst der Reichweite nutzen, solange sie günstig ist.
    Options: --qe-model, --qe-threshold (default per model family: cometkiwi 0.65, xcomet 0.70)
    """
    text_len = len(ctx.text)
    for pair in ctx.qe:
        span = pair.target
        if not 0 <= span.start < span.end <= text_len:
            continue
        bands = _bands(ctx, pair)
        severity = bands.severity(pair.result.score)
        if severity is None:
            continue
        message = (f"QE score {pair.result.score:.2f} from {_model_name(pair.model)} is below the threshold "
                   f"{bands.threshold:.2f}: the sentence likely mistranslates, omits or garbles the source.")
        if pair.result.truncated:
            message += " (The pair was longer than the model's window; only its beginning was scored.)"
        yield Finding(span.start, span.end, message,
                      suggestion="Compare the sentence with its source and re-translate what is wrong.",
                      severity=severity, source_span=pair.source)


@rule("TQ902", "qe-error-span", Category.QE, Severity.MINOR, needs_source=True)
def qe_error_span(ctx: CheckContext) -> Iterator[Finding]:
    """Words an xCOMET model marks as an error, with the model's severity and confidence.

    Why: xCOMET points at the exact words it judges wrong (minor, major or critical), so an editor sees where to
    look inside a sentence, not only that it scored low.
    Bad: 有时候下雨。 => Manchmal regnet es Katzen und Hunde.
    Good: 有时候下雨。 => Manchmal regnet es.
    Options: --qe-model (an xCOMET model: Unbabel/XCOMET-XL or -XXL; CometKiwi gives no spans)
    """
    text_len = len(ctx.text)
    for pair in ctx.qe:
        base = pair.target
        for span in pair.result.spans:
            start, end = base.start + span.start, base.start + span.end
            # Spans are relative to the scored segment; one that does not fit it (a stale cache row) is dropped.
            if not (0 <= span.start < span.end and end <= base.end and end <= text_len):
                continue
            words = ctx.text[start:end]
            yield Finding(start, end,
                          f"{_model_name(pair.model)} marks {quote(words)} as a {span.severity.value} error "
                          f"(confidence {span.confidence:.2f}).",
                          suggestion="Check these words against the source.",
                          severity=span.severity, confidence=span.confidence, source_span=pair.source)


RULES = (low_qe_score, qe_error_span)
