"""What tqcheck's findings are worth on real machine translation with human MQM error spans.

    python bench/precision.py DEVSET_DIR [--pairs zh-en,en-de] [--documents] [--qe-model PATH|NAME]
                                         [--limit N] [--record FILE] [--json FILE]
                                         [--category Fluency/Spelling] [--select TQ610]

DEVSET_DIR holds ``mqm-*-{lp}.jsonl`` files (one line per system, document and segment: ``src``, ``mt``,
``raters``, ``errors`` with rater, category, severity, side and code-point spans; see its README).

Each segment pair is checked as tqcheck checks a pair (``--documents``: each system's article is rebuilt from
``doc``/``doc_seg``, one segment per paragraph, and checked whole, as an editor would). A finding is
*confirmed* when its target span overlaps a target-side error span of any rater in that segment, or its
source span (omissions) a source-side span; ``confirmed2`` asks for two of the three raters. "Source issue"
rows are errors of the source, not of the MT, and confirm nothing.

For each finding the *chance level* is the probability that a span of the same length, placed uniformly at
random in the same segment, would be confirmed the same way. Per rule and overall:

    precision = confirmed / findings        lift   = precision − mean chance
    excess    = confirmed − Σ chance        (what the rule finds beyond luck)

Overall rows count findings of severity minor or worse (what costs points and gates); rule rows count every
finding of the rule, so that rules defaulting to ``info`` are measured too. Segment level: Kendall tau-b and
Pearson r between −penalty (tqcheck's, per segment) and the human MQM score (−mean over raters of Major 5,
Minor 1, Minor Fluency/Punctuation 0.1), beside the baseline −(target word count).

``--record FILE --both`` writes the per-rule figures of both modes as JSON (tqcheck/rules/measured.json is made
this way: an issue's ``confidence`` is its rule's measured precision in segment mode, and the severity policy
looks at both modes).
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tqcheck import check  # noqa: E402
from tqcheck.config import Config  # noqa: E402
from tqcheck.qe import QEConfig  # noqa: E402
from tqcheck.rules import REGISTRY  # noqa: E402
from tqcheck.types import Document, Issue, Severity  # noqa: E402

SOURCE_ISSUE = "Source issue"
WORD_WEIGHTS = {"Major": 5.0, "Minor": 1.0}
MINOR_PUNCTUATION = 0.1


@dataclass
class Segment:
    """One dev-set row: the texts, the error spans of each side by rater, and the human MQM score."""

    lp: str
    system: str
    doc: str
    doc_seg: int
    src: str
    mt: str
    raters: tuple[str, ...]
    target_spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    source_spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    # target-side spans by MQM category ("Fluency/Spelling") and rater, for --category
    category_spans: dict[str, dict[str, list[tuple[int, int]]]] = field(default_factory=dict)
    human: float = 0.0


def load(path: Path, limit: int | None) -> list[Segment]:
    segments = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            seg = Segment(row["lp"], row["system"], row["doc"], int(row["doc_seg"]), row["src"], row["mt"],
                          tuple(row["raters"]))
            penalty = 0.0
            for error in row["errors"]:
                if error["category"] == SOURCE_ISSUE:
                    continue
                weight = WORD_WEIGHTS.get(error["severity"], 0.0)
                if error["severity"] == "Minor" and error["category"] == "Fluency/Punctuation":
                    weight = MINOR_PUNCTUATION
                penalty += weight
                if "start" in error and error["end"] > error["start"]:
                    spans = seg.target_spans if error["side"] == "target" else seg.source_spans
                    spans.setdefault(error["rater"], []).append((error["start"], error["end"]))
                    if error["side"] == "target":
                        by_rater = seg.category_spans.setdefault(error["category"], {})
                        by_rater.setdefault(error["rater"], []).append((error["start"], error["end"]))
            seg.human = -penalty / max(1, len(seg.raters))
            segments.append(seg)
            if limit and len(segments) >= limit:
                break
    return segments


# --- confirmation and chance ------------------------------------------------------------------------------


def _raters_hit(spans: dict[str, list[tuple[int, int]]], start: int, end: int) -> int:
    return sum(any(s < end and start < e for s, e in rater) for rater in spans.values())


def _chance(spans: dict[str, list[tuple[int, int]]], length: int, size: int, raters: int) -> float:
    """P(a span of ``length`` at a uniformly random start in a text of ``size`` hits ``raters`` raters)."""
    if not spans or size <= 0:
        return 0.0
    length = max(1, min(length, size))
    positions = size - length + 1
    hits = sum(_raters_hit(spans, p, p + length) >= raters for p in range(positions))
    return hits / positions


@dataclass
class Judged:
    code: str
    severity: Severity
    confirmed: bool
    confirmed2: bool
    chance: float
    chance2: float
    issue: Issue | None = None
    start: int = 0  # the span relative to the segment's mt
    end: int = 0
    # --category: (confirmed, chance) against the target spans of that category only
    by_category: dict[str, tuple[bool, float]] = field(default_factory=dict)


def judge(issue: Issue, seg: Segment, start: int, end: int, source: tuple[int, int] | None) -> Judged:
    """``start``/``end`` (and ``source``) are the issue's spans relative to the segment's mt (and src)."""
    hit_t = _raters_hit(seg.target_spans, start, end)
    hit_s = _raters_hit(seg.source_spans, *source) if source else 0
    chances = []
    for need in (1, 2):
        p_target = _chance(seg.target_spans, end - start, len(seg.mt), need)
        if source:
            p_source = _chance(seg.source_spans, source[1] - source[0], len(seg.src), need)
            chances.append(1 - (1 - p_target) * (1 - p_source))
        else:
            chances.append(p_target)
    by_category = {}
    for category in CATEGORIES:
        spans = seg.category_spans.get(category, {})
        by_category[category] = (_raters_hit(spans, start, end) >= 1, _chance(spans, end - start, len(seg.mt), 1))
    return Judged(issue.code, issue.severity, hit_t >= 1 or hit_s >= 1, hit_t >= 2 or hit_s >= 2, *chances,
                  issue=issue, start=start, end=end, by_category=by_category)


CATEGORIES: list[str] = []  # --category: MQM categories to judge findings against, besides all spans


# --- running tqcheck --------------------------------------------------------------------------------------


def _config(lp: str, qe_model: str | None) -> Config:
    src, tgt = lp.split("-")
    qe = QEConfig(model=qe_model, offline=True, device="cpu") if qe_model else None
    return Config(src_lang=src, tgt_lang=tgt, qe=qe, fail_on=None, select=tuple(SELECT))


SELECT: list[str] = []  # --select


Runs = Iterator[tuple[Segment, list[Judged], float]]


def run_segments(segments: Sequence[Segment], config: Config, stats: dict[str, int]) -> Runs:
    """Each segment checked alone: (segment, judged findings, tqcheck's penalty)."""
    for seg in segments:
        result = check(Document(seg.mt, config.tgt_lang), Document(seg.src, config.src_lang), config=config)
        stats["qe_pairs"] += len(result.qe_pairs)
        judged = []
        for issue in result.issues:
            source = (issue.source_span.start, issue.source_span.end) if issue.source_span else None
            judged.append(judge(issue, seg, issue.span.start, issue.span.end, source))
        yield seg, judged, result.penalty


_PARAGRAPH = "\n\n"


def run_documents(segments: Sequence[Segment], config: Config, stats: dict[str, int]) -> Runs:
    """Each system's article rebuilt and checked whole; findings are judged in the segment they start in."""
    articles: dict[tuple[str, str], list[Segment]] = defaultdict(list)
    for seg in segments:
        articles[(seg.system, seg.doc)].append(seg)
    for parts in articles.values():
        parts.sort(key=lambda s: s.doc_seg)
        mt_starts, src_starts = _offsets(p.mt for p in parts), _offsets(p.src for p in parts)
        result = check(Document(_PARAGRAPH.join(p.mt for p in parts), config.tgt_lang),
                       Document(_PARAGRAPH.join(p.src for p in parts), config.src_lang), config=config)
        stats["qe_pairs"] += len(result.qe_pairs)
        judged: list[list[Judged]] = [[] for _ in parts]
        penalty = [0.0 for _ in parts]
        for issue in result.issues:
            k = _locate(mt_starts, issue.span.start)
            seg, base = parts[k], mt_starts[k]
            end = min(issue.span.end - base, len(seg.mt))
            source = None
            if issue.source_span is not None:
                j = _locate(src_starts, issue.source_span.start)
                if j == k:  # a source span in another segment cannot be judged against this one's raters
                    source = (issue.source_span.start - src_starts[k],
                              min(issue.source_span.end - src_starts[k], len(seg.src)))
            start = issue.span.start - base
            if start >= len(seg.mt):  # inside the paragraph break: belongs to no segment
                continue
            judged[k].append(judge(issue, seg, start, max(end, start + 1), source))
            penalty[k] += issue.severity.weight
        yield from zip(parts, judged, penalty, strict=True)


def _offsets(texts: Iterable[str]) -> list[int]:
    starts, pos = [], 0
    for text in texts:
        starts.append(pos)
        pos += len(text) + len(_PARAGRAPH)
    return starts


def _locate(starts: Sequence[int], offset: int) -> int:
    return max(0, bisect.bisect_right(starts, offset) - 1)


# --- statistics -------------------------------------------------------------------------------------------


@dataclass
class Row:
    findings: int = 0
    confirmed: int = 0
    confirmed2: int = 0
    chance: float = 0.0
    chance2: float = 0.0

    def add(self, j: Judged) -> None:
        self.findings += 1
        self.confirmed += j.confirmed
        self.confirmed2 += j.confirmed2
        self.chance += j.chance
        self.chance2 += j.chance2

    def figures(self) -> dict[str, float | int]:
        n = self.findings or 1
        return {"findings": self.findings, "confirmed": self.confirmed, "confirmed2": self.confirmed2,
                "precision": round(self.confirmed / n, 4), "precision2": round(self.confirmed2 / n, 4),
                "chance": round(self.chance / n, 4), "chance2": round(self.chance2 / n, 4),
                "lift": round((self.confirmed - self.chance) / n, 4),
                "excess": round(self.confirmed - self.chance, 2)}


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float:
    import numpy as np

    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    concordant = discordant = ties_x = ties_y = 0
    for i in range(len(a) - 1):
        dx, dy = np.sign(a[i + 1:] - a[i]), np.sign(b[i + 1:] - b[i])
        prod = dx * dy
        concordant += int((prod > 0).sum())
        discordant += int((prod < 0).sum())
        ties_x += int(((dx == 0) & (dy != 0)).sum())
        ties_y += int(((dy == 0) & (dx != 0)).sum())
    denominator = math.sqrt((concordant + discordant + ties_x) * (concordant + discordant + ties_y))
    return (concordant - discordant) / denominator if denominator else 0.0


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    import numpy as np

    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def measure(segments: Sequence[Segment], config: Config, documents: bool, dump=None) -> dict[str, object]:
    rules: dict[str, Row] = defaultdict(Row)
    overall = Row()
    by_category: dict[str, dict[str, Row]] = {c: defaultdict(Row) for c in CATEGORIES}
    system_scores, human_scores, lengths = [], [], []
    runner = run_documents if documents else run_segments
    started = time.perf_counter()
    stats = {"qe_pairs": 0}
    for seg, judged, penalty in runner(segments, config, stats):
        for j in judged:
            if dump is not None:
                _dump(dump, seg, j)
            rules[j.code].add(j)
            if j.severity is not Severity.INFO:
                overall.add(j)
            for category, (confirmed, chance) in j.by_category.items():
                by_category[category][j.code].add(Judged(j.code, j.severity, confirmed, confirmed, chance, chance))
        system_scores.append(-penalty)
        human_scores.append(seg.human)
        lengths.append(-len(seg.mt.split()))
    return {
        "segments": len(segments), "seconds": round(time.perf_counter() - started, 1),
        "qe_model": config.qe.model if config.qe else None, "qe_scored_pairs": stats["qe_pairs"],
        "overall": overall.figures(),
        "rules": {code: rules[code].figures() for code in sorted(rules)},
        "categories": {category: {code: rows[code].figures() for code in sorted(rows)}
                       for category, rows in by_category.items()},
        "segment_level": {
            "kendall_tau_b": round(kendall_tau_b(system_scores, human_scores), 4),
            "pearson": round(pearson(system_scores, human_scores), 4),
            "baseline_length_kendall_tau_b": round(kendall_tau_b(lengths, human_scores), 4),
            "baseline_length_pearson": round(pearson(lengths, human_scores), 4),
        },
    }


def _dump(out, seg: Segment, j: Judged) -> None:
    """One finding for reading by eye (``--dump``): never material for packs or tests."""
    issue = j.issue
    assert issue is not None
    out.write(json.dumps({"lp": seg.lp, "code": j.code, "severity": j.severity.value, "confirmed": j.confirmed,
                          "text": seg.mt[j.start:j.end], "start": j.start, "end": j.end,
                          "chance": round(j.chance, 3), "message": issue.message, "system": seg.system,
                          "doc": seg.doc, "doc_seg": seg.doc_seg, "mt": seg.mt, "src": seg.src,
                          "target_spans": seg.target_spans}, ensure_ascii=False) + "\n")


# --- output -----------------------------------------------------------------------------------------------

_COLUMNS = ("findings", "confirmed", "confirmed2", "precision", "precision2", "chance", "lift", "excess")


def print_table(lp: str, mode: str, figures: dict[str, object]) -> None:
    qe = (f", QE {figures['qe_model']}: {figures['qe_scored_pairs']} sentence pairs scored"
          if figures["qe_model"] else "")
    print(f"\n{lp} ({mode}, {figures['segments']} segments, {figures['seconds']} s{qe})")
    print(f"  {'rule':<8}{'sev':<7}" + "".join(f"{c:>11}" for c in _COLUMNS))
    rows = [*figures["rules"].items(), ("overall", figures["overall"])]  # type: ignore[attr-defined]
    for code, row in rows:
        sev = REGISTRY[code].info.severity.value if code in REGISTRY else "≥minor"
        print(f"  {code:<8}{sev:<7}" + "".join(f"{row[c]:>11}" for c in _COLUMNS))
    for category, rows in figures.get("categories", {}).items():  # type: ignore[attr-defined]
        print(f"  against {category} spans only:")
        for code, row in rows.items():
            print(f"  {code:<8}{'':<7}" + "".join(f"{row[c]:>11}" for c in _COLUMNS))
    seg = figures["segment_level"]
    print(f"  segment level: Kendall tau-b {seg['kendall_tau_b']:.3f}, Pearson {seg['pearson']:.3f}   "  # type: ignore
          f"(baseline −words: tau-b {seg['baseline_length_kendall_tau_b']:.3f}, "  # type: ignore[index]
          f"Pearson {seg['baseline_length_pearson']:.3f})")  # type: ignore[index]


def _commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("devset", type=Path, help="folder with mqm-*-{lp}.jsonl files")
    parser.add_argument("--pairs", default="zh-en,en-de", help="language pairs to measure (comma-separated)")
    parser.add_argument("--documents", action="store_true", help="rebuild and check whole articles")
    parser.add_argument("--both", action="store_true", help="segment mode and document mode")
    parser.add_argument("--qe-model", help="also run QE (TQ901/TQ902) with this model (hub name or checkpoint)")
    parser.add_argument("--limit", type=int, help="only the first N segments of each pair (quick looks)")
    parser.add_argument("--record", type=Path, help="write per-rule figures as JSON (tqcheck/rules/measured.json)")
    parser.add_argument("--json", type=Path, help="write every figure as JSON")
    parser.add_argument("--dump", type=Path, help="write every finding with its verdict as JSON Lines (to read)")
    parser.add_argument("--category", action="append", default=[], metavar="CAT",
                        help="also judge each rule against the target spans of this MQM category only "
                             "(e.g. Fluency/Spelling; repeatable)")
    parser.add_argument("--select", action="append", default=[], metavar="RULE",
                        help="run only these rules (codes, prefixes or names; quick looks at one rule)")
    args = parser.parse_args(argv)
    CATEGORIES[:] = args.category
    SELECT[:] = args.select
    if not args.devset.is_dir():
        parser.error(f"{args.devset}: not a folder")
    modes = ["segments", "documents"] if args.both else ["documents" if args.documents else "segments"]
    results: dict[str, dict[str, object]] = {}
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    for lp in [p.strip() for p in args.pairs.split(",") if p.strip()]:
        files = sorted(args.devset.glob(f"mqm-*-{lp}.jsonl"))
        if not files:
            parser.error(f"{args.devset}: no mqm-*-{lp}.jsonl")
        segments = [seg for f in files for seg in load(f, args.limit)]
        for mode in modes:
            figures = measure(segments, _config(lp, args.qe_model), mode == "documents", dump)
            results[f"{lp}/{mode}"] = figures
            print_table(lp, mode, figures)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.record:
        if len(modes) != 2:
            parser.error("--record needs --both: confidence reads the segment figures, the policy both modes")
        if args.select:
            parser.error("--record records every rule: drop --select")
        record = {"devset": "WMT23 general MT with Google's MQM annotations (3 raters per segment)",
                  "measured": date.today().isoformat(), "commit": _commit(), "limit": args.limit,
                  "modes": {mode: {key.split("/")[0]: {"overall": f["overall"], "rules": f["rules"]}
                                   for key, f in results.items() if key.endswith("/" + mode)} for mode in modes}}
        args.record.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
