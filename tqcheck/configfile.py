"""Configuration files: ``tqcheck.toml`` or ``[tool.tqcheck]`` in ``pyproject.toml``, found by walking up.

Precedence, highest first: options given on the command line, the configuration file, the built-in defaults.
A list given on the command line (``--select``, ``--ignore``, ``--pack``, ``--include``, ``--exclude``) replaces
the file's list; ``--severity CODE=SEV`` and the ``--qe…`` options override the file's ``[severity]`` and
``[qe]`` tables key by key. The loader is strict: an unknown key, a value of the wrong type or invalid TOML is
a :class:`~tqcheck.errors.ConfigError` naming the file and the key (or line), never a value silently dropped.

Relative paths in a file (``packs``, ``glossary``, ``qe.cache_dir``, and ``qe.model`` when it names a local
checkpoint) resolve against the file's folder, so a project's configuration works from any working folder.
"""

from __future__ import annotations

import difflib
import json
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqcheck import regexcache
from tqcheck.config import DEFAULT_MAX_SIZE, Config, SpellingConfig, parse_severity, parse_size
from tqcheck.errors import ConfigError, unknown_key
from tqcheck.qe import DEFAULT_MODEL, QEConfig
from tqcheck.readers.paths import is_dir, is_file
from tqcheck.routing import RoutingConfig
from tqcheck.scoring import ScoringConfig
from tqcheck.spelling import read_word_list
from tqcheck.userfiles import read_user_text

CONFIG_NAME = "tqcheck.toml"
PYPROJECT = "pyproject.toml"

DEFAULT_FORMAT = "text"
DEFAULT_JOBS = 1
DEFAULT_FAIL_ON = "critical"

_Check = Callable[[Any], bool]


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _is_bool(v: Any) -> bool:
    return isinstance(v, bool)


