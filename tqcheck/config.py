"""Run configuration: one frozen dataclass, validated on construction."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from tqcheck.errors import ConfigError
from tqcheck.qe import QEConfig
from tqcheck.qe.models import require_commercial_use
from tqcheck.readers.units import STATES
from tqcheck.routing import RoutingConfig
from tqcheck.scoring import ScoringConfig
from tqcheck.types import Severity

if TYPE_CHECKING:
    from tqcheck.baseline import Baseline
    from tqcheck.suppress import Suppression

ALL_STATES = ("all",)  # Config.states that checks every unit, locked ones included


DEFAULT_MAX_SIZE = 10 * 1024 * 1024  # 10 MiB: some hundred times a long article, checked in well under a minute
_SIZE_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "kib": 1024, "m": 1024 ** 2, "mb": 1024 ** 2,
               "mib": 1024 ** 2, "g": 1024 ** 3, "gb": 1024 ** 3, "gib": 1024 ** 3}


def parse_size(value: str | int) -> int:
    """Bytes of a size written as ``10MB``, ``500k``, ``2 GiB`` or a plain number (binary units: 1 MB = 1,048,576
    bytes, as file managers show sizes); ``0`` means no limit."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise ConfigError(f"invalid size {value!r}: a size is not negative")
        return value
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", str(value))
    unit = match.group(2).lower() if match else None
    if match is None or unit not in _SIZE_UNITS:
        raise ConfigError(f"invalid size {value!r}: write a number with an optional unit, e.g. 10MB, 500KB, 0 "
                          "(no limit)")
    size = float(match.group(1)) * _SIZE_UNITS[unit]
    if not size < 2 ** 63:  # also catches inf: "1e999" has no place in a file size
        raise ConfigError(f"invalid size {value!r}: too large")
    return int(size)


def size_text(size: int) -> str:
    """A size as people read it, in the binary units :func:`parse_size` reads: ``123 KB``, ``1.2 MB``."""
    for unit, factor in (("GB", _SIZE_UNITS["gb"]), ("MB", _SIZE_UNITS["mb"]), ("KB", _SIZE_UNITS["kb"])):
        if size >= factor:
            return f"{size / factor:.1f} {unit}".replace(".0 ", " ")
    return f"{size} bytes"


def parse_severity(value: str | Severity, what: str = "severity") -> Severity:
    try:
        return Severity(str(value).lower())
    except ValueError:
        raise ConfigError(f"invalid {what} {value!r}: one of {', '.join(s.value for s in Severity)}") from None


@dataclass(frozen=True)
class SpellingConfig:
    """The user's words that are never misspellings (TQ610): ``[spelling] words`` and ``words_file``."""

    words: tuple[str, ...] = ()
    words_file: Path | None = None
    file_words: tuple[str, ...] = ()  # the words of ``words_file``, read when the configuration was loaded

    def __post_init__(self) -> None:
        for name in ("words", "file_words"):
            value = getattr(self, name)
            if isinstance(value, str) or not all(isinstance(w, str) for w in value):
                raise ConfigError(f"spelling.{name} must be a list of words")
            object.__setattr__(self, name, tuple(value))
        if self.words_file is not None:
            object.__setattr__(self, "words_file", Path(self.words_file))

    @property
    def casefolded(self) -> frozenset[str]:
        return frozenset(w.casefold() for w in (*self.words, *self.file_words))

    def as_dict(self) -> dict[str, object]:
        return {"words": list(self.words), "words_file": str(self.words_file) if self.words_file else None,
                "file_words": len(self.file_words)}


