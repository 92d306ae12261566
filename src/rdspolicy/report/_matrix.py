"""The compliance matrix shared by the HTML and Markdown reports: per environment,
one row per control (from ``Rule.controls``; a rule that lists none is a row of its
own, named by its id) and one column per database, each cell the worst outcome of the
checks of that control's rules on that database.

Outcomes, worst first: ``fail`` (a failing finding that is not suppressed),
``unknown``, ``suppressed`` (only suppressed findings), ``pass``; a cell with no
check at all is ``none`` (the control's rules do not apply to that resource).
Checks on resources that are not databases (parameter groups, security groups, KMS
keys) go to one column, "other resources", so that every check is in the matrix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DATABASE_TYPES = ("aws_db_instance", "aws_rds_cluster", "aws_rds_cluster_instance", "aws_rds_global_cluster")
OTHER = "other resources"  # the column of checks on resources that are not databases
STATUSES = ("fail", "unknown", "suppressed", "pass", "none")  # worst first
STATUS_LABELS = {"fail": "fail", "unknown": "unknown", "suppressed": "suppressed", "pass": "pass",
                 "none": "not checked"}
FRAMEWORK_ORDER = ("HIPAA", "FSBP", "CIS")

# module.a.module.b["key"].aws_db_instance.x[0] -> aws_db_instance
_MODULE_PREFIX = re.compile(r'^(?:module\.[A-Za-z0-9_-]+(?:\[(?:"(?:[^"\\]|\\.)*"|[0-9]+)\])?\.)*')


def resource_type(address: str) -> str:
    rest = address[_MODULE_PREFIX.match(address).end():]
    return rest.split(".", 1)[0]


def is_database(address: str) -> bool:
    return resource_type(address) in DATABASE_TYPES


def _natural(text: str) -> list:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


@dataclass
class Row:
    control: str  # "HIPAA 164.312(a)(2)(iv)", or "RDS001 storage-encrypted" for a rule without controls
    framework: str  # "HIPAA", "FSBP", "CIS", another prefix, or "" for a rule's own row
    rules: list[str]  # the ids of the rules mapped to it


@dataclass
class Cell:
    status: str = "none"
    counts: dict[str, int] = field(default_factory=lambda: {"fail": 0, "unknown": 0, "suppressed": 0, "pass": 0})
    outcomes: list[tuple[str, str, str]] = field(default_factory=list)  # (rule, resource, outcome)
    finding: object = None  # the first finding that decides the cell's colour, for a link

    def add(self, rule: str, resource: str, outcome: str, finding=None) -> None:
        self.counts[outcome] += 1
        self.outcomes.append((rule, resource, outcome))
        if STATUSES.index(outcome) < STATUSES.index(self.status):
            self.status = outcome
            self.finding = finding


@dataclass
class EnvironmentMatrix:
    module: str
    name: str
    production: bool
    var_files: list[str]
    columns: list[str]  # database addresses, then OTHER when other resources were checked
    other_resources: list[str]
    rows: list[Row]
    cells: dict[tuple[int, str], Cell]
    findings: list  # all of the environment's findings, suppressed ones too
    passed: int

    def cell(self, row: int, column: str) -> Cell:
        return self.cells.get((row, column)) or Cell()

    def rows_with_findings(self) -> list[int]:
        """The rows where some cell is failing, unknown or suppressed: the controls
        that need a look (a report shows the others on request)."""
        return [index for index in range(len(self.rows))
                if any(self.cell(index, c).status in ("fail", "unknown", "suppressed") for c in self.columns)]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "fail": sum(1 for f in self.findings if outcome(f) == "fail"),
            "unknown": sum(1 for f in self.findings if outcome(f) == "unknown"),
            "suppressed": sum(1 for f in self.findings if outcome(f) == "suppressed"),
            "pass": self.passed,
        }


def totals(report) -> dict[str, int]:
    """The whole report's counts, keyed as :attr:`EnvironmentMatrix.counts`."""
    return {"fail": len(report.failed), "unknown": len(report.unknown),
            "suppressed": len(report.suppressed), "pass": report.passed}


