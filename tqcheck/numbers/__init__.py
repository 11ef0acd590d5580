"""Numbers, dates, percentages and money in Chinese, German and English text, and whether they survive MT.

Why this package exists: a wrong or dropped figure is the costliest error a machine translation can make in
a business article (2.17亿 rendered as "2,17 Milliarden" is off by a factor of ten), and string comparison
cannot see it, because every language writes the same value differently (2.17亿 = 217 Millionen =
217 million = 0,217 Mrd.). So every mention is reduced to a :class:`~decimal.Decimal` value plus a kind,
and the two sides are compared as multisets of values.

Three functions, all pure:

* :func:`extract_numbers` finds mentions; each one's ``span`` is a code-point range into the untouched text
  and ``text[span.start:span.end] == raw``.
* :func:`compare_numbers` matches source mentions to target mentions and reports what is missing or added.
* :func:`check_format` reports target-language formatting slips (decimal point in German, "30%" in German,
  "€5" in German, "30 %" in English ...).

Where things are: :mod:`.zh` (Chinese numerals, words that contain them, approximations), :mod:`.de`
(German number words, dates, ordinals), :mod:`.en` (English), :mod:`.dates` (month names), :mod:`.units`
(units of measurement and conversion), :mod:`.extract` (the pass over a text), :mod:`.compare` (matching),
:mod:`.format` (conventions), :mod:`.links` (numbers across an alignment); the word lists are data files in ``data/``.

Decisions worth knowing (each one trades recall for fewer false alarms):

* Values are unsigned magnitudes: "下降5%" becomes "-5 %" or "fell 5 %" legitimately, and ranges like
  "2019-2020" must not turn into negative numbers. Direction words are a lexical matter for other rules.
* Fractions (三分之一, one third) and US-style m/d/y dates are not interpreted. Times (10:30, 10.30 Uhr,
  1.30pm, 9点28分) become their hour and minute as plain numbers, the hour marked as a clock hour.
* In a range the first end takes the unit and scale written once after the second ("0,6 bis 1,5 Prozent",
  "2至3亿元", "200 to 300 million"), but only when the two are joined directly (bis, und, -, 至 ...).
* ``$`` is read as USD and ``¥``/``￥`` as CNY: this tool checks zh↔de/en news, where that is the usual
  meaning.
* URLs, e-mail addresses, anonymisation placeholders ("[NAME_1]"), hashtags and handles are tokens, never
  numbers.
"""

from __future__ import annotations

from tqcheck.numbers.compare import compare_numbers
from tqcheck.numbers.extract import extract_numbers
from tqcheck.numbers.format import check_format
from tqcheck.numbers.links import compare_links, pair_changes, vague_spans
from tqcheck.numbers.model import FormatProblem, NumberDiff, NumberKind, NumberMention

__all__ = [
    "FormatProblem",
    "NumberDiff",
    "NumberKind",
    "NumberMention",
    "check_format",
    "compare_links",
    "compare_numbers",
    "extract_numbers",
    "pair_changes",
    "vague_spans",
]
