#!/usr/bin/env python3
"""Start-up of one tree against another: CPU of fresh processes, run in turn (A B A B …), paired.

    python bench/startup.py --tree BASELINE_TREE [--tree OTHER_TREE] [--runs 11] [--help-only | --check-only]

Each run is a new interpreter with bytecode written and read as an installed tqcheck has it, its tree first on
``PYTHONPATH``: ``python -m tqcheck --help``, and a rules-only check of the sample article with its source (the
start-up target of the speed issue). A tree's figure is the median of its runs' user + system CPU; the pairs'
ratios (B / A, one pair a round) are what to quote on a busy machine, whose speed drifts from one run to the
next. The second tree defaults to this one. A bare ``python -c pass`` is measured in the same rounds, so the
figures beyond the interpreter can be read off too. Each tree has a cache folder of its own (``TQCHECK_CACHE_DIR``,
a temporary folder): a table that two versions of the code build differently would otherwise be rebuilt at every
run. The first round is a warm-up (bytecode written, the cache folders filled) and is not counted.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
SAMPLE = ("samples/wechat-ecommerce.zh-de.mt.txt", "--source", "samples/wechat-ecommerce.zh.txt", "--format", "json")
COMMANDS = {
    "bare": ("-c", "pass"),
    "help": ("-m", "tqcheck", "--help"),
    "check": ("-m", "tqcheck", "check", *SAMPLE),
}


def cpu_of(tree: Path, arguments: tuple[str, ...], cache: Path) -> float:
    """User + system CPU seconds of one fresh ``python ARGUMENTS`` with ``tree`` first on the path and ``cache``
    its cache folder, run in ``tree`` (the sample paths are relative to it)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(tree), TQCHECK_CACHE_DIR=str(cache))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, *arguments], cwd=tree, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", action="append", type=Path, required=True,
                        help="a tqcheck source tree (give one, the baseline, or two: A then B)")
    parser.add_argument("--runs", type=int, default=11, help="counted rounds (default 11)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--help-only", action="store_true", help="only tqcheck --help")
    which.add_argument("--check-only", action="store_true", help="only the sample check")
    args = parser.parse_args()
    trees = [t.resolve() for t in args.tree] + ([HERE] if len(args.tree) == 1 else [])
    if len(trees) != 2:
        parser.error("give one or two --tree")
    names = ["help"] if args.help_only else ["check"] if args.check_only else ["help", "check"]
    figures: dict[tuple[str, int], list[float]] = {(name, i): [] for name in names for i in (0, 1)}
    bare: list[float] = []
    with tempfile.TemporaryDirectory(prefix="tqcheck-startup-") as tmp:
        caches = [Path(tmp) / "a", Path(tmp) / "b"]
        for round_ in range(args.runs + 1):
            cpu = cpu_of(trees[0], COMMANDS["bare"], caches[0])
            if round_:
                bare.append(cpu)
            for name in names:
                for i, tree in enumerate(trees):
                    cpu = cpu_of(tree, COMMANDS[name], caches[i])
                    if round_:
                        figures[name, i].append(cpu)
    print(f"A = {trees[0]}\nB = {trees[1]}\n{args.runs} rounds after a warm-up; CPU s (user + sys), "
          f"min / median / max")
    print(f"  {'python -c pass':24} {min(bare):.3f} / {statistics.median(bare):.3f} / {max(bare):.3f}")
    for name in names:
        a, b = figures[name, 0], figures[name, 1]
        ratios = sorted(y / x for x, y in zip(a, b, strict=True))
        for label, runs in (("A", a), ("B", b)):
            beyond = statistics.median(runs) - statistics.median(bare)
            print(f"  {name + ' ' + label:24} {min(runs):.3f} / {statistics.median(runs):.3f} / {max(runs):.3f}"
                  f"   (+{beyond:.3f} beyond the bare interpreter)")
        print(f"  {name + ' B/A':24} {ratios[0]:.3f} / {statistics.median(ratios):.3f} / {ratios[-1]:.3f}")


if __name__ == "__main__":
    main()
