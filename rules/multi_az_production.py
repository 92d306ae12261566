"""RDS003 multi-az-production: a production database runs in one Availability Zone.

Why
    A single-AZ database is down for as long as its Availability Zone or host is: a
    PACS whose study index is unavailable stops image retrieval in the hospital.
    Multi-AZ keeps a synchronous standby in a second zone and fails over in one to two
    minutes.  ``multi_az`` defaults to false for ``aws_db_instance`` (Terraform AWS
    provider documentation).  An Aurora cluster is highly available only with at least
    two ``aws_rds_cluster_instance`` s (a writer and a reader in another zone); a
    Multi-AZ DB cluster (``db_cluster_instance_class`` set) always has three.  Read
    replicas are exempt: the rule is about primaries.  Only environments named
    production, prod or prd are checked.
    Controls: HIPAA 164.308(a)(7)(ii)(B) disaster recovery plan; AWS Foundational
    Security Best Practices RDS.5 ("RDS DB instances should be configured with multiple
    Availability Zones") and RDS.15 ("RDS DB clusters should be configured for multiple
    Availability Zones").
"""

from __future__ import annotations

from rdspolicy.rule import NoFix, Rule, fail, passed, set_argument, unknown

from . import _rds

NONCOMPLIANT = '''
variable "environment" {
  default = "production"
}

resource "aws_db_instance" "pacs" {
  engine            = "postgres"
  engine_version    = "16.3"
  instance_class    = "db.r6g.large"
  storage_encrypted = true
  multi_az          = var.environment == "staging"
}
'''

COMPLIANT = '''
variable "environment" {
  default = "production"
}

resource "aws_db_instance" "pacs" {
  engine            = "postgres"
  engine_version    = "16.3"
  instance_class    = "db.r6g.large"
  storage_encrypted = true
  multi_az          = var.environment == "production"
}
'''


def _check_instance(instance, ctx):
    primary = _rds.is_primary_instance(instance)
    if primary is False:
        return
    attr = instance.multi_az
    value = _rds.truthy(attr)
    if value is True:
        yield passed(at=attr)
    elif value is None:
        yield unknown(f"multi_az is unknown in production: {_rds.unknown_reason(attr)}", attr)
    elif primary is None:
        yield unknown("multi_az is not true, and whether this is a read replica (exempt) is unknown: "
                      f"{_rds.unknown_reason(instance.replicate_source_db)}", attr)
    elif attr.absent:
        yield fail("multi_az is not set (it defaults to false): the production database has no standby "
                   "in another Availability Zone", attr)
    else:
        yield fail(f"multi_az = {attr.display()} in production: the database has no standby in another "
                   "Availability Zone", attr)


def _members(cluster, ctx):
    """The cluster's instances: (certain, uncertain) counts."""
    certain = uncertain = 0
    ident = cluster.attr("cluster_identifier")
    types, link = ("aws_rds_cluster_instance",), "cluster_identifier"
    members = ctx.referring_to(types, link, f"{cluster.type}.{cluster.name}") + ctx.referring_to(
        types, link, cluster.address)
    if ident.known:
        members += ctx.with_value(types, link, ident.value)
    for member in ctx.in_order(members):
        if member.existence:
            uncertain += 1
        else:
            certain += 1
    return certain, uncertain


def _check_cluster(cluster, ctx):
    mode = cluster.attr("engine_mode")
    if mode.known and mode.value == "serverless":
        return  # Aurora Serverless v1: no instances to count; its failover is AWS's
    if cluster.attr("db_cluster_instance_class").is_set:
        yield passed(at=cluster.attr("db_cluster_instance_class"))  # Multi-AZ DB cluster
        return
    certain, uncertain = _members(cluster, ctx)
    if certain >= 2:
        yield passed(at=cluster.location)
    elif certain + uncertain >= 2:
        yield unknown(f"the cluster has {certain} certain instance(s) and {uncertain} more whose count is "
                      "unknown; at least two are needed for a standby in another Availability Zone",
                      cluster.location)
    else:
        yield fail(f"the Aurora cluster has {certain + uncertain} aws_rds_cluster_instance(s) in production; "
                   "at least two (a writer and a reader in another Availability Zone) are needed to fail over",
                   cluster.location)


def check(resource, ctx):
    if not ctx.is_production:
        return
    if resource.type == "aws_db_instance":
        yield from _check_instance(resource, ctx)
    else:
        yield from _check_cluster(resource, ctx)



def fix(resource, ctx, verdict):
    if resource.type != "aws_db_instance":
        return NoFix("add an aws_rds_cluster_instance in another Availability Zone (choose its instance class)")
    return set_argument("set multi_az = true in production", "multi_az", True, production_only=True)


RULE = Rule(
    id="RDS003",
    name="multi-az-production",
    severity="high",
    summary="Production databases must be Multi-AZ (multi_az = true, or two or more Aurora instances).",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_instance", "aws_rds_cluster"),
    reads=("aws_rds_cluster_instance",),
    check=check,
    references=("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html",),
    controls=("HIPAA 164.308(a)(7)(ii)(B)", "FSBP RDS.5", "FSBP RDS.15"),
    fix=fix,
)
