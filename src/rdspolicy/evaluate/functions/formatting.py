"""``format`` and ``formatlist``: Go's ``fmt`` verbs as Terraform's format function takes them."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext, ROUND_HALF_EVEN
from fractions import Fraction
from typing import NoReturn

from ...limits import MAX_FORMAT_WIDTH
from ..values import binary512, EvalError, exact, to_number, to_string, Unknown
from .arguments import kind_of, string_arg
from .characters import char_count, graphemes
from .jsontext import json_encode, json_string
from .registry import argument_error, CallFailed, fail, has_unknown, list_type, NotEvaluated, register, unknown_of


def _go_rune(char: str) -> str:
    return "'" + char + "'" if char.isprintable() else repr(char)


def _pad(text: str, flags: str, width: int | None) -> str:
    if width is None:
        return text
    missing = width - char_count(text)
    if missing <= 0:
        return text
    pad = ("0" if "0" in flags else " ") * missing
    return text + pad if "-" in flags else pad + text


_binary512 = binary512


def _digits_of(number: int | float, significant: int | None = None) -> tuple[str, int]:
    """Decimal digits (no trailing zeros) and decimal-point position of ``abs(number)``:
    the value is ``0.<digits> * 10**dp``.  Shortest form unless ``significant`` digits
    are asked for (rounded half to even)."""
    if isinstance(number, int):
        exact = Decimal(abs(number))
    else:
        exact = Decimal(repr(abs(number)))
    if significant is not None:
        with localcontext() as context:
            context.prec = 1200
            binary = _binary512(Fraction(exact))  # Terraform rounds the number it holds: 512 bits
            exact = Decimal(binary.numerator) / Decimal(binary.denominator)
            context.prec = max(significant, 1)
            context.rounding = ROUND_HALF_EVEN
            exact = +exact
    _, digit_tuple, exponent = exact.as_tuple()
    digits = "".join(map(str, digit_tuple))
    if not digits.strip("0"):
        return "0", 1
    return digits.rstrip("0"), len(digits) + exponent  # Decimal keeps no leading zeros


def _fixed(digits: str, dp: int, frac: int) -> str:
    if dp > 0:
        whole = digits[:dp].ljust(dp, "0")
        rest = digits[dp:]
    else:
        whole = "0"
        rest = "0" * (-dp) + digits
    fraction = rest[:frac].ljust(frac, "0")
    return whole + ("." + fraction if frac > 0 else "")


def _exponent_form(digits: str, dp: int, precision: int, letter: str) -> str:
    mantissa = digits.ljust(precision + 1, "0")
    exponent = dp - 1 if digits != "0" else 0
    text = mantissa[0] + ("." + mantissa[1:precision + 1] if precision > 0 else "")
    return f"{text}{letter}{'-' if exponent < 0 else '+'}{abs(exponent):02d}"


def _go_g(number: int | float, precision: int | None, upper: bool = False) -> str:
    """Go's ``%g`` of the absolute value (``precision`` None: shortest, as ``%v`` does)."""
    if number == 0:
        return "0"
    if isinstance(number, float) and math.isinf(number):
        return "Inf"
    if precision is None:
        digits, dp = _digits_of(number)
        eprec, wanted = 6, len(digits)
    else:
        wanted = max(precision, 1)
        digits, dp = _digits_of(number, wanted)
        eprec = wanted
        if eprec > len(digits) and len(digits) >= dp:
            eprec = len(digits)
    exponent = dp - 1
    if exponent < -4 or exponent >= eprec:
        return _exponent_form(digits, dp, min(wanted, len(digits)) - 1, "E" if upper else "e")
    if precision is None or wanted > dp:
        wanted = len(digits)
    return _fixed(digits, dp, max(wanted - dp, 0))


