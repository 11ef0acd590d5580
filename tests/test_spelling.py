"""TQ610 misspelling: what it reports (exact spans), what it never reports, the extra and the configuration."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.conftest import found, run
from tqcheck import spelling
from tqcheck.cli import main
from tqcheck.config import SpellingConfig
from tqcheck.configfile import load_config_file, resolve_settings
from tqcheck.errors import ConfigError
from tqcheck.rules import spelling as rules_spelling
from tqcheck.spelling import forms as spelling_forms

_MISSING = spelling.unavailable("de") or spelling.unavailable("en")
NEEDS_DICTIONARIES = (pytest.mark.spelling, pytest.mark.skipif(_MISSING is not None, reason=str(_MISSING)))


def needs_dictionaries(test):
    for mark in NEEDS_DICTIONARIES:
        test = mark(test)
    return test


def de(text: str, **kwargs) -> list[tuple[str, str]]:
    return found(text, "TQ610", src=kwargs.pop("src", None), tgt="de", **kwargs)


def en(text: str, **kwargs) -> list[tuple[str, str]]:
    return found(text, "TQ610", src=kwargs.pop("src", None), tgt="en", **kwargs)


@pytest.fixture
def no_binding(monkeypatch):
    """The [spell] extra not installed: ``import hunspell`` fails, and no speller is cached from before."""
    monkeypatch.setitem(sys.modules, "hunspell", None)
    spelling.speller.cache_clear()
    yield
    spelling.speller.cache_clear()


# --- what is reported ----------------------------------------------------------------------------------------


@needs_dictionaries
def test_german_misspellings_exact_spans_and_one_drop_in_replacement():
    text = "Die Geschäfftsführerin lobt den Rythmus der Arbeit."
    result = run(text, src=None, tgt="de", select=("TQ610",))
    issues = [(i.code, i.span.start, i.span.end, text[i.span.start:i.span.end], i.replacements) for i in result.issues]
    assert issues == [("TQ610", 4, 22, "Geschäfftsführerin", ("Geschäftsführerin",)),
                      ("TQ610", 32, 39, "Rythmus", ("Rhythmus",))]
    assert result.issues[0].category.value == "fluency/spelling" and result.issues[0].severity.value == "minor"
    # The replacement is shown as such; the advice offers only the other candidates (none here).
    assert [i.suggestion for i in result.issues] == [None, None]


@needs_dictionaries
def test_english_misspellings_exact_spans():
    text = "The goverment has finally recieved the report."
    assert en(text) == [("TQ610", "goverment"), ("TQ610", "recieved")]


@needs_dictionaries
def test_no_replacement_without_one_clear_drop_in():
    """Several suggestions at distance 1, or none: advice only, nothing to apply."""
    result = run("Das Hauss steht leer.", src=None, tgt="de", select=("TQ610",))
    [issue] = result.issues
    assert issue.suggestion == "Check the spelling: perhaps «Hass», «Haus» or «Hausse»." and issue.replacements == ()


# --- what is never reported -------------------------------------------------------------------------------------


@needs_dictionaries
def test_german_compounds_and_regular_forms_are_words():
    text = ("Die Kundenzufriedenheitsumfrage zeigt, dass die Lieferkettenprobleme nachlassen. Die Influencerin hat "
            "ihr Video gestylt, um es hochzuladen; die smartesten Konkurrenten zogen auseinander, als sie Schälchen "
            "mit Fleischbällchen vorstellte. Arbeits- und Sozialrecht, E-Commerce-Branche, Sozialität.")
    assert de(text) == []


@needs_dictionaries
def test_names_kept_or_transliterated_from_the_source_are_not_misspellings():
    source = "Volodymyr Zelensky met Sergei Lavrov in Kharkiv, said Sunak's office."
    target = "Wolodymyr Selenskyj traf Sergej Lawrow in Charkiw, sagte Sunaks Büro."
    assert de(target, src="en", source=source) == []
    # without the source they are unknown words
    assert de(target) == [("TQ610", w) for w in ("Wolodymyr", "Selenskyj", "Sergej", "Lawrow", "Sunaks")]


@needs_dictionaries
def test_brands_acronyms_pinyin_and_handles_are_not_misspellings():
    text = ("WeChat, iPhone und die NASA: Taobao, Pinduoduo und Alibabas Tmall wachsen. Mehr unter "
            "https://beispiel.de/Warenkorbb, info@shopp.de, #Singlesdayy und @Kaufhauss; das Paket wiegt 5kgg, "
            "der Preis stieg um das 3,5-fachh. Sehen Sie auch: Viele Nutzer finden, dass die Geschäfftsf...")
    assert de(text) == []


@needs_dictionaries
def test_english_capitalised_names_and_british_spelling_are_not_misspellings():
    assert en("Zhang Xiangyu said the colour of the centre was travelled often.") == []


@needs_dictionaries
def test_english_words_in_german_are_left_to_tq203():
    assert de("Das Meeting war wirklich productive, sagte sie.") == []


@needs_dictionaries
def test_inline_placeholders_are_not_read_as_words():
    assert de("Hallo {benutzrname}, Ihre Bestelung ist da.") == [("TQ610", "Bestelung")]


@needs_dictionaries
def test_glossary_terms_and_user_words_are_not_misspellings(tmp_path: Path):
    text = "Der Flurbxdienst und die Quorzel-Karte sind neu."
    assert de(text) == [("TQ610", "Flurbxdienst"), ("TQ610", "Quorzel")]
    glossary = tmp_path / "terms.csv"
    glossary.write_text("source,target\nservice,Flurbxdienst\n", encoding="utf-8")
    assert de(text, glossary=glossary) == [("TQ610", "Quorzel")]
    assert de(text, glossary=glossary, spelling=SpellingConfig(words=("quorzel",))) == []


@needs_dictionaries
def test_words_file_from_tqcheck_toml_extends_the_dictionary(tmp_path: Path):
    (tmp_path / "words.txt").write_text("# house words\nQuorzel\n\nFlurbxdienst\n", encoding="utf-8")
    (tmp_path / "tqcheck.toml").write_text('[spelling]\nwords = ["Zinkelbrot"]\nwords_file = "words.txt"\n',
                                           encoding="utf-8")
    config = resolve_settings(tmp_path / "tqcheck.toml", config_file=tmp_path / "tqcheck.toml").config
    assert config.spelling.casefolded == {"zinkelbrot", "quorzel", "flurbxdienst"}
    assert config.as_dict()["spelling"] == {"words": ["Zinkelbrot"], "words_file": str(tmp_path / "words.txt"),
                                            "file_words": 2}
    assert de("Der Flurbxdienst, die Quorzel und das Zinkelbrot.", spelling=config.spelling) == []


def test_other_target_languages_are_not_checked():
    assert found("Le gouvernment a recu le rapport.", "TQ610", src=None, tgt="fr") == []


# --- the extra and the dictionaries ------------------------------------------------------------------------------


def test_missing_binding_is_a_note_naming_the_install_line(no_binding):
    result = run("Die Geschäfftsführerin lobt den Rythmus.", src=None, tgt="de")
    assert [i for i in result.issues if i.code == "TQ610"] == []
    [note] = [n for n in result.notes if "TQ610" in n]
    assert note.startswith("spelling not checked (TQ610): the Hunspell binding is not installed")
    assert "pip install 'tqcheck[spell]'" in note and "hunspell-de-de" in note


def test_missing_binding_with_the_rule_selected_is_exit_2(no_binding, tmp_path: Path, capsys):
    target = tmp_path / "a.de.txt"
    target.write_text("Die Geschäfftsführerin lobt den Rythmus.", encoding="utf-8")
    before = target.read_bytes()
    for spec in ("TQ610", "misspelling"):
        status = main(["check", str(target), "--select", spec, "--no-config"])
        err = capsys.readouterr().err
        assert status == 2
        assert "TQ610 misspelling was selected but cannot run: the Hunspell binding is not installed" in err
        assert "pip install 'tqcheck[spell]'" in err and "Traceback" not in err
    # A family prefix is no explicit choice of this rule: the run goes on and says what was not checked.
    status = main(["check", str(target), "--select", "TQ6", "--no-config", "--format", "json"])
    assert status == 0 and "spelling not checked (TQ610)" in capsys.readouterr().out
    assert target.read_bytes() == before


def test_missing_dictionary_is_a_note_naming_the_package(monkeypatch, tmp_path: Path):
    monkeypatch.setenv(spelling.PATH_ENV, str(tmp_path))
    monkeypatch.setattr(spelling, "SYSTEM_DIRS", ())
    spelling.speller.cache_clear()
    try:
        result = run("Die Geschäfftsführerin lobt den Rythmus.", src=None, tgt="de")
    finally:
        spelling.speller.cache_clear()
    [note] = [n for n in result.notes if "TQ610" in n]
    assert f"no Hunspell dictionary de_DE in {tmp_path}" in note and "apt-get install hunspell-de-de" in note
    assert [i for i in result.issues if i.code == "TQ610"] == []


def test_dictionary_search_path_takes_the_environment_first(monkeypatch, tmp_path: Path):
    for name in ("de_DE.dic", "de_DE.aff"):
        (tmp_path / name).write_text("", encoding="utf-8")
    monkeypatch.setenv(spelling.PATH_ENV, f"{tmp_path}{':' if sys.platform != 'win32' else ';'}/nonexistent")
    assert spelling.search_path()[0] == tmp_path
    assert spelling.find_dictionary("de_DE") == tmp_path / "de_DE"
    assert spelling.find_dictionary("xx_XX") is None


# --- speed: memoised verdicts, dictionaries loaded when needed (same findings) ------------------------------------


@pytest.fixture
def fresh_spellers():
    """Spellers (and their per-process memos) made anew for the test, and again after it."""
    spelling.speller.cache_clear()
    yield
    spelling.speller.cache_clear()


@needs_dictionaries
def test_what_the_document_explains_is_not_remembered_for_the_next(fresh_spellers):
    target = "Der Quorzel kam mit dem Flurbxdienst."
    source = "The Quorzel came."
    for _ in range(2):  # the second time from the memo
        assert de(target, src="en", source=source) == [("TQ610", "Flurbxdienst")]
        assert de(target) == [("TQ610", "Quorzel"), ("TQ610", "Flurbxdienst")]
    # A hyphenated word and the same word alone; twice the same capitalised word is a name.
    for text in ("Die Quorzel-Karte ist da.", "Die Quorzel ist da."):
        assert de(text) == [("TQ610", "Quorzel")] == de(text)
    assert de("Die Quorzel-Karte und die Quorzel.") == []


@needs_dictionaries
def test_lines_remembered_as_fine_keep_the_spans_of_the_other_lines(fresh_spellers):
    def spans(text: str) -> list[tuple[int, int, str]]:
        result = run(text, src=None, tgt="de", select=("TQ610",))
        return [(i.span.start, i.span.end, text[i.span.start:i.span.end]) for i in result.issues]

    assert spans("Die Kinder spielen im Garten.\nDer Rythmus stimmt.") == [(34, 41, "Rythmus")]
    assert spans("Der Rythmus stimmt.\nDie Kinder spielen im Garten.") == [(4, 11, "Rythmus")]
    assert spans("Die Kinder spielen im Garten.\nDie Kinder spielen im Garten.") == []
    assert spans("Die Kinder spielen im Garten. Der Rythmus stimmt.") == [(34, 41, "Rythmus")]


@needs_dictionaries
def test_english_dictionaries_load_only_when_a_word_needs_them(fresh_spellers, monkeypatch):
    # Without the tables of the dictionaries' forms (tests/test_startup_forms.py: a word of the table is
    # confirmed without loading its dictionary).
    monkeypatch.setattr(spelling_forms, "read_table", lambda path: None)
    english = spelling.speller("en")
    assert english is not None and english.names == ("en_US", "en_GB")
    assert de("Die Kinder spielen im Garten.") == []
    assert not english.views()[0].loaded() and not english.loaded()
    assert de("Das Shopping im Garten.") == []  # the packs know it
    assert not english.views()[0].loaded()
    assert de("Das Hotpot im Garten.") == []  # en_US knows it
    assert english.views()[0].loaded() and not english.loaded()
    result = run("Die Geschäfftsführerin lobt das Hotpot.", src=None, tgt="de", select=("TQ610",))
    assert [(i.span.start, i.span.end, i.replacements) for i in result.issues] == [(4, 22, ("Geschäftsführerin",))]
    assert english.loaded()  # nothing else explained it: the British dictionary was asked too


@needs_dictionaries
def test_bounded_memos_give_the_same_findings(fresh_spellers, monkeypatch):
    text = ("Die Geschäfftsführerin lobt den Rythmus der Arbeit. Die Kundenzufriedenheitsumfrage zeigt, dass die "
            "Lieferkettenprobleme nachlassen; Arbeits- und Sozialrecht, E-Commerce-Branche.")
    expected = de(text)
    assert expected == [("TQ610", "Geschäfftsführerin"), ("TQ610", "Rythmus")]
    spelling.speller.cache_clear()
    monkeypatch.setattr(spelling, "MEMO_LIMIT", 3)
    assert de(text) == expected == de(text)
    german = spelling.speller("de")
    memo = german.memo[rules_spelling._Memo]
    assert max(len(memo.fine), len(memo.open), len(memo.words), len(german.memo)) <= 3


def test_plain_chunks_are_read_as_the_general_reading_reads_them():
    tokens = ["Haus", "Haus,", "„Haus“", "(Haus)", "Hau.", "haus!", "HAUS", "WeChat", "Straße;", "Café", "Haus...",
              "Haus-", "Hans’", "'Haus", "Sunak's", "a" * 40 + ".", "a" * 41, "Häuschen»", "«Öl", "Brot?"]
    for german in (True, False):
        for token in tokens:
            assert (list(rules_spelling._chunk_candidates(token, german))
                    == list(rules_spelling._words_of_a_chunk(token, german))), (token, german)


def test_chunks_and_their_places_are_the_regex_runs_of_non_space():
    text = "Ein\u2028Haus\x1cam  See,\u00a0und Haus  Haus-Boot\nHaus"
    assert rules_spelling._chunks(text) == set(re.findall(r"\S+", text))
    assert list(rules_spelling._occurrences(text, "Haus")) == [m.start() for m in re.finditer(r"\S+", text)
                                                               if m.group() == "Haus"]


def test_source_words_are_found_where_the_casefolded_text_has_them():
    texts = ["Sunak's office in İstanbul, the STRASSE and the Straße, ﬁsh and Xͅ: Kölner naïve Fish.",
             "Plain ASCII, with Names and words.", "Ωmega ǅemal ΣΊΣΥΦΟΣ ßtraße"]
    for text in texts:
        source = rules_spelling._Source(text)
        words = rules_spelling._words_of([text])
        capitalised = {w.casefold() for w in rules_spelling._LETTERS.findall(text) if w[:1].isupper()}
        queries = words | {w[:-1] for w in words} | {"strasse", "fish", "istanbul", "office", "xy", "names"}
        for query in queries:
            assert (query in source) == (query in words), (text, query)
            assert source.capitalised(query) == (query in capitalised), (text, query)


@pytest.mark.parametrize("lines", [
    "4\nKardiologie/N\nhaus/S\n#Kardex\n\tKarton\nStraße\n",  # searched as casefolded text
    "4\r\nKardiologie/N\r\nhaus/S\r\nStraße\r\n",
    "4\nKardiologie/N\n  Karton/S\nStraße\n",  # a line starting with spaces: the stems are sorted instead
    "4\nKardiologie/N\rKarton\nStraße",
])
def test_starts_a_word_finds_what_the_sorted_stems_find(tmp_path: Path, lines: str):
    path = tmp_path / "xx_XX.dic"
    path.write_bytes(lines.encode("utf-8"))
    speller = spelling.Speller("de", [], [path])
    stems = [stem.casefold() for stem in speller.stems()]
    for prefix in ("Kardio", "kardiologie", "Kardiologiex", "Karto", "Kardex", "Haus", "STRASS", "straß", "4", "x"):
        assert speller.starts_a_word(prefix) == any(s.startswith(prefix.casefold()) for s in stems), prefix


# --- configuration errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[spelling]\nwordz = ["a"]\n', "unknown key 'spelling.wordz' (did you mean 'spelling.words'?)"),
        ('[spelling]\nwords = "Quorzel"\n', "'spelling.words' must be a list of strings, got \"Quorzel\""),
        ('[spelling]\nwords = ["two words"]\n', "'spelling.words': one word per entry, found \"two words\""),
        ('[spelling]\nwords_file = 3\n', "'spelling.words_file' must be a string, got 3"),
        ('spelling = "on"\n', "'spelling' must be a table, got \"on\""),
    ],
)
def test_bad_spelling_settings_name_the_file_and_key(tmp_path: Path, toml: str, message: str):
    path = tmp_path / "tqcheck.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config_file(path)
    assert str(err.value) == f"{path}: {message}"


def test_missing_or_bad_words_file_is_an_error_naming_it(tmp_path: Path, capsys):
    path = tmp_path / "tqcheck.toml"
    path.write_text('[spelling]\nwords_file = "words.txt"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config_file(path)
    assert str(err.value) == f"{path}: 'spelling.words_file': {tmp_path / 'words.txt'}: no such word list"
    (tmp_path / "words.txt").write_text("Quorzel\nzwei Wörter\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config_file(path)
    assert str(err.value) == (f"{path}: 'spelling.words_file': {tmp_path / 'words.txt'}:2: one word per line "
                              "expected, found 'zwei Wörter'")
    target = tmp_path / "a.de.txt"
    target.write_text("Hallo Welt.", encoding="utf-8")
    status = main(["check", str(target), "--config", str(path)])
    err_text = capsys.readouterr().err
    assert status == 2 and "words.txt:2: one word per line expected" in err_text and "Traceback" not in err_text
