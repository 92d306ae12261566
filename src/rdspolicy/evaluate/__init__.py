"""Evaluate stage: a parsed module, once per environment.

Which environments a root module has is decided from the layout (:mod:`rdspolicy.layout`)
and handed over as :class:`EnvSpec` values: the var-files, the workspace, values from a
Terragrunt configuration, the name the source gives and the source itself.  An
environment's name is ``--environment``, else the value of a variable named
``environment``/``env``/``stage``, else the name its source gives (an ``envs/<name>/``
folder, a folder named after an environment, a workspace), else the var-file's name,
else ``default``.  When a module has several environments, ``--environment NAME``
selects the one with that name instead (an error when none has it).
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
# folder names that name an environment (directory per environment), lower case
ENVIRONMENT_NAMES = frozenset({"production", "prod", "prd", "staging", "stage", "stg", "development", "dev",
                               "qa", "test", "uat", "sandbox", "preprod"})


class Settings(Record):
    """The evaluate stage's settings: the inputs (var-files, ``--var``, ``TF_VAR_``), and
    how environments are named and told production (from the configuration)."""

    _fields = ("var_files", "cli_vars", "input_order", "environment", "env", "root_dir", "production_names",
               "environment_variables", "workspaces", "configured_workspaces", "environment_names")

    def __init__(self, var_files: list[str] | None = None, cli_vars: list[str] | None = None,
                 input_order: list[tuple[str, str]] | None = None, environment: str | None = None,
                 env: dict[str, str] | None = None, root_dir: str = ".",
                 production_names: frozenset[str] = PRODUCTION_NAMES,
                 environment_variables: tuple[str, ...] = ENVIRONMENT_VARIABLES,
                 workspaces: list[str] | None = None, configured_workspaces: list[str] | None = None,
                 environment_names: frozenset[str] = ENVIRONMENT_NAMES) -> None:
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
        self.workspaces = [] if workspaces is None else workspaces  # --workspace
        self.configured_workspaces = [] if configured_workspaces is None else configured_workspaces
        # folder names that name an environment (directory per environment), lower case
        self.environment_names = environment_names


class EnvSpec(Record):
    """One environment of a root module, as its layout gives it."""

    _fields = ("var_files", "name", "source", "workspace", "inputs")

    def __init__(self, var_files: list[str] | None = None, name: str | None = None, source: str = "defaults",
                 workspace: str = "default", inputs: dict[str, InputValue] | None = None) -> None:
        self.var_files = [] if var_files is None else var_files  # applied in this order
        self.name = name  # the name the source gives (None: from the var-file, else "default")
        self.source = source  # where the environment comes from, "kind: detail" (reports show it)
        self.workspace = workspace  # terraform.workspace
        # values from outside the module, below TF_VAR_ (Terragrunt's inputs)
        self.inputs = {} if inputs is None else inputs

    @classmethod
    def of(cls, item: "EnvSpec | str") -> "EnvSpec":
        """A var-file path as the one var-file of an environment."""
        return item if isinstance(item, EnvSpec) else cls([item], source=f"var-file: {item}")


class Environment(Record):
    _fields = ("name", "var_files", "instances", "evaluation", "base_name", "production_names", "source")

    def __init__(self, name: str, var_files: list[str], instances: list[ResourceInstance],
                 evaluation: ModuleEvaluation, base_name: str = "",
                 production_names: frozenset[str] = PRODUCTION_NAMES, source: str = "defaults") -> None:
        self.name = name
        self.var_files = var_files  # the environment's own var-files (not the always-loaded ones)
        self.instances = instances
        self.evaluation = evaluation
        self.base_name = base_name  # the name before a var-file was added to tell two apart
        self.production_names = production_names
        self.source = source  # where the environment comes from (EnvSpec.source)

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
    env_specs: "list[EnvSpec | str]",
    settings: Settings,
    parse_file: Callable[[str], S.File],
    parse_expression: Callable[[str], S.Expr],
    loader: ModuleLoader | None = None,
) -> ModuleResult:
    """Evaluate a root module (and every module it calls) once per environment:
    ``env_specs`` are the environments its layout gives (a var-file path stands for an
    environment of that one file; none: one environment from the defaults)."""
    diagnostics: list[Diagnostic] = []
    if loader is None:
        loader = ModuleLoader(parse_file)
    loader.add(directory, files)
    decls = declarations(directory, files)
    diagnostics += decls.diagnostics
    diagnostics += undeclared_variable_references(decls, files)

    from_env: dict[str, InputValue] = {}
    # lowest precedence first
    for name in decls.variables:
        env_text = settings.env.get(f"TF_VAR_{name}")
        if env_text is not None:
            from_env[name] = InputValue(("raw", env_text), f"TF_VAR_{name}")
    auto: dict[str, InputValue] = {}
    for path in auto_var_files:
        auto.update(load_tfvars(path, diagnostics, parse_file))

    specs = [EnvSpec.of(item) for item in env_specs] or [EnvSpec()]
    if settings.var_files and not any(isinstance(item, EnvSpec) for item in env_specs):
        specs = [EnvSpec(list(settings.var_files), source="--var-file: " + ", ".join(settings.var_files))]

    # file() and friends read only inside the tree being checked: the root folder when
    # the module is under it, else the module's own folder
    root = loader.real(settings.root_dir)
    if os.path.commonpath([root, loader.real(directory)]) != root:
        root = loader.real(directory)
    func_ctx = FunctionContext(directory, root)
    environments: list[Environment] = []
    detected_names: list[str] = []
    for spec in specs:
        group = spec.var_files
        # Terragrunt's inputs reach Terraform as TF_VAR_ variables, which one already set wins
        values = {**spec.inputs, **from_env, **auto}
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
                                      input_sites=sites, workspace=spec.workspace)
        detected = _environment_name(evaluation, group, settings.environment_variables, spec.name)
        detected_names.append(detected)
        if settings.environment and len(specs) > 1 and detected != settings.environment:
            continue  # with several environments, --environment selects one by name
        diagnostics += _required_without_value(decls, inputs, settings.environment or detected)
        environments.append(Environment(settings.environment or detected, group, [], evaluation,
                                        production_names=settings.production_names, source=spec.source))
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
    return roots_of_calls({folder: local_module_calls(files) for folder, files in folders.items()})


def roots_of_calls(sources: dict[str, list[str]]) -> list[str]:
    """:func:`find_roots` from each folder's local module calls' sources."""
    folders = sources
    real_of = {folder: os.path.realpath(folder) for folder in folders}
    by_real = {real: folder for folder, real in real_of.items()}
    calls: dict[str, set[str]] = {}
    for folder, written in sources.items():
        targets = {os.path.realpath(os.path.join(folder, source)) for source in written}
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
    "production") stay apart: the var-file is added to the name (the workspace, for
    workspaces that name the same environment)."""
    counts: dict[str, int] = {}
    for env in environments:
        counts[env.name] = counts.get(env.name, 0) + 1
    for env in environments:
        if counts[env.name] > 1 and env.var_files:
            env.base_name = env.name
            env.name = f"{env.name} ({os.path.basename(env.var_files[-1])})"
        elif counts[env.name] > 1 and env.source.startswith("workspace:"):
            env.base_name = env.name
            env.name = f"{env.name} (workspace {env.evaluation.workspace})"


