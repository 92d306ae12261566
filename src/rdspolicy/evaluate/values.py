"""The values the evaluator computes.

A Terraform value at plan time is represented with plain Python data:

* ``None``                 -- null
* ``bool``                 -- bool (never mixed up with numbers: see :func:`tf_equal`)
* ``int`` / ``float``      -- number (integral numbers are kept as ``int``)
* ``str``                  -- string
* ``list``                 -- tuple / list / set
* ``dict``                 -- object / map (keys are strings)
* :class:`Unknown`         -- a value that is not knowable before apply, with the reason

A list or dict may be one of the marker subclasses (:class:`TList`, :class:`TSet`,
:class:`TTuple`, :class:`TMap`, :class:`TObject`) when its exact Terraform type is
known: ``tolist([]) == []`` is false in Terraform (a list is not a tuple).  A plain list
or dict is of either kind, and is compared by its elements only.

Collections may hold unknown elements (``[Unknown(...), "sg-1"]``): their length is
known even when some elements are not.  An :class:`Unknown` also remembers which
resources it came from (``refs``), so a rule can follow ``aws_kms_key.rds.arn`` to the
key even though the ARN itself is only known after apply.
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any, Iterable

from ..numbers import normalize_number  # (below the parser, which uses it too)


class Unknown:
    """A value not known before apply.

    ``reason`` says why, in words a Terraform user understands.  ``refs`` holds the
    addresses of resources the value was derived from.  ``nonnull`` is true when the
    value is certainly not null (a resource's ``id`` or ``arn``): an argument set to
    it is certainly *set*, though its value is unknown.  ``ty`` is the value's Terraform
    type when it is certainly known (see :func:`type_of`), else None: a variable
    declared ``string`` that has no value is an unknown string, and ``5 ==`` it is false.
    Only the places that know the type set it; everything that computes a new value
    from an unknown makes an untyped one (:func:`untyped`).  ``text`` is, for a string
    template with unknown parts (``"/aws/rds/instance/${aws_db_instance.x.identifier}/postgresql"``),
    its parts in order: the known text, and None for each unknown part; None otherwise.
    """

    __slots__ = ("reason", "refs", "nonnull", "ty", "text")

    # whether any typed unknown was ever made in this process: until one is, there is
    # nothing for untyped() to look for
    typed_made = False

    def __init__(self, reason: str, refs: Iterable[str] = (), nonnull: bool = False, ty: Any = None,
                 text: tuple | None = None):
        self.reason = reason
        self.refs = frozenset(refs)
        self.nonnull = nonnull
        self.ty = ty
        self.text = text
        if ty is not None:
            Unknown.typed_made = True

    def __reduce__(self):  # unpickling goes through __init__ too
        return Unknown, (self.reason, self.refs, self.nonnull, self.ty, self.text)

    def __repr__(self) -> str:
        extra = f", refs={sorted(self.refs)}" if self.refs else ""
        if self.ty is not None:
            extra += f", ty={self.ty!r}"
        if self.text is not None:
            extra += f", text={self.text!r}"
        return f"Unknown({self.reason!r}{extra})"

    def __eq__(self, other: object) -> bool:  # structural, for tests
        return (
            isinstance(other, Unknown)
            and other.reason == self.reason
            and other.refs == self.refs
            and other.nonnull == self.nonnull
            and other.ty == self.ty
            and other.text == self.text
        )

    def __hash__(self) -> int:
        return hash((self.reason, self.refs))

    def with_reason(self, reason: str) -> "Unknown":
        """Another unknown derived from this one (its type is not this one's)."""
        return Unknown(reason, self.refs, self.nonnull)


# Terraform types, where rdspolicy knows them exactly (None: not known, or "any"):
#   "string" | "number" | "bool"
#   ("list", T) | ("set", T) | ("map", T)
#   ("tuple", (T, ...)) | ("object", (("name", T), ...))  -- attributes in name order
PRIMITIVE_TYPES = ("string", "number", "bool")


def primitive_type(value: Any) -> str | None:
    """"bool", "number" or "string" for a known primitive value, else None."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


def type_of(value: Any) -> Any:
    """The exact Terraform type of ``value``, or None when rdspolicy cannot be sure of it
    (null, a plain list or dict that may be of either kind, an untyped unknown)."""
    if isinstance(value, Unknown):
        return value.ty
    primitive = primitive_type(value)
    if primitive is not None:
        return primitive
    kind = collection_kind(value)
    if kind is None:
        return None
    if kind in ("tuple", "object"):
        items = value if kind == "tuple" else [value[k] for k in sorted(value)]
        types = [type_of(item) for item in items]
        if any(t is None for t in types):
            return None
        if kind == "tuple":
            return ("tuple", tuple(types))
        return ("object", tuple(zip(sorted(value), types)))
    items = list(value.values()) if isinstance(value, dict) else list(value)
    types = {type_of(item) for item in items}
    if len(types) != 1 or None in types:
        return None  # an empty collection, or elements of unsure type
    return (kind, types.pop())


def attribute_type(ty: Any, name: str) -> tuple[bool, Any]:
    """For an unknown of type ``ty``: whether reading attribute ``name`` is certainly an
    error (as HCL decides from the type alone), and the attribute's type (None: unsure)."""
    if ty in PRIMITIVE_TYPES:
        return True, None  # "Can't access attributes on a primitive-typed value"
    if isinstance(ty, tuple) and ty[0] == "object":
        for key, attr_ty in ty[1]:
            if key == name:
                return False, attr_ty
        return True, None  # "This object does not have an attribute named ..."
    if isinstance(ty, tuple) and ty[0] == "map":
        return False, ty[1]
    return ty is not None, None  # lists, sets and tuples have no attributes


def untyped(value: Any) -> Any:
    """``value`` with no typed unknown inside: for results whose type rdspolicy does not
    compute (a conversion may have changed the type of an unknown it holds)."""
    if not Unknown.typed_made:
        return value
    if isinstance(value, Unknown):
        return Unknown(value.reason, value.refs, value.nonnull) if value.ty is not None else value
    if isinstance(value, (list, dict)) and _has_typed(value):
        if isinstance(value, list):
            return type(value)(untyped(item) for item in value)
        return type(value)((key, untyped(item)) for key, item in value.items())
    return value


_SCALARS = (str, int, float, type(None))


def _has_typed(value: Any) -> bool:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, Unknown):
            if item.ty is not None:
                return True
        elif isinstance(item, list):
            pending.extend([x for x in item if not isinstance(x, _SCALARS)])
        elif isinstance(item, dict):
            pending.extend([x for x in item.values() if not isinstance(x, _SCALARS)])
    return False


class TList(list):
    """A list whose Terraform type is known to be a list (``tolist``)."""

    kind = "list"


class TSet(list):
    """A list whose Terraform type is known to be a set (``toset``, the set functions):
    its elements are identified by value, not by index."""

    kind = "set"


class TTuple(list):
    """A list whose Terraform type is known to be a tuple (``[...]``, ``[for ...]``)."""

    kind = "tuple"


class TMap(dict):
    """A dict whose Terraform type is known to be a map (``tomap``)."""

    kind = "map"


class TObject(dict):
    """A dict whose Terraform type is known to be an object (``{...}``, ``{for ...}``)."""

    kind = "object"


def collection_kind(value: Any) -> str | None:
    """"list", "set", "tuple", "map" or "object" when the collection's Terraform type is
    known; None for a plain list or dict (either kind) and for anything else."""
    return getattr(value, "kind", None) if isinstance(value, (list, dict)) else None


def first_unknown(value: Any) -> Unknown | None:
    """The first unknown found anywhere inside ``value`` (depth first), or None."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, list):
        for item in value:
            found = first_unknown(item)
            if found is not None:
                return found
    elif isinstance(value, dict):
        for item in value.values():
            found = first_unknown(item)
            if found is not None:
                return found
    return None


def merge_unknowns(values: Iterable[Any], reason: str | None = None) -> Unknown:
    """One unknown standing for several inputs: reasons joined, refs united."""
    reasons: list[str] = []
    refs: set[str] = set()
    for value in values:
        unknown = first_unknown(value)
        if unknown is None:
            continue
        if unknown.reason not in reasons:
            reasons.append(unknown.reason)
        refs |= unknown.refs
    text = reason or "; ".join(reasons) or "value is unknown"
    return Unknown(text, refs)


def all_refs(value: Any) -> frozenset[str]:
    """Every resource address any unknown inside ``value`` came from."""
    if isinstance(value, Unknown):
        return value.refs
    out: set[str] = set()
    if isinstance(value, list):
        for item in value:
            out |= all_refs(item)
    elif isinstance(value, dict):
        for item in value.values():
            out |= all_refs(item)
    return frozenset(out)


def type_name(value: Any) -> str:
    """Terraform's name for the type of a known value."""
    if value is None:
        return "null"
    primitive = primitive_type(value)
    if primitive is not None:
        return primitive
    if isinstance(value, list):
        return "tuple"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, Unknown):
        return "unknown"
    return type(value).__name__


