"""Source lines for the reports that show code (the HTML report's excerpts, the text
report's code frames): read once per file, with the run's secret values removed and
string literals of arguments named like secrets redacted."""

from __future__ import annotations

import os
import re

MAX_SOURCE_BYTES = 4 * 1024 * 1024  # larger files are not excerpted

# a string literal given to an argument whose name says it is a secret: not copied
# into a report that may be shared
_SECRET = re.compile(
    r'^(\s*"?[A-Za-z0-9_-]*(?:password|passwd|secret|token|private_key)[A-Za-z0-9_-]*"?\s*[=:]\s*)"(?:[^"\\]|\\.)*"',
    re.I,
)


def redact(line: str) -> str:
    """A source line with a literal secret shown as ``"(redacted)"``."""
    return _SECRET.sub(r'\1"(redacted)"', line)


class Sources:
    """Source lines read once per file (relative paths are taken from the working
    directory, as the findings print them)."""

    def __init__(self, scrub=None) -> None:
        self._lines: dict[str, list[str] | None] = {}
        self._scrub = scrub  # removes the run's secret values (Report.scrub)

    def lines(self, path: str) -> list[str] | None:
        if path not in self._lines:
            try:
                if os.path.getsize(path) > MAX_SOURCE_BYTES:
                    raise OSError("too large")
                with open(path, encoding="utf-8", errors="replace") as handle:
                    lines = handle.read().splitlines()
                self._lines[path] = [self._scrub(line) for line in lines] if self._scrub else lines
            except (OSError, ValueError):
                self._lines[path] = None
        return self._lines[path]
