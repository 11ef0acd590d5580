#!/usr/bin/env python3
"""Speed of tqcheck against the targets of the speed issue, every figure and ratio measured in one run.

    python bench/speed.py --devset ../shared/devsets [--quick] [--sections 1,2,3,4] [--repeat N]

Sections (rules only, no QE; CPU time is user + system, which a busy machine disturbs less than wall time; the
batch speed-up of section 3 is wall time by nature, so its run prints the load average):

1. Throughput in MB/s per core (CPU time) on three corpora, MB = 10^6 UTF-8 bytes:
   a. German articles recombined from samples/ (``corpus()`` of bench/rules.py), ``tqcheck.check`` in this
      process after a warm-up check (packs loaded, modules imported);
   b. the zh→de sample articles with their Chinese source, repeated (MB counts both sides), ``tqcheck.check``;
   c. the unique (src, mt) segments of ``<devset>/mqm-generalmt2023-en-de.jsonl`` as one bilingual JSONL file,
      checked by the CLI in a fresh process (start-up included, as users run it), also in units/s;
   d. (not a target, a check on (a)) the German MT of that file as each system's articles, German text alone:
      real text whose vocabulary does not repeat as (a)'s recombined paragraphs do.
   Beside each: translate-toolkit's ``pofilter`` (default checks, fresh process) on the same data as a PO file
   (msgid = source, msgstr = target; for (a), which has no source, msgid = msgstr = the paragraph), and a floor
   for (a) and (b): a bare Aho–Corasick pass (pyahocorasick) of the anchors of the phrase packs that apply
   over the lowercased target text.
2. CPU seconds and peak RSS of one document of 1 KB, 100 KB, 1 MB and 10 MB (sizes in MiB, as bench/scaling.py
   builds them), a target alone and a zh→de pair, each in a fresh process (``build`` and ``measure`` of
   bench/scaling.py); growth per 10× of text and MB of peak memory per MB of text. The 10 MB pair takes minutes.
3. ``tqcheck check DIR --jobs 1`` against ``--jobs 2`` on 2,000 small German articles, a quarter with a zh
   source (``generate`` of bench/batch.py), JSON Lines to a temp file: wall time and speed-up, and how many cores
   other processes of the machine kept busy meanwhile (/proc/stat): the speed-up means little when that nears 1.
   The two run in turn, five pairs (one with --quick), the first of a pair alternating; the speed-up is the median
   of the pairs' ratios, since the machine's speed drifts by a third from one run to the next.
4. Start-up: CPU time of ``python -m tqcheck --help`` beyond a bare ``python -c pass``, and of a rules-only check
   of the sample article with its source (median of ``--repeat`` runs, default 7).

It ends with the issue's targets and whether each holds. ``--quick`` uses smaller corpora, stops section 2 at
1 MB (its growth is then judged from 0.1 to 1 MB) and checks 500 files in section 3. ``--repeat N`` takes every
measurement N times and reports the median (default: 7 for start-up, 3 with --quick; 5 pairs in section 3; 1
for sections 1 and 2).
Needs ``pip install translate-toolkit pyahocorasick`` for the pofilter and floor columns (skipped without).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
SAMPLES = ROOT / "samples"
SAMPLE_TARGET = SAMPLES / "wechat-ecommerce.zh-de.mt.txt"
SAMPLE_SOURCE = SAMPLES / "wechat-ecommerce.zh.txt"
DEVSET_FILE = "mqm-generalmt2023-en-de.jsonl"
MB = 1e6  # section 1; section 2 reports in MiB like bench/scaling.py
INSTALL_HINT = "pip install translate-toolkit pyahocorasick"
TQCHECK = [sys.executable, "-m", "tqcheck"]
POFILTER = [sys.executable, "-m", "translate.filters.pofilter", "--progress=none"]
GATE_FAILED = 1  # a CLI exit status that only means a document failed the gate


@dataclass
class Figures:
    """Everything the targets table judges; None: not measured in this run."""

    mbps: dict[str, float] = field(default_factory=dict)  # corpus key → tqcheck MB/s
    ratio_pofilter: dict[str, float] = field(default_factory=dict)
    units_per_s: float | None = None
    growth: dict[str, tuple[float, float, str]] = field(default_factory=dict)  # shape → (CPU, memory, span)
    peak_per_mb: dict[str, tuple[float, float]] = field(default_factory=dict)  # shape → (MB/MB, at MiB)
    speedup: float | None = None
    batch_others: float | None = None  # the most cores other processes kept busy during a batch run
    help_cpu: float | None = None
    sample_cpu: float | None = None


# --- helpers -------------------------------------------------------------------------------------------------


def bench_module(name: str) -> ModuleType:
    """Import ``bench/<name>.py`` (bench/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ModuleNotFoundError, ValueError):  # a missing parent package; a module set to None in sys.modules
        return False


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_child(command: Sequence[str], ok: Iterable[int] = (0,), env: dict[str, str] | None = None
              ) -> tuple[float, float]:
    """Run ``command`` to completion; (CPU seconds of it and its children, wall seconds)."""
    cpu, start = children_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, env=env)
    wall, cpu = time.perf_counter() - start, children_cpu() - cpu
    if done.returncode not in tuple(ok):
        raise RuntimeError(f"exit status {done.returncode} of {' '.join(command)}:\n{done.stderr[-2000:]}")
    return cpu, wall


