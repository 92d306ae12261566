"""Evaluation of one Terraform module in one environment.

:func:`declarations` gathers what a module declares (variables, locals, resources, data
sources, module calls) from its parsed files.  :class:`ModuleEvaluation` evaluates it
with one set of input variables: locals lazily and once, each resource's ``count`` /
``for_each`` into instances, and every argument of every instance into a value that
keeps its source position.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .. import syntax as S
from ..errors import Diagnostic
from ..limits import MAX_INSTANCES
from . import functions as F
from .expressions import ExprEvaluator, Namespace, Scope
from .inputs import convert
from .values import EvalError, Unknown, to_display, to_number, type_name

# Arguments and blocks that configure Terraform itself, not the resource.
META_ARGUMENTS = frozenset({"count", "for_each", "provider", "depends_on"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})

# Computed attributes that are never null once the resource exists.
NONNULL_COMPUTED = frozenset(
    {"id", "arn", "key_id", "name", "identifier", "cluster_identifier", "endpoint", "address",
     "resource_id", "cluster_resource_id", "global_cluster_identifier"}
)


class Located(NamedTuple):
    """A declaration and the file it is in."""

    file: str
    node: Any  # S.Block or S.Attribute


class Declarations:
    """What a module declares, with duplicate declarations reported."""

    def __init__(self, directory: str):
        self.directory = directory
        self.variables: dict[str, Located] = {}
        self.locals: dict[str, Located] = {}
        self.resources: dict[tuple[str, str], Located] = {}
        self.data: dict[tuple[str, str], Located] = {}
        self.modules: dict[str, Located] = {}
        self.diagnostics: list[Diagnostic] = []


def declarations(directory: str, files: list[S.File]) -> Declarations:
    decls = Declarations(directory)

    def add(table: dict, key, file: str, node, what: str) -> None:
        if key in table:
            first = table[key]
            decls.diagnostics.append(
                Diagnostic(
                    "error", file, node.pos.line, node.pos.column,
                    f"{what} is declared twice (also at {first.file}:{first.node.pos.line})",
                    "duplicate-declaration",
                )
            )
            return
        table[key] = Located(file, node)

    for file in files:
        for block in file.body.blocks:
            labels = block.labels
            if block.type == "variable" and len(labels) == 1:
                add(decls.variables, labels[0], file.path, block, f'variable "{labels[0]}"')
            elif block.type == "locals":
                for name, attr in block.body.attributes.items():
                    add(decls.locals, name, file.path, attr, f'local value "{name}"')
            elif block.type == "resource" and len(labels) == 2:
                add(decls.resources, (labels[0], labels[1]), file.path, block, f"{labels[0]}.{labels[1]}")
            elif block.type == "data" and len(labels) == 2:
                add(decls.data, (labels[0], labels[1]), file.path, block, f"data.{labels[0]}.{labels[1]}")
            elif block.type == "module" and len(labels) == 1:
                add(decls.modules, labels[0], file.path, block, f'module "{labels[0]}"')
    return decls


def undeclared_variable_references(decls: Declarations, files: list[S.File]) -> list[Diagnostic]:
    """Every ``var.NAME`` whose variable is not declared, once per place it is written."""
    out: list[Diagnostic] = []
    for file in files:
        for node in _walk(file.body):
            if (
                isinstance(node, S.GetAttr)
                and isinstance(node.obj, S.Name)
                and node.obj.name == "var"
                and node.name not in decls.variables
            ):
                out.append(
                    Diagnostic(
                        "warning", file.path, node.pos.line, node.pos.column,
                        f'reference to undeclared variable "var.{node.name}": declare it with a '
                        f'variable "{node.name}" block; values that depend on it are unknown',
                        "undeclared-variable",
                    )
                )
    out.sort(key=lambda d: (d.file, d.line, d.column))
    return out


def _walk(root):
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, S.Node):
            yield node
            if isinstance(node, S.Body):
                stack.extend(node.attributes.values())
                stack.extend(node.blocks)
                continue
            for name in node._fields():
                stack.append(getattr(node, name))
        elif isinstance(node, (list, tuple)):
            stack.extend(node)


# ---------------------------------------------------------------- evaluated output


class Value(NamedTuple):
    """An evaluated argument: its value and where it is written."""

    value: Any
    pos: S.Pos


class EvalBlock:
    """An evaluated block body: arguments by name and nested blocks in order."""

    __slots__ = ("type", "labels", "pos", "attrs", "blocks")

    def __init__(self, type: str, labels: list[str], pos: S.Pos):
        self.type = type
        self.labels = labels
        self.pos = pos
        self.attrs: dict[str, Value] = {}
        self.blocks: list[EvalBlock] = []

    def blocks_of(self, type_: str) -> list["EvalBlock"]:
        return [b for b in self.blocks if b.type == type_]


class ResourceInstance:
    """One instance of a managed resource in one environment."""

    __slots__ = ("type", "name", "key", "address", "file", "body", "existence")

    def __init__(self, type: str, name: str, key: Any, address: str, file: str, body: EvalBlock,
                 existence: str | None):
        self.type = type
        self.name = name
        self.key = key
        self.address = address
        self.file = file
        self.body = body
        # None when the instance certainly exists; otherwise why it may not
        self.existence = existence

    def __repr__(self) -> str:
        return f"ResourceInstance({self.address})"


def instance_address(type_: str, name: str, key: Any) -> str:
    base = f"{type_}.{name}"
    if key is None:
        return base
    if isinstance(key, int):
        return f"{base}[{key}]"
    return f'{base}["{key}"]'


# ---------------------------------------------------------------- evaluation


class _Cycle(EvalError):
    def __init__(self, what: str):
        super().__init__(f"{what} refers to itself (a dependency cycle)")


class ModuleEvaluation:
    """One module evaluated with one environment's input variables."""

    def __init__(
        self,
        decls: Declarations,
        inputs: dict[str, Any],
        func_ctx: F.FunctionContext,
        diagnostics: list[Diagnostic],
    ):
        self.decls = decls
        self.inputs = inputs
        self.diagnostics = diagnostics
        self.evaluator = ExprEvaluator(func_ctx)
        self.scope = Scope(self._resolve)
        self._locals: dict[str, Any] = {}
        self._in_progress: set = set()
        self._variables: dict[str, Any] = {}
        self._expansions: dict[tuple[str, str], Any] = {}
        self._attr_cache: dict[tuple, Any] = {}
        self._file_stack: list[str] = []
        self._namespaces = {
            "var": _VariablesNS(self),
            "local": _LocalsNS(self),
            "data": _DataNS(self),
            "module": _ModuleNS(self),
            "path": _PathNS(self),
            "terraform": _TerraformNS(),
        }

    # ---------------------------------------------------------------- helpers
    def _report(self, file: str, pos: S.Pos, message: str, code: str = "invalid-expression") -> None:
        diag = Diagnostic("warning", file, pos.line, pos.column, message, code)
        self.diagnostics.append(diag)

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
        return _ResourceTypeNS(self, name)

    # ---------------------------------------------------------------- variables
    def variable(self, name: str) -> Any:
        if name in self._variables:
            return self._variables[name]
        located = self.decls.variables.get(name)
        if located is None:
            value: Any = Unknown(f"var.{name} is not declared")
            self._variables[name] = value
            return value
        attrs = located.node.body.attributes
        nullable = True
        if "nullable" in attrs:
            nullable = self.eval_in(located.file, attrs["nullable"].expr, Scope(_no_references)) is not False
        if name in self.inputs and (self.inputs[name] is not None or nullable):
            value = self.inputs[name]
        elif "default" in attrs:
            # a default is converted to the declared type, as an input value is
            value = self.eval_in(located.file, attrs["default"].expr, Scope(_no_references))
            if "type" in attrs:
                try:
                    value = convert(value, attrs["type"].expr)
                except EvalError as exc:
                    self._report(located.file, attrs["default"].pos,
                                 f'the default of variable "{name}" does not match its type: {exc}')
                    value = Unknown(f"the default of var.{name} does not match its type")
        else:
            value = Unknown(f"var.{name} has no value here: it has no default and no var-file sets it")
        self._variables[name] = value
        return value

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
        body = located.node.body
        result: Any = None
        count = body.attributes.get("count")
        for_each = body.attributes.get("for_each")
        if count is not None:
            value = to_number_safe(self.eval_in(located.file, count.expr))
            if isinstance(value, Unknown):
                result = value
            elif value is None:
                result = None
            elif isinstance(value, str):  # conversion failed, reported already
                self._report(located.file, count.expr.pos, value)
                result = Unknown(f"count of {type_}.{name} is invalid")
            elif value < 0 or int(value) != value:
                self._report(located.file, count.expr.pos,
                             f"count must be a whole number not below 0, not {to_display(value)}")
                result = Unknown(f"count of {type_}.{name} is invalid")
            elif value > MAX_INSTANCES:
                result = self._too_many(located, count.expr.pos, type_, name, f"count = {int(value)}")
            else:
                result = [("count", i, None) for i in range(int(value))]
        elif for_each is not None:
            value = self.eval_in(located.file, for_each.expr)
            if isinstance(value, Unknown):
                result = value
            elif isinstance(value, (dict, list)) and len(value) > MAX_INSTANCES:
                result = self._too_many(located, for_each.expr.pos, type_, name,
                                        f"for_each has {len(value)} elements")
            elif isinstance(value, dict):
                result = [("each", k, value[k]) for k in sorted(value)]
            elif isinstance(value, list):
                if any(isinstance(v, Unknown) for v in value):
                    result = Unknown(f"some keys of the for_each set of {type_}.{name} are unknown")
                elif not all(isinstance(v, str) for v in value):
                    self._report(located.file, for_each.expr.pos,
                                 "for_each needs a map or a set of strings")
                    result = Unknown(f"for_each of {type_}.{name} is invalid")
                else:
                    result = [("each", k, k) for k in sorted(set(value))]
            elif value is None:
                self._report(located.file, for_each.expr.pos, "for_each must not be null")
                result = Unknown(f"for_each of {type_}.{name} is null")
            else:
                self._report(located.file, for_each.expr.pos,
                             f"for_each needs a map or a set of strings, not a {type_name(value)}")
                result = Unknown(f"for_each of {type_}.{name} is invalid")
        self._expansions[cache_key] = result
        return result

    def _too_many(self, located: Located, pos: S.Pos, type_: str, name: str, what: str) -> Unknown:
        self._report(located.file, pos, f"{what}: more than {MAX_INSTANCES} instances, the most rdspolicy "
                     f"expands; {type_}.{name} is checked once, with unknown instance keys", "too-many-instances")
        return Unknown(f"{type_}.{name} has more than {MAX_INSTANCES} instances, which rdspolicy does not expand")

    def _instance_scope(self, type_: str, name: str, key_info) -> Scope:
        if key_info is None:
            return self.scope
        kind, key, value = key_info
        if kind == "count":
            return self.scope.child({"count": {"index": key}})
        if kind == "each":
            return self.scope.child({"each": {"key": key, "value": value}})
        # unknown expansion
        return self.scope.child(kind)

    def _unknown_expansion_scope(self, expansion: Unknown, located: Located) -> Scope:
        body = located.node.body
        names: dict[str, Any] = {}
        if "count" in body.attributes:
            names["count"] = {"index": expansion.with_reason(f"count.index is unknown because {expansion.reason}")}
        else:
            names["each"] = {
                "key": expansion.with_reason(f"each.key is unknown because {expansion.reason}"),
                "value": expansion.with_reason(f"each.value is unknown because {expansion.reason}"),
            }
        return self.scope.child(names)

    def resource_attribute(self, type_: str, name: str, key_info, attr: str) -> Any:
        """The value of ``attr`` of one instance, as another expression sees it."""
        located = self.decls.resources[(type_, name)]
        key = key_info[1] if key_info and not isinstance(key_info, Unknown) else None
        address = instance_address(type_, name, key)
        cache_key = (type_, name, key, attr)
        if cache_key in self._attr_cache:
            return self._attr_cache[cache_key]
        body = located.node.body
        expr_attr = body.attributes.get(attr) if attr not in META_ARGUMENTS else None
        if expr_attr is None:
            blocks = body.blocks_of(attr)
            if blocks:
                value: Any = Unknown(f"{address}.{attr} is a block, read only after apply", {address}, True)
            else:
                value = Unknown(f"{address}.{attr} is known only after apply", {address},
                                attr in NONNULL_COMPUTED)
        else:
            marker = ("resource", type_, name, key, attr)
            if marker in self._in_progress:
                raise _Cycle(f"{address}.{attr}")
            self._in_progress.add(marker)
            try:
                if isinstance(key_info, Unknown):
                    scope = self._unknown_expansion_scope(key_info, located)
                else:
                    scope = self._instance_scope(type_, name, key_info)
                value = self.eval_in(located.file, expr_attr.expr, scope)
            finally:
                self._in_progress.discard(marker)
            if isinstance(value, Unknown):
                value = Unknown(value.reason, value.refs | {address}, value.nonnull)
        self._attr_cache[cache_key] = value
        return value

    def instances(self) -> list[ResourceInstance]:
        """Every managed resource instance of the module, arguments evaluated."""
        out: list[ResourceInstance] = []
        for (type_, name), located in self.decls.resources.items():
            expansion = self.expansion(type_, name)
            if isinstance(expansion, Unknown):
                kind = "count" if "count" in located.node.body.attributes else "for_each"
                scope = self._unknown_expansion_scope(expansion, located)
                body = self._eval_block(located, located.node, scope)
                out.append(ResourceInstance(
                    type_, name, None, instance_address(type_, name, None), located.file, body,
                    f"its {kind} is unknown because {expansion.reason}",
                ))
                continue
            keys = [None] if expansion is None else expansion
            for key_info in keys:
                scope = self._instance_scope(type_, name, key_info)
                key = None if key_info is None else key_info[1]
                body = self._eval_block(located, located.node, scope)
                out.append(ResourceInstance(
                    type_, name, key, instance_address(type_, name, key), located.file, body, None
                ))
        return out

    def _eval_block(self, located: Located, block: S.Block, scope: Scope) -> EvalBlock:
        out = EvalBlock(block.type, block.labels, block.pos)
        self._fill_body(located.file, block.body, scope, out, top=True)
        return out

    def _fill_body(self, file: str, body: S.Body, scope: Scope, out: EvalBlock, top: bool = False) -> None:
        for name, attr in body.attributes.items():
            if top and name in META_ARGUMENTS:
                continue
            out.attrs[name] = Value(self.eval_in(file, attr.expr, scope), attr.pos)
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
            names = {iterator: {"key": collection, "value": collection}}
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


