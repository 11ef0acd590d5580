#!/usr/bin/env python3
"""Time and memory against the size of one document: are they linear up to the size limit?

Builds German target texts of growing size from the sample article — as lines (an article), as one single
line (a scraped page without line breaks, the worst case for segmentation), or as a zh→de pair (the article
and its Chinese source, repeated: every word matches many sentences, the worst case for the aligner) — and
checks each in a fresh process (rules only, JSON report), printing CPU seconds, peak memory and both per MB.
Linear means the per-MB figures stay flat; "×first" is each size's CPU per MB over the smallest size's, and
"growth" the CPU factor from the previous size scaled to a 10× step (11 or less: at most linear plus noise),
both measured in the same run.

    python bench/scaling.py [--sizes 0.001,0.1,1,10] [--shape lines,single,pair]
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "samples" / "wechat-ecommerce.zh-de.mt.txt"
MB = 1024 * 1024


SOURCE = ROOT / "samples" / "wechat-ecommerce.zh.txt"


def build(folder: Path, size_mb: float, shape: str) -> tuple[Path, ...]:
    """The file(s) of one run: a target (``lines``, ``single``), or a target and its source (``pair``), whose
    sizes together are about ``size_mb``."""
    text = ARTICLE.read_text(encoding="utf-8")
    if shape == "pair":
        source = SOURCE.read_text(encoding="utf-8")
        both = len(text.encode("utf-8")) + len(source.encode("utf-8"))
        repeats = max(1, round(size_mb * MB / both))
        target_path = folder / f"pair-{size_mb:g}MB.de.txt"
        source_path = folder / f"pair-{size_mb:g}MB.zh.txt"
        target_path.write_text((text + "\n\n") * repeats, encoding="utf-8")
        source_path.write_text((source + "\n\n") * repeats, encoding="utf-8")
        return target_path, source_path
    piece = text if shape == "lines" else " ".join(text.split())
    target = int(size_mb * MB)
    repeats = target // len(piece.encode("utf-8")) + 1
    body = ((piece + ("\n\n" if shape == "lines" else " ")) * repeats).encode("utf-8")[:target]
    path = folder / f"{shape}-{size_mb:g}MB.de.txt"
    path.write_bytes(body.decode("utf-8", "ignore").encode("utf-8"))
    return (path,)


_MEASURE = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
            "stderr=subprocess.DEVNULL); r = resource.getrusage(resource.RUSAGE_CHILDREN); "
            "print(r.ru_utime + r.ru_stime, r.ru_maxrss)")


def measure(paths: tuple[Path, ...]) -> tuple[float, float]:
    """CPU seconds and peak resident MB of one `tqcheck check` process on ``paths`` (a target and maybe its
    source; measured by a parent of its own, so that each run's peak is its own)."""
    target = paths[0]
    command = [sys.executable, "-m", "tqcheck", "check", str(target), "--no-config", "--max-size", "0",
               "--format", "json", "-o", str(target.with_suffix(".json"))]
    if len(paths) > 1:
        command += ["--source", str(paths[1]), "--src-lang", "zh", "--tgt-lang", "de"]
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], check=True, cwd=ROOT, capture_output=True,
                          text=True)
    cpu, peak_kb = done.stdout.split()
    return float(cpu), float(peak_kb) / 1024  # ru_maxrss is in KB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.25,0.5,1,2", help="document sizes in MB, smallest first")
    parser.add_argument("--shape", default="lines,single", help="any of lines, single, pair (comma-separated)")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    print(f"{'shape':7} {'MB':>7} {'CPU s':>8} {'s/MB':>7} {'peak MB':>8} {'MB/MB':>7} {'×first':>7} {'growth':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shape.split(","):
            first = previous = None
            for size in sizes:
                paths = build(Path(tmp), size, shape)
                real = sum(p.stat().st_size for p in paths) / MB
                cpu, peak = measure(paths)
                per_mb = cpu / real
                first = first or per_mb
                growth = ""
                if previous is not None and real > previous[0]:  # the CPU factor, scaled to a 10× step of size
                    growth = f"{(cpu / previous[1]) ** (1 / math.log10(real / previous[0])):.1f}"
                print(f"{shape:7} {real:7.3f} {cpu:8.2f} {per_mb:7.2f} {peak:8.0f} {peak / real:7.0f} "
                      f"{per_mb / first:7.2f} {growth:>7}")
                previous = (real, cpu)


if __name__ == "__main__":
    main()
