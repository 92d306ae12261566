"""Reporters: one module per output format.

Each module has ``render(report, *, color=False, rules=()) -> str``: ``report`` is the
:class:`~rdspolicy.findings.Report`, ``rules`` the :class:`~rdspolicy.rule.Rule` s that
ran (for formats that describe them, such as SARIF).  A new format is one module and
one line in :data:`FORMATS`; the CLI offers every name listed here.
"""

from __future__ import annotations

import importlib

#: format name -> module that renders it (imported only when used)
FORMATS: dict[str, str] = {
    "text": "rdspolicy.report.text",
    "json": "rdspolicy.report.json",
    "html": "rdspolicy.report.html",
    "markdown": "rdspolicy.report.markdown",
}


# Characters that must never reach a terminal or a log raw: C0 and C1 controls (escape
# sequences, carriage return, backspace), DEL, and Unicode bidirectional overrides and
# isolates, which make text display in a different order than it is read.
_UNSAFE = None


def printable(text: str, keep: str = "") -> str:
    """``text`` with every unsafe character written as an escape (``\\x1b``, ``\\n``,
    ``\\u202e``), so that a crafted file or resource name cannot move the cursor,
    recolour the terminal, forge a line of output or hide text.  Characters in ``keep``
    (such as ``"\\n\\t"``) are left as they are."""
    global _UNSAFE
    if _UNSAFE is None:
        import re

        _UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
    text = str(text)
    if not _UNSAFE.search(text):
        return text

    def escape(match) -> str:
        char = match.group()
        if char in keep:  # new lines and tabs of a multi-line text (HTML <pre>)
            return char
        named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
        if named:
            return named
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSAFE.sub(escape, text)


def render(fmt: str, report, *, color: bool = False, rules=()) -> str:
    try:
        module = importlib.import_module(FORMATS[fmt])
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    return module.render(report, color=color, rules=rules)
