"""What the tests of every function family share: the unknown values they pass, a call
helper, and the table-driven checks each family's test module makes from its tables
(``test_known_results = known_results(KNOWN)``).

Expected values come from Terraform's documentation and the cty test suite where those
give one; the unknown cases check the product rule: unknown only when the result
depends on the unknowns, known whenever it does not.
"""

from __future__ import annotations

import pytest

from rdspolicy.evaluate.expressions import render_template
from rdspolicy.evaluate.functions import FunctionContext, call
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


def _ids(cases):
    return [f"{case[0]}-{i}" for i, case in enumerate(cases)]


def known_results(cases):
    """(name, args, expected): the call gives ``expected``, of the same type."""

    @pytest.mark.parametrize("name, args, expected", cases, ids=_ids(cases))
    def test_known_results(name, args, expected):
        result = call(name, args, None)
        assert result == expected
        assert type(result) is type(expected) or all(isinstance(v, list) for v in (result, expected)) or all(
            isinstance(v, dict) for v in (result, expected))  # "1" is not 1, True is not 1

    return test_known_results


def errors(cases):
    """(name, args, message): the call is an error whose text contains ``message``."""

    @pytest.mark.parametrize("name, args, message", cases, ids=_ids(cases))
    def test_errors(name, args, message):
        with pytest.raises(EvalError) as info:
            call(name, args, None)
        assert message in str(info.value)

    return test_errors


def known_despite_unknowns(cases):
    """(name, args, expected): unknowns among the arguments, and still a known result (or
    the unknown element itself, passed through)."""

    @pytest.mark.parametrize("name, args, expected", cases)
    def test_known_despite_unknowns(name, args, expected):
        result = call(name, args, None)
        if isinstance(expected, Unknown):
            assert result is expected  # the unknown element itself, passed through
        else:
            assert not unknown(result)
            assert result == expected

    return test_known_despite_unknowns


def unknown_when_depending(cases):
    """(name, args): the result depends on ``ID``, so it is unknown with ID's reason and
    resource."""

    @pytest.mark.parametrize("name, args", cases)
    def test_unknown_when_result_depends_on_unknowns(name, args):
        result = call(name, args, None)
        assert unknown(result)
        assert result.refs == {"aws_db_instance.main"}
        assert result.reason == ID.reason

    return test_unknown_when_result_depends_on_unknowns


def not_computed_reasons(cases):
    """(name, args, reason): a call rdspolicy does not compute is unknown, saying why."""

    @pytest.mark.parametrize("name, args, reason", cases)
    def test_functions_rdspolicy_does_not_compute_are_unknown(name, args, reason):
        result = call(name, args, None)
        assert unknown(result)
        assert reason in result.reason

    return test_functions_rdspolicy_does_not_compute_are_unknown
