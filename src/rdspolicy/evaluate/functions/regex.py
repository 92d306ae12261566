"""Regular expression functions: ``regex``, ``regexall``, ``replace``.

Terraform's regex functions use Go's regexp package: RE2 syntax, matched in time
linear in the text, with no backreferences and no lookaround.  rdspolicy matches with
Google's RE2 library itself (the ``google-re2`` binding), so a hostile pattern such as
``(a+)+$`` cannot backtrack catastrophically, and a construct Go rejects is rejected
here too.  Matching works on the UTF-8 bytes of the text, as Go's does.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterator, NoReturn

from .arguments import string_arg
from .registry import fail, list_type, NotEvaluated, register


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
    fail(f"invalid regexp pattern: error parsing regexp: {message}")


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
        raise NotEvaluated("regular expressions are not evaluated: the google-re2 package is not installed") from None
    if len(pattern) > _MAX_PATTERN:
        raise NotEvaluated("the regular expression is longer than 64 KiB; rdspolicy does not evaluate it")
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
            raise NotEvaluated("the regular expression is too large for rdspolicy to evaluate") from None
        _re_invalid(message)


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise NotEvaluated("the string is not valid Unicode text; rdspolicy does not match it") from None


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
        fail("invalid regexp pattern: cannot mix both named and unnamed capture groups")


@register("regex")
def _regex(pattern, string):
    rx = _compile_re2(string_arg(pattern, "pattern"))
    _check_group_names(rx)
    match = next(_find_all(rx, string_arg(string, "string")), None)
    if match is None:
        fail("pattern did not match any part of the given string")
    return _regex_result(rx, match)


@register("regexall", returns=list_type)
def _regexall(pattern, string):
    rx = _compile_re2(string_arg(pattern, "pattern"))
    _check_group_names(rx)
    return [_regex_result(rx, match) for match in _find_all(rx, string_arg(string, "string"))]


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


@register("replace")
def _replace(str_, substr, replace):
    text, search, replacement = string_arg(str_, "str"), string_arg(substr, "substr"), string_arg(replace, "replace")
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
