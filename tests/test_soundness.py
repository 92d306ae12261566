"""Unknown values propagate soundly: a result is known only when it is the same whatever
the unknown turns out to be.

Each expression below uses ``var.u``.  It is evaluated once with ``var.u`` unknown (a
declared variable with no value) and once for each of many concrete values of every
type.  Whatever part of the first result is known must be what every concrete
evaluation that succeeds gives (an evaluation that fails is an error Terraform would
report at apply, which no plan-time claim contradicts).
"""

from __future__ import annotations

import textwrap

import pytest

from rdspolicy.evaluate.declarations import declarations
from rdspolicy.evaluate.functions import FunctionContext
from rdspolicy.evaluate.module import ModuleEvaluation
from rdspolicy.evaluate.inputs import convert
from rdspolicy.evaluate.values import EvalError, Unknown, tf_equal
from rdspolicy.parse import parse_hcl

CANDIDATES = [None, True, False, 0, 1, -1, 2.5, "", "a", "x", "true", "0", "10.0.0.0/16", [], ["a"], [1, 2],
              ["a", "a"], [True], {}, {"a": 1}, {"x": "a", "y": None}]

EXPRESSIONS = """
true || var.u
var.u || true
false && var.u
var.u && false
true && var.u
false || var.u
var.u == var.u
var.u ? "same" : "same"
var.u ? 1 : 2
var.u ? [1, 2] : [1, 3]
var.u ? { a = 1, b = 2 } : { a = 1, b = 3 }
length(var.u ? [1, 2] : [3, 4])
{ a = 1 } == { b = var.u }
var.u[*] == null
contains([], var.u)
setintersection([var.u], [])
var.u == null
var.u != "a"
[var.u] == [1, 2]
[var.u, 1] == [1, 1]
length([var.u, 1])
length({ a = var.u })
keys({ a = var.u, b = 1 })
values({ a = var.u })
[for x in ["a", "b"] : var.u]
{ for k in ["a", "b"] : k => var.u }
[for x in ["a", "b"] : x if var.u]
"pre-${var.u}"
upper(var.u)
var.u + 1
var.u * 0
-var.u
!var.u
coalesce("x", var.u)
coalesce(var.u, "x")
coalescelist(["x"], var.u)
contains(["a", var.u], "a")
contains(["a", var.u], "z")
concat([var.u], ["b"])
concat(var.u, ["b"])
flatten([[var.u], ["b"]])
flatten([var.u, "b"])
distinct(["a", var.u])
toset(["a", var.u])
tolist([var.u, "b"])
sort(["b", var.u])
reverse([1, var.u])
slice([1, var.u, 3], 0, 1)
element(["a", var.u], 0)
index(["a", var.u], "a")
lookup({ a = 1, b = var.u }, "a")
lookup({ a = 1 }, var.u, 0)
merge({ a = var.u }, { b = 1 })
merge({ a = 1 }, var.u)
zipmap(["a", "b"], [1, var.u])
one([var.u])
compact(["a", var.u])
alltrue([false, var.u])
anytrue([true, var.u])
alltrue([true, var.u])
max(1, var.u)
sum([1, var.u])
jsonencode({ a = var.u })
format("%s-%s", "a", var.u)
join(",", ["a", var.u])
split(",", var.u)
length(var.u)
try(var.u, "fallback")
try(var.u.a, "fallback")
can(var.u.a)
can(var.u)
tostring(var.u)
tonumber(var.u)
tobool(var.u)
cidrsubnet(var.u, 8, 1)
regex("a", var.u)
replace(var.u, "a", "b")
startswith(var.u, "a")
"%{ if var.u }a%{ else }b%{ endif }"
"%{ for x in var.u }${x}%{ endfor }"
[for x in var.u : x]
var.u[*]
[var.u][*]
{ a = var.u }.a
[var.u, "k"][1]
["a", "b"][var.u]
{ a = 1 }[var.u]
setunion(["a"], [var.u])
setproduct(["a"], [var.u])
transpose({ a = [var.u] })
templatestring("x=$${x}", { x = var.u })
yamlencode({ a = var.u })
""".strip().splitlines()


