"""The command line, end to end: exit statuses, error messages, output formats,
environments and variable precedence, discovery, and the other commands.

Most tests call :func:`rdspolicy.cli.run` in-process (fast); a few run the installed
``rdspolicy`` console script in a subprocess.  Every run is checked for tracebacks.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import rdspolicy
from rdspolicy import cli
from samples import CLEAN, EXTRAS, KEY_ARN, SINGLE_AZ, UNENCRYPTED, write

# RDS001's verdict depends on a variable that has no value: unknown.
UNKNOWN_ENCRYPTION = f"""
variable "encrypted" {{
  type = bool
}}

resource "aws_db_instance" "db" {{
  engine            = "postgres"
  engine_version    = "16.3"
  storage_encrypted = var.encrypted
  kms_key_id        = "{KEY_ARN}"
{EXTRAS}"""

# backup_retention_period comes from var.retention (default 7): 0 is an RDS005 finding.
RETENTION = f"""
variable "retention" {{
  type    = number
  default = 7
}}

resource "aws_db_instance" "db" {{
  engine                  = "postgres"
  engine_version          = "16.3"
  storage_encrypted       = true
  kms_key_id              = "{KEY_ARN}"
  multi_az                = true
  deletion_protection     = true
  backup_retention_period = var.retention
{EXTRAS}"""

# The environment's name is the value of var.environment.
ENV_VARIABLE = """
variable "environment" {
  type    = string
  default = "from-default"
}
"""

FINDING_FIELDS = {"rule", "name", "severity", "status", "resource", "environment", "file", "line",
                  "column", "message"}


def console_script() -> str:
    script = Path(sys.executable).with_name("rdspolicy")
    assert script.exists(), f"the rdspolicy console script is not installed next to {sys.executable}"
    return str(script)


# ---------------------------------------------------------------- exit statuses


def test_clean_module_exits_0(work, rds):
    write(work, {"db/main.tf": CLEAN})
    result = rds("check", "db")
    assert result.code == 0, result
    assert result.out.splitlines()[-1].startswith("0 failing, 0 unknown")
    assert result.err == ""


def test_failing_finding_exits_1_with_a_located_text_line(work, rds):
    write(work, {"db/main.tf": UNENCRYPTED})
    result = rds("check", "db")
    assert result.code == 1, result
    lines = [l for l in result.out.splitlines() if ": RDS001 [" in l]
    assert len(lines) == 1, result.out
    assert re.fullmatch(
        r"db/main\.tf:4:3: RDS001 \[high\] aws_db_instance\.db \[default\]: "
        r".*storage_encrypted = false.*",
        lines[0],
    ), lines[0]
    assert "1 failing" in result.out.splitlines()[-1]
    assert "\x1b[" not in result.out  # no colour when not on a terminal


def test_color_only_when_asked_or_on_a_terminal(work, rds):
    write(work, {"db/main.tf": UNENCRYPTED})
    assert "\x1b[" in rds("check", "--color", "db").out
    assert "\x1b[" not in rds("check", "--no-color", "db").out


@pytest.mark.parametrize(
    "content, line, column, words",
    [
        # an unclosed string: the position of its opening quote
        ('resource "aws_db_instance" "x" {\n  engine = "postgres\n}\n', 2, 12, "unterminated string"),
        # a block without its closing brace: the end of the file
        ('resource "aws_db_instance" "x" {\n  engine = "postgres"\n', 1, 1, "unclosed block"),
        # an unclosed list: the token where ',' or ']' was expected
        ('resource "aws_db_instance" "x" {\n  ports = [1, 2\n  engine = "postgres"\n}\n', 3, 3,
         "unexpected 'engine'; expected ',' or ']'"),
        # one '}' too many
        ('resource "aws_db_instance" "x" {\n  engine = "postgres"\n}\n}\n', 4, 1, "unexpected '}'"),
        pytest.param(
            'resource "aws_db_instance" "x" {\n  engine = "postgres"\n  storage_encrypted = = true\n}\n',
            3, 23, "unexpected '='",
        ),
        pytest.param(
            'resource "aws_db_instance" "x" {\n  engine = "postgres" port = 5432\n}\n',
            2, 23, "must start on a new line",
        ),
    ],
    ids=["unclosed-string", "unclosed-block", "unclosed-list", "extra-brace", "double-equals",
         "two-attributes-on-a-line"],
)
def test_syntax_error_is_one_located_line_and_other_modules_still_report(work, rds, content, line, column,
                                                                         words):
    write(work, {"broken/main.tf": content, "other/main.tf": UNENCRYPTED})
    result = rds("check", "broken", "other")
    assert result.code == 2, result
    errors = [l for l in result.out.splitlines() if ": error: " in l]
    assert len(errors) == 1, result.out
    match = re.fullmatch(r"broken/main\.tf:(\d+):(\d+): error: (.+)", errors[0])
    assert match, errors[0]
    assert (int(match[1]), int(match[2])) == (line, column), errors[0]
    assert words in match[3]
    # the other module was still checked and its finding printed
    assert any(l.startswith("other/main.tf:4:3: RDS001 ") for l in result.out.splitlines()), result.out


def test_syntax_error_in_json_goes_to_diagnostics_and_stderr(work, rds):
    write(work, {"broken/main.tf": 'resource "aws_db_instance" "x" {\n  engine = "postgres\n}\n',
                 "other/main.tf": UNENCRYPTED})
    result = rds("check", "--format", "json", "broken", "other")
    assert result.code == 2
    data = result.json()
    errors = [d for d in data["diagnostics"] if d["severity"] == "error"]
    assert [(d["file"], d["line"], d["column"]) for d in errors] == [("broken/main.tf", 2, 12)]
    assert [(f["rule"], f["file"]) for f in data["findings"]] == [("RDS001", "other/main.tf")]
    # people still see why the exit status is 2: one line on stderr
    assert result.err.strip().splitlines() == [f"broken/main.tf:2:12: error: {errors[0]['message']}"]


def test_file_that_is_not_utf8_is_a_located_error(work, rds):
    write(work, {"broken/main.tf": b'resource "aws_db_instance" "x" {\n  engine = "\xff"\n}\n'})
    result = rds("check", "broken")
    assert result.code == 2
    assert re.search(r"^broken/main\.tf:2:13: error: .*UTF-8", result.out, re.M), result.out


def test_path_that_does_not_exist_exits_2_and_the_rest_is_checked(work, rds):
    write(work, {"db/main.tf": UNENCRYPTED})
    result = rds("check", "nowhere", "db")
    assert result.code == 2
    assert "nowhere: error: no such file or folder" in result.out.splitlines()
    assert any(l.startswith("db/main.tf:4:3: RDS001") for l in result.out.splitlines())


@pytest.mark.parametrize(
    "args, words",
    [
        (["--var", "retention"], "NAME=VALUE"),
        (["--var", "=7"], "NAME=VALUE"),
        (["--var-file", "missing.tfvars"], "missing.tfvars"),
        (["--bogus"], "--bogus"),
        (["--format", "xml"], "xml"),
        (["--unknown", "maybe"], "maybe"),
    ],
)
def test_usage_errors_exit_2(work, rds, args, words):
    write(work, {"db/main.tf": CLEAN})
    result = rds("check", *args, "db")
    assert result.code == 2, result
    assert words in result.err
    assert "Error" in result.err
    assert "RDS" not in result.out  # nothing was checked


def test_no_path_checks_the_current_folder(work, rds):
    write(work, {"db/main.tf": UNENCRYPTED})
    result = rds("check", "--format", "json")
    assert result.code == 1, result
    assert {(f["rule"], f["file"]) for f in result.findings()} == {("RDS001", "db/main.tf")}


def test_tfvars_with_a_syntax_error_exits_2_with_its_position(work, rds):
    write(work, {"db/main.tf": RETENTION, "db/environments/bad.tfvars": "retention = [1,\n",
                 "db/environments/good.tfvars": "retention = 0\n"})
    result = rds("check", "--format", "json", "db")
    assert result.code == 2
    errors = [d for d in result.json()["diagnostics"] if d["severity"] == "error"]
    assert [d["file"] for d in errors] == ["db/environments/bad.tfvars"]
    assert errors[0]["line"] >= 1
    # the good environment is still evaluated
    assert [(f["rule"], f["environment"]) for f in result.findings()] == [("RDS005", "good")]


def test_unknown_verdicts_fail_only_with_unknown_fail(work, rds):
    write(work, {"db/main.tf": UNKNOWN_ENCRYPTION})
    result = rds("check", "--format", "json", "db")
    assert result.code == 0
    (finding,) = result.findings()
    assert (finding["rule"], finding["status"]) == ("RDS001", "unknown")
    assert "encrypted" in finding["message"]
    assert (finding["line"], finding["column"]) == (8, 3)
    assert rds("check", "--unknown", "report", "db").code == 0
    assert rds("check", "--unknown", "fail", "db").code == 1


def test_internal_errors_show_no_traceback_without_debug(work, rds, monkeypatch):
    write(work, {"db/main.tf": CLEAN})

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("rdspolicy.pipeline.check", broken)
    result = rds("check", "db")
    assert result.code == 2
    assert "internal error" in result.err and "boom" in result.err and "--debug" in result.err
    with pytest.raises(RuntimeError):
        cli.run(["check", "--debug", "db"])


# ---------------------------------------------------------------- JSON and --output


def test_json_has_every_field_and_nothing_else_on_stdout(work, rds):
    write(work, {"db/main.tf": UNENCRYPTED})
    result = rds("check", "--format", "json", "db")
    assert result.code == 1
    data = result.json()
    assert {"findings", "environments", "diagnostics"} <= set(data)
    (finding,) = data["findings"]
    assert FINDING_FIELDS <= set(finding)
    assert {k: finding[k] for k in FINDING_FIELDS - {"message"}} == {
        "rule": "RDS001", "name": "storage-encrypted", "severity": "high", "status": "fail",
        "resource": "aws_db_instance.db", "environment": "default", "file": "db/main.tf",
        "line": 4, "column": 3,
    }
    assert "storage_encrypted" in finding["message"]
    (env,) = data["environments"]
    assert env["name"] == "default" and env["production"] is False
    assert data["diagnostics"] == []


def test_json_file_is_relative_under_the_current_folder_and_absolute_outside(work, rds, monkeypatch):
    write(work, {"proj/db/main.tf": UNENCRYPTED, "elsewhere/.keep": ""})
    absolute = str(work / "proj" / "db")
    assert rds("check", "--format", "json", absolute).findings()[0]["file"] == "proj/db/main.tf"
    monkeypatch.chdir(work / "proj")
    assert rds("check", "--format", "json", absolute).findings()[0]["file"] == "db/main.tf"
    monkeypatch.chdir(work / "elsewhere")
    assert rds("check", "--format", "json", absolute).findings()[0]["file"] == str(work / "proj/db/main.tf")


def test_output_file(work, rds):
    write(work, {"db/main.tf": UNENCRYPTED})
    result = rds("check", "--format", "json", "--output", "report.json", "db")
    assert result.code == 1
    assert result.out == ""
    data = json.loads((work / "report.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in data["findings"]] == ["RDS001"]
    result = rds("check", "-o", "report.txt", "db")
    assert result.code == 1 and result.out == ""
    assert "db/main.tf:4:3: RDS001" in (work / "report.txt").read_text(encoding="utf-8")


def test_output_file_that_cannot_be_written_is_a_usage_error(work, rds):
    write(work, {"db/main.tf": UNENCRYPTED})
    result = rds("check", "--output", "no-such-folder/report.txt", "db")
    assert result.code == 2
    assert "no-such-folder/report.txt" in result.err and "No such file or directory" in result.err
    assert "internal error" not in result.err


def test_folder_without_terraform_is_a_warning(work, rds):
    write(work, {"empty/README.md": "nothing here", "empty/.terraform/x/main.tf": UNENCRYPTED,
                 "db/main.tf": CLEAN})
    result = rds("check", "--format", "json", "empty", "db")
    assert result.code == 0
    assert [(d["severity"], d["file"], d["code"]) for d in result.json()["diagnostics"]] == [
        ("warning", "empty", "no-terraform")]
    assert len(result.json()["environments"]) == 1


# ---------------------------------------------------------------- environments and variables


def test_environment_files_each_make_one_environment(work, rds):
    write(work, {
        "db/main.tf": RETENTION,
        "db/environments/dev.tfvars": "retention = 0\n",
        "db/environments/prod.tfvars": "retention = 14\n",
        "db/terraform.tfvars": "",
        "db/common.auto.tfvars": "",
    })
    result = rds("check", "--format", "json", "db")
    assert result.env_names() == ["dev", "prod"]  # the always-loaded files are not environments
    assert [(f["rule"], f["environment"]) for f in result.findings()] == [("RDS005", "dev")]
    assert result.json()["environments"][0]["var_files"] == ["db/environments/dev.tfvars"]


@pytest.mark.parametrize("folder", ["environments", "envs", "env", "tfvars", "."])
def test_environment_folders(work, rds, folder):
    write(work, {"db/main.tf": CLEAN, f"db/{folder}/alpha.tfvars": "", f"db/{folder}/beta.tfvars.json": "{}",
                 "db/configs/gamma.tfvars": "", "db/environments-old/delta.tfvars": ""})
    assert rds("check", "--format", "json", "db").env_names() == ["alpha", "beta"]


def test_no_var_files_is_one_default_environment(work, rds):
    write(work, {"db/main.tf": CLEAN})
    assert rds("check", "--format", "json", "db").env_names() == ["default"]


def test_var_file_makes_one_environment(work, rds):
    write(work, {
        "db/main.tf": RETENTION,
        "db/environments/dev.tfvars": "retention = 0\n",
        "db/environments/prod.tfvars": "retention = 14\n",
        "elsewhere/qa.tfvars": "retention = 0\n",
    })
    result = rds("check", "--format", "json", "--var-file", "db/environments/prod.tfvars", "db")
    assert result.code == 0
    assert result.env_names() == ["prod"]
    result = rds("check", "--format", "json", "--var-file", "elsewhere/qa.tfvars", "db")
    assert result.env_names() == ["qa"]
    assert [(f["rule"], f["environment"]) for f in result.findings()] == [("RDS005", "qa")]


def test_var_overrides_var_file_and_auto_tfvars_always_load(work, rds):
    write(work, {
        "db/main.tf": RETENTION,
        "db/common.auto.tfvars": "retention = 0\n",
        "db/environments/dev.tfvars": "",
        "db/environments/qa.tfvars": "",
        "low.tfvars": "retention = 3\n",
    })
    # the auto file applies to every environment
    result = rds("check", "--format", "json", "db")
    assert sorted((f["rule"], f["environment"]) for f in result.findings()) == [("RDS005", "dev"),
                                                                               ("RDS005", "qa")]
    assert all("= 0" in f["message"] for f in result.findings())
    # a --var-file overrides it; --var overrides the --var-file
    assert rds("check", "--var-file", "low.tfvars", "--environment", "prod", "db").code == 1
    result = rds("check", "--format", "json", "--var-file", "low.tfvars", "--var", "retention=7",
                 "--environment", "prod", "db")
    assert result.code == 0, result.findings()


def test_var_without_var_file_keeps_the_environment_files(work, rds):
    write(work, {
        "db/main.tf": RETENTION,
        "db/environments/dev.tfvars": "",
        "db/environments/prod.tfvars": "",
    })
    result = rds("check", "--format", "json", "--var", "retention=0", "db")
    assert result.env_names() == ["dev", "prod"]
    assert [(f["rule"], f["environment"]) for f in result.findings()] == [("RDS005", "dev"), ("RDS005", "prod")]


def test_variable_precedence(work, rds, monkeypatch):
    """Lowest first: default, TF_VAR_name, terraform.tfvars, terraform.tfvars.json,
    *.auto.tfvars in lexical order, --var-file, --var.  Observed through the
    environment's name, which is var.environment's value."""
    write(work, {"db/main.tf": ENV_VARIABLE, "cli.tfvars": 'environment = "from-var-file"\n'})

    def name(*extra: str) -> str:
        (env,) = rds("check", "--format", "json", *extra, "db").env_names()
        return env

    assert name() == "from-default"
    monkeypatch.setenv("TF_VAR_environment", "from-env")
    assert name() == "from-env"
    write(work, {"db/terraform.tfvars": 'environment = "from-tfvars"\n'})
    assert name() == "from-tfvars"
    write(work, {"db/terraform.tfvars.json": '{"environment": "from-tfvars-json"}'})
    assert name() == "from-tfvars-json"
    write(work, {"db/b.auto.tfvars": 'environment = "from-auto-b"\n'})
    assert name() == "from-auto-b"
    write(work, {"db/a.auto.tfvars": 'environment = "from-auto-a"\n'})
    assert name() == "from-auto-b"  # b sorts after a, so b wins
    write(work, {"db/c.auto.tfvars.json": '{"environment": "from-auto-c"}'})
    assert name() == "from-auto-c"
    assert name("--var-file", "cli.tfvars") == "from-var-file"
    assert name("--var-file", "cli.tfvars", "--var", "environment=from-var") == "from-var"
    assert name("--var", "environment=from-var", "--environment", "named") == "named"
    # --var-file and --var apply in command-line order: the later one wins
    assert name("--var", "environment=from-var", "--var-file", "cli.tfvars") == "from-var-file"
    assert name("--var-file=cli.tfvars", "--var=environment=from-var") == "from-var"


def test_tf_var_is_used_and_typed(work, rds, monkeypatch):
    write(work, {"db/main.tf": RETENTION})
    assert rds("check", "db").code == 0
    monkeypatch.setenv("TF_VAR_retention", "0")
    result = rds("check", "--format", "json", "db")
    assert result.code == 1
    assert [f["rule"] for f in result.findings()] == ["RDS005"]


@pytest.mark.parametrize(
    "declared, expected",
    [
        ({"environment": "e1", "env": "e2", "stage": "e3"}, "e1"),
        ({"env": "e2", "stage": "e3"}, "e2"),
        ({"stage": "e3"}, "e3"),
        ({"environment": None}, "blue"),  # declared without a value: unknown, so the file's name
        ({"region": "eu"}, "blue"),
    ],
)
def test_environment_name_detection(work, rds, declared, expected):
    decls = "".join(
        f'variable "{name}" {{\n  type = string\n' + (f'  default = "{value}"\n' if value else "") + "}\n"
        for name, value in declared.items()
    )
    write(work, {"db/main.tf": decls + CLEAN, "db/environments/blue.tfvars": ""})
    assert rds("check", "--format", "json", "db").env_names() == [expected]
    assert rds("check", "--format", "json", "--environment", "chosen", "db").env_names() == ["chosen"]


def test_environment_name_from_tfvars_value_beats_file_name(work, rds):
    write(work, {"db/main.tf": ENV_VARIABLE + CLEAN, "db/envs/a.tfvars": 'environment = "qa"\n',
                 "db/envs/b.tfvars.json": '{"environment": "uat"}'})
    assert rds("check", "--format", "json", "db").env_names() == ["qa", "uat"]


@pytest.mark.parametrize("name, production", [
    ("production", True), ("prod", True), ("prd", True),
    ("staging", False), ("preprod", False), ("default", False), ("development", False),
])
def test_production_names(work, rds, name, production):
    write(work, {"db/main.tf": SINGLE_AZ})
    result = rds("check", "--format", "json", "--environment", name, "db")
    assert result.json()["environments"][0]["production"] is production
    assert [f["rule"] for f in result.findings()] == (["RDS003"] if production else [])
    assert result.code == (1 if production else 0)


def test_production_from_var_file_name(work, rds):
    write(work, {"db/main.tf": SINGLE_AZ, "db/env/prd.tfvars": "", "db/env/dev.tfvars": ""})
    result = rds("check", "--format", "json", "db")
    assert [(f["rule"], f["environment"], f["line"]) for f in result.findings()] == [("RDS003", "prd", 1)]


def test_undeclared_variable_reported_once_across_environments(work, rds):
    module = CLEAN.replace('instance_class          = "db.t3.micro"', "instance_class          = var.nope")
    assert "var.nope" in module
    write(work, {"db/main.tf": module, "db/environments/a.tfvars": "", "db/environments/b.tfvars": "",
                 "db/environments/c.tfvars": ""})
    result = rds("check", "--format", "json", "db")
    assert result.env_names() == ["a", "b", "c"]
    undeclared = [d for d in result.json()["diagnostics"] if "nope" in d["message"]]
    assert [(d["severity"], d["file"], d["line"], d["column"]) for d in undeclared] == [
        ("warning", "db/main.tf", 4, 29)]
    assert result.code == 0  # a warning does not change the exit status
    text = rds("check", "db").out
    assert len([l for l in text.splitlines() if "var.nope" in l]) == 1
    assert re.search(r"^db/main\.tf:4:29: warning: .*undeclared.*var\.nope", text, re.M), text


# ---------------------------------------------------------------- discovery


def test_files_given_directly_load_their_whole_folder_once(work, rds):
    write(work, {
        "db/variables.tf": 'variable "encrypted" {\n  type    = bool\n  default = false\n}\n',
        "db/main.tf": 'resource "aws_db_instance" "db" {\n  engine            = "postgres"\n'
                      '  engine_version    = "16.3"\n  storage_encrypted = var.encrypted\n}\n',
    })
    for args in (["db/main.tf"], ["db/main.tf", "db/variables.tf"], ["db", "db/main.tf"]):
        result = rds("check", "--format", "json", *args)
        # the variable's default came from the sibling file, and the module is checked once
        # (RDS001's findings: the rules from RDS008 on have more to say about this database)
        assert [(f["rule"], f["status"], f["file"], f["line"]) for f in result.findings()
                if f["rule"] == "RDS001"] == [("RDS001", "fail", "db/main.tf", 4)], args
        assert result.code == 1


def test_hidden_and_terraform_folders_are_skipped(work, rds):
    write(work, {
        "root/ok/main.tf": CLEAN,
        "root/.terraform/modules/vendored/main.tf": UNENCRYPTED,
        "root/.hidden/main.tf": UNENCRYPTED,
        "root/ok/.terraform/modules/x/main.tf": UNENCRYPTED,
    })
    result = rds("check", "--format", "json", "root")
    assert result.code == 0, result.findings()
    assert [e["module"] for e in result.json()["environments"]] == ["root/ok"]
    # the current folder "." is not a hidden folder
    os.chdir(work / "root")
    result = rds("check", "--format", "json", ".")
    assert result.code == 0 and [e["module"] for e in result.json()["environments"]] == ["ok"]


def test_nested_modules_are_each_checked(work, rds):
    write(work, {"infra/a/main.tf": UNENCRYPTED, "infra/a/sub/main.tf": UNENCRYPTED, "infra/b/main.tf": CLEAN})
    result = rds("check", "--format", "json", "infra")
    assert sorted(f["file"] for f in result.findings()) == ["infra/a/main.tf", "infra/a/sub/main.tf"]
    assert len(result.json()["environments"]) == 3


def test_tf_json_files_are_read(work, rds):
    module = {"resource": {"aws_db_instance": {"db": {
        "engine": "postgres", "engine_version": "16.3", "storage_encrypted": False}}}}
    write(work, {"db/main.tf.json": json.dumps(module, indent=2)})
    result = rds("check", "--format", "json", "db")
    assert result.code == 1
    assert [(f["rule"], f["file"]) for f in result.findings() if f["rule"] == "RDS001"] == [
        ("RDS001", "db/main.tf.json")]


# ---------------------------------------------------------------- rules, --version, help

EXPECTED_RULES = [
    ("RDS001", "storage-encrypted", "high"),
    ("RDS002", "customer-managed-key", "medium"),
    ("RDS003", "multi-az-production", "high"),
    ("RDS004", "deletion-protection", "high"),
    ("RDS005", "backup-retention", "medium"),
    ("RDS006", "security-group-scope", "high"),
    ("RDS007", "postgres16-parameter-family", "medium"),
    ("RDS008", "not-publicly-accessible", "critical"),
    ("RDS009", "ssl-connections-required", "high"),
    ("RDS010", "no-phi-in-statement-logs", "high"),
    ("RDS011", "connection-auditing", "medium"),
    ("RDS012", "log-export-cloudwatch", "medium"),
    ("RDS013", "iam-database-authentication", "medium"),
    ("RDS014", "performance-insights-customer-key", "medium"),
    ("RDS015", "enhanced-monitoring-production", "low"),
    ("RDS016", "final-snapshot-production", "medium"),
    ("RDS017", "kms-key-rotation", "medium"),
    ("RDS018", "snapshot-not-public", "critical"),
    ("RDS019", "master-password-not-in-code", "high"),
    ("RDS020", "engine-version-supported", "medium"),
    ("RDS021", "egress-not-open", "low"),
]


def test_rules_lists_the_rules(work, rds):
    result = rds("rules")
    assert result.code == 0
    rows = []
    for line in result.out.splitlines():
        match = re.fullmatch(r"(RDS\d{3})\s+(\S+)\s+(critical|high|medium|low)\s+(\S.*)", line)
        assert match, line
        rows.append(match.groups())
    assert [r[:3] for r in rows] == EXPECTED_RULES
    assert all(len(r[3]) > 20 for r in rows)  # a summary, not a stub
    data = json.loads(rds("rules", "--format", "json").out)
    assert [(r["id"], r["name"], r["severity"]) for r in data] == EXPECTED_RULES
    assert [r["summary"] for r in data] == [r[3] for r in rows]


def test_version(rds):
    result = rds("--version")
    assert result.code == 0
    assert result.out == f"rdspolicy {version('rdspolicy')}\n"
    assert version("rdspolicy") == rdspolicy.__version__


def test_help(rds):
    result = rds("check", "--help")
    assert result.code == 0
    for option in ("--format", "--output", "--var-file", "--var", "--environment", "--unknown"):
        assert option in result.out


# ---------------------------------------------------------------- the console script


def test_console_script_syntax_error_and_findings(work):
    write(work, {"broken/main.tf": 'resource "aws_db_instance" "x" {\n  engine = "postgres\n}\n',
                 "other/main.tf": UNENCRYPTED})
    proc = subprocess.run([console_script(), "check", "broken", "other"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2, proc
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert "broken/main.tf:2:12: error: unterminated string: the '\"' here has no closing quote on this " \
           "line" in lines
    assert any(l.startswith("other/main.tf:4:3: RDS001 [high]") for l in lines)


def test_console_script_version_and_usage_error(work):
    proc = subprocess.run([console_script(), "--version"], capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout) == (0, f"rdspolicy {version('rdspolicy')}\n")
    proc = subprocess.run([sys.executable, "-m", "rdspolicy", "check", "--var", "x", "."], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    assert "NAME=VALUE" in proc.stderr and "Traceback" not in proc.stderr


def test_the_console_script_flushes_everything_before_it_leaves(tmp_path):
    # console_main ends the process with os._exit: what it printed and wrote must be whole
    pacs = str(Path(__file__).parent.parent / "fixtures" / "pacs")
    sarif = tmp_path / "out.sarif"
    code = "import sys; from rdspolicy.cli import console_main; sys.argv[0] = 'rdspolicy'; console_main()"
    result = subprocess.run([sys.executable, "-c", code, "check", "--format", "json", "--output-sarif", str(sarif),
                             pacs], capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert len(json.loads(result.stdout)["findings"]) > 50
    assert json.loads(sarif.read_text())["runs"][0]["results"]
