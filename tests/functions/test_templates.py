"""Tests of templatefile and templatestring (rdspolicy.evaluate.functions.templates)."""

from __future__ import annotations

import pytest

from rdspolicy.evaluate.expressions import render_template
from rdspolicy.evaluate.functions import FunctionContext
from rdspolicy.evaluate.values import EvalError

from function_checks import ARN, ID, context, fn, unknown


def test_templatefile_renders_with_its_variables(repo):
    ctx = context(str(repo / "db"), str(repo))
    out = fn("templatefile", "templates/params.tftpl", {"params": {"b": 2, "a": "x"}, "family": "postgres16"}, ctx=ctx)
    assert out == "a=x\nb=2\nfamily=postgres16"
    assert fn("templatefile", "templates/bare.tftpl", {"port": 5432}, ctx=ctx) == 5432  # a lone ${} keeps its type


def test_templatefile_with_unknown_variables_is_unknown(repo):
    ctx = context(str(repo / "db"), str(repo))
    out = fn("templatefile", "templates/bare.tftpl", {"port": ARN}, ctx=ctx)
    assert unknown(out) and out.refs == {"aws_kms_key.rds"}
    assert unknown(fn("templatefile", "templates/bare.tftpl", ID, ctx=ctx))


def test_templatefile_is_confined_to_the_scanned_tree(repo):
    ctx = context(str(repo / "db"), str(repo))
    out = fn("templatefile", "../../outside.tftpl", {}, ctx=ctx)
    assert unknown(out) and "outside the scanned folder" in out.reason


@pytest.mark.parametrize("template, vars_, message", [
    ("templates/bare.tftpl", {}, 'vars map does not contain key "port"'),
    ("templates/uses_var.tftpl", {}, 'vars map does not contain key "var"'),
    ("templates/nested.tftpl", {}, "cannot call templatefile from inside a template"),
    ("templates/bare.tftpl", {"bad-name!": 1, "port": 1}, "invalid template variable name"),
    ("templates/bare.tftpl", "x", "must be a map or an object"),
])
def test_templatefile_errors(repo, template, vars_, message):
    ctx = context(str(repo / "db"), str(repo))
    with pytest.raises(EvalError) as info:
        fn("templatefile", template, vars_, ctx=ctx)
    assert message in str(info.value)


def test_templates_being_rendered_are_tracked_on_the_context(repo):
    ctx = context(str(repo / "db"), str(repo))
    with pytest.raises(EvalError, match="cannot call templatefile from inside a template rendered by templatefile"):
        fn("templatefile", "templates/nested.tftpl", {}, ctx=ctx)
    assert ctx.rendering == []  # the failed render is off the record: the next call renders
    assert fn("templatefile", "templates/bare.tftpl", {"port": 1}, ctx=ctx) == 1
    assert fn("templatestring", "${x}", {"x": 2}, ctx=ctx) == 2


def test_a_template_function_without_an_evaluator_to_render_it_is_unknown(repo):
    bare = FunctionContext(str(repo / "db"), str(repo))  # no render_template given
    for out in (fn("templatefile", "templates/bare.tftpl", {"port": 1}, ctx=bare),
                fn("templatestring", "${x}", {"x": 2}), fn("templatestring", "${x}", {"x": 2}, ctx=bare)):
        assert unknown(out) and "no expression evaluator" in out.reason


def test_the_evaluator_gives_its_context_the_template_renderer():
    from rdspolicy.evaluate.expressions import ExprEvaluator

    ctx = FunctionContext(".", ".")
    ExprEvaluator(ctx)
    assert ctx.render_template is render_template
    assert fn("templatestring", "a${x}", {"x": "b"}, ctx=ctx) == "ab"
