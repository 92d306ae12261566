"""``--format junit``: JUnit XML for Jenkins, GitLab and other CI test reports.

One ``testsuite`` per rule that ran, one ``testcase`` per rule x resource x
environment that the rule judged: it fails (``failure``, with every failing verdict)
when the rule failed there, is ``skipped`` when its verdicts were only unknown or
suppressed, and passes otherwise.  Errors (a file that cannot be parsed, a path that
does not exist, a misspelt rule) are test cases with an ``error`` in a last suite named
``rdspolicy``, so a report is always written and always says what went wrong.
``classname`` is ``rdspolicy.RULE`` and ``name`` ``ADDRESS [ENVIRONMENT]`` (with the
module folder when several modules were checked); ``file`` and ``line`` point at the
finding, relative to ``--root``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from . import printable
from .common import Paths


def _case_name(resource: str, environment: str, module: str, several_modules: bool) -> str:
    name = f"{resource} [{environment}]"
    return f"{module}: {name}" if several_modules else name


def render(report, *, color: bool = False, rules=(), root: str | None = None) -> str:
    paths = Paths(root)
    names = {r.id: r.name for r in rules}
    several = len({e.module for e in report.environments}) > 1
    # (rule, module, environment, resource) -> {"file", "line", "fail": [...], "other": [...]}
    cases: dict[tuple, dict] = {}

    def case(rule, module, environment, resource, file, line) -> dict:
        key = (rule, module, environment, resource)
        if key not in cases:
            cases[key] = {"file": file, "line": line, "fail": [], "other": []}
        return cases[key]

    for f in report.findings:
        c = case(f.rule, f.module, f.environment, f.resource, f.file, f.line)
        counts = f.status == "fail" and f.suppression is None
        if counts and not c["fail"]:
            c["file"], c["line"] = f.file, f.line  # point at the first failure
        c["fail" if counts else "other"].append(f)
    for p in report.passed_checks:
        case(p.rule, p.module, p.environment, p.resource, p.file, p.line)

    suites = ET.Element("testsuites", name="rdspolicy")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    order = list(dict.fromkeys([*report.rules, *(k[0] for k in cases)]))
    for rule_id in order:
        keys = sorted(k for k in cases if k[0] == rule_id)
        title = f"{rule_id} {names[rule_id]}" if rule_id in names else rule_id
        suite = ET.SubElement(suites, "testsuite", name=title)
        counts = {"tests": len(keys), "failures": 0, "errors": 0, "skipped": 0}
        for key in keys:
            _, module, environment, resource = key
            c = cases[key]
            element = ET.SubElement(
                suite, "testcase", classname=f"rdspolicy.{rule_id}",
                name=_case_name(resource, environment, paths.show(module), several),
                file=paths.show(c["file"]), line=str(c["line"]),
            )
            if c["fail"]:
                counts["failures"] += 1
                first = c["fail"][0]
                failure = ET.SubElement(element, "failure", message=first.message, type=first.severity)
                failure.text = "\n".join(  # one line each: a new line in a value is escaped
                    printable(f"{paths.show(f.file)}:{f.line}:{f.column}: {f.rule} {f.name} [{f.severity}] "
                              f"{f.resource} ({f.environment}): {f.message}") for f in c["fail"]
                ) + "\n"
            elif c["other"]:
                counts["skipped"] += 1
                f = c["other"][0]
                if f.suppression is not None:
                    why = f"suppressed ({f.suppression.kind}): {f.suppression.reason}"
                else:
                    why = f"unknown: {f.message}"
                ET.SubElement(element, "skipped", message=why)
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
    errors = report.errors
    if errors:
        suite = ET.SubElement(suites, "testsuite", name="rdspolicy", tests=str(len(errors)),
                              failures="0", errors=str(len(errors)), skipped="0")
        for d in errors:
            where = paths.show(d.file)
            element = ET.SubElement(suite, "testcase", classname="rdspolicy", name=f"{d.code or 'error'}: {where}",
                                    file=where, line=str(d.line))
            ET.SubElement(element, "error", message=d.message, type=d.code or "error").text = printable(
                f"{where}{f':{d.line}:{d.column}' if d.line else ''}: error: {d.message}") + "\n"
        totals["tests"] += len(errors)
        totals["errors"] += len(errors)
    for k, v in totals.items():
        suites.set(k, str(v))
    ET.indent(suites)
    # control characters are not allowed in XML 1.0 and obeyed by terminals: written as
    # escapes (report.printable); they cannot be part of the markup itself
    xml = printable(ET.tostring(suites, encoding="unicode"), keep="\n\t")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n"
