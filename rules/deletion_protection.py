"""RDS004 deletion-protection: a production database can be deleted by one apply.

Why
    Without deletion protection, a ``terraform destroy``, a renamed resource or a
    replaced instance deletes the production database and, unless a final snapshot is
    taken, its data.  ``deletion_protection`` defaults to false for ``aws_db_instance``,
    ``aws_rds_cluster`` and ``aws_rds_global_cluster`` (Terraform AWS provider
    documentation).  Read replicas are exempt: deleting one loses no data.  Only
    environments named production, prod or prd are checked.
    Controls: HIPAA 164.308(a)(7)(ii)(A) data backup plan; AWS Foundational Security
    Best Practices RDS.7 ("RDS clusters should have deletion protection enabled") and
    RDS.8 ("RDS DB instances should have deletion protection enabled").
"""

from __future__ import annotations

from rdspolicy.rule import Rule, fail, passed, set_argument, unknown

from . import _rds

NONCOMPLIANT = '''
variable "environment" {
  default = "production"
}

resource "aws_db_instance" "pacs" {
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.r6g.large"
  storage_encrypted   = true
  deletion_protection = var.environment == "prod"
}
'''

COMPLIANT = '''
variable "environment" {
  default = "production"
}

resource "aws_db_instance" "pacs" {
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.r6g.large"
  storage_encrypted   = true
  deletion_protection = var.environment == "production"
}
'''


def check(resource, ctx):
    if not ctx.is_production:
        return
    primary = True
    if resource.type == "aws_db_instance":
        primary = _rds.is_primary_instance(resource)
        if primary is False:
            return
    attr = resource.attr("deletion_protection")
    value = _rds.truthy(attr)
    if value is True:
        yield passed(at=attr)
    elif value is None:
        yield unknown(f"deletion_protection is unknown in production: {_rds.unknown_reason(attr)}", attr)
    elif primary is None:
        yield unknown("deletion_protection is not true, and whether this is a read replica (exempt) is "
                      f"unknown: {_rds.unknown_reason(resource.attr('replicate_source_db'))}", attr)
    elif attr.absent:
        yield fail("deletion_protection is not set (it defaults to false): one apply can delete the "
                   "production database", attr)
    else:
        yield fail(f"deletion_protection = {attr.display()} in production: one apply can delete the database",
                   attr)



def fix(resource, ctx, verdict):
    return set_argument("set deletion_protection = true in production", "deletion_protection", True,
                        production_only=True)


RULE = Rule(
    id="RDS004",
    name="deletion-protection",
    severity="high",
    summary="Production databases must have deletion_protection = true.",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_instance", "aws_rds_cluster", "aws_rds_global_cluster"),
    check=check,
    references=("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html",),
    controls=("HIPAA 164.308(a)(7)(ii)(A)", "FSBP RDS.7", "FSBP RDS.8"),
    fix=fix,
)
