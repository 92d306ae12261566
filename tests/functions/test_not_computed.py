"""Tests of the functions rdspolicy does not compute (rdspolicy.evaluate.functions.not_computed)."""

from __future__ import annotations

from rdspolicy.evaluate.functions import call

from function_checks import ARN, fn, not_computed_reasons, unknown


NOT_COMPUTED_REASONS = [
    ("uuid", [], "uuid() returns a new value on every run"),
    ("bcrypt", ["x"], "random salt"),
    ("plantimestamp", [], "plantimestamp()"),
    ("issensitive", ["x"], "sensitive"),
    ("base64gzip", ["x"], "base64gzip()"),
]
test_functions_rdspolicy_does_not_compute_are_unknown = not_computed_reasons(NOT_COMPUTED_REASONS)


def test_not_evaluated_functions_keep_refs_of_their_arguments():
    result = fn("bcrypt", ARN)
    assert unknown(result) and result.refs == {"aws_kms_key.rds"}
    assert result.nonnull  # bcrypt() never returns null


def test_a_function_rdspolicy_does_not_compute_names_itself_in_the_reason():
    from rdspolicy.evaluate.functions.not_computed import NOT_COMPUTED

    for name, (fewest, _most, _reason) in NOT_COMPUTED.items():
        result = call(name, ["x"] * fewest, None)
        assert unknown(result) and f"{name}()" in result.reason
