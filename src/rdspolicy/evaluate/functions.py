"""Terraform's built-in functions over rdspolicy's plain-Python values.

The functions follow Terraform 1.11 (the ``cty`` standard library plus Terraform's own
additions) as closely as plain Python allows, with one product rule on top: *never
guess*.  A result that depends on a value not known before apply is an
:class:`~rdspolicy.evaluate.values.Unknown` carrying the reasons and resource addresses
of the unknowns it came from; but a result that is the same whatever those unknowns
turn out to be is returned known (``length([unknown, 1])`` is 2, ``keys({a = unknown})``
is ``["a"]``).  A function rdspolicy cannot compute the way Terraform would (a random
``uuid()``, ``templatefile()``, a file outside the scanned tree) returns an
:class:`Unknown` saying why -- never a guess, and never an error Terraform would not
raise.

Each implementation is registered with :func:`_tf`, which records the Terraform name and
wraps the implementation in the checks every call shares: arity, null arguments and the
default unknown propagation ("any unknown anywhere in the arguments makes the result
unknown").  Implementations that can do better opt out with ``propagate=False`` and
handle unknowns themselves.  ``try`` and ``can`` need unevaluated expressions and are
left to the expression evaluator.

Sets are represented as lists (see :mod:`.values`): ``toset`` and the set functions
return a de-duplicated list ordered the way Terraform orders a set of that element type
(strings lexically, numbers numerically, ``false`` before ``true``).
"""

from __future__ import annotations

import base64
import binascii
import csv
import datetime as _dt
import hashlib
import inspect
import io
import ipaddress
import itertools
import json
import math
import os
import re
import stat
import unicodedata
import uuid as _uuid
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator, NoReturn
from urllib.parse import quote_plus

from ..limits import MAX_COLLECTION, MAX_FORMAT_WIDTH, MAX_STRING
from .values import (
    TObject,
    TTuple,
    collection_kind,
    EvalError,
    binary512,
    number_text,
    exact,
    from_exact,
    TList,
    TMap,
    TSet,
    Unknown,
    primitive_type,
    all_refs,
    first_unknown,
    merge_unknowns,
    normalize_number,
    tf_equal,
    to_bool,
    to_number,
    to_string,
    type_name,
)

__all__ = ["FUNCTIONS", "FunctionContext", "call"]


# =====================================================================================
# Framework: registration, argument checks, unknown propagation
# =====================================================================================


class FunctionContext:
    """What the file and time functions need to know about the evaluation.

    ``module_dir`` is the folder of the module being evaluated, as rdspolicy spells it
    (``path.module``); ``root_module_dir`` the root module's folder (``path.root``; the
    module's own folder when not given), which is where Terraform runs, so where a
    relative path written in the configuration starts.  ``root_dir`` is the root of the
    scanned tree: the file functions read only files that, after resolving symlinks, lie
    inside it.  ``now_unknown`` keeps ``timestamp()`` unknown (Terraform knows it only
    during apply).
    """

    __slots__ = ("module_dir", "root_dir", "now_unknown", "root_module_dir", "refusals")

    def __init__(self, module_dir: str, root_dir: str, now_unknown: bool = True,
                 root_module_dir: str | None = None) -> None:
        self.module_dir = module_dir
        self.root_dir = root_dir
        self.now_unknown = now_unknown
        self.root_module_dir = module_dir if root_module_dir is None else root_module_dir
        # what the file functions refused to read (outside the scanned tree): the
        # evaluator turns each into a diagnostic at the call
        self.refusals: list[str] = []

    def __repr__(self) -> str:
        return f"FunctionContext({self.module_dir!r}, {self.root_dir!r}, now_unknown={self.now_unknown})"


class _CallFailed(Exception):
    """Raised by an implementation: becomes Terraform's "Call to function ... failed"."""


def _refused(ctx: FunctionContext | None, message: str) -> "_NotEvaluated":
    """The call is unknown because it would read outside the scanned tree: recorded on
    the context so that the user is told where (the content is never read)."""
    if ctx is not None:
        ctx.refusals.append(message)
    return _NotEvaluated(message)


class _NotEvaluated(Exception):
    """Raised by an implementation that cannot compute what Terraform would: the call's
    result becomes an :class:`Unknown` with this message as its reason."""


def _fail(message: str) -> NoReturn:
    raise _CallFailed(message)


def _arg_error(param: str, message: str) -> EvalError:
    return EvalError(f'Invalid function argument: invalid value for "{param}" parameter: {message}')


def _collect_unknowns(value: Any, out: list[Unknown]) -> None:
    if isinstance(value, Unknown):
        out.append(value)
    elif isinstance(value, list):
        for item in value:
            _collect_unknowns(item, out)
    elif isinstance(value, dict):
        for item in value.values():
            _collect_unknowns(item, out)


def _unknowns_in(values: Iterable[Any]) -> list[Unknown]:
    found: list[Unknown] = []
    for value in values:
        _collect_unknowns(value, found)
    return found


def _has_unknown(value: Any) -> bool:
    return first_unknown(value) is not None


def _unknown(values: Iterable[Any], *, nonnull: bool = True) -> Unknown:
    """One Unknown for a result that depends on every unknown inside ``values``:
    their reasons joined, their resource addresses united."""
    merged = merge_unknowns(_unknowns_in(values))
    return Unknown(merged.reason, merged.refs, nonnull)


_MISSING: Any = object()  # default of optional parameters: "not given"


class _Function:
    """A registered Terraform function: the shared checks around one implementation.

    Calling it with the evaluated arguments positionally (``ctx=`` for the file
    functions) checks arity and null arguments, applies the default unknown
    propagation unless the implementation handles unknowns itself, and turns the
    implementation's failures into :class:`EvalError` with Terraform's wording.
    """

    __slots__ = ("name", "impl", "params", "required", "variadic", "null_ok", "propagate", "nullable",
                 "uses_ctx")

    def __init__(self, name: str, impl: Callable[..., Any], *, propagate: bool, null_ok: Any,
                 nullable: bool, uses_ctx: bool) -> None:
        # the parameters, read from the code object of the plain function as
        # inspect.signature reads them (at a tenth of its cost, for 119 functions at
        # start-up): (name, positional-or-keyword, has a default), then *args
        code = impl.__code__
        count = code.co_argcount
        first_default = count - len(impl.__defaults__ or ())
        parameters = [(code.co_varnames[i], i >= code.co_posonlyargcount, i >= first_default) for i in range(count)]
        if code.co_flags & inspect.CO_VARARGS:
            parameters.append((code.co_varnames[count + code.co_kwonlyargcount], False, False))
        if uses_ctx:
            parameters = parameters[1:]
        positional = [p for p in parameters if p[1]]
        var = parameters[-1][0] if code.co_flags & inspect.CO_VARARGS and parameters else None
        self.name = name
        self.impl = impl
        self.params = [n.rstrip("_") for n, _, _ in positional]
        self.required = sum(1 for _, _, default in positional if not default)
        self.variadic = var.rstrip("_") if var else None
        self.null_ok = null_ok
        self.propagate = propagate
        self.nullable = nullable
        self.uses_ctx = uses_ctx

    def __repr__(self) -> str:
        return f"<Terraform function {self.name}>"

    def param_name(self, index: int) -> str:
        return self.params[index] if index < len(self.params) else (self.variadic or "?")

    def __call__(self, *args: Any, ctx: FunctionContext | None = None) -> Any:
        self._check_arity(len(args))
        for index, value in enumerate(args):
            if value is None and not (self.null_ok is True or self.param_name(index) in self.null_ok):
                raise _arg_error(self.param_name(index), "argument must not be null")
        if self.propagate:
            found = _unknowns_in(args)
            if found:
                return _unknown(found, nonnull=not self.nullable)
        try:
            if self.uses_ctx:
                return self.impl(ctx, *args)
            return self.impl(*args)
        except _CallFailed as exc:
            raise EvalError(f'Call to function "{self.name}" failed: {exc}') from None
        except _NotEvaluated as exc:
            return Unknown(str(exc), all_refs(list(args)), not self.nullable)

    def _check_arity(self, count: int) -> None:
        at_least = "at least " if (self.variadic or self.required < len(self.params)) else ""
        if count < self.required:
            raise EvalError(
                f'Not enough function arguments: function "{self.name}" expects {at_least}{self.required} '
                f'argument(s). Missing value for "{self.params[count]}".'
            )
        if self.variadic is None and count > len(self.params):
            raise EvalError(
                f'Too many function arguments: function "{self.name}" expects only {len(self.params)} argument(s).'
            )


FUNCTIONS: dict[str, Callable[..., Any]] = {}


