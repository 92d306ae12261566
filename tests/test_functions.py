"""Terraform's built-in functions (rdspolicy.evaluate.functions).

Expected values come from Terraform's documentation and the cty test suite where those
give one; the unknown cases check the product rule: unknown only when the result
depends on the unknowns, known whenever it does not.
"""

from __future__ import annotations

import os
import sys

import pytest

from rdspolicy.evaluate.expressions import render_template
from rdspolicy.evaluate.functions import FUNCTIONS, FunctionContext, call
from rdspolicy.evaluate.values import EvalError, Unknown

ID = Unknown("aws_db_instance.main.id is known after apply", ["aws_db_instance.main"], nonnull=True)
ARN = Unknown("aws_kms_key.rds.arn is known after apply", ["aws_kms_key.rds"], nonnull=True)
MAYBE = Unknown("var.maybe is not set")  # may be null
TS = "2018-01-02T23:12:01Z"


def fn(name, *args, ctx=None):
    return call(name, list(args), ctx)


def unknown(value) -> bool:
    return isinstance(value, Unknown)


def context(module_dir, root_dir, **options):
    """A FunctionContext that renders templates with the expression evaluator, as the
    evaluator's own contexts do."""
    return FunctionContext(module_dir, root_dir, render_template=render_template, **options)


# ------------------------------------------------------------------ the registry

TERRAFORM_FUNCTIONS = """
abs ceil floor log max min parseint pow signum
chomp endswith format formatlist indent join lower regex regexall replace split startswith strcontains
strrev substr templatestring title trim trimprefix trimsuffix trimspace upper
alltrue anytrue chunklist coalesce coalescelist compact concat contains distinct element flatten index keys
length lookup matchkeys merge one range reverse setintersection setproduct setsubtract setunion slice sort
sum transpose values zipmap
base64decode base64encode base64gzip csvdecode jsondecode jsonencode textdecodebase64 textencodebase64
urlencode yamldecode yamlencode
abspath dirname pathexpand basename file fileexists fileset filebase64 templatefile
formatdate plantimestamp timeadd timecmp timestamp
base64sha256 base64sha512 bcrypt filebase64sha256 filebase64sha512 filemd5 filesha1 filesha256 filesha512
md5 rsadecrypt sha1 sha256 sha512 uuid uuidv5
cidrhost cidrnetmask cidrsubnet cidrsubnets
issensitive nonsensitive sensitive tobool tolist tomap tonumber toset tostring ephemeralasnull
""".split()


@pytest.mark.parametrize("name", TERRAFORM_FUNCTIONS)
def test_every_terraform_function_is_registered(name):
    assert name in FUNCTIONS


def test_registered_functions_take_values_positionally():
    assert FUNCTIONS["upper"]("abc") == "ABC"
    assert FUNCTIONS["join"]("-", ["a", "b"]) == "a-b"


def test_core_namespace_prefix_is_accepted():
    assert fn("core::upper", "a") == "A"


def test_provider_function_is_unknown_not_an_error():
    result = fn("provider::aws::arn_parse", ARN)
    assert unknown(result) and "aws_kms_key.rds" in result.refs


@pytest.mark.parametrize("name, args, message", [
    ("foo", [], 'Call to unknown function "foo"'),
    ("length", [], 'Not enough function arguments: function "length" expects 1 argument(s). '
                   'Missing value for "value"'),
    ("upper", ["a", "b"], 'Too many function arguments: function "upper" expects only 1 argument(s)'),
    ("lookup", [{}], 'expects at least 2 argument(s). Missing value for "key"'),
    ("length", [None], 'invalid value for "value" parameter: argument must not be null'),
    ("upper", [None], 'Invalid function argument: invalid value for "str" parameter: argument must not be null'),
    ("try", ["a"], "expression evaluator"),
    ("can", ["a"], "expression evaluator"),
    ("uuid", ["x"], 'function "uuid" expects 0 argument(s), got 1'),
    ("list", ["a"], 'the "list" function was deprecated'),
    ("map", ["a", "b"], 'the "map" function was deprecated'),
    ("type", [1], "terraform console"),
])
def test_call_errors(name, args, message):
    with pytest.raises(EvalError) as info:
        call(name, args, None)
    assert message in str(info.value)


# ------------------------------------------------------------------ known results

