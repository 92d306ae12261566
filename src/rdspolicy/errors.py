"""Errors and diagnostics that reach the user.

A :class:`SourceError` is a problem with one input file (it cannot be read or parsed):
that file is skipped, everything else is still checked, and the run exits 2.
A :class:`Diagnostic` is anything worth telling the user that is not a finding:
parse errors, undeclared variables, expressions Terraform would reject.
A :class:`UsageError` is a problem with how rdspolicy was called (exit 2).
"""

from __future__ import annotations

from typing import NamedTuple


class Diagnostic(NamedTuple):
    severity: str  # "error" (the run exits 2) or "warning"
    file: str
    line: int
    column: int
    message: str
    code: str = ""  # a short stable kind, e.g. "parse-error", "undeclared-variable"

    def location(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


class SourceError(Exception):
    """One input file could not be read or parsed."""

    def __init__(self, file: str, line: int, column: int, message: str, code: str = "parse-error"):
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.code = code

    def diagnostic(self) -> Diagnostic:
        return Diagnostic("error", self.file, self.line, self.column, self.message, self.code)


class UsageError(Exception):
    """rdspolicy was called wrongly (a bad option value, a path that does not exist)."""
