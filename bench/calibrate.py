"""Routing calibration on real MT with human MQM labels: build the test fixture, or report on a whole dev set.

    python bench/calibrate.py fixture DEVSET_DIR [-o tests/data/calibration/wmt23-mqm-sample.jsonl]
                                     [--per-pair zh-en=200,en-de=100] [--seed 2023]
    python bench/calibrate.py report DEVSET_DIR [--pairs zh-en,en-de] [--limit N] [--qe-model PATH|NAME]
                                    [--target 0.95] [--holdout 0.3] [--seed 0]

DEVSET_DIR holds ``mqm-*-{lp}.jsonl`` files (one line per system, document and segment: ``src``, ``mt``,
``raters``, ``errors`` with rater, category and severity; see its README). Each line becomes a labels line for
``tqcheck calibrate``: ``source``, ``target``, ``src_lang``, ``tgt_lang`` and ``mqm_penalty``, the mean over
the segment's raters of their penalty points: Major 5, Minor 1, Minor ``Fluency/Punctuation`` 0.1,
``Non-translation!`` 25 (Freitag et al. 2021); "Source issue" rows are errors of the source, not of the MT, and
cost nothing. Rows of the human reference ("refA") are left out: we calibrate the routing of MT.

``fixture`` draws a seeded sample (default: 200 zh-en and 100 en-de lines) for tests/test_calibrate.py; the
fixture's README says where it comes from and under which licence. ``report`` runs the calibration on the dev
set itself (``--limit`` lines per pair) and prints what ``tqcheck calibrate`` prints.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCE_ISSUE = "Source issue"
NON_TRANSLATION = "Non-translation!"
WEIGHTS = {"Major": 5.0, "Minor": 1.0}
MINOR_PUNCTUATION = 0.1
HUMAN_SYSTEMS = frozenset({"refA", "refB"})


def penalty(row: dict) -> float:
    """Mean MQM penalty points over the row's raters (a rater who marked nothing counts 0)."""
    total = 0.0
    for error in row["errors"]:
        if error["category"] == SOURCE_ISSUE:
            continue
        if error["category"].startswith(NON_TRANSLATION):
            total += 25.0
        elif error["severity"] == "Minor" and error["category"] == "Fluency/Punctuation":
            total += MINOR_PUNCTUATION
        else:
            total += WEIGHTS.get(error["severity"], 0.0)
    return round(total / max(1, len(row["raters"])), 4)


def labels_lines(devset: Path, pair: str) -> list[dict]:
    """Every MT row of ``pair`` as a labels line, in file order."""
    files = sorted(devset.glob(f"mqm-*-{pair}.jsonl"))
    if not files:
        raise SystemExit(f"no mqm-*-{pair}.jsonl in {devset}")
    src, tgt = pair.split("-")
    lines = []
    for path in files:
        with path.open(encoding="utf-8") as handle:
            for raw in handle:
                row = json.loads(raw)
                if row["system"] in HUMAN_SYSTEMS:
                    continue
                lines.append({"id": f"{pair}/{row['doc']}/{row['doc_seg']}/{row['system']}", "src_lang": src,
                              "tgt_lang": tgt, "source": row["src"], "target": row["mt"],
                              "mqm_penalty": penalty(row)})
    return lines


def fixture(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    chosen = []
    for item in args.per_pair.split(","):
        pair, _, count = item.partition("=")
        lines = labels_lines(args.devset, pair)
        picked = sorted(rng.sample(range(len(lines)), int(count)))
        chosen += [lines[i] for i in picked]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8", newline="\n") as out:
        for line in chosen:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"wrote {len(chosen)} lines to {args.output}")


def report(args: argparse.Namespace) -> None:
    import dataclasses

    from tqcheck.config import Config
    from tqcheck.qe import QEConfig
    from tqcheck.reports.calibration import render_text
    from tqcheck.routing import calibrate as calibration
    from tqcheck.routing.labels import read_labels

    for pair in args.pairs.split(","):
        lines = labels_lines(args.devset, pair)[: args.limit or None]
        path = Path(args.work) / f"labels.{pair}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
        labels = read_labels(path)
        config = Config()
        if args.qe_model:
            config = dataclasses.replace(config, qe=QEConfig(model=args.qe_model, offline=True))
        units = calibration.check_segments(labels.segments, config)
        baseline = calibration.baseline_thresholds(config, args.qe_model, pair, None)
        result = calibration.calibrate(units, labels.kind, calibration.Targets(args.target),
                                       baseline=baseline, holdout=args.holdout, seed=args.seed)
        print(render_text(result, source=f"{args.devset.name}/{pair}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("fixture", help="write the test fixture")
    build.add_argument("devset", type=Path)
    build.add_argument("-o", "--output", type=Path,
                       default=ROOT / "tests" / "data" / "calibration" / "wmt23-mqm-sample.jsonl")
    build.add_argument("--per-pair", default="zh-en=200,en-de=100")
    build.add_argument("--seed", type=int, default=2023)
    run = sub.add_parser("report", help="calibrate on the dev set and print the report")
    run.add_argument("devset", type=Path)
    run.add_argument("--pairs", default="zh-en,en-de")
    run.add_argument("--limit", type=int, default=0, help="lines per pair (0: all)")
    run.add_argument("--qe-model", help="score with this QE model (offline); default: rules only")
    run.add_argument("--target", type=float, default=0.95)
    run.add_argument("--holdout", type=float, default=0.3)
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--work", default="/tmp/tqcheck-calibrate", help="folder for the converted labels files")
    args = parser.parse_args()
    {"fixture": fixture, "report": report}[args.command](args)


if __name__ == "__main__":
    main()
