"""Batch throughput with 1 and 2 worker processes, and peak memory when results are streamed.

    python bench/batch.py [--articles 10000] [--quick] [--keep DIR] [--jobs 1 2]

Generates ``--articles`` German articles recombined from the samples' paragraphs (seeded, so every run checks
the same corpus) as ``NNNNN.de.txt``, a quarter of them with their Chinese source ``NNNNN.zh.txt`` (built
from the paragraph-aligned sample pairs, so source and target correspond), and a copy of the first tenth in a
second folder. Each (size, jobs) run happens in a fresh process that streams ``tqcheck.iter_results`` into a
JSON Lines sink (one ``json.dumps`` per result, then the result is dropped) and reports:

* articles/s (wall time, including pairing and starting the workers);
* peak RSS of that process (``RUSAGE_SELF``) and of its largest worker (``RUSAGE_CHILDREN``, read after the
  pool has shut down), and the parent's current RSS after each tenth of the batch. Streaming must keep these
  flat: the same at a tenth of the articles as at all of them.

``--quick`` checks 1 000 articles (memory at 100 and 1 000) instead of 10 000 (at 1 000 and 10 000).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
# Sample pairs whose paragraphs correspond one to one (same count, same order).
ALIGNED_PAIRS = (("mini-programme.zh.txt", "mini-programme.de.txt"),
                 ("live-commerce.zh.txt", "live-commerce.zh-de.mt.txt"))
GERMAN = ("mini-programme.de.txt", "live-commerce.zh-de.mt.txt", "wechat-ecommerce.zh-de.mt.txt")
SOURCE_EVERY = 4  # every 4th article has a source


def _paragraphs(name: str) -> list[str]:
    return [p.strip() for p in (SAMPLES / name).read_text(encoding="utf-8").split("\n\n") if p.strip()]


def generate(folders: list[tuple[Path, int]], count: int, seed: int = 0,
             source_every: int = SOURCE_EVERY) -> tuple[int, int]:
    """Write ``count`` articles into the first folder and the first n of them into each other (folder, n).

    Returns (articles with a source, bytes written to the first folder).
    """
    pairs = [pair for zh, de in ALIGNED_PAIRS for pair in zip(_paragraphs(zh), _paragraphs(de), strict=True)]
    german = [p for name in GERMAN for p in _paragraphs(name)]
    rng = random.Random(seed)
    for folder, _ in folders:
        folder.mkdir(parents=True, exist_ok=True)
    with_source = size = 0
    for index in range(count):
        files = {}
        if index % source_every == 0:
            chosen = rng.sample(pairs, rng.randint(4, 10))
            files["zh"] = "\n\n".join(zh for zh, _ in chosen) + "\n"
            files["de"] = "\n\n".join(de for _, de in chosen) + "\n"
            with_source += 1
        else:
            files["de"] = "\n\n".join(rng.sample(german, rng.randint(4, 12))) + "\n"
        for folder, limit in folders:
            if index < limit:
                for lang, text in files.items():
                    (folder / f"{index:05d}.{lang}.txt").write_text(text, encoding="utf-8")
        size += sum(len(text.encode("utf-8")) for text in files.values())
    return with_source, size


def _rss_now_kb() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def run_one(folder: Path, jobs: int, sink: str) -> dict[str, object]:
    """Stream one batch into ``sink``; runs in its own process so that peak RSS belongs to this batch alone."""
    from tqcheck import Config, iter_results
    from tqcheck.reports.json import document_to_dict, error_to_dict
    from tqcheck.types import FileError

    config = Config(src_lang="zh", tgt_lang="de")
    total = sum(1 for p in folder.iterdir() if p.name.endswith(".de.txt"))
    marks = {max(1, total * k // 10) for k in range(1, 11)}
    rss_at: list[tuple[int, int | None]] = []
    documents = errors = issues = 0
    start = time.perf_counter()
    with open(sink, "w", encoding="utf-8") as out:
        for result in iter_results([folder], config, jobs=jobs):
            if isinstance(result, FileError):
                errors += 1
                line = error_to_dict(result)
            else:
                documents += 1
                issues += len(result.issues)
                line = document_to_dict(result)
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            del result, line  # nothing is kept: memory must not grow with the batch
            if documents + errors in marks:
                rss_at.append((documents + errors, _rss_now_kb()))
    elapsed = time.perf_counter() - start
    return {
        "documents": documents, "errors": errors, "issues": issues, "jobs": jobs, "seconds": elapsed,
        "articles_per_s": documents / elapsed,
        "peak_rss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 if jobs > 1 else None,
        "rss_at": rss_at,
    }


def measure(folder: Path, jobs: int, sink: str) -> dict[str, object]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--run", str(folder), "--jobs", str(jobs), "--sink", sink]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000, help="articles in the large batch (default 10000)")
    parser.add_argument("--quick", action="store_true", help="1000 articles (memory at 100 and 1000)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="job counts to compare (default 1 2)")
    parser.add_argument("--keep", type=Path, help="generate the corpus here and keep it (default: a temp folder)")
    parser.add_argument("--sink", default=os.devnull, help="where the JSON Lines go (default: the null device)")
    parser.add_argument("--source-every", type=int, default=SOURCE_EVERY,
                        help="every Nth article gets a zh source (default 4; 1 = a folder of article pairs)")
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)  # internal: one measurement
    args = parser.parse_args()

    if args.run is not None:
        print(json.dumps(run_one(args.run, args.jobs[0], args.sink)))
        return

    large = 1_000 if args.quick else args.articles
    small = max(1, large // 10)
    base = args.keep or Path(tempfile.mkdtemp(prefix="tqcheck-bench-"))
    try:
        start = time.perf_counter()
        with_source, size = generate([(base / f"a{large}", large), (base / f"a{small}", small)], large,
                                     source_every=args.source_every)
        print(f"corpus: {large} articles ({with_source} with a zh source), {size / 1e6:.1f} MB UTF-8, "
              f"generated in {time.perf_counter() - start:.1f} s in {base}; {os.cpu_count()} CPUs")
        print(f"{'articles':>8} {'jobs':>4} {'seconds':>8} {'articles/s':>10} {'peak RSS':>9} {'worker RSS':>10}  "
              "parent RSS after each tenth (MB)")
        for count in (small, large):
            for jobs in args.jobs:
                r = measure(base / f"a{count}", jobs, args.sink)
                worker = f"{r['peak_rss_worker_mb']:.0f} MB" if r["peak_rss_worker_mb"] else "-"
                tenths = " ".join(f"{kb / 1024:.0f}" for _, kb in r["rss_at"] if kb)  # type: ignore[union-attr]
                print(f"{r['documents']:>8} {jobs:>4} {r['seconds']:>8.1f} {r['articles_per_s']:>10.1f} "
                      f"{r['peak_rss_self_mb']:>6.0f} MB {worker:>10}  {tenths}", flush=True)
                if r["errors"]:
                    print(f"  ({r['errors']} files could not be checked)")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