def _tf(name: str, *, propagate: bool = True, null_ok: Any = (), nullable: bool = False,
        ctx: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated implementation as Terraform function ``name``.

    ``propagate``: any unknown anywhere in the arguments makes the result unknown
    (turn off to handle unknowns in the implementation).  ``null_ok``: the parameter
    names that accept null (``True``: all).  ``nullable``: the result may be null, so an
    unknown result is not marked certainly-set.  ``ctx``: the implementation takes the
    :class:`FunctionContext` as its first argument.
    """

    def register(impl: Callable[..., Any]) -> Callable[..., Any]:
        FUNCTIONS[name] = _Function(name, impl, propagate=propagate, null_ok=null_ok, nullable=nullable,
                                    uses_ctx=ctx)
        return impl

    return register


def call(name: str, args: list[Any], ctx: FunctionContext | None = None) -> Any:
    """Call Terraform function ``name`` on evaluated ``args``.

    Raises :class:`EvalError` for an unknown function or a call Terraform would reject.
    """
    if name.startswith("core::"):
        name = name[len("core::"):]
    elif name.startswith("provider::"):
        return Unknown(f'provider-defined function {name}() is not evaluated by rdspolicy', all_refs(list(args)))
    if name in ("try", "can"):
        raise EvalError(f"{name}() needs its arguments unevaluated; the expression evaluator handles it")
    function = FUNCTIONS.get(name)
    if function is None:
        raise EvalError(f'Call to unknown function "{name}": there is no function named "{name}".')
    return function(*args, ctx=ctx)


# -------------------------------------------------------------- argument conversion


def _kind(value: Any) -> str | None:
    """The broad type of a known non-null value (None for null and unknown)."""
    primitive = primitive_type(value)
    if primitive is not None:
        return primitive
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "map"
    return None


def _s(value: Any, param: str, what: str = "string") -> str:
    """A string parameter (numbers and bools convert, as in Terraform), or with ``what``
    ("list of string") an element of one (unknown and null pass through)."""
    if isinstance(value, (list, dict)):
        raise _arg_error(param, f"{what} required")
    return to_string(value)


def _n(value: Any, param: str) -> int | float:
    """A number parameter (numeric strings convert)."""
    if isinstance(value, (bool, list, dict)):
        raise _arg_error(param, "number required")
    try:
        return to_number(value)
    except EvalError:
        raise _arg_error(param, f'cannot convert "{value}" to number; given string must be a decimal '
                                f'representation of a number') from None


def _i(value: Any, param: str) -> int:
    """A whole-number parameter."""
    number = _n(value, param)
    if isinstance(number, float):
        if not number.is_integer():
            raise _arg_error(param, "value must be a whole number")
        number = int(number)
    return number


def _b(value: Any, param: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise _arg_error(param, "bool required")


def _l(value: Any, param: str, what: str = "list") -> list:
    if not isinstance(value, list):
        raise _arg_error(param, f"{what} required")
    return value


def _m(value: Any, param: str, what: str = "map") -> dict:
    if not isinstance(value, dict):
        raise _arg_error(param, f"{what} required")
    return value


def _unify(items: list, param: str, message: str) -> list:
    """Terraform's conversion of a tuple to a list of one element type: numbers and
    bools mixed with strings become strings; numbers mixed with bools (with no string
    to unify them) and primitives mixed with collections fail."""
    kinds = {kind for kind in map(_kind, items) if kind}
    if len(kinds) <= 1:
        return list(items)
    if kinds <= {"bool", "number", "string"} and "string" in kinds:
        return [to_string(item) if _kind(item) in ("bool", "number") else item for item in items]
    raise _arg_error(param, message)


def _set_of(items: list) -> list:
    """A set of wholly known values, as Terraform orders it: strings lexically, numbers
    numerically, false before true, nulls last; other element types keep first-seen order."""
    kinds = {_kind(item) for item in items if item is not None}
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


def _tri_equal(left: Any, right: Any) -> bool | None:
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
        equal = _tri_equal(a, b)
        if equal is False:
            return False
        if equal is None:
            result = None
    return result


def _exact(number: int | float) -> Fraction:
    """A number as the exact value Terraform holds (see :func:`.values.exact`)."""
    if isinstance(number, float) and not math.isfinite(number):
        _fail("cannot use an infinite number here")
    return exact(number)



# -------------------------------------------------------------- unicode characters

_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
            "\u2028\u2029\u202f\u205f\u3000"


def _is_extender(char: str) -> bool:
    code = ord(char)
    return (
        char == "\u200d"
        or unicodedata.category(char) in ("Mn", "Me", "Mc")
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
        or 0xE0100 <= code <= 0xE01EF
    )


def _is_regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def _graphemes(text: str) -> list[str]:
    """The user-perceived characters of ``text`` (an approximation of Unicode grapheme
    clusters: combining marks, emoji modifiers and ZWJ sequences, flags, CRLF)."""
    if text.isascii() and "\r\n" not in text:
        return list(text)
    text = unicodedata.normalize("NFC", text)
    clusters = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        if text[i] == "\r" and j < n and text[j] == "\n":
            j += 1
        elif unicodedata.category(text[i]) != "Cc":
            if _is_regional(text[i]) and j < n and _is_regional(text[j]):
                j += 1
            while j < n and unicodedata.category(text[j]) != "Cc" and (
                _is_extender(text[j]) or text[j - 1] == "\u200d"
            ):
                j += 1
        clusters.append(text[i:j])
        i = j
    return clusters


def _char_count(text: str) -> int:
    if text.isascii():
        return len(text) - text.count("\r\n")
    return len(_graphemes(text))


_SIMPLE_CASE = {(str.lower, "\u0130"): "i"}  # the one character whose full lower case is two


def _map_chars(text: str, convert: Callable[[str], str]) -> str:
    """Go's per-rune case mapping: a character whose mapping is not one character stays."""
    out = []
    for char in text:
        mapped = convert(char)
        if len(mapped) != 1:  # Go uses the simple mapping: one character, or none
            mapped = _SIMPLE_CASE.get((convert, char), char)
        out.append(mapped)
    return "".join(out)


# =====================================================================================
# JSON (Terraform's encoding: compact, sorted keys, HTML-safe, no exponents)
# =====================================================================================

_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_HTML_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


def _json_string(text: str) -> str:
    encoded = json.dumps(text, ensure_ascii=False)
    return _HTML_ESCAPE_RE.sub(lambda m: _HTML_ESCAPES[m.group()], encoded)


def _plain_number(number: int | float) -> str:
    """A number in decimal notation without exponent, as Terraform writes it in JSON."""
    if isinstance(number, int):
        return str(number)
    if math.isinf(number) or math.isnan(number):
        _fail("cannot encode an infinite or NaN number as JSON")
    return number_text(number)


def _json_encode(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _plain_number(value)
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, list):
        return "[" + ",".join(_json_encode(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_json_string(str(k))}:{_json_encode(value[k])}" for k in sorted(value)) + "}"
    _fail(f"cannot encode a {type_name(value)} value as JSON")


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"invalid JSON literal {name}")


def _json_decode(text: str) -> Any:
    return json.loads(
        text,
        parse_float=lambda t: normalize_number(float(t)),
        parse_constant=_reject_constant,
    )


# =====================================================================================
# String functions
# =====================================================================================


@_tf("upper")
def _upper(str_):
    return _map_chars(_s(str_, "str"), str.upper)


@_tf("lower")
def _lower(str_):
    return _map_chars(_s(str_, "str"), str.lower)


def _go_title_case(char: str) -> str:
    for mapped in (char.title(), char.upper()):
        if len(mapped) == 1:
            return mapped
    return char


def _is_word_separator(char: str) -> bool:
    if char.isascii():
        return not (char.isalnum() or char == "_")
    if char.isalpha() or unicodedata.category(char) == "Nd":
        return False
    return char in _GO_SPACE


@_tf("title")
def _title(str_):
    text = _s(str_, "str")
    out, previous = [], " "
    for char in text:
        out.append(_go_title_case(char) if _is_word_separator(previous) else char)
        previous = char
    return "".join(out)


@_tf("strrev")
def _strrev(str_):
    return "".join(reversed(_graphemes(_s(str_, "str"))))


@_tf("trimspace")
def _trimspace(str_):
    return _s(str_, "str").strip(_GO_SPACE)


@_tf("trim")
def _trim(str_, cutset):
    return _s(str_, "str").strip(_s(cutset, "cutset"))


@_tf("trimprefix")
def _trimprefix(str_, prefix):
    text, prefix = _s(str_, "str"), _s(prefix, "prefix")
    return text[len(prefix):] if prefix and text.startswith(prefix) else text


@_tf("trimsuffix")
def _trimsuffix(str_, suffix):
    text, suffix = _s(str_, "str"), _s(suffix, "suffix")
    return text[: -len(suffix)] if suffix and text.endswith(suffix) else text


@_tf("chomp")
def _chomp(str_):
    return _s(str_, "str").rstrip("\r\n")


@_tf("indent")
def _indent(spaces, str_):
    count = _i(spaces, "spaces")
    if count < 0:
        raise _arg_error("spaces", "must not be negative")
    text = _s(str_, "str")
    if count * text.count("\n") > MAX_STRING:  # rdspolicy's limit (limits.py)
        _fail(f"the result would be longer than {MAX_STRING} characters")
    return text.replace("\n", "\n" + " " * count)


@_tf("startswith")
def _startswith(str_, prefix):
    return _s(str_, "str").startswith(_s(prefix, "prefix"))


@_tf("endswith")
def _endswith(str_, suffix):
    return _s(str_, "str").endswith(_s(suffix, "suffix"))


@_tf("strcontains")
def _strcontains(str_, substr):
    return _s(substr, "substr") in _s(str_, "str")


@_tf("split")
def _split(separator, str_):
    sep, text = _s(separator, "separator"), _s(str_, "str")
    if sep == "":
        return list(text)
    return text.split(sep)


@_tf("join")
def _join(separator, *lists):
    sep = _s(separator, "separator")
    if not lists:
        _fail("at least one list is required")
    items = []
    for list_index, values in enumerate(lists, start=1):
        for elem_index, value in enumerate(_l(values, "lists", "list of string")):
            if value is None:
                where = f"element {elem_index} of list {list_index}" if len(lists) > 1 else f"element {elem_index}"
                raise _arg_error("lists", f"{where} is null; cannot concatenate null values")
            items.append(_s(value, "lists", "list of string"))
    return sep.join(items)


@_tf("substr")
def _substr(str_, offset, length):
    chars = _graphemes(_s(str_, "str"))
    start, count = _i(offset, "offset"), _i(length, "length")
    if start < 0:
        start = max(start + len(chars), 0)
    if start >= len(chars):
        return ""
    if count < 0:
        return "".join(chars[start:])
    return "".join(chars[start:start + count])


# -------------------------------------------------------------- format


def _go_rune(char: str) -> str:
    return "'" + char + "'" if char.isprintable() else repr(char)


def _pad(text: str, flags: str, width: int | None) -> str:
    if width is None:
        return text
    missing = width - _char_count(text)
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
        _fail(f'not enough arguments for "{raw}" at {offset}: need index {arg_num} but have {len(args)} total')
    arg = args[arg_num - 1]
    if verb != "v" and arg is None:
        _fail(f'unsupported value for "{raw}" at {offset}: null value cannot be formatted')
    where = f'unsupported value for "{raw}" at {offset}'
    if verb == "v":
        if "#" not in flags and isinstance(arg, str):
            return _pad(arg, flags, width)
        if "#" not in flags and _kind(arg) == "number":
            sign = "-" if arg < 0 else ("+" if isinstance(arg, float) and math.isinf(arg) else "")
            return _pad(sign + _go_g(arg, None), flags, width)
        return _pad(_json_encode(arg), flags, width)
    if verb == "t":
        if isinstance(arg, bool) or arg in ("true", "false"):
            return "true" if arg in (True, "true") else "false"
        _fail(f"{where}: bool required")
    if verb in "bdoxXeEfgG":
        if _kind(arg) not in ("number", "string"):
            _fail(f"{where}: number required")
        try:
            number = to_number(arg)
        except EvalError:
            _fail(f"{where}: a number is required")
        if verb in "bdoxX":
            if isinstance(number, float):
                if not number.is_integer():
                    _fail(f"{where}: an integer is required")
                number = int(number)
            return _format_integer(number, verb, flags, width, precision)
        return _format_float(number, verb, flags, width, precision)
    if verb in "sq":
        if _kind(arg) not in ("string", "number", "bool"):
            _fail(f"{where}: string required")
        text = to_string(arg)
        if precision:
            text = "".join(_graphemes(text)[:precision])
        return _pad(text if verb == "s" else _json_string(text), flags, width)
    _fail(f'unsupported format verb {_go_rune(verb)} in "{raw}" at offset {offset}')


def _go_format(spec: str, args: list) -> str:
    """Terraform's ``format``: Go-style verbs over wholly known values."""
    out: list[str] = []
    i, n = 0, len(spec)
    next_arg, highest = 1, 0

    def offset_of(index: int) -> int:
        return len(spec[:index].encode("utf-8"))

    def bad_char(index: int, start: int) -> NoReturn:
        if index >= n:
            _fail(f"invalid format string starting at offset {offset_of(start)}")
        _fail(f"unrecognized format character {_go_rune(spec[index])} at offset {offset_of(index)}")

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
            _fail(f"a width or precision over {MAX_FORMAT_WIDTH} at offset {offset_of(start)} is more than "
                  f"rdspolicy formats")
        verb = spec[i]
        i += 1
        out.append(_format_verb(spec[start:i], offset_of(start), verb, flags, width, precision, arg_num, args))
        next_arg = arg_num + 1
        highest = max(highest, arg_num)
    if len(args) > highest:
        if highest == 0:
            _fail("too many arguments; no verbs in format string")
        _fail(f"too many arguments; only {highest} used by format string")
    return "".join(out)


@_tf("format", null_ok={"args"}, nullable=True)
def _format(format_, *args):
    if any(arg is None for arg in args):
        raise _NotEvaluated(_NULL_FORMAT_ARGUMENT.format("format"))
    return _go_format(_s(format_, "format"), list(args))


# A literal null has no type; given to format() or formatlist(), Terraform 1.11 yields an
# unknown value (shown as null after apply), not a string and not an error.
_NULL_FORMAT_ARGUMENT = "{}() of a null argument has no value in Terraform (it stays unknown)"