def evaluate(expr: str, inputs: dict) -> tuple[object, list]:
    text = textwrap.dedent(f'variable "u" {{}}\nlocals {{\n  result = {expr}\n}}\n')
    file = parse_hcl("main.tf", text)
    diagnostics: list = []
    ev = ModuleEvaluation(declarations(".", [file]), inputs, FunctionContext(".", "."), diagnostics)
    return ev.local("result", None), diagnostics


def consistent(claim: object, actual: object) -> bool:
    """Every known part of ``claim`` is what ``actual`` has there."""
    if isinstance(claim, Unknown):
        return True
    if isinstance(actual, Unknown):
        return False
    if isinstance(claim, list):
        return isinstance(actual, list) and len(claim) == len(actual) and all(
            consistent(c, a) for c, a in zip(claim, actual))
    if isinstance(claim, dict):
        return isinstance(actual, dict) and claim.keys() == actual.keys() and all(
            consistent(claim[k], actual[k]) for k in claim)
    return tf_equal(claim, actual)


@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_a_known_result_holds_for_every_value_of_the_unknown(expr):
    claim, diagnostics = evaluate(expr, {})
    assert not diagnostics, f"{expr}: {diagnostics}"
    checked = 0
    for candidate in CANDIDATES:
        actual, problems = evaluate(expr, {"u": candidate})
        if problems:
            continue  # an error at apply: no plan-time claim is contradicted
        checked += 1
        assert consistent(claim, actual), f"{expr}: claimed {claim!r}, but with var.u = {candidate!r} it is {actual!r}"
    assert checked, f"{expr}: no value of var.u evaluates without an error"


def test_the_unknown_results_are_not_all_unknown():
    # the product rule has two halves: never wrong, and known whenever it can be
    known = [expr for expr in EXPRESSIONS if not isinstance(evaluate(expr, {})[0], Unknown)]
    assert {"true || var.u", "false && var.u", 'var.u ? "same" : "same"', "length([var.u, 1])",
            'keys({ a = var.u, b = 1 })', 'contains(["a", var.u], "a")', 'coalesce("x", var.u)',
            'sort(["b", var.u])', 'anytrue([true, var.u])', 'alltrue([false, var.u])',
            'lookup({ a = 1, b = var.u }, "a")', '{ for k in ["a", "b"] : k => var.u }',
            "length(var.u ? [1, 2] : [3, 4])", "{ a = 1 } == { b = var.u }", "var.u[*] == null"} <= set(known)
    assert evaluate("var.u ? [1, 2] : [1, 3]", {})[0][0] == 1


# Unknowns whose type is certain: a variable declared with a type and given no value is
# an unknown of that type, and Terraform decides some results from the type alone
# (``5 == x`` is false for a string ``x``).  Each expression below is evaluated with
# ``var.t`` unknown for each declared type, and must hold for every candidate value
# that converts to the type (as Terraform converts an input).
TYPES = ["string", "number", "bool", "list(string)", "set(string)", "map(number)",
         "tuple([string, number])", "object({ a = number, b = optional(string) })",
         "list(object({ a = number }))", "any"]

TYPED_CANDIDATES = CANDIDATES + [["a", 1], [{"a": 1}], {"a": 1, "b": "x"}, {"a": 2}, ["a", 2]]

TYPED_EXPRESSIONS = """
var.t == 5
var.t == "a"
var.t == true
var.t != 5
var.t == ["a"]
var.t == { a = 1 }
var.t == tolist(["a"])
var.t == toset(["a"])
var.t == tomap({ a = 1 })
var.t == { a = 1, b = "x" }
var.t == ["a", 1]
var.t == [{ a = 1 }]
var.t == tolist([{ a = 1 }])
can(var.t.0)
try(var.t.1, "fallback")
can(var.t["zzz"])
var.t == null
length(var.t)
try(var.t.a, "fallback")
can(var.t.zzz)
can(var.t.a)
can(var.t[0])
try(var.t[1], "fallback")
try(var.t[5], "fallback")
try(var.t["a"], "fallback")
flatten([var.t, ["b"]])
length(flatten([[var.t], ["b"]]))
[var.t][0] == 5
{ k = var.t }.k == "a"
var.t[0] == "a"
var.t.a == 1
var.t[0].a == 1
tomap({ a = var.t, b = "x" }).a == 5
tomap({ a = var.t, b = "x" }).a == "1"
(true ? var.t : "x") == 5
(true ? var.t : "x") == "1"
tolist([var.t, "x"])[0] == "1"
coalesce(var.t, "x") == 5
try(var.t, "x") == 5
lookup({ a = 1 }, "a", var.t) == "1"
"${var.t}" == 5
[for x in var.t : x] == "x"
length([for x in var.t : x])
-var.t == "x"
!var.t == "x"
var.t[*] == "x"
""".strip().splitlines()


