"""Terragrunt units: a folder holding ``terragrunt.hcl`` is checked as the module its
``terraform { source }`` names, with the configuration's ``inputs`` as variable values.

What is understood (Terragrunt's documented semantics, https://terragrunt.gruntwork.io/docs/):

* ``include`` blocks, labelled or not, with ``path``, ``expose`` and ``merge_strategy``
  (``shallow``, the default: top-level keys of ``inputs`` and the ``terraform`` block, the
  child winning; ``deep``: maps merged key by key, lists joined; ``no_merge``).  An
  included file's functions run in the child's context (``get_terragrunt_dir()`` is the
  child's folder), as Terragrunt runs them.
* ``locals``, ``read_terragrunt_config`` (its ``locals``, ``inputs``, ``terraform`` and
  other attributes), ``dependency`` blocks (their ``outputs`` are unknown: known only
  after the dependency is applied; ``mock_outputs`` are for plans, not for verdicts).
* The functions ``find_in_parent_folders`` (with and without a name, and a fallback),
  ``get_terragrunt_dir``, ``get_parent_terragrunt_dir``, ``get_original_terragrunt_dir``,
  ``path_relative_to_include``, ``path_relative_from_include``, ``get_env``,
  ``get_repo_root``, ``get_path_from_repo_root``, ``get_path_to_repo_root``, and every
  Terraform function; ``run_cmd``, ``sops_decrypt_file`` and the AWS identity functions
  give unknown values.
* A local ``source`` (relative, absolute, or built with these functions; ``//`` names a
  folder inside it) is evaluated; a remote one (git, registry, ...) only when
  ``.terragrunt-cache/`` in the unit's folder holds its download.

A ``terragrunt.hcl`` that another one includes is a parent configuration, not a unit.
"""

from __future__ import annotations

import os
import re
from typing import Any, Callable

from . import syntax as S
from .discover import repo_root
from .errors import Diagnostic, SourceError
from .evaluate.expressions import ExprEvaluator, Namespace, Scope
from .evaluate.functions import FunctionContext
from .evaluate.values import EvalError, Unknown, first_unknown
from .record import Record

CONFIG_NAME = "terragrunt.hcl"
CACHE_FOLDER = ".terragrunt-cache"
MERGE_STRATEGIES = ("shallow", "deep", "no_merge", "deep_map_only")
MAX_INCLUDE_DEPTH = 8  # includes of includes, and configurations read by read_terragrunt_config
_REMOTE = re.compile(r"^(?:[a-z0-9]+::|[a-z][a-z0-9+.-]*://|git@|github\.com/|bitbucket\.org/|gitlab\.com/)", re.I)
_REGISTRY = re.compile(r"^[0-9A-Za-z-]+/[0-9A-Za-z_-]+/[0-9a-z]+(?://.*)?(?:\?.*)?$")


class Unit(Record):
    """One Terragrunt unit: its configuration and the module it runs."""

    _fields = ("config", "directory", "source", "module_dir", "inputs", "includes", "remote", "source_site")

    def __init__(self, config: str, directory: str) -> None:
        self.config = config  # the unit's terragrunt.hcl, as the user sees it
        self.directory = directory  # its folder
        self.source: str | None = None  # terraform { source } as evaluated (None: none written)
        self.module_dir: str | None = None  # the folder of the module to evaluate, None: not evaluable
        # variable name -> (value, file, line, column): the merged inputs
        self.inputs: dict[str, tuple[Any, str, int, int]] = {}
        self.includes: list[str] = []  # real paths of the configurations it includes
        self.remote = False  # the source is remote (and not found in .terragrunt-cache)
        self.source_site: tuple[str, int, int] = (config, 0, 0)  # where the source is written


def split_source(source: str) -> tuple[str, str]:
    """``base//sub?ref=x`` -> (``base``, ``sub``); the query is dropped."""
    source = source.split("?", 1)[0]
    scheme_end = source.find("://")
    start = scheme_end + 3 if scheme_end >= 0 else 0
    cut = source.find("//", start)
    if cut < 0:
        return source, ""
    return source[:cut], source[cut + 2:].strip("/")