@_tf("formatlist", propagate=False, null_ok={"args"}, nullable=True)
def _formatlist(format_, *args):
    if isinstance(format_, Unknown):
        return _unknown([format_])
    spec = _s(format_, "format")
    if any(arg is None for arg in args):
        raise _NotEvaluated(_NULL_FORMAT_ARGUMENT.format("formatlist"))
    if not args:
        return [_go_format(spec, [])]
    length = chooser = None
    for index, arg in enumerate(args):
        if isinstance(arg, list):
            if length is None:
                length, chooser = len(arg), index
            elif len(arg) != length:
                raise _arg_error("args", f"argument {index + 1} has length {len(arg)}, which is inconsistent "
                                         f"with argument {chooser + 1} of length {length}")
    unknown_args = [arg for arg in args if isinstance(arg, Unknown)]
    if unknown_args:  # might be a list: the number of results is not known
        return _unknown(unknown_args)
    if length == 0:
        return []
    results = []
    for iteration in range(length or 1):
        row = [arg[iteration] if isinstance(arg, list) else arg for arg in args]
        if _has_unknown(row):
            results.append(_unknown(row))
            continue
        try:
            results.append(_go_format(spec, row))
        except _CallFailed as exc:
            _fail(f"error on format iteration {iteration}: {exc}")
    return results


# -------------------------------------------------------------- regular expressions (RE2)
#
# Terraform's regex functions use Go's regexp package: RE2 syntax, matched in time
# linear in the text, with no backreferences and no lookaround.  rdspolicy matches with
# Google's RE2 library itself (the ``google-re2`` binding), so a hostile pattern such as
# ``(a+)+$`` cannot backtrack catastrophically, and a construct Go rejects is rejected
# here too.  Matching works on the UTF-8 bytes of the text, as Go's does.

_RE2_ERRORS = (  # RE2's wording -> Go's, where they differ
    ("bad repetition operator", "invalid nested repetition operator"),
    ("invalid perl operator", "invalid or unsupported Perl syntax"),
    ("invalid repetition size", "invalid repeat count"),
    ("missing )", "missing closing )"),
    ("missing ]", "missing closing ]"),
)
_MAX_PATTERN = 64 * 1024


class _Match:
    """One match: the text of each group (group 0 first; None when it took no part)."""

    __slots__ = ("start", "end", "groups")

    def __init__(self, start: int, end: int, groups: list[str | None]):
        self.start, self.end, self.groups = start, end, groups

    def group(self, index: int) -> str | None:
        return self.groups[index]


class _Regexp:
    """A compiled Go (RE2) regular expression."""

    __slots__ = ("rx", "groups", "groupindex")

    def __init__(self, rx: Any):
        self.rx = rx
        self.groups = rx.groups
        self.groupindex = {name.decode("utf-8"): index for name, index in rx.groupindex.items()}


def _re_invalid(message: str) -> NoReturn:
    _fail(f"invalid regexp pattern: error parsing regexp: {message}")


def _go_only_checks(pattern: str) -> None:
    """What Go's parser rejects but RE2's accepts: ``\\C`` (any byte)."""
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            if pattern.startswith("Q", i + 1):  # \Q...\E is literal text
                end = pattern.find("\\E", i + 2)
                if end == -1:
                    return
                i = end + 2
                continue
            if pattern.startswith("C", i + 1):
                _re_invalid("invalid escape sequence: `\\C`")
            i += 2
            continue
        i += 1


@lru_cache(maxsize=256)
def _compile_re2(pattern: str) -> _Regexp:
    """Compile a Go regular expression with RE2 (Go's syntax is RE2's)."""
    try:
        import re2
    except ImportError:  # pragma: no cover - google-re2 is a dependency
        raise _NotEvaluated("regular expressions are not evaluated: the google-re2 package is not installed") from None
    if len(pattern) > _MAX_PATTERN:
        raise _NotEvaluated("the regular expression is longer than 64 KiB; rdspolicy does not evaluate it")
    _go_only_checks(pattern)
    try:
        encoded = pattern.encode("utf-8")
    except UnicodeEncodeError:
        _re_invalid("invalid UTF-8")
    options = re2.Options()
    options.log_errors = False
    try:
        return _Regexp(re2.compile(encoded, options))
    except re2.error as exc:
        message = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        for theirs, go in _RE2_ERRORS:
            message = message.replace(theirs, go)
        if "pattern too large" in message:
            raise _NotEvaluated("the regular expression is too large for rdspolicy to evaluate") from None
        _re_invalid(message)


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise _NotEvaluated("the string is not valid Unicode text; rdspolicy does not match it") from None


def _find_all(rx: _Regexp, text: str) -> Iterator[_Match]:
    """Successive non-overlapping matches, Go's way: after an empty match the search
    moves on one character, and an empty match right after the previous match is
    skipped.  Positions are byte offsets into the UTF-8 text."""
    data = _utf8(text)
    pos, previous_end, size = 0, -1, len(data)
    while pos <= size:
        found = rx.rx.search(data, pos)
        if found is None:
            return
        start, end = found.span()
        accept = not (start == end == previous_end)
        if end == start:
            pos = end + 1
            while pos < size and (data[pos] & 0xC0) == 0x80:  # to the next character
                pos += 1
        else:
            pos = end
        previous_end = end
        if accept:
            groups = [data[a:b].decode("utf-8") if a >= 0 else None
                      for a, b in (found.span(i) for i in range(rx.groups + 1))]
            yield _Match(start, end, groups)


def _regex_result(rx: _Regexp, match: _Match) -> Any:
    names = rx.groupindex
    if rx.groups == 0:
        return match.group(0)
    if not names:
        return match.groups[1:]
    return {name: match.group(index) for name, index in names.items()}


def _check_group_names(rx: _Regexp) -> None:
    if rx.groupindex and len(rx.groupindex) != rx.groups:
        _fail("invalid regexp pattern: cannot mix both named and unnamed capture groups")


@_tf("regex")
def _regex(pattern, string):
    rx = _compile_re2(_s(pattern, "pattern"))
    _check_group_names(rx)
    match = next(_find_all(rx, _s(string, "string")), None)
    if match is None:
        _fail("pattern did not match any part of the given string")
    return _regex_result(rx, match)


@_tf("regexall")
def _regexall(pattern, string):
    rx = _compile_re2(_s(pattern, "pattern"))
    _check_group_names(rx)
    return [_regex_result(rx, match) for match in _find_all(rx, _s(string, "string"))]


_EXPAND_NAME = re.compile(r"\w+")


def _go_expand(template: str, rx: _Regexp, match: _Match) -> str:
    """Go's ``Regexp.Expand``: ``$1``, ``${1}``, ``$name``, ``${name}``, ``$$``."""
    out, i = [], 0
    while i < len(template):
        char = template[i]
        if char != "$":
            out.append(char)
            i += 1
            continue
        if template.startswith("$$", i):
            out.append("$")
            i += 2
            continue
        if template.startswith("${", i):
            close = template.find("}", i + 2)
            name = template[i + 2:close] if close != -1 else ""
            if not name or not _EXPAND_NAME.fullmatch(name):
                out.append("$")
                i += 1
                continue
            i = close + 1
        else:
            found = _EXPAND_NAME.match(template, i + 1)
            if not found:
                out.append("$")
                i += 1
                continue
            name, i = found.group(), found.end()
        if name.isascii() and name.isdigit() and not (name.startswith("0") and len(name) > 1):
            index = int(name)
            group = match.group(index) if index <= rx.groups else None
        else:
            index = rx.groupindex.get(name)
            group = match.group(index) if index is not None else None
        out.append(group or "")
    return "".join(out)


@_tf("replace")
def _replace(str_, substr, replace):
    text, search, replacement = _s(str_, "str"), _s(substr, "substr"), _s(replace, "replace")
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        rx = _compile_re2(search[1:-1])
        data = _utf8(text)
        out, last = [], 0
        for match in _find_all(rx, text):
            out.append(data[last:match.start].decode("utf-8"))
            out.append(_go_expand(replacement, rx, match))
            last = match.end
        out.append(data[last:].decode("utf-8"))
        return "".join(out)
    return text.replace(search, replacement)


# =====================================================================================
# Collection functions
# =====================================================================================


@_tf("length", propagate=False)
def _length(value):
    if isinstance(value, Unknown):
        if isinstance(value.ty, tuple) and value.ty[0] in ("tuple", "object"):
            return len(value.ty[1])  # the type says how many elements or attributes
        return _unknown([value])
    if isinstance(value, str):
        return _char_count(value)
    if isinstance(value, (list, dict)):
        return len(value)
    raise _arg_error("value", "argument must be a string, a collection type, or a structural type")


@_tf("concat", propagate=False)
def _concat(*seqs):
    if not seqs:
        _fail("at least one argument is required")
    for seq in seqs:
        if not isinstance(seq, (list, Unknown)):
            raise _arg_error("seqs", f"all arguments must be lists or tuples; got {type_name(seq)}")
    unknown = [seq for seq in seqs if isinstance(seq, Unknown)]
    if unknown:
        return _unknown(unknown)
    return [item for seq in seqs for item in seq]


@_tf("contains", propagate=False)
def _contains(list_, value):
    if not isinstance(list_, (list, Unknown)):
        raise _arg_error("list", "argument must be list, tuple, or set")
    if isinstance(list_, Unknown):
        return _unknown([list_])
    if not list_:
        return False
    undecided = []
    for item in list_:
        equal = _tri_equal(item, value)
        if equal:
            return True
        if equal is None:
            undecided.append(item)
    if undecided:
        return _unknown(undecided + [value])
    return False


@_tf("distinct", propagate=False)
def _distinct(list_):
    if isinstance(list_, Unknown):
        return _unknown([list_])
    items = _unify(_l(list_, "list"), "list", "all elements must have the same type")
    if len(items) > 1 and _has_unknown(items):
        return _unknown(items)  # which elements are duplicates is not known yet
    out: list = []
    for item in items:
        if not any(tf_equal(item, seen) for seen in out):
            out.append(item)
    return out


@_tf("element", propagate=False, nullable=True)
def _element(list_, index):
    if not isinstance(list_, (list, Unknown)):
        raise _arg_error("list", f"cannot read elements from {type_name(list_)}")
    if not isinstance(index, Unknown):
        position = _i(index, "index")
        if position < 0:
            _fail("cannot use element function with a negative index")
    if isinstance(list_, Unknown) or isinstance(index, Unknown):
        return _unknown([list_, index], nonnull=False)
    if not list_:
        _fail("cannot use element function with an empty list")
    return list_[position % len(list_)]


def _may_be_sequence(ty: Any) -> bool:
    """An unknown of type ``ty`` may be a list, set or tuple (which flatten expands)."""
    return ty is None or (isinstance(ty, tuple) and ty[0] in ("list", "set", "tuple"))


@_tf("flatten", propagate=False)
def _flatten(list_):
    if not isinstance(list_, (list, Unknown)):
        raise _arg_error("list", "can only flatten lists, sets and tuples")
    out: list = []
    unknown: list = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, Unknown) and _may_be_sequence(item.ty):
                unknown.append(item)  # might be a list, to be flattened too
            elif isinstance(item, list):
                walk(item)
            else:
                out.append(item)

    if isinstance(list_, Unknown):
        return _unknown([list_])
    walk(list_)
    if unknown:
        return _unknown(unknown)
    return out


@_tf("keys", propagate=False)
def _keys(inputMap):
    if isinstance(inputMap, Unknown):
        return _unknown([inputMap])
    return sorted(_m(inputMap, "inputMap", "map or object"))


@_tf("values", propagate=False)
def _values(values_):
    if isinstance(values_, Unknown):
        return _unknown([values_])
    if not isinstance(values_, dict):
        raise _arg_error("values", "values() requires a map as the first argument")
    return [values_[key] for key in sorted(values_)]


