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
    found = {i.message.split("«")[1].split("»")[0] for i in run(target, source=source, select=("TQ707",)).issues}
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


def test_empty_source_file_is_an_input_error_naming_it(tmp_path):
    """A bad source is a file error of its target (README: listed under errors, exit 2), not a note."""
    from tqcheck import Config, check
    from tqcheck.errors import InputError

    empty = tmp_path / "a.zh.txt"
    empty.write_bytes(b"")
    target = tmp_path / "a.de.txt"
    target.write_text("Das “verdammte Tencent” war nicht schlimm.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"file is empty; it is the source of .*a\.de\.txt, which was not") as err:
        check(target, empty, config=Config(src_lang="zh"))
    assert (err.value.path, err.value.kind) == (empty, "empty")


# --- TQ701 / TQ707: false-alarm classes of real MT (sentences written for these tests) ---------------------


@pytest.mark.parametrize(
    ("source", "target", "src", "expected"),
    [
        # a number the aligner put one sentence away, inside the paragraph
        ("公司成立于2015年，总部在杭州。它有300名员工。",
         "Das Unternehmen hat seinen Sitz in Hangzhou. Es wurde 2015 gegründet und hat 300 Mitarbeiter.", "zh", []),
        # across a paragraph break it is missing from one sentence and added to the other
        ("公司成立于2015年，总部在杭州。\n\n它有300名员工。",
         "Das Unternehmen hat seinen Sitz in Hangzhou.\n\nEs wurde 2015 gegründet und hat 300 Mitarbeiter.", "zh",
         [("TQ701", "Das Unternehmen hat seinen Sitz in Hangzhou."), ("TQ701", "2015")]),
        ("The bridge is 100 feet long.", "Die Brücke ist 30 Meter lang.", "en", []),
        ("The trail is 12 miles long.", "Der Weg ist 12 Kilometer lang.", "en", [("TQ701", "12")]),
        ("The meeting starts at 9.28 a.m.", "Die Sitzung beginnt um 9.28 Uhr.", "en", []),
        ("会议于9点28分开始。", "Die Sitzung beginnt um 9:28 Uhr.", "zh", []),
        ("The law was passed on 11 February.", "Das Gesetz wurde am 11. Februar verabschiedet.", "en", []),
        ("The law was passed.", "Das Gesetz wurde im Mai verabschiedet.", "en", []),
        ("公司投资数十亿元。", "Das Unternehmen investierte Milliarden Yuan.", "zh", []),
        ("公司投资数十亿元。", "Das Unternehmen investierte 300 Milliarden Yuan.", "zh",
         [("TQ701", "300 Milliarden Yuan")]),
        ("他们说一些三角形很统一。", "Sie sagten, manche Dreiecke seien einheitlich.", "zh", []),
        ("Hamburg won 2-0 at home.", "Hamburg gewann 2:0 zu Hause.", "en", []),
    ],
    ids=["neighbour", "other-paragraph", "feet-metres", "miles-not-km", "time", "zh-time", "date", "month-alone",
         "approximation", "outside-approximation", "words-with-numerals", "score"],
)
def test_numbers_false_alarm_classes(source, target, src, expected):
    result = run(target, source=source, src=src, select=("TQ701", "TQ707"))
    assert codes_and_spans(result, target) == expected


def test_number_span_is_the_changed_number_or_the_vague_words():
    """A changed figure is reported at the figure; a figure given only in words at those words."""
    target = "Alibaba hat 271 Millionen Nutzer, Tencent über eine Milliarde."
    result = run(target, source="阿里巴巴有2.17亿用户，腾讯超过10亿。", select=("TQ701",))
    assert codes_and_spans(result, target) == [("TQ701", "271 Millionen")]
    assert result.issues[0].replacements == ("217 Millionen",)
    target = "Der Umsatz erreichte Hunderte Milliarden Yuan."
    result = run(target, source="营收达到1200亿元。", select=("TQ701",))
    assert codes_and_spans(result, target) == [("TQ701", "Hunderte Milliarden")]
    assert "only vaguely" in result.issues[0].message


def test_number_with_foreign_separators_is_reported_at_the_number():
    """"4,000" in German reads as four: the issue says so and suggests 4.000."""
    target = "Die Stadt hat 4,000 Einwohner."
    result = run(target, source="The city has 4,000 residents.", src="en", select=("TQ701",))
    assert codes_and_spans(result, target) == [("TQ701", "4,000")]
    assert "reads as 4" in result.issues[0].message and result.issues[0].replacements == ("4.000",)


def test_lost_tokens_placeholders_and_hashtags_are_reported_where_they_were_altered():
    source = "[NAME_1] called [PHONE_2] about #Vote2024."
    target = "[NAME 1] rief wegen Vote2024 an."
    result = run(target, source=source, src="en", select=("TQ707",))
    assert sorted(codes_and_spans(result, target)) == [
        ("TQ707", "Vote2024"), ("TQ707", "[NAME 1]"), ("TQ707", "[NAME 1] rief wegen Vote2024 an.")]
    missing = [i for i in result.issues if "missing" in i.message]
    assert [i.message.split("«")[1].split("»")[0] for i in missing] == ["[PHONE_2]"]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Acme AI发布了新模型。", "Acme's AI released a new model."),  # a possessive between the words
        ("比赛以2-0结束，日期是2023-02-11。", "The match ended 2:0 on 11 February 2023."),  # numbers, not codes
        ("[NAME_1]打电话给[PHONE_2]。", "[NAME_1] called [PHONE_2]."),
    ],
)
def test_lost_tokens_not_reported_when_they_came_through(source, target):
    assert run(target, source=source, src="zh", tgt="en", select=("TQ707",)).issues == ()


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("See https://example.com/a, or www.example.org.", ["https://example.com/a", "www.example.org"]),
        ("Mail press@example.com about SKU-2049-X.", ["press@example.com", "SKU-2049-X"]),
        ("[NAME_1] and {PHONE_2} and <CITY>", ["[NAME_1]", "{PHONE_2}", "<CITY>"]),
        ("#Wahl2024 by @user_42, not #1", ["#Wahl2024", "@user_42"]),
        ("Shares of 600884.SH and 0700.HK rose.", ["600884.SH", "0700.HK"]),
        ("Nothing to carry over in 2-0 or 2023-02-11.", []),
    ],
)
def test_protected_tokens_are_searched_only_where_a_branch_can_match(text, tokens):
    from tqcheck.rules.source import _PROTECTED, _may_protect, _protected_tokens

    assert [m.group() for m in _protected_tokens(text, "en")] == tokens
    assert [m.group() for m in _PROTECTED.finditer(text)] == tokens
    assert _may_protect(text) or not tokens


@pytest.mark.parametrize("text", ["", "  ", " Fuß ", "FUSS", "ﬁx  it", "\u0130stanbul", "ΣΑΣ", "x\u2028", "ŉ"])
def test_first_and_last_folded_letters_are_those_of_the_normalised_text(text):
    from tqcheck.rules.source import _first_folded, _last_folded

    normalised = " ".join(text.split()).casefold()
    assert (_first_folded(text), _last_folded(text)) == (normalised[:1], normalised[-1:])
