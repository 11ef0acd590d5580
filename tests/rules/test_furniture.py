"""TQ5xx: page furniture — which lines the furniture entries are tried on."""

from __future__ import annotations

import pytest

from tests.conftest import found


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        # An entry is tried only on the lines that hold one of its literals; the others are still found.
        ("Das Konzept wird sterben.\n\nÜber den Autor: Li Ming schreibt.\nAutor: Wang Lei",
         "TQ505", ["Über den Autor: Li Ming schreibt.", "Autor: Wang Lei"]),
        ("Autor ist er nicht.\n\nDer Text endet hier.", "TQ505", []),
        ("Das Konzept.\n\nQuelle: Sohu Technology\n\n© 2021 Beispielverlag. Alle Rechte vorbehalten.",
         "TQ506", ["Quelle: Sohu Technology", "© 2021 Beispielverlag. Alle Rechte vorbehalten."]),
        # A text the engine folds unlike str.lower (ſ, İ) is tested the slow way, with the same result.
        ("İstanbul.\n\nQuelle: Sohu Technology", "TQ506", ["Quelle: Sohu Technology"]),
        ("Das Konzept wird sterben.\n\n<<:  Der Wettbewerbspunkt", "TQ502", ["<<:  Der Wettbewerbspunkt"]),
        # A cut-off snippet: an ellipsis, then only spaces of any kind.
        ("Warum Yoga?\n\nIch glaube, jeder sollte mit dem Sport Yoga sehr …\u2009", "TQ504",
         ["Ich glaube, jeder sollte mit dem Sport Yoga sehr …"]),
        ("Warum Yoga?\n\nIch glaube, jeder sollte mit dem Sport Yoga sehr .. .", "TQ504", []),
    ],
)
def test_furniture_lines(text, code, expected):
    assert [s for _, s in found(text, code)] == expected


@pytest.mark.parametrize("text", ["", " \n ", "  Wie lange\u00a0hält\n der Boom an? ", "STRASSE\u2028straße\x1c"])
def test_normalized_paragraph_is_the_regex_normalisation(text):
    from tqcheck.rules.furniture import _WS, _normalized

    assert _normalized(text) == _WS.sub(" ", text).strip().casefold()
