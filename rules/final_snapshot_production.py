"""RDS016 final-snapshot-production: deleting a production database would lose its data and backups.

Why
    When a production database is deleted (a ``terraform destroy``, a replacement, a
    renamed resource), three arguments decide what survives.  ``skip_final_snapshot``
    must be false and ``final_snapshot_identifier`` set, so that RDS takes a final
    snapshot (with ``skip_final_snapshot = false`` and no identifier the provider
    refuses to delete instead); ``delete_automated_backups`` must be false, because it
    defaults to true and the automated backups (point-in-time recovery) go with the
    database; and ``copy_tags_to_snapshot`` (default false) should be true so that
    snapshots keep the tags that classify them as patient data for backup and
    retention policies.  Defaults from the Terraform AWS provider documentation for
    ``aws_db_instance`` and ``aws_rds_cluster`` (Aurora and Multi-AZ DB clusters take
    the final snapshot and keep the backups per cluster).  Read replicas are exempt:
    they take no final snapshot and own no backups.  Only environments named
    production, prod or prd are checked.  Controls: HIPAA 164.308(a)(7)(ii)(A) data
    backup plan; AWS Foundational Security Best Practices RDS.16 ("RDS DB clusters
    should be configured to copy tags to snapshots") and RDS.17 ("RDS DB instances
    should be configured to copy tags to snapshots").
"""

from __future__ import annotations

from rdspolicy.rule import Derived, Fix, Rule, SetArgument, fail, passed, set_argument, unknown

from . import _rds

NONCOMPLIANT = '''
variable "environment" {
  default = "production"
}

resource "aws_db_instance" "pacs" {
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.r6g.large"
  skip_final_snapshot = true
}
'''

COMPLIANT = '''
variable "environment" {
  default = "production"
}

resource "aws_db_instance" "pacs" {
  engine                    = "postgres"
  engine_version            = "16.3"
  instance_class            = "db.r6g.large"
  skip_final_snapshot       = false
  final_snapshot_identifier = "pacs-final"
  copy_tags_to_snapshot     = true
  delete_automated_backups  = false
}
'''


def _final_snapshot(resource):
    skip = resource.attr("skip_final_snapshot")
    value = _rds.truthy(skip)
    if value is None:
        yield unknown(f"skip_final_snapshot is unknown in production: {_rds.unknown_reason(skip)}", skip)
        return
    if value:
        yield fail(f"skip_final_snapshot = {skip.display()}: deleting the production database takes no final "
                   "snapshot", skip)
        return
    ident = resource.attr("final_snapshot_identifier")
    if ident.is_set is True:
        yield passed(at=ident)
    elif ident.unknown:
        yield unknown(f"final_snapshot_identifier is unknown and may be null: {_rds.unknown_reason(ident)}", ident)
    else:
        yield fail("final_snapshot_identifier is not set: a final snapshot cannot be taken when the production "
                   "database is deleted", ident)


def _flag(resource, name, wanted, message):
    attr = resource.attr(name)
    value = _rds.truthy(attr)
    default = name == "delete_automated_backups"  # true by default; copy_tags_to_snapshot false
    if attr.absent:
        value = default
    if value is None:
        yield unknown(f"{name} is unknown in production: {_rds.unknown_reason(attr)}", attr)
    elif value == wanted:
        yield passed(at=attr)
    else:
        shown = f"is not set (it defaults to {str(default).lower()})" if attr.absent else f"= {attr.display()}"
        yield fail(f"{name} {shown}: {message}", attr)


def check(resource, ctx):
    if not ctx.is_production:
        return
    if resource.type == "aws_db_instance" and _rds.is_primary_instance(resource) is not True:
        return  # replicas are exempt; a possible replica is left to RDS004/RDS005's unknowns
    yield from _final_snapshot(resource)
    yield from _flag(resource, "delete_automated_backups", False,
                     "the automated backups are deleted with the production database")
    yield from _flag(resource, "copy_tags_to_snapshot", True,
                     "snapshots do not carry the database's tags (data classification, owner)")



def fix(resource, ctx, verdict):
    name = getattr(verdict.at, "name", None)
    ident = "identifier" if resource.type == "aws_db_instance" else "cluster_identifier"
    named = SetArgument("final_snapshot_identifier", Derived(ident, "-final"), production_only=True)
    if name == "skip_final_snapshot":
        # the snapshot needs a name too (else the next check fails on final_snapshot_identifier)
        changes = (SetArgument(name, False, production_only=True),)
        if resource.attr("final_snapshot_identifier").is_set is not True:
            changes += (named,)
        return Fix("take a final snapshot in production", changes)
    if name == "final_snapshot_identifier":
        return Fix("name the final snapshot in production", (named,))
    if name == "delete_automated_backups":
        return set_argument("keep automated backups after deletion in production", name, False, production_only=True)
    if name == "copy_tags_to_snapshot":
        return set_argument("set copy_tags_to_snapshot = true in production", name, True, production_only=True)
    return None


RULE = Rule(
    id="RDS016",
    name="final-snapshot-production",
    severity="medium",
    summary="Production databases must keep a final snapshot and their backups when deleted, and tag snapshots.",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_instance", "aws_rds_cluster"),
    check=check,
    references=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-17",
    ),
    controls=("HIPAA 164.308(a)(7)(ii)(A)", "FSBP RDS.16", "FSBP RDS.17"),
    fix=fix,
)
