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
         r":2: pattern has unnamed capturing groups"),
        ("source\tpattern\texample\twhy\tsuggestion\tfix\n点线面\tPunkt\tPunkt\tw\ts\tmaybe\n", load_phrases,
         r":2: 'fix' must be 'replace' or 'advice'"),
        ("source\tpattern\texample\twhy\tsuggestion\tfix\n点线面\tPunkt\tPunkt\tw\ts\n", load_phrases,
         r":2: expected 6 tab-separated fields"),
        ("source\tpattern\texample\twhy\tsuggestion\n点线面\tPunkt\tPunkt\t{name} is wrong\ts\n", load_phrases,
         r":2: 'why' names \{name\}, which is not one of \{match\}"),
        ("source\tpattern\texample\twhy\tsuggestion\n点线面\t(?P<w>Punkt)\tPunkt\tw\t{w!r}\n", load_phrases,
         r":2: 'suggestion': \{w\} takes no format or conversion"),
        ("source\tpattern\texample\twhy\tsuggestion\n点线面\tPunkt\tPunkt\tan { brace\ts\n", load_phrases,
         r":2: 'why': .*literal brace"),
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
    assert [(i.code, text[i.span.start:i.span.end], i.message, i.suggestion, i.replacements)
            for i in with_pack.issues] == [
        ("TQ101", "Greifhand", "抓手 is a lever, not a hand.",
         "Reword it, e.g. «Hebel» or «Ansatzpunkt» (German wording to fit into the sentence).", ())]


