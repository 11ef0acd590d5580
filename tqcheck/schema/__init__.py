"""The JSON Schema (draft 2020-12) of the JSON and JSONL reports, shipped as ``report.schema.json``.

The schema is the report contract's documentation (every property is described) and its guard: it is strict
(closed objects everywhere), so a key added to the report without the schema fails the tests.

``jsonschema`` is imported only by the ``validate_*`` functions.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

SCHEMA_FILE = "report.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


@lru_cache(maxsize=1)
def schema_text() -> str:
    """The shipped schema file, verbatim."""
    return resources.files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def report_schema() -> dict[str, Any]:
    """The schema of a whole JSON report (a fresh copy: callers may change it)."""
    return json.loads(schema_text())


def definition_schema(name: str) -> dict[str, Any]:
    """The ``$defs`` entry ``name`` as a standalone schema (it carries every ``$defs`` its references need).

    Raises:
        KeyError: the schema defines no ``name``.
    """
    full = report_schema()
    defs = full["$defs"]
    definition = defs[name]
    return {
        "$schema": DRAFT,
        "title": f"{full['title']}: {name}",
        "description": definition["description"],
        "$ref": f"#/$defs/{name}",
        "$defs": defs,
    }


def document_schema() -> dict[str, Any]:
    """The schema of one document entry (``documents[i]`` of the JSON report)."""
    return definition_schema("document")


@lru_cache(maxsize=16)
def _validator(name: str | None) -> Validator:
    from jsonschema import Draft202012Validator

    schema = report_schema() if name is None else definition_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _validate(name: str | None, obj: object) -> None:
    from jsonschema.exceptions import best_match

    # best_match looks inside oneOf/anyOf: "'x' is not one of [...]" rather than "not valid under any of".
    error = best_match(_validator(name).iter_errors(obj))
    if error is not None:
        raise error


def validate_report(obj: object) -> None:
    """Check a parsed JSON report.

    Raises:
        jsonschema.ValidationError: the first (most relevant) violation.
    """
    _validate(None, obj)


def validate_document(obj: object) -> None:
    """Check one parsed document entry of a JSON report.

    Raises:
        jsonschema.ValidationError: the first (most relevant) violation.
    """
    _validate("document", obj)


def validate_jsonl_line(obj: object) -> None:
    """Check one parsed line of a JSONL report (a document, error or summary line, told apart by ``type``).

    Raises:
        jsonschema.ValidationError: the first (most relevant) violation.
    """
    _validate("jsonl_line", obj)


__all__ = [
    "definition_schema",
    "document_schema",
    "report_schema",
    "schema_text",
    "validate_document",
    "validate_jsonl_line",
    "validate_report",
]
