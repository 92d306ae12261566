"""Run rules in a test: for rule-pack authors (and rdspolicy's own tests).

:func:`check_hcl` checks Terraform given as text, :func:`check` a folder or files on
disk, both through the same pipeline as ``rdspolicy check``; each returns a
:class:`Result` whose verdicts (:class:`Verdict`) a test asserts on::

    from rdspolicy.testing import check_hcl
    from my_pack.tags import RULE

    def test_a_database_without_tags_fails():
        result = check_hcl('resource "aws_db_instance" "db" {\\n  engine = "postgres"\\n}\\n', RULE)
        assert [(v.rule, v.status, v.line) for v in result.findings] == [("ACME001", "fail", 1)]

A run whose input has an error (a syntax error in the test's Terraform, a value of the
wrong type, a rule that raised) raises :class:`RunError` instead of returning a result
that would make an assertion about "no findings" pass; ``allow_errors=True`` returns it
(its ``diagnostics`` say what went wrong).  Nothing here imports pytest.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any, Iterable, Mapping, NamedTuple, Sequence, Union

from .config import Config, ConfigError, RawFile, Setting, resolve_rules
from .errors import Diagnostic
from .evaluate import Settings
from .findings import Report
from .pipeline import Options
from .pipeline import check as run_pipeline
from .rule import Rule

__all__ = ["Result", "RunError", "Verdict", "check", "check_hcl"]

PathLike = Union[str, "os.PathLike[str]"]


class Verdict(NamedTuple):
    """One verdict of one rule on one resource instance in one environment."""

    rule: str  # the rule's id, "ACME001"
    status: str  # "pass", "fail" or "unknown"
    resource: str  # the instance's address, aws_db_instance.db[0]
    environment: str  # "default" without var-files
    file: str  # where the verdict points; for check_hcl relative to its folder ("main.tf")
    line: int
    message: str = ""  # empty for "pass"
    severity: str | None = None  # the finding's severity; None for "pass"


class Result:
    """What one run gave."""

    def __init__(self, verdicts: list[Verdict], suppressed: list[Verdict], report: Report) -> None:
        #: every verdict not suppressed (passes too), by file, line, rule, environment, resource
        self.verdicts = verdicts
        #: the findings an inline ``# rdspolicy:ignore`` comment suppressed
        self.suppressed = suppressed
        #: the whole report, as reporters get it (environments, passed checks, ...)
        self.report = report

    @property
    def findings(self) -> list[Verdict]:
        """The verdicts that are findings: "fail" and "unknown"."""
        return [v for v in self.verdicts if v.status != "pass"]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Problems with the input (errors and warnings), as ``rdspolicy check`` reports them."""
        return list(self.report.diagnostics)

    def __repr__(self) -> str:
        return f"Result(verdicts={self.verdicts!r}, diagnostics={self.diagnostics!r})"


class RunError(AssertionError):
    """The run reported errors: the input could not be checked as written."""


def check_hcl(
    hcl: str | Mapping[str, str],
    rules: Rule | Iterable[Rule],
    *,
    config: Mapping[str, Mapping[str, Any]] | None = None,
    var_files: Sequence[str] = (),
    environment: str | None = None,
    as_of: str | None = None,
    allow_errors: bool = False,
) -> Result:
    """Check Terraform given as text: one ``main.tf``, or ``{relative path: text}`` for
    several files (``{"main.tf": ..., "envs/production.tfvars": ...}``: a var-file in
    ``envs/`` is one environment, as in a real repository).  The files are written to a
    temporary folder, which is checked and removed; a verdict's ``file`` is relative to
    it, and so are ``var_files``.  The other arguments are :func:`check`'s."""
    files = {"main.tf": hcl} if isinstance(hcl, str) else dict(hcl)
    with tempfile.TemporaryDirectory(prefix="rdspolicy-testing-") as folder:
        folder = os.path.realpath(folder)
        for name, text in files.items():
            path = os.path.join(folder, name)
            if os.path.isabs(name) or not os.path.realpath(path).startswith(folder + os.sep):
                raise ValueError(f"{name!r}: give a path relative to the module folder")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        return _run([folder], rules, config, [os.path.join(folder, name) for name in var_files], environment,
                    as_of, allow_errors, root=folder)


