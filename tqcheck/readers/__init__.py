"""Readers: files in, :class:`~tqcheck.types.Document` out, text exactly as decoded."""

from tqcheck.readers.paths import langs_from_name
from tqcheck.readers.text import decode_bytes, read_document

__all__ = ["decode_bytes", "langs_from_name", "read_document"]