def _format_float(number: int | float, verb: str, flags: str, width: int | None, precision: int | None) -> str:
    negative = number < 0 or (isinstance(number, float) and math.copysign(1, number) < 0 and number == 0)
    if isinstance(number, float) and math.isinf(number):
        body, sign = "Inf", "-" if negative else ("+" if " " not in flags else " ")
    else:
        if verb in "eE":
            digits, dp = _digits_of(number, (6 if precision is None else precision) + 1)
            body = _exponent_form(digits, dp, 6 if precision is None else precision, verb)
        elif verb == "f":
            exact = Decimal(abs(number)) if isinstance(number, int) else Decimal(repr(abs(number)))
            places = 6 if precision is None else precision
            with localcontext() as context:
                context.prec = 1200
                binary = _binary512(Fraction(exact))  # Terraform rounds the number it holds: 512 bits
                exact = Decimal(binary.numerator) / Decimal(binary.denominator)
                context.prec = max(exact.adjusted() + 1, 1) + places + 2
                body = format(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN), "f")
        else:
            body = _go_g(number, precision, verb == "G")
        sign = "-" if negative else ("+" if "+" in flags else (" " if " " in flags else ""))
    missing = (width or 0) - len(sign) - len(body)
    if missing <= 0:
        return sign + body
    if "0" in flags and body != "Inf":
        return sign + "0" * missing + body
    if "-" in flags:
        return sign + body + " " * missing
    return " " * missing + sign + body


def _format_integer(number: int, verb: str, flags: str, width: int | None, precision: int | None) -> str:
    digits = {"b": format(abs(number), "b"), "d": str(abs(number)), "o": format(abs(number), "o"),
              "x": format(abs(number), "x"), "X": format(abs(number), "X")}[verb]
    if precision is not None:
        if precision == 0 and number == 0:
            return ""
        digits = digits.rjust(precision, "0")
    prefix = {"b": "0b", "o": "0", "x": "0x", "X": "0X"}.get(verb, "") if "#" in flags else ""
    sign = "-" if number < 0 else ("+" if "+" in flags else (" " if " " in flags else ""))
    missing = (width or 0) - len(sign) - len(prefix) - len(digits)
    if missing <= 0:
        return sign + prefix + digits
    if "-" in flags:
        return sign + prefix + digits + " " * missing
    if "0" in flags and precision is None:
        return sign + prefix + "0" * missing + digits
    return " " * missing + sign + prefix + digits


def _format_verb(raw: str, offset: int, verb: str, flags: str, width: int | None, precision: int | None,
                 arg_num: int, args: list) -> str:
    if arg_num > len(args):
        fail(f'not enough arguments for "{raw}" at {offset}: need index {arg_num} but have {len(args)} total')
    arg = args[arg_num - 1]
    if verb != "v" and arg is None:
        fail(f'unsupported value for "{raw}" at {offset}: null value cannot be formatted')
    where = f'unsupported value for "{raw}" at {offset}'
    if verb == "v":
        if "#" not in flags and isinstance(arg, str):
            return _pad(arg, flags, width)
        if "#" not in flags and kind_of(arg) == "number":
            sign = "-" if arg < 0 else ("+" if isinstance(arg, float) and math.isinf(arg) else "")
            return _pad(sign + _go_g(arg, None), flags, width)
        return _pad(json_encode(arg), flags, width)
    if verb == "t":
        if isinstance(arg, bool) or arg in ("true", "false"):
            return "true" if arg in (True, "true") else "false"
        fail(f"{where}: bool required")
    if verb in "bdoxXeEfgG":
        if kind_of(arg) not in ("number", "string"):
            fail(f"{where}: number required")
        try:
            number = to_number(arg)
        except EvalError:
            fail(f"{where}: a number is required")
        if verb in "bdoxX":
            if isinstance(number, float):
                if not number.is_integer():
                    fail(f"{where}: an integer is required")
                number = int(number)
            return _format_integer(number, verb, flags, width, precision)
        return _format_float(number, verb, flags, width, precision)
    if verb in "sq":
        if kind_of(arg) not in ("string", "number", "bool"):
            fail(f"{where}: string required")
        text = to_string(arg)
        if precision:
            text = "".join(graphemes(text)[:precision])
        return _pad(text if verb == "s" else json_string(text), flags, width)
    fail(f'unsupported format verb {_go_rune(verb)} in "{raw}" at offset {offset}')


