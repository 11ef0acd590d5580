"""The library entry points: read → segment → rules → score → result. Never prints."""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from tqcheck import langid, scoring
from tqcheck.align import align, link_spans
from tqcheck.align.lexicon import DING_ENV, ding
from tqcheck.config import Config
from tqcheck.display import path_text
from tqcheck.errors import InputError, TqcheckError
from tqcheck.glossary import load_glossary
from tqcheck.inline import MASK, document_codes, mask
from tqcheck.packs import load_packs
from tqcheck.qe import FAMILY_BANDS, FAMILY_ROUTE_THRESHOLDS, QEBackend, QEConfig, document_score, load_backend
from tqcheck.qe.models import license_of
from tqcheck.readers import langs_from_name, read_document
from tqcheck.routing import RoutePolicy, route_document
from tqcheck.rules import CheckContext, Finding, Rule, select_rules
from tqcheck.rules.confidence import rule_confidence
from tqcheck.rules.source import MISSING_TRANSLATION
from tqcheck.rules.spelling import spelling_notes
from tqcheck.segment import Paragraph, segment
from tqcheck.suppress import filter_issues
from tqcheck.types import (
    Alignment,
    Category,
    Document,
    DocumentResult,
    InlineCode,
    Issue,
    QESummary,
    ScoredPair,
    Segment,
    Severity,
    Span,
    SpanIndex,
)

if TYPE_CHECKING:

    from tqcheck.metrics import ReferenceMetrics

SCHEMA_VERSION = "1"
LANG_SAMPLE_CHARS = 4000  # characters of a text language detection reads


def resolve_langs(target: Document, source: Document | None,
                  config: Config) -> tuple[str | None, str | None, list[str]]:
    """Source and target language: from the options, the document, the file name, or detection (noted)."""
    notes: list[str] = []
    name_src, name_tgt = langs_from_name(target.path) if target.path else (None, None)
    tgt = config.tgt_lang or target.lang or name_tgt
    if tgt is None:
        guess = langid.detect(target.text[:LANG_SAMPLE_CHARS])
        if guess and guess.probability > langid.MIN_PROBABILITY:
            tgt = guess.lang
            notes.append(f"target language detected as {tgt!r} (p = {guess.probability:.2f}); "
                         "set --tgt-lang to be sure")
        else:
            notes.append("target language unknown: language-specific checks skipped; set --tgt-lang")
    src = config.src_lang or (source.lang if source else None) or name_src
    if src is None and source is not None:
        guess = langid.detect(source.text[:LANG_SAMPLE_CHARS])
        if guess and guess.probability > langid.MIN_PROBABILITY:
            src = guess.lang
    if src is None:
        notes.append("source language unknown: language-pair packs (calques, false friends, terms) not loaded; "
                     "set --src-lang")
    return src, tgt, notes


@dataclasses.dataclass(frozen=True, slots=True)
class _RulePlan:
    """What :func:`run_rules` needs of a rule for one configuration and language pair, worked out once."""

    rule: Rule
    check: Callable[[CheckContext], Iterable[Finding]]
    needs_source: bool
    needs_units: bool
    default: Severity
    configured: bool
    origin: str
    measured: float
    prose: bool


_PLANS: dict[tuple[object, ...], tuple[tuple[object, ...], tuple[_RulePlan, ...]]] = {}
_MAX_PLANS = 64


def _rule_plans(rules: Sequence[Rule], config: Config, src: str | None, tgt: str | None) -> tuple[_RulePlan, ...]:
    """The plans of ``rules``, cached per (rules, configuration, language pair): a sentence-level file checks
    thousands of units with the same ones, and working them out per unit was a quarter of a unit's budget. The
    key holds object identities; the entry keeps the objects, so none of those ids is reused while it lives."""
    key = (*map(id, rules), id(config), src, tgt)
    entry = _PLANS.get(key)
    if entry is not None:
        return entry[1]
    plans = tuple(_RulePlan(
        rule=r, check=r.check, needs_source=r.info.needs_source, needs_units=r.info.needs_units,
        default=config.severity_overrides.get(r.code, r.info.severity), configured=r.code in config.severity_overrides,
        origin="qe" if r.info.category is Category.QE else "rule", measured=rule_confidence(r.code, src, tgt),
        prose=r.info.category is not Category.MARKUP) for r in rules)
    if len(_PLANS) >= _MAX_PLANS:
        _PLANS.clear()
    _PLANS[key] = ((*rules, config), plans)
    return plans


