"""Configuration: .rdspolicy.hcl found up to the repository root, --config, the user's
own configuration, --set; validation errors name file, line and key (exit 2);
`rdspolicy config` shows each value's source; the settings reach the run."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from samples import CLEAN, SINGLE_AZ, UNENCRYPTED, write

ROOT = Path(__file__).resolve().parent.parent


def retention_findings(result) -> list[tuple[str, str]]:
    return sorted((f["resource"], f["environment"]) for f in result.findings() if f["rule"] == "RDS005")


@pytest.fixture
def pacs(work):
    shutil.copytree(ROOT / "fixtures" / "pacs", work / "pacs")
    return work / "pacs"


def test_thirty_days_in_production_on_pacs(pacs, rds):
    before = rds("check", "pacs", "--format", "json")
    (pacs / ".rdspolicy.hcl").write_text('rule "RDS005" {\n  backup_retention_minimum = { production = 30 }\n}\n')
    after = rds("check", "pacs", "--format", "json")
    assert after.code == 1, after
    # pacs_encrypted does not set backup_retention_period (API default 1 day); every other
    # primary is on var.backup_retention_period, 30 in production.tfvars
    assert retention_findings(after) == [("aws_db_instance.pacs_encrypted", "production")]
    assert "at least 30 days are required in production" in next(
        f["message"] for f in after.findings() if f["rule"] == "RDS005")
    # nothing changes in development
    dev = lambda r: sorted((f["rule"], f["resource"], f["line"]) for f in r.findings()  # noqa: E731
                           if f["environment"] == "development")
    assert dev(after) == dev(before)
    # and a stricter production policy catches the 30-day instances too
    (pacs / ".rdspolicy.hcl").write_text('rule "backup-retention" {\n  backup_retention_minimum = { production = 31 }\n}\n')
    stricter = rds("check", "pacs", "--format", "json")
    assert len([r for r in retention_findings(stricter) if r[1] == "production"]) == 5
    assert dev(stricter) == dev(before)


def test_found_in_parent_folders_up_to_the_repository_root(work, rds):
    write(work, {"repo/infra/db/main.tf": SINGLE_AZ, "repo/.rdspolicy.hcl": 'production_environments = ["live"]\n',
                 ".rdspolicy.hcl": "bogus = 1\n"})  # above the repository: never read
    (work / "repo" / ".git").mkdir()
    write(work, {"repo/infra/db/environments/live.tfvars": "", "repo/infra/db/environments/production.tfvars": ""})
    result = rds("check", "repo/infra/db", "--format", "json")
    assert result.code == 1, result
    assert {(f["rule"], f["environment"]) for f in result.findings()} == {("RDS003", "live")}
    production = {e["name"]: e["production"] for e in result.json()["environments"]}
    assert production == {"live": True, "production": False}


def test_outside_a_repository_only_the_scanned_folder(work, rds):
    write(work, {"a/db/main.tf": UNENCRYPTED, "a/.rdspolicy.hcl": 'rule "RDS001" {\n  enabled = false\n}\n'})
    assert rds("check", "a/db").code == 1
    assert rds("check", "a").code == 0


@pytest.mark.parametrize("content, line, key, words", [
    ("bogus = 1\n", 1, "bogus", "unknown key"),
    ('\nrule "RDS999" {\n  enabled = true\n}\n', 2, 'rule "RDS999"', "no such rule"),
    ('rule "RDS005" {\n  enabled = "yes"\n}\n', 2, 'rule "RDS005".enabled', "valid boolean"),
    ('rule "RDS005" {\n  severity = "urgent"\n}\n', 2, 'rule "RDS005".severity', "'critical', 'high', 'medium' or 'low'"),
    ('rule "RDS005" {\n  retention = 3\n}\n', 2, 'rule "RDS005".retention', "unknown setting for RDS005"),
    ('rule "RDS005" {\n\n  backup_retention_minimum = { production = "thirty" }\n}\n', 3,
     'rule "RDS005".backup_retention_minimum', "valid integer"),
    ('rule "RDS006" {\n  private_cidr_min_prefix = 200\n}\n', 2, 'rule "RDS006".private_cidr_min_prefix', "less than or equal"),
    ("exclude = var.x\n", 1, "exclude", "only literal values"),
    ('production_environments = "prod"\n', 1, "production_environments", "valid list"),
    ('rule "RDS001" {\n}\nrule "RDS001" {\n}\n', 3, 'rule "RDS001"', "configured twice"),
    ('settings {\n}\n', 1, "settings", "unknown block"),
])
def test_errors_name_file_line_and_key(work, rds, content, line, key, words):
    write(work, {"db/main.tf": CLEAN})
    (work / "db" / ".rdspolicy.hcl").write_text(content)
    result = rds("check", "db")
    assert result.code == 2, result
    assert f"db/.rdspolicy.hcl:{line}: {key}: " in result.err, result.err
    assert words in result.err, result.err
    assert result.out == ""


def test_a_syntax_error_is_located(work, rds):
    write(work, {"db/main.tf": CLEAN, "db/.rdspolicy.hcl": 'rule "RDS001" {\n  enabled = \n'})
    result = rds("config", "db")
    assert result.code == 2 and "db/.rdspolicy.hcl:" in result.err, result


def test_config_option_user_config_and_command_line_precedence(work, rds, monkeypatch):
    write(work, {"db/main.tf": CLEAN,
                 "db/.rdspolicy.hcl": 'rule "RDS001" {\n  severity = "low"\n}\n',
                 "other.hcl": 'rule "RDS001" {\n  severity = "critical"\n}\n',
                 "xdg/rdspolicy/config.hcl": 'production_environments = ["live"]\nrule "RDS001" {\n  severity = "medium"\n}\n'})
    monkeypatch.setenv("XDG_CONFIG_HOME", str(work / "xdg"))

    def sources(*args):
        data = rds("config", "db", "--format", "json", *args).json()
        return (data["rules"]["RDS001"]["severity"], data["settings"]["production_environments"])

    user = os.path.join("xdg", "rdspolicy", "config.hcl")  # shown relative to the current folder
    assert sources() == ({"value": "low", "source": "db/.rdspolicy.hcl:2"},
                         {"value": ["live"], "source": f"{user}:1"})
    assert sources("--config", "other.hcl")[0] == {"value": "critical", "source": "other.hcl:2"}
    assert sources("--set", "RDS001.severity=high", "--set", 'production_environments=["a", "b"]') == (
        {"value": "high", "source": "command line (--set)"},
        {"value": ["a", "b"], "source": "command line (--set)"})


def test_config_text_is_hcl_with_sources(work, rds):
    write(work, {"db/main.tf": CLEAN, "db/.rdspolicy.hcl": 'rule "multi-az-production" {\n  enabled = false\n}\n'})
    out = rds("config", "db").out
    assert "  enabled = false  # db/.rdspolicy.hcl:2\n" in out
    assert 'production_environments = ["production", "prod", "prd"]  # default' in out


def test_severity_enabled_and_parameters_reach_the_findings(work, rds):
    write(work, {"db/main.tf": UNENCRYPTED})
    assert rds("check", "db", "--format", "json").findings()[0]["severity"] == "high"
    assert rds("check", "db", "--format", "json", "--set", "RDS001.severity=low").findings()[0]["severity"] == "low"
    result = rds("check", "db", "--set", "storage-encrypted.enabled=false", "--format", "json")
    assert result.code == 0 and "RDS001" not in result.json()["summary"]["rules"], result
    write(work, {"pg/main.tf": CLEAN})
    result = rds("check", "pg", "--set", "RDS007.postgres_major=17", "--format", "json")
    # the instance's engine version and its parameter group's family (postgres16) both
    assert sorted((f["rule"], f["resource"]) for f in result.findings()) == [
        ("RDS007", "aws_db_instance.db"), ("RDS007", "aws_db_parameter_group.audited")]
    assert all("PostgreSQL 17" in f["message"] for f in result.findings()), result.findings()


def test_environment_variables_and_folders(work, rds):
    write(work, {"db/main.tf": SINGLE_AZ + '\nvariable "tier" {\n  default = "dev"\n}\n',
                 "db/stacks/one.tfvars": 'tier = "production"\n',
                 "db/stacks/two.tfvars": 'tier = "qa"\n'})
    result = rds("check", "db", "--format", "json",
                 "--set", 'environment_variables=["tier"]', "--set", 'environment_folders=["stacks"]')
    assert sorted(e["name"] for e in result.json()["environments"]) == ["production", "qa"]
    assert [(f["rule"], f["environment"]) for f in result.findings()] == [("RDS003", "production")]


def test_exclude(work, rds):
    write(work, {"infra/db/main.tf": CLEAN, "infra/legacy/old/main.tf": UNENCRYPTED,
                 "infra/.rdspolicy.hcl": 'exclude = ["legacy"]\n'})
    assert rds("check", "infra").code == 0
    assert rds("check", "infra", "--exclude", "nothing").code == 1
    assert rds("check", "infra", "--set", "exclude=[]").code == 1


def test_rules_lists_what_the_configuration_disables(work, rds):
    write(work, {".rdspolicy.hcl": 'rule "RDS002" {\n  enabled = false\n}\n'})
    text = rds("rules").out
    assert [l.endswith("(disabled by the configuration)") for l in text.splitlines()] == [
        line.startswith("RDS002") for line in text.splitlines()], text
    listed = {r["id"]: r["enabled"] for r in json.loads(rds("rules", "--format", "json").out)}
    assert listed["RDS002"] is False and listed["RDS001"] is True


def test_a_configured_severity_shows_everywhere(work, rds):
    """The configuration is applied once, to the rules every stage and reporter gets:
    SARIF's rule entries (level, security-severity) as well as its results, `rules`,
    `explain` and the rule reference."""
    write(work, {"db/main.tf": UNENCRYPTED, "db/.rdspolicy.hcl": 'rule "RDS001" {\n  severity = "low"\n}\n'})
    sarif = rds("check", "db", "--format", "sarif").json()["runs"][0]
    entry = next(r for r in sarif["tool"]["driver"]["rules"] if r["id"] == "RDS001")
    assert entry["defaultConfiguration"]["level"] == "note"
    assert entry["properties"]["security-severity"] == "3.0"
    result = next(r for r in sarif["results"] if r["ruleId"] == "RDS001")
    assert result["level"] == "note" and result["properties"]["security-severity"] == "3.0"
    with_config = ("--config", "db/.rdspolicy.hcl")
    listed = {r["id"]: r["severity"] for r in json.loads(rds("rules", "--format", "json", *with_config).out)}
    assert listed["RDS001"] == "low" and listed["RDS002"] == "medium"
    assert "RDS001  storage-encrypted" in rds("rules", *with_config).out
    assert [l for l in rds("rules", *with_config).out.splitlines() if l.startswith("RDS001")][0].split()[2] == "low"
    assert "Severity: low (from db/.rdspolicy.hcl:2; default high)" in rds("explain", "RDS001", *with_config).out
    assert "- Severity: **low**" in rds("rules", "--format", "markdown", *with_config).out


SAME_PARAMETER_NAME = '''
from rdspolicy.rule import Param, Rule, fail


def check(resource, ctx):
    yield fail(f"wants PostgreSQL {ctx.params['postgres_major']}", resource.location)


RULE = Rule(
    id="ORG002", name="own-major", severity="low", summary="A parameter named as one of RDS007's.",
    rationale="Namespaces.", noncompliant='resource "aws_db_instance" "x" {}', compliant="# nothing",
    resource_types=("aws_db_instance",), check=check,
    parameters=(Param("postgres_major", 99, "this pack's own major version", int),),
)
'''


def test_parameters_belong_to_their_rule(work, rds):
    """Two rules with a parameter of the same name (RDS007 and a pack's) each read their own."""
    write(work, {"policy/org.py": SAME_PARAMETER_NAME, "db/main.tf": CLEAN})

    def messages(*args):
        result = rds("check", "db", "--rules-dir", "policy", "--format", "json", *args)
        return sorted({(f["rule"], f["message"].split(":")[0]) for f in result.findings()})

    assert messages() == [("ORG002", "wants PostgreSQL 99")]
    assert messages("--set", "ORG002.postgres_major=12") == [("ORG002", "wants PostgreSQL 12")]
    found = messages("--set", "RDS007.postgres_major=17")
    assert ("ORG002", "wants PostgreSQL 99") in found and any(rule == "RDS007" for rule, _ in found), found
    config = rds("config", "db", "--rules-dir", "policy", "--format", "json").json()["rules"]
    assert config["ORG002"]["postgres_major"] == {"value": 99, "source": "default"}
    assert config["RDS007"]["postgres_major"] == {"value": 16, "source": "default"}
