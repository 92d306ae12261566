"""Where a fix's change is written: the value traced to its source, per environment.

For one environment, an argument's value comes from one place (:func:`trace`):

- ``literal``: written in the block (resource, module call, parameter) as a constant;
- ``absent``: not written in the block (the provider's default applies);
- ``var-file``: a variable set by a var-file (the environment's own, or an always-loaded
  ``terraform.tfvars`` / ``*.auto.tfvars`` shared by every environment);
- ``default``: a root variable's default;
- ``computed``: any other expression (a conditional, a look-up, a function, a local);
- ``outside``: somewhere rdspolicy does not edit (``TF_VAR_``, ``--var``, a module
  fetched under ``.terraform/``).

A module's variable is followed into the module call of the caller (``module "db" {
multi_az = var.x }``), and further up; a module variable the call does not set is set
by adding the argument to the call, never by editing the module.

:class:`Planner` turns the requests of all environments into edits (``Edit``): one per
place, merged when several environments ask for the same; a variable's default or a
shared var-file is edited only when every environment that uses it asks the same,
otherwise the asking environments' own var-files get an entry; a production-only
change written in the resource of a module that has an environment variable becomes
the environment condition.
"""

from __future__ import annotations

import os
from typing import Any

from .. import syntax as S
from ..rule import AddToList, Fix, MarkSensitive, RemoveFromList, ReplaceArgument, SetArgument, SetParameter
from .text import hcl_value


class NotFixable(Exception):
    """No automatic fix: the message says why."""


class Site:
    """Where one environment's value of an argument comes from."""

    __slots__ = ("kind", "file", "node", "block", "name", "ev", "reason")

    def __init__(self, kind: str, file: str = "", node: Any = None, block: Any = None, name: str = "",
                 ev: Any = None, reason: str = ""):
        self.kind = kind
        self.file = file
        self.node = node  # the attribute (literal, computed, default, var-file entry)
        self.block = block  # the block the argument belongs to (literal, absent)
        self.name = name  # the argument or variable name
        self.ev = ev  # the ModuleEvaluation the block or variable belongs to
        self.reason = reason

    def where(self) -> str:
        line = self.node.pos.line if self.node is not None else self.block.pos.line if self.block is not None else 0
        return f"{self.file}:{line}" if line else self.file


def fetched(path: str) -> bool:
    """Whether ``path`` is inside a module ``terraform init`` (or ``terragrunt init``, in
    ``.terragrunt-cache/``) fetched (never edited)."""
    parts = os.path.normpath(path).split(os.sep)
    return ".terraform" in parts or ".terragrunt-cache" in parts


def unparen(expr: S.Expr) -> S.Expr:
    while isinstance(expr, S.Paren):
        expr = expr.expr
    return expr


def is_literal(expr: S.Expr) -> bool:
    expr = unparen(expr)
    if isinstance(expr, S.Literal):
        return True
    if isinstance(expr, S.Template):
        return all(isinstance(p, str) for p in expr.parts)
    if isinstance(expr, S.UnaryOp):
        return expr.op == "-" and isinstance(unparen(expr.operand), S.Literal)
    if isinstance(expr, S.TupleExpr):
        return all(is_literal(item) for item in expr.items)
    if isinstance(expr, S.ObjectExpr):
        return all(is_literal(value) for _, value in expr.items)
    return False


def literal_value(expr: S.Expr) -> Any:
    expr = unparen(expr)
    if isinstance(expr, S.Literal):
        return expr.value
    if isinstance(expr, S.Template):
        return "".join(expr.parts)
    if isinstance(expr, S.UnaryOp):
        return -literal_value(expr.operand)
    if isinstance(expr, S.TupleExpr):
        return [literal_value(item) for item in expr.items]
    return None


def _variable_name(expr: S.Expr) -> str | None:
    expr = unparen(expr)
    if isinstance(expr, S.GetAttr) and isinstance(expr.obj, S.Name) and expr.obj.name == "var":
        return expr.name
    return None


def trace(ev: Any, file: str, block: S.Block, argument: str) -> Site:
    """Where ``argument`` of ``block`` (in ``file``, of module evaluation ``ev``) gets its value."""
    attr = block.body.attributes.get(argument)
    if attr is None:
        if fetched(file):
            return Site("outside", file, block=block, reason=f"{argument} is not set in a module fetched under "
                        f".terraform/ ({file}:{block.pos.line}), which rdspolicy never edits")
        return Site("absent", file, block=block, name=argument, ev=ev)
    return _trace_expr(ev, file, attr, block)


