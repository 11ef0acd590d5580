"""Routing thresholds proposed from a user's own labelled segments (``tqcheck calibrate LABELS``).

**Input.** JSON Lines, one segment a line: ``source`` (or ``src``), ``target`` (or ``mt``, ``translation``),
optional ``id``, ``src_lang``/``tgt_lang`` (or ``lp`` such as ``"zh-de"``; else the options), optional
``qe_score``, and exactly one label:

* ``mqm_penalty``: MQM penalty points of the segment, ≥ 0, higher is worse (Major 5, Minor 1, minor
  punctuation 0.1, non-translation 25, as in Freitag et al. 2021; with several raters, their mean);
* ``mqm_score``: the same as WMT publishes it, ≤ 0 (``mqm_score = −mqm_penalty``);
* ``edited``: ``true``/``false`` from post-editing logs (was the segment changed?).

A file holds one kind of label (MQM or edited). Other keys are ignored: exports carry metadata.

**Label classes.** ``edited`` labels give two classes, *no-edit* and *edited*. MQM labels give four, with cut-offs
that are options (:class:`LabelCuts`): *no-edit* (penalty ≤ 0.1: at most one minor punctuation slip, or one
rater of three marking one), *light* (< 5: minor errors only), *post-edit* (< 25) and *retranslate* (≥ 25).

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
from typing import TYPE_CHECKING, Any, Literal

from tqcheck.errors import ConfigError, InputError
from tqcheck.routing.policy import ROUTES, THRESHOLD_KEYS, Route, RoutePolicy, route_rank, worst

if TYPE_CHECKING:
    from tqcheck.config import Config

LabelKind = Literal["mqm", "edited"]

NO_EDIT, LIGHT, POST_EDIT, RETRANSLATE, EDITED = "no-edit", "light", "post-edit", "retranslate", "edited"
MQM_CLASSES = (NO_EDIT, LIGHT, POST_EDIT, RETRANSLATE)
EDITED_CLASSES = (NO_EDIT, EDITED)

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

_SOURCE_KEYS = ("source", "src")
_TARGET_KEYS = ("target", "mt", "translation")
_LABEL_KEYS = ("mqm_penalty", "mqm_score", "edited")
_EPS = 1e-9  # penalties are means of sums of 0.1s: 0.1 must count as 0.1


class LabelError(InputError):
    """A line of a labels file that cannot be used; the message is ``path:line: problem``."""

    def __init__(self, path: Path | str, line: int, problem: str):
        super().__init__(path, f"line {line}: {problem}", kind="malformed")
        self.line = line
        self.args = (f"{path}:{line}: {problem}",)


# --- labels ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LabelCuts:
    """MQM penalty cut-offs between the label classes (see the module docstring)."""

    no_edit_max: float = 0.1
    light_below: float = 5.0
    post_edit_below: float = 25.0

    def __post_init__(self) -> None:
        if not 0 <= self.no_edit_max < self.light_below <= self.post_edit_below:
            raise ConfigError(f"MQM cut-offs must satisfy 0 ≤ no-edit max ({self.no_edit_max}) < light below "
                              f"({self.light_below}) ≤ post-edit below ({self.post_edit_below})")

    def classify(self, penalty: float) -> str:
        if penalty <= self.no_edit_max + _EPS:
            return NO_EDIT
        if penalty < self.light_below - _EPS:
            return LIGHT
        if penalty < self.post_edit_below - _EPS:
            return POST_EDIT
        return RETRANSLATE

    def describe(self) -> str:
        return (f"no-edit ≤ {self.no_edit_max:g} < light < {self.light_below:g} ≤ post-edit "
                f"< {self.post_edit_below:g} ≤ retranslate")


@dataclass(frozen=True, slots=True)
class LabelledSegment:
    """One line of a labels file."""

    line: int
    id: str | None
    source: str
    target: str
    src_lang: str | None
    tgt_lang: str | None
    penalty: float | None  # MQM penalty ≥ 0 (from mqm_penalty or −mqm_score); None for an edited label
    edited: bool | None
    qe_score: float | None


@dataclass(frozen=True)
class LabelFile:
    path: Path
    kind: LabelKind
    segments: tuple[LabelledSegment, ...]


def read_labels(path: Path | str, *, src_lang: str | None = None, tgt_lang: str | None = None) -> LabelFile:
    """Read and validate a labels file (see the module docstring); ``src_lang``/``tgt_lang`` fill in lines
    that name no language.

    Raises:
        InputError: the file cannot be read; :class:`LabelError` (an InputError) for a line, naming it.
    """
    from tqcheck.readers.paths import primary_lang
    from tqcheck.readers.text import decode_bytes, jsonl_objects, read_bytes

    path = Path(path)
    text, _ = decode_bytes(read_bytes(path), path)
    segments: list[LabelledSegment] = []
    kind: LabelKind | None = None
    kind_line = 0
    for number, obj in jsonl_objects(text):
        if isinstance(obj, str):
            raise LabelError(path, number, obj)

        def fail(problem: str, number: int = number) -> LabelError:
            return LabelError(path, number, problem)

        source = _text_field(obj, _SOURCE_KEYS, fail, required=True)
        target = _text_field(obj, _TARGET_KEYS, fail, required=True)
        if not source or not source.strip():
            raise fail("empty source: a label says how good a translation of its source is")
        given = [key for key in _LABEL_KEYS if key in obj]
        if "mqm" in obj and not given:
            raise fail("'mqm' is ambiguous: name it 'mqm_penalty' (≥ 0, higher is worse) or 'mqm_score' "
                       "(≤ 0, as WMT publishes it)")
        if not given:
            raise fail("no label: give 'mqm_penalty' (≥ 0), 'mqm_score' (≤ 0) or 'edited' (true/false)")
        if len(given) > 1:
            raise fail(f"several labels ({', '.join(map(repr, given))}): give one")
        key = given[0]
        value = obj[key]
        penalty: float | None = None
        edited: bool | None = None
        if key == "edited":
            if not isinstance(value, bool):
                raise fail(f"'edited' must be true or false, found {_json_type(value)}")
            edited = value
        else:
            if not _is_number(value):
                raise fail(f"{key!r} must be a number, found {_json_type(value)}")
            number_value = float(value)
            if key == "mqm_penalty" and number_value < 0:
                raise fail(f"'mqm_penalty' must be ≥ 0 (penalty points), found {value}; a score ≤ 0 is "
                           "'mqm_score'")
            if key == "mqm_score" and number_value > 0:
                raise fail(f"'mqm_score' must be ≤ 0 (WMT's sign: minus the penalty), found {value}; "
                           "penalty points ≥ 0 are 'mqm_penalty'")
            penalty = abs(number_value)
        line_kind: LabelKind = "edited" if key == "edited" else "mqm"
        if kind is None:
            kind, kind_line = line_kind, number
        elif line_kind != kind:
            raise fail(f"{'an edited' if line_kind == 'edited' else 'an MQM'} label, but line {kind_line} has "
                       f"{'an edited' if kind == 'edited' else 'an MQM'} label: use one kind of label per file")
        qe_score = obj.get("qe_score")
        if qe_score is not None and not _is_number(qe_score):
            raise fail(f"'qe_score' must be a finite number, found {_json_type(qe_score)}")
        raw_id = obj.get("id")
        if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, str | int)):
            raise fail(f"'id' must be a string or an integer, found {_json_type(raw_id)}")
        langs = []
        for lang_key in ("src_lang", "tgt_lang", "lp"):
            lang = obj.get(lang_key)
            if lang is not None and not isinstance(lang, str):
                raise fail(f"{lang_key!r} must be a string, found {_json_type(lang)}")
            langs.append(lang)
        src, tgt = primary_lang(langs[0]), primary_lang(langs[1])
        if langs[2]:
            parts = langs[2].split("-")
            if len(parts) != 2 or not primary_lang(parts[0]) or not primary_lang(parts[1]):
                raise fail(f"'lp' must name a pair such as 'zh-de', found {langs[2]!r}")
            src, tgt = src or primary_lang(parts[0]), tgt or primary_lang(parts[1])
        segments.append(LabelledSegment(
            line=number, id=None if raw_id is None else str(raw_id), source=source, target=target or "",
            src_lang=src or primary_lang(src_lang), tgt_lang=tgt or primary_lang(tgt_lang), penalty=penalty,
            edited=edited, qe_score=None if qe_score is None else float(qe_score)))
    if kind is None:
        raise InputError(path, "no segments", kind="empty")
    return LabelFile(path, kind, tuple(segments))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return {str: "a string", int: "a number", float: "a number", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__)


def _text_field(obj: Mapping[str, object], keys: Sequence[str], fail: Callable[[str], LabelError],
                required: bool) -> str | None:
    present = [key for key in keys if key in obj]
    if len(present) > 1:
        raise fail(f"both {present[0]!r} and {present[1]!r} given; keep one")
    if not present:
        if required:
            raise fail(f"no {keys[0]} text: expected one of the keys {', '.join(map(repr, keys))}")
        return None
    value = obj[present[0]]
    if not isinstance(value, str):
        raise fail(f"{present[0]!r} must be a string, found {_json_type(value)}")
    return value


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


def label_class(segment: LabelledSegment, cuts: LabelCuts) -> str:
    if segment.edited is not None:
        return EDITED if segment.edited else NO_EDIT
    assert segment.penalty is not None
    return cuts.classify(segment.penalty)


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
        judged = kind == "mqm" or route == "publish"
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

    def above(u: Unit) -> bool:
        return upper is None or (u.score is not None and u.score >= upper)

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
    if pick.threshold is None:
        value = upper
    else:
        value = _shortest(pick.threshold, pick.below)
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


def split(units: Sequence[Unit], holdout: float, seed: int) -> tuple[list[Unit], list[Unit]]:
    """(calibration, held-out): a seeded random ``holdout`` share of the units held out."""
    if not 0 <= holdout < 1:
        raise ConfigError(f"holdout must be a share in [0, 1), got {holdout}")
    order = list(range(len(units)))
    random.Random(seed).shuffle(order)
    held = round(len(units) * holdout)
    if holdout and (held == 0 or held == len(units)):
        raise ConfigError(f"{len(units)} segments are too few to hold out {holdout:.0%} of them")
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
                lowered = f", lowered from {base[key]:g} to stay ≤ the threshold above" if kept != base[key] else ""
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
                        f"{best.lower_bound:.3f}, {best.segments} segments) at {key} = {value:g}")
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
    if len(pairs) > 1:
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


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _pct(value: float) -> str:
    return f"{100 * value:5.1f} %"


def render_text(cal: Calibration, *, source: str = "") -> str:
    """The text report of ``tqcheck calibrate``."""
    out: list[str] = []
    n = cal.calibration.segments + (cal.holdout.segments if cal.holdout else 0)
    pairs = ", ".join(f"{p} {c}" for p, c in cal.pairs.items())
    labels = (f"MQM penalty ({cal.cuts.describe()})" if cal.kind == "mqm" and cal.cuts
              else "edited / not edited")
    out.append(f"{source or 'labels'}: {n} segments ({pairs}); labels: {labels}")
    if cal.holdout is not None:
        out.append(f"calibration: {cal.calibration.segments} segments; held out: {cal.holdout.segments} "
                   f"({cal.holdout_share:.0%}, seed {cal.seed})")
    scored = f"{cal.scored} of {cal.calibration.segments} calibration segments scored"
    if cal.auc is not None:
        scored += f"; score AUC for no-edit {cal.auc:.3f} (0.5 is chance)"
    out.append(scored)
    out.append("")
    t = cal.targets
    wanted = [f"publish ≥ {t.publish:g}"] + [f"{k} ≥ {t.of(k):g}" for k in ("light_review", "post_edit")
                                             if t.of(k) is not None]
    out.append(f"Targets (precision, at {t.confidence:.0%} confidence): {', '.join(wanted)}")
    if cal.thresholds is not None:
        out.append("Proposed thresholds:" if cal.met else "Thresholds (the targets are NOT met; best reachable):")
        for choice in cal.choices:
            out.append(f"  {choice.key:<13} {choice.value:<9g} {choice.note}")
    out.append("")
    out.append("Calibration data:" if cal.thresholds is not None else "Rule-based routing (no scores):")
    out += _table(cal.calibration, cal.classes)
    if cal.holdout is not None:
        out.append("")
        out.append("Held-out data:")
        out += _table(cal.holdout, cal.classes)
        for key, ok in cal.holdout_met.items():
            stats = cal.holdout.route(KEY_ROUTES[key])
            out.append(f"  {key}: precision {stats.precision:.3f} on held-out data, target {t.of(key):g}: "
                       + ("met" if ok else "NOT met"))
    if cal.vetoes:
        out.append("")
        out.append("Rule findings that keep segments from publish (segments; of which needed an edit):")
        for code, (count, bad) in list(cal.vetoes.items())[:10]:
            out.append(f"  {code:<8} {count:>5}  {bad:>5} ({bad / count:.0%})")
    if cal.messages:
        out.append("")
        out += [f"note: {m}" for m in cal.messages]
    out.append("")
    if cal.snippet is not None:
        out.append("Paste into tqcheck.toml:")
        out.append("")
        out.append(cal.snippet.rstrip("\n"))
    elif cal.thresholds is None:
        out.append("No [routing] snippet: there are no scores to set thresholds for.")
    else:
        out.append("No [routing] snippet: no thresholds meet the targets.")
    return "\n".join(out) + "\n"


def _table(ev: Evaluation, classes: Sequence[str]) -> list[str]:
    head = f"  {'route':<13} {'segments':>8} {'share':>7} {'words':>8} {'share':>7}  " + " ".join(
        f"{c:>11}" for c in classes) + f" {'precision':>9} {'lower':>6}"
    lines = [head]
    for r in ev.routes:
        cells = " ".join(f"{r.labels[c]:>11}" for c in classes)
        precision = f"{r.precision:>9.3f} {r.lower_bound:>6.3f}" if r.precision is not None else f"{'-':>9} {'-':>6}"
        lines.append(f"  {r.route:<13} {r.segments:>8} {_pct(r.segment_share)} {r.words:>8} {_pct(r.word_share)}  "
                     f"{cells} {precision}")
    totals = " ".join(f"{sum(r.labels[c] for r in ev.routes):>11}" for c in classes)
    lines.append(f"  {'total':<13} {ev.segments:>8} {_pct(1.0 if ev.segments else 0.0)} {ev.words:>8} "
                 f"{_pct(1.0 if ev.words else 0.0)}  {totals}")
    return lines


def calibration_dict(cal: Calibration, source: str = "") -> dict[str, Any]:
    """The JSON report of ``tqcheck calibrate``."""
    return {"labels_file": source, **cal.as_dict()}


__all__ = ["EDITED_CLASSES", "ENOUGH", "MQM_CLASSES", "Calibration", "Choice", "Evaluation", "LabelCuts",
           "LabelError", "LabelFile", "LabelledSegment", "RouteStats", "Targets", "Unit", "baseline_thresholds",
           "calibrate", "calibration_dict", "check_segments", "evaluate", "read_labels", "render_text",
           "routing_snippet", "score_auc", "split", "unit_route", "wilson_lower"]
