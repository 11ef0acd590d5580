"""The command line: parse options, call the library, render, map outcomes to exit statuses. No logic."""

from __future__ import annotations

import gc
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from tqcheck import __version__
from tqcheck.clihelp import SectionedCommand
from tqcheck.display import error_line, terminal_safe

if TYPE_CHECKING:
    from tqcheck.config import Config
    from tqcheck.readers.pairing import PairSpec
    from tqcheck.types import DocumentResult, FileError, Report


class ExitStatus(IntEnum):
    PASSED = 0
    GATE_FAILED = 1
    USAGE_OR_INPUT_ERROR = 2
    INTERNAL_ERROR = 3
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _overrides(values: tuple[str, ...]) -> dict[str, str]:
    result = {}
    for value in _split(values):
        code, sep, severity = value.partition("=")
        if not sep:
            raise click.BadParameter(f"{value!r}: expected CODE=SEVERITY, e.g. TQ403=info", param_hint="--severity")
        result[code.strip()] = severity.strip()
    return result


def _size(_ctx: click.Context, _param: click.Parameter, value: str | None) -> int | None:
    """``--max-size``: bytes of ``10MB``, ``500KB``, ``0`` (no limit)."""
    from tqcheck.config import parse_size
    from tqcheck.errors import ConfigError

    if value is None:
        return None
    try:
        return parse_size(value)
    except (ConfigError, OverflowError, ValueError) as err:
        message = str(err) if isinstance(err, ConfigError) else f"invalid size {value!r}: too large"
        raise click.BadParameter(message) from None


_F = TypeVar("_F", bound=Callable[..., object])
_PROGRESS_REDRAW = 0.1  # seconds between redraws of the progress bar


def _qe_options(enable_help: str) -> Callable[[_F], _F]:
    """The QE options, shared by the commands that can run QE; read them with :func:`_qe_values`."""
    options = (
        click.option("--qe/--no-qe", "qe_enabled", default=False, help=enable_help),
        click.option("--qe-model", metavar="NAME|PATH", help="QE model: hub name or local checkpoint (implies --qe)."),
        click.option("--offline", is_flag=True, help="QE: use local files only, never the network."),
        click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True,
                     help="QE device."),
        click.option("--batch-size", type=click.IntRange(1, 1024), default=8, show_default=True,
                     help="QE batch size."),
        click.option("--qe-threshold", type=float, metavar="SCORE",
                     help="QE pass mark (default per model family: CometKiwi 0.65, xCOMET 0.70); the routing "
                          "thresholds move with it."),
        click.option("--qe-quantize", type=click.Choice(["bf16", "int8"]), help="QE on CPU in bf16 or dynamic int8."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                     help="QE score cache folder (default: the user cache dir)."),
        click.option("--no-cache", is_flag=True, help="QE: neither read nor write the score cache."),
        click.option("--commercial", is_flag=True,
                     help="Commercial use: refuse a QE model whose licence does not permit it or is unknown "
                          "(`tqcheck models` lists the licences)."),
    )

    def apply(fn: _F) -> _F:
        for option in reversed(options):
            fn = option(fn)
        return fn

    return apply


class _Outcome(Exception):
    """Carries the exit status out of a command (click's own exit would skip our single mapping)."""

    def __init__(self, status: ExitStatus):
        self.status = status


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="tqcheck")
def cli() -> None:
    """Check machine-translated articles: problem spans with category, severity, message and suggestion."""


