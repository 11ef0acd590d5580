"""The samples' known problems, at their exact spans, and no false alarms on correct text."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import SAMPLES
from tqcheck import Config, check
from tqcheck.types import DocumentResult, Severity

WECHAT = SAMPLES / "wechat-ecommerce.zh-de.mt.txt"
WECHAT_SOURCE = SAMPLES / "wechat-ecommerce.zh.txt"
CLEAN = SAMPLES / "mini-programme.de.txt"
CLEAN_SOURCE = SAMPLES / "mini-programme.zh.txt"
ZH_EN = SAMPLES / "douyin-live-commerce.zh-en.mt.txt"
LIVE = SAMPLES / "live-commerce.zh-de.mt.txt"
LIVE_SOURCE = SAMPLES / "live-commerce.zh.txt"

# Every minor-or-worse issue of the sample article, target only: (code, start, end, beginning of the span).
# 流量 is rendered as "Verkehr" (7×), "Datenverkehr" (6×) and "Traffic": every rendering but the pack's
# preferred "Traffic" is reported, however often it occurs.
WECHAT_EXPECTED = [
    ("TQ101", 30, 53, 'im Pyramidensystem-Stil'),
    ("TQ501", 95, 188, 'Wie lange wird der E-Commerce im Pyramidensys'),
    ("TQ301", 243, 250, 'Verkehr'),
    ("TQ301", 296, 303, 'Verkehr'),
    ("TQ101", 518, 546, 'Importieren von Datenverkehr'),
    ("TQ301", 534, 546, 'Datenverkehr'),
    ("TQ301", 785, 797, 'Datenverkehr'),
    ("TQ301", 870, 882, 'Datenverkehr'),
    ("TQ101", 1115, 1135, 'dem alten Weg von QQ'),
    ("TQ301", 1200, 1212, 'Datenverkehr'),
    ("TQ301", 1282, 1294, 'Datenverkehr'),
    ("TQ101", 1315, 1329, 'Massenbenutzer'),
    ("TQ101", 1409, 1433, 'dem alten Weg von Paipai'),
    ("TQ301", 1517, 1524, 'Verkehr'),
    ("TQ101", 1547, 1569, 'universellen Schlüssel'),
    ("TQ101", 1802, 1818, 'Einkaufsszenario'),
    ("TQ102", 1933, 1959, 'E-Commerce-Konvertierungen'),
    ("TQ301", 2020, 2027, 'Verkehr'),
    ("TQ102", 2295, 2307, 'Kreditsystem'),
    ("TQ301", 2370, 2377, 'Verkehr'),
    ("TQ101", 2370, 2388, 'Verkehr importiert'),
    ("TQ101", 2498, 2510, 'Erfolgsfälle'),
    ("TQ301", 2621, 2634, 'Freundeskreis'),
    ("TQ101", 2648, 2664, 'Mikrounternehmen'),
    ("TQ101", 2723, 2741, 'Kleinstunternehmen'),
    ("TQ102", 2793, 2813, 'Plattformüberwachung'),
    ("TQ102", 2828, 2841, 'Kreditsysteme'),
    ("TQ301", 3176, 3189, 'Freundeskreis'),
    ("TQ101", 3321, 3359, 'Punkt-für-Punkt-, Zeile-für-Oberfläche'),
    ("TQ101", 3604, 3631, 'Vorgesetzte und Untergebene'),
    ("TQ101", 3774, 3821, 'sozialen Netzwerkens von WeChat unter Bekannt'),
    ("TQ101", 3961, 3984, 'Die Welt ist so grausam'),
    ("TQ301", 4102, 4109, 'Verkehr'),
    ("TQ102", 4632, 4642, 'Sozialität'),
    ("TQ203", 5408, 5421, 'Double Eleven'),
    ("TQ101", 5481, 5509, 'Layout auf der mobilen Seite'),
    ("TQ101", 5578, 5606, 'Angstphase der Mobilisierung'),
    ("TQ301", 6421, 6436, 'Benutzerverkehr'),
    ("TQ102", 6512, 6524, 'Kreditsystem'),
    ("TQ101", 6526, 6562, 'horizontale und vertikale Vergleiche'),
    ("TQ102", 6730, 6750, 'Händlerkreditsystems'),
    ("TQ101", 6790, 6816, 'gegenseitig zurückhaltende'),
    ("TQ102", 6866, 6882, 'Kreditwürdigkeit'),
    ("TQ101", 7115, 7154, 'horizontalen und vertikalen Vergleichen'),
    ("TQ101", 7175, 7210, 'horizontale und vertikale Vergleich'),
    ("TQ102", 7230, 7250, 'WeChat-Servicekonten'),
    ("TQ102", 7277, 7297, 'Händlerkreditsystems'),
    ("TQ301", 7493, 7505, 'Datenverkehr'),
    ("TQ101", 7967, 7987, 'dem alten Weg von QQ'),
    ("TQ101", 8133, 8153, 'lokale Lebensdienste'),
    ("TQ101", 8482, 8514, 'großen und umfassenden Produkten'),
    ("TQ505", 8633, 9272, 'Als Gewinner des Qingyun-Plans von Toutiao un'),
    ("TQ502", 9274, 9389, '<<:\xa0 Der Wettbewerbspunkt der Videobranche ha'),
    ("TQ502", 9391, 9456, '>>:\xa0 Ist es wirklich egal, ob Google Glass ge'),
    ("TQ503", 9458, 10365, 'Artikel empfehlen\n\nWelche Art Yogamatte soll '),
]


def costly(result: DocumentResult) -> list:
    return [i for i in result.issues if i.severity is not Severity.INFO]


def test_wechat_sample_target_only_reports_every_known_problem_at_its_span():
    """Calques, false friends, term variants, Double Eleven, duplicated title, navigation, teasers, bio."""
    result = check(WECHAT, config=Config(src_lang="zh", tgt_lang="de"))
    text = result.target.text
    found = [(i.code, i.span.start, i.span.end) for i in costly(result)]
    assert found == [(code, start, end) for code, start, end, _ in WECHAT_EXPECTED]
    for code, start, end, prefix in WECHAT_EXPECTED:
        assert text[start:end].startswith(prefix), (code, start)


@pytest.mark.parametrize("correct", ["Tencent", "Paipai", "Taobao", "Pengyou.com", "Alibaba", "217 Millionen",
                                     "„verdammte Tencent“", "Tmall", "Alipay", "QQ"])
def test_wechat_sample_correct_text_is_not_flagged(correct):
    """Proper names, numbers and German quotation marks are never the span of a minor-or-worse issue."""
    result = check(WECHAT, WECHAT_SOURCE, config=Config())
    text = result.target.text
    for issue in costly(result):
        span_text = text[issue.span.start:issue.span.end]
        if issue.code.startswith("TQ5"):
            continue  # furniture covers whole paragraphs
        assert correct not in span_text or len(span_text) > 3 * len(correct), (issue.code, span_text)


def test_wechat_sample_with_source_aligns_and_finds_no_omission():
    """The Chinese source pairs by name, aligns, and the faithful body yields no omission or number issue."""
    result = check(WECHAT, WECHAT_SOURCE, config=Config())
    assert result.alignment is not None and result.src_lang == "zh"
    codes = {i.code for i in costly(result)}
    assert not codes & {"TQ701", "TQ702", "TQ706", "TQ707"}
    # The page furniture has no source: the additions are there but cost nothing beyond the furniture issue.
    assert {i.code for i in result.issues if i.code == "TQ703"} <= {"TQ703"}
    assert all(i.severity is Severity.INFO for i in result.issues if i.code == "TQ703" and i.span.start > 9270)


@pytest.mark.parametrize("with_source", [False, True], ids=["target-only", "with-source"])
def test_clean_german_sample_has_no_issues(with_source):
    """A well-translated German text of the same kind: not one issue, with or without its source."""
    result = check(CLEAN, CLEAN_SOURCE if with_source else None, config=Config(src_lang="zh"))
    assert [(i.code, result.target.text[i.span.start:i.span.end], i.message) for i in result.issues] == []
    assert result.score == 100.0


def _planted(path) -> list[dict]:
    """The JSON block of a sample's problems file."""
    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r"```json\n(.*?)\n```", text, re.S).group(1))["problems"]


