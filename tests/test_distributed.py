"""The Ray engine (tqcheck.distributed): the same results as --jobs 1, on one local Ray cluster for the module."""

from __future__ import annotations

import importlib.util
import json
import os
import pickle
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import qe_fixtures
from tests.conftest import ROOT, SAMPLES
from tests.test_batch import write
from tqcheck import Config, __version__, iter_results
from tqcheck import distributed as distributed_module
from tqcheck.batch import plan
from tqcheck.cli import ExitStatus, main
from tqcheck.distributed import QEChecker, check_batch, iter_results_ray, spec_rows
from tqcheck.errors import EngineUnavailable, TqcheckError
from tqcheck.qe import QEConfig
from tqcheck.types import DocumentResult, FileError

qe_models = qe_fixtures.qe_models

# Ray Data 2.60's own DataContext() sets fields it deprecates: third-party warnings we cannot fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")

# Files whose names start so are made to fail inside the Ray workers only (see _worker_hook).
KILLS_ITS_WORKER = "kills-its-worker"
RAISES_IN_CHECK = "raises-in-check"


def _worker_hook(loads_log: Path):
    """A Ray worker set-up hook: in each worker, ``check`` kills the worker, or raises, on the files named for it,
    and every QE model load appends the worker's process id to ``loads_log``. The driver is untouched, so the
    same files check normally with the local engine."""

    def install() -> None:
        import os
        from pathlib import Path

        from tqcheck import batch
        from tqcheck.qe.comet import CometBackend

        real_check, real_load = batch.check, CometBackend._load_model

        def check(target, *args, **kwargs):
            name = Path(target).name
            if name.startswith(KILLS_ITS_WORKER):
                os._exit(13)  # a worker that dies (segfault, out of memory) rather than raising
            if name.startswith(RAISES_IN_CHECK):
                raise ZeroDivisionError("boom")
            return real_check(target, *args, **kwargs)

        def load_model(self):
            with open(loads_log, "a", encoding="ascii") as log:
                log.write(f"{os.getpid()}\n")
            return real_load(self)

        batch.check = check
        CometBackend._load_model = load_model

    return install


@pytest.fixture(scope="module")
def ray_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, Path]]:
    """One local Ray for the module, and the file its workers log QE model loads to: 4 logical CPUs on this
    2-core machine, so a QE actor pool never takes every CPU from Ray Data's own tasks."""
    if importlib.util.find_spec("ray") is None:
        pytest.skip(f"needs the [ray] extra ({distributed_module.INSTALL_HINT})")
    ray = distributed_module.require_ray()
    from ray import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers need not import this module
    loads_log = tmp_path_factory.mktemp("ray") / "model-loads.log"
    ray.init(address="local", num_cpus=4, include_dashboard=False, log_to_driver=False,
             runtime_env={"worker_process_setup_hook": _worker_hook(loads_log)})
    try:
        yield ray, loads_log
    finally:
        ray.shutdown()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The samples, a binary file and an undecodable one (damaged UTF-8) posing as German articles."""
    root = tmp_path / "batch"
    shutil.copytree(SAMPLES, root, ignore=shutil.ignore_patterns("*.md"))
    write(root / "broken.de.txt", bytes(range(256)) * 4)
    write(root / "damaged.de.txt", "Die Größe ändert sich über Nacht.\n".encode() + b"\xff ok\n")
    return root


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def names(results: list) -> list[str]:
    return [(r.path if isinstance(r, FileError) else r.target.path).name for r in results]


# -- the same results as the local engine ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "json", "text"])
def test_cli_report_equals_jobs_1(ray_cluster, folder: Path, capsys, fmt: str):
    """--engine ray writes the very report of --jobs 1 (the reports have no timings), says the same on stderr
    and exits with the same status: broken files listed, the others checked."""
    local = run_cli(capsys, "check", str(folder), "--format", fmt, "--jobs", "1")
    ray = run_cli(capsys, "check", str(folder), "--format", fmt, "--engine", "ray")
    assert ray == local
    status, out, err = local
    assert status == ExitStatus.GATE_FAILED
    assert f"tqcheck: error: {folder / 'broken.de.txt'}: looks binary" in err
    if fmt == "jsonl":
        lines = [json.loads(line) for line in out.splitlines()]
        assert [line["type"] for line in lines].count("document") == 4
        assert sorted(line["kind"] for line in lines if line["type"] == "error") == ["binary", "encoding"]


def test_relative_paths_resolve_where_the_run_started(ray_cluster, folder: Path, capsys, monkeypatch):
    """Files named relative to this process's folder are found by Ray workers that started in another one (as a
    cluster's always do), and the report names them as given, as the local engine does."""
    monkeypatch.chdir(folder.parent)
    local = run_cli(capsys, "check", folder.name, "--format", "jsonl")
    ray = run_cli(capsys, "check", folder.name, "--format", "jsonl", "--engine", "ray")
    assert ray == local
    assert f"tqcheck: error: {folder.name}/broken.de.txt: looks binary" in local[2] and "no such file" not in local[2]


