"""How messages and suggestions quote text and name languages, the same way in every rule.

* :func:`quote` — words from the text or wording in the target language, between « and »: exactly the
  characters, never a Python escape; a no-break space is said in words, since it looks like a space.
* :func:`language_name` — "German", not "de" (``tqcheck/data/language_names.tsv``).
* :func:`reword_advice` — advice that offers target-language wording which needs adapting to the sentence
  (so it is no drop-in replacement): "Reword it, e.g. «…» or «…» (German wording to fit into the sentence)."
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from tqcheck.display import NO_BREAK_SPACES

_NAMES = Path(__file__).parent / "data" / "language_names.tsv"


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    names = {}
    lines = [line for line in _NAMES.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    for line in lines[1:]:  # the header
        code, name = line.split("\t")
        names[code] = name
    return names


def language_name(code: str | None, default: str = "target-language") -> str:
    """The English name of a language tag (``de`` → German, ``zh-CN`` → Chinese (simplified), ``zh-Hans`` →
    Chinese); an unknown tag as it is; ``default`` for none."""
    if not code:
        return default
    names = _language_names()
    lowered = code.lower().replace("_", "-")
    return names.get(lowered) or names.get(lowered.split("-")[0]) or code


def with_article(noun_phrase: str) -> str:
    """"a German text", "an English text": the indefinite article for a phrase that starts with a language name."""
    return f"{'an' if noun_phrase[:1].lower() in 'aeiou' else 'a'} {noun_phrase}"


def quote(text: str) -> str:
    """«text», saying so when it holds a no-break space (which would look like a plain one)."""
    note = " (with a no-break space)" if NO_BREAK_SPACES.search(text) else ""
    return f"«{text}»{note}"


def either(texts: Sequence[str]) -> str:
    """«a», «b» or «c»."""
    quoted = [quote(t) for t in texts]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def reword_advice(texts: Sequence[str], lang: str | None) -> str:
    """Advice offering target-language wording that is not a drop-in replacement for the marked words."""
    if not texts:
        return "Reword it."
    return f"Reword it, e.g. {either(texts)} ({language_name(lang)} wording to fit into the sentence)."


def beside_replacement(advice: str, why: str | None, replaced: bool) -> str | None:
    """The advice of a finding: ``advice`` (which names the wording to use) when the fix needs rewording; beside
    a drop-in replacement only ``why`` (the replacement is shown as such: advice must not repeat it)."""
    if replaced:
        return why or None
    return f"{advice} {why}" if why else advice


__all__ = ["beside_replacement", "either", "language_name", "quote", "reword_advice", "with_article"]