def to_number_safe(value: Any) -> Any:
    """``to_number`` that returns the error text instead of raising."""
    try:
        return to_number(value)
    except EvalError as exc:
        return str(exc)


def _no_references(name: str, pos: S.Pos) -> Any:
    raise EvalError("only literal values are allowed here, not references")


# ---------------------------------------------------------------- namespaces


class _VariablesNS(Namespace):
    def __init__(self, ev: ModuleEvaluation):
        self.ev = ev

    def get_attr(self, name: str, pos: S.Pos) -> Any:
        return self.ev.variable(name)

    def describe(self) -> str:
        return '"var"'


class _LocalsNS(Namespace):
    def __init__(self, ev: ModuleEvaluation):
        self.ev = ev

    def get_attr(self, name: str, pos: S.Pos) -> Any:
        return self.ev.local(name, pos)

    def describe(self) -> str:
        return '"local"'


class _DataNS(Namespace):
    def __init__(self, ev: ModuleEvaluation):
        self.ev = ev

    def get_attr(self, name: str, pos: S.Pos) -> Any:
        return _DataTypeNS(self.ev, name)

    def describe(self) -> str:
        return '"data"'


class _DataTypeNS(Namespace):
    def __init__(self, ev: ModuleEvaluation, type_: str):
        self.ev = ev
        self.type = type_

    def get_attr(self, name: str, pos: S.Pos) -> Any:
        address = f"data.{self.type}.{name}"
        if (self.type, name) not in self.ev.decls.data:
            raise EvalError(f'reference to undeclared data source "{address}"')
        return Unknown(f"{address} is read from AWS during plan", {address}, False)

    def describe(self) -> str:
        return f"data.{self.type}"