def run_rules(ctx: CheckContext, rules: Sequence[Rule], config: Config) -> list[Issue]:
    """Run ``rules`` and turn their findings into issues with the configured severities.

    Inline codes are opaque to every rule but the markup rules (TQ8xx): a finding of another rule that cuts into
    a code, is only whitespace next to one, or is a word fragment a code splits off is dropped (see
    :func:`_hidden_by_code`).
    """
    text_len = len(ctx.text)
    blank = not ctx.text.strip()
    no_source, no_units = ctx.source is None, ctx.siblings is None
    issues: list[Issue] = []
    for plan in _rule_plans(rules, config, ctx.src_lang, ctx.tgt_lang):
        if (plan.needs_source and no_source) or (plan.needs_units and no_units):
            continue
        r = plan.rule
        for f in plan.check(ctx):
            # Only a blank target (TQ712: nothing was translated) has an issue of no width.
            if not (0 <= f.start < f.end <= text_len or (0 <= f.start <= f.end <= text_len and blank)):
                raise RuntimeError(f"rule {r.code} reported an invalid span [{f.start}, {f.end}) "
                                   f"in {ctx.target.name} ({text_len} characters)")
            if plan.prose and ctx.codes:
                if _hidden_by_code(f.start, f.end, ctx.codes, ctx.raw_text):
                    continue
                f = _unmasked(f, ctx)
            # A finding's own severity (a loop that took over the text: up; inside page furniture: down) refines
            # the rule's default; a severity the user configured for the rule caps it. A QE model gives its own
            # confidence per span; a rule's findings share the rule's measured precision.
            confidence = f.confidence if plan.origin == "qe" and f.confidence is not None else plan.measured
            issues.append(Issue(
                code=r.code, rule=r.name, category=r.info.category,
                severity=_finding_severity(f.severity, plan.default, plan.configured),
                span=Span(f.start, f.end), message=f.message, suggestion=f.suggestion,
                replacements=f.replacements, source_span=f.source_span, confidence=confidence, origin=plan.origin,
            ))
    return issues


def _finding_severity(own: Severity | None, default: Severity, configured: bool) -> Severity:
    if own is None:
        return default
    return min(own, default, key=lambda s: s.rank) if configured else own


def _hidden_by_code(start: int, end: int, codes: Sequence[InlineCode], text: str) -> bool:
    """Whether a prose finding ``[start, end)`` is about an inline code rather than the prose: it cuts into a
    code or lies inside one, it is only whitespace next to (or around) a code (the space a tag or a removed
    ``<ph/>`` leaves), or it is a word fragment a code splits off ("<1>E</1>-Commerce")."""
    for code in codes:
        cs, ce = code.span.start, code.span.end
        if cs > end:
            break
        if ce < start:
            continue
        if cs < ce and cs < end and start < ce and not (start <= cs and ce <= end):
            return True  # cuts into the code, or inside it
        touches = ce == start or cs == end or (cs == ce and start <= cs <= end)
        if not touches:
            continue
        if not text[start:end].strip():
            return True
        if ce == start and cs > 0 and _wordlike(text[cs - 1]) and _wordlike(text[start]):
            return True
        if cs == end and ce < len(text) and _wordlike(text[ce]) and _wordlike(text[end - 1]):
            return True
    return False


def _wordlike(ch: str) -> bool:
    return ch.isalnum() and ch != MASK


def _unmasked(f: Finding, ctx: CheckContext) -> Finding:
    """A prose finding over text that contains whole codes: its message quotes the real text (with the codes),
    and it offers no replacement (applying one would delete the codes)."""
    masked = ctx.text[f.start:f.end]
    if MASK not in masked:
        return f
    real = ctx.raw_text[f.start:f.end]
    replace = (lambda s: s.replace(masked, real) if s else s)  # noqa: E731
    return dataclasses.replace(f, message=replace(f.message), suggestion=replace(f.suggestion), replacements=())


def _inside_furniture(issues: list[Issue]) -> list[Issue]:
    """Issues within page furniture cost nothing: the furniture issue already says to delete the text."""
    furniture = SpanIndex((i.span, None) for i in issues
                          if i.category is Category.BOILERPLATE and i.severity is not Severity.INFO)
    result = []
    for issue in issues:
        if (issue.category is not Category.BOILERPLATE and issue.severity is not Severity.INFO
                and furniture.covers(issue.span)):
            issue = dataclasses.replace(issue, severity=Severity.INFO,
                                        message=issue.message + " (Inside page furniture: info only.)")
        result.append(issue)
    return result


