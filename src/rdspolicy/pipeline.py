"""The check pipeline, one way: discover -> parse -> evaluate -> models -> rules.

Each stage takes the previous stage's output; none reaches back.  The CLI calls
:func:`check` and hands the :class:`~rdspolicy.findings.Report` to a reporter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import syntax as S
from .cache import ParseCache, Parser
from .discover import discover
from .engine import DEFAULT_PARAMS, run_rules
from .errors import Diagnostic, SourceError
from .evaluate import Settings, evaluate_module
from .findings import EnvironmentInfo, Finding, Report
from .models import build_model
from .parse import cache_dir, parse_expression, parse_file
from .rule import Rule


@dataclass
class Options:
    paths: list[str]
    settings: Settings = field(default_factory=Settings)
    params: dict = field(default_factory=lambda: dict(DEFAULT_PARAMS))
    debug: bool = False
    cache: bool = True  # the parse cache (--no-cache turns it off)
    jobs: int | None = None  # parse workers (--jobs); None: one per core


def _parse_all(paths: list[str], diagnostics: list[Diagnostic], parse=parse_file) -> list[S.File]:
    files = []
    for path in paths:
        try:
            files.append(parse(path))
        except SourceError as exc:
            diagnostics.append(exc.diagnostic())
    return files


def check(options: Options, rules: list[Rule]) -> Report:
    diagnostics: list[Diagnostic] = []
    modules, found = discover(options.paths)
    diagnostics += found
    settings = options.settings
    parser = Parser(ParseCache(cache_dir()) if options.cache else None, options.jobs)
    # every file of every module first, so that the cache misses are parsed together
    # (in parallel when worthwhile); each file is parsed once, however many environments
    wanted = list(settings.var_files)
    for module in modules:
        wanted += module.tf_files + module.auto_var_files + ([] if settings.var_files else module.env_var_files)
    parser.prepare(wanted)
    findings: list[Finding] = []
    environments: list[EnvironmentInfo] = []
    passed = 0
    for module in modules:
        files = _parse_all(module.tf_files, diagnostics, parser.parse)
        result = evaluate_module(
            module.path, files, module.auto_var_files, module.env_var_files, settings,
            parser.parse, parse_expression,
        )
        parser.release(module.tf_files + module.auto_var_files + module.env_var_files)
        diagnostics += result.diagnostics
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
    seen: dict[Diagnostic, None] = {}
    for diag in diagnostics:
        seen.setdefault(diag, None)
    return Report(findings=findings, environments=environments, diagnostics=list(seen),
                  rules=[r.id for r in rules], passed=passed)
