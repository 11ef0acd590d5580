"""The units every bilingual reader produces, their segment states, and which of them a run checks.

Segment states are normalised to one vocabulary (:data:`STATES`) whatever tool wrote the file; the raw
value stays in ``state_detail``. The mapping, per format:

===================  ==========================================================================================
state                read from
===================  ==========================================================================================
``new``              XLIFF 1.2 ``new``/``needs-translation``; XLIFF 2 ``initial``; sdl no ``conf``; memoQ
                     ``NotStarted``; Phrase unconfirmed without origin; PO entry with an empty ``msgstr``
``mt``               XLIFF 1.2 ``state-qualifier="mt-suggestion"``; sdl ``origin`` mt/nmt/adaptive-mt while not
                     confirmed; memoQ ``MachineTranslated``; Phrase ``m:trans-origin="mt"`` while unconfirmed
``draft``            XLIFF 1.2 ``needs-review-*``; sdl ``Draft``/``RejectedTranslation``; memoQ ``Editing``,
                     ``PartiallyEdited``, ``Pretranslated``, ``AssembledFromFragments``, ``Rejected``
``fuzzy``            XLIFF 1.2 ``needs-adaptation``/``needs-l10n``; PO ``#, fuzzy``
``translated``       XLIFF 1.2/2 ``translated``; sdl ``Translated``; memoQ ``ManuallyConfirmed``; Phrase
                     ``m:confirmed="1"``; PO entry with a ``msgstr`` and no fuzzy flag
``reviewed``         XLIFF 2 ``reviewed``; sdl ``ApprovedTranslation``/``RejectedSignOff``; memoQ
                     ``Reviewer1Confirmed``; Phrase ``m:confirmed`` 2 or more (a later workflow step)
``approved``         XLIFF 1.2 ``signed-off`` or ``approved="yes"``; sdl ``ApprovedSignOff``; memoQ
                     ``Reviewer2Confirmed``
``final``            XLIFF 1.2/2 ``final``
``locked``           sdl ``locked="true"``; memoQ ``mq:locked="locked"``; Phrase ``m:locked="true"``; Wordfast
                     ``gs4tr:locked="true"`` (locked wins over every other state)
``obsolete``         PO ``#~`` entries (never made into units: counted in ``BilingualFile.skipped``)
``no-translate``     ``translate="no"`` on the unit or on an enclosing group/file (XLIFF 1.2 and 2)
===================  ==========================================================================================

A state the table does not name (``x-…`` values, unknown tool statuses) leaves ``state`` ``None`` and keeps
the raw value in ``state_detail``; JSONL, TSV and TMX record no state at all.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tqcheck.errors import InputError
from tqcheck.types import InlineCode

__all__ = ["FORMATS", "STATES", "BilingualFile", "BilingualUnit", "select_units"]

FORMATS = ("jsonl", "tsv", "xliff-1.2", "xliff-2", "tmx", "sdlxliff", "mqxliff", "mxliff", "txlf", "po")
STATES = ("new", "mt", "draft", "translated", "reviewed", "approved", "final", "locked", "fuzzy", "obsolete",
          "no-translate")
# What select_units leaves out by default: text the translator may not or need not touch, and exact
# (100 %) or context (101 %+) matches, which were checked when they entered the translation memory.
DEFAULT_SKIP = ("locked", "no-translate", "obsolete")
FULL_MATCH = 100


@dataclass(frozen=True, slots=True)
class BilingualUnit:
    """One translation unit: a source text, its translation and maybe a human reference.

    ``target`` is ``""`` for an untranslated unit (the pipeline reports it); ``source`` and ``reference``
    are ``None`` where the file has none. ``line`` is the 1-based line where the unit starts in the file.

    Inline codes of XLIFF/TMX stand in the texts as markers (``<1>``, ``</1>``, ``<2/>``) and are listed in
    ``source_codes``/``target_codes`` in text order, matched across the two sides by ``id``. ``state`` is one
    of :data:`STATES` (or ``None``: not recorded or not known), ``state_detail`` the raw value it came from,
    ``match`` the translation-memory match percentage where the file records one.
    """

    id: str
    source: str | None
    target: str
    reference: str | None
    line: int | None
    source_codes: tuple[InlineCode, ...] = ()
    target_codes: tuple[InlineCode, ...] = ()
    state: str | None = None
    state_detail: str | None = None
    match: int | None = None
    # (offset, file line, file column) anchors of the target text: see tqcheck.types.UnitInfo.positions.
    target_positions: tuple[tuple[int, int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class BilingualFile:
    """A bilingual file's units and the language pair it declares (primary subtags, e.g. ``zh``, ``de``).

    ``skipped`` counts entries the reader made no unit of, by reason (``obsolete`` PO entries).
    """

    path: Path
    format: str  # one of FORMATS
    src_lang: str | None
    tgt_lang: str | None
    units: tuple[BilingualUnit, ...]
    skipped: Mapping[str, int] = field(default_factory=dict)
    encoding: str = "utf-8"  # as declared (XML) or detected (text formats)


def select_units(units: Iterable[BilingualUnit],
                 states: Collection[str] | None = None) -> tuple[list[BilingualUnit], dict[str, int]]:
    """The units to check, and how many were left out for each reason.

    With ``states`` ``None`` (the default) every unit is checked except locked, no-translate and obsolete
    ones (reason: the state) and those recorded as a 100 % or context match (reason ``match-100``).
    With ``states`` given, exactly the units in one of those states are checked (reason for the others:
    ``state:<state>``, ``state:none`` for units without a recorded state); match values are not looked at.

    Raises:
        ValueError: a state not in :data:`STATES`.
    """
    if states is not None:
        unknown = sorted(set(states) - set(STATES))
        if unknown:
            raise ValueError(f"unknown segment state {', '.join(map(repr, unknown))}; "
                             f"expected one of {', '.join(STATES)}")
    kept: list[BilingualUnit] = []
    skipped: dict[str, int] = {}
    for unit in units:
        reason = _skip_reason(unit, states)
        if reason is None:
            kept.append(unit)
        else:
            skipped[reason] = skipped.get(reason, 0) + 1
    return kept, skipped


def _skip_reason(unit: BilingualUnit, states: Collection[str] | None) -> str | None:
    if states is not None:
        return None if unit.state in states else f"state:{unit.state or 'none'}"
    if unit.state in DEFAULT_SKIP:
        return unit.state
    if unit.match is not None and unit.match >= FULL_MATCH:
        return "match-100"
    return None


# --- helpers shared by the readers ---------------------------------------------------------------------


def malformed(path: Path, line: int | None, problem: str) -> InputError:
    return InputError(path, f"line {line}: {problem}" if line else problem, kind="malformed")


def finish(path: Path, fmt: str, src: str | None, tgt: str | None, units: list[BilingualUnit],
           skipped: Mapping[str, int] | None = None, encoding: str = "utf-8") -> BilingualFile:
    """Check that unit ids are unique (callers key results by them) and build the file."""
    first: dict[str, int | None] = {}
    for unit in units:
        if unit.id in first:
            raise malformed(path, unit.line, f"duplicate unit id {unit.id!r} (first on line {first[unit.id]})")
        first[unit.id] = unit.line
    return BilingualFile(path, fmt, src, tgt, tuple(units), dict(skipped or {}), encoding)


def make_unit(uid: str, source: str | None, target: str | None, reference: str | None, line: int,
              **extra: object) -> BilingualUnit | None:
    """A unit, or ``None`` when it has neither source nor target text (nothing to check)."""
    if not source and not target:
        return None
    # An empty source or reference is no source or reference; an empty target is an untranslated unit.
    return BilingualUnit(uid, source or None, target or "", reference or None, line, **extra)  # type: ignore[arg-type]
