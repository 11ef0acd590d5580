#!/usr/bin/env python3
"""Every finding on a large corpus, written down so that two trees can be compared finding by finding.

    python bench/findings_digest.py --devset ../shared/devsets OUT.json
    python bench/findings_digest.py --compare BEFORE.json AFTER.json

tests/test_findings_unchanged.py holds the findings of the repository's own samples and fixtures; this script
does the same on text nobody here wrote, too large for a test: the German corpus of bench/speed.py (about
0.6 MB), the German MT of the en→de development set as articles, the zh→de samples as pairs, every en→de and
zh→en development-set document (system × doc) as a pair, and up to 2,400 en→de segments as a bilingual JSONL
file through ``check_paths``. Run it on the tree before a change and after; ``--compare`` prints the texts
whose findings differ (every field: code, span, severity, category, message, suggestion, replacements, source
span, segment, confidence) and exits 1 when any does.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import speed  # bench/speed.py: the corpora

UNITS = 2400


def issue_row(issue) -> list[object]:
    source = [issue.source_span.start, issue.source_span.end] if issue.source_span is not None else None
    return [issue.code, issue.span.start, issue.span.end, issue.severity.value, issue.category.value, issue.message,
            issue.suggestion, list(issue.replacements), source, issue.segment, issue.confidence]


def devset_documents(devset: Path, lp: str) -> list[tuple[str, str]]:
    """(source, target) of each system's document of ``mqm-*-{lp}.jsonl``, segments in order, blank-line joined."""
    documents: dict[tuple[str, str], list[tuple[int, str, str]]] = {}
    for path in sorted(devset.glob(f"mqm-*-{lp}.jsonl")):
        with open(path, encoding="utf-8") as rows:
            for line in rows:
                row = json.loads(line)
                documents.setdefault((row["system"], row["doc"]), []).append(
                    (int(row["doc_seg"]), row["src"], row["mt"]))
    pairs = []
    for _, parts in sorted(documents.items()):
        parts.sort()
        pairs.append(("\n\n".join(p[1] for p in parts) + "\n", "\n\n".join(p[2] for p in parts) + "\n"))
    return pairs


def digest(devset: Path) -> dict[str, list[list[object]]]:
    import tqcheck

    found: dict[str, list[list[object]]] = {}

    def add_texts(name: str, texts: Iterable[str], config: tqcheck.Config) -> None:
        for number, text in enumerate(texts):
            found[f"{name}/{number}"] = [issue_row(i) for i in tqcheck.check(text, config=config).issues]

    def add_pairs(name: str, pairs: Iterable[tuple[str, str]], config: tqcheck.Config) -> None:
        for number, (source, target) in enumerate(pairs):
            found[f"{name}/{number}"] = [issue_row(i) for i in tqcheck.check(target, source, config=config).issues]

    german = tqcheck.Config(tgt_lang="de")
    add_texts("german-corpus", speed.german_corpus(0.6), german)
    add_texts("devset-articles", speed.devset_articles(devset), german)
    add_pairs("sample-pairs", speed.sample_pairs(), tqcheck.Config(src_lang="zh", tgt_lang="de"))
    add_pairs("en-de-documents", devset_documents(devset, "en-de"), tqcheck.Config(src_lang="en", tgt_lang="de"))
    add_pairs("zh-en-documents", devset_documents(devset, "zh-en"), tqcheck.Config(src_lang="zh", tgt_lang="en"))
    with tempfile.TemporaryDirectory() as folder:
        units = Path(folder) / "units.jsonl"
        speed.write_jsonl(units, speed.segment_corpus(devset, UNITS))
        report = tqcheck.check_paths([units], tqcheck.Config(src_lang="en", tgt_lang="de"))
        for unit in report.units:
            found[f"units/{unit.target.unit}"] = [issue_row(i) for i in unit.issues]
    return found


def compare(before: dict[str, list], after: dict[str, list]) -> list[str]:
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, help="folder with the mqm-*.jsonl files")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    parser.add_argument("out", type=Path, nargs="?")
    args = parser.parse_args(argv)
    if args.compare:
        before, after = (json.loads(p.read_text(encoding="utf-8")) for p in args.compare)
        changed = compare(before, after)
        print(f"{len(before)} and {len(after)} texts, {sum(map(len, after.values()))} findings after; "
              f"{len(changed)} differ")
        for key in changed[:20]:
            print(f"  {key}: {len(before.get(key, []))} → {len(after.get(key, []))} findings")
        return 1 if changed else 0
    if args.devset is None or args.out is None:
        parser.error("give --devset DIR OUT.json, or --compare BEFORE AFTER")
    found = digest(args.devset)
    args.out.write_text(json.dumps(found, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(found)} texts, {sum(map(len, found.values()))} findings → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
