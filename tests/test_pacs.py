"""The reference case: the Terraform of the PACS guide (fixtures/pacs), checked in its
three environments.  The expected findings are written out by hand below, each one
derived from the .tf files and the rules as the issue states them (see the notes)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from rdspolicy import cli

ROOT = Path(__file__).resolve().parent.parent
PACS = "fixtures/pacs"

DEV, STG, PRD = "development", "staging", "production"
ALL = (DEV, STG, PRD)

# Resources whose count depends on an undeclared variable (var.enable_automated_backups,
# var.enable_global_database): unknown, so they are checked as if they existed.
GLOBAL = "aws_rds_global_cluster.pacs_global"
BACKUP = "aws_db_instance.pacs_with_backup"


REPLICA = "aws_db_instance.pacs_read_replica[0]"
# the PostgreSQL instances that exist in every environment: (address, file, first line)
DATABASES = [
    ("aws_db_instance.pacs_main", "pacs-database.tf", 2),
    ("aws_db_instance.keycloak", "pacs-database.tf", 51),
    ("aws_db_instance.main", "rds-basic.tf", 2),
    ("aws_db_instance.pacs_encrypted", "rds-security.tf", 19),
    (BACKUP, "rds-backup.tf", 17),
]


def _every(rule, resource, file, line, status="fail"):
    return [(rule, resource, env, file, line, status) for env in ALL]


# (rule, resource, environment, file, line, status)
EXPECTED = sorted([
    # RDS001: every aws_db_instance sets storage_encrypted = true, or inherits it (the
    # replica and the point-in-time restore both come from pacs_main, which is
    # encrypted); the global cluster does not set it, and the default is false.  The
    # argument is absent, so the finding is on the block's first line.
    *_every("RDS001", GLOBAL, "rds-high-availability.tf", 36),
    # RDS002: encrypted without kms_key_id.  pacs_encrypted sets kms_key_id; the
    # replica and the restore are exempt; the global cluster is not an RDS002 type.
    *_every("RDS002", "aws_db_instance.pacs_main", "pacs-database.tf", 2),
    *_every("RDS002", "aws_db_instance.keycloak", "pacs-database.tf", 51),
    *_every("RDS002", "aws_db_instance.main", "rds-basic.tf", 2),
    # RDS003, production only: main and pacs_encrypted have no multi_az (default
    # false); pacs_main and keycloak have multi_az = var.environment == "production",
    # true there; the replica is exempt; the restored instance is a primary without
    # multi_az.
    ("RDS003", "aws_db_instance.main", PRD, "rds-basic.tf", 2, "fail"),
    ("RDS003", "aws_db_instance.pacs_encrypted", PRD, "rds-security.tf", 19, "fail"),
    ("RDS003", BACKUP, PRD, "rds-backup.tf", 17, "fail"),
    # RDS004, production only: the four instances have deletion_protection =
    # var.environment == "production"; the restored instance does not set it; the
    # global cluster sets it to false (line 43); the replica is exempt.
    ("RDS004", BACKUP, PRD, "rds-backup.tf", 17, "fail"),
    ("RDS004", GLOBAL, PRD, "rds-high-availability.tf", 43, "fail"),
    # RDS005: backup_retention_period is var.backup_retention_period (1 / 7 / 30 in
    # development / staging / production: each at the minimum or above) except for
    # pacs_encrypted, which does not set it: the API default of 1 day is below 7 in
    # production only.
    ("RDS005", "aws_db_instance.pacs_encrypted", PRD, "rds-security.tf", 19, "fail"),
    # RDS006: nothing.  The only ingress with CIDRs admits 5432 from
    # var.allowed_cidr_blocks = ["10.0.0.0/16"] (private, not broader than /16).
    # RDS007: the instances are on var.postgres_version = "16.1", the parameter group's
    # family is postgres16; the global cluster's engine_version = "15.4" (line 41).
    *_every("RDS007", GLOBAL, "rds-high-availability.tf", 41),
    # RDS008: no database sets publicly_accessible (default false).
    # RDS009: no instance uses a parameter group (pacs_postgres is never attached), so
    # rds.force_ssl is RDS's default for var.postgres_version = "16.1": 1 from 15 on.
    # RDS010: the parameter group sets log_statement = "all" (line 20), in every
    # environment, whether or not a database uses it; log_min_duration_statement is 1000.
    *_every("RDS010", "aws_db_parameter_group.pacs_postgres", "rds-monitoring.tf", 20),
    # RDS011: the group that turns log_connections/log_disconnections on is not
    # attached: every PostgreSQL instance (the replica in production too) uses the
    # default group, where both are off, and pgaudit is not loaded.
    *[f for db, file, line in DATABASES for f in _every("RDS011", db, file, line)],
    ("RDS011", REPLICA, PRD, "rds-high-availability.tf", 2, "fail"),
    # RDS012: no instance sets enabled_cloudwatch_logs_exports; the log group
    # /aws/rds/instance/<pacs_main's identifier>/postgresql has no kms_key_id (fail, at
    # its first line) and its retention_in_days is var.log_retention_days, which is
    # not declared (unknown, line 4).
    *[f for db, file, line in DATABASES for f in _every("RDS012", db, file, line)],
    ("RDS012", REPLICA, PRD, "rds-high-availability.tf", 2, "fail"),
    *_every("RDS012", "aws_cloudwatch_log_group.postgresql", "rds-monitoring.tf", 2),
    *_every("RDS012", "aws_cloudwatch_log_group.postgresql", "rds-monitoring.tf", 4, "unknown"),
    # RDS013: no instance enables IAM database authentication (default false).
    *[f for db, file, line in DATABASES for f in _every("RDS013", db, file, line)],
    ("RDS013", REPLICA, PRD, "rds-high-availability.tf", 2, "fail"),
    # RDS014: pacs_main (line 34) and the replica (line 19) enable Performance
    # Insights without performance_insights_kms_key_id.
    *_every("RDS014", "aws_db_instance.pacs_main", "pacs-database.tf", 34),
    ("RDS014", REPLICA, PRD, "rds-high-availability.tf", 19, "fail"),
    # RDS015, production only: pacs_main and the replica have monitoring_interval = 60
    # with a role; keycloak, main, pacs_encrypted and the restore have none.
    *[("RDS015", db, PRD, file, line, "fail") for db, file, line in DATABASES
      if db != "aws_db_instance.pacs_main"],
    # RDS016, production only, primaries: skip_final_snapshot is
    # var.environment == "development" (false here) but no final_snapshot_identifier;
    # delete_automated_backups (default true) and copy_tags_to_snapshot (default
    # false) are not set: three findings each, all at the block's first line.
    *[("RDS016", db, PRD, file, line, "fail") for db, file, line in DATABASES for _ in range(3)],
    # RDS017: aws_kms_key.rds encrypts pacs_encrypted and has no enable_key_rotation
    # (default false); deletion_window_in_days = 7 is enough.
    *_every("RDS017", "aws_kms_key.rds", "rds-security.tf", 2),
    # RDS018: the manual snapshot is not shared.
    # RDS019: main's password is var.master_password (declared sensitive, no default):
    # only the recommendation of manage_master_user_password (low).  pacs_main and
    # keycloak use undeclared variables: whether they are sensitive is unknown, and the
    # recommendation too.  The password is never shown.
    *_every("RDS019", "aws_db_instance.main", "rds-basic.tf", 19),
    *_every("RDS019", "aws_db_instance.pacs_main", "pacs-database.tf", 19),
    *_every("RDS019", "aws_db_instance.pacs_main", "pacs-database.tf", 19, "unknown"),
    *_every("RDS019", "aws_db_instance.keycloak", "pacs-database.tf", 68),
    *_every("RDS019", "aws_db_instance.keycloak", "pacs-database.tf", 68, "unknown"),
    # RDS020 (as of 2026-11-27): 16.1 is supported until 2029-02-28 and the global
    # cluster's 15.4 until 2028-02-29; no instance disables minor upgrades or names a CA.
    # RDS021: aws_security_group.rds, attached to the databases, allows all protocols
    # out to 0.0.0.0/0 (line 26).
    *_every("RDS021", "aws_security_group.rds", "rds-security-group.tf", 26),
])
AS_OF = "2026-11-27"

# Variables referenced but never declared: one warning each, at the reference.
UNDECLARED = sorted([
    ("pacs-database.tf", 19, 14, "pacs_admin_password"),
    ("pacs-database.tf", 68, 14, "keycloak_admin_password"),
    ("rds-backup.tf", 18, 11, "enable_automated_backups"),
    ("rds-high-availability.tf", 9, 25, "read_replica_instance_class"),
    ("rds-high-availability.tf", 37, 11, "enable_global_database"),
    ("rds-monitoring.tf", 4, 23, "log_retention_days"),
])


@pytest.fixture(scope="module")
def pacs_json(tmp_path_factory):
    """(exit status, report) of ``rdspolicy check fixtures/pacs --format json``, run
    from the repository's root so that files are reported as ``fixtures/pacs/...``."""
    report = tmp_path_factory.mktemp("pacs") / "report.json"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        for name in [n for n in os.environ if n.startswith("TF_VAR_")]:
            mp.delenv(name)
        code = cli.run(["check", PACS, "--format", "json", "--output", str(report), "--as-of", AS_OF])
    return code, json.loads(report.read_text(encoding="utf-8"))