class _ModuleNS(Namespace):
    def __init__(self, ev: ModuleEvaluation):
        self.ev = ev

    def get_attr(self, name: str, pos: S.Pos) -> Any:
        if name not in self.ev.decls.modules:
            raise EvalError(f'reference to undeclared module "module.{name}"')
        return Unknown(f"outputs of module.{name} are not evaluated", {f"module.{name}"})

    def describe(self) -> str:
        return '"module"'


class _PathNS(Namespace):
    def __init__(self, ev: ModuleEvaluation):
        self.ev = ev

    def get_attr(self, name: str, pos: S.Pos) -> Any:
        if name in ("module", "root"):
            return self.ev.decls.directory
        if name == "cwd":
            return Unknown("path.cwd depends on where Terraform runs")
        raise EvalError(f'"path.{name}" does not exist; use path.module, path.root or path.cwd')

    def describe(self) -> str:
        return '"path"'


class _TerraformNS(Namespace):
    def get_attr(self, name: str, pos: S.Pos) -> Any:
        if name == "workspace":
            return "default"
        raise EvalError(f'"terraform.{name}" does not exist')

    def describe(self) -> str:
        return '"terraform"'


class _ResourceTypeNS(Namespace):
    def __init__(self, ev: ModuleEvaluation, type_: str):
        self.ev = ev
        self.type = type_

    def get_attr(self, name: str, pos: S.Pos) -> Any:
        if (self.type, name) not in self.ev.decls.resources:
            raise EvalError(f'reference to undeclared resource "{self.type}.{name}"')
        return _ResourceNS(self.ev, self.type, name)

    def as_value(self) -> Any:
        raise EvalError(f'unknown name "{self.type}"')

    def describe(self) -> str:
        return f'"{self.type}"'