def _is_str_list(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _is_table(v: Any) -> bool:
    return isinstance(v, dict)


# key → (type check, what the type is called in an error message)
KEYS: Mapping[str, tuple[_Check, str]] = {
    "src_lang": (_is_str, "a string"),
    "tgt_lang": (_is_str, "a string"),
    "select": (_is_str_list, "a list of strings"),
    "ignore": (_is_str_list, "a list of strings"),
    "severity": (_is_table, "a table of CODE = \"severity\""),
    "fail_under": (_is_number, "a number"),
    "fail_on": (_is_str, "a string"),
    "packs": (_is_str_list, "a list of strings"),
    "glossary": (_is_str, "a string"),
    "format": (_is_str, "a string"),
    "include": (_is_str_list, "a list of strings"),
    "exclude": (_is_str_list, "a list of strings"),
    "jobs": (_is_int, "an integer"),
    "qe": (_is_table, "a table"),
    "scoring": (_is_table, "a table"),
    "routing": (_is_table, "a table"),
    "content_type": (_is_str, "a string"),
    "states": (_is_str_list, "a list of strings"),
    "max_size": (lambda v: _is_int(v) or _is_str(v), "a size such as \"10MB\" or a number of bytes"),
    "commercial": (_is_bool, "true or false"),
    "suppress": (lambda v: isinstance(v, list), "an array of tables ([[suppress]] entries)"),
    "baseline": (_is_str, "a string (a baseline file written by tqcheck baseline)"),
    "spelling": (_is_table, "a table"),
}
SCORING_KEYS: Mapping[str, tuple[_Check, str]] = {
    "model": (_is_str, "a string"),
    "passing_threshold": (_is_number, "a number"),
    "acceptable_penalty_points": (_is_number, "a number"),
    "reference_word_count": (_is_int, "an integer"),
    "category_weights": (_is_table, "a table of CATEGORY = weight"),
    "characters_per_word": (_is_table, "a table of LANG = characters"),
    "excellent": (_is_number, "a number"),
    "good": (_is_number, "a number"),
}
SPELLING_KEYS: Mapping[str, tuple[_Check, str]] = {
    "words": (_is_str_list, "a list of strings"),
    "words_file": (_is_str, "a string"),
}
QE_KEYS: Mapping[str, tuple[_Check, str]] = {
    "enabled": (_is_bool, "true or false"),
    "model": (_is_str, "a string"),
    "offline": (_is_bool, "true or false"),
    "device": (_is_str, "a string"),
    "batch_size": (_is_int, "an integer"),
    "threshold": (_is_number, "a number"),
    "quantize": (_is_str, "a string"),
    "cache_dir": (_is_str, "a string"),
    "use_cache": (_is_bool, "true or false"),
}


# The starter file of `tqcheck init`: every key, commented out at its default, so that uncommenting one line
# changes one thing. tests/test_config.py loads it as written and with every line uncommented.
STARTER = """\
# tqcheck configuration (every key: README, "Configuration"; options: tqcheck check --help).
# tqcheck finds this file by walking up from the first path it checks. Options given on the command line
# win over the values here. Relative paths are relative to this file's folder.

# Languages (ISO 639-1). Default: from the file names (x.zh.txt, x.de.txt), else detected.
# src_lang = "zh"
# tgt_lang = "de"

# Rules, by code, code prefix or name (`tqcheck rules` lists them). Empty select: every rule.
# select = ["TQ1", "TQ4", "literal-calque"]
# ignore = ["TQ403"]

# Gate (exit status 1): fail a document scoring below fail_under (0-100; default: the scoring model's
# passing threshold, 90 on the calibrated scale), or with an issue of fail_on severity or worse
# ("info", "minor", "major", "critical" or "none").
# fail_under = 90
# fail_on = "critical"

# Content type whose [routing.content_types.NAME] thresholds apply (the command line: --content-type).
# content_type = "marketing"

# Segment states of bilingual units to check (--state): new, mt, draft, translated, reviewed, approved, final,
# locked, fuzzy, obsolete, no-translate, or "all". Default: all but locked, no-translate and 100 % matches.
# states = ["mt", "draft"]

# Largest document checked (--max-size); a larger file is an error, not a run of minutes. 0: no limit.
# max_size = "10MB"

# Extra rule-pack folders and a terminology file (CSV: source,target,forbidden,note; or TBX).
# packs = ["packs"]
# glossary = "glossary.zh-de.csv"

# Report format: "text", "json", "jsonl", "sarif" or "html".
# format = "text"

# Files found in folders: globs relative to the folder given on the command line. A glob without "/"
# matches a file or folder name anywhere; include narrows (default: every text and bilingual file).
# include = ["*.de.txt"]
# exclude = ["drafts", "archive/**"]

# Worker processes (0: one per CPU). QE always runs in one process.
# jobs = 1

# Commercial use (--commercial): refuse QE models whose licence does not permit it or is unknown
# (`tqcheck models` lists the licences). Off: a non-commercial model gets a one-line notice on standard error.
# commercial = false

# Findings that are not errors, each with the reason (README, "Suppressions and baselines"); usually written as
# one [[suppress]] table each, as the HTML report's "Not an error" button copies them. rule is required; text (the
# exact span) or regex (matching all of it), path (a glob relative to this file's folder) and source narrow it.
# suppress = [{rule = "TQ203", text = "Double Eleven", path = "*.de.txt", reason = "the client's campaign name"}]

# Findings already known (written by `tqcheck baseline FILE PATHS...`): only new findings are reported and gate.
# baseline = "tqcheck-baseline.json"

[severity]
# Override a rule's default severity: CODE = "info" | "minor" | "major" | "critical".
# TQ403 = "info"

[scoring]
# The MQM scoring model (README, "Scores, bands and the gate"). score = 100 - NPT x (100 - PT) / APP, where NPT is
# the penalty points per 1,000 words (minor 1, major 5, critical 25; words of the source where there is one).
# model = "calibrated"                  # or "raw": 100 x (1 - penalty points per word)
# passing_threshold = 90                # PT: the score of a text with exactly APP points per 1,000 words
# acceptable_penalty_points = 20        # APP per reference_word_count words
# reference_word_count = 1000
# excellent = 98                        # lower edges of the bands; "acceptable" starts at the gate's threshold
# good = 95

[scoring.category_weights]
# Error type weights by category or dimension (default 1), e.g. accuracy = 2, "fluency/punctuation" = 0.5

[scoring.characters_per_word]
# Languages counted in characters (defaults: zh = 1.5, ja = 2.5, th = 4)

[routing]
# Routes per segment and document: publish, light-review, post-edit, retranslate (README, "Routing").
# QE score thresholds (defaults per QE model family; CometKiwi shown): at or above publish -> publish, ...
# A threshold you leave out moves to keep publish >= light_review >= post_edit.
# publish = 0.80
# light_review = 0.65
# post_edit = 0.35                      # below: retranslate
# The least route a rule finding (by severity), an omitted sentence or a failed gate allows:
# minor = "light-review"
# major = "post-edit"
# critical = "retranslate"
# omitted = "post-edit"                 # a source sentence left untranslated
# added = "light-review"                # a target sentence with no source sentence (no QE score)
# failed_document = "post-edit"
# retranslate_share = 0.5               # a document goes to retranslate when this share of its words does

# Per language pair, per content type, and per content type and pair (each overrides the keys it sets):
# [routing.pairs."zh-de"]
# publish = 0.85

# [routing.content_types.marketing]
# major = "light-review"

# [routing.content_types.marketing.pairs."zh-de"]
# publish = 0.9

[qe]
# Reference-free quality estimation (needs the [qe] extra). `model` alone does not turn it on.
# enabled = false
# model = "Unbabel/wmt22-cometkiwi-da"   # hub name, or a local checkpoint such as "models/kiwi"
# offline = false                       # local files only, never the network
# device = "auto"                       # "auto", "cpu" or "cuda"
# batch_size = 8
# threshold = 0.65                      # pass mark; default per model family
# quantize = "bf16"                     # CPU: "bf16" (as the README recommends) or "int8"; default: none
# cache_dir = ".tqcheck-cache"          # score cache; default: the user cache folder
# use_cache = true

[spelling]
# Words the spelling check (TQ610, needs the [spell] extra) never reports: house names, product names, jargon.
# words = ["Tqcheck", "Mini-Programm"]
# words_file = "words.txt"              # one word per line, # comments
"""


@dataclass(frozen=True)
class Settings:
    """What a run uses: the :class:`Config` (part of the report) plus how to run and render it."""

    config: Config
    format: str = DEFAULT_FORMAT
    jobs: int = DEFAULT_JOBS


def find_config(start: Path | str) -> Path | None:
    """The first ``tqcheck.toml``, or ``pyproject.toml`` with a ``[tool.tqcheck]`` table, from ``start`` up.

    ``start`` is a folder, or a file whose folder is the first one searched. In one folder ``tqcheck.toml``
    wins over ``pyproject.toml``; a ``pyproject.toml`` without the table is passed over (one that does not
    mention ``[tool.tqcheck`` is not even parsed, so another project's broken file cannot break a run).

    The search has a boundary: it ends after the first repository root (a folder holding ``.git``, ``.hg`` or
    ``.svn``) or the user's home folder, and before any world-writable folder (``/tmp``, a shared drop
    folder): anybody could have put a configuration there that silences every rule.

    Raises:
        ConfigError: a ``pyproject.toml`` on the way that has a ``[tool.tqcheck]`` table is not valid TOML.
    """
    start = Path(start).resolve()
    folder = start if is_dir(start) else start.parent
    home = _home()
    for candidate in (folder, *folder.parents):
        if _world_writable(candidate):
            return None
        config = candidate / CONFIG_NAME
        if is_file(config):
            return config
        pyproject = candidate / PYPROJECT
        if is_file(pyproject) and _mentions_tqcheck(pyproject):
            tool = _read_toml(pyproject).get("tool")
            if isinstance(tool, dict) and "tqcheck" in tool:
                return pyproject
        if candidate == home or any((candidate / marker).exists() for marker in _REPOSITORY_MARKERS):
            return None
    return None


_REPOSITORY_MARKERS = (".git", ".hg", ".svn")


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):  # no HOME and no passwd entry (some containers)
        return None