def is_remote(source: str) -> bool:
    if source.startswith(("/", "./", "../")) or source in (".", ".."):
        return False
    return bool(_REMOTE.match(source)) or bool(_REGISTRY.match(source))


class _Context(Record):
    """What the Terragrunt functions of one unit see: the unit's configuration (the
    child), the file being evaluated and, in an included file, that file's folder."""

    _fields = ("child", "file", "include_dirs", "env", "boundary", "repo")

    def __init__(self, child: str, file: str, include_dirs: dict[str, str], env: dict[str, str],
                 boundary: str, repo: str | None) -> None:
        self.child = child  # absolute path of the child terragrunt.hcl
        self.file = file  # absolute path of the file whose expressions are evaluated
        self.include_dirs = include_dirs  # include label ("" for a bare include) -> its folder
        self.env = env
        self.boundary = boundary  # configurations are read only inside this folder
        self.repo = repo


class _Evaluator(ExprEvaluator):
    """Terraform's expression evaluator with Terragrunt's functions added."""

    def __init__(self, loader: "_Loader", ctx: _Context, config: "_Config") -> None:
        child_dir = os.path.dirname(ctx.child)
        super().__init__(FunctionContext(child_dir, ctx.boundary))
        self.loader = loader
        self.ctx = ctx
        self.config = config

    def _call(self, expr: S.Call, scope: Scope) -> Any:
        handler = _FUNCTIONS.get(expr.name)
        if handler is None:
            return super()._call(expr, scope)
        args = [self.eval(arg, scope) for arg in expr.args]
        for arg in args:
            unknown = first_unknown(arg)
            if unknown is not None:
                return unknown
        return handler(self, args)

    # the functions ------------------------------------------------------------------
    def _include_dir(self, args: list) -> str | None:
        dirs = self.ctx.include_dirs
        if args:
            return dirs.get(str(args[0]))
        if os.path.abspath(self.ctx.file) != os.path.abspath(self.ctx.child):
            return os.path.dirname(self.ctx.file)  # in the included file itself
        return next(iter(dirs.values()), None)

    def f_find_in_parent_folders(self, args: list) -> Any:
        if len(args) > 2:
            raise EvalError("find_in_parent_folders() takes at most 2 arguments")
        name = str(args[0]) if args and args[0] is not None else CONFIG_NAME
        current = os.path.dirname(os.path.abspath(self.ctx.child))
        boundary = self.ctx.boundary
        while True:
            parent = os.path.dirname(current)
            if parent == current or os.path.commonpath([boundary, parent]) != boundary:
                break
            candidate = os.path.join(parent, name)
            if os.path.exists(candidate):
                return candidate
            current = parent
        if len(args) == 2:
            return args[1]
        raise EvalError(f'find_in_parent_folders(): no "{name}" in the folders above '
                        f"{self.loader.display(os.path.dirname(self.ctx.child))} (searched up to "
                        f"{self.loader.display(boundary)})")

    def f_get_terragrunt_dir(self, args: list) -> Any:
        return os.path.dirname(os.path.abspath(self.ctx.child))

    f_get_original_terragrunt_dir = f_get_terragrunt_dir
    f_get_working_dir = f_get_terragrunt_dir

    def f_get_parent_terragrunt_dir(self, args: list) -> Any:
        found = self._include_dir(args)
        return found if found is not None else self.f_get_terragrunt_dir(args)

    def f_path_relative_to_include(self, args: list) -> Any:
        found = self._include_dir(args)
        if found is None:
            return "."
        return os.path.relpath(os.path.dirname(os.path.abspath(self.ctx.child)), found).replace(os.sep, "/")

    def f_path_relative_from_include(self, args: list) -> Any:
        found = self._include_dir(args)
        if found is None:
            return "."
        return os.path.relpath(found, os.path.dirname(os.path.abspath(self.ctx.child))).replace(os.sep, "/")

    def f_get_env(self, args: list) -> Any:
        if not args or len(args) > 2:
            raise EvalError("get_env() takes 1 or 2 arguments")
        value = self.ctx.env.get(str(args[0]))
        if value is not None:
            return value
        if len(args) == 2:
            return args[1]
        return Unknown(f"the environment variable {args[0]} is not set where rdspolicy runs "
                       f"(get_env in {self.loader.display(self.ctx.file)})")

    def _repo(self) -> str:
        if self.ctx.repo is None:
            raise EvalError("get_repo_root(): the configuration is not inside a git repository")
        return self.ctx.repo

    def f_get_repo_root(self, args: list) -> Any:
        return self._repo()

    def f_get_path_from_repo_root(self, args: list) -> Any:
        return os.path.relpath(os.path.dirname(os.path.abspath(self.ctx.child)), self._repo()).replace(os.sep, "/")

    def f_get_path_to_repo_root(self, args: list) -> Any:
        return os.path.relpath(self._repo(), os.path.dirname(os.path.abspath(self.ctx.child))).replace(os.sep, "/")

    # the paths Terragrunt's functions give are this machine's: dirname and basename of
    # them are known here (Terraform's own leave a nested path unknown, as its separator
    # depends on where Terraform runs)
    def f_dirname(self, args: list) -> Any:
        if len(args) != 1 or not isinstance(args[0], str):
            raise EvalError("dirname() takes one string")
        return os.path.dirname(args[0]) or "."

    def f_basename(self, args: list) -> Any:
        if len(args) != 1 or not isinstance(args[0], str):
            raise EvalError("basename() takes one string")
        return os.path.basename(args[0].rstrip("/")) or args[0]

    def f_get_terragrunt_source_cli_flag(self, args: list) -> Any:
        return ""

    def f_mark_as_read(self, args: list) -> Any:
        return args[0] if args else None

    def f_get_terraform_commands_that_need_vars(self, args: list) -> Any:
        return ["apply", "console", "destroy", "import", "plan", "push", "refresh"]

    def f_get_terraform_commands_that_need_locking(self, args: list) -> Any:
        return ["apply", "destroy", "import", "init", "plan", "refresh", "taint", "untaint"]

    def f_get_terraform_commands_that_need_input(self, args: list) -> Any:
        return ["apply", "import", "init", "plan", "refresh"]

    def f_get_terraform_commands_that_need_parallelism(self, args: list) -> Any:
        return ["apply", "plan", "destroy"]

    def f_read_terragrunt_config(self, args: list) -> Any:
        if not args or len(args) > 2:
            raise EvalError("read_terragrunt_config() takes 1 or 2 arguments")
        path = str(args[0])
        if not os.path.isabs(path):
            path = os.path.join(os.path.dirname(os.path.abspath(self.ctx.child)), path)
        try:
            config = self.loader.config(path, None, self.ctx.env, depth=self.config.depth + 1)
        except EvalError:
            if len(args) == 2:
                return args[1]
            raise
        return config.value()

    @staticmethod
    def unknown_because(why: str) -> Callable[["_Evaluator", list], Any]:
        return lambda self, args: Unknown(why)


