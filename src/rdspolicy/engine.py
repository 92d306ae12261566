"""Rules stage: every rule over every resource model of every environment."""

from __future__ import annotations

from .errors import Diagnostic
from .findings import Finding, PassedCheck
from .models import Attr, Location, Resource, construct
from .rule import SEVERITIES, Context, Rule, Verdict

# the built-in rules' parameters (each rule declares its own in Rule.parameters, where the
# configuration sets them: see config.py)
DEFAULT_PARAMS = {
    # minimum backup_retention_period (days) by environment name, "production", "default" (RDS005)
    "backup_retention_minimum": {"production": 7, "default": 1},
    # private CIDRs broader than this prefix length are findings (RDS006)
    "private_cidr_min_prefix": 16,
    # the PostgreSQL major version required (RDS007)
    "postgres_major": 16,
}


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
    params: dict | None = None,
    debug: bool = False,
    passes: list[PassedCheck] | None = None,
    severities: dict[str, str] | None = None,
    declarations: object = None,
) -> tuple[list[Finding], int, list[Diagnostic]]:
    """Findings (fail and unknown verdicts), the number of passing verdicts, and a
    diagnostic for each rule that crashed; each passing verdict is also appended to
    ``passes`` when it is given.  ``severities`` (rule id -> severity, from the
    configuration) replaces the severity of every finding of that rule.
    ``declarations`` are the module's declarations (variables), for rules that read them."""
    severities = severities or {}
    ctx = Context(environment, is_production, resources, dict(params or DEFAULT_PARAMS), declarations)
    findings: list[Finding] = []
    diagnostics: list[Diagnostic] = []
    passed = 0
    by_type: dict[str, list[Resource]] = {}
    for resource in resources:
        by_type.setdefault(resource.type, []).append(resource)
    for rule in rules:
        # Rule.run only yields from check: called directly unless a subclass has its own
        run = rule.check if type(rule).run is _RULE_RUN else rule.run
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
                        "severity": severities.get(rule.id) or verdict.severity or rule.severity,
                        "status": verdict.status, "resource": resource.address, "environment": environment,
                        "module": module, "file": where.file, "line": where.line, "column": where.column,
                        "end_line": where.end_line, "end_column": where.end_column, "message": message,
                    }))
    return findings, passed, diagnostics