def _world_writable(folder: Path) -> bool:
    try:
        return bool(folder.stat().st_mode & stat.S_IWOTH)
    except OSError:
        return False


def _mentions_tqcheck(pyproject: Path) -> bool:
    try:
        return re.search(rb"\[\s*tool\s*\.\s*[\"']?tqcheck", pyproject.read_bytes()) is not None
    except OSError:
        return False


def load_config_file(path: Path | str) -> dict[str, Any]:
    """The validated values of a configuration file, keyed as in the file; relative paths made absolute.

    Lists become tuples; ``packs``, ``glossary`` and ``qe.cache_dir`` become :class:`~pathlib.Path`.

    Raises:
        ConfigError: the file cannot be read, is not valid TOML, or has an unknown key or a wrong value.
    """
    path = Path(path)
    data = _read_toml(path)
    where = str(path)
    if path.name == PYPROJECT:
        tool = data.get("tool")
        table = tool.get("tqcheck") if isinstance(tool, dict) else None
        if table is None:
            raise ConfigError(f"{where}: no [tool.tqcheck] table")
        where = f"{path} [tool.tqcheck]"
        data = table
        if not isinstance(data, dict):
            raise ConfigError(f"{where}: must be a table")
    return _validate(data, where, path.resolve().parent)


def merge(file_values: Mapping[str, Any], cli_values: Mapping[str, Any], *,
          config_file: Path | None = None) -> Settings:
    """Combine a file's values and the command line's (only the options the user gave), the latter winning.

    Both mappings use the file's keys (``fail_under``, ``severity``, ``qe`` …) with values as
    :func:`load_config_file` returns them. ``severity`` and ``qe`` merge key by key; every other key is replaced.
    QE runs when ``qe.enabled`` is true in the result (``--qe-model`` on the command line implies it).
    """
    values = {**file_values, **{k: v for k, v in cli_values.items() if k not in ("severity", "qe", "scoring")}}
    severity = {**file_values.get("severity", {}), **cli_values.get("severity", {})}
    scoring = ScoringConfig(**{**file_values.get("scoring", {}), **cli_values.get("scoring", {})})
    routing = values.get("routing", RoutingConfig())
    qe_values = {**file_values.get("qe", {}), **cli_values.get("qe", {})}
    qe = None
    if qe_values.pop("enabled", False):
        qe = QEConfig(model=qe_values.pop("model", DEFAULT_MODEL), **qe_values)
    fail_on = values.get("fail_on", DEFAULT_FAIL_ON)
    config = Config(
        src_lang=values.get("src_lang"), tgt_lang=values.get("tgt_lang"),
        select=tuple(values.get("select", ())), ignore=tuple(values.get("ignore", ())),
        severity_overrides=severity, fail_under=values.get("fail_under"),
        fail_on=None if fail_on == "none" else parse_severity(fail_on, "fail_on"),
        packs=tuple(values.get("packs", ())), glossary=values.get("glossary"), qe=qe,
        include=tuple(values.get("include", ())), exclude=tuple(values.get("exclude", ())),
        config_file=config_file, scoring=scoring, routing=routing, content_type=values.get("content_type"),
        states=tuple(values["states"]) if values.get("states") is not None else None,
        max_size=values.get("max_size", DEFAULT_MAX_SIZE), commercial=values.get("commercial", False),
        suppress=tuple(values.get("suppress", ())), baseline=_baseline(values.get("baseline")),
        spelling=SpellingConfig(**values.get("spelling", {})),
    )
    return Settings(config, values.get("format", DEFAULT_FORMAT), values.get("jobs", DEFAULT_JOBS))


