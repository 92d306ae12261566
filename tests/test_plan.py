"""Terraform plan JSON (``terraform show -json``) as an input.  fixtures/plan-json holds a
configuration (a marked fixture, checked through HCL by test_fixtures) and plan.json,
its plan in production, written by hand in Terraform 1.9's format (terraform plan needs
the AWS provider, which the tests cannot download)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rdspolicy.cli import run as cli_run
from rdspolicy import testing
from rdspolicy.plugins import load_rules

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "plan-json"


@pytest.fixture(scope="module")
def rules():
    return load_rules().rules


def report_of(path: Path, rules, **options):
    return testing.check(path, rules, allow_errors=True, **options).report


def findings(report, with_place: bool = True) -> list[tuple]:
    return sorted(
        (f.rule, f.status, f.severity, f.resource, f.environment) + ((Path(f.file).resolve(), f.line)
                                                                      if with_place else ())
        for f in report.findings)


def test_plan_and_hcl_agree(rules):
    hcl = report_of(FIXTURE, rules)
    plan = report_of(FIXTURE / "plan.json", rules)
    assert not plan.diagnostics and not hcl.diagnostics
    assert [(e.name, e.production, e.resources) for e in plan.environments] == [("production", True, 7)]
    assert [e.resources for e in hcl.environments] == [7]
    assert findings(plan) == findings(hcl)
    # the fixture's marks are written for the seven core rules: nine of those; the
    # rules from RDS008 on find more in the same resources, and the routes agree on them too
    assert len([f for f in findings(plan) if f[0] <= "RDS007"]) == 9
    assert len(findings(plan)) > 9
    assert plan.passed == hcl.passed


def test_plan_without_its_configuration_points_at_the_plan(tmp_path, rules):
    shutil.copy(FIXTURE / "plan.json", tmp_path / "plan.json")
    hcl = report_of(FIXTURE, rules)
    plan = report_of(tmp_path / "plan.json", rules)
    assert findings(plan, with_place=False) == findings(hcl, with_place=False)
    assert {(Path(f.file).name, f.line) for f in plan.findings} == {("plan.json", 1)}


def _edited_plan(tmp_path: Path, edit) -> Path:
    data = json.loads((FIXTURE / "plan.json").read_text())
    edit(data)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data))
    return path


def test_after_unknown_makes_a_value_unknown(tmp_path, rules):
    address = 'module.db["orders"].aws_db_instance.this'

    def edit(data):
        for change in data["resource_changes"]:
            if change["address"] == address:
                change["change"]["after_unknown"]["storage_encrypted"] = True
        for module in data["planned_values"]["root_module"]["child_modules"]:
            for resource in module["resources"]:
                if resource["address"] == address:
                    del resource["values"]["storage_encrypted"]
        data["configuration"]["root_module"]["module_calls"]["db"]["module"]["resources"][1]["expressions"][
            "storage_encrypted"] = {"references": ["var.encrypted"]}

    report = report_of(_edited_plan(tmp_path, edit), rules)
    found = [f for f in report.findings if f.rule == "RDS001" and f.resource == address]
    assert [(f.status, f.line) for f in found] == [("unknown", 1)]
    assert "known after apply" in found[0].message


def test_environment_from_option_variables_or_default(tmp_path, rules):
    named = report_of(FIXTURE / "plan.json", rules, environment="prod-eu")
    assert [e.name for e in named.environments] == ["prod-eu"]

    def drop(data):
        del data["variables"]

    plain = report_of(_edited_plan(tmp_path, drop), rules)
    assert [(e.name, e.production) for e in plain.environments] == [("default", False)]
    assert not [f for f in plain.findings if f.rule in ("RDS003", "RDS004")]  # production-only rules


def test_unreadable_plan_is_a_usage_error(tmp_path, capsys):
    bad = tmp_path / "plan.json"
    bad.write_text('{"resource_changes": [')
    assert cli_run(["check", str(bad)]) == 2
    assert "cannot read the plan JSON" in capsys.readouterr().out
    bad.write_text('{"values": {}}')
    assert cli_run(["check", str(bad)]) == 2
    assert "not a Terraform plan" in capsys.readouterr().out


@pytest.mark.parametrize("text", [
    '{"format_version": "1.2", "planned_values": [], "resource_changes": 5}',
    '{"format_version": "1.2", "planned_values": {"root_module": {"resources": [7]}}, "configuration": []}',
    '{"format_version": "1.2", "planned_values": {"root_module": {"child_modules": {"a": 1}}}}',
])
def test_a_plan_of_the_wrong_shape_is_an_error_not_a_crash(tmp_path, text, rules):
    path = tmp_path / "plan.json"
    path.write_text(text)
    report = report_of(path, rules)
    assert [d.code for d in report.diagnostics] == ["invalid-plan"]
