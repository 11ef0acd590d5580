"""TQ2xx: source script, wrong language, pivot-language names."""

from __future__ import annotations

import pytest

from tests.conftest import found


@pytest.mark.parametrize(
    ("text", "tgt", "expected"),
    [
        ("Das sogenannte 直播带货-Modell wächst.", "de", ["直播带货"]),
        ("Er sagte: 我们会成功。 Dann ging er.", "de", ["我们会成功。"]),
        ("Zwei Stellen: 电商 und 流量，dann Schluss.", "de", ["电商", "流量，"]),
        ("The so-called 直播带货 model grew.", "en", ["直播带货"]),
        ("Die Formel nutzt α und β.", "de", []),
        ("Москва ist groß.", "de", ["Москва"]),
        ("微信在2019年推出了WeChat Pay。", "zh", []),
        ("这是ソフトウェア的问题。", "zh", ["ソフトウェア"]),
    ],
    ids=["han-in-de", "sentence-with-stop", "two-runs", "han-in-en", "greek-letters", "cyrillic", "latin-in-zh",
         "kana-in-zh"],
)
def test_source_script_in_target(text, tgt, expected):
    assert [s for _, s in found(text, "TQ201", tgt=tgt)] == expected


@pytest.mark.parametrize(
    ("text", "tgt", "expected"),
    [
        ("Tencent setzt auf WeChat. This is a big problem for all merchants on the platform today. Gut.", "de",
         ["This is a big problem for all merchants on the platform today."]),
        ("Douyin grew fast. Das ist für die Händler auf der Plattform ein großes Problem. Fine.", "en",
         ["Das ist für die Händler auf der Plattform ein großes Problem."]),
        ("Tencent setzt auf WeChat Pay. Sohu Best Industry Media Person 2013 gewonnen.", "de", []),
        ("Apple MacBook Pro hat ein neues Problem.", "de", []),
        ("QQ, WeChat, Taobao, Tmall, Alipay, JD.com.", "de", []),
        ("Live commerce is booming in China today. 它很火。", "zh", ["Live commerce is booming in China today."]),
    ],
    ids=["en-in-de", "de-in-en", "names-in-de", "short", "names-only", "en-in-zh"],
)
def test_wrong_language(text, tgt, expected):
    assert [s for _, s in found(text, "TQ202", tgt=tgt)] == expected


def test_wrong_language_is_deterministic():
    """Seeded langdetect: the same text gives the same answer every time."""
    text = "Das Modell ist gut. Questo è un problema molto grande per tutti i commercianti della piattaforma."
    first = found(text, "TQ202")
    assert first and all(found(text, "TQ202") == first for _ in range(5))
