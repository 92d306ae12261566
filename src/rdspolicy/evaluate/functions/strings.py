"""String functions: case, trimming, splitting and joining, substrings."""

from __future__ import annotations

import unicodedata

from ...limits import MAX_STRING
from .arguments import list_arg, string_arg, whole_number_arg
from .characters import GO_SPACE, graphemes, map_chars
from .registry import argument_error, fail, list_type, register


@register("upper")
def _upper(str_):
    return map_chars(string_arg(str_, "str"), str.upper)


@register("lower")
def _lower(str_):
    return map_chars(string_arg(str_, "str"), str.lower)


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
    return char in GO_SPACE


@register("title")
def _title(str_):
    text = string_arg(str_, "str")
    out, previous = [], " "
    for char in text:
        out.append(_go_title_case(char) if _is_word_separator(previous) else char)
        previous = char
    return "".join(out)


@register("strrev")
def _strrev(str_):
    return "".join(reversed(graphemes(string_arg(str_, "str"))))


@register("trimspace")
def _trimspace(str_):
    return string_arg(str_, "str").strip(GO_SPACE)


@register("trim")
def _trim(str_, cutset):
    return string_arg(str_, "str").strip(string_arg(cutset, "cutset"))


@register("trimprefix")
def _trimprefix(str_, prefix):
    text, prefix = string_arg(str_, "str"), string_arg(prefix, "prefix")
    return text[len(prefix):] if prefix and text.startswith(prefix) else text


@register("trimsuffix")
def _trimsuffix(str_, suffix):
    text, suffix = string_arg(str_, "str"), string_arg(suffix, "suffix")
    return text[: -len(suffix)] if suffix and text.endswith(suffix) else text


@register("chomp")
def _chomp(str_):
    return string_arg(str_, "str").rstrip("\r\n")


@register("indent")
def _indent(spaces, str_):
    count = whole_number_arg(spaces, "spaces")
    if count < 0:
        raise argument_error("spaces", "must not be negative")
    text = string_arg(str_, "str")
    if count * text.count("\n") > MAX_STRING:  # rdspolicy's limit (limits.py)
        fail(f"the result would be longer than {MAX_STRING} characters")
    return text.replace("\n", "\n" + " " * count)


@register("startswith")
def _startswith(str_, prefix):
    return string_arg(str_, "str").startswith(string_arg(prefix, "prefix"))


@register("endswith")
def _endswith(str_, suffix):
    return string_arg(str_, "str").endswith(string_arg(suffix, "suffix"))


@register("strcontains")
def _strcontains(str_, substr):
    return string_arg(substr, "substr") in string_arg(str_, "str")


@register("split", returns=list_type)
def _split(separator, str_):
    sep, text = string_arg(separator, "separator"), string_arg(str_, "str")
    if sep == "":
        return list(text)
    return text.split(sep)


@register("join")
def _join(separator, *lists):
    sep = string_arg(separator, "separator")
    if not lists:
        fail("at least one list is required")
    items = []
    for list_index, values in enumerate(lists, start=1):
        for elem_index, value in enumerate(list_arg(values, "lists", "list of string")):
            if value is None:
                where = f"element {elem_index} of list {list_index}" if len(lists) > 1 else f"element {elem_index}"
                raise argument_error("lists", f"{where} is null; cannot concatenate null values")
            items.append(string_arg(value, "lists", "list of string"))
    return sep.join(items)


@register("substr")
def _substr(str_, offset, length):
    chars = graphemes(string_arg(str_, "str"))
    start, count = whole_number_arg(offset, "offset"), whole_number_arg(length, "length")
    if start < 0:
        start = max(start + len(chars), 0)
    if start >= len(chars):
        return ""
    if count < 0:
        return "".join(chars[start:])
    return "".join(chars[start:start + count])
