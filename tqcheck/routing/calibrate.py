"""Routing thresholds proposed from a user's own labelled segments (``tqcheck calibrate LABELS``).

Labels files (``source``, ``target``, optional ``qe_score`` and one label per line) are read by
:mod:`tqcheck.routing.labels`, which also defines the label classes.

**Scores.** A line's ``qe_score`` is its score (from the user's QE model or production logs) and no model is
loaded for it; other lines are scored by tqcheck's QE backend when QE is configured (``--qe``/``--qe-model``),
each sentence pair as ``tqcheck check`` scores it. Without any score only the rule-based routing is evaluated.

**Routes.** Every segment is checked as ``tqcheck check`` checks a sentence pair, and its route is worked out by
:func:`tqcheck.routing.route_document` itself: its *floor* is the route the rule findings (and omitted sentences)
allow, computed with thresholds that let every score through, and its route under thresholds ``T`` is
``worst(T.qe_route(score), floor)`` (:func:`unit_route`), the lowest score of its sentences standing for it. That
equals the worst route of its sentences in ``check`` because ``qe_route`` is monotone in the score.

**Precision** of a route is the share of the segments it gets whose label says that route is enough: publish
needs *no-edit*; light-review *no-edit* or *light*; post-edit anything but *retranslate*. A target (e.g. 0.95
for publish) is met when the one-sided Wilson lower confidence bound of that precision (at ``confidence``,
default 95 %) reaches it, so that fresh data from the same source meets it too.

**Choice.** Thresholds are chosen top down: ``publish`` is the LOWEST threshold whose publish precision meets
its target (lower publishes more words); then ``light_review``, the lowest below ``publish`` whose light-review
precision meets its target; then ``post_edit`` likewise. A threshold without a target (or that the labels cannot
calibrate: ``edited`` says nothing about light reviews) keeps the model family's or the configuration's value,
lowered to the one above it where needed so that ``publish ≥ light_review ≥ post_edit`` holds. Written values are
the shortest decimals that route the calibration data exactly as the chosen scores do.

"""

from __future__ import annotations

import dataclasses
import math
import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from pathlib import Path
from statistics import NormalDist
from typing import TYPE_CHECKING, Literal

from tqcheck.errors import ConfigError
from tqcheck.routing.labels import (
    EDITED,
    EDITED_CLASSES,
    LIGHT,
    MQM_CLASSES,
    NO_EDIT,
    POST_EDIT,
    LabelCuts,
    LabelKind,
    LabelledSegment,
    label_class,
)
from tqcheck.routing.policy import ROUTES, THRESHOLD_KEYS, Route, RoutePolicy, route_rank, worst

if TYPE_CHECKING:
    from tqcheck.config import Config
# The label classes for which a route is enough (its precision counts these). Publish is the only route an
# "edited" label can judge: it cannot tell a light review from a post-edit.
ENOUGH: Mapping[Route, frozenset[str]] = {
    "publish": frozenset({NO_EDIT}),
    "light-review": frozenset({NO_EDIT, LIGHT}),
    "post-edit": frozenset({NO_EDIT, LIGHT, POST_EDIT}),
    "retranslate": frozenset({*MQM_CLASSES, EDITED}),
}
# threshold key → the route that segments at or above it (and below the next one up) get
KEY_ROUTES: Mapping[str, Route] = {"publish": "publish", "light_review": "light-review", "post_edit": "post-edit"}

# --- units: labelled segments checked and scored ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unit:
    """A labelled segment as calibration sees it.

    ``floor`` is the least route its rule findings allow (the same escalations as in ``check``); ``score`` the
    score it is routed by (None: QE did not score it, so the rules alone route it, as in ``check``);
    ``words`` its word equivalents as ``check`` counts them per route; ``vetoes`` the rule codes (and
    ``"omitted"``) that raised its floor above publish.
    """

    label: str
    floor: Route
    score: float | None
    words: int
    pair: str = "?-?"
    line: int = 0
    vetoes: tuple[str, ...] = ()


