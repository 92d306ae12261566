"""Template functions: ``templatefile`` and ``templatestring``.

The template is parsed here and evaluated by the expression evaluator, reached through
the ``render_template`` callback on the :class:`FunctionContext` (this package does not
import the evaluator, which calls it).  The templates being rendered are tracked on the
context too: Terraform refuses a template function called from inside a template.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ...errors import SourceError
from ..values import EvalError, Unknown, type_name
from .arguments import string_arg
from .filesystem import read_file
from .registry import FunctionContext, NotEvaluated, argument_error, fail, register, unknown_of


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


@lru_cache(maxsize=64)
def _parse_template(text: str, origin: str) -> Any:
    # parse imports evaluate.values, so it is imported when a template is first parsed
    from ...parse import parse_template

    try:
        return parse_template(text, origin)
    except SourceError as exc:
        fail(f"failed to parse the template {origin}: line {exc.line}, column {exc.column}: {exc.message}")


def _not_inside_a_template(ctx: FunctionContext | None, function: str) -> None:
    if ctx is not None and ctx.rendering:
        fail(f"cannot call {function} from inside a template rendered by {ctx.rendering[-1]}")


def _render(ctx: FunctionContext | None, text: str, vars_: Any, origin: str, function: str) -> Any:
    """Evaluate template ``text`` with the variables ``vars_`` (names only: no ``var.``,
    ``local.`` or resources), as Terraform's templatefile and templatestring do."""
    if isinstance(vars_, Unknown):
        return unknown_of([vars_], nonnull=False)
    if not isinstance(vars_, dict):
        raise argument_error("vars", f"must be a map or an object, not a {type_name(vars_)} value")
    for key in vars_:
        if not _IDENTIFIER.match(key):
            raise argument_error("vars", f'invalid template variable name "{key}": must start with a letter, '
                                         f'followed by zero or more letters, digits, and underscores')

    def resolve(name: str, pos: Any) -> Any:
        if name in vars_:
            return vars_[name]
        raise EvalError(f'vars map does not contain key "{name}", referenced at {origin}:{pos.line},{pos.column}')

    template = _parse_template(text, origin)
    if ctx is None or ctx.render_template is None:
        raise NotEvaluated(f"{function}() is not evaluated here: no expression evaluator was given to render "
                           f"the template")
    ctx.rendering.append(function)
    try:
        return ctx.render_template(template, resolve, ctx)
    except EvalError as exc:
        fail(f"{origin}: {exc}")
    finally:
        ctx.rendering.pop()


@register("templatefile", context=True, propagate=False, nullable=True)
def _templatefile(ctx, path, vars_):
    _not_inside_a_template(ctx, "templatefile")
    if isinstance(path, Unknown):
        return unknown_of([path], nonnull=False)
    data = read_file(ctx, path, "templatefile")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        fail(f'contents of "{path}" are not valid UTF-8')
    return _render(ctx, text, vars_, str(path), "templatefile")


@register("templatestring", context=True, propagate=False, nullable=True)
def _templatestring(ctx, template, vars_):
    _not_inside_a_template(ctx, "templatestring")
    if isinstance(template, Unknown):
        return unknown_of([template], nonnull=False)
    return _render(ctx, string_arg(template, "template"), vars_, "the template string", "templatestring")
