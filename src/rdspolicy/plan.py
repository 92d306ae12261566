"""Terraform plan JSON as an input: ``rdspolicy check plan.json``.

``terraform show -json PLANFILE`` writes the plan as JSON
(https://developer.hashicorp.com/terraform/internals/json-format).  A plan is one
environment: its name is ``--environment``, else the plan's ``variables.environment``
(or ``env``/``stage``), else ``default``.

- Resources come from ``planned_values``: the root module and its ``child_modules``, to
  any depth (managed resources only; data sources are read, not created).
- A value Terraform knows only after apply is marked in the resource change's
  ``change.after_unknown``; it becomes an unknown value ("known after apply").  The
  resources it comes from are read from the ``references`` of the matching expression in
  the ``configuration`` section, so that rules still see which security group or key an
  argument points to.
- An argument the configuration does not write, and whose planned value is unknown
  (an optional, computed argument such as ``multi_az``), is taken as not set, the way
  the HCL route reads it: the provider fills in AWS's default.
- Plan JSON carries no source positions.  When the ``.tf`` files of the configuration
  are beside the plan (the folder of plan.json; a module's folder from its call's
  ``source``, or ``.terraform/modules/modules.json`` for fetched modules), a finding is
  located at the resource block there, and at the argument's line when the argument is
  written in the block.  Otherwise it is located at line 1 of the plan file.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from . import syntax as S
from .errors import Diagnostic
from .evaluate import ENVIRONMENT_VARIABLES, PRODUCTION_NAMES
from .evaluate.declarations import Declarations, Located
from .evaluate.instances import NONNULL_COMPUTED, EvalBlock, ResourceInstance, Value
from .evaluate.loader import ModuleLoader
from .evaluate.values import Unknown

PLAN_START = S.Pos(1, 1, 1, 1)
# nested blocks of the resource types the rules read (the provider schema's block types);
# blocks the configuration section shows as lists of expression objects are added to these
NESTED_BLOCKS = {
    "aws_db_instance": {"restore_to_point_in_time", "s3_import", "blue_green_update", "timeouts"},
    "aws_rds_cluster": {"restore_to_point_in_time", "s3_import", "scaling_configuration",
                        "serverlessv2_scaling_configuration", "timeouts"},
    "aws_db_parameter_group": {"parameter"},
    "aws_rds_cluster_parameter_group": {"parameter"},
}
_MODULE_STEP = re.compile(r'module\.([A-Za-z_][A-Za-z0-9_-]*)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?')


@dataclass
class PlanEnvironment:
    name: str
    is_production: bool
    instances: list[ResourceInstance] = field(default_factory=list)


@dataclass
class PlanResult:
    path: str
    environments: list[PlanEnvironment]
    diagnostics: list[Diagnostic]


def load_plan(path: str, environment: str | None, parse_file: Callable[[str], S.File],
              display: Callable[[str], str] = lambda p: p) -> PlanResult:
    diagnostics: list[Diagnostic] = []
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        diagnostics.append(Diagnostic("error", path, 1, 1, f"cannot read the plan JSON: {exc}", "invalid-plan"))
        return PlanResult(path, [], diagnostics)
    if not isinstance(data, dict) or "planned_values" not in data or "format_version" not in data:
        diagnostics.append(Diagnostic(
            "error", path, 1, 1,
            "not a Terraform plan in JSON (expected the output of terraform show -json PLANFILE, "
            "with format_version and planned_values)", "invalid-plan"))
        return PlanResult(path, [], diagnostics)
    name = environment or _plan_environment(data) or "default"
    env = PlanEnvironment(name, name.lower() in PRODUCTION_NAMES)
    sources = _Sources(path, data.get("configuration") or {}, parse_file, display)
    try:
        changes = {c.get("address"): c for c in data.get("resource_changes") or [] if isinstance(c, dict)}
        for module_address, resource in _planned_resources(data.get("planned_values") or {}):
            instance = _instance(resource, module_address, changes.get(resource.get("address")), sources, path)
            if instance is not None:
                env.instances.append(instance)
    except (AttributeError, TypeError, KeyError) as exc:
        diagnostics.append(Diagnostic("error", path, 1, 1, f"the plan JSON is not in the expected shape: {exc}",
                                      "invalid-plan"))
    diagnostics += sources.loader.diagnostics
    return PlanResult(path, [env], diagnostics)


def _plan_environment(data: dict) -> str | None:
    variables = data.get("variables") or {}
    for name in ENVIRONMENT_VARIABLES:
        entry = variables.get(name)
        if isinstance(entry, dict) and isinstance(entry.get("value"), str) and entry["value"]:
            return entry["value"]
    return None


def _planned_resources(planned: dict):
    """(module address, resource) for every resource of every module, root first."""
    stack = [planned.get("root_module") or {}]
    while stack:
        module = stack.pop(0)
        address = module.get("address", "")
        for resource in module.get("resources") or []:
            yield address, resource
        stack.extend(module.get("child_modules") or [])


def _call_path(module_address: str) -> tuple[str, ...]:
    """``module.a["x"].module.b`` -> ("a", "b")."""
    return tuple(m.group(1) for m in _MODULE_STEP.finditer(module_address))


class _Sources:
    """The configuration section and the .tf files beside the plan, per module path."""

    def __init__(self, plan_path: str, configuration: dict, parse_file, display):
        self.plan_dir = os.path.dirname(plan_path) or "."
        self.configuration = configuration
        self.loader = ModuleLoader(parse_file, display=display)
        self.display = display
        self._decls: dict[tuple[str, ...], Declarations | None] = {}
        self._resources: dict[tuple[str, ...], dict[tuple[str, str], dict]] = {}

    def config_module(self, path: tuple[str, ...]) -> dict:
        module = self.configuration.get("root_module") or {}
        for name in path:
            call = (module.get("module_calls") or {}).get(name) or {}
            module = call.get("module") or {}
        return module

    def config_resource(self, path: tuple[str, ...], type_: str, name: str) -> dict:
        found = self._resources.get(path)
        if found is None:  # indexed once per module: the first managed resource of each name
            found = self._resources[path] = {}
            for resource in self.config_module(path).get("resources") or []:
                key = (resource.get("type"), resource.get("name"))
                if resource.get("mode", "managed") == "managed" and all(isinstance(k, str) for k in key):
                    found.setdefault(key, resource)
        return found.get((type_, name), {})

    def declarations(self, path: tuple[str, ...]) -> Declarations | None:
        if path in self._decls:
            return self._decls[path]
        folder = self._folder(path)
        loaded = self.loader.load(folder) if folder is not None and os.path.isdir(folder) else None
        self._decls[path] = loaded.decls if loaded is not None else None
        return self._decls[path]

    def _folder(self, path: tuple[str, ...]) -> str | None:
        folder = self.display(self.plan_dir)
        module = self.configuration.get("root_module") or {}
        for depth, name in enumerate(path):
            call = (module.get("module_calls") or {}).get(name) or {}
            source = call.get("source")
            if isinstance(source, str) and source.startswith(("./", "../")):
                folder = self.display(os.path.normpath(os.path.join(folder, source)))
            else:
                fetched = self.loader.fetched(self.display(self.plan_dir), path[: depth + 1])
                if fetched is None:
                    return None
                folder = fetched
            module = call.get("module") or {}
        return folder


def _instance(resource: dict, module_address: str, change: dict | None, sources: _Sources,
              plan_path: str) -> ResourceInstance | None:
    if resource.get("mode", "managed") != "managed":
        return None
    type_, name = resource.get("type"), resource.get("name")
    if not isinstance(type_, str) or not isinstance(name, str):
        return None
    path = _call_path(module_address)
    prefix = module_address + "." if module_address else ""
    config = sources.config_resource(path, type_, name)
    expressions = config.get("expressions") or {}
    decls = sources.declarations(path)
    located: Located | None = decls.resources.get((type_, name)) if decls is not None else None
    if located is not None:
        file, block_pos, body = located.file, located.node.pos, located.node.body
    else:
        file, block_pos, body = plan_path, PLAN_START, None

    values = resource.get("values") or {}
    after_unknown = ((change or {}).get("change") or {}).get("after_unknown") or {}
    block_names = NESTED_BLOCKS.get(type_, set()) | {k for k, v in expressions.items() if isinstance(v, list)}
    written = set(expressions)
    if body is not None:
        written_blocks = {b.type for b in body.blocks} | {
            b.labels[0] for b in body.blocks if b.type == "dynamic" and b.labels}
        block_names |= written_blocks  # ingress written as blocks stays blocks
        written |= set(body.attributes) | written_blocks

    out = EvalBlock("resource", [type_, name], block_pos)
    names = sorted(set(values) | {k for k, v in after_unknown.items() if v is not False})
    for attr in names:
        if attr in ("count", "for_each"):
            continue
        unknown = after_unknown.get(attr, False)
        refs, nonnull = _references(expressions.get(attr), module_address, path, sources)
        value = _merge(values.get(attr), unknown, refs, nonnull)
        if isinstance(value, Unknown) and attr not in written:
            value = None  # optional and computed, not written: the provider's default applies
        if attr in block_names and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    out.blocks.append(_nested(attr, item, file, body, block_pos))
            continue
        pos = body.attributes[attr].pos if body is not None and attr in body.attributes else block_pos
        out.attrs[attr] = Value(value, pos)
    key = resource.get("index")
    address = resource.get("address") or prefix + f"{type_}.{name}"
    return ResourceInstance(type_, name, key, address, file, out, None)


def _nested(block_type: str, item: dict, file: str, body: S.Body | None, default: S.Pos) -> EvalBlock:
    """A nested block of the plan, located at the block written for it when there is
    exactly one (a plain block, or the content of a ``dynamic`` block)."""
    written: list[S.Block] = []
    if body is not None:
        written = body.blocks_of(block_type)
        if not written:
            written = [content for b in body.blocks_of("dynamic") if b.labels == [block_type]
                       for content in b.body.blocks_of("content")]
    source = written[0] if len(written) == 1 else None
    block = EvalBlock(block_type, [], source.pos if source is not None else default)
    for key, value in item.items():
        attr = source.body.attributes.get(key) if source is not None else None
        block.attrs[key] = Value(value, attr.pos if attr is not None else block.pos)
    return block


def _references(expression: Any, module_address: str, path: tuple[str, ...], sources: _Sources,
                depth: int = 0) -> tuple[set[str], bool]:
    """Resource addresses an argument's expression refers to, and whether the value is
    certainly not null (a reference to an id or ARN).  References in the plan are
    module-relative: the module's address is put in front, and ``var.x`` in a module is
    followed to the expression its caller passes."""
    refs: set[str] = set()
    nonnull = False
    if not isinstance(expression, dict) or depth > 50:
        return refs, nonnull
    prefix = module_address + "." if module_address else ""
    for ref in expression.get("references") or []:
        if not isinstance(ref, str):
            continue
        if ref.startswith("var.") and path:
            steps = list(_MODULE_STEP.finditer(module_address))
            parent_address = module_address[: steps[-1].start()].rstrip(".") if steps else ""
            call = (sources.config_module(path[:-1]).get("module_calls") or {}).get(path[-1]) or {}
            passed = (call.get("expressions") or {}).get(ref.split(".")[1])
            more, certain = _references(passed, parent_address, path[:-1], sources, depth + 1)
            refs |= more
            nonnull = nonnull or certain
            continue
        if ref.startswith(("var.", "local.", "each.", "count.", "path.", "terraform.", "data.", "self.")):
            continue
        if ref.startswith("module."):
            refs.add(prefix + ".".join(ref.split(".")[:2]))
            continue
        match = re.match(r'^([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)(\[(?:"[^"]*"|\d+)\])?(?:\.(\w+))?', ref)
        if match:
            refs.add(prefix + match.group(1) + "." + match.group(2) + (match.group(3) or ""))
            if match.group(4) in NONNULL_COMPUTED:
                nonnull = True
    # "aws_x.y[0].id" is listed with "aws_x.y[0]" and "aws_x.y": keep the most precise
    precise = {r for r in refs if not any(o != r and o.startswith(r + "[") for o in refs)}
    return precise, nonnull


def _merge(value: Any, unknown: Any, refs: set[str], nonnull: bool) -> Any:
    """The planned value with Terraform's after_unknown marks made into unknowns."""
    if unknown is True:
        return Unknown("known after apply", refs, nonnull)
    if isinstance(unknown, list):
        items = value if isinstance(value, list) else []
        length = max(len(items), len(unknown))
        return [_merge(items[i] if i < len(items) else None, unknown[i] if i < len(unknown) else False,
                       refs, nonnull) for i in range(length)]
    if isinstance(unknown, dict) and unknown:
        base = dict(value) if isinstance(value, dict) else {}
        for key, mark in unknown.items():
            base[key] = _merge(base.get(key), mark, refs, nonnull)
        return base
    return value
