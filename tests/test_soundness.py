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

from rdspolicy.evaluate.functions import FunctionContext
from rdspolicy.evaluate.module import ModuleEvaluation, declarations
from rdspolicy.evaluate.values import Unknown, tf_equal
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
