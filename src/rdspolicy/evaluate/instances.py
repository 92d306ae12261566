"""Instances: ``count`` / ``for_each`` expanded into instance keys, and what an evaluated
resource instance is.

:func:`expand` turns a resource's or module call's ``count`` / ``for_each`` into its
instance keys (or an unknown when they are not known before apply);
:func:`instance_scope` and :func:`unknown_expansion_scope` give the names
(``count.index``, ``each.key``, ``each.value``) its arguments are evaluated with.  A
:class:`ResourceInstance` holds one instance's arguments, evaluated, as an
:class:`EvalBlock` of :class:`Value` s.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

from .. import syntax as S
from ..limits import MAX_INSTANCES
from .declarations import Declarations, Located
from .expressions import Scope
from .values import EvalError, Unknown, collection_kind, to_display, to_number, type_name, untyped

# Computed attributes that are never null once the resource exists.
NONNULL_COMPUTED = frozenset(
    {"id", "arn", "key_id", "name", "identifier", "cluster_identifier", "endpoint", "address",
     "resource_id", "cluster_resource_id", "global_cluster_identifier"}
)

# evaluate(file, expr): an expression of the module, evaluated where it is written
Evaluate = Callable[[str, S.Expr], Any]
# report(file, pos, message, code="invalid-expression"): a warning about the module
Report = Callable[..., None]


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

    __slots__ = ("type", "name", "key", "address", "file", "body", "existence", "decls", "call")

    def __init__(self, type: str, name: str, key: Any, address: str, file: str, body: EvalBlock,
                 existence: str | None, decls: Declarations | None = None, call: Any = None):
        self.type = type
        self.name = name
        self.key = key
        self.address = address
        self.file = file
        self.body = body
        # None when the instance certainly exists; otherwise why it may not
        self.existence = existence
        # what the module instance that declares it declares (how its arguments are
        # written: rdspolicy.rule.Context.written); None when not at hand
        self.decls = decls
        # the module call that made its module instance (rdspolicy.evaluate.declarations.CallSite);
        # None in the root module
        self.call = call

    def __repr__(self) -> str:
        return f"ResourceInstance({self.address})"


def instance_address(type_: str, name: str, key: Any) -> str:
    base = f"{type_}.{name}"
    if key is None:
        return base
    if isinstance(key, int):
        return f"{base}[{key}]"
    return f'{base}["{key}"]'


def module_address(name: str, key: Any) -> str:
    return instance_address("module", name, key)


def combine_existence(outer: str | None, own: str | None) -> str | None:
    """Why an instance may not exist, from its own count/for_each and its module's."""
    if outer and own:
        return f"{own}; and {outer}"
    return outer or own


def to_number_safe(value: Any) -> Any:
    """``to_number`` that returns the error text instead of raising."""
    try:
        return to_number(value)
    except EvalError as exc:
        return str(exc)


def expand(located: Located, what: str, evaluate: Evaluate, report: Report) -> Any:
    """count / for_each of a resource or module call: None, [(kind, key, value)], or Unknown."""
    body = located.node.body
    result: Any = None
    count = body.attributes.get("count")
    for_each = body.attributes.get("for_each")
    if count is not None:
        value = to_number_safe(evaluate(located.file, count.expr))
        if isinstance(value, Unknown):
            result = untyped(value)  # stands for the instances, not of its type
        elif value is None:
            result = None
        elif isinstance(value, str):  # conversion failed, reported already
            report(located.file, count.expr.pos, value)
            result = Unknown(f"count of {what} is invalid")
        elif value < 0 or int(value) != value:
            report(located.file, count.expr.pos,
                   f"count must be a whole number not below 0, not {to_display(value)}")
            result = Unknown(f"count of {what} is invalid")
        elif value > MAX_INSTANCES:
            result = _too_many(report, located, count.expr.pos, what, f"count = {int(value)}")
        else:
            result = [("count", i, None) for i in range(int(value))]
    elif for_each is not None:
        value = evaluate(located.file, for_each.expr)
        if isinstance(value, Unknown):
            result = untyped(value)  # stands for the instances, not of its type
        elif isinstance(value, (dict, list)) and len(value) > MAX_INSTANCES:
            result = _too_many(report, located, for_each.expr.pos, what, f"for_each has {len(value)} elements")
        elif isinstance(value, dict):
            result = [("each", k, value[k]) for k in sorted(value)]
        elif isinstance(value, list) and collection_kind(value) in ("list", "tuple"):
            # Terraform refuses it ("Invalid for_each argument"): an error at the argument
            report(located.file, for_each.expr.pos,
                   f"Invalid for_each argument: for_each needs a map or a set of strings, and this is a "
                   f"{collection_kind(value)}; convert it with toset(...) (Terraform refuses it)",
                   "invalid-for-each", "error")
            result = Unknown(f"for_each of {what} is invalid")
        elif isinstance(value, list):
            if any(isinstance(v, Unknown) for v in value):
                result = Unknown(f"some keys of the for_each set of {what} are unknown")
            elif not all(isinstance(v, str) for v in value):
                report(located.file, for_each.expr.pos, "for_each needs a map or a set of strings")
                result = Unknown(f"for_each of {what} is invalid")
            else:
                result = [("each", k, k) for k in sorted(set(value))]
        elif value is None:
            report(located.file, for_each.expr.pos, "for_each must not be null")
            result = Unknown(f"for_each of {what} is null")
        else:
            report(located.file, for_each.expr.pos,
                   f"for_each needs a map or a set of strings, not a {type_name(value)}")
            result = Unknown(f"for_each of {what} is invalid")
    return result


def _too_many(report: Report, located: Located, pos: S.Pos, what: str, detail: str) -> Unknown:
    report(located.file, pos, f"{detail}: more than {MAX_INSTANCES} instances, the most rdspolicy "
           f"expands; {what} is checked once, with unknown instance keys", "too-many-instances")
    return Unknown(f"{what} has more than {MAX_INSTANCES} instances, which rdspolicy does not expand")


def instance_scope(scope: Scope, key_info) -> Scope:
    """The scope of one instance: ``count.index`` or ``each.key`` / ``each.value`` added."""
    if key_info is None:
        return scope
    kind, key, value = key_info
    if kind == "count":
        return scope.child({"count": {"index": key}})
    if kind == "each":
        return scope.child({"each": {"key": key, "value": value}})
    # unknown expansion
    return scope.child(kind)


def unknown_expansion_scope(scope: Scope, expansion: Unknown, located: Located) -> Scope:
    """The scope of the one instance checked when ``count`` / ``for_each`` is unknown: its
    ``count.index`` or ``each.key`` / ``each.value`` are unknown, saying why."""
    body = located.node.body
    names: dict[str, Any] = {}
    if "count" in body.attributes:
        names["count"] = {"index": expansion.with_reason(f"count.index is unknown because {expansion.reason}")}
    else:
        names["each"] = {
            "key": expansion.with_reason(f"each.key is unknown because {expansion.reason}"),
            "value": expansion.with_reason(f"each.value is unknown because {expansion.reason}"),
        }
    return scope.child(names)