def _prefer_source_evidence(issues: list[Issue], rules: Sequence[Rule]) -> list[Issue]:
    """Where a source-aware rule and a target-only rule flag exactly the same words, keep the source-aware
    issue: it has more evidence (the source phrase, the glossary entry), and one problem should cost once."""
    source_aware = {r.code for r in rules if r.info.needs_source}
    confirmed = {i.span for i in issues if i.code in source_aware}
    # Page furniture is never superseded: "delete this" says more than "this has no source".
    return [i for i in issues if i.code in source_aware or i.span not in confirmed
            or i.category is Category.BOILERPLATE]


def _with_segments(issues: list[Issue], segments: Sequence[Segment]) -> list[Issue]:
    starts = [s.span.start for s in segments]

    result = []
    for issue in issues:
        i = bisect.bisect_right(starts, issue.span.start) - 1
        seg = segments[i] if i >= 0 else None
        index = seg.index if seg is not None and seg.span.contains(Span(issue.span.start, issue.span.start)) else None
        result.append(dataclasses.replace(issue, segment=index) if index is not None else issue)
    return result


def check(
    target: Document | str | Path,
    source: Document | str | Path | None = None,
    *,
    reference: Document | str | Path | None = None,
    config: Config | None = None,
    rules: Sequence[Rule] | None = None,
    siblings: Sequence[tuple[str, str, str]] | None = None,
) -> DocumentResult:
    """Check one translated document (and its source, where there is one).

    ``siblings`` are ``(unit id, source, target)`` of the units of the bilingual file the document is a unit of,
    in file order and including this one (found by ``target.unit``): the cross-unit consistency rules (TQ303,
    TQ304) compare the unit with the others.

    ``target``, ``source`` and ``reference`` are documents, paths, or (for ``target``) the text itself.
    With a reference, BLEU, chrF and TER are computed (``result.metrics``).

    Raises:
        InputError: a file cannot be read: the target, or its source or reference (the error names that file
            and says which target it belongs to). PackError: a rule pack is malformed.
    """
    config = config or Config()
    target_doc = _as_document(target)
    notes: list[str] = []
    # A source or reference that cannot be read is an input error of this target, as the README promises
    # (listed under errors, exit 2): checking the target alone would report a score the user did not ask for.
    source_doc = _companion(source, "source", target_doc) if source is not None else None
    reference_doc = _companion(reference, "reference", target_doc) if reference is not None else None
    active = rules if rules is not None else select_rules(config.select, config.ignore)
    as_unit = siblings is not None
    if not target_doc.text.strip():
        return _empty_target(target_doc, source_doc, config, notes, active, as_unit=as_unit)
    src, tgt, lang_notes = resolve_langs(target_doc, source_doc, config)
    notes += lang_notes
    target_doc = dataclasses.replace(target_doc, lang=tgt)
    packs = load_packs(src, tgt, tuple(config.packs))
    # Inline codes (tags, placeholders) are opaque to segmentation, alignment and prose rules: they see the
    # texts with the codes masked (same offsets); the markup rules and the reports see the real texts.
    target_codes, masked_target = inline_codes(target_doc)
    target_doc = dataclasses.replace(target_doc, codes=target_codes)  # the report lists what the checks saw
    segments, paragraphs = segment(masked_target)
    alignment = None
    src_segments: tuple[Segment, ...] = ()
    src_paragraphs: tuple[Paragraph, ...] = ()
    source_codes: tuple[InlineCode, ...] = ()
    masked_source = None
    if source_doc is not None:
        source_doc = dataclasses.replace(source_doc, lang=src)
        if not as_unit:  # a bilingual file's languages are judged once, on all its units (tqcheck.filecheck)
            notes += source_warnings(source_doc, target_doc, src, tgt)
        source_codes, masked_source = inline_codes(source_doc)
        source_doc = dataclasses.replace(source_doc, codes=source_codes)
        src_segments, src_paragraphs = segment(masked_source)
        alignment = align(masked_source, src_segments, src_paragraphs, masked_target, segments, paragraphs)
        if "de" in (src, tgt) and ding() is None:  # cached: no file test per document
            notes.append("the aligner has no German–English dictionary here (install Debian's trans-de-en, or set "
                         f"{DING_ENV} to Ding's de-en file): omitted and added sentences are found by length, "
                         "names and numbers only")
        source_names = masked_source
        if not alignment_is_usable(alignment):
            notes.append("source and target do not correspond (almost nothing aligns): source-aware checks skipped")
            source_doc, alignment, src_segments, src_paragraphs = None, None, (), ()
            masked_source, source_codes = None, ()
    else:
        source_names = None
        notes.append("no source: source-aware checks (TQ7xx) skipped")
    glossary = load_glossary(config.glossary, src, tgt) if config.glossary else None
    qe_pairs, qe_summary = run_qe(config, source_doc, target_doc, alignment, src_segments, segments)
    ctx = CheckContext(masked_target, source=masked_source, src_lang=src, tgt_lang=tgt, packs=packs,
                       segments=segments, paragraphs=paragraphs, source_segments=src_segments,
                       source_paragraphs=src_paragraphs, alignment=alignment, glossary=glossary, qe=qe_pairs,
                       qe_threshold=config.qe.threshold if config.qe else None, codes=target_codes,
                       source_codes=source_codes, raw_target=target_doc, raw_source=source_doc,
                       siblings=tuple(siblings) if siblings is not None else None,
                       spelling_words=config.spelling.casefolded, source_names=source_names)
    notes += spelling_notes(active, tgt)
    issues = _inside_furniture(_prefer_source_evidence(run_rules(ctx, active, config), active))
    issues = sorted(set(_with_segments(issues, segments)), key=lambda i: i.sort_key)
    metrics = None
    if reference_doc is not None:
        from tqcheck.metrics import reference_metrics  # here: only a run with a reference reads it

        reference_doc = dataclasses.replace(reference_doc, lang=tgt)
        metrics = reference_metrics(target_doc, segments, reference_doc, segment(reference_doc)[0])
    return assemble_result(config, target_doc, issues, source=source_doc, src_lang=src, segments=segments,
                           source_segments=src_segments, alignment=alignment, qe_pairs=qe_pairs, qe=qe_summary,
                           packs=packs.fingerprints, notes=notes, metrics=metrics, as_unit=as_unit)


