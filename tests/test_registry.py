"""Meta-tests of the rule registry: codes, names, documentation, and every Bad/Good example."""

from __future__ import annotations

import re

import pytest

from tests.conftest import run_example
from tqcheck.errors import ConfigError
from tqcheck.rules import REGISTRY, REMOVED, resolve, select_rules
from tqcheck.rules.base import CODE_RE, NAME_RE
from tqcheck.spelling import unavailable

RULES = list(REGISTRY.values())
# QE rules need a model to reproduce their examples (tests/test_qe_comet.py covers them); cross-unit rules need a
# bilingual file of several units (tests/test_states.py runs their examples as one).
EXAMPLE_RULES = [r for r in RULES if not r.code.startswith("TQ9") and not r.info.needs_units]
# The spelling rule needs the [spell] extra and the system's dictionaries (always there in CI: tests/conftest.py).
_NEEDS = {"TQ610": (pytest.mark.spelling, pytest.mark.skipif(unavailable("de") is not None,
                                                             reason=f"{unavailable('de')}"))}
EXAMPLE_PARAMS = [pytest.param(r, marks=_NEEDS.get(r.code, ()), id=r.code) for r in EXAMPLE_RULES]
# The fluency family TQ6xx has two modules: repetition (TQ60x) and spelling (TQ61x); the longest prefix wins.
FAMILY_OF_PREFIX = {"TQ1": "lexicon", "TQ2": "untranslated", "TQ3": "terms", "TQ4": "punctuation",
                    "TQ5": "furniture", "TQ6": "repetition", "TQ61": "spelling", "TQ7": "source", "TQ8": "tags",
                    "TQ9": "qe"}


def test_registry_codes_and_names_are_unique_and_well_formed():
    """Codes are TQ + 3 digits, names kebab-case, both unique, none retired."""
    assert len({r.name for r in RULES}) == len(RULES)
    for r in RULES:
        assert CODE_RE.match(r.code) and NAME_RE.match(r.name)
        assert r.code not in REMOVED


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_lives_in_the_family_of_its_code(rule):
    """The code's hundreds digit (for TQ6xx: its tens) names the family module that declares the rule."""
    module = rule.check.__module__.rsplit(".", 1)[-1]
    prefix = max((p for p in FAMILY_OF_PREFIX if rule.code.startswith(p)), key=len)
    assert FAMILY_OF_PREFIX[prefix] == module


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_docstring_has_summary_why_bad_good(rule):
    """Each rule documents why it matters and gives one Bad and one Good example."""
    assert rule.info.summary and rule.info.summary.endswith(".")
    assert rule.field("Why"), f"{rule.code} lacks Why:"
    assert rule.field("Bad"), f"{rule.code} lacks Bad:"
    assert rule.field("Good"), f"{rule.code} lacks Good:"


@pytest.mark.parametrize("rule", EXAMPLE_PARAMS)
def test_rule_fires_on_its_bad_example(rule):
    """The Bad example produces at least one issue of this rule."""
    src, tgt = rule.example_pair
    for bad in rule.field("Bad"):
        result = run_example(bad, src, tgt, select=(rule.code,))
        assert [i for i in result.issues if i.code == rule.code], f"{rule.code} silent on {bad!r}"


@pytest.mark.parametrize("rule", EXAMPLE_PARAMS)
def test_rule_is_silent_on_its_good_example(rule):
    """The Good example produces no issue of this rule, nor of any other (source-aware examples: no note either)."""
    src, tgt = rule.example_pair
    for good in rule.field("Good"):
        result = run_example(good, src, tgt)
        assert [(i.code, i.message) for i in result.issues] == []


@pytest.mark.parametrize(
    ("spec", "codes"),
    [
        ("TQ101", ["TQ101"]),
        ("literal-calque", ["TQ101"]),
        ("tq10", ["TQ101", "TQ102"]),
        ("TQ5", [c for c in REGISTRY if c.startswith("TQ5")]),
    ],
)
def test_resolve_accepts_codes_prefixes_and_names(spec, codes):
    """--select/--ignore take codes, code prefixes (any case) and names."""
    assert [r.code for r in resolve(spec)] == codes


def test_resolve_rejects_unknown_rule_with_hint():
    with pytest.raises(ConfigError, match=r"unknown rule 'TQ999'.*tqcheck rules"):
        resolve("TQ999")


def test_select_then_ignore():
    """Ignore wins over select; an empty selection means every rule."""
    chosen = [r.code for r in select_rules(["TQ1", "TQ5"], ["TQ102", "author-bio"])]
    assert "TQ102" not in chosen and "TQ505" not in chosen
    assert "TQ101" in chosen and all(re.match(r"TQ[15]", c) for c in chosen)
    assert len(select_rules()) == len(REGISTRY)


# --- measured confidence ----------------------------------------------------------------------------------

MIN_FINDINGS_FOR_POLICY = 20
MIN_LIFT = 0.1


def test_rules_that_do_not_beat_chance_default_to_info():
    """The README's policy: a rule with ≥ 20 findings on a measured pair (sentence pairs alone or whole articles)
    and a lift below 0.1 costs nothing."""
    from tqcheck.rules.confidence import measurements
    from tqcheck.types import Severity

    weak = sorted({code for mode in measurements().modes.values() for rows in mode.rules.values()
                   for code, row in rows.items() if row.findings >= MIN_FINDINGS_FOR_POLICY and row.lift < MIN_LIFT})
    assert [c for c in weak if REGISTRY[c].info.severity is not Severity.INFO] == []


def test_measured_figures_name_only_known_rules_and_are_consistent():
    from tqcheck.rules.confidence import measurements

    data = measurements()
    assert set(data.modes) == {"segments", "documents"}
    for mode in data.modes.values():
        assert set(mode.overall) >= {"zh-en", "en-de"}
        assert all(set(rows) <= set(REGISTRY) for rows in mode.rules.values())
        for row in [row for rows in mode.rules.values() for row in rows.values()]:
            assert 0 <= row.confirmed <= row.findings
            assert row.precision == pytest.approx(row.confirmed / row.findings, abs=1e-4)
            assert row.lift == pytest.approx(row.precision - row.chance, abs=2e-4)


def test_issue_confidence_is_the_rules_measured_precision():
    """An issue carries its rule's measured precision (shrunk toward the overall figure when findings are few)."""
    from tqcheck.rules.confidence import SHRINKAGE, measurements, rule_confidence

    result = run_example("Sales on the the platform doubled.", "zh", "en", select=("TQ601",))
    [issue] = result.issues
    assert issue.confidence == rule_confidence("TQ601", "zh", "en")
    data = measurements().segments
    row, overall = data.rules["zh-en"]["TQ601"], data.overall["zh-en"]
    expected = (row.confirmed + SHRINKAGE * overall.confirmed / overall.findings) / (row.findings + SHRINKAGE)
    assert issue.confidence == pytest.approx(expected, abs=1e-3)


def test_confidence_of_an_unmeasured_pair_comes_from_the_same_target_language():
    """zh→de has no development set: a German-target rule is judged by the en→de figures."""
    from tqcheck.rules.confidence import rule_confidence

    assert rule_confidence("TQ405", "zh", "de") == rule_confidence("TQ405", "en", "de")
    assert 0 < rule_confidence("TQ101", "zh", "de") < 1  # never fired on the dev set: the overall figure