KNOWN = [
    # strings
    ("upper", ["hello"], "HELLO"),
    ("upper", ["алло!"], "АЛЛО!"),
    ("upper", ["straße"], "STRAßE"),  # Go maps rune by rune
    ("lower", ["HELLO"], "hello"),
    ("lower", ["АЛЛО!"], "алло!"),
    ("upper", [5], "5"),
    ("title", ["hello world"], "Hello World"),
    ("title", ["hello wORLD-foo_bar"], "Hello WORLD-Foo_bar"),
    ("strrev", ["hello"], "olleh"),
    ("strrev", ["a💃🏿b"], "b💃🏿a"),
    ("trimspace", ["  hello\n\n"], "hello"),
    ("trimspace", ["\u00a0x\u3000"], "x"),
    ("trim", ["?!hello?!", "!?"], "hello"),
    ("trim", ["foobar", "far"], "oob"),
    ("trim", ["  hello! world.!  ", "! "], "hello! world."),
    ("trimprefix", ["helloworld", "hello"], "world"),
    ("trimprefix", ["helloworld", "cat"], "helloworld"),
    ("trimsuffix", ["helloworld", "world"], "hello"),
    ("chomp", ["hello\n"], "hello"),
    ("chomp", ["hello\r\n"], "hello"),
    ("chomp", ["hello\n\n"], "hello"),
    ("chomp", ["hel\nlo"], "hel\nlo"),
    ("indent", [2, "[\n  foo,\n  bar,\n]\n"], "[\n    foo,\n    bar,\n  ]\n  "),
    ("startswith", ["hello world", "hello"], True),
    ("startswith", ["hello world", "world"], False),
    ("endswith", ["hello world", "world"], True),
    ("strcontains", ["hello world", "wor"], True),
    ("strcontains", ["hello world", "wod"], False),
    ("split", [",", "foo,bar,baz"], ["foo", "bar", "baz"]),
    ("split", [",", "foo"], ["foo"]),
    ("split", [",", ""], [""]),
    ("split", ["", "abc"], ["a", "b", "c"]),
    ("join", ["-", ["foo", "bar", "baz"]], "foo-bar-baz"),
    ("join", [", ", ["foo"]], "foo"),
    ("join", [",", ["a"], ["b", 1, True]], "a,b,1,true"),
    ("join", [",", []], ""),
    ("substr", ["hello world", 1, 4], "ello"),
    ("substr", ["🤔🤷", 0, 1], "🤔"),
    ("substr", ["hello world", -5, -1], "world"),
    ("substr", ["hello world", 6, 10], "world"),
    ("substr", ["hello", 10, 2], ""),
    ("substr", ["hello", -10, 2], "he"),
    ("substr", ["hello", 1, 0], ""),
    ("replace", ["1 + 2 + 3", "+", "-"], "1 - 2 - 3"),
    ("replace", ["hello world", "/w.*d/", "everybody"], "hello everybody"),
    ("replace", ["hello world", "/w(or)ld/", "$1 ${1}x $1x $$"], "hello or orx  $"),
    ("replace", ["abc", "/(?P<first>a)/", "[${first}]"], "[a]bc"),
    ("replace", ["aaa", "/a/", "$0$0"], "aaaaaa"),
    ("replace", ["baaa", "/a*/", "-"], "-b-"),  # Go skips an empty match right after a match
    ("replace", ["abc", "/x*/", "-"], "-a-b-c-"),
    ("replace", ["a/b", "/", "-"], "a-b"),  # a lone "/" is not a pattern
    ("replace", ["abc", "", "-"], "-a-b-c-"),
    ("regex", ["[a-z]+", "53453453.345345aaabbbccc23454"], "aaabbbccc"),
    ("regex", ["(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01"], ["2019", "02", "01"]),
    ("regex", ["^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?", "https://terraform.io/docs/"],
     {"scheme": "https", "authority": "terraform.io"}),
    ("regex", ["(?P<a>x)|(?P<b>y)", "y"], {"a": None, "b": "y"}),
    ("regex", ["(a)|(b)", "b"], [None, "b"]),
    ("regex", ["(?<year>\\d{4})", "in 2024"], {"year": "2024"}),
    ("regex", ["(?m)a$", "a\nb"], "a"),
    ("regex", ["x\\z", "x"], "x"),
    ("regex", ["a{,2}", "xa{,2}"], "a{,2}"),  # not a repeat in RE2
    ("regex", ["\\d+", "\u0661\u06623"], "3"),  # \d is ASCII in RE2
    ("regex", ["a(?i)b", "aB"], "aB"),
    ("regex", ["x(?i)y|z", "Z"], "Z"),
    ("regex", ["\\Qa.b\\E", "axb a.b"], "a.b"),
    ("regex", ["[[:upper:]][[:digit:]]+", "xA12"], "A12"),
    ("regex", ["\\x{41}\\101", "AA"], "AA"),
    ("regex", ["(?s)a.b", "a\nb"], "a\nb"),
    ("regexall", ["[a-z]+", "1234abcd5678efgh9"], ["abcd", "efgh"]),
    ("regexall", ["[a-z]+", "1234"], []),
    ("regexall", ["(\\w)=(\\d)", "a=1 b=2"], [["a", "1"], ["b", "2"]]),
    ("regexall", ["", "ab"], ["", "", ""]),
    # format
    ("format", ["Hello, %s!", "Ander"], "Hello, Ander!"),
    ("format", ["There are %d lights", 4], "There are 4 lights"),
    ("format", ["%#v", "hello"], '"hello"'),
    ("format", ["%#v", True], "true"),
    ("format", ["%#v", 1], "1"),
    ("format", ["%#v", {"a": 1}], '{"a":1}'),
    ("format", ["%#v", [True]], "[true]"),
    ("format", ["%v", []], "[]"),
    ("format", ["%v", {"b": "<", "a": 1.5}], '{"a":1.5,"b":"\\u003c"}'),
    ("format", ["%v", 2], "2"),
    ("format", ["%v", 1.5], "1.5"),
    ("format", ["%v", 1000000], "1e+06"),  # Go's %g
    ("format", ["%%%v", False], "%false"),
    ("format", ["100%%"], "100%"),
    ("format", ["string %[2]v", True, "hello"], "string hello"),
    ("format", ["%[2]s %[1]s", "a", "b"], "b a"),
    ("format", ["%s", 12], "12"),
    ("format", ["%q", "Ermintrude"], '"Ermintrude"'),
    ("format", ["%q", False], '"false"'),
    ("format", ["%q", "Hello\nWorld"], '"Hello\\nWorld"'),
    ("format", ["%10s", "hello"], "     hello"),
    ("format", ["%-10s", "hello"], "hello     "),
    ("format", ["%4s", "💃🏿"], "   💃🏿"),
    ("format", ["%.2s", "hello"], "he"),
    ("format", ["%4.2s", "hello"], "  he"),
    ("format", ["%.1q", "日本語日本語"], '"日"'),
    ("format", ["%6.2q", "hello"], '  "he"'),
    ("format", ["%t", "false"], "false"),
    ("format", ["%t", True], "true"),
    ("format", ["%+d", 10], "+10"),
    ("format", ["% d", 10], " 10"),
    ("format", ["%5d", 10], "   10"),
    ("format", ["%-5d|", 10], "10   |"),
    ("format", ["%05d", -42], "-0042"),
    ("format", ["%.3d", 7], "007"),
    ("format", ["%d", "12"], "12"),
    ("format", ["%d", 12.0], "12"),
    ("format", ["%b", 5], "101"),
    ("format", ["%o", 9], "11"),
    ("format", ["%#o", 9], "011"),
    ("format", ["%x", 254], "fe"),
    ("format", ["%#X", 254], "0XFE"),
    ("format", ["%f", 10], "10.000000"),
    ("format", ["%+f", 10], "+10.000000"),
    ("format", ["% f", -10], "-10.000000"),
    ("format", ["%f", "100000000000000000000000000000000000001"], "100000000000000000000000000000000000001.000000"),
    ("format", ["%.4f", "1.00000000000000000000000000000000000001"], "1.0000"),
    ("format", ["%.1f", "1.06"], "1.1"),
    ("format", ["%8.2f|", 3.14159], "    3.14|"),
    ("format", ["%08.2f", -3.14159], "-0003.14"),
    ("format", ["%-8.2f|", 3.14159], "3.14    |"),
    ("format", ["%e", 1000], "1.000000e+03"),
    ("format", ["%E", 1000], "1.000000E+03"),
    ("format", ["%.2e", 123456], "1.23e+05"),
    ("format", ["%g", 1000], "1000"),
    ("format", ["%G", 1000], "1000"),
    ("format", ["%g", "0.00000000000000000000001"], "1e-23"),
    ("format", ["%.3g", 3.14159], "3.14"),
    ("format", ["%.3g", 1234567], "1.23e+06"),
    ("formatlist", ["Hello, %s!", ["Valentina", "Ander"]], ["Hello, Valentina!", "Hello, Ander!"]),
    ("formatlist", ["%s, %s!", "Salutations", ["Valentina", "Ander"]],
     ["Salutations, Valentina!", "Salutations, Ander!"]),
    ("formatlist", ["%s %s", ["a", "b"], ["c", "d"]], ["a c", "b d"]),
    ("formatlist", ["%s", []], []),
    ("formatlist", ["hello"], ["hello"]),
    # collections
    ("length", [[]], 0),
    ("length", [["a", "b"]], 2),
    ("length", [{"a": "b"}], 1),
    ("length", ["hello"], 5),
    ("length", ["👾🕹️"], 2),
    ("length", ["e\u0301"], 1),
    ("length", ["🇫🇷🇩🇪"], 2),
    ("length", ["a\r\nb"], 3),
    ("alltrue", [["true", True]], True),
    ("alltrue", [[True, False]], False),
    ("alltrue", [[]], True),
    ("alltrue", [[True, None]], False),
    ("anytrue", [["true"]], True),
    ("anytrue", [[True, False]], True),
    ("anytrue", [[]], False),
    ("anytrue", [[None, False]], False),
    ("chunklist", [["a", "b", "c", "d", "e"], 2], [["a", "b"], ["c", "d"], ["e"]]),
    ("chunklist", [["a", "b", "c", "d", "e"], 1], [["a"], ["b"], ["c"], ["d"], ["e"]]),
    ("chunklist", [["a", "b"], 0], [["a", "b"]]),
    ("chunklist", [[], 3], []),
    ("coalesce", ["a", "b"], "a"),
    ("coalesce", ["", "b"], "b"),
    ("coalesce", [1, 2], 1),
    ("coalesce", [None, "", "c"], "c"),
    ("coalesce", [None, 1, "x"], "1"),  # mixed types convert to string
    ("coalesce", [None, ["a"]], ["a"]),
    ("coalescelist", [["a", "b"], ["c", "d"]], ["a", "b"]),
    ("coalescelist", [[], ["c", "d"]], ["c", "d"]),
    ("coalescelist", [None, [], ["x"]], ["x"]),
    ("compact", [["a", "", "b", None, "c"]], ["a", "b", "c"]),
    ("compact", [[1, ""]], ["1"]),
    ("concat", [["a", ""], ["b", "c"]], ["a", "", "b", "c"]),
    ("concat", [[]], []),
    ("contains", [["a", "b", "c"], "a"], True),
    ("contains", [["a", "b", "c"], "d"], False),
    ("contains", [["1", "2"], 1], False),  # types must agree
    ("contains", [[[1, 2]], [1, 2]], True),
    ("contains", [[], "a"], False),
    ("distinct", [["a", "b", "a", "c", "d", "b"]], ["a", "b", "c", "d"]),
    ("distinct", [[1, "1"]], ["1"]),
    ("element", [["a", "b", "c"], 1], "b"),
    ("element", [["a", "b", "c"], 3], "a"),
    ("element", [["a", "b", "c"], "2"], "c"),
    ("flatten", [[["a", "b"], [], ["c"]]], ["a", "b", "c"]),
    ("flatten", [[[["a", "b"], []], ["c"]]], ["a", "b", "c"]),
    ("flatten", [[{"a": [1]}, [2]]], [{"a": [1]}, 2]),
    ("flatten", [[]], []),
    ("index", [["a", "b", "c"], "b"], 1),
    ("keys", [{"a": 1, "c": 2, "d": 3}], ["a", "c", "d"]),
    ("keys", [{"b": 1, "a": 2}], ["a", "b"]),
    ("values", [{"a": 3, "c": 2, "d": 1}], [3, 2, 1]),
    ("values", [{"b": "B", "a": "A"}], ["A", "B"]),
    ("lookup", [{"a": "ay", "b": "bee"}, "a", "what?"], "ay"),
    ("lookup", [{"a": "ay", "b": "bee"}, "c", "what?"], "what?"),
    ("lookup", [{"a": "ay"}, "a"], "ay"),
    ("lookup", [{"a": "ay"}, "c", None], None),
    ("matchkeys", [["i-123", "i-abc", "i-def"], ["us-west", "us-east", "us-east"], ["us-east"]],
     ["i-abc", "i-def"]),
    ("matchkeys", [["a", "b"], [1, 2], ["2"]], ["b"]),
    ("matchkeys", [["a"], ["x"], []], []),
    ("merge", [{"a": "b", "c": "d"}, {"e": "f", "c": "z"}], {"a": "b", "c": "z", "e": "f"}),
    ("merge", [{"a": 1}, None, {"b": 2}], {"a": 1, "b": 2}),
    ("merge", [], {}),
    ("one", [[]], None),
    ("one", [["hello"]], "hello"),
    ("range", [3], [0, 1, 2]),
    ("range", [1, 4], [1, 2, 3]),
    ("range", [1, 8, 2], [1, 3, 5, 7]),
    ("range", [1, 4, 0.5], [1, 1.5, 2, 2.5, 3, 3.5]),
    ("range", [0, 1, 0.1], [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]),
    ("range", [4, 1], [4, 3, 2]),
    ("range", [10, 5, -2], [10, 8, 6]),
    ("range", [-3], [0, -1, -2]),
    ("range", [0], []),
    ("range", ["2"], [0, 1]),
    ("reverse", [[1, 2, 3]], [3, 2, 1]),
    ("setintersection", [["a", "b"], ["b", "c"], ["b", "d"]], ["b"]),
    ("setproduct", [["development", "staging"], ["app1", "app2"]],
     [["development", "app1"], ["development", "app2"], ["staging", "app1"], ["staging", "app2"]]),
    ("setproduct", [["a"], []], []),
    ("setsubtract", [["a", "b", "c"], ["a", "c"]], ["b"]),
    ("setunion", [["a", "b"], ["b", "c"], ["d"]], ["a", "b", "c", "d"]),
    ("setunion", [["b"], [1]], ["1", "b"]),
    ("setunion", [[3, 1], [2, 1]], [1, 2, 3]),
    ("slice", [["a", "b", "c", "d"], 1, 3], ["b", "c"]),
    ("slice", [["a"], 1, 1], []),
    ("sort", [["e", "d", "a", "x"]], ["a", "d", "e", "x"]),
    ("sort", [[10, 9, 1]], ["1", "10", "9"]),
    ("sum", [[10, 13, 6, 4.5]], 33.5),
    ("sum", [[0.1, 0.2]], 0.3),
    ("sum", [["1", 2]], 3),
    ("transpose", [{"a": ["1", "2"], "b": ["2", "3"]}], {"1": ["a"], "2": ["a", "b"], "3": ["b"]}),
    ("zipmap", [["a", "b"], [1, 2]], {"a": 1, "b": 2}),
    ("zipmap", [["a", "a"], [1, 2]], {"a": 2}),
    # numbers
    ("abs", [23], 23),
    ("abs", [0], 0),
    ("abs", [-12.4], 12.4),
    ("ceil", [5], 5),
    ("ceil", [5.1], 6),
    ("floor", [4.9], 4),
    ("floor", [-4.1], -5),
    ("log", [50, 10], 1.6989700043360185),
    ("log", [16, 2], 4),
    ("log", [1, 10], 0),
    ("max", [12, 54, 3], 54),
    ("max", ["12", 5], 12),
    ("min", [12, 54, 3], 3),
    ("min", [1.5, 2], 1.5),
    ("parseint", ["100", 10], 100),
    ("parseint", ["FF", 16], 255),
    ("parseint", ["ff", 16], 255),
    ("parseint", ["-10", 16], -16),
    ("parseint", ["+7", 8], 7),
    ("parseint", ["1011111011101111", 2], 48879),
    ("parseint", ["aA", 62], 656),
    ("parseint", ["12", "10"], 12),
    ("pow", [3, 2], 9),
    ("pow", [4, 0], 1),
    ("pow", [2, 0.5], 1.4142135623730951),
    ("pow", [0, -1], float("inf")),
    ("signum", [-13], -1),
    ("signum", [0], 0),
    ("signum", [344], 1),
    # type conversion
    ("tobool", [True], True),
    ("tobool", ["false"], False),
    ("tobool", [None], None),
    ("tonumber", [1], 1),
    ("tonumber", ["1"], 1),
    ("tonumber", ["1.5"], 1.5),
    ("tonumber", [None], None),
    ("tostring", ["hello"], "hello"),
    ("tostring", [1], "1"),
    ("tostring", [True], "true"),
    ("tostring", [None], None),
    ("tolist", [["a", "b", 3]], ["a", "b", "3"]),
    ("tolist", [[]], []),
    ("tolist", [None], None),
    ("toset", [["a", "b", "a"]], ["a", "b"]),
    ("toset", [["c", "b", "b"]], ["b", "c"]),
    ("toset", [[3, 1, 2, 1]], [1, 2, 3]),
    ("toset", [[True, False, True]], [False, True]),
    ("toset", [["a", 1]], ["1", "a"]),
    ("toset", [[{"a": 1}, {"a": 1}]], [{"a": 1}]),
    ("toset", [None], None),
    ("tomap", [{"a": 1, "b": 2}], {"a": 1, "b": 2}),
    ("tomap", [{"a": "foo", "b": True}], {"a": "foo", "b": "true"}),
    ("tomap", [None], None),
    ("sensitive", ["secret"], "secret"),
    ("nonsensitive", ["secret"], "secret"),
    # encoding
    ("base64encode", ["Hello World"], "SGVsbG8gV29ybGQ="),
    ("base64decode", ["SGVsbG8gV29ybGQ="], "Hello World"),
    ("base64decode", ["SGVsbG8g\nV29ybGQ="], "Hello World"),
    ("base64decode", ["4pyT"], "✓"),
    ("jsonencode", [{"hello": "world"}], '{"hello":"world"}'),
    ("jsonencode", [{"b": [1, 2.5e-7, True, None], "a": "<&>"}],
     '{"a":"\\u003c\\u0026\\u003e","b":[1,0.00000025,true,null]}'),
    ("jsonencode", [1e21], "1000000000000000000000"),
    ("jsonencode", [5.0], "5"),
    ("jsonencode", ["é\u2028\n"], '"é\\u2028\\n"'),
    ("jsonencode", [None], "null"),
    ("jsondecode", ['{"hello": "world"}'], {"hello": "world"}),
    ("jsondecode", ["true"], True),
    ("jsondecode", ["null"], None),
    ("jsondecode", ["[1, 2.5, 3.0, 1e3]"], [1, 2.5, 3, 1000]),
    ("urlencode", ["Hello World!"], "Hello+World%21"),
    ("urlencode", ["☃"], "%E2%98%83"),
    ("urlencode", ["foo:bar@localhost?foo=bar&bar=baz"], "foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz"),
    ("urlencode", ["a-b_c.d~e"], "a-b_c.d~e"),
    ("csvdecode", ["a,b,c\n1,2,3\n4,5,6"], [{"a": "1", "b": "2", "c": "3"}, {"a": "4", "b": "5", "c": "6"}]),
    ("csvdecode", ['a,b\n"x,y",""\n\n'], [{"a": "x,y", "b": ""}]),
    ("csvdecode", ["a,b\n"], []),
    # hashes
    ("md5", ["hello world"], "5eb63bbbe01eeed093cb22bb8f5acdc3"),
    ("sha1", ["hello world"], "2aae6c35c94fcfb415dbe95f408b9ce91ee846ed"),
    ("sha256", ["hello world"], "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"),
    ("sha512", ["hello world"], "309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff49967"
                                "0da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f"),
    ("base64sha256", ["hello world"], "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="),
    ("base64sha512", ["hello world"], "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33F"
                                      "VC6TrpzXbw=="),
    ("uuidv5", ["dns", "www.terraform.io"], "a5008fae-b28c-5ba5-96cd-82b4c53552d6"),
    ("uuidv5", ["url", "https://www.terraform.io/"], "9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5"),
    ("uuidv5", ["6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.terraform.io"], "a5008fae-b28c-5ba5-96cd-82b4c53552d6"),
    # IP networks
    ("cidrhost", ["10.12.112.0/20", 16], "10.12.112.16"),
    ("cidrhost", ["10.12.112.0/20", 268], "10.12.113.12"),
    ("cidrhost", ["10.12.112.0/20", -1], "10.12.127.255"),
    ("cidrhost", ["fd00:fd12:3456:7890:00a2::/72", 34], "fd00:fd12:3456:7890::22"),
    ("cidrhost", ["10.0.0.5/24", 1], "10.0.0.1"),
    ("cidrnetmask", ["172.16.0.0/12"], "255.240.0.0"),
    ("cidrnetmask", ["10.0.0.0/32"], "255.255.255.255"),
    ("cidrsubnet", ["172.16.0.0/12", 4, 2], "172.18.0.0/16"),
    ("cidrsubnet", ["10.1.2.0/24", 4, 15], "10.1.2.240/28"),
    ("cidrsubnet", ["fd00:fd12:3456:7890::/56", 16, 162], "fd00:fd12:3456:7800:a200::/72"),
    ("cidrsubnet", ["010.1.0.0/16", 8, 1], "10.1.1.0/24"),
    ("cidrsubnets", ["10.1.0.0/16", 4, 4, 8, 4], ["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"]),
    ("cidrsubnets", ["fd00:fd12:3456:7890::/56", 16, 16, 16, 32],
     ["fd00:fd12:3456:7800::/72", "fd00:fd12:3456:7800:100::/72", "fd00:fd12:3456:7800:200::/72",
      "fd00:fd12:3456:7800:300::/88"]),
    ("cidrsubnets", ["10.0.0.0/8"], []),
    # paths
    ("basename", ["foo/bar/baz.txt"], "baz.txt"),
    ("basename", ["foo/bar/"], "bar"),
    ("basename", [""], "."),
    ("dirname", ["foo/bar"], "foo"),
    ("dirname", ["bar"], "."),
    ("pathexpand", ["foo/bar"], "foo/bar"),
    # dates
    ("formatdate", ["DD MMM YYYY hh:mm ZZZ", TS], "02 Jan 2018 23:12 UTC"),
    ("formatdate", ["EEEE, DD-MMM-YY hh:mm:ss ZZZ", TS], "Tuesday, 02-Jan-18 23:12:01 UTC"),
    ("formatdate", ["EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00"], "Tue, 02 Jan 2018 23:12:01 -0800"),
    ("formatdate", ["MMM DD, YYYY", TS], "Jan 02, 2018"),
    ("formatdate", ["HH:mmaa", TS], "11:12pm"),
    ("formatdate", ["h'h'mm", "2018-01-02T23:12:01-08:00"], "23h12"),
    ("formatdate", ["MMMM M D h H AA s Z ZZZZ ZZZZZ", "2018-03-04T05:06:07+05:30"],
     "March 3 4 5 5 AM 7 +05:30 +0530 +05:30"),
    ("formatdate", ["Z", TS], "Z"),
    ("formatdate", ["'It''s' YYYY ''", TS], "It's 2018 '"),
    ("formatdate", ["YYYY-MM-DD", "2018-01-02T23:12:01.123456Z"], "2018-01-02"),
    ("timeadd", ["2017-11-22T00:00:00Z", "10m"], "2017-11-22T00:10:00Z"),
    ("timeadd", ["2017-11-22T00:00:00Z", "-1h30m"], "2017-11-21T22:30:00Z"),
    ("timeadd", ["2017-11-22T00:00:00+02:00", "1.5h"], "2017-11-22T01:30:00+02:00"),
    ("timeadd", ["2017-11-22T00:00:00+00:00", "0"], "2017-11-22T00:00:00Z"),
    ("timeadd", ["2017-12-31T23:59:59Z", "1s"], "2018-01-01T00:00:00Z"),
    ("timecmp", ["2017-11-22T00:00:00Z", "2017-11-22T00:00:00Z"], 0),
    ("timecmp", ["2017-11-22T00:00:00Z", "2017-11-22T01:00:00+01:00"], 0),
    ("timecmp", ["2017-11-22T00:00:01Z", "2017-11-22T00:00:00Z"], 1),
    ("timecmp", ["2017-11-22T00:00:00Z", "2017-11-22T00:00:00.5Z"], -1),
]


