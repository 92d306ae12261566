"""RDS005 backup-retention: automated backups are kept for too short a time.

Why
    Automated backups are what point-in-time recovery restores from: after a bad
    migration or a deleted table, a database can be recovered only to a moment inside
    the retention period.  The minimum is 7 days in production and 1 day elsewhere
    (configurable per environment).  When ``backup_retention_period`` is not set the
    RDS API's default of 1 day applies (RDS API reference, CreateDBInstance and
    CreateDBCluster, BackupRetentionPeriod); 0 turns automated backups off entirely.
    Read replicas are exempt: recovery restores from the source's backups, so the
    source's retention is what counts.
    Controls: HIPAA 164.308(a)(7)(ii)(A) data backup plan; AWS Foundational Security
    Best Practices RDS.11 ("RDS instances should have automatic backups enabled").
"""

from __future__ import annotations

from typing import Annotated

from annotated_types import Ge, Le

from rdspolicy.rule import Param, Rule, fail, passed, set_argument, unknown

from . import _rds

API_DEFAULT_DAYS = 1

NONCOMPLIANT = '''
variable "environment" {
  default = "production"
}

resource "aws_db_instance" "pacs" {
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.r6g.large"
  storage_encrypted       = true
  backup_retention_period = var.environment == "production" ? 3 : 1
}
'''

COMPLIANT = '''
variable "environment" {
  default = "production"
}

resource "aws_db_instance" "pacs" {
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.r6g.large"
  storage_encrypted       = true
  backup_retention_period = var.environment == "production" ? 30 : 1
}
'''


DEFAULT_MINIMUM = {"production": 7, "default": 1}


def minimum_days(ctx) -> int:
    """The environment's own entry, else ``production`` for a production environment,
    else ``default``."""
    table = {**DEFAULT_MINIMUM, **ctx.params["backup_retention_minimum"]}  # keys left out keep their defaults
    if ctx.environment in table:
        return int(table[ctx.environment])
    return int(table["production"] if ctx.is_production else table["default"])


def check(resource, ctx):
    if resource.type == "aws_db_instance":
        primary = _rds.is_primary_instance(resource)
        if primary is False:
            return
    else:
        primary = True
    attr = resource.attr("backup_retention_period")
    minimum = minimum_days(ctx)
    where = f"in {ctx.environment}"
    if attr.absent:
        days = API_DEFAULT_DAYS
    elif attr.unknown:
        yield unknown(f"backup_retention_period is unknown: {_rds.unknown_reason(attr)}", attr)
        return
    else:
        days = _rds.number(attr)
        if days is None:
            yield unknown(f"backup_retention_period = {attr.display()} is not a number", attr)
            return
    if days >= minimum:
        yield passed(at=attr)
        return
    if primary is None:
        yield unknown(f"backup retention is below {minimum} days, and whether this is a read replica (exempt) "
                      f"is unknown: {_rds.unknown_reason(resource.attr('replicate_source_db'))}", attr)
        return
    shown = int(days) if float(days).is_integer() else days
    if attr.absent:
        message = (f"backup_retention_period is not set, so the API default of {API_DEFAULT_DAYS} day applies; "
                   f"at least {minimum} days are required {where}")
    elif days == 0:
        message = f"backup_retention_period = 0 turns automated backups off; at least {minimum} days are required {where}"
    else:
        message = f"backup_retention_period = {shown} days; at least {minimum} days are required {where}"
    yield fail(message, attr)



OUTAGE = ("turning automated backups on (backup_retention_period from 0) causes an outage while RDS takes the "
          "first backup (ModifyDBInstance, BackupRetentionPeriod)")


def fix(resource, ctx, verdict):
    minimum = minimum_days(ctx)
    attr = resource.attr("backup_retention_period")
    unsafe = OUTAGE if attr.known and _rds.number(attr) == 0 else ""
    days = f"{minimum} day" + ("" if minimum == 1 else "s")
    return set_argument(f"raise backup_retention_period to {days}", "backup_retention_period", minimum,
                        unsafe=unsafe, at_least=True)


RULE = Rule(
    id="RDS005",
    name="backup-retention",
    severity="medium",
    summary="Automated backups must be kept at least 7 days in production and 1 day elsewhere.",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_instance", "aws_rds_cluster"),
    check=check,
    references=("https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",),
    parameters=(Param(
        "backup_retention_minimum", DEFAULT_MINIMUM,
        "minimum days by environment: an environment's own name, else `production` for every "
        "production environment, else `default`",
        dict[str, Annotated[int, Ge(0), Le(35)]],
    ),),
    controls=("HIPAA 164.308(a)(7)(ii)(A)", "FSBP RDS.11"),
    fix=fix,
)