def inline_codes(doc: Document) -> tuple[tuple[InlineCode, ...], Document]:
    """The document's inline codes (its reader's tags and the placeholders found in its text) and the document
    with them masked for prose rules: the same text, each code character replaced by :data:`MASK`."""
    codes = document_codes(doc)
    return codes, (dataclasses.replace(doc, text=mask(doc.text, codes)) if codes else doc)


_MIN_ALIGNED_SHARE = 0.3
# Below this evaluation word count a single finding moves the score by several points (MQM's multi-range theory
# asks for other statistics on small samples): a note says so.
_SHORT_TEXT_WORDS = 100


def assemble_result(config: Config, target: Document, issues: Sequence[Issue], *, source: Document | None = None,
                    src_lang: str | None = None, segments: tuple[Segment, ...] = (),
                    source_segments: tuple[Segment, ...] = (), alignment: Alignment | None = None,
                    qe_pairs: tuple[ScoredPair, ...] = (), qe: QESummary | None = None,
                    packs: tuple[tuple[str, str], ...] = (), notes: Sequence[str] = (),
                    metrics: ReferenceMetrics | None = None, as_unit: bool = False) -> DocumentResult:
    """Score, judge and route a checked document: the MQM scorecard, the gate, and a route per segment.

    The last step of :func:`check`; also how a caller with issues of its own (a test, an importer of another
    tool's findings) gets a :class:`DocumentResult` that every report renders. The documents' ``codes`` are
    reported as given (:func:`check` puts the reader's tags and the placeholders it found there). Findings that
    a ``[[suppress]]`` entry or the baseline covers (:func:`tqcheck.suppress.filter_issues`) go to ``suppressed``.

    ``as_unit``: the document is a unit of a bilingual file, which is scored and judged as a whole
    (:func:`tqcheck.filecheck.assemble_file`): the unit's own gate does not raise its route, and no note
    says that the unit is short (units usually are).
    """
    # Suppressed and baselined findings leave here, before the scorecard, the gate and the routes see them; the
    # result keeps them (with their reasons) for the reports to count.
    issues, suppressed = filter_issues(config, target, issues, source=source, segments=segments,
                                       source_segments=source_segments, alignment=alignment)
    qe_summary = qe or QESummary("disabled")
    shown = scoring.text_size(target.text, target.lang, config.scoring.characters_per_word)
    # MQM counts the source's words where there is a source (ASTM F2575), else the target's.
    counted, basis = (source, "source") if source is not None and source.text.strip() else (target, "target")
    size = shown if counted is target else scoring.text_size(counted.text, counted.lang,
                                                            config.scoring.characters_per_word)
    card = scoring.scorecard(scoring.absolute_penalty(issues, config.scoring), size, basis, config.scoring)
    if not as_unit:
        notes = [*notes, *short_text_notes(card, config)]
    gate = scoring.judge(card, issues, scoring=config.scoring, fail_under=config.fail_under, fail_on=config.fail_on)
    policy = qe_route_policy(config, src_lang, target.lang, qe_summary.status == "ok")
    routing = route_document(target=target, source=source, segments=segments, source_segments=source_segments,
                             alignment=alignment, qe_pairs=qe_pairs, issues=issues, policy=policy,
                             content_type=config.content_type, failed=gate.verdict == "fail" and not as_unit)
    return DocumentResult(
        target=target, source=source, segments=segments, alignment=alignment, qe_pairs=qe_pairs, qe=qe_summary,
        issues=tuple(sorted(issues, key=lambda i: i.sort_key)), word_count=shown.count, word_unit=shown.unit,
        scorecard=card, gate=gate,
        routing=routing, src_lang=src_lang, packs=packs, notes=tuple(notes), source_segments=source_segments,
        metrics=metrics, suppressed=suppressed,
    )


