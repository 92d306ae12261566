"""Encoding functions: JSON, Base64 (of UTF-8 and of other text encodings), URL
query encoding, CSV.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
from urllib.parse import quote_plus

from .arguments import string_arg
from .jsontext import json_decode, json_encode
from .registry import fail, list_of_objects, NotEvaluated, register


@register("jsonencode", null_ok=True)
def _jsonencode(value):
    return json_encode(value)


@register("jsondecode", nullable=True)
def _jsondecode(str_):
    try:
        return json_decode(string_arg(str_, "str"))
    except (ValueError, RecursionError) as exc:
        fail(f"invalid JSON: {exc}")


# yamldecode: PyYAML reads the YAML (scanner, parser, composer: the node tree with
# anchors resolved); the scalars are resolved here the way Terraform's go-cty-yaml does,
# which is neither PyYAML's YAML 1.1 nor pure YAML 1.2: booleans include y/yes/on,
# integers are decimal, 0o octal or 0x hex, and timestamps become RFC 3339 strings.


@register("base64encode")
def _base64encode(str_):
    return base64.b64encode(string_arg(str_, "str").encode("utf-8")).decode("ascii")


@register("base64decode")
def _base64decode(str_):
    text = string_arg(str_, "str")
    try:
        data = base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        fail(f'failed to decode base64 data "{text}"')
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        fail("the result of decoding the provided string is not valid UTF-8")


@register("urlencode")
def _urlencode(str_):
    return quote_plus(string_arg(str_, "str"), safe="")


@register("csvdecode", returns=list_of_objects)
def _csvdecode(str_):
    text = string_arg(str_, "str")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = [row for row in reader if row]
    except csv.Error as exc:
        fail(f"invalid CSV: {exc}")
    if not rows:
        fail("missing header line")
    header = rows[0]
    if len(set(header)) != len(header):
        duplicate = next(name for name in header if header.count(name) > 1)
        fail(f'duplicate column name "{duplicate}"')
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            fail(f"record on line {number}: wrong number of fields")
        out.append(dict(zip(header, row)))
    return out


# -------------------------------------------------------------- text encodings

_TEXT_ENCODINGS = {  # IANA names Terraform accepts -> Python codec, for the common ones
    "utf-8": "utf-8", "utf8": "utf-8", "utf-16le": "utf-16-le", "utf-16be": "utf-16-be",
    "iso-8859-1": "latin-1", "latin1": "latin-1", "us-ascii": "ascii", "ascii": "ascii",
    "windows-1252": "cp1252", "cp1252": "cp1252", "iso-8859-15": "iso8859-15",
}


def _text_codec(encoding: str, function: str) -> str:
    codec = _TEXT_ENCODINGS.get(encoding.lower())
    if codec is None:
        raise NotEvaluated(f'{function}() with the encoding "{encoding}" is not evaluated by rdspolicy')
    return codec


@register("textencodebase64")
def _textencodebase64(string, encoding):
    text, name = string_arg(string, "string"), string_arg(encoding, "encoding")
    try:
        data = text.encode(_text_codec(name, "textencodebase64"))
    except UnicodeEncodeError:
        fail(f"the given string contains characters that cannot be represented in {name}")
    return base64.b64encode(data).decode("ascii")


@register("textdecodebase64")
def _textdecodebase64(source, encoding):
    text, name = string_arg(source, "source"), string_arg(encoding, "encoding")
    codec = _text_codec(name, "textdecodebase64")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        fail("the given value is has an invalid base64 symbol")
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        fail(f"the given value is not valid {name} text")
