"""Evaluation of one Terraform module instance in one environment.

:class:`ModuleEvaluation` evaluates a module with one set of input variables: locals
lazily and once, each resource's ``count`` / ``for_each`` into instances
(:mod:`.instances`), every argument of every instance into a value that keeps its source
position, and each module it calls, instance by instance, with the call's arguments as
inputs.  What the module declares comes from :mod:`.declarations`, its called modules'
folders from :mod:`.loader`, the names its expressions refer to from :mod:`.namespaces`.
"""

from __future__ import annotations

import os
from typing import Any, Iterator, Mapping

from .. import reads
from .. import syntax as S
from ..errors import Diagnostic
from ..limits import MAX_INSTANCES
from . import functions as F
from .declarations import CallSite, Declarations, Located
from .expressions import ExprEvaluator, Scope
from .inputs import convert, declared_type
from .instances import (
    NONNULL_COMPUTED,
    EvalBlock,
    ResourceInstance,
    Value,
    combine_existence,
    expand,
    instance_address,
    instance_scope,
    module_address,
    unknown_expansion_scope,
)
from .loader import ModuleLoader
from .namespaces import (
    DataNS,
    LocalsNS,
    ModuleNS,
    PathNS,
    ResourceTypeNS,
    TerraformNS,
    VariablesNS,
)
from .values import EvalError, Unknown, all_refs, type_of, untyped

# Arguments and blocks that configure Terraform itself, not the resource.
META_ARGUMENTS = frozenset({"count", "for_each", "provider", "depends_on"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})
# How deep module calls are followed (real configurations nest a few levels; a deeper
# chain is reported rather than risking the interpreter's recursion limit).
MAX_MODULE_DEPTH = 40
# Arguments of a module block that are not input variables.
MODULE_META = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})


_new_tuple = tuple.__new__


class _Cycle(EvalError):
    def __init__(self, what: str):
        super().__init__(f"{what} refers to itself (a dependency cycle)")