@pytest.mark.parametrize("name, args, expected", KNOWN, ids=[f"{case[0]}-{i}" for i, case in enumerate(KNOWN)])
def test_known_results(name, args, expected):
    result = call(name, args, None)
    assert result == expected
    assert type(result) is type(expected) or all(isinstance(v, list) for v in (result, expected)) or all(
        isinstance(v, dict) for v in (result, expected))  # "1" is not 1, True is not 1


# ------------------------------------------------------------------ errors

ERRORS = [
    ("upper", [[1]], 'invalid value for "str" parameter: string required'),
    ("indent", [-1, "x"], "must not be negative"),
    ("join", [","], "at least one list is required"),
    ("join", [",", ["a", None]], "element 1 is null; cannot concatenate null values"),
    ("join", [",", "a"], "list of string required"),
    ("substr", ["abc", 1.5, 1], "whole number"),
    ("length", [5], "argument must be a string, a collection type, or a structural type"),
    ("length", [True], "argument must be a string, a collection type"),
    # format
    ("format", ["%s is not in the args list"], 'not enough arguments for "%s" at 0: need index 1 but have 0 total'),
    ("format", ["%v %v %v", True, True], 'not enough arguments for "%v" at 6: need index 3 but have 2 total'),
    ("format", ["%[3]s", True, True], 'not enough arguments for "%[3]s" at 0: need index 3 but have 2 total'),
    ("format", ["%[0]s", True, True], "unrecognized format character '0' at offset 2"),
    ("format", ["%z is not a valid sequence", 10], "unsupported format verb 'z' in \"%z\" at offset 0"),
    ("format", ["%012z", 10], "unsupported format verb 'z' in \"%012z\" at offset 0"),
    ("format", ["%☠ is not a valid sequence", 10], "unrecognized format character '☠' at offset 1"),
    ("format", ["abc %"], "invalid format string starting at offset 4"),
    ("format", ["no format verbs at all", 10], "too many arguments; no verbs in format string"),
    ("format", ["only one verb %d", 10, 11], "too many arguments; only 1 used by format string"),
    ("format", ["%d", True], 'unsupported value for "%d" at 0: number required'),
    ("format", ["%d", "x"], 'unsupported value for "%d" at 0: a number is required'),
    ("format", ["%d", 1.5], "an integer is required"),
    ("format", ["%s", {}], 'unsupported value for "%s" at 0: string required'),
    ("format", ["%t", 1], "bool required"),
    ("format", [None, 1], 'invalid value for "format" parameter: argument must not be null'),
    ("formatlist", ["%s %s", ["a", "b"], ["c"]], "argument 2 has length 1, which is inconsistent with argument 1"),
    ("formatlist", ["%s", [{}]], "error on format iteration 0"),
    # regex
    ("regex", ["[a-z]+", "123"], "pattern did not match any part of the given string"),
    ("regex", ["a$", "a\n"], "pattern did not match"),  # $ is the end of the text in RE2
    ("regex", ["(", "x"], "invalid regexp pattern"),
    ("regex", ["(?P<a>x)(y)", "xy"], "cannot mix both named and unnamed capture groups"),
    ("regex", ["(a)\\1", "aa"], "invalid escape sequence"),
    ("regex", ["a(?=b)", "ab"], "invalid or unsupported Perl syntax"),
    ("regex", ["a**", "a"], "invalid nested repetition operator"),
    ("regex", ["a*+", "a"], "invalid nested repetition operator"),
    ("regex", ["a{1001}", "a"], "invalid repeat count"),
    ("regex", ["\\e", "a"], "invalid escape sequence"),
    ("regex", ["[[:nope:]]", "a"], "invalid character class range"),
    ("regexall", ["[a", "a"], "missing closing ]"),
    ("replace", ["a", "/(/", "b"], "invalid regexp pattern"),
    # collections
    ("alltrue", [["maybe"]], "bool required"),
    ("alltrue", [[True, "x"]], "bool required"),
    ("chunklist", [["a"], -1], "the size argument must be positive"),
    ("coalesce", [None, ""], "no non-null, non-empty-string arguments"),
    ("coalesce", ["a", ["b"]], "all arguments must have the same type"),
    ("coalesce", [], "at least one argument is required"),
    ("coalescelist", [[], None], "no non-null arguments"),
    ("coalescelist", ["a"], "coalescelist arguments must be lists or tuples"),
    ("compact", [["a", ["b"]]], "list of string required"),
    ("concat", [["a"], "b"], "all arguments must be lists or tuples; got string"),
    ("concat", [], "at least one argument is required"),
    ("contains", [{"a": 1}, 1], "argument must be list, tuple, or set"),
    ("contains", [["a"], None], 'invalid value for "value" parameter: argument must not be null'),
    ("contains", [[ID, "b"], None], 'invalid value for "value" parameter: argument must not be null'),
    ("element", [[ID], -1], "cannot use element function with a negative index"),
    ("slice", [ID, 2, 1], "start index must not be greater than end index"),
    ("chunklist", [ID, -1], "the size argument must be positive"),
    ("concat", [ID, "b"], "all arguments must be lists or tuples"),
    ("distinct", [["a", [1]]], "all elements must have the same type"),
    ("element", [["a", "b"], -1], "cannot use element function with a negative index"),
    ("element", [[], 0], "cannot use element function with an empty list"),
    ("element", ["abc", 0], "cannot read elements from string"),
    ("flatten", ["abc"], "can only flatten lists, sets and tuples"),
    ("index", [["a"], "z"], "item not found"),
    ("index", [[], "a"], "cannot search an empty list"),
    ("keys", [["a"]], "map or object required"),
    ("values", ["a"], "values() requires a map as the first argument"),
    ("lookup", [{"a": 1}, "k"], 'lookup failed to find key "k"'),
    ("lookup", [["a"], "k"], "lookup() requires a map as the first argument"),
    ("matchkeys", [["a", "b"], ["x"], ["x"]], "length of keys and values should be equal"),
    ("merge", [{"a": 1}, [1]], 'arguments must be maps or objects, got "tuple"'),
    ("one", [["hello", "goodbye"]], "must be a list, set, or tuple value with either zero or one elements"),
    ("one", ["hello"], "either zero or one elements"),
    ("range", [0, 1, 0], "step must not be zero"),
    ("range", [1, 0, 1], "end must be greater than start when step is positive"),
    ("range", [0, 1, -1], "end must be less than start when step is negative"),
    ("range", [2 ** 21], "more than 1048576 values were generated"),
    ("range", [], "must have one, two, or three arguments"),
    ("range", [1, 2, 3, 4], "must have one, two, or three arguments"),
    ("reverse", ["abc"], "can only reverse list or tuple values, not string"),
    ("setproduct", [["a"]], "at least two arguments are required"),
    ("setproduct", [["a"], "b"], "a set or a list is required"),
    ("setunion", [["a"], "b"], "set of any single type required"),
    ("setunion", [["a"], [["b"]]], "given sets must all have compatible element types"),
    ("slice", [["a"], 0, 2], "end index must not be greater than the length of the list"),
    ("slice", [["a", "b"], 2, 1], "start index must not be greater than end index"),
    ("slice", [["a"], -1, 1], "start index must not be less than zero"),
    ("slice", [{"a": 1}, 0, 1], "must be a list or tuple value"),
    ("sort", [[None]], "given list element 0 is null; a null string cannot be sorted"),
    ("sort", [[["a"]]], "list of string required"),
    ("sum", [[]], "cannot sum an empty list"),
    ("sum", [["a"]], 'cannot convert "a" to number'),
    ("sum", [[1, None]], "argument must be list, set, or tuple of number values"),
    ("sum", ["a"], "cannot sum noniterable"),
    ("transpose", [{"a": [1]}], "input must be a map of lists of strings"),
    ("zipmap", [["a", "b"], [1]], "number of keys (2) does not match number of values (1)"),
    ("zipmap", [["a", None], [1, 2]], "keys list has null value at index 1"),
    ("zipmap", [["a"], "b"], "values argument must be a list or tuple value"),
    # numbers
    ("abs", ["x"], 'cannot convert "x" to number'),
    ("abs", [True], "number required"),
    ("max", [], "must pass at least one number"),
    ("min", [[1]], "number required"),
    ("log", [-1, 10], "not a number"),
    ("parseint", ["12", 2], 'cannot parse "12" as a base 2 integer'),
    ("parseint", ["", 10], 'cannot parse "" as a base 10 integer'),
    ("parseint", ["1", 1], "base must be a whole number between 2 and 62 inclusive"),
    ("parseint", [10, 10], "first argument must be a string, not number"),
    ("pow", [-8, 0.5], "not a number"),
    # conversion
    ("tostring", [[1]], "cannot convert tuple to string"),
    ("tostring", [{}], "cannot convert object to string"),
    ("tonumber", ["abc"], 'cannot convert "abc" to number'),
    ("tonumber", [True], "cannot convert bool to number"),
    ("tobool", ["yes"], 'cannot convert "yes" to bool; only the strings "true" or "false" are allowed'),
    ("tobool", [1], "cannot convert number to bool"),
    ("tolist", [{"a": 1}], "cannot convert object to list"),
    ("tolist", [["a", ["b"]]], "cannot convert tuple to list of any single type"),
    ("tolist", [[True, 1]], "cannot convert tuple to list of any single type"),  # no string to unify them
    ("toset", ["a"], "cannot convert string to set"),
    ("tomap", [["a"]], "cannot convert tuple to map"),
    # encoding
    ("jsondecode", ["{"], "invalid JSON"),
    ("jsondecode", ["NaN"], "invalid JSON"),
    ("jsondecode", [""], "invalid JSON"),
    ("jsonencode", [float("inf")], "cannot encode"),
    ("base64decode", ["!!"], 'failed to decode base64 data "!!"'),
    ("base64decode", ["SGVsbG8"], "failed to decode base64 data"),
    ("base64decode", ["/w=="], "the result of decoding the provided string is not valid UTF-8"),
    ("csvdecode", [""], "missing header line"),
    ("csvdecode", ["a,b\n1\n"], "record on line 2: wrong number of fields"),
    ("csvdecode", ["a,a\n1,2\n"], 'duplicate column name "a"'),
    ("uuidv5", ["nope", "x"], "doesn't support namespace nope"),
    # IP networks
    ("cidrhost", ["10.0.0.0/30", 4], "prefix of 30 does not accommodate a host numbered 4"),
    ("cidrhost", ["10.0.0.0/30", -5], "does not accommodate a host numbered -5"),
    ("cidrhost", ["nope", 1], "invalid CIDR expression"),
    ("cidrhost", ["10.0.0.0", 1], "invalid CIDR expression"),
    ("cidrhost", ["10.0.0.0/33", 1], "invalid CIDR expression"),
    ("cidrnetmask", ["fd00::/64"], "IPv6 addresses cannot have a netmask"),
    ("cidrsubnet", ["10.0.0.0/8", 30, 0], "insufficient address space to extend prefix of 8 by 30"),
    ("cidrsubnet", ["10.0.0.0/24", 2, 4], "prefix extension of 2 does not accommodate a subnet numbered 4"),
    ("cidrsubnet", ["10.0.0.0/24", 2, -1], "does not accommodate a subnet numbered -1"),
    ("cidrsubnets", ["10.0.0.0/30", 1, 1, 1], "not enough remaining address space for a subnet with a prefix of 31"),
    ("cidrsubnets", ["10.0.0.0/24", 0], "must extend prefix by at least one bit"),
    ("cidrsubnets", ["fd00::/56", 33], "may not extend prefix by more than 32 bits"),
    ("cidrsubnets", ["10.0.0.0/24", 9], "would extend prefix to 33 bits, which is too long for an IPv4 address"),
    # dates
    ("formatdate", ["YYY", TS], 'invalid date format verb "YYY": year must either be "YY" or "YYYY"'),
    ("formatdate", ["YYYY x", TS], 'invalid date format verb "x"'),
    ("formatdate", ["'abc", TS], "unterminated literal '"),
    ("formatdate", ["YYYY", "2020-13-01T00:00:00Z"], "not a valid RFC3339 timestamp"),
    ("formatdate", ["YYYY", "2020-02-30T00:00:00Z"], "not a valid RFC3339 timestamp"),
    ("formatdate", ["YYYY", "2020-01-01"], "not a valid RFC3339 timestamp"),
    ("timeadd", [TS, "10x"], 'time: unknown unit "x" in duration "10x"'),
    ("timeadd", [TS, "10"], 'time: missing unit in duration "10"'),
    ("timeadd", [TS, ""], 'time: invalid duration ""'),
    ("timeadd", [TS, ".h"], "time: invalid duration"),
    ("timecmp", [TS, "yesterday"], 'invalid value for "timestamp_b" parameter'),
]


