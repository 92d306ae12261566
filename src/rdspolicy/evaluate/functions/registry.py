"""The function table and what every call shares.

:func:`register` is the one way in: written above an implementation, it records the
Terraform name, the checks of every call (arity, null arguments, the default unknown
propagation) and, with ``returns=``, the type Terraform gives the result.  :func:`call`
is the one way out.  :class:`FunctionContext` is what a call may know about the
evaluation that makes it: folders, the clock, what was refused, the templates being
rendered and how to render one (a callback from the expression evaluator, so that this
package never imports it).
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Iterable, NoReturn

from ..values import (
    EvalError, TList, TMap, TObject, TTuple, Unknown, all_refs, collection_kind, first_unknown, merge_unknowns,
)


# renders a parsed template (a syntax node) with the names ``resolve(name, pos)`` gives,
# through the expression evaluator; see FunctionContext.render_template
TemplateRenderer = Callable[[Any, Callable[[str, Any], Any], "FunctionContext"], Any]


class FunctionContext:
    """What the file and time functions need to know about the evaluation.

    ``module_dir`` is the folder of the module being evaluated, as rdspolicy spells it
    (``path.module``); ``root_module_dir`` the root module's folder (``path.root``; the
    module's own folder when not given), which is where Terraform runs, so where a
    relative path written in the configuration starts.  ``root_dir`` is the root of the
    scanned tree: the file functions read only files that, after resolving symlinks, lie
    inside it.  ``now_unknown`` keeps ``timestamp()`` unknown (Terraform knows it only
    during apply).

    ``render_template`` evaluates a parsed template for ``templatefile`` and
    ``templatestring``: the expression evaluator gives its own when it is handed a
    context without one (as Terraform passes template rendering to its functions, to
    avoid a circle between the functions and the evaluator).  ``rendering`` names the
    template functions being rendered, innermost last: Terraform refuses a template
    function called from inside a template.
    """

    __slots__ = ("module_dir", "root_dir", "now_unknown", "root_module_dir", "refusals", "render_template",
                 "rendering")

    def __init__(self, module_dir: str, root_dir: str, now_unknown: bool = True,
                 root_module_dir: str | None = None, render_template: TemplateRenderer | None = None) -> None:
        self.module_dir = module_dir
        self.root_dir = root_dir
        self.now_unknown = now_unknown
        self.root_module_dir = module_dir if root_module_dir is None else root_module_dir
        # what the file functions refused to read (outside the scanned tree): the
        # evaluator turns each into a diagnostic at the call
        self.refusals: list[str] = []
        self.render_template = render_template
        self.rendering: list[str] = []

    def __repr__(self) -> str:
        return f"FunctionContext({self.module_dir!r}, {self.root_dir!r}, now_unknown={self.now_unknown})"


class CallFailed(Exception):
    """Raised by an implementation: becomes Terraform's "Call to function ... failed"."""


def refused(ctx: FunctionContext | None, message: str) -> "NotEvaluated":
    """The call is unknown because it would read outside the scanned tree: recorded on
    the context so that the user is told where (the content is never read)."""
    if ctx is not None:
        ctx.refusals.append(message)
    return NotEvaluated(message)


class NotEvaluated(Exception):
    """Raised by an implementation that cannot compute what Terraform would: the call's
    result becomes an :class:`Unknown` with this message as its reason."""


def fail(message: str) -> NoReturn:
    raise CallFailed(message)


def argument_error(param: str, message: str) -> EvalError:
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


def unknowns_in(values: Iterable[Any]) -> list[Unknown]:
    found: list[Unknown] = []
    for value in values:
        _collect_unknowns(value, found)
    return found


def has_unknown(value: Any) -> bool:
    return first_unknown(value) is not None


def unknown_of(values: Iterable[Any], *, nonnull: bool = True) -> Unknown:
    """One Unknown for a result that depends on every unknown inside ``values``:
    their reasons joined, their resource addresses united."""
    merged = merge_unknowns(unknowns_in(values))
    return Unknown(merged.reason, merged.refs, nonnull)


MISSING: Any = object()  # default of optional parameters: "not given"


