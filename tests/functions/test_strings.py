"""Tests of the string functions (rdspolicy.evaluate.functions.strings)."""

from __future__ import annotations

from function_checks import ID, errors, known_results, unknown_when_depending


KNOWN = [
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
]
test_known_results = known_results(KNOWN)


ERRORS = [
    ("upper", [[1]], 'invalid value for "str" parameter: string required'),
    ("indent", [-1, "x"], "must not be negative"),
    ("join", [","], "at least one list is required"),
    ("join", [",", ["a", None]], "element 1 is null; cannot concatenate null values"),
    ("join", [",", "a"], "list of string required"),
    ("substr", ["abc", 1.5, 1], "whole number"),
]
test_errors = errors(ERRORS)


UNKNOWN_WHEN_DEPENDING = [
    ("join", [",", ["a", ID]]),
    ("upper", [ID]),
]
test_unknown_when_result_depends_on_unknowns = unknown_when_depending(UNKNOWN_WHEN_DEPENDING)