def _baseline(path: Path | None) -> Any:
    """The baseline file read, once per version of it: the service merges its settings for every request."""
    if path is None:
        return None
    from tqcheck.baseline import load_baseline

    try:
        st = path.stat()
        key: tuple[object, ...] = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    except OSError:
        return load_baseline(path)  # says what is wrong with it
    if key not in _BASELINES:
        _BASELINES.clear()  # the latest version of each file is all a process needs
        _BASELINES[key] = load_baseline(path)
    return _BASELINES[key]


_BASELINES: dict[tuple[object, ...], Any] = {}


def resolve_settings(start: Path | str, *, config_file: Path | str | None = None, use_files: bool = True,
                     cli_values: Mapping[str, Any] | None = None) -> Settings:
    """Find (unless ``use_files`` is false) or take ``config_file``, load it, and merge ``cli_values`` over it.

    This is what ``tqcheck check`` does; library callers can use it to honour a project's ``tqcheck.toml``.
    """
    found = Path(config_file) if config_file is not None else find_config(start) if use_files else None
    file_values = load_config_file(found) if found is not None else {}
    return merge(file_values, cli_values or {}, config_file=found)


# --- validation ------------------------------------------------------------------------------------------

_TOML_POSITION = regexcache.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # here: most runs have no configuration file, and the import is some 5 ms

    text = read_user_text(path, "configuration file")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        position = _TOML_POSITION.search(message)
        if position is None:
            raise ConfigError(f"{path}: invalid TOML: {message}") from None
        line, column = position.groups()
        raise ConfigError(f"{path}:{line}: invalid TOML: {message[:position.start()]} (column {column})") from None


