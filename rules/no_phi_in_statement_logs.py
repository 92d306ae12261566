"""RDS010 no-phi-in-statement-logs: SQL statement text, patient data included, is written to the logs.

Why
    ``log_statement = "all"`` writes every statement, and ``"mod"`` every INSERT,
    UPDATE, DELETE and COPY, with its literal values to the PostgreSQL log; so does
    ``log_min_duration_statement = 0`` (every statement with its duration).  In a PACS
    those statements carry patient names, identifiers and study descriptions, which
    then live in log files and CloudWatch Logs with other retention, other readers and
    no row-level access control.  Use ``log_statement = "ddl"`` (or ``"none"``), a
    positive ``log_min_duration_statement`` threshold for slow queries, and pgaudit
    for auditing.  PostgreSQL's defaults (``log_statement = none``,
    ``log_min_duration_statement = -1``) are kept by RDS's and Aurora's default
    parameter groups, so the rule looks at the parameter groups in the configuration,
    DB parameter groups and Aurora cluster parameter groups alike, whether or not a
    database uses them yet.  Controls: HIPAA 164.312(a)(1) access control (PHI copied
    where database permissions no longer protect it).
"""

from __future__ import annotations

from rdspolicy.rule import Fix, NoFix, Rule, SetParameter, fail, passed, unknown

from . import _rds

NONCOMPLIANT = '''
resource "aws_db_parameter_group" "pacs" {
  name   = "pacs-postgres16"
  family = "postgres16"

  parameter {
    name  = "log_statement"
    value = "all"
  }
}
'''

COMPLIANT = '''
resource "aws_db_parameter_group" "pacs" {
  name   = "pacs-postgres16"
  family = "postgres16"

  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }
}
'''

STATEMENT_LEVELS = ("all", "mod")


def check(resource, ctx):
    found = False
    for name in ("log_statement", "log_min_duration_statement"):
        setting = _rds.group_setting(resource, name)
        if setting is None:
            continue
        found = True
        if setting.status == "unknown":
            yield unknown(f"whether statements are logged is unknown: {setting.reason}", setting.at)
        elif name == "log_statement" and setting.value in STATEMENT_LEVELS:
            what = "every statement" if setting.value == "all" else "every data-changing statement"
            yield fail(f'log_statement = "{setting.value}" writes {what}, with its values (patient data), to the '
                       'PostgreSQL log; use "ddl" or "none"', setting.at)
        elif name == "log_min_duration_statement" and setting.value == "0":
            yield fail('log_min_duration_statement = "0" writes every statement, with its values (patient data), '
                       "to the PostgreSQL log; use a threshold for slow queries, e.g. 1000 ms", setting.at)
        else:
            yield passed(at=setting.at)
    if not found:
        yield passed(at=resource.location)



def fix(resource, ctx, verdict):
    if "log_min_duration_statement" in verdict.message:
        return NoFix("choose a threshold for slow queries (log_min_duration_statement, e.g. 1000 ms) or -1")
    return Fix('set log_statement = "ddl"', (SetParameter(resource, "log_statement", "ddl"),))


RULE = Rule(
    id="RDS010",
    name="no-phi-in-statement-logs",
    severity="high",
    summary='Parameter groups must not log statement text (log_statement "all"/"mod", log_min_duration_statement 0).',
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_parameter_group", "aws_rds_cluster_parameter_group"),
    check=check,
    references=(
        "https://www.postgresql.org/docs/16/runtime-config-logging.html",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Concepts.PostgreSQL.html",
    ),
    controls=("HIPAA 164.312(a)(1)",),
    fix=fix,
)
