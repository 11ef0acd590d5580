"""What number extraction produces: mentions, the comparison of two texts' mentions, formatting problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from tqcheck.types import Span

NumberKind = Literal["number", "percent", "year", "money", "date", "ordinal", "decade"]
DateParts = tuple[int | None, int | None, int | None]


@dataclass(frozen=True, slots=True)
class NumberMention:
    """One number-like expression in a text.

    ``value`` is the magnitude after applying scale words (2.17亿 → 217000000). For a date it is
    ``year*10000 + month*100 + day`` with absent parts as 0 (11月11日 → 1111), and ``parts`` holds
    ``(year, month, day)`` with ``None`` for the absent ones. ``unit`` is "%" or "pp" (percentage points)
    for percentages and an ISO 4217 code for money. ``precision`` is the value of one step in the last
    digit shown (2.17亿 → 1000000; 1.500 → 1), which bounds the rounding a translation may apply.
    ``spelled`` marks numbers written in words: German/English number words (zwei, twenty-one), Chinese
    numerals (两, 三十) and month names standing alone ("im Mai").

    The rest qualifies the value:

    * ``approx``: the text states the quantity only roughly (数十亿 "several billion", 500余万 "over five
      million", 上千 "a thousand or more"); an unmatched approximation is not reported.
    * ``bounds``: the values the mention stands for: an interval for an approximation, the two ends of a
      colloquial range (一万六七千 = 16,000 to 17,000), which may be rendered as two numbers.
    * ``measure``: the unit of measurement written after the number (an id of ``data/units.tsv``: "mi",
      "km", "degF" …), not part of the span; values in different units of one dimension are converted.
    * ``clock``: the number is an hour of the day: "24h" when the hour is unambiguous (13:30, 9 Uhr,
      1.30pm → 13), "12h" when it may be either half of the day (9:28, 3点).
    * ``alt_value``: the value under the other convention for "," and "." ("20,000" in German reads 20,
      in English 20000): a translation that matches the source only this way has a separator problem.
    """

    span: Span
    value: Decimal
    kind: NumberKind
    unit: str | None
    raw: str
    precision: Decimal = Decimal(1)
    parts: DateParts | None = None
    spelled: bool = False
    approx: bool = False
    bounds: tuple[Decimal, Decimal] | None = None
    measure: str | None = None
    clock: Literal["24h", "12h"] | None = None
    alt_value: Decimal | None = None


@dataclass(frozen=True, slots=True)
class NumberDiff:
    """How the numbers of a source and its translation correspond.

    ``ignored`` holds unmatched mentions too uncertain to report (see :func:`~tqcheck.numbers.compare.soft`):
    small spelled-out numbers ("beide" for 双方), approximations, month names alone. ``misread`` pairs a
    source mention with a target mention that matches it only when read with the other language's
    separators ("20,000" in a German text for the source's 20,000).
    """

    missing: list[NumberMention]
    added: list[NumberMention]
    matched: list[tuple[NumberMention, NumberMention]]
    ignored: list[NumberMention] = field(default_factory=list)
    misread: list[tuple[NumberMention, NumberMention]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.added and not self.misread


@dataclass(frozen=True, slots=True)
class FormatProblem:
    """A number written against the target language's conventions.

    ``suggestion`` is the corrected text for ``span`` (machine-applicable, e.g. "1,5"); ``message`` says
    what is wrong and why. ``kind`` is one of "decimal-separator", "grouping-separator", "percent-space",
    "currency-position", "time-space" ("1.30Uhr"), "ordinal-space" ("16.Dezember").
    """

    span: Span
    message: str
    suggestion: str
    kind: str = "format"


@dataclass(frozen=True, slots=True)
class Parsed:
    """The numeric core of a mention before its context (scale, unit, currency) is read."""

    value: Decimal
    precision: Decimal
    group: str | None = None  # grouping mark used, if any
    decimal: str | None = None  # decimal mark used, if any
    bounds: tuple[Decimal, Decimal] | None = None
    approx: bool = False