def _shown(value: Any) -> str:
    """A value as it would be written in TOML-ish JSON: ``"two"``, ``[1, 2]``, ``true``."""
    return json.dumps(value, ensure_ascii=False, default=str)


def _typed(where: str, data: Mapping[str, Any], keys: Mapping[str, tuple[_Check, str]], prefix: str = "") -> None:
    for key, value in data.items():
        if key not in keys:
            raise unknown_key(where, key, keys, prefix)
        check, what = keys[key]
        if not check(value):
            raise ConfigError(f"{where}: '{prefix}{key}' must be {what}, got {_shown(value)}")


def _validate(data: Mapping[str, Any], where: str, base: Path) -> dict[str, Any]:
    _typed(where, data, KEYS)
    values: dict[str, Any] = {}

    def config_check(key: str, **kwargs: Any) -> None:
        """Let Config validate one value, so the file and the command line obey the same rules."""
        try:
            Config(**kwargs)
        except ConfigError as err:
            raise ConfigError(f"{where}: '{key}': {err}") from None

    for key, value in data.items():
        if key in ("src_lang", "tgt_lang"):
            config_check(key, **{key: value})
            values[key] = value
        elif key in ("select", "ignore"):
            from tqcheck.rules import select_rules  # the registry: only when a file selects rules

            try:
                select_rules(value if key == "select" else (), value if key == "ignore" else ())
            except ConfigError as err:
                raise ConfigError(f"{where}: '{key}': {err}") from None
            values[key] = tuple(value)
        elif key in ("include", "exclude"):
            values[key] = tuple(value)
        elif key == "severity":
            from tqcheck.rules import REGISTRY

            severity = {}
            for code, level in value.items():
                if code.upper() not in REGISTRY:
                    close = difflib.get_close_matches(code.upper(), list(REGISTRY), n=1)
                    hint = f" (did you mean '{close[0]}'?)" if close else " (see: tqcheck rules)"
                    raise ConfigError(f"{where}: 'severity.{code}': unknown rule code{hint}")
                if not isinstance(level, str):
                    raise ConfigError(f"{where}: 'severity.{code}' must be a string, got {_shown(level)}")
                try:
                    parse_severity(level, f"severity for {code}")
                except ConfigError as err:
                    raise ConfigError(f"{where}: 'severity.{code}': {err}") from None
                severity[code] = level
            values[key] = severity
        elif key == "fail_under":
            config_check(key, fail_under=float(value))
            values[key] = float(value)
        elif key == "fail_on":
            if value != "none":
                try:
                    parse_severity(value, "fail_on")
                except ConfigError as err:
                    raise ConfigError(f"{where}: 'fail_on': {err} or none") from None
            values[key] = value
        elif key == "packs":
            packs = tuple(_path(base, p) for p in value)
            for pack in packs:
                if not pack.is_dir():
                    raise ConfigError(f"{where}: 'packs': no such folder {pack}")
            values[key] = packs
        elif key == "glossary":
            glossary = _path(base, value)
            if not glossary.is_file():
                raise ConfigError(f"{where}: 'glossary': no such file {glossary}")
            values[key] = glossary
        elif key == "format":
            from tqcheck.reports import FORMATS

            if value not in FORMATS:
                raise ConfigError(f"{where}: 'format' must be one of {', '.join(FORMATS)}, got {_shown(value)}")
            values[key] = value
        elif key == "jobs":
            if value < 0:
                raise ConfigError(f"{where}: 'jobs' must be 0 (one per CPU) or more, got {value}")
            values[key] = value
        elif key == "qe":
            values[key] = _validate_qe(value, where, base)
        elif key == "scoring":
            _typed(where, value, SCORING_KEYS, "scoring.")
            try:
                ScoringConfig(**value)
            except ConfigError as err:
                raise ConfigError(f"{where}: [scoring]: {err}") from None
            values[key] = dict(value)
        elif key == "routing":
            values[key] = _routing(value, where)
        elif key == "content_type":
            values[key] = value
        elif key == "states":
            config_check(key, states=tuple(value))
            values[key] = tuple(value)
        elif key == "max_size":
            config_check(key, max_size=value)
            values[key] = parse_size(value)
        elif key == "commercial":
            values[key] = value
        elif key == "suppress":
            from tqcheck.suppress import parse_suppressions

            values[key] = parse_suppressions(value, where, base)
        elif key == "baseline":
            values[key] = _path(base, value)  # read when the run starts (merge): `tqcheck baseline` writes it
        elif key == "spelling":
            values[key] = _validate_spelling(value, where, base)
    if "content_type" in values:
        config_check("content_type", content_type=values["content_type"],
                     routing=values.get("routing", RoutingConfig()))
    return values


