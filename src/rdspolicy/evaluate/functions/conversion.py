"""Type conversion functions (``tostring`` ... ``tomap``) and the sensitivity markers,
which rdspolicy passes through.
"""

from __future__ import annotations

from ..values import EvalError, TList, TMap, to_bool, to_number, to_string, TSet, type_name, Unknown
from .arguments import set_of, unify
from .registry import argument_error, has_unknown, register, unknown_of


@register("tostring", propagate=False, null_ok=True, nullable=True)
def _tostring(v):
    if v is None or isinstance(v, Unknown):
        return v
    if isinstance(v, (list, dict)):
        raise argument_error("v", f"cannot convert {type_name(v)} to string")
    return to_string(v)


@register("tonumber", propagate=False, null_ok=True, nullable=True)
def _tonumber(v):
    if v is None or isinstance(v, Unknown):
        return v
    if isinstance(v, (bool, list, dict)):
        raise argument_error("v", f"cannot convert {type_name(v)} to number")
    try:
        return to_number(v)
    except EvalError:
        raise argument_error("v", f'cannot convert "{v}" to number; given string must be a decimal representation '
                                  f'of a number') from None


@register("tobool", propagate=False, null_ok=True, nullable=True)
def _tobool(v):
    if v is None or isinstance(v, Unknown):
        return v
    if isinstance(v, str) and v not in ("true", "false"):
        raise argument_error("v", f'cannot convert "{v}" to bool; only the strings "true" or "false" are allowed')
    if not isinstance(v, (bool, str)):
        raise argument_error("v", f"cannot convert {type_name(v)} to bool")
    return to_bool(v)


@register("tolist", propagate=False, null_ok=True, nullable=True)
def _tolist(v):
    if v is None or isinstance(v, Unknown):
        return v
    if not isinstance(v, list):
        raise argument_error("v", f"cannot convert {type_name(v)} to list of any single type")
    return TList(unify(v, "v", "cannot convert tuple to list of any single type"))


@register("toset", propagate=False, null_ok=True, nullable=True)
def _toset(v):
    if v is None or isinstance(v, Unknown):
        return v
    if not isinstance(v, list):
        raise argument_error("v", f"cannot convert {type_name(v)} to set of any single type")
    items = unify(v, "v", "cannot convert tuple to set of any single type")
    if len(items) <= 1:
        return TSet(items)
    if has_unknown(items):
        return unknown_of(items)  # which elements are duplicates, and their order, are not known yet
    return TSet(set_of(items))


@register("tomap", propagate=False, null_ok=True, nullable=True)
def _tomap(v):
    if v is None or isinstance(v, Unknown):
        return v
    if not isinstance(v, dict):
        raise argument_error("v", f"cannot convert {type_name(v)} to map of any single type")
    keys = list(v)
    return TMap(zip(keys, unify([v[key] for key in keys], "v", "cannot convert object to map of any single type")))


@register("sensitive", propagate=False, null_ok=True, nullable=True)
def _sensitive(value):
    return value  # rdspolicy does not track sensitivity


@register("nonsensitive", propagate=False, null_ok=True, nullable=True)
def _nonsensitive(value):
    return value


@register("ephemeralasnull", propagate=False, null_ok=True, nullable=True)
def _ephemeralasnull(value):
    return value  # values rdspolicy knows are never ephemeral
