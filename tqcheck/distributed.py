"""Scale-out on Ray Data: the check of a batch as Ray Data transforms, with the same results as the local engine.

One check, three shells (DESIGN.md): nothing here checks anything itself. Each planned input (a
:class:`~tqcheck.readers.pairing.PairSpec` from :func:`tqcheck.batch.plan`) goes through the function the local
engine calls for it, ``tqcheck.batch.check_spec``, in a Ray task or actor instead of this process or a worker
process; so a broken file is a :class:`~tqcheck.types.FileError`, an unexpected exception an ``internal`` error of
its file only, and an error of the run itself (a malformed pack, a QE model that cannot load) stops the run, as
with ``jobs=1``.

* :func:`check_batch`: a stateless ``map_batches`` function (Ray tasks), for rules-only runs;
* :class:`QEChecker`: a callable class for ``map_batches`` on an actor pool, for runs with QE: an actor keeps its
  QE model loaded for every batch it checks;
* :func:`iter_results_ray`: runs planned inputs through Ray Data and yields their results in input order.

Rows are ``{"index": int, "spec": bytes}`` in (:func:`spec_rows`) and ``{"index": int, "results": bytes}`` out, the
bytes being pickles: of the PairSpec, and of what ``check_spec`` returned (or of the message of a run-level
error). Why pickles rather than columns of paths, languages and result fields: file names need not be UTF-8
(``caf\\xe9.de.txt``) and Arrow strings must be; Arrow turns a column that is all None within a block into NaN
floats in numpy batches (a source-less block would read back ``source=nan``); and a result is a tree of frozen
dataclasses (documents, units, issues, alignments, enums, paths) that no row schema round-trips, while
``iter_results_ray`` must give back the very objects ``iter_results(..., jobs=1)`` gives. A pickle carries them
exactly, as the local worker pool already does. (Ray itself moves every task and object as a pickle, so this
trusts nothing the cluster did not already hold.)

Ray is an optional extra (``pip install 'tqcheck[ray]'``), imported only inside the functions that run it.
"""

from __future__ import annotations

import logging
import math
import os
import pickle
import re
import socket
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING, Any

from tqcheck import __version__
from tqcheck.batch import _describe, check_spec
from tqcheck.config import Config
from tqcheck.errors import ConfigError, EngineUnavailable, TqcheckError
from tqcheck.pipeline import qe_backend
from tqcheck.readers.pairing import PairSpec
from tqcheck.rules import Rule, select_rules
from tqcheck.types import DocumentResult, FileError, FileResult

if TYPE_CHECKING:
    from ray.data import Dataset

__all__ = ["INSTALL_HINT", "MAX_RETRIES", "QEChecker", "check_batch", "iter_results_ray", "require_ray", "spec_rows"]

Result = DocumentResult | FileResult | FileError
_Results = list[Result]

INSTALL_HINT = "pip install 'tqcheck[ray]'"
# How often Ray runs a task again after its worker died (a lost node, a crash). Ray Data's own default retries
# forever, so a file that kills its worker on every attempt would hang the run; 3 is Ray Core's default for tasks.
MAX_RETRIES = 3
# Inputs per task. A Ray Data task costs a tenth of a second or so around its work (measured on 500 articles and
# 2 CPUs: 32 articles/s at 8 per task, 42 at 16, 50 at 32, 49 at 64); _batch_size still leaves four per worker.
_BATCH = 32
_LOST_IN_A_ROW = 3  # batches lost, then files lost one after the other, before the run stops (see _lost_files)
_PICKLE = pickle.HIGHEST_PROTOCOL
_CONNECT_SECONDS = 5.0  # for the head node's port to answer


def require_ray() -> ModuleType:
    """Import Ray Data, or say how to install it.

    Raises:
        EngineUnavailable: ray is not installed, or importing it failed (the message gives the reason).
    """
    try:
        import ray
        import ray.data  # the transforms need Ray Data, not only Ray Core
    except ImportError as err:
        missing = isinstance(err, ModuleNotFoundError) and (err.name or "").split(".")[0] == "ray"
        reason = "" if missing else f" (importing it failed: {err})"
        raise EngineUnavailable(f"the Ray engine needs Ray Data: {INSTALL_HINT}{reason}") from err
    return ray


