"""Expression evaluation with Terraform's semantics and sound unknowns.

:class:`ExprEvaluator` evaluates one :mod:`rdspolicy.syntax` expression against a
:class:`Scope`.  References (``var.x``, ``local.y``, ``aws_db_instance.main.arn``) are
resolved by the scope's *resolver* (see :mod:`rdspolicy.evaluate.namespaces`), which returns
either a value or a namespace object that the traversal continues into.

The rule for unknowns: a result is known only when it is the same whatever the unknown
turns out to be (``true || unknown`` is true, ``length([unknown])`` is 1).
"""

from __future__ import annotations

import math
from typing import Any, Callable

from .. import syntax as S
from ..limits import MAX_COLLECTION, MAX_EVAL_STEPS, MAX_STRING  # hostile-input limits
from . import functions as F
from .values import (
    TList,
    collection_kind,
    EvalError,
    exact,
    from_exact,
    TObject,
    TSet,
    TTuple,
    Unknown,
    attribute_type,
    first_unknown,
    merge_unknowns,
    normalize_number,
    tf_equal,
    to_bool,
    to_display,
    to_number,
    to_string,
    type_name,
    type_of,
    untyped,
)


class Namespace:
    """Something a traversal can step into that is not itself a value
    (``var``, ``local``, a resource type, a resource with several instances)."""

    def get_attr(self, name: str, pos: S.Pos) -> Any:  # pragma: no cover - interface
        raise EvalError(f'unsupported attribute "{name}"')

    def index(self, key: Any, pos: S.Pos) -> Any:
        raise EvalError(f"{self.describe()} cannot be indexed")

    def splat(self) -> Any:
        raise EvalError(f"{self.describe()} cannot be used with a splat")

    def as_value(self) -> Any:
        raise EvalError(f"{self.describe()} cannot be used as a value on its own")

    def describe(self) -> str:
        return type(self).__name__


class Scope:
    """Local names (for-expression variables, ``count``, ``each``, dynamic iterators)
    over a resolver for everything else."""

    __slots__ = ("names", "resolver", "parent")

    def __init__(self, resolver: Callable[[str, S.Pos], Any], names: dict | None = None, parent=None):
        self.resolver = resolver
        self.names = names or {}
        self.parent = parent

    def child(self, names: dict) -> "Scope":
        return Scope(self.resolver, names, self)

    def lookup(self, name: str, pos: S.Pos) -> Any:
        scope = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return self.resolver(name, pos)


def _materialize(value: Any) -> Any:
    if isinstance(value, Namespace):
        return value.as_value()
    return value


_METHODS: dict[type, dict[type, Callable]] = {}


def render_template(template: S.Expr, resolve: Callable[[str, S.Pos], Any], func_ctx: F.FunctionContext) -> Any:
    """Evaluate a parsed template over the names ``resolve`` gives: how the template
    functions (``templatefile``, ``templatestring``) reach the evaluator, given to them
    on the :class:`~.functions.FunctionContext`."""
    return ExprEvaluator(func_ctx).eval(template, Scope(resolve))