def check_segments(labels: Sequence[LabelledSegment], config: Config, *, cuts: LabelCuts | None = None,
                   content_type: str | None = None,
                   progress: Callable[[int, int], None] | None = None) -> list[Unit]:
    """Check every labelled segment with tqcheck's rules (and QE where ``config.qe`` is set and the line has
    no ``qe_score``) and turn it into a :class:`Unit`.

    ``content_type`` selects the escalations of ``[routing.content_types.NAME]`` when that table exists (a
    content type being calibrated for the first time has none yet: the base escalations apply).
    """
    from tqcheck.pipeline import check
    from tqcheck.routing.route import route_document
    from tqcheck.types import Document

    cuts = cuts or LabelCuts()
    configs: dict[tuple[str | None, str | None, bool], Config] = {}
    typed = content_type if content_type in config.routing.content_types else None
    units = []
    if progress is not None:
        progress(0, len(labels))
    for done, seg in enumerate(labels, start=1):
        src, tgt = seg.src_lang or config.src_lang, seg.tgt_lang or config.tgt_lang
        key = (src, tgt, seg.qe_score is None)
        if key not in configs:
            # A line's own score is its score: no model is loaded for it.
            configs[key] = dataclasses.replace(config, src_lang=src, tgt_lang=tgt,
                                               qe=config.qe if seg.qe_score is None else None)
        result = check(Document(seg.target), Document(seg.source), config=configs[key])
        # Thresholds below every score: the QE part of each route is "publish" (NaN: retranslate, as in check),
        # so what route_document returns is what the rules (and omitted sentences) allow.
        policy = config.routing.resolve(result.src_lang, result.target.lang, typed, None)
        floor_policy = dataclasses.replace(policy, publish=-math.inf, light_review=-math.inf, post_edit=-math.inf)
        routing = route_document(target=result.target, source=result.source, segments=result.segments,
                                 source_segments=result.source_segments, alignment=result.alignment,
                                 qe_pairs=result.qe_pairs, issues=result.issues, policy=floor_policy,
                                 content_type=typed, failed=False)
        floor = worst("publish", *(s.route for s in routing.segments))
        if seg.qe_score is not None:
            score: float | None = seg.qe_score
        else:
            scores = [p.result.score for p in result.qe_pairs if math.isfinite(p.result.score)]
            score = min(scores) if scores else None
        vetoes = sorted({i.code for i in result.issues
                         if i.origin == "rule" and policy.finding_route(i.severity) != "publish"})
        if any(s.target is None for s in routing.segments) and policy.omitted != "publish":
            vetoes.append("omitted")
        units.append(Unit(label=label_class(seg, cuts), floor=floor, score=score,
                          words=sum(s.words for s in routing.segments),
                          pair=f"{result.src_lang or '?'}-{result.target.lang or '?'}", line=seg.line,
                          vetoes=tuple(vetoes)))
        if progress is not None:
            progress(done, len(labels))
    return units


def unit_route(unit: Unit, policy: RoutePolicy) -> Route:
    """The route ``check`` gives the unit under ``policy``: QE band, raised to the rules' floor."""
    if unit.score is None or policy.publish is None:
        return unit.floor
    return worst(policy.qe_route(unit.score), unit.floor)


def thresholds_policy(thresholds: Mapping[str, float]) -> RoutePolicy:
    """A policy with these thresholds; its escalations do not matter here (the floors already hold them)."""
    from tqcheck.routing.policy import DEFAULT_ESCALATION, DEFAULT_RETRANSLATE_SHARE

    return RoutePolicy(publish=thresholds["publish"], light_review=thresholds["light_review"],
                       post_edit=thresholds["post_edit"], retranslate_share=DEFAULT_RETRANSLATE_SHARE,
                       **DEFAULT_ESCALATION)  # type: ignore[arg-type]