@dataclass(frozen=True)
class Config:
    """Everything that decides what a check reports; part of the report for reproducibility."""

    src_lang: str | None = None
    tgt_lang: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity_overrides: Mapping[str, Severity] = field(default_factory=dict)
    fail_under: float | None = None  # the passing score; None: the scoring model's own (90 calibrated, 98 raw)
    fail_on: Severity | None = Severity.CRITICAL
    scoring: ScoringConfig = field(default_factory=ScoringConfig)
    routing: RoutingConfig = field(default_factory=RoutingConfig)
    content_type: str | None = None  # selects [routing.content_types.NAME]
    packs: tuple[Path, ...] = ()
    glossary: Path | None = None
    qe: QEConfig | None = None  # None: QE disabled (it never runs unless asked: models are large)
    # Globs for the files found in folders, relative to the folder given: which are checked (empty: every text
    # and bilingual file) and which are not. Files named directly are always checked.
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    config_file: Path | None = None  # the tqcheck.toml / pyproject.toml the values came from, if any
    # Segment states of bilingual units to check (tqcheck.readers.units.STATES); None: all but locked,
    # no-translate, obsolete and 100 % matches; ("all",): every unit.
    states: tuple[str, ...] | None = None
    # Largest document (a text file, a bilingual file, a text in memory as UTF-8) checked, in bytes; larger ones
    # are refused with an error (kind "too-large"). 0: no limit.
    max_size: int = DEFAULT_MAX_SIZE
    # Commercial use: QE refuses a model whose licence does not permit it, or is unknown (tqcheck.qe.models).
    commercial: bool = False
    # False positives that stay fixed (tqcheck.suppress): [[suppress]] entries of the configuration file, and the
    # baseline of findings already known (--baseline); both leave findings out of the issues, counted.
    suppress: tuple[Suppression, ...] = ()
    baseline: Baseline | None = None
    spelling: SpellingConfig = field(default_factory=SpellingConfig)

    def __post_init__(self) -> None:
        for name in ("src_lang", "tgt_lang"):
            value = getattr(self, name)
            if value is not None and not (2 <= len(value) <= 3 and value.isalpha() and value.islower()):
                raise ConfigError(f"{name.replace('_', '-')} must be a lowercase ISO 639 code such as 'de', "
                                  f"got {value!r}")
        if isinstance(self.max_size, str):
            object.__setattr__(self, "max_size", parse_size(self.max_size))
        if isinstance(self.max_size, bool) or not isinstance(self.max_size, int) or self.max_size < 0:
            raise ConfigError(f"max-size must be a size such as '10MB' or 0 (no limit), got {self.max_size!r}")
        if self.fail_under is not None and not 0 <= self.fail_under <= 100:
            raise ConfigError(f"fail-under must be between 0 and 100, got {self.fail_under}")
        self.routing.check_content_type(self.content_type)
        if self.states is not None:
            states = (self.states,) if isinstance(self.states, str) else tuple(self.states)
            unknown = [s for s in states if s not in (*STATES, *ALL_STATES)]
            if unknown or not states or (ALL_STATES[0] in states and len(states) > 1):
                raise ConfigError(f"invalid segment state {', '.join(map(repr, unknown or states))}: one or more of "
                                  f"{', '.join(STATES)}, or 'all' alone")
            object.__setattr__(self, "states", states)
        overrides = {code.upper(): parse_severity(sev, f"severity for {code}")
                     for code, sev in self.severity_overrides.items()}
        object.__setattr__(self, "severity_overrides", MappingProxyType(overrides))
        object.__setattr__(self, "packs", tuple(Path(p) for p in self.packs))
        if self.glossary is not None:
            object.__setattr__(self, "glossary", Path(self.glossary))
        if self.config_file is not None:
            object.__setattr__(self, "config_file", Path(self.config_file))
        object.__setattr__(self, "suppress", tuple(self.suppress))
        for name in ("select", "ignore", "include", "exclude"):
            value = getattr(self, name)
            if isinstance(value, str):  # a lone string would be split into characters
                value = (value,)
            object.__setattr__(self, name, tuple(value))
        if not isinstance(self.commercial, bool):
            raise ConfigError(f"commercial must be true or false, got {self.commercial!r}")
        if self.commercial and self.qe is not None:
            # Here, on construction, so that nothing is loaded (not even torch) for a model that may not be used.
            require_commercial_use(self.qe.model)

    def __reduce__(self) -> tuple[object, ...]:
        # Worker processes receive the config by pickle, and a mappingproxy cannot be pickled.
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["severity_overrides"] = dict(self.severity_overrides)
        return (_rebuild, (values,))

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form, as recorded in reports."""
        return {
            "src_lang": self.src_lang,
            "tgt_lang": self.tgt_lang,
            "select": list(self.select),
            "ignore": list(self.ignore),
            "severity_overrides": {k: v.value for k, v in sorted(self.severity_overrides.items())},
            "fail_under": self.fail_under,
            "fail_on": self.fail_on.value if self.fail_on else None,
            "scoring": self.scoring.as_dict(),
            "routing": self.routing.as_dict(),
            "content_type": self.content_type,
            "packs": [str(p) for p in self.packs],
            "glossary": str(self.glossary) if self.glossary else None,
            "qe": self.qe.as_dict() if self.qe else None,
            "include": list(self.include),
            "exclude": list(self.exclude),
            "config_file": str(self.config_file) if self.config_file else None,
            "states": list(self.states) if self.states is not None else None,
            "max_size": self.max_size,
            "commercial": self.commercial,
            "suppress": [entry.as_dict() for entry in self.suppress],
            "baseline": str(self.baseline.path) if self.baseline is not None else None,
            "spelling": self.spelling.as_dict(),
        }


def _rebuild(values: dict[str, object]) -> Config:
    return Config(**values)  # type: ignore[arg-type]
