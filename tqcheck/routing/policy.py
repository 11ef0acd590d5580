"""Routing policies: which QE scores and which rule findings send a segment to which route.

A policy is resolved per document from, lowest precedence first: the QE model family's defaults
(:data:`tqcheck.qe.FAMILY_ROUTE_THRESHOLDS`), the ``[routing]`` table, ``[routing.pairs."zh-de"]``,
``[routing.content_types.NAME]`` and ``[routing.content_types.NAME.pairs."zh-de"]``; each level overrides the
keys it sets. The same keys are valid at every level (:data:`POLICY_KEYS`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from tqcheck.errors import ConfigError, unknown_key
from tqcheck.types import Severity

Route = Literal["publish", "light-review", "post-edit", "retranslate"]
# In order of escalation: a later route never gives way to an earlier one.
ROUTES: tuple[Route, ...] = ("publish", "light-review", "post-edit", "retranslate")

THRESHOLD_KEYS = ("publish", "light_review", "post_edit")
ESCALATION_KEYS = ("minor", "major", "critical", "omitted", "added", "failed_document")
POLICY_KEYS = (*THRESHOLD_KEYS, *ESCALATION_KEYS, "retranslate_share")

# What a rule finding, an omitted or added sentence, or a failed gate does to a route by default: a major finding
# vetoes "publish" and asks for a post-edit, a critical one asks for a new translation, a minor one for a look.
# A target sentence the aligner found no source for has no QE score and may be a hallucination (or a split
# sentence): someone looks at it.
DEFAULT_ESCALATION: Mapping[str, Route] = {
    "minor": "light-review", "major": "post-edit", "critical": "retranslate", "omitted": "post-edit",
    "added": "light-review", "failed_document": "post-edit",
}
# A document goes to "retranslate" when at least this share of its words does.
DEFAULT_RETRANSLATE_SHARE = 0.5


def route_rank(route: Route) -> int:
    return ROUTES.index(route)


def worst(*routes: Route) -> Route:
    return max(routes, key=route_rank)


@dataclass(frozen=True, slots=True)
class RoutePolicy:
    """A resolved policy: QE thresholds (None when QE did not run) and the escalations."""

    publish: float | None
    light_review: float | None
    post_edit: float | None
    minor: Route
    major: Route
    critical: Route
    omitted: Route
    added: Route
    failed_document: Route
    retranslate_share: float

    def qe_route(self, score: float) -> Route:
        """The route of a QE score: publish, light-review, post-edit at or above each threshold, else retranslate."""
        assert self.publish is not None and self.light_review is not None and self.post_edit is not None
        if score >= self.publish:
            return "publish"
        if score >= self.light_review:
            return "light-review"
        if score >= self.post_edit:
            return "post-edit"
        return "retranslate"

    def finding_route(self, severity: Severity) -> Route:
        """The least route a rule finding of ``severity`` allows (info: any)."""
        if severity is Severity.INFO:
            return "publish"
        return {Severity.MINOR: self.minor, Severity.MAJOR: self.major, Severity.CRITICAL: self.critical}[severity]

    def as_dict(self) -> dict[str, object]:
        return {"publish": self.publish, "light_review": self.light_review, "post_edit": self.post_edit,
                "minor": self.minor, "major": self.major, "critical": self.critical, "omitted": self.omitted,
                "added": self.added, "failed_document": self.failed_document,
                "retranslate_share": self.retranslate_share}


def _frozen(table: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType({k: (_frozen(v) if isinstance(v, Mapping) else v) for k, v in table.items()})


def _thawed(table: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (_thawed(v) if isinstance(v, Mapping) else v) for k, v in table.items()}


@dataclass(frozen=True)
class RoutingConfig:
    """The ``[routing]`` configuration as written: a base table, per-pair tables and per-content-type tables.

    ``table`` holds the policy keys of ``[routing]``; ``pairs`` maps ``"zh-de"`` to a table of policy keys;
    ``content_types`` maps a name to a table of policy keys plus an optional ``pairs`` table of its own.
    Validated on construction, so a wrong key fails before any document is checked.
    """

    table: Mapping[str, Any] = field(default_factory=dict)
    pairs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    content_types: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_table(self.table, "[routing]")
        for pair, table in self.pairs.items():
            _check_pair(pair, "[routing.pairs]")
            _check_table(table, f"[routing.pairs.{pair}]")
        for name, table in self.content_types.items():
            where = f"[routing.content_types.{name}]"
            _check_table({k: v for k, v in table.items() if k != "pairs"}, where)
            pairs = table.get("pairs", {})
            if not isinstance(pairs, Mapping):
                raise ConfigError(f"{where}: 'pairs' must be a table of language pairs")
            for pair, sub in pairs.items():
                _check_pair(pair, f"{where} pairs")
                _check_table(sub, f"[routing.content_types.{name}.pairs.{pair}]")
        for name in ("table", "pairs", "content_types"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def __reduce__(self) -> tuple[object, ...]:
        return (RoutingConfig, (_thawed(self.table), _thawed(self.pairs), _thawed(self.content_types)))

    def check_content_type(self, content_type: str | None) -> None:
        """Raise unless ``content_type`` is None or has a ``[routing.content_types.NAME]`` table."""
        if content_type is not None and content_type not in self.content_types:
            known = ", ".join(sorted(self.content_types)) or "none configured"
            raise ConfigError(f"content type {content_type!r} has no [routing.content_types.{content_type}] table "
                              f"(known: {known})")

    def resolve(self, src_lang: str | None, tgt_lang: str | None, content_type: str | None,
                qe_defaults: Mapping[str, float] | None) -> RoutePolicy:
        """The policy of one document: defaults, then each configured level that applies, in precedence order.

        ``qe_defaults`` are the QE model family's thresholds, or None when QE did not run (the thresholds are then
        None whatever the configuration says: there is no score to compare).
        """
        values: dict[str, Any] = {**DEFAULT_ESCALATION, "retranslate_share": DEFAULT_RETRANSLATE_SHARE}
        values.update(qe_defaults or {})
        pair = f"{src_lang or '?'}-{tgt_lang or '?'}"
        levels: list[Mapping[str, Any]] = [self.table, self.pairs.get(pair, {})]
        if content_type is not None:
            self.check_content_type(content_type)
            typed = self.content_types[content_type]
            levels += [{k: v for k, v in typed.items() if k != "pairs"}, typed.get("pairs", {}).get(pair, {})]
        explicit: set[str] = set()
        for level in levels:
            values.update(level)
            explicit |= set(level) & set(THRESHOLD_KEYS)
        if qe_defaults is None:
            values.update(publish=None, light_review=None, post_edit=None)
        else:
            where = pair + (f" ({content_type})" if content_type else "")
            _keep_order(values, explicit, where)
        return RoutePolicy(**values)

    def as_dict(self) -> dict[str, object]:
        return {"table": _thawed(self.table), "pairs": _thawed(self.pairs),
                "content_types": _thawed(self.content_types)}


def _keep_order(values: dict[str, Any], explicit: set[str], where: str) -> None:
    """Make publish ≥ light_review ≥ post_edit: a threshold the configuration does not set moves to the one it
    crosses (``publish = 0.6`` under CometKiwi's light_review 0.65 makes light_review 0.6: no light-review band);
    two configured thresholds that cross are an error."""
    for high, low in (("publish", "light_review"), ("light_review", "post_edit"), ("publish", "post_edit")):
        if values[high] >= values[low]:
            continue
        if high in explicit and low in explicit:
            raise ConfigError(f"routing thresholds for {where} must not increase: {high} {values[high]} ≥ "
                              f"{low} {values[low]}")
        if low in explicit:
            values[high] = values[low]
        else:
            values[low] = values[high]


def _check_pair(pair: str, where: str) -> None:
    src, sep, tgt = pair.partition("-")
    if not sep or not (src.isalpha() and src.islower() and tgt.isalpha() and tgt.islower()):
        raise ConfigError(f"{where}: {pair!r} is not a language pair such as \"zh-de\"")


def _check_table(table: Mapping[str, Any], where: str) -> None:
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: must be a table")
    for key, value in table.items():
        if key not in POLICY_KEYS:
            raise unknown_key(where, key, POLICY_KEYS)
        if key in THRESHOLD_KEYS:
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ConfigError(f"{where}: '{key}' must be a number (a QE score), got {value!r}")
        elif key == "retranslate_share":
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
                raise ConfigError(f"{where}: 'retranslate_share' must be a number in (0, 1], got {value!r}")
        elif value not in ROUTES:
            raise ConfigError(f"{where}: '{key}' must be one of {', '.join(ROUTES)}, got {value!r}")
    given = [key for key in THRESHOLD_KEYS if key in table]
    for high, low in itertools.pairwise(given):
        if table[high] < table[low]:
            raise ConfigError(f"{where}: thresholds must not increase: {high} {table[high]} ≥ {low} {table[low]}")
