"""Tiny, real COMET checkpoints built offline, once per test session.

The models are real ``comet.models.UnifiedMetric`` (CometKiwi-shaped: inputs mt+src) and
``comet.models.XCOMETMetric`` instances over a tiny random XLM-R encoder with its own sentencepiece tokenizer,
saved the way comet lays models out (``<model>/checkpoints/model.ckpt`` plus ``<model>/hparams.yaml``) and loaded
back through the tqcheck backend with ``local_files_only``. Their scores mean nothing, but they are what the
model computes: the tests check plumbing (order, batching, spans, cache, errors), never quality.

Import the fixture into a test module (``from qe_fixtures import qe_models``); tests/conftest.py is not ours.
"""

from __future__ import annotations

import importlib.util
import itertools
import random
from dataclasses import dataclass
from pathlib import Path

import pytest

# A few sentences per language, combined from parts so the tokenizer sees a few hundred distinct lines.
_DE_SUBJECTS = ["Der Hund", "Die Firma", "Das Team", "Meine Schwester", "Der Händler", "Die Regierung",
                "Das Unternehmen", "Ein Kunde", "Die Plattform", "Der Lehrer"]
_DE_PREDICATES = ["verkauft Produkte im Internet", "läuft schnell über die Straße", "nutzt WeChat jeden Tag",
                  "liest die Nachrichten am Morgen", "wartet seit einer Stunde", "baut ein neues System",
                  "hat den Umsatz verdoppelt", "schreibt einen langen Bericht", "spricht mit den Kunden",
                  "plant die Reise nach Peking"]
_DE_TAILS = ["", " heute", " in Berlin", " trotz des Regens", " seit Jahren", " am Wochenende"]
_EN_SUBJECTS = ["The dog", "The company", "The team", "My sister", "The merchant", "The government",
                "The business", "A customer", "The platform", "The teacher"]
_EN_PREDICATES = ["sells products online", "runs quickly across the street", "uses WeChat every day",
                  "reads the news in the morning", "has been waiting for an hour", "builds a new system",
                  "doubled its revenue", "writes a long report", "talks to the customers",
                  "plans the trip to Beijing"]
_EN_TAILS = ["", " today", " in Berlin", " despite the rain", " for years", " at the weekend"]
_ZH_SUBJECTS = ["狗", "公司", "团队", "我的姐姐", "商家", "政府", "企业", "一位顾客", "平台", "老师"]
_ZH_PREDICATES = ["在网上销售产品", "飞快地跑过街道", "每天使用微信", "早上看新闻", "已经等了一个小时",
                  "建立了一个新系统", "把销售额翻了一番", "写了一份很长的报告", "和顾客交谈", "计划去北京旅行"]
_ZH_TAILS = ["", "，今天", "，在柏林", "，尽管下雨", "，多年来", "，周末"]

# Hand-made pairs for the tests: (source zh, target de).
PAIRS: tuple[tuple[str, str], ...] = (
    ("有时候柏林整天下雨。", "Manchmal regnet es in Berlin den ganzen Tag."),
    ("公司在网上销售产品。", "Die Firma verkauft ihre Produkte im Internet."),
    ("微信在中国非常受欢迎。", "WeChat ist in China sehr beliebt."),
    ("狗飞快地跑过街道。", "Der Hund läuft schnell über die Straße."),
    ("我们要抓住流量红利。", "Wir müssen den Verkehrsbonus ergreifen."),
    ("老师写了一份很长的报告，周末。", "Der Lehrer schreibt am Wochenende einen langen Bericht."),
)


def corpus_lines() -> list[str]:
    """De/en/zh training text for the tiny sentencepiece model."""
    lines = []
    for subjects, predicates, tails, end in ((_DE_SUBJECTS, _DE_PREDICATES, _DE_TAILS, "."),
                                             (_EN_SUBJECTS, _EN_PREDICATES, _EN_TAILS, "."),
                                             (_ZH_SUBJECTS, _ZH_PREDICATES, _ZH_TAILS, "。")):
        sep = "" if end == "。" else " "
        for s, p, t in itertools.product(subjects, predicates, tails):
            lines.append(f"{s}{sep}{p}{t}{end}")
    lines += [text for pair in PAIRS for text in pair]
    random.Random(0).shuffle(lines)
    return lines