@_tf("lookup", propagate=False, null_ok={"default"}, nullable=True)
def _lookup(inputMap, key, default=_MISSING):
    if not isinstance(inputMap, (dict, Unknown)):
        raise _arg_error("inputMap", "lookup() requires a map as the first argument")
    if isinstance(inputMap, Unknown) or isinstance(key, Unknown):
        return _unknown([inputMap, key], nonnull=False)
    name = _s(key, "key")
    if name in inputMap:
        return inputMap[name]
    if default is not _MISSING:
        return default
    _fail(f'lookup failed to find key "{name}"')


@_tf("merge", propagate=False, null_ok=True)
def _merge(*maps):
    for mapping in maps:
        if mapping is not None and not isinstance(mapping, (dict, Unknown)):
            raise _arg_error("maps", f'arguments must be maps or objects, got "{type_name(mapping)}"')
    unknown = [mapping for mapping in maps if isinstance(mapping, Unknown)]
    if unknown:
        return _unknown(unknown)  # its keys are not known
    out: dict = {}
    for mapping in maps:
        if mapping is not None:
            out.update(mapping)
    return out


@_tf("one", propagate=False, nullable=True)
def _one(list_):
    if isinstance(list_, Unknown):
        return _unknown([list_], nonnull=False)
    if not isinstance(list_, list) or len(list_) > 1:
        raise _arg_error("list", "must be a list, set, or tuple value with either zero or one elements")
    return list_[0] if list_ else None


_RANGE_LIMIT = 1024 * 1024


@_tf("range")
def _range(*params):
    numbers = [_exact(_n(value, "params")) for value in params]
    if len(numbers) == 1:
        start, end, step = Fraction(0), numbers[0], Fraction(-1 if numbers[0] < 0 else 1)
    elif len(numbers) == 2:
        start, end = numbers
        step = Fraction(-1 if end < start else 1)
    elif len(numbers) == 3:
        start, end, step = numbers
    else:
        _fail("must have one, two, or three arguments")
    if step == 0:
        raise _arg_error("params", "step must not be zero")
    if step < 0 and end > start:
        raise _arg_error("params", "end must be less than start when step is negative")
    if step > 0 and end < start:
        raise _arg_error("params", "end must be greater than start when step is positive")
    count = math.ceil((end - start) / step)
    if count > _RANGE_LIMIT:
        _fail(f"more than {_RANGE_LIMIT} values were generated; either decrease the difference between start "
              f"and end or use a smaller step")
    if start.denominator == 1 and step.denominator == 1:  # whole numbers: no Fraction per element
        return list(range(start.numerator, start.numerator + step.numerator * count, step.numerator))
    return [from_exact(start + step * k) for k in range(count)]


@_tf("reverse", propagate=False)
def _reverse(list_):
    if isinstance(list_, Unknown):
        return _unknown([list_])
    if not isinstance(list_, list):
        raise _arg_error("list", f"can only reverse list or tuple values, not {type_name(list_)}")
    return list_[::-1]


@_tf("setproduct", propagate=False)
def _setproduct(*sets):
    if len(sets) < 2:
        _fail("at least two arguments are required")
    for value in sets:
        if not isinstance(value, (list, Unknown)):
            raise _arg_error("sets", "a set or a list is required")
    unknown = [value for value in sets if isinstance(value, Unknown)]
    if unknown:
        return _unknown(unknown)
    unified = [_unify(value, "sets", "all elements must be of the same type") for value in sets]
    if math.prod(len(value) for value in unified) > MAX_COLLECTION:  # rdspolicy's limit (limits.py)
        _fail(f"the product would have more than {MAX_COLLECTION} elements")
    return [list(combination) for combination in itertools.product(*unified)]


def _set_arguments(sets: tuple, param: str) -> list[list] | Unknown:
    for value in sets:
        if not isinstance(value, (list, Unknown)):
            raise _arg_error(param, "set of any single type required")
    if _has_unknown(list(sets)):
        return _unknown(list(sets))  # membership and duplicates are not known yet
    every = _unify([item for value in sets for item in value], param,
                   "given sets must all have compatible element types")
    out, start = [], 0
    for value in sets:
        out.append(every[start:start + len(value)])
        start += len(value)
    return out


@_tf("setunion", propagate=False)
def _setunion(first_set, *other_sets):
    sets = _set_arguments((first_set,) + other_sets, "first_set")
    if isinstance(sets, Unknown):
        return sets
    return TSet(_set_of([item for value in sets for item in value]))


@_tf("setintersection", propagate=False)
def _setintersection(first_set, *other_sets):
    arguments = (first_set,) + other_sets
    if any(value == [] for value in arguments) and all(isinstance(v, (list, Unknown)) for v in arguments):
        return []
    sets = _set_arguments(arguments, "first_set")
    if isinstance(sets, Unknown):
        return sets
    common = [item for item in sets[0] if all(any(tf_equal(item, other) for other in s) for s in sets[1:])]
    return TSet(_set_of(common))


@_tf("setsubtract", propagate=False)
def _setsubtract(a, b):
    if a == [] and isinstance(b, (list, Unknown)):
        return []
    sets = _set_arguments((a, b), "a")
    if isinstance(sets, Unknown):
        return sets
    return TSet(_set_of([item for item in sets[0] if not any(tf_equal(item, other) for other in sets[1])]))


@_tf("slice", propagate=False)
def _slice(list_, start_index, end_index):
    if not isinstance(list_, (list, Unknown)):
        raise _arg_error("list", "must be a list or tuple value")
    length = len(list_) if isinstance(list_, list) else None
    start = end = None
    if not isinstance(start_index, Unknown):
        start = _i(start_index, "start_index")
        if start < 0:
            raise _arg_error("start_index", "start index must not be less than zero")
        if length is not None and start > length:
            raise _arg_error("start_index", "start index must not be greater than the length of the list")
    if not isinstance(end_index, Unknown):
        end = _i(end_index, "end_index")
        if end < 0:
            raise _arg_error("end_index", "end index must not be less than zero")
        if length is not None and end > length:
            raise _arg_error("end_index", "end index must not be greater than the length of the list")
    if start is not None and end is not None and start > end:
        raise _arg_error("start_index", "start index must not be greater than end index")
    if length is None or start is None or end is None:
        return _unknown([list_, start_index, end_index])
    return list_[start:end]


@_tf("sort", propagate=False)
def _sort(list_):
    items = []
    for index, item in enumerate(_l(list_, "list", "list of string")):
        if item is None:
            _fail(f"given list element {index} is null; a null string cannot be sorted")
        items.append(_s(item, "list", "list of string"))
    if _has_unknown(items):  # the length is known, the order is not
        unknown = _unknown(items)
        return [unknown] * len(items)
    return sorted(items)


@_tf("zipmap", propagate=False)
def _zipmap(keys, values):
    if not isinstance(keys, (list, Unknown)):
        raise _arg_error("keys", "list of string required")
    if not isinstance(values, (list, Unknown)):
        raise _arg_error("values", "values argument must be a list or tuple value")
    if _has_unknown(keys) or isinstance(values, Unknown):
        return _unknown([keys, values])
    if len(keys) != len(values):
        _fail(f"number of keys ({len(keys)}) does not match number of values ({len(values)})")
    out = {}
    for index, (key, value) in enumerate(zip(keys, values)):
        if key is None:
            _fail(f"keys list has null value at index {index}")
        out[_s(key, "keys", "list of string")] = value
    return out


def _check_same_kind(values: Iterable[Any], message: str) -> bool:
    """Fail when known values mix primitives, lists and maps; tell whether the
    primitives are of mixed types (so the result converts to string)."""
    kinds = {kind for kind in map(_kind, values) if kind}
    groups = {"primitive" if kind in ("string", "number", "bool") else kind for kind in kinds}
    if len(groups) > 1:
        _fail(message)
    return len(kinds) > 1


@_tf("coalesce", propagate=False, null_ok=True)
def _coalesce(*vals):
    if not vals:
        _fail("at least one argument is required")
    mixed = _check_same_kind(vals, "all arguments must have the same type")
    for value in vals:
        if isinstance(value, Unknown):
            return _unknown([value])  # it may turn out null or ""
        if value is None or value == "":
            continue
        return to_string(value) if mixed and _kind(value) in ("number", "bool") else value
    _fail("no non-null, non-empty-string arguments")


@_tf("coalescelist", propagate=False, null_ok=True)
def _coalescelist(*vals):
    if not vals:
        _fail("at least one argument is required")
    for value in vals:
        if value is not None and not isinstance(value, (list, Unknown)):
            raise _arg_error("vals", "coalescelist arguments must be lists or tuples")
    for value in vals:
        if isinstance(value, Unknown):
            return _unknown([value])
        if value:
            return value
    _fail("no non-null arguments")


@_tf("compact")
def _compact(list_):
    out = []
    for item in _l(list_, "list", "list of string"):
        if item is None:
            continue
        text = _s(item, "list", "list of string")
        if text != "":
            out.append(text)
    return out


@_tf("index", propagate=False)
def _index(list_, value):
    if not isinstance(list_, (list, Unknown)):
        raise _arg_error("list", "argument must be a list or tuple")
    if isinstance(list_, Unknown):
        return _unknown([list_])
    if not list_:
        _fail("cannot search an empty list")
    for position, item in enumerate(list_):
        equal = _tri_equal(item, value)
        if equal is None:
            return _unknown([item, value])  # an earlier unknown element may be the one
        if equal:
            return position
    _fail("item not found")


def _bool_elements(list_: Any) -> list | Unknown:
    if isinstance(list_, Unknown):
        return _unknown([list_])
    items = _l(list_, "list", "list of bool")
    return [item if item is None or isinstance(item, Unknown) else _b(item, "list") for item in items]


@_tf("alltrue", propagate=False)
def _alltrue(list_):
    items = _bool_elements(list_)
    if isinstance(items, Unknown):
        return items
    if any(item is None or item is False for item in items):
        return False
    unknown = [item for item in items if isinstance(item, Unknown)]
    return _unknown(unknown) if unknown else True


@_tf("anytrue", propagate=False)
def _anytrue(list_):
    items = _bool_elements(list_)
    if isinstance(items, Unknown):
        return items
    if any(item is True for item in items):
        return True
    unknown = [item for item in items if isinstance(item, Unknown)]
    return _unknown(unknown) if unknown else False


@_tf("sum")
def _sum(list_):
    if not isinstance(list_, list):
        raise _arg_error("list", "cannot sum noniterable")
    if not list_:
        raise _arg_error("list", "cannot sum an empty list")
    numbers = []
    for item in list_:
        if item is None or isinstance(item, (bool, list, dict)):
            raise _arg_error("list", "argument must be list, set, or tuple of number values")
        numbers.append(_n(item, "list"))
    if all(isinstance(number, int) or math.isfinite(number) for number in numbers):
        return from_exact(sum((_exact(number) for number in numbers), Fraction(0)))
    if math.inf in numbers and -math.inf in numbers:
        _fail("can't compute sum of opposing infinities")
    return math.inf if math.inf in numbers else -math.inf


@_tf("transpose")
def _transpose(values):
    out: dict[str, list[str]] = {}
    for key in sorted(_m(values, "values", "map of list of string")):
        for item in _l(values[key], "values", "map of list of string"):
            if not isinstance(item, str):
                _fail("input must be a map of lists of strings")
            out.setdefault(item, []).append(key)
    return {key: sorted(out[key]) for key in sorted(out)}


