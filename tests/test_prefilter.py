"""The prefilters only make scans faster: every match ``pattern.finditer`` finds, and nothing else."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tqcheck import inline, prefilter
from tqcheck.numbers import de, en, extract, zh
from tqcheck.numbers import format as numbers_format
from tqcheck.packs import load_packs
from tqcheck.prefilter import ScanText
from tqcheck.rules import english_left, punctuation

HAND_WRITTEN = [
    r"(?<![0-9.,])(?P<d>[0-9]{1,2})\.(?:[ ]?(?P<y>[0-9]{4}))?",
    r"(?<!\w)(?:zwei|drei|vier)(?:fach)?(?!\w)",
    r"(?:zwei|drei|vier)(?:fach|mal)?",
    r"\b(?:Tausend|tausend)\b",
    r"(?:ab)?c+",
    r"(?:x|y?)z",
    r"[^\W\d_]*kredit\w*",
    r"(?=[A-Z])(?:New York|Paris)s?(?!\w)",
    r"[0-9]+(?:[.,][0-9]+)?\s*(?:%|Prozent)",
    r"(?<![一二三])[一二三四五六七八九十]+[万亿]",
    r"-(?<!\S-)-?\w",
    r"\.(?<=\w\.)\w",
    r"[#@][\w-]+",
]
FLAGS = [0, re.IGNORECASE]


def _module_patterns() -> list[re.Pattern[str]]:
    found = []
    for module in (de, en, zh, extract, numbers_format, inline, punctuation):
        for value in vars(module).values():
            values = value if isinstance(value, tuple) else (value,)
            found += [v for v in values if isinstance(v, re.Pattern)]
            found += [v[1] for v in values if isinstance(v, tuple) and len(v) == 2 and isinstance(v[1], re.Pattern)]
    packs = load_packs("zh", "de")
    for name in ("calques", "false_friends", "pivot_names"):
        found += [e.pattern for e in packs.phrase_entries(name)]
    found += [v.pattern for group in packs.terms for v in group.variants]
    found += [english_left._exonym_matcher(packs.exonyms)[0], english_left._phrase_matcher(packs.loan_phrases)]
    return found


PATTERNS = [re.compile(p, f) for p in HAND_WRITTEN for f in FLAGS] + _module_patterns()

# Digits, Chinese numerals, the letters of the patterns in both cases, the characters the regex engine folds
# beyond str.lower (ſ, ı, K), İ, and the separators numbers use.
ALPHABET = list("0123456789０１一二三四五六七八九十百千万亿年月日点时 .,:%-–‐@#/_'’\n\u00a0")
ALPHABET += list("abcdefhiknrstuvwxyzABCDEFHIKNRSTUVWXYZäöüÄÖÜßſıİK")
WORDS = ["zwei", "Drei", "tausend", "Prozent", "kredit", "New York", "Paris", "Uhr", "Mai", "bis", "Millionen",
         "Double Eleven", "Februar", "vierzig", "E-Commerce", "www.example.com", "a@b.de", "ver", "Social Media",
         "Department of Justice", "Britain's", "%1$s", "{0}", "%s", "<b>", "  ", " ,", ",x", "Türkiye", "Monday"]
texts = st.lists(st.one_of(st.sampled_from(ALPHABET), st.sampled_from(WORDS)), max_size=40).map("".join)


def _spans(matches) -> list[tuple[int, int, tuple]]:
    return [(m.start(), m.end(), m.groups()) for m in matches]


@settings(max_examples=600, deadline=None)
@given(texts)
def test_finditer_finds_exactly_what_the_pattern_finds(text):
    scan = ScanText(text)
    for pattern in PATTERNS:
        assert _spans(prefilter.finditer(pattern, text, scan)) == _spans(pattern.finditer(text)), pattern.pattern


@pytest.mark.parametrize(("pattern", "text"), [
    (re.compile(r"[#@][\w-]+"), "@@x #y"),  # a start that fails right before one that matches
    (re.compile(r"(?<![0-9])[0-9]{2}\b"), "123 45 6 78"),
    (re.compile(r"[0-9]+%"), "1 2 3%"),
    (re.compile(r"(?:ab|cd)x?", re.IGNORECASE), "abcdABx cd"),  # a match right where the last one ends
    (re.compile("sicher", re.IGNORECASE), "ſicher"),  # the engine folds ſ to s; str.lower does not
    (re.compile("in", re.IGNORECASE), "İn"),  # str.lower makes İ two characters, the engine "i"
    (re.compile("kelvin", re.IGNORECASE), "Kelvin"),
    (re.compile("ſicher", re.IGNORECASE), "sicher"),  # the other way round
    (re.compile("ın", re.IGNORECASE), "in"),
    (re.compile("λόγος", re.IGNORECASE), "ΛΌΓΟΣ"),  # str.lower ends a word in ς, the engine folds Σ to σ
])
def test_hard_cases_lose_no_match(pattern, text):
    assert _spans(prefilter.finditer(pattern, text, ScanText(text))) == _spans(pattern.finditer(text)) != []


def test_only_the_rare_folds_turn_the_literal_tests_off():
    assert not ScanText("Straße, sicher, Einkaufsstraße in Berlin").extra_folds
    assert ScanText("ſicher").extra_folds and ScanText("ΛΌΓΟΣ").extra_folds and ScanText("İstanbul").extra_folds


def _extra_folds_by_definition(text: str) -> bool:
    """An extra fold in the text or in its lowered text (what ScanText.extra_folds stands for)."""
    return (prefilter._EXTRA_FOLDS.search(text) is not None
            or prefilter._EXTRA_FOLDS.search(prefilter.lowercase(text)) is not None)


def test_extra_folds_of_every_code_point():
    """One search of the text finds what the searches of the text and its lowered text found, for every character
    (alone, and after a letter: a capital sigma there lowers to a final sigma)."""
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        assert ScanText(ch).extra_folds == _extra_folds_by_definition(ch), hex(code)
        if ch.lower() != ch:
            assert ScanText("a" + ch).extra_folds == _extra_folds_by_definition("a" + ch), hex(code)


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["a", "Σ", "σ", "ς", "ϴ", "İ", "ı", "ſ", "K", "µ", "ß", "Ä", " ", "В", "в", "x"]),
                max_size=12).map("".join))
def test_extra_folds_of_texts(text):
    assert ScanText(text).extra_folds == _extra_folds_by_definition(text)


def test_what_the_analysis_derives():
    year = prefilter.prefilter(re.compile(r"(?<![0-9])[0-9]{4}年"))
    assert year.literals == ("年",) and year.starts is not None
    words = prefilter.prefilter(re.compile(r"(?<!\w)(?:ver)?(?:zwei|drei)", re.IGNORECASE))
    assert words.literals == ("drei", "zwei") and words.starts is None  # letters start matches everywhere
    assert words.prefixes is not None and len(words.prefixes.automaton) == 4  # zwei, drei, verzwei, verdrei
    assert prefilter.prefilter(re.compile(r"\w*")) == prefilter.Prefilter()  # may match the empty string
    assert prefilter.required_literals(re.compile(r"Kredit(?:system|karte)", re.IGNORECASE)) == ("kredit",)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_what_the_phrase_index_derives_holds_for_every_match(text):
    """Leads open every match, one alternative's clauses all hold, and a class run then a lead opens it: where
    the lowered text keeps the text's offsets and has no extra folds (elsewhere these are not used)."""
    scan = ScanText(text)
    if scan.extra_folds or not scan.offsets_kept:
        return
    lowered = scan.lowered
    for pattern in PATTERNS:
        starts = [m.start() for m in pattern.finditer(text) if m.end() > m.start()]
        if not starts:
            continue
        leads = prefilter.literal_prefixes(pattern)
        if leads is not None:
            assert all(any(lowered.startswith(lead, at) for lead in leads) for at in starts), pattern.pattern
        clauses = prefilter.required_clauses(pattern)
        if clauses is not None:
            assert any(all(any(literal in lowered for literal in clause) for clause in alternative)
                       for alternative in clauses), pattern.pattern
        run = prefilter.run_prefixes(pattern)
        if run is not None:
            source, flags, follow = run
            cls = re.compile(source, flags)
            for at in starts:
                end = at
                while end < len(text) and not any(lowered.startswith(lead, end) for lead in follow):
                    assert cls.match(text, end), pattern.pattern  # the run reaches the lead
                    end += 1
                assert end < len(text), pattern.pattern


