"""What a check run produces: findings, the environments evaluated, diagnostics."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from .errors import Diagnostic


class Finding(BaseModel):
    rule: str  # RDS001
    name: str  # storage-encrypted
    severity: Literal["critical", "high", "medium", "low"]
    status: Literal["fail", "unknown"]
    resource: str  # Terraform address, e.g. aws_db_instance.pacs_read_replica[0]
    environment: str
    module: str  # the module folder
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str

    def sort_key(self):
        return (self.file, self.line, self.column, self.rule, self.environment, self.resource)


class EnvironmentInfo(BaseModel):
    module: str
    name: str
    production: bool
    var_files: list[str]
    resources: int


class Report(BaseModel):
    findings: list[Finding]
    environments: list[EnvironmentInfo]
    diagnostics: list[Diagnostic]
    rules: list[str]
    passed: int = 0  # checks that passed

    @property
    def failed(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "fail"]

    @property
    def unknown(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "unknown"]

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)
