"""Input variables: where their values come from, and conversion to declared types.

Terraform's precedence, lowest first (https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence):
environment variables ``TF_VAR_name``; ``terraform.tfvars``; ``terraform.tfvars.json``;
``*.auto.tfvars`` / ``*.auto.tfvars.json`` in lexical order of their names; then
``-var-file`` and ``-var`` options in the order given.  A later source wins.
"""

from __future__ import annotations

import os
from typing import Any, Callable, NamedTuple

from .. import syntax as S
from ..errors import Diagnostic, SourceError
from .expressions import ExprEvaluator, Scope
from .functions import FunctionContext, set_of
from .values import (EvalError, TList, TMap, TObject, TSet, TTuple, Unknown, all_refs, first_unknown, to_bool,
                     to_number, to_string, type_name, untyped)


class InputValue(NamedTuple):
    value: Any
    source: str  # a file path, "TF_VAR_x" or "--var"
    line: int = 0
    column: int = 0


def _literal_only(name: str, pos: S.Pos) -> Any:
    raise EvalError("variable definitions files may only contain literal values, not references")


def values_from_file(file: S.File, diagnostics: list[Diagnostic]) -> dict[str, InputValue]:
    """The assignments of a parsed ``.tfvars`` / ``.tfvars.json`` file."""
    evaluator = ExprEvaluator(FunctionContext(os.path.dirname(file.path), os.path.dirname(file.path)))
    out: dict[str, InputValue] = {}
    for block in file.body.blocks:
        diagnostics.append(Diagnostic(
            "error", file.path, block.pos.line, block.pos.column,
            f'a variables file cannot contain blocks ("{block.type}"): only name = value lines',
            "invalid-tfvars",
        ))
    for name, attr in file.body.attributes.items():
        try:
            value = evaluator.eval(attr.expr, Scope(_literal_only))
        except EvalError as exc:
            diagnostics.append(Diagnostic(
                "error", file.path, attr.expr.pos.line, attr.expr.pos.column,
                f'invalid value for "{name}": {exc}', "invalid-tfvars",
            ))
            continue
        out[name] = InputValue(value, file.path, attr.pos.line, attr.pos.column)
    return out


