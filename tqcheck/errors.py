"""Exceptions: each names the file (and line) and says what is wrong."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class TqcheckError(Exception):
    """Base of every error tqcheck raises on purpose."""


class InputError(TqcheckError):
    """An input file cannot be read or understood."""

    def __init__(self, path: Path | str, problem: str, *, kind: str = "input", hint: str | None = None):
        self.path = Path(path)
        self.problem = problem
        self.kind = kind
        self.hint = hint
        text = f"{self.path}: {problem}"
        if hint:
            text += f" ({hint})"
        super().__init__(text)


class PackError(TqcheckError):
    """A rule pack or glossary line is malformed."""

    def __init__(self, path: Path | str, line: int | None, problem: str):
        self.path = Path(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {problem}")


class ConfigError(TqcheckError):
    """A configuration value or command-line option is invalid."""


def unknown_key(where: str, key: str, known: Iterable[str], prefix: str = "") -> ConfigError:
    """The error for a configuration key that is not one of ``known``: the closest one named, else all of them
    (``tqcheck.toml: unknown key 'fail_undr' (did you mean 'fail_under'?)``). ``prefix`` is the key's table."""
    import difflib  # only when a configuration is wrong

    known = list(known)
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f" (did you mean '{prefix}{close[0]}'?)" if close else f" (known keys: {', '.join(known)})"
    return ConfigError(f"{where}: unknown key '{prefix}{key}'{hint}")


class QEUnavailable(TqcheckError):
    """Quality estimation was requested but cannot run; the message says how to fix it."""


class EngineUnavailable(ConfigError):
    """The execution engine asked for (``engine="ray"``) is not installed or cannot be reached; the message says
    how to fix it."""