class ExprEvaluator:
    """Evaluates expressions; diagnostics of functions and references go to the
    resolver's owner, errors of the expression itself are raised as EvalError."""

    def __init__(self, func_ctx: F.FunctionContext, on_refusal: Callable[[S.Pos, str], None] | None = None):
        self.func_ctx = func_ctx
        if func_ctx is not None and func_ctx.render_template is None:
            func_ctx.render_template = render_template  # how templatefile() reaches back here
        # told where a file function refused to read outside the scanned tree
        self.on_refusal = on_refusal
        self.steps = 0  # loop iterations and collection elements passed to functions (MAX_EVAL_STEPS)
        # node type -> this class's e_<Type> function, found once per class (not per node)
        self._methods = _METHODS.setdefault(type(self), {})

    def _charge(self, steps: int) -> None:
        if not steps:
            return
        self.steps += steps
        if self.steps > MAX_EVAL_STEPS:
            raise EvalError(f"more than {MAX_EVAL_STEPS} loop iterations and collection elements in this "
                            f"module; rdspolicy stops evaluating loops and functions over collections here")

    # ------------------------------------------------------------ entry point
    def eval(self, expr: S.Expr, scope: Scope) -> Any:
        # _materialize(self._eval(expr, scope)), with both inlined (one call per node, not three)
        function = self._methods.get(type(expr))
        value = self._eval(expr, scope) if function is None else function(self, expr, scope)
        return value.as_value() if isinstance(value, Namespace) else value

    def _eval(self, expr: S.Expr, scope: Scope) -> Any:
        function = self._methods.get(type(expr))
        if function is None:
            name = "e_" + type(expr).__name__
            getattr(self, name)  # the AttributeError of a stray node type, as ever
            function = self._methods[type(expr)] = getattr(type(self), name)
        return function(self, expr, scope)

    # ------------------------------------------------------------ leaves
    def e_Literal(self, expr: S.Literal, scope: Scope) -> Any:
        return expr.value

    def e_Paren(self, expr: S.Paren, scope: Scope) -> Any:
        return self._eval(expr.expr, scope)

    def e_Name(self, expr: S.Name, scope: Scope) -> Any:
        return scope.lookup(expr.name, expr.pos)

    def e_SplatItem(self, expr, scope):  # pragma: no cover - replaced during splat
        raise EvalError("a splat item outside a splat")

    # ------------------------------------------------------------ templates
    def e_Template(self, expr: S.Template, scope: Scope) -> Any:
        parts = expr.parts
        if len(parts) == 1 and isinstance(parts[0], S.Expr) and not isinstance(
            parts[0], (S.TemplateIf, S.TemplateFor)
        ):
            # "${x}" alone yields x's own value, not its string form
            return self.eval(parts[0], scope)
        return self._template(parts, scope)

    def _template(self, parts: list, scope: Scope) -> Any:
        out: list[str] = []
        unknowns: list[Any] = []
        shape: list[str | None] | None = []  # the known text and the unknown parts, in order
        for part in parts:
            if isinstance(part, str):
                out.append(part)
                if shape is not None:
                    shape.append(part)
                continue
            if isinstance(part, (Unknown, S.TemplateIf, S.TemplateFor)):
                shape = None  # a directive: no fixed shape
            # a %{for} body already evaluated to an unknown (see e_TemplateFor)
            value = part if isinstance(part, Unknown) else self.eval(part, scope)
            if isinstance(value, Unknown):
                unknowns.append(value)
                if shape is not None:
                    shape.extend(value.text if value.text is not None else (None,))
                continue
            if value is None:
                raise EvalError("cannot include a null value in a string template")
            if isinstance(value, (list, dict)):
                if first_unknown(value) is not None:
                    unknowns.append(value)
                    continue
                raise EvalError(f"cannot include a {type_name(value)} value in a string template")
            out.append(to_string(value))
            if shape is not None:
                shape.append(to_string(value))
        if unknowns:
            # a template's result is a string, never null, whatever its unknown parts are
            merged = merge_unknowns(unknowns)
            return Unknown(merged.reason, merged.refs, True, text=None if shape is None else _joined(shape))
        text = "".join(out)
        if len(text) > MAX_STRING:
            raise EvalError("a string template produced more than 16 MiB of text")
        return text

    def e_TemplateIf(self, expr: S.TemplateIf, scope: Scope) -> Any:
        cond = to_bool(self.eval(expr.cond, scope))
        if isinstance(cond, Unknown):
            return cond
        if cond is None:
            raise EvalError("the condition of a %{if} directive is null")
        return self._template(expr.then if cond else expr.else_, scope)

    def e_TemplateFor(self, expr: S.TemplateFor, scope: Scope) -> Any:
        try:
            pairs = self._iterate(self.eval(expr.collection, scope))
        except _UnknownResult as unknown:
            return unknown.value
        pieces: list[Any] = []
        self._charge(len(pairs))
        for key, value in pairs:
            names = {expr.value_var: value}
            if expr.key_var:
                names[expr.key_var] = key
            pieces.append(self._template(expr.body, scope.child(names)))
        return self._template(pieces, scope) if pieces else ""

    def _iterate(self, coll: Any):
        if isinstance(coll, Unknown):
            raise _UnknownResult(coll)
        if isinstance(coll, TSet):  # a set's elements are their own keys
            return [(item, item) for item in coll]
        if isinstance(coll, list):
            return list(enumerate(coll))
        if isinstance(coll, dict):
            return [(k, coll[k]) for k in sorted(coll)]
        if coll is None:
            raise EvalError("cannot iterate over a null value")
        raise EvalError(f"cannot iterate over a {type_name(coll)} value")

    # ------------------------------------------------------------ collections
    def e_TupleExpr(self, expr: S.TupleExpr, scope: Scope) -> Any:
        return TTuple(self.eval(item, scope) for item in expr.items)

    def e_ObjectExpr(self, expr: S.ObjectExpr, scope: Scope) -> Any:
        out: dict[str, Any] = {}
        unknown_keys: list[Unknown] = []
        for key_expr, value_expr in expr.items:
            key = to_string(self.eval(key_expr, scope))
            if isinstance(key, Unknown):
                unknown_keys.append(key)
                continue
            if key is None:
                raise EvalError("an object key cannot be null")
            out[key] = self.eval(value_expr, scope)
        if unknown_keys:
            return merge_unknowns(unknown_keys)
        return TObject(out)

    # ------------------------------------------------------------ traversals
    def e_GetAttr(self, expr: S.GetAttr, scope: Scope) -> Any:
        obj = self._eval(expr.obj, scope)
        return self.get_attr(obj, expr.name, expr.pos)

    def get_attr(self, obj: Any, name: str, pos: S.Pos) -> Any:
        if isinstance(obj, Namespace):
            return obj.get_attr(name, pos)
        if isinstance(obj, Unknown):
            if obj.ty is None:
                return obj
            if name.isdigit() and isinstance(obj.ty, tuple) and obj.ty[0] in ("list", "set", "tuple"):
                return _index_unknown(obj, int(name))  # legacy a.0 index
            error, attr_ty = attribute_type(obj.ty, name)
            if error:  # HCL decides this from the type alone, known or not
                raise EvalError(f'an unknown value of type {_type_text(obj.ty)} does not have an attribute named "{name}"')
            return Unknown(obj.reason, obj.refs, False, attr_ty)
        if isinstance(obj, dict):
            if name in obj:
                return obj[name]
            raise EvalError(f'this object does not have an attribute named "{name}"')
        if isinstance(obj, list) and name.isdigit():  # legacy a.0 index
            return self.index(obj, int(name), pos)
        if obj is None:
            raise EvalError(f'cannot read attribute "{name}" of a null value')
        raise EvalError(f'cannot read attribute "{name}" of a {type_name(obj)} value')

    def e_Index(self, expr: S.Index, scope: Scope) -> Any:
        obj = self._eval(expr.obj, scope)
        key = self.eval(expr.key, scope)
        return self.index(obj, key, expr.pos)

    def index(self, obj: Any, key: Any, pos: S.Pos) -> Any:
        if isinstance(obj, Namespace):
            return obj.index(key, pos)
        if isinstance(obj, Unknown):
            return _index_unknown(obj, key)
        if isinstance(key, Unknown):
            if isinstance(obj, (list, dict)):
                return key.with_reason(f"the index is unknown ({key.reason})")
            return Unknown(key.reason, key.refs)
        if key is None:
            raise EvalError("an index cannot be null")
        if isinstance(obj, TSet):
            raise EvalError("elements of a set are identified only by their value and don't have any separate "
                            "index or key to select with, so it is only possible to perform operations across "
                            "all elements of the set")
        if isinstance(obj, list):
            number = to_number(key)
            if isinstance(number, float) and not number.is_integer():
                raise EvalError(f"the index {to_display(key)} is not a whole number")
            number = int(number)
            if number < 0 or number >= len(obj):
                raise EvalError(
                    f"the index {number} is out of range for a list of {len(obj)} element(s)"
                )
            return obj[number]
        if isinstance(obj, dict):
            text = to_string(key)
            if text in obj:
                return obj[text]
            raise EvalError(f'the given key "{text}" does not identify an element of this map')
        if obj is None:
            raise EvalError("cannot index a null value")
        raise EvalError(f"a {type_name(obj)} value cannot be indexed")

    def e_Splat(self, expr: S.Splat, scope: Scope) -> Any:
        obj = self._eval(expr.obj, scope)
        if isinstance(obj, Namespace):
            obj = obj.splat()
        if isinstance(obj, Unknown):
            return Unknown(obj.reason, obj.refs, True)  # a splat is never null
        if obj is None:
            return TTuple()
        items = obj if isinstance(obj, list) else [obj]
        out = []
        for item in items:
            out.append(_materialize(self._apply_each(expr.each, item, scope)))
        kind = collection_kind(obj)  # a list's splat is a list, a tuple's a tuple
        return TList(out) if kind == "list" else TTuple(out) if kind == "tuple" or not isinstance(obj, list) else out

    def _apply_each(self, each: S.Expr, item: Any, scope: Scope) -> Any:
        if isinstance(each, S.SplatItem):
            return item
        if isinstance(each, S.GetAttr):
            return self.get_attr(self._apply_each(each.obj, item, scope), each.name, each.pos)
        if isinstance(each, S.Index):
            base = self._apply_each(each.obj, item, scope)
            return self.index(base, self.eval(each.key, scope), each.pos)
        raise EvalError("unsupported splat traversal")  # pragma: no cover

    # ------------------------------------------------------------ operators
    def e_UnaryOp(self, expr: S.UnaryOp, scope: Scope) -> Any:
        value = untyped(self.eval(expr.operand, scope))
        if expr.op == "!":
            value = to_bool(value)
            if isinstance(value, Unknown):
                return value
            if value is None:
                raise EvalError("the operand of ! is null")
            return not value
        value = to_number(value)
        if isinstance(value, Unknown):
            return value
        if value is None:
            raise EvalError("the operand of - is null")
        return normalize_number(-float(value) if value == 0 else -value)

    def e_BinaryOp(self, expr: S.BinaryOp, scope: Scope) -> Any:
        op = expr.op
        if op in ("||", "&&"):
            return self._logical(op, expr, scope)
        left = self.eval(expr.left, scope)
        right = self.eval(expr.right, scope)
        if op in ("==", "!="):
            result = self._equal(left, right)
            if isinstance(result, Unknown):
                return result
            return result if op == "==" else not result
        left_n = to_number(left)
        right_n = to_number(right)
        if left_n is None or right_n is None:
            raise EvalError(f"the operands of {op} must not be null")
        if isinstance(left_n, Unknown) or isinstance(right_n, Unknown):
            return merge_unknowns([left_n, right_n])
        if op in ("+", "-", "*", "/", "%"):
            return _arithmetic(op, left_n, right_n)
        if op == "<":
            return left_n < right_n
        if op == ">":
            return left_n > right_n
        if op == "<=":
            return left_n <= right_n
        if op == ">=":
            return left_n >= right_n
        raise EvalError(f"unknown operator {op}")  # pragma: no cover

    def _logical(self, op: str, expr: S.BinaryOp, scope: Scope) -> Any:
        left = to_bool(self.eval(expr.left, scope))
        right = to_bool(self.eval(expr.right, scope))
        if left is None or right is None:
            raise EvalError(f"the operands of {op} must not be null")
        decisive = op == "||"  # true decides ||, false decides &&
        if left is decisive or right is decisive:
            return decisive
        if isinstance(left, Unknown) or isinstance(right, Unknown):
            return merge_unknowns([left, right])
        return left or right if op == "||" else left and right

    def _equal(self, left: Any, right: Any) -> Any:
        lu, ru = first_unknown(left), first_unknown(right)
        if lu is None and ru is None:
            return tf_equal(left, right)
        # an unknown that is certainly not null still compares known against null
        if left is None and isinstance(right, Unknown) and right.nonnull:
            return False
        if right is None and isinstance(left, Unknown) and left.nonnull:
            return False
        # a known collection is not null, whatever unknowns it holds (Terraform 1.11:
        # { a = <unknown> } != null is true)
        if (left is None and isinstance(right, (list, dict))) or (right is None and isinstance(left, (list, dict))):
            return False
        # a known value and an unknown of another type are never equal (HCL compares
        # types first; a null of any type equals null, so nulls wait for the unknown)
        for known, unknown in ((left, right), (right, left)):
            if (isinstance(unknown, Unknown) and unknown.ty is not None and known is not None
                    and not isinstance(known, Unknown) and first_unknown(known) is None
                    and _types_differ(known, unknown.ty)):
                return False
        # collections of different known lengths differ whatever the unknowns are
        if isinstance(left, list) and isinstance(right, list) and len(left) != len(right):
            return False
        if isinstance(left, dict) and isinstance(right, dict) and left.keys() != right.keys():
            return False
        if (
            not isinstance(left, (Unknown, list, dict))
            and not isinstance(right, (Unknown, list, dict))
        ):  # pragma: no cover - both known handled above
            return tf_equal(left, right)
        if (
            left is not None
            and right is not None
            and not isinstance(left, Unknown)
            and not isinstance(right, Unknown)
            and type_name(left) != type_name(right)
        ):
            return False
        return merge_unknowns([left, right])

    def e_Conditional(self, expr: S.Conditional, scope: Scope) -> Any:
        # both results are converted to a type they share: the unknowns' types may change
        return untyped(self._conditional(expr, scope))

    def _conditional(self, expr: S.Conditional, scope: Scope) -> Any:
        cond = to_bool(self.eval(expr.cond, scope))
        if cond is None:
            raise EvalError("the condition is null; a condition must be true or false")
        if isinstance(cond, Unknown):
            return _either(self.eval(expr.then, scope), self.eval(expr.else_, scope), cond)
        chosen = self.eval(expr.then if cond else expr.else_, scope)
        try:
            other = self.eval(expr.else_ if cond else expr.then, scope)
        except EvalError:
            return chosen
        return _unify_result(chosen, other)

    # ------------------------------------------------------------ for
    def e_ForExpr(self, expr: S.ForExpr, scope: Scope) -> Any:
        try:
            pairs = self._iterate(self.eval(expr.collection, scope))
        except _UnknownResult as unknown:
            return untyped(unknown.value)
        if len(pairs) > MAX_COLLECTION:
            raise EvalError(f"a for expression over more than {MAX_COLLECTION} elements")
        self._charge(len(pairs))
        is_object = expr.key is not None
        list_out: list[Any] = []
        obj_out: dict[str, Any] = {}
        for key, value in pairs:
            names = {expr.value_var: value}
            if expr.key_var:
                names[expr.key_var] = key
            inner = scope.child(names)
            if expr.cond is not None:
                keep = to_bool(self.eval(expr.cond, inner))
                if isinstance(keep, Unknown):
                    return keep.with_reason(f"a for expression's condition is unknown ({keep.reason})")
                if keep is None:
                    raise EvalError("the condition of a for expression is null")
                if not keep:
                    continue
            if not is_object:
                list_out.append(self.eval(expr.value, inner))
                continue
            k = to_string(self.eval(expr.key, inner))
            if isinstance(k, Unknown):
                return k
            if k is None:
                raise EvalError("a for expression produced a null key")
            v = self.eval(expr.value, inner)
            if expr.group:
                obj_out.setdefault(k, []).append(v)
            elif k in obj_out:
                raise EvalError(
                    f'duplicate key "{k}" in a for expression; add "..." after the value to group them'
                )
            else:
                obj_out[k] = v
        return TObject(obj_out) if is_object else TTuple(list_out)

    # ------------------------------------------------------------ calls
    def e_Call(self, expr: S.Call, scope: Scope) -> Any:
        # a function's result holds no typed unknown: it may have converted them
        return untyped(self._call(expr, scope))

    def _call(self, expr: S.Call, scope: Scope) -> Any:
        name = expr.name
        if name == "try":
            return self._try(expr, scope)
        if name == "can":
            return self._can(expr, scope)
        args = [self.eval(arg, scope) for arg in expr.args]
        if expr.expand_last:
            if not args:
                raise EvalError("... needs an argument to expand")
            last = args.pop()
            if isinstance(last, Unknown):
                return last
            if not isinstance(last, list):
                raise EvalError("the argument before ... must be a list")
            args.extend(last)
        # a function's work grows with the collections it is given: counted in the budget
        self._charge(sum(len(arg) for arg in args if isinstance(arg, (list, dict))))
        refusals = self.func_ctx.refusals
        before = len(refusals)
        result = F.call(name, args, self.func_ctx)
        if len(refusals) > before:
            if self.on_refusal is not None:
                for message in refusals[before:]:
                    self.on_refusal(expr.pos, message)
            del refusals[before:]
        return result

    def _try(self, expr: S.Call, scope: Scope) -> Any:
        if not expr.args:
            raise EvalError("try() needs at least one argument")
        last_error: EvalError | None = None
        for arg in expr.args:
            try:
                value = self.eval(arg, scope)
            except EvalError as exc:
                last_error = exc
                continue
            if isinstance(value, Unknown):
                # whether it would fail is not knowable yet
                return value
            return value
        raise EvalError(f"no expression given to try() succeeded: {last_error}")

    def _can(self, expr: S.Call, scope: Scope) -> Any:
        if len(expr.args) != 1:
            raise EvalError("can() takes exactly one argument")
        try:
            value = self.eval(expr.args[0], scope)
        except EvalError:
            return False
        if first_unknown(value) is not None:
            return merge_unknowns([value])
        return True


