"""How the MQM scoring model, the bands and the rules-only routes behave on real MT with human MQM judgements.

    python bench/scoring.py DEVSET_DIR [--pairs zh-en,en-de] [--limit N] [--json FILE]

Each system's article of the development set is rebuilt (segments joined as paragraphs) and checked whole with
the default configuration, as ``tqcheck check`` would check it. Printed per language pair:

- the score distribution: the old formula (max(0, 100 − penalty points per 1,000 target words)), the raw MQM
  model and the calibrated model (the default), with the share of articles that floor at 0;
- verdicts and bands under the default gate;
- document level: Kendall tau-b between tqcheck's score and the human MQM penalty per 1,000 source words
  (−(mean over raters of Major 5, Minor 1, minor punctuation 0.1)), with the −length baseline; system level:
  tau-b between the mean score of each MT system and its mean human penalty (how MT evaluation ranks systems);
- rules-only routes per segment: the share of segments and words per route, and for each route the share of
  its segments that the raters found error-free (no error marked) against the base rate of error-free segments;
- the characters-per-word factor measured on zh-en (Chinese characters per English word of the MT).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.precision import Segment, kendall_tau_b, load
from tqcheck import check
from tqcheck.config import Config
from tqcheck.routing import ROUTES
from tqcheck.scoring import BANDS, text_size
from tqcheck.types import Document

_PARAGRAPH = "\n\n"


def articles(segments: Sequence[Segment]) -> list[list[Segment]]:
    grouped: dict[tuple[str, str], list[Segment]] = defaultdict(list)
    for seg in segments:
        grouped[(seg.system, seg.doc)].append(seg)
    return [sorted(parts, key=lambda s: s.doc_seg) for parts in grouped.values()]


def measure(lp: str, segments: Sequence[Segment]) -> dict[str, object]:
    src, tgt = lp.split("-")
    config = Config(src_lang=src, tgt_lang=tgt)
    rows = []
    route_segments = {r: [0, 0, 0] for r in ROUTES}  # segments, words, error-free segments
    clean_segments = total_segments = 0
    for parts in articles(segments):
        mt = _PARAGRAPH.join(p.mt for p in parts)
        source = _PARAGRAPH.join(p.src for p in parts)
        result = check(Document(mt, tgt), Document(source, src), config=config)
        card = result.scorecard
        target_words = text_size(mt, tgt).words
        human_penalty = -sum(p.human for p in parts)
        rows.append({
            "system": parts[0].system, "old": max(0.0, 100 - card.apt * 1000 / max(target_words, 1)),
            "raw": card.raw_score, "calibrated": card.calibrated_score, "verdict": result.verdict,
            "band": result.band, "route": result.route, "human_npt": human_penalty * 1000 / card.ewc,
            "words": target_words,
        })
        # A routed segment is "error-free" when no rater marked an error in any dev-set segment it covers.
        starts, offset = [], 0
        for p in parts:
            starts.append(offset)
            offset += len(p.mt) + len(_PARAGRAPH)
        for seg in result.routing.segments:
            if seg.target is None:
                continue
            covered = [p for p, s in zip(parts, starts, strict=True)
                       if s < seg.target.end and seg.target.start < s + len(p.mt)]
            clean = all(p.human == 0 for p in covered)
            route_segments[seg.route][0] += 1
            route_segments[seg.route][1] += seg.words
            route_segments[seg.route][2] += clean
            clean_segments += clean
            total_segments += 1
    n = len(rows)
    systems: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        systems[row["system"]].append(row)
    system_score = [sum(r["calibrated"] for r in rs) / len(rs) for rs in systems.values()]
    system_human = [-sum(r["human_npt"] for r in rs) / len(rs) for rs in systems.values()]
    words = sum(v[1] for v in route_segments.values())
    return {
        "articles": n,
        "floor_at_0": {k: sum(r[k] == 0 for r in rows) / n for k in ("old", "raw", "calibrated")},
        "mean": {k: sum(r[k] for r in rows) / n for k in ("old", "raw", "calibrated")},
        "passed": sum(r["verdict"] == "pass" for r in rows) / n,
        "bands": {b: sum(r["band"] == b for r in rows) for b in BANDS},
        "routes": {r: sum(row["route"] == r for row in rows) for r in ROUTES},
        "tau_document": kendall_tau_b([r["calibrated"] for r in rows], [-r["human_npt"] for r in rows]),
        "tau_document_length": kendall_tau_b([-r["words"] for r in rows], [-r["human_npt"] for r in rows]),
        "tau_system": kendall_tau_b(system_score, system_human),
        "systems": len(systems),
        "segment_routes": {r: {"segments": v[0], "words": v[1], "words_share": v[1] / words if words else 0,
                               "error_free": v[2] / v[0] if v[0] else None} for r, v in route_segments.items()},
        "error_free_base_rate": clean_segments / total_segments if total_segments else None,
    }


def characters_per_word(segments: Sequence[Segment]) -> float:
    characters = sum(text_size(s.src, "zh", {"zh": 1.0}).words for s in segments)
    return characters / sum(text_size(s.mt, "en").words for s in segments)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("devset", type=Path)
    parser.add_argument("--pairs", default="zh-en,en-de")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    figures = {}
    for lp in args.pairs.split(","):
        path = next(args.devset.glob(f"mqm-*-{lp}.jsonl"))
        segments = load(path, args.limit)
        out = measure(lp, segments)
        if lp == "zh-en":
            out["zh_characters_per_en_word"] = characters_per_word(segments)
        figures[lp] = out
        print(f"\n{lp}: {out['articles']} articles ({out['systems']} systems)")
        print("  score           old formula   raw MQM   calibrated (default)")
        mean = out["mean"]
        print(f"  mean            {mean['old']:11.2f} {mean['raw']:9.2f} {mean['calibrated']:12.2f}")
        print(f"  floor at 0      {out['floor_at_0']['old']:11.0%} {out['floor_at_0']['raw']:9.0%} "
              f"{out['floor_at_0']['calibrated']:12.0%}")
        print(f"  passed the default gate: {out['passed']:.0%}; bands: "
              + ", ".join(f"{b} {k}" for b, k in out["bands"].items()))
        print("  document routes: " + ", ".join(f"{r} {k}" for r, k in out["routes"].items()))
        print(f"  Kendall tau-b vs human MQM per 1,000 words: documents {out['tau_document']:.3f} "
              f"(−length baseline {out['tau_document_length']:.3f}); systems {out['tau_system']:.3f}")
        print(f"  rules-only segment routes (error-free base rate {out['error_free_base_rate']:.0%}):")
        for route, v in out["segment_routes"].items():
            free = "—" if v["error_free"] is None else f"{v['error_free']:.0%}"
            print(f"    {route:13} {v['segments']:6} segments {v['words_share']:6.1%} of words  error-free {free}")
        if "zh_characters_per_en_word" in out:
            print(f"  Chinese characters per English word of the MT: {out['zh_characters_per_en_word']:.2f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