@_tf("chunklist", propagate=False)
def _chunklist(list_, size):
    if not isinstance(list_, (list, Unknown)):
        raise _arg_error("list", "list required")
    if not isinstance(size, Unknown):
        width = _i(size, "size")
        if width < 0:
            _fail("the size argument must be positive")
    if isinstance(list_, Unknown) or isinstance(size, Unknown):
        return _unknown([list_, size])
    if not list_:
        return []
    if width == 0:
        return [list_]
    return [list_[k:k + width] for k in range(0, len(list_), width)]


@_tf("matchkeys")
def _matchkeys(values, keys, searchset):
    values, keys, searchset = _l(values, "values"), _l(keys, "keys"), _l(searchset, "searchset")
    if len(values) != len(keys):
        _fail("length of keys and values should be equal")
    both = _unify(keys + searchset, "keys", "keys and searchset must be of the same type")
    keys, searchset = both[:len(keys)], both[len(keys):]
    return [value for value, key in zip(values, keys) if any(tf_equal(key, s) for s in searchset)]


# =====================================================================================
# Type conversion
# =====================================================================================


@_tf("tostring", propagate=False, null_ok=True, nullable=True)
def _tostring(v):
    if v is None or isinstance(v, Unknown):
        return v
    if isinstance(v, (list, dict)):
        raise _arg_error("v", f"cannot convert {type_name(v)} to string")
    return to_string(v)


@_tf("tonumber", propagate=False, null_ok=True, nullable=True)
def _tonumber(v):
    if v is None or isinstance(v, Unknown):
        return v
    if isinstance(v, (bool, list, dict)):
        raise _arg_error("v", f"cannot convert {type_name(v)} to number")
    try:
        return to_number(v)
    except EvalError:
        raise _arg_error("v", f'cannot convert "{v}" to number; given string must be a decimal representation '
                              f'of a number') from None


@_tf("tobool", propagate=False, null_ok=True, nullable=True)
def _tobool(v):
    if v is None or isinstance(v, Unknown):
        return v
    if isinstance(v, str) and v not in ("true", "false"):
        raise _arg_error("v", f'cannot convert "{v}" to bool; only the strings "true" or "false" are allowed')
    if not isinstance(v, (bool, str)):
        raise _arg_error("v", f"cannot convert {type_name(v)} to bool")
    return to_bool(v)


@_tf("tolist", propagate=False, null_ok=True, nullable=True)
def _tolist(v):
    if v is None or isinstance(v, Unknown):
        return v
    if not isinstance(v, list):
        raise _arg_error("v", f"cannot convert {type_name(v)} to list of any single type")
    return TList(_unify(v, "v", "cannot convert tuple to list of any single type"))


@_tf("toset", propagate=False, null_ok=True, nullable=True)
def _toset(v):
    if v is None or isinstance(v, Unknown):
        return v
    if not isinstance(v, list):
        raise _arg_error("v", f"cannot convert {type_name(v)} to set of any single type")
    items = _unify(v, "v", "cannot convert tuple to set of any single type")
    if len(items) <= 1:
        return TSet(items)
    if _has_unknown(items):
        return _unknown(items)  # which elements are duplicates, and their order, are not known yet
    return TSet(_set_of(items))


@_tf("tomap", propagate=False, null_ok=True, nullable=True)
def _tomap(v):
    if v is None or isinstance(v, Unknown):
        return v
    if not isinstance(v, dict):
        raise _arg_error("v", f"cannot convert {type_name(v)} to map of any single type")
    keys = list(v)
    return TMap(zip(keys, _unify([v[key] for key in keys], "v", "cannot convert object to map of any single type")))


@_tf("sensitive", propagate=False, null_ok=True, nullable=True)
def _sensitive(value):
    return value  # rdspolicy does not track sensitivity


@_tf("nonsensitive", propagate=False, null_ok=True, nullable=True)
def _nonsensitive(value):
    return value


@_tf("ephemeralasnull", propagate=False, null_ok=True, nullable=True)
def _ephemeralasnull(value):
    return value  # values rdspolicy knows are never ephemeral


# =====================================================================================
# Numeric functions
# =====================================================================================


@_tf("abs")
def _abs(num):
    return abs(_n(num, "num"))


@_tf("ceil")
def _ceil(num):
    number = _n(num, "num")
    return number if isinstance(number, int) or math.isinf(number) else math.ceil(number)


@_tf("floor")
def _floor(num):
    number = _n(num, "num")
    return number if isinstance(number, int) or math.isinf(number) else math.floor(number)


@_tf("signum")
def _signum(num):
    number = _n(num, "num")
    return (number > 0) - (number < 0)


@_tf("max")
def _max(*numbers):
    if not numbers:
        _fail("must pass at least one number")
    return normalize_number(max(_n(number, "numbers") for number in numbers))


@_tf("min")
def _min(*numbers):
    if not numbers:
        _fail("must pass at least one number")
    return normalize_number(min(_n(number, "numbers") for number in numbers))


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
        _fail("the result is not a number (NaN)")
    return normalize_number(result)


@_tf("log")
def _log(num, base):
    top, bottom = _go_log(_float(_n(num, "num"))), _go_log(_float(_n(base, "base")))
    if bottom == 0:
        return _checked(math.nan if top == 0 or math.isnan(top) else math.copysign(math.inf, top))
    if math.isinf(top) and math.isinf(bottom):
        return _checked(math.nan)
    return _checked(top / bottom)


@_tf("pow")
def _pow(num, power):
    x, y = _float(_n(num, "num")), _float(_n(power, "power"))
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


@_tf("parseint")
def _parseint(number, base):
    if not isinstance(number, str):
        raise _arg_error("number", f"first argument must be a string, not {type_name(number)}")
    radix = _i(base, "base")
    if not 2 <= radix <= 62:
        raise _arg_error("base", "base must be a whole number between 2 and 62 inclusive")
    body = number[1:] if number[:1] in ("+", "-") else number
    if not body:
        _fail(f'cannot parse "{number}" as a base {radix} integer')
    value = 0
    for char in body:
        if radix <= 36:
            digit = _DIGITS_62.find(char.lower()) if char.isascii() else -1
        else:
            digit = _DIGITS_62.find(char)
        if digit < 0 or digit >= radix:
            _fail(f'cannot parse "{number}" as a base {radix} integer')
        value = value * radix + digit
    return -value if number.startswith("-") else value


# =====================================================================================
# Encoding functions
# =====================================================================================


@_tf("jsonencode", null_ok=True)
def _jsonencode(value):
    return _json_encode(value)


@_tf("jsondecode", nullable=True)
def _jsondecode(str_):
    try:
        return _json_decode(_s(str_, "str"))
    except (ValueError, RecursionError) as exc:
        _fail(f"invalid JSON: {exc}")


# yamldecode: PyYAML reads the YAML (scanner, parser, composer: the node tree with
# anchors resolved); the scalars are resolved here the way Terraform's go-cty-yaml does,
# which is neither PyYAML's YAML 1.1 nor pure YAML 1.2: booleans include y/yes/on,
# integers are decimal, 0o octal or 0x hex, and timestamps become RFC 3339 strings.

_YAML_TRUE = frozenset("y Y yes Yes YES on On ON true True TRUE".split())
_YAML_FALSE = frozenset("n N no No NO off Off OFF false False FALSE".split())
_YAML_NULL = frozenset(["", "~", "null", "Null", "NULL"])
_YAML_INT = re.compile(r"[-+]?[0-9]+\Z")
_YAML_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_YAML_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_YAML_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")
_YAML_TIME = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:([Tt])|[ ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?(Z|[-+]\d{2}:\d{2})?)?\Z")
_YAML_MAX_VALUES = 1_000_000
_PLAIN = "!rdspolicy-plain"
_YAML_TAG = "tag:yaml.org,2002:"


def _yaml_time(text: str) -> str | None:
    """A plain scalar Go's time.Parse reads with go-yaml's layouts, as Terraform prints it."""
    match = _YAML_TIME.match(text)
    if not match:
        return None
    year, month, day, t, hour, minute, second, _fraction, zone = match.groups()
    if hour is not None and ((t is not None) != (zone is not None)):
        return None  # "T" needs a zone, " " takes none
    try:
        offset = _dt.timezone.utc
        if zone and zone != "Z":
            sign = -1 if zone[0] == "-" else 1
            offset = _dt.timezone(sign * _dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
        moment = _dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                              int(second or 0), tzinfo=offset)
    except ValueError:
        return None
    return _rfc3339(moment)


def _yaml_plain(text: str) -> Any:
    if text in _YAML_NULL:
        return None
    if text in _YAML_TRUE:
        return True
    if text in _YAML_FALSE:
        return False
    if _YAML_INT.match(text):
        return int(text)
    if text.startswith("0x") and len(text) > 2 and all(c in "0123456789abcdefABCDEF" for c in text[2:]):
        return int(text[2:], 16)
    if text.startswith("0o") and len(text) > 2 and all(c in "01234567" for c in text[2:]):
        return int(text[2:], 8)
    if _YAML_FLOAT.match(text):
        return _yaml_number(text)
    if _YAML_INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _YAML_NAN.match(text):
        _fail("on line 1: NaN is not a number Terraform can represent")
    timestamp = _yaml_time(text)
    return text if timestamp is None else timestamp


def _yaml_number(text: str) -> int | float:
    value = Fraction(Decimal(text))
    if value.denominator == 1:
        return int(value)
    return float(value)


def _yaml_loader(text: str) -> Any:
    import yaml

    class Resolver(yaml.resolver.BaseResolver):
        def resolve(self, kind, value, implicit):
            if kind is yaml.ScalarNode and implicit[0]:
                return _PLAIN  # plain scalars are resolved by _yaml_plain
            return super().resolve(kind, value, implicit)

    class Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer, Resolver):
        def __init__(self, stream):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            Resolver.__init__(self)

    return Loader(text)


def _from_yaml_node(root: Any) -> Any:
    import yaml

    converted: dict[int, Any] = {}
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size_of(node: Any) -> int:  # values the node expands to, aliases counted each time
        key = id(node)
        if key not in sizes:
            if key in active:
                _fail("a YAML alias refers to a node that contains it")
            active.add(key)
            if isinstance(node, yaml.SequenceNode):
                total = 1 + sum(size_of(item) for item in node.value)
            elif isinstance(node, yaml.MappingNode):
                total = 1 + sum(size_of(k) + size_of(v) for k, v in node.value)
            else:
                total = 1
            active.discard(key)
            sizes[key] = total
        return sizes[key]

    if size_of(root) > _YAML_MAX_VALUES:
        raise _NotEvaluated("yamldecode() of a document that expands to more than a million values is not evaluated")

    def scalar(node: Any) -> Any:
        tag = node.tag
        if tag == _PLAIN:
            return _yaml_plain(node.value)
        if tag in ("!", _YAML_TAG + "str"):
            return node.value
        if tag == _YAML_TAG + "null":
            return None
        if tag == _YAML_TAG + "bool":
            if node.value in _YAML_TRUE or node.value in _YAML_FALSE:
                return node.value in _YAML_TRUE
            _fail(f"cannot decode {node.value!r} as a bool")
        if tag in (_YAML_TAG + "int", _YAML_TAG + "float"):
            value = _yaml_plain(node.value)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                _fail(f"cannot decode {node.value!r} as a number")
            return value
        raise _NotEvaluated(f"yamldecode() of a value tagged {tag} is not evaluated by rdspolicy")

    def key_text(value: Any) -> str:
        if isinstance(value, (list, dict)) or isinstance(value, Unknown):
            _fail("a YAML mapping key must be a scalar")
        return "null" if value is None else to_string(value)

    def convert(node: Any) -> Any:
        key = id(node)
        if key in converted:
            return converted[key]
        if isinstance(node, yaml.ScalarNode):
            value = scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = [convert(item) for item in node.value]
        else:
            value = {}
            merged: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag in (_PLAIN, _YAML_TAG + "merge") \
                        and key_node.value == "<<":
                    sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                    for source in reversed(sources):
                        item = convert(source)
                        if not isinstance(item, dict):
                            _fail("a YAML merge key (<<) needs a mapping or a list of mappings")
                        merged.update(item)
                    continue
                value[key_text(convert(key_node))] = convert(value_node)
            value = {**merged, **value}
        converted[key] = value
        return value

    return convert(root)


