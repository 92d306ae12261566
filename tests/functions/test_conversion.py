"""Tests of the type conversion functions (rdspolicy.evaluate.functions.conversion)."""

from __future__ import annotations

from function_checks import ID, errors, known_despite_unknowns, known_results, unknown_when_depending


KNOWN = [
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
]
test_known_results = known_results(KNOWN)


ERRORS = [
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
]
test_errors = errors(ERRORS)


KNOWN_DESPITE_UNKNOWNS = [
    ("tolist", [[ID, "a"]], [ID, "a"]),
    ("tomap", [{"a": ID, "b": "x"}], {"a": ID, "b": "x"}),
    ("toset", [[ID]], [ID]),
    ("tostring", [ID], ID),
    ("tonumber", [ID], ID),
    ("sensitive", [ID], ID),
]
test_known_despite_unknowns = known_despite_unknowns(KNOWN_DESPITE_UNKNOWNS)


UNKNOWN_WHEN_DEPENDING = [
    ("toset", [["a", ID]]),  # duplicates unknowable
    ("tomap", [ID]),
]
test_unknown_when_result_depends_on_unknowns = unknown_when_depending(UNKNOWN_WHEN_DEPENDING)