_MAX_NUMBER_BITS = 4096


def _joined(shape: list[str | None]) -> tuple[str | None, ...]:
    """A template's parts with adjacent known texts joined and adjacent unknowns merged."""
    out: list[str | None] = []
    for part in shape:
        if out and part is not None and out[-1] is not None:
            out[-1] += part
        elif not (out and part is None and out[-1] is None):
            out.append(part)
    return tuple(out)


def _either(then: Any, else_: Any, cond: Unknown) -> Any:
    """The result of a conditional whose condition is unknown: what both results share
    (lists of one length and objects of the same keys keep the elements that agree)."""
    if first_unknown(then) is None and first_unknown(else_) is None and tf_equal(then, else_):
        return then
    if (isinstance(then, list) and isinstance(else_, list) and len(then) == len(else_)
            and not isinstance(then, Unknown)):
        return [_either(a, b, cond) for a, b in zip(then, else_)]
    if isinstance(then, dict) and isinstance(else_, dict) and then.keys() == else_.keys():
        return {key: _either(then[key], else_[key], cond) for key in then}
    return Unknown(cond.reason, cond.refs)


def _arithmetic(op: str, left: int | float, right: int | float) -> int | float:
    """``+ - * / %`` as Terraform computes them: on exact decimals (``0.1 + 0.2`` is
    ``0.3``), the result rounded to the nearest float only at the end."""
    if any(isinstance(x, float) and not math.isfinite(x) for x in (left, right)):
        return normalize_number({"+": lambda: left + right, "-": lambda: left - right, "*": lambda: left * right,
                                 "/": lambda: left / right if right else math.copysign(math.inf, left),
                                 "%": lambda: math.fmod(left, right) if right else left}[op]())
    a, b = exact(left), exact(right)
    if max(a.numerator.bit_length(), a.denominator.bit_length(), b.numerator.bit_length(),
           b.denominator.bit_length()) > _MAX_NUMBER_BITS:
        # far beyond any float: Terraform keeps 512 significant bits; rdspolicy stops
        return Unknown("a number in this arithmetic is too large or too small for rdspolicy to compute")
    if op == "+":
        return from_exact(a + b)
    if op == "-":
        return from_exact(a - b)
    if op == "*":
        return from_exact(a * b)
    if op == "/":
        if b == 0:
            if a == 0:
                raise EvalError("0 / 0 is not a number")
            return math.copysign(math.inf, left)  # Terraform yields infinity
        return from_exact(a / b)
    if b == 0:
        return left  # what Terraform 1.11 yields (cty's modulo by zero)
    # Terraform's % keeps the sign of the dividend (like Go's)
    quotient = abs(a) // abs(b)
    remainder = abs(a) - quotient * abs(b)
    return from_exact(remainder if a >= 0 else -remainder)