def cpu_of(work: Callable[[], Any]) -> float:
    """CPU seconds of this process spent in ``work()``."""
    start = time.process_time()
    work()
    return time.process_time() - start


def median_of(repeat: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(repeat))


def utf8_size(*texts: str) -> int:
    return sum(len(t.encode("utf-8")) for t in texts)


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def per_ten(small: tuple[float, float], large: tuple[float, float]) -> float:
    """The factor from ``small`` to ``large`` (size, value), scaled to a 10× step of size."""
    return (large[1] / small[1]) ** (1 / math.log10(large[0] / small[0]))


# --- corpora and PO files --------------------------------------------------------------------------------------


def german_corpus(megabytes: float) -> list[str]:
    """About ``megabytes`` of German articles from bench/rules.py's ``corpus()``."""
    corpus = bench_module("rules").corpus
    probe = corpus(10)
    count = max(1, round(megabytes * MB / (utf8_size(*probe) / len(probe))))
    return corpus(count)


def sample_pairs() -> list[tuple[str, str]]:
    """(source, target) of every German sample that has a Chinese source beside it."""
    from tqcheck.readers import langs_from_name

    pairs = []
    for target in sorted(SAMPLES.glob("*.txt")):
        source = SAMPLES / (target.name.split(".")[0] + ".zh.txt")
        if langs_from_name(target)[1] == "de" and source.is_file():
            pairs.append((source.read_text(encoding="utf-8"), target.read_text(encoding="utf-8")))
    return pairs


def pair_corpus(megabytes: float) -> list[tuple[str, str]]:
    """The sample pairs, repeated in turn until source + target reach ``megabytes``."""
    pairs, corpus, size = sample_pairs(), [], 0
    while size < megabytes * MB:
        pair = pairs[len(corpus) % len(pairs)]
        corpus.append(pair)
        size += utf8_size(*pair)
    return corpus


def segment_corpus(devset: Path, limit: int | None) -> list[tuple[str, str]]:
    """The unique (src, mt) pairs of the en→de development set, in file order (the first ``limit``)."""
    unique: dict[tuple[str, str], None] = {}
    with open(devset / DEVSET_FILE, encoding="utf-8") as rows:
        for line in rows:
            row = json.loads(line)
            unique.setdefault((row["src"], row["mt"]))
    return list(unique)[:limit]


def devset_articles(devset: Path) -> list[str]:
    """The German MT of the en→de development set, each system's article rebuilt (segments in order, a blank line
    between them): real text written by nobody here, whose vocabulary does not repeat as corpus (a)'s does."""
    articles: dict[tuple[str, str], list[tuple[int, str]]] = {}
    with open(devset / DEVSET_FILE, encoding="utf-8") as rows:
        for line in rows:
            row = json.loads(line)
            articles.setdefault((row["system"], row["doc"]), []).append((int(row["doc_seg"]), row["mt"]))
    return ["\n\n".join(mt for _, mt in sorted(parts)) + "\n" for _, parts in sorted(articles.items())]


