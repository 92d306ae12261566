"""Evaluate stage: a parsed module, once per environment.

Environments: with ``--var-file`` given, one environment from those files; otherwise
each ``*.tfvars`` / ``*.tfvars.json`` in the module folder or in a child folder named
``environments``, ``envs``, ``env`` or ``tfvars`` (not ``terraform.tfvars`` or
``*.auto.tfvars``, which always load) is one environment; with none, one environment
from the defaults.  An environment's name is ``--environment``, else the value of a
variable named ``environment``/``env``/``stage``, else the var-file's name, else
``default``.  When a module has several environments, ``--environment NAME`` selects
the one with that name instead (an error when none has it).
"""

from __future__ import annotations

import os
from typing import Any, Callable

from .. import syntax as S
from ..errors import Diagnostic, SourceError
from ..record import Record
from ..redact import is_sensitive_variable
from .functions import FunctionContext
from .inputs import InputValue, convert, load_tfvars, parse_cli_var, raw_value
from .declarations import Declarations, declarations, local_module_calls, undeclared_variable_references
from .instances import ResourceInstance
from .loader import ModuleLoader
from .module import ModuleEvaluation
from .values import EvalError, Unknown

ENVIRONMENT_VARIABLES = ("environment", "env", "stage")
PRODUCTION_NAMES = frozenset({"production", "prod", "prd"})


class Settings(Record):
    """The evaluate stage's settings: the inputs (var-files, ``--var``, ``TF_VAR_``), and
    how environments are named and told production (from the configuration)."""

    _fields = ("var_files", "cli_vars", "input_order", "environment", "env", "root_dir", "production_names",
               "environment_variables")

    def __init__(self, var_files: list[str] | None = None, cli_vars: list[str] | None = None,
                 input_order: list[tuple[str, str]] | None = None, environment: str | None = None,
                 env: dict[str, str] | None = None, root_dir: str = ".",
                 production_names: frozenset[str] = PRODUCTION_NAMES,
                 environment_variables: tuple[str, ...] = ENVIRONMENT_VARIABLES) -> None:
        self.var_files = [] if var_files is None else var_files
        self.cli_vars = [] if cli_vars is None else cli_vars  # NAME=VALUE
        # --var-file and --var in command-line order, as ("var-file", path) / ("var", text):
        # Terraform applies them in that order, a later one winning
        self.input_order = input_order
        self.environment = environment
        self.env = dict(os.environ) if env is None else env
        self.root_dir = root_dir
        self.production_names = production_names  # lower case (configuration)
        self.environment_variables = environment_variables  # (configuration)


class Environment(Record):
    _fields = ("name", "var_files", "instances", "evaluation", "base_name", "production_names")

    def __init__(self, name: str, var_files: list[str], instances: list[ResourceInstance],
                 evaluation: ModuleEvaluation, base_name: str = "",
                 production_names: frozenset[str] = PRODUCTION_NAMES) -> None:
        self.name = name
        self.var_files = var_files  # the environment's own var-files (not the always-loaded ones)
        self.instances = instances
        self.evaluation = evaluation
        self.base_name = base_name  # the name before a var-file was added to tell two apart
        self.production_names = production_names

    @property
    def is_production(self) -> bool:
        return (self.base_name or self.name).lower() in self.production_names


class ModuleResult(Record):
    _fields = ("directory", "environments", "diagnostics")

    def __init__(self, directory: str, environments: list[Environment], diagnostics: list[Diagnostic]) -> None:
        self.directory = directory
        self.environments = environments
        self.diagnostics = diagnostics


def evaluate_module(
    directory: str,
    files: list[S.File],
    auto_var_files: list[str],
    env_var_files: list[str],
    settings: Settings,
    parse_file: Callable[[str], S.File],
    parse_expression: Callable[[str], S.Expr],
    loader: ModuleLoader | None = None,
) -> ModuleResult:
    """Evaluate a root module (and every module it calls) once per environment."""
    diagnostics: list[Diagnostic] = []
    if loader is None:
        loader = ModuleLoader(parse_file)
    loader.add(directory, files)
    decls = declarations(directory, files)
    diagnostics += decls.diagnostics
    diagnostics += undeclared_variable_references(decls, files)

    base: dict[str, InputValue] = {}
    # lowest precedence first
    for name in decls.variables:
        env_text = settings.env.get(f"TF_VAR_{name}")
        if env_text is not None:
            base[name] = InputValue(("raw", env_text), f"TF_VAR_{name}")
    for path in auto_var_files:
        base.update(load_tfvars(path, diagnostics, parse_file))

    if settings.var_files:
        groups = [list(settings.var_files)]
    elif env_var_files:
        groups = [[path] for path in env_var_files]
    else:
        groups = [[]]

    # file() and friends read only inside the tree being checked: the root folder when
    # the module is under it, else the module's own folder
    root = loader.real(settings.root_dir)
    if os.path.commonpath([root, loader.real(directory)]) != root:
        root = loader.real(directory)
    func_ctx = FunctionContext(directory, root)
    environments: list[Environment] = []
    detected_names: list[str] = []
    for group in groups:
        values = dict(base)
        if settings.var_files and settings.input_order:
            steps = list(settings.input_order)
        else:
            steps = [("var-file", path) for path in group] + [("var", text) for text in settings.cli_vars]
        for kind, item in steps:
            if kind == "var-file":
                values.update(load_tfvars(item, diagnostics, parse_file))
            else:
                name, raw = parse_cli_var(item)
                values[name] = InputValue(("raw", raw), "--var")
        inputs = _typed_inputs(decls, values, diagnostics, parse_expression)
        sites = {name: (v.source, v.line, v.column) for name, v in values.items() if v.line}
        evaluation = ModuleEvaluation(decls, inputs, func_ctx, diagnostics, loader=loader,
                                      input_sites=sites)
        detected = _environment_name(evaluation, group, settings.environment_variables)
        detected_names.append(detected)
        if settings.environment and len(groups) > 1 and detected != settings.environment:
            continue  # with several environments, --environment selects one by name
        environments.append(Environment(settings.environment or detected, group, [], evaluation,
                                        production_names=settings.production_names))
    if not environments:
        diagnostics.append(Diagnostic(
            "error", directory, 0, 0,
            f'--environment {settings.environment}: no environment of this module has that name '
            f'(found: {", ".join(detected_names)})', "unknown-environment",
        ))
    _make_names_unique(environments)
    for env in environments:
        env.instances = env.evaluation.instances()
    diagnostics += loader.diagnostics
    loader.diagnostics.clear()
    return ModuleResult(directory, environments, _dedupe(diagnostics))


