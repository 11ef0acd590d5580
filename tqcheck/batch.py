"""Batches: plan the targets of a run (files, folders, pairs, globs), check them in this process or in worker
processes, and collect a :class:`~tqcheck.types.Report`. One document is checked by :func:`tqcheck.pipeline.check`.
Never prints."""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tqcheck import __version__
from tqcheck.config import Config, size_text
from tqcheck.errors import ConfigError, InputError, TqcheckError
from tqcheck.pipeline import SCHEMA_VERSION, check, qe_backend
from tqcheck.qe.models import license_of
from tqcheck.readers.pairing import PairSpec, pair_inputs, read_manifest
from tqcheck.readers.paths import BILINGUAL_SUFFIXES, is_dir, is_file
from tqcheck.rules import Rule, select_rules
from tqcheck.signature import make_signature
from tqcheck.spelling import require as require_spelling
from tqcheck.types import DocumentResult, FileError, FileResult, Report

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor


def iter_results(
    paths: Iterable[Path | str] | Path | str,
    config: Config | None = None,
    *,
    source: Path | str | None = None,
    reference: Path | str | None = None,
    manifest: Path | str | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    planned: tuple[Sequence[PairSpec], Sequence[FileError]] | None = None,
    engine: str = "local",
    ray_address: str | None = None,
    ray_actors: int | None = None,
    ray_gpus_per_actor: float = 0.0,
) -> Iterator[DocumentResult | FileResult | FileError]:
    """Pair the inputs with their sources and check each, yielding results as they are ready, in input order.

    Folders are searched recursively; files pair by name (``x.de.txt`` ↔ ``x.zh.txt``), by parallel language
    folders (``de/x.txt`` ↔ ``zh/x.txt``) or through a ``manifest`` (CSV or JSONL). Bilingual files (JSONL, TSV,
    XLIFF, TMX, PO) give one :class:`~tqcheck.types.FileResult` each: the file judged as one document of units.
    ``config.include``/``config.exclude`` filter the files found in folders (see :func:`plan`).

    A file that cannot be read becomes a :class:`FileError` and the rest go on; so does an unexpected
    exception while checking one file (kind ``"internal"``, naming the exception), even one that kills a
    worker process. Errors of the run itself (a malformed rule pack or glossary, a QE model that cannot load)
    are raised.

    Args:
        jobs: worker processes; 0 means one per CPU. The results are the same, in the same order, whatever
            the number. Only a few results are held at a time, so a caller that consumes them one by one
            (e.g. writing JSON Lines) runs in flat memory. With QE enabled everything runs in this process
            (one model in memory, not one per worker). Workers are forked where that is safe and spawned
            otherwise (:func:`_start_method`): a script that uses ``jobs != 1`` needs the usual
            ``if __name__ == "__main__":`` guard.
        progress: called as ``progress(done, total)`` with the number of targets (files or bilingual files)
            checked so far, first with ``done = 0``.
        planned: what :func:`plan` gave for these paths, when the caller has it already (the CLI plans before
            the run to check ``--output``): the folders are not walked again.
        engine: ``"local"`` (this process, or ``jobs`` worker processes) or ``"ray"``: the targets are checked on
            Ray Data (:func:`tqcheck.distributed.iter_results_ray`; ``jobs`` is then ignored), with the same
            results in the same order.
        ray_address: the Ray cluster to connect to (``"auto"``: the one this machine belongs to); None: a local
            Ray, started for the run.
        ray_actors: QE actors, each with one model loaded (default: as many as the GPUs allow, else one).
        ray_gpus_per_actor: GPUs per QE actor; 0: QE on CPU.
    """
    yield from _iter(paths, config, None, source=source, reference=reference, manifest=manifest, jobs=jobs,
                     progress=progress, planned=planned, engine=engine, ray_address=ray_address, ray_actors=ray_actors,
                     ray_gpus_per_actor=ray_gpus_per_actor)