def test_library_yields_the_same_objects_in_input_order(ray_cluster, folder: Path):
    """iter_results(engine="ray") and iter_results_ray give the objects --jobs 1 gives, in its order; progress
    counts every target up from 0."""
    config = Config()
    specs, errors = plan([folder], config)
    local = list(iter_results([folder], config, jobs=1))
    seen: list[tuple[int, int]] = []
    through_batch = list(iter_results([folder], config, engine="ray", progress=lambda *p: seen.append(p)))
    direct = list(iter_results_ray(specs, config))
    assert through_batch == local and direct == local[len(errors):]
    assert [type(r) for r in local].count(DocumentResult) == 4 and len(specs) == 6
    assert seen == [(done, len(specs)) for done in range(len(specs) + 1)]


def test_exception_while_checking_costs_its_file_only(ray_cluster, folder: Path):
    """An exception inside a Ray worker's check is an internal error of that file; the others are as local."""
    config = Config(tgt_lang="de")
    write(folder / f"{RAISES_IN_CHECK}.de.txt", "Die Firma verkauft ihre Produkte im Internet.\n")
    specs, _ = plan([folder], config)
    results = list(iter_results_ray(specs, config))
    bad = [r for r in results if isinstance(r, FileError) and r.kind == "internal"]
    assert [r.path.name for r in bad] == [f"{RAISES_IN_CHECK}.de.txt"]
    assert "ZeroDivisionError: boom" in bad[0].message
    local = list(iter_results([folder], config, jobs=1, planned=(specs, [])))
    assert names(results) == names(local)
    assert [r for r in results if r not in bad] == [r for r in local if names([r]) != [f"{RAISES_IN_CHECK}.de.txt"]]


def test_worker_that_dies_costs_its_file_only(ray_cluster, folder: Path):
    """A file that kills its Ray worker on every attempt is an internal error; the rest of its batch and of the
    run are checked, in order."""
    config = Config(tgt_lang="de")
    write(folder / f"{KILLS_ITS_WORKER}.de.txt", "Die Firma verkauft ihre Produkte im Internet.\n")
    specs, _ = plan([folder], config)
    results = list(iter_results_ray(specs, config, retries=0))
    died = [r for r in results if isinstance(r, FileError) and r.kind == "internal"]
    assert [r.path.name for r in died] == [f"{KILLS_ITS_WORKER}.de.txt"]
    assert "Ray worker checking this file died on each of 1 attempts" in died[0].message
    local = list(iter_results([folder], config, jobs=1, planned=(specs, [])))
    assert names(results) == names(local)
    assert [r for r in results if r not in died] == [r for r in local if names([r]) != [f"{KILLS_ITS_WORKER}.de.txt"]]


