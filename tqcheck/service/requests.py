"""What a request may ask for, validated before any work: the texts, the languages and the CLI's options.

The models double as the API's documentation (``/docs``). Every mistake becomes a :class:`RequestProblem`
that the app turns into a 4xx answer with the CLI's error objects (``errors[]``: path, kind, message).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tqcheck.readers.paths import primary_lang

SEVERITIES = ("info", "minor", "major", "critical")


class RequestProblem(Exception):
    """A request the service cannot take: ``status`` is the HTTP status, ``kind`` the error kind."""

    def __init__(self, status: int, kind: str, message: str, *, where: str = "<request>") -> None:
        super().__init__(message)
        self.status, self.kind, self.message, self.where = status, kind, message, where

    def errors(self) -> dict[str, Any]:
        return {"errors": [{"path": self.where, "kind": self.kind, "message": self.message}]}


class CheckOptions(BaseModel):
    """The options of ``tqcheck check`` a request may set; the server's configuration gives the rest."""

    model_config = ConfigDict(extra="forbid")

    select: list[str] | None = Field(None, description="Only these rules: codes, code prefixes or names.")
    ignore: list[str] | None = Field(None, description="Skip these rules: codes, code prefixes or names.")
    severity: dict[str, Literal["info", "minor", "major", "critical"]] | None = Field(
        None, description="A rule's severity, e.g. {\"TQ403\": \"info\"}.")
    fail_under: float | None = Field(None, ge=0, le=100, description="Gate: fail a score below this.")
    fail_on: Literal["info", "minor", "major", "critical", "none"] | None = Field(
        None, description="Gate: fail a document with an issue of this severity or worse.")
    scoring_model: Literal["calibrated", "raw"] | None = Field(None, description="Which MQM score is the score.")
    content_type: str | None = Field(None, description="Route with [routing.content_types.NAME].")
    states: list[str] | None = Field(None, description="Bilingual files: check units in these states only.")
    qe: bool | None = Field(None, description="false: no QE for this request even when the server runs it.")

    def cli_values(self) -> dict[str, Any]:
        """The options as ``configfile.merge`` takes them (the keys of tqcheck.toml)."""
        values: dict[str, Any] = {}
        for key in ("select", "ignore", "fail_under", "fail_on", "content_type", "states"):
            value = getattr(self, key)
            if value is not None:
                values[key] = tuple(value) if isinstance(value, list) else value
        if self.severity is not None:
            values["severity"] = dict(self.severity)
        if self.scoring_model is not None:
            values["scoring"] = {"model": self.scoring_model}
        return values


class CheckRequest(BaseModel):
    """One document to check: a target text, and optionally its source, a reference and the languages."""

    model_config = ConfigDict(extra="forbid")

    target: str = Field(..., description="The translation, as text.")
    source: str | None = Field(None, description="The source text it was translated from.")
    reference: str | None = Field(None, description="A human reference translation: adds BLEU, chrF and TER.")
    src_lang: str | None = Field(None, description="Source language (e.g. zh); default: from the text.")
    tgt_lang: str | None = Field(None, description="Target language (e.g. de); default: detected.")
    name: str | None = Field(None, description="A name for the document in the report, e.g. its file name.")
    options: CheckOptions = Field(default_factory=CheckOptions)


class BatchRequest(BaseModel):
    """Many documents; ``options`` apply to every item that sets none of its own."""

    model_config = ConfigDict(extra="forbid")

    items: list[CheckRequest] = Field(..., min_length=1, description="The documents, answered in this order.")
    options: CheckOptions | None = Field(None, description="Defaults for the items.")


def parse(model: type[BaseModel], data: object) -> Any:
    """``data`` as ``model``; a mismatch becomes one 422 problem naming the field."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
        raise RequestProblem(422, "bad-request", f"{where}: {first['msg']}{more}") from None


def language(tag: str | None, field: str) -> str | None:
    """A language tag's primary subtag; a value that is no language tag is refused."""
    if tag is None:
        return None
    lang = primary_lang(tag)
    if lang is None:
        raise RequestProblem(422, "bad-request", f"{field}: {tag!r} is not a language tag (e.g. de, zh-CN)")
    return lang
