"""The exception hierarchy. Non-fatal trouble is a :class:`kg.records.Problem`, not an exception."""

from __future__ import annotations


class KgError(Exception):
    """Base of every error kg raises on purpose."""


class ReadError(KgError):
    """A file could not be read or decoded. ``code`` is the problem code for the report."""

    def __init__(self, message: str, *, code: str = "read.error", path: str = "", line: int | None = None):
        super().__init__(message)
        self.code = code
        self.path = path
        self.line = line


class ParseError(KgError):
    """A decoded document has no usable article in it."""

    def __init__(self, message: str, *, code: str = "parse.error", path: str = "", line: int | None = None):
        super().__init__(message)
        self.code = code
        self.path = path
        self.line = line


class ExportError(KgError):
    """An output could not be written (unwritable folder, full disk …)."""


class ValidationError(KgError):
    """Output does not conform to the shapes or schemas."""
