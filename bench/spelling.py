"""Hunspell bindings compared on speed and correctness, with Debian's dictionaries.

    python bench/spelling.py [--dict-dir /usr/share/hunspell] [--repeat 20]

For each binding that is installed (pyhunspell ``hunspell``, ``spylls``, ``pyenchant``), prints the time to load
de_DE and en_US, words checked per second (a mixed list, repeated; every word a fresh lookup for the engines
without a cache of their own), suggestions per second for misspelt words, and agreement with the verdicts
written below: correct words (German compounds and inflections, English inflections) must pass, misspellings
(letters swapped, dropped, doubled; Swiss ß; common English slips) must fail. The word lists are ours, written
for this bench, not taken from any development set.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path


def _words(text: str) -> list[str]:
    return text.split()


GERMAN_CORRECT = _words("""
Haus Häuser Häusern Hauses Bundesverfassungsgericht Verkehrsministerium Datenverkehr Geschäftsführerin
Fußballweltmeisterschaft Wechselkursschwankungen Lieferkettenproblem Bahnhofsvorsteher Akzeptanz Rhythmus
Standard Straße Straßenbahn Gesundheitswesen Krankenversicherung Arbeitslosigkeit Wirtschaftswachstum
Bundesregierung Landtagswahl Bürgermeisterin Kindergarten Schulbildung Umweltschutz Klimawandel
Energieversorgung Stromnetz Windkraftanlage Solaranlagen Elektroauto Ladestationen Verbraucherschutz
Onlinehändler Kundenservice Lieferzeiten Rücksendung Preiserhöhung Inflationsrate Zentralbank Leitzins
ging gegangen gingen lief gelaufen sprach gesprochen nahm genommen schrieb geschrieben dachte gedacht
schöner schönsten größer größten besser beste Mädchen Bäume Bücher Männer Frauen Kinder Ärzte Ärztinnen
aufgestanden vorgestellt angekündigt zurückgetreten weitergegeben übernommen unterschrieben
""")
GERMAN_WRONG = _words("""
Hauss Verkher Strasse Akzeptans Rythmus Standart Geschäfftsführer Bundesreigerung Wirtschaftwachstum
Kindergarden Umweltschuz Klimawandl Energiversorgung Stromnez Elecktroauto Verbrauchersschutz Lieferzeitn
Preiserhöung Inflazionsrate Zentrallbank gegehen gelauft sprache genohmen schreibte dankte gedenkt
schöneer größter Mädschen Bäumme Büchern Männner Ärtze aufgestandet vorgestelt angekündikt zurückgetretten
""")
# Büchern, größter, dankte, gedenkt, sprache (lowercase noun "Sprache" is a verb form too) are in fact words:
# they stay in the "wrong" list on purpose only when the dictionary must reject them; listed here instead:
GERMAN_WRONG = [w for w in GERMAN_WRONG if w not in {"Büchern", "größter", "dankte", "gedenkt", "sprache"}]
ENGLISH_CORRECT = _words("""
house houses running ran written wrote government governments accommodation necessary separate definitely
occurred recommend environment environmental committee beginning believe receive achievement successful
unbelievable misunderstanding internationalization colour color analyse analyze centre center travelled
traveled organisation organization children women mice geese criteria phenomena analyses economies
""")
ENGLISH_WRONG = _words("""
hous runing writen goverment acommodation neccessary seperate definately occured recomend enviroment
comittee begining beleive recieve acheivement succesful unbeleivable misunderstandng internationlization
chilren womens criterias phenomenas economys
""")

Checker = tuple[Callable[[str], bool], Callable[[str], list[str]]]


def load_hunspell(dic: Path) -> Checker:
    import hunspell

    h = hunspell.HunSpell(str(dic.with_suffix(".dic")), str(dic.with_suffix(".aff")))
    return h.spell, h.suggest


def load_spylls(dic: Path) -> Checker:
    from spylls.hunspell import Dictionary

    d = Dictionary.from_files(str(dic))
    return d.lookup, lambda w: list(d.suggest(w))


def load_enchant(dic: Path) -> Checker:
    import enchant

    broker = enchant.Broker()
    broker.set_ordering("*", "hunspell")
    d = broker.request_dict(dic.name)
    return d.check, d.suggest


BINDINGS = {"hunspell (pyhunspell 0.5.5, libhunspell)": load_hunspell, "spylls (pure Python)": load_spylls,
            "pyenchant (libenchant → hunspell)": load_enchant}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dict-dir", type=Path, default=Path("/usr/share/hunspell"))
    parser.add_argument("--repeat", type=int, default=20, help="passes over the word lists for words/s")
    args = parser.parse_args(argv)
    cases = {"de_DE": (GERMAN_CORRECT, GERMAN_WRONG), "en_US": (ENGLISH_CORRECT, ENGLISH_WRONG)}
    for label, loader in BINDINGS.items():
        for lang, (correct, wrong) in cases.items():
            try:
                started = time.perf_counter()
                spell, suggest = loader(args.dict_dir / lang)
                load = time.perf_counter() - started
            except Exception as err:  # an uninstalled binding or dictionary: say so and go on
                print(f"{label:<42} {lang}: not available ({type(err).__name__}: {err})")
                continue
            agree_ok = sum(spell(w) for w in correct)
            agree_bad = sum(not spell(w) for w in wrong)
            words = (correct + wrong) * args.repeat
            started = time.perf_counter()
            for w in words:
                spell(w)
            rate = len(words) / (time.perf_counter() - started)
            sample = wrong[:10]
            started = time.perf_counter()
            for w in sample:
                suggest(w)
            suggest_rate = len(sample) / (time.perf_counter() - started)
            first = [suggest(w)[:1] for w in wrong[:4]]
            print(f"{label:<42} {lang}: load {load:.2f} s, {rate:,.0f} words/s, {suggest_rate:,.1f} suggestions/s, "
                  f"correct accepted {agree_ok}/{len(correct)}, misspellings rejected {agree_bad}/{len(wrong)}; "
                  f"first suggestions {first}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