def parse_cli_var(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` from ``--var``."""
    if "=" not in text:
        raise ValueError(f'--var needs NAME=VALUE, got "{text}"')
    name, value = text.split("=", 1)
    name = name.strip()
    if not name:
        raise ValueError(f'--var needs NAME=VALUE, got "{text}"')
    return name, value


def raw_value(text: str, type_expr: S.Expr | None, parse_expression: Callable[[str], S.Expr]) -> Any:
    """A value given as text (``--var``, ``TF_VAR_``): a string for primitive types, an
    HCL expression for collection and object types, as Terraform reads it."""
    if type_expr is None or _is_primitive(type_expr):
        return text
    expr = parse_expression(text)
    return ExprEvaluator(FunctionContext(".", ".")).eval(expr, Scope(_literal_only))


def _is_primitive(type_expr: S.Expr) -> bool:
    return isinstance(type_expr, S.Name) and type_expr.name in ("string", "number", "bool")


def declared_type(type_expr: S.Expr | None) -> Any:
    """The Terraform type (see :func:`rdspolicy.evaluate.values.type_of`) a type
    constraint makes of any value, or None where it does not fix it (``any``)."""
    if isinstance(type_expr, S.Name):
        return type_expr.name if type_expr.name in ("string", "number", "bool") else None
    if not isinstance(type_expr, S.Call) or not type_expr.args:
        return None
    kind, arg = type_expr.name, type_expr.args[0]
    if kind == "optional":
        return declared_type(arg)
    if kind in ("list", "set", "map"):
        inner = declared_type(arg)
        return None if inner is None else (kind, inner)
    if kind == "tuple" and isinstance(arg, S.TupleExpr):
        items = tuple(declared_type(item) for item in arg.items)
        return None if None in items else ("tuple", items)
    if kind == "object" and isinstance(arg, S.ObjectExpr):
        attrs = {}
        for key_expr, attr_type in arg.items:
            key = key_expr.value if isinstance(key_expr, S.Literal) else None
            attr_ty = declared_type(attr_type)
            if not isinstance(key, str) or attr_ty is None:
                return None
            attrs[key] = attr_ty
        return ("object", tuple(sorted(attrs.items())))
    return None


def convert(value: Any, type_expr: S.Expr | None) -> Any:
    """Convert ``value`` to a declared variable type, as Terraform does on input.
    Raises EvalError when it cannot be converted.  Collections come back marked with
    their type (a ``set(string)`` is a :class:`TSet`); an unknown becomes an unknown of
    the declared type."""
    if type_expr is None or value is None:
        return value
    if isinstance(value, Unknown):
        return Unknown(value.reason, value.refs, value.nonnull, declared_type(type_expr))
    if isinstance(type_expr, S.Name):
        kind = type_expr.name
        if kind == "any":
            return untyped(value)  # its elements may be converted to a type they share
        if kind == "string":
            if isinstance(value, (list, dict)):
                raise EvalError(f"a string is required, got a {type_name(value)}")
            return to_string(value)
        if kind == "number":
            return to_number(value)
        if kind == "bool":
            return to_bool(value)
        return value
    if isinstance(type_expr, S.Call):
        kind = type_expr.name
        arg = type_expr.args[0] if type_expr.args else None
        if kind == "optional":
            return convert(value, arg)
        if kind in ("list", "set"):
            if not isinstance(value, list):
                raise EvalError(f"a {kind} is required, got a {type_name(value)}")
            items = [_element(v, arg) for v in value]
            if kind == "list":
                return TList(items)
            if len(items) > 1 and first_unknown(items) is not None:
                # which elements are duplicates is not known yet (as toset() of them)
                return Unknown("a set whose elements are not all known yet", all_refs(items), True,
                               declared_type(type_expr))
            return TSet(set_of(items))  # unique, in the order toset() gives
        if kind == "map":
            if not isinstance(value, dict):
                raise EvalError(f"a map is required, got a {type_name(value)}")
            return TMap((k, _element(v, arg)) for k, v in value.items())
        if kind == "tuple" and isinstance(arg, S.TupleExpr):
            if not isinstance(value, list) or len(value) != len(arg.items):
                raise EvalError(f"a tuple of {len(arg.items)} elements is required")
            return TTuple(convert(v, t) for v, t in zip(value, arg.items))
        if kind == "object" and isinstance(arg, S.ObjectExpr):
            if not isinstance(value, dict):
                raise EvalError(f"an object is required, got a {type_name(value)}")
            out: dict[str, Any] = {}  # attributes the type does not declare are dropped, as Terraform does
            for key_expr, attr_type in arg.items:
                key = key_expr.value if isinstance(key_expr, S.Literal) else None
                if key is None:
                    continue
                optional = isinstance(attr_type, S.Call) and attr_type.name == "optional"
                if key in value and value[key] is not None:
                    out[key] = convert(value[key], attr_type)
                elif optional:
                    # optional(type, default): the default fills a missing or null attribute
                    default = None
                    if len(attr_type.args) > 1:
                        default = ExprEvaluator(FunctionContext(".", ".")).eval(
                            attr_type.args[1], Scope(_literal_only))
                    out[key] = convert(default, attr_type)
                elif key in value:
                    out[key] = None
                else:
                    raise EvalError(f'attribute "{key}" is required')
            return TObject(out)
    return untyped(value)


def _element(value: Any, type_expr: S.Expr | None) -> Any:
    """An element converted to a collection's element type (``list`` alone is ``list(any)``)."""
    return untyped(value) if type_expr is None else convert(value, type_expr)


def load_tfvars(path: str, diagnostics: list[Diagnostic], parse_file) -> dict[str, InputValue]:
    """Parse a var-file; a file that cannot be parsed is an error diagnostic."""
    try:
        file = parse_file(path)
    except SourceError as exc:
        diagnostics.append(exc.diagnostic())
        return {}
    return values_from_file(file, diagnostics)
