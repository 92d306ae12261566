"""The check pipeline, one way: discover -> parse -> evaluate -> models -> rules.

Each stage takes the previous stage's output; none reaches back.  The CLI calls
:func:`check` and hands the :class:`~rdspolicy.findings.Report` to a reporter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import syntax as S
from .discover import discover
from .engine import DEFAULT_PARAMS, run_rules
from .errors import Diagnostic, SourceError
from .evaluate import Settings, evaluate_module
from .findings import EnvironmentInfo, Finding, Report
from .models import build_model
from .parse import parse_expression, parse_file
from .redact import Secrets
from .rule import Rule


@dataclass
class Options:
    paths: list[str]
    settings: Settings = field(default_factory=Settings)
    params: dict = field(default_factory=lambda: dict(DEFAULT_PARAMS))
    debug: bool = False


def _parse_all(paths: list[str], diagnostics: list[Diagnostic]) -> list[S.File]:
    files = []
    for path in paths:
        try:
            files.append(parse_file(path))
        except SourceError as exc:
            diagnostics.append(exc.diagnostic())
    return files


def check(options: Options, rules: list[Rule]) -> Report:
    diagnostics: list[Diagnostic] = []
    modules, found = discover(options.paths)
    diagnostics += found
    findings: list[Finding] = []
    environments: list[EnvironmentInfo] = []
    passed = 0
    settings = options.settings
    secrets = Secrets()
    for module in modules:
        files = _parse_all(module.tf_files, diagnostics)
        var_files: list[S.File] = []

        def parse_recording(path: str) -> S.File:
            file = parse_file(path)
            var_files.append(file)  # only var-files are parsed through here
            return file

        result = evaluate_module(
            module.path, files, module.auto_var_files, module.env_var_files, settings,
            parse_recording, parse_expression,
        )
        diagnostics += result.diagnostics
        secrets.add_module(result, var_files, settings)
        for env in result.environments:
            models = [build_model(instance, env.name) for instance in env.instances]
            environments.append(EnvironmentInfo(
                module=module.path, name=env.name, production=env.is_production,
                var_files=env.var_files, resources=len(models),
            ))
            env_findings, env_passed, rule_errors = run_rules(
                rules, models, env.name, env.is_production, module.path, options.params, options.debug,
            )
            findings += env_findings
            passed += env_passed
            diagnostics += rule_errors
    findings.sort(key=Finding.sort_key)
    findings, diagnostics = secrets.scrub_report(findings, diagnostics)
    seen: dict[Diagnostic, None] = {}
    for diag in diagnostics:
        seen.setdefault(diag, None)
    return Report(findings=findings, environments=environments, diagnostics=list(seen),
                  rules=[r.id for r in rules], passed=passed)
