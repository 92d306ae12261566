"""Numeric functions, on Terraform's numbers (integers exact, others as binary floating point
where Terraform's big floats agree with them).
"""

from __future__ import annotations

import math

from ..values import normalize_number, type_name
from .arguments import number_arg, whole_number_arg
from .registry import argument_error, fail, register


@register("abs")
def _abs(num):
    return abs(number_arg(num, "num"))


@register("ceil")
def _ceil(num):
    number = number_arg(num, "num")
    return number if isinstance(number, int) or math.isinf(number) else math.ceil(number)


@register("floor")
def _floor(num):
    number = number_arg(num, "num")
    return number if isinstance(number, int) or math.isinf(number) else math.floor(number)


@register("signum")
def _signum(num):
    number = number_arg(num, "num")
    return (number > 0) - (number < 0)


@register("max")
def _max(*numbers):
    if not numbers:
        fail("must pass at least one number")
    return normalize_number(max(number_arg(number, "numbers") for number in numbers))


@register("min")
def _min(*numbers):
    if not numbers:
        fail("must pass at least one number")
    return normalize_number(min(number_arg(number, "numbers") for number in numbers))


def _float(number: int | float) -> float:
    try:
        return float(number)
    except OverflowError:
        return math.copysign(math.inf, number)


def _go_log(x: float) -> float:
    if x > 0:
        return math.log(x) if not math.isinf(x) else math.inf
    return -math.inf if x == 0 else math.nan


def _checked(result: float) -> int | float:
    if math.isnan(result):
        fail("the result is not a number (NaN)")
    return normalize_number(result)


@register("log")
def _log(num, base):
    top, bottom = _go_log(_float(number_arg(num, "num"))), _go_log(_float(number_arg(base, "base")))
    if bottom == 0:
        return _checked(math.nan if top == 0 or math.isnan(top) else math.copysign(math.inf, top))
    if math.isinf(top) and math.isinf(bottom):
        return _checked(math.nan)
    return _checked(top / bottom)


@register("pow")
def _pow(num, power):
    x, y = _float(number_arg(num, "num")), _float(number_arg(power, "power"))
    try:
        return _checked(math.pow(x, y))
    except OverflowError:
        odd = y.is_integer() and int(y) % 2 == 1
        return _checked(-math.inf if x < 0 and odd else math.inf)
    except ValueError:
        if x == 0 and y < 0:
            odd = y.is_integer() and int(y) % 2 == 1
            return _checked(math.copysign(math.inf, x) if odd else math.inf)
        return _checked(math.nan)


_DIGITS_62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@register("parseint")
def _parseint(number, base):
    if not isinstance(number, str):
        raise argument_error("number", f"first argument must be a string, not {type_name(number)}")
    radix = whole_number_arg(base, "base")
    if not 2 <= radix <= 62:
        raise argument_error("base", "base must be a whole number between 2 and 62 inclusive")
    body = number[1:] if number[:1] in ("+", "-") else number
    if not body:
        fail(f'cannot parse "{number}" as a base {radix} integer')
    value = 0
    for char in body:
        if radix <= 36:
            digit = _DIGITS_62.find(char.lower()) if char.isascii() else -1
        else:
            digit = _DIGITS_62.find(char)
        if digit < 0 or digit >= radix:
            fail(f'cannot parse "{number}" as a base {radix} integer')
        value = value * radix + digit
    return -value if number.startswith("-") else value
