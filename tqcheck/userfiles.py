"""Reading the small files a user names in the configuration: tqcheck.toml, word lists, baselines.

Each reader used to map the same operating-system errors to messages of its own; one function gives every
such file the same wording: the path first, then what is wrong with it, then the fix where there is one.
"""

from __future__ import annotations

import os
from pathlib import Path

from tqcheck.errors import ConfigError


def read_user_file(path: Path, what: str, *, hint: str | None = None, max_bytes: int | None = None) -> bytes:
    """The bytes of the user's file ``path``, a ``what`` ("configuration file", "word list"…).

    Raises:
        ConfigError: ``path: no such <what>``, ``is a folder``, ``cannot read``, or ``too large`` (over
            ``max_bytes``); ``hint`` is added in brackets to the first two.
    """
    suffix = f" ({hint})" if hint else ""
    try:
        if max_bytes is not None and (size := os.stat(path).st_size) > max_bytes:
            raise ConfigError(f"{path}: {what} too large ({size} bytes)")
        return path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such {what}{suffix}") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, expected a {what}{suffix}") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot read the {what}: {err.strerror}") from None


def read_user_text(path: Path, what: str, *, hint: str | None = None) -> str:
    """:func:`read_user_file` decoded as UTF-8 (a byte-order mark is dropped).

    Raises:
        ConfigError: as :func:`read_user_file`, or ``path: not UTF-8 (byte N)``.
    """
    try:
        return read_user_file(path, what, hint=hint).decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: not UTF-8 (byte {err.start})") from None