def _required_without_value(decls: Declarations, inputs: dict[str, Any], environment: str) -> list[Diagnostic]:
    """One warning per variable that has no default and no value in this environment:
    Terraform would stop and ask for it."""
    out = []
    for name, located in decls.variables.items():
        if name in inputs or "default" in located.node.body.attributes:
            continue
        out.append(Diagnostic(
            "warning", located.file, located.node.pos.line, located.node.pos.column,
            f'variable "{name}" has no value in environment {environment} (no default, and no var-file, '
            f'--var or TF_VAR_{name} sets it): Terraform would ask for it; values that depend on it are '
            f'unknown', "required-variable",
        ))
    return out


def _typed_inputs(decls: Declarations, values: dict[str, InputValue], diagnostics: list[Diagnostic],
                  parse_expression) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    for name, (value, source, line, column) in values.items():
        located = decls.variables.get(name)
        if located is None:
            # Terraform ignores TF_VAR_ variables (and so Terragrunt's inputs, passed as
            # such) that the module does not declare
            if not source.startswith("TF_VAR_") and not source.endswith(".hcl"):
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
                      variables: tuple[str, ...] = ENVIRONMENT_VARIABLES, given: str | None = None) -> str:
    for var in variables:
        if var in evaluation.decls.variables:
            value = evaluation.variable(var)
            if isinstance(value, str) and value:
                return value
    if given:
        return given
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
