"""Tests of format and formatlist (rdspolicy.evaluate.functions.formatting)."""

from __future__ import annotations

from function_checks import (
    ID, errors, fn, known_despite_unknowns, known_results, not_computed_reasons, unknown, unknown_when_depending,
)


KNOWN = [
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
    ("format", ["%v", 1000000], "1e+06"),  # Go's %g,
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
]
test_known_results = known_results(KNOWN)


ERRORS = [
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
]
test_errors = errors(ERRORS)


KNOWN_DESPITE_UNKNOWNS = [
    ("formatlist", ["%s!", ["a", "b"]], ["a!", "b!"]),
]
test_known_despite_unknowns = known_despite_unknowns(KNOWN_DESPITE_UNKNOWNS)


UNKNOWN_WHEN_DEPENDING = [
    ("format", ["%s", ID]),
    ("format", [ID, "x"]),
    ("format", ["%s %s", "a", [ID]]),
    ("formatlist", ["%s", ID]),
]
test_unknown_when_result_depends_on_unknowns = unknown_when_depending(UNKNOWN_WHEN_DEPENDING)


NOT_COMPUTED_REASONS = [
    ("format", ["%v", None], "null argument"),  # Terraform 1.11: unknown when planning, null after apply
    ("format", ["%s|%d", "a", None], "null argument"),
    ("formatlist", ["%v", None], "null argument"),
]
test_functions_rdspolicy_does_not_compute_are_unknown = not_computed_reasons(NOT_COMPUTED_REASONS)


def test_formatlist_keeps_known_elements():
    result = fn("formatlist", "%s-%s", ["a", "b"], [ID, "y"])
    assert unknown(result[0]) and result[1] == "b-y"
