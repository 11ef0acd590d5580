"""Rules-only throughput, start-up time and peak memory.

    python bench/rules.py [--articles 300] [--repeat 5]

Prints: MB/s and articles/s of ``tqcheck.check`` over a corpus recombined from samples/, the wall time
of ``tqcheck --help`` and of a CLI check of the sample article (fresh processes), and peak RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "wechat-ecommerce.zh-de.mt.txt"


def corpus(n: int, seed: int = 0) -> list[str]:
    """Articles recombined from the German samples' paragraphs (shuffled, so no two are equal)."""
    paragraphs = []
    from tqcheck.readers import langs_from_name

    for path in sorted((ROOT / "samples").glob("*.txt")):
        if langs_from_name(path)[1] != "de":
            continue
        paragraphs += [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    rng = random.Random(seed)
    return ["\n\n".join(rng.sample(paragraphs, min(len(paragraphs), 30))) + "\n" for _ in range(n)]


def wall(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=False, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5, help="runs per start-up measurement (median)")
    args = parser.parse_args()

    exe = [sys.executable, "-m", "tqcheck"]
    help_s = wall([*exe, "--help"], args.repeat)
    check_s = wall([*exe, "check", str(SAMPLE), "--format", "json"], args.repeat)
    probe = subprocess.run([sys.executable, "-c", (
        f"import sys; from tqcheck.cli import main; main(['check', {str(SAMPLE)!r}, '--format', 'json']);"
        "print(','.join(m for m in ('torch', 'comet', 'transformers') if m in sys.modules) or 'none')")],
        capture_output=True, text=True, check=True)
    heavy = probe.stdout.strip().splitlines()[-1]

    from tqcheck import Config, check
    from tqcheck.types import Document

    texts = corpus(args.articles)
    config = Config(src_lang="zh", tgt_lang="de")
    check(Document(texts[0]), config=config)  # warm: packs loaded, segmenter imported
    start = time.perf_counter()
    issues = 0
    for text in texts:
        issues += len(check(Document(text), config=config).issues)
    elapsed = time.perf_counter() - start
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"corpus: {len(texts)} articles, {megabytes:.2f} MB UTF-8, {issues} issues")
    print(f"rules-only throughput: {len(texts) / elapsed:.1f} articles/s, {megabytes / elapsed:.2f} MB/s (1 process)")
    print(f"start-up: `tqcheck --help` {help_s * 1000:.0f} ms; `tqcheck check <sample>` {check_s * 1000:.0f} ms "
          f"(median of {args.repeat}, fresh processes)")
    print(f"heavy modules imported by a rules-only check: {heavy}")
    print(f"peak RSS of this benchmark process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
