#!/usr/bin/env python3
"""Peak memory of `tqcheck check` by report format: is the report written in pieces, or held whole?

Builds one German text of ``--mb`` MiB from the sample article (``build`` of bench/scaling.py) and checks it
once per format in a fresh process (rules only, ``-o`` a temporary file), printing CPU seconds and peak RSS.
``--tree DIR`` runs another checkout of tqcheck beside this one (``PYTHONPATH=DIR``), in the same run, so the
two can be compared on this noisy machine; the reports of both are compared byte for byte.

    python bench/report_memory.py [--mb 2] [--formats text,json,sarif,jsonl,html] [--tree /tmp/old-checkout]
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scaling  # bench/scaling.py: build and the measuring parent


def measure(target: Path, fmt: str, output: Path, tree: Path | None) -> tuple[float, float]:
    """CPU seconds and peak RSS (MiB) of one check of ``target`` in ``fmt``, by tqcheck from ``tree`` or here."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    command = [sys.executable, "-m", "tqcheck", "check", str(target), "--no-config", "--max-size", "0", "--quiet",
               "--format", fmt, "-o", str(output)]
    done = subprocess.run([sys.executable, "-c", scaling._MEASURE, *command], check=True, capture_output=True,
                          text=True, env=env, cwd=target.parent)  # not this checkout: `-m` imports from the cwd
    cpu, peak_kb = done.stdout.split()
    return float(cpu), float(peak_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0, help="size of the German text in MiB (default 2)")
    parser.add_argument("--formats", default="text,json,sarif,jsonl,html")
    parser.add_argument("--tree", type=Path, help="another tqcheck checkout to run beside this one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tqcheck-report-memory-") as tmp:
        folder = Path(tmp)
        (target,) = scaling.build(folder, args.mb, "lines")
        size = target.stat().st_size / scaling.MB
        print(f"one German text of {size:.2f} MiB (the sample article repeated); CPU s and peak RSS MiB per run")
        print(f"{'format':7} {'CPU s':>7} {'peak':>7}" + (f" {'other CPU':>10} {'other peak':>11} {'same':>5}"
                                                           if args.tree else ""))
        for fmt in [f.strip() for f in args.formats.split(",") if f.strip()]:
            mine = folder / f"report.{fmt}"
            cpu, peak = measure(target, fmt, mine, None)
            row = f"{fmt:7} {cpu:7.2f} {peak:7.0f}"
            if args.tree:
                theirs = folder / f"other.{fmt}"
                other_cpu, other_peak = measure(target, fmt, theirs, args.tree)
                same = filecmp.cmp(mine, theirs, shallow=False)
                row += f" {other_cpu:10.2f} {other_peak:11.0f} {'yes' if same else 'no':>5}"
            print(row, flush=True)


if __name__ == "__main__":
    main()