def write_jsonl(path: Path, pairs: Sequence[tuple[str, str]]) -> None:
    """The bilingual JSONL tqcheck reads: one ``{"src": …, "mt": …}`` object a line."""
    with open(path, "w", encoding="utf-8") as out:
        for src, mt in pairs:
            out.write(json.dumps({"src": src, "mt": mt}, ensure_ascii=False) + "\n")


def po_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return '"' + escaped.replace("\t", "\\t") + '"'


def write_po(path: Path, entries: Iterable[tuple[str, str]]) -> None:
    """A UTF-8 PO file of (msgid, msgstr) entries; a numbered msgctxt keeps repeated msgids distinct."""
    with open(path, "w", encoding="utf-8") as out:
        out.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
        for number, (msgid, msgstr) in enumerate(entries, start=1):
            out.write(f'\nmsgctxt "{number}"\nmsgid {po_string(msgid)}\nmsgstr {po_string(msgstr)}\n')


def german_entries(texts: Iterable[str]) -> Iterable[tuple[str, str]]:
    """Each paragraph as its own msgid and msgstr (German text alone has no source)."""
    return ((p, p) for text in texts for p in paragraphs(text))


def pair_entries(pairs: Iterable[tuple[str, str]]) -> Iterable[tuple[str, str]]:
    """Paragraph pairs where source and target have as many paragraphs, else the article as one entry."""
    for source, target in pairs:
        src, tgt = paragraphs(source), paragraphs(target)
        yield from zip(src, tgt, strict=True) if len(src) == len(tgt) else [(source.strip(), target.strip())]


# --- section 1: throughput -------------------------------------------------------------------------------------


@dataclass
class Throughput:
    name: str
    megabytes: float
    tqcheck_cpu: float
    pofilter_cpu: float | None = None
    floor_cpu: float | None = None
    units: int | None = None
    notes: list[str] = field(default_factory=list)


def tqcheck_texts_cpu(texts: Sequence[str], repeat: int) -> float:
    import tqcheck

    config = tqcheck.Config(tgt_lang="de")
    tqcheck.check(texts[0], config=config)  # warm-up: packs, segmenter, lazy modules
    return median_of(repeat, lambda: cpu_of(lambda: [tqcheck.check(t, config=config) for t in texts]))


def tqcheck_pairs_cpu(pairs: Sequence[tuple[str, str]], repeat: int) -> float:
    import tqcheck

    config = tqcheck.Config(src_lang="zh", tgt_lang="de")
    tqcheck.check(pairs[0][1], pairs[0][0], config=config)  # warm-up: also the aligner's dictionaries
    return median_of(repeat, lambda: cpu_of(lambda: [tqcheck.check(t, s, config=config) for s, t in pairs]))


def tqcheck_cli_cpu(path: Path, repeat: int) -> tuple[float, int]:
    """CPU seconds of `tqcheck check FILE` on a bilingual file, and the units its report says it checked."""
    report = path.with_suffix(".report.jsonl")
    command = [*TQCHECK, "check", str(path), "--src-lang", "en", "--tgt-lang", "de", "--no-config", "--quiet",
               "--max-size", "0", "--format", "jsonl", "-o", str(report)]
    cpu = median_of(repeat, lambda: run_child(command, ok=(0, GATE_FAILED))[0])
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    return cpu, sum(line.get("unit_count", 0) for line in lines if line["type"] == "document")


def pofilter_cpu(po: Path, repeat: int) -> float | None:
    if not has_module("translate.filters.pofilter"):
        return None
    command = [*POFILTER, "-i", str(po), "-o", str(po.with_suffix(".out.po"))]
    return median_of(repeat, lambda: run_child(command)[0])