@pytest.mark.parametrize(("pattern", "leads", "clauses", "run"), [
    (r"\b(?:den\s+)?Topf\s+werfen", ("den", "topf"), ((("werfen",), ("topf",)),), None),
    (r"\b(?:zwei|2)\s+Vögel|\bmit\s+einem\s+Stein", ("2", "mit", "zwei"),
     ((("vögel",),), (("einem",), ("stein",))), None),
    (r"\b(?<!sozial-)\w*kreditsystem\w*", None, ((("kreditsystem",),),), (r"[\w]", re.IGNORECASE, ("kreditsystem",))),
    (r"\w+", None, None, None),
])
def test_the_phrase_index_analyses(pattern, leads, clauses, run):
    compiled = re.compile(pattern, re.IGNORECASE)
    assert prefilter.literal_prefixes(compiled) == leads
    assert prefilter.required_clauses(compiled) == clauses
    assert prefilter.run_prefixes(compiled) == run



_WORDS = st.lists(st.text(alphabet="abcä ", min_size=1, max_size=4), max_size=6)


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=4), st.lists(st.text(alphabet="abcä x", max_size=40), min_size=1,
                                                          max_size=3), st.randoms(use_true_random=False))
def test_shared_pass_gives_each_automaton_its_own_hits(word_lists, texts, rng):
    """However the automata are asked about a text (first alone, then as the learned group), each gets the hits
    of its own pass over the lowered text, in its order: words shared by several automata and empty automata
    included."""
    automata = [prefilter.automaton((word, (k, word)) for word in words) for k, words in enumerate(word_lists)]
    for text in [*texts, *texts]:
        scan = ScanText(text)
        order = list(automata)
        rng.shuffle(order)
        for automaton in [*order, *order]:
            expected = list(automaton.iter(scan.lowered)) if len(automaton) else []
            assert scan.hits(automaton) == expected


