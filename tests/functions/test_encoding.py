"""Tests of the encoding functions (rdspolicy.evaluate.functions.encoding)."""

from __future__ import annotations

import pytest

from rdspolicy.evaluate.values import EvalError

from function_checks import ID, errors, fn, known_results, unknown, unknown_when_depending


KNOWN = [
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
]
test_known_results = known_results(KNOWN)


ERRORS = [
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
]
test_errors = errors(ERRORS)


UNKNOWN_WHEN_DEPENDING = [
    ("jsonencode", [{"a": ID}]),
    ("base64encode", [ID]),
]
test_unknown_when_result_depends_on_unknowns = unknown_when_depending(UNKNOWN_WHEN_DEPENDING)


def test_text_encodings():
    assert fn("textencodebase64", "hi", "UTF-16LE") == "aABpAA=="
    assert fn("textdecodebase64", "aABpAA==", "UTF-16LE") == "hi"
    assert unknown(fn("textencodebase64", "hi", "EBCDIC-exotic"))
    with pytest.raises(EvalError):
        fn("textencodebase64", "é", "US-ASCII")
