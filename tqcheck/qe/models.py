"""The table of known QE models (``models.toml``) and what a model's licence allows.

The table is data: hub name, family, licence, gated, reference-free, error spans, input limit, parameters, and
per family the score range, TQ901 bands and routing thresholds (:mod:`tqcheck.qe` builds its defaults from it).
A hub name's licence comes from the table (nothing is downloaded to find out); a local checkpoint's from the
licence files in its folder or the model folder above it (a hub snapshot keeps ``checkpoints/model.ckpt`` under
the model folder, next to ``LICENSE`` and ``README.md``); anything else is "unknown". Commercial mode refuses
every licence that does not permit commercial use, unknown ones included.

Stdlib only, and nothing here imports torch or comet: ``tqcheck models`` and the commercial check run before
any model loads.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from tqcheck.errors import ConfigError

Commercial = Literal["yes", "no", "unknown"]
UNKNOWN = "unknown"
# Files read for a licence, in each folder searched. README.md counts only through its front matter's `license:`.
LICENSE_FILES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "README.md")
_CHECKPOINT = "model.ckpt"
# Reading stops here: a licence text is a few dozen kilobytes, and a folder may hold anything under these names.
_MAX_LICENSE_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class Family:
    """A COMET model class and tqcheck's defaults for its scores."""

    name: str
    class_identifier: str | None
    name_pattern: str | None
    score_range: str
    spans: bool
    bands: Mapping[str, float]      # ScoreBands fields: minor_below, major_below, critical_below
    routing: Mapping[str, float]    # publish, light_review, post_edit


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """One row of the table."""

    name: str
    family: str
    license: str
    gated: bool
    reference_free: bool
    spans: bool
    input_limit: int
    parameters: int  # millions
    notes: str
    sources: tuple[str, ...]

    @property
    def commercial(self) -> Commercial:
        return license_commercial(self.license)

    def memory_gb(self, bytes_per_parameter: int) -> float:
        """The weights' size in GB (10⁹ bytes) at ``bytes_per_parameter`` (4: fp32, 2: bf16)."""
        return self.parameters * 1e6 * bytes_per_parameter / 1e9


@dataclass(frozen=True, slots=True)
class License:
    """A model's licence as tqcheck knows it.

    ``id`` is an SPDX id ("Apache-2.0", "CC-BY-NC-SA-4.0") or "unknown"; ``commercial`` says whether it permits
    commercial use ("unknown" for an unknown licence); ``source`` where it was read: "the table of known models",
    a file path, or why nothing was found.
    """

    id: str
    commercial: Commercial
    source: str


@dataclass(frozen=True, slots=True)
class _LicenseKind:
    id: str
    commercial: bool
    aliases: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Table:
    default: str
    commercial_default: str
    families: Mapping[str, Family]
    licenses: Mapping[str, _LicenseKind]
    models: tuple[ModelInfo, ...]


@functools.lru_cache(maxsize=1)
def table() -> Table:
    """The parsed ``models.toml``: read once per process, and the parse kept in the cache folder while the file and
    this module are unchanged (importing tomllib and parsing were some 8 ms of every fresh run, QE or not)."""
    from tqcheck.datacache import cached_by_content

    text = resources.files("tqcheck.qe").joinpath("models.toml").read_text("utf-8")
    return cached_by_content("qe-models", Path(__file__).with_name("models.toml"), text.encode(), (__file__,),
                             lambda: _parsed_table(text))