_FUNCTIONS: dict[str, Callable[[_Evaluator, list], Any]] = {
    name[2:]: function for name, function in vars(_Evaluator).items() if name.startswith("f_")
}
for _name, _why in (
    ("run_cmd", "run_cmd() runs a program; rdspolicy does not run it"),
    ("sops_decrypt_file", "sops_decrypt_file() decrypts a file with keys rdspolicy does not have"),
    ("get_aws_account_id", "the AWS account is known only with AWS credentials"),
    ("get_aws_account_alias", "the AWS account alias is known only with AWS credentials"),
    ("get_aws_caller_identity_arn", "the AWS caller identity is known only with AWS credentials"),
    ("get_aws_caller_identity_user_id", "the AWS caller identity is known only with AWS credentials"),
    ("get_platform", "the platform Terragrunt runs on is not known"),
    ("read_tfvars_file", "read_tfvars_file() is not evaluated by rdspolicy"),
    ("constraint_check", "constraint_check() is not evaluated by rdspolicy"),
):
    _FUNCTIONS[_name] = _Evaluator.unknown_because(_why)


class _LocalsNS(Namespace):
    def __init__(self, config: "_Config") -> None:
        self.config = config

    def get_attr(self, name: str, pos: S.Pos) -> Any:
        return self.config.local(name)

    def as_value(self) -> Any:
        return {name: self.config.local(name) for name in self.config.locals_exprs}

    def describe(self) -> str:
        return '"local"'


