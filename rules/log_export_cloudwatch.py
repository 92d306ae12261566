"""RDS012 log-export-cloudwatch: PostgreSQL logs are not exported to CloudWatch Logs, or kept there unprotected.

Why
    The PostgreSQL log stays on the database host only for ``rds.log_retention_period``
    (3 days by default) and disappears with the instance; audit evidence must outlive
    both.  ``enabled_cloudwatch_logs_exports`` must include ``"postgresql"`` on an RDS
    instance and on an Aurora or Multi-AZ DB cluster (Aurora exports per cluster;
    absent means nothing is exported, Terraform AWS provider documentation).  RDS
    writes the log to the log group ``/aws/rds/instance/<id>/postgresql`` (or
    ``/aws/rds/cluster/<id>/postgresql``), creating it without expiry and without a
    customer-managed key when it does not exist; when the configuration defines that
    log group, it must have a ``retention_in_days`` (absent or 0 means never expire:
    PHI kept forever) and a ``kms_key_id`` (otherwise CloudWatch's own key encrypts
    it).  Controls: HIPAA 164.312(b) audit controls and 164.308(a)(1)(ii)(D)
    information system activity review; AWS Foundational Security Best Practices RDS.9
    ("RDS DB instances should publish logs to CloudWatch Logs").
"""

from __future__ import annotations

import re
from typing import Literal

from rdspolicy.rule import AddToList, Fix, NoFix, Param, Rule, fail, passed, set_argument, unknown

from . import _rds

NONCOMPLIANT = '''
resource "aws_db_instance" "pacs" {
  identifier     = "pacs"
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.r6g.large"
}
'''

COMPLIANT = '''
resource "aws_kms_key" "logs" {
  description         = "PACS log key"
  enable_key_rotation = true
}

resource "aws_db_instance" "pacs" {
  identifier                      = "pacs"
  engine                          = "postgres"
  engine_version                  = "16.3"
  instance_class                  = "db.r6g.large"
  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]
}

resource "aws_cloudwatch_log_group" "pacs" {
  name              = "/aws/rds/instance/pacs/postgresql"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.logs.arn
}
'''

RETENTION_DAYS = 365  # what rdspolicy fix sets (parameter log_retention_days)
# the values CloudWatch Logs accepts (PutRetentionPolicy, retentionInDays)
RETENTION_CHOICES = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
                     3288, 3653)
RDS_LOG_GROUP = re.compile(r"^/aws/rds/(instance|cluster)/[^/]+/postgresql$")
DATABASE_ADDRESS = re.compile(r"(^|\.)aws_(db_instance|rds_cluster)\.")


def _check_database(db, ctx):
    postgres, undecided = _rds.runs_postgres(db, ctx)
    if not postgres:
        yield from undecided
        return
    if db.type == "aws_rds_cluster" and not _rds.is_multi_az_db_cluster(db) and _rds.is_aurora(db, ctx) is False:
        return
    attr = db.attr("enabled_cloudwatch_logs_exports")
    if attr.unknown:
        yield unknown(f"enabled_cloudwatch_logs_exports is unknown: {_rds.unknown_reason(attr)}", attr)
        return
    if attr.absent:
        yield fail("enabled_cloudwatch_logs_exports is not set: the PostgreSQL log is not exported to "
                   "CloudWatch Logs and is lost after a few days", attr)
        return
    values = attr.value if isinstance(attr.value, list) else [attr.value]
    if "postgresql" in values:
        yield passed(at=attr)
    elif any(not isinstance(v, str) for v in values):
        yield unknown("some of enabled_cloudwatch_logs_exports is known only after apply", attr)
    else:
        yield fail(f'enabled_cloudwatch_logs_exports = {attr.display()} does not include "postgresql": the '
                   "PostgreSQL log is not exported to CloudWatch Logs", attr)


def _log_group_name(name) -> str | None:
    """The name of an RDS PostgreSQL log group, as shown in messages; None for another
    log group.  A name written as a template whose only unknown part is the database's
    identifier (``"/aws/rds/instance/${aws_db_instance.x.identifier}/postgresql"``, with
    ``identifier_prefix``) is one: the unknown part is shown as the database it comes from."""
    if name.known:
        return name.value if isinstance(name.value, str) and RDS_LOG_GROUP.match(name.value) else None
    text = name.text if name.unknown else None
    if not (text and len(text) == 3 and text[1] is None and text[0] and text[2]):
        return None
    if not RDS_LOG_GROUP.match(text[0] + "x" + text[2]):
        return None
    owner = ", ".join(sorted(r for r in name.refs if DATABASE_ADDRESS.search(r))) or "known after apply"
    return f"{text[0]}<{owner}>{text[2]}"


def _check_log_group(group, ctx):
    shown = _log_group_name(group.attr("name"))
    if shown is None:
        return
    retention = group.attr("retention_in_days")
    days = _rds.number(retention)
    if retention.unknown:
        yield unknown(f"retention_in_days of the log group {shown} is unknown: "
                      f"{_rds.unknown_reason(retention)}", retention)
    elif retention.absent or days == 0:
        how = "is not set" if retention.absent else "= 0"
        yield fail(f"retention_in_days {how}: the log group {shown} never expires, so PostgreSQL logs "
                   "(which may hold patient data) are kept forever", retention)
    else:
        yield passed(at=retention)
    key = group.attr("kms_key_id")
    if key.unknown and not key.nonnull:
        yield unknown(f"kms_key_id of the log group {shown} is unknown and may be null: "
                      f"{_rds.unknown_reason(key)}", key)
    elif key.absent:
        yield fail(f"kms_key_id is not set: the log group {shown} is not encrypted with a customer-managed "
                   "KMS key", key)
    else:
        yield passed(at=key)


def check(resource, ctx):
    if resource.type == "aws_cloudwatch_log_group":
        yield from _check_log_group(resource, ctx)
    else:
        yield from _check_database(resource, ctx)



def fix(resource, ctx, verdict):
    name = getattr(verdict.at, "name", None)
    if resource.type != "aws_cloudwatch_log_group":
        return Fix('export the PostgreSQL log ("postgresql" in enabled_cloudwatch_logs_exports)',
                   (AddToList("enabled_cloudwatch_logs_exports", "postgresql"),))
    if name == "retention_in_days":
        days = ctx.params["log_retention_days"]
        return set_argument(f"keep the log {days} days", "retention_in_days", days)
    if name == "kms_key_id":
        return NoFix("choose a customer-managed KMS key for the log group (its key policy must allow "
                     "logs.<region>.amazonaws.com) and set kms_key_id")
    return None


RULE = Rule(
    id="RDS012",
    name="log-export-cloudwatch",
    severity="medium",
    summary='PostgreSQL logs must be exported to CloudWatch Logs ("postgresql"), to a log group with retention and a KMS key.',
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_instance", "aws_rds_cluster", "aws_cloudwatch_log_group"),
    reads=_rds.ENGINE_READS,
    check=check,
    references=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-9",
    ),
    controls=("HIPAA 164.312(b)", "HIPAA 164.308(a)(1)(ii)(D)", "FSBP RDS.9"),
    parameters=(Param("log_retention_days", RETENTION_DAYS,
                      "days a fix sets as retention_in_days of a PostgreSQL log group (a value CloudWatch "
                      "Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, "
                      "1827, 2192, 2557, 2922, 3288 or 3653)", Literal[RETENTION_CHOICES]),),
    fix=fix,
)