@_tf("yamldecode", nullable=True)
def _yamldecode(src):
    text = _s(src, "src")
    try:
        import yaml  # PyYAML reads the text; the values are resolved as Terraform's
    except ImportError:  # pragma: no cover - PyYAML is a dependency
        # unknown, not an error: try(yamldecode(x), {}) must not quietly take the fallback
        raise _NotEvaluated("yamldecode() is not evaluated: PyYAML is not installed") from None
    loader = _yaml_loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        _fail(f"invalid YAML: {exc}")
    except RecursionError:
        raise _NotEvaluated("yamldecode() of a document nested too deeply is not evaluated") from None
    finally:
        loader.dispose()
    if node is None:
        _fail("on line 1, column 1: missing start of document")
    try:
        return _from_yaml_node(node)
    except RecursionError:
        raise _NotEvaluated("yamldecode() of a document nested too deeply is not evaluated") from None


# yamlencode: the layout Terraform's go-cty-yaml writes (keys sorted and quoted, strings
# double-quoted, multi-line strings as literal blocks, sequences not indented under a key).

def _yaml_string(text: str) -> str:
    if any((ord(c) < 0x20 and c != "\t") or 0x7F <= ord(c) <= 0x9F or c in "\ufeff\u2028\u2029\u0085"
           for c in text):
        raise _NotEvaluated("yamlencode() of a string with control characters is not evaluated by rdspolicy")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


def _yaml_block(text: str, indent: int) -> str | None:
    """A multi-line string as a literal block (None when it is not one)."""
    if "\n" not in text:
        return None
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    if not body or body[0] in " \t" or "\t" in text or "\r" in text or any(line.endswith(" ") for line in body.split("\n")):
        raise _NotEvaluated("yamlencode() of this multi-line string is not evaluated by rdspolicy")
    for line in body.split("\n"):
        _yaml_string(line)  # the same characters are refused
    header = "|-" if trailing == 0 else "|" if trailing == 1 else "|+"
    pad = " " * (indent + 2)
    lines = [pad + line if line else "" for line in body.split("\n")] + [""] * (trailing - 1)
    return header + "\n" + "\n".join(lines)


def _yaml_scalar(value: Any, indent: int) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise _NotEvaluated("yamlencode() of an infinite number is not evaluated by rdspolicy")
        return number_text(value)
    return _yaml_block(value, indent) or _yaml_string(value)


def _yaml_lines(value: Any, indent: int) -> str:
    """A non-empty mapping or sequence at ``indent``, every line indented."""
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, dict):
        for key in sorted(value):
            item = value[key]
            head = pad + _yaml_string(key) + ":"
            if isinstance(item, dict) and item:
                out.append(head + "\n" + _yaml_lines(item, indent + 2))
            elif isinstance(item, list) and item:
                out.append(head + "\n" + _yaml_lines(item, indent))
            else:
                out.append(head + " " + _yaml_inline(item, indent))
    else:
        for item in value:
            if isinstance(item, (dict, list)) and item:
                out.append(pad + "- " + _yaml_lines(item, indent + 2)[indent + 2:])
            else:
                out.append(pad + "- " + _yaml_inline(item, indent))
    return "\n".join(out)


def _yaml_inline(value: Any, indent: int) -> str:
    if isinstance(value, list):
        return "[]"
    if isinstance(value, dict):
        return "{}"
    return _yaml_scalar(value, indent)


@_tf("yamlencode", null_ok=True)
def _yamlencode(value):
    if isinstance(value, (dict, list)) and value:
        return _yaml_lines(value, 0) + "\n"
    if isinstance(value, str) or isinstance(value, (dict, list)):
        return _yaml_inline(value, 0) + "\n"
    return _yaml_scalar(value, 0) + "\n...\n"


@_tf("base64encode")
def _base64encode(str_):
    return base64.b64encode(_s(str_, "str").encode("utf-8")).decode("ascii")


@_tf("base64decode")
def _base64decode(str_):
    text = _s(str_, "str")
    try:
        data = base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        _fail(f'failed to decode base64 data "{text}"')
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        _fail("the result of decoding the provided string is not valid UTF-8")


@_tf("urlencode")
def _urlencode(str_):
    return quote_plus(_s(str_, "str"), safe="")


@_tf("csvdecode")
def _csvdecode(str_):
    text = _s(str_, "str")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = [row for row in reader if row]
    except csv.Error as exc:
        _fail(f"invalid CSV: {exc}")
    if not rows:
        _fail("missing header line")
    header = rows[0]
    if len(set(header)) != len(header):
        duplicate = next(name for name in header if header.count(name) > 1)
        _fail(f'duplicate column name "{duplicate}"')
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            _fail(f"record on line {number}: wrong number of fields")
        out.append(dict(zip(header, row)))
    return out


# =====================================================================================
# Hash and crypto functions
# =====================================================================================


def _digest(algorithm: str, data: bytes) -> bytes:
    return hashlib.new(algorithm, data).digest()


for _algorithm in ("md5", "sha1", "sha256", "sha512"):
    def _make_hex(algorithm: str) -> Callable[[Any], str]:
        def hex_digest(str_):
            return _digest(algorithm, _s(str_, "str").encode("utf-8")).hex()
        return hex_digest
    _tf(_algorithm)(_make_hex(_algorithm))

for _algorithm in ("sha256", "sha512"):
    def _make_b64(algorithm: str) -> Callable[[Any], str]:
        def b64_digest(str_):
            return base64.b64encode(_digest(algorithm, _s(str_, "str").encode("utf-8"))).decode("ascii")
        return b64_digest
    _tf("base64" + _algorithm)(_make_b64(_algorithm))

_UUID_NAMESPACES = {"dns": _uuid.NAMESPACE_DNS, "url": _uuid.NAMESPACE_URL, "oid": _uuid.NAMESPACE_OID,
                    "x500": _uuid.NAMESPACE_X500}


@_tf("uuidv5")
def _uuidv5(namespace, name):
    space = _s(namespace, "namespace")
    ns = _UUID_NAMESPACES.get(space)
    if ns is None:
        try:
            ns = _uuid.UUID(space)
        except ValueError:
            _fail(f"uuidv5() doesn't support namespace {space}")
    return str(_uuid.uuid5(ns, _s(name, "name")))


# =====================================================================================
# IP network functions
# =====================================================================================


