"""The compiled code of the methods ``@dataclass`` generates for tqcheck's own classes, kept in the cache folder.

``@dataclass`` writes the source of each class's __init__, __repr__, __eq__, __hash__, __setattr__ … and hands it
to ``exec``, which compiles it: for the 77 classes a rules-only check imports, some 0.04 s of a fresh process's
0.3 s budget went to compiling those few hundred small functions. The code depends on nothing but that source
text (names, defaults and types are passed in as arguments, not written into it) and the Python that compiles
it, so it is kept per Python build in one table, as the regex programs are; what ``exec`` runs is the same code
object ``compile`` makes of the same text (same file name "<string>", no inherited flags: dataclasses' own
module has no __future__ imports), so the classes are the same. Only classes of tqcheck's own modules go through
the table (``exec``'s globals are the module of the class being made); any other source reaches ``exec`` as is.

Only the command switches this on (:func:`keep_dataclass_code`, called by :func:`tqcheck.cli.main`): it shadows
``exec`` in module :mod:`dataclasses` for the whole process, which a program that imports tqcheck as a library
owns. This module imports nothing of its own until a tqcheck class is made, so ``tqcheck --help`` pays nothing.
"""

from __future__ import annotations

import builtins
import sys
from types import CodeType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tqcheck.datacache import KeptTable

_MAX_DATACLASS_CODE = 4_000_000  # bytes of marshalled code in the table: some 20 times what the tree makes
_DATACLASS_CODE: KeptTable | None = None  # made when the first tqcheck class is

_OWN_MODULE = "tqcheck"


def _dataclass_exec(source: object, globals: dict[str, object] | None = None,
                    locals: dict[str, object] | None = None, /, **kwargs: object) -> None:
    """``exec`` as module :mod:`dataclasses` sees it: the code of a source text one of tqcheck's classes made is
    read from the table (or compiled and added to it) and then run as ``exec`` would run the text."""
    if globals is None:  # the caller's globals: dataclasses' own (it always passes the dict of the class's module)
        globals = vars(sys.modules["dataclasses"])
    name = globals.get("__name__")
    if (type(source) is not str or kwargs or locals is None or not isinstance(name, str)
            or not (name == _OWN_MODULE or name.startswith(_OWN_MODULE + "."))):
        # A text is compiled here as exec compiles it in dataclasses (this module's __future__ import must not
        # apply: exec of a text inherits the flags of the code that calls it).
        code = _compiled(source) if type(source) is str else source
        if locals is None:
            builtins.exec(code, globals, **kwargs)  # type: ignore[call-overload]
        else:
            builtins.exec(code, globals, locals, **kwargs)  # type: ignore[call-overload]
        return
    builtins.exec(dataclass_code(source), globals, locals)


def new_table() -> KeptTable:
    """An empty table of dataclass code (of this code and this Python build), read from the cache folder."""
    from tqcheck.datacache import KeptTable

    return KeptTable("dataclass-code", (__file__,), _MAX_DATACLASS_CODE, len)  # type: ignore[arg-type]


def _table() -> KeptTable:
    global _DATACLASS_CODE
    if _DATACLASS_CODE is None:
        _DATACLASS_CODE = new_table()
    return _DATACLASS_CODE


def _compiled(source: str) -> CodeType:
    return compile(source, "<string>", "exec", flags=0, dont_inherit=True)


def dataclass_code(source: str) -> CodeType:
    """``compile(source, "<string>", "exec")`` as ``exec`` compiles a text in module :mod:`dataclasses`, from the
    table when it is there."""
    import marshal

    table = _table()
    stored = table.get(source)
    if isinstance(stored, bytes):
        try:
            code = marshal.loads(stored)
        except (EOFError, ValueError, TypeError):
            code = None
        if isinstance(code, CodeType):
            return code
    code = _compiled(source)
    table.put(source, marshal.dumps(code))
    return code


def keep_dataclass_code() -> None:
    """Have module :mod:`dataclasses` take the code of tqcheck's classes' methods from the table (idempotent)."""
    import dataclasses

    if getattr(dataclasses, "exec", None) is not _dataclass_exec and hasattr(dataclasses, "_create_fn"):
        dataclasses.exec = _dataclass_exec  # type: ignore[attr-defined]  # a module global shadows the builtin
