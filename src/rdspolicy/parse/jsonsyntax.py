"""``.tf.json`` and ``.tfvars.json`` files -> :mod:`rdspolicy.syntax` trees.

Terraform's JSON syntax (https://developer.hashicorp.com/terraform/language/syntax/json):
the top-level object's keys are block types; labels are nested object keys; strings
are string templates (``"${var.x}"``) except where Terraform reads them literally
(variable defaults); ``"//"`` keys are comments.  Without the provider schema, an
object value inside a resource is a nested block when its name is one of the nested
block types rdspolicy knows, and an attribute (a map) otherwise.

We parse the JSON ourselves so that every key keeps its line and column.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from .. import syntax as S
from ..errors import SourceError
from .hcl import parse_expression, parse_template_text, reposition

# Block types and how many labels each takes.
TOP_LEVEL_LABELS = {"resource": 2, "data": 2, "variable": 1, "output": 1, "module": 1, "provider": 1,
                    "locals": 0, "terraform": 0, "moved": 0, "import": 0, "check": 1, "removed": 0}

# Nested block types of the resources rdspolicy models (others are read as attributes).
NESTED_BLOCKS = frozenset({
    "ingress", "egress", "parameter", "restore_to_point_in_time", "timeouts", "lifecycle",
    "serverlessv2_scaling_configuration", "scaling_configuration", "s3_import", "blue_green_update",
    "dynamic", "content", "filter", "validation", "master_user_secret", "precondition", "postcondition",
})

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_WS = " \t\n\r"


class _Pair:
    __slots__ = ("key", "value", "pos")

    def __init__(self, key: str, value: Any, pos: S.Pos):
        self.key = key
        self.value = value
        self.pos = pos


class _JObject:
    """A JSON object with its pairs in order (duplicates kept) and position."""

    __slots__ = ("pairs", "pos")

    def __init__(self, pairs: list[_Pair], pos: S.Pos):
        self.pairs = pairs
        self.pos = pos


class _JArray:
    __slots__ = ("items", "pos")

    def __init__(self, items: list, pos: S.Pos):
        self.items = items
        self.pos = pos


class _JScalar:
    __slots__ = ("value", "pos")

    def __init__(self, value: Any, pos: S.Pos):
        self.value = value
        self.pos = pos


class _Reader:
    def __init__(self, path: str, text: str):
        self.path = path
        self.text = text
        self.i = 0
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, index)
        return line, index - self.line_starts[line - 1] + 1

    def error(self, message: str, index: int | None = None):
        line, column = self.where(self.i if index is None else index)
        raise SourceError(self.path, line, column, message)

    def skip(self) -> None:
        text, i = self.text, self.i
        while i < len(text) and text[i] in _WS:
            i += 1
        self.i = i

    def pos(self, start: int) -> S.Pos:
        line, column = self.where(start)
        end_line, end_column = self.where(self.i)
        return S.Pos(line, column, end_line, end_column)

    def value(self, depth: int = 0):
        if depth > 500:
            self.error("the JSON is nested too deeply")
        self.skip()
        if self.i >= len(self.text):
            self.error("the file ends where a value was expected")
        ch = self.text[self.i]
        start = self.i
        if ch == "{":
            self.i += 1
            pairs = []
            self.skip()
            if self.text.startswith("}", self.i):
                self.i += 1
                return _JObject(pairs, self.pos(start))
            while True:
                self.skip()
                key_start = self.i
                if not self.text.startswith('"', self.i):
                    if pairs and self.text.startswith("}", self.i):
                        self.error("a comma before '}' is not allowed in JSON (remove the trailing comma)")
                    self.error("expected a quoted property name")
                key = self.string()
                key_pos = self.pos(key_start)
                self.skip()
                if not self.text.startswith(":", self.i):
                    self.error("expected ':' after the property name")
                self.i += 1
                value = self.value(depth + 1)
                pairs.append(_Pair(key, value, S.Pos(key_pos.line, key_pos.column,
                                                     value.pos.end_line, value.pos.end_column)))
                self.skip()
                if self.text.startswith(",", self.i):
                    self.i += 1
                    continue
                if self.text.startswith("}", self.i):
                    self.i += 1
                    return _JObject(pairs, self.pos(start))
                self.error("expected ',' or '}' in the object")
        if ch == "[":
            self.i += 1
            items = []
            self.skip()
            if self.text.startswith("]", self.i):
                self.i += 1
                return _JArray(items, self.pos(start))
            while True:
                items.append(self.value(depth + 1))
                self.skip()
                if self.text.startswith(",", self.i):
                    self.i += 1
                    continue
                if self.text.startswith("]", self.i):
                    self.i += 1
                    return _JArray(items, self.pos(start))
                self.error("expected ',' or ']' in the array")
        if ch == '"':
            text = self.string()
            return _JScalar(text, self.pos(start))
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.i):
                self.i += len(word)
                return _JScalar(val, self.pos(start))
        match = _NUMBER.match(self.text, self.i)
        if match:
            self.i = match.end()
            raw = match.group(0)
            number: Any = int(raw) if re.fullmatch(r"-?\d+", raw) else float(raw)
            return _JScalar(number, self.pos(start))
        self.error(f"unexpected character '{ch}' in JSON")

    def string(self) -> str:
        from json.decoder import scanstring

        try:
            value, end = scanstring(self.text, self.i + 1, True)
        except json.JSONDecodeError as exc:
            self.error(f"invalid JSON string: {exc.msg}", exc.pos)
        self.i = end
        return value


def parse_json_file(path: str, text: str) -> S.File:
    reader = _Reader(path, text)
    root = reader.value()
    reader.skip()
    if reader.i != len(text):
        reader.error("unexpected content after the end of the JSON document")
    if not isinstance(root, _JObject):
        raise SourceError(path, root.pos.line, root.pos.column, "the top level of a Terraform JSON file must be an object")
    builder = _Builder(path)
    if path.endswith(".tfvars.json"):
        attrs = {}
        for pair in root.pairs:
            attrs[pair.key] = S.Attribute(pair.pos, pair.key, builder.literal(pair.value))
        return S.File(path, S.Body(root.pos, attrs, []), [])
    return S.File(path, builder.top(root), [])


class _Builder:
    def __init__(self, path: str):
        self.path = path

    def error(self, pos: S.Pos, message: str):
        raise SourceError(self.path, pos.line, pos.column, message)

    def top(self, root: _JObject) -> S.Body:
        blocks: list[S.Block] = []
        for pair in root.pairs:
            if pair.key == "//":
                continue
            labels = TOP_LEVEL_LABELS.get(pair.key)
            if labels is None:
                self.error(pair.pos, f'unknown top-level block type "{pair.key}"')
            blocks.extend(self.blocks(pair.key, pair.value, labels, [], pair.pos, literal=pair.key == "variable"))
        return S.Body(root.pos, {}, blocks)

    def blocks(self, type_: str, value, labels_left: int, labels: list[str], pos: S.Pos,
               literal: bool = False) -> list[S.Block]:
        if labels_left:
            if not isinstance(value, _JObject):
                self.error(value.pos, f'"{type_}" needs an object keyed by its label')
            out = []
            for pair in value.pairs:
                if pair.key == "//":
                    continue
                out.extend(self.blocks(type_, pair.value, labels_left - 1, [*labels, pair.key], pair.pos, literal))
            return out
        bodies = value.items if isinstance(value, _JArray) else [value]
        out = []
        for body in bodies:
            if not isinstance(body, _JObject):
                self.error(body.pos, f'the body of "{type_}" must be an object')
            out.append(S.Block(pos, type_, labels, self.body(body, literal, type_)))
        return out

    def body(self, obj: _JObject, literal: bool = False, block_type: str = "") -> S.Body:
        attributes: dict[str, S.Attribute] = {}
        blocks: list[S.Block] = []
        for pair in obj.pairs:
            key, value = pair.key, pair.value
            if key == "//":
                continue
            if key in NESTED_BLOCKS and isinstance(value, (_JObject, _JArray)) and not (
                isinstance(value, _JArray) and value.items and not isinstance(value.items[0], _JObject)
            ):
                if key == "dynamic":
                    blocks.extend(self.blocks("dynamic", value, 1, [], pair.pos))
                else:
                    blocks.extend(self.blocks(key, value, 0, [], pair.pos))
                continue
            if key in attributes:
                self.error(pair.pos, f'attribute "{key}" is defined twice')
            if block_type == "variable" and key == "type" and isinstance(value, _JScalar) and isinstance(value.value, str):
                expr = self.expression_text(value.value, value.pos)
            elif block_type == "variable" and key == "default":
                expr = self.literal(value)
            else:
                expr = self.literal(value) if literal and key == "default" else self.expr(value)
            attributes[key] = S.Attribute(pair.pos, key, expr)
        return S.Body(obj.pos, attributes, blocks)

    def expression_text(self, text: str, pos: S.Pos) -> S.Expr:
        try:
            expr = parse_expression(text, self.path)
        except SourceError:
            self.error(pos, f'"{text}" is not a valid expression')
        reposition(expr, pos)
        return expr

    def expr(self, value) -> S.Expr:
        """A JSON value where Terraform reads strings as templates."""
        if isinstance(value, _JScalar):
            if isinstance(value.value, str):
                return self.template(value.value, value.pos)
            return S.Literal(value.pos, value.value)
        if isinstance(value, _JArray):
            return S.TupleExpr(value.pos, [self.expr(v) for v in value.items])
        items = []
        for pair in value.pairs:
            if pair.key == "//":
                continue
            items.append((self.template(pair.key, pair.pos), self.expr(pair.value)))
        return S.ObjectExpr(value.pos, items)

    def literal(self, value) -> S.Expr:
        """A JSON value read literally (tfvars files, variable defaults)."""
        return S.Literal(value.pos, _plain(value))

    def template(self, text: str, pos: S.Pos) -> S.Expr:
        if "${" not in text and "%{" not in text:
            return S.Literal(pos, text)
        return parse_template_text(text, self.path, pos)


def _plain(value) -> Any:
    if isinstance(value, _JScalar):
        return value.value
    if isinstance(value, _JArray):
        return [_plain(v) for v in value.items]
    return {p.key: _plain(p.value) for p in value.pairs}
