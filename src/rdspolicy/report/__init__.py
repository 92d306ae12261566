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


def render(fmt: str, report, *, color: bool = False, rules=()) -> str:
    try:
        module = importlib.import_module(FORMATS[fmt])
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    return module.render(report, color=color, rules=rules)