def _routing(data: Mapping[str, Any], where: str) -> RoutingConfig:
    table = {k: v for k, v in data.items() if k not in ("pairs", "content_types")}
    pairs, content_types = data.get("pairs", {}), data.get("content_types", {})
    for name, value in (("pairs", pairs), ("content_types", content_types)):
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            raise ConfigError(f"{where}: 'routing.{name}' must be a table of tables")
    try:
        return RoutingConfig(table, pairs, content_types)
    except ConfigError as err:
        raise ConfigError(f"{where}: {err}") from None


def _validate_qe(data: Mapping[str, Any], where: str, base: Path) -> dict[str, Any]:
    _typed(where, data, QE_KEYS, "qe.")
    values = dict(data)
    if "cache_dir" in values:
        values["cache_dir"] = _path(base, values["cache_dir"])
    if "model" in values and _looks_local(base, values["model"]):
        values["model"] = str(_path(base, values["model"]))
    if "threshold" in values:
        values["threshold"] = float(values["threshold"])
    try:
        QEConfig(**{k: v for k, v in values.items() if k != "enabled"})
    except ConfigError as err:
        raise ConfigError(f"{where}: [qe]: {err}") from None
    return values


def _validate_spelling(data: Mapping[str, Any], where: str, base: Path) -> dict[str, Any]:
    _typed(where, data, SPELLING_KEYS, "spelling.")
    values: dict[str, Any] = {"words": tuple(data.get("words", ()))}
    for word in values["words"]:
        if not word.strip() or any(ch.isspace() for ch in word):
            raise ConfigError(f"{where}: 'spelling.words': one word per entry, found {_shown(word)}")
    if "words_file" in data:
        path = _path(base, data["words_file"])
        try:
            values["file_words"] = read_word_list(path)
        except ConfigError as err:
            raise ConfigError(f"{where}: 'spelling.words_file': {err}") from None
        values["words_file"] = path
    return values


def _path(base: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


def _looks_local(base: Path, model: str) -> bool:
    """A checkpoint path rather than a hub name (``Unbabel/wmt22-cometkiwi-da`` looks like a relative path too)."""
    return model.startswith(("./", "../", "~", "/", ".\\", "..\\")) or (base / model).exists()


__all__ = ["CONFIG_NAME", "KEYS", "QE_KEYS", "SCORING_KEYS", "SPELLING_KEYS", "STARTER", "Settings", "find_config",
           "load_config_file", "merge", "resolve_settings"]