def test_shared_pass_runs_the_learned_group_as_one_automaton():
    """After one text, the automata asked about it are one group, run as one combined automaton for the next."""
    first = prefilter.automaton([("ein", 1), ("zwei", 2)])
    second = prefilter.automaton([("zwei", "z"), ("haus", "h")])
    ScanText("ein haus").hits(first)
    scan = ScanText("ein Haus")
    scan.hits(first)
    scan.hits(second)
    assert prefilter._group_of(first) == (first, second)
    scan = ScanText("Zwei Häuser, ein Haus, zwei")
    assert scan.hits(first) == [(3, 2), (15, 1), (26, 2)]
    assert scan.hits(second) == [(3, "z"), (20, "h"), (26, "z")]
    assert tuple(map(id, (first, second))) in prefilter._COMBINED


def test_a_long_text_gets_no_shared_pass(monkeypatch):
    """Above SHARED_PASS_CHARS each automaton runs on its own and nothing is kept on the scan: the same hits."""
    first = prefilter.automaton([("ein", 1), ("zwei", 2)])
    second = prefilter.automaton([("zwei", "z"), ("haus", "h")])
    monkeypatch.setattr(prefilter, "SHARED_PASS_CHARS", 10)
    scan = ScanText("Zwei Häuser, ein Haus, zwei")
    assert scan.hits(first) == [(3, 2), (15, 1), (26, 2)]
    assert scan.hits(second) == [(3, "z"), (20, "h"), (26, "z")]
    assert scan._hits is None
