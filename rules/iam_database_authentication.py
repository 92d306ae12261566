"""RDS013 iam-database-authentication: IAM database authentication is off.

Why
    With IAM database authentication, people and services sign in with short-lived
    tokens issued to their IAM identity instead of long-lived database passwords:
    access is granted and revoked in one place, every token request is in CloudTrail,
    and leaving staff lose database access with their IAM access.
    ``iam_database_authentication_enabled`` defaults to false on ``aws_db_instance``
    and ``aws_rds_cluster`` (Terraform AWS provider documentation); Aurora enables it
    per cluster, and its instances follow the cluster.  Read replicas are checked too:
    the setting is per instance.  Controls: HIPAA 164.312(d) person or entity
    authentication and 164.312(a)(1) access control; AWS Foundational Security Best
    Practices RDS.10 ("IAM authentication should be configured for RDS instances") and
    RDS.12 ("IAM authentication should be configured for RDS clusters").
"""

from __future__ import annotations

from rdspolicy.rule import Rule, fail, passed, set_argument, unknown

from . import _rds

NONCOMPLIANT = '''
resource "aws_db_instance" "pacs" {
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.r6g.large"
}
'''

COMPLIANT = '''
resource "aws_db_instance" "pacs" {
  engine                              = "postgres"
  engine_version                      = "16.3"
  instance_class                      = "db.r6g.large"
  iam_database_authentication_enabled = true
}
'''


def check(resource, ctx):
    if _rds.postgres_engine(resource, ctx) is False:
        return
    attr = resource.attr("iam_database_authentication_enabled")
    value = _rds.truthy(attr)
    if value is True:
        yield passed(at=attr)
    elif value is None:
        yield unknown(f"iam_database_authentication_enabled is unknown: {_rds.unknown_reason(attr)}", attr)
    elif attr.absent:
        yield fail("iam_database_authentication_enabled is not set (it defaults to false): only long-lived "
                   "database passwords can sign in", attr)
    else:
        yield fail(f"iam_database_authentication_enabled = {attr.display()}: only long-lived database passwords "
                   "can sign in", attr)



def fix(resource, ctx, verdict):
    return set_argument("set iam_database_authentication_enabled = true", "iam_database_authentication_enabled",
                        True)


RULE = Rule(
    id="RDS013",
    name="iam-database-authentication",
    severity="medium",
    summary="IAM database authentication should be enabled (iam_database_authentication_enabled = true).",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_instance", "aws_rds_cluster"),
    reads=_rds.ENGINE_READS,
    check=check,
    references=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-10",
    ),
    controls=("HIPAA 164.312(d)", "HIPAA 164.312(a)(1)", "FSBP RDS.10", "FSBP RDS.12"),
    fix=fix,
)