class Function:
    """A registered Terraform function: the shared checks around one implementation.

    Calling it with the evaluated arguments positionally (``ctx=`` for the file
    functions) checks arity and null arguments, applies the default unknown
    propagation unless the implementation handles unknowns itself, and turns the
    implementation's failures into :class:`EvalError` with Terraform's wording.
    """

    __slots__ = ("name", "impl", "params", "required", "variadic", "null_ok", "propagate", "nullable",
                 "uses_ctx", "returns")

    def __init__(self, name: str, impl: Callable[..., Any], *, propagate: bool, null_ok: Any,
                 nullable: bool, uses_ctx: bool, returns: ResultType | None) -> None:
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
        self.returns = returns

    def __repr__(self) -> str:
        return f"<Terraform function {self.name}>"

    def param_name(self, index: int) -> str:
        return self.params[index] if index < len(self.params) else (self.variadic or "?")

    def __call__(self, *args: Any, ctx: FunctionContext | None = None) -> Any:
        self._check_arity(len(args))
        for index, value in enumerate(args):
            if value is None and not (self.null_ok is True or self.param_name(index) in self.null_ok):
                raise argument_error(self.param_name(index), "argument must not be null")
        if self.propagate:
            found = unknowns_in(args)
            if found:
                return unknown_of(found, nonnull=not self.nullable)
        try:
            result = self.impl(ctx, *args) if self.uses_ctx else self.impl(*args)
        except CallFailed as exc:
            raise EvalError(f'Call to function "{self.name}" failed: {exc}') from None
        except NotEvaluated as exc:
            return Unknown(str(exc), all_refs(list(args)), not self.nullable)
        return result if self.returns is None else self.returns(result, *args)

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


# -------------------------------------------------------------- result types
#
# The functions whose result is always a list (or map) in Terraform, never a tuple (or
# object), say so with ``returns=`` (see TList in .values): ``sort(["a"]) == ["a"]`` is
# false there.  A result type is called with the implementation's result and the
# arguments; an unknown result passes through.

ResultType = Callable[..., Any]


def list_type(result: Any, *args: Any) -> Any:
    """A list (not a tuple)."""
    return TList(result) if type(result) is list else result


def list_of_lists(result: Any, *args: Any) -> Any:
    """A list of lists."""
    return TList([list_type(item) for item in result]) if type(result) is list else result


def list_of_objects(result: Any, *args: Any) -> Any:
    """A list of objects."""
    return TList([TObject(item) for item in result]) if type(result) is list else result


def map_of_lists(result: Any, *args: Any) -> Any:
    """A map of lists."""
    return TMap({key: list_type(item) for key, item in result.items()}) if type(result) is dict else result


def list_or_tuple_like_the_argument(result: Any, value: Any, *args: Any) -> Any:
    """A list when the first argument is a map, a tuple when it is an object (a map's
    keys and values are lists, an object's tuples)."""
    if type(result) is not list:
        return result
    kind = collection_kind(value)
    return TList(result) if kind == "map" else TTuple(result) if kind == "object" else result


# -------------------------------------------------------------- the table

FUNCTIONS: dict[str, Function] = {}


def register(name: str, *, propagate: bool = True, null_ok: Any = (), nullable: bool = False,
             context: bool = False, returns: ResultType | None = None
             ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated implementation as Terraform function ``name``.

    ``propagate``: any unknown anywhere in the arguments makes the result unknown
    (turn off to handle unknowns in the implementation).  ``null_ok``: the parameter
    names that accept null (``True``: all).  ``nullable``: the result may be null, so an
    unknown result is not marked certainly-set.  ``context``: the implementation takes
    the :class:`FunctionContext` as its first argument.  ``returns``: the result type
    Terraform gives the result, when Python's value does not say it (one of the result
    types above).
    """

    def add(impl: Callable[..., Any]) -> Callable[..., Any]:
        FUNCTIONS[name] = Function(name, impl, propagate=propagate, null_ok=null_ok, nullable=nullable,
                                   uses_ctx=context, returns=returns)
        return impl

    return add


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