@pytest.mark.parametrize(("files", "message"), [
    (3, r"Ray workers died on 3 files in a row \(the last: .*kills-its-worker-2.de.txt\).*Try --engine local"),
    (4, r"the Ray run failed: .*worker died.*Try --engine local"),  # more batches lost than Ray Data may drop
])
def test_workers_dying_on_every_file_stop_the_run(ray_cluster, tmp_path: Path, files: int, message: str):
    """Workers that cannot check anything stop the run with advice, not one error per file."""
    for n in range(files):
        write(tmp_path / f"{KILLS_ITS_WORKER}-{n}.de.txt", "Die Firma verkauft ihre Produkte im Internet.\n")
    specs, _ = plan([tmp_path], Config(tgt_lang="de"))
    with pytest.raises(TqcheckError, match=message):
        list(iter_results_ray(specs, Config(tgt_lang="de"), retries=0))


def test_run_level_error_is_raised_as_with_jobs_1(ray_cluster, folder: Path, tmp_path: Path, capsys):
    """A malformed rule pack is the run's error, not a file's: exit 2 naming the pack, the local engine's line."""
    pack = write(tmp_path / "pack" / "de" / "furniture.tsv", "not\ta\tvalid\theader\n").parent.parent
    local = run_cli(capsys, "check", str(folder), "--pack", str(pack), "--format", "jsonl")
    ray = run_cli(capsys, "check", str(folder), "--pack", str(pack), "--format", "jsonl", "--engine", "ray")
    assert ray == local and local[0] == ExitStatus.USAGE_OR_INPUT_ERROR and str(pack) in local[2]


def test_worker_of_another_version_refuses_to_check(folder: Path):
    """A worker whose tqcheck differs from the driver's answers with a run-level error, not other results."""
    specs, _ = plan([folder], Config(tgt_lang="de"))
    rows = spec_rows(specs, [0, 1])
    batch = {"index": [row["index"] for row in rows], "spec": [row["spec"] for row in rows]}
    out = check_batch(batch, Config(tgt_lang="de"), tqcheck_version="0.0.0")
    assert out["index"] == [0, 1]
    assert {pickle.loads(p) for p in out["results"]} == {
        f"the Ray workers run tqcheck {__version__} but this run is tqcheck 0.0.0: install the same version on "
        "every node of the cluster"}
    same = check_batch(batch, Config(tgt_lang="de"), tqcheck_version=__version__)
    assert [pickle.loads(p) for p in same["results"]] == [list(iter_results([s.target], Config(tgt_lang="de")))
                                                           for s in specs[:2]]


def test_options_an_engine_ignores_are_noted(ray_cluster, capsys):
    """An option the chosen engine does not use is said on stderr (and not with --quiet), never silently dropped."""
    target = str(SAMPLES / "mini-programme.de.txt")
    _, out_local, err = run_cli(capsys, "check", target, "--ray-actors", "2", "--ray-address", "auto")
    assert "tqcheck: note: --ray-address, --ray-actors ignored without --engine ray" in err
    _, out_ray, err = run_cli(capsys, "check", target, "--engine", "ray", "--jobs", "2", "--ray-gpus-per-actor", "1")
    assert "tqcheck: note: --jobs ignored with --engine ray: Ray uses the cluster's CPUs" in err
    assert "tqcheck: note: --ray-gpus-per-actor ignored without QE: rules run as Ray tasks, not actors" in err
    assert out_ray == out_local
    _, _, err = run_cli(capsys, "check", target, "--engine", "ray", "--jobs", "2", "--quiet")
    assert err == ""


# -- QE on an actor pool ---------------------------------------------------------------------------------------


@pytest.fixture
def offline_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """QEConfig(offline=True) sets the HF offline variables for the process: restore them afterwards."""
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.setenv(name, "1")
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:
        monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)