def baseline_thresholds(config: Config, model: str | None, pair: str | None,
                        content_type: str | None) -> dict[str, float]:
    """The thresholds ``check`` would use now: the model family's defaults (moved with a configured QE pass
    mark), overridden by the configured ``[routing]`` levels for ``pair`` and ``content_type``."""
    from tqcheck.qe import FAMILY_BANDS, FAMILY_ROUTE_THRESHOLDS

    family = _family(model) if model else "unknown"
    defaults = dict(FAMILY_ROUTE_THRESHOLDS[family])
    if config.qe is not None and config.qe.threshold is not None:
        shift = config.qe.threshold - FAMILY_BANDS[family].threshold
        defaults = {key: round(value + shift, 6) for key, value in defaults.items()}
    src, _, tgt = (pair or "").partition("-")
    typed = content_type if content_type in config.routing.content_types else None
    policy = config.routing.resolve(src or None, tgt or None, typed, defaults)
    return {key: float(getattr(policy, key)) for key in THRESHOLD_KEYS}


def _family(model: str) -> str:
    from tqcheck.qe import family_of

    folder = Path(model)
    checkpoint = folder / "checkpoints" / "model.ckpt"
    # A checkpoint folder (as --qe-model accepts it) is judged by the hparams.yaml beside checkpoints/.
    return family_of(str(checkpoint) if folder.is_dir() and checkpoint.is_file() else model)


# --- statistics ------------------------------------------------------------------------------------------


def wilson_lower(good: int, n: int, confidence: float) -> float:
    """One-sided Wilson lower confidence bound of a proportion ``good / n`` (0 for n = 0).

    ``confidence`` 0.5 gives the observed proportion itself (z = 0).
    """
    if n == 0:
        return 0.0
    z = NormalDist().inv_cdf(confidence)
    p = good / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, (centre - margin) / (1 + z * z / n))


def score_auc(units: Sequence[Unit]) -> float | None:
    """How well the scores rank no-edit segments above the others: ROC AUC (0.5 is chance), ties counted half.

    None when the scored units hold only one of the two groups.
    """
    scored = sorted((u.score, u.label == NO_EDIT) for u in units if u.score is not None)
    positives = sum(good for _, good in scored)
    negatives = len(scored) - positives
    if not positives or not negatives:
        return None
    rank_sum = 0.0
    i = 0
    while i < len(scored):
        j = i
        while j < len(scored) and scored[j][0] == scored[i][0]:
            j += 1
        mid_rank = (i + 1 + j) / 2  # ranks i+1 … j share their mean
        rank_sum += mid_rank * sum(good for _, good in scored[i:j])
        i = j
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


# --- evaluation ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteStats:
    """What one route gets: segments, words, their shares, the labels (confusion row) and its precision."""

    route: Route
    segments: int
    words: int
    segment_share: float
    word_share: float
    labels: Mapping[str, int]
    precision: float | None  # None: no segments, or labels that cannot judge this route
    lower_bound: float | None

    def as_dict(self) -> dict[str, object]:
        return {"route": self.route, "segments": self.segments, "words": self.words,
                "segment_share": _round(self.segment_share), "word_share": _round(self.word_share),
                "labels": dict(self.labels), "precision": _round(self.precision),
                "lower_bound": _round(self.lower_bound)}


@dataclass(frozen=True)
class Evaluation:
    """Routing of a set of units under fixed thresholds (None: rules only)."""

    segments: int
    words: int
    routes: tuple[RouteStats, ...]  # in ROUTES order

    def route(self, route: Route) -> RouteStats:
        return self.routes[ROUTES.index(route)]

    def as_dict(self) -> dict[str, object]:
        return {"segments": self.segments, "words": self.words, "routes": [r.as_dict() for r in self.routes]}


def evaluate(units: Sequence[Unit], thresholds: Mapping[str, float] | None, kind: LabelKind,
             confidence: float = 0.95) -> Evaluation:
    """Route every unit (with :func:`unit_route`) and tabulate routes × label classes."""
    classes = MQM_CLASSES if kind == "mqm" else EDITED_CLASSES
    policy = thresholds_policy(thresholds) if thresholds is not None else None
    rows: dict[Route, list[Unit]] = {r: [] for r in ROUTES}
    for unit in units:
        rows[unit_route(unit, policy) if policy is not None else unit.floor].append(unit)
    total_words = sum(u.words for u in units)
    stats = []
    for route in ROUTES:
        members = rows[route]
        counts = Counter(u.label for u in members)
        # "retranslate" is always enough, so its precision says nothing; "edited" judges publish only.
        judged = route == "publish" or (kind == "mqm" and route != "retranslate")
        good = sum(counts[c] for c in ENOUGH[route])
        precision = good / len(members) if members and judged else None
        bound = wilson_lower(good, len(members), confidence) if members and judged else None
        words = sum(u.words for u in members)
        stats.append(RouteStats(route, len(members), words, len(members) / len(units) if units else 0.0,
                                words / total_words if total_words else 0.0, {c: counts[c] for c in classes},
                                precision, bound))
    return Evaluation(len(units), total_words, tuple(stats))


