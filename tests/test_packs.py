"""Rule packs: strict loading with file:line errors, sizes the issue asks for,
anchor pre-tests that never lose a match."""

from __future__ import annotations

import pytest

from tqcheck.errors import PackError
from tqcheck.packs import BUILTIN_DIR, load_furniture, load_packs, load_phrases, load_terms, required_literals
from tqcheck.rules.lexicon import _anchor_index

PAIRS = [("zh", "de"), ("zh", "en")]


@pytest.mark.parametrize(("src", "tgt", "minimum"), [("zh", "de", 101), ("zh", "en", 50)])
def test_calque_packs_have_the_promised_size(src, tgt, minimum):
    packs = load_packs(src, tgt)
    calques = packs.phrase_entries("calques")
    assert len(calques) >= minimum
    assert len({e.source for e in calques}) >= minimum * 0.8  # distinct source phrases, not variants of a few


@pytest.mark.parametrize(("src", "tgt"), PAIRS)
def test_every_entry_matches_its_example_and_its_anchor_pre_test_admits_it(src, tgt):
    """The speed-up never costs a match: each example passes the anchor pre-test its pattern matches in."""
    packs = load_packs(src, tgt)
    for name in ("calques", "false_friends", "pivot_names"):
        entries = packs.phrase_entries(name)
        for entry in entries:
            assert entry.pattern.search(entry.example), entry.origin
            assert entry in _anchor_index(entries).candidates(entry.example.lower()), entry.origin


@pytest.mark.parametrize(
    ("pattern", "anchors"),
    [
        (r"\bhorizontale[nrms]?\s+und\s+vertikale[nrms]?\s+Vergleich\w*", ("horizontale",)),
        (r"\b(?:Double|Doppel)\s+Eleven\b", ("eleven",)),
        (r"\w*kreditsystem\w*", ("kreditsystem",)),
        (r"\b(?:KI|Markt)\b", ("ki", "markt")),
        (r"\w+", None),
    ],
)
def test_required_literals(pattern, anchors):
    import re

    assert required_literals(re.compile(pattern, re.IGNORECASE)) == anchors


@pytest.mark.parametrize(
    ("content", "loader", "message"),
    [
        ("source\tpattern\texample\twhy\n", load_phrases, r":1: header must be source TAB pattern"),
        ("source\tpattern\texample\twhy\tsuggestion\n点线面\tPunkt\tPunkt\n", load_phrases,
         r":2: expected 5 tab-separated fields"),
        ("source\tpattern\texample\twhy\tsuggestion\n点线面\tPunkt(\tPunkt\tw\ts\n", load_phrases,
         r":2: pattern does not compile"),
        ("source\tpattern\texample\twhy\tsuggestion\n点线面\t(Punkt)\tPunkt\tw\ts\n", load_phrases,
         r":2: pattern has capturing groups"),
        ("source\tpattern\texample\twhy\tsuggestion\n点线面\tLinie\tPunkt\tw\ts\n", load_phrases,
         r":2: pattern 'Linie' does not match its example"),
        ("source\tpattern\texample\twhy\tsuggestion\n\n# comment\n点线面\tPunkt\tPunkt\t\ts\n", load_phrases,
         r":4: empty 'why' field"),
        ("source\tvariant\tpattern\texample\tpreferred\n流量\tVerkehr\tVerkehr\tVerkehr\tja\n", load_terms,
         r":2: 'preferred' must be 'yes'"),
        ("kind\tpattern\texample\twhy\tsuggestion\nfooter\tx\tx\tw\ts\n", load_furniture, r":2: unknown kind 'footer'"),
    ],
)
def test_malformed_pack_lines_name_file_and_line(tmp_path, content, loader, message):
    path = tmp_path / "pack.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PackError, match=message) as err:
        loader(path)
    assert str(err.value).startswith(str(path))


def test_user_pack_adds_a_calque_with_one_line(tmp_path):
    """An editor adds a calque by adding a line of data to their own pack folder."""
    from tqcheck import Config, check
    from tqcheck.types import Document

    (tmp_path / "zh-de").mkdir()
    (tmp_path / "zh-de" / "calques.tsv").write_text(
        "source\tpattern\texample\twhy\tsuggestion\n"
        "抓手\t\\bGreifhand\\w*\tDas ist unser Greifhand.\t抓手 is a lever, not a hand.\tHebel / Ansatzpunkt\n",
        encoding="utf-8")
    text = "Die Plattform ist unser wichtigster Greifhand im Handel."
    without = check(Document(text), config=Config(src_lang="zh", tgt_lang="de", select=("TQ101",)))
    with_pack = check(Document(text), config=Config(src_lang="zh", tgt_lang="de", select=("TQ101",), packs=(tmp_path,)))
    assert without.issues == ()
    assert [(i.code, text[i.span.start:i.span.end], i.suggestion) for i in with_pack.issues] == [
        ("TQ101", "Greifhand", "Hebel / Ansatzpunkt")]


def test_builtin_pack_folders_all_load():
    for folder in sorted(p for p in BUILTIN_DIR.iterdir() if p.is_dir()):
        src, _, tgt = folder.name.rpartition("-")
        load_packs(src or None, tgt)
