"""Check one bilingual file (XLIFF, TMX, PO, JSONL, TSV…) as one document of units.

Each checked unit is a :func:`tqcheck.pipeline.check` of its source and target, compared with the file's other
units (the cross-unit consistency rules); the file is then scored, judged and routed as a whole, as a CAT tool's
QA run judges a file: one score and one verdict for its words, not one per two-word unit.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tqcheck import scoring
from tqcheck.config import ALL_STATES, Config
from tqcheck.pipeline import LANG_SAMPLE_CHARS, check, qe_route_policy, short_text_notes, source_warnings
from tqcheck.qe import document_score
from tqcheck.routing import route_file
from tqcheck.rules import Rule
from tqcheck.types import Document, DocumentResult, FileResult, QESummary, UnitInfo

if TYPE_CHECKING:
    from tqcheck.readers.units import BilingualUnit

__all__ = ["assemble_file", "check_file"]


def check_file(path: Path | str, config: Config, rules: Sequence[Rule]) -> FileResult:
    """Read a bilingual file, check the units the state selection keeps, and judge the file.

    Units left out (locked, 100 % matches, other states than ``config.states``…) are counted in
    ``skipped`` and said in a note; a file with none left says why nothing was checked.

    Raises:
        InputError: the file cannot be read (see :func:`tqcheck.readers.bilingual.read_bilingual`).
    """
    # Imported here: the XML and PO readers are only needed when a bilingual file is checked (fast --help).
    from tqcheck.readers.bilingual import read_bilingual
    from tqcheck.readers.units import select_units

    path = Path(path)
    bilingual = read_bilingual(path, src_lang=config.src_lang, tgt_lang=config.tgt_lang)
    unit_config = dataclasses.replace(config, src_lang=config.src_lang or bilingual.src_lang,
                                      tgt_lang=config.tgt_lang or bilingual.tgt_lang)
    if config.states == ALL_STATES:
        units, skipped = list(bilingual.units), {}
    else:
        units, skipped = select_units(bilingual.units, config.states)
    skipped = {**skipped, **{f"{reason} (not read)": n for reason, n in bilingual.skipped.items()}}
    unit_count = len(bilingual.units) + sum(bilingual.skipped.values())
    notes = []
    if skipped:
        notes.append(_skipped_note(skipped, unit_count, config.states))
    if not units:
        notes.append("no unit of this file was checked" if skipped else "the file has no units to check")
    # Every checked unit is compared with the file's other units (consistency in both directions).
    siblings = tuple((u.id, u.source or "", u.target) for u in units)
    _look_up_words(units, unit_config)
    results = []
    for unit in units:
        info = UnitInfo(unit.line, unit.state, unit.state_detail, unit.match, unit.target_positions)
        target = Document(unit.target, unit_config.tgt_lang, path, unit=unit.id, codes=unit.target_codes,
                          unit_info=info)
        source = (Document(unit.source, unit_config.src_lang, path, unit=unit.id, codes=unit.source_codes)
                  if unit.source else None)
        reference = Document(unit.reference, unit_config.tgt_lang, path, unit=unit.id) if unit.reference else None
        results.append(check(target, source, reference=reference, config=unit_config, rules=rules,
                             siblings=siblings))
    notes += _language_notes(results)
    return assemble_file(unit_config, path, bilingual.format, results, unit_count=unit_count,
                         skipped=skipped, notes=notes, encoding=bilingual.encoding)


def _look_up_words(units: Sequence[BilingualUnit], config: Config) -> None:
    """The aligner's dictionary lookups for every word of the file's units, made in a few batched queries before
    the units are checked one by one (each would otherwise query its own few new words). The answers are
    remembered per process: what each unit's alignment then finds is the same."""
    from tqcheck.align.words import tokens_of

    if config.src_lang and config.tgt_lang and any(u.source for u in units):
        tokens_of([u.source for u in units if u.source], config.src_lang, config.tgt_lang)
        tokens_of([u.target for u in units if u.target], config.tgt_lang, config.src_lang)