def _trace_expr(ev: Any, file: str, attr: S.Attribute, block: S.Block) -> Site:
    if fetched(file):
        return Site("outside", file, node=attr, reason=f"the value is written in a module fetched under "
                    f".terraform/ ({file}:{attr.pos.line}), which rdspolicy never edits")
    if is_literal(attr.expr):
        return Site("literal", file, node=attr, block=block, name=attr.name, ev=ev)
    name = _variable_name(attr.expr)
    if name is not None and name in ev.decls.variables:
        return trace_variable(ev, name)
    expr = unparen(attr.expr)
    if isinstance(expr, S.GetAttr) and isinstance(expr.obj, S.Name) and expr.obj.name == "local":
        local = ev.decls.locals.get(expr.name)
        if local is not None:  # where the local value is computed
            return Site("computed", local.file, node=local.node, ev=ev)
    return Site("computed", file, node=attr, ev=ev)


def trace_variable(ev: Any, name: str) -> Site:
    """Where ``var.NAME`` of ``ev`` gets its value in ``ev``'s environment."""
    located = ev.decls.variables[name]
    inputs = ev.inputs
    caller = getattr(inputs, "caller", None)
    if caller is not None:  # a called module: the caller's module block
        call = inputs.located
        arg = inputs.args.get(name)
        if arg is not None:
            return _trace_expr(caller, call.file, arg, call.node)
        return trace(caller, call.file, call.node, name)
    if name in inputs:
        site = ev.input_sites.get(name)
        if site is None:
            return Site("outside", reason=f"var.{name} is given outside the files (TF_VAR_{name} or --var)")
        if site[0].endswith(".hcl"):  # a Terragrunt unit's inputs
            return Site("outside", reason=f"var.{name} is set by the Terragrunt inputs at {site[0]}:{site[1]}, "
                                          f"which rdspolicy fix does not edit")
        return Site("var-file", site[0], name=name, ev=ev)
    default = located.node.body.attributes.get("default")
    if default is None:
        return Site("outside", reason=f"var.{name} has no value and no default")
    if is_literal(default.expr):
        return Site("default", located.file, node=default, block=located.node, name=name, ev=ev)
    return Site("computed", located.file, node=default, ev=ev)


# ---------------------------------------------------------------- locating blocks


def module_of(root_ev: Any, address: str) -> Any:
    """The module evaluation (the root or a called module's instance) whose resources
    include ``address``."""
    best = root_ev
    stack = [root_ev]
    while stack:
        ev = stack.pop()
        if ev.prefix and address.startswith(ev.prefix) and len(ev.prefix) > len(best.prefix):
            best = ev
        if ev.prefix and not address.startswith(ev.prefix):
            continue
        for name in ev.decls.modules:
            try:
                stack.extend(ev.module_instances(name))
            except Exception:  # pragma: no cover - evaluated already by the check
                continue
    return best


def resource_block(root_ev: Any, resource: Any) -> tuple[Any, str, S.Block]:
    """(module evaluation, file, syntax block) of a resource model."""
    ev = module_of(root_ev, resource.address)
    located = ev.decls.resources.get((resource.type, resource.name))
    if located is None:
        raise NotFixable(f"{resource.address} is not found in the configuration")
    return ev, located.file, located.node


# ---------------------------------------------------------------- requests and edits


class Edit:
    """One place to write, for the requests of one or more environments."""

    __slots__ = ("site", "op", "value", "unsafe", "condition", "otherwise", "requests")

    def __init__(self, site: Site, op: str, value: Any, unsafe: str, condition: tuple[str, list[str]] | None,
                 otherwise: Any, requests: list["Request"]):
        self.site = site
        self.op = op
        self.value = value
        self.unsafe = unsafe
        self.condition = condition  # (environment variable, production names): write the condition
        self.otherwise = otherwise
        self.requests = requests

    @property
    def findings(self) -> list[Any]:
        return [r.finding for r in self.requests]


