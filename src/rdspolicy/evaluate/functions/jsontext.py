"""JSON as Terraform writes and reads it: compact, sorted keys, HTML-safe, no exponents."""

from __future__ import annotations

import json
import math
import re
from typing import Any, NoReturn

from ..values import normalize_number, number_text, type_name
from .registry import fail


_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_HTML_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


def json_string(text: str) -> str:
    encoded = json.dumps(text, ensure_ascii=False)
    return _HTML_ESCAPE_RE.sub(lambda m: _HTML_ESCAPES[m.group()], encoded)


def _plain_number(number: int | float) -> str:
    """A number in decimal notation without exponent, as Terraform writes it in JSON."""
    if isinstance(number, int):
        return str(number)
    if math.isinf(number) or math.isnan(number):
        fail("cannot encode an infinite or NaN number as JSON")
    return number_text(number)


def json_encode(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _plain_number(value)
    if isinstance(value, str):
        return json_string(value)
    if isinstance(value, list):
        return "[" + ",".join(json_encode(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{json_string(str(k))}:{json_encode(value[k])}" for k in sorted(value)) + "}"
    fail(f"cannot encode a {type_name(value)} value as JSON")


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"invalid JSON literal {name}")


def json_decode(text: str) -> Any:
    return json.loads(
        text,
        parse_float=lambda t: normalize_number(float(t)),
        parse_constant=_reject_constant,
    )
