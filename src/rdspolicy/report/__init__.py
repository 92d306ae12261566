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


def render(fmt: str, report, *, color: bool = False, rules=(), **options) -> str:
    try:
        module = importlib.import_module(FORMATS[fmt])
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    accepted = inspect.signature(module.render).parameters
    wanted = {name: value for name, value in options.items() if name in accepted}
    return module.render(report, color=color, rules=rules, **wanted)
