"""Alignment accuracy and speed on known truth.

    python bench/align.py [--variants 200] [--seed 0]

Truth: bench/data/zh-de.sentences.tsv, the 57 sentence pairs of the sample article (samples/
wechat-ecommerce.zh.txt ↔ .zh-de.mt.txt). Each variant perturbs it with known effects — merges of two
adjacent target sentences (2-1), splits of a target sentence at a comma (1-2), dropped target sentences
(1-0), dropped source sentences and invented target sentences (0-1) — then aligns the two sentence lists and
scores link precision and recall (a link counts when both its sides match the truth exactly). Also aligns the
two real sample pairs (paragraphs first, as tqcheck does) against their documented truth.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tqcheck.align import align, align_units  # noqa: E402
from tqcheck.segment import segment  # noqa: E402
from tqcheck.types import Document  # noqa: E402

INVENTED = [
    "Viele Experten halten das für einen großen strategischen Fehler des Unternehmens.",
    "Bei Verstößen drohen künftig empfindliche Bußgelder und die Sperrung der Konten.",
    "Die Nutzer reagierten darauf mit großer Skepsis und wanderten zur Konkurrenz ab.",
]

Link = tuple[tuple[int, ...], tuple[int, ...]]


def load_pairs() -> list[tuple[str, str]]:
    lines = (ROOT / "bench" / "data" / "zh-de.sentences.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [tuple(line.split("\t")) for line in lines if line]  # type: ignore[misc]


def perturb(pairs: list[tuple[str, str]], rng: random.Random, edits: int) -> tuple[list[str], list[str], set[Link]]:
    """Source and target sentence lists with the true links, after ``edits`` random edits."""
    # Each unit: (source sentences, target sentences); the truth links units one to one.
    units: list[tuple[list[str], list[str]]] = [([s], [t]) for s, t in pairs]
    for _ in range(edits):
        i = rng.randrange(len(units))
        kind = rng.choice(["merge", "split", "drop-target", "drop-source", "invent"])
        src, tgt = units[i]
        if kind == "merge" and i + 1 < len(units) and len(units[i][1]) == 1 and len(units[i + 1][1]) == 1 \
                and len(src) == 1 and len(units[i + 1][0]) == 1:
            units[i:i + 2] = [(src + units[i + 1][0], [tgt[0] + " " + units[i + 1][1][0]])]
        elif kind == "split" and len(tgt) == 1 and len(src) == 1 and ", " in tgt[0]:
            head, tail = tgt[0].split(", ", 1)
            units[i] = (src, [head + ".", tail[0].upper() + tail[1:]])
        elif kind == "drop-target" and len(src) == 1 and tgt:
            units[i] = (src, [])
        elif kind == "drop-source" and src and len(tgt) == 1:
            units[i] = ([], tgt)
        elif kind == "invent":
            units.insert(i, ([], [rng.choice(INVENTED)]))
    sources: list[str] = []
    targets: list[str] = []
    truth: set[Link] = set()
    for src, tgt in units:
        s_ids = tuple(range(len(sources), len(sources) + len(src)))
        t_ids = tuple(range(len(targets), len(targets) + len(tgt)))
        sources += src
        targets += tgt
        if src and tgt:
            truth.add((s_ids, t_ids))
        else:
            truth.update(((i,), ()) for i in s_ids)
            truth.update(((), (j,)) for j in t_ids)
    return sources, targets, truth


def score(predicted: set[Link], truth: set[Link]) -> tuple[int, int, int]:
    return len(predicted & truth), len(predicted), len(truth)


def sample_pairs() -> list[tuple[str, set[Link], set[Link]]]:
    """(name, predicted, truth) for the two real sample pairs, aligned the way tqcheck aligns documents."""
    results = []
    pairs = load_pairs()
    for name, src_file, tgt_file, truth in [
        ("wechat-ecommerce", "wechat-ecommerce.zh.txt", "wechat-ecommerce.zh-de.mt.txt", None),
        ("live-commerce", "live-commerce.zh.txt", "live-commerce.zh-de.mt.txt", None),
    ]:
        src = Document((ROOT / "samples" / src_file).read_text(encoding="utf-8"), "zh")
        tgt = Document((ROOT / "samples" / tgt_file).read_text(encoding="utf-8"), "de")
        s_segs, s_paras = segment(src)
        t_segs, t_paras = segment(tgt)
        alignment = align(src, s_segs, s_paras, tgt, t_segs, t_paras)
        predicted = {(link.source, link.target) for link in alignment.links}
        if name == "wechat-ecommerce":
            # Truth: each TSV pair at its offsets; every other target sentence (furniture) is 0-1.
            s_index = {src.text[s.span.start:s.span.end]: s.index for s in s_segs}
            truth = set()
            used_t: set[int] = set()
            t_by_text: dict[str, list[int]] = {}
            for seg in t_segs:
                t_by_text.setdefault(tgt.text[seg.span.start:seg.span.end], []).append(seg.index)
            for zh, de in pairs:
                t = next(i for i in t_by_text[de] if i not in used_t and (not used_t or i > max(used_t)))
                used_t.add(t)
                truth.add(((s_index[zh],), (t,)))
            truth |= {((), (seg.index,)) for seg in t_segs if seg.index not in used_t}
        else:
            # Documented in samples/live-commerce.problems.md (1-based sentence numbers there).
            truth = {((i,), (i,)) for i in range(7)} | {((7,), ())}
            truth |= {((i,), (i - 1,)) for i in range(8, 28)} | {((), (27,))}
            truth |= {((i,), (i,)) for i in range(28, 37)}
        results.append((name, predicted, truth))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", type=int, default=200)
    parser.add_argument("--edits", type=int, default=6, help="random edits per variant")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    pairs = load_pairs()
    rng = random.Random(args.seed)
    hits = predicted_n = truth_n = 0
    by_type: dict[str, list[int]] = {}
    sentence_pairs = 0
    elapsed = 0.0
    for _ in range(args.variants):
        sources, targets, truth = perturb(pairs, rng, args.edits)
        start = time.perf_counter()
        links = align_units(sources, targets, src_lang="zh", tgt_lang="de")
        elapsed += time.perf_counter() - start
        sentence_pairs += max(len(sources), len(targets))
        predicted = {(link.source, link.target) for link in links}
        h, p, t = score(predicted, truth)
        hits, predicted_n, truth_n = hits + h, predicted_n + p, truth_n + t
        for link in truth:
            kind = f"{len(link[0])}-{len(link[1])}"
            by_type.setdefault(kind, [0, 0])
            by_type[kind][0] += link in predicted
            by_type[kind][1] += 1
    print(f"synthetic: {args.variants} variants × {args.edits} edits of {len(pairs)} zh-de sentence pairs")
    print(f"  link precision {hits / predicted_n:.3f}, recall {hits / truth_n:.3f}")
    print("  recall by link type: "
          + ", ".join(f"{k} {v[0] / v[1]:.3f} (n={v[1]})" for k, v in sorted(by_type.items())))
    print(f"  speed: {sentence_pairs / elapsed:.0f} sentence pairs/s")
    for name, predicted, truth in sample_pairs():
        h, p, t = score(predicted, truth)
        print(f"{name}: link precision {h / p:.3f}, recall {h / t:.3f} ({t} true links)")


if __name__ == "__main__":
    main()
