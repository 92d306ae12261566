"""RDS015 enhanced-monitoring-production: a production database has no Enhanced Monitoring.

Why
    Enhanced Monitoring publishes operating-system metrics (processes, memory, file
    system, I/O) every 1 to 60 seconds; without it, an incident on the production PACS
    database is investigated with CloudWatch's one-minute hypervisor metrics only.
    ``monitoring_interval`` defaults to 0, which turns it off, and a positive interval
    needs ``monitoring_role_arn``, the role RDS publishes the metrics with (Terraform
    AWS provider documentation, ``aws_db_instance`` and ``aws_rds_cluster_instance``).
    Aurora sets it per instance; a Multi-AZ DB cluster sets it on the cluster.  Only
    environments named production, prod or prd are checked.  Controls: HIPAA
    164.312(b) audit controls; AWS Foundational Security Best Practices RDS.6
    ("Enhanced monitoring should be configured for RDS DB instances").
"""

from __future__ import annotations

from rdspolicy.rule import NoFix, Rule, fail, passed, set_argument, unknown

from . import _rds

NONCOMPLIANT = '''
variable "environment" {
  default = "production"
}

resource "aws_db_instance" "pacs" {
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.r6g.large"
  monitoring_interval = 0
}
'''

COMPLIANT = '''
variable "environment" {
  default = "production"
}

resource "aws_iam_role" "monitoring" {
  name               = "pacs-rds-monitoring"
  assume_role_policy = "{}"
}

resource "aws_db_instance" "pacs" {
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.r6g.large"
  monitoring_interval = 30
  monitoring_role_arn = aws_iam_role.monitoring.arn
}
'''


def check(resource, ctx):
    if not ctx.is_production:
        return
    if resource.type == "aws_rds_cluster" and not _rds.is_multi_az_db_cluster(resource):
        return  # Aurora: per instance
    interval = resource.attr("monitoring_interval")
    seconds = _rds.number(interval)
    if interval.unknown:
        yield unknown(f"monitoring_interval is unknown in production: {_rds.unknown_reason(interval)}", interval)
        return
    if interval.absent or seconds == 0:
        shown = "is not set (it defaults to 0)" if interval.absent else "= 0"
        yield fail(f"monitoring_interval {shown}: the production database has no Enhanced Monitoring", interval)
        return
    if seconds is None:
        yield unknown(f"monitoring_interval = {interval.display()} is not a number", interval)
        return
    role = resource.attr("monitoring_role_arn")
    if role.is_set is True:
        yield passed(at=interval)
    elif role.unknown:
        yield unknown(f"monitoring_role_arn is unknown and may be null: {_rds.unknown_reason(role)}", role)
    else:
        yield fail(f"monitoring_interval = {interval.display()} without monitoring_role_arn: RDS has no role to "
                   "publish Enhanced Monitoring metrics with", interval)



NEEDS_ROLE = ("create an IAM role that monitoring.rds.amazonaws.com can assume (policy "
              "AmazonRDSEnhancedMonitoringRole) and set monitoring_role_arn; then set monitoring_interval")
INTERVAL = 60  # seconds: one of 1, 5, 10, 15, 30, 60


def fix(resource, ctx, verdict):
    if resource.attr("monitoring_role_arn").is_set is not True:
        return NoFix(NEEDS_ROLE)
    return set_argument(f"set monitoring_interval = {INTERVAL} in production", "monitoring_interval", INTERVAL,
                        production_only=True, otherwise=0)


RULE = Rule(
    id="RDS015",
    name="enhanced-monitoring-production",
    severity="low",
    summary="Production databases should have Enhanced Monitoring (monitoring_interval > 0 with a role).",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_instance", "aws_rds_cluster_instance", "aws_rds_cluster"),
    check=check,
    references=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-6",
    ),
    controls=("HIPAA 164.312(b)", "FSBP RDS.6"),
    fix=fix,
)