class _Config:
    """One Terragrunt configuration file, evaluated lazily in a unit's context."""

    def __init__(self, loader: "_Loader", file: S.File, path: str, child: str | None, env: dict[str, str],
                 depth: int) -> None:
        self.loader = loader
        self.file = file
        self.path = path  # absolute
        self.child = child or path  # the unit whose functions' context this is
        self.env = env
        self.depth = depth
        body = file.body
        self.locals_exprs: dict[str, S.Attribute] = {}
        for block in body.blocks_of("locals"):
            self.locals_exprs.update(block.body.attributes)
        self._locals: dict[str, Any] = {}
        self._busy: set[str] = set()
        # includes: (label, path, expose, strategy, config), in order
        self.includes: list[tuple[str, str, bool, str, "_Config"]] = []
        include_dirs: dict[str, str] = {}
        boundary, repo = loader.boundary_of(self.child)
        self.ctx = _Context(self.child, path, include_dirs, env, boundary, repo)
        self.evaluator = _Evaluator(loader, self.ctx, self)
        if child is not None and os.path.abspath(child) != os.path.abspath(path):
            return  # an included file: its own includes are not followed (Terragrunt: one level)
        for block in body.blocks_of("include"):
            label = block.labels[0] if block.labels else ""
            where = block.body.attributes.get("path")
            if where is None:
                loader.report(self.path, block.pos, "this include block has no path", "terragrunt-invalid")
                continue
            try:
                target = self.eval(where.expr, include_scope=True)
                expose = block.body.attributes.get("expose")
                expose_value = self.eval(expose.expr, include_scope=True) if expose is not None else False
                strategy_attr = block.body.attributes.get("merge_strategy")
                strategy = (self.eval(strategy_attr.expr, include_scope=True)
                            if strategy_attr is not None else "shallow")
            except EvalError as exc:
                loader.report(self.path, where.pos, f"include {label!r}: {exc}".replace("include ''", "include"),
                              "terragrunt-invalid")
                continue
            if not isinstance(target, str):
                loader.report(self.path, where.pos, "the include's path is not known: the included "
                              "configuration is not read", "terragrunt-invalid")
                continue
            if strategy not in MERGE_STRATEGIES:
                loader.report(self.path, strategy_attr.pos, f'merge_strategy "{strategy}" is not one of '
                              f'{", ".join(MERGE_STRATEGIES)}; "shallow" is used', "terragrunt-invalid")
                strategy = "shallow"
            if not os.path.isabs(target):
                target = os.path.join(os.path.dirname(path), target)
            target = os.path.normpath(target)
            try:
                parent = loader.config(target, self.child, env, depth + 1)
            except EvalError as exc:  # Terragrunt stops here: so does the check (exit 2)
                loader.report(self.path, where.pos, f"the included configuration cannot be read: {exc}",
                              "terragrunt-invalid", "error")
                continue
            include_dirs[label] = os.path.dirname(target)
            self.includes.append((label, target, expose_value is True, strategy, parent))

    # evaluation ---------------------------------------------------------------------
    def eval(self, expr: S.Expr, include_scope: bool = False) -> Any:
        return self.evaluator.eval(expr, Scope(self._resolve_early if include_scope else self._resolve))

    def _resolve_early(self, name: str, pos: S.Pos) -> Any:
        if name == "local":
            return _LocalsNS(self)
        raise EvalError(f'"{name}" cannot be used in an include block')

    def _resolve(self, name: str, pos: S.Pos) -> Any:
        if name == "local":
            return _LocalsNS(self)
        if name == "include":
            exposed = {label: config.value() for label, _, expose, _, config in self.includes if expose}
            if "" in exposed:  # a bare include block: include.locals
                return exposed[""]
            return exposed
        if name == "dependency":
            return {label: value for label, value in self.dependencies().items()}
        if name in ("feature", "values"):
            return Unknown(f'"{name}" values are set when Terragrunt runs; rdspolicy does not know them')
        raise EvalError(f'unknown name "{name}" in a Terragrunt configuration')

    def local(self, name: str) -> Any:
        if name in self._locals:
            return self._locals[name]
        attr = self.locals_exprs.get(name)
        if attr is None:
            raise EvalError(f'there is no local value "{name}" in {self.loader.display(self.path)}')
        if name in self._busy:
            raise EvalError(f'local value "{name}" refers to itself')
        self._busy.add(name)
        try:
            value = self.eval(attr.expr)
        except EvalError as exc:
            self.loader.report(self.path, attr.pos, f'local.{name}: {exc}', "terragrunt-invalid")
            value = Unknown(f"local.{name} of {self.loader.display(self.path)} could not be evaluated: {exc}")
        finally:
            self._busy.discard(name)
        self._locals[name] = value
        return value

    def dependencies(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for _, _, _, strategy, parent in self.includes:
            if strategy != "no_merge":
                out.update(parent.dependencies())
        for block in self.file.body.blocks_of("dependency"):
            if not block.labels:
                continue
            label = block.labels[0]
            where = block.body.attributes.get("config_path")
            shown = "?"
            if where is not None:
                try:
                    shown = str(self.eval(where.expr))
                except EvalError:
                    pass
            why = (f'dependency "{label}" ({shown}): its outputs are known only after Terragrunt applies it '
                   f'(mock_outputs are for plans, not for verdicts)')
            out[label] = {"outputs": Unknown(why), "config_path": shown}
        return out

    def attribute(self, name: str) -> tuple[Any, S.Attribute | None]:
        attr = self.file.body.attributes.get(name)
        if attr is None:
            return None, None
        try:
            return self.eval(attr.expr), attr
        except EvalError as exc:
            self.loader.report(self.path, attr.pos, f"{name}: {exc}", "terragrunt-invalid")
            return Unknown(f"{name} of {self.loader.display(self.path)} could not be evaluated: {exc}"), attr

    def terraform(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for block in self.file.body.blocks_of("terraform"):
            for name, attr in block.body.attributes.items():
                try:
                    out[name] = self.eval(attr.expr)
                except EvalError as exc:
                    self.loader.report(self.path, attr.pos, f"terraform.{name}: {exc}", "terragrunt-invalid")
                    out[name] = Unknown(f"terraform.{name} could not be evaluated: {exc}")
        return out

    def own_value(self) -> dict[str, Any]:
        """This file's attributes, before includes are merged in."""
        out: dict[str, Any] = {"locals": _LocalsNS(self).as_value()}
        for name in self.file.body.attributes:
            out[name] = self.attribute(name)[0]
        out["terraform"] = self.terraform()
        out["dependency"] = self.dependencies()
        return out

    def value(self) -> dict[str, Any]:
        """What ``include.x`` and ``read_terragrunt_config`` give: the attributes with the
        includes merged in (locals are never merged)."""
        cached = getattr(self, "_value", None)
        if cached is not None:
            return cached
        own = self.own_value()
        merged = {k: v for k, v in own.items() if k != "locals"}
        # each included configuration under the child, by its own strategy; a later
        # include over an earlier one
        for _, _, _, strategy, parent in reversed(self.includes):
            merged = merge({k: v for k, v in parent.value().items() if k != "locals"}, merged, strategy)
        merged["locals"] = own["locals"]
        self._value = merged
        return merged


def merge(parent: dict, child: dict, strategy: str) -> dict:
    """The child configuration's values over the parent's, as ``merge_strategy`` says."""
    if strategy == "no_merge":
        return dict(child)
    out = dict(parent)
    for key, value in child.items():
        old = out.get(key)
        if key in ("inputs", "terraform") and isinstance(old, dict) and isinstance(value, dict):
            out[key] = _deep(old, value, strategy) if strategy != "shallow" else {**old, **value}
        elif strategy != "shallow" and isinstance(old, dict) and isinstance(value, dict):
            out[key] = _deep(old, value, strategy)
        else:
            out[key] = value
    return out


def _deep(parent: dict, child: dict, strategy: str) -> dict:
    out = dict(parent)
    for key, value in child.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = _deep(old, value, strategy)
        elif strategy == "deep" and isinstance(old, list) and isinstance(value, list):
            out[key] = old + value
        else:
            out[key] = value
    return out


class _Loader:
    def __init__(self, parse_file: Callable[[str], S.File], display: Callable[[str], str], root_dir: str,
                 diagnostics: list[Diagnostic], scanned: tuple[str, ...] = ()) -> None:
        self.parse_file = parse_file
        self.display = display
        self.root_dir = os.path.realpath(root_dir)
        self.scanned = tuple(os.path.realpath(p) for p in scanned)
        self.diagnostics = diagnostics
        self._files: dict[str, S.File | None] = {}
        self._boundaries: dict[str, tuple[str, str | None]] = {}

    def report(self, path: str, pos: S.Pos, message: str, code: str, severity: str = "warning") -> None:
        self.diagnostics.append(Diagnostic(severity, self.display(path), pos.line, pos.column, message, code))

    def boundary_of(self, child: str) -> tuple[str, str | None]:
        """The folder configurations may be read from (the repository's, else the current
        folder or the scanned path the unit is under, else the unit's own), and the
        repository root."""
        folder = os.path.dirname(os.path.abspath(child))
        found = self._boundaries.get(folder)
        if found is None:
            repo = repo_root(folder)
            real = os.path.realpath(folder)
            under = [p for p in (self.root_dir,) + self.scanned if os.path.commonpath([p, real]) == p]
            boundary = repo if repo is not None else min(under, key=len) if under else folder
            found = self._boundaries[folder] = (boundary, repo)
        return found

    def file(self, path: str) -> S.File:
        if path not in self._files:
            try:
                self._files[path] = self.parse_file(self.display(path))
            except SourceError as exc:
                self.diagnostics.append(exc.diagnostic())
                self._files[path] = None
        found = self._files[path]
        if found is None:
            raise EvalError(f"{self.display(path)} cannot be parsed")
        return found

    def config(self, path: str, child: str | None, env: dict[str, str], depth: int) -> _Config:
        if depth > MAX_INCLUDE_DEPTH:
            raise EvalError(f"more than {MAX_INCLUDE_DEPTH} configurations included or read in a chain "
                            f"(at {self.display(path)})")
        path = os.path.abspath(path)
        boundary = self.boundary_of(child or path)[0]
        real = os.path.realpath(path)
        if os.path.commonpath([os.path.realpath(boundary), real]) != os.path.realpath(boundary):
            raise EvalError(f"{self.display(path)} is outside the folder being checked "
                            f"({self.display(boundary)}); rdspolicy does not read it")
        if not os.path.isfile(path):
            raise EvalError(f"{self.display(path)} does not exist")
        return _Config(self, self.file(path), path, child, env, depth)


def load_units(folders: list[str], parse_file: Callable[[str], S.File], display: Callable[[str], str],
               root_dir: str, env: dict[str, str], diagnostics: list[Diagnostic],
               scanned: tuple[str, ...] = ()) -> list[Unit]:
    """The Terragrunt units among ``folders`` (each holding ``terragrunt.hcl``), with
    their modules and inputs; configurations that another one includes are left out.
    Configurations are read inside the repository, else inside the current folder or the
    ``scanned`` path that holds the unit."""
    loader = _Loader(parse_file, display, root_dir, diagnostics, scanned)
    units: list[Unit] = []
    for folder in folders:
        path = os.path.abspath(os.path.join(folder, CONFIG_NAME))
        unit = Unit(display(path), display(folder))
        try:
            config = loader.config(path, None, env, 0)
        except EvalError as exc:
            diagnostics.append(Diagnostic("error", unit.config, 0, 0, str(exc), "terragrunt-invalid"))
            continue
        unit.includes = [os.path.realpath(target) for _, target, _, _, _ in config.includes]
        value = config.value()
        _resolve_module(unit, config, value, loader)
        unit.inputs = _inputs(config, value, loader)
        units.append(unit)
    included = {real for unit in units for real in unit.includes}
    return [u for u in units if os.path.realpath(os.path.join(u.directory, CONFIG_NAME)) not in included]


def _resolve_module(unit: Unit, config: _Config, value: dict, loader: _Loader) -> None:
    source = value.get("terraform", {}).get("source") if isinstance(value.get("terraform"), dict) else None
    folder = os.path.abspath(unit.directory)
    if source is None:
        unit.module_dir = unit.directory  # Terragrunt runs the folder itself
        return
    unit.source_site = _source_site(config) or unit.source_site
    if not isinstance(source, str):
        unit.source = "(not known)"
        return
    unit.source = source
    base, sub = split_source(source)
    if is_remote(source):
        cached = _cached(folder, sub)
        if cached is not None:
            unit.module_dir = loader.display(cached)
        else:
            unit.remote = True
        return
    if base.startswith("file://"):
        base = base[len("file://"):]
    directory = os.path.normpath(os.path.join(folder, base, sub))
    unit.module_dir = loader.display(directory)


def _source_site(config: _Config) -> tuple[str, int, int] | None:
    """Where the winning ``terraform { source }`` is written: the unit's own, else the
    last included configuration's that has one."""
    for candidate in [config] + [parent for _, _, _, strategy, parent in reversed(config.includes)
                                 if strategy != "no_merge"]:
        for block in candidate.file.body.blocks_of("terraform"):
            attr = block.body.attributes.get("source")
            if attr is not None:
                return candidate.loader.display(candidate.path), attr.pos.line, attr.pos.column
    return None


def _cached(folder: str, sub: str) -> str | None:
    """The module folder inside ``.terragrunt-cache/<hash>/<hash>/`` (the newest
    download), or None."""
    cache = os.path.join(folder, CACHE_FOLDER)
    candidates = []
    try:
        for first in os.listdir(cache):
            level = os.path.join(cache, first)
            if not os.path.isdir(level):
                continue
            for second in os.listdir(level):
                candidate = os.path.join(level, second, sub) if sub else os.path.join(level, second)
                if os.path.isdir(candidate) and any(n.endswith((".tf", ".tf.json", ".tofu", ".tofu.json"))
                                                    for n in os.listdir(candidate)):
                    candidates.append((os.path.getmtime(candidate), candidate))
    except OSError:
        return None
    return max(candidates)[1] if candidates else None


def _inputs(config: _Config, value: dict, loader: _Loader) -> dict[str, tuple[Any, str, int, int]]:
    """The merged ``inputs``, each with where it is written (the file whose ``inputs``
    gave it the winning value: the key's line when written as a literal object)."""
    inputs = value.get("inputs")
    if isinstance(inputs, Unknown) or inputs is None:
        return {}
    if not isinstance(inputs, dict):
        attr = config.file.body.attributes.get("inputs")
        pos = attr.pos if attr is not None else S.NOWHERE
        loader.report(config.path, pos, "inputs is not an object: no variable values are taken from it",
                      "terragrunt-invalid")
        return {}
    sites: dict[str, tuple[str, int, int]] = {}
    for _, _, _, strategy, parent in config.includes:
        if strategy != "no_merge":
            sites.update(_sites(parent))
    sites.update(_sites(config))
    shown = loader.display(config.path)
    return {name: (val,) + sites.get(name, (shown, 0, 0)) for name, val in inputs.items()}


def _sites(config: _Config) -> dict[str, tuple[str, int, int]]:
    attr = config.file.body.attributes.get("inputs")
    if attr is None:
        return {}
    shown = config.loader.display(config.path)
    out = {}
    if isinstance(attr.expr, S.ObjectExpr):
        for key, _ in attr.expr.items:
            if isinstance(key, S.Literal) and isinstance(key.value, str):
                out[key.value] = (shown, key.pos.line, key.pos.column)
            elif isinstance(key, S.Name):
                out[key.name] = (shown, key.pos.line, key.pos.column)
    return out