def iter_prerendered(
    paths: Iterable[Path | str] | Path | str,
    config: Config | None,
    prerender: Callable[[DocumentResult | FileResult | FileError], _T],
    **options: Any,
) -> Iterator[_T]:
    """:func:`iter_results` (same ``options``) with ``prerender`` applied to each result where it is made: in the
    worker process with ``jobs`` > 1, so what comes back to this process is what ``prerender`` returns (the
    JSONL report's :func:`tqcheck.reports.jsonl.prerender`: a line and a light result). ``prerender`` must be
    picklable: a module-level function."""
    yield from _iter(paths, config, prerender, **options)


def _iter(
    paths: Iterable[Path | str] | Path | str,
    config: Config | None,
    transform: Callable[[DocumentResult | FileResult | FileError], Any] | None,
    *,
    source: Path | str | None = None,
    reference: Path | str | None = None,
    manifest: Path | str | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    planned: tuple[Sequence[PairSpec], Sequence[FileError]] | None = None,
    engine: str = "local",
    ray_address: str | None = None,
    ray_actors: int | None = None,
    ray_gpus_per_actor: float = 0.0,
) -> Iterator[Any]:
    """The one engine behind :func:`iter_results` and :func:`iter_prerendered`: each result, or what ``transform``
    makes of it where the result is made."""
    config = config or Config()
    rules = select_rules(config.select, config.ignore)  # here, so that an unknown rule fails before any work
    require_spelling(config.select)  # a spelling check asked for by name that cannot run: exit 2 before any work
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")
    if engine == "ray":
        from tqcheck.distributed import iter_results_ray, require_ray

        require_ray()  # before the folders are walked: a missing extra is said at once
    specs, errors = planned if planned is not None else plan(paths, config, source=source, reference=reference,
                                                             manifest=manifest)
    yield from (errors if transform is None else map(transform, errors))
    if engine == "ray":
        ray_results = iter_results_ray(specs, config, address=ray_address, actors=ray_actors,
                                       gpus_per_actor=ray_gpus_per_actor, progress=progress)
        yield from (ray_results if transform is None else map(transform, ray_results))
        return
    total = len(specs)
    if progress is not None:
        progress(0, total)
    workers = effective_jobs(jobs, config, total)
    batches = _serial(specs, config, rules, transform) if workers == 1 else _parallel(specs, config, workers,
                                                                                      transform)
    for done, results in enumerate(batches, start=1):
        if progress is not None:
            progress(done, total)
        yield from results


def plan(
    paths: Iterable[Path | str] | Path | str,
    config: Config | None = None,
    *,
    source: Path | str | None = None,
    reference: Path | str | None = None,
    manifest: Path | str | None = None,
) -> tuple[list[PairSpec], list[FileError]]:
    """The targets to check (with their sources and references) and the files that cannot be, in order.

    ``config.include``/``config.exclude`` are globs matched against the paths of files found in a folder,
    relative to that folder (``/`` separated): a glob without ``/`` matches any one name on the path
    (``*.de.txt``, ``drafts``), a glob with ``/`` matches from the folder (``news/2024/**``, ``a/*.txt``),
    and a glob that matches a folder covers its contents. Only text and bilingual files are ever found in
    folders; ``include`` narrows that (default: all of them), ``exclude`` then removes. Files named directly
    or in a manifest are always checked. Sources are paired whatever the globs say.
    """
    config = config or Config()
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    specs, errors = pair_inputs(paths, src_lang=config.src_lang, tgt_lang=config.tgt_lang, source=source,
                                reference=reference, manifest=manifest)
    if config.include or config.exclude:
        folders = [os.path.abspath(p) for p in paths if is_dir(p)]
        named = {os.path.abspath(p) for p in paths if is_file(p)}
        if manifest is not None:
            named |= {os.path.abspath(s.target) for s in read_manifest(manifest)[0]}
        specs = [s for s in specs if _wanted(s.target, folders, named, config)]
        errors = [e for e in errors if _wanted(e.path, folders, named, config)]
    return specs, errors