def _go_format(spec: str, args: list) -> str:
    """Terraform's ``format``: Go-style verbs over wholly known values."""
    out: list[str] = []
    i, n = 0, len(spec)
    next_arg, highest = 1, 0

    def offset_of(index: int) -> int:
        return len(spec[:index].encode("utf-8"))

    def bad_char(index: int, start: int) -> NoReturn:
        if index >= n:
            fail(f"invalid format string starting at offset {offset_of(start)}")
        fail(f"unrecognized format character {_go_rune(spec[index])} at offset {offset_of(index)}")

    while i < n:
        char = spec[i]
        if char != "%":
            out.append(char)
            i += 1
            continue
        if spec.startswith("%%", i):
            out.append("%")
            i += 2
            continue
        start = i
        i += 1
        flags = ""
        while i < n and spec[i] in "0#-+ ":
            flags += spec[i]
            i += 1
        arg_num = next_arg
        if i < n and spec[i] == "[":
            i += 1
            if i >= n or spec[i] not in "123456789":
                bad_char(i, start)
            j = i
            while j < n and spec[j] in "0123456789":
                j += 1
            if j >= n or spec[j] != "]":
                bad_char(j, start)
            arg_num = int(spec[i:j])
            i = j + 1
        width = None
        if i < n and spec[i] in "123456789":
            j = i
            while j < n and spec[j] in "0123456789":
                j += 1
            width, i = int(spec[i:j]), j
        precision = None
        if i < n and spec[i] == ".":
            j = i + 1
            while j < n and spec[j] in "0123456789":
                j += 1
            precision, i = int(spec[i + 1:j] or "0"), j
        if i >= n or not (spec[i].isascii() and spec[i].isalpha()):
            bad_char(i, start)
        if max(width or 0, precision or 0) > MAX_FORMAT_WIDTH:  # rdspolicy's limit (limits.py)
            fail(f"a width or precision over {MAX_FORMAT_WIDTH} at offset {offset_of(start)} is more than "
                 f"rdspolicy formats")
        verb = spec[i]
        i += 1
        out.append(_format_verb(spec[start:i], offset_of(start), verb, flags, width, precision, arg_num, args))
        next_arg = arg_num + 1
        highest = max(highest, arg_num)
    if len(args) > highest:
        if highest == 0:
            fail("too many arguments; no verbs in format string")
        fail(f"too many arguments; only {highest} used by format string")
    return "".join(out)


@register("format", null_ok={"args"}, nullable=True)
def _format(format_, *args):
    if any(arg is None for arg in args):
        raise NotEvaluated(_NULL_FORMAT_ARGUMENT.format("format"))
    return _go_format(string_arg(format_, "format"), list(args))


# A literal null has no type; given to format() or formatlist(), Terraform 1.11 yields an
# unknown value (shown as null after apply), not a string and not an error.
_NULL_FORMAT_ARGUMENT = "{}() of a null argument has no value in Terraform (it stays unknown)"


@register("formatlist", propagate=False, null_ok={"args"}, nullable=True, returns=list_type)
def _formatlist(format_, *args):
    if isinstance(format_, Unknown):
        return unknown_of([format_])
    spec = string_arg(format_, "format")
    if any(arg is None for arg in args):
        raise NotEvaluated(_NULL_FORMAT_ARGUMENT.format("formatlist"))
    if not args:
        return [_go_format(spec, [])]
    length = chooser = None
    for index, arg in enumerate(args):
        if isinstance(arg, list):
            if length is None:
                length, chooser = len(arg), index
            elif len(arg) != length:
                raise argument_error("args", f"argument {index + 1} has length {len(arg)}, which is inconsistent "
                                             f"with argument {chooser + 1} of length {length}")
    unknown_args = [arg for arg in args if isinstance(arg, Unknown)]
    if unknown_args:  # might be a list: the number of results is not known
        return unknown_of(unknown_args)
    if length == 0:
        return []
    results = []
    for iteration in range(length or 1):
        row = [arg[iteration] if isinstance(arg, list) else arg for arg in args]
        if has_unknown(row):
            results.append(unknown_of(row))
            continue
        try:
            results.append(_go_format(spec, row))
        except CallFailed as exc:
            fail(f"error on format iteration {iteration}: {exc}")
    return results