def _parse_cidr(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    address, slash, bits = text.partition("/")
    if not slash or not bits.isascii() or not bits.isdigit():
        _fail(f"invalid CIDR expression: invalid CIDR address: {text}")
    if "." in address and ":" not in address:  # Terraform reads "010" as decimal 10
        address = ".".join(str(int(part)) if part.isascii() and part.isdigit() else part for part in address.split("."))
    try:
        return ipaddress.ip_network(f"{address}/{int(bits)}", strict=False)
    except ValueError:
        _fail(f"invalid CIDR expression: invalid CIDR address: {text}")


@_tf("cidrhost")
def _cidrhost(prefix, hostnum):
    network = _parse_cidr(_s(prefix, "prefix"))
    number = _i(hostnum, "hostnum")
    highest = network.num_addresses - 1
    host = highest + number + 1 if number < 0 else number
    if host < 0 or host > highest:
        _fail(f"prefix of {network.prefixlen} does not accommodate a host numbered {number}")
    return str(network.network_address + host)


@_tf("cidrnetmask")
def _cidrnetmask(prefix):
    text = _s(prefix, "prefix")
    network = _parse_cidr(text)
    if network.version != 4:
        _fail(f"IPv6 addresses cannot have a netmask: {text}")
    return str(network.netmask)


@_tf("cidrsubnet")
def _cidrsubnet(prefix, newbits, netnum):
    network = _parse_cidr(_s(prefix, "prefix"))
    extra, number = _i(newbits, "newbits"), _i(netnum, "netnum")
    if extra < 0:
        raise _arg_error("newbits", "must not be negative")
    length = network.prefixlen + extra
    if length > network.max_prefixlen:
        _fail(f"insufficient address space to extend prefix of {network.prefixlen} by {extra}")
    if number < 0 or number >= (1 << extra):
        _fail(f"prefix extension of {extra} does not accommodate a subnet numbered {number}")
    start = int(network.network_address) + (number << (network.max_prefixlen - length))
    return str(type(network)((start, length)))


@_tf("cidrsubnets")
def _cidrsubnets(prefix, *newbits):
    network = _parse_cidr(_s(prefix, "prefix"))
    if not newbits:
        return []
    bits, base, kind = network.max_prefixlen, int(network.network_address), type(network)
    lengths = []
    for value in newbits:
        extra = _i(value, "newbits")
        if extra < 1:
            raise _arg_error("newbits", "must extend prefix by at least one bit")
        if extra > 32:
            raise _arg_error("newbits", "may not extend prefix by more than 32 bits")
        lengths.append(network.prefixlen + extra)
        if lengths[-1] > bits:
            raise _arg_error("newbits", f"would extend prefix to {lengths[-1]} bits, which is too long for an "
                                        f"IPv{network.version} address")
    # start just before the base prefix, as Terraform does, then allocate consecutively
    space = 1 << bits
    before = (base - 1) % space
    current, current_len = before - before % (1 << (bits - lengths[0])), lengths[0]
    out = []
    for length in lengths:
        last = current + (1 << (bits - current_len)) - 1
        block = 1 << (bits - length)
        following = last - last % block + block
        if following >= space or not base <= following < base + network.num_addresses:
            raise _arg_error("newbits", f"not enough remaining address space for a subnet with a prefix of "
                                        f"{length} bits after {kind((current, current_len))}")
        current, current_len = following, length
        out.append(str(kind((current, current_len))))
    return out


# =====================================================================================
# Filesystem functions (confined to the scanned tree)
# =====================================================================================

_MAX_FILE_BYTES = 10 * 1024 * 1024


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _resolved_path(ctx: FunctionContext | None, path: str, function: str) -> str:
    """Where a path given to a file function points.  Terraform takes a relative path
    from the folder it runs in, the root module's.  rdspolicy spells ``path.module`` and
    ``path.root`` as folders seen from where rdspolicy runs, so a path that starts with
    one of those spellings is taken from there; any other relative path from the root
    module's folder."""
    if os.path.isabs(path):
        return path
    if ctx is None:
        raise _NotEvaluated(f"{function}() needs the module's folder, which was not given")
    cleaned = _go_clean(path)
    for base in (ctx.module_dir, ctx.root_module_dir):
        if not os.path.isabs(base) and _go_clean(base) != ".":
            spelled = _go_clean(base.replace(os.sep, "/"))
            if cleaned == spelled or cleaned.startswith(spelled + "/"):
                return os.path.abspath(path)
    return os.path.abspath(os.path.join(ctx.root_module_dir, path))


def _confined_path(ctx: FunctionContext | None, path: str, function: str) -> str:
    """The real path of ``path`` (relative to the module folder) when it lies inside the
    scanned tree; otherwise the call's result is unknown and nothing is read."""
    if ctx is None:
        raise _NotEvaluated(f"{function}() needs the module's folder, which was not given")
    if path.startswith("~"):
        raise _refused(ctx, f'{function}() reads "{path}" in a home directory, which depends on the machine')
    if "\x00" in path:
        raise _arg_error("path", "the path contains a NUL character")
    real = os.path.realpath(_resolved_path(ctx, path, function))
    if not _inside(real, os.path.realpath(ctx.root_dir)):
        raise _refused(ctx, f'{function}() reads "{path}", which is outside the scanned folder; rdspolicy does '
                            f'not read it')
    return real


def _read_file(ctx: FunctionContext | None, path: Any, function: str) -> bytes:
    text = _s(path, "path")
    real = _confined_path(ctx, text, function)
    try:
        info = os.stat(real)
    except FileNotFoundError:
        raise _NotEvaluated(f'{function}(): no file exists at "{text}" (if it is created before Terraform runs, '
                            f'its content is not known)') from None
    except OSError as exc:
        raise _NotEvaluated(f'{function}() cannot read "{text}": {exc.strerror}') from None
    if stat.S_ISDIR(info.st_mode):
        _fail(f'"{text}" is a directory, not a file')
    if not stat.S_ISREG(info.st_mode):
        raise _NotEvaluated(f'{function}() reads "{text}", which is not a regular file; rdspolicy does not read it')
    if info.st_size > _MAX_FILE_BYTES:
        raise _NotEvaluated(f'{function}() reads "{text}", which is larger than 10 MiB; rdspolicy does not read it')
    try:
        with open(real, "rb") as handle:
            data = handle.read(_MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _NotEvaluated(f'{function}() cannot read "{text}": {exc.strerror}') from None
    if len(data) > _MAX_FILE_BYTES:
        raise _NotEvaluated(f'{function}() reads "{text}", which is larger than 10 MiB; rdspolicy does not read it')
    return data


@_tf("file", ctx=True)
def _file(ctx, path):
    data = _read_file(ctx, path, "file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        _fail(f'contents of "{path}" are not valid UTF-8; use the filebase64 function to obtain the Base64 '
              f'encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing '
              f'results instead')


@_tf("filebase64", ctx=True)
def _filebase64(ctx, path):
    return base64.b64encode(_read_file(ctx, path, "filebase64")).decode("ascii")


for _algorithm in ("md5", "sha1", "sha256", "sha512"):
    def _make_file_hex(algorithm: str) -> Callable[..., str]:
        def file_hex(ctx, path):
            return _digest(algorithm, _read_file(ctx, path, "file" + algorithm)).hex()
        return file_hex
    _tf("file" + _algorithm, ctx=True)(_make_file_hex(_algorithm))

for _algorithm in ("sha256", "sha512"):
    def _make_file_b64(algorithm: str) -> Callable[..., str]:
        def file_b64(ctx, path):
            digest = _digest(algorithm, _read_file(ctx, path, "filebase64" + algorithm))
            return base64.b64encode(digest).decode("ascii")
        return file_b64
    _tf("filebase64" + _algorithm, ctx=True)(_make_file_b64(_algorithm))


_MAX_FILESET = 10_000


def _glob_regex(pattern: str, i: int = 0, stop: str = "") -> tuple[str, int]:
    """Translate a doublestar glob (what fileset() takes) from ``pattern[i]`` to a
    regular expression over slash-separated relative paths; stops at a char in ``stop``."""
    out: list[str] = []
    while i < len(pattern) and pattern[i] not in stop:
        char = pattern[i]
        if pattern.startswith("**", i) and (i == 0 or pattern[i - 1] == "/"):
            if pattern.startswith("**/", i):
                out.append("(?:[^/]*/)*")
                i += 3
                continue
            if i + 2 == len(pattern) or pattern[i + 2] in stop:
                out.append(".*")
                i += 2
                continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        elif char == "[":
            end = pattern.find("]", i + 2)
            if end == -1:
                _fail(f'failed to glob pattern "{pattern}": syntax error in pattern')
            body = pattern[i + 1:end]
            negate = body[:1] in ("!", "^")
            body = body[1:] if negate else body
            out.append("[" + ("^/" if negate else "") + body.replace("\\", "\\\\").replace("[", "\\[") + "]")
            i = end
        elif char == "{":
            options = []
            i += 1
            while True:
                piece, i = _glob_regex(pattern, i, ",}")
                options.append(piece)
                if i >= len(pattern):
                    _fail(f'failed to glob pattern "{pattern}": syntax error in pattern')
                if pattern[i] == "}":
                    break
                i += 1
            out.append("(?:" + "|".join(options) + ")")
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out), i


@_tf("fileset", ctx=True)
def _fileset(ctx, path, pattern):
    base_text, glob = _s(path, "path"), _s(pattern, "pattern")
    base = _confined_path(ctx, base_text, "fileset")
    regex, _ = _glob_regex(glob)
    matcher = re.compile(regex + r"\Z", re.S)
    root = os.path.realpath(ctx.root_dir)
    found: list[str] = []
    seen = 0
    for folder, dirs, files in os.walk(base):
        for name in dirs:
            if os.path.islink(os.path.join(folder, name)):
                raise _NotEvaluated(f'fileset() of "{base_text}" meets a symbolic link to a folder; rdspolicy does '
                                    f'not follow it')
        for name in files:
            seen += 1
            if seen > _MAX_FILESET:
                raise _NotEvaluated(f'fileset() of "{base_text}" would look at more than {_MAX_FILESET} files')
            full = os.path.join(folder, name)
            relative = os.path.relpath(full, base).replace(os.sep, "/")
            if not matcher.match(relative):
                continue
            if not _inside(os.path.realpath(full), root):
                raise _refused(ctx, f'fileset() of "{base_text}" matches a link to a file outside the scanned folder')
            if os.path.isfile(full):
                found.append(relative)
    return TSet(sorted(set(found)))


@_tf("fileexists", ctx=True)
def _fileexists(ctx, path):
    text = _s(path, "path")
    real = _confined_path(ctx, text, "fileexists")
    try:
        info = os.stat(real)
    except FileNotFoundError:
        return False
    except OSError as exc:
        _fail(f'failed to stat "{text}": {exc.strerror}')
    if stat.S_ISREG(info.st_mode):
        return True
    _fail(f'{text} is not a regular file, but "{"directory" if stat.S_ISDIR(info.st_mode) else "special file"}"')


def _go_clean(path: str) -> str:
    """Go's ``path.Clean`` (slash-separated)."""
    if not path:
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    cleaned = ("/" if rooted else "") + "/".join(parts)
    return cleaned or ("/" if rooted else ".")


def _portable_path(path: str, function: str) -> str:
    if "\\" in path or ":" in path:
        raise _NotEvaluated(f"{function}() of a path with backslashes or a drive depends on the operating system")
    return path


@_tf("basename")
def _basename(path):
    text = _portable_path(_s(path, "path"), "basename")
    stripped = text.rstrip("/")
    if not text:
        return "."
    if not stripped:
        return "/"
    return stripped.rsplit("/", 1)[-1]


@_tf("dirname")
def _dirname(path):
    text = _portable_path(_s(path, "path"), "dirname")
    head = text[: text.rfind("/") + 1] if "/" in text else ""
    result = _go_clean(head)
    if "/" in result:  # on Windows the separators would be backslashes
        raise _NotEvaluated("dirname() of a nested path depends on the operating system's path separator")
    return result


@_tf("pathexpand")
def _pathexpand(path):
    text = _s(path, "path")
    if text.startswith("~"):
        raise _NotEvaluated("pathexpand() depends on the home directory of the machine running Terraform")
    return text


# -------------------------------------------------------------- templates

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_rendering: list[str] = []  # the templates being rendered (templatefile inside one is an error)


@lru_cache(maxsize=64)
def _parse_template(text: str, origin: str) -> Any:
    from ..errors import SourceError
    from ..parse import parse_template

    try:
        return parse_template(text, origin)
    except SourceError as exc:
        _fail(f"failed to parse the template {origin}: line {exc.line}, column {exc.column}: {exc.message}")


def _not_inside_a_template(function: str) -> None:
    if _rendering:
        _fail(f"cannot call {function} from inside a template rendered by {_rendering[-1]}")


def _render(ctx: FunctionContext | None, text: str, vars_: Any, origin: str, function: str) -> Any:
    """Evaluate template ``text`` with the variables ``vars_`` (names only: no ``var.``,
    ``local.`` or resources), as Terraform's templatefile and templatestring do."""
    from .expressions import ExprEvaluator, Scope

    if isinstance(vars_, Unknown):
        return _unknown([vars_], nonnull=False)
    if not isinstance(vars_, dict):
        raise _arg_error("vars", f"must be a map or an object, not a {type_name(vars_)} value")
    for key in vars_:
        if not _IDENTIFIER.match(key):
            raise _arg_error("vars", f'invalid template variable name "{key}": must start with a letter, followed '
                                     f'by zero or more letters, digits, and underscores')

    def resolve(name: str, pos: Any) -> Any:
        if name in vars_:
            return vars_[name]
        raise EvalError(f'vars map does not contain key "{name}", referenced at {origin}:{pos.line},{pos.column}')

    template = _parse_template(text, origin)
    _rendering.append(function)
    try:
        return ExprEvaluator(ctx).eval(template, Scope(resolve))  # type: ignore[arg-type]
    except EvalError as exc:
        _fail(f"{origin}: {exc}")
    finally:
        _rendering.pop()


@_tf("templatefile", ctx=True, propagate=False, nullable=True)
def _templatefile(ctx, path, vars_):
    _not_inside_a_template("templatefile")
    if isinstance(path, Unknown):
        return _unknown([path], nonnull=False)
    data = _read_file(ctx, path, "templatefile")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        _fail(f'contents of "{path}" are not valid UTF-8')
    return _render(ctx, text, vars_, str(path), "templatefile")


@_tf("templatestring", ctx=True, propagate=False, nullable=True)
def _templatestring(ctx, template, vars_):
    _not_inside_a_template("templatestring")
    if isinstance(template, Unknown):
        return _unknown([template], nonnull=False)
    return _render(ctx, _s(template, "template"), vars_, "the template string", "templatestring")


# -------------------------------------------------------------- paths


@_tf("abspath", ctx=True)
def _abspath(ctx, path):
    """An absolute path, given only for a path inside the scanned tree (elsewhere it
    depends on the machine)."""
    text = _s(path, "path")
    if "\x00" in text:
        raise _arg_error("path", "the path contains a NUL character")
    full = _go_clean(_resolved_path(ctx, text, "abspath").replace(os.sep, "/"))
    if ctx is None or not _inside(os.path.realpath(full), os.path.realpath(ctx.root_dir)):
        raise _NotEvaluated(f'abspath() of "{text}", which is outside the scanned folder, depends on the machine')
    return full


# -------------------------------------------------------------- text encodings

_TEXT_ENCODINGS = {  # IANA names Terraform accepts -> Python codec, for the common ones
    "utf-8": "utf-8", "utf8": "utf-8", "utf-16le": "utf-16-le", "utf-16be": "utf-16-be",
    "iso-8859-1": "latin-1", "latin1": "latin-1", "us-ascii": "ascii", "ascii": "ascii",
    "windows-1252": "cp1252", "cp1252": "cp1252", "iso-8859-15": "iso8859-15",
}


def _text_codec(encoding: str, function: str) -> str:
    codec = _TEXT_ENCODINGS.get(encoding.lower())
    if codec is None:
        raise _NotEvaluated(f'{function}() with the encoding "{encoding}" is not evaluated by rdspolicy')
    return codec


@_tf("textencodebase64")
def _textencodebase64(string, encoding):
    text, name = _s(string, "string"), _s(encoding, "encoding")
    try:
        data = text.encode(_text_codec(name, "textencodebase64"))
    except UnicodeEncodeError:
        _fail(f"the given string contains characters that cannot be represented in {name}")
    return base64.b64encode(data).decode("ascii")


@_tf("textdecodebase64")
def _textdecodebase64(source, encoding):
    text, name = _s(source, "source"), _s(encoding, "encoding")
    codec = _text_codec(name, "textdecodebase64")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        _fail("the given value is has an invalid base64 symbol")
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        _fail(f"the given value is not valid {name} text")


# =====================================================================================
# Date and time functions
# =====================================================================================

_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})\Z")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _parse_timestamp(text: str, param: str) -> tuple[_dt.datetime, int]:
    """An RFC 3339 timestamp: the time (with its UTC offset) and its nanoseconds."""
    match = _RFC3339.match(text)
    if not match:
        raise _arg_error(param, f'not a valid RFC3339 timestamp: "{text}"')
    year, month, day, hour, minute, second = (int(match.group(k)) for k in range(1, 7))
    nanos = int((match.group(7) or "0")[:9].ljust(9, "0"))
    zone = match.group(8)
    try:
        if zone == "Z":
            tz = _dt.timezone.utc
        else:
            hours, minutes = int(zone[1:3]), int(zone[4:6])
            if minutes >= 60 or hours >= 24:
                raise ValueError("UTC offset out of range")
            offset = _dt.timedelta(hours=hours, minutes=minutes)
            tz = _dt.timezone(-offset if zone[0] == "-" else offset)
        moment = _dt.datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError as exc:
        raise _arg_error(param, f'not a valid RFC3339 timestamp: "{text}": {exc}') from None
    return moment, nanos