def _unify_result(chosen: Any, other: Any) -> Any:
    """The chosen result of a conditional converted to the type both results share, as
    Terraform does: a number or bool becomes a string when the other result is a string;
    a number against a bool, or a primitive against a collection, is an error."""
    kinds = {type_name(chosen), type_name(other)} - {"null", "unknown"}
    if len(kinds) < 2:
        return chosen
    if kinds <= {"string", "number", "bool"} and "string" in kinds:
        return to_string(chosen)
    raise EvalError("Inconsistent conditional result types: the true and false results are "
                    + " and ".join(sorted(kinds)) + " values, which have no type in common")


class _UnknownResult(Exception):
    def __init__(self, value: Unknown):
        self.value = value


def _type_text(ty: Any) -> str:
    if isinstance(ty, str):
        return ty
    if ty[0] == "tuple":
        return "tuple"
    if ty[0] == "object":
        return "object"
    return f"{ty[0]} of {_type_text(ty[1]) if ty[1] is not None else 'any'}"


def _types_differ(known: Any, ty: Any) -> bool:
    """A wholly known, non-null value is certainly not of the type ``ty``: one of them is
    primitive and the other not, or the known value's exact type is another."""
    known_ty = type_of(known)
    if known_ty is None:  # a collection whose exact type is not certain
        return ty in ("string", "number", "bool")
    return ty != known_ty


