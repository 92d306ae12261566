"""RDS008 not-publicly-accessible: a database instance has a public endpoint.

Why
    ``publicly_accessible = true`` gives the instance a DNS name that resolves to a
    public IP address: with a permissive security group or a later mistake it is one
    step from the internet, where database ports are scanned continuously.  A PACS
    database holds patient identifiers and study metadata and has no reason to be
    reachable from outside the VPC.  ``publicly_accessible`` defaults to false for
    ``aws_db_instance`` and ``aws_rds_cluster_instance`` (Aurora: the setting is per
    instance) and for ``aws_rds_cluster``, where it only applies to Multi-AZ DB
    clusters (Terraform AWS provider documentation).  Controls: HIPAA 164.312(a)(1)
    access control and 164.312(e)(1) transmission security; AWS Foundational Security
    Best Practices RDS.2 ("RDS DB Instances should prohibit public access, as determined
    by the PubliclyAccessible configuration"); CIS AWS Foundations Benchmark v3.0.0
    2.3.3 ("Ensure that public access is not given to RDS Instance").
"""

from __future__ import annotations

from rdspolicy.rule import Rule, fail, passed, set_argument, unknown

from . import _rds

NONCOMPLIANT = '''
resource "aws_db_instance" "pacs" {
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.r6g.large"
  publicly_accessible = true
}
'''

COMPLIANT = '''
resource "aws_db_instance" "pacs" {
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.r6g.large"
  publicly_accessible = false
}
'''


def check(resource, ctx):
    if resource.type == "aws_rds_cluster" and not _rds.is_multi_az_db_cluster(resource):
        return  # Aurora: the instances carry the setting
    attr = resource.attr("publicly_accessible")
    value = _rds.truthy(attr)
    if value is None:
        yield unknown(f"publicly_accessible is unknown: {_rds.unknown_reason(attr)}", attr)
    elif value:
        yield fail(f"publicly_accessible = {attr.display()}: the database gets a public IP address and "
                   "can be reached from outside the VPC", attr)
    else:
        yield passed(at=attr)



CUTS_OFF = "clients that reach the database through its public address lose access"


def fix(resource, ctx, verdict):
    return set_argument("set publicly_accessible = false", "publicly_accessible", False, unsafe=CUTS_OFF)


RULE = Rule(
    id="RDS008",
    name="not-publicly-accessible",
    severity="critical",
    summary="Databases must not be publicly accessible (publicly_accessible = true).",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_instance", "aws_rds_cluster_instance", "aws_rds_cluster"),
    check=check,
    references=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-2",
    ),
    controls=("HIPAA 164.312(a)(1)", "HIPAA 164.312(e)(1)", "FSBP RDS.2", "CIS 2.3.3"),
    fix=fix,
)
