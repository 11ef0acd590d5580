#!/usr/bin/env python3
"""Time and memory against the size of one document: are they linear up to the size limit?

Builds German target texts of growing size from the sample article — as lines (an article) and as one single
line (a scraped page without line breaks, the worst case for segmentation) — and checks each in a fresh process
(rules only, JSON report), printing CPU seconds, peak memory and both per MB. Linear means the per-MB figures
stay flat; the last column is each size's CPU per MB over the smallest size's, measured in the same run.

    python bench/scaling.py [--sizes 0.25,0.5,1,2] [--shape lines,single]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "samples" / "wechat-ecommerce.zh-de.mt.txt"
MB = 1024 * 1024


def build(folder: Path, size_mb: float, shape: str) -> Path:
    text = ARTICLE.read_text(encoding="utf-8")
    piece = text if shape == "lines" else " ".join(text.split())
    target = int(size_mb * MB)
    repeats = target // len(piece.encode("utf-8")) + 1
    body = ((piece + ("\n\n" if shape == "lines" else " ")) * repeats).encode("utf-8")[:target]
    path = folder / f"{shape}-{size_mb:g}MB.de.txt"
    path.write_bytes(body.decode("utf-8", "ignore").encode("utf-8"))
    return path


_MEASURE = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
            "stderr=subprocess.DEVNULL); r = resource.getrusage(resource.RUSAGE_CHILDREN); "
            "print(r.ru_utime + r.ru_stime, r.ru_maxrss)")


def measure(path: Path) -> tuple[float, float]:
    """CPU seconds and peak resident MB of one `tqcheck check` process on ``path`` (measured by a parent of its
    own, so that each run's peak is its own)."""
    command = [sys.executable, "-m", "tqcheck", "check", str(path), "--no-config", "--max-size", "0",
               "--format", "json", "-o", str(path.with_suffix(".json"))]
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], check=True, cwd=ROOT, capture_output=True,
                          text=True)
    cpu, peak_kb = done.stdout.split()
    return float(cpu), float(peak_kb) / 1024  # ru_maxrss is in KB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.25,0.5,1,2", help="document sizes in MB, smallest first")
    parser.add_argument("--shape", default="lines,single", help="lines, single or both")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    print(f"{'shape':7} {'MB':>6} {'CPU s':>8} {'s/MB':>7} {'peak MB':>8} {'MB/MB':>7} {'×first':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shape.split(","):
            first = None
            for size in sizes:
                path = build(Path(tmp), size, shape)
                real = path.stat().st_size / MB
                cpu, peak = measure(path)
                per_mb = cpu / real
                first = first or per_mb
                print(f"{shape:7} {real:6.2f} {cpu:8.2f} {per_mb:7.2f} {peak:8.0f} {peak / real:7.0f} "
                      f"{per_mb / first:7.2f}")


if __name__ == "__main__":
    main()