# --- the search ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    threshold: float | None  # the lowest score admitted; None: none from the pool (the route's fixed part only)
    below: float | None      # the next lower score of the pool: any value in (below, threshold] routes alike
    segments: int
    good: int
    lower_bound: float


def _walk(fixed: Sequence[Unit], pool: Sequence[Unit], enough: frozenset[str], confidence: float,
          fixed_only: bool) -> list[_Candidate]:
    """The route's precision as its threshold comes down through the pool's scores, highest first.

    ``fixed`` are the units the route gets whatever this threshold (rule floors, scores above the threshold
    above); ``pool`` the scored units it gets once the threshold is at or below their score. Equal scores enter
    together (a threshold cannot split them).
    """
    n = len(fixed)
    good = sum(u.label in enough for u in fixed)
    candidates = [_Candidate(None, None, n, good, wilson_lower(good, n, confidence))] if fixed_only else []
    ordered = sorted(pool, key=lambda u: u.score, reverse=True)  # type: ignore[arg-type, return-value]
    i = 0
    while i < len(ordered):
        score = ordered[i].score
        while i < len(ordered) and ordered[i].score == score:
            n += 1
            good += ordered[i].label in enough
            i += 1
        below = ordered[i].score if i < len(ordered) else None
        candidates.append(_Candidate(score, below, n, good, wilson_lower(good, n, confidence)))
    return candidates


def _shortest(high: float, low: float | None) -> float:
    """The shortest decimal ``x`` with ``low < x ≤ high``: the same routes as ``high``, easier to read."""
    if low is None:  # nothing scored lower: any value a little below does
        low = high - 0.01 * max(1.0, abs(high))
    exact = Decimal(repr(high))
    for digits in range(0, 10):
        try:
            value = float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_FLOOR))
        except InvalidOperation:
            break
        if low < value <= high:
            return value
    return high


@dataclass(frozen=True)
class Choice:
    """How one threshold was set.

    ``how``: ``calibrated`` (the lowest value meeting the target), ``unmet`` (no value meets it: the value with
    the best lower bound is shown), ``kept`` (no target for it: the configured or family value, lowered to the
    threshold above where needed).
    """

    key: str
    value: float
    how: Literal["calibrated", "unmet", "kept"]
    target: float | None
    note: str

    def as_dict(self) -> dict[str, object]:
        return {"key": self.key, "value": self.value, "how": self.how, "target": self.target, "note": self.note}


def _search(units: Sequence[Unit], key: str, upper: float | None, enough: frozenset[str], target: float,
            confidence: float) -> tuple[float | None, _Candidate | None, _Candidate | None]:
    """(value, chosen, best) for threshold ``key`` below ``upper`` (the threshold above; None for publish).

    ``chosen`` is the lowest candidate meeting ``target`` (None if none does), ``best`` the one with the best
    lower bound; ``value`` the threshold to write for the chosen (else the best) candidate.
    """
    route = KEY_ROUTES[key]
    rank = route_rank(route)

    def above(u: Unit) -> bool:  # routed at least as well as this route by the threshold above
        return upper is not None and u.score is not None and u.score >= upper

    # The route's own floor keeps a unit here whatever this threshold, unless QE sends it lower (not yet).
    fixed = [u for u in units if u.floor == route and (u.score is None or above(u))]
    pool = [u for u in units if u.score is not None and route_rank(u.floor) <= rank and not above(u)]
    candidates = [c for c in _walk(fixed, pool, enough, confidence, fixed_only=upper is not None)
                  if c.segments > 0]
    if not candidates:
        return None, None, None
    meeting = [c for c in candidates if c.lower_bound >= target]
    chosen = meeting[-1] if meeting else None  # the walk goes down: the last one is the lowest threshold
    best = max(candidates, key=lambda c: (c.lower_bound, c.segments))
    pick = chosen or best
    value = upper if pick.threshold is None else _shortest(pick.threshold, pick.below)
    return value, chosen, best


