"""The word lists of number extraction, read from the data files next to this module.

Lexicons are data (number words, month names, currencies, units, Chinese classifiers): an editor extends a
TSV file, the patterns are built from it. Lines starting with "#" are comments; fields are tab-separated.
Everything is read once per process.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from importlib import resources


def _lines(name: str) -> Iterable[list[str]]:
    text = (resources.files(__package__) / "data" / name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.rstrip("\n").split("\t")


@cache
def words(name: str) -> tuple[str, ...]:
    """A one-column list (``*.txt``): the first field of every line."""
    return tuple(row[0] for row in _lines(name))


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Every line of a TSV file as a tuple of fields."""
    return tuple(tuple(row) for row in _lines(name))


@cache
def by_lang(name: str, *langs: str) -> dict[str, tuple[str, ...]]:
    """word → remaining fields, for the rows of a ``lang<TAB>word<TAB>…`` file whose language is in ``langs``."""
    return {row[1]: row[2:] for row in rows(name) if row[0] in langs}


@cache
def number_words(lang: str) -> dict[str, tuple[Decimal, str]]:
    """German or English number words: word → (value, class) from ``{lang}_numbers.tsv``."""
    return {word: (Decimal(value), cls) for word, value, cls in rows(f"{lang}_numbers.tsv")}


def of_class(lang: str, *classes: str) -> dict[str, Decimal]:
    """The number words of ``lang`` in the given classes: word → value."""
    return {w: v for w, (v, c) in number_words(lang).items() if c in classes}