class ExactNumber(float):
    """A computed number that no float holds exactly (``1 / 3``): the nearest float, with
    the value Terraform holds (512 binary digits) in ``exact``, so that it prints in full
    in a string and computes on exactly, as in Terraform."""

    def __new__(cls, value: Fraction | float) -> "ExactNumber":
        number = super().__new__(cls, float(value))
        number.exact = Fraction(value)  # (pickling passes the float, then restores .exact)
        return number


def binary512(value: Fraction) -> Fraction:
    """``value`` rounded to a 512-bit binary mantissa, the precision of Terraform's
    numbers (Go's big.Float, nearest even): 2.675 becomes slightly less than 2.675."""
    if value == 0:
        return value
    shift = 512 - (value.numerator.bit_length() - value.denominator.bit_length())
    mantissa = round(value * (Fraction(2) ** shift))  # Fraction rounds half to even
    if abs(mantissa).bit_length() > 512:
        shift -= 1
        mantissa = round(value * (Fraction(2) ** shift))
    return Fraction(mantissa) / (Fraction(2) ** shift)


def _short_decimal(text: str) -> bool:
    """Whether a float's repr ``text`` has at most 15 significant digits."""
    return len(text.split("e")[0].replace("-", "").replace(".", "").strip("0")) <= 15