def check(
    paths: PathLike | Sequence[PathLike],
    rules: Rule | Iterable[Rule],
    *,
    config: Mapping[str, Mapping[str, Any]] | None = None,
    var_files: Sequence[PathLike] = (),
    environment: str | None = None,
    as_of: str | None = None,
    allow_errors: bool = False,
) -> Result:
    """Check folders or files (``.tf`` files, module folders, ``terraform show -json``
    plans) with ``rules``, as ``rdspolicy check PATH...`` would.

    - ``rules``: a :class:`~rdspolicy.rule.Rule` or several (a pack's
      ``rdspolicy_rules()``); each runs, an opt-in rule too.
    - ``config``: the rule blocks of a configuration, ``{rule id or name: {key: value}}``
      as ``rule "ID" { key = value }`` sets them: parameters, ``severity``, ``enabled``.
      A key the rule does not take, or a value of the wrong type, is a ``ValueError``.
    - ``var_files``: one environment from these files (``--var-file``); without them each
      environment file found beside the module is one environment.
    - ``environment``: its name (``--environment``); ``as_of``: the date rules judge
      support dates on (``--as-of 2026-11-27``), else today.
    - ``allow_errors``: return a run that reported errors instead of raising
      :class:`RunError`.

    Variables are never read from the caller's ``TF_VAR_*``; nothing is cached.  A
    verdict's ``file`` is as reports show it: relative to the current folder when under it.
    """
    path_list = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    return _run([os.fspath(p) for p in path_list], rules, config, [os.fspath(p) for p in var_files],
                environment, as_of, allow_errors, root=None)


def _run(paths: list[str], rules: Rule | Iterable[Rule], config: Mapping[str, Mapping[str, Any]] | None,
         var_files: list[str], environment: str | None, as_of: str | None, allow_errors: bool,
         root: str | None) -> Result:
    """The run; ``root``: check_hcl's folder (file functions read inside it; verdicts'
    files are relative to it), else the current folder, as for ``rdspolicy check``."""
    rule_list = [rules] if isinstance(rules, Rule) else list(rules)
    configuration = _configuration(config or {}, rule_list)
    # each rule given runs (an opt-in one too, as --select runs it) unless config turns it off
    turned_off = {rule for rule, block in configuration.rules.items()
                  if "enabled" in block and block["enabled"].value is False}
    running = [r if r.enabled else r.configured(enabled=True) for r in configuration.effective_rules(rule_list)
               if r.id not in turned_off]
    settings = Settings(var_files=var_files, environment=environment, env={}, root_dir=root or os.getcwd())
    options = Options(paths=paths, settings=settings, cache=False, jobs=1, as_of=as_of)
    report = run_pipeline(options, running)
    if report.has_errors and not allow_errors:
        raise RunError("the run reported errors (pass allow_errors=True to get them as diagnostics):\n"
                       + "\n".join(f"  {_shown(d.file, root)}:{d.line}:{d.column}: {d.message}"
                                   for d in report.errors))
    verdicts, suppressed = [], []
    for finding in report.findings:
        verdict = Verdict(finding.rule, finding.status, finding.resource, finding.environment,
                          _shown(finding.file, root), finding.line, finding.message, finding.severity)
        (verdicts if finding.suppression is None else suppressed).append(verdict)
    verdicts += [Verdict(p.rule, "pass", p.resource, p.environment, _shown(p.file, root), p.line)
                 for p in report.passed_checks]
    verdicts.sort(key=lambda v: (v.file, v.line, v.rule, v.environment, v.resource, v.status))
    return Result(verdicts, suppressed, report)


def _configuration(blocks: Mapping[str, Mapping[str, Any]], rules: list[Rule]) -> Config:
    """The rule blocks, checked against the rules as a configuration file's are."""
    written = {rule: {key: Setting(value, "config") for key, value in block.items()}
               for rule, block in blocks.items()}
    configuration = Config({}, {}, [RawFile("config", trusted=True, rules=written)])
    try:
        resolve_rules(configuration, rules)
    except ConfigError as exc:
        raise ValueError(str(exc)) from None
    return configuration


def _shown(file: str, root: str | None) -> str:
    """A file as a verdict names it: relative to ``root`` (check_hcl's folder) when given."""
    absolute = os.path.abspath(file)
    if root is None or not absolute.startswith(root + os.sep):
        return file
    return os.path.relpath(absolute, root).replace(os.sep, "/")