ZH_EN_EXPECTED = [
    ("TQ101", 336, "overtaking on a curve"),
    ("TQ202", 893, "Das ist für die Händler auf der Plattform ein großes Problem."),
    ("TQ201", 1187, "直播带货"),
    ("TQ403", 1300, " "),
    ("TQ101", 1527, "private domain traffic"),
    ("TQ101", 1659, "sinking market"),
    ("TQ101", 1893, "follow the old road of"),
    ("TQ101", 1939, "big and comprehensive"),
    ("TQ402", 2004, "。"),
    ("TQ102", 2258, "credit system"),
    ("TQ404", 2381, "("),
    ("TQ601", 2551, "the the"),
    ("TQ602", 2570, "The real question is whether users will stay after the subsidies end."),
    ("TQ301", 2674, "flow"),
    ("TQ402", 2714, "，"),
    ("TQ301", 2764, "circle of friends"),
    ("TQ603", 2968, "live live live live live"),
    ("TQ505", 3514, "As a winner of Toutiao"),
    ("TQ502", 3798, "<<:  Short video platforms"),
    ("TQ502", 3863, ">>:  Does it really matter"),
    ("TQ503", 3926, "Recommended articles"),
]


def test_zh_en_sample_reports_every_planted_problem_and_nothing_else():
    """douyin-live-commerce.zh-en.mt.txt: planted problems (see its .problems.md) at their exact offsets."""
    result = check(ZH_EN, config=Config(src_lang="zh", tgt_lang="en"))
    text = result.target.text
    found = [(i.code, i.span.start, text[i.span.start:i.span.end]) for i in costly(result)]
    assert [(c, s) for c, s, _ in found] == [(c, s) for c, s, _ in ZH_EN_EXPECTED]
    for (_, _, span_text), (_, _, expected) in zip(found, ZH_EN_EXPECTED, strict=True):
        assert span_text.startswith(expected)