class Request:
    """One environment's wish for one place: ``op`` (set, remove, add-item, remove-item,
    param, param-item, param-list) with its ``value``."""

    __slots__ = ("key", "site", "op", "value", "env", "finding", "fix", "unsafe", "production_only",
                 "otherwise", "at_least", "env_value")

    def __init__(self, key: tuple, site: Site, op: str, value: Any, env: Any, finding: Any, fix: Fix,
                 unsafe: str = "", production_only: bool = False, otherwise: Any = None, at_least: bool = False,
                 env_value: tuple[str, str] | None = None):
        self.key = key
        self.site = site
        self.op = op
        self.value = value
        self.env = env
        self.finding = finding
        self.fix = fix
        self.unsafe = unsafe
        self.production_only = production_only
        self.otherwise = otherwise
        self.at_least = at_least
        self.env_value = env_value  # (variable, its value here) for an environment condition


def _site_key(site: Site, op: str, extra: Any = None) -> tuple:
    """What identifies one edit: the operation, the place, and (for list items) the item."""
    if site.kind in ("literal", "default"):
        return (op, site.file, site.node.pos, extra)
    if site.kind == "absent":
        return (op, site.file, site.block.pos, site.name, extra)
    if site.kind == "var-file":
        return (op, "var-file", site.file, site.name, extra)
    raise AssertionError(site.kind)


def _unwritable(site: Site) -> str | None:
    if site.kind == "computed":
        return f"no automatic fix: the value is computed at {site.where()}"
    if site.kind == "outside":
        return f"no automatic fix: {site.reason}"
    return None