def short_text_notes(card: scoring.Scorecard, config: Config) -> list[str]:
    """A note when so few words are counted that one finding moves the score by several points."""
    if not (card.apt > 0 and card.ewc < _SHORT_TEXT_WORDS):
        return []
    # What one penalty point costs on the chosen scale, before clamping: the density per word times the scale.
    per_point = 100 / card.ewc if card.model == "raw" else (
        config.scoring.scaling_factor * config.scoring.reference_word_count / card.ewc)
    return [f"short text ({card.ewc:g} word{'s' if card.ewc != 1 else ''}): one minor issue costs "
            f"{per_point:.1f} points; the score says little about so few words, the routes say more"]


def qe_route_policy(config: Config, src_lang: str | None, tgt_lang: str | None, qe_ok: bool) -> RoutePolicy:
    """The routing policy for a language pair, with the QE family's thresholds when QE scored the text."""
    return config.routing.resolve(src_lang, tgt_lang, config.content_type, _qe_route_thresholds(config) if qe_ok
                                  else None)


def _qe_route_thresholds(config: Config) -> dict[str, float]:
    """The QE model family's routing thresholds, moved with a configured QE threshold (as the TQ901 bands are)."""
    assert config.qe is not None
    family = qe_backend(config.qe).family
    defaults = dict(FAMILY_ROUTE_THRESHOLDS[family])
    if config.qe.threshold is not None:
        shift = config.qe.threshold - FAMILY_BANDS[family].threshold
        defaults = {key: round(value + shift, 6) for key, value in defaults.items()}
    return defaults


def _empty_target(target: Document, source: Document | None, config: Config, notes: list[str],
                  rules: Sequence[Rule], *, as_unit: bool) -> DocumentResult:
    """A unit with no translation (XLIFF/JSONL): TQ712 flags it when its source has text (inline codes are not
    text: a structure unit holding only a tag has nothing to translate)."""
    src_lang = config.src_lang or (source.lang if source else None)
    target = dataclasses.replace(target, lang=config.tgt_lang or target.lang)
    issues: list[Issue] = []
    if source is not None:
        source_codes, masked_source = inline_codes(source)
        source = dataclasses.replace(source, codes=source_codes)
    if source is not None and any(ch.isalnum() for ch in masked_source.text):
        source = dataclasses.replace(source, lang=src_lang)
        notes.append("empty target: this unit was not translated")
        ctx = CheckContext(target, source=source, src_lang=src_lang, tgt_lang=target.lang,
                           packs=load_packs(src_lang, target.lang, tuple(config.packs)), segments=(), paragraphs=())
        issues = run_rules(ctx, [r for r in rules if r.code == MISSING_TRANSLATION], config)
    else:
        notes.append("empty target, and no text in the source" if source is not None else "empty target and source")
    return assemble_result(config, target, issues, source=source, src_lang=src_lang, notes=notes, as_unit=as_unit)


_INSTALLED_BACKENDS: dict[QEConfig, QEBackend] = {}


def qe_backend(qe_config: QEConfig) -> QEBackend:
    """One backend per configuration and process, so a batch loads the model once (and only on a cache miss);
    the one :func:`install_qe_backend` put there, if any."""
    installed = _INSTALLED_BACKENDS.get(qe_config)
    return installed if installed is not None else _loaded_backend(qe_config)


