"""tqcheck.spelling.forms: the table of a dictionary's forms holds only words the dictionary accepts, its search
finds exactly its words, and a speller answers with it what the loaded dictionary answers, without loading it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tqcheck import spelling
from tqcheck.spelling import forms

_WORDS = st.text(alphabet="abzAZäößé'’-\u00e0\U0001f600", min_size=1, max_size=6)


def _table_of(words: set[str], tmp_path: Path) -> forms.FormTable:
    path = tmp_path / "t.bin"
    lines = sorted(w.encode("utf-8") for w in words)
    path.write_bytes(forms.FORMAT + b"\n" + b"".join(w + b"\n" for w in lines))
    table = forms.read_table(path)
    assert table is not None
    return table


@settings(max_examples=200, deadline=None)
@given(words=st.sets(_WORDS, max_size=40), queries=st.lists(_WORDS, max_size=20))
def test_the_search_finds_exactly_the_words_of_the_table(tmp_path_factory, words, queries):
    table = _table_of(words, tmp_path_factory.mktemp("t"))
    for word in [*words, *queries, "", "\n", "a\nb", *(w[:-1] for w in words), *(w + "a" for w in words)]:
        assert (word in table) == (word in words and "\n" not in word), word


def test_an_empty_table_and_a_foreign_file_find_nothing(tmp_path):
    assert "a" not in _table_of(set(), tmp_path)
    other = tmp_path / "other.bin"
    other.write_bytes(b"something else\na\n")
    assert forms.read_table(other) is None
    (tmp_path / "empty.bin").write_bytes(b"")
    assert forms.read_table(tmp_path / "empty.bin") is None
    assert forms.read_table(tmp_path / "missing.bin") is None


def test_a_table_of_another_hunspell_library_is_not_read(tmp_path):
    library = tmp_path / "libhunspell.so"
    library.write_bytes(b"x")
    stat = library.stat()
    path = tmp_path / "t.bin"
    header = b"\t".join([forms.FORMAT, os.fsencode(library), str(stat.st_size).encode(),
                         str(stat.st_mtime_ns).encode()])
    path.write_bytes(header + b"\nword\n")
    table = forms.read_table(path)
    assert table is not None and "word" in table
    library.write_bytes(b"xy")  # another build of the library: its verdicts may differ
    assert forms.read_table(path) is None


_AFF = """SET UTF-8
PFX U Y 1
PFX U   0     un         .
SFX S Y 2
SFX S   y     ies        [^aeiou]y
SFX S   0     s          [^y]
SFX D N 1
SFX D   0     ed         [^e]
"""
_DIC = "4\nhappy/US\nkind/UD\nlook/SD\nWang\n"


def test_forms_apply_the_affixes_of_each_stem():
    assert forms.forms(_DIC, _AFF) == {"happy", "happies", "unhappy", "unhappies", "kind", "unkind", "kinded",
                                       "look", "looks", "looked", "Wang"}
    assert forms.forms(_DIC, _AFF, limit=3) is None


class _Fake:
    """A dictionary that accepts a fixed set of words, and counts what it is asked."""

    def __init__(self, words: set[str]) -> None:
        self.words, self.asked = words, 0

    def spell(self, word: str) -> bool:
        self.asked += 1
        return word in self.words


def test_the_table_holds_the_forms_the_dictionary_accepts(tmp_path):
    dic, aff = tmp_path / "xx_XX.dic", tmp_path / "xx_XX.aff"
    dic.write_text(_DIC, encoding="utf-8")
    aff.write_text(_AFF, encoding="utf-8")
    accepted = {"happy", "Happy", "unhappy", "kind", "Kind", "looks", "looked", "Wang", "elsewhere"}
    path = tmp_path / "cache" / "t.bin"
    assert forms.write_table(path, dic, aff, _Fake(accepted))
    table = forms.read_table(path)
    assert table is not None
    candidates = forms.forms(_DIC, _AFF)
    assert candidates is not None
    variants = candidates | {w[:1].upper() + w[1:] for w in candidates} | {w.lower() for w in candidates}
    for word in variants | accepted | {"Looks", "wang", "unkinded"}:
        assert (word in table) == (word in accepted and word in variants), word


def test_too_many_forms_leave_an_empty_file_and_no_table(tmp_path, monkeypatch):
    dic, aff = tmp_path / "xx_XX.dic", tmp_path / "xx_XX.aff"
    dic.write_text(_DIC, encoding="utf-8")
    aff.write_text(_AFF, encoding="utf-8")
    monkeypatch.setattr(forms, "MAX_FORMS", 2)
    path = tmp_path / "t.bin"
    assert not forms.write_table(path, dic, aff, _Fake({"happy"}))
    assert path.stat().st_size == 0 and forms.read_table(path) is None


def test_a_speller_confirms_the_words_of_a_table_without_loading_the_dictionary(tmp_path, monkeypatch):
    monkeypatch.setenv("TQCHECK_CACHE_DIR", str(tmp_path / "cache"))
    dic, aff = tmp_path / "xx_XX.dic", tmp_path / "xx_XX.aff"
    dic.write_text(_DIC, encoding="utf-8")
    aff.write_text(_AFF, encoding="utf-8")
    accepted = {"happy", "Happy", "unhappy", "kind", "looks", "Wang"}
    assert forms.write_table(forms.table_path(dic, aff), dic, aff, _Fake(accepted))
    fake = _Fake(accepted)
    loads: list[int] = []

    def load() -> _Fake:
        loads.append(1)
        return fake

    speller = spelling.Speller("en", [("xx_XX", forms.Dictionary(dic, aff, load))], [dic])
    assert speller.known("Happy") and speller.known("looks") and not loads  # the table's words
    assert not speller.loaded()
    assert not speller.known("looky") and loads == [1]  # not in the table: the dictionary is asked
    assert speller.loaded()
    for word in ("happy", "kind", "unkind", "Wang", "wang", "xyz"):
        assert speller.known(word) == (word in accepted)


@pytest.mark.skipif(spelling.unavailable("en") is not None, reason="needs the en_US Hunspell dictionary")
def test_the_en_us_table_holds_only_words_hunspell_accepts(tmp_path, monkeypatch):
    import hunspell

    base = spelling.find_dictionary("en_US")
    assert base is not None
    dic, aff = base.with_suffix(".dic"), base.with_suffix(".aff")
    loaded = hunspell.HunSpell(str(dic), str(aff))
    path = tmp_path / "en_US.bin"
    assert forms.write_table(path, dic, aff, loaded)
    table = forms.read_table(path)
    assert table is not None
    data = path.read_bytes()
    words = data[data.index(b"\n") + 1:].decode("utf-8").splitlines()
    assert len(words) > 100_000 and words == sorted(words, key=lambda w: w.encode("utf-8"))
    for word in words[::97]:  # a sample: every one a word Hunspell accepts, and found by the search
        assert loaded.spell(word) and word in table, word
    for word in ("Groups", "Eleven", "popup", "Popup", "Hotpot"):
        assert (word in table) <= bool(loaded.spell(word)), word
    assert "Zzxq" not in table and "Geschäftsführerin" not in table


def test_a_later_dictionary_without_a_table_has_it_built_once_at_exit(tmp_path, monkeypatch):
    monkeypatch.setenv("TQCHECK_CACHE_DIR", str(tmp_path / "cache"))
    dic, aff = tmp_path / "xx_XX.dic", tmp_path / "xx_XX.aff"
    dic.write_text(_DIC, encoding="utf-8")
    aff.write_text(_AFF, encoding="utf-8")
    registered: list[tuple[object, ...]] = []
    monkeypatch.setattr(forms.atexit, "register", lambda *args: registered.append(args))
    monkeypatch.setattr(forms, "_building", set())
    monkeypatch.setattr(forms, "_loaded", 0)
    forms.Dictionary(dic, aff, lambda: _Fake(set()))()  # the first dictionary loaded: no table for it
    assert registered == []
    for _ in range(2):  # loaded after another (twice: a speller made anew): one build
        forms.Dictionary(dic, aff, lambda: _Fake({"happy"}))()
    assert len(registered) == 1 and registered[0][0] is forms.write_table
    write, path, *args = registered[0]
    assert write(path, *args) and "happy" in forms.read_table(path)  # type: ignore[operator]
