#!/usr/bin/env python3
"""Ray engine throughput against the local worker pool, on the same batch in the same run.

    python bench/ray_batch.py [--articles 2000] [--jobs 2] [--ray-address ADDR] [--keep DIR] [--quick]

Writes the corpus that bench/batch.py's generator writes (``--articles`` German articles recombined from the
samples, a quarter with their Chinese source; seeded, so every run checks the same files), then, in this process:

* the local engine with ``--jobs`` worker processes: wall time and articles/s, starting the pool included;
* Ray's fixed overhead: starting a local Ray with this machine's CPUs (or connecting to ``--ray-address``) plus a
  1-file run, which starts the Ray workers and imports tqcheck in them;
* the Ray engine on the same batch, on that warm cluster: wall time, articles/s and the ratio to the local engine;
* whether both engines gave the same results (a digest of every document's and error's JSON).

Rules only: QE runs on actors and costs what the model costs (bench/qe.py). ``--quick`` checks 200 articles.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _corpus_generator():
    """bench/batch.py's ``generate``, so that both benchmarks check the same articles."""
    spec = importlib.util.spec_from_file_location("bench_batch", ROOT / "bench" / "batch.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate


def digest(results: Iterable[object]) -> tuple[str, int]:
    """A digest of the results' JSON (what the reports are made of) and the number of results."""
    from tqcheck.reports.json import document_to_dict, error_to_dict
    from tqcheck.types import FileError

    sha, count = hashlib.sha256(), 0
    for result in results:
        line = error_to_dict(result) if isinstance(result, FileError) else document_to_dict(result)
        sha.update(json.dumps(line, ensure_ascii=False, sort_keys=True).encode())
        count += 1
    return sha.hexdigest()[:16], count


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2_000, help="articles in the batch (default 2000)")
    parser.add_argument("--quick", action="store_true", help="200 articles")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes of the local engine (default 2)")
    parser.add_argument("--ray-address", help="an existing Ray cluster (default: a local Ray with this machine's CPUs)")
    parser.add_argument("--keep", type=Path, help="generate the corpus here and keep it (default: a temp folder)")
    args = parser.parse_args()

    import ray

    from tqcheck import Config, iter_results
    from tqcheck.batch import plan
    from tqcheck.distributed import iter_results_ray

    count = 200 if args.quick else args.articles
    base = args.keep or Path(tempfile.mkdtemp(prefix="tqcheck-ray-bench-"))
    folder = base / f"a{count}"
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    try:
        with_source, size = _corpus_generator()([(folder, count)], count)
        config = Config(src_lang="zh", tgt_lang="de")
        specs, errors = plan([folder], config)
        print(f"corpus: {count} articles ({with_source} with a zh source), {size / 1e6:.1f} MB UTF-8, in {folder}; "
              f"{cpus} CPUs; ray {ray.__version__}")

        local, t_local = timed(lambda: digest(iter_results([folder], config, jobs=args.jobs, planned=(specs, errors))))
        print(f"local  --jobs {args.jobs}:  {t_local:7.1f} s  {count / t_local:7.1f} articles/s", flush=True)

        where = {"address": args.ray_address} if args.ray_address else {
            "address": "local", "num_cpus": cpus, "include_dashboard": False}  # as tqcheck starts it, rules only
        _, t_start = timed(lambda: ray.init(log_to_driver=False, logging_level=logging.ERROR, **where))
        try:
            _, t_one = timed(lambda: digest(iter_results_ray(specs[:1], config)))
            on_ray, t_ray = timed(lambda: digest(iter_results([folder], config, engine="ray", planned=(specs, errors))))
            cluster_cpus = ray.cluster_resources().get("CPU", 0)
        finally:
            ray.shutdown()
        print(f"ray    {cluster_cpus:g} CPUs:   {t_ray:7.1f} s  {count / t_ray:7.1f} articles/s  "
              f"(ray / local: {t_local / t_ray:.2f})")
        print(f"ray fixed overhead: {t_start + t_one:.1f} s (cluster start {t_start:.1f} s + 1-file run {t_one:.1f} s)")
        print(f"same results: {'yes' if on_ray == local else 'NO'} ({local[1]} results, digest {local[0]})")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