class _ResourceNS(Namespace):
    """``aws_x.y``: a resource, before choosing an instance."""

    def __init__(self, ev: ModuleEvaluation, type_: str, name: str):
        self.ev = ev
        self.type = type_
        self.name = name

    def _expansion(self):
        return self.ev.expansion(self.type, self.name)

    def get_attr(self, attr: str, pos: S.Pos) -> Any:
        expansion = self._expansion()
        if isinstance(expansion, Unknown):
            return self.ev.resource_attribute(self.type, self.name, expansion, attr)
        if expansion is not None:
            raise EvalError(
                f"{self.type}.{self.name} has count or for_each: choose an instance, "
                f"e.g. {self.type}.{self.name}[0].{attr}"
            )
        return self.ev.resource_attribute(self.type, self.name, None, attr)

    def index(self, key: Any, pos: S.Pos) -> Any:
        expansion = self._expansion()
        if isinstance(expansion, Unknown):
            return _InstanceNS(self.ev, self.type, self.name, expansion)
        if isinstance(key, Unknown):
            return Unknown(key.reason, key.refs | {f"{self.type}.{self.name}"})
        if expansion is None:
            raise EvalError(f"{self.type}.{self.name} has no count or for_each and cannot be indexed")
        for key_info in expansion:
            if key_info[1] == key or (isinstance(key, float) and key_info[1] == key):
                return _InstanceNS(self.ev, self.type, self.name, key_info)
        raise EvalError(f"{self.type}.{self.name} has no instance with key {to_display(key)}")

    def splat(self) -> Any:
        expansion = self._expansion()
        if isinstance(expansion, Unknown):
            return expansion
        if expansion is None:
            return [_InstanceNS(self.ev, self.type, self.name, None)]
        return [_InstanceNS(self.ev, self.type, self.name, k) for k in expansion]

    def as_value(self) -> Any:
        """The resource as a value: its instances (each known only after apply), so that
        ``length(aws_x.y)`` is known when its count is."""
        expansion = self._expansion()
        base = f"{self.type}.{self.name}"
        if isinstance(expansion, Unknown):
            return Unknown(expansion.reason, expansion.refs | {base})

        def whole(key):
            address = instance_address(self.type, self.name, key)
            return Unknown(f"{address} as a whole is known only after apply", {address}, True)

        if expansion is None:
            return whole(None)
        if expansion and expansion[0][0] == "each":
            return {key: whole(key) for _kind, key, _value in expansion}
        return [whole(key) for _kind, key, _value in expansion]

    def describe(self) -> str:
        return f"{self.type}.{self.name}"


class _InstanceNS(Namespace):
    def __init__(self, ev: ModuleEvaluation, type_: str, name: str, key_info):
        self.ev = ev
        self.type = type_
        self.name = name
        self.key_info = key_info

    def get_attr(self, attr: str, pos: S.Pos) -> Any:
        return self.ev.resource_attribute(self.type, self.name, self.key_info, attr)

    def as_value(self) -> Any:
        key = None if isinstance(self.key_info, Unknown) or self.key_info is None else self.key_info[1]
        address = instance_address(self.type, self.name, key)
        return Unknown(f"{address} as a whole is known only after apply", {address}, True)

    def describe(self) -> str:
        return f"{self.type}.{self.name}"