# check's --help: options by what they are for, then examples and every exit status (tqcheck.clihelp).
_CHECK_SECTIONS = (
    ("Inputs", ("source", "reference", "manifest", "src_lang", "tgt_lang", "include", "exclude", "states",
                "max_size")),
    ("Rules", ("select", "ignore", "severities", "packs", "glossary")),
    ("Gate and routing", ("fail_on", "fail_under", "scoring_model", "content_type", "baseline_file")),
    ("Report", ("fmt", "output", "sort", "color", "width", "quiet")),
    ("Quality estimation (needs the [qe] extra)", ("qe_enabled", "qe_model", "offline", "device", "batch_size",
                                                   "qe_threshold", "qe_quantize", "cache_dir", "no_cache",
                                                   "commercial")),
    ("Running", ("jobs", "engine", "ray_address", "ray_actors", "ray_gpus_per_actor")),
    ("Configuration", ("config_path", "no_config")),
)
_CHECK_EXAMPLES = (
    ("tqcheck check samples/", "every text and bilingual file of a folder; x.zh.txt is the source of x.de.txt"),
    ("tqcheck check article.de.txt --source article.zh.txt", "one translation with its source"),
    ("tqcheck check project.sdlxliff --format sarif -o qa.sarif",
     "a CAT-tool file's units (not locked or 100 % matches), as SARIF for a code-scanning dashboard"),
    ("tqcheck check articles/ --qe --format jsonl -o report.jsonl",
     "rules and QE on a batch: one JSON line per document, written as each is checked"),
    ("tqcheck check article.de.txt --ignore TQ203 --severity TQ403=info",
     "one rule left out, one demoted to info (never gates)"),
)
_CHECK_STATUSES = (
    ("0", "every document passed the gate"),
    ("1", "a document failed the gate (even if some inputs could not be read)"),
    ("2", "usage or input error: bad option or configuration, or an input that could not be read (every "
          "document that was checked passed)"),
    ("3", "internal error: a bug in tqcheck (the traceback is printed; please report it)"),
    ("130", "interrupted (Ctrl-C)"),
)


@cli.command(cls=SectionedCommand, sections=_CHECK_SECTIONS, examples=_CHECK_EXAMPLES, statuses=_CHECK_STATUSES)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--src-lang", metavar="LANG", help="Source language (ISO 639-1, e.g. zh). Default: from the file name.")
@click.option("--tgt-lang", metavar="LANG", help="Target language (e.g. de). Default: file name, else detected.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl", "sarif", "html"]), default="text",
              show_default=True, help="Report format.")
@click.option("-o", "--output", type=click.Path(path_type=str), metavar="FILE",
              help="Write the report to FILE (atomically; through a symbolic link onto its target) instead of "
                   "standard output. Never one of the run's inputs, a folder or a device.")
@click.option("--select", multiple=True, metavar="RULES",
              help="Only these rules: codes, code prefixes or names, comma-separated.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules: codes, code prefixes or names.")
@click.option("--severity", "severities", multiple=True, metavar="CODE=SEV",
              help="Override a rule's severity, e.g. TQ403=info (repeatable).")
@click.option("--fail-under", type=click.FloatRange(0, 100), metavar="SCORE",
              help="Gate: fail a document whose score is below SCORE (0–100). Default: the scoring model's "
                   "passing threshold (90 calibrated, 98 raw).")
@click.option("--scoring-model", type=click.Choice(["calibrated", "raw"]),
              help="Which MQM score is the score: calibrated (default) or raw 100 × (1 − penalty per word).")
@click.option("--content-type", metavar="NAME",
              help="Route with the thresholds of [routing.content_types.NAME] in the configuration file.")
@click.option("--state", "states", multiple=True, metavar="STATE",
              help="Bilingual files: check only units in these segment states (new, mt, draft, translated, "
                   "reviewed, approved, final, locked, fuzzy, no-translate; repeatable), or 'all'. Default: all "
                   "but locked, no-translate and 100 % matches.")
@click.option("--max-size", metavar="SIZE", callback=_size,
              help="Largest file checked, e.g. 10MB or 500KB (binary units); 0: no limit. Default: 10MB. A larger "
                   "file is listed as an error and the others are checked.")
@click.option("--fail-on", type=click.Choice(["info", "minor", "major", "critical", "none"]), default="critical",
              show_default=True, help="Gate: fail a document with an issue of this severity or worse.")
@click.option("--pack", "packs", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Extra rule-pack folder (same layout as the built-in packs; repeatable).")
@click.option("--sort", type=click.Choice(["severity", "text"]), default="severity", show_default=True,
              help="Text report: worst first, or in text order.")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: only on a terminal).")
@click.option("--width", type=click.IntRange(min=40), metavar="COLUMNS",
              help="Text report: lay out excerpts for this many columns (default: the terminal's width; "
                   "100 when the report is not written to a terminal).")
@click.option("--source", type=click.Path(dir_okay=False, path_type=Path),
              help="Source text of the (single) target. Folders pair by name: x.de.txt ↔ x.zh.txt, de/ ↔ zh/.")
@click.option("--reference", type=click.Path(dir_okay=False, path_type=Path),
              help="Human reference translation of the (single) target: adds BLEU, chrF and TER.")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV or JSONL listing target, source, reference, src_lang, tgt_lang per row.")