def _user_pack(tmp_path, header: str, row: str) -> tuple:
    from tqcheck import Config, check
    from tqcheck.types import Document

    root = tmp_path / str(len(list(tmp_path.iterdir())))  # a new pack root each time: packs are cached by root
    folder = root / "zh-de"
    folder.mkdir(parents=True)
    (folder / "calques.tsv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    text = "Der Preis von Smart-Devices sinkt."
    result = check(Document(text), config=Config(src_lang="zh", tgt_lang="de", select=("TQ101",), packs=(root,)))
    return text, [i for i in result.issues if i.origin == "rule"]


def test_fix_column_replace_makes_the_alternatives_replacements_and_advice_keeps_them_in_the_suggestion(tmp_path):
    """`fix` replace: the alternatives are drop-in replacements (no advice needed); advice (the default): they
    are offered as wording in the suggestion and no replacement is given."""
    header = "source\tpattern\texample\twhy\tsuggestion\tfix"
    text, [issue] = _user_pack(tmp_path, header, "智能设备\t\\bSmart-Devices\tSmart-Devices\tEnglish for 智能设备."
                                                 "\tintelligente Geräte / smarte Geräte\treplace")
    assert (text[issue.span.start:issue.span.end], issue.suggestion, issue.replacements) == (
        "Smart-Devices", None, ("intelligente Geräte", "smarte Geräte"))
    text, [issue] = _user_pack(tmp_path, header, "智能设备\t\\bSmart-Devices\tSmart-Devices\tEnglish for 智能设备."
                                                 "\tintelligente Geräte\t")
    assert (issue.suggestion, issue.replacements) == (
        "Reword it, e.g. «intelligente Geräte» (German wording to fit into the sentence).", ())


def test_templates_fill_in_the_matched_words_not_an_example_name(tmp_path):
    """The built-in 走老路 entry names whoever the text names (Paipai here), never its example's QQ."""
    from tqcheck import Config, check
    from tqcheck.types import Document

    text = "Tencent ist dem alten Weg von Paipai gefolgt."
    [issue] = check(Document(text), config=Config(src_lang="zh", tgt_lang="de", select=("TQ101",))).issues
    assert text[issue.span.start:issue.span.end] == "dem alten Weg von Paipai"
    assert issue.message.startswith("«dem alten Weg von Paipai folgen» renders 走老路 ")
    assert "QQ" not in issue.message + issue.suggestion
    assert issue.suggestion == ("Reword it, e.g. «denselben Fehler wie Paipai machen», «in die alten Muster "
                                "zurückfallen» or «das Scheitern von Paipai wiederholen» (German wording to fit "
                                "into the sentence).")


PREFIX_WORDS = ("literal", "calque", "word-for-word", "false friend", "english name")


@pytest.mark.parametrize(("folder", "name", "label"), [
    ("zh-de", "calques", "Literal calque"), ("zh-de", "false_friends", "False friend"),
    ("zh-en", "calques", "Literal calque"), ("zh-en", "false_friends", "False friend"),
    ("de", "pivot_names", "English name"),
])
def test_shipped_entries_read_as_one_sentence(folder, name, label):
    """A message says what the entry is once: a `why` that does not name its source gets the rule's label in
    front, so it must not say "literal"/"calque"/… again."""
    from tqcheck.rules.lexicon import entry_message

    for entry in load_phrases(BUILTIN_DIR / folder / f"{name}.tsv"):
        message = entry_message(entry, entry.pattern.search(entry.example), label)
        if message != entry.why:
            assert not entry.why.lower().startswith(PREFIX_WORDS), (entry.origin, message)
        assert "\\x" not in message and "\\u" not in message


def test_builtin_pack_folders_all_load():
    for folder in sorted(p for p in BUILTIN_DIR.iterdir() if p.is_dir()):
        src, _, tgt = folder.name.rpartition("-")
        load_packs(src or None, tgt)


def _shipped_entries() -> list:
    found = []
    for src, tgt in PAIRS:
        packs = load_packs(src, tgt)
        found += [e for name in ("calques", "false_friends", "pivot_names") for e in packs.phrase_entries(name)]
    return found


# Text pieces: every shipped example, cut in halves (a match needs all of its words), and what turns the
# shortcuts off (İ changes offsets when lowered; ſ and K are folded by the engine, not by str.lower).
_EXAMPLES = sorted({e.example for e in _shipped_entries()})
_PIECES = _EXAMPLES + [x[: len(x) // 2] for x in _EXAMPLES] + [x[len(x) // 2:] for x in _EXAMPLES] + [
    " ", "\n", ", ", ". ", "die ", "im ", "Händlerkreditsystem", "Sozial-Kreditsystem", "İ", "ſ", "\u212a", "2 "]


def _reference(text: str, entries: tuple) -> list[tuple[int, int, str]]:
    """What TQ101/TQ102/TQ203 find, worked out the slow way: every pattern over the whole text."""
    from tqcheck.rules.base import earliest_longest

    matches = [(m.start(), m.end(), (entry.origin, m.group())) for entry in entries
               if entry in _anchor_index(entries).candidates(text.lower())
               for m in entry.pattern.finditer(text) if m.end() > m.start()]
    return [(start, end, origin) for start, end, (origin, _) in earliest_longest(matches)]


@pytest.mark.parametrize(("src", "tgt"), PAIRS)
def test_the_shared_anchor_pass_finds_what_every_pattern_finds(src, tgt):
    """The indexed scan (one pass for the candidates, each pattern tried where its leads stand) finds exactly
    what the patterns find, in texts made of the shipped examples, halves of them and what turns shortcuts off."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from tqcheck.rules.base import CheckContext
    from tqcheck.rules.lexicon import phrase_findings
    from tqcheck.types import Document

    packs = load_packs(src, tgt)
    pivot = load_packs(None, tgt).phrase_entries("pivot_names")

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12).map("".join))
    def check(text):
        doc = Document(text=text, lang=tgt)
        ctx = CheckContext(target=doc, raw_target=doc, source=None, alignment=None, src_lang=src, tgt_lang=tgt,
                           packs=packs, segments=(), paragraphs=())
        for name in ("calques", "false_friends", "pivot_names"):
            entries = packs.phrase_entries(name)
            found = [(f.start, f.end) for f in phrase_findings(ctx, entries, "x")]
            assert found == [(s, e) for s, e, _ in _reference(text, entries)], name
        assert pivot == packs.phrase_entries("pivot_names")

    check()


def test_pack_rows_are_read_back_from_the_cache_and_a_bad_pack_fails_every_time(tmp_path, monkeypatch):
    """A pack is checked when first read; an unchanged file is read back from the cache folder, an edited one
    checked again, and a bad one reports its error on every load, never cached."""
    from tqcheck import packs as packs_module

    monkeypatch.setenv("TQCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(packs_module, "BUILTIN_DIR", tmp_path)  # cached like a shipped pack
    path = tmp_path / "calques.tsv"
    header = "source\tpattern\texample\twhy\tsuggestion\n"
    path.write_text(header + "抓手\t\\bGreifhand\\w*\tDas ist unser Greifhand.\tw\tHebel\n", encoding="utf-8")
    calls = []
    real = packs_module._phrase_rows

    def counted(p):
        calls.append(p)
        return real(p)

    monkeypatch.setattr(packs_module, "_phrase_rows", counted)
    first = packs_module._phrases(path, packs_module._cached_rows(path, "phrases", counted, {}))
    again = packs_module._phrases(path, packs_module._cached_rows(path, "phrases", counted, {}))
    assert first == again and len(calls) == 1  # the second read the cache
    assert again[0].pattern.search("unser Greifhand").group() == "Greifhand"
    assert again[0].origin == f"{path}:2" and again[0].anchors == ("greifhand",)
    path.write_text(header + "抓手\t\\bGreifhand(\tDas ist unser Greifhand.\tw\tHebel\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(PackError, match=r"calques.tsv:2: pattern does not compile"):
            packs_module._cached_rows(path, "phrases", counted, {})
    assert len(calls) == 3


def test_a_users_pack_is_checked_on_each_load_and_never_cached(tmp_path, monkeypatch):
    """Only the shipped packs are cached: a --pack folder (often a temporary one) leaves no file behind."""
    from tqcheck import packs as packs_module

    cache = tmp_path / "cache"
    monkeypatch.setenv("TQCHECK_CACHE_DIR", str(cache))
    folder = tmp_path / "mine" / "zh-de"
    folder.mkdir(parents=True)
    path = folder / "calques.tsv"
    path.write_text("source\tpattern\texample\twhy\tsuggestion\n抓手\t\\bGreifhand\\w*\tDas ist unser Greifhand."
                    "\tw\tHebel\n", encoding="utf-8")
    assert packs_module._cached_rows(path, "phrases", packs_module._phrase_rows, {})
    assert not cache.exists() or not list(cache.iterdir())
    shipped = BUILTIN_DIR / "zh-de" / "calques.tsv"
    packs_module._cached_rows(shipped, "phrases", packs_module._phrase_rows, {})
    assert [p.name.split("-")[0] for p in cache.iterdir()] == ["pack"]


def test_an_unwritable_cache_folder_only_costs_the_checks(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("TQCHECK_CACHE_DIR", str(blocked / "cache"))
    path = BUILTIN_DIR / "zh-de" / "false_friends.tsv"
    from tqcheck import packs as packs_module

    assert packs_module._phrases(path, packs_module._cached_rows(path, "phrases", packs_module._phrase_rows, {})) \
        == load_phrases(path)


def test_a_pattern_is_compiled_when_first_used():
    [entry] = load_phrases(BUILTIN_DIR / "zh-de" / "calques.tsv")[:1]
    assert entry._compiled is None
    assert entry.pattern is entry.pattern and entry._compiled is not None


def test_a_cached_pack_compiles_to_the_very_patterns_re_compile_makes(tmp_path, monkeypatch):
    """The engine programs kept with the cached rows build patterns equal to re.compile's (same code, flags and
    groups), for every shipped pattern."""
    import re

    from tqcheck import packs as packs_module

    monkeypatch.setenv("TQCHECK_CACHE_DIR", str(tmp_path / "cache"))

    for folder in ("zh-de", "zh-en", "de"):
        for name, parse, build in (("calques", packs_module._phrase_rows, packs_module._phrases),
                                   ("false_friends", packs_module._phrase_rows, packs_module._phrases),
                                   ("pivot_names", packs_module._phrase_rows, packs_module._phrases),
                                   ("terms", packs_module._term_rows, packs_module._terms),
                                   ("furniture", packs_module._furniture_rows, packs_module._furniture)):
            path = BUILTIN_DIR / folder / f"{name}.tsv"
            if not path.is_file():
                continue
            for _ in range(2):  # built, then read back
                entries = build(path, packs_module._cached_rows(path, name, parse, {}))
            patterns = [v for group in entries for v in group.variants] if name == "terms" else entries
            for entry in patterns:
                assert entry.program is not None, entry.origin
                compiled = entry.pattern
                assert compiled == re.compile(entry.regex, re.IGNORECASE | re.UNICODE), entry.origin
                fresh = re.compile(entry.regex, re.IGNORECASE | re.UNICODE)
                assert (compiled.groupindex, compiled.groups) == (fresh.groupindex, fresh.groups), entry.origin
