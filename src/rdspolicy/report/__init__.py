"""Reporters: one module per output format.

Each module has ``render(report, *, color=False, rules=()) -> str``: ``report`` is the
:class:`~rdspolicy.findings.Report`, ``rules`` the :class:`~rdspolicy.rule.Rule` s that
ran (for formats that describe them, such as SARIF).  A new format is one module and
one line in :data:`FORMATS`; the CLI offers every name listed here.

A reporter may also take keyword options from the command line: ``root`` (the folder
that repository-relative paths are relative to: ``--root``) and ``automation_id``
(``--automation-id``).  :func:`render` passes each option only to reporters whose
``render`` names it, so a reporter that needs none keeps the short signature.
"""

from __future__ import annotations

import importlib
import inspect

#: format name -> module that renders it (imported only when used)
FORMATS: dict[str, str] = {
    "text": "rdspolicy.report.text",
    "json": "rdspolicy.report.json",
    "sarif": "rdspolicy.report.sarif",
    "junit": "rdspolicy.report.junit",
    "github": "rdspolicy.report.github",
    "gitlab": "rdspolicy.report.gitlab",
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


_JSON_UNSAFE = None


def dumps(data) -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False)``, the same text, several times
    faster: with ``indent`` the standard library encodes in Python generators, one per
    level; here strings are escaped by its C encoder and the rest is joined directly.
    Anything but dicts with string keys, lists, strings, ints, bools and None is left to
    ``json.dumps`` itself (tests/test_ci_reports.py compares the two)."""
    import json

    return _dump(data, "\n", json.encoder.encode_basestring, json.dumps)


_KEYS: dict[str, str] = {}  # a dict key -> its escaped text and ": "


def _dump(value, newline: str, string, slow) -> str:
    kind = type(value)
    if kind is str:
        return string(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    inner = newline + "  "
    if kind is dict:
        if not value:
            return "{}"
        parts = []
        for key, item in value.items():
            if type(key) is not str:
                break
            # the keys repeat (every finding has the same): each escaped once
            written = _KEYS.get(key)
            if written is None:
                written = string(key) + ": "
                if len(_KEYS) < 4096:
                    _KEYS[key] = written
            # strings, ints and nulls (most values of a report) written here, without a call
            kind = type(item)
            if kind is str:
                parts.append(written + string(item))
            elif kind is int:
                parts.append(written + int.__repr__(item))
            elif item is None:
                parts.append(written + "null")
            else:
                parts.append(written + _dump(item, inner, string, slow))
        else:
            return "{" + inner + ("," + inner).join(parts) + newline + "}"
    elif kind is list or kind is tuple:
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join([_dump(item, inner, string, slow) for item in value]) + newline + "]"
    # floats, other keys, other types: as the standard library writes them at this depth
    return slow(value, indent=2, ensure_ascii=False).replace("\n", newline)


def json_safe(text: str) -> str:
    """Serialized JSON with DEL, C1 controls and bidirectional overrides written as
    ``\\uXXXX`` escapes too (JSON escapes only C0 controls), so that the report is safe
    to print on a terminal; the data is unchanged."""
    global _JSON_UNSAFE
    if _JSON_UNSAFE is None:
        import re

        _JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render(fmt: str, report, *, color: bool = False, rules=(), **options) -> str:
    try:
        module = importlib.import_module(FORMATS[fmt])
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    accepted = inspect.signature(module.render).parameters
    wanted = {name: value for name, value in options.items() if name in accepted}
    return module.render(report, color=color, rules=rules, **wanted)