@click.option("--glossary", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Terminology: CSV (source,target,forbidden,note) or TBX.")
@_qe_options("Run reference-free QE (needs the [qe] extra; default model Unbabel/wmt22-cometkiwi-da, "
             "licensed for non-commercial use only: see tqcheck models).")
@click.option("--include", multiple=True, metavar="GLOB",
              help="In folders, check only files matching GLOB, relative to the folder (repeatable; "
                   "default: every text and bilingual file). A GLOB without / matches a file or folder name.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="In folders, skip files matching GLOB, e.g. 'drafts' or 'news/2023/**' (repeatable).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes; 0: one per CPU. Same results in the same order. With QE: 1.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Where the files are checked: here (--jobs processes) or on Ray Data (needs the [ray] extra). "
                   "Same results in the same order.")
@click.option("--ray-address", metavar="ADDR",
              help="--engine ray: the Ray cluster to connect to (auto: the one this machine belongs to). "
                   "Default: a local Ray, started for the run.")
@click.option("--ray-actors", type=click.IntRange(min=1), metavar="N",
              help="--engine ray with QE: actors, each with one QE model loaded. Default: as many as the GPUs "
                   "allow, else 1.")
@click.option("--ray-gpus-per-actor", type=click.FloatRange(min=0), default=0.0, metavar="G",
              help="--engine ray with QE: GPUs per actor (a fraction shares a GPU). Default: 0, QE on CPU.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Configuration file (default: tqcheck.toml or [tool.tqcheck] in pyproject.toml, "
                   "searched from the first path's folder upwards).")
@click.option("--no-config", is_flag=True, help="Use no configuration file.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Report, score and gate only findings that are not in FILE (written by tqcheck baseline).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or notes on standard error (errors still).")
def check(paths: tuple[Path, ...], src_lang: str | None, tgt_lang: str | None, fmt: str, output: str | None,
          select: tuple[str, ...], ignore: tuple[str, ...], severities: tuple[str, ...], fail_under: float | None,
          scoring_model: str | None, content_type: str | None, states: tuple[str, ...], max_size: int | None,
          fail_on: str,
          packs: tuple[Path, ...], sort: str, color: bool | None, width: int | None, source: Path | None,
          reference: Path | None,
          manifest: Path | None, glossary: Path | None, include: tuple[str, ...],
          exclude: tuple[str, ...], jobs: int, engine: str, ray_address: str | None, ray_actors: int | None,
          ray_gpus_per_actor: float, config_path: Path | None, no_config: bool, quiet: bool,
          baseline_file: Path | None = None, write_baseline: Path | None = None, **_qe: object) -> None:
    """Check translated files (or folders of them) and report the problem spans.

    Settings come from the command line, then tqcheck.toml (or [tool.tqcheck] in pyproject.toml), then
    the defaults: an option given here wins over the file.
    """
    from tqcheck.batch import check_paths
    from tqcheck.configfile import resolve_settings
    from tqcheck.reports import render_pieces, write_atomic

    if config_path is not None and no_config:
        raise click.UsageError("--config and --no-config cannot be combined")
    given = _given_options(click.get_current_context())
    qe = _qe_values(click.get_current_context(), given)
    cli_values = {key: value for name, key, value in (
        ("src_lang", "src_lang", src_lang), ("tgt_lang", "tgt_lang", tgt_lang), ("fmt", "format", fmt),
        ("select", "select", _split(select)), ("ignore", "ignore", _split(ignore)),
        ("severities", "severity", _overrides(severities)), ("fail_under", "fail_under", fail_under),
        ("fail_on", "fail_on", fail_on), ("packs", "packs", packs), ("glossary", "glossary", glossary),
        ("include", "include", include), ("exclude", "exclude", exclude), ("jobs", "jobs", jobs),
        ("content_type", "content_type", content_type), ("states", "states", _split(states)),
        ("max_size", "max_size", max_size), ("baseline_file", "baseline", baseline_file),
    ) if name in given}
    if write_baseline is not None:
        cli_values["baseline"] = None  # a new baseline records every finding, whatever an old one holds
    if "scoring_model" in given:
        cli_values["scoring"] = {"model": scoring_model}
    if qe:
        cli_values["qe"] = qe
    cli_values.update(_commercial_values(given))
    settings = resolve_settings(paths[0], config_file=config_path, use_files=not no_config, cli_values=cli_values)
    config, fmt = settings.config, settings.format if write_baseline is None else "json"
    licence_notice(config)
    if engine == "ray":
        from tqcheck.distributed import require_ray

        require_ray()  # a missing extra is said before the folders are walked
    written = output if write_baseline is None else str(write_baseline)
    planned = _preflight(paths, config, fmt, written, source=source, reference=reference, manifest=manifest,
                         quiet=quiet)
    if not quiet:
        from tqcheck.packs.layout import pack_warnings

        for root in config.packs:
            for warning in pack_warnings(root):
                click.echo(f"tqcheck: warning: {terminal_safe(warning)}", err=True)
        for note in _engine_notes(engine, config, settings.jobs, given):
            click.echo(f"tqcheck: note: {note}", err=True)
    engine_options = {"engine": engine, "ray_address": ray_address, "ray_actors": ray_actors,
                      "ray_gpus_per_actor": ray_gpus_per_actor}
    with _progress_bar(enabled=not quiet and sys.stderr.isatty()) as progress:
        if fmt == "jsonl":
            # Streamed: each document's line is written as soon as it is checked, in flat memory.
            from tqcheck.batch import build_report, iter_prerendered
            from tqcheck.reports.jsonl import prerender, stream_prerendered

            built: list[Report] = []

            def header(done: Sequence[DocumentResult | FileError]) -> Report:
                built.append(build_report(done, config))
                return built[0]

            # Each worker renders its own lines (prerender): this process only writes them.
            lines = stream_prerendered(iter_prerendered(paths, config, prerender, source=source, reference=reference,
                                                        manifest=manifest, jobs=settings.jobs, progress=progress,
                                                        planned=planned, **engine_options), header)
            if output:
                write_atomic(output, lines)
            else:
                for line in lines:
                    click.echo(line, nl=False)
            report = built[0]
        else:
            report = check_paths(paths, config, source=source, reference=reference, manifest=manifest,
                                 jobs=settings.jobs, progress=progress, planned=planned, **engine_options)
    if write_baseline is not None:
        raise _Outcome(_write_baseline(report, write_baseline, quiet))
    if fmt != "jsonl":
        if color is None:
            color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        if width is None and output is None and sys.stdout.isatty():
            width = shutil.get_terminal_size().columns
        # Errors go to standard error (below); a text report on standard output would repeat each one there.
        pieces = render_pieces(report, fmt, color=color and fmt == "text", sort=sort, width=width,
                               errors=output is not None)
        if output:
            write_atomic(output, pieces)
        else:
            for piece in pieces:
                click.echo(piece, nl=False, color=bool(color))
    for error in report.errors:
        click.echo(f"tqcheck: error: {error_line(error.path, error.message)}", err=True)
    if not quiet:
        for note in _unused_suppressions(report, config):
            click.echo(f"tqcheck: note: {note}", err=True)
    raise _Outcome(_status(report, quiet))


def _unused_suppressions(report: Report, config: Config) -> list[str]:
    """A note per [[suppress]] entry that matched nothing in this run: fixed text, or a typo in the entry."""
    used = {s.entry for unit in report.units for s in unit.suppressed if s.by == "config"}
    return [f"[[suppress]] entry {e.number} ({e.rule}: {terminal_safe(e.reason)}) matched no finding in this run"
            for e in config.suppress if e.number not in used]


def _write_baseline(report: Report, path: Path, quiet: bool) -> ExitStatus:
    """Write the baseline of a run; exit 2 when some inputs could not be checked (they are not in it)."""
    from tqcheck.baseline import baseline_dict
    from tqcheck.reports import write_atomic
    from tqcheck.reports.json import dumps

    data = baseline_dict(report, path)
    write_atomic(str(path), dumps(data, indent=1) + "\n")
    for error in report.errors:
        click.echo(f"tqcheck: error: {error_line(error.path, error.message)}", err=True)
    files = len(data["files"])
    if not quiet or report.errors:
        click.echo(f"tqcheck: baseline: {data['findings']} finding{'s' if data['findings'] != 1 else ''} of {files} "
                   f"file{'s' if files != 1 else ''} written to {terminal_safe(str(path))}"
                   + (f"; {len(report.errors)} input{'s' if len(report.errors) != 1 else ''} could not be checked "
                      "(not recorded)" if report.errors else ""), err=True)
    return ExitStatus.USAGE_OR_INPUT_ERROR if report.errors else ExitStatus.PASSED


def _baseline_command() -> click.Command:
    """``tqcheck baseline FILE PATHS… [check options]``: check as ``check`` does, and record the findings."""
    report_only = {"fmt", "output", "sort", "color", "baseline_file"}

    def record(baseline_path: Path, **options: object) -> None:
        assert check.callback is not None
        check.callback(**options, fmt="json", output=None, sort="severity", color=None, baseline_file=None,
                       write_baseline=baseline_path)

    params: list[click.Parameter] = [click.Argument(["baseline_path"], metavar="FILE",
                                                    type=click.Path(dir_okay=False, path_type=Path))]
    params += [p for p in check.params if p.name not in report_only]
    return SectionedCommand("baseline", params=params, callback=record, sections=_CHECK_SECTIONS, help=(
        "Record the findings of PATHS in the baseline FILE, so that `check --baseline FILE` reports, scores and "
        "gates only new ones.\n\nTakes the options of `check` (rules, languages, configuration…). FILE holds the "
        "SARIF fingerprints of the findings per file (paths relative to FILE's folder); it is never one of the "
        "inputs. Findings that [[suppress]] entries cover are not recorded.\n\nExit status: 0 written; 2 usage "
        "error, or some inputs could not be checked (the others are recorded)."),
        short_help="Record the current findings, so that only new ones are reported.")


def _engine_notes(engine: str, config: Config, jobs: int, given: set[str]) -> list[str]:
    """What the chosen engine ignores of what was asked (an option that silently does nothing misleads)."""
    if engine == "local":
        notes = ["QE runs in one process; --jobs ignored"] if config.qe is not None and jobs != 1 else []
        given_ray = [f"--{name.replace('_', '-')}" for name in ("ray_address", "ray_actors", "ray_gpus_per_actor")
                     if name in given]
        return notes + ([f"{', '.join(given_ray)} ignored without --engine ray"] if given_ray else [])
    notes = ["--jobs ignored with --engine ray: Ray uses the cluster's CPUs"] if "jobs" in given else []
    given_qe = [f"--{name.replace('_', '-')}" for name in ("ray_actors", "ray_gpus_per_actor") if name in given]
    if config.qe is None and given_qe:
        notes.append(f"{', '.join(given_qe)} ignored without QE: rules run as Ray tasks, not actors")
    return notes


def _preflight(paths: tuple[Path, ...], config: Config, fmt: str, output: str | None, *, source: Path | None,
               reference: Path | None, manifest: Path | None, quiet: bool) -> tuple[list[PairSpec], list[FileError]]:
    """What can be known before the work: something to check, and a report that replaces none of the inputs.
    Returns the plan, which the run then uses (the folders are walked once)."""
    from tqcheck.batch import plan
    from tqcheck.errors import ConfigError
    from tqcheck.output import check_output, check_stdout, run_inputs

    specs, errors = plan(paths, config, source=source, reference=reference, manifest=manifest)
    if not specs and not errors:
        if config.include or config.exclude:
            # Narrowed on purpose (say, to the files a commit changed): finding none can be the normal case.
            if not quiet:
                click.echo("tqcheck: note: --include/--exclude (or include/exclude in the configuration file) "
                           "leave no file to check", err=True)
        else:
            where = ", ".join(map(str, (*paths, *([manifest] if manifest is not None else []))))
            raise ConfigError(f"{where}: no file to check (folders are searched for .txt, .text and bilingual "
                              "files: .jsonl, .tsv, .xlf, .po, .tmx …; a source such as x.zh.txt is checked with its "
                              "translation x.de.txt)")
    inputs = run_inputs(paths, specs, errors, config=config, manifest=manifest)
    if output is not None:
        check_output(output, inputs, fmt=fmt)
    else:
        check_stdout(inputs)
    return specs, errors


def _status(report: Report, quiet: bool) -> ExitStatus:
    """A failed gate wins over unreadable inputs (a broken file must not hide a failed document); both are said."""
    failed = sum(d.verdict == "fail" for d in report.documents)
    errors = len(report.errors)
    if failed or errors:
        said = []
        if failed:
            said.append(f"{failed} of {len(report.documents)} document{'s' if len(report.documents) != 1 else ''} "
                        "failed the gate")
        if errors:
            said.append(f"{errors} input{'s' if errors != 1 else ''} could not be checked")
        if errors or not quiet:
            click.echo(f"tqcheck: {'; '.join(said)}", err=True)
    if failed:
        return ExitStatus.GATE_FAILED
    if errors:
        return ExitStatus.USAGE_OR_INPUT_ERROR
    return ExitStatus.PASSED


# QE option (parameter name) → key of the [qe] table; --no-cache is the negation of use_cache.
_QE_OPTIONS = (("qe_enabled", "enabled"), ("offline", "offline"), ("device", "device"), ("batch_size", "batch_size"),
               ("qe_threshold", "threshold"), ("qe_quantize", "quantize"), ("cache_dir", "cache_dir"),
               ("no_cache", "use_cache"))


def _qe_values(ctx: click.Context, given: set[str]) -> dict[str, object]:
    """The [qe] values the user gave on the command line (``--qe-model`` implies ``--qe``)."""
    qe: dict[str, object] = {}
    for name, key in _QE_OPTIONS:
        if name in given:
            value = ctx.params[name]
            qe[key] = not value if name == "no_cache" else value
    if "qe_model" in given:
        qe.update(model=ctx.params["qe_model"], enabled=True)
    return qe


def _commercial_values(given: set[str]) -> dict[str, object]:
    """``--commercial`` as a configuration value (a top-level key, like ``commercial = true`` in the file)."""
    return {"commercial": True} if "commercial" in given else {}


def licence_notice(config: Config) -> None:
    """The one-line notice, once per process, that the QE model's licence does not permit commercial use (on
    stderr, never in the report; commercial mode refused such a model already)."""
    if config.qe is None:
        return
    from tqcheck.qe.models import notice_once

    notice = notice_once(config.qe.model)
    if notice is not None:
        click.echo(f"tqcheck: note: {terminal_safe(notice)}", err=True)


def _given_options(ctx: click.Context) -> set[str]:
    """The options the user gave (on the command line), as opposed to click's defaults."""
    from click.core import ParameterSource

    return {name for name in ctx.params
            if ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)}


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on standard error (rich), or nothing; yields the pipeline's ``progress`` callback."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    # Redrawn by the callback, not by rich's refresh thread: a process with one thread can fork its --jobs
    # workers (tqcheck.batch._start_method), which saves each of them the start-up of a fresh interpreter.
    with Progress(*columns, console=Console(stderr=True), transient=True, auto_refresh=False) as bar:
        task = bar.add_task("check", total=None)
        drawn = 0.0

        def update(done: int, total: int) -> None:
            nonlocal drawn
            bar.update(task, completed=done, total=total)
            now = time.monotonic()
            if now - drawn >= _PROGRESS_REDRAW or done == total:
                bar.refresh()
                drawn = now

        yield update