# --- calibration -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """Required precisions: publish always; light_review and post_edit only when given (MQM labels)."""

    publish: float = 0.95
    light_review: float | None = None
    post_edit: float | None = None
    confidence: float = 0.95

    def __post_init__(self) -> None:
        for name in ("publish", "light_review", "post_edit"):
            value = getattr(self, name)
            if value is not None and not 0 < value < 1:
                raise ConfigError(f"target for {name} must be a precision between 0 and 1, got {value}")
        if not 0.5 <= self.confidence < 1:
            raise ConfigError(f"confidence must be at least 0.5 and below 1, got {self.confidence}")

    def of(self, key: str) -> float | None:
        return getattr(self, key)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Calibration:
    """The outcome: proposed thresholds (None: no scores, rules only), how each was set, the routing of the
    calibration and held-out units under them, and whether every target is met."""

    kind: LabelKind
    classes: tuple[str, ...]
    cuts: LabelCuts | None
    targets: Targets
    thresholds: Mapping[str, float] | None
    choices: tuple[Choice, ...]
    calibration: Evaluation
    holdout: Evaluation | None
    met: bool
    messages: tuple[str, ...]
    pairs: Mapping[str, int]
    scored: int
    auc: float | None
    vetoes: Mapping[str, tuple[int, int]]  # code → (segments it kept from publish, of which needed an edit)
    snippet: str | None
    content_type: str | None = None
    holdout_share: float = 0.0
    seed: int = 0
    holdout_met: Mapping[str, bool] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "labels": self.kind, "classes": list(self.classes),
            "cuts": dataclasses.asdict(self.cuts) if self.cuts else None,
            "targets": dataclasses.asdict(self.targets), "met": self.met,
            "thresholds": dict(self.thresholds) if self.thresholds is not None else None,
            "choices": [c.as_dict() for c in self.choices],
            "calibration": self.calibration.as_dict(),
            "holdout": ({**self.holdout.as_dict(), "share": self.holdout_share, "seed": self.seed,
                         "met": dict(self.holdout_met)} if self.holdout is not None else None),
            "pairs": dict(self.pairs), "scored": self.scored, "score_auc": _round(self.auc),
            "vetoes": {code: {"segments": n, "edited": bad} for code, (n, bad) in self.vetoes.items()},
            "content_type": self.content_type, "snippet": self.snippet, "messages": list(self.messages),
        }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def split(units: Sequence[Unit], holdout: float, seed: int) -> tuple[list[Unit], list[Unit]]:
    """(calibration, held-out): a seeded random ``holdout`` share of the units held out."""
    if not 0 <= holdout < 1:
        raise ConfigError(f"holdout must be a share in [0, 1), got {holdout}")
    order = list(range(len(units)))
    random.Random(seed).shuffle(order)
    held = round(len(units) * holdout)
    if holdout and (held == 0 or held == len(units)):
        raise ConfigError(f"cannot hold out {holdout:.0%} of {len(units)} segments: each part needs at least one")
    held_ids = set(order[:held])
    return ([u for i, u in enumerate(units) if i not in held_ids], [u for i, u in enumerate(units) if i in held_ids])