def typed_module(expr: str, type_text: str):
    text = f'variable "t" {{\n  type = {type_text}\n}}\nlocals {{\n  result = {expr}\n}}\n'
    return declarations(".", [parse_hcl("main.tf", text)])


def evaluate_typed(decls, value: object = "unset") -> tuple[object, list]:
    """``local.result`` with ``var.t`` unknown, or set to ``value`` converted to its type."""
    diagnostics: list = []
    inputs = {}
    if value != "unset":
        try:
            inputs["t"] = convert(value, decls.variables["t"].node.body.attributes["type"].expr)
        except EvalError:
            return None, ["does not convert"]
    ev = ModuleEvaluation(decls, inputs, FunctionContext(".", "."), diagnostics)
    return ev.local("result", None), diagnostics


@pytest.mark.parametrize("expr", TYPED_EXPRESSIONS)
def test_a_known_result_holds_for_every_value_of_the_typed_unknown(expr):
    for type_text in TYPES:
        decls = typed_module(expr, type_text)
        claim, diagnostics = evaluate_typed(decls)
        for candidate in TYPED_CANDIDATES:
            actual, problems = evaluate_typed(decls, candidate)
            if problems == ["does not convert"]:
                continue
            where = f"{expr} with var.t of type {type_text} = {candidate!r}"
            if diagnostics:  # an error from the type alone: an error whatever the value
                assert problems, f"{where}: rdspolicy reports an error for the unknown, but the value gives {actual!r}"
            elif not problems:
                assert consistent(claim, actual), f"{where}: claimed {claim!r}, but it is {actual!r}"


def test_the_type_of_an_unknown_decides_what_terraform_decides_from_it():
    def known(expr, type_text):
        return evaluate_typed(typed_module(expr, type_text))[0]

    assert known("var.t == 5", "string") is False and known('var.t != "a"', "number") is True
    assert known('var.t == ["a"]', "string") is False and known("var.t == 5", "list(string)") is False
    assert isinstance(known('var.t == "a"', "string"), Unknown)  # same type: not known
    assert isinstance(known("var.t == null", "string"), Unknown)  # a null of any type is null
    assert known("length(var.t)", "tuple([string, number])") == 2
    assert known("length(var.t)", "object({ a = number, b = optional(string) })") == 2
    assert isinstance(known("length(var.t)", "list(string)"), Unknown)
    assert known('try(var.t.zzz, "fallback")', "object({ a = number })") == "fallback"
    assert known("can(var.t.zzz)", "object({ a = number })") is False
    assert known("can(var.t[0])", "set(string)") is False
    assert known("can(var.t[2])", "tuple([string, number])") is False
    assert known("var.t.a == \"x\"", "object({ a = number })") is False
    assert known("var.t[1] == \"x\"", "tuple([string, number])") is False
    assert known('var.t["k"] == "x"', "map(number)") is False
    flat = known('flatten([[var.t], ["b"]])', "string")
    assert isinstance(flat, list) and isinstance(flat[0], Unknown) and flat[1] == "b"
    assert isinstance(known('flatten([[var.t], ["b"]])', "list(string)"), Unknown)
    # a type computed by a conversion is not the unknown's own: rdspolicy does not claim it
    assert isinstance(known('tomap({ a = var.t, b = "x" }).a == "5"', "number"), Unknown)
    assert isinstance(known('(true ? var.t : "x") == "5"', "number"), Unknown)
    assert isinstance(known("var.t == 5", "any"), Unknown)