def _parsed_table(text: str) -> Table:
    import tomllib

    data: dict[str, Any] = tomllib.loads(text)
    families = {name: Family(name, f.get("class_identifier"), f.get("name_pattern"), f["score_range"], f["spans"],
                             dict(f["bands"]), dict(f["routing"]))
                for name, f in data["families"].items()}
    licenses = {lid: _LicenseKind(lid, bool(v["commercial"]), tuple(v["aliases"]),
                                  tuple(tuple(group) for group in v["phrases"]))
                for lid, v in data["licenses"].items()}
    models = tuple(ModelInfo(m["name"], m["family"], m["license"], m["gated"], m["reference_free"], m["spans"],
                             m["input_limit"], m["parameters"], " ".join(m["notes"].split()), tuple(m["sources"]))
                   for m in data["models"])
    return Table(data["default"], data["commercial_default"], families, licenses, models)


def families() -> Mapping[str, Family]:
    return table().families


def known_models() -> tuple[ModelInfo, ...]:
    return table().models


def lookup(name: str) -> ModelInfo | None:
    """The table's row for hub (or legacy) name ``name``; hub names are matched regardless of case."""
    folded = name.strip().casefold()
    return next((m for m in table().models if m.name.casefold() == folded), None)


def license_commercial(license_id: str) -> Commercial:
    """Whether the licence ``license_id`` (an SPDX id of the table) permits commercial use."""
    kind = table().licenses.get(license_id)
    if kind is None:
        return "unknown"
    return "yes" if kind.commercial else "no"


# --- local checkpoints ----------------------------------------------------------------------------------------

def is_checkpoint_path(model: str) -> bool:
    """A local checkpoint (file or model folder) rather than a hub name such as ``Unbabel/XCOMET-XL``."""
    if model.endswith(".ckpt") or model.startswith(("/", "./", "../", "~", ".\\", "..\\")):
        return True
    if len(model) > 1 and model[1] == ":":  # Windows drive letter
        return True
    return Path(model).expanduser().exists()


def _licence_folders(model: str) -> list[Path]:
    """The folders whose licence files speak for checkpoint ``model``: the checkpoint's own, then the one above."""
    path = Path(model).expanduser()
    if path.is_dir():
        checkpoint = next((c for c in (path / "checkpoints" / _CHECKPOINT, path / _CHECKPOINT) if c.is_file()), None)
        return [checkpoint.parent, checkpoint.parent.parent] if checkpoint is not None else [path]
    return [path.parent, path.parent.parent]


def _normalized(text: str) -> str:
    return " ".join(text.casefold().split())


