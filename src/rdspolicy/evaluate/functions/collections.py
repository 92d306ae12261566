"""Collection functions: lists, maps and sets (sets are de-duplicated, ordered lists)."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any, Iterable

from ...limits import MAX_COLLECTION
from ..values import from_exact, tf_equal, to_string, TSet, type_name, Unknown
from .arguments import (
    bool_arg, exact_finite, kind_of, list_arg, map_arg, number_arg, set_of, string_arg, tri_equal, unify,
    whole_number_arg,
)
from .characters import char_count
from .registry import (
    argument_error, fail, has_unknown, list_of_lists, list_or_tuple_like_the_argument, list_type, map_of_lists,
    MISSING, register, unknown_of,
)


@register("length", propagate=False)
def _length(value):
    if isinstance(value, Unknown):
        if isinstance(value.ty, tuple) and value.ty[0] in ("tuple", "object"):
            return len(value.ty[1])  # the type says how many elements or attributes
        return unknown_of([value])
    if isinstance(value, str):
        return char_count(value)
    if isinstance(value, (list, dict)):
        return len(value)
    raise argument_error("value", "argument must be a string, a collection type, or a structural type")


@register("concat", propagate=False)
def _concat(*seqs):
    if not seqs:
        fail("at least one argument is required")
    for seq in seqs:
        if not isinstance(seq, (list, Unknown)):
            raise argument_error("seqs", f"all arguments must be lists or tuples; got {type_name(seq)}")
    unknown = [seq for seq in seqs if isinstance(seq, Unknown)]
    if unknown:
        return unknown_of(unknown)
    return [item for seq in seqs for item in seq]


@register("contains", propagate=False)
def _contains(list_, value):
    if not isinstance(list_, (list, Unknown)):
        raise argument_error("list", "argument must be list, tuple, or set")
    if isinstance(list_, Unknown):
        return unknown_of([list_])
    if not list_:
        return False
    undecided = []
    for item in list_:
        equal = tri_equal(item, value)
        if equal:
            return True
        if equal is None:
            undecided.append(item)
    if undecided:
        return unknown_of(undecided + [value])
    return False


@register("distinct", propagate=False, returns=list_type)
def _distinct(list_):
    if isinstance(list_, Unknown):
        return unknown_of([list_])
    items = unify(list_arg(list_, "list"), "list", "all elements must have the same type")
    if len(items) > 1 and has_unknown(items):
        return unknown_of(items)  # which elements are duplicates is not known yet
    out: list = []
    for item in items:
        if not any(tf_equal(item, seen) for seen in out):
            out.append(item)
    return out


@register("element", propagate=False, nullable=True)
def _element(list_, index):
    if not isinstance(list_, (list, Unknown)):
        raise argument_error("list", f"cannot read elements from {type_name(list_)}")
    if not isinstance(index, Unknown):
        position = whole_number_arg(index, "index")
        if position < 0:
            fail("cannot use element function with a negative index")
    if isinstance(list_, Unknown) or isinstance(index, Unknown):
        return unknown_of([list_, index], nonnull=False)
    if not list_:
        fail("cannot use element function with an empty list")
    return list_[position % len(list_)]


def _may_be_sequence(ty: Any) -> bool:
    """An unknown of type ``ty`` may be a list, set or tuple (which flatten expands)."""
    return ty is None or (isinstance(ty, tuple) and ty[0] in ("list", "set", "tuple"))


@register("flatten", propagate=False)
def _flatten(list_):
    if not isinstance(list_, (list, Unknown)):
        raise argument_error("list", "can only flatten lists, sets and tuples")
    out: list = []
    unknown: list = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, Unknown) and _may_be_sequence(item.ty):
                unknown.append(item)  # might be a list, to be flattened too
            elif isinstance(item, list):
                walk(item)
            else:
                out.append(item)

    if isinstance(list_, Unknown):
        return unknown_of([list_])
    walk(list_)
    if unknown:
        return unknown_of(unknown)
    return out


@register("keys", propagate=False, returns=list_or_tuple_like_the_argument)
def _keys(inputMap):
    if isinstance(inputMap, Unknown):
        return unknown_of([inputMap])
    return sorted(map_arg(inputMap, "inputMap", "map or object"))


@register("values", propagate=False, returns=list_or_tuple_like_the_argument)
def _values(values_):
    if isinstance(values_, Unknown):
        return unknown_of([values_])
    if not isinstance(values_, dict):
        raise argument_error("values", "values() requires a map as the first argument")
    return [values_[key] for key in sorted(values_)]


@register("lookup", propagate=False, null_ok={"default"}, nullable=True)
def _lookup(inputMap, key, default=MISSING):
    if not isinstance(inputMap, (dict, Unknown)):
        raise argument_error("inputMap", "lookup() requires a map as the first argument")
    if isinstance(inputMap, Unknown) or isinstance(key, Unknown):
        return unknown_of([inputMap, key], nonnull=False)
    name = string_arg(key, "key")
    if name in inputMap:
        return inputMap[name]
    if default is not MISSING:
        return default
    fail(f'lookup failed to find key "{name}"')


@register("merge", propagate=False, null_ok=True)
def _merge(*maps):
    for mapping in maps:
        if mapping is not None and not isinstance(mapping, (dict, Unknown)):
            raise argument_error("maps", f'arguments must be maps or objects, got "{type_name(mapping)}"')
    unknown = [mapping for mapping in maps if isinstance(mapping, Unknown)]
    if unknown:
        return unknown_of(unknown)  # its keys are not known
    out: dict = {}
    for mapping in maps:
        if mapping is not None:
            out.update(mapping)
    return out


@register("one", propagate=False, nullable=True)
def _one(list_):
    if isinstance(list_, Unknown):
        return unknown_of([list_], nonnull=False)
    if not isinstance(list_, list) or len(list_) > 1:
        raise argument_error("list", "must be a list, set, or tuple value with either zero or one elements")
    return list_[0] if list_ else None


_RANGE_LIMIT = 1024 * 1024


@register("range", returns=list_type)
def _range(*params):
    numbers = [exact_finite(number_arg(value, "params")) for value in params]
    if len(numbers) == 1:
        start, end, step = Fraction(0), numbers[0], Fraction(-1 if numbers[0] < 0 else 1)
    elif len(numbers) == 2:
        start, end = numbers
        step = Fraction(-1 if end < start else 1)
    elif len(numbers) == 3:
        start, end, step = numbers
    else:
        fail("must have one, two, or three arguments")
    if step == 0:
        raise argument_error("params", "step must not be zero")
    if step < 0 and end > start:
        raise argument_error("params", "end must be less than start when step is negative")
    if step > 0 and end < start:
        raise argument_error("params", "end must be greater than start when step is positive")
    count = math.ceil((end - start) / step)
    if count > _RANGE_LIMIT:
        fail(f"more than {_RANGE_LIMIT} values were generated; either decrease the difference between start "
             f"and end or use a smaller step")
    if start.denominator == 1 and step.denominator == 1:  # whole numbers: no Fraction per element
        return list(range(start.numerator, start.numerator + step.numerator * count, step.numerator))
    return [from_exact(start + step * k) for k in range(count)]


@register("reverse", propagate=False)
def _reverse(list_):
    if isinstance(list_, Unknown):
        return unknown_of([list_])
    if not isinstance(list_, list):
        raise argument_error("list", f"can only reverse list or tuple values, not {type_name(list_)}")
    return list_[::-1]


@register("setproduct", propagate=False, returns=list_type)
def _setproduct(*sets):
    if len(sets) < 2:
        fail("at least two arguments are required")
    for value in sets:
        if not isinstance(value, (list, Unknown)):
            raise argument_error("sets", "a set or a list is required")
    unknown = [value for value in sets if isinstance(value, Unknown)]
    if unknown:
        return unknown_of(unknown)
    unified = [unify(value, "sets", "all elements must be of the same type") for value in sets]
    if math.prod(len(value) for value in unified) > MAX_COLLECTION:  # rdspolicy's limit (limits.py)
        fail(f"the product would have more than {MAX_COLLECTION} elements")
    return [list(combination) for combination in itertools.product(*unified)]


def _set_arguments(sets: tuple, param: str) -> list[list] | Unknown:
    for value in sets:
        if not isinstance(value, (list, Unknown)):
            raise argument_error(param, "set of any single type required")
    if has_unknown(list(sets)):
        return unknown_of(list(sets))  # membership and duplicates are not known yet
    every = unify([item for value in sets for item in value], param,
                  "given sets must all have compatible element types")
    out, start = [], 0
    for value in sets:
        out.append(every[start:start + len(value)])
        start += len(value)
    return out


@register("setunion", propagate=False)
def _setunion(first_set, *other_sets):
    sets = _set_arguments((first_set,) + other_sets, "first_set")
    if isinstance(sets, Unknown):
        return sets
    return TSet(set_of([item for value in sets for item in value]))


@register("setintersection", propagate=False)
def _setintersection(first_set, *other_sets):
    arguments = (first_set,) + other_sets
    if any(value == [] for value in arguments) and all(isinstance(v, (list, Unknown)) for v in arguments):
        return []
    sets = _set_arguments(arguments, "first_set")
    if isinstance(sets, Unknown):
        return sets
    common = [item for item in sets[0] if all(any(tf_equal(item, other) for other in s) for s in sets[1:])]
    return TSet(set_of(common))


@register("setsubtract", propagate=False)
def _setsubtract(a, b):
    if a == [] and isinstance(b, (list, Unknown)):
        return []
    sets = _set_arguments((a, b), "a")
    if isinstance(sets, Unknown):
        return sets
    return TSet(set_of([item for item in sets[0] if not any(tf_equal(item, other) for other in sets[1])]))


@register("slice", propagate=False)
def _slice(list_, start_index, end_index):
    if not isinstance(list_, (list, Unknown)):
        raise argument_error("list", "must be a list or tuple value")
    length = len(list_) if isinstance(list_, list) else None
    start = end = None
    if not isinstance(start_index, Unknown):
        start = whole_number_arg(start_index, "start_index")
        if start < 0:
            raise argument_error("start_index", "start index must not be less than zero")
        if length is not None and start > length:
            raise argument_error("start_index", "start index must not be greater than the length of the list")
    if not isinstance(end_index, Unknown):
        end = whole_number_arg(end_index, "end_index")
        if end < 0:
            raise argument_error("end_index", "end index must not be less than zero")
        if length is not None and end > length:
            raise argument_error("end_index", "end index must not be greater than the length of the list")
    if start is not None and end is not None and start > end:
        raise argument_error("start_index", "start index must not be greater than end index")
    if length is None or start is None or end is None:
        return unknown_of([list_, start_index, end_index])
    return list_[start:end]


@register("sort", propagate=False, returns=list_type)
def _sort(list_):
    if isinstance(list_, Unknown):  # an unknown list (a data source's): its sorted form too
        return unknown_of([list_], nonnull=list_.nonnull)
    items = []
    for index, item in enumerate(list_arg(list_, "list", "list of string")):
        if item is None:
            fail(f"given list element {index} is null; a null string cannot be sorted")
        items.append(string_arg(item, "list", "list of string"))
    if has_unknown(items):  # the length is known, the order is not
        unknown = unknown_of(items)
        return [unknown] * len(items)
    return sorted(items)


@register("zipmap", propagate=False)
def _zipmap(keys, values):
    if not isinstance(keys, (list, Unknown)):
        raise argument_error("keys", "list of string required")
    if not isinstance(values, (list, Unknown)):
        raise argument_error("values", "values argument must be a list or tuple value")
    if has_unknown(keys) or isinstance(values, Unknown):
        return unknown_of([keys, values])
    if len(keys) != len(values):
        fail(f"number of keys ({len(keys)}) does not match number of values ({len(values)})")
    out = {}
    for index, (key, value) in enumerate(zip(keys, values)):
        if key is None:
            fail(f"keys list has null value at index {index}")
        out[string_arg(key, "keys", "list of string")] = value
    return out


def _check_same_kind(values: Iterable[Any], message: str) -> bool:
    """Fail when known values mix primitives, lists and maps; tell whether the
    primitives are of mixed types (so the result converts to string)."""
    kinds = {kind for kind in map(kind_of, values) if kind}
    groups = {"primitive" if kind in ("string", "number", "bool") else kind for kind in kinds}
    if len(groups) > 1:
        fail(message)
    return len(kinds) > 1


@register("coalesce", propagate=False, null_ok=True)
def _coalesce(*vals):
    if not vals:
        fail("at least one argument is required")
    mixed = _check_same_kind(vals, "all arguments must have the same type")
    for value in vals:
        if isinstance(value, Unknown):
            return unknown_of([value])  # it may turn out null or ""
        if value is None or value == "":
            continue
        return to_string(value) if mixed and kind_of(value) in ("number", "bool") else value
    fail("no non-null, non-empty-string arguments")


@register("coalescelist", propagate=False, null_ok=True)
def _coalescelist(*vals):
    if not vals:
        fail("at least one argument is required")
    for value in vals:
        if value is not None and not isinstance(value, (list, Unknown)):
            raise argument_error("vals", "coalescelist arguments must be lists or tuples")
    for value in vals:
        if isinstance(value, Unknown):
            return unknown_of([value])
        if value:
            return value
    fail("no non-null arguments")


@register("compact", returns=list_type)
def _compact(list_):
    out = []
    for item in list_arg(list_, "list", "list of string"):
        if item is None:
            continue
        text = string_arg(item, "list", "list of string")
        if text != "":
            out.append(text)
    return out


@register("index", propagate=False)
def _index(list_, value):
    if not isinstance(list_, (list, Unknown)):
        raise argument_error("list", "argument must be a list or tuple")
    if isinstance(list_, Unknown):
        return unknown_of([list_])
    if not list_:
        fail("cannot search an empty list")
    for position, item in enumerate(list_):
        equal = tri_equal(item, value)
        if equal is None:
            return unknown_of([item, value])  # an earlier unknown element may be the one
        if equal:
            return position
    fail("item not found")


def _bool_elements(list_: Any) -> list | Unknown:
    if isinstance(list_, Unknown):
        return unknown_of([list_])
    items = list_arg(list_, "list", "list of bool")
    return [item if item is None or isinstance(item, Unknown) else bool_arg(item, "list") for item in items]


@register("alltrue", propagate=False)
def _alltrue(list_):
    items = _bool_elements(list_)
    if isinstance(items, Unknown):
        return items
    if any(item is None or item is False for item in items):
        return False
    unknown = [item for item in items if isinstance(item, Unknown)]
    return unknown_of(unknown) if unknown else True


@register("anytrue", propagate=False)
def _anytrue(list_):
    items = _bool_elements(list_)
    if isinstance(items, Unknown):
        return items
    if any(item is True for item in items):
        return True
    unknown = [item for item in items if isinstance(item, Unknown)]
    return unknown_of(unknown) if unknown else False


@register("sum")
def _sum(list_):
    if not isinstance(list_, list):
        raise argument_error("list", "cannot sum noniterable")
    if not list_:
        raise argument_error("list", "cannot sum an empty list")
    numbers = []
    for item in list_:
        if item is None or isinstance(item, (bool, list, dict)):
            raise argument_error("list", "argument must be list, set, or tuple of number values")
        numbers.append(number_arg(item, "list"))
    if all(isinstance(number, int) or math.isfinite(number) for number in numbers):
        return from_exact(sum((exact_finite(number) for number in numbers), Fraction(0)))
    if math.inf in numbers and -math.inf in numbers:
        fail("can't compute sum of opposing infinities")
    return math.inf if math.inf in numbers else -math.inf


@register("transpose", returns=map_of_lists)
def _transpose(values):
    out: dict[str, list[str]] = {}
    for key in sorted(map_arg(values, "values", "map of list of string")):
        for item in list_arg(values[key], "values", "map of list of string"):
            if not isinstance(item, str):
                fail("input must be a map of lists of strings")
            out.setdefault(item, []).append(key)
    return {key: sorted(out[key]) for key in sorted(out)}


@register("chunklist", propagate=False, returns=list_of_lists)
def _chunklist(list_, size):
    if not isinstance(list_, (list, Unknown)):
        raise argument_error("list", "list required")
    if not isinstance(size, Unknown):
        width = whole_number_arg(size, "size")
        if width < 0:
            fail("the size argument must be positive")
    if isinstance(list_, Unknown) or isinstance(size, Unknown):
        return unknown_of([list_, size])
    if not list_:
        return []
    if width == 0:
        return [list_]
    return [list_[k:k + width] for k in range(0, len(list_), width)]


@register("matchkeys", returns=list_type)
def _matchkeys(values, keys, searchset):
    values, keys, searchset = list_arg(values, "values"), list_arg(keys, "keys"), list_arg(searchset, "searchset")
    if len(values) != len(keys):
        fail("length of keys and values should be equal")
    both = unify(keys + searchset, "keys", "keys and searchset must be of the same type")
    keys, searchset = both[:len(keys)], both[len(keys):]
    return [value for value, key in zip(values, keys) if any(tf_equal(key, s) for s in searchset)]