def calibrate(units: Sequence[Unit], kind: LabelKind, targets: Targets | None = None, *,
              baseline: Mapping[str, float] | None = None, holdout: float = 0.0, seed: int = 0,
              content_type: str | None = None, cuts: LabelCuts | None = None) -> Calibration:
    """Propose thresholds for ``units`` (see the module docstring).

    ``baseline`` holds the thresholds kept where no target applies (default: the "unknown" QE family's).
    With ``holdout`` > 0 that share is set aside (seeded) and the proposal is evaluated on it.

    Raises:
        ConfigError: no units, too few to hold out, or a light-review/post-edit target with edited labels.
    """
    from tqcheck.qe import FAMILY_ROUTE_THRESHOLDS

    targets = targets or Targets()
    cuts = cuts or LabelCuts()
    if not units:
        raise ConfigError("no segments to calibrate on")
    if kind == "edited" and (targets.light_review is not None or targets.post_edit is not None):
        raise ConfigError("light-review and post-edit targets need MQM labels: an 'edited' label cannot tell a "
                          "light review from a post-edit")
    calib, held = split(units, holdout, seed)
    messages: list[str] = []
    scored = sum(u.score is not None for u in calib)
    pairs = Counter(u.pair for u in units)
    conf = f"{targets.confidence:.0%} confidence"
    thresholds: dict[str, float] | None = None
    choices: list[Choice] = []
    met = True
    if scored == 0:
        messages.append("no QE scores (no 'qe_score' in the lines, and QE not run: --qe or --qe-model): only the "
                        "rule-based routing can be evaluated, there is no threshold to propose")
        evaluation = evaluate(calib, None, kind, targets.confidence)
        for key in THRESHOLD_KEYS:
            target = targets.of(key)
            if target is None:
                continue
            stats = evaluation.route(KEY_ROUTES[key])
            if stats.lower_bound is None or stats.lower_bound < target:
                met = False
                messages.append(_unmet_rules(key, stats, target, conf))
    else:
        base = dict(baseline or FAMILY_ROUTE_THRESHOLDS["unknown"])
        thresholds = {}
        upper: float | None = None
        for key in THRESHOLD_KEYS:
            target = targets.of(key)
            route = KEY_ROUTES[key]
            if target is None:
                kept = base[key] if upper is None else min(base[key], upper)
                lowered = f", lowered from {base[key]!r} to stay ≤ the threshold above" if kept != base[key] else ""
                why = ("edited labels cannot calibrate it" if kind == "edited"
                       else f"no --{key.replace('_', '-').replace('light-review', 'light')}-target")
                choices.append(Choice(key, kept, "kept", None, f"kept ({why}){lowered}"))
                thresholds[key] = upper = kept
                continue
            value, chosen, best = _search(calib, key, upper, ENOUGH[route], target, targets.confidence)
            if value is None:
                met = False
                value = base[key] if upper is None else min(base[key], upper)
                note = f"nothing can be routed to {route}: every segment's rule findings route it lower"
                messages.append(f"no {key} threshold can reach precision {target:g}: {note}")
                choices.append(Choice(key, value, "unmet", target, note))
            elif chosen is None:
                assert best is not None
                met = False
                note = (f"best reachable: precision {best.good / best.segments:.3f} (lower bound "
                        f"{best.lower_bound:.3f}, {best.segments} segments) at {key} = {value!r}")
                messages.append(f"no {key} threshold reaches precision {target:g} at {conf} on the calibration "
                                f"data; {note}" + _why_unmet(calib, key, kind))
                choices.append(Choice(key, value, "unmet", target, note))
            else:
                note = (f"lowest value with precision ≥ {target:g} at {conf}: precision "
                        f"{chosen.good / chosen.segments:.3f}, lower bound {chosen.lower_bound:.3f}, "
                        f"{chosen.segments} segments")
                choices.append(Choice(key, value, "calibrated", target, note))
            thresholds[key] = upper = value
        unscored = len(calib) - scored
        if unscored:
            messages.append(f"{unscored} of {len(calib)} calibration segments have no QE score: the rules alone "
                            "route them, as check does")
        evaluation = evaluate(calib, thresholds, kind, targets.confidence)
    holdout_eval = evaluate(held, thresholds, kind, targets.confidence) if held else None
    holdout_met: dict[str, bool] = {}
    if holdout_eval is not None:
        for key in THRESHOLD_KEYS:
            target = targets.of(key)
            if target is None:
                continue
            stats = holdout_eval.route(KEY_ROUTES[key])
            if stats.precision is None:
                continue
            holdout_met[key] = stats.precision >= target
            if met and not holdout_met[key]:
                messages.append(f"held-out data: {KEY_ROUTES[key]} precision {stats.precision:.3f} is below the "
                                f"target {target:g} ({stats.segments} segments): label more segments, or raise "
                                "--confidence")
    if len(pairs) > 1 and thresholds is not None:
        messages.append(f"{len(pairs)} language pairs ({', '.join(sorted(pairs))}) calibrated together: the "
                        "snippet is one [routing] table for all; calibrate a file per pair for per-pair thresholds")
    snippet = (routing_snippet(thresholds, next(iter(pairs)) if len(pairs) == 1 else None, content_type)
               if thresholds is not None and met else None)
    vetoes: dict[str, list[int]] = {}
    for unit in calib:
        for code in unit.vetoes:
            counts = vetoes.setdefault(code, [0, 0])
            counts[0] += 1
            counts[1] += unit.label != NO_EDIT
    return Calibration(
        kind=kind, classes=MQM_CLASSES if kind == "mqm" else EDITED_CLASSES, cuts=cuts if kind == "mqm" else None,
        targets=targets, thresholds=thresholds, choices=tuple(choices), calibration=evaluation,
        holdout=holdout_eval, met=met, messages=tuple(messages), pairs=dict(sorted(pairs.items())), scored=scored,
        auc=score_auc(calib), snippet=snippet, content_type=content_type, holdout_share=holdout, seed=seed,
        holdout_met=holdout_met,
        vetoes={code: (n, bad) for code, (n, bad) in sorted(vetoes.items(), key=lambda kv: (-kv[1][0], kv[0]))})


