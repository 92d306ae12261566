"""``yamldecode`` and ``yamlencode``: YAML 1.2 as Terraform's YAML library reads and writes it."""

from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..values import number_text, to_string, Unknown
from .arguments import string_arg
from .dates import rfc3339
from .registry import fail, NotEvaluated, register


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
    return rfc3339(moment)


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
        fail("on line 1: NaN is not a number Terraform can represent")
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
                fail("a YAML alias refers to a node that contains it")
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
        raise NotEvaluated("yamldecode() of a document that expands to more than a million values is not evaluated")

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
            fail(f"cannot decode {node.value!r} as a bool")
        if tag in (_YAML_TAG + "int", _YAML_TAG + "float"):
            value = _yaml_plain(node.value)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                fail(f"cannot decode {node.value!r} as a number")
            return value
        raise NotEvaluated(f"yamldecode() of a value tagged {tag} is not evaluated by rdspolicy")

    def key_text(value: Any) -> str:
        if isinstance(value, (list, dict)) or isinstance(value, Unknown):
            fail("a YAML mapping key must be a scalar")
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
                            fail("a YAML merge key (<<) needs a mapping or a list of mappings")
                        merged.update(item)
                    continue
                value[key_text(convert(key_node))] = convert(value_node)
            value = {**merged, **value}
        converted[key] = value
        return value

    return convert(root)


@register("yamldecode", nullable=True)
def _yamldecode(src):
    text = string_arg(src, "src")
    try:
        import yaml  # PyYAML reads the text; the values are resolved as Terraform's
    except ImportError:  # pragma: no cover - PyYAML is a dependency
        # unknown, not an error: try(yamldecode(x), {}) must not quietly take the fallback
        raise NotEvaluated("yamldecode() is not evaluated: PyYAML is not installed") from None
    loader = _yaml_loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        fail(f"invalid YAML: {exc}")
    except RecursionError:
        raise NotEvaluated("yamldecode() of a document nested too deeply is not evaluated") from None
    finally:
        loader.dispose()
    if node is None:
        fail("on line 1, column 1: missing start of document")
    try:
        return _from_yaml_node(node)
    except RecursionError:
        raise NotEvaluated("yamldecode() of a document nested too deeply is not evaluated") from None


# yamlencode: the layout Terraform's go-cty-yaml writes (keys sorted and quoted, strings
# double-quoted, multi-line strings as literal blocks, sequences not indented under a key).

def _yaml_string(text: str) -> str:
    if any((ord(c) < 0x20 and c != "\t") or 0x7F <= ord(c) <= 0x9F or c in "\ufeff\u2028\u2029\u0085"
           for c in text):
        raise NotEvaluated("yamlencode() of a string with control characters is not evaluated by rdspolicy")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


def _yaml_block(text: str, indent: int) -> str | None:
    """A multi-line string as a literal block (None when it is not one)."""
    if "\n" not in text:
        return None
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    if not body or body[0] in " \t" or "\t" in text or "\r" in text or any(line.endswith(" ") for line in body.split("\n")):
        raise NotEvaluated("yamlencode() of this multi-line string is not evaluated by rdspolicy")
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
            raise NotEvaluated("yamlencode() of an infinite number is not evaluated by rdspolicy")
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


@register("yamlencode", null_ok=True)
def _yamlencode(value):
    if isinstance(value, (dict, list)) and value:
        return _yaml_lines(value, 0) + "\n"
    if isinstance(value, str) or isinstance(value, (dict, list)):
        return _yaml_inline(value, 0) + "\n"
    return _yaml_scalar(value, 0) + "\n...\n"