def spec_rows(specs: Sequence[PairSpec], indices: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """The input rows of ``specs`` (those at ``indices``, default all): ``{"index": i, "spec": pickled spec}``.

    The index travels with the row so that results can be put back in input order whatever order the cluster
    finishes them in.
    """
    chosen = range(len(specs)) if indices is None else indices
    return [{"index": i, "spec": pickle.dumps(specs[i], protocol=_PICKLE)} for i in chosen]


def check_batch(batch: Mapping[str, Sequence[Any]], config: Config, *, tqcheck_version: str | None = None,
                cwd: str | None = None) -> dict[str, list[Any]]:
    """Check a batch of input rows (:func:`spec_rows`): the ``map_batches`` function of rules-only runs.

    Stateless, so Ray runs it as plain tasks anywhere in the cluster. Each row's ``results`` is the pickled list
    that ``tqcheck.batch.check_spec`` returned for it (a file problem is a FileError in it), or the pickled
    message of an error of the run itself, given to that row and the rest of the batch without checking them:
    every file would fail the same way.

    Args:
        batch: a Ray Data batch (``batch_format="numpy"`` or ``"default"``) with ``index`` and ``spec`` columns.
        config: the run's configuration.
        tqcheck_version: the driver's tqcheck version; a worker running another one answers with a run-level
            error instead of results that would not match the report's signature.
        cwd: the driver's working folder, when the run names files by relative paths: the batch is checked from
            there (a cluster's workers start in a folder of their own), so that paths resolve, and read back in
            the results, as they do on the driver.
    """
    indices = [int(index) for index in batch["index"]]
    try:
        if tqcheck_version is not None and tqcheck_version != __version__:
            raise TqcheckError(f"the Ray workers run tqcheck {__version__} but this run is tqcheck {tqcheck_version}: "
                               "install the same version on every node of the cluster")
        with _working_folder(cwd):
            return {"index": indices, "results": _checked(batch["spec"], config,
                                                          select_rules(config.select, config.ignore))}
    except TqcheckError as err:  # the run's, before any file: every row says it
        return {"index": indices, "results": [pickle.dumps(str(err), protocol=_PICKLE)] * len(indices)}


@contextmanager
def _working_folder(folder: str | None) -> Iterator[None]:
    """Work in ``folder`` (None: where this worker is), and come back.

    Raises:
        TqcheckError: this node has no such folder: its files are not where the run's relative paths point.
    """
    previous = os.getcwd()
    if folder is None or folder == previous:
        yield
        return
    try:
        os.chdir(folder)
    except OSError as err:
        raise TqcheckError(f"the Ray worker on {socket.gethostname()} cannot enter {folder} ({err.strerror}), where "
                           "this run's relative paths start: name the files by absolute paths, on storage that "
                           "every node mounts at the same place") from err
    try:
        yield
    finally:
        os.chdir(previous)


def _checked(raw_specs: Iterable[bytes], config: Config, rules: Sequence[Rule]) -> list[bytes]:
    """The payload of each pickled spec: its pickled results, or the pickled message of the run's error."""
    payloads: list[bytes] = []
    run_error: str | None = None
    for raw in raw_specs:
        spec = pickle.loads(raw)
        if run_error is None:
            try:
                payloads.append(_pickled_results(spec, check_spec(spec, config, rules)))
                continue
            except TqcheckError as err:
                # Sent as its message: tqcheck's exceptions take their own __init__ arguments and do not unpickle.
                run_error = str(err)
        payloads.append(pickle.dumps(run_error, protocol=_PICKLE))
    return payloads


def _pickled_results(spec: PairSpec, results: _Results) -> bytes:
    """``results`` pickled; a result that cannot be pickled costs its file only, as in the local worker pool."""
    try:
        return pickle.dumps(results, protocol=_PICKLE)
    except Exception as err:
        return pickle.dumps([FileError(spec.target, "internal", _describe(err))], protocol=_PICKLE)


class QEChecker:
    """Check batches with QE on a Ray actor that keeps its QE model loaded: ``map_batches(QEChecker, ...)``.

    Usage::

        ds.map_batches(QEChecker, fn_constructor_kwargs={"config": config}, batch_size=8,
                       compute=ray.data.ActorPoolStrategy(size=N), num_gpus=G)

    Loading a QE model costs seconds to minutes and gigabytes, so it must happen once per actor, not once per
    batch. The model is the one :func:`tqcheck.pipeline.qe_backend` keeps per configuration and process (an actor
    is a process), loaded by the backend itself on its first segment missing from the score cache, exactly as
    the local engine loads its one model; so nothing here loads anything, and a fully cached batch loads no
    model at all. Each output row also says which actor checked it (``worker``: host and process id), to see how
    the work spread.
    """

    def __init__(self, config: Config, *, tqcheck_version: str | None = None, cwd: str | None = None) -> None:
        """``tqcheck_version`` and ``cwd`` as for :func:`check_batch`."""
        if config.qe is None:
            raise ConfigError("QEChecker runs QE, but the configuration has none: use check_batch for rules only")
        self.config = config
        self.tqcheck_version = tqcheck_version
        self.cwd = cwd
        self.worker = f"{socket.gethostname()}:{os.getpid()}"

    def __call__(self, batch: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
        out = check_batch(batch, self.config, tqcheck_version=self.tqcheck_version, cwd=self.cwd)
        out["worker"] = [self.worker] * len(out["index"])
        return out


def iter_results_ray(
    specs: Sequence[PairSpec],
    config: Config | None = None,
    *,
    address: str | None = None,
    actors: int | None = None,
    gpus_per_actor: float = 0.0,
    cpus_per_actor: float = 1.0,
    retries: int = MAX_RETRIES,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Result]:
    """Check planned inputs (:func:`tqcheck.batch.plan`) on Ray Data; yield the results in input order.

    The results are those of ``tqcheck.batch.iter_results(..., jobs=1)`` for the same specs, equal object for
    object: rules-only runs are Ray tasks over the whole cluster; with QE (``config.qe``) every input is checked
    on a pool of ``actors`` actors that each keep one model loaded. A caller that already connected to Ray keeps
    its connection; otherwise this connects to ``address`` (``"auto"``: the cluster this machine belongs to) or
    starts a local Ray, and shuts down what it started when the results end (or the caller stops).

    A task whose worker dies is run again up to ``retries`` times (a lost node); then its inputs are checked one
    per task, and one that still kills its worker becomes an ``internal`` FileError; when that happens to several
    batches or files in a row, the run stops with an error instead (the workers cannot check anything).

    Args:
        address: the Ray cluster to connect to; None: a local Ray with this machine's CPUs plus one logical CPU
            per QE actor (an actor holding a CPU for the whole run must not starve Ray Data's own tasks).
        actors: QE actors; default: as many as the cluster's GPUs allow at ``gpus_per_actor`` each (and its CPUs,
            leaving one), else one. Each holds a model in memory. Without QE there is no actor.
        gpus_per_actor: GPUs reserved per QE actor (fractions share a GPU); 0: QE on CPU.
        cpus_per_actor: logical CPUs reserved per QE actor (Ray sets the actor's torch threads from it).
        retries: runs of a task after its worker died.
        progress: called as ``progress(done, total)`` with the number of inputs done, first with ``done = 0``.

    Raises:
        EngineUnavailable: Ray is not installed, or the cluster cannot be reached.
        ConfigError: the QE actors do not fit in the cluster.
        TqcheckError: an error of the run itself (as with the local engine), or workers that fail on everything.
    """
    config = config or Config()
    select_rules(config.select, config.ignore)  # an unknown rule fails before Ray starts
    if config.qe is not None:
        qe_backend(config.qe)  # so does a QE checkpoint that is not there
    _check_counts(actors, gpus_per_actor, cpus_per_actor, retries)
    ray = require_ray()
    total = len(specs)
    if progress is not None:
        progress(0, total)
    if not total:
        return
    with _ray_session(ray, address, _local_cpus(config, actors, cpus_per_actor)), _quiet_console():
        pool = _actor_pool(ray, config, actors, gpus_per_actor, cpus_per_actor)
        run = _Run(ray, specs, config, pool, gpus_per_actor, cpus_per_actor, retries)
        for done, results in enumerate(run.in_order(), start=1):
            if progress is not None:
                progress(done, total)
            yield from results


def _check_counts(actors: int | None, gpus_per_actor: float, cpus_per_actor: float, retries: int) -> None:
    if actors is not None and actors < 1:
        raise ConfigError(f"Ray actors must be 1 or more, got {actors}")
    if not (gpus_per_actor >= 0 and math.isfinite(gpus_per_actor)):
        raise ConfigError(f"GPUs per Ray actor must be 0 or more, got {gpus_per_actor}")
    if not (cpus_per_actor > 0 and math.isfinite(cpus_per_actor)):
        raise ConfigError(f"CPUs per Ray actor must be more than 0, got {cpus_per_actor}")
    if retries < 0:
        raise ConfigError(f"Ray retries must be 0 or more, got {retries}")


def _local_cpus(config: Config, actors: int | None, cpus_per_actor: float) -> int:
    """Logical CPUs of a local Ray: this machine's, plus what the QE actors hold for the whole run."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if config.qe is None:
        return cpus
    return cpus + math.ceil((actors or 1) * cpus_per_actor)


@contextmanager
def _ray_session(ray: ModuleType, address: str | None, local_cpus: int) -> Iterator[None]:
    """Ray as the caller left it, else connected to ``address`` or started here; shut down if started here."""
    if ray.is_initialized():
        yield
        return
    # log_to_driver=False: the workers' output would land on this process's stdout, which carries the report.
    # A cluster's warnings concern its owner; a local Ray's (token set-up, shared memory) only live for this run.
    if address:
        _check_reachable(address)
    try:
        if address:
            ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
        else:
            ray.init(address="local", num_cpus=local_cpus, include_dashboard=False, log_to_driver=False,
                     logging_level=logging.ERROR)
    except (ConnectionError, ValueError, RuntimeError) as err:
        where = f"the Ray cluster at {address}" if address else "a local Ray"
        raise EngineUnavailable(f"cannot connect to {where}: {err}") from err
    try:
        yield
    finally:
        ray.shutdown()


def _check_reachable(address: str) -> None:
    """Refuse at once a cluster address that nothing answers on (ray.init would wait for it for minutes).

    Raises:
        EngineUnavailable: the address is malformed, ``auto`` finds no cluster, or its port does not answer.
    """
    if "://" in address:
        return  # Ray Client (ray://host:port) fails fast by itself
    try:
        from ray._private.services import canonicalize_bootstrap_address  # how ray.init resolves the address
    except ImportError:
        return  # another Ray: let ray.init say it
    try:
        resolved = canonicalize_bootstrap_address(address)
    except ValueError as err:
        raise EngineUnavailable(f"invalid Ray cluster address {address!r}: {err}") from err
    if resolved is None:
        raise EngineUnavailable(f"no Ray cluster found for the address {address!r}: none is set in RAY_ADDRESS, and "
                                "none was started on this machine with `ray start`")
    host, _, port = resolved.rpartition(":")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=_CONNECT_SECONDS).close()
    except (OSError, ValueError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err) or type(err).__name__
        raise EngineUnavailable(f"cannot reach the Ray cluster at {address} ({resolved}): {reason}") from err


@contextmanager
def _quiet_console() -> Iterator[None]:
    """Keep Ray Data's console lines (each run's plan and time, "progress bars disabled") off stderr, which
    carries tqcheck's notes and errors, while a run goes; its log file in the Ray session folder still gets
    everything, and errors still show."""
    handlers = [h for h in logging.getLogger("ray.data").handlers if isinstance(h, logging.StreamHandler)]
    levels = [h.level for h in handlers]
    try:
        for handler in handlers:
            handler.setLevel(max(handler.level, logging.ERROR))
        yield
    finally:
        for handler, level in zip(handlers, levels, strict=True):
            handler.setLevel(level)


def _actor_pool(ray: ModuleType, config: Config, actors: int | None, gpus_per_actor: float,
                cpus_per_actor: float) -> int | None:
    """The number of QE actors (None without QE), checked against what the cluster has.

    Raises:
        ConfigError: they do not fit: a pool that cannot start waits for resources instead of failing.
    """
    if config.qe is None:
        return None
    resources = ray.cluster_resources()
    cpus, gpus = resources.get("CPU", 0.0), resources.get("GPU", 0.0)
    if actors is None:
        fit_gpus = int(gpus // gpus_per_actor) if gpus_per_actor > 0 else 1
        fit_cpus = math.ceil(cpus / cpus_per_actor) - 1  # strictly fewer CPUs than the cluster has
        actors = max(1, min(fit_gpus, fit_cpus))
    if actors * gpus_per_actor > gpus:
        raise ConfigError(f"{actors} QE actor{'s' if actors != 1 else ''} with {gpus_per_actor:g} GPU each need "
                          f"{actors * gpus_per_actor:g} GPUs; the Ray cluster has {gpus:g}")
    if actors * cpus_per_actor >= cpus:
        raise ConfigError(f"{actors} QE actor{'s' if actors != 1 else ''} with {cpus_per_actor:g} CPU each would "
                          f"hold all {cpus:g} CPUs of the Ray cluster, leaving none for Ray Data's own tasks: "
                          "use fewer actors")
    return actors


class _Run:
    """One run's datasets: the whole batch, then (if a batch was lost) its inputs one per task."""

    def __init__(self, ray: ModuleType, specs: Sequence[PairSpec], config: Config, actors: int | None,
                 gpus_per_actor: float, cpus_per_actor: float, retries: int) -> None:
        self.ray = ray
        self.specs = specs
        self.config = config
        self.actors = actors
        self.gpus_per_actor = gpus_per_actor
        self.cpus_per_actor = cpus_per_actor
        self.retries = retries

    def in_order(self) -> Iterator[_Results]:
        """Each input's results, in input order, as soon as it and every input before it are done."""
        done: dict[int, bytes] = {}
        ready = 0
        for index, payload in self._rows(range(len(self.specs)), self._batch_size(), lost_blocks=_LOST_IN_A_ROW):
            done[index] = payload
            while ready in done:
                yield _unpickled(done.pop(ready))
                ready += 1
        yield from self._lost_files(ready, done)

    def _lost_files(self, start: int, done: dict[int, bytes]) -> Iterator[_Results]:
        """The inputs from ``start`` on, after batches were lost: the lost inputs run again one per task, so that a
        file that kills its worker costs that file only (an internal error), as in the local worker pool."""
        lost = [i for i in range(start, len(self.specs)) if i not in done]
        if lost:
            done.update(self._rows(lost, 1, lost_blocks=-1))
        in_a_row = 0
        for index in range(start, len(self.specs)):
            if index in done:
                in_a_row = 0
                yield _unpickled(done.pop(index))
                continue
            in_a_row += 1
            target = self.specs[index].target
            if in_a_row >= _LOST_IN_A_ROW:
                raise TqcheckError(f"Ray workers died on {in_a_row} files in a row (the last: {target}); is "
                                   "tqcheck installed on every node? Try --engine local")
            yield [FileError(target, "internal", f"the Ray worker checking this file died on each of "
                                                 f"{self.retries + 1} attempts (crashed or was killed, e.g. out of "
                                                 "memory)")]

    def _batch_size(self) -> int:
        """Inputs per task: up to _BATCH, fewer when that would leave workers idle (four tasks per worker)."""
        workers = self.actors or int(self.ray.cluster_resources().get("CPU", 1)) or 1
        return max(1, min(_BATCH, len(self.specs) // (workers * 4)))

    def _rows(self, indices: Sequence[int], batch_size: int, *, lost_blocks: int) -> Iterator[tuple[int, bytes]]:
        """(index, payload) of the inputs at ``indices``, in the order the cluster finishes them.

        Args:
            lost_blocks: blocks (of ``batch_size`` inputs) Ray Data may drop when their task fails on every
                attempt, before it fails the run (-1: any number).
        """
        try:
            for row in self._dataset(indices, batch_size, lost_blocks).iter_rows():
                yield int(row["index"]), row["results"]
        except self.ray.exceptions.RayError as err:
            raise TqcheckError(f"the Ray run failed: {_summary(err)}; is tqcheck installed, at the same "
                               "version, on every node? Try --engine local") from err

    def _dataset(self, indices: Sequence[int], batch_size: int, lost_blocks: int) -> Dataset:
        data = self.ray.data
        context = data.DataContext.get_current()
        # A Dataset copies the current DataContext when it is made: set ours for that moment only.
        saved = (context.max_errored_blocks, context.enable_progress_bars, context.print_on_execution_start)
        try:
            # Progress is the caller's (tqcheck's own bar); the plan printout would go to stderr on every run.
            context.max_errored_blocks = lost_blocks
            context.enable_progress_bars = False
            context.print_on_execution_start = False
            rows = data.from_items(spec_rows(self.specs, indices),
                                   override_num_blocks=math.ceil(len(indices) / batch_size))
            return self._map(rows, batch_size)
        finally:
            context.max_errored_blocks, context.enable_progress_bars, context.print_on_execution_start = saved

    def _map(self, rows: Dataset, batch_size: int) -> Dataset:
        common: dict[str, Any] = {"batch_size": batch_size, "batch_format": "numpy", "udf_modifying_row_count": False}
        arguments = {"config": self.config, "tqcheck_version": __version__,
                     "cwd": os.getcwd() if _relative_paths(self.specs, self.config) else None}
        if self.actors is None:
            with _retry_arguments():
                return rows.map_batches(check_batch, fn_kwargs=arguments, max_retries=self.retries, **common)
        with _retry_arguments():
            return rows.map_batches(
                QEChecker, fn_constructor_kwargs=arguments,
                compute=self.ray.data.ActorPoolStrategy(size=self.actors), num_gpus=self.gpus_per_actor or None,
                num_cpus=self.cpus_per_actor, max_task_retries=self.retries, **common)


def _relative_paths(specs: Sequence[PairSpec], config: Config) -> bool:
    """Whether the run reads a file by a relative path: inputs, packs, glossary, a local QE model or its cache."""
    paths: list[str | os.PathLike[str]] = [p for s in specs for p in (s.target, s.source, s.reference) if p is not None]
    paths += [*config.packs, *([config.glossary] if config.glossary is not None else [])]
    if config.qe is not None:
        if os.path.exists(config.qe.model):  # else a hub name, which looks relative
            paths.append(config.qe.model)
        if config.qe.cache_dir is not None:
            paths.append(config.qe.cache_dir)
    return not all(os.path.isabs(path) for path in paths)


@contextmanager
def _retry_arguments() -> Iterator[None]:
    """``max_retries``/``max_task_retries`` pass through map_batches' ``**ray_remote_args``, which Ray 2.60
    deprecates in favour of named parameters that do not include them yet; without them a file that kills its
    worker is retried forever. The warning says nothing a tqcheck user can act on."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*ray_remote_args.* is deprecated")
        yield


def _unpickled(payload: bytes) -> _Results:
    """The results in a payload; a payload that is a message is the run's error, raised as in the local engine."""
    results = pickle.loads(payload)
    if isinstance(results, str):
        raise TqcheckError(results)
    return results  # type: ignore[no-any-return]


def _summary(err: BaseException) -> str:
    """The line of a Ray error that says what failed (``TypeError: …``), without the ``ray::Task() (pid=…)``
    headers and colours Ray puts around it."""
    lines = (re.sub(r"\x1b\[[0-9;]*m", "", line).strip() for line in str(err).splitlines())
    return next((line for line in lines if line and not line.startswith("ray::")), type(err).__name__)