def test_exit_status_is_1(pacs_json):
    code, _ = pacs_json
    assert code == 1


def test_findings_per_environment(pacs_json):
    _, data = pacs_json
    actual = sorted(
        (f["rule"], f["resource"], f["environment"], f["file"], f["line"], f["status"]) for f in data["findings"]
    )
    expected = [(r, res, env, f"{PACS}/{file}", line, status) for r, res, env, file, line, status in EXPECTED]
    missing = sorted(set(expected) - set(actual))
    unexpected = sorted(set(actual) - set(expected))
    assert not missing and not unexpected, f"missing: {missing}\nunexpected: {unexpected}"
    assert actual == expected  # and no duplicates


def test_the_points_the_issue_names(pacs_json):
    _, data = pacs_json
    findings = data["findings"]

    def who(rule, env):
        return {f["resource"] for f in findings if f["rule"] == rule and f["environment"] == env}

    assert {"aws_db_instance.main", "aws_db_instance.pacs_encrypted"} <= who("RDS003", PRD)
    assert not {"aws_db_instance.pacs_main", "aws_db_instance.keycloak"} & who("RDS003", PRD)
    assert not who("RDS003", DEV) | who("RDS004", DEV)
    for env in ALL:
        (rds007,) = [f for f in findings if f["rule"] == "RDS007" and f["environment"] == env]
        assert rds007["resource"] == GLOBAL and '"15.4"' in rds007["message"]
        assert (rds007["line"], rds007["column"]) == (41, 3)
    # findings on resources whose count is unknown say so
    for f in findings:
        if f["resource"] in (GLOBAL, BACKUP):
            assert f"if {f['resource']} exists" in f["message"], f


