"""The rule registry: every family's ``RULES``, checked for unique, never-reused codes and names.

A new family is one module with a ``RULES`` tuple and one line in ``FAMILIES``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tqcheck.errors import ConfigError
from tqcheck.rules import (
    furniture,
    lexicon,
    punctuation,
    qe,
    repetition,
    source,
    spelling,
    tags,
    terms,
    untranslated,
)
from tqcheck.rules.base import CheckContext, Finding, Rule, rule

FAMILIES = (lexicon, untranslated, terms, punctuation, furniture, repetition, spelling, source, tags, qe)

# Codes that once existed: never reuse them for something else (ruff's "removed" rules, pylint's old_names).
REMOVED: Mapping[str, str] = {}


def _build_registry(families: Iterable[object]) -> dict[str, Rule]:
    registry: dict[str, Rule] = {}
    names: set[str] = set()
    for family in families:
        for item in family.RULES:  # type: ignore[attr-defined]
            if item.code in registry or item.code in REMOVED:
                raise RuntimeError(f"rule code {item.code} is used twice or was retired")
            if item.name in names:
                raise RuntimeError(f"rule name {item.name} is used twice")
            registry[item.code] = item
            names.add(item.name)
    return dict(sorted(registry.items()))


REGISTRY: dict[str, Rule] = _build_registry(FAMILIES)
_BY_NAME = {r.name: r for r in REGISTRY.values()}


def resolve(spec: str) -> list[Rule]:
    """Rules meant by a code (``TQ101``), a code prefix (``TQ1``, ``TQ10``) or a name (``literal-calque``)."""
    key = spec.strip()
    if key in _BY_NAME:
        return [_BY_NAME[key]]
    upper = key.upper()
    if upper in REMOVED:
        raise ConfigError(f"rule {upper} was removed: {REMOVED[upper]}")
    matched = [r for code, r in REGISTRY.items() if code.startswith(upper)] if upper.startswith("TQ") else []
    if not matched:
        raise ConfigError(f"unknown rule {spec!r}: give a code (TQ101), a code prefix (TQ1) or a name "
                          f"(literal-calque); `tqcheck rules` lists them")
    return matched


def select_rules(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> tuple[Rule, ...]:
    """The rules to run: all (or those ``select``-ed) minus those ``ignore``-d."""
    select = [s for s in select if s.strip()]
    chosen = {r.code for spec in select for r in resolve(spec)} if select else set(REGISTRY)
    chosen -= {r.code for spec in ignore if spec.strip() for r in resolve(spec)}
    return tuple(REGISTRY[c] for c in sorted(chosen))


__all__ = ["FAMILIES", "REGISTRY", "REMOVED", "CheckContext", "Finding", "Rule", "resolve", "rule", "select_rules"]
