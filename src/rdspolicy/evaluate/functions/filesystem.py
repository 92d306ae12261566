"""Filesystem functions, confined to the scanned tree: a file outside it (after symlinks are
resolved) is never read, and the call is unknown with the reason.  Path functions.
"""

from __future__ import annotations

import base64
import os
import re
import stat
from typing import Any, Callable

from ... import reads
from ..values import TSet
from .arguments import string_arg
from .crypto import hash_digest
from .registry import argument_error, fail, FunctionContext, NotEvaluated, refused, register


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
        raise NotEvaluated(f"{function}() needs the module's folder, which was not given")
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
        raise NotEvaluated(f"{function}() needs the module's folder, which was not given")
    if path.startswith("~"):
        raise refused(ctx, f'{function}() reads "{path}" in a home directory, which depends on the machine')
    if "\x00" in path:
        raise argument_error("path", "the path contains a NUL character")
    real = os.path.realpath(_resolved_path(ctx, path, function))
    if not _inside(real, os.path.realpath(ctx.root_dir)):
        raise refused(ctx, f'{function}() reads "{path}", which is outside the scanned folder; rdspolicy does '
                           f'not read it')
    return real


def read_file(ctx: FunctionContext | None, path: Any, function: str) -> bytes:
    text = string_arg(path, "path")
    real = _confined_path(ctx, text, function)
    reads.file(real)
    try:
        info = os.stat(real)
    except FileNotFoundError:
        raise NotEvaluated(f'{function}(): no file exists at "{text}" (if it is created before Terraform runs, '
                           f'its content is not known)') from None
    except OSError as exc:
        raise NotEvaluated(f'{function}() cannot read "{text}": {exc.strerror}') from None
    if stat.S_ISDIR(info.st_mode):
        fail(f'"{text}" is a directory, not a file')
    if not stat.S_ISREG(info.st_mode):
        raise NotEvaluated(f'{function}() reads "{text}", which is not a regular file; rdspolicy does not read it')
    if info.st_size > _MAX_FILE_BYTES:
        raise NotEvaluated(f'{function}() reads "{text}", which is larger than 10 MiB; rdspolicy does not read it')
    try:
        with open(real, "rb") as handle:
            data = handle.read(_MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise NotEvaluated(f'{function}() cannot read "{text}": {exc.strerror}') from None
    if len(data) > _MAX_FILE_BYTES:
        raise NotEvaluated(f'{function}() reads "{text}", which is larger than 10 MiB; rdspolicy does not read it')
    return data


@register("file", context=True)
def _file(ctx, path):
    data = read_file(ctx, path, "file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        fail(f'contents of "{path}" are not valid UTF-8; use the filebase64 function to obtain the Base64 '
             f'encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing '
             f'results instead')


@register("filebase64", context=True)
def _filebase64(ctx, path):
    return base64.b64encode(read_file(ctx, path, "filebase64")).decode("ascii")


for _algorithm in ("md5", "sha1", "sha256", "sha512"):
    def _make_file_hex(algorithm: str) -> Callable[..., str]:
        def file_hex(ctx, path):
            return hash_digest(algorithm, read_file(ctx, path, "file" + algorithm)).hex()
        return file_hex
    register("file" + _algorithm, context=True)(_make_file_hex(_algorithm))

for _algorithm in ("sha256", "sha512"):
    def _make_file_b64(algorithm: str) -> Callable[..., str]:
        def file_b64(ctx, path):
            digest = hash_digest(algorithm, read_file(ctx, path, "filebase64" + algorithm))
            return base64.b64encode(digest).decode("ascii")
        return file_b64
    register("filebase64" + _algorithm, context=True)(_make_file_b64(_algorithm))


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
                fail(f'failed to glob pattern "{pattern}": syntax error in pattern')
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
                    fail(f'failed to glob pattern "{pattern}": syntax error in pattern')
                if pattern[i] == "}":
                    break
                i += 1
            out.append("(?:" + "|".join(options) + ")")
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out), i


@register("fileset", context=True)
def _fileset(ctx, path, pattern):
    base_text, glob = string_arg(path, "path"), string_arg(pattern, "pattern")
    base = _confined_path(ctx, base_text, "fileset")
    reads.tree(base)
    regex, _ = _glob_regex(glob)
    matcher = re.compile(regex + r"\Z", re.S)
    root = os.path.realpath(ctx.root_dir)
    found: list[str] = []
    seen = 0
    for folder, dirs, files in os.walk(base):
        for name in dirs:
            if os.path.islink(os.path.join(folder, name)):
                raise NotEvaluated(f'fileset() of "{base_text}" meets a symbolic link to a folder; rdspolicy does '
                                   f'not follow it')
        for name in files:
            seen += 1
            if seen > _MAX_FILESET:
                raise NotEvaluated(f'fileset() of "{base_text}" would look at more than {_MAX_FILESET} files')
            full = os.path.join(folder, name)
            relative = os.path.relpath(full, base).replace(os.sep, "/")
            if not matcher.match(relative):
                continue
            if not _inside(os.path.realpath(full), root):
                raise refused(ctx, f'fileset() of "{base_text}" matches a link to a file outside the scanned folder')
            if os.path.isfile(full):
                found.append(relative)
    return TSet(sorted(set(found)))


@register("fileexists", context=True)
def _fileexists(ctx, path):
    text = string_arg(path, "path")
    real = _confined_path(ctx, text, "fileexists")
    reads.file(real)
    try:
        info = os.stat(real)
    except FileNotFoundError:
        return False
    except OSError as exc:
        fail(f'failed to stat "{text}": {exc.strerror}')
    if stat.S_ISREG(info.st_mode):
        return True
    fail(f'{text} is not a regular file, but "{"directory" if stat.S_ISDIR(info.st_mode) else "special file"}"')


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
        raise NotEvaluated(f"{function}() of a path with backslashes or a drive depends on the operating system")
    return path


@register("basename")
def _basename(path):
    text = _portable_path(string_arg(path, "path"), "basename")
    stripped = text.rstrip("/")
    if not text:
        return "."
    if not stripped:
        return "/"
    return stripped.rsplit("/", 1)[-1]


@register("dirname")
def _dirname(path):
    text = _portable_path(string_arg(path, "path"), "dirname")
    head = text[: text.rfind("/") + 1] if "/" in text else ""
    result = _go_clean(head)
    if "/" in result:  # on Windows the separators would be backslashes
        raise NotEvaluated("dirname() of a nested path depends on the operating system's path separator")
    return result


@register("pathexpand")
def _pathexpand(path):
    text = string_arg(path, "path")
    if text.startswith("~"):
        raise NotEvaluated("pathexpand() depends on the home directory of the machine running Terraform")
    return text


# -------------------------------------------------------------- paths


@register("abspath", context=True)
def _abspath(ctx, path):
    """An absolute path, given only for a path inside the scanned tree (elsewhere it
    depends on the machine)."""
    text = string_arg(path, "path")
    if "\x00" in text:
        raise argument_error("path", "the path contains a NUL character")
    full = _go_clean(_resolved_path(ctx, text, "abspath").replace(os.sep, "/"))
    if ctx is None or not _inside(os.path.realpath(full), os.path.realpath(ctx.root_dir)):
        raise NotEvaluated(f'abspath() of "{text}", which is outside the scanned folder, depends on the machine')
    return full
