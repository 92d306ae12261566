"""Arguments as the functions read them, shared by the families.

A parameter read as the type Terraform declares it (``string_arg``, ``number_arg``,
``whole_number_arg``, ``bool_arg``, ``list_arg``, ``map_arg``: each converts the way
Terraform converts, or raises Terraform's "Invalid function argument" for the named
parameter), and the comparisons the collection functions share: a set of known values
as Terraform orders it (``set_of``), equality with unknowns inside (``tri_equal``),
the element type of a tuple made a list (``unify``).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from ..values import EvalError, exact, primitive_type, tf_equal, to_number, to_string, Unknown
from .registry import argument_error, fail


def kind_of(value: Any) -> str | None:
    """The broad type of a known non-null value (None for null and unknown)."""
    primitive = primitive_type(value)
    if primitive is not None:
        return primitive
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "map"
    return None


def string_arg(value: Any, param: str, what: str = "string") -> str:
    """A string parameter (numbers and bools convert, as in Terraform), or with ``what``
    ("list of string") an element of one (unknown and null pass through)."""
    if isinstance(value, (list, dict)):
        raise argument_error(param, f"{what} required")
    return to_string(value)


def number_arg(value: Any, param: str) -> int | float:
    """A number parameter (numeric strings convert)."""
    if isinstance(value, (bool, list, dict)):
        raise argument_error(param, "number required")
    try:
        return to_number(value)
    except EvalError:
        raise argument_error(param, f'cannot convert "{value}" to number; given string must be a decimal '
                                    f'representation of a number') from None


def whole_number_arg(value: Any, param: str) -> int:
    """A whole-number parameter."""
    number = number_arg(value, param)
    if isinstance(number, float):
        if not number.is_integer():
            raise argument_error(param, "value must be a whole number")
        number = int(number)
    return number


def bool_arg(value: Any, param: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise argument_error(param, "bool required")


def list_arg(value: Any, param: str, what: str = "list") -> list:
    if not isinstance(value, list):
        raise argument_error(param, f"{what} required")
    return value


def map_arg(value: Any, param: str, what: str = "map") -> dict:
    if not isinstance(value, dict):
        raise argument_error(param, f"{what} required")
    return value


def unify(items: list, param: str, message: str) -> list:
    """Terraform's conversion of a tuple to a list of one element type: numbers and
    bools mixed with strings become strings; numbers mixed with bools (with no string
    to unify them) and primitives mixed with collections fail."""
    kinds = {kind for kind in map(kind_of, items) if kind}
    if len(kinds) <= 1:
        return list(items)
    if kinds <= {"bool", "number", "string"} and "string" in kinds:
        return [to_string(item) if kind_of(item) in ("bool", "number") else item for item in items]
    raise argument_error(param, message)


def set_of(items: list) -> list:
    """A set of wholly known values, as Terraform orders it: strings lexically, numbers
    numerically, false before true, nulls last; other element types keep first-seen order."""
    kinds = {kind_of(item) for item in items if item is not None}
    nulls = [None] if any(item is None for item in items) else []
    rest = [item for item in items if item is not None]
    if len(kinds) == 1 and kinds <= {"string", "number", "bool"}:
        unique: dict[Any, Any] = {}
        for item in rest:
            unique.setdefault(item, item)
        return sorted(unique.values()) + nulls
    out: list = []
    for item in rest:
        if not any(tf_equal(item, seen) for seen in out):
            out.append(item)
    return out + nulls


def tri_equal(left: Any, right: Any) -> bool | None:
    """Terraform's ``==`` where unknowns may be inside: True, False, or None (unknown)."""
    if isinstance(left, Unknown) or isinstance(right, Unknown):
        unknown, other = (left, right) if isinstance(left, Unknown) else (right, left)
        if other is None and unknown.nonnull:
            return False
        return None
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            return False
        pairs = list(zip(left, right))
    elif isinstance(left, dict) and isinstance(right, dict):
        if left.keys() != right.keys():
            return False
        pairs = [(left[key], right[key]) for key in left]
    else:
        return tf_equal(left, right)
    result: bool | None = True
    for a, b in pairs:
        equal = tri_equal(a, b)
        if equal is False:
            return False
        if equal is None:
            result = None
    return result


def exact_finite(number: int | float) -> Fraction:
    """A number as the exact value Terraform holds (see :func:`.values.exact`)."""
    if isinstance(number, float) and not math.isfinite(number):
        fail("cannot use an infinite number here")
    return exact(number)