@pytest.mark.parametrize("name, args, message", ERRORS, ids=[f"{case[0]}-{i}" for i, case in enumerate(ERRORS)])
def test_errors(name, args, message):
    with pytest.raises(EvalError) as info:
        call(name, args, None)
    assert message in str(info.value)


def test_function_failures_name_the_function():
    with pytest.raises(EvalError, match=r'^Call to function "index" failed: item not found$'):
        fn("index", ["a"], "b")


def test_argument_errors_use_terraform_wording():
    with pytest.raises(EvalError, match=r'^Invalid function argument: invalid value for "list" parameter: '):
        fn("sort", [["a"]])


def test_yamldecode_without_pyyaml_is_unknown_not_an_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "yaml", None)  # makes "import yaml" fail
    result = fn("yamldecode", "a: 1")
    assert unknown(result) and "PyYAML" in result.reason


# ------------------------------------------------------------------ unknowns: never guess


def test_default_propagation_keeps_reasons_and_refs():
    result = fn("join", ",", ["a", ID, ARN])
    assert unknown(result)
    assert result.refs == {"aws_db_instance.main", "aws_kms_key.rds"}
    assert ID.reason in result.reason and ARN.reason in result.reason


def test_unknown_result_of_non_null_function_is_certainly_set():
    assert fn("upper", MAYBE).nonnull is True
    assert fn("lookup", MAYBE, "k").nonnull is False
    assert fn("element", [1], MAYBE).nonnull is False


