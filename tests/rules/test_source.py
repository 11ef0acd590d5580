"""TQ7xx through the pipeline: numbers, omissions, names, idioms; and sources that must not be trusted."""

from __future__ import annotations

import pytest

from tests.conftest import run


def codes_and_spans(result, target):
    return [(i.code, target[i.span.start:i.span.end]) for i in result.issues if i.severity.value != "info"]


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("阿里巴巴有2.17亿月活跃用户。", "Alibaba hat 217 Millionen aktive Nutzer pro Monat.", []),
        ("有1.5万名主播，百分之三十来自杭州。", "Es gibt 15.000 Streamer, 30 % davon kommen aus Hangzhou.", []),
        ("2019年11月11日，成交额达到35亿元。", "Am 11. November 2019 erreichte der Umsatz 3,5 Milliarden Yuan.", []),
        ("阿里巴巴有2.17亿月活跃用户。", "Alibaba hat 271 Millionen aktive Nutzer pro Monat.",
         [("TQ701", "271 Millionen")]),
        ("有1.5万名主播。", "Es gibt 1.500 Streamer.", [("TQ701", "1.500")]),
    ],
    ids=["yi", "wan-percent", "date-money", "changed", "wrong-scale"],
)
def test_numbers_compared_by_value(source, target, expected):
    assert codes_and_spans(run(target, source=source, select=("TQ701",)), target) == expected


def test_literal_idiom_zh_en_from_cedict_glosses():
    source = "腾讯很强大。这样做简直是画蛇添足。阿里巴巴也很强大。"
    target = "Tencent is strong. Doing so is like drawing legs on a snake. Alibaba is strong too."
    result = run(target, source=source, src="zh", tgt="en", select=("TQ708",))
    assert codes_and_spans(result, target) == [("TQ708", "drawing legs on a snake")]
    assert "ruin the effect" in result.issues[0].suggestion


def test_lost_tokens_url_email_code_and_latin_names():
    source = "详情见https://www.example.com/live，或发邮件至press@example.com，咨询SKU-2049-X和QQ会员。"
    target = "Details unter https://www.example.com/live oder per E-Mail, Fragen zum Produkt und zur Mitgliedschaft."
    found = {i.message.split("'")[1] for i in run(target, source=source, select=("TQ707",)).issues}
    assert found == {"press@example.com", "SKU-2049-X", "QQ"}


def test_source_in_wrong_language_is_noted_and_target_checks_still_run():
    source = "Tencent has been in e-commerce for a long time. Alibaba has many users on its platforms."
    target = "Tencent ist seit langem im E-Commerce tätig. Alibaba hat viele Nutzer auf seinen Plattformen."
    result = run(target, source=source, src="zh")
    assert any("the source reads as 'en', not 'zh'" in note for note in result.notes)


def test_swapped_source_and_target_are_noted():
    source = "Tencent ist seit langem im E-Commerce tätig. Alibaba hat viele Nutzer auf seinen Plattformen."
    target = "腾讯早就在做电商了。阿里巴巴的平台上有很多用户。"
    result = run(target, source=source, src="zh", tgt="de")
    assert any("look swapped" in note for note in result.notes)


def test_unrelated_source_skips_source_checks_with_a_note():
    source = "。".join(
        ["今天天气很好"] * 2 + ["我们去公园散步吧，顺便买点水果回家做晚饭，然后看一场电影再睡觉"] * 6
    ) + "。"
    target = "Tencent ist seit langem im E-Commerce tätig. Alibaba hat 217 Millionen Nutzer."
    result = run(target, source=source)
    assert result.alignment is None
    assert any("do not correspond" in note for note in result.notes)


def test_empty_source_file_is_noted_and_target_still_checked(tmp_path):
    from tqcheck import Config, check

    empty = tmp_path / "a.zh.txt"
    empty.write_bytes(b"")
    target = tmp_path / "a.de.txt"
    target.write_text("Das “verdammte Tencent” war nicht schlimm.\n", encoding="utf-8")
    result = check(target, empty, config=Config(src_lang="zh"))
    assert any(note.startswith("source not used:") and "file is empty" in note for note in result.notes)
    assert [i.code for i in result.issues] == ["TQ401"]