@pytest.mark.qe
def test_qe_actors_load_the_model_once_each_and_match_jobs_1(ray_cluster, qe_models, offline_env, tmp_path: Path):
    """Two QE actors check six articles in six batches: each actor loads its model once (no score cache, so every
    batch needs it), and the results are those of the local engine."""
    articles = tmp_path / "articles"
    articles.mkdir()
    for n in range(3):
        for name in ("live-commerce.zh.txt", "live-commerce.zh-de.mt.txt", "mini-programme.zh.txt",
                     "mini-programme.de.txt"):
            stem, _, rest = name.partition(".")
            shutil.copy(SAMPLES / name, articles / f"{stem}-{n}.{rest}")
    qe = QEConfig(model=str(qe_models.kiwi), offline=True, device="cpu", use_cache=False)
    config = Config(src_lang="zh", tgt_lang="de", qe=qe)
    specs, errors = plan([articles], config)
    assert len(specs) == 6 and not errors

    ray, loads_log = ray_cluster
    loads_log.unlink(missing_ok=True)
    rows = ray.data.from_items(spec_rows(specs), override_num_blocks=len(specs)).map_batches(
        QEChecker, fn_constructor_kwargs={"config": config, "tqcheck_version": __version__}, batch_size=1,
        compute=ray.data.ActorPoolStrategy(size=2), num_cpus=1, batch_format="numpy").take_all()
    assert sorted(row["index"] for row in rows) == list(range(6))
    batches = Counter(int(row["worker"].rpartition(":")[2]) for row in rows)
    loads = Counter(int(pid) for pid in loads_log.read_text(encoding="ascii").split())
    assert 1 <= len(batches) <= 2 and max(batches.values()) >= 3, batches  # an actor checked several batches
    assert loads == dict.fromkeys(batches, 1), (loads, batches)  # ... and loaded its model once

    local = list(iter_results([articles], config, jobs=1))
    loads_log.unlink()
    on_ray = list(iter_results([articles], config, engine="ray", ray_actors=2))
    assert on_ray == local
    loads = Counter(int(pid) for pid in loads_log.read_text(encoding="ascii").split())
    assert 1 <= len(loads) <= 2 and set(loads.values()) == {1}, loads
    assert all(doc.qe.status == "ok" for doc in on_ray)
    by_index = {row["index"]: pickle.loads(row["results"]) for row in rows}
    assert [result for index in range(6) for result in by_index[index]] == local


# -- without Ray -----------------------------------------------------------------------------------------------


def test_missing_ray_exits_2_with_how_to_install_it(monkeypatch, capsys):
    """Without the extra, --engine ray is one error line saying what to install, exit 2, no traceback."""
    for name in ("ray", "ray.data"):
        monkeypatch.setitem(sys.modules, name, None)  # "import ray" now fails as if it were not installed
    status, out, err = run_cli(capsys, "check", str(SAMPLES), "--engine", "ray")
    assert (status, out, err) == (ExitStatus.USAGE_OR_INPUT_ERROR, "",
                                  "tqcheck: error: the Ray engine needs Ray Data: pip install 'tqcheck[ray]'\n")
    with pytest.raises(EngineUnavailable, match=r"pip install 'tqcheck\[ray\]'$"):
        next(iter_results([SAMPLES], engine="ray"))


def test_unreachable_cluster_is_one_error_line_at_once(ray_cluster):
    """A cluster address nothing answers on fails in seconds with one line (ray.init alone would wait minutes)."""
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    done = subprocess.run([sys.executable, "-m", "tqcheck", "check", str(SAMPLES), "--engine", "ray",
                           "--ray-address", "127.0.0.1:1"], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == ExitStatus.USAGE_OR_INPUT_ERROR and done.stdout == ""
    assert done.stderr.startswith("tqcheck: error: cannot reach the Ray cluster at 127.0.0.1:1 (")
    assert done.stderr.count("\n") == 1


def test_cli_imports_nothing_of_ray():
    """`tqcheck --help` stays fast: the CLI module imports neither Ray nor the distributed module."""
    code = ("import sys, tqcheck.cli; bad = [m for m in sys.modules if m.split('.')[0] in ('ray', 'pyarrow') "
            "or m == 'tqcheck.distributed']; assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