def outcome(finding) -> str:
    return "suppressed" if finding.suppression is not None else finding.status


def control_rows(rule_ids: list[str], rules, framework: str | None = None) -> list[Row]:
    """The matrix rows for the rules that ran: their controls grouped by framework
    (HIPAA, FSBP, CIS, then others), then one row per rule without controls.  With a
    ``framework`` (``--framework hipaa``) only that framework's controls are rows."""
    by_id = {r.id: r for r in rules}
    controls: dict[str, list[str]] = {}
    own: list[Row] = []
    for rule_id in rule_ids:
        rule = by_id.get(rule_id)
        listed = [c for c in (getattr(rule, "controls", ()) or ()) if str(c).strip()]
        if framework:
            listed = [c for c in listed if str(c).split(None, 1)[0].lower() == framework.lower()]
        if not listed:
            name = f" {rule.name}" if rule is not None else ""
            own.append(Row(control=f"{rule_id}{name}", framework="", rules=[rule_id]))
        for control in listed:
            controls.setdefault(str(control).strip(), []).append(rule_id)
    rows = []
    for control, ids in controls.items():
        framework = control.split(None, 1)[0] if " " in control else control
        rows.append(Row(control=control, framework=framework, rules=sorted(set(ids), key=ids.index)))

    def key(row: Row):
        rank = FRAMEWORK_ORDER.index(row.framework) if row.framework in FRAMEWORK_ORDER else len(FRAMEWORK_ORDER)
        return (rank, _natural(row.control))

    return sorted(rows, key=key) + own


def build(report, rules=()) -> list[EnvironmentMatrix]:
    """One matrix per environment of the report, in the report's order."""
    rule_ids = list(report.rules) or sorted({x.rule for x in [*report.findings, *report.passed_checks]})
    for f in report.findings:  # a finding of a rule the report does not list still gets a row
        if f.rule not in rule_ids:
            rule_ids.append(f.rule)
    rows = control_rows(rule_ids, rules, getattr(report, "framework", None))
    rows_of_rule: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        for rule_id in row.rules:
            rows_of_rule.setdefault(rule_id, []).append(index)

    keys = [(e.module, e.name) for e in report.environments]
    info = {(e.module, e.name): e for e in report.environments}
    for item in [*report.findings, *report.passed_checks]:
        if (item.module, item.environment) not in info and (item.module, item.environment) not in keys:
            keys.append((item.module, item.environment))

    matrices = []
    for module, name in keys:
        env = info.get((module, name))
        findings = [f for f in report.findings if f.module == module and f.environment == name]
        checks = [c for c in report.passed_checks if c.module == module and c.environment == name]
        databases: list[str] = []
        others: list[str] = []
        cells: dict[tuple[int, str], Cell] = {}

        def column(address: str) -> str:
            target = databases if is_database(address) else others
            if address not in target:
                target.append(address)
            return address if target is databases else OTHER

        def add(rule: str, address: str, result: str, finding=None) -> None:
            col = column(address)
            for row in rows_of_rule.get(rule, ()):
                cells.setdefault((row, col), Cell()).add(rule, address, result, finding)

        for f in findings:
            add(f.rule, f.resource, outcome(f), f)
        for c in checks:
            add(c.rule, c.resource, "pass")
        columns = sorted(databases, key=lambda a: (DATABASE_TYPES.index(resource_type(a)), _natural(a)))
        if others:
            columns.append(OTHER)
        matrices.append(EnvironmentMatrix(
            module=module, name=name, production=bool(env and env.production),
            var_files=list(env.var_files) if env else [], columns=columns,
            other_resources=sorted(others, key=_natural), rows=rows, cells=cells,
            findings=findings, passed=len(checks),
        ))
    return matrices
