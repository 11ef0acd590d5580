"""``tqcheck models``: the table of known QE models, or one model's detail. Imports neither torch nor comet.

Imported only when the command runs: importing it imports :mod:`tqcheck.qe`, which ``tqcheck --help`` should not
pay for.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from tqcheck.qe.models import (
    Family,
    License,
    ModelInfo,
    families,
    is_checkpoint_path,
    known_models,
    license_of,
    lookup,
    table,
)

_COLUMNS = ("MODEL", "FAMILY", "LICENCE", "COMMERCIAL", "GATED", "SPANS", "PARAMS", "FP32", "BF16")


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _params(millions: int) -> str:
    return f"{millions / 1000:g} B" if millions >= 1000 else f"{millions} M"


def _gb(value: float) -> str:
    return f"{value:.1f} GB"


def models_table() -> str:
    """The text table ``tqcheck models`` prints (and the README shows between its models markers)."""
    rows = [_COLUMNS] + [
        (m.name, m.family, m.license, m.commercial, _yes(m.gated), _yes(m.spans), _params(m.parameters),
         _gb(m.memory_gb(4)), _gb(m.memory_gb(2)))
        for m in known_models()]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    t = table()
    lines += [
        "",
        f"default: {t.default}; commercial use (commercial = true): {t.commercial_default}.",
        "All are reference-free (xCOMET also takes a reference, which tqcheck does not pass); input limit 512",
        "tokens of source and translation together. FP32/BF16: the weights alone. Sources and notes:",
        "tqcheck models NAME.",
    ]
    return "\n".join(lines) + "\n"


def _family_lines(family: Family) -> list[str]:
    b, r = family.bands, family.routing
    return [
        f"score range:     {family.score_range}",
        f"TQ901 bands:     minor below {b['minor_below']:g}, major below {b['major_below']:g}, critical below "
        f"{b['critical_below']:g} (--qe-threshold moves them)",
        f"routing:         publish at {r['publish']:g}+, light-review at {r['light_review']:g}+, post-edit at "
        f"{r['post_edit']:g}+, else retranslate",
    ]


def model_detail(info: ModelInfo) -> str:
    family = families()[info.family]
    lines = [
        info.name,
        f"family:          {info.family}" + (f" (comet class {family.class_identifier})"
                                             if family.class_identifier else ""),
        f"licence:         {info.license} (commercial use: {info.commercial})",
        f"gated:           {_yes(info.gated)}" + (f" (accept the licence at https://huggingface.co/{info.name} "
                                                  "and log in)" if info.gated else ""),
        f"reference-free:  {_yes(info.reference_free)}",
        f"error spans:     {_yes(info.spans)}" + (" (TQ902 issues)" if info.spans else ""),
        f"input limit:     {info.input_limit} tokens of source and translation together",
        f"parameters:      {_params(info.parameters)} (weights: {_gb(info.memory_gb(4))} in fp32, "
        f"{_gb(info.memory_gb(2))} in bf16)",
        *_family_lines(family),
        f"notes:           {info.notes}",
        "sources:",
        *(f"  {source}" for source in info.sources),
    ]
    return "\n".join(lines) + "\n"


def _checkpoint_detail(model: str, license: License) -> tuple[str, dict[str, Any]]:
    from tqcheck.qe import family_of

    checkpoint = Path(model).expanduser()
    if checkpoint.is_dir():
        checkpoint = next((c for c in (checkpoint / "checkpoints" / "model.ckpt", checkpoint / "model.ckpt")
                           if c.is_file()), checkpoint)
    name = family_of(str(checkpoint))
    family = families()[name]
    text = "\n".join([
        f"{model} (a local checkpoint)",
        f"family:          {name} (from its hparams.yaml, else its name)",
        f"licence:         {license.id} (commercial use: {license.commercial}; {license.source})",
        *_family_lines(family),
    ]) + "\n"
    data = {"name": model, "local": True, "family": name, "license": license.id, "commercial": license.commercial,
            "license_source": license.source, "score_range": family.score_range, "bands": dict(family.bands),
            "routing": dict(family.routing)}
    return text, data


def model_dict(info: ModelInfo) -> dict[str, Any]:
    family = families()[info.family]
    return {
        "name": info.name, "family": info.family, "license": info.license, "commercial": info.commercial,
        "gated": info.gated, "reference_free": info.reference_free, "spans": info.spans,
        "input_limit": info.input_limit, "parameters_millions": info.parameters,
        "memory_gb": {"fp32": round(info.memory_gb(4), 2), "bf16": round(info.memory_gb(2), 2)},
        "score_range": family.score_range, "bands": dict(family.bands), "routing": dict(family.routing),
        "default": info.name == table().default, "notes": info.notes, "sources": list(info.sources),
    }


def show_models(name: str | None, fmt: str) -> None:
    """What ``tqcheck models [NAME|PATH] [--format]`` prints (the command's options are declared in tqcheck.cli)."""
    if name is None:
        if fmt == "json":
            click.echo(json.dumps({"default": table().default, "commercial_default": table().commercial_default,
                                   "models": [model_dict(m) for m in known_models()]}, ensure_ascii=False, indent=2))
        else:
            click.echo(models_table(), nl=False)
        return
    info = lookup(name)
    if info is not None:
        click.echo(json.dumps(model_dict(info), ensure_ascii=False, indent=2) if fmt == "json" else model_detail(info),
                   nl=fmt == "json")
        return
    if not is_checkpoint_path(name):
        raise click.BadParameter(f"{name!r} is not in the table of known models (`tqcheck models` lists them), nor "
                                 "a local checkpoint; tqcheck does not know its licence", param_hint="NAME")
    if not Path(name).expanduser().exists():
        raise click.BadParameter(f"{name}: no such checkpoint file or folder", param_hint="PATH")
    text, data = _checkpoint_detail(name, license_of(name))
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if fmt == "json" else text, nl=fmt == "json")
