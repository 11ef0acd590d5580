"""Units of measurement after a number, and conversion between the units of one dimension.

A translation may convert a measurement for its readers: 100 feet ≈ 30 Meter, 10 miles ≈ 16 km,
70 °F ≈ 21 °C, 375 pounds ≈ 170 kg. Such a translation is correct when the value converts, allowing for the
rounding translators apply (:data:`CONVERSION_TOLERANCE`). The units are data (``data/units.tsv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from tqcheck import regexcache
from tqcheck.numbers import lexicon
from tqcheck.numbers.common import NOT_LETTER_AHEAD, SP, alternation

# A converted value is rounded by the translator ("6,000 feet" → "rund 1.800 Meter" is 1.6 % off,
# "10 miles" → "16 km" 0.6 %); 6 % covers rounding to two significant digits.
CONVERSION_TOLERANCE = Decimal("0.06")


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    dimension: str
    factor: Decimal
    offset: Decimal


@cache
def units() -> dict[str, Unit]:
    return {row[0]: Unit(row[0], row[1], Decimal(row[2]), Decimal(row[3])) for row in lexicon.rows("units.tsv")}


@cache
def unit_names(lang: str) -> dict[str, str]:
    """Words and symbols naming a unit in ``lang`` (plus the language-neutral symbols) → unit id."""
    names: dict[str, str] = {}
    for row in lexicon.rows("units.tsv"):
        for entry in row[4].split("|"):
            where, _, name = entry.partition(":")
            if where in (lang, "any"):
                names[name] = row[0]
    return names


@cache
def unit_re(lang: str) -> re.Pattern[str]:
    """A unit right after a number: Chinese ones touch it, Latin words take one optional space."""
    names = unit_names(lang)
    if lang == "zh":
        return regexcache.compile(rf"(?P<unit>{alternation(names)})")
    return regexcache.compile(rf"{SP}?(?P<unit>{alternation(names)})(?:(?<=[^\w])|{NOT_LETTER_AHEAD})")


@cache
def first_chars(lang: str) -> frozenset[str]:
    """The characters a unit name of ``lang`` starts with (unit_re is case-sensitive)."""
    return frozenset(name[0] for name in unit_names(lang))


def to_base(value: Decimal, unit_id: str) -> Decimal:
    unit = units()[unit_id]
    return value * unit.factor + unit.offset


def dimension(unit_id: str | None) -> str | None:
    return units()[unit_id].dimension if unit_id else None


def converts(a: Decimal, unit_a: str, b: Decimal, unit_b: str) -> bool:
    """Whether ``a`` in ``unit_a`` and ``b`` in ``unit_b`` are one measurement (same dimension, rounded)."""
    if dimension(unit_a) != dimension(unit_b):
        return False
    base_a, base_b = to_base(a, unit_a), to_base(b, unit_b)
    if units()[unit_a].dimension == "temperature":
        # tolerance in degrees Celsius: 70 °F = 21.1 °C, "about 20 °C" is still the same weather
        return abs(base_a - base_b) <= Decimal("1.5")
    scale = max(abs(base_a), abs(base_b))
    return abs(base_a - base_b) <= CONVERSION_TOLERANCE * scale
