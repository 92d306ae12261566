"""RDS014 performance-insights-customer-key: Performance Insights data is encrypted with the AWS-managed key.

Why
    Performance Insights keeps samples of the SQL each session runs, statement text
    with literal values included: patient data.  When it is enabled without
    ``performance_insights_kms_key_id``, RDS encrypts that data with the AWS-managed
    key ``aws/rds``, whose policy the data owner cannot restrict or audit separately;
    a customer-managed key lets access to it be controlled and revoked (as RDS002 asks
    for storage).  The key cannot be changed once Performance Insights is on.  The
    rule applies to RDS instances, Aurora instances (Performance Insights is set per
    ``aws_rds_cluster_instance``) and clusters that enable it; disabled Performance
    Insights passes.  Performance Insights' console reached its end of life on
    2026-07-31: its data is shown in CloudWatch Database Insights, whose Standard mode
    a database with Performance Insights moves to, and the Performance Insights API
    and settings (``performance_insights_enabled``, ``performance_insights_kms_key_id``)
    stay as they were (Amazon RDS User Guide, "Turning Performance Insights on and
    off"), so the key still decides who can read the collected SQL.
    Controls: HIPAA 164.312(a)(2)(iv) encryption and decryption.
"""

from __future__ import annotations

from rdspolicy.rule import NoFix, Rule, fail, passed, unknown

from . import _rds

NONCOMPLIANT = '''
resource "aws_db_instance" "pacs" {
  engine                       = "postgres"
  engine_version               = "16.3"
  instance_class               = "db.r6g.large"
  performance_insights_enabled = true
}
'''

COMPLIANT = '''
resource "aws_kms_key" "pi" {
  description         = "PACS Performance Insights key"
  enable_key_rotation = true
}

resource "aws_db_instance" "pacs" {
  engine                          = "postgres"
  engine_version                  = "16.3"
  instance_class                  = "db.r6g.large"
  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.pi.arn
}
'''


def check(resource, ctx):
    enabled = resource.attr("performance_insights_enabled")
    on = _rds.truthy(enabled)
    if on is False:
        return
    key = resource.attr("performance_insights_kms_key_id")
    if key.known and isinstance(key.value, str) and "alias/aws/" in key.value:
        yield fail(f"performance_insights_kms_key_id = {key.display()} is an AWS-managed key; use a "
                   "customer-managed KMS key", key)
    elif key.is_set:
        yield passed(at=key)
    elif key.unknown:
        yield unknown(f"performance_insights_kms_key_id is unknown and may be null: {_rds.unknown_reason(key)}", key)
    elif on is None:
        yield unknown("performance_insights_kms_key_id is not set, and whether Performance Insights is enabled is "
                      f"unknown: {_rds.unknown_reason(enabled)}", enabled)
    else:
        yield fail("Performance Insights is enabled without performance_insights_kms_key_id: its SQL samples are "
                   "encrypted with the AWS-managed key aws/rds", enabled)



def fix(resource, ctx, verdict):
    return NoFix("choose the customer-managed KMS key for Performance Insights and set "
                 "performance_insights_kms_key_id")


RULE = Rule(
    id="RDS014",
    name="performance-insights-customer-key",
    severity="medium",
    summary="Enabled Performance Insights must be encrypted with a customer-managed KMS key.",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_instance", "aws_rds_cluster_instance", "aws_rds_cluster"),
    check=check,
    references=("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.access-control.cmk-policy.html",),
    controls=("HIPAA 164.312(a)(2)(iv)",),
    fix=fix,
)