@pytest.mark.parametrize("name, args, expected", [
    ("length", [[ID, 1]], 2),
    ("length", [{"a": ID, "b": 1}], 2),
    ("concat", [[1], [ID]], [1, ID]),
    ("concat", [[ID], ["a", ARN]], [ID, "a", ARN]),
    ("coalesce", ["a", ID], "a"),
    ("coalesce", [None, "", "a", ID], "a"),
    ("coalescelist", [["a"], ID], ["a"]),
    ("contains", [["a", ID], "a"], True),
    ("contains", [[], ID], False),
    ("contains", [[[ID, 1]], [2, 2]], False),  # differs in a known element
    ("keys", [{"a": ID}], ["a"]),
    ("values", [{"b": ID, "a": 1}], [1, ID]),
    ("lookup", [{"k": ID}, "k", "default"], ID),
    ("lookup", [{"a": 1}, "k", ID], ID),
    ("lookup", [{"a": 1, "b": ID}, "a"], 1),
    ("merge", [{"a": 1}, {"b": ID}], {"a": 1, "b": ID}),
    ("merge", [{"a": ID}, {"a": 2}], {"a": 2}),
    ("element", [[ID, "x"], 1], "x"),
    ("element", [[ID, "x"], 2], ID),
    ("index", [["a", ID, "b"], "a"], 0),
    ("flatten", [[["a"], {"k": ID}]], ["a", {"k": ID}]),
    ("tolist", [[ID, "a"]], [ID, "a"]),
    ("tomap", [{"a": ID, "b": "x"}], {"a": ID, "b": "x"}),
    ("toset", [[ID]], [ID]),
    ("distinct", [[ID]], [ID]),
    ("alltrue", [[ID, False]], False),
    ("alltrue", [[ID, None]], False),
    ("anytrue", [[ID, True]], True),
    ("setproduct", [["a"], [ID]], [["a", ID]]),
    ("setintersection", [[], [ID]], []),
    ("setsubtract", [[], [ID]], []),
    ("slice", [[ID, 1, 2], 1, 3], [1, 2]),
    ("reverse", [[ID, 1]], [1, ID]),
    ("zipmap", [["a"], [ID]], {"a": ID}),
    ("one", [[ID]], ID),
    ("chunklist", [[ID, 1, 2], 2], [[ID, 1], [2]]),
    ("formatlist", ["%s!", ["a", "b"]], ["a!", "b!"]),
    ("tostring", [ID], ID),
    ("tonumber", [ID], ID),
    ("sensitive", [ID], ID),
])
def test_known_despite_unknowns(name, args, expected):
    result = call(name, args, None)
    if isinstance(expected, Unknown):
        assert result is expected  # the unknown element itself, passed through
    else:
        assert not unknown(result)
        assert result == expected