def test_environments(pacs_json):
    _, data = pacs_json
    envs = {e["name"]: e for e in data["environments"]}
    assert set(envs) == set(ALL)
    assert {name: e["production"] for name, e in envs.items()} == {DEV: False, STG: False, PRD: True}
    for name, env in envs.items():
        assert env["var_files"] == [f"{PACS}/environments/{name}.tfvars"]
    # production has the read replica and the manual snapshot, whose count is
    # var.environment == "production" ? 1 : 0
    assert envs[PRD]["resources"] == envs[DEV]["resources"] + 2 == envs[STG]["resources"] + 2


def test_undeclared_variables_are_reported_once(pacs_json):
    _, data = pacs_json
    diags = data["diagnostics"]
    assert all(d["severity"] == "warning" for d in diags)
    actual = sorted((d["file"], d["line"], d["column"], d["message"]) for d in diags
                    if d["code"] == "undeclared-variable")
    assert [(f, l, c) for f, l, c, _ in actual] == [(f"{PACS}/{f}", l, c) for f, l, c, _ in UNDECLARED]
    for (_, _, _, message), (_, _, _, name) in zip(actual, UNDECLARED):
        assert f"var.{name}" in message


def test_required_variables_without_value_are_reported_per_environment(pacs_json):
    _, data = pacs_json
    actual = sorted((d["file"], d["line"], d["message"].split('"')[1], d["message"].split(" environment ")[1].split()[0])
                    for d in data["diagnostics"] if d["code"] == "required-variable")
    # no default, and the var-files do not set them (Terraform would ask for them)
    required = [("variables.tf", 15, "vpc_id"), ("variables.tf", 20, "private_subnet_ids"),
                ("variables.tf", 25, "app_security_group_id"), ("variables.tf", 73, "master_password")]
    assert actual == sorted((f"{PACS}/{f}", line, name, env) for f, line, name in required for env in ALL)