def exact(number: int | float) -> Fraction:
    """The value Terraform holds for a number rdspolicy holds as a float.

    Terraform computes with decimal-exact big numbers, so ``0.1 + 0.2 == 0.3`` is true.
    A float with a short decimal form (at most 15 significant digits: a literal such as
    ``0.1``, or a result that came out even) stands for that decimal exactly; a float
    with a longer one (``2 / 3``) is a rounded result and stands for itself."""
    if isinstance(number, int) or not math.isfinite(number):
        return Fraction(number) if isinstance(number, int) else number  # type: ignore[return-value]
    if isinstance(number, ExactNumber):
        return number.exact
    text = repr(number)
    return Fraction(text) if _short_decimal(text) else Fraction(number)


def from_exact(value: Fraction) -> int | float:
    """A computed exact number back as rdspolicy holds it (the nearest float)."""
    if value.denominator == 1:
        return value.numerator
    value = binary512(value)
    try:
        nearest = float(value)
    except OverflowError:
        raise EvalError("the number is beyond the range rdspolicy computes with") from None
    if Fraction(nearest) == value or _short_decimal(repr(nearest)):
        return normalize_number(nearest)  # a float, or a short decimal, holds it
    return ExactNumber(value)


def tf_equal(left: Any, right: Any) -> bool:
    """Terraform's ``==`` on two wholly known values: types must agree (``"5" != 5``,
    ``true != 1``)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    kinds = (collection_kind(left), collection_kind(right))
    if None not in kinds and kinds[0] != kinds[1]:
        return False  # a list is never equal to a tuple, nor a map to an object
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(tf_equal(a, b) for a, b in zip(left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(tf_equal(left[k], right[k]) for k in left)
    if type(left) is not type(right):
        return False
    return left == right


def number_text(number: int | float) -> str:
    """A number as Terraform writes it in a string: decimal, never an exponent
    (``1e21`` is ``1000000000000000000000``, ``1e-6`` is ``0.000001``)."""
    number = normalize_number(number)
    if isinstance(number, int) or not math.isfinite(number):
        return str(number)
    if number == 0:
        return "-0"
    if isinstance(number, ExactNumber):  # the fewest digits that tell its 512-bit value
        value = number.exact
        for digits in range(17, 200):
            with localcontext() as context:
                context.prec = digits
                text = Decimal(value.numerator) / Decimal(value.denominator)
            if binary512(Fraction(text)) == value:
                return format(text, "f")
    return format(Decimal(repr(number)), "f")


def to_display(value: Any) -> str:
    """Render a value the way Terraform prints it in messages."""
    if isinstance(value, Unknown):
        return "(known after apply)"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(to_display(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {to_display(v)}" for k, v in value.items()) + "}"
    return repr(value)


class EvalError(Exception):
    """An expression that Terraform itself would reject (wrong type, bad index, ...).

    The evaluator turns it into a diagnostic at the expression's position and an
    unknown value, so one bad expression never stops the rest of the check.
    """


_NUMBER_TEXT = None


def to_string(value: Any) -> Any:
    """Terraform's automatic conversion to string (numbers and bools convert)."""
    if isinstance(value, (str, Unknown)) or value is None:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    raise EvalError(f"cannot use a {type_name(value)} value where a string is required")


def to_number(value: Any) -> Any:
    """Terraform's automatic conversion to number (``"16.1"`` converts, ``"abc"`` fails)."""
    global _NUMBER_TEXT
    if isinstance(value, Unknown) or value is None:
        return value
    if isinstance(value, bool):
        raise EvalError("cannot use a bool value where a number is required")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        if _NUMBER_TEXT is None:
            import re

            _NUMBER_TEXT = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
        text = value
        if _NUMBER_TEXT.fullmatch(text):
            number = float(text)
            if "." not in text and "e" not in text.lower():
                return int(text)
            return normalize_number(number)
        raise EvalError(f'cannot convert "{value}" to a number')
    raise EvalError(f"cannot use a {type_name(value)} value where a number is required")


def to_bool(value: Any) -> Any:
    """Terraform's automatic conversion to bool (only the strings "true"/"false")."""
    if isinstance(value, (bool, Unknown)) or value is None:
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    raise EvalError(f"cannot use {to_display(value)} where a bool is required")
