"""Glossaries: CSV and TBX loading (strict), required and forbidden terms through the alignment."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, run
from tqcheck.errors import PackError
from tqcheck.glossary import load_glossary

TBX = ROOT / "tests" / "data" / "glossary.zh-de.tbx"
CSV = ROOT / "tests" / "data" / "glossary.zh-de.csv"


def test_tbx_glossary_reads_preferred_and_deprecated_terms():
    glossary = load_glossary(TBX, "zh", "de")
    entries = {e.source: e for e in glossary.entries}
    assert entries["信用体系"].targets == ("Bewertungssystem",)
    assert entries["信用体系"].forbidden == ("Kreditsystem",)
    assert entries["流量"].targets == ("Traffic",)


@pytest.mark.parametrize("glossary", [CSV, TBX], ids=["csv", "tbx"])
def test_glossary_term_and_forbidden_term_reported_at_the_wrong_rendering(glossary):
    source = "信用体系很重要。阿里巴巴做得很好。"
    target = "Das Kreditsystem ist wichtig. Alibaba macht das gut."
    result = run(target, source=source, glossary=glossary)
    found = sorted((i.code, target[i.span.start:i.span.end]) for i in result.issues)
    assert found == [("TQ709", "Kreditsystem")]  # TQ302 on the same span is superseded by the source-aware TQ709
    (issue,) = result.issues
    # The bare term: «Bewertungssystem» is its replacement, and the advice is the glossary's note alone (if any).
    assert issue.replacements == ("Bewertungssystem",)
    assert issue.suggestion in ("信用 here is trust and reputation.", None)
    assert source[issue.source_span.start:issue.source_span.end] == "信用体系"


def test_forbidden_term_without_source():
    target = "Das Kreditsystem ist wichtig."
    result = run(target, glossary=CSV, select=("TQ302",))
    assert [(i.code, target[i.span.start:i.span.end], i.replacements) for i in result.issues] == [
        ("TQ302", "Kreditsystem", ("Bewertungssystem",))]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("source,ziel\n信用体系,Bewertungssystem\n", r":1: glossary header must name source, target"),
        ("source,target\n信用体系,Bewertungssystem,extra\n", r":2: expected 2 fields"),
        ("source,target,forbidden\n信用体系,,\n",
         r":2: a row needs a source term, or a forbidden term|:2: source term '信用体系' has no target"),
        ("", r"glossary is empty"),
    ],
)
def test_malformed_csv_glossary_names_file_and_line(tmp_path, content, message):
    path = tmp_path / "g.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PackError, match=message):
        load_glossary(path)


def test_tbx_with_entity_bomb_is_rejected(tmp_path):
    path = tmp_path / "bomb.tbx"
    path.write_text('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><martif>&b;</martif>',
                    encoding="utf-8")
    with pytest.raises(PackError, match="unsafe XML rejected"):
        load_glossary(path)


def test_glossary_replacement_only_for_the_forbidden_term_itself():
    """"Kreditsystems" is the forbidden "Kreditsystem" inflected: "Bewertungssystem" in its place would drop the
    genitive ending, so it is advice only; the bare term gets the replacement."""
    from tests.conftest import GLOSSARY, run

    for target, replacements in (("Die Regeln des Kreditsystems sind streng.", ()),
                                 ("Das Kreditsystem ist streng.", ("Bewertungssystem",))):
        result = run(target, source="信用体系的规则很严格。", src="zh", tgt="de", select=("TQ709",), glossary=GLOSSARY)
        [issue] = result.issues
        # Advice names the term only where it is no drop-in (beside a replacement it would repeat it).
        assert issue.replacements == replacements
        assert issue.suggestion.startswith("Use «Bewertungssystem»") == (not replacements)