class Planner:
    """Requests from every environment, then the edits that satisfy them."""

    def __init__(self, environment_variables: tuple[str, ...]):
        self.environment_variables = environment_variables
        self.requests: list[Request] = []
        self.refused: list[tuple[Any, Fix | None, str]] = []  # (finding, fix, reason)
        self.module_envs: dict[str, list[Any]] = {}  # root module -> its environments

    # ------------------------------------------------------------ one environment
    def add(self, module: str, env: Any, resource: Any, finding: Any, fix: Fix) -> None:
        """The requests of ``fix`` for ``finding`` on ``resource`` in ``env``; the
        reason when it cannot be placed."""
        made: list[Request] = []
        try:
            for change in fix.changes:
                made += self._requests(env, resource, finding, fix, change)
        except NotFixable as exc:
            self.refused.append((finding, fix, str(exc)))
            return
        except Exception as exc:  # a configuration this placement does not foresee: that finding only
            self.refused.append((finding, fix, f"no automatic fix: rdspolicy could not place it "
                                               f"({type(exc).__name__}: {exc})"))
            return
        self.requests += made

    def _requests(self, env: Any, resource: Any, finding: Any, fix: Fix, change: Any) -> list[Request]:
        root_ev = env.evaluation
        target = getattr(change, "target", None) or resource
        if isinstance(change, SetParameter):
            return self._parameter(env, change, finding, fix)
        ev, file, block = resource_block(root_ev, target)
        if isinstance(change, MarkSensitive):
            variable = ev.decls.variables.get(change.argument)
            if variable is None:
                raise NotFixable(f"no automatic fix: var.{change.argument} is not declared")
            if fetched(variable.file):
                raise NotFixable(f"no automatic fix: var.{change.argument} is declared in a module fetched under "
                                 ".terraform/, which rdspolicy never edits")
            site = trace(ev, variable.file, variable.node, "sensitive")
            if site.kind == "computed":
                raise NotFixable(_unwritable(site))
            return [Request(_site_key(site, "set"), site, "set", True, env, finding, fix, fix.unsafe)]
        if isinstance(change, ReplaceArgument):
            if fetched(file):
                raise NotFixable(f"no automatic fix: {target.address} is in a module fetched under .terraform/")
            out = []
            attr = block.body.attributes.get(change.remove)
            if attr is not None:
                site = Site("literal", file, node=attr, block=block, name=change.remove, ev=ev)
                out.append(Request(("remove", file, attr.pos, None), site, "remove", None, env, finding, fix,
                                   fix.unsafe))
            site = trace(ev, file, block, change.argument)
            reason = _unwritable(site)
            if reason:
                raise NotFixable(reason)
            out.append(Request(_site_key(site, "set"), site, "set", change.value, env, finding, fix, fix.unsafe))
            return out
        site = trace(ev, file, block, change.argument)
        reason = _unwritable(site)
        if reason:
            raise NotFixable(reason)
        if isinstance(change, SetArgument):
            env_value = None
            if change.production_only and site.kind in ("literal", "absent"):
                env_value = self._environment_value(site.ev)
            return [Request(_site_key(site, "set"), site, "set", change.value, env, finding, fix, fix.unsafe,
                            production_only=change.production_only, otherwise=change.otherwise,
                            at_least=change.at_least, env_value=env_value)]
        if isinstance(change, (AddToList, RemoveFromList)):
            op = "add-item" if isinstance(change, AddToList) else "remove-item"
            if site.kind == "absent" and op == "remove-item":
                return []
            return [Request(_site_key(site, op, _hashable(change.item)), site, op, change.item, env, finding, fix,
                            fix.unsafe)]
        raise NotFixable(f"no automatic fix: rdspolicy does not know how to make a {type(change).__name__} change")

    def _environment_value(self, ev: Any) -> tuple[str, str] | None:
        for name in self.environment_variables:
            if name in ev.decls.variables:
                value = ev.variable(name)
                if isinstance(value, str) and value:
                    return name, value
        return None

    def _parameter(self, env: Any, change: SetParameter, finding: Any, fix: Fix) -> list[Request]:
        ev, file, block = resource_block(env.evaluation, change.group)
        wanted = change.name.lower()
        value = change.value if isinstance(change.value, str) else hcl_value(change.value).strip('"')
        for param in block.body.blocks_of("parameter"):
            name_attr = param.body.attributes.get("name")
            if name_attr is None or not is_literal(name_attr.expr):
                continue
            if str(literal_value(name_attr.expr)).strip().lower() != wanted:
                continue
            unsafe = fix.unsafe
            method = param.body.attributes.get("apply_method")
            if method is not None and is_literal(method.expr) and literal_value(method.expr) == "pending-reboot":
                unsafe = unsafe or ('apply_method = "pending-reboot": the database must be rebooted for the '
                                    'change to take effect')
            site = trace(ev, file, param, "value")
            reason = _unwritable(site)
            if reason:
                raise NotFixable(reason)
            return [Request(_site_key(site, "set"), site, "set", value, env, finding, fix, unsafe)]
        dynamic = [b for b in block.body.blocks_of("dynamic") if b.labels == ["parameter"]]
        if dynamic:
            return self._parameter_list(ev, dynamic[0], change, value, env, finding, fix)
        if fetched(file):
            raise NotFixable(f"no automatic fix: {change.group.address} is in a module fetched under .terraform/ "
                             "and does not take its parameters from an input")
        site = Site("block", file, block=block, name=wanted, ev=ev)
        return [Request(("param", file, block.pos, wanted), site, "param", (change.name, value), env, finding, fix,
                        fix.unsafe)]

    def _parameter_list(self, ev, dynamic: S.Block, change: SetParameter, value: str, env, finding, fix):
        """``dynamic "parameter" { for_each = var.parameters }``: the entry of the list the
        module call passes (``parameters = [{ name = ..., value = ... }]``)."""
        for_each = dynamic.body.attributes.get("for_each")
        name = _variable_name(for_each.expr) if for_each is not None else None
        if name is None or name not in ev.decls.variables:
            raise NotFixable(f"no automatic fix: the parameters of {change.group.address} come from an expression "
                             f"(dynamic block at line {dynamic.pos.line})")
        site = trace_variable(ev, name)
        reason = _unwritable(site)
        if reason:
            raise NotFixable(reason)
        if site.kind == "absent":  # the call gives no parameters: add the list
            return [Request(_site_key(site, "set-list"), site, "param-list", (change.name, value), env, finding,
                            fix, fix.unsafe)]
        expr = unparen(site.node.expr) if site.node is not None else None
        if not isinstance(expr, S.TupleExpr):
            raise NotFixable(f"no automatic fix: the parameters of {change.group.address} are not a list written "
                             f"at {site.where()}")
        return [Request(("param-item", site.file, site.node.pos, change.name.lower()), site, "param-item",
                        (change.name, value), env, finding, fix, fix.unsafe)]

    # ------------------------------------------------------------ every environment
    def resolve(self) -> tuple[list["Edit"], list[tuple[Any, Fix | None, str]]]:
        """The requests to write, one per place (merged), and the refused findings."""
        by_key: dict[tuple, list[Request]] = {}
        for request in self.requests:
            by_key.setdefault(request.key, []).append(request)
        final: dict[tuple, list[Request]] = {}
        for key, requests in by_key.items():
            site = requests[0].site
            if site.kind in ("default", "var-file") and requests[0].op in ("set", "add-item", "remove-item"):
                users = self._users(site)
                asking = {id(r.env) for r in requests}
                if users is not None and not all(id(u) in asking for u in users):
                    for request in requests:  # the asking environments' own var-files
                        self._to_own_var_file(request, final)
                    continue
            final.setdefault(key, []).extend(requests)
        chosen: list[Edit] = []
        for key, requests in final.items():
            merged = self._merge(requests)
            if merged is not None:
                chosen.append(merged)
        return chosen, self.refused

    def _users(self, site: Site) -> list[Any] | None:
        """The environments whose value of a root variable comes from ``site`` (a
        default or a shared var-file); None when it is an environment's own var-file."""
        envs = [e for group in self.module_envs.values() for e in group if e.evaluation.decls is site.ev.decls]
        if site.kind == "var-file":
            owners = [e for e in envs if site.file in e.var_files]
            if owners:
                return None  # the environment's own var-file
        out = []
        for env in envs:
            if site.name not in env.evaluation.decls.variables:
                continue
            found = trace_variable(env.evaluation, site.name)
            if found.kind == site.kind and found.file == site.file:
                out.append(env)
        return out

    def _to_own_var_file(self, request: Request, final: dict) -> None:
        env = request.env
        if not env.var_files:
            self.refused.append((request.finding, request.fix, "no automatic fix: the value comes from "
                                 f"{request.site.where()}, which other environments use too, and this environment "
                                 "has no var-file of its own"))
            return
        path = env.var_files[-1]
        site = Site("var-file", path, name=request.site.name, ev=request.site.ev)
        request.site = site
        request.key = _site_key(site, request.op, request.key[-1] if request.op != "set" else None)
        if request.op != "set":
            # the environment's whole list: its current value with the item added or removed
            current = request.site.ev.variable(site.name)
            if not isinstance(current, list):
                self.refused.append((request.finding, request.fix, f"no automatic fix: var.{site.name} is not a list"))
                return
            items = [x for x in current if x != request.value] if request.op == "remove-item" else (
                current + ([request.value] if request.value not in current else []))
            request.op, request.value = "set", items
        final.setdefault(request.key, []).append(request)

    def _merge(self, requests: list[Request]) -> "Edit | None":
        first = requests[0]
        values = []
        for r in requests:
            if r.value not in values:
                values.append(r.value)
        value = first.value
        if len(values) > 1:
            if all(r.at_least for r in requests) and all(isinstance(v, (int, float)) for v in values):
                value = max(values)
            else:
                for r in requests:
                    self.refused.append((r.finding, r.fix, f"no automatic fix: environments need different values "
                                         f"at {first.site.where()}"))
                return None
        condition = None
        if first.production_only and first.site.kind in ("literal", "absent"):
            condition = self._condition(requests)
        unsafe = next((r.unsafe for r in requests if r.unsafe), "")
        return Edit(first.site, first.op, value, unsafe, condition, first.otherwise, requests)

    def _condition(self, requests: list[Request]) -> tuple[str, list[str]] | None:
        """(variable, production names) when a production-only value is written as an
        environment condition: the module has an environment variable and some
        environment that evaluates this place is not production."""
        names = {r.env_value for r in requests if r.env_value is not None}
        variables = {n for n, _ in names}
        if len(variables) != 1:
            return None
        ev = requests[0].site.ev
        envs = [e for group in self.module_envs.values() for e in group]
        others = [e for e in envs if not e.is_production and _evaluates(e, ev)]
        if not others:
            return None
        return variables.pop(), sorted({v for _, v in names})


def _evaluates(env: Any, ev: Any) -> bool:
    """Whether ``env`` evaluates the module whose evaluation in one environment is ``ev``."""
    return env.evaluation.decls is ev.decls or _calls(env.evaluation, ev.decls)


def _calls(root_ev: Any, decls: Any) -> bool:
    stack = [root_ev]
    seen = 0
    while stack and seen < 1000:
        current = stack.pop()
        seen += 1
        if current.decls is decls:
            return True
        for name in current.decls.modules:
            try:
                stack.extend(current.module_instances(name))
            except Exception:  # pragma: no cover
                continue
    return False


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value
