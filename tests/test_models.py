"""The models rdspolicy builds without validation (models.construct) are the objects
pydantic's validation makes of the same values."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from rdspolicy import cli, models, pipeline

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = [ROOT / "fixtures" / "pacs"] + sorted(
    p for p in (ROOT / "fixtures").iterdir() if p.is_dir() and p.name in ("security-group-scope", "egress-not-open", "ssl-connections-required",
                                                        "module-patterns", "rds-fleet"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    made: list[models.Resource] = []

    def recording(instance, environment):
        model = models.build_model(instance, environment)
        made.append(model)
        return model

    patch = pytest.MonkeyPatch()
    patch.setattr(pipeline, "build_model", recording)
    try:
        out = tmp_path_factory.mktemp("out") / "report.json"
        for folder in FOLDERS:
            cli.run(["check", "--no-cache", "--format", "json", "-o", str(out), str(folder)])
    finally:
        patch.undo()
    return made


def _validated(model: BaseModel) -> BaseModel:
    """The same model made by validation, nested models included."""
    values = {}
    for name in model.model_fields_set:
        values[name] = _copy(getattr(model, name))
    return type(model)(**values)


def _copy(value):
    if isinstance(value, BaseModel):
        return _validated(value)
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


def _same(made: BaseModel, validated: BaseModel) -> None:
    assert type(made) is type(validated)
    assert made == validated
    assert made.model_fields_set == validated.model_fields_set
    assert list(made.__dict__) == list(validated.__dict__)  # field order, as pydantic keeps it
    assert made.model_dump() == validated.model_dump()


def test_built_models_equal_validated_ones(built):
    kinds = {type(m) for m in built}
    assert len(built) > 50 and len(kinds) >= 6
    for model in built:
        _same(model, _validated(model))


def test_derived_models_equal_validated_ones(built):
    rules = [r for m in built if isinstance(m, models.SecurityGroup) for r in m.ingress + m.egress]
    rules += [m.rule() for m in built if hasattr(m, "rule")]
    parameters = [p for m in built if hasattr(m, "parameters") for p in m.parameters]
    assert rules and parameters
    for model in rules + parameters:
        _same(model, _validated(model))


def test_construct_gives_each_instance_its_own_mutable_defaults():
    location = models.Location.of("m.tf", models.Pos(1, 1, 1, 2))
    first = models.construct(models.Block, type="ingress", location=location)
    second = models.construct(models.Block, type="ingress", location=location)
    assert first.attrs == {} and first.attrs is not second.attrs and first.blocks is not second.blocks
    assert first == models.Block(type="ingress", location=location)
    assert first.model_fields_set == {"type", "location"}


def test_engine_findings_and_passes_equal_validated_ones(built):
    from rdspolicy.checks import run_rules
    from rdspolicy.plugins import load_rules

    passes: list = []
    findings, _, errors = run_rules(load_rules().rules, built, "production", True, "m", passes=passes)
    assert findings and passes and not errors
    for made in findings + passes:
        _same(made, _validated(made))


def test_engine_validates_what_a_third_party_rule_gets_wrong():
    """Values of other types than the built-in rules give are validated, as pydantic
    always did: a bad severity is an error, a line given as a float is coerced."""
    from pydantic import ValidationError

    from rdspolicy import checks
    from rdspolicy.findings import Finding, PassedCheck

    good = {"rule": "X001", "name": "x", "severity": "high", "status": "fail", "resource": "a.b",
            "environment": "e", "module": "m", "file": "f.tf", "line": 1, "column": 2, "end_line": 3,
            "end_column": 4, "message": "m"}
    _same(checks._finding(dict(good)), Finding(**good))
    for bad in ({"severity": "urgent"}, {"status": "pass"}, {"message": 5}, {"line": "x"}):
        with pytest.raises(ValidationError):
            checks._finding({**good, **bad})
    coerced = checks._finding({**good, "line": 7.0, "severity": "low"})
    assert type(coerced.line) is int and coerced.line == 7
    passed = {"rule": "X001", "resource": "a.b", "environment": "e", "module": "m", "file": "f.tf", "line": 1}
    _same(checks._passed(dict(passed)), PassedCheck(**passed))
    with pytest.raises(ValidationError):
        checks._passed({**passed, "line": "one"})


def test_pipeline_environment_infos_equal_validated_ones():
    from rdspolicy.plugins import load_rules
    from rdspolicy.testing import check

    rules = load_rules().rules
    made = []
    for folder in FOLDERS:
        made += check(folder, rules, allow_errors=True).report.environments
    assert len(made) > len(FOLDERS)
    for model in made:
        _same(model, _validated(model))


def test_engine_honours_a_rule_subclass_run_and_reports_a_crash(built):
    """run_rules calls a rule's check directly only when its class keeps Rule.run."""
    from dataclasses import dataclass

    from rdspolicy.checks import run_rules
    from rdspolicy.rule import Rule, fail

    def check(resource, ctx):
        yield fail("from check", resource.location)

    def crash(resource, ctx):
        raise RuntimeError("boom")

    @dataclass(frozen=True)
    class Twice(Rule):
        def run(self, resource, ctx):
            yield from self.check(resource, ctx)
            yield from self.check(resource, ctx)

    common = dict(severity="low", summary="s", rationale="r", noncompliant="x", compliant="y",
                  resource_types=("aws_db_instance",))
    plain = Rule(id="TST001", name="plain", check=check, **common)
    twice = Twice(id="TST002", name="twice", check=check, **common)
    broken = Rule(id="TST003", name="broken", check=crash, **common)
    databases = [m for m in built if m.type == "aws_db_instance"]
    findings, _, errors = run_rules([plain, twice, broken], databases, "production", True, "m")
    counts = {rule: sum(f.rule == rule for f in findings) for rule in ("TST001", "TST002")}
    assert counts == {"TST001": len(databases), "TST002": 2 * len(databases)}
    assert len(errors) == len(databases) and "crashed" in errors[0].message and "RuntimeError: boom" in errors[0].message
