"""Tests of yamldecode and yamlencode (rdspolicy.evaluate.functions.yaml)."""

from __future__ import annotations

import sys

import pytest

from rdspolicy.evaluate.values import EvalError

from function_checks import fn, unknown


def test_yamldecode_without_pyyaml_is_unknown_not_an_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "yaml", None)  # makes "import yaml" fail
    result = fn("yamldecode", "a: 1")
    assert unknown(result) and "PyYAML" in result.reason


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
