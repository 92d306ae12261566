"""How an argument is written in its module: :meth:`rdspolicy.rule.Context.written`.

Read from the syntax tree of the module instance that declares the resource (the root
module or a called one), with that module's own locals and variable declarations:
which input variables the value can come from (following locals), whether it can come
from anything else, and the constant strings written in it.  In a called module, a
variable's value is followed to the call that gives it
(:class:`rdspolicy.evaluate.declarations.CallSite`): a literal
written in the caller is a literal too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from . import syntax as S

if TYPE_CHECKING:
    from .evaluate.declarations import CallSite
    from .evaluate.module import Declarations
    from .models import Resource


@dataclass(frozen=True)
class InputVariable:
    """An input variable an argument's value can come from (see :meth:`Context.written`),
    as the module that declares the resource declares it."""

    name: str
    declared: bool  # False: ``var.NAME`` with no ``variable "NAME"`` block in the module
    has_default: bool  # a ``default`` other than null
    sensitive: bool  # ``sensitive = true``
    ephemeral: bool = False  # ``ephemeral = true`` (Terraform 1.10): never in a plan or state


@dataclass(frozen=True)
class Written:
    """How an argument of a resource is written in the module that declares the
    resource (see :meth:`Context.written`)."""

    # the value is known without any input variable: a literal, locals made of literals,
    # or one of the constant strings written in the expression (``coalesce(var.x, "pw")``)
    literal: bool
    # the input variables the value can come from, following locals, by name
    variables: tuple[InputVariable, ...]
    # the value can also come from something else: a resource, a data source, a module
    # output, a local that is not declared
    other: bool


def how_written(decls: Declarations, resource: Resource, argument: str,
                call: CallSite | None = None) -> Written | None:
    located = decls.resources.get((resource.type, resource.name))
    attribute = located.node.body.attributes.get(argument) if located is not None else None
    if attribute is None:
        return None
    names, other, constants = _sources(attribute.expr, decls, set())
    value = resource.attr(argument)
    literal = value.known and ((not names and not other) or _in(value.value, constants)
                               or any(_literal_in_caller(name, call) for name in names))
    return Written(literal, tuple(_variable(name, decls) for name in sorted(names)), other)


def _literal_in_caller(name: str, call: CallSite | None) -> bool:
    """Whether the call that gives input variable ``name`` its value writes a literal
    for it (directly, or through the caller's own locals and callers)."""
    attribute = call.arguments.get(name) if call is not None else None
    if attribute is None:
        return False
    names, other, _ = _sources(attribute.expr, call.decls, set())
    return (not names and not other) or any(_literal_in_caller(n, call.caller) for n in names)


def _in(value, constants: set[str]) -> bool:
    try:
        return value in constants
    except TypeError:  # a list or map: never one of the constant strings
        return False


def _variable(name: str, decls: Declarations) -> InputVariable:
    located = decls.variables.get(name)
    if located is None:
        return InputVariable(name, declared=False, has_default=False, sensitive=False)
    body = located.node.body
    default = body.attributes.get("default")
    return InputVariable(
        name, declared=True,
        has_default=default is not None and not (isinstance(default.expr, S.Literal) and default.expr.value is None),
        sensitive=_is_true(body.attributes.get("sensitive")),
        ephemeral=_is_true(body.attributes.get("ephemeral")),
    )


def _is_true(attribute) -> bool:
    return attribute is not None and isinstance(attribute.expr, S.Literal) and attribute.expr.value is True


def _value_parts(node) -> Iterator:
    """The parts of an expression its value can come from: not a condition's test nor
    an index's key (``cond ? a : b`` takes its value from ``a`` or ``b``)."""
    if isinstance(node, S.Conditional):
        yield node.then
        yield node.else_
    elif isinstance(node, S.Index):
        yield node.obj
    elif isinstance(node, S.Node):
        yield from S.children(node)
    elif isinstance(node, (list, tuple)):
        yield from node


def _sources(expr: S.Expr, decls: Declarations, seen: set[str]) -> tuple[set[str], bool, set[str]]:
    """(the variables an expression's value can come from, following locals; whether it
    can come from anything else; the constant strings written in it)."""
    variables: set[str] = set()
    constants: set[str] = set()
    other = False
    stack: list = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, S.GetAttr) and isinstance(node.obj, S.Name) and node.obj.name in ("var", "local"):
            if node.obj.name == "var":
                variables.add(node.name)
            elif node.name not in seen:
                seen.add(node.name)
                local = decls.locals.get(node.name)
                if local is None:
                    other = True
                else:
                    found, uses_other, texts = _sources(local.node.expr, decls, seen)
                    variables |= found
                    constants |= texts
                    other = other or uses_other
            continue
        if isinstance(node, S.Literal) and isinstance(node.value, str):
            constants.add(node.value)
        elif isinstance(node, S.Template) and all(isinstance(p, str) for p in node.parts):
            constants.add("".join(node.parts))
        if isinstance(node, S.Name):
            other = True
        stack.extend(_value_parts(node))
    return variables, other, constants