def _front_matter_license(text: str) -> str | None:
    """``license:`` of a model card's YAML front matter (None without front matter or key)."""
    match = re.match(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(\r?\n|\Z)", text, re.S)
    if match is None:
        return None
    found = re.search(r"^license:[ \t]*['\"]?([^'\"\r\n#]*?)['\"]?[ \t]*(#.*)?$", match.group(1), re.M)
    return found.group(1).strip() if found else None


def _by_alias(value: str) -> str | None:
    folded = _normalized(value)
    return next((k.id for k in table().licenses.values()
                 if folded == k.id.casefold() or folded in k.aliases), None)


def _by_text(text: str) -> str | None:
    normalized = _normalized(text)
    for kind in table().licenses.values():
        if any(all(phrase in normalized for phrase in group) for group in kind.phrases):
            # A permissive licence's text that also speaks of non-commercial use is not the plain licence.
            if kind.commercial and ("noncommercial" in normalized or "non-commercial" in normalized):
                return None
            return kind.id
    return None


def _file_verdict(path: Path) -> str | None:
    """The licence id a file declares, "unknown" for a licence file tqcheck cannot read or recognise, None for a
    README.md that declares no licence (a model card need not)."""
    try:
        with path.open("rb") as fh:
            text = fh.read(_MAX_LICENSE_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return UNKNOWN
    if path.name == "README.md":
        declared = _front_matter_license(text)
        if declared is None:
            return None
        return _by_alias(declared) or UNKNOWN
    return _by_text(text) or _by_alias(text.strip()) or UNKNOWN


_RESTRICTION = {"no": 2, "unknown": 1, "yes": 0}


def _checkpoint_license(model: str) -> License:
    if not Path(model).exists():
        return License(UNKNOWN, "unknown", f"{model}: no such checkpoint file or folder")
    folders = list(dict.fromkeys(_licence_folders(model)))
    files = []
    for folder in folders:
        for name in LICENSE_FILES:
            try:
                stat = (folder / name).stat()
            except OSError:
                continue
            files.append((str(folder / name), stat.st_mtime_ns, stat.st_size))
    # Keyed by the files' identities: a batch asks once per document, and a licence file added later counts.
    return _licence_from_files(tuple(str(f) for f in folders), tuple(files))


@functools.lru_cache(maxsize=64)
def _licence_from_files(folders: tuple[str, ...], files: tuple[tuple[str, int, int], ...]) -> License:
    found: list[tuple[str, Path]] = []
    for name, _mtime, _size in files:
        path = Path(name)
        if path.is_file():
            verdict = _file_verdict(path)
            if verdict is not None:
                found.append((verdict, path))
    if not found:
        return License(UNKNOWN, "unknown", f"no licence file ({', '.join(LICENSE_FILES)}) in {' or '.join(folders)}")
    # Files that disagree: the most restrictive one speaks (a README saying apache-2.0 next to a CC BY-NC text).
    verdict, path = max(found, key=lambda vp: _RESTRICTION[license_commercial(vp[0])])
    if verdict == UNKNOWN:
        return License(UNKNOWN, "unknown", f"{path}: unreadable, or not a licence tqcheck recognises")
    return License(verdict, license_commercial(verdict), str(path))


def license_of(model: str) -> License:
    """The licence of ``model``: a hub name from the table, a local checkpoint from its folder, else unknown."""
    if is_checkpoint_path(model):
        return _checkpoint_license(str(Path(model).expanduser().resolve()))
    info = lookup(model)
    if info is None:
        return License(UNKNOWN, "unknown", f"{model!r} is not in tqcheck's table of known models")
    return License(info.license, info.commercial, "the table of known models")


# --- commercial mode and the notice ---------------------------------------------------------------------------

class LicenseRefused(ConfigError):
    """Commercial mode and a model whose licence does not (or may not) permit commercial use."""

    def __init__(self, model: str, license: License) -> None:
        self.model = model
        self.license = license
        alternative = lookup(table().commercial_default)
        assert alternative is not None  # tests/test_qe_models.py checks the table
        if license.commercial == "no":
            why = f"its licence, {license.id}, does not permit commercial use"
        else:
            why = f"its licence is unknown ({license.source})"
        super().__init__(f"commercial mode (commercial = true or --commercial) refuses QE model {model!r}: {why}. "
                         f"Use a model whose licence permits commercial use, e.g. --qe-model {alternative.name} "
                         f"({alternative.license}); `tqcheck models` lists the licences")


def require_commercial_use(model: str) -> License:
    """The licence of ``model`` if it permits commercial use.

    Raises:
        LicenseRefused: it does not, or it is unknown.
    """
    license = license_of(model)
    if license.commercial != "yes":
        raise LicenseRefused(model, license)
    return license


_NOTICED: set[str] = set()


def notice_once(model: str) -> str | None:
    """A one-line notice the first time in this process that ``model``, whose licence does not permit commercial
    use, is used; None otherwise (a caller prints it where it belongs: stderr, never a report)."""
    license = license_of(model)
    if license.commercial != "no" or model in _NOTICED:
        return None
    _NOTICED.add(model)
    alternative = table().commercial_default
    return (f"QE model {model} is licensed {license.id}, which does not permit commercial use; for commercial "
            f"work use a model such as {alternative} (`tqcheck models`), and set commercial = true to enforce it")


__all__ = ["LICENSE_FILES", "Family", "License", "LicenseRefused", "ModelInfo", "families", "is_checkpoint_path",
           "known_models", "license_commercial", "license_of", "lookup", "notice_once", "require_commercial_use",
           "table"]
