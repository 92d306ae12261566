"""Tests of the numeric functions (rdspolicy.evaluate.functions.numbers)."""

from __future__ import annotations

from function_checks import errors, known_results


KNOWN = [
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
]
test_known_results = known_results(KNOWN)


ERRORS = [
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
]
test_errors = errors(ERRORS)