def _unmet_rules(key: str, stats: RouteStats, target: float, conf: str) -> str:
    if stats.segments == 0:
        return f"the rules route no segment to {stats.route}, so its precision cannot reach {target:g}"
    return (f"rule-based routing misses the {key} target {target:g}: {stats.route} gets {stats.segments} "
            f"segments with precision {stats.precision:.3f} (lower bound {stats.lower_bound:.3f} at {conf})")


def _why_unmet(units: Sequence[Unit], key: str, kind: LabelKind) -> str:
    """A hint at the cause: scores that do not rank the labels, or a route's rule floor that already fails."""
    hints = []
    if key == "publish":
        auc = score_auc(units)
        if auc is not None and auc < 0.6:
            hints.append(f"the scores hardly rank no-edit segments above the others (AUC {auc:.2f}; 0.5 is chance)")
        base = [u for u in units if u.floor == "publish"]
        if base:
            share = sum(u.label == NO_EDIT for u in base) / len(base)
            hints.append(f"of the {len(base)} segments the rules let through, {share:.0%} needed no edit")
    return "; " + "; ".join(hints) if hints else ""


# --- output ----------------------------------------------------------------------------------------------


def routing_snippet(thresholds: Mapping[str, float], pair: str | None, content_type: str | None) -> str:
    """A ``[routing]`` table to paste into tqcheck.toml: per pair when one pair was calibrated, per content type
    when one is named (``[routing.content_types.NAME.pairs."xx-yy"]`` for both)."""
    from tqcheck.routing.policy import _check_pair

    header = "routing"
    if content_type is not None:
        header += f".content_types.{_toml_key(content_type)}"
    if pair is not None:
        try:
            _check_pair(pair, "pair")
        except ConfigError:
            pair = None  # an unknown language ("?-en"): one table for every pair
        else:
            header += f'.pairs."{pair}"'
    lines = [f"[{header}]"] + [f"{key} = {_toml_number(thresholds[key])}" for key in THRESHOLD_KEYS]
    return "\n".join(lines) + "\n"


def _toml_key(name: str) -> str:
    import re

    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_number(value: float) -> str:
    text = repr(float(value))
    return text if any(c in text for c in ".e") else text + ".0"


__all__ = ["ENOUGH", "KEY_ROUTES", "Calibration", "Choice", "Evaluation", "RouteStats", "Targets", "Unit",
           "baseline_thresholds", "calibrate", "check_segments", "evaluate", "routing_snippet", "score_auc", "split",
           "unit_route", "wilson_lower"]