def effective_jobs(jobs: int, config: Config, targets: int | None = None) -> int:
    """The number of processes to use: ``jobs`` (0: one per CPU), but 1 with QE or for a single target."""
    if jobs < 0:
        raise ConfigError(f"jobs must be 0 (one per CPU) or more, got {jobs}")
    if jobs == 0:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if config.qe is not None or (targets is not None and targets < 2):
        return 1
    return jobs


def _wanted(path: Path, folders: Sequence[str], named: set[str], config: Config) -> bool:
    absolute = os.path.abspath(path)
    if absolute in named:
        return True  # named directly (or in a manifest): the user asked for it
    for folder in folders:
        if absolute.startswith(folder.rstrip(os.sep) + os.sep):
            parts = Path(os.path.relpath(absolute, folder)).parts
            if config.include and not any(glob_match(g, parts) for g in config.include):
                return False
            return not any(glob_match(g, parts) for g in config.exclude)
    return True


def glob_match(pattern: str, parts: Sequence[str]) -> bool:
    """Whether a relative path (its ``parts``) matches an include/exclude glob (rules in :func:`plan`)."""
    pattern = pattern.replace("\\", "/")
    anchored = "/" in pattern.rstrip("/")
    regex = _glob_regex(pattern.strip("/"))
    if not anchored:
        return any(regex.fullmatch(part) for part in parts)
    return any(regex.fullmatch("/".join(parts[:n])) for n in range(1, len(parts) + 1))


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and (end := pattern.find("]", i + 2)) != -1:
            inner = pattern[i + 1:end]
            inner = "^" + inner[1:] if inner.startswith("!") else inner
            out.append("[" + inner.replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


# --- checking the targets: in this process or in worker processes -------------------------------------------

ENGINES = ("local", "ray")  # "ray": tqcheck.distributed, the same check on Ray Data

_Results = list[DocumentResult | FileResult | FileError]
_Transform = Callable[[DocumentResult | FileResult | FileError], Any]
_T = TypeVar("_T")
_START_METHOD: str | None = None  # None: _start_method() chooses; tests set "fork" to see their monkeypatches
_CHUNK = 8  # targets per task: fewer round trips, yet small enough to keep the workers evenly busy
_MAX_DEATHS_IN_A_ROW = 3


def check_spec(spec: PairSpec, config: Config, rules: Sequence[Rule]) -> _Results:
    """The results of one target (what every engine and the service run for it); a file problem or an
    unexpected exception becomes a FileError."""
    spec_config = dataclasses.replace(config, src_lang=spec.src_lang or config.src_lang,
                                      tgt_lang=spec.tgt_lang or config.tgt_lang)
    try:
        for path in (spec.target, spec.source, spec.reference):
            if path is not None:
                check_size(path, config.max_size)
        if spec.target.suffix.lower() in BILINGUAL_SUFFIXES:
            # Imported here: a run of text files never loads the bilingual readers.
            from tqcheck.filecheck import check_file

            return [check_file(spec.target, spec_config, rules)]
        return [check(spec.target, spec.source, reference=spec.reference, config=spec_config, rules=rules)]
    except InputError as err:
        return [FileError(err.path, err.kind, err.problem + (f" ({err.hint})" if err.hint else ""))]
    except TqcheckError:
        raise  # the run's own configuration is wrong (pack, glossary, QE model): every file would fail
    except Exception as err:  # a bug must cost one file, not a batch of thousands
        return [FileError(spec.target, "internal", _describe(err))]


def check_size(path: Path, limit: int) -> None:
    """Refuse a file above the size limit before reading it (``limit`` 0: none).

    Raises:
        InputError: kind ``too-large``.
    """
    if not limit:
        return
    try:
        size = os.stat(path).st_size
    except OSError:
        return  # reading it says what is wrong
    if size > limit:
        raise InputError(path, f"is {size_text(size)}, above the limit of {size_text(limit)} per document",
                         kind="too-large", hint="split it, or raise the limit with --max-size; 0 means no limit")


def _describe(err: BaseException) -> str:
    where = ""
    frames = traceback.extract_tb(err.__traceback__)
    if frames:
        frame = frames[-1]
        where = f" (at {Path(frame.filename).name}:{frame.lineno} in {frame.name})"
    return f"internal error while checking this file: {type(err).__name__}: {err}{where}; please report it"


def _serial(specs: Sequence[PairSpec], config: Config, rules: Sequence[Rule],
            transform: _Transform | None) -> Iterator[list[Any]]:
    for spec in specs:
        yield _transformed(check_spec(spec, config, rules), transform)


def _transformed(results: _Results, transform: _Transform | None) -> list[Any]:
    return results if transform is None else [transform(r) for r in results]


_worker_state: dict[str, object] = {}


def _init_worker(config: Config, parent: int) -> None:
    _die_with_parent(parent)
    _worker_state["config"] = config
    _worker_state["rules"] = select_rules(config.select, config.ignore)


def _die_with_parent(parent: int) -> None:
    """End this worker when the process that started it is gone, even killed with SIGKILL (which runs no
    clean-up there): on Linux the kernel sends SIGKILL (``PR_SET_PDEATHSIG``); elsewhere a watcher thread
    notices the parent is gone within a second."""
    import signal
    import threading
    import time

    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="tqcheck-parent-watch", daemon=True).start()


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _work(specs: Sequence[PairSpec], transform: _Transform | None = None) -> list[list[Any] | str]:
    """Worker process: the (transformed) results of each spec, or the message of an error of the whole run."""
    config = _worker_state["config"]
    rules = _worker_state["rules"]
    assert isinstance(config, Config) and isinstance(rules, tuple)
    done: list[list[Any] | str] = []
    for spec in specs:
        try:
            done.append(_transformed(check_spec(spec, config, rules), transform))
        except TqcheckError as err:
            # Not pickled as such: exceptions with their own __init__ arguments do not survive unpickling.
            done.append(str(err))
            break
    return done