class ModuleEvaluation:
    """One module evaluated with one environment's input variables.

    A root module gets its inputs from var-files; a module called by another gets them
    from the call's arguments (``inputs`` is then a :class:`_CallInputs`, evaluated on
    first use in the caller).  ``prefix`` is the module path of the addresses inside
    (``module.dbs["orders"].``), ``stack`` the real folders of the modules being
    evaluated above this one (a folder met again is a module that calls itself).
    """

    def __init__(
        self,
        decls: Declarations,
        inputs: Mapping[str, Any],
        func_ctx: F.FunctionContext,
        diagnostics: list[Diagnostic],
        *,
        prefix: str = "",
        loader: "ModuleLoader | None" = None,
        call_path: tuple[str, ...] = (),
        stack: tuple[str, ...] = (),
        root_directory: str | None = None,
        existence: str | None = None,
        input_sites: dict[str, tuple[str, int, int]] | None = None,
        workspace: str = "default",
    ):
        self.decls = decls
        self.inputs = inputs
        self._call_site: CallSite | None = None
        self.diagnostics = diagnostics
        self.evaluator = ExprEvaluator(func_ctx, self._refused)
        self.func_ctx = func_ctx
        self.scope = Scope(self._resolve)
        self.prefix = prefix
        self.loader = loader
        self.call_path = call_path
        self.stack = stack or ((loader.real if loader is not None else os.path.realpath)(decls.directory),)
        self.root_directory = root_directory if root_directory is not None else decls.directory
        self.existence = existence
        self.input_sites = input_sites or {}
        self.workspace = workspace  # terraform.workspace, the same in every module of the root
        self._locals: dict[str, Any] = {}
        self._in_progress: set = set()
        self._variables: dict[str, Any] = {}
        self._expansions: dict[tuple[str, str], Any] = {}
        self._attr_cache: dict[tuple, Any] = {}
        self._module_expansions: dict[str, Any] = {}
        self._children: dict[tuple, Any] = {}
        self._outputs: dict[str, Any] = {}
        self._file_stack: list[str] = []
        self._namespaces = {
            "var": VariablesNS(self),
            "local": LocalsNS(self),
            "data": DataNS(self),
            "module": ModuleNS(self),
            "path": PathNS(self),
            "terraform": TerraformNS(self.workspace),
        }

    @property
    def call_site(self) -> CallSite | None:
        """The module call that made this module instance (its arguments, the caller's
        declarations, the caller's own call), for how an argument is written; None for
        the root module."""
        if not isinstance(self.inputs, _CallInputs):
            return None
        if self._call_site is None:
            self._call_site = CallSite(self.inputs.args, self.inputs.caller.decls, self.inputs.caller.call_site)
        return self._call_site

    def address(self, type_: str, name: str, key: Any) -> str:
        """The full address of a resource instance of this module."""
        return self.prefix + instance_address(type_, name, key)

    # ---------------------------------------------------------------- helpers
    def _report(self, file: str, pos: S.Pos, message: str, code: str = "invalid-expression",
                severity: str = "warning") -> None:
        diag = Diagnostic(severity, file, pos.line, pos.column, message, code)
        self.diagnostics.append(diag)

    def _refused(self, pos: S.Pos, message: str) -> None:
        """A file function asked to read outside the scanned tree: its value is unknown,
        and the user is told where (never what the file holds)."""
        if self._file_stack:
            self._report(self._file_stack[-1], pos, f"not read: {message}", "file-outside-scan")

    def eval_in(self, file: str, expr: S.Expr, scope: Scope | None = None) -> Any:
        """Evaluate ``expr`` written in ``file``; an error Terraform would report becomes a
        diagnostic there and an unknown value."""
        self._file_stack.append(file)
        try:
            return self.evaluator.eval(expr, scope or self.scope)
        except EvalError as exc:
            self._report(file, expr.pos, f"invalid expression: {exc}")
            return Unknown(f"the expression at {file}:{expr.pos.line} is invalid: {exc}")
        except RecursionError:
            if len(self._file_stack) > 1:
                raise  # unwind to the outermost expression, where there is room to report
            self._report(file, expr.pos, "this expression, or the chain of references it follows, "
                         "is nested too deeply to evaluate", "too-deep")
            return Unknown(f"the expression at {file}:{expr.pos.line} is nested too deeply to evaluate")
        finally:
            self._file_stack.pop()

    def _resolve(self, name: str, pos: S.Pos) -> Any:
        ns = self._namespaces.get(name)
        if ns is not None:
            return ns
        if name in ("count", "each", "self"):
            raise EvalError(f'"{name}" can be used only in a resource with count/for_each')
        return ResourceTypeNS(self, name)

    # ---------------------------------------------------------------- variables
    def variable(self, name: str) -> Any:
        if name in self._variables:
            return self._variables[name]
        located = self.decls.variables.get(name)
        if located is None:
            value: Any = Unknown(f"var.{name} is not declared")
            self._variables[name] = value
            return value
        marker = ("var", name)
        if marker in self._in_progress:
            raise _Cycle(f"var.{name}")
        self._in_progress.add(marker)
        try:
            value = self._variable_value(name, located)
        finally:
            self._in_progress.discard(marker)
        self._variables[name] = value
        self._validate(name, located)
        return value

    def _variable_value(self, name: str, located: Located) -> Any:
        attrs = located.node.body.attributes
        nullable = True
        if "nullable" in attrs:
            nullable = self.eval_in(located.file, attrs["nullable"].expr, Scope(_no_references)) is not False
        if name in self.inputs:
            given = self.inputs[name]
            if given is not None or nullable:
                return given
        if "default" in attrs:
            # a default is converted to the declared type, as an input value is
            value = self.eval_in(located.file, attrs["default"].expr, Scope(_no_references))
            if "type" in attrs:
                try:
                    value = convert(value, attrs["type"].expr)
                except EvalError as exc:
                    self._report(located.file, attrs["default"].pos,
                                 f'the default of variable "{name}" does not match its type: {exc}')
                    value = Unknown(f"the default of var.{name} does not match its type")
            return value
        # whatever value it is given will be of the declared type
        ty = declared_type(attrs["type"].expr) if "type" in attrs else None
        if self.prefix:
            return Unknown(f"var.{name} has no value here: it has no default and the module call "
                           f"does not set it", ty=ty)
        return Unknown(f"var.{name} has no value here: it has no default and no var-file sets it", ty=ty)

    def _input_site(self, name: str, located: Located) -> tuple[str, int, int]:
        site = getattr(self.inputs, "site", None)
        found = site(name) if site is not None else self.input_sites.get(name)
        if found is not None:
            return found
        return located.file, located.node.pos.line, located.node.pos.column

    def _validate(self, name: str, located: Located) -> None:
        """Apply the variable's ``validation`` blocks: a condition that is false is a
        warning where the value is given (Terraform would stop the plan there)."""
        for block in located.node.body.blocks_of("validation"):
            condition = block.body.attributes.get("condition")
            if condition is None:
                continue
            result = self.eval_in(located.file, condition.expr)
            if result is not False:
                continue  # true, or unknown: nothing to say
            message_attr = block.body.attributes.get("error_message")
            message = self.eval_in(located.file, message_attr.expr) if message_attr is not None else None
            text = message if isinstance(message, str) else "the condition is false"
            file, line, column = self._input_site(name, located)
            where = f"var.{name}" + (f" of {self.prefix[:-1]}" if self.prefix else "")
            self.diagnostics.append(Diagnostic(
                "warning", file, line, column,
                f"the value of {where} fails its validation ({located.file}:{block.pos.line}): {text}",
                "variable-validation",
            ))

    # ---------------------------------------------------------------- locals
    def local(self, name: str, pos: S.Pos) -> Any:
        if name in self._locals:
            return self._locals[name]
        located = self.decls.locals.get(name)
        if located is None:
            raise EvalError(f'reference to undeclared local value "local.{name}"')
        key = ("local", name)
        if key in self._in_progress:
            raise _Cycle(f"local.{name}")
        self._in_progress.add(key)
        try:
            value = self.eval_in(located.file, located.node.expr)
        finally:
            self._in_progress.discard(key)
        self._locals[name] = value
        return value

    # ---------------------------------------------------------------- resources
    def expansion(self, type_: str, name: str) -> Any:
        """The instance keys of a resource: None (single instance), a list of keys, or
        an Unknown when count/for_each is not known."""
        cache_key = (type_, name)
        if cache_key in self._expansions:
            return self._expansions[cache_key]
        located = self.decls.resources.get(cache_key)
        assert located is not None
        result = expand(located, f"{self.prefix}{type_}.{name}", self.eval_in, self._report)
        self._expansions[cache_key] = result
        return result

    def resource_attribute(self, type_: str, name: str, key_info, attr: str) -> Any:
        """The value of ``attr`` of one instance, as another expression sees it."""
        located = self.decls.resources[(type_, name)]
        key = key_info[1] if key_info and not isinstance(key_info, Unknown) else None
        address = self.address(type_, name, key)
        cache_key = (type_, name, key, attr)
        if cache_key in self._attr_cache:
            return self._attr_cache[cache_key]
        body = located.node.body
        expr_attr = body.attributes.get(attr) if attr not in META_ARGUMENTS else None
        if expr_attr is None:
            blocks = body.blocks_of(attr)
            if blocks:
                value: Any = Unknown(f"{address}.{attr} is a block, read only after apply", {address}, True)
            elif type_ == "terraform_data" and attr == "output" and "input" in body.attributes:
                value = self._terraform_data_output(type_, name, key_info, address)
            else:
                value = Unknown(f"{address}.{attr} is known only after apply", {address},
                                attr in NONNULL_COMPUTED)
        else:
            marker = ("resource", type_, name, key, attr)
            if marker in self._in_progress:
                raise _Cycle(f"{instance_address(type_, name, key)}.{attr}")
            self._in_progress.add(marker)
            try:
                if isinstance(key_info, Unknown):
                    scope = unknown_expansion_scope(self.scope, key_info, located)
                else:
                    scope = instance_scope(self.scope, key_info)
                value = self.eval_in(located.file, expr_attr.expr, scope)
            finally:
                self._in_progress.discard(marker)
            if isinstance(value, Unknown):
                value = Unknown(value.reason, value.refs | {address}, value.nonnull)
            elif value is None and attr in NONNULL_COMPUTED:
                # written as null (name = null beside name_prefix): the provider computes it
                value = Unknown(f"{address}.{attr} is known only after apply", {address}, True)
            elif type_ != "terraform_data":
                value = untyped(value)  # the provider converts arguments to types rdspolicy does not know
        self._attr_cache[cache_key] = value
        return value

    def _terraform_data_output(self, type_: str, name: str, key_info, address: str) -> Any:
        """``terraform_data``'s ``output``: while Terraform plans its creation, an unknown of
        the type of ``input`` (null when ``input`` is null)."""
        value = self.resource_attribute(type_, name, key_info, "input")
        if value is None:
            return None
        reason = f"{address}.output is known only after apply"
        return Unknown(reason, {address} | all_refs(value), False, type_of(value))

    def instances(self) -> list[ResourceInstance]:
        """Every managed resource instance of the module and of the modules it calls,
        arguments evaluated."""
        out: list[ResourceInstance] = []
        for name, located in self.decls.variables.items():
            if located.node.body.blocks_of("validation"):
                self.variable(name)  # every input is validated, used or not
        for (type_, name), located in self.decls.resources.items():
            expansion = self.expansion(type_, name)
            if isinstance(expansion, Unknown):
                kind = "count" if "count" in located.node.body.attributes else "for_each"
                scope = unknown_expansion_scope(self.scope, expansion, located)
                body = self._eval_block(located, located.node, scope)
                out.append(ResourceInstance(
                    type_, name, None, self.address(type_, name, None), located.file, body,
                    combine_existence(self.existence, f"its {kind} is unknown because {expansion.reason}"),
                    self.decls, self.call_site,
                ))
                continue
            keys = [None] if expansion is None else expansion
            for key_info in keys:
                scope = instance_scope(self.scope, key_info)
                key = None if key_info is None else key_info[1]
                body = self._eval_block(located, located.node, scope)
                out.append(ResourceInstance(
                    type_, name, key, self.address(type_, name, key), located.file, body, self.existence,
                    self.decls, self.call_site,
                ))
        for name in self.decls.modules:
            for child in self.module_instances(name):
                out.extend(child.instances())
        return out

    # ---------------------------------------------------------------- module calls
    def module_expansion(self, name: str) -> Any:
        if name not in self._module_expansions:
            located = self.decls.modules[name]
            self._module_expansions[name] = expand(located, f"{self.prefix}module.{name}", self.eval_in,
                                                   self._report)
        return self._module_expansions[name]

    def module_instances(self, name: str) -> list["ModuleEvaluation"]:
        """The evaluated instances of ``module "name"`` (none when it cannot be evaluated)."""
        expansion = self.module_expansion(name)
        keys = [expansion] if isinstance(expansion, Unknown) else [None] if expansion is None else expansion
        out = []
        for key_info in keys:
            child = self.module_instance(name, key_info)
            if isinstance(child, ModuleEvaluation):
                out.append(child)
        return out

    def module_instance(self, name: str, key_info) -> "ModuleEvaluation | Unknown":
        """One instance of a module call, evaluated with its inputs, or an Unknown saying
        why it is not evaluated."""
        unknown_key = isinstance(key_info, Unknown)
        key = None if key_info is None or unknown_key else key_info[1]
        cache_key = (name, key)
        if cache_key in self._children:
            return self._children[cache_key]
        located = self.decls.modules[name]
        address = self.prefix + module_address(name, key)
        result: Any
        directory, why = self._module_directory(name, located)
        loaded = None
        if directory is not None:
            real = self.loader.real(directory)
            if real in self.stack:
                self._report(located.file, located.node.pos,
                             f'module "{name}" calls {directory}, which is already being evaluated above '
                             f'it (a module that calls itself, directly or through others): '
                             f'not evaluated again', "module-cycle")
                why = f"{address} is a module that calls itself"
            elif len(self.stack) > MAX_MODULE_DEPTH:
                self._report(located.file, located.node.pos,
                             f'module "{name}" is nested more than {MAX_MODULE_DEPTH} module calls deep: '
                             f'it is not evaluated', "module-too-deep")
                why = f"{address} is nested too deeply to evaluate"
            else:
                loaded = self.loader.load(directory)
                if loaded is None:
                    self._report(located.file, located.node.pos,
                                 f'module "{name}": {directory} holds no Terraform files; '
                                 f'the module is not evaluated', "module-not-found")
                    why = f"{address} is not evaluated: {directory} holds no Terraform files"
        if loaded is None:
            result = Unknown(why or f"{address} is not evaluated", {address})
            self._children[cache_key] = result
            return result
        if unknown_key:
            scope = unknown_expansion_scope(self.scope, key_info, located)
            kind = "count" if "count" in located.node.body.attributes else "for_each"
            existence = combine_existence(self.existence,
                                          f"the {kind} of {address} is unknown because {key_info.reason}")
        else:
            scope = instance_scope(self.scope, key_info)
            existence = self.existence
        inputs = _CallInputs(self, name, located, scope, loaded.decls)
        child = ModuleEvaluation(
            loaded.decls, inputs, F.FunctionContext(loaded.directory, self.func_ctx.root_dir,
                                                    root_module_dir=self.func_ctx.root_module_dir),
            self.diagnostics, prefix=address + ".", loader=self.loader, call_path=self.call_path + (name,),
            stack=self.stack + (self.loader.real(loaded.directory),), root_directory=self.root_directory,
            existence=existence, workspace=self.workspace,
        )
        self._children[cache_key] = child
        inputs.check_arguments()
        return child

    def _module_directory(self, name: str, located: Located) -> tuple[str | None, str]:
        """The folder of a module call's source, or None and why not."""
        source_attr = located.node.body.attributes.get("source")
        address = self.prefix + f"module.{name}"
        if source_attr is None:
            self._report(located.file, located.node.pos, f'module "{name}" has no source', "module-not-found")
            return None, f"{address} has no source"
        if not isinstance(source_attr.expr, S.Literal):
            # OpenTofu evaluates variables and locals in a module source early; Terraform
            # refuses them: either way not followed here
            self._report(located.file, source_attr.pos,
                         f'module "{name}": its source is an expression, not a literal string; rdspolicy does '
                         f'not evaluate variables or locals in module sources (OpenTofu does): the call is not '
                         f'followed, and nothing it would create is checked', "module-not-evaluated")
            return None, f"{address} is not evaluated: its source is an expression"
        source = self.eval_in(located.file, source_attr.expr, Scope(_no_references))
        if not isinstance(source, str):
            return None, f"the source of {address} is not a text"
        if self.loader is None:
            return None, f"{address} is not evaluated"
        if source.startswith(("./", "../")):
            directory = self.loader.display(os.path.normpath(os.path.join(self.decls.directory, source)))
            reads.folder(directory)
            if not os.path.isdir(directory):
                self._report(located.file, source_attr.pos,
                             f'module "{name}": the folder "{source}" does not exist ({directory}); '
                             f'the module is not evaluated', "module-not-found")
                return None, f"{address} is not evaluated: its folder {directory} does not exist"
            return directory, ""
        fetched = self.loader.fetched(self.root_directory, self.call_path + (name,))
        if fetched is not None:
            return fetched, ""
        self._report(located.file, source_attr.pos,
                     f'module "{name}" comes from "{source}", which terraform init has not fetched '
                     f'(no entry in .terraform/modules/modules.json): it is not evaluated, and nothing '
                     f'inside it is checked', "module-not-evaluated")
        return None, f'{address} is not evaluated: its source "{source}" is not fetched'

    def output(self, name: str) -> Any:
        """The value of ``output "name"`` of this module, as its caller sees it."""
        if name in self._outputs:
            return self._outputs[name]
        located = self.decls.outputs.get(name)
        if located is None:
            raise EvalError(f'{self.prefix[:-1] or "the module"} has no output "{name}"')
        marker = ("output", name)
        if marker in self._in_progress:
            raise _Cycle(f"{self.prefix}output.{name}")
        value_attr = located.node.body.attributes.get("value")
        self._in_progress.add(marker)
        try:
            value = self.eval_in(located.file, value_attr.expr) if value_attr is not None else None
        finally:
            self._in_progress.discard(marker)
        self._outputs[name] = value
        return value

    def outputs(self) -> dict[str, Any]:
        return {name: self.output(name) for name in sorted(self.decls.outputs)}

    def _eval_block(self, located: Located, block: S.Block, scope: Scope) -> EvalBlock:
        out = EvalBlock(block.type, block.labels, block.pos)
        self._fill_body(located.file, block.body, scope, out, top=True)
        return out

    def _fill_body(self, file: str, body: S.Body, scope: Scope, out: EvalBlock, top: bool = False) -> None:
        for name, attr in body.attributes.items():
            if top and name in META_ARGUMENTS:
                continue
            # Value(...) made by tuple.__new__ (C), not the named tuple's Python __new__
            out.attrs[name] = _new_tuple(Value, (self.eval_in(file, attr.expr, scope), attr.pos))
        for block in body.blocks:
            if top and block.type in META_BLOCKS:
                continue
            if block.type == "dynamic" and block.labels:
                out.blocks.extend(self._dynamic(file, block, scope))
                continue
            child = EvalBlock(block.type, block.labels, block.pos)
            self._fill_body(file, block.body, scope, child)
            out.blocks.append(child)

    def _dynamic(self, file: str, block: S.Block, scope: Scope) -> list[EvalBlock]:
        """Expand ``dynamic "x" { for_each = ...; content { ... } }``."""
        label = block.labels[0]
        for_each = block.body.attributes.get("for_each")
        iterator_attr = block.body.attributes.get("iterator")
        iterator = label
        if iterator_attr is not None and isinstance(iterator_attr.expr, S.Name):
            iterator = iterator_attr.expr.name
        contents = block.body.blocks_of("content")
        if for_each is None or not contents:
            self._report(file, block.pos, f'dynamic "{label}" needs for_each and a content block')
            return []
        collection = self.eval_in(file, for_each.expr, scope)
        content = contents[0]
        if isinstance(collection, (dict, list)) and len(collection) > MAX_INSTANCES:
            self._report(file, for_each.expr.pos, f'dynamic "{label}": for_each has {len(collection)} elements, '
                         f"more than the {MAX_INSTANCES} blocks rdspolicy expands; checked as one block "
                         f"repeated an unknown number of times", "too-many-instances")
            collection = Unknown(f'dynamic "{label}" has more than {MAX_INSTANCES} blocks, which rdspolicy '
                                 f"does not expand")
        if isinstance(collection, Unknown):
            # how many blocks there will be is unknown: one block whose values are unknown
            unknown = untyped(collection)  # neither key nor value is of the collection's type
            names = {iterator: {"key": unknown, "value": unknown}}
            child = EvalBlock(label, [], content.pos)
            self._fill_body(file, content.body, scope.child(names), child)
            child.attrs["__unknown_repetition__"] = Value(collection, block.pos)
            return [child]
        if isinstance(collection, dict):
            pairs = [(k, collection[k]) for k in sorted(collection)]
        elif isinstance(collection, list):
            pairs = list(enumerate(collection))
        else:
            self._report(file, for_each.expr.pos, "a dynamic block's for_each needs a collection")
            return []
        out = []
        for key, value in pairs:
            child = EvalBlock(label, [], content.pos)
            self._fill_body(file, content.body, scope.child({iterator: {"key": key, "value": value}}), child)
            out.append(child)
        return out


