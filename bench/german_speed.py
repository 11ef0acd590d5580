#!/usr/bin/env python3
"""Rules-only CPU seconds per MB of German text, one tree against another, in interleaved paired runs.

    python bench/german_speed.py --tree OLD --tree NEW [--devset ../shared/devsets] [--pairs 5] [--megabytes 2]
    python bench/german_speed.py ... --per-rule      # also each rule's CPU seconds per MB (medians)

Each run is a fresh process with ``PYTHONPATH`` set to its tree and a cache folder of its own (two code versions
sharing one would rebuild each other's tables): it checks the corpora of bench/speed.py section 1 row (a)
(``german_corpus``) and, with ``--devset``, row (d) (``devset_articles``), each after a warm-up check, and reports
CPU seconds (``time.process_time``) per MB (10^6 UTF-8 bytes). The trees run in turn, the first of a pair
alternating, so a drift of the shared machine's speed falls on both; the figures are the medians per tree and the
median of the pairs' ratios. One ``--tree`` just measures that tree.

``--per-rule`` times each rule's check within the same runs (the pipeline's plan of each rule wrapped in a timer,
which costs a little), and prints the rules above 1 ms/MB per row and tree; a rule that first asks for something
the rules share (the lowered text, the shared Aho–Corasick pass) is charged for it. What the rules do not spend is
"other" (segmentation, scoring, routing).
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


def measure(megabytes: float, devset: Path | None, per_rule: bool = False) -> dict[str, float]:
    """CPU seconds per MB of each row, in this process (the tree on ``sys.path`` is the one measured); with
    ``per_rule`` also ``"row code"`` → each rule's share."""
    sys.path.insert(0, str(BENCH))
    import speed  # bench/speed.py: the corpora its section 1 measures

    import tqcheck

    rows = {"a": speed.german_corpus(megabytes)}
    if devset is not None:
        rows["d"] = speed.devset_articles(devset)
    config = tqcheck.Config(tgt_lang="de")
    spent: dict[str, float] = {}
    if per_rule:
        _time_rules(spent)
    figures = {}
    for name, texts in rows.items():
        tqcheck.check(texts[0], config=config)  # warm: packs loaded, tables built
        spent.clear()
        start = time.process_time()
        for text in texts:
            tqcheck.check(text, config=config)
        size = speed.utf8_size(*texts) / speed.MB
        figures[name] = (time.process_time() - start) / size
        figures.update((f"{name} {code}", seconds / size) for code, seconds in spent.items())
    return figures


def _time_rules(spent: dict[str, float]) -> None:
    """Wrap the check of every rule plan the pipeline makes in a timer that adds to ``spent[code]``."""
    import dataclasses

    from tqcheck import pipeline

    plans = pipeline._rule_plans
    wrapped: dict[int, tuple[object, tuple[object, ...]]] = {}

    def timed(code: str, check):  # type: ignore[no-untyped-def]
        def run(ctx):  # type: ignore[no-untyped-def]
            start = time.process_time()
            found = list(check(ctx))
            spent[code] = spent.get(code, 0.0) + time.process_time() - start
            return found
        return run

    def timed_plans(rules, config, src, tgt):  # type: ignore[no-untyped-def]
        made = plans(rules, config, src, tgt)
        entry = wrapped.get(id(made))
        if entry is None or entry[0] is not made:
            entry = wrapped[id(made)] = (made, tuple(dataclasses.replace(p, check=timed(p.rule.code, p.check))
                                                      for p in made))
        return entry[1]

    pipeline._rule_plans = timed_plans  # type: ignore[assignment]


def run_tree(tree: Path, cache: Path, megabytes: float, devset: Path | None,
             per_rule: bool = False) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", "--megabytes", str(megabytes)]
    if devset is not None:
        command += ["--devset", str(devset)]
    if per_rule:
        command.append("--per-rule")
    env = {**os.environ, "PYTHONPATH": str(tree), "TQCHECK_CACHE_DIR": str(cache)}
    done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", type=Path, action="append", default=[], help="a source tree (twice: compare)")
    parser.add_argument("--devset", type=Path, help="the folder of the development sets, for row (d)")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--megabytes", type=float, default=2.0, help="size of row (a)'s corpus")
    parser.add_argument("--per-rule", action="store_true", help="also each rule's CPU seconds per MB")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.megabytes, args.devset, args.per_rule)))
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
                runs[k].append(run_tree(trees[k], caches[k], args.megabytes, args.devset, args.per_rule))
    for row in (key for key in runs[0][0] if " " not in key):
        for tree, figures in zip(trees, runs, strict=True):
            values = [f[row] for f in figures]
            print(f"row ({row}) {tree}: median {statistics.median(values):.3f} s/MB "
                  f"({1 / statistics.median(values):.2f} MB/s); runs " + " ".join(f"{v:.3f}" for v in values))
        if len(trees) == 2:
            ratios = [new[row] / old[row] for old, new in zip(runs[0], runs[1], strict=True)]
            print(f"row ({row}) second/first: median {statistics.median(ratios):.3f}; pairs "
                  + " ".join(f"{r:.3f}" for r in ratios))
        if args.per_rule:
            for tree, figures in zip(trees, runs, strict=True):
                codes = {key.split(" ")[1] for f in figures for key in f if key.startswith(f"{row} ")}
                medians = {code: statistics.median(f.get(f"{row} {code}", 0.0) for f in figures) for code in codes}
                rules = sum(medians.values())
                shown = sorted((c for c in medians if medians[c] >= 0.001), key=lambda c: -medians[c])
                print(f"row ({row}) {tree} per rule (s/MB, medians): rules {rules:.3f}, other "
                      f"{statistics.median(f[row] for f in figures) - rules:.3f}; "
                      + " ".join(f"{c} {medians[c]:.4f}" for c in shown))


if __name__ == "__main__":
    main()
