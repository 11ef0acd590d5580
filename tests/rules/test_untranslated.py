"""TQ2xx: source script, wrong language, English left in a non-English text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import found
from tqcheck.errors import PackError
from tqcheck.packs import load_exonyms, load_packs
from tqcheck.prefilter import from_positions
from tqcheck.rules.base import WORD_RE


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
        # Sound words: langdetect calls these Somali, Tagalog or Spanish with p > 0.99.
        ("Alle riefen im Chor. Haha haha haha haha haha haha haha! Dann war Ruhe.", "de", []),
        ("Lalala lalala lalala lalala lalala lalala.", "de", []),
        ("Oh la la la la la la la.", "de", []),
        ("Na na na na na na na na, hey hey hey, goodbye!", "de", []),
        ("Boom boom boom boom boom boom boom.", "en", []),
        # Mostly names (a German sentence about Italians is not Italian) and a noun-only headline.
        ("Giovanni Rossi, Marco Bianchi, Luca Ferrari und Paolo Conte trafen Matteo Salvini.", "de", []),
        ("Carlos Alcaraz schlägt Rafael Nadal, Pablo Carreño Busta und Roberto Bautista Agut.", "de", []),
        ("Jean-Luc Mélenchon, Marine Le Pen, Éric Zemmour, Valérie Pécresse kandidieren.", "de", []),
        ("Modehaus Chef nennt Werbung Kampagne großen Fehler", "de", []),
        # Still judged: a real sentence with a name or two in it.
        ("Der Markt wächst. Tim Cook said that the new phone will be sold in many more countries. Gut.", "de",
         ["Tim Cook said that the new phone will be sold in many more countries."]),
    ],
    ids=["en-in-de", "de-in-en", "names-in-de", "short", "names-only", "en-in-zh", "laughter", "syllables",
         "oh-la-la", "chant", "boom", "italian-names", "spanish-names", "french-names", "noun-headline",
         "en-with-names"],
)
def test_wrong_language(text, tgt, expected):
    assert [s for _, s in found(text, "TQ202", tgt=tgt)] == expected


def test_wrong_language_is_deterministic():
    """Seeded langdetect: the same text gives the same answer every time."""
    text = "Das Modell ist gut. Questo è un problema molto grande per tutti i commercianti della piattaforma."
    first = found(text, "TQ202")
    assert first and all(found(text, "TQ202") == first for _ in range(5))


# --- TQ203 ---------------------------------------------------------------------------------------------------


def tq203(text: str, source: str | None = None) -> list[str]:
    """Span texts of TQ203 in a German ``text``: en→de with ``source``, else zh→de (no English source)."""
    if source is None:
        return [s for _, s in found(text, "TQ203")]
    return [s for _, s in found(text, "TQ203", source=source, src="en")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # English phrases: function words are the evidence, loanwords after them belong to the phrase.
        ("Die Sitzung wurde auf the meeting next week verschoben.", ["the meeting next week"]),
        ("Er sagte: I'll give him the benefit of the doubt, und ging.", ["I'll give him the benefit of the doubt"]),
        ("Der Sprecher sagte, the decision was final.", ["the decision was final"]),
        ("Sie wohnt next door to a retirement home.", ["next door to a retirement home"]),
        # A German word before the phrase is not part of it.
        ("Das war the end.", ["the end"]),
        ("Er fragte, what was in the box.", ["what was in the box"]),
        # A lowercase English word in German prose (German nouns are capitalised).
        ("Die Möbel wirkten tatty und alt.", ["tatty"]),
        # Names German writes its own way; the article before them is never part of the span.
        ("Allerdings zeigen die diesjährige Double Eleven sowie die Taobao-Daten das.", ["Double Eleven"]),
        ("Der Präsident der Türkiye reiste in die Südost-Türkiye.", ["Türkiye", "Türkiye"]),
        ("Die Wahl in Türkiyes Süden", ["Türkiyes"]),
        ("Das Department of Justice ermittelt.", ["Department of Justice"]),
        ("Am Friday trifft sich das Komitee in Munich.", ["Friday", "Munich"]),
        ("Sie sprach vor dem House of Commons.", ["House of Commons"]),
        ("Der IMF senkte die Prognose.", ["IMF"]),
    ],
    ids=["meeting", "quote", "clause-to-full-stop", "next-door", "german-before", "question", "lowercase-word",
         "double-eleven", "exonym-country", "genitive-s", "institution", "weekday-city", "parliament", "acronym"],
)
def test_pivot_language_text_is_reported_at_its_span(text, expected):
    assert tq203(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Names German keeps in English: organisations, works, events, products.
        "Laut Human Rights Watch und einer Umfrage des Pew Research Center ist das falsch.",
        "Sie sah „The Last of Us“ im Kino und las „The Great Gatsby“.",
        "Die Premier League beginnt am Black Friday.",
        "Air India fliegt zum Cyber Monday billiger.",
        "Der Animal Welfare Board of India hat entschieden.",
        "Die Demonstranten von Stand Up to Racism zogen zum World Trade Center.",
        # Loanwords, brand names, acronyms, code.
        "Das Team hatte ein Meeting zum Thema Social Media und Shopping.",
        "Die Drag Queen trat in einer Talk Show auf, dann kam Fake News.",
        "WeChat, iPhone und die App TikTok sind bei Fans beliebt.",
        "Die Datei liegt unter /usr/share/doc/readme und heißt back_color_erase.",
        # German words that are English words too.
        "Der Backlash war groß.",
        "Das Kind hat den Rock in die Hand genommen, also war es so.",
        "Die Umstellung war radikal, fundamental und operational sinnvoll.",
    ],
    ids=["organisations", "works", "league-and-friday", "air-india", "board-of-india", "movement-and-building",
         "loanwords", "loan-phrases", "brands", "code", "capitalised-without-source", "homographs", "latinate"],
)
def test_names_loanwords_and_german_words_are_not_reported(text):
    assert tq203(text) == []


@pytest.mark.parametrize(
    ("source", "text", "expected"),
    [
        # The source has the words in lowercase: common words the MT left in English, capitalised or not.
        ("The supply chain has been disrupted for a few weeks.", "Die Supply Chain ist seit a few weeks gestört.",
         ["Supply Chain", "a few weeks"]),
        ("The backlash came quickly, Brown said.", "Der Backlash kam schnell, sagte Brown.", ["Backlash"]),
        ("He is seen as the party's change agent.", "Er gilt als Change Agent der Partei.", ["Change Agent"]),
        ("The Oslo boroughs are expensive.", "Die Oslo Boroughs sind teuer.", ["Boroughs"]),
        ("Labour's national executive committee decided.", "Das National Executive Committee von Labour entschied.",
         ["National Executive Committee"]),
        # Names the source has verbatim are kept names, unless German has its own name for them.
        ("He speaks for the Ocean View Sailing Club.", "Er spricht für den Ocean View Sailing Club.", []),
        ("According to Human Rights Watch, this is wrong.", "Laut Human Rights Watch ist das falsch.", []),
        ("A protest outside Tate Britain.", "Ein Protest vor der Tate Britain.", []),
        ("Fans flocked to Black Friday sales.", "Die Fans strömten zu den Black Friday Angeboten.", []),
        ("The Department of Homeland Security warned.", "Das Department of Homeland Security warnte.",
         ["Department of Homeland Security"]),
        ("Rescuers reached Türkiye.", "Die Retter erreichten die Türkiye.", ["Türkiye"]),
        # A name used as a name in the source (Brown) is no English word left behind; a sound word is no phrase.
        ("Brown said the brown bag was empty.", "Brown sagte, die Tasche sei leer.", []),
        ("What do they do on Thursday?", "Was machen sie am Do. und am Fr.?", []),
        ('The "zoom zoom" kid is grown up.', "Das „Zoom Zoom“-Kind ist erwachsen.", []),
    ],
    ids=["common-phrase-and-phrase", "common-noun-not-name", "capitalised-phrase", "common-noun-after-name",
         "phrase-with-edges", "kept-club", "kept-ngo", "kept-museum", "kept-event", "translated-institution",
         "translated-country", "surname", "abbreviation", "reduplication"],
)
def test_with_an_english_source_kept_names_are_told_from_untranslated_words(source, text, expected):
    assert tq203(text, source) == expected


def test_english_target_is_not_checked_for_english():
    assert found("The meeting next week was moved to Munich.", "TQ203", tgt="en") == []


def test_exonym_pack_loads_strictly(tmp_path):
    path = tmp_path / "exonyms.tsv"
    path.write_text("name\tgerman\tkind\nMunich\tMünchen\tplace\nBlack Friday\t-\tkeep\n", encoding="utf-8")
    assert [(e.name, e.german, e.kind) for e in load_exonyms(path)] == [
        ("Munich", "München", "place"), ("Black Friday", "-", "keep")]
    for bad, message in [("Munich\tMünchen\tcity", "unknown kind 'city'"),
                         ("Black Friday\tSchwarzer Freitag\tkeep", "exactly for kind 'keep'"),
                         ("munich\tMünchen\tplace", "must start with a capital letter"),
                         ("Munich\tMünchen", "expected 3 tab-separated fields")]:
        path.write_text(f"name\tgerman\tkind\n{bad}\n", encoding="utf-8")
        with pytest.raises(PackError, match=message):
            load_exonyms(path)


def test_german_lexicon_sizes_and_separation():
    """The generated English lexicon is large, and no word is both English-only and a word German shares."""
    packs = load_packs("en", "de")
    assert len(packs.pivot_words) > 30000 and len(packs.pivot_function_words) > 100
    assert {"the", "of", "which"} <= packs.pivot_function_words
    assert not {"in", "an", "so", "was", "will", "also", "die", "war", "man"} & packs.pivot_function_words
    assert {"meeting", "team", "shopping", "rugby"} <= packs.loanwords
    assert "social media" in packs.loan_phrases
    assert {"backlash", "weeks", "supply"} <= packs.pivot_words
    assert not {"stands", "arms", "solid", "operational", "team"} & (packs.pivot_words - packs.loanwords)


def test_kept_names_looked_for_in_capitalised_stretches_only():
    """source_kept_names finds what kept_names finds over every token, stretches without two neighbouring source
    words skipped."""
    from tqcheck.rules import english_left

    packs = load_packs("en", "de")
    source = english_left.EnglishSource("Human Rights Watch and the Department of Homeland Security met USA Today.")
    text = ("Human Rights Watch und das Department of Homeland Security trafen USA Today; "
            "Foo-Human Rights Watch, Rights/Watch Human Rights.")
    expected = english_left.kept_names(text, english_left.word_tokens(text), source, packs.stopwords)
    assert english_left.source_kept_names(text, source, packs.stopwords) == expected
    assert [text[s.start:s.end] for s in expected] == [
        "Human Rights Watch", "Department of Homeland Security", "Rights Watch", "Human Rights"]


def test_exonym_openings_give_the_patterns_own_matches():
    from types import SimpleNamespace

    from tqcheck.rules import english_left

    packs = load_packs(None, "de")
    index = english_left._exonym_index(packs.exonyms)
    text = ("Die Czech Republic, (Canada) und Canadas Süden, E-Commerce in New  York, Newsletter aus Austria's "
            "Bergen, Britain's Got Talent, Alle in St. Petersburg.")

    context = SimpleNamespace(text=text, packs=packs, cache={})
    found = [m.span() for m in from_positions(index.pattern, english_left._exonym_openings(
        context, index), text)]  # type: ignore[arg-type]
    assert found == [m.span() for m in index.pattern.finditer(text)]
    assert [text[a:b] for a, b in found][:3] == ["Czech Republic", "Canada", "Canadas"]


_TOKEN_WORDS = ["the", "meeting", "Der", "Czech", "Republic", "Canadas", "Austria's", "und", "Team", "of", "Double",
                "Eleven", "Haus,", "(Canada)", "https://x.de/the", "New", "York", "Britain's", "E-Commerce", "was"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_TOKEN_WORDS), max_size=12).map(" ".join), min_size=1, max_size=4))
def test_token_facts_are_each_tokens_own(texts):
    """The facts remembered across texts are, for each text, what its tokens hold by definition: the exonym
    openings the index finds in each token, and English evidence where a word of the token has an English kind."""
    from types import SimpleNamespace

    from tqcheck.rules import english_left

    packs = load_packs(None, "de")
    index = english_left._exonym_index(packs.exonyms)
    kind = english_left._word_kind(packs, packs.pivot_words, packs.pivot_function_words, packs.loanwords)
    for text in texts:
        context = SimpleNamespace(text=text, packs=packs, cache={})
        tokens = sorted(set(text.split()))
        evidence = {t for t in tokens if any(kind(w) in ("english", "function") for w in WORD_RE.findall(t))}
        assert set(english_left._evidence_tokens(context)) == evidence  # type: ignore[arg-type]
        facts, _ = english_left._token_facts(context)  # type: ignore[arg-type]
        for token, offsets in zip(tokens, index.offsets(tokens), strict=True):
            assert facts.offsets.get(token, ()) == offsets
            assert (token in facts.with_openings) == bool(offsets)
