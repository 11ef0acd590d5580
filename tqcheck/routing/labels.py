"""Labels files for calibration: segments with a human verdict, read and validated.

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
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tqcheck.errors import ConfigError, InputError

LabelKind = Literal["mqm", "edited"]

NO_EDIT, LIGHT, POST_EDIT, RETRANSLATE, EDITED = "no-edit", "light", "post-edit", "retranslate", "edited"
MQM_CLASSES = (NO_EDIT, LIGHT, POST_EDIT, RETRANSLATE)
EDITED_CLASSES = (NO_EDIT, EDITED)

_SOURCE_KEYS = ("source", "src")
_TARGET_KEYS = ("target", "mt", "translation")
_LABEL_KEYS = ("mqm_penalty", "mqm_score", "edited")
_EPS = 1e-9  # penalties are means of sums of 0.1s: 0.1 must count as 0.1


class LabelError(InputError):
    """A line of a labels file that cannot be used; the message is ``path: line N: problem``, as for every input."""

    def __init__(self, path: Path | str, line: int, problem: str):
        super().__init__(path, f"line {line}: {problem}", kind="malformed")
        self.line = line


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


def label_class(segment: LabelledSegment, cuts: LabelCuts) -> str:
    if segment.edited is not None:
        return EDITED if segment.edited else NO_EDIT
    assert segment.penalty is not None
    return cuts.classify(segment.penalty)



__all__ = ["EDITED", "EDITED_CLASSES", "LIGHT", "MQM_CLASSES", "NO_EDIT", "POST_EDIT", "RETRANSLATE", "LabelCuts",
           "LabelError", "LabelFile", "LabelKind", "LabelledSegment", "label_class", "read_labels"]