def test_read_replica_exists_only_in_production():
    from rdspolicy.discover import discover
    from rdspolicy.evaluate import Settings, evaluate_module
    from rdspolicy.parse import parse_expression, parse_file

    (module,), problems = discover([str(ROOT / PACS)])
    assert problems == []
    files = [parse_file(path) for path in module.tf_files]
    result = evaluate_module(module.path, files, module.auto_var_files, module.env_var_files,
                             Settings(env={}, root_dir=str(ROOT)), parse_file, parse_expression)
    addresses = {env.name: {i.address for i in env.instances} for env in result.environments}
    assert set(addresses) == set(ALL)
    for env, found in addresses.items():
        in_production = env == PRD
        assert ("aws_db_instance.pacs_read_replica[0]" in found) is in_production, (env, sorted(found))
        assert ("aws_db_snapshot.pacs_manual[0]" in found) is in_production
        assert not any(a.startswith("aws_db_instance.pacs_read_replica") for a in found - {
            "aws_db_instance.pacs_read_replica[0]"})
        # unknown count: checked as if it existed, in every environment
        assert {"aws_db_instance.main", "aws_db_instance.pacs_main", "aws_db_instance.keycloak",
                "aws_db_instance.pacs_encrypted", BACKUP, GLOBAL} <= found


def test_text_output_names_the_three_environments(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code = cli.run(["check", PACS, "--as-of", AS_OF])
    out = capsys.readouterr().out
    assert code == 1
    # each problem once, its environments listed
    assert " [development, production, staging]: " in out
    for env in ALL:
        assert re.search(rf" \[[^\]]*\b{env}\b[^\]]*\]: ", out), env
    failing = len([f for f in EXPECTED if f[5] == "fail"])
    assert out.splitlines()[-1].startswith(f"{failing} failing, {len(EXPECTED) - failing} unknown")
    assert "3 environment(s) (var-file: development, production, staging) in 1 module(s)" in out


def test_the_new_rules_report_what_the_issue_names(pacs_json):
    _, data = pacs_json
    findings = data["findings"]

    def where(rule, resource):
        return {(f["environment"], f["line"]) for f in findings
                if f["rule"] == rule and f["resource"] == resource and f["status"] == "fail"}

    # the parameter group's log_statement = "all", the key without rotation, the
    # missing log exports, and the global cluster's 15.4: in every environment
    assert where("RDS010", "aws_db_parameter_group.pacs_postgres") == {(env, 20) for env in ALL}
    assert where("RDS017", "aws_kms_key.rds") == {(env, 2) for env in ALL}
    assert where("RDS012", "aws_db_instance.pacs_main") == {(env, 2) for env in ALL}
    assert where("RDS012", REPLICA) == {(PRD, 2)}
    assert where("RDS007", GLOBAL) == {(env, 41) for env in ALL}
    assert all('log_statement = "all"' in f["message"] for f in findings if f["rule"] == "RDS010")