def assemble_file(config: Config, path: Path, fmt: str, units: Sequence[DocumentResult], *, unit_count: int,
                  skipped: Mapping[str, int] | None = None, notes: Sequence[str] = (),
                  encoding: str = "utf-8") -> FileResult:
    """Score, judge and route a bilingual file from its checked units.

    The scorecard adds up the units' penalty points and evaluation words (each unit counted as MQM counts a
    document: its source words where it has a source), so the file's score is what one document of all its
    units would score; the gate judges that and the file's issues; the route follows from the units' routed
    segments. QE's file score is the word-weighted mean of the units' scores.
    """
    units, shared = _hoist_shared_notes(units)
    notes = [*notes, *shared]
    src_lang = next((u.src_lang for u in units if u.src_lang), config.src_lang)
    tgt_lang = next((u.target.lang for u in units if u.target.lang), config.tgt_lang)
    sizes = [_counted_size(u, config) for u in units]
    basis = "source" if units and all(u.scorecard.ewc_basis == "source" for u in units) else "target"
    unit_kind = sizes[0].unit if sizes else "words"
    size = scoring.TextSize(sum(s.count for s in sizes), unit_kind, sum(s.words for s in sizes))
    apt = sum(u.scorecard.apt for u in units)
    card = scoring.scorecard(apt, size, basis, config.scoring)
    issues = [issue for u in units for issue in u.issues]
    gate = scoring.judge(card, issues, scoring=config.scoring, fail_under=config.fail_under,
                         fail_on=config.fail_on)
    qe = _file_qe(units)
    policy = qe_route_policy(config, src_lang, tgt_lang, qe.status == "ok")
    routing = route_file([u.routing for u in units], policy, config.content_type, gate.verdict == "fail")
    packs = tuple(dict.fromkeys(fingerprint for u in units for fingerprint in u.packs))
    return FileResult(
        path=path, format=fmt, src_lang=src_lang, tgt_lang=tgt_lang, units=tuple(units), unit_count=unit_count,
        skipped=dict(skipped or {}), scorecard=card, gate=gate, routing=routing, qe=qe,
        word_count=sum(u.word_count for u in units), word_unit=units[0].word_unit if units else "words",
        encoding=encoding, packs=packs, notes=(*notes, *short_text_notes(card, config)),
    )


def _language_notes(units: Sequence[DocumentResult]) -> list[str]:
    """Whether the file's sources read as the declared source language (or swapped with the targets), judged
    once on the units' texts together: a unit of three words says nothing, and one detection per unit was most of
    the time of a sentence-level file."""
    with_source = [u for u in units if u.source is not None and u.source.text.strip()]
    if not with_source:
        return []
    sample = LANG_SAMPLE_CHARS
    source_text = _joined((u.source.text for u in with_source), sample)  # type: ignore[union-attr]
    target_text = _joined((u.target.text for u in with_source), sample)
    first = with_source[0]
    return source_warnings(Document(source_text, first.src_lang), Document(target_text, first.target.lang),
                           first.src_lang, first.target.lang)


def _joined(texts: Iterable[str], limit: int) -> str:
    parts, size = [], 0
    for text in texts:
        parts.append(text)
        size += len(text) + 1
        if size >= limit:
            break
    return "\n".join(parts)


def _hoist_shared_notes(units: Sequence[DocumentResult]) -> tuple[list[DocumentResult], list[str]]:
    """Notes that several units have (an unknown source language, a missing dictionary) said once for the file,
    with how many units they concern when not all; a note of one unit stays with it."""
    counts = Counter(note for u in units for note in dict.fromkeys(u.notes))
    shared = {note: n for note, n in counts.items() if n >= 2}
    if not shared:
        return list(units), []
    hoisted = [note if n == len(units) else f"{note} ({n} of {len(units)} units)" for note, n in shared.items()]
    return [dataclasses.replace(u, notes=tuple(n for n in u.notes if n not in shared)) for u in units], hoisted


def _counted_size(unit: DocumentResult, config: Config) -> scoring.TextSize:
    """The words MQM counted for a unit (source or target, as its scorecard says), before any rounding."""
    counted = unit.source if unit.scorecard.ewc_basis == "source" and unit.source is not None else unit.target
    return scoring.text_size(counted.text, counted.lang, config.scoring.characters_per_word)


def _file_qe(units: Sequence[DocumentResult]) -> QESummary:
    scored = [u for u in units if u.qe.status == "ok"]
    if scored:
        score = document_score((u.qe.score, u.word_count) for u in scored if u.qe.score is not None)
        return QESummary("ok", scored[0].qe.model, score, license=scored[0].qe.license)
    first = next((u.qe for u in units if u.qe.status == "unavailable"), None)
    return first or QESummary("disabled")


def _skipped_note(skipped: Mapping[str, int], total: int, states: tuple[str, ...] | None) -> str:
    count = sum(skipped.values())
    reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])))
    how = "--state all checks every unit" if states is None else "--state chooses which states are checked"
    return f"{count} of {total} units of this file not checked ({reasons}); {how}"
