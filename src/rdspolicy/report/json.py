"""``--format json``: the whole report for tools.

Top level: ``version``, ``findings`` (each with ``rule``, ``name``, ``severity``,
``status``, ``resource``, ``environment``, ``module``, ``file``, ``line``, ``column``,
``end_line``, ``end_column``, ``message``, ``suppression``: null, or ``kind``
"inSource"/"external", ``reason``, ``until``, ``file``, ``line``), ``environments``,
``diagnostics``, ``fixed`` (baseline findings no longer found), ``summary``."""

from __future__ import annotations


from .. import __version__
from . import dumps, json_safe


def render(report, *, color: bool = False, rules=()) -> str:
    data = {
        "version": __version__,
        "findings": [f.model_dump() for f in report.findings],
        "environments": [e.model_dump() for e in report.environments],
        "diagnostics": [d._asdict() for d in report.diagnostics],
        "fixed": [x.model_dump() for x in report.fixed],
        "summary": {
            "fail": len(report.failed),
            "unknown": len(report.unknown),
            "suppressed": len(report.suppressed),
            "fixed": sum(x.count for x in report.fixed),
            "passed": report.passed,
            "environments": len(report.environments),
            "errors": len(report.errors),
            "warnings": sum(1 for d in report.diagnostics if d.severity == "warning"),
            "rules": report.rules,
        },
    }
    return json_safe(dumps(data)) + "\n"
