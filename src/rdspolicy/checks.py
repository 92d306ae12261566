"""The rules stage: every rule's check over every resource model of an environment.

The rules come configured (:meth:`rdspolicy.config.Config.effective_rules`): each
carries its severity and its parameters, which its check reads from ``ctx.params``."""

from __future__ import annotations

from typing import Mapping

from .errors import Diagnostic
from .findings import Finding, PassedCheck
from .models import Attr, Location, Resource, construct
from .rule import SEVERITIES, Context, Rule, Verdict


def _where(verdict: Verdict, resource: Resource) -> Location:
    at = verdict.at
    if isinstance(at, Attr):
        return at.location
    if isinstance(at, Location):
        return at
    return resource.location


# the types of Finding's and PassedCheck's fields, in their order, as run_rules gives them
_FINDING_TYPES = (str,) * 8 + (int,) * 4 + (str,)
_PASSED_TYPES = (str,) * 5 + (int,)
_FINDING_STATUSES = ("fail", "unknown")
_RULE_RUN = Rule.run


def _finding(values: dict) -> Finding:
    """``Finding(**values)``, without validating values that already are what it would
    check (the built-in rules' always are); anything else (say, a third-party rule's
    verdict with a bad severity or a line that is not an int) is validated as before."""
    if (tuple(map(type, values.values())) == _FINDING_TYPES and values["severity"] in SEVERITIES
            and values["status"] in _FINDING_STATUSES):
        return construct(Finding, **values)
    return Finding(**values)


def _passed(values: dict) -> PassedCheck:
    """``PassedCheck(**values)``, likewise."""
    if tuple(map(type, values.values())) == _PASSED_TYPES:
        return construct(PassedCheck, **values)
    return PassedCheck(**values)


def run_rules(
    rules: list[Rule],
    resources: list[Resource],
    environment: str,
    is_production: bool,
    module: str,
    debug: bool = False,
    passes: list[PassedCheck] | None = None,
    declared_in: Mapping[str, object] | None = None,
    as_of: str | None = None,
) -> tuple[list[Finding], int, list[Diagnostic]]:
    """Findings (fail and unknown verdicts), the number of passing verdicts, and a
    diagnostic for each rule that crashed; each passing verdict is also appended to
    ``passes`` when it is given.  A configured severity (``rule.severity_configured``)
    replaces the severity a check grades a verdict with.  ``declared_in`` (resource
    address -> its module instance's declarations) and ``as_of`` are for the Context."""
    ctx = Context(environment, is_production, resources, None, declared_in, as_of)
    findings: list[Finding] = []
    diagnostics: list[Diagnostic] = []
    passed = 0
    by_type: dict[str, list[Resource]] = {}
    for resource in resources:
        by_type.setdefault(resource.type, []).append(resource)
    for rule in rules:
        # Rule.run only yields from check: called directly unless a subclass has its own
        run = rule.check if type(rule).run is _RULE_RUN else rule.run
        ctx.params = rule.params  # each rule's own: two rules may have parameters of one name
        fixed_severity = rule.severity if rule.severity_configured else None
        for type_ in rule.resource_types:
            for resource in by_type.get(type_, ()):
                try:
                    verdicts = list(run(resource, ctx))
                except Exception as exc:
                    if debug:
                        raise
                    diagnostics.append(Diagnostic(
                        "error", resource.file, resource.location.line, resource.location.column,
                        f"rule {rule.id} ({rule.name}) crashed on {resource.address}: "
                        f"{type(exc).__name__}: {exc}", "rule-error",
                    ))
                    continue
                for verdict in verdicts:
                    if verdict.status == "pass":
                        passed += 1
                        if passes is not None:
                            at = _where(verdict, resource)
                            passes.append(_passed({"rule": rule.id, "resource": resource.address,
                                                   "environment": environment, "module": module,
                                                   "file": at.file, "line": at.line}))
                        continue
                    where = _where(verdict, resource)
                    message = verdict.message
                    if resource.existence:
                        message += f" (if {resource.address} exists: {resource.existence})"
                    findings.append(_finding({
                        "rule": rule.id, "name": rule.name,
                        "severity": fixed_severity or verdict.severity or rule.severity,
                        "status": verdict.status, "resource": resource.address, "environment": environment,
                        "module": module, "file": where.file, "line": where.line, "column": where.column,
                        "end_line": where.end_line, "end_column": where.end_column, "message": message,
                    }))
    return findings, passed, diagnostics