def anchor_automaton(src: str | None, tgt: str) -> Any | None:
    """A pyahocorasick automaton of every anchor of the phrase packs of the pair (None without pyahocorasick)."""
    if not has_module("ahocorasick"):
        return None
    import ahocorasick

    from tqcheck.packs import load_packs

    automaton = ahocorasick.Automaton()
    for entries in load_packs(src, tgt).phrases.values():
        for entry in entries:
            for anchor in entry.anchors or ():
                automaton.add_word(anchor, anchor)
    automaton.make_automaton()
    return automaton


def floor_cpu(automaton: Any | None, texts: Sequence[str], min_cpu: float = 0.3) -> float | None:
    """CPU seconds of one pass (lowercasing included) over ``texts``; passes repeat for at least ``min_cpu``."""
    if automaton is None:
        return None

    def one_pass() -> int:
        return sum(sum(1 for _ in automaton.iter(text.lower())) for text in texts)

    passes, start = 0, time.process_time()
    while (spent := time.process_time() - start) < min_cpu:
        one_pass()
        passes += 1
    return spent / passes


def german_throughput(megabytes: float, folder: Path, repeat: int) -> Throughput:
    texts = german_corpus(megabytes)
    return german_text_throughput("a. German text", texts, folder / "german.po", repeat,
                                  f"{len(texts)} articles; pofilter: each paragraph as msgid and as msgstr (no "
                                  "source; MB counts the text once)")


