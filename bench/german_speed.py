#!/usr/bin/env python3
"""Rules-only CPU seconds per MB of German text, one tree against another, in interleaved paired runs.

    python bench/german_speed.py --tree OLD --tree NEW [--devset ../shared/devsets] [--pairs 5] [--megabytes 2]

Each run is a fresh process with ``PYTHONPATH`` set to its tree and a cache folder of its own (two code versions
sharing one would rebuild each other's tables): it checks the corpora of bench/speed.py section 1 row (a)
(``german_corpus``) and, with ``--devset``, row (d) (``devset_articles``), each after a warm-up check, and reports
CPU seconds (``time.process_time``) per MB (10^6 UTF-8 bytes). The trees run in turn, the first of a pair
alternating, so a drift of the shared machine's speed falls on both; the figures are the medians per tree and the
median of the pairs' ratios. One ``--tree`` just measures that tree.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def measure(megabytes: float, devset: Path | None) -> dict[str, float]:
    """CPU seconds per MB of each row, in this process (the tree on ``sys.path`` is the one measured)."""
    sys.path.insert(0, str(BENCH))
    import speed  # bench/speed.py: the corpora its section 1 measures

    import tqcheck

    rows = {"a": speed.german_corpus(megabytes)}
    if devset is not None:
        rows["d"] = speed.devset_articles(devset)
    config = tqcheck.Config(tgt_lang="de")
    figures = {}
    for name, texts in rows.items():
        tqcheck.check(texts[0], config=config)  # warm: packs loaded, tables built
        start = time.process_time()
        for text in texts:
            tqcheck.check(text, config=config)
        figures[name] = (time.process_time() - start) / (speed.utf8_size(*texts) / speed.MB)
    return figures


def run_tree(tree: Path, cache: Path, megabytes: float, devset: Path | None) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", "--megabytes", str(megabytes)]
    if devset is not None:
        command += ["--devset", str(devset)]
    env = {**os.environ, "PYTHONPATH": str(tree), "TQCHECK_CACHE_DIR": str(cache)}
    done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", type=Path, action="append", default=[], help="a source tree (twice: compare)")
    parser.add_argument("--devset", type=Path, help="the folder of the development sets, for row (d)")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--megabytes", type=float, default=2.0, help="size of row (a)'s corpus")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.megabytes, args.devset)))
        return
    trees = [tree.resolve() for tree in args.tree] or [BENCH.parent]
    if len(trees) > 2:
        parser.error("one or two trees")
    with tempfile.TemporaryDirectory(prefix="german-speed-") as folder:
        caches = [Path(folder) / f"cache{k}" for k in range(len(trees))]
        for tree, cache in zip(trees, caches, strict=True):  # not counted: builds each tree's cached tables
            run_tree(tree, cache, 0.2, None)
        runs: list[list[dict[str, float]]] = [[] for _ in trees]
        for pair in range(args.pairs):
            order = list(range(len(trees)))[::(-1 if pair % 2 else 1)]
            for k in order:
                runs[k].append(run_tree(trees[k], caches[k], args.megabytes, args.devset))
    for row in runs[0][0]:
        for tree, figures in zip(trees, runs, strict=True):
            values = [f[row] for f in figures]
            print(f"row ({row}) {tree}: median {statistics.median(values):.3f} s/MB "
                  f"({1 / statistics.median(values):.2f} MB/s); runs " + " ".join(f"{v:.3f}" for v in values))
        if len(trees) == 2:
            ratios = [new[row] / old[row] for old, new in zip(runs[0], runs[1], strict=True)]
            print(f"row ({row}) second/first: median {statistics.median(ratios):.3f}; pairs "
                  + " ".join(f"{r:.3f}" for r in ratios))


if __name__ == "__main__":
    main()