@lru_cache(maxsize=4)
def _loaded_backend(qe_config: QEConfig) -> QEBackend:
    return load_backend(qe_config)


def install_qe_backend(qe_config: QEConfig, backend: QEBackend | None) -> None:
    """Make every check with ``qe_config`` score through ``backend`` (the service's micro-batching wrapper
    around the warm model); ``None`` takes it back."""
    if backend is None:
        _INSTALLED_BACKENDS.pop(qe_config, None)
    else:
        _INSTALLED_BACKENDS[qe_config] = backend


def run_qe(config: Config, source: Document | None, target: Document, alignment: Alignment | None,
           src_segments: Sequence[Segment],
           tgt_segments: Sequence[Segment]) -> tuple[tuple[ScoredPair, ...], QESummary]:
    """Score every aligned sentence pair (never the whole article: comet truncates at 512 tokens).

    Raises:
        QEUnavailable: the model cannot be loaded; the message says how to fix it.
    """
    if config.qe is None:
        return (), QESummary("disabled")
    model = config.qe.model
    license = license_of(model).id
    if source is None or alignment is None:
        reason = "no source" if source is None else "source and target do not align"
        return (), QESummary("unavailable", model, None, f"{reason}: reference-free QE scores a translation "
                                                         "against its source", license)
    links = []
    for index, link in enumerate(alignment.links):
        src_span, tgt_span = link_spans(link, src_segments, tgt_segments)
        if src_span is not None and tgt_span is not None:
            links.append((index, src_span, tgt_span))
    if not links:
        return (), QESummary("unavailable", model, None, "no aligned sentence pairs to score", license)
    backend = qe_backend(config.qe)
    results = backend.score_pairs([(source.text[s.start:s.end], target.text[t.start:t.end]) for _, s, t in links])
    pairs = tuple(ScoredPair(index, t, s, result, backend.model_id)
                  for (index, s, t), result in zip(links, results, strict=True))
    score = document_score((p.result, p.target.end - p.target.start) for p in pairs)
    return pairs, QESummary("ok", backend.model_id, None if score is None else round(score, 4), license=license)


def alignment_is_usable(alignment: Alignment) -> bool:
    """Source and target correspond: enough links pair text on both sides, and their lengths fit.

    One sentence on each side always corresponds; otherwise the median length confidence of the paired
    links must reach 0.05 (unrelated texts of similar size align 1-1 with near-zero confidence).
    """
    links = alignment.links
    paired = sorted(link.confidence for link in links if link.source and link.target)
    if not paired or len(paired) < _MIN_ALIGNED_SHARE * len(links):
        return False
    return len(links) == 1 or paired[len(paired) // 2] >= 0.05


def source_warnings(source: Document, target: Document, src: str | None, tgt: str | None) -> list[str]:
    """Notes on a source that looks wrong: another language than declared, or swapped with the target."""
    notes = []
    src_guess = langid.detect(source.text[:LANG_SAMPLE_CHARS])
    # The target is only asked about (a statistical guess: the slow part) when the source reads as the target
    # language, the one case where the two may be swapped.
    swapped = (src_guess and src and tgt and src_guess.lang == tgt
               and (tgt_guess := langid.detect(target.text[:LANG_SAMPLE_CHARS])) and tgt_guess.lang == src)
    if swapped:
        notes.append(f"source and target look swapped: the source reads as {tgt!r}, the target as {src!r}")
    elif src_guess and src and src_guess.lang != src and src_guess.probability > langid.MIN_PROBABILITY:
        notes.append(f"the source reads as {src_guess.lang!r}, not {src!r} as declared: check the pairing")
    return notes


def _companion(value: Document | str | Path, role: str, target: Document) -> Document:
    """The source or reference of ``target``.

    Raises:
        InputError: it cannot be read; the error names its file, and the target where there is one.
    """
    try:
        return _as_document(value)
    except InputError as err:
        if target.path is None:
            raise
        problem = f"{err.problem}; it is the {role} of {path_text(target.path)}, which was not checked"
        raise InputError(err.path, problem, kind=err.kind, hint=err.hint) from err


def _as_document(value: Document | str | Path) -> Document:
    if isinstance(value, Document):
        return value
    if isinstance(value, Path):
        return read_document(value)
    return Document(text=value)


__all__ = ["SCHEMA_VERSION", "TqcheckError", "alignment_is_usable", "assemble_result", "check", "inline_codes",
           "install_qe_backend", "qe_backend", "resolve_langs", "run_qe", "run_rules"]