def _zone(moment: _dt.datetime, colon: bool) -> str:
    offset = moment.utcoffset() or _dt.timedelta(0)
    total = int(offset.total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    hours, minutes = divmod(abs(total), 60)
    return f"{sign}{hours:02d}{':' if colon else ''}{minutes:02d}"


def _rfc3339(moment: _dt.datetime) -> str:
    zone = "Z" if moment.utcoffset() == _dt.timedelta(0) else _zone(moment, True)
    return (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
            f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}{zone}")


def _date_verb(token: str, moment: _dt.datetime) -> str:
    letter, size = token[0], len(token)

    def number(value: int, what: str, short: str) -> str:
        if size == 1:
            return str(value)
        if size == 2:
            return f"{value:02d}"
        raise _arg_error("format", f'invalid date format verb "{token}": {what} must either be "{short}" or '
                                   f'"{short * 2}"')

    if letter == "Y":
        if size == 2:
            return f"{moment.year % 100:02d}"
        if size == 4:
            return f"{moment.year:04d}"
        raise _arg_error("format", f'invalid date format verb "{token}": year must either be "YY" or "YYYY"')
    if letter == "M":
        if size <= 2:
            return number(moment.month, "month", "M")
        if size in (3, 4):
            name = _MONTHS[moment.month - 1]
            return name[:3] if size == 3 else name
        raise _arg_error("format", f'invalid date format verb "{token}": month must be "M", "MM", "MMM", or "MMMM"')
    if letter == "D":
        return number(moment.day, "day of month", "D")
    if letter == "E":
        if size in (3, 4):
            name = _WEEKDAYS[moment.weekday()]
            return name[:3] if size == 3 else name
        raise _arg_error("format", f'invalid date format verb "{token}": day of week must either be "EEE" or '
                                   f'"EEEE"')
    if letter == "h":
        return number(moment.hour, "24-hour", "h")
    if letter == "H":
        return number(moment.hour % 12 or 12, "12-hour", "H")
    if letter in "Aa":
        if size != 2:
            raise _arg_error("format", f'invalid date format verb "{token}": must be "{letter * 2}"')
        marker = "AM" if moment.hour < 12 else "PM"
        return marker if letter == "A" else marker.lower()
    if letter == "m":
        return number(moment.minute, "minute", "m")
    if letter == "s":
        return number(moment.second, "second", "s")
    if letter == "Z":
        utc = moment.utcoffset() == _dt.timedelta(0)
        if size == 1:
            return "Z" if utc else _zone(moment, True)
        if size == 3:
            return "UTC" if utc else _zone(moment, False)
        if size == 4:
            return _zone(moment, False)
        if size == 5:
            return _zone(moment, True)
        raise _arg_error("format", f'invalid date format verb "{token}": timezone must be Z, ZZZZ, or ZZZZZ')
    raise _arg_error("format", f'invalid date format verb "{token}"')


@_tf("formatdate")
def _formatdate(format_, time):
    spec = _s(format_, "format")
    moment, _ = _parse_timestamp(_s(time, "time"), "time")
    out, i, n = [], 0, len(spec)
    while i < n:
        char = spec[i]
        if char == "'":
            if spec.startswith("''", i):
                out.append("'")
                i += 2
                continue
            j, literal = i + 1, []
            while True:
                if j >= n:
                    raise _arg_error("format", "unterminated literal '")
                if spec[j] == "'":
                    if spec.startswith("''", j):
                        literal.append("'")
                        j += 2
                        continue
                    break
                literal.append(spec[j])
                j += 1
            out.append("".join(literal))
            i = j + 1
        elif char.isascii() and char.isalpha():
            j = i
            while j < n and spec[j] == char:
                j += 1
            out.append(_date_verb(spec[i:j], moment))
            i = j
        else:
            out.append(char)
            i += 1
    return "".join(out)


_DURATION_UNITS = {"ns": 1, "us": 10**3, "µs": 10**3, "μs": 10**3, "ms": 10**6, "s": 10**9, "m": 60 * 10**9,
                   "h": 3600 * 10**9}
_DURATION_PART = re.compile(r"(\d*)(?:\.(\d*))?([^\d.]*)")


def _parse_duration(text: str) -> int:
    """Go's ``time.ParseDuration``, in nanoseconds."""
    rest = text
    negative = rest[:1] == "-"
    if rest[:1] in ("+", "-"):
        rest = rest[1:]
    if rest == "0":
        return 0
    if not rest:
        _fail(f'time: invalid duration "{text}"')
    total = Fraction(0)
    while rest:
        match = _DURATION_PART.match(rest)
        whole, fraction, unit = match.group(1), match.group(2), match.group(3)
        if not whole and not fraction:
            _fail(f'time: invalid duration "{text}"')
        if not unit:
            _fail(f'time: missing unit in duration "{text}"')
        if unit not in _DURATION_UNITS:
            _fail(f'time: unknown unit "{unit}" in duration "{text}"')
        value = Fraction(int(whole or "0"))
        if fraction:
            value += Fraction(int(fraction), 10 ** len(fraction))
        total += value * _DURATION_UNITS[unit]
        rest = rest[match.end():]
    nanos = int(total)
    return -nanos if negative else nanos


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


@_tf("timeadd")
def _timeadd(timestamp, duration):
    moment, nanos = _parse_timestamp(_s(timestamp, "timestamp"), "timestamp")
    delta = _parse_duration(_s(duration, "duration"))
    seconds = int((moment - _EPOCH).total_seconds())
    total = seconds * 10**9 + nanos + delta
    try:
        result = _EPOCH + _dt.timedelta(seconds=total // 10**9)
        return _rfc3339(result.astimezone(moment.tzinfo))
    except (OverflowError, ValueError):
        _fail("the resulting time is out of range")


@_tf("timecmp")
def _timecmp(timestamp_a, timestamp_b):
    first, first_nanos = _parse_timestamp(_s(timestamp_a, "timestamp_a"), "timestamp_a")
    second, second_nanos = _parse_timestamp(_s(timestamp_b, "timestamp_b"), "timestamp_b")
    left, right = (first, first_nanos), (second, second_nanos)
    return (left > right) - (left < right)


@_tf("timestamp", ctx=True)
def _timestamp(ctx):
    if ctx is None or ctx.now_unknown:
        raise _NotEvaluated("timestamp() is known only during apply")
    return _rfc3339(_dt.datetime.now(_dt.timezone.utc).replace(microsecond=0))


# =====================================================================================
# Functions rdspolicy does not compute: their result is unknown, with the reason
# =====================================================================================

_NOT_EVALUATED: dict[str, tuple[int, int, str]] = {
    # name: (fewest arguments, most arguments, reason)
    "uuid": (0, 0, "uuid() returns a new value on every run"),
    "bcrypt": (1, 2, "bcrypt() uses a random salt, so its result changes on every run"),
    "plantimestamp": (0, 0, "plantimestamp() is known only when Terraform plans"),
    "base64gzip": (1, 1, "base64gzip() is not evaluated (its bytes depend on the compressor)"),
    "rsadecrypt": (2, 2, "rsadecrypt() is not evaluated"),
    "issensitive": (1, 1, "issensitive() is not evaluated: rdspolicy does not track which values are sensitive"),
}


def _register_not_evaluated(name: str, fewest: int, most: int, reason: str) -> None:
    def not_evaluated(*args):
        if not fewest <= len(args) <= most:
            expected = str(fewest) if fewest == most else f"{fewest} to {most}"
            raise EvalError(f'Invalid number of arguments: function "{name}" expects {expected} argument(s), '
                            f'got {len(args)}.')
        raise _NotEvaluated(reason)

    _tf(name, propagate=False, null_ok=True)(not_evaluated)


for _name, (_fewest, _most, _reason) in _NOT_EVALUATED.items():
    _register_not_evaluated(_name, _fewest, _most, _reason)


# -------------------------------------------------------------- result types
#
# The functions whose result is always a list (or map) in Terraform, never a tuple (or
# object), mark it so (see TList in .values): ``sort(["a"]) == ["a"]`` is false there.


def _as_list(result: Any) -> Any:
    return TList(result) if type(result) is list else result


def _mark_results(name: str, convert: Callable[..., Any]) -> None:
    function = FUNCTIONS[name]
    impl = function.impl

    def typed(*args: Any) -> Any:
        return convert(impl(*args), *args)

    function.impl = typed


for _name in ("sort", "split", "distinct", "compact", "range", "formatlist", "regexall", "cidrsubnets",
              "matchkeys", "setproduct"):
    _mark_results(_name, lambda result, *args: _as_list(result))
_mark_results("chunklist", lambda result, *args: _as_list([_as_list(chunk) for chunk in result])
              if type(result) is list else result)
_mark_results("csvdecode", lambda result, *args: _as_list([TObject(row) for row in result])
              if type(result) is list else result)
_mark_results("transpose", lambda result, *args: TMap({k: _as_list(v) for k, v in result.items()})
              if type(result) is dict else result)
for _name in ("keys", "values"):  # a map's keys and values are lists, an object's tuples
    _mark_results(_name, lambda result, value, *args: result if type(result) is not list else
                  TList(result) if collection_kind(value) == "map" else
                  TTuple(result) if collection_kind(value) == "object" else result)


def _register_removed(name: str, message: str) -> None:
    def removed(*args):
        raise EvalError(message)

    _tf(name, propagate=False, null_ok=True)(removed)


_register_removed("list", 'the "list" function was deprecated in Terraform v0.12 and is no longer available; '
                          'use tolist([ ... ]) syntax to write a literal list')
_register_removed("map", 'the "map" function was deprecated in Terraform v0.12 and is no longer available; '
                         'use tomap({ ... }) syntax to write a literal map')
_register_removed("type", 'the "type" function is only available in "terraform console"')
