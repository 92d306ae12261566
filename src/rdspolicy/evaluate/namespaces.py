"""The names an expression of a module refers to: ``var``, ``local``, ``data``,
``module``, ``path``, ``terraform`` and resources (``aws_x.y``, ``aws_x.y[0]``,
``aws_x.y[*]``).

Each namespace answers for one :class:`~rdspolicy.evaluate.module.ModuleEvaluation`
(``ev``), asking it for values (``ev.variable``, ``ev.local``, ``ev.resource_attribute``,
``ev.module_instance``, ...), so that each value is evaluated once and where it is
declared.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from .. import syntax as S
from .expressions import Namespace
from .values import EvalError, Unknown, to_display

if TYPE_CHECKING:  # annotations only: the evaluation imports this module
    from .module import ModuleEvaluation


class VariablesNS(Namespace):
    def __init__(self, ev: ModuleEvaluation):
        self.ev = ev

    def get_attr(self, name: str, pos: S.Pos) -> Any:
        return self.ev.variable(name)

    def describe(self) -> str:
        return '"var"'


class LocalsNS(Namespace):
    def __init__(self, ev: ModuleEvaluation):
        self.ev = ev

    def get_attr(self, name: str, pos: S.Pos) -> Any:
        return self.ev.local(name, pos)

    def describe(self) -> str:
        return '"local"'


class DataNS(Namespace):
    def __init__(self, ev: ModuleEvaluation):
        self.ev = ev

    def get_attr(self, name: str, pos: S.Pos) -> Any:
        return DataTypeNS(self.ev, name)

    def describe(self) -> str:
        return '"data"'


class DataTypeNS(Namespace):
    def __init__(self, ev: ModuleEvaluation, type_: str):
        self.ev = ev
        self.type = type_

    def get_attr(self, name: str, pos: S.Pos) -> Any:
        address = f"{self.ev.prefix}data.{self.type}.{name}"
        if (self.type, name) not in self.ev.decls.data:
            raise EvalError(f'reference to undeclared data source "data.{self.type}.{name}"')
        return Unknown(f"{address} is read from AWS during plan", {address}, False)

    def describe(self) -> str:
        return f"data.{self.type}"


class ModuleNS(Namespace):
    def __init__(self, ev: ModuleEvaluation):
        self.ev = ev

    def get_attr(self, name: str, pos: S.Pos) -> Any:
        if name not in self.ev.decls.modules:
            raise EvalError(f'reference to undeclared module "module.{name}"')
        return ModuleCallNS(self.ev, name)

    def describe(self) -> str:
        return '"module"'


def _output_of(child: Any, name: str) -> Any:
    if isinstance(child, Unknown):
        return child
    return child.output(name)


def _outputs_of(child: Any) -> Any:
    if isinstance(child, Unknown):
        return child
    return child.outputs()


class ModuleCallNS(Namespace):
    """``module.x``: a module call, before choosing an instance."""

    def __init__(self, ev: ModuleEvaluation, name: str):
        self.ev = ev
        self.name = name

    def get_attr(self, attr: str, pos: S.Pos) -> Any:
        expansion = self.ev.module_expansion(self.name)
        if isinstance(expansion, Unknown):
            return _output_of(self.ev.module_instance(self.name, expansion), attr)
        if expansion is not None:
            raise EvalError(f"module.{self.name} has count or for_each: choose an instance, "
                            f"e.g. module.{self.name}[0].{attr}")
        return _output_of(self.ev.module_instance(self.name, None), attr)

    def index(self, key: Any, pos: S.Pos) -> Any:
        expansion = self.ev.module_expansion(self.name)
        if isinstance(expansion, Unknown):
            return ModuleInstanceNS(self.ev, self.name, expansion)
        if isinstance(key, Unknown):
            return Unknown(key.reason, key.refs | {self.ev.prefix + f"module.{self.name}"})
        if expansion is None:
            raise EvalError(f"module.{self.name} has no count or for_each and cannot be indexed")
        for key_info in expansion:
            if key_info[1] == key:
                return ModuleInstanceNS(self.ev, self.name, key_info)
        raise EvalError(f"module.{self.name} has no instance with key {to_display(key)}")

    def splat(self) -> Any:
        expansion = self.ev.module_expansion(self.name)
        if isinstance(expansion, Unknown):
            return expansion
        if expansion is None:
            return [ModuleInstanceNS(self.ev, self.name, None)]
        return [ModuleInstanceNS(self.ev, self.name, k) for k in expansion]

    def as_value(self) -> Any:
        expansion = self.ev.module_expansion(self.name)
        if isinstance(expansion, Unknown):
            return expansion
        if expansion is None:
            return _outputs_of(self.ev.module_instance(self.name, None))
        values = [(k[1], _outputs_of(self.ev.module_instance(self.name, k))) for k in expansion]
        if expansion and expansion[0][0] == "each":
            return dict(values)
        return [v for _k, v in values]

    def describe(self) -> str:
        return f"module.{self.name}"


class ModuleInstanceNS(Namespace):
    def __init__(self, ev: ModuleEvaluation, name: str, key_info):
        self.ev = ev
        self.name = name
        self.key_info = key_info

    def get_attr(self, attr: str, pos: S.Pos) -> Any:
        return _output_of(self.ev.module_instance(self.name, self.key_info), attr)

    def as_value(self) -> Any:
        return _outputs_of(self.ev.module_instance(self.name, self.key_info))

    def describe(self) -> str:
        return f"module.{self.name}"


class PathNS(Namespace):
    def __init__(self, ev: ModuleEvaluation):
        self.ev = ev

    def get_attr(self, name: str, pos: S.Pos) -> Any:
        # as `terraform plan` run in the root module's folder gives them: path.root is
        # ".", path.module the module's folder from there, path.cwd that folder in full
        if name == "module":
            relative = os.path.relpath(os.path.abspath(self.ev.decls.directory),
                                       os.path.abspath(self.ev.root_directory))
            return relative.replace(os.sep, "/")
        if name == "root":
            return "."
        if name == "cwd":
            return os.path.abspath(self.ev.root_directory).replace(os.sep, "/")
        raise EvalError(f'"path.{name}" does not exist; use path.module, path.root or path.cwd')

    def describe(self) -> str:
        return '"path"'


class TerraformNS(Namespace):
    def __init__(self, workspace: str = "default"):
        self.workspace = workspace  # the environment's workspace ("default" without workspaces)

    def get_attr(self, name: str, pos: S.Pos) -> Any:
        if name == "workspace":
            return self.workspace
        raise EvalError(f'"terraform.{name}" does not exist')

    def describe(self) -> str:
        return '"terraform"'


class ResourceTypeNS(Namespace):
    def __init__(self, ev: ModuleEvaluation, type_: str):
        self.ev = ev
        self.type = type_

    def get_attr(self, name: str, pos: S.Pos) -> Any:
        if (self.type, name) not in self.ev.decls.resources:
            raise EvalError(f'reference to undeclared resource "{self.type}.{name}"')
        return ResourceNS(self.ev, self.type, name)

    def as_value(self) -> Any:
        raise EvalError(f'unknown name "{self.type}"')

    def describe(self) -> str:
        return f'"{self.type}"'


class ResourceNS(Namespace):
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
            return InstanceNS(self.ev, self.type, self.name, expansion)
        if isinstance(key, Unknown):
            return Unknown(key.reason, key.refs | {self.ev.address(self.type, self.name, None)})
        if expansion is None:
            raise EvalError(f"{self.type}.{self.name} has no count or for_each and cannot be indexed")
        for key_info in expansion:
            if key_info[1] == key or (isinstance(key, float) and key_info[1] == key):
                return InstanceNS(self.ev, self.type, self.name, key_info)
        raise EvalError(f"{self.type}.{self.name} has no instance with key {to_display(key)}")

    def splat(self) -> Any:
        expansion = self._expansion()
        if isinstance(expansion, Unknown):
            # the instances are unknown, not where they come from
            return Unknown(expansion.reason, expansion.refs | {self.ev.address(self.type, self.name, None)})
        if expansion is None:
            return [InstanceNS(self.ev, self.type, self.name, None)]
        return [InstanceNS(self.ev, self.type, self.name, k) for k in expansion]

    def as_value(self) -> Any:
        """The resource as a value: its instances (each known only after apply), so that
        ``length(aws_x.y)`` is known when its count is."""
        expansion = self._expansion()
        base = self.ev.address(self.type, self.name, None)
        if isinstance(expansion, Unknown):
            return Unknown(expansion.reason, expansion.refs | {base})

        def whole(key):
            address = self.ev.address(self.type, self.name, key)
            return Unknown(f"{address} as a whole is known only after apply", {address}, True)

        if expansion is None:
            return whole(None)
        if expansion and expansion[0][0] == "each":
            return {key: whole(key) for _kind, key, _value in expansion}
        return [whole(key) for _kind, key, _value in expansion]

    def describe(self) -> str:
        return f"{self.type}.{self.name}"


class InstanceNS(Namespace):
    def __init__(self, ev: ModuleEvaluation, type_: str, name: str, key_info):
        self.ev = ev
        self.type = type_
        self.name = name
        self.key_info = key_info

    def get_attr(self, attr: str, pos: S.Pos) -> Any:
        return self.ev.resource_attribute(self.type, self.name, self.key_info, attr)

    def as_value(self) -> Any:
        key = None if isinstance(self.key_info, Unknown) or self.key_info is None else self.key_info[1]
        address = self.ev.address(self.type, self.name, key)
        return Unknown(f"{address} as a whole is known only after apply", {address}, True)

    def describe(self) -> str:
        return f"{self.type}.{self.name}"