class _CallInputs(Mapping):
    """The input variables of a called module: the call's arguments, evaluated in the
    caller on first use and converted to the declared types."""

    def __init__(self, caller: ModuleEvaluation, name: str, located: Located, scope: Scope,
                 callee: Declarations):
        self.caller = caller
        self.name = name
        self.located = located
        self.scope = scope
        self.callee = callee
        self.args = {n: a for n, a in located.node.body.attributes.items() if n not in MODULE_META}
        self._values: dict[str, Any] = {}

    def __contains__(self, name: object) -> bool:
        return name in self.args

    def __iter__(self) -> Iterator[str]:
        return iter(self.args)

    def __len__(self) -> int:
        return len(self.args)

    def __getitem__(self, name: str) -> Any:
        if name in self._values:
            return self._values[name]
        attr = self.args[name]
        file = self.located.file
        value = self.caller.eval_in(file, attr.expr, self.scope)
        variable = self.callee.variables.get(name)
        type_attr = variable.node.body.attributes.get("type") if variable is not None else None
        if type_attr is not None:
            try:
                value = convert(value, type_attr.expr)
            except EvalError as exc:
                self.caller._report(file, attr.pos, f'invalid value for variable "{name}" of module '
                                    f'"{self.name}": {exc}', "invalid-module-input")
                value = Unknown(f"the value given for var.{name} of module.{self.name} is invalid")
        self._values[name] = value
        return value

    def site(self, name: str) -> tuple[str, int, int] | None:
        attr = self.args.get(name)
        if attr is None:
            return None
        return self.located.file, attr.pos.line, attr.pos.column

    def check_arguments(self) -> None:
        """Arguments the module does not declare, and required variables not given."""
        file = self.located.file
        for name, attr in self.args.items():
            if name not in self.callee.variables:
                self.caller._report(file, attr.pos, f'module "{self.name}" ({self.callee.directory}) '
                                    f'declares no variable "{name}"', "unsupported-module-argument")
        for name, variable in self.callee.variables.items():
            if name not in self.args and "default" not in variable.node.body.attributes:
                self.caller._report(file, self.located.node.pos,
                                    f'module "{self.name}" needs a value for variable "{name}" '
                                    f'(it has no default); values that depend on it are unknown',
                                    "missing-module-input")

def _no_references(name: str, pos: S.Pos) -> Any:
    raise EvalError("only literal values are allowed here, not references")