def find_roots(folders: dict[str, list[S.File]]) -> list[str]:
    """The folders to check as root modules, in the given order: those no other folder
    of the scan calls as a local module (``source = "./..."``).  A called folder is
    checked through its callers, with their inputs.  Folders that only call each
    other (a cycle with no caller outside it) get their first folder as a root, so
    that they are checked and the cycle is reported."""
    real_of = {folder: os.path.realpath(folder) for folder in folders}
    by_real = {real: folder for folder, real in real_of.items()}
    calls: dict[str, set[str]] = {}
    for folder, files in folders.items():
        targets = {os.path.realpath(os.path.join(folder, source)) for source in local_module_calls(files)}
        calls[real_of[folder]] = {t for t in targets if t in by_real}
    called = {t for caller, targets in calls.items() for t in targets if t != caller}
    roots = [folder for folder in folders if real_of[folder] not in called]
    reached: set[str] = set()

    def reach(real: str) -> None:
        stack = [real]
        while stack:
            current = stack.pop()
            if current in reached:
                continue
            reached.add(current)
            stack.extend(calls.get(current, ()))

    for root in roots:
        reach(real_of[root])
    for folder in folders:
        if real_of[folder] not in reached:
            roots.append(folder)
            reach(real_of[folder])
    position = {folder: i for i, folder in enumerate(folders)}
    return sorted(roots, key=position.__getitem__)


def _make_names_unique(environments: list[Environment]) -> None:
    """Two var-files that name the same environment (say, both set environment =
    "production") stay apart: the var-file is added to the name."""
    counts: dict[str, int] = {}
    for env in environments:
        counts[env.name] = counts.get(env.name, 0) + 1
    for env in environments:
        if counts[env.name] > 1 and env.var_files:
            env.base_name = env.name
            env.name = f"{env.name} ({os.path.basename(env.var_files[-1])})"


def _typed_inputs(decls: Declarations, values: dict[str, InputValue], diagnostics: list[Diagnostic],
                  parse_expression) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    for name, (value, source, line, column) in values.items():
        located = decls.variables.get(name)
        if located is None:
            if not source.startswith("TF_VAR_"):
                diagnostics.append(Diagnostic(
                    "warning", source, line, column,
                    f'a value is given for "{name}", but the module declares no variable "{name}"',
                    "undeclared-variable-value",
                ))
            continue
        type_attr = located.node.body.attributes.get("type")
        type_expr = type_attr.expr if type_attr is not None else None
        try:
            if isinstance(value, tuple) and len(value) == 2 and value[0] == "raw":
                value = raw_value(value[1], type_expr, parse_expression)
            inputs[name] = convert(value, type_expr)
        except (EvalError, SourceError) as exc:  # a bad value must not stop the run
            why = str(exc)
            if is_sensitive_variable(name, located.node):  # the error may quote the value
                why = "it does not match the variable's type (the value is sensitive and not shown)"
            diagnostics.append(Diagnostic(
                "error", source, line, column, f'invalid value for variable "{name}": {why}',
                "invalid-variable-value",
            ))
            inputs[name] = Unknown(f"the value given for var.{name} is invalid")
    return inputs


def _environment_name(evaluation: ModuleEvaluation, group: list[str],
                      variables: tuple[str, ...] = ENVIRONMENT_VARIABLES) -> str:
    for var in variables:
        if var in evaluation.decls.variables:
            value = evaluation.variable(var)
            if isinstance(value, str) and value:
                return value
    if group:
        base = os.path.basename(group[-1])
        for suffix in (".tfvars.json", ".tfvars"):
            if base.endswith(suffix):
                return base[: -len(suffix)]
    return "default"


def _dedupe(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    seen: dict[Diagnostic, None] = {}
    for diag in diagnostics:
        seen.setdefault(diag, None)
    return list(seen)
