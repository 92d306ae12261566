"""Tests of the regular expression functions (RE2) (rdspolicy.evaluate.functions.regex)."""

from __future__ import annotations

import pytest

from rdspolicy.evaluate.values import EvalError

from function_checks import ID, errors, fn, known_results, unknown_when_depending


KNOWN = [
    ("replace", ["1 + 2 + 3", "+", "-"], "1 - 2 - 3"),
    ("replace", ["hello world", "/w.*d/", "everybody"], "hello everybody"),
    ("replace", ["hello world", "/w(or)ld/", "$1 ${1}x $1x $$"], "hello or orx  $"),
    ("replace", ["abc", "/(?P<first>a)/", "[${first}]"], "[a]bc"),
    ("replace", ["aaa", "/a/", "$0$0"], "aaaaaa"),
    ("replace", ["baaa", "/a*/", "-"], "-b-"),  # Go skips an empty match right after a match
    ("replace", ["abc", "/x*/", "-"], "-a-b-c-"),
    ("replace", ["a/b", "/", "-"], "a-b"),  # a lone "/" is not a pattern,
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
]
test_known_results = known_results(KNOWN)


ERRORS = [
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
]
test_errors = errors(ERRORS)


UNKNOWN_WHEN_DEPENDING = [
    ("replace", ["a-b", "-", ID]),
    ("regex", ["a", ID]),
]
test_unknown_when_result_depends_on_unknowns = unknown_when_depending(UNKNOWN_WHEN_DEPENDING)


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
