#!/usr/bin/env python3
"""The aligner's share of a rules-only zh→de pair check, and what a pair costs without it, measured in one run.

    python bench/align_speed.py [--megabytes 0.15] [--repeat 9] [--devset DIR]

The corpus is bench/speed.py's ``pair_corpus`` (the zh→de sample articles with their Chinese source, repeated;
MB = 10^6 UTF-8 bytes of source + target). Each round, in turn (CPU time of this process, after a warm-up):

- check: ``tqcheck.check`` of every pair, as bench/speed.py section 1b measures it;
- align: ``tqcheck.align.align`` alone, on the very arguments the check passes it (recorded in the warm-up);
- free aligner (the peer): the check with ``align`` replaced by one that returns the recorded alignments, so
  the rest of the check costs what it does with the aligner, but the aligner costs nothing;
- tokens (a floor of the aligner): ``lexicon.tokens_of`` of both sides' sentences, the dictionary lookups every
  alignment starts with.

Printed: each figure's median over ``--repeat`` rounds (the rounds are interleaved, so that a machine whose
speed drifts disturbs all four alike), MB/s, the aligner's share of the check, and the aligner over its floor.
``--devset DIR`` (e.g. ../shared/devsets) adds the aligner's time on the zh→en and en→de development-set
documents (bench/findings_digest.py's ``devset_documents``), only measured.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import speed  # noqa: E402  bench/speed.py: the corpus and its size

import tqcheck  # noqa: E402
import tqcheck.pipeline  # noqa: E402
from tqcheck.align import align, lexicon  # noqa: E402

Call = tuple[tuple[Any, ...], dict[str, Any]]


def recorded_calls(pairs: Sequence[tuple[str, str]], config: tqcheck.Config) -> tuple[list[Call], list[Any]]:
    """The arguments of every ``align`` call the checks of ``pairs`` make, and its results."""
    calls: list[Call] = []
    results: list[Any] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        calls.append((args, kwargs))
        results.append(align(*args, **kwargs))
        return results[-1]

    tqcheck.pipeline.align = recording
    try:
        for source, target in pairs:
            tqcheck.check(target, source, config=config)
    finally:
        tqcheck.pipeline.align = align
    return calls, results


def cpu(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def align_all(calls: Sequence[Call]) -> None:
    for args, kwargs in calls:
        align(*args, **kwargs)


def tokens_all(calls: Sequence[Call]) -> None:
    for (source, src_segments, _, target, tgt_segments, _), _ in calls:
        lexicon.tokens_of([source.text[s.span.start:s.span.end] for s in src_segments], source.lang, target.lang)
        lexicon.tokens_of([target.text[s.span.start:s.span.end] for s in tgt_segments], target.lang, source.lang)


def check_all(pairs: Sequence[tuple[str, str]], config: tqcheck.Config) -> None:
    for source, target in pairs:
        tqcheck.check(target, source, config=config)


def check_with_free_aligner(pairs: Sequence[tuple[str, str]], config: tqcheck.Config, results: Sequence[Any]) -> None:
    answers = iter(results)
    tqcheck.pipeline.align = lambda *args, **kwargs: next(answers)
    try:
        check_all(pairs, config)
    finally:
        tqcheck.pipeline.align = align


def devset_rows(devset: Path, repeat: int) -> list[str]:
    """The aligner's CPU per MB on each development-set language pair's documents (checks recorded once)."""
    import findings_digest

    rows = []
    for lp, (src, tgt) in (("zh-en", ("zh", "en")), ("en-de", ("en", "de"))):
        pairs = findings_digest.devset_documents(devset, lp)
        calls, _ = recorded_calls(pairs, tqcheck.Config(src_lang=src, tgt_lang=tgt))
        megabytes = sum(speed.utf8_size(*pair) for pair in pairs) / speed.MB
        seconds = statistics.median(cpu(lambda calls=calls: align_all(calls)) for _ in range(max(1, repeat // 3)))
        rows.append(f"  {lp}: {len(pairs)} documents, {megabytes:.2f} MB: align {seconds:.2f} s CPU, "
                    f"{megabytes / seconds:.2f} MB/s")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=0.15, help="size of the pair corpus (default 0.15)")
    parser.add_argument("--repeat", type=int, default=9, help="interleaved rounds; medians are printed")
    parser.add_argument("--devset", type=Path, help="also time the aligner on this folder's documents")
    args = parser.parse_args()

    config = tqcheck.Config(src_lang="zh", tgt_lang="de")
    pairs = speed.pair_corpus(args.megabytes)
    megabytes = sum(speed.utf8_size(*pair) for pair in pairs) / speed.MB
    check_all(pairs[:1], config)  # warm-up: packs, segmenter, the aligner's dictionaries
    calls, results = recorded_calls(pairs, config)
    figures: dict[str, list[float]] = {"check": [], "align": [], "free aligner": [], "tokens": []}
    for _ in range(args.repeat):
        figures["check"].append(cpu(lambda: check_all(pairs, config)))
        figures["align"].append(cpu(lambda: align_all(calls)))
        figures["free aligner"].append(cpu(lambda: check_with_free_aligner(pairs, config, results)))
        figures["tokens"].append(cpu(lambda: tokens_all(calls)))
    median = {name: statistics.median(values) for name, values in figures.items()}

    print(f"{len(pairs)} zh→de pairs, {megabytes:.3f} MB (source + target), CPU medians of {args.repeat} "
          "interleaved rounds")
    for name, seconds in median.items():
        low, high = min(figures[name]), max(figures[name])
        print(f"  {name:13s} {seconds * 1000:8.1f} ms  ({low * 1000:.1f}–{high * 1000:.1f})  "
              f"{megabytes / seconds:6.2f} MB/s")
    print(f"  aligner share of the check: {median['align'] / median['check']:.0%}; "
          f"check without it (free aligner) / with it: {median['check'] / median['free aligner']:.2f}×; "
          f"aligner / its tokens floor: {median['align'] / median['tokens']:.1f}×")
    if args.devset is not None:
        print("Development set (aligner alone, recorded calls):")
        print("\n".join(devset_rows(args.devset, args.repeat)))


if __name__ == "__main__":
    main()
