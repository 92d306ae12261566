"""What a check run produces: findings, the environments evaluated, diagnostics."""


from typing import Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr

from .errors import Diagnostic

# pydantic builds a model's validator and serializer when one is first needed, not when
# this module is imported (a text report of a clean run needs neither)
_LAZY = ConfigDict(defer_build=True)


# diagnostic codes of code that is not evaluated at all: a module that is not fetched
# (Terraform's or a Terragrunt unit's), a folder of files rdspolicy does not read
NOT_EVALUATED = frozenset({"module-not-evaluated", "files-not-read"})


class Suppression(BaseModel):
    """Why a finding does not count: an inline ``# rdspolicy:ignore`` comment
    (``kind`` "inSource") or a baseline entry ("external"), with its justification."""

    model_config = _LAZY

    kind: Literal["inSource", "external"]
    reason: str
    until: str | None = None  # ISO date after which it no longer applies
    file: str | None = None  # where the suppression is written
    line: int | None = None


class Finding(BaseModel):
    model_config = _LAZY
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
    suppression: Suppression | None = None  # set when the finding is suppressed

    def sort_key(self):
        return (self.file, self.line, self.column, self.rule, self.environment, self.resource)


class PassedCheck(BaseModel):
    """A verdict that passed: what a JUnit report counts as a passing test case."""
    model_config = _LAZY

    rule: str
    resource: str
    environment: str
    module: str
    file: str
    line: int


class Fixed(BaseModel):
    """A finding recorded in the baseline (``--baseline``) that no longer occurs."""
    model_config = _LAZY

    rule: str
    file: str
    resource: str
    environment: str
    count: int = 1


class EnvironmentInfo(BaseModel):
    model_config = _LAZY
    module: str
    name: str
    production: bool
    var_files: list[str]
    resources: int
    # where the environment comes from, "kind: detail": "var-file: environments/prod.tfvars"
    # (several files: in the order they apply, comma-separated), "folder: live/prod", "workspace: prod (terraform.tfstate.d)",
    # "terragrunt: live/prod/db/terragrunt.hcl", "--var-file: ...", "plan: plan.json", "defaults"
    source: str = "defaults"


class Report(BaseModel):
    model_config = _LAZY
    findings: list[Finding]
    environments: list[EnvironmentInfo]
    diagnostics: list[Diagnostic]
    rules: list[str]
    passed: int = 0  # checks that passed
    passed_checks: list[PassedCheck] = []  # the same checks, one entry each
    framework: str | None = None  # --framework: reports show only its controls
    fixed: list[Fixed] = []  # baseline findings that no longer occur (--baseline)
    # the run's secret values (redact.Secrets), never serialized: scrub() removes them
    # from text a reporter adds itself, such as source excerpts
    _secrets: object | None = PrivateAttr(default=None)

    def keep_secrets(self, secrets) -> None:
        """The run's secret values (a ``redact.Secrets``), for :meth:`scrub`."""
        self._secrets = secrets

    def scrub(self, text: str) -> str:
        return self._secrets.scrub(text) if self._secrets is not None else text

    @property
    def failed(self) -> list[Finding]:
        """Failing findings that are not suppressed."""
        return [f for f in self.findings if f.status == "fail" and f.suppression is None]

    @property
    def unknown(self) -> list[Finding]:
        """Unknown verdicts that are not suppressed."""
        return [f for f in self.findings if f.status == "unknown" and f.suppression is None]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.suppression is not None]

    @property
    def not_evaluated(self) -> list[Diagnostic]:
        """The warnings about code that is not evaluated at all (``--unknown fail`` fails on them)."""
        return [d for d in self.diagnostics if d.severity == "warning" and d.code in NOT_EVALUATED]

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        """The diagnostics that make the exit status 2."""
        return [d for d in self.diagnostics if d.severity == "error"]