@cli.command("rules")
def list_rules() -> None:
    """List every rule: code, name, category, default severity and summary."""
    from tqcheck.rules import REGISTRY

    for r in REGISTRY.values():
        info = r.info
        click.echo(f"{info.code}  {info.name:26} {info.severity.value:8} {info.category.value:26} {info.summary}")


@cli.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Show one rule's documentation (by code or name)."""
    from tqcheck.rules import resolve

    matched = resolve(rule)
    if len(matched) != 1:
        raise click.BadParameter(f"{rule!r} names {len(matched)} rules; give one code or name", param_hint="RULE")
    r = matched[0]
    click.echo(f"{r.code} {r.name}")
    click.echo(f"category: {r.info.category.value}   default severity: {r.info.severity.value}"
               + ("   needs a source" if r.info.needs_source else ""))
    click.echo("")
    click.echo(r.doc)
    from tqcheck.rules.confidence import describe

    click.echo("")
    click.echo("Measured precision (an issue's confidence; see the README's \"Confidence\" section):")
    for line in describe(r.code):
        click.echo(f"  {line}")


@cli.command()
@click.option("--path", "folder", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("."),
              help="Folder to write tqcheck.toml into (default: the current folder).")
@click.option("--force", is_flag=True, help="Overwrite an existing tqcheck.toml.")
def init(folder: Path, force: bool) -> None:
    """Write a commented starter tqcheck.toml (every setting, with its default)."""
    from tqcheck.configfile import CONFIG_NAME, STARTER
    from tqcheck.errors import ConfigError
    from tqcheck.reports import write_atomic

    target = folder / CONFIG_NAME
    if target.exists() and not force:
        raise ConfigError(f"{target} already exists; use --force to overwrite it")
    write_atomic(target, STARTER)
    click.echo(f"wrote {target}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of the JSON and JSONL reports."""
    from tqcheck.schema import schema_text

    click.echo(schema_text(), nl=False)


@cli.command()
@click.argument("labels", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--target", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.95,
              show_default=True, help="Required precision of publish: the share of segments routed to publish "
                                      "that needed no edit.")
@click.option("--light-target", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="Also calibrate light_review: required share of light-review segments that needed at most a "
                   "light review (MQM labels).")
@click.option("--post-edit-target", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="Also calibrate post_edit: required share of post-edit segments that needed no new "
                   "translation (MQM labels).")
@click.option("--confidence", type=click.FloatRange(0.5, 1, max_open=True), default=0.95, show_default=True,
              help="A target is met when the Wilson lower bound of the precision at this confidence reaches it "
                   "(0.5: the observed precision).")
@click.option("--holdout", type=click.FloatRange(0, 1, max_open=True), default=0.0, show_default=True,
              metavar="SHARE", help="Hold out this share of the segments and report the proposal's precision on it.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the held-out split.")
@click.option("--no-edit-max", type=click.FloatRange(min=0), default=0.1, show_default=True, metavar="PENALTY",
              help="MQM: a segment with at most this penalty needed no edit.")
@click.option("--light-below", type=click.FloatRange(min=0), default=5.0, show_default=True, metavar="PENALTY",
              help="MQM: below this penalty a light review is enough (minor errors only).")
@click.option("--post-edit-below", type=click.FloatRange(min=0), default=25.0, show_default=True,
              metavar="PENALTY", help="MQM: below this penalty a post-edit is enough; at or above, retranslate.")
@click.option("--src-lang", metavar="LANG", help="Source language of lines that name none.")
@click.option("--tgt-lang", metavar="LANG", help="Target language of lines that name none.")
@click.option("--content-type", metavar="NAME",
              help="Calibrate for [routing.content_types.NAME] (its escalations apply if configured).")
@_qe_options("Score lines without a qe_score with tqcheck's QE (as in check).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Report format.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Configuration file (default: found from the labels file's folder upwards).")
@click.option("--no-config", is_flag=True, help="Use no configuration file.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def calibrate(labels: Path, target: float, light_target: float | None, post_edit_target: float | None,
              confidence: float, holdout: float, seed: int, no_edit_max: float, light_below: float,
              post_edit_below: float, src_lang: str | None, tgt_lang: str | None, content_type: str | None,
              fmt: str, config_path: Path | None, no_config: bool, quiet: bool, **_qe: object) -> None:
    """Propose routing thresholds from segments with a human verdict (JSON Lines).

    Each line: source, target, optional src_lang/tgt_lang, optional qe_score, and one label: mqm_penalty
    (≥ 0: Major 5, Minor 1, minor punctuation 0.1), mqm_score (≤ 0, as WMT publishes it) or edited
    (true/false). Every segment is checked with the rules, so their vetoes apply as in check; lines without
    a qe_score are scored with --qe/--qe-model. Prints the thresholds, each route's share of segments and words,
    the confusion table and a [routing] snippet to paste into tqcheck.toml.

    Exit status: 0 every target is met on the calibration data; 1 a target cannot be met (the best reachable
    precision is reported, no snippet); 2 usage or input error. A shortfall on the --holdout data is reported as
    a note, not as a status: the held-out part only checks the proposal.
    """
    import json

    from tqcheck.configfile import resolve_settings
    from tqcheck.reports.calibration import calibration_dict, render_text
    from tqcheck.routing import calibrate as calibration
    from tqcheck.routing.labels import LabelCuts, read_labels

    if config_path is not None and no_config:
        raise click.UsageError("--config and --no-config cannot be combined")
    given = _given_options(click.get_current_context())
    qe = _qe_values(click.get_current_context(), given)
    cli_values: dict[str, object] = {key: value for name, key, value in (
        ("src_lang", "src_lang", src_lang), ("tgt_lang", "tgt_lang", tgt_lang)) if name in given}
    if qe:
        cli_values["qe"] = qe
    cli_values.update(_commercial_values(given))
    settings = resolve_settings(labels, config_file=config_path, use_files=not no_config, cli_values=cli_values)
    config = settings.config
    licence_notice(config)
    cuts = LabelCuts(no_edit_max, light_below, post_edit_below)
    targets = calibration.Targets(target, light_target, post_edit_target, confidence)
    content_type = content_type or config.content_type
    label_file = read_labels(labels, src_lang=config.src_lang, tgt_lang=config.tgt_lang)
    if label_file.kind == "edited" and (light_target is not None or post_edit_target is not None):
        raise click.UsageError("--light-target and --post-edit-target need MQM labels; this file has edited labels")
    with _progress_bar(enabled=not quiet and sys.stderr.isatty()) as progress:
        units = calibration.check_segments(label_file.segments, config, cuts=cuts, content_type=content_type,
                                           progress=progress)
    pairs = {u.pair for u in units}
    model = config.qe.model if config.qe is not None else None
    baseline = calibration.baseline_thresholds(config, model, next(iter(pairs)) if len(pairs) == 1 else None,
                                               content_type)
    result = calibration.calibrate(units, label_file.kind, targets, baseline=baseline, holdout=holdout, seed=seed,
                                   content_type=content_type, cuts=cuts)
    if fmt == "json":
        click.echo(json.dumps(calibration_dict(result, str(labels)), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(result, source=str(labels)), nl=False)
    raise _Outcome(ExitStatus.PASSED if result.met else ExitStatus.GATE_FAILED)


def _add_serve() -> None:
    # Its own module (the service's options), which imports only click until the command runs.
    from tqcheck.service.command import serve

    cli.add_command(serve)


_add_serve()
cli.add_command(_baseline_command())


@cli.command("models")
@click.argument("name", required=False, metavar="[NAME|PATH]")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
def models(name: str | None, fmt: str) -> None:
    """List the known QE models with licence, size and defaults, or show one (hub name or local checkpoint).

    A local checkpoint's licence is read from LICENSE, LICENSE.md, LICENSE.txt or the README.md model card in its
    folder or the model folder above; without one it is "unknown", which commercial mode refuses.
    """
    from tqcheck.qe.command import show_models

    show_models(name, fmt)


# New container objects between two collections of the youngest generation, in a process that is this command.
_GC_YOUNG = 100_000


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit status; the one place where outcomes become statuses."""
    if argv is None:
        # The process is this command: nearly every object a fresh run makes before its first finding lives to the
        # end (modules, classes, the tables read from the cache folder, the packs), and Python's default of a
        # collection every 700 new objects walked them 80 times and the survivors again (0.025 s of CPU of a
        # rules-only check of one article, a tenth of it), to free next to nothing. Cyclic garbage is still
        # collected, every 100,000 objects: a long batch does not grow for it.
        gc.set_threshold(_GC_YOUNG, *gc.get_threshold()[1:])
        # Before the modules of the command are imported: their classes' generated methods come compiled from the
        # cache folder (0.034 s of a fresh check). Only here: it changes module dataclasses for the whole process.
        from tqcheck.dataclasscode import keep_dataclass_code

        keep_dataclass_code()
    try:
        return _main(argv)
    finally:
        if argv is None:
            # The process ends with this command (the console script, python -m tqcheck): the interpreter's
            # garbage collections at exit would walk every object the run built (dictionaries, packs, automata:
            # 0.1 s or more of CPU after a single article) only to free what the process gives back anyway.
            # Frozen objects are skipped; the atexit functions still run, and the standard streams are flushed.
            gc.freeze()


def _main(argv: list[str] | None) -> int:
    from tqcheck.errors import InputError, TqcheckError

    try:
        cli.main(args=argv, prog_name="tqcheck", standalone_mode=False)
    except _Outcome as outcome:
        return outcome.status
    except click.exceptions.Exit as done:  # --help, --version
        return done.exit_code
    except click.ClickException as err:
        err.show()
        return ExitStatus.USAGE_OR_INPUT_ERROR
    except click.Abort as abort:
        if isinstance(abort.__cause__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            click.echo("tqcheck: interrupted", err=True)
            return ExitStatus.INTERRUPTED
        click.echo("Aborted.", err=True)
        return ExitStatus.USAGE_OR_INPUT_ERROR
    except KeyboardInterrupt:
        click.echo("tqcheck: interrupted", err=True)
        return ExitStatus.INTERRUPTED
    except TqcheckError as err:
        # File names and problems come from the user's files: shown escaped, one line each (no forged lines).
        text = (error_line(err.path, err.problem + (f" ({err.hint})" if err.hint else ""))
                if isinstance(err, InputError) else terminal_safe(str(err)))
        click.echo(f"tqcheck: error: {text}", err=True)
        return ExitStatus.USAGE_OR_INPUT_ERROR
    except BrokenPipeError:
        return ExitStatus.PASSED
    except Exception:  # a bug: say so plainly, keep the traceback for the report, never pretend a gate result
        import traceback

        traceback.print_exc()
        click.echo(f"tqcheck: internal error (tqcheck {__version__}); please report it with the traceback above",
                   err=True)
        return ExitStatus.INTERNAL_ERROR
    return ExitStatus.PASSED
