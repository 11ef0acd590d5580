"""The report of ``tqcheck calibrate``: text for a terminal, a dict for JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tqcheck.routing.calibrate import KEY_ROUTES, Calibration, Evaluation


def _pct(value: float) -> str:
    return f"{100 * value:5.1f} %"


def render_text(cal: Calibration, *, source: str = "") -> str:
    """The text report of ``tqcheck calibrate``."""
    out: list[str] = []
    n = cal.calibration.segments + (cal.holdout.segments if cal.holdout else 0)
    pairs = ", ".join(f"{p} {c}" for p, c in cal.pairs.items())
    labels = (f"MQM penalty ({cal.cuts.describe()})" if cal.kind == "mqm" and cal.cuts
              else "edited / not edited")
    out.append(f"{source or 'labels'}: {n} segments ({pairs}); labels: {labels}")
    if cal.holdout is not None:
        out.append(f"calibration: {cal.calibration.segments} segments; held out: {cal.holdout.segments} "
                   f"({cal.holdout_share:.0%}, seed {cal.seed})")
    scored = f"{cal.scored} of {cal.calibration.segments} calibration segments scored"
    if cal.auc is not None:
        scored += f"; score AUC for no-edit {cal.auc:.3f} (0.5 is chance)"
    out.append(scored)
    out.append("")
    t = cal.targets
    wanted = [f"publish ≥ {t.publish:g}"] + [f"{k} ≥ {t.of(k):g}" for k in ("light_review", "post_edit")
                                             if t.of(k) is not None]
    out.append(f"Targets (precision, at {t.confidence:.0%} confidence): {', '.join(wanted)}")
    if cal.thresholds is not None:
        out.append("Proposed thresholds:" if cal.met else "Thresholds (the targets are NOT met; best reachable):")
        for choice in cal.choices:
            out.append(f"  {choice.key:<13} {choice.value!r:<9} {choice.note}")
    out.append("")
    out.append("Calibration data:" if cal.thresholds is not None else "Rule-based routing (no scores):")
    out += _table(cal.calibration, cal.classes)
    if cal.holdout is not None:
        out.append("")
        out.append("Held-out data:")
        out += _table(cal.holdout, cal.classes)
        for key, ok in cal.holdout_met.items():
            stats = cal.holdout.route(KEY_ROUTES[key])
            out.append(f"  {key}: precision {stats.precision:.3f} on held-out data, target {t.of(key):g}: "
                       + ("met" if ok else "NOT met"))
    if cal.vetoes:
        out.append("")
        out.append("Rule findings that keep segments from publish (segments; of which needed an edit):")
        for code, (count, bad) in list(cal.vetoes.items())[:10]:
            out.append(f"  {code:<8} {count:>5}  {bad:>5} ({bad / count:.0%})")
    if cal.messages:
        out.append("")
        out += [f"note: {m}" for m in cal.messages]
    out.append("")
    if cal.snippet is not None:
        out.append("Paste into tqcheck.toml:")
        out.append("")
        out.append(cal.snippet.rstrip("\n"))
    elif cal.thresholds is None:
        out.append("No [routing] snippet: there are no scores to set thresholds for.")
    else:
        out.append("No [routing] snippet: no thresholds meet the targets.")
    return "\n".join(out) + "\n"


def _table(ev: Evaluation, classes: Sequence[str]) -> list[str]:
    head = f"  {'route':<13} {'segments':>8} {'share':>7} {'words':>8} {'share':>7}  " + " ".join(
        f"{c:>11}" for c in classes) + f" {'precision':>9} {'lower':>6}"
    lines = [head]
    for r in ev.routes:
        cells = " ".join(f"{r.labels[c]:>11}" for c in classes)
        precision = f"{r.precision:>9.3f} {r.lower_bound:>6.3f}" if r.precision is not None else f"{'-':>9} {'-':>6}"
        lines.append(f"  {r.route:<13} {r.segments:>8} {_pct(r.segment_share)} {r.words:>8} {_pct(r.word_share)}  "
                     f"{cells} {precision}")
    totals = " ".join(f"{sum(r.labels[c] for r in ev.routes):>11}" for c in classes)
    lines.append(f"  {'total':<13} {ev.segments:>8} {_pct(1.0 if ev.segments else 0.0)} {ev.words:>8} "
                 f"{_pct(1.0 if ev.words else 0.0)}  {totals}")
    return lines


def calibration_dict(cal: Calibration, source: str = "") -> dict[str, Any]:
    """The JSON report of ``tqcheck calibrate``."""
    return {"labels_file": source, **cal.as_dict()}



__all__ = ["calibration_dict", "render_text"]