@pytest.mark.parametrize("name, args", [
    ("length", [ID]),
    ("concat", [[1], ID]),
    ("coalesce", [ID, "a"]),
    ("coalesce", [None, ID, "a"]),
    ("coalescelist", [[], ID, ["a"]]),
    ("contains", [["b", ID], "a"]),
    ("contains", [["a"], ID]),
    ("contains", [ID, "a"]),
    ("keys", [ID]),
    ("values", [ID]),
    ("lookup", [ID, "k"]),
    ("lookup", [{"a": 1}, ID]),
    ("merge", [{"a": 1}, ID]),
    ("element", [["a", "b"], ID]),
    ("element", [ID, 0]),
    ("index", [[ID, "a"], "a"]),
    ("index", [["a"], ID]),
    ("flatten", [[["a"], ID]]),
    ("flatten", [[["a"], [ID]]]),  # the unknown element may itself be a list
    ("compact", [["a", ID]]),  # may be "" or null
    ("toset", [["a", ID]]),  # duplicates unknowable
    ("distinct", [["a", ID]]),
    ("jsonencode", [{"a": ID}]),
    ("format", ["%s", ID]),
    ("format", [ID, "x"]),
    ("format", ["%s %s", "a", [ID]]),
    ("formatlist", ["%s", ID]),
    ("join", [",", ["a", ID]]),
    ("alltrue", [[ID, True]]),
    ("anytrue", [[ID, False]]),
    ("setunion", [["a"], [ID]]),
    ("setintersection", [["a"], [ID]]),
    ("setsubtract", [["a", ID], ["b"]]),
    ("slice", [ID, 0, 1]),
    ("slice", [["a", "b"], 0, ID]),
    ("zipmap", [[ID], ["a"]]),
    ("zipmap", [["a"], ID]),
    ("range", [ID]),
    ("sum", [[1, ID]]),
    ("upper", [ID]),
    ("replace", ["a-b", "-", ID]),
    ("regex", ["a", ID]),
    ("cidrsubnet", [ID, 8, 1]),
    ("cidrhost", ["10.0.0.0/8", ID]),
    ("md5", [ID]),
    ("base64encode", [ID]),
    ("formatdate", ["YYYY", ID]),
    ("timeadd", [ID, "1h"]),
    ("chunklist", [ID, 2]),
    ("one", [ID]),
    ("tomap", [ID]),
    ("transpose", [{"a": [ID]}]),
    ("matchkeys", [["a"], [ID], ["x"]]),
])
def test_unknown_when_result_depends_on_unknowns(name, args):
    result = call(name, args, None)
    assert unknown(result)
    assert result.refs == {"aws_db_instance.main"}
    assert result.reason == ID.reason