def _start_method() -> str:
    """How worker processes start: "fork" where that is safe, else "spawn".

    A forked worker begins with this process's imports and loaded data; a spawned one imports and loads them
    again, about 0.4 s of CPU each. Forking is unsafe when another thread runs: the child gets a copy of any lock
    that thread held at that moment, and no thread to release it. So fork only on Linux (macOS's system
    libraries are not fork-safe even single-threaded) and only while this process has a single thread,
    counted by the kernel so that threads started by C libraries (a QE model's thread pool) count too.
    """
    if _START_METHOD is not None:
        return _START_METHOD
    if sys.platform.startswith("linux"):
        try:
            if len(os.listdir("/proc/self/task")) == 1:
                return "fork"
        except OSError:
            pass
    return "spawn"


def _parallel(specs: Sequence[PairSpec], config: Config, workers: int,
              transform: _Transform | None = None) -> Iterator[list[Any]]:
    """Check ``specs`` in ``workers`` processes; yield each spec's results in order.

    At most ``2 * workers`` chunks are in flight, so results do not pile up when the consumer is slower
    than the workers. If a worker dies (crash, killed for memory), the chunk it was in is retried one spec
    at a time in a fresh pool, which finds the culprit; that one becomes an "internal" FileError. Workers
    that die on several files in a row (they cannot start, say) stop the run with an error instead of
    turning every file into one.
    """
    # Imported here: a single-process run (and `tqcheck --help`) should not pay for multiprocessing.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunk = max(1, min(_CHUNK, len(specs) // (workers * 4)))
    todo = deque(tuple(specs[i:i + chunk]) for i in range(0, len(specs), chunk))
    context = multiprocessing.get_context(_start_method())

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                   initargs=(config, os.getpid()))

    pool = new_pool()
    pending: deque[tuple[tuple[PairSpec, ...], Future[list[list[Any] | str]]]] = deque()
    deaths_in_a_row = 0
    try:
        while todo or pending:
            while todo and len(pending) < 2 * workers:
                batch = todo.popleft()
                pending.append((batch, pool.submit(_work, batch, transform)))
            batch, future = pending.popleft()
            try:
                outcome = future.result()
            except BrokenProcessPool:
                todo.extendleft(reversed([b for b, _ in pending]))
                pending.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                pool = new_pool()
                outcome = []
                for spec in batch:
                    try:
                        outcome.extend(pool.submit(_work, (spec,), transform).result())
                        deaths_in_a_row = 0
                    except BrokenProcessPool:
                        deaths_in_a_row += 1
                        if deaths_in_a_row >= _MAX_DEATHS_IN_A_ROW:
                            raise TqcheckError(f"worker processes died on {deaths_in_a_row} files in a row "
                                               f"(the last: {spec.target}); try --jobs 1") from None
                        outcome.append(_transformed([FileError(
                            spec.target, "internal", "the worker process checking this file died (crashed or was "
                            "killed, e.g. out of memory)")], transform))
                        pool.shutdown(wait=True, cancel_futures=True)
                        pool = new_pool()
            except Exception as err:  # e.g. a result that cannot be pickled: the chunk's files, not the batch
                outcome = [_transformed([FileError(spec.target, "internal", _describe(err))], transform)
                           for spec in batch]
            for results in outcome:
                if isinstance(results, str):
                    raise TqcheckError(results)
                yield results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def check_paths(
    paths: Iterable[Path | str] | Path | str,
    config: Config | None = None,
    *,
    source: Path | str | None = None,
    reference: Path | str | None = None,
    manifest: Path | str | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    planned: tuple[Sequence[PairSpec], Sequence[FileError]] | None = None,
    engine: str = "local",
    ray_address: str | None = None,
    ray_actors: int | None = None,
    ray_gpus_per_actor: float = 0.0,
) -> Report:
    """Check files and folders and collect every result in a :class:`Report` (render it with
    :func:`tqcheck.reports.render`).

    Pairing, globs, ``jobs``, ``progress``, ``planned``, ``engine`` and the ``ray_*`` options as for
    :func:`iter_results`, which streams instead of collecting: use that one for batches too large to hold in memory.

    Example::

        report = check_paths(["articles/"], Config(src_lang="zh", tgt_lang="de"), jobs=0)
        print(render(report, "json"))
    """
    config = config or Config()
    results = tuple(iter_results(paths, config, source=source, reference=reference, manifest=manifest,
                                 jobs=jobs, progress=progress, planned=planned, engine=engine,
                                 ray_address=ray_address, ray_actors=ray_actors,
                                 ray_gpus_per_actor=ray_gpus_per_actor))
    return build_report(results, config)


def build_report(results: Sequence[DocumentResult | FileResult | FileError], config: Config) -> Report:
    """A :class:`Report` of ``results`` (from :func:`iter_results`) with the run's signature and config."""
    rules = select_rules(config.select, config.ignore)
    docs = [r for r in results if not isinstance(r, FileError)]
    packs = [fingerprint for doc in docs for fingerprint in doc.packs]
    pairs = [f"{doc.src_lang or '?'}-{doc.target.lang or '?'}" for doc in docs]  # a file's target is its own
    signature = make_signature(
        rules, severity_overrides={k: v.value for k, v in config.severity_overrides.items()},
        packs=packs, lang_pairs=pairs, qe=_qe_signature(config),
        qe_license=license_of(config.qe.model).id if config.qe is not None else None,
    )
    return Report(SCHEMA_VERSION, __version__, signature, config.as_dict(), tuple(results))


def _qe_signature(config: Config) -> str:
    if config.qe is None:
        return "none"
    return qe_backend(config.qe).signature


__all__ = ["ENGINES", "build_report", "check_paths", "check_spec", "effective_jobs", "glob_match", "iter_prerendered",
           "iter_results", "plan"]