@dataclass(frozen=True)
class TinyModels:
    root: Path
    encoder: Path        # a transformers XLM-R folder (config, weights, tokenizer)
    kiwi: Path           # CometKiwi-shaped UnifiedMetric: <root>/kiwi/checkpoints/model.ckpt
    xcomet: Path         # XCOMETMetric: <root>/xcomet/checkpoints/model.ckpt


def _save_comet(model: object, folder: Path) -> Path:
    """Save a comet model as ``folder/checkpoints/model.ckpt`` plus ``folder/hparams.yaml``, as comet expects."""
    import pytorch_lightning as ptl
    import torch
    import yaml

    checkpoint = folder / "checkpoints" / "model.ckpt"
    checkpoint.parent.mkdir(parents=True)
    hparams = dict(model.hparams)  # type: ignore[attr-defined]
    torch.save({"state_dict": model.state_dict(), "hyper_parameters": hparams,  # type: ignore[attr-defined]
                "pytorch-lightning_version": ptl.__version__}, checkpoint)
    (folder / "hparams.yaml").write_text(yaml.safe_dump(hparams), encoding="utf-8")
    return checkpoint


def build_tiny_models(root: Path) -> TinyModels:
    """Build the tokenizer, the encoder and both comet checkpoints under ``root`` (about 2 s after imports)."""
    from tqcheck.qe.comet import import_comet, quiet

    import_comet()  # with its logging side effects undone, before transformers and comet.models are used
    import sentencepiece as spm
    import torch
    from comet.models import UnifiedMetric, XCOMETMetric
    from transformers import XLMRobertaConfig, XLMRobertaModel, XLMRobertaTokenizer, XLMRobertaTokenizerFast

    with quiet():
        corpus = root / "corpus.txt"
        corpus.write_text("\n".join(corpus_lines()) + "\n", encoding="utf-8")
        # sentencepiece's default ids (unk 0, bos 1, eos 2) are what XLMRobertaTokenizer's fairseq offset expects.
        spm.SentencePieceTrainer.train(
            input=str(corpus), model_prefix=str(root / "sentencepiece.bpe"), vocab_size=600, model_type="bpe",
            character_coverage=1.0, hard_vocab_limit=False, minloglevel=2, num_threads=1)
        encoder = root / "encoder"
        slow = XLMRobertaTokenizer(vocab_file=str(root / "sentencepiece.bpe.model"))
        slow.save_pretrained(encoder)
        # tokenizer.json too, so comet's XLMRobertaTokenizerFast need not convert on every load.
        XLMRobertaTokenizerFast.from_pretrained(str(encoder)).save_pretrained(encoder)
        torch.manual_seed(0)
        config = XLMRobertaConfig(
            vocab_size=len(slow), hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
            max_position_embeddings=514, type_vocab_size=1, pad_token_id=1, bos_token_id=0, eos_token_id=2)
        XLMRobertaModel(config, add_pooling_layer=False).save_pretrained(encoder)

        kiwi = UnifiedMetric(
            encoder_model="XLM-RoBERTa", pretrained_model=str(encoder), load_pretrained_weights=True,
            input_segments=["mt", "src"], sent_layer="mix", word_layer=2, hidden_sizes=[16],
            final_activation="sigmoid", layer_transformation="sparsemax")
        kiwi_ckpt = _save_comet(kiwi, root / "kiwi")

        torch.manual_seed(1)
        xcomet = XCOMETMetric(
            encoder_model="XLM-RoBERTa", pretrained_model=str(encoder), load_pretrained_weights=True,
            sent_layer="mix", word_layer=2, hidden_sizes=[16])
        # Random heads with a wide spread, so that argmax picks error labels for some subwords: we need spans.
        torch.nn.init.normal_(xcomet.hidden2tag.weight, std=4.0)
        torch.nn.init.zeros_(xcomet.hidden2tag.bias)
        xcomet_ckpt = _save_comet(xcomet, root / "xcomet")
    return TinyModels(root, encoder, kiwi_ckpt, xcomet_ckpt)


@pytest.fixture(scope="session")
def qe_models(tmp_path_factory: pytest.TempPathFactory) -> TinyModels:
    """The tiny checkpoints, built once per session; skipped where the [qe] extra is not installed."""
    # find_spec, not importorskip: importing comet outside tqcheck's quiet() would trip filterwarnings=error.
    for module in ("comet", "sentencepiece", "torch"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"needs the [qe] extra ({module})")
    return build_tiny_models(tmp_path_factory.mktemp("tiny-comet"))