def test_formatlist_keeps_known_elements():
    result = fn("formatlist", "%s-%s", ["a", "b"], [ID, "y"])
    assert unknown(result[0]) and result[1] == "b-y"


def test_wholly_unknown_list_not_confused_with_unknown_elements():
    assert fn("concat", [1], [ID]) == [1, ID]
    assert unknown(fn("concat", [1], ID))


@pytest.mark.parametrize("name, args, reason", [
    ("format", ["%v", None], "null argument"),  # Terraform 1.11: unknown when planning, null after apply
    ("format", ["%s|%d", "a", None], "null argument"),
    ("formatlist", ["%v", None], "null argument"),
    ("uuid", [], "uuid() returns a new value on every run"),
    ("bcrypt", ["x"], "random salt"),
    ("plantimestamp", [], "plantimestamp()"),
    ("abspath", ["x"], "abspath()"),
    ("pathexpand", ["~/x"], "home directory"),
    ("dirname", ["a/b/c"], "path separator"),
    ("basename", ["a\\b"], "operating system"),
    ("issensitive", ["x"], "sensitive"),
    ("base64gzip", ["x"], "base64gzip()"),
])
def test_functions_rdspolicy_does_not_compute_are_unknown(name, args, reason):
    result = call(name, args, None)
    assert unknown(result)
    assert reason in result.reason


def test_not_evaluated_functions_keep_refs_of_their_arguments():
    result = fn("bcrypt", ARN)
    assert unknown(result) and result.refs == {"aws_kms_key.rds"}
    assert result.nonnull  # bcrypt() never returns null


def test_timestamp_is_unknown_until_apply():
    result = fn("timestamp", ctx=FunctionContext(".", "."))
    assert result == Unknown("timestamp() is known only during apply", nonnull=True)


def test_timestamp_can_be_known_when_asked():
    result = fn("timestamp", ctx=FunctionContext(".", ".", now_unknown=False))
    assert isinstance(result, str) and result.endswith("Z") and len(result) == 20


# ------------------------------------------------------------------ files, confined to the scanned tree


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "repo"
    module = root / "modules" / "db"
    module.mkdir(parents=True)
    (module / "params.json").write_text('{"engine": "postgres"}')
    (root / "shared.txt").write_text("shared\n")
    (module / "binary.bin").write_bytes(b"\xff\xfe")
    (module / "subdir").mkdir()
    (tmp_path / "secret.txt").write_text("top secret")
    os.symlink(tmp_path / "secret.txt", module / "link-out.txt")
    os.symlink(root / "shared.txt", module / "link-in.txt")
    return FunctionContext(str(module), str(root))


def test_file_reads_relative_to_the_module(tree):
    assert fn("file", "params.json", ctx=tree) == '{"engine": "postgres"}'
    assert fn("file", "../../shared.txt", ctx=tree) == "shared\n"
    assert fn("file", os.path.join(tree.root_dir, "shared.txt"), ctx=tree) == "shared\n"
    assert fn("file", "link-in.txt", ctx=tree) == "shared\n"


def test_file_outside_the_tree_is_unknown_and_not_read(tree):
    for path in ("../../../secret.txt", "link-out.txt", os.path.join(os.path.dirname(tree.root_dir), "secret.txt")):
        result = fn("file", path, ctx=tree)
        assert unknown(result)
        assert "outside the scanned folder" in result.reason
        assert "top secret" not in result.reason


def test_file_helpers_respect_the_confinement(tree):
    for name in ("filebase64", "filemd5", "filesha256", "fileexists"):
        assert unknown(fn(name, "link-out.txt", ctx=tree))


def test_file_family(tree):
    assert fn("filebase64", "binary.bin", ctx=tree) == "//4="
    assert fn("filemd5", "../../shared.txt", ctx=tree) == fn("md5", "shared\n")
    assert fn("filesha1", "../../shared.txt", ctx=tree) == fn("sha1", "shared\n")
    assert fn("filesha256", "../../shared.txt", ctx=tree) == fn("sha256", "shared\n")
    assert fn("filesha512", "../../shared.txt", ctx=tree) == fn("sha512", "shared\n")
    assert fn("filebase64sha256", "../../shared.txt", ctx=tree) == fn("base64sha256", "shared\n")
    assert fn("filebase64sha512", "../../shared.txt", ctx=tree) == fn("base64sha512", "shared\n")
    assert fn("jsondecode", fn("file", "params.json", ctx=tree)) == {"engine": "postgres"}


def test_fileexists(tree):
    assert fn("fileexists", "params.json", ctx=tree) is True
    assert fn("fileexists", "nope.json", ctx=tree) is False
    with pytest.raises(EvalError, match="is not a regular file"):
        fn("fileexists", "subdir", ctx=tree)


def test_file_errors_and_unknowns(tree):
    with pytest.raises(EvalError, match="not valid UTF-8; use the filebase64 function"):
        fn("file", "binary.bin", ctx=tree)
    with pytest.raises(EvalError, match="is a directory"):
        fn("file", "subdir", ctx=tree)
    missing = fn("file", "missing.txt", ctx=tree)
    assert unknown(missing) and "no file exists" in missing.reason
    assert unknown(fn("file", "~/.aws/credentials", ctx=tree))
    assert unknown(fn("file", "params.json", ctx=None))
    assert unknown(fn("file", ID, ctx=tree))


def test_file_larger_than_10_mib_is_unknown(tree):
    big = os.path.join(tree.module_dir, "big.txt")
    with open(big, "wb") as handle:
        handle.truncate(10 * 1024 * 1024 + 1)  # sparse: fast
    result = fn("file", "big.txt", ctx=tree)
    assert unknown(result) and "larger than 10 MiB" in result.reason


# ------------------------------------------------------------------ RE2, templates, paths, YAML


@pytest.mark.parametrize("pattern, text", [
    ("(a+)+$", "a" * 5000 + "b"),  # catastrophic for a backtracking matcher
    ("(x+x+)+y", "x" * 5000),
    ("(a|aa)*c", "a" * 5000),
    ("(.*a){20}", "b" * 5000),
])
def test_hostile_patterns_are_matched_in_linear_time(pattern, text):
    # RE2 (Go's and Terraform's engine) never backtracks: these return at once
    assert fn("regexall", pattern, text) == []


@pytest.mark.parametrize("pattern, text, expected", [
    ("\\pL+", "12héllo34", "héllo"),
    ("(?<y>\\d{4})", "in 2024", {"y": "2024"}),
    ("(?U)a+", "aaa", "a"),
    ("[[:^digit:]]+", "12ab3", "ab"),
    ("é(.)", "xéz", ["z"]),
])
def test_re2_syntax(pattern, text, expected):
    assert fn("regex", pattern, text) == expected


@pytest.mark.parametrize("pattern, message", [
    ("a\\C", "invalid escape sequence"),  # RE2 accepts \C, Go does not
    ("(a)\\1", "invalid escape sequence"),
    ("a(?=b)", "invalid or unsupported Perl syntax"),
    ("a(?<!b)", "invalid or unsupported Perl syntax"),
    ("x{1001}", "invalid repeat count"),
])
def test_constructs_go_rejects_are_errors(pattern, message):
    with pytest.raises(EvalError) as info:
        fn("regex", pattern, "ab")
    assert message in str(info.value)


def test_replace_with_a_regex_keeps_unicode_positions():
    assert fn("replace", "héllo wörld", "/(\\w+)/", "<$1>") == "<h>é<llo> <w>ö<rld>"  # \\w is ASCII
    assert fn("replace", "aé-bé", "/é/", "e") == "ae-be"
    assert fn("replace", "ab", "/x*/", "-") == "-a-b-"


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    (root / "db" / "templates").mkdir(parents=True)
    (root / "db" / "templates" / "params.tftpl").write_text(
        "%{ for name, value in params ~}\n${name}=${value}\n%{ endfor ~}\nfamily=${family}", encoding="utf-8")
    (root / "db" / "templates" / "bare.tftpl").write_text("${port}", encoding="utf-8")
    (root / "db" / "templates" / "nested.tftpl").write_text('${templatefile("bare.tftpl", {port = 1})}',
                                                              encoding="utf-8")
    (root / "db" / "templates" / "uses_var.tftpl").write_text("${var.x}", encoding="utf-8")
    (tmp_path / "outside.tftpl").write_text("secret", encoding="utf-8")
    return root


