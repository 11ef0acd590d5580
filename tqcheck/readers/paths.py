"""Language codes from file names: ``article.de.txt``, ``article.zh-de.mt.txt``, ``de/article.txt``."""

from __future__ import annotations

import re
from pathlib import Path

# ISO 639-1 codes of languages tqcheck knows something about; a name part must be one of these to count.
KNOWN_LANGS = frozenset(
    "ar bg cs da de el en es et fi fr he hi hr hu id it ja ko lt lv nl no pl pt ro ru sk sl sv th tr uk vi zh".split()
)
_PAIR = re.compile(r"^([a-z]{2})[-_]([a-z]{2})$")


def langs_from_name(path: Path | str) -> tuple[str | None, str | None]:
    """Return ``(source_lang, target_lang)`` named by a file name, or ``None`` where it names none.

    ``x.zh-de.mt.txt`` gives ``("zh", "de")``; ``x.de.txt`` gives ``(None, "de")``.
    """
    parts = Path(path).name.lower().split(".")[1:]
    for part in parts:
        match = _PAIR.match(part)
        if match and match.group(1) in KNOWN_LANGS and match.group(2) in KNOWN_LANGS:
            return match.group(1), match.group(2)
    for part in reversed(parts):
        if part in KNOWN_LANGS:
            return None, part
    return None, None
