"""``--format json``: the whole report for tools.

Top level: ``version``, ``findings`` (each with ``rule``, ``name``, ``severity``,
``status``, ``resource``, ``environment``, ``module``, ``file``, ``line``, ``column``,
``end_line``, ``end_column``, ``message``, ``suppression``: null, or ``kind``
"inSource"/"external", ``reason``, ``until``, ``file``, ``line``), ``environments``,
``diagnostics``, ``fixed`` (baseline findings no longer found), ``summary``."""

from __future__ import annotations


from .. import __version__
from . import dumps, json_safe


def fields(model) -> dict:
    """``model.model_dump()`` of the report's models, read from the instance: their
    fields hold plain values or a nested model (a finding's suppression).  Dumping
    built pydantic's serializer of each class, with its validator, which imports
    pydantic's plugin loader and importlib.metadata: about a tenth of a JSON report of
    fixtures/pacs.  tests/test_ci_reports.py compares the two."""
    out = dict(model.__dict__)
    for name, value in out.items():
        if type(value) not in _PLAIN and hasattr(value, "__pydantic_fields__"):
            out[name] = fields(value)
    return out


_PLAIN = frozenset({str, int, bool, float, type(None), list})  # never a model


def render(report, *, color: bool = False, rules=()) -> str:
    data = {
        "version": __version__,
        "findings": [fields(f) for f in report.findings],
        "environments": [fields(e) for e in report.environments],
        "diagnostics": [d._asdict() for d in report.diagnostics],
        "fixed": [fields(x) for x in report.fixed],
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
