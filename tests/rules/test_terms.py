"""TQ301/TQ710: inconsistent terminology; the advice is the pack's or the glossary's rendering, never the majority."""

from __future__ import annotations

import pytest

from tests.conftest import run
from tqcheck.errors import PackError
from tqcheck.packs import load_terms


def _issues(result, code):
    text = result.target.text
    return [(text[i.span.start:i.span.end], i.suggestion, i.replacements) for i in result.issues if i.code == code]


def test_majority_does_not_outvote_the_preferred_rendering():
    """Three "Verkehr" and one "Traffic": the three are reported, with the pack's "Traffic" as the replacement."""
    text = ("Der Verkehr kommt aus WeChat. Ohne Verkehr kein Umsatz. Traffic ist teuer. "
            "Neuer Verkehr entsteht durch Livestreams.")
    issues = _issues(run(text, select=("TQ301",)), "TQ301")
    assert [span for span, _, _ in issues] == ["Verkehr", "Verkehr", "Verkehr"]
    assert {advice for _, advice, _ in issues} == {"The terminology pack prescribes this rendering."}
    assert {replacements for _, _, replacements in issues} == {("Traffic",)}


def test_an_inflected_or_compound_rendering_gets_advice_but_no_replacement():
    """"Datenverkehrs" and "Verkehrskosten" are not "Traffic" with another word: replacing them whole would
    drop the ending or the rest of the compound, so only the exact form "Verkehr" gets a replacement."""
    text = "Traffic ist teuer. Die Kosten des Datenverkehrs steigen. Der Verkehr wächst."
    issues = _issues(run(text, select=("TQ301",)), "TQ301")
    assert issues == [("Datenverkehrs", "Use «Traffic», the rendering the terminology pack prescribes.", ()),
                      ("Verkehr", "The terminology pack prescribes this rendering.", ("Traffic",))]


def test_one_consistent_rendering_is_not_inconsistent():
    text = "Der Datenverkehr kommt aus WeChat. Ohne Datenverkehr kein Umsatz."
    assert _issues(run(text, select=("TQ301",)), "TQ301") == []


def test_glossary_decides_over_the_pack(tmp_path):
    """With a glossary entry for 流量, its rendering is the advice and the pack's preference is dropped."""
    glossary = tmp_path / "terms.csv"
    glossary.write_text("source,target,forbidden,note\n流量,Reichweite,,\n", encoding="utf-8")
    text = "Traffic ist teuer. Die Reichweite wächst. Ohne Traffic kein Umsatz."
    issues = _issues(run(text, select=("TQ301",), glossary=glossary), "TQ301")
    assert [span for span, _, _ in issues] == ["Traffic", "Traffic"]
    assert {advice for _, advice, _ in issues} == {"The glossary prescribes this rendering."}
    assert {replacements for _, _, replacements in issues} == {("Reichweite",)}


def test_source_aware_rendering_follows_the_alignment_and_reports_each_span_once(tmp_path):
    """TQ710 sees only renderings of sentences whose source has the term; pack and glossary give one issue."""
    glossary = tmp_path / "terms.csv"
    glossary.write_text("source,target,forbidden,note\n流量,Traffic,Verkehr,\n", encoding="utf-8")
    source = "流量很重要。没有流量就没有销量。路上的车很多。"
    target = "Traffic ist wichtig. Ohne Verkehr kein Umsatz. Auf der Straße herrscht viel Verkehr."
    result = run(target, source=source, select=("TQ710",), glossary=glossary)
    issues = [(target[i.span.start:i.span.end], i.span.start) for i in result.issues if i.code == "TQ710"]
    assert issues == [("Verkehr", 26)]  # the road traffic of the third sentence is not 流量


def test_terms_pack_group_without_a_preferred_rendering_is_an_error(tmp_path):
    pack = tmp_path / "terms.tsv"
    pack.write_text("source\tvariant\tpattern\texample\tpreferred\n"
                    "流量\tVerkehr\t\\bVerkehr\tDer Verkehr\t\n"
                    "流量\tTraffic\t\\bTraffic\tDer Traffic\t\n", encoding="utf-8")
    with pytest.raises(PackError, match=r":2: .*no preferred variant for '流量'"):
        load_terms(pack)