def test_templatefile_renders_with_its_variables(repo):
    ctx = context(str(repo / "db"), str(repo))
    out = fn("templatefile", "templates/params.tftpl", {"params": {"b": 2, "a": "x"}, "family": "postgres16"}, ctx=ctx)
    assert out == "a=x\nb=2\nfamily=postgres16"
    assert fn("templatefile", "templates/bare.tftpl", {"port": 5432}, ctx=ctx) == 5432  # a lone ${} keeps its type


def test_templatefile_with_unknown_variables_is_unknown(repo):
    ctx = context(str(repo / "db"), str(repo))
    out = fn("templatefile", "templates/bare.tftpl", {"port": ARN}, ctx=ctx)
    assert unknown(out) and out.refs == {"aws_kms_key.rds"}
    assert unknown(fn("templatefile", "templates/bare.tftpl", ID, ctx=ctx))


def test_templatefile_is_confined_to_the_scanned_tree(repo):
    ctx = context(str(repo / "db"), str(repo))
    out = fn("templatefile", "../../outside.tftpl", {}, ctx=ctx)
    assert unknown(out) and "outside the scanned folder" in out.reason


@pytest.mark.parametrize("template, vars_, message", [
    ("templates/bare.tftpl", {}, 'vars map does not contain key "port"'),
    ("templates/uses_var.tftpl", {}, 'vars map does not contain key "var"'),
    ("templates/nested.tftpl", {}, "cannot call templatefile from inside a template"),
    ("templates/bare.tftpl", {"bad-name!": 1, "port": 1}, "invalid template variable name"),
    ("templates/bare.tftpl", "x", "must be a map or an object"),
])
def test_templatefile_errors(repo, template, vars_, message):
    ctx = context(str(repo / "db"), str(repo))
    with pytest.raises(EvalError) as info:
        fn("templatefile", template, vars_, ctx=ctx)
    assert message in str(info.value)


def test_templates_being_rendered_are_tracked_on_the_context(repo):
    ctx = context(str(repo / "db"), str(repo))
    with pytest.raises(EvalError, match="cannot call templatefile from inside a template rendered by templatefile"):
        fn("templatefile", "templates/nested.tftpl", {}, ctx=ctx)
    assert ctx.rendering == []  # the failed render is off the record: the next call renders
    assert fn("templatefile", "templates/bare.tftpl", {"port": 1}, ctx=ctx) == 1
    assert fn("templatestring", "${x}", {"x": 2}, ctx=ctx) == 2


def test_a_template_function_without_an_evaluator_to_render_it_is_unknown(repo):
    bare = FunctionContext(str(repo / "db"), str(repo))  # no render_template given
    for out in (fn("templatefile", "templates/bare.tftpl", {"port": 1}, ctx=bare),
                fn("templatestring", "${x}", {"x": 2}), fn("templatestring", "${x}", {"x": 2}, ctx=bare)):
        assert unknown(out) and "no expression evaluator" in out.reason


def test_the_evaluator_gives_its_context_the_template_renderer():
    from rdspolicy.evaluate.expressions import ExprEvaluator

    ctx = FunctionContext(".", ".")
    ExprEvaluator(ctx)
    assert ctx.render_template is render_template
    assert fn("templatestring", "a${x}", {"x": "b"}, ctx=ctx) == "ab"


def test_the_functions_do_not_import_the_expression_evaluator():
    import ast
    from pathlib import Path

    import rdspolicy.evaluate.functions as package

    for path in sorted(Path(package.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert "expressions" not in (node.module or ""), f"{path.name} imports {node.module}"
                assert "expressions" not in [alias.name for alias in node.names], path.name


def test_file_paths_built_from_path_module_resolve_from_the_current_folder(repo, monkeypatch):
    # rdspolicy spells path.module as the module's folder seen from where it runs
    monkeypatch.chdir(repo)
    ctx = context("db", ".")
    assert fn("templatefile", "db/templates/bare.tftpl", {"port": 1}, ctx=ctx) == 1
    assert fn("fileexists", "db/templates/bare.tftpl", ctx=ctx) is True
    assert fn("fileexists", "templates/bare.tftpl", ctx=ctx) is True  # any other: from the root module
    child = context("db/templates", ".", root_module_dir="db")
    assert fn("fileexists", "db/templates/bare.tftpl", ctx=child) is True  # built from path.root
    assert fn("fileexists", "templates/bare.tftpl", ctx=child) is True  # from the root module, as Terraform


def test_abspath_inside_the_tree_only(repo):
    ctx = FunctionContext(str(repo / "db"), str(repo))
    assert fn("abspath", "templates", ctx=ctx) == str(repo / "db" / "templates").replace(os.sep, "/")
    assert fn("abspath", str(repo / "db" / ".." / "db"), ctx=ctx) == str(repo / "db").replace(os.sep, "/")
    out = fn("abspath", "/etc/passwd", ctx=ctx)
    assert unknown(out) and "outside the scanned folder" in out.reason


def test_fileset_globs_inside_the_tree(repo):
    ctx = FunctionContext(str(repo / "db"), str(repo))
    assert fn("fileset", "templates", "*.tftpl", ctx=ctx) == ["bare.tftpl", "nested.tftpl", "params.tftpl",
                                                              "uses_var.tftpl"]
    assert fn("fileset", ".", "**/{bare,params}.*", ctx=ctx) == ["templates/bare.tftpl", "templates/params.tftpl"]
    assert fn("fileset", ".", "templates/[bn]*", ctx=ctx) == ["templates/bare.tftpl", "templates/nested.tftpl"]
    assert unknown(fn("fileset", "../..", "*", ctx=ctx))


@pytest.mark.parametrize("text, expected", [
    ("yes", True), ("on", True), ("N", False), ("tRUE", "tRUE"), ("~", None), ("017", 17), ("0o17", 15),
    ("0x1F", 31), ("0X1F", "0X1F"), ("1_000", "1_000"), ("1e3", 1000), ("-.5", -0.5), ("'yes'", "yes"),
    ("2001-12-14", "2001-12-14T00:00:00Z"), ("2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43-05:00"),
    ("2001-12-14 21:59:43.10", "2001-12-14T21:59:43Z"), ("1:30", "1:30"), ("!!str 123", "123"),
    ("a: &x {p: 1}\nb:\n  <<: *x\n  q: 2\n", {"a": {"p": 1}, "b": {"p": 1, "q": 2}}),
    ("1: one\ntrue: t\n", {"1": "one", "true": "t"}),
])
def test_yamldecode_resolves_scalars_as_terraform(text, expected):
    assert fn("yamldecode", text) == expected


def test_yamldecode_of_an_alias_bomb_is_unknown_not_a_hang():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    assert unknown(fn("yamldecode", bomb))


@pytest.mark.parametrize("text", ["", "a: [", "a: 1\n---\nb: 2\n", ".nan"])
def test_yamldecode_errors(text):
    with pytest.raises(EvalError):
        fn("yamldecode", text)


@pytest.mark.parametrize("value, expected", [
    ({"b": "x", "a": [1, 2]}, '"a":\n- 1\n- 2\n"b": "x"\n'),
    ([{"k": "p\nq"}], '- "k": |-\n    p\n    q\n'),
    ("line\n", "|\n  line\n"),
    (1.5, "1.5\n...\n"),
    ({}, "{}\n"),
])
def test_yamlencode_writes_terraforms_layout(value, expected):
    assert fn("yamlencode", value) == expected


def test_text_encodings():
    assert fn("textencodebase64", "hi", "UTF-16LE") == "aABpAA=="
    assert fn("textdecodebase64", "aABpAA==", "UTF-16LE") == "hi"
    assert unknown(fn("textencodebase64", "hi", "EBCDIC-exotic"))
    with pytest.raises(EvalError):
        fn("textencodebase64", "é", "US-ASCII")


def test_a_function_rdspolicy_does_not_compute_names_itself_in_the_reason():
    from rdspolicy.evaluate.functions.not_computed import NOT_COMPUTED

    for name, (fewest, _most, _reason) in NOT_COMPUTED.items():
        result = call(name, ["x"] * fewest, None)
        assert unknown(result) and f"{name}()" in result.reason