def test_live_commerce_pair_reports_each_planted_problem_at_its_span():
    """live-commerce.zh → .zh-de.mt: changed number, dropped sentence, literal chengyu, Chinese left in,
    lost product code, invented sentence — each found where live-commerce.problems.md says, nothing else."""
    result = check(LIVE, LIVE_SOURCE, config=Config())
    text = result.target.text
    planted = {p["id"]: p for p in _planted(SAMPLES / "live-commerce.problems.md")}
    issues = costly(result)
    by_code = {}
    for issue in issues:
        by_code.setdefault(issue.code, []).append(issue)
    changed = planted["a"]
    assert [(i.span.start, i.span.end) for i in by_code["TQ701"]] == [(changed["start"], changed["end"])]
    assert text[changed["start"]:changed["end"]] == "271 Millionen"
    assert by_code["TQ701"][0].source_span.start == changed["src_start"]
    dropped = planted["b"]
    (omission,) = by_code["TQ702"]
    assert (omission.source_span.start, omission.source_span.end) == (dropped["start"], dropped["end"])
    idiom = planted["c"]
    assert [(i.span.start, i.span.end) for i in by_code["TQ708"]] == [(idiom["start"], idiom["end"])]
    untranslated = planted["d"]
    assert [(i.span.start, text[i.span.start:i.span.end]) for i in by_code["TQ201"]] == [
        (untranslated["start"], "直播带货")
    ]
    lost = planted["e"]
    assert [(i.span.start, i.span.end) for i in by_code["TQ707"]] == [(lost["start"], lost["end"])]
    invented = planted["f"]
    assert [(i.span.start, i.span.end) for i in by_code["TQ703"]] == [(invented["start"], invented["end"])]
    assert set(by_code) == {"TQ701", "TQ702", "TQ708", "TQ201", "TQ707", "TQ703"}
