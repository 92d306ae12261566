"""rdspolicy.testing, the helper rule-pack authors test their rules with."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from rdspolicy.rule import Param, Rule, fail, passed
from rdspolicy.testing import Result, RunError, Verdict, check, check_hcl


def _needs_tag(resource, ctx):
    tags = resource.attr("tags")
    wanted = ctx.params["wanted_tag"]
    if tags.known and isinstance(tags.value, dict) and wanted in tags.value:
        yield passed(at=tags)
    else:
        yield fail(f"no {wanted} tag", at=tags)


TAGGED = Rule(
    id="TST001", name="tagged", severity="low", summary="a database carries a tag",
    rationale="for the tests of rdspolicy.testing",
    noncompliant='resource "aws_db_instance" "db" {\n  tags = {}\n}\n',
    compliant='resource "aws_db_instance" "db" {\n  tags = { Project = "x" }\n}\n',
    resource_types=("aws_db_instance",), check=_needs_tag,
    parameters=(Param("wanted_tag", "Project", "the tag", str),),
)

DB = """\
variable "environment" {
  default = "dev"
}

resource "aws_db_instance" "db" {
  engine = "postgres"
  tags   = %s
}
"""


def test_verdicts_name_rule_status_resource_environment_file_line_and_message():
    result = check_hcl(DB % '{ Owner = "x" }', TAGGED)
    assert isinstance(result, Result)
    assert result.verdicts == [
        Verdict("TST001", "fail", "aws_db_instance.db", "dev", "main.tf", 7, "no Project tag", "low")]
    assert result.findings == result.verdicts
    assert result.diagnostics == []


def test_passes_are_verdicts_but_not_findings():
    result = check_hcl(DB % '{ Project = "x" }', [TAGGED])
    assert [(v.status, v.line, v.severity) for v in result.verdicts] == [("pass", 7, None)]
    assert result.findings == []


def test_config_sets_parameters_severity_and_enabled_as_a_rule_block_does():
    result = check_hcl(DB % '{ Project = "x" }', TAGGED, config={"tagged": {"wanted_tag": "Owner",
                                                                              "severity": "high"}})
    assert [(v.message, v.severity) for v in result.findings] == [("no Owner tag", "high")]
    assert check_hcl(DB % "{}", TAGGED, config={"TST001": {"enabled": False}}).verdicts == []


@pytest.mark.parametrize("config, words", [
    ({"TST001": {"colour": "red"}}, "unknown setting for TST001"),
    ({"TST001": {"wanted_tag": 3}}, "wanted_tag"),
    ({"TST999": {"enabled": True}}, "no such rule"),
])
def test_a_configuration_the_rules_do_not_take_is_a_value_error(config, words):
    with pytest.raises(ValueError, match=words):
        check_hcl(DB % "{}", TAGGED, config=config)


def test_an_input_error_raises_unless_allowed():
    broken = 'resource "aws_db_instance" "db" {\n'
    with pytest.raises(RunError, match=r"main\.tf:1:1: unclosed block"):
        check_hcl(broken, TAGGED)
    result = check_hcl(broken, TAGGED, allow_errors=True)
    assert [d.code for d in result.diagnostics] == ["parse-error"]
    assert result.verdicts == []


def test_environment_files_and_var_files():
    files = {"main.tf": DB % "{}", "envs/prod.tfvars": 'environment = "production"\n',
             "envs/test.tfvars": 'environment = "test"\n'}
    assert [v.environment for v in check_hcl(files, TAGGED).verdicts] == ["production", "test"]
    one = check_hcl(files, TAGGED, var_files=["envs/prod.tfvars"], environment="prod-eu")
    assert [v.environment for v in one.verdicts] == ["prod-eu"]


def test_suppressed_findings_are_apart():
    text = (DB % "{}").replace("tags   = {}", 'tags   = {}  # rdspolicy:ignore TST001 reason="test"')
    result = check_hcl(text, TAGGED)
    assert result.verdicts == []
    assert [(v.rule, v.status) for v in result.suppressed] == [("TST001", "fail")]


def test_the_caller_tf_var_values_are_not_read(monkeypatch):
    monkeypatch.setenv("TF_VAR_environment", "production")
    assert [v.environment for v in check_hcl(DB % "{}", TAGGED).verdicts] == ["dev"]


def test_check_reads_a_folder_as_the_command_does(tmp_path, monkeypatch):
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "main.tf").write_text(DB % "{}")
    monkeypatch.chdir(tmp_path)
    result = check("db", TAGGED)
    assert [(v.file, v.line) for v in result.verdicts] == [("db/main.tf", 7)]
    assert [e.module for e in result.report.environments] == ["db"]


def test_the_rule_documented_examples_are_true():
    assert check_hcl(TAGGED.noncompliant, TAGGED).findings
    assert check_hcl(TAGGED.compliant, TAGGED).findings == []


def test_a_path_outside_the_folder_is_refused():
    with pytest.raises(ValueError, match="relative to the module folder"):
        check_hcl({"../escape.tf": ""}, TAGGED)


def test_importing_it_does_not_import_pytest():
    code = "import sys, rdspolicy.testing; print('pytest' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_an_opt_in_rule_given_runs_unless_turned_off():
    opt_in = dataclasses.replace(TAGGED, enabled=False)
    assert [v.status for v in check_hcl(DB % "{}", opt_in).verdicts] == ["fail"]
    assert check_hcl(DB % "{}", opt_in, config={"TST001": {"enabled": False}}).verdicts == []
