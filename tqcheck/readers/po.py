"""gettext PO/POT files through polib: ``msgid`` is the source, ``msgstr`` the target.

Plural entries give one unit per form (``id[0]``, ``id[1]``…; form 0's source is ``msgid``, the others'
``msgid_plural``); an entry with a ``msgctxt`` has the id ``msgctxt|msgid``; the header entry is no unit;
obsolete (``#~``) entries are skipped and counted in ``BilingualFile.skipped["obsolete"]``. State: ``fuzzy``
for the fuzzy flag, ``new`` for an empty ``msgstr``, ``translated`` otherwise.
"""

from __future__ import annotations

import re
from pathlib import Path

from tqcheck.errors import InputError
from tqcheck.readers.paths import primary_lang
from tqcheck.readers.units import BilingualFile, BilingualUnit, finish, make_unit, malformed

_SYNTAX_LINE = re.compile(r"\(line (\d+)\)")


def read_po(path: Path, text: str, src_lang: str | None, tgt_lang: str | None) -> BilingualFile:
    """The units of a gettext catalogue (polib parses it; imported here, only when a PO file is read)."""
    import polib

    try:
        catalog = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as err:
        message = str(err)
        match = _SYNTAX_LINE.search(message)
        problem = _SYNTAX_LINE.sub("", message).strip().rstrip(":")
        raise malformed(path, int(match.group(1)) if match else None, f"not a valid PO file: {problem}") from err
    declared = primary_lang(catalog.metadata.get("Language", "").replace("_", "-")) if catalog.metadata else None
    units: list[BilingualUnit] = []
    obsolete = 0
    for entry in catalog:
        if entry.obsolete:
            obsolete += 1
            continue
        if not entry.msgid:
            continue  # the header entry
        base = f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt is not None else entry.msgid
        fuzzy = "fuzzy" in entry.flags
        if entry.msgid_plural:
            forms = entry.msgstr_plural or {0: "", 1: ""}
            for index in sorted(forms):
                source = entry.msgid if index == 0 else entry.msgid_plural
                unit = _unit(f"{base}[{index}]", source, forms[index], entry.linenum, fuzzy)
                if unit is not None:
                    units.append(unit)
        else:
            unit = _unit(base, entry.msgid, entry.msgstr, entry.linenum, fuzzy)
            if unit is not None:
                units.append(unit)
    return finish(path, "po", primary_lang(src_lang), declared or primary_lang(tgt_lang), units,
                  {"obsolete": obsolete} if obsolete else None)


def _unit(uid: str, source: str, target: str, line: int, fuzzy: bool) -> BilingualUnit | None:
    state = "fuzzy" if fuzzy else ("translated" if target else "new")
    return make_unit(uid, source, target, None, line, state=state, state_detail="fuzzy" if fuzzy else None)


def looks_like_po(text: str) -> bool:
    """A PO file's first significant line is a comment or a ``msgid``/``msgctxt`` keyword."""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            continue
        return stripped.startswith(("msgid ", "msgctxt ", 'msgid"'))
    return False


__all__ = ["InputError", "looks_like_po", "read_po"]