def devset_german_throughput(devset: Path, quick: bool, folder: Path, repeat: int) -> Throughput:
    texts = devset_articles(devset)
    texts = texts[:len(texts) // 4] if quick else texts
    return german_text_throughput("d. German MT (dev)", texts, folder / "devset-german.po", repeat,
                                  f"{len(texts)} articles: the mt side of {DEVSET_FILE} as each system's articles, "
                                  "checked as German text alone (not a target of the issue: real text whose words do "
                                  "not repeat as (a)'s do, so the per-word caches help less)")


def german_text_throughput(name: str, texts: Sequence[str], po: Path, repeat: int, note: str) -> Throughput:
    """tqcheck, pofilter (each paragraph as msgid and msgstr) and the anchor floor on German text alone."""
    write_po(po, german_entries(texts))
    automaton = anchor_automaton(None, "de")
    result = Throughput(name, utf8_size(*texts) / MB, tqcheck_texts_cpu(texts, repeat), pofilter_cpu(po, repeat),
                        floor_cpu(automaton, texts))
    result.notes.append(note)
    if automaton is not None:
        result.notes.append(f"floor: {len(automaton)} anchors of the de pack")
    return result


def pair_throughput(megabytes: float, folder: Path, repeat: int) -> Throughput:
    pairs = pair_corpus(megabytes)
    po = folder / "pairs.po"
    write_po(po, pair_entries(pairs))
    automaton = anchor_automaton("zh", "de")
    result = Throughput("b. zh→de pairs", sum(utf8_size(*p) for p in pairs) / MB, tqcheck_pairs_cpu(pairs, repeat),
                        pofilter_cpu(po, repeat), floor_cpu(automaton, [t for _, t in pairs]))
    result.notes.append(f"{len(sample_pairs())} sample pairs repeated to {len(pairs)} articles (word caches stay "
                        "warm); MB = source + target; pofilter: paragraph pairs where the paragraphs correspond, "
                        "else the article as one entry")
    if automaton is not None:
        result.notes.append(f"floor: {len(automaton)} anchors of the zh-de and de packs, over the target only")
    return result


def segment_throughput(devset: Path, limit: int | None, folder: Path, repeat: int) -> Throughput:
    segments = segment_corpus(devset, limit)
    jsonl, po = folder / "segments.jsonl", folder / "segments.po"
    write_jsonl(jsonl, segments)
    write_po(po, segments)
    cpu, checked = tqcheck_cli_cpu(jsonl, repeat)
    result = Throughput("c. en→de segments", sum(utf8_size(*p) for p in segments) / MB, cpu,
                        pofilter_cpu(po, repeat), units=len(segments))
    result.notes.append(f"{len(segments)} unique (src, mt) pairs of {DEVSET_FILE} ({checked} units checked, says the "
                        "report), one JSONL file checked by the CLI (`tqcheck check FILE --format jsonl`; start-up "
                        "included, as for pofilter)")
    return result


def print_throughput(rows: Sequence[Throughput]) -> None:
    def rate(cpu: float | None, megabytes: float) -> str:
        return f"{megabytes / cpu:8.2f}" if cpu else f"{'-':>8}"

    def ratio(cpu: float | None, tq_cpu: float) -> str:
        return f"{cpu / tq_cpu:8.3g}×" if cpu else f"{'-':>9}"

    print(f"{'corpus':20} {'MB':>6} {'tq CPU s':>9} {'tq MB/s':>8} {'units/s':>8} {'pofilter':>8} "
          f"{'tq/pofi':>9} {'floor':>8} {'tq/floor':>9}")
    for r in rows:
        units = f"{r.units / r.tqcheck_cpu:8.0f}" if r.units else f"{'-':>8}"
        print(f"{r.name:20} {r.megabytes:6.3f} {r.tqcheck_cpu:9.2f} {rate(r.tqcheck_cpu, r.megabytes)} {units} "
              f"{rate(r.pofilter_cpu, r.megabytes)} {ratio(r.pofilter_cpu, r.tqcheck_cpu)} "
              f"{rate(r.floor_cpu, r.megabytes)} {ratio(r.floor_cpu, r.tqcheck_cpu)}")
    print("  (MB/s per core = MB / CPU s; pofilter and floor in MB/s of the same data; the ratios are "
          "tqcheck's speed over theirs)")
    for r in rows:
        print(f"  {r.name}: {'; '.join(r.notes)}")


def section_throughput(args: argparse.Namespace, figures: Figures) -> None:
    print("\n== 1. Throughput per core (CPU time, rules only) ==")
    if not has_module("translate.filters.pofilter"):
        print(f"  translate-toolkit is not installed: no pofilter column ({INSTALL_HINT})")
    if not has_module("ahocorasick"):
        print(f"  pyahocorasick is not installed: no floor column ({INSTALL_HINT})")
    repeat = args.repeat or 1
    rows = []
    with tempfile.TemporaryDirectory(prefix="tqcheck-speed-") as tmp:
        rows.append(german_throughput(0.25 if args.quick else 1.0, Path(tmp), repeat))
        rows.append(pair_throughput(0.15 if args.quick else 0.75, Path(tmp), repeat))
        if args.devset is None:
            print("  no --devset: corpus c (sentence-level JSONL) skipped")
        elif not (args.devset / DEVSET_FILE).is_file():
            print(f"  {args.devset / DEVSET_FILE} not found: corpus c skipped")
        else:
            rows.append(segment_throughput(args.devset, 300 if args.quick else None, Path(tmp), repeat))
            rows.append(devset_german_throughput(args.devset, args.quick, Path(tmp), repeat))
    print_throughput(rows)
    for key, row in zip("abcd", rows, strict=False):
        figures.mbps[key] = row.megabytes / row.tqcheck_cpu
        if row.pofilter_cpu:
            figures.ratio_pofilter[key] = row.pofilter_cpu / row.tqcheck_cpu
        if row.units:
            figures.units_per_s = row.units / row.tqcheck_cpu


# --- section 2: one document of growing size -------------------------------------------------------------------


def section_scaling(args: argparse.Namespace, figures: Figures) -> None:
    print("\n== 2. One document of growing size (fresh process each, bench/scaling.py) ==")
    scaling = bench_module("scaling")
    sizes = [1 / 1024, 100 / 1024, 1.0] + ([] if args.quick else [10.0])
    print(f"{'shape':11} {'MiB':>8} {'CPU s':>8} {'s/MiB':>7} {'peak MiB':>9} {'peak/MiB':>9} "
          f"{'Δpeak/ΔMiB':>11} {'CPU ×/10×':>10} {'mem ×/10×':>10}")
    with tempfile.TemporaryDirectory(prefix="tqcheck-speed-") as tmp:
        for shape, label in (("lines", "target"), ("pair", "zh→de pair")):
            points: list[tuple[float, float, float]] = []  # (MiB of text, CPU s, peak MiB)
            for size in sizes:
                paths = scaling.build(Path(tmp), size, shape)
                real = sum(p.stat().st_size for p in paths) / scaling.MB
                runs = [scaling.measure(paths) for _ in range(args.repeat or 1)]
                cpu, peak = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
                points.append((real, cpu, peak))
                print(scaling_row(label, points), flush=True)
                for path in paths:
                    path.unlink()
            (s_mb, s_cpu, s_peak), (l_mb, l_cpu, l_peak) = points[-2], points[-1]
            figures.growth[label] = (per_ten((s_mb, s_cpu), (l_mb, l_cpu)),
                                     per_ten((s_mb, s_peak), (l_mb, l_peak)), f"{s_mb:.3g}→{l_mb:.3g} MiB")
            figures.peak_per_mb[label] = (l_peak / l_mb, l_mb)
    print("  (peak/MiB includes the interpreter; Δpeak/ΔMiB is the memory each further MiB of text costs, from the "
          "smallest size; ×/10×: the factor from the size above, scaled to a 10× step)")


def scaling_row(label: str, points: Sequence[tuple[float, float, float]]) -> str:
    real, cpu, peak = points[-1]
    first, previous = points[0], points[-2] if len(points) > 1 else None
    marginal = f"{(peak - first[2]) / (real - first[0]):11.1f}" if previous else f"{'-':>11}"
    growth_cpu = f"{per_ten(previous[:2], (real, cpu)):10.1f}" if previous else f"{'-':>10}"
    growth_mem = f"{per_ten((previous[0], previous[2]), (real, peak)):10.2f}" if previous else f"{'-':>10}"
    return (f"{label:11} {real:8.3f} {cpu:8.2f} {cpu / real:7.2f} {peak:9.0f} {peak / real:9.1f} {marginal} "
            f"{growth_cpu} {growth_mem}")


# --- section 3: --jobs 1 against --jobs 2 ----------------------------------------------------------------------


def machine_busy() -> float | None:
    """CPU seconds all processes of the machine have been busy since boot (from /proc/stat; None elsewhere)."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")  # user … steal; guest time is inside user


@dataclass
class BatchRun:
    wall: float
    cpu: float  # the CLI and its workers
    others: float | None  # CPU cores other processes of the machine kept busy, on average, during the run
    kinds: dict[str, int]  # JSON Lines of the report by type


def batch_run(folder: Path, jobs: int) -> BatchRun:
    """One CLI batch run over ``folder``."""
    out = folder.parent / f"out-{jobs}.jsonl"
    # Without the languages, a folder pairing x.de.txt with x.zh.txt is an `ambiguous-pair` error for each pair.
    command = [*TQCHECK, "check", str(folder), "--src-lang", "zh", "--tgt-lang", "de", "--jobs", str(jobs),
               "--no-config", "--quiet", "--format", "jsonl", "-o", str(out)]
    busy = machine_busy()
    cpu, wall = run_child(command, ok=(0, GATE_FAILED))
    after = machine_busy()
    others = None if busy is None or after is None else max(0.0, (after - busy - cpu) / wall)
    kinds: dict[str, int] = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        kind = json.loads(line)["type"]
        kinds[kind] = kinds.get(kind, 0) + 1
    return BatchRun(wall, cpu, others, kinds)


def section_batch(args: argparse.Namespace, figures: Figures) -> None:
    print("\n== 3. Batch: `tqcheck check DIR --jobs 1` against `--jobs 2` (wall time) ==")
    count = 500 if args.quick else 2000
    with tempfile.TemporaryDirectory(prefix="tqcheck-speed-") as tmp:
        folder = Path(tmp) / "articles"
        with_source, size = bench_module("batch").generate([(folder, count)], count)
        print(f"  {count} articles ({with_source} with a zh source), {size / MB:.2f} MB, "
              f"`--format jsonl -o out.jsonl` (exit status 1 = a gate failed: expected); {load_average()}")
        walls: dict[int, list[float]] = {1: [], 2: []}
        for pair in range(args.repeat or (1 if args.quick else 5)):  # interleaved: each pair sees the same machine
            # In turn 1-2, 2-1, …: a machine that speeds up or slows down during a pair favours neither side.
            for jobs in (1, 2) if pair % 2 == 0 else (2, 1):
                run = batch_run(folder, jobs)
                walls[jobs].append(run.wall)
                if run.others is not None:
                    figures.batch_others = max(run.others, figures.batch_others or 0.0)
                others = "" if run.others is None else f"; other processes kept {run.others:.2f} cores busy"
                print(f"  --jobs {jobs}: {run.wall:6.1f} s wall, {count / run.wall:6.1f} articles/s, {run.cpu:6.1f} s "
                      f"CPU (CLI and workers){others}; lines: "
                      f"{', '.join(f'{n} {k}' for k, n in sorted(run.kinds.items()))}", flush=True)
                if run.kinds.get("error"):
                    print(f"  warning: {run.kinds['error']} files could not be checked (the report's error lines "
                          "say why)")
    # The machine's speed drifts by a third from one run to the next: the ratio of each pair, run back to back,
    # is what holds; its median is the figure.
    ratios = [one / two for one, two in zip(walls[1], walls[2], strict=True)]
    figures.speedup = statistics.median(ratios)
    print(f"  speed-up --jobs 2 / --jobs 1: {figures.speedup:.2f}× (median of {len(ratios)} pairs run back to back, "
          f"{min(ratios):.2f}–{max(ratios):.2f}; median wall {statistics.median(walls[1]):.1f} s against "
          f"{statistics.median(walls[2]):.1f} s; trust it only when other processes kept well under a core busy)")


# --- section 4: start-up ---------------------------------------------------------------------------------------


def section_startup(args: argparse.Namespace, figures: Figures) -> None:
    repeat = args.repeat or (3 if args.quick else 7)
    print(f"\n== 4. Start-up (CPU of a fresh process, user+sys, median of {repeat}) ==")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -m tqcheck --help": [*TQCHECK, "--help"],
        "sample check with its source": [*TQCHECK, "check", str(SAMPLE_TARGET.relative_to(ROOT)), "--source",
                                         str(SAMPLE_SOURCE.relative_to(ROOT)), "--format", "json"],
    }
    # As an installed tqcheck starts: with its bytecode (pip compiles it at install time). A shell that sets
    # PYTHONDONTWRITEBYTECODE would have every run compile tqcheck's modules from source (25 ms for the CLI alone).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for command in commands.values():  # warm-up: bytecode and data caches, page cache
        run_child(command, ok=(0, GATE_FAILED), env=env)
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):  # interleaved rounds
        for name, command in commands.items():
            cpu[name].append(run_child(command, ok=(0, GATE_FAILED), env=env)[0])
    bare, help_, sample = (statistics.median(cpu[name]) for name in commands)
    figures.help_cpu, figures.sample_cpu = help_ - bare, sample
    print(f"  python -c pass                  {bare:6.3f} s")
    print(f"  python -m tqcheck --help        {help_:6.3f} s  ({help_ - bare:+.3f} s beyond the bare interpreter)")
    print(f"  python -m tqcheck check {SAMPLE_TARGET.relative_to(ROOT)} --source "
          f"{SAMPLE_SOURCE.relative_to(ROOT)} --format json")
    print(f"                                  {sample:6.3f} s  ({sample - bare:+.3f} s beyond the bare interpreter)")


# --- targets ---------------------------------------------------------------------------------------------------


def target_rows(f: Figures) -> list[tuple[str, str, bool | None]]:
    """(target, measured, holds) rows; holds is None when the figure was not measured."""
    def row(name: str, value: float | None, text: str, holds: Callable[[float], bool]) -> tuple[str, str, bool | None]:
        return (name, "not measured", None) if value is None else (name, text.format(value), holds(value))

    rows = [
        row("German text ≥ 2 MB/s per core", f.mbps.get("a"), "{:.2f} MB/s", lambda v: v >= 2),
        row("zh→de pairs ≥ 1 MB/s per core", f.mbps.get("b"), "{:.2f} MB/s", lambda v: v >= 1),
        row("sentence JSONL ≥ 0.3 MB/s", f.mbps.get("c"), "{:.2f} MB/s", lambda v: v >= 0.3),
        row("sentence JSONL ≥ 2,500 units/s", f.units_per_s, "{:.0f} units/s", lambda v: v >= 2500),
    ]
    for key, name in (("a", "German text"), ("b", "zh→de pairs"), ("c", "sentence JSONL")):
        rows.append(row(f"{name} ≥ 1.0× pofilter", f.ratio_pofilter.get(key), "{:.2f}×", lambda v: v >= 1))
    for label in ("target", "zh→de pair"):
        cpu, memory, span = f.growth.get(label, (None, None, ""))
        rows.append(row(f"{label}: CPU growth ≤ ×11 per 10× ({span or '1→10 MiB'})", cpu, "×{:.1f}",
                        lambda v: v <= 11))
        rows.append(row(f"{label}: memory growth ≤ ×11 per 10× ({span or '1→10 MiB'})", memory, "×{:.2f}",
                        lambda v: v <= 11))
        per_mb, at = f.peak_per_mb.get(label, (None, None))
        where = f"at {at:.3g} MiB" if at else "at the largest size"
        rows.append(row(f"{label}: peak ≤ 30 MB per MB of text ({where})", per_mb, "{:.1f} MB/MB",
                        lambda v: v <= 30))
    rows += [
        row("--jobs 2 ≥ 1.8× --jobs 1" + ("" if f.batch_others is None else
                                          f" (others kept up to {f.batch_others:.1f} cores busy)"),
            f.speedup, "{:.2f}×", lambda v: v >= 1.8),
        row("--help ≤ 0.08 s CPU beyond a bare interpreter", f.help_cpu, "{:+.3f} s", lambda v: v <= 0.08),
        row("sample check ≤ 0.3 s CPU", f.sample_cpu, "{:.3f} s", lambda v: v <= 0.3),
    ]
    return rows


def print_targets(figures: Figures) -> None:
    print("\n== Targets of the issue ==")
    rows = target_rows(figures)
    width = max(len(name) for name, _, _ in rows)
    for name, measured, holds in rows:
        verdict = "-" if holds is None else "yes" if holds else "NO"
        print(f"  {name:{width}}  {measured:>14}  {verdict}")
    judged = [holds for _, _, holds in rows if holds is not None]
    print(f"  {sum(judged)} of {len(judged)} measured targets hold")


# --- main ------------------------------------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{len(os.sched_getaffinity(0))} CPUs available ({os.cpu_count()} on the machine), {model}"


def load_average() -> str:
    return "load average " + " ".join(f"{load:.2f}" for load in os.getloadavg()) + " (1, 5, 15 min)"


def commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    return done.stdout.strip() or "unknown"


def version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def print_header() -> None:
    import tqcheck

    print(f"tqcheck speed, {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(f"machine: {machine()}; {load_average()}")
    print(f"Python {platform.python_version()} ({sys.executable}); tqcheck {tqcheck.__version__} at commit "
          f"{commit()}; translate-toolkit {version('translate-toolkit')}; pyahocorasick {version('pyahocorasick')}")


SECTIONS = {"1": section_throughput, "2": section_scaling, "3": section_batch, "4": section_startup}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devset", type=Path, help="folder of the development sets (for corpus 1c)")
    parser.add_argument("--quick", action="store_true", help="smaller corpora, section 2 up to 1 MB")
    parser.add_argument("--sections", default="1,2,3,4", help="which sections to run, e.g. 1,4 (default: all)")
    parser.add_argument("--repeat", type=int, help="runs per measurement, median reported "
                                                   "(default: 7 for start-up, 3 with --quick; 3 pairs in section 3; "
                                                   "1 for sections 1 and 2)")
    args = parser.parse_args()
    args.sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = [s for s in args.sections if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section {', '.join(unknown)}; choose from 1, 2, 3, 4")
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main() -> None:
    args = parse_args()
    print_header()
    figures = Figures()
    for section in sorted(set(args.sections)):
        SECTIONS[section](args, figures)
    print_targets(figures)


if __name__ == "__main__":
    main()
