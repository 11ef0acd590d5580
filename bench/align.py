"""Alignment accuracy and speed on known truth.

    python bench/align.py [--variants 200] [--edits 6] [--seed 0] [--no-lexicon] [--devset DIR [--systems 2]]

Truth: bench/data/zh-de.sentences.tsv, the 57 sentence pairs of the sample article (samples/
wechat-ecommerce.zh.txt ↔ .zh-de.mt.txt). Each variant perturbs it with known effects — merges of two
adjacent target sentences (2-1), splits of a target sentence at a comma (1-2), dropped target sentences
(1-0), dropped source sentences and invented target sentences (0-1) — then aligns the two sentence lists and
scores link precision and recall (a link counts when both its sides match the truth exactly). Also aligns the
two real sample pairs (paragraphs first, as tqcheck does) against their documented truth.

``--devset DIR`` (e.g. ../shared/devsets: real MT, zh→en and en→de news, see its README) measures the same on
text nobody here wrote: each article's segments are split into sentences, the segments whose two sides have
as many sentences are paired in order (silver truth), and the articles are perturbed the same way (invented
sentences are taken from other articles). Printed with and without the bilingual lexicon. The devset is only
measured: nothing from it goes into code, data or tests.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, field
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


def perturb(pairs: list[tuple[str, str]], rng: random.Random, edits: int,
            invented: list[str] = INVENTED) -> tuple[list[str], list[str], set[Link]]:
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
            units.insert(i, ([], [rng.choice(invented)]))
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


@dataclass
class Result:
    hits: int = 0
    predicted: int = 0
    truth: int = 0
    by_type: dict[str, list[int]] = field(default_factory=dict)
    sentence_pairs: int = 0
    seconds: float = 0.0

    def add(self, predicted: set[Link], truth: set[Link]) -> None:
        self.hits += len(predicted & truth)
        self.predicted += len(predicted)
        self.truth += len(truth)
        for link in truth:
            counts = self.by_type.setdefault(f"{len(link[0])}-{len(link[1])}", [0, 0])
            counts[0] += link in predicted
            counts[1] += 1


def evaluate(variants: list[tuple[list[str], list[str], set[Link]]], src_lang: str, tgt_lang: str,
             lexical: bool) -> Result:
    result = Result()
    # The dictionaries load once per process (a second or so): not part of the per-pair speed.
    align_units(variants[0][0][:2], variants[0][1][:2], src_lang=src_lang, tgt_lang=tgt_lang, lexical=lexical)
    for sources, targets, truth in variants:
        start = time.perf_counter()
        links = align_units(sources, targets, src_lang=src_lang, tgt_lang=tgt_lang, lexical=lexical)
        result.seconds += time.perf_counter() - start
        result.sentence_pairs += max(len(sources), len(targets))
        result.add({(link.source, link.target) for link in links}, truth)
    return result


def report(title: str, result: Result) -> None:
    print(title)
    print(f"  link precision {result.hits / result.predicted:.3f}, recall {result.hits / result.truth:.3f}")
    print("  recall by link type: "
          + ", ".join(f"{k} {v[0] / v[1]:.3f} (n={v[1]})" for k, v in sorted(result.by_type.items())))
    print(f"  speed: {result.sentence_pairs / result.seconds:.0f} sentence pairs/s")


def sample_pairs() -> list[tuple[str, set[Link], set[Link]]]:
    """(name, predicted, truth) for the two real sample pairs, aligned the way tqcheck aligns documents."""
    results = []
    pairs = load_pairs()
    for name, src_file, tgt_file in [
        ("wechat-ecommerce", "wechat-ecommerce.zh.txt", "wechat-ecommerce.zh-de.mt.txt"),
        ("live-commerce", "live-commerce.zh.txt", "live-commerce.zh-de.mt.txt"),
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


# --- robustness on real MT (../shared/devsets): measured only, nothing from it goes into code, data or tests ---

DEVSET_PAIRS = (("zh", "en"), ("en", "de"))


def devset_documents(folder: Path, src_lang: str, tgt_lang: str, systems: int) -> list[list[tuple[str, str]]]:
    """Whole articles of real MT as sentence pairs: each segment split into sentences on both sides and kept
    where both sides have as many (then paired in order: silver truth); one article per document and system,
    for the first ``systems`` systems in name order."""
    import json
    from collections import defaultdict

    from tqcheck.segment import split_sentences

    rows: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for path in sorted(folder.glob(f"mqm-*-{src_lang}-{tgt_lang}.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                rows[(row["system"], row["doc"])].append(row)
    chosen = set(sorted({system for system, _ in rows})[:systems])
    documents = []
    for (system, _doc), segments in sorted(rows.items()):
        if system not in chosen:
            continue
        pairs: list[tuple[str, str]] = []
        for row in sorted(segments, key=lambda r: int(r["doc_seg"])):
            src = [row["src"][a:b].strip() for a, b in split_sentences(row["src"], src_lang)]
            mt = [row["mt"][a:b].strip() for a, b in split_sentences(row["mt"], tgt_lang)]
            if len(src) == len(mt) and all(src) and all(mt):
                pairs += zip(src, mt, strict=True)
        if len(pairs) >= 6:
            documents.append(pairs)
    return documents


def run_devset(folder: Path, args: argparse.Namespace) -> None:
    for src_lang, tgt_lang in DEVSET_PAIRS:
        documents = devset_documents(folder, src_lang, tgt_lang, args.systems)
        if not documents:
            print(f"devset {src_lang}-{tgt_lang}: no documents in {folder}")
            continue
        for lexical in (False, True):
            rng = random.Random(args.seed)
            variants = []
            for k, doc in enumerate(documents):
                # Invented sentences: real target sentences of other articles (fluent, same domain, unrelated).
                others = [t for j, other in enumerate(documents) if j != k for _, t in other[:3]]
                edits = max(1, round(len(doc) * args.edits / 57))  # as many edits per sentence as above
                variants.append(perturb(doc, rng, edits, others))
            label = "bilingual lexicon" if lexical else "length + anchors only"
            report(f"devset {src_lang}-{tgt_lang} ({label}): {len(documents)} articles, "
                   f"{sum(len(d) for d in documents)} sentence pairs", evaluate(variants, src_lang, tgt_lang, lexical))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", type=int, default=200)
    parser.add_argument("--edits", type=int, default=6, help="random edits per variant (per 57 sentence pairs)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-lexicon", action="store_true", help="length and anchors only (as without a dictionary)")
    parser.add_argument("--devset", type=Path, help="also measure on real MT: a folder of mqm-*-{zh-en,en-de}.jsonl")
    parser.add_argument("--systems", type=int, default=10, help="with --devset: MT systems per article (10: all)")
    args = parser.parse_args()
    pairs = load_pairs()
    rng = random.Random(args.seed)
    variants = [perturb(pairs, rng, args.edits) for _ in range(args.variants)]
    report(f"synthetic: {args.variants} variants × {args.edits} edits of {len(pairs)} zh-de sentence pairs",
           evaluate(variants, "zh", "de", not args.no_lexicon))
    for name, predicted, truth in sample_pairs():
        h, p, t = len(predicted & truth), len(predicted), len(truth)
        print(f"{name}: link precision {h / p:.3f}, recall {h / t:.3f} ({t} true links)")
    if args.devset:
        run_devset(args.devset, args)


if __name__ == "__main__":
    main()
