"""Tests of the function table (rdspolicy.evaluate.functions.registry): registration, calls,
arity and null checks, unknown propagation."""

from __future__ import annotations

import pytest

from rdspolicy.evaluate.functions import FUNCTIONS, call
from rdspolicy.evaluate.values import EvalError

from function_checks import ARN, ID, MAYBE, fn, unknown


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


def test_function_failures_name_the_function():
    with pytest.raises(EvalError, match=r'^Call to function "index" failed: item not found$'):
        fn("index", ["a"], "b")


def test_argument_errors_use_terraform_wording():
    with pytest.raises(EvalError, match=r'^Invalid function argument: invalid value for "list" parameter: '):
        fn("sort", [["a"]])


def test_default_propagation_keeps_reasons_and_refs():
    result = fn("join", ",", ["a", ID, ARN])
    assert unknown(result)
    assert result.refs == {"aws_db_instance.main", "aws_kms_key.rds"}
    assert ID.reason in result.reason and ARN.reason in result.reason


def test_unknown_result_of_non_null_function_is_certainly_set():
    assert fn("upper", MAYBE).nonnull is True
    assert fn("lookup", MAYBE, "k").nonnull is False
    assert fn("element", [1], MAYBE).nonnull is False


def test_the_functions_do_not_import_the_expression_evaluator():
    import ast
    from pathlib import Path

    import rdspolicy.evaluate.functions as package

    for path in sorted(Path(package.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert "expressions" not in (node.module or ""), f"{path.name} imports {node.module}"
                assert "expressions" not in [alias.name for alias in node.names], path.name