def _index_unknown(obj: Unknown, key: Any) -> Any:
    """``obj[key]`` for an unknown ``obj``: an error where HCL decides it from the type
    alone, an unknown of the element's type where the type says it."""
    ty = obj.ty
    if ty is None:
        return obj
    if key is None or isinstance(key, Unknown) or isinstance(key, (list, dict)):
        return Unknown(obj.reason, obj.refs)
    kind = ty if isinstance(ty, str) else ty[0]
    if kind in ("string", "number", "bool", "set"):
        raise EvalError(f"an unknown value of type {_type_text(ty)} cannot be indexed")
    try:
        if kind in ("list", "tuple"):
            number = to_number(key)
            if isinstance(number, float) and not number.is_integer():
                return Unknown(obj.reason, obj.refs)
            if kind == "list":
                return Unknown(obj.reason, obj.refs, False, ty[1])
            number = int(number)
            if 0 <= number < len(ty[1]):
                return Unknown(obj.reason, obj.refs, False, ty[1][number])
            raise EvalError(f"the index {number} is out of range for a tuple of {len(ty[1])} element(s)")
        text = to_string(key)
    except EvalError:
        if kind == "tuple":
            raise
        return Unknown(obj.reason, obj.refs)
    if kind == "map":
        return Unknown(obj.reason, obj.refs, False, ty[1])
    error, attr_ty = attribute_type(ty, text)
    if error:
        raise EvalError(f'an unknown object of this type does not have an attribute named "{text}"')
    return Unknown(obj.reason, obj.refs, False, attr_ty)
